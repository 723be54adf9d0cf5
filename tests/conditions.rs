//! How `when` conditions lower to IAM operators, read from the JSON output.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use idpc::diag::Sources;
use idpc::{Format, Options, compile};
use serde_json::{Value, json};

/// Compiles one allow/deny line inside a role and returns its statement's
/// `Condition` block.
fn condition_of(statement: &str) -> Value {
    let program = format!(
        "use bucket Files\nuse table Notes\nuse rest_api Api\nuse function Fn\n\
         identity_pool Pool {{\n  authenticated role Auth {{\n    {statement}\n  }}\n}}\n"
    );
    let options = Options {
        format: Format::Json,
        ..Options::default()
    };
    let mut sources = Sources::new();
    let compiled = compile("test.idp", program.as_bytes(), &options, &mut sources);
    // Each test uses some of the declared resources; the others are unused.
    // Notes (a deny with no allow to carve from, what `$<sub>` is) are
    // about wisdom, not about how conditions lower.
    let problems: Vec<_> = compiled
        .diagnostics
        .iter()
        .filter(|d| d.code != idpc::diag::Code::W0101)
        .filter(|d| d.severity() != idpc::diag::Severity::Note)
        .cloned()
        .collect();
    assert!(
        problems.is_empty(),
        "{}",
        idpc::diag::render_plain(&problems, &sources)
    );
    let output: Value = serde_json::from_str(&compiled.output.unwrap()).unwrap();
    output["Resources"]["Auth"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"][0]
        ["Condition"]
        .clone()
}

#[test]
fn string_keys_use_string_operators() {
    assert_eq!(
        condition_of(r#"allow s3:ListBucket on Files when s3:prefix like "public/*""#),
        json!({"StringLike": {"s3:prefix": "public/*"}})
    );
    assert_eq!(
        condition_of(r#"deny s3:ListBucket on Files when s3:prefix != "private/""#),
        json!({"StringNotEquals": {"s3:prefix": "private/"}})
    );
}

#[test]
fn dates_numbers_addresses_and_booleans_use_their_families() {
    assert_eq!(
        condition_of(
            r#"allow s3:GetObject on Files/* when aws:CurrentTime < "2030-01-01T00:00:00Z" and aws:SourceIp not ip ["10.0.0.0/8", "192.168.0.0/16"] and aws:SecureTransport is true"#
        ),
        json!({
            "DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"},
            "NotIpAddress": {"aws:SourceIp": ["10.0.0.0/8", "192.168.0.0/16"]},
            "Bool": {"aws:SecureTransport": "true"}
        })
    );
    assert_eq!(
        condition_of(r#"allow s3:ListBucket on Files when s3:max-keys <= "100""#),
        json!({"NumericLessThanEquals": {"s3:max-keys": "100"}})
    );
}

#[test]
fn exists_is_null_false_and_not_exists_is_null_true() {
    assert_eq!(
        condition_of(
            r#"deny s3:PutObject on Files/* when s3:x-amz-server-side-encryption not exists"#
        ),
        json!({"Null": {"s3:x-amz-server-side-encryption": "true"}})
    );
    assert_eq!(
        condition_of(
            r#"allow s3:PutObject on Files/* when s3:x-amz-server-side-encryption exists"#
        ),
        json!({"Null": {"s3:x-amz-server-side-encryption": "false"}})
    );
}

#[test]
fn arn_keys_use_arn_operators() {
    assert_eq!(
        condition_of(
            r#"allow lambda:InvokeFunction on Fn when aws:SourceArn like "arn:aws:execute-api:*""#
        ),
        json!({"ArnLike": {"aws:SourceArn": "arn:aws:execute-api:*"}})
    );
}

/// `ForAllValues` alone is true when the request has no value for the key:
/// an allow also requires the key to be present. ("Multivalued context key
/// examples", IAM User Guide:
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition_examples-multi-valued-context-keys.html)
#[test]
fn all_in_an_allow_also_requires_the_key() {
    let condition = condition_of(
        r#"allow dynamodb:GetItem, dynamodb:Query on Notes when all dynamodb:LeadingKeys == "$<sub>""#,
    );
    assert_eq!(condition["Null"], json!({"dynamodb:LeadingKeys": "false"}));
    assert!(condition["ForAllValues:StringEquals"]["dynamodb:LeadingKeys"].is_object());
}

#[test]
fn all_in_a_deny_stays_as_written() {
    let condition = condition_of(
        r#"deny dynamodb:PutItem on Notes when all dynamodb:Attributes == ["id", "text"]"#,
    );
    assert_eq!(
        condition,
        json!({"ForAllValues:StringEquals": {"dynamodb:Attributes": ["id", "text"]}})
    );
}

#[test]
fn any_uses_for_any_value() {
    assert_eq!(
        condition_of(
            r#"allow dynamodb:Query on Notes when any dynamodb:Attributes == ["id", "text"]"#
        ),
        json!({"ForAnyValue:StringEquals": {"dynamodb:Attributes": ["id", "text"]}})
    );
}
