//! Source text: the files a command read ([`Sources`]), and places in them
//! ([`Span`]), each knowing its file.
//!
//! A leaf: every stage (the syntax tree, the stack reader, `idpc.toml`,
//! `import`) holds positions as [`Span`]s, so any diagnostic can point into
//! any file the command read. A node a stage invents rather than reads has a
//! [`Span::synthetic`] span, which diagnostics never underline.

use codespan_reporting::files::{Files as _, SimpleFiles};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Identifies a source file within [`Sources`].
pub type FileId = usize;

/// The file of [`Span::synthetic`] spans: no file [`Sources`] ever holds.
const SYNTHETIC: FileId = FileId::MAX;

/// A byte range in one source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    /// The file it is in.
    pub file: FileId,
    /// Offset of the first byte.
    pub start: usize,
    /// Offset one past the last byte.
    pub end: usize,
}

impl Span {
    /// The span from `start` to `end` in `file`.
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span { file, start, end }
    }

    /// The span of a node no file holds: one a stage invents (a default it
    /// fills in). Diagnostics never underline it.
    pub fn synthetic() -> Span {
        Span::new(SYNTHETIC, 0, 0)
    }

    /// Whether this is a [`Span::synthetic`] span.
    pub fn is_synthetic(self) -> bool {
        self.file == SYNTHETIC
    }

    /// The smallest span covering both (in the first one's file).
    pub fn to(self, other: Span) -> Span {
        Span::new(
            self.file,
            self.start.min(other.start),
            self.end.max(other.end),
        )
    }

    /// The same place moved `by` bytes on: a span found in a slice of the
    /// file that starts `by` bytes in.
    pub fn shifted(self, by: usize) -> Span {
        Span::new(self.file, self.start + by, self.end + by)
    }

    /// The byte range, for slicing the file's text.
    pub fn range(self) -> std::ops::Range<usize> {
        self.start..self.end
    }
}

/// The source files diagnostics can point into.
#[derive(Default)]
pub struct Sources {
    files: SimpleFiles<String, String>,
    count: usize,
    /// Canonical path → id of the files read from disk, so a file read
    /// twice (named by two `use` lines, or included twice) is one file.
    by_path: HashMap<PathBuf, FileId>,
}

impl Sources {
    /// An empty set of files.
    pub fn new() -> Sources {
        Sources::default()
    }

    /// Adds a file under the name it is shown with.
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> FileId {
        self.count += 1;
        self.files.add(name.into(), text.into())
    }

    /// Adds the file read from `canonical` (its canonical path), shown as
    /// `name`, unless a file from that path was added already: then its
    /// id, and the text first added stays.
    pub fn add_read(
        &mut self,
        canonical: &Path,
        name: impl Into<String>,
        text: impl Into<String>,
    ) -> FileId {
        if let Some(id) = self.read_from(canonical) {
            return id;
        }
        let id = self.add(name, text);
        self.by_path.insert(canonical.to_path_buf(), id);
        id
    }

    /// The id of the file added by [`Sources::add_read`] from `canonical`.
    pub fn read_from(&self, canonical: &Path) -> Option<FileId> {
        self.by_path.get(canonical).copied()
    }

    /// The id the next [`Sources::add`] returns: for spans found in a text
    /// before it is added (a file that turns out not to be UTF-8).
    pub fn next_id(&self) -> FileId {
        self.count
    }

    /// The file's shown name.
    pub fn name(&self, file: FileId) -> &str {
        self.files
            .get(file)
            .map(|f| f.name().as_str())
            .unwrap_or("")
    }

    /// The file's text.
    pub fn text(&self, file: FileId) -> &str {
        self.files
            .get(file)
            .map(|f| f.source().as_str())
            .unwrap_or("")
    }

    /// The files, as codespan-reporting reads them.
    pub(crate) fn files(&self) -> &SimpleFiles<String, String> {
        &self.files
    }

    /// 1-based line and column of a byte offset.
    pub fn line_col(&self, file: FileId, offset: usize) -> (usize, usize) {
        let Ok(f) = self.files.get(file) else {
            return (1, 1);
        };
        let text = f.source().as_str();
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        // codespan finds the line by binary search over the line starts:
        // counting the newlines before each label made JSON output of many
        // diagnostics quadratic (50,000 errors in 2 MB: 20 s).
        match self.files.location(file, offset) {
            Ok(location) => (location.line_number, location.column_number),
            Err(_) => (1, 1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_synthetic_span_is_never_underlined() {
        use crate::diag::{Code, Diagnostic, render_json, render_plain};
        let mut sources = Sources::new();
        let file = sources.add("a.idp", "use bucket A\n");
        let diagnostic = Diagnostic::new(Code::W0101, "unused", Span::new(file, 11, 12))
            .with_secondary(Span::synthetic(), "invented");
        let shown = render_plain(std::slice::from_ref(&diagnostic), &sources);
        assert!(shown.contains("a.idp:1:12"), "{shown}");
        assert!(!shown.contains("invented"), "{shown}");
        let json = render_json(&[diagnostic], &sources);
        assert!(!json.contains("invented"), "{json}");
    }

    #[test]
    fn a_file_read_twice_is_one_file() {
        let mut sources = Sources::new();
        let path = Path::new("/stack/serverless.yml");
        let first = sources.add_read(path, "serverless.yml", "service: a\n");
        let again = sources.add_read(path, "./serverless.yml", "service: b\n");
        assert_eq!(first, again);
        assert_eq!(sources.read_from(path), Some(first));
        assert_eq!(sources.text(first), "service: a\n");
        assert_eq!(sources.name(first), "serverless.yml");
        let other = sources.add_read(Path::new("/stack/other.yml"), "other.yml", "");
        assert_ne!(other, first);
    }

    #[test]
    fn a_synthetic_span_is_in_no_file() {
        let mut sources = Sources::new();
        let file = sources.add("a.idp", "use bucket A\n");
        assert!(Span::synthetic().is_synthetic());
        assert!(!Span::new(file, 0, 3).is_synthetic());
        assert_eq!(sources.name(Span::synthetic().file), "");
        assert_eq!(sources.next_id(), file + 1);
    }
}
