//! Counterexamples: requests built from a statement and a property's
//! pattern, kept only when `idpc can` allows them.

use crate::access::cognito::Caller;
use crate::access::model::Model;
use crate::access::policy::{Resources, Statement};
use crate::access::text::{Concrete, Text};

use super::callers::CallerClass;
use super::glob::{self, Letter, letters};
use super::{CALLER_ID, Counterexample, OTHER_ID, Prover, candidate_actions, resource_patterns};

/// A request the property forbids that `idpc can` allows, built from the
/// statement and the property's pattern: first the ARN both may match
/// ([`glob::meeting_word`]), then the pattern with each `*` standing for a
/// few texts (a name, nothing, the caller's id and a name); `$<sub>` is
/// the other's id (isolation) or the caller's. Each is asked as it is, then
/// in a deployment where every deploy-time value has a name.
pub(crate) fn witness(
    prover: &Prover<'_>,
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
        if let Some(word) = glob::meeting_word(&theirs, &letters(own), &prover.model.whole_names) {
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
        sample: sample_arn(prover.model, &instantiate(pattern, id_in_pattern, "x")),
        caller: class.caller(CALLER_ID),
    };
    let model = prover.model;
    resources.iter().find_map(|resource| {
        let fits = |names: &[(String, String)], resource: &Concrete| {
            may_match(statement, names, resource, &model.whole_names)
        };
        (fits(&[], resource))
            .then(|| ask.replay(prover, model, resource))
            .flatten()
            .or_else(|| {
                let (named, names) = prover.deployed();
                let resource = spelled(resource, names);
                if !fits(names, &resource) {
                    return None;
                }
                let mut found = ask.replay(prover, named, &resource)?;
                found.deployment = names.clone();
                Some(found)
            })
    })
}

/// Whether one of the statement's resources may match `resource` (its
/// deploy-time values spelled as `names`, `$<sub>` the caller's id): a
/// cheap test before asking `idpc can`.
fn may_match(
    statement: &Statement,
    names: &[(String, String)],
    resource: &Concrete,
    whole: &crate::access::text::WholeNames,
) -> bool {
    use crate::access::text::{Piece, VarValue, matches, substitute};
    let Resources::Only(patterns) = &statement.resources else {
        return true;
    };
    patterns.iter().any(|pattern| {
        let mut spelled_pattern = Text::default();
        for piece in &pattern.pieces {
            match piece {
                Piece::Opaque(name) => match names.iter().find(|(n, _)| n == name) {
                    Some((_, value)) => spelled_pattern
                        .pieces
                        .extend(value.chars().map(Piece::Exact)),
                    None => spelled_pattern.pieces.push(piece.clone()),
                },
                other => spelled_pattern.pieces.push(other.clone()),
            }
        }
        let lookup = |key: &str| {
            if key.eq_ignore_ascii_case(glob::SUB) {
                VarValue::Value(Concrete::literal(CALLER_ID))
            } else {
                VarValue::Unknown
            }
        };
        match substitute(&spelled_pattern, true, &lookup) {
            Ok(Some(atoms)) => {
                matches(&atoms, &resource.atoms, false, whole) != crate::access::Tri::No
            }
            Ok(None) => false,
            Err(()) => true,
        }
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
    /// An ARN like the property's, deploy-time values spelled: the catalog
    /// tells what acts on it.
    sample: String,
    caller: Caller,
}

impl Ask<'_> {
    /// The counterexample on `resource`, if `idpc can` allows one of the
    /// statement's actions the property is about. `types`: the model whose
    /// resource types tell what an action acts on.
    fn replay(
        &self,
        prover: &Prover<'_>,
        model: &Model,
        resource: &Concrete,
    ) -> Option<Counterexample> {
        let sample = &self.sample;
        let acting = candidate_actions(self.statement, self.actions.unwrap_or(&[]))
            .into_iter()
            .filter(|a| self.every || prover.acts_on(a, sample))
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
                    context: Vec::new(),
                });
            }
        }
        None
    }
}

/// The model with every deploy-time value of its permission policies
/// spelled (trust policies keep theirs: the pool's id stays the pool's),
/// and the spellings.
pub(crate) fn deployed(model: &Model) -> (Model, Vec<(String, String)>) {
    spelled_model(model, &|name| Some(spelling(model, name)))
}

/// The model with the deploy-time values `names` gives spelled.
pub(crate) fn deployed_as(model: &Model, names: &[(String, String)]) -> Model {
    let value = |name: &str| {
        names
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    spelled_model(model, &value).0
}

/// The model with every deploy-time value `value` knows spelled, and the
/// spellings.
fn spelled_model(
    model: &Model,
    value: &dyn Fn(&str) -> Option<String>,
) -> (Model, Vec<(String, String)>) {
    use crate::access::text::Piece;
    let mut names: Vec<(String, String)> = Vec::new();
    let mut named = model.clone();
    let value_of = |piece: &Piece| match piece {
        Piece::Opaque(name) => value(name),
        _ => None,
    };
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
                        let (Piece::Opaque(name), Some(value)) = (&piece, value_of(&piece)) else {
                            text.pieces.push(piece);
                            continue;
                        };
                        let name = name.clone();
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
pub(crate) fn spelling(model: &Model, opaque: &str) -> String {
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
pub(crate) fn spelled(resource: &Concrete, names: &[(String, String)]) -> Concrete {
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
pub(crate) fn is_write(action: &str) -> bool {
    use crate::catalog::AccessLevel;
    crate::catalog::Catalog::get()
        .action(action)
        .is_some_and(|a| !matches!(a.access_level(), AccessLevel::Read | AccessLevel::List))
}

/// A word of [`glob::meeting_word`] as an ARN.
pub(crate) fn concrete(word: &[glob::WordAtom], id: &str) -> Concrete {
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
pub(crate) fn sample_arn(model: &Model, arn: &Concrete) -> String {
    use crate::access::text::Atom;
    arn.atoms
        .iter()
        .map(|atom| match atom {
            Atom::Char(c) => c.to_string(),
            Atom::Opaque(name) => example_of(model, name),
        })
        .collect()
}

pub(crate) fn example_of(model: &Model, opaque: &str) -> String {
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
pub(crate) fn acts_on(action: &str, arn: &str) -> bool {
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
pub(crate) fn instantiate(pattern: &Text, id: &str, fill: &str) -> Concrete {
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
