//! `idpc can`'s way through Cognito on hand-written templates: what a
//! program cannot say (a trust policy that does not admit the caller, a
//! literal pool id, an unknown managed policy, a boundary, `NotAction`, a
//! `Token` mapping, the basic flow), each with the reason the answer gives.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use idpc::access::cognito::{Caller, CallerKind, can};
use idpc::access::eval::{Context, Decision};
use idpc::access::load::{from_template_text, resource_arn};
use idpc::diag::Sources;

/// A pool with guests, a guest role and a signed-in role whose trust,
/// policies and extras are given.
fn template(
    guest_trust_amr: &str,
    guest_extra: &str,
    auth_extra: &str,
    pool_extra: &str,
) -> String {
    format!(
        r#"AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Pool:
    Type: AWS::Cognito::IdentityPool
    Properties:
      AllowUnauthenticatedIdentities: true
      CognitoIdentityProviders:
        - ProviderName: !GetAtt UserPool.ProviderName
          ClientId: !Ref Client
{pool_extra}
  Attach:
    Type: AWS::Cognito::IdentityPoolRoleAttachment
    Properties:
      IdentityPoolId: !Ref Pool
      Roles:
        unauthenticated: !GetAtt GuestRole.Arn
        authenticated: !GetAtt AuthRole.Arn
  GuestRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {{Federated: cognito-identity.amazonaws.com}}
            Action: sts:AssumeRoleWithWebIdentity
            Condition:
              StringEquals: {{"cognito-identity.amazonaws.com:aud": !Ref Pool}}
              "ForAnyValue:StringLike": {{"cognito-identity.amazonaws.com:amr": {guest_trust_amr}}}
      Policies:
        - PolicyName: guest
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: [s3:GetObject, iam:PassRole]
                Resource: "*"
{guest_extra}
  AuthRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {{Federated: cognito-identity.amazonaws.com}}
            Action: sts:AssumeRoleWithWebIdentity
            Condition:
              StringEquals: {{"cognito-identity.amazonaws.com:aud": !Ref Pool}}
              "ForAnyValue:StringLike": {{"cognito-identity.amazonaws.com:amr": authenticated}}
      Policies:
        - PolicyName: user
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                NotAction: iam:*
                Resource: "*"
{auth_extra}
"#
    )
}

fn ask(text: &str, kind: CallerKind, action: &str, resource: &str) -> (Decision, String) {
    let mut sources = Sources::new();
    let model =
        from_template_text("stack.yml", text, &mut sources).unwrap_or_else(|d| panic!("{d:?}"));
    let caller = Caller {
        pool: "Pool".into(),
        kind,
        identity: "us-east-1:1".into(),
    };
    let resource = resource_arn(&model, resource).unwrap_or_else(|e| panic!("{e}"));
    let answer = can(&model, &caller, action, &resource, &Context::new());
    (answer.decision, answer.reason)
}

fn signed_in() -> CallerKind {
    CallerKind::SignedIn {
        provider: None,
        claims: Vec::new(),
    }
}

#[test]
fn guests_get_only_what_the_scope_down_lets_through() {
    let text = template("unauthenticated", "", "", "");
    let (decision, _) = ask(&text, CallerKind::Guest, "s3:GetObject", "arn:aws:s3:::b/x");
    assert_eq!(decision, Decision::Allow);
    // The role allows iam:PassRole, but IAM is not on Cognito's list.
    let (decision, reason) = ask(&text, CallerKind::Guest, "iam:PassRole", "*");
    assert_eq!(decision, Decision::ImplicitDeny);
    assert_eq!(
        reason,
        "Cognito's scope-down of guest credentials does not allow it"
    );
}

#[test]
fn the_basic_flow_is_not_scoped_down() {
    let text = template("unauthenticated", "", "", "      AllowClassicFlow: true");
    let (decision, _) = ask(&text, CallerKind::Guest, "iam:PassRole", "*");
    assert_eq!(decision, Decision::Allow);
}

#[test]
fn a_trust_policy_that_does_not_admit_the_caller_gives_no_credentials() {
    // The guest role trusts only signed-in users.
    let text = template("authenticated", "", "", "");
    let (decision, reason) = ask(&text, CallerKind::Guest, "s3:GetObject", "arn:aws:s3:::b/x");
    assert_eq!(decision, Decision::ImplicitDeny);
    assert_eq!(
        reason,
        "the trust policy of `GuestRole` does not admit the caller for `sts:AssumeRoleWithWebIdentity` (its `aud` and `amr` conditions)"
    );
}

#[test]
fn a_literal_pool_id_in_aud_leaves_the_trust_open() {
    let written = template("unauthenticated", "", "", "");
    let aud = r#"{"cognito-identity.amazonaws.com:aud": !Ref Pool}"#;
    // The first is the guest role's.
    let text = written.replacen(
        aud,
        r#"{"cognito-identity.amazonaws.com:aud": "us-east-1:0000"}"#,
        1,
    );
    assert_ne!(text, written);
    let (decision, reason) = ask(&text, CallerKind::Guest, "s3:GetObject", "arn:aws:s3:::b/x");
    assert_eq!(decision, Decision::Unknown);
    assert!(
        reason.starts_with("whether the trust policy of `GuestRole` admits the caller"),
        "{reason}"
    );
}

#[test]
fn not_action_allows_the_rest_and_an_explicit_deny_wins() {
    let deny = "              - Effect: Deny\n                Action: s3:DeleteObject\n                Resource: arn:aws:s3:::b/*";
    let text = template("unauthenticated", "", deny, "");
    let (decision, _) = ask(&text, signed_in(), "s3:GetObject", "arn:aws:s3:::b/x");
    assert_eq!(decision, Decision::Allow);
    let (decision, _) = ask(&text, signed_in(), "iam:CreateUser", "*");
    assert_eq!(decision, Decision::ImplicitDeny);
    let (decision, reason) = ask(&text, signed_in(), "s3:DeleteObject", "arn:aws:s3:::b/x");
    assert_eq!(decision, Decision::ExplicitDeny);
    assert_eq!(reason, "a `deny` statement of `AuthRole` applies");
}

#[test]
fn a_managed_policy_without_a_document_makes_the_answer_unknown() {
    let managed =
        "      ManagedPolicyArns:\n        - arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess";
    let text = template("unauthenticated", "", "", "").replace(
        "  AuthRole:\n    Type: AWS::IAM::Role\n    Properties:\n",
        &format!("  AuthRole:\n    Type: AWS::IAM::Role\n    Properties:\n{managed}\n"),
    );
    let (decision, reason) = ask(&text, signed_in(), "iam:CreateUser", "*");
    assert_eq!(decision, Decision::Unknown);
    assert_eq!(
        reason,
        "the managed policy `arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess`, whose document idpc does not have, may allow or deny it"
    );
    // AdministratorAccess is known: it allows everything.
    let text = text.replace("AmazonS3ReadOnlyAccess", "AdministratorAccess");
    let (decision, _) = ask(&text, signed_in(), "iam:CreateUser", "*");
    assert_eq!(decision, Decision::Allow);
}

#[test]
fn a_boundary_limits_what_the_policies_allow() {
    let text = template("unauthenticated", "", "", "").replace(
        "  AuthRole:\n    Type: AWS::IAM::Role\n    Properties:\n",
        "  Boundary:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Version: \"2012-10-17\"\n        Statement:\n          - Effect: Allow\n            Action: s3:*\n            Resource: \"*\"\n  AuthRole:\n    Type: AWS::IAM::Role\n    Properties:\n      PermissionsBoundary: !Ref Boundary\n",
    );
    let (decision, _) = ask(&text, signed_in(), "s3:GetObject", "arn:aws:s3:::b/x");
    assert_eq!(decision, Decision::Allow);
    let (decision, reason) = ask(&text, signed_in(), "dynamodb:GetItem", "*");
    assert_eq!(decision, Decision::ImplicitDeny);
    assert_eq!(reason, "its permissions boundary does not allow it");
}

#[test]
fn a_token_mapping_takes_the_preferred_role() {
    let mapping = "      RoleMappings:\n        users:\n          IdentityProvider: !Join [\":\", [!GetAtt UserPool.ProviderName, !Ref Client]]\n          Type: Token\n          AmbiguousRoleResolution: Deny";
    let text = template("unauthenticated", "", "", "").replace(
        "        authenticated: !GetAtt AuthRole.Arn\n",
        &format!("        authenticated: !GetAtt AuthRole.Arn\n{mapping}\n"),
    );
    let preferred = CallerKind::SignedIn {
        provider: None,
        claims: vec![("cognito:preferred_role".into(), "AuthRole".into())],
    };
    let (decision, _) = ask(&text, preferred, "s3:GetObject", "arn:aws:s3:::b/x");
    assert_eq!(decision, Decision::Allow);
    let (decision, reason) = ask(&text, signed_in(), "s3:GetObject", "arn:aws:s3:::b/x");
    assert_eq!(decision, Decision::ImplicitDeny);
    assert!(reason.contains("AmbiguousRoleResolution: Deny"), "{reason}");
}

#[test]
fn a_resource_built_with_join_is_one_resource() {
    let joined = "              - Effect: Deny\n                Action: s3:PutObject\n                Resource: !Join ['', ['arn:aws:s3:::', !Ref Bucket, '/locked/*']]";
    let text = template("unauthenticated", "", joined, "").replace(
        "  AuthRole:\n",
        "  Bucket:\n    Type: AWS::S3::Bucket\n  AuthRole:\n",
    );
    // `arn:aws:s3:::${Bucket}` is the bucket's ARN, as `Bucket/path` is.
    let (decision, _) = ask(&text, signed_in(), "s3:PutObject", "Bucket/locked/x");
    assert_eq!(decision, Decision::ExplicitDeny);
    let (decision, _) = ask(&text, signed_in(), "s3:PutObject", "Bucket/open/x");
    assert_eq!(decision, Decision::Allow);
}

/// A stack with two more resources of `cfn_type`, and a deny on the first
/// one's ARN followed by `/*` in the signed-in role.
fn two_of(cfn_type: &str) -> String {
    let deny = "              - Effect: Deny\n                Action: s3:GetObject\n                Resource: !Sub \"${First.Arn}/*\"";
    let extra = format!("  First:\n    Type: {cfn_type}\n  Second:\n    Type: {cfn_type}\n");
    let text = template("unauthenticated", "", deny, "");
    format!("{text}{extra}")
}

#[test]
fn two_buckets_arns_never_overlap_but_two_roles_arns_may() {
    // Bucket names hold no `/`: the deny on `First`'s objects never
    // reaches `Second`.
    let text = two_of("AWS::S3::Bucket");
    let (decision, _) = ask(&text, signed_in(), "s3:GetObject", "Second/x");
    assert_eq!(decision, Decision::Allow);
    let (decision, _) = ask(&text, signed_in(), "s3:GetObject", "First/x");
    assert_eq!(decision, Decision::ExplicitDeny);
    // A role's ARN carries its path: `role/a` and `role/a/b` are two roles,
    // so the deny on `First`'s ARN followed by `/` may be about `Second`.
    let text = two_of("AWS::IAM::Role");
    let (decision, reason) = ask(&text, signed_in(), "s3:GetObject", "Second");
    assert_eq!(decision, Decision::Unknown, "{reason}");
}
