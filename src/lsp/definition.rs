//! Go to definition, references and rename of the names a program writes.
//!
//! A name leads to where it is defined: the program's own pool, role,
//! managed policy or output; else the resource of a stack file it reads
//! (`use "serverless.yml"`, through the stack reader's spans); else its
//! `use` line. A `use "path"` string leads to the file.

use super::index::{DeclKind, Outline, TokenKind, is_name};
use super::stacks::StackEntry;
use super::text::{LineIndex, path_to_uri};
use super::{Failure, Server};
use crate::syntax::ast::Kind;
use lsp_types as lt;
use std::collections::HashMap;
use std::path::Path;

/// The program and what is known of it, for one request.
pub(super) struct Context {
    pub(super) uri: lt::Uri,
    pub(super) text: String,
    pub(super) path: Option<std::path::PathBuf>,
    pub(super) outline: Outline,
    pub(super) stack: Vec<StackEntry>,
}

/// The open document `uri`, read, with the stacks it uses.
pub(super) fn context(server: &mut Server, uri: &lt::Uri) -> Result<Context, Failure> {
    let document = server.document(uri)?;
    let (text, path) = (document.text.clone(), document.path.clone());
    let outline = Outline::read(&text);
    let stack = server
        .stacks
        .of_program(path.as_deref(), &outline.use_files);
    Ok(Context {
        uri: uri.clone(),
        text,
        path,
        outline,
        stack,
    })
}

/// The name at a byte offset (the head of `Name/path` or `Name.Attr`) and
/// its bytes.
fn name_at(cx: &Context, offset: usize) -> Option<(String, usize, usize)> {
    let token = *cx.outline.tokens.get(cx.outline.token_at(offset)?)?;
    if token.kind != TokenKind::Word {
        return None;
    }
    let word = token.text(&cx.text);
    let head = word.split(['/', '.']).next().unwrap_or("");
    (is_name(head) && offset <= token.start + head.len())
        .then(|| (head.to_string(), token.start, token.start + head.len()))
}

fn location_in_program(cx: &Context, start: usize, end: usize) -> lt::Location {
    lt::Location::new(cx.uri.clone(), LineIndex::new(&cx.text).range(start, end))
}

fn stack_location(entry: &StackEntry) -> Option<lt::Location> {
    Some(lt::Location::new(path_to_uri(&entry.path)?, entry.range))
}

/// Answers `textDocument/definition`.
pub(crate) fn definition(
    server: &mut Server,
    p: lt::GotoDefinitionParams,
) -> Result<Option<lt::GotoDefinitionResponse>, Failure> {
    let at = p.text_document_position_params;
    let cx = context(server, &at.text_document.uri)?;
    let offset = LineIndex::new(&cx.text).offset(at.position);
    if let Some(file) = cx
        .outline
        .use_files
        .iter()
        .find(|u| u.start <= offset && offset <= u.end)
    {
        let dir = cx.path.as_deref().and_then(Path::parent);
        let target = dir.and_then(|d| path_to_uri(&d.join(&file.path)));
        return Ok(target.map(|uri| {
            lt::GotoDefinitionResponse::Scalar(lt::Location::new(uri, lt::Range::default()))
        }));
    }
    let Some((name, _, _)) = name_at(&cx, offset) else {
        return Ok(None);
    };
    let decl = cx.outline.decl(&name);
    let in_stack = cx.stack.iter().find(|e| e.logical_id == name);
    let location = match (decl, in_stack) {
        (Some(decl), _) if !decl.used => Some(location_in_program(&cx, decl.start, decl.end)),
        (_, Some(entry)) => stack_location(entry),
        (Some(decl), None) => Some(location_in_program(&cx, decl.start, decl.end)),
        (None, None) => None,
    };
    Ok(location.map(lt::GotoDefinitionResponse::Scalar))
}

/// Answers `textDocument/references`: every place the program writes the
/// name (with the stack's definition, when asked for declarations).
pub(crate) fn references(
    server: &mut Server,
    p: lt::ReferenceParams,
) -> Result<Option<Vec<lt::Location>>, Failure> {
    let at = p.text_document_position;
    let cx = context(server, &at.text_document.uri)?;
    let offset = LineIndex::new(&cx.text).offset(at.position);
    let Some((name, _, _)) = name_at(&cx, offset) else {
        return Ok(None);
    };
    let mut found: Vec<lt::Location> = cx
        .outline
        .occurrences(&cx.text, &name)
        .into_iter()
        .map(|(start, end)| location_in_program(&cx, start, end))
        .collect();
    if p.context.include_declaration
        && let Some(entry) = cx.stack.iter().find(|e| e.logical_id == name)
    {
        found.extend(stack_location(entry));
    }
    Ok(Some(found))
}

/// The role or pool the program defines at a byte offset, for rename.
fn renamable(cx: &Context, offset: usize) -> Result<(String, usize, usize), Failure> {
    let Some((name, start, end)) = name_at(cx, offset) else {
        return Err(Failure::refused(
            "only the name of a role or an identity pool can be renamed",
        ));
    };
    match cx.outline.decl(&name) {
        Some(decl)
            if !decl.used
                && matches!(
                    decl.kind,
                    DeclKind::Resource(Kind::Role | Kind::IdentityPool)
                ) =>
        {
            Ok((name, start, end))
        }
        _ => Err(Failure::refused(format!(
            "`{name}` is not a role or identity pool this program defines; only those can be renamed"
        ))),
    }
}

/// Answers `textDocument/prepareRename`.
pub(crate) fn prepare_rename(
    server: &mut Server,
    p: lt::TextDocumentPositionParams,
) -> Result<Option<lt::PrepareRenameResponse>, Failure> {
    let cx = context(server, &p.text_document.uri)?;
    let offset = LineIndex::new(&cx.text).offset(p.position);
    let (_, start, end) = renamable(&cx, offset)?;
    let range = LineIndex::new(&cx.text).range(start, end);
    Ok(Some(lt::PrepareRenameResponse::Range(range)))
}

// The protocol's edits are keyed by `lsp_types::Uri`, which clippy takes
// for a mutable key (it caches its parsed parts); it is never mutated.
#[allow(clippy::mutable_key_type)]
/// Answers `textDocument/rename`: every occurrence in the program; refused
/// when the new name is not a logical ID or is taken.
pub(crate) fn rename(
    server: &mut Server,
    p: lt::RenameParams,
) -> Result<Option<lt::WorkspaceEdit>, Failure> {
    let at = p.text_document_position;
    let cx = context(server, &at.text_document.uri)?;
    let offset = LineIndex::new(&cx.text).offset(at.position);
    let (name, _, _) = renamable(&cx, offset)?;
    let new = p.new_name;
    if !is_name(&new) || crate::syntax::is_reserved(&new) {
        return Err(Failure::refused(format!(
            "`{new}` is not a valid logical ID: a letter, then letters and digits (at most 255), not a keyword"
        )));
    }
    if new != name
        && (cx.outline.decl(&new).is_some() || cx.stack.iter().any(|e| e.logical_id == new))
    {
        return Err(Failure::refused(format!(
            "`{new}` is already a name of this program or its stack"
        )));
    }
    let index = LineIndex::new(&cx.text);
    let edits = cx
        .outline
        .occurrences(&cx.text, &name)
        .into_iter()
        .map(|(start, end)| lt::TextEdit::new(index.range(start, end), new.clone()))
        .collect();
    let changes = HashMap::from([(cx.uri.clone(), edits)]);
    Ok(Some(lt::WorkspaceEdit::new(changes)))
}
