//! What the editor features read of a program while it is being typed: its
//! tokens, the names it declares, and the statement around the cursor.
//!
//! A half-typed program does not parse, yet hover, completion and
//! go-to-definition must still work on the rest of it; so these features
//! read the text with a small lexer (words, strings, comments, brackets)
//! instead of the grammar. Diagnostics, formatting and the meaning of the
//! program stay the compiler's.

use crate::syntax::ast::Kind;

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// A run of characters that are not blanks, brackets, commas, quotes
    /// or `#`: a keyword, a name, an action, a resource path, an operator.
    Word,
    /// A double-quoted string (the quotes included; maybe unterminated).
    Str,
    /// `# ...` to the end of the line.
    Comment,
    /// One of `{ } [ ] ( ) , =`.
    Punct,
}

/// A token and its bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Token {
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
}

impl Token {
    /// Its text in `text`.
    pub(crate) fn text(self, text: &str) -> &str {
        text.get(self.start..self.end).unwrap_or("")
    }
}

const PUNCT: &[char] = &['{', '}', '[', ']', '(', ')', ',', '='];

fn ends_word(c: char) -> bool {
    c.is_whitespace() || PUNCT.contains(&c) || c == '"' || c == '#'
}

/// The tokens of a text (any text: nothing is refused).
pub(crate) fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let (kind, end) = if c.is_whitespace() {
            continue;
        } else if c == '#' {
            let end = text
                .get(start..)
                .and_then(|t| t.find('\n'))
                .map_or(text.len(), |n| start + n);
            while chars.next_if(|&(at, _)| at < end).is_some() {}
            (TokenKind::Comment, end)
        } else if c == '"' {
            (TokenKind::Str, string_end(&mut chars, text.len()))
        } else if PUNCT.contains(&c) {
            (TokenKind::Punct, start + c.len_utf8())
        } else {
            let mut end = start + c.len_utf8();
            // `==`, `!=`, `=>`, `<=`, `>=` inside a word: `=` ends it.
            while let Some((at, c)) = chars.next_if(|&(_, c)| !ends_word(c)) {
                end = at + c.len_utf8();
            }
            (TokenKind::Word, end)
        };
        out.push(Token { kind, start, end });
    }
    out
}

/// The end of a string whose opening quote was just read: after its
/// closing quote, or at the end of the line (strings never span lines).
fn string_end(chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>, len: usize) -> usize {
    let mut escaped = false;
    while let Some(&(at, c)) = chars.peek() {
        if c == '\n' {
            return at;
        }
        chars.next();
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return at + 1,
            _ => escaped = false,
        }
    }
    len
}

/// What a declared name is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DeclKind {
    /// `use KIND Name`, or a pool's, role's or managed policy's own name.
    Resource(Kind),
    /// `output Name = ...`.
    Output,
    /// `use parameter Name`.
    Parameter,
    /// `use condition Name`.
    Condition,
}

/// A name the program declares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Decl {
    pub name: String,
    pub kind: DeclKind,
    /// The name's bytes where it is declared.
    pub start: usize,
    pub end: usize,
    /// Whether a `use` line declares it (rather than the program defining it).
    pub used: bool,
    /// The whole item or block it names, for document symbols.
    pub item_end: usize,
}

/// `use "path"`: the path as written (unescaped only of nothing) and its span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct UseFile {
    pub path: String,
    pub start: usize,
    pub end: usize,
}

/// What the lexer learns of a program.
#[derive(Debug, Default)]
pub(crate) struct Outline {
    pub tokens: Vec<Token>,
    pub decls: Vec<Decl>,
    pub use_files: Vec<UseFile>,
}

impl Outline {
    /// Reads a program's text.
    pub(crate) fn read(text: &str) -> Outline {
        let tokens = tokens(text);
        let mut outline = Outline {
            tokens,
            ..Outline::default()
        };
        outline.declarations(text);
        outline
    }

    /// The declaration of a name, if the program has one (the program's own
    /// definition first, then a `use` line).
    pub(crate) fn decl(&self, name: &str) -> Option<&Decl> {
        self.decls
            .iter()
            .find(|d| d.name == name && !d.used)
            .or_else(|| self.decls.iter().find(|d| d.name == name))
    }

    /// The index of the token at a byte offset (a cursor right after a
    /// token is on it).
    pub(crate) fn token_at(&self, offset: usize) -> Option<usize> {
        self.tokens
            .iter()
            .position(|t| t.start <= offset && offset <= t.end && t.kind != TokenKind::Punct)
            .or_else(|| {
                self.tokens
                    .iter()
                    .position(|t| t.start <= offset && offset < t.end)
            })
    }

    /// The tokens that are not comments, with their indices.
    fn code(&self) -> impl Iterator<Item = (usize, Token)> + '_ {
        self.tokens
            .iter()
            .copied()
            .enumerate()
            .filter(|(_, t)| t.kind != TokenKind::Comment)
    }

    fn declarations(&mut self, text: &str) {
        let code: Vec<Token> = self.code().map(|(_, t)| t).collect();
        let mut depth = 0usize;
        let mut decls = Vec::new();
        let mut use_files = Vec::new();
        for (n, &token) in code.iter().enumerate() {
            let word = token.text(text);
            match word {
                "{" => depth += 1,
                "}" => depth = depth.saturating_sub(1),
                _ => {}
            }
            if token.kind != TokenKind::Word {
                continue;
            }
            // A slice, not a copy: copying the rest at every token made
            // reading a program quadratic.
            let rest = code.get(n + 1..).unwrap_or(&[]);
            match (depth, word) {
                (0, "use") => use_line(text, rest, &mut decls, &mut use_files),
                (0, "identity_pool") => {
                    declare(text, rest, Kind::IdentityPool, &mut decls);
                }
                (0, "role") => declare(text, rest, Kind::Role, &mut decls),
                (0, "managed_policy") => declare(text, rest, Kind::ManagedPolicy, &mut decls),
                (0, "output") => {
                    if let Some(&name) = rest.first().filter(|t| is_name(t.text(text))) {
                        decls.push(decl(text, name, DeclKind::Output, false, name.end));
                    }
                }
                (1, "authenticated" | "unauthenticated") => pool_role(text, rest, &mut decls),
                _ => {}
            }
        }
        self.decls = decls;
        self.use_files = use_files;
    }

    /// Every place a name is written: its declaration and its uses (as a
    /// word, or the head of `Name/path` or `Name.Attr`), never in comments
    /// or strings.
    pub(crate) fn occurrences(&self, text: &str, name: &str) -> Vec<(usize, usize)> {
        self.tokens
            .iter()
            .filter(|t| t.kind == TokenKind::Word)
            .filter_map(|t| {
                let word = t.text(text);
                let head = word.split(['/', '.']).next().unwrap_or("");
                (head == name).then_some((t.start, t.start + name.len()))
            })
            .collect()
    }
}

/// Whether a word can be a logical ID.
pub(crate) fn is_name(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric())
        && word.len() <= 255
}

fn decl(text: &str, token: Token, kind: DeclKind, used: bool, item_end: usize) -> Decl {
    Decl {
        name: token.text(text).to_string(),
        kind,
        start: token.start,
        end: token.end,
        used,
        item_end,
    }
}

/// The end of the block that opens at or after `rest`'s first `{`, before
/// any other word than the name (a block-less item ends with its name).
fn block_end(text: &str, rest: &[Token], name: Token) -> usize {
    let mut depth = 0usize;
    for token in rest {
        match token.text(text) {
            "{" => depth += 1,
            "}" if depth <= 1 => return token.end,
            "}" => depth -= 1,
            // `if Cond` may come before the block; any other keyword
            // means there is none.
            word if depth == 0
                && token.kind == TokenKind::Word
                && token.start > name.end
                && word != "if"
                && (!is_name(word) || crate::syntax::is_reserved(word)) =>
            {
                return name.end;
            }
            _ => {}
        }
    }
    name.end
}

/// `identity_pool Name`, `role Name`, `managed_policy Name`.
fn declare(text: &str, rest: &[Token], kind: Kind, decls: &mut Vec<Decl>) {
    if let Some(&name) = rest.first().filter(|t| is_name(t.text(text))) {
        let end = block_end(text, rest, name);
        decls.push(decl(text, name, DeclKind::Resource(kind), false, end));
    }
}

/// `authenticated role Name { ... }` defines a role; without a block it
/// attaches a top-level one.
fn pool_role(text: &str, rest: &[Token], decls: &mut Vec<Decl>) {
    let (Some(role), Some(&name), Some(open)) = (rest.first(), rest.get(1), rest.get(2)) else {
        return;
    };
    if role.text(text) == "role" && is_name(name.text(text)) && open.text(text) == "{" {
        let end = block_end(text, rest, name);
        decls.push(decl(text, name, DeclKind::Resource(Kind::Role), false, end));
    }
}

/// `use KIND A, B`, `use parameter A`, `use condition A`, `use "path"`.
fn use_line(text: &str, rest: &[Token], decls: &mut Vec<Decl>, use_files: &mut Vec<UseFile>) {
    let Some(&first) = rest.first() else {
        return;
    };
    if first.kind == TokenKind::Str {
        let written = first.text(text);
        let path = written.trim_start_matches('"').trim_end_matches('"');
        use_files.push(UseFile {
            path: path.to_string(),
            start: first.start,
            end: first.end,
        });
        return;
    }
    let kind = match first.text(text) {
        "parameter" => DeclKind::Parameter,
        "condition" => DeclKind::Condition,
        word => match Kind::from_keyword(word) {
            Some(kind) => DeclKind::Resource(kind),
            None => return,
        },
    };
    let mut expect_name = true;
    for &token in rest.get(1..).unwrap_or(&[]) {
        let word = token.text(text);
        match (expect_name, word) {
            (false, ",") => expect_name = true,
            (true, name) if token.kind == TokenKind::Word && is_name(name) => {
                decls.push(decl(text, token, kind, true, token.end));
                expect_name = false;
            }
            _ => return,
        }
    }
}

/// The statement (`allow`/`deny`) around an offset, as far as it is written.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Statement {
    /// The action words (patterns and access levels).
    pub actions: Vec<String>,
    /// The resource words (`*`, `Name`, `Name/path`).
    pub resources: Vec<String>,
    /// The condition keys written so far.
    pub keys: Vec<String>,
    /// Which part the offset is in.
    pub part: Part,
    /// In the conditions: the token before the offset (`when`, `and`, a
    /// key, an operator, a value).
    pub previous: Option<String>,
}

/// The part of a statement an offset is in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Part {
    #[default]
    Actions,
    Resources,
    Conditions,
}

impl Outline {
    /// The statement whose text runs up to `offset`: from its `allow` or
    /// `deny` (in the same block, on the same statement) to the offset;
    /// `None` outside statements.
    pub(crate) fn statement_at(&self, text: &str, offset: usize) -> Option<Statement> {
        let before: Vec<Token> = self
            .code()
            .map(|(_, t)| t)
            .take_while(|t| t.start < offset)
            .collect();
        let start = before.iter().rposition(|t| {
            matches!(t.text(text), "allow" | "deny" | "{" | "}") || starts_item(t.text(text))
        })?;
        let opener = before.get(start)?;
        if !matches!(opener.text(text), "allow" | "deny") {
            return None;
        }
        // The rest of the statement after the offset (a hover in the
        // middle of it): up to the next statement or block end.
        let after = self
            .code()
            .map(|(_, t)| t)
            .skip_while(|t| t.start < offset)
            .take_while(|t| {
                !matches!(t.text(text), "allow" | "deny" | "{" | "}") && !starts_item(t.text(text))
            });
        let mut statement = Statement::default();
        let mut part = Part::Actions;
        let mut reached = false;
        let written = before.iter().skip(start + 1).copied().chain(after);
        for token in written {
            if token.start >= offset && !reached {
                statement.part = part;
                reached = true;
            }
            let word = token.text(text);
            match word {
                "on" if part == Part::Actions => part = Part::Resources,
                "when" => part = Part::Conditions,
                "," | "and" | "any" | "all" | "[" | "]" | "=" => {}
                _ if token.kind == TokenKind::Word => match part {
                    Part::Actions => statement.actions.push(word.to_string()),
                    Part::Resources => statement.resources.push(word.to_string()),
                    Part::Conditions if word.contains(':') => {
                        statement.keys.push(word.to_string());
                    }
                    Part::Conditions => {}
                },
                // A string ARN, as written (quotes included).
                _ if token.kind == TokenKind::Str && part == Part::Resources => {
                    statement.resources.push(word.to_string());
                }
                _ => {}
            }
            if !reached && part == Part::Conditions {
                statement.previous = Some(word.to_string());
            }
        }
        if !reached {
            statement.part = part;
        }
        Some(statement)
    }
}

/// Whether a word starts an item or a line other than a statement, so a
/// statement cannot reach past it.
fn starts_item(word: &str) -> bool {
    matches!(
        word,
        "use"
            | "identity_pool"
            | "role"
            | "output"
            | "managed_policy"
            | "policy"
            | "expect"
            | "provider"
            | "map"
            | "principal_tags"
            | "authenticated"
            | "unauthenticated"
            | "boundary"
            | "name"
            | "tag"
            | "path"
            | "description"
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    const PROGRAM: &str = "use bucket Files, Other # a \"comment\n\
        use \"serverless.yml\"\n\
        identity_pool Pool {\n  authenticated role Reader {\n    allow s3:Get* on Files/private/$<sub>/* when s3:prefix like \"a\"\n  }\n}\n\
        output PoolId = Pool\n";

    #[test]
    fn declarations_are_found() {
        let outline = Outline::read(PROGRAM);
        let names: Vec<&str> = outline.decls.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["Files", "Other", "Pool", "Reader", "PoolId"]);
        assert_eq!(outline.use_files[0].path, "serverless.yml");
        let reader = outline.decl("Reader").unwrap();
        assert_eq!(reader.kind, DeclKind::Resource(Kind::Role));
        assert!(PROGRAM[reader.start..reader.item_end].ends_with("}"));
    }

    #[test]
    fn occurrences_skip_comments_and_take_path_heads() {
        let outline = Outline::read(PROGRAM);
        assert_eq!(outline.occurrences(PROGRAM, "Files").len(), 2);
        assert_eq!(outline.occurrences(PROGRAM, "Pool").len(), 2);
    }

    #[test]
    fn the_statement_at_the_cursor_is_read_in_parts() {
        let text = "identity_pool P {\n authenticated role {\n  allow s3:GetObject on Files when s3:prefix ";
        let statement = Outline::read(text).statement_at(text, text.len()).unwrap();
        assert_eq!(statement.actions, ["s3:GetObject"]);
        assert_eq!(statement.resources, ["Files"]);
        assert_eq!(statement.part, Part::Conditions);
        assert_eq!(statement.previous.as_deref(), Some("s3:prefix"));
        let at_on = text.find(" on").unwrap();
        let statement = Outline::read(text).statement_at(text, at_on).unwrap();
        assert_eq!(statement.part, Part::Actions);
        assert_eq!(statement.resources, ["Files"]);
    }
}
