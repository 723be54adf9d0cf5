//! What the checker knows about each kind of resource: its CloudFormation
//! type, the attributes `Fn::GetAtt` can read, and how to name its ARN.

use crate::syntax::ast::Kind;

/// How a resource's ARN is obtained in CloudFormation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArnSource {
    /// `Fn::GetAtt [Name, Arn]`.
    GetAttArn,
    /// `Ref Name` returns the ARN.
    Ref,
    /// Built from parts: `arn:<partition>:<service>:<region>:<account>:<prefix><Ref Name>`.
    /// `regional` is false for global services (empty region and account).
    Built {
        /// The ARN's service segment, such as `execute-api`.
        service: &'static str,
        /// What precedes the `Ref` in the resource part, such as `identitypool/`.
        prefix: &'static str,
    },
    /// The resource has no ARN an IAM policy can name.
    None,
}

/// Facts about a kind.
#[derive(Clone, Copy, Debug)]
pub struct KindInfo {
    /// The kind.
    pub kind: Kind,
    /// Its CloudFormation type.
    pub cfn_type: &'static str,
    /// The attributes `Fn::GetAtt` accepts for that type.
    pub attributes: &'static [&'static str],
    /// How its ARN is written.
    pub arn: ArnSource,
    /// What joins the ARN and a path (`Name/path`): `/` for almost all;
    /// CloudWatch Logs names log streams after a `:`.
    pub path_separator: &'static str,
}

const fn info(
    kind: Kind,
    cfn_type: &'static str,
    attributes: &'static [&'static str],
    arn: ArnSource,
) -> KindInfo {
    KindInfo {
        kind,
        cfn_type,
        attributes,
        arn,
        path_separator: "/",
    }
}

/// The facts, one row per kind. Attributes are those of the CloudFormation
/// resource reference ("Return values" of each type).
const KINDS: [KindInfo; 23] = [
    info(
        Kind::UserPool,
        "AWS::Cognito::UserPool",
        &["Arn", "ProviderName", "ProviderURL", "UserPoolId"],
        ArnSource::GetAttArn,
    ),
    info(
        Kind::UserPoolClient,
        "AWS::Cognito::UserPoolClient",
        &["ClientId", "ClientSecret", "Name"],
        ArnSource::None,
    ),
    info(
        Kind::Bucket,
        "AWS::S3::Bucket",
        &[
            "Arn",
            "DomainName",
            "DualStackDomainName",
            "RegionalDomainName",
            "WebsiteURL",
        ],
        ArnSource::GetAttArn,
    ),
    info(
        Kind::Table,
        "AWS::DynamoDB::Table",
        &["Arn", "StreamArn"],
        ArnSource::GetAttArn,
    ),
    info(
        Kind::RestApi,
        "AWS::ApiGateway::RestApi",
        &["RestApiId", "RootResourceId"],
        ArnSource::Built {
            service: "execute-api",
            prefix: "",
        },
    ),
    info(
        Kind::HttpApi,
        "AWS::ApiGatewayV2::Api",
        &["ApiEndpoint", "ApiId"],
        ArnSource::Built {
            service: "execute-api",
            prefix: "",
        },
    ),
    info(
        Kind::Function,
        "AWS::Lambda::Function",
        &[
            "Arn",
            "SnapStartResponse.ApplyOn",
            "SnapStartResponse.OptimizationStatus",
        ],
        ArnSource::GetAttArn,
    ),
    info(
        Kind::Topic,
        "AWS::SNS::Topic",
        &["TopicArn", "TopicName"],
        ArnSource::Ref,
    ),
    info(
        Kind::Queue,
        "AWS::SQS::Queue",
        &["Arn", "QueueName", "QueueUrl"],
        ArnSource::GetAttArn,
    ),
    info(
        Kind::Stream,
        "AWS::Kinesis::Stream",
        &["Arn"],
        ArnSource::GetAttArn,
    ),
    info(
        Kind::GraphqlApi,
        "AWS::AppSync::GraphQLApi",
        &[
            "ApiId",
            "Arn",
            "GraphQLDns",
            "GraphQLEndpointArn",
            "GraphQLUrl",
            "RealtimeDns",
            "RealtimeUrl",
        ],
        ArnSource::GetAttArn,
    ),
    info(
        Kind::StateMachine,
        "AWS::StepFunctions::StateMachine",
        &["Arn", "Name", "StateMachineRevisionId"],
        ArnSource::Ref,
    ),
    info(
        Kind::Secret,
        "AWS::SecretsManager::Secret",
        &["Id"],
        ArnSource::Ref,
    ),
    info(
        Kind::Key,
        "AWS::KMS::Key",
        &["Arn", "KeyId"],
        ArnSource::GetAttArn,
    ),
    KindInfo {
        kind: Kind::LogGroup,
        cfn_type: "AWS::Logs::LogGroup",
        attributes: &["Arn"],
        arn: ArnSource::Built {
            service: "logs",
            prefix: "log-group:",
        },
        path_separator: ":",
    },
    info(
        Kind::EventBus,
        "AWS::Events::EventBus",
        &["Arn", "Name", "Policy"],
        ArnSource::GetAttArn,
    ),
    // "AWS::IAM::ManagedPolicy", Return values: `Ref` returns the ARN.
    info(
        Kind::ManagedPolicy,
        "AWS::IAM::ManagedPolicy",
        &[
            "AttachmentCount",
            "CreateDate",
            "DefaultVersionId",
            "IsAttachable",
            "PermissionsBoundaryUsageCount",
            "PolicyArn",
            "PolicyId",
            "UpdateDate",
        ],
        ArnSource::Ref,
    ),
    info(
        Kind::Map,
        "AWS::Location::Map",
        &["Arn", "CreateTime", "DataSource", "MapArn", "UpdateTime"],
        ArnSource::GetAttArn,
    ),
    info(
        Kind::PlaceIndex,
        "AWS::Location::PlaceIndex",
        &["Arn", "CreateTime", "IndexArn", "UpdateTime"],
        ArnSource::GetAttArn,
    ),
    info(
        Kind::Role,
        "AWS::IAM::Role",
        &["Arn", "RoleId"],
        ArnSource::GetAttArn,
    ),
    info(
        Kind::IdentityPool,
        "AWS::Cognito::IdentityPool",
        &["Id", "Name"],
        ArnSource::Built {
            service: "cognito-identity",
            prefix: "identitypool/",
        },
    ),
    info(
        Kind::OidcProvider,
        "AWS::IAM::OIDCProvider",
        &["Arn"],
        ArnSource::Ref,
    ),
    info(
        Kind::SamlProvider,
        "AWS::IAM::SAMLProvider",
        &["Arn", "SamlProviderUUID"],
        ArnSource::Ref,
    ),
];

/// The facts about a kind.
pub fn kind_info(kind: Kind) -> &'static KindInfo {
    // KINDS is listed in `Kind::ALL` order; the search keeps that an
    // implementation detail rather than an invariant to maintain.
    KINDS
        .iter()
        .find(|info| info.kind == kind)
        .unwrap_or(&KINDS[0])
}

/// The kind whose CloudFormation type this is.
pub fn kind_of_cfn_type(cfn_type: &str) -> Option<Kind> {
    KINDS
        .iter()
        .find(|info| info.cfn_type == cfn_type)
        .map(|info| info.kind)
}

/// The IAM service prefix whose actions act on a kind, and an example ARN
/// of that kind as a policy would name it (account `123456789012`, region
/// `us-east-1`), used to decide which resource type of the action catalog a
/// `Name` or `Name/path` names. `None` for kinds without an ARN.
pub fn iam_arn(kind: Kind) -> Option<(&'static str, &'static str)> {
    Some(match kind {
        Kind::UserPool => (
            "cognito-idp",
            "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Example1",
        ),
        Kind::UserPoolClient => return None,
        Kind::Bucket => ("s3", "arn:aws:s3:::example-bucket"),
        Kind::Table => (
            "dynamodb",
            "arn:aws:dynamodb:us-east-1:123456789012:table/ExampleTable",
        ),
        Kind::RestApi | Kind::HttpApi => (
            "execute-api",
            "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5",
        ),
        Kind::Function => (
            "lambda",
            "arn:aws:lambda:us-east-1:123456789012:function:example",
        ),
        Kind::Topic => ("sns", "arn:aws:sns:us-east-1:123456789012:example"),
        Kind::Queue => ("sqs", "arn:aws:sqs:us-east-1:123456789012:example"),
        Kind::Stream => (
            "kinesis",
            "arn:aws:kinesis:us-east-1:123456789012:stream/example",
        ),
        Kind::GraphqlApi => (
            "appsync",
            "arn:aws:appsync:us-east-1:123456789012:apis/abcdefghijklmnopqrstuvwxyz",
        ),
        Kind::StateMachine => (
            "states",
            "arn:aws:states:us-east-1:123456789012:stateMachine:example",
        ),
        Kind::Secret => (
            "secretsmanager",
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:example-AbCdEf",
        ),
        Kind::Key => (
            "kms",
            "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        ),
        Kind::LogGroup => (
            "logs",
            "arn:aws:logs:us-east-1:123456789012:log-group:example",
        ),
        Kind::EventBus => (
            "events",
            "arn:aws:events:us-east-1:123456789012:event-bus/example",
        ),
        Kind::ManagedPolicy => ("iam", "arn:aws:iam::123456789012:policy/example"),
        Kind::Map => ("geo", "arn:aws:geo:us-east-1:123456789012:map/example"),
        Kind::PlaceIndex => (
            "geo",
            "arn:aws:geo:us-east-1:123456789012:place-index/example",
        ),
        Kind::Role => ("iam", "arn:aws:iam::123456789012:role/example"),
        Kind::IdentityPool => (
            "cognito-identity",
            "arn:aws:cognito-identity:us-east-1:123456789012:identitypool/us-east-1:11111111-2222-3333-4444-555555555555",
        ),
        Kind::OidcProvider => (
            "iam",
            "arn:aws:iam::123456789012:oidc-provider/login.example.com",
        ),
        Kind::SamlProvider => ("iam", "arn:aws:iam::123456789012:saml-provider/Example"),
    })
}

/// The type of the role attachment a pool makes.
pub const ROLE_ATTACHMENT_TYPE: &str = "AWS::Cognito::IdentityPoolRoleAttachment";

/// The type of the principal-tag mapping a pool makes.
pub const PRINCIPAL_TAG_TYPE: &str = "AWS::Cognito::IdentityPoolPrincipalTag";

/// The `Fn::GetAtt` attributes of a CloudFormation type, for those the
/// program can name; none for types it doesn't know.
pub fn attributes_of(cfn_type: &str) -> &'static [&'static str] {
    match cfn_type {
        ROLE_ATTACHMENT_TYPE => &["Id"],
        PRINCIPAL_TAG_TYPE => &[],
        _ => KINDS
            .iter()
            .find(|info| info.cfn_type == cfn_type)
            .map(|info| info.attributes)
            .unwrap_or(&[]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_exactly_one_row() {
        for kind in Kind::ALL {
            let rows = KINDS.iter().filter(|info| info.kind == kind).count();
            assert_eq!(rows, 1, "{kind}");
        }
    }

    #[test]
    fn types_map_back_to_kinds() {
        for kind in Kind::ALL {
            assert_eq!(kind_of_cfn_type(kind_info(kind).cfn_type), Some(kind));
        }
    }
}

#[cfg(test)]
#[allow(clippy::panic)]
mod catalog_tests {
    use super::iam_arn;
    use crate::catalog::Catalog;
    use crate::syntax::ast::Kind;

    /// Each kind's example ARN, and `Name/path` forms under it, are the
    /// catalog resource type a policy author means by them.
    #[test]
    fn every_kind_names_its_resource_type() {
        let cases: &[(Kind, &str, &str, &str)] = &[
            (Kind::UserPool, "", "cognito-idp", "userpool"),
            (Kind::Bucket, "", "s3", "bucket"),
            (Kind::Bucket, "/private/*", "s3", "object"),
            (Kind::Table, "", "dynamodb", "table"),
            (Kind::Table, "/index/*", "dynamodb", "index"),
            (Kind::Table, "/stream/*", "dynamodb", "stream"),
            (Kind::RestApi, "/*", "execute-api", "execute-api-general"),
            (
                Kind::HttpApi,
                "/*/GET/notes",
                "execute-api",
                "execute-api-general",
            ),
            (Kind::Function, "", "lambda", "function"),
            (Kind::Topic, "", "sns", "topic"),
            (Kind::Queue, "", "sqs", "queue"),
            (Kind::Stream, "", "kinesis", "stream"),
            (
                Kind::GraphqlApi,
                "/types/Query/fields/*",
                "appsync",
                "field",
            ),
            (Kind::StateMachine, "", "states", "stateMachine"),
            (Kind::Secret, "", "secretsmanager", "Secret"),
            (Kind::Key, "", "kms", "key"),
            (Kind::LogGroup, "", "logs", "log-group"),
            (Kind::LogGroup, ":log-stream:*", "logs", "log-stream"),
            (Kind::EventBus, "", "events", "event-bus"),
            (Kind::Map, "", "geo", "map"),
            (Kind::PlaceIndex, "", "geo", "place-index"),
            (Kind::Role, "", "iam", "role"),
            (Kind::IdentityPool, "", "cognito-identity", "identitypool"),
            (Kind::OidcProvider, "", "iam", "oidc-provider"),
            (Kind::SamlProvider, "", "iam", "saml-provider"),
        ];
        let catalog = Catalog::get();
        for (kind, path, service, resource_type) in cases {
            let Some((prefix, arn)) = iam_arn(*kind) else {
                panic!("{kind} has no ARN");
            };
            assert_eq!(prefix, *service, "{kind}");
            let arn = format!("{arn}{path}");
            let Some(found) = catalog
                .service(service)
                .and_then(|s| s.resource_type(resource_type))
            else {
                panic!("the catalog has no {service} {resource_type}");
            };
            assert!(
                found.matches_arn(&arn),
                "{kind}{path}: {arn} is not a {service} {resource_type}"
            );
        }
        assert_eq!(iam_arn(Kind::UserPoolClient), None);
    }
}
