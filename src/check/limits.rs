//! AWS's limits that fail a deploy, in one table, and the measures of a
//! program against those that need the whole program (policy sizes).
//!
//! Every number comes from AWS's documentation, named beside it (and in the
//! `idpc explain` page of the code that reports it), and is pinned by a test
//! below, so changing one is a deliberate act. Where a limit is a quota the
//! account can raise, only its default is known: going over it is a note
//! (N0216), never an error, since the deploy may well succeed.
//!
//! Sizes are counted on the CloudFormation idpc writes (`lower`), the text
//! IAM receives once CloudFormation has filled in its intrinsic functions,
//! without white space, as IAM counts. Where CloudFormation fills in a value
//! idpc cannot know (a region, a resource's name), the value is counted at
//! the shortest it can be, so an error is certain and never a guess.

use super::error::CheckErrorKind;
use super::ir::{Pool, Role, Statement};
use super::kinds::{ArnSource, iam_arn, kind_info};
use super::{Checker, Target};
use crate::check::ir::ResourceDef;
use crate::syntax::ast::{Kind, RoleUsage, Span, Text, TextPart};
use crate::vocabulary::PolicyVersion;
use serde_json::Value as Json;
use std::collections::{HashMap, HashSet};

/// A limit and the page of AWS's documentation that states it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    /// The number.
    pub value: usize,
    /// The page's title.
    pub title: &'static str,
    /// The page.
    pub url: &'static str,
}

const IAM_QUOTAS: (&str, &str) = (
    "IAM and AWS STS quotas, name requirements, and character limits",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html",
);
const TAG_RESOURCE: (&str, &str) = (
    "TagResource - Amazon Cognito Federated Identities",
    "https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_TagResource.html",
);
const SET_ROLES: (&str, &str) = (
    "SetIdentityPoolRoles - Amazon Cognito Federated Identities",
    "https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_SetIdentityPoolRoles.html",
);
const ARNS: (&str, &str) = (
    "Identify AWS resources with Amazon Resource Names (ARNs)",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html",
);

const fn limit(value: usize, page: (&'static str, &'static str)) -> Limit {
    Limit {
        value,
        title: page.0,
        url: page.1,
    }
}

/// "Role policy size cannot exceed 10,240 characters": the sum of a role's
/// inline policies, white space not counted. Not adjustable.
pub const ROLE_INLINE_POLICIES: Limit = limit(10_240, IAM_QUOTAS);
/// "Role trust policy length": 2,048 characters by default, adjustable.
pub const ROLE_TRUST_POLICY_DEFAULT: Limit = limit(2_048, IAM_QUOTAS);
/// "Managed policies attached to an IAM role": 10 by default, adjustable.
pub const ROLE_MANAGED_POLICIES_DEFAULT: Limit = limit(10, IAM_QUOTAS);
/// An output's `Description`: "Maximum length of 1024" (the API reference;
/// its "Minimum length of 1" is not enforced: the template guide says 0 to
/// 1024 bytes, so an empty description is not reported).
pub const OUTPUT_DESCRIPTION_LENGTH: Limit = limit(
    1024,
    (
        "Output - AWS CloudFormation (API reference)",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_Output.html",
    ),
);
/// `AWS::IAM::ManagedPolicy`'s `Description`: "Maximum: 1000".
pub const MANAGED_POLICY_DESCRIPTION_LENGTH: Limit = limit(
    1000,
    (
        "AWS::IAM::ManagedPolicy - AWS CloudFormation",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-managedpolicy.html",
    ),
);
/// "Managed policy size": 6,144 characters, white space not counted. Not
/// adjustable.
pub const MANAGED_POLICY_SIZE: Limit = limit(6_144, IAM_QUOTAS);
/// "Policy name": at most 128 characters. Not adjustable.
pub const POLICY_NAME_LENGTH: Limit = limit(128, IAM_QUOTAS);
/// "An identity pool can have as many as 50 tags."
pub const POOL_TAGS: Limit = limit(50, TAG_RESOURCE);
/// `Tags` key length constraint: at most 128.
pub const TAG_KEY_LENGTH: Limit = limit(128, TAG_RESOURCE);
/// `Tags` value length constraint: at most 256.
pub const TAG_VALUE_LENGTH: Limit = limit(256, TAG_RESOURCE);
/// `RulesConfigurationType.Rules`: "Maximum number of 25 items".
pub const RULES_PER_MAPPING: Limit = limit(
    25,
    (
        "RulesConfigurationType - Amazon Cognito Federated Identities",
        "https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_RulesConfigurationType.html",
    ),
);
/// `RoleMappings`: "Map Entries: Maximum number of 10 items".
pub const MAPPINGS_PER_POOL: Limit = limit(10, SET_ROLES);
/// `IdentityPoolId`: "Maximum length of 55" (the format is `REGION:GUID`).
pub const IDENTITY_POOL_ID_LENGTH: Limit = limit(55, SET_ROLES);
/// "The only required section is the Resources section, which must declare
/// at least one resource." (E0212 says so; a test pins the citation.)
#[cfg_attr(not(test), allow(dead_code))]
pub const TEMPLATE_RESOURCES: Limit = limit(
    1,
    (
        "Working with CloudFormation templates",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-guide.html",
    ),
);
/// The shortest partition, `aws` (the others are `aws-cn`, `aws-us-gov`, ...).
pub const SHORTEST_PARTITION: Limit = limit(3, ARNS);
/// An account ID: 12 digits, written without hyphens in ARNs.
pub const ACCOUNT_ID_LENGTH: Limit = limit(12, ARNS);
/// The shortest region code, such as `us-east-1` or `eu-west-1`.
pub const SHORTEST_REGION: Limit = limit(
    9,
    (
        "AWS Regions",
        "https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html",
    ),
);

/// How the counts below fill in what CloudFormation decides, for the
/// diagnostics to say.
pub const COUNTED_AS: &str = "each partition counted as `aws`, each region as 9 characters (`us-east-1`), each account ID as 12 digits, each resource name or ID idpc cannot know as 1 character and each Serverless variable as empty";

/// How intrinsic functions are counted in one document.
struct Counting<'a> {
    target: Target,
    /// The kinds of the resources the document names, by logical ID.
    kinds: HashMap<&'a str, Kind>,
    /// What a `Ref` to anything else counts as.
    other_ref: usize,
}

impl Checker {
    /// The limits that need the checked program: each role's inline policy
    /// size and trust policy length. Run on a program without errors.
    pub(super) fn deploy_limits(&mut self, pools: &[Pool], shared: &[Role]) {
        let roles = pools.iter().flat_map(|pool| &pool.roles).chain(shared);
        for role in roles {
            self.default_policy_name_length(role);
            self.inline_policy_size(role);
            self.trust_policy_length(role);
        }
    }

    /// Reports the statement at which a role's inline policy passes IAM's
    /// 10,240 characters, counted at its shortest.
    fn inline_policy_size(&mut self, role: &Role) {
        // `{"Version":"2012-10-17","Statement":[` ... `]}`, statements
        // separated by commas.
        let mut size =
            r#"{"Version":"","Statement":[]}"#.len() + PolicyVersion::WRITTEN.to_iam().len();
        let mut crossed: Option<Span> = None;
        // Every inline policy of the role counts, its named ones included
        // (a separate `AWS::IAM::Policy` is an inline policy of the role).
        let empty = size;
        let documents = std::iter::once(&role.statements)
            .chain(role.policies.iter().map(|policy| &policy.statements))
            .filter(|statements| !statements.is_empty());
        for (n, statements) in documents.enumerate() {
            if n > 0 {
                size += empty;
            }
            for (index, statement) in statements.iter().enumerate() {
                size += self.statement_size(statement) + usize::from(index > 0);
                if crossed.is_none() && size > ROLE_INLINE_POLICIES.value {
                    crossed = Some(statement.origin.span);
                }
            }
        }
        if let Some(span) = crossed {
            let kind = CheckErrorKind::InlinePolicyTooLarge {
                role: role.logical_id.clone(),
                size,
            };
            self.problem(span, kind);
        }
    }

    /// Reports the statement at which a managed policy of the program
    /// passes IAM's 6,144 characters, counted at its shortest, as a role's
    /// inline policy is (E0244).
    pub(super) fn managed_policy_sizes(&mut self, policies: &[super::ir::ManagedPolicy]) {
        for policy in policies {
            let mut size =
                r#"{"Version":"","Statement":[]}"#.len() + PolicyVersion::WRITTEN.to_iam().len();
            let mut crossed: Option<Span> = None;
            for (index, statement) in policy.statements.iter().enumerate() {
                size += self.statement_size(statement) + usize::from(index > 0);
                if crossed.is_none() && size > MANAGED_POLICY_SIZE.value {
                    crossed = Some(statement.origin.span);
                }
            }
            if let Some(span) = crossed {
                let kind = CheckErrorKind::ManagedPolicyTooLarge {
                    policy: policy.logical_id.clone(),
                    size,
                };
                self.problem(span, kind);
            }
        }
    }

    /// A statement's characters as IAM counts them, at the shortest.
    fn statement_size(&self, statement: &Statement) -> usize {
        let counting = Counting {
            target: self.target,
            kinds: statement_kinds(&statement.resources),
            other_ref: 1,
        };
        // A statement that can't be written (one key twice) is E0409's,
        // reported already; it counts as nothing here.
        let Ok(written) = crate::lower::statement(statement, self.target) else {
            return 0;
        };
        let json = serde_json::to_value(&written).unwrap_or(Json::Null);
        counting.size(&json)
    }

    /// Notes a trust policy longer than IAM's default quota, each pool's ID
    /// counted at the longest Cognito allows (the trust policy grows with
    /// the pools a top-level role trusts).
    fn trust_policy_length(&mut self, role: &Role) {
        let counting = Counting {
            target: self.target,
            kinds: HashMap::new(),
            other_ref: IDENTITY_POOL_ID_LENGTH.value,
        };
        let trust = crate::lower::trust_policy(role);
        let json = serde_json::to_value(&trust).unwrap_or(Json::Null);
        let length = counting.size(&json);
        if length <= ROLE_TRUST_POLICY_DEFAULT.value {
            return;
        }
        let Some(uses) = self.shared.get(&role.logical_id) else {
            return;
        };
        // Each pool adds its ID, quoted, and a comma; a second pool also
        // turns the single value into a list.
        let pools = role.trusted_pools.len();
        let per_pool = IDENTITY_POOL_ID_LENGTH.value + 3;
        let length_with = |count: usize| {
            let fewer = (pools - count) * per_pool;
            let list = if count == 1 && pools > 1 { 2 } else { 0 };
            length.saturating_sub(fewer + list)
        };
        let crossing = (1..=pools)
            .find(|count| length_with(*count) > ROLE_TRUST_POLICY_DEFAULT.value)
            .unwrap_or(pools);
        let span = nth_pool_use(uses.name_span, &uses.uses, crossing);
        let kind = CheckErrorKind::AdjustableQuota {
            quota: super::Quota::RoleTrustPolicyLength,
            default: format!("{} characters", thousands(ROLE_TRUST_POLICY_DEFAULT.value)),
            detail: format!(
                "with this pool, the trust policy of `{}` is up to {} characters long, up to {} with all {pools} pools (each pool ID counted at Cognito's longest, {} characters)",
                role.logical_id,
                thousands(length_with(crossing)),
                thousands(length),
                IDENTITY_POOL_ID_LENGTH.value
            ),
        };
        self.problem(span, kind);
    }

    /// Reports an inline policy name longer than IAM accepts, counted on
    /// its literal parts (a Serverless variable only makes it longer).
    pub(super) fn policy_name_length(&mut self, text: &Text) {
        let length: usize = text
            .parts
            .iter()
            .map(|part| match &part.node {
                TextPart::Literal(literal) => literal.chars().count(),
                _ => 0,
            })
            .sum();
        if length > POLICY_NAME_LENGTH.value {
            let kind = CheckErrorKind::NameTooLongForIam {
                what: super::IamName::InlinePolicy,
                limit: POLICY_NAME_LENGTH.value,
                length,
            };
            self.problem(text.span, kind);
        }
    }

    /// Reports a default inline policy name, `<Role>Policy`, longer than
    /// IAM accepts (a long logical ID makes one), at the role's name.
    fn default_policy_name_length(&mut self, role: &Role) {
        let default = format!("{}Policy", role.logical_id);
        let length = default.chars().count();
        if role.statements.is_empty()
            || length <= POLICY_NAME_LENGTH.value
            || role.policy_name != super::ir::Value::literal(default.as_str())
        {
            return;
        }
        let Some(symbol) = self.symbols.get(&role.logical_id) else {
            return;
        };
        let kind = CheckErrorKind::NameTooLongForIam {
            what: super::IamName::DefaultInlinePolicy {
                default,
                role: role.logical_id.clone(),
            },
            limit: POLICY_NAME_LENGTH.value,
            length,
        };
        self.problem(super::declared_span(&symbol.declared), kind);
    }

    /// Notes the managed policy line past IAM's default quota of a role.
    pub(super) fn managed_policy_count(&mut self, count: usize, span: Span) {
        if count != ROLE_MANAGED_POLICIES_DEFAULT.value + 1 {
            return;
        }
        let kind = CheckErrorKind::AdjustableQuota {
            quota: super::Quota::ManagedPoliciesPerRole,
            default: ROLE_MANAGED_POLICIES_DEFAULT.value.to_string(),
            detail: format!("this is managed policy number {count} of the role"),
        };
        self.problem(span, kind);
    }
}

/// The use that adds the `nth` pool (from 1) to a role's trust, or the
/// role's name.
fn nth_pool_use(name: Span, uses: &[(String, RoleUsage, Span)], nth: usize) -> Span {
    let mut seen: HashSet<&str> = HashSet::new();
    for (pool, _, span) in uses {
        if seen.insert(pool.as_str()) && seen.len() == nth {
            return *span;
        }
    }
    name
}

/// `10240` → `10,240`.
pub fn thousands(number: usize) -> String {
    let digits = number.to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// The kinds of the resources a statement names.
fn statement_kinds(resources: &[ResourceDef]) -> HashMap<&str, Kind> {
    resources
        .iter()
        .filter_map(|resource| match resource {
            ResourceDef::Of {
                logical_id, kind, ..
            } => Some((logical_id.as_str(), *kind)),
            _ => None,
        })
        .collect()
}

/// The shortest ARN a resource of `kind` can have: the fixed part of its
/// form (partition `aws`, a 9-character region, a 12-digit account) and
/// one character of name.
pub fn shortest_arn(kind: Kind) -> usize {
    let Some((_, example)) = iam_arn(kind) else {
        return 1;
    };
    // The examples are written with the shortest partition and region
    // (`aws`, `us-east-1`); the name follows the resource type's last
    // `/` or `:`.
    let fixed = example.rfind(['/', ':']).map_or(0, |at| at + 1);
    fixed + 1
}

impl Counting<'_> {
    /// The characters of a JSON value, white space not counted, with each
    /// intrinsic function as the shortest string it can give.
    fn size(&self, value: &Json) -> usize {
        match value {
            Json::Null => 4,
            Json::Bool(true) => 4,
            Json::Bool(false) => 5,
            Json::Number(number) => number.to_string().len(),
            Json::String(text) => 2 + self.text(text),
            Json::Array(items) => {
                2 + items.iter().map(|item| self.size(item)).sum::<usize>()
                    + items.len().saturating_sub(1)
            }
            Json::Object(map) => {
                if let Some(length) = self.intrinsic(map) {
                    return 2 + length;
                }
                2 + map
                    .iter()
                    .map(|(key, value)| 2 + self.text(key) + 1 + self.size(value))
                    .sum::<usize>()
                    + map.len().saturating_sub(1)
            }
        }
    }

    /// The shortest string an intrinsic function gives, without quotes.
    fn intrinsic(&self, map: &serde_json::Map<String, Json>) -> Option<usize> {
        let (name, argument) = map.iter().next().filter(|_| map.len() == 1)?;
        match name.as_str() {
            "Ref" => Some(self.reference(argument.as_str().unwrap_or_default())),
            "Fn::GetAtt" => {
                let id = argument.get(0).and_then(Json::as_str).unwrap_or_default();
                Some(match self.kinds.get(id) {
                    Some(kind) if argument.get(1).and_then(Json::as_str) == Some("Arn") => {
                        shortest_arn(*kind)
                    }
                    _ => 1,
                })
            }
            "Fn::Join" => {
                let parts = argument.get(1).and_then(Json::as_array)?;
                Some(
                    parts
                        .iter()
                        .map(|part| match part {
                            Json::String(text) => self.text(text),
                            Json::Object(map) => self.intrinsic(map).unwrap_or(0),
                            _ => 0,
                        })
                        .sum(),
                )
            }
            "Fn::Select" => Some(0),
            _ => None,
        }
    }

    fn reference(&self, name: &str) -> usize {
        match name {
            "AWS::Partition" => SHORTEST_PARTITION.value,
            "AWS::Region" => SHORTEST_REGION.value,
            "AWS::AccountId" => ACCOUNT_ID_LENGTH.value,
            _ => match self.kinds.get(name) {
                Some(kind) if kind_info(*kind).arn == ArnSource::Ref => shortest_arn(*kind),
                Some(_) => 1,
                None => self.other_ref,
            },
        }
    }

    /// The characters of a string's JSON form, without its quotes and
    /// white space; Serverless variables (which Serverless fills in before
    /// CloudFormation sees the text) count as nothing.
    fn text(&self, text: &str) -> usize {
        let kept = match self.target {
            Target::Serverless => without_serverless_variables(text),
            Target::CloudFormation => text.to_string(),
        };
        let escaped = serde_json::to_string(&kept).unwrap_or_default();
        escaped.chars().filter(|c| !c.is_whitespace()).count() - 2
    }
}

/// The text with every `${...}` (nested ones included) taken out. In the
/// `serverless` target no `${` is anything else: policy variables are split
/// across `Fn::Join` parts (see `lower`).
fn without_serverless_variables(text: &str) -> String {
    let mut kept = String::with_capacity(text.len());
    let mut depth = 0usize;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek() == Some(&'{') {
            chars.next();
            depth += 1;
        } else if c == '}' && depth > 0 {
            depth -= 1;
        } else if depth == 0 {
            kept.push(c);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each number as AWS's documentation states it: a change here must be
    /// a change there first.
    #[test]
    fn limits_are_the_documented_numbers() {
        assert_eq!(ROLE_INLINE_POLICIES.value, 10_240);
        assert_eq!(ROLE_TRUST_POLICY_DEFAULT.value, 2_048);
        assert_eq!(ROLE_MANAGED_POLICIES_DEFAULT.value, 10);
        assert_eq!(POLICY_NAME_LENGTH.value, 128);
        assert_eq!(POOL_TAGS.value, 50);
        assert_eq!(TAG_KEY_LENGTH.value, 128);
        assert_eq!(TAG_VALUE_LENGTH.value, 256);
        assert_eq!(RULES_PER_MAPPING.value, 25);
        assert_eq!(MAPPINGS_PER_POOL.value, 10);
        assert_eq!(IDENTITY_POOL_ID_LENGTH.value, 55);
        assert_eq!(TEMPLATE_RESOURCES.value, 1);
        assert_eq!(SHORTEST_PARTITION.value, "aws".len());
        assert_eq!(ACCOUNT_ID_LENGTH.value, "123456789012".len());
        assert_eq!(SHORTEST_REGION.value, "us-east-1".len());
    }

    #[test]
    fn every_limit_names_an_aws_page() {
        let all = [
            ROLE_INLINE_POLICIES,
            ROLE_TRUST_POLICY_DEFAULT,
            ROLE_MANAGED_POLICIES_DEFAULT,
            POLICY_NAME_LENGTH,
            POOL_TAGS,
            TAG_KEY_LENGTH,
            TAG_VALUE_LENGTH,
            RULES_PER_MAPPING,
            MAPPINGS_PER_POOL,
            IDENTITY_POOL_ID_LENGTH,
            TEMPLATE_RESOURCES,
            SHORTEST_PARTITION,
            ACCOUNT_ID_LENGTH,
            SHORTEST_REGION,
        ];
        for limit in all {
            assert!(
                limit.url.starts_with("https://docs.aws.amazon.com/"),
                "{limit:?}"
            );
            assert!(!limit.title.is_empty());
        }
    }

    #[test]
    fn shortest_arns_keep_the_fixed_part_and_one_character() {
        assert_eq!(shortest_arn(Kind::Bucket), "arn:aws:s3:::b".len());
        assert_eq!(
            shortest_arn(Kind::Table),
            "arn:aws:dynamodb:us-east-1:123456789012:table/t".len()
        );
        assert_eq!(
            shortest_arn(Kind::Function),
            "arn:aws:lambda:us-east-1:123456789012:function:f".len()
        );
        assert_eq!(shortest_arn(Kind::UserPoolClient), 1);
    }

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(10_240), "10,240");
        assert_eq!(thousands(2_048), "2,048");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }

    #[test]
    fn serverless_variables_count_as_nothing() {
        assert_eq!(without_serverless_variables("a${self:custom.stage}b"), "ab");
        assert_eq!(
            without_serverless_variables("x${self:custom.${opt:stage}}y"),
            "xy"
        );
        assert_eq!(without_serverless_variables("no variables"), "no variables");
    }

    #[test]
    fn sizes_leave_out_white_space_and_count_intrinsics_at_their_shortest() {
        let counting = Counting {
            target: Target::Serverless,
            kinds: HashMap::from([("Files", Kind::Bucket)]),
            other_ref: 1,
        };
        let json = serde_json::json!({"Effect": "Allow", "Action": ["s3:Get Object"]});
        assert_eq!(
            counting.size(&json),
            r#"{"Effect":"Allow","Action":["s3:GetObject"]}"#.len()
        );
        let arn = serde_json::json!({"Fn::Join": ["", [{"Fn::GetAtt": ["Files", "Arn"]}, "/${self:custom.stage}/*"]]});
        assert_eq!(counting.size(&arn), r#""arn:aws:s3:::b//*""#.len());
        let region = serde_json::json!({"Ref": "AWS::Region"});
        assert_eq!(counting.size(&region), r#""us-east-1""#.len());
    }
}
