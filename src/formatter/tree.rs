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
    /// Whether a blank line goes before the word's line, in a tree printed
    /// without source (in a formatted source, the source says).
    pub blank: bool,
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

    fn first_mut(&mut self) -> Option<&mut Word> {
        match self {
            Node::Line(words) => words.first_mut(),
            Node::Block { header, .. } => header.first_mut(),
        }
    }
}

/// The nodes of a program parsed from `source`.
pub(super) fn nodes(program: &Program, source: &str) -> Vec<Node> {
    let mut builder = Builder {
        source: Some(source),
        pos: 0,
        remarks: None,
        comments: Vec::new(),
    };
    program
        .items
        .iter()
        .map(|item| builder.item(item))
        .collect()
}

/// The nodes of a program built in memory, with `remarks` attached, and
/// the comments they refer to. Blank lines separate top-level items but
/// runs of `use` and of `output` lines, and the lines of a pool's body but
/// runs of its settings (`name`, `classic_flow`, `provider`, `tag`).
pub(super) fn nodes_without_source(
    program: &Program,
    remarks: &super::Remarks,
) -> (Vec<Node>, Vec<Comment>) {
    let mut builder = Builder {
        source: None,
        pos: 0,
        remarks: Some(remarks),
        comments: Vec::new(),
    };
    let mut nodes: Vec<Node> = program
        .items
        .iter()
        .map(|item| builder.item(item))
        .collect();
    let kinds: Vec<std::mem::Discriminant<Item>> =
        program.items.iter().map(std::mem::discriminant).collect();
    let grouped = |a: &Item| {
        matches!(
            a,
            Item::Use(_) | Item::Output(_) | Item::UseParameter(_) | Item::UseCondition(_)
        )
    };
    for (n, node) in nodes.iter_mut().enumerate().skip(1) {
        let alike = kinds[n - 1] == kinds[n] && grouped(&program.items[n]);
        if let Some(first) = node.first_mut() {
            first.blank = !alike;
        }
    }
    if let Some(first) = nodes.first_mut().and_then(Node::first_mut) {
        for text in &remarks.header {
            first.comments.push(builder.comments.len());
            builder.comments.push(own_line(text));
        }
        first.blank = !remarks.header.is_empty();
    }
    (nodes, builder.comments)
}

/// A comment on a line of its own.
fn own_line(text: &str) -> Comment {
    Comment {
        start: 0,
        text: text.to_owned(),
        trailing: false,
        blank_before: false,
    }
}

/// Whether a pool's body line is one of its settings, which print without
/// blank lines between them.
fn is_setting(item: &PoolItem) -> bool {
    matches!(
        item,
        PoolItem::PoolName(_)
            | PoolItem::ClassicFlow
            | PoolItem::Tag { .. }
            | PoolItem::UserPoolProvider(_)
            | PoolItem::UserPoolText(_)
            | PoolItem::LoginProvider { .. }
            | PoolItem::FederationProvider { .. }
            | PoolItem::DeveloperProvider(_)
            | PoolItem::Attachment { .. }
            | PoolItem::DeletionPolicy(_)
            | PoolItem::UpdateReplacePolicy(_)
            | PoolItem::DependsOn(_)
            | PoolItem::Metadata(_)
            | PoolItem::Guests(_)
    )
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
///
/// A tree built in memory has no source: its words are written from the
/// nodes, and comments come from [`super::Remarks`].
struct Builder<'a> {
    source: Option<&'a str>,
    /// Just past the last token used.
    pos: usize,
    /// Without source, the comments to attach.
    remarks: Option<&'a super::Remarks>,
    /// Without source, the comments attached so far.
    comments: Vec<Comment>,
}

impl Builder<'_> {
    /// A keyword or punctuation mark, the next token.
    fn keyword(&mut self, text: &str, brk: Break) -> Word {
        let Some(source) = self.source else {
            return word(text.to_string(), 0, brk);
        };
        let start = trivia::skip(source, self.pos);
        // The walk follows the grammar's order; were it to lose its place,
        // comments would be attached to the wrong words.
        debug_assert!(
            source[start..].starts_with(text),
            "expected `{text}` at {start}"
        );
        self.pos = start + text.len();
        word(text.to_string(), start, brk)
    }

    /// A keyword the grammar lets the source leave out, such as the `on` of
    /// `expect guests cannot write Media/*`: taken when it is the next
    /// token, else added where it goes.
    fn optional_keyword(&mut self, text: &str, brk: Break) -> Word {
        let Some(source) = self.source else {
            return word(text.to_string(), 0, brk);
        };
        let start = trivia::skip(source, self.pos);
        let rest = &source[start..];
        let whole_word = rest.strip_prefix(text).is_some_and(|after| {
            !after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
        });
        if whole_word {
            return self.keyword(text, brk);
        }
        word(text.to_string(), start, brk)
    }

    /// A token the syntax tree spans, written as given.
    fn atom(&mut self, text: impl Into<String>, span: Span, brk: Break) -> Word {
        self.pos = span.end;
        word(text.into(), span.start, brk)
    }

    /// A token the syntax tree spans, written as in the source (strings
    /// keep their escapes, paths their variables), or else as `written`
    /// gives it.
    fn verbatim(&mut self, span: Span, written: impl FnOnce() -> String, brk: Break) -> Word {
        match self.source {
            Some(source) => {
                let text = source.get(span.start..span.end).unwrap_or_default();
                self.atom(text, span, brk)
            }
            None => self.atom(written(), span, brk),
        }
    }

    /// A string.
    fn string(&mut self, text: &Text, brk: Break) -> Word {
        self.verbatim(text.span, || quoted(text), brk)
    }

    /// Glues the next token, a punctuation mark, to `word`.
    fn glue(&mut self, word: &mut Word, mark: &str) {
        if let Some(source) = self.source {
            let start = trivia::skip(source, self.pos);
            debug_assert!(
                source[start..].starts_with(mark),
                "expected `{mark}` at {start}"
            );
            self.pos = start + mark.len();
        }
        word.text.push_str(mark);
    }

    /// Without source, attaches the remarks written above the body line at
    /// `span` to its node.
    fn remark(&mut self, mut node: Node, span: Span) -> Node {
        let Some(remarks) = self.remarks else {
            return node;
        };
        if let Some(first) = node.first_mut() {
            for (_, text) in remarks.above.iter().filter(|(at, _)| *at == span) {
                first.comments.push(self.comments.len());
                self.comments.push(own_line(text));
            }
        }
        node
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
            Item::UseParameter(names) => self.use_names("parameter", names),
            Item::UseCondition(names) => self.use_names("condition", names),
            Item::UseFile(file) => Node::Line(vec![
                self.keyword("use", Break::Space),
                self.string(&file.path, Break::Space),
            ]),
            Item::IdentityPool(pool) => self.identity_pool(pool),
            Item::Role(role) => {
                let header = vec![
                    self.keyword("role", Break::Space),
                    self.atom(&role.name.node, role.name.span, Break::Space),
                ];
                let header = self.if_clause(header, role.condition.as_ref());
                self.block(header, |b| b.role_items(&role.body.node))
            }
            Item::ManagedPolicy(policy) => self.managed_policy(policy),
            Item::Output(output) => self.output(output),
            Item::Expect(expect) => self.expect(&expect.form),
        }
    }

    /// `expect isolated R`, `expect WHO [of P] cannot A on R`, `expect
    /// Role only via TEST [or TEST]...`: one line, broken like a statement
    /// (at `on` and `or`, lists filled) only past the width.
    fn expect(&mut self, form: &ExpectForm) -> Node {
        let mut words = vec![self.keyword("expect", Break::Space)];
        match form {
            ExpectForm::Isolated { resources } => {
                words.push(self.keyword("isolated", Break::Space));
                self.resources(&mut words, resources);
            }
            ExpectForm::Cannot {
                who,
                pool,
                actions,
                resources,
            } => {
                words.push(self.atom(who.node.written(), who.span, Break::Space));
                if let Some(pool) = pool {
                    words.push(self.keyword("of", Break::Space));
                    words.push(self.atom(&pool.node, pool.span, Break::Space));
                }
                words.push(self.keyword("cannot", Break::Space));
                self.actions(&mut words, actions);
                words.push(self.optional_keyword("on", Break::Clause));
                self.resources(&mut words, resources);
            }
            ExpectForm::OnlyVia { role, alternatives } => {
                words.push(self.atom(&role.node, role.span, Break::Space));
                words.push(self.keyword("only", Break::Space));
                words.push(self.keyword("via", Break::Space));
                for (n, test) in alternatives.iter().enumerate() {
                    if n > 0 {
                        words.push(self.keyword("or", Break::Clause));
                    }
                    let test = &test.node;
                    let claim = &test.claim;
                    words.push(self.verbatim(claim.span, || claim_written(claim), Break::Space));
                    words.push(self.atom(test.op.node.keyword(), test.op.span, Break::Space));
                    words.push(self.string(&test.value, Break::Space));
                }
            }
        }
        Node::Line(words)
    }

    /// A statement's (or an `expect`'s) action list.
    fn actions(&mut self, words: &mut Vec<Word>, actions: &[Spanned<ActionItem>]) {
        self.list(words, actions, Break::ListHead, |b, action, brk| {
            b.verbatim(
                action.span,
                || match &action.node {
                    ActionItem::Pattern(pattern) => pattern.to_string(),
                    ActionItem::Level(level) => level.keyword().to_owned(),
                    ActionItem::Any => "*".to_owned(),
                },
                brk,
            )
        });
    }

    /// A statement's (or an `expect`'s) resource list.
    fn resources(&mut self, words: &mut Vec<Word>, resources: &[Spanned<Resource>]) {
        self.list(
            words,
            resources,
            Break::ListHead,
            |b, resource: &Spanned<Resource>, brk| match &resource.node {
                Resource::Any => b.atom("*", resource.span, brk),
                Resource::Arn(arn) => b.string(arn, brk),
                Resource::Named { name, path } => b.verbatim(
                    resource.span,
                    || match path {
                        Some(path) => format!("{}/{}", name.node, path.as_written()),
                        None => name.node.clone(),
                    },
                    brk,
                ),
            },
        );
    }

    /// `identity_pool Name [if C] { ... }`; when printing a tree without
    /// source, settings stay together and anything else is set apart by a
    /// blank line.
    fn identity_pool(&mut self, pool: &IdentityPool) -> Node {
        let header = vec![
            self.keyword("identity_pool", Break::Space),
            self.atom(&pool.name.node, pool.name.span, Break::Space),
        ];
        let header = self.if_clause(header, pool.condition.as_ref());
        self.block(header, |b| {
            let mut body: Vec<Node> = pool
                .body
                .iter()
                .map(|item| {
                    let node = b.pool_item(&item.node);
                    b.remark(node, item.span)
                })
                .collect();
            if b.source.is_none() {
                for (n, node) in body.iter_mut().enumerate().skip(1) {
                    let settings =
                        is_setting(&pool.body[n - 1].node) && is_setting(&pool.body[n].node);
                    if let Some(first) = node.first_mut() {
                        first.blank = !settings;
                    }
                }
            }
            body
        })
    }

    /// `output Name = Target[.Attr] [if C]`, with its block if it has one.
    fn output(&mut self, output: &Output) -> Node {
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
        let words = self.if_clause(words, output.condition.as_ref());
        match &output.body {
            Some(body) => self.block(words, |b| b.output_items(&body.node)),
            None => Node::Line(words),
        }
    }

    fn pool_item(&mut self, item: &PoolItem) -> Node {
        let mut words = Vec::new();
        match item {
            PoolItem::PoolName(name) => {
                words.push(self.keyword("name", Break::Space));
                words.push(self.string(name, Break::Space));
            }
            PoolItem::ClassicFlow => words.push(self.keyword("classic_flow", Break::Space)),
            PoolItem::Tag { key, value } => {
                words.push(self.keyword("tag", Break::Space));
                words.push(self.string(key, Break::Space));
                words.push(self.keyword("=", Break::Space));
                words.push(self.string(value, Break::Space));
            }
            PoolItem::UserPoolProvider(_)
            | PoolItem::UserPoolText(_)
            | PoolItem::LoginProvider { .. }
            | PoolItem::FederationProvider { .. }
            | PoolItem::DeveloperProvider(_) => self.provider(item, &mut words),
            PoolItem::Role(role) => {
                words.push(self.atom(role.usage.node.keyword(), role.usage.span, Break::Space));
                words.push(self.keyword("role", Break::Space));
                if let Some(name) = &role.name {
                    words.push(self.atom(&name.node, name.span, Break::Space));
                }
                if let Some(arn) = &role.arn {
                    words.push(self.string(arn, Break::Space));
                }
                words = self.if_clause(words, role.condition.as_ref());
                if let Some(body) = &role.body {
                    return self.block(words, |b| b.role_items(&body.node));
                }
            }
            PoolItem::RoleMapping(mapping) => return self.role_mapping(mapping),
            PoolItem::PrincipalTags(tags) => return self.principal_tags(tags),
            PoolItem::Attachment { name, depends_on } => {
                words.push(self.keyword("attachment", Break::Space));
                words.push(self.atom(&name.node, name.span, Break::Space));
                if !depends_on.is_empty() {
                    self.depends_on(&mut words, depends_on);
                }
            }
            PoolItem::DeletionPolicy(policy) | PoolItem::UpdateReplacePolicy(policy) => {
                let keyword = match item {
                    PoolItem::DeletionPolicy(_) => "deletion_policy",
                    _ => "update_replace_policy",
                };
                words.push(self.keyword(keyword, Break::Space));
                words.push(self.atom(policy.node.keyword(), policy.span, Break::Space));
            }
            PoolItem::DependsOn(names) => self.depends_on(&mut words, names),
            PoolItem::Metadata(text) => {
                words.push(self.keyword("metadata", Break::Space));
                words.push(self.string(text, Break::Space));
            }
            PoolItem::Guests(guests) => {
                words.push(self.keyword("guests", Break::Space));
                match guests {
                    Guests::Fixed(value) => {
                        let word = if *value { "true" } else { "false" };
                        words.push(self.keyword(word, Break::Space));
                    }
                    Guests::Parameter(name) => {
                        words.push(self.atom(&name.node, name.span, Break::Space))
                    }
                    Guests::Condition(name) => words = self.if_clause(words, Some(name)),
                }
            }
        }
        Node::Line(words)
    }

    /// `depends_on A, B`.
    fn depends_on(&mut self, words: &mut Vec<Word>, names: &[Name]) {
        words.push(self.keyword("depends_on", Break::Space));
        self.list(words, names, Break::ListHead, |b, name, brk| {
            b.atom(&name.node, name.span, brk)
        });
    }

    /// `use parameter A, B` / `use condition A, B`.
    fn use_names(&mut self, what: &str, names: &[Name]) -> Node {
        let mut words = vec![
            self.keyword("use", Break::Space),
            self.keyword(what, Break::Space),
        ];
        self.list(&mut words, names, Break::ListHead, |b, name, brk| {
            b.atom(&name.node, name.span, brk)
        });
        Node::Line(words)
    }

    /// `words` followed by `if Cond`, when there is a condition.
    fn if_clause(&mut self, mut words: Vec<Word>, condition: Option<&Name>) -> Vec<Word> {
        if let Some(condition) = condition {
            words.push(self.keyword("if", Break::Space));
            words.push(self.atom(&condition.node, condition.span, Break::Space));
        }
        words
    }

    /// A `provider ...` line's words.
    fn provider(&mut self, item: &PoolItem, words: &mut Vec<Word>) {
        words.push(self.keyword("provider", Break::Space));
        match item {
            PoolItem::UserPoolProvider(provider) => {
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
            PoolItem::UserPoolText(provider) => {
                words.push(self.keyword("user_pool", Break::Space));
                words.push(self.string(&provider.provider_name, Break::Space));
                words.push(self.keyword("client", Break::Space));
                words.push(self.string(&provider.client_id, Break::Space));
                if let Some(span) = provider.server_side_token_check {
                    words.push(self.atom("server_side_token_check", span, Break::Space));
                }
            }
            PoolItem::LoginProvider { provider, id } => {
                words.push(self.atom(provider.node.keyword(), provider.span, Break::Space));
                words.push(self.string(id, Break::Space));
            }
            PoolItem::FederationProvider { protocol, provider } => {
                words.push(self.atom(protocol.node.keyword(), protocol.span, Break::Space));
                words.push(match provider {
                    ProviderArn::Arn(arn) => self.string(arn, Break::Space),
                    ProviderArn::Named(name) => self.atom(&name.node, name.span, Break::Space),
                });
            }
            PoolItem::DeveloperProvider(name) => {
                words.push(self.keyword("developer", Break::Space));
                words.push(self.string(name, Break::Space));
            }
            _ => {}
        }
    }

    /// `map P by token` or `map P by rules { ... }`.
    fn role_mapping(&mut self, mapping: &RoleMapping) -> Node {
        let mut words = vec![self.keyword("map", Break::Space)];
        words.push(self.provider_ref(&mapping.provider));
        words.push(self.keyword("by", Break::Space));
        match &mapping.by {
            MappingKind::Token => {
                words.push(self.keyword("token", Break::Space));
                if let Some(otherwise) = &mapping.otherwise {
                    words.push(self.otherwise(otherwise));
                }
                Node::Line(words)
            }
            MappingKind::Rules { rules, .. } => {
                words.push(self.keyword("rules", Break::Space));
                self.block(words, |b| {
                    let mut body: Vec<Node> = rules
                        .iter()
                        .map(|rule| b.mapping_rule(&rule.node))
                        .collect();
                    if let Some(otherwise) = &mapping.otherwise {
                        body.push(Node::Line(vec![b.otherwise(otherwise)]));
                    }
                    body
                })
            }
        }
    }

    /// `principal_tags P default` or `principal_tags P { ... }`.
    fn principal_tags(&mut self, tags: &PrincipalTags) -> Node {
        let mut words = vec![self.keyword("principal_tags", Break::Space)];
        words.push(self.provider_ref(&tags.provider));
        if let Some(name) = &tags.name {
            words.push(self.keyword("as", Break::Space));
            words.push(self.atom(&name.node, name.span, Break::Space));
        }
        if let Some(span) = tags.default {
            words.push(self.atom("default", span, Break::Space));
            return Node::Line(words);
        }
        self.block(words, |b| {
            let pairs = tags.tags.iter().map(|pair| {
                let (tag, claim) = &pair.node;
                Node::Line(vec![
                    b.string(tag, Break::Space),
                    b.keyword("=", Break::Space),
                    b.string(claim, Break::Space),
                ])
            });
            pairs.collect()
        })
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
        let op = rule.op.node.keyword();
        Node::Line(vec![
            self.string(&rule.claim, Break::Space),
            self.atom(op, rule.op.span, Break::Space),
            self.string(&rule.value, Break::Space),
            self.keyword("=>", Break::Space),
            self.atom(&rule.role.node, rule.role.span, Break::Space),
        ])
    }

    /// The lines of an output's `{ ... }` block.
    fn output_items(&mut self, items: &[Spanned<OutputItem>]) -> Vec<Node> {
        items
            .iter()
            .map(|item| {
                let (keyword, text) = match &item.node {
                    OutputItem::Description(text) => ("description", text),
                    OutputItem::Export(text) => ("export", text),
                };
                Node::Line(vec![
                    self.keyword(keyword, Break::Space),
                    self.string(text, Break::Space),
                ])
            })
            .collect()
    }

    fn role_items(&mut self, items: &[Spanned<RoleItem>]) -> Vec<Node> {
        items
            .iter()
            .map(|item| {
                let node = self.role_item(&item.node);
                self.remark(node, item.span)
            })
            .collect()
    }

    /// `managed_policy Name { ... }` at the top level.
    fn managed_policy(&mut self, policy: &ManagedPolicyDecl) -> Node {
        let header = vec![
            self.keyword("managed_policy", Break::Space),
            self.atom(&policy.name.node, policy.name.span, Break::Space),
        ];
        let header = self.if_clause(header, policy.condition.as_ref());
        self.block(header, |b| {
            policy
                .body
                .node
                .iter()
                .map(|item| {
                    let node = match &item.node {
                        ManagedPolicyItem::Name(text) => Node::Line(vec![
                            b.keyword("name", Break::Space),
                            b.string(text, Break::Space),
                        ]),
                        ManagedPolicyItem::Description(text) => Node::Line(vec![
                            b.keyword("description", Break::Space),
                            b.string(text, Break::Space),
                        ]),
                        ManagedPolicyItem::Statement(statement) => b.statement(statement),
                    };
                    b.remark(node, item.span)
                })
                .collect()
        })
    }

    /// `policy "Name" [as LogicalId] { ... }` inside a role.
    fn policy_block(&mut self, policy: &PolicyBlock) -> Node {
        let mut header = vec![
            self.keyword("policy", Break::Space),
            self.string(&policy.name, Break::Space),
        ];
        if let Some(id) = &policy.logical_id {
            header.push(self.keyword("as", Break::Space));
            header.push(self.atom(&id.node, id.span, Break::Space));
        }
        self.block(header, |b| {
            policy
                .statements
                .iter()
                .map(|statement| {
                    let node = b.statement(&statement.node);
                    b.remark(node, statement.span)
                })
                .collect()
        })
    }

    fn role_item(&mut self, item: &RoleItem) -> Node {
        let (keyword, text) = match item {
            RoleItem::PolicyName(text) => ("policy", text),
            RoleItem::ManagedPolicy(text) => ("managed_policy", text),
            RoleItem::Boundary(text) => ("boundary", text),
            RoleItem::Statement(statement) => return self.statement(statement),
            RoleItem::RoleName(text) => ("role_name", text),
            RoleItem::Description(text) => ("description", text),
            RoleItem::Path(text) => ("path", text),
            RoleItem::MaxSessionDuration(seconds) => {
                return Node::Line(vec![
                    self.keyword("max_session_duration", Break::Space),
                    self.verbatim(seconds.span, || seconds.node.to_string(), Break::Space),
                ]);
            }
            RoleItem::Tag { key, value } => {
                return Node::Line(vec![
                    self.keyword("tag", Break::Space),
                    self.string(key, Break::Space),
                    self.keyword("=", Break::Space),
                    self.string(value, Break::Space),
                ]);
            }
            RoleItem::DependsOn(names) => {
                let mut words = Vec::new();
                self.depends_on(&mut words, names);
                return Node::Line(words);
            }
            RoleItem::Policy(policy) => return self.policy_block(policy),
            RoleItem::AttachedPolicy(name) => {
                return Node::Line(vec![
                    self.keyword("managed_policy", Break::Space),
                    self.atom(&name.node, name.span, Break::Space),
                ]);
            }
        };
        Node::Line(vec![
            self.keyword(keyword, Break::Space),
            self.string(text, Break::Space),
        ])
    }

    fn statement(&mut self, statement: &Statement) -> Node {
        let effect = match statement.effect.node {
            Effect::Allow => "allow",
            Effect::Deny => "deny",
        };
        let mut words = vec![self.atom(effect, statement.effect.span, Break::Space)];
        self.actions(&mut words, &statement.actions);
        words.push(self.keyword("on", Break::Clause));
        self.resources(&mut words, &statement.resources);
        for (n, condition) in statement.conditions.iter().enumerate() {
            let joiner = if n == 0 { "when" } else { "and" };
            words.push(self.keyword(joiner, Break::Clause));
            self.condition(&mut words, &condition.node);
        }
        if let Some(condition) = &statement.if_condition {
            words.push(self.keyword("if", Break::Clause));
            words.push(self.atom(&condition.node, condition.span, Break::Space));
        }
        Node::Line(words)
    }

    fn condition(&mut self, words: &mut Vec<Word>, condition: &Condition) {
        if let Some(quantifier) = &condition.quantifier {
            let text = quantifier.node.keyword();
            words.push(self.atom(text, quantifier.span, Break::Space));
        }
        let key = &condition.key;
        words.push(self.verbatim(key.span, || key.node.clone(), Break::Space));
        words.push(self.atom(condition.op.node.keyword(), condition.op.span, Break::Space));
        match condition.values.as_slice() {
            [] => {}
            // A single value may still be written as a list: `["a"]`.
            [value] if self.next_is_string(value) => words.push(self.string(value, Break::Space)),
            values => {
                words.push(self.keyword("[", Break::Space));
                self.list(words, values, Break::GluedListHead, |b, value, brk| {
                    b.string(value, brk)
                });
                if let Some(last) = words.last_mut() {
                    self.glue(last, "]");
                }
            }
        }
    }

    /// Whether the next token is the string `value` itself (not `[`);
    /// without source, a single value is written without brackets.
    fn next_is_string(&self, value: &Text) -> bool {
        self.source
            .is_none_or(|source| trivia::skip(source, self.pos) == value.span.start)
    }
}

fn word(text: String, start: usize, brk: Break) -> Word {
    Word {
        text,
        start,
        brk,
        comments: Vec::new(),
        blank: false,
    }
}

/// `text` as a string literal: in quotes, with `\"`, `\\` and `\n`
/// escaped and variables as the grammar writes them.
fn quoted(text: &Text) -> String {
    let mut out = String::from("\"");
    for part in &text.parts {
        match &part.node {
            TextPart::Literal(literal) => {
                for c in literal.chars() {
                    match c {
                        '"' => out.push_str("\\\""),
                        '\\' => out.push_str("\\\\"),
                        '\n' => out.push_str("\\n"),
                        c => out.push(c),
                    }
                }
            }
            TextPart::PolicyVar(key) => {
                out.push_str("$<");
                out.push_str(key);
                out.push('>');
            }
            TextPart::ServerlessVar(var) => out.push_str(var),
            TextPart::Reference(reference) => out.push_str(&reference.to_string()),
            // Its name holds no quote, backslash or line break (the grammar's).
            TextPart::ImportValue(_) => out.push_str(&text_part_written(part)),
        }
    }
    out.push('"');
    out
}

/// A claim's name without its source: bare when it has the shape of a
/// condition key (`cognito:groups`), else quoted. Both read back as the
/// same text.
fn claim_written(claim: &Text) -> String {
    let bare = match claim.parts.as_slice() {
        [part] => match &part.node {
            TextPart::Literal(text) => crate::syntax::is_condition_key(text),
            _ => false,
        },
        _ => false,
    };
    if bare {
        claim.as_written()
    } else {
        quoted(claim)
    }
}

/// One part of a text as written.
fn text_part_written(part: &Spanned<TextPart>) -> String {
    Text {
        parts: vec![part.clone()],
        span: part.span,
    }
    .as_written()
}
