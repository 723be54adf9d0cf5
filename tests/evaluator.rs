//! The evaluator (`idpc::access::eval`) on the examples of AWS's own
//! documentation, each case naming its page (IAM User Guide):
//!
//! - "The difference between explicit and implicit denies",
//!   <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_AccessPolicyLanguage_Interplay.html>
//!   (a page of "Policy evaluation logic",
//!   <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html>);
//! - "IAM JSON policy elements: Condition operators",
//!   <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html>;
//! - "IAM policy elements: Variables and tags",
//!   <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html>;
//! - "Multivalued context keys examples",
//!   <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition_examples-multi-valued-context-keys.html>.
//!
//! The last section pins, with the page that says so, each point where the
//! differential test's peer (`@cloud-copilot/iam-simulate`) decides
//! otherwise (tests/differential/PEER.md).

use idpc::access::eval::{Context, Decision, Request, evaluate};
use idpc::access::policy::Policy;
use idpc::access::text::Concrete;
use serde_json::{Value, json};

/// The decision of one identity policy on a request.
fn decide(policy: Value, action: &str, resource: &str, context: &[(&str, &[&str])]) -> Decision {
    let Ok(policy) = Policy::from_json("policy", &policy) else {
        return Decision::Unknown;
    };
    let mut keys = Context::new();
    for (key, values) in context {
        keys.set(key, values.iter().map(|v| Concrete::literal(v)).collect());
    }
    let request = Request {
        action: action.into(),
        resource: Concrete::literal(resource),
        context: keys,
    };
    evaluate(&[&policy], &request).decision
}

use Decision::{Allow, ExplicitDeny, ImplicitDeny};

// --- "The difference between explicit and implicit denies" -----------------

#[test]
fn explicit_and_implicit_denies_get_list_and_reports() {
    // AllowGetList allows iam:Get* and iam:List*; DenyReports denies the
    // actions with the Report suffix.
    let policy = || {
        json!({"Version": "2012-10-17", "Statement": [
            {"Sid": "AllowGetList", "Effect": "Allow",
             "Action": ["iam:Get*", "iam:List*"], "Resource": "*"},
            {"Sid": "DenyReports", "Effect": "Deny", "Action": "iam:*Report", "Resource": "*"}
        ]})
    };
    assert_eq!(decide(policy(), "iam:GetUser", "*", &[]), Allow);
    assert_eq!(decide(policy(), "iam:ListRoles", "*", &[]), Allow);
    // "All other actions in IAM, such as iam:CreatePolicy are implicitly denied."
    assert_eq!(decide(policy(), "iam:CreatePolicy", "*", &[]), ImplicitDeny);
    // "explicitly denies ... such as iam:GetOrganizationsAccessReport".
    assert_eq!(
        decide(policy(), "iam:GetOrganizationsAccessReport", "*", &[]),
        ExplicitDeny
    );
    // "If someone adds another policy ... such as iam:GenerateCredentialReport,
    // report-related actions are still denied".
    let both = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "iam:GenerateCredentialReport", "Resource": "*"},
        {"Effect": "Deny", "Action": "iam:*Report", "Resource": "*"}
    ]});
    assert_eq!(
        decide(both, "iam:GenerateCredentialReport", "*", &[]),
        ExplicitDeny
    );
}

// --- "IAM JSON policy elements: Condition operators" ------------------------

const ACCESS_KEYS_USERS: &str = "arn:aws:iam::111122223333:user/*";

fn access_keys(condition: Value) -> Value {
    json!({"Version": "2012-10-17", "Statement": {
        "Effect": "Allow", "Action": "iam:*AccessKey*",
        "Resource": ACCESS_KEYS_USERS, "Condition": condition}})
}

#[test]
fn condition_operators_string_principal_tag() {
    let policy =
        || access_keys(json!({"StringEquals": {"aws:PrincipalTag/job-category": "iamuser-admin"}}));
    let user = "arn:aws:iam::111122223333:user/ana";
    let admin: &[(&str, &[&str])] = &[("aws:PrincipalTag/job-category", &["iamuser-admin"])];
    assert_eq!(decide(policy(), "iam:CreateAccessKey", user, admin), Allow);
    // "If a user without the tag attempts to view or edit an access key, the
    // condition returns false and the request is implicitly denied".
    assert_eq!(
        decide(policy(), "iam:CreateAccessKey", user, &[]),
        ImplicitDeny
    );
    assert_eq!(
        decide(policy(), "iam:CreateUser", user, admin),
        ImplicitDeny
    );
}

#[test]
fn condition_operators_home_directory() {
    let policy = || {
        json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["s3:ListAllMyBuckets", "s3:GetBucketLocation"],
             "Resource": "arn:aws:s3:::*"},
            {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::BUCKET-NAME",
             "Condition": {"StringLike": {"s3:prefix": ["", "home/", "home/${aws:username}/"]}}},
            {"Effect": "Allow", "Action": "s3:*", "Resource": [
                "arn:aws:s3:::BUCKET-NAME/home/${aws:username}",
                "arn:aws:s3:::BUCKET-NAME/home/${aws:username}/*"]}
        ]})
    };
    let bucket = "arn:aws:s3:::BUCKET-NAME";
    let list = |prefix: &str| {
        decide(
            policy(),
            "s3:ListBucket",
            bucket,
            &[("aws:username", &["bob"]), ("s3:prefix", &[prefix])],
        )
    };
    assert_eq!(list(""), Allow);
    assert_eq!(list("home/"), Allow);
    assert_eq!(list("home/bob/"), Allow);
    assert_eq!(list("home/alice/"), ImplicitDeny);
    let bob: &[(&str, &[&str])] = &[("aws:username", &["bob"])];
    let own = "arn:aws:s3:::BUCKET-NAME/home/bob/notes.txt";
    let other = "arn:aws:s3:::BUCKET-NAME/home/alice/notes.txt";
    assert_eq!(decide(policy(), "s3:PutObject", own, bob), Allow);
    assert_eq!(decide(policy(), "s3:PutObject", other, bob), ImplicitDeny);
}

#[test]
fn condition_operators_numeric_max_keys() {
    let policy = || {
        json!({"Version": "2012-10-17", "Statement": {
            "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket",
            "Condition": {"NumericLessThanEquals": {"s3:max-keys": "10"}}}})
    };
    let list = |keys: &str| {
        decide(
            policy(),
            "s3:ListBucket",
            "arn:aws:s3:::example_bucket",
            &[("s3:max-keys", &[keys])],
        )
    };
    assert_eq!(list("10"), Allow);
    assert_eq!(list("7"), Allow);
    assert_eq!(list("11"), ImplicitDeny);
}

#[test]
fn condition_operators_date_token_issue_time() {
    let policy =
        || access_keys(json!({"DateGreaterThan": {"aws:TokenIssueTime": "2020-01-01T00:00:01Z"}}));
    let user = "arn:aws:iam::111122223333:user/ana";
    let issued = |at: &str| {
        decide(
            policy(),
            "iam:ListAccessKeys",
            user,
            &[("aws:TokenIssueTime", &[at])],
        )
    };
    assert_eq!(issued("2020-03-01T10:00:00Z"), Allow);
    assert_eq!(issued("2019-12-31T23:00:00Z"), ImplicitDeny);
    // "if an IAM user attempts to view or edit an access key, the request is
    // denied" (access keys: no aws:TokenIssueTime).
    assert_eq!(
        decide(policy(), "iam:ListAccessKeys", user, &[]),
        ImplicitDeny
    );
}

#[test]
fn condition_operators_boolean_secure_transport() {
    // BooleanExample denies S3 on the bucket without SSL; with an allow of
    // everything beside it, as the page advises.
    let policy = || {
        json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
            {"Sid": "BooleanExample", "Action": "s3:*", "Effect": "Deny",
             "Resource": ["arn:aws:s3:::DOC-EXAMPLE-BUCKET", "arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"],
             "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
        ]})
    };
    let object = "arn:aws:s3:::DOC-EXAMPLE-BUCKET/a";
    let get = |ssl: &str| {
        decide(
            policy(),
            "s3:GetObject",
            object,
            &[("aws:SecureTransport", &[ssl])],
        )
    };
    assert_eq!(get("false"), ExplicitDeny);
    assert_eq!(get("true"), Allow);
}

#[test]
fn condition_operators_ip_address() {
    let policy = || access_keys(json!({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}));
    let user = "arn:aws:iam::111122223333:user/ana";
    let from = |ip: &str| {
        decide(
            policy(),
            "iam:UpdateAccessKey",
            user,
            &[("aws:SourceIp", &[ip])],
        )
    };
    assert_eq!(from("203.0.113.0"), Allow);
    assert_eq!(from("203.0.113.255"), Allow);
    assert_eq!(from("203.0.114.0"), ImplicitDeny);
    // "except when the requester uses a VPC endpoint ... the condition
    // returns false".
    assert_eq!(
        decide(policy(), "iam:UpdateAccessKey", user, &[]),
        ImplicitDeny
    );
    let mixed = || {
        json!({"Version": "2012-10-17", "Statement": {
            "Effect": "Allow", "Action": "someservice:*", "Resource": "*",
            "Condition": {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:DB8:1234:5678::/64"]}}}})
    };
    let from6 = |ip: &str| decide(mixed(), "someservice:Do", "*", &[("aws:SourceIp", &[ip])]);
    assert_eq!(from6("2001:db8:1234:5678:1::9"), Allow);
    assert_eq!(from6("2001:db8:1234:5679::9"), ImplicitDeny);
}

#[test]
fn condition_operators_arn_like_against_string_like() {
    let pattern = "arn:aws:someservice:*:111122223333:finance/*";
    let value =
        "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt";
    let with = |operator: &str| {
        let policy = json!({"Version": "2012-10-17", "Statement": {
            "Effect": "Allow", "Action": "someservice:*", "Resource": "*",
            "Condition": {operator: {"aws:SourceArn": pattern}}}});
        decide(
            policy,
            "someservice:Do",
            "*",
            &[("aws:SourceArn", &[value])],
        )
    };
    // "With a StringLike condition, the match succeeds ... With an ArnLike
    // condition ... the match fails."
    assert_eq!(with("StringLike"), Allow);
    assert_eq!(with("ArnLike"), ImplicitDeny);
}

#[test]
fn condition_operators_if_exists_instance_types() {
    let policy = || {
        json!({"Version": "2012-10-17", "Statement": [
            {"Sid": "RunInstance", "Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*",
             "Condition": {"StringLikeIfExists": {"ec2:InstanceType": ["t1.*", "t2.*", "m3.*"]}}},
            {"Sid": "DescribeActions", "Effect": "Allow", "Action": [
                "ec2:DescribeImages", "ec2:DescribeInstances", "ec2:DescribeVpcs",
                "ec2:DescribeKeyPairs", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups"],
             "Resource": "*"}
        ]})
    };
    let image = "arn:aws:ec2:us-east-1::image/ami-1";
    let instance = "arn:aws:ec2:us-east-1:111122223333:instance/*";
    // Resources without the key (images, key pairs) pass the IfExists test.
    assert_eq!(decide(policy(), "ec2:RunInstances", image, &[]), Allow);
    assert_eq!(
        decide(
            policy(),
            "ec2:RunInstances",
            instance,
            &[("ec2:InstanceType", &["t2.micro"])]
        ),
        Allow
    );
    assert_eq!(
        decide(
            policy(),
            "ec2:RunInstances",
            instance,
            &[("ec2:InstanceType", &["c5.large"])]
        ),
        ImplicitDeny
    );
    // THISPOLICYDOESNOTWORK: plain StringLike fails on the image.
    let broken = json!({"Version": "2012-10-17", "Statement": {
        "Sid": "THISPOLICYDOESNOTWORK", "Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*",
        "Condition": {"StringLike": {"ec2:InstanceType": ["t1.*", "t2.*", "m3.*"]}}}});
    assert_eq!(decide(broken, "ec2:RunInstances", image, &[]), ImplicitDeny);
}

#[test]
fn condition_operators_null_token_issue_time() {
    let policy = || {
        json!({"Version": "2012-10-17", "Statement": {
            "Action": "ec2:*", "Effect": "Allow", "Resource": "*",
            "Condition": {"Null": {"aws:TokenIssueTime": "true"}}}})
    };
    assert_eq!(decide(policy(), "ec2:DescribeInstances", "*", &[]), Allow);
    let temporary: &[(&str, &[&str])] = &[("aws:TokenIssueTime", &["2026-12-05T07:00:00Z"])];
    assert_eq!(
        decide(policy(), "ec2:DescribeInstances", "*", temporary),
        ImplicitDeny
    );
}

// --- "IAM policy elements: Variables and tags" -------------------------------

#[test]
fn policy_variables_introduction_marketing_folder() {
    let policy = || {
        json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": ["arn:aws:s3:::amzn-s3-demo-bucket"],
             "Condition": {"StringLike": {"s3:prefix": ["marketing/*"]}}},
            {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
             "Resource": ["arn:aws:s3:::amzn-s3-demo-bucket/marketing/*"]}
        ]})
    };
    let bucket = "arn:aws:s3:::amzn-s3-demo-bucket";
    assert_eq!(
        decide(
            policy(),
            "s3:ListBucket",
            bucket,
            &[("s3:prefix", &["marketing/2026/"])]
        ),
        Allow
    );
    assert_eq!(
        decide(
            policy(),
            "s3:ListBucket",
            bucket,
            &[("s3:prefix", &["sales/"])]
        ),
        ImplicitDeny
    );
    assert_eq!(
        decide(
            policy(),
            "s3:GetObject",
            "arn:aws:s3:::amzn-s3-demo-bucket/marketing/a",
            &[]
        ),
        Allow
    );
    assert_eq!(
        decide(
            policy(),
            "s3:GetObject",
            "arn:aws:s3:::amzn-s3-demo-bucket/sales/a",
            &[]
        ),
        ImplicitDeny
    );
}

#[test]
fn policy_variables_user_folder() {
    let policy = || {
        json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
             "Resource": ["arn:aws:s3:::amzn-s3-demo-bucket/${aws:username}/*"]}
        ]})
    };
    let david: &[(&str, &[&str])] = &[("aws:username", &["david"])];
    assert_eq!(
        decide(
            policy(),
            "s3:GetObject",
            "arn:aws:s3:::amzn-s3-demo-bucket/david/a",
            david
        ),
        Allow
    );
    assert_eq!(
        decide(
            policy(),
            "s3:GetObject",
            "arn:aws:s3:::amzn-s3-demo-bucket/maria/a",
            david
        ),
        ImplicitDeny
    );
    // Roles have no aws:username ("(not present)"): "any attempt to match it
    // fails".
    assert_eq!(
        decide(
            policy(),
            "s3:GetObject",
            "arn:aws:s3:::amzn-s3-demo-bucket//a",
            &[]
        ),
        ImplicitDeny
    );
}

#[test]
fn policy_variables_no_value_in_a_condition_denies() {
    // "Access is explicitly denied when aws:principaltag/Team is not set."
    let policy = || {
        json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*",
             "Condition": {"StringNotEquals": {"s3:ExistingObjectTag/Team": "${aws:PrincipalTag/Team}"}}}
        ]})
    };
    let object = "arn:aws:s3:::amzn-s3-demo-bucket/a";
    let tagged: &[(&str, &[&str])] = &[("s3:ExistingObjectTag/Team", &["blue"])];
    assert_eq!(
        decide(policy(), "s3:GetObject", object, tagged),
        ExplicitDeny
    );
    let blue: &[(&str, &[&str])] = &[
        ("s3:ExistingObjectTag/Team", &["blue"]),
        ("aws:PrincipalTag/Team", &["blue"]),
    ];
    assert_eq!(decide(policy(), "s3:GetObject", object, blue), ImplicitDeny);
    let red: &[(&str, &[&str])] = &[
        ("s3:ExistingObjectTag/Team", &["blue"]),
        ("aws:PrincipalTag/Team", &["red"]),
    ];
    assert_eq!(decide(policy(), "s3:GetObject", object, red), ExplicitDeny);
}

#[test]
fn policy_variables_default_value() {
    let policy = || {
        json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::amzn-s3-demo-bucket-${aws:PrincipalTag/team, 'company-wide'}"}})
    };
    let yellow: &[(&str, &[&str])] = &[("aws:PrincipalTag/team", &["yellow"])];
    assert_eq!(
        decide(
            policy(),
            "s3:GetObject",
            "arn:aws:s3:::amzn-s3-demo-bucket-yellow",
            yellow
        ),
        Allow
    );
    assert_eq!(
        decide(
            policy(),
            "s3:GetObject",
            "arn:aws:s3:::amzn-s3-demo-bucket-company-wide",
            yellow
        ),
        ImplicitDeny
    );
    assert_eq!(
        decide(
            policy(),
            "s3:GetObject",
            "arn:aws:s3:::amzn-s3-demo-bucket-company-wide",
            &[]
        ),
        Allow
    );
}

#[test]
fn policy_variables_special_characters() {
    // "${*} - use where you need an * (asterisk) character."
    let policy = || {
        json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::b/${*}${?}${$}"}})
    };
    assert_eq!(
        decide(policy(), "s3:GetObject", "arn:aws:s3:::b/*?$", &[]),
        Allow
    );
    assert_eq!(
        decide(policy(), "s3:GetObject", "arn:aws:s3:::b/ab$", &[]),
        ImplicitDeny
    );
}

// --- "Multivalued context keys examples" --------------------------------------

#[test]
fn multivalued_deny_unless_every_tag_key_is_key1() {
    let policy = || {
        json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "iam:*", "Resource": "*"},
            {"Sid": "DenyRestrictedTags", "Effect": "Deny", "Action": ["iam:Tag*", "iam:UnTag*"],
             "Resource": ["*"], "Condition": {"ForAllValues:StringNotLike": {"aws:TagKeys": "key1*"}}}
        ]})
    };
    let tag = |keys: &[&str]| decide(policy(), "iam:TagRole", "*", &[("aws:TagKeys", keys)]);
    assert_eq!(tag(&["key1:legal"]), Allow);
    assert_eq!(tag(&["key1:hr", "key1:personnel"]), Allow);
    assert_eq!(tag(&["key2:audit"]), ExplicitDeny);
    // "No aws:TagKeys in the request context": match, so denied.
    assert_eq!(decide(policy(), "iam:TagRole", "*", &[]), ExplicitDeny);
}

// --- Where the differential test's peer decides otherwise (PEER.md) ----------

#[test]
fn peer_bug_negated_operator_with_a_variable_without_value() {
    // Variables page: "Inverted condition operators like StringNotEquals or
    // StringNotLike do match against a null value".
    let policy = json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject",
        "Resource": "*", "Condition": {"StringNotLike": {"aws:PrincipalTag/team": "${aws:username}"}}}});
    let context: &[(&str, &[&str])] = &[("aws:PrincipalTag/team", &["blue"])];
    assert_eq!(
        decide(policy, "s3:GetObject", "arn:aws:s3:::media/a", context),
        Allow
    );
}

#[test]
fn open_not_resource_with_a_variable_without_value() {
    // Variables page: a variable with no value "used as part of the Resource
    // or NotResource element ... will not match any resource". For
    // `NotResource`, whether the entry then excludes nothing (the statement
    // applies) or the element matches nothing (it does not) the page does
    // not say: idpc does not answer, unless the resource is surely excluded.
    let policy = || {
        json!({"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "s3:GetObject",
            "NotResource": ["arn:aws:s3:::media/private/${cognito-identity.amazonaws.com:sub}/*",
                            "arn:aws:s3:::media/public/*"]}})
    };
    let private = "arn:aws:s3:::media/private/x/a";
    assert_eq!(
        decide(policy(), "s3:GetObject", private, &[]),
        Decision::Unknown
    );
    assert_eq!(
        decide(policy(), "s3:GetObject", "arn:aws:s3:::media/public/a", &[]),
        ImplicitDeny
    );
    let own: &[(&str, &[&str])] = &[("cognito-identity.amazonaws.com:sub", &["x"])];
    assert_eq!(decide(policy(), "s3:GetObject", private, own), ImplicitDeny);
    let other: &[(&str, &[&str])] = &[("cognito-identity.amazonaws.com:sub", &["y"])];
    assert_eq!(
        decide(policy(), "s3:GetObject", private, other),
        ExplicitDeny
    );
}

#[test]
fn open_for_any_value_if_exists_on_a_missing_key() {
    // Operators page: "You can add IfExists to the end of any condition
    // operator name except the Null condition ... If the key is not present,
    // evaluate the condition element as true." AWS re:Post ("ForAnyValue:
    // StringEqualsIfExists behaving unexpectedly"): a missing aws:TagKeys
    // was denied. The sources disagree: idpc does not answer.
    let policy = || {
        json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject",
            "Resource": "*", "Condition": {"ForAnyValue:StringEqualsIfExists": {"aws:TagKeys": "team"}}}})
    };
    let object = "arn:aws:s3:::media/a";
    assert_eq!(
        decide(policy(), "s3:GetObject", object, &[]),
        Decision::Unknown
    );
    assert_eq!(
        decide(
            policy(),
            "s3:GetObject",
            object,
            &[("aws:TagKeys", &["team"])]
        ),
        Allow
    );
    assert_eq!(
        decide(
            policy(),
            "s3:GetObject",
            object,
            &[("aws:TagKeys", &["cost"])]
        ),
        ImplicitDeny
    );
}

#[test]
fn peer_bug_epoch_numbers_are_seconds() {
    // "AWS global condition context keys", aws:EpochTime: "This key also
    // accepts the number of seconds since January 1, 1970"
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-epochtime);
    // the operators page: "in epoch (UNIX) time".
    let policy = |operator: &str, key: &str, value: &str| {
        json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject",
            "Resource": "*", "Condition": {operator: {key: value}}}})
    };
    let object = "arn:aws:s3:::media/a";
    let new_year: &[(&str, &[&str])] = &[("aws:CurrentTime", &["2026-01-01T00:00:00Z"])];
    let equal = policy("DateEquals", "aws:CurrentTime", "1767225600");
    assert_eq!(decide(equal, "s3:GetObject", object, new_year), Allow);
    let as_millis = policy("DateEquals", "aws:CurrentTime", "1767225600000");
    assert_eq!(
        decide(as_millis, "s3:GetObject", object, new_year),
        ImplicitDeny
    );
    let epoch: &[(&str, &[&str])] = &[("aws:EpochTime", &["1767225600"])];
    let after = policy("DateGreaterThan", "aws:EpochTime", "2020-01-01T00:00:00Z");
    assert_eq!(decide(after, "s3:GetObject", object, epoch), Allow);
}

#[test]
fn peer_bug_not_ip_address_bare_ipv4_against_an_ipv6_request() {
    // Operators page: an address without prefix is "/32"; an IPv6 address is
    // in no IPv4 range, so NotIpAddress holds.
    let policy = json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject",
        "Resource": "*", "Condition": {"NotIpAddress": {"aws:SourceIp": "192.0.2.1"}}}});
    let context: &[(&str, &[&str])] = &[("aws:SourceIp", &["2001:db8::5"])];
    assert_eq!(
        decide(policy, "s3:GetObject", "arn:aws:s3:::media/a", context),
        Allow
    );
}
