//! Who can do what: an IAM policy evaluator that follows Cognito's role
//! resolution, for `idpc can` (one request) and `idpc diff` (what a change
//! grants).
//!
//! The stages, each a module:
//!
//! - [`text`]: strings as IAM sees them: literal characters, policy
//!   variables (`${aws:username}`), and values known only at deploy time
//!   (`Ref`, `Fn::GetAtt`, a Serverless variable), each an opaque symbol;
//! - [`policy`]: policies as IAM reads them (`Effect`, `Action` /
//!   `NotAction`, `Resource` / `NotResource`, `Condition`), from a program
//!   or from JSON;
//! - [`condition`]: every condition operator, with `...IfExists`,
//!   `ForAnyValue:` / `ForAllValues:` and missing keys;
//! - [`eval`]: the decision over a set of policies: explicit deny first,
//!   then allow, else the implicit deny;
//! - [`model`]: the pools, their role resolution and the roles' policies,
//!   from a checked program (a template goes through the audit's reader);
//! - [`cognito`]: a caller's way to a role (default roles, role mappings,
//!   trust), the guest scope-down, the permissions boundary, the answer.
//!
//! Every answer is three-valued ([`Tri`]): what idpc cannot know (an AWS
//! managed policy it has no document for, a bucket name CloudFormation
//! picks, a condition on a stack condition) makes it `unknown`, never a
//! guess.

pub mod cognito;
pub mod condition;
pub mod diff;
pub mod eval;
pub mod load;
pub mod model;
pub mod policy;
mod read;
pub mod text;

/// A three-valued truth: what idpc knows, or that it cannot know.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tri {
    /// Certainly holds.
    Yes,
    /// Certainly does not hold.
    No,
    /// Depends on what idpc cannot see.
    Unknown,
}

impl Tri {
    /// `true` → `Yes`, `false` → `No`.
    pub fn from_bool(b: bool) -> Tri {
        if b { Tri::Yes } else { Tri::No }
    }

    /// Kleene conjunction.
    pub fn and(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::No, _) | (_, Tri::No) => Tri::No,
            (Tri::Yes, Tri::Yes) => Tri::Yes,
            _ => Tri::Unknown,
        }
    }

    /// Kleene disjunction.
    pub fn or(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::Yes, _) | (_, Tri::Yes) => Tri::Yes,
            (Tri::No, Tri::No) => Tri::No,
            _ => Tri::Unknown,
        }
    }

    /// The disjunction of all (`No` when empty).
    pub fn any(items: impl IntoIterator<Item = Tri>) -> Tri {
        items.into_iter().fold(Tri::No, Tri::or)
    }

    /// The conjunction of all (`Yes` when empty).
    pub fn all(items: impl IntoIterator<Item = Tri>) -> Tri {
        items.into_iter().fold(Tri::Yes, Tri::and)
    }
}

/// Kleene negation.
impl std::ops::Not for Tri {
    type Output = Tri;

    fn not(self) -> Tri {
        match self {
            Tri::Yes => Tri::No,
            Tri::No => Tri::Yes,
            Tri::Unknown => Tri::Unknown,
        }
    }
}
