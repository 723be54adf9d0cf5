//! `idpc fmt`: rewrites programs in the canonical layout (`idpc::formatter`).

use super::build::{MAX_INPUT_BYTES, read_as};
use super::output::{Read, rewrite, write_stdout};
use super::{Cli, DiagnosticFormat, EXIT_IO, EXIT_OK, EXIT_PROGRAM, FmtArgs, report};
use idpc::diag::{Code, Diagnostic, Sources, ToDiagnostic};
use idpc::{formatter, syntax};
use std::path::{Path, PathBuf};

/// How `-` is shown in `--check`'s list and in diagnostics.
const STDIN: &str = "<stdin>";

/// Formats every file named (directories: their `.idp` files, `-`: stdin to
/// stdout). A file that does not parse is reported and left untouched;
/// with `--check`, nothing is written and the files that would change are
/// listed. Exit code: the worst of the files' (I/O problems over parse
/// errors over files that would change). A SARIF log is one document: with
/// `--error-format sarif` the problems of every file go into one log at the
/// end.
pub(super) fn run(cli: &Cli, args: &FmtArgs) -> u8 {
    let one_log = matches!(cli.error_format, DiagnosticFormat::Sarif);
    let mut sources = Sources::new();
    let mut problems = Vec::new();
    let mut worst = EXIT_OK;
    let mut note = |code: u8, found: Vec<Diagnostic>, sources: &Sources| {
        worst = worst.max(code);
        if one_log {
            problems.extend(found);
        } else if !found.is_empty() {
            report(cli, &found, sources);
        }
    };
    for path in &args.files {
        match expand(path) {
            Ok(files) => {
                for file in files {
                    let (code, found) = one(&file, args.check, &mut sources);
                    note(code, found, &sources);
                }
            }
            Err(message) => {
                let found = vec![Diagnostic::unlabelled(Code::E0901, message)];
                note(EXIT_IO, found, &sources);
            }
        }
    }
    if one_log {
        report(cli, &problems, &sources);
    }
    worst
}

/// Formats one file (or stdin): its exit code, and what went wrong.
fn one(path: &Path, check: bool, sources: &mut Sources) -> (u8, Vec<Diagnostic>) {
    let stdin = path == Path::new("-");
    let name = if stdin {
        STDIN.to_string()
    } else {
        path.display().to_string()
    };
    let read = if stdin {
        // Stdin on purpose, held to the same limit as a file.
        match idpc::files::read_bounded(std::io::stdin().lock(), MAX_INPUT_BYTES) {
            Ok(bytes) => Read::stdin(bytes),
            Err(err) => {
                let message = format!("cannot read stdin: {}", err.reason("programs"));
                return (EXIT_IO, vec![Diagnostic::unlabelled(Code::E0901, message)]);
            }
        }
    } else {
        match read_as(path, "programs") {
            Ok((bytes, metadata)) => Read::new(bytes, metadata),
            Err(diagnostic) => return (EXIT_IO, vec![diagnostic]),
        }
    };
    let bytes = &read.bytes;
    // The file's id once added, which only an error needs.
    let file = sources.next_id();
    let formatted = match syntax::decode(bytes, file) {
        Ok(text) => formatter::format(text, file).map_err(|err| (err, text)),
        Err(err) => Err((err, "")),
    };
    let formatted = match formatted {
        Ok(formatted) => formatted,
        Err((err, text)) => {
            sources.add(name.as_str(), syntax::shown(text));
            return (EXIT_PROGRAM, vec![err.to_diagnostic()]);
        }
    };
    let changed = formatted.as_bytes() != bytes.as_slice();
    if check {
        if changed {
            println!("{name}");
            return (EXIT_PROGRAM, Vec::new());
        }
        return (EXIT_OK, Vec::new());
    }
    let written = if stdin {
        write_stdout(&formatted).map_err(|message| Diagnostic::unlabelled(Code::E0902, message))
    } else if changed {
        rewrite(path, &read, &formatted, MAX_INPUT_BYTES)
    } else {
        Ok(())
    };
    match written {
        Ok(()) => (EXIT_OK, Vec::new()),
        Err(diagnostic) => (EXIT_IO, vec![diagnostic]),
    }
}

/// The files a command-line argument names: itself, or for a directory
/// every `.idp` file under it (hidden directories skipped), sorted.
fn expand(path: &Path) -> Result<Vec<PathBuf>, String> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    let mut pending = vec![path.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir)
            .map_err(|err| format!("cannot read `{}`: {err}", dir.display()))?;
        for entry in entries {
            let entry = entry.map_err(|err| format!("cannot read `{}`: {err}", dir.display()))?;
            let path = entry.path();
            let hidden = entry.file_name().to_string_lossy().starts_with('.');
            // `file_type` does not follow symbolic links, so a link cannot
            // lead the walk round in a loop.
            match entry.file_type() {
                Ok(kind) if kind.is_dir() && !hidden => pending.push(path),
                Ok(kind) if !kind.is_dir() && path.extension().is_some_and(|e| e == "idp") => {
                    files.push(path)
                }
                _ => {}
            }
        }
    }
    files.sort();
    Ok(files)
}
