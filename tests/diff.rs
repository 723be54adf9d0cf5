//! `idpc diff`: the change in access between two versions, not in text.
//!
//! Every example is compared with two copies under `tests/fixtures/diff/`:
//! `NAME-rewritten.idp` says the same with other words (statements
//! reordered, split or merged, roles and policies renamed, a wildcard
//! spelled out, providers reordered) and must show no change;
//! `NAME-changed.idp` is that rewrite with one change, and must show
//! exactly that change. The outputs are asserted whole.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn idpc(args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_idpc"))
        .env_remove("RUST_BACKTRACE")
        .current_dir(root())
        .arg("--color")
        .arg("never")
        .args(args)
        .output()
        .unwrap();
    let run = Run {
        code: output.status.code().expect("killed by a signal"),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

fn example(name: &str) -> String {
    format!("examples/{name}.idp")
}

fn fixture(name: &str) -> String {
    format!("tests/fixtures/diff/{name}")
}

const EXAMPLES: [&str; 6] = [
    "group-roles",
    "guest-access",
    "notes",
    "principal-tags",
    "social-login",
    "stack-forms",
];

#[test]
fn every_example_has_a_rewrite_and_a_change() {
    let mut listed: Vec<String> = std::fs::read_dir(root().join("examples"))
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            name.strip_suffix(".idp").map(str::to_string)
        })
        .collect();
    listed.sort();
    assert_eq!(listed, EXAMPLES);
}

#[test]
fn rewrites_that_keep_meaning_are_no_change() {
    for name in EXAMPLES {
        let rewritten = fixture(&format!("{name}-rewritten.idp"));
        let run = idpc(&["diff", &example(name), &rewritten]);
        assert_eq!(
            (run.code, run.stdout.as_str()),
            (0, "No change in access.\n"),
            "{name}: {}",
            run.stderr
        );
        // And the other way round.
        let run = idpc(&["diff", &rewritten, &example(name)]);
        assert_eq!(run.stdout, "No change in access.\n", "{name} reversed");
    }
}

/// Each example's one change, as `idpc diff` words it.
fn expected(name: &str) -> &'static str {
    match name {
        "group-roles" => concat!(
            "users signed in with StaffUserPool whose \"custom:team\" == \"editors\" of NewsroomIdentityPool: ",
            "added s3:PutObject on $(MediaBucket.Arn)/published/* ",
            "(role NewsroomEditorRole; e.g. s3:PutObject $(MediaBucket.Arn)/published/x with claims custom:team=editors)\n"
        ),
        "guest-access" => concat!(
            "guests of TrailsIdentityPool: added s3:GetObject on $(TrailPhotosBucket.Arn)/public/* ",
            "(role TrailsVisitorRole; e.g. s3:GetObject $(TrailPhotosBucket.Arn)/public/x)\n"
        ),
        "notes" => concat!(
            "users signed in with CognitoUserPool of CognitoIdentityPool: removed execute-api:Invoke ",
            "on arn:$(AWS::Partition):execute-api:$(AWS::Region):$(AWS::AccountId):$(ApiGatewayRestApi)/* ",
            "(role CognitoAuthRole; e.g. execute-api:Invoke ",
            "arn:$(AWS::Partition):execute-api:$(AWS::Region):$(AWS::AccountId):$(ApiGatewayRestApi)/x)\n"
        ),
        "principal-tags" => concat!(
            "users signed in with EmployeesUserPool of DocumentsIdentityPool: added s3:DeleteObject ",
            "on $(DocumentsBucket.Arn)/departments/${aws:PrincipalTag/department}/* ",
            "(role EmployeeRole; e.g. s3:DeleteObject $(DocumentsBucket.Arn)/departments/tag-value/archive/x ",
            "with claims custom:department=tag-value)\n"
        ),
        "social-login" => concat!(
            "users signed in with api.twitter.com of SocialIdentityPool: removed s3:DeleteObject, s3:GetObject, s3:PutObject ",
            "on $(UploadsBucket.Arn)/private/${cognito-identity.amazonaws.com:sub}/* ",
            "(role SocialAuthRole; e.g. s3:DeleteObject ",
            "$(UploadsBucket.Arn)/private/us-east-1:11111111-2222-3333-4444-555555555555/x)\n",
            "users signed in with api.twitter.com of SocialIdentityPool: removed s3:GetObject ",
            "on $(UploadsBucket.Arn)/public/* (role SocialAuthRole; e.g. s3:GetObject $(UploadsBucket.Arn)/public/x)\n"
        ),
        // A statement under a stack condition may or may not exist: that it
        // now always does is a change idpc cannot call added or not.
        "stack-forms" => concat!(
            "users signed in with UserPool of NotesPool: unknown s3:DeleteObject ",
            "on $(FilesBucket.Arn)/private/${cognito-identity.amazonaws.com:sub}/* ",
            "(role NotesUserRole; e.g. s3:DeleteObject ",
            "$(FilesBucket.Arn)/private/us-east-1:11111111-2222-3333-4444-555555555555/x; ",
            "unknown because the policies of `NotesUserRole` allow it only when the stack condition `IsProd` holds)\n"
        ),
        _ => unreachable!(),
    }
}

#[test]
fn each_example_shows_exactly_its_one_change() {
    for name in EXAMPLES {
        let run = idpc(&[
            "diff",
            &example(name),
            &fixture(&format!("{name}-changed.idp")),
        ]);
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        assert_eq!(run.stdout, expected(name), "{name}");
        assert_eq!(run.stderr, "", "{name}");
    }
}

#[test]
fn the_reverse_change_is_the_reverse() {
    let run = idpc(&[
        "diff",
        &fixture("guest-access-changed.idp"),
        &example("guest-access"),
    ]);
    assert_eq!(
        run.stdout,
        "guests of TrailsIdentityPool: removed s3:GetObject on $(TrailPhotosBucket.Arn)/public/* \
         (role TrailsVisitorRole; e.g. s3:GetObject $(TrailPhotosBucket.Arn)/public/x)\n"
    );
}

#[test]
fn json_is_one_object_of_changes() {
    let run = idpc(&[
        "diff",
        "--format",
        "json",
        &example("group-roles"),
        &fixture("group-roles-changed.idp"),
    ]);
    assert_eq!(run.code, 0);
    let expected = r#"{
  "changes": [
    {
      "change": "added",
      "who": "users signed in with StaffUserPool whose \"custom:team\" == \"editors\"",
      "pool": "NewsroomIdentityPool",
      "role": "NewsroomEditorRole",
      "actions": [
        "s3:PutObject"
      ],
      "resources": [
        "$(MediaBucket.Arn)/published/*"
      ],
      "conditions": [],
      "example": {
        "action": "s3:PutObject",
        "resource": "$(MediaBucket.Arn)/published/x",
        "identity": "us-east-1:11111111-2222-3333-4444-555555555555",
        "claims": {
          "custom:team": "editors"
        },
        "context": {}
      }
    }
  ]
}
"#;
    assert_eq!(run.stdout, expected);
    let run = idpc(&[
        "diff",
        "--format",
        "json",
        &example("notes"),
        &fixture("notes-rewritten.idp"),
    ]);
    assert_eq!(run.stdout, "{\n  \"changes\": []\n}\n");
}

#[test]
fn json_of_every_example_says_what_human_says() {
    for name in EXAMPLES {
        let run = idpc(&[
            "diff",
            "--format",
            "json",
            &example(name),
            &fixture(&format!("{name}-changed.idp")),
        ]);
        let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let changes = json["changes"].as_array().unwrap();
        assert_eq!(changes.len(), expected(name).lines().count(), "{name}");
        for (change, line) in changes.iter().zip(expected(name).lines()) {
            let (kind, who, pool) = (
                change["change"].as_str().unwrap(),
                change["who"].as_str().unwrap(),
                change["pool"].as_str().unwrap(),
            );
            assert!(
                line.starts_with(&format!("{who} of {pool}: {kind} ")),
                "{name}: {line}"
            );
            let example = &change["example"];
            assert!(
                line.contains(&format!(
                    "e.g. {} {}",
                    example["action"].as_str().unwrap(),
                    example["resource"].as_str().unwrap()
                )),
                "{name}: {line}"
            );
        }
    }
}

#[test]
fn markdown_is_a_table_for_a_pull_request() {
    let run = idpc(&[
        "diff",
        "--format",
        "markdown",
        &example("guest-access"),
        &fixture("guest-access-changed.idp"),
    ]);
    assert_eq!(
        run.stdout,
        "| Change | Who | Pool | Role | Actions | Resources | Conditions | Example |\n\
         |---|---|---|---|---|---|---|---|\n\
         | added | guests | TrailsIdentityPool | TrailsVisitorRole | `s3:GetObject` | `$(TrailPhotosBucket.Arn)/public/*` |  | s3:GetObject $(TrailPhotosBucket.Arn)/public/x |\n"
    );
}

#[test]
fn fail_on_broadening_exits_1_only_when_something_is_added() {
    let added = idpc(&[
        "diff",
        "--fail-on",
        "broadening",
        &example("guest-access"),
        &fixture("guest-access-changed.idp"),
    ]);
    assert_eq!(added.code, 1);
    assert!(added.stdout.contains(": added s3:GetObject"));
    let removed = idpc(&[
        "diff",
        "--fail-on",
        "broadening",
        &fixture("guest-access-changed.idp"),
        &example("guest-access"),
    ]);
    assert_eq!(removed.code, 0);
    let same = idpc(&[
        "diff",
        "--fail-on",
        "broadening",
        &example("notes"),
        &fixture("notes-rewritten.idp"),
    ]);
    assert_eq!(same.code, 0);
}

#[test]
fn templates_are_compared_too() {
    let old = "tests/fixtures/real_stacks/quickstart.yml";
    let run = idpc(&["diff", old, &fixture("quickstart-rewritten.yml")]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "No change in access.\n")
    );
    let run = idpc(&["diff", old, &fixture("quickstart-changed.yml")]);
    assert_eq!(
        run.stdout,
        "users signed in with UserPool of IdentityPool: added s3:GetObject \
         on arn:aws:s3:::$(ProjectName)-media/public/* \
         (role AuthenticatedRole; e.g. s3:GetObject arn:aws:s3:::$(ProjectName)-media/public/x)\n"
    );
}

#[test]
fn every_program_and_the_resources_it_builds_grant_the_same() {
    let dir = tempfile::tempdir().unwrap();
    for name in EXAMPLES {
        let built = dir.path().join(format!("{name}.yml"));
        let built = built.to_str().unwrap();
        let run = idpc(&["build", &example(name), "-o", built]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let run = idpc(&["diff", &example(name), built]);
        assert_eq!(
            run.stdout, "No change in access.\n",
            "{name}: {}",
            run.stderr
        );
        // And the built file against the changed program: the one change.
        let run = idpc(&["diff", built, &fixture(&format!("{name}-changed.idp"))]);
        assert_eq!(run.stdout, expected(name), "{name}");
    }
}

fn git(dir: &Path, args: &[&str]) {
    let status = std::process::Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .output()
        .unwrap();
    assert!(status.status.success(), "git {args:?}: {status:?}");
}

#[test]
fn git_compares_a_file_with_itself_at_a_revision() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("trails.idp");
    std::fs::copy(root().join(example("guest-access")), &file).unwrap();
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "trails.idp"]);
    git(dir.path(), &["commit", "-q", "-m", "trails"]);
    std::fs::copy(root().join(fixture("guest-access-changed.idp")), &file).unwrap();
    let run = idpc(&["diff", "--git", "HEAD", file.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "guests of TrailsIdentityPool: added s3:GetObject on $(TrailPhotosBucket.Arn)/public/* \
         (role TrailsVisitorRole; e.g. s3:GetObject $(TrailPhotosBucket.Arn)/public/x)\n"
    );
    // A revision git does not know is an input that cannot be read.
    let run = idpc(&["diff", "--git", "no-such-rev", file.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("error[E0901]"), "{}", run.stderr);
    assert!(
        run.stderr.contains("at git revision `no-such-rev`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_version_that_does_not_check_is_reported_and_nothing_compared() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.idp");
    std::fs::write(
        &bad,
        "use bucket Media\n\nidentity_pool P {\n  authenticated role {\n    allow s3:GetObject on Medai/*\n  }\n}\n",
    )
    .unwrap();
    let run = idpc(&["diff", &example("notes"), bad.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("error[E0101]"), "{}", run.stderr);
    assert!(run.stderr.contains("Medai"), "{}", run.stderr);
    let missing = dir.path().join("missing.idp");
    let run = idpc(&["diff", missing.to_str().unwrap(), &example("notes")]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("error[E0901]"), "{}", run.stderr);
}

#[test]
fn the_wrong_number_of_files_is_a_usage_error() {
    let run = idpc(&["diff", &example("notes")]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("takes two files"), "{}", run.stderr);
    let run = idpc(&[
        "diff",
        "--git",
        "HEAD",
        &example("notes"),
        &example("notes"),
    ]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("takes one file"), "{}", run.stderr);
}
