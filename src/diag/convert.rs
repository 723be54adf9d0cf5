//! The one place where stage errors become diagnostics: the wording, the
//! labels and the help of every code live here.

use super::{Code, Diagnostic, FileId, Label, Sources};
use crate::check::{CheckError, CheckErrorKind, Declared, limits};
use crate::limits::{MAX_ACTION_CHARS, MAX_ENTRIES, OverLimit};
use crate::stack_reader::{StackError, StackErrorKind};
use crate::syntax::ast::Span;
use crate::syntax::{MAX_NAME_LEN, ParseError, ParseErrorKind};

/// A parse error.
pub fn from_parse(error: &ParseError) -> Diagnostic {
    match &error.kind {
        ParseErrorKind::Unexpected { expected, found } if expected.is_empty() => {
            Diagnostic::new(Code::E0001, format!("unexpected {found}"), error.span)
                .with_label("not expected here")
        }
        ParseErrorKind::NameWithPunctuation { word } => Diagnostic::new(
            Code::E0001,
            format!("`{word}` is not a logical ID"),
            error.span,
        )
        .with_label("a logical ID is letters and digits only")
        .with_help(format!(
            "logical IDs are letters and digits only (`[A-Za-z][A-Za-z0-9]*`), no `_` or `-`: write e.g. `{}`",
            camel_case(word)
        )),
        ParseErrorKind::Unexpected { expected, found } => {
            let wanted = one_of(expected);
            let message = format!("expected {wanted}, found {found}");
            let mut diagnostic = Diagnostic::new(Code::E0001, message, error.span)
                .with_label(format!("expected {wanted}"));
            let keyword = found.trim_matches('`');
            let wants_name = expected.iter().any(|e| e.starts_with("a name"));
            if wants_name && is_reserved(keyword) {
                diagnostic = diagnostic.with_help(format!(
                    "`{keyword}` is a keyword; a logical ID must not be one (write it with a capital letter, e.g. `{}`)",
                    capitalize(keyword)
                ));
            } else if wants_name && found.contains('_') {
                diagnostic = diagnostic.with_help(
                    "logical IDs are letters and digits only (`[A-Za-z][A-Za-z0-9]*`), no `_` or `-`",
                );
            }
            diagnostic
        }
        ParseErrorKind::NameTooLong { len } => Diagnostic::new(
            Code::E0002,
            format!("this logical ID is {len} characters long; CloudFormation allows at most {MAX_NAME_LEN}"),
            error.span,
        )
        .with_label("too long")
        .with_help(format!("shorten it to {MAX_NAME_LEN} characters or fewer")),
        ParseErrorKind::NotUtf8 { offset } => Diagnostic::unlabelled(
            Code::E0003,
            format!("the file is not UTF-8: invalid byte at offset {offset}"),
        )
        .with_help("save the file as UTF-8"),
        ParseErrorKind::StrayLineBreak { found } => {
            let (name, fix) = match found {
                '\r' => (
                    "a carriage return (CR) without a newline after it",
                    "end lines with LF or CRLF: most editors convert line endings (e.g. \"CRLF\"/\"LF\" in the status bar), or `tr '\\r' '\\n'`",
                ),
                _ => (
                    "a Unicode line break character",
                    "replace it with an ordinary newline (LF), or remove it",
                ),
            };
            Diagnostic::new(
                Code::E0004,
                format!("{name} (U+{:04X})", u32::from(*found)),
                error.span,
            )
            .with_label("editors may end the line here; idpc would not")
            .with_note("idpc ends lines only at LF (and CRLF): were this a line break, code after it on a `#` comment's line would be read as part of the comment")
            .with_help(fix)
        }
    }
}

/// An internal error: lowering was asked to write one key twice in a map
/// (YAML and JSON readers would keep only the last). The checker should
/// have refused the program; nothing is written.
pub fn internal_duplicate_key(duplicate: &crate::cfn::DuplicateKey) -> Diagnostic {
    Diagnostic::unlabelled(
        Code::E0005,
        format!(
            "internal error: the output would hold the key `{}` twice in `{}`",
            duplicate.key, duplicate.map
        ),
    )
    .with_note("a reader keeps only one of two equal keys, so part of the program would silently be lost; nothing was written")
    .with_help("this is a bug in idpc: please report it with the program")
}

/// "`a`", "`a` and `b`", "`a`, `b` and `c`".
fn one_of_and(items: &[String]) -> String {
    match items {
        [] => "these actions".to_string(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// `attachments_bucket` → `AttachmentsBucket`.
fn camel_case(word: &str) -> String {
    word.split(['_', '-']).map(capitalize).collect()
}

/// "`a`", "`a` or `b`", "`a`, `b` or `c`".
fn one_of(items: &[String]) -> String {
    match items {
        [] => "nothing".to_string(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

fn is_reserved(word: &str) -> bool {
    crate::syntax::is_reserved(word)
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars.filter(|c| *c != '_'))
            .collect(),
        None => String::new(),
    }
}

/// A checker problem.
pub fn from_check(error: &CheckError) -> Diagnostic {
    let span = error.span;
    match &error.kind {
        CheckErrorKind::UnknownName {
            name,
            suggestion,
            wanted,
        } => {
            let diagnostic = Diagnostic::new(Code::E0101, format!("unknown resource `{name}`"), span)
                .with_label("not declared anywhere");
            match suggestion {
                Some(suggestion) => diagnostic.with_help(format!("did you mean `{suggestion}`?")),
                None => diagnostic.with_help(format!(
                    "declare it with `use KIND {name}` (the place wants {wanted}), or define it in this file"
                )),
            }
        }
        CheckErrorKind::WrongKind {
            name,
            expected,
            found,
            declared,
        } => {
            let expected = one_of(&expected.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>());
            let diagnostic = Diagnostic::new(
                Code::E0102,
                format!("`{name}` is {found}, but this place needs {expected}"),
                span,
            )
            .with_label(format!("expected {expected}"));
            declared_here(diagnostic, declared, &format!("`{name}` is declared here as {found}"))
                .with_help(format!("name a resource of kind {expected} here"))
        }
        CheckErrorKind::DuplicateName { name, first, this } => {
            let message = match this {
                Some(what) => format!("the {what} this pool generates would be named `{name}`, which is already taken"),
                None => format!("`{name}` is declared more than once"),
            };
            let diagnostic = Diagnostic::new(Code::E0103, message, span).with_label(match this {
                Some(_) => "the generated name clashes".to_string(),
                None => "declared again here".to_string(),
            });
            let help = match this {
                Some(what) if what.ends_with("role") => {
                    "give the role a name of its own: `authenticated role MyAuthRole { ... }`"
                }
                Some(_) => "rename the pool or the other resource",
                None => "logical IDs are unique within a stack: rename one of them",
            };
            declared_here(diagnostic, first, &format!("`{name}` first declared here")).with_help(help)
        }
        CheckErrorKind::KindConflict {
            name,
            kind,
            cfn_type,
            found,
            imported,
        } => {
            let diagnostic = Diagnostic::new(
                Code::E0304,
                format!("`use {kind}` disagrees with the stack: `{name}` is {found} there"),
                span,
            )
            .with_label(format!("declared here as a `{kind}` (`{cfn_type}`)"));
            declared_here(diagnostic, imported, &format!("`{name}` is {found} here"))
                .with_help(format!(
                    "the stack file already declares `{name}`: remove it from this `use` line, or fix the kind"
                ))
        }
        CheckErrorKind::ImportedTwice {
            name,
            first,
            second,
        } => {
            let diagnostic = Diagnostic::new(
                Code::E0305,
                format!("`{name}` is declared by two stack files"),
                span,
            )
            .with_label(format!("this file declares `{name}` again"));
            let diagnostic = declared_here(diagnostic, first, "first declared here");
            declared_here(diagnostic, second, "declared again here").with_help(
                "a stack holds each logical ID once: `use` one file per stack, or rename one of the resources",
            )
        }
        CheckErrorKind::NoArn {
            name,
            kind,
            declared,
        } => {
            let diagnostic = Diagnostic::new(
                Code::E0104,
                format!("`{name}` is {kind}, which has no ARN a policy can name"),
                span,
            )
            .with_label("has no ARN");
            declared_here(diagnostic, declared, "declared here").with_help(
                "a statement's resources must be resources with an ARN, `*`, or an ARN string",
            )
        }
        CheckErrorKind::UnknownPolicyVar { key, suggestion } => {
            let diagnostic = Diagnostic::new(
                Code::E0105,
                format!("unknown policy variable `$<{key}>`"),
                span,
            )
            .with_label("IAM has no such variable");
            match suggestion {
                Some(suggestion) => diagnostic.with_help(format!("did you mean `$<{suggestion}>`?")),
                None => diagnostic.with_help(
                    "use `$<sub>`, `$<aud>`, `$<amr>` (the Cognito identity) or a global key such as `$<aws:username>`",
                ),
            }
        }
        CheckErrorKind::UnknownAttribute {
            attribute,
            target,
            cfn_type,
            known,
            suggestion,
        } => {
            let diagnostic = Diagnostic::new(
                Code::E0106,
                format!("`{cfn_type}` has no attribute `{attribute}`"),
                span,
            )
            .with_label(format!("not an attribute of `{target}`"))
            .with_note(format!(
                "`{cfn_type}` has: {}",
                known.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ")
            ));
            match suggestion {
                Some(suggestion) => diagnostic.with_help(format!("did you mean `{target}.{suggestion}`?")),
                None => diagnostic.with_help(format!(
                    "use one of the attributes above, or `{target}` alone for its `Ref` value"
                )),
            }
        }
        CheckErrorKind::DuplicateSetting { what, first } => Diagnostic::new(
            Code::E0107,
            format!("{what} is given twice"),
            span,
        )
        .with_label("given again here")
        .with_secondary( *first, "first given here")
        .with_help("keep one of them"),
        CheckErrorKind::PrincipalTagName {
            tag,
            rule,
            intrinsic,
        } => Diagnostic::new(
            Code::E0217,
            match tag.as_str() {
                "" => format!("an empty string cannot be a principal tag name: {rule}"),
                _ => format!("`{tag}` cannot be a principal tag name: {rule}"),
            },
            span,
        )
        .with_label(if *intrinsic {
            "CloudFormation would run this as a function"
        } else {
            "STS would refuse this session tag"
        })
        .with_help(if *intrinsic {
            "rename the tag (e.g. `ref` or `import_value`); `Ref`, `Condition` and names starting with `Fn::` are CloudFormation's"
        } else {
            "use 1 to 128 letters, digits, spaces and `_ . : / = + - @`"
        }),
        CheckErrorKind::ServerlessVarNotAllowed { var, place, why } => Diagnostic::new(
            Code::E0218,
            format!("`{var}` is a Serverless variable in {place}, which idpc must know"),
            span,
        )
        .with_label("filled in only at deploy time")
        .with_note(*why)
        .with_help("write the text itself here; Serverless variables are for values (see README.md, \"Serverless variables\")"),
        CheckErrorKind::ServerlessVarInCloudFormation { var } => Diagnostic::new(
            Code::E0108,
            format!("`{var}` is a Serverless variable, but the target is plain CloudFormation"),
            span,
        )
        .with_label("CloudFormation would deploy this text literally")
        .with_help("build with `--target serverless`, or write the value itself"),
        CheckErrorKind::GeneratedNameTooLong { name } => Diagnostic::new(
            Code::E0109,
            format!(
                "the generated logical ID `...{}` is {} characters long; CloudFormation allows at most {MAX_NAME_LEN}",
                name.chars().skip(name.chars().count().saturating_sub(24)).collect::<String>(),
                name.len()
            ),
            span,
        )
        .with_label("generated from this name")
        .with_help("shorten the pool's name, or name its roles yourself"),
        CheckErrorKind::NotAnArn { text } => Diagnostic::new(
            Code::E0110,
            format!("`{text}` is not an ARN"),
            span,
        )
        .with_label("expected a string starting with `arn:`")
        .with_help("write a full ARN such as \"arn:aws:s3:::my-bucket/*\", or name a resource without quotes"),
        CheckErrorKind::TwitterIdForm { id } => Diagnostic::new(
            Code::E0201,
            format!("`{id}` is not a Twitter app id"),
            span,
        )
        .with_label("expected `consumer_key;consumer_secret`")
        .with_help("write the consumer key and secret separated by `;`, e.g. \"xvz1evFS4wEEPTGEFPHBog;kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw\""),
        CheckErrorKind::MalformedArn {
            text,
            what,
            example,
        } => Diagnostic::new(
            Code::E0202,
            format!("`{text}` is not {what}"),
            span,
        )
        .with_label(format!("expected {what}"))
        .with_help(format!("write it in the form \"{example}\"")),
        CheckErrorKind::InvalidValue { property, rule } => Diagnostic::new(
            Code::E0203,
            format!("this is not a valid `{property}`: {rule}"),
            span,
        )
        .with_label(format!("CloudFormation would reject this `{property}`"))
        .with_help("change the value so it follows the rule above"),
        CheckErrorKind::MissingOtherwise => Diagnostic::new(
            Code::E0204,
            "this rules mapping does not say what happens when no rule matches",
            span,
        )
        .with_label("no `otherwise`")
        .with_note("Cognito's default is to refuse credentials, which is rarely what was meant")
        .with_help("end the rules with `otherwise authenticated` (fall back to the pool's authenticated role) or `otherwise deny` (refuse credentials)"),
        CheckErrorKind::ProviderNotInPool { provider, pool } => Diagnostic::new(
            Code::E0205,
            format!("`{pool}` has no provider `{provider}`"),
            span,
        )
        .with_label("not a provider of this pool")
        .with_help(format!("add a `provider` line for `{provider}` to `{pool}`, or name one of its providers")),
        CheckErrorKind::ClassicFlowWithMappings { mapping } => Diagnostic::new(
            Code::N0605,
            "role mappings choose roles only in the enhanced flow",
            span,
        )
        .with_label("the classic flow is enabled here")
        .with_secondary( *mapping, "the pool maps roles here")
        .with_note("in the classic flow the app calls `AssumeRoleWithWebIdentity` itself, so no mapping chooses its role; Cognito has been reported to refuse classic-flow calls for a pool with role mappings, which AWS's documentation does not confirm")
        .with_help("if the app uses the enhanced flow only, remove `classic_flow`"),
        CheckErrorKind::OverLimit { what, limit } => Diagnostic::new(
            Code::E0207,
            format!("Cognito accepts at most {limit} {what}"),
            span,
        )
        .with_label(format!("number {} is over the limit", limit + 1))
        .with_help(if what.starts_with("rules") {
            "merge rules (e.g. with `contains` or `starts_with`) or split the users over pools"
        } else {
            "map fewer providers in this pool (each provider a `map` line names is one mapping), or split the providers over pools"
        }),
        CheckErrorKind::TagOverLimit { what, limit, actual } => Diagnostic::new(
            Code::E0211,
            format!("Cognito accepts at most {limit} {what}"),
            span,
        )
        .with_label(if what.starts_with("tags") {
            format!("tag number {actual} is over the limit")
        } else {
            format!("{actual} characters")
        })
        .with_help(if what.starts_with("tags") {
            "remove tags: keep those that billing or access control use"
        } else {
            "shorten it"
        }),
        CheckErrorKind::EmptyTemplate => Diagnostic::new(
            Code::E0212,
            "this program makes no resource, and CloudFormation refuses a template without one",
            span,
        )
        .with_label("no item of this program makes a resource")
        .with_note("only an `identity_pool`, and a top-level `role` a pool uses, make resources; `use` and `output` lines don't")
        .with_help("define an `identity_pool`, or build with `--target serverless`, whose fragment Serverless merges into its own template"),
        CheckErrorKind::InlinePolicyTooLarge { role, size } => Diagnostic::new(
            Code::E0213,
            format!(
                "the inline policy of `{role}` is at least {} characters long; IAM accepts at most {} per role",
                limits::thousands(*size),
                limits::thousands(limits::ROLE_INLINE_POLICIES.value)
            ),
            span,
        )
        .with_label("this statement takes it over the limit")
        .with_note(format!(
            "counted as IAM counts, without white space, on the policy idpc writes: {}",
            limits::COUNTED_AS
        ))
        .with_help("merge statements (one statement can list several actions and resources), use wildcards or access levels where they grant the same, or move statements to a managed policy (`managed_policy \"arn:...\"`)"),
        CheckErrorKind::NameTooLongForIam {
            what,
            limit,
            length,
        } => Diagnostic::new(
            Code::E0214,
            format!("IAM accepts at most {limit} characters in {what}"),
            span,
        )
        .with_label(if what.contains("default") {
            format!("this name makes a policy name of {length} characters")
        } else {
            format!("{length} characters")
        })
        .with_help(if what.contains("default") {
            format!("name the policy with a `policy \"...\"` line of {limit} characters or fewer")
        } else {
            format!("shorten it to {limit} characters or fewer")
        }),
        CheckErrorKind::AdjustableQuota {
            quota,
            default,
            detail,
        } => Diagnostic::new(
            Code::N0216,
            format!("over the default of IAM's quota \"{quota}\", {default}"),
            span,
        )
        .with_label(detail.clone())
        .with_note("the quota is adjustable: the deploy fails unless the account's quota was raised (Service Quotas, `AWS Identity and Access Management (IAM)`, in us-east-1)")
        .with_help(if quota.starts_with("Managed") {
            "attach fewer managed policies (merge them, or move their statements into the role's inline policy), or raise the quota"
        } else {
            "give fewer pools one top-level role (each pool's ID is in its trust policy), or raise the quota"
        }),
        CheckErrorKind::NotASharedRole { name, declared } => {
            let diagnostic = Diagnostic::new(
                Code::E0208,
                format!("`{name}` is not a top-level `role` of this program"),
                span,
            )
            .with_label("expected a top-level `role`");
            declared_here(diagnostic, declared, &format!("`{name}` is declared here"))
                .with_help(format!("define it at the top level, `role {name} {{ ... }}`, so idpc can write its trust policy for every pool that hands it out"))
        }
        CheckErrorKind::RoleUsedBothWays {
            role,
            for_guests,
            other,
        } => {
            let (this, first) = if *for_guests {
                ("guests", "signed-in users")
            } else {
                ("signed-in users", "guests")
            };
            Diagnostic::new(
                Code::E0209,
                format!("`{role}` is used both for signed-in users and for guests"),
                span,
            )
            .with_label(format!("used for {this} here"))
            .with_secondary( *other, format!("used for {first} here"))
        .with_note("a role's trust policy admits either authenticated or unauthenticated identities (`amr`), not both")
        .with_help(format!("split it: define a second role for the other use, e.g. `role {role}Guest {{ ... }}`"))
        }
        CheckErrorKind::UnmappedPrincipalTag { tag, mapped } => {
            let diagnostic = Diagnostic::new(
                Code::E0210,
                format!("no pool of this role maps the principal tag `{tag}`"),
                span,
            )
            .with_label("this tag is never set on the session");
            let diagnostic = if mapped.is_empty() {
                diagnostic
            } else {
                diagnostic.with_note(format!(
                    "mapped tags: {}",
                    mapped.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", ")
                ))
            };
            diagnostic.with_help(format!(
                "map it in the pool: `principal_tags PROVIDER {{ \"{tag}\" = \"claim\" }}`"
            ))
        }
        CheckErrorKind::DefaultPrincipalTag { tag } => Diagnostic::new(
            Code::N0604,
            format!("the principal tag `{tag}` is set only if a default mapping sets it"),
            span,
        )
        .with_label("not mapped by name in any pool of this role")
        .with_note("AWS describes the default mappings only as \"username and clientID\" and does not document their tag keys, so idpc cannot tell whether this tag is set")
        .with_help(format!(
            "map it by name to be sure: `principal_tags PROVIDER {{ \"{tag}\" = \"claim\" }}`"
        )),
        CheckErrorKind::UnreachableRule { earlier } => Diagnostic::new(
            Code::W0201,
            "this rule can never match",
            span,
        )
        .with_label("same claim, operator and value as an earlier rule")
        .with_secondary( *earlier, "this rule matches first")
        .with_help("remove this rule, or change its claim, operator or value"),
        CheckErrorKind::UnusedRole { name } => Diagnostic::new(
            Code::W0202,
            format!("no pool uses the role `{name}`; it is left out of the output"),
            span,
        )
        .with_label("never attached or mapped")
        .with_help(format!("attach it (`authenticated role {name}`), hand it out in a `map ... by rules`, or remove it")),
        CheckErrorKind::UnknownService {
            service,
            suggestion,
        } => {
            let diagnostic = Diagnostic::new(
                Code::E0401,
                format!("AWS has no service with the prefix `{service}`"),
                span,
            )
            .with_label("unknown service");
            match suggestion {
                Some(s) => diagnostic.with_help(format!("did you mean `{s}`?")),
                None => diagnostic.with_help(
                    "use a service prefix from the Service Authorization Reference, such as `s3` or `dynamodb`",
                ),
            }
        }
        CheckErrorKind::UnknownAction { action, suggestion } => {
            let diagnostic = Diagnostic::new(
                Code::E0402,
                format!("`{action}` is not an action"),
                span,
            )
            .with_label("unknown action")
            .with_note("IAM accepts a policy naming an action that doesn't exist, and it grants nothing");
            match suggestion {
                Some(s) => diagnostic.with_help(format!("did you mean `{s}`?")),
                None => diagnostic.with_help("check the action's name in the Service Authorization Reference"),
            }
        }
        CheckErrorKind::WildcardMatchesNothing {
            pattern,
            suggestion,
        } => {
            let diagnostic = Diagnostic::new(
                Code::E0403,
                format!("`{pattern}` matches no action"),
                span,
            )
            .with_label("matches nothing");
            match suggestion {
                Some(s) => diagnostic.with_help(format!("did you mean an action like `{s}`?")),
                None => diagnostic.with_help("check the pattern's spelling"),
            }
        }
        CheckErrorKind::ActionNotApplicable {
            resource,
            resource_service,
            misfits,
            suggestion,
        } => {
            let actions = misfits
                .iter()
                .map(|m| format!("`{}`", m.action))
                .collect::<Vec<_>>();
            let message = format!("{} cannot act on `{resource}`", one_of_and(&actions));
            let mut diagnostic = Diagnostic::new(Code::E0404, message, span)
                .with_label("the action can't act on this resource");
            for misfit in misfits {
                diagnostic = diagnostic.with_secondary( misfit.action_span, "");
                if misfit.only_star {
                    diagnostic = diagnostic.with_note(format!("`{}` only works on `*`", misfit.action));
                } else if resource_service.as_deref().is_some_and(|s| s != misfit.service) {
                    diagnostic = diagnostic.with_note(format!(
                        "`{}` is an action of `{}`, but `{resource}` belongs to `{}`",
                        misfit.action,
                        misfit.service,
                        resource_service.as_deref().unwrap_or_default()
                    ));
                } else if !misfit.accepts.is_empty() {
                    diagnostic = diagnostic.with_note(format!(
                        "`{}` acts on: {}",
                        misfit.action,
                        misfit.accepts.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", ")
                    ));
                }
            }
            match suggestion {
                Some(s) if s == "*" => diagnostic.with_help("these actions work only on all resources: write `on *`"),
                Some(s) => diagnostic.with_help(format!("did you mean `{s}`?")),
                None => diagnostic.with_help("pair the actions with resources they act on, or choose actions for this resource"),
            }
        }
        CheckErrorKind::LevelWithoutService { level } => Diagnostic::new(
            Code::E0405,
            format!("`{level}` can't be expanded: a resource's service is unknown"),
            span,
        )
        .with_label("an access level")
        .with_note("access levels expand to the actions of each resource's service; `*` and ARNs of unknown services have none")
        .with_help("name the actions explicitly, e.g. `s3:GetObject`"),
        CheckErrorKind::LevelExpandsToNothing { level } => Diagnostic::new(
            Code::E0406,
            format!("`{level}` gives no action on these resources"),
            span,
        )
        .with_label("expands to nothing")
        .with_help("remove it, or pair it with resources that have actions of this level"),
        CheckErrorKind::UnknownConditionKey {
            key,
            suggestion,
            elsewhere,
        } => {
            let diagnostic = Diagnostic::new(
                Code::E0407,
                format!("`{key}` is not a condition key of this statement"),
                span,
            )
            .with_label("unknown key");
            let diagnostic = match elsewhere {
                Some(service) => diagnostic.with_note(format!(
                    "`{key}` is a key of `{service}`, but the statement has no `{service}` action"
                )),
                None => diagnostic,
            };
            match suggestion {
                Some(s) => diagnostic.with_help(format!("did you mean `{s}`?")),
                None => diagnostic.with_help(
                    "use a global key (`aws:...`) or a key of the statement's service",
                ),
            }
        }
        CheckErrorKind::DuplicateCondition {
            key,
            operator,
            first,
        } => Diagnostic::new(
            Code::E0409,
            format!("a second `{operator}` condition on `{key}` in one statement"),
            span,
        )
        .with_label(format!("`{key}` again, with the same operator"))
        .with_secondary( *first, "first condition on the key")
        .with_note(format!(
            "a statement's `Condition` holds `{key}` once under `{operator}`: IAM cannot require two values of one key with one operator (the values listed for one key are ORed), and a second entry would silently replace the first in YAML and JSON readers"
        ))
        .with_help(format!(
            "to allow either value, write one condition with a list (`{key} ... [\"a\", \"b\"]`); to require both, write one value that means both (a pattern matching only what both match), or use another operator for one of them (`not like` to exclude)"
        )),
        CheckErrorKind::OperatorMismatch {
            key,
            key_type,
            op,
            fits,
        } => Diagnostic::new(
            Code::E0408,
            format!("`{op}` does not fit `{key}`, whose values are {key_type}"),
            span,
        )
        .with_label(format!("not an operator for {key_type}"))
        .with_help(format!("use one of {fits}")),
        CheckErrorKind::ConditionKeyUnsupported { key } => Diagnostic::new(
            Code::W0401,
            format!("none of the statement's actions supports `{key}`"),
            span,
        )
        .with_label("IAM will never find this key in the request")
        .with_help("remove the condition, or move it to a statement whose actions support the key"),
        CheckErrorKind::MultivaluedWithoutQuantifier { key } => Diagnostic::new(
            Code::W0402,
            format!("`{key}` can hold several values; say how to compare them"),
            span,
        )
        .with_label("multi-valued key")
        .with_help(format!("write `all {key} ...` (every value must match) or `any {key} ...` (one must)")),
        CheckErrorKind::QuantifierOnSingleValue { key } => Diagnostic::new(
            Code::W0403,
            format!("`{key}` holds a single value; `any`/`all` don't apply"),
            span,
        )
        .with_label("on a single-valued key")
        .with_note("on a single-valued key, `all` (`ForAllValues`) is also true when the key is missing from the request, and `any` adds nothing")
        .with_help("remove `any`/`all`"),
        CheckErrorKind::UnusedUse { name } => Diagnostic::new(
            Code::W0101,
            format!("`{name}` is declared but never used"),
            span,
        )
        .with_label("nothing refers to this")
        .with_help("remove it from the `use` line, or refer to it"),
    }
}

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

/// A stack file named by `use "path"` (written as `written`, at `at` in
/// `program`) that could not be read. The files the error points into are
/// added to `sources`.
pub fn from_stack(
    error: &StackError,
    at: Span,
    written: &str,
    sources: &mut Sources,
) -> Diagnostic {
    let shown = error.file.display().to_string();
    let (code, message, label) = match &error.kind {
        StackErrorKind::NotFound if error.included_from.is_empty() => (
            Code::E0301,
            format!("cannot find `{written}`"),
            format!("no file at `{shown}`"),
        ),
        StackErrorKind::NotFound => (
            Code::E0301,
            format!("cannot find `{shown}`, included by the stack"),
            format!("no file at `{shown}`"),
        ),
        StackErrorKind::Unreadable(why) => (
            Code::E0301,
            format!("cannot read `{shown}`: {why}"),
            why.clone(),
        ),
        StackErrorKind::NotUtf8 => (
            Code::E0302,
            format!("`{shown}` is not UTF-8"),
            "invalid UTF-8 here".to_string(),
        ),
        StackErrorKind::Malformed(why) => (
            Code::E0302,
            format!("`{shown}` is not a stack idpc can read: {why}"),
            why.clone(),
        ),
        StackErrorKind::NotAStack | StackErrorKind::IncludeCycle(_) => (
            Code::E0302,
            format!("`{shown}` is not a stack idpc can read"),
            error.kind.to_string(),
        ),
        _ => (
            Code::E0303,
            format!("`{shown}` is refused: {}", error.kind),
            "beyond idpc's reading limits".to_string(),
        ),
    };
    let mut labels = Vec::new();
    let mut added: Vec<(String, FileId)> = Vec::new();
    let mut file_id = |sources: &mut Sources, name: String, text: &str| -> FileId {
        if let Some((_, id)) = added.iter().find(|(n, _)| *n == name) {
            return *id;
        }
        let id = sources.add(name.clone(), text);
        added.push((name, id));
        id
    };
    if let (Some(text), Some(span)) = (&error.text, &error.span) {
        let id = file_id(sources, shown.clone(), text);
        labels.push(label_at(id, span.clone(), label.clone(), true));
    }
    // Innermost include first: the one that names the file at fault.
    for site in error.included_from.iter().rev() {
        let id = file_id(sources, site.file.display().to_string(), &site.text);
        let primary = labels.is_empty();
        let message = if primary {
            label.clone()
        } else {
            "included here".to_string()
        };
        labels.push(label_at(id, site.span.clone(), message, primary));
    }
    let primary = labels.is_empty();
    labels.push(Label {
        span: at,
        message: if primary {
            label
        } else {
            format!("the stack `{written}` is read here")
        },
        primary,
    });
    let mut diagnostic = Diagnostic::unlabelled(code, message);
    diagnostic.labels = labels;
    match code {
        Code::E0301 => diagnostic.with_help(
            "`use` paths are relative to the directory of the `.idp` file; fix the path or create the file",
        ),
        Code::E0303 => diagnostic.with_help(
            "idpc reads stack files within fixed limits (see `idpc explain E0303`); check that `use` names the file you meant",
        ),
        _ => diagnostic.with_help(
            "fix the file so Serverless Framework or CloudFormation would accept it, or `use` another file",
        ),
    }
}

fn label_at(file: FileId, span: std::ops::Range<usize>, message: String, primary: bool) -> Label {
    Label {
        span: Span::new(file, span.start, span.end),
        message,
        primary,
    }
}

/// A program beyond one of idpc's size limits ([`crate::limits`]).
pub fn from_limit(over: &OverLimit) -> Diagnostic {
    match over {
        OverLimit::Entries { what, count, span } => Diagnostic::new(
            Code::E0006,
            format!("{count} {what}: idpc reads at most {MAX_ENTRIES}"),
            *span,
        )
        .with_label(format!("entry {} is over the limit", MAX_ENTRIES + 1))
        .with_help(
            "no program AWS would deploy comes near this (Cognito takes at most 25 rules in a \
             mapping); a block this long is generated by mistake: shorten it",
        ),
        OverLimit::Action { chars, span } => Diagnostic::new(
            Code::E0006,
            format!(
                "this action is {chars} characters long: idpc reads at most {MAX_ACTION_CHARS}"
            ),
            *span,
        )
        .with_label("too long to be an action")
        .with_help("no AWS action is nearly this long; check for a paste error"),
    }
}
