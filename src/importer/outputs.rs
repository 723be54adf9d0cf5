//! The template's `Outputs`, as `output` items.

use super::intrinsic::{self, Part};
use super::{TemplateReader, span_of, text};
use crate::check::kinds::kind_info;
use crate::diag::Code;
use crate::stack_reader::tree::Node;
use crate::syntax::ast::{Kind, Output, Spanned};

impl TemplateReader<'_> {
    /// The template's outputs as `output Name = Target[.Attr]` items.
    pub(super) fn outputs(&mut self, root: &Node) -> Vec<Output> {
        let Some(outputs) = super::verify::outputs_of(root).and_then(Node::as_map) else {
            return Vec::new();
        };
        outputs
            .iter()
            .filter_map(|(name, output)| self.output(name, output))
            .collect()
    }

    /// One output, unless it is left out (W0701) or cannot be written.
    fn output(&mut self, name: &Node, output: &Node) -> Option<Output> {
        {
            let Some(name_text) = name.as_str().filter(|n| text::is_name(n)) else {
                self.inexpressible_node(name, "this output name");
                return None;
            };
            let mut value = None;
            let mut condition = None;
            for (key, v) in output.as_map().unwrap_or_default() {
                match key.as_str() {
                    Some("Value") => value = Some(v),
                    Some("Condition") => condition = Some(v),
                    _ => self.inexpressible(key, "an output"),
                }
            }
            let value = value?;
            let parts = intrinsic::parts(value).unwrap_or_default();
            let (target, attribute) = match parts.as_slice() {
                [Part::Ref(target)] => (target.clone(), None),
                [Part::GetAtt(target, attribute)] => (target.clone(), Some(attribute.clone())),
                _ => {
                    self.report(
                        Code::E0704,
                        span_of(value),
                        "this output's value cannot be read back",
                        "idp outputs are a `Ref` or an `Fn::GetAtt`",
                        "keep this output in CloudFormation, or make it `Ref: Name` or `Fn::GetAtt: [Name, Attr]`",
                    );
                    return None;
                }
            };
            let known =
                self.imported.contains(&target) || self.uses.iter().any(|(n, _, _)| *n == target);
            if self.left_out(name, name_text, &target, known) {
                return None;
            }
            // Named only here: the one kind with that attribute, if any.
            let by_attribute = || {
                let kinds: Vec<Kind> = Kind::ALL
                    .into_iter()
                    .filter(|k| {
                        attribute
                            .as_deref()
                            .is_some_and(|a| kind_info(*k).attributes.contains(&a))
                    })
                    .collect();
                match kinds.as_slice() {
                    [kind] => Some(*kind),
                    _ => None,
                }
            };
            if !known
                && self
                    .kind_of(&target, span_of(value), by_attribute)
                    .is_none()
            {
                return None;
            }
            let condition = match condition {
                Some(node) => match node.as_str() {
                    Some(name) => Some(self.declare_condition(name, node)?),
                    None => {
                        self.inexpressible_node(node, "a `Condition` that is not a name");
                        return None;
                    }
                },
                None => None,
            };
            self.output_names.push(name_text.to_owned());
            let at = self.at(span_of(value));
            Some(Output {
                name: Spanned::new(name_text.to_owned(), self.at(span_of(name))),
                target: Spanned::new(target, at),
                attribute: attribute.map(|a| Spanned::new(a, at)),
                condition,
            })
        }
    }

    /// W0701: an output whose target the program leaves out.
    fn left_out(&mut self, name: &Node, name_text: &str, target: &str, known: bool) -> bool {
        let pool_part = self
            .resource(target)
            .and_then(|r| r.cfn_type.clone())
            .is_some_and(|t| {
                [
                    super::POOL_TYPE,
                    super::ATTACHMENT_TYPE,
                    super::PRINCIPAL_TAG_TYPE,
                    super::ROLE_TYPE,
                ]
                .contains(&t.as_str())
            });
        if pool_part && !self.imported.contains(target) {
            self.report(
                Code::W0701,
                span_of(name),
                format!("output `{name_text}` is not imported: `{target}` is not"),
                "left out of the program",
                "import its pool too (without `--pool`)",
            );
            return true;
        }
        if !known && self.only_pool {
            self.report(
                    Code::W0701,
                    name.span,
                    format!("output `{name_text}` is not imported: the imported pool does not use `{target}`"),
                    "left out of the program",
                    "import every pool (without `--pool`) to keep it",
                );
            return true;
        }
        false
    }
}
