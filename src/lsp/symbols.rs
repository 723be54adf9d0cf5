//! Document symbols: the pools with their roles, the top-level roles and
//! managed policies, the outputs.

use super::index::{Decl, DeclKind, Outline};
use super::text::LineIndex;
use super::{Failure, Server};
use crate::syntax::ast::Kind;
use lsp_types as lt;

/// Answers `textDocument/documentSymbol`.
pub(crate) fn symbols(
    server: &mut Server,
    p: lt::DocumentSymbolParams,
) -> Result<Option<lt::DocumentSymbolResponse>, Failure> {
    let document = server.document(&p.text_document.uri)?;
    let text = &document.text;
    let outline = Outline::read(text);
    let index = LineIndex::new(text);
    let defined: Vec<&Decl> = outline.decls.iter().filter(|d| !d.used).collect();
    let mut top: Vec<lt::DocumentSymbol> = Vec::new();
    for decl in &defined {
        let inside = defined.iter().any(|outer| {
            outer.start < decl.start
                && decl.item_end <= outer.item_end
                && outer.item_end > outer.end
        });
        if inside {
            continue;
        }
        let children: Vec<lt::DocumentSymbol> = defined
            .iter()
            .filter(|inner| {
                decl.start < inner.start
                    && inner.item_end <= decl.item_end
                    && decl.item_end > decl.end
            })
            .map(|inner| symbol(inner, &index, None))
            .collect();
        top.push(symbol(
            decl,
            &index,
            (!children.is_empty()).then_some(children),
        ));
    }
    Ok(Some(lt::DocumentSymbolResponse::Nested(top)))
}

#[allow(deprecated)] // `deprecated` is a field the protocol still requires.
fn symbol(
    decl: &Decl,
    index: &LineIndex<'_>,
    children: Option<Vec<lt::DocumentSymbol>>,
) -> lt::DocumentSymbol {
    let (kind, detail) = match decl.kind {
        DeclKind::Resource(Kind::IdentityPool) => (lt::SymbolKind::NAMESPACE, "identity_pool"),
        DeclKind::Resource(Kind::Role) => (lt::SymbolKind::CLASS, "role"),
        DeclKind::Resource(Kind::ManagedPolicy) => (lt::SymbolKind::STRUCT, "managed_policy"),
        DeclKind::Resource(_) => (lt::SymbolKind::VARIABLE, "resource"),
        DeclKind::Output => (lt::SymbolKind::PROPERTY, "output"),
        DeclKind::Parameter => (lt::SymbolKind::CONSTANT, "parameter"),
        DeclKind::Condition => (lt::SymbolKind::CONSTANT, "condition"),
    };
    let selection = index.range(decl.start, decl.end);
    let whole = index.range(
        decl.start.min(line_start(index, decl.start)),
        decl.item_end.max(decl.end),
    );
    lt::DocumentSymbol {
        name: decl.name.clone(),
        detail: Some(detail.to_string()),
        kind,
        tags: None,
        deprecated: None,
        range: whole,
        selection_range: selection,
        children,
    }
}

/// The offset where the line of `offset` starts (a symbol's range covers
/// its keyword).
fn line_start(index: &LineIndex<'_>, offset: usize) -> usize {
    let position = index.position(offset);
    index.offset(lt::Position::new(position.line, 0))
}
