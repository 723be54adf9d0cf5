//! The checker's and the lints' verdicts on the program read from a
//! template.
//!
//! A `.idp` program that the checker refuses gets no lints: it must be
//! fixed first. A template is judged as it is, so the audit reports the
//! checker's errors and then leaves out what they are about, until the
//! checker accepts the rest and the lints can judge it:
//!
//! - an action AWS does not have (E0401-E0403) leaves its statement, and
//!   the statement's other actions are still judged;
//! - a statement pairing actions with resources some of them cannot act on
//!   is, to IAM, the union of the pairs that fit (the rest grant nothing):
//!   it is judged as one statement per resource with the actions that fit
//!   it, and E0404 is said only of an action that fits none of them
//!   (`s3:GetObject` and `s3:ListBucket` on a bucket and its objects is
//!   the usual way to write it, not a mistake);
//! - any other error leaves out its statement, or the pool's line.

use crate::check::{CheckError, CheckErrorKind, check};
use crate::diag::{Code, Diagnostic, Severity, ToDiagnostic as _};
use crate::importer::pairs::{contains, fitting_pairs, rewrite};
use crate::source::{FileId, Span};
use crate::syntax::Parsed;
use crate::syntax::ast::{Item, PoolItem, Program, Statement};

/// The verdicts on `program`, read from `file`. `partial`: parts of the
/// file were not read (N0801); then what the checker says outside a
/// statement may only follow from them (a pool without the role idpc could
/// not read), and is left out without a word.
pub(super) fn judge(
    mut program: Program,
    file: FileId,
    target: crate::Target,
    partial: bool,
) -> Vec<Diagnostic> {
    let statements = statement_spans(&mut program);
    let in_statement = |span: Span| statements.iter().any(|s| contains(*s, span));
    let mut reported: Vec<Diagnostic> = Vec::new();
    // Each round leaves out at least one action, statement or line; a
    // program has finitely many, but a bound keeps a surprise from
    // looping long.
    for _ in 0..64 {
        let report = check(&Parsed::new(program.clone(), file), target, &[]);
        let (problems, splits) = fitting_pairs(&mut program, report.problems);
        let split = !splits.is_empty();
        reported.extend(
            problems
                .iter()
                // The `use` lines are the importer's; the guests' verdicts
                // (W0809, N0810) are the template review's, which also
                // sees pools idpc reads only in part.
                // What the audit does not write, it does not leave out: an
                // unused role (W0202) can only follow from lines left out.
                .filter(|p| {
                    !matches!(
                        p.kind,
                        CheckErrorKind::UnusedUse { .. }
                            | CheckErrorKind::UnusedRole { .. }
                            | CheckErrorKind::GuestRoleNeverHandedOut { .. }
                            | CheckErrorKind::GuestsInWithoutRole
                    )
                })
                .filter(|p| !partial || in_statement(p.span))
                .map(|p| in_template_words(not_modeled(p.to_diagnostic()))),
        );
        if let Some(checked) = report.checked {
            // N0611 (no way in) is the template review's, worded for YAML.
            reported.extend(
                crate::lints::rules::review(&checked)
                    .iter()
                    .map(|f| f.to_diagnostic())
                    .filter(|d| d.code != Code::N0611)
                    .map(in_template_words),
            );
            return dedup(reported);
        }
        let errors: Vec<&CheckError> = problems
            .iter()
            .filter(|p| p.kind.code().severity() == Severity::Error)
            .collect();
        if !leave_out(&mut program, &errors) && !split {
            // An error on no line of a role or pool: nothing to leave out.
            break;
        }
    }
    dedup(reported)
}

/// A diagnostic of the checker or the lints as a template's reader writes
/// it: policy variables as the template spells them (`$<sub>` is
/// `${cognito-identity.amazonaws.com:sub}`), but in a help that shows the
/// fix in idp's own forms (`on Bucket/...`, `otherwise deny`), which a note
/// then says is idp.
fn in_template_words(mut diagnostic: Diagnostic) -> Diagnostic {
    diagnostic.message = respell(&diagnostic.message);
    for label in &mut diagnostic.labels {
        label.message = respell(&label.message);
    }
    for note in &mut diagnostic.notes {
        *note = respell(note);
    }
    let idp_forms = [
        "`on ",
        "`allow ",
        "`otherwise ",
        "`provider ",
        "role`",
        " role {",
        "`and ",
    ];
    let in_idp = diagnostic
        .help
        .as_deref()
        .is_some_and(|help| idp_forms.iter().any(|form| help.contains(form)));
    if let Some(help) = diagnostic.help.as_mut().filter(|_| !in_idp) {
        *help = respell(help);
    }
    if in_idp {
        diagnostic = diagnostic.with_note(
            "the help shows the fix in idp, the language `idpc import` turns this template into",
        );
    }
    diagnostic
}

/// `text` with each `$<key>` policy variable written `${key}`, as a
/// template writes it.
fn respell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("$<") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        match after.find('>') {
            Some(end) if !after[..end].contains(char::is_whitespace) => {
                let key = &after[..end];
                let key = if crate::check::policy_vars::COGNITO_SHORT.contains(&key) {
                    format!("{}{key}", crate::check::policy_vars::COGNITO_PREFIX)
                } else {
                    key.to_owned()
                };
                out.push_str("${");
                out.push_str(&key);
                out.push('}');
                rest = &after[end + 1..];
            }
            _ => {
                out.push_str("$<");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The checker's refusals of what a template may say and idp cannot: one
/// role for a pool's guests and signed-in users alike (E0209), which a
/// trust policy admitting both `amr` values allows. Not a mistake: a part
/// the audit does not model (N0801), whose lines are left out.
fn not_modeled(diagnostic: Diagnostic) -> Diagnostic {
    if diagnostic.code != Code::E0209 {
        return diagnostic;
    }
    let mut note = Diagnostic::unlabelled(Code::N0801, format!("not checked: {}", diagnostic.message))
        .with_help(
            "idp gives a role to signed-in users or to guests, not both; the pool's lines for this role are left out of the audit",
        );
    for label in diagnostic.labels {
        note = note.with_labelled(label);
    }
    note
}

/// The diagnostics once each, in the order first found (a later round
/// finds the earlier errors again).
fn dedup(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut seen = std::collections::BTreeSet::new();
    diagnostics
        .into_iter()
        .filter(|d| {
            let at = d.primary().map(|l| (l.span.file, l.span.start, l.span.end));
            seen.insert((d.code, at, d.message.clone()))
        })
        .collect()
}

/// Where the program's statements are.
fn statement_spans(program: &mut Program) -> Vec<Span> {
    let mut spans = Vec::new();
    rewrite(program, &mut |span, statement| {
        spans.push(extent(span, &statement));
        vec![statement]
    });
    spans
}

/// A statement's span, stretched over its parts: the span of a statement
/// read from YAML may end before its last resource's closing brackets.
fn extent(span: Span, statement: &Statement) -> Span {
    let parts = statement
        .actions
        .iter()
        .map(|a| a.span)
        .chain(statement.resources.iter().map(|r| r.span))
        .chain(statement.conditions.iter().map(|c| c.span))
        .filter(|p| p.file == span.file);
    let (start, end) = parts.fold((span.start, span.end), |(s, e), p| {
        (s.min(p.start), e.max(p.end))
    });
    Span::new(span.file, start, end)
}

/// Leaves out what the errors are about: an unknown action from its
/// statement, else the statement or line that holds the error. Whether
/// anything was left out.
fn leave_out(program: &mut Program, errors: &[&CheckError]) -> bool {
    let mut changed = false;
    let action_errors: Vec<Span> = errors
        .iter()
        .filter(|e| {
            matches!(
                e.kind.code(),
                Code::E0401 | Code::E0402 | Code::E0403 | Code::E0404
            )
        })
        .flat_map(|e| match &e.kind {
            CheckErrorKind::ActionNotApplicable { misfits, .. } => {
                misfits.iter().map(|m| m.action_span).collect()
            }
            _ => vec![e.span],
        })
        .collect();
    let other: Vec<Span> = errors
        .iter()
        .filter(|e| {
            !matches!(
                e.kind.code(),
                Code::E0401 | Code::E0402 | Code::E0403 | Code::E0404
            )
        })
        .map(|e| e.span)
        .collect();
    rewrite(program, &mut |span, mut statement| {
        let span = extent(span, &statement);
        if other.iter().any(|e| contains(span, *e)) {
            changed = true;
            return Vec::new();
        }
        let before = statement.actions.len();
        statement
            .actions
            .retain(|a| !action_errors.iter().any(|e| contains(a.span, *e)));
        changed |= statement.actions.len() != before;
        if statement.actions.is_empty() {
            return Vec::new();
        }
        vec![statement]
    });
    changed | drop_lines(program, &other)
}

/// Leaves out every line of a role, pool or managed policy that holds one
/// of `at` (a pool's role line only when the error is not in its body);
/// whether any was.
fn drop_lines(program: &mut Program, at: &[Span]) -> bool {
    let holds = |span: Span| at.iter().any(|a| contains(span, *a));
    let mut dropped = false;
    for item in &mut program.items {
        match item {
            Item::Role(role) => dropped |= retain(&mut role.body.node, |l| !holds(l.span)),
            Item::IdentityPool(pool) => {
                for line in &mut pool.body {
                    if let PoolItem::Role(role) = &mut line.node
                        && let Some(body) = &mut role.body
                    {
                        dropped |= retain(&mut body.node, |l| !holds(l.span));
                    }
                }
                dropped |= retain(&mut pool.body, |line| match &line.node {
                    PoolItem::Role(role) if role.body.is_some() => true,
                    _ => !holds(line.span),
                });
            }
            Item::ManagedPolicy(policy) => {
                dropped |= retain(&mut policy.body.node, |l| !holds(l.span));
            }
            _ => {}
        }
    }
    dropped
}

/// `Vec::retain`, saying whether it left anything out.
fn retain<T>(lines: &mut Vec<T>, keep: impl FnMut(&T) -> bool) -> bool {
    let before = lines.len();
    lines.retain(keep);
    lines.len() != before
}

#[cfg(test)]
mod tests {
    use super::respell;

    #[test]
    fn policy_variables_are_spelled_as_templates_write_them() {
        assert_eq!(
            respell("not scoped by `$<sub>`; `$<aws:username>`, `$<aud>`"),
            "not scoped by `${cognito-identity.amazonaws.com:sub}`; `${aws:username}`, `${cognito-identity.amazonaws.com:aud}`"
        );
        // Text that only looks like the start of one stays.
        assert_eq!(respell("a $< b, $<x y>"), "a $< b, $<x y>");
    }
}
