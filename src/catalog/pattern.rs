//! Small string matchers: IAM wildcards (`*`, `?`) and condition-key templates.

use std::cmp::Ordering;

/// Compares `a` and `b` as if both were ASCII-lower-cased.
pub(crate) fn cmp_ci(a: &str, b: &str) -> Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

/// Whether `text` matches the IAM wildcard `pattern` (`*` any run, `?` one character),
/// ignoring ASCII case. Works on bytes, so `?` stands for one byte of a non-ASCII character.
pub(crate) fn glob_ci(pattern: &str, text: &str) -> bool {
    glob_by(pattern, text, u8::eq_ignore_ascii_case)
}

/// Whether `text` matches the IAM wildcard `pattern`, case-sensitively (as
/// `StringLike` compares condition values).
pub(crate) fn glob(pattern: &str, text: &str) -> bool {
    glob_by(pattern, text, |a, b| a == b)
}

fn glob_by(pattern: &str, text: &str, same: impl Fn(&u8, &u8) -> bool) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some(b'*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(&c) if c == b'?' || same(&c, &t[ti]) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

/// Whether `pattern` contains an IAM wildcard.
pub(crate) fn has_wildcard(pattern: &str) -> bool {
    pattern.contains(['*', '?'])
}

/// Whether a condition-key name is a template: it holds a `${Name}` or `<name>` placeholder
/// (`aws:RequestTag/${TagKey}`, `s3:ExistingObjectTag/<key>`).
pub(crate) fn is_template(key: &str) -> bool {
    key.contains("${") || key.contains('<')
}

/// Whether the concrete key `name` (`aws:RequestTag/project`) is an instance of the
/// template `template` (`aws:RequestTag/${TagKey}`). Literal parts compare ignoring ASCII
/// case; each placeholder stands for one or more characters of any kind.
pub(crate) fn template_matches(template: &str, name: &str) -> bool {
    let mut parts: Vec<Part<'_>> = Vec::new();
    let mut rest = template;
    while !rest.is_empty() {
        let open = [rest.find("${"), rest.find('<')]
            .into_iter()
            .flatten()
            .min();
        match open {
            Some(at) => {
                let close = if rest[at..].starts_with("${") {
                    '}'
                } else {
                    '>'
                };
                match rest[at..].find(close) {
                    Some(end) => {
                        if at > 0 {
                            parts.push(Part::Lit(&rest[..at]));
                        }
                        parts.push(Part::Hole);
                        rest = &rest[at + end + 1..];
                    }
                    None => {
                        parts.push(Part::Lit(rest));
                        rest = "";
                    }
                }
            }
            None => {
                parts.push(Part::Lit(rest));
                rest = "";
            }
        }
    }
    match_parts(&parts, name.as_bytes())
}

enum Part<'a> {
    Lit(&'a str),
    Hole,
}

fn match_parts(parts: &[Part<'_>], text: &[u8]) -> bool {
    match parts.split_first() {
        None => text.is_empty(),
        Some((Part::Lit(lit), rest)) => {
            let lit = lit.as_bytes();
            text.len() >= lit.len()
                && text[..lit.len()].eq_ignore_ascii_case(lit)
                && match_parts(rest, &text[lit.len()..])
        }
        Some((Part::Hole, rest)) => (1..=text.len()).any(|n| match_parts(rest, &text[n..])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_ci("Get*", "GetObject"));
        assert!(glob_ci("*object", "GetObject"));
        assert!(glob_ci("get?bject", "GetObject"));
        assert!(glob_ci("*", ""));
        assert!(!glob_ci("Get?", "GetObject"));
        assert!(glob_ci("G*t*b*", "GetObject"));
        assert!(!glob_ci("Put*", "GetObject"));
    }

    #[test]
    fn templates() {
        assert!(template_matches(
            "aws:RequestTag/${TagKey}",
            "aws:requesttag/project"
        ));
        assert!(!template_matches(
            "aws:RequestTag/${TagKey}",
            "aws:RequestTag/"
        ));
        assert!(template_matches(
            "s3:ExistingObjectTag/<key>",
            "s3:ExistingObjectTag/a/b"
        ));
        assert!(template_matches(
            "codebuild:secondaryArtifacts/${artifactIdentifier}.location",
            "codebuild:secondaryArtifacts/out1.location"
        ));
        assert!(!template_matches("aws:TagKeys", "aws:TagKeys2"));
    }
}
