//! What the grammar skips: blanks and comments.
//!
//! `COMMENT` is silent in `grammar/idp.pest`, so comments are found in the
//! source text. A `#` starts one unless it is inside a string; no other
//! token (names, actions, paths, condition keys) may contain `#` or `"`, so
//! in a program that parses, a scan that steps over strings (and their
//! `\"` escapes) finds exactly the comments pest skipped. `idpc fmt` keeps
//! them; suppression comments (`# idpc: allow(...)`) are read from them.

/// A comment as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Comment {
    /// Where its `#` is.
    pub start: usize,
    /// From `#` to the end of the line, without trailing blanks.
    pub text: String,
    /// Whether code precedes it on its line (`allow ... # why`), rather
    /// than it standing on a line of its own.
    pub trailing: bool,
    /// Whether a blank line separates it from what comes before.
    pub blank_before: bool,
}

/// Every comment of `source`, in order.
pub(crate) fn comments(source: &str) -> Vec<Comment> {
    let bytes = source.as_bytes();
    let mut found = Vec::new();
    let mut pos = 0;
    let mut line_start = 0;
    while let Some(&byte) = bytes.get(pos) {
        match byte {
            b'"' => pos = string_end(bytes, pos + 1),
            b'\n' => {
                pos += 1;
                line_start = pos;
            }
            b'#' => {
                let end = line_end(bytes, pos);
                found.push(Comment {
                    start: pos,
                    text: source[pos..end].trim_end().to_string(),
                    trailing: !source[line_start..pos].trim().is_empty(),
                    blank_before: blank_before(source, pos),
                });
                pos = end;
            }
            _ => pos += 1,
        }
    }
    found
}

/// Where the token after `pos` starts, skipping blanks and comments.
pub(crate) fn skip(source: &str, mut pos: usize) -> usize {
    let bytes = source.as_bytes();
    while let Some(&byte) = bytes.get(pos) {
        match byte {
            b' ' | b'\t' | b'\r' | b'\n' => pos += 1,
            b'#' => pos = line_end(bytes, pos),
            _ => break,
        }
    }
    pos
}

/// Whether the blanks just before `pos` hold an empty line.
pub(crate) fn blank_before(source: &str, pos: usize) -> bool {
    let before = &source[..pos.min(source.len())];
    let blanks = before.len() - before.trim_end_matches([' ', '\t', '\r', '\n']).len();
    before[before.len() - blanks..].matches('\n').count() >= 2
}

/// The offset just past the string whose contents start at `pos`.
fn string_end(bytes: &[u8], mut pos: usize) -> usize {
    while let Some(&byte) = bytes.get(pos) {
        match byte {
            b'\\' => pos += 2,
            b'"' => return pos + 1,
            // Strings never span lines; stop rather than swallow the file.
            b'\n' => return pos,
            _ => pos += 1,
        }
    }
    pos
}

/// The offset of the newline ending the line at `pos` (or the end).
fn line_end(bytes: &[u8], pos: usize) -> usize {
    bytes[pos..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |n| pos + n)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    fn texts(source: &str) -> Vec<String> {
        comments(source).into_iter().map(|c| c.text).collect()
    }

    #[test]
    fn a_hash_inside_a_string_is_not_a_comment() {
        let source = "name \"a#b\" # real\ntag \"\\\"#\" = \"x\\\\\" # also\n";
        assert_eq!(texts(source), ["# real", "# also"]);
    }

    #[test]
    fn trailing_and_own_line_comments_are_told_apart() {
        let found = comments("use bucket A # after\n\n  # above\nuse bucket B\n");
        assert!(found[0].trailing && !found[0].blank_before);
        assert!(!found[1].trailing && found[1].blank_before);
    }

    #[test]
    fn skip_steps_over_blanks_and_comments() {
        let source = "a  # c { }\n\t b";
        assert_eq!(&source[skip(source, 1)..], "b");
    }
}
