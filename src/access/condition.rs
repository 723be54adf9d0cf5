//! Condition operators.
//!
//! "IAM JSON policy elements: Condition operators", IAM User Guide
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html>):
//!
//! - a condition holds when the key's value matches any of the condition's
//!   values; a negated operator (`StringNotEquals`, `NotIpAddress`, ...)
//!   holds when it matches none of them ("Conditions with multiple context
//!   keys or values": values of a negated operator are a logical NOR,
//!   <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_multi-value-conditions.html>);
//! - a key missing from the request makes the condition false, and a
//!   negated operator true, except for `...IfExists` (true) and `Null`
//!   (which asks whether the key is missing);
//! - `ForAnyValue:` holds when some request value matches, `ForAllValues:`
//!   when every request value does; with no value (the key missing, or an
//!   empty set) `ForAllValues:` holds and `ForAnyValue:` does not
//!   ("Single-valued vs. multivalued context keys",
//!   <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html>,
//!   and "Multivalued context keys examples": `ForAllValues:StringNotLike`
//!   holds when no tag key is like the value, and when the key is missing,
//!   <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition_examples-multi-valued-context-keys.html>);
//! - policy variables are substituted in the values of the String, ARN and
//!   Bool operators only (each section says "You can use a policy variable"
//!   or "You can not"); elsewhere `${...}` is text.
//!
//! What the pages leave open is `Tri::Unknown`, never a guess: an operator
//! without a set qualifier on a key with several values, one empty string
//! under a set qualifier, `ForAnyValue:...IfExists` on a missing key (the
//! page and AWS's service disagree), a value that does not read as a
//! number / date / address, a deploy-time value where the answer depends on
//! it.

mod values;

use std::cmp::Ordering;

use super::Tri;
use super::eval::{Context, KeyValue};
use super::policy::Condition;
use super::text::{Atom, Concrete, PatternAtom, Piece, Text, WholeNames, matches, substitute};

/// `ForAnyValue:` or `ForAllValues:`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetQualifier {
    /// `ForAnyValue:`: some request value matches.
    AnyValue,
    /// `ForAllValues:`: every request value matches.
    AllValues,
}

/// How a `Numeric...` or `Date...` operator compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compare {
    /// `...Equals` (and, negated, `...NotEquals`).
    Equals,
    /// `...LessThan`.
    LessThan,
    /// `...LessThanEquals`.
    LessThanEquals,
    /// `...GreaterThan`.
    GreaterThan,
    /// `...GreaterThanEquals`.
    GreaterThanEquals,
}

impl Compare {
    fn holds(self, request: Ordering) -> bool {
        match self {
            Compare::Equals => request == Ordering::Equal,
            Compare::LessThan => request == Ordering::Less,
            Compare::LessThanEquals => request != Ordering::Greater,
            Compare::GreaterThan => request == Ordering::Greater,
            Compare::GreaterThanEquals => request != Ordering::Less,
        }
    }
}

/// The family of an operator: what its values are and how they compare.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `String...`: `like` reads `*` and `?` as wildcards.
    String {
        /// `StringLike` / `StringNotLike`.
        like: bool,
        /// `...IgnoreCase`.
        ignore_case: bool,
    },
    /// `Numeric...`.
    Numeric(Compare),
    /// `Date...`.
    Date(Compare),
    /// `Bool`.
    Bool,
    /// `BinaryEquals`.
    Binary,
    /// `IpAddress` / `NotIpAddress`.
    Ip,
    /// `ArnEquals`, `ArnLike` (the same), and their negations.
    Arn,
    /// `Null`.
    Null,
}

/// A condition operator as IAM reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operator {
    /// `ForAnyValue:` / `ForAllValues:`.
    pub set: Option<SetQualifier>,
    /// The family.
    pub kind: Kind,
    /// A negated operator (`StringNotEquals`, `NotIpAddress`).
    pub negated: bool,
    /// `...IfExists`.
    pub if_exists: bool,
}

impl Operator {
    /// Reads an operator as written (`ForAllValues:StringLikeIfExists`);
    /// `None` for one IAM does not have (names compare exactly; `Null`
    /// takes no `IfExists`, as the page says, nor a set qualifier).
    pub fn parse(written: &str) -> Option<Operator> {
        let (set, rest) = if let Some(rest) = written.strip_prefix("ForAnyValue:") {
            (Some(SetQualifier::AnyValue), rest)
        } else if let Some(rest) = written.strip_prefix("ForAllValues:") {
            (Some(SetQualifier::AllValues), rest)
        } else {
            (None, written)
        };
        let (base, if_exists) = match rest.strip_suffix("IfExists") {
            Some(base) => (base, true),
            None => (rest, false),
        };
        let (kind, negated) = base_operator(base)?;
        if kind == Kind::Null && (if_exists || set.is_some()) {
            return None;
        }
        Some(Operator {
            set,
            kind,
            negated,
            if_exists,
        })
    }

    /// Whether the family substitutes policy variables in its values.
    fn takes_variables(self) -> bool {
        matches!(self.kind, Kind::String { .. } | Kind::Arn | Kind::Bool)
    }
}

/// The operators of the page, without qualifier or `IfExists`.
fn base_operator(base: &str) -> Option<(Kind, bool)> {
    use Compare::*;
    let string = |like, ignore_case| Kind::String { like, ignore_case };
    let compare = |name: &str| match name {
        "Equals" => Some((Equals, false)),
        "NotEquals" => Some((Equals, true)),
        "LessThan" => Some((LessThan, false)),
        "LessThanEquals" => Some((LessThanEquals, false)),
        "GreaterThan" => Some((GreaterThan, false)),
        "GreaterThanEquals" => Some((GreaterThanEquals, false)),
        _ => None,
    };
    if let Some(rest) = base.strip_prefix("Numeric") {
        return compare(rest).map(|(c, negated)| (Kind::Numeric(c), negated));
    }
    if let Some(rest) = base.strip_prefix("Date") {
        return compare(rest).map(|(c, negated)| (Kind::Date(c), negated));
    }
    Some(match base {
        "StringEquals" => (string(false, false), false),
        "StringNotEquals" => (string(false, false), true),
        "StringEqualsIgnoreCase" => (string(false, true), false),
        "StringNotEqualsIgnoreCase" => (string(false, true), true),
        "StringLike" => (string(true, false), false),
        "StringNotLike" => (string(true, false), true),
        "Bool" => (Kind::Bool, false),
        "BinaryEquals" => (Kind::Binary, false),
        "IpAddress" => (Kind::Ip, false),
        "NotIpAddress" => (Kind::Ip, true),
        "ArnEquals" | "ArnLike" => (Kind::Arn, false),
        "ArnNotEquals" | "ArnNotLike" => (Kind::Arn, true),
        "Null" => (Kind::Null, false),
        _ => return None,
    })
}

/// Whether `condition` holds in `context`.
pub fn holds(condition: &Condition, context: &Context) -> Tri {
    let Some(operator) = Operator::parse(&condition.operator) else {
        return Tri::Unknown;
    };
    let values = match context.get(&condition.key) {
        KeyValue::Unknown => return Tri::Unknown,
        KeyValue::Missing => return when_missing(operator, condition),
        KeyValue::Values(values) => values,
    };
    if operator.kind == Kind::Null {
        // The key is present: `Null: false` holds. A key given with no
        // value at all the page does not describe.
        if values.is_empty() {
            return Tri::Unknown;
        }
        return Tri::any(condition.values.iter().map(|v| !null_value(v)));
    }
    let one = |value: &Concrete| one_value(operator, condition, value, context);
    match (operator.set, values) {
        (None, [value]) => one(value),
        // A multivalued key without a set qualifier ("Multivalued context
        // keys require a condition set operator"): the pages do not say
        // what IAM decides.
        (None, _) => Tri::Unknown,
        // "If the key values in the request resolve to an empty data set
        // (for example, an empty string)" (the set operators' page, as
        // "Creating a condition with multiple keys or values"): whether one
        // empty string is that empty set or a value, the page leaves open;
        // idpc answers when both readings agree.
        (Some(set), [value]) if value.atoms.is_empty() => {
            let as_value = one(value);
            let as_empty = Tri::from_bool(set == SetQualifier::AllValues);
            if as_value == as_empty {
                as_value
            } else {
                Tri::Unknown
            }
        }
        (Some(SetQualifier::AnyValue), values) => Tri::any(values.iter().map(one)),
        (Some(SetQualifier::AllValues), values) => Tri::all(values.iter().map(one)),
    }
}

/// A condition whose key the request does not have.
fn when_missing(operator: Operator, condition: &Condition) -> Tri {
    if operator.kind == Kind::Null {
        return Tri::any(condition.values.iter().map(null_value));
    }
    match (operator.if_exists, operator.set) {
        // The operators page: `IfExists` on "any condition operator name
        // except the Null condition": "If the key is not present, evaluate
        // the condition element as true". Yet AWS answered a user of
        // `ForAnyValue:StringEqualsIfExists` on a missing `aws:TagKeys` with a
        // deny ("ForAnyValue:StringEqualsIfExists behaving unexpectedly",
        // AWS re:Post, <https://repost.aws/questions/QU9HFmDzP0QGuU-fd7rS6B7w>):
        // the two disagree, so idpc does not answer.
        (true, Some(SetQualifier::AnyValue)) => return Tri::Unknown,
        (true, _) => return Tri::Yes,
        (false, _) => {}
    }
    match operator.set {
        Some(SetQualifier::AllValues) => Tri::Yes,
        Some(SetQualifier::AnyValue) => Tri::No,
        None => Tri::from_bool(operator.negated),
    }
}

/// A `Null` value: `true` (the key is missing) or `false` (it is there).
fn null_value(value: &Text) -> Tri {
    match value.written().to_ascii_lowercase().as_str() {
        "true" => Tri::Yes,
        "false" => Tri::No,
        _ => Tri::Unknown,
    }
}

/// Whether one request value satisfies the operator: it matches one of the
/// condition's values, or for a negated operator, none of them.
fn one_value(operator: Operator, condition: &Condition, value: &Concrete, ctx: &Context) -> Tri {
    let any = Tri::any(
        condition
            .values
            .iter()
            .map(|pattern| value_matches(operator, pattern, value, ctx)),
    );
    if operator.negated { !any } else { any }
}

/// Whether a request value matches one of the condition's values.
fn value_matches(operator: Operator, pattern: &Text, value: &Concrete, ctx: &Context) -> Tri {
    if operator.takes_variables() {
        let like = matches!(operator.kind, Kind::String { like: true, .. } | Kind::Arn);
        let atoms = match substitute(pattern, like, &|key| ctx.variable(key)) {
            Ok(Some(atoms)) => atoms,
            // "Policy variables with no value": the value matches nothing.
            Ok(None) => return Tri::No,
            Err(()) => return Tri::Unknown,
        };
        return match operator.kind {
            Kind::String { ignore_case, .. } => {
                matches(&atoms, &value.atoms, ignore_case, ctx.whole_names())
            }
            Kind::Arn => arn_matches(&atoms, &value.atoms, ctx.whole_names()),
            _ => bool_matches(&atoms, &value.atoms, ctx.whole_names()),
        };
    }
    // No variables: the value as written, when it holds no deploy-time
    // value; the request's value, when it holds none either.
    let (Some(pattern), Some(value)) = (plain(pattern), value.as_literal()) else {
        return Tri::Unknown;
    };
    let known = match operator.kind {
        Kind::Numeric(compare) => {
            let (Some(p), Some(v)) = (
                values::Decimal::parse(&pattern),
                values::Decimal::parse(&value),
            ) else {
                return Tri::Unknown;
            };
            Some(compare.holds(v.cmp(&p)))
        }
        Kind::Date(compare) => values::parse_date(&pattern)
            .zip(values::parse_date(&value))
            .map(|(p, v)| compare.holds(v.cmp(&p))),
        Kind::Binary => values::base64(&pattern)
            .zip(values::base64(&value))
            .map(|(p, v)| p == v),
        Kind::Ip => return ip_matches(&pattern, &value),
        _ => None,
    };
    known.map_or(Tri::Unknown, Tri::from_bool)
}

/// The text of a value as written, unless it holds a deploy-time value.
fn plain(text: &Text) -> Option<String> {
    if text.pieces.iter().any(|p| matches!(p, Piece::Opaque(_))) {
        return None;
    }
    Some(text.written())
}

/// `Bool`: the values compare as text. Whether IAM compares `True` and
/// `true` as equal the page does not say: unknown.
fn bool_matches(pattern: &[PatternAtom], value: &[Atom], whole: &WholeNames) -> Tri {
    match matches(pattern, value, false, whole) {
        Tri::No if matches(pattern, value, true, whole) != Tri::No => Tri::Unknown,
        exact => exact,
    }
}

/// `IpAddress`: the request's address is in the range. "If you specify an
/// IP address without the associated routing prefix, IAM uses the default
/// prefix value of /32" (IPv4); for an IPv6 address alone the page gives no
/// prefix, so only the address itself surely matches.
fn ip_matches(range: &str, address: &str) -> Tri {
    let (Some(range), Ok(address)) = (
        values::parse_range(range),
        address.parse::<std::net::IpAddr>(),
    ) else {
        return Tri::Unknown;
    };
    let prefix = match (range.prefix, range.address.is_ipv4()) {
        (Some(prefix), _) => prefix,
        (None, true) => 32,
        (None, false) if range.address == address => return Tri::Yes,
        (None, false) if address.is_ipv6() => return Tri::Unknown,
        (None, false) => return Tri::No,
    };
    // An address of the other family is outside the range.
    Tri::from_bool(values::same_prefix(range.address, address, prefix).unwrap_or(false))
}

/// `ArnLike`: "Each of the six colon-delimited components of the ARN is
/// checked separately and each can include multi-character match wildcards
/// (*) or single-character match wildcards (?)". The sixth component is
/// the rest, colons included. A value that is not an ARN matches no
/// pattern; a pattern that is not one (fewer than six components) is
/// unknown. Where a deploy-time value stands in the first five components,
/// its colons are unknown: only a whole-string mismatch is sure.
fn arn_matches(pattern: &[PatternAtom], value: &[Atom], whole: &WholeNames) -> Tri {
    let pattern_parts = split_arn(
        pattern,
        |a| *a == PatternAtom::Char(':'),
        |a| matches!(a, PatternAtom::Opaque(_)),
    );
    let value_parts = split_arn(
        value,
        |a| *a == Atom::Char(':'),
        |a| matches!(a, Atom::Opaque(_)),
    );
    let whole_string = || matches(pattern, value, false, whole);
    match (pattern_parts, value_parts) {
        (Split::Sure(p), Split::Sure(v)) => {
            Tri::all(p.iter().zip(&v).map(|(p, v)| segment_matches(p, v, whole)))
        }
        (Split::Short, _) => Tri::Unknown,
        (Split::Sure(_), Split::Short) => Tri::No,
        _ => match whole_string() {
            Tri::No => Tri::No,
            _ => Tri::Unknown,
        },
    }
}

/// One ARN component against its pattern: `*` and `?` stay in the
/// component (they never match its colons, there are none).
fn segment_matches(pattern: &[PatternAtom], value: &[Atom], whole: &WholeNames) -> Tri {
    matches(pattern, value, false, whole)
}

/// An ARN cut into its six components.
enum Split<'a, T> {
    /// Six components.
    Sure(Vec<&'a [T]>),
    /// Fewer than six, and no deploy-time value that could hold a colon.
    Short,
    /// A deploy-time value in the first five components.
    Open,
}

fn split_arn<'a, T>(
    atoms: &'a [T],
    colon: impl Fn(&T) -> bool,
    opaque: impl Fn(&T) -> bool,
) -> Split<'a, T> {
    let mut parts = Vec::with_capacity(6);
    let mut start = 0;
    for (i, atom) in atoms.iter().enumerate() {
        if parts.len() == 5 {
            break;
        }
        if opaque(atom) {
            return Split::Open;
        }
        if colon(atom) {
            parts.push(&atoms[start..i]);
            start = i + 1;
        }
    }
    if parts.len() < 5 {
        return Split::Short;
    }
    parts.push(&atoms[start..]);
    Split::Sure(parts)
}

#[cfg(test)]
mod tests;
