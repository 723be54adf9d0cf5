//! Step three: the checked program to the CloudFormation model.
//!
//! Lowering cannot fail on a checked program: the checker resolved every
//! name and refused every key the output would hold twice. The model
//! refuses duplicates too ([`cfn::KeyMap`]), so should the checker miss one,
//! lowering returns [`DuplicateKey`] (an internal error) and nothing is
//! written. What lowering decides is form: partition-aware ARNs (`arn:` + `Ref AWS::Partition`, never
//! a hard-coded `arn:aws:`), and policy variables written so the target
//! leaves them alone.
//!
//! Serverless v3 reads `${` + a lower-case word + `:` or `(` in any string as
//! one of its own variables and fails the deploy on sources it doesn't know
//! (`cognito-identity.amazonaws.com`, `aws`). For the `serverless` target a
//! policy variable is therefore split across `Fn::Join` items, `'$'` then
//! `'{cognito-identity.amazonaws.com:sub}...'`, as the Serverless Stack guide
//! does: CloudFormation joins them back into `${...}` at deploy time, after
//! Serverless has read the file. No string ever holds `${` + a policy key.

use crate::cfn::{self, DuplicateKey, Expr, KeyMap, Template, TrustPolicy};
use crate::check::Target;
use crate::check::ir::{
    Checked, ExternalRole, GuestsDef, IdentityProviderName, ManagedPolicy, OutputDef, Piece, Pool,
    PoolAttributes, PrincipalTagDef, ProviderArn, ResourceDef, Role, RoleMappingDef, Statement,
    Value,
};
use crate::check::kinds::{ArnSource, kind_info};
use crate::syntax::ast::{Effect, Otherwise, RetentionPolicy, RoleUsage};

/// Lowers a checked program for a target; an error only when the program
/// would write one key twice in a map, which the checker should have
/// refused (an idpc bug).
pub fn lower(checked: &Checked, target: Target) -> Result<Template, DuplicateKey> {
    let mut resources = KeyMap::new("Resources");
    let mut seen = std::collections::HashSet::new();
    for_each_resource(checked, target, |key, resource| {
        if !seen.insert(key.clone()) {
            return Err(DuplicateKey {
                key,
                map: "Resources",
            });
        }
        resources.push_new(key, resource);
        Ok(())
    })?;
    Ok(Template {
        format_version: format_version(target),
        resources,
        outputs: outputs(checked, target)?,
    })
}

/// Lowers a checked program one item at a time: each pool's resources,
/// then each shared role, are handed to `resource` in output order as soon
/// as they are built, so no more than one item's model is ever in memory
/// (`emit` writes them as they come). Keys are checked within an item;
/// across items that is for `resource` to do.
pub fn for_each_resource<E: From<DuplicateKey>>(
    checked: &Checked,
    target: Target,
    mut resource: impl FnMut(String, cfn::Resource) -> Result<(), E>,
) -> Result<(), E> {
    let lowering = Lowering {
        target,
        policy_roles: policy_roles(checked),
    };
    for pool in &checked.pools {
        let mut resources = KeyMap::new("Resources");
        lowering.pool(pool, &mut resources)?;
        for (key, value) in resources.into_entries() {
            resource(key, value)?;
        }
    }
    for role in &checked.shared_roles {
        let mut resources = KeyMap::new("Resources");
        lowering.role_resources(role, &mut resources)?;
        for (key, value) in resources.into_entries() {
            resource(key, value)?;
        }
    }
    for policy in &checked.managed_policies {
        resource(policy.logical_id.clone(), lowering.managed_policy(policy)?)?;
    }
    Ok(())
}

/// The template's `AWSTemplateFormatVersion`, for a whole template only.
pub fn format_version(target: Target) -> Option<&'static str> {
    match target {
        Target::CloudFormation => Some(cfn::TEMPLATE_FORMAT_VERSION),
        Target::Serverless => None,
    }
}

/// The template's `Outputs`.
pub fn outputs(checked: &Checked, target: Target) -> Result<KeyMap<cfn::Output>, DuplicateKey> {
    let lowering = Lowering {
        target,
        policy_roles: Default::default(),
    };
    KeyMap::from_entries(
        "Outputs",
        checked
            .outputs
            .iter()
            .map(|output| (output.name.clone(), lowering.output(output))),
    )
}

/// One permission statement as a role's inline policy writes it: what
/// `check::limits` measures against IAM's size quota, so the count is of
/// the very text CloudFormation hands to IAM.
/// A statement that would hold one key twice (which the checker refuses
/// first) is [`DuplicateKey`], as in [`lower`].
pub fn statement(
    statement: &Statement,
    target: Target,
) -> Result<cfn::PolicyStatement, DuplicateKey> {
    Lowering {
        target,
        policy_roles: Default::default(),
    }
    .statement(statement)
}

/// The ARN of a statement's resource, as written for it (`Media/public/*`
/// is `Fn::GetAtt [Media, Arn]` followed by `/public/*`).
pub fn resource(resource: &ResourceDef, target: Target) -> Expr {
    Lowering {
        target,
        policy_roles: Default::default(),
    }
    .resource(resource)
}

/// A role's trust policy, as written for it.
pub fn trust_policy(role: &Role) -> TrustPolicy {
    let pools = role
        .trusted_pools
        .iter()
        .map(|pool| Expr::Ref(pool.clone()))
        .collect();
    TrustPolicy::cognito(pools, role.usage.keyword(), role.tag_session)
}

struct Lowering {
    target: Target,
    /// Each `policy "Name" as LogicalId`: the roles that write it, in
    /// order. The first writes the resource, whose `Roles` lists them all.
    policy_roles: std::collections::HashMap<String, Vec<String>>,
}

/// The roles of each `policy "Name" as LogicalId`, in program order.
fn policy_roles(checked: &Checked) -> std::collections::HashMap<String, Vec<String>> {
    let mut roles: std::collections::HashMap<String, Vec<String>> = Default::default();
    let all = checked
        .pools
        .iter()
        .flat_map(|pool| &pool.roles)
        .chain(&checked.shared_roles);
    for role in all {
        for id in role.policies.iter().filter_map(|p| p.logical_id.as_ref()) {
            roles
                .entry(id.clone())
                .or_default()
                .push(role.logical_id.clone());
        }
    }
    roles
}

impl Lowering {
    fn pool(&self, pool: &Pool, resources: &mut KeyMap<cfn::Resource>) -> Result<(), DuplicateKey> {
        let providers = pool
            .user_pools
            .iter()
            .map(|provider| {
                let (provider_name, client_id) = match &provider.given {
                    Some((name, client)) => (self.value(name), self.value(client)),
                    None => (
                        Expr::GetAtt(provider.user_pool.clone(), "ProviderName".into()),
                        Expr::Ref(provider.client.clone()),
                    ),
                };
                cfn::CognitoIdentityProvider {
                    client_id,
                    provider_name,
                    server_side_token_check: provider.server_side_token_check.then_some(true),
                }
            })
            .collect();
        let properties = cfn::IdentityPool {
            identity_pool_name: self.value(&pool.name),
            allow_unauthenticated_identities: guests(pool),
            allow_classic_flow: pool.classic_flow.then_some(true),
            cognito_identity_providers: providers,
            supported_login_providers: KeyMap::from_entries(
                "SupportedLoginProviders",
                pool.login_providers
                    .iter()
                    .map(|(domain, id)| (domain.clone(), self.value(id))),
            )?,
            open_id_connect_provider_arns: pool
                .oidc_providers
                .iter()
                .map(|p| self.provider_arn(p))
                .collect(),
            saml_provider_arns: pool
                .saml_providers
                .iter()
                .map(|p| self.provider_arn(p))
                .collect(),
            developer_provider_name: pool.developer_provider.as_ref().map(|v| self.value(v)),
            identity_pool_tags: pool
                .tags
                .iter()
                .map(|(key, value)| cfn::Tag {
                    key: self.value(key),
                    value: self.value(value),
                })
                .collect(),
        };
        let conditional = |mut resource: cfn::Resource| {
            resource
                .attributes_mut()
                .condition
                .clone_from(&pool.condition);
            resource
        };
        let mut resource = conditional(cfn::Resource::identity_pool(properties));
        pool_attributes(&pool.attributes, resource.attributes_mut());
        resources.insert(pool.logical_id.clone(), resource)?;
        if let Some(attachment) = &pool.attachment {
            let mut resource = conditional(self.attachment(pool, attachment)?);
            resource.attributes_mut().depends_on = attachment.depends_on.clone();
            resources.insert(attachment.logical_id.clone(), resource)?;
        }
        for role in &pool.roles {
            self.role_resources(role, resources)?;
        }
        for tags in &pool.principal_tags {
            resources.insert(
                tags.logical_id.clone(),
                conditional(cfn::Resource::principal_tag(
                    self.principal_tag(pool, tags)?,
                )),
            )?;
        }
        Ok(())
    }

    /// The pool's role attachment; an entry under a condition is
    /// `Fn::If: [Cond, role ARN, Ref: AWS::NoValue]`.
    fn attachment(
        &self,
        pool: &Pool,
        attachment: &crate::check::ir::Attachment,
    ) -> Result<cfn::Resource, DuplicateKey> {
        let mut arns: Vec<(RoleUsage, Expr)> = attachment
            .roles
            .iter()
            .map(|(usage, role)| (*usage, Expr::GetAtt(role.clone(), "Arn".into())))
            .chain(attachment.external_roles.iter().map(|(usage, role)| {
                let arn = match role {
                    ExternalRole::Stack(role) => Expr::GetAtt(role.clone(), "Arn".into()),
                    ExternalRole::Arn(arn) => self.value(arn),
                };
                (*usage, arn)
            }))
            .collect();
        arns.sort_by_key(|(usage, _)| *usage);
        let roles = KeyMap::from_entries(
            "Roles",
            arns.into_iter().map(|(usage, arn)| {
                let usage = &usage;
                let arn = match attachment.role_conditions.iter().find(|(u, _)| u == usage) {
                    Some((_, condition)) => Expr::If(
                        condition.clone(),
                        Box::new(arn),
                        Box::new(Expr::Ref(cfn::NO_VALUE.into())),
                    ),
                    None => arn,
                };
                (usage.keyword().to_string(), arn)
            }),
        )?;
        let role_mappings = KeyMap::from_entries(
            "RoleMappings",
            attachment
                .mappings
                .iter()
                .map(|mapping| (mapping.key.clone(), self.role_mapping(mapping))),
        )?;
        let properties = cfn::RoleAttachment {
            identity_pool_id: Expr::Ref(pool.logical_id.clone()),
            roles,
            role_mappings,
        };
        Ok(cfn::Resource::role_attachment(properties))
    }

    /// A principal-tag mapping; its tag names are map keys, written as the
    /// checker let them through (literal, never a function name: E0217).
    fn principal_tag(
        &self,
        pool: &Pool,
        tags: &PrincipalTagDef,
    ) -> Result<cfn::PrincipalTag, DuplicateKey> {
        Ok(cfn::PrincipalTag {
            identity_pool_id: Expr::Ref(pool.logical_id.clone()),
            identity_provider_name: self.provider_name(&tags.provider),
            principal_tags: KeyMap::from_entries(
                "PrincipalTags",
                tags.tags
                    .iter()
                    .map(|(tag, claim)| (self.literal(tag), self.value(claim))),
            )?,
            use_defaults: tags.use_defaults,
        })
    }

    fn provider_arn(&self, arn: &ProviderArn) -> Expr {
        match arn {
            ProviderArn::Arn(value) => self.value(value),
            ProviderArn::Resource(id) => Expr::Ref(id.clone()),
        }
    }

    fn provider_name(&self, name: &IdentityProviderName) -> Expr {
        match name {
            IdentityProviderName::UserPool { user_pool, client } => {
                let provider_name = Expr::GetAtt(user_pool.clone(), "ProviderName".into());
                match client {
                    None => provider_name,
                    Some(client) => Expr::Join(vec![
                        provider_name,
                        Expr::string(":"),
                        Expr::Ref(client.clone()),
                    ]),
                }
            }
            IdentityProviderName::Literal(value) => self.value(value),
            IdentityProviderName::OidcHostOf(id) => Expr::SelectSplit {
                index: 1,
                separator: "oidc-provider/".into(),
                value: Box::new(Expr::Ref(id.clone())),
            },
            IdentityProviderName::SamlArnOf(id) => Expr::Ref(id.clone()),
        }
    }

    fn role_mapping(&self, mapping: &RoleMappingDef) -> cfn::RoleMapping {
        let rules_configuration = mapping.rules.as_ref().map(|rules| cfn::RulesConfiguration {
            rules: rules
                .iter()
                .map(|rule| cfn::MappingRule {
                    claim: self.value(&rule.claim),
                    match_type: rule.op.to_iam(),
                    value: self.value(&rule.value),
                    role_arn: Expr::GetAtt(rule.role.clone(), "Arn".into()),
                })
                .collect(),
        });
        cfn::RoleMapping {
            mapping_type: if mapping.rules.is_some() {
                "Rules"
            } else {
                "Token"
            },
            ambiguous_role_resolution: match mapping.otherwise {
                Otherwise::Authenticated => "AuthenticatedRole",
                Otherwise::Deny => "Deny",
            },
            identity_provider: self.provider_name(&mapping.provider),
            rules_configuration,
        }
    }

    /// A map key: its text. The checker lets only literal text through
    /// (E0217, E0218), so this joins nothing and hides nothing.
    fn literal(&self, value: &Value) -> String {
        let mut out = String::new();
        for piece in &value.pieces {
            match piece {
                Piece::Literal(text) | Piece::ServerlessVar(text) => out.push_str(text),
                Piece::PolicyVar(key) => out.push_str(key),
                // The checker refuses references in map keys (E0117).
                Piece::Ref { .. } | Piece::Import(_) => out.push_str(&piece.written()),
            }
        }
        out
    }

    /// A role, then the `AWS::IAM::Policy` resources of its
    /// `policy "Name" as LogicalId` blocks.
    fn role_resources(
        &self,
        role: &Role,
        resources: &mut KeyMap<cfn::Resource>,
    ) -> Result<(), DuplicateKey> {
        resources.insert(role.logical_id.clone(), self.role(role)?)?;
        for policy in &role.policies {
            let Some(id) = &policy.logical_id else {
                continue;
            };
            let roles = self
                .policy_roles
                .get(id)
                .map(Vec::as_slice)
                .unwrap_or_default();
            // Written once, by the first role that writes it.
            if roles.first().is_none_or(|first| *first == role.logical_id) {
                let roles = match roles {
                    [] => vec![Expr::Ref(role.logical_id.clone())],
                    roles => roles.iter().map(|r| Expr::Ref(r.clone())).collect(),
                };
                let properties = cfn::Policy {
                    policy_name: self.value(&policy.name),
                    policy_document: self.document(&policy.statements)?,
                    roles,
                };
                resources.insert(id.clone(), cfn::Resource::policy(properties))?;
            }
        }
        Ok(())
    }

    fn role(&self, role: &Role) -> Result<cfn::Resource, DuplicateKey> {
        let mut policies = Vec::new();
        if !role.statements.is_empty() {
            policies.push(cfn::InlinePolicy {
                policy_name: self.value(&role.policy_name),
                policy_document: self.document(&role.statements)?,
            });
        }
        for policy in role.policies.iter().filter(|p| p.logical_id.is_none()) {
            policies.push(cfn::InlinePolicy {
                policy_name: self.value(&policy.name),
                policy_document: self.document(&policy.statements)?,
            });
        }
        let mut managed_policy_arns: Vec<Expr> = role
            .managed_policies
            .iter()
            .map(|v| self.value(v))
            .collect();
        for (place, id) in &role.attached_policies {
            let place = (*place).min(managed_policy_arns.len());
            managed_policy_arns.insert(place, Expr::Ref(id.clone()));
        }
        let properties = &role.properties;
        let mut resource = cfn::Resource::role(cfn::Role {
            role_name: properties.role_name.as_ref().map(|v| self.value(v)),
            description: properties.description.as_ref().map(|v| self.value(v)),
            max_session_duration: properties.max_session_duration,
            path: match &properties.path {
                Some(path) => self.value(path),
                None => Expr::string("/"),
            },
            assume_role_policy_document: trust_policy(role),
            policies,
            managed_policy_arns,
            permissions_boundary: role.boundary.as_ref().map(|v| self.value(v)),
            tags: properties
                .tags
                .iter()
                .map(|(key, value)| cfn::Tag {
                    key: self.value(key),
                    value: self.value(value),
                })
                .collect(),
        });
        resource.attributes_mut().depends_on = properties.depends_on.clone();
        resource
            .attributes_mut()
            .condition
            .clone_from(&role.condition);
        Ok(resource)
    }

    /// A permission policy document of these statements.
    fn document(&self, statements: &[Statement]) -> Result<cfn::PolicyDocument, DuplicateKey> {
        Ok(cfn::PolicyDocument {
            version: cfn::POLICY_VERSION,
            statement: statements
                .iter()
                .map(|s| self.statement(s))
                .collect::<Result<_, _>>()?,
        })
    }

    /// A `managed_policy Name { ... }`.
    fn managed_policy(&self, policy: &ManagedPolicy) -> Result<cfn::Resource, DuplicateKey> {
        let mut resource = cfn::Resource::managed_policy(cfn::ManagedPolicy {
            managed_policy_name: policy.name.as_ref().map(|v| self.value(v)),
            description: policy.description.as_ref().map(|v| self.value(v)),
            policy_document: self.document(&policy.statements)?,
        });
        resource
            .attributes_mut()
            .condition
            .clone_from(&policy.condition);
        Ok(resource)
    }

    fn statement(&self, statement: &Statement) -> Result<cfn::PolicyStatement, DuplicateKey> {
        Ok(cfn::PolicyStatement {
            effect: match statement.effect {
                Effect::Allow => cfn::Effect::Allow,
                Effect::Deny => cfn::Effect::Deny,
            },
            principal: None,
            action: statement.actions.clone(),
            resource: Some(
                statement
                    .resources
                    .iter()
                    .map(|r| self.resource(r))
                    .collect(),
            ),
            condition: cfn::ConditionBlock::new(
                statement
                    .conditions
                    .iter()
                    .map(|condition| cfn::Condition {
                        operator: condition.operator.to_iam(),
                        key: condition.key.clone(),
                        values: condition.values.iter().map(|v| self.value(v)).collect(),
                    })
                    .collect(),
            )?,
            if_condition: statement.if_condition.clone(),
        })
    }

    fn resource(&self, resource: &ResourceDef) -> Expr {
        match resource {
            ResourceDef::Any => Expr::string("*"),
            ResourceDef::Arn(value) => self.value(value),
            ResourceDef::Of {
                logical_id,
                kind,
                path,
            } => {
                let info = kind_info(*kind);
                let mut join = JoinBuilder::default();
                match info.arn {
                    ArnSource::GetAttArn => {
                        join.expr(Expr::GetAtt(logical_id.clone(), "Arn".into()))
                    }
                    ArnSource::Ref | ArnSource::None => join.expr(Expr::Ref(logical_id.clone())),
                    ArnSource::Built { service, prefix } => {
                        join.literal("arn:");
                        join.expr(Expr::Ref("AWS::Partition".into()));
                        join.literal(&format!(":{service}:"));
                        join.expr(Expr::Ref("AWS::Region".into()));
                        join.literal(":");
                        join.expr(Expr::Ref("AWS::AccountId".into()));
                        join.literal(&format!(":{prefix}"));
                        join.expr(Expr::Ref(logical_id.clone()));
                    }
                }
                if let Some(path) = path {
                    join.literal(info.path_separator);
                    self.pieces(&mut join, path);
                }
                join.finish()
            }
        }
    }

    fn output(&self, output: &OutputDef) -> cfn::Output {
        let value = match &output.attribute {
            Some(attribute) => Expr::GetAtt(output.target.clone(), attribute.clone()),
            None => Expr::Ref(output.target.clone()),
        };
        cfn::Output {
            description: output.description.as_ref().map(|v| self.value(v)),
            condition: output.condition.clone(),
            value,
            export: output.export.as_ref().map(|name| cfn::Export {
                name: self.value(name),
            }),
        }
    }

    /// A string value, joined with intrinsics when it holds policy
    /// variables that must be hidden from Serverless.
    fn value(&self, value: &Value) -> Expr {
        let mut join = JoinBuilder::default();
        self.pieces(&mut join, value);
        join.finish()
    }

    fn pieces(&self, join: &mut JoinBuilder, value: &Value) {
        for piece in &value.pieces {
            match piece {
                Piece::Literal(text) | Piece::ServerlessVar(text) => join.literal(text),
                Piece::Ref {
                    target,
                    attribute: None,
                } => join.expr(Expr::Ref(target.clone())),
                Piece::Ref {
                    target,
                    attribute: Some(attribute),
                } => join.expr(Expr::GetAtt(target.clone(), attribute.clone())),
                Piece::Import(name) => join.expr(Expr::ImportValue(Box::new(self.value(name)))),
                Piece::PolicyVar(key) => match self.target {
                    Target::CloudFormation => join.literal(&format!("${{{key}}}")),
                    Target::Serverless => {
                        join.split();
                        join.expr(Expr::string("$"));
                        join.literal(&format!("{{{key}}}"));
                    }
                },
            }
        }
    }
}

/// A pool's `DeletionPolicy`, `UpdateReplacePolicy`, `DependsOn` and
/// `Metadata`.
fn pool_attributes(from: &PoolAttributes, to: &mut cfn::Attributes) {
    let retention = |policy: RetentionPolicy| match policy {
        RetentionPolicy::Retain => cfn::RetentionPolicy::Retain,
        RetentionPolicy::Delete => cfn::RetentionPolicy::Delete,
        // The checker refuses it (E0224): CloudFormation has no such value.
        RetentionPolicy::RetainExceptOnCreate => cfn::RetentionPolicy::RetainExceptOnCreate,
    };
    to.deletion_policy = from.deletion_policy.map(retention);
    to.update_replace_policy = from.update_replace_policy.map(retention);
    to.depends_on = from.depends_on.clone();
    to.metadata = from.metadata.clone();
}

/// `AllowUnauthenticatedIdentities`: whether the pool has a guest role,
/// unless the stack decides (`guests Param`, `guests if Cond`).
fn guests(pool: &Pool) -> Expr {
    match &pool.guests {
        None => Expr::Bool(pool.allows_guests()),
        Some(GuestsDef::Fixed(value)) => Expr::Bool(*value),
        Some(GuestsDef::Parameter(parameter)) => Expr::Ref(parameter.clone()),
        Some(GuestsDef::Condition(condition)) => Expr::If(
            condition.clone(),
            Box::new(Expr::Bool(true)),
            Box::new(Expr::Bool(false)),
        ),
    }
}

/// Collects the parts of an `Fn::Join`, merging adjacent literals unless a
/// split is asked for.
#[derive(Default)]
struct JoinBuilder {
    parts: Vec<Expr>,
    text: String,
}

impl JoinBuilder {
    fn literal(&mut self, text: &str) {
        self.text.push_str(text);
    }

    /// Ends the current literal part, so the next text starts a new one.
    fn split(&mut self) {
        if !self.text.is_empty() {
            self.parts
                .push(Expr::String(std::mem::take(&mut self.text)));
        }
    }

    fn expr(&mut self, expr: Expr) {
        self.split();
        self.parts.push(expr);
    }

    fn finish(mut self) -> Expr {
        self.split();
        match self.parts.len() {
            0 => Expr::string(""),
            1 => self.parts.pop().unwrap_or_else(|| Expr::string("")),
            _ => Expr::Join(self.parts),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use crate::check::ir::ConditionDef;
    use crate::vocabulary::{ConditionOperator, Operator};

    const PROGRAM: &str = r#"
use bucket AttachmentsBucket
identity_pool NotesPool {
  authenticated role {
    allow s3:ListBucket on AttachmentsBucket when s3:prefix like "private/$<sub>/*"
  }
}
"#;

    fn checked() -> Checked {
        let parsed = crate::syntax::parse(PROGRAM, 0).unwrap();
        crate::check::check(&parsed, Target::Serverless, &[])
            .checked
            .unwrap()
    }

    #[test]
    fn a_checked_program_lowers() {
        assert!(lower(&checked(), Target::Serverless).is_ok());
    }

    /// Should the checker ever let two conditions with one operator and key
    /// through (E0409), lowering refuses rather than writing a duplicate key
    /// that readers would resolve by dropping the per-user scope.
    #[test]
    fn a_duplicate_condition_that_slipped_past_the_checker_is_an_error() {
        let mut checked = checked();
        let statement = &mut checked.pools[0].roles[0].statements[0];
        statement.conditions.push(ConditionDef {
            operator: ConditionOperator::new(Operator::StringLike),
            key: "s3:prefix".into(),
            values: vec![Value::literal("*")],
        });
        let err = lower(&checked, Target::Serverless).unwrap_err();
        assert_eq!(err.key, "s3:prefix");
    }

    #[test]
    fn a_duplicate_principal_tag_that_slipped_past_the_checker_is_an_error() {
        let mut checked = checked();
        let tag = (Value::literal("team"), Value::literal("custom:team"));
        checked.pools[0]
            .principal_tags
            .push(crate::check::ir::PrincipalTagDef {
                logical_id: "NotesPoolUserPoolPrincipalTags".into(),
                provider: crate::check::ir::IdentityProviderName::Literal(Value::literal("x")),
                tags: vec![tag.clone(), tag],
                use_defaults: false,
            });
        let err = lower(&checked, Target::Serverless).unwrap_err();
        assert_eq!((err.key.as_str(), err.map), ("team", "PrincipalTags"));
    }
}
