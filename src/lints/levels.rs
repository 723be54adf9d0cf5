//! `idpc.toml`, the project file: per-code lint levels.
//!
//! ```toml
//! [lints]
//! W0401 = "allow"   # drop it
//! W0402 = "deny"    # make it an error
//! ```
//!
//! The file next to the program, or in the nearest directory above it,
//! applies. Every mistake in it is an error pointing into it: a CI gate
//! configured by a misspelt code would otherwise be silently weaker.

use super::{Level, LevelOrigin, LintLevels};
use crate::diag::{Code, Diagnostic, FileId, Sources};
use crate::suggest::did_you_mean;
use crate::syntax::ast::Span;
use std::path::{Path, PathBuf};
use toml::de::{DeTable, DeValue};

/// The project file's name.
pub const CONFIG_FILE: &str = "idpc.toml";

/// The tables `idpc.toml` may have.
const TABLES: [&str; 1] = ["lints"];

/// The `idpc.toml` that applies to a program in `dir`: in `dir` or the
/// nearest directory above it.
pub fn find_config(dir: &Path) -> Option<PathBuf> {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    // Canonical, so `..` goes up the real tree rather than back through
    // the directory it names.
    let start = std::fs::canonicalize(dir).ok()?;
    // Anything but a directory: a FIFO or a device named `idpc.toml` is
    // found, and refused when read, rather than skipped for one above.
    start
        .ancestors()
        .map(|dir| dir.join(CONFIG_FILE))
        .find(|candidate| candidate.metadata().is_ok_and(|m| !m.is_dir()))
}

/// Reads `idpc.toml` (shown as `name`), adding it to `sources`. Returns the
/// levels it sets correctly and a diagnostic for each mistake.
pub fn read_config(name: &str, text: &str, sources: &mut Sources) -> (LintLevels, Vec<Diagnostic>) {
    let file = sources.add(name, text);
    let mut levels = LintLevels::new();
    let mut problems = Vec::new();
    let document = match DeTable::parse(text) {
        Ok(document) => document,
        Err(err) => {
            let span = err
                .span()
                .map_or(Span::new(file, 0, 0), |range| span_of(file, range));
            let message = err.message().trim_end().to_string();
            problems.push(
                Diagnostic::new(Code::E0501, format!("`{name}` is not valid TOML"), span)
                    .with_label(message)
                    .with_help("fix the TOML; `idpc explain E0501` shows the file's format"),
            );
            return (levels, problems);
        }
    };
    let mut tables: Vec<_> = document.get_ref().iter().collect();
    tables.sort_by_key(|(key, _)| key.span().start);
    for (key, value) in tables {
        let key_span = span_of(file, key.span());
        match key.get_ref().as_ref() {
            "lints" => match value.get_ref() {
                DeValue::Table(lints) => read_lints(lints, file, &mut levels, &mut problems),
                other => problems.push(
                    Diagnostic::new(
                        Code::E0502,
                        format!("`lints` must be a table, not {}", other.type_str()),
                        span_of(file, value.span()),
                    )
                    .with_label("expected `[lints]` with `CODE = \"level\"` entries")
                    .with_help(
                        "write `[lints]` on its own line, then one `W0401 = \"allow\"` per line",
                    ),
                ),
            },
            unknown => {
                let what = match value.get_ref() {
                    DeValue::Table(_) => "table",
                    _ => "key",
                };
                let diagnostic = Diagnostic::new(
                    Code::E0502,
                    format!("`{CONFIG_FILE}` has no {what} `{unknown}`"),
                    key_span,
                )
                .with_label(format!("unknown {what}"));
                problems.push(match did_you_mean(unknown, TABLES) {
                    Some(close) => diagnostic.with_help(format!("did you mean `{close}`?")),
                    None => diagnostic
                        .with_help("the only table is `[lints]`, with `CODE = \"level\"` entries"),
                });
            }
        }
    }
    (levels, problems)
}

/// The entries of `[lints]`.
fn read_lints(
    lints: &DeTable<'_>,
    file: FileId,
    levels: &mut LintLevels,
    problems: &mut Vec<Diagnostic>,
) {
    let mut entries: Vec<_> = lints.iter().collect();
    entries.sort_by_key(|(key, _)| key.span().start);
    for (key, value) in entries {
        let written = key.get_ref().as_ref();
        let key_span = span_of(file, key.span());
        let value_span = span_of(file, value.span());
        let code = match lint_code(written, key_span) {
            Ok(code) => code,
            Err(diagnostic) => {
                problems.push(diagnostic);
                continue;
            }
        };
        let level = match lint_level(value.get_ref(), written, value_span) {
            Ok(level) => level,
            Err(diagnostic) => {
                problems.push(diagnostic);
                continue;
            }
        };
        let origin = LevelOrigin {
            span: key_span.to(value_span),
        };
        if !levels.set_from(code, level, Some(origin)) {
            problems.push(
                Diagnostic::new(
                    Code::E0505,
                    format!(
                        "`{code}` is an error and cannot be lowered to \"{}\"",
                        level.as_str()
                    ),
                    value_span,
                )
                .with_label("errors stay errors")
                .with_help(format!(
                    "fix the program instead (`idpc explain {code}`), and remove this line"
                )),
            );
        }
    }
}

/// The diagnostic code a `[lints]` key names, or E0503 if it names none
/// (a code `Code::parse` reads but spelled otherwise gets its spelling as help).
fn lint_code(written: &str, key_span: Span) -> Result<Code, Diagnostic> {
    if let Some(code) = Code::parse(written).filter(|code| code.as_str() == written) {
        return Ok(code);
    }
    let diagnostic = Diagnostic::new(
        Code::E0503,
        format!("unknown diagnostic code `{written}`"),
        key_span,
    )
    .with_label("no diagnostic has this code");
    let close = Code::parse(written)
        .map(|code| code.as_str().to_string())
        .or_else(|| did_you_mean(written, Code::ALL.iter().map(|c| c.as_str())));
    Err(match close {
        Some(close) => diagnostic.with_help(format!("did you mean `{close}`?")),
        None => diagnostic.with_help("`idpc explain` lists every code"),
    })
}

/// The level a `[lints]` entry sets, or E0504 if its value is no level.
fn lint_level(value: &DeValue<'_>, written: &str, value_span: Span) -> Result<Level, Diagnostic> {
    match value {
        DeValue::String(text) => match Level::parse(text) {
            Some(level) => Ok(level),
            None => {
                let diagnostic = Diagnostic::new(
                    Code::E0504,
                    format!("`{text}` is not a lint level"),
                    value_span,
                )
                .with_label("expected \"allow\", \"warn\" or \"deny\"");
                let close = did_you_mean(text, ["allow", "warn", "deny"]);
                Err(match close {
                    Some(close) => diagnostic.with_help(format!("did you mean `\"{close}\"`?")),
                    None => diagnostic.with_help(
                        "\"allow\" drops it, \"warn\" shows it as a warning, \"deny\" makes it an error",
                    ),
                })
            }
        },
        other => Err(Diagnostic::new(
            Code::E0504,
            format!("a lint level is a string, not {}", other.type_str()),
            value_span,
        )
        .with_label("expected \"allow\", \"warn\" or \"deny\"")
        .with_help(format!(
            "write `{written} = \"deny\"` (or \"allow\", \"warn\")"
        ))),
    }
}

fn span_of(file: FileId, range: std::ops::Range<usize>) -> Span {
    Span::new(file, range.start, range.end)
}

#[cfg(test)]
mod tests {
    use super::read_config;
    use crate::diag::{Code, Sources};
    use crate::lints::Level;

    fn read(text: &str) -> (crate::lints::LintLevels, Vec<(Code, String)>) {
        let (levels, problems) = read_config("idpc.toml", text, &mut Sources::new());
        let problems = problems
            .iter()
            .map(|d| {
                let span = d.labels[0].span;
                (d.code, text[span.start..span.end].to_string())
            })
            .collect();
        (levels, problems)
    }

    #[test]
    fn reads_levels() {
        let (levels, problems) = read("[lints]\nW0101 = \"allow\"\nW0401 = \"deny\"\n");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(levels.get(Code::W0101), Some(Level::Allow));
        assert_eq!(levels.get(Code::W0401), Some(Level::Deny));
        assert_eq!(levels.get(Code::W0402), None);
    }

    #[test]
    fn points_at_each_mistake() {
        let (levels, problems) = read(
            "[lints]\nW0104 = \"allow\"\nW0401 = \"denied\"\nE0101 = \"warn\"\nW0402 = 1\n[lint]\n",
        );
        assert_eq!(
            problems,
            [
                (Code::E0503, "W0104".to_string()),
                (Code::E0504, "\"denied\"".to_string()),
                (Code::E0505, "\"warn\"".to_string()),
                (Code::E0504, "1".to_string()),
                (Code::E0502, "lint".to_string()),
            ]
        );
        assert!(levels.is_empty());
    }

    #[test]
    fn deny_on_an_error_is_accepted() {
        let (_, problems) = read("[lints]\nE0101 = \"deny\"\n");
        assert!(problems.is_empty(), "{problems:?}");
    }
}
