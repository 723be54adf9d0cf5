//! The decision of a set of policies on one request.
//!
//! "Policy evaluation logic", IAM User Guide
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html>):
//! an explicit deny in any policy wins; else an allow in the identity-based
//! policies allows, but only if the permissions boundary and the session
//! policy (each when present) also allow; else the request is implicitly
//! denied. A statement applies when its action, its resource and every one
//! of its conditions match ([`applies`]).

use std::collections::{BTreeMap, BTreeSet};

use super::Tri;
use super::policy::{Actions, Effect, Origin, Policy, Resources, Statement};
use super::text::{Concrete, VarValue, WholeNames, matches, substitute};
use crate::catalog::pattern::glob_ci;

/// The request context: condition keys and their values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Context {
    /// Keys (lower-cased) with their values, as given.
    known: BTreeMap<String, (String, Vec<Concrete>)>,
    /// Keys (lower-cased) whose presence and values idpc does not know.
    unknown: BTreeSet<String>,
    /// Prefixes (lower-cased) of such keys (`aws:principaltag/`), but for
    /// the keys given.
    unknown_prefixes: BTreeSet<String>,
    /// The resources whose ARNs name them whole (what a deploy-time ARN
    /// cannot be).
    whole_names: WholeNames,
}

/// What a context key holds in a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyValue<'a> {
    /// Its values (one for a single-valued key).
    Values(&'a [Concrete]),
    /// The request does not have the key.
    Missing,
    /// idpc does not know.
    Unknown,
}

impl Context {
    /// An empty context: every key is missing.
    pub fn new() -> Context {
        Context::default()
    }

    /// Sets `key` to `values` (a multivalued key may have several).
    pub fn set(&mut self, key: &str, values: Vec<Concrete>) {
        self.unknown.remove(&key.to_ascii_lowercase());
        self.known
            .insert(key.to_ascii_lowercase(), (key.to_string(), values));
    }

    /// Adds a value to `key`.
    pub fn add(&mut self, key: &str, value: Concrete) {
        self.known
            .entry(key.to_ascii_lowercase())
            .or_insert_with(|| (key.to_string(), Vec::new()))
            .1
            .push(value);
    }

    /// Says that idpc does not know whether the request has `key`.
    pub fn set_unknown(&mut self, key: &str) {
        self.known.remove(&key.to_ascii_lowercase());
        self.unknown.insert(key.to_ascii_lowercase());
    }

    /// Says that idpc does not know the keys that start with `prefix`,
    /// but those given.
    pub fn set_unknown_prefix(&mut self, prefix: &str) {
        self.unknown_prefixes.insert(prefix.to_ascii_lowercase());
    }

    /// What `key` holds (keys compare ignoring case).
    pub fn get(&self, key: &str) -> KeyValue<'_> {
        let key = key.to_ascii_lowercase();
        if self.unknown.contains(&key) {
            return KeyValue::Unknown;
        }
        match self.known.get(&key) {
            Some((_, values)) => KeyValue::Values(values),
            None if self
                .unknown_prefixes
                .iter()
                .any(|p| key.starts_with(p.as_str())) =>
            {
                KeyValue::Unknown
            }
            None => KeyValue::Missing,
        }
    }

    /// Tells which resources' ARNs name them whole ([`WholeNames`]).
    pub fn set_whole_names(&mut self, whole: WholeNames) {
        self.whole_names = whole;
    }

    /// The resources whose ARNs name them whole.
    pub fn whole_names(&self) -> &WholeNames {
        &self.whole_names
    }

    /// The keys given, as spelled, with their values.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &[Concrete])> {
        self.known.values().map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    /// What a policy variable `${key}` stands for: a key with one value.
    pub fn variable(&self, key: &str) -> VarValue {
        match self.get(key) {
            KeyValue::Values([one]) => VarValue::Value(one.clone()),
            // IAM substitutes only single-valued keys.
            KeyValue::Values(_) | KeyValue::Missing => VarValue::Missing,
            KeyValue::Unknown => VarValue::Unknown,
        }
    }
}

/// One request: who asks is in the context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// `service:Action`.
    pub action: String,
    /// The resource's ARN (`*` for actions that act on no resource).
    pub resource: Concrete,
    /// The condition keys.
    pub context: Context,
}

/// What a set of policies decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Decision {
    /// Allowed.
    Allow,
    /// A `Deny` statement applies.
    ExplicitDeny,
    /// No `Allow` statement applies.
    ImplicitDeny,
    /// Depends on what idpc cannot see.
    Unknown,
}

impl Decision {
    /// Whether the request is allowed.
    pub fn allowed(self) -> Tri {
        match self {
            Decision::Allow => Tri::Yes,
            Decision::ExplicitDeny | Decision::ImplicitDeny => Tri::No,
            Decision::Unknown => Tri::Unknown,
        }
    }
}

/// A decision with the statements that made it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// The decision.
    pub decision: Decision,
    /// The statements that decide it: the denies that apply, else the
    /// allows that apply; for `Unknown`, those whose application is open.
    pub deciding: Vec<(Effect, Origin)>,
}

/// The decision of `policies` on `request`, as one policy type (the
/// identity-based policies, or a boundary, or a session policy).
pub fn evaluate(policies: &[&Policy], request: &Request) -> Verdict {
    let mut denies = (Vec::new(), Vec::new());
    let mut allows = (Vec::new(), Vec::new());
    for statement in policies.iter().flat_map(|p| &p.statements) {
        let into = match statement.effect {
            Effect::Deny => &mut denies,
            Effect::Allow => &mut allows,
        };
        match applies(statement, request) {
            Tri::Yes => into.0.push((statement.effect, statement.origin.clone())),
            Tri::Unknown => into.1.push((statement.effect, statement.origin.clone())),
            Tri::No => {}
        }
    }
    let (decision, deciding) = if !denies.0.is_empty() {
        (Decision::ExplicitDeny, denies.0)
    } else if !denies.1.is_empty() {
        (Decision::Unknown, denies.1)
    } else if !allows.0.is_empty() {
        (Decision::Allow, allows.0)
    } else if !allows.1.is_empty() {
        (Decision::Unknown, allows.1)
    } else {
        (Decision::ImplicitDeny, Vec::new())
    };
    Verdict { decision, deciding }
}

/// Whether `statement` applies to `request`: action, resource and every
/// condition match, and its stack condition (if any) holds.
pub fn applies(statement: &Statement, request: &Request) -> Tri {
    let action = action_matches(&statement.actions, &request.action);
    if action == Tri::No {
        return Tri::No;
    }
    let resource = action.and(resource_matches(&statement.resources, request));
    if resource == Tri::No {
        return Tri::No;
    }
    let conditions = Tri::all(
        statement
            .conditions
            .iter()
            .map(|c| super::condition::holds(c, &request.context)),
    );
    let stack = match statement.stack_condition {
        Some(_) => Tri::Unknown,
        None => Tri::Yes,
    };
    resource.and(conditions).and(stack)
}

/// Whether the action is among the patterns (case-insensitive, IAM
/// wildcards), or for `NotAction`, among none of them.
fn action_matches(actions: &Actions, action: &str) -> Tri {
    match actions {
        Actions::Only(patterns) => Tri::from_bool(patterns.iter().any(|p| glob_ci(p, action))),
        Actions::AllBut(patterns) => Tri::from_bool(!patterns.iter().any(|p| glob_ci(p, action))),
    }
}

/// Whether the resource matches a pattern (case-sensitive, IAM wildcards,
/// policy variables from the context), or for `NotResource`, none.
fn resource_matches(resources: &Resources, request: &Request) -> Tri {
    let lookup = |key: &str| request.context.variable(key);
    // `without_value`: what a pattern whose variable has no value (and no
    // default) answers.
    let one = |pattern: &super::text::Text, without_value: Tri| match substitute(
        pattern, true, &lookup,
    ) {
        Ok(Some(atoms)) => matches(
            &atoms,
            &request.resource.atoms,
            false,
            request.context.whole_names(),
        ),
        Ok(None) => without_value,
        Err(()) => Tri::Unknown,
    };
    match resources {
        // "Policy variables with no value": such an entry "will not match
        // any resource".
        Resources::Only(patterns) => Tri::any(patterns.iter().map(|p| one(p, Tri::No))),
        // The same sentence names `NotResource` without saying whether the
        // entry then excludes nothing (the statement applies) or the
        // element matches nothing (it does not): unknown, unless another
        // entry surely excludes the resource.
        Resources::AllBut(patterns) => !Tri::any(patterns.iter().map(|p| one(p, Tri::Unknown))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn request(action: &str, resource: &str) -> Request {
        Request {
            action: action.into(),
            resource: Concrete::literal(resource),
            context: Context::new(),
        }
    }

    fn decide(policy: serde_json::Value, request: &Request) -> Decision {
        let policy = Policy::from_json("p", &policy).unwrap_or_default();
        evaluate(&[&policy], request).decision
    }

    #[test]
    fn explicit_deny_wins_over_allow() {
        let policy = json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
            {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::b/*"}
        ]});
        let get = request("s3:GetObject", "arn:aws:s3:::b/x");
        let delete = request("s3:DeleteObject", "arn:aws:s3:::b/x");
        assert_eq!(decide(policy.clone(), &get), Decision::Allow);
        assert_eq!(decide(policy, &delete), Decision::ExplicitDeny);
    }

    #[test]
    fn not_action_and_not_resource_match_the_rest() {
        let policy = json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "NotAction": "iam:*", "NotResource": "arn:aws:s3:::secret/*"}
        ]});
        assert_eq!(
            decide(policy.clone(), &request("s3:GetObject", "arn:aws:s3:::b/x")),
            Decision::Allow
        );
        assert_eq!(
            decide(policy.clone(), &request("iam:PassRole", "arn:aws:s3:::b/x")),
            Decision::ImplicitDeny
        );
        assert_eq!(
            decide(policy, &request("s3:GetObject", "arn:aws:s3:::secret/x")),
            Decision::ImplicitDeny
        );
    }

    #[test]
    fn actions_compare_ignoring_case() {
        let policy = json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "S3:getobject", "Resource": "*"}
        ]});
        assert_eq!(
            decide(policy, &request("s3:GetObject", "arn:aws:s3:::b/x")),
            Decision::Allow
        );
    }

    #[test]
    fn policy_variables_come_from_the_context() {
        let policy = json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject",
             "Resource": "arn:aws:s3:::b/private/${cognito-identity.amazonaws.com:sub}/*"}
        ]});
        let mut mine = request("s3:GetObject", "arn:aws:s3:::b/private/us-east-1:1/x");
        mine.context.set(
            "cognito-identity.amazonaws.com:sub",
            vec![Concrete::literal("us-east-1:1")],
        );
        let mut theirs = mine.clone();
        theirs.resource = Concrete::literal("arn:aws:s3:::b/private/us-east-1:2/x");
        assert_eq!(decide(policy.clone(), &mine), Decision::Allow);
        assert_eq!(decide(policy.clone(), &theirs), Decision::ImplicitDeny);
        // Without `Version`, `${...}` is literal text.
        let old = json!({"Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject",
             "Resource": "arn:aws:s3:::b/private/${cognito-identity.amazonaws.com:sub}/*"}
        ]});
        assert_eq!(decide(old, &mine), Decision::ImplicitDeny);
    }

    #[test]
    fn variables_without_value_in_resources() {
        // "Policy variables with no value": a `Resource` entry with one matches
        // nothing; for `NotResource` the page does not settle what follows.
        let only = json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:username}/*"}
        ]});
        assert_eq!(
            decide(only, &request("s3:GetObject", "arn:aws:s3:::b//x")),
            Decision::ImplicitDeny
        );
        let all_but = json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject",
             "NotResource": ["arn:aws:s3:::b/${aws:username}/*", "arn:aws:s3:::secret/*"]}
        ]});
        assert_eq!(
            decide(
                all_but.clone(),
                &request("s3:GetObject", "arn:aws:s3:::b/x")
            ),
            Decision::Unknown
        );
        // Another entry excludes the resource whatever the variable.
        assert_eq!(
            decide(all_but, &request("s3:GetObject", "arn:aws:s3:::secret/x")),
            Decision::ImplicitDeny
        );
    }
}
