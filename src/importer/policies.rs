//! A role's policies beyond its default inline one: the other entries of
//! its `Policies` (`policy "Name" { ... }`), the separate `AWS::IAM::Policy`
//! resources whose `Roles` name it (`policy "Name" as LogicalId { ... }`,
//! the same block in each role it names),
//! and the `AWS::IAM::ManagedPolicy` resources it attaches, through its
//! `ManagedPolicyArns` (`!Ref X`) or their `Roles`, which become top-level
//! `managed_policy` items.
//!
//! A managed policy is imported when the program can say all of it: its
//! name and description as text, its statements, and `Roles` that are roles
//! of the program. Otherwise it stays in the rest of the stack (W0701) and a
//! role that attaches it refers to it with `use managed_policy`.

use super::intrinsic::{self, Part};
use super::pool::seq;
use super::{TemplateReader, span_of, text};
use crate::stack_reader::tree::Node;
use crate::syntax::ast::{
    Item, Kind, ManagedPolicyDecl, ManagedPolicyItem, PolicyBlock, PoolItem, RoleItem, RoleUsage,
    Spanned, Statement,
};

/// The CloudFormation types read here.
const MANAGED_POLICY_TYPE: &str = "AWS::IAM::ManagedPolicy";
const POLICY_TYPE: &str = "AWS::IAM::Policy";

impl TemplateReader<'_> {
    /// An entry of a role's `Policies` after the first: a named block.
    pub(super) fn policy_block(&mut self, role: &str, policy: &Node) -> Option<Spanned<RoleItem>> {
        let mut name = None;
        let mut statements = Vec::new();
        for (key, value) in policy.as_map().unwrap_or_default() {
            match key.as_str() {
                Some("PolicyName") => name = self.string(value, "a policy name"),
                Some("PolicyDocument") => {
                    self.policy_document(role, key, value, &mut statements);
                }
                _ => self.inexpressible(key, "an inline policy"),
            }
        }
        let block = PolicyBlock {
            name: name?,
            logical_id: None,
            statements: only_statements(statements),
        };
        Some(Spanned::new(
            RoleItem::Policy(block),
            self.at(span_of(policy)),
        ))
    }

    /// An entry of `ManagedPolicyArns` that is `Ref` of a managed policy of
    /// the template: `managed_policy Name`. `None` for anything else.
    pub(super) fn attached_policy(&mut self, node: &Node) -> Option<Spanned<RoleItem>> {
        let parts = intrinsic::parts(node).ok()?;
        let [Part::Ref(id)] = parts.as_slice() else {
            return None;
        };
        let at = self.at(span_of(node));
        match self.resource(id) {
            Some(resource) if resource.cfn_type.as_deref() == Some(MANAGED_POLICY_TYPE) => {}
            // Defined elsewhere in the stack: a `use managed_policy`.
            None if !self.parameters.contains(id) && !id.starts_with("AWS::") => {
                self.refer(id, Kind::ManagedPolicy, at);
                let name = Spanned::new(id.clone(), at);
                return Some(Spanned::new(RoleItem::AttachedPolicy(name), at));
            }
            _ => return None,
        }
        if !self.attached_managed.contains(id) {
            self.attached_managed.push(id.clone());
        }
        Some(Spanned::new(
            RoleItem::AttachedPolicy(Spanned::new(id.clone(), at)),
            at,
        ))
    }

    /// After the roles are read: the managed policies the program defines
    /// (as items), and each imported role's separate `AWS::IAM::Policy`
    /// resources and managed policies attached through their `Roles`,
    /// added to the role's body in `roles` and `pools`.
    pub(super) fn role_policies(&mut self, roles: &mut [Item], pools: &mut [Item]) -> Vec<Item> {
        let candidates: Vec<(String, Option<String>)> = self
            .resources
            .iter()
            .map(|r| (r.id.clone(), r.cfn_type.clone()))
            .collect();
        let mut items = Vec::new();
        for (id, cfn_type) in candidates {
            match cfn_type.as_deref() {
                Some(POLICY_TYPE) => self.separate_policy(&id, roles, pools),
                Some(MANAGED_POLICY_TYPE) => {
                    let attached = self.attached_managed.contains(&id);
                    let named_roles = self.roles_named_by(&id);
                    let importable = self.managed_policy_fits(&id, &named_roles);
                    if importable && (attached || !named_roles.is_empty()) {
                        for role in &named_roles {
                            let line = RoleItem::AttachedPolicy(Spanned::new(
                                id.clone(),
                                self.key_span(&id),
                            ));
                            add_to_role(role, line, self.key_span(&id), roles, pools);
                        }
                        items.extend(self.managed_policy_item(&id).map(Item::ManagedPolicy));
                    } else if attached {
                        let at = self.key_span(&id);
                        self.refer(&id, Kind::ManagedPolicy, at);
                    }
                }
                _ => {}
            }
        }
        items
    }

    /// Where a resource's logical ID is written.
    fn key_span(&self, id: &str) -> crate::source::Span {
        let key = self.resource(id).map(|r| r.key);
        self.at(key.unwrap_or(crate::source::Span::new(self.file, 0, 0)))
    }

    /// The roles a resource's `Roles` names with `Ref`, when every entry is
    /// one; empty otherwise.
    fn roles_named_by(&self, id: &str) -> Vec<String> {
        let Some(roles) = self
            .resource(id)
            .and_then(|r| r.node.get("Properties"))
            .and_then(|p| p.get("Roles"))
        else {
            return Vec::new();
        };
        let mut named = Vec::new();
        for entry in seq(roles) {
            match intrinsic::parts(entry).ok().as_deref() {
                Some([Part::Ref(role)]) => named.push(role.clone()),
                _ => return Vec::new(),
            }
        }
        named
    }

    /// Whether the program can say all of managed policy `id`: only the
    /// properties it writes (and `Path: /`), and `Roles` of imported roles
    /// that do not attach it already.
    fn managed_policy_fits(&self, id: &str, named_roles: &[String]) -> bool {
        let Some(resource) = self.resource(id) else {
            return false;
        };
        let only_type_and_properties =
            resource
                .node
                .as_map()
                .unwrap_or_default()
                .iter()
                .all(|(k, v)| match k.as_str() {
                    Some("Type" | "Properties") => true,
                    // `managed_policy Name if Cond`
                    Some("Condition") => v.as_str().is_some_and(text::is_name),
                    _ => false,
                });
        let properties = resource.node.get("Properties");
        let keys_fit = properties
            .and_then(Node::as_map)
            .unwrap_or_default()
            .iter()
            .all(|(k, v)| match k.as_str() {
                // A name or description built with references reads back
                // as `$(...)`; any other function leaves the policy to the
                // stack.
                Some("ManagedPolicyName" | "Description") => {
                    intrinsic::parts(v).is_ok_and(|parts| {
                        parts.iter().all(|part| {
                            matches!(
                                part,
                                Part::Text(_) | Part::Ref(_) | Part::GetAtt(..) | Part::Pseudo(_)
                            )
                        })
                    })
                }
                Some("PolicyDocument") => true,
                Some("Path") => v.as_str() == Some("/"),
                Some("Roles") => !named_roles.is_empty(),
                _ => false,
            });
        let roles_fit = named_roles.iter().all(|r| self.imported.contains(r));
        only_type_and_properties && keys_fit && roles_fit
    }

    /// `managed_policy Id { ... }` from the template's resource.
    fn managed_policy_item(&mut self, id: &str) -> Option<ManagedPolicyDecl> {
        let node = self.resource(id)?.node;
        self.imported.insert(id.to_owned());
        let condition = self.resource_condition(node);
        let mut body = Vec::new();
        let mut statements = Vec::new();
        for (key, value) in node
            .get("Properties")
            .and_then(Node::as_map)
            .unwrap_or_default()
        {
            let at = self.at(span_of(value));
            match key.as_str() {
                Some("ManagedPolicyName") => {
                    if let Some(name) = self.string(value, "a managed policy name") {
                        body.push(Spanned::new(ManagedPolicyItem::Name(name), at));
                    }
                }
                Some("Description") => {
                    if let Some(text) = self.string(value, "a description") {
                        body.push(Spanned::new(ManagedPolicyItem::Description(text), at));
                    }
                }
                Some("PolicyDocument") => self.policy_document(id, key, value, &mut statements),
                _ => {}
            }
        }
        for statement in only_statements(statements) {
            let span = statement.span;
            body.push(Spanned::new(
                ManagedPolicyItem::Statement(statement.node),
                span,
            ));
        }
        let at = self.key_span(id);
        Some(ManagedPolicyDecl {
            name: Spanned::new(id.to_owned(), at),
            condition,
            body: Spanned::new(body, at),
        })
    }

    /// An `AWS::IAM::Policy` whose `Roles` are imported roles: the same
    /// `policy "Name" as Id { ... }` block in each of them. Any other stays
    /// in the rest of the stack (W0701).
    fn separate_policy(&mut self, id: &str, roles: &mut [Item], pools: &mut [Item]) {
        let named = self.roles_named_by(id);
        if named.is_empty() {
            return;
        }
        let Some(node) = self.resource(id).map(|r| r.node) else {
            return;
        };
        let fits = node
            .as_map()
            .unwrap_or_default()
            .iter()
            .all(|(k, _)| matches!(k.as_str(), Some("Type" | "Properties")))
            && node
                .get("Properties")
                .and_then(Node::as_map)
                .unwrap_or_default()
                .iter()
                .all(|(k, _)| {
                    matches!(k.as_str(), Some("PolicyName" | "PolicyDocument" | "Roles"))
                });
        if !fits || !named.iter().all(|role| self.imported.contains(role)) {
            return;
        }
        self.imported.insert(id.to_owned());
        let properties = node.get("Properties");
        let name = properties
            .and_then(|p| p.get("PolicyName"))
            .and_then(|n| self.string(n, "a policy name"));
        let mut statements = Vec::new();
        if let Some((key, document)) = properties.and_then(|p| p.entry("PolicyDocument")) {
            self.policy_document(id, key, document, &mut statements);
        }
        let at = self.key_span(id);
        let block = PolicyBlock {
            name: name.unwrap_or_else(|| text::string("", at)),
            logical_id: Some(Spanned::new(id.to_owned(), at)),
            statements: only_statements(statements),
        };
        for role in &named {
            add_to_role(role, RoleItem::Policy(block.clone()), at, roles, pools);
        }
    }
}

/// The statements of role lines that are all statements.
fn only_statements(lines: Vec<Spanned<RoleItem>>) -> Vec<Spanned<Statement>> {
    lines
        .into_iter()
        .filter_map(|line| match line.node {
            RoleItem::Statement(statement) => Some(Spanned::new(statement, line.span)),
            _ => None,
        })
        .collect()
}

/// Appends `line` to the body of role `id`, wherever the program defines it.
/// A `managed_policy` line goes before the statements, with the other
/// attachments (its place among them is what it is lowered at).
fn add_to_role(
    id: &str,
    line: RoleItem,
    at: crate::source::Span,
    roles: &mut [Item],
    pools: &mut [Item],
) {
    let add = |body: &mut Vec<Spanned<RoleItem>>| {
        let place = match line {
            RoleItem::AttachedPolicy(_) => body
                .iter()
                .position(|l| matches!(l.node, RoleItem::Statement(_) | RoleItem::Policy(_)))
                .unwrap_or(body.len()),
            _ => body.len(),
        };
        body.insert(place, Spanned::new(line, at));
    };
    for item in roles.iter_mut() {
        if let Item::Role(role) = item
            && role.name.node == id
        {
            add(&mut role.body.node);
            return;
        }
    }
    for item in pools.iter_mut() {
        let Item::IdentityPool(pool) = item else {
            continue;
        };
        let pool_name = pool.name.node.clone();
        for entry in &mut pool.body {
            if let PoolItem::Role(role) = &mut entry.node
                && role_id(&pool_name, role) == id
                && let Some(body) = &mut role.body
            {
                add(&mut body.node);
                return;
            }
        }
    }
}

/// The logical ID of a role written inside pool `pool`.
fn role_id(pool: &str, role: &crate::syntax::ast::PoolRole) -> String {
    match &role.name {
        Some(name) => name.node.clone(),
        None => match role.usage.node {
            RoleUsage::Authenticated => format!("{pool}AuthRole"),
            RoleUsage::Unauthenticated => format!("{pool}UnauthRole"),
        },
    }
}
