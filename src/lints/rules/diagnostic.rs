//! How the lints' findings read: the message, labels, notes and help of
//! every [`LintKind`], next to the findings (their codes are
//! [`LintKind::code`]).

use super::conditions::{Absent, OPTIONAL_REQUEST_KEYS};
use super::{Finding, LintKind, guest_scope, managed};
use crate::catalog::AccessLevel;
use crate::diag::{Code, Diagnostic, ToDiagnostic};
use crate::syntax::ast::Span;

impl LintKind {
    /// The code it is reported under; the code's registry entry is the one
    /// source of its severity.
    pub fn code(&self) -> Code {
        match self {
            LintKind::ServiceWildcard { .. } => Code::W0601,
            LintKind::StarResourceWrites { .. } => Code::W0602,
            LintKind::Escalation { .. } => Code::W0603,
            LintKind::OutsideGuestScope { .. } => Code::W0604,
            LintKind::GuestScopeUndocumented { .. } => Code::N0603,
            LintKind::GuestWrites { .. } => Code::W0605,
            LintKind::SharedPerUserPrefix { .. } => Code::W0606,
            LintKind::Redundant { .. } => Code::W0607,
            LintKind::BroadManagedPolicy { .. } => Code::W0608,
            LintKind::NegatedOnAbsentKey { .. } => Code::W0609,
            LintKind::AnyLeadingKeys { .. } => Code::W0610,
            LintKind::DenyMatchesNothing { .. } => Code::N0601,
            LintKind::SubIsIdentityId => Code::N0602,
            LintKind::NoWayIn { .. } => Code::N0611,
            LintKind::FallbackGrantsMore { .. } => Code::W0612,
        }
    }
}

/// Where a finding is and the code it is reported under.
struct At {
    code: Code,
    span: Span,
}

impl At {
    /// The diagnostic with its headline, underlining the finding's text.
    fn says(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.code, message, self.span)
    }
}

impl ToDiagnostic for Finding {
    fn code(&self) -> Code {
        self.kind.code()
    }

    fn to_diagnostic(&self) -> Diagnostic {
        let at = &At {
            code: self.kind.code(),
            span: self.span,
        };
        match &self.kind {
            LintKind::ServiceWildcard {
                pattern,
                count,
                levels,
            } => service_wildcard(at, pattern, *count, levels),
            LintKind::StarResourceWrites {
                actions,
                resource,
                kinds,
            } => star_resource_writes(at, actions, resource.as_deref(), kinds),
            LintKind::Escalation {
                written,
                actions,
                guests,
                resource,
            } => escalation(at, written, actions, *guests, resource),
            LintKind::OutsideGuestScope {
                written,
                actions,
                all,
            } => outside_guest_scope(at, written, actions, *all),
            LintKind::GuestScopeUndocumented {
                written,
                actions,
                all,
                why,
            } => guest_scope_undocumented(at, written, actions, *all, why),
            LintKind::GuestWrites {
                actions,
                star,
                witness,
            } => guest_writes(at, actions, *star, witness.as_deref()),
            LintKind::SharedPerUserPrefix {
                witness,
                prefix,
                writes,
                resource,
            } => shared_per_user_prefix(at, witness, prefix, *writes, resource),
            LintKind::Redundant {
                other,
                identical,
                deny,
            } => redundant(at, *other, *identical, *deny),
            LintKind::BroadManagedPolicy {
                name,
                broad,
                guests,
            } => broad_managed_policy(at, name, broad, *guests),
            LintKind::NegatedOnAbsentKey {
                key,
                operator,
                absent,
            } => negated_on_absent_key(at, key, operator, absent),
            LintKind::AnyLeadingKeys { batch } => any_leading_keys(at, batch),
            LintKind::DenyMatchesNothing { role } => deny_matches_nothing(at, role),
            LintKind::SubIsIdentityId => sub_is_identity_id(at),
            LintKind::NoWayIn { pool, guest_role } => no_way_in(at, pool, *guest_role),
            LintKind::FallbackGrantsMore {
                role,
                rule_roles,
                action,
                resource,
            } => fallback_grants_more(at, role, rule_roles, action, resource),
        }
    }
}

/// `a, b, c and 4 more`.
fn some_of(actions: &[String]) -> String {
    const SHOWN: usize = 3;
    let quoted: Vec<String> = actions
        .iter()
        .take(SHOWN)
        .map(|a| format!("`{a}`"))
        .collect();
    let mut text = quoted.join(", ");
    if actions.len() > SHOWN {
        text.push_str(&format!(" and {} more", actions.len() - SHOWN));
    }
    text
}

/// Who holds a role, as the subject of a sentence.
fn who(guests: bool) -> &'static str {
    if guests {
        "every visitor, signed in or not,"
    } else {
        "every signed-in user"
    }
}

/// What W0604 rests on: both parts of the scope-down, with their versions.
fn scope_down_note() -> String {
    let list = guest_scope::CURRENT_LIST;
    let policy = guest_scope::CURRENT;
    format!(
        "in the enhanced flow Cognito limits guests to the services listed in \"{}\" (revision of {}) and to the managed policy {} ({}, {}); neither allows what is cut off here: IAM accepts the grant, and it does nothing for guests",
        list.title, list.revision, policy.name, policy.version, policy.edited
    )
}

fn service_wildcard(at: &At, pattern: &str, count: usize, levels: &[AccessLevel]) -> Diagnostic {
    let says = if pattern == "*" {
        "`*` grants every action of every service".to_string()
    } else {
        format!("`{pattern}` grants all {count} actions of the service")
    };
    let diagnostic = at
        .says(says)
        .with_label("every action, including ones AWS adds later");
    // The everyday levels are the suggestion; tagging and permissions
    // management are rarely what an app needs.
    let everyday: Vec<&str> = levels
        .iter()
        .filter(|level| {
            matches!(
                level,
                AccessLevel::List | AccessLevel::Read | AccessLevel::Write
            )
        })
        .map(|level| level.keyword())
        .collect();
    if everyday.is_empty() {
        return diagnostic.with_help(
            "list the actions the app calls instead (a wildcard such as `Get*` keeps it short)",
        );
    }
    let all: Vec<&str> = levels.iter().map(|level| level.keyword()).collect();
    diagnostic
        .with_note(format!(
            "on these resources it grants the access levels {}",
            all.join(", ")
        ))
        .with_help(format!(
            "name the access levels the app needs instead, e.g. `{}`, or list the actions",
            everyday.join(", ")
        ))
}

fn star_resource_writes(
    at: &At,
    actions: &[String],
    resource: Option<&str>,
    kinds: &[String],
) -> Diagnostic {
    let who = if actions.len() == 1 {
        format!("`{}` act", actions[0])
    } else {
        format!("{} write and permissions actions act", actions.len())
    };
    let diagnostic = match resource {
        None => at
            .says(format!("`*` lets {who} on every resource of the account"))
            .with_label("any resource, in any stack of the account"),
        Some(resource) => at
            .says(format!(
                "`{resource}` lets {who} on every resource of its type in the account"
            ))
            .with_label("matches every resource of the type, in any stack of the account")
            .with_note(format!(
                "it matches the ARN of every {}",
                kinds
                    .iter()
                    .map(|kind| format!("`{kind}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
    };
    diagnostic
        .with_note(format!("the actions: {}", some_of(actions)))
        .with_help(format!(
            "name the resources they act on instead of `{}` (e.g. `on NotesTable` or `on Bucket/private/$<sub>/*`), or drop the write actions",
            resource.unwrap_or("*")
        ))
}

fn escalation(
    at: &At,
    written: &str,
    actions: &[String],
    guests: bool,
    resource: &str,
) -> Diagnostic {
    let who = who(guests);
    let what = if actions.iter().any(|a| a == "iam:PassRole") {
        "can hand any role of the account to an AWS service and act with its permissions"
    } else if actions.iter().any(|a| a == "sts:AssumeRole") {
        "can assume any role of the account that trusts it"
    } else {
        "can give themselves more permissions"
    };
    at.says(format!(
        "`{written}` on `{resource}` can escalate privileges: {who} {what}"
    ))
    .with_label("privilege escalation")
    .with_note(format!("the actions: {}", some_of(actions)))
    .with_help(format!(
        "name the roles or policies it may act on instead of `{resource}`; for `iam:PassRole` also limit the service with `when iam:PassedToService == \"lambda.amazonaws.com\"`"
    ))
}

fn outside_guest_scope(at: &At, written: &str, actions: &[String], all: bool) -> Diagnostic {
    let message = if all {
        format!("guests never get `{written}`: Cognito's scope-down for guests does not allow it")
    } else {
        format!(
            "guests never get {} of the actions of `{written}`: Cognito's scope-down for guests does not allow them",
            actions.len()
        )
    };
    let mut diagnostic = at
        .says(message)
        .with_label("has no effect for guests")
        .with_note(scope_down_note());
    if !all {
        diagnostic = diagnostic.with_note(format!("cut off: {}", some_of(actions)));
    }
    diagnostic.with_help(
        "remove it from the guests' role: it does nothing there; if the app needs it, grant it to signed-in users (`authenticated role`)",
    )
}

fn guest_scope_undocumented(
    at: &At,
    written: &str,
    actions: &[String],
    all: bool,
    why: &guest_scope::Unclear,
) -> Diagnostic {
    let message = if all {
        format!("AWS does not document whether guests' scope-down allows `{written}`")
    } else {
        format!(
            "AWS does not document whether guests' scope-down allows {} of the actions of `{written}`",
            actions.len()
        )
    };
    let list = guest_scope::CURRENT_LIST;
    let reason = match why {
        guest_scope::Unclear::Dropped {
            service,
            listed,
            newest,
        } => format!(
            "the Cognito guide's list of services guests can use names {service} in its revision of {listed}, not in that of {newest}"
        ),
        guest_scope::Unclear::Umbrella { service } => format!(
            "the Cognito guide's list of services guests can use (revision of {}) names {service}, without saying whether that includes these actions",
            list.revision
        ),
    };
    let mut diagnostic = at
        .says(message)
        .with_label("may have no effect for guests")
        .with_note(reason);
    if !all {
        diagnostic = diagnostic.with_note(format!("the actions: {}", some_of(actions)));
    }
    diagnostic.with_help(
        "try it with guest credentials before relying on it; if AWS denies it, grant it to signed-in users (`authenticated role`)",
    )
}

fn guest_writes(at: &At, actions: &[String], star: bool, witness: Option<&str>) -> Diagnostic {
    let target = if star {
        "every resource of the account".to_string()
    } else if let Some(witness) = witness {
        format!(
            "a resource shared by all of them: `$<sub>` comes after a wildcard, which also matches `{witness}`"
        )
    } else {
        "a resource shared by all of them".to_string()
    };
    at.says(format!("guests can write to {target}"))
        .with_label("not scoped by `$<sub>`")
        .with_note(format!(
            "guests are anyone on the internet, without an account; the write actions: {}",
            some_of(actions)
        ))
        .with_help(
            "scope it to each guest's own identity (e.g. `Bucket/guests/$<sub>/*`), or grant the write to signed-in users only",
        )
}

fn shared_per_user_prefix(
    at: &At,
    witness: &str,
    prefix: &str,
    writes: bool,
    resource: &str,
) -> Diagnostic {
    let access = if writes { "write to" } else { "read" };
    let scoped = match resource.split_once(&format!("{prefix}/")) {
        Some((head, _)) if head.starts_with('"') => format!("{head}{prefix}/$<sub>/*\""),
        Some((head, _)) => format!("{head}{prefix}/$<sub>/*"),
        None => match resource.split_once('/') {
            Some((head, _)) if !head.starts_with('"') => format!("{head}/{prefix}/$<sub>/*"),
            _ => format!("{prefix}/$<sub>/*"),
        },
    };
    let mut diagnostic = at
        .says(format!(
            "`{resource}` lets every user {access} every user's `{prefix}/` files: it also matches `{witness}`"
        ))
        .with_label(format!(
            "reaches other users' `{prefix}/<identity id>/` folders"
        ));
    if prefix == "protected" {
        diagnostic = diagnostic.with_note(
            "reading others' `protected/` files is the usual convention; writing them is not",
        );
    }
    diagnostic.with_help(format!(
        "put the caller's identity id after the prefix: `{scoped}`"
    ))
}

fn redundant(at: &At, other: Span, identical: bool, deny: bool) -> Diagnostic {
    let effect = if deny { "denies" } else { "grants" };
    let (message, label) = if identical {
        (
            "this statement repeats an earlier one".to_string(),
            "the same statement",
        )
    } else {
        (
            format!(
                "everything this statement {effect}, another statement of the role already {effect}"
            ),
            "adds nothing",
        )
    };
    at.says(message)
        .with_label(label)
        .with_secondary(other, "this statement covers it")
        .with_help(if identical {
            "remove the repeat"
        } else {
            "remove it (or narrow the other statement, if that one is too broad)"
        })
}

fn broad_managed_policy(at: &At, name: &str, broad: &managed::Broad, guests: bool) -> Diagnostic {
    let who = who(guests);
    let diagnostic = match broad {
        managed::Broad::Known(index) => {
            let known = &managed::KNOWN[*index];
            let version = if known.version.is_empty() {
                String::new()
            } else {
                format!(" {}", known.version)
            };
            at.says(format!(
                "the AWS managed policy `{name}` gives {who} {}",
                known.grants
            ))
            .with_label("a broad AWS managed policy")
            .with_note(format!(
                "`{name}`{version} in the AWS Managed Policy Reference: {}",
                known.url
            ))
        }
        managed::Broad::FullAccessByName(_) => at
            .says(format!(
                "`{name}` is an AWS managed policy whose name says it gives {who} full access to a service"
            ))
            .with_label("full access, by its name")
            .with_note(format!(
                "idpc has not read its document; it is in the AWS Managed Policy Reference: https://docs.aws.amazon.com/aws-managed-policy/latest/reference/{name}.html"
            )),
    };
    diagnostic.with_help(
        "grant the actions the app calls with statements on the resources it uses (`allow s3:GetObject on Files/private/$<sub>/*`) instead",
    )
}

fn negated_on_absent_key(at: &At, key: &str, operator: &str, absent: &Absent) -> Diagnostic {
    let diagnostic = at
        .says(format!(
            "this condition is also true for requests without `{key}`"
        ))
        .with_label(format!("true when the request has no `{key}`"))
        .with_note(format!(
            "IAM: a negated operator (`{operator}`) matches when the key is missing from the request"
        ));
    match absent {
        Absent::Optional(index) => diagnostic
            .with_note(OPTIONAL_REQUEST_KEYS[*index].1)
            .with_help(format!(
                "require the key as well: add `and {key} exists` (a `Null` check), or allow what is wanted with `like` instead"
            )),
        Absent::UnmappedTag(tag) => diagnostic
            .with_note(format!(
                "no identity pool that trusts the role maps a `{tag}` principal tag, so no request has it: the condition holds for every request"
            ))
            .with_help(format!(
                "map the tag (`principal_tags ... {{ \"{tag}\" = \"claim\" }}`) and add `and {key} exists`"
            )),
    }
}

fn any_leading_keys(at: &At, batch: &[String]) -> Diagnostic {
    at.says("`any dynamodb:LeadingKeys` lets a batch request that includes one of the caller's keys reach every other key in it")
        .with_label("`ForAnyValue:`: one matching key is enough")
        .with_note(format!("the batch actions: {}", some_of(batch)))
        .with_help(
            "write `all dynamodb:LeadingKeys == ...` (`ForAllValues:`): every key of the request must match, as in AWS's fine-grained access examples",
        )
}

fn deny_matches_nothing(at: &At, role: &str) -> Diagnostic {
    at.says(format!("this `deny` matches nothing `{role}` allows"))
        .with_label("changes nothing today")
        .with_note(
            "a role can do only what it is allowed; a deny matters where an allow grants the same action on the same resource",
        )
        .with_help(
            "remove it, or keep it as a guard against future grants and say so with `# idpc: allow(N0601) reason: ...`",
        )
}

fn sub_is_identity_id(at: &At) -> Diagnostic {
    at.says("`$<sub>` is the caller's identity id, not the user pool's `sub`")
        .with_label("an identity id such as `us-east-1:0f1e2d3c-...`")
        .with_note(
            "the identity pool names each identity `region:guid`; the user pool's `sub` claim is another id, so data keyed by it (e.g. `claims.sub` behind a user-pool authorizer) never matches",
        )
        .with_help(
            "key the data by the identity id (`event.requestContext.identity.cognitoIdentityId` behind IAM auth, `identityId` in Amplify), or map the claim to a principal tag and compare with `$<aws:PrincipalTag/...>`",
        )
}

fn no_way_in(at: &At, pool: &str, guest_role: bool) -> Diagnostic {
    let diagnostic = at
        .says(format!(
            "nobody can get credentials from `{pool}`: it has no identity provider and no guests"
        ))
        .with_label("no `provider` line, guests off")
        .with_note(
            "Cognito gives credentials to users signed in with one of the pool's providers, and to guests when the pool allows them",
        );
    if guest_role {
        diagnostic.with_help(
            "add the provider users sign in with (e.g. `provider user_pool Users client WebClient`), or drop `guests false` so that guests get the unauthenticated role",
        )
    } else {
        diagnostic.with_help(
            "add the provider users sign in with (e.g. `provider user_pool Users client WebClient`), or let guests in with an `unauthenticated role`",
        )
    }
}

fn fallback_grants_more(
    at: &At,
    role: &str,
    rule_roles: &[String],
    action: &str,
    resource: &str,
) -> Diagnostic {
    let roles: Vec<String> = rule_roles.iter().map(|r| format!("`{r}`")).collect();
    at.says(format!(
        "users no rule matches get the authenticated role `{role}`, which can do more than the rules' roles: e.g. `{action}` on `{resource}`"
    ))
    .with_label("unmatched users fall back to the authenticated role")
    .with_note(format!(
        "the rules hand out {}; none of them allows that request",
        roles.join(", ")
    ))
    .with_note(
        "`otherwise authenticated` is `AmbiguousRoleResolution: AuthenticatedRole`: Cognito gives a user whom no rule matches the pool's authenticated role",
    )
    .with_help(
        "write `otherwise deny` so that unmatched users get no credentials, or narrow the authenticated role to what every signed-in user may do",
    )
}
