//! `idpc check` of what a team already has: a CloudFormation template
//! (YAML with short tags, or JSON), a Serverless resources file, or a whole
//! `serverless.yml` with its `${file(...)}` includes.
//!
//! The audit reads each file of the stack that defines identity pools the
//! way `idpc import` does (`importer::read_for_audit`): the pools, their
//! role attachments, principal tags and the roles they hand out become a
//! program whose every node spans the file it came from. That program goes
//! through the same checker and least-privilege lints as a `.idp` program,
//! so their findings point into the YAML or JSON, with the same codes.
//! Beside them, the audit judges what only hand-written YAML can get wrong
//! (`trust`: who can assume the roles; `template`: policy versions, guests,
//! role-mapping keys, what Serverless and YAML readers do to the text).
//!
//! What idpc does not model (an `Fn::If` it cannot read, a property the
//! language has no form for) is skipped with a note naming it (N0801),
//! never a crash and never a silent pass: a statement idpc cannot read
//! whole is left out of the judgement, and the note says so.

mod template;
mod trust;

use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic, Severity, Sources, ToDiagnostic as _};
use crate::importer::{AuditRead, read_for_audit};
use crate::lints::Suppressed;
use crate::source::{FileId, Span};
use crate::stack_reader::{self, Limits, StackKind, tree};
use crate::syntax::ast::{Item, PoolItem, Program, RoleItem, Spanned};

/// What [`audit`] found.
#[derive(Debug)]
pub struct Audit {
    /// Every diagnostic shown, after `idpc.toml` levels, in file order.
    pub diagnostics: Vec<Diagnostic>,
    /// What an `allow` level dropped (SARIF lists them as suppressed).
    pub suppressed: Vec<Suppressed>,
    /// Every file read: the one named, then its includes.
    pub inputs: Vec<PathBuf>,
}

/// Whether `path` names a template or `serverless.yml` rather than a
/// program: by its extension (`.yml`, `.yaml`, `.json`, `.template`).
pub fn is_template(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["yml", "yaml", "json", "template"]
            .iter()
            .any(|t| e.eq_ignore_ascii_case(t))
    })
}

/// Audits the stack in `path` (a template, a resources file or a
/// `serverless.yml` with its includes), checking it for `options.target`
/// with `options.lints` levels. Every file read is added to `sources`.
pub fn audit(path: &Path, options: &crate::Options, sources: &mut Sources) -> Audit {
    let limits = Limits::default();
    let stack = match stack_reader::read_stack(path, &limits, sources) {
        Ok(stack) => stack,
        Err(err) => {
            return Audit {
                diagnostics: vec![err.to_audit_diagnostic()],
                suppressed: Vec::new(),
                inputs: vec![path.to_path_buf()],
            };
        }
    };
    let mut diagnostics = Vec::new();
    for file in &stack.files {
        let known: Vec<(String, String)> = stack
            .resources
            .iter()
            .filter(|r| r.origin.span().file != file.file)
            .map(|r| (r.logical_id.clone(), r.cfn_type.clone()))
            .collect();
        let json = file
            .path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        diagnostics.extend(audit_file(
            file.file, json, stack.kind, known, options, sources,
        ));
    }
    let (diagnostics, suppressed) =
        crate::lints::apply(in_order(diagnostics), None, &options.lints);
    Audit {
        diagnostics,
        suppressed,
        inputs: stack.files.iter().map(|f| f.path.clone()).collect(),
    }
}

/// [`audit`] of one template given as text, shown as `name` (its
/// `${file(...)}` includes are not followed): for tools that hold the text.
pub fn audit_text(
    name: &str,
    text: &str,
    options: &crate::Options,
    sources: &mut Sources,
) -> Audit {
    let file = sources.add(name, text);
    let json = name.to_ascii_lowercase().ends_with(".json");
    let kind = match tree::parse(text, file, json, &Limits::default()) {
        Ok(root) if crate::stack_reader::is_service(&root) => StackKind::Serverless,
        Ok(_) => StackKind::Template,
        Err((why, span)) => {
            let diagnostic = Diagnostic::new(
                Code::E0302,
                format!("`{name}` is not a template idpc can read: {why}"),
                span.unwrap_or(Span::new(file, 0, 0)),
            )
            .with_label("here")
            .with_help("fix the YAML or JSON so CloudFormation would accept it");
            return Audit {
                diagnostics: vec![diagnostic],
                suppressed: Vec::new(),
                inputs: Vec::new(),
            };
        }
    };
    let diagnostics = audit_file(file, json, kind, Vec::new(), options, sources);
    let (diagnostics, suppressed) =
        crate::lints::apply(in_order(diagnostics), None, &options.lints);
    Audit {
        diagnostics,
        suppressed,
        inputs: Vec::new(),
    }
}

/// The diagnostics in the order of their files and places.
fn in_order(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostics.sort_by_key(|d| {
        d.primary().map_or((usize::MAX, 0, 0), |l| {
            (l.span.file, l.span.start, l.span.end)
        })
    });
    diagnostics
}

/// The findings in one file of the stack.
fn audit_file(
    file: FileId,
    json: bool,
    kind: StackKind,
    known: Vec<(String, String)>,
    options: &crate::Options,
    sources: &mut Sources,
) -> Vec<Diagnostic> {
    let text = sources.text(file).to_owned();
    let Ok(root) = tree::parse(&text, file, json, &Limits::default()) else {
        // The stack reader read it; a file it could not read was an error.
        return Vec::new();
    };
    let mut found = template::review(&root, &text, kind);
    found.extend(trust::review(&root));
    let AuditRead { program, said } = read_for_audit(file, &text, &root, known, sources);
    // Every label of a finding: what import refuses there is said already.
    let findings_at: Vec<Span> = found
        .iter()
        .flat_map(|d| d.labels.iter().map(|l| l.span))
        .collect();
    found.extend(said.iter().filter_map(version_finding));
    let skipped = skipped(said, &findings_at);
    let partial = !skipped.is_empty();
    found.extend(skipped);
    if let Some(program) = program {
        found.extend(judge(program, file, options.target, partial));
    }
    found
}

/// W0808: what import refuses as E0753 (a policy without `Version` that
/// uses policy variables) is, in a template, a policy that allows
/// something else than it seems to.
fn version_finding(said: &Diagnostic) -> Option<Diagnostic> {
    if said.code != Code::E0753 {
        return None;
    }
    let mut finding = Diagnostic::unlabelled(Code::W0808, said.message.clone());
    for label in &said.labels {
        // Import's secondary labels compare with the program it would
        // write; here there is only the template.
        let label = if label.primary {
            label.clone()
        } else {
            crate::diag::Label::secondary(label.span, "literal text in version `2008-10-17`")
        };
        finding = finding.with_labelled(label);
    }
    Some(
        finding
            .with_note("without `Version`, IAM reads the policy as version `2008-10-17`, in which `${...}` is literal text: the statement matches only resources named with those very characters")
            .with_help("add `Version: \"2012-10-17\"` to the policy document"),
    )
}

/// What import said, as the audit says it: an error is a part of the file
/// idpc does not model (N0801), unless the audit judges it itself (trust
/// policies, policy versions, guests) or a finding is already there.
fn skipped(said: Vec<Diagnostic>, findings_at: &[Span]) -> Vec<Diagnostic> {
    said.into_iter()
        .filter(|d| d.severity() == Severity::Error)
        .filter(|d| !matches!(d.code, Code::E0703 | Code::E0753 | Code::E0707 | Code::E0708))
        .filter(|d| {
            d.primary()
                .is_none_or(|l| !findings_at.iter().any(|f| overlaps(*f, l.span)))
        })
        .map(|d| {
            let mut note = Diagnostic::unlabelled(
                Code::N0801,
                format!("not checked: {}", d.message),
            )
            .with_help(
                "idpc checks what its language can say; this part is left out of the audit, and so is any statement it belongs to",
            );
            for label in d.labels {
                note = note.with_labelled(label);
            }
            note
        })
        .collect()
}

fn overlaps(a: Span, b: Span) -> bool {
    a.file == b.file && a.start < b.end.max(b.start + 1) && b.start < a.end.max(a.start + 1)
}

/// The checker's and the lints' verdicts on the program read from a file.
/// A statement (or line) the checker refuses, such as an action AWS does
/// not have, is reported, then left out, so that the lints judge the rest.
/// `partial`: parts of the file were not read (N0801); then an error
/// outside a statement may only follow from them (a pool without the role
/// idpc could not read), and is left out without a word.
fn judge(
    mut program: Program,
    file: FileId,
    target: crate::Target,
    partial: bool,
) -> Vec<Diagnostic> {
    let mut reported: Vec<Diagnostic> = Vec::new();
    let statements = statement_spans(&program);
    let in_statement = |d: &Diagnostic| {
        d.primary()
            .is_some_and(|l| statements.iter().any(|s| contains(*s, l.span)))
    };
    // Each round leaves out at least one line; a program has finitely
    // many, but a bound keeps a surprise from looping long.
    for _ in 0..64 {
        let parsed = crate::syntax::Parsed::new(program.clone(), file);
        let report = crate::check::check(&parsed, target, &[]);
        let problems: Vec<Diagnostic> = report
            .problems
            .iter()
            .map(|p| p.to_diagnostic())
            // What the audit does not write, it does not leave out: an
            // unused role (W0202) can only follow from lines left out.
            .filter(|d| !matches!(d.code, Code::W0101 | Code::W0202))
            .filter(|d| !partial || d.severity() != Severity::Error || in_statement(d))
            .map(not_modeled)
            .collect();
        if let Some(checked) = report.checked {
            reported.extend(problems);
            reported.extend(
                crate::lints::rules::review(&checked)
                    .iter()
                    .map(|f| f.to_diagnostic()),
            );
            return dedup(reported);
        }
        let errors: Vec<Span> = report
            .problems
            .iter()
            .map(|p| p.to_diagnostic())
            .filter(|d| d.severity() == Severity::Error)
            .filter_map(|d| d.primary().map(|l| l.span))
            .collect();
        reported.extend(problems);
        if drop_lines(&mut program, &errors) == 0 {
            // An error on no line of a role or pool: nothing to leave out.
            break;
        }
    }
    dedup(reported)
}

/// The checker's refusals of what a template may say and idp cannot: one
/// role for a pool's guests and signed-in users alike (E0209), which a
/// trust policy admitting both `amr` values allows. Not a mistake: a part
/// the audit does not model (N0801), whose lines are left out.
fn not_modeled(diagnostic: Diagnostic) -> Diagnostic {
    if diagnostic.code != Code::E0209 {
        return diagnostic;
    }
    let mut note = Diagnostic::unlabelled(
        Code::N0801,
        format!("not checked: {}", diagnostic.message),
    )
    .with_help(
        "idp gives a role to signed-in users or to guests, not both; the pool's lines for this role are left out of the audit",
    );
    for label in diagnostic.labels {
        note = note.with_labelled(label);
    }
    note
}

/// Whether `outer` holds `inner`.
fn contains(outer: Span, inner: Span) -> bool {
    outer.file == inner.file && outer.start <= inner.start && inner.end <= outer.end
}

/// Where the program's statements are.
fn statement_spans(program: &Program) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut of_role = |items: &[Spanned<RoleItem>]| {
        for item in items {
            match &item.node {
                RoleItem::Statement(_) => spans.push(item.span),
                RoleItem::Policy(block) => spans.extend(block.statements.iter().map(|s| s.span)),
                _ => {}
            }
        }
    };
    for item in &program.items {
        match item {
            Item::Role(role) => of_role(&role.body.node),
            Item::IdentityPool(pool) => {
                for line in &pool.body {
                    if let PoolItem::Role(role) = &line.node
                        && let Some(body) = &role.body
                    {
                        of_role(&body.node);
                    }
                }
            }
            _ => {}
        }
    }
    spans
}

/// The diagnostics once each, in the order first found (a round after a
/// statement is left out finds the others again).
fn dedup(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut seen: Vec<&Diagnostic> = Vec::new();
    let mut kept = Vec::new();
    for (i, d) in diagnostics.iter().enumerate() {
        if !seen.contains(&d) {
            seen.push(d);
            kept.push(i);
        }
    }
    let mut diagnostics: Vec<Option<Diagnostic>> = diagnostics.into_iter().map(Some).collect();
    kept.into_iter()
        .filter_map(|i| diagnostics[i].take())
        .collect()
}

/// Leaves out every line of a role, pool or managed policy (a statement,
/// most often) that holds one of `at`; how many.
fn drop_lines(program: &mut Program, at: &[Span]) -> usize {
    let holds = |span: Span| at.iter().any(|a| contains(span, *a));
    let mut dropped = 0;
    let mut role_items = |items: &mut Vec<Spanned<RoleItem>>| {
        let before = items.len();
        items.retain(|item| !holds(item.span));
        dropped += before - items.len();
        for item in items.iter_mut() {
            if let RoleItem::Policy(block) = &mut item.node {
                let before = block.statements.len();
                block.statements.retain(|s| !holds(s.span));
                dropped += before - block.statements.len();
            }
        }
    };
    let mut lines = 0;
    for item in &mut program.items {
        match item {
            Item::Role(role) => role_items(&mut role.body.node),
            Item::IdentityPool(pool) => {
                for line in &mut pool.body {
                    if let PoolItem::Role(role) = &mut line.node
                        && let Some(body) = &mut role.body
                    {
                        role_items(&mut body.node);
                    }
                }
                let before = pool.body.len();
                // A role line goes only when the error is not inside its body.
                pool.body.retain(|line| match &line.node {
                    PoolItem::Role(role) if role.body.is_some() => true,
                    _ => !holds(line.span),
                });
                lines += before - pool.body.len();
            }
            Item::ManagedPolicy(policy) => {
                let before = policy.body.node.len();
                policy.body.node.retain(|line| !holds(line.span));
                lines += before - policy.body.node.len();
            }
            _ => {}
        }
    }
    dropped + lines
}

/// The resources a file defines, with their logical-ID keys: a template's
/// or fragment's `Resources`, or those of a `serverless.yml`'s
/// `resources:` block (a mapping, or a list of them).
pub(super) fn resources_of(root: &tree::Node) -> Vec<(&tree::Node, &tree::Node)> {
    let holders: Vec<&tree::Node> = match root.get("resources") {
        Some(block) => crate::importer::seq(block),
        None => vec![root],
    };
    holders
        .into_iter()
        .filter_map(|holder| holder.get("Resources")?.as_map())
        .flatten()
        .map(|(k, v)| (k, v))
        .collect()
}

/// The `Type` of a resource.
pub(super) fn type_of(resource: &tree::Node) -> Option<&str> {
    resource.get("Type").and_then(tree::Node::as_str)
}

/// A resource's property.
pub(super) fn property<'n>(resource: &'n tree::Node, name: &str) -> Option<&'n tree::Node> {
    resource.get("Properties")?.get(name)
}
