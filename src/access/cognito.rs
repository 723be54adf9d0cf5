//! A caller's way through Cognito to a role, and what the role lets it do.
//!
//! - Guests get the attachment's `unauthenticated` role, if the pool
//!   allows guests ("Identity pools (federated identities) authentication
//!   flow" and "IAM roles", Amazon Cognito Developer Guide,
//!   <https://docs.aws.amazon.com/cognito/latest/developerguide/iam-roles.html>).
//! - Signed-in users get the role their provider's role mapping picks, if
//!   there is one, else the `authenticated` role ("Using role-based access
//!   control",
//!   <https://docs.aws.amazon.com/cognito/latest/developerguide/role-based-access-control.html>):
//!   a `Rules` mapping tries its rules in order and the first that matches
//!   the token's claim wins (`Equals`, `NotEqual`, `StartsWith`,
//!   `Contains`); a `Token` mapping takes `cognito:preferred_role`, else the
//!   one role of `cognito:roles`; when nothing decides,
//!   `AmbiguousRoleResolution` ("RoleMapping", Cognito Federated
//!   Identities API Reference,
//!   <https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_RoleMapping.html>)
//!   says `AuthenticatedRole` (the default role) or `Deny`.
//! - The role's trust policy must admit the caller:
//!   `sts:AssumeRoleWithWebIdentity` with the token's `aud` (the pool's
//!   id) and `amr` (`authenticated` and the provider, or
//!   `unauthenticated`), and `sts:TagSession` when the pool maps principal
//!   tags for the provider ("Using attributes for access control",
//!   <https://docs.aws.amazon.com/cognito/latest/developerguide/attributes-for-access-control.html>).
//! - Then IAM decides over the role's policies, its permissions boundary,
//!   and for guests in the enhanced flow Cognito's scope-down session
//!   policy (`crate::lints::rules::guest_scope`).

use super::Tri;
use super::eval::{Context, Decision, Request, evaluate};
use super::model::{Boundary, Model, PoolAccess, Provider, RoleAccess, RoleChoice, RoleRef, Rule};
use super::policy::{Effect, Origin};
use super::text::Concrete;
use crate::lints::rules::guest_scope::{Scope, scope_of};
use crate::source::Span;

/// Who asks.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CallerKind {
    /// An unauthenticated identity.
    Guest,
    /// A signed-in identity: through which provider (as the model names
    /// it, or an alias), with which token claims.
    SignedIn {
        /// The provider; the pool's only one when not given.
        provider: Option<String>,
        /// The token's claims, `name` → `value`.
        claims: Vec<(String, String)>,
    },
}

/// A caller of one pool.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Caller {
    /// The pool's logical ID.
    pub pool: String,
    /// Guest or signed in.
    pub kind: CallerKind,
    /// The caller's identity id (`${cognito-identity.amazonaws.com:sub}`).
    pub identity: String,
}

/// The identity id `can` uses when none is given.
pub const EXAMPLE_IDENTITY: &str = "us-east-1:11111111-2222-3333-4444-555555555555";

/// One step of the way from the caller to the decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// What happens, in words.
    pub text: String,
    /// Where it is decided, when in a file.
    pub span: Option<Span>,
}

/// The answer to "can this caller do this?".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// Allow, deny (explicit or implicit), or unknown.
    pub decision: Decision,
    /// The role the caller gets, if any.
    pub role: Option<RoleRef>,
    /// Why, in one sentence.
    pub reason: String,
    /// The statements that decide it.
    pub statements: Vec<(Effect, Origin)>,
    /// The way from the caller to the decision.
    pub chain: Vec<Step>,
}

/// Whether `caller` may do `action` on `resource`, with the extra context
/// keys `context` (those Cognito sets come from the caller).
pub fn can(
    model: &Model,
    caller: &Caller,
    action: &str,
    resource: &Concrete,
    context: &Context,
) -> Answer {
    let mut way = Way::default();
    let Some(pool) = model.pool(&caller.pool) else {
        return way.finish(
            Decision::ImplicitDeny,
            None,
            format!("the stack defines no identity pool `{}`", caller.pool),
        );
    };
    let choice = match resolve(pool, caller, &mut way) {
        Ok(choice) => choice,
        Err((decision, reason)) => return way.finish(decision, None, reason),
    };
    let mut open = Vec::new();
    if caller.kind == CallerKind::Guest && pool.guests == Tri::Unknown {
        open.push("whether the pool lets guests in is decided at deploy time (a parameter or a stack condition)".to_string());
    }
    if let Some(condition) = &pool.condition {
        open.push(format!(
            "the pool exists only when the stack condition `{condition}` holds"
        ));
    }
    if let Some(condition) = &choice.condition {
        open.push(format!(
            "the role is handed out only when the stack condition `{condition}` holds"
        ));
    }
    let role = match &choice.role {
        RoleRef::Role(id) => model.role(id),
        RoleRef::Outside(_) => None,
    };
    let Some(role) = role else {
        let reason = format!(
            "the caller gets role `{}`, which idpc cannot see: its policies decide",
            choice.role.name()
        );
        return way.finish(Decision::Unknown, Some(choice.role.clone()), reason);
    };
    if let Some(condition) = &role.condition {
        open.push(format!(
            "the role exists only when the stack condition `{condition}` holds"
        ));
    }
    let mut request = request(pool, caller, action, resource, context);
    request.context.set_whole_names(model.whole_names.clone());
    if let Err((decision, reason)) = admitted(pool, caller, role, &request, &mut way) {
        return way.finish(decision, Some(choice.role.clone()), reason);
    }
    let (decision, reason, statements) = permissions(pool, caller, role, &request, &mut way);
    let (decision, reason) = match (decision, open.first()) {
        // What exists only under a stack condition may not exist: an allow
        // is open, a deny stays a deny.
        (Decision::Allow, Some(why)) => (Decision::Unknown, format!("{reason}, but {why}")),
        _ => (decision, reason),
    };
    let mut answer = way.finish(decision, Some(choice.role.clone()), reason);
    answer.statements = statements;
    answer
}

/// The role `caller` gets, when it surely gets one: the pool hands it out
/// and its trust policy admits the caller.
pub fn gets_role(model: &Model, caller: &Caller) -> Option<RoleRef> {
    let mut way = Way::default();
    let pool = model.pool(&caller.pool)?;
    let choice = resolve(pool, caller, &mut way).ok()?;
    let RoleRef::Role(id) = &choice.role else {
        return None;
    };
    let role = model.role(id)?;
    let request = request(
        pool,
        caller,
        "sts:AssumeRoleWithWebIdentity",
        &Concrete::literal("*"),
        &Context::new(),
    );
    admitted(pool, caller, role, &request, &mut way).ok()?;
    Some(choice.role)
}

/// The chain of steps as it grows.
#[derive(Default)]
struct Way {
    steps: Vec<Step>,
}

impl Way {
    fn step(&mut self, text: impl Into<String>, span: Option<Span>) {
        self.steps.push(Step {
            text: text.into(),
            span,
        });
    }

    fn finish(self, decision: Decision, role: Option<RoleRef>, reason: String) -> Answer {
        Answer {
            decision,
            role,
            reason,
            statements: Vec::new(),
            chain: self.steps,
        }
    }
}

/// Why the caller gets no role: the decision (a deny, or unknown) and the
/// reason.
type NoRole = (Decision, String);

/// The role the pool hands the caller.
fn resolve(pool: &PoolAccess, caller: &Caller, way: &mut Way) -> Result<RoleChoice, NoRole> {
    match &caller.kind {
        CallerKind::Guest => {
            match pool.guests {
                Tri::No => return Err((Decision::ImplicitDeny, format!("pool `{}` gives guests no credentials (`AllowUnauthenticatedIdentities` is false)", pool.id))),
                Tri::Unknown => way.step("whether the pool allows guests is decided at deploy time (a parameter or a stack condition)", pool.span),
                Tri::Yes => way.step(format!("pool `{}` allows guests", pool.id), pool.span),
            }
            let choice = pool.unauthenticated.clone().ok_or_else(|| {
                (
                    Decision::ImplicitDeny,
                    format!(
                        "pool `{}` has no guest role: Cognito gives guests no credentials",
                        pool.id
                    ),
                )
            })?;
            way.step(
                format!(
                    "guests get the pool's unauthenticated role `{}`",
                    choice.role.name()
                ),
                None,
            );
            Ok(choice)
        }
        CallerKind::SignedIn { provider, claims } => {
            signed_in(pool, provider.as_deref(), claims, way)
        }
    }
}

/// The role of a signed-in caller.
fn signed_in(
    pool: &PoolAccess,
    provider: Option<&str>,
    claims: &[(String, String)],
    way: &mut Way,
) -> Result<RoleChoice, NoRole> {
    let provider = match find_provider(pool, provider) {
        Ok(Some(found)) => found,
        Ok(None) => {
            return Err((
                Decision::ImplicitDeny,
                format!(
                    "pool `{}` trusts no identity provider: nobody signs in",
                    pool.id
                ),
            ));
        }
        Err(why) => return Err((Decision::Unknown, why)),
    };
    way.step(format!("signed in through {}", shown(provider)), pool.span);
    let default = || {
        pool.authenticated.clone().ok_or_else(|| (Decision::ImplicitDeny, format!("pool `{}` has no authenticated role: Cognito gives signed-in users no credentials", pool.id)))
    };
    let Some(mapping) = pool.mappings.iter().find(|m| names(provider, &m.provider)) else {
        let choice = default()?;
        way.step(
            format!(
                "no role mapping for the provider: the pool's authenticated role `{}`",
                choice.role.name()
            ),
            None,
        );
        return Ok(choice);
    };
    let picked = match &mapping.rules {
        Some(rules) => by_rules(rules, claims, way)?,
        None => by_token(claims, way),
    };
    match picked {
        Some(role) => Ok(RoleChoice {
            role,
            condition: None,
        }),
        None if mapping.deny_otherwise => Err((
            Decision::ImplicitDeny,
            "no role mapping rule decides, and the mapping says `AmbiguousRoleResolution: Deny`"
                .into(),
        )),
        None => {
            let choice = default()?;
            way.step(format!("no rule decides: `AmbiguousRoleResolution: AuthenticatedRole` gives the pool's authenticated role `{}`", choice.role.name()), None);
            Ok(choice)
        }
    }
}

/// How messages name a provider: by the logical IDs the user knows.
pub fn shown(provider: &Provider) -> String {
    match (provider.kind, provider.aliases.as_slice()) {
        (super::model::ProviderKind::UserPool, [_, pool, client]) => {
            format!("user pool `{pool}` (app client `{client}`)")
        }
        _ => format!("`{}`", provider.name),
    }
}

/// Whether `written` (a role mapping's or principal tag's provider) names
/// `provider`.
pub(crate) fn names(provider: &Provider, written: &str) -> bool {
    provider.name == written || provider.aliases.iter().any(|a| a == written)
}

/// The provider `name` names (its name or an alias), or the pool's only
/// one when no name is given. `Err`: which names the user may give.
pub fn find_provider<'p>(
    pool: &'p PoolAccess,
    name: Option<&str>,
) -> Result<Option<&'p Provider>, String> {
    let listed = || {
        pool.providers
            .iter()
            .map(|p| {
                format!(
                    "`{}`",
                    p.aliases
                        .iter()
                        .find(|a| !a.contains(['$', ':']))
                        .unwrap_or(&p.name)
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    match name {
        Some(name) => pool
            .providers
            .iter()
            .find(|p| names(p, name))
            .map(Some)
            .ok_or_else(|| {
                format!(
                    "pool `{}` has no provider `{name}`; it has {}",
                    pool.id,
                    listed()
                )
            }),
        None => match pool.providers.as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(one)),
            _ => Err(format!(
                "pool `{}` has several providers: say which with `--provider` ({})",
                pool.id,
                listed()
            )),
        },
    }
}

/// The first rule that matches the claims, in order. `Ok(None)`: none.
fn by_rules(
    rules: &[Rule],
    claims: &[(String, String)],
    way: &mut Way,
) -> Result<Option<RoleRef>, NoRole> {
    for (n, rule) in rules.iter().enumerate() {
        let value = claims
            .iter()
            .find(|(name, _)| *name == rule.claim)
            .map(|(_, v)| v.as_str());
        let matched = rule_matches(rule, value);
        let said = format!(
            "rule {} (`{}` {} `{}`)",
            n + 1,
            rule.claim,
            rule.match_type,
            rule.value
        );
        match matched {
            Tri::Yes => {
                way.step(format!("{said} matches: role `{}`", rule.role.name()), None);
                return Ok(Some(rule.role.clone()));
            }
            Tri::No => way.step(format!("{said} does not match"), None),
            Tri::Unknown => {
                return Err((
                    Decision::Unknown,
                    format!(
                        "{said}: whether it matches depends on a value known only at deploy time"
                    ),
                ));
            }
        }
    }
    Ok(None)
}

/// Whether a rule matches the claim's value (`None`: the token does not
/// have the claim, and no rule on it matches).
fn rule_matches(rule: &Rule, value: Option<&str>) -> Tri {
    if rule.value.contains("$(") || rule.claim.contains("$(") {
        return Tri::Unknown;
    }
    let Some(value) = value else { return Tri::No };
    Tri::from_bool(match rule.match_type.as_str() {
        "Equals" => value == rule.value,
        "NotEqual" => value != rule.value,
        "StartsWith" => value.starts_with(&rule.value),
        "Contains" => value.contains(&rule.value),
        _ => return Tri::Unknown,
    })
}

/// The role a `Token` mapping takes from the claims.
fn by_token(claims: &[(String, String)], way: &mut Way) -> Option<RoleRef> {
    let role_of = |value: &str| RoleRef::Role(value.to_string());
    if let Some((_, preferred)) = claims
        .iter()
        .find(|(name, _)| name == "cognito:preferred_role")
    {
        way.step(
            format!("the token's `cognito:preferred_role` is `{preferred}`"),
            None,
        );
        return Some(role_of(preferred));
    }
    let roles: Vec<&str> = claims
        .iter()
        .filter(|(name, _)| name == "cognito:roles")
        .map(|(_, v)| v.as_str())
        .collect();
    match roles.as_slice() {
        [one] => {
            way.step(
                format!("the token's one `cognito:roles` entry is `{one}`"),
                None,
            );
            Some(role_of(one))
        }
        _ => {
            way.step(
                format!(
                    "the token names {} roles and no `cognito:preferred_role`",
                    roles.len()
                ),
                None,
            );
            None
        }
    }
}

/// The request with the context Cognito gives the caller's credentials:
/// the identity id, the pool (`aud`), `amr`, and the principal tags the
/// pool maps from the token's claims.
fn request(
    pool: &PoolAccess,
    caller: &Caller,
    action: &str,
    resource: &Concrete,
    context: &Context,
) -> Request {
    let mut context = context.clone();
    context.set(
        &format!("{COGNITO}:sub"),
        vec![Concrete::literal(&caller.identity)],
    );
    let mut aud = Concrete::default();
    aud.push_opaque(&format!("$({})", pool.id));
    context.set(&format!("{COGNITO}:aud"), vec![aud]);
    let signed_in = match &caller.kind {
        CallerKind::Guest => None,
        CallerKind::SignedIn { provider, claims } => Some((
            find_provider(pool, provider.as_deref()).ok().flatten(),
            claims,
        )),
    };
    let amr = match &signed_in {
        None => vec![Concrete::literal("unauthenticated")],
        Some((provider, _)) => std::iter::once(Concrete::literal("authenticated"))
            .chain(provider.map(|p| Concrete::literal(&p.name)))
            .collect(),
    };
    context.set(&format!("{COGNITO}:amr"), amr);
    if let Some((Some(provider), claims)) = signed_in {
        for mapping in pool
            .principal_tags
            .iter()
            .filter(|t| names(provider, &t.provider))
        {
            for (tag, claim) in &mapping.tags {
                if let Some((_, value)) = claims.iter().find(|(name, _)| name == claim) {
                    context.set(
                        &format!("aws:PrincipalTag/{tag}"),
                        vec![Concrete::literal(value)],
                    );
                }
            }
            if mapping.use_defaults {
                // The default mappings (username and client id) come from
                // the token; idpc does not model them.
                context.set_unknown_prefix("aws:PrincipalTag/");
            }
        }
    }
    Request {
        action: action.to_string(),
        resource: resource.clone(),
        context,
    }
}

/// The prefix of Cognito's keys (`cognito-identity.amazonaws.com:sub`).
const COGNITO: &str = "cognito-identity.amazonaws.com";

/// Whether the role's trust policy lets the caller assume it (and tag the
/// session, when the pool maps principal tags for the provider).
fn admitted(
    pool: &PoolAccess,
    caller: &Caller,
    role: &RoleAccess,
    request: &Request,
    way: &mut Way,
) -> Result<(), NoRole> {
    let mut actions = vec!["sts:AssumeRoleWithWebIdentity"];
    let tags = match &caller.kind {
        CallerKind::Guest => false,
        CallerKind::SignedIn { provider, .. } => match find_provider(pool, provider.as_deref()) {
            Ok(Some(provider)) => pool
                .principal_tags
                .iter()
                .any(|t| names(provider, &t.provider)),
            _ => false,
        },
    };
    if tags {
        actions.push("sts:TagSession");
    }
    for action in actions {
        let trust_request = Request {
            action: action.to_string(),
            resource: Concrete::literal("*"),
            context: request.context.clone(),
        };
        let verdict = evaluate(&[&role.trust], &trust_request);
        match verdict.decision {
            Decision::Allow => {}
            Decision::Unknown => {
                return Err((
                    Decision::Unknown,
                    format!(
                        "whether the trust policy of `{}` admits the caller for `{action}` depends on what idpc cannot see",
                        role.id
                    ),
                ));
            }
            Decision::ExplicitDeny | Decision::ImplicitDeny => {
                return Err((
                    Decision::ImplicitDeny,
                    format!(
                        "the trust policy of `{}` does not admit the caller for `{action}` (its `aud` and `amr` conditions)",
                        role.id
                    ),
                ));
            }
        }
    }
    way.step(
        format!("the trust policy of `{}` admits the caller", role.id),
        role.trust.statements.first().and_then(|s| s.origin.span),
    );
    Ok(())
}

/// IAM's decision over the role's policies, its boundary and, for guests
/// in the enhanced flow, Cognito's scope-down.
fn permissions(
    pool: &PoolAccess,
    caller: &Caller,
    role: &RoleAccess,
    request: &Request,
    way: &mut Way,
) -> (Decision, String, Vec<(Effect, Origin)>) {
    let policies: Vec<&super::policy::Policy> = role.policies.iter().collect();
    let identity = evaluate(&policies, request);
    if identity.decision == Decision::ExplicitDeny {
        return (
            Decision::ExplicitDeny,
            format!("a `deny` statement of `{}` applies", role.id),
            identity.deciding,
        );
    }
    let mut open: Vec<String> = Vec::new();
    open.extend(role.unknown_policies.iter().map(|p| {
        format!("the managed policy `{p}`, whose document idpc does not have, may allow or deny it")
    }));
    open.extend(
        role.unread
            .iter()
            .map(|what| format!("idpc could not read {what}")),
    );
    // Each layer: its decision, what it is, and whether that is plural.
    let mut layers = vec![(
        identity.decision,
        format!("the policies of `{}`", role.id),
        true,
    )];
    match &role.boundary {
        Some(Boundary::Known(policy)) => layers.push((
            evaluate(&[policy], request).decision,
            "its permissions boundary".to_string(),
            false,
        )),
        Some(Boundary::Unknown(name)) => open.push(format!(
            "the permissions boundary `{name}`, whose document idpc does not have, may not allow it"
        )),
        None => {}
    }
    if caller.kind == CallerKind::Guest {
        let (decision, said) = scope_down(pool, &request.action);
        way.step(said, None);
        layers.push((
            decision,
            "Cognito's scope-down of guest credentials".to_string(),
            false,
        ));
    }
    let verb =
        |plural: bool, many: &'static str, one: &'static str| if plural { many } else { one };
    if let Some((_, what, plural)) = layers.iter().find(|(d, ..)| *d == Decision::ExplicitDeny) {
        let reason = format!("{what} {} it", verb(*plural, "deny", "denies"));
        return (Decision::ExplicitDeny, reason, identity.deciding);
    }
    if let Some(why) = open.first() {
        return (Decision::Unknown, why.clone(), identity.deciding);
    }
    if let Some((_, what, plural)) = layers.iter().find(|(d, ..)| *d == Decision::ImplicitDeny) {
        let reason = format!("{what} {} allow it", verb(*plural, "do not", "does not"));
        return (Decision::ImplicitDeny, reason, identity.deciding);
    }
    if let Some((_, what, plural)) = layers.iter().find(|(d, ..)| *d == Decision::Unknown) {
        let reason = open_reason(
            role,
            &identity.deciding,
            what,
            verb(*plural, "allow", "allows"),
        );
        return (Decision::Unknown, reason, identity.deciding);
    }
    (
        Decision::Allow,
        format!("the policies of `{}` allow it", role.id),
        identity.deciding,
    )
}

/// Why a layer may or may not allow a request: a deciding statement under
/// a stack condition, or a value known only at deploy time.
fn open_reason(
    role: &RoleAccess,
    deciding: &[(Effect, Origin)],
    what: &str,
    allows: &str,
) -> String {
    let conditional = role
        .policies
        .iter()
        .flat_map(|p| &p.statements)
        .filter(|s| deciding.iter().any(|(_, o)| *o == s.origin))
        .find_map(|s| s.stack_condition.as_deref());
    match conditional {
        Some(condition) => {
            format!("{what} {allows} it only when the stack condition `{condition}` holds")
        }
        None => format!("whether {what} {allows} it depends on a value known only at deploy time"),
    }
}

/// Cognito's scope-down of guest credentials in the enhanced flow. A pool
/// that also allows the basic (classic) flow hands guests the role's own
/// credentials there, unscoped (see `idpc explain W0604`).
fn scope_down(pool: &PoolAccess, action: &str) -> (Decision, String) {
    if pool.classic_flow {
        return (
            Decision::Allow,
            "the pool allows the basic (classic) flow, in which Cognito does not scope guest credentials down".to_string(),
        );
    }
    let Some((prefix, name)) = action.split_once(':') else {
        return (
            Decision::ImplicitDeny,
            format!("`{action}` is not an action"),
        );
    };
    match scope_of(prefix, name) {
        Scope::Allowed => (
            Decision::Allow,
            format!("Cognito's scope-down of guest credentials lets `{action}` through"),
        ),
        Scope::CutOff => (
            Decision::ImplicitDeny,
            format!(
                "Cognito's scope-down of guest credentials does not allow `{action}` in the enhanced flow"
            ),
        ),
        Scope::Undocumented(_) => (
            Decision::Unknown,
            format!(
                "AWS's documents leave open whether Cognito's scope-down of guest credentials allows `{action}`"
            ),
        ),
    }
}
