//! Errors of the stack reader, with positions the diagnostics can render.

use crate::source::{Sources, Span};
use std::fmt;
use std::path::{Path, PathBuf};

/// Why a stack could not be read.
///
/// Every error names the file it is about ([`StackError::file`]). When the
/// file was read, it is in the [`Sources`] the reader was given, and
/// [`StackError::span`] / [`StackError::line_col`] point into it. When the
/// file was reached through `${file(...)}` includes,
/// [`StackError::included_from`] lists the include sites, outermost first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackError {
    /// What went wrong.
    pub kind: StackErrorKind,
    /// The file the error is about: the missing, unreadable or malformed file.
    pub file: PathBuf,
    /// Where in [`Self::file`] the error points, when known.
    pub span: Option<Span>,
    /// 1-based line and column (in characters) of the start of [`Self::span`].
    pub line_col: Option<(usize, usize)>,
    /// The `${file(...)}` include sites that led to [`Self::file`], outermost
    /// first: the last one is the include in the file that named this one.
    /// Empty for the file passed to [`super::read_stack`].
    pub included_from: Vec<IncludeSite>,
}

/// One `${file(...)}` reference that was followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncludeSite {
    /// The file holding the `${file(...)}` string.
    pub file: PathBuf,
    /// The `${file(...)}` string in [`Self::file`].
    pub span: Span,
    /// 1-based line and column of the start of [`Self::span`].
    pub line_col: (usize, usize),
}

/// The kinds of [`StackError`].
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StackErrorKind {
    /// The file (the one named, or an include) does not exist.
    /// [`StackError::file`] is the resolved path that was looked for.
    NotFound,
    /// The file exists but could not be read (permissions, a directory, an
    /// I/O error); the string is the operating system's reason.
    Unreadable(String),
    /// The file is not valid UTF-8; the span points at the first bad byte.
    NotUtf8,
    /// The file is larger than [`super::Limits::max_file_bytes`]; returned
    /// before the file is read.
    TooLarge {
        /// Size of the file in bytes (at least `limit + 1`).
        bytes: u64,
        /// The limit in force.
        limit: u64,
    },
    /// The file is not well-formed YAML/JSON, or is not shaped like a stack
    /// where it must be (for example a resource without `Type`, or
    /// `Resources` that is not a mapping). The string says what is wrong;
    /// the span and line/column say where.
    Malformed(String),
    /// The document nests deeper than [`super::Limits::max_depth`].
    TooDeep {
        /// The limit in force.
        limit: usize,
    },
    /// YAML aliases would expand past [`super::Limits::max_aliases`] or
    /// [`super::Limits::max_alias_expansion`] (a "billion laughs" document).
    /// The string is the parser's detail.
    AliasBudget(String),
    /// The document has more nodes or scalar bytes than
    /// [`super::Limits::max_nodes`] allows. The string is the parser's detail.
    TooComplex(String),
    /// `${file(...)}` includes form a cycle. The list is the chain of files,
    /// starting and ending with the same file.
    IncludeCycle(Vec<PathBuf>),
    /// Following `${file(...)}` references would follow more than
    /// [`super::Limits::max_includes`] of them (counting each time one is
    /// followed, so a file included twice counts twice).
    TooManyIncludes {
        /// The limit in force.
        limit: usize,
    },
    /// The named file is neither a CloudFormation template (or `resources:`
    /// fragment with `Resources`) nor a `serverless.yml` (top level with
    /// `service`, `provider` or `functions`).
    NotAStack,
}

impl StackError {
    /// An error about `file` with no position.
    pub(crate) fn new(kind: StackErrorKind, file: &Path) -> Self {
        StackError {
            kind,
            file: file.to_path_buf(),
            span: None,
            line_col: None,
            included_from: Vec::new(),
        }
    }

    /// An error pointing at `span` in `file`, one of `sources`.
    pub(crate) fn at(kind: StackErrorKind, file: &Path, sources: &Sources, span: Span) -> Self {
        StackError {
            kind,
            file: file.to_path_buf(),
            line_col: Some(line_col(sources.text(span.file), span.start)),
            span: Some(span),
            included_from: Vec::new(),
        }
    }
}

impl fmt::Display for StackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some((line, col)) = self.line_col {
            write!(f, ":{line}:{col}")?;
        }
        write!(f, ": {}", self.kind)?;
        for site in self.included_from.iter().rev() {
            let (line, col) = site.line_col;
            write!(f, "\n  included from {}:{line}:{col}", site.file.display())?;
        }
        Ok(())
    }
}

impl fmt::Display for StackErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StackErrorKind::NotFound => f.write_str("file not found"),
            StackErrorKind::Unreadable(why) => write!(f, "cannot read the file: {why}"),
            StackErrorKind::NotUtf8 => f.write_str("the file is not valid UTF-8"),
            StackErrorKind::TooLarge { bytes, limit } => write!(
                f,
                "the file is too large ({bytes} bytes; the limit is {limit} bytes)"
            ),
            StackErrorKind::Malformed(why) => f.write_str(why),
            StackErrorKind::TooDeep { limit } => {
                write!(f, "the document nests deeper than {limit} levels")
            }
            StackErrorKind::AliasBudget(why) => {
                write!(f, "YAML aliases expand too much ({why})")
            }
            StackErrorKind::TooComplex(why) => write!(f, "the document is too large ({why})"),
            StackErrorKind::IncludeCycle(chain) => {
                f.write_str("`${file(...)}` includes form a cycle: ")?;
                for (i, p) in chain.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" -> ")?;
                    }
                    write!(f, "{}", p.display())?;
                }
                Ok(())
            }
            StackErrorKind::TooManyIncludes { limit } => {
                write!(
                    f,
                    "more than {limit} `${{file(...)}}` includes were followed"
                )
            }
            StackErrorKind::NotAStack => f.write_str(
                "neither a CloudFormation template (no `Resources`) nor a serverless.yml \
                 (no `service`, `provider` or `functions`)",
            ),
        }
    }
}

impl std::error::Error for StackError {}

/// 1-based line and column (in characters) of byte offset `at` in `text`.
///
/// An offset past the end, or inside a character, is clamped to the
/// nearest character boundary before it.
pub fn line_col(text: &str, at: usize) -> (usize, usize) {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

/// Byte offset of 1-based `line` and 1-based character `col` in `text`,
/// clamped to the text.
pub(crate) fn offset_of(text: &str, line: usize, col: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let line_text = &text[start..];
    let line_end = line_text.find('\n').unwrap_or(line_text.len());
    match line_text[..line_end]
        .char_indices()
        .nth(col.saturating_sub(1))
    {
        Some((i, _)) => start + i,
        None => start + line_end,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let text = "a: b\nbü: [1,\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 5), (2, 1));
        assert_eq!(line_col(text, 9), (2, 4));
        assert_eq!(offset_of(text, 2, 4), 9);
        assert_eq!(offset_of(text, 9, 9), text.len());
    }
}
