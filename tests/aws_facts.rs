//! The facts about AWS that idpc encodes, pinned to what the cited pages
//! say (each test names its page; `idpc explain CODE` cites the same one).
//! A change here is a change of premise: check the page first.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use idpc::diag::{Code, Sources};
use idpc::{Options, compile};

fn codes_of(program: &str) -> Vec<Code> {
    compile(
        "facts.idp",
        program.as_bytes(),
        &Options::default(),
        &mut Sources::new(),
    )
    .diagnostics
    .iter()
    .map(|d| d.code)
    .collect()
}

fn pool_named(name: &str) -> String {
    format!(
        "identity_pool NotesPool {{\n  name \"{name}\"\n  authenticated role {{\n    allow cognito-sync:ListDatasets on *\n  }}\n}}\n"
    )
}

fn pool_with_developer(name: &str) -> String {
    format!(
        "identity_pool NotesPool {{\n  provider developer \"{name}\"\n  authenticated role {{\n    allow cognito-sync:ListDatasets on *\n  }}\n}}\n"
    )
}

/// "CreateIdentityPool" (Amazon Cognito Federated Identities API
/// Reference): `IdentityPoolName` is 1 to 128 characters of
/// `[\w\s+=,.@-]`.
#[test]
fn identity_pool_names_are_1_to_128_characters() {
    assert!(!codes_of(&pool_named(&"a".repeat(128))).contains(&Code::E0203));
    assert!(codes_of(&pool_named(&"a".repeat(129))).contains(&Code::E0203));
    assert!(!codes_of(&pool_named("Notes pool_+=,.@-1")).contains(&Code::E0203));
    assert!(codes_of(&pool_named("notes:prod")).contains(&Code::E0203));
}

/// "CreateIdentityPool": `DeveloperProviderName` is 1 to 128 characters of
/// `[\w._-]` (idpc used to stop at 100, rejecting valid names).
#[test]
fn developer_provider_names_are_1_to_128_characters() {
    assert!(!codes_of(&pool_with_developer(&"a".repeat(128))).contains(&Code::E0203));
    assert!(codes_of(&pool_with_developer(&"a".repeat(129))).contains(&Code::E0203));
    assert!(!codes_of(&pool_with_developer("login.example_app-1")).contains(&Code::E0203));
    assert!(codes_of(&pool_with_developer("login/example")).contains(&Code::E0203));
}

fn tagged_pool(mapping: &str) -> String {
    format!(
        "use user_pool UserPool\nuse user_pool_client UserPoolClient\nuse bucket TeamBucket\nidentity_pool TeamPool {{\n  provider user_pool UserPool client UserPoolClient\n  principal_tags UserPool {mapping}\n  authenticated role {{\n    allow s3:GetObject on TeamBucket/$<aws:PrincipalTag/client>/*\n  }}\n}}\n"
    )
}

/// "SetPrincipalTagAttributeMap" describes the defaults only as "username
/// and clientID"; no AWS page names their tag keys. A tag that only the
/// defaults could set is therefore a note (N0604), never the error E0210;
/// a tag mapped by name is confirmed; with no defaults, an unmapped tag is
/// E0210.
#[test]
fn default_principal_tag_keys_are_unconfirmed() {
    assert_eq!(codes_of(&tagged_pool("default")), [Code::N0604]);
    assert_eq!(
        codes_of(&tagged_pool("{ \"client\" = \"aud\" }")),
        Vec::<Code>::new()
    );
    assert_eq!(
        codes_of(&tagged_pool("{ \"team\" = \"custom:team\" }")),
        [Code::E0210]
    );
}

/// "Identity pools authentication flow": in the basic flow the app calls
/// `AssumeRoleWithWebIdentity` itself, so role mappings choose no role.
/// That Cognito refuses the combination is not documented: a note, not an
/// error (E0206 is retired).
#[test]
fn classic_flow_with_role_mappings_is_a_note() {
    let program = "use user_pool UserPool\nuse user_pool_client UserPoolClient\nidentity_pool GroupPool {\n  provider user_pool UserPool client UserPoolClient\n  classic_flow\n  authenticated role {\n    allow cognito-sync:ListDatasets on *\n  }\n  map UserPool by token otherwise deny\n}\n";
    assert_eq!(codes_of(program), [Code::N0605]);
}

fn pool_with_policy_named(name: &str) -> String {
    format!(
        "identity_pool NotesPool {{\n  authenticated role {{\n    policy \"{name}\"\n    allow cognito-sync:ListDatasets on *\n  }}\n}}\n"
    )
}

/// "PutRolePolicy" (IAM API Reference): `PolicyName` is 1 to 128
/// characters of `[\w+=,.@-]`. The length is E0214 (a limit), the
/// characters E0203.
#[test]
fn inline_policy_names_are_1_to_128_characters() {
    assert_eq!(codes_of(&pool_with_policy_named(&"a".repeat(128))), []);
    assert_eq!(
        codes_of(&pool_with_policy_named(&"a".repeat(129))),
        [Code::E0214]
    );
    assert!(!codes_of(&pool_with_policy_named("Notes_+=,.@-1")).contains(&Code::E0203));
    assert!(codes_of(&pool_with_policy_named("notes policy")).contains(&Code::E0203));
    assert!(codes_of(&pool_with_policy_named("notes:policy")).contains(&Code::E0203));
}

/// "Amazon S3: Allows Amazon Cognito users to access objects in their
/// bucket" and "Amazon DynamoDB: Allows access to specific items based on an
/// Amazon Cognito ID" (IAM User Guide): the two services whose data AWS
/// documents scoping to each identity. W0605 judges guests' writes to
/// these, cites both pages, and is silent on invocations and events.
#[test]
fn guests_writes_are_judged_where_aws_documents_per_identity_data() {
    use idpc::lints::PER_IDENTITY_STORES;
    let services: Vec<&str> = PER_IDENTITY_STORES.iter().map(|(s, _)| *s).collect();
    assert_eq!(services, ["s3", "dynamodb"]);
    for (_, url) in PER_IDENTITY_STORES {
        assert!(Code::W0605.explanation().contains(url), "W0605 cites {url}");
    }
    // Only what each grant names is declared: an unused `use` is W0101.
    let guests = |uses: &str, grant: &str| {
        format!(
            "use {uses}\nidentity_pool P {{\n  unauthenticated role {{\n    {grant}\n  }}\n}}\n"
        )
    };
    assert_eq!(
        codes_of(&guests(
            "bucket Files",
            "allow s3:PutObject on Files/uploads/*"
        )),
        [Code::W0605]
    );
    assert_eq!(
        codes_of(&guests("table Scores", "allow dynamodb:PutItem on Scores")),
        [Code::W0605]
    );
    assert_eq!(
        codes_of(&guests(
            "table Scores",
            "allow dynamodb:PutItem on Scores when all dynamodb:LeadingKeys == \"$<sub>\""
        )),
        [Code::N0602]
    );
    assert_eq!(
        codes_of(&guests(
            "bucket Files",
            "allow s3:PutObject on Files/uploads/$<sub>/*"
        )),
        []
    );
    assert_eq!(
        codes_of(&guests(
            "function Render",
            "allow lambda:InvokeFunction on Render"
        )),
        []
    );
}

fn pool_with_output(settings: &str) -> String {
    format!("identity_pool NotesPool {{\n}}\noutput NotesPoolId = NotesPool {{\n{settings}\n}}\n")
}

/// "Output" (AWS CloudFormation API Reference): an output's `Description`
/// is at most 1024 characters (E0240); "CloudFormation template Outputs
/// syntax": 0 to 1024 bytes (so an empty one is not reported), a literal
/// string, no parameter or function (E0245).
#[test]
fn output_descriptions_are_literal_and_at_most_1024_characters() {
    let described = |text: &str| pool_with_output(&format!("  description \"{text}\""));
    assert_eq!(codes_of(&described(&"d".repeat(1024))), []);
    assert_eq!(codes_of(&described(&"d".repeat(1025))), [Code::E0240]);
    assert_eq!(codes_of(&described("")), []);
    assert_eq!(codes_of(&described("Pool of $<sub>")), [Code::E0245]);
    assert_eq!(codes_of(&described("Pool of ${sls:stage}")), []);
}

/// "Fn::ImportValue" (CloudFormation Template Reference): "For each AWS
/// account, Export names must be unique within a Region" (E0241).
#[test]
fn export_names_are_unique() {
    let program = "identity_pool NotesPool {\n}\noutput A = NotesPool {\n  export \"notes\"\n}\noutput B = NotesPool.Name {\n  export \"notes\"\n}\n";
    assert_eq!(codes_of(program), [Code::E0241]);
    let distinct = program.replacen("export \"notes\"", "export \"notes-id\"", 1);
    assert_eq!(codes_of(&distinct), []);
}

/// "Fn::ImportValue" (CloudFormation Template Reference): "the
/// `ImportValue` function can't include `Ref` or `GetAtt` functions that
/// depend on a resource" (E0250); parameters and pseudo parameters are
/// fine.
#[test]
fn imported_export_names_depend_on_no_resource() {
    let importing = |name: &str| {
        format!(
            "use parameter Stage\nuse bucket Files\nidentity_pool NotesPool {{\n  authenticated role {{\n    allow s3:GetObject on Files/*\n    allow s3:PutObject on \"$(import {name})/*\"\n  }}\n}}\n"
        )
    };
    assert_eq!(
        codes_of(&importing("shared-$(Stage)-$(AWS::Region)-arn")),
        []
    );
    assert_eq!(codes_of(&importing("$(Stage)-$(Files)-arn")), [Code::E0250]);
    assert_eq!(codes_of(&importing("$(Stage)$(Files.Arn)")), [Code::E0250]);
}

fn managed_policy_with(settings: &str) -> String {
    format!(
        "managed_policy ReadNotes {{\n{settings}\n  allow dynamodb:GetItem on \"arn:aws:dynamodb:us-east-1:123456789012:table/Notes\"\n}}\n"
    )
}

/// "AWS::IAM::ManagedPolicy" (CloudFormation Template Reference):
/// `Description` at most 1000 characters (E0242); `ManagedPolicyName` is an
/// IAM policy name, 1 to 128 characters of `[\w+=,.@-]` ("IAM and AWS STS
/// quotas": E0214; the characters: E0203).
#[test]
fn managed_policy_descriptions_and_names_follow_iam() {
    let described = |n: usize| managed_policy_with(&format!("  description \"{}\"", "d".repeat(n)));
    assert_eq!(codes_of(&described(1000)), []);
    assert_eq!(codes_of(&described(1001)), [Code::E0242]);
    let named = |name: &str| managed_policy_with(&format!("  name \"{name}\""));
    assert_eq!(codes_of(&named(&"a".repeat(128))), []);
    assert_eq!(codes_of(&named(&"a".repeat(129))), [Code::E0214]);
    assert_eq!(codes_of(&named("notes policy")), [Code::E0203]);
}

/// "AWS::IAM::ManagedPolicy", Return values: `Ref` is the policy's ARN and
/// `Fn::GetAtt` reads `PolicyArn`, `PolicyId`, `AttachmentCount`, ...; it
/// has no `Arn` attribute. A role attaches it by `Ref`.
#[test]
fn a_managed_policy_is_named_by_ref() {
    let program = format!(
        "{}identity_pool NotesPool {{\n  authenticated role {{\n    managed_policy ReadNotes\n  }}\n}}\noutput Arn = ReadNotes\noutput Id = ReadNotes.PolicyId\n",
        managed_policy_with("")
    );
    assert_eq!(codes_of(&program), []);
    let built = compile(
        "facts.idp",
        program.as_bytes(),
        &Options::default(),
        &mut Sources::new(),
    )
    .output
    .unwrap();
    assert!(
        built.contains("ManagedPolicyArns:\n        - Ref: ReadNotes\n"),
        "{built}"
    );
    let wrong = program.replace("ReadNotes.PolicyId", "ReadNotes.Arn");
    assert_eq!(codes_of(&wrong), [Code::E0106]);
}

/// "IAM and AWS STS quotas": "Managed policy size cannot exceed 6,144
/// characters", white space not counted (E0244).
#[test]
fn managed_policies_are_at_most_6144_characters() {
    let policy = |count: usize| {
        let mut text = String::from("managed_policy TeamsRead {\n");
        for n in 0..count {
            text.push_str(&format!(
                "  allow s3:GetObject on \"arn:aws:s3:::notes-attachments/team-{n:04}/*\"\n"
            ));
        }
        text + "}\n"
    };
    // Each statement is 104 characters as IAM counts them, with its comma:
    // 59 fit in 6,144.
    assert_eq!(codes_of(&policy(59)), []);
    assert_eq!(codes_of(&policy(60)), [Code::E0244]);
}

fn built(program: &str) -> String {
    let options = Options {
        target: idpc::Target::CloudFormation,
        ..Options::default()
    };
    let compiled = compile(
        "facts.idp",
        program.as_bytes(),
        &options,
        &mut Sources::new(),
    );
    compiled.output.expect("the program builds")
}

/// "Get AWS values using pseudo parameters" (AWS CloudFormation User
/// Guide): the pseudo parameters that return one string are
/// `AWS::AccountId`, `AWS::Partition`, `AWS::Region`, `AWS::StackId`,
/// `AWS::StackName` and `AWS::URLSuffix`; `AWS::NotificationARNs` is a list
/// and `AWS::NoValue` removes a property, so neither is text (E0112).
#[test]
fn string_pseudo_parameters_are_the_six_that_return_one_string() {
    for pseudo in idpc::check::PSEUDO_PARAMETERS {
        let program = pool_named(&format!("notes-$({pseudo})"));
        assert!(codes_of(&program).is_empty(), "{pseudo}");
        let yaml = built(&program);
        assert!(yaml.contains(&format!("Ref: {pseudo}")), "{yaml}");
    }
    for not_text in ["AWS::NotificationARNs", "AWS::NoValue", "AWS::Stackname"] {
        let program = pool_named(&format!("notes-$({not_text})"));
        assert_eq!(codes_of(&program), vec![Code::E0112], "{not_text}");
    }
}

/// "Condition attribute" (CloudFormation template reference): a resource
/// with `Condition` is created only when the condition holds, and "if a
/// resource with a condition isn't created, any resources that depend on
/// that resource aren't created either". A pool attaching a conditional
/// role must attach it under that condition (E0230): the attachment entry
/// is `Fn::If [Cond, role ARN, Ref AWS::NoValue]` ("Condition functions",
/// AWS CloudFormation User Guide: `AWS::NoValue` removes the value).
#[test]
fn a_conditional_role_is_attached_under_its_condition() {
    let role =
        "use condition Enabled\nrole R if Enabled {\n  allow cognito-sync:ListDatasets on *\n}\n";
    let pool = |line: &str| format!("{role}identity_pool P {{\n  {line}\n}}\n");
    assert_eq!(codes_of(&pool("authenticated role R")), vec![Code::E0230]);
    let ok = pool("authenticated role R if Enabled");
    assert!(codes_of(&ok).is_empty());
    let yaml = built(&ok);
    assert!(yaml.contains("Condition: Enabled"), "{yaml}");
    assert!(yaml.contains("Fn::If"), "{yaml}");
    assert!(yaml.contains("AWS::NoValue"), "{yaml}");
}

/// "Using identity pools (federated identities)" (Amazon Cognito Developer
/// Guide): authenticated identities come from "any supported identity
/// provider", a developer provider included; unauthenticated ones need
/// `AllowUnauthenticatedIdentities` ("CreateIdentityPool"). AWS does not
/// say outright that a pool with neither refuses everyone: a note, never a
/// warning; and a guest setting left to the stack is not judged.
#[test]
fn a_pool_with_no_provider_and_no_guests_is_a_note() {
    let closed = "identity_pool NotesPool {\n  guests false\n  authenticated role {\n    allow cognito-sync:ListDatasets on *\n  }\n}\n";
    assert_eq!(codes_of(closed), [Code::N0611]);
    assert_eq!(Code::N0611.severity(), idpc::diag::Severity::Note);
    let developer = "identity_pool NotesPool {\n  provider developer \"login.notes.example\"\n  guests false\n  authenticated role {\n    allow cognito-sync:ListDatasets on *\n  }\n}\n";
    assert_eq!(codes_of(developer), []);
    let guests = "identity_pool NotesPool {\n  unauthenticated role {\n    allow cognito-sync:ListDatasets on *\n  }\n}\n";
    assert_eq!(codes_of(guests), []);
    let stack = "use parameter Guests\nidentity_pool NotesPool {\n  guests Guests\n  unauthenticated role {\n    allow cognito-sync:ListDatasets on *\n  }\n}\n";
    assert_eq!(codes_of(stack), []);
}

fn rules_pool(fallback: &str, otherwise: &str) -> String {
    format!(
        "use user_pool Users\nuse user_pool_client WebClient\nuse bucket Media\nrole EditorRole {{\n  allow s3:GetObject, s3:PutObject on Media/*\n}}\nidentity_pool MediaPool {{\n  provider user_pool Users client WebClient\n  authenticated role {{\n    {fallback}\n  }}\n  map Users by rules {{\n    \"cognito:groups\" contains \"editors\" => EditorRole\n    otherwise {otherwise}\n  }}\n}}\n"
    )
}

/// "RoleMapping" (Amazon Cognito Federated Identities API Reference):
/// `AmbiguousRoleResolution` is what happens when no rule matches;
/// `AuthenticatedRole` gives the pool's authenticated role, `Deny` nothing.
/// W0612 judges the first only, and only on what the roles surely allow
/// ("Policy evaluation logic": a conditioned allow may not apply).
#[test]
fn unmatched_users_get_the_authenticated_role_only_with_authenticated_role() {
    let more = "allow s3:DeleteObject on Media/*";
    assert_eq!(codes_of(&rules_pool(more, "authenticated")), [Code::W0612]);
    assert_eq!(codes_of(&rules_pool(more, "deny")), []);
    let conditioned =
        "allow s3:DeleteObject on Media/* when aws:MultiFactorAuthPresent == \"true\"";
    assert_eq!(codes_of(&rules_pool(conditioned, "authenticated")), []);
    let less = "allow s3:GetObject on Media/public/*";
    assert_eq!(codes_of(&rules_pool(less, "authenticated")), []);
    // A role of the stack, whose permissions idpc cannot see, as the
    // fallback or as a rule's role: unknown, so nothing but N0255.
    let rule_role = "use user_pool Users\nuse user_pool_client WebClient\nuse bucket Media\nuse role StackRole\nidentity_pool MediaPool {\n  provider user_pool Users client WebClient\n  authenticated role {\n    allow s3:DeleteObject on Media/*\n  }\n  map Users by rules {\n    \"cognito:groups\" contains \"editors\" => StackRole\n    otherwise authenticated\n  }\n}\n";
    assert_eq!(codes_of(rule_role), [Code::N0255]);
    let fallback = "use user_pool Users\nuse user_pool_client WebClient\nuse bucket Media\nuse role StackRole\nrole EditorRole {\n  allow s3:GetObject on Media/*\n}\nidentity_pool MediaPool {\n  provider user_pool Users client WebClient\n  authenticated role StackRole\n  map Users by rules {\n    \"cognito:groups\" contains \"editors\" => EditorRole\n    otherwise authenticated\n  }\n}\n";
    assert_eq!(codes_of(fallback), [Code::N0255]);
}
