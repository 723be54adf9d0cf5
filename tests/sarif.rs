//! `--error-format sarif`: every log validates against the official SARIF
//! 2.1.0 schema, and says what code-scanning tools show: the rule, the
//! level, the message with its help, the exact region, related locations,
//! and which results were suppressed and why.
//!
//! `tests/fixtures/sarif-schema-2.1.0.json` is the OASIS committee
//! specification's schema, unchanged: `Documents/CommitteeSpecifications/
//! 2.1.0/sarif-schema-2.1.0.json` of github.com/oasis-tcs/sarif-spec
//! (commit 3682e9ee648f2f3e11ba1fcd47fc390a0b8f9dab; its `$id` is the
//! `Schemata/` copy of the same file).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use assert_cmd::Command;
use idpc::diag::{Code, Severity};
use serde_json::Value;
use std::path::Path;

const BAD: &str = "use bucket AttachmentsBucket\n\nidentity_pool P {\n  authenticated role {\n    allow s3:* on AttachmentBucket/*\n  }\n}\noutput Id = Nope\n";

/// A program with a warning shown (W0101), one suppressed by a comment
/// (W0402), one allowed by `idpc.toml` (W0202) and a stale suppression
/// (W0504, with a related location).
const WARNINGS: &str = "use bucket AttachmentsBucket, OldBucket
use table NotesTable

role AuditorRole {
  allow cognito-sync:ListDatasets on *
}

identity_pool P {
  authenticated role {
    # idpc: allow(W0402) reason: one item per identity
    allow dynamodb:GetItem on NotesTable when dynamodb:Attributes == \"title\"
    # idpc: allow(W0401) reason: left over
    allow s3:GetObject on AttachmentsBucket/*
  }
}
";

fn schema() -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sarif-schema-2.1.0.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

/// Runs `idpc --error-format sarif ARGS` in `dir`; returns the exit code and
/// the log, checked against the schema.
fn sarif(dir: &Path, args: &[&str]) -> (i32, Value) {
    let output = Command::new(env!("CARGO_BIN_EXE_idpc"))
        .current_dir(dir)
        .args(["--error-format", "sarif"])
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    let log: Value = serde_json::from_str(&stderr)
        .unwrap_or_else(|e| panic!("not one JSON document ({e}):\n{stderr}"));
    let validator = schema();
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "invalid SARIF:\n{}\n{stderr}",
        errors.join("\n")
    );
    (output.status.code().unwrap(), log)
}

fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn results(log: &Value) -> &Vec<Value> {
    log["runs"][0]["results"].as_array().unwrap()
}

fn rule_of<'a>(log: &'a Value, result: &Value) -> &'a Value {
    let index = result["ruleIndex"].as_u64().unwrap() as usize;
    &log["runs"][0]["tool"]["driver"]["rules"][index]
}

#[test]
fn a_run_with_errors() {
    let dir = project(&[("bad.idp", BAD)]);
    let (code, log) = sarif(dir.path(), &["build", "bad.idp"]);
    assert_eq!(code, 1);
    assert_eq!(log["version"], "2.1.0");
    let results = results(&log);
    assert_eq!(results.len(), 2);
    let first = &results[0];
    assert_eq!(first["ruleId"], "E0101");
    assert_eq!(rule_of(&log, first)["id"], "E0101");
    assert_eq!(first["level"], "error");
    let text = first["message"]["text"].as_str().unwrap();
    assert!(
        text.starts_with("unknown resource `AttachmentBucket`"),
        "{text}"
    );
    assert!(
        text.ends_with("help: did you mean `AttachmentsBucket`?"),
        "{text}"
    );
    let location = &first["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "bad.idp");
    assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    // `AttachmentBucket` on line 5, columns 19 to 34; the end column is the
    // one after the last character.
    assert_eq!(location["region"]["startLine"], 5);
    assert_eq!(location["region"]["startColumn"], 19);
    assert_eq!(location["region"]["endLine"], 5);
    assert_eq!(location["region"]["endColumn"], 35);
    assert_eq!(results[1]["ruleId"], "E0101");
    assert_eq!(
        results[1]["locations"][0]["physicalLocation"]["region"]["startLine"],
        8
    );
}

#[test]
fn a_run_with_warnings_and_suppressions() {
    let dir = project(&[
        ("app.idp", WARNINGS),
        ("idpc.toml", "[lints]\nW0202 = \"allow\"\n"),
    ]);
    let (code, log) = sarif(dir.path(), &["check", "app.idp"]);
    assert_eq!(code, 0);
    let results = results(&log);
    let shown: Vec<&Value> = results
        .iter()
        .filter(|r| r.get("suppressions").is_none())
        .collect();
    let ids: Vec<&str> = shown
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["W0101", "W0504"]);
    assert!(shown.iter().all(|r| r["level"] == "warning"));
    // The stale suppression points at the item below it.
    let related = &shown[1]["relatedLocations"][0];
    assert_eq!(related["message"]["text"], "the item it applies to");
    assert_eq!(related["physicalLocation"]["region"]["startLine"], 13);

    let suppressed: Vec<&Value> = results
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    let by_comment = suppressed.iter().find(|r| r["ruleId"] == "W0402").unwrap();
    assert_eq!(by_comment["suppressions"][0]["kind"], "inSource");
    assert_eq!(
        by_comment["suppressions"][0]["justification"],
        "one item per identity"
    );
    let by_config = suppressed.iter().find(|r| r["ruleId"] == "W0202").unwrap();
    assert_eq!(by_config["suppressions"][0]["kind"], "external");
    assert_eq!(suppressed.len(), 2);
}

#[test]
fn a_denied_warning_is_an_error_pointing_at_idpc_toml() {
    let dir = project(&[
        ("app.idp", WARNINGS),
        ("idpc.toml", "[lints]\nW0101 = \"deny\"\n"),
    ]);
    let (code, log) = sarif(dir.path(), &["check", "app.idp"]);
    assert_eq!(code, 1);
    let denied = results(&log)
        .iter()
        .find(|r| r["ruleId"] == "W0101")
        .unwrap();
    assert_eq!(denied["level"], "error");
    assert_eq!(
        rule_of(&log, denied)["defaultConfiguration"]["level"],
        "warning"
    );
    let related = &denied["relatedLocations"][0]["physicalLocation"];
    assert_eq!(related["artifactLocation"]["uri"], "idpc.toml");
    assert_eq!(related["region"]["startLine"], 2);
}

#[test]
fn a_clean_run_is_an_empty_log() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let (code, log) = sarif(&examples, &["check", "guest-access.idp"]);
    assert_eq!(code, 0);
    assert_eq!(results(&log).len(), 0);
}

#[test]
fn the_notes_example_lists_its_justified_suppressions() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let (code, log) = sarif(&examples, &["check", "notes.idp"]);
    assert_eq!(code, 0);
    let results = results(&log);
    let ids: Vec<&str> = results
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["W0601", "W0601", "W0602", "W0601"]);
    for result in results {
        let suppression = &result["suppressions"][0];
        assert_eq!(suppression["kind"], "inSource");
        assert!(
            suppression["justification"]
                .as_str()
                .unwrap()
                .contains("as in the guide")
                || suppression["justification"]
                    .as_str()
                    .unwrap()
                    .contains("reference policy verbatim"),
            "{suppression}"
        );
    }
}

#[test]
fn every_code_is_a_rule_with_its_explanation() {
    let dir = project(&[("bad.idp", BAD)]);
    let (_, log) = sarif(dir.path(), &["check", "bad.idp"]);
    let driver = &log["runs"][0]["tool"]["driver"];
    assert_eq!(driver["name"], "idpc");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), Code::ALL.len());
    for (rule, code) in rules.iter().zip(Code::ALL) {
        assert_eq!(rule["id"], code.as_str());
        assert_eq!(rule["shortDescription"]["text"], code.title());
        assert_eq!(rule["help"]["markdown"], code.explanation());
        let level = match code.severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        assert_eq!(rule["defaultConfiguration"]["level"], level, "{code}");
        let name = rule["name"].as_str().unwrap();
        assert!(name.chars().all(|c| c.is_ascii_alphanumeric()), "{name}");
        assert!(!rule["fullDescription"]["text"].as_str().unwrap().is_empty());
    }
}

/// The schema is really checked: a log with a level SARIF does not have,
/// or a region starting at column 0, is refused.
#[test]
fn the_schema_refuses_a_broken_log() {
    let dir = project(&[("bad.idp", BAD)]);
    let (_, log) = sarif(dir.path(), &["check", "bad.idp"]);
    let validator = schema();
    let mut wrong_level = log.clone();
    wrong_level["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&wrong_level));
    let mut column_zero = log.clone();
    column_zero["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startColumn"] =
        0.into();
    assert!(!validator.is_valid(&column_zero));
    assert!(validator.is_valid(&log));
}

/// A build whose output cannot be written is still one log, with the
/// program's warnings and the failed write (E0902, about no text).
#[test]
fn a_failed_write_is_a_result_in_the_same_log() {
    let dir = project(&[("app.idp", "use bucket B\n")]);
    let (code, log) = sarif(dir.path(), &["build", "app.idp", "-o", "missing/out.yml"]);
    assert_eq!(code, 2);
    let ids: Vec<&str> = results(&log)
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["W0101", "E0902"]);
    assert!(results(&log)[1].get("locations").is_none());
}

#[test]
fn ten_thousand_results_are_capped_with_a_count_of_the_rest() {
    // 10,000 unknown names made an 8.5 MB log; it lists MAX_LISTED results
    // and a notification counts the rest (the log still validates).
    let n = 10_000;
    let mut text = String::new();
    for i in 0..n {
        // Pools of 1,000 statements: E0006 refuses longer roles.
        if i % 1000 == 0 {
            text.push_str(&format!("identity_pool P{i} {{\n  authenticated role {{\n"));
        }
        text.push_str(&format!("    allow s3:GetObject on Missing{i}/*\n"));
        if i % 1000 == 999 {
            text.push_str("  }\n}\n");
        }
    }
    let dir = project(&[("many.idp", &text)]);
    let (code, log) = sarif(dir.path(), &["check", "many.idp"]);
    assert_eq!(code, 1);
    let listed = results(&log);
    assert_eq!(listed.len(), idpc::diag::MAX_LISTED);
    assert_eq!(listed[0]["ruleId"], "E0101");
    let notifications = &log["runs"][0]["invocations"][0]["toolExecutionNotifications"];
    let message = notifications[0]["message"]["text"].as_str().unwrap();
    let left_out = n - idpc::diag::MAX_LISTED;
    assert!(
        message.starts_with(&format!(
            "{left_out} more diagnostics are not listed ({left_out} errors"
        )),
        "{message}"
    );
}

#[test]
fn a_short_log_has_no_count_of_left_out_results() {
    let dir = project(&[("bad.idp", BAD)]);
    let (_, log) = sarif(dir.path(), &["check", "bad.idp"]);
    assert!(log["runs"][0].get("invocations").is_none(), "{log}");
}

/// `idpc check` of a template: the results point into the YAML, at the
/// line and column of the statement's `Action`.
#[test]
fn an_audited_template() {
    let template = "Resources:
  Pool:
    Type: AWS::Cognito::IdentityPool
    Properties:
      AllowUnauthenticatedIdentities: false
      DeveloperProviderName: login.example.app
  PoolRoles:
    Type: AWS::Cognito::IdentityPoolRoleAttachment
    Properties:
      IdentityPoolId: !Ref Pool
      Roles:
        authenticated: !GetAtt AuthRole.Arn
  AuthRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: {Federated: cognito-identity.amazonaws.com}
            Action: sts:AssumeRoleWithWebIdentity
            Condition:
              StringEquals: {'cognito-identity.amazonaws.com:aud': !Ref Pool}
              'ForAnyValue:StringLike': {'cognito-identity.amazonaws.com:amr': authenticated}
      Policies:
        - PolicyName: app
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action: cognito-sync:*
                Resource: arn:aws:cognito-sync:*:*:identitypool/*
";
    let dir = project(&[("stack.yml", template)]);
    let (code, log) = sarif(dir.path(), &["check", "stack.yml"]);
    assert_eq!(code, 0, "a warning does not fail `check`");
    let results = results(&log);
    // `cognito-sync:*` (W0601) on every identity pool of the account (W0602).
    assert_eq!(results.len(), 2, "{results:?}");
    assert_eq!(results[0]["ruleId"], "W0601");
    assert_eq!(results[1]["ruleId"], "W0602");
    let location = &results[0]["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "stack.yml");
    assert_eq!(location["region"]["startLine"], 31);
    assert_eq!(location["region"]["startColumn"], 25);
}

/// GitHub code scanning reads a relative URI as relative to the root of
/// the repository analyzed ("Specifying the root for source files",
/// https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning):
/// run from a subdirectory, the program is named from the repository's
/// root, and the run says where that root is.
#[test]
fn uris_are_relative_to_the_repository_root() {
    let repo = tempfile::tempdir().unwrap();
    std::fs::create_dir(repo.path().join(".git")).unwrap();
    let infra = repo.path().join("infra");
    std::fs::create_dir(&infra).unwrap();
    std::fs::write(infra.join("bad.idp"), BAD).unwrap();
    let (code, log) = sarif(&infra, &["check", "bad.idp"]);
    assert_eq!(code, 1);
    let artifact = &results(&log)[0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(artifact["uri"], "infra/bad.idp");
    assert_eq!(artifact["uriBaseId"], "%SRCROOT%");
    let root = std::fs::canonicalize(repo.path()).unwrap();
    assert_eq!(
        log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"],
        format!("file://{}/", root.display())
    );
}

/// A file outside the root gets an absolute `file://` URI and no base id
/// (SARIF allows a base id only with a relative reference).
#[test]
fn a_file_outside_the_root_has_an_absolute_uri() {
    let repo = tempfile::tempdir().unwrap();
    std::fs::create_dir(repo.path().join(".git")).unwrap();
    let elsewhere = project(&[("bad.idp", BAD)]);
    let path = std::fs::canonicalize(elsewhere.path().join("bad.idp")).unwrap();
    let (code, log) = sarif(repo.path(), &["check", path.to_str().unwrap()]);
    assert_eq!(code, 1);
    let artifact = &results(&log)[0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(artifact["uri"], format!("file://{}", path.display()));
    assert!(artifact.get("uriBaseId").is_none(), "{artifact}");
}

/// Several files checked at once make one log (a SARIF file is one JSON
/// document), with the results of each.
#[test]
fn several_files_make_one_log() {
    let dir = project(&[("bad.idp", BAD), ("app.idp", WARNINGS)]);
    let (code, log) = sarif(dir.path(), &["check", "bad.idp", "app.idp", "gone.idp"]);
    assert_eq!(code, 2);
    let results = results(&log);
    let uri = |r: &Value| {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .map(str::to_string)
    };
    assert!(results.iter().any(|r| uri(r).as_deref() == Some("bad.idp")));
    assert!(results.iter().any(|r| uri(r).as_deref() == Some("app.idp")));
    let unread = results.iter().find(|r| r["ruleId"] == "E0901").unwrap();
    assert!(
        unread["message"]["text"]
            .as_str()
            .unwrap()
            .contains("gone.idp"),
        "{unread}"
    );
}

/// `idpc fmt` of several files that do not parse makes one log too.
#[test]
fn fmt_of_several_files_makes_one_log() {
    let dir = project(&[("a.idp", "identity_pool {"), ("b.idp", "use bucket\n")]);
    let (code, log) = sarif(
        dir.path(),
        &["fmt", "--check", "a.idp", "b.idp", "gone.idp"],
    );
    assert_eq!(code, 2);
    let uris: Vec<&str> = results(&log)
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .collect();
    assert_eq!(uris, ["a.idp", "b.idp"]);
    assert!(results(&log).iter().any(|r| r["ruleId"] == "E0901"));
}
