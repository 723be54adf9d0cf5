//! `idpc completions SHELL`: a shell's completion script, generated from
//! the command line's own definition (so it never falls behind).

use super::output::write_stdout;
use super::{Cli, EXIT_IO, EXIT_OK};
use clap::{Args, CommandFactory};
use clap_complete::Shell;

/// `idpc completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell whose script to print.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Prints the script to stdout.
pub(super) fn run(args: &CompletionsArgs) -> u8 {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "idpc", &mut script);
    match write_stdout(&String::from_utf8_lossy(&script)) {
        Ok(()) => EXIT_OK,
        Err(message) => {
            eprintln!("error: {message}");
            EXIT_IO
        }
    }
}
