//! The stack-level forms beside pools and roles: an output's settings
//! (`description`, `export`), top-level managed policies, and a role's
//! named policies and attached managed policies.

use super::error::{CheckErrorKind as K, Declared, IamName};
use super::ir::{ManagedPolicy, NamedPolicy, Value};
use super::limits::{
    MANAGED_POLICY_DESCRIPTION_LENGTH, OUTPUT_DESCRIPTION_LENGTH, POLICY_NAME_LENGTH,
};
use super::{Checker, Wanted, ast};
use crate::diag::{Code, Diagnostic};
use crate::syntax::ast::Kind;
use crate::syntax::ast::{OutputItem, Span, TextPart};
use std::collections::BTreeMap;

impl Checker {
    /// An output's `description` and `export`, each at most once.
    pub(super) fn output_body(&mut self, output: &ast::Output) -> (Option<Value>, Option<Value>) {
        let mut description: Option<(Value, Span)> = None;
        let mut export: Option<(Value, Span)> = None;
        for item in output.body.iter().flat_map(|body| &body.node) {
            let (is_description, text) = match &item.node {
                OutputItem::Description(text) => (true, text),
                OutputItem::Export(text) => (false, text),
            };
            let slot = if is_description {
                &description
            } else {
                &export
            };
            if let Some((_, first)) = slot {
                let what = if is_description {
                    "`description`"
                } else {
                    "`export`"
                };
                let first = *first;
                self.duplicate(what, item.span, first);
                continue;
            }
            let value = self.value(text);
            if is_description {
                self.description_length(text);
                description = Some((value, item.span));
            } else {
                export = Some((value, item.span));
            }
        }
        (description.map(|d| d.0), export.map(|e| e.0))
    }

    /// E0240: a description CloudFormation refuses for its length, counted
    /// on its literal characters (a Serverless variable only adds some).
    /// E0245: a description CloudFormation would get as a function: it
    /// takes literal text only (Serverless fills in its variables before).
    fn description_length(&mut self, text: &ast::Text) {
        let length = super::pool::literal_parts(text).chars().count();
        if length > OUTPUT_DESCRIPTION_LENGTH.value {
            self.problem(text.span, K::OutputDescriptionLength { length });
        }
        // A policy variable is written as a function for Serverless only
        // (a plain template holds it as literal `${...}` text).
        let serverless = self.target == super::Target::Serverless;
        let computed = text.parts.iter().find(|part| match part.node {
            TextPart::Literal(_) | TextPart::ServerlessVar(_) => false,
            TextPart::PolicyVar(_) => serverless,
            // Any other part (a reference the language may add) is a function.
            #[allow(unreachable_patterns)]
            _ => true,
        });
        if let Some(part) = computed {
            self.problem(part.span, K::OutputDescriptionNotLiteral);
        }
    }

    /// E0241: two outputs that export the same name (as written: the same
    /// text, Serverless variables included, is the same name).
    pub(super) fn export_names(&mut self, program: &ast::Program) {
        let mut first: BTreeMap<String, Span> = BTreeMap::new();
        for item in &program.items {
            let ast::Item::Output(output) = item else {
                continue;
            };
            let exports = output.body.iter().flat_map(|body| &body.node);
            // Only the first `export` of an output counts (E0107 otherwise).
            let Some(text) = exports
                .filter_map(|item| match &item.node {
                    OutputItem::Export(text) => Some(text),
                    OutputItem::Description(_) => None,
                })
                .next()
            else {
                continue;
            };
            let name = text.as_written();
            match first.get(&name) {
                Some(span) => {
                    let kind = K::DuplicateExport { name, first: *span };
                    self.problem(text.span, kind);
                }
                None => {
                    first.insert(name, text.span);
                }
            }
        }
    }
}

/// How the problems of this module read.
pub(super) fn diagnostic(code: Code, span: Span, kind: &K) -> Diagnostic {
    match kind {
        K::OutputDescriptionLength { length } => {
            let limit = OUTPUT_DESCRIPTION_LENGTH.value;
            let message = format!(
                "this output description is {length} characters long; CloudFormation accepts at most {limit}"
            );
            Diagnostic::new(code, message, span)
                .with_label(format!("at most {limit} characters"))
                .with_help("shorten the description, or leave it out")
        }
        K::OutputDescriptionNotLiteral => Diagnostic::new(
            code,
            "an output's description must be literal text",
            span,
        )
        .with_label("CloudFormation would get this as a function")
        .with_note("CloudFormation takes an output's `Description` as a literal string: no parameter or function")
        .with_help("write the text itself (a Serverless variable such as `${sls:stage}` is fine: Serverless fills it in first)"),
        K::ManagedPolicyDescriptionLength { length } => {
            let limit = MANAGED_POLICY_DESCRIPTION_LENGTH.value;
            Diagnostic::new(
                code,
                format!(
                    "this managed policy description is {length} characters long; IAM accepts at most {limit}"
                ),
                span,
            )
            .with_label(format!("at most {limit} characters"))
            .with_help("shorten the description, or leave it out")
        }
        K::SharedPolicyDiffers { id, first } => Diagnostic::new(
            code,
            format!("`{id}` is one `AWS::IAM::Policy`, but its roles write it differently"),
            span,
        )
        .with_label("not the policy written first")
        .with_secondary(*first, "first written here")
        .with_note(format!(
            "`policy \"Name\" as {id}` in several roles is one resource whose `Roles` lists them all: its name and statements are written once"
        ))
        .with_help(format!(
            "give each block the same name and statements, or give one of them another logical ID than `{id}`"
        )),
        K::ManagedPolicyTooLarge { policy, size } => Diagnostic::new(
            code,
            format!(
                "the managed policy `{policy}` is at least {} characters long; IAM accepts at most {}",
                super::limits::thousands(*size),
                super::limits::thousands(super::limits::MANAGED_POLICY_SIZE.value)
            ),
            span,
        )
        .with_label("this statement takes it over the limit")
        .with_note(format!(
            "counted as IAM counts, without white space, on the policy idpc writes: {}",
            super::limits::COUNTED_AS
        ))
        .with_help("merge statements (one statement can list several actions and resources), use wildcards or access levels where they grant the same, or split the policy in two managed policies"),
        K::DuplicateExport { name, first } => Diagnostic::new(
            code,
            format!("two outputs export the name `{name}`"),
            span,
        )
        .with_label("exported again here")
        .with_secondary(*first, "first exported here")
        .with_help(
            "export names are unique in an account and Region: give each output its own `export` name",
        ),
        _ => Diagnostic::new(code, "internal error: misrouted diagnostic", span),
    }
}

impl Checker {
    /// A role's `managed_policy Name` line: a managed policy of the program
    /// or of the stack; `None` when it isn't one (reported) or is attached
    /// already (E0107).
    pub(super) fn attached_policy(
        &mut self,
        name: &ast::Name,
        attached: &[(usize, String, Span)],
    ) -> Option<String> {
        let (id, _) = self.resolve(name, Wanted::Kind(Kind::ManagedPolicy))?;
        if let Some((_, _, first)) = attached.iter().find(|(_, other, _)| *other == id) {
            let first = *first;
            self.duplicate(&format!("managed policy `{id}`"), name.span, first);
            return None;
        }
        Some(id)
    }

    /// A role's `policy "Name" [as LogicalId] { ... }` block; `None` when
    /// its name repeats one of the role's policies (E0107).
    pub(super) fn policy_block(
        &mut self,
        block: &ast::PolicyBlock,
        span: Span,
        earlier: &[(NamedPolicy, Span)],
        default: Option<(&Value, Span)>,
    ) -> Option<(NamedPolicy, Span)> {
        self.policy_name_rule(&block.name);
        self.policy_name_length(&block.name);
        let name = self.value(&block.name);
        let first = earlier
            .iter()
            .find(|(policy, _)| policy.name == name)
            .map(|(_, span)| *span)
            .or_else(|| default.filter(|(value, _)| **value == name).map(|(_, s)| s));
        if let Some(first) = first {
            let what = format!("policy `{}`", block.name.as_written());
            self.duplicate(&what, block.name.span, first);
            return None;
        }
        if let Some(id) = &block.logical_id {
            match self.policy_blocks.get(&id.node) {
                // Another role's block of the same resource: the same policy.
                Some((first, first_span)) => {
                    if first.name != block.name || first.statements != block.statements {
                        let kind = K::SharedPolicyDiffers {
                            id: id.node.clone(),
                            first: *first_span,
                        };
                        self.problem(id.span, kind);
                    }
                }
                None => {
                    let declared = Declared::Defined(id.span);
                    if self.declare(id, None, POLICY_TYPE, declared) {
                        self.policy_blocks
                            .insert(id.node.clone(), (block.clone(), id.span));
                    }
                }
            }
        }
        let statements = block
            .statements
            .iter()
            .map(|statement| self.statement(&statement.node, statement.span))
            .collect();
        let policy = NamedPolicy {
            name,
            logical_id: block.logical_id.as_ref().map(|id| id.node.clone()),
            statements,
        };
        Some((policy, span))
    }

    /// Checks every top-level `managed_policy`: its name, description and
    /// statements, as a role's.
    pub(super) fn managed_policies(&mut self, program: &ast::Program) -> Vec<ManagedPolicy> {
        let mut policies = Vec::new();
        for item in &program.items {
            if let ast::Item::ManagedPolicy(policy) = item {
                policies.push(self.managed_policy(policy));
            }
        }
        policies
    }

    fn managed_policy(&mut self, policy: &ast::ManagedPolicyDecl) -> ManagedPolicy {
        // Its `$<aws:PrincipalTag/...>` uses are recorded under its own
        // name, then judged in each role that attaches it.
        self.current_role = Some(policy.name.node.clone());
        let checked = self.managed_policy_body(policy);
        self.current_role = None;
        checked
    }

    /// Hands each `$<aws:PrincipalTag/...>` of a managed policy to every
    /// role of the program that attaches it, to be judged against that
    /// role's pools; a policy no role attaches has no pools to judge by.
    pub(super) fn managed_policy_tag_uses(
        &mut self,
        pools: &[super::ir::Pool],
        shared: &[super::ir::Role],
    ) {
        let roles: Vec<&super::ir::Role> = pools
            .iter()
            .flat_map(|pool| &pool.roles)
            .chain(shared)
            .collect();
        let uses = std::mem::take(&mut self.tag_uses);
        for (owner, tag, span) in uses {
            let attaching: Vec<&str> = roles
                .iter()
                .filter(|role| role.attached_policies.iter().any(|(_, id)| *id == owner))
                .map(|role| role.logical_id.as_str())
                .collect();
            let is_policy = self
                .symbols
                .get(&owner)
                .is_some_and(|symbol| symbol.kind == Some(Kind::ManagedPolicy));
            if !is_policy {
                self.tag_uses.push((owner, tag, span));
                continue;
            }
            for role in attaching {
                self.tag_uses.push((role.to_owned(), tag.clone(), span));
            }
        }
    }

    /// One mistake, one report: a managed policy's principal tag judged in
    /// two roles may be found unmapped twice.
    pub(super) fn drop_repeated_problems(&mut self) {
        let mut seen: Vec<super::CheckError> = Vec::new();
        self.problems.retain(|problem| {
            let tag = matches!(
                problem.kind,
                K::UnmappedPrincipalTag { .. } | K::DefaultPrincipalTag { .. }
            );
            if !tag {
                return true;
            }
            let new = !seen.contains(problem);
            if new {
                seen.push(problem.clone());
            }
            new
        });
    }

    fn managed_policy_body(&mut self, policy: &ast::ManagedPolicyDecl) -> ManagedPolicy {
        let mut name: Option<(Value, Span)> = None;
        let mut description: Option<(Value, Span)> = None;
        let mut statements = Vec::new();
        for item in &policy.body.node {
            match &item.node {
                ast::ManagedPolicyItem::Name(text) => {
                    if let Some((_, first)) = &name {
                        let first = *first;
                        self.duplicate("`name`", item.span, first);
                        continue;
                    }
                    self.iam_policy_name_rule(text, "ManagedPolicyName");
                    self.managed_policy_name_length(text);
                    name = Some((self.value(text), item.span));
                }
                ast::ManagedPolicyItem::Description(text) => {
                    if let Some((_, first)) = &description {
                        let first = *first;
                        self.duplicate("`description`", item.span, first);
                        continue;
                    }
                    let length = super::pool::literal_parts(text).chars().count();
                    if length > MANAGED_POLICY_DESCRIPTION_LENGTH.value {
                        let kind = K::ManagedPolicyDescriptionLength { length };
                        self.problem(text.span, kind);
                    }
                    description = Some((self.value(text), item.span));
                }
                ast::ManagedPolicyItem::Statement(statement) => {
                    statements.push(self.statement(statement, item.span));
                }
            }
        }
        ManagedPolicy {
            logical_id: policy.name.node.clone(),
            name: name.map(|(value, _)| value),
            description: description.map(|(value, _)| value),
            statements,
            condition: self.if_condition(policy.condition.as_ref()),
        }
    }

    /// E0214 for a `ManagedPolicyName`: IAM's "Policy name" quota.
    fn managed_policy_name_length(&mut self, text: &ast::Text) {
        let length = super::pool::literal_parts(text).chars().count();
        if length > POLICY_NAME_LENGTH.value {
            let kind = K::NameTooLongForIam {
                what: IamName::ManagedPolicy,
                limit: POLICY_NAME_LENGTH.value,
                length,
            };
            self.problem(text.span, kind);
        }
    }
}

/// The CloudFormation type of `policy "Name" as LogicalId`.
pub(crate) const POLICY_TYPE: &str = "AWS::IAM::Policy";
