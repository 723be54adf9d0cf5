//! The generated cases: identity policies and requests over actions, ARNs
//! and context keys the peer knows (it checks actions, resource types and
//! context keys against its own copy of AWS's service reference).
//!
//! A case is JSON: `{"policies": [document, ...], "action": ..., "resource":
//! ..., "context": {key: "value" | ["values", ...]}}`. Multivalued keys
//! (`aws:TagKeys`, `dynamodb:LeadingKeys`) are always lists and always
//! under a set qualifier; the values are chosen so that idpc can decide
//! every case (no IPv6 address without a prefix, no `True` for `true`, no
//! four-digit date): a case idpc answers `unknown` is a failure.

use serde_json::{Map, Value as Json, json};

/// A deterministic pseudo-random sequence (SplitMix64).
pub struct Rng(u64);

impl Rng {
    /// The sequence of `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// What an action acts on.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    Object,
    Bucket,
    Table,
    Queue,
}

const ACTIONS: &[(&str, Target)] = &[
    ("s3:GetObject", Target::Object),
    ("s3:PutObject", Target::Object),
    ("s3:ListBucket", Target::Bucket),
    ("dynamodb:GetItem", Target::Table),
    ("dynamodb:Query", Target::Table),
    ("sqs:SendMessage", Target::Queue),
];

const ACTION_PATTERNS: &[&str] = &[
    "s3:GetObject",
    "s3:PutObject",
    "s3:ListBucket",
    "s3:Get*",
    "s3:*Object",
    "s3:*",
    "*",
    "S3:getobject",
    "s3:List*",
    "dynamodb:GetItem",
    "dynamodb:Query",
    "dynamodb:*",
    "dynamodb:Get?tem",
    "sqs:SendMessage",
    "sqs:Send*",
];

const RESOURCE_PATTERNS: &[&str] = &[
    "*",
    "arn:aws:s3:::media/*",
    "arn:aws:s3:::media/public/*",
    "arn:aws:s3:::media/home/${aws:username}/*",
    "arn:aws:s3:::media/home/${aws:username, 'guest'}/*",
    "arn:aws:s3:::media/private/${cognito-identity.amazonaws.com:sub}/*",
    "arn:aws:s3:::media/team/${aws:PrincipalTag/team}/*",
    "arn:aws:s3:::*",
    "arn:aws:s3:::media",
    "arn:aws:s3:::m?dia/*",
    "arn:aws:s3:::logs*",
    "arn:aws:dynamodb:us-east-1:123456789012:table/*",
    "arn:aws:dynamodb:*:*:table/Notes",
    "arn:aws:sqs:us-east-1:123456789012:jobs",
    "arn:aws:sqs:*:123456789012:*",
];

/// Action patterns and resource patterns likely to reach a request on
/// `target`, so that about half the statements apply.
fn near(target: Target) -> (&'static [&'static str], &'static [&'static str]) {
    match target {
        Target::Object => (
            &[
                "s3:GetObject",
                "s3:PutObject",
                "s3:*Object",
                "s3:*",
                "s3:Get*",
                "*",
            ],
            &[
                "arn:aws:s3:::media/*",
                "arn:aws:s3:::media/home/${aws:username}/*",
                "arn:aws:s3:::media/private/${cognito-identity.amazonaws.com:sub}/*",
                "arn:aws:s3:::media/team/${aws:PrincipalTag/team}/*",
                "arn:aws:s3:::*/public/*",
                "arn:aws:s3:::*",
            ],
        ),
        Target::Bucket => (
            &["s3:ListBucket", "s3:List*", "s3:*"],
            &["arn:aws:s3:::media", "arn:aws:s3:::logs*", "arn:aws:s3:::*"],
        ),
        Target::Table => (
            &[
                "dynamodb:GetItem",
                "dynamodb:Query",
                "dynamodb:*",
                "dynamodb:Get?tem",
            ],
            &[
                "arn:aws:dynamodb:us-east-1:123456789012:table/*",
                "arn:aws:dynamodb:*:*:table/Notes",
            ],
        ),
        Target::Queue => (
            &["sqs:SendMessage", "sqs:Send*", "sqs:*"],
            &[
                "arn:aws:sqs:us-east-1:123456789012:jobs",
                "arn:aws:sqs:*:123456789012:*",
            ],
        ),
    }
}

const OBJECT_KEYS: &[&str] = &[
    "public/cat.jpg",
    "private/us-east-1:1111/a.jpg",
    "private/us-east-1:2222/a.jpg",
    "home/bob/notes.txt",
    "home/alice/notes.txt",
    "home/guest/notes.txt",
    "team/blue/plan.txt",
    "team/red/plan.txt",
];

fn resource(rng: &mut Rng, target: Target) -> String {
    let bucket = *rng.pick(&["media", "logs"]);
    match target {
        Target::Object => format!("arn:aws:s3:::{bucket}/{}", rng.pick(OBJECT_KEYS)),
        Target::Bucket => format!("arn:aws:s3:::{bucket}"),
        Target::Table => format!(
            "arn:aws:dynamodb:us-east-1:123456789012:table/{}",
            rng.pick(&["Notes", "Users"])
        ),
        Target::Queue => format!(
            "arn:aws:sqs:us-east-1:123456789012:{}",
            rng.pick(&["jobs", "alerts"])
        ),
    }
}

/// A single-valued context key, the chance it is in a request, its values.
const SINGLE_KEYS: &[(&str, u64, &[&str])] = &[
    ("aws:username", 60, &["bob", "alice"]),
    (
        "cognito-identity.amazonaws.com:sub",
        30,
        &["us-east-1:1111", "us-east-1:2222"],
    ),
    ("aws:PrincipalTag/team", 60, &["blue", "red", "Blue"]),
    (
        "aws:SourceIp",
        60,
        &[
            "10.1.2.3",
            "203.0.113.9",
            "192.0.2.1",
            "2001:db8::5",
            "198.51.100.7",
        ],
    ),
    (
        "aws:CurrentTime",
        60,
        &[
            "2026-12-05T08:00:00Z",
            "2019-01-01T00:00:00Z",
            "2026-01-01T00:00:00Z",
        ],
    ),
    (
        "aws:EpochTime",
        50,
        &["1767225600", "1577836801", "1800000000"],
    ),
    ("aws:MultiFactorAuthAge", 50, &["300", "3600", "7200"]),
    ("aws:SecureTransport", 60, &["true", "false"]),
    ("aws:MultiFactorAuthPresent", 50, &["true", "false"]),
    (
        "aws:TokenIssueTime",
        40,
        &["2026-12-05T07:00:00Z", "2019-06-01T00:00:00Z"],
    ),
    (
        "aws:SourceArn",
        50,
        &[
            "arn:aws:sns:us-east-1:123456789012:alerts",
            "arn:aws:sqs:us-east-1:123456789012:jobs",
            "arn:aws:sns:us-east-1:123456789012:alerts:extra",
            "arn:aws:s3:::media",
        ],
    ),
];

fn context(rng: &mut Rng, action: &str, target: Target) -> Map<String, Json> {
    let mut context = Map::new();
    for (key, percent, values) in SINGLE_KEYS {
        if rng.chance(*percent) {
            context.insert(key.to_string(), json!(rng.pick(values)));
        }
    }
    if rng.chance(50) {
        let tags: &[&[&str]] = &[
            &[],
            &["team"],
            &["team", "cost"],
            &["key1:a"],
            &["key1:a", "key2:b"],
        ];
        context.insert("aws:TagKeys".into(), json!(rng.pick(tags)));
    }
    // Service keys only where the service puts them in the request.
    if action == "s3:ListBucket" && rng.chance(70) {
        let prefixes = &["", "home/", "home/bob/", "home/alice/", "public/"];
        context.insert("s3:prefix".into(), json!(rng.pick(prefixes)));
    }
    if target == Target::Table && rng.chance(70) {
        let keys: &[&[&str]] = &[
            &["us-east-1:1111"],
            &["us-east-1:1111", "us-east-1:2222"],
            &["bob"],
        ];
        context.insert("dynamodb:LeadingKeys".into(), json!(rng.pick(keys)));
    }
    context
}

const STRING_OPS: &[&str] = &[
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
];
const DATE_OPS: &[&str] = &[
    "DateEquals",
    "DateNotEquals",
    "DateLessThan",
    "DateLessThanEquals",
    "DateGreaterThan",
    "DateGreaterThanEquals",
];
const NUMERIC_OPS: &[&str] = &[
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
];
const ARN_OPS: &[&str] = &[
    "ArnEquals",
    "ArnLike",
    "ArnNotEquals",
    "ArnNotLike",
    "StringLike",
];
const SET_OPS: &[&str] = &[
    "ForAllValues:StringEquals",
    "ForAnyValue:StringEquals",
    "ForAllValues:StringLike",
    "ForAnyValue:StringLike",
    "ForAllValues:StringNotLike",
    "ForAnyValue:StringNotEquals",
    "ForAllValues:StringNotEquals",
];

/// A condition recipe: its key, the operators, the value lists.
type Recipe = (
    &'static str,
    &'static [&'static str],
    &'static [&'static [&'static str]],
);

const RECIPES: &[Recipe] = &[
    (
        "aws:SourceIp",
        &["IpAddress", "NotIpAddress"],
        &[
            &["10.0.0.0/8"],
            &["203.0.113.0/24", "2001:db8::/32"],
            &["192.0.2.1"],
            &["198.51.100.0/25"],
        ],
    ),
    (
        "aws:CurrentTime",
        DATE_OPS,
        &[
            &["2026-01-01T00:00:00Z"],
            &["2020-06-15T12:00:00Z"],
            &["2026-12-05T08:00:00Z"],
            &["1767225600"],
        ],
    ),
    (
        "aws:EpochTime",
        DATE_OPS,
        &[&["1767225600"], &["1700000000"], &["2026-01-01T00:00:00Z"]],
    ),
    ("aws:TokenIssueTime", DATE_OPS, &[&["2026-01-01T00:00:00Z"]]),
    (
        "aws:MultiFactorAuthAge",
        NUMERIC_OPS,
        &[&["3600"], &["600", "7200"], &["300.5"]],
    ),
    ("aws:SecureTransport", &["Bool"], &[&["true"], &["false"]]),
    (
        "aws:MultiFactorAuthPresent",
        &["Bool"],
        &[&["true"], &["false"]],
    ),
    (
        "aws:PrincipalTag/team",
        STRING_OPS,
        &[
            &["blue"],
            &["BLUE"],
            &["b*"],
            &["re?"],
            &["${aws:username}"],
            &["${aws:username, 'blue'}"],
            &["blue", "red"],
        ],
    ),
    (
        "aws:username",
        &[
            "StringEquals",
            "StringLike",
            "StringNotEquals",
            "StringEqualsIgnoreCase",
        ],
        &[&["bob"], &["a*"], &["BOB"]],
    ),
    (
        "s3:prefix",
        &["StringLike", "StringNotLike", "StringEquals"],
        &[
            &["", "home/", "home/${aws:username}/"],
            &["public/*"],
            &["home/${aws:username}/"],
        ],
    ),
    (
        "aws:SourceArn",
        ARN_OPS,
        &[
            &["arn:aws:sns:us-east-1:123456789012:*"],
            &["arn:aws:sns:*:*:alerts"],
            &["arn:aws:s*:*:123456789012:*"],
            &["arn:aws:s3:::*"],
            &["arn:aws:sns:us-east-?:*:alert?"],
        ],
    ),
    (
        "aws:TagKeys",
        SET_OPS,
        &[&["team", "cost"], &["key1*"], &["team"]],
    ),
    (
        "dynamodb:LeadingKeys",
        &[
            "ForAllValues:StringEquals",
            "ForAnyValue:StringEquals",
            "ForAllValues:StringLike",
        ],
        &[
            &["${cognito-identity.amazonaws.com:sub}"],
            &["us-east-1:1111"],
            &["${aws:username}"],
        ],
    ),
];

const NULL_KEYS: &[&str] = &[
    "aws:TokenIssueTime",
    "aws:PrincipalTag/team",
    "aws:SourceIp",
    "aws:username",
];

/// One condition: operator, key, values.
fn condition(rng: &mut Rng) -> (String, String, Vec<&'static str>) {
    if rng.chance(10) {
        let key = rng.pick(NULL_KEYS);
        return (
            "Null".into(),
            key.to_string(),
            vec![*rng.pick(&["true", "false"])],
        );
    }
    let (key, operators, values) = rng.pick(RECIPES);
    let mut operator = rng.pick(operators).to_string();
    let single = !operator.contains(':');
    if single && operator.starts_with("String") && rng.chance(10) {
        // A set qualifier on a single-valued key.
        operator = format!("{}{operator}", rng.pick(&["ForAnyValue:", "ForAllValues:"]));
    }
    if rng.chance(25) {
        operator.push_str("IfExists");
    }
    // Keys compare ignoring case.
    let key = if rng.chance(10) {
        key.to_uppercase()
    } else {
        key.to_string()
    };
    (operator, key, rng.pick(values).to_vec())
}

fn statement(rng: &mut Rng, target: Target) -> Json {
    let (near_actions, near_resources) = near(target);
    let mut statement = Map::new();
    let effect = if rng.chance(75) { "Allow" } else { "Deny" };
    statement.insert("Effect".into(), json!(effect));
    let patterns = |rng: &mut Rng, near: &[&'static str], all: &[&'static str]| {
        (0..1 + rng.below(2))
            .map(|_| {
                let from = if rng.chance(60) { near } else { all };
                *rng.pick(from)
            })
            .collect::<Vec<&'static str>>()
    };
    let actions = patterns(rng, near_actions, ACTION_PATTERNS);
    let action_key = if rng.chance(20) {
        "NotAction"
    } else {
        "Action"
    };
    statement.insert(action_key.into(), json!(actions));
    let resources = patterns(rng, near_resources, RESOURCE_PATTERNS);
    let resource_key = if rng.chance(15) {
        "NotResource"
    } else {
        "Resource"
    };
    statement.insert(resource_key.into(), json!(resources));
    let mut block: Map<String, Json> = Map::new();
    for _ in 0..rng.below(4) {
        let (operator, key, values) = condition(rng);
        let keys = block.entry(operator).or_insert_with(|| json!({}));
        if let Some(keys) = keys.as_object_mut() {
            keys.entry(key).or_insert_with(|| json!(values));
        }
    }
    if !block.is_empty() {
        statement.insert("Condition".into(), Json::Object(block));
    }
    Json::Object(statement)
}

/// The `count` cases of `seed`.
pub fn cases(seed: u64, count: usize) -> Vec<Json> {
    let mut rng = Rng::new(seed);
    (0..count)
        .map(|_| {
            let (action, target) = *rng.pick(ACTIONS);
            let policies: Vec<Json> = (0..1 + rng.below(2))
                .map(|_| {
                    let statements: Vec<Json> =
                        (0..1 + rng.below(3)).map(|_| statement(&mut rng, target)).collect();
                    json!({"Version": "2012-10-17", "Statement": statements})
                })
                .collect();
            let resource = resource(&mut rng, target);
            let context = context(&mut rng, action, target);
            json!({"policies": policies, "action": action, "resource": resource, "context": context})
        })
        .collect()
}
