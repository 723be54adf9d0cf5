//! The meaning test proper: `idpc build examples/notes.idp` must print YAML
//! that means the same as the seed fixture (see tests/support/meaning.rs for
//! which differences of form are allowed).

mod support;

use assert_cmd::Command;
use support::meaning::{assert_same_meaning, load_yaml};

const SEED: &str = include_str!("fixtures/seed/cognito-identity-pool.yml");

#[test]
fn notes_example_compiles_to_the_seed_meaning() -> Result<(), Box<dyn std::error::Error>> {
    let output = Command::cargo_bin("idpc")?
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["build", "examples/notes.idp"])
        .output()?;
    assert!(
        output.status.success(),
        "idpc build examples/notes.idp failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let actual = load_yaml(&String::from_utf8(output.stdout)?);
    assert_same_meaning(&load_yaml(SEED), &actual);
    Ok(())
}
