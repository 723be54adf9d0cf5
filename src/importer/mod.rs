//! `idpc import`: a CloudFormation template (or a Serverless resources
//! file) back to a `.idp` program.
//!
//! The importer sits beside the pipeline: it reads the template with the
//! stack reader's span-carrying tree (`stack_reader::tree`), turns the
//! identity pools it finds, with their role attachments, roles and
//! principal tags, into a syntax tree ([`crate::syntax::ast::Program`])
//! whose nodes span the template text they came from, and prints it with
//! the formatter ([`crate::formatter::print`]), so the program is in
//! `idpc fmt`'s layout. It proves the tree a valid program by checking and
//! lowering it as `idpc build` does (the checker's errors then point into
//! the template), then the printed text likewise (what the user gets), and
//! `verify` compares that lowered CloudFormation model with the template's
//! resources: the program deploys what the template deploys.
//!
//! The stages: `pool` (pools, attachments, which roles go where), `role`
//! (roles, trust policies, statements), `mapping` (role mappings and
//! principal tags), `policies` (a role's other inline policies, separate
//! `AWS::IAM::Policy` resources and managed policies), `outputs`, with `intrinsic` (reading `Ref`,
//! `Fn::GetAtt`, `Fn::Join`, `Fn::Sub` back) and `text` (template strings
//! as the tree's text) beneath them, and `verify` last.
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

mod attributes;
pub(crate) mod intrinsic;
mod mapping;
mod outputs;
pub(crate) mod pairs;
mod policies;
mod pool;
mod role;
mod stack;
mod text;
mod verify;

// Template readers the audit (`idpc check` of a template) shares.
pub(crate) use pool::{get_att_of, is_true, ref_of, seq};
pub(crate) use stack::if_of;
pub(crate) use text::policy_variables_in;

use crate::diag::ToDiagnostic as _;
use std::collections::BTreeSet;

use crate::check::kinds::kind_of_cfn_type;
use crate::diag::{Code, Diagnostic, FileId, Severity, Sources};
use crate::formatter::{self, Remarks};
use crate::stack_reader::tree::{self, Node};
use crate::syntax::ast::{Item, Kind, Program, Span, Spanned, UseKind};

/// How to import.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Import only the identity pool with this logical ID; all when `None`.
    pub pool: Option<String>,
    /// Whether the template is JSON (`.json`): only for error positions.
    pub json: bool,
}

/// What [`import`] found: the program, or why there is none.
#[derive(Debug)]
pub struct Outcome {
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
pub fn import(name: &str, text: &str, options: &Options, sources: &mut Sources) -> Outcome {
    let file = sources.add(name, text);
    let failed = |diagnostics| Outcome {
        program: None,
        diagnostics,
    };
    let root = match read_template(name, text, options.json, file) {
        Ok(root) => root,
        Err(diagnostic) => return failed(vec![diagnostic]),
    };
    let mut reader = TemplateReader::new(file, text);
    // What Serverless generates for a `serverless.yml` (`<Name>LambdaFunction`,
    // `ApiGatewayRestApi`, ...), which its `resources:` may refer to.
    reader.generated = crate::stack_reader::serverless_generated(&root, sources)
        .into_iter()
        .map(|r| (r.logical_id, r.cfn_type))
        .collect();
    let Some(resources) = reader.resources_of(&root, name) else {
        return failed(reader.diagnostics);
    };
    for resources in resources {
        reader.read_resources(resources);
    }
    let program = reader.program(&root, options.pool.as_deref(), name);
    let refused = !reader.placeholders.is_empty()
        || reader
            .diagnostics
            .iter()
            .any(|d| d.severity() == Severity::Error);
    let Some(program) = program else {
        return failed(reader.diagnostics);
    };
    if refused {
        // What could be read is still checked, so that one run reports the
        // template's own mistakes (a misspelled action) with the refusals.
        reader.check_partial(&program, name);
        return failed(reader.diagnostics);
    }
    // A statement whose actions fit only some of its resources is written
    // as the language has it: one statement per resource (`pairs`).
    let (program, splits) = reader.split_mixed(program);
    let printed = formatter::print(&program, &reader.remarks);
    // The program must compile: what the importer writes is only as good as
    // what the compiler accepts.
    // The tree is checked first, so that the compiler's errors point into
    // the template; then the text as written, which is what the user gets
    // (a string the grammar cannot write, such as a literal `$<`, would
    // read back as something else).
    let lowered = reader.lower(&program).and_then(|_| lower_text(&printed));
    let lowered = match lowered {
        Ok(lowered) => lowered,
        Err(problems) => {
            let diagnostic = reader.does_not_compile(name, &problems, Some(&printed));
            reader.diagnostics.push(diagnostic);
            return failed(reader.diagnostics);
        }
    };
    // And it must mean what the template means.
    let ids: Vec<String> = reader.imported.iter().cloned().collect();
    let compiled = verify::model(&lowered);
    if let Some(difference) = verify::compare(&root, &ids, &reader.output_names, &compiled, &splits)
    {
        let diagnostic = reader.changed_meaning(&difference, &root, &printed);
        reader.diagnostics.push(diagnostic);
        return failed(reader.diagnostics);
    }
    Outcome {
        program: Some(printed),
        diagnostics: reader.diagnostics,
    }
}

/// What holds a file's `Resources`: the template itself, or the entries of
/// a `serverless.yml`'s `resources:` block (a mapping, or a list of them
/// and `${file(...)}` includes).
pub(crate) fn resource_holders(root: &Node) -> Vec<&Node> {
    match root.get("resources") {
        Some(block) => pool::seq(block),
        None => vec![root],
    }
}

/// What the audit (`idpc check` of a template) reads of one file.
pub(crate) struct AuditRead {
    /// The identity pools, their roles and what else idpc models, as a
    /// program whose nodes span the file; `None` when the file has no pool.
    pub(crate) program: Option<Program>,
    /// What import would have said: each error is a part of the file idpc
    /// does not model (or a mistake the audit judges itself).
    pub(crate) said: Vec<Diagnostic>,
    /// The logical IDs that became part of the program.
    pub(crate) read: BTreeSet<String>,
}

/// Reads the template `root` of `file` (whose text is `text`) as the audit
/// does: every pool with what idpc models of it. `known`: the logical IDs
/// and types of the rest of the stack (other files of a `serverless.yml`).
pub(crate) fn read_for_audit(
    file: FileId,
    text: &str,
    root: &Node,
    known: Vec<(String, String)>,
    sources: &mut Sources,
) -> AuditRead {
    let mut reader = TemplateReader::new(file, text);
    reader.audit = true;
    reader.generated = crate::stack_reader::serverless_generated(root, sources)
        .into_iter()
        .map(|r| (r.logical_id, r.cfn_type))
        .chain(known)
        .collect();
    let name = sources.name(file).to_owned();
    let program = reader.resources_of(root, &name).and_then(|resources| {
        for resources in resources {
            reader.read_resources(resources);
        }
        reader.program(root, None, &name)
    });
    AuditRead {
        program,
        said: reader.diagnostics,
        read: reader.imported,
    }
}

/// The printed program read back, checked and lowered as `idpc build`
/// would; else its errors.
fn lower_text(printed: &str) -> Result<crate::cfn::Template, Vec<Diagnostic>> {
    let options = crate::Options::default();
    let mut scratch = Sources::new();
    let checked = crate::check_program("imported.idp", printed.as_bytes(), &options, &mut scratch);
    // Their spans are in the printed text, not in the template.
    let errors = |diagnostics: Vec<Diagnostic>| {
        diagnostics
            .into_iter()
            .filter(|d| d.severity() == Severity::Error)
            .map(|mut d| {
                d.labels.clear();
                d
            })
            .collect()
    };
    let Some(program) = checked.checked else {
        return Err(errors(checked.diagnostics));
    };
    crate::lower::lower(&program, options.target)
        .map_err(|duplicate| vec![duplicate.to_diagnostic()])
}

/// The template's tree, or E0701 when it is not YAML or JSON.
fn read_template(name: &str, text: &str, json: bool, file: FileId) -> Result<Node, Diagnostic> {
    let limits = crate::stack_reader::Limits::default();
    tree::parse(text, file, json, &limits).map_err(|(kind, span)| {
        Diagnostic::new(
            Code::E0701,
            format!("`{name}` is not a template idpc can read: {kind}"),
            span.unwrap_or(Span::new(file, 0, 0)),
        )
        .with_label("here")
        .with_help("fix the YAML or JSON so CloudFormation would accept it")
    })
}

/// A resource of the template.
struct Resource<'a> {
    id: String,
    /// The logical ID's key in the file.
    key: Span,
    cfn_type: Option<String>,
    node: &'a Node,
}

/// The state of one import: the template read so far, and what the
/// program refers to.
struct TemplateReader<'a> {
    file: FileId,
    /// The template's text, to widen spans (see [`TemplateReader::at`]).
    text: &'a str,
    resources: Vec<Resource<'a>>,
    /// Logical IDs that become program items (pools, their attachments,
    /// roles and principal tags).
    imported: BTreeSet<String>,
    /// Pools whose guests or roles are chosen at deploy time (reported
    /// once, E0752), for which the guests check would only cascade.
    conditional_pools: BTreeSet<String>,
    /// Statements kept with a placeholder for resources that could not be
    /// read, only so that the checker sees them: no program is written.
    placeholders: Vec<Span>,
    /// The logical IDs and types Serverless generates for the imported
    /// `serverless.yml`: resources of the stack, not of the program.
    generated: Vec<(String, String)>,
    /// The template's `Parameters`, which a `Ref` may name too.
    parameters: Vec<String>,
    /// Names the program refers to but does not define, with their kind, in
    /// the order first met: the `use` lines.
    uses: Vec<(String, Kind, Span)>,
    diagnostics: Vec<Diagnostic>,
    /// Whether `--pool` chose one pool.
    only_pool: bool,
    /// The outputs the program writes.
    output_names: Vec<String>,
    /// Where the program's statements came from, so the compiler's verdict
    /// on one can underline all of it in the template.
    statements: Vec<Span>,
    /// The program's comments: the header, and each statement's `Sid`.
    remarks: Remarks,
    /// `DependsOn` names the template does not define, with where: known
    /// only if a statement tells their kind (checked once all are read).
    depends_on_later: Vec<(String, Span)>,
    /// Managed policies of the template that imported roles attach with
    /// `ManagedPolicyArns: [!Ref X]`, in the order first met.
    attached_managed: Vec<String>,
    /// The stack's parameters the program names (`use parameter`), in the
    /// order first met.
    used_parameters: Vec<(String, Span)>,
    /// The stack's conditions the program names (`use condition`).
    conditions: Vec<(String, Span)>,
    /// `Fn::GetAtt`s in strings of resources the template does not define,
    /// settled once every `use` is known.
    pending_attributes: Vec<(String, Node)>,
    /// Reading for `idpc check` of a template (the audit), not for import:
    /// trust policies and policy versions are the audit's to judge, a
    /// statement idpc cannot read whole is left out rather than kept with a
    /// placeholder, and nothing is said of what stays in the stack.
    audit: bool,
}

impl<'a> TemplateReader<'a> {
    fn new(file: FileId, text: &'a str) -> TemplateReader<'a> {
        TemplateReader {
            text,
            only_pool: false,
            statements: Vec::new(),
            remarks: Remarks::default(),
            depends_on_later: Vec::new(),
            attached_managed: Vec::new(),
            output_names: Vec::new(),
            file,
            resources: Vec::new(),
            imported: BTreeSet::new(),
            parameters: Vec::new(),
            generated: Vec::new(),
            placeholders: Vec::new(),
            conditional_pools: BTreeSet::new(),
            uses: Vec::new(),
            diagnostics: Vec::new(),
            used_parameters: Vec::new(),
            conditions: Vec::new(),
            pending_attributes: Vec::new(),
            audit: false,
        }
    }

    /// Where a template node is, for the syntax tree's nodes and for
    /// diagnostics: its span with its short-form tag (`!If`) and, for a
    /// flow collection, its closing bracket (the tree records neither).
    /// Every span the importer makes comes from here.
    fn at(&self, span: Span) -> Span {
        let text = self.text;
        let (mut start, mut end) = (span.start.min(text.len()), span.end.min(text.len()));
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
        let inner = &text[span.start.min(text.len())..end];
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
        Span::new(span.file, start, end)
    }

    /// Reports `code` at `node`.
    fn report(
        &mut self,
        code: Code,
        at: Span,
        message: impl Into<String>,
        label: impl Into<String>,
        help: impl Into<String>,
    ) {
        let diagnostic = Diagnostic::new(code, message, self.at(at))
            .with_label(label)
            .with_help(help);
        self.diagnostics.push(diagnostic);
    }

    /// Reports a property (or element) the language has no way to say.
    fn inexpressible(&mut self, key: &Node, what: &str) {
        let written = key.as_str().unwrap_or("this");
        self.report(
            Code::E0702,
            key.span,
            format!("`{written}` of {what} cannot be written in idp"),
            "idp has no form for this",
            format!(
                "remove `{written}` from the template if you can do without it, or keep this {what} in CloudFormation"
            ),
        );
    }

    /// Reports a value that cannot be read back as `wanted`; `accepted`
    /// says how import reads one ("literal text", ...), for the help.
    fn not_invertible(&mut self, error: &intrinsic::NotInvertible, wanted: &str, accepted: &str) {
        if error.what.starts_with("`Fn::ImportValue`") {
            self.unreadable_import::<()>(error.span, &error.what, wanted);
            return;
        }
        self.report(
            Code::E0704,
            error.span,
            format!("{} cannot be read back as {wanted}", error.what),
            "idpc cannot invert this",
            format!("write {wanted} {accepted}"),
        );
    }

    /// E0750 when `parts` refer to a parameter of the template: the first
    /// one is named. Whether one was.
    fn parameter_in(&mut self, parts: &[intrinsic::Part], at: Span, wanted: &str) -> bool {
        let parameter = parts.iter().find_map(|part| match part {
            intrinsic::Part::Ref(name) if self.parameters.contains(name) => Some(name.clone()),
            _ => None,
        });
        let Some(parameter) = parameter else {
            return false;
        };
        self.report(
            Code::E0750,
            at,
            format!("`{parameter}` is a parameter of the template, which idp cannot refer to in {wanted}"),
            format!("refers to the template parameter `{parameter}`"),
            if wanted.ends_with("place") {
                format!("name a resource of the stack instead of `{parameter}`, or keep this resource in CloudFormation")
            } else {
                format!("write {wanted} without `{parameter}` (literal text; Serverless variables such as `${{self:custom.stage}}` are fine), or keep this resource in CloudFormation")
            },
        );
        true
    }

    /// The `Resources` mapping: a template's or fragment's, or a
    /// `serverless.yml`'s `resources:` block.
    /// The `Resources` mappings: a template's or fragment's, or those of
    /// a `serverless.yml`'s `resources:` block (a mapping, or a list of
    /// them). A block that only includes files (`${file(...)}`) is refused
    /// with the files to import instead.
    fn resources_of<'n>(&mut self, root: &'n Node, name: &str) -> Option<Vec<&'n Node>> {
        let holders = resource_holders(root);
        let mut found = Vec::new();
        let mut includes = Vec::new();
        for holder in holders {
            let parameters = holder.get("Parameters").and_then(Node::as_map);
            for (key, _) in parameters.unwrap_or_default() {
                self.parameters.extend(key.as_str().map(str::to_owned));
            }
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
        let at = root.get("resources").map_or(root.span, span_of);
        self.report(
            Code::E0701,
            at,
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
                key: key.span,
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
        let generated = || {
            self.generated
                .iter()
                .find(|(id, _)| id == name)
                .map(|(_, ty)| kind_of_cfn_type(ty))
        };
        self.resource(name)
            .map(|r| r.cfn_type.as_deref().and_then(kind_of_cfn_type))
            .or_else(generated)
    }

    /// Notes that the program refers to `name` of `kind`; a name it does
    /// not define gets a `use` line.
    fn refer(&mut self, name: &str, kind: Kind, at: Span) {
        if self.imported.contains(name) || self.uses.iter().any(|(n, _, _)| n == name) {
            return;
        }
        self.uses.push((name.to_owned(), kind, at));
    }

    /// The kind of a name the program refers to: the template's type when
    /// it defines the name, else what `guess` infers from its use.
    fn kind_of(
        &mut self,
        name: &str,
        at: Span,
        guess: impl FnOnce() -> Option<Kind>,
    ) -> Option<Kind> {
        if let Some((_, kind, _)) = self.uses.iter().find(|(n, _, _)| n == name) {
            return Some(*kind);
        }
        if self.parameters.iter().any(|p| p == name) {
            self.parameter_in(
                &[intrinsic::Part::Ref(name.to_owned())],
                at,
                "a resource's place",
            );
            return None;
        }
        let kind = match self.defined_kind(name) {
            Some(Some(kind)) => Some(kind),
            Some(None) => {
                let generated = self.generated.iter().find(|(id, _)| id == name);
                let ty = self
                    .resource(name)
                    .and_then(|r| r.cfn_type.clone())
                    .or_else(|| generated.map(|(_, ty)| ty.clone()))
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
                self.refer(name, kind, self.at(at));
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

    /// The whole program; `None` when there is no pool to import.
    fn program(&mut self, root: &Node, only: Option<&str>, name: &str) -> Option<Program> {
        self.only_pool = only.is_some();
        let chosen: Vec<(String, &'a Node, Span)> = self
            .resources
            .iter()
            .filter(|r| r.cfn_type.as_deref() == Some(POOL_TYPE))
            .filter(|r| only.is_none_or(|p| p == r.id))
            .map(|r| (r.id.clone(), r.node, r.key))
            .collect();
        if chosen.is_empty() {
            if !self.audit {
                self.no_pool(only, name);
            }
            return None;
        }
        let mut read = pool::Items::read(self, &chosen);
        let managed = self.role_policies(&mut read.roles, &mut read.pools);
        self.check_depends_on_later();
        let outputs = self.outputs(root);
        self.settle_references();
        self.remarks.header = vec![text::inert_comment(
            "Imported by idpc from ",
            &format!("{}.", file_label(name)),
        )];
        if !self.audit {
            self.warn_left_out(root);
        }
        // In the order of the language's kinds, then by name: the same
        // program whatever order the template lists its resources in, so
        // `import(build(x))` is `x`.
        let mut sorted: Vec<&(String, Kind, Span)> = self.uses.iter().collect();
        sorted.sort_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)));
        let uses = sorted.into_iter().map(|(name, kind, at)| {
            Item::Use(UseKind {
                kind: Spanned::new(*kind, *at),
                names: vec![Spanned::new(name.clone(), *at)],
            })
        });
        let names = |declared: &[(String, Span)]| -> Vec<Spanned<String>> {
            declared
                .iter()
                .map(|(name, at)| Spanned::new(name.clone(), *at))
                .collect()
        };
        let parameters = (!self.used_parameters.is_empty())
            .then(|| Item::UseParameter(names(&self.used_parameters)));
        let conditions =
            (!self.conditions.is_empty()).then(|| Item::UseCondition(names(&self.conditions)));
        let items = parameters
            .into_iter()
            .chain(conditions)
            .chain(uses)
            .chain(managed)
            .chain(read.roles)
            .chain(read.pools)
            .chain(outputs.into_iter().map(Item::Output))
            .collect();
        Some(Program { items })
    }

    /// E0701: `--pool` names no pool, or the template has none.
    fn no_pool(&mut self, only: Option<&str>, name: &str) {
        let pools: Vec<&str> = self
            .resources
            .iter()
            .filter(|r| r.cfn_type.as_deref() == Some(POOL_TYPE))
            .map(|r| r.id.as_str())
            .collect();
        let (message, help) = match only {
            Some(wanted) => {
                let names: Vec<String> = pools.iter().map(|id| format!("`{id}`")).collect();
                let help = match crate::suggest::did_you_mean(wanted, pools.iter().copied()) {
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
    }

    /// The program with every statement whose actions fit only some of its
    /// resources split per resource, and where (see [`pairs`]).
    /// W0755 says so of each.
    fn split_mixed(&mut self, mut program: Program) -> (Program, Vec<pairs::Split>) {
        // Only a statement with several resources can pair an action with
        // one it fits and one it does not; without one, no check is run.
        let mut several = false;
        pairs::rewrite(&mut program, &mut |_, statement| {
            several |= statement.resources.len() > 1;
            vec![statement]
        });
        if !several {
            return (program, Vec::new());
        }
        let parsed = crate::syntax::Parsed::new(program.clone(), self.file);
        let report = crate::check::check(&parsed, crate::Target::default(), &[]);
        let (_, splits) = pairs::fitting_pairs(&mut program, report.problems);
        for split in &splits {
            self.diagnostics.push(
                Diagnostic::new(
                    Code::W0755,
                    format!(
                        "this statement is written as {} statements, one per resource with the actions that act on it",
                        split.parts.len()
                    ),
                    split.statement,
                )
                .with_label("some of its actions cannot act on some of its resources")
                .with_note("IAM grants nothing for an action paired with a resource it cannot act on (what each action acts on: AWS's Service Authorization Reference, idpc's catalog); the program writes only the pairs that act")
                .with_help("check that each part grants what the app needs; the template can say the same with one statement per resource"),
            );
        }
        (program, splits)
    }

    /// The program checked and lowered as `idpc build` would (its limits,
    /// the checker, the CloudFormation model); else the errors, which point
    /// into the template since the tree's spans do.
    fn lower(&self, program: &Program) -> Result<crate::cfn::Template, Vec<Diagnostic>> {
        if let Some(over) = crate::limits::check(program) {
            return Err(vec![over.to_diagnostic()]);
        }
        let parsed = crate::syntax::Parsed::new(program.clone(), self.file);
        let report = crate::check::check(&parsed, crate::Target::default(), &[]);
        let errors: Vec<Diagnostic> = report
            .problems
            .iter()
            .map(|problem| problem.to_diagnostic())
            .filter(|d| d.severity() == Severity::Error)
            .collect();
        let Some(checked) = report.checked.filter(|_| errors.is_empty()) else {
            return Err(errors);
        };
        crate::lower::lower(&checked, crate::Target::default())
            .map_err(|duplicate| vec![duplicate.to_diagnostic()])
    }

    /// After refusals: the compiler's verdict on the statements that could
    /// be read (E0707 without a program), so that they are not reported only
    /// once the refusals are fixed. Its other errors are left out: they may
    /// only follow from what was refused (a pool without its role).
    fn check_partial(&mut self, program: &Program, name: &str) {
        let Err(problems) = self.lower(program) else {
            return;
        };
        let in_statement = |d: &&Diagnostic| {
            d.labels.iter().any(|l| {
                l.primary
                    && l.span.file == self.file
                    && self
                        .statements
                        .iter()
                        .any(|s| s.start <= l.span.start && l.span.end <= s.end)
            })
        };
        // A statement kept with a placeholder (`*`, no conditions) is
        // judged on its actions alone.
        let about_placeholder = |d: &&Diagnostic| {
            !matches!(d.code, Code::E0401 | Code::E0402 | Code::E0403)
                && d.labels.iter().any(|l| {
                    self.placeholders
                        .iter()
                        .any(|s| s.start <= l.span.start && l.span.end <= s.end)
                })
        };
        let found: Vec<Diagnostic> = problems
            .iter()
            .filter(in_statement)
            .filter(|d| !about_placeholder(d))
            .cloned()
            .collect();
        if !found.is_empty() {
            let diagnostic = self.does_not_compile(name, &found, None);
            self.diagnostics.push(diagnostic);
        }
        if !self
            .diagnostics
            .iter()
            .any(|d| d.severity() == Severity::Error)
        {
            // Only a placeholder held the import back (a resource of a
            // service AWS does not have), and the checker found nothing.
            for at in self.placeholders.clone() {
                self.report(
                    Code::E0704,
                    at,
                    "a resource of this statement cannot be read back",
                    "its actions' service is not one AWS has",
                    "name the statement's actions with a service prefix AWS has, then import",
                );
            }
        }
    }

    /// E0707: the program does not compile; each of the compiler's errors
    /// underlines the statement it is about, if it is about one. `printed`:
    /// the program, when every part of the template could be read.
    fn does_not_compile(
        &self,
        name: &str,
        problems: &[Diagnostic],
        printed: Option<&str>,
    ) -> Diagnostic {
        let mut diagnostic = Diagnostic::unlabelled(
            Code::E0707,
            format!("the program imported from `{name}` does not compile"),
        )
        .with_help(
            "the template uses something the language checks more strictly than CloudFormation; fix it in the template and import again",
        );
        for problem in problems {
            let message = format!("{}: {}", problem.code, problem.message);
            diagnostic = diagnostic.with_note(message.clone());
            let statement = problem
                .labels
                .iter()
                .find(|l| l.primary && l.span.file == self.file)
                .and_then(|label| {
                    self.statements
                        .iter()
                        .find(|s| s.start <= label.span.start && label.span.end <= s.end)
                });
            if let Some(span) = statement {
                if diagnostic.labels.is_empty() {
                    diagnostic =
                        diagnostic.with_labelled(crate::diag::Label::primary(*span, message));
                } else {
                    diagnostic = diagnostic.with_secondary(*span, message);
                }
            }
        }
        match printed {
            Some(printed) => diagnostic.with_note(format!("the program was:\n{printed}")),
            None => diagnostic.with_note(
                "found in the statements idpc could read; the errors above kept the rest from being imported",
            ),
        }
    }

    /// E0708: the compiled program would deploy something else than the
    /// template.
    fn changed_meaning(
        &self,
        difference: &verify::Difference,
        root: &Node,
        printed: &str,
    ) -> Diagnostic {
        let at = verify::locate(root, &difference.resource, &difference.path)
            .map_or(Span::new(self.file, 0, 0), span_of);
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
            self.at(at),
        )
        .with_label("the program would not deploy this as written")
        .with_note(format!(
            "at `{path}`, the template has {} and the program would deploy {}",
            shown(&difference.template),
            shown(&difference.program)
        ))
        .with_note(format!("the program was:\n{printed}"))
        .with_help(help)
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
                let help = match section {
                    "Parameters" if !self.used_parameters.is_empty() => {
                        "keep this section in the stack: the program names the parameters it uses with `use parameter`"
                    }
                    "Conditions" if !self.conditions.is_empty() => {
                        "keep this section in the stack: the program names the conditions it uses with `use condition`"
                    }
                    _ => "keep this section in the stack if other resources need it",
                };
                self.report(
                    Code::W0701,
                    key.span,
                    format!("the template's `{section}` are not imported"),
                    "left out of the program",
                    help,
                );
            }
        }
        let left: Vec<(String, Span, String)> = self
            .resources
            .iter()
            .filter(|r| !self.imported.contains(&r.id))
            .map(|r| (r.id.clone(), r.key, r.cfn_type.clone().unwrap_or_default()))
            .collect();
        for (id, key, ty) in left {
            let used = self.uses.iter().any(|(n, _, _)| *n == id);
            let help = if used {
                format!(
                    "the program refers to it with `use`; keep `{id}` in another resources file of the stack"
                )
            } else {
                format!("keep `{id}` in another resources file of the stack if you still need it")
            };
            self.report(
                Code::W0701,
                key,
                format!("`{id}` ({ty}) is not imported"),
                "idp does not define this resource",
                help,
            );
        }
    }
}

/// The whole text of a node: the tree gives a collection only its first
/// character, and diagnostics should underline all of it.
pub(crate) fn span_of(node: &Node) -> Span {
    let end = match &node.value {
        tree::Value::Map(entries) => entries.last().map(|(_, v)| span_of(v).end),
        tree::Value::Seq(items) => items.last().map(|v| span_of(v).end),
        _ => None,
    };
    let span = node.span;
    Span::new(span.file, span.start, end.unwrap_or(span.end).max(span.end))
}

/// The file's name without its directories, so output does not depend on
/// where the command ran.
fn file_label(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}
