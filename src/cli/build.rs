//! `idpc build`, `idpc check` and `idpc uses`.

use super::{BuildArgs, CheckArgs, Cli, EXIT_IO, EXIT_OK, EXIT_PROGRAM, report};
use crate::diag::{Code, Diagnostic, Sources};
use crate::{Options, compile};
use std::io::Write as _;
use std::path::Path;

/// Reads and compiles a program; on unreadable input, reports and returns
/// the exit code.
fn load(
    cli: &Cli,
    file: &Path,
    options: Options,
    sources: &mut Sources,
) -> Result<crate::Compiled, u8> {
    let options = Options {
        base_dir: base_dir(file),
        ..options
    };
    match read(file) {
        Ok(bytes) => Ok(compile(
            &file.display().to_string(),
            &bytes,
            &options,
            sources,
        )),
        Err(diagnostic) => {
            report(cli, &[diagnostic], sources);
            Err(EXIT_IO)
        }
    }
}

/// Whether the diagnostics stop the build.
fn failed(cli: &Cli, compiled: &crate::Compiled) -> bool {
    compiled.has_errors() || (cli.deny_warnings && compiled.has_warnings())
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
    let compiled = match load(cli, &args.file, options, &mut sources) {
        Ok(compiled) => compiled,
        Err(code) => return code,
    };
    report(cli, &compiled.diagnostics, &sources);
    if failed(cli, &compiled) {
        return EXIT_PROGRAM;
    }
    let Some(output) = compiled.output else {
        return EXIT_PROGRAM;
    };
    let written = match &args.output {
        Some(path) => write_atomically(path, output.as_bytes()),
        None => std::io::stdout()
            .lock()
            .write_all(output.as_bytes())
            .map_err(|err| format!("cannot write to stdout: {err}")),
    };
    match written {
        Ok(()) => EXIT_OK,
        Err(message) => {
            let diagnostic = Diagnostic::unlabelled(Code::E0902, message);
            report(cli, &[diagnostic], &sources);
            EXIT_IO
        }
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
    report(cli, &compiled.diagnostics, &sources);
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
        report(cli, &compiled.diagnostics, &sources);
        return EXIT_PROGRAM;
    }
    for (name, cfn_type) in &compiled.external {
        println!("{name} {cfn_type}");
    }
    EXIT_OK
}

/// The directory `use "path"` is resolved against: the program's own.
fn base_dir(program: &Path) -> Option<std::path::PathBuf> {
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
    file.write_all(bytes).map_err(failed)?;
    file.as_file().sync_all().map_err(failed)?;
    file.persist(path).map_err(|err| failed(err.error))?;
    Ok(())
}
