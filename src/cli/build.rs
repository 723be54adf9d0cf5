//! `idpc build` and `idpc uses`, and the reading of programs and their
//! `idpc.toml` that `idpc check` shares.

use super::output::write_output_with;
use super::{
    BuildArgs, Cli, DiagnosticFormat, EXIT_IO, EXIT_OK, EXIT_PROGRAM, UsesArgs, report,
    report_compiled,
};
use idpc::diag::{Code, Diagnostic, Severity, Sources};
use idpc::lints::{LintLevels, find_config, read_config};
use idpc::{Build, Options, WriteError, build};
use std::path::{Path, PathBuf};

/// Reads and compiles a program with the lint levels of its `idpc.toml`;
/// on unreadable input, reports and returns the exit code. Mistakes in
/// `idpc.toml` come first among the diagnostics, and fail the build.
fn load(cli: &Cli, file: &Path, options: Options, sources: &mut Sources) -> Result<Build, u8> {
    load_quietly(file, options, sources).map_err(|diagnostic| {
        report(cli, &[diagnostic], sources);
        EXIT_IO
    })
}

/// [`load`] without printing: `Err` is why the program or its `idpc.toml`
/// could not be read.
pub(super) fn load_quietly(
    file: &Path,
    options: Options,
    sources: &mut Sources,
) -> Result<Build, Diagnostic> {
    let base_dir = base_dir(file);
    let (lints, config_problems) = read_lint_levels(base_dir.as_deref(), sources)?;
    let options = Options {
        base_dir,
        lints,
        ..options
    };
    let bytes = read(file)?;
    let mut build = build(&file.display().to_string(), &bytes, &options, sources);
    if !config_problems.is_empty() {
        build.output = None;
        build.compiled.external.clear();
        build.compiled.diagnostics.splice(0..0, config_problems);
    }
    Ok(build)
}

/// The levels of the `idpc.toml` that applies to a file in `dir`, and its
/// mistakes (they come first among a command's diagnostics and fail it);
/// none without such a file. An unreadable one is reported: exit 2.
pub(super) fn lint_levels(
    cli: &Cli,
    dir: Option<&Path>,
    sources: &mut Sources,
) -> Result<(LintLevels, Vec<Diagnostic>), u8> {
    read_lint_levels(dir, sources).map_err(|diagnostic| {
        report(cli, &[diagnostic], sources);
        EXIT_IO
    })
}

/// The levels of the `idpc.toml` that applies to a file in `dir`, and its
/// mistakes, without printing: `Err` when it cannot be read.
pub(super) fn read_lint_levels(
    dir: Option<&Path>,
    sources: &mut Sources,
) -> Result<(LintLevels, Vec<Diagnostic>), Diagnostic> {
    let Some(path) = dir.and_then(find_config) else {
        return Ok((LintLevels::new(), Vec::new()));
    };
    let shown = shown_path(&path);
    let (bytes, _) = read_as(&path, "`idpc.toml` files")?;
    let text = String::from_utf8(bytes).map_err(|err| {
        Diagnostic::unlabelled(
            Code::E0901,
            format!(
                "cannot read `{shown}`: it is not UTF-8 (byte {})",
                err.utf8_error().valid_up_to()
            ),
        )
    })?;
    Ok(read_config(&shown, &text, sources))
}

/// A path as shown in diagnostics: relative to the current directory when
/// it is below it.
fn shown_path(path: &Path) -> String {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
        .display()
        .to_string()
}

/// Whether the diagnostics stop the build.
fn failed(cli: &Cli, compiled: &idpc::Compiled) -> bool {
    refused(cli, &compiled.diagnostics)
}

/// Whether the diagnostics stop a command: an error, or a warning under
/// `--deny-warnings` (notes never do).
pub(super) fn refused(cli: &Cli, diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| {
        d.severity() == Severity::Error || (cli.deny_warnings && d.severity() == Severity::Warning)
    })
}

/// The exit code of a write: a failed or refused one is reported and exits 2.
pub(super) fn exit_after(cli: &Cli, written: Result<(), Diagnostic>, sources: &Sources) -> u8 {
    match written {
        Ok(()) => EXIT_OK,
        Err(diagnostic) => {
            report(cli, &[diagnostic], sources);
            EXIT_IO
        }
    }
}

/// Compiles and writes the output; nothing is written unless the build
/// succeeds, and `-o` replaces its file atomically.
pub(super) fn run(cli: &Cli, args: &BuildArgs) -> u8 {
    let options = Options {
        target: args.target.into(),
        format: args.format.into(),
        ..Options::default()
    };
    let mut sources = Sources::new();
    let Build {
        mut compiled,
        output,
    } = match load(cli, &args.file, options, &mut sources) {
        Ok(build) => build,
        Err(code) => return code,
    };
    // A SARIF log is one document: it waits for the outcome of the write,
    // so a failed write is a result in the same log.
    let one_log = matches!(cli.error_format, DiagnosticFormat::Sarif);
    if !one_log || failed(cli, &compiled) {
        report_compiled(cli, &compiled, &sources);
    }
    if failed(cli, &compiled) {
        return EXIT_PROGRAM;
    }
    let Some(output) = output else {
        return EXIT_PROGRAM;
    };
    let inputs = inputs(&args.file, &compiled.inputs);
    // The output is lowered and written item by item, into the temporary
    // file `-o` replaces its file from (peak memory, BENCHMARKS.md).
    let mut internal = false;
    let unwritten = write_output_with(args.output.as_deref(), &inputs, &mut |out| {
        let written = output.write_to(out);
        internal = matches!(written, Err(WriteError::Internal(_)));
        written
    })
    .err();
    if one_log {
        compiled.diagnostics.extend(unwritten.clone());
        report_compiled(cli, &compiled, &sources);
    } else if let Some(diagnostic) = &unwritten {
        report(cli, std::slice::from_ref(diagnostic), &sources);
    }
    match unwritten {
        // The program could not be lowered or serialized (an idpc bug).
        Some(_) if internal => EXIT_PROGRAM,
        Some(_) => EXIT_IO,
        None => EXIT_OK,
    }
}

/// Lowers and serializes the output into nothing, to report what `idpc
/// build` would (an idpc bug, E0902): `idpc check` and `idpc uses`.
pub(super) fn write_into_nothing(compiled: &mut idpc::Compiled, output: Option<idpc::Output>) {
    if let Some(output) = output
        && let Err(err) = output.write_to(&mut std::io::sink())
    {
        compiled.external.clear();
        compiled.diagnostics.push(match err {
            WriteError::Internal(diagnostic) => diagnostic,
            WriteError::Io(err) => Diagnostic::unlabelled(Code::E0902, err.to_string()),
        });
    }
}

/// Prints the resources a program expects the stack to define.
pub(super) fn uses(cli: &Cli, args: &UsesArgs) -> u8 {
    let options = Options {
        target: args.target.into(),
        ..Options::default()
    };
    let mut sources = Sources::new();
    let Build {
        mut compiled,
        output,
    } = match load(cli, &args.file, options, &mut sources) {
        Ok(build) => build,
        Err(code) => return code,
    };
    write_into_nothing(&mut compiled, output);
    if compiled.has_errors() {
        report_compiled(cli, &compiled, &sources);
        return EXIT_PROGRAM;
    }
    for (name, cfn_type) in &compiled.external {
        println!("{name} {cfn_type}");
    }
    EXIT_OK
}

/// The files a command on `file` read, which its `-o` may not overwrite:
/// `file`, the `idpc.toml` that applies to it, and `more` (the stack files
/// the program read).
pub(super) fn inputs(file: &Path, more: &[PathBuf]) -> Vec<PathBuf> {
    let config = base_dir(file).as_deref().and_then(find_config);
    std::iter::once(file.to_path_buf())
        .chain(config)
        .chain(more.iter().cloned())
        .collect()
}

/// The directory `use "path"` is resolved against: the program's own.
pub(super) fn base_dir(program: &Path) -> Option<std::path::PathBuf> {
    Some(program.parent().unwrap_or(Path::new("")).to_path_buf())
}

/// The largest program, `idpc.toml` or template idpc reads (stack files
/// have their own limit, `stack_reader::Limits`); anything bigger is surely not
/// one. Stdin (`idpc fmt -`) is held to it too.
pub(super) const MAX_INPUT_BYTES: u64 = 16 * 1024 * 1024;

/// Reads a program (or `idpc.toml`, or a template): a regular file of at
/// most [`MAX_INPUT_BYTES`]. A FIFO or a device is refused before it is
/// opened, so none can block or flood idpc.
pub(super) fn read(path: &Path) -> Result<Vec<u8>, Diagnostic> {
    read_as(path, "programs").map(|(bytes, _)| bytes)
}

/// [`read`] for `what` ("templates"), with the file's metadata as of the
/// read.
pub(super) fn read_as(path: &Path, what: &str) -> Result<(Vec<u8>, std::fs::Metadata), Diagnostic> {
    idpc::files::read_regular(path, MAX_INPUT_BYTES).map_err(|err| {
        Diagnostic::unlabelled(
            Code::E0901,
            format!("cannot read `{}`: {}", path.display(), err.reason(what)),
        )
    })
}
