//! Whether one statement's resources cover, or may overlap, another's.
//!
//! Both answers err on the side of silence: "covers" is said only when every
//! ARN the second resource can name is named by the first, and "disjoint"
//! only when no ARN can be named by both.

use super::arn_set::Pattern;
use crate::check::ir::ResourceDef;

/// Whether every ARN `narrow` names, `wide` names too.
pub fn covers(wide: &ResourceDef, narrow: &ResourceDef) -> bool {
    match (wide, narrow) {
        (ResourceDef::Any, _) => true,
        (ResourceDef::Arn(wide), ResourceDef::Arn(narrow)) => {
            Pattern::of_value(wide).covers(&Pattern::of_value(narrow))
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
                    (Some(wide), Some(narrow)) => {
                        Pattern::of_value(wide).covers(&Pattern::of_value(narrow))
                    }
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
        (ResourceDef::Arn(a), ResourceDef::Arn(b)) => {
            Pattern::of_value(a).may_overlap(&Pattern::of_value(b))
        }
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
                    (Some(a), Some(b)) => Pattern::of_value(a).may_overlap(&Pattern::of_value(b)),
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
    use crate::check::ir::{Piece, Value};
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
