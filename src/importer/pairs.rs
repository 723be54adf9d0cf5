//! A statement as IAM reads it: actions paired with resources some of them
//! cannot act on grant nothing for those pairs, so such a statement means
//! the same as one statement per resource with the actions that fit it.
//! The language requires that form (E0404 is said of every misfit pair);
//! templates often use the other. `idpc import` writes the split form (and
//! `verify` compares the template read the same way), and the audit
//! (`idpc check` of a template) judges it.

use crate::check::{CheckError, CheckErrorKind};
use crate::source::Span;
use crate::syntax::ast::{
    Item, ManagedPolicyItem, PoolItem, Program, RoleItem, Spanned, Statement,
};

/// Where a statement was split: its span, and for each part its resource's
/// span and the spans of the actions that fit it, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Split {
    /// The statement as it was read.
    pub(crate) statement: Span,
    /// One part per resource some action fits.
    pub(crate) parts: Vec<(Span, Vec<Span>)>,
}

/// Whether `outer` holds `inner`.
pub(crate) fn contains(outer: Span, inner: Span) -> bool {
    outer.file == inner.file && outer.start <= inner.start && inner.end <= outer.end
}

/// E0404 as IAM reads a statement: the problems, with each E0404 kept only
/// for the actions that fit none of its statement's resources, and every
/// statement with a misfit pair split into one statement per resource with
/// the actions that fit it (the second value: where it was split).
pub(crate) fn fitting_pairs(
    program: &mut Program,
    problems: Vec<CheckError>,
) -> (Vec<CheckError>, Vec<Split>) {
    // (statement, resource) → the action spans that do not fit it.
    let misfits: Vec<(Span, Vec<Span>)> = problems
        .iter()
        .filter_map(|p| match &p.kind {
            CheckErrorKind::ActionNotApplicable { misfits, .. } => {
                Some((p.span, misfits.iter().map(|m| m.action_span).collect()))
            }
            _ => None,
        })
        .collect();
    if misfits.is_empty() {
        return (problems, Vec::new());
    }
    let mut dead: Vec<Span> = Vec::new();
    let mut splits: Vec<Split> = Vec::new();
    rewrite(program, &mut |span, statement| {
        // By the resource alone: a statement's span may end before its last
        // resource's closing brackets.
        let of_resource = |resource: Span| {
            misfits
                .iter()
                .find(|(at, _)| contains(resource, *at))
                .map(|(_, actions)| actions.as_slice())
                .unwrap_or_default()
        };
        let fits = |action: Span, resource: Span| {
            !of_resource(resource).iter().any(|a| contains(action, *a))
        };
        let any_misfit = statement
            .resources
            .iter()
            .any(|r| !of_resource(r.span).is_empty());
        if !any_misfit {
            return vec![statement];
        }
        for action in &statement.actions {
            if !statement
                .resources
                .iter()
                .any(|r| fits(action.span, r.span))
            {
                dead.push(action.span);
            }
        }
        let parts = split(statement, &fits);
        splits.push(Split {
            statement: span,
            parts: parts
                .iter()
                .map(|p| {
                    (
                        p.resources[0].span,
                        p.actions.iter().map(|a| a.span).collect(),
                    )
                })
                .collect(),
        });
        parts
    });
    let problems = problems
        .into_iter()
        .filter_map(|mut problem| {
            if let CheckErrorKind::ActionNotApplicable { misfits, .. } = &mut problem.kind {
                misfits.retain(|m| dead.iter().any(|d| contains(*d, m.action_span)));
                if misfits.is_empty() {
                    return None;
                }
            }
            Some(problem)
        })
        .collect();
    (problems, splits)
}

/// One statement per resource, with the actions that fit it; none for a
/// resource no action fits.
pub(crate) fn split(statement: Statement, fits: &dyn Fn(Span, Span) -> bool) -> Vec<Statement> {
    statement
        .resources
        .iter()
        .filter_map(|resource| {
            let actions: Vec<_> = statement
                .actions
                .iter()
                .filter(|a| fits(a.span, resource.span))
                .cloned()
                .collect();
            (!actions.is_empty()).then(|| Statement {
                actions,
                resources: vec![resource.clone()],
                ..statement.clone()
            })
        })
        .collect()
}

/// Rewrites every statement of the program (of roles, their named
/// policies and managed policies) into the statements `f` makes of it.
pub(crate) fn rewrite(program: &mut Program, f: &mut dyn FnMut(Span, Statement) -> Vec<Statement>) {
    let role_items = |items: &mut Vec<Spanned<RoleItem>>,
                      f: &mut dyn FnMut(Span, Statement) -> Vec<Statement>| {
        let old = std::mem::take(items);
        for mut item in old {
            match item.node {
                RoleItem::Statement(statement) => items.extend(
                    f(item.span, statement)
                        .into_iter()
                        .map(|s| Spanned::new(RoleItem::Statement(s), item.span)),
                ),
                RoleItem::Policy(ref mut block) => {
                    let statements = std::mem::take(&mut block.statements);
                    for statement in statements {
                        block.statements.extend(
                            f(statement.span, statement.node)
                                .into_iter()
                                .map(|s| Spanned::new(s, statement.span)),
                        );
                    }
                    items.push(item);
                }
                _ => items.push(item),
            }
        }
    };
    for item in &mut program.items {
        match item {
            Item::Role(role) => role_items(&mut role.body.node, f),
            Item::IdentityPool(pool) => {
                for line in &mut pool.body {
                    if let PoolItem::Role(role) = &mut line.node
                        && let Some(body) = &mut role.body
                    {
                        role_items(&mut body.node, f);
                    }
                }
            }
            Item::ManagedPolicy(policy) => {
                let old = std::mem::take(&mut policy.body.node);
                for line in old {
                    match line.node {
                        ManagedPolicyItem::Statement(statement) => {
                            policy.body.node.extend(
                                f(line.span, statement).into_iter().map(|s| {
                                    Spanned::new(ManagedPolicyItem::Statement(s), line.span)
                                }),
                            );
                        }
                        _ => policy.body.node.push(line),
                    }
                }
            }
            _ => {}
        }
    }
}
