//! What Serverless Framework v3 puts in a service's stack.
//!
//! Names follow Serverless v3's `lib/plugins/aws/lib/naming.js`:
//! `getNormalizedFunctionName` replaces every `-` with `Dash` and every `_`
//! with `Underscore`, then upper-cases the first character (lodash
//! `upperFirst`); `getLambdaLogicalId` and `getLogGroupLogicalId` append
//! `LambdaFunction` and `LogGroup`. The fixed names (`IamRoleLambdaExecution`,
//! `ServerlessDeploymentBucket`, `ServerlessDeploymentBucketPolicy`,
//! `ApiGatewayRestApi`, `HttpApi`, `HttpApiStage`, `WebsocketsApi`) come from
//! the same file; when each is generated follows v3's
//! `package/lib/generate-core-template.js`, `merge-iam-templates.js` and the
//! `http-api.js` / `api-gateway` / `websockets` event compilers.
//!
//! The resources generated for a service, in this order:
//!
//! 1. `ServerlessDeploymentBucket` (`AWS::S3::Bucket`) and
//!    `ServerlessDeploymentBucketPolicy` (`AWS::S3::BucketPolicy`), unless
//!    `provider.deploymentBucket` names a bucket (the policy also not with
//!    `provider.deploymentBucket.skipPolicySetup: true`);
//! 2. for each function in order, `<Name>LogGroup` (`AWS::Logs::LogGroup`)
//!    unless it has `disableLogs: true`;
//! 3. `IamRoleLambdaExecution` (`AWS::IAM::Role`) when there are functions,
//!    `provider` has no `role`, `provider.iam.role` is not an existing role
//!    (a string or an intrinsic function), and not every function has a `role`;
//! 4. for each function in order, `<Name>LambdaFunction` (`AWS::Lambda::Function`);
//! 5. `ApiGatewayRestApi` (`AWS::ApiGateway::RestApi`) when a function has an
//!    `http` event, unless `provider.apiGateway.restApiId` is set;
//! 6. `HttpApi` (`AWS::ApiGatewayV2::Api`) and `HttpApiStage`
//!    (`AWS::ApiGatewayV2::Stage`) when a function has an `httpApi` event,
//!    unless `provider.httpApi.id` is set;
//! 7. `WebsocketsApi` (`AWS::ApiGatewayV2::Api`) when a function has a
//!    `websocket` event, unless `provider.apiGateway.websocketApiId` is set.
//!
//! Resources Serverless generates with names that depend on a content hash
//! or on paths (`<F>LambdaVersion<hash>`, `ApiGatewayDeployment<time>`,
//! `ApiGatewayResource...`, `ApiGatewayMethod...`, permissions, stages) are
//! not listed.

use super::Reader;
use super::error::StackError;
use super::tree::{Node, Value};
use crate::source::Span;

/// Serverless's normalized form of a function name (`get-note` →
/// `GetDashnote`, `list_notes` → `ListUnderscorenotes`).
pub fn normalized_function_name(name: &str) -> String {
    let replaced = name.replace('-', "Dash").replace('_', "Underscore");
    let mut chars = replaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Logical ID of a function's `AWS::Lambda::Function` (`GetDashnoteLambdaFunction`).
pub fn lambda_logical_id(function: &str) -> String {
    format!("{}LambdaFunction", normalized_function_name(function))
}

/// Logical ID of a function's `AWS::Logs::LogGroup` (`GetDashnoteLogGroup`).
pub fn log_group_logical_id(function: &str) -> String {
    format!("{}LogGroup", normalized_function_name(function))
}

/// A function of the service, as far as naming needs it.
struct Function {
    name: String,
    /// The function's key.
    key: Span,
    /// Its body (maybe read from another file, through `${file()}`).
    body: Node,
}

/// Reads a `serverless.yml` whose tree is `root`: generated
/// resources first, then its `resources:` block.
pub(crate) fn read_service(reader: &mut Reader<'_>, root: &Node) -> Result<(), StackError> {
    generated_only(reader, root)?;
    if let Some(resources) = root.get("resources") {
        reader.with_value(resources, |r, resources| resources_block(r, resources))?;
    }
    Ok(())
}

/// Adds only what Serverless generates for the service whose tree is
/// `root`, not its `resources:` block.
pub(crate) fn generated_only(reader: &mut Reader<'_>, root: &Node) -> Result<(), StackError> {
    let functions = collect_functions(reader, root)?;
    let provider = match root.get("provider") {
        Some(p) => reader.with_value(p, |_, p| Ok(p.clone()))?,
        None => None,
    };
    let provider = provider.unwrap_or(Node {
        value: Value::Null,
        span: Span::new(root.span.file, 0, 0),
        tag: None,
    });
    let is_aws = provider
        .get("name")
        .and_then(Node::as_str)
        .is_none_or(|n| n == "aws" || n.contains("${"));
    if is_aws {
        generated_resources(reader, root, &provider, &functions);
    }
    Ok(())
}

/// `resources:` as a mapping or a list of mappings / `${file()}` strings.
fn resources_block(reader: &mut Reader<'_>, resources: &Node) -> Result<(), StackError> {
    match &resources.value {
        Value::Seq(items) => {
            for item in items {
                reader.with_value(item, |r, item| r.template(item, false))?;
            }
            Ok(())
        }
        _ => reader.template(resources, false),
    }
}

/// The service's functions in document order (`functions:` as a mapping, a
/// list of mappings, or `${file()}` strings for either).
fn collect_functions(reader: &mut Reader<'_>, root: &Node) -> Result<Vec<Function>, StackError> {
    let mut out = Vec::new();
    let Some(functions) = root.get("functions") else {
        return Ok(out);
    };
    reader.with_value(functions, |r, functions| match &functions.value {
        Value::Seq(items) => {
            for item in items {
                r.with_value(item, |r, item| function_map(r, item, &mut out))?;
            }
            Ok(())
        }
        _ => function_map(r, functions, &mut out),
    })?;
    Ok(out)
}

/// Adds the functions of one `name: body` mapping.
fn function_map(
    reader: &mut Reader<'_>,
    map: &Node,
    out: &mut Vec<Function>,
) -> Result<(), StackError> {
    if map.is_null() {
        return Ok(());
    }
    let Some(entries) = map.as_map() else {
        return Err(reader.malformed(
            map.span,
            "`functions` must map function names to functions".to_owned(),
        ));
    };
    for (key, body) in entries {
        let Some(name) = key.as_str() else {
            return Err(reader.malformed(key.span, "a function name must be a string".to_owned()));
        };
        if name.contains("${") {
            reader.unresolved(key);
            continue;
        }
        let name = name.to_owned();
        let key_span = key.span;
        let resolved = reader.with_value(body, |_, body| Ok(body.clone()))?;
        if let Some(body) = resolved {
            match out.iter_mut().find(|f| f.name == name) {
                // A later list item with the same name replaces the function.
                Some(f) => f.body = body,
                None => out.push(Function {
                    name,
                    key: key_span,
                    body,
                }),
            }
        }
    }
    Ok(())
}

/// Whether `node` is set to something (not absent, null or empty).
fn is_set(node: Option<&Node>) -> bool {
    match node {
        None => false,
        Some(n) => match &n.value {
            Value::Null => false,
            Value::Scalar(s) => !s.is_empty(),
            Value::Seq(_) | Value::Map(_) => true,
        },
    }
}

/// Whether a scalar option is `true`.
fn is_true(node: Option<&Node>) -> bool {
    node.and_then(Node::as_str) == Some("true")
}

/// The first event of type `kind` in any function: (function, event key span).
fn first_event<'f>(functions: &'f [Function], kind: &str) -> Option<(&'f Function, Span)> {
    functions.iter().find_map(|f| {
        let Some(Value::Seq(events)) = f.body.get("events").map(|e| &e.value) else {
            return None;
        };
        events
            .iter()
            .find_map(|e| e.entry(kind).map(|(k, _)| (f, k.span)))
    })
}

/// Adds the generated resources, in the order the module documentation lists.
fn generated_resources(
    reader: &mut Reader<'_>,
    root: &Node,
    provider: &Node,
    functions: &[Function],
) {
    let provider_span = root
        .entry("provider")
        .or_else(|| root.entry("service"))
        .map_or(Span::new(root.span.file, 0, 0), |(k, _)| k.span);

    let bucket = provider.get("deploymentBucket");
    let bucket_named = match bucket.map(|b| &b.value) {
        Some(Value::Map(_)) => is_set(bucket.and_then(|b| b.get("name"))),
        _ => is_set(bucket),
    };
    if !bucket_named {
        let by = "Serverless Framework (deployment bucket)".to_owned();
        reader.generated(
            "ServerlessDeploymentBucket".to_owned(),
            "AWS::S3::Bucket",
            by.clone(),
            provider_span,
        );
        if !is_true(bucket.and_then(|b| b.get("skipPolicySetup"))) {
            reader.generated(
                "ServerlessDeploymentBucketPolicy".to_owned(),
                "AWS::S3::BucketPolicy",
                by,
                provider_span,
            );
        }
    }

    let by_function = |f: &Function| format!("function `{}`", f.name);
    for f in functions {
        if !is_true(f.body.get("disableLogs")) {
            reader.generated(
                log_group_logical_id(&f.name),
                "AWS::Logs::LogGroup",
                by_function(f),
                f.key,
            );
        }
    }

    if needs_execution_role(provider, functions) {
        let span = root
            .entry("functions")
            .map_or(Span::new(root.span.file, 0, 0), |(k, _)| k.span);
        reader.generated(
            "IamRoleLambdaExecution".to_owned(),
            "AWS::IAM::Role",
            "functions (the default Lambda execution role)".to_owned(),
            span,
        );
    }

    for f in functions {
        reader.generated(
            lambda_logical_id(&f.name),
            "AWS::Lambda::Function",
            by_function(f),
            f.key,
        );
    }
    generated_apis(reader, provider, functions);
}

/// Whether Serverless generates the default Lambda execution role: some
/// function has no `role` and the provider names no role of its own.
fn needs_execution_role(provider: &Node, functions: &[Function]) -> bool {
    let iam_role = provider.get("iam").and_then(|iam| iam.get("role"));
    let existing_role = match iam_role.map(|r| &r.value) {
        Some(Value::Scalar(s)) => !s.is_empty(),
        Some(Value::Seq(_)) => true,
        Some(Value::Map(entries)) => entries.iter().any(|(k, _)| {
            k.as_str()
                .is_some_and(|k| k.starts_with("Fn::") || k == "Ref")
        }),
        Some(Value::Null) | None => false,
    };
    let every_function_has_role = functions.iter().all(|f| f.body.get("role").is_some());
    !functions.is_empty()
        && !existing_role
        && provider.get("role").is_none()
        && !every_function_has_role
}

/// Adds the APIs (and the HTTP API's stage) the functions' events generate,
/// unless the provider names an existing one.
fn generated_apis(reader: &mut Reader<'_>, provider: &Node, functions: &[Function]) {
    let apis = [
        (
            "http",
            "ApiGatewayRestApi",
            "AWS::ApiGateway::RestApi",
            is_set(provider.get("apiGateway").and_then(|a| a.get("restApiId"))),
        ),
        (
            "httpApi",
            "HttpApi",
            "AWS::ApiGatewayV2::Api",
            is_set(provider.get("httpApi").and_then(|a| a.get("id"))),
        ),
        (
            "websocket",
            "WebsocketsApi",
            "AWS::ApiGatewayV2::Api",
            is_set(
                provider
                    .get("apiGateway")
                    .and_then(|a| a.get("websocketApiId")),
            ),
        ),
    ];
    for (event, id, ty, external) in apis {
        if external {
            continue;
        }
        if let Some((f, span)) = first_event(functions, event) {
            let by = format!("`{event}` event of function `{}`", f.name);
            reader.generated(id.to_owned(), ty, by.clone(), span);
            if event == "httpApi" {
                reader.generated(
                    "HttpApiStage".to_owned(),
                    "AWS::ApiGatewayV2::Stage",
                    by,
                    span,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_serverless_v3() {
        assert_eq!(lambda_logical_id("get-note"), "GetDashnoteLambdaFunction");
        assert_eq!(
            lambda_logical_id("list_notes"),
            "ListUnderscorenotesLambdaFunction"
        );
        assert_eq!(lambda_logical_id("create"), "CreateLambdaFunction");
        assert_eq!(lambda_logical_id("getNote"), "GetNoteLambdaFunction");
        assert_eq!(log_group_logical_id("get-note"), "GetDashnoteLogGroup");
        assert_eq!(normalized_function_name("a-b_c-"), "ADashbUnderscorecDash");
        assert_eq!(normalized_function_name(""), "");
    }
}
