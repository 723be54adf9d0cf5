//! `idpc graph`: draws who can do what, from the checked program.

use super::build::{base_dir, lint_levels, read, write_atomically};
use super::{Cli, EXIT_IO, EXIT_OK, EXIT_PROGRAM, GraphArgs, report};
use crate::diag::{Code, Diagnostic, Severity, Sources};
use crate::{Options, check_program, graph};
use std::io::Write as _;

/// Checks the program like `idpc check` (its diagnostics on stderr, exit 1
/// on errors, or on warnings with `--deny-warnings`), then writes its graph.
/// Nothing is written unless the program is valid; `-o` replaces its file
/// atomically.
pub(super) fn run(cli: &Cli, args: &GraphArgs) -> u8 {
    let mut sources = Sources::new();
    let bytes = match read(&args.file) {
        Ok(bytes) => bytes,
        Err(diagnostic) => {
            report(cli, &[diagnostic], &sources);
            return EXIT_IO;
        }
    };
    // The same `idpc.toml` levels as `idpc check`; its mistakes come first.
    let base_dir = base_dir(&args.file);
    let (lints, config_problems) = match lint_levels(base_dir.as_deref(), &mut sources) {
        Ok(read) => read,
        Err(diagnostic) => {
            report(cli, &[diagnostic], &sources);
            return EXIT_IO;
        }
    };
    let options = Options {
        base_dir,
        lints,
        ..Options::default()
    };
    let name = args.file.display().to_string();
    let mut program = check_program(&name, &bytes, &options, &mut sources);
    if !config_problems.is_empty() {
        program.checked = None;
        program.diagnostics.splice(0..0, config_problems);
    }
    report(cli, &program.diagnostics, &sources);
    let refused = |severity: Severity| {
        severity == Severity::Error || (cli.deny_warnings && severity == Severity::Warning)
    };
    if program.diagnostics.iter().any(|d| refused(d.severity())) {
        return EXIT_PROGRAM;
    }
    let Some(checked) = program.checked else {
        return EXIT_PROGRAM;
    };
    let drawn = graph::draw(&checked, &name, args.format.into());
    let written = match &args.output {
        Some(path) => write_atomically(path, drawn.as_bytes()),
        None => std::io::stdout()
            .lock()
            .write_all(drawn.as_bytes())
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
