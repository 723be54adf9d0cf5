//! The generated programs the benchmarks measure (`bench/programs.rs`):
//! valid, free of errors and warnings (notes, which explain rather than
//! warn, may appear), deterministic for a seed, and of the promised shape
//! (N pools, each with a role and a role mapping), so the numbers in
//! BENCHMARKS.md are for programs that compile all the way through.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod r#gen;
#[path = "../bench/programs.rs"]
mod programs;

use idpc::diag::{Sources, render_plain};
use idpc::{Options, compile};

#[test]
fn generated_programs_compile_without_errors_or_warnings() {
    for pools in [1, 10, 100, 1_000] {
        let text = programs::program(pools, programs::SEED);
        let mut sources = Sources::new();
        let compiled = compile(
            "bench.idp",
            text.as_bytes(),
            &Options::default(),
            &mut sources,
        );
        let problems: Vec<_> = compiled
            .diagnostics
            .iter()
            .filter(|d| d.severity() != idpc::diag::Severity::Note)
            .cloned()
            .collect();
        assert!(
            problems.is_empty(),
            "{pools} pools:\n{}",
            render_plain(&problems, &sources)
        );
        let output = compiled.output.unwrap();
        assert_eq!(
            output.matches("Type: AWS::Cognito::IdentityPool\n").count(),
            pools,
            "{pools} pools: one AWS::Cognito::IdentityPool each"
        );
    }
}

#[test]
fn every_pool_has_a_role_and_a_role_mapping() {
    let text = programs::program(100, programs::SEED);
    let pools: Vec<&str> = text.split("identity_pool ").skip(1).collect();
    assert_eq!(pools.len(), 100);
    for pool in pools {
        let body = &pool[..pool.find("\n}\n").unwrap()];
        assert!(body.contains("  authenticated role "), "{body}");
        assert!(body.contains("  map "), "{body}");
    }
    assert!(text.contains(" when "), "conditions");
    assert!(text.contains("\nrole Shared"), "shared roles");
    assert!(text.contains("by rules {"), "rules mappings");
}

#[test]
fn the_same_seed_gives_the_same_program() {
    let a = programs::program(50, 7);
    assert_eq!(a, programs::program(50, 7));
    assert_ne!(a, programs::program(50, 8));
}

#[test]
fn sizes_grow_about_linearly() {
    // Doubling the pools about doubles the text, so time per byte compares
    // across sizes.
    let small = programs::program(500, programs::SEED).len() as f64;
    let large = programs::program(1_000, programs::SEED).len() as f64;
    let ratio = large / small;
    assert!((1.8..2.2).contains(&ratio), "{ratio}");
}
