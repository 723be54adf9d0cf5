//! A typed model of the CloudFormation this compiler writes.
//!
//! It knows no source text and no language: lowering builds it, emission
//! serializes it. Maps that CloudFormation reads in any order are still kept
//! in order, so the output is byte-identical from run to run. Every map is a
//! [`KeyMap`], which refuses a key it already holds: YAML and JSON readers
//! keep the last of two equal keys and silently drop the first, so a
//! duplicate is a construction error here, never something written.
//! A Cognito trust policy can only be built by [`TrustPolicy::cognito`],
//! which always writes both the `aud` and the `amr` condition.

use crate::vocabulary::{ConditionOperator, Operator, PolicyVersion, Quantifier};
use serde::Serialize;
use serde::ser::{SerializeMap, SerializeSeq, Serializer};

/// The policy language version every document declares.
pub const POLICY_VERSION: &str = PolicyVersion::WRITTEN.to_iam();

/// The template format version of a whole template.
pub const TEMPLATE_FORMAT_VERSION: &str = "2010-09-09";

/// A template, or the `resources:` fragment of one.
#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    /// `AWSTemplateFormatVersion`, for a whole template only.
    pub format_version: Option<&'static str>,
    /// `Resources`, in the order they are written.
    pub resources: KeyMap<Resource>,
    /// `Outputs`, in the order they are written.
    pub outputs: KeyMap<Output>,
}

impl Serialize for Template {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_template(serializer, self.format_version, &self.resources, || {
            Ok(&self.outputs)
        })
    }
}

/// A template's top-level map: the format version, `resources`, then the
/// outputs (called once the resources are written) unless there are none.
/// Shared by [`Template`] and the writer that lowers as it writes
/// (`emit::write_program`), so both write the same text.
pub(crate) fn serialize_template<
    S: Serializer,
    R: Serialize,
    O: std::borrow::Borrow<KeyMap<Output>>,
>(
    serializer: S,
    format_version: Option<&'static str>,
    resources: &R,
    outputs: impl FnOnce() -> Result<O, S::Error>,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    if let Some(version) = format_version {
        map.serialize_entry("AWSTemplateFormatVersion", version)?;
    }
    map.serialize_entry("Resources", resources)?;
    let outputs = outputs()?;
    if !outputs.borrow().is_empty() {
        map.serialize_entry("Outputs", outputs.borrow())?;
    }
    map.end()
}

/// A key the model was asked to hold twice in one map. Lowering reports it
/// as an internal error: the checker should have refused the program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DuplicateKey {
    /// The key, as it would have been written.
    pub key: String,
    /// What the map is, such as `Condition` or `Resources`.
    pub map: &'static str,
}

impl DuplicateKey {
    /// An internal error: lowering was asked to write one key twice in a map
    /// (YAML and JSON readers would keep only the last). The checker should
    /// have refused the program; nothing is written.
    pub fn to_diagnostic(&self) -> crate::diag::Diagnostic {
        crate::diag::Diagnostic::unlabelled(
            crate::diag::Code::E0005,
            format!(
                "internal error: the output would hold the key `{}` twice in `{}`",
                self.key, self.map
            ),
        )
        .with_note("a reader keeps only one of two equal keys, so part of the program would silently be lost; nothing was written")
        .with_help("this is a bug in idpc: please report it with the program")
    }
}

/// An object of the output: keys in insertion order, each at most once.
///
/// Keys compare exactly, or ignoring ASCII case for maps whose keys AWS
/// reads that way (condition keys): two keys that differ only in case would
/// be one key to IAM.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyMap<V> {
    /// What the map is, for [`DuplicateKey`].
    name: &'static str,
    fold_case: bool,
    entries: Vec<(String, V)>,
}

impl<V> KeyMap<V> {
    /// An empty map whose keys compare exactly; `name` says what it is.
    pub fn new(name: &'static str) -> KeyMap<V> {
        KeyMap {
            name,
            fold_case: false,
            entries: Vec::new(),
        }
    }

    /// An empty map whose keys compare ignoring ASCII case.
    pub fn ignoring_case(name: &'static str) -> KeyMap<V> {
        KeyMap {
            fold_case: true,
            ..KeyMap::new(name)
        }
    }

    /// A map of `entries`, in order; an error at the first key given twice.
    pub fn from_entries(
        name: &'static str,
        entries: impl IntoIterator<Item = (String, V)>,
    ) -> Result<KeyMap<V>, DuplicateKey> {
        let mut map = KeyMap::new(name);
        for (key, value) in entries {
            map.insert(key, value)?;
        }
        Ok(map)
    }

    /// Adds `key` at the end; an error, leaving the map as it was, when the
    /// map already holds it.
    pub fn insert(&mut self, key: String, value: V) -> Result<(), DuplicateKey> {
        if self.get(&key).is_some() {
            return Err(DuplicateKey {
                key,
                map: self.name,
            });
        }
        self.entries.push((key, value));
        Ok(())
    }

    /// Adds `key`, which the caller knows the map does not hold, at the
    /// end (a large map, such as `Resources`, checks its keys with a hash
    /// set of its own rather than by this map's linear search).
    pub(crate) fn push_new(&mut self, key: String, value: V) {
        self.entries.push((key, value));
    }

    /// The entries, in order, to keep.
    pub fn into_entries(self) -> impl Iterator<Item = (String, V)> {
        self.entries.into_iter()
    }

    /// The value under `key`.
    pub fn get(&self, key: &str) -> Option<&V> {
        self.entries
            .iter()
            .find(|(k, _)| {
                if self.fold_case {
                    k.eq_ignore_ascii_case(key)
                } else {
                    k == key
                }
            })
            .map(|(_, v)| v)
    }

    /// The value under `key`, to change.
    fn get_mut(&mut self, key: &str) -> Option<&mut V> {
        let fold_case = self.fold_case;
        self.entries
            .iter_mut()
            .find(|(k, _)| {
                if fold_case {
                    k.eq_ignore_ascii_case(key)
                } else {
                    k == key
                }
            })
            .map(|(_, v)| v)
    }

    /// The entries, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &V)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// How many entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl<V: Serialize> Serialize for KeyMap<V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.entries.len()))?;
        for (key, value) in &self.entries {
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
    /// `AWS::IAM::ManagedPolicy`
    ManagedPolicy(Typed<ManagedPolicy>),
    /// `AWS::IAM::Policy`
    Policy(Typed<Policy>),
}

/// `Type` and `Properties` of a resource.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Typed<P> {
    /// The CloudFormation type.
    #[serde(rename = "Type")]
    pub cfn_type: &'static str,
    /// `Condition`, `DeletionPolicy`, `DependsOn` and the other attributes
    /// beside the properties: none unless the program sets them.
    #[serde(flatten)]
    pub attributes: Attributes,
    /// The properties.
    pub properties: P,
}

/// The resource attributes CloudFormation reads beside a resource's
/// properties ("Resource attribute reference",
/// <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-product-attribute-reference.html>).
/// Each is written only when set.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Attributes {
    /// `Condition`: the resource exists only when this stack condition holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// `DeletionPolicy`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deletion_policy: Option<RetentionPolicy>,
    /// `UpdateReplacePolicy`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_replace_policy: Option<RetentionPolicy>,
    /// `DependsOn`: logical IDs created first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
    /// `Metadata`: a JSON object, kept as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<serde_json::Map<String, serde_json::Value>>,
}

/// A value of `DeletionPolicy` or `UpdateReplacePolicy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum RetentionPolicy {
    /// `Delete`: the resource goes with the stack (or the replaced one is deleted).
    Delete,
    /// `Retain`: the resource is kept.
    Retain,
    /// `RetainExceptOnCreate`: kept unless the stack itself is deleted.
    RetainExceptOnCreate,
}

impl Resource {
    /// The resource's attributes (`Condition`, `DeletionPolicy`, ...).
    pub fn attributes_mut(&mut self) -> &mut Attributes {
        match self {
            Resource::IdentityPool(typed) => &mut typed.attributes,
            Resource::RoleAttachment(typed) => &mut typed.attributes,
            Resource::Role(typed) => &mut typed.attributes,
            Resource::PrincipalTag(typed) => &mut typed.attributes,
            Resource::ManagedPolicy(typed) => &mut typed.attributes,
            Resource::Policy(typed) => &mut typed.attributes,
        }
    }

    /// A managed policy resource.
    pub fn managed_policy(properties: ManagedPolicy) -> Resource {
        Resource::ManagedPolicy(Typed {
            cfn_type: "AWS::IAM::ManagedPolicy",
            attributes: Attributes::default(),
            properties,
        })
    }

    /// A policy resource: an inline policy of the roles it names.
    pub fn policy(properties: Policy) -> Resource {
        Resource::Policy(Typed {
            cfn_type: "AWS::IAM::Policy",
            attributes: Attributes::default(),
            properties,
        })
    }

    /// An identity pool resource.
    pub fn identity_pool(properties: IdentityPool) -> Resource {
        Resource::IdentityPool(Typed {
            cfn_type: "AWS::Cognito::IdentityPool",
            attributes: Attributes::default(),
            properties,
        })
    }

    /// A role attachment resource.
    pub fn role_attachment(properties: RoleAttachment) -> Resource {
        Resource::RoleAttachment(Typed {
            cfn_type: "AWS::Cognito::IdentityPoolRoleAttachment",
            attributes: Attributes::default(),
            properties,
        })
    }

    /// A principal-tag mapping resource.
    pub fn principal_tag(properties: PrincipalTag) -> Resource {
        Resource::PrincipalTag(Typed {
            cfn_type: "AWS::Cognito::IdentityPoolPrincipalTag",
            attributes: Attributes::default(),
            properties,
        })
    }

    /// An IAM role resource.
    pub fn role(properties: Role) -> Resource {
        Resource::Role(Typed {
            cfn_type: "AWS::IAM::Role",
            attributes: Attributes::default(),
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
    /// `AllowUnauthenticatedIdentities`: a boolean, or what the stack
    /// decides (`Ref Param`, `Fn::If [Cond, true, false]`).
    pub allow_unauthenticated_identities: Expr,
    /// `AllowClassicFlow`, written only when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_classic_flow: Option<bool>,
    /// `CognitoIdentityProviders`
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cognito_identity_providers: Vec<CognitoIdentityProvider>,
    /// `SupportedLoginProviders`: domain → app id.
    #[serde(skip_serializing_if = "KeyMap::is_empty")]
    pub supported_login_providers: KeyMap<Expr>,
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
    #[serde(skip_serializing_if = "KeyMap::is_empty")]
    pub roles: KeyMap<Expr>,
    /// `RoleMappings`: a literal key → mapping.
    #[serde(skip_serializing_if = "KeyMap::is_empty")]
    pub role_mappings: KeyMap<RoleMapping>,
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
    #[serde(skip_serializing_if = "KeyMap::is_empty")]
    pub principal_tags: KeyMap<Expr>,
    /// `UseDefaults`
    pub use_defaults: bool,
}

/// Properties of `AWS::IAM::Role`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Role {
    /// `RoleName`, written only when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_name: Option<Expr>,
    /// `Description`, written only when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<Expr>,
    /// `MaxSessionDuration` in seconds, written only when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_session_duration: Option<u64>,
    /// `Path`
    pub path: Expr,
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
    /// `Tags`
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

/// Properties of `AWS::IAM::ManagedPolicy`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ManagedPolicy {
    /// `ManagedPolicyName`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub managed_policy_name: Option<Expr>,
    /// `Description`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<Expr>,
    /// `PolicyDocument`
    pub policy_document: PolicyDocument,
}

/// Properties of `AWS::IAM::Policy`: an inline policy of the roles it
/// names.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Policy {
    /// `PolicyName`
    pub policy_name: Expr,
    /// `PolicyDocument`
    pub policy_document: PolicyDocument,
    /// `Roles`: the roles' names (`Ref`).
    pub roles: Vec<Expr>,
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
    /// The statements, in order; one with [`PolicyStatement::if_condition`]
    /// is written `Fn::If: [Cond, {statement}, Ref: AWS::NoValue]`.
    #[serde(serialize_with = "conditional_statements")]
    pub statement: Vec<PolicyStatement>,
}

/// A policy's statements, those under a condition inside `Fn::If` with
/// `AWS::NoValue`, which removes the list element when the condition is
/// false ("Condition functions", AWS CloudFormation User Guide).
fn conditional_statements<S: Serializer>(
    statements: &[PolicyStatement],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut seq = serializer.serialize_seq(Some(statements.len()))?;
    for statement in statements {
        match &statement.if_condition {
            None => seq.serialize_element(statement)?,
            Some(condition) => seq.serialize_element(&IfStatement(condition, statement))?,
        }
    }
    seq.end()
}

/// `{Fn::If: [condition, statement, {Ref: AWS::NoValue}]}`
struct IfStatement<'a>(&'a str, &'a PolicyStatement);

impl Serialize for IfStatement<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let no_value = Expr::Ref(NO_VALUE.into());
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry("Fn::If", &(self.0, self.1, &no_value))?;
        map.end()
    }
}

/// The pseudo parameter that removes a property or list element when
/// `Fn::If` returns it.
pub const NO_VALUE: &str = "AWS::NoValue";

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
    #[serde(skip_serializing_if = "ConditionBlock::is_empty")]
    pub condition: ConditionBlock,
    /// The stack condition the statement is in the policy under (written
    /// by [`PolicyDocument`] around the statement, never as a key).
    #[serde(skip)]
    pub if_condition: Option<String>,
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

/// A `Condition` block: operator → key → value(s), each operator once and
/// each key once per operator.
///
/// IAM ANDs the operators of a block and the keys under one operator, and
/// ORs the values of one key ("Condition element", IAM User Guide). Two
/// conditions with one operator and one key cannot both be written: the
/// second key would replace the first in any reader, so [`ConditionBlock::new`]
/// refuses them.
#[derive(Clone, Debug, PartialEq)]
pub struct ConditionBlock(KeyMap<KeyMap<Expr>>);

impl ConditionBlock {
    /// An empty block.
    pub fn empty() -> ConditionBlock {
        ConditionBlock(KeyMap::new("Condition"))
    }

    /// Groups conditions by operator (first appearance first), then key
    /// (condition keys compare ignoring case, as IAM reads them).
    pub fn new(conditions: Vec<Condition>) -> Result<ConditionBlock, DuplicateKey> {
        let mut block = ConditionBlock::empty();
        for condition in conditions {
            let value = match <[Expr; 1]>::try_from(condition.values) {
                Ok([one]) => one,
                Err(many) => Expr::List(many),
            };
            if block.0.get(&condition.operator).is_none() {
                block.0.insert(
                    condition.operator.clone(),
                    KeyMap::ignoring_case("a condition operator"),
                )?;
            }
            if let Some(keys) = block.0.get_mut(&condition.operator) {
                keys.insert(condition.key, value)?;
            }
        }
        Ok(block)
    }

    /// Whether it has no condition.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Operator → key → value(s), in order.
    pub fn operators(&self) -> impl Iterator<Item = (&str, &KeyMap<Expr>)> {
        self.0.iter()
    }
}

impl Serialize for ConditionBlock {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
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
                condition: cognito_conditions(pools, amr),
                if_condition: None,
            }],
        })
    }

    /// The policy document.
    pub fn document(&self) -> &PolicyDocument {
        &self.0
    }
}

/// The operator of a Cognito trust policy's `aud` condition.
pub(crate) const TRUST_AUDIENCE: ConditionOperator = ConditionOperator::new(Operator::StringEquals);

/// The operator of a Cognito trust policy's `amr` condition.
pub(crate) const TRUST_AMR: ConditionOperator = ConditionOperator {
    quantifier: Some(Quantifier::Any),
    ..ConditionOperator::new(Operator::StringLike)
};

/// `StringEquals` on `aud` and `ForAnyValue:StringLike` on `amr`: two
/// operators, one key each, so the block is built directly.
fn cognito_conditions(pools: Vec<Expr>, amr: &str) -> ConditionBlock {
    let pools = match <[Expr; 1]>::try_from(pools) {
        Ok([one]) => one,
        Err(many) => Expr::List(many),
    };
    let one = |key: String, value: Expr| KeyMap {
        name: "a condition operator",
        fold_case: true,
        entries: vec![(key, value)],
    };
    ConditionBlock(KeyMap {
        name: "Condition",
        fold_case: false,
        entries: vec![
            (
                TRUST_AUDIENCE.to_iam(),
                one(format!("{COGNITO_IDENTITY}:aud"), pools),
            ),
            (
                TRUST_AMR.to_iam(),
                one(format!("{COGNITO_IDENTITY}:amr"), Expr::string(amr)),
            ),
        ],
    })
}

/// A stack output.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Output {
    /// `Description`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<Expr>,
    /// `Condition`: the output exists only when this stack condition holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// `Value`
    pub value: Expr,
    /// `Export`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub export: Option<Export>,
}

/// An output's `Export`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Export {
    /// `Name`: unique among the exports of an account and Region.
    pub name: Expr,
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
    /// `true` or `false`.
    Bool(bool),
    /// `Fn::If: [condition, then, otherwise]`
    If(String, Box<Expr>, Box<Expr>),
    /// `Fn::ImportValue: name`: the value another stack exports as `name`.
    ImportValue(Box<Expr>),
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
            Expr::ImportValue(name) => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("Fn::ImportValue", name)?;
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
            Expr::Bool(value) => serializer.serialize_bool(*value),
            Expr::If(condition, then, otherwise) => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("Fn::If", &(condition, then, otherwise))?;
                map.end()
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    fn condition(operator: &str, key: &str, value: &str) -> Condition {
        Condition {
            operator: operator.to_string(),
            key: key.to_string(),
            values: vec![Expr::string(value)],
        }
    }

    #[test]
    fn a_map_refuses_a_key_it_holds_and_keeps_the_first_value() {
        let mut map = KeyMap::new("PrincipalTags");
        map.insert("team".to_string(), Expr::string("a")).unwrap();
        let err = map
            .insert("team".to_string(), Expr::string("b"))
            .unwrap_err();
        assert_eq!(err.key, "team");
        assert_eq!(err.map, "PrincipalTags");
        assert_eq!(map.len(), 1);
        assert_eq!(map.get("team"), Some(&Expr::string("a")));
        // Exact maps tell case apart.
        map.insert("Team".to_string(), Expr::string("c")).unwrap();
        assert_eq!(map.len(), 2);
    }

    #[test]
    fn a_condition_block_refuses_one_key_twice_under_one_operator() {
        // The issue's program: the per-user pattern must never be dropped.
        let err = ConditionBlock::new(vec![
            condition("StringLike", "s3:prefix", "private/${sub}/*"),
            condition("StringLike", "s3:prefix", "*"),
        ])
        .unwrap_err();
        assert_eq!(err.key, "s3:prefix");
        // IAM reads condition keys ignoring case: still one key.
        assert!(
            ConditionBlock::new(vec![
                condition("StringLike", "s3:prefix", "a"),
                condition("StringLike", "s3:Prefix", "b"),
            ])
            .is_err()
        );
    }

    #[test]
    fn a_condition_block_groups_distinct_operators_and_keys() {
        let block = ConditionBlock::new(vec![
            condition("StringLike", "s3:prefix", "private/*"),
            condition("StringNotLike", "s3:prefix", "private/admin/*"),
            condition("StringLike", "s3:delimiter", "/"),
        ])
        .unwrap();
        let json = serde_json::to_string(&block).unwrap();
        assert_eq!(
            json,
            r#"{"StringLike":{"s3:prefix":"private/*","s3:delimiter":"/"},"StringNotLike":{"s3:prefix":"private/admin/*"}}"#
        );
    }

    #[test]
    fn the_cognito_trust_policy_writes_aud_and_amr() {
        let trust = TrustPolicy::cognito(vec![Expr::Ref("Pool".into())], "authenticated", false);
        let json = serde_json::to_string(&trust).unwrap();
        assert!(
            json.contains(
                r#""StringEquals":{"cognito-identity.amazonaws.com:aud":{"Ref":"Pool"}}"#
            ),
            "{json}"
        );
        assert!(
            json.contains(
                r#""ForAnyValue:StringLike":{"cognito-identity.amazonaws.com:amr":"authenticated"}"#
            ),
            "{json}"
        );
    }
}
