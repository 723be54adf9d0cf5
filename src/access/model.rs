//! What decides access in a stack: the identity pools, how each hands out
//! roles, and each role's trust and permission policies.
//!
//! One model serves programs and templates: both are read from the
//! CloudFormation they are (a program is lowered first, so the model sees
//! exactly what `idpc build` writes), with each statement's place in the
//! file the user wrote ([`super::policy::Origin`]).

use super::Tri;
use super::policy::Policy;
use super::text::WholeNames;
use crate::source::Span;

/// The pools and roles of one stack.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Model {
    /// The identity pools, in file order.
    pub pools: Vec<PoolAccess>,
    /// The IAM roles, in file order.
    pub roles: Vec<RoleAccess>,
    /// Every resource the stack defines or the program names: logical ID
    /// and CloudFormation type (what `Name/path` resources are read by).
    pub resources: Vec<(String, String)>,
    /// Those of [`Model::resources`] whose ARNs name them whole (set by the
    /// readers once `resources` is complete).
    pub whole_names: WholeNames,
}

impl Model {
    /// The role with logical ID `id`.
    pub fn role(&self, id: &str) -> Option<&RoleAccess> {
        self.roles.iter().find(|r| r.id == id)
    }

    /// The pool with logical ID `id`.
    pub fn pool(&self, id: &str) -> Option<&PoolAccess> {
        self.pools.iter().find(|p| p.id == id)
    }
}

/// An identity pool and how it hands out roles.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolAccess {
    /// Its logical ID.
    pub id: String,
    /// `AllowUnauthenticatedIdentities` (unknown when a parameter or a
    /// stack condition decides it).
    pub guests: Tri,
    /// `AllowClassicFlow`.
    pub classic_flow: bool,
    /// The identity providers, as role mappings and principal tags name
    /// them.
    pub providers: Vec<Provider>,
    /// The attachment's `authenticated` role.
    pub authenticated: Option<RoleChoice>,
    /// The attachment's `unauthenticated` role.
    pub unauthenticated: Option<RoleChoice>,
    /// The attachment's `RoleMappings`, in file order.
    pub mappings: Vec<Mapping>,
    /// `AWS::Cognito::IdentityPoolPrincipalTag` resources for this pool.
    pub principal_tags: Vec<TagMapping>,
    /// The stack condition the pool exists under.
    pub condition: Option<String>,
    /// Where the pool is defined.
    pub span: Option<Span>,
}

/// A role a pool hands out, and the stack condition it is handed out under.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleChoice {
    /// The role.
    pub role: RoleRef,
    /// `Fn::If`: handed out only when the condition holds.
    pub condition: Option<String>,
}

/// A role: one the stack defines, or one outside it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RoleRef {
    /// A role of the stack, by logical ID.
    Role(String),
    /// A role idpc cannot see (an ARN, an imported value), as written.
    Outside(String),
}

impl RoleRef {
    /// How messages name it.
    pub fn name(&self) -> &str {
        match self {
            RoleRef::Role(id) | RoleRef::Outside(id) => id,
        }
    }
}

/// What kind of provider a pool trusts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProviderKind {
    /// A Cognito user pool app client (`CognitoIdentityProviders`).
    UserPool,
    /// A social login (`SupportedLoginProviders`).
    Login,
    /// An OIDC provider.
    Oidc,
    /// A SAML provider.
    Saml,
    /// Developer-authenticated identities.
    Developer,
}

/// One identity provider of a pool.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Provider {
    /// Its kind.
    pub kind: ProviderKind,
    /// How role mappings and principal tags name it, as written
    /// (`cognito-idp.$(AWS::Region).amazonaws.com/$(UserPool):$(Client)`,
    /// `accounts.google.com`).
    pub name: String,
    /// Other names a user may give it on the command line (the user pool's
    /// logical ID, the app client's).
    pub aliases: Vec<String>,
}

/// An entry of `RoleMappings`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mapping {
    /// `IdentityProvider`, as written.
    pub provider: String,
    /// `Rules`: the rules in order; `None` for `Token`.
    pub rules: Option<Vec<Rule>>,
    /// `AmbiguousRoleResolution: Deny` (else `AuthenticatedRole`).
    pub deny_otherwise: bool,
}

/// A rule of a `Rules` mapping.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    /// `Claim`.
    pub claim: String,
    /// `MatchType`: `Equals`, `NotEqual`, `Contains`, `StartsWith`.
    pub match_type: String,
    /// `Value`.
    pub value: String,
    /// `RoleARN`.
    pub role: RoleRef,
}

/// `AWS::Cognito::IdentityPoolPrincipalTag`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagMapping {
    /// `IdentityProviderName`, as written.
    pub provider: String,
    /// `PrincipalTags`: tag → claim.
    pub tags: Vec<(String, String)>,
    /// `UseDefaults`.
    pub use_defaults: bool,
}

/// A role and what decides what it may do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleAccess {
    /// Its logical ID.
    pub id: String,
    /// `AssumeRolePolicyDocument`.
    pub trust: Policy,
    /// Its inline policies, the `AWS::IAM::Policy` and managed policies of
    /// the stack attached to it, and the AWS managed policies idpc has a
    /// document for.
    pub policies: Vec<Policy>,
    /// The managed policies attached to it whose documents idpc does not
    /// have, as written: they may allow or deny anything.
    pub unknown_policies: Vec<String>,
    /// `PermissionsBoundary`.
    pub boundary: Option<Boundary>,
    /// The stack condition the role exists under.
    pub condition: Option<String>,
    /// What idpc could not read of the role (an intrinsic in a statement):
    /// each makes answers about the role unknown.
    pub unread: Vec<String>,
    /// Where the role is defined.
    pub span: Option<Span>,
}

/// A permissions boundary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Boundary {
    /// A policy idpc has the document of.
    Known(Policy),
    /// One it does not, as written.
    Unknown(String),
}
