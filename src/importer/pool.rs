//! Identity pools, their role attachments and roles, as the syntax tree's
//! `identity_pool` and `role` items.

use super::attributes::POOL_ATTRIBUTES;
use super::intrinsic::{self, Part};
use super::mapping::{AlikeBlocks, Providers};
use super::role::Trust;
use super::{ATTACHMENT_TYPE, PRINCIPAL_TAG_TYPE, ROLE_TYPE, TemplateReader, span_of};
use super::{stack, text};
use crate::diag::Code;
use crate::source::Span;
use crate::stack_reader::tree::{Node, Value};
use crate::syntax::ast::{
    Federation, IdentityPool, Item, Kind, LoginProvider, PoolItem, PoolRole, ProviderArn, RoleDecl,
    RoleUsage, Spanned, Text, UserPoolProvider,
};

/// How import reads a value the program writes as text (E0704's help).
const TEXT_ACCEPTED: &str =
    "as literal text (Serverless variables such as `${self:custom.stage}` are fine)";

/// How import reads an OIDC or SAML provider's ARN.
const PROVIDER_ARN_ACCEPTED: &str = "as an ARN string, or as `Ref` or `Fn::GetAtt: [Provider, Arn]` of an `AWS::IAM::OIDCProvider` / `AWS::IAM::SAMLProvider`";

const LOGINS: [LoginProvider; 5] = [
    LoginProvider::Google,
    LoginProvider::Facebook,
    LoginProvider::Amazon,
    LoginProvider::Apple,
    LoginProvider::Twitter,
];

/// The program's roles and pools.
pub(super) struct Items {
    /// Top-level roles, in the template's order.
    pub(super) roles: Vec<Item>,
    /// `identity_pool` items.
    pub(super) pools: Vec<Item>,
}

/// One use of a role by a pool.
#[derive(Clone)]
struct RoleUse {
    pool: String,
    /// `Roles.authenticated` / `Roles.unauthenticated`, or `None` for a
    /// mapping rule.
    usage: Option<RoleUsage>,
    /// The condition of an `Fn::If: [Cond, role ARN, Ref: AWS::NoValue]`
    /// entry (and the node it is written in).
    condition: Option<(String, Node)>,
}

/// What a pool's attachment and principal tags say, before roles are read.
pub(super) struct PoolParts<'a> {
    id: String,
    node: &'a Node,
    attachment: Option<&'a Node>,
    /// The attachment's logical ID, when it is not `<Pool>Roles`.
    attachment_name: Option<crate::syntax::ast::Name>,
    principal_tags: Vec<(String, Span, &'a Node)>,
    /// `Roles` entries of roles the template does not define: a role of
    /// the stack (`use role`) or an ARN, with the entry's condition.
    external_roles: Vec<ExternalEntry>,
}

/// A `Roles` entry of a role the template does not define: who gets it,
/// the role, and the entry's condition (with the node it is written in).
type ExternalEntry = (RoleUsage, ExternalRole, Option<(String, Node)>);

/// A role a pool attaches that the template does not define.
enum ExternalRole {
    /// `Fn::GetAtt: [Role, Arn]` of a role of the rest of the stack.
    Stack(Spanned<String>),
    /// An ARN the stack gives: a parameter, or text built with `Fn::Sub`.
    Arn(Text),
}

/// What a role ARN of an attachment names.
enum RoleArn {
    /// A role of the template.
    Template(String),
    /// A role the template does not define.
    External(ExternalRole),
}

impl Items {
    pub(super) fn read<'a>(
        reader: &mut TemplateReader<'a>,
        chosen: &[(String, &'a Node, Span)],
    ) -> Items {
        let mut parts = Vec::new();
        let mut uses: Vec<(String, RoleUse)> = Vec::new();
        for (id, node, _) in chosen {
            reader.imported.insert(id.clone());
            let part = reader.pool_parts(id, node, &mut uses);
            parts.push(part);
        }
        let shared = shared_roles(reader, &uses);
        let mut items = Items {
            roles: Vec::new(),
            pools: Vec::new(),
        };
        for role in &shared {
            let role_uses: Vec<RoleUse> = uses
                .iter()
                .filter(|(r, _)| r == role)
                .map(|(_, u)| u.clone())
                .collect();
            let trust = trust_for(&parts, &role_uses);
            if let Some(body) = reader.role(role, &trust) {
                let name = Spanned::new(role.clone(), body.span);
                let condition = reader
                    .resource(role)
                    .map(|r| r.node)
                    .and_then(|node| reader.resource_condition(node));
                items.roles.push(Item::Role(RoleDecl {
                    name,
                    body,
                    condition,
                }));
            }
        }
        for part in &parts {
            let pool = reader.pool(part, &parts, &uses, &shared);
            items.pools.push(Item::IdentityPool(pool));
        }
        items
    }
}

/// The roles written at the top level, in the template's order: a role
/// used once, as a pool's `Roles` entry, is written inside the pool; any
/// other is a top-level role. (The compiler writes a pool's own roles right
/// after the pool and top-level roles after every pool; a role found
/// elsewhere in the template stays top-level so the output keeps the
/// template's order.)
fn shared_roles(reader: &TemplateReader<'_>, uses: &[(String, RoleUse)]) -> Vec<String> {
    let listed: Vec<(String, Option<String>)> = reader
        .resources
        .iter()
        .map(|r| (r.id.clone(), r.cfn_type.clone()))
        .collect();
    let position = |id: &str| listed.iter().position(|(o, _)| o == id);
    let mut shared: Vec<String> = Vec::new();
    for (role, used) in uses {
        let count = uses.iter().filter(|(r, _)| r == role).count();
        // Between a pool and its own role, the compiler writes only the
        // attachment and, before a guest role, the signed-in users' role.
        let fits = |(id, ty): &(String, Option<String>)| match ty.as_deref() {
            // Policies the program writes beside their roles (or anywhere:
            // where a policy is written does not change the role's place).
            Some(ATTACHMENT_TYPE | "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy") => true,
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
    shared.sort_by_key(|r| position(r));
    shared
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
pub(super) fn ref_of(node: &Node) -> Option<String> {
    match intrinsic::parts(node).ok()?.as_slice() {
        [Part::Ref(name)] => Some(name.clone()),
        _ => None,
    }
}

/// `Fn::GetAtt: [Name, attribute]` in `node`, if that is what it is.
pub(super) fn get_att_of(node: &Node, attribute: &str) -> Option<String> {
    match intrinsic::parts(node).ok()?.as_slice() {
        [Part::GetAtt(name, attr)] if attr == attribute => Some(name.clone()),
        _ => None,
    }
}

/// The user pool a `ProviderName` names: `Fn::GetAtt: [UserPool,
/// ProviderName]`, or the same built from the region and the user pool's
/// id (`cognito-idp.${AWS::Region}.amazonaws.com/${UserPool}`).
fn provider_name_of(node: &Node) -> Option<String> {
    let parts = intrinsic::canonical(&intrinsic::parts(node).ok()?);
    match parts.as_slice() {
        [Part::GetAtt(name, attr)] if attr == "ProviderName" => Some(name.clone()),
        _ => None,
    }
}

/// The entries of a resource's `Properties`, with the key nodes.
pub(super) fn properties(node: &Node) -> &[(Node, Node)] {
    node.get("Properties")
        .and_then(Node::as_map)
        .unwrap_or_default()
}

pub(super) fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

pub(super) fn is_true(node: &Node) -> Option<bool> {
    match node.as_str()? {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

impl<'a> TemplateReader<'a> {
    /// Checks that a resource has nothing but `Type` and `Properties`.
    pub(super) fn resource_keys(&mut self, node: &Node, what: &str) {
        for (key, _) in node.as_map().unwrap_or_default() {
            // `Condition` is read where the program can say it (`if Cond`);
            // anywhere it cannot, the program differs and `verify` says so.
            if !matches!(key.as_str(), Some("Type" | "Properties" | "Condition")) {
                self.inexpressible(key, what);
            }
        }
    }

    /// A string property as a string of the program, spanning the node.
    pub(super) fn string(&mut self, node: &Node, wanted: &str) -> Option<Text> {
        if let Ok(parts) = intrinsic::parts(node)
            && parts.iter().any(|part| !matches!(part, Part::Text(_)))
        {
            return self.referencing_text(&parts, node);
        }
        let value = self.text(node, wanted)?;
        Some(text::string(&value, self.at(span_of(node))))
    }

    /// A string property's text, or a diagnostic.
    pub(super) fn text(&mut self, node: &Node, wanted: &str) -> Option<String> {
        match intrinsic::parts(node) {
            Ok(parts) => match parts.as_slice() {
                [] => Some(String::new()),
                [Part::Text(t)] => Some(t.clone()),
                _ if self.parameter_in(&parts, span_of(node), wanted) => None,
                _ => {
                    self.report(
                        Code::E0704,
                        span_of(node),
                        format!("this value cannot be read back as {wanted}"),
                        "idp writes this as plain text",
                        "write the value as literal text (Serverless variables such as `${self:custom.stage}` are fine)",
                    );
                    None
                }
            },
            Err(e) => {
                self.not_invertible(&e, wanted, TEXT_ACCEPTED);
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
        let mut attachment_name = None;
        let mut principal_tags = Vec::new();
        let mut external_roles = Vec::new();
        let candidates: Vec<(String, Span, &'a Node, Option<String>)> = self
            .resources
            .iter()
            .map(|r| (r.id.clone(), r.key, r.node, r.cfn_type.clone()))
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
            // A logical ID other than `<Pool>Roles` is kept with `attachment`.
            if rid != format!("{id}Roles") {
                attachment_name = Some(Spanned::new(rid.clone(), self.at(key)));
            }
            if attachment.is_some() {
                self.report(
                    Code::E0702,
                    key,
                    format!("`{id}` has a second role attachment `{rid}`"),
                    "idp gives a pool one attachment",
                    "merge the attachments into one in the template",
                );
                continue;
            }
            attachment = Some(rnode);
            self.resource_keys_allowing(rnode, "a role attachment", &["DependsOn"]);
            self.attachment_depends_on(id, rnode);
            external_roles = self.attachment_roles(id, rnode, uses);
        }
        PoolParts {
            id: id.to_owned(),
            node,
            attachment,
            attachment_name,
            principal_tags,
            external_roles,
        }
    }

    /// Collects the roles an attachment names; returns the `Roles` entries
    /// of roles the template does not define.
    fn attachment_roles(
        &mut self,
        pool: &str,
        node: &Node,
        uses: &mut Vec<(String, RoleUse)>,
    ) -> Vec<ExternalEntry> {
        let mut external = Vec::new();
        for (key, value) in properties(node) {
            match key.as_str() {
                Some("Roles") => {
                    for (usage, arn) in value.as_map().unwrap_or_default() {
                        self.roles_entry(pool, usage, arn, uses, &mut external);
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
                            self.rule_role(pool, rule, uses);
                        }
                    }
                }
                Some("IdentityPoolId") => {}
                _ => self.inexpressible(key, "a role attachment"),
            }
        }
        external
    }

    /// One entry of an attachment's `Roles`: a role of the template (a
    /// use), or one it does not define.
    fn roles_entry(
        &mut self,
        pool: &str,
        usage: &Node,
        arn: &Node,
        uses: &mut Vec<(String, RoleUse)>,
        external: &mut Vec<ExternalEntry>,
    ) {
        let usage_kind = match usage.as_str() {
            Some("authenticated") => RoleUsage::Authenticated,
            Some("unauthenticated") => RoleUsage::Unauthenticated,
            _ => {
                self.inexpressible(usage, "the attachment's `Roles`");
                return;
            }
        };
        // `!If [Cond, !GetAtt Role.Arn, !Ref AWS::NoValue]`: the
        // entry is given only when `Cond` holds.
        let (arn, condition) = match stack::if_of(arn) {
            Some((condition, then, otherwise)) if stack::is_no_value(otherwise) => {
                (then, Some((condition.to_owned(), arn.clone())))
            }
            _ => (arn, None),
        };
        match self.attached_role_arn(pool, usage_kind, arn) {
            Some(RoleArn::Template(role)) => uses.push((
                role,
                RoleUse {
                    pool: pool.to_owned(),
                    usage: Some(usage_kind),
                    condition,
                },
            )),
            Some(RoleArn::External(role)) => external.push((usage_kind, role, condition)),
            None => {}
        }
    }

    /// The role a mapping rule hands out: a role of the template (a use),
    /// or of the stack (`=> Role` with `use role`, and N0765).
    fn rule_role(&mut self, pool: &str, rule: &Node, uses: &mut Vec<(String, RoleUse)>) {
        let Some(arn) = rule.get("RoleARN") else {
            return;
        };
        if let Some(role) = self.stack_role(arn) {
            let role = format!("`{}`, a role the template does not define,", role.node);
            let form = "=> Role` with `use role";
            self.external_role_note(pool, RoleUsage::Authenticated, arn, &role, form);
            return;
        }
        if let Some(role) = self.role_arn(arn) {
            uses.push((
                role,
                RoleUse {
                    pool: pool.to_owned(),
                    usage: None,
                    condition: None,
                },
            ));
        }
    }

    /// `Fn::GetAtt: [Role, Arn]` of a role the template does not define,
    /// which the program names with `use role Role` (and N0765 says why
    /// idpc cannot check it).
    fn stack_role(&mut self, node: &Node) -> Option<Spanned<String>> {
        let role = get_att_of(node, "Arn")?;
        if self.resource(&role).is_some() || self.parameters.contains(&role) {
            return None;
        }
        self.kind_of(&role, span_of(node), || Some(Kind::Role))?;
        Some(Spanned::new(role, self.at(span_of(node))))
    }

    /// The role a `Roles` entry names: a role of the template, a role of
    /// the stack, or an ARN given by a parameter or built with `Fn::Sub`
    /// or `Fn::Join` (N0765 for the last two).
    fn attached_role_arn(&mut self, pool: &str, usage: RoleUsage, node: &Node) -> Option<RoleArn> {
        let role = if let Some(role) = self.stack_role(node) {
            format!("`{}`, a role the template does not define,", role.node)
        } else if let Some(arn) = self.arn_text(node) {
            let role = "this role, given by its ARN,".to_string();
            let form = format!("{} role \"...\"", usage.keyword());
            self.external_role_note(pool, usage, node, &role, &form);
            return Some(RoleArn::External(ExternalRole::Arn(arn)));
        } else {
            return self.role_arn(node).map(RoleArn::Template);
        };
        self.external_role_note(pool, usage, node, &role, "use role");
        let name = get_att_of(node, "Arn").unwrap_or_default();
        let at = self.at(span_of(node));
        Some(RoleArn::External(ExternalRole::Stack(Spanned::new(
            name, at,
        ))))
    }

    /// A role ARN that is text the stack fills in: literal text (an
    /// `arn:...:role/...`), parameters and pseudo parameters; never a
    /// resource of the template (whose `Ref` is no ARN).
    fn arn_text(&mut self, node: &Node) -> Option<Text> {
        let parts = intrinsic::parts(node).ok()?;
        let readable = parts.iter().all(|part| match part {
            Part::Text(_) | Part::Pseudo(_) => true,
            Part::Ref(name) => self.parameters.contains(name) || self.defined_kind(name).is_none(),
            Part::GetAtt(..) => false,
        });
        let literal_role = match parts.as_slice() {
            [Part::Text(text)] => text.starts_with("arn:") && text.contains(":role/"),
            _ => true,
        };
        if !readable || parts.is_empty() || !literal_role {
            return None;
        }
        self.referencing_text(&parts, node)
    }

    /// N0765: the pool attaches a role whose trust and permissions are not
    /// in the template.
    fn external_role_note(
        &mut self,
        pool: &str,
        usage: RoleUsage,
        node: &Node,
        role: &str,
        form: &str,
    ) {
        let amr = usage.keyword();
        self.report(
            Code::N0765,
            span_of(node),
            format!("{role} is handed out to {amr} identities of `{pool}` (`{form}`): idpc cannot check its trust policy and permissions"),
            "not defined in this template",
            format!("its trust policy must let `cognito-identity.amazonaws.com` assume it with `aud` = `{pool}` and `amr` = `{amr}`; check it where it is defined, or import a template that defines it"),
        );
    }

    /// The role an ARN names: `Fn::GetAtt: [Role, Arn]` of a role of the
    /// template.
    fn role_arn(&mut self, node: &Node) -> Option<String> {
        if let Ok(parts) = intrinsic::parts(node)
            && self.parameter_in(&parts, span_of(node), "a role's place")
        {
            return None;
        }
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
                    span_of(node),
                    what,
                    "idp hands out roles it defines",
                    "import a template that defines the role (`AWS::IAM::Role`), named with `Fn::GetAtt: [Role, Arn]`",
                );
                None
            }
        }
    }

    /// An `identity_pool` item: its settings, mappings, principal tags and
    /// roles.
    fn pool(
        &mut self,
        part: &PoolParts<'a>,
        parts: &[PoolParts<'a>],
        uses: &[(String, RoleUse)],
        shared: &[String],
    ) -> IdentityPool {
        let id = &part.id;
        self.resource_keys_allowing(part.node, "an identity pool", &POOL_ATTRIBUTES);
        let condition = self.resource_condition(part.node);
        let mut providers = Providers::default();
        let (mut body, guests_allowed) = self.pool_settings(part, &mut providers);
        if let Some(name) = &part.attachment_name {
            body.push(Spanned::new(PoolItem::Attachment(name.clone()), name.span));
        }
        body.extend(self.pool_attributes(part.node));
        if let Some(attachment) = part.attachment {
            body.extend(self.pool_mappings(attachment, &providers));
        }
        body.extend(self.pool_principal_tags(part, &providers));
        let roles = self.pool_roles(part, parts, uses, shared);
        let has_guests = roles.iter().any(|role| {
            matches!(&role.node, PoolItem::Role(r) if r.usage.node == RoleUsage::Unauthenticated)
        });
        let pool_key = self
            .resource(id)
            .map_or(Span::new(self.file, 0, 0), |r| r.key);
        self.check_pool_name(part, pool_key);
        // Absent, CloudFormation's default is `false`. A pool whose guests
        // or roles are chosen at deploy time was reported already.
        let guests_allowed =
            guests_allowed.or_else(|| has_guests.then_some((Some(false), pool_key)));
        let from_stack = body
            .iter()
            .any(|item| matches!(item.node, PoolItem::Guests(_)));
        if from_stack && !has_guests {
            self.stack_guests_without_role(guests_allowed);
        } else if !self.conditional_pools.contains(id) {
            body.extend(self.check_guests(guests_allowed, has_guests));
        }
        body.extend(roles);
        IdentityPool {
            name: Spanned::new(id.clone(), self.at(pool_key)),
            body,
            condition,
        }
    }

    /// The pool's settings (`name`, `classic_flow`, providers, tags) in the
    /// order the language reference lists them, whatever the template's
    /// order; and `AllowUnauthenticatedIdentities`, with where it is.
    #[allow(clippy::type_complexity)]
    fn pool_settings(
        &mut self,
        part: &PoolParts<'a>,
        providers: &mut Providers,
    ) -> (Vec<Spanned<PoolItem>>, Option<(Option<bool>, Span)>) {
        let mut items: Vec<Spanned<PoolItem>> = Vec::new();
        let mut guests_allowed = None;
        for (key, value) in properties(part.node) {
            let at = self.at(span_of(value));
            match key.as_str() {
                Some("IdentityPoolName") => {
                    if let Some(name) = self.string(value, "a pool name")
                        && name.as_written() != part.id
                    {
                        items.push(Spanned::new(PoolItem::PoolName(name), at));
                    }
                }
                Some("AllowUnauthenticatedIdentities") => {
                    match self.stack_guests(value) {
                        Some(guests) => {
                            items.push(Spanned::new(PoolItem::Guests(guests), at));
                            // The stack decides; the pool must have a guest role (E0118).
                            guests_allowed = Some((Some(true), span_of(value)));
                        }
                        // Any other `Fn::If` (`[Cond, false, true]`, ...).
                        None if stack::if_of(value).is_some() => self.chosen_by_if(
                            value,
                            "`AllowUnauthenticatedIdentities` other than `[Cond, true, false]`",
                            "write `!If [Cond, true, false]` with a condition that holds when guests are allowed, or `!Ref` a parameter",
                        ),
                        None if self.guests_computed(&part.id, value) => {
                            self.conditional_pools.insert(part.id.clone());
                        }
                        None => guests_allowed = Some((is_true(value), span_of(value))),
                    }
                }
                Some("AllowClassicFlow") => match is_true(value) {
                    Some(true) => items.push(Spanned::new(PoolItem::ClassicFlow, at)),
                    Some(false) => {}
                    None => self.inexpressible(key, "an identity pool"),
                },
                Some("CognitoIdentityProviders") => {
                    for entry in seq(value) {
                        if let Some(item) = self.user_pool_provider(entry, providers) {
                            items.push(item);
                        }
                    }
                }
                Some("SupportedLoginProviders") => {
                    items.extend(self.login_providers(value, providers));
                }
                Some(list @ ("OpenIdConnectProviderARNs" | "SamlProviderARNs")) => {
                    let (protocol, kind) = if list == "SamlProviderARNs" {
                        (Federation::Saml, Kind::SamlProvider)
                    } else {
                        (Federation::Oidc, Kind::OidcProvider)
                    };
                    for entry in seq(value) {
                        if let Some(item) = self.federated(entry, protocol, kind, providers) {
                            items.push(item);
                        }
                    }
                }
                Some("DeveloperProviderName") => {
                    if let Some(name) = self.string(value, "a developer provider name") {
                        items.push(Spanned::new(PoolItem::DeveloperProvider(name), at));
                    }
                }
                Some("IdentityPoolTags") => items.extend(self.pool_tags(value)),
                _ => self.inexpressible(key, "an identity pool"),
            }
        }
        items.sort_by_key(|item| match item.node {
            PoolItem::PoolName(_) => 0,
            PoolItem::ClassicFlow | PoolItem::Guests(_) => 1,
            PoolItem::Tag { .. } => 3,
            _ => 2,
        });
        (items, guests_allowed)
    }

    /// `provider google "id"` and the other public login providers.
    fn login_providers(
        &mut self,
        value: &Node,
        providers: &mut Providers,
    ) -> Vec<Spanned<PoolItem>> {
        let mut items = Vec::new();
        for (domain, app) in value.as_map().unwrap_or_default() {
            let login = LOGINS.iter().find(|l| Some(l.domain()) == domain.as_str());
            match (login, self.string(app, "an app id")) {
                (Some(login), Some(id)) => {
                    providers.logins.push(*login);
                    let at = self.at(domain.span);
                    let provider = Spanned::new(*login, at);
                    items.push(Spanned::new(PoolItem::LoginProvider { provider, id }, at));
                }
                (None, _) => self.inexpressible(domain, "`SupportedLoginProviders`"),
                _ => {}
            }
        }
        items
    }

    /// `tag "key" = "value"` items.
    fn pool_tags(&mut self, value: &Node) -> Vec<Spanned<PoolItem>> {
        self.tags(value)
            .into_iter()
            .map(|(key, value, at)| Spanned::new(PoolItem::Tag { key, value }, at))
            .collect()
    }

    /// A `Tags` list of `Key`/`Value` entries (a pool's or a role's): each
    /// key and value, and where the entry is.
    pub(super) fn tags(&mut self, value: &Node) -> Vec<(Text, Text, Span)> {
        let mut tags = Vec::new();
        for tag in seq(value) {
            let (Some(k), Some(v)) = (tag.get("Key"), tag.get("Value")) else {
                self.inexpressible_node(tag, "a tag without `Key` and `Value`");
                continue;
            };
            if let (Some(key), Some(value)) =
                (self.string(k, "a tag key"), self.string(v, "a tag value"))
            {
                tags.push((key, value, self.at(span_of(tag))));
            }
        }
        tags
    }

    /// The attachment's `RoleMappings` as `map` items. One `map P` maps
    /// every provider P names (each OIDC provider for `oidc`, each client
    /// of a user pool) alike: the template must too.
    fn pool_mappings(
        &mut self,
        attachment: &Node,
        providers: &Providers,
    ) -> Vec<Spanned<PoolItem>> {
        let mut items = Vec::new();
        for (key, value) in properties(attachment) {
            if key.as_str() != Some("RoleMappings") {
                continue;
            }
            let mut seen = AlikeBlocks::default();
            for (mkey, mapping) in value.as_map().unwrap_or_default() {
                let Some(item) = self.mapping(mkey, mapping, providers) else {
                    continue;
                };
                match seen.add(&item) {
                    Ok(true) => items.push(item),
                    Ok(false) => {}
                    Err(provider) => self.report(
                        Code::E0702,
                        span_of(mapping),
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
                    key.span,
                    format!("the pool maps {count} of its {expected} `{provider}` providers"),
                    "idp maps them all",
                    format!("`map {provider}` maps every provider it names; give each the same mapping in the template"),
                );
            }
        }
        items
    }

    /// The pool's principal tags. As with mappings, `principal_tags oidc`
    /// covers every OIDC provider.
    fn pool_principal_tags(
        &mut self,
        part: &PoolParts<'a>,
        providers: &Providers,
    ) -> Vec<Spanned<PoolItem>> {
        let id = &part.id;
        let mut items = Vec::new();
        let mut seen = AlikeBlocks::default();
        for (tag_id, key, node) in &part.principal_tags {
            let key = *key;
            let Some(item) = self.principal_tags(id, tag_id, key, node, providers) else {
                continue;
            };
            match seen.add(&item) {
                Ok(true) => items.push(item),
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
            let at = self
                .resource(id)
                .map_or(Span::new(self.file, 0, 0), |r| r.key);
            self.report(
                Code::E0702,
                at,
                format!("the pool has principal tags for {count} of its {expected} `{provider}` providers"),
                "idp maps them all",
                format!("`principal_tags {provider}` applies to every provider it names; give each the same tags in the template"),
            );
        }
        items
    }

    /// The pool's `authenticated role` and `unauthenticated role` items,
    /// signed-in users' first: a top-level role by name, any other with
    /// its body.
    fn pool_roles(
        &mut self,
        part: &PoolParts<'a>,
        parts: &[PoolParts<'a>],
        uses: &[(String, RoleUse)],
        shared: &[String],
    ) -> Vec<Spanned<PoolItem>> {
        let id = &part.id;
        let mut roles: Vec<Spanned<PoolItem>> = Vec::new();
        for (role, used) in uses.iter().filter(|(_, u)| u.pool == *id) {
            let Some(usage) = used.usage else { continue };
            let at = self.at(self
                .resource(role)
                .map_or(Span::new(self.file, 0, 0), |r| r.key));
            let (name, body) = if shared.contains(role) {
                (Some(Spanned::new(role.clone(), at)), None)
            } else {
                let trust = trust_for(parts, std::slice::from_ref(used));
                let Some(body) = self.role(role, &trust) else {
                    continue;
                };
                let default = match usage {
                    RoleUsage::Authenticated => format!("{id}AuthRole"),
                    RoleUsage::Unauthenticated => format!("{id}UnauthRole"),
                };
                let name = (*role != default).then(|| Spanned::new(role.clone(), at));
                (name, Some(body))
            };
            let usage = Spanned::new(usage, at);
            let condition = used
                .condition
                .as_ref()
                .and_then(|(condition, node)| self.declare_condition(condition, node));
            roles.push(Spanned::new(
                PoolItem::Role(PoolRole {
                    usage,
                    name,
                    body,
                    condition,
                    arn: None,
                }),
                at,
            ));
        }
        for (usage, role, condition) in &part.external_roles {
            let (name, arn, at) = match role {
                ExternalRole::Stack(name) => (Some(name.clone()), None, name.span),
                ExternalRole::Arn(text) => (None, Some(text.clone()), text.span),
            };
            let condition = condition
                .as_ref()
                .and_then(|(condition, node)| self.declare_condition(condition, node));
            let role = PoolRole {
                usage: Spanned::new(*usage, at),
                name,
                body: None,
                condition,
                arn,
            };
            roles.push(Spanned::new(PoolItem::Role(role), at));
        }
        roles.sort_by_key(|role| {
            matches!(&role.node, PoolItem::Role(r) if r.usage.node == RoleUsage::Unauthenticated)
        });
        roles
    }

    /// W0702: a pool without `IdentityPoolName` gets one.
    fn check_pool_name(&mut self, part: &PoolParts<'a>, pool_key: Span) {
        let id = &part.id;
        if !properties(part.node)
            .iter()
            .any(|(k, _)| k.as_str() == Some("IdentityPoolName"))
        {
            self.report(
                Code::W0702,
                pool_key,
                format!("`{id}` has no `IdentityPoolName`; the program names the pool `{id}`"),
                "CloudFormation would have made a name up",
                "the pool is renamed in place when the program is deployed; add `name \"...\"` to keep its current name",
            );
        }
    }

    /// E0752 when `AllowUnauthenticatedIdentities` is computed otherwise
    /// than `guests` can say (a `Ref` to a resource, `Fn::Equals`, ...):
    /// whether it is.
    fn guests_computed(&mut self, pool: &str, value: &Node) -> bool {
        let Some((function, _)) = intrinsic::function(value) else {
            return false;
        };
        let parameter = ref_of(value).filter(|name| self.parameters.contains(name));
        let by = match &parameter {
            Some(name) => format!("the template parameter `{name}`"),
            None if function == "Ref" => format!("`Ref: {}`", ref_of(value).unwrap_or_default()),
            None => format!("`{function}`"),
        };
        self.report(
            Code::E0752,
            span_of(value),
            format!("`AllowUnauthenticatedIdentities` of `{pool}` is given by {by}, not `true` or `false`"),
            format!("given by {by}"),
            "write `true` or `false`, `!Ref` a template parameter (`guests Param`) or `!If [Cond, true, false]` (`guests if Cond`)",
        );
        true
    }

    /// E0702: `guests Param` / `guests if Cond` without a guest role to
    /// hand out (the program would be E0118).
    fn stack_guests_without_role(&mut self, guests_allowed: Option<(Option<bool>, Span)>) {
        let Some((_, span)) = guests_allowed else {
            return;
        };
        self.report(
            Code::E0702,
            span,
            "`AllowUnauthenticatedIdentities` is decided by the stack, but the pool has no guest role",
            "guests may be allowed at deploy time",
            "`guests` needs the pool's `unauthenticated role`: attach the role guests get in the template (`Roles: {unauthenticated: ...}`), or write `false`",
        );
    }

    /// `guests true` / `guests false` when `AllowUnauthenticatedIdentities`
    /// says otherwise than the roles (which decide it when absent); E0702
    /// when it is not a boolean.
    fn check_guests(
        &mut self,
        guests_allowed: Option<(Option<bool>, Span)>,
        has_guests: bool,
    ) -> Option<Spanned<PoolItem>> {
        let (allowed, span) = guests_allowed?;
        match allowed {
            Some(allowed) if allowed == has_guests => None,
            // The template says otherwise than its roles: `guests true`
            // (guests get an identity id, and credentials only from a role
            // attached elsewhere) or `guests false` (the guest role is
            // never handed out).
            Some(allowed) => Some(Spanned::new(
                PoolItem::Guests(crate::syntax::ast::Guests::Fixed(allowed)),
                self.at(span),
            )),
            None => {
                self.report(
                    Code::E0702,
                    span,
                    "`AllowUnauthenticatedIdentities` is neither `true` nor `false`",
                    "not a boolean idp can write",
                    "write `true` or `false`, `!Ref` a template parameter (`guests Param`) or `!If [Cond, true, false]` (`guests if Cond`)",
                );
                None
            }
        }
    }

    pub(super) fn inexpressible_node(&mut self, node: &Node, what: &str) {
        self.report(
            Code::E0702,
            span_of(node),
            format!("{what} cannot be written in idp"),
            "idp has no form for this",
            "change the template so idp can express it, or keep this resource in CloudFormation",
        );
    }

    /// `provider user_pool U client C [server_side_token_check]`, or, when
    /// the stack gives the provider name or client id (a parameter, text,
    /// `Fn::Sub`), `provider user_pool "NAME" client "ID"`.
    fn user_pool_provider(
        &mut self,
        entry: &Node,
        providers: &mut Providers,
    ) -> Option<Spanned<PoolItem>> {
        let mut client = None;
        let mut provider_name = None;
        let mut check = false;
        for (key, value) in entry.as_map().unwrap_or_default() {
            match key.as_str() {
                Some("ClientId") => client = Some(value),
                Some("ProviderName") => provider_name = Some(value),
                Some("ServerSideTokenCheck") => match is_true(value) {
                    Some(v) => check = v,
                    None => self.inexpressible(key, "a user pool provider"),
                },
                _ => self.inexpressible(key, "a user pool provider"),
            }
        }
        let (Some(provider_name), Some(client)) = (provider_name, client) else {
            self.inexpressible_node(
                entry,
                "a user pool provider without `ClientId` and `ProviderName`",
            );
            return None;
        };
        let at = self.at(span_of(entry));
        let named_client = ref_of(client).filter(|c| !self.parameters.contains(c));
        // `cognito-idp.${AWS::Region}.amazonaws.com/${Id}` with `Id` a
        // parameter is text, not a user pool of the stack.
        let user_pool = provider_name_of(provider_name).filter(|u| !self.parameters.contains(u));
        let (Some(user_pool), Some(client)) = (user_pool.clone(), named_client.clone()) else {
            // The named half, if any, is a resource of the stack.
            if let Some(user_pool) = &user_pool {
                self.kind_of(user_pool, span_of(entry), || Some(Kind::UserPool))?;
            }
            // A client the template defines; any other `Ref` beside a
            // provider name given as text is a parameter (a built template
            // has no `Parameters` section to say so).
            if let Some(client) = named_client.as_ref().filter(|c| self.resource(c).is_some()) {
                self.kind_of(client, span_of(entry), || Some(Kind::UserPoolClient))?;
            }
            if let (Ok(name), Ok(client)) =
                (intrinsic::parts(provider_name), intrinsic::parts(client))
            {
                providers.given.push((name, client));
            }
            let provider_name = self.string(provider_name, "a user pool's provider name");
            let client_id = self.string(client, "an app client id");
            let provider = crate::syntax::ast::UserPoolText {
                provider_name: provider_name?,
                client_id: client_id?,
                server_side_token_check: check.then_some(at),
            };
            return Some(Spanned::new(PoolItem::UserPoolText(provider), at));
        };
        self.kind_of(&user_pool, span_of(entry), || Some(Kind::UserPool))?;
        self.kind_of(&client, span_of(entry), || Some(Kind::UserPoolClient))?;
        providers
            .user_pools
            .push((user_pool.clone(), client.clone()));
        let provider = UserPoolProvider {
            user_pool: Spanned::new(user_pool, at),
            client: Spanned::new(client, at),
            server_side_token_check: check.then_some(at),
        };
        Some(Spanned::new(PoolItem::UserPoolProvider(provider), at))
    }

    /// `provider oidc ...` / `provider saml ...`.
    fn federated(
        &mut self,
        entry: &Node,
        protocol: Federation,
        kind: Kind,
        providers: &mut Providers,
    ) -> Option<Spanned<PoolItem>> {
        let parts = match intrinsic::parts(entry) {
            Ok(parts) => parts,
            Err(e) => {
                self.not_invertible(&e, "a provider ARN", PROVIDER_ARN_ACCEPTED);
                return None;
            }
        };
        let at = self.at(span_of(entry));
        // A provider's `Fn::GetAtt Arn` is its `Ref` (both its ARN).
        let parts = match parts.as_slice() {
            [Part::GetAtt(name, attribute)] if attribute == "Arn" => {
                vec![Part::Ref(name.clone())]
            }
            _ => parts,
        };
        let provider = match parts.as_slice() {
            [Part::Text(arn)] => ProviderArn::Arn(text::string(arn, at)),
            // A parameter holding the ARN: `"$(OidcArn)"`.
            [Part::Ref(name)] if self.parameters.contains(name) => {
                ProviderArn::Arn(self.referencing_text(&parts, entry)?)
            }
            [Part::Ref(name)] => {
                self.kind_of(name, span_of(entry), || Some(kind))?;
                ProviderArn::Named(Spanned::new(name.clone(), at))
            }
            // `arn:$(AWS::Partition):iam::$(AWS::AccountId):oidc-provider/host`
            _ if parts
                .iter()
                .any(|p| matches!(p, Part::Pseudo(_) | Part::Ref(_))) =>
            {
                ProviderArn::Arn(self.referencing_text(&parts, entry)?)
            }
            _ => {
                self.report(
                    Code::E0704,
                    span_of(entry),
                    "this provider ARN cannot be read back",
                    "idp takes an ARN string or a provider's name",
                    "write the ARN as text, or `Ref` (or `Fn::GetAtt: [Provider, Arn]`) an `AWS::IAM::OIDCProvider` / `AWS::IAM::SAMLProvider`",
                );
                return None;
            }
        };
        match protocol {
            Federation::Saml => providers.saml.push(parts),
            Federation::Oidc => providers.oidc.push(parts),
        }
        let protocol = Spanned::new(protocol, at);
        Some(Spanned::new(
            PoolItem::FederationProvider { protocol, provider },
            at,
        ))
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
