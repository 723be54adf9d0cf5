//! What a program names in the rest of the stack beyond resources: the
//! CloudFormation parameters of `use parameter` and the pseudo parameters
//! (`$(Stage)`, `$(AWS::StackName)`, `guests AllowGuests`), and the
//! conditions of `use condition` (`if IsProd`).
//!
//! The pseudo parameters a string can hold are those "Get AWS values using
//! pseudo parameters" (AWS CloudFormation User Guide,
//! <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html>)
//! lists as returning one string; `AWS::NotificationARNs` is a list and
//! `AWS::NoValue` removes a property, so neither is text.

use super::ir::{GuestsDef, Piece};
use super::{CheckErrorKind, Checker, kinds};
use crate::syntax::ast::{self, Name, Reference, Span};

/// The pseudo parameters that stand for one string.
pub const PSEUDO_PARAMETERS: [&str; 6] = [
    "AWS::AccountId",
    "AWS::Partition",
    "AWS::Region",
    "AWS::StackId",
    "AWS::StackName",
    "AWS::URLSuffix",
];

/// What `use parameter` and `use condition` declared.
#[derive(Clone, Debug, Default)]
pub(super) struct StackNames {
    /// Parameter → where it is declared.
    pub parameters: std::collections::BTreeMap<String, Span>,
    /// Condition → where it is declared.
    pub conditions: std::collections::BTreeMap<String, Span>,
    /// The parameters and conditions something refers to.
    pub used: std::collections::BTreeSet<String>,
}

impl Checker {
    /// The parameters and conditions the program refers to, which the rest
    /// of the stack must define: `(Name, "Parameter")`, `(Name,
    /// "Condition")` (for `idpc uses`).
    pub(super) fn used_stack_names(&self) -> Vec<(String, String)> {
        let names = &self.stack_names;
        let used = |section: &std::collections::BTreeMap<String, Span>, what: &str| {
            section
                .keys()
                .filter(|name| names.used.contains(*name))
                .map(|name| (name.clone(), what.to_owned()))
                .collect::<Vec<_>>()
        };
        let mut all = used(&names.parameters, "Parameter");
        all.extend(used(&names.conditions, "Condition"));
        all
    }

    /// Declares the program's `use parameter` and `use condition` names,
    /// once every logical ID is declared: a parameter's name is unique among
    /// all logical names of the template (CloudFormation's `Parameters`
    /// section), so one that is also a resource's is an error.
    pub(super) fn declare_stack_names(&mut self, program: &ast::Program) {
        for item in &program.items {
            let (names, parameters) = match item {
                ast::Item::UseParameter(names) => (names, true),
                ast::Item::UseCondition(names) => (names, false),
                _ => continue,
            };
            for name in names {
                self.declare_stack_name(name, parameters);
            }
        }
    }

    fn declare_stack_name(&mut self, name: &Name, parameter: bool) {
        let what = if parameter { "parameter" } else { "condition" };
        let declared = if parameter {
            &self.stack_names.parameters
        } else {
            &self.stack_names.conditions
        };
        let first = declared.get(&name.node).copied().or_else(|| {
            parameter
                .then(|| self.symbols.get(&name.node))
                .flatten()
                .map(|symbol| super::declared_span(&symbol.declared))
        });
        if let Some(first) = first {
            let kind = CheckErrorKind::StackNameTwice {
                name: name.node.clone(),
                what,
                first,
            };
            self.problem(name.span, kind);
            return;
        }
        let declared = if parameter {
            &mut self.stack_names.parameters
        } else {
            &mut self.stack_names.conditions
        };
        declared.insert(name.node.clone(), name.span);
    }

    /// `$(Name)` / `$(Name.Attr)` in a string: a `Ref` or `Fn::GetAtt` of a
    /// parameter, pseudo parameter or logical ID the program knows.
    pub(super) fn reference(&mut self, reference: &Reference, span: Span) -> Option<Piece> {
        let target = &reference.target;
        let piece = Piece::Ref {
            target: target.clone(),
            attribute: reference.attribute.clone(),
        };
        let is_parameter = target.starts_with("AWS::")
            || self.stack_names.parameters.contains_key(target.as_str());
        if target.starts_with("AWS::") && !PSEUDO_PARAMETERS.contains(&target.as_str()) {
            let suggestion = self
                .suggestions
                .did_you_mean(target, PSEUDO_PARAMETERS.iter().copied());
            let kind = CheckErrorKind::UnknownPseudoParameter {
                name: target.clone(),
                suggestion,
            };
            self.problem(span, kind);
            return None;
        }
        if is_parameter {
            self.stack_names.used.insert(target.clone());
            if let Some(attribute) = &reference.attribute {
                let kind = CheckErrorKind::ReferenceAttribute {
                    target: target.clone(),
                    attribute: attribute.clone(),
                    known: Vec::new(),
                    suggestion: None,
                };
                self.problem(span, kind);
                return None;
            }
            return Some(piece);
        }
        let Some(symbol) = self.symbols.get_mut(target.as_str()) else {
            let candidates: Vec<String> = self
                .stack_names
                .parameters
                .keys()
                .chain(self.symbols.keys())
                .cloned()
                .collect();
            let suggestion = self
                .suggestions
                .did_you_mean(target, candidates.iter().map(String::as_str));
            if let Some(suggestion) = &suggestion {
                self.spoken_for.insert(suggestion.clone());
            }
            let kind = CheckErrorKind::UnknownReference {
                name: target.clone(),
                suggestion,
            };
            self.problem(span, kind);
            return None;
        };
        symbol.used = true;
        let cfn_type = symbol.cfn_type.clone();
        if let Some(attribute) = &reference.attribute {
            let known = kinds::attributes_of(&cfn_type);
            // A type idpc has no attribute list for is not judged.
            if known_type(&cfn_type) && !known.contains(&attribute.as_str()) {
                let suggestion = self
                    .suggestions
                    .did_you_mean(attribute, known.iter().copied());
                let kind = CheckErrorKind::ReferenceAttribute {
                    target: target.clone(),
                    attribute: attribute.clone(),
                    known: known.to_vec(),
                    suggestion,
                };
                self.problem(span, kind);
                return None;
            }
        }
        Some(piece)
    }

    /// `$(import NAME)`: `Fn::ImportValue` of the export NAME names. The
    /// name takes literal text, Serverless variables, parameters and pseudo
    /// parameters, never a resource (E0250): "Fn::ImportValue"
    /// (CloudFormation Template Reference) says the function "can't include
    /// `Ref` or `GetAtt` functions that depend on a resource".
    pub(super) fn import_value(&mut self, name: &ast::Text) -> Piece {
        let mut refused = false;
        for part in &name.parts {
            let ast::TextPart::Reference(reference) = &part.node else {
                continue;
            };
            // One mistake, one report: a parameter beside it is not unused.
            self.stack_names.used.insert(reference.target.clone());
            if !reference.target.starts_with("AWS::")
                && !self.stack_names.parameters.contains_key(&reference.target)
                && let Some(symbol) = self.symbols.get_mut(reference.target.as_str())
            {
                // One mistake, one report: the resource is not also unused.
                symbol.used = true;
                let kind = CheckErrorKind::ImportNameResource {
                    written: reference.to_string(),
                };
                self.problem(part.span, kind);
                refused = true;
            }
        }
        // Reported: the piece stays, so the text around it is not also
        // misjudged (a statement's ARN that would start elsewhere).
        let value = if refused {
            super::ir::Value::default()
        } else {
            self.value(name)
        };
        Piece::Import(value)
    }

    /// The condition `if Cond` names, when `use condition` declares it.
    pub(super) fn stack_condition(&mut self, name: &Name) -> Option<String> {
        self.declared_stack_name(name, false)
    }

    /// The parameter `guests Param` names, when `use parameter` declares it.
    pub(super) fn stack_parameter(&mut self, name: &Name) -> Option<String> {
        self.declared_stack_name(name, true)
    }

    /// `name`, marked used, when `use parameter` (or `use condition`)
    /// declares it; otherwise E0116 (E0115) with a did-you-mean.
    fn declared_stack_name(&mut self, name: &Name, parameter: bool) -> Option<String> {
        let declared = if parameter {
            &self.stack_names.parameters
        } else {
            &self.stack_names.conditions
        };
        if declared.contains_key(&name.node) {
            self.stack_names.used.insert(name.node.clone());
            return Some(name.node.clone());
        }
        let suggestion = self
            .suggestions
            .did_you_mean(&name.node, declared.keys().map(String::as_str));
        if let Some(suggestion) = &suggestion {
            self.spoken_for.insert(suggestion.clone());
        }
        let name_node = name.node.clone();
        let kind = if parameter {
            CheckErrorKind::NotAParameter {
                name: name_node,
                suggestion,
            }
        } else {
            CheckErrorKind::UnknownStackCondition {
                name: name_node,
                suggestion,
            }
        };
        self.problem(name.span, kind);
        None
    }

    /// `guests Param` / `guests if Cond`, resolved.
    pub(super) fn guests(&mut self, guests: &ast::Guests) -> Option<GuestsDef> {
        match guests {
            ast::Guests::Fixed(value) => Some(GuestsDef::Fixed(*value)),
            ast::Guests::Parameter(name) => self.stack_parameter(name).map(GuestsDef::Parameter),
            ast::Guests::Condition(name) => self.stack_condition(name).map(GuestsDef::Condition),
        }
    }

    /// The pool's `guests`, when it has a guest role to give (E0118);
    /// `guests true` and `guests false` need none.
    pub(super) fn guests_role(
        &mut self,
        guests: &Option<(Option<GuestsDef>, Span)>,
        roles: &[(ast::RoleUsage, Span)],
    ) -> Option<GuestsDef> {
        let (guests, span) = guests.as_ref()?;
        let guest_role = roles
            .iter()
            .find(|(usage, _)| *usage == ast::RoleUsage::Unauthenticated);
        match (guests, guest_role) {
            (Some(GuestsDef::Fixed(false)), Some((_, role))) => {
                let kind = CheckErrorKind::GuestRoleNeverHandedOut { role: *role };
                self.problem(*span, kind);
            }
            (Some(GuestsDef::Fixed(true)), None) => {
                self.problem(*span, CheckErrorKind::GuestsInWithoutRole);
            }
            (Some(GuestsDef::Fixed(_)), _) | (_, Some(_)) => {}
            (_, None) => {
                self.problem(*span, CheckErrorKind::GuestsWithoutGuestRole);
                return None;
            }
        }
        guests.clone()
    }

    /// A pool attaches the top-level role `role` under `entry` (its line's
    /// or the pool's condition); a role that exists only under a condition
    /// must be attached under that same condition (E0230).
    pub(super) fn attach_conditional_role(
        &mut self,
        role: &str,
        entry: Option<&str>,
        line: &ast::PoolRole,
    ) {
        let Some(condition) = self
            .shared
            .get(role)
            .and_then(|uses| uses.condition.clone())
        else {
            return;
        };
        if entry == Some(condition.as_str()) {
            return;
        }
        let span = line.name.as_ref().map_or(line.usage.span, |name| name.span);
        let kind = CheckErrorKind::ConditionalRoleAttached {
            role: role.to_string(),
            condition,
            trusted: None,
        };
        self.problem(span, kind);
    }

    /// W0101 for each `use parameter` / `use condition` name nothing refers
    /// to, as for `use KIND`; a name offered as "did you mean" is part of
    /// that mistake, not also unused.
    pub(super) fn unused_stack_names(&mut self) {
        let names = &self.stack_names;
        let unused: Vec<(String, Span)> = names
            .parameters
            .iter()
            .chain(&names.conditions)
            .filter(|(name, _)| !names.used.contains(*name) && !self.spoken_for.contains(*name))
            .map(|(name, span)| (name.clone(), *span))
            .collect();
        for (name, span) in unused {
            self.problem(span, CheckErrorKind::UnusedUse { name });
        }
    }

    /// A top-level role without `if` that a conditional pool uses trusts
    /// that pool (its `aud`), so it exists only when the pool does: every
    /// other pool that attaches it must do so under that condition (E0230),
    /// or its attachment, and all its roles, would go.
    pub(super) fn trusting_conditional_pools(
        &mut self,
        role: &str,
        uses: &[(String, ast::RoleUsage, Span)],
        pools: &std::collections::HashMap<&str, &super::ir::Pool>,
    ) {
        let pool = |id: &str| pools.get(id).copied();
        let Some((trusted, condition)) = uses.iter().find_map(|(id, _, _)| {
            let condition = pool(id)?.condition.clone()?;
            Some((id.clone(), condition))
        }) else {
            return;
        };
        for (id, usage, span) in uses {
            let Some(user) = pool(id) else { continue };
            let entry = user
                .attachment
                .as_ref()
                .and_then(|a| a.role_conditions.iter().find(|(u, _)| u == usage))
                .map(|(_, condition)| condition)
                .or(user.condition.as_ref());
            if entry != Some(&condition) {
                let kind = CheckErrorKind::ConditionalRoleAttached {
                    role: role.to_string(),
                    condition: condition.clone(),
                    trusted: Some(trusted.clone()),
                };
                self.problem(*span, kind);
            }
        }
    }

    /// The optional `if Cond` of a form, resolved (`None` when absent or
    /// reported).
    pub(super) fn if_condition(&mut self, condition: Option<&Name>) -> Option<String> {
        condition.and_then(|name| self.stack_condition(name))
    }
}

/// Whether idpc knows the attributes of a CloudFormation type: the kinds
/// of `use KIND` and what pools generate.
fn known_type(cfn_type: &str) -> bool {
    cfn_type == kinds::ROLE_ATTACHMENT_TYPE
        || ast::Kind::ALL
            .iter()
            .any(|kind| kinds::kind_info(*kind).cfn_type == cfn_type)
}
