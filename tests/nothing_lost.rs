//! Nothing lost: `idpc build -o OUT` on any error leaves an existing `OUT`
//! byte-identical and no temporary file behind, and builds racing to the
//! same `OUT` leave one complete output of one of them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const EXISTING: &[u8] = b"# an earlier build's output, which must survive\nResources: {}\n";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn idpc() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_idpc"));
    cmd.env_remove("RUST_BACKTRACE").args(["--color", "never"]);
    cmd
}

fn no_panic(output: &Output) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_ne!(output.status.code(), Some(101), "{stderr}");
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Builds `input` with `-o out.yml` over an existing `out.yml` and checks
/// the build failed with `code`, `out.yml` is untouched and nothing else
/// appeared in its directory.
fn fails_and_keeps_output(input: &Path, extra: &[&str], code: i32) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.yml");
    std::fs::write(&out, EXISTING).unwrap();
    let output = idpc()
        .args(extra)
        .arg("build")
        .arg(input)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    no_panic(&output);
    assert_eq!(
        output.status.code(),
        Some(code),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(std::fs::read(&out).unwrap(), EXISTING, "OUT was changed");
    assert_eq!(
        entries(dir.path()),
        ["out.yml"],
        "something was left behind"
    );
    assert!(output.stdout.is_empty());
}

fn program(dir: &Path, name: &str, text: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_parse_error_keeps_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let p = program(
        dir.path(),
        "p.idp",
        b"identity_pool P {\n  authenticated role {\n",
    );
    fails_and_keeps_output(&p, &[], 1);
}

#[test]
fn a_check_error_keeps_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let p = program(
        dir.path(),
        "p.idp",
        b"use bucket B\nidentity_pool P {\n  authenticated role {\n    allow s3:GetObjekt on B/*\n  }\n}\n",
    );
    fails_and_keeps_output(&p, &[], 1);
}

#[test]
fn a_warning_under_deny_warnings_keeps_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let p = program(
        dir.path(),
        "p.idp",
        b"use bucket B, Unused\nidentity_pool P {\n  authenticated role {\n    allow s3:GetObject on B/*\n  }\n}\n",
    );
    fails_and_keeps_output(&p, &["--deny-warnings"], 1);
}

#[test]
fn input_that_is_not_utf8_keeps_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let p = program(dir.path(), "p.idp", b"use bucket B\n\xff");
    fails_and_keeps_output(&p, &[], 1);
}

#[test]
fn unreadable_input_keeps_the_output() {
    let dir = tempfile::tempdir().unwrap();
    // Missing, a directory, and (for a user that permissions apply to) a
    // file that may not be read.
    fails_and_keeps_output(&dir.path().join("missing.idp"), &[], 2);
    fails_and_keeps_output(dir.path(), &[], 2);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let p = program(dir.path(), "secret.idp", b"");
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
        if std::fs::read(&p).is_err() {
            fails_and_keeps_output(&p, &[], 2);
        }
    }
}

#[test]
fn an_output_that_cannot_be_replaced_leaves_no_temporary_file() {
    // `-o` names a non-empty directory: the rename fails after the
    // temporary file was written; it must be cleaned up.
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out.yml");
    std::fs::create_dir(&target).unwrap();
    std::fs::write(target.join("keep"), EXISTING).unwrap();
    let output = idpc()
        .arg("build")
        .arg(root().join("examples/notes.idp"))
        .arg("-o")
        .arg(&target)
        .output()
        .unwrap();
    no_panic(&output);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(entries(dir.path()), ["out.yml"]);
    assert_eq!(std::fs::read(target.join("keep")).unwrap(), EXISTING);
}

#[test]
fn racing_builds_leave_one_complete_output() {
    let programs = ["notes.idp", "social-login.idp", "guest-access.idp"]
        .map(|name| root().join("examples").join(name));
    // What each program builds to, on its own.
    let expected: Vec<Vec<u8>> = programs
        .iter()
        .map(|p| {
            let output = idpc().arg("build").arg(p).output().unwrap();
            assert!(output.status.success());
            output.stdout
        })
        .collect();
    for round in 0..5 {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("identity-pool.yml");
        if round % 2 == 1 {
            std::fs::write(&out, EXISTING).unwrap();
        }
        let children: Vec<_> = (0..8)
            .map(|i| {
                idpc()
                    .arg("build")
                    .arg(&programs[i % programs.len()])
                    .arg("-o")
                    .arg(&out)
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let output = child.wait_with_output().unwrap();
            no_panic(&output);
            assert!(
                output.status.success(),
                "{}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let written = std::fs::read(&out).unwrap();
        assert!(
            expected.contains(&written),
            "round {round}: the output is none of the programs' outputs:\n{}",
            String::from_utf8_lossy(&written)
        );
        assert_eq!(
            entries(dir.path()),
            ["identity-pool.yml"],
            "round {round}: temporary files left behind"
        );
    }
}
