//! `expect` items: the properties a program claims, checked like the
//! statements they talk about, for the prover to decide.
//!
//! Every name resolves as elsewhere (E0101, E0102); actions and resources
//! go through the statement checks themselves (E0104, E0110, E04xx); an
//! `isolated` resource must be scoped by `$<sub>` (E1004); a role an
//! expectation is about must be one some pool hands out (E1003).

use super::error::{CheckErrorKind, Declared};
use super::ir::{ExpectKind, Expectation, ExternalRole, Pool, Who};
use super::policy_vars::{self, PolicyVar};
use super::{Checker, Wanted};
use crate::diag::{Code, Diagnostic};
use crate::syntax::ast::{self, Kind, Span, TextPart};
use std::collections::{BTreeMap, BTreeSet};

/// Which roles the program's pools hand out, and whether roles idpc does
/// not see could be handed out too.
struct HandedOut {
    /// Pool → the roles it attaches or its mapping rules name.
    roles: BTreeMap<String, BTreeSet<String>>,
    /// The pools that could also hand out a role of the stack whose trust
    /// policy idpc does not see: a token mapping takes the role from the
    /// token, and the classic flow lets the app ask for any role.
    open: BTreeSet<String>,
}

impl HandedOut {
    fn of(pools: &[Pool]) -> HandedOut {
        let mut roles: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut open = BTreeSet::new();
        for pool in pools {
            let handed = roles.entry(pool.logical_id.clone()).or_default();
            if pool.classic_flow {
                open.insert(pool.logical_id.clone());
            }
            let Some(attachment) = &pool.attachment else {
                continue;
            };
            handed.extend(attachment.roles.iter().map(|(_, role)| role.clone()));
            for (_, role) in &attachment.external_roles {
                if let ExternalRole::Stack(role) = role {
                    handed.insert(role.clone());
                }
            }
            for mapping in &attachment.mappings {
                match &mapping.rules {
                    Some(rules) => handed.extend(rules.iter().map(|rule| rule.role.clone())),
                    None => {
                        open.insert(pool.logical_id.clone());
                    }
                }
            }
        }
        HandedOut { roles, open }
    }

    /// Whether `role` may be handed out (by `pool`, or by any pool).
    /// `outside`: the role is the stack's, so a pool in [`HandedOut::open`]
    /// may hand it out without the program saying so.
    fn may_hand_out(&self, role: &str, pool: Option<&str>, outside: bool) -> bool {
        let by = |id: &String| {
            self.roles.get(id).is_some_and(|roles| roles.contains(role))
                || (outside && self.open.contains(id))
        };
        match pool {
            // A pool of the stack (`of` a `use identity_pool`) is not seen:
            // nothing to say about what it hands out.
            Some(pool) => !self.roles.contains_key(pool) || by(&pool.to_string()),
            None => self.roles.keys().any(by),
        }
    }
}

impl Checker {
    /// While declaring: a role that an expectation names and no pool uses
    /// is that expectation's mistake (E1003), not also an unused role
    /// (W0202).
    pub(super) fn role_an_expectation_names(&mut self, expect: &ast::Expect) {
        let role = match &expect.form {
            ast::ExpectForm::Cannot { who, .. } => match &who.node {
                ast::Who::Role(role) => role,
                _ => return,
            },
            ast::ExpectForm::OnlyVia { role, .. } => role,
            ast::ExpectForm::Isolated { .. } => return,
        };
        self.spoken_for.insert(role.node.clone());
    }

    /// Checks every `expect` item, once the pools are checked.
    pub(super) fn expectations(
        &mut self,
        program: &ast::Program,
        pools: &[Pool],
    ) -> Vec<Expectation> {
        let handed_out = HandedOut::of(pools);
        let mut expectations = Vec::new();
        for item in &program.items {
            if let ast::Item::Expect(expect) = item
                && let Some(expectation) = self.expectation(expect, &handed_out)
            {
                expectations.push(expectation);
            }
        }
        expectations
    }

    fn expectation(&mut self, expect: &ast::Expect, handed_out: &HandedOut) -> Option<Expectation> {
        let mut expectation = Expectation {
            kind: ExpectKind::Isolated {
                resources: Vec::new(),
            },
            span: expect.span,
            line_span: expect.head,
            text: one_line(expect),
            part_spans: Vec::new(),
            action_origins: Vec::new(),
        };
        match &expect.form {
            ast::ExpectForm::Isolated { resources } => {
                let (statement, complete) = self.expected_statement(&[], resources, expect.span);
                self.scoped_by_sub(resources);
                expectation.part_spans = statement.origin.resources;
                expectation.kind = ExpectKind::Isolated {
                    resources: statement.resources,
                };
                complete.then_some(expectation)
            }
            ast::ExpectForm::Cannot {
                who,
                pool,
                actions,
                resources,
            } => {
                // Every part is checked, whatever the others give.
                let pool_id = pool
                    .as_ref()
                    .map(|pool| self.resolve(pool, Wanted::Kind(Kind::IdentityPool)));
                let pool_id = pool_id.map(|resolved| resolved.map(|(id, _)| id));
                let known_pool = pool_id.clone().flatten();
                let who = self.who(&who.node, known_pool.as_deref(), handed_out);
                let (statement, complete) =
                    self.expected_statement(actions, resources, expect.span);
                expectation.part_spans = statement.origin.resources;
                expectation.action_origins = statement.origin.actions;
                expectation.kind = ExpectKind::Cannot {
                    who: who?,
                    pool: pool_id.map_or(Some(None), |id| id.map(Some))?,
                    actions: statement.actions,
                    resources: statement.resources,
                };
                complete.then_some(expectation)
            }
            ast::ExpectForm::OnlyVia { role, alternatives } => {
                let role = self.expected_role(role, None, handed_out);
                let mut tests = Vec::new();
                for test in alternatives {
                    let claim = self.claim(&test.node.claim);
                    let value = self.value(&test.node.value);
                    tests.push((claim?, test.node.op.node, value));
                    expectation.part_spans.push(test.span);
                }
                expectation.kind = ExpectKind::OnlyVia {
                    role: role?,
                    alternatives: tests,
                };
                Some(expectation)
            }
        }
    }

    /// The actions and resources as a statement's, checked by the statement
    /// checks themselves; with whether every resource resolved and no
    /// action was refused (else the prover would decide a smaller claim).
    fn expected_statement(
        &mut self,
        actions: &[ast::Spanned<ast::ActionItem>],
        resources: &[ast::Spanned<ast::Resource>],
        span: Span,
    ) -> (super::ir::Statement, bool) {
        let before = self.problems.len();
        let statement = ast::Statement {
            effect: ast::Spanned::new(ast::Effect::Allow, span),
            actions: actions.to_vec(),
            resources: resources.to_vec(),
            conditions: Vec::new(),
            if_condition: None,
        };
        let checked = self.statement(&statement, span);
        let complete = self.problems[before..]
            .iter()
            .all(|problem| problem.kind.is_warning());
        (checked, complete)
    }

    /// E1004 for each `isolated` resource that does not hold `$<sub>` (one
    /// whose name did not resolve was reported already).
    fn scoped_by_sub(&mut self, resources: &[ast::Spanned<ast::Resource>]) {
        for resource in resources {
            let (text, written) = match &resource.node {
                ast::Resource::Any => (None, "*".to_string()),
                ast::Resource::Arn(text) => (Some(text), text.as_written()),
                ast::Resource::Named { name, path } => {
                    if !self.symbols.contains_key(&name.node) {
                        continue;
                    }
                    let written = match path {
                        Some(path) => format!("{}/{}", name.node, path.as_written()),
                        None => name.node.clone(),
                    };
                    (path.as_ref(), written)
                }
            };
            let has_sub = text.is_some_and(|text| {
                text.parts.iter().any(|part| {
                    matches!(&part.node, TextPart::PolicyVar(key)
                        if matches!(policy_vars::resolve(key), Some(PolicyVar::Key(key)) if key == policy_vars::SUB))
                })
            });
            if !has_sub {
                let kind = CheckErrorKind::IsolatedWithoutSub { resource: written };
                self.problem(resource.span, kind);
            }
        }
    }

    /// Who an `expect ... cannot` is about; a role must be handed out.
    fn who(&mut self, who: &ast::Who, pool: Option<&str>, handed_out: &HandedOut) -> Option<Who> {
        Some(match who {
            ast::Who::Guests => Who::Guests,
            ast::Who::SignedIn => Who::SignedIn,
            ast::Who::Anyone => Who::Anyone,
            ast::Who::Role(role) => Who::Role(self.expected_role(role, pool, handed_out)?),
        })
    }

    /// A role an expectation is about: it resolves to a role, and some pool
    /// (or `pool`) may hand it out (else E1003).
    fn expected_role(
        &mut self,
        role: &ast::Name,
        pool: Option<&str>,
        handed_out: &HandedOut,
    ) -> Option<String> {
        let (id, _) = self.resolve(role, Wanted::Kind(Kind::Role))?;
        let declared = self.symbols.get(&id).map(|symbol| symbol.declared.clone());
        let outside = matches!(declared, Some(Declared::Use(_) | Declared::Imported { .. }));
        if handed_out.may_hand_out(&id, pool, outside) {
            return Some(id);
        }
        let kind = CheckErrorKind::RoleNeverHandedOut {
            role: id,
            pool: pool.map(str::to_string),
            shared: self.shared.contains_key(&role.node),
        };
        self.problem(role.span, kind);
        None
    }

    /// A claim's name: literal text (a policy variable stays as written).
    /// idpc compares it with the mapping rules' claims, so it must know it.
    fn claim(&mut self, claim: &ast::Text) -> Option<String> {
        for part in &claim.parts {
            let kind = match &part.node {
                TextPart::Literal(_) | TextPart::PolicyVar(_) => continue,
                TextPart::ServerlessVar(var) => CheckErrorKind::ServerlessVarNotAllowed {
                    var: var.clone(),
                    place: "the claim of an `expect`",
                    why: "idpc compares the claim with the claims of the mapping rules to prove the expectation",
                },
                TextPart::Reference(_) | TextPart::ImportValue(_) => {
                    CheckErrorKind::ReferenceNotAllowed {
                        written: ast::Text {
                            parts: vec![part.clone()],
                            span: part.span,
                        }
                        .as_written(),
                        place: "the claim of an `expect`",
                    }
                }
            };
            self.problem(part.span, kind);
            return None;
        }
        Some(claim.as_written())
    }
}

/// The item in `idpc fmt`'s words, on one line however long.
fn one_line(expect: &ast::Expect) -> String {
    let program = ast::Program {
        items: vec![ast::Item::Expect(expect.clone())],
    };
    let printed = crate::formatter::print(&program, &crate::formatter::Remarks::default());
    // A string holds no line break (it is written `\n`): joining the
    // lines changes no text inside one.
    printed.lines().map(str::trim).collect::<Vec<_>>().join(" ")
}

/// The wording of E1003 and E1004.
pub(super) fn diagnostic(code: Code, span: Span, kind: &CheckErrorKind) -> Diagnostic {
    match kind {
        CheckErrorKind::RoleNeverHandedOut { role, pool, shared } => {
            let (message, label) = match pool {
                Some(pool) => (
                    format!("`{pool}` never hands out `{role}`: this expectation is about no one"),
                    format!("`{pool}` neither attaches `{role}` nor maps to it"),
                ),
                None => (
                    format!("no pool hands out `{role}`: this expectation is about no one"),
                    format!("no pool attaches `{role}` or maps to it"),
                ),
            };
            let diagnostic = Diagnostic::new(code, message, span).with_label(label);
            let diagnostic = if *shared && pool.is_none() {
                diagnostic.with_note("a top-level role that no pool uses is left out of the output")
            } else {
                diagnostic
            };
            diagnostic.with_help(format!(
                "name a role a pool hands out, or attach `{role}` (`authenticated role {role}`) or map to it (`... => {role}`)"
            ))
        }
        CheckErrorKind::IsolatedWithoutSub { resource } => Diagnostic::new(
            code,
            format!("`expect isolated` of `{resource}`, which does not depend on the caller"),
            span,
        )
        .with_label("no `$<sub>` here")
        .with_note("isolation compares what an identity reaches with another identity's id in place of `$<sub>`; a resource without it is the same for everyone, so it cannot be isolated")
        .with_help("name the per-identity part, such as `Media/private/$<sub>/*`, or say who cannot reach it: `expect guests cannot write on ...`"),
        _ => Diagnostic::new(code, format!("internal error: no wording for {kind:?}"), span)
            .with_help("this is a bug in idpc: please report it with the program"),
    }
}
