#![allow(clippy::panic)]

//! Snapshots of what the examples added for issue 3 compile to (the default
//! target, `serverless`, as YAML). A change in the output shows up as a
//! snapshot diff to review with `cargo insta review`; what the output means
//! is tested separately, in tests/meaning_examples.rs.

use idpc::diag::{Sources, render_plain};
use idpc::{Options, compile};

/// Compiles `examples/<name>.idp`; fails on any diagnostic, warnings
/// included, as CI's `--deny-warnings` does.
fn compiled(name: &str) -> String {
    let path = format!("{}/examples/{name}.idp", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    let mut sources = Sources::new();
    let compiled = compile(
        &format!("examples/{name}.idp"),
        &bytes,
        &Options::default(),
        &mut sources,
    );
    assert!(
        compiled.diagnostics.is_empty(),
        "examples/{name}.idp has diagnostics:\n{}",
        render_plain(&compiled.diagnostics, &sources)
    );
    compiled
        .output
        .unwrap_or_else(|| panic!("examples/{name}.idp produced no output"))
}

#[test]
fn social_login() {
    insta::assert_snapshot!("social-login", compiled("social-login"));
}

#[test]
fn guest_access() {
    insta::assert_snapshot!("guest-access", compiled("guest-access"));
}

#[test]
fn group_roles() {
    insta::assert_snapshot!("group-roles", compiled("group-roles"));
}

#[test]
fn principal_tags() {
    insta::assert_snapshot!("principal-tags", compiled("principal-tags"));
}
