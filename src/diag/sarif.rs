//! `--error-format sarif`: one SARIF 2.1.0 log for code-scanning tools
//! (GitHub code scanning and others), with a rule for every code.
//!
//! Checked against the official schema in `tests/sarif.rs`.

use super::{Code, Diagnostic, Label, MAX_LISTED, Severity, Sources, not_listed, severity_word};
use serde_json::{Value, json};

/// Where a SARIF viewer sends users to learn about the tool.
const INFORMATION_URI: &str = match option_env!("CARGO_PKG_HOMEPAGE") {
    Some(uri) if !uri.is_empty() => uri,
    _ => "https://crates.io/crates/idpc",
};

/// A diagnostic that was not shown, for the log's suppressed results.
#[derive(Clone, Copy, Debug)]
pub struct SuppressedResult<'a> {
    /// The diagnostic as it would have been shown.
    pub diagnostic: &'a Diagnostic,
    /// `true` for a comment in the program, `false` for a project-wide
    /// level (`idpc.toml`).
    pub in_source: bool,
    /// Why, as written (may be empty).
    pub justification: &'a str,
}

/// The SARIF log of one run, pretty-printed. It lists at most
/// [`MAX_LISTED`] results, shown ones first; a notification of the run's
/// invocation counts the rest.
pub fn render_sarif(
    diagnostics: &[Diagnostic],
    suppressed: &[SuppressedResult<'_>],
    sources: &Sources,
) -> String {
    let shown = diagnostics.len().min(MAX_LISTED);
    let suppressed_listed = suppressed.len().min(MAX_LISTED - shown);
    let mut results: Vec<Value> = diagnostics[..shown]
        .iter()
        .map(|diagnostic| result(diagnostic, sources))
        .collect();
    results.extend(suppressed[..suppressed_listed].iter().map(|entry| {
        let mut value = result(entry.diagnostic, sources);
        let mut suppression = json!({
            "kind": if entry.in_source { "inSource" } else { "external" },
        });
        if !entry.justification.is_empty() {
            suppression["justification"] = json!(entry.justification);
        }
        value["suppressions"] = json!([suppression]);
        value
    }));
    let left_out = diagnostics[shown..].iter().chain(
        suppressed[suppressed_listed..]
            .iter()
            .map(|entry| entry.diagnostic),
    );
    let left_out_count = diagnostics.len() - shown + suppressed.len() - suppressed_listed;
    let mut log = json!({
        "$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "idpc",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": INFORMATION_URI,
                    "rules": Code::ALL.iter().map(|code| rule(*code)).collect::<Vec<_>>(),
                }
            },
            // Columns count characters, as in the human output.
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    if left_out_count > 0 {
        log["runs"][0]["invocations"] = json!([{
            "executionSuccessful": true,
            "toolExecutionNotifications": [{
                "level": "note",
                "message": { "text": not_listed(left_out) },
            }],
        }]);
    }
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}

/// A rule: what the code means, from its explanation page.
fn rule(code: Code) -> Value {
    let explanation = code.explanation();
    json!({
        "id": code.as_str(),
        "name": rule_name(code.title()),
        "shortDescription": { "text": code.title() },
        "fullDescription": { "text": first_paragraph(explanation) },
        "help": { "text": explanation, "markdown": explanation },
        "defaultConfiguration": { "level": level(code.severity()) },
    })
}

/// `a name that nothing declares` → `NameThatNothingDeclares`: SARIF
/// names are identifiers.
fn rule_name(title: &str) -> String {
    title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .skip_while(|word| matches!(*word, "a" | "an"))
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// The explanation's first paragraph after its `# CODE: title` line.
fn first_paragraph(explanation: &str) -> String {
    explanation
        .lines()
        .skip(1)
        .skip_while(|line| line.trim().is_empty())
        .take_while(|line| !line.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn level(severity: Severity) -> &'static str {
    severity_word(severity)
}

fn result(diagnostic: &Diagnostic, sources: &Sources) -> Value {
    let mut text = diagnostic.message.clone();
    for note in &diagnostic.notes {
        text.push_str(&format!("\nnote: {note}"));
    }
    if let Some(help) = &diagnostic.help {
        text.push_str(&format!("\nhelp: {help}"));
    }
    let index = Code::ALL
        .iter()
        .position(|code| *code == diagnostic.code)
        .unwrap_or(0);
    let mut value = json!({
        "ruleId": diagnostic.code.as_str(),
        "ruleIndex": index,
        "level": level(diagnostic.severity()),
        "message": { "text": text },
    });
    if let Some(primary) = diagnostic.primary().filter(|l| !l.span.is_synthetic()) {
        value["locations"] = json!([location(primary, sources)]);
    }
    let related: Vec<Value> = diagnostic
        .labels
        .iter()
        .filter(|label| !label.primary && !label.span.is_synthetic())
        .enumerate()
        .map(|(id, label)| {
            let mut value = location(label, sources);
            value["id"] = json!(id);
            value
        })
        .collect();
    if !related.is_empty() {
        value["relatedLocations"] = json!(related);
    }
    value
}

fn location(label: &Label, sources: &Sources) -> Value {
    let (start_line, start_column) = sources.line_col(label.span.file, label.span.start);
    let (end_line, end_column) = sources.line_col(label.span.file, label.span.end);
    let mut value = json!({
        "physicalLocation": {
            "artifactLocation": { "uri": uri(sources.name(label.span.file)) },
            "region": {
                "startLine": start_line,
                "startColumn": start_column,
                "endLine": end_line,
                "endColumn": end_column,
            }
        }
    });
    if !label.message.is_empty() {
        value["message"] = json!({ "text": label.message });
    }
    value
}

/// A file as SARIF wants it: a URI reference relative to the current
/// directory when the file is below it, else a `file://` URI.
fn uri(name: &str) -> String {
    let path = std::path::Path::new(name);
    let relative = match std::env::current_dir() {
        Ok(cwd) if path.is_absolute() => path.strip_prefix(&cwd).ok(),
        _ => Some(path),
    };
    match relative {
        Some(relative) => {
            let text = relative.to_string_lossy().replace('\\', "/");
            escape(text.strip_prefix("./").unwrap_or(&text))
        }
        None => format!(
            "file://{}",
            escape(&path.to_string_lossy().replace('\\', "/"))
        ),
    }
}

/// Percent-encodes what a URI path may not hold as is.
fn escape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{escape, rule_name};

    #[test]
    fn rule_names_are_identifiers() {
        assert_eq!(
            rule_name("a name that nothing declares"),
            "NameThatNothingDeclares"
        );
        assert_eq!(
            rule_name("`any` or `all` on a single-valued condition key"),
            "AnyOrAllOnASingleValuedConditionKey"
        );
    }

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(escape("my app/notes.idp"), "my%20app/notes.idp");
    }
}
