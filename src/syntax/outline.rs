//! The extent of the item that begins at a given place: a statement, a
//! pool line, or a whole `identity_pool` / `role` block.
//!
//! Suppression comments (`# idpc: allow(...)`) apply to the item on the
//! next line. The syntax tree does not keep every item's full extent (a
//! block's closing brace, a top-level item's keyword), so this asks the
//! grammar again; it runs only for programs that have such comments.

use super::{IdpParser, Rule};
use crate::syntax::ast::Span;
use pest::Parser as _;
use std::collections::HashMap;

/// For each offset, the span of the largest grammar node that starts
/// exactly there, if any. An offset inside a token, or a program that does
/// not parse, gives `None`.
pub fn items_starting_at(source: &str, offsets: &[usize]) -> Vec<Option<Span>> {
    let mut ends: HashMap<usize, usize> = offsets.iter().map(|offset| (*offset, 0)).collect();
    if let Ok(pairs) = IdpParser::parse(Rule::program, source) {
        for pair in pairs.flatten() {
            let span = pair.as_span();
            if let Some(end) = ends.get_mut(&span.start()) {
                *end = (*end).max(span.end());
            }
        }
    }
    offsets
        .iter()
        .map(|offset| match ends.get(offset) {
            // A node may end with the blanks the grammar skipped after it.
            Some(end) if *end > *offset => {
                let text = source.get(*offset..*end).unwrap_or("");
                Some(Span::new(*offset, *offset + text.trim_end().len()))
            }
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::items_starting_at;

    #[test]
    fn a_statement_and_a_whole_block() {
        let source = "# shared\nrole R {\n  allow s3:GetObject on *\n}\n";
        let role = source.find("role R").unwrap_or(0);
        let statement = source.find("allow").unwrap_or(0);
        let spans = items_starting_at(source, &[role, statement]);
        assert_eq!(
            spans[0].map(|s| &source[s.start..s.end]),
            Some(source[role..].trim_end())
        );
        assert_eq!(
            spans[1].map(|s| &source[s.start..s.end]),
            Some("allow s3:GetObject on *")
        );
    }
}
