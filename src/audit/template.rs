//! What only hand-written YAML gets wrong, beside trust: guests and the
//! roles for them, role-mapping keys CloudFormation never substitutes, and
//! what the Serverless Framework and YAML 1.1 readers do to the text.

use super::{property, resources_of, type_of};
use crate::diag::{Code, Diagnostic};
use crate::importer::{is_true, policy_variables_in, ref_of, span_of};
use crate::stack_reader::StackKind;
use crate::stack_reader::tree::{Node, Value};

/// The template findings of a file whose text is `text`.
pub(super) fn review(root: &Node, text: &str, kind: StackKind) -> Vec<Diagnostic> {
    // A file without `AWSTemplateFormatVersion` is a fragment: most are
    // Serverless resources files, which js-yaml reads.
    let read_by_serverless = kind == StackKind::Serverless
        || root.get("AWSTemplateFormatVersion").is_none() && root.get("Transform").is_none();
    let mut found = Vec::new();
    walk(root, &mut |key, value| {
        if read_by_serverless {
            found.extend(unquoted_version(key, value, text));
        }
        if kind == StackKind::Serverless {
            found.extend(plain_policy_variables(value));
        }
    });
    let resources = resources_of(root);
    found.extend(mapping_keys(&resources, kind));
    found.extend(guests(&resources));
    found.extend(no_way_in(&resources));
    found
}

/// The properties through which an identity pool names its identity
/// providers (AWS::Cognito::IdentityPool).
const PROVIDER_PROPERTIES: [&str; 5] = [
    "CognitoIdentityProviders",
    "SupportedLoginProviders",
    "OpenIdConnectProviderARNs",
    "SamlProviderARNs",
    "DeveloperProviderName",
];

/// N0611: a pool with no identity provider and guests off (the lint of the
/// same code says it of programs).
fn no_way_in(resources: &[(&Node, &Node)]) -> Vec<Diagnostic> {
    resources
        .iter()
        .filter(|(_, r)| type_of(r) == Some("AWS::Cognito::IdentityPool"))
        .filter(|(_, pool)| {
            property(pool, "AllowUnauthenticatedIdentities").and_then(is_true) == Some(false)
        })
        .filter(|(_, pool)| {
            PROVIDER_PROPERTIES.iter().all(|name| {
                property(pool, name).is_none_or(|p| p.is_null() || p.as_map().is_some_and(<[_]>::is_empty) || matches!(&p.value, Value::Seq(items) if items.is_empty()))
            })
        })
        .filter_map(|(key, _)| Some((key, key.as_str()?)))
        .map(|(key, id)| {
            Diagnostic::new(
                Code::N0611,
                format!("nobody can get credentials from `{id}`: it has no identity provider and no guests"),
                key.span,
            )
            .with_label("no identity provider, guests off")
            .with_note("Cognito gives credentials to users signed in with one of the pool's providers, and to guests when the pool allows them")
            .with_help("add the provider users sign in with (`CognitoIdentityProviders`, `SupportedLoginProviders`, ...), or let guests in (`AllowUnauthenticatedIdentities: true` and an `unauthenticated` role)")
        })
        .collect()
}

/// Calls `visit` with every mapping entry's key (`None` for a list item)
/// and value, depth first.
fn walk<'n>(node: &'n Node, visit: &mut impl FnMut(Option<&'n Node>, &'n Node)) {
    match &node.value {
        Value::Map(entries) => {
            for (key, value) in entries {
                visit(Some(key), value);
                walk(value, visit);
            }
        }
        Value::Seq(items) => {
            for item in items {
                visit(None, item);
                walk(item, visit);
            }
        }
        Value::Null | Value::Scalar(_) => {}
    }
}

/// W0813: `Version: 2012-10-17` unquoted, which a YAML 1.1 reader (js-yaml,
/// which the Serverless Framework uses) reads as a date.
fn unquoted_version(key: Option<&Node>, value: &Node, text: &str) -> Option<Diagnostic> {
    if key?.as_str() != Some("Version") || value.tag.is_some() {
        return None;
    }
    let version = value
        .as_str()
        .filter(|v| matches!(*v, "2012-10-17" | "2008-10-17"))?;
    let quoted = text
        .get(value.span.start..)
        .is_some_and(|t| t.starts_with(['"', '\'']));
    (!quoted).then(|| {
        Diagnostic::new(
            Code::W0813,
            format!("`Version: {version}` is unquoted: a YAML 1.1 reader reads it as a date"),
            value.span,
        )
        .with_label("a date to js-yaml, the reader of the Serverless Framework")
        .with_note(
            "the policy then reaches IAM with a timestamp for its version, which IAM refuses",
        )
        .with_help(format!("quote it: `Version: \"{version}\"`"))
    })
}

/// E0812: `${cognito-identity.amazonaws.com:sub}` written plainly in a file
/// the Serverless Framework reads, which takes it for its own variable.
fn plain_policy_variables(value: &Node) -> Vec<Diagnostic> {
    let Some(text) = value.as_str() else {
        return Vec::new();
    };
    policy_variables_in(text)
        .into_iter()
        .filter(|inner| inner.contains(':'))
        .map(|inner| {
            Diagnostic::new(
                Code::E0812,
                format!("the Serverless Framework reads `${{{inner}}}` as one of its variables"),
                span_of(value),
            )
            .with_label("an IAM policy variable, written plainly")
            .with_note(match inner.split(':').next().unwrap_or(inner) {
                // Serverless's own `aws` source resolves two addresses.
                "aws" => "`${source:address}` is Serverless variable syntax: `serverless deploy` fails, its `aws` source resolving only `${aws:accountId}` and `${aws:region}`".to_owned(),
                source => format!(
                    "`${{source:address}}` is Serverless variable syntax: `serverless deploy` fails on `{source}`, a source it does not have"
                ),
            })
            .with_help(format!(
                "split it so Serverless leaves it alone: `!Join ['', ['...', '$', '{{{inner}}}', '...']]` (what `idpc build` writes)"
            ))
        })
        .collect()
}

/// E0811: a role-mapping key with `${...}` (which neither CloudFormation
/// nor, in a `serverless.yml`, the Serverless Framework substitutes in a
/// key) and no `IdentityProvider`.
fn mapping_keys(resources: &[(&Node, &Node)], kind: StackKind) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for (_, attachment) in resources
        .iter()
        .filter(|(_, r)| type_of(r) == Some("AWS::Cognito::IdentityPoolRoleAttachment"))
    {
        let mappings = property(attachment, "RoleMappings").and_then(Node::as_map);
        for (key, mapping) in mappings.unwrap_or_default() {
            let Some(written) = key.as_str().filter(|k| k.contains("${")) else {
                continue;
            };
            if mapping.get("IdentityProvider").is_some() {
                continue;
            }
            let mut finding = Diagnostic::new(
                Code::E0811,
                format!("the role mapping `{written}` never applies: CloudFormation does not substitute `${{...}}` in a key"),
                key.span,
            )
            .with_label("the identity provider's name, as Cognito reads it")
            .with_secondary(span_of(mapping), "no `IdentityProvider` in this mapping")
            .with_note("without `IdentityProvider`, Cognito takes the key, as written, for the provider's name: no user signs in with a provider of that name");
            // Serverless resolves variables in values only, never in keys
            // (Serverless Framework docs, "Variables"), so `${self:...}`
            // reaches CloudFormation as written too.
            if kind == StackKind::Serverless && is_serverless_variable(written) {
                finding = finding.with_note(
                    "the Serverless Framework resolves its variables in values only, not in keys: this key reaches CloudFormation as written",
                );
            }
            found.push(finding.with_help(
                "keep a literal key and give the provider in `IdentityProvider: !Join [':', [!GetAtt UserPool.ProviderName, !Ref UserPoolClient]]`",
            ));
        }
    }
    found
}

/// Whether the first `${...}` of `text` is a Serverless variable
/// (`${self:custom.stage}`, `${opt:stage}`), not CloudFormation's `Fn::Sub`
/// syntax (`${UserPool}`, `${AWS::Region}`).
fn is_serverless_variable(text: &str) -> bool {
    text.split("${")
        .nth(1)
        .is_some_and(|inner| inner.contains(':') && !inner.starts_with("AWS::"))
}

/// W0809 and N0810: the guest role and `AllowUnauthenticatedIdentities`
/// disagree.
fn guests(resources: &[(&Node, &Node)]) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for (pool_key, pool) in resources
        .iter()
        .filter(|(_, r)| type_of(r) == Some("AWS::Cognito::IdentityPool"))
    {
        let Some(id) = pool_key.as_str() else {
            continue;
        };
        // Not set: CloudFormation requires it (`Required: Yes`), so the
        // template does not deploy as written; nothing to judge here.
        let Some(allowed) = property(pool, "AllowUnauthenticatedIdentities") else {
            continue;
        };
        let Some(guests) = is_true(allowed) else {
            // Decided at deploy time.
            continue;
        };
        let attachments: Vec<&Node> = resources
            .iter()
            .filter(|(_, r)| type_of(r) == Some("AWS::Cognito::IdentityPoolRoleAttachment"))
            .filter(|(_, r)| property(r, "IdentityPoolId").and_then(ref_of).as_deref() == Some(id))
            .map(|(_, r)| *r)
            .collect();
        let guest_roles: Vec<&Node> = attachments
            .iter()
            .filter_map(|r| property(r, "Roles")?.entry("unauthenticated"))
            .map(|(key, _)| key)
            .collect();
        match (guests, guest_roles.first()) {
            (false, Some(key)) => found.push(
                Diagnostic::new(
                    Code::W0809,
                    format!("`{id}` attaches a guest role, but guests are disabled"),
                    key.span,
                )
                .with_label("never handed out")
                .with_note(format!(
                    "`AllowUnauthenticatedIdentities` of `{id}` is `false`"
                ))
                .with_help("remove the guest role, or set `AllowUnauthenticatedIdentities: true` if guests are meant to get it"),
            ),
            (true, None) => found.push(
                Diagnostic::new(
                    Code::N0810,
                    if attachments.is_empty() {
                        format!("`{id}` lets guests in, but no role attachment of this template gives it roles")
                    } else {
                        format!("`{id}` lets guests in, but attaches no guest role")
                    },
                    allowed.span,
                )
                .with_label("guests allowed here")
                .with_help("attach a role for guests (`unauthenticated` in the attachment's `Roles`), or disable guests; if another stack attaches the pool's roles, audit that one too"),
            ),
            _ => {}
        }
    }
    found
}
