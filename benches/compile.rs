//! Checking and compiling speed, in process and as a whole process.
//! Run with `cargo bench --bench compile`.
//!
//! - `10000 statements/check`: checking (names, actions, resources,
//!   conditions against the catalog) a parsed program of 10,000 statements;
//!   goal < 100 ms. `parse + check` adds the parser.
//! - `compile/notes`: the whole pipeline on `examples/notes.idp`.
//! - `process/idpc build notes`: the release binary, start to exit, as a
//!   user runs it (catalog start-up included).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

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
    let parsed = idpc::syntax::parse(&source).unwrap();
    let mut group = c.benchmark_group("10000 statements");
    group.sample_size(20);
    group.bench_function("check", |b| {
        b.iter(|| {
            let report = idpc::check::check(black_box(&parsed), options.target);
            assert!(report.checked.is_some());
            black_box(report);
        })
    });
    group.bench_function("parse + check", |b| {
        b.iter(|| {
            let parsed = idpc::syntax::parse(black_box(&source)).unwrap();
            let report = idpc::check::check(&parsed, options.target);
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

criterion_group!(benches, check, compile_notes, process);
criterion_main!(benches);
