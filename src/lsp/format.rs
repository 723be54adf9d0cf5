//! Formatting: `idpc fmt`'s layout, as one edit of the whole document. A
//! program that does not parse is refused with an error response (and left
//! as it is), never rewritten.

use super::text::LineIndex;
use super::{Failure, Server};
use lsp_types as lt;

/// Answers `textDocument/formatting`.
pub(crate) fn format(
    server: &mut Server,
    p: lt::DocumentFormattingParams,
) -> Result<Option<Vec<lt::TextEdit>>, Failure> {
    let document = server.document(&p.text_document.uri)?;
    let text = &document.text;
    // As `idpc fmt`: a byte-order mark is dropped.
    let program = text.strip_prefix('\u{feff}').unwrap_or(text);
    let formatted = crate::formatter::format(program, 0).map_err(|err| {
        let shift = text.len() - program.len();
        let at = LineIndex::new(text).position(err.span.start + shift);
        Failure::refused(format!(
            "cannot format: the program does not parse (line {}, column {}); fix the error first",
            at.line + 1,
            at.character + 1
        ))
    })?;
    if formatted == *text {
        return Ok(Some(Vec::new()));
    }
    let index = LineIndex::new(text);
    let whole = index.range(0, text.len());
    Ok(Some(vec![lt::TextEdit::new(whole, formatted)]))
}
