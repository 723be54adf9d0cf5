//! Roles: their bodies, statements and text values, the top-level roles
//! pools share, and the principal tags their policies read.

use super::error::{CheckErrorKind, Declared};
use super::iam::Resolved;
use super::ir::{Piece, Pool, ResourceDef, Role, Statement, StatementOrigin, Value};
use super::policy_vars::{self, PolicyVar};
use super::{Checker, Target, Wanted};
use crate::syntax::ast::{self, RoleUsage, Span, Text, TextPart};
use std::collections::{BTreeSet, HashMap, HashSet};

/// A role's body, checked; who may assume it is decided by its pools.
pub(super) struct RoleBody {
    pub policy_name: Option<Value>,
    pub statements: Vec<Statement>,
    pub managed_policies: Vec<Value>,
    pub managed_policy_spans: Vec<Span>,
    pub boundary: Option<Value>,
    pub properties: super::ir::RoleProperties,
    pub attached_policies: Vec<(usize, String)>,
    pub policies: Vec<super::ir::NamedPolicy>,
}

/// A top-level role's name and body.
pub(super) struct SharedRole {
    name: String,
    span: Span,
    body: RoleBody,
    /// `role Name if Cond`.
    condition: Option<String>,
}

/// A role's logical ID and where it comes from: written, or `<Pool>AuthRole`
/// / `<Pool>UnauthRole` made up for the pool.
pub(super) fn inline_role_name(
    pool: &ast::IdentityPool,
    role: &ast::PoolRole,
) -> (String, Declared) {
    match &role.name {
        Some(name) => (name.node.clone(), Declared::Defined(name.span)),
        None => {
            let (suffix, what) = match role.usage.node {
                RoleUsage::Authenticated => ("AuthRole", super::Generated::AuthenticatedRole),
                RoleUsage::Unauthenticated => ("UnauthRole", super::Generated::UnauthenticatedRole),
            };
            let declared = Declared::Generated {
                pool: pool.name.span,
                what,
            };
            (format!("{}{suffix}", pool.name.node), declared)
        }
    }
}

/// The account and resource parts of an IAM ARN
/// (`arn:<partition>:iam::<account>:<resource>`).
pub(super) fn iam_arn_parts(text: &str) -> Option<(&str, &str)> {
    let rest = text.strip_prefix("arn:")?;
    let mut parts = rest.splitn(5, ':');
    let (Some(partition), Some("iam"), Some(""), Some(account), Some(resource)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return None;
    };
    partition.starts_with("aws").then_some((account, resource))
}

/// Whether an account part is a 12-digit account id.
pub(super) fn is_account_id(account: &str) -> bool {
    account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit())
}

/// IAM ARNs of managed policies: AWS's own or an account's.
fn is_policy_arn(text: &str) -> bool {
    iam_arn_parts(text).is_some_and(|(account, resource)| {
        (account == "aws" || is_account_id(account))
            && resource.len() > "policy/".len()
            && resource.starts_with("policy/")
    })
}

impl Checker {
    /// Checks the bodies of every top-level `role`.
    pub(super) fn shared_role_bodies(&mut self, program: &ast::Program) -> Vec<SharedRole> {
        let mut roles = Vec::new();
        for item in &program.items {
            if let ast::Item::Role(role) = item {
                // A role whose name clashed is reported once, at the clash.
                let declared_here = self
                    .shared
                    .get(&role.name.node)
                    .is_some_and(|uses| uses.name_span == role.name.span);
                let condition = self.if_condition(role.condition.as_ref());
                let body = self.role_body(&role.name.node, &role.body.node);
                if declared_here {
                    if let Some(uses) = self.shared.get_mut(&role.name.node) {
                        uses.condition.clone_from(&condition);
                    }
                    roles.push(SharedRole {
                        name: role.name.node.clone(),
                        span: role.name.span,
                        body,
                        condition,
                    });
                }
            }
        }
        roles
    }

    /// Checks a role's lines.
    pub(super) fn role_body(
        &mut self,
        role: &str,
        items: &[ast::Spanned<ast::RoleItem>],
    ) -> RoleBody {
        self.current_role = Some(role.to_string());
        let mut policy_name: Option<(Value, Span)> = None;
        let mut boundary: Option<(Value, Span)> = None;
        let mut managed_policies = Vec::new();
        let mut managed_policy_spans = Vec::new();
        let mut statements = Vec::new();
        let mut properties = super::attributes::RolePropertyLines::default();
        let mut attached_policies: Vec<(usize, String, Span)> = Vec::new();
        let mut policies: Vec<(super::ir::NamedPolicy, Span)> = Vec::new();
        for item in items {
            match &item.node {
                ast::RoleItem::PolicyName(text) => {
                    if let Some((_, first)) = &policy_name {
                        self.duplicate("`policy`", item.span, *first);
                    } else {
                        self.policy_name_rule(text);
                        self.policy_name_length(text);
                        policy_name = Some((self.value(text), item.span));
                    }
                }
                ast::RoleItem::ManagedPolicy(text) => {
                    self.policy_arn(text);
                    managed_policies.push(self.value(text));
                    let count = managed_policies.len() + attached_policies.len();
                    self.managed_policy_count(count, item.span);
                    managed_policy_spans.push(text.span);
                }
                ast::RoleItem::AttachedPolicy(name) => {
                    let place = managed_policies.len() + attached_policies.len();
                    if let Some(id) = self.attached_policy(name, &attached_policies) {
                        attached_policies.push((place, id, name.span));
                        self.managed_policy_count(place + 1, item.span);
                    }
                }
                ast::RoleItem::Policy(block) => {
                    let default = policy_name.as_ref().map(|(value, span)| (value, *span));
                    if let Some(policy) = self.policy_block(block, item.span, &policies, default) {
                        policies.push(policy);
                    }
                }
                ast::RoleItem::Boundary(text) => {
                    if let Some((_, first)) = &boundary {
                        self.duplicate("`boundary`", item.span, *first);
                    } else {
                        self.policy_arn(text);
                        boundary = Some((self.value(text), item.span));
                    }
                }
                ast::RoleItem::Statement(statement) => {
                    statements.push(self.statement(statement, item.span));
                }
                _ => self.role_property_line(item, &mut properties),
            }
        }
        self.current_role = None;
        RoleBody {
            policy_name: policy_name.map(|(value, _)| value),
            statements,
            managed_policies,
            managed_policy_spans,
            boundary: boundary.map(|(value, _)| value),
            properties: properties.into_properties(),
            attached_policies: attached_policies
                .into_iter()
                .map(|(place, id, _)| (place, id))
                .collect(),
            policies: policies.into_iter().map(|(policy, _)| policy).collect(),
        }
    }

    fn policy_arn(&mut self, text: &Text) {
        if let Some(literal) = literal_text(text)
            && !is_policy_arn(&literal)
        {
            let kind = CheckErrorKind::MalformedArn {
                text: literal,
                what: "an IAM managed policy ARN",
                example: "arn:aws:iam::aws:policy/ReadOnlyAccess",
            };
            self.problem(text.span, kind);
        }
    }

    pub(super) fn statement(&mut self, statement: &ast::Statement, span: Span) -> Statement {
        let mut resolved = Vec::new();
        let mut all_resolved = true;
        for resource in &statement.resources {
            let def = match &resource.node {
                ast::Resource::Any => ResourceDef::Any,
                ast::Resource::Arn(text) => {
                    let value = self.value(text);
                    if let Some(Piece::Literal(first)) = value.pieces.first()
                        && !first.starts_with("arn:")
                    {
                        let kind = CheckErrorKind::NotAnArn {
                            text: text.as_written(),
                        };
                        self.problem(text.span, kind);
                        // Reported once: not also judged against the actions.
                        all_resolved = false;
                        continue;
                    }
                    ResourceDef::Arn(value)
                }
                ast::Resource::Named { name, path } => {
                    let path = path.as_ref().map(|path| self.value(path));
                    match self.resolve(name, Wanted::Arn) {
                        Some((logical_id, Some(kind))) => ResourceDef::Of {
                            logical_id,
                            kind,
                            path,
                        },
                        _ => {
                            all_resolved = false;
                            continue;
                        }
                    }
                }
            };
            resolved.push(Resolved::new(def, resource.span));
        }
        let (actions, conditions, action_origins, condition_spans) =
            self.permissions(statement, &resolved, all_resolved);
        // `s3:prefix like "private/$<sub>/*"` lists the caller's own folder
        // (the convention that S3 clients follow); elsewhere the value is
        // compared with data the app stored, where the two subs get confused.
        let sub_in_condition = statement
            .conditions
            .iter()
            .filter(|condition| !condition.node.key.node.to_ascii_lowercase().starts_with("s3:"))
            .flat_map(|condition| &condition.node.values)
            .flat_map(|value| &value.parts)
            .find(|part| {
                matches!(&part.node, TextPart::PolicyVar(key)
                    if matches!(policy_vars::resolve(key), Some(PolicyVar::Key(key)) if key == policy_vars::SUB))
            })
            .map(|part| part.span);
        let origin = StatementOrigin {
            span,
            actions: action_origins,
            resources: resolved.iter().map(|r| r.span).collect(),
            conditions: condition_spans,
            sub_in_condition,
        };
        Statement {
            effect: statement.effect.node,
            actions,
            resources: resolved.into_iter().map(|r| r.def).collect(),
            conditions,
            origin,
            if_condition: self.if_condition(statement.if_condition.as_ref()),
        }
    }

    /// Resolves a text's variables, reporting unknown policy variables and
    /// Serverless variables the target can't carry.
    pub(super) fn value(&mut self, text: &Text) -> Value {
        let mut pieces = Vec::new();
        for part in &text.parts {
            match &part.node {
                TextPart::Literal(literal) => pieces.push(Piece::Literal(literal.clone())),
                TextPart::ServerlessVar(var) => {
                    if self.target == Target::CloudFormation {
                        let kind =
                            CheckErrorKind::ServerlessVarInCloudFormation { var: var.clone() };
                        self.problem(part.span, kind);
                    }
                    pieces.push(Piece::ServerlessVar(var.clone()));
                }
                TextPart::Reference(reference) => {
                    pieces.extend(self.reference(reference, part.span));
                }
                TextPart::PolicyVar(key) => match policy_vars::resolve(key) {
                    Some(PolicyVar::Key(key)) => pieces.push(Piece::PolicyVar(key)),
                    Some(PolicyVar::PrincipalTag(tag)) => {
                        if let Some(role) = &self.current_role {
                            self.tag_uses.push((role.clone(), tag.clone(), part.span));
                        }
                        let key = format!("{}{tag}", policy_vars::PRINCIPAL_TAG_PREFIX);
                        pieces.push(Piece::PolicyVar(key));
                    }
                    None => {
                        let suggestion = self
                            .suggestions
                            .did_you_mean(key, policy_vars::candidates());
                        let kind = CheckErrorKind::UnknownPolicyVar {
                            key: key.clone(),
                            suggestion,
                        };
                        self.problem(part.span, kind);
                    }
                },
            }
        }
        Value { pieces }
    }

    /// Records that `pool` attaches or maps a top-level role. Reports names
    /// that are not top-level roles of this program.
    pub(super) fn use_shared_role(
        &mut self,
        pool: &str,
        name: &ast::Name,
        usage: RoleUsage,
    ) -> Option<String> {
        let (role, _) = self.resolve(name, Wanted::Kind(ast::Kind::Role))?;
        match self.shared.get_mut(&role) {
            Some(uses) => {
                uses.uses.push((pool.to_string(), usage, name.span));
                Some(role)
            }
            None => {
                let declared = self
                    .symbols
                    .get(&role)
                    .map(|symbol| symbol.declared.clone())
                    .unwrap_or(Declared::Defined(name.span));
                // A role of the stack (`use role`, `use "file"`): attached
                // by its ARN; its trust and permissions are the stack's.
                if matches!(declared, Declared::Use(_) | Declared::Imported { .. }) {
                    let kind = CheckErrorKind::RoleNotInProgram {
                        role: role.clone(),
                        pool: pool.to_string(),
                        usage,
                        by_arn: false,
                    };
                    self.problem(name.span, kind);
                    return Some(role);
                }
                let kind = CheckErrorKind::NotASharedRole {
                    name: role,
                    declared,
                };
                self.problem(name.span, kind);
                None
            }
        }
    }

    /// Decides each top-level role's trust: the pools that use it and how.
    /// Unused roles are warned about and left out.
    pub(super) fn finish_shared_roles(
        &mut self,
        roles: Vec<SharedRole>,
        pools: &[Pool],
    ) -> Vec<Role> {
        // The pools that map principal tags, looked up once: asking every
        // pool for every shared role was quadratic (BENCHMARKS.md).
        let tagging: HashSet<&str> = pools
            .iter()
            .filter(|pool| !pool.principal_tags.is_empty())
            .map(|pool| pool.logical_id.as_str())
            .collect();
        // Pools by logical ID, indexed once, when some pool is conditional
        // (no cost for programs without conditions).
        let conditional_pools: Vec<&Pool> = pools
            .iter()
            .filter(|pool| pool.condition.is_some())
            .collect();
        let by_id: HashMap<&str, &Pool> = if conditional_pools.is_empty() {
            HashMap::new()
        } else {
            pools
                .iter()
                .map(|pool| (pool.logical_id.as_str(), pool))
                .collect()
        };
        let mut finished = Vec::new();
        for role in roles {
            let uses = self
                .shared
                .get(&role.name)
                .map(|uses| uses.uses.clone())
                .unwrap_or_default();
            let Some((_, usage, first_span)) = uses.first().cloned() else {
                // A role offered as "did you mean" for a misspelled use was
                // meant to be used: the misspelling is the one mistake.
                if !self.spoken_for.contains(&role.name) {
                    let kind = CheckErrorKind::UnusedRole { name: role.name };
                    self.problem(role.span, kind);
                }
                continue;
            };
            if let Some((_, other, span)) = uses.iter().find(|(_, other, _)| *other != usage) {
                let kind = CheckErrorKind::RoleUsedBothWays {
                    role: role.name.clone(),
                    for_guests: *other == RoleUsage::Unauthenticated,
                    other: first_span,
                };
                self.problem(*span, kind);
            }
            let trusted_pools = trusted_pools(&uses);
            if role.condition.is_none() && !conditional_pools.is_empty() {
                self.trusting_conditional_pools(&role.name, &uses, &by_id);
            }
            let tag_session = trusted_pools
                .iter()
                .any(|pool| tagging.contains(pool.as_str()));
            finished.push(Role {
                policy_name: role
                    .body
                    .policy_name
                    .unwrap_or_else(|| Value::literal(format!("{}Policy", role.name))),
                logical_id: role.name,
                usage,
                trusted_pools,
                tag_session,
                statements: role.body.statements,
                attached_policies: role.body.attached_policies,
                policies: role.body.policies,
                managed_policies: role.body.managed_policies,
                managed_policy_spans: role.body.managed_policy_spans,
                boundary: role.body.boundary,
                properties: role.body.properties,
                condition: role.condition,
            });
        }
        finished
    }

    /// Checks every `$<aws:PrincipalTag/tag>` against the tags that the
    /// role's pools map.
    pub(super) fn principal_tag_uses(&mut self, pools: &mut [Pool], shared: &mut [Role]) {
        let uses = std::mem::take(&mut self.tag_uses);
        // Roles and pools by logical ID, indexed once: scanning every pool
        // for each use was quadratic (BENCHMARKS.md). The first role of a
        // name wins, as a scan would find it.
        let mut roles: HashMap<&str, &[String]> = HashMap::new();
        for role in pools
            .iter()
            .flat_map(|pool| pool.roles.iter())
            .chain(shared.iter())
        {
            roles
                .entry(role.logical_id.as_str())
                .or_insert(role.trusted_pools.as_slice());
        }
        let mut pools_by_id: HashMap<&str, Vec<&Pool>> = HashMap::new();
        for pool in pools.iter() {
            pools_by_id
                .entry(pool.logical_id.as_str())
                .or_default()
                .push(pool);
        }
        for (role_id, tag, span) in uses {
            // A role left out (unused, or in error) was reported already.
            let Some(trusted) = roles.get(role_id.as_str()) else {
                continue;
            };
            let mut mapped = BTreeSet::new();
            // The default mappings' tag keys are not documented (the API
            // reference says "username and clientID"): a tag no pool maps by
            // name is only noted when some pool uses them.
            let mut defaults = false;
            for pool in trusted
                .iter()
                .filter_map(|id| pools_by_id.get(id.as_str()))
                .flatten()
            {
                for principal_tags in &pool.principal_tags {
                    defaults |= principal_tags.use_defaults;
                    for (tag, _) in &principal_tags.tags {
                        if let Some(literal) = value_literal(tag) {
                            mapped.insert(literal);
                        }
                    }
                }
            }
            if !mapped.contains(&tag) && defaults {
                self.problem(span, CheckErrorKind::DefaultPrincipalTag { tag });
            } else if !mapped.contains(&tag) {
                let kind = CheckErrorKind::UnmappedPrincipalTag {
                    tag,
                    mapped: mapped.into_iter().collect(),
                };
                self.problem(span, kind);
            }
        }
    }
}

/// The pools a shared role trusts: each pool that uses it, once, in the
/// order of their first use.
fn trusted_pools(uses: &[(String, RoleUsage, Span)]) -> Vec<String> {
    let mut trusted: Vec<String> = Vec::new();
    for (pool, _, _) in uses {
        if !trusted.contains(pool) {
            trusted.push(pool.clone());
        }
    }
    trusted
}

/// The text when it is all literal (no variables).
pub(super) fn literal_text(text: &Text) -> Option<String> {
    let mut out = String::new();
    for part in &text.parts {
        match &part.node {
            TextPart::Literal(literal) => out.push_str(literal),
            _ => return None,
        }
    }
    Some(out)
}

/// The value when it is all literal.
pub(super) fn value_literal(value: &Value) -> Option<String> {
    let mut out = String::new();
    for piece in &value.pieces {
        match piece {
            Piece::Literal(literal) => out.push_str(literal),
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::is_policy_arn;

    #[test]
    fn policy_arns() {
        assert!(is_policy_arn("arn:aws:iam::aws:policy/ReadOnlyAccess"));
        assert!(is_policy_arn(
            "arn:aws-cn:iam::123456789012:policy/team/Boundary"
        ));
        assert!(!is_policy_arn("arn:aws:iam::aws:role/ReadOnlyAccess"));
        assert!(!is_policy_arn("arn:aws:iam::12345:policy/X"));
        assert!(!is_policy_arn("ReadOnlyAccess"));
    }
}
