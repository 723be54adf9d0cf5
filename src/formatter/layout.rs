//! Prints nodes as lines: indentation, blank lines, breaking long lines,
//! and putting comments back.

use super::WIDTH;
use super::tree::{Break, Node, Word};
use crate::syntax::trivia::{self, Comment};

/// The spaces one block level adds.
const INDENT: usize = 2;
/// How much further a line broken where no clause or list breaks goes in.
const CONTINUATION: usize = 4;

/// The formatted program: `nodes`, then the comments after the last one.
pub(super) fn print(
    nodes: &[Node],
    leftover: &[usize],
    comments: &[Comment],
    source: &str,
) -> String {
    let mut printer = Printer {
        comments,
        source,
        lines: Vec::new(),
        open: false,
        block_start: 0,
    };
    for node in nodes {
        printer.node(node, 0);
    }
    printer.put_comments(leftover, 0, true);
    let mut text = printer.lines.join("\n");
    if !text.is_empty() {
        text.push('\n');
    }
    text
}

struct Printer<'a> {
    comments: &'a [Comment],
    source: &'a str,
    lines: Vec<String>,
    /// Whether the last line ends with code, so a trailing comment can
    /// follow it.
    open: bool,
    /// The number of lines when the current block opened: no blank line
    /// goes right after `{` (or at the top of the file).
    block_start: usize,
}

impl Printer<'_> {
    fn node(&mut self, node: &Node, indent: usize) {
        let Some(first) = node.first() else {
            return;
        };
        self.put_comments(&first.comments, indent, true);
        if first.blank || trivia::blank_before(self.source, first.start) {
            self.blank();
        }
        match node {
            Node::Line(words) => self.words(words, indent),
            Node::Block {
                header,
                body,
                close,
            } => {
                self.words(header, indent);
                if body.is_empty() && close.comments.is_empty() {
                    self.append("}");
                    return;
                }
                let outer = self.block_start;
                self.block_start = self.lines.len();
                for node in body {
                    self.node(node, indent + INDENT);
                }
                self.put_comments(&close.comments, indent + INDENT, true);
                self.block_start = outer;
                self.line(indent, &close.text);
            }
        }
    }

    /// One item's words: on one line when they fit and no comment is
    /// among them, else broken at its clauses and full lists.
    fn words(&mut self, words: &[Word], indent: usize) {
        let Some((first, rest)) = words.split_first() else {
            return;
        };
        let commented = rest.iter().any(|word| !word.comments.is_empty());
        let mut flat = first.text.clone();
        for word in rest {
            if word.brk != Break::GluedListHead {
                flat.push(' ');
            }
            flat.push_str(&word.text);
        }
        if !commented && indent + width(&flat) <= WIDTH {
            self.line(indent, &flat);
            return;
        }
        self.line(indent, &first.text);
        let mut column = indent + width(&first.text);
        let mut clause = indent;
        let mut list = indent + CONTINUATION;
        for word in rest {
            let target = match word.brk {
                Break::Clause => indent + INDENT,
                Break::Fill => list,
                // Right after the `[`.
                Break::GluedListHead => column,
                Break::Space | Break::ListHead => clause + CONTINUATION,
            };
            let forced = !word.comments.is_empty();
            self.put_comments(&word.comments, target, false);
            let full = column + 1 + width(&word.text) > WIDTH;
            if forced || word.brk == Break::Clause || (word.brk == Break::Fill && full) {
                if word.brk == Break::Clause {
                    clause = target;
                }
                self.line(target, &word.text);
                column = target;
            } else {
                if word.brk != Break::GluedListHead {
                    self.append(" ");
                    column += 1;
                }
                self.append(&word.text);
            }
            if matches!(word.brk, Break::ListHead | Break::GluedListHead) {
                list = column;
            }
            column += width(&word.text);
        }
    }

    /// Puts comments back: one that followed code on its line follows the
    /// last line; the others get lines of their own at `indent`, with the
    /// blank line before them kept where `blank_lines`.
    fn put_comments(&mut self, which: &[usize], indent: usize, blank_lines: bool) {
        for &index in which {
            let Some(comment) = self.comments.get(index) else {
                continue;
            };
            if comment.trailing && self.open {
                self.append(" ");
                self.append(&comment.text);
                self.open = false;
                continue;
            }
            if blank_lines && comment.blank_before {
                self.blank();
            }
            self.line(indent, &comment.text);
            self.open = false;
        }
    }

    fn line(&mut self, indent: usize, text: &str) {
        self.lines.push(format!("{}{text}", " ".repeat(indent)));
        self.open = true;
    }

    fn append(&mut self, text: &str) {
        if let Some(last) = self.lines.last_mut() {
            last.push_str(text);
        }
    }

    /// A blank line, unless at the top of a block or after another.
    fn blank(&mut self) {
        let at_top = self.lines.len() == self.block_start;
        if !at_top && self.lines.last().is_some_and(|line| !line.is_empty()) {
            self.lines.push(String::new());
            self.open = false;
        }
    }
}

/// Width in characters (strings may hold any Unicode).
fn width(text: &str) -> usize {
    text.chars().count()
}
