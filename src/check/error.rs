//! What the checker finds wrong.

use crate::diag::{Code, Severity};
use crate::syntax::ast::{Kind, RoleUsage, Span};

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
        /// What the generated resource is.
        what: Generated,
    },
    /// A resource of a stack file read with `use "path"`.
    Imported {
        /// The logical ID's key in its file, or what generates it.
        span: Span,
        /// For a resource Serverless generates, what generates it.
        generated_by: Option<String>,
    },
}

/// The kinds of [`CheckError`]; each names the code it is reported under
/// ([`CheckErrorKind::code`]), and `check/diagnostic.rs` words it.
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
        this: Option<Generated>,
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
    /// E0111: `$(Name)` names no parameter, pseudo parameter or logical ID.
    UnknownReference {
        /// The name as written.
        name: String,
        /// The closest known name.
        suggestion: Option<String>,
    },
    /// E0112: `$(AWS::Name)` that is no pseudo parameter of one string.
    UnknownPseudoParameter {
        /// The name as written.
        name: String,
        /// The closest pseudo parameter.
        suggestion: Option<String>,
    },
    /// E0113: `$(Name.Attr)` where the target has no such attribute (a
    /// parameter has none).
    ReferenceAttribute {
        /// The reference's target.
        target: String,
        /// The attribute as written.
        attribute: String,
        /// The attributes the target has (none for a parameter).
        known: Vec<&'static str>,
        /// The closest of them.
        suggestion: Option<String>,
    },
    /// E0114: a parameter or condition declared twice, or a parameter
    /// named like a logical ID of the program.
    StackNameTwice {
        /// The name.
        name: String,
        /// `parameter` or `condition`.
        what: &'static str,
        /// Where it was declared first.
        first: Span,
    },
    /// E0115: `if Cond` where no `use condition` declares `Cond`.
    UnknownStackCondition {
        /// The name as written.
        name: String,
        /// The closest declared condition.
        suggestion: Option<String>,
    },
    /// E0116: `guests Name` where no `use parameter` declares `Name`.
    NotAParameter {
        /// The name as written.
        name: String,
        /// The closest declared parameter.
        suggestion: Option<String>,
    },
    /// E0117: a reference where idpc must know the text itself (a map key).
    ReferenceNotAllowed {
        /// The reference as written.
        written: String,
        /// The place, for the message.
        place: &'static str,
    },
    /// E0118: `guests ...` in a pool without an `unauthenticated role`.
    GuestsWithoutGuestRole,
    /// E0250: `$(import NAME)` whose name refers to a resource: CloudFormation
    /// takes only parameters and pseudo parameters there.
    ImportNameResource {
        /// The reference as written.
        written: String,
    },
    /// W0809: `guests false` beside a guest role, which is then never
    /// handed out.
    GuestRoleNeverHandedOut {
        /// The guest role's line.
        role: Span,
    },
    /// N0810: `guests true` without a guest role.
    GuestsInWithoutRole,
    /// E0230: a pool that exists unconditionally attaches a role that
    /// exists only under a condition, without that condition.
    ConditionalRoleAttached {
        /// The role.
        role: String,
        /// The role's condition.
        condition: String,
        /// The conditional pool the role trusts, when that is why it is
        /// conditional (a role without `if`).
        trusted: Option<String>,
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
    /// E0240: an output's `description` longer than CloudFormation accepts.
    OutputDescriptionLength {
        /// Its length in characters.
        length: usize,
    },
    /// E0245: an output's `description` with a part CloudFormation would
    /// get as a function (a policy variable).
    OutputDescriptionNotLiteral,
    /// E0241: two outputs export the same name.
    DuplicateExport {
        /// The export name as written.
        name: String,
        /// Where it is first exported.
        first: Span,
    },
    /// E0242: a managed policy's `description` longer than IAM accepts.
    ManagedPolicyDescriptionLength {
        /// Its length in characters.
        length: usize,
    },
    /// E0243: `policy "Name" as Id` in two roles with other contents.
    SharedPolicyDiffers {
        /// The policy's logical ID.
        id: String,
        /// Where it is first written.
        first: Span,
    },
    /// E0244: a managed policy of the program longer than IAM accepts.
    ManagedPolicyTooLarge {
        /// The policy's logical ID.
        policy: String,
        /// Its size at the shortest, in characters.
        size: usize,
    },
    /// E0217: a principal tag name that STS does not accept as a session
    /// tag key, or that CloudFormation would read as a function name.
    PrincipalTagName {
        /// The name as written.
        tag: String,
        /// The rule it breaks, in words.
        rule: String,
        /// Whether the rule is CloudFormation's function names (the name is
        /// otherwise valid), for the help.
        intrinsic: bool,
    },
    /// E0218: a Serverless variable where idpc must know the text: it
    /// becomes a map key, or idpc decides something from it.
    ServerlessVarNotAllowed {
        /// The variable as written.
        var: String,
        /// Where it is, in the user's words ("a principal tag name").
        place: &'static str,
        /// Why the text must be known there.
        why: &'static str,
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
    /// E0201: a Twitter provider id that is not `key;secret`.
    TwitterIdForm {
        /// The id as written.
        id: String,
    },
    /// E0202: an OIDC/SAML provider, managed policy or boundary string that
    /// is not a well-formed ARN of that kind.
    MalformedArn {
        /// The text as written.
        text: String,
        /// What it should be, e.g. "an IAM OIDC provider ARN".
        what: &'static str,
        /// An example of the right form.
        example: &'static str,
    },
    /// E0220: a role property that breaks IAM's rule for it (`CreateRole`).
    RoleProperty {
        /// The CloudFormation property, e.g. `RoleName`.
        property: &'static str,
        /// The rule it breaks, in words.
        rule: String,
    },
    /// E0221: `metadata` whose string is not a JSON object.
    MetadataNotObject {
        /// Why, in words (the JSON reader's message or the value's type).
        reason: String,
    },
    /// E0222: `attachment Name` in a pool that attaches no role and maps
    /// none.
    AttachmentWithoutRoles {
        /// The pool.
        pool: String,
    },
    /// E0223: `principal_tags P as Name` where `P` names several providers
    /// (each gets its own resource, which one name cannot name).
    PrincipalTagsNameForMany {
        /// The provider as written.
        provider: String,
        /// How many resources the line makes.
        count: usize,
    },
    /// E0224: a retention policy value CloudFormation does not have for
    /// the attribute.
    NoSuchRetentionPolicy {
        /// `DeletionPolicy` or `UpdateReplacePolicy`.
        attribute: &'static str,
        /// The keyword as written.
        written: &'static str,
    },
    /// E0225: two roles of the program with the same `RoleName` (IAM names
    /// are unique in the account and not told apart by case).
    RoleNameTaken {
        /// The name as written here.
        name: String,
        /// The first role with that name.
        first: Span,
    },
    /// E0226: `depends_on` that closes a cycle with the references the
    /// program writes: no order of creation satisfies both.
    DependencyCycle {
        /// The resource whose `depends_on` it is.
        owner: String,
        /// The references from the named resource back to `owner`.
        path: Vec<String>,
    },
    /// E0203: a value that breaks one of CloudFormation's rules for its
    /// property (length, characters).
    InvalidValue {
        /// The property, e.g. `DeveloperProviderName`.
        property: &'static str,
        /// The rule it breaks, in words.
        rule: String,
    },
    /// E0204: `map U by rules { ... }` without `otherwise`.
    MissingOtherwise,
    /// E0205: `map`/`principal_tags` for a provider the pool doesn't have.
    ProviderNotInPool {
        /// The provider as written.
        provider: String,
        /// The pool.
        pool: String,
        /// Whether the pool has a user pool given as text, which no `map`
        /// or `principal_tags` can name.
        given_as_text: bool,
    },
    /// N0605: `classic_flow` together with role mappings (reported at
    /// `classic_flow`). It was the error E0206, retired: AWS's documentation
    /// does not say that Cognito refuses the combination.
    ClassicFlowWithMappings {
        /// The first mapping (`map U`).
        mapping: Span,
    },
    /// E0207: more rules or mappings than Cognito accepts.
    OverLimit {
        /// What is counted.
        what: MappingLimit,
        /// The limit.
        limit: usize,
    },
    /// E0208: a role handed out by a mapping or attached by name that is
    /// not a top-level `role` of this program.
    NotASharedRole {
        /// The name as written.
        name: String,
        /// Where it was declared.
        declared: Declared,
    },
    /// N0255: a pool attaches (or a mapping hands out) a role the program
    /// does not define: a `use role`, or a role given by its ARN. Its trust
    /// policy and permissions are unseen.
    RoleNotInProgram {
        /// The role as written: its name, or its ARN.
        role: String,
        /// The pool.
        pool: String,
        /// Who gets it (the `amr` its trust policy must name).
        usage: RoleUsage,
        /// Whether it is given by its ARN.
        by_arn: bool,
    },
    /// E1003: `expect ROLE ...` (or `expect ROLE of Pool cannot ...`) about
    /// a role that no pool (or not that pool) can hand out.
    RoleNeverHandedOut {
        /// The role.
        role: String,
        /// `of Pool`, when written.
        pool: Option<String>,
        /// Whether it is a top-level role of the program (left out of the
        /// output when no pool uses it).
        shared: bool,
    },
    /// E1004: `expect isolated` of a resource without `$<sub>`.
    IsolatedWithoutSub {
        /// The resource as written.
        resource: String,
    },
    /// E0209: a top-level role used both for signed-in users and for guests.
    RoleUsedBothWays {
        /// The role.
        role: String,
        /// Whether this use is for guests (the first use was for signed-in
        /// users) or the other way round.
        for_guests: bool,
        /// The first use, the other way.
        other: Span,
    },
    /// E0210: `$<aws:PrincipalTag/tag>` where no pool of the role maps `tag`.
    UnmappedPrincipalTag {
        /// The tag.
        tag: String,
        /// The tags that are mapped, for the help.
        mapped: Vec<String>,
    },
    /// N0604: `$<aws:PrincipalTag/tag>` that no pool maps by name, where a
    /// pool uses the default mappings, whose tag keys AWS does not document.
    DefaultPrincipalTag {
        /// The tag.
        tag: String,
    },
    /// E0211: more tags than Cognito accepts on a pool, or a tag key or
    /// value longer than it accepts.
    TagOverLimit {
        /// What is counted.
        what: TagLimit,
        /// The limit.
        limit: usize,
        /// The count.
        actual: usize,
    },
    /// E0212: a whole CloudFormation template without a resource.
    EmptyTemplate,
    /// E0213: a role's inline policy longer than IAM accepts, counted at
    /// its shortest (reported at the statement that passes the limit).
    InlinePolicyTooLarge {
        /// The role.
        role: String,
        /// The whole policy's size, at least.
        size: usize,
    },
    /// E0214: a name longer than IAM accepts.
    NameTooLongForIam {
        /// Whose name.
        what: IamName,
        /// The limit.
        limit: usize,
        /// The name's length (its literal parts).
        length: usize,
    },
    /// N0216: over the default of an IAM quota the account can raise.
    AdjustableQuota {
        /// The quota.
        quota: Quota,
        /// The default, with its unit.
        default: String,
        /// The count, in words.
        detail: String,
    },
    /// E0401: an action whose service prefix AWS doesn't have.
    UnknownService {
        /// The prefix as written.
        service: String,
        /// The closest prefix.
        suggestion: Option<String>,
    },
    /// E0402: an action the service doesn't have.
    UnknownAction {
        /// The action as written.
        action: String,
        /// The closest action, `service:Name`.
        suggestion: Option<String>,
    },
    /// E0403: a wildcard pattern that matches no action of its service.
    WildcardMatchesNothing {
        /// The pattern as written.
        pattern: String,
        /// An action with a similar name.
        suggestion: Option<String>,
    },
    /// E0404: actions that cannot act on a resource of the statement.
    ActionNotApplicable {
        /// The resource as written.
        resource: String,
        /// The resource's service, when known.
        resource_service: Option<String>,
        /// The actions that don't apply.
        misfits: Vec<NotApplicable>,
        /// A resource that would fit them all (`Bucket/*`, `*`).
        suggestion: Option<String>,
    },
    /// E0405: an access level on `*` or on an ARN whose service is unknown.
    LevelWithoutService {
        /// The level.
        level: &'static str,
    },
    /// E0406: an access level that gives no action on the resources.
    LevelExpandsToNothing {
        /// The level.
        level: &'static str,
    },
    /// E0407: a condition key that doesn't exist for this statement.
    UnknownConditionKey {
        /// The key as written.
        key: String,
        /// The closest known key.
        suggestion: Option<String>,
        /// The service the key belongs to, when it exists but not for the
        /// statement's services.
        elsewhere: Option<String>,
    },
    /// E0409: a second condition with the operator and key of an earlier
    /// one in the same statement: one `Condition` block holds each key once
    /// per operator, and the values of one key are ORed.
    DuplicateCondition {
        /// The key as written.
        key: String,
        /// The IAM operator both lower to, e.g. `StringLike`.
        operator: String,
        /// The earlier condition.
        first: Span,
    },
    /// E0408: an operator that doesn't fit the key's type.
    OperatorMismatch {
        /// The key.
        key: String,
        /// Its type.
        key_type: &'static str,
        /// The operator as written.
        op: &'static str,
        /// The operators that fit, for the help.
        fits: &'static str,
    },
    /// E0304: `use KIND Name` where a stack file read with `use "path"`
    /// gives `Name` another type.
    KindConflict {
        /// The name.
        name: String,
        /// The kind the `use` line gives.
        kind: Kind,
        /// That kind's CloudFormation type.
        cfn_type: &'static str,
        /// What the stack file says, e.g. "a `table` (`AWS::DynamoDB::Table`)".
        found: String,
        /// Where the stack file declares it.
        imported: Declared,
    },
    /// E0305: a logical ID that two different stack files declare.
    ImportedTwice {
        /// The logical ID.
        name: String,
        /// The first place.
        first: Declared,
        /// The second place.
        second: Declared,
    },
    /// E0306: a `use "path"` line for which the checker was given no stack
    /// file (the caller did not read it; [`crate::check_program`] does).
    StackFileNotRead {
        /// The path as written.
        written: String,
    },
    /// W0101: `use KIND Name` whose name nothing refers to.
    UnusedUse {
        /// The unused name.
        name: String,
    },
    /// W0201: a mapping rule that can never match because an earlier rule
    /// has the same claim, operator and value.
    UnreachableRule {
        /// The earlier rule.
        earlier: Span,
    },
    /// W0202: a top-level role that no pool uses; it is left out.
    UnusedRole {
        /// The role.
        name: String,
    },
    /// W0401: a service condition key that none of the statement's actions
    /// supports.
    ConditionKeyUnsupported {
        /// The key.
        key: String,
    },
    /// W0402: a multi-valued key compared without `any` or `all`.
    MultivaluedWithoutQuantifier {
        /// The key.
        key: String,
    },
    /// W0403: `any`/`all` on a single-valued key.
    QuantifierOnSingleValue {
        /// The key.
        key: String,
    },
}

/// A resource the compiler makes for a pool (`<Pool>Roles`, ...), for
/// "declared here" labels and clashes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Generated {
    /// `<Pool>AuthRole`, for an `authenticated role { ... }` without a name.
    AuthenticatedRole,
    /// `<Pool>UnauthRole`, for an `unauthenticated role { ... }` without a
    /// name.
    UnauthenticatedRole,
    /// `<Pool>Roles`, the role attachment.
    RoleAttachment,
    /// `<Pool><Provider>PrincipalTags`, a principal-tag mapping.
    PrincipalTagMapping,
}

/// What E0207 counts against Cognito's limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MappingLimit {
    /// Rules in one `map ... by rules` block.
    RulesInMapping,
    /// Role mappings (providers a `map` line names) in one pool.
    MappingsInPool,
}

/// What E0211 counts against Cognito's limits on tags.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TagLimit {
    /// Tags on one identity pool.
    Tags,
    /// Characters in a tag key.
    KeyLength,
    /// Characters in a tag value.
    ValueLength,
}

/// Whose name E0214 finds too long for IAM.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IamName {
    /// An inline policy's name, written with `policy "..."`.
    InlinePolicy,
    /// A managed policy's `name "..."` (`ManagedPolicyName`).
    ManagedPolicy,
    /// The default inline policy name `<Role>Policy` of a role without a
    /// `policy` line.
    DefaultInlinePolicy {
        /// The default name.
        default: String,
        /// The role's logical ID.
        role: String,
    },
}

/// An IAM quota the account can raise (N0216).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quota {
    /// "Role trust policy length".
    RoleTrustPolicyLength,
    /// "Managed policies attached to an IAM role".
    ManagedPoliciesPerRole,
}

/// An action (or pattern) that cannot act on a resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotApplicable {
    /// The action as written.
    pub action: String,
    /// Where it is written.
    pub action_span: Span,
    /// Whether it only works on `*`.
    pub only_star: bool,
    /// The resource types it accepts.
    pub accepts: Vec<String>,
    /// Its service prefix.
    pub service: String,
}

impl CheckErrorKind {
    /// The code it is reported under; the code's registry entry
    /// ([`Code::severity`]) is the one source of its severity.
    pub fn code(&self) -> Code {
        use CheckErrorKind as K;
        match self {
            K::UnknownName { .. } => Code::E0101,
            K::WrongKind { .. } => Code::E0102,
            K::DuplicateName { .. } => Code::E0103,
            K::NoArn { .. } => Code::E0104,
            K::UnknownPolicyVar { .. } => Code::E0105,
            K::UnknownAttribute { .. } => Code::E0106,
            K::DuplicateSetting { .. } => Code::E0107,
            K::ServerlessVarInCloudFormation { .. } => Code::E0108,
            K::GeneratedNameTooLong { .. } => Code::E0109,
            K::NotAnArn { .. } => Code::E0110,
            K::UnknownReference { .. } => Code::E0111,
            K::UnknownPseudoParameter { .. } => Code::E0112,
            K::ReferenceAttribute { .. } => Code::E0113,
            K::StackNameTwice { .. } => Code::E0114,
            K::UnknownStackCondition { .. } => Code::E0115,
            K::NotAParameter { .. } => Code::E0116,
            K::ReferenceNotAllowed { .. } => Code::E0117,
            K::GuestsWithoutGuestRole => Code::E0118,
            K::ImportNameResource { .. } => Code::E0250,
            K::GuestRoleNeverHandedOut { .. } => Code::W0809,
            K::GuestsInWithoutRole => Code::N0810,
            K::ConditionalRoleAttached { .. } => Code::E0230,
            K::TwitterIdForm { .. } => Code::E0201,
            K::MalformedArn { .. } => Code::E0202,
            K::InvalidValue { .. } => Code::E0203,
            K::RoleProperty { .. } => Code::E0220,
            K::MetadataNotObject { .. } => Code::E0221,
            K::AttachmentWithoutRoles { .. } => Code::E0222,
            K::PrincipalTagsNameForMany { .. } => Code::E0223,
            K::NoSuchRetentionPolicy { .. } => Code::E0224,
            K::RoleNameTaken { .. } => Code::E0225,
            K::DependencyCycle { .. } => Code::E0226,
            K::MissingOtherwise => Code::E0204,
            K::ProviderNotInPool { .. } => Code::E0205,
            K::OverLimit { .. } => Code::E0207,
            K::NotASharedRole { .. } => Code::E0208,
            K::RoleUsedBothWays { .. } => Code::E0209,
            K::RoleNotInProgram { .. } => Code::N0255,
            K::UnmappedPrincipalTag { .. } => Code::E0210,
            K::TagOverLimit { .. } => Code::E0211,
            K::EmptyTemplate => Code::E0212,
            K::InlinePolicyTooLarge { .. } => Code::E0213,
            K::NameTooLongForIam { .. } => Code::E0214,
            K::PrincipalTagName { .. } => Code::E0217,
            K::ServerlessVarNotAllowed { .. } => Code::E0218,
            K::OutputDescriptionLength { .. } => Code::E0240,
            K::DuplicateExport { .. } => Code::E0241,
            K::ManagedPolicyDescriptionLength { .. } => Code::E0242,
            K::SharedPolicyDiffers { .. } => Code::E0243,
            K::ManagedPolicyTooLarge { .. } => Code::E0244,
            K::OutputDescriptionNotLiteral => Code::E0245,
            K::KindConflict { .. } => Code::E0304,
            K::ImportedTwice { .. } => Code::E0305,
            K::UnknownService { .. } => Code::E0401,
            K::UnknownAction { .. } => Code::E0402,
            K::WildcardMatchesNothing { .. } => Code::E0403,
            K::ActionNotApplicable { .. } => Code::E0404,
            K::LevelWithoutService { .. } => Code::E0405,
            K::LevelExpandsToNothing { .. } => Code::E0406,
            K::UnknownConditionKey { .. } => Code::E0407,
            K::OperatorMismatch { .. } => Code::E0408,
            K::DuplicateCondition { .. } => Code::E0409,
            K::StackFileNotRead { .. } => Code::E0306,
            K::UnusedUse { .. } => Code::W0101,
            K::UnreachableRule { .. } => Code::W0201,
            K::UnusedRole { .. } => Code::W0202,
            K::ConditionKeyUnsupported { .. } => Code::W0401,
            K::MultivaluedWithoutQuantifier { .. } => Code::W0402,
            K::QuantifierOnSingleValue { .. } => Code::W0403,
            K::AdjustableQuota { .. } => Code::N0216,
            K::DefaultPrincipalTag { .. } => Code::N0604,
            K::ClassicFlowWithMappings { .. } => Code::N0605,
            K::RoleNeverHandedOut { .. } => Code::E1003,
            K::IsolatedWithoutSub { .. } => Code::E1004,
        }
    }

    /// Warnings (and notes) don't stop a build unless `--deny-warnings`:
    /// what the code's severity says.
    pub fn is_warning(&self) -> bool {
        self.code().severity() != Severity::Error
    }
}
