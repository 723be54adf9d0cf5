//! The checked program: what lowering consumes.
//!
//! Every name here resolved to a resource of a fitting kind, every policy
//! variable is a known key in its canonical spelling, and every generated
//! logical ID is unique. Lowering can therefore translate without looking
//! anything up or failing.

use crate::catalog::Action;
use crate::syntax::ast::{Effect, Kind, Otherwise, RetentionPolicy, RoleUsage, Span};
use crate::vocabulary::{ConditionOperator, MatchOp};

/// A program that passed the checker: proof that step two ran.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checked {
    /// The identity pools, in source order.
    pub(crate) pools: Vec<Pool>,
    /// The top-level roles some pool uses, in source order.
    pub(crate) shared_roles: Vec<Role>,
    /// The stack outputs, in source order.
    pub(crate) outputs: Vec<OutputDef>,
    /// The resources the program refers to but the rest of the stack
    /// defines: logical ID and CloudFormation type, sorted by ID.
    pub(crate) external: Vec<(String, String)>,
    /// The top-level `managed_policy` items, in source order.
    pub(crate) managed_policies: Vec<ManagedPolicy>,
    /// The `expect` items, in source order: what the prover decides;
    /// lowering ignores them.
    pub(crate) expectations: Vec<Expectation>,
}

/// Only the checker builds a [`Checked`]; anyone may read it.
impl Checked {
    /// The identity pools, in source order.
    pub fn pools(&self) -> &[Pool] {
        &self.pools
    }

    /// The top-level roles some pool uses, in source order.
    pub fn shared_roles(&self) -> &[Role] {
        &self.shared_roles
    }

    /// The stack outputs, in source order.
    pub fn outputs(&self) -> &[OutputDef] {
        &self.outputs
    }

    /// The resources the program refers to but the rest of the stack
    /// defines: logical ID and CloudFormation type, sorted by ID.
    pub fn external(&self) -> &[(String, String)] {
        &self.external
    }

    /// The top-level `managed_policy` items, in source order.
    pub fn managed_policies(&self) -> &[ManagedPolicy] {
        &self.managed_policies
    }

    /// The `expect` items, checked, in source order: the properties the
    /// program claims, which the prover decides. They lower to nothing.
    pub fn expectations(&self) -> &[Expectation] {
        &self.expectations
    }

    /// Every permission statement a role holds that the program wrote: its
    /// default policy's, its named policies', and those of the program's
    /// managed policies it attaches, in that order. What the lints and the
    /// graph judge: a role with only a default policy is borrowed as is.
    /// The view's `attached_policies` keep only the managed policies the
    /// program does not define (whose statements it cannot see).
    pub fn permissions<'a>(&self, role: &'a Role) -> std::borrow::Cow<'a, Role> {
        let attached: Vec<&ManagedPolicy> = role
            .attached_policies
            .iter()
            .filter_map(|(_, id)| self.managed_policies.iter().find(|p| p.logical_id == *id))
            .collect();
        if role.policies.is_empty() && attached.is_empty() {
            return std::borrow::Cow::Borrowed(role);
        }
        let mut all = role.clone();
        for policy in &role.policies {
            all.statements.extend(policy.statements.iter().cloned());
        }
        for policy in &attached {
            all.statements.extend(policy.statements.iter().cloned());
        }
        // What stays attached is what the program does not define.
        all.attached_policies
            .retain(|(_, id)| !attached.iter().any(|p| p.logical_id == *id));
        std::borrow::Cow::Owned(all)
    }
}

/// An `expect` item, checked: every name in it resolved to what its place
/// wants, its actions and resources checked as a statement's (actions
/// exist, access levels expanded per resource, each action acts on each
/// resource), an `isolated` resource scoped by `$<sub>`, and a role it
/// names handed out by some pool (the named one, with `of`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expectation {
    /// What is expected.
    pub kind: ExpectKind,
    /// The whole item, from `expect` to its last token: where a result
    /// about it points.
    pub span: Span,
    /// From `expect` to the word that says which form it is (`expect
    /// isolated`, `expect guests of NotesPool cannot`, `expect AdminRole
    /// only via`): a label that fits on the item's first line.
    pub line_span: Span,
    /// The item as `idpc fmt` prints its tree, on one line (`expect guests
    /// cannot write on Media/*`, a claim bare when it can be): how messages
    /// and `idpc prove` name it.
    pub text: String,
    /// Where each of the kind's resources (`isolated`, `cannot`) or
    /// alternatives (`only via`) is written, in the same order.
    pub part_spans: Vec<Span>,
    /// For `cannot`: each action item as written, with where and the
    /// catalog actions it names (for an access level, those of the level
    /// that act on the resources), as [`StatementOrigin::actions`]; empty
    /// for the other kinds.
    pub action_origins: Vec<ActionOrigin>,
}

/// The three properties an `expect` can claim.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExpectKind {
    /// `expect isolated R, ...`: for every two distinct identity ids a and
    /// b, no request a may make (any pool, any role a can get, any claims,
    /// action and context) is allowed on an ARN that a resource matches
    /// with `$<sub>` = b.
    Isolated {
        /// The resources, in source order; each holds `$<sub>`.
        resources: Vec<ResourceDef>,
    },
    /// `expect WHO [of Pool] cannot ACTIONS on RESOURCES`: no caller of
    /// kind `who` (through any pool, or `pool`) may make a request with an
    /// action `actions` names on an ARN `resources` match (any identity,
    /// claims and context).
    Cannot {
        /// Who is meant.
        who: Who,
        /// `of Pool`: the identity pool's logical ID, a pool of the
        /// program; `None` for every pool.
        pool: Option<String>,
        /// The action patterns as written (`s3:Get*`, `*`), then the
        /// actions the access levels expand to, sorted, each once: as
        /// [`Statement::actions`].
        actions: Vec<String>,
        /// The resources, in source order.
        resources: Vec<ResourceDef>,
    },
    /// `expect ROLE only via C [or C]...`: every way a caller can get
    /// `role` (a pool's default role, a mapping rule with the earlier
    /// rules not matching, an ambiguous resolution to the default, a token
    /// mapping) implies one of the alternatives.
    OnlyVia {
        /// The role's logical ID: a role of the program some pool hands out.
        role: String,
        /// The claim tests, any of which may hold: the claim's name (literal
        /// text, quoted or bare as written), how it is compared, and the
        /// value (as a mapping rule's `Value`).
        alternatives: Vec<(String, MatchOp, Value)>,
    },
}

/// Who an `expect ... cannot` is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Who {
    /// `guests`: unauthenticated identities, under the guest roles.
    Guests,
    /// `signed_in`: authenticated identities, under any role they can get.
    SignedIn,
    /// `anyone`: guests and signed-in users.
    Anyone,
    /// A role's logical ID: any caller holding that role (a role of the
    /// program some pool hands out).
    Role(String),
}

/// `managed_policy Name { ... }`: an `AWS::IAM::ManagedPolicy`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManagedPolicy {
    /// Its logical ID.
    pub logical_id: String,
    /// `ManagedPolicyName`, when written.
    pub name: Option<Value>,
    /// `Description`, when written.
    pub description: Option<Value>,
    /// Its statements, in source order.
    pub statements: Vec<Statement>,
    /// `if Cond`: the policy exists only when the condition holds.
    pub condition: Option<String>,
}

/// `policy "Name" [as LogicalId] { ... }`: a named inline policy of a role
/// besides its default one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamedPolicy {
    /// `PolicyName`.
    pub name: Value,
    /// With `as`: the logical ID of a separate `AWS::IAM::Policy` that
    /// names the role in its `Roles`; else an entry of the role's `Policies`.
    pub logical_id: Option<String>,
    /// Its statements, in source order.
    pub statements: Vec<Statement>,
}

/// An identity pool with everything it makes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pool {
    /// The pool's logical ID.
    pub logical_id: String,
    /// `IdentityPoolName`.
    pub name: Value,
    /// `AllowClassicFlow`.
    pub classic_flow: bool,
    /// The user-pool providers, in source order.
    pub user_pools: Vec<UserPoolProvider>,
    /// `SupportedLoginProviders`: domain → app id, in source order.
    pub login_providers: Vec<(String, Value)>,
    /// `OpenIdConnectProviderARNs`.
    pub oidc_providers: Vec<ProviderArn>,
    /// `SamlProviderARNs`.
    pub saml_providers: Vec<ProviderArn>,
    /// `DeveloperProviderName`.
    pub developer_provider: Option<Value>,
    /// `IdentityPoolTags`, in source order.
    pub tags: Vec<(Value, Value)>,
    /// The role attachment (`<Pool>Roles`), when the pool has roles or
    /// role mappings.
    pub attachment: Option<Attachment>,
    /// The roles defined inside the pool, authenticated first.
    pub roles: Vec<Role>,
    /// `AWS::Cognito::IdentityPoolPrincipalTag` resources, in source order.
    pub principal_tags: Vec<PrincipalTagDef>,
    /// The pool resource's attributes (`DeletionPolicy`, ...).
    pub attributes: PoolAttributes,
    /// `if Cond`: the condition the pool, its attachment and its principal
    /// tags exist under (its roles trust it, so they go with it).
    pub condition: Option<String>,
    /// `guests Param` / `guests if Cond`: where
    /// `AllowUnauthenticatedIdentities` comes from, when not fixed.
    pub guests: Option<GuestsDef>,
    /// Where the pool is named (`identity_pool Name`): the lints point
    /// there; lowering ignores it.
    pub span: Span,
}

/// `AllowUnauthenticatedIdentities` given by the stack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GuestsDef {
    /// `true` or `false`, as written.
    Fixed(bool),
    /// `Ref Param`.
    Parameter(String),
    /// `Fn::If [Cond, true, false]`.
    Condition(String),
}

/// The resource attributes a pool sets: `DeletionPolicy`,
/// `UpdateReplacePolicy`, `DependsOn` and `Metadata`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PoolAttributes {
    /// `DeletionPolicy`.
    pub deletion_policy: Option<RetentionPolicy>,
    /// `UpdateReplacePolicy`.
    pub update_replace_policy: Option<RetentionPolicy>,
    /// `DependsOn`: logical IDs the program or the stack knows.
    pub depends_on: Vec<String>,
    /// `Metadata`: a JSON object.
    pub metadata: Option<serde_json::Map<String, serde_json::Value>>,
}

/// The properties a role body may set beside its policies.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RoleProperties {
    /// `RoleName`.
    pub role_name: Option<Value>,
    /// `Description`.
    pub description: Option<Value>,
    /// `MaxSessionDuration`, in seconds.
    pub max_session_duration: Option<u64>,
    /// `Path`; IAM's default `/` when absent.
    pub path: Option<Value>,
    /// `Tags`, in source order.
    pub tags: Vec<(Value, Value)>,
    /// `DependsOn`: logical IDs the program or the stack knows.
    pub depends_on: Vec<String>,
}

impl Pool {
    /// Whether guests get credentials (`AllowUnauthenticatedIdentities`).
    pub fn allows_guests(&self) -> bool {
        self.attachment.as_ref().is_some_and(|attachment| {
            attachment
                .roles
                .iter()
                .map(|(usage, _)| usage)
                .chain(attachment.external_roles.iter().map(|(usage, _)| usage))
                .any(|usage| *usage == RoleUsage::Unauthenticated)
        })
    }
}

/// `AWS::Cognito::IdentityPoolRoleAttachment`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    /// Its logical ID.
    pub logical_id: String,
    /// `Roles`: usage → role logical ID, authenticated first.
    pub roles: Vec<(RoleUsage, String)>,
    /// `RoleMappings`, in source order.
    pub mappings: Vec<RoleMappingDef>,
    /// The entries of [`Attachment::roles`] given only under a condition
    /// (`authenticated role R if Cond`): usage → condition.
    pub role_conditions: Vec<(RoleUsage, String)>,
    /// `Roles` entries of roles the program does not define (a `use role`,
    /// or an ARN): usage → role, authenticated first. Their trust policies
    /// and permissions are the stack's, unseen and unchecked (N0255).
    pub external_roles: Vec<(RoleUsage, ExternalRole)>,
    /// `DependsOn` (`attachment Name depends_on A, B`).
    pub depends_on: Vec<String>,
}

/// A role the pool attaches that the program does not define.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExternalRole {
    /// `use role Name` (or a role of a `use "file"` stack): `Fn::GetAtt
    /// [Name, Arn]`.
    Stack(String),
    /// `authenticated role "arn:..."`: the ARN as written.
    Arn(Value),
}

/// An OIDC or SAML provider's ARN.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProviderArn {
    /// Written as a string.
    Arn(Value),
    /// A `use oidc_provider` / `use saml_provider` resource (`Ref` is its ARN).
    Resource(String),
}

/// How a provider is named in role mappings and principal tags.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdentityProviderName {
    /// A user pool's `ProviderName`, plus `:<client id>` for role mappings.
    UserPool {
        /// The user pool.
        user_pool: String,
        /// The app client, for role mappings.
        client: Option<String>,
    },
    /// A literal name: a login provider's domain, an OIDC provider's host,
    /// or a SAML provider's ARN.
    Literal(Value),
    /// The host part of an `AWS::IAM::OIDCProvider`'s ARN.
    OidcHostOf(String),
    /// An `AWS::IAM::SAMLProvider`'s ARN.
    SamlArnOf(String),
}

/// An entry of `RoleMappings`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleMappingDef {
    /// The literal key (CloudFormation refuses intrinsics as map keys).
    pub key: String,
    /// `IdentityProvider`.
    pub provider: IdentityProviderName,
    /// `Type` and its rules.
    pub rules: Option<Vec<MappingRuleDef>>,
    /// `AmbiguousRoleResolution`.
    pub otherwise: Otherwise,
    /// Where `otherwise ...` is written (the `map U` head when it is not):
    /// the lints point there; lowering ignores it.
    pub otherwise_span: Span,
}

/// A rule of a `Rules` mapping.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MappingRuleDef {
    /// `Claim`
    pub claim: Value,
    /// `MatchType`
    pub op: MatchOp,
    /// `Value`
    pub value: Value,
    /// The role (`RoleARN`).
    pub role: String,
}

/// `AWS::Cognito::IdentityPoolPrincipalTag`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrincipalTagDef {
    /// Its logical ID.
    pub logical_id: String,
    /// `IdentityProviderName`.
    pub provider: IdentityProviderName,
    /// `PrincipalTags`: tag → claim.
    pub tags: Vec<(Value, Value)>,
    /// `UseDefaults`.
    pub use_defaults: bool,
}

/// `provider user_pool U client C`, or `provider user_pool "NAME" client
/// "ID"` (then `given` holds the texts, and `user_pool` and `client` are
/// empty: no logical ID of the program or the stack).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserPoolProvider {
    /// The user pool's logical ID.
    pub user_pool: String,
    /// The app client's logical ID.
    pub client: String,
    /// `ServerSideTokenCheck`.
    pub server_side_token_check: bool,
    /// `ProviderName` and `ClientId` as the stack gives them, for a
    /// provider written as text.
    pub given: Option<(Value, Value)>,
}

/// An IAM role assumable through a pool.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Role {
    /// The role's logical ID.
    pub logical_id: String,
    /// Who assumes it; decides the trust policy's `amr`.
    pub usage: RoleUsage,
    /// The pools whose identities may assume it (the trust policy's `aud`).
    pub trusted_pools: Vec<String>,
    /// Whether the trust policy also allows `sts:TagSession` (a trusting
    /// pool maps principal tags).
    pub tag_session: bool,
    /// `ManagedPolicyArns`.
    pub managed_policies: Vec<Value>,
    /// Where each of [`Role::managed_policies`] is written.
    pub managed_policy_spans: Vec<Span>,
    /// `PermissionsBoundary`.
    pub boundary: Option<Value>,
    /// The inline policy's name.
    pub policy_name: Value,
    /// The permission statements, in source order.
    pub statements: Vec<Statement>,
    /// `RoleName`, `Description`, `Path`, `Tags`, ... and `DependsOn`.
    pub properties: RoleProperties,
    /// Managed policies attached by name (`Ref`): each with its place among
    /// all of `ManagedPolicyArns` (the ARN strings of
    /// [`Role::managed_policies`] fill the other places, in order).
    pub attached_policies: Vec<(usize, String)>,
    /// The named inline policies besides the default one, in source order.
    pub policies: Vec<NamedPolicy>,
    /// `if Cond`: the condition the role exists under.
    pub condition: Option<String>,
}

/// One `allow`/`deny` line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    /// `Allow` or `Deny`.
    pub effect: Effect,
    /// The action patterns, as written, then the actions the access levels
    /// expand to.
    pub actions: Vec<String>,
    /// The resources, in source order.
    pub resources: Vec<ResourceDef>,
    /// The conditions, with IAM operators decided.
    pub conditions: Vec<ConditionDef>,
    /// Where it is written and what its actions name: what the lints judge.
    pub origin: StatementOrigin,
    /// `if Cond`: the statement is in the policy only when the condition
    /// holds. Checks and lints take it as possibly present.
    pub if_condition: Option<String>,
}

/// Where a statement is written, and the catalog actions each of its action
/// items names. Lowering ignores it; the lints point with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatementOrigin {
    /// The whole statement.
    pub span: Span,
    /// Its action items, in source order.
    pub actions: Vec<ActionOrigin>,
    /// Where each of [`Statement::resources`] is written.
    pub resources: Vec<Span>,
    /// Where each condition as written is: the first ones of
    /// [`Statement::conditions`] (the `Null` guards idpc adds come after).
    pub conditions: Vec<Span>,
    /// The first `$<sub>` in a condition's values.
    pub sub_in_condition: Option<Span>,
}

/// An action item of a statement: a pattern or an access level.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionOrigin {
    /// Where it is written.
    pub span: Span,
    /// As written: `s3:GetObject`, `s3:*`, `read`.
    pub written: String,
    /// Whether it is `service:*`, every action of a service, or `*`, every
    /// action of every service.
    pub whole_service: bool,
    /// The catalog actions it names (for an access level, those of the level
    /// that act on the statement's resources).
    pub actions: Vec<Action<'static>>,
}

/// One `Condition` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConditionDef {
    /// The IAM operator, such as `StringLike` or `ForAllValues:StringEquals`.
    pub operator: ConditionOperator,
    /// The condition key, in its catalog spelling.
    pub key: String,
    /// The values.
    pub values: Vec<Value>,
}

/// A resource of a statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResourceDef {
    /// `*`
    Any,
    /// A string ARN.
    Arn(Value),
    /// A resource's ARN, plus a path when one was written.
    Of {
        /// The resource's logical ID.
        logical_id: String,
        /// Its kind (one that has an ARN).
        kind: Kind,
        /// What follows `Name/`.
        path: Option<Value>,
    },
}

/// Text whose variables are resolved: literal characters, IAM policy
/// variables (canonical keys) and Serverless variables (passed through).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Value {
    /// The pieces in order.
    pub pieces: Vec<Piece>,
}

impl Value {
    /// A value of literal text only.
    pub fn literal(text: impl Into<String>) -> Value {
        Value {
            pieces: vec![Piece::Literal(text.into())],
        }
    }
}

/// A piece of a [`Value`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    /// Literal characters.
    Literal(String),
    /// An IAM policy variable by its canonical key, e.g.
    /// `cognito-identity.amazonaws.com:sub`.
    PolicyVar(String),
    /// A Serverless variable as written, e.g. `${self:custom.stage}`.
    ServerlessVar(String),
    /// `$(Name)` (`Ref`) or `$(Name.Attr)` (`Fn::GetAtt`): a value known
    /// only at deploy time.
    Ref {
        /// A parameter, pseudo parameter or logical ID.
        target: String,
        /// The attribute, for `Fn::GetAtt`.
        attribute: Option<String>,
    },
    /// `$(import NAME)`: `Fn::ImportValue` of the export so named (literal
    /// text, Serverless variables and `Ref`s of parameters), a value known
    /// only at deploy time.
    Import(Value),
}

impl Piece {
    /// The piece as the program writes it, for messages.
    pub fn written(&self) -> String {
        match self {
            Piece::Literal(text) | Piece::ServerlessVar(text) => text.clone(),
            Piece::PolicyVar(key) => format!("$<{key}>"),
            Piece::Ref {
                target,
                attribute: Some(attribute),
            } => format!("$({target}.{attribute})"),
            Piece::Ref { target, .. } => format!("$({target})"),
            Piece::Import(name) => {
                let name: String = name.pieces.iter().map(Piece::written).collect();
                format!("$(import {name})")
            }
        }
    }
}

/// `output Name = Target[.Attr]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputDef {
    /// The output's name.
    pub name: String,
    /// The logical ID it reads.
    pub target: String,
    /// The attribute (`Fn::GetAtt`), or none (`Ref`).
    pub attribute: Option<String>,
    /// `Description`.
    pub description: Option<Value>,
    /// `Export: {Name: ...}`.
    pub export: Option<Value>,
    /// `if Cond`: the output exists only when the condition holds.
    pub condition: Option<String>,
}
