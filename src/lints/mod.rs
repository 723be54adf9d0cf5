//! How strict a build is: per-code lint levels (`idpc.toml`, or given by a
//! library user) and `# idpc: allow(...) reason: ...` suppression comments.
//!
//! Both act after the pipeline has reported, on the finished list of
//! diagnostics: the checker reports everything it finds, and this module
//! decides what is shown, as what, and what stops the build. Suppression
//! comments act first (the most specific), then the levels.

pub mod levels;
pub(crate) mod rules;
// The table of AWS's per-identity stores, pinned to its sources by
// tests/aws_facts.rs; not part of the API.
#[doc(hidden)]
pub use rules::PER_IDENTITY_STORES;
pub(crate) mod suppress;

pub use levels::{CONFIG_FILE, find_config, read_config};

use crate::diag::{Code, Diagnostic, FileId, Severity};
use crate::syntax::ast::Span;
use std::collections::BTreeMap;

/// What to do with the diagnostics of one code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Level {
    /// Drop them.
    Allow,
    /// Show them as warnings (also raises a note to a warning).
    Warn,
    /// Make them errors: the build fails and writes nothing.
    Deny,
}

impl Level {
    /// The level as written in `idpc.toml`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Allow => "allow",
            Level::Warn => "warn",
            Level::Deny => "deny",
        }
    }

    /// Reads a level as written in `idpc.toml`.
    pub fn parse(text: &str) -> Option<Level> {
        [Level::Allow, Level::Warn, Level::Deny]
            .into_iter()
            .find(|level| level.as_str() == text)
    }
}

/// Where a level was set: shown in a note on each diagnostic it changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LevelOrigin {
    /// The `CODE = "level"` entry, in its file (e.g. `idpc.toml`).
    pub span: Span,
}

/// Per-code lint levels. Codes without a level keep their own severity.
///
/// Only warnings and notes can be given a level: an error stays an error
/// (`set` refuses it; `idpc.toml` reports it as E0505).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LintLevels {
    levels: BTreeMap<Code, (Level, Option<LevelOrigin>)>,
}

impl LintLevels {
    /// No levels: every code keeps its own severity.
    pub fn new() -> LintLevels {
        LintLevels::default()
    }

    /// Sets the level of a warning or note code. Returns `false`, setting
    /// nothing, for an error code given anything but `deny` (an error
    /// cannot be lowered; `deny` leaves it as it is).
    pub fn set(&mut self, code: Code, level: Level) -> bool {
        self.set_from(code, level, None)
    }

    /// [`LintLevels::set`], remembering where the level was written.
    pub fn set_from(&mut self, code: Code, level: Level, origin: Option<LevelOrigin>) -> bool {
        if code.severity() == Severity::Error {
            return level == Level::Deny;
        }
        self.levels.insert(code, (level, origin));
        true
    }

    /// The level set for `code`, if any.
    pub fn get(&self, code: Code) -> Option<Level> {
        self.levels.get(&code).map(|(level, _)| *level)
    }

    /// Whether no level is set.
    pub fn is_empty(&self) -> bool {
        self.levels.is_empty()
    }

    /// Applies the levels: drops allowed diagnostics (returned apart, for
    /// reports that list suppressed results) and changes the severity of
    /// the others.
    pub fn apply(&self, diagnostics: Vec<Diagnostic>) -> (Vec<Diagnostic>, Vec<Suppressed>) {
        if self.levels.is_empty() {
            return (diagnostics, Vec::new());
        }
        let mut kept = Vec::with_capacity(diagnostics.len());
        let mut dropped = Vec::new();
        for diagnostic in diagnostics {
            let Some((level, origin)) = self.levels.get(&diagnostic.code) else {
                kept.push(diagnostic);
                continue;
            };
            let severity = match level {
                Level::Allow => {
                    dropped.push(Suppressed {
                        diagnostic,
                        by: SuppressedBy::Level,
                    });
                    continue;
                }
                Level::Warn => Severity::Warning,
                Level::Deny => Severity::Error,
            };
            let code = diagnostic.code;
            let changed = severity != code.severity();
            let mut diagnostic = diagnostic.with_severity(severity);
            if changed {
                let note = format!(
                    "`{} = \"{}\"` makes this {}",
                    code,
                    level.as_str(),
                    match severity {
                        Severity::Error => "an error",
                        _ => "a warning",
                    }
                );
                diagnostic = match origin {
                    Some(origin) => diagnostic
                        .with_secondary(origin.span, format!("the level of `{code}` is set here")),
                    None => diagnostic,
                }
                .with_note(note);
            }
            kept.push(diagnostic);
        }
        (kept, dropped)
    }
}

/// A diagnostic that was not shown, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppressed {
    /// The diagnostic as it would have been shown.
    pub diagnostic: Diagnostic,
    /// What suppressed it.
    pub by: SuppressedBy,
}

/// What suppressed a diagnostic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SuppressedBy {
    /// A `# idpc: allow(...) reason: ...` comment in the program, with its
    /// reason (empty when it gave none).
    Comment {
        /// The reason as written.
        reason: String,
    },
    /// An `allow` lint level (`idpc.toml` or the library's options).
    Level,
}

/// Applies the program's suppression comments, then `levels`, to the
/// diagnostics of a compiled program. `text` is the program (file
/// `file`), `None` when it could not be parsed (then there is nothing to
/// suppress by comment). Returns what stays shown, with the suppression
/// comments' own warnings, and what was suppressed.
pub fn apply(
    diagnostics: Vec<Diagnostic>,
    program: Option<(FileId, &str)>,
    levels: &LintLevels,
) -> (Vec<Diagnostic>, Vec<Suppressed>) {
    let (diagnostics, mut suppressed) = match program {
        Some((file, text)) => suppress::apply(diagnostics, file, text),
        None => (diagnostics, Vec::new()),
    };
    let (shown, allowed) = levels.apply(diagnostics);
    suppressed.extend(allowed);
    (shown, suppressed)
}
