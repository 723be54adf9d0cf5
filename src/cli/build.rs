//! `idpc build`, `idpc check` and `idpc uses`.

use super::{
    BuildArgs, CheckArgs, Cli, DiagnosticFormat, EXIT_IO, EXIT_OK, EXIT_PROGRAM, report,
    report_compiled,
};
use crate::diag::{Code, Diagnostic, Severity, Sources};
use crate::lints::{LintLevels, find_config, read_config};
use crate::{Options, compile};
use std::io::Write as _;
use std::path::Path;

/// Reads and compiles a program with the lint levels of its `idpc.toml`;
/// on unreadable input, reports and returns the exit code. Mistakes in
/// `idpc.toml` come first among the diagnostics, and fail the build.
fn load(
    cli: &Cli,
    file: &Path,
    options: Options,
    sources: &mut Sources,
) -> Result<crate::Compiled, u8> {
    let base_dir = base_dir(file);
    let (lints, config_problems) = lint_levels(cli, base_dir.as_deref(), sources)?;
    let options = Options {
        base_dir,
        lints,
        ..options
    };
    match read(file) {
        Ok(bytes) => {
            let mut compiled = compile(&file.display().to_string(), &bytes, &options, sources);
            if !config_problems.is_empty() {
                compiled.output = None;
                compiled.external.clear();
                compiled.diagnostics.splice(0..0, config_problems);
            }
            Ok(compiled)
        }
        Err(diagnostic) => {
            report(cli, &[diagnostic], sources);
            Err(EXIT_IO)
        }
    }
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

fn read_lint_levels(
    dir: Option<&Path>,
    sources: &mut Sources,
) -> Result<(LintLevels, Vec<Diagnostic>), Diagnostic> {
    let Some(path) = dir.and_then(find_config) else {
        return Ok((LintLevels::new(), Vec::new()));
    };
    let shown = shown_path(&path);
    let bytes = read(&path)?;
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
fn failed(cli: &Cli, compiled: &crate::Compiled) -> bool {
    refused(cli, &compiled.diagnostics)
}

/// Whether the diagnostics stop a command: an error, or a warning under
/// `--deny-warnings` (notes never do).
pub(super) fn refused(cli: &Cli, diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| {
        d.severity() == Severity::Error || (cli.deny_warnings && d.severity() == Severity::Warning)
    })
}

/// Writes a command's result to `-o OUT` (atomically) or, without one, to
/// stdout.
pub(super) fn write_output(output: Option<&Path>, text: &str) -> Result<(), String> {
    match output {
        Some(path) => write_atomically(path, text.as_bytes()),
        None => write_stdout(text),
    }
}

/// Writes to stdout, saying why it failed.
pub(super) fn write_stdout(text: &str) -> Result<(), String> {
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(|err| format!("cannot write to stdout: {err}"))
}

/// The exit code of a write: a failed one is reported (E0902) and exits 2.
pub(super) fn exit_after(cli: &Cli, written: Result<(), String>, sources: &Sources) -> u8 {
    match written {
        Ok(()) => EXIT_OK,
        Err(message) => {
            report(
                cli,
                &[Diagnostic::unlabelled(Code::E0902, message)],
                sources,
            );
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
    let mut compiled = match load(cli, &args.file, options, &mut sources) {
        Ok(compiled) => compiled,
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
    let Some(output) = compiled.output.take() else {
        return EXIT_PROGRAM;
    };
    let written = write_output(args.output.as_deref(), &output);
    let unwritten = written
        .err()
        .map(|message| Diagnostic::unlabelled(Code::E0902, message));
    if one_log {
        compiled.diagnostics.extend(unwritten.clone());
        report_compiled(cli, &compiled, &sources);
    } else if let Some(diagnostic) = &unwritten {
        report(cli, std::slice::from_ref(diagnostic), &sources);
    }
    if unwritten.is_some() {
        EXIT_IO
    } else {
        EXIT_OK
    }
}

/// Reads and compiles the program of `idpc check` / `idpc uses`.
fn load_for(cli: &Cli, args: &CheckArgs) -> Result<(crate::Compiled, Sources), u8> {
    let options = Options {
        target: args.target.into(),
        ..Options::default()
    };
    let mut sources = Sources::new();
    let compiled = load(cli, &args.file, options, &mut sources)?;
    Ok((compiled, sources))
}

/// Checks a program and prints its diagnostics.
pub(super) fn check(cli: &Cli, args: &CheckArgs) -> u8 {
    let (compiled, sources) = match load_for(cli, args) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    report_compiled(cli, &compiled, &sources);
    if failed(cli, &compiled) {
        EXIT_PROGRAM
    } else {
        EXIT_OK
    }
}

/// Prints the resources a program expects the stack to define.
pub(super) fn uses(cli: &Cli, args: &CheckArgs) -> u8 {
    let (compiled, sources) = match load_for(cli, args) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    if compiled.has_errors() {
        report_compiled(cli, &compiled, &sources);
        return EXIT_PROGRAM;
    }
    for (name, cfn_type) in &compiled.external {
        println!("{name} {cfn_type}");
    }
    EXIT_OK
}

/// The directory `use "path"` is resolved against: the program's own.
pub(super) fn base_dir(program: &Path) -> Option<std::path::PathBuf> {
    Some(program.parent().unwrap_or(Path::new("")).to_path_buf())
}

/// The largest program idpc reads; anything bigger is surely not a program.
const MAX_PROGRAM_BYTES: u64 = 16 * 1024 * 1024;

pub(super) fn read(path: &Path) -> Result<Vec<u8>, Diagnostic> {
    let unreadable = |reason: String| {
        Diagnostic::unlabelled(
            Code::E0901,
            format!("cannot read `{}`: {reason}", path.display()),
        )
    };
    let metadata = std::fs::metadata(path).map_err(|err| unreadable(err.to_string()))?;
    if metadata.is_dir() {
        return Err(unreadable("it is a directory".to_string()));
    }
    if metadata.len() > MAX_PROGRAM_BYTES {
        return Err(unreadable(format!(
            "it is {} bytes; programs are limited to {MAX_PROGRAM_BYTES}",
            metadata.len()
        )));
    }
    std::fs::read(path).map_err(|err| unreadable(err.to_string()))
}

/// Writes to a temporary file beside `path`, then renames it over `path`:
/// readers see the old file or the new one, never a partial one, and two
/// builds racing to the same path leave one complete file.
pub(super) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let failed = |err: std::io::Error| format!("cannot write `{}`: {err}", path.display());
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(format!(
            "cannot write `{}`: the directory `{}` does not exist",
            path.display(),
            dir.display()
        ));
    }
    let mut file = tempfile::NamedTempFile::new_in(dir).map_err(failed)?;
    // The temporary file is private (0600); a file it replaces keeps its
    // permissions (`idpc fmt` rewrites sources in place).
    if let Ok(existing) = std::fs::metadata(path) {
        file.as_file()
            .set_permissions(existing.permissions())
            .map_err(failed)?;
    }
    file.write_all(bytes).map_err(failed)?;
    file.as_file().sync_all().map_err(failed)?;
    file.persist(path).map_err(|err| failed(err.error))?;
    Ok(())
}
