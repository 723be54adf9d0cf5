//! Who can assume the roles an identity pool hands out: the trust policies
//! of hand-written templates, judged on what they admit rather than on how
//! close they are to the one idpc writes.
//!
//! A role a pool attaches (or a rules mapping hands out) is assumed through
//! `sts:AssumeRoleWithWebIdentity` by the `cognito-identity.amazonaws.com`
//! federated principal, with the pool's token: its `aud` claim is the pool
//! id, its `amr` claim says `authenticated` or `unauthenticated` (Amazon
//! Cognito Developer Guide, "IAM roles", "Role trust and permissions").

use std::collections::BTreeSet;

use super::{property, resources_of, type_of};
use crate::catalog::pattern::{glob, glob_ci, has_wildcard};
use crate::cfn::COGNITO_IDENTITY;
use crate::diag::{Code, Diagnostic};
use crate::importer::{get_att_of, if_of, ref_of, seq, span_of};
use crate::stack_reader::tree::Node;
use crate::syntax::ast::RoleUsage;

/// A role handed out by a pool, and how.
struct Handed {
    role: String,
    /// The pool as messages name it: `` `NotesPool` ``, or the attachment's
    /// words for a pool the stack does not define.
    pool: String,
    /// The pool's logical ID, when the stack defines it.
    pool_id: Option<String>,
    usage: RoleUsage,
    /// Whether the pool maps principal tags (then the role must trust
    /// `sts:TagSession`).
    tagged: bool,
}

/// The trust findings of a stack's files: for every role a pool of the
/// stack hands out and the stack defines.
pub(super) fn review(roots: &[&Node]) -> Vec<Diagnostic> {
    let resources: Vec<(&Node, &Node)> = roots.iter().flat_map(|r| resources_of(r)).collect();
    let mut found = Vec::new();
    let handed = handed_out(&resources);
    for (key, resource) in &resources {
        let Some(role) = key
            .as_str()
            .filter(|_| type_of(resource) == Some("AWS::IAM::Role"))
        else {
            continue;
        };
        let uses: Vec<&Handed> = handed.iter().filter(|h| h.role == role).collect();
        if uses.is_empty() {
            // A role that trusts Cognito, handed out by no attachment idpc
            // can read (one of another stack, or built by a custom
            // resource): its trust is judged all the same.
            found.extend(judge_statements(role, resource, &[]));
            continue;
        }
        found.extend(judge_role(role, key, resource, &uses));
    }
    found
}

/// The statements of a role's trust policy that let Cognito identity pools
/// assume it.
pub(super) fn cognito_statements(resource: &Node) -> Vec<&Node> {
    resource
        .get("Properties")
        .and_then(|p| p.get("AssumeRolePolicyDocument"))
        .and_then(|d| d.get("Statement"))
        .map(seq)
        .unwrap_or_default()
        .into_iter()
        .filter(|s| is_cognito_statement(s))
        .collect()
}

/// The findings on each of a role's Cognito trust statements.
fn judge_statements(role: &str, resource: &Node, uses: &[&Handed]) -> Vec<Diagnostic> {
    cognito_statements(resource)
        .into_iter()
        .flat_map(|statement| judge_statement(role, statement, uses))
        .collect()
}

/// Every (role, pool, usage) the file's role attachments name.
fn handed_out(resources: &[(&Node, &Node)]) -> Vec<Handed> {
    let of_type = |ty: &'static str| {
        resources
            .iter()
            .filter(move |(_, r)| type_of(r) == Some(ty))
            .map(|(_, r)| *r)
    };
    let tagged: BTreeSet<String> = of_type("AWS::Cognito::IdentityPoolPrincipalTag")
        .filter_map(|r| ref_of(property(r, "IdentityPoolId")?))
        .collect();
    let mut handed = Vec::new();
    let attachments = resources
        .iter()
        .filter(|(_, r)| type_of(r) == Some("AWS::Cognito::IdentityPoolRoleAttachment"));
    for (key, attachment) in attachments {
        let pool_id = property(attachment, "IdentityPoolId").and_then(ref_of);
        let pool = match &pool_id {
            Some(id) => format!("`{id}`"),
            None => format!("the pool of `{}`", key.as_str().unwrap_or("the attachment")),
        };
        let mut hand = |role: String, usage: RoleUsage| {
            handed.push(Handed {
                role,
                pool: pool.clone(),
                tagged: pool_id.as_ref().is_some_and(|p| tagged.contains(p)),
                pool_id: pool_id.clone(),
                usage,
            });
        };
        let roles = property(attachment, "Roles").and_then(Node::as_map);
        for (key, value) in roles.unwrap_or_default() {
            let usage = match key.as_str() {
                Some("authenticated") => RoleUsage::Authenticated,
                Some("unauthenticated") => RoleUsage::Unauthenticated,
                _ => continue,
            };
            for role in roles_named(value) {
                hand(role, usage);
            }
        }
        let mappings = property(attachment, "RoleMappings").and_then(Node::as_map);
        for (_, mapping) in mappings.unwrap_or_default() {
            let rules = mapping
                .get("RulesConfiguration")
                .and_then(|c| c.get("Rules"))
                .map(seq)
                .unwrap_or_default();
            for rule in rules {
                for role in rule.get("RoleARN").map(roles_named).unwrap_or_default() {
                    hand(role, RoleUsage::Authenticated);
                }
            }
        }
    }
    handed
}

/// The roles a role ARN names: `Fn::GetAtt [Role, Arn]`, or either branch
/// of an `Fn::If`.
fn roles_named(node: &Node) -> Vec<String> {
    if let Some((_, then, otherwise)) = if_of(node) {
        let mut roles = roles_named(then);
        roles.extend(roles_named(otherwise));
        return roles;
    }
    get_att_of(node, "Arn").into_iter().collect()
}

/// The findings on one role's trust policy.
fn judge_role(role: &str, key: &Node, resource: &Node, uses: &[&Handed]) -> Vec<Diagnostic> {
    if !cognito_statements(resource).is_empty() {
        return judge_statements(role, resource, uses);
    }
    let who = |h: &Handed| {
        format!(
            "the {} of {}",
            match h.usage {
                RoleUsage::Authenticated => "signed-in users",
                RoleUsage::Unauthenticated => "guests",
            },
            h.pool
        )
    };
    let document = resource
        .get("Properties")
        .and_then(|p| p.entry("AssumeRolePolicyDocument"));
    let at = document.map_or(key, |(k, _)| k);
    let whom: Vec<String> = uses.iter().map(|h| who(h)).collect();
    vec![
        Diagnostic::new(
            Code::W0807,
            format!("role `{role}` does not trust Amazon Cognito identity pools"),
            span_of(at),
        )
        .with_label(format!(
            "no statement allows `sts:AssumeRoleWithWebIdentity` to `{COGNITO_IDENTITY}`"
        ))
        .with_note(format!("{} cannot get credentials for it", whom.join(" and ")))
        .with_help(format!(
            "give it the Cognito trust policy: `Federated: {COGNITO_IDENTITY}`, `sts:AssumeRoleWithWebIdentity`, `aud` = the pool, `amr` = how the role is used (`idpc explain W0807`)"
        )),
    ]
}

/// Whether a trust statement lets the Cognito identity principal assume
/// the role with a web identity.
fn is_cognito_statement(statement: &Node) -> bool {
    let allows = statement.get("Effect").and_then(Node::as_str) == Some("Allow");
    let federated = statement
        .get("Principal")
        .and_then(|p| p.get("Federated"))
        .map(seq)
        .unwrap_or_default();
    let cognito = federated
        .iter()
        .any(|f| f.as_str() == Some(COGNITO_IDENTITY));
    allows && cognito && admits_action(statement, "sts:AssumeRoleWithWebIdentity")
}

/// Whether the statement's `Action` covers `action` (IAM matches actions
/// ignoring case, with wildcards).
fn admits_action(statement: &Node, action: &str) -> bool {
    statement
        .get("Action")
        .map(seq)
        .unwrap_or_default()
        .iter()
        .filter_map(|a| a.as_str())
        .any(|a| glob_ci(a, action))
}

/// A condition on one key: its operator as written, its values.
struct KeyCondition<'n> {
    operator: &'n str,
    values: Vec<&'n Node>,
    at: &'n Node,
}

/// The conditions of `statement` on the Cognito key `name` (`aud`, `amr`).
fn conditions_on<'n>(statement: &'n Node, name: &str) -> Vec<KeyCondition<'n>> {
    let wanted = format!("{COGNITO_IDENTITY}:{name}");
    let blocks = statement
        .get("Condition")
        .and_then(Node::as_map)
        .unwrap_or_default();
    let mut found = Vec::new();
    for (operator, keys) in blocks {
        let Some(operator_name) = operator.as_str() else {
            continue;
        };
        for (key, values) in keys.as_map().unwrap_or_default() {
            // Condition keys are case-insensitive (IAM User Guide,
            // "IAM JSON policy elements: Condition").
            if key
                .as_str()
                .is_some_and(|k| k.eq_ignore_ascii_case(&wanted))
            {
                found.push(KeyCondition {
                    operator: operator_name,
                    values: seq(values),
                    at: key,
                });
            }
        }
    }
    found
}

/// The operator without its set prefix and `IfExists`: `StringLike`.
fn base_operator(operator: &str) -> &str {
    let operator = operator
        .strip_prefix("ForAnyValue:")
        .or_else(|| operator.strip_prefix("ForAllValues:"))
        .unwrap_or(operator);
    operator.strip_suffix("IfExists").unwrap_or(operator)
}

/// Whether an operator restricts a key to the values listed (rather than
/// excluding them, or comparing something else).
fn restricts(operator: &str) -> bool {
    matches!(
        base_operator(operator),
        "StringEquals" | "StringLike" | "StringEqualsIgnoreCase"
    )
}

fn judge_statement(role: &str, statement: &Node, uses: &[&Handed]) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let aud: Vec<KeyCondition> = conditions_on(statement, "aud")
        .into_iter()
        .filter(|c| restricts(c.operator))
        .collect();
    if aud.is_empty() {
        found.push(
            Diagnostic::new(
                Code::E0802,
                format!("any identity pool's users can assume role `{role}`"),
                span_of(statement),
            )
            .with_label(format!(
                "trusts `{COGNITO_IDENTITY}` without a `StringEquals` on `aud`"
            ))
            .with_note(
                "the `aud` claim of an identity pool's token is the pool's id: without a condition on it, the role admits identities of every pool, in any account",
            )
            .with_help(format!(
                "add `StringEquals: {{\"{COGNITO_IDENTITY}:aud\": !Ref {}}}` to the statement's `Condition`",
                uses.iter().find_map(|h| h.pool_id.as_deref()).unwrap_or("YourPool")
            )),
        );
    }
    for condition in &aud {
        if base_operator(condition.operator) != "StringLike" {
            continue;
        }
        for value in &condition.values {
            if let Some(text) = value.as_str().filter(|t| has_wildcard(t)) {
                found.push(
                    Diagnostic::new(
                        Code::E0805,
                        format!("role `{role}` trusts every identity pool `{text}` matches"),
                        span_of(value),
                    )
                    .with_label("a wildcard in the pool id")
                    .with_help(
                        "name the pool itself: `StringEquals` with `!Ref` of the identity pool",
                    ),
                );
            }
        }
    }
    found.extend(judge_amr(role, statement, uses));
    for handed in uses.iter().filter(|h| h.tagged) {
        if !admits_action(statement, "sts:TagSession") {
            found.push(
                Diagnostic::new(
                    Code::W0806,
                    format!(
                        "{} maps principal tags, but role `{role}` does not trust `sts:TagSession`",
                        handed.pool
                    ),
                    span_of(statement.get("Action").unwrap_or(statement)),
                )
                .with_label("no `sts:TagSession` here")
                .with_note("Cognito tags the session with the mapped claims; without `sts:TagSession` in the trust policy, getting credentials fails at run time")
                .with_help("add `sts:TagSession` to the statement's `Action`"),
            );
            break;
        }
    }
    found
}

/// The `amr` findings: missing, or not matching how the role is handed out.
fn judge_amr(role: &str, statement: &Node, uses: &[&Handed]) -> Vec<Diagnostic> {
    let amr: Vec<KeyCondition> = conditions_on(statement, "amr")
        .into_iter()
        .filter(|c| restricts(c.operator))
        .collect();
    let Some(condition) = amr.first() else {
        // Handed to the guests and the signed-in users of each pool alike:
        // every token of those pools is meant to fit.
        if handed_both_ways(uses) {
            return Vec::new();
        }
        return vec![
            Diagnostic::new(
                Code::W0803,
                format!("role `{role}` does not say which kind of identity may assume it"),
                span_of(statement.get("Condition").unwrap_or(statement)),
            )
            .with_label("no condition on `amr`")
            .with_note("without `amr`, a signed-in user's and a guest's token both satisfy the trust policy")
            .with_help(format!(
                "add `ForAnyValue:StringLike: {{\"{COGNITO_IDENTITY}:amr\": {}}}`",
                uses.first().map_or("authenticated", |h| h.usage.keyword())
            )),
        ];
    };
    let like = base_operator(condition.operator) == "StringLike";
    let values: Vec<&str> = condition.values.iter().filter_map(|v| v.as_str()).collect();
    if values.len() != condition.values.len() {
        // A value chosen at deploy time: nothing to judge.
        return Vec::new();
    }
    let admits = |word: &str| {
        values
            .iter()
            .any(|v| if like { glob(v, word) } else { *v == word })
    };
    let mut found = Vec::new();
    for handed in uses {
        let problem = match handed.usage {
            // A role a pool hands to its guests as well is theirs to assume.
            RoleUsage::Authenticated
                if admits("unauthenticated") && !handed_to_guests(uses, &handed.pool) =>
            {
                Some("guests can assume the role it hands to signed-in users")
            }
            RoleUsage::Authenticated if !admits("authenticated") => {
                Some("signed-in users cannot assume the role it hands them")
            }
            RoleUsage::Unauthenticated if !admits("unauthenticated") => {
                Some("guests cannot assume the role it hands them")
            }
            _ => None,
        };
        if let Some(problem) = problem {
            found.push(
                Diagnostic::new(
                    Code::W0804,
                    format!(
                        "{} {problem}: role `{role}`'s `amr` does not match",
                        handed.pool
                    ),
                    span_of(condition.at),
                )
                .with_label(format!("admits {}", values.join(", ")))
                .with_help(format!(
                    "make the `amr` condition `{}` for a role handed to {}",
                    handed.usage.keyword(),
                    match handed.usage {
                        RoleUsage::Authenticated => "signed-in users",
                        RoleUsage::Unauthenticated => "guests",
                    }
                )),
            );
        }
    }
    found
}

/// Whether every pool that hands out the role hands it to its guests and
/// its signed-in users alike.
fn handed_both_ways(uses: &[&Handed]) -> bool {
    uses.iter().all(|h| {
        handed_to_guests(uses, &h.pool)
            && uses
                .iter()
                .any(|u| u.pool == h.pool && u.usage == RoleUsage::Authenticated)
    })
}

/// Whether `pool` hands the role to its guests (among `uses`).
fn handed_to_guests(uses: &[&Handed], pool: &str) -> bool {
    uses.iter()
        .any(|h| h.pool == pool && h.usage == RoleUsage::Unauthenticated)
}
