//! Step two: names, kinds and variables.
//!
//! [`check`] resolves every name against the resources the program declares
//! (`use`), defines (pools, roles) or makes (`<Pool>Roles`), checks that
//! each fits its place, and builds the [`Checked`] program. It collects every
//! problem rather than stopping at the first, and reports each mistake once:
//! a name declared twice resolves to its first declaration, and a name that
//! failed to resolve is not reported again by later checks.

mod error;
pub mod ir;
pub mod kinds;
pub mod policy_vars;

pub use error::{CheckError, CheckErrorKind, Declared};
pub use ir::Checked;

use crate::suggest::did_you_mean;
use crate::syntax::Parsed;
use crate::syntax::ast::{self, Kind, Name, RoleUsage, Span, Spanned, Text, TextPart};
use ir::{OutputDef, Piece, Pool, ResourceDef, Role, Statement, UserPoolProvider, Value};
use kinds::{ArnSource, ROLE_ATTACHMENT_ATTRIBUTES, ROLE_ATTACHMENT_TYPE, kind_info};
use policy_vars::PolicyVar;
use std::collections::BTreeMap;

/// What the output will be: decides whether Serverless variables may appear.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Target {
    /// A `resources:` fragment for a Serverless Framework app.
    #[default]
    Serverless,
    /// A whole CloudFormation template.
    CloudFormation,
}

/// The checker's verdict: the checked program when there were no errors,
/// and every problem found (errors and warnings) in source order.
#[derive(Clone, Debug)]
pub struct Report {
    /// `Some` exactly when `problems` holds no error.
    pub checked: Option<Checked>,
    /// Errors and warnings, ordered by position.
    pub problems: Vec<CheckError>,
}

/// Checks a parsed program for the given target.
pub fn check(parsed: &Parsed, target: Target) -> Report {
    let mut checker = Checker {
        target,
        symbols: BTreeMap::new(),
        problems: Vec::new(),
        suggested: Vec::new(),
    };
    checker.declare_all(&parsed.program);
    let mut pools = Vec::new();
    let mut outputs = Vec::new();
    let mut output_names: BTreeMap<&str, Span> = BTreeMap::new();
    for item in &parsed.program.items {
        match item {
            ast::Item::Use(_) => {}
            ast::Item::IdentityPool(pool) => pools.push(checker.pool(pool)),
            ast::Item::Output(output) => {
                if let Some(first) = output_names.get(output.name.node.as_str()) {
                    checker.problem(
                        output.name.span,
                        CheckErrorKind::DuplicateSetting {
                            what: format!("output `{}`", output.name.node),
                            first: *first,
                        },
                    );
                } else {
                    output_names.insert(&output.name.node, output.name.span);
                }
                if let Some(output) = checker.output(output) {
                    outputs.push(output);
                }
            }
        }
    }
    checker.unused_uses();
    let mut problems = checker.problems;
    problems.sort_by_key(|problem| (problem.span.start, problem.span.end));
    let failed = problems.iter().any(|problem| !problem.kind.is_warning());
    Report {
        checked: (!failed).then_some(Checked { pools, outputs }),
        problems,
    }
}

/// A logical ID the program knows.
#[derive(Clone, Debug)]
struct Symbol {
    /// Its CloudFormation type.
    cfn_type: String,
    /// Its kind, when the language has one for that type.
    kind: Option<Kind>,
    /// Where it comes from.
    declared: Declared,
    /// Whether anything refers to it.
    used: bool,
}

/// What a place in the program accepts.
#[derive(Clone, Copy, Debug)]
enum Wanted {
    /// A resource of this kind.
    Kind(Kind),
    /// Any resource with an ARN.
    Arn,
    /// Any resource at all.
    Any,
}

impl Wanted {
    fn describe(self) -> String {
        match self {
            Wanted::Kind(kind) => format!("a `{kind}`"),
            Wanted::Arn => "a resource with an ARN".to_string(),
            Wanted::Any => "a resource".to_string(),
        }
    }

    fn fits(self, symbol: &Symbol) -> bool {
        match self {
            Wanted::Kind(kind) => symbol.kind == Some(kind),
            Wanted::Arn => symbol
                .kind
                .is_some_and(|kind| kind_info(kind).arn != ArnSource::None),
            Wanted::Any => true,
        }
    }
}

struct Checker {
    target: Target,
    symbols: BTreeMap<String, Symbol>,
    problems: Vec<CheckError>,
    /// Names offered as "did you mean": not also reported as unused.
    suggested: Vec<String>,
}

impl Checker {
    fn problem(&mut self, span: Span, kind: CheckErrorKind) {
        self.problems.push(CheckError { kind, span });
    }

    /// First pass: every logical ID the program declares, defines or makes.
    fn declare_all(&mut self, program: &ast::Program) {
        for item in &program.items {
            match item {
                ast::Item::Use(use_kind) => {
                    for name in &use_kind.names {
                        let cfn_type = kind_info(use_kind.kind.node).cfn_type;
                        self.declare(
                            name,
                            Some(use_kind.kind.node),
                            cfn_type,
                            Declared::Use(name.span),
                        );
                    }
                }
                ast::Item::IdentityPool(pool) => self.declare_pool(pool),
                ast::Item::Output(_) => {}
            }
        }
    }

    fn declare_pool(&mut self, pool: &ast::IdentityPool) {
        let kind = Kind::IdentityPool;
        self.declare(
            &pool.name,
            Some(kind),
            kind_info(kind).cfn_type,
            Declared::Defined(pool.name.span),
        );
        let mut usages = Vec::new();
        for item in &pool.body {
            if let ast::PoolItem::Role(role) = &item.node {
                // A second role of the same usage is reported once, as a
                // repeated setting, not also as a clashing name.
                if usages.contains(&role.usage.node) {
                    continue;
                }
                usages.push(role.usage.node);
                let (name, declared) = role_name(pool, role);
                let name = Spanned::new(name, declared_span(&declared));
                self.declare(
                    &name,
                    Some(Kind::Role),
                    kind_info(Kind::Role).cfn_type,
                    declared,
                );
            }
        }
        if !usages.is_empty() {
            let name = Spanned::new(attachment_name(&pool.name.node), pool.name.span);
            let declared = Declared::Generated {
                pool: pool.name.span,
                what: "role attachment",
            };
            self.declare(&name, None, ROLE_ATTACHMENT_TYPE, declared);
        }
    }

    fn declare(&mut self, name: &Name, kind: Option<Kind>, cfn_type: &str, declared: Declared) {
        if name.node.len() > crate::syntax::MAX_NAME_LEN {
            // A long pool name makes several long IDs (`<Pool>AuthRole`,
            // `<Pool>UnauthRole`, `<Pool>Roles`): one mistake, one report.
            let reported = self.problems.iter().any(|problem| {
                problem.span == name.span
                    && matches!(problem.kind, CheckErrorKind::GeneratedNameTooLong { .. })
            });
            if reported {
                return;
            }
            self.problem(
                name.span,
                CheckErrorKind::GeneratedNameTooLong {
                    name: name.node.clone(),
                },
            );
            return;
        }
        if let Some(first) = self.symbols.get(&name.node) {
            let this = match declared {
                Declared::Generated { what, .. } => Some(what),
                _ => None,
            };
            let kind = CheckErrorKind::DuplicateName {
                name: name.node.clone(),
                first: first.declared.clone(),
                this,
            };
            self.problem(name.span, kind);
            return;
        }
        self.symbols.insert(
            name.node.clone(),
            Symbol {
                cfn_type: cfn_type.to_string(),
                kind,
                declared,
                // Only `use` declarations can be unused; the rest are output.
                used: false,
            },
        );
    }

    /// Resolves a name for a place that wants `wanted`; reports and returns
    /// `None` when it doesn't resolve or doesn't fit.
    fn resolve(&mut self, name: &Name, wanted: Wanted) -> Option<(String, Option<Kind>)> {
        let Some(symbol) = self.symbols.get_mut(&name.node) else {
            let fitting: Vec<&str> = self
                .symbols
                .iter()
                .filter(|(_, symbol)| wanted.fits(symbol))
                .map(|(name, _)| name.as_str())
                .collect();
            let suggestion = did_you_mean(&name.node, fitting.iter().copied())
                .or_else(|| did_you_mean(&name.node, self.symbols.keys().map(String::as_str)));
            if let Some(suggestion) = &suggestion {
                self.suggested.push(suggestion.clone());
            }
            self.problem(
                name.span,
                CheckErrorKind::UnknownName {
                    name: name.node.clone(),
                    suggestion,
                    wanted: wanted.describe(),
                },
            );
            return None;
        };
        symbol.used = true;
        if wanted.fits(symbol) {
            return Some((name.node.clone(), symbol.kind));
        }
        let found = match symbol.kind {
            Some(kind) => format!("`{kind}`"),
            None => format!("a `{}`", symbol.cfn_type),
        };
        let declared = symbol.declared.clone();
        let kind = match wanted {
            Wanted::Kind(kind) => CheckErrorKind::WrongKind {
                name: name.node.clone(),
                expected: vec![kind],
                found,
                declared,
            },
            Wanted::Arn | Wanted::Any => CheckErrorKind::NoArn {
                name: name.node.clone(),
                kind: found,
                declared,
            },
        };
        self.problem(name.span, kind);
        None
    }

    fn pool(&mut self, pool: &ast::IdentityPool) -> Pool {
        let mut name = None;
        let mut user_pools = Vec::new();
        let mut provider_spans: Vec<((String, String), Span)> = Vec::new();
        let mut roles = Vec::new();
        let mut role_spans: BTreeMap<RoleUsage, Span> = BTreeMap::new();
        for item in &pool.body {
            match &item.node {
                ast::PoolItem::PoolName(text) => {
                    if let Some((_, first)) = &name {
                        self.duplicate("`name`", item.span, *first);
                    } else {
                        name = Some((self.value(text), item.span));
                    }
                }
                ast::PoolItem::UserPoolProvider(provider) => {
                    let key = (
                        provider.user_pool.node.clone(),
                        provider.client.node.clone(),
                    );
                    if let Some((_, first)) = provider_spans.iter().find(|(k, _)| *k == key) {
                        let what = format!("provider `user_pool {} client {}`", key.0, key.1);
                        self.duplicate(&what, item.span, *first);
                        continue;
                    }
                    provider_spans.push((key, item.span));
                    let user_pool = self.resolve(&provider.user_pool, Wanted::Kind(Kind::UserPool));
                    let client = self.resolve(&provider.client, Wanted::Kind(Kind::UserPoolClient));
                    if let (Some((user_pool, _)), Some((client, _))) = (user_pool, client) {
                        user_pools.push(UserPoolProvider {
                            user_pool,
                            client,
                            server_side_token_check: provider.server_side_token_check.is_some(),
                        });
                    }
                }
                ast::PoolItem::Role(role) => {
                    let usage = role.usage.node;
                    if let Some(first) = role_spans.get(&usage) {
                        let what = format!("`{} role`", usage.keyword());
                        self.duplicate(&what, role.usage.span, *first);
                        continue;
                    }
                    role_spans.insert(usage, role.usage.span);
                    roles.push(self.role(pool, role));
                }
            }
        }
        roles.sort_by_key(|role| role.usage);
        let attachment = (!roles.is_empty()).then(|| attachment_name(&pool.name.node));
        Pool {
            logical_id: pool.name.node.clone(),
            name: name
                .map(|(value, _)| value)
                .unwrap_or_else(|| Value::literal(pool.name.node.clone())),
            user_pools,
            attachment,
            roles,
        }
    }

    fn duplicate(&mut self, what: &str, span: Span, first: Span) {
        let kind = CheckErrorKind::DuplicateSetting {
            what: what.to_string(),
            first,
        };
        self.problem(span, kind);
    }

    fn role(&mut self, pool: &ast::IdentityPool, role: &ast::PoolRole) -> Role {
        let (logical_id, _) = role_name(pool, role);
        let mut policy_name: Option<(Value, Span)> = None;
        let mut statements = Vec::new();
        for item in &role.body.node {
            match &item.node {
                ast::RoleItem::PolicyName(text) => {
                    if let Some((_, first)) = &policy_name {
                        self.duplicate("`policy`", item.span, *first);
                    } else {
                        policy_name = Some((self.value(text), item.span));
                    }
                }
                ast::RoleItem::Statement(statement) => statements.push(self.statement(statement)),
            }
        }
        Role {
            policy_name: policy_name
                .map(|(value, _)| value)
                .unwrap_or_else(|| Value::literal(format!("{logical_id}Policy"))),
            logical_id,
            usage: role.usage.node,
            trusted_pools: vec![pool.name.node.clone()],
            statements,
        }
    }

    fn statement(&mut self, statement: &ast::Statement) -> Statement {
        let actions = statement
            .actions
            .iter()
            .map(|action| action.node.to_string())
            .collect();
        let mut resources = Vec::new();
        for resource in &statement.resources {
            match &resource.node {
                ast::Resource::Any => resources.push(ResourceDef::Any),
                ast::Resource::Arn(text) => {
                    let value = self.value(text);
                    if let Some(Piece::Literal(first)) = value.pieces.first()
                        && !first.starts_with("arn:")
                    {
                        let kind = CheckErrorKind::NotAnArn {
                            text: text.as_written(),
                        };
                        self.problem(text.span, kind);
                    }
                    resources.push(ResourceDef::Arn(value));
                }
                ast::Resource::Named { name, path } => {
                    let path = path.as_ref().map(|path| self.value(path));
                    if let Some((logical_id, Some(kind))) = self.resolve(name, Wanted::Arn) {
                        resources.push(ResourceDef::Of {
                            logical_id,
                            kind,
                            path,
                        });
                    }
                }
            }
        }
        Statement {
            effect: statement.effect.node,
            actions,
            resources,
        }
    }

    fn output(&mut self, output: &ast::Output) -> Option<OutputDef> {
        let (target, kind) = self.resolve(&output.target, Wanted::Any)?;
        if let Some(attribute) = &output.attribute {
            let (cfn_type, known): (&str, &[&'static str]) = match kind {
                Some(kind) => (kind_info(kind).cfn_type, kind_info(kind).attributes),
                None => (ROLE_ATTACHMENT_TYPE, ROLE_ATTACHMENT_ATTRIBUTES),
            };
            if !known.contains(&attribute.node.as_str()) {
                let suggestion = did_you_mean(&attribute.node, known.iter().copied());
                let kind = CheckErrorKind::UnknownAttribute {
                    attribute: attribute.node.clone(),
                    target: target.clone(),
                    cfn_type: cfn_type.to_string(),
                    known: known.to_vec(),
                    suggestion,
                };
                self.problem(attribute.span, kind);
                return None;
            }
        }
        Some(OutputDef {
            name: output.name.node.clone(),
            target,
            attribute: output.attribute.as_ref().map(|attr| attr.node.clone()),
        })
    }

    /// Resolves a text's variables, reporting unknown policy variables and
    /// Serverless variables the target can't carry.
    fn value(&mut self, text: &Text) -> Value {
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
                TextPart::PolicyVar(key) => match policy_vars::resolve(key) {
                    Some(PolicyVar::Key(key)) => pieces.push(Piece::PolicyVar(key)),
                    Some(PolicyVar::PrincipalTag(tag)) => {
                        let key = format!("{}{tag}", policy_vars::PRINCIPAL_TAG_PREFIX);
                        pieces.push(Piece::PolicyVar(key));
                    }
                    None => {
                        let suggestion = did_you_mean(key, policy_vars::candidates());
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

    fn unused_uses(&mut self) {
        let unused: Vec<(String, Span)> = self
            .symbols
            .iter()
            .filter(|(name, symbol)| !symbol.used && !self.suggested.contains(name))
            .filter_map(|(name, symbol)| match symbol.declared {
                Declared::Use(span) => Some((name.clone(), span)),
                _ => None,
            })
            .collect();
        for (name, span) in unused {
            self.problem(span, CheckErrorKind::UnusedUse { name });
        }
    }
}

/// A role's logical ID and where it comes from: written, or `<Pool>AuthRole`
/// / `<Pool>UnauthRole` made up for the pool.
fn role_name(pool: &ast::IdentityPool, role: &ast::PoolRole) -> (String, Declared) {
    match &role.name {
        Some(name) => (name.node.clone(), Declared::Defined(name.span)),
        None => {
            let suffix = match role.usage.node {
                RoleUsage::Authenticated => "AuthRole",
                RoleUsage::Unauthenticated => "UnauthRole",
            };
            let declared = Declared::Generated {
                pool: pool.name.span,
                what: match role.usage.node {
                    RoleUsage::Authenticated => "authenticated role",
                    RoleUsage::Unauthenticated => "unauthenticated role",
                },
            };
            (format!("{}{suffix}", pool.name.node), declared)
        }
    }
}

fn declared_span(declared: &Declared) -> Span {
    match declared {
        Declared::Use(span) | Declared::Defined(span) => *span,
        Declared::Generated { pool, .. } => *pool,
    }
}

/// The role attachment a pool makes: `<Pool>Roles`.
pub fn attachment_name(pool: &str) -> String {
    format!("{pool}Roles")
}
