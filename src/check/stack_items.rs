//! The stack-level forms beside pools and roles: an output's settings
//! (`description`, `export`).

use super::error::CheckErrorKind as K;
use super::ir::Value;
use super::limits::OUTPUT_DESCRIPTION_LENGTH;
use super::{Checker, ast};
use crate::diag::{Code, Diagnostic};
use crate::syntax::ast::{OutputItem, Span, TextPart};
use std::collections::BTreeMap;

impl Checker {
    /// An output's `description` and `export`, each at most once.
    pub(super) fn output_body(&mut self, output: &ast::Output) -> (Option<Value>, Option<Value>) {
        let mut description: Option<(Value, Span)> = None;
        let mut export: Option<(Value, Span)> = None;
        for item in output.body.iter().flat_map(|body| &body.node) {
            let (is_description, text) = match &item.node {
                OutputItem::Description(text) => (true, text),
                OutputItem::Export(text) => (false, text),
            };
            let slot = if is_description {
                &description
            } else {
                &export
            };
            if let Some((_, first)) = slot {
                let what = if is_description {
                    "`description`"
                } else {
                    "`export`"
                };
                let first = *first;
                self.duplicate(what, item.span, first);
                continue;
            }
            let value = self.value(text);
            if is_description {
                self.description_length(text);
                description = Some((value, item.span));
            } else {
                export = Some((value, item.span));
            }
        }
        (description.map(|d| d.0), export.map(|e| e.0))
    }

    /// E0240: a description CloudFormation refuses for its length, counted
    /// on its literal characters (a Serverless variable only adds some, so
    /// an empty literal part with a variable is not reported).
    fn description_length(&mut self, text: &ast::Text) {
        let length: usize = text
            .parts
            .iter()
            .map(|part| match &part.node {
                TextPart::Literal(literal) => literal.chars().count(),
                _ => 0,
            })
            .sum();
        let empty = text.parts.is_empty();
        if length > OUTPUT_DESCRIPTION_LENGTH.value || empty {
            self.problem(text.span, K::OutputDescriptionLength { length });
        }
    }

    /// E0241: two outputs that export the same name (as written: the same
    /// text, Serverless variables included, is the same name).
    pub(super) fn export_names(&mut self, program: &ast::Program) {
        let mut first: BTreeMap<String, Span> = BTreeMap::new();
        for item in &program.items {
            let ast::Item::Output(output) = item else {
                continue;
            };
            let exports = output.body.iter().flat_map(|body| &body.node);
            // Only the first `export` of an output counts (E0107 otherwise).
            let Some(text) = exports
                .filter_map(|item| match &item.node {
                    OutputItem::Export(text) => Some(text),
                    OutputItem::Description(_) => None,
                })
                .next()
            else {
                continue;
            };
            let name = text.as_written();
            match first.get(&name) {
                Some(span) => {
                    let kind = K::DuplicateExport { name, first: *span };
                    self.problem(text.span, kind);
                }
                None => {
                    first.insert(name, text.span);
                }
            }
        }
    }
}

/// How the problems of this module read.
pub(super) fn diagnostic(code: Code, span: Span, kind: &K) -> Diagnostic {
    match kind {
        K::OutputDescriptionLength { length } => {
            let limit = OUTPUT_DESCRIPTION_LENGTH.value;
            let message = if *length == 0 {
                "an output's description cannot be empty".to_owned()
            } else {
                format!(
                    "this output description is {length} characters long; CloudFormation accepts at most {limit}"
                )
            };
            Diagnostic::new(code, message, span)
                .with_label(format!("CloudFormation accepts 1 to {limit} characters"))
                .with_help("shorten the description, or leave it out")
        }
        K::DuplicateExport { name, first } => Diagnostic::new(
            code,
            format!("two outputs export the name `{name}`"),
            span,
        )
        .with_label("exported again here")
        .with_secondary(*first, "first exported here")
        .with_help(
            "export names are unique in an account and Region: give each output its own `export` name",
        ),
        _ => Diagnostic::new(code, "internal error: misrouted diagnostic", span),
    }
}
