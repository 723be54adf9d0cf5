//! Nothing a user writes becomes YAML or CloudFormation structure (issue
//! 14): a principal tag name is the only user text idpc writes as a map key,
//! and every name STS accepts reads back from the YAML and the JSON output
//! as exactly that key, with the claim as its value.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use idpc::diag::{Sources, render_plain};
use idpc::{Format, Options, compile};
use serde_json::Value;

/// Tag names that STS's pattern `[\p{L}\p{Z}\p{N}_.:/=+\-@]+` allows and
/// that YAML would read as something else if written plainly: indicators
/// at the start, `: ` inside, blanks at the ends, words YAML 1.1 takes for
/// booleans or null, numbers.
const AWKWARD: [&str; 15] = [
    "@team",
    "-",
    "a: b",
    " padded ",
    ":",
    "=x",
    "yes",
    "null",
    "0755",
    "1e3",
    "on",
    "1_000",
    "0x1F",
    "Département",
    "Fn:ImportValue",
];

fn program() -> String {
    let tags: String = AWKWARD
        .iter()
        .enumerate()
        .map(|(i, tag)| format!("    \"{tag}\" = \"custom:c{i}\"\n"))
        .collect();
    format!(
        "use user_pool UserPool\nuse user_pool_client UserPoolClient\n\
         identity_pool P {{\n  provider user_pool UserPool client UserPoolClient\n\
         principal_tags UserPool {{\n{tags}  }}\n\
         authenticated role {{\n    allow cognito-sync:ListDatasets on *\n  }}\n}}\n"
    )
}

fn output(format: Format) -> String {
    let options = Options {
        format,
        ..Options::default()
    };
    let mut sources = Sources::new();
    let compiled = compile("keys.idp", program().as_bytes(), &options, &mut sources);
    let Some(output) = compiled.output else {
        panic!("{}", render_plain(&compiled.diagnostics, &sources));
    };
    output
}

fn principal_tags(format: Format) -> Value {
    let output = output(format);
    let value: Value = match format {
        Format::Yaml => serde_saphyr::from_str(&output).unwrap(),
        Format::Json => serde_json::from_str(&output).unwrap(),
    };
    value["Resources"]["PUserPoolPrincipalTags"]["Properties"]["PrincipalTags"].clone()
}

#[test]
fn awkward_tag_names_read_back_as_themselves() {
    for format in [Format::Yaml, Format::Json] {
        let tags = principal_tags(format);
        let map = tags.as_object().unwrap_or_else(|| panic!("{tags}"));
        assert_eq!(map.len(), AWKWARD.len(), "{format:?}: {tags}");
        for (i, tag) in AWKWARD.iter().enumerate() {
            assert_eq!(
                map.get(*tag),
                Some(&Value::String(format!("custom:c{i}"))),
                "{format:?}: `{tag}` in {tags}"
            );
        }
    }
}

/// Serverless reads YAML 1.1 (js-yaml), where `yes`, `on`, `null`, `0755`,
/// `1_000` and `0x1F` are not strings: they must be quoted as keys too.
#[test]
fn yaml_1_1_words_are_quoted_as_keys() {
    let yaml = output(Format::Yaml);
    for word in ["yes", "on", "null", "0755", "1_000", "0x1F", "1e3"] {
        assert!(
            yaml.contains(&format!("\"{word}\": ")) || yaml.contains(&format!("'{word}': ")),
            "`{word}` is not quoted:\n{yaml}"
        );
    }
}
