//! How the checker's problems read: the message, labels, notes and help of
//! every [`CheckErrorKind`], next to the kinds (their codes are
//! [`CheckErrorKind::code`]).

use super::limits;
use super::{
    CheckError, CheckErrorKind as K, Declared, Generated, IamName, MappingLimit, NotApplicable,
    Quota, TagLimit,
};
use crate::diag::{Code, Diagnostic, ToDiagnostic, one_of, one_of_and, quoted_list};
use crate::syntax::MAX_NAME_LEN;
use crate::syntax::ast::{Kind, Span};
use std::fmt;

/// Where a problem is and the code it is reported under.
struct At {
    code: Code,
    span: Span,
}

impl At {
    /// The diagnostic with its headline, underlining the problem's text.
    fn says(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.code, message, self.span)
    }
}

impl ToDiagnostic for CheckError {
    fn code(&self) -> Code {
        self.kind.code()
    }

    fn to_diagnostic(&self) -> Diagnostic {
        let at = &At {
            code: self.kind.code(),
            span: self.span,
        };
        worded_by_group(at, &self.kind)
    }
}

/// The diagnostic for `kind`, worded by the group of kinds it belongs to.
fn worded_by_group(at: &At, kind: &K) -> Diagnostic {
    // Every kind is routed to the group that words it (no wildcard: a
    // new kind must be placed).
    match kind {
        K::UnknownName { .. }
        | K::WrongKind { .. }
        | K::DuplicateName { .. }
        | K::KindConflict { .. }
        | K::ImportedTwice { .. }
        | K::NoArn { .. }
        | K::UnknownPolicyVar { .. }
        | K::UnknownAttribute { .. }
        | K::DuplicateSetting { .. }
        | K::StackFileNotRead { .. }
        | K::UnusedUse { .. } => names(at, kind),
        K::OutputDescriptionLength { .. }
        | K::DuplicateExport { .. }
        | K::ManagedPolicyDescriptionLength { .. }
        | K::SharedPolicyDiffers { .. }
        | K::ManagedPolicyTooLarge { .. }
        | K::OutputDescriptionNotLiteral => super::stack_items::diagnostic(at.code, at.span, kind),
        K::PrincipalTagName { .. }
        | K::ServerlessVarNotAllowed { .. }
        | K::ServerlessVarInCloudFormation { .. }
        | K::GeneratedNameTooLong { .. }
        | K::NotAnArn { .. }
        | K::TwitterIdForm { .. }
        | K::MalformedArn { .. }
        | K::InvalidValue { .. } => values(at, kind),
        K::RoleProperty { .. }
        | K::MetadataNotObject { .. }
        | K::AttachmentWithoutRoles { .. }
        | K::PrincipalTagsNameForMany { .. }
        | K::NoSuchRetentionPolicy { .. }
        | K::RoleNameTaken { .. }
        | K::DependencyCycle { .. } => attributes(at, kind),
        K::MissingOtherwise
        | K::ProviderNotInPool { .. }
        | K::ClassicFlowWithMappings { .. }
        | K::NotASharedRole { .. }
        | K::RoleUsedBothWays { .. }
        | K::UnmappedPrincipalTag { .. }
        | K::DefaultPrincipalTag { .. }
        | K::RoleNotInProgram { .. }
        | K::UnreachableRule { .. }
        | K::RoleNeverHandedOut { .. }
        | K::IsolatedWithoutSub { .. }
        | K::UnusedRole { .. } => pools(at, kind),
        K::OverLimit { .. }
        | K::TagOverLimit { .. }
        | K::EmptyTemplate
        | K::InlinePolicyTooLarge { .. }
        | K::NameTooLongForIam { .. }
        | K::AdjustableQuota { .. } => deploy_limits(at, kind),
        K::UnknownService { .. }
        | K::UnknownAction { .. }
        | K::WildcardMatchesNothing { .. }
        | K::ActionNotApplicable { .. }
        | K::LevelWithoutService { .. }
        | K::LevelExpandsToNothing { .. } => actions(at, kind),
        K::UnknownConditionKey { .. }
        | K::DuplicateCondition { .. }
        | K::OperatorMismatch { .. }
        | K::ConditionKeyUnsupported { .. }
        | K::MultivaluedWithoutQuantifier { .. }
        | K::QuantifierOnSingleValue { .. } => conditions(at, kind),
        K::UnknownReference { .. }
        | K::UnknownPseudoParameter { .. }
        | K::ReferenceAttribute { .. }
        | K::StackNameTwice { .. }
        | K::UnknownStackCondition { .. }
        | K::NotAParameter { .. }
        | K::ReferenceNotAllowed { .. }
        | K::ImportNameResource { .. } => stack(at, kind),
        K::GuestsWithoutGuestRole
        | K::GuestRoleNeverHandedOut { .. }
        | K::GuestsInWithoutRole
        | K::ConditionalRoleAttached { .. } => stack_conditions(at, kind),
    }
}

/// A kind routed to a group that does not word it: a bug in the routing
/// above, said as an internal error rather than a panic.
fn misrouted(at: &At, kind: &K) -> Diagnostic {
    at.says(format!("internal error: no wording for {kind:?}"))
        .with_help("this is a bug in idpc: please report it with the program")
}

fn names(at: &At, kind: &K) -> Diagnostic {
    match kind {
        K::UnknownName {
            name,
            suggestion,
            wanted,
        } => unknown_name(at, name, suggestion, wanted),
        K::WrongKind {
            name,
            expected,
            found,
            declared,
        } => wrong_kind(at, name, expected, found, declared),
        K::DuplicateName { name, first, this } => duplicate_name(at, name, first, *this),
        K::KindConflict {
            name,
            kind,
            cfn_type,
            found,
            imported,
        } => kind_conflict(at, name, *kind, cfn_type, found, imported),
        K::ImportedTwice {
            name,
            first,
            second,
        } => imported_twice(at, name, first, second),
        K::NoArn {
            name,
            kind,
            declared,
        } => no_arn(at, name, kind, declared),
        K::UnknownPolicyVar { key, suggestion } => unknown_policy_var(at, key, suggestion),
        K::UnknownAttribute {
            attribute,
            target,
            cfn_type,
            known,
            suggestion,
        } => unknown_attribute(at, attribute, target, cfn_type, known, suggestion),
        K::DuplicateSetting { what, first } => {
            let diagnostic = at
                .says(format!("{what} is given twice"))
                .with_label("given again here");
            diagnostic.with_secondary(*first, "first given here")
                .with_help("keep one of them")
        }
        K::UnusedUse { name } => at
            .says(format!("`{name}` is declared but never used"))
            .with_label("nothing refers to this")
            .with_help("remove it from the `use` line, or refer to it"),
        K::StackFileNotRead { written } => at
            .says(format!("cannot resolve `use \"{written}\"`: the file was not read"))
            .with_label("no stack was given for this file")
            .with_help(
                "read the files a program's `use \"path\"` lines name before checking it (`idpc::check_program` does)",
            ),
        _ => misrouted(at, kind),
    }
}

fn unknown_name(at: &At, name: &str, suggestion: &Option<String>, wanted: &str) -> Diagnostic {
    let diagnostic = at
        .says(format!("unknown resource `{name}`"))
        .with_label("not declared anywhere");
    match suggestion {
        Some(suggestion) => diagnostic.with_help(format!("did you mean `{suggestion}`?")),
        None => diagnostic.with_help(format!(
            "declare it with `use KIND {name}` (the place wants {wanted}), or define it in this file"
        )),
    }
}

fn wrong_kind(
    at: &At,
    name: &str,
    expected: &[Kind],
    found: &str,
    declared: &Declared,
) -> Diagnostic {
    let expected = one_of(
        &expected
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>(),
    );
    let diagnostic = at
        .says(format!(
            "`{name}` is {found}, but this place needs {expected}"
        ))
        .with_label(format!("expected {expected}"));
    let message = format!("`{name}` is declared here as {found}");
    declared_here(diagnostic, declared, &message)
        .with_help(format!("name a resource of kind {expected} here"))
}

fn duplicate_name(at: &At, name: &str, first: &Declared, this: Option<Generated>) -> Diagnostic {
    let message = match this {
        Some(what) => format!(
            "the {what} this pool generates would be named `{name}`, which is already taken"
        ),
        None => format!("`{name}` is declared more than once"),
    };
    let diagnostic = at.says(message).with_label(match this {
        Some(_) => "the generated name clashes",
        None => "declared again here",
    });
    let help = match this {
        Some(Generated::AuthenticatedRole | Generated::UnauthenticatedRole) => {
            "give the role a name of its own: `authenticated role MyAuthRole { ... }`"
        }
        Some(_) => "rename the pool or the other resource",
        None => "logical IDs are unique within a stack: rename one of them",
    };
    declared_here(diagnostic, first, &format!("`{name}` first declared here")).with_help(help)
}

fn kind_conflict(
    at: &At,
    name: &str,
    kind: Kind,
    cfn_type: &str,
    found: &str,
    imported: &Declared,
) -> Diagnostic {
    let diagnostic = at
        .says(format!(
            "`use {kind}` disagrees with the stack: `{name}` is {found} there"
        ))
        .with_label(format!("declared here as a `{kind}` (`{cfn_type}`)"));
    declared_here(diagnostic, imported, &format!("`{name}` is {found} here")).with_help(format!(
        "the stack file already declares `{name}`: remove it from this `use` line, or fix the kind"
    ))
}

fn imported_twice(at: &At, name: &str, first: &Declared, second: &Declared) -> Diagnostic {
    let diagnostic = at
        .says(format!("`{name}` is declared by two stack files"))
        .with_label(format!("this file declares `{name}` again"));
    let diagnostic = declared_here(diagnostic, first, "first declared here");
    declared_here(diagnostic, second, "declared again here").with_help(
        "a stack holds each logical ID once: `use` one file per stack, or rename one of the resources",
    )
}

fn no_arn(at: &At, name: &str, kind: &str, declared: &Declared) -> Diagnostic {
    let diagnostic = at
        .says(format!(
            "`{name}` is {kind}, which has no ARN a policy can name"
        ))
        .with_label("has no ARN");
    declared_here(diagnostic, declared, "declared here")
        .with_help("a statement's resources must be resources with an ARN, `*`, or an ARN string")
}

fn unknown_policy_var(at: &At, key: &str, suggestion: &Option<String>) -> Diagnostic {
    let diagnostic = at
        .says(format!("unknown policy variable `$<{key}>`"))
        .with_label("IAM has no such variable");
    match suggestion {
        Some(suggestion) => diagnostic.with_help(format!("did you mean `$<{suggestion}>`?")),
        None => diagnostic.with_help(
            "use `$<sub>`, `$<aud>`, `$<amr>` (the Cognito identity) or a global key such as `$<aws:username>`",
        ),
    }
}

fn unknown_attribute(
    at: &At,
    attribute: &str,
    target: &str,
    cfn_type: &str,
    known: &[&'static str],
    suggestion: &Option<String>,
) -> Diagnostic {
    let diagnostic = at
        .says(format!("`{cfn_type}` has no attribute `{attribute}`"))
        .with_label(format!("not an attribute of `{target}`"))
        .with_note(format!("`{cfn_type}` has: {}", quoted_list(known)));
    match suggestion {
        Some(suggestion) => diagnostic.with_help(format!("did you mean `{target}.{suggestion}`?")),
        None => diagnostic.with_help(format!(
            "use one of the attributes above, or `{target}` alone for its `Ref` value"
        )),
    }
}

/// "declared here" for a name declared in the program, generated for a
/// pool, or read from a stack file.
fn declared_here(diagnostic: Diagnostic, declared: &Declared, message: &str) -> Diagnostic {
    match declared {
        Declared::Use(span) | Declared::Defined(span) => diagnostic.with_secondary(*span, message),
        Declared::Generated { pool, what } => {
            diagnostic.with_secondary(*pool, format!("the {what} of this pool"))
        }
        Declared::Imported { span, generated_by } => {
            let message = match generated_by {
                Some(by) => format!("{message} (generated by Serverless for {by})"),
                None => message.to_string(),
            };
            diagnostic.with_secondary(*span, message)
        }
    }
}

/// Did-you-mean help, or `otherwise`.
fn suggest(diagnostic: Diagnostic, suggestion: &Option<String>, otherwise: &str) -> Diagnostic {
    match suggestion {
        Some(suggestion) => diagnostic.with_help(format!("did you mean `{suggestion}`?")),
        None => diagnostic.with_help(otherwise.to_string()),
    }
}

/// Parameters, pseudo parameters, conditions and references.
fn stack(at: &At, kind: &K) -> Diagnostic {
    match kind {
        K::UnknownReference { name, suggestion } => suggest(
            at.says(format!("`$({name})` refers to nothing the program knows"))
                .with_label("not a parameter, pseudo parameter or logical ID"),
            suggestion,
            &format!("declare it: `use parameter {name}` for a parameter of the stack, or `use KIND {name}` for a resource"),
        ),
        K::UnknownPseudoParameter { name, suggestion } => suggest(
            at.says(format!("`{name}` is not a pseudo parameter a string can hold"))
                .with_label("unknown pseudo parameter")
                .with_note("the string pseudo parameters are AWS::AccountId, AWS::Partition, AWS::Region, AWS::StackId, AWS::StackName and AWS::URLSuffix (\"Get AWS values using pseudo parameters\", AWS CloudFormation User Guide)"),
            suggestion,
            "use one of the pseudo parameters listed above",
        ),
        K::ReferenceAttribute {
            target,
            attribute,
            known,
            suggestion,
        } => {
            let diagnostic = at
                .says(format!("`{target}` has no attribute `{attribute}`"))
                .with_label("no such attribute");
            if known.is_empty() {
                return diagnostic
                    .with_note("a parameter is a value: it has no attributes")
                    .with_help(format!("write `$({target})`"));
            }
            let listed = format!("its attributes are {}", quoted_list(known));
            suggest(diagnostic.with_note(listed), suggestion, "use one of its attributes")
        }
        K::StackNameTwice { name, what, first } => at
            .says(format!("`{name}` is declared again as a {what}"))
            .with_label("declared again here")
            .with_secondary(*first, "first declared here")
            .with_note("in a CloudFormation template a parameter's name is unique among all logical names (the `Parameters` section, AWS CloudFormation User Guide)")
            .with_help("declare each name once"),
        K::UnknownStackCondition { name, suggestion } => suggest(
            at.says(format!("`{name}` is not a declared condition"))
                .with_label("no `use condition` declares it"),
            suggestion,
            &format!("declare the stack's condition: `use condition {name}`"),
        ),
        K::NotAParameter { name, suggestion } => suggest(
            at.says(format!("`guests {name}` names no declared parameter"))
                .with_label("no `use parameter` declares it"),
            suggestion,
            &format!("declare the stack's parameter: `use parameter {name}` (or write `guests if Condition`)"),
        ),
        K::ReferenceNotAllowed { written, place } => at
            .says(format!("`{written}` cannot be part of {place}"))
            .with_label("known only when the stack is deployed")
            .with_note("CloudFormation takes no function in a map key, and idpc checks the text itself")
            .with_help("write the text itself"),
        K::ImportNameResource { written } => at
            .says(format!("`{written}` refers to a resource, which the name of an `$(import ...)` cannot"))
            .with_label("a resource of this stack")
            .with_note("\"Fn::ImportValue\" (CloudFormation Template Reference): the `ImportValue` function can't include `Ref` or `GetAtt` functions that depend on a resource")
            .with_help("build the export's name from literal text, `use parameter` parameters and pseudo parameters such as `$(AWS::StackName)`"),
        other => misrouted(at, other),
    }
}

/// `guests` and conditions.
fn stack_conditions(at: &At, kind: &K) -> Diagnostic {
    match kind {
        K::GuestsWithoutGuestRole => at
            .says("`guests` lets guests in, but the pool has no guest role")
            .with_label("guests allowed here")
            .with_note("an identity pool's guests get credentials only through the attachment's `unauthenticated` role")
            .with_help("add an `unauthenticated role { ... }` to the pool, or remove `guests`"),
        K::GuestRoleNeverHandedOut { role } => at
            .says("the pool attaches a guest role, but `guests false` keeps guests out")
            .with_label("guests disabled here")
            .with_secondary(*role, "never handed out")
            .with_help("remove the guest role, or `guests false` if guests are meant to get it"),
        K::GuestsInWithoutRole => at
            .says("`guests true` lets guests in, but the pool attaches no guest role")
            .with_label("guests allowed here")
            .with_help("add an `unauthenticated role { ... }` to the pool, or remove `guests true`"),
        K::ConditionalRoleAttached {
            role,
            condition,
            trusted,
        } => at
            .says(match trusted {
                None => format!("`{role}` exists only if `{condition}` holds, but this pool attaches it always"),
                Some(pool) => format!("`{role}` trusts pool `{pool}`, so it exists only if `{condition}` holds, but this pool attaches it always"),
            })
            .with_label("attached without the role's condition")
            .with_note("a resource that depends on one a condition leaves out is not created either (\"Condition attribute\", AWS CloudFormation Template Reference): the attachment and every role of the pool would go")
            .with_help(format!("attach it under the same condition: `... role {role} if {condition}`")),
        other => misrouted(at, other),
    }
}

fn values(at: &At, kind: &K) -> Diagnostic {
    match kind {
        K::PrincipalTagName {
            tag,
            rule,
            intrinsic,
        } => principal_tag_name(at, tag, rule, *intrinsic),
        K::ServerlessVarNotAllowed { var, place, why } => at
            .says(format!(
                "`{var}` is a Serverless variable in {place}, which idpc must know"
            ))
            .with_label("filled in only at deploy time")
            .with_note(*why)
            .with_help("write the text itself here; Serverless variables are for values (see README.md, \"Serverless variables\")"),
        K::ServerlessVarInCloudFormation { var } => at
            .says(format!(
                "`{var}` is a Serverless variable, but the target is plain CloudFormation"
            ))
            .with_label("CloudFormation would deploy this text literally")
            .with_help("build with `--target serverless`, or write the value itself"),
        K::GeneratedNameTooLong { name } => generated_name_too_long(at, name),
        K::NotAnArn { text } => at
            .says(format!("`{text}` is not an ARN"))
            .with_label("expected a string starting with `arn:`")
            .with_help("write a full ARN such as \"arn:aws:s3:::my-bucket/*\", or name a resource without quotes"),
        K::TwitterIdForm { id } => at
            .says(format!("`{id}` is not a Twitter app id"))
            .with_label("expected `consumer_key;consumer_secret`")
            .with_help("write the consumer key and secret separated by `;`, e.g. \"xvz1evFS4wEEPTGEFPHBog;kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw\""),
        K::MalformedArn {
            text,
            what,
            example,
        } => at
            .says(format!("`{text}` is not {what}"))
            .with_label(format!("expected {what}"))
            .with_help(format!("write it in the form \"{example}\"")),
        K::InvalidValue { property, rule } => at
            .says(format!("this is not a valid `{property}`: {rule}"))
            .with_label(format!("CloudFormation would reject this `{property}`"))
            .with_help("change the value so it follows the rule above"),
        _ => misrouted(at, kind),
    }
}

/// Role properties and resource attributes (`attachment`, `metadata`, ...).
fn attributes(at: &At, kind: &K) -> Diagnostic {
    match kind {
        K::RoleProperty { property, rule } => at
            .says(format!("this is not a valid `{property}`: {rule}"))
            .with_label(format!("IAM would refuse this `{property}`"))
            .with_note("IAM's rule is in the `CreateRole` API reference (see `idpc explain E0220`)")
            .with_help("change the value so it follows the rule above"),
        K::MetadataNotObject { reason } => at
            .says(format!("`metadata` must be a JSON object: {reason}"))
            .with_label("not a JSON object")
            .with_help("write the object in the string, with its quotes escaped, e.g. `metadata \"{\\\"team\\\": \\\"notes\\\"}\"`"),
        K::AttachmentWithoutRoles { pool } => at
            .says(format!("`{pool}` has no role attachment to name"))
            .with_label("names a resource the pool does not make")
            .with_note("a pool makes its role attachment only when it has a role or a role mapping")
            .with_help(format!("remove the `attachment` line, or give `{pool}` an `authenticated role`")),
        K::PrincipalTagsNameForMany { provider, count } => at
            .says(format!("`principal_tags {provider}` makes {count} resources, one per provider; one `as` name cannot name them all"))
            .with_label("one name for several resources")
            .with_help(format!("remove `as ...` to let idpc name each resource, or give `{provider}` one provider")),
        K::NoSuchRetentionPolicy { attribute, written } => at
            .says(format!("CloudFormation's `{attribute}` has no value `{written}`"))
            .with_label("not a value of this attribute")
            .with_note(format!("`{attribute}` takes `Delete` or `Retain` (and `Snapshot` for resources that have snapshots; `DeletionPolicy` also `RetainExceptOnCreate`); see `idpc explain E0224`"))
            .with_help("write `retain` or `delete`; `retain_except_on_create` belongs in `deletion_policy`"),
        K::RoleNameTaken { name, first } => at
            .says(format!("two roles would be named `{name}`"))
            .with_label("this role's name")
            .with_secondary(*first, "the same name, given first here")
            .with_note("IAM role names are unique in the account and not told apart by case (`MyRole` and `myrole` are one name): the second role would fail to deploy")
            .with_help("give each role its own `role_name`, or leave it out and let CloudFormation make one up"),
        K::DependencyCycle { owner, path } => {
            let chain = path
                .iter()
                .map(|id| format!("`{id}`"))
                .collect::<Vec<_>>()
                .join(" → ");
            let target = path.first().cloned().unwrap_or_default();
            let message = match path.len() {
                1 => format!("`{owner}` cannot depend on itself"),
                _ => format!("`{owner}` cannot depend on `{target}`, which must already come after it: {chain}"),
            };
            at.says(message)
                .with_label("closes a dependency cycle")
                .with_note("CloudFormation creates a resource after every resource it refers to (`Ref`, `Fn::GetAtt`) or depends on; with this `depends_on`, each of them would have to be created before the other")
                .with_help(format!("remove `{target}` from the `depends_on` line: the order the references give is already the one CloudFormation follows"))
        }
        _ => misrouted(at, kind),
    }
}

fn principal_tag_name(at: &At, tag: &str, rule: &str, intrinsic: bool) -> Diagnostic {
    let message = match tag {
        "" => format!("an empty string cannot be a principal tag name: {rule}"),
        _ => format!("`{tag}` cannot be a principal tag name: {rule}"),
    };
    if intrinsic {
        at.says(message)
            .with_label("CloudFormation would run this as a function")
            .with_help("rename the tag (e.g. `ref` or `import_value`); `Ref`, `Condition` and names starting with `Fn::` are CloudFormation's")
    } else {
        at.says(message)
            .with_label("STS would refuse this session tag")
            .with_help("use 1 to 128 letters, digits, spaces and `_ . : / = + - @`")
    }
}

fn generated_name_too_long(at: &At, name: &str) -> Diagnostic {
    let tail: String = name
        .chars()
        .skip(name.chars().count().saturating_sub(24))
        .collect();
    at.says(format!(
        "the generated logical ID `...{tail}` is {} characters long; CloudFormation allows at most {MAX_NAME_LEN}",
        name.len()
    ))
    .with_label("generated from this name")
    .with_help("shorten the pool's name, or name its roles yourself")
}

fn pools(at: &At, kind: &K) -> Diagnostic {
    match kind {
        K::MissingOtherwise => at
            .says("this rules mapping does not say what happens when no rule matches")
            .with_label("no `otherwise`")
            .with_note("Cognito's default is to refuse credentials, which is rarely what was meant")
            .with_help("end the rules with `otherwise authenticated` (fall back to the pool's authenticated role) or `otherwise deny` (refuse credentials)"),
        K::ProviderNotInPool {
            provider,
            pool,
            given_as_text,
        } => {
            let diagnostic = at
                .says(format!("`{pool}` has no provider `{provider}`"))
                .with_label("not a provider of this pool");
            let diagnostic = match given_as_text {
                true => diagnostic.with_note(format!("a user pool given as text (`provider user_pool \"...\" client \"...\"`) has no name that `map` and `principal_tags` can use; to map its users, name the user pool and its client instead (`use user_pool {provider}`, `provider user_pool {provider} client Client`)")),
                false => diagnostic,
            };
            diagnostic.with_help(format!("add a `provider` line for `{provider}` to `{pool}`, or name one of its providers"))
        }
        K::ClassicFlowWithMappings { mapping } => {
            let diagnostic = at
                .says("role mappings choose roles only in the enhanced flow")
                .with_label("the classic flow is enabled here");
            diagnostic.with_secondary(*mapping, "the pool maps roles here")
                .with_note("in the classic flow the app calls `AssumeRoleWithWebIdentity` itself, so no mapping chooses its role; Cognito has been reported to refuse classic-flow calls for a pool with role mappings, which AWS's documentation does not confirm")
                .with_help("if the app uses the enhanced flow only, remove `classic_flow`")
        }
        K::NotASharedRole { name, declared } => {
            let diagnostic = at
                .says(format!("`{name}` is not a top-level `role` of this program"))
                .with_label("expected a top-level `role`");
            declared_here(diagnostic, declared, &format!("`{name}` is declared here"))
                .with_help(format!("define it at the top level, `role {name} {{ ... }}`, so idpc can write its trust policy for every pool that hands it out"))
        }
        K::RoleUsedBothWays {
            role,
            for_guests,
            other,
        } => role_used_both_ways(at, role, *for_guests, *other),
        K::UnmappedPrincipalTag { tag, mapped } => unmapped_principal_tag(at, tag, mapped),
        K::DefaultPrincipalTag { tag } => at
            .says(format!("the principal tag `{tag}` is set only if a default mapping sets it"))
            .with_label("not mapped by name in any pool of this role")
            .with_note("AWS describes the default mappings only as \"username and clientID\" and does not document their tag keys, so idpc cannot tell whether this tag is set")
            .with_help(format!(
                "map it by name to be sure: `principal_tags PROVIDER {{ \"{tag}\" = \"claim\" }}`"
            )),
        K::RoleNotInProgram {
            role,
            pool,
            usage,
            by_arn,
        } => role_not_in_program(at, role, pool, *usage, *by_arn),
        K::UnreachableRule { earlier } => {
            let diagnostic = at
                .says("this rule can never match")
                .with_label("same claim, operator and value as an earlier rule");
            diagnostic.with_secondary(*earlier, "this rule matches first")
                .with_help("remove this rule, or change its claim, operator or value")
        }
        K::RoleNeverHandedOut { .. } | K::IsolatedWithoutSub { .. } => {
            super::expect::diagnostic(at.code, at.span, kind)
        }
        K::UnusedRole { name } => at
            .says(format!("no pool uses the role `{name}`; it is left out of the output"))
            .with_label("never attached or mapped")
            .with_help(format!("attach it (`authenticated role {name}`), hand it out in a `map ... by rules`, or remove it")),
        _ => misrouted(at, kind),
    }
}

/// N0255: a role of the stack, whose trust policy idpc neither writes nor
/// sees.
fn role_not_in_program(
    at: &At,
    role: &str,
    pool: &str,
    usage: crate::syntax::ast::RoleUsage,
    by_arn: bool,
) -> Diagnostic {
    let what = if by_arn {
        format!("the role \"{role}\" is given by its ARN")
    } else {
        format!("`{role}` is a role of the stack, not of this program")
    };
    let amr = usage.keyword();
    at.says(format!("{what}: idpc neither writes nor checks its trust policy and permissions"))
        .with_label(format!("{amr} identities of `{pool}` get this role"))
        .with_note(format!("for `{pool}` to hand it out, its trust policy must allow `sts:AssumeRoleWithWebIdentity` to the principal `cognito-identity.amazonaws.com` with `cognito-identity.amazonaws.com:aud` = the id of `{pool}` and `cognito-identity.amazonaws.com:amr` = `{amr}` (and allow `sts:TagSession` too if the pool maps principal tags); the lints do not judge what it grants"))
        .with_help("check that role's trust policy and permissions where it is defined, or define it in the program (`role Name { ... }`) so idpc writes and checks them")
}

fn role_used_both_ways(at: &At, role: &str, for_guests: bool, other: Span) -> Diagnostic {
    let (this, first) = if for_guests {
        ("guests", "signed-in users")
    } else {
        ("signed-in users", "guests")
    };
    let diagnostic = at
        .says(format!(
            "`{role}` is used both for signed-in users and for guests"
        ))
        .with_label(format!("used for {this} here"));
    diagnostic.with_secondary(other, format!("used for {first} here"))
        .with_note("a role's trust policy admits either authenticated or unauthenticated identities (`amr`), not both")
        .with_help(format!("split it: define a second role for the other use, e.g. `role {role}Guest {{ ... }}`"))
}

fn unmapped_principal_tag(at: &At, tag: &str, mapped: &[String]) -> Diagnostic {
    let diagnostic = at
        .says(format!(
            "no pool of this role maps the principal tag `{tag}`"
        ))
        .with_label("this tag is never set on the session");
    let diagnostic = if mapped.is_empty() {
        diagnostic
    } else {
        diagnostic.with_note(format!("mapped tags: {}", quoted_list(mapped)))
    };
    diagnostic.with_help(format!(
        "map it in the pool: `principal_tags PROVIDER {{ \"{tag}\" = \"claim\" }}`"
    ))
}

fn deploy_limits(at: &At, kind: &K) -> Diagnostic {
    match kind {
        K::OverLimit { what, limit } => at
            .says(format!("Cognito accepts at most {limit} {what}"))
            .with_label(format!("number {} is over the limit", limit + 1))
            .with_help(if *what == MappingLimit::RulesInMapping {
                "merge rules (e.g. with `contains` or `starts_with`) or split the users over pools"
            } else {
                "map fewer providers in this pool (each provider a `map` line names is one mapping), or split the providers over pools"
            }),
        K::TagOverLimit {
            what,
            limit,
            actual,
        } => {
            let diagnostic = at.says(format!("Cognito accepts at most {limit} {what}"));
            if *what == TagLimit::Tags {
                diagnostic
                    .with_label(format!("tag number {actual} is over the limit"))
                    .with_help("remove tags: keep those that billing or access control use")
            } else {
                diagnostic
                    .with_label(format!("{actual} characters"))
                    .with_help("shorten it")
            }
        }
        K::EmptyTemplate => at
            .says("this program makes no resource, and CloudFormation refuses a template without one")
            .with_label("no item of this program makes a resource")
            .with_note("only an `identity_pool`, and a top-level `role` a pool uses, make resources; `use` and `output` lines don't")
            .with_help("define an `identity_pool`, or build with `--target serverless`, whose fragment Serverless merges into its own template"),
        K::InlinePolicyTooLarge { role, size } => inline_policy_too_large(at, role, *size),
        K::NameTooLongForIam {
            what,
            limit,
            length,
        } => name_too_long_for_iam(at, what, *limit, *length),
        K::AdjustableQuota {
            quota,
            default,
            detail,
        } => adjustable_quota(at, quota, default, detail),
        _ => misrouted(at, kind),
    }
}

fn inline_policy_too_large(at: &At, role: &str, size: usize) -> Diagnostic {
    at.says(format!(
        "the inline policy of `{role}` is at least {} characters long; IAM accepts at most {} per role",
        limits::thousands(size),
        limits::thousands(limits::ROLE_INLINE_POLICIES.value)
    ))
    .with_label("this statement takes it over the limit")
    .with_note(format!(
        "counted as IAM counts, without white space, on the policy idpc writes: {}",
        limits::COUNTED_AS
    ))
    .with_help("merge statements (one statement can list several actions and resources), use wildcards or access levels where they grant the same, or move statements to a managed policy (`managed_policy \"arn:...\"`)")
}

fn name_too_long_for_iam(at: &At, what: &IamName, limit: usize, length: usize) -> Diagnostic {
    let diagnostic = at.says(format!("IAM accepts at most {limit} characters in {what}"));
    if matches!(what, IamName::DefaultInlinePolicy { .. }) {
        diagnostic
            .with_label(format!(
                "this name makes a policy name of {length} characters"
            ))
            .with_help(format!(
                "name the policy with a `policy \"...\"` line of {limit} characters or fewer"
            ))
    } else {
        diagnostic
            .with_label(format!("{length} characters"))
            .with_help(format!("shorten it to {limit} characters or fewer"))
    }
}

fn adjustable_quota(at: &At, quota: &Quota, default: &str, detail: &str) -> Diagnostic {
    at.says(format!("over the default of IAM's quota \"{quota}\", {default}"))
        .with_label(detail)
        .with_note("the quota is adjustable: the deploy fails unless the account's quota was raised (Service Quotas, `AWS Identity and Access Management (IAM)`, in us-east-1)")
        .with_help(if *quota == Quota::ManagedPoliciesPerRole {
            "attach fewer managed policies (merge them, or move their statements into the role's inline policy), or raise the quota"
        } else {
            "give fewer pools one top-level role (each pool's ID is in its trust policy), or raise the quota"
        })
}

/// "did you mean `s`?" when there is a suggestion, else `otherwise`.
fn did_you_mean(
    diagnostic: Diagnostic,
    suggestion: &Option<String>,
    otherwise: &str,
) -> Diagnostic {
    match suggestion {
        Some(s) => diagnostic.with_help(format!("did you mean `{s}`?")),
        None => diagnostic.with_help(otherwise),
    }
}

fn actions(at: &At, kind: &K) -> Diagnostic {
    match kind {
        K::UnknownService {
            service,
            suggestion,
        } => did_you_mean(
            at.says(format!("AWS has no service with the prefix `{service}`"))
                .with_label("unknown service"),
            suggestion,
            "use a service prefix from the Service Authorization Reference, such as `s3` or `dynamodb`",
        ),
        K::UnknownAction { action, suggestion } => did_you_mean(
            at.says(format!("`{action}` is not an action"))
                .with_label("unknown action")
                .with_note("IAM accepts a policy naming an action that doesn't exist, and it grants nothing"),
            suggestion,
            "check the action's name in the Service Authorization Reference",
        ),
        K::WildcardMatchesNothing {
            pattern,
            suggestion,
        } => {
            let diagnostic = at
                .says(format!("`{pattern}` matches no action"))
                .with_label("matches nothing");
            match suggestion {
                Some(s) => diagnostic.with_help(format!("did you mean an action like `{s}`?")),
                None => diagnostic.with_help("check the pattern's spelling"),
            }
        }
        K::ActionNotApplicable {
            resource,
            resource_service,
            misfits,
            suggestion,
        } => action_not_applicable(at, resource, resource_service.as_deref(), misfits, suggestion),
        K::LevelWithoutService { level } => at
            .says(format!("`{level}` can't be expanded: a resource's service is unknown"))
            .with_label("an access level")
            .with_note("access levels expand to the actions of each resource's service; `*` and ARNs of unknown services have none")
            .with_help("name the actions explicitly, e.g. `s3:GetObject`"),
        K::LevelExpandsToNothing { level } => at
            .says(format!("`{level}` gives no action on these resources"))
            .with_label("expands to nothing")
            .with_help("remove it, or pair it with resources that have actions of this level"),
        _ => misrouted(at, kind),
    }
}

fn action_not_applicable(
    at: &At,
    resource: &str,
    resource_service: Option<&str>,
    misfits: &[NotApplicable],
    suggestion: &Option<String>,
) -> Diagnostic {
    let actions = misfits
        .iter()
        .map(|m| format!("`{}`", m.action))
        .collect::<Vec<_>>();
    let message = format!("{} cannot act on `{resource}`", one_of_and(&actions));
    let mut diagnostic = at
        .says(message)
        .with_label("the action can't act on this resource");
    for misfit in misfits {
        diagnostic = diagnostic.with_secondary(misfit.action_span, "");
        if misfit.only_star {
            diagnostic = diagnostic.with_note(format!("`{}` only works on `*`", misfit.action));
        } else if resource_service.is_some_and(|s| s != misfit.service) {
            diagnostic = diagnostic.with_note(format!(
                "`{}` is an action of `{}`, but `{resource}` belongs to `{}`",
                misfit.action,
                misfit.service,
                resource_service.unwrap_or_default()
            ));
        } else if !misfit.accepts.is_empty() {
            diagnostic = diagnostic.with_note(format!(
                "`{}` acts on: {}",
                misfit.action,
                quoted_list(&misfit.accepts)
            ));
        }
    }
    match suggestion.as_deref() {
        Some("*") => diagnostic.with_help("these actions work only on all resources: write `on *`"),
        Some(s) => diagnostic.with_help(format!("did you mean `{s}`?")),
        None => diagnostic.with_help(
            "pair the actions with resources they act on, or choose actions for this resource",
        ),
    }
}

fn conditions(at: &At, kind: &K) -> Diagnostic {
    match kind {
        K::UnknownConditionKey {
            key,
            suggestion,
            elsewhere,
        } => {
            let diagnostic = at
                .says(format!("`{key}` is not a condition key of this statement"))
                .with_label("unknown key");
            let diagnostic = match elsewhere {
                Some(service) => diagnostic.with_note(format!(
                    "`{key}` is a key of `{service}`, but the statement has no `{service}` action"
                )),
                None => diagnostic,
            };
            did_you_mean(
                diagnostic,
                suggestion,
                "use a global key (`aws:...`) or a key of the statement's service",
            )
        }
        K::DuplicateCondition {
            key,
            operator,
            first,
        } => duplicate_condition(at, key, operator, *first),
        K::OperatorMismatch {
            key,
            key_type,
            op,
            fits,
        } => at
            .says(format!("`{op}` does not fit `{key}`, whose values are {key_type}"))
            .with_label(format!("not an operator for {key_type}"))
            .with_help(format!("use one of {fits}")),
        K::ConditionKeyUnsupported { key } => at
            .says(format!("none of the statement's actions supports `{key}`"))
            .with_label("IAM will never find this key in the request")
            .with_help("remove the condition, or move it to a statement whose actions support the key"),
        K::MultivaluedWithoutQuantifier { key } => at
            .says(format!("`{key}` can hold several values; say how to compare them"))
            .with_label("multi-valued key")
            .with_help(format!("write `all {key} ...` (every value must match) or `any {key} ...` (one must)")),
        K::QuantifierOnSingleValue { key } => at
            .says(format!("`{key}` holds a single value; `any`/`all` don't apply"))
            .with_label("on a single-valued key")
            .with_note("on a single-valued key, `all` (`ForAllValues`) is also true when the key is missing from the request, and `any` adds nothing")
            .with_help("remove `any`/`all`"),
        _ => misrouted(at, kind),
    }
}

fn duplicate_condition(at: &At, key: &str, operator: &str, first: Span) -> Diagnostic {
    let diagnostic = at
        .says(format!(
            "a second `{operator}` condition on `{key}` in one statement"
        ))
        .with_label(format!("`{key}` again, with the same operator"));
    diagnostic.with_secondary(first, "first condition on the key")
        .with_note(format!(
            "a statement's `Condition` holds `{key}` once under `{operator}`: IAM cannot require two values of one key with one operator (the values listed for one key are ORed), and a second entry would silently replace the first in YAML and JSON readers"
        ))
        .with_help(format!(
            "to allow either value, write one condition with a list (`{key} ... [\"a\", \"b\"]`); to require both, write one value that means both (a pattern matching only what both match), or use another operator for one of them (`not like` to exclude)"
        ))
}

impl fmt::Display for Generated {
    /// What the generated resource is, e.g. "role attachment".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Generated::AuthenticatedRole => "authenticated role",
            Generated::UnauthenticatedRole => "unauthenticated role",
            Generated::RoleAttachment => "role attachment",
            Generated::PrincipalTagMapping => "principal-tag mapping",
        })
    }
}

impl fmt::Display for MappingLimit {
    /// What is counted, after "at most N".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MappingLimit::RulesInMapping => "rules in one mapping",
            MappingLimit::MappingsInPool => "role mappings in one pool",
        })
    }
}

impl fmt::Display for TagLimit {
    /// What is counted, after "at most N".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TagLimit::Tags => "tags in one identity pool",
            TagLimit::KeyLength => "characters in a tag key",
            TagLimit::ValueLength => "characters in a tag value",
        })
    }
}

impl fmt::Display for IamName {
    /// Whose name, after "at most N characters in".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IamName::InlinePolicy => f.write_str("an inline policy's name"),
            IamName::ManagedPolicy => f.write_str("a managed policy's name"),
            IamName::DefaultInlinePolicy { default, role } => write!(
                f,
                "an inline policy's name, and `{default}` (the default for `{role}`) is longer"
            ),
        }
    }
}

impl fmt::Display for Quota {
    /// The quota as IAM names it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Quota::RoleTrustPolicyLength => "Role trust policy length",
            Quota::ManagedPoliciesPerRole => "Managed policies attached to an IAM role",
        })
    }
}
