//! `idpc fmt`: the formatter's properties over every example, every UI-test
//! input that parses, generated programs and messed-up layouts of them:
//! formatting twice gives what formatting once gave, the program means the
//! same (same syntax tree, same YAML, same diagnostics), and every comment
//! is kept. A tree printed without its source (`formatter::print`, what
//! `idpc import` writes with) is that same tree, already formatted. Plus
//! the layout itself (a snapshot of a messy program, comments
//! staying where they belong, long lists wrapping) and the command line.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod r#gen;
mod hostile_inputs;

use assert_cmd::Command;
use idpc::diag::Sources;
use idpc::formatter::{Remarks, WIDTH, comment_texts, format, print};
use idpc::{Options, compile, syntax};
use proptest::prelude::*;
use proptest::test_runner::Config;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn fmt(source: &str) -> String {
    format(source, 0).unwrap_or_else(|err| panic!("{err:?} in\n{source}"))
}

/// What a program compiles to: the output and each diagnostic's code and
/// message (diagnostics on a reformatted program point at other lines, but
/// must say the same).
fn compiled(source: &str, base_dir: Option<&Path>) -> (Option<String>, Vec<String>) {
    let options = Options {
        base_dir: base_dir.map(Path::to_path_buf),
        ..Options::default()
    };
    let result = compile(
        "program.idp",
        source.as_bytes(),
        &options,
        &mut Sources::new(),
    );
    let diagnostics = result
        .diagnostics
        .iter()
        .map(|d| format!("{:?} {}", d.code, d.message))
        .collect();
    (result.output, diagnostics)
}

/// The syntax tree without its spans (`Spanned` ignores them, but a few
/// nodes hold a bare `Span`).
fn tree(source: &str) -> String {
    let text = format!("{:#?}", syntax::parse(source, 0).unwrap().into_program());
    let mut pieces = text.split("Span {");
    let mut out = pieces.next().unwrap_or_default().to_string();
    for piece in pieces {
        out.push_str("Span");
        out.push_str(&piece[piece.find('}').unwrap() + 1..]);
    }
    out
}

fn sorted_comments(source: &str) -> Vec<String> {
    let mut texts = comment_texts(source);
    texts.sort();
    texts
}

/// The three properties, for one program that parses.
fn assert_formatting_keeps_meaning(what: &str, source: &str, base_dir: Option<&Path>) {
    let once = fmt(source);
    let twice = fmt(&once);
    assert_eq!(once, twice, "formatting {what} twice changed it again");
    assert_eq!(
        tree(source),
        tree(&once),
        "formatting changed the syntax tree of {what}:\n{once}"
    );
    assert_eq!(
        compiled(source, base_dir),
        compiled(&once, base_dir),
        "formatting changed what {what} compiles to:\n{once}"
    );
    assert_eq!(
        sorted_comments(source),
        sorted_comments(&once),
        "formatting lost or changed comments of {what}:\n{once}"
    );
}

/// Every `.idp` under `dir`, sorted.
fn programs_in(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "idp") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

#[test]
fn formatting_keeps_the_meaning_of_every_example() {
    let examples = programs_in(&root().join("examples"));
    assert!(examples.len() >= 6, "{examples:?}");
    for path in examples {
        let source = std::fs::read_to_string(&path).unwrap();
        assert_formatting_keeps_meaning(&path.display().to_string(), &source, path.parent());
    }
}

#[test]
fn formatting_keeps_the_meaning_of_every_ui_input_that_parses() {
    let mut parsed = 0;
    for path in programs_in(&root().join("tests/ui")) {
        let Ok(source) = std::fs::read_to_string(&path) else {
            continue;
        };
        if syntax::parse(&source, 0).is_err() {
            continue;
        }
        parsed += 1;
        assert_formatting_keeps_meaning(&path.display().to_string(), &source, path.parent());
    }
    assert!(parsed >= 60, "only {parsed} UI inputs parse");
}

#[test]
fn formatting_keeps_the_meaning_of_every_fixture_and_hostile_input_that_parses() {
    for path in programs_in(&root().join("tests/fixtures")) {
        let source = std::fs::read_to_string(&path).unwrap();
        assert_formatting_keeps_meaning(&path.display().to_string(), &source, path.parent());
    }
    // Two hostile inputs, small enough to check here (the megabyte ones
    // are `tests/hostile.rs`'s and the hostile benchmarks'): a long role,
    // and deep nesting that must be refused as by the build.
    let long_role = hostile_inputs::many_errors(300);
    let long_role = std::str::from_utf8(&long_role).unwrap();
    let once = fmt(long_role);
    assert_eq!(fmt(&once), once);
    assert_eq!(tree(long_role), tree(&once));
    let nested = hostile_inputs::nested_braces_in_role();
    let nested = std::str::from_utf8(&nested).unwrap();
    assert_eq!(
        format(nested, 0),
        Err(syntax::parse(nested, 0).unwrap_err())
    );
}

#[test]
fn every_example_is_already_formatted() {
    for path in programs_in(&root().join("examples")) {
        let source = std::fs::read_to_string(&path).unwrap();
        assert_eq!(fmt(&source), source, "{} is not formatted", path.display());
    }
}

/// The generated program with each run of blanks between tokens replaced
/// by another, chosen by `choices`: more or fewer spaces, line breaks,
/// blank lines, and (`with_comments`) comments, numbered so each is told
/// apart, after a token or on a line of their own. Strings and comments
/// are kept whole.
fn relayout(source: &str, choices: &[u8], with_comments: bool) -> String {
    const SEPARATORS: [&str; 8] = [
        " ",
        "   ",
        "\n",
        "\n\n\n",
        "\t",
        " #T\n",
        "\n  #O\n",
        "\n\n#B\n\n",
    ];
    let mut out = String::new();
    let mut chars = source.chars().peekable();
    let mut run = 0;
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                out.push(c);
                while let Some(c) = chars.next() {
                    out.push(c);
                    match c {
                        '\\' => out.extend(chars.next()),
                        '"' => break,
                        _ => {}
                    }
                }
            }
            '#' => {
                out.push(c);
                while let Some(&c) = chars.peek() {
                    if c == '\n' {
                        break;
                    }
                    out.push(c);
                    chars.next();
                }
            }
            c if c.is_whitespace() => {
                let mut newline = c == '\n';
                while let Some(&c) = chars.peek() {
                    if !c.is_whitespace() {
                        break;
                    }
                    newline |= c == '\n';
                    chars.next();
                }
                let choice = choices
                    .get(run % choices.len().max(1))
                    .copied()
                    .unwrap_or(0);
                let separator = SEPARATORS[usize::from(choice) % SEPARATORS.len()];
                match separator.split_once('#') {
                    Some((before, after)) if with_comments => {
                        out.push_str(&format!("{before}# c{run} {after}"))
                    }
                    // The comment's text goes, its line break stays.
                    Some((before, after)) => {
                        out.push_str(before);
                        out.push_str(&after[after.find('\n').unwrap()..]);
                    }
                    None => out.push_str(separator),
                }
                // A run that held a line break keeps one: it may end a comment.
                if newline && !separator.contains('\n') {
                    out.push('\n');
                }
                run += 1;
            }
            c => out.push(c),
        }
    }
    out
}

#[test]
fn relayout_changes_only_blanks_and_comments() {
    let source = "# head\nuse bucket A, B\nrole R { policy \"a b # c\" }\n";
    let messy = relayout(source, &[5, 6, 2, 7], true);
    assert_eq!(tree(source), tree(&messy));
    assert!(messy.contains("\"a b # c\""), "{messy}");
    assert!(comment_texts(&messy).len() > 3, "{messy}");
}

/// `print` of `source`'s tree, without the source: the same tree, in the
/// layout `format` gives.
fn assert_printing_keeps_the_tree(what: &str, source: &str) {
    let program = syntax::parse(source, 0).unwrap().into_program();
    let printed = print(&program, &Remarks::default());
    assert_eq!(
        tree(source),
        tree(&printed),
        "printing changed the syntax tree of {what}:\n{printed}"
    );
    assert_eq!(
        fmt(&printed),
        printed,
        "printing {what} without source is not in fmt's layout"
    );
}

#[test]
fn printing_a_tree_without_its_source_keeps_it_and_needs_no_formatting() {
    let mut programs = programs_in(&root().join("examples"));
    programs.extend(programs_in(&root().join("tests/ui")));
    let mut printed = 0;
    for path in programs {
        let Ok(source) = std::fs::read_to_string(&path) else {
            continue;
        };
        if syntax::parse(&source, 0).is_ok() {
            assert_printing_keeps_the_tree(&path.display().to_string(), &source);
            printed += 1;
        }
    }
    assert!(printed >= 66, "only {printed} programs parse");
    for program in generated_sample() {
        assert_printing_keeps_the_tree("a generated program", &program.text);
    }
}

#[test]
fn formatting_keeps_the_meaning_of_a_sample_of_generated_programs() {
    for program in generated_sample() {
        assert_formatting_keeps_meaning("a generated program", &program.text, None);
    }
}

/// 40 programs, the same on every run.
fn generated_sample() -> Vec<r#gen::Program> {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{RngAlgorithm, TestRng, TestRunner};
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]);
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    let strategy = r#gen::program();
    (0..40)
        .map(|_| strategy.new_tree(&mut runner).unwrap().current())
        .collect()
}

proptest! {
    #![proptest_config(Config {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(32),
        failure_persistence: None,
        ..Config::default()
    })]

    /// Generated programs laid out badly, with comments everywhere.
    #[test]
    fn formatting_keeps_the_meaning_of_messed_up_programs(
        program in r#gen::program(),
        choices in prop::collection::vec(any::<u8>(), 1..64),
    ) {
        let messy = relayout(&program.text, &choices, true);
        assert_formatting_keeps_meaning("a messed-up generated program", &messy, None);
        // Without comments, however it was laid out, it is formatted as
        // the tidy one is, but for blank lines (which are kept).
        let code = |text: &str| -> Vec<String> {
            fmt(text).lines().filter(|line| !line.is_empty()).map(str::to_string).collect()
        };
        let spaced = relayout(&program.text, &choices, false);
        prop_assert_eq!(code(&program.text), code(&spaced));
    }
}

#[test]
fn a_messy_program_is_formatted_canonically() {
    let source = std::fs::read_to_string(root().join("tests/fixtures/fmt/messy.idp")).unwrap();
    assert_formatting_keeps_meaning(
        "messy.idp",
        &source,
        Some(&root().join("tests/fixtures/fmt")),
    );
    let (output, diagnostics) = compiled(&source, Some(&root().join("tests/fixtures/fmt")));
    assert!(
        output.is_some() && diagnostics.is_empty(),
        "{diagnostics:?}"
    );
    insta::with_settings!({
        snapshot_path => root().join("tests/snapshots"),
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!("fmt_messy", fmt(&source));
    });
}

// ---------------------------------------------------------------------------
// The layout

#[test]
fn long_lists_fill_lines_up_to_the_width_and_continue_under_their_first_element() {
    let names: Vec<String> = (0..30).map(|n| format!("Bucket{n}")).collect();
    let source = format!(
        "use bucket {}\nrole R {{ allow s3:GetObject, s3:PutObject, s3:DeleteObject, s3:GetObjectTagging, s3:PutObjectTagging, s3:ListBucket on {} when aws:SourceIp ip [\"10.0.0.0/8\", \"172.16.0.0/12\", \"192.168.0.0/16\", \"198.51.100.0/24\", \"203.0.113.0/24\"] }}\n",
        names.join(", "),
        names
            .iter()
            .map(|n| format!("{n}/*"))
            .collect::<Vec<_>>()
            .join(", "),
    );
    let formatted = fmt(&source);
    insta::assert_snapshot!(formatted, @r#"
    use bucket Bucket0, Bucket1, Bucket2, Bucket3, Bucket4, Bucket5, Bucket6, Bucket7, Bucket8, Bucket9,
               Bucket10, Bucket11, Bucket12, Bucket13, Bucket14, Bucket15, Bucket16, Bucket17, Bucket18,
               Bucket19, Bucket20, Bucket21, Bucket22, Bucket23, Bucket24, Bucket25, Bucket26, Bucket27,
               Bucket28, Bucket29
    role R {
      allow s3:GetObject, s3:PutObject, s3:DeleteObject, s3:GetObjectTagging, s3:PutObjectTagging,
            s3:ListBucket
        on Bucket0/*, Bucket1/*, Bucket2/*, Bucket3/*, Bucket4/*, Bucket5/*, Bucket6/*, Bucket7/*,
           Bucket8/*, Bucket9/*, Bucket10/*, Bucket11/*, Bucket12/*, Bucket13/*, Bucket14/*, Bucket15/*,
           Bucket16/*, Bucket17/*, Bucket18/*, Bucket19/*, Bucket20/*, Bucket21/*, Bucket22/*,
           Bucket23/*, Bucket24/*, Bucket25/*, Bucket26/*, Bucket27/*, Bucket28/*, Bucket29/*
        when aws:SourceIp ip ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "198.51.100.0/24",
                              "203.0.113.0/24"]
    }
    "#);
    for line in formatted.lines() {
        assert!(line.chars().count() <= WIDTH, "too long: {line}");
    }
    assert_formatting_keeps_meaning("the long lists", &source, None);
}

#[test]
fn a_statement_that_fits_stays_on_one_line_and_one_that_does_not_puts_each_clause_on_its_own() {
    let source = "role R {\n  allow s3:ListBucket\n    on B when s3:prefix like \"a/*\"\n  allow s3:ListBucket on B when s3:prefix like \"private/some/rather/long/prefix/that/goes/on/and/on/*\"\n}\n";
    assert_eq!(
        fmt(source),
        "role R {\n  allow s3:ListBucket on B when s3:prefix like \"a/*\"\n  allow s3:ListBucket\n    on B\n    when s3:prefix like \"private/some/rather/long/prefix/that/goes/on/and/on/*\"\n}\n"
    );
}

/// Each `expect` form on one line in its canonical spelling: single
/// spaces, `, ` between items, `on` written; the claims as written. Past
/// the width, broken like a statement (at `on` and at each `or`).
#[test]
fn expectations_print_on_one_line_in_their_canonical_form() {
    let source = "use bucket Media\nexpect   isolated Media/private/$<sub>/* ,\"arn:aws:s3:::b/$<sub>/*\"\nexpect guests of  NotesPool\n  cannot write Media/*\nexpect signed_in cannot iam:*,sts:AssumeRole on *\nexpect AdminRole only via cognito:groups contains \"admins\"\n   or \"custom:team\"==\"ops\"\n";
    let formatted = fmt(source);
    assert_eq!(
        formatted,
        "use bucket Media\nexpect isolated Media/private/$<sub>/*, \"arn:aws:s3:::b/$<sub>/*\"\nexpect guests of NotesPool cannot write on Media/*\nexpect signed_in cannot iam:*, sts:AssumeRole on *\nexpect AdminRole only via cognito:groups contains \"admins\" or \"custom:team\" == \"ops\"\n"
    );
    assert_formatting_keeps_meaning("expectations", source, None);
    assert_printing_keeps_the_tree("expectations", source);
    let long = format!(
        "expect AdminRole only via cognito:groups contains \"{}\" or custom:team == \"ops\"\n",
        "a".repeat(80)
    );
    assert_eq!(
        fmt(&long),
        format!(
            "expect AdminRole only via cognito:groups contains \"{}\"\n  or custom:team == \"ops\"\n",
            "a".repeat(80)
        )
    );
    assert_formatting_keeps_meaning("a long expectation", &long, None);
}

/// Without source, a claim prints bare when it has a condition key's
/// shape and quoted otherwise (`"email"`, `"a b"`): either reads back as
/// the same tree.
#[test]
fn claims_print_bare_only_when_they_read_back_bare() {
    let source = "expect R only via \"cognito:groups\" == \"a\" or \"email\" == \"b\" or \"a \\\"b\\\"\" != \"c\"\n";
    let program = syntax::parse(source, 0).unwrap().into_program();
    let printed = print(&program, &Remarks::default());
    assert_eq!(
        printed,
        "expect R only via cognito:groups == \"a\" or \"email\" == \"b\" or \"a \\\"b\\\"\" != \"c\"\n"
    );
    assert_printing_keeps_the_tree("quoted claims", source);
    // `idpc fmt` keeps each claim as written.
    assert_eq!(fmt(source), source);
}

/// Comments inside an `expect` stay beside the token they followed, also
/// where the `on` that formatting adds goes.
#[test]
fn comments_inside_an_expectation_stay_beside_their_token() {
    let source = "expect guests # who\n  cannot write # what\n  Media/* # where\n";
    let formatted = fmt(source);
    assert_eq!(
        formatted,
        "expect guests # who\n    cannot write # what\n  on Media/* # where\n"
    );
    assert_formatting_keeps_meaning("a commented expectation", source, None);
}

#[test]
fn suppression_comments_stay_directly_above_their_item() {
    let source = "role R {\n  policy \"P\"\n  # idpc: allow(W0401) reason: the app lists every bucket\n  allow s3:ListAllMyBuckets, s3:GetBucketLocation, s3:GetBucketVersioning, s3:GetBucketTagging, s3:GetBucketPolicy on *\n\n  # idpc: allow(W0401) reason: a blank line below is kept as written\n\n  allow s3:GetObject on *\n}\n";
    let formatted = fmt(source);
    assert_eq!(
        formatted,
        "role R {\n  policy \"P\"\n  # idpc: allow(W0401) reason: the app lists every bucket\n  allow s3:ListAllMyBuckets, s3:GetBucketLocation, s3:GetBucketVersioning, s3:GetBucketTagging,\n        s3:GetBucketPolicy\n    on *\n\n  # idpc: allow(W0401) reason: a blank line below is kept as written\n\n  allow s3:GetObject on *\n}\n"
    );
}

#[test]
fn blank_lines_are_kept_collapsed_to_one_but_never_after_an_opening_or_before_a_closing_brace() {
    let source = "\n\n\nuse bucket A\n\n\n\nuse bucket B\nrole R {\n\n\n  allow s3:GetObject on A/*\n\n\n  allow s3:GetObject on B/*\n\n\n}\n\n\n";
    assert_eq!(
        fmt(source),
        "use bucket A\n\nuse bucket B\nrole R {\n  allow s3:GetObject on A/*\n\n  allow s3:GetObject on B/*\n}\n"
    );
}

#[test]
fn comments_keep_their_place_at_the_end_of_a_block_after_a_brace_and_after_code() {
    let source = "role R { # the role\n  allow s3:GetObject on A/* # reads\n\n  # the end of the role\n} # after the role\n# the end of the file\n";
    assert_eq!(fmt(source), source);
    let empty = "role R {\n  # nothing yet\n}\n";
    assert_eq!(fmt(empty), empty);
}

#[test]
fn comments_between_any_two_tokens_stay_beside_the_token_they_followed() {
    // The comment after a `{` or a `[` stays there; one inside an item
    // breaks the item there; one inside `is true` or `otherwise deny`
    // goes after it.
    let source = r#"
use # kind next
  bucket B # names
  , C
output O # c1
  = # c2
  P.Arn
identity_pool P {
  authenticated role X # before brace
  {
    allow s3:GetObject # one
    # own
    , s3:PutObject
      on B/* when aws:SourceIp ip [ # open
        "10.0.0.0/8" # first
        , "11.0.0.0/8" ] and aws:SecureTransport is # mid
        true
  }
  map B by rules {
    "a" == "b" => X # rule one
    # before otherwise
    otherwise # inside
    deny
  }
}
"#;
    let formatted = fmt(source);
    insta::assert_snapshot!(formatted, @r#"
    use # kind next
        bucket B, # names
               C
    output O # c1
        = # c2
        P.Arn
    identity_pool P {
      authenticated role X { # before brace
        allow s3:GetObject, # one
              # own
              s3:PutObject
          on B/*
          when aws:SourceIp ip [ # open
                                "10.0.0.0/8", # first
                                "11.0.0.0/8"]
          and aws:SecureTransport is true # mid
      }
      map B by rules {
        "a" == "b" => X # rule one
        # before otherwise
        otherwise deny # inside
      }
    }
    "#);
    assert_formatting_keeps_meaning("comments everywhere", source, None);
}

#[test]
fn comments_inside_the_names_attributes_and_role_properties_stay_beside_their_token() {
    // Issue 16's first slice: `attachment`, `as`, the resource attributes
    // and the role properties, with a comment after every token.
    let source = r#"
use user_pool U # u
use user_pool_client C
identity_pool P {
  attachment # a
    PRoles # b
  deletion_policy # c
    retain
  update_replace_policy delete # d
  depends_on U # e
    , C
  metadata # f
    "{\"a\": 1}"
  provider user_pool U client C
  principal_tags U as # g
    PTags default
  authenticated role {
    role_name # h
      "r"
    description "d" # i
    max_session_duration # j
      3600
    path "/" # k
    tag "t" # l
      = "v"
    depends_on PTags # m
    allow s3:GetObject on *
  }
}
"#;
    let formatted = fmt(source);
    assert_eq!(fmt(&formatted), formatted, "formatting is idempotent");
    assert_eq!(
        comment_texts(&formatted).len(),
        comment_texts(source).len(),
        "{formatted}"
    );
    for kept in [
        "  attachment # a\n      PRoles # b\n",
        "  depends_on U, # e\n             C\n",
        "  principal_tags U as # g\n      PTags default\n",
        "    max_session_duration # j\n        3600\n",
        "    tag \"t\" # l\n        = \"v\"\n",
    ] {
        assert!(formatted.contains(kept), "{kept:?} not in:\n{formatted}");
    }
    assert_formatting_keeps_meaning("comments in the S1 forms", source, None);
}

#[test]
fn a_hash_inside_a_string_is_not_a_comment() {
    let source = "identity_pool P{name \"a#b\" tag \"x\\\"#y\"=\"#\"}";
    assert_eq!(
        fmt(source),
        "identity_pool P {\n  name \"a#b\"\n  tag \"x\\\"#y\" = \"#\"\n}\n"
    );
}

#[test]
fn empty_and_comment_only_programs() {
    assert_eq!(fmt(""), "");
    assert_eq!(fmt("\n\n  \n"), "");
    assert_eq!(
        fmt("  # only a comment  \r\n\r\n\r\n# and another\n"),
        "# only a comment\n\n# and another\n"
    );
}

// ---------------------------------------------------------------------------
// The command line

fn idpc() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_idpc"));
    cmd.current_dir(root()).args(["--color", "never"]);
    cmd
}

const MESSY: &str = "use bucket   B\nrole R{allow s3:GetObject on B/*}\n";
const TIDY: &str = "use bucket B\nrole R {\n  allow s3:GetObject on B/*\n}\n";
const BROKEN: &str = "use bucket B\nrole R { allow s3:GetObject on }\n";

/// The names of the files in `dir`, sorted: no temporary file is left.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn check_passes_on_the_examples() {
    let output = idpc()
        .args(["fmt", "--check", "examples/"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert!(output.stdout.is_empty() && output.stderr.is_empty());
}

#[test]
fn check_lists_the_files_that_would_change_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("messy.idp"), MESSY).unwrap();
    std::fs::write(dir.path().join("tidy.idp"), TIDY).unwrap();
    let output = idpc()
        .args(["fmt", "--check"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let listed = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        listed,
        format!("{}\n", dir.path().join("messy.idp").display())
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("messy.idp")).unwrap(),
        MESSY
    );
    assert_eq!(listing(dir.path()), ["messy.idp", "tidy.idp"]);

    let tidy = idpc()
        .args(["fmt", "--check"])
        .arg(dir.path().join("tidy.idp"))
        .output()
        .unwrap();
    assert_eq!(tidy.status.code(), Some(0));
    assert!(tidy.stdout.is_empty());
}

#[test]
fn fmt_rewrites_files_in_place_and_only_when_they_change() {
    let dir = tempfile::tempdir().unwrap();
    let messy = dir.path().join("messy.idp");
    let tidy = dir.path().join("tidy.idp");
    std::fs::write(&messy, MESSY).unwrap();
    std::fs::write(&tidy, TIDY).unwrap();
    let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
    std::fs::File::options()
        .write(true)
        .open(&tidy)
        .unwrap()
        .set_modified(old)
        .unwrap();

    let output = idpc().arg("fmt").arg(&messy).arg(&tidy).output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.stdout.is_empty() && output.stderr.is_empty());
    assert_eq!(std::fs::read_to_string(&messy).unwrap(), TIDY);
    assert_eq!(std::fs::read_to_string(&tidy).unwrap(), TIDY);
    assert_eq!(
        std::fs::metadata(&tidy).unwrap().modified().unwrap(),
        old,
        "an unchanged file was rewritten"
    );
    assert_eq!(listing(dir.path()), ["messy.idp", "tidy.idp"]);
}

#[cfg(unix)]
#[test]
fn a_rewritten_file_keeps_its_permissions() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let messy = dir.path().join("messy.idp");
    std::fs::write(&messy, MESSY).unwrap();
    std::fs::set_permissions(&messy, std::fs::Permissions::from_mode(0o640)).unwrap();
    let output = idpc().arg("fmt").arg(&messy).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&messy).unwrap(), TIDY);
    let mode = std::fs::metadata(&messy).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o640);
}

#[test]
fn a_file_that_does_not_parse_is_reported_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.idp");
    let messy = dir.path().join("messy.idp");
    std::fs::write(&broken, BROKEN).unwrap();
    std::fs::write(&messy, MESSY).unwrap();
    let output = idpc().arg("fmt").arg(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("error[E0001]"), "{stderr}");
    assert!(stderr.contains("broken.idp:2:32"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&broken).unwrap(), BROKEN);
    // The other files are still formatted.
    assert_eq!(std::fs::read_to_string(&messy).unwrap(), TIDY);
    assert_eq!(listing(dir.path()), ["broken.idp", "messy.idp"]);

    let check = idpc()
        .args(["fmt", "--check"])
        .arg(&broken)
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(1));
    assert!(
        check.stdout.is_empty(),
        "a file that does not parse is not listed as one to format"
    );
}

#[test]
fn a_dash_formats_stdin_to_stdout() {
    let output = idpc()
        .args(["fmt", "-"])
        .write_stdin(MESSY)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8(output.stdout).unwrap(), TIDY);

    let check = idpc()
        .args(["fmt", "--check", "-"])
        .write_stdin(MESSY)
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(1));
    assert_eq!(String::from_utf8(check.stdout).unwrap(), "<stdin>\n");

    let broken = idpc()
        .args(["fmt", "-"])
        .write_stdin(BROKEN)
        .output()
        .unwrap();
    assert_eq!(broken.status.code(), Some(1));
    assert!(broken.stdout.is_empty());
    assert!(
        String::from_utf8(broken.stderr)
            .unwrap()
            .contains("<stdin>:2:32")
    );
}

#[test]
fn a_missing_file_is_an_io_error() {
    let output = idpc()
        .args(["fmt", "tests/fixtures/fmt/no-such-file.idp"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8(output.stderr)
            .unwrap()
            .contains("error[E0901]")
    );
}

/// CRLF line endings format exactly as LF ones (comments keep no `\r`); a
/// lone CR, which an editor shows as a line break, is refused rather than
/// formatted into a comment that swallows the code after it (E0004).
#[test]
fn crlf_formats_as_lf_and_a_lone_cr_is_refused() {
    let lf = "use bucket A # trailing\n# own line\nidentity_pool P {\n  authenticated role {\n    allow s3:GetObject on A/x   # why\n  }\n}\n";
    let crlf = lf.replace('\n', "\r\n");
    assert_eq!(fmt(&crlf), fmt(lf));
    assert!(!fmt(&crlf).contains('\r'));
    let lone = lf.replace("# own line\n", "# own line\r");
    let err = format(&lone, 0).unwrap_err();
    assert!(
        matches!(
            err.kind,
            syntax::ParseErrorKind::StrayLineBreak { found: '\r' }
        ),
        "{err:?}"
    );
}
