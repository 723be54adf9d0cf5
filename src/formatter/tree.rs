//! The syntax tree as the printer sees it: lines and blocks of words, each
//! word knowing where it was written and which comments came before it.

use crate::syntax::ast::*;
use crate::syntax::trivia::{self, Comment};

/// How a word may be separated from the word before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Break {
    /// A space; a line break only where a comment forces one.
    Space,
    /// A space; the word starts a list, whose continuation lines align
    /// with it.
    ListHead,
    /// No space (after `[`); the word starts a list, as [`Break::ListHead`].
    GluedListHead,
    /// A later element of a list: a space, or a line break when the line
    /// is full.
    Fill,
    /// A clause of a statement (`on`, `when`, `and`): its own line when
    /// the statement does not fit on one.
    Clause,
}

/// A word of the output: a token, with the punctuation glued to it.
#[derive(Clone, Debug)]
pub(super) struct Word {
    pub text: String,
    /// Where its first token was written.
    pub start: usize,
    pub brk: Break,
    /// The comments written after the previous word and before this one
    /// (indices into the program's comments).
    pub comments: Vec<usize>,
}

/// A unit of the output.
#[derive(Clone, Debug)]
pub(super) enum Node {
    /// An item that holds no other items: one line, unless broken.
    Line(Vec<Word>),
    /// `header {`, the items inside, `}`.
    Block {
        /// The words up to and including `{`.
        header: Vec<Word>,
        body: Vec<Node>,
        /// The `}`.
        close: Word,
    },
}

impl Node {
    /// The first word, where the node's leading comments are.
    pub fn first(&self) -> Option<&Word> {
        match self {
            Node::Line(words) => words.first(),
            Node::Block { header, .. } => header.first(),
        }
    }
}

/// The nodes of a program.
pub(super) fn nodes(program: &Program, source: &str) -> Vec<Node> {
    let mut builder = Builder { source, pos: 0 };
    program
        .items
        .iter()
        .map(|item| builder.item(item))
        .collect()
}

/// Gives each comment to the first word after it; returns the comments
/// after the last word.
pub(super) fn attach(nodes: &mut [Node], comments: &[Comment]) -> Vec<usize> {
    let mut next = 0;
    for node in nodes {
        attach_node(node, comments, &mut next);
    }
    (next..comments.len()).collect()
}

fn attach_node(node: &mut Node, comments: &[Comment], next: &mut usize) {
    match node {
        Node::Line(words) => attach_words(words, comments, next),
        Node::Block {
            header,
            body,
            close,
        } => {
            attach_words(header, comments, next);
            for node in body {
                attach_node(node, comments, next);
            }
            attach_words(std::slice::from_mut(close), comments, next);
        }
    }
}

fn attach_words(words: &mut [Word], comments: &[Comment], next: &mut usize) {
    for word in words {
        // A comment before a block's `{` goes after it: `{` stays on the
        // line of the header it ends.
        if word.text == "{" {
            continue;
        }
        while let Some(comment) = comments.get(*next)
            && comment.start < word.start
        {
            word.comments.push(*next);
            *next += 1;
        }
    }
}

/// Walks the tree in source order, finding where each keyword and comma
/// was written: the next token after the previous word.
struct Builder<'a> {
    source: &'a str,
    /// Just past the last token used.
    pos: usize,
}

impl Builder<'_> {
    /// A keyword or punctuation mark, the next token.
    fn keyword(&mut self, text: &str, brk: Break) -> Word {
        let start = trivia::skip(self.source, self.pos);
        // The walk follows the grammar's order; were it to lose its place,
        // comments would be attached to the wrong words.
        debug_assert!(
            self.source[start..].starts_with(text),
            "expected `{text}` at {start}"
        );
        self.pos = start + text.len();
        word(text.to_string(), start, brk)
    }

    /// A token the syntax tree spans, written as given.
    fn atom(&mut self, text: impl Into<String>, span: Span, brk: Break) -> Word {
        self.pos = span.end;
        word(text.into(), span.start, brk)
    }

    /// A token the syntax tree spans, written as in the source (strings
    /// keep their escapes, paths their variables).
    fn verbatim(&mut self, span: Span, brk: Break) -> Word {
        let text = self.source.get(span.start..span.end).unwrap_or_default();
        self.atom(text, span, brk)
    }

    /// Glues the next token, a punctuation mark, to `word`.
    fn glue(&mut self, word: &mut Word, mark: &str) {
        let start = trivia::skip(self.source, self.pos);
        debug_assert!(
            self.source[start..].starts_with(mark),
            "expected `{mark}` at {start}"
        );
        self.pos = start + mark.len();
        word.text.push_str(mark);
    }

    /// A comma-separated list: the first element breaks as `head`, the
    /// others are [`Break::Fill`], each comma glued to its element.
    fn list<T>(
        &mut self,
        words: &mut Vec<Word>,
        items: &[T],
        head: Break,
        mut element: impl FnMut(&mut Self, &T, Break) -> Word,
    ) {
        for (n, item) in items.iter().enumerate() {
            if n > 0
                && let Some(last) = words.last_mut()
            {
                self.glue(last, ",");
            }
            let brk = if n == 0 { head } else { Break::Fill };
            words.push(element(self, item, brk));
        }
    }

    fn block(&mut self, mut header: Vec<Word>, body: impl FnOnce(&mut Self) -> Vec<Node>) -> Node {
        header.push(self.keyword("{", Break::Space));
        let body = body(self);
        let close = self.keyword("}", Break::Space);
        Node::Block {
            header,
            body,
            close,
        }
    }

    fn item(&mut self, item: &Item) -> Node {
        match item {
            Item::Use(use_kind) => {
                let mut words = vec![
                    self.keyword("use", Break::Space),
                    self.atom(
                        use_kind.kind.node.keyword(),
                        use_kind.kind.span,
                        Break::Space,
                    ),
                ];
                self.list(
                    &mut words,
                    &use_kind.names,
                    Break::ListHead,
                    |b, name, brk| b.atom(&name.node, name.span, brk),
                );
                Node::Line(words)
            }
            Item::UseFile(file) => Node::Line(vec![
                self.keyword("use", Break::Space),
                self.verbatim(file.path.span, Break::Space),
            ]),
            Item::IdentityPool(pool) => {
                let header = vec![
                    self.keyword("identity_pool", Break::Space),
                    self.atom(&pool.name.node, pool.name.span, Break::Space),
                ];
                self.block(header, |b| {
                    pool.body
                        .iter()
                        .map(|item| b.pool_item(&item.node))
                        .collect()
                })
            }
            Item::Role(role) => {
                let header = vec![
                    self.keyword("role", Break::Space),
                    self.atom(&role.name.node, role.name.span, Break::Space),
                ];
                self.block(header, |b| b.role_items(&role.body.node))
            }
            Item::Output(output) => {
                let mut words = vec![
                    self.keyword("output", Break::Space),
                    self.atom(&output.name.node, output.name.span, Break::Space),
                    self.keyword("=", Break::Space),
                ];
                let (text, end) = match &output.attribute {
                    Some(attribute) => (
                        format!("{}.{}", output.target.node, attribute.node),
                        attribute.span.end,
                    ),
                    None => (output.target.node.clone(), output.target.span.end),
                };
                let span = Span::new(output.target.span.file, output.target.span.start, end);
                words.push(self.atom(text, span, Break::Space));
                Node::Line(words)
            }
        }
    }

    fn pool_item(&mut self, item: &PoolItem) -> Node {
        let mut words = Vec::new();
        match item {
            PoolItem::PoolName(name) => {
                words.push(self.keyword("name", Break::Space));
                words.push(self.verbatim(name.span, Break::Space));
            }
            PoolItem::ClassicFlow => words.push(self.keyword("classic_flow", Break::Space)),
            PoolItem::Tag { key, value } => {
                words.push(self.keyword("tag", Break::Space));
                words.push(self.verbatim(key.span, Break::Space));
                words.push(self.keyword("=", Break::Space));
                words.push(self.verbatim(value.span, Break::Space));
            }
            PoolItem::UserPoolProvider(provider) => {
                words.push(self.keyword("provider", Break::Space));
                words.push(self.keyword("user_pool", Break::Space));
                let pool = &provider.user_pool;
                words.push(self.atom(&pool.node, pool.span, Break::Space));
                words.push(self.keyword("client", Break::Space));
                let client = &provider.client;
                words.push(self.atom(&client.node, client.span, Break::Space));
                if let Some(span) = provider.server_side_token_check {
                    words.push(self.atom("server_side_token_check", span, Break::Space));
                }
            }
            PoolItem::LoginProvider { provider, id } => {
                words.push(self.keyword("provider", Break::Space));
                words.push(self.atom(provider.node.keyword(), provider.span, Break::Space));
                words.push(self.verbatim(id.span, Break::Space));
            }
            PoolItem::FederationProvider { protocol, provider } => {
                words.push(self.keyword("provider", Break::Space));
                words.push(self.atom(protocol.node.keyword(), protocol.span, Break::Space));
                words.push(match provider {
                    ProviderArn::Arn(arn) => self.verbatim(arn.span, Break::Space),
                    ProviderArn::Named(name) => self.atom(&name.node, name.span, Break::Space),
                });
            }
            PoolItem::DeveloperProvider(name) => {
                words.push(self.keyword("provider", Break::Space));
                words.push(self.keyword("developer", Break::Space));
                words.push(self.verbatim(name.span, Break::Space));
            }
            PoolItem::Role(role) => {
                words.push(self.atom(role.usage.node.keyword(), role.usage.span, Break::Space));
                words.push(self.keyword("role", Break::Space));
                if let Some(name) = &role.name {
                    words.push(self.atom(&name.node, name.span, Break::Space));
                }
                if let Some(body) = &role.body {
                    return self.block(words, |b| b.role_items(&body.node));
                }
            }
            PoolItem::RoleMapping(mapping) => {
                words.push(self.keyword("map", Break::Space));
                words.push(self.provider_ref(&mapping.provider));
                words.push(self.keyword("by", Break::Space));
                match &mapping.by {
                    MappingKind::Token => {
                        words.push(self.keyword("token", Break::Space));
                        if let Some(otherwise) = &mapping.otherwise {
                            words.push(self.otherwise(otherwise));
                        }
                    }
                    MappingKind::Rules { rules, .. } => {
                        words.push(self.keyword("rules", Break::Space));
                        return self.block(words, |b| {
                            let mut body: Vec<Node> = rules
                                .iter()
                                .map(|rule| b.mapping_rule(&rule.node))
                                .collect();
                            if let Some(otherwise) = &mapping.otherwise {
                                body.push(Node::Line(vec![b.otherwise(otherwise)]));
                            }
                            body
                        });
                    }
                }
            }
            PoolItem::PrincipalTags(tags) => {
                words.push(self.keyword("principal_tags", Break::Space));
                words.push(self.provider_ref(&tags.provider));
                if let Some(span) = tags.default {
                    words.push(self.atom("default", span, Break::Space));
                } else {
                    return self.block(words, |b| {
                        let pairs = tags.tags.iter().map(|pair| {
                            let (tag, claim) = &pair.node;
                            Node::Line(vec![
                                b.verbatim(tag.span, Break::Space),
                                b.keyword("=", Break::Space),
                                b.verbatim(claim.span, Break::Space),
                            ])
                        });
                        pairs.collect()
                    });
                }
            }
        }
        Node::Line(words)
    }

    fn provider_ref(&mut self, provider: &Spanned<ProviderRef>) -> Word {
        let text = match &provider.node {
            ProviderRef::UserPool(name) => name.node.as_str(),
            ProviderRef::Login(login) => login.keyword(),
            ProviderRef::Federation(federation) => federation.keyword(),
        };
        self.atom(text, provider.span, Break::Space)
    }

    fn otherwise(&mut self, otherwise: &Spanned<Otherwise>) -> Word {
        let text = match otherwise.node {
            Otherwise::Authenticated => "otherwise authenticated",
            Otherwise::Deny => "otherwise deny",
        };
        self.atom(text, otherwise.span, Break::Space)
    }

    fn mapping_rule(&mut self, rule: &MappingRule) -> Node {
        let op = match rule.op.node {
            MatchOp::Equals => "==",
            MatchOp::NotEqual => "!=",
            MatchOp::Contains => "contains",
            MatchOp::StartsWith => "starts_with",
        };
        Node::Line(vec![
            self.verbatim(rule.claim.span, Break::Space),
            self.atom(op, rule.op.span, Break::Space),
            self.verbatim(rule.value.span, Break::Space),
            self.keyword("=>", Break::Space),
            self.atom(&rule.role.node, rule.role.span, Break::Space),
        ])
    }

    fn role_items(&mut self, items: &[Spanned<RoleItem>]) -> Vec<Node> {
        items
            .iter()
            .map(|item| self.role_item(&item.node))
            .collect()
    }

    fn role_item(&mut self, item: &RoleItem) -> Node {
        let (keyword, text) = match item {
            RoleItem::PolicyName(text) => ("policy", text),
            RoleItem::ManagedPolicy(text) => ("managed_policy", text),
            RoleItem::Boundary(text) => ("boundary", text),
            RoleItem::Statement(statement) => return self.statement(statement),
        };
        Node::Line(vec![
            self.keyword(keyword, Break::Space),
            self.verbatim(text.span, Break::Space),
        ])
    }

    fn statement(&mut self, statement: &Statement) -> Node {
        let effect = match statement.effect.node {
            Effect::Allow => "allow",
            Effect::Deny => "deny",
        };
        let mut words = vec![self.atom(effect, statement.effect.span, Break::Space)];
        self.list(
            &mut words,
            &statement.actions,
            Break::ListHead,
            |b, action, brk| b.verbatim(action.span, brk),
        );
        words.push(self.keyword("on", Break::Clause));
        self.list(
            &mut words,
            &statement.resources,
            Break::ListHead,
            |b, resource: &Spanned<Resource>, brk| match &resource.node {
                Resource::Any => b.atom("*", resource.span, brk),
                _ => b.verbatim(resource.span, brk),
            },
        );
        for (n, condition) in statement.conditions.iter().enumerate() {
            let joiner = if n == 0 { "when" } else { "and" };
            words.push(self.keyword(joiner, Break::Clause));
            self.condition(&mut words, &condition.node);
        }
        Node::Line(words)
    }

    fn condition(&mut self, words: &mut Vec<Word>, condition: &Condition) {
        if let Some(quantifier) = &condition.quantifier {
            let text = match quantifier.node {
                Quantifier::Any => "any",
                Quantifier::All => "all",
            };
            words.push(self.atom(text, quantifier.span, Break::Space));
        }
        words.push(self.verbatim(condition.key.span, Break::Space));
        words.push(self.atom(
            condition.op.node.as_written(),
            condition.op.span,
            Break::Space,
        ));
        match condition.values.as_slice() {
            [] => {}
            // A single value may still be written as a list: `["a"]`.
            [value] if self.next_is_string(value) => {
                words.push(self.verbatim(value.span, Break::Space))
            }
            values => {
                words.push(self.keyword("[", Break::Space));
                self.list(words, values, Break::GluedListHead, |b, value, brk| {
                    b.verbatim(value.span, brk)
                });
                if let Some(last) = words.last_mut() {
                    self.glue(last, "]");
                }
            }
        }
    }

    /// Whether the next token is the string `value` itself (not `[`).
    fn next_is_string(&self, value: &Text) -> bool {
        trivia::skip(self.source, self.pos) == value.span.start
    }
}

fn word(text: String, start: usize, brk: Break) -> Word {
    Word {
        text,
        start,
        brk,
        comments: Vec::new(),
    }
}
