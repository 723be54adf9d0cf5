//! `idpc man [COMMAND]`: the man page, in roff, generated from the command
//! line's own definition (`idpc man | man -l -` reads it).

use super::output::write_stdout;
use super::{Cli, EXIT_IO, EXIT_OK};
use clap::{Args, CommandFactory};

/// `idpc man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// A subcommand whose own page to print (`idpc-build(1)`); the page of
    /// `idpc` itself by default.
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
}

/// Prints the page to stdout.
pub(super) fn run(args: &ManArgs) -> u8 {
    // Built, a subcommand knows its page's name (`idpc-build`) and its
    // synopsis (`idpc build`), as `clap_mangen::generate_to` has it.
    let mut idpc = Cli::command().disable_help_subcommand(true);
    idpc.build();
    let command = match &args.command {
        None => idpc,
        Some(name) => match idpc.find_subcommand(name) {
            Some(sub) => sub.clone(),
            None => {
                eprintln!("error: `{name}` is not a subcommand of idpc; `idpc --help` lists them");
                return EXIT_IO;
            }
        },
    };
    let mut page = Vec::new();
    let written = clap_mangen::Man::new(command)
        .source(format!("idpc {}", env!("CARGO_PKG_VERSION")))
        .render(&mut page)
        .map_err(|err| format!("cannot render the man page: {err}"))
        .and_then(|()| write_stdout(&String::from_utf8_lossy(&page)));
    match written {
        Ok(()) => EXIT_OK,
        Err(message) => {
            eprintln!("error: {message}");
            EXIT_IO
        }
    }
}
