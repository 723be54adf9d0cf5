//! Template text as the syntax tree's [`Text`]: strings, resource paths and
//! policy variables (`${cognito-identity.amazonaws.com:sub}` → `$<sub>`).

use crate::check::policy_vars::{self, COGNITO_PREFIX, COGNITO_SHORT};
use crate::syntax::ast::{Span, Spanned, Text, TextPart};

/// How the program names a policy variable written `${key}` in a template,
/// if `key` is one: `sub` for the Cognito identity, the key itself
/// otherwise. Anything else in `${...}` is a Serverless variable.
pub(crate) fn policy_var(key: &str) -> Option<String> {
    policy_vars::resolve(key)?;
    if let Some(short) = key.strip_prefix(COGNITO_PREFIX)
        && COGNITO_SHORT.contains(&short)
    {
        return Some(short.to_owned());
    }
    Some(key.to_owned())
}

/// The policy variables written `${key}` in template text, each as written
/// inside the braces.
pub(crate) fn policy_variables_in(text: &str) -> Vec<&str> {
    pieces(text)
        .into_iter()
        .filter_map(|piece| match piece {
            Piece::Variable(inner) if policy_vars::resolve(inner).is_some() => Some(inner),
            _ => None,
        })
        .collect()
}

/// One piece of template text.
enum Piece<'a> {
    Literal(&'a str),
    /// `${...}` with what is inside.
    Variable(&'a str),
}

/// Splits text at `${...}` (one level; Serverless nests `${a, ${b}}`,
/// which is kept whole).
fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let mut depth = 1usize;
        let mut end = None;
        let mut i = 0;
        let bytes = after.as_bytes();
        while i < bytes.len() {
            if bytes[i..].starts_with(b"${") {
                depth += 1;
                i += 2;
                continue;
            }
            if bytes[i] == b'}' {
                depth -= 1;
                if depth == 0 {
                    end = Some(i);
                    break;
                }
            }
            i += 1;
        }
        let Some(end) = end else {
            break;
        };
        if start > 0 {
            out.push(Piece::Literal(&rest[..start]));
        }
        out.push(Piece::Variable(&after[..end]));
        rest = &after[end + 1..];
    }
    if !rest.is_empty() {
        out.push(Piece::Literal(rest));
    }
    out
}

/// A `#` comment holding template text, which stays inert: it starts with
/// `label` (such as `Sid: `), so it never reads as a suppression comment
/// (`# idpc: ...`, which must start right after the `#`), and every control
/// character, line break included (LF, CR, NEL, U+2028, U+2029), becomes a
/// space, so the text cannot end the comment and start a line of program.
pub(crate) fn inert_comment(label: &str, text: &str) -> String {
    let mut out = format!("# {label}");
    out.extend(text.chars().map(|c| {
        if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
            ' '
        } else {
            c
        }
    }));
    out.truncate(out.trim_end().len());
    out
}

/// `text` as a string of the program, its parts spanning `span` (the
/// template node it came from).
pub(crate) fn string(text: &str, span: Span) -> Text {
    let mut parts: Vec<Spanned<TextPart>> = Vec::new();
    for piece in pieces(text) {
        let part = match piece {
            Piece::Variable(inner) => match policy_var(inner) {
                Some(var) => TextPart::PolicyVar(var),
                None => TextPart::ServerlessVar(format!("${{{inner}}}")),
            },
            Piece::Literal(literal) => TextPart::Literal(literal.to_owned()),
        };
        push(&mut parts, part, span);
    }
    Text { parts, span }
}

/// `text` as the name of `$(import NAME)`, if its grammar can write it:
/// literal characters other than `)`, a quote, a backslash, `$` and white
/// space, and Serverless variables.
pub(crate) fn export_name(text: &str, span: Span) -> Option<Text> {
    let mut parts: Vec<Spanned<TextPart>> = Vec::new();
    for piece in pieces(text) {
        let part = match piece {
            Piece::Variable(inner)
                if policy_var(inner).is_none() && !inner.contains(['"', '\n']) =>
            {
                TextPart::ServerlessVar(format!("${{{inner}}}"))
            }
            Piece::Literal(literal) if literal.chars().all(is_export_name_char) => {
                TextPart::Literal(literal.to_owned())
            }
            _ => return None,
        };
        push(&mut parts, part, span);
    }
    Some(Text { parts, span })
}

fn is_export_name_char(c: char) -> bool {
    !matches!(c, ')' | '"' | '\\' | '$') && !c.is_whitespace()
}

/// `text` as the path of `Name/path` (without its leading separator), if
/// the grammar's path characters and policy variables can write it.
pub(crate) fn path(text: &str, span: Span) -> Option<Text> {
    let mut parts: Vec<Spanned<TextPart>> = Vec::new();
    for piece in pieces(text) {
        let part = match piece {
            Piece::Variable(inner) => TextPart::PolicyVar(policy_var(inner)?),
            Piece::Literal(literal) => {
                if !literal.chars().all(is_path_char) {
                    return None;
                }
                TextPart::Literal(literal.to_owned())
            }
        };
        push(&mut parts, part, span);
    }
    Some(Text { parts, span })
}

/// Adds a part, merging adjacent literals as the parser does.
fn push(parts: &mut Vec<Spanned<TextPart>>, part: TextPart, span: Span) {
    if let (Some(last), TextPart::Literal(more)) = (parts.last_mut(), &part)
        && let TextPart::Literal(text) = &mut last.node
    {
        text.push_str(more);
        return;
    }
    parts.push(Spanned::new(part, span));
}

fn is_path_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "/*?-_.=+@~!:%&'|^".contains(c)
}

/// Whether `text` is an action pattern the grammar accepts (`s3:Get*`).
pub(crate) fn is_action(text: &str) -> bool {
    let Some((service, action)) = text.split_once(':') else {
        return false;
    };
    service.starts_with(|c: char| c.is_ascii_lowercase())
        && service
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !action.is_empty()
        && action
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '*' || c == '?')
}

/// Whether `text` is a condition key the grammar accepts.
pub(crate) fn is_condition_key(text: &str) -> bool {
    let Some((head, tail)) = text.split_once(':') else {
        return false;
    };
    !head.is_empty()
        && head
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._".contains(c))
        && !tail.is_empty()
        && tail
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/-_.:@".contains(c))
}

/// Whether `text` can be a name in a program: a logical ID that is no
/// keyword.
pub(crate) fn is_name(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_alphabetic())
        && text.chars().all(|c| c.is_ascii_alphanumeric())
        && !crate::syntax::is_reserved(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lints::suppress::directives;

    /// A template's `Sid` is copied into a comment; it must never become a
    /// suppression comment or a line of program.
    #[test]
    fn template_text_in_a_comment_stays_inert() {
        let sid = inert_comment("Sid: ", "idpc: allow(W0601) reason: x");
        assert_eq!(sid, "# Sid: idpc: allow(W0601) reason: x");
        let program = format!("{sid}\nuse bucket B\n");
        assert!(directives(&program, 0).is_empty());
        for brk in ["\n", "\r", "\r\n", "\u{85}", "\u{2028}", "\u{2029}"] {
            let text = format!("x{brk}# idpc: allow(W0601) reason: x{brk}allow *:* on *");
            let comment = inert_comment("Sid: ", &text);
            assert!(!comment.contains(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}']));
            let program = format!("{comment}\nuse bucket B\n");
            assert!(directives(&program, 0).is_empty(), "{brk:?}");
            assert!(crate::syntax::parse(&program, 0).is_ok(), "{brk:?}");
        }
    }

    #[test]
    fn policy_variables_come_back_and_serverless_variables_stay() {
        let at = Span::synthetic();
        let written = |text: &str| string(text, at).as_written();
        assert_eq!(
            written("${self:custom.stage}Pool/${cognito-identity.amazonaws.com:sub}"),
            "${self:custom.stage}Pool/$<sub>"
        );
        assert_eq!(
            path("private/${aws:PrincipalTag/team}/*", at).map(|p| p.as_written()),
            Some("private/$<aws:PrincipalTag/team>/*".to_owned())
        );
        assert_eq!(path("a b", at), None);
        assert_eq!(
            string("say \"hi\"", at).parts,
            vec![Spanned::new(TextPart::Literal("say \"hi\"".into()), at)]
        );
        // Multi-byte characters inside and around variables.
        assert_eq!(written("é${self:é}ü"), "é${self:é}ü");
        assert_eq!(path("ü/*", at), None);
    }
}
