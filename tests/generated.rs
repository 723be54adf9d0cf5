//! Properties of generated valid programs (`tests/gen`): each compiles with
//! no diagnostic beyond the least-privilege lints (W06xx, N06xx: the
//! generator draws broad grants such as `cognito-identity:* on *` on
//! purpose, to cover what the compiler accepts), its output is deterministic and the same in YAML
//! and JSON, every trust policy has its `aud` and `amr` conditions, no
//! policy variable is exposed to Serverless, and every policy `Version` is a
//! quoted string.
//!
//! `PROPTEST_CASES=5000 cargo test --test generated` runs more cases. The CI
//! sample (`.ci/check-generated`) is written by the ignored `write_sample`:
//!
//! ```sh
//! IDPC_SAMPLE_DIR=target/generated IDPC_SAMPLE_SEED=1 IDPC_SAMPLE_COUNT=200 \
//!   cargo test --test generated -- --ignored write_sample
//! ```

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod r#gen;

use idpc::diag::{Sources, render_plain};
use idpc::{Format, Options, Target, compile};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::Value;

fn build(program: &r#gen::Program, target: Target, format: Format) -> String {
    let options = Options {
        target,
        format,
        base_dir: None,
        ..Options::default()
    };
    let mut sources = Sources::new();
    let compiled = compile(
        "generated.idp",
        program.text.as_bytes(),
        &options,
        &mut sources,
    );
    let problems: Vec<_> = compiled
        .diagnostics
        .iter()
        .filter(|d| !is_lint(d.code))
        .cloned()
        .collect();
    assert!(
        problems.is_empty(),
        "diagnostics for a generated program:\n{}\n--- program ---\n{}",
        render_plain(&problems, &sources),
        program.text
    );
    compiled.output.expect("no diagnostics, so an output")
}

/// The least-privilege lints: about wisdom, not validity; and N0255, the
/// note on each role of the stack a pool attaches (`use role`, an ARN),
/// which generated programs attach on purpose.
fn is_lint(code: idpc::diag::Code) -> bool {
    code.as_str()[1..].starts_with("06") || code == idpc::diag::Code::N0255
}

/// Every string in a JSON value, keys included.
fn strings(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        Value::Object(map) => {
            for (k, v) in map {
                out.push(k.clone());
                strings(v, out);
            }
        }
        _ => {}
    }
}

/// The Serverless variable at the start of `rest` (just after a `${`), if
/// `rest` reads as one: `[a-z][A-Za-z0-9.-]*` then `:` (not `::`) or `(`.
fn serverless_source(rest: &str) -> Option<&str> {
    let mut chars = rest.char_indices();
    let (_, first) = chars.next()?;
    if !first.is_ascii_lowercase() {
        return None;
    }
    for (i, c) in chars {
        if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
            continue;
        }
        let after = &rest[i..];
        let is_var = after.starts_with('(') || (after.starts_with(':') && !after.starts_with("::"));
        return is_var.then(|| &rest[..i]);
    }
    None
}

fn check_output(program: &r#gen::Program) {
    let yaml = build(program, Target::Serverless, Format::Yaml);
    let again = build(program, Target::Serverless, Format::Yaml);
    assert_eq!(yaml, again, "two compiles differ");
    let json = build(program, Target::Serverless, Format::Json);
    let from_yaml: Value = serde_saphyr::from_str(&yaml).expect("the YAML output parses");
    let from_json: Value = serde_json::from_str(&json).expect("the JSON output parses");
    assert_eq!(from_yaml, from_json, "YAML and JSON outputs differ");

    // Trust policies.
    let resources = from_json["Resources"].as_object().expect("Resources");
    for (id, resource) in resources {
        if resource["Type"] != "AWS::IAM::Role" {
            continue;
        }
        let statements = resource["Properties"]["AssumeRolePolicyDocument"]["Statement"]
            .as_array()
            .expect("a trust policy");
        assert!(!statements.is_empty(), "{id}: empty trust policy");
        for statement in statements {
            let condition = &statement["Condition"];
            assert!(
                !condition["StringEquals"]["cognito-identity.amazonaws.com:aud"].is_null(),
                "{id}: trust statement without the aud condition: {statement}"
            );
            assert!(
                !condition["ForAnyValue:StringLike"]["cognito-identity.amazonaws.com:amr"]
                    .is_null(),
                "{id}: trust statement without the amr condition: {statement}"
            );
        }
    }

    // No policy variable (or anything else) reads as a Serverless variable,
    // except the program's own `${self:...}`.
    let mut all = Vec::new();
    strings(&from_json, &mut all);
    for s in &all {
        for (at, _) in s.match_indices("${") {
            if let Some(source) = serverless_source(&s[at + 2..]) {
                assert!(
                    source == "self" && program.serverless_vars,
                    "`{s}` holds a Serverless variable `${{{source}:...`"
                );
            }
        }
    }

    // Every policy Version is the string 2012-10-17, quoted in the YAML so a
    // YAML 1.1 reader (js-yaml in Serverless) can't take it for a date.
    let versions: Vec<&str> = yaml
        .lines()
        .filter(|line| line.trim_start().starts_with("Version:"))
        .collect();
    let has_roles = resources.values().any(|r| r["Type"] == "AWS::IAM::Role");
    assert!(
        !has_roles || !versions.is_empty(),
        "roles but no policy Version"
    );
    for line in versions {
        let value = line.trim_start().trim_start_matches("Version:").trim();
        assert!(
            value == "'2012-10-17'" || value == "\"2012-10-17\"",
            "unquoted policy Version: {line}"
        );
    }
    let mut version_values = Vec::new();
    find_key(&from_json, "Version", &mut version_values);
    for v in version_values {
        assert_eq!(v, &Value::String("2012-10-17".into()));
    }

    if !program.serverless_vars {
        build(program, Target::CloudFormation, Format::Yaml);
    }
}

fn find_key<'a>(value: &'a Value, key: &str, out: &mut Vec<&'a Value>) {
    match value {
        Value::Array(items) => items.iter().for_each(|v| find_key(v, key, out)),
        Value::Object(map) => {
            for (k, v) in map {
                if k == key {
                    out.push(v);
                }
                find_key(v, key, out);
            }
        }
        _ => {}
    }
}

proptest! {
    // Moderate by default so `cargo test` stays fast; PROPTEST_CASES raises it.
    #![proptest_config(Config {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(64),
        failure_persistence: None,
        ..Config::default()
    })]

    #[test]
    fn generated_programs_compile_cleanly_and_safely(program in r#gen::program()) {
        check_output(&program);
    }
}

#[test]
fn the_variable_finder_finds_variables() {
    assert_eq!(serverless_source("self:custom.stage}"), Some("self"));
    assert_eq!(serverless_source("file(x.yml)}"), Some("file"));
    assert_eq!(
        serverless_source("cognito-identity.amazonaws.com:sub}"),
        Some("cognito-identity.amazonaws.com")
    );
    assert_eq!(serverless_source("AWS::Partition}"), None);
    assert_eq!(serverless_source("aws::x"), None);
    assert_eq!(serverless_source("Foo:bar"), None);
}

/// The same programs for every run with the same seed.
pub fn sample(seed: u64, count: usize) -> Vec<r#gen::Program> {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &bytes);
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    let strategy = r#gen::program();
    (0..count)
        .map(|_| strategy.new_tree(&mut runner).expect("a program").current())
        .collect()
}

/// Writes `IDPC_SAMPLE_COUNT` (200) programs of seed `IDPC_SAMPLE_SEED` (1)
/// to `IDPC_SAMPLE_DIR` as `gen-NNN.idp`, for `.ci/check-generated`.
#[test]
#[ignore = "writes the CI sample; run by .ci/check-generated"]
fn write_sample() {
    let dir = std::env::var("IDPC_SAMPLE_DIR").expect("IDPC_SAMPLE_DIR");
    let env = |name: &str, default: u64| {
        std::env::var(name)
            .ok()
            .map(|v| {
                v.parse()
                    .unwrap_or_else(|_| panic!("{name} is not a number"))
            })
            .unwrap_or(default)
    };
    let seed = env("IDPC_SAMPLE_SEED", 1);
    let count = env("IDPC_SAMPLE_COUNT", 200) as usize;
    std::fs::create_dir_all(&dir).unwrap();
    for (n, program) in sample(seed, count).iter().enumerate() {
        let path = std::path::Path::new(&dir).join(format!("gen-{n:03}.idp"));
        std::fs::write(path, &program.text).unwrap();
    }
    println!("wrote {count} programs (seed {seed}) to {dir}");
}

#[test]
fn the_sample_is_deterministic_and_valid() {
    let first = sample(1, 20);
    let second = sample(1, 20);
    for (a, b) in first.iter().zip(&second) {
        assert_eq!(a.text, b.text);
        check_output(a);
    }
}
