//! The audit (`idpc check` of a template) agrees with the compiler: a
//! program and its compiled output get the same verdicts.
//!
//! - Every example, compiled for either target, is audited: the audit finds
//!   the codes `idpc check` finds on the program (suppressed ones
//!   included: a template has no suppression comments), and nothing else.
//! - Generated valid programs (`tests/gen`) likewise.
//! - Every lint's UI case (`tests/ui/lints/`), compiled, is flagged by the
//!   audit with the same codes, in the same role.
//! - A whole `serverless.yml` with `${file(...)}` includes is audited file
//!   by file, each finding in the file it is about.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod r#gen;

use std::collections::BTreeMap;
use std::path::Path;

use idpc::audit::{audit, audit_text};
use idpc::diag::{Code, Diagnostic, Sources, render_plain};
use idpc::{Options, Target, compile};
use proptest::prelude::*;

/// The codes of some diagnostics, counted.
fn counted<'d>(diagnostics: impl IntoIterator<Item = &'d Diagnostic>) -> BTreeMap<Code, usize> {
    let mut counts = BTreeMap::new();
    for d in diagnostics {
        *counts.entry(d.code).or_insert(0) += 1;
    }
    counts
}

/// The program's verdicts (shown and suppressed) and its output for
/// `target`, if it compiles.
fn compiled(name: &str, text: &str, target: Target) -> (BTreeMap<Code, usize>, Option<String>) {
    let options = Options {
        target,
        ..Options::default()
    };
    let compiled = compile(name, text.as_bytes(), &options, &mut Sources::new());
    let verdicts = counted(
        compiled
            .diagnostics
            .iter()
            .chain(compiled.suppressed.iter().map(|s| &s.diagnostic))
            .filter(|d| d.code != Code::N0611),
    );
    let output = compiled
        .output
        .map(|output| with_stack(&output, &compiled.external));
    (verdicts, output)
}

/// The output with the resources the program leaves to the stack (`use`),
/// as the rest of the stack would define them: the audit of a real stack
/// sees them too.
fn with_stack(output: &str, external: &[(String, String)]) -> String {
    let stubs: String = external
        .iter()
        .filter(|(_, ty)| ty.contains("::"))
        // A role of the stack stays unseen, as the program has it (N0255):
        // a stub would be a role that trusts nobody.
        .filter(|(_, ty)| ty != "AWS::IAM::Role")
        .map(|(id, ty)| format!("  {id}:\n    Type: {ty}\n"))
        .collect();
    output.replacen("Resources:\n", &format!("Resources:\n{stubs}"), 1)
}

/// The audit's verdicts on a compiled output, rendered for messages.
fn audited(output: &str, target: Target) -> (BTreeMap<Code, usize>, String) {
    let options = Options {
        target,
        ..Options::default()
    };
    let mut sources = Sources::new();
    let audit = audit_text("compiled.yml", output, &options, &mut sources);
    // The stack's resources `with_stack` added are no part of a pool, and
    // said to be left aside; the program has no such note to compare.
    // N0611 (no provider, no guests) is said of every such pool in a
    // template, which always writes `AllowUnauthenticatedIdentities`, but of
    // a program only with an explicit `guests false`: most small programs
    // (UI cases, explanation pages) leave providers out, and the note there
    // would drown what they show. The one exception to the agreement.
    let judged: Vec<Diagnostic> = audit
        .diagnostics
        .into_iter()
        .filter(|d| !(d.code == Code::N0801 && d.message.contains("no part of an identity pool")))
        .filter(|d| d.code != Code::N0611)
        .collect();
    (counted(&judged), render_plain(&judged, &sources))
}

#[test]
fn compiled_examples_get_the_programs_verdicts() {
    let mut audited_outputs = 0;
    for entry in std::fs::read_dir("examples").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "idp") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for target in [Target::Serverless, Target::CloudFormation] {
            let (verdicts, output) = compiled(&path.display().to_string(), &text, target);
            // A program with Serverless variables has no CloudFormation output.
            let Some(output) = output else { continue };
            let (found, shown) = audited(&output, target);
            assert_eq!(
                found,
                verdicts,
                "{} ({target:?}): the audit of its output disagrees with the program's check:\n{shown}",
                path.display()
            );
            audited_outputs += 1;
        }
    }
    assert!(
        audited_outputs >= 6,
        "only {audited_outputs} outputs audited"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Generated programs are valid and careful; the audit of what they
    /// compile to says what the program's check says.
    #[test]
    fn compiled_generated_programs_get_the_programs_verdicts(program in r#gen::program()) {
        for target in [Target::Serverless, Target::CloudFormation] {
            let (verdicts, output) = compiled("generated.idp", &program.text, target);
            let Some(output) = output else { continue };
            let (found, shown) = audited(&output, target);
            prop_assert_eq!(
                found,
                verdicts,
                "{:?}: the audit disagrees:\n{}\n--- program ---\n{}",
                target,
                shown,
                program.text
            );
        }
    }
}

/// The codes a UI case's leading comments expect.
fn expected_codes(case: &str) -> Vec<Code> {
    case.lines()
        .take_while(|l| l.starts_with('#'))
        .filter_map(|l| l.strip_prefix("# expect:"))
        .filter_map(|rest| Code::parse(rest.split_whitespace().next()?))
        .collect()
}

#[test]
fn every_lint_case_compiled_is_flagged_by_the_audit() {
    let mut flagged = 0;
    let mut disagreements = Vec::new();
    for entry in std::fs::read_dir("tests/ui/lints").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "idp") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let expected = expected_codes(&text);
        if expected.is_empty() {
            continue;
        }
        let target = if text.contains("# target: cloudformation") {
            Target::CloudFormation
        } else {
            Target::Serverless
        };
        let (verdicts, output) = compiled(&path.display().to_string(), &text, target);
        let output = output.unwrap_or_else(|| panic!("{} has no output", path.display()));
        // The audit judges identity pools and what they hand out; a managed
        // policy no pool's role attaches is outside it.
        if !output.contains("AWS::Cognito::IdentityPool") {
            continue;
        }
        let (found, shown) = audited(&output, target);
        if found != verdicts {
            disagreements.push(format!(
                "{}: the program's check says {verdicts:?}, the audit of its output {found:?}:\n{shown}",
                path.display()
            ));
        }
        flagged += 1;
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
    assert!(flagged >= 10, "only {flagged} lint cases audited");
}

#[test]
fn a_serverless_yml_is_audited_with_its_includes() {
    let dir = Path::new("tests/fixtures/audit/service");
    let mut sources = Sources::new();
    let audit = audit(
        &dir.join("serverless.yml"),
        &Options::default(),
        &mut sources,
    );
    let shown = render_plain(&audit.diagnostics, &sources);
    let at: Vec<(Code, String)> = audit
        .diagnostics
        .iter()
        .map(|d| {
            let file = d.primary().map(|l| sources.name(l.span.file).to_owned());
            (d.code, file.unwrap_or_default())
        })
        .collect();
    // The guest role is defined in the other file (a role of the stack to
    // the pool's file, N0255; its permissions are not checked, N0801), and
    // its trust admits
    // signed-in users only; the pool's signed-in role grants
    // `cognito-sync:*`; the policy variable is written plainly in the
    // included file.
    let pool_file = "tests/fixtures/audit/service/resources/identity-pool.yml";
    let roles_file = "tests/fixtures/audit/service/resources/roles.yml";
    assert_eq!(
        at,
        vec![
            (Code::N0255, pool_file.to_owned()),
            (Code::W0601, pool_file.to_owned()),
            (Code::E0812, pool_file.to_owned()),
            (Code::N0801, roles_file.to_owned()),
            (Code::W0804, roles_file.to_owned()),
        ],
        "{shown}"
    );
    assert_eq!(audit.inputs.len(), 3, "{:?}", audit.inputs);
}

/// `idpc check` on a template: exit codes, `--deny-warnings`, the levels of
/// the `idpc.toml` beside it, and JSON diagnostics pointing into the YAML.
#[test]
fn the_command_line_audits_templates() {
    let dir = tempfile::tempdir().unwrap();
    let stack = dir.path().join("stack.yaml");
    std::fs::copy(
        "tests/fixtures/audit/service/resources/identity-pool.yml",
        &stack,
    )
    .unwrap();
    let idpc = |args: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_idpc"))
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap();
        (
            output.status.code().unwrap(),
            String::from_utf8(output.stderr).unwrap(),
        )
    };
    // E0812 (a plain policy variable) is no error outside a Serverless
    // service; W0601 and the N0801 note remain.
    let (code, stderr) = idpc(&["--color", "never", "check", "stack.yaml"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("warning[W0601]"), "{stderr}");
    let (code, stderr) = idpc(&["--deny-warnings", "check", "stack.yaml"]);
    assert_eq!(code, 1, "{stderr}");
    std::fs::write(dir.path().join("idpc.toml"), "[lints]\nW0601 = \"allow\"\n").unwrap();
    let (code, stderr) = idpc(&["--deny-warnings", "check", "stack.yaml"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("W0601"), "{stderr}");
    std::fs::write(dir.path().join("idpc.toml"), "[lints]\nW0601 = \"deny\"\n").unwrap();
    let (code, stderr) = idpc(&["--error-format", "json", "check", "stack.yaml"]);
    assert_eq!(code, 1, "{stderr}");
    let denied = stderr
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|d| d["code"] == "W0601")
        .expect("W0601 in the JSON diagnostics");
    assert_eq!(denied["severity"], "error");
    assert_eq!(denied["file"], "stack.yaml");
    assert_eq!(denied["line"], 36);
    // Not a template at all: a clear error, exit 1, no panic.
    std::fs::write(dir.path().join("broken.yml"), "Resources: [\n").unwrap();
    let (code, stderr) = idpc(&["--color", "never", "check", "broken.yml"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.starts_with("error[E0302]"), "{stderr}");
}
