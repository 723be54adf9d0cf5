//! The `idpc` command line: exit codes, `-o`, determinism, formats, targets,
//! `explain`, and inputs that are not programs. No run may panic.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use assert_cmd::Command;
use idpc::diag::Code;
use std::path::{Path, PathBuf};

const BAD: &str = "use bucket AttachmentsBucket\n\nidentity_pool P {\n  authenticated role {\n    allow s3:* on AttachmentBucket/*\n  }\n}\n";
const WARNS: &str = "use bucket AttachmentsBucket, OldBucket\n\nidentity_pool P {\n  authenticated role {\n    allow s3:* on AttachmentsBucket/*\n  }\n}\n";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn notes() -> PathBuf {
    root().join("examples/notes.idp")
}

fn idpc() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_idpc"));
    cmd.env_remove("RUST_BACKTRACE").arg("--color").arg("never");
    cmd
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs idpc and checks it did not panic, whatever it was given.
fn run(cmd: &mut Command) -> Run {
    let output = cmd.output().unwrap();
    let run = Run {
        code: output.status.code().expect("killed by a signal"),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert!(
        !run.stderr.contains("panicked"),
        "idpc panicked:\n{}",
        run.stderr
    );
    assert!(run.code != 101, "idpc exited 101 (a panic)");
    run
}

fn file_in(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn dir_entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

// ---------------------------------------------------------------------------
// Exit codes

#[test]
fn builds_the_notes_example() {
    let out = run(idpc().arg("build").arg(notes()));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.is_empty(), "{}", out.stderr);
    assert!(out.stdout.contains("CognitoIdentityPool:"));
}

#[test]
fn errors_exit_1_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let bad = file_in(dir.path(), "bad.idp", BAD.as_bytes());
    let out = run(idpc().arg("build").arg(&bad));
    assert_eq!(out.code, 1);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert!(out.stderr.contains("error[E0101]"), "{}", out.stderr);
    assert!(out.stderr.contains("1 error"), "{}", out.stderr);
    let check = run(idpc().arg("check").arg(&bad));
    assert_eq!(check.code, 1);
}

#[test]
fn warnings_alone_exit_0_and_still_write_output() {
    let dir = tempfile::tempdir().unwrap();
    let warns = file_in(dir.path(), "warns.idp", WARNS.as_bytes());
    let out = run(idpc().arg("build").arg(&warns));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("warning[W0101]"), "{}", out.stderr);
    assert!(out.stdout.contains("Resources:"), "{}", out.stdout);
}

#[test]
fn deny_warnings_makes_warnings_exit_1_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let warns = file_in(dir.path(), "warns.idp", WARNS.as_bytes());
    let target = dir.path().join("out.yml");
    let out = run(idpc()
        .arg("--deny-warnings")
        .arg("build")
        .arg(&warns)
        .arg("-o")
        .arg(&target));
    assert_eq!(out.code, 1);
    assert!(out.stdout.is_empty());
    assert!(
        !target.exists(),
        "--deny-warnings must not write the output"
    );
    // The flag is global: it may also come after the subcommand.
    let out = run(idpc().arg("check").arg(&warns).arg("--deny-warnings"));
    assert_eq!(out.code, 1);
}

#[test]
fn missing_file_exits_2() {
    let out = run(idpc().arg("build").arg("no/such/file.idp"));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("E0901"), "{}", out.stderr);
    assert!(out.stderr.contains("no/such/file.idp"), "{}", out.stderr);
}

#[test]
fn directory_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(idpc().arg("build").arg(dir.path()));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("E0901"), "{}", out.stderr);
    assert!(out.stderr.contains("directory"), "{}", out.stderr);
}

#[test]
fn bad_arguments_exit_2() {
    for args in [
        &[][..],
        &["build"][..],
        &["frobnicate"][..],
        &["build", "x.idp", "--format", "toml"][..],
        &["build", "x.idp", "--target", "terraform"][..],
        &["--error-format", "xml", "build", "x.idp"][..],
    ] {
        let out = run(idpc().args(args));
        assert_eq!(out.code, 2, "idpc {args:?}: {}", out.stderr);
        assert!(!out.stderr.is_empty(), "idpc {args:?} says nothing");
    }
}

#[test]
fn explain_of_an_unknown_code_exits_2() {
    let out = run(idpc().args(["explain", "NOPE"]));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("`NOPE` is not a diagnostic code"));
}

// ---------------------------------------------------------------------------
// -o

#[test]
fn output_file_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("cognito-identity-pool.yml");
    let out = run(idpc().arg("build").arg(notes()).arg("-o").arg(&target));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.is_empty(),
        "-o must not also print: {}",
        out.stdout
    );
    let stdout = run(idpc().arg("build").arg(notes())).stdout;
    assert_eq!(std::fs::read_to_string(&target).unwrap(), stdout);
    assert_eq!(dir_entries(dir.path()), ["cognito-identity-pool.yml"]);
}

#[test]
fn failed_build_leaves_an_existing_output_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let bad = file_in(dir.path(), "bad.idp", BAD.as_bytes());
    let previous = b"# the last good build\nResources: {}\n";
    let target = file_in(dir.path(), "out.yml", previous);
    let before = dir_entries(dir.path());
    let out = run(idpc().arg("build").arg(&bad).arg("-o").arg(&target));
    assert_eq!(out.code, 1);
    assert_eq!(std::fs::read(&target).unwrap(), previous);
    assert_eq!(dir_entries(dir.path()), before, "temporary files were left");
}

#[test]
fn output_into_a_missing_directory_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("missing").join("out.yml");
    let out = run(idpc().arg("build").arg(notes()).arg("-o").arg(&target));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("E0902"), "{}", out.stderr);
    assert!(out.stderr.contains("cannot write"), "{}", out.stderr);
    assert!(out.stderr.contains("out.yml"), "{}", out.stderr);
    assert!(!dir.path().join("missing").exists());
}

// ---------------------------------------------------------------------------
// Determinism

#[test]
fn two_builds_are_byte_identical() {
    let first = idpc().arg("build").arg(notes()).output().unwrap();
    let second = idpc().arg("build").arg(notes()).output().unwrap();
    assert!(first.status.success());
    assert_eq!(first.stdout, second.stdout);
    let json = |()| {
        idpc()
            .args(["build", "--format", "json"])
            .arg(notes())
            .output()
            .unwrap()
            .stdout
    };
    assert_eq!(json(()), json(()));
}

#[test]
fn output_does_not_depend_on_the_working_directory() {
    let from_root = idpc()
        .current_dir(root())
        .args(["build", "examples/notes.idp"])
        .output()
        .unwrap();
    let from_examples = idpc()
        .current_dir(root().join("examples"))
        .args(["build", "notes.idp"])
        .output()
        .unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let from_elsewhere = idpc()
        .current_dir(elsewhere.path())
        .arg("build")
        .arg(notes())
        .output()
        .unwrap();
    assert!(from_root.status.success());
    assert_eq!(from_root.stdout, from_examples.stdout);
    assert_eq!(from_root.stdout, from_elsewhere.stdout);
}

// ---------------------------------------------------------------------------
// Formats and targets

#[test]
fn json_output_has_the_same_structure_as_yaml() {
    let yaml = run(idpc().arg("build").arg(notes())).stdout;
    let json = run(idpc().args(["build", "--format", "json"]).arg(notes())).stdout;
    let from_json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let from_yaml: serde_json::Value = serde_saphyr::from_str(&yaml).unwrap();
    assert_eq!(from_json, from_yaml);
    assert!(from_json["Resources"]["CognitoAuthRole"].is_object());
}

#[test]
fn cloudformation_target_is_a_whole_template() {
    let out = run(idpc()
        .args(["build", "--target", "cloudformation"])
        .arg(root().join("tests/fixtures/notes-plain.idp")));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("AWSTemplateFormatVersion: \"2010-09-09\"")
            || out
                .stdout
                .contains("AWSTemplateFormatVersion: '2010-09-09'"),
        "{}",
        out.stdout
    );
    let value: serde_json::Value = serde_saphyr::from_str(&out.stdout).unwrap();
    assert_eq!(value["AWSTemplateFormatVersion"], "2010-09-09");
    assert!(value["Resources"].is_object());
    assert!(value["Outputs"].is_object());
}

#[test]
fn serverless_variables_are_e0108_for_cloudformation() {
    let out = run(idpc()
        .args(["build", "--target", "cloudformation"])
        .arg(notes()));
    assert_eq!(out.code, 1);
    assert!(out.stdout.is_empty());
    assert!(out.stderr.contains("error[E0108]"), "{}", out.stderr);
    assert!(
        out.stderr.contains("${self:custom.stage}"),
        "{}",
        out.stderr
    );
}

#[test]
fn error_format_json_prints_one_object_per_line() {
    let dir = tempfile::tempdir().unwrap();
    let source = format!("{BAD}output Id = Nope\n");
    let bad = file_in(dir.path(), "bad.idp", source.as_bytes());
    let out = run(idpc().args(["--error-format", "json", "build"]).arg(&bad));
    assert_eq!(out.code, 1);
    let lines: Vec<serde_json::Value> = out
        .stderr
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    assert_eq!(lines.len(), 2, "{}", out.stderr);
    let first = &lines[0];
    assert_eq!(first["code"], "E0101");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["help"], "did you mean `AttachmentsBucket`?");
    let label = &first["labels"][0];
    assert_eq!(label["line"], 5);
    assert_eq!(label["column"], 19);
    assert_eq!(label["primary"], true);
    // Where the primary label is, at the top level too; the end column is
    // the one after `AttachmentBucket`.
    assert!(first["file"].as_str().unwrap().ends_with("bad.idp"));
    assert_eq!(first["line"], 5);
    assert_eq!(first["column"], 19);
    assert_eq!(first["end_line"], 5);
    assert_eq!(first["end_column"], 35);
    assert_eq!(label["end_column"], 35);
    assert_eq!(lines[1]["code"], "E0101");
    assert_eq!(lines[1]["labels"][0]["line"], 8);
}

// ---------------------------------------------------------------------------
// --version, explain

#[test]
fn version_names_the_crate_version_and_the_catalog_date() {
    let out = run(idpc().arg("--version"));
    assert_eq!(out.code, 0);
    assert_eq!(
        out.stdout.trim(),
        format!(
            "idpc {} (AWS service authorization data of {})",
            env!("CARGO_PKG_VERSION"),
            idpc::catalog::data_date()
        )
    );
    // A date, as the catalog generator records it.
    let date = idpc::catalog::data_date();
    assert_eq!(date.len(), 10, "{date}");
    assert!(date.starts_with("20"), "{date}");
}

#[test]
fn explain_prints_the_explanation() {
    let out = run(idpc().args(["explain", "E0101"]));
    assert_eq!(out.code, 0);
    assert!(out.stdout.starts_with("# E0101"), "{}", out.stdout);
    assert!(out.stdout.contains("```"), "{}", out.stdout);
    // Codes are accepted in any case.
    assert_eq!(run(idpc().args(["explain", "e0101"])).stdout, out.stdout);
}

#[test]
fn explain_lists_every_code() {
    let out = run(idpc().arg("explain"));
    assert_eq!(out.code, 0);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), Code::ALL.len(), "{}", out.stdout);
    for (code, line) in Code::ALL.iter().zip(lines) {
        assert!(line.starts_with(code.as_str()), "{line}");
        assert!(line.contains(code.title()), "{line}");
    }
}

// ---------------------------------------------------------------------------
// Inputs that are not programs

#[test]
fn non_utf8_input_is_e0003_with_the_byte_offset() {
    let dir = tempfile::tempdir().unwrap();
    let file = file_in(dir.path(), "latin1.idp", b"# r\xe9sum\xe9\nuse bucket B\n");
    let out = run(idpc().arg("build").arg(&file));
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("error[E0003]"), "{}", out.stderr);
    assert!(out.stderr.contains("offset 3"), "{}", out.stderr);
    assert!(out.stdout.is_empty());
    let json = run(idpc().args(["--error-format", "json", "check"]).arg(&file));
    let value: serde_json::Value = serde_json::from_str(json.stderr.trim()).unwrap();
    assert_eq!(value["code"], "E0003");
}

#[test]
fn empty_file_builds_an_empty_template() {
    let dir = tempfile::tempdir().unwrap();
    let file = file_in(dir.path(), "empty.idp", b"");
    let out = run(idpc().arg("build").arg(&file));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.is_empty(), "{}", out.stderr);
    let value: serde_json::Value = serde_saphyr::from_str(&out.stdout).unwrap();
    assert_eq!(value, serde_json::json!({ "Resources": {} }));
}

#[test]
fn odd_inputs_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let inputs: [&[u8]; 8] = [
        b"",
        b"\xff\xfe",
        b"\xef\xbb\xbfuse bucket B\n",
        b"\0\0\0",
        b"identity_pool P { name \"${${${${${${}\" }",
        b"identity_pool P {",
        b"output O = P.",
        b"use bucket B\r\nidentity_pool P {\r\n}\r\n",
    ];
    for (index, bytes) in inputs.iter().enumerate() {
        let file = file_in(dir.path(), &format!("odd{index}.idp"), bytes);
        for format in ["human", "json"] {
            let out = run(idpc().args(["--error-format", format, "build"]).arg(&file));
            assert!(out.code == 0 || out.code == 1, "{bytes:?}: {}", out.code);
        }
    }
}

#[test]
fn a_byte_order_mark_is_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let plain = std::fs::read(notes()).unwrap();
    let mut with_bom = b"\xef\xbb\xbf".to_vec();
    with_bom.extend_from_slice(&plain);
    let file = file_in(dir.path(), "notes.idp", &with_bom);
    let out = run(idpc().arg("build").arg(&file));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, run(idpc().arg("build").arg(notes())).stdout);
}

/// `idpc uses` lists what the rest of the stack must define: the resources
/// with their types, then the parameters and conditions the program refers
/// to (a declared one nothing uses is W0101's business, not a stub's).
#[test]
fn uses_lists_resources_then_parameters_and_conditions() {
    let out = run(idpc()
        .arg("uses")
        .arg(root().join("examples/stack-forms.idp")));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "FilesBucket AWS::S3::Bucket\nUserPool AWS::Cognito::UserPool\nWebClient AWS::Cognito::UserPoolClient\nStage Parameter\nIsProd Condition\n"
    );
}

/// `idpc check` takes several files (as pre-commit passes them): each is
/// reported on its own, and the exit code is the worst of them.
#[test]
fn check_takes_several_files_and_exits_with_the_worst() {
    let dir = tempfile::tempdir().unwrap();
    let bad = file_in(dir.path(), "bad.idp", BAD.as_bytes());
    let warns = file_in(dir.path(), "warns.idp", WARNS.as_bytes());
    let missing = dir.path().join("missing.idp");

    let out = run(idpc().arg("check").arg(notes()).arg(&warns));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("warns.idp"), "{}", out.stderr);
    assert!(out.stdout.is_empty());

    let out = run(idpc()
        .args(["check", "--deny-warnings"])
        .arg(notes())
        .arg(&warns));
    assert_eq!(out.code, 1, "{}", out.stderr);

    let out = run(idpc().arg("check").arg(&bad).arg(&warns));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("E0101") && out.stderr.contains("W0101"));

    // An unreadable file is reported, and the others still checked.
    let out = run(idpc().arg("check").arg(&missing).arg(&bad));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("E0901"), "{}", out.stderr);
    assert!(out.stderr.contains("E0101"), "{}", out.stderr);
}

#[test]
fn check_needs_a_file() {
    let out = run(idpc().arg("check"));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("<FILE>"), "{}", out.stderr);
}
