//! Identity pools, their role attachments, role mappings and principal
//! tags, and the program text they become.

use std::ops::Range;

use super::intrinsic::{self, Part};
use super::role::Trust;
use super::text;
use super::{ATTACHMENT_TYPE, Importer, PRINCIPAL_TAG_TYPE, ROLE_TYPE, span_of};
use crate::diag::Code;
use crate::stack_reader::tree::{Node, Value};
use crate::syntax::ast::{Kind, LoginProvider, RoleUsage};
use crate::vocabulary::MatchOp;

const LOGINS: [LoginProvider; 5] = [
    LoginProvider::Google,
    LoginProvider::Facebook,
    LoginProvider::Amazon,
    LoginProvider::Apple,
    LoginProvider::Twitter,
];

/// The program, as blocks of lines.
pub(super) struct Program {
    /// Top-level roles: each a block.
    roles: Vec<Vec<String>>,
    /// `identity_pool` blocks.
    pools: Vec<Vec<String>>,
    /// `output` lines.
    pub(super) outputs: Vec<String>,
}

/// One use of a role by a pool.
#[derive(Clone)]
struct RoleUse {
    pool: String,
    /// `Roles.authenticated` / `Roles.unauthenticated`, or `None` for a
    /// mapping rule.
    usage: Option<RoleUsage>,
}

/// What a pool's attachment and principal tags say, before roles are read.
struct PoolParts<'a> {
    id: String,
    node: &'a Node,
    attachment: Option<&'a Node>,
    principal_tags: Vec<(String, Range<usize>, &'a Node)>,
}

/// A pool's providers, to name them in mappings and principal tags.
#[derive(Default)]
struct Providers {
    user_pools: Vec<(String, String)>,
    logins: Vec<LoginProvider>,
    /// OIDC provider ARNs: a literal ARN or a resource's `Ref`.
    oidc: Vec<Vec<Part>>,
    saml: Vec<Vec<Part>>,
}

impl Program {
    pub(super) fn read<'a>(
        importer: &mut Importer<'a>,
        chosen: &[(String, &'a Node, Range<usize>)],
    ) -> Program {
        let mut parts = Vec::new();
        let mut uses: Vec<(String, RoleUse)> = Vec::new();
        for (id, node, _) in chosen {
            importer.imported.insert(id.clone());
            let part = importer.pool_parts(id, node, &mut uses);
            parts.push(part);
        }
        // A role used once, as a pool's `Roles` entry, is written inside the
        // pool; any other is a top-level role.
        // (The compiler writes a pool's own roles right after the pool and
        // top-level roles after every pool; a role found elsewhere in the
        // template stays top-level so the output keeps the template's order.)
        let listed: Vec<(String, Option<String>)> = importer
            .resources
            .iter()
            .map(|r| (r.id.clone(), r.cfn_type.clone()))
            .collect();
        let position = |id: &str| listed.iter().position(|(o, _)| o == id);
        let mut shared: Vec<String> = Vec::new();
        for (role, used) in &uses {
            let count = uses.iter().filter(|(r, _)| r == role).count();
            // Between a pool and its own role, the compiler writes only the
            // attachment and, before a guest role, the signed-in users' role.
            let fits = |(id, ty): &(String, Option<String>)| match ty.as_deref() {
                Some(ATTACHMENT_TYPE) => true,
                Some(ROLE_TYPE) => {
                    // ... itself written inside the pool: used once.
                    let uses_of: Vec<&RoleUse> = uses
                        .iter()
                        .filter(|(r, _)| r == id)
                        .map(|(_, u)| u)
                        .collect();
                    used.usage == Some(RoleUsage::Unauthenticated)
                        && matches!(uses_of.as_slice(), [u] if u.pool == used.pool
                            && u.usage == Some(RoleUsage::Authenticated))
                }
                _ => false,
            };
            let beside_pool = match (position(&used.pool), position(role)) {
                (Some(pool), Some(role)) => {
                    role > pool
                        && listed
                            .get(pool + 1..role)
                            .is_some_and(|between| between.iter().all(fits))
                }
                _ => false,
            };
            if (count > 1 || used.usage.is_none() || !beside_pool) && !shared.contains(role) {
                shared.push(role.clone());
            }
        }
        // Top-level roles in the template's order.
        shared.sort_by_key(|r| position(r));
        let mut program = Program {
            roles: Vec::new(),
            pools: Vec::new(),
            outputs: Vec::new(),
        };
        for role in &shared {
            let role_uses: Vec<RoleUse> = uses
                .iter()
                .filter(|(r, _)| r == role)
                .map(|(_, u)| u.clone())
                .collect();
            let trust = trust_for(&parts, &role_uses);
            if let Some(body) = importer.role(role, &trust) {
                let mut block = vec![format!("role {role} {{")];
                block.extend(body.into_iter().map(|l| format!("  {l}")));
                block.push("}".to_owned());
                program.roles.push(block);
            }
        }
        for part in &parts {
            let block = importer.pool_block(part, &parts, &uses, &shared);
            program.pools.push(block);
        }
        program
    }

    /// The program text.
    pub(super) fn write(&self, header: &str, uses: &[(String, Kind)]) -> String {
        let mut out = String::new();
        out.push_str(header);
        out.push('\n');
        if !uses.is_empty() {
            out.push('\n');
            for (name, kind) in uses {
                out.push_str(&format!("use {} {name}\n", kind.keyword()));
            }
        }
        for block in self.roles.iter().chain(&self.pools) {
            out.push('\n');
            for line in block {
                if line.is_empty() {
                    out.push('\n');
                } else {
                    out.push_str(line);
                    out.push('\n');
                }
            }
        }
        if !self.outputs.is_empty() {
            out.push('\n');
            for line in &self.outputs {
                out.push_str(line);
                out.push('\n');
            }
        }
        out
    }
}

/// The trust policy a role used so must have.
fn trust_for(parts: &[PoolParts<'_>], uses: &[RoleUse]) -> Trust {
    let mut pools: Vec<String> = Vec::new();
    for u in uses {
        if !pools.contains(&u.pool) {
            pools.push(u.pool.clone());
        }
    }
    let tag_session = parts
        .iter()
        .any(|p| pools.contains(&p.id) && !p.principal_tags.is_empty());
    let guests = uses
        .iter()
        .any(|u| u.usage == Some(RoleUsage::Unauthenticated));
    Trust {
        pools,
        usage: if guests {
            RoleUsage::Unauthenticated
        } else {
            RoleUsage::Authenticated
        },
        tag_session,
    }
}

/// `Ref: Name` in `node`, if that is what it is.
fn ref_of(node: &Node) -> Option<String> {
    match intrinsic::parts(node).ok()?.as_slice() {
        [Part::Ref(name)] => Some(name.clone()),
        _ => None,
    }
}

/// `Fn::GetAtt: [Name, attribute]` in `node`, if that is what it is.
fn get_att_of(node: &Node, attribute: &str) -> Option<String> {
    match intrinsic::parts(node).ok()?.as_slice() {
        [Part::GetAtt(name, attr)] if attr == attribute => Some(name.clone()),
        _ => None,
    }
}

/// The entries of a resource's `Properties`, with the key nodes.
fn properties(node: &Node) -> &[(Node, Node)] {
    node.get("Properties")
        .and_then(Node::as_map)
        .unwrap_or_default()
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

fn is_true(node: &Node) -> Option<bool> {
    match node.as_str()? {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

impl<'a> Importer<'a> {
    /// Checks that a resource has nothing but `Type` and `Properties`.
    pub(super) fn resource_keys(&mut self, node: &Node, what: &str) {
        for (key, _) in node.as_map().unwrap_or_default() {
            if !matches!(key.as_str(), Some("Type" | "Properties")) {
                self.inexpressible(key, what);
            }
        }
    }

    /// A string property as program text, or a diagnostic.
    pub(super) fn text(&mut self, node: &Node, wanted: &str) -> Option<String> {
        match intrinsic::parts(node) {
            Ok(parts) => match parts.as_slice() {
                [] => Some(String::new()),
                [Part::Text(t)] => Some(t.clone()),
                _ => {
                    self.report(
                        Code::E0704,
                        &span_of(node),
                        format!("this value cannot be read back as {wanted}"),
                        "idp writes this as plain text",
                        "write the value as literal text (Serverless variables such as `${self:custom.stage}` are fine)",
                    );
                    None
                }
            },
            Err(e) => {
                self.not_invertible(&e, wanted);
                None
            }
        }
    }

    fn pool_parts(
        &mut self,
        id: &str,
        node: &'a Node,
        uses: &mut Vec<(String, RoleUse)>,
    ) -> PoolParts<'a> {
        let mut attachment = None;
        let mut principal_tags = Vec::new();
        let candidates: Vec<(String, Range<usize>, &'a Node, Option<String>)> = self
            .resources
            .iter()
            .map(|r| (r.id.clone(), r.key.clone(), r.node, r.cfn_type.clone()))
            .collect();
        for (rid, key, rnode, ty) in candidates {
            let Some(ty) = ty else { continue };
            if ty != ATTACHMENT_TYPE && ty != PRINCIPAL_TAG_TYPE {
                continue;
            }
            let Some(pool) = rnode
                .get("Properties")
                .and_then(|p| p.get("IdentityPoolId"))
                .and_then(ref_of)
            else {
                continue;
            };
            if pool != id {
                continue;
            }
            self.imported.insert(rid.clone());
            if ty == PRINCIPAL_TAG_TYPE {
                principal_tags.push((rid, key, rnode));
                continue;
            }
            let expected = format!("{id}Roles");
            if rid != expected {
                self.report(
                    Code::E0706,
                    &key,
                    format!("the role attachment of `{id}` is `{rid}`; idpc names it `{expected}`"),
                    "a different logical ID",
                    format!(
                        "rename `{rid}` to `{expected}` in the template first (CloudFormation replaces a resource whose logical ID changes)"
                    ),
                );
            }
            if attachment.is_some() {
                self.report(
                    Code::E0702,
                    &key,
                    format!("`{id}` has a second role attachment `{rid}`"),
                    "idp gives a pool one attachment",
                    "merge the attachments into one in the template",
                );
                continue;
            }
            attachment = Some(rnode);
            self.resource_keys(rnode, "a role attachment");
            self.attachment_roles(id, rnode, uses);
        }
        PoolParts {
            id: id.to_owned(),
            node,
            attachment,
            principal_tags,
        }
    }

    /// Collects the roles an attachment names.
    fn attachment_roles(&mut self, pool: &str, node: &Node, uses: &mut Vec<(String, RoleUse)>) {
        for (key, value) in properties(node) {
            match key.as_str() {
                Some("Roles") => {
                    for (usage, arn) in value.as_map().unwrap_or_default() {
                        let usage_kind = match usage.as_str() {
                            Some("authenticated") => RoleUsage::Authenticated,
                            Some("unauthenticated") => RoleUsage::Unauthenticated,
                            _ => {
                                self.inexpressible(usage, "the attachment's `Roles`");
                                continue;
                            }
                        };
                        if let Some(role) = self.role_arn(arn) {
                            uses.push((
                                role,
                                RoleUse {
                                    pool: pool.to_owned(),
                                    usage: Some(usage_kind),
                                },
                            ));
                        }
                    }
                }
                Some("RoleMappings") => {
                    for (_, mapping) in value.as_map().unwrap_or_default() {
                        let rules = mapping
                            .get("RulesConfiguration")
                            .and_then(|c| c.get("Rules"));
                        let Some(Value::Seq(rules)) = rules.map(|r| &r.value) else {
                            continue;
                        };
                        for rule in rules {
                            let Some(arn) = rule.get("RoleARN") else {
                                continue;
                            };
                            if let Some(role) = self.role_arn(arn) {
                                uses.push((
                                    role,
                                    RoleUse {
                                        pool: pool.to_owned(),
                                        usage: None,
                                    },
                                ));
                            }
                        }
                    }
                }
                Some("IdentityPoolId") => {}
                _ => self.inexpressible(key, "a role attachment"),
            }
        }
    }

    /// The role an ARN names: `Fn::GetAtt: [Role, Arn]` of a role of the
    /// template.
    fn role_arn(&mut self, node: &Node) -> Option<String> {
        let role = get_att_of(node, "Arn");
        let defined = role
            .as_deref()
            .and_then(|r| self.resource(r))
            .and_then(|r| r.cfn_type.clone());
        match (role, defined) {
            (Some(role), Some(ty)) if ty == ROLE_TYPE => Some(role),
            (role, _) => {
                let what = match role {
                    Some(role) => format!("`{role}` is not a role this template defines"),
                    None => "this role ARN is not a role of the template".to_owned(),
                };
                self.report(
                    Code::E0705,
                    &span_of(node),
                    what,
                    "idp hands out roles it defines",
                    "import a template that defines the role (`AWS::IAM::Role`), named with `Fn::GetAtt: [Role, Arn]`",
                );
                None
            }
        }
    }

    /// The text of a pool: its items, mappings, principal tags and roles.
    fn pool_block(
        &mut self,
        part: &PoolParts<'a>,
        parts: &[PoolParts<'a>],
        uses: &[(String, RoleUse)],
        shared: &[String],
    ) -> Vec<String> {
        let id = &part.id;
        self.resource_keys(part.node, "an identity pool");
        let mut items: Vec<String> = Vec::new();
        let mut providers = Providers::default();
        let mut guests_allowed = None;
        for (key, value) in properties(part.node) {
            match key.as_str() {
                Some("IdentityPoolName") => {
                    if let Some(name) = self.text(value, "a pool name")
                        && name != *id
                    {
                        items.push(format!("name {}", text::string(&name)));
                    }
                }
                Some("AllowUnauthenticatedIdentities") => {
                    guests_allowed = Some((is_true(value), span_of(value)))
                }
                Some("AllowClassicFlow") => match is_true(value) {
                    Some(true) => items.push("classic_flow".to_owned()),
                    Some(false) => {}
                    None => self.inexpressible(key, "an identity pool"),
                },
                Some("CognitoIdentityProviders") => {
                    for entry in seq(value) {
                        if let Some(line) = self.user_pool_provider(entry, &mut providers) {
                            items.push(line);
                        }
                    }
                }
                Some("SupportedLoginProviders") => {
                    for (domain, app) in value.as_map().unwrap_or_default() {
                        let login = LOGINS.iter().find(|l| Some(l.domain()) == domain.as_str());
                        match (login, self.text(app, "an app id")) {
                            (Some(login), Some(app)) => {
                                providers.logins.push(*login);
                                items.push(format!(
                                    "provider {} {}",
                                    login.keyword(),
                                    text::string(&app)
                                ));
                            }
                            (None, _) => self.inexpressible(domain, "`SupportedLoginProviders`"),
                            _ => {}
                        }
                    }
                }
                Some(list @ ("OpenIdConnectProviderARNs" | "SamlProviderARNs")) => {
                    let (keyword, kind) = if list == "SamlProviderARNs" {
                        ("saml", Kind::SamlProvider)
                    } else {
                        ("oidc", Kind::OidcProvider)
                    };
                    for entry in seq(value) {
                        if let Some(line) = self.federated(entry, keyword, kind, &mut providers) {
                            items.push(line);
                        }
                    }
                }
                Some("DeveloperProviderName") => {
                    if let Some(name) = self.text(value, "a developer provider name") {
                        items.push(format!("provider developer {}", text::string(&name)));
                    }
                }
                Some("IdentityPoolTags") => {
                    for tag in seq(value) {
                        let (Some(k), Some(v)) = (tag.get("Key"), tag.get("Value")) else {
                            self.inexpressible_node(tag, "a tag without `Key` and `Value`");
                            continue;
                        };
                        if let (Some(k), Some(v)) =
                            (self.text(k, "a tag key"), self.text(v, "a tag value"))
                        {
                            items.push(format!("tag {} = {}", text::string(&k), text::string(&v)));
                        }
                    }
                }
                _ => self.inexpressible(key, "an identity pool"),
            }
        }
        // The pool's settings in the order the language reference lists
        // them, whatever the template's order.
        let rank = |line: &String| {
            ["name ", "classic_flow", "provider ", "tag "]
                .iter()
                .position(|p| line.starts_with(p))
        };
        items.sort_by_key(rank);
        let mut blocks: Vec<Vec<String>> = vec![items];
        let mut roles: Vec<(RoleUsage, Vec<String>)> = Vec::new();
        if let Some(attachment) = part.attachment {
            for (key, value) in properties(attachment) {
                if key.as_str() == Some("RoleMappings") {
                    // One `map P` line maps every provider P names (each
                    // OIDC provider for `oidc`, each client of a user pool)
                    // alike: the template must too.
                    let mut seen = AlikeBlocks::default();
                    for (mkey, mapping) in value.as_map().unwrap_or_default() {
                        let Some(lines) = self.mapping(mkey, mapping, &providers) else {
                            continue;
                        };
                        match seen.add(&lines) {
                            Ok(true) => blocks.push(lines),
                            Ok(false) => {}
                            Err(provider) => self.report(
                                Code::E0702,
                                &span_of(mapping),
                                format!("this mapping of `{provider}` differs from the pool's other mapping of `{provider}`"),
                                "idp maps them alike",
                                format!("`map {provider}` maps every provider it names alike; make the template's mappings of `{provider}` agree"),
                            ),
                        }
                    }
                    let short = seen.short(|provider| match provider {
                        "oidc" => providers.oidc.len(),
                        "saml" => providers.saml.len(),
                        user_pool => providers
                            .user_pools
                            .iter()
                            .filter(|(u, _)| u == user_pool)
                            .count()
                            .max(1),
                    });
                    for (provider, count, expected) in short {
                        self.report(
                                Code::E0702,
                                &key.span,
                                format!("the pool maps {count} of its {expected} `{provider}` providers"),
                                "idp maps them all",
                                format!("`map {provider}` maps every provider it names; give each the same mapping in the template"),
                            );
                    }
                }
            }
        }
        // As with mappings, `principal_tags oidc` covers every OIDC provider.
        let mut seen = AlikeBlocks::default();
        for (tag_id, key, node) in &part.principal_tags {
            let Some(lines) = self.principal_tags(id, tag_id, key, node, &providers) else {
                continue;
            };
            match seen.add(&lines) {
                Ok(true) => blocks.push(lines),
                Ok(false) => {}
                Err(provider) => self.report(
                    Code::E0702,
                    key,
                    format!("these principal tags of `{provider}` differ from the pool's other ones"),
                    "idp maps them alike",
                    format!("`principal_tags {provider}` applies to every provider it names; make the template's agree"),
                ),
            }
        }
        let short = seen.short(|provider| match provider {
            "oidc" => providers.oidc.len(),
            "saml" => providers.saml.len(),
            _ => 1,
        });
        for (provider, count, expected) in short {
            let at = self.resource(id).map(|r| r.key.clone()).unwrap_or(0..0);
            self.report(
                    Code::E0702,
                    &at,
                    format!("the pool has principal tags for {count} of its {expected} `{provider}` providers"),
                    "idp maps them all",
                    format!("`principal_tags {provider}` applies to every provider it names; give each the same tags in the template"),
                );
        }
        for (role, used) in uses.iter().filter(|(_, u)| u.pool == *id) {
            let Some(usage) = used.usage else { continue };
            if shared.contains(role) {
                roles.push((usage, vec![format!("{} role {role}", usage.keyword())]));
                continue;
            }
            let trust = trust_for(parts, std::slice::from_ref(used));
            let Some(body) = self.role(role, &trust) else {
                continue;
            };
            let default = match usage {
                RoleUsage::Authenticated => format!("{id}AuthRole"),
                RoleUsage::Unauthenticated => format!("{id}UnauthRole"),
            };
            let head = if *role == default {
                format!("{} role {{", usage.keyword())
            } else {
                format!("{} role {role} {{", usage.keyword())
            };
            let mut lines = vec![head];
            lines.extend(body.into_iter().map(|l| format!("  {l}")));
            lines.push("}".to_owned());
            roles.push((usage, lines));
        }
        roles.sort_by_key(|(usage, _)| *usage == RoleUsage::Unauthenticated);
        let has_guests = roles.iter().any(|(u, _)| *u == RoleUsage::Unauthenticated);
        let pool_key = self.resource(id).map(|r| r.key.clone()).unwrap_or(0..0);
        // Absent, CloudFormation's default is `false`.
        let guests_allowed =
            guests_allowed.or_else(|| (has_guests).then(|| (Some(false), pool_key.clone())));
        if !properties(part.node)
            .iter()
            .any(|(k, _)| k.as_str() == Some("IdentityPoolName"))
        {
            self.report(
                Code::W0702,
                &pool_key,
                format!("`{id}` has no `IdentityPoolName`; the program names the pool `{id}`"),
                "CloudFormation would have made a name up",
                "the pool is renamed in place when the program is deployed; add `name \"...\"` to keep its current name",
            );
        }
        if let Some((allowed, span)) = guests_allowed
            && allowed != Some(has_guests)
        {
            let message = if has_guests {
                "`AllowUnauthenticatedIdentities` is `false` or absent, but the pool has a guest role"
            } else {
                "`AllowUnauthenticatedIdentities` is not `false`, but the pool has no guest role"
            };
            self.report(
                Code::E0702,
                &span,
                message,
                "idp sets this from the roles",
                "in idp, guests get credentials exactly when the pool has an `unauthenticated role`; make the template agree",
            );
        }
        blocks.extend(roles.into_iter().map(|(_, lines)| lines));
        let mut out = vec![format!("identity_pool {id} {{")];
        let mut first = true;
        for block in blocks.into_iter().filter(|b| !b.is_empty()) {
            if !first {
                out.push(String::new());
            }
            first = false;
            out.extend(block.into_iter().map(|l| format!("  {l}")));
        }
        out.push("}".to_owned());
        out
    }

    pub(super) fn inexpressible_node(&mut self, node: &Node, what: &str) {
        self.report(
            Code::E0702,
            &span_of(node),
            format!("{what} cannot be written in idp"),
            "idp has no form for this",
            "change the template so idp can express it, or keep this resource in CloudFormation",
        );
    }

    /// `provider user_pool U client C [server_side_token_check]`.
    fn user_pool_provider(&mut self, entry: &Node, providers: &mut Providers) -> Option<String> {
        let mut client = None;
        let mut user_pool = None;
        let mut check = false;
        for (key, value) in entry.as_map().unwrap_or_default() {
            match key.as_str() {
                Some("ClientId") => match ref_of(value) {
                    Some(c) => client = Some(c),
                    None => self.report(
                        Code::E0704,
                        &span_of(value),
                        "this client id cannot be read back as an app client's name",
                        "idp names the client",
                        "write `ClientId: {Ref: Client}` with a client of the stack",
                    ),
                },
                Some("ProviderName") => match get_att_of(value, "ProviderName") {
                    Some(u) => user_pool = Some(u),
                    None => self.report(
                        Code::E0704,
                        &span_of(value),
                        "this provider name cannot be read back as a user pool's name",
                        "idp names the user pool",
                        "write `ProviderName: {Fn::GetAtt: [UserPool, ProviderName]}` with a user pool of the stack",
                    ),
                },
                Some("ServerSideTokenCheck") => match is_true(value) {
                    Some(v) => check = v,
                    None => self.inexpressible(key, "a user pool provider"),
                },
                _ => self.inexpressible(key, "a user pool provider"),
            }
        }
        let (Some(user_pool), Some(client)) = (user_pool, client) else {
            if entry.get("ClientId").is_none() || entry.get("ProviderName").is_none() {
                self.inexpressible_node(
                    entry,
                    "a user pool provider without `ClientId` and `ProviderName`",
                );
            }
            return None;
        };
        self.kind_of(&user_pool, &span_of(entry), || Some(Kind::UserPool))?;
        self.kind_of(&client, &span_of(entry), || Some(Kind::UserPoolClient))?;
        providers
            .user_pools
            .push((user_pool.clone(), client.clone()));
        let check = if check {
            " server_side_token_check"
        } else {
            ""
        };
        Some(format!(
            "provider user_pool {user_pool} client {client}{check}"
        ))
    }

    /// `provider oidc ...` / `provider saml ...`.
    fn federated(
        &mut self,
        entry: &Node,
        keyword: &str,
        kind: Kind,
        providers: &mut Providers,
    ) -> Option<String> {
        let parts = match intrinsic::parts(entry) {
            Ok(parts) => parts,
            Err(e) => {
                self.not_invertible(&e, "a provider ARN");
                return None;
            }
        };
        let line = match parts.as_slice() {
            [Part::Text(arn)] => format!("provider {keyword} {}", text::string(arn)),
            [Part::Ref(name)] => {
                self.kind_of(name, &span_of(entry), || Some(kind))?;
                format!("provider {keyword} {name}")
            }
            _ => {
                self.report(
                    Code::E0704,
                    &span_of(entry),
                    "this provider ARN cannot be read back",
                    "idp takes an ARN string or a provider's name",
                    "write the ARN as text, or `Ref` an `AWS::IAM::OIDCProvider` / `AWS::IAM::SAMLProvider`",
                );
                return None;
            }
        };
        match kind {
            Kind::SamlProvider => providers.saml.push(parts),
            _ => providers.oidc.push(parts),
        }
        Some(line)
    }

    /// Which provider of the pool an `IdentityProvider` /
    /// `IdentityProviderName` names, as `map`/`principal_tags` write it,
    /// with the key idpc derives from it.
    fn provider_named(
        &mut self,
        node: &Node,
        providers: &Providers,
        with_client: bool,
    ) -> Option<(String, String)> {
        if let Some((name, arg)) = intrinsic::function(node)
            && name == "Fn::Select"
            && let Some(target) = oidc_host_of(arg)
        {
            let index = providers
                .oidc
                .iter()
                .position(|p| matches!(p.as_slice(), [Part::Ref(r)] if *r == target));
            if let Some(index) = index {
                return Some((
                    "oidc".to_owned(),
                    federation_key("Oidc", index, providers.oidc.len()),
                ));
            }
        }
        let parts = intrinsic::parts(node).ok()?;
        match parts.as_slice() {
            [Part::GetAtt(user_pool, attr), rest @ ..] if attr == "ProviderName" => {
                let client = match rest {
                    [] if !with_client => None,
                    [Part::Text(colon), Part::Ref(client)] if with_client && colon == ":" => {
                        Some(client)
                    }
                    _ => return None,
                };
                let entries: Vec<&(String, String)> = providers
                    .user_pools
                    .iter()
                    .filter(|(u, _)| u == user_pool)
                    .collect();
                if entries.is_empty()
                    || client.is_some_and(|c| !entries.iter().any(|(_, cc)| cc == c))
                {
                    return None;
                }
                let key = match (client, entries.len()) {
                    (Some(c), n) if n > 1 => format!("{user_pool}{c}"),
                    _ => user_pool.clone(),
                };
                Some((user_pool.clone(), key))
            }
            [Part::Text(t)] => {
                if let Some(login) = providers.logins.iter().find(|l| l.domain() == t) {
                    return Some((login.keyword().to_owned(), capitalized(login.keyword())));
                }
                let oidc = providers.oidc.iter().position(|p| {
                    matches!(p.as_slice(), [Part::Text(arn)] if arn.split_once("oidc-provider/").is_some_and(|(_, host)| host == t))
                });
                if let Some(index) = oidc {
                    return Some((
                        "oidc".to_owned(),
                        federation_key("Oidc", index, providers.oidc.len()),
                    ));
                }
                let saml = providers
                    .saml
                    .iter()
                    .position(|p| matches!(p.as_slice(), [Part::Text(arn)] if arn == t));
                saml.map(|index| {
                    (
                        "saml".to_owned(),
                        federation_key("Saml", index, providers.saml.len()),
                    )
                })
            }
            [Part::Ref(r)] => {
                let saml = providers
                    .saml
                    .iter()
                    .position(|p| matches!(p.as_slice(), [Part::Ref(x)] if x == r));
                saml.map(|index| {
                    (
                        "saml".to_owned(),
                        federation_key("Saml", index, providers.saml.len()),
                    )
                })
            }
            _ => None,
        }
    }

    fn unknown_provider(&mut self, node: &Node) {
        self.report(
            Code::E0704,
            &span_of(node),
            "this is not one of the pool's providers as idpc names them",
            "cannot tell which provider this is",
            "name a provider the pool lists: `Fn::Join: ['', [Fn::GetAtt: [UserPool, ProviderName], ':', Ref: Client]]` for a user pool in role mappings, `Fn::GetAtt: [UserPool, ProviderName]` in principal tags, the login domain, the OIDC host or the SAML ARN",
        );
    }

    /// `map P by token|rules ...`.
    fn mapping(
        &mut self,
        key: &Node,
        mapping: &Node,
        providers: &Providers,
    ) -> Option<Vec<String>> {
        let mut kind = None;
        let mut otherwise = None;
        let mut provider = None;
        let mut rules = None;
        for (k, v) in mapping.as_map().unwrap_or_default() {
            match k.as_str() {
                Some("Type") => kind = v.as_str().map(str::to_owned),
                Some("AmbiguousRoleResolution") => {
                    otherwise = match v.as_str() {
                        Some("AuthenticatedRole") => Some("authenticated"),
                        Some("Deny") => Some("deny"),
                        _ => {
                            self.inexpressible(k, "a role mapping");
                            return None;
                        }
                    }
                }
                Some("IdentityProvider") => match self.provider_named(v, providers, true) {
                    Some(p) => provider = Some(p),
                    None => {
                        self.unknown_provider(v);
                        return None;
                    }
                },
                Some("RulesConfiguration") => rules = Some(v),
                _ => self.inexpressible(k, "a role mapping"),
            }
        }
        let Some((provider, derived)) = provider else {
            self.inexpressible_node(mapping, "a role mapping without `IdentityProvider`");
            return None;
        };
        if key.as_str() != Some(derived.as_str()) {
            self.report(
                Code::E0706,
                &span_of(key),
                format!("this role mapping's key differs from the one idpc writes, `{derived}`"),
                "a different key",
                format!("rename the key to `{derived}` in the template first"),
            );
        }
        match kind.as_deref() {
            Some("Token") => {
                let tail = match otherwise {
                    Some("deny") => " otherwise deny",
                    _ => "",
                };
                Some(vec![format!("map {provider} by token{tail}")])
            }
            Some("Rules") => {
                let mut lines = vec![format!("map {provider} by rules {{")];
                let rules = rules
                    .and_then(|r| r.get("Rules"))
                    .map(seq)
                    .unwrap_or_default();
                for rule in rules {
                    lines.push(format!("  {}", self.rule(rule)?));
                }
                let Some(otherwise) = otherwise else {
                    self.inexpressible_node(
                        mapping,
                        "a rules mapping without `AmbiguousRoleResolution`",
                    );
                    return None;
                };
                lines.push(format!("  otherwise {otherwise}"));
                lines.push("}".to_owned());
                Some(lines)
            }
            _ => {
                self.inexpressible_node(
                    mapping,
                    "a role mapping whose `Type` is not `Token` or `Rules`",
                );
                None
            }
        }
    }

    fn rule(&mut self, rule: &Node) -> Option<String> {
        let mut claim = None;
        let mut op = None;
        let mut value = None;
        let mut role = None;
        for (k, v) in rule.as_map().unwrap_or_default() {
            match k.as_str() {
                Some("Claim") => claim = self.text(v, "a claim"),
                Some("Value") => value = self.text(v, "a claim value"),
                Some("MatchType") => {
                    op = match v.as_str().and_then(MatchOp::from_iam) {
                        Some(op) => Some(op.keyword()),
                        None => {
                            self.inexpressible(k, "a mapping rule");
                            None
                        }
                    }
                }
                Some("RoleARN") => role = get_att_of(v, "Arn"),
                _ => self.inexpressible(k, "a mapping rule"),
            }
        }
        match (claim, op, value, role) {
            (Some(c), Some(o), Some(v), Some(r)) => Some(format!(
                "{} {o} {} => {r}",
                text::string(&c),
                text::string(&v)
            )),
            _ => {
                self.inexpressible_node(
                    rule,
                    "a mapping rule without `Claim`, `MatchType`, `Value` and `RoleARN`",
                );
                None
            }
        }
    }

    /// `principal_tags P { ... }` / `principal_tags P default`.
    fn principal_tags(
        &mut self,
        pool: &str,
        id: &str,
        key: &Range<usize>,
        node: &Node,
        providers: &Providers,
    ) -> Option<Vec<String>> {
        self.resource_keys(node, "principal tags");
        let mut provider = None;
        let mut tags = Vec::new();
        let mut defaults = false;
        for (k, v) in properties(node) {
            match k.as_str() {
                Some("IdentityPoolId") => {}
                Some("IdentityProviderName") => match self.provider_named(v, providers, false) {
                    Some(p) => provider = Some(p),
                    None => {
                        self.unknown_provider(v);
                        return None;
                    }
                },
                Some("PrincipalTags") => {
                    for (tag, claim) in v.as_map().unwrap_or_default() {
                        if let (Some(t), Some(c)) =
                            (tag.as_str().map(str::to_owned), self.text(claim, "a claim"))
                        {
                            tags.push(format!("  {} = {}", text::string(&t), text::string(&c)));
                        }
                    }
                }
                Some("UseDefaults") => match is_true(v) {
                    Some(d) => defaults = d,
                    None => self.inexpressible(k, "principal tags"),
                },
                _ => self.inexpressible(k, "principal tags"),
            }
        }
        let Some((provider, derived)) = provider else {
            self.inexpressible_node(node, "principal tags without `IdentityProviderName`");
            return None;
        };
        let expected = format!("{pool}{derived}PrincipalTags");
        if id != expected {
            self.report(
                Code::E0706,
                key,
                format!("these principal tags are `{id}`; idpc names them `{expected}`"),
                "a different logical ID",
                format!("rename `{id}` to `{expected}` in the template first (CloudFormation replaces a resource whose logical ID changes)"),
            );
        }
        match (defaults, tags.is_empty()) {
            (true, true) => Some(vec![format!("principal_tags {provider} default")]),
            (false, _) => {
                let mut lines = vec![format!("principal_tags {provider} {{")];
                lines.extend(tags);
                lines.push("}".to_owned());
                Some(lines)
            }
            (true, false) => {
                self.inexpressible_node(
                    node,
                    "principal tags with both `UseDefaults: true` and tags",
                );
                None
            }
        }
    }
}

/// `[1, Fn::Split: ['oidc-provider/', Ref: X]]` (the host of an OIDC
/// provider's ARN): X.
fn oidc_host_of(arg: &Node) -> Option<String> {
    let Value::Seq(items) = &arg.value else {
        return None;
    };
    let [index, split] = items.as_slice() else {
        return None;
    };
    if index.as_str() != Some("1") {
        return None;
    }
    let (name, split_arg) = intrinsic::function(split)?;
    if name != "Fn::Split" {
        return None;
    }
    let Value::Seq(args) = &split_arg.value else {
        return None;
    };
    match args.as_slice() {
        [separator, target] if separator.as_str() == Some("oidc-provider/") => ref_of(target),
        _ => None,
    }
}

fn federation_key(base: &str, index: usize, count: usize) -> String {
    if count > 1 {
        format!("{base}{}", index + 1)
    } else {
        base.to_owned()
    }
}

/// A list's items; a single value is a list of one.
pub(super) fn seq(node: &Node) -> Vec<&Node> {
    if intrinsic::function(node).is_some() {
        return vec![node];
    }
    match &node.value {
        Value::Seq(items) => items.iter().collect(),
        Value::Null => Vec::new(),
        _ => vec![node],
    }
}

/// Blocks that cover every provider of a kind alike (`map oidc`,
/// `principal_tags oidc`, one `map UserPool` for all of its clients): each
/// provider's first block, and how many times the template gives it.
#[derive(Default)]
struct AlikeBlocks {
    seen: Vec<(String, Vec<String>, usize)>,
}

impl AlikeBlocks {
    /// Records a block (its first line names the provider, `map P ...`):
    /// `Ok(true)` for the first of its provider, `Ok(false)` for a repeat,
    /// `Err(provider)` when it differs from the provider's first.
    fn add(&mut self, lines: &[String]) -> Result<bool, String> {
        let provider = lines
            .first()
            .and_then(|l| l.split(' ').nth(1))
            .unwrap_or_default()
            .to_owned();
        match self.seen.iter_mut().find(|(p, _, _)| *p == provider) {
            Some((_, first, count)) if first.as_slice() == lines => {
                *count += 1;
                Ok(false)
            }
            Some(_) => Err(provider),
            None => {
                self.seen.push((provider, lines.to_vec(), 1));
                Ok(true)
            }
        }
    }

    /// The providers given fewer times than they have instances, with the
    /// two counts.
    fn short(&self, expected: impl Fn(&str) -> usize) -> Vec<(String, usize, usize)> {
        self.seen
            .iter()
            .map(|(provider, _, count)| (provider.clone(), *count, expected(provider)))
            .filter(|(_, count, expected)| count < expected)
            .collect()
    }
}
