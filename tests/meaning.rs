//! Tests of the meaning test's engine (tests/support/meaning.rs) itself:
//! it must accept every harmless change of form and reject every change of
//! meaning, with a diff that names the path.

mod support;

use serde_json::{Value, json};
use support::meaning::{
    Stubs, assert_same_meaning, load_yaml, normalize_policies, resolve, same_meaning,
};

const SEED: &str = include_str!("fixtures/seed/cognito-identity-pool.yml");
const EQUIVALENT: &str = include_str!("fixtures/meaning/notes-equivalent.yml");

const AUTH_POLICY: &str = "/Resources/CognitoAuthRole/Properties/Policies/0/PolicyDocument";
const TRUST_POLICY: &str = "/Resources/CognitoAuthRole/Properties/AssumeRolePolicyDocument";

fn seed() -> Value {
    load_yaml(SEED)
}

/// The seed text with `from` (which must occur exactly once) replaced.
fn seed_with(from: &str, to: &str) -> Value {
    assert_eq!(
        SEED.matches(from).count(),
        1,
        "fixture edit {from:?} must match once"
    );
    load_yaml(&SEED.replace(from, to))
}

/// `same_meaning` must fail, and its message must contain every `needle`.
fn assert_differs(actual: &Value, needles: &[&str]) {
    let result = same_meaning(&seed(), actual);
    assert!(
        result.is_err(),
        "variant was accepted as equivalent to the seed"
    );
    if let Err(msg) = result {
        for needle in needles {
            assert!(msg.contains(needle), "diff lacks {needle:?}:\n{msg}");
        }
        // A readable diff: a few path lines, not two dumps of the document.
        assert!(msg.lines().count() <= 6, "diff too long:\n{msg}");
    }
}

#[test]
fn yaml_loads_with_core_schema_scalars() {
    let v = load_yaml("a: false\nb: '2012-10-17'\nc: 2012-10-17\nd: yes\ne: 12\nf: '$'\n");
    assert_eq!(
        v,
        json!({"a": false, "b": "2012-10-17", "c": "2012-10-17", "d": "yes", "e": 12, "f": "$"})
    );
    let seed = seed();
    assert_eq!(
        seed.pointer("/Resources/CognitoIdentityPool/Properties/AllowUnauthenticatedIdentities"),
        Some(&Value::Bool(false))
    );
    assert_eq!(
        seed.pointer(&format!("{TRUST_POLICY}/Version")),
        Some(&json!("2012-10-17"))
    );
}

#[test]
fn resolve_fills_intrinsics_with_stubs() {
    let stubs = Stubs::default();
    let doc = json!({
        "partition": {"Ref": "AWS::Partition"},
        "other": {"Ref": "CognitoIdentityPool"},
        "att_list": {"Fn::GetAtt": ["AttachmentsBucket", "Arn"]},
        "att_dotted": {"Fn::GetAtt": "AttachmentsBucket.Arn"},
        "join": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::", "$", "{x}"]]},
        "sub": {"Fn::Sub": "arn:${AWS::Partition}:${AWS::Region}:${Pool}:${Bucket.Arn}:${!lit}"},
        "sub_vars": {"Fn::Sub": ["${A}/${!b}", {"A": {"Ref": "AWS::AccountId"}}]},
        "novalue": {"Ref": "AWS::NoValue"},
        "list": [1, {"Ref": "AWS::NoValue"}],
    });
    assert_eq!(
        resolve(&doc, &stubs),
        json!({
            "partition": "aws",
            "other": "<Ref:CognitoIdentityPool>",
            "att_list": "<GetAtt:AttachmentsBucket.Arn>",
            "att_dotted": "<GetAtt:AttachmentsBucket.Arn>",
            "join": "arn:aws:s3:::${x}",
            "sub": "arn:aws:us-east-1:<Ref:Pool>:<GetAtt:Bucket.Arn>:${lit}",
            "sub_vars": "123456789012/${b}",
            "list": [1],
        })
    );
}

#[test]
fn normalize_makes_policy_forms_equal_but_keeps_statement_order() {
    let a = json!({"PolicyDocument": {"Statement":
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
         "Condition": {"Bool": {"aws:SecureTransport": true}}}}});
    let b = json!({"PolicyDocument": {"Statement": [
        {"Resource": ["*", "*"], "Effect": "Allow", "Action": ["s3:GetObject"],
         "Condition": {"Bool": {"aws:SecureTransport": ["true"]}}}]}});
    assert_eq!(normalize_policies(&a), normalize_policies(&b));

    let s1 = json!({"Effect": "Allow", "Action": ["a:A"], "Resource": ["*"]});
    let s2 = json!({"Effect": "Deny", "Action": ["b:B"], "Resource": ["*"]});
    let ordered = json!({"PolicyDocument": {"Statement": [s1.clone(), s2.clone()]}});
    let swapped = json!({"PolicyDocument": {"Statement": [s2, s1]}});
    assert_ne!(normalize_policies(&ordered), normalize_policies(&swapped));
}

#[test]
fn seed_means_the_same_as_itself() {
    assert_same_meaning(&seed(), &seed());
}

#[test]
fn seed_means_the_same_as_the_partition_aware_list_form_sub_variant() {
    assert_same_meaning(&seed(), &load_yaml(EQUIVALENT));
    assert_same_meaning(&load_yaml(EQUIVALENT), &seed());
}

#[test]
fn missing_aud_condition_is_a_difference() {
    let mut v = seed();
    let removed = v
        .pointer_mut(&format!("{TRUST_POLICY}/Statement/0/Condition"))
        .and_then(Value::as_object_mut)
        .and_then(|c| c.shift_remove("StringEquals"));
    assert!(removed.is_some());
    assert_differs(
        &v,
        &[
            "Resources.CognitoAuthRole.Properties.AssumeRolePolicyDocument.Statement[0].Condition.StringEquals: missing",
        ],
    );
}

#[test]
fn statement_order_is_part_of_the_meaning() {
    let mut v = seed();
    let statements = v
        .pointer_mut(&format!("{AUTH_POLICY}/Statement"))
        .and_then(Value::as_array_mut);
    assert!(statements.is_some());
    if let Some(s) = statements {
        s.swap(0, 1);
    }
    assert_differs(
        &v,
        &[
            "Resources.CognitoAuthRole.Properties.Policies[0].PolicyDocument.Statement[0].Action: expected",
        ],
    );
}

#[test]
fn changed_action_is_a_difference() {
    let v = seed_with(
        "- 'execute-api:Invoke'",
        "- 'execute-api:ManageConnections'",
    );
    assert_differs(
        &v,
        &[
            "Resources.CognitoAuthRole.Properties.Policies[0].PolicyDocument.Statement[1].Action",
            "execute-api:Invoke",
            "execute-api:ManageConnections",
        ],
    );
}

#[test]
fn unauthenticated_instead_of_authenticated_is_a_difference() {
    let v = seed_with(
        "'cognito-identity.amazonaws.com:amr': authenticated",
        "'cognito-identity.amazonaws.com:amr': unauthenticated",
    );
    assert_differs(
        &v,
        &[
            "Resources.CognitoAuthRole.Properties.AssumeRolePolicyDocument.Statement[0].Condition.ForAnyValue:StringLike.cognito-identity.amazonaws.com:amr",
            r#"expected ["authenticated"], found ["unauthenticated"]"#,
        ],
    );
}

#[test]
fn resource_without_private_prefix_is_a_difference() {
    let v = seed_with("- '/private/'", "- '/'");
    assert_differs(
        &v,
        &[
            "Resources.CognitoAuthRole.Properties.Policies[0].PolicyDocument.Statement[2].Resource",
            "<GetAtt:AttachmentsBucket.Arn>/private/${cognito-identity.amazonaws.com:sub}/*",
            "<GetAtt:AttachmentsBucket.Arn>/${cognito-identity.amazonaws.com:sub}/*",
        ],
    );
}

#[test]
fn missing_output_and_extra_resource_are_differences() {
    let mut v = seed();
    if let Some(o) = v.get_mut("Outputs").and_then(Value::as_object_mut) {
        o.clear();
    }
    if let Some(r) = v.get_mut("Resources").and_then(Value::as_object_mut) {
        r.insert("Extra".into(), json!({"Type": "AWS::S3::Bucket"}));
    }
    assert_differs(
        &v,
        &[
            "Outputs.IdentityPoolId: missing",
            "Resources.Extra: unexpected resource",
        ],
    );
}

#[test]
#[should_panic(expected = "Statement[1].Action")]
fn assert_wrapper_fails_with_the_diff() {
    let v = seed_with("- 'execute-api:Invoke'", "- 'execute-api:*'");
    assert_same_meaning(&seed(), &v);
}

#[test]
fn resource_attributes_are_part_of_the_meaning() {
    // A pool that is kept on stack deletion is not the pool that goes with
    // the stack, nor is a resource that exists only under a condition.
    let retained = "    Type: AWS::Cognito::IdentityPool\n";
    assert_differs(
        &seed_with(
            retained,
            "    Type: AWS::Cognito::IdentityPool\n    DeletionPolicy: Retain\n",
        ),
        &["Resources.CognitoIdentityPool.DeletionPolicy"],
    );
    assert_differs(
        &seed_with(
            retained,
            "    Type: AWS::Cognito::IdentityPool\n    Condition: IsProd\n",
        ),
        &["Resources.CognitoIdentityPool.Condition"],
    );
}

#[test]
fn a_depends_on_that_properties_already_imply_is_no_difference() {
    // The attachment names its pool with `Ref`, so CloudFormation creates
    // the pool first with or without the `DependsOn`; a `DependsOn` on
    // anything else is a difference.
    let attachment = "    Type: AWS::Cognito::IdentityPoolRoleAttachment\n";
    assert_same_meaning(
        &seed(),
        &seed_with(
            attachment,
            "    Type: AWS::Cognito::IdentityPoolRoleAttachment\n    DependsOn: CognitoIdentityPool\n",
        ),
    );
    assert_differs(
        &seed_with(
            attachment,
            "    Type: AWS::Cognito::IdentityPoolRoleAttachment\n    DependsOn: [SomethingElse]\n",
        ),
        &["Resources.CognitoIdentityPoolRoles.DependsOn"],
    );
}
