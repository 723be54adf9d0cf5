//! Policies as IAM reads them.
//!
//! "IAM JSON policy element reference", IAM User Guide
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html>):
//! a statement has an `Effect`, `Action` or `NotAction`, `Resource` or
//! `NotResource`, and a `Condition` block whose operators are ANDed, each
//! operator's keys ANDed, each key's values ORed.

use serde_json::Value as Json;

use super::text::Text;
use crate::source::Span;

/// `Allow` or `Deny`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Effect {
    /// `Allow`.
    Allow,
    /// `Deny`.
    Deny,
}

/// `Action` or `NotAction`: the patterns, as written (`s3:Get*`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Actions {
    /// `Action`.
    Only(Vec<String>),
    /// `NotAction`.
    AllBut(Vec<String>),
}

/// `Resource` or `NotResource`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resources {
    /// `Resource`.
    Only(Vec<Text>),
    /// `NotResource`.
    AllBut(Vec<Text>),
}

/// One operator, key and values of a `Condition` block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Condition {
    /// The operator as written: `StringLike`, `ForAnyValue:StringEquals`,
    /// `NumericLessThanIfExists`.
    pub operator: String,
    /// The condition key as written (keys compare ignoring case).
    pub key: String,
    /// The values (ORed).
    pub values: Vec<Text>,
}

/// Where a statement comes from, for messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// Where it is written, when in a file idpc read.
    pub span: Option<Span>,
    /// What holds it: `role NotesAuth`, `managed policy ReadOnly`.
    pub holder: String,
}

/// One statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    /// `Effect`.
    pub effect: Effect,
    /// `Action` / `NotAction`.
    pub actions: Actions,
    /// `Resource` / `NotResource`.
    pub resources: Resources,
    /// `Condition`, flattened (all must hold).
    pub conditions: Vec<Condition>,
    /// The stack condition the statement exists under (`Fn::If`): idpc
    /// does not know whether it holds.
    pub stack_condition: Option<String>,
    /// Where it comes from.
    pub origin: Origin,
}

/// A policy: its statements.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    /// What it is, for messages (`inline policy of NotesAuth`).
    pub name: String,
    /// Its statements, in order.
    pub statements: Vec<Statement>,
}

/// Why a JSON policy could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadError(pub String);

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Policy {
    /// Reads an IAM policy document (`{"Version": ..., "Statement": ...}`).
    /// Strings are literal text and policy variables (version 2012-10-17;
    /// in a policy without `Version`, `${...}` is literal text).
    pub fn from_json(name: &str, document: &Json) -> Result<Policy, ReadError> {
        let variables = document.get("Version").and_then(Json::as_str) == Some("2012-10-17");
        let statements = match document.get("Statement") {
            Some(Json::Array(items)) => items.iter().collect(),
            Some(one @ Json::Object(_)) => vec![one],
            _ => return Err(ReadError("the policy has no `Statement`".into())),
        };
        let origin = Origin {
            span: None,
            holder: name.to_string(),
        };
        let statements = statements
            .into_iter()
            .map(|s| statement_from_json(s, variables, &origin))
            .collect::<Result<_, _>>()?;
        Ok(Policy {
            name: name.to_string(),
            statements,
        })
    }
}

fn statement_from_json(
    json: &Json,
    variables: bool,
    origin: &Origin,
) -> Result<Statement, ReadError> {
    let text = |s: &str| {
        if variables {
            Text::parse(s)
        } else {
            Text::literal(s)
        }
    };
    let effect = match json.get("Effect").and_then(Json::as_str) {
        Some("Allow") => Effect::Allow,
        Some("Deny") => Effect::Deny,
        other => {
            return Err(ReadError(format!(
                "`Effect` must be `Allow` or `Deny`, not {other:?}"
            )));
        }
    };
    let actions = match (json.get("Action"), json.get("NotAction")) {
        (Some(a), None) => Actions::Only(strings(a)?),
        (None, Some(a)) => Actions::AllBut(strings(a)?),
        _ => {
            return Err(ReadError(
                "a statement needs exactly one of `Action` and `NotAction`".into(),
            ));
        }
    };
    let resources = match (json.get("Resource"), json.get("NotResource")) {
        (Some(r), None) => Resources::Only(strings(r)?.iter().map(|s| text(s)).collect()),
        (None, Some(r)) => Resources::AllBut(strings(r)?.iter().map(|s| text(s)).collect()),
        _ => {
            return Err(ReadError(
                "a statement needs exactly one of `Resource` and `NotResource`".into(),
            ));
        }
    };
    let mut conditions = Vec::new();
    if let Some(block) = json.get("Condition") {
        let Json::Object(operators) = block else {
            return Err(ReadError("`Condition` must be an object".into()));
        };
        for (operator, keys) in operators {
            let Json::Object(keys) = keys else {
                return Err(ReadError(format!("`{operator}` must map keys to values")));
            };
            for (key, values) in keys {
                conditions.push(Condition {
                    operator: operator.clone(),
                    key: key.clone(),
                    values: strings(values)?.iter().map(|s| text(s)).collect(),
                });
            }
        }
    }
    Ok(Statement {
        effect,
        actions,
        resources,
        conditions,
        stack_condition: None,
        origin: origin.clone(),
    })
}

/// A string or a list of them; numbers and booleans read as their text, as
/// IAM reads condition values.
fn strings(json: &Json) -> Result<Vec<String>, ReadError> {
    let one = |v: &Json| match v {
        Json::String(s) => Ok(s.clone()),
        Json::Number(n) => Ok(n.to_string()),
        Json::Bool(b) => Ok(b.to_string()),
        other => Err(ReadError(format!("expected a string, found {other}"))),
    };
    match json {
        Json::Array(items) => items.iter().map(one).collect(),
        other => Ok(vec![one(other)?]),
    }
}
