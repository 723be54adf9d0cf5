//! Resource attributes and role properties: a pool's `attachment`,
//! `deletion_policy`, `update_replace_policy`, `depends_on` and `metadata`
//! lines, and a role's `role_name`, `description`, `max_session_duration`,
//! `path`, `tag` and `depends_on` lines, each checked against the rule AWS
//! documents for it (`idpc explain E0220`, `E0224`).

use super::error::CheckErrorKind;
use super::ir::{
    IdentityProviderName, Pool, PoolAttributes, ResourceDef, Role, RoleProperties, Value,
};
use super::pool::literal_parts;
use super::{Checker, Wanted};
use crate::syntax::ast::{self, Name, RetentionPolicy, Span, Spanned, Text, TextPart};
use std::collections::HashMap;

/// The longest `RoleName` IAM accepts ("CreateRole", IAM API Reference).
pub const ROLE_NAME_MAX: usize = 64;
/// The longest role `Description` IAM accepts ("CreateRole").
pub const ROLE_DESCRIPTION_MAX: usize = 1000;
/// The shortest and longest `MaxSessionDuration`, in seconds: 1 to 12
/// hours ("CreateRole").
pub const SESSION_DURATION: std::ops::RangeInclusive<u64> = 3600..=43200;

/// A pool's attribute lines as read so far, with where each was written.
#[derive(Default)]
pub(super) struct PoolAttributeLines {
    /// `attachment Name`.
    pub attachment: Option<Name>,
    deletion_policy: Option<(RetentionPolicy, Span)>,
    update_replace_policy: Option<(RetentionPolicy, Span)>,
    depends_on: Option<(Vec<String>, Span)>,
    metadata: Option<(serde_json::Map<String, serde_json::Value>, Span)>,
    /// Where `metadata` was first written (also when it was refused).
    metadata_line: Option<Span>,
}

impl PoolAttributeLines {
    /// What the lines set.
    pub fn into_attributes(self) -> PoolAttributes {
        PoolAttributes {
            deletion_policy: self.deletion_policy.map(|(p, _)| p),
            update_replace_policy: self.update_replace_policy.map(|(p, _)| p),
            depends_on: self.depends_on.map(|(d, _)| d).unwrap_or_default(),
            metadata: self.metadata.map(|(m, _)| m),
        }
    }
}

/// A role's property lines as read so far.
#[derive(Default)]
pub(super) struct RolePropertyLines {
    properties: RoleProperties,
    firsts: HashMap<&'static str, Span>,
    tag_keys: HashMap<String, Span>,
}

impl RolePropertyLines {
    /// What the lines set.
    pub fn into_properties(self) -> RoleProperties {
        self.properties
    }
}

impl Checker {
    /// Checks an `attachment`, `deletion_policy`, `update_replace_policy`,
    /// `depends_on` or `metadata` line of a pool; other lines are ignored.
    pub(super) fn pool_attribute_line(
        &mut self,
        pool_id: &str,
        item: &Spanned<ast::PoolItem>,
        lines: &mut PoolAttributeLines,
    ) {
        let span = item.span;
        match &item.node {
            ast::PoolItem::Attachment(name) => match &lines.attachment {
                Some(first) => self.duplicate("`attachment`", span, first.span),
                None => lines.attachment = Some(name.clone()),
            },
            ast::PoolItem::DeletionPolicy(policy) => {
                if let Some((_, first)) = lines.deletion_policy {
                    self.duplicate("`deletion_policy`", span, first);
                } else if self.retention_exists("DeletionPolicy", policy) {
                    lines.deletion_policy = Some((policy.node, span));
                }
            }
            ast::PoolItem::UpdateReplacePolicy(policy) => {
                if let Some((_, first)) = lines.update_replace_policy {
                    self.duplicate("`update_replace_policy`", span, first);
                } else if self.retention_exists("UpdateReplacePolicy", policy) {
                    lines.update_replace_policy = Some((policy.node, span));
                }
            }
            ast::PoolItem::DependsOn(names) => match &lines.depends_on {
                Some((_, first)) => self.duplicate("`depends_on`", span, *first),
                None => lines.depends_on = Some((self.depends_on(pool_id, names), span)),
            },
            ast::PoolItem::Metadata(text) => match lines.metadata_line {
                Some(first) => self.duplicate("`metadata`", span, first),
                None => {
                    lines.metadata_line = Some(span);
                    if let Some(object) = self.metadata(text) {
                        lines.metadata = Some((object, span));
                    }
                }
            },
            _ => {}
        }
    }

    /// Whether CloudFormation has this value for the attribute; reports
    /// (E0224) `retain_except_on_create` in `update_replace_policy`:
    /// `RetainExceptOnCreate` is a `DeletionPolicy` value only.
    fn retention_exists(
        &mut self,
        attribute: &'static str,
        policy: &Spanned<RetentionPolicy>,
    ) -> bool {
        if attribute == "DeletionPolicy" || policy.node != RetentionPolicy::RetainExceptOnCreate {
            return true;
        }
        let kind = CheckErrorKind::NoSuchRetentionPolicy {
            attribute,
            written: policy.node.keyword(),
        };
        self.problem(policy.span, kind);
        false
    }

    /// The names of a `depends_on` line; each is resolved once every
    /// logical ID of the program is known (see [`Checker::resolve_depends_on`]).
    pub(super) fn depends_on(&mut self, owner: &str, names: &[Name]) -> Vec<String> {
        for name in names {
            self.depends_on_names
                .push((owner.to_string(), name.clone()));
        }
        names.iter().map(|name| name.node.clone()).collect()
    }

    /// Resolves every name `depends_on` lines gave: each must be a logical
    /// ID the program or the stack knows (E0101 otherwise), and must not
    /// close a cycle with the references idpc writes (E0226).
    pub(super) fn resolve_depends_on(&mut self, pools: &[Pool], shared: &[Role]) {
        let mut graph = references(pools, shared);
        let mut resolved = Vec::new();
        for (owner, name) in std::mem::take(&mut self.depends_on_names) {
            if self.resolve(&name, Wanted::Any).is_some() {
                resolved.push((owner, name));
            }
        }
        for (owner, name) in &resolved {
            graph
                .entry(owner.clone())
                .or_default()
                .push(name.node.clone());
        }
        for (owner, name) in resolved {
            if let Some(path) = path_between(&graph, &name.node, &owner) {
                let kind = CheckErrorKind::DependencyCycle { owner, path };
                self.problem(name.span, kind);
            }
        }
    }

    /// The JSON object a `metadata` string holds; E0221 when it holds
    /// something else.
    fn metadata(&mut self, text: &Text) -> Option<serde_json::Map<String, serde_json::Value>> {
        // For its checks (a Serverless variable in a CloudFormation target).
        self.value(text);
        let reason = match serde_json::from_str::<serde_json::Value>(&text.as_written()) {
            Ok(serde_json::Value::Object(object)) => return Some(object),
            Ok(other) => format!("this is {}", json_kind(&other)),
            Err(err) => format!("this is not JSON ({err})"),
        };
        self.problem(text.span, CheckErrorKind::MetadataNotObject { reason });
        None
    }

    /// Checks a property line of a role body; other lines are ignored.
    pub(super) fn role_property_line(
        &mut self,
        item: &Spanned<ast::RoleItem>,
        lines: &mut RolePropertyLines,
    ) {
        let span = item.span;
        let keyword = match &item.node {
            ast::RoleItem::RoleName(_) => "role_name",
            ast::RoleItem::Description(_) => "description",
            ast::RoleItem::MaxSessionDuration(_) => "max_session_duration",
            ast::RoleItem::Path(_) => "path",
            ast::RoleItem::DependsOn(_) => "depends_on",
            ast::RoleItem::Tag { key, value } => {
                self.role_tag(key, value, span, lines);
                return;
            }
            _ => return,
        };
        if let Some(first) = lines.firsts.get(keyword) {
            let what = format!("`{keyword}`");
            self.duplicate(&what, span, *first);
            return;
        }
        lines.firsts.insert(keyword, span);
        let properties = &mut lines.properties;
        match &item.node {
            ast::RoleItem::RoleName(text) => {
                self.role_name_rule(text);
                self.role_name_unique(text);
                properties.role_name = Some(self.value(text));
            }
            ast::RoleItem::Description(text) => {
                self.description_rule(text);
                properties.description = Some(self.value(text));
            }
            ast::RoleItem::MaxSessionDuration(seconds) => {
                self.session_duration_rule(seconds);
                properties.max_session_duration = Some(seconds.node);
            }
            ast::RoleItem::Path(text) => {
                self.path_rule(text);
                properties.path = Some(self.value(text));
            }
            ast::RoleItem::DependsOn(names) => {
                let owner = self.current_role.clone().unwrap_or_default();
                properties.depends_on = self.depends_on(&owner, names);
            }
            _ => {}
        }
    }

    fn role_tag(&mut self, key: &Text, value: &Text, span: Span, lines: &mut RolePropertyLines) {
        let written = key.as_written();
        if let Some(first) = lines.tag_keys.get(&written) {
            let what = format!("tag `{written}`");
            self.duplicate(&what, span, *first);
            return;
        }
        lines.tag_keys.insert(written, span);
        let pair: (Value, Value) = (self.value(key), self.value(value));
        lines.properties.tags.push(pair);
    }

    fn role_property_problem(&mut self, text_span: Span, property: &'static str, rule: String) {
        let kind = CheckErrorKind::RoleProperty { property, rule };
        self.problem(text_span, kind);
    }

    /// `RoleName`: 1 to 64 of `[\w+=,.@-]`. With variables, only what is
    /// certain: a literal character outside the set, or literal text
    /// already longer than 64.
    fn role_name_rule(&mut self, text: &Text) {
        let literal = literal_parts(text);
        let allowed = |c: char| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c);
        let length = literal.chars().count();
        let rule = if let Some(bad) = literal.chars().find(|c| !allowed(*c)) {
            Some(format!(
                "`{}` is not allowed (use letters, digits and `_ + = , . @ -`)",
                bad.escape_debug()
            ))
        } else if length > ROLE_NAME_MAX {
            Some(format!(
                "it is {length} characters long; the limit is {ROLE_NAME_MAX}"
            ))
        } else if literal.is_empty() && !has_variables(text) {
            Some("it must not be empty".to_string())
        } else {
            None
        };
        if let Some(rule) = rule {
            self.role_property_problem(text.span, "RoleName", rule);
        }
    }

    /// Two equal `role_name` texts (ignoring case, as IAM compares names)
    /// name one role twice, whatever their variables stand for (E0225).
    fn role_name_unique(&mut self, text: &Text) {
        let written = text.as_written();
        let key = written.to_lowercase();
        match self.role_names.get(&key) {
            Some(first) => {
                let kind = CheckErrorKind::RoleNameTaken {
                    name: written,
                    first: *first,
                };
                self.problem(text.span, kind);
            }
            None => {
                self.role_names.insert(key, text.span);
            }
        }
    }

    /// `Description`: at most 1000 characters (a variable only adds).
    fn description_rule(&mut self, text: &Text) {
        let length = literal_parts(text).chars().count();
        if length > ROLE_DESCRIPTION_MAX {
            let rule =
                format!("it is {length} characters long; the limit is {ROLE_DESCRIPTION_MAX}");
            self.role_property_problem(text.span, "Description", rule);
        }
    }

    /// `MaxSessionDuration`: 3,600 to 43,200 seconds.
    fn session_duration_rule(&mut self, seconds: &Spanned<u64>) {
        if !SESSION_DURATION.contains(&seconds.node) {
            let rule = format!(
                "it must be {} to {} seconds (1 to 12 hours)",
                SESSION_DURATION.start(),
                SESSION_DURATION.end()
            );
            self.role_property_problem(seconds.span, "MaxSessionDuration", rule);
        }
    }

    /// `Path`: `/` alone, or text that begins and ends with `/`, of the
    /// characters `!` (U+0021) to DEL (U+007F). With variables, only the
    /// literal characters and the literal ends are judged.
    fn path_rule(&mut self, text: &Text) {
        let literal = literal_parts(text);
        let rule = if let Some(bad) = literal.chars().find(|c| !('\u{21}'..='\u{7f}').contains(c)) {
            Some(format!(
                "`{}` is not allowed (use printable ASCII characters, no spaces)",
                bad.escape_debug()
            ))
        } else if !literal_end(text, true).is_none_or(|s| s.starts_with('/'))
            || !literal_end(text, false).is_none_or(|s| s.ends_with('/'))
            || (literal.is_empty() && !has_variables(text))
        {
            Some("it must begin and end with `/` (or be `/` alone)".to_string())
        } else {
            None
        };
        if let Some(rule) = rule {
            self.role_property_problem(text.span, "Path", rule);
        }
    }
}

/// What each resource of the program refers to (`Ref`, `Fn::GetAtt`),
/// which CloudFormation creates first ("DependsOn attribute"): a pool's
/// attachment its pool and roles, a role its pools and the resources of its
/// statements, principal tags their pool and user pool.
fn references(pools: &[Pool], shared: &[Role]) -> HashMap<String, Vec<String>> {
    let mut graph: HashMap<String, Vec<String>> = HashMap::new();
    let role_refs = |role: &Role, graph: &mut HashMap<String, Vec<String>>| {
        let mut to = role.trusted_pools.clone();
        for statement in &role.statements {
            for resource in &statement.resources {
                if let ResourceDef::Of { logical_id, .. } = resource {
                    to.push(logical_id.clone());
                }
            }
        }
        graph.entry(role.logical_id.clone()).or_default().extend(to);
    };
    for pool in pools {
        let refs = graph.entry(pool.logical_id.clone()).or_default();
        // A user pool given as text names no logical ID.
        for provider in pool.user_pools.iter().filter(|p| p.given.is_none()) {
            refs.push(provider.user_pool.clone());
            refs.push(provider.client.clone());
        }
        if let Some(attachment) = &pool.attachment {
            let mut to = vec![pool.logical_id.clone()];
            to.extend(attachment.roles.iter().map(|(_, role)| role.clone()));
            for mapping in &attachment.mappings {
                for rule in mapping.rules.iter().flatten() {
                    to.push(rule.role.clone());
                }
            }
            graph.insert(attachment.logical_id.clone(), to);
        }
        for tags in &pool.principal_tags {
            let mut to = vec![pool.logical_id.clone()];
            if let IdentityProviderName::UserPool { user_pool, .. } = &tags.provider {
                to.push(user_pool.clone());
            }
            graph.insert(tags.logical_id.clone(), to);
        }
        for role in &pool.roles {
            role_refs(role, &mut graph);
        }
    }
    for role in shared {
        role_refs(role, &mut graph);
    }
    graph
}

/// A path of references from `from` to `to` (both included), if there is
/// one: breadth first, so the shortest, and each resource visited once.
fn path_between(graph: &HashMap<String, Vec<String>>, from: &str, to: &str) -> Option<Vec<String>> {
    let mut came_from: HashMap<&str, &str> = HashMap::new();
    let mut queue = std::collections::VecDeque::from([from]);
    came_from.insert(from, from);
    while let Some(at) = queue.pop_front() {
        if at == to {
            let mut path = vec![to.to_string()];
            let mut step = to;
            while step != from {
                step = came_from.get(step).copied().unwrap_or(from);
                path.push(step.to_string());
            }
            path.reverse();
            return Some(path);
        }
        for next in graph.get(at).into_iter().flatten() {
            if !came_from.contains_key(next.as_str()) {
                came_from.insert(next, at);
                queue.push_back(next);
            }
        }
    }
    None
}

fn has_variables(text: &Text) -> bool {
    text.parts
        .iter()
        .any(|p| !matches!(p.node, TextPart::Literal(_)))
}

/// The first (or last) part of a text when it is literal: `None` when a
/// variable is there, or the text is empty.
fn literal_end(text: &Text, first: bool) -> Option<&str> {
    let part = if first {
        text.parts.first()
    } else {
        text.parts.last()
    };
    match &part?.node {
        TextPart::Literal(literal) => Some(literal.as_str()),
        _ => None,
    }
}

fn json_kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "`null`",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a JSON string",
        serde_json::Value::Array(_) => "a JSON array",
        serde_json::Value::Object(_) => "a JSON object",
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use crate::diag::Code;

    /// IAM's rules for a role's properties are those of the "CreateRole"
    /// API reference, named (with the numbers) on E0220's page.
    #[test]
    fn role_property_rules_are_the_cited_ones() {
        assert_eq!(ROLE_NAME_MAX, 64);
        assert_eq!(ROLE_DESCRIPTION_MAX, 1000);
        assert_eq!(SESSION_DURATION, 3600..=43200);
        let page = Code::E0220.explanation();
        for fact in [
            "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html",
            "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-role.html",
            "1 to 64 characters",
            "at\n  most 1,000 characters",
            "3,600 to\n  43,200 seconds",
            "`!` (U+0021)\n  through DEL (U+007F)",
        ] {
            assert!(page.contains(fact), "E0220's page lacks {fact:?}");
        }
    }

    /// CloudFormation's retention values are those of the "DeletionPolicy
    /// attribute" and "UpdateReplacePolicy attribute" pages, named on
    /// E0224's page: only `DeletionPolicy` has `RetainExceptOnCreate`.
    #[test]
    fn retention_values_are_the_cited_ones() {
        let page = Code::E0224.explanation();
        for fact in [
            "aws-attribute-deletionpolicy.html",
            "aws-attribute-updatereplacepolicy.html",
            "`Delete`, `Retain`, `RetainExceptOnCreate`, `Snapshot`",
            "(options `Delete`, `Retain`, `Snapshot`)",
        ] {
            assert!(page.contains(fact), "E0224's page lacks {fact:?}");
        }
        let cfn = |p: RetentionPolicy| p.to_cfn();
        assert_eq!(cfn(RetentionPolicy::Retain), "Retain");
        assert_eq!(cfn(RetentionPolicy::Delete), "Delete");
        assert_eq!(
            cfn(RetentionPolicy::RetainExceptOnCreate),
            "RetainExceptOnCreate"
        );
    }

    fn problems(source: &str) -> Vec<(crate::diag::Code, String)> {
        let parsed = crate::syntax::parse(source, 0).unwrap();
        let report = crate::check::check(&parsed, crate::check::Target::Serverless, &[]);
        report
            .problems
            .iter()
            .map(|p| (p.kind.code(), source[p.span.range()].to_string()))
            .collect()
    }

    fn role(lines: &str) -> String {
        format!(
            "identity_pool P {{\n  authenticated role {{\n{lines}\n    allow cognito-sync:ListDatasets on *\n  }}\n}}\n"
        )
    }

    #[test]
    fn role_names_are_judged_on_what_is_certain() {
        let e0220 = |lines: &str| {
            problems(&role(lines))
                .into_iter()
                .filter(|(code, _)| *code == Code::E0220)
                .map(|(_, text)| text)
                .collect::<Vec<_>>()
        };
        // 64 characters is the limit, 65 is over.
        assert!(e0220(&format!("role_name \"{}\"", "a".repeat(64))).is_empty());
        assert_eq!(e0220(&format!("role_name \"{}\"", "a".repeat(65))).len(), 1);
        // A variable may make the name anything: only literal text counts.
        assert!(e0220("role_name \"${self:custom.stage}\"").is_empty());
        assert!(e0220("role_name \"a+b=c,d.e@f-g_h\"").is_empty());
        assert_eq!(e0220("role_name \"\"").len(), 1);
        assert_eq!(e0220("role_name \"a/b\"").len(), 1);
        // Path: `/` alone, or `/.../`; variables in the middle are fine.
        assert!(e0220("path \"/\"").is_empty());
        assert!(e0220("path \"/a/${self:custom.stage}/\"").is_empty());
        assert_eq!(e0220("path \"/a b/\"").len(), 1);
        assert_eq!(e0220("path \"/a\"").len(), 1);
        // Duration bounds are inclusive.
        assert!(e0220("max_session_duration 3600").is_empty());
        assert!(e0220("max_session_duration 43200").is_empty());
        assert_eq!(e0220("max_session_duration 3599").len(), 1);
        assert_eq!(
            e0220("max_session_duration 99999999999999999999999").len(),
            1
        );
        // Description: 1,000 characters at most.
        assert!(e0220(&format!("description \"{}\"", "d".repeat(1000))).is_empty());
        assert_eq!(
            e0220(&format!("description \"{}\"", "d".repeat(1001))).len(),
            1
        );
    }
}
