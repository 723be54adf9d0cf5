//! Every input the fuzzer (`fuzz/`) found a bug with, kept under
//! `tests/fixtures/fuzz/` and run through the same pipeline and assertions as
//! the fuzz target: compile for both targets and formats, render the
//! diagnostics both ways, never panic.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use idpc::diag::{Sources, render_json, render_plain};
use idpc::{Format, Options, Target, compile};
use std::path::PathBuf;

/// The fuzz target's body (fuzz/fuzz_targets/compile.rs), with all four
/// target and format pairs.
fn pipeline(name: &str, data: &[u8]) {
    for target in [Target::Serverless, Target::CloudFormation] {
        for format in [Format::Yaml, Format::Json] {
            let options = Options {
                target,
                format,
                base_dir: None,
                ..Options::default()
            };
            let mut sources = Sources::new();
            let compiled = compile(name, data, &options, &mut sources);
            assert_eq!(compiled.output.is_some(), !compiled.has_errors(), "{name}");
            if let (Some(output), Format::Json) = (&compiled.output, format) {
                serde_json::from_str::<serde_json::Value>(output).expect("JSON output parses");
            }
            let plain = render_plain(&compiled.diagnostics, &sources);
            assert_eq!(plain.is_empty(), compiled.diagnostics.is_empty(), "{name}");
            let json = render_json(&compiled.diagnostics, &sources);
            assert_eq!(json.lines().count(), compiled.diagnostics.len(), "{name}");
            for line in json.lines() {
                serde_json::from_str::<serde_json::Value>(line).expect("JSON diagnostic parses");
            }
        }
    }
}

fn fixtures() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "idp"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_fuzz_finding_runs_clean() {
    let files = fixtures();
    assert!(!files.is_empty(), "no fixtures in tests/fixtures/fuzz");
    for path in files {
        let data = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        pipeline(&name, &data);
    }
}

/// arn-multibyte-char.idp: an ARN string with `—` (3 bytes in UTF-8) made
/// the resource-pattern tokenizer slice inside the character (a panic in
/// `catalog::arn::pattern_tokens`).
#[test]
fn multibyte_characters_in_arn_strings() {
    for arn in [
        "arn:aws:s3:::dp — a trail",
        "arn:aws:s3:::é/*",
        "arn:aws:s3:::${é}/😀",
    ] {
        let program = format!(
            "identity_pool P {{\n  authenticated role {{\n    allow s3:GetObject on \"{arn}\"\n  }}\n}}\n"
        );
        pipeline("multibyte.idp", program.as_bytes());
    }
}
