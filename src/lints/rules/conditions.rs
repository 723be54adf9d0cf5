//! Conditions that hold for requests the author meant to refuse (W0609,
//! W0610).
//!
//! - A negated operator (`!=`, `not like`, `not ip`: `StringNotEquals`,
//!   `StringNotLike`, `NotIpAddress`, ...) is true when the request has no
//!   value for its key ("IAM JSON policy elements: Condition operators").
//!   On an allow, `s3:prefix not like "private/*"` then also allows a
//!   `ListBucket` without a prefix, which lists the whole bucket; and
//!   `aws:PrincipalTag/dept != "none"` allows everyone when no pool maps a
//!   `dept` tag. Only keys known to be absent from some requests are
//!   reported: [`OPTIONAL_REQUEST_KEYS`], and principal tags no trusting
//!   pool maps.
//! - `any dynamodb:LeadingKeys == "$<sub>"` (`ForAnyValue:`) on
//!   `BatchGetItem` or `BatchWriteItem` is true when one of the request's
//!   keys is the caller's: the other keys of the batch can be anyone's.
//!   AWS's fine-grained access examples use `ForAllValues:StringEquals`.

use crate::check::ir::Statement;
use crate::check::policy_vars::PRINCIPAL_TAG_PREFIX;
use crate::vocabulary::{ConditionOperator, Quantifier};
use std::collections::BTreeSet;

/// Service condition keys that a request carries only when it sets the
/// parameter, and whose absence means more access, with what a request
/// without it does.
pub const OPTIONAL_REQUEST_KEYS: &[(&str, &str)] = &[(
    "s3:prefix",
    "a `s3:ListBucket` request without a prefix lists every key of the bucket",
)];

/// Why a key may be missing from a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Absent {
    /// A request parameter (an entry of [`OPTIONAL_REQUEST_KEYS`], by index).
    Optional(usize),
    /// A principal tag no pool that the role trusts maps.
    UnmappedTag(String),
}

/// A negated condition on a key a request may lack, without `K exists`:
/// the index of the condition and why the key may be missing.
pub fn negated_on_absent(
    statement: &Statement,
    mapped_tags: Option<&BTreeSet<String>>,
) -> Vec<(usize, Absent)> {
    let written = statement.origin.conditions.len();
    statement
        .conditions
        .iter()
        .take(written)
        .enumerate()
        .filter(|(_, condition)| plain_negated(condition.operator))
        .filter(|(_, condition)| !requires_key(statement, &condition.key))
        .filter(|(_, condition)| {
            !statement.conditions.iter().any(|other| {
                other.operator == ConditionOperator::NULL
                    && other.key.eq_ignore_ascii_case(&condition.key)
                    && other
                        .values
                        .iter()
                        .any(|v| *v == crate::check::ir::Value::literal("false"))
            })
        })
        .filter_map(|(index, condition)| {
            let key = condition.key.as_str();
            if let Some(at) = OPTIONAL_REQUEST_KEYS
                .iter()
                .position(|(optional, _)| optional.eq_ignore_ascii_case(key))
            {
                return Some((index, Absent::Optional(at)));
            }
            let head = key.get(..PRINCIPAL_TAG_PREFIX.len())?;
            let tag = &key[PRINCIPAL_TAG_PREFIX.len()..];
            (head.eq_ignore_ascii_case(PRINCIPAL_TAG_PREFIX)
                && mapped_tags.is_some_and(|mapped| !mapped.contains(tag)))
            .then(|| (index, Absent::UnmappedTag(tag.to_string())))
        })
        .collect()
}

/// Whether an operator is a negated one as it is, with neither a quantifier
/// nor `IfExists` ([`ConditionOperator::is_negated`] looks past them).
fn plain_negated(operator: ConditionOperator) -> bool {
    operator.quantifier.is_none() && !operator.if_exists && operator.is_negated()
}

/// Whether another condition of the statement already requires `key`: an
/// operator that is neither negated, nor `...IfExists`, nor `ForAllValues:`,
/// nor `Null` is false when the key is missing ("IAM JSON policy elements:
/// Condition operators": a key not present in the request context does not
/// match), so the statement can't apply to requests without it.
fn requires_key(statement: &Statement, key: &str) -> bool {
    statement.conditions.iter().any(|other| {
        other.key.eq_ignore_ascii_case(key)
            && !plain_negated(other.operator)
            && !other.operator.if_exists
            && other.operator.quantifier != Some(Quantifier::All)
            && other.operator != ConditionOperator::NULL
    })
}

/// `any dynamodb:LeadingKeys ...` on a statement that grants batch
/// operations: the index of the condition and the batch actions, sorted.
pub fn any_leading_keys(statement: &Statement) -> Option<(usize, Vec<String>)> {
    let written = statement.origin.conditions.len();
    let index = statement
        .conditions
        .iter()
        .take(written)
        .position(|condition| {
            condition.operator.quantifier == Some(Quantifier::Any)
                && condition.key.eq_ignore_ascii_case("dynamodb:LeadingKeys")
        })?;
    let batch: BTreeSet<String> = statement
        .origin
        .actions
        .iter()
        .flat_map(|origin| &origin.actions)
        .filter(|action| {
            action.service().prefix() == "dynamodb"
                && matches!(action.name(), "BatchGetItem" | "BatchWriteItem")
        })
        .map(|action| action.full_name())
        .collect();
    (!batch.is_empty()).then(|| (index, batch.into_iter().collect()))
}
