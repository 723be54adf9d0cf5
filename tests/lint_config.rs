//! `idpc.toml` from the command line: where it is found, what its levels
//! do to the build, and its mistakes (E0501-E0505), each asserted by code,
//! underlined text and help.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

/// One unused name: W0101 on `OldBucket`.
const UNUSED: &str = "use bucket AttachmentsBucket, OldBucket\n\nidentity_pool P {\n  authenticated role {\n    allow s3:GetObject on AttachmentsBucket/*\n  }\n}\n";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn idpc(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_idpc"))
        .current_dir(dir)
        .args(["--color", "never"])
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

/// A project: `files` written below a fresh directory.
fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn json_lines(stderr: &str) -> Vec<Value> {
    stderr
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

/// The text a diagnostic's primary label underlines, read from its file.
fn underlined(dir: &Path, diagnostic: &Value) -> String {
    let label = diagnostic["labels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["primary"] == true)
        .unwrap();
    let text = std::fs::read_to_string(dir.join(label["file"].as_str().unwrap())).unwrap();
    let (start, end) = (
        label["start"].as_u64().unwrap() as usize,
        label["end"].as_u64().unwrap() as usize,
    );
    text[start..end].to_string()
}

/// Checks `idpc.toml` holding `config` and a fine program: exit 1, one
/// diagnostic, returned with the text it underlines.
fn config_mistake(config: &str) -> (Value, String) {
    let dir = project(&[("idpc.toml", config), ("app.idp", UNUSED)]);
    let out = idpc(
        dir.path(),
        &[
            "--error-format",
            "json",
            "build",
            "app.idp",
            "-o",
            "out.yml",
        ],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(!dir.path().join("out.yml").exists(), "nothing is written");
    let mut lines = json_lines(&out.stderr);
    // The program's own warning follows the mistakes in idpc.toml.
    assert_eq!(lines.last().unwrap()["code"], "W0101", "{}", out.stderr);
    lines.pop();
    assert_eq!(lines.len(), 1, "{}", out.stderr);
    let diagnostic = lines.remove(0);
    assert_eq!(diagnostic["file"], "idpc.toml");
    assert_eq!(diagnostic["severity"], "error");
    let text = underlined(dir.path(), &diagnostic);
    (diagnostic, text)
}

#[test]
fn allow_in_the_programs_directory_silences_the_warning() {
    let dir = project(&[
        ("idpc.toml", "[lints]\nW0101 = \"allow\"\n"),
        ("app.idp", UNUSED),
    ]);
    let out = idpc(dir.path(), &["build", "app.idp"]);
    assert_eq!(out.code, 0);
    assert_eq!(out.stderr, "");
    assert!(out.stdout.contains("AWS::Cognito::IdentityPool"));
}

#[test]
fn deny_fails_the_build_and_points_at_the_level() {
    let dir = project(&[
        ("idpc.toml", "[lints]\nW0101 = \"deny\"\n"),
        ("app.idp", UNUSED),
    ]);
    let out = idpc(dir.path(), &["build", "app.idp", "-o", "out.yml"]);
    assert_eq!(out.code, 1);
    assert!(!dir.path().join("out.yml").exists());
    assert!(out.stderr.contains("error[W0101]"), "{}", out.stderr);
    assert!(
        out.stderr.contains("the level of `W0101` is set here"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("idpc.toml:2:1"), "{}", out.stderr);
    assert!(out.stderr.contains("1 error"), "{}", out.stderr);
}

#[test]
fn the_nearest_idpc_toml_above_the_program_applies() {
    let dir = project(&[
        ("idpc.toml", "[lints]\nW0101 = \"deny\"\n"),
        ("infra/pools/app.idp", UNUSED),
        ("infra/other/idpc.toml", "[lints]\nW0101 = \"allow\"\n"),
        ("infra/other/app.idp", UNUSED),
    ]);
    // From the root's idpc.toml, two directories up.
    let out = idpc(dir.path(), &["check", "infra/pools/app.idp"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    // The nearest one wins; the search stops there.
    let out = idpc(dir.path(), &["check", "infra/other/app.idp"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stderr, "");
    // Found from the program's directory, not the working directory.
    let out = idpc(
        &dir.path().join("infra/other"),
        &["check", "../pools/app.idp"],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
}

#[test]
fn deny_warnings_still_fails_on_the_warnings_left() {
    let dir = project(&[
        ("idpc.toml", "[lints]\nW0101 = \"warn\"\n"),
        ("app.idp", UNUSED),
    ]);
    let out = idpc(dir.path(), &["check", "app.idp"]);
    assert_eq!(out.code, 0);
    let out = idpc(dir.path(), &["--deny-warnings", "check", "app.idp"]);
    assert_eq!(out.code, 1);
    let allowed = project(&[
        ("idpc.toml", "[lints]\nW0101 = \"allow\"\n"),
        ("app.idp", UNUSED),
    ]);
    let out = idpc(allowed.path(), &["--deny-warnings", "check", "app.idp"]);
    assert_eq!(out.code, 0, "an allowed warning is gone: {}", out.stderr);
}

#[test]
fn e0501_malformed_toml() {
    let (diagnostic, text) = config_mistake("[lints]\nW0101 = allow\n");
    assert_eq!(diagnostic["code"], "E0501");
    assert_eq!(text, "allow");
    assert_eq!(diagnostic["line"], 2);
    assert_eq!(
        diagnostic["help"],
        "fix the TOML; `idpc explain E0501` shows the file's format"
    );
}

#[test]
fn e0502_unknown_table() {
    let (diagnostic, text) = config_mistake("[lint]\nW0101 = \"allow\"\n");
    assert_eq!(diagnostic["code"], "E0502");
    assert_eq!(text, "lint");
    assert_eq!(diagnostic["help"], "did you mean `lints`?");
}

#[test]
fn e0502_lints_that_is_not_a_table() {
    let (diagnostic, text) = config_mistake("lints = \"W0101\"\n");
    assert_eq!(diagnostic["code"], "E0502");
    assert_eq!(text, "\"W0101\"");
    assert_eq!(diagnostic["message"], "`lints` must be a table, not string");
}

#[test]
fn e0502_unknown_top_level_key() {
    let (diagnostic, text) = config_mistake("version = 1\n[lints]\n");
    assert_eq!(diagnostic["code"], "E0502");
    assert_eq!(text, "version");
    assert_eq!(diagnostic["message"], "`idpc.toml` has no key `version`");
    assert_eq!(
        diagnostic["help"],
        "the only table is `[lints]`, with `CODE = \"level\"` entries"
    );
}

#[test]
fn e0503_unknown_code() {
    let (diagnostic, text) = config_mistake("[lints]\nW0110 = \"deny\"\n");
    assert_eq!(diagnostic["code"], "E0503");
    assert_eq!(text, "W0110");
    assert_eq!(diagnostic["help"], "did you mean `W0101`?");
}

#[test]
fn e0503_code_in_lower_case() {
    let (diagnostic, text) = config_mistake("[lints]\nw0402 = \"deny\"\n");
    assert_eq!(diagnostic["code"], "E0503");
    assert_eq!(text, "w0402");
    assert_eq!(diagnostic["help"], "did you mean `W0402`?");
}

#[test]
fn e0504_unknown_level() {
    let (diagnostic, text) = config_mistake("[lints]\nW0402 = \"Deny\"\n");
    assert_eq!(diagnostic["code"], "E0504");
    assert_eq!(text, "\"Deny\"");
    assert_eq!(diagnostic["help"], "did you mean `\"deny\"`?");
}

#[test]
fn e0504_level_that_is_not_a_string() {
    let (diagnostic, text) = config_mistake("[lints]\nW0402 = false\n");
    assert_eq!(diagnostic["code"], "E0504");
    assert_eq!(text, "false");
    assert_eq!(
        diagnostic["help"],
        "write `W0402 = \"deny\"` (or \"allow\", \"warn\")"
    );
}

#[test]
fn e0505_error_lowered() {
    let (diagnostic, text) = config_mistake("[lints]\nE0101 = \"allow\"\n");
    assert_eq!(diagnostic["code"], "E0505");
    assert_eq!(text, "\"allow\"");
    assert_eq!(
        diagnostic["message"],
        "`E0101` is an error and cannot be lowered to \"allow\""
    );
    assert_eq!(
        diagnostic["help"],
        "fix the program instead (`idpc explain E0101`), and remove this line"
    );
}

#[test]
fn every_mistake_is_reported_at_once_in_human_form() {
    let dir = project(&[
        (
            "idpc.toml",
            "[lints]\nW0110 = \"deny\"\nW0402 = \"ignore\"\n\n[checks]\n",
        ),
        ("app.idp", UNUSED),
    ]);
    let out = idpc(dir.path(), &["check", "app.idp"]);
    assert_eq!(out.code, 1);
    let stderr = out.stderr;
    for expected in [
        "error[E0503]: unknown diagnostic code `W0110`",
        "error[E0504]: `ignore` is not a lint level",
        "error[E0502]: `idpc.toml` has no table `checks`",
        "┌─ idpc.toml:2:1",
        "3 errors, 1 warning",
    ] {
        assert!(stderr.contains(expected), "no {expected:?} in:\n{stderr}");
    }
}

#[test]
fn an_unreadable_idpc_toml_is_an_io_error() {
    let dir = project(&[("app.idp", UNUSED)]);
    std::fs::create_dir(dir.path().join("idpc.toml")).unwrap();
    // A directory named idpc.toml is not a project file: it is skipped.
    let out = idpc(dir.path(), &["check", "app.idp"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let dir = project(&[("app.idp", UNUSED)]);
    std::fs::write(dir.path().join("idpc.toml"), b"[lints]\n\xff = 1\n").unwrap();
    let out = idpc(dir.path(), &["check", "app.idp"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("error[E0901]"), "{}", out.stderr);
    assert!(out.stderr.contains("not UTF-8"), "{}", out.stderr);
}
