//! Equivalent spellings normalize on import (issue 16): a template that
//! writes a value another way than idpc does, with the same meaning,
//! imports to the same program as the template in idpc's own spelling
//! (`tests/fixtures/import_spellings/canonical.yml`), never a refusal. The
//! importer's own check (`verify`) proves each program deploys what its
//! template means; these tests pin that each spelling is read at all.
//! Also: what Serverless generates for a `serverless.yml` is known by name.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use idpc::diag::{Code, Severity, Sources, render_plain};
use idpc::importer::{self, import};

const CANONICAL: &str = include_str!("fixtures/import_spellings/canonical.yml");

/// The program imported from `text`; fails on an error, or on a warning
/// other than W0701 (resources the program leaves to the stack) and the
/// codes in `allowed`.
fn program_of(name: &str, text: &str, allowed: &[Code]) -> String {
    let mut sources = Sources::new();
    let imported = import(name, text, &importer::Options::default(), &mut sources);
    let unexpected = imported
        .diagnostics
        .iter()
        .any(|d| d.code != Code::W0701 && !allowed.contains(&d.code));
    assert!(
        !unexpected,
        "importing {name} reported:\n{}",
        render_plain(&imported.diagnostics, &sources)
    );
    let program = imported.program.expect("a program without errors");
    // The header names the file; the rest must be equal.
    program.split_once('\n').unwrap().1.to_owned()
}

/// `CANONICAL` with `from` replaced by `to` (which must occur).
fn respelled(from: &str, to: &str) -> String {
    assert!(CANONICAL.contains(from), "the fixture has `{from}`");
    CANONICAL.replace(from, to)
}

fn assert_same_program(what: &str, text: &str, allowed: &[Code]) {
    assert_eq!(
        program_of(what, text, allowed),
        program_of("canonical.yml", CANONICAL, &[]),
        "{what} imports to another program"
    );
}

#[test]
fn a_provider_name_built_from_the_region_and_the_user_pool_id_is_the_user_pool() {
    let written = "ProviderName: !GetAtt UserPool.ProviderName";
    for spelling in [
        r#"ProviderName: !Sub "cognito-idp.${AWS::Region}.amazonaws.com/${UserPool}""#,
        r#"ProviderName: !Sub "cognito-idp.${AWS::Region}.${AWS::URLSuffix}/${UserPool}""#,
        r#"ProviderName: !Join ["", ["cognito-idp.", !Ref "AWS::Region", ".amazonaws.com/", !Ref UserPool]]"#,
        r#"ProviderName: {"Fn::Join": ["", ["cognito-idp.", {"Ref": "AWS::Region"}, ".amazonaws.com/", {"Ref": "UserPool"}]]}"#,
    ] {
        assert_same_program(spelling, &respelled(written, spelling), &[]);
    }
}

#[test]
fn an_oidc_provider_by_get_att_arn_is_the_provider() {
    let text = respelled(
        "        - !Ref GitHubOidc",
        "        - !GetAtt GitHubOidc.Arn",
    );
    assert_same_program("GetAtt .Arn", &text, &[]);
}

#[test]
fn federated_as_a_list_and_quoted_role_keys_are_the_same() {
    let text = respelled(
        "              Federated: cognito-identity.amazonaws.com",
        "              Federated: [cognito-identity.amazonaws.com]",
    )
    .replace(
        "        authenticated: !GetAtt",
        "        \"authenticated\": !GetAtt",
    );
    assert_same_program("Federated list, quoted key", &text, &[]);
}

#[test]
fn arns_built_from_names_and_pseudo_parameters_are_the_resources() {
    let bucket = "!Join [\"\", [!GetAtt NotesBucket.Arn, \"/public/*\"]]";
    for spelling in [
        r#"!Sub "arn:${AWS::Partition}:s3:::${NotesBucket}/public/*""#,
        r#"!Sub "arn:aws:s3:::${NotesBucket}/public/*""#,
        r#"!Join ["", ["arn:", !Ref "AWS::Partition", ":s3:::", !Ref NotesBucket, "/public/*"]]"#,
    ] {
        assert_same_program(spelling, &respelled(bucket, spelling), &[]);
    }
    let table = r#"!Sub "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${NotesTable}""#;
    assert_same_program(table, &respelled("!GetAtt NotesTable.Arn", table), &[]);
    let function =
        r#"!Sub "arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:${NotesFunction}""#;
    assert_same_program(
        function,
        &respelled("!GetAtt NotesFunction.Arn", function),
        &[],
    );
}

#[test]
fn an_arn_built_from_the_name_of_another_kind_is_not_taken_for_it() {
    // `NotesTable` is a table: an S3 ARN of its name is not the table.
    let text = respelled(
        "!Join [\"\", [!GetAtt NotesBucket.Arn, \"/public/*\"]]",
        r#"!Sub "arn:aws:s3:::${NotesTable}/public/*""#,
    );
    let imported = import(
        "other-kind.yml",
        &text,
        &importer::Options::default(),
        &mut Sources::new(),
    );
    assert!(imported.program.is_none());
    assert!(imported.diagnostics.iter().any(|d| d.code == Code::E0704));
}

#[test]
fn single_strings_for_action_and_resource_are_lists_of_one() {
    let text = respelled(
        "                Action:\n                  - dynamodb:GetItem\n                Resource:\n                  - !GetAtt NotesTable.Arn",
        "                Action: dynamodb:GetItem\n                Resource: !GetAtt NotesTable.Arn",
    );
    assert_same_program("single strings", &text, &[]);
}

#[test]
fn a_policy_without_version_and_without_variables_imports_with_a_note() {
    let text = respelled(
        "          PolicyDocument:\n            Version: \"2012-10-17\"\n",
        "          PolicyDocument:\n",
    );
    assert_same_program("no Version", &text, &[Code::N0750]);
    let imported = import(
        "no-version.yml",
        &text,
        &importer::Options::default(),
        &mut Sources::new(),
    );
    let note = imported.diagnostics.iter().find(|d| d.code == Code::N0750);
    assert_eq!(note.map(|d| d.severity()), Some(Severity::Note));
    // `2008-10-17` written out is what IAM reads without `Version`.
    let old = respelled(
        "          PolicyDocument:\n            Version: \"2012-10-17\"\n",
        "          PolicyDocument:\n            Version: \"2008-10-17\"\n",
    );
    assert_same_program("2008-10-17", &old, &[Code::N0750]);
}

/// IAM's `"Action": "*"`, every action of every service, in a list or
/// alone: the language's `*` action item, which builds back to `"*"`.
#[test]
fn action_star_imports_as_the_star_action_and_builds_back() {
    let listed = respelled(
        "                  - dynamodb:GetItem\n",
        "                  - \"*\"\n",
    );
    let alone = respelled(
        "                Action:\n                  - dynamodb:GetItem\n",
        "                Action: \"*\"\n",
    );
    // `*` on a table lets every table action (and more) write: W0601, W0602
    // say so on import as they would on `dynamodb:*`.
    let lints = [Code::W0601, Code::W0602];
    let program = program_of("star.yml", &listed, &lints);
    assert!(program.contains("    allow * on NotesTable\n"), "{program}");
    assert!(!program.contains("dynamodb:GetItem"), "{program}");
    assert_eq!(program_of("alone.yml", &alone, &lints), program);
    // Built back, the statement says `"*"` again, and imports to the same.
    let mut sources = Sources::new();
    let options = idpc::Options {
        target: idpc::Target::CloudFormation,
        ..idpc::Options::default()
    };
    let compiled = idpc::compile("star.idp", program.as_bytes(), &options, &mut sources);
    let built = compiled.output.expect("the imported program builds");
    assert!(
        built.contains("Action:\n                  - \"*\"\n"),
        "{built}"
    );
    // The stack defines the resources the program `use`s: with `*`, no
    // action tells a table's kind.
    let (_, defined) = CANONICAL.split_once("  NotesBucket:\n").unwrap();
    let stack = format!("{built}  NotesBucket:\n{defined}");
    assert_eq!(program_of("built.yml", &stack, &lints), program);
}

/// A `serverless.yml` whose `resources:` grant on what Serverless generates
/// for its functions and events: the names are known by the kind Serverless
/// gives them, even where the ARN's shape could not tell (`WebsocketsApi`).
const SERVICE: &str = r#"service: notes
provider:
  name: aws
functions:
  hello:
    handler: handler.hello
    events:
      - http: GET hello
  get-note:
    handler: handler.get
    events:
      - websocket: $connect
resources:
  Resources:
    NotesPool:
      Type: AWS::Cognito::IdentityPool
      Properties:
        IdentityPoolName: notes
        AllowUnauthenticatedIdentities: false
    NotesPoolRoles:
      Type: AWS::Cognito::IdentityPoolRoleAttachment
      Properties:
        IdentityPoolId: !Ref NotesPool
        Roles:
          authenticated: !GetAtt NotesPoolAuthRole.Arn
    NotesPoolAuthRole:
      Type: AWS::IAM::Role
      Properties:
        AssumeRolePolicyDocument:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal:
                Federated: cognito-identity.amazonaws.com
              Action: sts:AssumeRoleWithWebIdentity
              Condition:
                StringEquals:
                  cognito-identity.amazonaws.com:aud: !Ref NotesPool
                ForAnyValue:StringLike:
                  cognito-identity.amazonaws.com:amr: authenticated
        Policies:
          - PolicyName: NotesPoolAuthRolePolicy
            PolicyDocument:
              Version: "2012-10-17"
              Statement:
                - Effect: Allow
                  Action:
                    - execute-api:Invoke
                  Resource:
                    - !Sub "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${ApiGatewayRestApi}/*"
                - Effect: Allow
                  Action:
                    - lambda:InvokeFunction
                  Resource:
                    - !GetAtt HelloLambdaFunction.Arn
                    - !GetAtt GetDashnoteLambdaFunction.Arn
                - Effect: Allow
                  Action:
                    - execute-api:ManageConnections
                  Resource:
                    - !Sub "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${WebsocketsApi}/*"
"#;

#[test]
fn serverless_generated_names_are_used_with_their_kind() {
    let program = program_of("serverless.yml", SERVICE, &[]);
    for line in [
        "use rest_api ApiGatewayRestApi",
        "use function HelloLambdaFunction",
        "use function GetDashnoteLambdaFunction",
        // An `AWS::ApiGatewayV2::Api`, as Serverless generates it, not the
        // REST API its ARN's shape alone would suggest.
        "use http_api WebsocketsApi",
    ] {
        assert!(program.contains(line), "no `{line}` in:\n{program}");
    }
}
