//! Tests of `idpc::stack_reader`: reading templates and serverless.yml files, and
//! refusing hostile ones (how fast is measured in `benches/compile.rs`,
//! `hostile stack/*`, not here).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use idpc::source::{Sources, Span};
use idpc::stack_reader::{
    Limits, Origin, Stack, StackError, StackErrorKind, StackKind, read_stack,
};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/stack")
        .join(rel)
}

fn read(path: &Path) -> Stack {
    read_stack(path, &Limits::default(), &mut Sources::new()).unwrap_or_else(|e| panic!("{e}"))
}

fn read_err(path: &Path) -> StackError {
    match read_stack(path, &Limits::default(), &mut Sources::new()) {
        Ok(stack) => panic!("expected an error, got {:?}", ids(&stack)),
        Err(e) => e,
    }
}

fn ids(stack: &Stack) -> Vec<(&str, &str)> {
    stack
        .resources
        .iter()
        .map(|r| (r.logical_id.as_str(), r.cfn_type.as_str()))
        .collect()
}

/// Which of the stack's files an origin is in (0: the named one).
fn file_index(stack: &Stack, origin: &Origin) -> usize {
    let file = origin.span().file;
    stack.files.iter().position(|f| f.file == file).unwrap()
}

/// The text an origin points at, read again from its file.
fn origin_text(stack: &Stack, origin: &Origin) -> String {
    let path = &stack.files[file_index(stack, origin)].path;
    std::fs::read_to_string(path).unwrap()[origin.span().range()].to_owned()
}

fn write(dir: &Path, name: &str, text: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn template_with_short_form_tags() {
    let stack = read(&fixture("template.yml"));
    assert_eq!(stack.kind, StackKind::Template);
    assert_eq!(
        ids(&stack),
        [
            ("NotesTable", "AWS::DynamoDB::Table"),
            ("AttachmentsBucket", "AWS::S3::Bucket"),
            ("Role", "AWS::IAM::Role"),
        ]
    );
    for r in &stack.resources {
        assert!(matches!(r.origin, Origin::File { .. }));
        assert_eq!(file_index(&stack, &r.origin), 0);
        assert_eq!(origin_text(&stack, &r.origin), r.logical_id);
    }
    assert_eq!(stack.files.len(), 1);
    assert!(stack.unresolved.is_empty());
}

#[test]
fn json_template() {
    let stack = read(&fixture("template.json"));
    assert_eq!(
        ids(&stack),
        [
            ("UserPool", "AWS::Cognito::UserPool"),
            ("UserPoolClient", "AWS::Cognito::UserPoolClient"),
        ]
    );
    // The span covers the quoted key in JSON.
    assert_eq!(
        origin_text(&stack, &stack.resources[0].origin),
        "\"UserPool\""
    );
}

#[test]
fn serverless_with_file_includes() {
    let stack = read(&fixture("service/serverless.yml"));
    assert_eq!(stack.kind, StackKind::Serverless);
    assert_eq!(
        ids(&stack),
        [
            ("ServerlessDeploymentBucket", "AWS::S3::Bucket"),
            ("ServerlessDeploymentBucketPolicy", "AWS::S3::BucketPolicy"),
            ("GetDashnoteLogGroup", "AWS::Logs::LogGroup"),
            ("ListUnderscorenotesLogGroup", "AWS::Logs::LogGroup"),
            ("CreateLogGroup", "AWS::Logs::LogGroup"),
            ("IamRoleLambdaExecution", "AWS::IAM::Role"),
            ("GetDashnoteLambdaFunction", "AWS::Lambda::Function"),
            ("ListUnderscorenotesLambdaFunction", "AWS::Lambda::Function"),
            ("CreateLambdaFunction", "AWS::Lambda::Function"),
            ("ApiGatewayRestApi", "AWS::ApiGateway::RestApi"),
            ("HttpApi", "AWS::ApiGatewayV2::Api"),
            ("HttpApiStage", "AWS::ApiGatewayV2::Stage"),
            ("NotesTable", "AWS::DynamoDB::Table"),
            ("AttachmentsBucket", "AWS::S3::Bucket"),
            ("Queue", "AWS::SQS::Queue"),
            ("Topic", "AWS::SNS::Topic"),
            ("Alarm", "AWS::CloudWatch::Alarm"),
        ]
    );
    let files: Vec<String> = stack
        .files
        .iter()
        .map(|f| f.path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        files,
        [
            "serverless.yml",
            "table.yml",
            "bucket.json",
            "nested.yml",
            "alarm.yml"
        ]
    );
    let find = |id: &str| stack.resources.iter().find(|r| r.logical_id == id).unwrap();

    // Generated resources point at what generates them.
    let get = find("GetDashnoteLambdaFunction");
    match &get.origin {
        Origin::Generated { by, .. } => {
            assert_eq!(by, "function `get-note`");
            assert_eq!(file_index(&stack, &get.origin), 0);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(origin_text(&stack, &get.origin), "get-note");
    assert_eq!(
        origin_text(&stack, &find("ApiGatewayRestApi").origin),
        "http"
    );
    assert_eq!(origin_text(&stack, &find("HttpApi").origin), "httpApi");

    // Included resources point at their key in the included file.
    let table = find("NotesTable");
    assert!(matches!(table.origin, Origin::File { .. }));
    assert_eq!(file_index(&stack, &table.origin), 1);
    assert_eq!(origin_text(&stack, &table.origin), "NotesTable");
    // `Alarm: ${file(alarm.yml)}` is keyed in nested.yml.
    assert!(matches!(find("Alarm").origin, Origin::File { .. }));
    assert_eq!(file_index(&stack, &find("Alarm").origin), 3);

    // The variable that could not be followed is reported.
    assert_eq!(stack.unresolved.len(), 1);
    assert_eq!(stack.unresolved[0].text, "${self:custom.moreResources}");
    assert_eq!(stack.unresolved[0].span.file, stack.files[0].file);
}

#[test]
fn a_file_read_again_keeps_its_place_in_the_sources() {
    // Two `use` lines naming one file (or its includes) must give the same
    // spans, or its resources would look declared twice.
    let mut sources = Sources::new();
    let limits = Limits::default();
    let service = fixture("service/serverless.yml");
    let first = read_stack(&service, &limits, &mut sources).unwrap();
    let again = read_stack(&service, &limits, &mut sources).unwrap();
    assert_eq!(first, again);
    let table = fixture("service/resources/../resources/table.yml");
    let alone = read_stack(&table, &limits, &mut sources).unwrap();
    let key = |stack: &Stack| {
        let table = stack
            .resources
            .iter()
            .find(|r| r.logical_id == "NotesTable");
        table.unwrap().origin.span()
    };
    assert_eq!(key(&alone), key(&first));
    assert_eq!(
        &sources.text(key(&alone).file)[key(&alone).range()],
        "NotesTable"
    );
}

#[test]
fn notes_example_app() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/notes/serverless.yml");
    // The app includes the compiler's own output, build/identity-pool.yml,
    // which a fresh checkout does not have: the lenient reading the
    // compiler uses lists it as missing and goes on. (After a local build
    // it exists; its resources are left out below.)
    let built = path.with_file_name("build/identity-pool.yml");
    let mut stack = idpc::stack_reader::read_stack_allowing_missing_includes(
        &path,
        &Limits::default(),
        &mut Sources::new(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    if built.exists() {
        let own = stack
            .files
            .iter()
            .find(|f| f.path.ends_with("build/identity-pool.yml"))
            .map(|f| f.file);
        stack
            .resources
            .retain(|r| Some(r.origin.span().file) != own);
    } else {
        assert_eq!(read_err(&path).kind, StackErrorKind::NotFound);
        assert_eq!(stack.missing_includes.len(), 1);
        assert!(
            stack.missing_includes[0]
                .path
                .ends_with("build/identity-pool.yml")
        );
    }
    assert_eq!(
        ids(&stack),
        [
            ("ServerlessDeploymentBucket", "AWS::S3::Bucket"),
            ("ServerlessDeploymentBucketPolicy", "AWS::S3::BucketPolicy"),
            ("GetDashnoteLogGroup", "AWS::Logs::LogGroup"),
            ("ListDashnotesLogGroup", "AWS::Logs::LogGroup"),
            ("IamRoleLambdaExecution", "AWS::IAM::Role"),
            ("GetDashnoteLambdaFunction", "AWS::Lambda::Function"),
            ("ListDashnotesLambdaFunction", "AWS::Lambda::Function"),
            ("ApiGatewayRestApi", "AWS::ApiGateway::RestApi"),
            ("NotesTable", "AWS::DynamoDB::Table"),
            ("AttachmentsBucket", "AWS::S3::Bucket"),
            ("CognitoUserPool", "AWS::Cognito::UserPool"),
            ("CognitoUserPoolClient", "AWS::Cognito::UserPoolClient"),
        ]
    );
    assert!(stack.unresolved.is_empty());
}

#[test]
fn provider_settings_suppress_generated_resources() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "serverless.yml",
        b"service: s
provider:
  name: aws
  deploymentBucket:
    name: my-bucket
  iam:
    role: arn:aws:iam::123456789012:role/existing
  apiGateway:
    restApiId: abc123
  httpApi:
    id: def456
functions:
  a:
    handler: a.h
    disableLogs: true
    events:
      - http: GET /
      - httpApi: GET /
",
    );
    let stack = read(&path);
    assert_eq!(ids(&stack), [("ALambdaFunction", "AWS::Lambda::Function")]);
}

#[test]
fn function_roles_and_functions_as_file() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "functions.yml",
        b"get-note:\n  handler: a.h\n  role: MyRole\n",
    );
    let path = write(
        dir.path(),
        "serverless.yml",
        b"service: s\nprovider:\n  name: aws\n  deploymentBucket: my-bucket\nfunctions: ${file(functions.yml)}\n",
    );
    let stack = read(&path);
    // Every function has its own role: no IamRoleLambdaExecution.
    assert_eq!(
        ids(&stack),
        [
            ("GetDashnoteLogGroup", "AWS::Logs::LogGroup"),
            ("GetDashnoteLambdaFunction", "AWS::Lambda::Function"),
        ]
    );
    assert_eq!(origin_text(&stack, &stack.resources[1].origin), "get-note");
}

#[test]
fn include_cycle_names_the_chain() {
    let err = read_err(&fixture("cycle/serverless.yml"));
    let StackErrorKind::IncludeCycle(chain) = &err.kind else {
        panic!("{err}");
    };
    let names: Vec<_> = chain
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["a.yml", "b.yml", "a.yml"]);
    // The error points at the include in b.yml that closes the cycle.
    assert!(err.file.ends_with("b.yml"));
    assert_eq!(err.line_col, Some((1, 12)));
    assert_eq!(err.included_from.len(), 2);
}

#[test]
fn missing_include_is_not_found_with_resolved_path() {
    let err = read_err(&fixture("missing/serverless.yml"));
    assert_eq!(err.kind, StackErrorKind::NotFound);
    assert_eq!(err.file, fixture("missing/resources/nope.yml"));
    assert_eq!(err.included_from.len(), 1);
    let site = &err.included_from[0];
    assert!(site.file.ends_with("missing/serverless.yml"));
    assert_eq!(site.line_col, (5, 5));
    let text = std::fs::read_to_string(&site.file).unwrap();
    assert_eq!(&text[site.span.range()], "${file(resources/nope.yml)}");
}

#[test]
fn missing_file_is_not_found() {
    let path = fixture("does-not-exist.yml");
    let err = read_err(&path);
    assert_eq!(err.kind, StackErrorKind::NotFound);
    assert_eq!(err.file, path);
    assert!(err.included_from.is_empty());
}

#[test]
fn malformed_yaml_has_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "bad.yml",
        b"Resources:\n  Table:\n    Type: AWS::DynamoDB::Table\n    Properties: [a, b\n  Other: x\n",
    );
    let err = read_err(&path);
    assert!(matches!(err.kind, StackErrorKind::Malformed(_)), "{err}");
    let (line, _col) = err.line_col.unwrap();
    assert!(line == 4 || line == 5, "{err}");
    assert!(err.span.is_some());
}

#[test]
fn malformed_json_has_json_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "bad.json",
        b"{\n  \"Resources\": {\n    \"A\": { \"Type\": \"AWS::S3::Bucket\" },,\n  }\n}\n",
    );
    let err = read_err(&path);
    assert!(matches!(err.kind, StackErrorKind::Malformed(_)), "{err}");
    // The second comma.
    assert_eq!(err.line_col, Some((3, 40)), "{err}");
}

#[test]
fn resource_without_type_points_at_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "t.yml",
        b"Resources:\n  Good:\n    Type: AWS::S3::Bucket\n  Bad:\n    Properties: {}\n",
    );
    let err = read_err(&path);
    assert_eq!(
        err.kind,
        StackErrorKind::Malformed("resource `Bad` has no `Type`".to_owned())
    );
    assert_eq!(err.line_col, Some((4, 3)));
    assert_eq!(err.span.map(Span::range), Some(47..50));
}

#[test]
fn serverless_override_without_type_of_unknown_resource_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "serverless.yml",
        b"service: s\nresources:\n  Resources:\n    Nope:\n      Properties: {}\n",
    );
    let err = read_err(&path);
    assert!(matches!(err.kind, StackErrorKind::Malformed(_)), "{err}");
    assert_eq!(err.line_col, Some((4, 5)));
}

#[test]
fn neither_template_nor_service() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "x.yml", b"hello: world\n");
    assert_eq!(read_err(&path).kind, StackErrorKind::NotAStack);
}

#[test]
fn not_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "x.yml", b"Resources:\n  A\xff: 1\n");
    let err = read_err(&path);
    assert_eq!(err.kind, StackErrorKind::NotUtf8);
    assert_eq!(err.line_col, Some((2, 4)));
}

#[test]
fn hostile_alias_bomb_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    text.push_str("Resources:\n  Bomb:\n    Type: AWS::S3::Bucket\n    Properties: *a9\n");
    let path = write(dir.path(), "bomb.yml", text.as_bytes());
    let err = read_err(&path);
    assert!(matches!(err.kind, StackErrorKind::AliasBudget(_)), "{err}");
}

#[test]
fn hostile_huge_file_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.yml");
    let file = std::fs::File::create(&path).unwrap();
    // Sparse: 50 MB without writing 50 MB.
    file.set_len(50 * 1024 * 1024).unwrap();
    let err = read_err(&path);
    assert_eq!(
        err.kind,
        StackErrorKind::TooLarge {
            bytes: 50 * 1024 * 1024,
            limit: 10 * 1024 * 1024
        }
    );
}

#[test]
fn hostile_deep_flow_nesting_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "deep.yml", "[".repeat(100_000).as_bytes());
    let err = read_err(&path);
    assert!(matches!(err.kind, StackErrorKind::TooDeep { .. }), "{err}");

    // Balanced, so that it is valid JSON and only the depth is wrong.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let path = write(dir.path(), "deep.json", deep.as_bytes());
    let err = read_err(&path);
    assert!(matches!(err.kind, StackErrorKind::TooDeep { .. }), "{err}");
}

#[test]
fn hostile_deep_block_nesting_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::new();
    for i in 0..1_000 {
        text.push_str(&" ".repeat(i));
        text.push_str("a:\n");
    }
    let path = write(dir.path(), "deep.yml", text.as_bytes());
    let err = read_err(&path);
    assert!(matches!(err.kind, StackErrorKind::TooDeep { .. }), "{err}");
}

#[test]
fn too_many_includes() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "r.yml", b"Resources: {}\n");
    let items = "  - ${file(r.yml)}\n".repeat(10);
    let path = write(
        dir.path(),
        "serverless.yml",
        format!("service: s\nresources:\n{items}").as_bytes(),
    );
    let mut limits = Limits::default();
    limits.max_includes = 5;
    let err = read_stack(&path, &limits, &mut Sources::new()).unwrap_err();
    assert_eq!(err.kind, StackErrorKind::TooManyIncludes { limit: 5 });
    // A file included many times is read once.
    limits.max_includes = 10;
    let stack = read_stack(&path, &limits, &mut Sources::new()).unwrap();
    assert_eq!(stack.files.len(), 2);
}

#[test]
fn directory_is_unreadable() {
    let dir = tempfile::tempdir().unwrap();
    let err = read_err(dir.path());
    assert!(matches!(err.kind, StackErrorKind::Unreadable(_)), "{err}");
}

#[test]
fn error_display_names_file_position_and_chain() {
    let err = read_err(&fixture("missing/serverless.yml"));
    let shown = err.to_string();
    assert!(shown.contains("nope.yml: file not found"), "{shown}");
    assert!(shown.contains("included from"), "{shown}");
    assert!(shown.contains("serverless.yml:5:5"), "{shown}");
}

#[test]
fn nesting_up_to_the_limit_is_accepted() {
    // Resources (1) > Deep (2) > Properties (3) > 60 more levels, on a test
    // thread's small stack.
    let mut text =
        String::from("Resources:\n  Deep:\n    Type: AWS::S3::Bucket\n    Properties:\n");
    for i in 0..60 {
        text.push_str(&" ".repeat(6 + 2 * i));
        text.push_str("a:\n");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "deep.yml", text.as_bytes());
    assert_eq!(ids(&read(&path)), [("Deep", "AWS::S3::Bucket")]);
}

#[test]
fn websocket_events_and_override_with_type() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "serverless.yml",
        b"service: s
provider:
  name: aws
  deploymentBucket: b
functions:
  connect:
    handler: a.h
    events:
      - websocket: $connect
resources:
  Resources:
    ConnectLogGroup:
      Type: AWS::Logs::LogGroup
      Properties:
        RetentionInDays: 7
",
    );
    let stack = read(&path);
    assert_eq!(
        ids(&stack),
        [
            ("ConnectLogGroup", "AWS::Logs::LogGroup"),
            ("IamRoleLambdaExecution", "AWS::IAM::Role"),
            ("ConnectLambdaFunction", "AWS::Lambda::Function"),
            ("WebsocketsApi", "AWS::ApiGatewayV2::Api"),
        ]
    );
    // An entry in `resources:` with a Type takes over the generated one's origin.
    assert!(matches!(stack.resources[0].origin, Origin::File { .. }));
    assert_eq!(
        origin_text(&stack, &stack.resources[0].origin),
        "ConnectLogGroup"
    );
}

#[test]
fn empty_file_is_not_a_stack_and_empty_include_is_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let empty = write(dir.path(), "empty.yml", b"");
    assert_eq!(read_err(&empty).kind, StackErrorKind::NotAStack);
    let path = write(
        dir.path(),
        "serverless.yml",
        b"service: s\nprovider:\n  name: aws\nresources:\n  - ${file(empty.yml)}\n",
    );
    assert_eq!(
        ids(&read(&path)),
        [
            ("ServerlessDeploymentBucket", "AWS::S3::Bucket"),
            ("ServerlessDeploymentBucketPolicy", "AWS::S3::BucketPolicy"),
        ]
    );
}
