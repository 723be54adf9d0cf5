//! The `idpc` binary: see [`idpc::cli`].

fn main() -> std::process::ExitCode {
    idpc::cli::main()
}
