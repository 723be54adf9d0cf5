//! A caller's way through Cognito to a role, and what the role lets it do.
//!
//! (Skeleton: the role resolution, trust, scope-down and boundary come in
//! the next commits.)

use super::eval::{Context, Decision};
use super::model::{Model, RoleRef};
use super::policy::{Effect, Origin};
use super::text::Concrete;
use crate::source::Span;

/// Who asks.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CallerKind {
    /// An unauthenticated identity.
    Guest,
    /// A signed-in identity: through which provider (as the model names
    /// it, or an alias), with which token claims.
    SignedIn {
        /// The provider; the pool's only one when not given.
        provider: Option<String>,
        /// The token's claims, `name` → `value`.
        claims: Vec<(String, String)>,
    },
}

/// A caller of one pool.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Caller {
    /// The pool's logical ID.
    pub pool: String,
    /// Guest or signed in.
    pub kind: CallerKind,
    /// The caller's identity id (`${cognito-identity.amazonaws.com:sub}`).
    pub identity: String,
}

/// The identity id `can` uses when none is given.
pub const EXAMPLE_IDENTITY: &str = "us-east-1:11111111-2222-3333-4444-555555555555";

/// One step of the way from the caller to the decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// What happens, in words.
    pub text: String,
    /// Where it is decided, when in a file.
    pub span: Option<Span>,
}

/// The answer to "can this caller do this?".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// Allow, deny (explicit or implicit), or unknown.
    pub decision: Decision,
    /// The role the caller gets, if any.
    pub role: Option<RoleRef>,
    /// Why, in one sentence.
    pub reason: String,
    /// The statements that decide it.
    pub statements: Vec<(Effect, Origin)>,
    /// The way from the caller to the decision.
    pub chain: Vec<Step>,
}

/// Whether `caller` may do `action` on `resource`, with the extra context
/// keys `context` (those Cognito sets come from the caller).
pub fn can(
    model: &Model,
    caller: &Caller,
    action: &str,
    resource: &Concrete,
    context: &Context,
) -> Answer {
    let _ = (model, caller, action, resource, context);
    Answer {
        decision: Decision::Unknown,
        role: None,
        reason: "not implemented yet".into(),
        statements: Vec::new(),
        chain: Vec::new(),
    }
}
