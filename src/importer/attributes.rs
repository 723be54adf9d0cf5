//! Resource attributes and role properties read back: a pool's
//! `DeletionPolicy`, `UpdateReplacePolicy`, `DependsOn` and `Metadata`, a
//! role's `DependsOn`, `RoleName`, `Description`, `MaxSessionDuration`,
//! `Path` and `Tags`, and a role attachment's `DependsOn` (left out when it
//! names only its own pool, which `IdentityPoolId: !Ref Pool` already
//! implies: W0720).

use super::pool::seq;
use super::text;
use super::{ATTACHMENT_TYPE, POOL_TYPE, PRINCIPAL_TAG_TYPE, ROLE_TYPE, TemplateReader, span_of};
use crate::diag::Code;
use crate::stack_reader::tree::{Node, Value};
use crate::syntax::ast::{Name, PoolItem, RetentionPolicy, RoleItem, Spanned};

/// The resource attributes a pool may have beside `Type` and `Properties`.
pub(super) const POOL_ATTRIBUTES: [&str; 4] = [
    "DeletionPolicy",
    "UpdateReplacePolicy",
    "DependsOn",
    "Metadata",
];

impl TemplateReader<'_> {
    /// Checks that a resource has nothing but `Type`, `Properties` and the
    /// attributes in `allowed`.
    pub(super) fn resource_keys_allowing(&mut self, node: &Node, what: &str, allowed: &[&str]) {
        for (key, _) in node.as_map().unwrap_or_default() {
            let known = key
                .as_str()
                // `Condition` is read where the program can say it (`if
                // Cond`); anywhere it cannot, `verify` says the program differs.
                .is_some_and(|k| {
                    matches!(k, "Type" | "Properties" | "Condition") || allowed.contains(&k)
                });
            if !known {
                self.inexpressible(key, what);
            }
        }
    }

    /// A pool's `deletion_policy`, `update_replace_policy`, `depends_on`
    /// and `metadata` lines.
    pub(super) fn pool_attributes(&mut self, node: &Node) -> Vec<Spanned<PoolItem>> {
        let mut items = Vec::new();
        for (key, value) in node.as_map().unwrap_or_default() {
            let at = self.at(span_of(value));
            let item = match key.as_str() {
                Some(attribute @ ("DeletionPolicy" | "UpdateReplacePolicy")) => {
                    let Some(policy) = self.retention(attribute, value) else {
                        continue;
                    };
                    let policy = Spanned::new(policy, at);
                    if attribute == "DeletionPolicy" {
                        PoolItem::DeletionPolicy(policy)
                    } else {
                        PoolItem::UpdateReplacePolicy(policy)
                    }
                }
                Some("DependsOn") => match self.depends_on(value) {
                    Some(names) => PoolItem::DependsOn(names),
                    None => continue,
                },
                Some("Metadata") => match self.metadata(value) {
                    Some(json) => PoolItem::Metadata(text::string(&json, at)),
                    None => continue,
                },
                _ => continue,
            };
            items.push(Spanned::new(item, self.at(span_of(key))));
        }
        items
    }

    /// `Retain`, `Delete` or (a `DeletionPolicy` only) `RetainExceptOnCreate`;
    /// E0702 for the values idp has no keyword for.
    fn retention(&mut self, attribute: &str, value: &Node) -> Option<RetentionPolicy> {
        match value.as_str() {
            Some("Retain") => Some(RetentionPolicy::Retain),
            Some("Delete") => Some(RetentionPolicy::Delete),
            Some("RetainExceptOnCreate") if attribute == "DeletionPolicy" => {
                Some(RetentionPolicy::RetainExceptOnCreate)
            }
            _ => {
                let written = value.as_str().unwrap_or("this value");
                self.report(
                    Code::E0702,
                    span_of(value),
                    format!("`{attribute}: {written}` cannot be written in idp"),
                    "idp writes `Retain` or `Delete`",
                    format!("use `Retain` or `Delete` as the `{attribute}` in the template, or keep this pool in CloudFormation"),
                );
                None
            }
        }
    }

    /// The names of a `DependsOn` (one name or a list): each a resource the
    /// importer makes an item of, or one the program declares with `use`.
    fn depends_on(&mut self, value: &Node) -> Option<Vec<Name>> {
        let mut names = Vec::new();
        for node in seq(value) {
            let Some(name) = node.as_str().filter(|n| text::is_name(n)) else {
                self.inexpressible_node(node, "this `DependsOn` entry");
                return None;
            };
            // Policies become `policy "X" as Id` blocks and `managed_policy`
            // items of the program.
            let made_here = self.resource(name).is_some_and(|r| {
                matches!(
                    r.cfn_type.as_deref(),
                    Some(
                        POOL_TYPE
                            | ATTACHMENT_TYPE
                            | PRINCIPAL_TAG_TYPE
                            | ROLE_TYPE
                            | "AWS::IAM::Policy"
                            | "AWS::IAM::ManagedPolicy"
                    )
                )
            });
            if !made_here {
                if let Some(None) = self.defined_kind(name) {
                    self.depends_on_kindless(name, node);
                    return None;
                }
                if self.defined_kind(name).is_some() {
                    self.kind_of(name, span_of(node), || None)?;
                } else {
                    // A statement read later may tell its kind.
                    self.depends_on_later.push((name.to_owned(), span_of(node)));
                }
            }
            names.push(Spanned::new(name.to_owned(), self.at(span_of(node))));
        }
        Some(names)
    }

    /// E0720: `DependsOn` names a resource of a type `use KIND` cannot
    /// declare; only a stack file read with `use "path"` can.
    fn depends_on_kindless(&mut self, name: &str, node: &Node) {
        let ty = self
            .resource(name)
            .and_then(|r| r.cfn_type.clone())
            .unwrap_or_default();
        self.report(
            Code::E0720,
            span_of(node),
            format!("`DependsOn` names `{name}`, a `{ty}`, which the imported program cannot declare"),
            "no `use KIND` declares this type",
            format!("the program can depend on `{name}` only through a stack file that defines it (`use \"serverless.yml\"`): remove `{name}` from `DependsOn` in the template, import, then add the `use` line and `depends_on {name}` to the program"),
        );
    }

    /// The `DependsOn` names the template does not define: each must have
    /// become a `use` line (a statement told its kind), else E0705.
    pub(super) fn check_depends_on_later(&mut self) {
        for (name, at) in std::mem::take(&mut self.depends_on_later) {
            if !self.uses.iter().any(|(n, _, _)| *n == name) {
                self.kind_of(&name, at, || None);
            }
        }
    }

    /// The JSON text of a `Metadata` object. Scalars are read as strings: a
    /// YAML scalar that could be a number, a boolean or a string (the
    /// template reader keeps only its text) is refused (E0702) rather than
    /// guessed.
    fn metadata(&mut self, value: &Node) -> Option<String> {
        let json = self.json(value)?;
        if !json.is_object() {
            self.inexpressible_node(value, "`Metadata` that is not a mapping");
            return None;
        }
        Some(json.to_string())
    }

    fn json(&mut self, node: &Node) -> Option<serde_json::Value> {
        Some(match &node.value {
            Value::Null => serde_json::Value::Null,
            Value::Scalar(text) => {
                let ambiguous = matches!(text.as_str(), "true" | "false" | "True" | "False")
                    || text.parse::<f64>().is_ok();
                if ambiguous {
                    self.report(
                        Code::E0702,
                        span_of(node),
                        format!("the `Metadata` value `{text}` cannot be written in idp"),
                        "a number or a boolean, or a string that looks like one",
                        "idpc reads a template's scalars as text and cannot tell which this is: keep `Metadata` to strings and mappings, or keep this pool in CloudFormation",
                    );
                    return None;
                }
                serde_json::Value::String(text.clone())
            }
            Value::Seq(items) => serde_json::Value::Array(
                items
                    .iter()
                    .map(|item| self.json(item))
                    .collect::<Option<_>>()?,
            ),
            Value::Map(entries) => {
                let mut object = serde_json::Map::new();
                for (key, value) in entries {
                    let key = key.as_str().unwrap_or_default().to_owned();
                    object.insert(key, self.json(value)?);
                }
                serde_json::Value::Object(object)
            }
        })
    }

    /// A role attachment's `DependsOn`, as the names of its `attachment
    /// Name depends_on ...` line. Naming only its own pool it adds nothing
    /// (`IdentityPoolId: !Ref Pool` already orders them), so it is left out
    /// with W0720.
    pub(super) fn attachment_depends_on(&mut self, pool: &str, node: &Node) -> Vec<Name> {
        let Some((key, value)) = node
            .as_map()
            .unwrap_or_default()
            .iter()
            .find(|(k, _)| k.as_str() == Some("DependsOn"))
        else {
            return Vec::new();
        };
        let names: Vec<Option<&str>> = seq(value).into_iter().map(Node::as_str).collect();
        if !names.is_empty() && names.iter().all(|n| *n == Some(pool)) {
            self.report(
                Code::W0720,
                span_of(key),
                format!("this `DependsOn: {pool}` is left out of the program"),
                "implied by `IdentityPoolId`",
                format!("CloudFormation already creates `{pool}` first, since the attachment refers to it; nothing changes"),
            );
            return Vec::new();
        }
        self.depends_on(value).unwrap_or_default()
    }

    /// A role's `DependsOn` as a `depends_on` line.
    pub(super) fn role_depends_on(&mut self, node: &Node) -> Option<Spanned<RoleItem>> {
        let (key, value) = node
            .as_map()
            .unwrap_or_default()
            .iter()
            .find(|(k, _)| k.as_str() == Some("DependsOn"))?;
        let names = self.depends_on(value)?;
        Some(Spanned::new(
            RoleItem::DependsOn(names),
            self.at(span_of(key)),
        ))
    }

    /// `RoleName`, `Description`, `MaxSessionDuration`, `Path` (but `/`,
    /// the default) and `Tags` of a role as its lines; `None` for another
    /// property (or one that cannot be read back, reported).
    pub(super) fn role_property(
        &mut self,
        key: &Node,
        value: &Node,
        lines: &mut Vec<Spanned<RoleItem>>,
    ) -> bool {
        let at = self.at(span_of(value));
        let item = match key.as_str() {
            Some("RoleName") => self.string(value, "a role name").map(RoleItem::RoleName),
            Some("Description") => self
                .string(value, "a role description")
                .map(RoleItem::Description),
            Some("Path") => match value.as_str() {
                Some("/") => None,
                _ => self.string(value, "a role path").map(RoleItem::Path),
            },
            Some("MaxSessionDuration") => match value.as_str().map(str::parse::<u64>) {
                Some(Ok(seconds)) => Some(RoleItem::MaxSessionDuration(Spanned::new(seconds, at))),
                _ => {
                    self.report(
                        Code::E0704,
                        span_of(value),
                        "this value cannot be read back as a number of seconds",
                        "idp writes a whole number",
                        "write `MaxSessionDuration` as a number of seconds, such as `3600`",
                    );
                    None
                }
            },
            Some("Tags") => {
                let tags = self.tags(value).into_iter();
                lines.extend(
                    tags.map(|(key, value, at)| Spanned::new(RoleItem::Tag { key, value }, at)),
                );
                return true;
            }
            _ => return false,
        };
        if let Some(item) = item {
            lines.push(Spanned::new(item, at));
        }
        true
    }
}
