//! The one place where stage errors become diagnostics: the wording, the
//! labels and the help of every code live here.

use super::{Code, Diagnostic, FileId, Label, Sources};
use crate::limits::{MAX_ACTION_CHARS, MAX_ENTRIES, OverLimit};
use crate::stack_reader::{StackError, StackErrorKind};
use crate::syntax::ast::Span;

/// An internal error: lowering was asked to write one key twice in a map
/// (YAML and JSON readers would keep only the last). The checker should
/// have refused the program; nothing is written.
pub fn internal_duplicate_key(duplicate: &crate::cfn::DuplicateKey) -> Diagnostic {
    Diagnostic::unlabelled(
        Code::E0005,
        format!(
            "internal error: the output would hold the key `{}` twice in `{}`",
            duplicate.key, duplicate.map
        ),
    )
    .with_note("a reader keeps only one of two equal keys, so part of the program would silently be lost; nothing was written")
    .with_help("this is a bug in idpc: please report it with the program")
}

/// A stack file named by `use "path"` (written as `written`, at `at` in
/// `program`) that could not be read. The files the error points into are
/// added to `sources`.
pub fn from_stack(
    error: &StackError,
    program: FileId,
    at: Span,
    written: &str,
    sources: &mut Sources,
) -> Diagnostic {
    let shown = error.file.display().to_string();
    let (code, message, label) = match &error.kind {
        StackErrorKind::NotFound if error.included_from.is_empty() => (
            Code::E0301,
            format!("cannot find `{written}`"),
            format!("no file at `{shown}`"),
        ),
        StackErrorKind::NotFound => (
            Code::E0301,
            format!("cannot find `{shown}`, included by the stack"),
            format!("no file at `{shown}`"),
        ),
        StackErrorKind::Unreadable(why) => (
            Code::E0301,
            format!("cannot read `{shown}`: {why}"),
            why.clone(),
        ),
        StackErrorKind::NotUtf8 => (
            Code::E0302,
            format!("`{shown}` is not UTF-8"),
            "invalid UTF-8 here".to_string(),
        ),
        StackErrorKind::Malformed(why) => (
            Code::E0302,
            format!("`{shown}` is not a stack idpc can read: {why}"),
            why.clone(),
        ),
        StackErrorKind::NotAStack | StackErrorKind::IncludeCycle(_) => (
            Code::E0302,
            format!("`{shown}` is not a stack idpc can read"),
            error.kind.to_string(),
        ),
        _ => (
            Code::E0303,
            format!("`{shown}` is refused: {}", error.kind),
            "beyond idpc's reading limits".to_string(),
        ),
    };
    let mut labels = Vec::new();
    let mut added: Vec<(String, FileId)> = Vec::new();
    let mut file_id = |sources: &mut Sources, name: String, text: &str| -> FileId {
        if let Some((_, id)) = added.iter().find(|(n, _)| *n == name) {
            return *id;
        }
        let id = sources.add(name.clone(), text);
        added.push((name, id));
        id
    };
    if let (Some(text), Some(span)) = (&error.text, &error.span) {
        let id = file_id(sources, shown.clone(), text);
        labels.push(label_at(id, span.clone(), label.clone(), true));
    }
    // Innermost include first: the one that names the file at fault.
    for site in error.included_from.iter().rev() {
        let id = file_id(sources, site.file.display().to_string(), &site.text);
        let primary = labels.is_empty();
        let message = if primary {
            label.clone()
        } else {
            "included here".to_string()
        };
        labels.push(label_at(id, site.span.clone(), message, primary));
    }
    let primary = labels.is_empty();
    labels.push(Label {
        file: program,
        span: at,
        message: if primary {
            label
        } else {
            format!("the stack `{written}` is read here")
        },
        primary,
    });
    let mut diagnostic = Diagnostic::unlabelled(code, message);
    diagnostic.labels = labels;
    match code {
        Code::E0301 => diagnostic.with_help(
            "`use` paths are relative to the directory of the `.idp` file; fix the path or create the file",
        ),
        Code::E0303 => diagnostic.with_help(
            "idpc reads stack files within fixed limits (see `idpc explain E0303`); check that `use` names the file you meant",
        ),
        _ => diagnostic.with_help(
            "fix the file so Serverless Framework or CloudFormation would accept it, or `use` another file",
        ),
    }
}

fn label_at(file: FileId, span: std::ops::Range<usize>, message: String, primary: bool) -> Label {
    Label {
        file,
        span: Span::new(span.start, span.end),
        message,
        primary,
    }
}

/// A program beyond one of idpc's size limits ([`crate::limits`]).
pub fn from_limit(over: &OverLimit, file: FileId) -> Diagnostic {
    match over {
        OverLimit::Entries { what, count, span } => Diagnostic::new(
            Code::E0006,
            format!("{count} {what}: idpc reads at most {MAX_ENTRIES}"),
            file,
            *span,
        )
        .with_label(format!("entry {} is over the limit", MAX_ENTRIES + 1))
        .with_help(
            "no program AWS would deploy comes near this (Cognito takes at most 25 rules in a \
             mapping); a block this long is generated by mistake: shorten it",
        ),
        OverLimit::Action { chars, span } => Diagnostic::new(
            Code::E0006,
            format!(
                "this action is {chars} characters long: idpc reads at most {MAX_ACTION_CHARS}"
            ),
            file,
            *span,
        )
        .with_label("too long to be an action")
        .with_help("no AWS action is nearly this long; check for a paste error"),
    }
}
