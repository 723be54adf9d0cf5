//! A typed model of the CloudFormation this compiler writes.
//!
//! It knows no source text and no language: lowering builds it, emission
//! serializes it. Maps that CloudFormation reads in any order are still kept
//! as ordered lists, so the output is byte-identical from run to run.
//! A Cognito trust policy can only be built by [`TrustPolicy::cognito`],
//! which always writes both the `aud` and the `amr` condition.

use serde::Serialize;
use serde::ser::{SerializeMap, SerializeSeq, Serializer};

/// The policy language version every document declares.
pub const POLICY_VERSION: &str = "2012-10-17";

/// The template format version of a whole template.
pub const TEMPLATE_FORMAT_VERSION: &str = "2010-09-09";

/// A template, or the `resources:` fragment of one.
#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    /// `AWSTemplateFormatVersion`, for a whole template only.
    pub format_version: Option<&'static str>,
    /// `Resources`, in the order they are written.
    pub resources: Vec<(String, Resource)>,
    /// `Outputs`, in the order they are written.
    pub outputs: Vec<(String, Output)>,
}

impl Serialize for Template {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        if let Some(version) = self.format_version {
            map.serialize_entry("AWSTemplateFormatVersion", version)?;
        }
        map.serialize_entry("Resources", &Entries(&self.resources))?;
        if !self.outputs.is_empty() {
            map.serialize_entry("Outputs", &Entries(&self.outputs))?;
        }
        map.end()
    }
}

/// Serializes `(key, value)` pairs as a map, in order.
struct Entries<'a, T>(&'a [(String, T)]);

impl<T: Serialize> Serialize for Entries<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

/// A resource: its type and properties.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Resource {
    /// `AWS::Cognito::IdentityPool`
    IdentityPool(Typed<IdentityPool>),
    /// `AWS::Cognito::IdentityPoolRoleAttachment`
    RoleAttachment(Typed<RoleAttachment>),
    /// `AWS::IAM::Role`
    Role(Typed<Role>),
    /// `AWS::Cognito::IdentityPoolPrincipalTag`
    PrincipalTag(Typed<PrincipalTag>),
}

/// `Type` and `Properties` of a resource.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Typed<P> {
    /// The CloudFormation type.
    #[serde(rename = "Type")]
    pub cfn_type: &'static str,
    /// The properties.
    pub properties: P,
}

impl Resource {
    /// An identity pool resource.
    pub fn identity_pool(properties: IdentityPool) -> Resource {
        Resource::IdentityPool(Typed {
            cfn_type: "AWS::Cognito::IdentityPool",
            properties,
        })
    }

    /// A role attachment resource.
    pub fn role_attachment(properties: RoleAttachment) -> Resource {
        Resource::RoleAttachment(Typed {
            cfn_type: "AWS::Cognito::IdentityPoolRoleAttachment",
            properties,
        })
    }

    /// A principal-tag mapping resource.
    pub fn principal_tag(properties: PrincipalTag) -> Resource {
        Resource::PrincipalTag(Typed {
            cfn_type: "AWS::Cognito::IdentityPoolPrincipalTag",
            properties,
        })
    }

    /// An IAM role resource.
    pub fn role(properties: Role) -> Resource {
        Resource::Role(Typed {
            cfn_type: "AWS::IAM::Role",
            properties,
        })
    }
}

/// Properties of `AWS::Cognito::IdentityPool`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityPool {
    /// `IdentityPoolName`
    pub identity_pool_name: Expr,
    /// `AllowUnauthenticatedIdentities`
    pub allow_unauthenticated_identities: bool,
    /// `AllowClassicFlow`, written only when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_classic_flow: Option<bool>,
    /// `CognitoIdentityProviders`
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cognito_identity_providers: Vec<CognitoIdentityProvider>,
    /// `SupportedLoginProviders`: domain → app id.
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "ordered_map")]
    pub supported_login_providers: Vec<(String, Expr)>,
    /// `OpenIdConnectProviderARNs`
    #[serde(
        rename = "OpenIdConnectProviderARNs",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub open_id_connect_provider_arns: Vec<Expr>,
    /// `SamlProviderARNs`
    #[serde(rename = "SamlProviderARNs", skip_serializing_if = "Vec::is_empty")]
    pub saml_provider_arns: Vec<Expr>,
    /// `DeveloperProviderName`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub developer_provider_name: Option<Expr>,
    /// `IdentityPoolTags`
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub identity_pool_tags: Vec<Tag>,
}

/// A `{Key, Value}` tag.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Tag {
    /// `Key`
    pub key: Expr,
    /// `Value`
    pub value: Expr,
}

/// An entry of `CognitoIdentityProviders`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CognitoIdentityProvider {
    /// `ClientId`
    pub client_id: Expr,
    /// `ProviderName`
    pub provider_name: Expr,
    /// `ServerSideTokenCheck`, written only when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_side_token_check: Option<bool>,
}

/// Properties of `AWS::Cognito::IdentityPoolRoleAttachment`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RoleAttachment {
    /// `IdentityPoolId`
    pub identity_pool_id: Expr,
    /// `Roles`: `authenticated` / `unauthenticated` → role ARN.
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "ordered_map")]
    pub roles: Vec<(String, Expr)>,
    /// `RoleMappings`: a literal key → mapping.
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        serialize_with = "ordered_mappings"
    )]
    pub role_mappings: Vec<(String, RoleMapping)>,
}

/// A `RoleMappings` entry.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RoleMapping {
    /// `Type`: `Token` or `Rules`.
    #[serde(rename = "Type")]
    pub mapping_type: &'static str,
    /// `AmbiguousRoleResolution`: `AuthenticatedRole` or `Deny`.
    pub ambiguous_role_resolution: &'static str,
    /// `IdentityProvider`: the provider's name (may be an intrinsic).
    pub identity_provider: Expr,
    /// `RulesConfiguration`, for `Rules`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rules_configuration: Option<RulesConfiguration>,
}

/// `RulesConfiguration`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RulesConfiguration {
    /// `Rules`, in order: the first match wins.
    pub rules: Vec<MappingRule>,
}

/// A rule of `RulesConfiguration`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct MappingRule {
    /// `Claim`
    pub claim: Expr,
    /// `MatchType`
    pub match_type: &'static str,
    /// `Value`
    pub value: Expr,
    /// `RoleARN`
    #[serde(rename = "RoleARN")]
    pub role_arn: Expr,
}

/// Properties of `AWS::Cognito::IdentityPoolPrincipalTag`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PrincipalTag {
    /// `IdentityPoolId`
    pub identity_pool_id: Expr,
    /// `IdentityProviderName`
    pub identity_provider_name: Expr,
    /// `PrincipalTags`: tag → claim.
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "ordered_map")]
    pub principal_tags: Vec<(String, Expr)>,
    /// `UseDefaults`
    pub use_defaults: bool,
}

/// Properties of `AWS::IAM::Role`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Role {
    /// `Path`
    pub path: &'static str,
    /// `AssumeRolePolicyDocument`
    pub assume_role_policy_document: TrustPolicy,
    /// `Policies`: the inline policies.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<InlinePolicy>,
    /// `ManagedPolicyArns`
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub managed_policy_arns: Vec<Expr>,
    /// `PermissionsBoundary`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permissions_boundary: Option<Expr>,
}

/// An entry of a role's `Policies`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct InlinePolicy {
    /// `PolicyName`
    pub policy_name: Expr,
    /// `PolicyDocument`
    pub policy_document: PolicyDocument,
}

/// An IAM policy document.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PolicyDocument {
    /// Always [`POLICY_VERSION`].
    pub version: &'static str,
    /// The statements, in order.
    pub statement: Vec<PolicyStatement>,
}

/// `Allow` or `Deny`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Effect {
    /// Grants.
    Allow,
    /// Refuses, whatever else grants.
    Deny,
}

/// A statement of a policy document.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PolicyStatement {
    /// `Effect`
    pub effect: Effect,
    /// `Principal`, in trust policies only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub principal: Option<Principal>,
    /// `Action`
    pub action: Vec<String>,
    /// `Resource`, in permission policies only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<Vec<Expr>>,
    /// `Condition`: operator → key → value(s).
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "conditions")]
    pub condition: Vec<Condition>,
}

/// A `Principal` element.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Principal {
    /// `Federated`
    pub federated: &'static str,
}

/// One `operator: { key: value }` entry of a `Condition` block.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    /// The operator, such as `StringEquals` or `ForAnyValue:StringLike`.
    pub operator: String,
    /// The context key.
    pub key: String,
    /// One value, or several (any of which may match).
    pub values: Vec<Expr>,
}

fn ordered_mappings<S: Serializer>(
    entries: &[(String, RoleMapping)],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    Entries(entries).serialize(serializer)
}

fn ordered_map<S: Serializer>(
    entries: &[(String, Expr)],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    Entries(entries).serialize(serializer)
}

/// Groups conditions by operator (first appearance first), then key.
fn conditions<S: Serializer>(conditions: &[Condition], serializer: S) -> Result<S::Ok, S::Error> {
    let mut operators: Vec<(String, Vec<(String, Expr)>)> = Vec::new();
    for condition in conditions {
        let value = match condition.values.as_slice() {
            [one] => one.clone(),
            many => Expr::List(many.to_vec()),
        };
        let entry = (condition.key.clone(), value);
        match operators
            .iter_mut()
            .find(|(op, _)| *op == condition.operator)
        {
            Some((_, entries)) => entries.push(entry),
            None => operators.push((condition.operator.clone(), vec![entry])),
        }
    }
    let mut map = serializer.serialize_map(Some(operators.len()))?;
    for (operator, entries) in &operators {
        map.serialize_entry(operator, &Entries(entries))?;
    }
    map.end()
}

/// The service principal of Cognito identity pools.
pub const COGNITO_IDENTITY: &str = "cognito-identity.amazonaws.com";

/// The trust policy of a role that identity pools hand out.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(transparent)]
pub struct TrustPolicy(PolicyDocument);

impl TrustPolicy {
    /// Trust `cognito-identity.amazonaws.com` to assume the role for
    /// identities of `pools` (`aud`) that signed in or not (`amr`). Both
    /// conditions are always present: without `aud`, identities of any pool
    /// in any account could assume the role.
    /// With `tag_session`, the role also trusts `sts:TagSession`, which
    /// principal tags need.
    pub fn cognito(pools: Vec<Expr>, amr: &str, tag_session: bool) -> TrustPolicy {
        let mut action = vec!["sts:AssumeRoleWithWebIdentity".to_string()];
        if tag_session {
            action.push("sts:TagSession".to_string());
        }
        TrustPolicy(PolicyDocument {
            version: POLICY_VERSION,
            statement: vec![PolicyStatement {
                effect: Effect::Allow,
                principal: Some(Principal {
                    federated: COGNITO_IDENTITY,
                }),
                action,
                resource: None,
                condition: vec![
                    Condition {
                        operator: "StringEquals".to_string(),
                        key: format!("{COGNITO_IDENTITY}:aud"),
                        values: pools,
                    },
                    Condition {
                        operator: "ForAnyValue:StringLike".to_string(),
                        key: format!("{COGNITO_IDENTITY}:amr"),
                        values: vec![Expr::string(amr)],
                    },
                ],
            }],
        })
    }

    /// The policy document.
    pub fn document(&self) -> &PolicyDocument {
        &self.0
    }
}

/// A stack output.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Output {
    /// `Value`
    pub value: Expr,
}

/// A property value: a string, a boolean or an intrinsic function.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// A literal string.
    String(String),
    /// `Ref: Name`
    Ref(String),
    /// `Fn::GetAtt: [Name, Attribute]`
    GetAtt(String, String),
    /// `Fn::Join: ['', [parts]]`
    Join(Vec<Expr>),
    /// `Fn::Select: [index, {Fn::Split: [separator, value]}]`
    SelectSplit {
        /// Which piece.
        index: usize,
        /// What to split at.
        separator: String,
        /// What to split.
        value: Box<Expr>,
    },
    /// A list of values.
    List(Vec<Expr>),
}

impl Expr {
    /// A literal string.
    pub fn string(text: impl Into<String>) -> Expr {
        Expr::String(text.into())
    }
}

impl Serialize for Expr {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Expr::String(text) => serializer.serialize_str(text),
            Expr::Ref(name) => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("Ref", name)?;
                map.end()
            }
            Expr::GetAtt(name, attribute) => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("Fn::GetAtt", &[name, attribute])?;
                map.end()
            }
            Expr::Join(parts) => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("Fn::Join", &JoinArgs(parts))?;
                map.end()
            }
            Expr::SelectSplit {
                index,
                separator,
                value,
            } => {
                let split = SplitArgs(separator, value);
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("Fn::Select", &SelectArgs(*index, &split))?;
                map.end()
            }
            Expr::List(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
        }
    }
}

/// `['', [parts]]`
struct JoinArgs<'a>(&'a [Expr]);

impl Serialize for JoinArgs<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(2))?;
        seq.serialize_element("")?;
        seq.serialize_element(self.0)?;
        seq.end()
    }
}

/// `[index, {Fn::Split: ...}]`
struct SelectArgs<'a>(usize, &'a SplitArgs<'a>);

impl Serialize for SelectArgs<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(2))?;
        seq.serialize_element(&self.0)?;
        seq.serialize_element(self.1)?;
        seq.end()
    }
}

/// `{Fn::Split: [separator, value]}`
struct SplitArgs<'a>(&'a str, &'a Expr);

impl Serialize for SplitArgs<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry("Fn::Split", &(self.0, self.1))?;
        map.end()
    }
}
