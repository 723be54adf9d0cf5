//! The proofs as diagnostics, for `idpc build` and `idpc check`: a written
//! `expect` that does not hold is E1001, one idpc could not prove W1002;
//! an implied isolation that does not hold is W0606 at the statement that
//! breaks it (unless the lint already says so there).

use crate::access::load::of_checked;
use crate::check::Checked;
use crate::diag::{Code, Diagnostic, Label};
use crate::source::Span;

use super::{Counterexample, Outcome, Property, PropertyKind, caller_words, prove_all, written};

/// The diagnostics of a checked program's properties: its `expect` lines,
/// and with `implied` the isolation its `$<sub>` folders imply. `said`:
/// what the checker and lints already report (an implied refutation at a
/// statement W0606 already names is not said twice).
pub fn diagnostics(checked: &Checked, implied: bool, said: &[Diagnostic]) -> Vec<Diagnostic> {
    let mut properties = written(checked);
    let has_sub = checked
        .pools()
        .iter()
        .flat_map(|p| &p.roles)
        .chain(checked.shared_roles())
        .flat_map(|r| &r.statements)
        .flat_map(|s| &s.resources)
        .any(scoped_by_sub);
    if properties.is_empty() && !(implied && has_sub) {
        return Vec::new();
    }
    let model = match of_checked(checked) {
        Ok(model) => model,
        Err(bug) => return vec![bug],
    };
    if implied {
        properties = super::with_implied(&model, properties);
    }
    prove_all(&model, properties)
        .into_iter()
        .filter_map(|proof| match (&proof.outcome, proof.property.implicit) {
            (Outcome::Proven, _) => None,
            (Outcome::Refuted(found), false) => Some(refuted(&proof.property, found)),
            (Outcome::Unknown(why), false) => Some(unproven(&proof.property, why)),
            (Outcome::Refuted(found), true) => leaking(&proof.property, found, said),
            (Outcome::Unknown(_), true) => None,
        })
        .collect()
}

/// The counterexample in one sentence, with `file:line` left to labels.
pub fn counterexample_words(found: &Counterexample) -> String {
    let whose = found
        .victim
        .as_ref()
        .map(|v| format!(" in identity {v}'s folder"))
        .unwrap_or_default();
    let role = found
        .role
        .as_ref()
        .map(|r| format!(" gets role `{r}` and"))
        .unwrap_or_default();
    let mut context: Vec<String> = found
        .context
        .iter()
        .map(|(k, v)| format!("{k} = \"{v}\""))
        .collect();
    context.extend(
        found
            .deployment
            .iter()
            .map(|(k, v)| format!("{k} is `{v}`")),
    );
    let when = if context.is_empty() {
        String::new()
    } else {
        format!(" (when {})", context.join(", "))
    };
    if found.action == "sts:AssumeRoleWithWebIdentity" && found.statement.is_none() {
        return format!(
            "{} (identity {}){role} assumes it{when}",
            caller_words(&found.caller),
            found.caller.identity
        );
    }
    format!(
        "{} (identity {}){role} may `{}` on `{}`{whose}{when}",
        caller_words(&found.caller),
        found.caller.identity,
        found.action,
        found.resource
    )
}

fn with_statement(diagnostic: Diagnostic, found: &Counterexample) -> Diagnostic {
    match found.statement.as_ref().and_then(|o| o.span) {
        Some(span) => diagnostic.with_labelled(Label::secondary(span, "this statement allows it")),
        None => diagnostic,
    }
}

fn refuted(property: &Property, found: &Counterexample) -> Diagnostic {
    let span = property.span.unwrap_or(Span::synthetic());
    let help = match property.kind {
        PropertyKind::Isolated { .. } => {
            "scope the statement by `$<sub>` with no wildcard before it (`Files/private/$<sub>/*`), or remove it"
        }
        PropertyKind::Cannot { .. } => {
            "narrow or remove the statement, add a `deny`, or change the expectation if the grant is meant"
        }
        PropertyKind::OnlyVia { .. } => {
            "hand the role out only through a mapping rule that tests the claim (`map U by rules { ... }`), not as a default role"
        }
    };
    let diagnostic = Diagnostic::new(
        Code::E1001,
        format!("`expect {}` does not hold", property.text),
        span,
    )
    .with_label("this does not hold")
    .with_note(format!("counterexample: {}", counterexample_words(found)))
    .with_help(help);
    with_statement(diagnostic, found)
}

fn unproven(property: &Property, why: &str) -> Diagnostic {
    let span = property.span.unwrap_or(Span::synthetic());
    Diagnostic::new(Code::W1002, format!("idpc could not prove `expect {}`", property.text), span)
        .with_label("not proven")
        .with_note(why.to_string())
        .with_help("give idpc what it cannot see (the role's policies, the managed policy's statements), or install cvc5 when the note names the solver; an unproven expectation is never taken as proven")
}

/// W0606 at the statement that reaches another identity's folder.
fn leaking(property: &Property, found: &Counterexample, said: &[Diagnostic]) -> Option<Diagnostic> {
    let span = found.statement.as_ref()?.span?;
    let already = said
        .iter()
        .filter(|d| d.code == Code::W0606)
        .flat_map(|d| &d.labels)
        .any(|l| l.span.file == span.file && l.span.start >= span.start && l.span.end <= span.end);
    if already {
        return None;
    }
    let folder = property
        .text
        .strip_prefix("isolated ")
        .unwrap_or(&property.text);
    let mut diagnostic = Diagnostic::new(
        Code::W0606,
        format!("this statement reaches other identities' `{folder}` folders"),
        span,
    )
    .with_label("reaches another identity's folder")
    .with_note(format!("counterexample: {}", counterexample_words(found)))
    .with_help(
        "scope the resource by `$<sub>` with no wildcard before it, or leave the folder out of it",
    );
    if let Some(folder_span) = property.span {
        diagnostic = diagnostic.with_labelled(Label::secondary(
            folder_span,
            "the per-identity folder it reaches",
        ));
    }
    Some(diagnostic)
}

/// Whether a resource names `$<sub>`.
fn scoped_by_sub(resource: &crate::check::ir::ResourceDef) -> bool {
    use crate::check::ir::{Piece, ResourceDef};
    let value = match resource {
        ResourceDef::Arn(value) => value,
        ResourceDef::Of {
            path: Some(path), ..
        } => path,
        _ => return false,
    };
    value
        .pieces
        .iter()
        .any(|p| matches!(p, Piece::PolicyVar(key) if key == crate::check::policy_vars::SUB))
}
