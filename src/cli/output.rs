//! The one writer of the command line: `-o OUT` of `build`, `graph` and
//! `import`, stdout, and the files `idpc fmt` rewrites.
//!
//! What it never does:
//!
//! - overwrite a file the command read (E0903): `build p.idp -o p.idp`, or
//!   `-o serverless.yml` when the program reads it through `use`;
//! - replace a symbolic link with a file: it writes the link's target;
//! - rename over a device or a FIFO: `-o /dev/null`, `-o /dev/stdout` or a
//!   named pipe are written to directly (a block device or a socket is
//!   refused);
//! - leave a partial file: a regular file is replaced atomically, from a
//!   temporary file beside it named `.NAME.idpc-tmp.XXXXXX` (only a killed
//!   idpc can leave one behind; it is safe to delete);
//! - make a new file private: it gets the permissions any tool gives a new
//!   file (`0666` less the umask), and a replaced file keeps its own;
//! - (`idpc fmt`) rewrite a read-only file, or one that changed while it was
//!   being formatted (E0904).

use idpc::WriteError;
use idpc::diag::{Code, Diagnostic};
use idpc::files::{kind_of, read_regular};
use std::fs::Metadata;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// How many symbolic links are followed to find where a missing `-o`
/// file would be created (Linux's own limit is 40).
const MAX_LINKS: usize = 40;

/// Where output goes.
enum Target {
    /// A regular file (existing or not, symbolic links resolved): replaced
    /// atomically.
    File(PathBuf),
    /// A character device or a FIFO: written to directly.
    Stream,
}

/// Why a write did not happen: E0902, or E0903 for an input.
fn unwritable(shown: &Path, reason: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::unlabelled(
        Code::E0902,
        format!("cannot write `{}`: {reason}", shown.display()),
    )
}

/// What writes a command's output, as it is produced, into the writer it
/// is given (buffered): a failure is the writer's, or the producer's own
/// diagnostic.
pub(super) type Produce<'a> = &'a mut dyn FnMut(&mut dyn Write) -> Result<(), WriteError>;

/// Writes a command's result to `-o OUT` or, without one, to stdout.
/// `inputs` are the files the command read: `OUT` may be none of them.
pub(super) fn write_output(
    output: Option<&Path>,
    text: &str,
    inputs: &[PathBuf],
) -> Result<(), Diagnostic> {
    write_output_with(output, inputs, &mut |out| {
        out.write_all(text.as_bytes()).map_err(WriteError::Io)
    })
}

/// [`write_output`] for output written while it is produced: a file is
/// still replaced atomically (the text goes to the temporary file, which
/// a failure deletes, leaving `OUT` as it was); stdout and streams get
/// what was produced before a failure.
pub(super) fn write_output_with(
    output: Option<&Path>,
    inputs: &[PathBuf],
    produce: Produce<'_>,
) -> Result<(), Diagnostic> {
    let Some(path) = output else {
        let stdout = std::io::stdout();
        let mut out = BufWriter::with_capacity(BUFFER, stdout.lock());
        return produce(&mut out)
            .and_then(|()| out.flush().map_err(WriteError::Io))
            .map_err(|err| match err {
                WriteError::Io(err) => {
                    Diagnostic::unlabelled(Code::E0902, format!("cannot write to stdout: {err}"))
                }
                WriteError::Internal(diagnostic) => diagnostic,
            });
    };
    let target = resolve(path)?;
    match target {
        Target::Stream => write_directly(path, produce),
        Target::File(file) => {
            refuse_inputs(path, &file, inputs)?;
            replace(path, &file, produce, None)
        }
    }
}

/// The size of the buffer between a producer and a file.
const BUFFER: usize = 64 * 1024;

/// Runs `produce` into `out` through a buffer, then flushes it; an error
/// of the writer is `shown`'s E0902.
fn produce_into(shown: &Path, out: impl Write, produce: Produce<'_>) -> Result<(), Diagnostic> {
    let mut out = BufWriter::with_capacity(BUFFER, out);
    produce(&mut out)
        .and_then(|()| out.flush().map_err(WriteError::Io))
        .map_err(|err| match err {
            WriteError::Io(err) => unwritable(shown, err),
            WriteError::Internal(diagnostic) => diagnostic,
        })
}

/// Writes to stdout, saying why it failed.
pub(super) fn write_stdout(text: &str) -> Result<(), String> {
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(|err| format!("cannot write to stdout: {err}"))
}

/// What `idpc fmt` read, to tell whether a file changed since.
pub(super) struct Read {
    pub bytes: Vec<u8>,
    /// The file's, as of the read; none for stdin.
    metadata: Option<Metadata>,
}

impl Read {
    /// A file read with [`read_regular`].
    pub(super) fn new(bytes: Vec<u8>, metadata: Metadata) -> Read {
        Read {
            bytes,
            metadata: Some(metadata),
        }
    }

    /// Stdin: nothing to rewrite.
    pub(super) fn stdin(bytes: Vec<u8>) -> Read {
        Read {
            bytes,
            metadata: None,
        }
    }
}

/// Rewrites the file `path` that `idpc fmt` read as `read`: its target if
/// it is a symbolic link; never a read-only file, nor one that changed
/// since it was read (checked right before the new text replaces it).
pub(super) fn rewrite(path: &Path, read: &Read, text: &str, limit: u64) -> Result<(), Diagnostic> {
    let (Target::File(file), Some(metadata)) = (resolve(path)?, &read.metadata) else {
        // Only regular files are read to be rewritten.
        return Err(unwritable(path, "it is not a regular file"));
    };
    if metadata.permissions().readonly() || !writable(&file) {
        return Err(unwritable(
            path,
            "it is read-only; idpc fmt leaves read-only files alone",
        )
        .with_help("make it writable (`chmod u+w`) if it should be formatted"));
    }
    let mut produce = |out: &mut dyn Write| out.write_all(text.as_bytes()).map_err(WriteError::Io);
    replace(path, &file, &mut produce, Some((read, limit)))
}

/// Whether this user may write the existing file `file` (opening it for
/// writing, without truncating, changes nothing).
fn writable(file: &Path) -> bool {
    std::fs::OpenOptions::new().write(true).open(file).is_ok()
}

/// Where writing `path` goes: symbolic links are followed to the file they
/// name (created if missing), devices and FIFOs are streams.
fn resolve(path: &Path) -> Result<Target, Diagnostic> {
    match std::fs::metadata(path) {
        Ok(metadata) if metadata.is_file() => std::fs::canonicalize(path)
            .map(Target::File)
            .map_err(|err| unwritable(path, err)),
        Ok(metadata) if metadata.is_dir() => Err(unwritable(path, "it is a directory")),
        Ok(metadata) if is_stream(&metadata) => Ok(Target::Stream),
        Ok(metadata) => Err(unwritable(
            path,
            format!(
                "it is {}; idpc writes regular files, character devices and FIFOs",
                kind_of(&metadata)
            ),
        )),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            dangling_target(path).map(Target::File)
        }
        Err(err) => Err(unwritable(path, err)),
    }
}

fn is_stream(metadata: &Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = metadata.file_type();
        kind.is_char_device() || kind.is_fifo()
    }
    #[cfg(not(unix))]
    {
        let _ = metadata;
        false
    }
}

/// The file a missing `path` would be created as: `path` itself, or the
/// missing file a chain of symbolic links ends at.
fn dangling_target(path: &Path) -> Result<PathBuf, Diagnostic> {
    let mut at = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match std::fs::symlink_metadata(&at) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                let link = std::fs::read_link(&at).map_err(|err| unwritable(path, err))?;
                at = match at.parent() {
                    Some(dir) if link.is_relative() => dir.join(link),
                    _ => link,
                };
            }
            _ => return Ok(at),
        }
    }
    Err(unwritable(path, "too many levels of symbolic links"))
}

/// Refuses to write `file` (where `-o shown` leads) if it is one of the
/// files the command read: the same file (device and inode, so hard links
/// and other spellings count), or for a file not there any more the same
/// canonical path.
fn refuse_inputs(shown: &Path, file: &Path, inputs: &[PathBuf]) -> Result<(), Diagnostic> {
    let existing = std::fs::metadata(file).ok();
    let spelled = canonical_new(file);
    let clash = inputs.iter().find(|input| {
        let same_file = match (&existing, std::fs::metadata(input)) {
            (Some(out), Ok(read)) => same_file(out, &read),
            _ => false,
        };
        same_file || spelled.is_some() && std::fs::canonicalize(input).ok() == spelled
    });
    match clash {
        None => Ok(()),
        Some(input) => Err(Diagnostic::unlabelled(
            Code::E0903,
            format!(
                "`-o {}` would overwrite `{}`, which this command reads; nothing was written",
                shown.display(),
                input.display()
            ),
        )
        .with_help(
            "give `-o` a file of its own (`idpc build` output usually goes to `build/NAME.yml`)",
        )),
    }
}

/// The canonical path a file not yet there would have: its directory's
/// canonical path joined with its name.
fn canonical_new(file: &Path) -> Option<PathBuf> {
    let name = file.file_name()?;
    let dir = match file.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    std::fs::canonicalize(dir).ok().map(|dir| dir.join(name))
}

#[cfg(unix)]
fn same_file(a: &Metadata, b: &Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_: &Metadata, _: &Metadata) -> bool {
    false
}

/// Writes a character device or a FIFO as it is: opened for writing,
/// never created, truncated or renamed over.
fn write_directly(path: &Path, produce: Produce<'_>) -> Result<(), Diagnostic> {
    let stream = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(|err| unwritable(path, err))?;
    produce_into(path, stream, produce)
}

/// Writes a temporary file beside `file`, then renames it over `file`:
/// readers see the old file or the new one, never a partial one, and two
/// builds racing to the same path leave one complete file. With `unchanged`,
/// the rename happens only if `file` still holds what was read.
fn replace(
    shown: &Path,
    file: &Path,
    produce: Produce<'_>,
    unchanged: Option<(&Read, u64)>,
) -> Result<(), Diagnostic> {
    let failed = |err: std::io::Error| unwritable(shown, err);
    let dir = match file.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(unwritable(
            shown,
            format!("the directory `{}` does not exist", dir.display()),
        ));
    }
    let existing = std::fs::metadata(file).ok();
    let mut temporary = temporary_beside(dir, file, existing.as_ref()).map_err(failed)?;
    // On an error the temporary file is dropped, which deletes it.
    produce_into(shown, temporary.as_file_mut(), produce)?;
    temporary.as_file().sync_all().map_err(failed)?;
    if let Some((read, limit)) = unchanged
        && !still_as_read(file, read, limit)
    {
        return Err(Diagnostic::unlabelled(
            Code::E0904,
            format!(
                "`{}` changed while idpc was formatting it; it was left as it is",
                shown.display()
            ),
        )
        .with_help("run `idpc fmt` again once nothing else is writing the file"));
    }
    temporary.persist(file).map_err(|err| failed(err.error))?;
    Ok(())
}

/// A temporary file in `dir` named after `file` (`.NAME.idpc-tmp.XXXXXX`,
/// so one a killed idpc left behind is recognisable), with `existing`'s
/// permissions, or those of any new file: `0666` less the umask.
fn temporary_beside(
    dir: &Path,
    file: &Path,
    existing: Option<&Metadata>,
) -> std::io::Result<tempfile::NamedTempFile> {
    let name = file
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{name}.idpc-tmp.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).rand_bytes(6);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // The mode is given to open(2), which applies the umask.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let temporary = builder.tempfile_in(dir)?;
    if let Some(existing) = existing {
        temporary
            .as_file()
            .set_permissions(existing.permissions())?;
    }
    Ok(temporary)
}

/// Whether `file` is the file that was read, unchanged: same file, size
/// and modification time, and the same bytes when read again.
fn still_as_read(file: &Path, read: &Read, limit: u64) -> bool {
    let (Ok(now), Some(then)) = (std::fs::metadata(file), &read.metadata) else {
        return false;
    };
    let same_stamp = now.len() == then.len()
        && now.modified().ok() == then.modified().ok()
        && same_file_or_unknown(&now, then);
    same_stamp && read_regular(file, limit).is_ok_and(|(bytes, _)| bytes == read.bytes)
}

#[cfg(unix)]
fn same_file_or_unknown(a: &Metadata, b: &Metadata) -> bool {
    same_file(a, b)
}

#[cfg(not(unix))]
fn same_file_or_unknown(_: &Metadata, _: &Metadata) -> bool {
    true
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    fn read(path: &Path) -> Read {
        let (bytes, metadata) = read_regular(path, 1024).unwrap();
        Read::new(bytes, metadata)
    }

    #[test]
    fn a_file_that_changed_since_it_was_read_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.idp");
        std::fs::write(&path, "use bucket B\n").unwrap();
        let before = read(&path);
        // Text appended while `idpc fmt` was formatting.
        std::fs::write(&path, "use bucket B\nuse table T\n").unwrap();
        let err = rewrite(&path, &before, "use bucket B\n", 1024).unwrap_err();
        assert_eq!(err.code, Code::E0904);
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "use bucket B\nuse table T\n"
        );
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "the temporary file was left behind");
    }

    #[test]
    fn a_file_rewritten_with_the_same_size_and_time_is_still_noticed() {
        // Same length, and the modification time put back: only the bytes
        // tell.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.idp");
        std::fs::write(&path, "use bucket B\n").unwrap();
        let before = read(&path);
        let mtime = std::fs::metadata(&path).unwrap().modified().unwrap();
        std::fs::write(&path, "use bucket C\n").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(mtime)
            .unwrap();
        let err = rewrite(&path, &before, "use bucket B\n", 1024).unwrap_err();
        assert_eq!(err.code, Code::E0904);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "use bucket C\n");
    }

    #[test]
    fn an_unchanged_file_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.idp");
        std::fs::write(&path, "use  bucket B\n").unwrap();
        let before = read(&path);
        rewrite(&path, &before, "use bucket B\n", 1024).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "use bucket B\n");
    }

    /// A build writes its output while it is produced: a failure half way
    /// (an idpc bug, E0902) must leave the existing output as it was, and
    /// no temporary file behind.
    #[test]
    fn a_write_that_fails_half_way_leaves_the_existing_output_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.yml");
        std::fs::write(&path, "old: output\n").unwrap();
        let err = write_output_with(Some(&path), &[], &mut |out| {
            out.write_all(&[b'x'; 200_000]).map_err(WriteError::Io)?;
            Err(WriteError::Internal(Diagnostic::unlabelled(
                Code::E0902,
                "the output could not be serialized: a bug".to_string(),
            )))
        })
        .unwrap_err();
        assert_eq!(err.code, Code::E0902);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old: output\n");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "the temporary file was left behind");
    }

    #[test]
    fn a_streamed_write_replaces_the_file_with_everything_produced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.yml");
        std::fs::write(&path, "old: output\n").unwrap();
        write_output_with(Some(&path), &[], &mut |out| {
            for _ in 0..100_000 {
                out.write_all(b"line\n").map_err(WriteError::Io)?;
            }
            Ok(())
        })
        .unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"line\n".repeat(100_000));
    }

    #[test]
    fn temporary_files_are_named_after_their_target() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.yml");
        let temporary = temporary_beside(dir.path(), &target, None).unwrap();
        let name = temporary.path().file_name().unwrap().to_string_lossy();
        assert!(name.starts_with(".out.yml.idpc-tmp."), "{name}");
        assert_eq!(name.len(), ".out.yml.idpc-tmp.".len() + 6, "{name}");
    }
}
