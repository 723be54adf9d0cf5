//! `idpc check FILE...`: checks programs, or audits templates and
//! `serverless.yml` files, and prints the diagnostics; writes nothing.
//!
//! Each file is checked on its own, with the `idpc.toml` beside it; the
//! exit code is the worst of the files' (I/O problems over errors). A SARIF
//! log is one document, so with `--error-format sarif` the diagnostics of
//! every file go into one log at the end.

use super::build::{base_dir, load_quietly, read_lint_levels, refused, write_into_nothing};
use super::{CheckArgs, Cli, DiagnosticFormat, EXIT_IO, EXIT_OK, EXIT_PROGRAM, TargetArg};
use idpc::diag::{Diagnostic, Sources};
use idpc::lints::Suppressed;
use idpc::{Build, Options};
use std::path::Path;

/// What checking one file found.
#[derive(Default)]
struct Checked {
    diagnostics: Vec<Diagnostic>,
    suppressed: Vec<Suppressed>,
}

/// Checks every file named and prints the diagnostics.
pub(super) fn run(cli: &Cli, args: &CheckArgs) -> u8 {
    let one_log = matches!(cli.error_format, DiagnosticFormat::Sarif);
    let mut sources = Sources::new();
    let mut all = Checked::default();
    let mut worst = EXIT_OK;
    for file in &args.files {
        let (checked, code) = match check_file(file, args.target, &mut sources) {
            Ok(checked) => {
                let code = if refused(cli, &checked.diagnostics) {
                    EXIT_PROGRAM
                } else {
                    EXIT_OK
                };
                (checked, code)
            }
            // The file (or its `idpc.toml`) could not be read.
            Err(diagnostic) => (
                Checked {
                    diagnostics: vec![diagnostic],
                    suppressed: Vec::new(),
                },
                EXIT_IO,
            ),
        };
        worst = worst.max(code);
        if one_log {
            all.diagnostics.extend(checked.diagnostics);
            all.suppressed.extend(checked.suppressed);
        } else {
            super::report_suppressing(cli, &checked.diagnostics, &checked.suppressed, &sources);
        }
    }
    if one_log {
        super::report_suppressing(cli, &all.diagnostics, &all.suppressed, &sources);
    }
    worst
}

/// Checks one file without printing: a template or `serverless.yml` is
/// audited, anything else compiled as a program. `Err` when it, or the
/// `idpc.toml` that applies to it, cannot be read.
fn check_file(
    file: &Path,
    target: TargetArg,
    sources: &mut Sources,
) -> Result<Checked, Diagnostic> {
    if idpc::audit::is_template(file) {
        return audit(file, target, sources);
    }
    let options = Options {
        target: target.into(),
        prove_implied: true,
        ..Options::default()
    };
    let Build {
        mut compiled,
        output,
    } = load_quietly(file, options, sources)?;
    write_into_nothing(&mut compiled, output);
    Ok(Checked {
        diagnostics: compiled.diagnostics,
        suppressed: compiled.suppressed,
    })
}

/// The audit of a template or `serverless.yml`, with the levels of the
/// `idpc.toml` beside it.
fn audit(file: &Path, target: TargetArg, sources: &mut Sources) -> Result<Checked, Diagnostic> {
    let (lints, config_problems) = read_lint_levels(base_dir(file).as_deref(), sources)?;
    let options = Options {
        target: target.into(),
        lints,
        ..Options::default()
    };
    let mut audit = idpc::audit::audit(file, &options, sources);
    audit.diagnostics.splice(0..0, config_problems);
    Ok(Checked {
        diagnostics: audit.diagnostics,
        suppressed: audit.suppressed,
    })
}
