//! Every kind of caller a pool has, with the role each gets: guests;
//! signed-in users of each provider through the default role, through
//! each role mapping rule (with claims that reach it) or a token mapping;
//! and those no rule decides for.

use crate::access::Tri;
use crate::access::cognito::{Caller, CallerKind, names};
use crate::access::model::RoleRef;
use crate::access::model::{Model, RoleAccess, Rule};
use crate::access::policy::Effect;
use crate::access::text::{Piece, WholeNames};

use super::Who;

/// A kind of caller and the role it gets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CallerClass {
    /// The pool.
    pub(crate) pool: String,
    /// Guest, or signed in through a provider with claims.
    pub(crate) kind: CallerKind,
    /// The role.
    pub(crate) role: RoleRef,
}

impl CallerClass {
    /// Whether the class is among `who`.
    pub(crate) fn is(&self, who: &Who) -> bool {
        match who {
            Who::Guests => self.kind == CallerKind::Guest,
            Who::SignedIn => self.kind != CallerKind::Guest,
            Who::Anyone => true,
            Who::Role(id) => self.role == RoleRef::Role(id.clone()),
        }
    }

    /// The caller with identity id `id`.
    pub(crate) fn caller(&self, id: &str) -> Caller {
        Caller {
            pool: self.pool.clone(),
            kind: self.kind.clone(),
            identity: id.to_string(),
        }
    }
}

/// The classes of every pool (or of `only`).
pub(crate) fn classes(model: &Model, only: Option<&str>) -> Vec<CallerClass> {
    let mut out = Vec::new();
    let pins: Vec<Option<Vec<&str>>> = model
        .roles
        .iter()
        .map(|role| pinned_pools(role, &model.whole_names))
        .collect();
    for pool in model
        .pools
        .iter()
        .filter(|p| only.is_none_or(|id| p.id == id))
    {
        if pool.guests != Tri::No
            && let Some(choice) = &pool.unauthenticated
        {
            out.push(CallerClass {
                pool: pool.id.clone(),
                kind: CallerKind::Guest,
                role: choice.role.clone(),
            });
        }
        for provider in &pool.providers {
            let signed_in = |claims: Vec<(String, String)>, role: &RoleRef| CallerClass {
                pool: pool.id.clone(),
                kind: CallerKind::SignedIn {
                    provider: Some(provider.name.clone()),
                    claims,
                },
                role: role.clone(),
            };
            let default = pool
                .authenticated
                .as_ref()
                .map(|c| signed_in(Vec::new(), &c.role));
            let Some(mapping) = pool.mappings.iter().find(|m| names(provider, &m.provider)) else {
                out.extend(default);
                continue;
            };
            match &mapping.rules {
                Some(rules) => {
                    for rule in rules {
                        out.push(signed_in(vec![reaching(rule)], &rule.role));
                    }
                }
                // A token names any role the user pool's groups carry: every
                // role of the stack may be one.
                None => {
                    let admits = |pin: &Option<Vec<&str>>| {
                        pin.as_ref()
                            .is_none_or(|pools| pools.contains(&pool.id.as_str()))
                    };
                    for (role, _) in model.roles.iter().zip(&pins).filter(|(_, p)| admits(p)) {
                        let claims = vec![("cognito:preferred_role".to_string(), role.id.clone())];
                        out.push(signed_in(claims, &RoleRef::Role(role.id.clone())));
                    }
                }
            }
            if !mapping.deny_otherwise {
                out.extend(default);
            }
        }
    }
    out
}

/// The pools whose callers the role's trust policy may admit, when it
/// names them: every allow statement requires `aud` (`StringEquals`) to be
/// one of these pools' ids, and two pools' ids differ
/// ([`crate::access::text::WholeNames`]). Cognito asks STS with a token
/// whose `aud` is the caller's pool ("IAM roles", Amazon Cognito Developer
/// Guide, <https://docs.aws.amazon.com/cognito/latest/developerguide/iam-roles.html>),
/// so no other pool's caller gets the role. `None`: any pool's may.
fn pinned_pools<'m>(role: &'m RoleAccess, whole: &WholeNames) -> Option<Vec<&'m str>> {
    if !role.unread.is_empty() {
        return None;
    }
    let mut pools = Vec::new();
    for statement in &role.trust.statements {
        if statement.effect != Effect::Allow {
            continue;
        }
        let pinned = statement.conditions.iter().find_map(|c| {
            let aud = c.operator == "StringEquals"
                && c.key
                    .eq_ignore_ascii_case("cognito-identity.amazonaws.com:aud");
            let ids: Option<Vec<&str>> = aud.then(|| {
                c.values
                    .iter()
                    .map(|v| match v.pieces.as_slice() {
                        [Piece::Opaque(name)] if whole.is_pool_id(name) => {
                            name.strip_prefix("$(")?.strip_suffix(')')
                        }
                        _ => None,
                    })
                    .collect()
            })?;
            ids
        })?;
        pools.extend(pinned);
    }
    Some(pools)
}

/// A claim that satisfies a rule.
pub(crate) fn reaching(rule: &Rule) -> (String, String) {
    let value = match rule.match_type.as_str() {
        "NotEqual" => format!("not-{}", rule.value),
        _ => rule.value.clone(),
    };
    (rule.claim.clone(), value)
}
