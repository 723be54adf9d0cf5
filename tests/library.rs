//! The library as a tool author uses it: one entry point per job, stage
//! values only their stage makes, and no job that silently skips part of
//! the program (issue 15).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use idpc::diag::{Code, Sources, render_plain};
use idpc::{Options, check_program, compile};
use std::path::PathBuf;

const STACK: &str = "Resources:\n  NotesBucket:\n    Type: AWS::S3::Bucket\n";

const PROGRAM: &str = r#"use "stack.yml"
use user_pool UserPool
use user_pool_client UserPoolClient

identity_pool NotesPool {
  provider user_pool UserPool client UserPoolClient
  authenticated role {
    allow s3:GetObject on NotesBucket/private/$<sub>/*
  }
}
"#;

/// A directory of its own under the target directory, with the stack file.
fn project(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("stack.yml"), STACK).unwrap();
    dir
}

#[test]
fn check_program_reads_the_stack_files_a_program_uses() {
    let dir = project("library-check-program");
    let options = Options {
        base_dir: Some(dir.clone()),
        ..Options::default()
    };
    let mut sources = Sources::new();
    let checked = check_program("notes.idp", PROGRAM.as_bytes(), &options, &mut sources);
    let rendered = render_plain(&checked.diagnostics, &sources);
    let checked = checked.checked.unwrap_or_else(|| panic!("{rendered}"));
    // The bucket came from the stack file: the program refers to it, and
    // the rest of the stack defines it.
    assert!(
        checked
            .external()
            .iter()
            .any(|(id, kind)| id == "NotesBucket" && kind == "AWS::S3::Bucket"),
        "{:?}",
        checked.external()
    );
    assert_eq!(checked.pools().len(), 1);
    assert_eq!(checked.pools()[0].logical_id, "NotesPool");
}

#[test]
fn checking_a_parsed_program_without_its_stack_files_is_an_error_not_an_empty_stack() {
    let mut sources = Sources::new();
    let file = sources.add("notes.idp", PROGRAM);
    let parsed = idpc::syntax::parse(PROGRAM, file).unwrap();
    let report = idpc::check::check(&parsed, idpc::Target::Serverless, &[]);
    assert!(report.checked.is_none());
    let diagnostics: Vec<_> = report
        .problems
        .iter()
        .map(idpc::diag::ToDiagnostic::to_diagnostic)
        .collect();
    let e0306: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.code == Code::E0306)
        .collect();
    assert_eq!(e0306.len(), 1, "{}", render_plain(&diagnostics, &sources));
    let label = &e0306[0].labels[0];
    assert_eq!(label.span.file, file);
    assert_eq!(&PROGRAM[label.span.range()], "\"stack.yml\"");
    assert_eq!(label.message, "no stack was given for this file");
    assert!(
        e0306[0]
            .help
            .as_deref()
            .is_some_and(|help| help.contains("check_program")),
        "{:?}",
        e0306[0].help
    );
    // And the job that reads them has no such error.
    let dir = project("library-check-without-stack");
    let options = Options {
        base_dir: Some(dir),
        ..Options::default()
    };
    let compiled = compile(
        "notes.idp",
        PROGRAM.as_bytes(),
        &options,
        &mut Sources::new(),
    );
    assert!(compiled.output.is_some(), "{:?}", compiled.diagnostics);
}

#[test]
fn every_diagnostic_points_into_the_file_it_is_about() {
    // A stack file with a mistake: the diagnostic points into it, not into
    // the program, and both files are in the sources.
    let dir = project("library-two-files");
    std::fs::write(dir.join("stack.yml"), "Resources:\n  NotesBucket: [\n").unwrap();
    let options = Options {
        base_dir: Some(dir),
        ..Options::default()
    };
    let mut sources = Sources::new();
    let compiled = compile("notes.idp", PROGRAM.as_bytes(), &options, &mut sources);
    assert!(compiled.output.is_none());
    let files: Vec<&str> = compiled
        .diagnostics
        .iter()
        .flat_map(|d| &d.labels)
        .map(|label| sources.name(label.span.file))
        .collect();
    assert!(
        files.iter().any(|name| name.ends_with("stack.yml")),
        "{files:?}"
    );
    assert!(files.contains(&"notes.idp"), "{files:?}");
}

#[test]
fn the_jobs_agree_format_import_and_graph_start_from_what_compile_accepts() {
    let source = std::fs::read_to_string("examples/notes.idp").unwrap();
    let mut sources = Sources::new();
    let file = sources.add("notes.idp", source.as_str());
    assert_eq!(idpc::formatter::format(&source, file).unwrap(), source);
    let compiled = compile(
        "notes.idp",
        source.as_bytes(),
        &Options::default(),
        &mut sources,
    );
    let yaml = compiled.output.expect("the notes example compiles");
    let imported = idpc::importer::import(
        "notes.yml",
        &yaml,
        &idpc::importer::Options::default(),
        &mut sources,
    );
    let program = imported
        .program
        .unwrap_or_else(|| panic!("{}", render_plain(&imported.diagnostics, &sources)));
    let again = compile(
        "notes.idp",
        program.as_bytes(),
        &Options::default(),
        &mut sources,
    );
    assert_eq!(
        again
            .output
            .as_deref()
            .map(|o| o.lines().skip(1).collect::<Vec<_>>()),
        Some(yaml.lines().skip(1).collect::<Vec<_>>()),
        "import then compile gives the same CloudFormation"
    );
    let checked = check_program(
        "notes.idp",
        source.as_bytes(),
        &Options::default(),
        &mut sources,
    )
    .checked
    .unwrap();
    let drawn = idpc::graph::draw(&checked, "notes.idp", idpc::graph::Notation::Mermaid);
    assert!(
        drawn.contains("identity pool CognitoIdentityPool"),
        "{drawn}"
    );
    assert!(Code::E0306.explanation().contains("use"));
}
