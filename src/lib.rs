//! idpc: compiles `.idp` programs into CloudFormation for Cognito identity
//! pools and the IAM roles they hand out.
//!
//! # One entry point per job
//!
//! | job | entry point |
//! |---|---|
//! | compile a program to YAML or JSON | [`compile`] (text in memory), [`build`] (written while produced) |
//! | check a program (with its `use "path"` stack files) and review it | [`check_program`] |
//! | format a program | [`formatter::format`] |
//! | turn a template back into a program | [`importer::import`] |
//! | draw a checked program | [`graph::draw`] |
//! | explain a diagnostic code | [`diag::Code::explanation`] |
//! | serve editors (the Language Server Protocol) | [`lsp::serve`], [`lsp::run_stdio`] (`idpc lsp`) |
//! | show diagnostics | [`diag::render_plain`], [`diag::render_json`], [`diag::render_sarif`] |
//!
//! Each reads the files its program names, applies `idpc.toml` levels
//! ([`lints::read_config`]) and suppression comments, and adds every file it
//! read to a [`source::Sources`], so that any diagnostic (each
//! [`source::Span`] knows its file) can be rendered.
//!
//! # The stages
//!
//! Under the jobs, one module per stage, each handing the next a value only
//! that stage can make, proof that it ran:
//!
//! ```text
//! source ──syntax::parse──▶ Parsed ──check::check──▶ Checked ──lower::lower──▶ cfn::Template ──emit──▶ YAML / JSON
//! ```
//!
//! A tool may run them one by one (the benches do), but [`check::check`]
//! wants the stack files of the program's `use "path"` lines, which the jobs
//! read for it. Every stage reports its own error types, each of which words
//! itself ([`diag::ToDiagnostic`]); [`diag`] renders them. The command line
//! (`src/cli`, in the binary) uses nothing but this API.
//!
//! A [`syntax::Parsed`] or a [`check::Checked`] cannot be made outside its
//! stage:
//!
//! ```compile_fail
//! let forged = idpc::check::Checked { pools: vec![], shared_roles: vec![], outputs: vec![], external: vec![] };
//! ```
//!
//! ```compile_fail
//! let forged = idpc::syntax::Parsed { program: idpc::syntax::ast::Program { items: vec![] }, file: 0 };
//! ```

pub mod access;
pub mod audit;
pub mod catalog;
pub mod cfn;
pub mod check;
pub mod diag;
pub mod emit;
pub mod files;
pub mod formatter;
pub mod graph;
pub mod importer;
pub mod limits;
pub mod lints;
pub mod lower;
pub mod lsp;
pub mod prove;
pub mod source;
pub mod stack_reader;
// Public only so that tests/costs.rs can count the comparisons "did you
// mean" makes (work, not time); not part of the API.
#[doc(hidden)]
pub mod suggest;
pub mod syntax;
mod use_files;
pub mod vocabulary;

pub use check::Target;
pub use emit::Format;

use diag::{Diagnostic, Severity, Sources, ToDiagnostic};

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
    /// Also prove the isolation every `$<sub>` folder implies (`idpc
    /// check`); the program's `expect` lines are always proven.
    pub prove_implied: bool,
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
    /// define (logical ID, CloudFormation type), then its parameters and
    /// conditions (name, `Parameter` or `Condition`); empty on errors.
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
            return (None, vec![err.to_diagnostic()], None, Vec::new());
        }
    };
    let file = sources.add(name, syntax::shown(text));
    let parsed = match syntax::parse(text, file) {
        Ok(parsed) => parsed,
        Err(err) => return (None, vec![err.to_diagnostic()], None, Vec::new()),
    };
    if let Some(over) = limits::check(parsed.program()) {
        return (None, vec![over.to_diagnostic()], Some(file), Vec::new());
    }
    let imports = use_files::read(parsed.program(), name, options.base_dir.as_deref(), sources);
    let mut diagnostics = imports.diagnostics;
    let inputs = imports.files;
    if diagnostics.iter().any(|d| d.severity() == Severity::Error) {
        return (None, diagnostics, Some(file), inputs);
    }
    let report = check::check_consuming(parsed, options.target, &imports.imports);
    diagnostics.extend(report.problems.iter().map(|problem| {
        let diagnostic = problem.to_diagnostic();
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
    // The checker consumed the syntax tree, pool by pool, so the tree and
    // the checked program are never both whole in memory (peak memory,
    // BENCHMARKS.md).
    let Some(checked) = report.checked else {
        return (None, diagnostics, Some(file), inputs);
    };
    // The lints judge a valid program; their findings join the checker's,
    // in source order.
    let findings = lints::rules::review(&checked);
    diagnostics.extend(findings.iter().map(|finding| finding.to_diagnostic()));
    let proofs = prove::report::diagnostics(&checked, options.prove_implied, &diagnostics);
    if !findings.is_empty() || !proofs.is_empty() {
        diagnostics.extend(proofs);
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
///
/// The output is one string; [`build`] writes it to a file instead, as it
/// is produced.
pub fn compile(name: &str, bytes: &[u8], options: &Options, sources: &mut Sources) -> Compiled {
    let Build {
        mut compiled,
        output,
    } = build(name, bytes, options, sources);
    let Some(output) = output else {
        return compiled;
    };
    let mut text = Vec::new();
    let written = output.write_to(&mut text).map_err(|err| match err {
        WriteError::Internal(diagnostic) => diagnostic,
        WriteError::Io(err) => output_bug(err),
    });
    match written.and_then(|()| String::from_utf8(text).map_err(output_bug)) {
        Ok(text) => compiled.output = Some(text),
        Err(diagnostic) => {
            compiled.diagnostics.push(diagnostic);
            compiled.external.clear();
        }
    }
    compiled
}

/// The result of [`build`]: [`compile`]'s, but with the output still to be
/// written.
#[derive(Debug)]
pub struct Build {
    /// The diagnostics, suppressions, resources of the stack and inputs,
    /// as [`compile`] gives them, but no `output`: that is [`Build::output`]'s.
    pub compiled: Compiled,
    /// The program to write, present exactly when no diagnostic is an error.
    pub output: Option<Output>,
}

/// A program that compiled, ready to be written out.
#[derive(Debug)]
pub struct Output {
    checked: check::Checked,
    target: Target,
    format: Format,
    header: String,
}

/// Why [`Output::write_to`] failed.
#[derive(Debug)]
pub enum WriteError {
    /// The writer's own error.
    Io(std::io::Error),
    /// The program could not be lowered or serialized: an idpc bug (E0902),
    /// reported, never a panic.
    Internal(Diagnostic),
}

impl Output {
    /// Lowers the program and writes its YAML or JSON to `out` one item at
    /// a time, so neither the whole CloudFormation model nor the whole text
    /// is ever in memory (`out` should be buffered). The text is what
    /// [`compile`] gives. On an error, what was written is incomplete.
    pub fn write_to(&self, out: &mut dyn std::io::Write) -> Result<(), WriteError> {
        emit::write_program(&self.checked, self.target, self.format, &self.header, out).map_err(
            |err| match err {
                emit::WriteError::Io(err) => WriteError::Io(err),
                emit::WriteError::Duplicate(duplicate) => {
                    WriteError::Internal(duplicate.to_diagnostic())
                }
                emit::WriteError::Emit(err) => WriteError::Internal(output_bug(err.0)),
            },
        )
    }
}

/// E0902 for output that could not be serialized.
fn output_bug(err: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::unlabelled(
        diag::Code::E0902,
        format!("the output could not be serialized: {err}"),
    )
}

/// Reads, parses, checks and reviews a program as [`compile`] does, but
/// leaves the output to be written by [`Output::write_to`]: into a file as
/// it is produced, or nowhere (`idpc check` still lowers and serializes,
/// to report what [`compile`] would).
pub fn build(name: &str, bytes: &[u8], options: &Options, sources: &mut Sources) -> Build {
    let CheckedProgram {
        checked,
        diagnostics,
        suppressed,
        inputs,
    } = check_program(name, bytes, options, sources);
    let mut compiled = Compiled {
        output: None,
        diagnostics,
        suppressed,
        external: Vec::new(),
        inputs,
    };
    let Some(mut checked) = checked else {
        return Build {
            compiled,
            output: None,
        };
    };
    compiled.external = std::mem::take(&mut checked.external);
    let header = format!(
        "{} Edit that file, not this one.",
        generated_from(file_label(name))
    );
    Build {
        compiled,
        output: Some(Output {
            checked,
            target: options.target,
            format: options.format,
            header,
        }),
    }
}

/// The first words of the header idpc writes at the top of its YAML output
/// for the program `file` (a name without directories). Reading a stack,
/// `use_files` recognises the program's own output by them.
pub(crate) fn generated_from(file: &str) -> String {
    format!("Generated by idpc from {file}.")
}

/// The file's name without its directories, so output is the same whichever
/// directory the build runs from.
fn file_label(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}
