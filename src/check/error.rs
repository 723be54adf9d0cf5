//! What the checker finds wrong.

use crate::syntax::ast::{Kind, Span};

/// A problem the checker found: an error or a warning (see
/// [`CheckErrorKind::is_warning`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckError {
    /// What is wrong.
    pub kind: CheckErrorKind,
    /// The exact text at fault.
    pub span: Span,
}

/// Where a name was declared, for "declared here" labels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Declared {
    /// `use KIND Name` at this span.
    Use(Span),
    /// A pool, role or output defined in the program, named at this span.
    Defined(Span),
    /// Made by the compiler for the pool named at this span (`<Pool>Roles`,
    /// `<Pool>AuthRole`, ...).
    Generated {
        /// The pool's name in `identity_pool Name`.
        pool: Span,
        /// What the generated resource is, e.g. "role attachment".
        what: &'static str,
    },
}

/// The kinds of [`CheckError`]; each names the code it is reported under.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CheckErrorKind {
    /// E0101: a name that nothing declares.
    UnknownName {
        /// The name as written.
        name: String,
        /// The closest declared name that would fit, if any.
        suggestion: Option<String>,
        /// What the place wants, for the help text (e.g. "a `user_pool`").
        wanted: String,
    },
    /// E0102: a name of the wrong kind for its place.
    WrongKind {
        /// The name as written.
        name: String,
        /// The kinds the place accepts.
        expected: Vec<Kind>,
        /// The name's kind, or its CloudFormation type when no kind fits it.
        found: String,
        /// Where the name was declared.
        declared: Declared,
    },
    /// E0103: a logical ID declared twice (or clashing with a generated one).
    DuplicateName {
        /// The logical ID.
        name: String,
        /// The first declaration.
        first: Declared,
        /// How this one came about (generated IDs clash at their pool).
        this: Option<&'static str>,
    },
    /// E0104: `Name` or `Name/path` for a resource that has no ARN.
    NoArn {
        /// The name as written.
        name: String,
        /// Its kind or type.
        kind: String,
        /// Where it was declared.
        declared: Declared,
    },
    /// E0105: `$<key>` that is not a policy variable IAM knows.
    UnknownPolicyVar {
        /// The key as written.
        key: String,
        /// The closest known key.
        suggestion: Option<String>,
    },
    /// E0106: `output X = Target.Attr` where the target's type has no such
    /// attribute.
    UnknownAttribute {
        /// The attribute as written.
        attribute: String,
        /// The target's logical ID.
        target: String,
        /// The target's CloudFormation type.
        cfn_type: String,
        /// The attributes that type has.
        known: Vec<&'static str>,
        /// The closest of them.
        suggestion: Option<String>,
    },
    /// E0107: a setting that may appear once appears again (`name`,
    /// `policy`, a second `authenticated role`, an output name, the same
    /// provider).
    DuplicateSetting {
        /// What is repeated, in the user's words.
        what: String,
        /// Where it first appeared.
        first: Span,
    },
    /// E0108: a Serverless variable where the target is plain
    /// CloudFormation, which would deploy it literally.
    ServerlessVarInCloudFormation {
        /// The variable as written.
        var: String,
    },
    /// E0109: a logical ID the compiler would generate is longer than
    /// CloudFormation's 255 characters.
    GeneratedNameTooLong {
        /// The generated ID.
        name: String,
    },
    /// E0110: a string resource that is not an ARN.
    NotAnArn {
        /// The text as written.
        text: String,
    },
    /// W0101: `use KIND Name` whose name nothing refers to.
    UnusedUse {
        /// The unused name.
        name: String,
    },
}

impl CheckErrorKind {
    /// Warnings don't stop a build unless `--deny-warnings`.
    pub fn is_warning(&self) -> bool {
        matches!(self, CheckErrorKind::UnusedUse { .. })
    }
}
