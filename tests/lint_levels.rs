//! Lint levels passed through `Options` (as `idpc.toml` does from the
//! command line) and suppression comments: what stays shown, as what, and
//! whether there is output. The cases where a suppression leaves nothing to
//! show live here; `tests/ui/suppress/` has the ones with diagnostics.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use idpc::diag::{Code, Severity, Sources, render_plain};
use idpc::lints::{Level, LintLevels, SuppressedBy};
use idpc::{Compiled, Options, compile};
use std::path::Path;

/// One unused name: W0101 on `OldBucket`.
const UNUSED: &str = "use bucket AttachmentsBucket, OldBucket\n\nidentity_pool P {\n  authenticated role {\n    allow s3:GetObject on AttachmentsBucket/*\n  }\n}\n";

fn levels(entries: &[(Code, Level)]) -> LintLevels {
    let mut levels = LintLevels::new();
    for (code, level) in entries {
        assert!(levels.set(*code, *level));
    }
    levels
}

fn compile_with(source: &str, lints: LintLevels) -> (Compiled, Sources) {
    let options = Options {
        lints,
        ..Options::default()
    };
    let mut sources = Sources::new();
    let compiled = compile("levels.idp", source.as_bytes(), &options, &mut sources);
    (compiled, sources)
}

fn codes(compiled: &Compiled) -> Vec<Code> {
    compiled.diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn without_levels_a_warning_is_a_warning() {
    let (compiled, _) = compile_with(UNUSED, LintLevels::new());
    assert_eq!(codes(&compiled), [Code::W0101]);
    assert_eq!(compiled.diagnostics[0].severity(), Severity::Warning);
    assert!(compiled.output.is_some());
}

#[test]
fn allow_drops_the_warning_and_keeps_the_output() {
    let (compiled, _) = compile_with(UNUSED, levels(&[(Code::W0101, Level::Allow)]));
    assert_eq!(codes(&compiled), []);
    assert!(compiled.output.is_some());
    assert_eq!(compiled.suppressed.len(), 1);
    assert_eq!(compiled.suppressed[0].diagnostic.code, Code::W0101);
    assert_eq!(compiled.suppressed[0].by, SuppressedBy::Level);
}

#[test]
fn deny_makes_the_warning_an_error_and_removes_the_output() {
    let (compiled, sources) = compile_with(UNUSED, levels(&[(Code::W0101, Level::Deny)]));
    assert_eq!(codes(&compiled), [Code::W0101]);
    assert_eq!(compiled.diagnostics[0].severity(), Severity::Error);
    assert!(compiled.has_errors());
    assert!(compiled.output.is_none());
    assert!(compiled.external.is_empty());
    let shown = render_plain(&compiled.diagnostics, &sources);
    assert!(shown.contains("error[W0101]"), "{shown}");
    assert!(
        shown.contains("`W0101 = \"deny\"` makes this an error"),
        "{shown}"
    );
}

#[test]
fn warn_keeps_a_warning_a_warning() {
    let (compiled, _) = compile_with(UNUSED, levels(&[(Code::W0101, Level::Warn)]));
    assert_eq!(compiled.diagnostics[0].severity(), Severity::Warning);
    assert!(compiled.diagnostics[0].notes.is_empty());
    assert!(compiled.output.is_some());
}

#[test]
fn levels_of_other_codes_change_nothing() {
    let (compiled, _) = compile_with(UNUSED, levels(&[(Code::W0402, Level::Deny)]));
    assert_eq!(codes(&compiled), [Code::W0101]);
    assert!(compiled.output.is_some());
}

#[test]
fn errors_cannot_be_lowered() {
    let mut levels = LintLevels::new();
    assert!(!levels.set(Code::E0101, Level::Allow));
    assert!(!levels.set(Code::E0101, Level::Warn));
    assert!(
        levels.set(Code::E0101, Level::Deny),
        "deny on an error is a no-op"
    );
    assert!(levels.is_empty());
}

#[test]
fn a_suppression_with_a_reason_leaves_nothing_to_show() {
    let source = "use bucket AttachmentsBucket
use table NotesTable
identity_pool NotesPool {
  authenticated role {
    # idpc: allow(W0402) reason: one item per identity, so one key
    allow dynamodb:GetItem on NotesTable when dynamodb:Attributes == \"title\"
    allow s3:GetObject on AttachmentsBucket/*
  }
}
";
    let (compiled, _) = compile_with(source, LintLevels::new());
    assert_eq!(codes(&compiled), []);
    assert!(compiled.output.is_some());
    assert_eq!(compiled.suppressed.len(), 1);
    assert_eq!(compiled.suppressed[0].diagnostic.code, Code::W0402);
    assert_eq!(
        compiled.suppressed[0].by,
        SuppressedBy::Comment {
            reason: "one item per identity, so one key".to_string()
        }
    );
}

#[test]
fn above_a_block_a_suppression_covers_the_whole_block() {
    let source = "# idpc: allow(W0202, W0402) reason: the auditors' pool comes next release
role AuditorRole {
  allow dynamodb:GetItem on NotesTable when dynamodb:Attributes == \"title\"
}

use table NotesTable
identity_pool NotesPool {
  authenticated role {
    allow dynamodb:GetItem on NotesTable when all dynamodb:Attributes == \"title\"
  }
}
";
    let (compiled, _) = compile_with(source, LintLevels::new());
    assert_eq!(codes(&compiled), []);
    let mut suppressed: Vec<Code> = compiled
        .suppressed
        .iter()
        .map(|s| s.diagnostic.code)
        .collect();
    suppressed.sort();
    assert_eq!(suppressed, [Code::W0202, Code::W0402]);
}

#[test]
fn a_suppression_wins_over_a_deny_level() {
    let source =
        format!("# idpc: allow(W0101) reason: the archive bucket is wired next sprint\n{UNUSED}");
    let (compiled, _) = compile_with(&source, levels(&[(Code::W0101, Level::Deny)]));
    assert_eq!(codes(&compiled), []);
    assert!(compiled.output.is_some());
}

#[test]
fn the_suppression_warnings_have_levels_too() {
    let source = format!("# idpc: allow(W0101)\n{UNUSED}");
    let (compiled, _) = compile_with(&source, LintLevels::new());
    assert_eq!(codes(&compiled), [Code::W0501]);
    let (compiled, _) = compile_with(&source, levels(&[(Code::W0501, Level::Deny)]));
    assert_eq!(codes(&compiled), [Code::W0501]);
    assert!(compiled.output.is_none());
    let (compiled, _) = compile_with(&source, levels(&[(Code::W0501, Level::Allow)]));
    assert_eq!(codes(&compiled), []);
}

#[test]
fn a_stack_file_warning_is_suppressed_above_its_use_line() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ui/imports");
    let source = "# idpc: allow(W0301) reason: the user pool file is generated in CI
use \"stacks/serverless.yml\"

identity_pool NotesPool {
  authenticated role {
    allow s3:GetObject on AttachmentsBucket/private/$<sub>/*
  }
}
";
    let options = Options {
        base_dir: Some(dir),
        ..Options::default()
    };
    let compiled = compile(
        "missing_include.idp",
        source.as_bytes(),
        &options,
        &mut Sources::new(),
    );
    assert_eq!(codes(&compiled), []);
    assert_eq!(compiled.suppressed[0].diagnostic.code, Code::W0301);
}

#[test]
fn a_program_that_does_not_parse_still_reports_its_error() {
    let source = "# idpc: allow(W0101) reason: x\nuse bucket\n";
    let (compiled, _) = compile_with(source, levels(&[(Code::W0101, Level::Allow)]));
    assert_eq!(codes(&compiled), [Code::E0001]);
}

/// Many suppressions: each applies to its own line, and thousands stacked
/// above one item all apply to it (hostile sizes stay linear; see
/// `src/lints/suppress.rs`).
#[test]
fn thousands_of_suppressions() {
    let mut source = String::new();
    for i in 0..5_000 {
        source.push_str(&format!(
            "# idpc: allow(W0101) reason: kept for later\nuse bucket B{i}\n"
        ));
    }
    let (compiled, _) = compile_with(&source, LintLevels::new());
    assert_eq!(codes(&compiled), []);
    assert_eq!(compiled.suppressed.len(), 5_000);

    let mut stacked = "# idpc: allow(W0101) reason: kept for later\n".repeat(5_000);
    stacked.push_str("use bucket Unused\n");
    let (compiled, _) = compile_with(&stacked, LintLevels::new());
    assert_eq!(compiled.suppressed.len(), 1);
    // The first comment suppressed it; each of the others suppresses
    // nothing, and says so.
    assert_eq!(compiled.diagnostics.len(), 4_999);
    assert!(compiled.diagnostics.iter().all(|d| d.code == Code::W0504));
}
