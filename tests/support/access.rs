//! What a compiled fragment lets each caller do: a small IAM evaluator over
//! the inline policies of its roles, and Cognito's choice of role, so that
//! tests can assert on concrete requests ("may this guest `s3:GetObject`
//! `arn:aws:s3:::photos/private/us-east-1:abc/x`?") rather than on text.
//!
//! The fragment is first resolved with [`super::meaning::resolve`] (stub
//! values for `Ref` and `Fn::GetAtt`); each test then names the concrete ARN
//! a stub stands for (`<GetAtt:Photos.Arn>` → `arn:aws:s3:::photos`).
//!
//! Evaluation follows the IAM policy evaluation logic for one identity
//! policy: an explicit `Deny` wins, else some `Allow` must match, else the
//! request is denied. A statement matches when an `Action` pattern matches
//! the action (case-insensitively), a `Resource` pattern matches the ARN
//! (case-sensitively; `*` any run, `?` one character; `${key}` replaced by
//! the request's value of `key`, and a statement whose variable has no
//! value matches nothing), and every condition holds. Condition operators
//! are the ones idpc emits for these programs (`StringEquals`,
//! `StringLike`, their `Not` forms, `ForAllValues:` and `ForAnyValue:`,
//! `Null`, `Bool`); any other fails the test rather than guess.

// A test helper: what it cannot read fails the test, with what it was.
#![allow(clippy::panic)]

use std::collections::BTreeMap;

use serde_json::Value;

use super::meaning::{Stubs, load_yaml, resolve};

/// The Cognito identity id key (`$<sub>`).
pub const SUB: &str = "cognito-identity.amazonaws.com:sub";

/// A compiled fragment, resolved, with stubs replaced by concrete values.
pub struct Fragment {
    doc: Value,
}

/// A request: the caller's context keys (lower-cased names) and values.
#[derive(Clone, Debug, Default)]
pub struct Context {
    keys: BTreeMap<String, Vec<String>>,
}

impl Context {
    /// A caller with identity id `identity_id` (`$<sub>`).
    pub fn identity(identity_id: &str) -> Context {
        Context::default().with(SUB, &[identity_id])
    }

    /// The same context with `key` set to `values`.
    pub fn with(mut self, key: &str, values: &[&str]) -> Context {
        self.keys.insert(
            key.to_ascii_lowercase(),
            values.iter().map(|v| v.to_string()).collect(),
        );
        self
    }

    fn get(&self, key: &str) -> Option<&Vec<String>> {
        self.keys.get(&key.to_ascii_lowercase())
    }
}

impl Fragment {
    /// Loads `yaml` (what `idpc build` printed), resolves it, and replaces
    /// every occurrence of each stub text (`<GetAtt:Photos.Arn>`) with its
    /// concrete value.
    pub fn new(yaml: &str, stubs: &[(&str, &str)]) -> Fragment {
        let resolved = resolve(&load_yaml(yaml), &Stubs::default());
        Fragment {
            doc: replace_stubs(&resolved, stubs),
        }
    }

    fn resource(&self, logical_id: &str, kind: &str) -> &Value {
        let resource = self
            .doc
            .pointer(&format!("/Resources/{logical_id}"))
            .unwrap_or_else(|| panic!("the fragment has no resource {logical_id}"));
        assert_eq!(
            resource.get("Type").and_then(Value::as_str),
            Some(kind),
            "{logical_id} is not a {kind}"
        );
        resource
    }

    /// The value at a JSON pointer of the resolved fragment (for what the
    /// evaluator does not model: trust policies, principal tag maps).
    pub fn at(&self, pointer: &str) -> &Value {
        self.doc
            .pointer(pointer)
            .unwrap_or_else(|| panic!("the fragment has nothing at {pointer}"))
    }

    /// Whether role `role` allows `action` on `arn` for a caller with `context`.
    pub fn allows(&self, role: &str, action: &str, arn: &str, context: &Context) -> bool {
        let statements: Vec<&Value> = self
            .resource(role, "AWS::IAM::Role")
            .pointer("/Properties/Policies")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|policy| policy.pointer("/PolicyDocument/Statement"))
            .flat_map(list)
            .collect();
        let matching = |effect: &str| {
            statements.iter().any(|statement| {
                statement.get("Effect").and_then(Value::as_str) == Some(effect)
                    && statement_matches(statement, action, arn, context)
            })
        };
        !matching("Deny") && matching("Allow")
    }

    /// The pool's default roles from its attachment `<Pool>Roles`:
    /// (authenticated, unauthenticated), as logical IDs.
    pub fn default_roles(&self, pool: &str) -> (Option<String>, Option<String>) {
        let attachment = self.resource(
            &format!("{pool}Roles"),
            "AWS::Cognito::IdentityPoolRoleAttachment",
        );
        let role = |which: &str| {
            attachment
                .pointer(&format!("/Properties/Roles/{which}"))
                .and_then(Value::as_str)
                .map(role_of_arn)
        };
        (role("authenticated"), role("unauthenticated"))
    }

    /// Whether the pool lets guests in (`AllowUnauthenticatedIdentities`).
    pub fn allows_guests(&self, pool: &str) -> bool {
        self.resource(pool, "AWS::Cognito::IdentityPool")
            .pointer("/Properties/AllowUnauthenticatedIdentities")
            .and_then(Value::as_bool)
            .unwrap_or(false)
    }

    /// The role Cognito hands a signed-in user of mapping `mapping` whose
    /// ID token holds `claims`: the first rule that matches (`Equals`,
    /// `NotEqual`, `Contains`, `StartsWith` on any value of the claim), else
    /// the default authenticated role (`AmbiguousRoleResolution:
    /// AuthenticatedRole`) or no credentials (`Deny`): `None`.
    pub fn mapped_role(
        &self,
        pool: &str,
        mapping: &str,
        claims: &[(&str, &[&str])],
    ) -> Option<String> {
        let attachment = self.resource(
            &format!("{pool}Roles"),
            "AWS::Cognito::IdentityPoolRoleAttachment",
        );
        let mapping = attachment
            .pointer(&format!("/Properties/RoleMappings/{mapping}"))
            .unwrap_or_else(|| panic!("{pool} has no role mapping {mapping}"));
        assert_eq!(mapping.get("Type").and_then(Value::as_str), Some("Rules"));
        let rules = mapping
            .pointer("/RulesConfiguration/Rules")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for rule in &rules {
            let field = |name: &str| rule.get(name).and_then(Value::as_str).unwrap_or_default();
            let (claim, value) = (field("Claim"), field("Value"));
            let values = claims
                .iter()
                .find(|(name, _)| *name == claim)
                .map(|(_, values)| *values)
                .unwrap_or_default();
            let hit = match field("MatchType") {
                "Equals" => values.contains(&value),
                "NotEqual" => !values.is_empty() && values.iter().all(|v| *v != value),
                "Contains" => values.iter().any(|v| v.contains(value)),
                "StartsWith" => values.iter().any(|v| v.starts_with(value)),
                other => panic!("unknown MatchType {other}"),
            };
            if hit {
                return Some(role_of_arn(field("RoleARN")));
            }
        }
        match mapping
            .get("AmbiguousRoleResolution")
            .and_then(Value::as_str)
        {
            Some("AuthenticatedRole") => self.default_roles(pool).0,
            Some("Deny") => None,
            other => panic!("unknown AmbiguousRoleResolution {other:?}"),
        }
    }
}

/// `<GetAtt:Role.Arn>` → `Role`.
fn role_of_arn(arn: &str) -> String {
    arn.strip_prefix("<GetAtt:")
        .and_then(|rest| rest.strip_suffix(".Arn>"))
        .unwrap_or_else(|| panic!("not a role's ARN stub: {arn}"))
        .to_string()
}

fn replace_stubs(value: &Value, stubs: &[(&str, &str)]) -> Value {
    match value {
        Value::String(text) => {
            Value::String(stubs.iter().fold(text.clone(), |text, (stub, concrete)| {
                text.replace(stub, concrete)
            }))
        }
        Value::Array(items) => {
            Value::Array(items.iter().map(|v| replace_stubs(v, stubs)).collect())
        }
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), replace_stubs(v, stubs)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A scalar or a list, as a list.
fn list(value: &Value) -> Vec<&Value> {
    match value {
        Value::Array(items) => items.iter().collect(),
        one => vec![one],
    }
}

/// Condition values as text (IAM compares them as strings).
fn texts(value: &Value) -> Vec<String> {
    list(value)
        .into_iter()
        .map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect()
}

fn statement_matches(statement: &Value, action: &str, arn: &str, context: &Context) -> bool {
    let patterns = |key: &str| statement.get(key).map(texts).unwrap_or_default();
    assert!(
        statement.get("NotAction").is_none() && statement.get("NotResource").is_none(),
        "NotAction/NotResource are not modelled"
    );
    let action_ok = patterns("Action").iter().any(|pattern| {
        glob(
            &pattern.to_ascii_lowercase(),
            &action.to_ascii_lowercase(),
            &Context::default(),
        )
    });
    let resource_ok = patterns("Resource")
        .iter()
        .any(|pattern| glob(pattern, arn, context));
    let conditions_ok = match statement.get("Condition") {
        None => true,
        Some(Value::Object(operators)) => operators.iter().all(|(operator, keys)| {
            keys.as_object()
                .unwrap_or_else(|| panic!("condition {operator} is not a map"))
                .iter()
                .all(|(key, values)| condition_holds(operator, key, &texts(values), context))
        }),
        Some(other) => panic!("Condition is not a map: {other}"),
    };
    action_ok && resource_ok && conditions_ok
}

fn condition_holds(operator: &str, key: &str, expected: &[String], context: &Context) -> bool {
    let present = context.get(key).filter(|values| !values.is_empty());
    if operator == "Null" {
        let want_absent = expected.iter().any(|v| v == "true");
        return want_absent == present.is_none();
    }
    let (set, base) = match operator.split_once(':') {
        Some((set, base)) => (Some(set), base),
        None => (None, operator),
    };
    let (negated, base) = match base.strip_prefix("StringNot") {
        Some(rest) => (true, format!("String{rest}")),
        None => (false, base.to_string()),
    };
    let one = |value: &str| {
        let hit = expected.iter().any(|pattern| match base.as_str() {
            "StringEquals" => substitute(pattern, context).as_deref() == Some(value),
            "StringLike" => glob(pattern, value, context),
            "Bool" => pattern.eq_ignore_ascii_case(value),
            other => panic!("condition operator {other} is not modelled"),
        });
        hit != negated
    };
    match (set, present) {
        (Some("ForAllValues"), None) => true,
        (Some("ForAllValues"), Some(values)) => values.iter().all(|v| one(v)),
        (Some("ForAnyValue"), None) => false,
        (Some("ForAnyValue"), Some(values)) => values.iter().any(|v| one(v)),
        (Some(other), _) => panic!("set operator {other} is not modelled"),
        (None, None) => negated,
        (None, Some(values)) => values.iter().any(|v| one(v)),
    }
}

/// A pattern's policy variables replaced by the context's values (`None`
/// when one has no value), for exact comparison: `*` and `?` are literal.
fn substitute(pattern: &str, context: &Context) -> Option<String> {
    let mut out = String::new();
    for token in tokens(pattern, context)? {
        match token {
            Token::Lit(c) => out.push(c),
            Token::Star => out.push('*'),
            Token::One => out.push('?'),
        }
    }
    Some(out)
}

#[derive(Clone, Copy)]
enum Token {
    Lit(char),
    Star,
    One,
}

fn tokens(pattern: &str, context: &Context) -> Option<Vec<Token>> {
    let mut out = Vec::new();
    let mut rest = pattern;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("${")
            && let Some(end) = after.find('}')
        {
            match &after[..end] {
                "*" => out.push(Token::Lit('*')),
                "?" => out.push(Token::Lit('?')),
                "$" => out.push(Token::Lit('$')),
                key => {
                    let values = context.get(key)?;
                    let [value] = values.as_slice() else {
                        return None;
                    };
                    out.extend(value.chars().map(Token::Lit));
                }
            }
            rest = &after[end + 1..];
            continue;
        }
        out.push(match c {
            '*' => Token::Star,
            '?' => Token::One,
            c => Token::Lit(c),
        });
        rest = &rest[c.len_utf8()..];
    }
    Some(out)
}

/// IAM glob match of `pattern` (with policy variables from `context`)
/// against `text`.
fn glob(pattern: &str, text: &str, context: &Context) -> bool {
    let Some(pattern) = tokens(pattern, context) else {
        return false;
    };
    let text: Vec<char> = text.chars().collect();
    // reachable[j]: the pattern prefix matched so far can end at text[..j].
    let mut reachable = vec![false; text.len() + 1];
    reachable[0] = true;
    for token in pattern {
        let mut next = vec![false; text.len() + 1];
        for j in 0..=text.len() {
            match token {
                Token::Star => next[j] = reachable[j] || (j > 0 && next[j - 1]),
                Token::One => next[j] = j > 0 && reachable[j - 1],
                Token::Lit(c) => next[j] = j > 0 && reachable[j - 1] && text[j - 1] == c,
            }
        }
        reachable = next;
    }
    reachable[text.len()]
}
