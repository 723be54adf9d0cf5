//! The [`Model`] of a stack's CloudFormation resources, read from the
//! YAML/JSON tree (a template, or a program's lowered output).
//!
//! Strings are read as the importer reads them (`Ref`, `Fn::GetAtt`,
//! `Fn::Join`, `Fn::Sub`, `Fn::ImportValue`, long or short form), every
//! deploy-time value becoming an opaque value named as the language writes
//! it (`$(Media.Arn)`); an ARN spelled out around a resource's name
//! (`arn:aws:s3:::${Media}`) is the resource's `Arn`, so both spellings are
//! one value. What cannot be read (another intrinsic) is named in the
//! role's [`RoleAccess::unread`], which makes answers about the role
//! unknown, never a guess.

use super::Tri;
use super::model::{
    Boundary, Mapping, Model, PoolAccess, Provider, ProviderKind, RoleAccess, RoleChoice, RoleRef,
    Rule, TagMapping,
};
use super::policy::{Actions, Condition, Effect, Origin, Policy, Resources, Statement};
use super::text::{Piece, Text};
use crate::importer::intrinsic::{self, Part};
use crate::stack_reader::tree::Node;
use std::collections::HashMap;

/// "AdministratorAccess", AWS Managed Policy Reference
/// (<https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AdministratorAccess.html>):
/// one statement allowing `*` on `*`. The only AWS managed policy whose
/// document idpc holds; any other makes answers unknown.
const ADMINISTRATOR_ACCESS: &str = "AdministratorAccess";

/// The model of `resources`: each resource's logical-ID key and body.
pub(crate) fn model(resources: &[(&Node, &Node)]) -> Model {
    let reader = Reader::new(resources);
    let mut model = Model::default();
    for (key, resource) in resources {
        let Some(id) = key.as_str() else { continue };
        if let Some(cfn_type) = type_of(resource) {
            model.resources.push((id.to_string(), cfn_type.to_string()));
        }
        match type_of(resource) {
            Some("AWS::Cognito::IdentityPool") => model.pools.push(reader.pool(id, key, resource)),
            Some("AWS::IAM::Role") => model.roles.push(reader.role(id, key, resource)),
            _ => {}
        }
    }
    model.whole_names = super::text::WholeNames::of(&model.resources);
    model
}

/// The resources, indexed once: a stack of thousands of pools and roles is
/// read in one pass over it, not one per pool or role.
struct Reader<'a> {
    /// Each resource's body by logical ID.
    by_id: HashMap<&'a str, &'a Node>,
    /// The role attachments and principal-tag mappings of each pool (by the
    /// logical ID their `IdentityPoolId` names), in file order.
    of_pool: HashMap<String, Vec<&'a Node>>,
    /// The `AWS::IAM::Policy` and `AWS::IAM::ManagedPolicy` resources that
    /// name each role in their `Roles`, in file order.
    naming_role: HashMap<String, Vec<(&'a Node, &'a Node)>>,
}

impl<'a> Reader<'a> {
    fn new(resources: &'a [(&'a Node, &'a Node)]) -> Reader<'a> {
        let mut reader = Reader {
            by_id: HashMap::new(),
            of_pool: HashMap::new(),
            naming_role: HashMap::new(),
        };
        for &(key, resource) in resources {
            if let Some(id) = key.as_str() {
                reader.by_id.entry(id).or_insert(resource);
            }
            match type_of(resource) {
                Some(
                    "AWS::Cognito::IdentityPoolRoleAttachment"
                    | "AWS::Cognito::IdentityPoolPrincipalTag",
                ) => {
                    if let Some(pool) = property(resource, "IdentityPoolId").and_then(named) {
                        reader.of_pool.entry(pool).or_default().push(resource);
                    }
                }
                Some("AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy") => {
                    let mut roles: Vec<String> = property(resource, "Roles")
                        .map(items)
                        .unwrap_or_default()
                        .into_iter()
                        .filter_map(named)
                        .collect();
                    roles.sort();
                    roles.dedup();
                    for role in roles {
                        reader
                            .naming_role
                            .entry(role)
                            .or_default()
                            .push((key, resource));
                    }
                }
                _ => {}
            }
        }
        reader
    }
}

fn type_of(resource: &Node) -> Option<&str> {
    resource.get("Type").and_then(Node::as_str)
}

fn property<'n>(resource: &'n Node, name: &str) -> Option<&'n Node> {
    resource.get("Properties")?.get(name)
}

fn condition_of(resource: &Node) -> Option<String> {
    resource
        .get("Condition")
        .and_then(Node::as_str)
        .map(str::to_string)
}

/// A string value as a policy string; `variables`: `${...}` in literal
/// text is a policy variable (policy version 2012-10-17).
pub(crate) fn text(node: &Node, variables: bool) -> Result<Text, String> {
    let parts = intrinsic::parts(node).map_err(|e| e.what)?;
    let mut out = Text::default();
    for part in intrinsic::canonical(&parts) {
        match part {
            Part::Text(s) if variables => out.extend(deploy_time(Text::parse(&s))),
            Part::Text(s) => out.pieces.push(Piece::Lit(s)),
            other => out.pieces.push(Piece::Opaque(opaque(&other))),
        }
    }
    Ok(out)
}

/// A `${...}` that names no IAM condition key is a Serverless variable
/// (`${self:custom.bucket}`): a value known at deploy time, not a policy
/// variable.
fn deploy_time(text: Text) -> Text {
    let catalog = crate::catalog::Catalog::get();
    let pieces = text
        .pieces
        .into_iter()
        .map(|piece| match piece {
            Piece::Var { key, default: None }
                if !key.starts_with("cognito-identity.amazonaws.com:")
                    && catalog.condition_key(&key).is_none() =>
            {
                Piece::Opaque(format!("${{{key}}}"))
            }
            other => other,
        })
        .collect();
    Text { pieces }
}

/// How the language writes a deploy-time value.
fn opaque(part: &Part) -> String {
    match part {
        Part::Text(s) => s.clone(),
        Part::Ref(name) | Part::Pseudo(name) => format!("$({name})"),
        Part::GetAtt(name, attribute) => format!("$({name}.{attribute})"),
        Part::Import(name) => {
            let name: String = name.iter().map(opaque).collect();
            format!("$(import {name})")
        }
    }
}

/// A plain string (no intrinsic), as written.
fn written(node: &Node) -> String {
    text(node, false).map_or_else(|what| format!("<{what}>"), |t| t.written())
}

/// The items of a list, or the one value (an intrinsic function such as
/// `!Join [...]` is one value, whatever its argument's shape).
fn items(node: &Node) -> Vec<&Node> {
    if intrinsic::function(node).is_some() {
        return vec![node];
    }
    match &node.value {
        crate::stack_reader::tree::Value::Seq(items) => items.iter().collect(),
        _ => vec![node],
    }
}

/// `Fn::If [Cond, Then, Else]`: the condition and both branches.
fn fn_if(node: &Node) -> Option<(String, &Node, &Node)> {
    let (name, arg) = intrinsic::function(node)?;
    if name != "Fn::If" {
        return None;
    }
    let crate::stack_reader::tree::Value::Seq(items) = &arg.value else {
        return None;
    };
    match items.as_slice() {
        [condition, then, otherwise] => Some((condition.as_str()?.to_string(), then, otherwise)),
        _ => None,
    }
}

/// Whether a node is `Ref: AWS::NoValue`.
fn no_value(node: &Node) -> bool {
    matches!(intrinsic::function(node), Some((name, arg)) if name == "Ref" && arg.as_str() == Some("AWS::NoValue"))
}

/// The logical ID a `Ref` or `Fn::GetAtt [Id, Arn]` names.
fn named(node: &Node) -> Option<String> {
    match intrinsic::parts(node).ok()?.as_slice() {
        [Part::Ref(id)] => Some(id.clone()),
        [Part::GetAtt(id, attribute)] if attribute == "Arn" => Some(id.clone()),
        _ => None,
    }
}

impl Reader<'_> {
    fn resource(&self, id: &str) -> Option<&Node> {
        self.by_id.get(id).copied()
    }

    fn type_of_id(&self, id: &str) -> Option<&str> {
        self.resource(id).and_then(type_of)
    }

    /// A role named by a `RoleARN` or `Roles` value.
    fn role_ref(&self, node: &Node) -> RoleRef {
        match named(node) {
            Some(id) if self.type_of_id(&id) == Some("AWS::IAM::Role") => RoleRef::Role(id),
            _ => RoleRef::Outside(written(node)),
        }
    }

    fn pool(&self, id: &str, key: &Node, resource: &Node) -> PoolAccess {
        let guests = match property(resource, "AllowUnauthenticatedIdentities") {
            Some(node) => match node.as_str() {
                Some("true") => Tri::Yes,
                Some("false") => Tri::No,
                _ => Tri::Unknown,
            },
            None => Tri::No,
        };
        let classic_flow =
            property(resource, "AllowClassicFlow").and_then(Node::as_str) == Some("true");
        let mut pool = PoolAccess {
            id: id.to_string(),
            guests,
            classic_flow,
            providers: providers(resource),
            authenticated: None,
            unauthenticated: None,
            mappings: Vec::new(),
            principal_tags: Vec::new(),
            condition: condition_of(resource),
            span: Some(key.span),
        };
        for &other in self.of_pool.get(id).into_iter().flatten() {
            match type_of(other) {
                Some("AWS::Cognito::IdentityPoolRoleAttachment") => {
                    self.attachment(other, &mut pool)
                }
                Some("AWS::Cognito::IdentityPoolPrincipalTag") => {
                    pool.principal_tags.push(TagMapping {
                        provider: property(other, "IdentityProviderName")
                            .map(written)
                            .unwrap_or_default(),
                        tags: property(other, "PrincipalTags")
                            .and_then(Node::as_map)
                            .unwrap_or_default()
                            .iter()
                            .filter_map(|(k, v)| Some((k.as_str()?.to_string(), written(v))))
                            .collect(),
                        use_defaults: property(other, "UseDefaults").and_then(Node::as_str)
                            != Some("false"),
                    })
                }
                _ => {}
            }
        }
        pool
    }

    fn attachment(&self, resource: &Node, pool: &mut PoolAccess) {
        if let Some(roles) = property(resource, "Roles").and_then(Node::as_map) {
            for (usage, value) in roles {
                let choice = match fn_if(value) {
                    Some((condition, then, otherwise)) if no_value(otherwise) => RoleChoice {
                        role: self.role_ref(then),
                        condition: Some(condition),
                    },
                    Some(_) => RoleChoice {
                        role: RoleRef::Outside(written(value)),
                        condition: None,
                    },
                    None => RoleChoice {
                        role: self.role_ref(value),
                        condition: None,
                    },
                };
                match usage.as_str() {
                    Some("authenticated") => pool.authenticated = Some(choice),
                    Some("unauthenticated") => pool.unauthenticated = Some(choice),
                    _ => {}
                }
            }
        }
        for (_, mapping) in property(resource, "RoleMappings")
            .and_then(Node::as_map)
            .unwrap_or_default()
        {
            let rules = (mapping.get("Type").and_then(Node::as_str) == Some("Rules")).then(|| {
                mapping
                    .get("RulesConfiguration")
                    .and_then(|c| c.get("Rules"))
                    .map(items)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|rule| Rule {
                        claim: rule.get("Claim").map(written).unwrap_or_default(),
                        match_type: rule.get("MatchType").map(written).unwrap_or_default(),
                        value: rule.get("Value").map(written).unwrap_or_default(),
                        role: rule
                            .get("RoleARN")
                            .map_or(RoleRef::Outside(String::new()), |r| self.role_ref(r)),
                    })
                    .collect()
            });
            pool.mappings.push(Mapping {
                provider: mapping
                    .get("IdentityProvider")
                    .map(written)
                    .unwrap_or_default(),
                rules,
                deny_otherwise: mapping
                    .get("AmbiguousRoleResolution")
                    .and_then(Node::as_str)
                    == Some("Deny"),
            });
        }
    }

    fn role(&self, id: &str, key: &Node, resource: &Node) -> RoleAccess {
        let mut role = RoleAccess {
            id: id.to_string(),
            trust: Policy::default(),
            policies: Vec::new(),
            unknown_policies: Vec::new(),
            boundary: None,
            condition: condition_of(resource),
            unread: Vec::new(),
            span: Some(key.span),
        };
        let holder = format!("role {id}");
        if let Some(document) = property(resource, "AssumeRolePolicyDocument") {
            role.trust = document_policy(
                &format!("trust policy of {id}"),
                &holder,
                document,
                &mut role.unread,
                true,
            );
        }
        for policy in property(resource, "Policies")
            .map(items)
            .unwrap_or_default()
        {
            let (policy, condition) = match fn_if(policy) {
                Some((condition, then, _)) => (then, Some(condition)),
                None => (policy, None),
            };
            let name = policy.get("PolicyName").map(written).unwrap_or_default();
            if let Some(document) = policy.get("PolicyDocument") {
                let mut read = document_policy(
                    &format!("policy {name} of {id}"),
                    &holder,
                    document,
                    &mut role.unread,
                    false,
                );
                for statement in &mut read.statements {
                    statement.stack_condition =
                        statement.stack_condition.take().or(condition.clone());
                }
                role.policies.push(read);
            }
        }
        for arn in property(resource, "ManagedPolicyArns")
            .map(items)
            .unwrap_or_default()
        {
            self.attach_managed(arn, &mut role);
        }
        self.attach_by_roles(id, &mut role);
        if let Some(boundary) = property(resource, "PermissionsBoundary") {
            role.boundary = Some(match self.known_policy(boundary, &mut role.unread) {
                Some(policy) => Boundary::Known(policy),
                None => Boundary::Unknown(written(boundary)),
            });
        }
        role
    }

    /// A managed policy named in `ManagedPolicyArns`.
    fn attach_managed(&self, arn: &Node, role: &mut RoleAccess) {
        match self.known_policy(arn, &mut role.unread) {
            Some(policy) => role.policies.push(policy),
            None => role.unknown_policies.push(written(arn)),
        }
    }

    /// The document of a managed policy: one of the stack, or an AWS
    /// managed policy idpc knows.
    fn known_policy(&self, arn: &Node, unread: &mut Vec<String>) -> Option<Policy> {
        if let Some(id) = named(arn)
            && let Some(resource) = self.resource(&id)
            && type_of(resource) == Some("AWS::IAM::ManagedPolicy")
        {
            let document = property(resource, "PolicyDocument")?;
            return Some(document_policy(
                &format!("managed policy {id}"),
                &format!("managed policy {id}"),
                document,
                unread,
                false,
            ));
        }
        let arn_text = text(arn, false).ok()?.written();
        let name = arn_text.rsplit_once(":iam::aws:policy/").map(|(_, n)| n)?;
        (name == ADMINISTRATOR_ACCESS).then(|| Policy {
            name: ADMINISTRATOR_ACCESS.to_string(),
            statements: vec![Statement {
                effect: Effect::Allow,
                actions: Actions::Only(vec!["*".into()]),
                resources: Resources::Only(vec![Text::literal("*")]),
                conditions: Vec::new(),
                stack_condition: None,
                origin: Origin {
                    span: Some(arn.span),
                    holder: format!("AWS managed policy {ADMINISTRATOR_ACCESS}"),
                },
            }],
        })
    }

    /// The `AWS::IAM::Policy` and `AWS::IAM::ManagedPolicy` resources that
    /// name the role in their `Roles`.
    fn attach_by_roles(&self, id: &str, role: &mut RoleAccess) {
        for &(key, resource) in self.naming_role.get(id).into_iter().flatten() {
            let kind = type_of(resource);
            let Some(document) = property(resource, "PolicyDocument") else {
                continue;
            };
            let other = key.as_str().unwrap_or_default();
            let holder = if kind == Some("AWS::IAM::Policy") {
                format!("policy {other}")
            } else {
                format!("managed policy {other}")
            };
            let mut policy = document_policy(&holder, &holder, document, &mut role.unread, false);
            if let Some(condition) = condition_of(resource) {
                for statement in &mut policy.statements {
                    statement.stack_condition.get_or_insert(condition.clone());
                }
            }
            role.policies.push(policy);
        }
    }
}

/// The identity providers of a pool, as role mappings name them.
fn providers(resource: &Node) -> Vec<Provider> {
    let mut out = Vec::new();
    for provider in property(resource, "CognitoIdentityProviders")
        .map(items)
        .unwrap_or_default()
    {
        let name = provider
            .get("ProviderName")
            .map(written)
            .unwrap_or_default();
        let client = provider.get("ClientId").map(written).unwrap_or_default();
        let mut aliases = vec![name.clone()];
        aliases.extend(provider.get("ProviderName").and_then(named_any));
        aliases.extend(provider.get("ClientId").and_then(named_any));
        out.push(Provider {
            kind: ProviderKind::UserPool,
            name: format!("{name}:{client}"),
            aliases,
        });
    }
    for (domain, _) in property(resource, "SupportedLoginProviders")
        .and_then(Node::as_map)
        .unwrap_or_default()
    {
        if let Some(domain) = domain.as_str() {
            out.push(Provider {
                kind: ProviderKind::Login,
                name: domain.to_string(),
                aliases: Vec::new(),
            });
        }
    }
    for (property_name, kind) in [
        ("OpenIdConnectProviderARNs", ProviderKind::Oidc),
        ("SamlProviderARNs", ProviderKind::Saml),
    ] {
        for arn in property(resource, property_name)
            .map(items)
            .unwrap_or_default()
        {
            out.push(Provider {
                kind,
                name: written(arn),
                aliases: named_any(arn).into_iter().collect(),
            });
        }
    }
    if let Some(name) = property(resource, "DeveloperProviderName") {
        out.push(Provider {
            kind: ProviderKind::Developer,
            name: written(name),
            aliases: Vec::new(),
        });
    }
    out
}

/// The logical ID a `Ref` or any `Fn::GetAtt` names.
fn named_any(node: &Node) -> Option<String> {
    match intrinsic::parts(node).ok()?.as_slice() {
        [Part::Ref(id)] | [Part::GetAtt(id, _)] => Some(id.clone()),
        _ => None,
    }
}

/// A policy document. `trust`: keep only the statements for Cognito
/// identities (`Principal: {Federated: cognito-identity.amazonaws.com}`).
fn document_policy(
    name: &str,
    holder: &str,
    document: &Node,
    unread: &mut Vec<String>,
    trust: bool,
) -> Policy {
    let variables = document.get("Version").and_then(Node::as_str) == Some("2012-10-17");
    let mut statements = Vec::new();
    for node in document.get("Statement").map(items).unwrap_or_default() {
        let (node, condition) = match fn_if(node) {
            Some((condition, then, _)) => (then, Some(condition)),
            None => (node, None),
        };
        if no_value(node) {
            continue;
        }
        if trust && !for_cognito(node) {
            continue;
        }
        match statement(node, variables, holder, trust) {
            Ok(mut statement) => {
                statement.stack_condition = condition;
                statements.push(statement);
            }
            Err(what) => unread.push(format!("a statement of {name}: {what}")),
        }
    }
    Policy {
        name: name.to_string(),
        statements,
    }
}

/// Whether a trust statement's principal includes Cognito identities.
fn for_cognito(statement: &Node) -> bool {
    let Some(principal) = statement.get("Principal") else {
        return false;
    };
    if principal.as_str() == Some("*") {
        return true;
    }
    principal
        .get("Federated")
        .map(items)
        .unwrap_or_default()
        .into_iter()
        .any(|p| matches!(p.as_str(), Some("cognito-identity.amazonaws.com" | "*")))
}

fn statement(node: &Node, variables: bool, holder: &str, trust: bool) -> Result<Statement, String> {
    let effect = match node.get("Effect").and_then(Node::as_str) {
        Some("Allow") => Effect::Allow,
        Some("Deny") => Effect::Deny,
        _ => return Err("an `Effect` that is not `Allow` or `Deny`".into()),
    };
    let strings = |node: &Node| -> Result<Vec<String>, String> {
        items(node)
            .into_iter()
            .map(|n| {
                n.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| "an action that is not text".to_string())
            })
            .collect()
    };
    let texts = |node: &Node| -> Result<Vec<Text>, String> {
        items(node)
            .into_iter()
            .map(|n| text(n, variables))
            .collect()
    };
    let actions = match (node.get("Action"), node.get("NotAction")) {
        (Some(a), None) => Actions::Only(strings(a)?),
        (None, Some(a)) => Actions::AllBut(strings(a)?),
        _ => return Err("no `Action`".into()),
    };
    let resources = match (node.get("Resource"), node.get("NotResource")) {
        (Some(r), None) => Resources::Only(texts(r)?),
        (None, Some(r)) => Resources::AllBut(texts(r)?),
        // A trust policy names no resource: the role itself.
        (None, None) if trust => Resources::Only(vec![Text::literal("*")]),
        _ => return Err("no `Resource`".into()),
    };
    let mut conditions = Vec::new();
    for (operator, keys) in node
        .get("Condition")
        .and_then(Node::as_map)
        .unwrap_or_default()
    {
        let operator = operator
            .as_str()
            .ok_or("a condition operator that is not text")?;
        for (key, values) in keys.as_map().ok_or("a condition that is not a mapping")? {
            conditions.push(Condition {
                operator: operator.to_string(),
                key: key
                    .as_str()
                    .ok_or("a condition key that is not text")?
                    .to_string(),
                values: texts(values)?,
            });
        }
    }
    Ok(Statement {
        effect,
        actions,
        resources,
        conditions,
        stack_condition: None,
        origin: Origin {
            span: Some(node.span),
            holder: holder.to_string(),
        },
    })
}
