//! The `idpc` binary: the command line over the library (see [`cli`]).
//! The CLI is not part of the library's API; it uses only what a tool
//! author can use.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
