//! The facts about AWS that idpc encodes, pinned to what the cited pages
//! say (each test names its page; `idpc explain CODE` cites the same one).
//! A change here is a change of premise: check the page first.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use idpc::diag::{Code, Sources};
use idpc::{Options, compile};

fn codes_of(program: &str) -> Vec<Code> {
    compile(
        "facts.idp",
        program.as_bytes(),
        &Options::default(),
        &mut Sources::new(),
    )
    .diagnostics
    .iter()
    .map(|d| d.code)
    .collect()
}

fn pool_named(name: &str) -> String {
    format!(
        "identity_pool NotesPool {{\n  name \"{name}\"\n  authenticated role {{\n    allow cognito-sync:ListDatasets on *\n  }}\n}}\n"
    )
}

fn pool_with_developer(name: &str) -> String {
    format!(
        "identity_pool NotesPool {{\n  provider developer \"{name}\"\n  authenticated role {{\n    allow cognito-sync:ListDatasets on *\n  }}\n}}\n"
    )
}

/// "CreateIdentityPool" (Amazon Cognito Federated Identities API
/// Reference): `IdentityPoolName` is 1 to 128 characters of
/// `[\w\s+=,.@-]`.
#[test]
fn identity_pool_names_are_1_to_128_characters() {
    assert!(!codes_of(&pool_named(&"a".repeat(128))).contains(&Code::E0203));
    assert!(codes_of(&pool_named(&"a".repeat(129))).contains(&Code::E0203));
    assert!(!codes_of(&pool_named("Notes pool_+=,.@-1")).contains(&Code::E0203));
    assert!(codes_of(&pool_named("notes:prod")).contains(&Code::E0203));
}

/// "CreateIdentityPool": `DeveloperProviderName` is 1 to 128 characters of
/// `[\w._-]` (idpc used to stop at 100, rejecting valid names).
#[test]
fn developer_provider_names_are_1_to_128_characters() {
    assert!(!codes_of(&pool_with_developer(&"a".repeat(128))).contains(&Code::E0203));
    assert!(codes_of(&pool_with_developer(&"a".repeat(129))).contains(&Code::E0203));
    assert!(!codes_of(&pool_with_developer("login.example_app-1")).contains(&Code::E0203));
    assert!(codes_of(&pool_with_developer("login/example")).contains(&Code::E0203));
}
