//! Hover: what the word under the cursor means to AWS and to the program.
//!
//! - an action: its access level, the resource types it acts on, its
//!   condition keys (the catalog);
//! - a wildcard action, or an access level in a statement: the exact
//!   actions it covers (an access level: for the statement's resources, as
//!   the checker expands it);
//! - a resource name: its kind, where it is defined, the ARN it becomes;
//! - a policy variable: what IAM puts there;
//! - a diagnostic code (in a suppression comment): its explanation.

use super::index::{Decl, DeclKind, Outline, TokenKind};
use super::stacks::StackEntry;
use super::text::LineIndex;
use super::{Failure, Server};
use crate::catalog::{Action, Catalog};
use crate::check::kinds::{ArnSource, iam_arn, kind_info};
use crate::check::policy_vars::{self, PolicyVar};
use crate::diag::Code;
use crate::syntax::ast::Kind;
use crate::vocabulary::AccessLevel;
use lsp_types as lt;
use std::path::Path;

/// At most this many actions are listed; the rest are counted.
const MAX_LISTED: usize = 30;

/// Answers `textDocument/hover`.
pub(crate) fn hover(server: &mut Server, p: lt::HoverParams) -> Result<Option<lt::Hover>, Failure> {
    let at = p.text_document_position_params;
    let super::definition::Context {
        text,
        path,
        outline,
        stack,
        ..
    } = super::definition::context(server, &at.text_document.uri)?;
    let index = LineIndex::new(&text);
    let offset = index.offset(at.position);
    let use_file = outline
        .use_files
        .iter()
        .find(|u| u.start <= offset && offset <= u.end);
    let dir = path.as_deref().and_then(Path::parent);
    let found = match (use_file, dir) {
        (Some(file), Some(dir)) => {
            let entries = server.stacks.entries(&dir.join(&file.path));
            Some((stack_file(&file.path, &entries), file.start, file.end))
        }
        _ => describe(&text, path.as_deref(), &outline, &stack, offset),
    };
    Ok(found.map(|(value, start, end)| lt::Hover {
        contents: lt::HoverContents::Markup(lt::MarkupContent {
            kind: lt::MarkupKind::Markdown,
            value,
        }),
        range: Some(index.range(start, end)),
    }))
}

/// The hover text for the word at `offset`, and the word's bytes.
pub(crate) fn describe(
    text: &str,
    program: Option<&Path>,
    outline: &Outline,
    stack: &[StackEntry],
    offset: usize,
) -> Option<(String, usize, usize)> {
    let token = *outline.tokens.get(outline.token_at(offset)?)?;
    let word = token.text(text);

    if let Some((start, end, inner)) = variable_at(word, offset - token.start) {
        let hover = policy_variable(inner)?;
        return Some((hover, token.start + start, token.start + end));
    }
    if token.kind == TokenKind::Comment {
        let (start, end) = word_around(word, offset - token.start);
        let code = Code::parse(word.get(start..end)?)?;
        return Some((
            code.explanation().to_string(),
            token.start + start,
            token.start + end,
        ));
    }
    if token.kind != TokenKind::Word {
        return None;
    }
    let span = (token.start, token.end);
    let head = word.split(['/', '.']).next().unwrap_or("");
    let shown = if let Some(level) = AccessLevel::from_keyword(word) {
        let statement = outline.statement_at(text, offset)?;
        access_level(level, &statement.resources, outline, stack)
    } else if word.contains(':') {
        action_or_key(word)?
    } else {
        let at = (token.start, token.start + head.len());
        let hover = resource(head, text, program, outline, stack)?;
        return Some((hover, at.0, at.1));
    };
    Some((shown, span.0, span.1))
}

/// What a `use "path"` brings: the resources of that stack file.
fn stack_file(written: &str, stack: &[StackEntry]) -> String {
    let mut names: Vec<String> = stack
        .iter()
        .map(|e| match e.kind {
            Some(kind) => format!("- `{}` ({})", e.logical_id, kind.keyword()),
            None => format!("- `{}` ({})", e.logical_id, e.cfn_type),
        })
        .collect();
    if names.is_empty() {
        return format!("`{written}`: no resources read (missing, unreadable, or empty).");
    }
    let count = names.len();
    if count > MAX_LISTED {
        names.truncate(MAX_LISTED);
        names.push(format!("- ... and {} more", count - MAX_LISTED));
    }
    format!(
        "`{written}` defines {count} resources:\n\n{}",
        names.join("\n")
    )
}

/// The `$<...>` or `${...}` of `word` around byte `at`: its bytes in the
/// word and the key inside.
fn variable_at(word: &str, at: usize) -> Option<(usize, usize, &str)> {
    let mut from = 0;
    while let Some(found) = word.get(from..).and_then(|rest| rest.find('$')) {
        let start = from + found;
        let close = match word.get(start + 1..start + 2) {
            Some("<") => '>',
            Some("{") => '}',
            _ => {
                from = start + 1;
                continue;
            }
        };
        let end = start + word.get(start..)?.find(close)? + 1;
        if start <= at && at <= end {
            return Some((start, end, word.get(start + 2..end - 1)?));
        }
        from = end;
    }
    None
}

/// The run of letters and digits around byte `at`.
fn word_around(text: &str, at: usize) -> (usize, usize) {
    let is_word = |c: char| c.is_ascii_alphanumeric();
    let start = text
        .get(..at)
        .and_then(|before| before.rfind(|c: char| !is_word(c)).map(|n| n + 1))
        .unwrap_or(0);
    let end = text
        .get(at..)
        .and_then(|after| after.find(|c: char| !is_word(c)).map(|n| at + n))
        .unwrap_or(text.len());
    (start, end.max(start))
}

const IDENTITY_SOURCES: &str = "\n\nSources: \"Available keys for AWS web identity federation\", \
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif; \
\"IAM roles\", Amazon Cognito Developer Guide, \
https://docs.aws.amazon.com/cognito/latest/developerguide/iam-roles.html";

/// What a policy variable holds.
fn policy_variable(written: &str) -> Option<String> {
    let resolved = policy_vars::resolve(written)?;
    let key = match &resolved {
        PolicyVar::Key(key) => key.as_str(),
        PolicyVar::PrincipalTag(tag) => {
            return Some(format!(
                "**`aws:PrincipalTag/{tag}`**: the value of the principal tag `{tag}` on the session. \
                 An identity pool sets it from a claim of the user's token through `principal_tags` \
                 (usable only in a pool that maps this tag)."
            ));
        }
    };
    let meaning = match key {
        policy_vars::SUB => "the caller's **Amazon Cognito identity ID** in the identity pool, \
             `region:guid` (like `us-east-1:0a1b2c3d-...`), one per identity; it holds no `/`. \
             It is **not** the `sub` claim of a user pool's token."
            .to_string(),
        "cognito-identity.amazonaws.com:aud" => {
            "the **identity pool ID** the caller's credentials come from (`region:guid`)."
                .to_string()
        }
        "cognito-identity.amazonaws.com:amr" => "how the caller signed in: `authenticated` or \
             `unauthenticated`, and for signed-in users the provider they used."
            .to_string(),
        other => {
            let key = Catalog::get().global_condition_key(other);
            let kind = key.map_or(String::new(), |k| format!(" ({})", k.key_type().as_str()));
            return Some(format!(
                "**`{other}`**{kind}: a request-context key IAM substitutes at request time.\n\n\
                 Source: \"IAM policy elements: Variables and tags\", \
                 https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html"
            ));
        }
    };
    Some(format!("**`{key}`**: {meaning}{IDENTITY_SOURCES}"))
}

/// An action, the actions a wildcard covers, or a condition key.
fn action_or_key(word: &str) -> Option<String> {
    let catalog = Catalog::get();
    if word.contains(['*', '?']) {
        let actions = catalog.actions_matching(word);
        if actions.is_empty() {
            return Some(format!("`{word}` matches no action of the catalog."));
        }
        return Some(format!(
            "`{word}` covers {} action{}:\n\n{}",
            actions.len(),
            if actions.len() == 1 { "" } else { "s" },
            listed(&actions)
        ));
    }
    if let Some(action) = catalog.action(word) {
        return Some(describe_action(&action));
    }
    let key = catalog.condition_key(word)?;
    Some(format!(
        "**`{}`**: condition key of type `{}`{}",
        key.name(),
        key.key_type().as_str(),
        if key.is_global() { " (global)" } else { "" }
    ))
}

fn listed(actions: &[Action<'_>]) -> String {
    let mut lines: Vec<String> = actions
        .iter()
        .take(MAX_LISTED)
        .map(|a| format!("- `{}` ({})", a.full_name(), a.access_level().keyword()))
        .collect();
    if actions.len() > MAX_LISTED {
        lines.push(format!("- ... and {} more", actions.len() - MAX_LISTED));
    }
    lines.join("\n")
}

/// An action's access level, resource types and condition keys.
fn describe_action(action: &Action<'_>) -> String {
    let mut out = format!(
        "**`{}`** ({}): access level **{}** (`{}`)",
        action.full_name(),
        action.service().name(),
        action.access_level().to_iam(),
        action.access_level().keyword()
    );
    let resources = action.resource_types();
    if resources.is_empty() || action.only_wildcard_resource() {
        out.push_str("\n\nResource types: none (only `*`).");
    } else {
        out.push_str("\n\nResource types:");
        for resource in &resources {
            let required = if resource.required { " (required)" } else { "" };
            out.push_str(&format!(
                "\n- `{}`{required}",
                resource.resource_type.name()
            ));
        }
    }
    let keys = action.condition_keys();
    if !keys.is_empty() {
        out.push_str("\n\nCondition keys:");
        for key in keys.iter().take(MAX_LISTED) {
            out.push_str(&format!(
                "\n- `{}` ({})",
                key.name(),
                key.key_type().as_str()
            ));
        }
        if keys.len() > MAX_LISTED {
            out.push_str(&format!("\n- ... and {} more", keys.len() - MAX_LISTED));
        }
    }
    out
}

/// The kind of a name the program declares or its stacks define.
pub(crate) fn kind_of(name: &str, outline: &Outline, stack: &[StackEntry]) -> Option<Kind> {
    match outline.decl(name).map(|d| d.kind) {
        Some(DeclKind::Resource(kind)) => Some(kind),
        Some(_) => None,
        None => stack.iter().find(|e| e.logical_id == name)?.kind,
    }
}

/// The actions an access level expands to on the statement's resources,
/// as the checker expands it: the actions of that level of each resource's
/// service that act on its ARN (and not only on `*`).
fn access_level(
    level: AccessLevel,
    resources: &[String],
    outline: &Outline,
    stack: &[StackEntry],
) -> String {
    let mut expanded: Vec<Action<'static>> = Vec::new();
    for resource in resources {
        let Some((service, sample)) = sample_arn(resource, outline, stack) else {
            continue;
        };
        let Some(service) = Catalog::get().service(service) else {
            continue;
        };
        for action in service.actions().filter(|a| {
            a.access_level() == level
                && !a.only_wildcard_resource()
                && a.resource_types()
                    .iter()
                    .any(|r| r.resource_type.matches_arn(&sample))
        }) {
            if !expanded.contains(&action) {
                expanded.push(action);
            }
        }
    }
    expanded.sort_by_key(Action::full_name);
    let head = format!(
        "Access level **{}**: the actions of this level that act on the statement's resources",
        level.to_iam()
    );
    if expanded.is_empty() {
        return format!(
            "{head}.\n\nNone yet: write the resources (`on Name`) this level applies to."
        );
    }
    format!("{head} ({}):\n\n{}", expanded.len(), listed(&expanded))
}

/// The IAM service of a resource as a statement writes it (`Name` or
/// `Name/path`) and an ARN it could be, as the checker samples it.
pub(crate) fn sample_arn(
    resource: &str,
    outline: &Outline,
    stack: &[StackEntry],
) -> Option<(&'static str, String)> {
    if let Some(arn) = resource.strip_prefix('"') {
        // A string ARN: its service is the ARN's; every variable is `*`.
        let sample = sample_path(
            &arn.trim_end_matches('"')
                .replace("${", "$<")
                .replace('}', ">"),
        );
        let service = Catalog::get().service_for_arn(&sample)?.prefix();
        return Some((service, sample));
    }
    let mut parts = resource.splitn(2, '/');
    let kind = kind_of(parts.next().unwrap_or(""), outline, stack)?;
    let (service, arn) = iam_arn(kind)?;
    let sample = match parts.next() {
        Some(path) => format!(
            "{arn}{}{}",
            kind_info(kind).path_separator,
            sample_path(path)
        ),
        None => arn.to_string(),
    };
    Some((service, sample))
}

/// A resource path with every policy variable as `*`: what it could be.
fn sample_path(path: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(start) = rest.find("$<") {
        out.push_str(rest.get(..start).unwrap_or(""));
        match rest.get(start..).and_then(|r| r.find('>')) {
            Some(end) => {
                out.push('*');
                rest = rest.get(start + end + 1..).unwrap_or("");
            }
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}

/// A name's kind, where it is defined, and the ARN it becomes.
fn resource(
    name: &str,
    text: &str,
    program: Option<&Path>,
    outline: &Outline,
    stack: &[StackEntry],
) -> Option<String> {
    let (kind, place) = match outline.decl(name) {
        Some(decl) => match declared(decl, text, program, stack) {
            Ok(found) => found,
            Err(shown) => return Some(shown),
        },
        None => {
            let entry = stack.iter().find(|e| e.logical_id == name)?;
            let place = format!("defined in {} (`{}`)", stack_place(entry), entry.cfn_type);
            (entry.kind, place)
        }
    };
    let Some(kind) = kind else {
        return Some(format!(
            "**`{name}`**: {place}; idpc has no kind for its type."
        ));
    };
    let info = kind_info(kind);
    let arn = match info.arn {
        ArnSource::GetAttArn => format!("`!GetAtt {name}.Arn`"),
        ArnSource::Ref => format!("`!Ref {name}`"),
        ArnSource::Built { service, prefix } => format!(
            "`arn:${{AWS::Partition}}:{service}:...:{prefix}${{{name}}}` (built around `!Ref {name}`)"
        ),
        ArnSource::None => "none an IAM policy can name".to_string(),
    };
    let example = iam_arn(kind).map_or(String::new(), |(_, sample)| format!(", like `{sample}`"));
    Some(format!(
        "**`{name}`**: `{}` ({}), {place}.\n\nIts ARN: {arn}{example}.",
        kind.keyword(),
        info.cfn_type
    ))
}

/// The kind and place of a name the program declares; `Err` with the
/// whole hover for a name that is not a resource.
fn declared(
    decl: &Decl,
    text: &str,
    program: Option<&Path>,
    stack: &[StackEntry],
) -> Result<(Option<Kind>, String), String> {
    let name = &decl.name;
    let line = LineIndex::new(text).line_number(decl.start);
    let file = program.map_or_else(|| "this program".to_string(), file_name);
    let how = if decl.used {
        "declared by a `use` line"
    } else {
        "defined"
    };
    let what = match decl.kind {
        DeclKind::Resource(kind) => {
            // A `use` line is a claim; the stack may say where it really is.
            let place = match stack.iter().find(|e| &e.logical_id == name) {
                Some(entry) if decl.used => {
                    format!("{how} at {file}:{line}; defined in {}", stack_place(entry))
                }
                _ => format!("{how} at {file}:{line}"),
            };
            return Ok((Some(kind), place));
        }
        DeclKind::Output => "a stack output",
        DeclKind::Parameter => "a CloudFormation parameter of the stack",
        DeclKind::Condition => "a CloudFormation condition of the stack",
    };
    Err(format!("**`{name}`**: {what}, {how} at {file}:{line}"))
}

fn stack_place(entry: &StackEntry) -> String {
    let line = entry.range.start.line + 1;
    let file = file_name(&entry.path);
    match &entry.generated_by {
        Some(by) => format!("{file}:{line} (generated by Serverless from {by})"),
        None => format!("{file}:{line}"),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    fn hover_at(text: &str, needle: &str) -> String {
        let outline = Outline::read(text);
        let offset = text.find(needle).unwrap() + 1;
        describe(text, None, &outline, &[], offset).unwrap().0
    }

    const PROGRAM: &str = "use bucket Files\n# idpc: allow(W0601) reason: shared\nidentity_pool P {\n  authenticated role {\n    allow s3:GetObject, s3:Put*, read on Files/private/$<sub>/*\n  }\n}\n";

    #[test]
    fn an_action_shows_its_level_resources_and_keys() {
        let shown = hover_at(PROGRAM, "s3:GetObject");
        assert!(shown.contains("access level **Read**"), "{shown}");
        assert!(shown.contains("`object`"), "{shown}");
        assert!(
            shown.contains("`s3:ExistingObjectTag/${TagKey}`") || shown.contains("s3:"),
            "{shown}"
        );
    }

    #[test]
    fn a_wildcard_lists_its_actions() {
        let shown = hover_at(PROGRAM, "s3:Put*");
        assert!(shown.contains("`s3:PutObject` (write)"), "{shown}");
        assert!(shown.contains("... and"), "{shown}");
    }

    #[test]
    fn an_access_level_lists_what_it_expands_to_on_the_resource() {
        let shown = hover_at(PROGRAM, "read on");
        assert!(shown.contains("`s3:GetObject` (read)"), "{shown}");
        // Bucket-level reads do not act on an object ARN.
        assert!(!shown.contains("`s3:GetBucketPolicy`"), "{shown}");
    }

    #[test]
    fn an_access_level_on_a_string_arn_uses_the_arn_s_service() {
        let text = "allow read on \"arn:aws:dynamodb:us-east-1:123456789012:table/T\"";
        let shown = hover_at(text, "read on");
        assert!(shown.contains("`dynamodb:GetItem` (read)"), "{shown}");
    }

    #[test]
    fn sub_is_the_identity_id_not_the_user_pool_sub() {
        let shown = hover_at(PROGRAM, "<sub>");
        assert!(shown.contains("identity ID"), "{shown}");
        assert!(shown.contains("**not** the `sub` claim"), "{shown}");
    }

    #[test]
    fn the_iam_spelling_of_sub_in_a_string_is_the_identity_id_too() {
        let text =
            "allow s3:GetObject on \"arn:aws:s3:::b/${cognito-identity.amazonaws.com:sub}/*\"";
        let shown = hover_at(text, "{cognito");
        assert!(shown.contains("`region:guid`"), "{shown}");
        let shown = hover_at(
            "allow s3:GetObject on \"arn:aws:s3:::b/$<aws:username>\"",
            "aws:username",
        );
        assert!(shown.contains("request-context key"), "{shown}");
    }

    #[test]
    fn a_resource_shows_its_kind_place_and_arn() {
        let shown = hover_at(PROGRAM, "Files/private");
        assert!(shown.contains("`bucket` (AWS::S3::Bucket)"), "{shown}");
        assert!(shown.contains("this program:1"), "{shown}");
        assert!(shown.contains("arn:aws:s3:::example-bucket"), "{shown}");
    }

    #[test]
    fn a_code_in_a_comment_shows_its_explanation() {
        let shown = hover_at(PROGRAM, "W0601");
        assert_eq!(shown, Code::W0601.explanation());
    }
}
