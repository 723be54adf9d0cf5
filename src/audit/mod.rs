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

mod judge;
mod template;
mod trust;

use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic, Severity, Sources};
use crate::importer::{AuditRead, read_for_audit};
use crate::lints::Suppressed;
use crate::source::{FileId, Span};
use crate::stack_reader::{self, Limits, StackKind, tree};

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
    let roots = trees(&stack, &limits, sources);
    let pools = roots
        .iter()
        .flat_map(|(_, root)| resources_of(root))
        .any(|(_, r)| {
            matches!(
                type_of(r),
                Some("AWS::Cognito::IdentityPool" | "AWS::Cognito::IdentityPoolRoleAttachment")
            )
        });
    if !pools {
        // Never a silent pass: say that nothing was there to check.
        let nothing = Diagnostic::unlabelled(
            Code::N0801,
            format!("not checked: `{}` defines no identity pool", path.display()),
        )
        .with_help("idpc checks identity pools, their role attachments and the roles they hand out; name the template or `serverless.yml` that defines them");
        return Audit {
            diagnostics: vec![nothing],
            suppressed: Vec::new(),
            inputs: stack.files.iter().map(|f| f.path.clone()).collect(),
        };
    }
    // Trust across files: a `serverless.yml` may define a role in one
    // resources file and attach it in another.
    let mut diagnostics = trust::review(&roots.iter().map(|(_, r)| r).collect::<Vec<_>>());
    let findings_at: Vec<Span> = spans(&diagnostics);
    let mut read = std::collections::BTreeSet::new();
    for (file, root) in &roots {
        let known: Vec<(String, String)> = stack
            .resources
            .iter()
            .filter(|r| r.origin.span().file != *file)
            .map(|r| (r.logical_id.clone(), r.cfn_type.clone()))
            .collect();
        let context = FileContext {
            kind: stack.kind,
            known,
            findings_at: findings_at.clone(),
        };
        let (found, read_here) = audit_file(*file, root, context, options, sources);
        diagnostics.extend(found);
        read.extend(read_here);
    }
    for (_, root) in &roots {
        diagnostics.extend(unread_roles(root, &read));
    }
    let (diagnostics, suppressed) =
        crate::lints::apply(in_order(diagnostics), None, &options.lints);
    Audit {
        diagnostics,
        suppressed,
        inputs: stack.files.iter().map(|f| f.path.clone()).collect(),
    }
}

/// The tree of every file of a stack the stack reader read, with its file.
pub(crate) fn trees(
    stack: &stack_reader::Stack,
    limits: &Limits,
    sources: &Sources,
) -> Vec<(FileId, tree::Node)> {
    let mut roots = Vec::new();
    for file in &stack.files {
        let json = file
            .path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        // The stack reader read every file; one it could not was an error.
        if let Ok(root) = tree::parse(sources.text(file.file), file.file, json, limits) {
            roots.push((file.file, root));
        }
    }
    roots
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
    let root = match tree::parse(text, file, json, &Limits::default()) {
        Ok(root) => root,
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
    let kind = if crate::stack_reader::is_service(&root) {
        StackKind::Serverless
    } else {
        StackKind::Template
    };
    let mut diagnostics = trust::review(&[&root]);
    let context = FileContext {
        kind,
        known: Vec::new(),
        findings_at: spans(&diagnostics),
    };
    let (found, read) = audit_file(file, &root, context, options, sources);
    diagnostics.extend(found);
    diagnostics.extend(unread_roles(&root, &read));
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

/// Where the labels of some diagnostics are: what import refuses there is
/// said already.
fn spans(diagnostics: &[Diagnostic]) -> Vec<Span> {
    diagnostics
        .iter()
        .flat_map(|d| d.labels.iter().map(|l| l.span))
        .collect()
}

/// What auditing one file of a stack needs to know of the others.
struct FileContext {
    kind: StackKind,
    /// The logical IDs and types the other files define.
    known: Vec<(String, String)>,
    /// Where the stack's trust findings are.
    findings_at: Vec<Span>,
}

/// The findings in one file of the stack, but its trust policies', and
/// the logical IDs read into the program.
fn audit_file(
    file: FileId,
    root: &tree::Node,
    context: FileContext,
    options: &crate::Options,
    sources: &mut Sources,
) -> (Vec<Diagnostic>, std::collections::BTreeSet<String>) {
    let text = sources.text(file).to_owned();
    let mut found = template::review(root, &text, context.kind);
    let AuditRead {
        program,
        said,
        read,
    } = read_for_audit(file, &text, root, context.known, sources);
    found.extend(left_aside(root, &read));
    let mut findings_at = context.findings_at;
    findings_at.extend(spans(&found));
    found.extend(said.iter().filter_map(version_finding));
    let skipped = skipped(said, &findings_at);
    let partial = !skipped.is_empty();
    found.extend(skipped);
    if let Some(program) = program {
        found.extend(judge::judge(program, file, options.target, partial));
    }
    (found, read)
}

/// N0801 for each role of a file that trusts Cognito identity pools but
/// was read into no program (one a pool of another stack hands out, one
/// given to a pool in a way idpc cannot read): its trust policy is judged,
/// its permissions are not.
fn unread_roles(root: &tree::Node, read: &std::collections::BTreeSet<String>) -> Vec<Diagnostic> {
    resources_of(root)
        .into_iter()
        .filter(|(_, resource)| type_of(resource) == Some("AWS::IAM::Role"))
        .filter(|(_, resource)| !trust::cognito_statements(resource).is_empty())
        .filter_map(|(key, _)| Some((key, key.as_str()?)))
        .filter(|(_, id)| !read.contains(*id))
        .map(|(key, id)| {
            Diagnostic::new(
                Code::N0801,
                format!("not checked: the permissions of role `{id}`, which trusts Cognito identity pools but is handed out by no pool idpc could read"),
                key.span,
            )
            .with_label("its trust policy is checked, its policies are not")
            .with_help("audit the template that defines the pool and attaches this role, or the `serverless.yml` that holds both")
        })
        .collect()
}

/// N0801 naming the resources of a file that are no part of an identity
/// pool (a user pool, a bucket, a function): the audit does not judge them.
fn left_aside(root: &tree::Node, read: &std::collections::BTreeSet<String>) -> Option<Diagnostic> {
    let aside: Vec<(&tree::Node, &str)> = resources_of(root)
        .into_iter()
        .filter_map(|(key, resource)| Some((key, key.as_str()?, resource)))
        .filter(|(_, id, _)| !read.contains(*id))
        // A role that trusts Cognito has a note of its own.
        .filter(|(_, _, resource)| trust::cognito_statements(resource).is_empty())
        .map(|(key, id, _)| (key, id))
        .collect();
    let (first, _) = aside.first()?;
    let mut named: Vec<String> = aside
        .iter()
        .take(5)
        .map(|(_, id)| format!("`{id}`"))
        .collect();
    if aside.len() > 5 {
        named.push(format!("{} more", aside.len() - 5));
    }
    Some(
        Diagnostic::new(
            Code::N0801,
            format!(
                "not checked: {} no part of an identity pool: {}",
                if aside.len() == 1 { "a resource" } else { "resources" },
                named.join(", ")
            ),
            first.span,
        )
        .with_label("the first of them")
        .with_help("idpc checks identity pools, their role attachments, principal tags and the roles they hand out; these are the rest of the stack"),
    )
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
        .filter(|d| !matches!(d.code, Code::E0701 | Code::E0703 | Code::E0753 | Code::E0707 | Code::E0708))
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

/// The resources a file defines, with their logical-ID keys: a template's
/// or fragment's `Resources`, or those of a `serverless.yml`'s
/// `resources:` block (a mapping, or a list of them).
pub(crate) fn resources_of(root: &tree::Node) -> Vec<(&tree::Node, &tree::Node)> {
    crate::importer::resource_holders(root)
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
