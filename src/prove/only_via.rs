//! `expect ROLE only via CLAIM OP "value"`: every way a caller gets the
//! role (a pool's default role, a role mapping rule, the fallback when no
//! rule decides, a guest role) implies one of the claims.

use crate::access::Tri;
use crate::access::cognito::{Caller, CallerKind, gets_role, names};
use crate::access::model::{Model, PoolAccess, Provider, RoleRef, Rule};
use crate::access::text::Concrete;

use super::{CALLER_ID, Claim, Counterexample, Outcome};

/// Proves that `role` is handed out only to callers one of `alternatives`
/// describes.
pub(crate) fn prove(model: &Model, role: &str, alternatives: &[Claim]) -> Outcome {
    let wanted = RoleRef::Role(role.to_string());
    let mut open: Option<String> = None;
    for pool in &model.pools {
        if pool.guests != Tri::No
            && pool
                .unauthenticated
                .as_ref()
                .is_some_and(|c| c.role == wanted)
            && let Some(found) = replay(model, pool, CallerKind::Guest, &wanted)
        {
            return Outcome::Refuted(Box::new(found));
        }
        for provider in &pool.providers {
            match ways(model, pool, provider, &wanted, alternatives) {
                Way::Refuted(found) => return Outcome::Refuted(found),
                Way::Open(why) => {
                    open.get_or_insert(why);
                }
                Way::Holds => {}
            }
        }
    }
    open.map_or(Outcome::Proven, Outcome::Unknown)
}

enum Way {
    Holds,
    Refuted(Box<Counterexample>),
    Open(String),
}

/// The ways a user of `provider` gets the role.
fn ways(
    model: &Model,
    pool: &PoolAccess,
    provider: &Provider,
    wanted: &RoleRef,
    alternatives: &[Claim],
) -> Way {
    let signed_in = |claims: Vec<(String, String)>| CallerKind::SignedIn {
        provider: Some(provider.name.clone()),
        claims,
    };
    let default_is_it = pool
        .authenticated
        .as_ref()
        .is_some_and(|c| c.role == *wanted);
    let mapping = pool.mappings.iter().find(|m| names(provider, &m.provider));
    let Some(mapping) = mapping else {
        return match default_is_it {
            true => refuted_or_open(replay(model, pool, signed_in(Vec::new()), wanted)),
            false => Way::Holds,
        };
    };
    let Some(rules) = &mapping.rules else {
        return Way::Open(format!(
            "pool `{}` maps `{}` by token: the user pool's groups decide who gets which role",
            pool.id, provider.name
        ));
    };
    for rule in rules.iter().filter(|r| r.role == *wanted) {
        if alternatives.iter().any(|alt| implies(rule, alt)) {
            continue;
        }
        let found = violating(rule, alternatives)
            .into_iter()
            .find_map(|claims| replay(model, pool, signed_in(claims), wanted));
        return refuted_or_open(found);
    }
    if default_is_it && !mapping.deny_otherwise {
        return refuted_or_open(replay(model, pool, signed_in(Vec::new()), wanted));
    }
    Way::Holds
}

fn refuted_or_open(found: Option<Counterexample>) -> Way {
    match found {
        Some(found) => Way::Refuted(Box::new(found)),
        None => Way::Open("a way to the role exists, but no caller idpc built gets it".into()),
    }
}

/// Whether every claim value that satisfies the rule satisfies `alt`.
fn implies(rule: &Rule, alt: &Claim) -> bool {
    if rule.claim != alt.claim {
        return false;
    }
    let (v, w) = (rule.value.as_str(), alt.value.as_str());
    match (rule.match_type.as_str(), alt.match_type.as_str()) {
        ("Equals", "Equals") => v == w,
        ("Equals", "Contains") | ("StartsWith", "Contains") | ("Contains", "Contains") => {
            v.contains(w)
        }
        ("Equals", "StartsWith") | ("StartsWith", "StartsWith") => v.starts_with(w),
        ("Equals", "NotEqual") => v != w,
        ("NotEqual", "NotEqual") => v == w,
        _ => false,
    }
}

/// Claims that satisfy the rule and none of the alternatives.
fn violating(rule: &Rule, alternatives: &[Claim]) -> Vec<Vec<(String, String)>> {
    let v = rule.value.as_str();
    let values = match rule.match_type.as_str() {
        "Equals" => vec![v.to_string()],
        "StartsWith" => vec![v.to_string(), format!("{v}-x")],
        "Contains" => vec![v.to_string(), format!("x-{v}-x")],
        _ => vec![format!("not-{v}"), format!("{v}-x"), "x".to_string()],
    };
    values
        .into_iter()
        .filter(|value| satisfies(&rule.match_type, value, v))
        .filter(|value| {
            !alternatives
                .iter()
                .any(|alt| alt.claim == rule.claim && satisfies(&alt.match_type, value, &alt.value))
        })
        .map(|value| vec![(rule.claim.clone(), value)])
        .collect()
}

fn satisfies(match_type: &str, value: &str, against: &str) -> bool {
    match match_type {
        "Equals" => value == against,
        "NotEqual" => value != against,
        "StartsWith" => value.starts_with(against),
        "Contains" => value.contains(against),
        _ => false,
    }
}

/// The caller, if `idpc can`'s resolution hands it the role.
fn replay(
    model: &Model,
    pool: &PoolAccess,
    kind: CallerKind,
    wanted: &RoleRef,
) -> Option<Counterexample> {
    let caller = Caller {
        pool: pool.id.clone(),
        kind,
        identity: CALLER_ID.to_string(),
    };
    (gets_role(model, &caller).as_ref() == Some(wanted)).then(|| Counterexample {
        caller,
        victim: None,
        action: "sts:AssumeRoleWithWebIdentity".to_string(),
        resource: Concrete::literal(wanted.name()),
        role: Some(wanted.name().to_string()),
        statement: None,
        deployment: Vec::new(),
    })
}
