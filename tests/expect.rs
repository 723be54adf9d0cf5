//! `expect` items after the checker: what `Checked::expectations()` holds
//! for the prover, and that they lower to nothing (the output of a program
//! is the same with and without them). Their syntax is `tests/grammar.rs`'s,
//! their layout `tests/fmt.rs`'s, their mistakes `tests/ui/expect/`'s.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use idpc::check::ir::{ExpectKind, Expectation, ResourceDef, Value, Who};
use idpc::check::{Checked, check};
use idpc::diag::Sources;
use idpc::vocabulary::MatchOp;
use idpc::{Options, Target, compile, syntax};

const PROGRAM: &str = r#"use bucket Media
use user_pool UserPool
use user_pool_client UserPoolClient

role AdminRole {
  allow s3:GetObject on Media/shared/*
}

identity_pool NotesPool {
  provider user_pool UserPool client UserPoolClient
  authenticated role {
    allow s3:GetObject, s3:PutObject on Media/private/$<sub>/*
  }
  unauthenticated role {
    allow s3:GetObject on Media/public/*
  }
  map UserPool by rules {
    "cognito:groups" contains "admins" => AdminRole
    otherwise deny
  }
}
"#;

const EXPECTATIONS: &str = r#"
expect isolated Media/private/$<sub>/*
expect guests of NotesPool cannot write Media/*
expect signed_in cannot iam:*, sts:AssumeRole on *
expect AdminRole only via cognito:groups contains "admins" or "custom:team" == "ops"
"#;

fn checked(source: &str) -> Checked {
    let parsed = syntax::parse(source, 0).unwrap();
    let report = check(&parsed, Target::Serverless, &[]);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    report.checked.unwrap()
}

fn text(source: &str, span: idpc::source::Span) -> &str {
    &source[span.start..span.end]
}

fn media(path: &str) -> ResourceDef {
    ResourceDef::Of {
        logical_id: "Media".into(),
        kind: idpc::syntax::ast::Kind::Bucket,
        path: Some(Value::literal(path)),
    }
}

#[test]
fn each_expectation_is_checked_in_source_order_with_its_spans() {
    let source = format!("{PROGRAM}{EXPECTATIONS}");
    let checked = checked(&source);
    let expectations: &[Expectation] = checked.expectations();
    assert_eq!(expectations.len(), 4);
    let lines: Vec<&str> = EXPECTATIONS.lines().filter(|l| !l.is_empty()).collect();
    for (expectation, line) in expectations.iter().zip(&lines) {
        assert_eq!(text(&source, expectation.span), *line);
    }
    // In `idpc fmt`'s words: `on` written.
    let texts: Vec<&str> = expectations.iter().map(|e| e.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            lines[0],
            "expect guests of NotesPool cannot write on Media/*",
            lines[2],
            "expect AdminRole only via cognito:groups contains \"admins\" or custom:team == \"ops\"",
        ]
    );
    let heads: Vec<&str> = expectations
        .iter()
        .map(|e| text(&source, e.line_span))
        .collect();
    assert_eq!(
        heads,
        [
            "expect isolated",
            "expect guests of NotesPool cannot",
            "expect signed_in cannot",
            "expect AdminRole only via",
        ]
    );

    let ExpectKind::Isolated { resources } = &expectations[0].kind else {
        panic!("{:?}", expectations[0])
    };
    let ResourceDef::Of {
        path: Some(path), ..
    } = &resources[0]
    else {
        panic!("{resources:?}")
    };
    assert!(path.pieces.contains(&idpc::check::ir::Piece::PolicyVar(
        "cognito-identity.amazonaws.com:sub".into()
    )));
    assert_eq!(
        text(&source, expectations[0].part_spans[0]),
        "Media/private/$<sub>/*"
    );

    // An access level expands to the actions of that level on the
    // resource, as a statement's does.
    let ExpectKind::Cannot {
        who,
        pool,
        actions,
        resources,
    } = &expectations[1].kind
    else {
        panic!("{:?}", expectations[1])
    };
    assert_eq!((who, pool.as_deref()), (&Who::Guests, Some("NotesPool")));
    assert!(actions.contains(&"s3:PutObject".to_string()), "{actions:?}");
    assert!(
        !actions.contains(&"s3:GetObject".to_string()),
        "{actions:?}"
    );
    assert_eq!(resources, &[media("*")]);
    assert_eq!(expectations[1].action_origins[0].written, "write");

    let ExpectKind::Cannot {
        who,
        actions,
        resources,
        ..
    } = &expectations[2].kind
    else {
        panic!("{:?}", expectations[2])
    };
    assert_eq!(who, &Who::SignedIn);
    assert_eq!(actions, &["iam:*", "sts:AssumeRole"]);
    assert_eq!(resources, &[ResourceDef::Any]);

    let ExpectKind::OnlyVia { role, alternatives } = &expectations[3].kind else {
        panic!("{:?}", expectations[3])
    };
    assert_eq!(role, "AdminRole");
    assert_eq!(
        alternatives,
        &[
            (
                "cognito:groups".to_string(),
                MatchOp::Contains,
                Value::literal("admins")
            ),
            (
                "custom:team".to_string(),
                MatchOp::Equals,
                Value::literal("ops")
            ),
        ]
    );
}

#[test]
fn a_role_of_the_program_is_who_by_its_logical_id() {
    let source = format!("{PROGRAM}expect AdminRole cannot write on Media/*\n");
    let checked = checked(&source);
    let ExpectKind::Cannot { who, .. } = &checked.expectations()[0].kind else {
        panic!()
    };
    assert_eq!(who, &Who::Role("AdminRole".into()));
}

/// Expectations emit nothing: the output is byte for byte the one of the
/// program without them, in both targets and formats. (They hold, so the
/// prover says nothing; tests/prove.rs has the ones that do not.)
#[test]
fn expectations_lower_to_nothing() {
    let with = format!("{PROGRAM}{EXPECTATIONS}");
    for target in [Target::Serverless, Target::CloudFormation] {
        for format in [idpc::Format::Yaml, idpc::Format::Json] {
            let options = Options {
                target,
                format,
                ..Options::default()
            };
            let output = |source: &str| {
                let compiled = compile("p.idp", source.as_bytes(), &options, &mut Sources::new());
                assert!(
                    compiled.diagnostics.is_empty(),
                    "{:?}",
                    compiled.diagnostics
                );
                compiled.output.unwrap()
            };
            assert_eq!(output(PROGRAM), output(&with));
        }
    }
}

/// A program without `expect` has none.
#[test]
fn no_expect_no_expectations() {
    assert!(checked(PROGRAM).expectations().is_empty());
}
