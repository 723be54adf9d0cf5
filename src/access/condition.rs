//! Condition operators.
//!
//! "IAM JSON policy elements: Condition operators", IAM User Guide
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html>).
//! A condition holds when the key's value matches any of the condition's
//! values; a negated operator (`StringNotEquals`) holds when it matches
//! none of them. A key missing from the request makes the condition false,
//! except for `...IfExists` (true), `Null` (which asks whether the key is
//! missing), and negated operators (true).

use super::Tri;
use super::eval::{Context, KeyValue};
use super::policy::Condition;
use super::text::{Concrete, VarValue, matches, substitute};

/// Whether `condition` holds in `context`.
pub fn holds(condition: &Condition, context: &Context) -> Tri {
    if let Some(base) = condition.operator.strip_prefix("ForAnyValue:") {
        let single = Condition {
            operator: base.to_string(),
            ..condition.clone()
        };
        return match context.get(&condition.key) {
            KeyValue::Unknown => Tri::Unknown,
            KeyValue::Missing => Tri::No,
            KeyValue::Values(values) => Tri::any(values.iter().map(|v| {
                let mut one = Context::new();
                one.set(&condition.key, vec![v.clone()]);
                holds(&single, &one)
            })),
        };
    }
    let (base, if_exists) = match condition.operator.strip_suffix("IfExists") {
        Some(base) => (base, true),
        None => (condition.operator.as_str(), false),
    };
    let values = match context.get(&condition.key) {
        KeyValue::Unknown => return Tri::Unknown,
        KeyValue::Values(values) => values,
        KeyValue::Missing => {
            return if base == "Null" {
                Tri::any(
                    condition
                        .values
                        .iter()
                        .map(|v| Tri::from_bool(v.written() == "true")),
                )
            } else if if_exists || base.starts_with("StringNot") || base.starts_with("ArnNot") {
                Tri::Yes
            } else {
                Tri::No
            };
        }
    };
    if base == "Null" {
        return Tri::any(
            condition
                .values
                .iter()
                .map(|v| Tri::from_bool(v.written() == "false")),
        );
    }
    let (negated, like, ignore_case) = match base {
        "StringEquals" => (false, false, false),
        "StringNotEquals" => (true, false, false),
        "StringEqualsIgnoreCase" => (false, false, true),
        "StringNotEqualsIgnoreCase" => (true, false, true),
        "StringLike" | "ArnLike" | "ArnEquals" => (false, true, false),
        "StringNotLike" | "ArnNotLike" | "ArnNotEquals" => (true, true, false),
        "Bool" => (false, false, true),
        _ => return Tri::Unknown,
    };
    let any_match = Tri::any(
        values
            .iter()
            .map(|value| one_value(condition, value, like, ignore_case, context)),
    );
    if negated { !any_match } else { any_match }
}

/// Whether one request value matches any of the condition's values.
fn one_value(
    condition: &Condition,
    value: &Concrete,
    like: bool,
    ignore_case: bool,
    context: &Context,
) -> Tri {
    let lookup = |key: &str| -> VarValue { context.variable(key) };
    Tri::any(
        condition
            .values
            .iter()
            .map(|pattern| match substitute(pattern, like, &lookup) {
                Ok(Some(atoms)) => matches(&atoms, &value.atoms, ignore_case),
                Ok(None) => Tri::No,
                Err(()) => Tri::Unknown,
            }),
    )
}
