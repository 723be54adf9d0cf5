//! `idpc graph`: a picture of who can do what.
//!
//! Beside the pipeline: it reads the checked program (every name resolved,
//! the program valid) and draws identity pools → their providers → the roles
//! those providers' identities get (role-mapping rules on the edges) → the
//! resources each role may act on (the actions or access levels on the
//! edges, deny edges dashed and red). Guests, who get the unauthenticated
//! role without signing in, are drawn apart in their own subgraph.
//!
//! [`Graph`] is the picture, independent of notation; [`Graph::mermaid`] and
//! [`Graph::dot`] write it. Both are deterministic: nodes and edges come in
//! the program's order, and node IDs are derived from names, made safe for
//! both notations and unique.

mod dot;
mod mermaid;

use crate::check::Checked;
use crate::check::ir::{
    ConditionDef, ExternalRole, IdentityProviderName, Piece, Pool, ProviderArn, ResourceDef, Role,
    RoleMappingDef, Statement, Value,
};
use crate::check::policy_vars::COGNITO_PREFIX;
use crate::syntax::ast::{Effect, Otherwise, RoleUsage};
use crate::vocabulary::{ConditionOp, Operator};
use std::collections::{BTreeMap, BTreeSet};

/// The notations `idpc graph` writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Notation {
    /// Mermaid `flowchart`, which GitHub renders in Markdown.
    #[default]
    Mermaid,
    /// Graphviz DOT.
    Dot,
}

/// Draws a checked program. `program` is the file's name, shown in the
/// header comment.
pub fn draw(checked: &Checked, program: &str, notation: Notation) -> String {
    let graph = Graph::of(checked, program);
    match notation {
        Notation::Mermaid => graph.mermaid(),
        Notation::Dot => graph.dot(),
    }
}

/// The picture, before it is written in a notation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Graph {
    /// The header comment.
    pub header: String,
    /// Groups of nodes drawn in a box: one per pool, then the guests.
    pub clusters: Vec<Cluster>,
    /// The nodes outside any cluster: roles and resources.
    pub nodes: Vec<Node>,
    /// The edges, in the program's order.
    pub edges: Vec<Edge>,
}

/// A box around nodes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cluster {
    /// Its ID (unique among node and cluster IDs).
    pub id: String,
    /// Its title.
    pub title: String,
    /// Whether it holds the guests' roles (drawn apart).
    pub guests: bool,
    /// Its nodes.
    pub nodes: Vec<Node>,
}

/// A node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    /// Its ID: ASCII letters, digits and `_`, starting with a letter.
    pub id: String,
    /// What it stands for, which decides its shape and colour.
    pub kind: NodeKind,
    /// Its label, line by line (plain text, escaped by each notation).
    pub lines: Vec<String>,
}

/// What a node stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeKind {
    /// An identity pool.
    Pool,
    /// A provider of a pool (user pool, social login, OIDC, SAML, developer).
    Provider,
    /// A role signed-in users get.
    Role,
    /// A role guests get (unauthenticated).
    GuestRole,
    /// The role a token names (`map U by token`).
    FromToken,
    /// No credentials at all (`otherwise deny`).
    NoCredentials,
    /// A resource, `*` or an ARN.
    Resource,
}

/// An edge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edge {
    /// The source node's ID.
    pub from: String,
    /// The target node's ID.
    pub to: String,
    /// What it means, which decides its style.
    pub kind: EdgeKind,
    /// Its label, line by line; may be empty.
    pub lines: Vec<String>,
}

/// What an edge means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EdgeKind {
    /// A pool accepts identities from a provider.
    Provider,
    /// A provider's identities get a role (plainly, or by a mapping rule).
    Assumes,
    /// A pool hands guests a role.
    Guests,
    /// A provider's identities get no credentials (`otherwise deny`).
    Refused,
    /// A role's `allow` statement on a resource.
    Allow,
    /// A role's `deny` statement on a resource.
    Deny,
}

/// The most actions on one line of an edge's label.
const ACTIONS_PER_LINE: usize = 3;
/// The most conditions listed on an edge; the rest are counted.
const CONDITIONS_SHOWN: usize = 2;
/// The longest condition value shown whole, in characters.
const VALUE_CHARS: usize = 32;

impl Graph {
    /// The picture of a checked program.
    pub fn of(checked: &Checked, program: &str) -> Graph {
        let mut builder = Builder::default();
        let roles: BTreeMap<&str, &Role> = checked
            .pools
            .iter()
            .flat_map(|pool| &pool.roles)
            .chain(&checked.shared_roles)
            .map(|role| (role.logical_id.as_str(), role))
            .collect();
        for pool in &checked.pools {
            builder.pool(pool, &roles);
        }
        // Roles in the order the program defines them: each pool's own, then
        // the shared ones.
        for role in checked
            .pools
            .iter()
            .flat_map(|pool| &pool.roles)
            .chain(&checked.shared_roles)
        {
            // With its named policies' and attached managed policies'
            // statements: all it is allowed.
            builder.permissions(&checked.permissions(role));
        }
        let mut clusters = builder.pools;
        if !builder.guests.is_empty() {
            clusters.push(Cluster {
                id: builder.ids.id("cluster", "guests"),
                title: "Guests (unauthenticated)".to_string(),
                guests: true,
                nodes: builder.guests,
            });
        }
        Graph {
            header: format!(
                "Generated by idpc graph from {}: who can do what.",
                program.rsplit(['/', '\\']).next().unwrap_or(program)
            ),
            clusters,
            nodes: builder.nodes,
            edges: builder.edges,
        }
    }

    /// Every node, in clusters or not, in the order they are written.
    pub fn all_nodes(&self) -> impl Iterator<Item = &Node> {
        self.clusters
            .iter()
            .flat_map(|cluster| &cluster.nodes)
            .chain(&self.nodes)
    }
}

/// Node IDs derived from names: safe in both notations and unique.
#[derive(Debug, Default)]
struct Ids {
    /// What each thing (`kind` + name) was given.
    given: BTreeMap<(String, String), String>,
    /// Every ID handed out.
    taken: BTreeSet<String>,
}

impl Ids {
    /// The ID of the thing `name` of kind `prefix`: the same for the same
    /// thing, different for different things. The prefix keeps IDs clear of
    /// Mermaid's keywords (`end`, `graph`) and of the `o`/`x` that Mermaid
    /// reads as arrow heads after `--`.
    fn id(&mut self, prefix: &str, name: &str) -> String {
        let key = (prefix.to_string(), name.to_string());
        if let Some(id) = self.given.get(&key) {
            return id.clone();
        }
        let safe: String = name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        let base = format!("{prefix}_{safe}");
        let mut id = base.clone();
        let mut n = 2;
        while self.taken.contains(&id) {
            id = format!("{base}_{n}");
            n += 1;
        }
        self.taken.insert(id.clone());
        self.given.insert(key, id.clone());
        id
    }

    /// Whether the thing already has its ID (and so its node).
    fn has(&self, prefix: &str, name: &str) -> bool {
        self.given
            .contains_key(&(prefix.to_string(), name.to_string()))
    }
}

/// Collects nodes and edges as it walks the program.
#[derive(Debug, Default)]
struct Builder {
    ids: Ids,
    pools: Vec<Cluster>,
    guests: Vec<Node>,
    nodes: Vec<Node>,
    edges: Vec<Edge>,
}

/// A provider of a pool, as drawn, with the names role mappings and
/// principal tags know it by.
struct DrawnProvider {
    id: String,
    names: Vec<String>,
    lines: Vec<String>,
}

impl Builder {
    fn edge(&mut self, from: &str, to: &str, kind: EdgeKind, lines: Vec<String>) {
        self.edges.push(Edge {
            from: from.to_string(),
            to: to.to_string(),
            kind,
            lines,
        });
    }

    /// The ID of a role's node, adding the node the first time.
    fn role(&mut self, logical_id: &str, roles: &BTreeMap<&str, &Role>) -> String {
        let known = self.ids.has("role", logical_id);
        let id = self.ids.id("role", logical_id);
        if !known {
            let guest = roles
                .get(logical_id)
                .is_some_and(|role| role.usage == RoleUsage::Unauthenticated);
            let (kind, what) = match (guest, roles.contains_key(logical_id)) {
                (true, _) => (NodeKind::GuestRole, "guests' role"),
                (false, true) => (NodeKind::Role, "role"),
                // A `use role` a mapping rule hands out.
                (false, false) => (NodeKind::Role, "role of the stack, not checked"),
            };
            let node = Node {
                id: id.clone(),
                kind,
                lines: vec![logical_id.to_string(), what.to_string()],
            };
            match guest {
                true => self.guests.push(node),
                false => self.nodes.push(node),
            }
        }
        id
    }

    /// A pool: its box with its providers, and who gets which role.
    fn pool(&mut self, pool: &Pool, roles: &BTreeMap<&str, &Role>) {
        let pool_id = self.ids.id("pool", &pool.logical_id);
        let cluster_id = self.ids.id("cluster", &pool.logical_id);
        let mut pool_lines = vec![pool.logical_id.clone(), "identity pool".to_string()];
        if pool.classic_flow {
            pool_lines.push("classic flow".to_string());
        }
        let mut nodes = vec![Node {
            id: pool_id.clone(),
            kind: NodeKind::Pool,
            lines: pool_lines,
        }];
        let mut providers = self.providers(pool);
        principal_tag_lines(pool, &mut providers);
        let mut mappings: Vec<&RoleMappingDef> = pool
            .attachment
            .iter()
            .flat_map(|attachment| &attachment.mappings)
            .collect();
        self.external_roles(pool);
        let role_of = |usage: RoleUsage| attached_role(pool, usage);
        let authenticated = role_of(RoleUsage::Authenticated);
        for provider in &providers {
            nodes.push(Node {
                id: provider.id.clone(),
                kind: NodeKind::Provider,
                lines: provider.lines.clone(),
            });
        }
        self.pools.push(Cluster {
            id: cluster_id,
            title: format!("identity pool {}", pool.logical_id),
            guests: false,
            nodes,
        });
        let first_edge = self.edges.len();
        for provider in &providers {
            self.edge(&pool_id, &provider.id, EdgeKind::Provider, Vec::new());
            let mapping = mappings
                .iter()
                .position(|mapping| provider.names.contains(&provider_name(&mapping.provider)))
                .map(|index| mappings.remove(index));
            match mapping {
                Some(mapping) => {
                    self.mapping(pool, &provider.id, mapping, authenticated.as_deref(), roles)
                }
                None => {
                    if let Some(role) = &authenticated {
                        let role_id = self.role(role, roles);
                        let lines = vec!["signed in".to_string()];
                        self.edge(&provider.id, &role_id, EdgeKind::Assumes, lines);
                    }
                }
            }
        }
        // Every provider may have a mapping that never falls back to the
        // authenticated role; it is still the pool's, so it is drawn.
        if let Some(role) = &authenticated {
            let role_id = self.role(role, roles);
            if !self.edges[first_edge..]
                .iter()
                .any(|edge| edge.to == role_id)
            {
                let lines = vec!["authenticated role".to_string()];
                self.edge(&pool_id, &role_id, EdgeKind::Assumes, lines);
            }
        }
        if let Some(guest_role) = role_of(RoleUsage::Unauthenticated) {
            let role_id = self.role(&guest_role, roles);
            let lines = vec!["guests, not signed in".to_string()];
            self.edge(&pool_id, &role_id, EdgeKind::Guests, lines);
        }
    }

    /// The nodes of the roles a pool attaches that the program does not
    /// define: named as written, their permissions unknown.
    fn external_roles(&mut self, pool: &Pool) {
        for (usage, role) in pool.attachment.iter().flat_map(|a| &a.external_roles) {
            let name = external_name(role);
            if self.ids.has("role", &name) {
                continue;
            }
            let id = self.ids.id("role", &name);
            let guest = *usage == RoleUsage::Unauthenticated;
            let (kind, what) = match guest {
                true => (
                    NodeKind::GuestRole,
                    "guests' role of the stack, not checked",
                ),
                false => (NodeKind::Role, "role of the stack, not checked"),
            };
            let node = Node {
                id,
                kind,
                lines: vec![name, what.to_string()],
            };
            match guest {
                true => self.guests.push(node),
                false => self.nodes.push(node),
            }
        }
    }

    /// A pool's providers as nodes, in the order CloudFormation lists them.
    fn providers(&mut self, pool: &Pool) -> Vec<DrawnProvider> {
        let mut providers = Vec::new();
        let mut add = |ids: &mut Ids, key: String, names: Vec<String>, lines: Vec<String>| {
            providers.push(DrawnProvider {
                id: ids.id("provider", &format!("{}_{key}", pool.logical_id)),
                names,
                lines,
            });
        };
        for user_pool in &pool.user_pools {
            let (pool_text, client_text) = match &user_pool.given {
                Some((name, client)) => (plain(name), plain(client)),
                None => (user_pool.user_pool.clone(), user_pool.client.clone()),
            };
            let mut lines = vec![
                format!("user pool {pool_text}"),
                format!("client {client_text}"),
            ];
            if user_pool.server_side_token_check {
                lines.push("server-side token check".to_string());
            }
            // A user pool given as text: no `map` can name it.
            let names = match user_pool.given {
                Some(_) => Vec::new(),
                None => vec![
                    format!("user_pool:{}", user_pool.user_pool),
                    format!("user_pool:{}:{}", user_pool.user_pool, user_pool.client),
                ],
            };
            let key = format!("{pool_text}_{client_text}");
            add(&mut self.ids, key, names, lines);
        }
        for (domain, _app_id) in &pool.login_providers {
            // The app id is left out: Twitter's holds the consumer secret.
            add(
                &mut self.ids,
                domain.clone(),
                vec![format!("literal:{domain}")],
                vec![domain.clone()],
            );
        }
        for (protocol, arns) in [
            ("OIDC", &pool.oidc_providers),
            ("SAML", &pool.saml_providers),
        ] {
            for arn in arns {
                let (key, names, shown) = match arn {
                    ProviderArn::Arn(value) => {
                        let text = plain(value);
                        let literal = match protocol {
                            "OIDC" => text
                                .split_once("oidc-provider/")
                                .map_or(text.as_str(), |(_, host)| host)
                                .to_string(),
                            _ => text.clone(),
                        };
                        (text.clone(), vec![format!("literal:{literal}")], text)
                    }
                    ProviderArn::Resource(id) => {
                        (id.clone(), vec![format!("{protocol}:{id}")], id.clone())
                    }
                };
                add(&mut self.ids, key, names, vec![protocol.to_string(), shown]);
            }
        }
        if let Some(developer) = &pool.developer_provider {
            let text = plain(developer);
            let lines = vec!["developer".to_string(), text.clone()];
            add(&mut self.ids, text, Vec::new(), lines);
        }
        providers
    }

    /// The edges of a role mapping: a rule each, then what happens
    /// otherwise.
    fn mapping(
        &mut self,
        pool: &Pool,
        provider: &str,
        mapping: &RoleMappingDef,
        authenticated: Option<&str>,
        roles: &BTreeMap<&str, &Role>,
    ) {
        match &mapping.rules {
            Some(rules) => {
                for (index, rule) in rules.iter().enumerate() {
                    let role_id = self.role(&rule.role, roles);
                    let lines = vec![format!(
                        "{}. {} {} {}",
                        index + 1,
                        plain(&rule.claim),
                        rule.op.keyword(),
                        quoted(&rule.value)
                    )];
                    self.edge(provider, &role_id, EdgeKind::Assumes, lines);
                }
            }
            None => {
                let name = format!("{}_{}", pool.logical_id, mapping.key);
                let known = self.ids.has("token", &name);
                let id = self.ids.id("token", &name);
                if !known {
                    self.nodes.push(Node {
                        id: id.clone(),
                        kind: NodeKind::FromToken,
                        lines: vec![
                            "the role the token names".to_string(),
                            "cognito:preferred_role".to_string(),
                        ],
                    });
                }
                let lines = vec!["by token".to_string()];
                self.edge(provider, &id, EdgeKind::Assumes, lines);
            }
        }
        let otherwise = vec!["otherwise".to_string()];
        match (mapping.otherwise, authenticated) {
            (Otherwise::Authenticated, Some(role)) => {
                let role_id = self.role(role, roles);
                self.edge(provider, &role_id, EdgeKind::Assumes, otherwise);
            }
            // The checker refuses this; nothing to draw.
            (Otherwise::Authenticated, None) => {}
            (Otherwise::Deny, _) => {
                let known = self.ids.has("refused", &pool.logical_id);
                let id = self.ids.id("refused", &pool.logical_id);
                if !known {
                    self.nodes.push(Node {
                        id: id.clone(),
                        kind: NodeKind::NoCredentials,
                        lines: vec!["no credentials".to_string()],
                    });
                }
                self.edge(provider, &id, EdgeKind::Refused, otherwise);
            }
        }
    }

    /// A role's statements: an edge per statement and resource.
    fn permissions(&mut self, role: &Role) {
        // A role no pool reaches has no node; it is not in the picture.
        if !self.ids.has("role", &role.logical_id) {
            return;
        }
        let role_id = self.ids.id("role", &role.logical_id);
        for statement in &role.statements {
            for resource in &statement.resources {
                let (resource_id, path) = self.resource(resource);
                let kind = match statement.effect {
                    Effect::Allow => EdgeKind::Allow,
                    Effect::Deny => EdgeKind::Deny,
                };
                let lines = statement_lines(statement, path.as_ref());
                self.edge(&role_id, &resource_id, kind, lines);
            }
        }
    }

    /// The ID of a resource's node, adding the node the first time, and the
    /// path within the resource the statement names.
    fn resource(&mut self, resource: &ResourceDef) -> (String, Option<Value>) {
        let (name, lines, path) = match resource {
            ResourceDef::Any => (
                "resource".to_string(),
                vec!["*".to_string(), "every resource".to_string()],
                None,
            ),
            ResourceDef::Arn(value) => {
                let text = plain(value);
                (text.clone(), vec![text], None)
            }
            ResourceDef::Of {
                logical_id,
                kind,
                path,
            } => (
                logical_id.clone(),
                vec![logical_id.clone(), kind.keyword().to_string()],
                path.clone(),
            ),
        };
        let prefix = match resource {
            ResourceDef::Any => "any",
            ResourceDef::Arn(_) => "arn",
            ResourceDef::Of { .. } => "resource",
        };
        let known = self.ids.has(prefix, &name);
        let id = self.ids.id(prefix, &name);
        if !known {
            self.nodes.push(Node {
                id: id.clone(),
                kind: NodeKind::Resource,
                lines,
            });
        }
        (id, path)
    }
}

/// How role mappings and principal tags name a provider, in the terms
/// [`Builder::providers`] records for each provider.
fn provider_name(name: &IdentityProviderName) -> String {
    match name {
        IdentityProviderName::UserPool {
            user_pool,
            client: Some(client),
        } => format!("user_pool:{user_pool}:{client}"),
        IdentityProviderName::UserPool {
            user_pool,
            client: None,
        } => format!("user_pool:{user_pool}"),
        IdentityProviderName::Literal(value) => format!("literal:{}", plain(value)),
        IdentityProviderName::OidcHostOf(id) => format!("OIDC:{id}"),
        IdentityProviderName::SamlArnOf(id) => format!("SAML:{id}"),
    }
}

/// The label of a statement's edge: its actions as written (a few a line),
/// where in the resource, and its conditions, abbreviated.
fn statement_lines(statement: &Statement, path: Option<&Value>) -> Vec<String> {
    // The actions as the program wrote them (`read`, not its expansion).
    let written: Vec<String> = statement
        .origin
        .actions
        .iter()
        .map(|action| action.written.clone())
        .collect();
    let mut lines: Vec<String> = written
        .chunks(ACTIONS_PER_LINE)
        .map(|chunk| chunk.join(", "))
        .collect();
    if statement.effect == Effect::Deny
        && let Some(first) = lines.first_mut()
    {
        first.insert_str(0, "deny ");
    }
    if let Some(path) = path {
        lines.push(format!("on /{}", plain(path)));
    }
    for (index, condition) in statement
        .conditions
        .iter()
        .take(CONDITIONS_SHOWN)
        .enumerate()
    {
        let word = if index == 0 { "when" } else { "and" };
        lines.push(format!("{word} {}", condition_text(condition)));
    }
    let hidden = statement.conditions.len().saturating_sub(CONDITIONS_SHOWN);
    if hidden > 0 {
        let s = if hidden == 1 { "" } else { "s" };
        lines.push(format!("and {hidden} more condition{s}"));
    }
    lines
}

/// Each provider's principal tags, as lines of its node.
fn principal_tag_lines(pool: &Pool, providers: &mut [DrawnProvider]) {
    for tags in &pool.principal_tags {
        let name = provider_name(&tags.provider);
        let Some(provider) = providers.iter_mut().find(|p| p.names.contains(&name)) else {
            continue;
        };
        if tags.use_defaults {
            provider.lines.push("default principal tags".to_string());
        }
        for (tag, claim) in &tags.tags {
            provider
                .lines
                .push(format!("tag {} = {}", quoted(tag), quoted(claim)));
        }
    }
}

/// A condition in the program's own words (`s3:prefix like "..."`, `all
/// dynamodb:LeadingKeys == "$<sub>"`), values shortened.
fn condition_text(condition: &ConditionDef) -> String {
    let quantifier = match condition.operator.quantifier {
        Some(quantifier) => format!("{} ", quantifier.keyword()),
        None => String::new(),
    };
    let key = &condition.key;
    let values: Vec<String> = condition.values.iter().map(raw).collect();
    let first = values.first().map(String::as_str).unwrap_or_default();
    let operator = condition.operator.operator;
    match operator {
        Operator::Bool => return format!("{quantifier}{key} is {first}"),
        Operator::Null if first == "true" => {
            return format!("{quantifier}{key} not exists");
        }
        Operator::Null => return format!("{quantifier}{key} exists"),
        _ => {}
    }
    let op = ConditionOp::from_iam(operator).map_or(operator.to_iam(), ConditionOp::keyword);
    let shown = match values.as_slice() {
        [one] => quote_short(one),
        [first, rest @ ..] => format!("[{}, +{} more]", quote_short(first), rest.len()),
        [] => String::new(),
    };
    format!("{quantifier}{key} {op} {shown}")
}

/// A value in quotes as the program writes it, cut to [`VALUE_CHARS`]
/// characters.
fn quote_short(text: &str) -> String {
    match text.char_indices().nth(VALUE_CHARS) {
        Some((end, _)) => format!("\"{}…\"", escape_quoted(&text[..end])),
        None => format!("\"{}\"", escape_quoted(text)),
    }
}

/// A value in quotes as the program writes it, whole.
fn quoted(value: &Value) -> String {
    format!("\"{}\"", escape_quoted(&raw(value)))
}

/// `"`, `\` and a newline inside a quoted value, escaped as in the
/// program, so the value's end stays clear.
fn escape_quoted(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// The role a pool's attachment gives for `usage`: a role of the program,
/// or one of the stack (by name, or its ARN as written).
fn attached_role(pool: &Pool, usage: RoleUsage) -> Option<String> {
    let attachment = pool.attachment.as_ref()?;
    let own = attachment.roles.iter().find(|(u, _)| *u == usage);
    if let Some((_, role)) = own {
        return Some(role.clone());
    }
    let (_, role) = attachment
        .external_roles
        .iter()
        .find(|(u, _)| *u == usage)?;
    Some(external_name(role))
}

/// A role of the stack by its name, or its ARN as written.
fn external_name(role: &ExternalRole) -> String {
    match role {
        ExternalRole::Stack(name) => name.clone(),
        ExternalRole::Arn(arn) => plain(arn),
    }
}

/// A value unquoted, as the program writes it but for escapes: `$<sub>`
/// for the Cognito identity, `$<aws:username>` for other policy variables,
/// Serverless variables as they are, and a newline as `\n`.
fn plain(value: &Value) -> String {
    raw(value).replace('\n', "\\n")
}

/// A value's text with its policy variables written as in the program.
fn raw(value: &Value) -> String {
    let mut text = String::new();
    for piece in &value.pieces {
        match piece {
            Piece::Literal(literal) => text.push_str(literal),
            Piece::PolicyVar(key) => {
                let short = key.strip_prefix(COGNITO_PREFIX).unwrap_or(key);
                text.push_str(&format!("$<{short}>"));
            }
            Piece::ServerlessVar(var) => text.push_str(var),
            Piece::Ref { .. } => text.push_str(&piece.written()),
        }
    }
    text
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use crate::vocabulary::ConditionOperator;

    #[test]
    fn ids_are_safe_unique_and_stable() {
        let mut ids = Ids::default();
        let a = ids.id("arn", "arn:aws:s3:::b/\"x\"");
        let b = ids.id("arn", "arn:aws:s3:::b/_x_");
        assert_eq!(a, "arn_arn_aws_s3___b__x_");
        assert_eq!(b, "arn_arn_aws_s3___b__x__2");
        assert_eq!(ids.id("arn", "arn:aws:s3:::b/\"x\""), a);
        assert!(ids.id("role", "end").starts_with("role_"));
    }

    #[test]
    fn long_condition_values_are_cut_on_a_character_boundary() {
        let long = "é".repeat(40);
        let shown = quote_short(&long);
        assert_eq!(shown.chars().count(), VALUE_CHARS + 3);
        assert!(shown.ends_with("…\""));
    }

    #[test]
    fn conditions_read_as_the_program_wrote_them() {
        let condition = |operator: &str, key: &str, values: &[&str]| ConditionDef {
            operator: ConditionOperator::from_iam(operator).unwrap(),
            key: key.to_string(),
            values: values.iter().map(|v| Value::literal(*v)).collect(),
        };
        let cases = [
            (
                condition("StringLike", "s3:prefix", &["private/*"]),
                "s3:prefix like \"private/*\"",
            ),
            (
                condition(
                    "ForAllValues:StringEquals",
                    "dynamodb:LeadingKeys",
                    &["a", "b", "c"],
                ),
                "all dynamodb:LeadingKeys == [\"a\", +2 more]",
            ),
            (
                condition("Null", "dynamodb:LeadingKeys", &["false"]),
                "dynamodb:LeadingKeys exists",
            ),
            (
                condition("Bool", "aws:SecureTransport", &["true"]),
                "aws:SecureTransport is true",
            ),
            (
                condition("NotIpAddress", "aws:SourceIp", &["10.0.0.0/8"]),
                "aws:SourceIp not ip \"10.0.0.0/8\"",
            ),
        ];
        for (condition, expected) in cases {
            assert_eq!(condition_text(&condition), expected);
        }
    }
}
