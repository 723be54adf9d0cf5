//! `idpc fmt`: one canonical layout for `.idp` programs.
//!
//! Beside the pipeline, it reuses its first stage: the program is parsed
//! with [`crate::syntax::parse`], and the syntax tree, whose nodes carry
//! their spans, is turned into `tree::Node`s: the lines and blocks of
//! the output, made of words that remember where they were written.
//! The grammar drops comments, so `syntax::trivia` recovers them from the text
//! between tokens, and each is attached to the word it precedes; the
//! printer (`layout`) puts it back beside the word it followed on its
//! line, or on its own line above the word it came before.
//!
//! The layout:
//!
//! - two spaces of indentation per block, one item or statement per line,
//!   single spaces between words, `{` on the line that opens the block;
//! - blank lines between items are kept, collapsed to one; none after `{`,
//!   before `}` or at the start of the file;
//! - a line longer than [`WIDTH`] characters is broken: a statement puts
//!   each of `on`, `when` and `and` on its own line, two spaces in, and a
//!   list (actions, resources, `use` names, condition values) fills each
//!   line, continuing under its first element;
//! - a comment inside an item breaks the item there, so that the comment
//!   stays beside the word it was written beside; comments on their own
//!   line (such as `# idpc: allow(...)` suppressions) stay directly above
//!   the item they were above.
//!
//! Formatting never changes what the program means: the output parses to
//! the same syntax tree, and so compiles to the same CloudFormation.

mod layout;
mod tree;

use crate::source::FileId;
use crate::syntax::ast::Program;
use crate::syntax::{self, ParseError};

/// The column a line should not pass, when it can be broken.
pub const WIDTH: usize = 100;

/// Formats a program, the text of `file`; the error is the program's parse
/// error.
pub fn format(source: &str, file: FileId) -> Result<String, ParseError> {
    let parsed = syntax::parse(source, file)?;
    let comments = crate::syntax::trivia::comments(source);
    let mut nodes = tree::nodes(parsed.program(), source);
    let leftover = tree::attach(&mut nodes, &comments);
    Ok(layout::print(&nodes, &leftover, &comments, source))
}

/// Comments for [`print()`], which a syntax tree does not hold.
#[derive(Clone, Debug, Default)]
pub struct Remarks {
    /// Comment lines (with their `#`) at the top of the file, followed by
    /// a blank line.
    pub header: Vec<String>,
    /// Comment lines (with their `#`) each printed on a line of its own
    /// directly above the line of a pool's or role's body (such as a
    /// statement) whose node has the span.
    pub above: Vec<(crate::source::Span, String)>,
}

/// Prints a program built in memory (such as `idpc import`'s), with no
/// source text, in the layout [`format()`] gives: formatting the output
/// changes nothing. Blank lines separate top-level items, but runs of
/// `use` lines and of `output` lines, and a pool's body lines, but runs of
/// its settings (`name`, `classic_flow`, `provider`, `tag`).
pub fn print(program: &Program, remarks: &Remarks) -> String {
    let (nodes, comments) = tree::nodes_without_source(program, remarks);
    layout::print(&nodes, &[], &comments, "")
}

/// The text of every comment of a program that parses, in source order,
/// without trailing blanks: what formatting must keep.
pub fn comment_texts(source: &str) -> Vec<String> {
    crate::syntax::trivia::comments(source)
        .into_iter()
        .map(|comment| comment.text)
        .collect()
}
