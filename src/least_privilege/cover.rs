//! Whether one statement's resources cover, or may overlap, another's.
//!
//! Both answers err on the side of silence: "covers" is said only when every
//! ARN the second resource can name is named by the first, and "disjoint"
//! only when no ARN can be named by both.

use crate::check::ir::{Piece, ResourceDef, Value};

/// A resource's text as a pattern: literal characters, `*` and `?`
/// wildcards, and variables as opaque tokens (equal only to themselves).
#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Char(char),
    Star,
    Question,
    Var(String),
}

fn tokens(value: &Value) -> Vec<Token> {
    let mut tokens = Vec::new();
    for piece in &value.pieces {
        match piece {
            Piece::Literal(text) => tokens.extend(text.chars().map(|c| match c {
                '*' => Token::Star,
                '?' => Token::Question,
                c => Token::Char(c),
            })),
            Piece::PolicyVar(key) => tokens.push(Token::Var(format!("${{{key}}}"))),
            Piece::ServerlessVar(var) => tokens.push(Token::Var(var.clone())),
        }
    }
    tokens
}

/// Whether every text `narrow` can match, `wide` matches. `narrow`'s `*`
/// is matched only by `wide`'s `*`; its `?` by `?` or `*`; a variable by
/// `*` or the same variable.
fn pattern_covers(wide: &[Token], narrow: &[Token]) -> bool {
    // covered[j]: wide so far covers narrow[..j].
    let mut covered = vec![false; narrow.len() + 1];
    covered[0] = true;
    for w in wide {
        let mut next = vec![false; narrow.len() + 1];
        for j in 0..=narrow.len() {
            next[j] = match w {
                Token::Star => covered[j] || (j > 0 && next[j - 1]),
                Token::Question => {
                    j > 0
                        && covered[j - 1]
                        && matches!(narrow[j - 1], Token::Char(_) | Token::Question)
                }
                token => j > 0 && covered[j - 1] && narrow[j - 1] == *token,
            };
        }
        covered = next;
    }
    covered[narrow.len()]
}

/// The literal start of a pattern, up to its first wildcard or variable.
fn literal_prefix(tokens: &[Token]) -> Vec<char> {
    tokens
        .iter()
        .map_while(|token| match token {
            Token::Char(c) => Some(*c),
            _ => None,
        })
        .collect()
}

/// Whether two patterns can match a common text: only ruled out when their
/// literal starts differ.
fn patterns_may_overlap(a: &[Token], b: &[Token]) -> bool {
    let (a, b) = (literal_prefix(a), literal_prefix(b));
    let shorter = a.len().min(b.len());
    a[..shorter] == b[..shorter]
}

/// Whether every ARN `narrow` names, `wide` names too.
pub fn covers(wide: &ResourceDef, narrow: &ResourceDef) -> bool {
    match (wide, narrow) {
        (ResourceDef::Any, _) => true,
        (ResourceDef::Arn(wide), ResourceDef::Arn(narrow)) => {
            pattern_covers(&tokens(wide), &tokens(narrow))
        }
        (
            ResourceDef::Of {
                logical_id: wide_id,
                path: wide_path,
                ..
            },
            ResourceDef::Of {
                logical_id: narrow_id,
                path: narrow_path,
                ..
            },
        ) => {
            wide_id == narrow_id
                && match (wide_path, narrow_path) {
                    (None, None) => true,
                    (Some(wide), Some(narrow)) => pattern_covers(&tokens(wide), &tokens(narrow)),
                    _ => false,
                }
        }
        _ => false,
    }
}

/// Whether some ARN may be named by both.
pub fn may_overlap(a: &ResourceDef, b: &ResourceDef) -> bool {
    match (a, b) {
        (ResourceDef::Any, _) | (_, ResourceDef::Any) => true,
        (ResourceDef::Arn(a), ResourceDef::Arn(b)) => patterns_may_overlap(&tokens(a), &tokens(b)),
        (
            ResourceDef::Of {
                logical_id: a_id,
                path: a_path,
                ..
            },
            ResourceDef::Of {
                logical_id: b_id,
                path: b_path,
                ..
            },
        ) => {
            a_id == b_id
                && match (a_path, b_path) {
                    (None, None) => true,
                    (Some(a), Some(b)) => patterns_may_overlap(&tokens(a), &tokens(b)),
                    // A resource itself and a path under it (a bucket and
                    // its objects) are different ARNs.
                    _ => false,
                }
        }
        // A written ARN may name a stack resource: idpc can't tell.
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::ast::Kind;

    fn path(pieces: Vec<Piece>) -> ResourceDef {
        ResourceDef::Of {
            logical_id: "Bucket".into(),
            kind: Kind::Bucket,
            path: Some(Value { pieces }),
        }
    }

    fn lit(text: &str) -> Piece {
        Piece::Literal(text.into())
    }

    fn sub() -> Piece {
        Piece::PolicyVar("cognito-identity.amazonaws.com:sub".into())
    }

    #[test]
    fn a_wider_path_covers_a_narrower_one() {
        let all = path(vec![lit("*")]);
        let private = path(vec![lit("private/*")]);
        let own = path(vec![lit("private/"), sub(), lit("/*")]);
        assert!(covers(&all, &private));
        assert!(covers(&private, &own));
        assert!(covers(&own, &own));
        assert!(!covers(&own, &private));
        assert!(!covers(&private, &all));
        assert!(covers(&ResourceDef::Any, &own));
        assert!(!covers(&own, &ResourceDef::Any));
    }

    #[test]
    fn a_question_mark_covers_one_character_but_not_a_star() {
        assert!(covers(&path(vec![lit("a?")]), &path(vec![lit("ab")])));
        assert!(!covers(&path(vec![lit("a?")]), &path(vec![lit("a*")])));
        assert!(!covers(&path(vec![lit("a?")]), &path(vec![sub()])));
    }

    #[test]
    fn a_bucket_and_its_objects_neither_cover_nor_overlap() {
        let bucket = ResourceDef::Of {
            logical_id: "Bucket".into(),
            kind: Kind::Bucket,
            path: None,
        };
        let objects = path(vec![lit("*")]);
        assert!(!covers(&bucket, &objects));
        assert!(!may_overlap(&bucket, &objects));
    }

    #[test]
    fn paths_overlap_unless_their_literal_starts_differ() {
        let drafts = path(vec![lit("drafts/*")]);
        let published = path(vec![lit("published/*")]);
        let all = path(vec![lit("*")]);
        assert!(!may_overlap(&drafts, &published));
        assert!(may_overlap(&drafts, &all));
        assert!(may_overlap(&path(vec![lit("dr*")]), &drafts));
    }
}
