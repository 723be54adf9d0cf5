//! Completion: what can be written at the cursor.
//!
//! In a statement: services, then a service's actions (those that act on
//! the statement's resources first); after `on`, resource names (of the
//! kinds the statement's actions act on first); after `when`, the condition
//! keys of the statement's actions, then the operators that fit a key's
//! type. In a `map ... by rules` or `principal_tags` block, token claims;
//! in `$<aws:PrincipalTag/`, the tag names the program maps.

use super::hover::sample_arn;
use super::index::{DeclKind, Outline, Part, Statement, Token, TokenKind};
use super::stacks::StackEntry;
use super::text::LineIndex;
use super::{Failure, Server};
use crate::catalog::{Action, Catalog, ConditionKey};
use crate::check::kinds::iam_arn;
use crate::syntax::ast::Kind;
use crate::vocabulary::{AccessLevel, ConditionOp};
use lsp_types as lt;
use std::collections::BTreeSet;

/// Claims of a Cognito user pool's ID token ("Understanding the identity
/// (ID) token", Amazon Cognito Developer Guide:
/// https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-id-token.html).
const CLAIMS: &[&str] = &[
    "sub",
    "cognito:groups",
    "cognito:username",
    "cognito:roles",
    "cognito:preferred_role",
    "email",
    "email_verified",
    "phone_number",
    "phone_number_verified",
    "aud",
    "iss",
    "token_use",
    "custom:",
];

/// Answers `textDocument/completion`.
pub(crate) fn completion(
    server: &mut Server,
    p: lt::CompletionParams,
) -> Result<Option<lt::CompletionResponse>, Failure> {
    let at = p.text_document_position;
    let super::definition::Context {
        text,
        outline,
        stack,
        ..
    } = super::definition::context(server, &at.text_document.uri)?;
    let index = LineIndex::new(&text);
    let offset = index.offset(at.position);
    let items = complete_at(&text, &outline, &stack, offset)
        .into_iter()
        .map(|c| c.into_item(&index, offset))
        .collect();
    Ok(Some(lt::CompletionResponse::List(lt::CompletionList {
        is_incomplete: false,
        items,
    })))
}

/// One candidate: what replaces the word being typed (from `start` to the
/// cursor).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// The text written.
    pub text: String,
    /// Where the replaced word starts.
    pub start: usize,
    /// A word or two about it.
    pub detail: String,
    /// Sorted by this, then by text.
    pub rank: u8,
    kind: lt::CompletionItemKind,
}

impl Candidate {
    fn into_item(self, index: &LineIndex<'_>, offset: usize) -> lt::CompletionItem {
        let range = index.range(self.start, offset);
        lt::CompletionItem {
            label: self.text.clone(),
            kind: Some(self.kind),
            detail: Some(self.detail),
            sort_text: Some(format!("{}{}", self.rank, self.text)),
            filter_text: Some(self.text.clone()),
            text_edit: Some(lt::CompletionTextEdit::Edit(lt::TextEdit::new(
                range, self.text,
            ))),
            ..lt::CompletionItem::default()
        }
    }
}

/// The candidates at byte `offset` of a program (public for the benchmark).
pub fn complete_at(
    text: &str,
    outline: &Outline,
    stack: &[StackEntry],
    offset: usize,
) -> Vec<Candidate> {
    let inside = outline
        .tokens
        .iter()
        .find(|t| t.start < offset && offset <= t.end && t.kind != TokenKind::Word);
    match inside {
        Some(t) if t.kind == TokenKind::Comment => return Vec::new(),
        Some(t) if t.kind == TokenKind::Str && !(offset == t.end && closed(text, *t)) => {
            return in_string(text, outline, *t, offset);
        }
        _ => {}
    }
    let start = word_start(text, offset);
    let typed = text.get(start..offset).unwrap_or("");
    if let Some(found) = variables(text, outline, start, offset) {
        return found;
    }
    let Some(statement) = outline.statement_at(text, start) else {
        return after_use(text, outline, start, typed);
    };
    let mut found = match statement.part {
        Part::Actions => actions(typed, start, &statement, outline, stack),
        Part::Resources => resources(start, &statement, outline, stack),
        Part::Conditions => conditions(typed, start, &statement, text, outline),
    };
    found.retain(|c| {
        c.text.starts_with(typed) || c.text.to_lowercase().starts_with(&typed.to_lowercase())
    });
    found.sort_by(|a, b| (a.rank, &a.text).cmp(&(b.rank, &b.text)));
    found.dedup_by(|a, b| a.text == b.text);
    found
}

/// Outside statements: after `use`, the kinds of resources (and
/// `parameter`, `condition`); where a role is named (`authenticated role`,
/// `=> Role` in rules), the program's top-level roles; after `output Name =`,
/// the names it defines.
fn after_use(text: &str, outline: &Outline, start: usize, typed: &str) -> Vec<Candidate> {
    let mut before = outline
        .tokens
        .iter()
        .rev()
        .filter(|t| t.end <= start && t.kind != TokenKind::Comment)
        .map(|t| t.text(text));
    let (previous, earlier, third) = (before.next(), before.next(), before.next());
    let names = |wanted: &[Kind]| -> Vec<Candidate> {
        let mut found: Vec<Candidate> = outline
            .decls
            .iter()
            .filter(|d| matches!(d.kind, DeclKind::Resource(k) if wanted.contains(&k)))
            .filter(|d| d.name.starts_with(typed))
            .map(|d| {
                let detail = if d.used {
                    "declared by `use`"
                } else {
                    "defined in the program"
                };
                candidate(&d.name, start, detail, 0, lt::CompletionItemKind::VARIABLE)
            })
            .collect();
        found.sort_by(|a, b| a.text.cmp(&b.text));
        found.dedup_by(|a, b| a.text == b.text);
        found
    };
    match (previous, earlier, third) {
        (Some("via"), Some("only"), _) | (Some("or"), _, _) => {
            return CLAIMS
                .iter()
                .filter(|c| c.starts_with(typed))
                .map(|c| {
                    candidate(
                        *c,
                        start,
                        "a claim of the user pool's ID token",
                        0,
                        lt::CompletionItemKind::FIELD,
                    )
                })
                .collect();
        }
        (Some("use"), _, _) => {}
        (Some("role"), Some("authenticated" | "unauthenticated"), _)
        | (Some(">"), Some("="), _) => {
            return names(&[Kind::Role]);
        }
        (Some("="), Some(_), Some("output")) => {
            return names(&[Kind::IdentityPool, Kind::Role, Kind::ManagedPolicy]);
        }
        _ => return Vec::new(),
    }
    let kinds = Kind::ALL.iter().map(|kind| {
        let detail = crate::check::kinds::kind_info(*kind).cfn_type;
        candidate(
            kind.keyword(),
            start,
            detail,
            0,
            lt::CompletionItemKind::KEYWORD,
        )
    });
    let more = [
        ("parameter", "a CloudFormation parameter"),
        ("condition", "a CloudFormation condition"),
    ]
    .into_iter()
    .map(|(word, detail)| candidate(word, start, detail, 1, lt::CompletionItemKind::KEYWORD));
    kinds
        .chain(more)
        .filter(|c| c.text.starts_with(typed))
        .collect()
}

fn closed(text: &str, token: Token) -> bool {
    token.end > token.start + 1 && text.get(token.end - 1..token.end) == Some("\"")
}

/// Where the word ending at `offset` starts.
fn word_start(text: &str, offset: usize) -> usize {
    let before = text.get(..offset).unwrap_or("");
    before
        .char_indices()
        .rev()
        .take_while(|&(_, c)| {
            !(c.is_whitespace()
                || matches!(c, '{' | '}' | '[' | ']' | '(' | ')' | ',' | '=' | '"' | '#'))
        })
        .last()
        .map_or(offset, |(at, _)| at)
}

fn candidate(
    text: impl Into<String>,
    start: usize,
    detail: impl Into<String>,
    rank: u8,
    kind: lt::CompletionItemKind,
) -> Candidate {
    Candidate {
        text: text.into(),
        start,
        detail: detail.into(),
        rank,
        kind,
    }
}

/// The sample ARNs of the statement's resources (of known kinds), with
/// their services.
fn samples(
    statement: &Statement,
    outline: &Outline,
    stack: &[StackEntry],
) -> Vec<(&'static str, String)> {
    statement
        .resources
        .iter()
        .filter_map(|r| sample_arn(r, outline, stack))
        .collect()
}

/// Services, or the actions of the service typed so far.
fn actions(
    typed: &str,
    start: usize,
    statement: &Statement,
    outline: &Outline,
    stack: &[StackEntry],
) -> Vec<Candidate> {
    let catalog = Catalog::get();
    let samples = samples(statement, outline, stack);
    let fitting: BTreeSet<&str> = samples.iter().map(|(service, _)| *service).collect();
    let Some((prefix, _)) = typed.split_once(':') else {
        let mut out: Vec<Candidate> = catalog
            .services()
            .map(|s| {
                let rank = if fitting.contains(s.prefix()) { 0 } else { 2 };
                candidate(
                    format!("{}:", s.prefix()),
                    start,
                    s.name(),
                    rank,
                    lt::CompletionItemKind::MODULE,
                )
            })
            .collect();
        out.extend(AccessLevel::ALL.iter().map(|level| {
            candidate(
                level.keyword(),
                start,
                format!("every {} action that acts on the resources", level.to_iam()),
                1,
                lt::CompletionItemKind::KEYWORD,
            )
        }));
        return out;
    };
    let Some(service) = catalog.service(prefix) else {
        return Vec::new();
    };
    service
        .actions()
        .map(|action| {
            let acts = samples.iter().any(|(_, arn)| applies(&action, arn));
            let rank = if samples.is_empty() || acts { 0 } else { 1 };
            let detail = format!(
                "{}{}",
                action.access_level().to_iam(),
                if acts { ", acts on the resource" } else { "" }
            );
            candidate(
                action.full_name(),
                start,
                detail,
                rank,
                lt::CompletionItemKind::FUNCTION,
            )
        })
        .collect()
}

fn applies(action: &Action<'_>, arn: &str) -> bool {
    !action.only_wildcard_resource()
        && action
            .resource_types()
            .iter()
            .any(|r| r.resource_type.matches_arn(arn))
}

/// The actions a statement's words name (patterns matched, levels skipped).
fn statement_actions(statement: &Statement) -> Vec<Action<'static>> {
    let catalog = Catalog::get();
    statement
        .actions
        .iter()
        .filter(|a| a.contains(':') && a.len() > 2)
        .flat_map(|a| catalog.actions_matching(a))
        .take(2000)
        .collect()
}

/// Resource names: of the kinds the statement's actions act on first.
fn resources(
    start: usize,
    statement: &Statement,
    outline: &Outline,
    stack: &[StackEntry],
) -> Vec<Candidate> {
    let services: BTreeSet<&str> = statement
        .actions
        .iter()
        .filter_map(|a| a.split_once(':').map(|(s, _)| s))
        .collect();
    let rank = |kind: Option<Kind>| match kind.and_then(iam_arn) {
        Some((service, _)) if services.contains(service) => 0,
        Some(_) if services.is_empty() => 0,
        Some(_) => 1,
        None => 2,
    };
    let mut out: Vec<Candidate> = outline
        .decls
        .iter()
        .filter_map(|d| match d.kind {
            DeclKind::Resource(kind) => Some(candidate(
                &d.name,
                start,
                kind.keyword(),
                rank(Some(kind)),
                lt::CompletionItemKind::VARIABLE,
            )),
            _ => None,
        })
        .collect();
    out.extend(stack.iter().map(|e| {
        let detail = e.kind.map_or_else(
            || e.cfn_type.clone(),
            |k| format!("{} (from the stack)", k.keyword()),
        );
        candidate(
            &e.logical_id,
            start,
            detail,
            rank(e.kind),
            lt::CompletionItemKind::VARIABLE,
        )
    }));
    out.push(candidate(
        "*",
        start,
        "every resource",
        3,
        lt::CompletionItemKind::CONSTANT,
    ));
    out
}

/// The operators that fit a condition key's type.
fn operators(key: &str, start: usize) -> Vec<Candidate> {
    let Some(key) = Catalog::get().condition_key(key) else {
        return Vec::new();
    };
    let family = key.key_type().operator_family();
    ConditionOp::ALL
        .iter()
        .filter(|op| op.to_iam(family).is_some())
        .map(|op| {
            let detail = format!("for a {} key", key.key_type().as_str());
            candidate(
                op.keyword(),
                start,
                detail,
                0,
                lt::CompletionItemKind::OPERATOR,
            )
        })
        .collect()
}

/// Condition keys, or operators after a key.
fn conditions(
    typed: &str,
    start: usize,
    statement: &Statement,
    text: &str,
    outline: &Outline,
) -> Vec<Candidate> {
    let catalog = Catalog::get();
    // After an operator or a value, a value or `and` comes: nothing to offer.
    if !matches!(
        statement.previous.as_deref(),
        None | Some("when" | "and" | "any" | "all")
    ) && !statement
        .previous
        .as_deref()
        .is_some_and(|p| p.contains(':') && !p.starts_with('"'))
    {
        return Vec::new();
    }
    if let Some(key) = statement
        .previous
        .as_deref()
        .filter(|k| k.contains(':') && !typed.contains(':'))
    {
        return operators(key, start);
    }
    let mut keys: Vec<ConditionKey<'static>> = Vec::new();
    for action in statement_actions(statement) {
        keys.extend(action.condition_keys());
        for resource in action.resource_types() {
            keys.extend(resource.resource_type.condition_keys());
        }
    }
    let mut out: Vec<Candidate> = Vec::new();
    let tags = principal_tags(text, outline);
    let mut add = |key: &ConditionKey<'_>, rank: u8| {
        let detail = key.key_type().as_str().to_string();
        match key.name().split_once("${") {
            Some((head, _)) if head.ends_with("PrincipalTag/") => {
                out.extend(tags.iter().map(|tag| {
                    candidate(
                        format!("{head}{tag}"),
                        start,
                        detail.clone(),
                        rank,
                        lt::CompletionItemKind::FIELD,
                    )
                }));
            }
            Some(_) => {}
            None => out.push(candidate(
                key.name(),
                start,
                detail,
                rank,
                lt::CompletionItemKind::FIELD,
            )),
        }
    };
    for key in &keys {
        add(key, 0);
    }
    for key in catalog.global_condition_keys() {
        add(&key, 1);
    }
    out
}

/// In an open `$<...` (in a string or a resource path, from `start` to
/// the cursor): the policy variables, `aws:PrincipalTag/` with the tag
/// names the program maps.
fn variables(text: &str, outline: &Outline, start: usize, offset: usize) -> Option<Vec<Candidate>> {
    let typed = text.get(start..offset)?;
    let at = typed.rfind("$<")?;
    let inner = typed.get(at + 2..)?;
    if inner.contains('>') {
        return None;
    }
    let from = start + at + 2;
    let tags = principal_tags(text, outline)
        .into_iter()
        .map(|tag| format!("{}{tag}", crate::check::policy_vars::PRINCIPAL_TAG_PREFIX));
    let names = crate::check::policy_vars::candidates()
        .map(str::to_string)
        .chain(tags);
    let found = names
        .filter(|name| name.to_lowercase().starts_with(&inner.to_lowercase()))
        .map(|name| {
            let detail = if name.starts_with("aws:PrincipalTag/") {
                "a principal tag the program maps"
            } else {
                "a policy variable"
            };
            candidate(
                format!("{name}>"),
                from,
                detail,
                0,
                lt::CompletionItemKind::VARIABLE,
            )
        })
        .collect();
    Some(found)
}

/// The principal tag names the program maps (`principal_tags U { "tag" = "claim" }`).
fn principal_tags(text: &str, outline: &Outline) -> Vec<String> {
    let code: Vec<Token> = outline
        .tokens
        .iter()
        .copied()
        .filter(|t| t.kind != TokenKind::Comment)
        .collect();
    let mut tags = Vec::new();
    let mut in_block = false;
    for (n, token) in code.iter().enumerate() {
        match token.text(text) {
            "principal_tags" => in_block = true,
            "}" => in_block = false,
            _ if in_block
                && token.kind == TokenKind::Str
                && code.get(n + 1).is_some_and(|t| t.text(text) == "=") =>
            {
                tags.push(token.text(text).trim_matches('"').to_string());
            }
            _ => {}
        }
    }
    tags.sort();
    tags.dedup();
    tags
}

/// Inside a string: claims in `map ... by rules` and `principal_tags`
/// blocks, tag names after `$<aws:PrincipalTag/`.
fn in_string(text: &str, outline: &Outline, token: Token, offset: usize) -> Vec<Candidate> {
    let inner_start = token.start + 1;
    let typed = text.get(inner_start..offset).unwrap_or("");
    if let Some(found) = variables(text, outline, inner_start, offset) {
        return found;
    }
    let opener = block_opener(text, outline, token.start);
    let claims_here = opener.iter().any(|w| w == "principal_tags")
        || opener.windows(2).any(|w| w == ["by", "rules"]);
    if !claims_here || typed.contains(['"', ' ']) {
        return Vec::new();
    }
    CLAIMS
        .iter()
        .filter(|c| c.starts_with(typed))
        .map(|c| {
            candidate(
                *c,
                inner_start,
                "a claim of the user pool's ID token",
                0,
                lt::CompletionItemKind::FIELD,
            )
        })
        .collect()
}

/// The words before the innermost `{` still open at `offset`.
fn block_opener(text: &str, outline: &Outline, offset: usize) -> Vec<String> {
    let code: Vec<Token> = outline
        .tokens
        .iter()
        .copied()
        .filter(|t| t.kind != TokenKind::Comment && t.start < offset)
        .collect();
    let mut depth = 0usize;
    for (n, token) in code.iter().enumerate().rev() {
        match token.text(text) {
            "}" => depth += 1,
            "{" if depth == 0 => {
                let line_start = text
                    .get(..token.start)
                    .and_then(|t| t.rfind('\n'))
                    .map_or(0, |n| n + 1);
                return code
                    .get(..n)
                    .unwrap_or(&[])
                    .iter()
                    .filter(|t| t.start >= line_start)
                    .map(|t| t.text(text).to_string())
                    .collect();
            }
            "{" => depth -= 1,
            _ => {}
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        let outline = Outline::read(text);
        complete_at(text, &outline, &[], text.len())
            .into_iter()
            .map(|c| c.text)
            .collect()
    }

    const HEAD: &str =
        "use bucket Files\nuse table Notes\nidentity_pool P {\n  authenticated role {\n";

    #[test]
    fn services_then_actions_acting_on_the_resource_first() {
        let services = texts(&format!("{HEAD}    allow "));
        assert!(services.contains(&"s3:".to_string()));
        assert!(services.contains(&"read".to_string()));
        let text = format!("{HEAD}    allow s3:Get");
        let outline = Outline::read(&text);
        let found = complete_at(&text, &outline, &[], text.len());
        assert!(found.iter().all(|c| c.text.starts_with("s3:Get")));
        assert!(found.iter().any(|c| c.text == "s3:GetObject"));
        // With the resource written after the cursor, object actions rank first.
        let text = format!("{HEAD}    allow s3:Get on Files/*\n");
        let at = text.find(" on").unwrap();
        let outline = Outline::read(&text);
        let found = complete_at(&text, &outline, &[], at);
        let object = found.iter().find(|c| c.text == "s3:GetObject").unwrap();
        let bucket = found
            .iter()
            .find(|c| c.text == "s3:GetBucketPolicy")
            .unwrap();
        assert!(object.rank < bucket.rank);
    }

    #[test]
    fn resources_of_the_fitting_kind_first() {
        let found = texts(&format!("{HEAD}    allow dynamodb:GetItem on "));
        assert_eq!(found.first().map(String::as_str), Some("Notes"));
        assert!(found.contains(&"Files".to_string()));
    }

    #[test]
    fn condition_keys_of_the_actions_then_operators_of_the_key_type() {
        let keys = texts(&format!("{HEAD}    allow s3:ListBucket on Files when "));
        assert!(keys.contains(&"s3:prefix".to_string()));
        assert!(keys.contains(&"aws:SourceIp".to_string()));
        let ops = texts(&format!(
            "{HEAD}    allow s3:ListBucket on Files when s3:prefix "
        ));
        assert!(ops.contains(&"like".to_string()));
        assert!(!ops.contains(&"ip".to_string()));
        let ops = texts(&format!(
            "{HEAD}    allow s3:ListBucket on Files when aws:SourceIp "
        ));
        assert!(ops.contains(&"ip".to_string()));
        assert!(!ops.contains(&"like".to_string()));
    }

    #[test]
    fn claims_in_rules_and_tags_in_variables() {
        let claims = texts("identity_pool P {\n  map U by rules {\n    \"cognito:g");
        assert_eq!(claims, ["cognito:groups"]);
        let text = "identity_pool P {\n  principal_tags U { \"team\" = \"custom:team\" }\n  authenticated role {\n    allow s3:GetObject on \"arn:aws:s3:::b/$<aws:PrincipalTag/";
        assert_eq!(texts(text), ["aws:PrincipalTag/team>"]);
        let unquoted = "identity_pool P {\n  principal_tags U { \"team\" = \"custom:team\" }\n  authenticated role {\n    allow s3:GetObject on B/$<aws:PrincipalTag/t";
        assert_eq!(texts(unquoted), ["aws:PrincipalTag/team>"]);
        assert!(texts("allow s3:GetObject on B/$<s").contains(&"sub>".to_string()));
        let expect = "expect R only via cognito:gr";
        assert_eq!(texts(expect), ["cognito:groups"]);
    }

    #[test]
    fn kinds_after_use() {
        let kinds = texts("use bu");
        assert_eq!(kinds, ["bucket"]);
        assert!(texts("use ").contains(&"user_pool".to_string()));
    }

    #[test]
    fn roles_where_a_role_is_named_and_names_after_output() {
        let text = "role Shared {\n}\nidentity_pool P {\n  authenticated role ";
        assert_eq!(texts(text), ["Shared"]);
        let text = "role Shared {\n}\nidentity_pool P {\n}\noutput Id = ";
        assert_eq!(texts(text), ["P", "Shared"]);
    }

    #[test]
    fn nothing_in_comments() {
        assert!(texts(&format!("{HEAD}    allow s3:Get # s3:")).is_empty());
    }
}
