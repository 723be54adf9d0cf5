//! Code actions: for a diagnostic whose help is "did you mean `X`?", write
//! `X` over the underlined text; for a warning a comment can silence, add
//! a justified suppression comment above its item (the form
//! `src/lints/suppress.rs` reads: `# idpc: allow(CODE) reason: <why>`).

use super::diagnostics::Fixes;
use super::index::Outline;
use super::text::LineIndex;
use super::{Failure, Server};
use lsp_types as lt;
use std::collections::HashMap;

/// Answers `textDocument/codeAction`.
pub(crate) fn actions(
    server: &mut Server,
    p: lt::CodeActionParams,
) -> Result<Option<lt::CodeActionResponse>, Failure> {
    let uri = p.text_document.uri;
    let document = server.document(&uri)?;
    let text = &document.text;
    let is_program = uri.as_str().ends_with(".idp");
    let mut found = Vec::new();
    for diagnostic in &p.context.diagnostics {
        if diagnostic.source.as_deref() != Some("idpc") {
            continue;
        }
        let fixes: Fixes = diagnostic
            .data
            .clone()
            .and_then(|data| serde_json::from_value(data).ok())
            .unwrap_or_default();
        if let Some(replacement) = fixes.replacement {
            let edit = lt::TextEdit::new(diagnostic.range, replacement.clone());
            found.push(action(
                &uri,
                format!("Replace with `{replacement}`"),
                vec![edit],
                diagnostic,
                true,
            ));
        }
        let code = match &diagnostic.code {
            Some(lt::NumberOrString::String(code)) => code.clone(),
            _ => continue,
        };
        if fixes.suppressible && is_program {
            let edit = suppression(text, diagnostic.range.start, &code);
            let title = format!("Suppress {code} here, with a reason (`# idpc: allow({code})`)");
            found.push(action(&uri, title, vec![edit], diagnostic, false));
        }
    }
    Ok(Some(found))
}

// The protocol's edits are keyed by `lsp_types::Uri`, which clippy takes
// for a mutable key (it caches its parsed parts); it is never mutated.
#[allow(clippy::mutable_key_type)]
fn action(
    uri: &lt::Uri,
    title: String,
    edits: Vec<lt::TextEdit>,
    diagnostic: &lt::Diagnostic,
    preferred: bool,
) -> lt::CodeActionOrCommand {
    lt::CodeActionOrCommand::CodeAction(lt::CodeAction {
        title,
        kind: Some(lt::CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic.clone()]),
        edit: Some(lt::WorkspaceEdit::new(HashMap::from([(
            uri.clone(),
            edits,
        )]))),
        is_preferred: Some(preferred),
        ..lt::CodeAction::default()
    })
}

/// The comment line inserted above the item at `at`: the statement it is
/// in (from its `allow`/`deny`), else its line, with the same indentation.
fn suppression(text: &str, at: lt::Position, code: &str) -> lt::TextEdit {
    let index = LineIndex::new(text);
    let offset = index.offset(at);
    let outline = Outline::read(text);
    let opener = outline
        .statement_at(text, offset)
        .and_then(|_| {
            outline
                .tokens
                .iter()
                .rev()
                .find(|t| t.start <= offset && matches!(t.text(text), "allow" | "deny"))
        })
        .map_or(offset, |t| t.start);
    let line = index.position(opener).line;
    let line_start = index.offset(lt::Position::new(line, 0));
    let indent: String = text
        .get(line_start..)
        .unwrap_or("")
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let insert = lt::Position::new(line, 0);
    lt::TextEdit::new(
        lt::Range::new(insert, insert),
        format!("{indent}# idpc: allow({code}) reason: <why>\n"),
    )
}
