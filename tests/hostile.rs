//! Hostile inputs through the `idpc` binary: none may panic, hang or flood.
//!
//! Each run is under a watchdog: a run still going after 5 minutes is
//! killed and counts as a hang. The watchdog only tells a hang from an
//! answer, on however loaded a machine (a 20 s one once fired on a busy
//! one); how fast each input is really answered is measured in the
//! benchmarks (`cargo bench --bench compile -- hostile`), not here.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod hostile_inputs;
#[path = "support/watchdog.rs"]
mod watchdog;

use hostile_inputs as inputs;
use idpc::diag::MAX_SHOWN;
use std::path::Path;
use std::process::{Command, Stdio};
use watchdog::{Ran as Run, watched};

/// Past this, stderr counts as a flood.
const MAX_STDERR: usize = 64 * 1024;

/// Runs `idpc ARGS... FILE` (FILE holding `input`) under the watchdog and
/// checks it neither panicked nor flooded stderr.
fn idpc(input: &[u8], args: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hostile.idp");
    std::fs::write(&file, input).unwrap();
    run(args, &file)
}

fn run(args: &[&str], file: &Path) -> Run {
    run_bounded(args, file, MAX_STDERR)
}

fn run_bounded(args: &[&str], file: &Path, max_stderr: usize) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_idpc"));
    cmd.args(["--color", "never"])
        .args(args)
        .arg(file)
        .env_remove("RUST_BACKTRACE");
    let run = watched(&mut cmd, Stdio::null());
    let stderr = &run.stderr;
    assert!(
        stderr.len() <= max_stderr,
        "stderr flooded: {} bytes, starting:\n{}",
        stderr.len(),
        stderr.chars().take(2000).collect::<String>()
    );
    run
}

#[test]
fn two_hundred_thousand_nested_braces() {
    for input in [inputs::nested_braces(), inputs::nested_braces_in_role()] {
        for args in [
            &["build"][..],
            &["check"],
            &["--error-format", "json", "check"],
        ] {
            let out = idpc(&input, args);
            assert_eq!(out.code, 1, "{}", out.stderr);
            assert!(out.stderr.contains("E0001"), "{}", out.stderr);
            assert!(out.stdout.is_empty());
        }
    }
}

#[test]
fn top_level_garbage_says_what_was_expected() {
    let out = idpc(&inputs::nested_braces(), &["check"]);
    assert!(
        out.stderr
            .contains("expected an item: `use`, `identity_pool`, `role` or `output`, found `{`"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("the source line is not shown: it is 200000 bytes long"),
        "{}",
        out.stderr
    );
}

#[test]
fn invalid_utf8_says_so_with_the_offset() {
    let out = idpc(&inputs::invalid_utf8(), &["build"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let offset = inputs::INVALID_UTF8_OFFSET;
    assert!(
        out.stderr
            .contains(&format!("not UTF-8: invalid byte at offset {offset}")),
        "{}",
        out.stderr
    );
    let json = idpc(
        &inputs::invalid_utf8(),
        &["--error-format", "json", "check"],
    );
    assert!(json.stderr.contains("E0003"), "{}", json.stderr);
}

#[test]
fn random_bytes_and_random_text() {
    for seed in 1..=4 {
        let bytes = inputs::random_bytes(seed, 1 << 20);
        let out = idpc(&bytes, &["build"]);
        assert_eq!(out.code, 1, "{}", out.stderr);
        let valid_up_to = std::str::from_utf8(&bytes).map_or_else(|e| e.valid_up_to(), |_| 0);
        assert!(
            out.stderr
                .contains(&format!("not UTF-8: invalid byte at offset {valid_up_to}")),
            "{}",
            out.stderr
        );
        let out = idpc(&inputs::random_text(seed, 1 << 20), &["build"]);
        assert_eq!(out.code, 1, "{}", out.stderr);
        assert!(out.stderr.contains("error[E0001]"), "{}", out.stderr);
    }
}

#[test]
fn a_three_megabyte_logical_id() {
    for input in [inputs::long_logical_id(), inputs::long_resource_name()] {
        let out = idpc(&input, &["build"]);
        assert_eq!(out.code, 1, "{}", out.stderr);
        assert!(
            out.stderr.contains(
                "this logical ID is 3000000 characters long; CloudFormation allows at most 255"
            ),
            "{}",
            out.stderr
        );
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn two_thousand_errors_show_fifty_and_count_the_rest() {
    let input = inputs::many_errors(2000);
    let out = idpc(&input, &["build"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let shown = out.stderr.matches("error[E0101]").count();
    assert_eq!(shown, MAX_SHOWN, "{}", out.stderr);
    let last = out.stderr.lines().last().unwrap();
    assert_eq!(
        last,
        format!("2000 errors ({} not shown)", 2000 - MAX_SHOWN),
        "{}",
        out.stderr
    );
    // JSON is for machines: a diagnostic a line, up to MAX_LISTED, and a
    // line counting the rest.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("many.idp");
    std::fs::write(&file, &input).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_idpc"))
        .args(["--error-format", "json", "check"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr).lines().count(),
        idpc::diag::MAX_LISTED + 1
    );
}

#[test]
fn fifty_thousand_errors_as_json_in_a_large_file() {
    // JSON lists the first MAX_LISTED diagnostics and a line counting the
    // rest; finding each one's line used to take time proportional to the
    // file, quadratic overall.
    let n = 50_000;
    let listed = idpc::diag::MAX_LISTED;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("many.idp");
    std::fs::write(&file, inputs::many_errors(n)).unwrap();
    let out = run_bounded(&["--error-format", "json", "check"], &file, listed * 1024);
    assert_eq!(out.code, 1);
    assert_eq!(out.stderr.lines().count(), listed + 1);
    let line = |i: usize| -> serde_json::Value {
        serde_json::from_str(out.stderr.lines().nth(i).unwrap()).unwrap()
    };
    let last = line(listed - 1);
    assert_eq!(last["labels"][0]["line"], listed + 2);
    assert_eq!(last["labels"][0]["column"], 27);
    assert_eq!(line(listed)["not_listed"], n - listed);
}

#[test]
fn an_empty_file() {
    for input in [
        &b""[..],
        b"\n\n   \t\n",
        b"# only a comment\n",
        b"\xef\xbb\xbf",
    ] {
        let out = idpc(input, &["build"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(out.stderr.is_empty(), "{}", out.stderr);
        let yaml = String::from_utf8(out.stdout).unwrap();
        assert!(yaml.contains("Resources: {}"), "{yaml}");
        let out = idpc(input, &["uses"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn a_file_over_the_size_limit_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("huge.idp");
    let f = std::fs::File::create(&file).unwrap();
    f.set_len(17 * 1024 * 1024).unwrap();
    let out = run(&["build"], &file);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("programs are limited to"),
        "{}",
        out.stderr
    );
}

#[test]
fn every_hostile_input_in_process() {
    // The same inputs through the library, both renderers included.
    for (name, input) in inputs::all() {
        let mut sources = idpc::diag::Sources::new();
        let compiled = idpc::compile(name, &input, &idpc::Options::default(), &mut sources);
        let plain = idpc::diag::render_plain(&compiled.diagnostics, &sources);
        assert!(plain.len() <= MAX_STDERR, "{name}: {} bytes", plain.len());
        let _ = idpc::diag::render_json(&compiled.diagnostics, &sources);
    }
}
