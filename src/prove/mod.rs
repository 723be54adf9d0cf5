//! Proofs of what a program promises: `expect` properties and the
//! isolation every `$<sub>` folder implies, decided before deploy.
//!
//! A property is about every caller, every role a caller can get and every
//! request: no finite test covers it. The prover works on the access model
//! of `idpc can` ([`crate::access::model::Model`]) and decides on the
//! patterns' meaning ([`glob`]): "proven" only when no statement of any
//! role a caller can get may allow a request the property forbids (an
//! over-approximation: conditions are taken as satisfiable, denies as not
//! applying), "refuted" only with a concrete counterexample that `idpc can`
//! replays as allowed, and "unknown" otherwise, with the reason. A roles
//! idpc cannot see, or a managed policy it has no document for, makes a
//! property unknown, never proven.

mod callers;
pub(crate) mod glob;
mod only_via;
// Until the encoding lands, the interface is read by no one.
#[allow(dead_code)]
pub(crate) mod smt;

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

/// The identity id of the caller in counterexamples.
pub const CALLER_ID: &str = "us-east-1:00000000-0000-0000-0000-000000000001";
/// The identity id of the other caller, whose resources isolation protects.
pub const OTHER_ID: &str = "us-east-1:00000000-0000-0000-0000-000000000002";

/// Proves each property.
pub fn prove_all(model: &Model, properties: Vec<Property>) -> Vec<Proof> {
    properties
        .into_iter()
        .map(|property| {
            let started = Instant::now();
            let outcome = prove(model, &property);
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
    match &property.kind {
        PropertyKind::Isolated {
            patterns,
            writes_only,
        } => isolated(model, patterns, *writes_only),
        PropertyKind::Cannot {
            who,
            pool,
            actions,
            resources,
        } => cannot(model, who, pool.as_deref(), actions, resources),
        PropertyKind::OnlyVia { role, alternatives } => only_via::prove(model, role, alternatives),
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

/// The allow statements of the class's role.
fn allows<'m>(model: &'m Model, class: &CallerClass) -> Vec<&'m Statement> {
    let RoleRef::Role(id) = &class.role else {
        return Vec::new();
    };
    model
        .role(id)
        .into_iter()
        .flat_map(|r| &r.policies)
        .flat_map(|p| &p.statements)
        .filter(|s| s.effect == Effect::Allow)
        .collect()
}

fn resource_patterns(statement: &Statement) -> Vec<Option<&Text>> {
    match &statement.resources {
        Resources::Only(texts) => texts.iter().map(Some).collect(),
        // Everything but some: it may meet anything.
        Resources::AllBut(_) => vec![None],
    }
}

/// `expect isolated`.
fn isolated(model: &Model, patterns: &[Text], writes_only: bool) -> Outcome {
    let mut open: Option<String> = None;
    for class in classes(model, None) {
        let statements = allows(model, &class);
        for pattern in patterns {
            let theirs = letters(pattern);
            for statement in &statements {
                if writes_only && !writes(statement) {
                    continue;
                }
                let sample = sample_arn(model, &instantiate(pattern, OTHER_ID, "x"));
                if !candidate_actions(statement, &[])
                    .iter()
                    .any(|a| acts_on(a, &sample))
                {
                    continue;
                }
                for own in resource_patterns(statement) {
                    let meets = match own.map(letters) {
                        None => true,
                        Some(own) => match aligned(&own, &theirs) {
                            Some(_) => false,
                            None => may_meet(&own, &theirs),
                        },
                    };
                    if !meets {
                        continue;
                    }
                    if let Some(found) =
                        witness(model, &class, statement, pattern, None, writes_only)
                    {
                        return Outcome::Refuted(Box::new(found));
                    }
                    if let Some(why) = settle(model, &class, statement, &theirs, false) {
                        open.get_or_insert(why);
                    }
                }
            }
        }
        if let Some(why) = hidden(model, &class) {
            open.get_or_insert(why);
        }
    }
    open.map_or(Outcome::Proven, Outcome::Unknown)
}

/// What the solver says of a statement the glob decision could not clear
/// and no built request refuted: `None` when it proves the statement
/// reaches nothing the property forbids, else why the property is open.
fn settle(
    model: &Model,
    class: &CallerClass,
    statement: &Statement,
    theirs: &[Letter],
    same_id: bool,
) -> Option<String> {
    let solver_statement = |s: &Statement| smt::SolverStatement {
        resources: match &s.resources {
            Resources::Only(texts) => texts.iter().map(letters).collect(),
            Resources::AllBut(_) => Vec::new(),
        },
        not_resources: match &s.resources {
            Resources::AllBut(texts) => Some(texts.iter().map(letters).collect()),
            Resources::Only(_) => None,
        },
        conditions: s.conditions.clone(),
    };
    let denies = match &class.role {
        RoleRef::Role(id) => model
            .role(id)
            .into_iter()
            .flat_map(|r| &r.policies)
            .flat_map(|p| &p.statements)
            .filter(|s| s.effect == Effect::Deny)
            .map(solver_statement)
            .collect(),
        RoleRef::Outside(_) => Vec::new(),
    };
    let query = smt::Query {
        theirs: theirs.to_vec(),
        same_id,
        allows: vec![solver_statement(statement)],
        denies,
    };
    match smt::decide(&query) {
        smt::Answer::Unsat => None,
        smt::Answer::Sat { .. } => Some(unreplayed(statement)),
        smt::Answer::Unknown(why) => Some(format!("{}; the solver: {why}", unreplayed(statement))),
    }
}

fn unreplayed(statement: &Statement) -> String {
    format!(
        "a statement of {} may reach it, but no request idpc built from it is allowed (a condition, a deny or a deploy-time value may stop it)",
        statement.origin.holder
    )
}

/// Whether a statement allows a write-level action.
fn writes(statement: &Statement) -> bool {
    let catalog = crate::catalog::Catalog::get();
    match &statement.actions {
        Actions::Only(patterns) => patterns.iter().any(|p| {
            catalog.actions_matching(p).iter().any(|a| {
                a.access_level() != crate::catalog::AccessLevel::Read
                    && a.access_level() != crate::catalog::AccessLevel::List
            })
        }),
        Actions::AllBut(_) => true,
    }
}

/// `expect WHO cannot ACTIONS on RESOURCES`.
fn cannot(
    model: &Model,
    who: &Who,
    pool: Option<&str>,
    actions: &[String],
    resources: &[Text],
) -> Outcome {
    let mut open: Option<String> = None;
    for class in classes(model, pool).into_iter().filter(|c| c.is(who)) {
        if let Some(why) = hidden(model, &class) {
            open.get_or_insert(why);
        }
        for statement in allows(model, &class) {
            if candidate_actions(statement, actions).is_empty() {
                continue;
            }
            for resource in resources {
                let wanted = own_letters(resource);
                let meets = resource_patterns(statement)
                    .into_iter()
                    .any(|own| own.is_none_or(|own| may_meet(&letters(own), &wanted)));
                if !meets {
                    continue;
                }
                match witness(model, &class, statement, resource, Some(actions), false) {
                    Some(found) => return Outcome::Refuted(Box::new(found)),
                    None => {
                        open.get_or_insert_with(|| unreplayed(statement));
                    }
                }
            }
        }
    }
    open.map_or(Outcome::Proven, Outcome::Unknown)
}

/// The letters of a property's resource about the caller's own id: the
/// id is one value, met by the statement's `$<sub>` (a run, as in
/// [`may_meet`]).
fn own_letters(text: &Text) -> Vec<Letter> {
    letters(text)
}

/// The catalog actions a statement allows that the property names (all of
/// them for isolation), in catalog order, at most a few.
fn candidate_actions(statement: &Statement, wanted: &[String]) -> Vec<String> {
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
    let mut out: Vec<String> = named
        .into_iter()
        .filter(|a| wanted.is_empty() || wanted.iter().any(|w| crate::catalog::glob_ci(w, a)))
        .collect();
    out.dedup();
    out
}

/// A request the property forbids that `idpc can` allows, built from the
/// statement and the property's pattern: first the ARN both may match
/// ([`glob::meeting_word`]), then the pattern with each `*` standing for a
/// few texts (a name, nothing, the caller's id and a name); `$<sub>` is
/// the other's id (isolation) or the caller's. Each is asked as it is, then
/// in a deployment where every deploy-time value has a name.
fn witness(
    model: &Model,
    class: &CallerClass,
    statement: &Statement,
    pattern: &Text,
    actions: Option<&[String]>,
    writes_only: bool,
) -> Option<Counterexample> {
    let isolation = actions.is_none();
    let id_in_pattern = if isolation { OTHER_ID } else { CALLER_ID };
    let mut resources = Vec::new();
    let theirs = letters(pattern);
    for own in resource_patterns(statement).into_iter().flatten() {
        if let Some(word) = glob::meeting_word(&theirs, &letters(own)) {
            let found = concrete(&word, id_in_pattern);
            // An object rather than a folder marker, when the patterns allow.
            if found.to_string().ends_with('/') {
                let mut named = found.clone();
                named.push_str("x");
                resources.push(named);
            }
            resources.push(found);
        }
    }
    for fill in [
        "x",
        "",
        &format!("{CALLER_ID}/x"),
        &format!("x/{CALLER_ID}/x"),
    ] {
        resources.push(instantiate(pattern, id_in_pattern, fill));
    }
    let ask = Ask {
        class,
        statement,
        actions,
        writes_only,
        every: pattern.written() == "*",
        caller: class.caller(CALLER_ID),
    };
    let (named, names) = deployed(model);
    resources.iter().find_map(|resource| {
        ask.replay(model, resource, model).or_else(|| {
            let mut found = ask.replay(&named, &spelled(resource, &names), model)?;
            found.deployment = names.clone();
            Some(found)
        })
    })
}

/// What a witness asks `idpc can`.
struct Ask<'a> {
    class: &'a CallerClass,
    statement: &'a Statement,
    actions: Option<&'a [String]>,
    writes_only: bool,
    /// The property is about every resource (`*`).
    every: bool,
    caller: Caller,
}

impl Ask<'_> {
    /// The counterexample on `resource`, if `idpc can` allows one of the
    /// statement's actions the property is about. `types`: the model whose
    /// resource types tell what an action acts on.
    fn replay(&self, model: &Model, resource: &Concrete, types: &Model) -> Option<Counterexample> {
        let sample = sample_arn(types, resource);
        let acting = candidate_actions(self.statement, self.actions.unwrap_or(&[]))
            .into_iter()
            .filter(|a| self.every || acts_on(a, &sample))
            .filter(|a| !self.writes_only || is_write(a))
            .take(8);
        for action in acting {
            let answer = crate::access::cognito::can(
                model,
                &self.caller,
                &action,
                resource,
                &crate::access::eval::Context::new(),
            );
            if answer.decision == crate::access::eval::Decision::Allow
                && answer.role.as_ref() == Some(&self.class.role)
            {
                return Some(Counterexample {
                    caller: self.caller.clone(),
                    victim: self.actions.is_none().then(|| OTHER_ID.to_string()),
                    action,
                    resource: resource.clone(),
                    role: Some(self.class.role.name().to_string()),
                    statement: answer
                        .statements
                        .first()
                        .map(|(_, o)| o.clone())
                        .or(Some(self.statement.origin.clone())),
                    deployment: Vec::new(),
                });
            }
        }
        None
    }
}

/// The model with every deploy-time value of its permission policies
/// spelled (trust policies keep theirs: the pool's id stays the pool's),
/// and the spellings.
fn deployed(model: &Model) -> (Model, Vec<(String, String)>) {
    use crate::access::text::Piece;
    let mut names: Vec<(String, String)> = Vec::new();
    let mut named = model.clone();
    for role in &mut named.roles {
        for policy in &mut role.policies {
            for statement in &mut policy.statements {
                let texts: Vec<&mut Text> = match &mut statement.resources {
                    Resources::Only(t) | Resources::AllBut(t) => t.iter_mut().collect(),
                };
                let values = statement
                    .conditions
                    .iter_mut()
                    .flat_map(|c| c.values.iter_mut());
                for text in texts.into_iter().chain(values) {
                    for piece in std::mem::take(&mut text.pieces) {
                        let Piece::Opaque(name) = piece else {
                            text.pieces.push(piece);
                            continue;
                        };
                        let value = spelling(model, &name);
                        if !names.iter().any(|(n, _)| *n == name) {
                            names.push((name.clone(), value.clone()));
                        }
                        text.pieces.extend(value.chars().map(Piece::Exact));
                    }
                }
            }
        }
    }
    (named, names)
}

/// A deploy-time value as one deployment may spell it: a bucket's ARN
/// with its logical ID, lower-cased, as its name.
fn spelling(model: &Model, opaque: &str) -> String {
    let inner = opaque.trim_start_matches("$(").trim_end_matches(')');
    let (id, attribute) = inner.split_once('.').unwrap_or((inner, ""));
    let name = id
        .to_ascii_lowercase()
        .replace(|c: char| !c.is_ascii_alphanumeric(), "-");
    let example = example_of(model, opaque);
    if attribute == "Arn" && example.starts_with("arn:aws:s3:::") {
        format!("arn:aws:s3:::{name}")
    } else if attribute == "Arn" || inner.starts_with("AWS::") {
        example
    } else {
        name
    }
}

/// `resource` with its deploy-time values spelled as in `names`.
fn spelled(resource: &Concrete, names: &[(String, String)]) -> Concrete {
    use crate::access::text::Atom;
    let mut out = Concrete::default();
    for atom in &resource.atoms {
        match atom {
            Atom::Char(c) => out.push_str(&c.to_string()),
            Atom::Opaque(name) => match names.iter().find(|(n, _)| n == name) {
                Some((_, value)) => out.push_str(value),
                None => out.push_opaque(name),
            },
        }
    }
    out
}

/// Whether an action is above read and list access.
fn is_write(action: &str) -> bool {
    use crate::catalog::AccessLevel;
    crate::catalog::Catalog::get()
        .action(action)
        .is_some_and(|a| !matches!(a.access_level(), AccessLevel::Read | AccessLevel::List))
}

/// A word of [`glob::meeting_word`] as an ARN.
fn concrete(word: &[glob::WordAtom], id: &str) -> Concrete {
    let mut out = Concrete::default();
    for atom in word {
        match atom {
            glob::WordAtom::Char(c) => out.push_str(&c.to_string()),
            glob::WordAtom::Opaque(name) => out.push_opaque(name),
            glob::WordAtom::Id => out.push_str(id),
            glob::WordAtom::OtherId => out.push_str(CALLER_ID),
        }
    }
    out
}

/// An ARN like `arn` with every deploy-time value spelled as an example
/// (a bucket's `$(X.Arn)` as a bucket's ARN), for the catalog to tell its
/// resource type.
fn sample_arn(model: &Model, arn: &Concrete) -> String {
    use crate::access::text::Atom;
    arn.atoms
        .iter()
        .map(|atom| match atom {
            Atom::Char(c) => c.to_string(),
            Atom::Opaque(name) => example_of(model, name),
        })
        .collect()
}

fn example_of(model: &Model, opaque: &str) -> String {
    let inner = opaque.trim_start_matches("$(").trim_end_matches(')');
    match inner {
        "AWS::Partition" => return "aws".into(),
        "AWS::Region" => return "us-east-1".into(),
        "AWS::AccountId" => return "123456789012".into(),
        "AWS::URLSuffix" => return "amazonaws.com".into(),
        _ => {}
    }
    let (id, attribute) = inner.split_once('.').unwrap_or((inner, ""));
    let kind = model
        .resources
        .iter()
        .find(|(r, _)| r == id)
        .and_then(|(_, t)| crate::check::kinds::kind_of_cfn_type(t));
    match (kind.and_then(crate::check::kinds::iam_arn), attribute) {
        (Some((_, arn)), "Arn") => arn.to_string(),
        _ => "example".into(),
    }
}

/// Whether `action` acts on resources like `arn` (one of its resource types
/// is one the ARN is, in the catalog).
fn acts_on(action: &str, arn: &str) -> bool {
    let catalog = crate::catalog::Catalog::get();
    let Some(action) = catalog.action(action) else {
        return false;
    };
    let types = catalog.resource_types_for_arn(arn);
    action.resource_types().iter().any(|wanted| {
        types.iter().any(|t| {
            t.name() == wanted.resource_type.name()
                && t.service().prefix() == wanted.resource_type.service().prefix()
        })
    })
}

/// The pattern as one ARN: `$<sub>` the given id, each `*` the fill, each
/// `?` an `x`, deploy-time values kept.
fn instantiate(pattern: &Text, id: &str, fill: &str) -> Concrete {
    let mut out = Concrete::default();
    for letter in letters(pattern) {
        match letter {
            Letter::Char(c) => out.push_str(&c.to_string()),
            Letter::One => out.push_str("x"),
            Letter::Run { .. } => out.push_str(fill),
            Letter::Id => out.push_str(id),
            Letter::Opaque(name) => out.push_opaque(&name),
        }
    }
    out
}

/// The properties a checked program writes (`expect` lines).
pub fn written(checked: &crate::check::Checked) -> Vec<Property> {
    let _ = checked;
    Vec::new()
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
    pattern
        .written()
        .replace("${cognito-identity.amazonaws.com:sub}", "$<sub>")
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
