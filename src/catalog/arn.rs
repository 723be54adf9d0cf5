//! ARN formats (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`) and the rule that
//! decides whether a policy's resource ARN names a resource of that format.
//!
//! # The matching rule
//!
//! A *format* is literal text with `${Name}` placeholders. A placeholder stands for one or
//! more characters, and which characters depends on its name:
//!
//! - **path-like** placeholders may contain anything, `/` and `:` included: names ending in
//!   `Path` (`${ApiSpecificResourcePath}`, `${RoleNameWithPath}`, `${ObjectPath}`) and
//!   [`PATH_PLACEHOLDERS`] (`${ObjectName}`, `${LogGroupName}`, `${SecretId}`, ...), and
//!   [`SERVICE_PATH_PLACEHOLDERS`] in their service (AWS IoT's `${TopicName}`);
//! - [`SLASH_PLACEHOLDERS`] in their service (Systems Manager's
//!   `${ParameterNameWithoutLeadingSlash}`, Amazon ECR's `${RepositoryName}`, CloudWatch
//!   Logs' `${LogStreamName}`) may contain `/` but not `:`;
//! - [`COLON_PLACEHOLDERS`] (`${IdentityPoolId}`, `us-east-1:1234...`; `${StreamLabel}`), and
//!   [`SERVICE_COLON_PLACEHOLDERS`] in their service (Cognito Sync's `${IdentityId}`), may
//!   contain `:` but not `/`;
//! - every other placeholder (`${BucketName}`, `${TableName}`, `${Region}`, ...) contains
//!   neither `/` nor `:`, so it stays inside one segment of the ARN.
//!
//! A *resource ARN* is what a policy names: it may hold IAM wildcards (`*` any run, `?` one
//! character, both of which can span `/` and `:` as in IAM) and policy variables
//! (`${aws:username}`, treated like `*`; the escapes `${*}`, `${?}`, `${$}` are literal).
//!
//! The resource ARN *matches* a format when some concrete ARN is named by both — when the
//! policy statement could apply to a resource of that type. The match is **direct** when it
//! is possible without a wildcard standing for a `/` or a `:` (`arn:aws:s3:::b/private/*` is
//! directly an S3 `object`; `table/Notes/index/*` directly a DynamoDB `index`), and
//! **spanning** otherwise (`arn:aws:s3:::*` is directly a `bucket` but only spanning an
//! `object`; `abc123/*` is spanning for `execute-api-general`). Look-ups list direct matches
//! first, then by how much literal text the format holds (more is more specific).
//! Matching is case-sensitive, as IAM's is for resource names.

/// Placeholders (besides those ending in `Path`) whose values may contain `/` and `:`.
pub const PATH_PLACEHOLDERS: &[&str] = &[
    "LogGroupName",
    "ObjectName",
    "OidcProviderName",
    "ResourcePath",
    "SecretId",
];

/// Placeholders that are path-like in one service only, as (service segment, name):
/// AWS IoT's MQTT topic names and filters are `/`-separated levels
/// (`topic/device/Device_ID/status` in "Authorization with Amazon Cognito identities",
/// <https://docs.aws.amazon.com/iot/latest/developerguide/cog-iot-policies.html>), while
/// SNS and Kafka topic names hold neither `/` nor `:`. An Amplify branch "maps to a
/// third-party repository branch", and its name matches `(?s).+` ("Branch", branchName,
/// <https://docs.aws.amazon.com/amplify/latest/APIReference/API_Branch.html>).
pub const SERVICE_PATH_PLACEHOLDERS: &[(&str, &str)] = &[
    ("iot", "TopicName"),
    ("iot", "TopicFilter"),
    ("amplify", "BranchName"),
];

/// Placeholders that may contain `/` (but not `:`) in one service, as (service segment, name).
/// Each is named by AWS's documentation of the name's characters:
///
/// - Systems Manager parameter names form hierarchies with `/` ("A hierarchy is a parameter
///   name that includes a path that you define by using forward slashes", `/Dev/DBServer/MySQL/
///   db-string13`; "Working with parameter hierarchies in Parameter Store",
///   <https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-hierarchies.html>),
///   and the parameter's ARN holds the name without its leading slash (the service
///   authorization reference's `parameter/${ParameterNameWithoutLeadingSlash}`); names hold
///   only `a-zA-Z0-9_.-`, with `/` to delineate hierarchies ("Understanding parameter name
///   requirements and constraints",
///   <https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-parameter-name-constraints.html>;
///   "PutParameter", Name,
///   <https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html>);
/// - Amazon ECR repository names may be "prepended with a namespace to group the repository
///   into a category (such as `project-a/nginx-web-app`)" and hold only lowercase letters,
///   digits, `-`, `_`, `.` and `/` ("CreateRepository", repositoryName,
///   <https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html>);
///   Amazon ECR Public's too ("CreateRepository", repositoryName, pattern
///   `(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*`,
///   <https://docs.aws.amazon.com/AmazonECRPublic/latest/APIReference/API_CreateRepository.html>),
///   while CodeCommit's and CodeArtifact's `${RepositoryName}` stay in one segment;
/// - CloudWatch Logs stream names match `[^:*]*` ("Don't use ':' (colon) or '*' (asterisk)
///   characters"; "CreateLogStream", logStreamName,
///   <https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogStream.html>);
/// - AWS KMS alias names "can contain only alphanumeric characters, forward slashes (/),
///   underscores (_), and dashes (-)" after `alias/` ("CreateAlias", AliasName,
///   <https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html>), as in the
///   AWS managed `alias/aws/s3`; Lambda's and Payment Cryptography's `${Alias}` stay in one
///   segment;
/// - EventBridge partner event bus names are their partner event source's
///   (`aws.partner/<partner_name>/<event_namespace>/<event_name>`), and a bus name matches
///   `[/\.\-_A-Za-z0-9]+` ("CreateEventBus", Name,
///   <https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CreateEventBus.html>).
pub const SLASH_PLACEHOLDERS: &[(&str, &str)] = &[
    ("ssm", "ParameterNameWithoutLeadingSlash"),
    ("ecr", "RepositoryName"),
    ("ecr-public", "RepositoryName"),
    ("logs", "LogStreamName"),
    ("kms", "Alias"),
    ("events", "EventBusName"),
];

/// Placeholders whose values may contain `:` (but not `/`).
/// (Identity pool ids are `us-east-1:<uuid>`; DynamoDB stream labels are timestamps.)
pub const COLON_PLACEHOLDERS: &[&str] = &["IdentityPoolId", "StreamLabel"];

/// Placeholders that may contain `:` (but not `/`) in one service, as (service segment, name):
///
/// - Cognito Sync's identity ids are "name-spaced GUID (for example,
///   us-east-1:23EC4050-6AEA-7089-A2DD-08002EXAMPLE)", pattern `[\w-]+:[0-9a-f-]+`, and its
///   dataset names match `[a-zA-Z0-9_.:-]+` (the prose lists no `:`, the pattern does:
///   the pattern is what the service accepts) ("Dataset",
///   <https://docs.aws.amazon.com/cognitosync/latest/APIReference/API_Dataset.html>);
/// - AWS IoT thing, thing type and billing group names match `[a-zA-Z0-9:_-]+`
///   ("CreateThing", thingName, thingTypeName, billingGroupName,
///   <https://docs.aws.amazon.com/iot/latest/apireference/API_CreateThing.html>).
pub const SERVICE_COLON_PLACEHOLDERS: &[(&str, &str)] = &[
    ("cognito-sync", "IdentityId"),
    ("cognito-sync", "DatasetName"),
    ("iot", "ThingName"),
    ("iot", "ThingTypeName"),
    ("iot", "BillingGroupName"),
];

/// How a resource ARN matched an ARN format; see the `catalog::arn` module docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ArnMatch {
    /// No wildcard had to stand for a `/` or `:`.
    Direct,
    /// Only possible with a wildcard spanning a `/` or `:`.
    Spanning,
}

/// One ARN format of a resource type, e.g. `arn:${Partition}:s3:::${BucketName}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ArnFormat {
    text: &'static str,
}

impl ArnFormat {
    /// Wraps a format string (normally obtained from a [`super::ResourceType`]).
    pub const fn new(text: &'static str) -> Self {
        Self { text }
    }

    /// The format as written by AWS.
    pub const fn as_str(&self) -> &'static str {
        self.text
    }

    /// The service segment (`s3` in `arn:${Partition}:s3:::...`).
    pub fn service_segment(&self) -> &'static str {
        self.text.split(':').nth(2).unwrap_or("")
    }

    /// The resource part: everything after the fifth `:`.
    pub fn resource_part(&self) -> &'static str {
        self.text.splitn(6, ':').nth(5).unwrap_or("")
    }

    /// Whether `resource_arn` (which may hold wildcards and policy variables) can name a
    /// resource of this format. See the `catalog::arn` module docs for the rule.
    pub fn matches(&self, resource_arn: &str) -> bool {
        self.match_kind(resource_arn).is_some()
    }

    /// Like [`matches`](Self::matches), telling a direct match from a spanning one.
    pub fn match_kind(&self, resource_arn: &str) -> Option<ArnMatch> {
        let fmt = format_tokens(self.service_segment(), self.text);
        let pat = pattern_tokens(resource_arn);
        if overlap(&pat, &fmt, true) {
            Some(ArnMatch::Direct)
        } else if overlap(&pat, &fmt, false) {
            Some(ArnMatch::Spanning)
        } else {
            None
        }
    }

    /// Literal characters in the resource part: a measure of how specific the format is.
    pub(crate) fn literal_len(&self) -> usize {
        format_tokens(self.service_segment(), self.resource_part())
            .iter()
            .filter(|t| matches!(t, FTok::Lit(_)))
            .count()
    }
}

impl std::fmt::Display for ArnFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.text)
    }
}

/// The service segment of a concrete ARN (`arn:aws:s3:::b` gives `s3`), if it is an ARN.
pub(crate) fn arn_service(arn: &str) -> Option<&str> {
    let mut parts = arn.splitn(4, ':');
    let head = parts.next()?;
    (head == "arn" || head == "*").then_some(())?;
    parts.next()?;
    let service = parts.next()?;
    parts.next()?;
    Some(service)
}

/// Which characters a placeholder (or wildcard) may stand for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Anything.
    Any,
    /// Anything but `/`.
    NoSlash,
    /// Anything but `:`.
    NoColon,
    /// Anything but `/` and `:`.
    NoSep,
}

impl Class {
    fn allows(self, c: u8) -> bool {
        match self {
            Class::Any => true,
            Class::NoSlash => c != b'/',
            Class::NoColon => c != b':',
            Class::NoSep => c != b'/' && c != b':',
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum FTok {
    Lit(u8),
    /// A placeholder: one or more characters of the class.
    Var(Class),
}

#[derive(Debug, Clone, Copy)]
enum PTok {
    Lit(u8),
    /// `?`: exactly one character.
    One,
    /// `*` or a policy variable: any run.
    Star,
}

fn placeholder_class(service: &str, name: &str) -> Class {
    if name.ends_with("Path")
        || PATH_PLACEHOLDERS.contains(&name)
        || SERVICE_PATH_PLACEHOLDERS.contains(&(service, name))
    {
        Class::Any
    } else if SLASH_PLACEHOLDERS.contains(&(service, name)) {
        Class::NoColon
    } else if COLON_PLACEHOLDERS.contains(&name)
        || SERVICE_COLON_PLACEHOLDERS.contains(&(service, name))
    {
        Class::NoSlash
    } else {
        Class::NoSep
    }
}

fn format_tokens(service: &str, text: &str) -> Vec<FTok> {
    let mut out = Vec::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("${")
            && let Some(end) = after.find('}')
        {
            out.push(FTok::Var(placeholder_class(service, &after[..end])));
            rest = &after[end + 1..];
            continue;
        }
        out.push(FTok::Lit(rest.as_bytes()[0]));
        rest = &rest[1..];
    }
    out
}

fn pattern_tokens(text: &str) -> Vec<PTok> {
    let mut out = Vec::with_capacity(text.len());
    // Bytes, not `str`: stepping one byte at a time through a `str` would
    // slice inside a multi-byte character (found by fuzzing).
    let mut rest = text.as_bytes();
    while let Some(&c) = rest.first() {
        if let Some(after) = rest.strip_prefix(b"${")
            && let Some(end) = after.iter().position(|b| *b == b'}')
        {
            out.push(match &after[..end] {
                b"*" => PTok::Lit(b'*'),
                b"?" => PTok::Lit(b'?'),
                b"$" => PTok::Lit(b'$'),
                _ => PTok::Star,
            });
            rest = &after[end + 1..];
            continue;
        }
        out.push(match c {
            b'*' => PTok::Star,
            b'?' => PTok::One,
            _ => PTok::Lit(c),
        });
        rest = &rest[1..];
    }
    out
}

/// Whether some string is named both by the pattern and by the format: a search over the
/// product of the two automata. With `direct`, wildcards may not stand for `/` or `:`.
fn overlap(pat: &[PTok], fmt: &[FTok], direct: bool) -> bool {
    let (n, m) = (pat.len(), fmt.len());
    // State (i, j, inside): pattern position, format token, whether format token j is a
    // placeholder that has already taken at least one character.
    let idx = |i: usize, j: usize, inside: bool| (i * (m + 1) + j) * 2 + usize::from(inside);
    let mut seen = vec![false; (n + 1) * (m + 1) * 2];
    let mut stack = vec![(0usize, 0usize, false)];
    let wild = if direct { Class::NoSep } else { Class::Any };
    while let Some((i, j, inside)) = stack.pop() {
        let k = idx(i, j, inside);
        if seen[k] {
            continue;
        }
        seen[k] = true;
        if i == n && j == m && !inside {
            return true;
        }
        // Epsilon moves.
        if let Some(PTok::Star) = pat.get(i) {
            stack.push((i + 1, j, inside));
        }
        if inside {
            stack.push((i, j + 1, false));
        }
        // Moves that consume one shared character.
        let Some(&p) = pat.get(i) else { continue };
        let Some(&f) = fmt.get(j) else { continue };
        let next_i = if matches!(p, PTok::Star) { i } else { i + 1 };
        let (next_j, next_inside) = match f {
            FTok::Lit(_) if inside => continue,
            FTok::Lit(_) => (j + 1, false),
            FTok::Var(_) => (j, true),
        };
        let ok = match (p, f) {
            (PTok::Lit(a), FTok::Lit(b)) => a == b,
            (PTok::Lit(a), FTok::Var(class)) => class.allows(a),
            (PTok::One | PTok::Star, FTok::Lit(b)) => wild.allows(b),
            // Both sides accept some ordinary character.
            (PTok::One | PTok::Star, FTok::Var(_)) => true,
        };
        if ok {
            stack.push((next_i, next_j, next_inside));
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(format: &'static str, arn: &str) -> Option<ArnMatch> {
        ArnFormat::new(format).match_kind(arn)
    }

    const BUCKET: &str = "arn:${Partition}:s3:::${BucketName}";
    const OBJECT: &str = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";

    #[test]
    fn s3() {
        assert_eq!(
            kind(BUCKET, "arn:aws:s3:::mybucket"),
            Some(ArnMatch::Direct)
        );
        assert_eq!(kind(OBJECT, "arn:aws:s3:::mybucket"), None);
        assert_eq!(kind(BUCKET, "arn:aws:s3:::mybucket/private/*"), None);
        assert_eq!(
            kind(OBJECT, "arn:aws:s3:::mybucket/private/*"),
            Some(ArnMatch::Direct)
        );
        assert_eq!(kind(BUCKET, "arn:aws:s3:::*"), Some(ArnMatch::Direct));
        assert_eq!(kind(OBJECT, "arn:aws:s3:::*"), Some(ArnMatch::Spanning));
        assert_eq!(kind(BUCKET, "arn:aws:s3:us-east-1::b"), None);
        assert_eq!(
            kind(
                OBJECT,
                "arn:aws:s3:::b/private/${cognito-identity.amazonaws.com:sub}/*"
            ),
            Some(ArnMatch::Direct)
        );
    }

    #[test]
    fn iot_topics_have_levels_but_sns_topics_do_not() {
        const IOT_TOPIC: &str = "arn:${Partition}:iot:${Region}:${Account}:topic/${TopicName}";
        const IOT_FILTER: &str =
            "arn:${Partition}:iot:${Region}:${Account}:topicfilter/${TopicFilter}";
        const SNS_TOPIC: &str = "arn:${Partition}:sns:${Region}:${Account}:${TopicName}";
        let iot = "arn:aws:iot:us-east-1:123456789012:";
        assert_eq!(
            kind(IOT_TOPIC, &format!("{iot}topic/device/Device_ID/status")),
            Some(ArnMatch::Direct)
        );
        assert_eq!(
            kind(
                IOT_FILTER,
                &format!("{iot}topicfilter/chat/${{cognito-identity.amazonaws.com:sub}}/*")
            ),
            Some(ArnMatch::Direct)
        );
        assert_eq!(kind(IOT_TOPIC, &format!("{iot}topic/")), None);
        assert_eq!(
            kind(SNS_TOPIC, "arn:aws:sns:us-east-1:123456789012:alerts/x"),
            None
        );
        assert_eq!(
            kind(SNS_TOPIC, "arn:aws:sns:us-east-1:123456789012:alerts"),
            Some(ArnMatch::Direct)
        );
    }

    #[test]
    fn ssm_parameter_names_are_hierarchies() {
        const PARAMETER: &str = "arn:${Partition}:ssm:${Region}:${Account}:parameter/${ParameterNameWithoutLeadingSlash}";
        // `/Dev/ERP/Oracle/addUsers`, as AWS writes its ARN.
        assert_eq!(
            kind(
                PARAMETER,
                "arn:aws:ssm:us-east-2:111122223333:parameter/Dev/ERP/Oracle/addUsers"
            ),
            Some(ArnMatch::Direct)
        );
        assert_eq!(
            kind(PARAMETER, "arn:aws:ssm:*:*:parameter/amplify/*"),
            Some(ArnMatch::Direct)
        );
        // A name holds no `:`, and is not empty.
        assert_eq!(
            kind(
                PARAMETER,
                "arn:aws:ssm:us-east-2:111122223333:parameter/a:b"
            ),
            None
        );
        assert_eq!(
            kind(PARAMETER, "arn:aws:ssm:us-east-2:111122223333:parameter/"),
            None
        );
    }

    #[test]
    fn ecr_repository_names_have_namespaces_but_codecommit_names_do_not() {
        const ECR: &str = "arn:${Partition}:ecr:${Region}:${Account}:repository/${RepositoryName}";
        const ECR_PUBLIC: &str =
            "arn:${Partition}:ecr-public::${Account}:repository/${RepositoryName}";
        const CODECOMMIT: &str =
            "arn:${Partition}:codecommit:${Region}:${Account}:${RepositoryName}";
        assert_eq!(
            kind(
                ECR,
                "arn:aws:ecr:us-east-1:123456789012:repository/project-a/nginx-web-app"
            ),
            Some(ArnMatch::Direct)
        );
        assert_eq!(
            kind(
                ECR_PUBLIC,
                "arn:aws:ecr-public::123456789012:repository/project-a/nginx-web-app"
            ),
            Some(ArnMatch::Direct)
        );
        assert_eq!(
            kind(ECR, "arn:aws:ecr:us-east-1:123456789012:repository/a:b"),
            None
        );
        assert_eq!(
            kind(CODECOMMIT, "arn:aws:codecommit:us-east-1:123456789012:a/b"),
            None
        );
    }

    #[test]
    fn log_streams_kms_aliases_and_partner_event_buses_hold_slashes() {
        const STREAM: &str = "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}";
        const KMS_ALIAS: &str = "arn:${Partition}:kms:${Region}:${Account}:alias/${Alias}";
        const LAMBDA_ALIAS: &str =
            "arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}:${Alias}";
        const BUS: &str = "arn:${Partition}:events:${Region}:${Account}:event-bus/${EventBusName}";
        // A Lambda function's log stream, `2024/01/31/[$LATEST]<id>`.
        let lambda_logs = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/f:log-stream:";
        assert_eq!(
            kind(
                STREAM,
                &format!("{lambda_logs}2024/01/31/[$LATEST]0123abcd")
            ),
            Some(ArnMatch::Direct)
        );
        assert_eq!(kind(STREAM, &format!("{lambda_logs}a:b")), None);
        assert_eq!(
            kind(KMS_ALIAS, "arn:aws:kms:us-east-1:123456789012:alias/aws/s3"),
            Some(ArnMatch::Direct)
        );
        assert_eq!(
            kind(
                LAMBDA_ALIAS,
                "arn:aws:lambda:us-east-1:123456789012:function:f:live/x"
            ),
            None
        );
        assert_eq!(
            kind(
                BUS,
                "arn:aws:events:us-east-1:123456789012:event-bus/aws.partner/example.com/123/orders"
            ),
            Some(ArnMatch::Direct)
        );
    }

    #[test]
    fn cognito_sync_identities_and_iot_things_hold_colons() {
        const DATASET: &str = "arn:${Partition}:cognito-sync:${Region}:${Account}:identitypool/${IdentityPoolId}/identity/${IdentityId}/dataset/${DatasetName}";
        const THING: &str = "arn:${Partition}:iot:${Region}:${Account}:thing/${ThingName}";
        let pool = "arn:aws:cognito-sync:us-east-1:123456789012:identitypool/us-east-1:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
        assert_eq!(
            kind(
                DATASET,
                &format!(
                    "{pool}/identity/us-east-1:11111111-2222-3333-4444-555555555555/dataset/*"
                )
            ),
            Some(ArnMatch::Direct)
        );
        assert_eq!(
            kind(DATASET, &format!("{pool}/identity/a/b/dataset/d")),
            None
        );
        assert_eq!(
            kind(
                THING,
                "arn:aws:iot:us-east-1:123456789012:thing/site:7_door"
            ),
            Some(ArnMatch::Direct)
        );
        assert_eq!(
            kind(THING, "arn:aws:iot:us-east-1:123456789012:thing/site/7"),
            None
        );
    }

    #[test]
    fn amplify_branches_are_named_like_the_repository_branches() {
        const BRANCH: &str =
            "arn:${Partition}:amplify:${Region}:${Account}:apps/${AppId}/branches/${BranchName}";
        assert_eq!(
            kind(
                BRANCH,
                "arn:aws:amplify:us-east-1:123456789012:apps/d1a2b3c4/branches/feature/login"
            ),
            Some(ArnMatch::Direct)
        );
        assert_eq!(
            kind(
                BRANCH,
                "arn:aws:amplify:us-east-1:123456789012:apps/d1a2b3c4/branches/"
            ),
            None
        );
    }

    #[test]
    fn escapes_and_questions() {
        assert_eq!(kind(BUCKET, "arn:aws:s3:::b?cket"), Some(ArnMatch::Direct));
        assert_eq!(kind(BUCKET, "arn:aws:s3:::${*}"), Some(ArnMatch::Direct));
        assert_eq!(kind(BUCKET, "arn:aws:s3:::a?b"), Some(ArnMatch::Direct));
        assert_eq!(kind(BUCKET, "arn:aws:s3:::"), None);
    }

    #[test]
    fn service_segment() {
        assert_eq!(ArnFormat::new(OBJECT).service_segment(), "s3");
        assert_eq!(
            ArnFormat::new(OBJECT).resource_part(),
            "${BucketName}/${ObjectName}"
        );
        assert_eq!(arn_service("arn:aws:s3:::b"), Some("s3"));
        assert_eq!(arn_service("s3:::b"), None);
    }
}
