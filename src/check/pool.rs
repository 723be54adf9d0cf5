//! Identity pools: their properties, providers, roles, role mappings and
//! principal tags, each checked against CloudFormation's and Cognito's rules.

use super::error::{CheckErrorKind, Declared};
use super::ir::{
    Attachment, IdentityProviderName, MappingRuleDef, Piece, Pool, PrincipalTagDef, ProviderArn,
    Role, RoleMappingDef, UserPoolProvider, Value,
};
use super::kinds::PRINCIPAL_TAG_TYPE;
use super::role::{iam_arn_parts, inline_role_name, is_account_id, literal_text};
use super::{Checker, Wanted, attachment_name};
use crate::syntax::ast::{
    self, Federation, Kind, LoginProvider, MappingKind, Otherwise, ProviderRef, RoleUsage, Span,
    Spanned, Text, TextPart,
};
use std::collections::HashMap;

/// Cognito's limit on rules in one mapping.
pub const MAX_RULES: usize = super::limits::RULES_PER_MAPPING.value;
/// Cognito's limit on role mappings in one pool.
pub const MAX_MAPPINGS: usize = super::limits::MAPPINGS_PER_POOL.value;

/// The providers of a pool, with where each was given.
#[derive(Default)]
struct Providers {
    user_pools: Vec<(UserPoolProvider, Span)>,
    logins: Vec<(LoginProvider, Value, Span)>,
    oidc: Vec<ProviderArn>,
    saml: Vec<ProviderArn>,
}

/// A pool role line, checked: the role it attaches.
struct AttachedRole {
    usage: RoleUsage,
    logical_id: String,
    /// A role the program does not define (`logical_id` is then empty for
    /// an ARN).
    external: Option<super::ir::ExternalRole>,
    /// `... role [Name] if Cond`: the attachment's entry is conditional.
    entry_condition: Option<String>,
    /// The condition the role itself exists under (roles defined inside).
    role_condition: Option<String>,
    /// The body, for a role defined inside the pool.
    body: Option<super::role::RoleBody>,
}

/// What a pool's lines said, gathered in one pass: role mappings and
/// principal tags name providers that may be given after them, so they are
/// checked once every line is read.
#[derive(Default)]
struct PoolLines {
    name: Option<(Value, Span)>,
    classic_flow: Option<Span>,
    tags: Vec<(Value, Value)>,
    /// Keys seen so far, looked up by key: a list scanned per line made
    /// 100,000 lines quadratic.
    tag_keys: HashMap<String, Span>,
    providers: Providers,
    developer: Option<(Value, Span)>,
    attached: Vec<AttachedRole>,
    role_spans: Vec<(RoleUsage, Span)>,
    provider_lines: HashMap<String, Span>,
    /// `attachment`, `deletion_policy`, `depends_on`, ...
    attributes: super::attributes::PoolAttributeLines,
    guests: Option<(Option<super::ir::GuestsDef>, Span)>,
}

impl Checker {
    pub(super) fn pool(&mut self, pool: &ast::IdentityPool) -> Pool {
        let pool_id = pool.name.node.clone();
        let condition = self.if_condition(pool.condition.as_ref());
        let mut lines = PoolLines::default();
        for item in &pool.body {
            self.pool_line(pool, condition.as_deref(), item, &mut lines);
        }
        let guests = self.guests_role(&lines.guests, &lines.role_spans);
        // Mappings and principal tags name providers, which may be given
        // after them.
        let mappings = self.role_mappings(pool, &lines.providers, lines.classic_flow);
        let principal_tags = self.principal_tags(pool, &lines.providers);
        let attachment_line = lines.attributes.attachment.take();
        let attachment_id = match &attachment_line {
            Some(name) => name.node.clone(),
            None => attachment_name(&pool_id),
        };
        let mut attachment = attachment(attachment_id, &lines.attached, mappings);
        if let Some(attachment) = &mut attachment {
            attachment.depends_on = std::mem::take(&mut lines.attributes.attachment_depends_on);
        }
        if let (Some(line), None) = (&attachment_line, &attachment) {
            let kind = CheckErrorKind::AttachmentWithoutRoles {
                pool: pool_id.clone(),
            };
            self.problem(line.span, kind);
        }
        let roles = pool_roles(&pool_id, lines.attached, !principal_tags.is_empty());
        let providers = lines.providers;
        Pool {
            name: lines
                .name
                .map(|(value, _)| value)
                .unwrap_or_else(|| Value::literal(pool_id.clone())),
            logical_id: pool_id,
            classic_flow: lines.classic_flow.is_some(),
            user_pools: providers.user_pools.into_iter().map(|(p, _)| p).collect(),
            login_providers: providers
                .logins
                .into_iter()
                .map(|(provider, id, _)| (provider.domain().to_string(), id))
                .collect(),
            oidc_providers: providers.oidc,
            saml_providers: providers.saml,
            developer_provider: lines.developer.map(|(value, _)| value),
            tags: lines.tags,
            attachment,
            roles,
            principal_tags,
            attributes: lines.attributes.into_attributes(),
            condition,
            guests,
            span: pool.name.span,
        }
    }

    /// Checks one line of a pool's body and records what it says.
    fn pool_line(
        &mut self,
        pool: &ast::IdentityPool,
        condition: Option<&str>,
        item: &Spanned<ast::PoolItem>,
        lines: &mut PoolLines,
    ) {
        match &item.node {
            ast::PoolItem::PoolName(text) => {
                if let Some((_, first)) = &lines.name {
                    self.duplicate("`name`", item.span, *first);
                } else {
                    self.pool_name_rule(text);
                    lines.name = Some((self.value(text), item.span));
                }
            }
            ast::PoolItem::ClassicFlow => match lines.classic_flow {
                Some(first) => self.duplicate("`classic_flow`", item.span, first),
                None => lines.classic_flow = Some(item.span),
            },
            ast::PoolItem::Tag { key, value } => {
                let written = key.as_written();
                if let Some(first) = lines.tag_keys.get(&written) {
                    let what = format!("tag `{written}`");
                    self.duplicate(&what, item.span, *first);
                    return;
                }
                lines.tag_keys.insert(written, item.span);
                self.tag_limits(lines.tags.len() + 1, item.span, key, value);
                lines.tags.push((self.value(key), self.value(value)));
            }
            ast::PoolItem::DeveloperProvider(text) => {
                if let Some((_, first)) = &lines.developer {
                    self.duplicate("`provider developer`", item.span, *first);
                } else {
                    self.developer_name_rule(text);
                    lines.developer = Some((self.value(text), item.span));
                }
            }
            ast::PoolItem::Role(role) => self.pool_role_line(pool, condition, role, lines),
            ast::PoolItem::Guests(guests) => match &lines.guests {
                Some((_, first)) => self.duplicate("`guests`", item.span, *first),
                None => lines.guests = Some((self.guests(guests), item.span)),
            },
            ast::PoolItem::RoleMapping(_) | ast::PoolItem::PrincipalTags(_) => {}
            ast::PoolItem::Attachment { .. }
            | ast::PoolItem::DeletionPolicy(_)
            | ast::PoolItem::UpdateReplacePolicy(_)
            | ast::PoolItem::DependsOn(_)
            | ast::PoolItem::Metadata(_) => {
                self.pool_attribute_line(&pool.name.node, item, &mut lines.attributes)
            }
            provider => self.provider_line(provider, item.span, lines),
        }
    }

    /// A `provider ...` line of a pool (but `provider developer`).
    fn provider_line(&mut self, item: &ast::PoolItem, span: Span, lines: &mut PoolLines) {
        match item {
            ast::PoolItem::UserPoolProvider(provider) => {
                let key = format!(
                    "provider `user_pool {} client {}`",
                    provider.user_pool.node, provider.client.node
                );
                if !self.first_provider_line(&mut lines.provider_lines, key, span) {
                    return;
                }
                let user_pool = self.resolve(&provider.user_pool, Wanted::Kind(Kind::UserPool));
                let client = self.resolve(&provider.client, Wanted::Kind(Kind::UserPoolClient));
                if let (Some((user_pool, _)), Some((client, _))) = (user_pool, client) {
                    let provider = UserPoolProvider {
                        user_pool,
                        client,
                        server_side_token_check: provider.server_side_token_check.is_some(),
                        given: None,
                    };
                    lines.providers.user_pools.push((provider, span));
                }
            }
            ast::PoolItem::UserPoolText(provider) => {
                let key = format!(
                    "provider `user_pool \"{}\" client \"{}\"`",
                    provider.provider_name.as_written(),
                    provider.client_id.as_written()
                );
                if !self.first_provider_line(&mut lines.provider_lines, key, span) {
                    return;
                }
                self.given_provider_rules(provider);
                let given = (
                    self.value(&provider.provider_name),
                    self.value(&provider.client_id),
                );
                let provider = UserPoolProvider {
                    user_pool: String::new(),
                    client: String::new(),
                    server_side_token_check: provider.server_side_token_check.is_some(),
                    given: Some(given),
                };
                lines.providers.user_pools.push((provider, span));
            }
            ast::PoolItem::LoginProvider { provider, id } => {
                let key = format!("provider `{}`", provider.node.keyword());
                if !self.first_provider_line(&mut lines.provider_lines, key, span) {
                    return;
                }
                if provider.node == LoginProvider::Twitter {
                    self.twitter_id(id);
                }
                let id = self.value(id);
                lines.providers.logins.push((provider.node, id, span));
            }
            ast::PoolItem::FederationProvider { protocol, provider } => {
                let written = match provider {
                    ast::ProviderArn::Arn(text) => text.as_written(),
                    ast::ProviderArn::Named(name) => name.node.clone(),
                };
                let key = format!("provider `{} {written}`", protocol.node.keyword());
                if !self.first_provider_line(&mut lines.provider_lines, key, span) {
                    return;
                }
                if let Some(arn) = self.federation_provider(protocol.node, provider) {
                    match protocol.node {
                        Federation::Oidc => lines.providers.oidc.push(arn),
                        Federation::Saml => lines.providers.saml.push(arn),
                    }
                }
            }
            _ => {}
        }
    }

    /// A `authenticated role ...` or `unauthenticated role ...` line of a
    /// pool: an inline role, or a shared one by name.
    fn pool_role_line(
        &mut self,
        pool: &ast::IdentityPool,
        pool_condition: Option<&str>,
        role: &ast::PoolRole,
        lines: &mut PoolLines,
    ) {
        let usage = role.usage.node;
        if let Some((_, first)) = lines.role_spans.iter().find(|(u, _)| *u == usage) {
            let what = format!("`{} role`", usage.keyword());
            self.duplicate(&what, role.usage.span, *first);
            return;
        }
        lines.role_spans.push((usage, role.usage.span));
        let line_condition = self.if_condition(role.condition.as_ref());
        let logical_id = match (&role.body, &role.name) {
            (Some(body), _) => {
                let (logical_id, _) = inline_role_name(pool, role);
                // The role exists under its line's condition; it trusts the
                // pool, so CloudFormation leaves it out with the pool too.
                let role_condition = line_condition.clone();
                let body = self.role_body(&logical_id, &body.node);
                lines.attached.push(AttachedRole {
                    usage,
                    logical_id,
                    external: None,
                    entry_condition: line_condition,
                    role_condition,
                    body: Some(body),
                });
                return;
            }
            (None, Some(name)) => self.use_shared_role(&pool.name.node, name, usage),
            (None, None) => {
                if let Some(arn) = &role.arn {
                    let external = self.role_by_arn(&pool.name.node, arn, usage);
                    lines.attached.push(AttachedRole {
                        usage,
                        logical_id: String::new(),
                        external: Some(external),
                        entry_condition: line_condition,
                        role_condition: None,
                        body: None,
                    });
                }
                return;
            }
        };
        if let Some(logical_id) = logical_id {
            let entry = line_condition.clone().or(pool_condition.map(str::to_owned));
            self.attach_conditional_role(&logical_id, entry.as_deref(), role);
            // A role of the stack (`use role`): the program has no `role`.
            let external = (!self.shared.contains_key(&logical_id))
                .then(|| super::ir::ExternalRole::Stack(logical_id.clone()));
            lines.attached.push(AttachedRole {
                usage,
                logical_id,
                external,
                entry_condition: line_condition,
                role_condition: None,
                body: None,
            });
        }
    }

    /// `authenticated role "arn:..."`: the ARN, checked for an IAM role's
    /// shape where it is literal (E0202), with N0255: the role is not the
    /// program's.
    fn role_by_arn(&mut self, pool: &str, arn: &Text, usage: RoleUsage) -> super::ir::ExternalRole {
        if !is_provider_arn(arn, "role/") {
            let kind = CheckErrorKind::MalformedArn {
                text: arn.as_written(),
                what: "an IAM role ARN",
                example: "arn:aws:iam::123456789012:role/NotesAuthRole",
            };
            self.problem(arn.span, kind);
        }
        let kind = CheckErrorKind::RoleNotInProgram {
            role: arn.as_written(),
            pool: pool.to_string(),
            usage,
            by_arn: true,
        };
        self.problem(arn.span, kind);
        super::ir::ExternalRole::Arn(self.value(arn))
    }

    /// Records a provider line; reports it and returns false when the same
    /// provider was given before.
    fn first_provider_line(
        &mut self,
        lines: &mut HashMap<String, Span>,
        key: String,
        span: Span,
    ) -> bool {
        if let Some(first) = lines.get(&key) {
            let first = *first;
            self.duplicate(&key, span, first);
            return false;
        }
        lines.insert(key, span);
        true
    }

    /// `IdentityPoolName`: 1–128 of `[\w\s+=,.@-]`, judged on the literal
    /// parts when Serverless variables fill in the rest.
    fn pool_name_rule(&mut self, text: &Text) {
        let rule = NameRule {
            property: "IdentityPoolName",
            allowed: |c| {
                c.is_alphanumeric() || c == '_' || c.is_whitespace() || "+=,.@-".contains(c)
            },
            listed: "letters, digits, spaces and `_ + = , . @ -`",
            max: Some(POOL_NAME_MAX),
        };
        self.name_rule(text, &rule);
    }

    /// An inline policy's `PolicyName`: characters of `[\w+=,.@-]`, not empty
    /// (the IAM API reference's `PutRolePolicy`), judged on the literal parts
    /// when Serverless variables fill in the rest. Its length (1–128) is
    /// E0214's, in `limits`.
    pub(super) fn policy_name_rule(&mut self, text: &Text) {
        self.iam_policy_name_rule(text, "PolicyName");
    }

    /// [`Checker::policy_name_rule`] for a property of another name (a
    /// managed policy's `ManagedPolicyName` follows the same rule).
    pub(super) fn iam_policy_name_rule(&mut self, text: &Text, property: &'static str) {
        let rule = NameRule {
            property,
            allowed: |c| c.is_alphanumeric() || c == '_' || "+=,.@-".contains(c),
            listed: "letters, digits and `_ + = , . @ -`",
            max: None,
        };
        self.name_rule(text, &rule);
    }

    /// Reports (E0203) a name that breaks its rule, judged on the literal
    /// parts: a variable may fill in the rest, so only a name with nothing
    /// but literal text can be empty.
    fn name_rule(&mut self, text: &Text, rule: &NameRule) {
        let literal = literal_parts(text);
        let has_vars = text
            .parts
            .iter()
            .any(|p| !matches!(p.node, TextPart::Literal(_)));
        let length = literal.chars().count();
        let broken = if let Some(bad) = literal.chars().find(|c| !(rule.allowed)(*c)) {
            Some(format!(
                "`{}` is not allowed (use {})",
                bad.escape_debug(),
                rule.listed
            ))
        } else if let Some(max) = rule.max.filter(|max| length > *max) {
            Some(format!(
                "it is {length} characters long; the limit is {max}"
            ))
        } else if literal.is_empty() && !has_vars {
            Some("it must not be empty".to_string())
        } else {
            None
        };
        if let Some(broken) = broken {
            let kind = CheckErrorKind::InvalidValue {
                property: rule.property,
                rule: broken,
            };
            self.problem(text.span, kind);
        }
    }

    /// A user pool provider given as text: `ProviderName` is 1–128 of
    /// `[\w._:/-]`, `ClientId` 1–128 of `[\w_]` (the Cognito API
    /// reference's `CognitoIdentityProvider`), judged on the literal parts.
    /// AWS gives `cognito-idp.<region>.amazonaws.com/<user pool id>` only as
    /// an example, so the name's shape is not judged.
    fn given_provider_rules(&mut self, provider: &ast::UserPoolText) {
        let name = NameRule {
            property: "ProviderName",
            allowed: |c| c.is_alphanumeric() || "_.:/-".contains(c),
            listed: "letters, digits and `_ . : / -`",
            max: Some(PROVIDER_TEXT_MAX),
        };
        self.name_rule(&provider.provider_name, &name);
        let client = NameRule {
            property: "ClientId",
            allowed: |c| c.is_alphanumeric() || c == '_',
            listed: "letters, digits and `_`",
            max: Some(PROVIDER_TEXT_MAX),
        };
        self.name_rule(&provider.client_id, &client);
    }

    /// `DeveloperProviderName`: 1–128 of `[\w._-]` (the Cognito API
    /// reference's `CreateIdentityPool`; CloudFormation passes it through).
    fn developer_name_rule(&mut self, text: &Text) {
        let Some(literal) = literal_text(text) else {
            return;
        };
        let allowed = |c: char| c.is_alphanumeric() || "_.-".contains(c);
        let rule = if let Some(bad) = literal.chars().find(|c| !allowed(*c)) {
            Some(format!(
                "`{}` is not allowed (use letters, digits and `_ . -`)",
                bad.escape_debug()
            ))
        } else if literal.is_empty() || literal.chars().count() > DEVELOPER_NAME_MAX {
            Some(format!(
                "it must be 1 to {DEVELOPER_NAME_MAX} characters long (it is {})",
                literal.chars().count()
            ))
        } else {
            None
        };
        if let Some(rule) = rule {
            let kind = CheckErrorKind::InvalidValue {
                property: "DeveloperProviderName",
                rule,
            };
            self.problem(text.span, kind);
        }
    }

    /// A pool's tags against Cognito's limits: 50 tags, keys of at most
    /// 128 characters, values of at most 256. Lengths count the literal
    /// parts (a Serverless variable only makes the text longer).
    fn tag_limits(&mut self, number: usize, span: Span, key: &Text, value: &Text) {
        use super::limits::{POOL_TAGS, TAG_KEY_LENGTH, TAG_VALUE_LENGTH};
        if number == POOL_TAGS.value + 1 {
            let kind = CheckErrorKind::TagOverLimit {
                what: super::TagLimit::Tags,
                limit: POOL_TAGS.value,
                actual: number,
            };
            self.problem(span, kind);
        }
        for (text, what, limit) in [
            (key, super::TagLimit::KeyLength, TAG_KEY_LENGTH.value),
            (value, super::TagLimit::ValueLength, TAG_VALUE_LENGTH.value),
        ] {
            let actual = literal_parts(text).chars().count();
            if actual > limit {
                let kind = CheckErrorKind::TagOverLimit {
                    what,
                    limit,
                    actual,
                };
                self.problem(text.span, kind);
            }
        }
    }

    /// Twitter app ids are `consumer_key;consumer_secret`.
    fn twitter_id(&mut self, text: &Text) {
        let Some(literal) = literal_text(text) else {
            return;
        };
        let well_formed = matches!(literal.split_once(';'), Some((key, secret))
            if !key.is_empty() && !secret.is_empty() && !secret.contains(';'));
        if !well_formed {
            self.problem(text.span, CheckErrorKind::TwitterIdForm { id: literal });
        }
    }

    fn federation_provider(
        &mut self,
        protocol: Federation,
        provider: &ast::ProviderArn,
    ) -> Option<ProviderArn> {
        match provider {
            ast::ProviderArn::Named(name) => {
                let kind = match protocol {
                    Federation::Oidc => Kind::OidcProvider,
                    Federation::Saml => Kind::SamlProvider,
                };
                let (logical_id, _) = self.resolve(name, Wanted::Kind(kind))?;
                Some(ProviderArn::Resource(logical_id))
            }
            ast::ProviderArn::Arn(text) => {
                let (marker, what, example) = match protocol {
                    Federation::Oidc => (
                        "oidc-provider/",
                        "an IAM OIDC provider ARN",
                        "arn:aws:iam::123456789012:oidc-provider/login.example.com",
                    ),
                    Federation::Saml => (
                        "saml-provider/",
                        "an IAM SAML provider ARN",
                        "arn:aws:iam::123456789012:saml-provider/ExampleIdP",
                    ),
                };
                if !is_provider_arn(text, marker) {
                    let kind = CheckErrorKind::MalformedArn {
                        text: text.as_written(),
                        what,
                        example,
                    };
                    self.problem(text.span, kind);
                }
                Some(ProviderArn::Arn(self.value(text)))
            }
        }
    }

    /// The providers a `map` or `principal_tags` line names, each with a
    /// literal key; reports a provider the pool doesn't have.
    fn providers_named(
        &mut self,
        pool: &ast::IdentityPool,
        provider: &Spanned<ProviderRef>,
        providers: &Providers,
        with_client: bool,
    ) -> Vec<(String, IdentityProviderName)> {
        let mut found: Vec<(String, IdentityProviderName)> = Vec::new();
        match &provider.node {
            ProviderRef::UserPool(name) => {
                let entries: Vec<&UserPoolProvider> = providers
                    .user_pools
                    .iter()
                    .map(|(p, _)| p)
                    .filter(|p| p.user_pool == name.node)
                    .collect();
                for entry in &entries {
                    let (key, client) = match (with_client, entries.len()) {
                        (false, _) => (entry.user_pool.clone(), None),
                        (true, 1) => (entry.user_pool.clone(), Some(entry.client.clone())),
                        (true, _) => (
                            format!("{}{}", entry.user_pool, entry.client),
                            Some(entry.client.clone()),
                        ),
                    };
                    let name = IdentityProviderName::UserPool {
                        user_pool: entry.user_pool.clone(),
                        client,
                    };
                    if !found.iter().any(|(k, _)| *k == key) {
                        found.push((key, name));
                    }
                }
                if entries.is_empty() && self.resolve(name, Wanted::Kind(Kind::UserPool)).is_none()
                {
                    return found;
                }
            }
            ProviderRef::Login(login) => {
                if providers.logins.iter().any(|(p, _, _)| p == login) {
                    let key = capitalized(login.keyword());
                    let name = IdentityProviderName::Literal(Value::literal(login.domain()));
                    found.push((key, name));
                }
            }
            ProviderRef::Federation(protocol) => found = federation_names(protocol, providers),
        }
        if found.is_empty() {
            let kind = CheckErrorKind::ProviderNotInPool {
                provider: provider_written(&provider.node),
                pool: pool.name.node.clone(),
                given_as_text: providers.user_pools.iter().any(|(p, _)| p.given.is_some()),
            };
            self.problem(provider.span, kind);
        }
        found
    }

    fn role_mappings(
        &mut self,
        pool: &ast::IdentityPool,
        providers: &Providers,
        classic_flow: Option<Span>,
    ) -> Vec<RoleMappingDef> {
        let mut mappings: Vec<RoleMappingDef> = Vec::new();
        let mut seen: Vec<(String, Span)> = Vec::new();
        for item in &pool.body {
            let ast::PoolItem::RoleMapping(mapping) = &item.node else {
                continue;
            };
            let written = provider_written(&mapping.provider.node);
            // `map U`: the head of the block, not all its lines.
            let head = Span::new(item.span.file, item.span.start, mapping.provider.span.end);
            if let Some((_, first)) = seen.iter().find(|(w, _)| *w == written) {
                let what = format!("`map {written}`");
                self.duplicate(&what, head, *first);
                continue;
            }
            seen.push((written, head));
            // One report per pool, at `classic_flow`, naming the first mapping.
            if let Some(classic_flow) = classic_flow
                && seen.len() == 1
            {
                let kind = CheckErrorKind::ClassicFlowWithMappings { mapping: head };
                self.problem(classic_flow, kind);
            }
            let targets = self.providers_named(pool, &mapping.provider, providers, true);
            let rules = match &mapping.by {
                MappingKind::Token => None,
                MappingKind::Rules { rules, block } => {
                    if mapping.otherwise.is_none() {
                        let head = Span::new(block.file, block.start, block.start + "rules".len());
                        self.problem(head, CheckErrorKind::MissingOtherwise);
                    }
                    Some(self.mapping_rules(&pool.name.node, rules))
                }
            };
            let otherwise = mapping
                .otherwise
                .as_ref()
                .map(|o| o.node)
                .unwrap_or(Otherwise::Authenticated);
            let otherwise_span = mapping.otherwise.as_ref().map_or(head, |o| o.span);
            for (key, provider) in targets {
                if mappings.len() == MAX_MAPPINGS {
                    let kind = CheckErrorKind::OverLimit {
                        what: super::MappingLimit::MappingsInPool,
                        limit: MAX_MAPPINGS,
                    };
                    self.problem(head, kind);
                    break;
                }
                mappings.push(RoleMappingDef {
                    key,
                    provider,
                    rules: rules.clone(),
                    otherwise,
                    otherwise_span,
                });
            }
        }
        mappings
    }

    fn mapping_rules(
        &mut self,
        pool: &str,
        rules: &[Spanned<ast::MappingRule>],
    ) -> Vec<MappingRuleDef> {
        let mut checked = Vec::new();
        // Rules seen so far, looked up by rule (a list scanned per rule made
        // 50,000 rules quadratic).
        let mut seen: HashMap<(String, ast::MatchOp, String), Span> = HashMap::new();
        for (index, rule) in rules.iter().enumerate() {
            if index == MAX_RULES {
                let kind = CheckErrorKind::OverLimit {
                    what: super::MappingLimit::RulesInMapping,
                    limit: MAX_RULES,
                };
                self.problem(rule.span, kind);
            }
            let key = (
                rule.node.claim.as_written(),
                rule.node.op.node,
                rule.node.value.as_written(),
            );
            if let Some(earlier) = seen.get(&key) {
                let kind = CheckErrorKind::UnreachableRule { earlier: *earlier };
                self.problem(rule.span, kind);
            } else {
                seen.insert(key, rule.span);
            }
            let claim = self.value(&rule.node.claim);
            let value = self.value(&rule.node.value);
            // Rules hand out roles to signed-in users only.
            if let Some(role) =
                self.use_shared_role(pool, &rule.node.role, RoleUsage::Authenticated)
            {
                checked.push(MappingRuleDef {
                    claim,
                    op: rule.node.op.node,
                    value,
                    role,
                });
            }
        }
        checked
    }

    fn principal_tags(
        &mut self,
        pool: &ast::IdentityPool,
        providers: &Providers,
    ) -> Vec<PrincipalTagDef> {
        let mut defs: Vec<PrincipalTagDef> = Vec::new();
        let mut seen: Vec<(String, Span)> = Vec::new();
        for item in &pool.body {
            let ast::PoolItem::PrincipalTags(tags) = &item.node else {
                continue;
            };
            let written = provider_written(&tags.provider.node);
            let head = Span::new(item.span.file, item.span.start, tags.provider.span.end);
            if let Some((_, first)) = seen.iter().find(|(w, _)| *w == written) {
                let what = format!("`principal_tags {written}`");
                self.duplicate(&what, head, *first);
                continue;
            }
            seen.push((written, head));
            let mut pairs = Vec::new();
            let mut tag_names: HashMap<String, Span> = HashMap::new();
            for pair in &tags.tags {
                let (tag, claim) = &pair.node;
                if !self.principal_tag_name(tag) {
                    continue;
                }
                let tag_written = tag.as_written();
                // Session tag keys are not case sensitive (E0217's page).
                if let Some(first) = tag_names.get(&tag_written.to_lowercase()) {
                    let what = format!("principal tag `{tag_written}`");
                    self.duplicate(&what, pair.span, *first);
                    continue;
                }
                tag_names.insert(tag_written.to_lowercase(), pair.span);
                pairs.push((self.value(tag), self.value(claim)));
            }
            let named = self.providers_named(pool, &tags.provider, providers, false);
            if let Some(name) = &tags.name
                && named.len() > 1
            {
                let kind = CheckErrorKind::PrincipalTagsNameForMany {
                    provider: provider_written(&tags.provider.node),
                    count: named.len(),
                };
                self.problem(name.span, kind);
                continue;
            }
            for (key, provider) in named {
                let (spanned, declared) = match &tags.name {
                    Some(name) => (name.clone(), Declared::Defined(name.span)),
                    None => {
                        let logical_id = format!("{}{key}PrincipalTags", pool.name.node);
                        let declared = Declared::Generated {
                            pool: pool.name.span,
                            what: super::Generated::PrincipalTagMapping,
                        };
                        (Spanned::new(logical_id, pool.name.span), declared)
                    }
                };
                let logical_id = spanned.node.clone();
                if self.declare(&spanned, None, PRINCIPAL_TAG_TYPE, declared) {
                    defs.push(PrincipalTagDef {
                        logical_id,
                        provider,
                        tags: pairs.clone(),
                        use_defaults: tags.default.is_some(),
                    });
                }
            }
        }
        defs
    }
}

/// The pool's OIDC or SAML providers as a `map` or `principal_tags` line
/// names them: keyed `Oidc`/`Saml`, numbered from 1 when there are several.
fn federation_names(
    protocol: &Federation,
    providers: &Providers,
) -> Vec<(String, IdentityProviderName)> {
    let arns = match protocol {
        Federation::Oidc => &providers.oidc,
        Federation::Saml => &providers.saml,
    };
    let mut found = Vec::new();
    for (index, arn) in arns.iter().enumerate() {
        let mut key = capitalized(protocol.keyword());
        if arns.len() > 1 {
            key.push_str(&(index + 1).to_string());
        }
        let name = match (protocol, arn) {
            (Federation::Oidc, ProviderArn::Arn(value)) => {
                IdentityProviderName::Literal(after(value, "oidc-provider/"))
            }
            (Federation::Oidc, ProviderArn::Resource(id)) => {
                IdentityProviderName::OidcHostOf(id.clone())
            }
            (Federation::Saml, ProviderArn::Arn(value)) => {
                IdentityProviderName::Literal(value.clone())
            }
            (Federation::Saml, ProviderArn::Resource(id)) => {
                IdentityProviderName::SamlArnOf(id.clone())
            }
        };
        found.push((key, name));
    }
    found
}

/// The rule of a name AWS restricts: which characters, and how many.
struct NameRule {
    /// The CloudFormation property, for the message.
    property: &'static str,
    /// The characters it may hold.
    allowed: fn(char) -> bool,
    /// Those characters in words, for the message.
    listed: &'static str,
    /// Its longest length, where this rule checks it.
    max: Option<usize>,
}

/// The longest `IdentityPoolName` and `DeveloperProviderName` Cognito
/// accepts ("CreateIdentityPool", Amazon Cognito Federated Identities API
/// Reference: both are 1 to 128 characters).
pub const POOL_NAME_MAX: usize = 128;
/// See [`POOL_NAME_MAX`].
pub const DEVELOPER_NAME_MAX: usize = 128;
/// The longest `ProviderName` and `ClientId` of a user pool provider
/// ("CognitoIdentityProvider", Amazon Cognito Federated Identities API
/// Reference: both are 1 to 128 characters).
pub const PROVIDER_TEXT_MAX: usize = 128;

impl Checker {
    /// Whether a principal tag name can be written as a key of
    /// `PrincipalTags`; reports why not. It must be known now (E0218), be
    /// a session tag key STS accepts, and not be a CloudFormation function
    /// name (E0217).
    fn principal_tag_name(&mut self, tag: &Text) -> bool {
        for part in &tag.parts {
            if let TextPart::ServerlessVar(var) = &part.node {
                let kind = CheckErrorKind::ServerlessVarNotAllowed {
                    var: var.clone(),
                    place: "a principal tag name",
                    why: "a tag name is a key of the `PrincipalTags` map: idpc checks it against STS's rules and CloudFormation's function names before writing it",
                };
                self.problem(part.span, kind);
                return false;
            }
            if let TextPart::Reference(_) | TextPart::ImportValue(_) = &part.node {
                // One mistake, one report: what it names is not also unused.
                let names = match &part.node {
                    TextPart::ImportValue(name) => name.parts.iter().collect(),
                    _ => vec![part],
                };
                for name in names {
                    if let TextPart::Reference(reference) = &name.node {
                        self.stack_names.used.insert(reference.target.clone());
                    }
                }
                let kind = CheckErrorKind::ReferenceNotAllowed {
                    written: Text {
                        parts: vec![part.clone()],
                        span: part.span,
                    }
                    .as_written(),
                    place: "a principal tag name",
                };
                self.problem(part.span, kind);
                return false;
            }
        }
        let written = tag.as_written();
        let Some(rule) = principal_tag_rule(tag) else {
            return true;
        };
        let kind = CheckErrorKind::PrincipalTagName {
            tag: written,
            intrinsic: rule.is_intrinsic,
            rule: rule.text,
        };
        self.problem(tag.span, kind);
        false
    }
}

/// Why a principal tag name breaks a rule.
struct TagRule {
    text: String,
    is_intrinsic: bool,
}

/// The rule a principal tag name breaks, if any: STS's session tag key
/// (1–128 of `[\p{L}\p{Z}\p{N}_.:/=+\-@]`), then CloudFormation's function
/// names (`Ref`, `Condition`, `Fn::...`), which a single-key map in a
/// JSON-typed property such as `PrincipalTags` calls.
fn principal_tag_rule(tag: &Text) -> Option<TagRule> {
    let rule = |text: String| {
        Some(TagRule {
            text,
            is_intrinsic: false,
        })
    };
    if tag
        .parts
        .iter()
        .any(|p| matches!(p.node, TextPart::PolicyVar(_)))
    {
        return rule("a policy variable is not a name (`$`, `<` and `>` are not allowed)".into());
    }
    let name = literal_parts(tag);
    if let Some(bad) = name.chars().find(|c| !is_session_tag_char(*c)) {
        return rule(format!(
            "`{}` is not allowed (use letters, digits, spaces and `_ . : / = + - @`)",
            bad.escape_debug()
        ));
    }
    let len = name.chars().count();
    if !(1..=128).contains(&len) {
        return rule(format!("it must be 1 to 128 characters long (it is {len})"));
    }
    if name == "Ref" || name == "Condition" || name.starts_with("Fn::") {
        return Some(TagRule {
            text: "CloudFormation reads a map with this key as a call of its function".into(),
            is_intrinsic: true,
        });
    }
    None
}

/// A character of `[\p{L}\p{Z}\p{N}_.:/=+\-@]`. Rust's `is_alphabetic`
/// is a little wider than `\p{L}` (it adds letter-like marks), so a rare
/// name STS refuses may pass; none it accepts is refused. `\p{Z}` is the
/// white space that is not a control character.
fn is_session_tag_char(c: char) -> bool {
    c.is_alphabetic()
        || c.is_numeric()
        || (c.is_whitespace() && !c.is_control())
        || "_.:/=+-@".contains(c)
}

/// `arn:<partition>:iam::<account>:<marker><name>`, judged on what is
/// literal (variables may stand for the account).
fn is_provider_arn(text: &Text, marker: &str) -> bool {
    // A reference is known only at deploy time: `"$(OidcProviderArn)"` (a
    // parameter that holds the ARN) or `"arn:$(AWS::Partition):iam::..."`
    // may be an ARN, so only a literal start that is not `arn:` is wrong.
    if text
        .parts
        .iter()
        .any(|p| matches!(p.node, TextPart::Reference(_) | TextPart::ImportValue(_)))
    {
        return match text.parts.first().map(|p| &p.node) {
            Some(TextPart::Literal(start)) => {
                start.starts_with("arn:") || "arn:".starts_with(start.as_str())
            }
            _ => true,
        };
    }
    let written = literal_parts(text);
    let has_vars = text
        .parts
        .iter()
        .any(|p| !matches!(p.node, TextPart::Literal(_)));
    if has_vars {
        return written.starts_with("arn:") && written.contains(marker);
    }
    iam_arn_parts(&written).is_some_and(|(account, resource)| {
        is_account_id(account)
            && resource
                .strip_prefix(marker)
                .is_some_and(|name| !name.is_empty() && !name.contains(char::is_whitespace))
    })
}

/// The literal characters of a text, variables left out.
pub(super) fn literal_parts(text: &Text) -> String {
    text.parts
        .iter()
        .filter_map(|p| match &p.node {
            TextPart::Literal(literal) => Some(literal.as_str()),
            _ => None,
        })
        .collect()
}

/// What follows `marker` in a value (the whole value when it is absent).
fn after(value: &Value, marker: &str) -> Value {
    let mut pieces = Vec::new();
    let mut found = false;
    for piece in &value.pieces {
        if found {
            pieces.push(piece.clone());
        } else if let Piece::Literal(literal) = piece
            && let Some((_, tail)) = literal.split_once(marker)
        {
            found = true;
            if !tail.is_empty() {
                pieces.push(Piece::Literal(tail.to_string()));
            }
        }
    }
    if found {
        Value { pieces }
    } else {
        value.clone()
    }
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn provider_written(provider: &ProviderRef) -> String {
    match provider {
        ProviderRef::UserPool(name) => name.node.clone(),
        ProviderRef::Login(login) => login.keyword().to_string(),
        ProviderRef::Federation(protocol) => protocol.keyword().to_string(),
    }
}

/// The pool's role attachment, when it attaches any role or has mappings
/// (declared with the pool, see `declare_pool`).
fn attachment(
    logical_id: String,
    attached: &[AttachedRole],
    mappings: Vec<RoleMappingDef>,
) -> Option<Attachment> {
    if attached.is_empty() && mappings.is_empty() {
        return None;
    }
    let mut roles: Vec<(RoleUsage, String)> = attached
        .iter()
        .filter(|role| role.external.is_none())
        .map(|role| (role.usage, role.logical_id.clone()))
        .collect();
    roles.sort();
    let mut external_roles: Vec<(RoleUsage, super::ir::ExternalRole)> = attached
        .iter()
        .filter_map(|role| Some((role.usage, role.external.clone()?)))
        .collect();
    external_roles.sort_by_key(|(usage, _)| *usage);
    let role_conditions = attached
        .iter()
        .filter_map(|role| Some((role.usage, role.entry_condition.clone()?)))
        .collect();
    Some(Attachment {
        logical_id,
        roles,
        mappings,
        role_conditions,
        external_roles,
        depends_on: Vec::new(),
    })
}

/// The roles defined inside the pool, signed-in users' first.
fn pool_roles(pool_id: &str, attached: Vec<AttachedRole>, tag_session: bool) -> Vec<Role> {
    let mut roles: Vec<Role> = attached
        .into_iter()
        .filter_map(|role| {
            let body = role.body?;
            Some(Role {
                policy_name: body
                    .policy_name
                    .unwrap_or_else(|| Value::literal(format!("{}Policy", role.logical_id))),
                logical_id: role.logical_id,
                usage: role.usage,
                trusted_pools: vec![pool_id.to_string()],
                tag_session,
                statements: body.statements,
                attached_policies: body.attached_policies,
                policies: body.policies,
                managed_policies: body.managed_policies,
                managed_policy_spans: body.managed_policy_spans,
                boundary: body.boundary,
                properties: body.properties,
                condition: role.role_condition,
            })
        })
        .collect();
    roles.sort_by_key(|role| role.usage);
    roles
}
