//! `idpc prove`: every proof is backed by a refutation one small change
//! away (a wildcard a segment earlier, a missing `/`, a second statement),
//! and every refutation is a request `idpc can` allows.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use assert_cmd::Command;
use serde_json::Value;

fn idpc() -> Command {
    let mut cmd = Command::cargo_bin("idpc").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

/// `idpc prove` of a program, as JSON, and its exit code.
fn prove_text(program: &str) -> (Value, i32) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.idp");
    std::fs::write(&file, program).unwrap();
    prove_file(&file.display().to_string())
}

fn prove_file(file: &str) -> (Value, i32) {
    let out = idpc()
        .args(["prove", file, "--format", "json"])
        .output()
        .unwrap();
    let code = out.status.code().unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {} {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (json, code)
}

/// The results, in order.
fn results(json: &Value) -> Vec<String> {
    json["properties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["result"].as_str().unwrap().to_string())
        .collect()
}

/// A pool whose signed-in role holds `statements`.
fn signed_in(statements: &str) -> String {
    format!(
        "use user_pool U\nuse user_pool_client C\nuse bucket Files\n\nidentity_pool P {{\n  provider user_pool U client C\n  authenticated role Auth {{\n{statements}\n  }}\n}}\n"
    )
}

#[test]
fn every_example_keeps_each_user_in_their_folder() {
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "idp") {
            continue;
        }
        let (json, code) = prove_file(&path.display().to_string());
        assert_eq!(code, 0, "{}", path.display());
        for property in json["properties"].as_array().unwrap() {
            assert_eq!(
                property["result"],
                "proven",
                "{}: {property}",
                path.display()
            );
        }
    }
}

#[test]
fn the_own_folder_is_proven_and_a_wildcard_one_segment_earlier_refutes_it() {
    let (json, _) = prove_text(&signed_in(
        "    allow s3:GetObject, s3:PutObject on Files/private/$<sub>/*",
    ));
    assert_eq!(results(&json), ["proven"]);
    assert_eq!(
        json["properties"][0]["text"],
        "isolated Files/private/$<sub>/*"
    );
    assert_eq!(json["properties"][0]["implicit"], true);

    let (json, code) = prove_text(&signed_in(
        "    allow s3:GetObject, s3:PutObject on Files/*/$<sub>/*",
    ));
    // An implied property refuted is a warning's matter, not the exit code's.
    assert_eq!(code, 0);
    assert_eq!(results(&json), ["refuted"]);
    let found = &json["properties"][0]["counterexample"];
    assert_eq!(
        found["identity"],
        "us-east-1:00000000-0000-0000-0000-000000000001"
    );
    assert_eq!(
        found["other_identity"],
        "us-east-1:00000000-0000-0000-0000-000000000002"
    );
    assert_eq!(found["role"], "Auth");
    let resource = found["resource"].as_str().unwrap();
    // The object is in the other identity's folder, and the caller's id
    // is what the wildcard met.
    assert!(
        resource.starts_with("$(Files.Arn)/")
            && resource.contains("/us-east-1:00000000-0000-0000-0000-000000000002/"),
        "{resource}"
    );
}

#[test]
fn a_missing_slash_after_the_id_is_no_leak_but_a_star_after_it_is() {
    // `private/$<sub>*` would also match `private/<id>x...`: no id is the
    // start of another, so it stays in the caller's folder.
    let (json, _) = prove_text(&signed_in(
        "    allow s3:GetObject on Files/private/$<sub>*",
    ));
    assert_eq!(results(&json), ["proven"]);
    // `private/*$<sub>*` reaches `private/<other>/<caller>`.
    let (json, _) = prove_text(&signed_in(
        "    allow s3:GetObject on Files/private/*$<sub>*",
    ));
    assert_eq!(results(&json), ["refuted"]);
}

#[test]
fn another_statement_of_any_role_breaks_the_isolation() {
    for leak in [
        "    allow s3:GetObject on Files/*",
        "    allow s3:GetObject on Files/priv*",
        "    allow s3:GetObject on Files/pr?vate/*",
        "    allow s3:GetObject on *",
        "    allow s3:GetObject on \"arn:aws:s3:::*/private/*\"",
    ] {
        let program = signed_in(&format!(
            "    allow s3:GetObject on Files/private/$<sub>/*\n{leak}"
        ));
        let (json, _) = prove_text(&program);
        assert_eq!(results(&json)[0], "refuted", "{leak}: {json}");
        let found = &json["properties"][0]["counterexample"];
        assert_eq!(found["action"], "s3:GetObject", "{leak}");
        assert!(
            found["text"].as_str().unwrap().contains("p.idp:9"),
            "{leak}: the leaking statement's line: {found}"
        );
    }
    // A statement on other folders, another bucket, or actions that never
    // act on objects leaves it proven.
    for fine in [
        "    allow s3:GetObject on Files/public/*",
        "    allow s3:ListBucket on Files",
        "    allow cognito-identity:GetId on *",
    ] {
        let program = signed_in(&format!(
            "    allow s3:GetObject on Files/private/$<sub>/*\n{fine}"
        ));
        let (json, _) = prove_text(&program);
        assert_eq!(results(&json), ["proven"], "{fine}: {json}");
    }
}

#[test]
fn a_bucket_given_by_a_variable_is_some_bucket() {
    let program = signed_in(
        "    allow s3:GetObject on \"arn:aws:s3:::${self:custom.bucket}/private/$<sub>/*\"\n    allow s3:PutObject on \"arn:aws:s3:::${self:custom.bucket}/private/*\"",
    );
    let (json, _) = prove_text(&program);
    assert_eq!(results(&json), ["refuted"]);
    assert_eq!(
        json["properties"][0]["counterexample"]["action"],
        "s3:PutObject"
    );
}

#[test]
fn a_guest_role_counts_and_protected_folders_only_for_writes() {
    let program = "use user_pool U\nuse user_pool_client C\nuse bucket Files\n\nidentity_pool P {\n  provider user_pool U client C\n  authenticated role Auth {\n    allow s3:PutObject on Files/protected/$<sub>/*\n  }\n  unauthenticated role Guest {\n    allow s3:GetObject on Files/protected/*\n  }\n}\n";
    // Everyone may read others' protected files: the convention.
    let (json, _) = prove_text(program);
    assert_eq!(results(&json), ["proven"]);
    let writes = program.replace(
        "allow s3:GetObject on Files/protected/*",
        "allow s3:PutObject on Files/protected/*",
    );
    let (json, _) = prove_text(&writes);
    assert_eq!(results(&json), ["refuted"]);
    assert_eq!(json["properties"][0]["counterexample"]["role"], "Guest");
}

#[test]
fn every_refutation_replays_in_idpc_can() {
    let program = signed_in(
        "    allow s3:GetObject on Files/private/$<sub>/*\n    allow s3:GetObject on Files/priv*",
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.idp");
    std::fs::write(&file, &program).unwrap();
    let (json, _) = prove_file(&file.display().to_string());
    let found = &json["properties"][0]["counterexample"];
    let resource = found["resource"]
        .as_str()
        .unwrap()
        .replace("$(Files.Arn)", "Files");
    let out = idpc()
        .arg("can")
        .arg(&file)
        .args([
            "--signed-in",
            "--identity",
            found["identity"].as_str().unwrap(),
        ])
        .args([
            found["action"].as_str().unwrap(),
            &resource,
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answer["decision"], "allow", "{answer}");
}

/// Whether cvc5 runs here; in CI (`CI` set) a missing solver fails the
/// test rather than skipping it.
fn solver_here() -> bool {
    let binary = std::env::var("IDPC_CVC5").unwrap_or_else(|_| "cvc5".into());
    let found = std::process::Command::new(binary)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found || std::env::var_os("CI").is_none(),
        "cvc5 is missing in CI (.ci/install-tools installs it)"
    );
    if !found {
        eprintln!("skipped: cvc5 is not installed");
    }
    found
}

/// The refutation of the first property replays in `idpc can` as allowed,
/// with the counterexample's identity and context.
fn replays(program: &str, json: &Value) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.idp");
    std::fs::write(&file, program).unwrap();
    let found = &json["properties"][0]["counterexample"];
    let resource = found["resource"]
        .as_str()
        .unwrap()
        .replace("$(Files.Arn)", "Files");
    let mut cmd = idpc();
    cmd.arg("can").arg(&file).args([
        "--signed-in",
        "--identity",
        found["identity"].as_str().unwrap(),
    ]);
    for (key, value) in found["context"].as_object().unwrap() {
        cmd.args(["--context", &format!("{key}={}", value.as_str().unwrap())]);
    }
    let out = cmd
        .args([
            found["action"].as_str().unwrap(),
            &resource,
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answer["decision"], "allow", "{found}: {answer}");
}

/// Support staff read every file but the private folders: the allow
/// reaches the other's folder, and only the deny keeps it out, which the
/// solver proves (no request built without the tag is allowed at all).
const SUPPORT: &str = "    allow s3:GetObject on Files/private/$<sub>/*\n    allow s3:GetObject on Files/* when aws:PrincipalTag/department == \"support\"\n    deny s3:GetObject on Files/private/*";

#[test]
fn a_deny_keeps_the_folders_and_one_segment_later_it_does_not() {
    if !solver_here() {
        return;
    }
    let (json, _) = prove_text(&signed_in(SUPPORT));
    assert_eq!(results(&json), ["proven"], "{json}");
    // The deny one segment later (`Files/*/private/*`) misses the folders.
    let program = signed_in(&SUPPORT.replace(
        "deny s3:GetObject on Files/private/*",
        "deny s3:GetObject on Files/*/private/*",
    ));
    let (json, _) = prove_text(&program);
    assert_eq!(results(&json), ["refuted"], "{json}");
    let found = &json["properties"][0]["counterexample"];
    assert_eq!(found["context"]["aws:PrincipalTag/department"], "support");
    assert!(
        found["resource"]
            .as_str()
            .unwrap()
            .starts_with("$(Files.Arn)/private/us-east-1:00000000-0000-0000-0000-000000000002/"),
        "{found}"
    );
    // The allowing statement is the support staff's (line 9).
    assert!(
        found["text"].as_str().unwrap().contains("p.idp:9"),
        "{found}"
    );
    replays(&program, &json);
}

#[test]
fn a_conditional_deny_keeps_the_folders_unless_the_allow_matches_more() {
    if !solver_here() {
        return;
    }
    let guarded = SUPPORT.replace(
        "deny s3:GetObject on Files/private/*",
        "deny s3:GetObject on Files/private/* when aws:PrincipalTag/department == \"support\"",
    );
    let (json, _) = prove_text(&signed_in(&guarded));
    assert_eq!(results(&json), ["proven"], "{json}");
    // A wildcard in the allow's value: another `supp...` is allowed, never
    // denied.
    let wide = guarded.replace(
        "department == \"support\"\n    deny",
        "department like \"supp*\"\n    deny",
    );
    let (json, _) = prove_text(&signed_in(&wide));
    assert_eq!(results(&json), ["refuted"], "{json}");
    let value = json["properties"][0]["counterexample"]["context"]["aws:PrincipalTag/department"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(value.starts_with("supp") && value != "support", "{value}");
    replays(&signed_in(&wide), &json);
    // Values compare with case: the deny's `Support` is not `support`.
    let at = guarded.rfind("\"support\"").unwrap();
    let cased = format!("{}\"Support\"{}", &guarded[..at], &guarded[at + 9..]);
    let (json, _) = prove_text(&signed_in(&cased));
    assert_eq!(results(&json), ["refuted"], "{cased}: {json}");
    replays(&signed_in(&cased), &json);
}

#[test]
fn without_the_solver_what_it_would_prove_is_unknown_never_proven() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.idp");
    std::fs::write(&file, signed_in(SUPPORT)).unwrap();
    let out = idpc()
        .env("IDPC_CVC5", dir.path().join("no-cvc5"))
        .args(["prove", &file.display().to_string(), "--format", "json"])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(results(&json), ["unknown"], "{json}");
    let reason = json["properties"][0]["reason"].as_str().unwrap();
    assert!(reason.contains("cannot run the solver"), "{reason}");
}

#[test]
fn a_not_action_statement_on_everything_is_never_proven_isolated() {
    // `NotAction: iam:*` on `*` allows `s3:GetObject` on every folder: the
    // isolation must not come out proven (idpc does not enumerate what a
    // `NotAction` allows for the solver, so it is unknown, never a pass).
    let (json, _) = prove_file("tests/fixtures/prove/not-action.yml");
    assert_eq!(results(&json), ["unknown"], "{json}");
    let reason = json["properties"][0]["reason"].as_str().unwrap();
    assert!(reason.contains("`NotAction`"), "{reason}");
}

/// `idpc prove` of a program whose written claim does not hold: exit 1
/// and E1001; its rendered diagnostics.
fn refuted_claim(program: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.idp");
    std::fs::write(&file, program).unwrap();
    let out = idpc()
        .args(["prove", &file.display().to_string(), "--color", "never"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(stderr.contains("error[E1001]"), "{stderr}");
    stderr
}

/// Two pools; `A` maps by token. `B`'s role trusts only `B`'s ids (its
/// `aud`), so no token of `A` gets it: what it allows is not `A`'s.
fn two_pools(a_statements: &str) -> String {
    format!(
        "use user_pool U\nuse user_pool_client C\nuse bucket Files\n\nidentity_pool A {{\n  provider user_pool U client C\n  map U by token\n  authenticated role AAuth {{\n{a_statements}\n  }}\n}}\n\nidentity_pool B {{\n  provider user_pool U client C\n  authenticated role BAuth {{\n    allow s3:GetObject on Files/*\n  }}\n}}\n\nexpect signed_in of A cannot s3:GetObject on Files/public/*\n"
    )
}

#[test]
fn a_token_mapping_reaches_only_the_roles_that_trust_its_pool() {
    let (json, _) = prove_text(&two_pools(
        "    allow s3:GetObject on Files/private/$<sub>/*",
    ));
    let explicit = &json["properties"][0];
    assert_eq!(explicit["kind"], "cannot", "{json}");
    assert_eq!(explicit["result"], "proven", "{json}");
    // One change: `A`'s own role reads the public folder: E1001 at the
    // `expect`, pointing at that statement.
    let stderr = refuted_claim(&two_pools("    allow s3:GetObject on Files/*"));
    assert!(
        stderr.contains(" 9 │     allow s3:GetObject on Files/*\n   │     ----------------------------- this statement allows it"),
        "{stderr}"
    );
    assert!(stderr.contains("gets role `AAuth`"), "{stderr}");
}

#[test]
fn an_implied_isolation_a_written_expect_states_is_listed_once() {
    let statement = "    allow s3:GetObject on Files/private/$<sub>/*";
    let (json, _) = prove_text(&format!(
        "{}\nexpect isolated Files/private/$<sub>/*\n",
        signed_in(statement)
    ));
    assert_eq!(results(&json), ["proven"], "{json}");
    assert_eq!(json["properties"][0]["implicit"], false, "{json}");
    // Without the written one, the folder's isolation is still proven, as
    // implied.
    let (json, _) = prove_text(&signed_in(statement));
    assert_eq!(results(&json), ["proven"], "{json}");
    assert_eq!(json["properties"][0]["implicit"], true, "{json}");
}

/// `Auth` may read and delete in the whole bucket but for a `deny` on
/// `denied`; the claim: no deleting under `archive/`.
fn archive(denied: &str) -> String {
    format!(
        "{}\nexpect signed_in cannot s3:DeleteObject on Files/archive/*\n",
        signed_in(&format!(
            "    allow s3:GetObject, s3:DeleteObject on Files/*\n    deny s3:DeleteObject on {denied}"
        ))
    )
}

#[test]
fn a_cannot_that_a_deny_keeps_is_proven_by_the_solver_and_a_narrower_deny_refutes_it() {
    if !solver_here() {
        return;
    }
    let (json, code) = prove_text(&archive("Files/archive/*"));
    assert_eq!(code, 0);
    let explicit = &json["properties"][0];
    assert_eq!(explicit["kind"], "cannot", "{json}");
    assert_eq!(explicit["result"], "proven", "{json}");
    // One change: the deny covers only `archive/old/`.
    let stderr = refuted_claim(&archive("Files/archive/old/*"));
    assert!(
        stderr.contains("may `s3:DeleteObject` on `$(Files.Arn)/archive/"),
        "{stderr}"
    );
    // Without the solver, the claim the deny keeps is unknown, never proven.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kept.idp");
    std::fs::write(&file, archive("Files/archive/*")).unwrap();
    let out = idpc()
        .env("IDPC_CVC5", dir.path().join("no-cvc5"))
        .args(["prove", &file.display().to_string(), "--format", "json"])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["properties"][0]["result"], "unknown", "{json}");
}
