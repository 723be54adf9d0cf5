//! Step one: text to a typed, spanned syntax tree.
//!
//! [`parse`] runs the pest grammar (`grammar/idp.pest`) and converts its
//! pairs into [`ast::Program`], one conversion function per grammar rule.
//! Errors say what was expected in the user's words, never in rule names.

pub mod ast;
pub mod outline;
pub(crate) mod trivia;

use ast::*;
use pest::Parser as _;
use pest::iterators::{Pair, Pairs};

/// The pest parser generated from `grammar/idp.pest`.
#[derive(pest_derive::Parser)]
#[grammar = "../grammar/idp.pest"]
struct IdpParser;

/// The longest logical ID CloudFormation accepts.
pub const MAX_NAME_LEN: usize = 255;

/// A program that parsed: proof that step one ran.
#[derive(Clone, Debug)]
pub struct Parsed {
    /// The syntax tree.
    pub program: Program,
}

/// Why a program could not be parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// What went wrong.
    pub kind: ParseErrorKind,
    /// Where: the offending token, or an empty span at the end of the file.
    pub span: Span,
}

/// The kinds of [`ParseError`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// The text does not fit the grammar here. `expected` lists what would
    /// fit (e.g. `Expected::Token("{")`), `found` describes what is there.
    Unexpected {
        /// What would have been accepted (worded when shown).
        expected: Vec<Expected>,
        /// What is there instead.
        found: Found,
    },
    /// A word that would be a logical ID but for a `_` or `-` in it, such
    /// as `my_bucket`; the span covers the whole word.
    NameWithPunctuation {
        /// The word as written.
        word: String,
    },
    /// A logical ID longer than [`MAX_NAME_LEN`] characters.
    NameTooLong {
        /// Its length.
        len: usize,
    },
    /// The file is not UTF-8; `offset` is the first bad byte.
    NotUtf8 {
        /// Byte offset of the first invalid byte.
        offset: usize,
    },
    /// A character that editors show as a line break but idpc does not
    /// (a carriage return not followed by a newline, U+0085, U+2028,
    /// U+2029); the span covers it.
    StrayLineBreak {
        /// The character.
        found: char,
    },
}

/// Decodes a file's bytes, refusing anything that is not UTF-8. A leading
/// byte-order mark (which Windows editors write) is dropped: it is not part
/// of the program, and left in it would be an invisible syntax error.
pub fn decode(bytes: &[u8]) -> Result<&str, ParseError> {
    let text = std::str::from_utf8(bytes).map_err(|err| {
        let offset = err.valid_up_to();
        ParseError {
            kind: ParseErrorKind::NotUtf8 { offset },
            span: Span::new(offset, offset),
        }
    })?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text))
}

/// Parses a whole program.
pub fn parse(source: &str) -> Result<Parsed, ParseError> {
    stray_line_break(source)?;
    let mut pairs =
        IdpParser::parse(Rule::program, source).map_err(|err| from_pest(source, err))?;
    let program = match pairs.next() {
        Some(pair) => program(pair)?,
        None => Program { items: Vec::new() },
    };
    Ok(Parsed { program })
}

/// Refuses the first character that some editors take for the end of a line
/// and idpc does not. Lines end at LF, and CRLF is LF with a blank before
/// it; a lone CR (classic Mac OS), NEL, or a Unicode line or paragraph
/// separator would end a `#` comment on the screen but not for idpc, so the
/// code after it would silently be part of the comment. Refusing them
/// anywhere (strings included) also keeps diagnostics' line numbers, which
/// count LFs, equal to the editor's.
fn stray_line_break(source: &str) -> Result<(), ParseError> {
    match first_stray_line_break(source) {
        None => Ok(()),
        Some((at, found)) => Err(ParseError {
            kind: ParseErrorKind::StrayLineBreak { found },
            span: Span::new(at, at + found.len_utf8()),
        }),
    }
}

/// `source` as diagnostics show it: each character E0004 refuses becomes
/// blanks of the same length in bytes, so spans still fit, and a terminal
/// does not jump back to the start of the line (CR) while printing it.
pub fn shown(source: &str) -> std::borrow::Cow<'_, str> {
    if first_stray_line_break(source).is_none() {
        return std::borrow::Cow::Borrowed(source);
    }
    let mut out = String::with_capacity(source.len());
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        let stray = match c {
            '\r' => chars.peek() != Some(&'\n'),
            '\u{85}' | '\u{2028}' | '\u{2029}' => true,
            _ => false,
        };
        if stray {
            out.extend(std::iter::repeat_n(' ', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The first character [`stray_line_break`] refuses, with its offset.
fn first_stray_line_break(source: &str) -> Option<(usize, char)> {
    // By bytes: a CR is 0D, and NEL, LS and PS are C2 85, E2 80 A8, E2 80 A9.
    let bytes = source.as_bytes();
    bytes.iter().enumerate().find_map(|(at, &byte)| {
        let rest = &bytes[at..];
        match byte {
            b'\r' if rest.get(1) != Some(&b'\n') => Some((at, '\r')),
            0xC2 if rest.starts_with(&[0xC2, 0x85]) => Some((at, '\u{85}')),
            0xE2 if rest.starts_with(&[0xE2, 0x80, 0xA8]) => Some((at, '\u{2028}')),
            0xE2 if rest.starts_with(&[0xE2, 0x80, 0xA9]) => Some((at, '\u{2029}')),
            _ => None,
        }
    })
}

fn program(pair: Pair<Rule>) -> Result<Program, ParseError> {
    let mut items = Vec::new();
    for pair in pair.into_inner() {
        match pair.as_rule() {
            Rule::use_kind => items.push(Item::Use(use_kind(pair)?)),
            Rule::use_file => items.push(Item::UseFile(UseFile {
                path: first_string(pair)?,
            })),
            Rule::identity_pool => items.push(Item::IdentityPool(identity_pool(pair)?)),
            Rule::role_decl => items.push(Item::Role(pool::role_decl(pair)?)),
            Rule::output => items.push(Item::Output(output(pair)?)),
            _ => {}
        }
    }
    Ok(Program { items })
}

fn use_kind(pair: Pair<Rule>) -> Result<UseKind, ParseError> {
    let mut kind = None;
    let mut names = Vec::new();
    for pair in pair.into_inner() {
        match pair.as_rule() {
            Rule::kind => {
                // The grammar only admits kind keywords here.
                if let Some(k) = Kind::from_keyword(pair.as_str()) {
                    kind = Some(Spanned::new(k, pair.as_span().into()));
                }
            }
            Rule::name => names.push(name(pair)?),
            _ => {}
        }
    }
    let kind = kind.unwrap_or(Spanned::new(Kind::Bucket, Span::default()));
    Ok(UseKind { kind, names })
}

fn identity_pool(pair: Pair<Rule>) -> Result<IdentityPool, ParseError> {
    let mut pool_name = None;
    let mut body = Vec::new();
    for pair in pair.into_inner() {
        let span: Span = tight_span(&pair);
        match pair.as_rule() {
            Rule::name => pool_name = Some(name(pair)?),
            Rule::pool_name => {
                body.push(Spanned::new(PoolItem::PoolName(first_string(pair)?), span))
            }
            Rule::classic_flow => body.push(Spanned::new(PoolItem::ClassicFlow, span)),
            Rule::pool_tag => body.push(Spanned::new(pool::pool_tag(pair), span)),
            Rule::provider => body.push(Spanned::new(pool::provider(pair)?, span)),
            Rule::role_mapping => body.push(Spanned::new(
                PoolItem::RoleMapping(pool::role_mapping(pair)?),
                span,
            )),
            Rule::principal_tags => body.push(Spanned::new(
                PoolItem::PrincipalTags(pool::principal_tags(pair)?),
                span,
            )),
            Rule::pool_role => body.push(Spanned::new(PoolItem::Role(pool_role(pair)?), span)),
            _ => {}
        }
    }
    Ok(IdentityPool {
        name: required_name(pool_name),
        body,
    })
}

fn pool_role(pair: Pair<Rule>) -> Result<PoolRole, ParseError> {
    let mut usage = None;
    let mut role_name = None;
    let mut body = None;
    for pair in pair.into_inner() {
        let span: Span = pair.as_span().into();
        match pair.as_rule() {
            Rule::role_usage => {
                let value = if pair.as_str() == "unauthenticated" {
                    RoleUsage::Unauthenticated
                } else {
                    RoleUsage::Authenticated
                };
                usage = Some(Spanned::new(value, span));
            }
            Rule::name => role_name = Some(name(pair)?),
            Rule::role_body => body = Some(Spanned::new(role_body(pair)?, span)),
            _ => {}
        }
    }
    Ok(PoolRole {
        usage: usage.unwrap_or(Spanned::new(RoleUsage::Authenticated, Span::default())),
        name: role_name,
        body,
    })
}

pub(crate) fn role_body(pair: Pair<Rule>) -> Result<Vec<Spanned<RoleItem>>, ParseError> {
    let mut items = Vec::new();
    for pair in pair.into_inner() {
        let span: Span = tight_span(&pair);
        match pair.as_rule() {
            Rule::policy_name => items.push(Spanned::new(
                RoleItem::PolicyName(first_string(pair)?),
                span,
            )),
            Rule::managed_policy => items.push(Spanned::new(
                RoleItem::ManagedPolicy(first_string(pair)?),
                span,
            )),
            Rule::boundary => {
                items.push(Spanned::new(RoleItem::Boundary(first_string(pair)?), span))
            }
            Rule::statement => {
                items.push(Spanned::new(RoleItem::Statement(statement(pair)?), span))
            }
            _ => {}
        }
    }
    Ok(items)
}

fn statement(pair: Pair<Rule>) -> Result<Statement, ParseError> {
    let mut effect = Spanned::new(Effect::Allow, Span::default());
    let mut actions = Vec::new();
    let mut resources = Vec::new();
    let mut conditions = Vec::new();
    for pair in pair.into_inner() {
        let span: Span = pair.as_span().into();
        match pair.as_rule() {
            Rule::effect => {
                let value = if pair.as_str() == "deny" {
                    Effect::Deny
                } else {
                    Effect::Allow
                };
                effect = Spanned::new(value, span);
            }
            Rule::action => actions.push(Spanned::new(ActionItem::Pattern(action(pair)), span)),
            Rule::access_level => {
                let level =
                    AccessLevel::from_keyword(pair.as_str()).unwrap_or(AccessLevel::Permissions);
                actions.push(Spanned::new(ActionItem::Level(level), span));
            }
            Rule::condition => conditions.push(Spanned::new(condition(pair), span)),
            Rule::any_resource => resources.push(Spanned::new(Resource::Any, span)),
            Rule::arn_resource => {
                resources.push(Spanned::new(Resource::Arn(first_string(pair)?), span))
            }
            Rule::named_resource => resources.push(Spanned::new(named_resource(pair)?, span)),
            _ => {}
        }
    }
    Ok(Statement {
        effect,
        actions,
        resources,
        conditions,
    })
}

fn condition(pair: Pair<Rule>) -> Condition {
    let mut quantifier = None;
    let mut key = Spanned::new(String::new(), Span::default());
    let mut op = Spanned::new(ConditionOp::Equals, Span::default());
    let mut values = Vec::new();
    for part in pair.into_inner() {
        let span: Span = part.as_span().into();
        match part.as_rule() {
            Rule::quantifier => {
                let value = Quantifier::from_keyword(part.as_str()).unwrap_or(Quantifier::Any);
                quantifier = Some(Spanned::new(value, span));
            }
            Rule::condition_key => key = Spanned::new(part.as_str().to_string(), span),
            Rule::unary_test | Rule::condition_op => {
                // The operator's keywords, not its text: a comment may sit
                // between `is` and `true`.
                let words: Vec<&str> = part.clone().into_inner().map(|w| w.as_str()).collect();
                let value = ConditionOp::from_words(&words).unwrap_or(ConditionOp::Equals);
                op = Spanned::new(value, span);
            }
            Rule::condition_value => {
                values = part
                    .into_inner()
                    .filter(|p| p.as_rule() == Rule::string)
                    .map(string_text)
                    .collect();
            }
            _ => {}
        }
    }
    Condition {
        quantifier,
        key,
        op,
        values,
    }
}

fn action(pair: Pair<Rule>) -> ActionPattern {
    let (service, action) = pair.as_str().split_once(':').unwrap_or((pair.as_str(), ""));
    ActionPattern {
        service: service.to_string(),
        action: action.to_string(),
    }
}

fn named_resource(pair: Pair<Rule>) -> Result<Resource, ParseError> {
    let mut resource_name = None;
    let mut path = None;
    for pair in pair.into_inner() {
        match pair.as_rule() {
            Rule::name => resource_name = Some(name(pair)?),
            Rule::resource_path => path = Some(resource_path(pair)),
            _ => {}
        }
    }
    Ok(Resource::Named {
        name: required_name(resource_name),
        path,
    })
}

/// The path after `Name/`, without that first `/`.
fn resource_path(pair: Pair<Rule>) -> Text {
    let span = pair.as_span();
    let mut text = TextBuilder::new(Span::new(span.start() + 1, span.end()));
    for part in pair.into_inner() {
        let part_span: Span = part.as_span().into();
        match part.as_rule() {
            Rule::path_text => text.literal(part.as_str(), part_span),
            Rule::policy_var => text.push(TextPart::PolicyVar(policy_var_key(part)), part_span),
            _ => {}
        }
    }
    text.finish()
}

fn output(pair: Pair<Rule>) -> Result<Output, ParseError> {
    let mut output_name = None;
    let mut target = None;
    let mut attribute = None;
    for pair in pair.into_inner() {
        match pair.as_rule() {
            Rule::name => output_name = Some(name(pair)?),
            Rule::output_target => {
                for inner in pair.into_inner() {
                    match inner.as_rule() {
                        Rule::name => target = Some(name(inner)?),
                        Rule::attribute => {
                            attribute = Some(Spanned::new(
                                inner.as_str().to_string(),
                                inner.as_span().into(),
                            ))
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    Ok(Output {
        name: required_name(output_name),
        target: required_name(target),
        attribute,
    })
}

pub(crate) fn name(pair: Pair<Rule>) -> Result<Name, ParseError> {
    let span: Span = pair.as_span().into();
    let text = pair.as_str();
    if text.len() > MAX_NAME_LEN {
        return Err(ParseError {
            kind: ParseErrorKind::NameTooLong { len: text.len() },
            span,
        });
    }
    Ok(Spanned::new(text.to_string(), span))
}

/// The grammar guarantees the name is there; an empty one would only show
/// up as an "unknown resource" diagnostic, never a panic.
pub(crate) fn required_name(name: Option<Name>) -> Name {
    name.unwrap_or_else(|| Spanned::new(String::new(), Span::default()))
}

/// The first `string` inside a pair (the grammar guarantees one).
fn first_string(pair: Pair<Rule>) -> Result<Text, ParseError> {
    let span: Span = pair.as_span().into();
    match find(pair.into_inner(), Rule::string) {
        Some(string) => Ok(string_text(string)),
        None => Ok(Text {
            parts: Vec::new(),
            span,
        }),
    }
}

/// The pair's span, ending where its last token (a leaf) ends, without the
/// blanks and comments after it.
/// pest skips them before trying a trailing optional or repeated part
/// (`server_side_token_check?`, `(comma ~ resource)*`) and keeps them in the
/// span even when that part is absent, so a label would run onto the next
/// line.
fn tight_span(pair: &Pair<Rule>) -> Span {
    // Tokens don't overlap, so the last token ends last: follow the last
    // child down (its children, not every descendant: BENCHMARKS.md).
    let mut last = pair.clone();
    while let Some(child) = last.clone().into_inner().next_back() {
        last = child;
    }
    Span::new(pair.as_span().start(), last.as_span().end())
}

fn find(pairs: Pairs<Rule>, rule: Rule) -> Option<Pair<Rule>> {
    pairs.flatten().find(|pair| pair.as_rule() == rule)
}

pub(crate) fn string_text(pair: Pair<Rule>) -> Text {
    let mut text = TextBuilder::new(pair.as_span().into());
    for part in pair.into_inner() {
        let span: Span = part.as_span().into();
        match part.as_rule() {
            Rule::string_text => text.literal(part.as_str(), span),
            Rule::escape => {
                let unescaped = match part.as_str() {
                    "\\n" => "\n",
                    "\\\"" => "\"",
                    _ => "\\",
                };
                text.literal(unescaped, span)
            }
            Rule::policy_var => text.push(TextPart::PolicyVar(policy_var_key(part)), span),
            Rule::serverless_var => {
                text.push(TextPart::ServerlessVar(part.as_str().to_string()), span)
            }
            _ => {}
        }
    }
    text.finish()
}

fn policy_var_key(pair: Pair<Rule>) -> String {
    find(pair.into_inner(), Rule::policy_var_name)
        .map(|key| key.as_str().to_string())
        .unwrap_or_default()
}

/// Builds a [`Text`], merging adjacent literal parts.
struct TextBuilder {
    text: Text,
}

impl TextBuilder {
    fn new(span: Span) -> TextBuilder {
        TextBuilder {
            text: Text {
                parts: Vec::new(),
                span,
            },
        }
    }

    fn literal(&mut self, value: &str, span: Span) {
        if let Some(last) = self.text.parts.last_mut()
            && let TextPart::Literal(previous) = &mut last.node
        {
            previous.push_str(value);
            last.span = last.span.to(span);
            return;
        }
        self.push(TextPart::Literal(value.to_string()), span);
    }

    fn push(&mut self, part: TextPart, span: Span) {
        self.text.parts.push(Spanned::new(part, span));
    }

    fn finish(self) -> Text {
        self.text
    }
}

mod diagnostic;
mod expected;
pub use expected::{Expected, Found};
mod pool;
use expected::from_pest;

/// Whether a word is reserved (a keyword or a kind), so it cannot be a name.
pub fn is_reserved(word: &str) -> bool {
    IdpParser::parse(Rule::reserved, word).is_ok_and(|pairs| pairs.as_str().len() == word.len())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    fn stray(source: &str) -> Option<(Span, char)> {
        match parse(source) {
            Err(ParseError {
                kind: ParseErrorKind::StrayLineBreak { found },
                span,
            }) => Some((span, found)),
            _ => None,
        }
    }

    #[test]
    fn a_lone_carriage_return_is_refused_where_it_is() {
        // An editor shows `deny` on its own line; idpc would have read it as
        // part of the comment.
        let source = "use bucket A\n# note\rdeny\n";
        assert_eq!(stray(source), Some((Span::new(19, 20), '\r')));
        // Also inside a string or at the very end.
        assert!(stray("use \"a\rb\"\n").is_some());
        assert!(stray("use bucket A\r").is_some());
    }

    #[test]
    fn unicode_line_breaks_are_refused() {
        for c in ['\u{85}', '\u{2028}', '\u{2029}'] {
            let source = format!("use bucket A # x{c}use bucket B\n");
            let (span, found) = stray(&source).unwrap();
            assert_eq!(found, c);
            assert_eq!(&source[span.start..span.end], c.to_string());
        }
    }

    #[test]
    fn crlf_and_lf_parse_alike() {
        let lf = "use bucket A # c\nuse bucket B\n";
        let crlf = lf.replace('\n', "\r\n");
        assert_eq!(parse(lf).unwrap().program, parse(&crlf).unwrap().program);
        assert_eq!(shown(&crlf), crlf);
    }

    #[test]
    fn shown_text_blanks_stray_breaks_byte_for_byte() {
        let source = "a\rb\r\nc\u{2028}d";
        let shown = shown(source);
        assert_eq!(shown, "a b\r\nc   d");
        assert_eq!(shown.len(), source.len());
    }
}
