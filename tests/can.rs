//! `idpc can`: the answers on the examples, the way to them, the deciding
//! lines, `--format json`, `--expect`, and the same answers on a program and
//! on the template `idpc build` writes from it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use assert_cmd::Command;
use serde_json::Value;

const ME: &str = "us-east-1:11111111-2222-3333-4444-555555555555";

fn idpc() -> Command {
    let mut cmd = Command::cargo_bin("idpc").unwrap_or_else(|e| panic!("{e}"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

/// `idpc can FILE ARGS... --format json`, parsed.
fn ask(file: &str, args: &[&str]) -> Value {
    let out = idpc()
        .arg("can")
        .arg(file)
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

fn decision(answer: &Value) -> &str {
    answer["decision"].as_str().unwrap_or_default()
}

#[test]
fn a_user_reaches_their_own_prefix_and_no_one_elses() {
    let own = format!("AttachmentsBucket/private/{ME}/a.jpg");
    let answer = ask("examples/notes.idp", &["--signed-in", "s3:GetObject", &own]);
    assert_eq!(decision(&answer), "allow");
    assert_eq!(answer["role"], "CognitoAuthRole");
    // The deciding statement, at its line in the program.
    assert_eq!(answer["statements"][0]["file"], "examples/notes.idp");
    assert_eq!(answer["statements"][0]["line"], 21);
    assert_eq!(answer["statements"][0]["effect"], "allow");
    let other = "AttachmentsBucket/private/us-east-1:someone-else/a.jpg";
    let answer = ask(
        "examples/notes.idp",
        &["--signed-in", "s3:GetObject", other],
    );
    assert_eq!(decision(&answer), "deny");
    assert_eq!(
        answer["reason"],
        "the policies of `CognitoAuthRole` do not allow it"
    );
    // `--identity` is the caller: now the other prefix is theirs.
    let answer = ask(
        "examples/notes.idp",
        &[
            "--signed-in",
            "--identity",
            "us-east-1:someone-else",
            "s3:GetObject",
            other,
        ],
    );
    assert_eq!(decision(&answer), "allow");
}

#[test]
fn guests_of_a_pool_without_guests_get_nothing() {
    let answer = ask("examples/notes.idp", &["--guest", "s3:GetObject", "*"]);
    assert_eq!(decision(&answer), "deny");
    assert_eq!(answer["role"], Value::Null);
    assert!(
        answer["reason"]
            .as_str()
            .unwrap_or_default()
            .contains("gives guests no credentials")
    );
}

#[test]
fn guests_pass_the_scope_down_for_what_aws_documents() {
    let answer = ask(
        "examples/guest-access.idp",
        &["--guest", "geo:GetMapTile", "TrailMap"],
    );
    assert_eq!(decision(&answer), "allow");
    let chain: Vec<&str> = answer["chain"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["step"].as_str())
        .collect();
    assert!(
        chain.contains(&"Cognito's scope-down of guest credentials lets `geo:GetMapTile` through"),
        "{chain:?}"
    );
    // S3 is on the documented list: guests are refused by their role's
    // policies here, not by the scope-down.
    let answer = ask(
        "examples/guest-access.idp",
        &["--guest", "s3:GetObject", "TrailPhotosBucket/private/x"],
    );
    assert_eq!(decision(&answer), "deny");
    assert_eq!(
        answer["reason"],
        "the policies of `TrailsGuestRole` do not allow it"
    );
}

#[test]
fn principal_tags_come_from_the_token_claims() {
    let claim = "custom:department=sales";
    let read = ask(
        "examples/principal-tags.idp",
        &[
            "--signed-in",
            "--claim",
            claim,
            "s3:GetObject",
            "DocumentsBucket/departments/sales/a",
        ],
    );
    assert_eq!(decision(&read), "allow");
    let other = ask(
        "examples/principal-tags.idp",
        &[
            "--signed-in",
            "--claim",
            claim,
            "s3:GetObject",
            "DocumentsBucket/departments/legal/a",
        ],
    );
    assert_eq!(decision(&other), "deny");
    // Without the claim the tag is absent: the variable matches nothing.
    let none = ask(
        "examples/principal-tags.idp",
        &[
            "--signed-in",
            "s3:GetObject",
            "DocumentsBucket/departments/sales/a",
        ],
    );
    assert_eq!(decision(&none), "deny");
    // An explicit deny wins, and is named at its line.
    let delete = ask(
        "examples/principal-tags.idp",
        &[
            "--signed-in",
            "--claim",
            claim,
            "s3:DeleteObject",
            "DocumentsBucket/departments/sales/archive/a",
        ],
    );
    assert_eq!(decision(&delete), "deny");
    assert_eq!(delete["statements"][0]["effect"], "deny");
    assert_eq!(delete["statements"][0]["line"], 28);
}

#[test]
fn role_mapping_rules_pick_the_first_match_in_order() {
    let editors = ask(
        "examples/group-roles.idp",
        &[
            "--signed-in",
            "--provider",
            "StaffUserPool",
            "--claim",
            "custom:team=editors",
            "s3:PutObject",
            "MediaBucket/drafts/a",
        ],
    );
    assert_eq!(decision(&editors), "allow");
    assert_eq!(editors["role"], "EditorRole");
    // No rule matches and the mapping says Deny.
    let nobody = ask(
        "examples/group-roles.idp",
        &[
            "--signed-in",
            "--provider",
            "StaffUserPool",
            "s3:GetObject",
            "MediaBucket/drafts/a",
        ],
    );
    assert_eq!(decision(&nobody), "deny");
    assert!(
        nobody["reason"]
            .as_str()
            .unwrap_or_default()
            .contains("AmbiguousRoleResolution: Deny")
    );
}

#[test]
fn a_statement_under_a_stack_condition_makes_the_answer_unknown() {
    let path = format!("FilesBucket/private/{ME}/a");
    let answer = ask(
        "examples/stack-forms.idp",
        &["--signed-in", "s3:DeleteObject", &path],
    );
    assert_eq!(decision(&answer), "unknown");
    assert_eq!(
        answer["reason"],
        "the policies of `NotesUserRole` allow it only when the stack condition `IsProd` holds"
    );
    // A managed policy of the program counts, at its line.
    let answer = ask(
        "examples/stack-forms.idp",
        &["--signed-in", "s3:GetObject", &path],
    );
    assert_eq!(decision(&answer), "allow");
    assert_eq!(answer["statements"][0]["line"], 12);
}

#[test]
fn expect_sets_the_exit_code() {
    let args = ["can", "examples/notes.idp", "--guest", "s3:GetObject", "*"];
    idpc()
        .args(args)
        .args(["--expect", "deny"])
        .assert()
        .code(0);
    let out = idpc()
        .args(args)
        .args(["--expect", "allow"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(1));
    // The answer is printed either way.
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .starts_with("deny: a guest of pool `CognitoIdentityPool`")
    );
}

#[test]
fn a_question_about_what_the_stack_lacks_is_e0920() {
    // The example of `idpc explain E0920`.
    let out = idpc()
        .args([
            "can",
            "examples/notes.idp",
            "--guest",
            "s3:GetObject",
            "Photos/public/cat.jpg",
        ])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error[E0920]: `Photos` is not a resource of the stack"),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: name what the stack defines"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
    for (args, message) in [
        (
            vec!["--signed-in", "--provider", "Nope", "s3:GetObject", "*"],
            "has no provider `Nope`",
        ),
        (
            vec!["--guest", "--pool", "Nope", "s3:GetObject", "*"],
            "has no identity pool `Nope`",
        ),
        (vec!["--guest", "GetObject", "*"], "is not an action"),
        (
            vec!["--signed-in", "--claim", "novalue", "s3:GetObject", "*"],
            "needs the form NAME=VALUE",
        ),
    ] {
        let out = idpc()
            .args(["can", "examples/group-roles.idp"])
            .args(&args)
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("E0920") && stderr.contains(message),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn a_program_and_its_template_answer_alike() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let questions: &[(&str, &[&str])] = &[
        (
            "examples/guest-access.idp",
            &["--guest", "geo:GetMapTile", "TrailMap"],
        ),
        (
            "examples/guest-access.idp",
            &["--guest", "s3:GetObject", "TrailPhotosBucket/private/x"],
        ),
        (
            "examples/guest-access.idp",
            &[
                "--signed-in",
                "s3:GetObject",
                "TrailPhotosBucket/private/us-east-1:11111111-2222-3333-4444-555555555555/x",
            ],
        ),
        (
            "examples/guest-access.idp",
            &[
                "--signed-in",
                "s3:GetObject",
                "TrailPhotosBucket/private/us-east-1:other/x",
            ],
        ),
        (
            "examples/principal-tags.idp",
            &[
                "--signed-in",
                "--claim",
                "custom:department=sales",
                "s3:DeleteObject",
                "DocumentsBucket/departments/sales/archive/a",
            ],
        ),
        (
            "examples/group-roles.idp",
            &[
                "--signed-in",
                "--provider",
                "StaffUserPool",
                "--claim",
                "custom:team=editors",
                "s3:DeleteObject",
                "MediaBucket/drafts/a",
            ],
        ),
    ];
    for (program, args) in questions {
        let template = dir.path().join("out.yml");
        idpc()
            .args(["build", program, "-o"])
            .arg(&template)
            .assert()
            .code(0);
        let from_program = ask(program, args);
        let from_template = ask(&template.display().to_string(), args);
        assert_eq!(
            decision(&from_program),
            decision(&from_template),
            "{program} {args:?}"
        );
        assert_eq!(
            from_program["role"], from_template["role"],
            "{program} {args:?}"
        );
        assert_eq!(
            from_program["reason"], from_template["reason"],
            "{program} {args:?}"
        );
    }
}

#[test]
fn human_output_names_the_way_and_the_line() {
    let out = idpc()
        .args([
            "can",
            "examples/guest-access.idp",
            "--guest",
            "geo:GetMapTile",
            "TrailMap",
        ])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(0));
    let expected = "\
allow: a guest of pool `TrailsIdentityPool` (identity us-east-1:11111111-2222-3333-4444-555555555555) asking `geo:GetMapTile` on `$(TrailMap.Arn)`
  1. pool `TrailsIdentityPool` allows guests (examples/guest-access.idp:12)
  2. guests get the pool's unauthenticated role `TrailsGuestRole`
  3. the trust policy of `TrailsGuestRole` admits the caller
  4. Cognito's scope-down of guest credentials lets `geo:GetMapTile` through
  => the policies of `TrailsGuestRole` allow it
  examples/guest-access.idp:21: allow statement of role TrailsGuestRole
";
    assert_eq!(String::from_utf8_lossy(&out.stdout), expected);
}

#[test]
fn guests_decided_at_deploy_time_leave_an_allow_open_and_a_deny_a_deny() {
    let file = "tests/fixtures/can/guests-parameter.idp";
    let read = ask(file, &["--guest", "s3:GetObject", "Media/public/x"]);
    assert_eq!(decision(&read), "unknown");
    assert_eq!(
        read["reason"],
        "the policies of `Guest` allow it, but whether the pool lets guests in is decided at deploy time (a parameter or a stack condition)"
    );
    let write = ask(file, &["--guest", "s3:PutObject", "Media/public/x"]);
    assert_eq!(decision(&write), "deny");
}
