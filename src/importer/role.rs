//! IAM roles as the syntax tree's role bodies: the trust policy (which must
//! be the Cognito one), the inline policy's statements with their resources
//! and conditions.

use super::intrinsic::{self, Cursor, Part};
use super::pool::seq;
use super::{TemplateReader, span_of, text};
use crate::cfn::{COGNITO_IDENTITY, TRUST_AMR, TRUST_AUDIENCE};
use crate::check::kinds::{ArnSource, kind_info};
use crate::diag::Code;
use crate::source::Span;
use crate::stack_reader::tree::Node;
use crate::syntax::ast::{
    ActionItem, ActionPattern, Condition, ConditionOp, Effect, Kind, Resource, RoleItem, RoleUsage,
    Spanned, Statement,
};
use crate::vocabulary::{ConditionOperator, Operator, PolicyVersion, Quantifier};

/// The trust policy a role must have to be written as idp: the one the
/// compiler writes for the pools that use it.
pub(super) struct Trust {
    /// The pools in `aud`.
    pub(super) pools: Vec<String>,
    /// `amr`: signed-in users or guests.
    pub(super) usage: RoleUsage,
    /// Whether `sts:TagSession` is trusted too.
    pub(super) tag_session: bool,
}

/// How import reads a statement's resource (E0704's help).
const RESOURCE_ARN_ACCEPTED: &str =
    "with literal text, `Ref`, `Fn::GetAtt`, `Fn::Join` or `Fn::Sub` as idpc itself writes it";

/// The IAM policy version IAM reads a policy without `Version` as.
const OLD_VERSION: &str = "2008-10-17";

/// The IAM policy version idpc writes.
const VERSION: &str = PolicyVersion::WRITTEN.to_iam();

impl TemplateReader<'_> {
    /// The body of role `id`, spanning its logical ID, checked against the
    /// trust its uses need; `None` when it cannot be written.
    pub(super) fn role(&mut self, id: &str, trust: &Trust) -> Option<RoleBody> {
        let resource = self.resource(id)?;
        let node = resource.node;
        self.imported.insert(id.to_owned());
        self.resource_keys_allowing(node, "a role", &["DependsOn"]);
        let mut lines = Vec::new();
        let mut statements = Vec::new();
        let mut blocks = Vec::new();
        let mut trusted = false;
        let properties = node
            .get("Properties")
            .and_then(Node::as_map)
            .unwrap_or_default();
        for (key, value) in properties {
            match key.as_str() {
                Some("AssumeRolePolicyDocument") => {
                    trusted = true;
                    if !self.audit {
                        self.trust_policy(id, value, trust);
                    }
                }
                Some("Policies") => {
                    let policies = self.readable_policies(value);
                    if let Some(policy) = policies.first() {
                        self.inline_policy(id, policy, &mut lines, &mut statements);
                    }
                    // The others are `policy "Name" { ... }` blocks, after
                    // the default policy's statements as lowering writes them.
                    for policy in policies.iter().skip(1) {
                        blocks.extend(self.policy_block(id, policy));
                    }
                }
                Some("ManagedPolicyArns") => {
                    for node in seq(value) {
                        if let Some(line) = self.attached_policy(node) {
                            lines.push(line);
                        } else if let Some(arn) = self.string(node, "a managed policy ARN") {
                            let at = arn.span;
                            lines.push(Spanned::new(RoleItem::ManagedPolicy(arn), at));
                        }
                    }
                }
                Some("PermissionsBoundary") => {
                    if let Some(arn) = self.string(value, "a boundary ARN") {
                        let at = arn.span;
                        lines.push(Spanned::new(RoleItem::Boundary(arn), at));
                    }
                }
                _ => {
                    if !self.role_property(key, value, &mut lines) {
                        self.inexpressible(key, "a role");
                    }
                }
            }
        }
        lines.extend(self.role_depends_on(node));
        // One order whatever the template's key order, so that
        // `import(build(x))` is `x`: the role's properties, then its
        // policies (managed ones in their `ManagedPolicyArns` order).
        lines.sort_by_key(|line| line_rank(&line.node));
        if !trusted && !self.audit {
            let key = resource_key(self, id);
            self.report(
                Code::E0703,
                key,
                format!("role `{id}` has no trust policy"),
                "idpc would make it trust the identity pool",
                "give the role the Cognito trust policy (`idpc explain E0703` shows it)",
            );
        }
        lines.extend(statements);
        lines.extend(blocks);
        let at = self.at(resource_key(self, id));
        Some(Spanned::new(lines, at))
    }

    /// Checks that the trust policy is exactly the one the compiler writes.
    fn trust_policy(&mut self, id: &str, document: &Node, trust: &Trust) {
        let mut problems: Vec<(Span, String)> = Vec::new();
        let statements = document.get("Statement").map(seq).unwrap_or_default();
        let version_ok = document.get("Version").and_then(Node::as_str) == Some(VERSION);
        if !version_ok {
            problems.push((
                span_of(document),
                format!("its `Version` is not `{VERSION}`"),
            ));
        }
        for (key, _) in document.as_map().unwrap_or_default() {
            if !matches!(key.as_str(), Some("Version" | "Statement")) {
                problems.push((
                    span_of(key),
                    "it has more than `Version` and `Statement`".to_owned(),
                ));
            }
        }
        match statements.as_slice() {
            [statement] => self.trust_statement(statement, trust, &mut problems),
            _ => problems.push((
                span_of(document),
                format!("it has {} statements, not one", statements.len()),
            )),
        }
        let only_version = problems.len() == 1 && !version_ok;
        let mut problems = problems.into_iter();
        if let Some((span, why)) = problems.next() {
            let pools = trust
                .pools
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let diagnostic = crate::diag::Diagnostic::new(
                Code::E0703,
                format!(
                    "the trust policy of role `{id}` is not the Cognito trust policy idpc writes"
                ),
                self.at(span),
            )
            .with_label(why);
            // Every difference at once, so one run lists them all.
            let diagnostic = problems.fold(diagnostic, |diagnostic, (span, why)| {
                diagnostic.with_secondary(self.at(span), why)
            });
            let diagnostic = diagnostic
            .with_note(format!(
                "idpc's role trusts `{COGNITO_IDENTITY}` with `sts:AssumeRoleWithWebIdentity`{}, only for identities of {pools} (`aud`) that are `{}` (`amr`)",
                if trust.tag_session { " and `sts:TagSession`" } else { "" },
                trust.usage.keyword()
            ))
            .with_note(if only_version {
                "only the `Version` differs: IAM reads a policy without `Version` (or with `2008-10-17`) by its older rules, in which policy variables do not work; idpc writes `2012-10-17`"
            } else {
                "importing would change who can assume this role"
            })
            .with_help("make the template's trust policy the Cognito one first (`idpc explain E0703`), or keep this role in CloudFormation");
            self.diagnostics.push(diagnostic);
        }
    }

    fn trust_statement(
        &mut self,
        statement: &Node,
        trust: &Trust,
        problems: &mut Vec<(Span, String)>,
    ) {
        let at = span_of(statement);
        let mut saw = (false, false, false, false);
        for (key, value) in statement.as_map().unwrap_or_default() {
            match key.as_str() {
                Some("Effect") => {
                    saw.0 = true;
                    if value.as_str() != Some("Allow") {
                        problems.push((span_of(value), "its `Effect` is not `Allow`".to_owned()));
                    }
                }
                Some("Principal") => {
                    saw.1 = true;
                    let federated = value.get("Federated").map(seq).unwrap_or_default();
                    let only = value.as_map().is_some_and(|m| m.len() == 1);
                    if !only
                        || federated.len() != 1
                        || federated[0].as_str() != Some(COGNITO_IDENTITY)
                    {
                        problems.push((
                            span_of(value),
                            format!("its principal is not `Federated: {COGNITO_IDENTITY}`"),
                        ));
                    }
                }
                Some("Action") => {
                    saw.2 = true;
                    let mut actions: Vec<&str> =
                        seq(value).iter().filter_map(|a| a.as_str()).collect();
                    actions.sort_unstable();
                    let mut expected = vec!["sts:AssumeRoleWithWebIdentity"];
                    if trust.tag_session {
                        expected.push("sts:TagSession");
                    }
                    if actions != expected {
                        problems.push((
                            span_of(value),
                            format!(
                                "its actions are not {}",
                                expected
                                    .iter()
                                    .map(|a| format!("`{a}`"))
                                    .collect::<Vec<_>>()
                                    .join(" and ")
                            ),
                        ));
                    }
                }
                Some("Condition") => {
                    saw.3 = true;
                    self.trust_condition(value, trust, problems);
                }
                _ => problems.push((
                    span_of(key),
                    "it has an element idpc does not write".to_owned(),
                )),
            }
        }
        if !(saw.0 && saw.1 && saw.2) {
            problems.push((at, "it lacks `Effect`, `Principal` or `Action`".to_owned()));
        }
        if !saw.3 {
            problems.push((
                at,
                "it has no `Condition`: any pool's identities could assume the role".to_owned(),
            ));
        }
    }

    fn trust_condition(
        &mut self,
        condition: &Node,
        trust: &Trust,
        problems: &mut Vec<(Span, String)>,
    ) {
        let aud = format!("{COGNITO_IDENTITY}:aud");
        let amr = format!("{COGNITO_IDENTITY}:amr");
        let entries = condition.as_map().unwrap_or_default();
        let has = |wanted: ConditionOperator| {
            entries.iter().any(|(operator, _)| {
                operator.as_str().and_then(ConditionOperator::from_iam) == Some(wanted)
            })
        };
        // Say what is missing, not only that the block differs.
        for (operator, key) in [(TRUST_AUDIENCE, "aud"), (TRUST_AMR, "amr")] {
            if !has(operator) {
                problems.push((
                    span_of(condition),
                    format!("its `Condition` has no `{}` on `{key}`", operator.to_iam()),
                ));
            }
        }
        for (operator, keys) in entries {
            let keys_map = keys.as_map().unwrap_or_default();
            match operator.as_str().and_then(ConditionOperator::from_iam) {
                Some(TRUST_AUDIENCE) => {
                    let Some(value) = keys.get(&aud).filter(|_| keys_map.len() == 1) else {
                        problems.push((
                            span_of(keys),
                            "its `StringEquals` is not on `aud` alone".to_owned(),
                        ));
                        continue;
                    };
                    self.trust_audience(value, trust, problems);
                }
                Some(TRUST_AMR) => {
                    let value = keys.get(&amr).filter(|_| keys_map.len() == 1);
                    let values: Vec<&str> = value
                        .map(seq)
                        .unwrap_or_default()
                        .iter()
                        .filter_map(|v| v.as_str())
                        .collect();
                    if values != [trust.usage.keyword()] {
                        problems.push((
                            span_of(keys),
                            format!("its `amr` is not `{}`", trust.usage.keyword()),
                        ));
                    }
                }
                _ => problems.push((
                    span_of(operator),
                    "it has a condition idpc does not write".to_owned(),
                )),
            }
        }
    }

    /// The `aud` of a trust policy: the pools that use the role.
    fn trust_audience(&mut self, value: &Node, trust: &Trust, problems: &mut Vec<(Span, String)>) {
        let mut pools: Vec<String> = seq(value)
            .iter()
            .filter_map(|v| match intrinsic::parts(v).ok()?.as_slice() {
                [Part::Ref(p)] => Some(p.clone()),
                _ => None,
            })
            .collect();
        let mut expected = trust.pools.clone();
        pools.sort();
        expected.sort();
        let left_out: Vec<&String> = pools
            .iter()
            .filter(|p| {
                !expected.contains(p) && !self.imported.contains(*p) && self.resource(p).is_some()
            })
            .collect();
        if let Some(other) = left_out.first() {
            problems.push((
                span_of(value),
                format!("the role is also trusted by pool `{other}`, which is not imported"),
            ));
        } else if pools != expected || seq(value).len() != pools.len() {
            let listed = expected
                .iter()
                .map(|p| format!("`Ref: {p}`"))
                .collect::<Vec<_>>()
                .join(", ");
            problems.push((
                span_of(value),
                format!("its `aud` is not {listed}, the pools that use the role"),
            ));
        }
    }

    /// The inline policy: its name line (unless the default) and the
    /// statement lines.
    /// A role's inline policies; one given by an intrinsic function (an
    /// `Fn::If` that keeps it under a condition) is reported and left out.
    fn readable_policies<'n>(&mut self, value: &'n Node) -> Vec<&'n Node> {
        let mut policies = seq(value);
        policies.retain(|policy| {
            let computed = intrinsic::function(policy).is_some();
            if computed {
                self.inexpressible_node(policy, "an inline policy given by an intrinsic function");
            }
            !computed
        });
        policies
    }

    fn inline_policy(
        &mut self,
        role: &str,
        policy: &Node,
        lines: &mut Vec<Spanned<RoleItem>>,
        statements: &mut Vec<Spanned<RoleItem>>,
    ) {
        for (key, value) in policy.as_map().unwrap_or_default() {
            match key.as_str() {
                Some("PolicyName") => {
                    if let Some(name) = self.string(value, "a policy name")
                        && name.as_written() != format!("{role}Policy")
                    {
                        let at = self.at(span_of(value));
                        lines.push(Spanned::new(RoleItem::PolicyName(name), at));
                    }
                }
                Some("PolicyDocument") => self.policy_document(role, key, value, statements),
                _ => self.inexpressible(key, "an inline policy"),
            }
        }
    }

    /// A permission policy's `PolicyDocument`: its statements, in order.
    pub(super) fn policy_document(
        &mut self,
        owner: &str,
        key: &Node,
        value: &Node,
        statements: &mut Vec<Spanned<RoleItem>>,
    ) {
        if value.get("Version").is_none() {
            self.without_version(owner, key, value);
        }
        for (k, v) in value.as_map().unwrap_or_default() {
            match k.as_str() {
                Some("Version") if v.as_str() == Some(VERSION) => {}
                Some("Version") if v.as_str() == Some(OLD_VERSION) => {
                    self.without_version(owner, k, value);
                }
                Some("Statement") => {
                    for node in seq(v) {
                        if let Some(statement) = self.statement(node) {
                            statements.push(statement);
                        }
                    }
                }
                _ => self.inexpressible(k, "a policy document"),
            }
        }
    }

    /// A policy without `Version` is read by IAM as version `2008-10-17`,
    /// in which policy variables are literal text: the same as the
    /// program's `2012-10-17` policy when it uses none (N0750), else not
    /// (E0753).
    fn without_version(&mut self, role: &str, key: &Node, document: &Node) {
        let statements = document.get("Statement").map(seq).unwrap_or_default();
        let variable = statements.iter().find_map(|s| policy_variable_in(s));
        let has = match document.get("Version") {
            Some(_) => format!("is version `{OLD_VERSION}`"),
            None => "has no `Version`".to_owned(),
        };
        match variable {
            Some(variable) => {
                let diagnostic = crate::diag::Diagnostic::new(
                    Code::E0753,
                    format!("the policy of role `{role}` {has} and uses policy variables"),
                    self.at(key.span),
                )
                .with_label("IAM reads this policy as version `2008-10-17`")
                .with_secondary(
                    self.at(variable),
                    "literal text in version `2008-10-17`, a policy variable in the program's `2012-10-17`",
                )
                .with_note("without `Version`, IAM uses `2008-10-17`, in which policy variables do not work (`${...}` is literal text), so the program (which writes `2012-10-17`) would allow something else")
                .with_help("if the variables are meant as variables, add `Version: \"2012-10-17\"` to the template and deploy it (that changes what the role allows), then import");
                self.diagnostics.push(diagnostic);
            }
            None => self.report(
                Code::N0750,
                key.span,
                format!("the policy of role `{role}` {has}; the program writes `2012-10-17`"),
                "IAM reads this policy as version `2008-10-17`",
                "it uses no policy variables, the feature AWS documents `2008-10-17` to lack, so it allows the same; add `Version: \"2012-10-17\"` to the template to say so",
            ),
        }
    }

    /// Whether the audit keeps a statement it could not read whole (a
    /// statement without one of its resources or conditions could look
    /// broader) with `*`, as import does: only when its actions' service is not one AWS
    /// has, so that no ARN of it can be read and nothing was said since
    /// `said` diagnostics; the checker refuses it then (E0401), which the
    /// audit reports before leaving the statement out.
    fn kept_for_checker(&self, said: usize, actions: &[String]) -> bool {
        self.diagnostics.len() == said && unknown_service(actions)
    }

    /// `!If [Cond, {statement}, !Ref AWS::NoValue]`: the statement and its
    /// condition (`allow ... if Cond`); a statement without one as it is;
    /// `None` (reported) for an `Fn::If` that chooses between statements.
    fn statement_if<'n>(
        &mut self,
        statement: &'n Node,
    ) -> Option<(&'n Node, Option<crate::syntax::ast::Name>)> {
        match super::stack::if_of(statement) {
            Some((condition, then, otherwise)) if super::stack::is_no_value(otherwise) => {
                Some((then, Some(self.declare_condition(condition, statement)?)))
            }
            Some(_) => {
                self.chosen_by_if(
                    statement,
                    "between two statements",
                    "write each statement as `!If [Cond, {statement}, !Ref AWS::NoValue]` with its own condition",
                );
                None
            }
            None => Some((statement, None)),
        }
    }

    /// `allow|deny ACTIONS on RESOURCES [when ...]`, spanning the
    /// template's statement; its `Sid` becomes a comment above it.
    fn statement(&mut self, statement: &Node) -> Option<Spanned<RoleItem>> {
        let (statement, if_condition) = self.statement_if(statement)?;
        let read = self.statement_elements(statement);
        let (Some(effect), false, false) = (
            read.effect,
            read.actions.is_empty(),
            read.resources.is_empty(),
        ) else {
            if read.ok {
                self.inexpressible_node(
                    statement,
                    "a statement without `Effect`, `Action` and `Resource`",
                );
            }
            return None;
        };
        let names: Vec<String> = read.actions.iter().map(|a| action_text(&a.node)).collect();
        // Every resource is read, so that one run reports each it cannot;
        // the statement is kept (with `*` for want of any) only so that the
        // checker sees its actions: the import fails then.
        let at = self.at(span_of(statement));
        let mut resources = Vec::new();
        let mut placeholder = false;
        let said = self.diagnostics.len();
        for resource in read.resources {
            match self.statement_resource(resource, &names) {
                Some(resource) => resources.push(resource),
                None => placeholder = true,
            }
        }
        // Likewise without the conditions when one cannot be read.
        let conditions = match read.condition.map(|c| self.conditions(c)) {
            Some(Some(conditions)) => conditions,
            Some(None) => {
                placeholder = true;
                Vec::new()
            }
            None => Vec::new(),
        };
        // The audit judges what it can read whole (see `kept_for_checker`).
        if placeholder && self.audit && !self.kept_for_checker(said, &names) {
            return None;
        }
        if placeholder {
            self.placeholders.push(at);
            if resources.is_empty() {
                resources.push(Spanned::new(Resource::Any, at));
            }
        }
        if !read.ok {
            return None;
        }
        let statement_node = Statement {
            effect,
            actions: read.actions,
            resources,
            conditions,
            if_condition,
        };
        // A `Sid` stays, as a comment.
        if let Some(sid) = statement.get("Sid").and_then(Node::as_str) {
            let comment = text::inert_comment("Sid: ", sid);
            self.remarks.above.push((at, comment));
        }
        self.statements.push(at);
        Some(Spanned::new(RoleItem::Statement(statement_node), at))
    }

    /// A statement's elements, each reported where idp cannot write it.
    fn statement_elements<'n>(&mut self, statement: &'n Node) -> StatementElements<'n> {
        let mut read = StatementElements {
            effect: None,
            actions: Vec::new(),
            resources: Vec::new(),
            condition: None,
            ok: true,
        };
        for (key, value) in statement.as_map().unwrap_or_default() {
            match key.as_str() {
                Some("Effect") => {
                    let effect = match value.as_str() {
                        Some("Allow") => Effect::Allow,
                        Some("Deny") => Effect::Deny,
                        _ if super::stack::if_of(value).is_some() => {
                            self.chosen_by_if(
                                value,
                                "a statement's `Effect`",
                                "write two statements, each under its own condition (`!If [Cond, {statement}, !Ref AWS::NoValue]`), or keep this role in CloudFormation",
                            );
                            read.ok = false;
                            continue;
                        }
                        _ => {
                            self.inexpressible(key, "a statement");
                            read.ok = false;
                            continue;
                        }
                    };
                    read.effect = Some(Spanned::new(effect, self.at(span_of(value))));
                }
                Some("Action") => self.statement_actions(value, &mut read),
                Some("Resource") => read.resources = seq(value),
                Some("Condition") => read.condition = Some(value),
                Some("Sid") => self.report(
                    Code::W0703,
                    span_of(key),
                    "the statement's `Sid` is not deployed by the program",
                    "kept as a comment above the statement",
                    "a `Sid` only labels a statement; nothing it allows or denies changes",
                ),
                _ => {
                    self.report(
                        Code::E0702,
                        span_of(key),
                        format!("`{}` in a statement cannot be written in idp", key.as_str().unwrap_or("this")),
                        "idp statements have `allow`/`deny`, actions, resources and conditions only",
                        match key.as_str() {
                            Some("NotAction" | "NotResource") => "rewrite the statement with the actions or resources it is meant to cover, then import again",
                            _ => "remove it from the template, or keep this role in CloudFormation",
                        },
                    );
                    read.ok = false;
                }
            }
        }
        read
    }

    /// A statement's `Action`: `service:Action` patterns, and `"*"`, every
    /// action of every service (the language's `*` action item).
    fn statement_actions(&mut self, value: &Node, read: &mut StatementElements<'_>) {
        for action in seq(value) {
            let item = match action.as_str() {
                Some("*") => Some(ActionItem::Any),
                text => text.and_then(action_pattern).map(ActionItem::Pattern),
            };
            match item {
                Some(item) => read
                    .actions
                    .push(Spanned::new(item, self.at(span_of(action)))),
                None => {
                    self.report(
                        Code::E0702,
                        span_of(action),
                        "this action cannot be written in idp",
                        "not a `service:Action` pattern",
                        "list the actions as `service:Action` (wildcards such as `s3:Get*` are fine)",
                    );
                    read.ok = false;
                }
            }
        }
    }

    /// A statement's resource: `*`, `Name`, `Name/path` or a string ARN.
    fn statement_resource(&mut self, node: &Node, actions: &[String]) -> Option<Spanned<Resource>> {
        let at = self.at(span_of(node));
        let parts = match intrinsic::parts(node) {
            Ok(parts) => parts,
            Err(e) => {
                self.not_invertible(&e, "a resource ARN", RESOURCE_ARN_ACCEPTED);
                return None;
            }
        };
        // An ARN with a template parameter or an imported value in it is a
        // string ARN with a reference (`"arn:aws:s3:::$(Stage)/*"`), never a
        // resource named by the parameter.
        if parts.iter().any(|p| match p {
            Part::Ref(name) => self.parameters.contains(name),
            Part::Import(_) => true,
            _ => false,
        }) {
            let arn = self.referencing_text(&parts, node)?;
            return Some(Spanned::new(Resource::Arn(arn), at));
        }
        // An ARN built from a bucket's (table's, function's) name is its ARN.
        let (parts, by_name) = intrinsic::rewritten(&parts);
        if let [Part::Text(t)] = parts.as_slice() {
            let resource = if t == "*" {
                Resource::Any
            } else {
                Resource::Arn(text::string(t, at))
            };
            return Some(Spanned::new(resource, at));
        }
        let service = services(actions);
        let catalog = crate::catalog::Catalog::get();
        let prefixes = actions.iter().filter_map(|a| a.split_once(':'));
        if prefixes
            .into_iter()
            .any(|(s, _)| catalog.service(s).is_none())
        {
            // A service AWS does not have: the checker says so, and no kind
            // can be told from it.
            return None;
        }
        let reported = self.diagnostics.len();
        let found = self.named_arn(&parts, span_of(node), &service);
        let found = found.filter(|(name, kind, _)| {
            by_name
                .iter()
                .all(|(built, wanted)| built != name || wanted == kind)
        });
        let Some((name, kind, rest)) = found else {
            if self.diagnostics.len() > reported {
                return None;
            }
            // A string ARN built with parameters and pseudo parameters:
            // `"arn:$(AWS::Partition):s3:::files-$(Stage)/*"`.
            if parts
                .iter()
                .any(|p| matches!(p, Part::Pseudo(_) | Part::Ref(_)))
            {
                let arn = self.referencing_text(&parts, node)?;
                return Some(Spanned::new(Resource::Arn(arn), at));
            }
            self.report(
                Code::E0704,
                span_of(node),
                "this ARN cannot be read back as a resource's ARN",
                "not an ARN idpc can name",
                "write the resource's ARN as idpc does: `Fn::GetAtt: [Name, Arn]` (or `Ref`, or `arn:${AWS::Partition}:...:${Name}` for APIs), then `/path`",
            );
            return None;
        };
        let path = self.arn_path(node, &name, kind, &rest)?;
        let name = Spanned::new(name, at);
        Some(Spanned::new(Resource::Named { name, path }, at))
    }

    /// The path after a resource's ARN (`Some(None)`: nothing follows);
    /// `None` when it cannot be written as one (reported).
    fn arn_path(
        &mut self,
        node: &Node,
        name: &str,
        kind: Kind,
        rest: &[Part],
    ) -> Option<Option<crate::syntax::ast::Text>> {
        let at = self.at(span_of(node));
        let separator = kind_info(kind).path_separator;
        let path = match rest {
            [] => None,
            [Part::Text(t)] => match t.strip_prefix(separator).and_then(|p| text::path(p, at)) {
                Some(path) => Some(path),
                None => {
                    self.report(
                        Code::E0704,
                        span_of(node),
                        format!("the part of this ARN after `{name}` cannot be written as a path"),
                        "not a path idp can write",
                        format!("a path starts with `{separator}` and holds letters, digits, `/*?-_.=+@~!:%&'|^` and policy variables"),
                    );
                    return None;
                }
            },
            _ => {
                self.report(
                    Code::E0704,
                    span_of(node),
                    format!("the part of this ARN after `{name}` is not plain text"),
                    "not a path idp can write",
                    "keep intrinsic functions out of the path",
                );
                return None;
            }
        };
        Some(path)
    }

    /// The resource whose ARN `parts` start with, its kind and what follows.
    fn named_arn(
        &mut self,
        parts: &[Part],
        at: Span,
        services: &[String],
    ) -> Option<(String, Kind, Vec<Part>)> {
        let mut cursor = Cursor::new(parts);
        if let Some(name) = cursor.get_att("Arn") {
            let kind = self.kind_of(&name, at, || {
                guess_kind(services, |k| kind_info(k).arn == ArnSource::GetAttArn)
            })?;
            return (kind_info(kind).arn == ArnSource::GetAttArn)
                .then(|| (name, kind, cursor.rest()));
        }
        if let Some(name) = cursor.reference() {
            let kind = self.kind_of(&name, at, || {
                guess_kind(services, |k| kind_info(k).arn == ArnSource::Ref)
            })?;
            return (kind_info(kind).arn == ArnSource::Ref).then(|| (name, kind, cursor.rest()));
        }
        let mut cursor = Cursor::new(parts);
        if !(cursor.text("arn:")
            && cursor.pseudo("AWS::Partition", Some("aws"))
            && cursor.text(":"))
        {
            return None;
        }
        let service = cursor.word()?;
        if !(cursor.text(":")
            && cursor.pseudo("AWS::Region", None)
            && cursor.text(":")
            && cursor.pseudo("AWS::AccountId", None)
            && cursor.text(":"))
        {
            return None;
        }
        for kind in Kind::ALL {
            let ArnSource::Built { service: s, prefix } = kind_info(kind).arn else {
                continue;
            };
            let mut attempt = cursor.clone();
            if s != service || !attempt.text(prefix) {
                continue;
            }
            let Some(name) = attempt.reference() else {
                continue;
            };
            // REST and HTTP APIs share the ARN's shape: the template's type
            // decides, or else Serverless's name for the HTTP API.
            let guessed = if name.contains("HttpApi") {
                Kind::HttpApi
            } else {
                kind
            };
            let found = self.kind_of(&name, at, || Some(guessed))?;
            let same_shape = matches!(kind_info(found).arn,
                ArnSource::Built { service: s2, prefix: p2 } if s2 == s && p2 == prefix);
            return same_shape.then(|| (name, found, attempt.rest()));
        }
        None
    }

    /// The conditions of a statement, as `when` clauses.
    fn conditions(&mut self, node: &Node) -> Option<Vec<Spanned<Condition>>> {
        let mut out = Vec::new();
        // Every value is read, so that one run reports each it cannot.
        let mut failed = false;
        let entries = node.as_map().unwrap_or_default();
        // `ForAllValues:` keys: the compiler adds their `Null: false` itself.
        let all_keys = for_all_values_keys(entries);
        for (operator, keys) in entries {
            let Some(op_text) = operator.as_str() else {
                continue;
            };
            // The operators idpc writes: no `IfExists`.
            let parsed = ConditionOperator::from_iam(op_text).filter(|o| !o.if_exists);
            let quantifier = parsed.and_then(|o| o.quantifier);
            for (key, value) in keys.as_map().unwrap_or_default() {
                let Some(key_text) = key.as_str().filter(|k| text::is_condition_key(k)) else {
                    self.inexpressible_node(key, "this condition key");
                    failed = true;
                    continue;
                };
                let nodes = seq(value);
                let texts: Vec<Option<crate::syntax::ast::Text>> = nodes
                    .iter()
                    .map(|v| self.string(v, "a condition value"))
                    .collect();
                let Some(texts) = texts.into_iter().collect::<Option<Vec<_>>>() else {
                    failed = true;
                    continue;
                };
                let values: Vec<String> = texts
                    .iter()
                    .map(crate::syntax::ast::Text::as_written)
                    .collect();
                let implied = parsed == Some(ConditionOperator::NULL)
                    && values == ["false"]
                    && all_keys.iter().any(|k| k.eq_ignore_ascii_case(key_text));
                if implied {
                    continue;
                }
                let Some(op) = parsed.and_then(|parsed| condition_op(parsed, &values)) else {
                    self.report(
                        Code::E0702,
                        span_of(operator),
                        format!("the condition operator `{op_text}` cannot be written in idp"),
                        "idp has no operator for this",
                        "idp writes `String*`, `Numeric*`, `Date*`, `Arn*`, `IpAddress`, `Bool` and `Null` operators (without `IfExists`); rewrite the condition with one of them",
                    );
                    failed = true;
                    break;
                };
                let unary = matches!(
                    op,
                    ConditionOp::IsTrue
                        | ConditionOp::IsFalse
                        | ConditionOp::Exists
                        | ConditionOp::NotExists
                );
                let values = if unary { Vec::new() } else { texts };
                let at = self.at(span_of(key));
                let operator_at = self.at(span_of(operator));
                out.push(Spanned::new(
                    Condition {
                        quantifier: quantifier.map(|q| Spanned::new(q, operator_at)),
                        key: Spanned::new(key_text.to_owned(), at),
                        op: Spanned::new(op, operator_at),
                        values,
                    },
                    at,
                ));
            }
        }
        (!failed).then_some(out)
    }
}

/// Where a line of a role's settings goes in the imported role body.
fn line_rank(item: &RoleItem) -> u8 {
    match item {
        RoleItem::RoleName(_)
        | RoleItem::Description(_)
        | RoleItem::MaxSessionDuration(_)
        | RoleItem::Path(_)
        | RoleItem::Tag { .. }
        | RoleItem::DependsOn(_) => 0,
        RoleItem::PolicyName(_) => 1,
        RoleItem::ManagedPolicy(_) | RoleItem::AttachedPolicy(_) => 2,
        RoleItem::Boundary(_) => 3,
        RoleItem::Statement(_) | RoleItem::Policy(_) => 4,
    }
}

fn resource_key(reader: &TemplateReader<'_>, id: &str) -> Span {
    reader
        .resource(id)
        .map_or(Span::new(reader.file, 0, 0), |r| r.key)
}

/// Where a statement's resources or condition values hold a policy
/// variable (`${...}` once read back), if they do.
fn policy_variable_in(statement: &Node) -> Option<Span> {
    let mut values: Vec<&Node> = Vec::new();
    for key in ["Resource", "NotResource"] {
        values.extend(statement.get(key).map(seq).unwrap_or_default());
    }
    let condition = statement.get("Condition").and_then(Node::as_map);
    for (_, keys) in condition.unwrap_or_default() {
        for (_, value) in keys.as_map().unwrap_or_default() {
            values.extend(seq(value));
        }
    }
    values.into_iter().find_map(|value| {
        let parts = intrinsic::parts(value).ok()?;
        parts
            .iter()
            .any(|p| matches!(p, Part::Text(t) if t.contains("${")))
            .then(|| span_of(value))
    })
}

/// The keys under `ForAllValues:` operators.
fn for_all_values_keys(entries: &[(Node, Node)]) -> Vec<String> {
    let mut all_keys: Vec<String> = Vec::new();
    for (operator, keys) in entries {
        let quantifier = operator
            .as_str()
            .and_then(ConditionOperator::from_iam)
            .and_then(|o| o.quantifier);
        if quantifier == Some(Quantifier::All) {
            all_keys.extend(
                keys.as_map()
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|(k, _)| k.as_str().map(str::to_owned)),
            );
        }
    }
    all_keys
}

/// The operator a program writes for an IAM condition operator: `Null`
/// and `Bool` (whose value is `true` or `false`) are unary tests, the
/// others compare; `None` for what idp cannot say (a quantified `Null`,
/// `...IgnoreCase`).
fn condition_op(parsed: ConditionOperator, values: &[String]) -> Option<ConditionOp> {
    match (parsed.quantifier, parsed.operator, values) {
        (Some(_), Operator::Null, _) => None,
        (_, Operator::Null | Operator::Bool, [one]) => {
            ConditionOp::from_iam_test(parsed.operator, one)
        }
        (_, Operator::Null | Operator::Bool, _) => None,
        (_, operator, _) => ConditionOp::from_iam(operator),
    }
}

/// A role's body, spanning where the role is defined.
pub(super) type RoleBody = Spanned<Vec<Spanned<RoleItem>>>;

/// What a statement of the template holds, as read.
struct StatementElements<'n> {
    effect: Option<Spanned<Effect>>,
    actions: Vec<Spanned<ActionItem>>,
    resources: Vec<&'n Node>,
    condition: Option<&'n Node>,
    /// Whether nothing was reported.
    ok: bool,
}

/// An action item as the template spells it: `s3:Get*`, `*`.
fn action_text(item: &ActionItem) -> String {
    match item {
        ActionItem::Pattern(pattern) => pattern.to_string(),
        ActionItem::Level(level) => level.keyword().to_owned(),
        ActionItem::Any => "*".to_owned(),
    }
}

/// `service:Action` as the grammar accepts it (`s3:Get*`), if it is.
fn action_pattern(text: &str) -> Option<ActionPattern> {
    let (service, action) = text.split_once(':').filter(|_| text::is_action(text))?;
    Some(ActionPattern {
        service: service.to_owned(),
        action: action.to_owned(),
    })
}

/// The service prefixes of a statement's actions, each once.
fn services(actions: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for action in actions {
        if let Some((service, name)) = action.split_once(':') {
            // Amazon Location names maps and place indexes with one service.
            let service =
                if service == "geo" && (name.contains("Place") || name.starts_with("Search")) {
                    "geo-place"
                } else {
                    service
                };
            if !out.iter().any(|s| s == service) {
                out.push(service.to_owned());
            }
        }
    }
    out
}

/// The kind a resource named only in statements most likely is: the one
/// kind of its ARN's shape whose service the actions use.
fn guess_kind(services: &[String], shape: impl Fn(Kind) -> bool) -> Option<Kind> {
    let [service] = services else {
        return None;
    };
    let by_service: &[(&str, Kind)] = &[
        ("s3", Kind::Bucket),
        ("dynamodb", Kind::Table),
        ("lambda", Kind::Function),
        ("sqs", Kind::Queue),
        ("kinesis", Kind::Stream),
        ("appsync", Kind::GraphqlApi),
        ("kms", Kind::Key),
        ("events", Kind::EventBus),
        ("geo", Kind::Map),
        ("geo-place", Kind::PlaceIndex),
        ("iam", Kind::Role),
        ("cognito-idp", Kind::UserPool),
        ("sns", Kind::Topic),
        ("states", Kind::StateMachine),
        ("secretsmanager", Kind::Secret),
    ];
    by_service
        .iter()
        .find(|(s, k)| s == service && shape(*k))
        .map(|(_, k)| *k)
}

/// Whether one of `actions` names a service AWS does not have.
fn unknown_service(actions: &[String]) -> bool {
    let catalog = crate::catalog::Catalog::get();
    actions
        .iter()
        .filter_map(|a| a.split_once(':'))
        .any(|(service, _)| catalog.service(service).is_none())
}
