//! Diagnostics as you type: exactly `idpc check`'s (the same library call,
//! the `idpc.toml` beside the program, its suppression comments), turned
//! into the protocol's, one list per file they point into.

use super::text::{LineIndex, normalize};
use crate::diag::{Code, Diagnostic, FileId, Label, Severity, Sources};
use crate::{Build, Options, WriteError};
use lsp_types as lt;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// The largest program checked, as `idpc check` reads at most 16 MiB.
pub(crate) const MAX_PROGRAM_BYTES: usize = 16 * 1024 * 1024;

/// The file a diagnostic is published for.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Target {
    /// The program being edited.
    Program,
    /// A file it reads (a stack file, `idpc.toml`), by path.
    File(PathBuf),
}

/// Quick fixes a diagnostic offers, carried in its `data` (clients hand
/// it back with a code action request).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Fixes {
    /// The help's "did you mean `X`?": the text to write instead of the
    /// underlined one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub replacement: Option<String>,
    /// A suppression comment can silence it.
    #[serde(default)]
    pub suppressible: bool,
}

/// Checks the program `text` (the file at `path`, when it has one) as
/// `idpc check` does, and returns its diagnostics per file.
pub(crate) fn check(path: Option<&Path>, text: &str) -> BTreeMap<Target, Vec<lt::Diagnostic>> {
    let mut out = BTreeMap::new();
    out.insert(Target::Program, Vec::new());
    if text.len() > MAX_PROGRAM_BYTES {
        let message = format!(
            "idpc reads programs of at most {MAX_PROGRAM_BYTES} bytes; this one has {}",
            text.len()
        );
        out.insert(Target::Program, vec![plain(Code::E0901, message)]);
        return out;
    }
    let (diagnostics, sources, program_name) = run(path, text);
    let mut files = Files {
        sources: &sources,
        program: &program_name,
        lines: HashMap::new(),
    };
    for diagnostic in &diagnostics {
        let (target, converted) = convert(diagnostic, &mut files);
        out.entry(target).or_default().push(converted);
    }
    out
}

/// Runs `idpc check`'s library calls; returns the diagnostics, the files
/// they point into, and the name the program has among them.
fn run(path: Option<&Path>, text: &str) -> (Vec<Diagnostic>, Sources, String) {
    let mut sources = Sources::new();
    let name = path.map_or_else(|| "untitled.idp".to_string(), |p| p.display().to_string());
    let base_dir = path.map(|p| p.parent().unwrap_or(Path::new("")).to_path_buf());
    let (lints, config_problems) = match base_dir.as_deref().and_then(crate::lints::find_config) {
        Some(config) => read_config(&config, &mut sources),
        None => (crate::lints::LintLevels::new(), Vec::new()),
    };
    let options = Options {
        base_dir,
        lints,
        prove_implied: true,
        ..Options::default()
    };
    let Build {
        mut compiled,
        output,
    } = crate::build(&name, text.as_bytes(), &options, &mut sources);
    // As `idpc check`: the output is lowered and serialized into nothing,
    // to report what `idpc build` would.
    if let Some(output) = output
        && let Err(err) = output.write_to(&mut std::io::sink())
    {
        compiled.diagnostics.push(match err {
            WriteError::Internal(diagnostic) => diagnostic,
            WriteError::Io(err) => Diagnostic::unlabelled(Code::E0902, err.to_string()),
        });
    }
    let mut diagnostics = config_problems;
    diagnostics.extend(compiled.diagnostics);
    (diagnostics, sources, name)
}

/// The levels of an `idpc.toml`, and its mistakes; an unreadable one is one
/// mistake (E0901), as `idpc check` reports it.
fn read_config(path: &Path, sources: &mut Sources) -> (crate::lints::LintLevels, Vec<Diagnostic>) {
    let shown = path.display().to_string();
    let text = crate::files::read_regular(path, MAX_PROGRAM_BYTES as u64)
        .map_err(|err| err.reason("`idpc.toml` files"))
        .and_then(|(bytes, _)| String::from_utf8(bytes).map_err(|_| "it is not UTF-8".to_string()));
    match text {
        Ok(text) => crate::lints::read_config(&shown, &text, sources),
        Err(reason) => (
            crate::lints::LintLevels::new(),
            vec![Diagnostic::unlabelled(
                Code::E0901,
                format!("cannot read `{shown}`: {reason}"),
            )],
        ),
    }
}

/// A diagnostic at the start of the program.
fn plain(code: Code, message: String) -> lt::Diagnostic {
    lt::Diagnostic {
        range: lt::Range::default(),
        severity: Some(severity(code.severity())),
        code: Some(lt::NumberOrString::String(code.as_str().to_string())),
        source: Some("idpc".to_string()),
        message,
        ..lt::Diagnostic::default()
    }
}

fn severity(severity: Severity) -> lt::DiagnosticSeverity {
    match severity {
        Severity::Error => lt::DiagnosticSeverity::ERROR,
        Severity::Warning => lt::DiagnosticSeverity::WARNING,
        Severity::Note => lt::DiagnosticSeverity::INFORMATION,
    }
}

/// The files diagnostics point into, each indexed by lines once.
struct Files<'s> {
    sources: &'s Sources,
    /// The program's name among them.
    program: &'s str,
    lines: HashMap<FileId, LineIndex<'s>>,
}

impl Files<'_> {
    /// Where a label is: its file as a target, and its range there.
    fn locate(&mut self, label: &Label) -> Option<(Target, lt::Range)> {
        if label.span.is_synthetic() {
            return None;
        }
        let file = label.span.file;
        let sources = self.sources;
        let index = self
            .lines
            .entry(file)
            .or_insert_with(|| LineIndex::new(sources.text(file)));
        let range = index.range(label.span.start, label.span.end);
        let name = sources.name(file);
        let target = if name == self.program {
            Target::Program
        } else {
            Target::File(normalize(Path::new(name)))
        };
        Some((target, range))
    }
}

/// The protocol's diagnostic, and the file it belongs to: its primary
/// label's (the program for a diagnostic without one).
fn convert(diagnostic: &Diagnostic, files: &mut Files<'_>) -> (Target, lt::Diagnostic) {
    let primary = diagnostic.primary().and_then(|l| files.locate(l));
    let (target, range) = primary.unwrap_or((Target::Program, lt::Range::default()));
    let mut message = diagnostic.message.clone();
    if let Some(label) = diagnostic.primary().filter(|l| !l.message.is_empty()) {
        message.push_str(&format!("\n{}", label.message));
    }
    for note in &diagnostic.notes {
        message.push_str(&format!("\nnote: {note}"));
    }
    if let Some(help) = &diagnostic.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    let related: Vec<lt::DiagnosticRelatedInformation> = diagnostic
        .labels
        .iter()
        .filter(|l| !l.primary)
        .filter_map(|label| {
            let (target, range) = files.locate(label)?;
            let uri = match target {
                Target::Program => super::text::path_to_uri(Path::new(files.program))?,
                Target::File(path) => super::text::path_to_uri(&path)?,
            };
            Some(lt::DiagnosticRelatedInformation {
                location: lt::Location::new(uri, range),
                message: label.message.clone(),
            })
        })
        .collect();
    let fixes = Fixes {
        replacement: diagnostic.help.as_deref().and_then(did_you_mean),
        suppressible: diagnostic.code.comment_suppressible()
            && diagnostic.severity() != Severity::Error,
    };
    let converted = lt::Diagnostic {
        range,
        severity: Some(severity(diagnostic.severity())),
        code: Some(lt::NumberOrString::String(
            diagnostic.code.as_str().to_string(),
        )),
        source: Some("idpc".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        data: serde_json::to_value(fixes).ok(),
        ..lt::Diagnostic::default()
    };
    (target, converted)
}

/// The `X` of a help that is exactly "did you mean `X`?".
pub(crate) fn did_you_mean(help: &str) -> Option<String> {
    let inner = help.strip_prefix("did you mean `")?.strip_suffix("`?")?;
    (!inner.contains('`')).then(|| inner.to_string())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn did_you_mean_is_read_from_the_help() {
        assert_eq!(
            did_you_mean("did you mean `Files`?").as_deref(),
            Some("Files")
        );
        assert_eq!(did_you_mean("did you mean an action like `s3:Get`?"), None);
    }

    #[test]
    fn positions_are_utf16_after_a_non_ascii_comment() {
        let text = "# tenant's bucket — café 𝄞\nuse bucket Files\nidentity_pool P {\n  authenticated role {\n    allow s3:GetObject on \"arn:aws:s3:::café𝄞/*\", Filez/*\n  }\n}\n";
        let out = check(None, text);
        let diagnostics = &out[&Target::Program];
        let unknown = diagnostics
            .iter()
            .find(|d| d.code == Some(lt::NumberOrString::String("E0101".into())))
            .unwrap();
        // Line 4 is `    allow s3:GetObject on "arn:aws:s3:::café𝄞/*", Filez/*`:
        // `é` is one UTF-16 unit (two bytes), `𝄞` two (four bytes).
        assert_eq!(unknown.range.start, lt::Position::new(4, 51));
        assert_eq!(unknown.range.end, lt::Position::new(4, 56));
        let fixes: Fixes = serde_json::from_value(unknown.data.clone().unwrap()).unwrap();
        assert_eq!(fixes.replacement.as_deref(), Some("Files"));
    }
}
