//! The extent of the item that begins at a given place: a statement, a
//! pool line, or a whole `identity_pool` / `role` block.
//!
//! Suppression comments (`# idpc: allow(...)`) apply to the item on the
//! next line. The syntax tree does not keep every item's full extent (a
//! block's closing brace, a top-level item's keyword), so this asks the
//! grammar again, for the items alone: each kind of item is tried where
//! the comment's item begins, which costs the item's text, not the file's.
//! It runs only for programs that have such comments.

use super::{IdpParser, Rule};
use crate::source::{FileId, Span};
use pest::Parser as _;
use std::collections::HashMap;

/// The items a line can begin (role lines, pool lines, top-level items,
/// rules and tags of a mapping), chosen by their first word: a parse that
/// fails costs pest far more than one that succeeds (it works out where
/// the error is), so only the item that fits is tried.
fn item_rules(line: &str) -> &'static [Rule] {
    if line.starts_with('"') {
        return &[Rule::mapping_rule, Rule::tag_mapping];
    }
    let word = line
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .next()
        .unwrap_or("");
    match word {
        "allow" | "deny" => &[Rule::statement],
        "authenticated" | "unauthenticated" => &[Rule::pool_role],
        "use" if line[3..].trim_start().starts_with('"') => &[Rule::use_file],
        "use" => &[Rule::use_kind, Rule::use_parameter, Rule::use_condition],
        "identity_pool" => &[Rule::identity_pool],
        "role" => &[Rule::role_decl],
        "output" => &[Rule::output],
        "provider" => &[Rule::provider],
        "map" => &[Rule::role_mapping],
        "name" => &[Rule::pool_name],
        "tag" => &[Rule::pool_tag],
        "principal_tags" => &[Rule::principal_tags],
        "classic_flow" => &[Rule::classic_flow],
        "guests" => &[Rule::guests],
        "otherwise" => &[Rule::otherwise],
        "policy" => &[Rule::policy_name],
        "managed_policy" => &[Rule::managed_policy],
        "boundary" => &[Rule::boundary],
        "attachment" => &[Rule::attachment],
        "deletion_policy" => &[Rule::deletion_policy],
        "update_replace_policy" => &[Rule::update_replace_policy],
        "depends_on" => &[Rule::depends_on],
        "metadata" => &[Rule::metadata],
        "role_name" => &[Rule::role_name],
        "description" => &[Rule::role_description],
        "max_session_duration" => &[Rule::max_session_duration],
        "path" => &[Rule::role_path],
        _ => &[],
    }
}

/// For each offset, the span of the largest grammar node that starts
/// exactly there, if any. An offset inside a token, or a program that does
/// not parse, gives `None`.
pub fn items_starting_at(source: &str, file: FileId, offsets: &[usize]) -> Vec<Option<Span>> {
    let mut ends: Vec<Option<usize>> = offsets
        .iter()
        .map(|&offset| {
            let rest = source.get(offset..)?;
            item_rules(rest).iter().find_map(|rule| {
                let pair = IdpParser::parse(*rule, rest).ok()?.next()?;
                Some(offset + pair.as_span().end())
            })
        })
        .collect();
    // Elsewhere (inside a statement, say), the largest node of the whole
    // program that starts there.
    if ends.iter().any(Option::is_none) {
        let mut largest: HashMap<usize, usize> = offsets
            .iter()
            .zip(&ends)
            .filter(|(_, end)| end.is_none())
            .map(|(offset, _)| (*offset, 0))
            .collect();
        if let Ok(pairs) = IdpParser::parse(Rule::program, source) {
            for pair in pairs.flatten() {
                let span = pair.as_span();
                if let Some(end) = largest.get_mut(&span.start()) {
                    *end = (*end).max(span.end());
                }
            }
        }
        for (offset, end) in offsets.iter().zip(&mut ends) {
            if end.is_none() {
                *end = largest.get(offset).copied();
            }
        }
    }
    offsets
        .iter()
        .zip(ends)
        .map(|(&offset, end)| {
            // A node may end with the blanks the grammar skipped after it.
            let text = source.get(offset..end?).unwrap_or("").trim_end();
            (!text.is_empty()).then(|| Span::new(file, offset, offset + text.len()))
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
        let spans = items_starting_at(source, 0, &[role, statement]);
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

#[cfg(test)]
mod attribute_lines {
    use super::items_starting_at;

    /// The lines of issue 16's first slice are items too: a comment above
    /// one applies to that line, whole (a list of names included).
    #[test]
    fn each_new_line_is_an_item() {
        let source = "identity_pool P {\n  attachment A\n  deletion_policy retain\n  depends_on A, B\n  metadata \"{}\"\n  authenticated role {\n    role_name \"r\"\n    max_session_duration 3600\n    path \"/\"\n    description \"d\"\n  }\n}\n";
        for line in [
            "attachment A",
            "deletion_policy retain",
            "depends_on A, B",
            "metadata \"{}\"",
            "role_name \"r\"",
            "max_session_duration 3600",
            "path \"/\"",
            "description \"d\"",
        ] {
            let at = source.find(line).unwrap_or(0);
            let span = items_starting_at(source, 0, &[at])[0];
            let text = span.map(|s| &source[s.start..s.end]);
            assert_eq!(text, Some(line));
        }
    }
}
