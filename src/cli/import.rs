//! `idpc import`.

use super::build::{read, write_atomically};
use super::{Cli, EXIT_IO, EXIT_OK, EXIT_PROGRAM, ImportArgs, report};
use crate::diag::{Code, Diagnostic, Sources};
use crate::import::{ImportOptions, import};
use std::io::Write as _;

/// Imports a template and writes the program; nothing is written when the
/// import has errors (or warnings under `--deny-warnings`).
pub(super) fn run(cli: &Cli, args: &ImportArgs) -> u8 {
    let mut sources = Sources::new();
    let name = args.template.display().to_string();
    let text = match read(&args.template).and_then(|bytes| {
        String::from_utf8(bytes).map_err(|err| {
            Diagnostic::unlabelled(
                Code::E0901,
                format!(
                    "cannot read `{name}`: it is not UTF-8 (invalid byte at offset {})",
                    err.utf8_error().valid_up_to()
                ),
            )
        })
    }) {
        Ok(text) => text,
        Err(diagnostic) => {
            report(cli, &[diagnostic], &sources);
            return EXIT_IO;
        }
    };
    let options = ImportOptions {
        pool: args.pool.clone(),
        json: args
            .template
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json")),
    };
    let imported = import(&name, &text, &options, &mut sources);
    report(cli, &imported.diagnostics, &sources);
    let denied = cli.deny_warnings && !imported.diagnostics.is_empty();
    let Some(program) = imported.program.filter(|_| !denied) else {
        return EXIT_PROGRAM;
    };
    let written = match &args.output {
        Some(path) => write_atomically(path, program.as_bytes()),
        None => std::io::stdout()
            .lock()
            .write_all(program.as_bytes())
            .map_err(|err| format!("cannot write to stdout: {err}")),
    };
    match written {
        Ok(()) => EXIT_OK,
        Err(message) => {
            report(
                cli,
                &[Diagnostic::unlabelled(Code::E0902, message)],
                &sources,
            );
            EXIT_IO
        }
    }
}
