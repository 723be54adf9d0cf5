//! Step two: names, kinds, variables and each property's own rules.
//!
//! [`check`] resolves every name against the resources the program declares
//! (`use`), defines (pools, roles) or makes (`<Pool>Roles`, ...), checks that
//! each fits its place, and builds the [`Checked`] program. It collects every
//! problem rather than stopping at the first, and reports each mistake once:
//! a name declared twice resolves to its first declaration, a name that
//! failed to resolve is not reported again by later checks, and a name
//! offered as "did you mean" is not also reported as unused.

mod attributes;
mod diagnostic;
mod error;
mod expect;
mod iam;
pub(crate) use iam::sample_arn;
pub mod ir;
pub(crate) mod kinds;
pub(crate) mod limits;
pub(crate) mod policy_vars;
mod pool;
mod role;
mod stack_items;
mod stack_names;
mod stack_refs;
pub use stack_refs::PSEUDO_PARAMETERS;

pub use error::{
    CheckError, CheckErrorKind, Declared, Generated, IamName, MappingLimit, NotApplicable, Quota,
    TagLimit,
};
pub use ir::Checked;
pub use stack_names::{StackFile, StackResource};

use crate::source::FileId;
use crate::suggest::Suggestions;
use crate::syntax::Parsed;
use crate::syntax::ast::{self, Kind, Name, Span};
use ir::OutputDef;
use kinds::{ArnSource, kind_info};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

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

/// Checks a parsed program for the given target, against the stack files
/// its `use "path"` lines name, read by the caller (see [`StackFile`];
/// [`crate::check_program`] reads them). A `use "path"` line without its
/// stack file is an error (E0306), never silently an empty stack.
pub fn check(parsed: &Parsed, target: Target, stack: &[StackFile]) -> Report {
    run(
        Cow::Borrowed(parsed.program()),
        parsed.file(),
        target,
        stack,
    )
}

/// [`check`], dropping each identity pool's syntax tree as soon as the pool
/// is checked, so that the whole tree and the whole checked program are
/// never in memory together (peak memory, BENCHMARKS.md). Same report.
pub(crate) fn check_consuming(parsed: Parsed, target: Target, stack: &[StackFile]) -> Report {
    let file = parsed.file();
    run(Cow::Owned(parsed.into_program()), file, target, stack)
}

fn run(
    mut program: Cow<'_, ast::Program>,
    file: FileId,
    target: Target,
    stack: &[StackFile],
) -> Report {
    let mut checker = Checker {
        target,
        symbols: BTreeMap::new(),
        problems: Vec::new(),
        spoken_for: BTreeSet::new(),
        shared: BTreeMap::new(),
        tag_uses: Vec::new(),
        current_role: None,
        iam: iam::IamCache::default(),
        missed_kinds: BTreeSet::new(),
        suggestions: Suggestions::default(),
        depends_on_names: Vec::new(),
        role_names: std::collections::HashMap::new(),
        policy_blocks: BTreeMap::new(),
        stack_names: stack_refs::StackNames::default(),
    };
    checker.stack_files_read(&program, stack);
    checker.declare_imports(stack);
    checker.declare_all(&program);
    checker.declare_stack_names(&program);
    let managed_policies = checker.managed_policies(&program);
    let shared_roles = checker.shared_role_bodies(&program);
    let pools = checker.pools(&mut program);
    let mut shared_roles = checker.finish_shared_roles(shared_roles, &pools);
    let mut pools = pools;
    checker.managed_policy_tag_uses(&pools, &shared_roles);
    checker.principal_tag_uses(&mut pools, &mut shared_roles);
    checker.drop_repeated_problems();
    let outputs = checker.outputs(&program);
    let expectations = checker.expectations(&program, &pools);
    checker.resolve_depends_on(&pools, &shared_roles);
    checker.unused_uses();
    checker.unused_stack_names();
    // Sizes are measured on a program without errors, so a statement left
    // out for a mistake never makes a size look smaller than it is.
    if checker
        .problems
        .iter()
        .all(|problem| problem.kind.is_warning())
    {
        checker.deploy_limits(&pools, &shared_roles);
        checker.managed_policy_sizes(&managed_policies);
        if target == Target::CloudFormation && pools.is_empty() && shared_roles.is_empty() {
            checker.problem(Span::new(file, 0, 0), CheckErrorKind::EmptyTemplate);
        }
    }
    let external = checker
        .symbols
        .iter()
        .filter(|(_, symbol)| {
            symbol.used
                && matches!(
                    symbol.declared,
                    Declared::Use(_) | Declared::Imported { .. }
                )
        })
        .map(|(name, symbol)| (name.clone(), symbol.cfn_type.clone()))
        .chain(checker.used_stack_names())
        .collect();
    let mut problems = checker.problems;
    problems.sort_by_key(|problem| (problem.span.start, problem.span.end));
    let failed = problems.iter().any(|problem| !problem.kind.is_warning());
    Report {
        checked: (!failed).then_some(Checked {
            pools,
            shared_roles,
            outputs,
            external,
            managed_policies,
            expectations,
        }),
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

/// How pools use a top-level role.
#[derive(Clone, Debug)]
struct SharedRoleUses {
    /// Where the role is defined.
    name_span: Span,
    /// Each use: the pool, how, and where.
    uses: Vec<(String, ast::RoleUsage, Span)>,
    /// `role Name if Cond`: the condition it exists under.
    condition: Option<String>,
}

struct Checker {
    target: Target,
    symbols: BTreeMap<String, Symbol>,
    problems: Vec<CheckError>,
    /// Names already part of a reported mistake (offered as "did you mean",
    /// or declared twice): not also reported as unused.
    spoken_for: BTreeSet<String>,
    /// The top-level roles, by name, and how pools use them.
    shared: BTreeMap<String, SharedRoleUses>,
    /// `$<aws:PrincipalTag/tag>` uses: role, tag, where.
    tag_uses: Vec<(String, String, Span)>,
    /// The role whose body is being checked.
    current_role: Option<String>,
    /// Catalog answers worked out so far.
    iam: iam::IamCache,
    /// Kinds that places wanted but got a name that did not resolve or fit.
    missed_kinds: BTreeSet<Kind>,
    /// "Did you mean" guesses, which share one bounded budget per run.
    suggestions: Suggestions,
    /// The names `depends_on` lines give, resolved once every logical ID
    /// is known.
    depends_on_names: Vec<(String, Name)>,
    /// The `role_name` texts given so far, lower-cased, with where.
    role_names: std::collections::HashMap<String, Span>,
    /// The `policy "Name" as LogicalId` blocks met so far, by logical ID:
    /// one `AWS::IAM::Policy` that several roles may each write.
    policy_blocks: BTreeMap<String, (ast::PolicyBlock, Span)>,
    /// The parameters and conditions of `use parameter` / `use condition`.
    stack_names: stack_refs::StackNames,
}

impl Checker {
    fn problem(&mut self, span: Span, kind: CheckErrorKind) {
        self.problems.push(CheckError { kind, span });
    }

    fn duplicate(&mut self, what: &str, span: Span, first: Span) {
        let kind = CheckErrorKind::DuplicateSetting {
            what: what.to_string(),
            first,
        };
        self.problem(span, kind);
    }

    /// First pass: every logical ID the program declares or defines. IDs
    /// that pools generate are declared when their pool is checked.
    /// Checks every identity pool, in source order. A program the checker
    /// owns loses each pool's tree once the pool is checked; the other
    /// items stay, in order.
    fn pools(&mut self, program: &mut Cow<'_, ast::Program>) -> Vec<ir::Pool> {
        match program {
            Cow::Borrowed(program) => program
                .items
                .iter()
                .filter_map(|item| match item {
                    ast::Item::IdentityPool(pool) => Some(self.pool(pool)),
                    _ => None,
                })
                .collect(),
            Cow::Owned(program) => {
                let mut pools = Vec::new();
                for item in std::mem::take(&mut program.items) {
                    match item {
                        ast::Item::IdentityPool(pool) => pools.push(self.pool(&pool)),
                        other => program.items.push(other),
                    }
                }
                pools
            }
        }
    }

    fn declare_all(&mut self, program: &ast::Program) {
        for item in &program.items {
            match item {
                ast::Item::Use(use_kind) => {
                    for name in &use_kind.names {
                        if self.use_imported(name, use_kind.kind.node) {
                            continue;
                        }
                        let cfn_type = kind_info(use_kind.kind.node).cfn_type;
                        let declared = Declared::Use(name.span);
                        self.declare(name, Some(use_kind.kind.node), cfn_type, declared);
                    }
                }
                ast::Item::IdentityPool(pool) => self.declare_pool(pool),
                ast::Item::Role(role) => {
                    let declared = Declared::Defined(role.name.span);
                    let cfn_type = kind_info(Kind::Role).cfn_type;
                    if self.declare(&role.name, Some(Kind::Role), cfn_type, declared) {
                        let uses = SharedRoleUses {
                            name_span: role.name.span,
                            uses: Vec::new(),
                            condition: None,
                        };
                        self.shared.insert(role.name.node.clone(), uses);
                    }
                }
                ast::Item::ManagedPolicy(policy) => {
                    let declared = Declared::Defined(policy.name.span);
                    let kind = Kind::ManagedPolicy;
                    self.declare(&policy.name, Some(kind), kind_info(kind).cfn_type, declared);
                }
                ast::Item::Output(_)
                | ast::Item::UseFile(_)
                | ast::Item::UseParameter(_)
                | ast::Item::UseCondition(_) => {}
                ast::Item::Expect(expect) => self.role_an_expectation_names(expect),
            }
        }
    }

    /// Declares a pool and the roles defined inside it.
    fn declare_pool(&mut self, pool: &ast::IdentityPool) {
        let kind = Kind::IdentityPool;
        let declared = Declared::Defined(pool.name.span);
        self.declare(&pool.name, Some(kind), kind_info(kind).cfn_type, declared);
        // The role attachment `<Pool>Roles` is declared up front, so a
        // statement naming it is told it has no ARN, not that it is unknown.
        let attaches = pool.body.iter().any(|item| {
            matches!(
                item.node,
                ast::PoolItem::Role(_) | ast::PoolItem::RoleMapping(_)
            )
        });
        // `attachment Name` names it; `<Pool>Roles` otherwise.
        let written = pool.body.iter().find_map(|item| match &item.node {
            ast::PoolItem::Attachment { name, .. } => Some(name.clone()),
            _ => None,
        });
        if attaches {
            let (name, declared) = match written {
                Some(name) => {
                    let declared = Declared::Defined(name.span);
                    (name, declared)
                }
                None => {
                    let name = ast::Spanned::new(attachment_name(&pool.name.node), pool.name.span);
                    let declared = Declared::Generated {
                        pool: pool.name.span,
                        what: Generated::RoleAttachment,
                    };
                    (name, declared)
                }
            };
            self.declare(&name, None, kinds::ROLE_ATTACHMENT_TYPE, declared);
        }
        let mut usages = Vec::new();
        for item in &pool.body {
            if let ast::PoolItem::Role(role) = &item.node {
                // A second role of the same usage is reported once, as a
                // repeated setting, not also as a clashing name; a line
                // without a body refers to a top-level role.
                if usages.contains(&role.usage.node) || role.body.is_none() {
                    continue;
                }
                usages.push(role.usage.node);
                let (name, declared) = role::inline_role_name(pool, role);
                let span = declared_span(&declared);
                let name = ast::Spanned::new(name, span);
                let cfn_type = kind_info(Kind::Role).cfn_type;
                self.declare(&name, Some(Kind::Role), cfn_type, declared);
            }
        }
    }

    /// Declares a logical ID; reports and returns false when it is taken.
    fn declare(
        &mut self,
        name: &Name,
        kind: Option<Kind>,
        cfn_type: &str,
        declared: Declared,
    ) -> bool {
        if name.node.len() > crate::syntax::MAX_NAME_LEN {
            // A long pool name makes several long IDs (`<Pool>AuthRole`,
            // `<Pool>UnauthRole`, `<Pool>Roles`): one mistake, one report.
            let reported = self.problems.iter().any(|problem| {
                problem.span == name.span
                    && matches!(problem.kind, CheckErrorKind::GeneratedNameTooLong { .. })
            });
            if !reported {
                let kind = CheckErrorKind::GeneratedNameTooLong {
                    name: name.node.clone(),
                };
                self.problem(name.span, kind);
            }
            return false;
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
            self.spoken_for.insert(name.node.clone());
            self.problem(name.span, kind);
            return false;
        }
        let symbol = Symbol {
            cfn_type: cfn_type.to_string(),
            kind,
            declared,
            used: false,
        };
        self.symbols.insert(name.node.clone(), symbol);
        true
    }

    /// Resolves a name for a place that wants `wanted`; reports and returns
    /// `None` when it doesn't resolve or doesn't fit.
    fn resolve(&mut self, name: &Name, wanted: Wanted) -> Option<(String, Option<Kind>)> {
        let Some(symbol) = self.symbols.get_mut(&name.node) else {
            let fitting = self
                .symbols
                .iter()
                .filter(|(_, symbol)| wanted.fits(symbol))
                .map(|(name, _)| name.as_str());
            let suggestions = &mut self.suggestions;
            let suggestion = suggestions.did_you_mean(&name.node, fitting).or_else(|| {
                suggestions.did_you_mean(&name.node, self.symbols.keys().map(String::as_str))
            });
            if let Some(suggestion) = &suggestion {
                self.spoken_for.insert(suggestion.clone());
            }
            if let Wanted::Kind(kind) = wanted {
                self.missed_kinds.insert(kind);
            }
            let kind = CheckErrorKind::UnknownName {
                name: name.node.clone(),
                suggestion,
                wanted: wanted.describe(),
            };
            self.problem(name.span, kind);
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
        if let Wanted::Kind(kind) = wanted {
            self.missed_kinds.insert(kind);
        }
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

    /// The outputs, checked once every generated name is known.
    fn outputs(&mut self, program: &ast::Program) -> Vec<OutputDef> {
        let mut outputs = Vec::new();
        let mut names: BTreeMap<String, Span> = BTreeMap::new();
        for item in &program.items {
            let ast::Item::Output(output) = item else {
                continue;
            };
            if let Some(first) = names.get(&output.name.node) {
                let what = format!("output `{}`", output.name.node);
                self.duplicate(&what, output.name.span, *first);
                continue;
            }
            names.insert(output.name.node.clone(), output.name.span);
            if let Some(output) = self.output(output) {
                outputs.push(output);
            }
        }
        self.export_names(program);
        outputs
    }

    fn output(&mut self, output: &ast::Output) -> Option<OutputDef> {
        let (target, _) = self.resolve(&output.target, Wanted::Any)?;
        if let Some(attribute) = &output.attribute {
            let cfn_type = self
                .symbols
                .get(&target)
                .map(|symbol| symbol.cfn_type.clone())
                .unwrap_or_default();
            let known = kinds::attributes_of(&cfn_type);
            if !known.contains(&attribute.node.as_str()) {
                let suggestion = self
                    .suggestions
                    .did_you_mean(&attribute.node, known.iter().copied());
                let kind = CheckErrorKind::UnknownAttribute {
                    attribute: attribute.node.clone(),
                    target: target.clone(),
                    cfn_type,
                    known: known.to_vec(),
                    suggestion,
                };
                self.problem(attribute.span, kind);
                return None;
            }
        }
        let (description, export) = self.output_body(output);
        let condition = self.if_condition(output.condition.as_ref());
        Some(OutputDef {
            name: output.name.node.clone(),
            target,
            attribute: output.attribute.as_ref().map(|attr| attr.node.clone()),
            description,
            export,
            condition,
        })
    }

    /// Warns about `use` declarations nothing refers to, except where the
    /// declaration is part of a mistake already reported: a place that
    /// wanted a kind got another name (the unused one of that kind is likely
    /// what was meant), or the name clashed with another declaration.
    fn unused_uses(&mut self) {
        let unused: Vec<(String, Span)> = self
            .symbols
            .iter()
            .filter(|(name, symbol)| !symbol.used && !self.spoken_for.contains(*name))
            .filter(|(_, symbol)| !symbol.kind.is_some_and(|k| self.missed_kinds.contains(&k)))
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

fn declared_span(declared: &Declared) -> Span {
    match declared {
        Declared::Use(span) | Declared::Defined(span) | Declared::Imported { span, .. } => *span,
        Declared::Generated { pool, .. } => *pool,
    }
}

/// The role attachment a pool makes: `<Pool>Roles`.
pub fn attachment_name(pool: &str) -> String {
    format!("{pool}Roles")
}
