//! What the glob decision leaves open (conditions, denies, policy variables
//! other than `$<sub>`), asked of an SMT solver: cvc5, over strings and
//! regular expressions, as a subprocess with a time limit.
//!
//! (Skeleton: the encoding and the solver run come next.)

use super::glob::Letter;
use crate::access::policy::Condition;

/// A statement as the solver sees it: its resource patterns (`None`: a
/// `NotResource`, any resource) and conditions.
#[derive(Clone, Debug)]
pub(crate) struct SolverStatement {
    /// The resource patterns (`$<sub>` = the caller's id).
    pub(crate) resources: Vec<Vec<Letter>>,
    /// `NotResource` patterns, when the statement has them instead.
    pub(crate) not_resources: Option<Vec<Vec<Letter>>>,
    /// The conditions, all of which must hold.
    pub(crate) conditions: Vec<Condition>,
}

/// "Is there an ARN that `theirs` matches with `$<sub>` = b, that some
/// allow statement matches with `$<sub>` = a, that no deny statement
/// matches, for two different identity ids a and b?" (isolation), or with
/// a = b (`cannot`: `same_id`).
#[derive(Clone, Debug)]
pub(crate) struct Query {
    /// The property's pattern.
    pub(crate) theirs: Vec<Letter>,
    /// Whether the property's `$<sub>` is the caller's own id.
    pub(crate) same_id: bool,
    /// The allow statements (any one suffices).
    pub(crate) allows: Vec<SolverStatement>,
    /// The deny statements (none may apply).
    pub(crate) denies: Vec<SolverStatement>,
}

/// What the solver found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Answer {
    /// No such request: the property holds for this role.
    Unsat,
    /// One: the ARN, the two ids, and the context keys' values.
    Sat {
        /// The ARN, deploy-time values as `$(...)` names.
        arn: String,
        /// The caller's id.
        own: String,
        /// The other's id.
        theirs: String,
        /// Context keys and their values.
        context: Vec<(String, String)>,
    },
    /// The solver could not say (time limit, missing solver, unsupported).
    Unknown(String),
}

/// Asks the solver.
pub(crate) fn decide(query: &Query) -> Answer {
    let _ = query;
    Answer::Unknown("the solver is not wired yet".into())
}
