//! `import(build(x))` builds to what `x` builds to, for generated valid
//! programs across the whole grammar (`tests/gen`), for the Serverless
//! target and, when the program has no Serverless variable, CloudFormation.
//!
//! `PROPTEST_CASES=2000 cargo test --test import_generated` runs more cases.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod r#gen;

use idpc::diag::{Severity, Sources, render_plain};
use idpc::importer::{self, import};
use idpc::{Options, Target, compile};
use proptest::prelude::*;
use proptest::test_runner::Config;

fn build(text: &str, target: Target) -> String {
    let options = Options {
        target,
        ..Options::default()
    };
    let mut sources = Sources::new();
    let compiled = compile("program.idp", text.as_bytes(), &options, &mut sources);
    assert!(
        !compiled
            .diagnostics
            .iter()
            .any(|d| d.severity() == Severity::Error),
        "{}\n--- program ---\n{text}",
        render_plain(&compiled.diagnostics, &sources)
    );
    compiled.output.expect("no errors, so an output")
}

fn round_trip(text: &str, target: Target) {
    let built = build(text, target);
    let mut sources = Sources::new();
    let imported = import(
        "built.yml",
        &built,
        &importer::Options::default(),
        &mut sources,
    );
    // N0765: a role of the stack the program attaches (`use role`, an
    // ARN), which the built template does not define either.
    let unexpected: Vec<_> = imported
        .diagnostics
        .iter()
        .filter(|d| d.code != idpc::diag::Code::N0765)
        .cloned()
        .collect();
    assert!(
        unexpected.is_empty(),
        "importing the output reported:\n{}\n--- program ---\n{text}\n--- output ---\n{built}",
        render_plain(&unexpected, &sources)
    );
    let program = imported.program.expect("no errors, so a program");
    // In `idpc fmt`'s layout: formatting it changes nothing.
    assert_eq!(
        idpc::formatter::format(&program, 0).ok().as_deref(),
        Some(program.as_str()),
        "the imported program is not in `idpc fmt`'s layout\n--- program ---\n{text}"
    );
    let rebuilt = build(&program, target);
    let body = |output: &str| output.split_once('\n').map(|(_, rest)| rest.to_owned());
    assert_eq!(
        body(&built),
        body(&rebuilt),
        "the imported program builds to something else\n--- program ---\n{text}\n--- imported ---\n{program}"
    );
}

proptest! {
    #![proptest_config(Config {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(64),
        failure_persistence: None,
        ..Config::default()
    })]

    #[test]
    fn generated_programs_survive_build_import_build(program in r#gen::program()) {
        round_trip(&program.text, Target::Serverless);
        if !program.serverless_vars {
            round_trip(&program.text, Target::CloudFormation);
        }
    }
}
