//! Checking and compiling speed, in process and as a whole process.
//! Run with `cargo bench --bench compile`.
//!
//! - `10000 statements/check`: checking (names, actions, resources,
//!   conditions against the catalog) a parsed program of 10,000 statements;
//!   goal < 100 ms. `parse + check` adds the parser.
//! - `compile/notes`: the whole pipeline on `examples/notes.idp`.
//! - `process/idpc build notes`: the release binary, start to exit, as a
//!   user runs it (catalog start-up included).
//! - `hostile/*`: each hostile input of `tests/hostile.rs` compiled and its
//!   diagnostics rendered as the terminal shows them and as JSON; goal: each answered
//!   within a second. `hostile/process 3 MB logical ID` is the whole binary.
//! - `hostile stack/*`: hostile stack files (`tests/stack.rs`) refused by
//!   `idpc::stack_reader::read_stack`; goal: each well under a second.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../tests/hostile_inputs/mod.rs"]
mod hostile_inputs;

use criterion::{Criterion, criterion_group, criterion_main};
use idpc::diag::Sources;
use idpc::{Options, compile};
use std::hint::black_box;
use std::process::Command;

/// A program with `n` statements spread over the forms the checker judges.
fn program(n: usize) -> String {
    let mut text = String::from(
        "use bucket Files\nuse table Notes\nuse rest_api Api\n\
         identity_pool Pool {\n  authenticated role {\n",
    );
    let lines = [
        "    allow s3:GetObject, s3:PutObject on Files/private/$<sub>/*\n",
        "    allow s3:ListBucket on Files when s3:prefix like \"private/$<sub>/*\"\n",
        "    allow dynamodb:GetItem, dynamodb:Query on Notes when all dynamodb:LeadingKeys == \"$<sub>\"\n",
        "    allow execute-api:Invoke on Api/*/GET/notes\n",
        "    allow s3:Get* on Files/public/*\n",
    ];
    for i in 0..n {
        text.push_str(lines[i % lines.len()]);
    }
    text.push_str("  }\n}\n");
    text
}

fn check(c: &mut Criterion) {
    let source = program(10_000);
    let options = Options::default();
    let parsed = idpc::syntax::parse(&source, 0).unwrap();
    let mut group = c.benchmark_group("10000 statements");
    group.sample_size(20);
    group.bench_function("check", |b| {
        b.iter(|| {
            let report = idpc::check::check(black_box(&parsed), options.target, &[]);
            assert!(report.checked.is_some());
            black_box(report);
        })
    });
    group.bench_function("parse + check", |b| {
        b.iter(|| {
            let parsed = idpc::syntax::parse(black_box(&source), 0).unwrap();
            let report = idpc::check::check(&parsed, options.target, &[]);
            assert!(report.checked.is_some());
            black_box(report);
        })
    });
    group.finish();
}

fn compile_notes(c: &mut Criterion) {
    let source = std::fs::read("examples/notes.idp").unwrap();
    c.bench_function("compile/notes", |b| {
        b.iter(|| {
            let mut sources = Sources::new();
            let compiled = compile(
                "notes.idp",
                black_box(&source),
                &Options::default(),
                &mut sources,
            );
            black_box(compiled.output.unwrap());
        })
    });
}

fn process(c: &mut Criterion) {
    let binary = env!("CARGO_BIN_EXE_idpc");
    let mut group = c.benchmark_group("process");
    group.sample_size(30);
    group.bench_function("idpc build notes", |b| {
        b.iter(|| {
            let status = Command::new(binary)
                .args(["build", "examples/notes.idp"])
                .stdout(std::process::Stdio::null())
                .status()
                .unwrap();
            assert!(status.success());
        })
    });
    group.finish();
}

fn hostile(c: &mut Criterion) {
    let mut group = c.benchmark_group("hostile");
    group.sample_size(10);
    for (name, input) in hostile_inputs::all() {
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut sources = Sources::new();
                let compiled = compile(name, black_box(&input), &Options::default(), &mut sources);
                black_box(idpc::diag::render_plain(&compiled.diagnostics, &sources));
                black_box(idpc::diag::render_json(&compiled.diagnostics, &sources));
            })
        });
    }
    let dir = std::env::temp_dir().join(format!("idpc-bench-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("long.idp");
    std::fs::write(&file, hostile_inputs::long_logical_id()).unwrap();
    let binary = env!("CARGO_BIN_EXE_idpc");
    group.bench_function("process 3 MB logical ID", |b| {
        b.iter(|| {
            let status = Command::new(binary)
                .arg("build")
                .arg(&file)
                .stderr(std::process::Stdio::null())
                .status()
                .unwrap();
            assert_eq!(status.code(), Some(1));
        })
    });
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

/// Hostile stack files, as `tests/stack.rs` builds them.
fn hostile_stack_files() -> Vec<(&'static str, &'static str, String)> {
    let mut bomb = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        bomb.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    bomb.push_str("Resources:\n  Bomb:\n    Type: AWS::S3::Bucket\n    Properties: *a9\n");
    let deep_json = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let mut deep_block = String::new();
    for i in 0..1_000 {
        deep_block.push_str(&" ".repeat(i));
        deep_block.push_str("a:\n");
    }
    vec![
        ("alias bomb", "bomb.yml", bomb),
        ("deep flow nesting", "deep.yml", "[".repeat(100_000)),
        ("deep JSON nesting", "deep.json", deep_json),
        ("deep block nesting", "block.yml", deep_block),
    ]
}

fn hostile_stacks(c: &mut Criterion) {
    let mut group = c.benchmark_group("hostile stack");
    group.sample_size(10);
    let dir = std::env::temp_dir().join(format!("idpc-bench-stack-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let limits = idpc::stack_reader::Limits::default();
    for (name, file, text) in hostile_stack_files() {
        let path = dir.join(file);
        std::fs::write(&path, text).unwrap();
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut sources = idpc::source::Sources::new();
                let read = idpc::stack_reader::read_stack(black_box(&path), &limits, &mut sources);
                assert!(read.is_err());
            })
        });
    }
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(
    benches,
    check,
    compile_notes,
    process,
    hostile,
    hostile_stacks
);
criterion_main!(benches);
