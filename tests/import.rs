//! `idpc import`: round trips and the command line.
//!
//! - `build(import(seed))` means what the seed means (the meaning engine of
//!   `tests/support/meaning.rs`), and so does every hand-written meaning
//!   fixture, written in other forms (`Fn::Sub` with variables, lists of
//!   one, other key orders);
//! - `import(build(x))` builds to the same output as `x` (all but the
//!   header line) for every example, for the Serverless target and, for a
//!   fixture with every form and no Serverless variable, CloudFormation;
//! - short-form tags, `Fn::Sub` and hard-coded `arn:aws:` read back to the
//!   same program as the long forms;
//! - the CLI writes atomically and writes nothing on errors;
//! - the CLI takes the levels of the import's warnings from the
//!   `idpc.toml` beside the template (or above it), as `idpc build` does;
//! - every program import writes is in `idpc fmt`'s layout: formatting it
//!   changes nothing (`idpc fmt --check` passes).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use assert_cmd::Command;
use idpc::diag::{Severity, Sources, render_plain};
use idpc::importer::{self, import};
use idpc::{Format, Options, Target, compile};
use std::path::Path;
use support::meaning::{assert_same_meaning, load_yaml};

const SEED: &str = include_str!("fixtures/seed/cognito-identity-pool.yml");

/// Fails the test unless `program` is in `idpc fmt`'s layout.
fn assert_formatted(name: &str, program: &str) {
    let formatted = idpc::formatter::format(program, 0).unwrap_or_else(|err| {
        panic!("the program imported from {name} does not parse: {err:?}\n{program}")
    });
    assert_eq!(
        formatted, program,
        "the program imported from {name} is not in `idpc fmt`'s layout"
    );
}

/// Imports `text`; fails the test on any diagnostic, warnings included, or
/// when the program is not in `idpc fmt`'s layout.
fn import_clean(name: &str, text: &str, pool: Option<&str>) -> String {
    let mut sources = Sources::new();
    let options = importer::Options {
        pool: pool.map(str::to_owned),
        json: name.ends_with(".json"),
    };
    let imported = import(name, text, &options, &mut sources);
    assert!(
        imported.diagnostics.is_empty(),
        "importing {name} reported:\n{}",
        render_plain(&imported.diagnostics, &sources)
    );
    let program = imported
        .program
        .expect("a program when there are no errors");
    assert_formatted(name, &program);
    program
}

/// Compiles a program; fails the test on errors.
fn build(name: &str, program: &str, target: Target, base_dir: Option<&Path>) -> String {
    let mut sources = Sources::new();
    let options = Options {
        target,
        format: Format::Yaml,
        base_dir: base_dir.map(Path::to_path_buf),
        ..Options::default()
    };
    let compiled = compile(name, program.as_bytes(), &options, &mut sources);
    assert!(
        !compiled
            .diagnostics
            .iter()
            .any(|d| d.severity() == Severity::Error),
        "building {name} failed:\n{}\n{program}",
        render_plain(&compiled.diagnostics, &sources)
    );
    compiled.output.expect("output when there are no errors")
}

/// The output without its first line (the header names the source file).
fn body(output: &str) -> &str {
    output.split_once('\n').map_or("", |(_, rest)| rest)
}

#[test]
fn seed_imports_to_the_reference_program() {
    let program = import_clean("cognito-identity-pool.yml", SEED, None);
    insta::assert_snapshot!("seed_program", program);
}

#[test]
fn building_the_imported_seed_means_the_seed() {
    let program = import_clean("cognito-identity-pool.yml", SEED, None);
    let built = build("imported.idp", &program, Target::Serverless, None);
    assert_same_meaning(&load_yaml(SEED), &load_yaml(&built));
}

#[test]
fn building_each_imported_hand_written_fixture_means_the_fixture() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/meaning");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let program = import_clean(&name, &text, None);
        let built = build("imported.idp", &program, Target::Serverless, None);
        assert_same_meaning(&load_yaml(&text), &load_yaml(&built));
        count += 1;
    }
    assert!(count >= 5, "expected the meaning fixtures in {dir:?}");
}

/// `import(build(x))` builds to what `x` builds to.
fn assert_round_trip(program_path: &str, target: Target) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = root.join(program_path);
    let source = std::fs::read_to_string(&path).unwrap();
    let original = build(program_path, &source, target, path.parent());
    let program = import_clean("built.yml", &original, None);
    let rebuilt = build("imported.idp", &program, target, None);
    assert_eq!(
        body(&original),
        body(&rebuilt),
        "{program_path} ({target:?}): the imported program builds to something else:\n{program}"
    );
    // And the imported program imports to itself.
    assert_eq!(import_clean("built.yml", &rebuilt, None), program);
}

#[test]
fn every_example_survives_build_import_build() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "idp") {
            let name = format!("examples/{}", path.file_name().unwrap().to_string_lossy());
            assert_round_trip(&name, Target::Serverless);
            count += 1;
        }
    }
    assert!(count >= 5, "expected the examples in {dir:?}");
}

#[test]
fn the_notes_app_survives_build_import_build_with_its_stack() {
    // `use "serverless.yml"` reads the app's stack; the imported program
    // names the same resources with `use KIND`.
    assert_round_trip("examples/notes/identity-pool.idp", Target::Serverless);
}

#[test]
fn every_form_survives_build_import_build_for_cloudformation() {
    // Programs without Serverless variables, covering every form.
    for fixture in [
        "everything",
        "several-providers",
        "attributes",
        "stack-forms",
    ] {
        assert_round_trip(
            &format!("tests/fixtures/import/{fixture}.idp"),
            Target::CloudFormation,
        );
    }
}

/// A role's other inline policies, a separate `AWS::IAM::Policy` naming
/// it, and managed policies attached through `ManagedPolicyArns` or their
/// own `Roles` read back as `policy "Name" { ... }`, `policy "Name" as Id`,
/// top-level `managed_policy` items and `managed_policy Name` lines (the
/// import proves the program deploys what the template does); the program
/// then survives build and import unchanged.
#[test]
fn a_roles_policies_of_every_form_read_back() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text =
        std::fs::read_to_string(root.join("tests/fixtures/import/role-policies.yml")).unwrap();
    let program = import_clean("role-policies.yml", &text, None);
    for line in [
        "managed_policy ReadNotesPolicy {\n  description \"Reads the notes table\"\n",
        "managed_policy AuditPolicy {\n  name \"notes-audit\"\n",
        "    policy \"Notes\"\n    managed_policy ReadNotesPolicy\n    managed_policy AuditPolicy\n",
        "    policy \"Uploads\" {\n      allow s3:PutObject on FilesBucket/private/$<sub>/*\n    }\n",
        "    policy \"notes-invoke\" as NotesLambdaPolicy {\n",
    ] {
        assert!(program.contains(line), "{line}\nnot in\n{program}");
    }
    for target in [Target::Serverless, Target::CloudFormation] {
        let built = build("imported.idp", &program, target, None);
        let again = import_clean("built.yml", &built, None);
        let rebuilt = build("imported.idp", &again, target, None);
        assert_eq!(body(&built), body(&rebuilt), "{again}");
        assert_eq!(import_clean("built.yml", &rebuilt, None), again);
    }
}

/// One `AWS::IAM::Policy` naming two roles of a pool reads back as the
/// same `policy "Name" as LogicalId` block in each, and builds back to one
/// resource whose `Roles` lists both.
#[test]
fn a_policy_of_two_roles_reads_back_in_both() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text =
        std::fs::read_to_string(root.join("tests/fixtures/import/shared-policy.yml")).unwrap();
    let program = import_clean("shared-policy.yml", &text, None);
    let block =
        "    policy \"tiles\" as TilesPolicy {\n      allow geo:GetMapTile on TrailMap\n    }\n";
    assert_eq!(program.matches(block).count(), 2, "{program}");
    let built = build("imported.idp", &program, Target::CloudFormation, None);
    assert_eq!(
        built.matches("Type: AWS::IAM::Policy").count(),
        1,
        "{built}"
    );
    assert!(
        built.contains(
            "      Roles:\n        - Ref: HikesPoolAuthRole\n        - Ref: HikesPoolUnauthRole\n"
        ),
        "{built}"
    );
    let again = import_clean("built.yml", &built, None);
    assert_eq!(body(&again), body(&program));
}

/// `import(build(x)) == x`: parameters, pseudo parameters, attributes and
/// imported values in strings, `guests`, `if Cond` on pools, roles,
/// attachment entries, statements and outputs, and an attachment's
/// `depends_on` come back as written, for both targets.
#[test]
fn stack_names_and_conditions_import_back_to_the_program() {
    for path in [
        "tests/fixtures/import/stack-names.idp",
        "tests/fixtures/import/stack-providers.idp",
        "tests/fixtures/import/stack-imports.idp",
    ] {
        imports_back_to_itself(path);
    }
}

/// `import(build(x))` is `x`, comments aside, for both targets.
fn imports_back_to_itself(path: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let source = std::fs::read_to_string(root.join(path)).unwrap();
    // The fixture's own comment lines, then the program as import writes it.
    let written: String = source
        .lines()
        .skip_while(|line| line.starts_with('#'))
        .map(|line| format!("{line}\n"))
        .collect();
    for target in [Target::Serverless, Target::CloudFormation] {
        assert_round_trip(path, target);
        let built = build(path, &source, target, None);
        let imported = import_clean("built.yml", &built, None);
        assert_eq!(
            body(body(&imported)),
            written,
            "{path} ({target:?}): the program imported from what it builds differs"
        );
    }
}

/// What a real stack writes by hand (`!Sub` with `${AWS::StackName}` and a
/// parameter, `Fn::Join` with `Ref`s, `Condition:` on a role, `!If` with
/// `AWS::NoValue` in a statement list and in `Roles`, `AllowUnauthenticated
/// Identities: !If [...]`) reads back and builds to the same meaning.
#[test]
fn hand_written_parameters_and_conditions_build_to_the_same_meaning() {
    let template = r#"Resources:
  Pool:
    Type: AWS::Cognito::IdentityPool
    Properties:
      IdentityPoolName: !Sub "${AWS::StackName}-${Stage}"
      AllowUnauthenticatedIdentities: !If [GuestsOn, true, false]
  PoolRoles:
    Type: AWS::Cognito::IdentityPoolRoleAttachment
    Properties:
      IdentityPoolId: !Ref Pool
      Roles:
        authenticated: !GetAtt PoolAuthRole.Arn
        unauthenticated: !If [GuestsOn, !GetAtt PoolUnauthRole.Arn, !Ref AWS::NoValue]
  PoolAuthRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Federated: cognito-identity.amazonaws.com}
            Action: sts:AssumeRoleWithWebIdentity
            Condition:
              StringEquals: {"cognito-identity.amazonaws.com:aud": !Ref Pool}
              "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": authenticated}
      Policies:
        - PolicyName: PoolAuthRolePolicy
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - !If
                - IsProd
                - Effect: Allow
                  Action: s3:GetObject
                  Resource: !Join ["", ["arn:", !Ref "AWS::Partition", ":s3:::files-", !Ref Stage, "/*"]]
                - !Ref AWS::NoValue
  PoolUnauthRole:
    Type: AWS::IAM::Role
    Condition: GuestsOn
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Federated: cognito-identity.amazonaws.com}
            Action: sts:AssumeRoleWithWebIdentity
            Condition:
              StringEquals: {"cognito-identity.amazonaws.com:aud": !Ref Pool}
              "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": unauthenticated}
      Policies:
        - PolicyName: PoolUnauthRolePolicy
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: cognito-sync:ListDatasets
                Resource: "*"
"#;
    let program = import_clean("stack.yml", template, None);
    assert!(program.contains("use parameter Stage\n"), "{program}");
    assert!(
        program.contains("name \"$(AWS::StackName)-$(Stage)\""),
        "{program}"
    );
    assert!(program.contains("guests if GuestsOn"), "{program}");
    assert!(
        program.contains("unauthenticated role if GuestsOn {"),
        "{program}"
    );
    assert!(
        program.contains("\"arn:$(AWS::Partition):s3:::files-$(Stage)/*\" if IsProd"),
        "{program}"
    );
    let built = build("imported.idp", &program, Target::CloudFormation, None);
    let rebuilt = import_clean("built.yml", &built, None);
    assert_eq!(body(&rebuilt), body(&program));
}

#[test]
fn json_output_imports_to_the_same_program() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let source = std::fs::read_to_string(root.join("examples/notes.idp")).unwrap();
    let mut sources = Sources::new();
    let options = Options {
        format: Format::Json,
        ..Options::default()
    };
    let json = compile("notes.idp", source.as_bytes(), &options, &mut sources)
        .output
        .unwrap();
    let yaml = build("notes.idp", &source, Target::Serverless, None);
    assert_eq!(
        body(&import_clean("notes.json", &json, None)),
        body(&import_clean("notes.yml", &yaml, None))
    );
}

#[test]
fn short_forms_sub_and_hard_coded_partitions_read_back_the_same() {
    // The seed with `!Ref`/`!GetAtt`/`!Join`/`!Sub`, an `Fn::Sub` with
    // `AWS::Partition` and one with the hard-coded `arn:aws:`.
    let short = SEED
        .replace(
            "        - ClientId:\n            Ref: CognitoUserPoolClient\n          ProviderName:\n            Fn::GetAtt: [ \"CognitoUserPool\", \"ProviderName\" ]",
            "        - ClientId: !Ref CognitoUserPoolClient\n          ProviderName: !GetAtt CognitoUserPool.ProviderName",
        )
        .replace(
            "        authenticated:\n          Fn::GetAtt: [CognitoAuthRole, Arn]",
            "        authenticated: !GetAtt CognitoAuthRole.Arn",
        )
        .replace(
            "                Resource:\n                  Fn::Join:\n                    - ''\n                    -\n                      - 'arn:aws:execute-api:'\n                      - Ref: AWS::Region\n                      - ':'\n                      - Ref: AWS::AccountId\n                      - ':'\n                      - Ref: ApiGatewayRestApi\n                      - '/*'",
            "                Resource: !Sub 'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${ApiGatewayRestApi}/*'",
        )
        .replace(
            "                  - Fn::Join:\n                    - ''\n                    -\n                      - Fn::GetAtt: [AttachmentsBucket, Arn]\n                      - '/private/'\n                      - '$'\n                      - '{cognito-identity.amazonaws.com:sub}/*'",
            "                  - !Join ['', [!GetAtt AttachmentsBucket.Arn, '/private/${cognito-identity.amazonaws.com:sub}/*']]",
        );
    assert_eq!(short.matches('!').count(), 6, "every replacement applies");
    assert_eq!(
        body(&import_clean("short.yml", &short, None)),
        body(&import_clean("seed.yml", SEED, None))
    );
}

#[test]
fn pool_picks_one_of_several() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let source =
        std::fs::read_to_string(root.join("tests/fixtures/import/everything.idp")).unwrap();
    let built = build("everything.idp", &source, Target::CloudFormation, None);
    let mut sources = Sources::new();
    let options = importer::Options {
        pool: Some("MainPool".to_owned()),
        json: false,
    };
    let imported = import("everything.yml", &built, &options, &mut sources);
    let program = imported.program.expect("MainPool imports alone");
    assert_formatted("everything.yml", &program);
    assert!(program.contains("identity_pool MainPool {"));
    assert!(!program.contains("SecondPool"));
    // What is left out is said, never dropped silently.
    let rendered = render_plain(&imported.diagnostics, &sources);
    for left_out in ["`SecondPool`", "`ThirdPool`", "`SharedReaderRole`"] {
        assert!(
            rendered.contains(left_out),
            "{left_out} not reported:\n{rendered}"
        );
    }
    assert!(
        imported
            .diagnostics
            .iter()
            .all(|d| d.severity() == Severity::Warning)
    );
}

#[test]
fn cli_writes_the_program_atomically_and_nothing_on_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pool.idp");
    let seed =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seed/cognito-identity-pool.yml");
    Command::cargo_bin("idpc")
        .unwrap()
        .arg("import")
        .arg(&seed)
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stdout("");
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.contains("identity_pool CognitoIdentityPool {"));
    // What import writes, `idpc fmt --check` accepts as it is.
    Command::cargo_bin("idpc")
        .unwrap()
        .args(["fmt", "--check"])
        .arg(&out)
        .assert()
        .success();

    // A template idp cannot express: exit 1, the file stays as it was.
    let bad = dir.path().join("bad.yml");
    std::fs::write(
        &bad,
        SEED.replace(
            "Action:\n                  - 's3:*'",
            "NotAction:\n                  - 's3:*'",
        ),
    )
    .unwrap();
    let assert = Command::cargo_bin("idpc")
        .unwrap()
        .arg("import")
        .arg(&bad)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("error[E0702]"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), written);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        2,
        "no temporary file left"
    );

    // A missing template: exit 2.
    Command::cargo_bin("idpc")
        .unwrap()
        .args(["import", "no-such-template.yml"])
        .assert()
        .code(2);
}

/// The seed with the bucket its role uses also defined: importing it gives
/// one W0701 (the program only `use`s the bucket).
fn seed_with_bucket() -> String {
    let rest = SEED.strip_prefix("Resources:\n").unwrap();
    format!("Resources:\n  AttachmentsBucket:\n    Type: AWS::S3::Bucket\n{rest}")
}

#[test]
fn cli_warnings_fail_under_deny_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("with-bucket.yml");
    std::fs::write(&template, seed_with_bucket()).unwrap();
    let ok = Command::cargo_bin("idpc")
        .unwrap()
        .arg("import")
        .arg(&template)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&ok.get_output().stderr).into_owned();
    assert!(stderr.contains("warning[W0701]"), "{stderr}");
    Command::cargo_bin("idpc")
        .unwrap()
        .args(["--deny-warnings", "import"])
        .arg(&template)
        .assert()
        .code(1)
        .stdout("");
}

/// Imports `text` and checks the one promise every input gets: a program
/// exactly when there is no error, and never a panic.
fn import_anything(name: &str, text: &str) {
    let mut sources = Sources::new();
    let imported = import(name, text, &importer::Options::default(), &mut sources);
    let errors = imported
        .diagnostics
        .iter()
        .any(|d| d.severity() == Severity::Error);
    assert_eq!(
        errors,
        imported.program.is_none(),
        "{name}: a program must come exactly when there are no errors"
    );
    if let Some(program) = &imported.program {
        assert_formatted(name, program);
    }
    // Every diagnostic renders.
    let _ = render_plain(&imported.diagnostics, &sources);
}

#[test]
fn any_stack_file_or_garbage_imports_or_is_refused_without_a_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut pending = vec![root.join("tests"), root.join("examples")];
    let mut count = 0;
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path
                .extension()
                .is_some_and(|e| e == "yml" || e == "yaml" || e == "json")
                && let Ok(text) = std::fs::read_to_string(&path)
            {
                import_anything(&path.display().to_string(), &text);
                count += 1;
            }
        }
    }
    assert!(count > 20, "expected the stack fixtures, found {count}");
    for cut in (0..SEED.len()).step_by(97) {
        // Prefixes of the seed: truncated documents, dangling keys.
        import_anything("truncated.yml", &SEED[..SEED.floor_char_boundary(cut)]);
    }
    for (what, text) in [
        ("empty", String::new()),
        ("scalar", "just text".to_owned()),
        ("list", "- a\n- b\n".to_owned()),
        ("null resources", "Resources:\n".to_owned()),
        ("resource not a map", "Resources:\n  P: 3\n".to_owned()),
        ("pool not a map", "Resources:\n  P:\n    Type: AWS::Cognito::IdentityPool\n    Properties: 3\n".to_owned()),
        ("deep", format!("Resources: {}{}", "[".repeat(500), "]".repeat(500))),
        ("multibyte", "Resources:\n  P:\n    Type: AWS::Cognito::IdentityPool\n    Properties:\n      IdentityPoolName: \"é${ü}\"\n".to_owned()),
    ] {
        import_anything(what, &text);
    }
}

#[test]
fn a_serverless_yml_with_inline_resources_imports_like_the_seed() {
    let text = include_str!("fixtures/import/serverless.yml");
    assert_eq!(
        body(&import_clean("serverless.yml", text, None)),
        body(&import_clean("seed.yml", SEED, None))
    );
}

#[test]
fn an_output_names_its_resource_by_an_attribute_only_one_kind_has() {
    let text = "Resources:\n  P:\n    Type: AWS::Cognito::IdentityPool\n    Properties:\n      IdentityPoolName: p\n      AllowUnauthenticatedIdentities: false\nOutputs:\n  Url:\n    Value: !GetAtt Jobs.QueueUrl\n";
    let program = import_clean("outputs.yml", text, None);
    assert!(program.contains("use queue Jobs\n"), "{program}");
    assert!(
        program.contains("output Url = Jobs.QueueUrl\n"),
        "{program}"
    );
}

#[test]
fn cli_reads_json_templates() {
    let dir = tempfile::tempdir().unwrap();
    let program = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/notes.idp");
    let built = Command::cargo_bin("idpc")
        .unwrap()
        .args(["build", "--format", "json"])
        .arg(&program)
        .output()
        .unwrap();
    assert!(built.status.success());
    let template = dir.path().join("notes.json");
    std::fs::write(&template, &built.stdout).unwrap();
    let imported = Command::cargo_bin("idpc")
        .unwrap()
        .arg("import")
        .arg(&template)
        .output()
        .unwrap();
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    assert_eq!(
        body(&String::from_utf8(imported.stdout).unwrap()),
        body(&import_clean("seed.yml", SEED, None))
    );
}

/// Runs `idpc import` in `dir` with `args`, returning the exit code and
/// stderr; fails the test on a panic.
fn import_in(dir: &Path, args: &[&str]) -> (i32, String) {
    let output = Command::cargo_bin("idpc")
        .unwrap()
        .current_dir(dir)
        .args(["--color", "never"])
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (output.status.code().expect("killed by a signal"), stderr)
}

/// A directory holding `infra/with-bucket.yml` (one W0701) and, when given,
/// an `idpc.toml` at its root, a directory above the template.
fn import_project(config: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("infra")).unwrap();
    std::fs::write(dir.path().join("infra/with-bucket.yml"), seed_with_bucket()).unwrap();
    if let Some(config) = config {
        std::fs::write(dir.path().join("idpc.toml"), config).unwrap();
    }
    dir
}

#[test]
fn cli_idpc_toml_allow_drops_an_import_warning() {
    // Beside the template.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("with-bucket.yml"), seed_with_bucket()).unwrap();
    std::fs::write(dir.path().join("idpc.toml"), "[lints]\nW0701 = \"allow\"\n").unwrap();
    let args = ["import", "with-bucket.yml", "-o", "pool.idp"];
    let (code, stderr) = import_in(dir.path(), &args);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let written = std::fs::read_to_string(dir.path().join("pool.idp")).unwrap();
    assert!(
        written.contains("use bucket AttachmentsBucket"),
        "{written}"
    );
    // An allowed warning is gone, so `--deny-warnings` has nothing to fail on.
    let (code, stderr) = import_in(dir.path(), &[&["--deny-warnings"], &args[..]].concat());
    assert_eq!((code, stderr.as_str()), (0, ""));

    // In the nearest directory above the template, found from the
    // template's directory rather than the working directory.
    let dir = import_project(Some("[lints]\nW0701 = \"allow\"\n"));
    let (code, stderr) = import_in(&dir.path().join("infra"), &["import", "with-bucket.yml"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let (code, stderr) = import_in(dir.path(), &["import", "infra/with-bucket.yml"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
}

#[test]
fn cli_idpc_toml_deny_fails_the_import_and_writes_nothing() {
    let dir = import_project(Some("[lints]\nW0701 = \"deny\"\n"));
    let (code, stderr) = import_in(
        dir.path(),
        &["import", "infra/with-bucket.yml", "-o", "pool.idp"],
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(!dir.path().join("pool.idp").exists(), "nothing is written");
    assert!(stderr.contains("error[W0701]"), "{stderr}");
    assert!(
        stderr.contains("the level of `W0701` is set here"),
        "{stderr}"
    );
    assert!(stderr.contains("idpc.toml:2:1"), "{stderr}");
    assert!(stderr.contains("1 error"), "{stderr}");
    // Without idpc.toml the same template imports, with the warning.
    let dir = import_project(None);
    let (code, stderr) = import_in(dir.path(), &["import", "infra/with-bucket.yml"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("warning[W0701]"), "{stderr}");
}

#[test]
fn cli_a_bad_idpc_toml_fails_the_import_first() {
    let dir = import_project(Some("[lints]\nW0701 = \"off\"\n"));
    let (code, stderr) = import_in(
        dir.path(),
        &[
            "--error-format",
            "json",
            "import",
            "infra/with-bucket.yml",
            "-o",
            "pool.idp",
        ],
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(!dir.path().join("pool.idp").exists(), "nothing is written");
    let lines: Vec<serde_json::Value> = stderr
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let found: Vec<&str> = lines.iter().map(|d| d["code"].as_str().unwrap()).collect();
    // The mistake in idpc.toml comes first, then the template's warning,
    // which the broken level did not touch.
    assert_eq!(found, ["E0504", "W0701"], "{stderr}");
    let mistake = &lines[0];
    assert_eq!(mistake["file"], "idpc.toml");
    assert_eq!(mistake["severity"], "error");
    let label = &mistake["labels"][0];
    let config = std::fs::read_to_string(dir.path().join("idpc.toml")).unwrap();
    let (start, end) = (
        label["start"].as_u64().unwrap() as usize,
        label["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&config[start..end], "\"off\"");
    assert!(
        mistake["help"]
            .as_str()
            .unwrap()
            .contains("\"allow\" drops it"),
        "{mistake}"
    );

    // An idpc.toml that cannot be read at all is an I/O error (exit 2).
    let dir = import_project(None);
    std::fs::write(dir.path().join("idpc.toml"), b"[lints]\n# caf\xe9\n").unwrap();
    let (code, stderr) = import_in(dir.path(), &["import", "infra/with-bucket.yml"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("error[E0901]"), "{stderr}");
    assert!(stderr.contains("idpc.toml"), "{stderr}");
}

/// A template's `Sid` is kept as an inert comment (issue 14): a template
/// author cannot suppress idpc's findings through text `import` copies,
/// neither with a Sid that reads like a suppression comment nor with one
/// holding a line break that would start a new line of program.
#[test]
fn a_sid_never_becomes_a_suppression_comment() {
    let template = include_str!("ui/import/sid.yml").replace("s3:GetObject", "s3:*");
    for sid in [
        r#""idpc: allow(W0601) reason: the template says so""#,
        r#""x\n# idpc: allow(W0601) reason: the template says so""#,
        r#""x\r# idpc: allow(W0601) reason: the template says so\u2028allow *:* on *""#,
    ] {
        let template = template.replace("ReadOwnAttachments", sid);
        let mut sources = Sources::new();
        let imported = import(
            "sid.yml",
            &template,
            &importer::Options::default(),
            &mut sources,
        );
        let Some(program) = imported.program else {
            panic!("{sid}:\n{}", render_plain(&imported.diagnostics, &sources));
        };
        assert_formatted("sid.yml", &program);
        assert!(
            program.contains("\n    # Sid: x # idpc: allow(W0601)")
                || program.contains("\n    # Sid: idpc: allow(W0601)"),
            "{sid}: the Sid is one comment line:\n{program}"
        );
        let mut sources = Sources::new();
        let compiled = compile(
            "sid.idp",
            program.as_bytes(),
            &Options::default(),
            &mut sources,
        );
        let codes: Vec<&str> = compiled
            .diagnostics
            .iter()
            .map(|d| d.code.as_str())
            .collect();
        assert_eq!(
            codes,
            ["W0601"],
            "{sid}: W0601 is not suppressed:\n{program}"
        );
        assert!(compiled.suppressed.is_empty(), "{sid}");
    }
}

/// Every import in `tests/ui/import` that gives a program (warnings only)
/// gives it in `idpc fmt`'s layout, whatever the template's layout.
#[test]
fn every_imported_ui_case_is_in_fmt_layout() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ui/import");
    let mut programs = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "yml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let mut sources = Sources::new();
        let imported = import(&name, &text, &importer::Options::default(), &mut sources);
        if let Some(program) = imported.program {
            assert_formatted(&name, &program);
            programs += 1;
        }
    }
    assert!(programs >= 3, "expected warning-only cases in {dir:?}");
}

/// The program is proven as written, not only as the importer built it: a
/// template string holding `$<`, which a program's string cannot hold
/// literally (it reads back as a policy variable), is refused.
/// A literal `$(` in a template string would read back as a reference:
/// import refuses it (the program does not compile), never changes it.
#[test]
fn a_literal_reference_opener_is_refused() {
    let template = include_str!("ui/import/misspelled_action.yml")
        .replace("s3:GetObjekt", "s3:GetObject")
        .replace(
            r#"!Sub "${NotesBucket.Arn}/private/${!cognito-identity.amazonaws.com:sub}/*""#,
            r#""arn:aws:s3:::b/$(x)""#,
        );
    assert!(template.contains("$(x)"));
    let mut sources = Sources::new();
    let imported = import(
        "paren.yml",
        &template,
        &importer::Options::default(),
        &mut sources,
    );
    assert!(imported.program.is_none());
    let rendered = render_plain(&imported.diagnostics, &sources);
    assert!(rendered.contains("error[E0707]"), "{rendered}");
}

#[test]
fn a_string_the_program_cannot_write_is_refused() {
    let template = include_str!("ui/import/misspelled_action.yml")
        .replace("s3:GetObjekt", "s3:GetObject")
        .replace(
            r#"!Sub "${NotesBucket.Arn}/private/${!cognito-identity.amazonaws.com:sub}/*""#,
            r#""arn:aws:s3:::b/$<x>""#,
        );
    assert!(template.contains("$<x>"));
    let mut sources = Sources::new();
    let imported = import(
        "dollar.yml",
        &template,
        &importer::Options::default(),
        &mut sources,
    );
    assert!(imported.program.is_none());
    let rendered = render_plain(&imported.diagnostics, &sources);
    assert!(rendered.contains("error[E0707]"), "{rendered}");
    assert!(rendered.contains("`$<x>`"), "{rendered}");
}

/// A pool whose `AllowUnauthenticatedIdentities` says otherwise than its
/// roles reads back as `guests true` (guests get an identity id; no guest
/// role here hands them credentials) or `guests false` (the attached guest
/// role is never handed out), and builds back to the same template.
#[test]
fn guests_apart_from_the_roles_read_back() {
    let trust = |amr: &str| {
        format!(
            "      AssumeRolePolicyDocument:
        Version: \"2012-10-17\"
        Statement:
          - Effect: Allow
            Principal: {{Federated: cognito-identity.amazonaws.com}}
            Action: sts:AssumeRoleWithWebIdentity
            Condition:
              StringEquals: {{\"cognito-identity.amazonaws.com:aud\": {{Ref: NotesPool}}}}
              \"ForAnyValue:StringLike\": {{\"cognito-identity.amazonaws.com:amr\": {amr}}}
"
        )
    };
    let guests_only = "Resources:
  NotesPool:
    Type: AWS::Cognito::IdentityPool
    Properties:
      IdentityPoolName: notes
      AllowUnauthenticatedIdentities: true
";
    let role_unused = format!(
        "Resources:
  NotesPool:
    Type: AWS::Cognito::IdentityPool
    Properties:
      IdentityPoolName: notes
      AllowUnauthenticatedIdentities: false
  NotesPoolRoles:
    Type: AWS::Cognito::IdentityPoolRoleAttachment
    Properties:
      IdentityPoolId: {{Ref: NotesPool}}
      Roles:
        unauthenticated: {{\"Fn::GetAtt\": [NotesPoolUnauthRole, Arn]}}
  NotesPoolUnauthRole:
    Type: AWS::IAM::Role
    Properties:
{}",
        trust("unauthenticated")
    );
    for (template, line) in [
        (guests_only.to_owned(), "  guests true\n"),
        (role_unused, "  guests false\n"),
    ] {
        let program = import_clean("guests.yml", &template, None);
        assert!(program.contains(line), "{line:?} not in\n{program}");
        let built = build("imported.idp", &program, Target::CloudFormation, None);
        assert_same_meaning(&load_yaml(&template), &load_yaml(&built));
        assert_eq!(
            body(&import_clean("built.yml", &built, None)),
            body(&program)
        );
    }
}
