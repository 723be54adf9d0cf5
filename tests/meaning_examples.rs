//! Meaning tests of the examples: `idpc build examples/<name>.idp` must print
//! YAML that means what a hand-written fragment
//! (tests/fixtures/meaning/<name>.yml) means. The fixtures were written from
//! the CloudFormation and Cognito documentation, not from idpc's output; see
//! tests/support/meaning.rs for which differences of form are allowed.

mod support;

use assert_cmd::Command;
use support::meaning::{assert_same_meaning, load_yaml};

/// Builds an example with the release settings CI uses (`--deny-warnings`:
/// an example must compile without a single diagnostic) and compares it
/// with its fixture.
fn assert_example_means(example: &str, fixture: &str) -> Result<(), Box<dyn std::error::Error>> {
    let program = format!("examples/{example}.idp");
    let output = Command::cargo_bin("idpc")?
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["build", "--deny-warnings", &program])
        .output()?;
    assert!(
        output.status.success(),
        "idpc build {program} failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.stderr.is_empty(),
        "idpc build {program} printed diagnostics:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let actual = load_yaml(&String::from_utf8(output.stdout)?);
    assert_same_meaning(&load_yaml(fixture), &actual);
    Ok(())
}

#[test]
fn social_login_example_means_the_hand_written_fragment() -> Result<(), Box<dyn std::error::Error>>
{
    assert_example_means(
        "social-login",
        include_str!("fixtures/meaning/social-login.yml"),
    )
}

#[test]
fn guest_access_example_means_the_hand_written_fragment() -> Result<(), Box<dyn std::error::Error>>
{
    assert_example_means(
        "guest-access",
        include_str!("fixtures/meaning/guest-access.yml"),
    )
}

#[test]
fn group_roles_example_means_the_hand_written_fragment() -> Result<(), Box<dyn std::error::Error>> {
    assert_example_means(
        "group-roles",
        include_str!("fixtures/meaning/group-roles.yml"),
    )
}

#[test]
fn principal_tags_example_means_the_hand_written_fragment() -> Result<(), Box<dyn std::error::Error>>
{
    assert_example_means(
        "principal-tags",
        include_str!("fixtures/meaning/principal-tags.yml"),
    )
}
