//! `--error-format sarif`: one SARIF 2.1.0 log for code-scanning tools
//! (GitHub code scanning and others), with a rule for every code.
//!
//! Checked against the official schema in `tests/sarif.rs`.

use super::{Code, Diagnostic, Label, MAX_LISTED, Severity, Sources, not_listed, severity_word};
use serde_json::{Value, json};
use std::path::{Component, Path, PathBuf};

/// The base that artifact URIs are relative to. GitHub code scanning reads
/// a relative path as relative to the root of the repository analyzed
/// ("Specifying the root for source files",
/// <https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning>),
/// so the base is the repository's root, named in the run's
/// `originalUriBaseIds` for every other reader.
const SRCROOT: &str = "%SRCROOT%";

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
    let root = SourceRoot::here();
    let files = Files {
        sources,
        root: root.as_ref(),
    };
    let shown = diagnostics.len().min(MAX_LISTED);
    let suppressed_listed = suppressed.len().min(MAX_LISTED - shown);
    let mut results: Vec<Value> = diagnostics[..shown]
        .iter()
        .map(|diagnostic| result(diagnostic, &files))
        .collect();
    results.extend(suppressed[..suppressed_listed].iter().map(|entry| {
        let mut value = result(entry.diagnostic, &files);
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
    if let Some(root) = &root {
        log["runs"][0]["originalUriBaseIds"] = json!({
            SRCROOT: { "uri": file_uri(&root.dir, true) },
        });
    }
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

/// The sources of a log's results and the base their URIs are relative to.
struct Files<'a> {
    sources: &'a Sources,
    root: Option<&'a SourceRoot>,
}

fn result(diagnostic: &Diagnostic, files: &Files<'_>) -> Value {
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
        value["locations"] = json!([location(primary, files)]);
    }
    let related: Vec<Value> = diagnostic
        .labels
        .iter()
        .filter(|label| !label.primary && !label.span.is_synthetic())
        .enumerate()
        .map(|(id, label)| {
            let mut value = location(label, files);
            value["id"] = json!(id);
            value
        })
        .collect();
    if !related.is_empty() {
        value["relatedLocations"] = json!(related);
    }
    value
}

fn location(label: &Label, files: &Files<'_>) -> Value {
    let sources = files.sources;
    let (start_line, start_column) = sources.line_col(label.span.file, label.span.start);
    let (end_line, end_column) = sources.line_col(label.span.file, label.span.end);
    let mut value = json!({
        "physicalLocation": {
            "artifactLocation": artifact(sources.name(label.span.file), files.root),
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

/// Where relative URIs start: the root of the git repository the current
/// directory is in (the nearest directory with a `.git`), else the current
/// directory.
struct SourceRoot {
    dir: PathBuf,
    cwd: PathBuf,
}

impl SourceRoot {
    fn here() -> Option<SourceRoot> {
        let cwd = std::env::current_dir().ok()?;
        let dir = cwd
            .ancestors()
            .find(|dir| dir.join(".git").exists())
            .unwrap_or(&cwd)
            .to_path_buf();
        Some(SourceRoot { dir, cwd })
    }
}

/// A file as an `artifactLocation`: a URI reference relative to the source
/// root with its `uriBaseId` when the file is below the root, else an
/// absolute `file://` URI (a base id may only go with a relative reference).
fn artifact(name: &str, root: Option<&SourceRoot>) -> Value {
    let path = Path::new(name);
    let Some(root) = root else {
        return json!({ "uri": escape(&slashes(path)) });
    };
    let absolute = lexical(&root.cwd.join(path));
    match absolute.strip_prefix(&root.dir) {
        Ok(relative) => json!({ "uri": escape(&slashes(relative)), "uriBaseId": SRCROOT }),
        Err(_) => json!({ "uri": file_uri(&absolute, false) }),
    }
}

/// `path` with its `.` and `..` resolved by name, without the file system
/// (a program named `../app/pool.idp` is shown as it was found).
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// An absolute path as a `file://` URI; a directory's ends with `/`.
fn file_uri(path: &Path, directory: bool) -> String {
    let mut text = slashes(path);
    if !text.starts_with('/') {
        text.insert(0, '/'); // `C:/dir` on Windows
    }
    if directory && !text.ends_with('/') {
        text.push('/');
    }
    format!("file://{}", escape(&text))
}

fn slashes(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
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
    use super::{SourceRoot, artifact, escape, lexical, rule_name};
    use serde_json::json;
    use std::path::{Path, PathBuf};

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

    fn root(dir: &str, cwd: &str) -> SourceRoot {
        SourceRoot {
            dir: PathBuf::from(dir),
            cwd: PathBuf::from(cwd),
        }
    }

    /// A program named from a subdirectory of the repository is named from
    /// the repository's root, as code scanning reads it.
    #[test]
    fn uris_are_relative_to_the_source_root() {
        let root = root("/repo", "/repo/infra");
        assert_eq!(
            artifact("pool.idp", Some(&root)),
            json!({ "uri": "infra/pool.idp", "uriBaseId": "%SRCROOT%" })
        );
        assert_eq!(
            artifact("../app/my pool.idp", Some(&root)),
            json!({ "uri": "app/my%20pool.idp", "uriBaseId": "%SRCROOT%" })
        );
        assert_eq!(
            artifact("/repo/infra/./pool.idp", Some(&root)),
            json!({ "uri": "infra/pool.idp", "uriBaseId": "%SRCROOT%" })
        );
    }

    /// Outside the root, a file has an absolute URI and no base id.
    #[test]
    fn files_outside_the_root_are_absolute() {
        let root = root("/repo", "/repo");
        assert_eq!(
            artifact("/etc/pool.idp", Some(&root)),
            json!({ "uri": "file:///etc/pool.idp" })
        );
        assert_eq!(
            artifact("../elsewhere/pool.idp", Some(&root)),
            json!({ "uri": "file:///elsewhere/pool.idp" })
        );
    }

    #[test]
    fn dots_resolve_by_name() {
        assert_eq!(lexical(Path::new("/a/b/../c/./d")), Path::new("/a/c/d"));
    }
}
