//! The importer's own proof: the imported program, lowered, means what the
//! template means.
//!
//! The lowered CloudFormation model ([`crate::cfn::Template`]) is read as a
//! tree of the same shape as the template's ([`model`]), and both are
//! read into the same canonical form: every string value made of literal
//! text, `Ref`, `Fn::GetAtt`, `Fn::Join`, `Fn::Sub` and `Fn::ImportValue`
//! becomes one string
//! (`Ref AWS::Partition` reads as the `aws` it stands for in the commercial
//! partition; hard-coded `arn:aws:` is what the language brief allows to
//! become partition-aware), one-item lists of policies become lists,
//! mapping keys are sorted, and the defaults CloudFormation applies are
//! filled in. Then they must be equal, resource by resource and output by
//! output. A difference is a rule of the compiler the importer did not
//! foresee (a condition operator that follows the key's type, the
//! `Null` check idpc adds to `ForAllValues:`), and is an error: importing
//! must never change meaning silently.

use crate::source::Span;
use serde_json::{Map, Value as Json};

use super::intrinsic::{self, Part};
use super::pairs::{Split, contains};
use super::span_of;
use crate::stack_reader::tree::{Node, Value};

/// A difference between the template and the compiled program.
pub(super) struct Difference {
    /// The logical ID (or `Outputs`) where they differ.
    pub(super) resource: String,
    /// The path inside it, as keys and list indices.
    pub(super) path: Vec<String>,
    /// What the template says there (`None`: nothing).
    pub(super) template: Option<Json>,
    /// What the program would deploy there (`None`: nothing).
    pub(super) program: Option<Json>,
}

/// The lowered template as a tree like the one read from a template: what
/// [`compare`] takes. Scalars are text, as a template's are.
pub(super) fn model(template: &crate::cfn::Template) -> Node {
    // Serializing the model cannot fail: its maps have string keys.
    let json = serde_json::to_value(template).unwrap_or(Json::Null);
    node(json)
}

fn node(json: Json) -> Node {
    let value = match json {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Scalar(b.to_string()),
        Json::Number(n) => Value::Scalar(n.to_string()),
        Json::String(s) => Value::Scalar(s),
        Json::Array(items) => Value::Seq(items.into_iter().map(node).collect()),
        Json::Object(entries) => Value::Map(
            entries
                .into_iter()
                .map(|(key, value)| (node(Json::String(key)), node(value)))
                .collect(),
        ),
    };
    Node {
        value,
        span: Span::synthetic(),
        tag: None,
    }
}

/// Compares the template's resources `ids` and outputs `outputs` with the
/// lowered program (`compiled`, a `Resources`/`Outputs` document, see
/// [`model`]).
pub(super) fn compare(
    template: &Node,
    ids: &[String],
    outputs: &[String],
    compiled: &Node,
    splits: &[Split],
) -> Option<Difference> {
    let template_resources = root_resources(template);
    let compiled_resources = compiled.get("Resources");
    let mut wanted: Vec<&str> = ids.iter().map(String::as_str).collect();
    for (key, _) in compiled_resources
        .and_then(Node::as_map)
        .unwrap_or_default()
    {
        if let Some(id) = key.as_str()
            && !wanted.contains(&id)
        {
            wanted.push(id);
        }
    }
    let mut expected_all: Vec<(&str, Option<Json>)> = wanted
        .iter()
        .map(|id| {
            let node = template_resources.iter().find_map(|r| r.get(id));
            (
                *id,
                node.map(|node| with_defaults(canon(&split_as_read(node, splits)))),
            )
        })
        .collect();
    attach_through_roles(&mut expected_all);
    for (id, expected) in expected_all {
        let actual = compiled_resources
            .and_then(|r| r.get(id))
            .map(|node| with_defaults(canon(node)));
        let (expected, actual) = fill_name(expected, actual);
        if let Some((path, t, p)) = first_difference(expected.as_ref(), actual.as_ref()) {
            return Some(Difference {
                resource: id.to_owned(),
                path,
                template: t,
                program: p,
            });
        }
    }
    for name in outputs {
        let expected = outputs_of(template).and_then(|o| o.get(name)).map(canon);
        let actual = compiled.get("Outputs").and_then(|o| o.get(name)).map(canon);
        if let Some((mut path, t, p)) = first_difference(expected.as_ref(), actual.as_ref()) {
            path.insert(0, name.clone());
            return Some(Difference {
                resource: "Outputs".to_owned(),
                path,
                template: t,
                program: p,
            });
        }
    }
    None
}

/// A managed policy's `Roles: [!Ref R]` attaches it to role `R` as
/// `R`'s `ManagedPolicyArns: [!Ref Policy]` would (what the program writes):
/// the template's resources are read that way, each such policy appended
/// to the role's list.
fn attach_through_roles(resources: &mut [(&str, Option<Json>)]) {
    let mut attachments: Vec<(String, String)> = Vec::new();
    for (id, resource) in resources.iter_mut() {
        let Some(resource) = resource else { continue };
        if resource.get("Type").and_then(Json::as_str) != Some("AWS::IAM::ManagedPolicy") {
            continue;
        }
        let Some(Json::Object(properties)) = resource.get_mut("Properties") else {
            continue;
        };
        let Some(Json::Array(roles)) = properties.get("Roles") else {
            continue;
        };
        let refs: Option<Vec<String>> = roles
            .iter()
            .map(|role| {
                role.as_str()
                    .and_then(|r| r.strip_prefix("{{Ref ")?.strip_suffix("}}"))
                    .map(str::to_owned)
            })
            .collect();
        let Some(refs) = refs else { continue };
        properties.remove("Roles");
        attachments.extend(refs.into_iter().map(|role| (role, id.to_string())));
    }
    for (role, policy) in attachments {
        let entry = resources
            .iter_mut()
            .find(|(id, _)| *id == role)
            .and_then(|(_, resource)| resource.as_mut())
            .and_then(|resource| resource.get_mut("Properties"))
            .and_then(Json::as_object_mut);
        if let Some(properties) = entry {
            let arns = properties
                .entry("ManagedPolicyArns".to_owned())
                .or_insert_with(|| Json::Array(Vec::new()));
            if let Json::Array(arns) = arns {
                arns.push(Json::String(format!("{{{{Ref {policy}}}}}")));
            }
        }
    }
}

/// The `Resources` mappings of a template, a fragment or a `resources:`
/// block.
fn root_resources(root: &Node) -> Vec<&Node> {
    let holders: Vec<&Node> = match root.get("resources") {
        Some(block) => super::pool::seq(block),
        None => vec![root],
    };
    holders
        .into_iter()
        .filter_map(|h| h.get("Resources"))
        .collect()
}

/// The `Outputs` of a template, or of a `resources:` block (where
/// Serverless takes them).
pub(super) fn outputs_of(root: &Node) -> Option<&Node> {
    match root.get("resources") {
        Some(block) => super::pool::seq(block)
            .into_iter()
            .find_map(|h| h.get("Outputs")),
        None => root.get("Outputs"),
    }
}

/// The node the path leads to in a template resource; when the template
/// has nothing there, the key of the deepest mapping entry it has (the
/// `Condition` that lacks a `Null`).
pub(super) fn locate<'n>(root: &'n Node, resource: &str, path: &[String]) -> Option<&'n Node> {
    let mut node = if resource == "Outputs" {
        outputs_of(root)?
    } else {
        root_resources(root)
            .into_iter()
            .find_map(|r| r.get(resource))?
    };
    let mut last_key: Option<&Node> = None;
    for step in path {
        let next = match &node.value {
            Value::Map(_) => node.entry(step).map(|(key, value)| {
                last_key = Some(key);
                value
            }),
            Value::Seq(items) => step.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        };
        match next {
            Some(next) if intrinsic::function(next).is_none() => node = next,
            Some(next) => return Some(next),
            None => return Some(last_key.unwrap_or(node)),
        }
    }
    Some(node)
}

/// The node with each statement the importer split (see `pairs`) as the
/// statements it was split into: what the program writes for it.
fn split_as_read(node: &Node, splits: &[Split]) -> Node {
    let value = match &node.value {
        Value::Seq(items) => Value::Seq(
            items
                .iter()
                .flat_map(|item| {
                    match splits.iter().find(|s| contains(s.statement, span_of(item))) {
                        Some(split) if item.get("Effect").is_some() => split_statement(item, split),
                        _ => vec![split_as_read(item, splits)],
                    }
                })
                .collect(),
        ),
        Value::Map(entries) => Value::Map(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), split_as_read(v, splits)))
                .collect(),
        ),
        Value::Null | Value::Scalar(_) => return node.clone(),
    };
    Node {
        value,
        span: node.span,
        tag: node.tag.clone(),
    }
}

/// One statement per part of `split`: its resource, and the actions that
/// fit it, each node as the template wrote it.
fn split_statement(statement: &Node, split: &Split) -> Vec<Node> {
    let entries = statement.as_map().unwrap_or_default();
    let items = |key: &str| statement.get(key).map(super::pool::seq).unwrap_or_default();
    split
        .parts
        .iter()
        .map(|(resource, actions)| {
            let pick = |key: &str, wanted: &dyn Fn(Span) -> bool| Node {
                value: Value::Seq(
                    items(key)
                        .into_iter()
                        .filter(|n| wanted(span_of(n)))
                        .cloned()
                        .collect(),
                ),
                span: Span::synthetic(),
                tag: None,
            };
            let value = entries
                .iter()
                .map(|(k, v)| match k.as_str() {
                    Some("Action") => (
                        k.clone(),
                        pick("Action", &|at| actions.iter().any(|a| contains(*a, at))),
                    ),
                    Some("Resource") => {
                        (k.clone(), pick("Resource", &|at| contains(*resource, at)))
                    }
                    _ => (k.clone(), v.clone()),
                })
                .collect();
            Node {
                value: Value::Map(value),
                span: statement.span,
                tag: None,
            }
        })
        .collect()
}

/// A node in canonical form.
fn canon(node: &Node) -> Json {
    let stringish = intrinsic::function(node).is_some() || matches!(node.value, Value::Scalar(_));
    if stringish && let Ok(parts) = intrinsic::parts(node) {
        return Json::String(render(&intrinsic::canonical(&parts)));
    }
    // Any other function (`Fn::If`) in its long form, whether the template
    // wrote `!If [...]` or `Fn::If: [...]`.
    if node.tag.is_some()
        && let Some((name, arg)) = intrinsic::function(node)
    {
        let plain = Node {
            value: arg.value.clone(),
            span: arg.span,
            tag: None,
        };
        let mut map = Map::new();
        map.insert(name, canon(&plain));
        return Json::Object(map);
    }
    match &node.value {
        Value::Null => Json::Null,
        Value::Scalar(s) => Json::String(s.clone()),
        Value::Seq(items) => Json::Array(items.iter().map(canon).collect()),
        Value::Map(entries) => {
            let mut map = Map::new();
            for (key, value) in entries {
                let mut value = canon(value);
                // The importer takes a role's policy without `Version`, or
                // with `2008-10-17`, only when `2012-10-17` means the same
                // (no policy variables).
                if key.as_str() == Some("PolicyDocument")
                    && let Json::Object(document) = &mut value
                {
                    // (Absent, IAM reads it as `2008-10-17`.)
                    let version = document
                        .entry("Version".to_owned())
                        .or_insert_with(|| Json::String("2012-10-17".to_owned()));
                    if version == "2008-10-17" {
                        *version = Json::String("2012-10-17".to_owned());
                    }
                }
                map.insert(key.as_str().unwrap_or_default().to_owned(), value);
            }
            normalize_statement(&mut map);
            Json::Object(map)
        }
    }
}

fn render(parts: &[Part]) -> String {
    let mut out = String::new();
    for part in parts {
        match part {
            Part::Text(text) => out.push_str(text),
            Part::Pseudo(p) if p == "AWS::Partition" => out.push_str("aws"),
            Part::Pseudo(p) => out.push_str(&format!("{{{{{p}}}}}")),
            Part::Ref(name) => out.push_str(&format!("{{{{Ref {name}}}}}")),
            Part::GetAtt(name, attr) => out.push_str(&format!("{{{{{name}.{attr}}}}}")),
            // Two imports are equal when they name the same export.
            Part::Import(name) => out.push_str(&format!("{{{{ImportValue {}}}}}", render(name))),
        }
    }
    out
}

/// In a policy statement, the elements IAM takes as one value or a list
/// are lists.
fn normalize_statement(map: &mut Map<String, Json>) {
    if let Some(statements) = map.get_mut("Statement") {
        listify(statements);
    }
    if !map.contains_key("Effect") {
        return;
    }
    // A `Sid` labels a statement and grants nothing (W0703 says it goes).
    map.remove("Sid");
    for key in ["Action", "Resource", "NotAction", "NotResource"] {
        if let Some(value) = map.get_mut(key) {
            listify(value);
        }
    }
    if let Some(Json::Object(principal)) = map.get_mut("Principal") {
        for value in principal.values_mut() {
            listify(value);
        }
    }
    if let Some(Json::Object(condition)) = map.get_mut("Condition") {
        for keys in condition.values_mut() {
            if let Json::Object(keys) = keys {
                for value in keys.values_mut() {
                    listify(value);
                }
            }
        }
    }
}

fn listify(value: &mut Json) {
    if !value.is_array() {
        *value = Json::Array(vec![value.take()]);
    }
}

/// Fills in what CloudFormation assumes when a property is absent, and
/// drops what the compiler leaves out because it is the default.
fn with_defaults(mut resource: Json) -> Json {
    let ty = resource
        .get("Type")
        .and_then(Json::as_str)
        .unwrap_or_default()
        .to_owned();
    depends_on_as_list(&mut resource, &ty);
    let Some(Json::Object(properties)) = resource.get_mut("Properties") else {
        return resource;
    };
    let mut default = |key: &str, value: &str| {
        properties
            .entry(key.to_owned())
            .or_insert_with(|| Json::String(value.to_owned()));
    };
    match ty.as_str() {
        "AWS::Cognito::IdentityPool" => {
            // A provider's `Fn::GetAtt Arn` is its `Ref`: both are its ARN
            // (the importer reads either only for a provider of the stack).
            for list in ["OpenIdConnectProviderARNs", "SamlProviderARNs"] {
                if let Some(Json::Array(arns)) = properties.get_mut(list) {
                    for arn in arns {
                        if let Json::String(text) = arn
                            && let Some(name) = text
                                .strip_prefix("{{")
                                .and_then(|t| t.strip_suffix(".Arn}}"))
                                .filter(|n| !n.contains(['{', '}', '.', ' ']))
                        {
                            *text = format!("{{{{Ref {name}}}}}");
                        }
                    }
                }
            }
            let mut default = |key: &str, value: &str| {
                properties
                    .entry(key.to_owned())
                    .or_insert_with(|| Json::String(value.to_owned()));
            };
            default("AllowUnauthenticatedIdentities", "false");
            default("AllowClassicFlow", "false");
            if let Some(Json::Array(providers)) = properties.get_mut("CognitoIdentityProviders") {
                for provider in providers {
                    if let Json::Object(provider) = provider {
                        provider
                            .entry("ServerSideTokenCheck".to_owned())
                            .or_insert_with(|| Json::String("false".to_owned()));
                    }
                }
            }
        }
        "AWS::IAM::Role" => default("Path", "/"),
        "AWS::Cognito::IdentityPoolPrincipalTag" => default("UseDefaults", "false"),
        // The roles a policy is attached to are a set.
        "AWS::IAM::Policy" => {
            if let Some(Json::Array(roles)) = properties.get_mut("Roles") {
                roles.sort_by_key(|role| role.to_string());
            }
        }
        _ => {}
    }
    resource
}

/// `DependsOn` as a list (CloudFormation takes one name or a list); on a
/// role attachment, dropped when it names only the pool its
/// `IdentityPoolId` refers to, which orders them already (W0720 says so).
fn depends_on_as_list(resource: &mut Json, ty: &str) {
    let Some(Json::Object(map)) = Some(&mut *resource) else {
        return;
    };
    if let Some(depends_on) = map.get_mut("DependsOn") {
        listify(depends_on);
    }
    if ty != "AWS::Cognito::IdentityPoolRoleAttachment" {
        return;
    }
    let pool = map
        .get("Properties")
        .and_then(|p| p.get("IdentityPoolId"))
        .and_then(Json::as_str)
        .and_then(|id| id.strip_prefix("{{Ref "))
        .and_then(|id| id.strip_suffix("}}"))
        .map(str::to_owned);
    let implied = match (map.get("DependsOn"), &pool) {
        (Some(Json::Array(names)), Some(pool)) => names.iter().all(|n| n.as_str() == Some(pool)),
        _ => false,
    };
    if implied {
        map.remove("DependsOn");
    }
}

/// A pool without `IdentityPoolName` is reported on its own (W0702); it is
/// no difference here.
fn fill_name(expected: Option<Json>, actual: Option<Json>) -> (Option<Json>, Option<Json>) {
    match (expected, actual) {
        (Some(mut expected), Some(actual)) => {
            let name = actual
                .get("Properties")
                .and_then(|p| p.get("IdentityPoolName"))
                .cloned();
            let is_pool =
                expected.get("Type").and_then(Json::as_str) == Some("AWS::Cognito::IdentityPool");
            if let (true, Some(name), Some(Json::Object(properties))) =
                (is_pool, name, expected.get_mut("Properties"))
            {
                properties
                    .entry("IdentityPoolName".to_owned())
                    .or_insert(name);
            }
            (Some(expected), Some(actual))
        }
        other => other,
    }
}

/// The first place two values differ: path, template side, program side.
type Found = (Vec<String>, Option<Json>, Option<Json>);

fn first_difference(expected: Option<&Json>, actual: Option<&Json>) -> Option<Found> {
    match (expected, actual) {
        (Some(Json::Object(e)), Some(Json::Object(a))) => {
            let mut keys: Vec<&String> = e.keys().chain(a.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                if let Some((mut path, t, p)) = first_difference(e.get(key), a.get(key)) {
                    path.insert(0, key.clone());
                    return Some((path, t, p));
                }
            }
            None
        }
        (Some(Json::Array(e)), Some(Json::Array(a))) => {
            for index in 0..e.len().max(a.len()) {
                if let Some((mut path, t, p)) = first_difference(e.get(index), a.get(index)) {
                    path.insert(0, index.to_string());
                    return Some((path, t, p));
                }
            }
            None
        }
        (e, a) if e == a => None,
        (e, a) => Some((Vec::new(), e.cloned(), a.cloned())),
    }
}
