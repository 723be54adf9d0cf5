//! A generator of valid `.idp` programs across the whole grammar, shared by
//! the tests (`tests/generated.rs`) and the CI sample (`.ci/check-generated`).
//!
//! proptest draws a [`Spec`]: small choices (indices, masks, flags) that
//! shrink well. [`Spec::render`] turns it into program text, deterministically,
//! and keeps it valid by construction: statements come from [`ROWS`], a
//! curated table of (kind, path, actions) triples that the checker accepts
//! (each action exists and acts on that resource's ARN type); every `use`
//! line is emitted only for names the program refers to (no W0101); shared
//! roles nobody uses are left out (no W0202); a shared role is only ever
//! used for one of signed-in users or guests (no E0209); `classic_flow`
//! never meets `map`; `$<aws:PrincipalTag/t>` only where the pool maps `t`.
//!
//! Logical IDs never clash: resources are `Bucket0`, `Table1`..., pools
//! `Pool0`..., named inline roles `Pool0Member`/`Pool0Visitor`, shared
//! roles `Shared0`..., so the generated `<Pool>Roles`, `<Pool>AuthRole` and
//! `<Pool>UnauthRole` are free.

#![allow(dead_code)]

use proptest::prelude::*;
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// The resource kinds the generator uses, with the CloudFormation type
/// `idpc uses` reports and the prefix of their logical IDs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    UserPool,
    UserPoolClient,
    Bucket,
    Table,
    RestApi,
    Function,
    Map,
    Topic,
    Queue,
    OidcProvider,
    SamlProvider,
    /// A role of the rest of the stack (`use role`), attached by a pool.
    Role,
}

impl Kind {
    /// The word of `use KIND`.
    pub fn keyword(self) -> &'static str {
        match self {
            Kind::UserPool => "user_pool",
            Kind::UserPoolClient => "user_pool_client",
            Kind::Bucket => "bucket",
            Kind::Table => "table",
            Kind::RestApi => "rest_api",
            Kind::Function => "function",
            Kind::Map => "map",
            Kind::Topic => "topic",
            Kind::Queue => "queue",
            Kind::OidcProvider => "oidc_provider",
            Kind::SamlProvider => "saml_provider",
            Kind::Role => "role",
        }
    }

    fn prefix(self) -> &'static str {
        match self {
            Kind::UserPool => "UserPool",
            Kind::UserPoolClient => "WebClient",
            Kind::Bucket => "Bucket",
            Kind::Table => "Table",
            Kind::RestApi => "Api",
            Kind::Function => "Fn",
            Kind::Map => "TrailMap",
            Kind::Topic => "Topic",
            Kind::Queue => "Queue",
            Kind::OidcProvider => "Oidc",
            Kind::SamlProvider => "Saml",
            Kind::Role => "Outside",
        }
    }

    /// The logical ID of the `index`th resource of this kind.
    pub fn name(self, index: usize) -> String {
        format!("{}{index}", self.prefix())
    }

    /// An attribute `output X = Name.Attr` may read, if any.
    fn attribute(self) -> Option<&'static str> {
        match self {
            Kind::Bucket | Kind::Table | Kind::Function | Kind::Map | Kind::Queue => Some("Arn"),
            Kind::UserPool => Some("ProviderName"),
            Kind::Topic => Some("TopicName"),
            _ => None,
        }
    }
}

/// What a statement's resource is.
#[derive(Clone, Copy, Debug)]
pub enum Target {
    /// `Name` + path, for a resource of this kind.
    Named(Kind),
    /// `*`.
    Any,
    /// An ARN string (the path is appended to it).
    Arn(&'static str),
}

/// One curated row: a resource (kind and path, where `{var}` is a policy
/// variable) and the actions that act on it; the access levels that give
/// actions on it; a condition only that row's actions support.
pub struct Row {
    pub target: Target,
    pub paths: &'static [&'static str],
    pub actions: &'static [&'static str],
    pub levels: &'static [&'static str],
    pub condition: Option<&'static str>,
}

/// The table the statements are drawn from; every row compiles.
pub const ROWS: &[Row] = &[
    Row {
        target: Target::Named(Kind::Bucket),
        paths: &["/private/{var}/*", "/protected/{var}/*", "/*"],
        actions: &["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:Get*"],
        levels: &["read", "write"],
        condition: None,
    },
    Row {
        target: Target::Named(Kind::Bucket),
        paths: &["/public/*"],
        actions: &["s3:GetObject"],
        levels: &["read"],
        condition: None,
    },
    Row {
        target: Target::Named(Kind::Bucket),
        paths: &[""],
        actions: &["s3:ListBucket"],
        levels: &[],
        condition: Some("s3:prefix like \"private/{var}/*\""),
    },
    Row {
        target: Target::Named(Kind::Table),
        paths: &[""],
        actions: &[
            "dynamodb:GetItem",
            "dynamodb:Query",
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:DeleteItem",
            "dynamodb:BatchGetItem",
        ],
        levels: &[],
        condition: Some("all dynamodb:LeadingKeys == \"{var}\""),
    },
    Row {
        target: Target::Named(Kind::Table),
        paths: &["/index/*"],
        actions: &["dynamodb:Query"],
        levels: &[],
        condition: None,
    },
    Row {
        target: Target::Named(Kind::RestApi),
        paths: &["/*", "/*/GET/notes", "/prod/POST/items/{var}"],
        actions: &["execute-api:Invoke"],
        levels: &[],
        condition: None,
    },
    Row {
        target: Target::Named(Kind::Function),
        paths: &[""],
        actions: &["lambda:InvokeFunction"],
        levels: &[],
        condition: None,
    },
    Row {
        target: Target::Named(Kind::Map),
        paths: &[""],
        actions: &[
            "geo:GetMapTile",
            "geo:GetMapStyleDescriptor",
            "geo:GetMapGlyphs",
            "geo:GetMapSprites",
            "geo:GetMap*",
        ],
        levels: &[],
        condition: None,
    },
    Row {
        target: Target::Named(Kind::Topic),
        paths: &[""],
        actions: &["sns:Publish"],
        levels: &[],
        condition: None,
    },
    Row {
        target: Target::Named(Kind::Queue),
        paths: &[""],
        actions: &["sqs:SendMessage", "sqs:ReceiveMessage"],
        levels: &[],
        condition: None,
    },
    Row {
        target: Target::Any,
        paths: &[""],
        actions: &[
            "mobileanalytics:PutEvents",
            "cognito-sync:*",
            "cognito-identity:*",
        ],
        levels: &[],
        condition: None,
    },
    Row {
        target: Target::Arn("arn:aws:s3:::example-shared-bucket"),
        paths: &["/users/{var}/*", "/*"],
        actions: &["s3:GetObject", "s3:PutObject"],
        levels: &[],
        condition: None,
    },
    // An API of another stack: its id imported by a name built from the
    // stack's parameter, in a partition-aware ARN.
    Row {
        target: Target::Arn(
            "arn:$(AWS::Partition):execute-api:$(AWS::Region):$(AWS::AccountId):$(import notes-$(Stage)-ApiId)",
        ),
        paths: &["/*", "/prod/GET/notes"],
        actions: &["execute-api:Invoke"],
        levels: &[],
        condition: None,
    },
    // A bucket of another stack, its ARN imported by a literal name.
    Row {
        target: Target::Arn("$(import shared-files-bucket-arn)"),
        paths: &["/users/{var}/*"],
        actions: &["s3:GetObject"],
        levels: &[],
        condition: None,
    },
];

/// Conditions on global keys, which fit any statement.
pub const GLOBAL_CONDITIONS: &[&str] = &[
    "aws:SourceIp ip \"10.0.0.0/8\"",
    "aws:SecureTransport is true",
    "aws:CurrentTime < \"2030-01-01T00:00:00Z\"",
    "aws:SourceIp not ip [\"192.0.2.0/24\", \"198.51.100.0/24\"]",
];

/// The principal tags a pool may map, and the claims they come from.
const PRINCIPAL_TAGS: &[(&str, &str)] = &[("team", "custom:team"), ("department", "custom:dept")];

const LOGINS: &[(&str, &str)] = &[
    (
        "google",
        "123456789012-abcdefghijklmnop.apps.googleusercontent.com",
    ),
    ("facebook", "1234567890123456"),
    ("amazon", "amzn1.application.0123456789abcdef"),
    ("apple", "com.example.app.signin"),
    (
        "twitter",
        "xvz1evFS4wEEPTGEFPHBog;kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAo",
    ),
];

const CLAIMS: &[&str] = &["cognito:groups", "custom:team", "email"];
const MATCH_OPS: &[&str] = &["==", "!=", "contains", "starts_with"];

/// A statement: a row, the actions of it (a mask), and its extras.
#[derive(Clone, Debug)]
pub struct StatementSpec {
    pub deny: bool,
    pub row: usize,
    pub path: usize,
    pub action_mask: u8,
    pub level: Option<usize>,
    /// Resources of the same kind named in the statement (1 or 2).
    pub instances: usize,
    pub first_instance: usize,
    pub var: usize,
    pub row_condition: bool,
    pub conditions: Vec<usize>,
    /// `if Enabled`: the statement exists only under a stack condition.
    pub if_condition: bool,
}

fn statement() -> impl Strategy<Value = StatementSpec> {
    (
        prop::bool::weighted(0.2),
        0..ROWS.len(),
        0..3usize,
        1..=255u8,
        prop::option::weighted(0.3, 0..2usize),
        1..=2usize,
        0..2usize,
        0..3usize,
        any::<bool>(),
        prop::collection::btree_set(0..GLOBAL_CONDITIONS.len(), 0..=2),
        prop::bool::weighted(0.2),
    )
        .prop_map(
            |(
                deny,
                row,
                path,
                action_mask,
                level,
                instances,
                first_instance,
                var,
                row_condition,
                conditions,
                if_condition,
            )| StatementSpec {
                deny,
                row,
                path,
                action_mask,
                level,
                instances,
                first_instance,
                var,
                row_condition,
                conditions: conditions.into_iter().collect(),
                if_condition,
            },
        )
}

/// A role's body.
#[derive(Clone, Debug)]
pub struct RoleSpec {
    pub policy_name: bool,
    pub managed_policy: bool,
    pub boundary: bool,
    pub statements: Vec<StatementSpec>,
    /// Role properties, a bit each: `description`, `max_session_duration`,
    /// `path`, `tag`.
    pub properties: u8,
}

fn role() -> impl Strategy<Value = RoleSpec> {
    (
        any::<bool>(),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.2),
        prop::collection::vec(statement(), 1..=4),
        0..16u8,
    )
        .prop_map(
            |(policy_name, managed_policy, boundary, statements, properties)| RoleSpec {
                policy_name,
                managed_policy,
                boundary,
                statements,
                properties,
            },
        )
}

/// One `authenticated role` / `unauthenticated role` line of a pool.
#[derive(Clone, Debug)]
pub enum RoleLine {
    None,
    /// `authenticated role Pool0Member { ... }`.
    InlineNamed(RoleSpec),
    /// `authenticated role { ... }`.
    InlineUnnamed(RoleSpec),
    /// `authenticated role Shared1`: the `n`th shared role of that usage.
    Shared(usize),
    /// `authenticated role Outside1`: a `use role` of the stack.
    Stack(usize),
    /// `authenticated role "arn:...$(Stage)"`: a role given by its ARN.
    Arn,
}

fn role_line() -> impl Strategy<Value = RoleLine> {
    prop_oneof![
        1 => Just(RoleLine::None),
        2 => role().prop_map(RoleLine::InlineNamed),
        2 => role().prop_map(RoleLine::InlineUnnamed),
        2 => (0..3usize).prop_map(RoleLine::Shared),
        1 => (0..2usize).prop_map(RoleLine::Stack),
        1 => Just(RoleLine::Arn),
    ]
}

/// `map PROVIDER by token|rules ...`.
#[derive(Clone, Debug)]
pub struct MapSpec {
    /// Index into the pool's mappable providers.
    pub provider: usize,
    /// `None`: by token; else the rules (claim, op, shared role).
    pub rules: Option<Vec<(usize, usize, usize)>>,
    /// 0: none (only by token), 1: `otherwise authenticated`, 2: `otherwise deny`.
    pub otherwise: usize,
}

fn map_spec() -> impl Strategy<Value = MapSpec> {
    (
        0..4usize,
        prop::option::of(prop::collection::vec(
            (0..CLAIMS.len(), 0..MATCH_OPS.len(), 0..3usize),
            1..=4,
        )),
        0..3usize,
    )
        .prop_map(|(provider, rules, otherwise)| MapSpec {
            provider,
            rules,
            otherwise,
        })
}

/// An identity pool.
#[derive(Clone, Debug)]
pub struct PoolSpec {
    /// 0: no `name`, 1: a literal, 2: with `${self:custom.stage}`.
    pub name: usize,
    /// User pool providers (0..=2), each with `server_side_token_check` or not.
    pub user_pools: Vec<bool>,
    pub logins: Vec<usize>,
    /// 0: none, 1: by ARN, 2: by `use oidc_provider`, 3: both.
    pub oidc: usize,
    pub saml: usize,
    pub developer: bool,
    pub classic_flow: bool,
    pub tags: usize,
    pub authenticated: RoleLine,
    pub unauthenticated: RoleLine,
    pub maps: Vec<MapSpec>,
    /// 0: none, 1: `default`, 2: `team`, 3: `team` and `department`.
    pub principal_tags: usize,
    /// Names and resource attributes, a bit each: `deletion_policy`,
    /// `update_replace_policy`, `depends_on`, `metadata`, `attachment`,
    /// `principal_tags ... as`.
    pub attributes: u8,
}

fn pool() -> impl Strategy<Value = PoolSpec> {
    (
        (
            0..4usize,
            prop::collection::vec(any::<bool>(), 0..=2),
            prop::collection::btree_set(0..LOGINS.len(), 0..=3),
            0..4usize,
            0..4usize,
            prop::bool::weighted(0.3),
        ),
        (
            prop::bool::weighted(0.3),
            0..3usize,
            role_line(),
            role_line(),
            prop::collection::vec(map_spec(), 0..=2),
            0..4usize,
        ),
        0..64u8,
    )
        .prop_map(
            |(
                (name, user_pools, logins, oidc, saml, developer),
                (classic_flow, tags, authenticated, unauthenticated, maps, principal_tags),
                attributes,
            )| PoolSpec {
                name,
                user_pools,
                logins: logins.into_iter().collect(),
                oidc,
                saml,
                developer,
                classic_flow,
                tags,
                authenticated,
                unauthenticated,
                maps,
                principal_tags,
                attributes,
            },
        )
}

/// A whole program.
#[derive(Clone, Debug)]
pub struct Spec {
    /// Top-level roles: for guests (`false`) or signed-in users (`true`).
    pub shared: Vec<(bool, RoleSpec)>,
    pub pools: Vec<PoolSpec>,
    /// Outputs: indices into the things that can be output.
    pub outputs: Vec<usize>,
}

/// The strategy for whole programs.
pub fn spec() -> impl Strategy<Value = Spec> {
    (
        prop::collection::vec((any::<bool>(), role()), 0..=3),
        prop::collection::vec(pool(), 1..=3),
        prop::collection::vec(any::<usize>(), 0..=3),
    )
        .prop_map(|(shared, pools, outputs)| Spec {
            shared,
            pools,
            outputs,
        })
}

/// A rendered program.
#[derive(Clone)]
pub struct Program {
    pub text: String,
    /// Whether the program holds a Serverless variable (so it only
    /// compiles for `--target serverless`).
    pub serverless_vars: bool,
}

impl std::fmt::Debug for Program {
    // proptest prints failing values with Debug: show the program itself.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "\n{}", self.text)
    }
}

/// The strategy for rendered programs.
pub fn program() -> impl Strategy<Value = Program> {
    spec().prop_map(|spec| spec.render())
}

struct Renderer<'a> {
    spec: &'a Spec,
    used: BTreeSet<(Kind, usize)>,
    /// Shared roles used, by index into `spec.shared`.
    shared_used: BTreeSet<usize>,
    serverless_vars: bool,
    /// Whether a string names the parameter `Stage` (`use parameter`).
    parameter_used: bool,
    /// Whether a statement is under the condition `Enabled`.
    condition_used: bool,
}

impl Spec {
    /// The program text of this spec.
    pub fn render(&self) -> Program {
        let mut r = Renderer {
            spec: self,
            used: BTreeSet::new(),
            shared_used: BTreeSet::new(),
            serverless_vars: false,
            parameter_used: false,
            condition_used: false,
        };
        let mut pools = String::new();
        for (index, pool) in self.pools.iter().enumerate() {
            r.pool(&mut pools, index, pool);
        }
        let mut shared = String::new();
        for (index, (authenticated, role)) in self.shared.iter().enumerate() {
            if r.shared_used.contains(&index) {
                let _ = writeln!(
                    shared,
                    "# for {}",
                    if *authenticated {
                        "signed-in users"
                    } else {
                        "guests"
                    }
                );
                let body = r.role_body(role, &[], "");
                let _ = writeln!(shared, "role Shared{index} {body}\n");
            }
        }
        let mut outputs = String::new();
        let mut targets: Vec<String> = Vec::new();
        for index in 0..self.pools.len() {
            targets.push(format!("Pool{index}"));
            targets.push(format!("Pool{index}.Id"));
            targets.push(format!("Pool{index}.Name"));
        }
        for index in &r.shared_used {
            targets.push(format!("Shared{index}.Arn"));
        }
        for (kind, index) in &r.used {
            targets.push(kind.name(*index));
            if let Some(attribute) = kind.attribute() {
                targets.push(format!("{}.{attribute}", kind.name(*index)));
            }
        }
        for (n, choice) in self.outputs.iter().enumerate() {
            let target = &targets[choice % targets.len()];
            // Some with a description, some also exported (names unique).
            match (choice / targets.len()) % 3 {
                0 => {
                    let _ = writeln!(outputs, "output Out{n} = {target}");
                }
                1 => {
                    let _ = writeln!(
                        outputs,
                        "output Out{n} = {target} {{\n  description \"Output {n}\"\n}}"
                    );
                }
                _ => {
                    let _ = writeln!(
                        outputs,
                        "output Out{n} = {target} {{\n  description \"Output {n}\"\n  export \"generated-out-{n}\"\n}}"
                    );
                }
            }
        }
        // Output targets that are resources are `use`d too (they were
        // already, when listed from `used`).
        let mut text = String::from("# generated by tests/gen\n");
        if r.parameter_used {
            text.push_str("use parameter Stage\n");
        }
        if r.condition_used {
            text.push_str("use condition Enabled\n");
        }
        let mut kinds: Vec<Kind> = r.used.iter().map(|(k, _)| *k).collect();
        kinds.dedup();
        for kind in kinds {
            let names: Vec<String> = r
                .used
                .iter()
                .filter(|(k, _)| *k == kind)
                .map(|(k, i)| k.name(*i))
                .collect();
            let _ = writeln!(text, "use {} {}", kind.keyword(), names.join(", "));
        }
        text.push('\n');
        text.push_str(&shared);
        text.push_str(&pools);
        text.push_str(&outputs);
        Program {
            text,
            serverless_vars: r.serverless_vars,
        }
    }
}

impl Renderer<'_> {
    fn use_name(&mut self, kind: Kind, index: usize) -> String {
        self.used.insert((kind, index));
        kind.name(index)
    }

    /// The first shared role of this usage at or after `choice`, if any.
    fn shared_role(&mut self, authenticated: bool, choice: usize) -> Option<String> {
        let candidates: Vec<usize> = (0..self.spec.shared.len())
            .filter(|i| self.spec.shared[*i].0 == authenticated)
            .collect();
        if candidates.is_empty() {
            return None;
        }
        let index = candidates[choice % candidates.len()];
        self.shared_used.insert(index);
        Some(format!("Shared{index}"))
    }

    fn pool(&mut self, out: &mut String, index: usize, pool: &PoolSpec) {
        let id = format!("Pool{index}");
        let _ = writeln!(out, "identity_pool {id} {{");
        match pool.name {
            1 => {
                let _ = writeln!(out, "  name \"Generated pool {index}\"");
            }
            2 => {
                self.serverless_vars = true;
                let _ = writeln!(out, "  name \"${{self:custom.stage}}GeneratedPool{index}\"");
            }
            3 => {
                self.parameter_used = true;
                let _ = writeln!(out, "  name \"$(AWS::StackName)-$(Stage)-pool{index}\"");
            }
            _ => {}
        }
        // Providers, and the ones `map` and `principal_tags` can name.
        let mut mappable: Vec<String> = Vec::new();
        let mut user_pools: Vec<String> = Vec::new();
        for (n, check) in pool.user_pools.iter().enumerate() {
            let user_pool = self.use_name(Kind::UserPool, n);
            let client = self.use_name(Kind::UserPoolClient, n);
            let check = if *check {
                " server_side_token_check"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "  provider user_pool {user_pool} client {client}{check}"
            );
            mappable.push(user_pool.clone());
            user_pools.push(user_pool);
        }
        for login in &pool.logins {
            let (keyword, id) = LOGINS[*login];
            let _ = writeln!(out, "  provider {keyword} \"{id}\"");
            mappable.push(keyword.to_string());
        }
        for (protocol, choice, kind, arn) in [
            (
                "oidc",
                pool.oidc,
                Kind::OidcProvider,
                "arn:aws:iam::123456789012:oidc-provider/login.partner.example.com",
            ),
            (
                "saml",
                pool.saml,
                Kind::SamlProvider,
                "arn:aws:iam::123456789012:saml-provider/CorporateIdP",
            ),
        ] {
            if choice & 1 != 0 {
                let _ = writeln!(out, "  provider {protocol} \"{arn}\"");
            }
            if choice & 2 != 0 {
                let name = self.use_name(kind, 0);
                let _ = writeln!(out, "  provider {protocol} {name}");
            }
        }
        if pool.developer {
            let _ = writeln!(
                out,
                "  provider developer \"login.generated{index}.example\""
            );
        }
        for tag in 0..pool.tags {
            let _ = writeln!(out, "  tag \"team{tag}\" = \"value {tag}\"");
        }
        let previous = index.checked_sub(1).map(|i| format!("Pool{i}"));
        self.pool_attributes(out, &id, pool, previous.as_deref());
        // Principal tags, on the first user pool.
        let mut mapped_tags: Vec<&str> = Vec::new();
        let tags_as = match pool.attributes & 32 {
            0 => String::new(),
            _ => format!(" as {id}Tags"),
        };
        if let Some(user_pool) = user_pools.first() {
            match pool.principal_tags {
                1 => {
                    let _ = writeln!(out, "  principal_tags {user_pool}{tags_as} default");
                }
                2 | 3 => {
                    let _ = writeln!(out, "  principal_tags {user_pool}{tags_as} {{");
                    for (tag, claim) in &PRINCIPAL_TAGS[..pool.principal_tags - 1] {
                        let _ = writeln!(out, "    \"{tag}\" = \"{claim}\"");
                        mapped_tags.push(tag);
                    }
                    let _ = writeln!(out, "  }}");
                }
                _ => {}
            }
        }
        // Role mappings, one per provider. A rules mapping whose unmatched
        // users fall back to the authenticated role is written as a careful
        // team writes it (W0612): one of its rules hands out that very
        // role, a shared one, so the fallback can do nothing the rules'
        // roles cannot; with an inline authenticated role, unmatched users
        // are refused instead.
        let fallback = match &pool.authenticated {
            RoleLine::Shared(choice) => self.shared_role(true, *choice),
            _ => None,
        };
        let mut mapped: Vec<usize> = Vec::new();
        if !mappable.is_empty() {
            for map in &pool.maps {
                let provider = map.provider % mappable.len();
                if mapped.contains(&provider) {
                    continue;
                }
                mapped.push(provider);
                let provider = &mappable[provider];
                let falls_back = map.otherwise != 2 && fallback.is_some();
                let rules: Option<Vec<String>> = map.rules.as_ref().and_then(|rules| {
                    let mut lines = Vec::new();
                    for (n, (claim, op, role)) in rules.iter().enumerate() {
                        // Not the drawn role: a shared role drawn and not
                        // handed out would be unused (W0202).
                        let role = if falls_back && n + 1 == rules.len() {
                            fallback.clone()?
                        } else {
                            self.shared_role(true, *role)?
                        };
                        lines.push(format!(
                            "    \"{}\" {} \"value{n}\" => {role}",
                            CLAIMS[*claim], MATCH_OPS[*op]
                        ));
                    }
                    Some(lines)
                });
                match rules {
                    Some(lines) => {
                        let _ = writeln!(out, "  map {provider} by rules {{");
                        for line in lines {
                            let _ = writeln!(out, "{line}");
                        }
                        let otherwise = if falls_back { "authenticated" } else { "deny" };
                        let _ = writeln!(out, "    otherwise {otherwise}");
                        let _ = writeln!(out, "  }}");
                    }
                    None => {
                        let otherwise = match map.otherwise {
                            1 => " otherwise authenticated",
                            2 => " otherwise deny",
                            _ => "",
                        };
                        let _ = writeln!(out, "  map {provider} by token{otherwise}");
                    }
                }
            }
        }
        if pool.classic_flow && mapped.is_empty() {
            let _ = writeln!(out, "  classic_flow");
        }
        for (usage, line, inline_name) in [
            ("authenticated", &pool.authenticated, "Member"),
            ("unauthenticated", &pool.unauthenticated, "Visitor"),
        ] {
            let authenticated = usage == "authenticated";
            match line {
                RoleLine::None => {}
                RoleLine::InlineNamed(role) => {
                    let body = self.role_body(role, &mapped_tags, "  ");
                    let _ = writeln!(out, "  {usage} role {id}{inline_name} {body}");
                }
                RoleLine::InlineUnnamed(role) => {
                    let body = self.role_body(role, &mapped_tags, "  ");
                    let _ = writeln!(out, "  {usage} role {body}");
                }
                RoleLine::Shared(choice) => {
                    if let Some(name) = self.shared_role(authenticated, *choice) {
                        let _ = writeln!(out, "  {usage} role {name}");
                    }
                }
                RoleLine::Stack(index) => {
                    let name = self.use_name(Kind::Role, *index);
                    let _ = writeln!(out, "  {usage} role {name}");
                }
                RoleLine::Arn => {
                    self.parameter_used = true;
                    let _ = writeln!(
                        out,
                        "  {usage} role \"arn:aws:iam::123456789012:role/outside-{usage}-$(Stage)\""
                    );
                }
            }
        }
        let _ = writeln!(out, "}}\n");
    }

    /// A pool's `deletion_policy`, `update_replace_policy`, `depends_on`
    /// (on the previous pool), `metadata` and `attachment` lines. The
    /// attachment is named only when an inline role makes sure there is one.
    fn pool_attributes(
        &mut self,
        out: &mut String,
        id: &str,
        pool: &PoolSpec,
        previous: Option<&str>,
    ) {
        let bits = pool.attributes;
        // Both policies together: one without the other leaves the pool
        // unprotected on replacement (cfn-lint W3011).
        let policy = match (bits & 1 != 0, bits & 2 != 0) {
            (true, _) => Some("retain"),
            (false, true) => Some("delete"),
            (false, false) => None,
        };
        if let Some(policy) = policy {
            let _ = writeln!(out, "  deletion_policy {policy}");
            let _ = writeln!(out, "  update_replace_policy {policy}");
        }
        // On the previous pool: a resource of the program (so import can
        // tell its kind) that the pool's properties do not already name (a
        // `DependsOn` its `Ref`s imply is cfn-lint's W3005).
        if bits & 4 != 0
            && let Some(previous) = previous
        {
            let _ = writeln!(out, "  depends_on {previous}");
        }
        if bits & 8 != 0 {
            let _ = writeln!(
                out,
                "  metadata \"{{\\\"generated\\\": {{\\\"pool\\\": \\\"{id}\\\"}}}}\""
            );
        }
        let inline =
            |line: &RoleLine| matches!(line, RoleLine::InlineNamed(_) | RoleLine::InlineUnnamed(_));
        if bits & 16 != 0 && (inline(&pool.authenticated) || inline(&pool.unauthenticated)) {
            let _ = writeln!(out, "  attachment {id}Attachment");
        }
    }

    /// `{ ... }` of a role; `tags` are the principal tags its pool maps.
    fn role_body(&mut self, role: &RoleSpec, tags: &[&str], indent: &str) -> String {
        let mut out = String::from("{\n");
        if role.policy_name {
            let _ = writeln!(out, "{indent}  policy \"GeneratedPolicy\"");
        }
        if role.managed_policy {
            let _ = writeln!(
                out,
                "{indent}  managed_policy \"arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess\""
            );
        }
        if role.boundary {
            let _ = writeln!(
                out,
                "{indent}  boundary \"arn:aws:iam::123456789012:policy/GeneratedBoundary\""
            );
        }
        let properties = [
            "description \"A generated role\"",
            "max_session_duration 7200",
            "path \"/generated/\"",
            "tag \"team\" = \"generated\"",
        ];
        for (bit, line) in properties.iter().enumerate() {
            if role.properties & (1 << bit) != 0 {
                let _ = writeln!(out, "{indent}  {line}");
            }
        }
        // A role of three or more statements keeps its last one in a
        // named policy of its own.
        let split = match role.statements.len() {
            n if n >= 3 => n - 1,
            n => n,
        };
        let (main, extra) = role.statements.split_at(split);
        for statement in main {
            let line = self.statement(statement, tags);
            let _ = writeln!(out, "{indent}  {line}");
        }
        if !extra.is_empty() {
            let _ = writeln!(out, "{indent}  policy \"GeneratedExtra\" {{");
            for statement in extra {
                let line = self.statement(statement, tags);
                let _ = writeln!(out, "{indent}    {line}");
            }
            let _ = writeln!(out, "{indent}  }}");
        }
        out.push_str(indent);
        out.push('}');
        out
    }

    fn statement(&mut self, s: &StatementSpec, tags: &[&str]) -> String {
        let row = &ROWS[s.row];
        let mut vars: Vec<String> = vec!["$<sub>".into(), "$<aws:username>".into()];
        vars.extend(tags.iter().map(|t| format!("$<aws:PrincipalTag/{t}>")));
        let var = &vars[s.var % vars.len()];
        let path = row.paths[s.path % row.paths.len()].replace("{var}", var);
        let mut items: Vec<String> = row
            .actions
            .iter()
            .enumerate()
            .filter(|(i, _)| s.action_mask & (1 << i) != 0)
            .map(|(_, a)| a.to_string())
            .collect();
        // A level only on the rows that have one; keep at least one item.
        if let (Some(level), false) = (s.level, row.levels.is_empty()) {
            items.push(row.levels[level % row.levels.len()].to_string());
        }
        if items.is_empty() {
            items.push(row.actions[0].to_string());
        }
        let resources: Vec<String> = match row.target {
            Target::Named(kind) => (0..s.instances)
                .map(|n| {
                    let name = self.use_name(kind, (s.first_instance + n) % 2);
                    format!("{name}{path}")
                })
                .collect(),
            Target::Any => vec!["*".into()],
            Target::Arn(arn) => {
                self.parameter_used |= arn.contains("$(Stage)");
                vec![format!("\"{arn}{path}\"")]
            }
        };
        let mut line = format!(
            "{} {} on {}",
            if s.deny { "deny" } else { "allow" },
            items.join(", "),
            resources.join(", ")
        );
        let mut conditions: Vec<String> = Vec::new();
        if let (Some(condition), true) = (row.condition, s.row_condition) {
            conditions.push(condition.replace("{var}", var));
        }
        conditions.extend(
            s.conditions
                .iter()
                .map(|c| GLOBAL_CONDITIONS[*c].to_string()),
        );
        if !conditions.is_empty() {
            line.push_str(" when ");
            line.push_str(&conditions.join(" and "));
        }
        if s.if_condition {
            self.condition_used = true;
            line.push_str(" if Enabled");
        }
        line
    }
}
