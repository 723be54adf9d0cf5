//! Real stacks: templates written the way teams who never heard of idpc
//! write them (each construct seen in public identity-pool templates, the
//! survey in BENCHMARKS.md, rewritten as a fixture of our own under
//! `tests/fixtures/real_stacks/`).
//!
//! For each fixture:
//! - `idpc import` writes a program (warnings allowed: the resources it
//!   leaves to the rest of the stack), in `idpc fmt`'s layout;
//! - building that program means what the template means for every
//!   resource and output the program defines (the meaning engine of
//!   `tests/support/meaning.rs`: intrinsics resolved, policies normalized,
//!   resource attributes compared), and the program defines every identity
//!   pool, attachment, role and policy of the template;
//! - importing the built template gives the same program again.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use idpc::diag::{Severity, Sources, render_plain};
use idpc::importer::{self, import};
use idpc::{Format, Options, Target, compile};
use serde_json::{Map, Value};
use std::path::Path;
use support::meaning::{assert_same_meaning, load_yaml};

/// The types a program defines; every resource of these types in a
/// fixture must come back from `build(import(t))`.
const DEFINED_TYPES: [&str; 6] = [
    "AWS::Cognito::IdentityPool",
    "AWS::Cognito::IdentityPoolRoleAttachment",
    "AWS::Cognito::IdentityPoolPrincipalTag",
    "AWS::IAM::Role",
    "AWS::IAM::ManagedPolicy",
    "AWS::IAM::Policy",
];

fn import_program(name: &str, text: &str) -> String {
    let mut sources = Sources::new();
    let options = importer::Options {
        pool: None,
        json: name.ends_with(".json"),
    };
    let imported = import(name, text, &options, &mut sources);
    let program = imported.program.unwrap_or_else(|| {
        panic!(
            "{name} does not import:\n{}",
            render_plain(&imported.diagnostics, &sources)
        )
    });
    let formatted = idpc::formatter::format(&program, 0).unwrap();
    assert_eq!(formatted, program, "{name}: not in `idpc fmt`'s layout");
    program
}

fn build(name: &str, program: &str, target: Target) -> String {
    let mut sources = Sources::new();
    let options = Options {
        target,
        format: Format::Yaml,
        ..Options::default()
    };
    let compiled = compile(name, program.as_bytes(), &options, &mut sources);
    assert!(
        !compiled
            .diagnostics
            .iter()
            .any(|d| d.severity() == Severity::Error),
        "building the program imported from {name} failed:\n{}\n{program}",
        render_plain(&compiled.diagnostics, &sources)
    );
    compiled.output.expect("output when there are no errors")
}

/// The template's `Resources` and `Outputs` (under `resources:` in a
/// `serverless.yml`).
fn fragment(template: &Value) -> &Map<String, Value> {
    let template = template.get("resources").unwrap_or(template);
    template.as_object().unwrap()
}

/// The part of `template` that `built` defines: its resources and outputs
/// of the same logical IDs.
fn restricted(template: &Value, built: &Value) -> Value {
    let mut out = Map::new();
    for section in ["Resources", "Outputs"] {
        let keep = fragment(built).get(section).and_then(Value::as_object);
        let mut kept = Map::new();
        if let (Some(all), Some(keep)) = (
            fragment(template).get(section).and_then(Value::as_object),
            keep,
        ) {
            for (id, value) in all {
                if keep.contains_key(id) {
                    kept.insert(id.clone(), value.clone());
                }
            }
        }
        out.insert(section.to_owned(), Value::Object(kept));
    }
    Value::Object(out)
}

fn check_fixture(path: &Path) {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let text = std::fs::read_to_string(path).unwrap();
    let template = load_yaml(&text);
    let program = import_program(&name, &text);
    let target = if program.contains("${") {
        Target::Serverless
    } else {
        Target::CloudFormation
    };
    let built_text = build(&name, &program, target);
    let built = load_yaml(&built_text);
    let resources = fragment(&built)["Resources"].as_object().unwrap();
    for (id, resource) in fragment(&template)["Resources"].as_object().unwrap() {
        let kind = resource["Type"].as_str().unwrap_or_default();
        assert!(
            !DEFINED_TYPES.contains(&kind) || resources.contains_key(id),
            "{name}: the program does not define {id} ({kind}):\n{program}"
        );
    }
    let mut built_fragment = Map::new();
    for section in ["Resources", "Outputs"] {
        let value = fragment(&built).get(section).cloned();
        built_fragment.insert(
            section.to_owned(),
            value.unwrap_or_else(|| Value::Object(Map::new())),
        );
    }
    assert_same_meaning(
        &restricted(&template, &built),
        &Value::Object(built_fragment),
    );
    let again = import_program("built.yml", &built_text);
    assert_eq!(
        without_header(&again),
        without_header(&program),
        "{name}: the built template imports to another program"
    );
}

/// A program without its comments (the header names the file it came
/// from; a statement's `Sid` is kept as a comment, which the built template
/// no longer has).
fn without_header(program: &str) -> String {
    program
        .lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .map(|line| format!("{line}\n"))
        .collect()
}

#[test]
fn every_real_stack_fixture_imports_with_its_meaning() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/real_stacks");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        check_fixture(&entry.unwrap().path());
        count += 1;
    }
    assert!(count >= 5, "expected the real-stack fixtures in {dir:?}");
}
