//! Every code's explanation: a title, an example, and an erroneous example
//! that really produces the code.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use idpc::diag::{Code, Sources};
use idpc::{Options, Target, compile};

/// Examples shortened with `...` (the real input is 256 characters, or not
/// UTF-8, or not a program at all) cannot be compiled; nor can examples
/// whose mistake is in a stack file on disk (`tests/ui/imports/` has a case
/// with its files for each of those).
const ILLUSTRATIVE: [Code; 11] = [
    Code::E0002,
    Code::E0003,
    Code::E0109,
    Code::E0301,
    Code::E0302,
    Code::E0303,
    Code::E0304,
    Code::E0305,
    Code::W0301,
    Code::E0901,
    Code::E0902,
];

fn fenced_blocks<'a>(text: &'a str, language: &str) -> Vec<&'a str> {
    let fence = format!("```{language}\n");
    let mut blocks = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(&fence) {
        let body = &rest[start + fence.len()..];
        let end = body.find("```").unwrap();
        blocks.push(&body[..end]);
        rest = &body[end + 3..];
    }
    blocks
}

#[test]
fn every_explanation_has_a_title_and_an_example() {
    for code in Code::ALL {
        let text = code.explanation();
        let title = text.lines().next().unwrap();
        assert!(
            title.starts_with(&format!("# {code}: ")),
            "{code}: first line is {title:?}"
        );
        assert!(text.matches("```").count() >= 2, "{code} has no example");
        assert!(text.len() > 300, "{code} is still a stub");
    }
}

/// Codes of `idpc import`: their erroneous example is a template (the
/// first `yaml` block), imported by the test below.
fn is_import_code(code: Code) -> bool {
    code.as_str().starts_with("E07") || code.as_str().starts_with("W07")
}

#[test]
fn erroneous_templates_produce_their_import_code() {
    for code in Code::ALL.iter().filter(|code| is_import_code(**code)) {
        let example = fenced_blocks(code.explanation(), "yaml")[0];
        let imported = idpc::import::import(
            "example.yml",
            example,
            &idpc::import::ImportOptions::default(),
            &mut Sources::new(),
        );
        // The example shows its code and nothing else.
        let codes: Vec<Code> = imported.diagnostics.iter().map(|d| d.code).collect();
        assert!(
            !codes.is_empty() && codes.iter().all(|c| c == code),
            "{code}'s example gives {codes:?}"
        );
    }
}

#[test]
fn erroneous_examples_produce_their_code() {
    for code in Code::ALL
        .iter()
        .filter(|code| !ILLUSTRATIVE.contains(code) && !is_import_code(**code))
    {
        let example = fenced_blocks(code.explanation(), "idp")[0];
        let target = if *code == Code::E0108 {
            Target::CloudFormation
        } else {
            Target::Serverless
        };
        let options = Options {
            target,
            ..Options::default()
        };
        let compiled = compile(
            "example.idp",
            example.as_bytes(),
            &options,
            &mut Sources::new(),
        );
        assert!(
            compiled.diagnostics.iter().any(|d| d.code == *code),
            "{code}'s example gives {:?}",
            compiled
                .diagnostics
                .iter()
                .map(|d| d.code)
                .collect::<Vec<_>>()
        );
    }
}
