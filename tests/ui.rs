//! UI tests: each `tests/ui/<area>/NAME.idp` is compiled, its diagnostics
//! are checked against the expectation comments at its top, and the whole
//! rendered output is compared with `NAME.snap` beside it. See
//! `tests/ui/README.md` for the comment syntax and how to bless snapshots.
//! Cases of `idpc import` are templates, `tests/ui/import/NAME.yml`, with
//! the same comments (YAML comments are `#` too); so are the cases of
//! `idpc check` on templates and `serverless.yml` files,
//! `tests/ui/audit/NAME.yml`, which write no output.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use idpc::diag::{Code, Diagnostic, Severity, Sources, render_plain};
use idpc::{Options, Target, compile};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Codes no `.idp` case can produce: I/O failures and refusals (E09xx),
/// bytes that are not UTF-8, and mistakes in `idpc.toml`. `tests/cli.rs`
/// and `tests/nothing_lost.rs` cover them. (`use
/// "path"` problems can: a case's paths are resolved against its
/// directory, see `tests/ui/imports/`.) E0005 is an idpc bug that no
/// program can reach; `lower`'s unit tests provoke it by hand.
const COVERED_BY_CLI_TESTS: [Code; 14] = [
    Code::E0005,
    Code::E0901,
    Code::E0902,
    Code::E0903,
    Code::E0904,
    // A question to `idpc can`, not a program: tests/can.rs.
    Code::E0920,
    // the prover's; tests/prove.rs
    Code::E1001,
    Code::W1002,
    Code::E0003,
    Code::E0501,
    Code::E0502,
    Code::E0503,
    Code::E0504,
    Code::E0505,
];

/// Codes idpc no longer reports (codes are never reused): E0206 rested on a
/// claim AWS's documentation does not make; the case it had now expects
/// the note N0605.
const RETIRED: [Code; 1] = [Code::E0206];

fn ui_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("ui")
}

/// Every `.idp` below `dir`, sorted so the run order is stable.
fn cases_in(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "idp")
                || is_template_case(&path, "import")
                || is_template_case(&path, "audit")
            {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// A template in `tests/ui/<area>/`: `import/` (read by `idpc import`) or
/// `audit/` (read by `idpc check`).
fn is_template_case(path: &Path, area: &str) -> bool {
    path.extension().is_some_and(|ext| ext == "yml")
        && path
            .parent()
            .and_then(Path::file_name)
            .is_some_and(|dir| dir == area)
}

/// One `# expect:` line and the `# help:` / `# label:` / ... lines after it.
#[derive(Debug, Default)]
struct Expected {
    line: usize,
    code: String,
    /// The source text the primary label must underline, exactly.
    span_text: Option<String>,
    message: Vec<String>,
    label: Vec<String>,
    help: Vec<String>,
    note: Vec<String>,
}

#[derive(Debug, Default)]
struct Case {
    /// Path relative to `tests/ui`, with `/`: the name diagnostics show.
    name: String,
    path: PathBuf,
    source: String,
    target: Target,
    /// `# pool: LogicalId` in an import case: `--pool`.
    pool: Option<String>,
    expected: Vec<Expected>,
    /// `# expect: nothing`: no diagnostic at all.
    silent: bool,
}

/// Reads the leading `#` comment block. Lines of the form `# key: value`
/// with a known key are expectations; other comments are free text.
fn load(path: &Path) -> Case {
    let source = std::fs::read_to_string(path).unwrap();
    let name = path
        .strip_prefix(ui_dir())
        .unwrap()
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/");
    let mut case = Case {
        name,
        path: path.to_path_buf(),
        target: Target::Serverless,
        ..Case::default()
    };
    for (index, line) in source.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        let Some(comment) = line.strip_prefix('#') else {
            break;
        };
        let Some((key, value)) = comment.trim().split_once(':') else {
            continue;
        };
        let value = value.trim().to_string();
        let here = format!("{}:{}", case.name, index + 1);
        match key.trim() {
            // A case the lints must stay silent on: it compiles with no
            // diagnostic at all.
            "expect" if value == "nothing" => case.silent = true,
            "expect" => {
                let (code, rest) = value.split_once(' ').unwrap_or((&value, ""));
                let rest = rest.trim();
                let span_text = (!rest.is_empty()).then(|| {
                    rest.strip_prefix('`')
                        .and_then(|r| r.strip_suffix('`'))
                        .unwrap_or_else(|| panic!("{here}: put the underlined text in backticks"))
                        .to_string()
                });
                assert!(
                    Code::parse(code).is_some(),
                    "{here}: `{code}` is not a diagnostic code"
                );
                case.expected.push(Expected {
                    line: index + 1,
                    code: code.to_string(),
                    span_text,
                    ..Expected::default()
                });
            }
            "target" => {
                case.target = match value.as_str() {
                    "cloudformation" => Target::CloudFormation,
                    "serverless" => Target::Serverless,
                    other => panic!("{here}: unknown target `{other}`"),
                }
            }
            "pool" => case.pool = Some(value),
            key @ ("help" | "label" | "message" | "note") => {
                let last = case
                    .expected
                    .last_mut()
                    .unwrap_or_else(|| panic!("{here}: `# {key}:` must follow an `# expect:`"));
                match key {
                    "help" => last.help.push(value),
                    "label" => last.label.push(value),
                    "message" => last.message.push(value),
                    _ => last.note.push(value),
                }
            }
            _ => {}
        }
    }
    case.source = source;
    case
}

struct Outcome {
    diagnostics: Vec<Diagnostic>,
    /// Each diagnostic's primary label's text, in whichever file it is
    /// (a stack file for some `use "path"` problems).
    underlined: Vec<Option<String>>,
    rendered: String,
    output: Option<String>,
    /// Whether the command writes output (the audit writes none).
    writes_output: bool,
}

fn run(case: &Case) -> Outcome {
    let mut sources = Sources::new();
    if is_template_case(&case.path, "import") {
        let options = idpc::importer::Options {
            pool: case.pool.clone(),
            json: false,
        };
        let imported = idpc::importer::import(&case.name, &case.source, &options, &mut sources);
        return outcome(imported.diagnostics, imported.program, &sources);
    }
    if is_template_case(&case.path, "audit") {
        let options = Options {
            target: case.target,
            ..Options::default()
        };
        let audit = idpc::audit::audit_text(&case.name, &case.source, &options, &mut sources);
        return Outcome {
            writes_output: false,
            ..outcome(audit.diagnostics, None, &sources)
        };
    }
    // `use "path"` is resolved against the case's directory, written
    // relative to the package root (where cargo runs tests) so that paths in
    // snapshots don't depend on where the checkout is.
    let dir = Path::new("tests/ui").join(case.name.rsplit_once('/').map_or("", |(dir, _)| dir));
    let options = Options {
        target: case.target,
        base_dir: Some(dir),
        ..Options::default()
    };
    let compiled = compile(&case.name, case.source.as_bytes(), &options, &mut sources);
    outcome(compiled.diagnostics, compiled.output, &sources)
}

fn outcome(diagnostics: Vec<Diagnostic>, output: Option<String>, sources: &Sources) -> Outcome {
    let rendered = render_plain(&diagnostics, sources);
    let underlined = diagnostics
        .iter()
        .map(|diagnostic| {
            let label = diagnostic.labels.iter().find(|label| label.primary)?;
            let text = sources.text(label.span.file);
            text.get(label.span.start..label.span.end)
                .map(str::to_string)
        })
        .collect();
    Outcome {
        diagnostics,
        underlined,
        rendered,
        output,
        writes_output: true,
    }
}

/// What is wrong with one case, as lines for the failure report.
fn problems(case: &Case, outcome: &Outcome) -> Vec<String> {
    let mut problems = Vec::new();
    let diagnostics = &outcome.diagnostics;
    if diagnostics.len() != case.expected.len() {
        problems.push(format!(
            "expected {} diagnostic(s) (one per `# expect:` line), got {}",
            case.expected.len(),
            diagnostics.len()
        ));
    }
    for ((expected, diagnostic), underlined) in case
        .expected
        .iter()
        .zip(diagnostics)
        .zip(&outcome.underlined)
    {
        let at = format!("line {} ({})", expected.line, expected.code);
        if diagnostic.code.as_str() != expected.code {
            problems.push(format!("{at}: got code {}", diagnostic.code));
            continue;
        }
        if let Some(text) = &expected.span_text
            && underlined.as_deref() != Some(text.as_str())
        {
            problems.push(format!(
                "{at}: primary label underlines {underlined:?}, expected {text:?}"
            ));
        }
        let primary_label = diagnostic
            .labels
            .iter()
            .find(|label| label.primary)
            .map(|label| label.message.as_str())
            .unwrap_or("");
        let checks: [(&str, &[String], String); 4] = [
            ("message", &expected.message, diagnostic.message.clone()),
            ("label", &expected.label, primary_label.to_string()),
            (
                "help",
                &expected.help,
                diagnostic.help.clone().unwrap_or_default(),
            ),
            ("note", &expected.note, diagnostic.notes.join("\n")),
        ];
        for (what, wanted, actual) in checks {
            for want in wanted {
                if !actual.contains(want.as_str()) {
                    problems.push(format!("{at}: {what} {actual:?} does not contain {want:?}"));
                }
            }
        }
    }
    let errors = diagnostics
        .iter()
        .any(|diagnostic| diagnostic.severity() == Severity::Error);
    if outcome.writes_output && errors == outcome.output.is_some() {
        problems.push(format!(
            "output must be written exactly when there are no errors (errors: {errors}, output: {})",
            outcome.output.is_some()
        ));
    }
    problems
}

#[test]
fn ui_cases_meet_their_expectations() {
    let cases = cases_in(&ui_dir());
    assert!(!cases.is_empty(), "no UI cases found in {:?}", ui_dir());
    let mut report = String::new();
    for path in &cases {
        let case = load(path);
        if case.expected.is_empty() && !case.silent {
            writeln!(report, "{}: no `# expect:` line", case.name).unwrap();
            continue;
        }
        let outcome = run(&case);
        let problems = problems(&case, &outcome);
        if !problems.is_empty() {
            writeln!(report, "{}:", case.name).unwrap();
            for problem in problems {
                writeln!(report, "  {problem}").unwrap();
            }
            writeln!(report, "  rendered:\n{}", indent(&outcome.rendered)).unwrap();
        }
    }
    assert!(report.is_empty(), "UI cases failed:\n{report}");
}

fn indent(text: &str) -> String {
    text.lines().map(|line| format!("    | {line}\n")).collect()
}

#[test]
fn ui_cases_render_as_snapshotted() {
    for path in cases_in(&ui_dir()) {
        let case = load(&path);
        let outcome = run(&case);
        let stem = case
            .path
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let dir = case.path.parent().unwrap().to_path_buf();
        insta::with_settings!({
            snapshot_path => dir,
            prepend_module_to_snapshot => false,
            omit_expression => true,
            description => case.name.clone(),
        }, {
            insta::assert_snapshot!(stem, outcome.rendered);
        });
    }
}

/// A new code must come with a UI case, or this fails.
#[test]
fn every_code_has_a_ui_case() {
    let mut covered = Vec::new();
    for path in cases_in(&ui_dir()) {
        for expected in load(&path).expected {
            covered.push(expected.code);
        }
    }
    let missing: Vec<&str> = Code::ALL
        .iter()
        .filter(|code| !COVERED_BY_CLI_TESTS.contains(code) && !RETIRED.contains(code))
        .map(|code| code.as_str())
        .filter(|code| !covered.iter().any(|c| c == code))
        .collect();
    assert!(
        missing.is_empty(),
        "no UI case expects {missing:?}: add tests/ui/<area>/NAME.idp with `# expect: CODE`"
    );
}
