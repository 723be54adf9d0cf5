//! The template's `Outputs`, as `output` items.

use super::intrinsic::{self, Part};
use super::{TemplateReader, span_of, text};
use crate::check::kinds::kind_info;
use crate::diag::Code;
use crate::stack_reader::tree::{Node, Value};
use crate::syntax::ast::{Kind, Output, OutputItem, Spanned};

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

    /// One output, unless it is left out (W0701, W0740) or cannot be written.
    fn output(&mut self, name: &Node, output: &Node) -> Option<Output> {
        let Some(name_text) = name.as_str().filter(|n| text::is_name(n)) else {
            self.inexpressible_node(name, "this output name");
            return None;
        };
        let (mut value, mut description, mut export, mut condition) = (None, None, None, None);
        let mut unknown = Vec::new();
        for (key, v) in output.as_map().unwrap_or_default() {
            match key.as_str() {
                Some("Value") => value = Some(v),
                Some("Description") => description = Some(v),
                Some("Export") => export = Some(v),
                Some("Condition") => condition = Some(v),
                _ => unknown.push(key),
            }
        }
        let value = value?;
        // An output about nothing the program defines stays in the rest of
        // the stack, whatever it holds (unless it is a plain `Ref` or
        // `Fn::GetAtt` of a resource the program can name, as before).
        let related = referenced_names(value)
            .iter()
            .any(|n| self.imported.contains(n));
        let (target, attribute) = self.output_target(name, name_text, value, related)?;
        // Named only here: the one kind with that attribute, if any.
        let by_attribute = kind_by_attribute(attribute.as_deref());
        let known =
            self.imported.contains(&target) || self.uses.iter().any(|(n, _, _)| *n == target);
        if !related && !known && !self.nameable(&target, by_attribute) {
            self.stays_in_stack(name, name_text, &format!("idp cannot name `{target}`"));
            return None;
        }
        for key in unknown {
            self.inexpressible(key, "an output");
        }
        if self.left_out(name, name_text, &target, known) {
            return None;
        }
        if !known
            && self
                .kind_of(&target, span_of(value), || by_attribute)
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
        let body = self.output_body(output, description, export);
        self.output_names.push(name_text.to_owned());
        let at = self.at(span_of(value));
        Some(Output {
            name: Spanned::new(name_text.to_owned(), self.at(span_of(name))),
            target: Spanned::new(target, at),
            attribute: attribute.map(|a| Spanned::new(a, at)),
            body,
            condition,
        })
    }

    /// The resource an output's value reads and the attribute it reads, if
    /// the value is a plain `Ref` or `Fn::GetAtt`; otherwise the output stays
    /// in the stack (its value names nothing the program defines) or is
    /// reported (E0704).
    fn output_target(
        &mut self,
        name: &Node,
        name_text: &str,
        value: &Node,
        related: bool,
    ) -> Option<(String, Option<String>)> {
        let parts = intrinsic::parts(value).unwrap_or_default();
        match parts.as_slice() {
            [Part::Ref(target)] => Some((target.clone(), None)),
            [Part::GetAtt(target, attribute)] => Some((target.clone(), Some(attribute.clone()))),
            _ if !related => {
                self.stays_in_stack(
                    name,
                    name_text,
                    "its value names nothing the program defines",
                );
                None
            }
            _ => {
                self.report(
                    Code::E0704,
                    span_of(value),
                    format!("the value of output `{name_text}` cannot be read back"),
                    "idp outputs are a `Ref` or an `Fn::GetAtt` of one resource",
                    "keep this output in CloudFormation, or make it `Ref: Name` or `Fn::GetAtt: [Name, Attr]`",
                );
                None
            }
        }
    }

    /// Whether the program can name `target` in an output: the template
    /// defines it with a type idp knows, or does not define it and the
    /// attribute read tells its kind.
    fn nameable(&self, target: &str, by_attribute: Option<Kind>) -> bool {
        match self.defined_kind(target) {
            Some(kind) => kind.is_some(),
            None => by_attribute.is_some(),
        }
    }

    /// W0740: an output unrelated to the imported pools stays in the rest
    /// of the stack.
    fn stays_in_stack(&mut self, name: &Node, name_text: &str, why: &str) {
        self.report(
            Code::W0740,
            span_of(name),
            format!("output `{name_text}` stays in the rest of the stack: {why}"),
            "not imported: unrelated to the imported identity pools",
            "keep this output in another resources file of the stack",
        );
    }

    /// The `{ description "..." export "..." }` block, when the template
    /// has either.
    fn output_body(
        &mut self,
        output: &Node,
        description: Option<&Node>,
        export: Option<&Node>,
    ) -> Option<Spanned<Vec<Spanned<OutputItem>>>> {
        let mut items = Vec::new();
        if let Some(node) = description
            && let Some(literal) = self.text(node, "an output description")
        {
            let at = self.at(span_of(node));
            let text = text::string(&literal, at);
            items.push(Spanned::new(OutputItem::Description(text), at));
        }
        if let Some(node) = export {
            match node
                .get("Name")
                .filter(|_| node.as_map().is_some_and(|m| m.len() == 1))
            {
                Some(export_name) => {
                    if let Some(text) = self.string(export_name, "an export name") {
                        let at = self.at(span_of(export_name));
                        items.push(Spanned::new(OutputItem::Export(text), at));
                    }
                }
                None => self.report(
                    Code::E0704,
                    span_of(node),
                    "this `Export` cannot be read back",
                    "an output's `Export` is a mapping with `Name` alone",
                    "write `Export: {Name: ...}`",
                ),
            }
        }
        (!items.is_empty()).then(|| Spanned::new(items, self.at(span_of(output))))
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

/// The one kind whose type has `attribute`, if exactly one has.
fn kind_by_attribute(attribute: Option<&str>) -> Option<Kind> {
    let attribute = attribute?;
    let kinds: Vec<Kind> = Kind::ALL
        .into_iter()
        .filter(|k| kind_info(*k).attributes.contains(&attribute))
        .collect();
    match kinds.as_slice() {
        [kind] => Some(*kind),
        _ => None,
    }
}

/// The logical IDs a value names: `Ref`, `Fn::GetAtt` and `Fn::Sub`'s
/// `${Name}` / `${Name.Attr}`, anywhere inside it.
fn referenced_names(node: &Node) -> Vec<String> {
    let mut names = Vec::new();
    collect_names(node, &mut names);
    names
}

fn collect_names(node: &Node, names: &mut Vec<String>) {
    if let Some((function, arg)) = intrinsic::function(node) {
        match function.as_str() {
            "Ref" => names.extend(arg.as_str().map(str::to_owned)),
            "Fn::GetAtt" => names.extend(intrinsic::get_att(arg).ok().map(|(t, _)| t)),
            "Fn::Sub" => {
                let template = match &arg.value {
                    Value::Seq(items) => items.first(),
                    _ => Some(arg),
                };
                if let Some(mut rest) = template.and_then(Node::as_str) {
                    while let Some(start) = rest.find("${") {
                        let after = &rest[start + 2..];
                        let end = after.find('}').unwrap_or(after.len());
                        let inner = &after[..end];
                        if !inner.starts_with('!') {
                            let target = inner.split('.').next().unwrap_or(inner);
                            names.push(target.to_owned());
                        }
                        rest = after.get(end + 1..).unwrap_or("");
                    }
                }
            }
            _ => {}
        }
    }
    match &node.value {
        Value::Seq(items) => items.iter().for_each(|item| collect_names(item, names)),
        Value::Map(entries) => entries.iter().for_each(|(_, v)| collect_names(v, names)),
        _ => {}
    }
}
