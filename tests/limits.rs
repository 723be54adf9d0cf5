//! E0213 counts a role's inline policy as IAM counts it: on the document
//! idpc writes, without white space. With literal ARNs and the
//! `cloudformation` target nothing is left for CloudFormation to fill in,
//! so the count must be exact: the largest policy that builds is at most
//! 10,240 characters, and one statement more is reported with its size.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use idpc::diag::{Code, Sources};
use idpc::{Format, Options, Target, compile};

/// A role with `n` statements of the same length, one of them holding a
/// condition with spaces (which IAM does not count).
fn program(n: usize) -> String {
    let mut text = String::from("identity_pool NotesPool {\n  authenticated role {\n");
    for i in 0..n {
        text.push_str(&format!(
            "    allow s3:GetObject on \"arn:aws:s3:::notes/team {i:04}/*\" when aws:UserAgent == \"a b\"\n"
        ));
    }
    text.push_str("  }\n}\n");
    text
}

fn build(n: usize) -> idpc::Compiled {
    let options = Options {
        target: Target::CloudFormation,
        format: Format::Json,
        ..Options::default()
    };
    compile(
        "limits.idp",
        program(n).as_bytes(),
        &options,
        &mut Sources::new(),
    )
}

/// The policy document as IAM receives it, white space left out.
fn policy_size(output: &str) -> usize {
    let template: serde_json::Value = serde_json::from_str(output).unwrap();
    let document =
        &template["Resources"]["NotesPoolAuthRole"]["Properties"]["Policies"][0]["PolicyDocument"];
    serde_json::to_string(document)
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .count()
}

#[test]
fn the_largest_policy_that_builds_is_within_the_limit_and_one_more_statement_is_not() {
    let one = policy_size(&build(1).output.unwrap());
    let two = policy_size(&build(2).output.unwrap());
    let statement = two - one; // one statement and its comma
    let fitting = (10_240 - one) / statement + 1;
    let largest = build(fitting);
    assert!(
        largest.diagnostics.iter().all(|d| d.code != Code::E0213),
        "{:?}",
        largest.diagnostics
    );
    let size = policy_size(&largest.output.unwrap());
    assert!(size <= 10_240 && size + statement > 10_240, "{size}");
    let over = build(fitting + 1);
    assert!(over.output.is_none());
    let error = over
        .diagnostics
        .iter()
        .find(|d| d.code == Code::E0213)
        .expect("E0213");
    let expected = size + statement;
    let expected = format!("{},{:03}", expected / 1000, expected % 1000);
    assert!(
        error
            .message
            .contains(&format!("at least {expected} characters")),
        "{}",
        error.message
    );
}
