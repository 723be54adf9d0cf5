//! idpc's own limits on the size of a program, checked right after parsing
//! and before anything costlier runs: a program beyond them is refused with
//! one error (E0006) saying which limit.
//!
//! Every limit is far above what a deployable program needs (Cognito takes
//! 25 rules in a mapping, E0207; the catalog's longest action is well under
//! [`MAX_ACTION_CHARS`]); they exist so that a generated or corrupted file
//! is refused at once instead of being checked line by line. With the
//! 16 MiB limit on the file (`idpc check` and `build` read no more), they
//! are listed in the README's "Limits".

use crate::syntax::ast::{
    ActionItem, IdentityPool, Item, MappingKind, PoolItem, Program, RoleItem, Span, Spanned,
};

/// The most entries idpc reads in one block or list: lines of a pool or a
/// role, rules of a mapping, principal tags, names of a `use` line, and
/// actions, resources or conditions of a statement.
pub const MAX_ENTRIES: usize = 1000;

/// The longest action pattern (`service:Action`) idpc reads, in
/// characters. No action in the catalog comes near (a test pins the
/// longest); a longer pattern is a paste error.
pub const MAX_ACTION_CHARS: usize = 512;

/// The first place a program goes beyond a limit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OverLimit {
    /// A block or list with more than [`MAX_ENTRIES`] entries; the span is
    /// the first entry past the limit.
    Entries {
        /// What the entries are, e.g. "lines in one identity pool".
        what: &'static str,
        /// How many there are.
        count: usize,
        span: Span,
    },
    /// An action pattern longer than [`MAX_ACTION_CHARS`].
    Action { chars: usize, span: Span },
}

/// The first limit the program goes beyond, in the order items are
/// written.
pub fn check(program: &Program) -> Option<OverLimit> {
    program.items.iter().find_map(|item| match item {
        Item::Use(using) => entries("names on one `use` line", &using.names),
        Item::IdentityPool(pool) => identity_pool(pool),
        Item::Role(role) => role_body(&role.body.node),
        Item::UseFile(_) | Item::Output(_) => None,
    })
}

fn identity_pool(pool: &IdentityPool) -> Option<OverLimit> {
    let inner = || {
        pool.body.iter().find_map(|item| match &item.node {
            PoolItem::Role(role) => role.body.as_ref().and_then(|b| role_body(&b.node)),
            PoolItem::RoleMapping(mapping) => match &mapping.by {
                MappingKind::Rules { rules, .. } => entries("rules in one mapping", rules),
                MappingKind::Token => None,
            },
            PoolItem::PrincipalTags(tags) => {
                entries("tags in one `principal_tags` block", &tags.tags)
            }
            _ => None,
        })
    };
    entries("lines in one identity pool", &pool.body).or_else(inner)
}

fn role_body(body: &[Spanned<RoleItem>]) -> Option<OverLimit> {
    let inner = || {
        body.iter().find_map(|item| match &item.node {
            RoleItem::Statement(statement) => {
                entries("actions in one statement", &statement.actions)
                    .or_else(|| entries("resources in one statement", &statement.resources))
                    .or_else(|| entries("conditions in one statement", &statement.conditions))
                    .or_else(|| long_action(&statement.actions))
            }
            _ => None,
        })
    };
    entries("lines in one role", body).or_else(inner)
}

fn long_action(actions: &[Spanned<ActionItem>]) -> Option<OverLimit> {
    actions.iter().find_map(|action| match &action.node {
        ActionItem::Pattern(pattern) => {
            let chars = pattern.service.len() + 1 + pattern.action.len();
            (chars > MAX_ACTION_CHARS).then_some(OverLimit::Action {
                chars,
                span: action.span,
            })
        }
        ActionItem::Level(_) => None,
    })
}

/// [`OverLimit::Entries`] when `list` has more than [`MAX_ENTRIES`].
fn entries<T>(what: &'static str, list: &[Spanned<T>]) -> Option<OverLimit> {
    list.get(MAX_ENTRIES).map(|first_over| OverLimit::Entries {
        what,
        count: list.len(),
        span: first_over.span,
    })
}
