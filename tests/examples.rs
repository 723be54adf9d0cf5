//! Golden output of the notes example, as `idpc build` prints it. The YAML
//! snapshot was read against `tests/fixtures/seed/cognito-identity-pool.yml`
//! (the hand-written template it replaces) and means the same.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use assert_cmd::Command;
use std::path::Path;

fn build(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_idpc"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["--color", "never", "build", "examples/notes.idp"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.stderr.is_empty());
    String::from_utf8(output.stdout).unwrap()
}

fn snapshot(name: &str, value: String) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    insta::with_settings!({
        snapshot_path => dir,
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name, value);
    });
}

#[test]
fn notes_yaml() {
    snapshot("notes_yaml", build(&[]));
}

#[test]
fn notes_json() {
    snapshot("notes_json", build(&["--format", "json"]));
}
