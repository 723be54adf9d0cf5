//! idpc: compiles `.idp` programs into CloudFormation for Cognito identity
//! pools and the IAM roles they hand out.
//!
//! The pipeline, one module per stage, each handing the next a value that
//! proves the previous one ran:
//!
//! ```text
//! source ──syntax::parse──▶ Parsed ──check::check──▶ Checked ──lower::lower──▶ cfn::Template ──emit──▶ YAML / JSON
//! ```
//!
//! [`compile`] runs all of it; [`diag`] turns every stage's errors into
//! rustc-style diagnostics. [`graph`] sits beside the pipeline: it draws
//! the checked program ([`check_program`]) as Mermaid or DOT.

pub mod catalog;
pub mod cfn;
pub mod check;
pub mod cli;
pub mod diag;
pub mod emit;
mod files;
pub mod formatter;
pub mod graph;
pub mod importer;
pub mod limits;
pub mod lints;
pub mod lower;
pub mod source;
pub mod stack_reader;
pub mod suggest;
pub mod syntax;
mod use_files;

pub use check::Target;
pub use emit::Format;

use diag::{Diagnostic, Severity, Sources};

/// How to compile.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// What the output is for.
    pub target: Target,
    /// YAML or JSON.
    pub format: Format,
    /// The directory of the program, against which `use "path"` is
    /// resolved. `None` for a program not read from disk: then any
    /// `use "path"` is an error (E0306).
    pub base_dir: Option<std::path::PathBuf>,
    /// Per-code lint levels (what `idpc.toml` says; empty: every code keeps
    /// its own severity).
    pub lints: lints::LintLevels,
}

/// The result of [`compile`].
#[derive(Debug)]
pub struct Compiled {
    /// The output text, present exactly when no diagnostic is an error.
    pub output: Option<String>,
    /// Every diagnostic shown, errors, warnings and notes, after lint
    /// levels and suppression comments.
    pub diagnostics: Vec<Diagnostic>,
    /// The diagnostics a suppression comment or an `allow` level dropped
    /// (SARIF lists them as suppressed results).
    pub suppressed: Vec<lints::Suppressed>,
    /// The resources the program refers to that the rest of the stack must
    /// define (logical ID, CloudFormation type); empty on errors.
    pub external: Vec<(String, String)>,
    /// The stack files read through `use` (and their includes), but an
    /// earlier output of this program: files `-o` must not overwrite.
    pub inputs: Vec<std::path::PathBuf>,
}

impl Compiled {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity() == Severity::Error)
    }

    /// Whether any diagnostic is a warning (notes are not).
    pub fn has_warnings(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity() == Severity::Warning)
    }
}

/// A program's bytes read, parsed, checked and reviewed: the front half of
/// [`compile`], which tools beside the pipeline (`idpc graph`) start from.
#[derive(Debug)]
pub struct CheckedProgram {
    /// The checked program, present exactly when no diagnostic is an error.
    pub checked: Option<check::Checked>,
    /// Every diagnostic shown, in source order, after lint levels and
    /// suppression comments.
    pub diagnostics: Vec<Diagnostic>,
    /// The diagnostics a suppression comment or an `allow` level dropped.
    pub suppressed: Vec<lints::Suppressed>,
    /// The stack files read through `use` (and their includes), but an
    /// earlier output of this program: files `-o` must not overwrite.
    pub inputs: Vec<std::path::PathBuf>,
}

/// Reads, parses, checks and reviews a program (with its `use "path"`
/// imports), then applies its suppression comments and `options.lints`: a
/// denied warning is an error, and then there is no checked program.
/// `name` is how the file is shown in diagnostics; the file is added to
/// `sources` so diagnostics can be rendered.
pub fn check_program(
    name: &str,
    bytes: &[u8],
    options: &Options,
    sources: &mut Sources,
) -> CheckedProgram {
    let (checked, diagnostics, file, inputs) = review(name, bytes, options, sources);
    let program = file.map(|file| (file, sources.text(file)));
    let (diagnostics, suppressed) = lints::apply(diagnostics, program, &options.lints);
    let failed = diagnostics.iter().any(|d| d.severity() == Severity::Error);
    CheckedProgram {
        checked: checked.filter(|_| !failed),
        diagnostics,
        suppressed,
        inputs,
    }
}

/// Parse, imports, check and the least-privilege review, before lint
/// levels; with the program's file when it was read (only then can
/// comments suppress anything).
fn review(
    name: &str,
    bytes: &[u8],
    options: &Options,
    sources: &mut Sources,
) -> (
    Option<check::Checked>,
    Vec<Diagnostic>,
    Option<diag::FileId>,
    Vec<std::path::PathBuf>,
) {
    let text = match syntax::decode(bytes, sources.next_id()) {
        Ok(text) => text,
        Err(err) => {
            sources.add(name, "");
            return (None, vec![diag::from_parse(&err)], None, Vec::new());
        }
    };
    let file = sources.add(name, syntax::shown(text));
    let parsed = match syntax::parse(text, file) {
        Ok(parsed) => parsed,
        Err(err) => return (None, vec![diag::from_parse(&err)], None, Vec::new()),
    };
    if let Some(over) = limits::check(&parsed.program) {
        return (None, vec![diag::from_limit(&over)], Some(file), Vec::new());
    }
    let imports = use_files::read(&parsed.program, name, options.base_dir.as_deref(), sources);
    let mut diagnostics = imports.diagnostics;
    let inputs = imports.files;
    if diagnostics.iter().any(|d| d.severity() == Severity::Error) {
        return (None, diagnostics, Some(file), inputs);
    }
    let report = check::check_with_imports(&parsed, options.target, &imports.imports);
    diagnostics.extend(report.problems.iter().map(|problem| {
        let diagnostic = diag::from_check(problem);
        // An unknown name may be one of the stack's resources that idpc
        // could not learn.
        match imports.unresolved.as_slice() {
            [] => diagnostic,
            _ if diagnostic.code != diag::Code::E0101 => diagnostic,
            some => {
                let mut listed = some.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
                if some.len() > 3 {
                    listed.push_str(&format!(" and {} more", some.len() - 3));
                }
                diagnostic.with_note(format!(
                    "the stack holds Serverless variables idpc does not resolve, where a resource could hide: {listed}"
                ))
            }
        }
    }));
    // Each stage's input is dropped as soon as the next stage has what it
    // needs, so the syntax tree, the checked program, the CloudFormation
    // model and the text are never all in memory at once (peak memory,
    // BENCHMARKS.md).
    drop(parsed);
    let Some(checked) = report.checked else {
        return (None, diagnostics, Some(file), inputs);
    };
    // The lints judge a valid program; their findings join the checker's,
    // in source order.
    let findings = lints::rules::review(&checked);
    if !findings.is_empty() {
        diagnostics.extend(findings.iter().map(diag::from_finding));
        diagnostics.sort_by_key(|d| {
            d.labels
                .first()
                .filter(|label| label.span.file == file)
                .map_or((0, 0), |label| (label.span.start, label.span.end))
        });
    }
    (Some(checked), diagnostics, Some(file), inputs)
}

/// Runs the whole pipeline on a program's bytes. `name` is how the file is
/// shown in diagnostics and in the output's header; the file is added to
/// `sources` so diagnostics can be rendered.
///
/// The program's suppression comments and `options.lints` decide which
/// diagnostics are shown and as what: a denied warning is an error, and
/// then there is no output.
pub fn compile(name: &str, bytes: &[u8], options: &Options, sources: &mut Sources) -> Compiled {
    let CheckedProgram {
        checked,
        mut diagnostics,
        suppressed,
        inputs,
    } = check_program(name, bytes, options, sources);
    let failed = |diagnostics, suppressed, inputs| Compiled {
        output: None,
        diagnostics,
        suppressed,
        external: Vec::new(),
        inputs,
    };
    let Some(mut checked) = checked else {
        return failed(diagnostics, suppressed, inputs);
    };
    let template = match lower::lower(&checked, options.target) {
        Ok(template) => template,
        Err(duplicate) => {
            diagnostics.push(diag::internal_duplicate_key(&duplicate));
            return failed(diagnostics, suppressed, inputs);
        }
    };
    let external = std::mem::take(&mut checked.external);
    drop(checked);
    let header = format!(
        "{} Edit that file, not this one.",
        generated_from(file_label(name))
    );
    let emitted = emit::emit(&template, options.format, &header);
    drop(template);
    match emitted {
        Ok(output) => Compiled {
            output: Some(output),
            diagnostics,
            suppressed,
            external,
            inputs,
        },
        Err(err) => {
            diagnostics.push(Diagnostic::unlabelled(
                diag::Code::E0902,
                format!("the output could not be serialized: {}", err.0),
            ));
            Compiled {
                output: None,
                diagnostics,
                suppressed,
                external: Vec::new(),
                inputs,
            }
        }
    }
}

/// The first words of the header idpc writes at the top of its YAML output
/// for the program `file` (a name without directories). Reading a stack,
/// `imports` recognises the program's own output by them.
pub(crate) fn generated_from(file: &str) -> String {
    format!("Generated by idpc from {file}.")
}

/// The file's name without its directories, so output is the same whichever
/// directory the build runs from.
fn file_label(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}
