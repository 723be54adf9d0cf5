//! What installing idpc gives a shell: `idpc completions SHELL` and
//! `idpc man [COMMAND]`, both generated from the command line's definition.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use assert_cmd::Command;

/// Every subcommand, as `idpc --help` lists them.
const SUBCOMMANDS: [&str; 12] = [
    "build",
    "check",
    "explain",
    "uses",
    "graph",
    "fmt",
    "import",
    "can",
    "diff",
    "prove",
    "completions",
    "man",
];

/// Options a user reaches for first, global and per command.
const OPTIONS: [&str; 5] = [
    "--deny-warnings",
    "--error-format",
    "--output",
    "--target",
    "--check",
];

fn idpc(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_idpc"))
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "idpc panicked:\n{stderr}");
    (
        output.status.code().expect("killed by a signal"),
        String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr,
    )
}

fn completions(shell: &str) -> String {
    let (code, script, stderr) = idpc(&["completions", shell]);
    assert_eq!(code, 0, "idpc completions {shell}: {stderr}");
    script
}

#[test]
fn every_shell_completes_every_subcommand_and_the_common_options() {
    for shell in ["bash", "zsh", "fish"] {
        let script = completions(shell);
        for word in SUBCOMMANDS.iter().chain(&OPTIONS) {
            // fish spells long options `-l deny-warnings`.
            let fish_word = word.strip_prefix("--").map(|long| format!("-l {long}"));
            assert!(
                script.contains(word) || fish_word.is_some_and(|w| script.contains(&w)),
                "the {shell} script does not mention `{word}`"
            );
        }
    }
}

#[test]
fn bash_completions_complete_the_shells_of_completions_itself() {
    // `idpc completions <TAB>` offers the shells.
    let script = completions("bash");
    assert!(script.contains("bash") && script.contains("zsh") && script.contains("fish"));
    assert!(script.contains("complete -F _idpc"), "{script}");
}

#[test]
fn the_bash_script_is_valid_bash() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("idpc.bash");
    std::fs::write(&path, completions("bash")).unwrap();
    // bash is on every machine that runs the CI (its scripts are bash).
    let status = std::process::Command::new("bash")
        .arg("-n")
        .arg(&path)
        .status()
        .expect("bash is needed to check the completion script");
    assert!(status.success(), "bash -n rejects the completion script");
}

#[test]
fn the_zsh_script_declares_its_command() {
    let script = completions("zsh");
    assert!(script.starts_with("#compdef idpc"), "{script}");
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let (code, stdout, stderr) = idpc(&["completions", "tcsh"]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("bash") && stderr.contains("fish"),
        "{stderr}"
    );
}

#[test]
fn the_man_page_is_roff_with_every_subcommand() {
    let (code, page, stderr) = idpc(&["man"]);
    assert_eq!(code, 0, "{stderr}");
    let title = page
        .lines()
        .find(|line| line.starts_with(".TH "))
        .expect("a .TH line");
    assert!(title.starts_with(".TH idpc 1 "), "{title}");
    assert!(title.contains(env!("CARGO_PKG_VERSION")), "{title}");
    for section in [".SH NAME", ".SH SYNOPSIS", ".SH OPTIONS", ".SH SUBCOMMANDS"] {
        assert!(page.contains(section), "no `{section}` in the page");
    }
    for sub in SUBCOMMANDS {
        assert!(
            page.contains(&format!("idpc\\-{sub}(1)")),
            "no idpc-{sub}(1)"
        );
    }
    // Every line is roff: a request, a comment or text, never a stray
    // leading `'` or `.` from a description (which roff would eat).
    for line in page.lines() {
        assert!(!line.starts_with("..") && !line.starts_with(". "), "{line}");
    }
}

#[test]
fn a_subcommand_has_its_own_page() {
    let (code, page, stderr) = idpc(&["man", "check"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(page.contains(".TH idpc-check 1 "), "{page}");
    assert!(page.contains("\\fBidpc check\\fR"), "{page}");
    assert!(page.contains("deny\\-warnings"), "{page}");
}

#[test]
fn an_unknown_page_is_a_usage_error() {
    let (code, stdout, stderr) = idpc(&["man", "bild"]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(stderr.contains("`bild` is not a subcommand"), "{stderr}");
}

/// `man` renders the page. In CI (`CI` set) a missing `man` fails the test
/// rather than skipping it (.ci/install-tools installs Debian's man-db).
#[test]
fn man_renders_the_page() {
    let found = std::process::Command::new("man")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found || std::env::var_os("CI").is_none(),
        "man is missing in CI (.ci/install-tools installs man-db)"
    );
    if !found {
        eprintln!("skipped: man is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("idpc.1");
    std::fs::write(&path, idpc(&["man"]).1).unwrap();
    let output = std::process::Command::new("man")
        .arg("-l")
        .arg(&path)
        .env("MANWIDTH", "80")
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "man -l failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        text.contains("SUBCOMMANDS") && text.contains("idpc-build(1)"),
        "{text}"
    );
}
