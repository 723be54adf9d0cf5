//! Each operator on the examples of "IAM JSON policy elements: Condition
//! operators" (the "operators page",
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html>)
//! and of the multivalued-key pages it links to.

use super::*;

fn condition(operator: &str, key: &str, values: &[&str]) -> Condition {
    Condition {
        operator: operator.into(),
        key: key.into(),
        values: values.iter().map(|v| Text::parse(v)).collect(),
    }
}

fn context(entries: &[(&str, &[&str])]) -> Context {
    let mut context = Context::new();
    for (key, values) in entries {
        context.set(key, values.iter().map(|v| Concrete::literal(v)).collect());
    }
    context
}

/// The condition on a request where `key` has the one value `value`.
fn on(operator: &str, key: &str, values: &[&str], value: &str) -> Tri {
    holds(
        &condition(operator, key, values),
        &context(&[(key, &[value])]),
    )
}

/// The condition on a request without the key.
fn missing(operator: &str, values: &[&str]) -> Tri {
    holds(&condition(operator, "k", values), &Context::new())
}

#[test]
fn string_equals_is_exact_and_case_sensitive() {
    // Operators page, String: `aws:PrincipalTag/job-category` = `iamuser-admin`.
    let key = "aws:PrincipalTag/job-category";
    assert_eq!(
        on("StringEquals", key, &["iamuser-admin"], "iamuser-admin"),
        Tri::Yes
    );
    assert_eq!(
        on("StringEquals", key, &["iamuser-admin"], "IAMuser-admin"),
        Tri::No
    );
    assert_eq!(
        on("StringEquals", key, &["iamuser-*"], "iamuser-admin"),
        Tri::No
    );
    // "If a user without the tag attempts ... the condition returns false".
    assert_eq!(missing("StringEquals", &["iamuser-admin"]), Tri::No);
    assert_eq!(
        on("StringNotEquals", key, &["iamuser-admin"], "dev"),
        Tri::Yes
    );
    assert_eq!(
        on("StringNotEquals", key, &["iamuser-admin"], "iamuser-admin"),
        Tri::No
    );
}

#[test]
fn ignore_case_operators_compare_without_case() {
    assert_eq!(
        on("StringEqualsIgnoreCase", "k", &["Admin"], "aDMIN"),
        Tri::Yes
    );
    assert_eq!(
        on("StringEqualsIgnoreCase", "k", &["Admin"], "admins"),
        Tri::No
    );
    assert_eq!(
        on("StringNotEqualsIgnoreCase", "k", &["Admin"], "ADMIN"),
        Tri::No
    );
    assert_eq!(
        on("StringNotEqualsIgnoreCase", "k", &["Admin"], "user"),
        Tri::Yes
    );
}

#[test]
fn string_like_home_directory_example() {
    // Operators page, String: `s3:prefix` like "", "home/", "home/${aws:username}/".
    let c = condition(
        "StringLike",
        "s3:prefix",
        &["", "home/", "home/${aws:username}/"],
    );
    let request = |prefix: &str| context(&[("s3:prefix", &[prefix]), ("aws:username", &["bob"])]);
    assert_eq!(holds(&c, &request("")), Tri::Yes);
    assert_eq!(holds(&c, &request("home/")), Tri::Yes);
    assert_eq!(holds(&c, &request("home/bob/")), Tri::Yes);
    assert_eq!(holds(&c, &request("home/alice/")), Tri::No);
    assert_eq!(on("StringLike", "k", &["t?.*"], "t2.micro"), Tri::Yes);
    assert_eq!(on("StringLike", "k", &["t?.*"], "t22.micro"), Tri::No);
    assert_eq!(on("StringNotLike", "k", &["t?.*"], "m3.large"), Tri::Yes);
}

#[test]
fn negated_operators_nor_their_values() {
    // "Conditions with multiple context keys or values": a negated
    // operator's values are a logical NOR.
    let values = &["audit", "security"];
    let key = "aws:PrincipalTag/role";
    assert_eq!(on("StringNotEquals", key, values, "audit"), Tri::No);
    assert_eq!(on("StringNotEquals", key, values, "security"), Tri::No);
    assert_eq!(on("StringNotEquals", key, values, "dev"), Tri::Yes);
}

#[test]
fn numeric_operators_compare_numbers() {
    // Operators page, Numeric: `s3:max-keys` at most 10.
    let key = "s3:max-keys";
    assert_eq!(on("NumericLessThanEquals", key, &["10"], "10"), Tri::Yes);
    assert_eq!(on("NumericLessThanEquals", key, &["10"], "9"), Tri::Yes);
    assert_eq!(on("NumericLessThanEquals", key, &["10"], "11"), Tri::No);
    assert_eq!(on("NumericLessThan", key, &["10"], "10"), Tri::No);
    assert_eq!(on("NumericGreaterThan", key, &["10"], "10.5"), Tri::Yes);
    assert_eq!(
        on("NumericGreaterThanEquals", key, &["10"], "10.0"),
        Tri::Yes
    );
    assert_eq!(on("NumericEquals", key, &["10"], "010"), Tri::Yes);
    assert_eq!(on("NumericNotEquals", key, &["10", "20"], "20"), Tri::No);
    assert_eq!(on("NumericNotEquals", key, &["10", "20"], "30"), Tri::Yes);
    // Text that is not a number: IAM would not take it; idpc does not know.
    assert_eq!(on("NumericEquals", key, &["ten"], "10"), Tri::Unknown);
    assert_eq!(on("NumericEquals", key, &["10"], "ten"), Tri::Unknown);
    // "You can not use a policy variable with the Numeric condition operator".
    let c = condition("NumericEquals", key, &["${aws:username}"]);
    let ctx = context(&[(key, &["10"]), ("aws:username", &["10"])]);
    assert_eq!(holds(&c, &ctx), Tri::Unknown);
}

#[test]
fn date_operators_compare_instants() {
    // Operators page, Date: credentials issued after 2020-01-01T00:00:01Z.
    let key = "aws:TokenIssueTime";
    let after = &["2020-01-01T00:00:01Z"];
    assert_eq!(
        on("DateGreaterThan", key, after, "2020-06-01T00:00:00Z"),
        Tri::Yes
    );
    assert_eq!(
        on("DateGreaterThan", key, after, "2020-01-01T00:00:01Z"),
        Tri::No
    );
    assert_eq!(
        on("DateGreaterThanEquals", key, after, "2020-01-01T00:00:01Z"),
        Tri::Yes
    );
    assert_eq!(
        on("DateLessThan", key, after, "2019-12-31T23:59:59Z"),
        Tri::Yes
    );
    assert_eq!(
        on(
            "DateLessThanEquals",
            key,
            after,
            "2020-01-01T01:00:01+01:00"
        ),
        Tri::Yes
    );
    // Epoch seconds and ISO 8601 name the same instant.
    assert_eq!(on("DateEquals", key, after, "1577836801"), Tri::Yes);
    assert_eq!(on("DateNotEquals", key, after, "1577836801"), Tri::No);
    assert_eq!(on("DateNotEquals", key, after, "1577836802"), Tri::Yes);
    // "The aws:TokenIssueTime key is present ... only when the principal
    // uses temporary credentials": without it, the condition is false.
    assert_eq!(missing("DateGreaterThan", after), Tri::No);
    // "Wildcards are not permitted for date condition operators".
    assert_eq!(
        on("DateEquals", key, &["2020-*"], "2020-01-01T00:00:00Z"),
        Tri::Unknown
    );
}

#[test]
fn bool_secure_transport_example() {
    // Operators page, Boolean: deny when `aws:SecureTransport` is false.
    let key = "aws:SecureTransport";
    assert_eq!(on("Bool", key, &["false"], "false"), Tri::Yes);
    assert_eq!(on("Bool", key, &["false"], "true"), Tri::No);
    assert_eq!(missing("Bool", &["false"]), Tri::No);
    // Case differences the page does not settle.
    assert_eq!(on("Bool", key, &["false"], "False"), Tri::Unknown);
    // "You can use a policy variable with the Boolean condition operator".
    let c = condition("Bool", key, &["${aws:MultiFactorAuthPresent}"]);
    let ctx = context(&[(key, &["true"]), ("aws:MultiFactorAuthPresent", &["true"])]);
    assert_eq!(holds(&c, &ctx), Tri::Yes);
}

#[test]
fn binary_equals_compares_bytes() {
    // Operators page, Binary: "QmluYXJ5VmFsdWVJbkJhc2U2NA==".
    let value = &["QmluYXJ5VmFsdWVJbkJhc2U2NA=="];
    assert_eq!(
        on("BinaryEquals", "key", value, "QmluYXJ5VmFsdWVJbkJhc2U2NA=="),
        Tri::Yes
    );
    assert_eq!(on("BinaryEquals", "key", value, "QQ=="), Tri::No);
    assert_eq!(
        on("BinaryEquals", "key", value, "not base 64"),
        Tri::Unknown
    );
    assert_eq!(missing("BinaryEquals", value), Tri::No);
}

#[test]
fn ip_address_ranges() {
    // Operators page, IP address: 203.0.113.0/24, and IPv4 with IPv6.
    let key = "aws:SourceIp";
    let range = &["203.0.113.0/24"];
    assert_eq!(on("IpAddress", key, range, "203.0.113.0"), Tri::Yes);
    assert_eq!(on("IpAddress", key, range, "203.0.113.255"), Tri::Yes);
    assert_eq!(on("IpAddress", key, range, "203.0.114.1"), Tri::No);
    assert_eq!(on("NotIpAddress", key, range, "203.0.114.1"), Tri::Yes);
    assert_eq!(on("NotIpAddress", key, range, "203.0.113.9"), Tri::No);
    let mixed = &["203.0.113.0/24", "2001:DB8:1234:5678::/64"];
    assert_eq!(
        on("IpAddress", key, mixed, "2001:db8:1234:5678::1"),
        Tri::Yes
    );
    assert_eq!(
        on("IpAddress", key, mixed, "2001:db8:1234:5679::1"),
        Tri::No
    );
    // "without the associated routing prefix, IAM uses ... /32".
    assert_eq!(
        on("IpAddress", key, &["203.0.113.7"], "203.0.113.7"),
        Tri::Yes
    );
    assert_eq!(
        on("IpAddress", key, &["203.0.113.7"], "203.0.113.8"),
        Tri::No
    );
    // An IPv6 address alone: the page gives no prefix.
    assert_eq!(
        on("IpAddress", key, &["2001:db8::1"], "2001:db8::1"),
        Tri::Yes
    );
    assert_eq!(
        on("IpAddress", key, &["2001:db8::1"], "2001:db8::2"),
        Tri::Unknown
    );
    assert_eq!(
        on("IpAddress", key, &["2001:db8::1"], "203.0.113.8"),
        Tri::No
    );
    assert_eq!(on("IpAddress", key, range, "not an address"), Tri::Unknown);
}

#[test]
fn arn_operators_match_component_by_component() {
    // Operators page, ARN: StringLike matches, ArnLike does not.
    let pattern = &["arn:aws:someservice:*:111122223333:finance/*"];
    let value =
        "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt";
    assert_eq!(on("StringLike", "aws:SourceArn", pattern, value), Tri::Yes);
    assert_eq!(on("ArnLike", "aws:SourceArn", pattern, value), Tri::No);
    assert_eq!(on("ArnNotLike", "aws:SourceArn", pattern, value), Tri::Yes);
    let ok = "arn:aws:someservice:us-east-2:111122223333:finance/a:b";
    assert_eq!(on("ArnLike", "aws:SourceArn", pattern, ok), Tri::Yes);
    // The SQS example: ArnEquals, which behaves as ArnLike.
    let topic = &["arn:aws:sns:us-east-1:123456789012:TOPIC-ID"];
    let sent = "arn:aws:sns:us-east-1:123456789012:TOPIC-ID";
    assert_eq!(on("ArnEquals", "aws:SourceArn", topic, sent), Tri::Yes);
    assert_eq!(
        on("ArnEquals", "aws:SourceArn", &["arn:aws:sns:*:*:*"], sent),
        Tri::Yes
    );
    assert_eq!(on("ArnNotEquals", "aws:SourceArn", topic, sent), Tri::No);
    // Case-sensitive.
    assert_eq!(
        on(
            "ArnEquals",
            "aws:SourceArn",
            &["arn:aws:sns:*:*:topic-id"],
            sent
        ),
        Tri::No
    );
    // A value that is not an ARN matches no ARN.
    assert_eq!(on("ArnLike", "aws:SourceArn", topic, "TOPIC-ID"), Tri::No);
    // "If an IAM user attempts to perform this operation directly, the
    // condition returns false".
    assert_eq!(missing("ArnEquals", topic), Tri::No);
    assert_eq!(missing("ArnNotEquals", topic), Tri::Yes);
}

#[test]
fn arn_with_deploy_time_values() {
    let c = condition("ArnLike", "aws:SourceArn", &["arn:aws:sns:*:*:alerts"]);
    let mut whole = Concrete::default();
    whole.push_opaque("$(Topic.Arn)");
    assert_eq!(holds(&c, &with(&whole)), Tri::Unknown);
    let mut named = Concrete::literal("arn:aws:sns:us-east-1:1:");
    named.push_opaque("$(Topic.TopicName)");
    assert_eq!(holds(&c, &with(&named)), Tri::Unknown);
    let other = Concrete::literal("arn:aws:sqs:us-east-1:1:alerts");
    assert_eq!(holds(&c, &with(&other)), Tri::No);
    let mut surely_not = Concrete::literal("arn:aws:sqs:");
    surely_not.push_opaque("$(AWS::Region)");
    surely_not.push_str(":1:alerts");
    assert_eq!(holds(&c, &with(&surely_not)), Tri::No);

    fn with(value: &Concrete) -> Context {
        let mut ctx = Context::new();
        ctx.set("aws:SourceArn", vec![value.clone()]);
        ctx
    }
}

#[test]
fn if_exists_holds_without_the_key() {
    // Operators page, ...IfExists: `StringLikeIfExists` on `ec2:InstanceType`.
    let types = &["t1.*", "t2.*", "m3.*"];
    let key = "ec2:InstanceType";
    assert_eq!(missing("StringLikeIfExists", types), Tri::Yes);
    assert_eq!(missing("StringLike", types), Tri::No);
    assert_eq!(on("StringLikeIfExists", key, types, "t2.micro"), Tri::Yes);
    assert_eq!(on("StringLikeIfExists", key, types, "c5.large"), Tri::No);
    // "a negated condition operator like StringNotEqualsIfExists ... still
    // denied even if the tag is missing".
    assert_eq!(missing("StringNotEqualsIfExists", &["x"]), Tri::Yes);
    assert_eq!(missing("NumericLessThanIfExists", &["3"]), Tri::Yes);
    assert_eq!(
        missing("ForAllValues:StringEqualsIfExists", &["x"]),
        Tri::Yes
    );
    // The page says true; AWS answered false on re:Post: open.
    assert_eq!(
        missing("ForAnyValue:StringEqualsIfExists", &["x"]),
        Tri::Unknown
    );
    let tags = context(&[("aws:TagKeys", &["team"])]);
    let c = condition("ForAnyValue:StringEqualsIfExists", "aws:TagKeys", &["team"]);
    assert_eq!(holds(&c, &tags), Tri::Yes);
}

#[test]
fn null_checks_whether_the_key_is_there() {
    // Operators page, Null: `aws:TokenIssueTime` must not exist.
    let c = condition("Null", "aws:TokenIssueTime", &["true"]);
    assert_eq!(holds(&c, &Context::new()), Tri::Yes);
    let ctx = context(&[("aws:TokenIssueTime", &["2020-01-01T00:00:00Z"])]);
    assert_eq!(holds(&c, &ctx), Tri::No);
    let c = condition("Null", "aws:TokenIssueTime", &["false"]);
    assert_eq!(holds(&c, &ctx), Tri::Yes);
    assert_eq!(holds(&c, &Context::new()), Tri::No);
    // "You can add IfExists to the end of any condition operator name
    // except the Null condition".
    assert_eq!(missing("NullIfExists", &["true"]), Tri::Unknown);
    assert_eq!(missing("Null", &["maybe"]), Tri::Unknown);
}

#[test]
fn missing_keys_make_negated_operators_true() {
    // Operators page, "Important": a missing key makes the condition false,
    // and true for an operator that requires the key is not matched.
    for negated in [
        "StringNotEquals",
        "StringNotEqualsIgnoreCase",
        "StringNotLike",
        "NumericNotEquals",
        "DateNotEquals",
        "NotIpAddress",
        "ArnNotEquals",
        "ArnNotLike",
    ] {
        assert_eq!(missing(negated, &["1"]), Tri::Yes, "{negated}");
    }
    for positive in [
        "StringEquals",
        "StringEqualsIgnoreCase",
        "StringLike",
        "NumericEquals",
        "NumericLessThan",
        "DateEquals",
        "DateGreaterThan",
        "Bool",
        "BinaryEquals",
        "IpAddress",
        "ArnEquals",
        "ArnLike",
    ] {
        assert_eq!(missing(positive, &["1"]), Tri::No, "{positive}");
    }
}

#[test]
fn for_all_values_dynamodb_attributes_example() {
    // "Creating a condition with multiple keys or values": only
    // PostDateTime, Message and Tags may be requested.
    let allowed = &["PostDateTime", "Message", "Tags"];
    let c = condition(
        "ForAllValues:StringLike",
        "dynamodb:requestedAttributes",
        allowed,
    );
    let asked = |attrs: &[&str]| holds(&c, &context(&[("dynamodb:requestedAttributes", attrs)]));
    assert_eq!(asked(&["PostDateTime", "Message"]), Tri::Yes);
    assert_eq!(asked(&["PostDateTime", "UserName"]), Tri::No);
    // "an empty data set ... ForAllValues returns true".
    assert_eq!(asked(&[]), Tri::Yes);
    assert_eq!(holds(&c, &Context::new()), Tri::Yes);
}

#[test]
fn for_any_value_dynamodb_attributes_example() {
    // Same page: deny PutItem on ID or PostDateTime.
    let c = condition(
        "ForAnyValue:StringLike",
        "dynamodb:requestedAttributes",
        &["ID", "PostDateTime"],
    );
    let asked = |attrs: &[&str]| holds(&c, &context(&[("dynamodb:requestedAttributes", attrs)]));
    assert_eq!(asked(&["UserName", "Message", "PostDateTime"]), Tri::Yes);
    assert_eq!(asked(&["UserName"]), Tri::No);
    assert_eq!(asked(&[]), Tri::No);
    assert_eq!(holds(&c, &Context::new()), Tri::No);
}

#[test]
fn for_all_values_with_a_negated_operator() {
    // "Multivalued context keys examples": deny unless every tag key
    // starts with key1.
    let c = condition("ForAllValues:StringNotLike", "aws:TagKeys", &["key1*"]);
    let tags = |keys: &[&str]| holds(&c, &context(&[("aws:TagKeys", keys)]));
    assert_eq!(tags(&["key1:legal"]), Tri::No);
    assert_eq!(tags(&["key1:hr", "key1:personnel"]), Tri::No);
    assert_eq!(tags(&["key2:audit"]), Tri::Yes);
    assert_eq!(holds(&c, &Context::new()), Tri::Yes);
    // ForAnyValue with a negated operator: some value matches none.
    let c = condition("ForAnyValue:StringNotEquals", "aws:TagKeys", &["a", "b"]);
    let tags = |keys: &[&str]| holds(&c, &context(&[("aws:TagKeys", keys)]));
    assert_eq!(tags(&["a", "b"]), Tri::No);
    assert_eq!(tags(&["a", "c"]), Tri::Yes);
    assert_eq!(holds(&c, &Context::new()), Tri::No);
}

#[test]
fn one_empty_string_under_a_set_qualifier() {
    // Whether "" is a value or the empty set the page leaves open: idpc
    // answers only when both readings agree.
    let any = condition("ForAnyValue:StringEquals", "aws:TagKeys", &["a"]);
    let ctx = context(&[("aws:TagKeys", &[""])]);
    assert_eq!(holds(&any, &ctx), Tri::No);
    let any_empty = condition("ForAnyValue:StringEquals", "aws:TagKeys", &[""]);
    assert_eq!(holds(&any_empty, &ctx), Tri::Unknown);
    let all = condition("ForAllValues:StringEquals", "aws:TagKeys", &[""]);
    assert_eq!(holds(&all, &ctx), Tri::Yes);
}

#[test]
fn several_values_without_a_set_qualifier_are_unknown() {
    let c = condition("StringEquals", "aws:TagKeys", &["a"]);
    assert_eq!(
        holds(&c, &context(&[("aws:TagKeys", &["a", "b"])])),
        Tri::Unknown
    );
    assert_eq!(holds(&c, &context(&[("aws:TagKeys", &["a"])])), Tri::Yes);
}

#[test]
fn policy_variables_without_value_match_nothing() {
    // "Policy variables with no value": the value that holds the variable
    // matches nothing; a default stands in for it.
    let c = condition("StringEquals", "s3:prefix", &["home/${aws:username}/"]);
    let ctx = context(&[("s3:prefix", &["home//"])]);
    assert_eq!(holds(&c, &ctx), Tri::No);
    let c = condition("StringNotEquals", "s3:prefix", &["home/${aws:username}/"]);
    assert_eq!(holds(&c, &ctx), Tri::Yes);
    let c = condition(
        "StringEquals",
        "s3:prefix",
        &["home/${aws:username, 'anon'}/"],
    );
    assert_eq!(
        holds(&c, &context(&[("s3:prefix", &["home/anon/"])])),
        Tri::Yes
    );
    // A multivalued key is no variable (IAM substitutes single values).
    let c = condition("StringEquals", "s3:prefix", &["${aws:TagKeys}"]);
    let ctx = context(&[("s3:prefix", &["a"]), ("aws:TagKeys", &["a", "b"])]);
    assert_eq!(holds(&c, &ctx), Tri::No);
}

#[test]
fn keys_compare_ignoring_case() {
    let c = condition("StringEquals", "AWS:PrincipalTag/Team", &["blue"]);
    assert_eq!(
        holds(&c, &context(&[("aws:principaltag/team", &["blue"])])),
        Tri::Yes
    );
}

#[test]
fn unknown_operators_and_unknown_keys_are_unknown() {
    assert_eq!(on("StringEqualz", "k", &["a"], "a"), Tri::Unknown);
    assert_eq!(
        on("ForSomeValues:StringEquals", "k", &["a"], "a"),
        Tri::Unknown
    );
    assert_eq!(on("stringequals", "k", &["a"], "a"), Tri::Unknown);
    let mut ctx = Context::new();
    ctx.set_unknown("k");
    assert_eq!(
        holds(&condition("StringEquals", "k", &["a"]), &ctx),
        Tri::Unknown
    );
    assert_eq!(
        holds(&condition("Null", "k", &["true"]), &ctx),
        Tri::Unknown
    );
    // A variable whose value idpc does not know.
    let mut ctx = context(&[("k", &["a"])]);
    ctx.set_unknown("aws:username");
    let c = condition("StringEquals", "k", &["${aws:username}"]);
    assert_eq!(holds(&c, &ctx), Tri::Unknown);
}

#[test]
fn deploy_time_values_leave_comparisons_open() {
    let mut value = Concrete::literal("media-");
    value.push_opaque("$(Stage)");
    let mut ctx = Context::new();
    ctx.set("k", vec![value]);
    assert_eq!(
        holds(&condition("StringEquals", "k", &["media-prod"]), &ctx),
        Tri::Unknown
    );
    assert_eq!(
        holds(&condition("StringLike", "k", &["media-*"]), &ctx),
        Tri::Yes
    );
    assert_eq!(
        holds(&condition("StringLike", "k", &["logs-*"]), &ctx),
        Tri::No
    );
    assert_eq!(
        holds(&condition("NumericEquals", "k", &["1"]), &ctx),
        Tri::Unknown
    );
    let mut opaque = Text::literal("media-");
    opaque.pieces.push(Piece::Opaque("$(Stage)".into()));
    let c = Condition {
        operator: "NumericEquals".into(),
        key: "n".into(),
        values: vec![opaque],
    };
    assert_eq!(holds(&c, &context(&[("n", &["1"])])), Tri::Unknown);
}
