//! `idpc graph`: draws who can do what, from the checked program.

use super::build::{base_dir, exit_after, inputs, lint_levels, read, refused};
use super::output::write_output;
use super::{Cli, EXIT_IO, EXIT_PROGRAM, GraphArgs, report};
use idpc::diag::Sources;
use idpc::{Options, check_program, graph};

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
    let (lints, config_problems) = match lint_levels(cli, base_dir.as_deref(), &mut sources) {
        Ok(read) => read,
        Err(code) => return code,
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
    if refused(cli, &program.diagnostics) {
        return EXIT_PROGRAM;
    }
    let Some(checked) = program.checked else {
        return EXIT_PROGRAM;
    };
    let drawn = graph::draw(&checked, &name, args.format.into());
    let inputs = inputs(&args.file, &program.inputs);
    let written = write_output(args.output.as_deref(), &drawn, &inputs);
    exit_after(cli, written, &sources)
}
