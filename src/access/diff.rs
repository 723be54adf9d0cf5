//! What a change grants: the requests one version of a stack allows and the
//! other denies, for each pool and each kind of caller.
//!
//! The comparison is of meaning, not of text. Each pool (matched by logical
//! ID) is asked the same finite set of requests in both versions, through
//! Cognito's role resolution ([`super::cognito::can`]); a request one
//! version allows and the other does not is a change. The requests come
//! from both versions:
//!
//! - callers: guests; users signed in with each provider and no claims;
//!   for each rules mapping, a token whose claim makes each rule match (the
//!   rules are tried in order, so a rule's role is what the first matching
//!   rule gives); each provider's principal-tag claims with a value;
//! - actions: every catalog action an `Action` pattern of either version
//!   names (`s3:Get*` is its actions, so it and the list it stands for ask
//!   the same requests); `NotAction` and `*` stand for the actions of the
//!   services either version names;
//! - resources: every resource pattern of either version with its
//!   wildcards filled (`x`, `x/y`, nothing), its `$<sub>` the caller's
//!   identity and another one, and its other variables a value;
//! - context: no keys, and each condition's key set to each of its values
//!   and to another.
//!
//! A caller is named by pool and kind, never by role, so renaming a role
//! (or a policy, or reordering or splitting statements) asks the same
//! requests with the same answers: no change. Actions that every pattern of
//! both versions treats alike (in one service) are asked once, for their
//! first action; pools whose roles and role resolution are equal in both
//! versions (apart from where they are written) are not asked at all.
//!
//! A request whose answer is unknown in one version and known in the other
//! is an `unknown` change: what idpc cannot see is never hidden.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::Tri;
use super::cognito::{Answer, Caller, CallerKind, EXAMPLE_IDENTITY, can};
use super::eval::{Context, Decision};
use super::model::{Boundary, Mapping, Model, PoolAccess, RoleAccess, RoleChoice, RoleRef};
use super::policy::{Actions, Condition, Policy, Resources, Statement};
use super::text::{Atom, Concrete, Piece, Text};
use crate::catalog::Catalog;
use crate::catalog::pattern::glob_ci;
use crate::lints::rules::guest_scope::scope_of;

/// Another identity than the caller's, to tell "own" from "anyone's".
pub const OTHER_IDENTITY: &str = "us-east-1:99999999-8888-7777-6666-555555555555";

/// The value a principal-tag claim has in the requests `diff` asks.
pub const TAG_VALUE: &str = "tag-value";

/// Whether NEW grants what OLD did not, or the reverse, or idpc cannot
/// tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeKind {
    /// NEW allows, OLD denies.
    Added,
    /// OLD allows, NEW denies.
    Removed,
    /// One version's answer is unknown, the other's is not.
    Unknown,
}

impl ChangeKind {
    /// `added`, `removed`, `unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Unknown => "unknown",
        }
    }
}

/// One request asked of both versions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Example {
    /// `service:Action`.
    pub action: String,
    /// The resource.
    pub resource: Concrete,
    /// The caller's identity id.
    pub identity: String,
    /// The caller's token claims.
    pub claims: Vec<(String, String)>,
    /// The context keys set (besides those Cognito sets).
    pub context: Vec<(String, String)>,
    /// For an unknown change, why the unknown version cannot say.
    pub why: Option<String>,
}

/// A group of changed requests: one caller, one role, one deciding
/// statement's resources and conditions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// Added, removed or unknown.
    pub kind: ChangeKind,
    /// The kind of caller, in words (`guests`, `users signed in with
    /// StaffUserPool whose "custom:team" == "editors"`).
    pub who: String,
    /// The pool's logical ID.
    pub pool: String,
    /// The role of the version that allows (NEW for added, OLD for
    /// removed, the unknown one for unknown), when the caller gets one.
    pub role: Option<String>,
    /// The actions, compact: a pattern of the deciding statement when every
    /// action it names changed alike, else the actions.
    pub actions: Vec<String>,
    /// The deciding statements' resource patterns, as written (`NotResource`
    /// patterns prefixed with `not `).
    pub resources: Vec<String>,
    /// The deciding statements' conditions, as `Operator key values`.
    pub conditions: Vec<String>,
    /// One request of the group.
    pub example: Example,
}

/// The change in access between two versions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diff {
    /// The changes, pool by pool, caller by caller.
    pub changes: Vec<Change>,
    /// What the comparison could not cover, in words.
    pub notes: Vec<String>,
}

impl Diff {
    /// Whether NEW grants anything OLD did not.
    pub fn broadens(&self) -> bool {
        self.changes.iter().any(|c| c.kind == ChangeKind::Added)
    }
}

/// How one request is decided in one version (`cognito::can`, or a stand-in
/// in tests).
pub type Decide<'a> = dyn Fn(&Model, &Caller, &str, &Concrete, &Context) -> Answer + 'a;

/// The change in access from `old` to `new`.
pub fn diff(old: &Model, new: &Model) -> Diff {
    diff_with(old, new, &can)
}

/// [`diff`], deciding each request with `decide`.
pub fn diff_with(old: &Model, new: &Model, decide: &Decide<'_>) -> Diff {
    let mut out = Diff::default();
    let mut notes = BTreeSet::new();
    let mut same = Same::new(old, new);
    let old_pools: HashMap<&str, &PoolAccess> =
        old.pools.iter().map(|p| (p.id.as_str(), p)).collect();
    let new_pools: HashMap<&str, &PoolAccess> =
        new.pools.iter().map(|p| (p.id.as_str(), p)).collect();
    for id in pool_ids(old, new) {
        let (before, after) = (old_pools.get(id.as_str()), new_pools.get(id.as_str()));
        if same.access(before.copied(), after.copied()) {
            continue;
        }
        if [before, after]
            .into_iter()
            .flatten()
            .any(|p| p.mappings.iter().any(|m| m.rules.is_none()))
        {
            notes.insert(format!(
                "{id}: a token mapping hands out the role the token names; the roles a token may name are not compared"
            ));
        }
        let sides = Sides { old, new, decide };
        out.changes
            .extend(compare_pool(&sides, &mut same, &id, &mut notes));
    }
    out.notes = notes.into_iter().collect();
    out
}

/// The two versions and how a request is decided.
struct Sides<'a> {
    old: &'a Model,
    new: &'a Model,
    decide: &'a Decide<'a>,
}

impl Sides<'_> {
    /// The answer of `model` (a pool it does not have gives nothing).
    fn ask(&self, model: &Model, caller: &Caller, probe: &Probe<'_>) -> Answer {
        let provider = match &caller.kind {
            CallerKind::SignedIn {
                provider: Some(name),
                ..
            } => Some(name),
            _ => None,
        };
        let absent = match model.pool(&caller.pool) {
            None => Some(format!("there is no pool {}", caller.pool)),
            Some(pool) => provider
                .filter(|name| !pool.providers.iter().any(|p| p.name == **name))
                .map(|name| format!("pool {} does not trust {name}", caller.pool)),
        };
        if let Some(reason) = absent {
            return Answer {
                decision: Decision::ImplicitDeny,
                role: None,
                reason,
                statements: Vec::new(),
                chain: Vec::new(),
            };
        }
        (self.decide)(model, caller, probe.action, probe.resource, probe.context)
    }
}

/// The pools of both versions: OLD's in order, then those only NEW has.
fn pool_ids(old: &Model, new: &Model) -> Vec<String> {
    let mut ids: Vec<String> = old.pools.iter().map(|p| p.id.clone()).collect();
    let known: BTreeSet<&str> = old.pools.iter().map(|p| p.id.as_str()).collect();
    ids.extend(
        new.pools
            .iter()
            .filter(|p| !known.contains(p.id.as_str()))
            .map(|p| p.id.clone()),
    );
    ids
}

// ---------------------------------------------------------------------------
// Short-circuit: pools whose access is written the same.

/// Whether pools are written the same in both versions, apart from where:
/// the roles of each version by ID, and the answers found for pairs of
/// roles (a shared role is reached from many pools).
struct Same<'m> {
    old_roles: HashMap<&'m str, &'m RoleAccess>,
    new_roles: HashMap<&'m str, &'m RoleAccess>,
    known: HashMap<(String, String), bool>,
}

impl<'m> Same<'m> {
    fn new(old: &'m Model, new: &'m Model) -> Self {
        let index = |m: &'m Model| m.roles.iter().map(|r| (r.id.as_str(), r)).collect();
        Same {
            old_roles: index(old),
            new_roles: index(new),
            known: HashMap::new(),
        }
    }

    /// Whether a pool hands out the same roles, written the same apart from
    /// where, in both versions: then no request can differ.
    fn access(&mut self, before: Option<&'m PoolAccess>, after: Option<&'m PoolAccess>) -> bool {
        let (Some(before), Some(after)) = (before, after) else {
            return false;
        };
        if !same_pool(before, after) {
            return false;
        }
        let (a, b) = (role_refs(before), role_refs(after));
        a.len() == b.len()
            && a.iter().zip(&b).all(|(x, y)| match (x, y) {
                (RoleRef::Role(x), RoleRef::Role(y)) => self.roles(x, y),
                (x, y) => x == y,
            })
    }

    /// Whether OLD's role `x` and NEW's role `y` are written the same (but
    /// for their IDs and where).
    fn roles(&mut self, x: &str, y: &str) -> bool {
        if let Some(known) = self.known.get(&(x.to_string(), y.to_string())) {
            return *known;
        }
        let same = match (self.old_roles.get(x), self.new_roles.get(y)) {
            (Some(a), Some(b)) => same_role(a, b),
            (None, None) => true,
            _ => false,
        };
        self.known.insert((x.to_string(), y.to_string()), same);
        same
    }

    /// Whether the caller gets, in both versions, roles written the same
    /// (or no role, alike) from pools alike but for their roles' IDs: then
    /// every request is answered alike, whatever the roles are called.
    ///
    /// Also the roles the caller gets, OLD's and NEW's.
    fn resolution(
        &mut self,
        sides: &Sides<'_>,
        caller: &Caller,
    ) -> (bool, Option<RoleRef>, Option<RoleRef>) {
        // Cognito picks the role before it looks at the request.
        let (resource, context) = (Concrete::literal("*"), Context::new());
        let probe = Probe {
            action: "sts:GetCallerIdentity",
            resource: &resource,
            context: &context,
        };
        let before = sides.ask(sides.old, caller, &probe);
        let after = sides.ask(sides.new, caller, &probe);
        let pools = (sides.old.pool(&caller.pool), sides.new.pool(&caller.pool));
        let alike = match pools {
            (Some(a), Some(b)) if same_pool_but_roles(a, b) => match (&before.role, &after.role) {
                (None, None) => before.decision == after.decision,
                (Some(RoleRef::Role(x)), Some(RoleRef::Role(y))) => self.roles(x, y),
                (Some(x @ RoleRef::Outside(_)), Some(y)) => x == y,
                _ => false,
            },
            _ => false,
        };
        (alike, before.role, after.role)
    }
}

/// Two pools alike but for where they are written and what their roles
/// are called.
fn same_pool_but_roles(a: &PoolAccess, b: &PoolAccess) -> bool {
    let choice = |c: &Option<RoleChoice>| c.as_ref().map(|c| c.condition.clone());
    let rules = |m: &Mapping| {
        m.rules.as_ref().map(|rules| {
            rules
                .iter()
                .map(|r| (r.claim.clone(), r.match_type.clone(), r.value.clone()))
                .collect::<Vec<_>>()
        })
    };
    a.guests == b.guests
        && a.classic_flow == b.classic_flow
        && a.providers == b.providers
        && a.principal_tags == b.principal_tags
        && a.condition == b.condition
        && choice(&a.authenticated) == choice(&b.authenticated)
        && choice(&a.unauthenticated) == choice(&b.unauthenticated)
        && a.mappings.len() == b.mappings.len()
        && a.mappings.iter().zip(&b.mappings).all(|(x, y)| {
            x.provider == y.provider && x.deny_otherwise == y.deny_otherwise && rules(x) == rules(y)
        })
}

/// Two pools alike but for where they are written.
fn same_pool(a: &PoolAccess, b: &PoolAccess) -> bool {
    a.id == b.id
        && a.guests == b.guests
        && a.classic_flow == b.classic_flow
        && a.providers == b.providers
        && a.authenticated == b.authenticated
        && a.unauthenticated == b.unauthenticated
        && a.mappings == b.mappings
        && a.principal_tags == b.principal_tags
        && a.condition == b.condition
}

/// Two roles alike but for their IDs and where they and their statements
/// are written.
fn same_role(a: &RoleAccess, b: &RoleAccess) -> bool {
    let boundaries = match (&a.boundary, &b.boundary) {
        (Some(Boundary::Known(x)), Some(Boundary::Known(y))) => same_policy(x, y),
        (x, y) => x == y,
    };
    boundaries
        && same_policy(&a.trust, &b.trust)
        && a.policies.len() == b.policies.len()
        && a.policies
            .iter()
            .zip(&b.policies)
            .all(|(x, y)| same_policy(x, y))
        && a.unknown_policies == b.unknown_policies
        && a.condition == b.condition
        && a.unread == b.unread
}

fn same_policy(a: &Policy, b: &Policy) -> bool {
    a.statements.len() == b.statements.len()
        && a.statements.iter().zip(&b.statements).all(|(x, y)| {
            x.effect == y.effect
                && x.actions == y.actions
                && x.resources == y.resources
                && x.conditions == y.conditions
                && x.stack_condition == y.stack_condition
        })
}

/// The roles a pool hands out, in a fixed order: the default roles, then
/// the rules' roles.
fn role_refs(pool: &PoolAccess) -> Vec<&RoleRef> {
    let mut refs: Vec<&RoleRef> = Vec::new();
    refs.extend(pool.authenticated.iter().map(|c| &c.role));
    refs.extend(pool.unauthenticated.iter().map(|c| &c.role));
    for mapping in &pool.mappings {
        refs.extend(mapping.rules.iter().flatten().map(|r| &r.role));
    }
    refs
}

// ---------------------------------------------------------------------------
// The requests asked of a pool.

/// A caller, and how messages name it.
struct Who {
    label: String,
    caller: Caller,
}

/// One request.
struct Probe<'a> {
    action: &'a str,
    resource: &'a Concrete,
    context: &'a Context,
}

/// The requests asked of the callers who get one pair of roles (OLD's and
/// NEW's): only those roles' statements can decide them.
struct Requests {
    /// Classes of actions alike for every pattern: each is asked once, for
    /// its first action.
    actions: Vec<Vec<String>>,
    /// For each class, the resources its statements name (filled in).
    resources: Vec<Vec<Concrete>>,
    /// For each class, the contexts its statements' conditions ask for.
    contexts: Vec<Vec<Context>>,
}

impl Requests {
    fn about(statements: &[&Statement], pool: &str, notes: &mut BTreeSet<String>) -> Requests {
        let actions = action_classes(statements, pool, notes);
        let resources = resource_witnesses(statements, &actions);
        let contexts = actions
            .iter()
            .map(|class| {
                let about: Vec<&Statement> = statements
                    .iter()
                    .copied()
                    .filter(|s| is_about(s, &class[0]))
                    .collect();
                contexts(&about)
            })
            .collect();
        Requests {
            actions,
            resources,
            contexts,
        }
    }
}

/// The statements of OLD's role `before` and NEW's role `after`.
fn statements_of<'m>(
    sides: &Sides<'m>,
    before: Option<&RoleRef>,
    after: Option<&RoleRef>,
) -> Vec<&'m Statement> {
    let role = |model: &'m Model, r: Option<&RoleRef>| match r {
        Some(RoleRef::Role(id)) => model.role(id),
        _ => None,
    };
    [role(sides.old, before), role(sides.new, after)]
        .into_iter()
        .flatten()
        .flat_map(role_statements)
        .collect()
}

/// A role's permission statements: its policies' and its boundary's.
fn role_statements(role: &RoleAccess) -> impl Iterator<Item = &Statement> {
    let boundary = match &role.boundary {
        Some(Boundary::Known(policy)) => Some(policy),
        _ => None,
    };
    role.policies
        .iter()
        .chain(boundary)
        .flat_map(|p| &p.statements)
}

/// The kinds of caller of a pool, from both versions: providers are
/// matched by name.
fn callers(id: &str, pools: &[&PoolAccess]) -> Vec<Who> {
    let caller = |kind| Caller {
        pool: id.to_string(),
        kind,
        identity: EXAMPLE_IDENTITY.to_string(),
    };
    let mut out = vec![Who {
        label: "guests".into(),
        caller: caller(CallerKind::Guest),
    }];
    let mut seen = BTreeSet::new();
    for provider in pools.iter().flat_map(|p| &p.providers) {
        if !seen.insert(provider.name.clone()) {
            continue;
        }
        let shown = provider
            .aliases
            .iter()
            .find(|a| !a.contains(['$', ':']))
            .unwrap_or(&provider.name);
        let tags = tag_claims(pools, &provider.name);
        let signed_in = |claims: Vec<(String, String)>| {
            caller(CallerKind::SignedIn {
                provider: Some(provider.name.clone()),
                claims,
            })
        };
        out.push(Who {
            label: format!("users signed in with {shown}"),
            caller: signed_in(tags.clone()),
        });
        for (claim, op, value, probe) in rule_claims(pools, &provider.name) {
            let mut claims = tags.clone();
            claims.retain(|(c, _)| *c != claim);
            claims.push((claim.clone(), probe));
            let label = format!("users signed in with {shown} whose \"{claim}\" {op} \"{value}\"");
            if !out.iter().any(|w| w.label == label) {
                out.push(Who {
                    label,
                    caller: signed_in(claims),
                });
            }
        }
    }
    out
}

/// Whether `written` (a role mapping's or principal tag's provider) names
/// the provider called `name` in `pool` (by its name or an alias).
fn names(pool: &PoolAccess, name: &str, written: &str) -> bool {
    pool.providers
        .iter()
        .find(|p| p.name == name)
        .is_some_and(|p| p.name == written || p.aliases.iter().any(|a| a == written))
}

/// The claims principal tags read for `provider`, each with a value.
fn tag_claims(pools: &[&PoolAccess], provider: &str) -> Vec<(String, String)> {
    let mut claims: BTreeSet<String> = BTreeSet::new();
    for pool in pools {
        for mapping in pool
            .principal_tags
            .iter()
            .filter(|t| names(pool, provider, &t.provider))
        {
            claims.extend(mapping.tags.iter().map(|(_, claim)| claim.clone()));
        }
    }
    claims
        .into_iter()
        .map(|c| (c, TAG_VALUE.to_string()))
        .collect()
}

/// The rules of `provider`'s mappings in both versions: claim, match type
/// in words, value, and a claim value that matches.
fn rule_claims(pools: &[&PoolAccess], provider: &str) -> Vec<(String, String, String, String)> {
    let mut out = Vec::new();
    for pool in pools {
        for mapping in pool
            .mappings
            .iter()
            .filter(|m| names(pool, provider, &m.provider))
        {
            for rule in mapping.rules.iter().flatten() {
                let (op, probe) = match rule.match_type.as_str() {
                    "Equals" => ("==", rule.value.clone()),
                    "NotEqual" => ("!=", format!("not-{}", rule.value)),
                    "Contains" => ("contains", rule.value.clone()),
                    "StartsWith" => ("starts_with", format!("{}x", rule.value)),
                    other => (other, rule.value.clone()),
                };
                let entry = (
                    rule.claim.clone(),
                    op.to_string(),
                    rule.value.clone(),
                    probe,
                );
                if !out.contains(&entry) {
                    out.push(entry);
                }
            }
        }
    }
    out
}

/// The actions the statements name, in classes of actions every pattern
/// treats alike (within one service).
fn action_classes(
    statements: &[&Statement],
    pool: &str,
    notes: &mut BTreeSet<String>,
) -> Vec<Vec<String>> {
    let catalog = Catalog::get();
    let mut patterns: Vec<&str> = Vec::new();
    let mut everything = false;
    for statement in statements {
        let (list, all_but) = match &statement.actions {
            Actions::Only(list) => (list, false),
            Actions::AllBut(list) => (list, true),
        };
        for pattern in list {
            everything |= all_but
                || pattern
                    .split_once(':')
                    .is_none_or(|(s, _)| s.contains(['*', '?']));
            if !patterns.iter().any(|p| p.eq_ignore_ascii_case(pattern)) {
                patterns.push(pattern);
            }
        }
    }
    let mut actions: Vec<String> = Vec::new();
    for pattern in &patterns {
        let matched = catalog.actions_matching(pattern);
        if matched.is_empty() && !pattern.contains(['*', '?']) {
            actions.push(pattern.to_string());
        }
        actions.extend(matched.iter().map(|a| a.full_name()));
    }
    if everything {
        let services = named_services(statements);
        notes.insert(format!(
            "{pool}: `*` and `NotAction` are compared on the actions of the services the two versions name ({})",
            services.iter().cloned().collect::<Vec<_>>().join(", ")
        ));
        for service in services {
            if let Some(service) = catalog.service(&service) {
                actions.extend(service.actions().map(|a| a.full_name()));
            }
        }
    }
    let mut seen = BTreeSet::new();
    let mut classes: BTreeMap<(String, String, Vec<bool>), Vec<String>> = BTreeMap::new();
    for action in actions {
        if !seen.insert(action.to_ascii_lowercase()) {
            continue;
        }
        let service = action.split(':').next().unwrap_or("").to_ascii_lowercase();
        // Cognito's scope-down of guest credentials treats actions one by
        // one: so do the classes.
        let name = action.split_once(':').map_or("", |(_, n)| n);
        let scope = format!("{:?}", scope_of(&service, name));
        let signature = patterns.iter().map(|p| glob_ci(p, &action)).collect();
        classes
            .entry((service, scope, signature))
            .or_default()
            .push(action);
    }
    classes.into_values().collect()
}

/// The services the statements name: in actions and in resource ARNs.
fn named_services(statements: &[&Statement]) -> BTreeSet<String> {
    let mut services = BTreeSet::new();
    for statement in statements {
        let (Actions::Only(list) | Actions::AllBut(list)) = &statement.actions;
        for pattern in list {
            if let Some((service, _)) = pattern.split_once(':')
                && !service.contains(['*', '?'])
            {
                services.insert(service.to_ascii_lowercase());
            }
        }
        let (Resources::Only(list) | Resources::AllBut(list)) = &statement.resources;
        for pattern in list {
            let written = pattern.written();
            if let Some(service) = written
                .strip_prefix("arn:aws:")
                .and_then(|r| r.split(':').next())
                && !service.is_empty()
                && !service.contains(['*', '?', '$'])
            {
                services.insert(service.to_string());
            }
        }
    }
    services
}

/// How a pattern's `*` is filled, in order of preference for examples.
const FILLS: [&str; 3] = ["x", "x/y", ""];

/// For each class of actions, the resources to ask about: the patterns of
/// the statements about its actions, with their wildcards filled and their
/// variables given values, in the order the statements name them (a
/// statement about other actions cannot decide these).
fn resource_witnesses(statements: &[&Statement], classes: &[Vec<String>]) -> Vec<Vec<Concrete>> {
    let filled: Vec<Vec<Concrete>> = statements
        .iter()
        .map(|statement| {
            let (Resources::Only(list) | Resources::AllBut(list)) = &statement.resources;
            list.iter().flat_map(witnesses).collect()
        })
        .collect();
    classes
        .iter()
        .map(|class| {
            let action = &class[0];
            let mut out: Vec<Concrete> = Vec::new();
            let mut seen = BTreeSet::new();
            for (statement, witnesses) in statements.iter().zip(&filled) {
                let about = is_about(statement, action);
                for witness in witnesses.iter().filter(|_| about) {
                    if seen.insert(witness) {
                        out.push(witness.clone());
                    }
                }
            }
            out
        })
        .collect()
}

/// Whether `statement` is about `action` (so it may decide a request for
/// it).
fn is_about(statement: &Statement, action: &str) -> bool {
    match &statement.actions {
        Actions::Only(list) => list.iter().any(|p| glob_ci(p, action)),
        Actions::AllBut(list) => !list.iter().any(|p| glob_ci(p, action)),
    }
}

/// The strings a pattern matches that `diff` asks about.
fn witnesses(pattern: &Text) -> Vec<Concrete> {
    let mut out = Vec::new();
    if pattern.written() == "*" {
        // An action on no resource names `*`.
        out.push(Concrete::literal("*"));
    }
    let variables: Vec<(String, Vec<Concrete>)> = {
        let mut keys: Vec<String> = Vec::new();
        for piece in &pattern.pieces {
            if let Piece::Var { key, .. } = piece
                && !keys.contains(key)
            {
                keys.push(key.clone());
            }
        }
        keys.into_iter()
            .map(|k| {
                let values = variable_values(&k);
                (k, values)
            })
            .collect()
    };
    let mut choices: Vec<Vec<usize>> = vec![Vec::new()];
    for (_, values) in &variables {
        choices = choices
            .into_iter()
            .flat_map(|c| {
                (0..values.len()).map(move |i| {
                    let mut c = c.clone();
                    c.push(i);
                    c
                })
            })
            .collect();
    }
    for fill in FILLS {
        for choice in &choices {
            let mut value = Concrete::default();
            for piece in &pattern.pieces {
                match piece {
                    Piece::Lit(text) => {
                        for c in text.chars() {
                            match c {
                                '*' => value.push_str(fill),
                                '?' => value.push_str("x"),
                                c => value.atoms.push(Atom::Char(c)),
                            }
                        }
                    }
                    Piece::Exact(c) => value.atoms.push(Atom::Char(*c)),
                    Piece::Opaque(name) => value.push_opaque(name),
                    Piece::Var { key, .. } => {
                        let at = variables.iter().position(|(k, _)| k == key).unwrap_or(0);
                        let index = choice.get(at).copied().unwrap_or(0);
                        if let Some(v) = variables.get(at).and_then(|(_, vs)| vs.get(index)) {
                            value.atoms.extend(v.atoms.iter().cloned());
                        }
                    }
                }
            }
            out.push(value);
        }
    }
    out
}

/// The values a policy variable takes in the requests asked: the caller's
/// own and someone else's.
fn variable_values(key: &str) -> Vec<Concrete> {
    let key = key.to_ascii_lowercase();
    if key == "cognito-identity.amazonaws.com:sub" {
        vec![
            Concrete::literal(EXAMPLE_IDENTITY),
            Concrete::literal(OTHER_IDENTITY),
        ]
    } else if key.starts_with("aws:principaltag/") {
        vec![
            Concrete::literal(TAG_VALUE),
            Concrete::literal("other-value"),
        ]
    } else {
        vec![Concrete::literal("x")]
    }
}

/// Whether Cognito sets the key from the caller (so the request's context
/// does not choose it).
fn set_by_cognito(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    key.starts_with("cognito-identity.amazonaws.com:") || key.starts_with("aws:principaltag/")
}

/// Contexts to ask in: none, each condition's key with each of its values
/// (wildcards filled) and with another value, as the operator reads them.
fn contexts(statements: &[&Statement]) -> Vec<Context> {
    let mut out = vec![Context::new()];
    let mut seen: BTreeSet<(String, String)> = BTreeSet::new();
    let conditions = statements.iter().flat_map(|s| &s.conditions);
    for condition in conditions.filter(|c| !set_by_cognito(&c.key)) {
        for value in condition_values(condition) {
            if seen.insert((condition.key.to_ascii_lowercase(), value.to_string())) {
                let mut context = Context::new();
                context.set(&condition.key, vec![value]);
                out.push(context);
            }
        }
    }
    out
}

/// Values of a condition's key that do and do not satisfy it, in the form
/// its operator reads: addresses for `IpAddress`, numbers around each for
/// `Numeric...`, `true` and `false` for `Bool`, else each value (wildcards
/// filled) and another string.
fn condition_values(condition: &Condition) -> Vec<Concrete> {
    let operator = condition.operator.to_ascii_lowercase();
    let written: Vec<String> = condition.values.iter().map(Text::written).collect();
    if operator.contains("ipaddress") {
        let mut values: Vec<Concrete> = written
            .iter()
            .map(|v| Concrete::literal(v.split('/').next().unwrap_or(v)))
            .collect();
        values.push(Concrete::literal("198.18.0.1"));
        return values;
    }
    if operator.contains("numeric") {
        return written
            .iter()
            .filter_map(|v| v.parse::<i64>().ok())
            .flat_map(|n| [n - 1, n, n + 1])
            .map(|n| Concrete::literal(&n.to_string()))
            .collect();
    }
    if operator.contains("bool") {
        return vec![Concrete::literal("true"), Concrete::literal("false")];
    }
    if operator.contains("date") || operator.starts_with("null") {
        return condition
            .values
            .iter()
            .flat_map(witnesses)
            .take(1)
            .collect();
    }
    let mut values: Vec<Concrete> = condition
        .values
        .iter()
        .filter_map(|v| witnesses(v).into_iter().find(|w| !w.atoms.is_empty()))
        .collect();
    values.push(Concrete::literal("other-value"));
    values
}

// ---------------------------------------------------------------------------
// Asking both versions, and grouping what differs.

/// What one version said about a request that changed.
struct Changed {
    kind: ChangeKind,
    caller: usize,
    /// The requests (an index into the pool's) and the class of actions.
    class: (usize, usize),
    example: Example,
    deciding: Answer,
    model_is_new: bool,
}

/// OLD's and NEW's role of a caller.
type RolePair = (Option<RoleRef>, Option<RoleRef>);

/// The changes of one pool.
fn compare_pool(
    sides: &Sides<'_>,
    same: &mut Same<'_>,
    id: &str,
    notes: &mut BTreeSet<String>,
) -> Vec<Change> {
    let pools: Vec<&PoolAccess> = [sides.old.pool(id), sides.new.pool(id)]
        .into_iter()
        .flatten()
        .collect();
    let callers = callers(id, &pools);
    let mut asked: Vec<(RolePair, Requests)> = Vec::new();
    let mut found: Vec<Changed> = Vec::new();
    for (w, who) in callers.iter().enumerate() {
        let (alike, before, after) = same.resolution(sides, &who.caller);
        if alike {
            continue;
        }
        let roles = (before, after);
        let r = match asked.iter().position(|(k, _)| *k == roles) {
            Some(r) => r,
            None => {
                let statements = statements_of(sides, roles.0.as_ref(), roles.1.as_ref());
                asked.push((roles, Requests::about(&statements, id, notes)));
                asked.len() - 1
            }
        };
        found.extend(
            ask_all(sides, &who.caller, &asked[r].1).map(|(c, changed)| Changed {
                caller: w,
                class: (r, c),
                ..changed
            }),
        );
    }
    let requests: Vec<Requests> = asked.into_iter().map(|(_, r)| r).collect();
    group(sides, id, &callers, &requests, found)
}

/// Every request of `requests`, asked of both versions for `caller`: the
/// changed ones, each with its class.
fn ask_all<'a>(
    sides: &'a Sides<'_>,
    caller: &'a Caller,
    requests: &'a Requests,
) -> impl Iterator<Item = (usize, Changed)> + 'a {
    requests
        .actions
        .iter()
        .enumerate()
        .flat_map(move |(c, class)| {
            let action = &class[0];
            requests.resources[c].iter().flat_map(move |resource| {
                requests.contexts[c].iter().filter_map(move |context| {
                    let probe = Probe {
                        action,
                        resource,
                        context,
                    };
                    let before = sides.ask(sides.old, caller, &probe);
                    let after = sides.ask(sides.new, caller, &probe);
                    let (kind, model_is_new) = change(&before, &after)?;
                    Some((
                        c,
                        Changed {
                            kind,
                            caller: 0,
                            class: (0, c),
                            example: Example {
                                why: (kind == ChangeKind::Unknown).then(|| {
                                    if model_is_new { &after } else { &before }.reason.clone()
                                }),
                                ..example(caller, &probe)
                            },
                            deciding: if model_is_new { after } else { before },
                            model_is_new,
                        },
                    ))
                })
            })
        })
}

/// Whether the two answers differ, how, and which one decides the change.
fn change(before: &Answer, after: &Answer) -> Option<(ChangeKind, bool)> {
    match (before.decision.allowed(), after.decision.allowed()) {
        (Tri::No, Tri::Yes) => Some((ChangeKind::Added, true)),
        (Tri::Yes, Tri::No) => Some((ChangeKind::Removed, false)),
        (Tri::Unknown, Tri::Unknown) => None,
        (Tri::Unknown, _) => Some((ChangeKind::Unknown, false)),
        (_, Tri::Unknown) => Some((ChangeKind::Unknown, true)),
        _ => None,
    }
}

fn example(caller: &Caller, probe: &Probe<'_>) -> Example {
    let claims = match &caller.kind {
        CallerKind::SignedIn { claims, .. } => claims.clone(),
        CallerKind::Guest => Vec::new(),
    };
    Example {
        action: probe.action.to_string(),
        resource: probe.resource.clone(),
        identity: caller.identity.clone(),
        claims,
        context: probe
            .context
            .entries()
            .flat_map(|(k, vs)| vs.iter().map(move |v| (k.to_string(), v.to_string())))
            .collect(),
        why: None,
    }
}

/// The changed requests of a pool, grouped by caller, kind, role and
/// deciding statements, in the order they were found.
fn group(
    sides: &Sides<'_>,
    id: &str,
    callers: &[Who],
    requests: &[Requests],
    found: Vec<Changed>,
) -> Vec<Change> {
    let mut groups: Vec<Group<'_>> = Vec::new();
    for changed in found {
        let model = if changed.model_is_new {
            sides.new
        } else {
            sides.old
        };
        let statements = deciding_statements(model, &changed.deciding);
        let key = (
            changed.caller,
            changed.kind,
            changed.deciding.role.as_ref().map(|r| r.name().to_string()),
            statements
                .iter()
                .flat_map(|s| resources_written(s))
                .collect(),
            statements
                .iter()
                .flat_map(|s| s.conditions.iter().map(condition_written))
                .collect(),
        );
        match groups.iter_mut().find(|g| g.key == key) {
            Some(group) => group.add(changed.class, changed.example),
            None => groups.push(Group::new(key, changed.class, changed.example, statements)),
        }
    }
    groups
        .into_iter()
        .map(|group| {
            let actions: Vec<&String> = group
                .classes
                .iter()
                .flat_map(|&(r, c)| &requests[r].actions[c])
                .collect();
            let (caller, kind, role, resources, conditions) = group.key;
            Change {
                kind,
                who: callers[caller].label.clone(),
                pool: id.to_string(),
                role,
                actions: compact_actions(&actions, &group.statements),
                resources: dedup(resources),
                conditions: dedup(conditions),
                example: group.example,
            }
        })
        .collect()
}

/// Caller, kind, role, resources and conditions of a group of changes.
type GroupKey = (usize, ChangeKind, Option<String>, Vec<String>, Vec<String>);

/// Changed requests alike but for the action and the resource.
struct Group<'m> {
    key: GroupKey,
    classes: BTreeSet<(usize, usize)>,
    example: Example,
    statements: Vec<&'m Statement>,
    /// The resources the deciding statements' own patterns stand for: the
    /// example is one of them when it can be.
    own: Vec<Concrete>,
    example_is_own: bool,
}

impl<'m> Group<'m> {
    fn new(
        key: GroupKey,
        class: (usize, usize),
        example: Example,
        statements: Vec<&'m Statement>,
    ) -> Self {
        let own: Vec<Concrete> = statements
            .iter()
            .flat_map(|s| match &s.resources {
                Resources::Only(list) => list.iter().flat_map(witnesses).collect(),
                Resources::AllBut(_) => Vec::new(),
            })
            .collect();
        let example_is_own = own.contains(&example.resource);
        Group {
            key,
            classes: BTreeSet::from([class]),
            example,
            statements,
            own,
            example_is_own,
        }
    }

    fn add(&mut self, class: (usize, usize), example: Example) {
        self.classes.insert(class);
        if !self.example_is_own && self.own.contains(&example.resource) {
            self.example = example;
            self.example_is_own = true;
        }
    }
}

fn dedup(items: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

/// The statements of `model` an answer names (looked for in the answer's
/// role first).
fn deciding_statements<'m>(model: &'m Model, answer: &Answer) -> Vec<&'m Statement> {
    let policies = |r: &'m RoleAccess| {
        let boundary = match &r.boundary {
            Some(Boundary::Known(p)) => Some(p),
            _ => None,
        };
        r.policies
            .iter()
            .chain(boundary)
            .chain(std::iter::once(&r.trust))
    };
    let own = match &answer.role {
        Some(RoleRef::Role(id)) => model.role(id),
        _ => None,
    };
    let mut out: Vec<&Statement> = Vec::new();
    for (effect, origin) in &answer.statements {
        let is_it = |s: &&Statement| s.effect == *effect && s.origin == *origin;
        let found = own
            .into_iter()
            .flat_map(policies)
            .flat_map(|p| &p.statements)
            .find(is_it)
            .or_else(|| {
                model
                    .roles
                    .iter()
                    .flat_map(policies)
                    .flat_map(|p| &p.statements)
                    .find(is_it)
            });
        if let Some(statement) = found
            && !out.iter().any(|s| std::ptr::eq(*s, statement))
        {
            out.push(statement);
        }
    }
    out
}

fn resources_written(statement: &Statement) -> Vec<String> {
    match &statement.resources {
        Resources::Only(list) => list.iter().map(Text::written).collect(),
        Resources::AllBut(list) => list
            .iter()
            .map(|t| format!("not {}", t.written()))
            .collect(),
    }
}

fn condition_written(condition: &Condition) -> String {
    let values: Vec<String> = condition.values.iter().map(Text::written).collect();
    format!(
        "{} {} {}",
        condition.operator,
        condition.key,
        values.join(", ")
    )
}

/// The actions, with those a deciding statement's pattern names all of
/// written as that pattern.
fn compact_actions(actions: &[&String], statements: &[&Statement]) -> Vec<String> {
    let catalog = Catalog::get();
    let mut left: BTreeSet<String> = actions.iter().map(|a| a.to_string()).collect();
    let mut out = Vec::new();
    for statement in statements {
        let Actions::Only(patterns) = &statement.actions else {
            continue;
        };
        for pattern in patterns.iter().filter(|p| p.contains(['*', '?'])) {
            let named: Vec<String> = catalog
                .actions_matching(pattern)
                .iter()
                .map(|a| a.full_name())
                .collect();
            if named.len() > 1 && named.iter().all(|a| left.contains(a)) {
                for a in &named {
                    left.remove(a);
                }
                out.push(pattern.clone());
            }
        }
    }
    out.extend(left);
    out
}

#[cfg(test)]
mod tests;
