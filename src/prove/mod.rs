//! Proofs of what a program promises: `expect` properties and the
//! isolation every `$<sub>` folder implies, decided before deploy.
//!
//! A property is about every caller, every role a caller can get and every
//! request: no finite test covers it. The prover works on the access model
//! of `idpc can` ([`crate::access::model::Model`]) and decides on the
//! patterns' meaning (`glob`): "proven" only when no statement of any
//! role a caller can get may allow a request the property forbids (an
//! over-approximation: conditions are taken as satisfiable, denies as not
//! applying), "refuted" only with a concrete counterexample that `idpc can`
//! replays as allowed, and "unknown" otherwise, with the reason. A roles
//! idpc cannot see, or a managed policy it has no document for, makes a
//! property unknown, never proven.

mod callers;
pub(crate) mod glob;
mod only_via;
pub mod report;
pub(crate) mod smt;
mod witness;
use witness::{acts_on, deployed_as, instantiate, is_write, sample_arn, spelled, spelling};

use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::access::cognito::{Caller, CallerKind};
use crate::access::model::{Model, RoleRef};
use crate::access::policy::{Actions, Effect, Origin, Resources, Statement};
use crate::access::text::{Concrete, Text};
use crate::source::Span;
use callers::{CallerClass, classes};
use glob::{Letter, aligned, letters, may_meet};

/// Who a `cannot` property is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Who {
    /// Guests of the pools.
    Guests,
    /// Signed-in users of the pools.
    SignedIn,
    /// Guests and signed-in users.
    Anyone,
    /// Whoever holds the role.
    Role(String),
}

/// One condition of `only via`: a token claim, a match type
/// (`Equals`, `NotEqual`, `Contains`, `StartsWith`) and a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claim {
    /// The claim's name.
    pub claim: String,
    /// The match type, as role mappings spell it.
    pub match_type: String,
    /// The value.
    pub value: String,
}

/// What a property says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PropertyKind {
    /// No caller reaches another identity's resources these patterns name
    /// (`$<sub>` = the other's id). `writes_only`: only write access counts
    /// (a `protected/` folder, which everyone may read).
    Isolated {
        /// The patterns.
        patterns: Vec<Text>,
        /// Only write access counts.
        writes_only: bool,
    },
    /// No caller of the kind may make the requests.
    Cannot {
        /// Who.
        who: Who,
        /// Only through this pool.
        pool: Option<String>,
        /// The actions (patterns, as IAM matches them).
        actions: Vec<String>,
        /// The resources (`$<sub>` = the caller's id).
        resources: Vec<Text>,
    },
    /// The role is handed out only to callers one of the claims describes.
    OnlyVia {
        /// The role's logical ID.
        role: String,
        /// The alternatives (any one suffices).
        alternatives: Vec<Claim>,
    },
}

/// A property, where it is said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Property {
    /// What it says.
    pub kind: PropertyKind,
    /// The `expect` line, or the statement that implies it.
    pub span: Option<Span>,
    /// Whether no `expect` wrote it (the isolation a `$<sub>` folder
    /// implies).
    pub implicit: bool,
    /// The property in the language's words, for messages.
    pub text: String,
}

/// A request a property forbids that the stack allows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counterexample {
    /// Who asks (pool, guest or signed in with claims, identity id).
    pub caller: Caller,
    /// For isolation: the other identity, whose resource it is.
    pub victim: Option<String>,
    /// The action.
    pub action: String,
    /// The resource.
    pub resource: Concrete,
    /// The role the caller gets.
    pub role: Option<String>,
    /// The statement that allows it.
    pub statement: Option<Origin>,
    /// The names the deployment gives deploy-time values for the
    /// counterexample to hold (`$(Files.Arn)` = `arn:aws:s3:::files`);
    /// empty when it holds whatever they are.
    pub deployment: Vec<(String, String)>,
    /// The request's context keys and their values (the solver's), as
    /// `idpc can` was asked; empty for none.
    pub context: Vec<(String, String)>,
}

/// The result for one property.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// It holds for every caller and request.
    Proven,
    /// It does not: a request `idpc can` allows.
    Refuted(Box<Counterexample>),
    /// idpc could not decide, and why.
    Unknown(String),
}

/// A property's result and how long it took.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proof {
    /// The property.
    pub property: Property,
    /// Its result.
    pub outcome: Outcome,
    /// The time spent.
    pub took: Duration,
}

/// The most solver runs one property may take: past them it is unknown.
const SOLVER_RUNS: usize = 64;

/// The identity id of the caller in counterexamples.
pub const CALLER_ID: &str = "us-east-1:00000000-0000-0000-0000-000000000001";
/// The identity id of the other caller, whose resources isolation protects.
pub const OTHER_ID: &str = "us-east-1:00000000-0000-0000-0000-000000000002";

/// Proves each property.
pub fn prove_all(model: &Model, properties: Vec<Property>) -> Vec<Proof> {
    let prover = Prover::new(model);
    properties
        .into_iter()
        .map(|property| {
            let started = Instant::now();
            let outcome = prover.prove(&property);
            Proof {
                property,
                outcome,
                took: started.elapsed(),
            }
        })
        .collect()
}

/// Proves one property.
pub fn prove(model: &Model, property: &Property) -> Outcome {
    Prover::new(model).prove(property)
}

/// A role's allow statement, read once for every property.
pub(crate) struct Allow<'m> {
    pub(crate) statement: &'m Statement,
    /// Its resource patterns' letters (`None`: `NotResource`).
    patterns: Vec<Option<Vec<Letter>>>,
    /// The catalog actions it allows.
    pub(crate) actions: Vec<String>,
    /// Whether one of them writes.
    writes: bool,
}

/// What proving needs of a model, worked out once.
pub(crate) struct Prover<'m> {
    pub(crate) model: &'m Model,
    /// Every kind of caller, with the role each gets.
    classes: Vec<CallerClass>,
    /// One class per role a caller can get (the first found), in order.
    by_role: Vec<CallerClass>,
    /// Each role's allow statements.
    allows: HashMap<String, Vec<Allow<'m>>>,
    /// The model in a deployment that names every deploy-time value.
    deployed: OnceCell<(Model, Vec<(String, String)>)>,
    /// Whether an action acts on an ARN like a sample.
    acting: RefCell<HashMap<(String, String), bool>>,
}

impl<'m> Prover<'m> {
    fn new(model: &'m Model) -> Prover<'m> {
        let mut allows: HashMap<String, Vec<Allow<'m>>> = HashMap::new();
        for role in &model.roles {
            let read = role
                .policies
                .iter()
                .flat_map(|p| &p.statements)
                .filter(|s| s.effect == Effect::Allow)
                .map(|statement| {
                    let actions = candidate_actions(statement, &[]);
                    Allow {
                        statement,
                        patterns: resource_patterns(statement)
                            .into_iter()
                            .map(|p| p.map(letters))
                            .collect(),
                        writes: actions.iter().any(|a| witness::is_write(a))
                            || matches!(statement.actions, Actions::AllBut(_)),
                        actions,
                    }
                })
                .collect();
            allows.insert(role.id.clone(), read);
        }
        let classes = classes(model, None);
        let mut seen: std::collections::HashSet<&RoleRef> = std::collections::HashSet::new();
        let by_role = classes
            .iter()
            .filter(|c| seen.insert(&c.role))
            .cloned()
            .collect();
        Prover {
            model,
            by_role,
            classes,
            allows,
            deployed: OnceCell::new(),
            acting: RefCell::new(HashMap::new()),
        }
    }

    fn prove(&self, property: &Property) -> Outcome {
        match &property.kind {
            PropertyKind::Isolated {
                patterns,
                writes_only,
            } => self.isolated(patterns, *writes_only),
            PropertyKind::Cannot {
                who,
                pool,
                actions,
                resources,
            } => self.cannot(who, pool.as_deref(), actions, resources),
            PropertyKind::OnlyVia { role, alternatives } => {
                only_via::prove(self.model, role, alternatives)
            }
        }
    }

    /// The model with every deploy-time value named, and the names.
    pub(crate) fn deployed(&self) -> &(Model, Vec<(String, String)>) {
        self.deployed.get_or_init(|| witness::deployed(self.model))
    }

    /// Whether `action` acts on ARNs like `sample`.
    pub(crate) fn acts_on(&self, action: &str, sample: &str) -> bool {
        let key = (action.to_string(), sample.to_string());
        if let Some(known) = self.acting.borrow().get(&key) {
            return *known;
        }
        let answer = witness::acts_on(action, sample);
        self.acting.borrow_mut().insert(key, answer);
        answer
    }

    /// One class per role the callers can get (the first found), in order.
    fn roles(&self) -> &[CallerClass] {
        &self.by_role
    }

    fn allows_of(&self, class: &CallerClass) -> &[Allow<'m>] {
        match &class.role {
            RoleRef::Role(id) => self.allows.get(id).map_or(&[], Vec::as_slice),
            RoleRef::Outside(_) => &[],
        }
    }

    /// `expect isolated`.
    fn isolated(&self, patterns: &[Text], writes_only: bool) -> Outcome {
        let mut open: Option<String> = None;
        let mut solver_runs = 0;
        for class in self.roles() {
            if let Some(why) = hidden(self.model, class) {
                open.get_or_insert(why);
            }
            for pattern in patterns {
                for allow in self.reaching(class, pattern, writes_only) {
                    if let Some(found) =
                        witness::witness(self, class, allow.statement, pattern, None, writes_only)
                    {
                        return Outcome::Refuted(Box::new(found));
                    }
                    // Once the property is open anyway, the solver could
                    // only refute it: not worth a run per statement.
                    if open.is_some() {
                        continue;
                    }
                    // The solver is asked per action; a `NotAction` statement
                    // allows actions idpc does not list.
                    if matches!(allow.statement.actions, Actions::AllBut(_)) {
                        open = Some(format!(
                            "a `NotAction` statement of {} may reach it, and idpc does not ask the solver about every action it allows",
                            allow.statement.origin.holder
                        ));
                        continue;
                    }
                    solver_runs += 1;
                    if solver_runs > SOLVER_RUNS {
                        open = Some(format!(
                            "more statements may reach the folders than the {SOLVER_RUNS} idpc asks the solver about"
                        ));
                        continue;
                    }
                    let forbidden = Forbidden {
                        pattern,
                        writes_only,
                        wanted: None,
                    };
                    match settle(self.model, class, allow.statement, &forbidden) {
                        Outcome::Proven => {}
                        Outcome::Refuted(found) => return Outcome::Refuted(found),
                        Outcome::Unknown(why) => {
                            open.get_or_insert(why);
                        }
                    }
                }
            }
        }
        open.map_or(Outcome::Proven, Outcome::Unknown)
    }

    /// The class's allow statements that may reach ARNs `pattern` matches
    /// with another identity's id, with an action that acts on them.
    fn reaching<'a>(
        &'a self,
        class: &CallerClass,
        pattern: &Text,
        writes_only: bool,
    ) -> Vec<&'a Allow<'m>> {
        let theirs = letters(pattern);
        let sample = witness::sample_arn(self.model, &witness::instantiate(pattern, OTHER_ID, "x"));
        let service = sample.split(':').nth(2).unwrap_or_default();
        let same_service = |a: &&String| {
            a.split_once(':')
                .is_some_and(|(prefix, _)| prefix == service)
        };
        self.allows_of(class)
            .iter()
            .filter(|allow| !writes_only || allow.writes)
            .filter(|allow| {
                allow.patterns.iter().any(|own| match own {
                    None => true,
                    Some(own) => {
                        aligned(own, &theirs).is_none()
                            && may_meet(own, &theirs, &self.model.whole_names)
                    }
                })
            })
            // `NotAction` allows all but some: it may act on anything.
            .filter(|allow| {
                matches!(allow.statement.actions, Actions::AllBut(_))
                    || allow
                        .actions
                        .iter()
                        .filter(same_service)
                        .any(|a| self.acts_on(a, &sample))
            })
            .collect()
    }

    /// `expect WHO cannot ACTIONS on RESOURCES`.
    fn cannot(
        &self,
        who: &Who,
        pool: Option<&str>,
        actions: &[String],
        resources: &[Text],
    ) -> Outcome {
        let mut open: Option<String> = None;
        let mut solver_runs = 0;
        for class in self
            .classes
            .iter()
            .filter(|c| pool.is_none_or(|p| c.pool == p) && c.is(who))
        {
            if let Some(why) = hidden(self.model, class) {
                open.get_or_insert(why);
            }
            for allow in self.allows_of(class) {
                if !actions
                    .iter()
                    .any(|w| allow.actions.iter().any(|a| crate::catalog::glob_ci(w, a)))
                    && !matches!(allow.statement.actions, Actions::AllBut(_))
                {
                    continue;
                }
                for resource in resources {
                    let wanted = letters(resource);
                    let meets = allow.patterns.iter().any(|own| {
                        own.as_ref()
                            .is_none_or(|own| may_meet(own, &wanted, &self.model.whole_names))
                    });
                    if !meets {
                        continue;
                    }
                    match witness::witness(
                        self,
                        class,
                        allow.statement,
                        resource,
                        Some(actions),
                        false,
                    ) {
                        Some(found) => return Outcome::Refuted(Box::new(found)),
                        None if open.is_some() => {}
                        None if solver_runs >= SOLVER_RUNS => {
                            open = Some(format!(
                                "more statements may reach it than the {SOLVER_RUNS} idpc asks the solver about"
                            ));
                        }
                        None => {
                            solver_runs += 1;
                            let forbidden = Forbidden {
                                pattern: resource,
                                writes_only: false,
                                wanted: Some(actions),
                            };
                            match settle(self.model, class, allow.statement, &forbidden) {
                                Outcome::Proven => {}
                                Outcome::Refuted(found) => return Outcome::Refuted(found),
                                Outcome::Unknown(why) => open = Some(why),
                            }
                        }
                    }
                }
            }
        }
        open.map_or(Outcome::Proven, Outcome::Unknown)
    }
}

/// What keeps a role's permissions from idpc's sight, if anything.
fn hidden(model: &Model, class: &CallerClass) -> Option<String> {
    let role = match &class.role {
        RoleRef::Outside(name) => {
            return Some(format!(
                "the role `{name}` is outside the stack: idpc cannot see its policies"
            ));
        }
        RoleRef::Role(id) => model.role(id)?,
    };
    if let Some(policy) = role.unknown_policies.first() {
        return Some(format!(
            "role `{}` has the managed policy `{policy}`, whose document idpc does not have",
            role.id
        ));
    }
    role.unread
        .first()
        .map(|what| format!("idpc could not read {what}"))
}

pub(crate) fn resource_patterns(statement: &Statement) -> Vec<Option<&Text>> {
    match &statement.resources {
        Resources::Only(texts) => texts.iter().map(Some).collect(),
        // Everything but some: it may meet anything.
        Resources::AllBut(_) => vec![None],
    }
}

/// What the solver says of a statement the glob decision could not clear
/// and no built request refuted: proven when no request of the
/// statement's actions reaches what the property forbids, refuted when
/// the solver's request replays as allowed in `idpc can`, else unknown.
/// The actions are asked in groups, by the deny statements that name them.
fn settle(
    model: &Model,
    class: &CallerClass,
    statement: &Statement,
    forbidden: &Forbidden<'_>,
) -> Outcome {
    let Forbidden {
        pattern,
        writes_only,
        wanted,
    } = *forbidden;
    // Isolation: `$<sub>` in the pattern is another identity's id; `cannot`:
    // the caller's own, and only the actions the property names count.
    let denies = exact_denies(model, class);
    let id = if wanted.is_some() {
        CALLER_ID
    } else {
        OTHER_ID
    };
    let sample = sample_arn(model, &instantiate(pattern, id, "x"));
    let actions = candidate_actions(statement, wanted.unwrap_or(&[]))
        .into_iter()
        .filter(|a| acts_on(a, &sample) && (!writes_only || is_write(a)));
    let mut open = None;
    for (denying, actions) in by_denies(actions, &denies) {
        let mut query = smt::Query {
            theirs: letters(pattern),
            same_id: wanted.is_some(),
            allows: vec![solver_statement(statement)],
            denies: denying
                .iter()
                .map(|&i| solver_statement(denies[i]))
                .collect(),
            spellings: Vec::new(),
            whole: model.whole_names.clone(),
        };
        query.spellings = query
            .opaque_names()
            .into_iter()
            .map(|name| {
                let value = spelling(model, &name);
                (name, value)
            })
            .collect();
        let why = match smt::decide(&query) {
            smt::Answer::Unsat => continue,
            smt::Answer::Sat {
                arn,
                own,
                theirs,
                context,
                deployment,
            } => {
                let ask = Replay {
                    class,
                    own,
                    theirs: wanted.is_none().then_some(theirs),
                    context,
                    deployment,
                };
                match ask.replay(model, &arn, &actions) {
                    Some(found) => return Outcome::Refuted(Box::new(found)),
                    None => format!(
                        "{}; the solver's counterexample does not replay",
                        unreplayed(statement)
                    ),
                }
            }
            smt::Answer::Unknown(why) => format!("{}; the solver: {why}", unreplayed(statement)),
        };
        open.get_or_insert(why);
    }
    open.map_or(Outcome::Proven, Outcome::Unknown)
}

/// What a property forbids: requests on ARNs `pattern` matches (with
/// another identity's id, for isolation), of writes only, or of the actions
/// `wanted` names (`cannot`).
#[derive(Clone, Copy)]
struct Forbidden<'a> {
    pattern: &'a Text,
    writes_only: bool,
    wanted: Option<&'a [String]>,
}

/// The actions in groups, by the deny statements (their indexes) that name
/// them.
fn by_denies(
    actions: impl Iterator<Item = String>,
    denies: &[&Statement],
) -> Vec<(Vec<usize>, Vec<String>)> {
    let mut groups: Vec<(Vec<usize>, Vec<String>)> = Vec::new();
    for action in actions {
        let denying: Vec<usize> = (0..denies.len())
            .filter(|&i| denies_action(denies[i], &action))
            .collect();
        match groups.iter_mut().find(|(d, _)| *d == denying) {
            Some((_, actions)) => actions.push(action),
            None => groups.push((denying, vec![action])),
        }
    }
    groups
}

/// A statement as the solver reads it.
fn solver_statement(s: &Statement) -> smt::SolverStatement {
    smt::SolverStatement {
        resources: match &s.resources {
            Resources::Only(texts) => texts.iter().map(letters).collect(),
            Resources::AllBut(_) => Vec::new(),
        },
        // A `NotResource` pattern with a policy variable but `$<sub>` is
        // left out (the letters read the variable as any text, which would
        // exclude too much): the statement then applies to more.
        not_resources: match &s.resources {
            Resources::AllBut(texts) => Some(
                texts
                    .iter()
                    .filter(|t| exact_text(t))
                    .map(letters)
                    .collect(),
            ),
            Resources::Only(_) => None,
        },
        conditions: s.conditions.clone(),
    }
}

/// Whether a pattern holds no policy variable but `$<sub>`.
fn exact_text(text: &Text) -> bool {
    text.pieces.iter().all(|p| match p {
        crate::access::text::Piece::Var { key, .. } => key.eq_ignore_ascii_case(glob::SUB),
        _ => true,
    })
}

/// The class's role's deny statements the solver may count on.
fn exact_denies<'m>(model: &'m Model, class: &CallerClass) -> Vec<&'m Statement> {
    match &class.role {
        RoleRef::Role(id) => model
            .role(id)
            .into_iter()
            .flat_map(|r| &r.policies)
            .flat_map(|p| &p.statements)
            .filter(|s| s.effect == Effect::Deny && exact_deny(s))
            .collect(),
        RoleRef::Outside(_) => Vec::new(),
    }
}

/// Whether a deny statement is one the solver may count on: it surely
/// exists (no stack condition), and its resources hold no policy variable
/// but `$<sub>` (the glob letters read any other as any text, which a
/// deny may not). Leaving a deny out only lets more through.
fn exact_deny(statement: &Statement) -> bool {
    let texts = match &statement.resources {
        Resources::Only(t) | Resources::AllBut(t) => t,
    };
    statement.stack_condition.is_none() && texts.iter().all(exact_text)
}

/// Whether a deny statement names the action (IAM matches actions ignoring
/// case).
fn denies_action(statement: &Statement, action: &str) -> bool {
    match &statement.actions {
        Actions::Only(p) => p.iter().any(|p| crate::catalog::glob_ci(p, action)),
        Actions::AllBut(p) => !p.iter().any(|p| crate::catalog::glob_ci(p, action)),
    }
}

/// A solver's request, replayed through `idpc can`.
struct Replay<'a> {
    class: &'a CallerClass,
    own: String,
    /// The other identity, for isolation.
    theirs: Option<String>,
    context: Vec<(String, String)>,
    deployment: Vec<(String, String)>,
}

impl Replay<'_> {
    /// The counterexample, if `idpc can` allows one of the actions: on the
    /// ARN as it is (deploy-time values kept), else in the deployment the
    /// solver chose.
    fn replay(&self, model: &Model, arn: &Concrete, actions: &[String]) -> Option<Counterexample> {
        let mut context = crate::access::eval::Context::new();
        for (key, value) in &self.context {
            context.set(key, vec![Concrete::literal(value)]);
        }
        let caller = self.class.caller(&self.own);
        let named = deployed_as(model, &self.deployment);
        let spelled_arn = spelled(arn, &self.deployment);
        let tries = [(model, arn, false), (&named, &spelled_arn, true)];
        for (model, resource, in_deployment) in tries {
            for action in actions.iter().take(8) {
                let answer =
                    crate::access::cognito::can(model, &caller, action, resource, &context);
                if answer.decision == crate::access::eval::Decision::Allow
                    && answer.role.as_ref() == Some(&self.class.role)
                {
                    return Some(Counterexample {
                        caller,
                        victim: self.theirs.clone(),
                        action: action.clone(),
                        resource: resource.clone(),
                        role: Some(self.class.role.name().to_string()),
                        statement: answer.statements.first().map(|(_, o)| o.clone()),
                        deployment: match in_deployment {
                            true => self.deployment.clone(),
                            false => Vec::new(),
                        },
                        context: self.context.clone(),
                    });
                }
            }
        }
        None
    }
}

fn unreplayed(statement: &Statement) -> String {
    format!(
        "a statement of {} may reach it, but no request idpc built from it is allowed (a condition, a deny or a deploy-time value may stop it)",
        statement.origin.holder
    )
}

/// The catalog actions a statement allows that the property names (all of
/// them for isolation), the ones written out first, then reads and writes
/// of objects (`Get...`, `Put...`), then the rest.
pub(crate) fn candidate_actions(statement: &Statement, wanted: &[String]) -> Vec<String> {
    let catalog = crate::catalog::Catalog::get();
    let named: Vec<String> = match &statement.actions {
        Actions::Only(patterns) => patterns
            .iter()
            .flat_map(|p| catalog.actions_matching(p))
            .map(|a| a.full_name())
            .collect(),
        Actions::AllBut(but) => wanted
            .iter()
            .flat_map(|p| catalog.actions_matching(p))
            .map(|a| a.full_name())
            .filter(|a| !but.iter().any(|b| crate::catalog::glob_ci(b, a)))
            .collect(),
    };
    let written: Vec<&str> = match &statement.actions {
        Actions::Only(patterns) => patterns.iter().map(String::as_str).collect(),
        Actions::AllBut(_) => Vec::new(),
    };
    let mut out: Vec<String> = named
        .into_iter()
        .filter(|a| wanted.is_empty() || wanted.iter().any(|w| crate::catalog::glob_ci(w, a)))
        .collect();
    let rank = |a: &String| {
        let name = a.split_once(':').map_or(a.as_str(), |(_, n)| n);
        if written.iter().any(|w| w.eq_ignore_ascii_case(a)) {
            0
        } else if name.starts_with("Get") {
            1
        } else if name.starts_with("Put") {
            2
        } else {
            3
        }
    };
    out.sort_by_key(rank);
    out.dedup();
    out
}

/// The properties a checked program writes (`expect` lines).
pub fn written(checked: &crate::check::Checked) -> Vec<Property> {
    use crate::check::ir::{ExpectKind, Who as Said};
    let texts = |resources: &[crate::check::ir::ResourceDef]| -> Vec<Text> {
        resources
            .iter()
            .filter_map(|r| crate::access::load::pattern(r).ok())
            .collect()
    };
    checked
        .expectations()
        .iter()
        .map(|expectation| {
            let kind = match &expectation.kind {
                ExpectKind::Isolated { resources } => PropertyKind::Isolated {
                    patterns: texts(resources),
                    writes_only: false,
                },
                ExpectKind::Cannot {
                    who,
                    pool,
                    actions,
                    resources,
                } => PropertyKind::Cannot {
                    who: match who {
                        Said::Guests => Who::Guests,
                        Said::SignedIn => Who::SignedIn,
                        Said::Anyone => Who::Anyone,
                        Said::Role(role) => Who::Role(role.clone()),
                    },
                    pool: pool.clone(),
                    actions: actions.clone(),
                    resources: texts(resources),
                },
                ExpectKind::OnlyVia { role, alternatives } => PropertyKind::OnlyVia {
                    role: role.clone(),
                    alternatives: alternatives
                        .iter()
                        .map(|(claim, op, value)| Claim {
                            claim: claim.clone(),
                            match_type: op.to_iam().to_string(),
                            value: value.pieces.iter().map(|p| p.written()).collect(),
                        })
                        .collect(),
                },
            };
            Property {
                kind,
                span: Some(expectation.span),
                implicit: false,
                text: expectation
                    .text
                    .strip_prefix("expect ")
                    .unwrap_or(&expectation.text)
                    .to_string(),
            }
        })
        .collect()
}

/// `written`, then the isolation the model's folders imply ([`implicit`])
/// but those a written `expect isolated` already states.
pub fn with_implied(model: &Model, mut written: Vec<Property>) -> Vec<Property> {
    let shown_all = |kind: &PropertyKind| match kind {
        PropertyKind::Isolated { patterns, .. } => patterns.iter().map(shown).collect(),
        _ => Vec::new(),
    };
    let explicit: Vec<String> = written.iter().flat_map(|p| shown_all(&p.kind)).collect();
    written.extend(
        implicit(model)
            .into_iter()
            .filter(|p| !shown_all(&p.kind).iter().all(|s| explicit.contains(s))),
    );
    written
}

/// The isolation each `$<sub>` folder implies: for every allow statement's
/// resource that holds `$<sub>`, its start through the path segment of the
/// first `$<sub>`, then anything (`Files/private/$<sub>/*`). Under
/// `protected/` only writes count (everyone may read there, by the Amplify
/// convention W0606 follows).
pub fn implicit(model: &Model) -> Vec<Property> {
    let mut seen: Vec<Text> = Vec::new();
    let mut out = Vec::new();
    for statement in model
        .roles
        .iter()
        .flat_map(|r| &r.policies)
        .flat_map(|p| &p.statements)
    {
        if statement.effect != Effect::Allow {
            continue;
        }
        for pattern in resource_patterns(statement).into_iter().flatten() {
            let Some(folder) = folder_of(pattern) else {
                continue;
            };
            if seen.contains(&folder) {
                continue;
            }
            seen.push(folder.clone());
            let writes_only = folder.written().contains("/protected/");
            out.push(Property {
                text: format!("isolated {}", shown(&folder)),
                kind: PropertyKind::Isolated {
                    patterns: vec![folder],
                    writes_only,
                },
                span: statement.origin.span,
                implicit: true,
            });
        }
    }
    out
}

/// A pattern's folder: through the segment of its first `$<sub>`, then `*`.
fn folder_of(pattern: &Text) -> Option<Text> {
    use crate::access::text::Piece;
    let at = pattern
        .pieces
        .iter()
        .position(|p| matches!(p, Piece::Var { key, .. } if key.eq_ignore_ascii_case(glob::SUB)))?;
    let mut folder = Text {
        pieces: pattern.pieces[..=at].to_vec(),
    };
    // The rest of the id's segment, up to its `/`.
    for piece in &pattern.pieces[at + 1..] {
        match piece {
            Piece::Lit(lit) => {
                let end = lit.find('/').unwrap_or(lit.len());
                folder.pieces.push(Piece::Lit(lit[..end].to_string()));
                if end < lit.len() {
                    break;
                }
            }
            other => folder.pieces.push(other.clone()),
        }
    }
    folder.pieces.push(Piece::Lit("/*".to_string()));
    Some(folder)
}

/// A pattern as the language writes it (`$<sub>`).
pub fn shown(pattern: &Text) -> String {
    let written = pattern
        .written()
        .replace("${cognito-identity.amazonaws.com:sub}", "$<sub>");
    // `$(Media.Arn)/private/...` is the language's `Media/private/...`.
    match written
        .strip_prefix("$(")
        .and_then(|rest| rest.split_once(".Arn)"))
    {
        Some((id, rest)) if !id.contains(['(', ')', '.']) => format!("{id}{rest}"),
        _ => written,
    }
}

/// Who a caller is, in words.
pub fn caller_words(caller: &Caller) -> String {
    match &caller.kind {
        CallerKind::Guest => format!("a guest of `{}`", caller.pool),
        CallerKind::SignedIn { claims, .. } if claims.is_empty() => {
            format!("a user signed in to `{}`", caller.pool)
        }
        CallerKind::SignedIn { claims, .. } => {
            let claims: Vec<String> = claims
                .iter()
                .map(|(k, v)| format!("{k} = \"{v}\""))
                .collect();
            format!(
                "a user signed in to `{}` with {}",
                caller.pool,
                claims.join(", ")
            )
        }
    }
}
