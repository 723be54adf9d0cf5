//! Step one: text to a typed, spanned syntax tree.
//!
//! [`parse`] runs the pest grammar (`grammar/idp.pest`) an item at a time
//! ([`parse_item`], which a language server can also call for one edited
//! item) and converts each item's pairs into the [`ast::Program`], one
//! conversion function per grammar rule, before pest reads the next item.
//! Spans are offsets into the whole file, in the file the caller names.
//! Errors say what was expected in the user's words, never in rule names.

pub mod ast;
pub(crate) mod outline;
pub(crate) mod trivia;

use crate::source::FileId;
use ast::*;
use pest::Parser as _;
use pest::error::InputLocation;
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
    program: Program,
    file: FileId,
}

/// Only the parser (and the importer, which builds a syntax tree from a
/// template) makes a [`Parsed`]; anyone may read it.
impl Parsed {
    /// A tree some stage of idpc built, pointing into `file`.
    pub(crate) fn new(program: Program, file: FileId) -> Parsed {
        Parsed { program, file }
    }

    /// The syntax tree.
    pub fn program(&self) -> &Program {
        &self.program
    }

    /// The syntax tree, for a stage that consumes it.
    pub fn into_program(self) -> Program {
        self.program
    }

    /// The file it was read from.
    pub fn file(&self) -> FileId {
        self.file
    }
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

/// Decodes the bytes of `file`, refusing anything that is not UTF-8. A leading
/// byte-order mark (which Windows editors write) is dropped: it is not part
/// of the program, and left in it would be an invisible syntax error.
pub fn decode(bytes: &[u8], file: FileId) -> Result<&str, ParseError> {
    let text = std::str::from_utf8(bytes).map_err(|err| {
        let offset = err.valid_up_to();
        ParseError {
            kind: ParseErrorKind::NotUtf8 { offset },
            span: Span::new(file, offset, offset),
        }
    })?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text))
}

/// Parses a whole program, the text of `file`.
///
/// An item at a time ([`parse_item`]): pest's tokens for one item are
/// dropped as soon as its tree is built, so memory holds the syntax tree,
/// not a token queue for the whole file. A program that fails is read again
/// whole, so its error is the one the whole grammar (`program`) gives: the
/// first syntax error in the file, else the first conversion error.
pub fn parse(source: &str, file: FileId) -> Result<Parsed, ParseError> {
    stray_line_break(source, file)?;
    let mut items = Vec::new();
    let mut at = 0;
    loop {
        match parse_item(source, at, file) {
            Ok(Some((item, end))) => {
                items.push(item);
                at = end;
            }
            Ok(None) => {
                return Ok(Parsed {
                    program: Program { items },
                    file,
                });
            }
            Err(_) => {
                // The items read so far are not needed to find the error.
                drop(items);
                return parse_whole(source, file);
            }
        }
    }
}

/// The top-level item after offset `at` of `source` (the text of `file`),
/// past any blanks and comments, with the offset where it ends; `None` at
/// the end of the file. Spans are offsets into the whole `source`. An error
/// here is not necessarily the one [`parse`] reports (see there).
pub fn parse_item(
    source: &str,
    at: usize,
    file: FileId,
) -> Result<Option<(Item, usize)>, ParseError> {
    let cx = Cx { file, offset: at };
    let rest = source.get(at..).unwrap_or("");
    let mut pairs = IdpParser::parse(Rule::next_item, rest).map_err(|mut err| {
        // Described in the whole file, which words before the item are in.
        err.location = match err.location {
            InputLocation::Pos(pos) => InputLocation::Pos(at + pos),
            InputLocation::Span((start, end)) => InputLocation::Span((at + start, at + end)),
        };
        from_pest(source, err, file)
    })?;
    let Some(pair) = pairs.next().and_then(|next| next.into_inner().next()) else {
        return Ok(None);
    };
    let end = at + pair.as_span().end();
    Ok(item(cx, pair)?.map(|item| (item, end)))
}

/// The whole file at once, with the grammar's `program` rule: the errors
/// [`parse`] reports.
fn parse_whole(source: &str, file: FileId) -> Result<Parsed, ParseError> {
    let cx = Cx { file, offset: 0 };
    let mut pairs =
        IdpParser::parse(Rule::program, source).map_err(|err| from_pest(source, err, file))?;
    let program = match pairs.next() {
        Some(pair) => program(cx, pair)?,
        None => Program { items: Vec::new() },
    };
    Ok(Parsed { program, file })
}

/// Where the pairs being converted are: in `file`, in a text pest was
/// given that starts `offset` bytes into it (an item's start, for
/// [`parse_item`]). Spans are always offsets into the whole file.
#[derive(Clone, Copy)]
pub(crate) struct Cx {
    file: FileId,
    offset: usize,
}

impl Cx {
    /// The span of `start..end` of the text pest was given.
    fn at(self, start: usize, end: usize) -> Span {
        Span::new(self.file, self.offset + start, self.offset + end)
    }

    /// The span of a pair.
    fn span(self, span: pest::Span<'_>) -> Span {
        self.at(span.start(), span.end())
    }
}

/// Refuses the first character that some editors take for the end of a line
/// and idpc does not. Lines end at LF, and CRLF is LF with a blank before
/// it; a lone CR (classic Mac OS), NEL, or a Unicode line or paragraph
/// separator would end a `#` comment on the screen but not for idpc, so the
/// code after it would silently be part of the comment. Refusing them
/// anywhere (strings included) also keeps diagnostics' line numbers, which
/// count LFs, equal to the editor's.
fn stray_line_break(source: &str, file: FileId) -> Result<(), ParseError> {
    match first_stray_line_break(source) {
        None => Ok(()),
        Some((at, found)) => Err(ParseError {
            kind: ParseErrorKind::StrayLineBreak { found },
            span: Span::new(file, at, at + found.len_utf8()),
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

fn program(cx: Cx, pair: Pair<Rule>) -> Result<Program, ParseError> {
    let mut items = Vec::new();
    for pair in pair.into_inner() {
        items.extend(item(cx, pair)?);
    }
    Ok(Program { items })
}

/// A top-level item; `None` for the end of the file.
fn item(cx: Cx, pair: Pair<Rule>) -> Result<Option<Item>, ParseError> {
    Ok(Some(match pair.as_rule() {
        Rule::use_kind => Item::Use(use_kind(cx, pair)?),
        Rule::use_file => Item::UseFile(UseFile {
            path: first_string(cx, pair)?,
        }),
        Rule::identity_pool => Item::IdentityPool(identity_pool(cx, pair)?),
        Rule::role_decl => Item::Role(pool::role_decl(cx, pair)?),
        Rule::output => Item::Output(output(cx, pair)?),
        Rule::use_parameter => Item::UseParameter(names(cx, pair)?),
        Rule::use_condition => Item::UseCondition(names(cx, pair)?),
        Rule::managed_policy_decl => Item::ManagedPolicy(managed_policy_decl(cx, pair)?),
        Rule::expect => Item::Expect(expect::expect(cx, pair)?),
        _ => return Ok(None),
    }))
}

/// The names directly inside a pair, in order.
fn names(cx: Cx, pair: Pair<Rule>) -> Result<Vec<Name>, ParseError> {
    pair.into_inner()
        .filter(|p| p.as_rule() == Rule::name)
        .map(|p| name(cx, p))
        .collect()
}

/// The condition of an `if Cond` clause.
pub(crate) fn if_clause(cx: Cx, pair: Pair<Rule>) -> Result<Name, ParseError> {
    Ok(required_name(
        find(pair.into_inner(), Rule::name)
            .map(|p| name(cx, p))
            .transpose()?,
    ))
}

fn use_kind(cx: Cx, pair: Pair<Rule>) -> Result<UseKind, ParseError> {
    let mut kind = None;
    let mut names = Vec::new();
    for pair in pair.into_inner() {
        match pair.as_rule() {
            Rule::kind => {
                // The grammar only admits kind keywords here.
                if let Some(k) = Kind::from_keyword(pair.as_str()) {
                    kind = Some(Spanned::new(k, cx.span(pair.as_span())));
                }
            }
            Rule::name => names.push(name(cx, pair)?),
            _ => {}
        }
    }
    let kind = kind.unwrap_or(Spanned::new(Kind::Bucket, Span::synthetic()));
    Ok(UseKind { kind, names })
}

fn identity_pool(cx: Cx, pair: Pair<Rule>) -> Result<IdentityPool, ParseError> {
    let mut pool_name = None;
    let mut body = Vec::new();
    let mut condition = None;
    for pair in pair.into_inner() {
        let span: Span = tight_span(cx, &pair);
        match pair.as_rule() {
            Rule::name => pool_name = Some(name(cx, pair)?),
            Rule::if_clause => condition = Some(if_clause(cx, pair)?),
            Rule::guests => body.push(Spanned::new(
                PoolItem::Guests(pool::guests(cx, pair)?),
                span,
            )),
            Rule::pool_name => body.push(Spanned::new(
                PoolItem::PoolName(first_string(cx, pair)?),
                span,
            )),
            Rule::classic_flow => body.push(Spanned::new(PoolItem::ClassicFlow, span)),
            Rule::pool_tag => body.push(Spanned::new(pool::pool_tag(cx, pair), span)),
            Rule::provider => body.push(Spanned::new(pool::provider(cx, pair)?, span)),
            Rule::role_mapping => body.push(Spanned::new(
                PoolItem::RoleMapping(pool::role_mapping(cx, pair)?),
                span,
            )),
            Rule::principal_tags => body.push(Spanned::new(
                PoolItem::PrincipalTags(pool::principal_tags(cx, pair)?),
                span,
            )),
            Rule::pool_role => body.push(Spanned::new(PoolItem::Role(pool_role(cx, pair)?), span)),
            Rule::attachment
            | Rule::deletion_policy
            | Rule::update_replace_policy
            | Rule::depends_on
            | Rule::metadata => body.push(Spanned::new(pool::pool_attribute(cx, pair)?, span)),
            _ => {}
        }
    }
    Ok(IdentityPool {
        name: required_name(pool_name),
        body,
        condition,
    })
}

fn pool_role(cx: Cx, pair: Pair<Rule>) -> Result<PoolRole, ParseError> {
    let mut usage = None;
    let mut role_name = None;
    let mut body = None;
    let mut condition = None;
    let mut arn = None;
    for pair in pair.into_inner() {
        let span: Span = cx.span(pair.as_span());
        match pair.as_rule() {
            Rule::role_usage => {
                let value = if pair.as_str() == "unauthenticated" {
                    RoleUsage::Unauthenticated
                } else {
                    RoleUsage::Authenticated
                };
                usage = Some(Spanned::new(value, span));
            }
            Rule::name => role_name = Some(name(cx, pair)?),
            Rule::if_clause => condition = Some(if_clause(cx, pair)?),
            Rule::role_body => body = Some(Spanned::new(role_body(cx, pair)?, span)),
            Rule::string => arn = Some(string_text(cx, pair)),
            _ => {}
        }
    }
    Ok(PoolRole {
        usage: usage.unwrap_or(Spanned::new(RoleUsage::Authenticated, Span::synthetic())),
        name: role_name,
        body,
        condition,
        arn,
    })
}

pub(crate) fn role_body(cx: Cx, pair: Pair<Rule>) -> Result<Vec<Spanned<RoleItem>>, ParseError> {
    let mut items = Vec::new();
    for pair in pair.into_inner() {
        let span: Span = tight_span(cx, &pair);
        match pair.as_rule() {
            Rule::policy_name => items.push(Spanned::new(
                RoleItem::PolicyName(first_string(cx, pair)?),
                span,
            )),
            Rule::managed_policy => items.push(Spanned::new(
                RoleItem::ManagedPolicy(first_string(cx, pair)?),
                span,
            )),
            Rule::managed_policy_ref => {
                let policy = find(pair.into_inner(), Rule::name).map(|n| name(cx, n));
                let policy = required_name(policy.transpose()?);
                items.push(Spanned::new(RoleItem::AttachedPolicy(policy), span))
            }
            Rule::policy_block => items.push(Spanned::new(
                RoleItem::Policy(policy_block(cx, pair)?),
                span,
            )),
            Rule::boundary => items.push(Spanned::new(
                RoleItem::Boundary(first_string(cx, pair)?),
                span,
            )),
            Rule::statement => items.push(Spanned::new(
                RoleItem::Statement(statement(cx, pair)?),
                span,
            )),
            Rule::role_name
            | Rule::role_description
            | Rule::max_session_duration
            | Rule::role_path
            | Rule::role_tag
            | Rule::depends_on => items.push(Spanned::new(pool::role_property(cx, pair)?, span)),
            _ => {}
        }
    }
    Ok(items)
}

fn statement(cx: Cx, pair: Pair<Rule>) -> Result<Statement, ParseError> {
    let mut effect = Spanned::new(Effect::Allow, Span::synthetic());
    let (actions, resources) = action_items_and_resources(cx, pair.clone())?;
    let mut conditions = Vec::new();
    let mut if_condition = None;
    for pair in pair.into_inner() {
        let span: Span = cx.span(pair.as_span());
        match pair.as_rule() {
            Rule::effect => {
                let value = if pair.as_str() == "deny" {
                    Effect::Deny
                } else {
                    Effect::Allow
                };
                effect = Spanned::new(value, span);
            }
            Rule::condition => conditions.push(Spanned::new(condition(cx, pair), span)),
            Rule::if_clause => if_condition = Some(if_clause(cx, pair)?),
            _ => {}
        }
    }
    Ok(Statement {
        effect,
        actions,
        resources,
        conditions,
        if_condition,
    })
}

/// A statement's resources, each where it is written.
type Resources = Vec<Spanned<Resource>>;

/// The action items and the resources directly inside a pair: a
/// statement's, or an `expect`'s, which has the same lists.
pub(crate) fn action_items_and_resources(
    cx: Cx,
    pair: Pair<Rule>,
) -> Result<(Vec<Spanned<ActionItem>>, Resources), ParseError> {
    let mut actions = Vec::new();
    let mut resources = Vec::new();
    for pair in pair.into_inner() {
        let span: Span = cx.span(pair.as_span());
        match pair.as_rule() {
            Rule::action => actions.push(Spanned::new(ActionItem::Pattern(action(pair)), span)),
            Rule::any_action => actions.push(Spanned::new(ActionItem::Any, span)),
            Rule::access_level => {
                let level =
                    AccessLevel::from_keyword(pair.as_str()).unwrap_or(AccessLevel::Permissions);
                actions.push(Spanned::new(ActionItem::Level(level), span));
            }
            Rule::any_resource => resources.push(Spanned::new(Resource::Any, span)),
            Rule::arn_resource => {
                resources.push(Spanned::new(Resource::Arn(first_string(cx, pair)?), span))
            }
            Rule::named_resource => resources.push(Spanned::new(named_resource(cx, pair)?, span)),
            _ => {}
        }
    }
    Ok((actions, resources))
}

fn condition(cx: Cx, pair: Pair<Rule>) -> Condition {
    let mut quantifier = None;
    let mut key = Spanned::new(String::new(), Span::synthetic());
    let mut op = Spanned::new(ConditionOp::Equals, Span::synthetic());
    let mut values = Vec::new();
    for part in pair.into_inner() {
        let span: Span = cx.span(part.as_span());
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
                    .map(|p| string_text(cx, p))
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

fn named_resource(cx: Cx, pair: Pair<Rule>) -> Result<Resource, ParseError> {
    let mut resource_name = None;
    let mut path = None;
    for pair in pair.into_inner() {
        match pair.as_rule() {
            Rule::name => resource_name = Some(name(cx, pair)?),
            Rule::resource_path => path = Some(resource_path(cx, pair)),
            _ => {}
        }
    }
    Ok(Resource::Named {
        name: required_name(resource_name),
        path,
    })
}

/// The path after `Name/`, without that first `/`.
fn resource_path(cx: Cx, pair: Pair<Rule>) -> Text {
    let span = pair.as_span();
    let mut text = TextBuilder::new(cx.at(span.start() + 1, span.end()));
    for part in pair.into_inner() {
        let part_span: Span = cx.span(part.as_span());
        match part.as_rule() {
            Rule::path_text => text.literal(part.as_str(), part_span),
            Rule::policy_var => text.push(TextPart::PolicyVar(policy_var_key(part)), part_span),
            _ => {}
        }
    }
    text.finish()
}

fn output(cx: Cx, pair: Pair<Rule>) -> Result<Output, ParseError> {
    let mut output_name = None;
    let mut target = None;
    let mut attribute = None;
    let mut body = None;
    let mut condition = None;
    for pair in pair.into_inner() {
        match pair.as_rule() {
            Rule::name => output_name = Some(name(cx, pair)?),
            Rule::output_body => body = Some(output_body(cx, pair)?),
            Rule::if_clause => condition = Some(if_clause(cx, pair)?),
            Rule::output_target => {
                for inner in pair.into_inner() {
                    match inner.as_rule() {
                        Rule::name => target = Some(name(cx, inner)?),
                        Rule::attribute => {
                            attribute = Some(Spanned::new(
                                inner.as_str().to_string(),
                                cx.span(inner.as_span()),
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
        body,
        condition,
    })
}

/// `policy "Name" [as LogicalId] { statements }` inside a role.
fn policy_block(cx: Cx, pair: Pair<Rule>) -> Result<PolicyBlock, ParseError> {
    let mut policy_name = None;
    let mut logical_id = None;
    let mut statements = Vec::new();
    for pair in pair.into_inner() {
        let span = tight_span(cx, &pair);
        match pair.as_rule() {
            Rule::string => policy_name = Some(string_text(cx, pair)),
            Rule::name => logical_id = Some(name(cx, pair)?),
            Rule::statement => statements.push(Spanned::new(statement(cx, pair)?, span)),
            _ => {}
        }
    }
    Ok(PolicyBlock {
        name: policy_name.unwrap_or_default(),
        logical_id,
        statements,
    })
}

/// `managed_policy Name { name "..." description "..." statements }`.
fn managed_policy_decl(cx: Cx, pair: Pair<Rule>) -> Result<ManagedPolicyDecl, ParseError> {
    let mut policy_name = None;
    let mut condition = None;
    let mut body = Vec::new();
    let mut body_span = cx.span(pair.as_span());
    let mut opened = false;
    for pair in pair.into_inner() {
        let span = tight_span(cx, &pair);
        match pair.as_rule() {
            Rule::name => policy_name = Some(name(cx, pair)?),
            Rule::if_clause => condition = Some(if_clause(cx, pair)?),
            Rule::lbrace if !opened => {
                opened = true;
                body_span = Span::new(span.file, span.start, body_span.end);
            }
            Rule::managed_policy_name => body.push(Spanned::new(
                ManagedPolicyItem::Name(first_string(cx, pair)?),
                span,
            )),
            Rule::managed_policy_description => body.push(Spanned::new(
                ManagedPolicyItem::Description(first_string(cx, pair)?),
                span,
            )),
            Rule::statement => body.push(Spanned::new(
                ManagedPolicyItem::Statement(statement(cx, pair)?),
                span,
            )),
            _ => {}
        }
    }
    Ok(ManagedPolicyDecl {
        name: required_name(policy_name),
        condition,
        body: Spanned::new(body, body_span),
    })
}

/// `{ description "..." export "..." }`.
fn output_body(cx: Cx, pair: Pair<Rule>) -> Result<Spanned<Vec<Spanned<OutputItem>>>, ParseError> {
    let block = cx.span(pair.as_span());
    let mut items = Vec::new();
    for pair in pair.into_inner() {
        let span = tight_span(cx, &pair);
        match pair.as_rule() {
            Rule::output_description => items.push(Spanned::new(
                OutputItem::Description(first_string(cx, pair)?),
                span,
            )),
            Rule::output_export => items.push(Spanned::new(
                OutputItem::Export(first_string(cx, pair)?),
                span,
            )),
            _ => {}
        }
    }
    Ok(Spanned::new(items, block))
}

pub(crate) fn name(cx: Cx, pair: Pair<Rule>) -> Result<Name, ParseError> {
    let span: Span = cx.span(pair.as_span());
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
    name.unwrap_or_else(|| Spanned::new(String::new(), Span::synthetic()))
}

/// The first `string` inside a pair (the grammar guarantees one).
fn first_string(cx: Cx, pair: Pair<Rule>) -> Result<Text, ParseError> {
    let span: Span = cx.span(pair.as_span());
    match find(pair.into_inner(), Rule::string) {
        Some(string) => Ok(string_text(cx, string)),
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
fn tight_span(cx: Cx, pair: &Pair<Rule>) -> Span {
    // Tokens don't overlap, so the last token ends last: follow the last
    // child down (its children, not every descendant: BENCHMARKS.md).
    let mut last = pair.clone();
    while let Some(child) = last.clone().into_inner().next_back() {
        last = child;
    }
    cx.at(pair.as_span().start(), last.as_span().end())
}

fn find(pairs: Pairs<Rule>, rule: Rule) -> Option<Pair<Rule>> {
    pairs.flatten().find(|pair| pair.as_rule() == rule)
}

pub(crate) fn string_text(cx: Cx, pair: Pair<Rule>) -> Text {
    let mut text = TextBuilder::new(cx.span(pair.as_span()));
    for part in pair.into_inner() {
        let span: Span = cx.span(part.as_span());
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
            Rule::reference => text.push(TextPart::Reference(reference(part)), span),
            Rule::import_value => text.push(TextPart::ImportValue(import_name(cx, part)), span),
            _ => {}
        }
    }
    text.finish()
}

/// The name of `$(import NAME)`: its literal characters, references and
/// Serverless variables.
fn import_name(cx: Cx, pair: Pair<Rule>) -> Text {
    let Some(name) = find(pair.into_inner(), Rule::import_name) else {
        return Text::default();
    };
    let mut text = TextBuilder::new(cx.span(name.as_span()));
    for part in name.into_inner() {
        let span: Span = cx.span(part.as_span());
        match part.as_rule() {
            Rule::import_text => text.literal(part.as_str(), span),
            Rule::serverless_var => {
                text.push(TextPart::ServerlessVar(part.as_str().to_string()), span)
            }
            Rule::reference => text.push(TextPart::Reference(reference(part)), span),
            _ => {}
        }
    }
    text.finish()
}

/// `$(Name)` / `$(Name.Attr)`.
fn reference(pair: Pair<Rule>) -> Reference {
    let mut reference = Reference {
        target: String::new(),
        attribute: None,
    };
    for part in pair.into_inner() {
        match part.as_rule() {
            Rule::reference_target => reference.target = part.as_str().to_string(),
            Rule::attribute => reference.attribute = Some(part.as_str().to_string()),
            _ => {}
        }
    }
    reference
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
mod expect;
mod expected;
pub use expected::{Expected, Found};
mod pool;
use expected::from_pest;

/// Whether a word is reserved (a keyword or a kind), so it cannot be a name.
pub fn is_reserved(word: &str) -> bool {
    IdpParser::parse(Rule::reserved, word).is_ok_and(|pairs| pairs.as_str().len() == word.len())
}

/// Whether a word has the shape of a condition key (`aws:SourceIp`), which
/// is also how a claim may be written bare (`cognito:groups`).
pub fn is_condition_key(word: &str) -> bool {
    IdpParser::parse(Rule::condition_key, word)
        .is_ok_and(|pairs| pairs.as_str().len() == word.len())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    fn stray(source: &str) -> Option<(Span, char)> {
        match parse(source, 0) {
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
        assert_eq!(stray(source), Some((Span::new(0, 19, 20), '\r')));
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
        assert_eq!(
            parse(lf, 0).unwrap().program,
            parse(&crlf, 0).unwrap().program
        );
        assert_eq!(shown(&crlf), crlf);
    }

    /// Every example, read an item at a time, gives the tree, spans
    /// included, that reading it whole gives.
    #[test]
    fn items_one_at_a_time_make_the_whole_tree() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");
        let mut read = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "idp") {
                let source = std::fs::read_to_string(&path).unwrap();
                let by_item = format!("{:?}", parse(&source, 3).unwrap().program);
                let whole = format!("{:?}", parse_whole(&source, 3).unwrap().program);
                assert_eq!(by_item, whole, "{}", path.display());
                read += 1;
            }
        }
        assert!(read > 0);
    }

    #[test]
    fn a_syntax_error_after_a_conversion_error_is_the_one_reported() {
        // Today's order: pest reads the whole file before any conversion,
        // so a later syntax error wins over an earlier over-long name.
        let source = format!("use bucket {}\nrole R {{ allow\n", "N".repeat(300));
        let err = parse(&source, 0).unwrap_err();
        assert!(
            matches!(err.kind, ParseErrorKind::Unexpected { .. }),
            "{err:?}"
        );
        assert_eq!(err, parse_whole(&source, 0).unwrap_err());
        // Alone, the name is the error, where it is.
        let err = parse(&format!("use bucket {}\n", "N".repeat(300)), 0).unwrap_err();
        assert_eq!(err.kind, ParseErrorKind::NameTooLong { len: 300 });
        assert_eq!((err.span.start, err.span.end), (11, 311));
    }

    #[test]
    fn one_item_parses_alone_with_absolute_spans() {
        let source = "use bucket A # c\n\n  output O = A.Arn\n";
        let (first, end) = parse_item(source, 0, 7).unwrap().unwrap();
        assert!(matches!(first, Item::Use(_)));
        let (second, end) = parse_item(source, end, 7).unwrap().unwrap();
        let Item::Output(output) = second else {
            panic!("{second:?}")
        };
        assert_eq!(output.target.span, Span::new(7, 31, 32));
        assert_eq!(&source[output.target.span.range()], "A");
        assert!(parse_item(source, end, 7).unwrap().is_none());
    }

    #[test]
    fn shown_text_blanks_stray_breaks_byte_for_byte() {
        let source = "a\rb\r\nc\u{2028}d";
        let shown = shown(source);
        assert_eq!(shown, "a b\r\nc   d");
        assert_eq!(shown.len(), source.len());
    }
}
