//! Positions and file names as the protocol has them: lines and UTF-16
//! code units (the protocol's default encoding, which idpc does not
//! negotiate away), and `file://` URIs.

use lsp_types::{Position, Range, Uri};
use std::path::{Component, Path, PathBuf};
use std::str::FromStr;

/// Where each line of a text starts, to turn byte offsets into positions
/// and back.
pub(crate) struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    /// The index of `text`.
    pub(crate) fn new(text: &'t str) -> LineIndex<'t> {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(at, _)| at + 1))
            .collect();
        LineIndex { text, starts }
    }

    /// The position of a byte offset (clamped to the text, and back to the
    /// start of a character it falls inside).
    pub(crate) fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&start| start <= offset).max(1) - 1;
        let start = self.starts.get(line).copied().unwrap_or(0);
        let character = self
            .text
            .get(start..offset)
            .map_or(0, |before| before.encode_utf16().count());
        Position::new(to_u32(line), to_u32(character))
    }

    /// The range of a byte span.
    pub(crate) fn range(&self, start: usize, end: usize) -> Range {
        Range::new(self.position(start), self.position(end))
    }

    /// The byte offset of a position; a position past the end of its line
    /// is the line's end, past the last line the text's end.
    pub(crate) fn offset(&self, position: Position) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else {
            return self.text.len();
        };
        let line = self.text.get(start..).unwrap_or("");
        let mut units = 0;
        for (at, c) in line.char_indices() {
            if c == '\n' || units >= position.character as usize {
                return start + at;
            }
            units += c.len_utf16();
        }
        self.text.len()
    }

    /// 1-based line number of a byte offset.
    pub(crate) fn line_number(&self, offset: usize) -> usize {
        self.position(offset).line as usize + 1
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The path of a `file://` URI (percent-decoded); `None` for any other
/// scheme (an unsaved buffer).
pub(crate) fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // `file://host/path`: only the local host (empty) is a path here.
    let path = rest.strip_prefix("localhost").unwrap_or(rest);
    if !path.starts_with('/') {
        return None;
    }
    let bytes = percent_decode(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        Some(PathBuf::from(std::ffi::OsString::from_vec(bytes)))
    }
    #[cfg(not(unix))]
    {
        String::from_utf8(bytes).ok().map(PathBuf::from)
    }
}

fn percent_decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while let Some(&b) = bytes.get(at) {
        if b == b'%' {
            let hex = text.get(at + 1..at + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            at += 3;
        } else {
            out.push(b);
            at += 1;
        }
    }
    Some(out)
}

/// The `file://` URI of an absolute path, with everything but unreserved
/// characters and `/` percent-encoded.
pub(crate) fn path_to_uri(path: &Path) -> Option<Uri> {
    if !path.is_absolute() {
        return None;
    }
    let path = normalize(path);
    let text = path.to_str()?;
    let mut uri = String::from("file://");
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.' | b'~') {
            uri.push(char::from(b));
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    Uri::from_str(&uri).ok()
}

/// The path with `.` and `..` components removed (lexically, as an
/// editor names files): `base/sub/../serverless.yml` is
/// `base/serverless.yml`.
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units() {
        // `é` is 2 bytes and 1 unit; `𝄞` is 4 bytes and 2 units.
        let text = "# é𝄞\nallow x";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap_or(0);
        assert_eq!(index.position(x), Position::new(1, 6));
        let after = text.find('\n').unwrap_or(0);
        assert_eq!(index.position(after), Position::new(0, 5));
        assert_eq!(index.offset(Position::new(0, 5)), after);
        assert_eq!(index.offset(Position::new(1, 6)), x);
        assert_eq!(index.offset(Position::new(9, 0)), text.len());
    }

    #[test]
    fn uris_round_trip_paths_with_spaces() {
        let path = Path::new("/tmp/my app/notes é.idp");
        let uri = path_to_uri(path);
        assert_eq!(
            uri.as_ref().map(|u| u.as_str()),
            Some("file:///tmp/my%20app/notes%20%C3%A9.idp")
        );
        assert_eq!(uri.and_then(|u| uri_to_path(&u)), Some(path.to_path_buf()));
    }

    #[test]
    fn parent_components_are_removed() {
        assert_eq!(
            normalize(Path::new("/a/b/../serverless.yml")),
            PathBuf::from("/a/serverless.yml")
        );
    }
}
