//! What a template takes from the rest of its stack, read back as the
//! program's forms: `Ref`s to parameters and pseudo parameters and
//! `Fn::GetAtt`s inside strings (`$(Stage)`, `$(AWS::StackName)`), the
//! `use parameter` and `use condition` lines, `Condition:` on resources,
//! and the `Fn::If`s the language can say (`guests if Cond`, a conditional
//! attachment entry or statement).

use super::intrinsic::{self, Part};
use super::{TemplateReader, span_of, text};
use crate::check::PSEUDO_PARAMETERS;
use crate::diag::Code;
use crate::source::Span;
use crate::stack_reader::tree::{Node, Value};
use crate::syntax::ast::{Guests, Name, Reference, Spanned, Text, TextPart};

/// `Fn::If: [Cond, then, otherwise]`, long or short form.
pub(crate) fn if_of(node: &Node) -> Option<(&str, &Node, &Node)> {
    let (name, arg) = intrinsic::function(node)?;
    if name != "Fn::If" {
        return None;
    }
    match &arg.value {
        Value::Seq(items) => match items.as_slice() {
            [condition, then, otherwise] => Some((condition.as_str()?, then, otherwise)),
            _ => None,
        },
        _ => None,
    }
}

/// Whether a node is `Ref: AWS::NoValue`.
pub(super) fn is_no_value(node: &Node) -> bool {
    matches!(intrinsic::parts(node).as_deref(), Ok([Part::Pseudo(p)]) if p == crate::cfn::NO_VALUE)
}

impl TemplateReader<'_> {
    /// A string with references: literal text, variables, and each
    /// `Ref`/`Fn::GetAtt` as `$(Name)`/`$(Name.Attr)`, declaring what they
    /// name (`use parameter` for a name the template does not define as a
    /// resource). `None` after a diagnostic.
    pub(super) fn referencing_text(&mut self, parts: &[Part], node: &Node) -> Option<Text> {
        let at = self.at(span_of(node));
        let mut out: Vec<Spanned<TextPart>> = Vec::new();
        for part in parts {
            let reference = match part {
                Part::Text(literal) => {
                    out.extend(text::string(literal, at).parts);
                    continue;
                }
                Part::Pseudo(name) => {
                    if !PSEUDO_PARAMETERS.contains(&name.as_str()) {
                        return self.unreadable_reference(node, name);
                    }
                    Reference {
                        target: name.clone(),
                        attribute: None,
                    }
                }
                Part::Ref(name) => {
                    self.referred(name, node, false)?;
                    Reference {
                        target: name.clone(),
                        attribute: None,
                    }
                }
                Part::GetAtt(name, attribute) => {
                    self.referred(name, node, true)?;
                    Reference {
                        target: name.clone(),
                        attribute: Some(attribute.clone()),
                    }
                }
                Part::Import(name) => {
                    let name = self.export_name(name, node, at)?;
                    out.push(Spanned::new(TextPart::ImportValue(name), at));
                    continue;
                }
            };
            out.push(Spanned::new(TextPart::Reference(reference), at));
        }
        Some(Text {
            parts: merge(out),
            span: at,
        })
    }

    /// Notes what a reference names: a resource of the template (imported,
    /// or of a kind `use` can declare) or, for a `Ref` to a name the
    /// template does not define, a parameter of the stack.
    fn referred(&mut self, name: &str, node: &Node, attribute: bool) -> Option<()> {
        if !text::is_name(name) {
            return self.unreadable_reference(node, name);
        }
        if self.imported.contains(name) {
            return Some(());
        }
        match self.defined_kind(name) {
            Some(Some(kind)) => {
                let at = self.at(span_of(node));
                self.refer(name, kind, at);
                Some(())
            }
            Some(None) => self.unreadable_reference(node, name),
            // Named by a `use` line only if the rest of the template says
            // its kind: decided once everything is read.
            None if attribute => {
                self.pending_attributes
                    .push((name.to_owned(), node.clone()));
                Some(())
            }
            None => {
                self.declare_parameter(name, span_of(node));
                Some(())
            }
        }
    }

    /// The name of an `Fn::ImportValue` as `$(import NAME)` writes it:
    /// literal characters the form can hold, Serverless variables, and
    /// `Ref`s of parameters and pseudo parameters (CloudFormation takes no
    /// resource there). E0754 otherwise.
    fn export_name(&mut self, parts: &[Part], node: &Node, at: Span) -> Option<Text> {
        let mut out: Vec<Spanned<TextPart>> = Vec::new();
        for part in parts {
            // `intrinsic::parts` let through only text the form can hold,
            // string pseudo parameters and `Ref`s of names.
            let target = match part {
                Part::Text(literal) => {
                    out.extend(text::export_name(literal, at)?.parts);
                    continue;
                }
                Part::Pseudo(name) => name,
                Part::Ref(name) if self.resource(name).is_none() => {
                    self.declare_parameter(name, span_of(node));
                    name
                }
                _ => {
                    let what = "`Fn::ImportValue` of a name built from a resource";
                    return self.unreadable_import(span_of(node), what, "an export name");
                }
            };
            let reference = Reference {
                target: target.clone(),
                attribute: None,
            };
            out.push(Spanned::new(TextPart::Reference(reference), at));
        }
        Some(Text {
            parts: merge(out),
            span: at,
        })
    }

    /// E0754: an `Fn::ImportValue` that `$(import NAME)` cannot write; `what`
    /// names it.
    pub(super) fn unreadable_import<T>(&mut self, at: Span, what: &str, wanted: &str) -> Option<T> {
        self.report(
            Code::E0754,
            at,
            format!("{what} cannot be read back as {wanted}"),
            "`$(import NAME)` cannot write this export's name",
            "`$(import NAME)` names an export with literal text (no white space, `)`, quote or backslash), Serverless variables, `$(Parameter)` and `$(AWS::...)`; write the template's name so, or keep this resource in CloudFormation",
        );
        None
    }

    /// E0730: a reference the program cannot name.
    fn unreadable_reference<T>(&mut self, node: &Node, name: &str) -> Option<T> {
        self.report(
            Code::E0730,
            span_of(node),
            format!("`{name}` cannot be named by a reference `$(...)` of the program"),
            "not a parameter, pseudo parameter or resource idp can name",
            "refer to a parameter of the stack, a string pseudo parameter (`AWS::StackName`, ...), or a resource of a kind `use` declares",
        );
        None
    }

    /// E0702: an `Fn::If` where the language has no conditional form (it
    /// has `if Cond` on resources, statements, attachment entries and
    /// `guests`).
    pub(super) fn chosen_by_if(&mut self, node: &Node, what: &str, instead: &str) {
        self.report(
            Code::E0702,
            span_of(node),
            format!("an `Fn::If` that chooses {what} cannot be written in idp"),
            "`Fn::If` here",
            format!("idp writes conditions on whole resources, statements, attachment entries and `guests`; {instead}"),
        );
    }

    /// Once everything is read: each `$(Name.Attr)` of a resource the
    /// template does not define needs a `use` line that says its kind
    /// (E0730 otherwise); a `Ref` first taken for a parameter is the
    /// resource's when a `use` line names it.
    pub(super) fn settle_references(&mut self) {
        for (name, node) in std::mem::take(&mut self.pending_attributes) {
            if !self.uses.iter().any(|(n, _, _)| *n == name) {
                self.unreadable_reference::<()>(&node, &name);
            }
        }
        let uses = &self.uses;
        self.used_parameters
            .retain(|(name, _)| !uses.iter().any(|(n, _, _)| n == name));
    }

    /// Records a `use parameter` line.
    pub(super) fn declare_parameter(&mut self, name: &str, at: Span) {
        if !self.used_parameters.iter().any(|(n, _)| n == name) {
            let at = self.at(at);
            self.used_parameters.push((name.to_owned(), at));
        }
    }

    /// Records a `use condition` line; the condition as the program's name.
    pub(super) fn declare_condition(&mut self, name: &str, node: &Node) -> Option<Name> {
        if !text::is_name(name) {
            return self.unreadable_reference(node, name);
        }
        let at = self.at(span_of(node));
        if !self.conditions.iter().any(|(n, _)| n == name) {
            self.conditions.push((name.to_owned(), at));
        }
        Some(Spanned::new(name.to_owned(), at))
    }

    /// A resource's `Condition:`, as the program's `if Cond`.
    pub(super) fn resource_condition(&mut self, resource: &Node) -> Option<Name> {
        let (_, value) = resource.entry("Condition")?;
        match value.as_str() {
            Some(name) => self.declare_condition(name, value),
            None => {
                self.inexpressible_node(value, "a `Condition` that is not a name");
                None
            }
        }
    }

    /// `AllowUnauthenticatedIdentities` given by the stack: `Ref: Param`
    /// (`guests Param`) or `Fn::If: [Cond, true, false]` (`guests if Cond`).
    pub(super) fn stack_guests(&mut self, value: &Node) -> Option<Guests> {
        if let Some((condition, then, otherwise)) = if_of(value) {
            let fixed = |node: &Node| super::pool::is_true(node);
            if fixed(then) == Some(true) && fixed(otherwise) == Some(false) {
                let name = self.declare_condition(condition, value)?;
                return Some(Guests::Condition(name));
            }
            return None;
        }
        match intrinsic::parts(value).ok()?.as_slice() {
            [Part::Ref(name)] if self.resource(name).is_none() && text::is_name(name) => {
                self.declare_parameter(name, span_of(value));
                let at = self.at(span_of(value));
                Some(Guests::Parameter(Spanned::new(name.clone(), at)))
            }
            _ => None,
        }
    }
}

/// Adjacent literals as one part, as the parser writes them.
fn merge(parts: Vec<Spanned<TextPart>>) -> Vec<Spanned<TextPart>> {
    let mut out: Vec<Spanned<TextPart>> = Vec::new();
    for part in parts {
        if let (Some(last), TextPart::Literal(more)) = (out.last_mut(), &part.node)
            && let TextPart::Literal(text) = &mut last.node
        {
            text.push_str(more);
            continue;
        }
        out.push(part);
    }
    out
}
