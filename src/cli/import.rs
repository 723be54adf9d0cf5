//! `idpc import`.

use super::build::{base_dir, exit_after, inputs, lint_levels, read_as, refused};
use super::output::write_output;
use super::{Cli, EXIT_IO, EXIT_PROGRAM, ImportArgs, report, report_with};
use idpc::diag::{Code, Diagnostic, Sources, SuppressedResult};
use idpc::importer::{self, import};

/// Imports a template and writes the program; nothing is written when the
/// import has errors (or warnings under `--deny-warnings`).
///
/// The `idpc.toml` next to the template, or above it, sets the levels of
/// the import's warnings (W0701-W0703) as it does for `idpc build`; its
/// mistakes come first and fail the import. Templates have no suppression
/// comments, so the file is the only way to suppress.
pub(super) fn run(cli: &Cli, args: &ImportArgs) -> u8 {
    let mut sources = Sources::new();
    let name = args.template.display().to_string();
    let text = match read_as(&args.template, "templates").and_then(|(bytes, _)| {
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
    // The same `idpc.toml` levels as `idpc build`; its mistakes come first.
    let (levels, config_problems) =
        match lint_levels(cli, base_dir(&args.template).as_deref(), &mut sources) {
            Ok(read) => read,
            Err(code) => return code,
        };
    let options = importer::Options {
        pool: args.pool.clone(),
        json: args
            .template
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json")),
    };
    let outcome = import(&name, &text, &options, &mut sources);
    let (mut diagnostics, allowed) = idpc::lints::apply(outcome.diagnostics, None, &levels);
    diagnostics.splice(0..0, config_problems);
    let allowed: Vec<SuppressedResult<'_>> = allowed
        .iter()
        .map(|entry| SuppressedResult {
            diagnostic: &entry.diagnostic,
            in_source: false,
            justification: "",
        })
        .collect();
    report_with(cli, &diagnostics, &allowed, &sources);
    let failed = refused(cli, &diagnostics);
    let Some(program) = outcome.program.filter(|_| !failed) else {
        return EXIT_PROGRAM;
    };
    let written = write_output(
        args.output.as_deref(),
        &program,
        &inputs(&args.template, &[]),
    );
    exit_after(cli, written, &sources)
}
