//! `idpc import`: a CloudFormation template (or a Serverless resources
//! file) back to a `.idp` program.
//!
//! The importer sits beside the pipeline: it reads the template with the
//! stack reader's span-carrying tree (`stack::tree`), turns the
//! identity pools it finds, with their role attachments, roles and
//! principal tags, into program text, and then compiles that text with
//! [`crate::compile`] to prove it is a valid program (`verify` then
//! checks that it deploys what the template deploys).
//!
//! Choices where the task was open: every pool is imported unless `--pool`
//! picks one; a role is written inside its pool when only that pool hands
//! it out (and the template has it where the compiler would write it),
//! otherwise as a top-level `role`; names equal to the compiler's defaults
//! (`<Pool>AuthRole`, `<Role>Policy`, the pool's name) are left out;
//! actions stay listed as written (no access levels); hard-coded
//! `arn:aws:` becomes partition-aware.
//!
//! It never changes meaning silently: whatever the language cannot say (an
//! unknown property, a trust policy that is not the Cognito one, a
//! statement with `NotAction`, an intrinsic function it cannot read back,
//! a logical ID the compiler would name differently) is an error pointing
//! into the template, and then no program is written. What the program
//! leaves to the rest of the stack (a bucket the template defines, a
//! `Parameters` section) is a warning.

mod intrinsic;
mod pool;
mod role;
mod text;
mod verify;

use std::collections::BTreeSet;
use std::ops::Range;

use crate::check::kinds::kind_of_cfn_type;
use crate::diag::{Code, Diagnostic, FileId, Severity, Sources};
use crate::stack_reader::tree::{self, Node};
use crate::syntax::ast::{Kind, Span};

/// How to import.
#[derive(Clone, Debug, Default)]
pub struct ImportOptions {
    /// Import only the identity pool with this logical ID; all when `None`.
    pub pool: Option<String>,
    /// Whether the template is JSON (`.json`): only for error positions.
    pub json: bool,
}

/// The result of [`import`].
#[derive(Debug)]
pub struct Imported {
    /// The program, present exactly when no diagnostic is an error.
    pub program: Option<String>,
    /// Errors and warnings, in the order found.
    pub diagnostics: Vec<Diagnostic>,
}

/// The CloudFormation types the importer turns into program items.
const POOL_TYPE: &str = "AWS::Cognito::IdentityPool";
const ATTACHMENT_TYPE: &str = "AWS::Cognito::IdentityPoolRoleAttachment";
const PRINCIPAL_TAG_TYPE: &str = "AWS::Cognito::IdentityPoolPrincipalTag";
const ROLE_TYPE: &str = "AWS::IAM::Role";

/// Imports the template `text`, shown as `name` in diagnostics (it is added
/// to `sources`).
pub fn import(name: &str, text: &str, options: &ImportOptions, sources: &mut Sources) -> Imported {
    let file = sources.add(name, text);
    let failed = |diagnostics| Imported {
        program: None,
        diagnostics,
    };
    let root = match tree::parse(text, options.json, &crate::stack_reader::Limits::default()) {
        Ok(root) => root,
        Err((kind, span)) => {
            let span = span.unwrap_or(0..0);
            let diagnostic = Diagnostic::new(
                Code::E0701,
                format!("`{name}` is not a template idpc can read: {kind}"),
                Span::new(file, span.start, span.end),
            )
            .with_label("here")
            .with_help("fix the YAML or JSON so CloudFormation would accept it");
            return failed(vec![diagnostic]);
        }
    };
    let mut importer = Importer::new(file, text);
    let Some(resources) = importer.resources_of(&root, name) else {
        return failed(importer.diagnostics);
    };
    for resources in resources {
        importer.read_resources(resources);
    }
    let program = importer.program(&root, options.pool.as_deref(), name);
    let origins = std::mem::take(&mut importer.origins);
    let output_names = std::mem::take(&mut importer.output_names);
    let imported = std::mem::take(&mut importer.imported);
    let widened: Vec<(String, Span)> = origins
        .iter()
        .map(|(line, range)| (line.clone(), importer.span(range)))
        .collect();
    let mut diagnostics = importer.diagnostics;
    if diagnostics.iter().any(|d| d.severity() == Severity::Error) {
        return failed(diagnostics);
    }
    // The program must compile: what the importer writes is only as good as
    // what the compiler accepts.
    let mut scratch = Sources::new();
    let compiled = crate::compile(
        "imported.idp",
        program.as_bytes(),
        &crate::Options::default(),
        &mut scratch,
    );
    let problems: Vec<&Diagnostic> = compiled
        .diagnostics
        .iter()
        .filter(|d| d.severity() == Severity::Error)
        .collect();
    if !problems.is_empty() {
        let mut diagnostic = Diagnostic::unlabelled(
            Code::E0707,
            format!("the program imported from `{name}` does not compile"),
        )
        .with_help(
            "the template uses something the language checks more strictly than CloudFormation; fix it in the template and import again",
        );
        for problem in problems {
            diagnostic = diagnostic.with_note(format!("{}: {}", problem.code, problem.message));
            // Underline the template text the offending line came from.
            let line = problem.labels.iter().find(|l| l.primary).and_then(|label| {
                let text = scratch.text(label.span.file);
                let start = text
                    .get(..label.span.start)?
                    .rfind('\n')
                    .map_or(0, |i| i + 1);
                let end = text
                    .get(label.span.start..)?
                    .find('\n')
                    .map_or(text.len(), |i| label.span.start + i);
                text.get(start..end).map(str::trim)
            });
            if let Some((_, span)) = line.and_then(|line| widened.iter().find(|(l, _)| l == line)) {
                let message = format!("{}: {}", problem.code, problem.message);
                if diagnostic.labels.is_empty() {
                    diagnostic
                        .labels
                        .push(crate::diag::Label::primary(*span, message));
                } else {
                    diagnostic = diagnostic.with_secondary(*span, message);
                }
            }
        }
        diagnostic = diagnostic.with_note(format!("the program was:\n{program}"));
        diagnostics.push(diagnostic);
        return failed(diagnostics);
    }
    // And it must mean what the template means.
    let compiled_root = compiled.output.as_deref().and_then(|output| {
        tree::parse(output, false, &crate::stack_reader::Limits::default()).ok()
    });
    let ids: Vec<String> = imported.into_iter().collect();
    let difference = compiled_root
        .as_ref()
        .and_then(|compiled| verify::compare(&root, &ids, &output_names, compiled));
    if let Some(difference) = difference {
        diagnostics.push(changed_meaning(&difference, &root, file, text, &program));
        return failed(diagnostics);
    }
    Imported {
        program: Some(program),
        diagnostics,
    }
}

/// E0708: the compiled program would deploy something else than the
/// template.
fn changed_meaning(
    difference: &verify::Difference,
    root: &Node,
    file: FileId,
    text: &str,
    program: &str,
) -> Diagnostic {
    let at = verify::locate(root, &difference.resource, &difference.path).map_or(0..0, span_of);
    let widened = Importer::new(file, text).span(&at);
    let shown = |value: &Option<serde_json::Value>| match value {
        Some(value) => format!("`{value}`"),
        None => "nothing".to_owned(),
    };
    let path = difference.path.join(".");
    let conditions_only = difference.path.iter().any(|p| p == "Null");
    let help = if conditions_only {
        "idpc adds `Null: {KEY: \"false\"}` to an allow with `ForAllValues:` (alone, it is also true when the request has no value for the key); add it to the template if that is what you mean, then import"
    } else {
        "change the template to what the program would deploy if that is what you mean (see the note), then import; or keep this resource in CloudFormation"
    };
    Diagnostic::new(
        Code::E0708,
        format!(
            "importing would change `{}`: the program would deploy something else",
            difference.resource
        ),
        widened,
    )
    .with_label("the program would not deploy this as written")
    .with_note(format!(
        "at `{path}`, the template has {} and the program would deploy {}",
        shown(&difference.template),
        shown(&difference.program)
    ))
    .with_note(format!("the program was:\n{program}"))
    .with_help(help)
}

/// A resource of the template.
struct Resource<'a> {
    id: String,
    /// The logical ID's key in the file.
    key: Range<usize>,
    cfn_type: Option<String>,
    node: &'a Node,
}

/// The state of one import.
struct Importer<'a> {
    file: FileId,
    /// The template's text, to widen spans (see [`Importer::widen`]).
    text: &'a str,
    resources: Vec<Resource<'a>>,
    /// Logical IDs that become program items (pools, their attachments,
    /// roles and principal tags).
    imported: BTreeSet<String>,
    /// Names the program refers to but does not define, with their kind, in
    /// the order first met: the `use` lines.
    uses: Vec<(String, Kind)>,
    diagnostics: Vec<Diagnostic>,
    /// Whether `--pool` chose one pool.
    only_pool: bool,
    /// The outputs the program writes.
    output_names: Vec<String>,
    /// Program lines (trimmed) and the template text each came from, so
    /// the compiler's verdict on a line can point into the template.
    origins: Vec<(String, Range<usize>)>,
}

impl<'a> Importer<'a> {
    fn new(file: FileId, text: &'a str) -> Importer<'a> {
        Importer {
            text,
            only_pool: false,
            origins: Vec::new(),
            output_names: Vec::new(),
            file,
            resources: Vec::new(),
            imported: BTreeSet::new(),
            uses: Vec::new(),
            diagnostics: Vec::new(),
        }
    }

    /// The span to underline for a node's range: with its short-form tag
    /// (`!If`) and, for a flow collection, its closing bracket (the tree
    /// records neither).
    fn span(&self, range: &Range<usize>) -> Span {
        let text = self.text;
        let (mut start, mut end) = (range.start.min(text.len()), range.end.min(text.len()));
        let before = &text[..start];
        let trimmed = before.trim_end_matches(' ');
        if trimmed.len() < before.len()
            && let Some(tag_at) = trimmed.rfind('!')
            && trimmed[tag_at + 1..]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == ':')
            && trimmed.len() > tag_at + 1
        {
            start = tag_at;
        }
        let inner = &text[range.start.min(text.len())..end];
        let opens = inner.matches(['[', '{']).count();
        let closes = inner.matches([']', '}']).count();
        if inner.starts_with(['[', '{']) && opens > closes {
            let mut depth = opens - closes;
            for (i, c) in text[end..].char_indices() {
                match c {
                    '[' | '{' => depth += 1,
                    ']' | '}' => {
                        depth -= 1;
                        if depth == 0 {
                            end += i + 1;
                            break;
                        }
                    }
                    _ => {}
                }
            }
        }
        Span::new(self.file, start, end)
    }

    /// Reports `code` at `node`.
    fn report(
        &mut self,
        code: Code,
        at: &Range<usize>,
        message: impl Into<String>,
        label: impl Into<String>,
        help: impl Into<String>,
    ) {
        let diagnostic = Diagnostic::new(code, message, self.span(at))
            .with_label(label)
            .with_help(help);
        self.diagnostics.push(diagnostic);
    }

    /// Reports a property (or element) the language has no way to say.
    fn inexpressible(&mut self, key: &Node, what: &str) {
        let written = key.as_str().unwrap_or("this");
        self.report(
            Code::E0702,
            &key.span,
            format!("`{written}` of {what} cannot be written in idp"),
            "idp has no form for this",
            format!(
                "remove `{written}` from the template if you can do without it, or keep this {what} in CloudFormation"
            ),
        );
    }

    /// Reports a value that cannot be read back.
    fn not_invertible(&mut self, error: &intrinsic::NotInvertible, wanted: &str) {
        self.report(
            Code::E0704,
            &error.span,
            format!("{} cannot be read back as {wanted}", error.what),
            "idpc cannot invert this",
            format!(
                "write {wanted} with literal text, `Ref`, `Fn::GetAtt`, `Fn::Join` or `Fn::Sub` as idpc itself writes it"
            ),
        );
    }

    /// The `Resources` mapping: a template's or fragment's, or a
    /// `serverless.yml`'s `resources:` block.
    /// The `Resources` mappings: a template's or fragment's, or those of
    /// a `serverless.yml`'s `resources:` block (a mapping, or a list of
    /// them). A block that only includes files (`${file(...)}`) is refused
    /// with the files to import instead.
    fn resources_of<'n>(&mut self, root: &'n Node, name: &str) -> Option<Vec<&'n Node>> {
        let holders: Vec<&Node> = match root.get("resources") {
            Some(block) => pool::seq(block),
            None => vec![root],
        };
        let mut found = Vec::new();
        let mut includes = Vec::new();
        for holder in holders {
            match holder.get("Resources") {
                Some(resources) if resources.as_map().is_some() => found.push(resources),
                _ => {
                    if let Some(text) = holder.as_str().filter(|t| t.contains("${file(")) {
                        includes.push(format!("`{text}`"));
                    }
                }
            }
        }
        if !found.is_empty() {
            return Some(found);
        }
        let help = if includes.is_empty() {
            "name a CloudFormation template or a Serverless resources file with `Resources`"
                .to_owned()
        } else {
            format!(
                "its resources are in other files: import the one that defines the identity pool ({})",
                includes.join(", ")
            )
        };
        let at = root.get("resources").map_or(root.span.clone(), span_of);
        self.report(
            Code::E0701,
            &at,
            format!("`{name}` has no `Resources` mapping to import"),
            "no `Resources` here",
            help,
        );
        None
    }

    fn read_resources(&mut self, resources: &'a Node) {
        for (key, value) in resources.as_map().unwrap_or_default() {
            let Some(id) = key.as_str() else {
                continue;
            };
            let cfn_type = value.get("Type").and_then(Node::as_str).map(str::to_owned);
            self.resources.push(Resource {
                id: id.to_owned(),
                key: key.span.clone(),
                cfn_type,
                node: value,
            });
        }
    }

    fn resource(&self, id: &str) -> Option<&Resource<'a>> {
        self.resources.iter().find(|r| r.id == id)
    }

    /// The kind of `name` as the template defines it, if it does.
    fn defined_kind(&self, name: &str) -> Option<Option<Kind>> {
        self.resource(name)
            .map(|r| r.cfn_type.as_deref().and_then(kind_of_cfn_type))
    }

    /// Notes that the program refers to `name` of `kind`; a name it does
    /// not define gets a `use` line.
    fn refer(&mut self, name: &str, kind: Kind) {
        if self.imported.contains(name) || self.uses.iter().any(|(n, _)| n == name) {
            return;
        }
        self.uses.push((name.to_owned(), kind));
    }

    /// The kind of a name the program refers to: the template's type when
    /// it defines the name, else what `guess` infers from its use.
    fn kind_of(
        &mut self,
        name: &str,
        at: &Range<usize>,
        guess: impl FnOnce() -> Option<Kind>,
    ) -> Option<Kind> {
        if let Some((_, kind)) = self.uses.iter().find(|(n, _)| n == name) {
            return Some(*kind);
        }
        let kind = match self.defined_kind(name) {
            Some(Some(kind)) => Some(kind),
            Some(None) => {
                let ty = self
                    .resource(name)
                    .and_then(|r| r.cfn_type.clone())
                    .unwrap_or_default();
                self.report(
                    Code::E0705,
                    at,
                    format!("`{name}` is a `{ty}`, which idp cannot refer to here"),
                    "refers to a resource of a type idp does not know",
                    "idp knows the kinds listed by `use KIND`; keep this statement in CloudFormation",
                );
                return None;
            }
            None => guess(),
        };
        match kind {
            Some(kind) => {
                self.refer(name, kind);
                Some(kind)
            }
            None => {
                self.report(
                    Code::E0705,
                    at,
                    format!("cannot tell what kind of resource `{name}` is"),
                    "the template does not define it and its use does not say",
                    format!(
                        "import a template that defines `{name}`, or one whose statements use it with actions of its service"
                    ),
                );
                None
            }
        }
    }

    /// The whole program.
    fn program(&mut self, root: &Node, only: Option<&str>, name: &str) -> String {
        self.only_pool = only.is_some();
        let pools: Vec<&Resource<'a>> = self
            .resources
            .iter()
            .filter(|r| r.cfn_type.as_deref() == Some(POOL_TYPE))
            .collect();
        let chosen: Vec<(String, &'a Node, Range<usize>)> = pools
            .iter()
            .filter(|r| only.is_none_or(|p| p == r.id))
            .map(|r| (r.id.clone(), r.node, r.key.clone()))
            .collect();
        if chosen.is_empty() {
            let (message, help) = match only {
                Some(wanted) => {
                    let names: Vec<String> = pools.iter().map(|r| format!("`{}`", r.id)).collect();
                    let help = match crate::suggest::did_you_mean(
                        wanted,
                        pools.iter().map(|r| r.id.as_str()),
                    ) {
                        Some(close) => format!("did you mean `--pool {close}`?"),
                        None if names.is_empty() => {
                            "the template defines no `AWS::Cognito::IdentityPool`".to_owned()
                        }
                        None => format!("the template's identity pools are {}", names.join(", ")),
                    };
                    (format!("`{name}` has no identity pool `{wanted}`"), help)
                }
                None => (
                    format!("`{name}` defines no identity pool"),
                    "import a template with an `AWS::Cognito::IdentityPool` resource".to_owned(),
                ),
            };
            self.diagnostics
                .push(Diagnostic::unlabelled(Code::E0701, message).with_help(help));
            return String::new();
        }
        let mut program = pool::Program::read(self, &chosen);
        program.outputs = self.output_lines(root);
        let header =
            text::inert_comment("Imported by idpc from ", &format!("{}.", file_label(name)));
        self.warn_left_out(root);
        program.write(&header, &self.uses)
    }

    /// Warns about what the program leaves to the rest of the stack.
    fn warn_left_out(&mut self, root: &Node) {
        for (key, _) in root.as_map().unwrap_or_default() {
            let Some(section) = key.as_str() else {
                continue;
            };
            if matches!(
                section,
                "Parameters" | "Conditions" | "Mappings" | "Transform" | "Rules" | "Metadata"
            ) {
                self.report(
                    Code::W0701,
                    &key.span,
                    format!("the template's `{section}` are not imported"),
                    "left out of the program",
                    "keep this section in the stack if other resources need it",
                );
            }
        }
        let left: Vec<(String, Range<usize>, String)> = self
            .resources
            .iter()
            .filter(|r| !self.imported.contains(&r.id))
            .map(|r| {
                (
                    r.id.clone(),
                    r.key.clone(),
                    r.cfn_type.clone().unwrap_or_default(),
                )
            })
            .collect();
        for (id, key, ty) in left {
            let used = self.uses.iter().any(|(n, _)| *n == id);
            let help = if used {
                format!(
                    "the program refers to it with `use`; keep `{id}` in another resources file of the stack"
                )
            } else {
                format!("keep `{id}` in another resources file of the stack if you still need it")
            };
            self.report(
                Code::W0701,
                &key,
                format!("`{id}` ({ty}) is not imported"),
                "idp does not define this resource",
                help,
            );
        }
    }
}

/// The whole text of a node: the tree gives a collection only its first
/// character, and diagnostics should underline all of it.
pub(crate) fn span_of(node: &Node) -> Range<usize> {
    let end = match &node.value {
        tree::Value::Map(entries) => entries.last().map(|(_, v)| span_of(v).end),
        tree::Value::Seq(items) => items.last().map(|v| span_of(v).end),
        _ => None,
    };
    node.span.start..end.unwrap_or(node.span.end).max(node.span.end)
}

/// The file's name without its directories, so output does not depend on
/// where the command ran.
fn file_label(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}
