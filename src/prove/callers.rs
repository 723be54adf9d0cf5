//! Every kind of caller a pool has, with the role each gets: guests;
//! signed-in users of each provider through the default role, through
//! each role mapping rule (with claims that reach it) or a token mapping;
//! and those no rule decides for.

use crate::access::Tri;
use crate::access::cognito::{Caller, CallerKind, names};
use crate::access::model::RoleRef;
use crate::access::model::{Model, Rule};

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
                    for role in &model.roles {
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

/// A claim that satisfies a rule.
pub(crate) fn reaching(rule: &Rule) -> (String, String) {
    let value = match rule.match_type.as_str() {
        "NotEqual" => format!("not-{}", rule.value),
        _ => rule.value.clone(),
    };
    (rule.claim.clone(), value)
}
