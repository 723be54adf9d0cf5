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
//! rustc-style diagnostics.

pub mod catalog;
pub mod cfn;
pub mod check;
pub mod cli;
pub mod diag;
pub mod emit;
mod imports;
pub mod lower;
pub mod stack;
pub mod suggest;
pub mod syntax;

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
}

/// The result of [`compile`].
#[derive(Debug)]
pub struct Compiled {
    /// The output text, present exactly when no diagnostic is an error.
    pub output: Option<String>,
    /// Every diagnostic, errors and warnings, in source order.
    pub diagnostics: Vec<Diagnostic>,
    /// The resources the program refers to that the rest of the stack must
    /// define (logical ID, CloudFormation type); empty on errors.
    pub external: Vec<(String, String)>,
}

impl Compiled {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity() == Severity::Error)
    }

    /// Whether any diagnostic is a warning.
    pub fn has_warnings(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity() == Severity::Warning)
    }
}

/// Runs the whole pipeline on a program's bytes. `name` is how the file is
/// shown in diagnostics and in the output's header; the file is added to
/// `sources` so diagnostics can be rendered.
pub fn compile(name: &str, bytes: &[u8], options: &Options, sources: &mut Sources) -> Compiled {
    let failed = |diagnostics| Compiled {
        output: None,
        diagnostics,
        external: Vec::new(),
    };
    let text = match syntax::decode(bytes) {
        Ok(text) => text,
        Err(err) => {
            let file = sources.add(name, "");
            return failed(vec![diag::from_parse(&err, file)]);
        }
    };
    let file = sources.add(name, text);
    let parsed = match syntax::parse(text) {
        Ok(parsed) => parsed,
        Err(err) => return failed(vec![diag::from_parse(&err, file)]),
    };
    let imports = imports::read(
        &parsed.program,
        file,
        name,
        options.base_dir.as_deref(),
        sources,
    );
    let mut diagnostics = imports.diagnostics;
    if diagnostics.iter().any(|d| d.severity() == Severity::Error) {
        return failed(diagnostics);
    }
    let report = check::check_with_imports(&parsed, options.target, &imports.imports);
    diagnostics.extend(report.problems.iter().map(|problem| {
        let diagnostic = diag::from_check(problem, file);
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
    let Some(mut checked) = report.checked else {
        return failed(diagnostics);
    };
    let template = lower::lower(&checked, options.target);
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
            external,
        },
        Err(err) => {
            diagnostics.push(Diagnostic::unlabelled(
                diag::Code::E0902,
                format!("the output could not be serialized: {}", err.0),
            ));
            failed(diagnostics)
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
