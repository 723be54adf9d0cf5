//! W0612: users no rule matches fall back to a role that can do more than
//! the roles the rules hand out.
//!
//! With `AmbiguousRoleResolution: AuthenticatedRole` ("Specifies the action
//! to be taken if ... no rules match the claim value for the `Rules` type",
//! Amazon Cognito API Reference, `RoleMapping`), a user whom no rule
//! matches gets the pool's authenticated role. When that role allows a
//! request none of the rule roles allows, the users the rules were meant to
//! sort get more by matching none of them.
//!
//! The verdict is on meaning and errs on the side of silence: the lint
//! looks for a concrete request (an action and an ARN) that the fallback
//! role surely allows (an allow without conditions, and no deny of the role
//! that may match) and that every rule role surely refuses (no allow that
//! may match, or a deny without conditions that surely does). A role whose
//! permissions idpc cannot see (a managed policy by ARN, a permissions
//! boundary on the fallback role) leaves the verdict unknown: nothing is
//! said. ARNs are compared as IAM reads them (`*`, `?`, `$<sub>` the
//! caller's identity id); names known only at deploy time (a resource's
//! ARN, a Serverless variable) may hold any text, except that a name never
//! holds itself with more around it.

// A piece of a resource pattern (arn_set's): `Unknown` is a fixed text
// known only at deploy time, by name (a named resource's ARN, `@Name`, or a
// variable as written).
use super::arn_set::Piece as Glob;
use super::{ActionName, Finding, LintKind, actions_of, applies};
use crate::catalog::Action;
use crate::check::ir::{Checked, ResourceDef, Role, Statement, Value};
use crate::check::kinds::kind_info;
use crate::check::sample_arn;
use crate::syntax::ast::{Effect, Otherwise, RoleUsage, Span};
use std::collections::{BTreeSet, HashMap, HashSet};

/// Requests tried per mapping before giving up (and saying nothing): a role
/// granting `*` on `*` names every action of the catalog.
const BUDGET: usize = 50_000;

/// W0612 for every rules mapping whose unmatched users get a role that can
/// do more than every rule's role.
pub fn review(checked: &Checked) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut seen: HashSet<Span> = HashSet::new();
    // Roles by logical ID: looking each up among all would be quadratic in
    // large programs.
    let roles: HashMap<&str, &Role> = checked
        .pools()
        .iter()
        .flat_map(|pool| &pool.roles)
        .chain(checked.shared_roles())
        .map(|role| (role.logical_id.as_str(), role))
        .collect();
    for pool in checked.pools() {
        let Some(attachment) = &pool.attachment else {
            continue;
        };
        // A fallback role given under a condition may be absent: not judged.
        let conditional = attachment
            .role_conditions
            .iter()
            .any(|(usage, _)| *usage == RoleUsage::Authenticated);
        let Some((_, fallback_id)) = attachment
            .roles
            .iter()
            .find(|(usage, _)| *usage == RoleUsage::Authenticated)
        else {
            continue;
        };
        if conditional {
            continue;
        }
        for mapping in &attachment.mappings {
            let Some(rules) = &mapping.rules else {
                continue;
            };
            if mapping.otherwise != Otherwise::Authenticated
                || rules.is_empty()
                || !seen.insert(mapping.otherwise_span)
            {
                continue;
            }
            let mut rule_ids: Vec<&str> = rules.iter().map(|rule| rule.role.as_str()).collect();
            rule_ids.sort();
            rule_ids.dedup();
            if let Some(kind) = judge(checked, &roles, fallback_id, &rule_ids) {
                findings.push(Finding {
                    kind,
                    span: mapping.otherwise_span,
                });
            }
        }
    }
    findings
}

/// The finding for one mapping, when a request shows the fallback role
/// can do more.
fn judge(
    checked: &Checked,
    roles: &HashMap<&str, &Role>,
    fallback_id: &str,
    rule_ids: &[&str],
) -> Option<LintKind> {
    let find = |id: &str| roles.get(id).map(|role| checked.permissions(role));
    let fallback = find(fallback_id)?;
    if !fallback.managed_policies.is_empty()
        || !fallback.attached_policies.is_empty()
        || fallback.boundary.is_some()
    {
        return None;
    }
    let mut rule_roles = Vec::new();
    for id in rule_ids {
        let role = find(id)?;
        // What a managed policy by ARN allows is unknown; a boundary only
        // takes away, so the rule role allows at most what it states.
        if !role.managed_policies.is_empty() || !role.attached_policies.is_empty() {
            return None;
        }
        rule_roles.push(role);
    }
    let rules: Vec<Judged<'_>> = rule_roles.iter().map(|role| Judged::new(role)).collect();
    let (action, resource) = Judged::new(&fallback).more_than(&rules)?;
    Some(LintKind::FallbackGrantsMore {
        role: fallback_id.to_string(),
        rule_roles: rule_ids.iter().map(|id| id.to_string()).collect(),
        action,
        resource,
    })
}

/// A statement with the catalog actions it names and its resources as
/// patterns.
type Read<'a> = (&'a Statement, BTreeSet<ActionName>, Vec<Vec<Glob>>);

/// A role's statements, read.
struct Judged<'a> {
    statements: Vec<Read<'a>>,
}

impl<'a> Judged<'a> {
    fn new(role: &'a Role) -> Judged<'a> {
        let statements = role
            .statements
            .iter()
            .map(|statement| {
                let patterns = statement.resources.iter().map(pattern).collect();
                (statement, actions_of(statement), patterns)
            })
            .collect();
        Judged { statements }
    }

    /// A request this role (the fallback) surely allows and every rule role
    /// surely refuses: the action's full name and the ARN as shown.
    fn more_than(&self, rules: &[Judged<'_>]) -> Option<(String, String)> {
        let mut budget = BUDGET;
        for (statement, _, patterns) in &self.statements {
            if statement.effect != Effect::Allow
                || !statement.conditions.is_empty()
                || statement.if_condition.is_some()
            {
                continue;
            }
            let actions = statement.origin.actions.iter().flat_map(|o| &o.actions);
            for action in actions {
                for (resource, pattern) in statement.resources.iter().zip(patterns) {
                    for word in witnesses(resource, pattern, action) {
                        if budget == 0 {
                            return None;
                        }
                        budget -= 1;
                        let name = (action.service().prefix(), action.name());
                        if !self.may_deny(name, &word)
                            && rules.iter().all(|rule| rule.surely_refuses(name, &word))
                        {
                            return Some((action.full_name(), render(&word)));
                        }
                    }
                }
            }
        }
        None
    }

    /// Whether a deny of the role (conditions or not) may match.
    fn may_deny(&self, action: ActionName, word: &[Letter]) -> bool {
        self.statements
            .iter()
            .any(|(statement, actions, patterns)| {
                statement.effect == Effect::Deny
                    && actions.contains(&action)
                    && patterns.iter().any(|p| may_match(p, word))
            })
    }

    /// Whether no allow of the role may match, or a deny without
    /// conditions surely does.
    fn surely_refuses(&self, action: ActionName, word: &[Letter]) -> bool {
        let mut allowed = false;
        for (statement, actions, patterns) in &self.statements {
            if !actions.contains(&action) {
                continue;
            }
            match statement.effect {
                Effect::Deny => {
                    if statement.conditions.is_empty()
                        && statement.if_condition.is_none()
                        && patterns.iter().any(|p| surely_matches(p, word))
                    {
                        return true;
                    }
                }
                Effect::Allow => {
                    allowed = allowed || patterns.iter().any(|p| may_match(p, word));
                }
            }
        }
        !allowed
    }
}

/// A letter of a concrete request's ARN.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Letter {
    Char(char),
    /// The caller's identity id.
    Caller,
    /// Another identity's id.
    Victim,
    /// The text of a [`Glob::Unknown`] of the same name.
    Opaque(String),
}

/// The pattern of a statement's resource, as IAM reads the lowered text.
fn pattern(resource: &ResourceDef) -> Vec<Glob> {
    match resource {
        ResourceDef::Any => vec![Glob::Star],
        ResourceDef::Arn(value) => globs(value),
        ResourceDef::Of {
            logical_id,
            kind,
            path,
        } => {
            let mut pieces = vec![Glob::Unknown(format!("@{logical_id}"))];
            if let Some(path) = path {
                pieces.extend(kind_info(*kind).path_separator.chars().map(Glob::Char));
                pieces.extend(globs(path));
            }
            pieces
        }
    }
}

fn globs(value: &Value) -> Vec<Glob> {
    super::arn_set::Pattern::of_value(value).into_pieces()
}

/// Concrete ARNs the pattern matches that `action` acts on: its wildcards
/// filled a few ways. For `*`, the action's own ARN format, filled in (or
/// `*` for an action that takes no resource).
fn witnesses(
    resource: &ResourceDef,
    pattern: &[Glob],
    action: &Action<'static>,
) -> Vec<Vec<Letter>> {
    if matches!(resource, ResourceDef::Any) {
        if action.only_wildcard_resource() {
            return vec![vec![Letter::Char('*')]];
        }
        return action
            .resource_types()
            .first()
            .map(|resource| vec![from_format(resource.resource_type.arn_format().as_str())])
            .unwrap_or_default();
    }
    if !sample_arn(resource).is_none_or(|arn| applies(action, &arn)) {
        return Vec::new();
    }
    // Each `*` as `x`; the first as another identity's id (a folder of
    // someone else's), the others `x`; each as nothing.
    let fills: [(&[Letter], &[Letter]); 3] = [
        (&[Letter::Char('x')], &[Letter::Char('x')]),
        (&[Letter::Victim], &[Letter::Char('x')]),
        (&[], &[]),
    ];
    fills
        .iter()
        .map(|(first, rest)| {
            let mut stars = 0;
            pattern
                .iter()
                .flat_map(|piece| match piece {
                    Glob::Char(c) => vec![Letter::Char(*c)],
                    Glob::Star => {
                        stars += 1;
                        if stars == 1 { first } else { rest }.to_vec()
                    }
                    Glob::Question => vec![Letter::Char('x')],
                    Glob::Sub => vec![Letter::Caller],
                    Glob::Unknown(name) => vec![Letter::Opaque(name.clone())],
                })
                .collect()
        })
        .collect()
}

/// An ARN of a catalog format: the account and Region of an example, every
/// other placeholder `example`.
fn from_format(format: &str) -> Vec<Letter> {
    let mut text = String::new();
    let mut rest = format;
    while let Some(start) = rest.find("${") {
        text.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            break;
        };
        text.push_str(match &after[..end] {
            "Partition" => "aws",
            "Region" => "us-east-1",
            "Account" => "123456789012",
            _ => "example",
        });
        rest = &after[end + 1..];
    }
    text.push_str(rest);
    text.chars().map(Letter::Char).collect()
}

/// Whether a piece may be part of the text of a letter that stands for
/// several characters.
fn may_spell(piece: &Glob, letter: &Letter) -> bool {
    match (piece, letter) {
        (Glob::Star | Glob::Question | Glob::Unknown(_), Letter::Caller | Letter::Victim) => true,
        (Glob::Char(c), Letter::Caller | Letter::Victim) => *c != '/',
        // A name never holds itself with more around it.
        (Glob::Unknown(own), Letter::Opaque(name)) => own != name,
        (_, Letter::Opaque(_)) => true,
        _ => false,
    }
}

/// Whether the pattern may match the word for some values of the names
/// known only at deploy time: errs towards "may".
fn may_match(pattern: &[Glob], word: &[Letter]) -> bool {
    let (n, m) = (pattern.len(), word.len());
    // reach[i][j]: pattern[..i] may match word[..j].
    let mut reach = vec![vec![false; m + 1]; n + 1];
    reach[0][0] = true;
    for i in 0..=n {
        for j in 0..=m {
            if !reach[i][j] {
                continue;
            }
            let piece = pattern.get(i);
            let letter = word.get(j);
            match piece {
                Some(Glob::Unknown(name)) => unknown_text(name, word, j, &mut reach[i + 1]),
                Some(Glob::Star) => {
                    reach[i + 1][j] = true;
                    if j < m {
                        reach[i][j + 1] = true;
                    }
                }
                _ => {}
            }
            match (piece, letter) {
                (Some(Glob::Char(c)), Some(Letter::Char(d))) if c == d => {
                    reach[i + 1][j + 1] = true
                }
                (Some(Glob::Question), Some(Letter::Char(_))) => reach[i + 1][j + 1] = true,
                (Some(Glob::Sub), Some(_)) => {
                    // The caller's id, or a text that may hold it.
                    for end in j + 1..=m {
                        let spellable = match &word[end - 1] {
                            Letter::Char(c) => *c != '/',
                            Letter::Caller | Letter::Opaque(_) => true,
                            Letter::Victim => false,
                        };
                        if !spellable {
                            break;
                        }
                        reach[i + 1][end] = true;
                    }
                }
                _ => {}
            }
            if let Some(letter @ (Letter::Caller | Letter::Victim | Letter::Opaque(_))) = letter {
                // Pieces that together spell the letter's text.
                for end in i + 1..=n {
                    if !may_spell(&pattern[end - 1], letter) {
                        break;
                    }
                    reach[end][j + 1] = true;
                }
            }
        }
    }
    reach[n][m]
}

/// Where a pattern's name known only at deploy time, starting at letter
/// `start` of the word, may end: any text, but never empty for a named
/// resource's ARN, and never the same name with more text around it.
fn unknown_text(name: &str, word: &[Letter], start: usize, ends: &mut [bool]) {
    let first = if name.starts_with('@') {
        start + 1
    } else {
        start
    };
    let (mut own, mut text) = (false, false);
    for end in start..=word.len() {
        if end > start {
            match &word[end - 1] {
                Letter::Opaque(other) if other == name => own = true,
                // Another name may be empty.
                Letter::Opaque(_) => {}
                _ => text = true,
            }
        }
        if own && text {
            break;
        }
        if end >= first {
            ends[end] = true;
        }
    }
}

/// Whether the pattern matches the word whatever the names known only at
/// deploy time hold: errs towards "not surely".
fn surely_matches(pattern: &[Glob], word: &[Letter]) -> bool {
    let (n, m) = (pattern.len(), word.len());
    let mut reach = vec![vec![false; m + 1]; n + 1];
    reach[0][0] = true;
    for i in 0..=n {
        for j in 0..=m {
            if !reach[i][j] {
                continue;
            }
            let (Some(piece), letter) = (pattern.get(i), word.get(j)) else {
                continue;
            };
            let step = match (piece, letter) {
                (Glob::Star, _) => {
                    reach[i + 1][j] = true;
                    j < m
                }
                (Glob::Char(c), Some(Letter::Char(d))) => c == d,
                (Glob::Question, Some(Letter::Char(_))) => true,
                (Glob::Sub, Some(Letter::Caller)) => true,
                (Glob::Unknown(own), Some(Letter::Opaque(name))) => own == name,
                _ => false,
            };
            if step {
                if *piece == Glob::Star {
                    reach[i][j + 1] = true;
                } else {
                    reach[i + 1][j + 1] = true;
                }
            }
        }
    }
    reach[n][m]
}

/// A request's ARN as the program writes it: a named resource by its name
/// (`Media/x`), the caller as `us-east-1:me`.
fn render(word: &[Letter]) -> String {
    let mut text = String::new();
    for letter in word {
        match letter {
            Letter::Char(c) => text.push(*c),
            Letter::Caller => text.push_str(super::arn_set::CALLER),
            Letter::Victim => text.push_str(super::arn_set::VICTIM),
            Letter::Opaque(name) => text.push_str(name.strip_prefix('@').unwrap_or(name)),
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glob(text: &str) -> Vec<Glob> {
        let mut pieces = Vec::new();
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            if let Some(after) = rest.strip_prefix("$<sub>") {
                pieces.push(Glob::Sub);
                rest = after;
            } else if rest.starts_with('@') || rest.starts_with("${") {
                let end = rest.find(['/', '}']).map_or(rest.len(), |at| {
                    if rest.as_bytes()[at] == b'}' {
                        at + 1
                    } else {
                        at
                    }
                });
                pieces.push(Glob::Unknown(rest[..end].to_string()));
                rest = &rest[end..];
            } else {
                pieces.push(match c {
                    '*' => Glob::Star,
                    '?' => Glob::Question,
                    c => Glob::Char(c),
                });
                rest = &rest[c.len_utf8()..];
            }
        }
        pieces
    }

    fn word(text: &str) -> Vec<Letter> {
        glob(text)
            .into_iter()
            .map(|piece| match piece {
                Glob::Char(c) => Letter::Char(c),
                Glob::Sub => Letter::Caller,
                Glob::Unknown(name) if name == "@victim" => Letter::Victim,
                Glob::Unknown(name) => Letter::Opaque(name),
                Glob::Star | Glob::Question => unreachable!("a word has no wildcard"),
            })
            .collect()
    }

    #[test]
    fn literal_patterns_match_literal_words_exactly() {
        assert!(may_match(
            &glob("arn:aws:s3:::media/*"),
            &word("arn:aws:s3:::media/x")
        ));
        assert!(!may_match(
            &glob("arn:aws:s3:::media/public/*"),
            &word("arn:aws:s3:::media/x")
        ));
        assert!(surely_matches(
            &glob("arn:aws:s3:::media/*"),
            &word("arn:aws:s3:::media/x")
        ));
        assert!(!surely_matches(
            &glob("arn:aws:s3:::media/p*"),
            &word("arn:aws:s3:::media/x")
        ));
    }

    #[test]
    fn a_name_may_hold_any_text_but_never_itself_with_more() {
        // `${bucket}` may be `media`.
        assert!(may_match(
            &glob("arn:aws:s3:::media/*"),
            &word("arn:aws:s3:::${bucket}/x")
        ));
        assert!(!surely_matches(
            &glob("arn:aws:s3:::media/*"),
            &word("arn:aws:s3:::${bucket}/x")
        ));
        // The same resource: its ARN is the same text on both sides.
        assert!(!may_match(&glob("@Media/public/*"), &word("@Media/x")));
        assert!(may_match(&glob("@Media/*"), &word("@Media/x")));
        assert!(surely_matches(&glob("@Media/*"), &word("@Media/x")));
        // Another resource's ARN may be anything, this one's too.
        assert!(may_match(&glob("@Other/public/*"), &word("@Media/x")));
        assert!(!surely_matches(&glob("@Other/*"), &word("@Media/x")));
    }

    #[test]
    fn sub_is_the_callers_id_and_no_one_elses() {
        assert!(may_match(
            &glob("@Media/private/$<sub>/*"),
            &word("@Media/private/$<sub>/x")
        ));
        assert!(!may_match(
            &glob("@Media/private/$<sub>/*"),
            &word("@Media/private/@victim/x")
        ));
        assert!(may_match(
            &glob("@Media/private/*/*"),
            &word("@Media/private/@victim/x")
        ));
        // A literal may be the caller's id.
        assert!(may_match(
            &glob("@Media/private/$<sub>/*"),
            &word("@Media/private/x/y")
        ));
        assert!(!may_match(
            &glob("@Media/private/$<sub>/*"),
            &word("@Media/private/x")
        ));
    }

    #[test]
    fn a_resource_never_holds_its_own_arn_with_more_around_it() {
        // `Media/p/*/x` cannot match `Media/p/<victim>/q/<victim>` by
        // taking `Media/p` for Media's ARN.
        assert!(!may_match(
            &glob("@Media/p/$<sub>/*"),
            &word("@Media/p/@victim/q/@victim")
        ));
        assert!(may_match(&glob("a${v}"), &word("${v}a")));
    }

    #[test]
    fn a_catalog_format_is_filled_in() {
        assert_eq!(
            render(&from_format(
                "arn:${Partition}:s3:::${BucketName}/${ObjectName}"
            )),
            "arn:aws:s3:::example/example"
        );
    }
}
