//! What guests can get at all in the enhanced flow.
//!
//! In the enhanced (default) flow, Cognito scopes every unauthenticated
//! identity's credentials down with two session policies (Amazon Cognito
//! Developer Guide, "IAM roles", section "Access policies",
//! <https://docs.aws.amazon.com/cognito/latest/developerguide/iam-roles.html>):
//!
//! - an *inline* session policy that allows a documented list of services,
//!   some of them only partly ([`ServiceList`]);
//! - the AWS managed session policy
//!   `AmazonCognitoUnAuthedIdentitiesSessionPolicy` ([`SessionPolicy`]),
//!   which the guide says "grants additional permissions in Amazon
//!   CloudWatch" (RUM, which the list does not name): the parts add up.
//!
//! A guest's effective permissions are the intersection of the role's
//! policies and the session policies, and (as "additional permissions"
//! says) the session policies allow what any one of them allows, so guests
//! get what their role allows *and* either part allows. [`scope`] sorts an
//! action into what guests get, what neither part allows
//! ([`Scope::CutOff`], W0604) and what AWS's documents leave open
//! ([`Scope::Undocumented`], N0603).
//!
//! Both parts are versioned tables copied from AWS's pages. When AWS
//! publishes a new version, add it here, move [`CURRENT_LIST`] or
//! [`CURRENT`], and update `src/diag/explain/W0604.md` (see
//! `tools/README.md`); the tests below pin every entry.

use crate::catalog::{Action, glob_ci};

/// A published version of the managed session policy.
pub struct SessionPolicy {
    /// The managed policy's name.
    pub name: &'static str,
    /// Its version id.
    pub version: &'static str,
    /// When AWS last edited it.
    pub edited: &'static str,
    /// Where AWS publishes it (the explain page cites it; a test pins that).
    #[cfg_attr(not(test), allow(dead_code))]
    pub url: &'static str,
    /// The action patterns of its only statement (`Resource: *`).
    pub actions: &'static [&'static str],
}

/// `AmazonCognitoUnAuthedIdentitiesSessionPolicy` v3, the default version
/// since 2024-11-01 (AWS Managed Policy Reference).
pub const V3: SessionPolicy = SessionPolicy {
    name: "AmazonCognitoUnAuthedIdentitiesSessionPolicy",
    version: "v3",
    edited: "2024-11-01",
    url: "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonCognitoUnAuthedIdentitiesSessionPolicy.html",
    actions: &[
        "rum:PutRumEvents",
        "sagemaker:InvokeEndpoint",
        "polly:*",
        "comprehend:*",
        "translate:*",
        "transcribe:*",
        "rekognition:*",
        "mobiletargeting:*",
        "firehose:*",
        "personalize:*",
        "geo:GetMap*",
        "geo:SearchPlaceIndex*",
        "geo:GetPlace",
        "geo:CalculateRoute*",
        "geo:*Geofence",
        "geo:*Geofences",
        "geo:*DevicePosition*",
        "kms:Encrypt",
        "kms:Decrypt",
        "kms:ReEncryptTo",
        "kms:ReEncryptFrom",
        "kms:GenerateDataKey",
        "kms:GenerateDataKeyPair",
        "kms:GenerateDataKeyPairWithoutPlaintext",
        "kms:GenerateDataKeyWithoutPlaintext",
    ],
};

/// The managed policy version idpc checks against.
pub const CURRENT: &SessionPolicy = &V3;

impl SessionPolicy {
    /// Whether the policy lets guests have `action` (`service:Name`), as IAM
    /// matches actions: case-insensitively, `*` and `?` as wildcards.
    pub fn allows(&self, action: &str) -> bool {
        self.actions.iter().any(|pattern| {
            let (Some((service, name)), Some((action_service, action_name))) =
                (pattern.split_once(':'), action.split_once(':'))
            else {
                return false;
            };
            service.eq_ignore_ascii_case(action_service) && glob_ci(name, action_name)
        })
    }
}

/// A service as the Cognito guide's list names it, with the IAM service
/// prefixes that name stands for.
pub struct ListedService {
    /// The name as the guide writes it.
    pub name: &'static str,
    /// The prefixes the name certainly stands for: this very service's,
    /// which the service authorization reference names so or by a short or
    /// later name (`Amazon SQS`, `Amazon Kinesis Firehose`, `Amazon Lex V2`).
    pub prefixes: &'static [&'static str],
    /// Prefixes the name may or may not cover (other services under the
    /// same brand, such as `events` under "Amazon CloudWatch").
    pub maybe: &'static [&'static str],
    /// For a service the guide allows only partly: the actions it allows,
    /// as IAM action names (`*` a wildcard). Empty: every action.
    pub only: &'static [&'static str],
}

/// A revision of the guide's list of services guests can use.
pub struct ServiceList {
    /// The page's title, as AWS gives it.
    pub title: &'static str,
    /// The page (the explain page cites it; a test pins that).
    #[cfg_attr(not(test), allow(dead_code))]
    pub url: &'static str,
    /// The revision: the date AWS published this text.
    pub revision: &'static str,
    /// Where idpc read that revision (AWS's own source of the guide): for
    /// the reader who audits the table; no code reads it.
    #[allow(dead_code)]
    pub source: &'static str,
    /// The services, in the guide's order.
    pub services: &'static [ListedService],
}

const fn all(name: &'static str, prefixes: &'static [&'static str]) -> ListedService {
    ListedService {
        name,
        prefixes,
        maybe: &[],
        only: &[],
    }
}

const fn with_maybe(
    name: &'static str,
    prefixes: &'static [&'static str],
    maybe: &'static [&'static str],
) -> ListedService {
    ListedService {
        name,
        prefixes,
        maybe,
        only: &[],
    }
}

const fn partly(
    name: &'static str,
    prefixes: &'static [&'static str],
    only: &'static [&'static str],
) -> ListedService {
    ListedService {
        name,
        prefixes,
        maybe: &[],
        only,
    }
}

const GUIDE_TITLE: &str = "IAM roles (Amazon Cognito Developer Guide)";
const GUIDE_URL: &str = "https://docs.aws.amazon.com/cognito/latest/developerguide/iam-roles.html";

// The services that appear in every revision, spelled once.
const APPSYNC: ListedService = all("AWS AppSync", &["appsync"]);
// "Amazon CloudWatch" certainly names `cloudwatch`; whether it also covers
// the other services AWS brands CloudWatch is not said.
const CLOUDWATCH: ListedService = with_maybe(
    "Amazon CloudWatch",
    &["cloudwatch"],
    &[
        "events",
        "rum",
        "synthetics",
        "applicationinsights",
        "application-signals",
        "internetmonitor",
        "networkmonitor",
        "oam",
        "observabilityadmin",
    ],
);
const COGNITO_IDENTITY: ListedService = all("Amazon Cognito Identity", &["cognito-identity"]);
const COGNITO_SYNC: ListedService = all("Amazon Cognito Sync", &["cognito-sync"]);
const COMPREHEND: ListedService =
    with_maybe("Amazon Comprehend", &["comprehend"], &["comprehendmedical"]);
const DYNAMODB: ListedService = with_maybe("Amazon DynamoDB", &["dynamodb"], &["dax"]);
const GAMELIFT: ListedService = with_maybe("Amazon GameLift", &["gamelift"], &["gameliftstreams"]);
const IOT: ListedService = with_maybe(
    "AWS IoT",
    &["iot"],
    &[
        "iotjobsdata",
        "iotanalytics",
        "iotdeviceadvisor",
        "iotfleethub",
        "iotfleetwise",
        "iotmanagedintegrations",
        "iotsitewise",
        "iottwinmaker",
        "iotwireless",
        "greengrass",
    ],
);
// The guide writes "ReEncrypt", which is no IAM action; IAM's are
// `ReEncryptFrom` and `ReEncryptTo`, which the managed policy allows.
const KMS: ListedService = partly(
    "AWS Key Management Service",
    &["kms"],
    &["Encrypt", "Decrypt", "GenerateDataKey"],
);
const FIREHOSE: ListedService = all("Amazon Kinesis Data Firehose", &["firehose"]);
const LAMBDA: ListedService = all("AWS Lambda", &["lambda"]);
const LEX: ListedService = all("Amazon Lex", &["lex"]);
// The Location APIs of 2024 (`geo-maps`, `geo-places`, `geo-routes`) came
// after every revision idpc read.
const LOCATION: ListedService = with_maybe(
    "Amazon Location Service",
    &["geo"],
    &["geo-maps", "geo-places", "geo-routes"],
);
const MACHINE_LEARNING: ListedService = all("Amazon Machine Learning", &["machinelearning"]);
const MOBILE_ANALYTICS: ListedService = all("Amazon Mobile Analytics", &["mobileanalytics"]);
const POLLY: ListedService = all("Amazon Polly", &["polly"]);
const REKOGNITION: ListedService = all("Amazon Rekognition", &["rekognition"]);
const SIMPLEDB: ListedService = all("Amazon SimpleDB", &["sdb"]);
const SES: ListedService = all("Amazon Simple Email Service", &["ses"]);
const SNS: ListedService = all("Amazon Simple Notification Service", &["sns"]);
const SQS: ListedService = all("Amazon Simple Queue Service", &["sqs"]);
const S3: ListedService = with_maybe(
    "Amazon Simple Storage Service",
    &["s3"],
    &[
        "s3-object-lambda",
        "s3express",
        "s3-outposts",
        "s3tables",
        "s3vectors",
        "s3files",
    ],
);
// Sumerian was retired: the service authorization reference has no prefix
// for it any more, so no grant can name it.
const SUMERIAN: ListedService = partly("Amazon Sumerian", &[], &["View*"]);
const TRANSCRIBE: ListedService = all("Amazon Transcribe", &["transcribe"]);
const TRANSLATE: ListedService = all("Amazon Translate", &["translate"]);
const SAGEMAKER: ListedService = ListedService {
    name: "Amazon SageMaker",
    prefixes: &["sagemaker"],
    maybe: &[
        "sagemaker-geospatial",
        "sagemaker-mlflow",
        "sagemaker-data-science-assistant",
        "sagemaker-unified-studio-mcp",
    ],
    only: &["InvokeEndpoint"],
};
const TEXTRACT: ListedService = partly(
    "Amazon Textract",
    &["textract"],
    &["DetectDocumentText", "AnalyzeDocument"],
);
const KINESIS: ListedService = all("Amazon Kinesis Data Streams", &["kinesis"]);
const PINPOINT: ListedService = all("Amazon Pinpoint", &["mobiletargeting"]);
const API_GATEWAY: ListedService =
    with_maybe("Amazon API Gateway", &["execute-api"], &["apigateway"]);
const LOGS: ListedService = all("Amazon CloudWatch Logs", &["logs"]);
const USER_POOLS: ListedService = all("Amazon Cognito user pools", &["cognito-idp"]);
const PERSONALIZE: ListedService = all("Amazon Personalize", &["personalize"]);

/// The revision of 2021-11-30 (the same list since the guide's first
/// publication on GitHub, 2021-03-23, and until 2022-03-21). Textract is
/// only in its table of partly allowed services.
pub const LIST_2021_11: ServiceList = ServiceList {
    title: GUIDE_TITLE,
    url: GUIDE_URL,
    revision: "2021-11-30",
    source: "awsdocs/amazon-cognito-developer-guide, doc_source/iam-roles.md at 0b4d5467",
    services: &[
        APPSYNC,
        CLOUDWATCH,
        COGNITO_IDENTITY,
        COGNITO_SYNC,
        COMPREHEND,
        DYNAMODB,
        GAMELIFT,
        IOT,
        KMS,
        FIREHOSE,
        KINESIS,
        LAMBDA,
        LEX,
        LOCATION,
        MACHINE_LEARNING,
        MOBILE_ANALYTICS,
        PINPOINT,
        POLLY,
        REKOGNITION,
        SIMPLEDB,
        SES,
        SNS,
        SQS,
        S3,
        SUMERIAN,
        TRANSCRIBE,
        TRANSLATE,
        SAGEMAKER,
        TEXTRACT,
    ],
};

/// The revision of 2022-06-09: adds API Gateway, CloudWatch Logs, Cognito
/// user pools, Personalize, SageMaker and Textract to the list.
pub const LIST_2022_06: ServiceList = ServiceList {
    title: GUIDE_TITLE,
    url: GUIDE_URL,
    revision: "2022-06-09",
    source: "awsdocs/amazon-cognito-developer-guide, doc_source/iam-roles.md at 185dbddc",
    services: &[
        API_GATEWAY,
        APPSYNC,
        CLOUDWATCH,
        LOGS,
        COGNITO_IDENTITY,
        COGNITO_SYNC,
        USER_POOLS,
        COMPREHEND,
        DYNAMODB,
        GAMELIFT,
        IOT,
        KMS,
        FIREHOSE,
        KINESIS,
        LAMBDA,
        LEX,
        LOCATION,
        MACHINE_LEARNING,
        MOBILE_ANALYTICS,
        PERSONALIZE,
        PINPOINT,
        POLLY,
        REKOGNITION,
        SAGEMAKER,
        SIMPLEDB,
        SES,
        SNS,
        SQS,
        S3,
        SUMERIAN,
        TEXTRACT,
        TRANSCRIBE,
        TRANSLATE,
    ],
};

/// The revision of 2023-01-31, the last that AWS published as source (the
/// GitHub repository was archived in June 2023): the list by category,
/// without Kinesis Data Streams and Pinpoint, with Kinesis Data Analytics
/// and CodeWhisperer.
pub const LIST_2023_01: ServiceList = ServiceList {
    title: GUIDE_TITLE,
    url: GUIDE_URL,
    revision: "2023-01-31",
    source: "awsdocs/amazon-cognito-developer-guide, doc_source/iam-roles.md at 64260a93",
    services: &[
        FIREHOSE,
        all("Amazon Kinesis Data Analytics", &["kinesisanalytics"]),
        SQS,
        SUMERIAN,
        MOBILE_ANALYTICS,
        SES,
        LAMBDA,
        KMS,
        DYNAMODB,
        SIMPLEDB,
        APPSYNC,
        LOCATION,
        SNS,
        GAMELIFT,
        IOT,
        all("Amazon CodeWhisperer", &["codewhisperer"]),
        COMPREHEND,
        LEX,
        MACHINE_LEARNING,
        PERSONALIZE,
        POLLY,
        REKOGNITION,
        SAGEMAKER,
        TEXTRACT,
        TRANSCRIBE,
        TRANSLATE,
        CLOUDWATCH,
        LOGS,
        API_GATEWAY,
        COGNITO_IDENTITY,
        USER_POOLS,
        COGNITO_SYNC,
        S3,
    ],
};

/// Every revision idpc read, oldest first.
pub const LISTS: [&ServiceList; 3] = [&LIST_2021_11, &LIST_2022_06, &LIST_2023_01];

/// The newest revision: what it lists, guests get.
pub const CURRENT_LIST: &ServiceList = &LIST_2023_01;

/// Whether guests get an action in the enhanced flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The newest list or the managed policy allows it.
    Allowed,
    /// Neither part allows it: every revision leaves the service out, or
    /// allows it only partly and not this action.
    CutOff,
    /// AWS's documents leave it open.
    Undocumented(Unclear),
}

/// Why AWS's documents leave an action open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unclear {
    /// An earlier revision of the list named the service; the newest does
    /// not.
    Dropped {
        /// The service as the guide names it.
        service: &'static str,
        /// The last revision that names it.
        listed: &'static str,
        /// The newest revision.
        newest: &'static str,
    },
    /// The list names a service that may or may not cover the action's
    /// prefix.
    Umbrella {
        /// The service as the guide names it.
        service: &'static str,
    },
}

impl ListedService {
    fn allows(&self, name: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|pattern| glob_ci(pattern, name))
    }
}

impl ServiceList {
    /// The entry whose certain prefixes include `prefix`.
    fn naming(&self, prefix: &str) -> Option<&ListedService> {
        self.services.iter().find(|service| {
            service
                .prefixes
                .iter()
                .any(|p| p.eq_ignore_ascii_case(prefix))
        })
    }

    /// The entry that may cover `prefix`.
    fn maybe_naming(&self, prefix: &str) -> Option<&ListedService> {
        self.services
            .iter()
            .find(|service| service.maybe.iter().any(|p| p.eq_ignore_ascii_case(prefix)))
    }
}

/// Whether guests in the enhanced flow get `action`.
pub fn scope(action: &Action<'_>) -> Scope {
    scope_of(action.service().prefix(), action.name())
}

/// [`scope`] by prefix and action name.
pub fn scope_of(prefix: &str, name: &str) -> Scope {
    if CURRENT.allows(&format!("{prefix}:{name}")) {
        return Scope::Allowed;
    }
    if let Some(service) = CURRENT_LIST.naming(prefix) {
        return if service.allows(name) {
            Scope::Allowed
        } else {
            Scope::CutOff
        };
    }
    if let Some((list, service)) = LISTS
        .iter()
        .rev()
        .find_map(|list| list.naming(prefix).map(|service| (list, service)))
    {
        return Scope::Undocumented(Unclear::Dropped {
            service: service.name,
            listed: list.revision,
            newest: CURRENT_LIST.revision,
        });
    }
    if let Some(service) = LISTS
        .iter()
        .rev()
        .find_map(|list| list.maybe_naming(prefix))
    {
        return Scope::Undocumented(Unclear::Umbrella {
            service: service.name,
        });
    }
    Scope::CutOff
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;

    fn prefixes(list: &ServiceList) -> Vec<(&'static str, &'static str)> {
        list.services
            .iter()
            .flat_map(|service| service.prefixes.iter().map(|p| (service.name, *p)))
            .collect()
    }

    #[test]
    fn the_session_policy_matches_like_iam() {
        let policy = CURRENT;
        assert!(policy.allows("geo:GetMapTile"));
        assert!(policy.allows("GEO:getmapstyledescriptor"));
        assert!(policy.allows("geo:BatchPutGeofence"));
        assert!(policy.allows("geo:GetDevicePositionHistory"));
        assert!(policy.allows("polly:SynthesizeSpeech"));
        assert!(policy.allows("kms:Decrypt"));
        assert!(!policy.allows("kms:CreateKey"));
        assert!(!policy.allows("s3:GetObject"));
        assert!(!policy.allows("geo:CreateMap"));
        assert!(!policy.allows("dynamodb:GetItem"));
        assert!(!policy.allows("rum:PutRumEventsX"));
    }

    /// The managed policy as AWS publishes it, v3 of 2024-11-01.
    #[test]
    fn the_managed_policy_table_is_v3() {
        assert_eq!(
            (CURRENT.name, CURRENT.version, CURRENT.edited),
            (
                "AmazonCognitoUnAuthedIdentitiesSessionPolicy",
                "v3",
                "2024-11-01"
            )
        );
        assert_eq!(CURRENT.actions.len(), 25);
        for action in [
            "rum:PutRumEvents",
            "sagemaker:InvokeEndpoint",
            "mobiletargeting:*",
            "personalize:*",
            "geo:*DevicePosition*",
            "kms:ReEncryptTo",
            "kms:ReEncryptFrom",
            "kms:GenerateDataKeyPairWithoutPlaintext",
        ] {
            assert!(CURRENT.actions.contains(&action), "{action}");
        }
    }

    /// Each revision of the guide's list, service by service, with the IAM
    /// prefixes idpc reads each name as.
    #[test]
    fn the_lists_name_the_documented_services() {
        let newest = prefixes(&LIST_2023_01);
        assert_eq!(
            newest,
            [
                ("Amazon Kinesis Data Firehose", "firehose"),
                ("Amazon Kinesis Data Analytics", "kinesisanalytics"),
                ("Amazon Simple Queue Service", "sqs"),
                ("Amazon Mobile Analytics", "mobileanalytics"),
                ("Amazon Simple Email Service", "ses"),
                ("AWS Lambda", "lambda"),
                ("AWS Key Management Service", "kms"),
                ("Amazon DynamoDB", "dynamodb"),
                ("Amazon SimpleDB", "sdb"),
                ("AWS AppSync", "appsync"),
                ("Amazon Location Service", "geo"),
                ("Amazon Simple Notification Service", "sns"),
                ("Amazon GameLift", "gamelift"),
                ("AWS IoT", "iot"),
                ("Amazon CodeWhisperer", "codewhisperer"),
                ("Amazon Comprehend", "comprehend"),
                ("Amazon Lex", "lex"),
                ("Amazon Machine Learning", "machinelearning"),
                ("Amazon Personalize", "personalize"),
                ("Amazon Polly", "polly"),
                ("Amazon Rekognition", "rekognition"),
                ("Amazon SageMaker", "sagemaker"),
                ("Amazon Textract", "textract"),
                ("Amazon Transcribe", "transcribe"),
                ("Amazon Translate", "translate"),
                ("Amazon CloudWatch", "cloudwatch"),
                ("Amazon CloudWatch Logs", "logs"),
                ("Amazon API Gateway", "execute-api"),
                ("Amazon Cognito Identity", "cognito-identity"),
                ("Amazon Cognito user pools", "cognito-idp"),
                ("Amazon Cognito Sync", "cognito-sync"),
                ("Amazon Simple Storage Service", "s3"),
            ]
        );
        assert_eq!(LIST_2023_01.services.len(), 33, "Sumerian has no prefix");
        let names = |list: &ServiceList| -> Vec<&str> {
            let mut names: Vec<&str> = list.services.iter().map(|s| s.name).collect();
            names.sort_unstable();
            names
        };
        let only_in = |a: &ServiceList, b: &ServiceList| -> Vec<&str> {
            let b = names(b);
            names(a).into_iter().filter(|n| !b.contains(n)).collect()
        };
        assert_eq!(LIST_2021_11.services.len(), 29);
        assert_eq!(
            only_in(&LIST_2022_06, &LIST_2021_11),
            [
                "Amazon API Gateway",
                "Amazon CloudWatch Logs",
                "Amazon Cognito user pools",
                "Amazon Personalize",
            ]
        );
        assert!(only_in(&LIST_2021_11, &LIST_2022_06).is_empty());
        assert_eq!(
            only_in(&LIST_2022_06, &LIST_2023_01),
            ["Amazon Kinesis Data Streams", "Amazon Pinpoint"]
        );
        assert_eq!(
            only_in(&LIST_2023_01, &LIST_2022_06),
            ["Amazon CodeWhisperer", "Amazon Kinesis Data Analytics"]
        );
    }

    /// The services the guide allows only partly, and exactly which actions.
    #[test]
    fn the_partly_allowed_services_are_pinned() {
        for list in LISTS {
            let partly: Vec<(&str, &[&str])> = list
                .services
                .iter()
                .filter(|s| !s.only.is_empty())
                .map(|s| (s.name, s.only))
                .collect();
            let mut partly = partly;
            partly.sort_unstable();
            assert_eq!(
                partly,
                [
                    (
                        "AWS Key Management Service",
                        &["Encrypt", "Decrypt", "GenerateDataKey"][..]
                    ),
                    ("Amazon SageMaker", &["InvokeEndpoint"][..]),
                    ("Amazon Sumerian", &["View*"][..]),
                    (
                        "Amazon Textract",
                        &["DetectDocumentText", "AnalyzeDocument"][..]
                    ),
                ],
                "{}",
                list.revision
            );
        }
    }

    #[test]
    fn every_pattern_names_actions_the_catalog_has() {
        let catalog = Catalog::get();
        for pattern in CURRENT.actions {
            assert!(
                !catalog.actions_matching(pattern).is_empty(),
                "{pattern} matches no action of the catalog"
            );
        }
        for list in LISTS {
            for service in list.services {
                for prefix in service.prefixes.iter().chain(service.maybe) {
                    assert!(
                        catalog.service(prefix).is_some(),
                        "{} ({}): the catalog has no `{prefix}`",
                        service.name,
                        list.revision
                    );
                }
                for prefix in service.prefixes {
                    for name in service.only {
                        assert!(
                            !catalog
                                .actions_matching(&format!("{prefix}:{name}"))
                                .is_empty(),
                            "{prefix}:{name} matches no action of the catalog"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn guests_get_what_either_part_allows() {
        for (prefix, name) in [
            ("s3", "GetObject"),
            ("dynamodb", "GetItem"),
            ("appsync", "GraphQL"),
            ("lambda", "InvokeFunction"),
            ("execute-api", "Invoke"),
            ("kms", "Decrypt"),
            ("kms", "ReEncryptFrom"),
            ("sagemaker", "InvokeEndpoint"),
            ("textract", "AnalyzeDocument"),
            ("geo", "CreateMap"),
            ("rum", "PutRumEvents"),
            ("mobiletargeting", "PutEvents"),
            ("cognito-idp", "GetUser"),
        ] {
            assert_eq!(scope_of(prefix, name), Scope::Allowed, "{prefix}:{name}");
        }
    }

    #[test]
    fn guests_never_get_what_neither_part_allows() {
        for (prefix, name) in [
            ("ssm", "GetParameter"),
            ("kms", "CreateKey"),
            ("kms", "Sign"),
            ("iam", "PassRole"),
            ("sts", "AssumeRole"),
            ("secretsmanager", "GetSecretValue"),
            ("sagemaker", "CreateEndpoint"),
            ("textract", "StartDocumentAnalysis"),
            ("kinesisvideo", "DescribeSignalingChannel"),
        ] {
            assert_eq!(scope_of(prefix, name), Scope::CutOff, "{prefix}:{name}");
        }
    }

    #[test]
    fn what_the_documents_leave_open_is_undocumented() {
        assert_eq!(
            scope_of("kinesis", "PutRecord"),
            Scope::Undocumented(Unclear::Dropped {
                service: "Amazon Kinesis Data Streams",
                listed: "2022-06-09",
                newest: "2023-01-31",
            })
        );
        for (prefix, name, service) in [
            ("events", "PutEvents", "Amazon CloudWatch"),
            ("rum", "GetAppMonitor", "Amazon CloudWatch"),
            ("apigateway", "GET", "Amazon API Gateway"),
            ("geo-places", "Autocomplete", "Amazon Location Service"),
            ("iotanalytics", "BatchPutMessage", "AWS IoT"),
            (
                "s3express",
                "CreateSession",
                "Amazon Simple Storage Service",
            ),
        ] {
            assert_eq!(
                scope_of(prefix, name),
                Scope::Undocumented(Unclear::Umbrella { service }),
                "{prefix}:{name}"
            );
        }
    }

    /// `idpc explain W0604` cites the very versions the tables hold.
    #[test]
    fn the_explanation_cites_the_tables() {
        let page = include_str!("../../diag/explain/W0604.md");
        for text in [CURRENT.name, CURRENT.version, CURRENT.edited, CURRENT.url] {
            assert!(page.contains(text), "W0604.md does not cite {text}");
        }
        for list in LISTS {
            assert!(page.contains(list.revision), "W0604.md: {}", list.revision);
        }
        assert!(page.contains(CURRENT_LIST.url));
        assert!(page.contains("IAM roles"));
    }
}
