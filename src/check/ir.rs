//! The checked program: what lowering consumes.
//!
//! Every name here resolved to a resource of a fitting kind, every policy
//! variable is a known key in its canonical spelling, and every generated
//! logical ID is unique. Lowering can therefore translate without looking
//! anything up or failing.

use crate::syntax::ast::{Effect, Kind, RoleUsage};

/// A program that passed the checker: proof that step two ran.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checked {
    /// The identity pools, in source order.
    pub pools: Vec<Pool>,
    /// The stack outputs, in source order.
    pub outputs: Vec<OutputDef>,
}

/// An identity pool with everything it makes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pool {
    /// The pool's logical ID.
    pub logical_id: String,
    /// `IdentityPoolName`.
    pub name: Value,
    /// The user-pool providers, in source order.
    pub user_pools: Vec<UserPoolProvider>,
    /// The role attachment's logical ID (`<Pool>Roles`), present when the
    /// pool has at least one role.
    pub attachment: Option<String>,
    /// The pool's roles, authenticated first.
    pub roles: Vec<Role>,
}

impl Pool {
    /// Whether guests get credentials (`AllowUnauthenticatedIdentities`).
    pub fn allows_guests(&self) -> bool {
        self.roles
            .iter()
            .any(|role| role.usage == RoleUsage::Unauthenticated)
    }
}

/// `provider user_pool U client C`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserPoolProvider {
    /// The user pool's logical ID.
    pub user_pool: String,
    /// The app client's logical ID.
    pub client: String,
    /// `ServerSideTokenCheck`.
    pub server_side_token_check: bool,
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
    /// The inline policy's name.
    pub policy_name: Value,
    /// The permission statements, in source order.
    pub statements: Vec<Statement>,
}

/// One `allow`/`deny` line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    /// `Allow` or `Deny`.
    pub effect: Effect,
    /// The action patterns, as written.
    pub actions: Vec<String>,
    /// The resources, in source order.
    pub resources: Vec<ResourceDef>,
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
}
