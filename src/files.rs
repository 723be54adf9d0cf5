//! Reading input files so that no input can hang idpc or exhaust memory.
//!
//! Every file idpc reads (a program, a stack file named by `use` and its
//! `${file(...)}` includes, `idpc.toml`, a template for `idpc import`) is
//! read through [`read_regular`]: it must be a regular file (a FIFO would
//! block forever, `/dev/zero` never ends, a socket cannot be read) and it is
//! read with a bound, so a file that grows while it is read still stops at
//! the limit. Stdin, where a command reads it on purpose (`idpc fmt -`), is
//! read through [`read_bounded`] with the same bound.

use std::fs::{File, Metadata};
use std::io::Read;
use std::path::Path;

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// The operating system's error (not found, permission denied, ...).
    Io(std::io::Error),
    /// The path names a directory.
    Directory,
    /// The path names something other than a regular file; the string says
    /// what ("a FIFO (named pipe)", "a character device", ...).
    NotRegular(&'static str),
    /// The file holds more than `limit` bytes: `bytes` is its size, or at
    /// least `limit + 1` when it grew while it was read.
    TooLarge {
        /// The size seen.
        bytes: u64,
        /// The limit in force.
        limit: u64,
    },
}

impl ReadError {
    /// Why, in words that fit after "cannot read `FILE`: ".
    pub fn reason(&self, what: &str) -> String {
        match self {
            ReadError::Io(err) => err.to_string(),
            ReadError::Directory => "it is a directory".to_string(),
            ReadError::NotRegular(kind) => {
                format!("it is {kind}, not a regular file; idpc reads only regular files")
            }
            // One byte past the limit is where reading stopped.
            ReadError::TooLarge { bytes, limit } if *bytes == limit.saturating_add(1) => {
                format!("it is over {limit} bytes; {what} are limited to {limit} bytes")
            }
            ReadError::TooLarge { bytes, limit } => {
                format!("it is {bytes} bytes; {what} are limited to {limit} bytes")
            }
        }
    }
}

/// What a file that is not regular and not a directory is, for messages.
pub fn kind_of(metadata: &Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = metadata.file_type();
        if kind.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    let _ = metadata;
    "not a regular file"
}

/// Reads the regular file at `path` (symbolic links followed), at most
/// `limit` bytes, with its metadata as of the read.
///
/// The path is looked at before it is opened, so a FIFO or a device is
/// refused without opening it; it is opened non-blocking, so a FIFO put in
/// its place in between cannot block the open either, and the opened file
/// is looked at again before anything is read.
pub fn read_regular(path: &Path, limit: u64) -> Result<(Vec<u8>, Metadata), ReadError> {
    let before = std::fs::metadata(path).map_err(ReadError::Io)?;
    refuse_irregular(&before, limit)?;
    let file = open_nonblocking(path).map_err(ReadError::Io)?;
    let metadata = file.metadata().map_err(ReadError::Io)?;
    refuse_irregular(&metadata, limit)?;
    let bytes = read_bounded(file, limit)?;
    Ok((bytes, metadata))
}

/// Reads everything `reader` gives, up to `limit` bytes: one byte more is
/// refused as [`ReadError::TooLarge`], and nothing past it is read.
pub fn read_bounded(reader: impl Read, limit: u64) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            bytes: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

fn refuse_irregular(metadata: &Metadata, limit: u64) -> Result<(), ReadError> {
    if metadata.is_dir() {
        return Err(ReadError::Directory);
    }
    if !metadata.is_file() {
        return Err(ReadError::NotRegular(kind_of(metadata)));
    }
    if metadata.len() > limit {
        return Err(ReadError::TooLarge {
            bytes: metadata.len(),
            limit,
        });
    }
    Ok(())
}

/// Opens `path` for reading without waiting for a FIFO's writer. On a
/// regular file, `O_NONBLOCK` changes nothing.
fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_device_is_refused_before_it_is_read() {
        #[cfg(unix)]
        {
            let err = read_regular(Path::new("/dev/zero"), 16).unwrap_err();
            assert!(matches!(err, ReadError::NotRegular("a character device")));
        }
    }

    #[test]
    fn reading_stops_one_byte_past_the_limit() {
        let err = read_bounded(std::io::repeat(b'x'), 10).unwrap_err();
        assert!(matches!(
            err,
            ReadError::TooLarge {
                bytes: 11,
                limit: 10
            }
        ));
        assert_eq!(read_bounded(&b"0123456789"[..], 10).unwrap().len(), 10);
    }
}
