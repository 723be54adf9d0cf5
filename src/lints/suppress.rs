//! `# idpc: allow(W0401, W0402) reason: <why>` on its own line suppresses
//! those codes for the diagnostics whose primary label lies within the item
//! that starts on the next line that is neither blank nor a comment: a
//! statement, a pool line, or a whole block when it is above the block.
//! (A diagnostic about a stack file counts as being on the `use "..."`
//! line that reads it.)
//!
//! Comments are silent in the grammar, so they are found in the text: a
//! `#` outside a string starts one (strings never span lines).

use super::{Suppressed, SuppressedBy};
use crate::diag::{Code, Diagnostic, FileId, Severity};
use crate::suggest::did_you_mean;
use crate::syntax::ast::Span;
use crate::syntax::outline::items_starting_at;
use crate::syntax::trivia;

/// What marks a comment as meant for idpc.
const MARKER: &str = "idpc:";

/// One `# idpc: ...` comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// The whole comment, from `#` to the end of the line.
    pub span: Span,
    /// What it says, or why it cannot be read.
    pub form: Result<Allow, Unreadable>,
}

/// A readable `allow(...)` directive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Allow {
    /// The codes as written, each with its span.
    pub codes: Vec<(String, Span)>,
    /// The text after `reason:`, trimmed; `None` without `reason:` or with
    /// nothing after it.
    pub reason: Option<String>,
    /// The item it applies to; `None` when no item follows.
    pub item: Option<Span>,
}

/// Why a directive cannot be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unreadable {
    /// It does not read `allow(CODE, ...) reason: ...`.
    Malformed,
    /// It follows code on its line, so "the next item" is ambiguous.
    NotOnItsOwnLine,
}

/// Every `# idpc:` comment of a program, with the item each applies to.
pub fn directives(text: &str, file: FileId) -> Vec<Directive> {
    if !text.contains(MARKER) {
        return Vec::new();
    }
    let mut found = Vec::new();
    // Per readable directive: its index in `found` and the line it is on.
    let mut targets = Vec::new();
    // Per line: where its code starts, if it is neither blank nor only a
    // comment.
    let mut code_starts = Vec::new();
    let mut comments = trivia::comments(text).into_iter().peekable();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let trimmed = body.trim_start();
        code_starts.push(
            (!trimmed.is_empty() && !trimmed.starts_with('#'))
                .then_some(line_start + (body.len() - trimmed.len())),
        );
        let comment = comments.next_if(|c| c.start < line_start + line.len());
        if let Some(hash) = comment.map(|c| c.start - line_start) {
            let comment = &body[hash + 1..];
            let after = comment.trim_start();
            if let Some(rest) = after.strip_prefix(MARKER) {
                let span = Span::new(file, line_start + hash, line_start + body.len());
                let rest_at = line_start + hash + 1 + (comment.len() - after.len()) + MARKER.len();
                let form = if !body[..hash].trim().is_empty() {
                    Err(Unreadable::NotOnItsOwnLine)
                } else {
                    read_allow(rest, rest_at, file).ok_or(Unreadable::Malformed)
                };
                if form.is_ok() {
                    targets.push((found.len(), code_starts.len() - 1));
                }
                found.push(Directive { span, form });
            }
        }
        line_start += line.len();
    }
    // The first code after each line, found backwards in one pass (a
    // forward search per directive is quadratic on a hostile file of
    // directives).
    let mut next_code = vec![None; code_starts.len()];
    let mut following = None;
    for (line, start) in code_starts.iter().enumerate().rev() {
        next_code[line] = following;
        if start.is_some() {
            following = *start;
        }
    }
    let starts: Vec<Option<usize>> = targets.iter().map(|(_, line)| next_code[*line]).collect();
    let offsets: Vec<usize> = starts.iter().flatten().copied().collect();
    let mut items = items_starting_at(text, file, &offsets).into_iter();
    for ((index, _), start) in targets.iter().zip(starts) {
        let item = match start {
            Some(_) => items.next().flatten(),
            None => None,
        };
        if let Some(Ok(allow)) = found.get_mut(*index).map(|d| &mut d.form) {
            allow.item = item;
        }
    }
    found
}

/// Reads ` allow(W0401, W0402) reason: text`, which starts at `at`.
fn read_allow(rest: &str, at: usize, file: FileId) -> Option<Allow> {
    let trimmed = rest.trim_start();
    let after_allow = trimmed.strip_prefix("allow")?.trim_start();
    let list = after_allow.strip_prefix('(')?;
    let close = list.find(')')?;
    let list_at = at + (rest.len() - list.len());
    let mut codes = Vec::new();
    let mut offset = 0;
    for part in list[..close].split(',') {
        let code = part.trim();
        let start = list_at + offset + (part.len() - part.trim_start().len());
        offset += part.len() + 1;
        if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
            return None;
        }
        codes.push((code.to_string(), Span::new(file, start, start + code.len())));
    }
    let tail = list[close + 1..].trim();
    let reason = if tail.is_empty() {
        None
    } else {
        let text = tail.strip_prefix("reason:")?.trim();
        (!text.is_empty()).then(|| text.to_string())
    };
    Some(Allow {
        codes,
        reason,
        item: None,
    })
}

/// Drops the diagnostics the program's suppression comments allow and
/// adds the comments' own warnings (W0501-W0505).
pub(super) fn apply(
    diagnostics: Vec<Diagnostic>,
    file: FileId,
    text: &str,
) -> (Vec<Diagnostic>, Vec<Suppressed>) {
    let directives = directives(text, file);
    if directives.is_empty() {
        return (diagnostics, Vec::new());
    }
    // With errors, the least-privilege lints never ran and the checker may
    // have stopped early: whether a comment suppresses nothing is unknown.
    let judged = !diagnostics
        .iter()
        .any(|diagnostic| diagnostic.severity() == Severity::Error);
    // For each directive and each of its codes: the code if it can
    // suppress, and whether it did.
    let mut usable: Vec<Vec<(Option<Code>, bool)>> = directives
        .iter()
        .map(|directive| match &directive.form {
            Ok(allow) => allow
                .codes
                .iter()
                .map(|(written, _)| {
                    let code = Code::parse(written)
                        .filter(|code| code.comment_suppressible())
                        .filter(|code| code.as_str() == written);
                    (code, false)
                })
                .collect(),
            Err(_) => Vec::new(),
        })
        .collect();
    let by = suppressing_directives(&diagnostics, &directives, &usable, file);
    let mut shown = Vec::with_capacity(diagnostics.len());
    let mut suppressed = Vec::new();
    for (diagnostic, by) in diagnostics.into_iter().zip(by) {
        match by {
            Some((index, slot)) => {
                if let Some(entry) = usable.get_mut(index).and_then(|codes| codes.get_mut(slot)) {
                    entry.1 = true;
                }
                let reason = match &directives[index].form {
                    Ok(allow) => allow.reason.clone().unwrap_or_default(),
                    Err(_) => String::new(),
                };
                suppressed.push(Suppressed {
                    diagnostic,
                    by: SuppressedBy::Comment { reason },
                });
            }
            None => shown.push(diagnostic),
        }
    }
    for (directive, usable) in directives.iter().zip(&usable) {
        shown.extend(complaints(directive, usable, judged));
    }
    (shown, suppressed)
}

/// For each diagnostic, the directive (and the slot of the code in it) that
/// suppresses it, if any; the innermost item's directive wins.
///
/// Items are grammar nodes, so any two are nested or disjoint: a sweep in
/// source order keeps the items around the current place on a stack, a few
/// deep, whatever the number of directives or diagnostics.
fn suppressing_directives(
    diagnostics: &[Diagnostic],
    directives: &[Directive],
    usable: &[Vec<(Option<Code>, bool)>],
    file: FileId,
) -> Vec<Option<(usize, usize)>> {
    // Each item once, with the directives above it; outer before inner.
    let mut items: Vec<(Span, Vec<usize>)> = Vec::new();
    let mut targeted: Vec<(Span, usize)> = directives
        .iter()
        .enumerate()
        .filter_map(|(index, d)| Some((d.form.as_ref().ok()?.item?, index)))
        .collect();
    targeted.sort_by_key(|(item, index)| (item.start, std::cmp::Reverse(item.end), *index));
    for (item, index) in targeted {
        match items.last_mut() {
            Some((last, list)) if *last == item => list.push(index),
            _ => items.push((item, vec![index])),
        }
    }
    let mut order: Vec<(usize, Span)> = diagnostics
        .iter()
        .enumerate()
        .filter_map(|(at, d)| Some((at, anchor(d, file)?.span)))
        .collect();
    order.sort_by_key(|(at, span)| (span.start, *at));
    let mut found = vec![None; diagnostics.len()];
    let mut open: Vec<usize> = Vec::new();
    let mut next = 0;
    for (at, span) in order {
        while let Some((item, _)) = items.get(next) {
            if item.start > span.start {
                break;
            }
            while open
                .last()
                .is_some_and(|top| items[*top].0.end <= item.start)
            {
                open.pop();
            }
            open.push(next);
            next += 1;
        }
        while open
            .last()
            .is_some_and(|top| items[*top].0.end < span.start)
        {
            open.pop();
        }
        let code = diagnostics[at].code;
        found[at] = open.iter().rev().find_map(|item| {
            let (extent, list) = &items[*item];
            if span.start < extent.start || extent.end < span.end {
                return None;
            }
            list.iter().find_map(|index| {
                let slot = usable[*index].iter().position(|(c, _)| *c == Some(code))?;
                Some((*index, slot))
            })
        });
    }
    found
}

/// Where a diagnostic is in the program: its primary label, or, for a
/// diagnostic about a stack file, its label on the program's `use` line.
fn anchor(diagnostic: &Diagnostic, file: FileId) -> Option<&crate::diag::Label> {
    match diagnostic.primary() {
        Some(primary) if primary.span.file == file => Some(primary),
        Some(_) => diagnostic
            .labels
            .iter()
            .find(|label| label.span.file == file),
        None => None,
    }
}

/// The warnings about one directive; "suppresses nothing" only when the
/// program was `judged` (had no error).
fn complaints(
    directive: &Directive,
    usable: &[(Option<Code>, bool)],
    judged: bool,
) -> Vec<Diagnostic> {
    let allow = match &directive.form {
        Ok(allow) => allow,
        Err(unreadable) => return vec![unreadable_directive(directive.span, unreadable)],
    };
    let mut found = Vec::new();
    if allow.reason.is_none() {
        found.push(
            Diagnostic::new(
                Code::W0501,
                "a suppression comment must say why",
                directive.span,
            )
            .with_label("no reason given")
            .with_help("end it with `reason: <why it is fine here>`, for the next reader"),
        );
    }
    for ((written, span), (code, used)) in allow.codes.iter().zip(usable) {
        let suppresses_nothing = !*used && code.is_some() && judged;
        found.extend(code_complaint(allow, written, *span, suppresses_nothing));
    }
    found
}

/// W0505: a `# idpc:` comment idpc cannot read as a directive.
fn unreadable_directive(span: Span, unreadable: &Unreadable) -> Diagnostic {
    match unreadable {
        Unreadable::NotOnItsOwnLine => Diagnostic::new(
            Code::W0505,
            "a suppression comment must be on its own line",
            span,
        )
        .with_label("this follows code on the same line")
        .with_help("move it to its own line, above the item it is about"),
        Unreadable::Malformed => Diagnostic::new(
            Code::W0505,
            "this `# idpc:` comment does not say `allow(CODE, ...) reason: ...`",
            span,
        )
        .with_label("idpc cannot read this")
        .with_help("write `# idpc: allow(W0401) reason: <why it is fine here>`"),
    }
}

/// What is wrong with one code of an `allow(...)`, if anything: unknown
/// (W0502), an error (W0503), or, when `suppresses_nothing`, W0504.
fn code_complaint(
    allow: &Allow,
    written: &str,
    span: Span,
    suppresses_nothing: bool,
) -> Option<Diagnostic> {
    Some(match Code::parse(written) {
        None => {
            let diagnostic =
                Diagnostic::new(Code::W0502, format!("unknown code `{written}`"), span)
                    .with_label("no diagnostic has this code");
            match did_you_mean(written, Code::ALL.iter().map(|c| c.as_str())) {
                Some(close) => diagnostic.with_help(format!("did you mean `{close}`?")),
                None => diagnostic.with_help("`idpc explain` lists every code"),
            }
        }
        Some(known) if known.as_str() != written => {
            Diagnostic::new(Code::W0502, format!("unknown code `{written}`"), span)
                .with_label("codes are written in capitals")
                .with_help(format!("did you mean `{known}`?"))
        }
        Some(error) if error.severity() == Severity::Error => Diagnostic::new(
            Code::W0503,
            format!("`{error}` is an error and cannot be suppressed"),
            span,
        )
        .with_label("an error")
        .with_help(format!(
            "fix the error instead (`idpc explain {error}`), and remove it from the comment"
        )),
        Some(claim) if !claim.comment_suppressible() => Diagnostic::new(
            Code::W0503,
            format!("`{claim}` is about an `expect` and cannot be suppressed by a comment"),
            span,
        )
        .with_label("a claim's warning")
        .with_help(format!(
            "prove the claim or delete the `expect` (`idpc explain {claim}`); `idpc.toml` may set `{claim}`'s level for the project"
        )),
        Some(_) if !suppresses_nothing => return None,
        Some(known) => {
            let diagnostic = Diagnostic::new(
                Code::W0504,
                format!("`{known}` is suppressed here, but the item below has no `{known}`"),
                span,
            );
            match allow.item {
                Some(item) => diagnostic
                    .with_label("suppresses nothing")
                    .with_secondary(item, "the item it applies to"),
                None => diagnostic.with_label("no item follows this comment"),
            }
            .with_help(format!("remove `{known}` from the comment"))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::{Unreadable, directives};

    #[test]
    fn a_hash_inside_a_string_is_not_a_comment() {
        let text = "pool P {\n  name \"a # idpc: allow(W0101)\"\n}\n";
        assert!(directives(text, 0).is_empty());
    }

    #[test]
    fn reads_codes_reason_and_the_next_item() {
        let text = "# idpc: allow(W0101, W0401) reason: kept for later\n\n# more\nuse bucket B\n";
        let found = directives(text, 0);
        assert_eq!(found.len(), 1);
        let Ok(allow) = &found[0].form else {
            unreachable!("{found:?}")
        };
        let codes: Vec<&str> = allow.codes.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(codes, ["W0101", "W0401"]);
        assert_eq!(
            allow
                .codes
                .iter()
                .map(|(_, s)| &text[s.start..s.end])
                .collect::<Vec<_>>(),
            ["W0101", "W0401"]
        );
        assert_eq!(allow.reason.as_deref(), Some("kept for later"));
        assert_eq!(
            allow.item.map(|s| &text[s.start..s.end]),
            Some("use bucket B")
        );
    }

    #[test]
    fn a_trailing_directive_is_refused() {
        let text = "use bucket B # idpc: allow(W0101) reason: x\n";
        assert_eq!(
            directives(text, 0)[0].form,
            Err(Unreadable::NotOnItsOwnLine)
        );
    }
}
