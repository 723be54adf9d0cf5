//! The meaning test's engine: decides whether two CloudFormation fragments
//! (a Serverless `resources:` entry with `Resources:` and `Outputs:`) mean the
//! same thing, whatever their form.
//!
//! Pipeline: [`load_yaml`] → [`resolve`] (intrinsics filled with stub values,
//! identical on both sides) → [`normalize_policies`] (IAM-equivalent policy
//! documents become equal) → [`same_meaning`] (path-level diff of `Resources`
//! and `Outputs`; map key order never matters, statement order does).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// Parses YAML text into a JSON value with YAML 1.2 core-schema scalars
/// (`false` is a bool, `yes`/`no`/`on`/`off` stay strings, `1_000` is a string).
pub fn try_load_yaml(text: &str) -> Result<Value, String> {
    let options = serde_saphyr::options! {
        strict_booleans: true,
        underscored_numbers_as_strings: true,
        legacy_octal_numbers: false,
    };
    serde_saphyr::from_str_with_options::<Value>(text, options)
        .map_err(|e| format!("YAML does not parse: {e}"))
}

/// Like [`try_load_yaml`], but a parse error fails the test with the message.
#[allow(clippy::panic)]
pub fn load_yaml(text: &str) -> Value {
    match try_load_yaml(text) {
        Ok(v) => v,
        Err(e) => panic!("{e}"),
    }
}

/// Values that intrinsics resolve to. Both sides of a comparison use the same
/// stubs, so a stub only has to be deterministic, not realistic.
#[derive(Debug, Clone)]
pub struct Stubs {
    /// Pseudo parameters (`AWS::Region` …) by name.
    pub pseudo: BTreeMap<String, String>,
}

impl Default for Stubs {
    fn default() -> Self {
        let pseudo = [
            ("AWS::Partition", "aws"),
            ("AWS::Region", "us-east-1"),
            ("AWS::AccountId", "123456789012"),
            ("AWS::URLSuffix", "amazonaws.com"),
            ("AWS::StackName", "stub-stack"),
            (
                "AWS::StackId",
                "arn:aws:cloudformation:us-east-1:123456789012:stack/stub-stack/stub",
            ),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        Stubs { pseudo }
    }
}

impl Stubs {
    /// The value of `{Ref: name}`.
    pub fn reference(&self, name: &str) -> String {
        match self.pseudo.get(name) {
            Some(v) => v.clone(),
            None => format!("<Ref:{name}>"),
        }
    }

    /// The value of `{Fn::GetAtt: [name, attr]}` (or `name.attr`).
    pub fn get_att(&self, name: &str, attr: &str) -> String {
        format!("<GetAtt:{name}.{attr}>")
    }
}

/// Marker for `Ref: AWS::NoValue`: the enclosing key or list item is dropped.
const NO_VALUE: &str = "<AWS::NoValue>";

/// Replaces `Ref`, `Fn::GetAtt`, `Fn::Join`, `Fn::Sub` (and `Fn::Select`)
/// with their values, bottom-up. An intrinsic whose arguments do not resolve
/// to strings is left in place (with resolved arguments), so it still
/// compares structurally.
pub fn resolve(doc: &Value, stubs: &Stubs) -> Value {
    match doc {
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| resolve(v, stubs))
                .filter(|v| !is_no_value(v))
                .collect(),
        ),
        Value::Object(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                let r = resolve(v, stubs);
                if !is_no_value(&r) {
                    out.insert(k.clone(), r);
                }
            }
            if out.len() == 1
                && let Some((key, arg)) = out.iter().next()
                && let Some(v) = eval_intrinsic(key, arg, stubs)
            {
                return v;
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

fn is_no_value(v: &Value) -> bool {
    v.as_str() == Some(NO_VALUE)
}

/// Evaluates one intrinsic whose argument is already resolved; `None` when
/// `key` is not an intrinsic this engine knows or the argument is not
/// (yet) made of strings.
fn eval_intrinsic(key: &str, arg: &Value, stubs: &Stubs) -> Option<Value> {
    match key {
        "Ref" => {
            let name = arg.as_str()?;
            if name == "AWS::NoValue" {
                return Some(Value::String(NO_VALUE.to_string()));
            }
            Some(Value::String(stubs.reference(name)))
        }
        "Fn::GetAtt" => {
            let (name, attr) = match arg {
                Value::String(s) => {
                    let (n, a) = s.split_once('.')?;
                    (n.to_string(), a.to_string())
                }
                Value::Array(parts) if parts.len() == 2 => (
                    parts[0].as_str()?.to_string(),
                    parts[1].as_str()?.to_string(),
                ),
                _ => return None,
            };
            Some(Value::String(stubs.get_att(&name, &attr)))
        }
        "Fn::Join" => {
            let parts = arg.as_array()?;
            if parts.len() != 2 {
                return None;
            }
            let sep = parts[0].as_str()?;
            let items = parts[1].as_array()?;
            let strings: Option<Vec<&str>> = items.iter().map(Value::as_str).collect();
            Some(Value::String(strings?.join(sep)))
        }
        "Fn::Sub" => {
            let (template, vars) = match arg {
                Value::String(s) => (s.as_str(), None),
                Value::Array(parts) if parts.len() == 2 => {
                    (parts[0].as_str()?, Some(parts[1].as_object()?))
                }
                _ => return None,
            };
            substitute(template, vars, stubs).map(Value::String)
        }
        // Two imports are equal when they name the same export.
        "Fn::ImportValue" => Some(Value::String(format!("<ImportValue:{}>", arg.as_str()?))),
        "Fn::Select" => {
            let parts = arg.as_array()?;
            if parts.len() != 2 {
                return None;
            }
            let index = match &parts[0] {
                Value::Number(n) => usize::try_from(n.as_u64()?).ok()?,
                Value::String(s) => s.parse().ok()?,
                _ => return None,
            };
            parts[1].as_array()?.get(index).cloned()
        }
        _ => None,
    }
}

/// `Fn::Sub` template expansion: `${!X}` → `${X}`, `${Var}` from `vars`,
/// `${AWS::Region}` and `${Name}` as `Ref`, `${Name.Attr}` as `Fn::GetAtt`.
fn substitute(template: &str, vars: Option<&Map<String, Value>>, stubs: &Stubs) -> Option<String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[start..]);
            return Some(out);
        };
        let name = &after[..end];
        if let Some(literal) = name.strip_prefix('!') {
            out.push_str("${");
            out.push_str(literal);
            out.push('}');
        } else if let Some(v) = vars.and_then(|m| m.get(name)) {
            out.push_str(v.as_str()?);
        } else if let Some((n, a)) = name.split_once('.') {
            out.push_str(&stubs.get_att(n, a));
        } else {
            out.push_str(&stubs.reference(name));
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// Keys whose value is an IAM policy document, wherever they appear.
const POLICY_DOCUMENT_KEYS: [&str; 3] = ["AssumeRolePolicyDocument", "PolicyDocument", "KeyPolicy"];

/// Makes IAM-equivalent policy documents equal: `Action`, `Resource`,
/// `NotAction`, `NotResource`, principal values and condition values become
/// sorted, de-duplicated lists (condition scalars as strings); a single
/// `Statement` object becomes a one-element list. Statement order is kept.
pub fn normalize_policies(doc: &Value) -> Value {
    match doc {
        Value::Array(items) => Value::Array(items.iter().map(normalize_policies).collect()),
        Value::Object(map) => {
            let mut out = Map::new();
            let role = map.get("Type").and_then(Value::as_str) == Some("AWS::IAM::Role");
            for (k, v) in map {
                if role && k == "Properties" {
                    out.insert(k.clone(), normalize_policies(&without_default_path(v)));
                    continue;
                }
                let nv = if POLICY_DOCUMENT_KEYS.contains(&k.as_str()) {
                    normalize_policy_document(v)
                } else {
                    normalize_policies(v)
                };
                out.insert(k.clone(), nv);
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

/// A role's properties without `Path: /`, IAM's default ("CreateRole",
/// IAM API Reference: `Path` "is optional. If it is not included, it
/// defaults to a slash (/)").
fn without_default_path(properties: &Value) -> Value {
    let mut properties = properties.clone();
    if let Value::Object(map) = &mut properties
        && map.get("Path").and_then(Value::as_str) == Some("/")
    {
        map.remove("Path");
    }
    properties
}

fn normalize_policy_document(doc: &Value) -> Value {
    let Value::Object(map) = doc else {
        return doc.clone();
    };
    let mut out = map.clone();
    if let Some(statements) = map.get("Statement") {
        let list = match statements {
            Value::Array(items) => items.clone(),
            one => vec![one.clone()],
        };
        out.insert(
            "Statement".to_string(),
            Value::Array(list.iter().map(normalize_statement).collect()),
        );
    }
    Value::Object(out)
}

fn normalize_statement(statement: &Value) -> Value {
    let Value::Object(map) = statement else {
        return statement.clone();
    };
    // A statement that exists under a condition: `Fn::If [Cond, statement,
    // other]`, each branch a statement (or `AWS::NoValue`, already dropped).
    if let (1, Some(Value::Array(branches))) = (map.len(), map.get("Fn::If")) {
        let mut branches = branches.clone();
        for branch in branches.iter_mut().skip(1) {
            *branch = normalize_statement(branch);
        }
        let mut out = Map::new();
        out.insert("Fn::If".to_string(), Value::Array(branches));
        return Value::Object(out);
    }
    let mut out = Map::new();
    for (k, v) in map {
        if k == "Sid" {
            // An optional identifier of the statement ("IAM JSON policy
            // elements: Sid"): it names the statement, not what it allows.
            continue;
        }
        let nv = match k.as_str() {
            "Action" | "NotAction" | "Resource" | "NotResource" => sorted_set(v, false),
            "Principal" | "NotPrincipal" => match v {
                Value::Object(p) => Value::Object(
                    p.iter()
                        .map(|(pk, pv)| (pk.clone(), sorted_set(pv, false)))
                        .collect(),
                ),
                other => other.clone(),
            },
            "Condition" => match v {
                Value::Object(ops) => Value::Object(
                    ops.iter()
                        .map(|(op, keys)| {
                            let nk = match keys {
                                Value::Object(km) => Value::Object(
                                    km.iter()
                                        .map(|(ck, cv)| (ck.clone(), sorted_set(cv, true)))
                                        .collect(),
                                ),
                                other => other.clone(),
                            };
                            (op.clone(), nk)
                        })
                        .collect(),
                ),
                other => other.clone(),
            },
            _ => v.clone(),
        };
        out.insert(k.clone(), nv);
    }
    Value::Object(out)
}

/// A scalar or list as a sorted, de-duplicated list. With `stringify`,
/// booleans and numbers become strings (IAM compares condition values as text).
fn sorted_set(v: &Value, stringify: bool) -> Value {
    let items = match v {
        Value::Array(items) => items.clone(),
        one => vec![one.clone()],
    };
    let mut keyed: BTreeMap<String, Value> = BTreeMap::new();
    for item in items {
        let item = match (&item, stringify) {
            (Value::Bool(b), true) => Value::String(b.to_string()),
            (Value::Number(n), true) => Value::String(n.to_string()),
            _ => item,
        };
        keyed.insert(sort_key(&item), item);
    }
    Value::Array(keyed.into_values().collect())
}

fn sort_key(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => compact(other),
    }
}

/// Resolves and normalizes a fragment: what [`same_meaning`] compares.
pub fn meaning(doc: &Value, stubs: &Stubs) -> Value {
    normalize_policies(&resolve(doc, stubs))
}

/// `Ok` when `actual` means the same as `expected`: same logical IDs in
/// `Resources`, each with the same `Type` and `Properties`, and the same
/// `Outputs`, after [`resolve`] and [`normalize_policies`]. `Err` holds one
/// line per difference, each naming its path.
pub fn same_meaning(expected: &Value, actual: &Value) -> Result<(), String> {
    let stubs = Stubs::default();
    let e = meaning(expected, &stubs);
    let a = meaning(actual, &stubs);
    let mut diffs = Vec::new();

    let empty = Map::new();
    let e_res = e
        .get("Resources")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let a_res = a
        .get("Resources")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    if e_res.is_empty() {
        diffs.push("Resources: expected fragment has no resources (wrong fixture?)".to_string());
    }
    for (id, e_r) in e_res {
        let path = format!("Resources.{id}");
        match a_res.get(id) {
            None => diffs.push(format!(
                "{path}: missing (expected a {})",
                compact(e_r.get("Type").unwrap_or(&Value::Null))
            )),
            Some(a_r) => {
                for key in ATTRIBUTES {
                    diff_values(
                        &format!("{path}.{key}"),
                        &attribute(e_r, key),
                        &attribute(a_r, key),
                        &mut diffs,
                    );
                }
            }
        }
    }
    for (id, a_r) in a_res {
        if !e_res.contains_key(id) {
            diffs.push(format!(
                "Resources.{id}: unexpected resource (a {})",
                compact(a_r.get("Type").unwrap_or(&Value::Null))
            ));
        }
    }
    diff_values(
        "Outputs",
        e.get("Outputs").unwrap_or(&Value::Null),
        a.get("Outputs").unwrap_or(&Value::Null),
        &mut diffs,
    );

    if diffs.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the fragments differ in meaning ({} difference{}):\n  {}",
            diffs.len(),
            if diffs.len() == 1 { "" } else { "s" },
            diffs.join("\n  ")
        ))
    }
}

/// What a resource is made of besides its logical ID: its type, the
/// resource attributes CloudFormation reads beside the properties ("Resource
/// attribute reference"), and the properties.
const ATTRIBUTES: [&str; 7] = [
    "Type",
    "Condition",
    "DeletionPolicy",
    "UpdateReplacePolicy",
    "DependsOn",
    "Metadata",
    "Properties",
];

/// A resource's `key`, in one form for each meaning: `DependsOn` as a
/// sorted list without the resources its properties already name with
/// `Ref` or `Fn::GetAtt` (CloudFormation creates those first anyway: the
/// "DependsOn attribute" page), and `null` when empty or absent.
fn attribute(resource: &Value, key: &str) -> Value {
    let value = resource.get(key).cloned().unwrap_or(Value::Null);
    if key != "DependsOn" {
        return value;
    }
    let names = match value {
        Value::String(name) => vec![name],
        Value::Array(items) => items
            .iter()
            .filter_map(|item| item.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    };
    let properties = resource
        .get("Properties")
        .map(Value::to_string)
        .unwrap_or_default();
    let mut kept: Vec<String> = names
        .into_iter()
        .filter(|name| {
            !properties.contains(&format!("<Ref:{name}>"))
                && !properties.contains(&format!("<GetAtt:{name}."))
        })
        .collect();
    kept.sort();
    kept.dedup();
    if kept.is_empty() {
        Value::Null
    } else {
        Value::Array(kept.into_iter().map(Value::String).collect())
    }
}

/// Fails the test with [`same_meaning`]'s path-level diff.
#[allow(clippy::panic)]
pub fn assert_same_meaning(expected: &Value, actual: &Value) {
    if let Err(msg) = same_meaning(expected, actual) {
        panic!("{msg}");
    }
}

fn is_scalar(v: &Value) -> bool {
    !matches!(v, Value::Array(_) | Value::Object(_))
}

/// Appends one line per difference between `e` and `a` under `path`.
fn diff_values(path: &str, e: &Value, a: &Value, out: &mut Vec<String>) {
    match (e, a) {
        (Value::Object(em), Value::Object(am)) => {
            for (k, ev) in em {
                let p = format!("{path}.{k}");
                match am.get(k) {
                    None => out.push(format!("{p}: missing (expected {})", compact(ev))),
                    Some(av) => diff_values(&p, ev, av, out),
                }
            }
            for (k, av) in am {
                if !em.contains_key(k) {
                    out.push(format!(
                        "{path}.{k}: unexpected key (found {})",
                        compact(av)
                    ));
                }
            }
        }
        (Value::Array(ea), Value::Array(aa)) => {
            // Lists of scalars (sorted action/resource sets…) read best whole.
            if ea.iter().chain(aa.iter()).all(is_scalar) {
                if ea != aa {
                    out.push(format!(
                        "{path}: expected {}, found {}",
                        compact(e),
                        compact(a)
                    ));
                }
                return;
            }
            if ea.len() != aa.len() {
                out.push(format!(
                    "{path}: expected {} items, found {}",
                    ea.len(),
                    aa.len()
                ));
            }
            for (i, (ev, av)) in ea.iter().zip(aa.iter()).enumerate() {
                diff_values(&format!("{path}[{i}]"), ev, av, out);
            }
            for (i, ev) in ea.iter().enumerate().skip(aa.len()) {
                out.push(format!("{path}[{i}]: missing (expected {})", compact(ev)));
            }
            for (i, av) in aa.iter().enumerate().skip(ea.len()) {
                out.push(format!(
                    "{path}[{i}]: unexpected item (found {})",
                    compact(av)
                ));
            }
        }
        _ => {
            if e != a {
                out.push(format!(
                    "{path}: expected {}, found {}",
                    compact(e),
                    compact(a)
                ));
            }
        }
    }
}

/// One-line JSON, cut short when long.
fn compact(v: &Value) -> String {
    const MAX: usize = 300;
    let s = v.to_string();
    if s.chars().count() > MAX {
        let cut: String = s.chars().take(MAX).collect();
        format!("{cut}…")
    } else {
        s
    }
}
