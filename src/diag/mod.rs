//! Diagnostics: codes, and rendering.
//!
//! Each stage reports its own error type (`syntax::ParseError`,
//! `check::CheckError`, the lints' `Finding`, ...) and words it next to its
//! definition, through [`ToDiagnostic`]; this module only knows the codes
//! and renders [`Diagnostic`]s like rustc's (through codespan-reporting), as
//! JSON lines or as SARIF. It uses no stage.

pub mod codes;
mod sarif;
mod words;

pub use codes::{Code, Severity};
pub use sarif::{SuppressedResult, render_sarif};
pub use words::{one_of, one_of_and, quoted_list};

use crate::source::Span;
use codespan_reporting::diagnostic as cs;
use codespan_reporting::term;
use serde::Serialize;

pub use crate::source::{FileId, Sources};

/// A stage's problem that says itself: its code (which fixes its
/// severity), message, labels, notes and help, worded next to where the
/// problem is defined.
pub trait ToDiagnostic {
    /// The code it is reported under.
    fn code(&self) -> Code;

    /// The diagnostic, pointing where the problem is (its spans know their
    /// file).
    fn to_diagnostic(&self) -> Diagnostic;
}

/// A labelled span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// The text it underlines, in its file.
    pub span: Span,
    /// What it says about that text (may be empty).
    pub message: String,
    /// Whether this is the fault itself (`^^^`) or context (`---`).
    pub primary: bool,
}

impl Label {
    /// A label on `span`: the fault itself when `primary`, else context.
    pub fn new(span: Span, message: impl Into<String>, primary: bool) -> Label {
        Label {
            span,
            message: message.into(),
            primary,
        }
    }

    /// The fault itself (`^^^`) at `span`.
    pub fn primary(span: Span, message: impl Into<String>) -> Label {
        Label::new(span, message, true)
    }

    /// Context (`---`) at `span`.
    pub fn secondary(span: Span, message: impl Into<String>) -> Label {
        Label::new(span, message, false)
    }
}

/// A message for the user, with a stable code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The code, which also fixes the severity.
    pub code: Code,
    /// The headline.
    pub message: String,
    /// Primary label first, then context.
    pub labels: Vec<Label>,
    /// Extra facts (`= note: ...`).
    pub notes: Vec<String>,
    /// How to fix it (`= help: ...`).
    pub help: Option<String>,
    /// The severity a lint level gave it (`idpc.toml`), if not the code's own.
    level: Option<Severity>,
}

impl Diagnostic {
    /// A diagnostic with a primary label.
    pub fn new(code: Code, message: impl Into<String>, span: Span) -> Diagnostic {
        Diagnostic {
            code,
            message: message.into(),
            labels: vec![Label::primary(span, "")],
            notes: Vec::new(),
            help: None,
            level: None,
        }
    }

    /// A diagnostic about no text in particular (an unreadable file).
    pub fn unlabelled(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            message: message.into(),
            labels: Vec::new(),
            notes: Vec::new(),
            help: None,
            level: None,
        }
    }

    /// Sets the primary label's text.
    pub fn with_label(mut self, message: impl Into<String>) -> Diagnostic {
        if let Some(label) = self.labels.first_mut() {
            label.message = message.into();
        }
        self
    }

    /// Adds a context label.
    pub fn with_secondary(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label::secondary(span, message));
        self
    }

    /// Adds a label made elsewhere (a primary one, for a diagnostic made
    /// [`Diagnostic::unlabelled`]).
    pub fn with_labelled(mut self, label: Label) -> Diagnostic {
        self.labels.push(label);
        self
    }

    /// Adds a note.
    pub fn with_note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    /// Sets the help.
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Whether it is an error, a warning or a note: the code's own
    /// severity unless a lint level changed it.
    pub fn severity(&self) -> Severity {
        self.level.unwrap_or(self.code.severity())
    }

    /// Shows it with another severity (a lint level of `idpc.toml`).
    pub fn with_severity(mut self, severity: Severity) -> Diagnostic {
        self.level = (severity != self.code.severity()).then_some(severity);
        self
    }

    /// Its primary label, if it has one.
    pub fn primary(&self) -> Option<&Label> {
        self.labels.iter().find(|label| label.primary)
    }

    fn to_codespan(&self) -> cs::Diagnostic<FileId> {
        let base = match self.severity() {
            Severity::Error => cs::Diagnostic::error(),
            Severity::Warning => cs::Diagnostic::warning(),
            Severity::Note => cs::Diagnostic::note(),
        };
        // A synthetic span is in no file: nothing to underline.
        let labels = self
            .labels
            .iter()
            .filter(|label| !label.span.is_synthetic())
            .map(|label| {
                let range = label.span.range();
                let l = if label.primary {
                    cs::Label::primary(label.span.file, range)
                } else {
                    cs::Label::secondary(label.span.file, range)
                };
                l.with_message(label.message.clone())
            })
            .collect();
        let mut notes = self.notes.clone();
        if let Some(help) = &self.help {
            notes.push(format!("help: {help}"));
        }
        base.with_code(self.code.as_str())
            .with_message(self.message.clone())
            .with_labels(labels)
            .with_notes(notes)
    }
}

/// How diagnostics are shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ErrorFormat {
    /// rustc-like text with source snippets.
    #[default]
    Human,
    /// One JSON object per line.
    Json,
    /// One SARIF 2.1.0 log.
    Sarif,
}

/// At most this many diagnostics are shown; the rest are counted.
pub const MAX_SHOWN: usize = 50;

/// At most this many diagnostics are listed in JSON and SARIF (machines
/// read more than people, but 10,000 diagnostics made 8.5 MB of SARIF);
/// the rest are counted in a summary: a last JSON line, a SARIF
/// notification.
pub const MAX_LISTED: usize = 1000;

/// "N more diagnostics (E errors, W warnings) are not listed", for what
/// JSON and SARIF leave out past [`MAX_LISTED`].
pub(crate) fn not_listed<'a>(left_out: impl IntoIterator<Item = &'a Diagnostic>) -> String {
    let mut counts = [0usize; 3];
    for diagnostic in left_out {
        let slot = match diagnostic.severity() {
            Severity::Error => 0,
            Severity::Warning => 1,
            Severity::Note => 2,
        };
        counts[slot] += 1;
    }
    let [errors, warnings, notes] = counts;
    format!(
        "{} more diagnostics are not listed ({errors} errors, {warnings} warnings, {notes} notes): at most {MAX_LISTED} are",
        errors + warnings + notes
    )
}

/// Renders diagnostics as plain text (no colour), as the terminal would
/// show them, followed by a summary line. Used by tests and `--color never`.
pub fn render_plain(diagnostics: &[Diagnostic], sources: &Sources) -> String {
    let mut out = Vec::new();
    let mut writer = term::termcolor::NoColor::new(&mut out);
    render_human(&mut writer, diagnostics, sources);
    String::from_utf8_lossy(&out).into_owned()
}

/// Renders diagnostics rustc-style to a colour-capable writer.
pub fn render_human<W: term::termcolor::WriteColor>(
    writer: &mut W,
    diagnostics: &[Diagnostic],
    sources: &Sources,
) {
    let config = term::Config::default();
    for diagnostic in diagnostics.iter().take(MAX_SHOWN) {
        if let Some(long) = longest_labelled_line(sources, diagnostic) {
            // A snippet would print the whole line and underline all of a
            // label: megabytes of output for a huge name on one line.
            render_without_snippet(writer, diagnostic, sources, long);
            continue;
        }
        let rendered =
            term::emit_to_write_style(writer, &config, sources.files(), &diagnostic.to_codespan());
        if rendered.is_err() {
            // A label outside its file would be a bug; still say the message.
            write_headline(writer, diagnostic);
        }
    }
    let _ = writer.reset();
    if let Some(summary) = summary(diagnostics) {
        let _ = writeln!(writer, "{summary}");
    }
}

/// `error[E0101]: message`, without source.
fn write_headline<W: term::termcolor::WriteColor>(writer: &mut W, diagnostic: &Diagnostic) {
    let _ = writeln!(
        writer,
        "{}[{}]: {}",
        severity_word(diagnostic.severity()),
        diagnostic.code,
        diagnostic.message
    );
}

/// The length of the longest line a label of `diagnostic` touches, if
/// it is longer than [`MAX_SNIPPET_LINE`].
fn longest_labelled_line(sources: &Sources, diagnostic: &Diagnostic) -> Option<usize> {
    let mut longest = None;
    for label in &diagnostic.labels {
        let Ok(f) = sources.files().get(label.span.file) else {
            continue;
        };
        let text = f.source().as_bytes();
        let start = label.span.start.min(text.len());
        let end = label.span.end.clamp(start, text.len());
        let line_start = text[..start]
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |i| i + 1);
        let line_end = text[end..]
            .iter()
            .position(|b| *b == b'\n')
            .map_or(text.len(), |i| end + i);
        let length = text[line_start..line_end]
            .split(|b| *b == b'\n')
            .map(<[u8]>::len)
            .max()
            .unwrap_or(0);
        if length > MAX_SNIPPET_LINE && longest.is_none_or(|l| length > l) {
            longest = Some(length);
        }
    }
    longest
}

/// Source lines longer than this (in bytes) are not shown in snippets.
pub const MAX_SNIPPET_LINE: usize = 1000;

/// A diagnostic whose labels sit on a line too long to show: the header,
/// each label's position and message, the notes and the help, without the
/// source text.
fn render_without_snippet<W: term::termcolor::WriteColor>(
    writer: &mut W,
    diagnostic: &Diagnostic,
    sources: &Sources,
    long: usize,
) {
    write_headline(writer, diagnostic);
    for label in diagnostic.labels.iter().filter(|l| !l.span.is_synthetic()) {
        let (line, column) = sources.line_col(label.span.file, label.span.start);
        let _ = write!(
            writer,
            "  --> {}:{line}:{column}",
            sources.name(label.span.file)
        );
        if !label.message.is_empty() {
            let _ = write!(writer, ": {}", label.message);
        }
        let _ = writeln!(writer);
    }
    let _ = writeln!(
        writer,
        "   = note: the source line is not shown: it is {long} bytes long"
    );
    for note in &diagnostic.notes {
        let _ = writeln!(writer, "   = {note}");
    }
    if let Some(help) = &diagnostic.help {
        let _ = writeln!(writer, "   = help: {help}");
    }
    let _ = writeln!(writer);
}

fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// "2 errors, 1 warning", plus how many were not shown.
pub fn summary(diagnostics: &[Diagnostic]) -> Option<String> {
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity() == Severity::Error)
        .count();
    let warnings = diagnostics
        .iter()
        .filter(|d| d.severity() == Severity::Warning)
        .count();
    let notes = diagnostics.len() - errors - warnings;
    if diagnostics.is_empty() {
        return None;
    }
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut parts = Vec::new();
    if errors > 0 {
        parts.push(plural(errors, "error"));
    }
    if warnings > 0 {
        parts.push(plural(warnings, "warning"));
    }
    if notes > 0 {
        parts.push(plural(notes, "note"));
    }
    let mut line = parts.join(", ");
    if diagnostics.len() > MAX_SHOWN {
        line.push_str(&format!(" ({} not shown)", diagnostics.len() - MAX_SHOWN));
    }
    Some(line)
}

/// The JSON line that ends a capped list: what was left out, counted.
#[derive(Serialize)]
struct JsonSummary<'a> {
    /// Always `true`: tells this line from a diagnostic, which has a `code`.
    summary: bool,
    message: &'a str,
    listed: usize,
    not_listed: usize,
    errors: usize,
    warnings: usize,
    notes: usize,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    severity: &'a str,
    message: &'a str,
    /// Where the primary label is (absent for a diagnostic about no text).
    #[serde(flatten)]
    at: Option<JsonPosition<'a>>,
    labels: Vec<JsonLabel<'a>>,
    notes: &'a [String],
    help: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    #[serde(flatten)]
    at: JsonPosition<'a>,
    start: usize,
    end: usize,
    message: &'a str,
    primary: bool,
}

/// A span as lines and columns (1-based; the end column is the one after
/// the last character).
#[derive(Serialize)]
struct JsonPosition<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

impl<'a> JsonPosition<'a> {
    fn of(label: &Label, sources: &'a Sources) -> JsonPosition<'a> {
        let (line, column) = sources.line_col(label.span.file, label.span.start);
        let (end_line, end_column) = sources.line_col(label.span.file, label.span.end);
        JsonPosition {
            file: sources.name(label.span.file),
            line,
            column,
            end_line,
            end_column,
        }
    }
}

/// Renders diagnostics as JSON lines, one object each, at most
/// [`MAX_LISTED`] of them; past that, a last line `{"summary": true, ...}`
/// counts the rest.
pub fn render_json(diagnostics: &[Diagnostic], sources: &Sources) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics.iter().take(MAX_LISTED) {
        let labels = diagnostic
            .labels
            .iter()
            .filter(|label| !label.span.is_synthetic())
            .map(|label| JsonLabel {
                at: JsonPosition::of(label, sources),
                start: label.span.start,
                end: label.span.end,
                message: &label.message,
                primary: label.primary,
            })
            .collect();
        let json = JsonDiagnostic {
            code: diagnostic.code.as_str(),
            severity: severity_word(diagnostic.severity()),
            message: &diagnostic.message,
            at: diagnostic
                .primary()
                .filter(|label| !label.span.is_synthetic())
                .map(|label| JsonPosition::of(label, sources)),
            labels,
            notes: &diagnostic.notes,
            help: diagnostic.help.as_deref(),
        };
        if let Ok(line) = serde_json::to_string(&json) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    if let Some(left_out) = diagnostics
        .get(MAX_LISTED..)
        .filter(|rest| !rest.is_empty())
    {
        let count = |severity| left_out.iter().filter(|d| d.severity() == severity).count();
        let summary = JsonSummary {
            summary: true,
            message: &not_listed(left_out),
            listed: MAX_LISTED,
            not_listed: left_out.len(),
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            notes: count(Severity::Note),
        };
        if let Ok(line) = serde_json::to_string(&summary) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}
