//! Every code's explanation page (`src/diag/explain/CODE.md`, printed by
//! `idpc explain CODE`) follows one format, enforced here for every code in
//! the registry:
//!
//! 1. The first line is `# CODE: title`.
//! 2. The first ```` ```idp ```` block is the wrong example: compiling it
//!    produces CODE.
//! 3. The second ```` ```idp ```` block is the right example: a whole
//!    program that compiles with no error and without CODE.
//! 4. A `## How to suppress` section. For a warning or note it shows the
//!    comment `# idpc: allow(CODE) reason: ...` and the `idpc.toml` line
//!    `CODE = "allow"`; for an error it says that errors cannot be
//!    suppressed.
//!
//! Mistakes in `idpc.toml` (E05xx) use ```` ```toml ```` blocks instead of
//! ```` ```idp ````: the wrong one gives CODE, the right one nothing. The
//! codes of `idpc import` (E0701-E0708, W0701-W0703) use ```` ```yaml ````
//! templates, imported with `idpc::importer::import`: the wrong one gives
//! CODE and nothing else, the right one no error and not CODE. The codes
//! of `idpc check` on templates (E08xx, W08xx, N08xx) use ```` ```yaml ````
//! templates too (a `serverless.yml` when the file has `service:`),
//! audited with `idpc::audit::audit_text`: the wrong one gives CODE and
//! nothing else, the right one nothing at all. The suppression comments'
//! own warnings (W0501-W0505) and the warnings of import and of the audit
//! (a template has no suppression comments) are set in `idpc.toml` only.
//! Pages in [`ILLUSTRATIVE`] show examples that cannot be compiled from the
//! page, in any fenced block (2 and 3 are not checked).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use idpc::diag::{Code, Diagnostic, Severity, Sources};
use idpc::lints::read_config;
use idpc::{Options, Target, compile};

/// Examples shortened with `...` (the real input is 256 characters, or not
/// UTF-8, or not a program at all) cannot be compiled; nor can examples
/// whose mistake is in a stack file on disk (`tests/ui/imports/` has a case
/// with its files for each of those).
/// E0206 is retired: its page shows the program it was reported for, which
/// now gets the note N0605.
const ILLUSTRATIVE: [Code; 22] = [
    Code::E0206,
    Code::E0002,
    Code::E0003,
    Code::E0004,
    Code::E0005,
    Code::E0109,
    Code::E0301,
    Code::E0302,
    Code::E0303,
    Code::E0304,
    Code::E0305,
    // A policy over 10,240 characters would fill pages; tests/ui/limits/
    // has a whole one.
    Code::E0213,
    // Its templates must define a resource the program leaves to the
    // stack, which W0701 always reports beside it; tests/ui/import/ has
    // the case with both.
    Code::E0720,
    // Likewise a managed policy over 6,144: tests/ui/policies/ has one.
    Code::E0244,
    Code::W0301,
    Code::E0901,
    Code::E0902,
    Code::E0903,
    Code::E0904,
    // `idpc can` questions: tests/can.rs runs the page's example.
    Code::E0920,
    // the prover's; tests/prove.rs
    Code::E1001,
    Code::W1002,
];

/// Codes about `idpc.toml`, whose examples are TOML.
fn is_config_code(code: Code) -> bool {
    code.as_str().starts_with("E05")
}

/// Codes of `idpc import`: their examples are templates (```` ```yaml ````
/// blocks), imported rather than compiled.
fn is_import_code(code: Code) -> bool {
    ["E07", "W07", "N07"]
        .iter()
        .any(|prefix| code.as_str().starts_with(prefix))
}

/// Codes of `idpc check` on a template or `serverless.yml`: their examples
/// are templates (```` ```yaml ```` blocks), audited rather than compiled.
fn is_audit_code(code: Code) -> bool {
    ["E08", "W08", "N08"]
        .iter()
        .any(|prefix| code.as_str().starts_with(prefix))
}

/// Codes whose examples are templates: import's and the audit's.
fn is_template_code(code: Code) -> bool {
    is_import_code(code) || is_audit_code(code)
}

/// The diagnostics `idpc check` gives a template, with `lints` levels.
fn audited(example: &str, lints: idpc::lints::LintLevels) -> Vec<Diagnostic> {
    let options = Options {
        lints,
        ..Options::default()
    };
    idpc::audit::audit_text("example.yml", example, &options, &mut Sources::new()).diagnostics
}

/// Codes about suppression comments themselves: no comment suppresses them.
fn is_suppression_code(code: Code) -> bool {
    code.as_str().starts_with("W05")
}

/// Warnings no `# idpc: allow(...)` comment can reach, so only `idpc.toml`
/// sets their level: the suppression comments' own (W05xx), and those of
/// `idpc import` and `idpc check` on templates (W07xx, W08xx: a template
/// has no suppression comments).
fn is_set_in_config_only(code: Code) -> bool {
    // An `expect` cannot be suppressed by a comment, only deleted
    // (issue 19): what idpc says about one is set in `idpc.toml` only.
    is_suppression_code(code) || is_template_code(code) || code == Code::W1002
}

fn fenced_blocks<'a>(text: &'a str, language: &str) -> Vec<&'a str> {
    let fence = format!("```{language}\n");
    let mut blocks = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(&fence) {
        let body = &rest[start + fence.len()..];
        let end = body.find("```").unwrap();
        blocks.push(&body[..end]);
        rest = &body[end + 3..];
    }
    blocks
}

/// The diagnostics of an example: a program, or an `idpc.toml`.
fn diagnostics_of(code: Code, example: &str) -> Vec<Diagnostic> {
    if is_config_code(code) {
        return read_config("idpc.toml", example, &mut Sources::new()).1;
    }
    if is_audit_code(code) {
        return audited(example, Default::default());
    }
    if is_import_code(code) {
        return idpc::importer::import(
            "example.yml",
            example,
            &idpc::importer::Options::default(),
            &mut Sources::new(),
        )
        .diagnostics;
    }
    let target = if matches!(code, Code::E0108 | Code::E0212) {
        Target::CloudFormation
    } else {
        Target::Serverless
    };
    let options = Options {
        target,
        ..Options::default()
    };
    compile(
        "example.idp",
        example.as_bytes(),
        &options,
        &mut Sources::new(),
    )
    .diagnostics
}

fn examples(code: Code) -> Vec<&'static str> {
    let language = if is_config_code(code) {
        "toml"
    } else if is_template_code(code) {
        "yaml"
    } else {
        "idp"
    };
    fenced_blocks(code.explanation(), language)
}

fn codes(diagnostics: &[Diagnostic]) -> Vec<Code> {
    diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn every_explanation_has_a_title_and_an_example() {
    for code in Code::ALL {
        let text = code.explanation();
        let title = text.lines().next().unwrap();
        assert_eq!(
            title,
            format!("# {code}: {}", code.title()),
            "{code}: the first line is `# CODE: title`, with the registry's title"
        );
        let has_example = if ILLUSTRATIVE.contains(code) {
            text.contains("```")
        } else {
            !examples(*code).is_empty()
        };
        assert!(has_example, "{code} has no example");
        assert!(text.len() > 300, "{code} is still a stub");
    }
}

/// An audit page's wrong template gives its code and nothing else.
#[test]
fn erroneous_templates_produce_their_audit_code() {
    let checked = Code::ALL
        .iter()
        .filter(|code| is_audit_code(**code) && !ILLUSTRATIVE.contains(code));
    for code in checked {
        let example = fenced_blocks(code.explanation(), "yaml")[0];
        let codes = codes(&audited(example, Default::default()));
        assert_eq!(codes, [*code], "{code}'s example gives {codes:?}");
    }
}

/// An import page's wrong template gives its code and nothing else.
#[test]
fn erroneous_templates_produce_their_import_code() {
    let checked = Code::ALL
        .iter()
        .filter(|code| is_import_code(**code) && !ILLUSTRATIVE.contains(code));
    for code in checked {
        let example = fenced_blocks(code.explanation(), "yaml")[0];
        let imported = idpc::importer::import(
            "example.yml",
            example,
            &idpc::importer::Options::default(),
            &mut Sources::new(),
        );
        // The example shows its code and nothing else, but for W0701 on a
        // `Parameters` or `Conditions` section the mistake needs (E075x).
        let codes: Vec<Code> = imported.diagnostics.iter().map(|d| d.code).collect();
        let section_left_out =
            |d: &Diagnostic| d.code == Code::W0701 && d.message.starts_with("the template's `");
        assert!(
            codes.contains(code)
                && imported
                    .diagnostics
                    .iter()
                    .all(|d| d.code == *code || section_left_out(d)),
            "{code}'s example gives {codes:?}"
        );
    }
}

#[test]
fn wrong_examples_produce_their_code() {
    for code in Code::ALL.iter().filter(|code| !ILLUSTRATIVE.contains(code)) {
        let wrong = examples(*code)[0];
        let diagnostics = diagnostics_of(*code, wrong);
        assert!(
            diagnostics.iter().any(|d| d.code == *code),
            "{code}'s wrong example gives {:?}",
            codes(&diagnostics)
        );
    }
}

#[test]
fn right_examples_are_whole_programs_without_their_code() {
    for code in Code::ALL.iter().filter(|code| !ILLUSTRATIVE.contains(code)) {
        let Some(right) = examples(*code).get(1).copied() else {
            panic!("{code} has no right example (its second example block)");
        };
        let diagnostics = diagnostics_of(*code, right);
        assert!(
            diagnostics
                .iter()
                .all(|d| d.code != *code && d.severity() != Severity::Error),
            "{code}'s right example gives {:?}:\n{right}",
            codes(&diagnostics)
        );
        // A fixed template imports (or is audited) cleanly: a leftover
        // warning would be the next thing the reader has to fix.
        assert!(
            !is_template_code(*code) || diagnostics.is_empty(),
            "{code}'s right template gives {:?}:\n{right}",
            codes(&diagnostics)
        );
    }
}

#[test]
fn every_page_says_how_to_suppress() {
    for code in Code::ALL {
        let text = code.explanation();
        let Some((_, section)) = text.split_once("\n## How to suppress\n") else {
            panic!("{code} has no `## How to suppress` section");
        };
        if code.severity() == Severity::Error {
            assert!(
                section.contains("cannot be suppressed"),
                "{code}: say that errors cannot be suppressed"
            );
            continue;
        }
        assert!(
            section.contains(&format!("{code} = \"allow\"")),
            "{code}: show the `idpc.toml` line `{code} = \"allow\"`"
        );
        if is_template_code(*code) {
            assert!(
                section.contains("`idpc.toml` only"),
                "{code}: say that templates have no suppression comments, only `idpc.toml`"
            );
        }
        if !is_set_in_config_only(*code) {
            assert!(
                section.contains(&format!("# idpc: allow({code}) reason: ")),
                "{code}: show the comment `# idpc: allow({code}) reason: ...`"
            );
        }
    }
}

/// The comment each page shows really suppresses its code, above the item
/// the wrong example reports (the line of its primary label).
#[test]
fn the_suppression_each_page_shows_works() {
    for code in Code::ALL.iter().filter(|code| {
        !ILLUSTRATIVE.contains(code)
            && code.severity() != Severity::Error
            && !is_set_in_config_only(**code)
    }) {
        let wrong = examples(*code)[0];
        let mut sources = Sources::new();
        let compiled = compile(
            "example.idp",
            wrong.as_bytes(),
            &Options::default(),
            &mut sources,
        );
        let diagnostic = compiled
            .diagnostics
            .iter()
            .find(|d| d.code == *code)
            .unwrap();
        let at = diagnostic.primary().unwrap().span.start;
        let line_start = wrong[..at].rfind('\n').map_or(0, |i| i + 1);
        let indent: String = wrong[line_start..]
            .chars()
            .take_while(|c| *c == ' ')
            .collect();
        let suppressed = format!(
            "{}{indent}# idpc: allow({code}) reason: shown on the explanation page\n{}",
            &wrong[..line_start],
            &wrong[line_start..]
        );
        let again = compile(
            "example.idp",
            suppressed.as_bytes(),
            &Options::default(),
            &mut Sources::new(),
        );
        assert_eq!(
            codes(&again.diagnostics),
            Vec::<Code>::new(),
            "{code}:\n{suppressed}"
        );
    }
}

/// The `idpc.toml` each import warning's page shows drops that warning from
/// the import of the page's wrong template.
#[test]
fn the_idpc_toml_each_import_page_shows_works() {
    for code in Code::ALL
        .iter()
        .filter(|code| is_import_code(**code) && code.severity() != Severity::Error)
    {
        let (levels, config) = page_idpc_toml(*code);
        let mut sources = Sources::new();
        let wrong = examples(*code)[0];
        let imported = idpc::importer::import(
            "example.yml",
            wrong,
            &idpc::importer::Options::default(),
            &mut sources,
        );
        let (shown, allowed) = idpc::lints::apply(imported.diagnostics, None, &levels);
        assert_eq!(codes(&shown), Vec::<Code>::new(), "{code}:\n{config}");
        assert!(
            allowed.iter().all(|entry| entry.diagnostic.code == *code) && !allowed.is_empty(),
            "{code}: the page's idpc.toml allows it"
        );
    }
}

/// The levels of the `idpc.toml` a page's "How to suppress" shows, and its
/// text.
fn page_idpc_toml(code: Code) -> (idpc::lints::LintLevels, &'static str) {
    let text = code.explanation();
    let (_, section) = text.split_once("\n## How to suppress\n").unwrap();
    let config = fenced_blocks(section, "toml")[0];
    let (levels, problems) = read_config("idpc.toml", config, &mut Sources::new());
    assert!(problems.is_empty(), "{code}'s idpc.toml: {problems:?}");
    (levels, config)
}

/// The `idpc.toml` each audit warning's or note's page shows drops it from
/// `idpc check` of the page's wrong template.
#[test]
fn the_idpc_toml_each_audit_page_shows_works() {
    for code in Code::ALL
        .iter()
        .filter(|code| is_audit_code(**code) && code.severity() != Severity::Error)
    {
        let (levels, config) = page_idpc_toml(*code);
        let wrong = examples(*code)[0];
        let mut sources = Sources::new();
        let options = Options {
            lints: levels,
            ..Options::default()
        };
        let audit = idpc::audit::audit_text("example.yml", wrong, &options, &mut sources);
        assert_eq!(
            codes(&audit.diagnostics),
            Vec::<Code>::new(),
            "{code}:\n{config}"
        );
        assert!(
            audit
                .suppressed
                .iter()
                .all(|entry| entry.diagnostic.code == *code)
                && !audit.suppressed.is_empty(),
            "{code}: the page's idpc.toml allows it"
        );
    }
}

/// Codes whose premise is a claim about AWS: what IAM, Cognito or
/// CloudFormation accept, how they evaluate a policy, what an action or a
/// key is. Each page cites the AWS documentation it rests on (issue 13,
/// "every warning is true"). Codes about idpc's own language, files,
/// configuration and Serverless are not in the list.
const AWS_PREMISED: &[Code] = &[
    Code::E0002,
    Code::E0104,
    Code::E0105,
    Code::E0106,
    Code::E0109,
    Code::E0110,
    Code::E0201,
    Code::E0202,
    Code::E0203,
    Code::E0204,
    Code::E0205,
    Code::E0208,
    Code::E0209,
    Code::E0210,
    Code::E0401,
    Code::E0402,
    Code::E0403,
    Code::E0404,
    Code::E0405,
    Code::E0406,
    Code::E0407,
    Code::E0408,
    Code::E0703,
    Code::E0704,
    Code::E0753,
    Code::E0802,
    Code::E0805,
    Code::E0811,
    Code::W0201,
    Code::W0401,
    Code::W0402,
    Code::W0403,
    Code::W0601,
    Code::W0602,
    Code::W0603,
    Code::W0604,
    Code::W0605,
    Code::W0606,
    Code::W0607,
    Code::W0608,
    Code::W0609,
    Code::W0610,
    Code::W0803,
    Code::W0804,
    Code::W0806,
    Code::W0807,
    Code::W0808,
    Code::W0809,
    Code::W0813,
    Code::W0612,
    Code::N0601,
    Code::N0602,
    Code::N0603,
    Code::N0604,
    Code::N0605,
    Code::N0611,
    Code::N0750,
    Code::N0810,
    Code::W0755,
];

#[test]
fn aws_premised_pages_cite_aws_documentation() {
    for code in AWS_PREMISED {
        let text = code.explanation();
        let Some((_, section)) = text.split_once("\n## AWS documentation\n") else {
            panic!("{code} has no `## AWS documentation` section");
        };
        // The section runs to the next heading or the end of the page.
        let section = section.split("\n## ").next().unwrap();
        let links: Vec<&str> = section
            .split_whitespace()
            .filter(|word| word.starts_with("https://docs.aws.amazon.com/"))
            .collect();
        assert!(
            !links.is_empty(),
            "{code}: cite at least one https://docs.aws.amazon.com/ page"
        );
        // Every item names the page it links to: a quoted title before it.
        for item in section.split("\n- ").skip(1) {
            assert!(
                item.trim_start().starts_with('"'),
                "{code}: give the page's title before its address: {item}"
            );
            assert!(item.contains("https://"), "{code}: no address in {item}");
        }
    }
}
