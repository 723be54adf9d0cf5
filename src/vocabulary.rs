//! The IAM vocabulary, defined once: condition operators and their
//! quantifiers, the operators a `.idp` program writes, role-mapping match
//! types, access levels and the policy version.
//!
//! Each type has one `keyword()` (its `.idp` spelling, as
//! `grammar/idp.pest` and the language reference write it) and one
//! `to_iam()` / `from_iam()` pair (its spelling in a policy or template).
//! The checker, lowering, the formatter, the graph, the importer and the
//! lints all read these; none keeps a table of its own.
//!
//! This module depends on no other part of idpc. The IAM spellings come from
//! AWS's documentation:
//!
//! - condition operators, `...IfExists` (any operator but `Null`) and which
//!   operators are true when the key is absent: "IAM JSON policy elements:
//!   Condition operators",
//!   <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html>;
//! - `ForAnyValue:` / `ForAllValues:`: "Set operators for multivalued context
//!   keys",
//!   <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html>;
//! - `MatchType`: "AWS::Cognito::IdentityPoolRoleAttachment MappingRule",
//!   <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-cognito-identitypoolroleattachment-mappingrule.html>;
//! - access levels: "Access levels in policy summaries",
//!   <https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_understand-policy-summary-access-level-summaries.html>;
//! - `Version`: "IAM JSON policy elements: Version",
//!   <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html>.

use std::fmt;

/// The version of the policy language a policy document declares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PolicyVersion {
    /// `2012-10-17`, the current version, the first with policy variables.
    V2012_10_17,
    /// `2008-10-17`, what IAM assumes when a policy has no `Version`.
    V2008_10_17,
}

impl PolicyVersion {
    /// The version idpc writes in every policy.
    pub const WRITTEN: PolicyVersion = PolicyVersion::V2012_10_17;

    /// The `Version` value.
    pub const fn to_iam(self) -> &'static str {
        match self {
            PolicyVersion::V2012_10_17 => "2012-10-17",
            PolicyVersion::V2008_10_17 => "2008-10-17",
        }
    }

    /// The version a `Version` value names.
    pub fn from_iam(text: &str) -> Option<PolicyVersion> {
        [PolicyVersion::V2012_10_17, PolicyVersion::V2008_10_17]
            .into_iter()
            .find(|version| version.to_iam() == text)
    }
}

/// The access levels of the Service Authorization Reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AccessLevel {
    /// `list`: lists resources.
    List,
    /// `read`: reads resources or their metadata.
    Read,
    /// `write`: creates, changes or deletes resources.
    Write,
    /// `tagging`: changes tags only.
    Tagging,
    /// `permissions`: changes permissions (policies, grants); AWS's
    /// "Permissions management".
    Permissions,
}

impl AccessLevel {
    /// Every level.
    pub const ALL: [AccessLevel; 5] = [
        AccessLevel::List,
        AccessLevel::Read,
        AccessLevel::Write,
        AccessLevel::Tagging,
        AccessLevel::Permissions,
    ];

    /// The keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            AccessLevel::List => "list",
            AccessLevel::Read => "read",
            AccessLevel::Write => "write",
            AccessLevel::Tagging => "tagging",
            AccessLevel::Permissions => "permissions",
        }
    }

    /// The level a keyword names.
    pub fn from_keyword(word: &str) -> Option<AccessLevel> {
        AccessLevel::ALL
            .into_iter()
            .find(|level| level.keyword() == word)
    }

    /// The level as AWS names it ("Permissions management").
    pub fn to_iam(self) -> &'static str {
        match self {
            AccessLevel::List => "List",
            AccessLevel::Read => "Read",
            AccessLevel::Write => "Write",
            AccessLevel::Tagging => "Tagging",
            AccessLevel::Permissions => "Permissions management",
        }
    }

    /// The level AWS's name names.
    pub fn from_iam(text: &str) -> Option<AccessLevel> {
        AccessLevel::ALL
            .into_iter()
            .find(|level| level.to_iam() == text)
    }
}

/// A role-mapping rule's comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MatchOp {
    /// `==`: `Equals`
    Equals,
    /// `!=`: `NotEqual`
    NotEqual,
    /// `contains`: `Contains`
    Contains,
    /// `starts_with`: `StartsWith`
    StartsWith,
}

impl MatchOp {
    /// Every match type.
    pub const ALL: [MatchOp; 4] = [
        MatchOp::Equals,
        MatchOp::NotEqual,
        MatchOp::Contains,
        MatchOp::StartsWith,
    ];

    /// The operator as the program writes it.
    pub fn keyword(self) -> &'static str {
        match self {
            MatchOp::Equals => "==",
            MatchOp::NotEqual => "!=",
            MatchOp::Contains => "contains",
            MatchOp::StartsWith => "starts_with",
        }
    }

    /// The match type an operator as written names.
    pub fn from_keyword(word: &str) -> Option<MatchOp> {
        MatchOp::ALL.into_iter().find(|op| op.keyword() == word)
    }

    /// The `MatchType` value.
    pub fn to_iam(self) -> &'static str {
        match self {
            MatchOp::Equals => "Equals",
            MatchOp::NotEqual => "NotEqual",
            MatchOp::Contains => "Contains",
            MatchOp::StartsWith => "StartsWith",
        }
    }

    /// The match type a `MatchType` value names.
    pub fn from_iam(text: &str) -> Option<MatchOp> {
        MatchOp::ALL.into_iter().find(|op| op.to_iam() == text)
    }
}

/// `any` or `all`: how a condition on a multivalued key treats the
/// request's values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Quantifier {
    /// `any`: `ForAnyValue:`, one matching value is enough.
    Any,
    /// `all`: `ForAllValues:`, every value must match (also true when
    /// there is none).
    All,
}

impl Quantifier {
    /// Both quantifiers.
    pub const ALL: [Quantifier; 2] = [Quantifier::Any, Quantifier::All];

    /// The keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            Quantifier::Any => "any",
            Quantifier::All => "all",
        }
    }

    /// The quantifier a keyword names.
    pub fn from_keyword(word: &str) -> Option<Quantifier> {
        Quantifier::ALL.into_iter().find(|q| q.keyword() == word)
    }

    /// The set operator, without the `:` that joins it to an operator.
    pub fn to_iam(self) -> &'static str {
        match self {
            Quantifier::Any => "ForAnyValue",
            Quantifier::All => "ForAllValues",
        }
    }

    /// The quantifier a set operator names.
    pub fn from_iam(text: &str) -> Option<Quantifier> {
        Quantifier::ALL.into_iter().find(|q| q.to_iam() == text)
    }
}

/// The condition operators that fit a key type (`StringLike` for String,
/// `DateLessThan` for Date, ...); `Null` and the `...IfExists` forms apply to
/// all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OperatorFamily {
    /// `String...`
    String,
    /// `Numeric...`
    Numeric,
    /// `Date...`
    Date,
    /// `Bool`
    Bool,
    /// `IpAddress`, `NotIpAddress`
    IpAddress,
    /// `Arn...`
    Arn,
    /// `BinaryEquals`
    Binary,
}

impl OperatorFamily {
    /// Every family.
    pub const ALL: [OperatorFamily; 7] = [
        OperatorFamily::String,
        OperatorFamily::Numeric,
        OperatorFamily::Date,
        OperatorFamily::Bool,
        OperatorFamily::IpAddress,
        OperatorFamily::Arn,
        OperatorFamily::Binary,
    ];
}

/// An IAM condition operator, without a quantifier or `IfExists`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // each variant is its IAM name
pub enum Operator {
    StringEquals,
    StringNotEquals,
    StringEqualsIgnoreCase,
    StringNotEqualsIgnoreCase,
    StringLike,
    StringNotLike,
    NumericEquals,
    NumericNotEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateNotEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    NotIpAddress,
    ArnEquals,
    ArnLike,
    ArnNotEquals,
    ArnNotLike,
    Null,
}

impl Operator {
    /// Every operator.
    pub const ALL: [Operator; 27] = [
        Operator::StringEquals,
        Operator::StringNotEquals,
        Operator::StringEqualsIgnoreCase,
        Operator::StringNotEqualsIgnoreCase,
        Operator::StringLike,
        Operator::StringNotLike,
        Operator::NumericEquals,
        Operator::NumericNotEquals,
        Operator::NumericLessThan,
        Operator::NumericLessThanEquals,
        Operator::NumericGreaterThan,
        Operator::NumericGreaterThanEquals,
        Operator::DateEquals,
        Operator::DateNotEquals,
        Operator::DateLessThan,
        Operator::DateLessThanEquals,
        Operator::DateGreaterThan,
        Operator::DateGreaterThanEquals,
        Operator::Bool,
        Operator::BinaryEquals,
        Operator::IpAddress,
        Operator::NotIpAddress,
        Operator::ArnEquals,
        Operator::ArnLike,
        Operator::ArnNotEquals,
        Operator::ArnNotLike,
        Operator::Null,
    ];

    /// The operator's IAM name.
    pub fn to_iam(self) -> &'static str {
        use Operator as O;
        match self {
            O::StringEquals => "StringEquals",
            O::StringNotEquals => "StringNotEquals",
            O::StringEqualsIgnoreCase => "StringEqualsIgnoreCase",
            O::StringNotEqualsIgnoreCase => "StringNotEqualsIgnoreCase",
            O::StringLike => "StringLike",
            O::StringNotLike => "StringNotLike",
            O::NumericEquals => "NumericEquals",
            O::NumericNotEquals => "NumericNotEquals",
            O::NumericLessThan => "NumericLessThan",
            O::NumericLessThanEquals => "NumericLessThanEquals",
            O::NumericGreaterThan => "NumericGreaterThan",
            O::NumericGreaterThanEquals => "NumericGreaterThanEquals",
            O::DateEquals => "DateEquals",
            O::DateNotEquals => "DateNotEquals",
            O::DateLessThan => "DateLessThan",
            O::DateLessThanEquals => "DateLessThanEquals",
            O::DateGreaterThan => "DateGreaterThan",
            O::DateGreaterThanEquals => "DateGreaterThanEquals",
            O::Bool => "Bool",
            O::BinaryEquals => "BinaryEquals",
            O::IpAddress => "IpAddress",
            O::NotIpAddress => "NotIpAddress",
            O::ArnEquals => "ArnEquals",
            O::ArnLike => "ArnLike",
            O::ArnNotEquals => "ArnNotEquals",
            O::ArnNotLike => "ArnNotLike",
            O::Null => "Null",
        }
    }

    /// The operator an IAM name names (exactly: no quantifier, no
    /// `IfExists`).
    pub fn from_iam(text: &str) -> Option<Operator> {
        Operator::ALL.into_iter().find(|op| op.to_iam() == text)
    }

    /// Whether the operator is a negated match, true when the request has
    /// no value for the key.
    pub fn is_negated(self) -> bool {
        matches!(
            self,
            Operator::StringNotEquals
                | Operator::StringNotEqualsIgnoreCase
                | Operator::StringNotLike
                | Operator::ArnNotEquals
                | Operator::ArnNotLike
                | Operator::NumericNotEquals
                | Operator::DateNotEquals
                | Operator::NotIpAddress
        )
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.to_iam())
    }
}

/// A whole IAM condition operator as a `Condition` block's key:
/// `[ForAnyValue:|ForAllValues:]Operator[IfExists]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ConditionOperator {
    /// `ForAnyValue:` / `ForAllValues:`, if any.
    pub quantifier: Option<Quantifier>,
    /// The operator.
    pub operator: Operator,
    /// Whether `IfExists` follows (never on `Null`).
    pub if_exists: bool,
}

impl ConditionOperator {
    /// `Null`, as idpc writes it for `exists` and `not exists`.
    pub const NULL: ConditionOperator = ConditionOperator::new(Operator::Null);

    /// An operator with no quantifier and no `IfExists`.
    pub const fn new(operator: Operator) -> ConditionOperator {
        ConditionOperator {
            quantifier: None,
            operator,
            if_exists: false,
        }
    }

    /// The operator as a `Condition` block's key.
    pub fn to_iam(self) -> String {
        self.to_string()
    }

    /// The operator a `Condition` block's key names; `None` for anything
    /// else (case matters, as in IAM's own names).
    pub fn from_iam(text: &str) -> Option<ConditionOperator> {
        let (quantifier, rest) = match text.split_once(':') {
            Some((set, rest)) => (Some(Quantifier::from_iam(set)?), rest),
            None => (None, text),
        };
        let (rest, if_exists) = match rest.strip_suffix("IfExists") {
            Some(base) => (base, true),
            None => (rest, false),
        };
        let operator = Operator::from_iam(rest)?;
        if if_exists && operator == Operator::Null {
            return None;
        }
        Some(ConditionOperator {
            quantifier,
            operator,
            if_exists,
        })
    }

    /// Whether the operator, its quantifier and `IfExists` aside, is a
    /// negated match.
    pub fn is_negated(self) -> bool {
        self.operator.is_negated()
    }
}

impl fmt::Display for ConditionOperator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(quantifier) = self.quantifier {
            write!(f, "{}:", quantifier.to_iam())?;
        }
        f.write_str(self.operator.to_iam())?;
        if self.if_exists {
            f.write_str("IfExists")?;
        }
        Ok(())
    }
}

/// A condition operator as a program writes it; the IAM operator it
/// becomes depends on the key's [`OperatorFamily`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ConditionOp {
    /// `==`
    Equals,
    /// `!=`
    NotEquals,
    /// `<`
    Less,
    /// `<=`
    LessOrEqual,
    /// `>`
    Greater,
    /// `>=`
    GreaterOrEqual,
    /// `like`
    Like,
    /// `not like`
    NotLike,
    /// `ip`
    Ip,
    /// `not ip`
    NotIp,
    /// `is true`
    IsTrue,
    /// `is false`
    IsFalse,
    /// `exists`
    Exists,
    /// `not exists`
    NotExists,
}

impl ConditionOp {
    /// Every operator.
    pub const ALL: [ConditionOp; 14] = [
        ConditionOp::Equals,
        ConditionOp::NotEquals,
        ConditionOp::Less,
        ConditionOp::LessOrEqual,
        ConditionOp::Greater,
        ConditionOp::GreaterOrEqual,
        ConditionOp::Like,
        ConditionOp::NotLike,
        ConditionOp::Ip,
        ConditionOp::NotIp,
        ConditionOp::IsTrue,
        ConditionOp::IsFalse,
        ConditionOp::Exists,
        ConditionOp::NotExists,
    ];

    /// The operator as written (words joined by one space).
    pub fn keyword(self) -> &'static str {
        match self {
            ConditionOp::Equals => "==",
            ConditionOp::NotEquals => "!=",
            ConditionOp::Less => "<",
            ConditionOp::LessOrEqual => "<=",
            ConditionOp::Greater => ">",
            ConditionOp::GreaterOrEqual => ">=",
            ConditionOp::Like => "like",
            ConditionOp::NotLike => "not like",
            ConditionOp::Ip => "ip",
            ConditionOp::NotIp => "not ip",
            ConditionOp::IsTrue => "is true",
            ConditionOp::IsFalse => "is false",
            ConditionOp::Exists => "exists",
            ConditionOp::NotExists => "not exists",
        }
    }

    /// The operator whose words these are.
    pub fn from_words(words: &[&str]) -> Option<ConditionOp> {
        ConditionOp::ALL
            .into_iter()
            .find(|op| op.keyword().split(' ').eq(words.iter().copied()))
    }

    /// Whether the operator tests the key's presence rather than its
    /// values (`Null`, which takes no quantifier).
    pub fn is_presence(self) -> bool {
        matches!(self, ConditionOp::Exists | ConditionOp::NotExists)
    }

    /// The IAM operator it is on a key of `family`; `None` when it does not
    /// fit the family.
    pub fn to_iam(self, family: OperatorFamily) -> Option<Operator> {
        use ConditionOp as Op;
        use Operator as O;
        use OperatorFamily as F;
        Some(match (self, family) {
            (Op::Exists | Op::NotExists, _) => O::Null,
            (Op::Equals, F::String) => O::StringEquals,
            (Op::NotEquals, F::String) => O::StringNotEquals,
            (Op::Like, F::String) => O::StringLike,
            (Op::NotLike, F::String) => O::StringNotLike,
            (Op::Equals, F::Numeric) => O::NumericEquals,
            (Op::NotEquals, F::Numeric) => O::NumericNotEquals,
            (Op::Less, F::Numeric) => O::NumericLessThan,
            (Op::LessOrEqual, F::Numeric) => O::NumericLessThanEquals,
            (Op::Greater, F::Numeric) => O::NumericGreaterThan,
            (Op::GreaterOrEqual, F::Numeric) => O::NumericGreaterThanEquals,
            (Op::Equals, F::Date) => O::DateEquals,
            (Op::NotEquals, F::Date) => O::DateNotEquals,
            (Op::Less, F::Date) => O::DateLessThan,
            (Op::LessOrEqual, F::Date) => O::DateLessThanEquals,
            (Op::Greater, F::Date) => O::DateGreaterThan,
            (Op::GreaterOrEqual, F::Date) => O::DateGreaterThanEquals,
            (Op::IsTrue | Op::IsFalse | Op::Equals, F::Bool) => O::Bool,
            (Op::Ip, F::IpAddress) => O::IpAddress,
            (Op::NotIp, F::IpAddress) => O::NotIpAddress,
            (Op::Equals, F::Arn) => O::ArnEquals,
            (Op::NotEquals, F::Arn) => O::ArnNotEquals,
            (Op::Like, F::Arn) => O::ArnLike,
            (Op::NotLike, F::Arn) => O::ArnNotLike,
            (Op::Equals, F::Binary) => O::BinaryEquals,
            _ => return None,
        })
    }

    /// The operator a program writes for an IAM operator that compares
    /// values; `None` for `Bool` and `Null` (whose operator as written
    /// depends on the value: see [`ConditionOp::from_iam_test`]) and for
    /// operators idp has no words for (`...IgnoreCase`).
    pub fn from_iam(operator: Operator) -> Option<ConditionOp> {
        use ConditionOp as Op;
        use Operator as O;
        Some(match operator {
            O::StringEquals | O::NumericEquals | O::DateEquals | O::ArnEquals | O::BinaryEquals => {
                Op::Equals
            }
            O::StringNotEquals | O::NumericNotEquals | O::DateNotEquals | O::ArnNotEquals => {
                Op::NotEquals
            }
            O::StringLike | O::ArnLike => Op::Like,
            O::StringNotLike | O::ArnNotLike => Op::NotLike,
            O::NumericLessThan | O::DateLessThan => Op::Less,
            O::NumericLessThanEquals | O::DateLessThanEquals => Op::LessOrEqual,
            O::NumericGreaterThan | O::DateGreaterThan => Op::Greater,
            O::NumericGreaterThanEquals | O::DateGreaterThanEquals => Op::GreaterOrEqual,
            O::IpAddress => Op::Ip,
            O::NotIpAddress => Op::NotIp,
            O::Bool | O::Null | O::StringEqualsIgnoreCase | O::StringNotEqualsIgnoreCase => {
                return None;
            }
        })
    }

    /// The unary test a program writes for `Bool` or `Null` with the value
    /// `true` or `false` (`Null: true` is `not exists`); `None` otherwise.
    pub fn from_iam_test(operator: Operator, value: &str) -> Option<ConditionOp> {
        let truth = match value {
            "true" => true,
            "false" => false,
            _ => return None,
        };
        match operator {
            Operator::Bool if truth => Some(ConditionOp::IsTrue),
            Operator::Bool => Some(ConditionOp::IsFalse),
            Operator::Null if truth => Some(ConditionOp::NotExists),
            Operator::Null => Some(ConditionOp::Exists),
            _ => None,
        }
    }

    /// The value an IAM test takes for a unary operator (`is true`,
    /// `exists`, ...): `Null: false` means the key exists.
    pub fn test_value(self) -> Option<&'static str> {
        match self {
            ConditionOp::Exists | ConditionOp::IsFalse => Some("false"),
            ConditionOp::NotExists | ConditionOp::IsTrue => Some("true"),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    #[test]
    fn policy_versions_round_trip() {
        assert_eq!(PolicyVersion::WRITTEN.to_iam(), "2012-10-17");
        assert_eq!(PolicyVersion::V2008_10_17.to_iam(), "2008-10-17");
        for version in [PolicyVersion::V2012_10_17, PolicyVersion::V2008_10_17] {
            assert_eq!(PolicyVersion::from_iam(version.to_iam()), Some(version));
        }
        assert_eq!(PolicyVersion::from_iam("2012-10-18"), None);
    }

    #[test]
    fn access_levels_round_trip() {
        let expected = [
            (AccessLevel::List, "list", "List"),
            (AccessLevel::Read, "read", "Read"),
            (AccessLevel::Write, "write", "Write"),
            (AccessLevel::Tagging, "tagging", "Tagging"),
            (
                AccessLevel::Permissions,
                "permissions",
                "Permissions management",
            ),
        ];
        assert_eq!(expected.len(), AccessLevel::ALL.len());
        for (level, keyword, iam) in expected {
            assert_eq!(level.keyword(), keyword);
            assert_eq!(level.to_iam(), iam);
            assert_eq!(AccessLevel::from_keyword(keyword), Some(level));
            assert_eq!(AccessLevel::from_iam(iam), Some(level));
        }
        assert_eq!(AccessLevel::from_keyword("Read"), None);
        assert_eq!(AccessLevel::from_iam("Permissions"), None);
    }

    #[test]
    fn match_types_round_trip() {
        let expected = [
            (MatchOp::Equals, "==", "Equals"),
            (MatchOp::NotEqual, "!=", "NotEqual"),
            (MatchOp::Contains, "contains", "Contains"),
            (MatchOp::StartsWith, "starts_with", "StartsWith"),
        ];
        assert_eq!(expected.len(), MatchOp::ALL.len());
        for (op, keyword, iam) in expected {
            assert_eq!(op.keyword(), keyword);
            assert_eq!(op.to_iam(), iam);
            assert_eq!(MatchOp::from_keyword(keyword), Some(op));
            assert_eq!(MatchOp::from_iam(iam), Some(op));
        }
        assert_eq!(MatchOp::from_iam("NotEquals"), None);
    }

    #[test]
    fn quantifiers_round_trip() {
        for (q, keyword, iam) in [
            (Quantifier::Any, "any", "ForAnyValue"),
            (Quantifier::All, "all", "ForAllValues"),
        ] {
            assert_eq!(q.keyword(), keyword);
            assert_eq!(q.to_iam(), iam);
            assert_eq!(Quantifier::from_keyword(keyword), Some(q));
            assert_eq!(Quantifier::from_iam(iam), Some(q));
        }
        assert_eq!(Quantifier::from_iam("ForAllValue"), None);
    }

    /// Every `.idp` operator on every family it fits: the IAM operator it
    /// writes, and back.
    #[test]
    fn condition_operators_round_trip() {
        use ConditionOp as Op;
        use OperatorFamily as F;
        let expected: &[(Op, F, &str)] = &[
            (Op::Equals, F::String, "StringEquals"),
            (Op::NotEquals, F::String, "StringNotEquals"),
            (Op::Like, F::String, "StringLike"),
            (Op::NotLike, F::String, "StringNotLike"),
            (Op::Equals, F::Numeric, "NumericEquals"),
            (Op::NotEquals, F::Numeric, "NumericNotEquals"),
            (Op::Less, F::Numeric, "NumericLessThan"),
            (Op::LessOrEqual, F::Numeric, "NumericLessThanEquals"),
            (Op::Greater, F::Numeric, "NumericGreaterThan"),
            (Op::GreaterOrEqual, F::Numeric, "NumericGreaterThanEquals"),
            (Op::Equals, F::Date, "DateEquals"),
            (Op::NotEquals, F::Date, "DateNotEquals"),
            (Op::Less, F::Date, "DateLessThan"),
            (Op::LessOrEqual, F::Date, "DateLessThanEquals"),
            (Op::Greater, F::Date, "DateGreaterThan"),
            (Op::GreaterOrEqual, F::Date, "DateGreaterThanEquals"),
            (Op::Ip, F::IpAddress, "IpAddress"),
            (Op::NotIp, F::IpAddress, "NotIpAddress"),
            (Op::Equals, F::Arn, "ArnEquals"),
            (Op::NotEquals, F::Arn, "ArnNotEquals"),
            (Op::Like, F::Arn, "ArnLike"),
            (Op::NotLike, F::Arn, "ArnNotLike"),
            (Op::Equals, F::Binary, "BinaryEquals"),
        ];
        for &(op, family, iam) in expected {
            let operator = op.to_iam(family).unwrap();
            assert_eq!(operator.to_iam(), iam);
            assert_eq!(Operator::from_iam(iam), Some(operator));
            assert_eq!(ConditionOp::from_iam(operator), Some(op), "{iam}");
        }
        // The unary tests: `Bool` and `Null` with their values.
        for (op, family, iam, value) in [
            (Op::IsTrue, F::Bool, "Bool", "true"),
            (Op::IsFalse, F::Bool, "Bool", "false"),
            (Op::Exists, F::String, "Null", "false"),
            (Op::NotExists, F::Date, "Null", "true"),
        ] {
            let operator = op.to_iam(family).unwrap();
            assert_eq!(operator.to_iam(), iam);
            assert_eq!(op.test_value(), Some(value));
            assert_eq!(ConditionOp::from_iam_test(operator, value), Some(op));
        }
        assert_eq!(Op::Equals.to_iam(F::Bool), Some(Operator::Bool));
        assert_eq!(Op::Like.to_iam(F::Numeric), None);
        assert_eq!(Op::Ip.to_iam(F::String), None);
        // Every pair not listed fits no family.
        let fitting = ConditionOp::ALL
            .iter()
            .flat_map(|op| F::ALL.map(|family| op.to_iam(family)))
            .flatten()
            .count();
        // 23 comparisons, 3 on Bool, and `exists`/`not exists` on all 7.
        assert_eq!(fitting, expected.len() + 3 + 2 * 7);
    }

    #[test]
    fn condition_keywords_round_trip() {
        for op in ConditionOp::ALL {
            let words: Vec<&str> = op.keyword().split(' ').collect();
            assert_eq!(ConditionOp::from_words(&words), Some(op));
        }
        assert_eq!(ConditionOp::from_words(&["is", "maybe"]), None);
    }

    #[test]
    fn every_operator_round_trips_through_its_iam_name() {
        for operator in Operator::ALL {
            assert_eq!(Operator::from_iam(operator.to_iam()), Some(operator));
            let whole = ConditionOperator::new(operator);
            assert_eq!(ConditionOperator::from_iam(&whole.to_iam()), Some(whole));
            for quantifier in Quantifier::ALL {
                let quantified = ConditionOperator {
                    quantifier: Some(quantifier),
                    ..whole
                };
                assert_eq!(
                    ConditionOperator::from_iam(&quantified.to_iam()),
                    Some(quantified)
                );
            }
            // Every operator but `Null` has an `...IfExists` form.
            let if_exists = format!("{operator}IfExists");
            let parsed = ConditionOperator::from_iam(&if_exists);
            if operator == Operator::Null {
                assert_eq!(parsed, None);
            } else {
                assert_eq!(
                    parsed.map(|p| (p.operator, p.if_exists)),
                    Some((operator, true))
                );
                assert_eq!(parsed.map(ConditionOperator::to_iam), Some(if_exists));
            }
        }
    }

    #[test]
    fn whole_operators_read_as_iam_writes_them() {
        let parsed = ConditionOperator::from_iam("ForAllValues:StringLikeIfExists").unwrap();
        assert_eq!(parsed.quantifier, Some(Quantifier::All));
        assert_eq!(parsed.operator, Operator::StringLike);
        assert!(parsed.if_exists);
        for wrong in [
            "stringequals",
            "ForAnyValues:StringEquals",
            "ForAnyValue:ForAllValues:StringEquals",
            "ForAnyValue:",
            "StringEquals:",
            "NullIfExists",
            "IfExists",
        ] {
            assert_eq!(ConditionOperator::from_iam(wrong), None, "{wrong}");
        }
    }

    #[test]
    fn negated_operators_are_the_not_matches() {
        let negated: Vec<&str> = Operator::ALL
            .into_iter()
            .filter(|op| op.is_negated())
            .map(Operator::to_iam)
            .collect();
        assert_eq!(
            negated,
            [
                "StringNotEquals",
                "StringNotEqualsIgnoreCase",
                "StringNotLike",
                "NumericNotEquals",
                "DateNotEquals",
                "NotIpAddress",
                "ArnNotEquals",
                "ArnNotLike",
            ]
        );
        let quantified = ConditionOperator::from_iam("ForAnyValue:ArnNotLikeIfExists").unwrap();
        assert!(quantified.is_negated());
    }
}
