//! Conversions for `expect` items: the properties a program claims.

use super::ast::*;
use super::{Cx, ParseError, Rule, action_items_and_resources, name, required_name, string_text};
use pest::iterators::Pair;

/// `expect isolated ...`, `expect WHO cannot ...`, `expect Role only via ...`.
pub(super) fn expect(cx: Cx, pair: Pair<Rule>) -> Result<Expect, ParseError> {
    let span = super::tight_span(cx, &pair);
    let mut head = span;
    let mut form = None;
    for part in pair.into_inner() {
        match part.as_rule() {
            Rule::expect_isolated => {
                let (isolated, end) = isolated(cx, part)?;
                head.end = end;
                form = Some(isolated);
            }
            Rule::expect_cannot => {
                let (cannot, end) = cannot(cx, part)?;
                head.end = end;
                form = Some(cannot);
            }
            Rule::expect_only_via => {
                let (only_via, end) = only_via(cx, part)?;
                head.end = end;
                form = Some(only_via);
            }
            _ => {}
        }
    }
    // The grammar guarantees one of the forms.
    let form = form.unwrap_or(ExpectForm::Isolated {
        resources: Vec::new(),
    });
    Ok(Expect { form, span, head })
}

/// `isolated R, ...`, and where `isolated` ends.
fn isolated(cx: Cx, pair: Pair<Rule>) -> Result<(ExpectForm, usize), ParseError> {
    let mut end = cx.span(pair.as_span()).end;
    if let Some(keyword) = pair.clone().into_inner().next() {
        end = cx.span(keyword.as_span()).end;
    }
    let (_, resources) = action_items_and_resources(cx, pair)?;
    Ok((ExpectForm::Isolated { resources }, end))
}

/// `WHO [of Pool] cannot ACTIONS on RESOURCES`, and where `cannot` ends.
fn cannot(cx: Cx, pair: Pair<Rule>) -> Result<(ExpectForm, usize), ParseError> {
    let mut who = Spanned::new(Who::Anyone, Span::synthetic());
    let mut pool = None;
    let mut end = cx.span(pair.as_span()).end;
    for part in pair.clone().into_inner() {
        let span = cx.span(part.as_span());
        match part.as_rule() {
            Rule::expect_who => {
                let node = match part.into_inner().next() {
                    Some(inner) if inner.as_rule() == Rule::name => Who::Role(name(cx, inner)?),
                    Some(inner) if inner.as_rule() == Rule::kw_guests => Who::Guests,
                    Some(inner) if inner.as_rule() == Rule::kw_signed_in => Who::SignedIn,
                    _ => Who::Anyone,
                };
                who = Spanned::new(node, span);
            }
            Rule::expect_pool => {
                let pool_name = part.into_inner().find(|p| p.as_rule() == Rule::name);
                pool = Some(required_name(pool_name.map(|p| name(cx, p)).transpose()?));
            }
            Rule::kw_cannot => end = span.end,
            _ => {}
        }
    }
    let (actions, resources) = action_items_and_resources(cx, pair)?;
    let form = ExpectForm::Cannot {
        who,
        pool,
        actions,
        resources,
    };
    Ok((form, end))
}

/// `Role only via TEST [or TEST]...`, and where `via` ends.
fn only_via(cx: Cx, pair: Pair<Rule>) -> Result<(ExpectForm, usize), ParseError> {
    let mut role = None;
    let mut alternatives = Vec::new();
    let mut end = cx.span(pair.as_span()).end;
    for part in pair.into_inner() {
        let span = super::tight_span(cx, &part);
        match part.as_rule() {
            Rule::name => role = Some(name(cx, part)?),
            Rule::kw_via => end = span.end,
            Rule::claim_test => alternatives.push(Spanned::new(claim_test(cx, part), span)),
            _ => {}
        }
    }
    let form = ExpectForm::OnlyVia {
        role: required_name(role),
        alternatives,
    };
    Ok((form, end))
}

/// `CLAIM OP "value"`.
fn claim_test(cx: Cx, pair: Pair<Rule>) -> ClaimTest {
    let mut claim = Text::default();
    let mut op = Spanned::new(MatchOp::Equals, Span::synthetic());
    let mut value = Text::default();
    for part in pair.into_inner() {
        let span = cx.span(part.as_span());
        match part.as_rule() {
            Rule::claim => claim = claim_name(cx, part),
            Rule::match_op => {
                let node = MatchOp::from_keyword(part.as_str()).unwrap_or(MatchOp::Equals);
                op = Spanned::new(node, span);
            }
            Rule::string => value = string_text(cx, part),
            _ => {}
        }
    }
    ClaimTest { claim, op, value }
}

/// A claim's name: the quoted string's text, or the bare word as one
/// literal.
fn claim_name(cx: Cx, pair: Pair<Rule>) -> Text {
    let span = cx.span(pair.as_span());
    match pair.into_inner().next() {
        Some(inner) if inner.as_rule() == Rule::string => string_text(cx, inner),
        Some(inner) => {
            let span = cx.span(inner.as_span());
            Text {
                parts: vec![Spanned::new(
                    TextPart::Literal(inner.as_str().to_string()),
                    span,
                )],
                span,
            }
        }
        None => Text {
            parts: Vec::new(),
            span,
        },
    }
}
