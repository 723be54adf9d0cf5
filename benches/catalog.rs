//! Catalog start-up and look-up speed. Run with `cargo bench --bench catalog`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use idpc::catalog::Catalog;

/// Start-up in a fresh state: read a new catalog (as `Catalog::get` does once) and do one
/// look-up, which also indexes that service's block.
fn readiness(c: &mut Criterion) {
    c.bench_function("catalog/ready: load + first action look-up", |b| {
        b.iter(|| {
            let cat = Catalog::load();
            let a = cat.action(black_box("s3:GetObject")).map(|a| a.name());
            black_box(a);
        })
    });
    c.bench_function(
        "catalog/ready: load + first look-up in ec2 (largest)",
        |b| {
            b.iter(|| {
                let cat = Catalog::load();
                let a = cat
                    .action(black_box("ec2:RunInstances"))
                    .map(|a| a.access_level());
                black_box(a);
            })
        },
    );
}

const ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:putobject",
    "dynamodb:Query",
    "dynamodb:GetItem",
    "execute-api:Invoke",
    "lambda:InvokeFunction",
    "sns:Publish",
    "sqs:SendMessage",
    "kinesis:PutRecord",
    "appsync:GraphQL",
    "states:StartExecution",
    "secretsmanager:GetSecretValue",
    "kms:Decrypt",
    "logs:PutLogEvents",
    "events:PutEvents",
    "geo:GetMapTile",
    "iam:PassRole",
    "cognito-identity:GetId",
    "s3:NoSuchAction",
    "nosuch:Thing",
];

/// 10,000 look-ups on the shared catalog: actions, condition keys and ARN classification.
fn lookups(c: &mut Criterion) {
    let cat = Catalog::get();
    c.bench_function("catalog/10k action look-ups", |b| {
        b.iter(|| {
            let mut found = 0usize;
            for i in 0..10_000 {
                if cat.action(black_box(ACTIONS[i % ACTIONS.len()])).is_some() {
                    found += 1;
                }
            }
            black_box(found)
        })
    });
    let keys = [
        "s3:prefix",
        "aws:SourceIp",
        "aws:RequestTag/project",
        "dynamodb:LeadingKeys",
        "cognito-identity.amazonaws.com:amr",
    ];
    c.bench_function("catalog/10k condition-key look-ups", |b| {
        b.iter(|| {
            let mut found = 0usize;
            for i in 0..10_000 {
                if cat.condition_key(black_box(keys[i % keys.len()])).is_some() {
                    found += 1;
                }
            }
            black_box(found)
        })
    });
    let arns = [
        "arn:aws:s3:::mybucket/private/*",
        "arn:aws:dynamodb:us-east-1:123456789012:table/Notes/index/*",
        "arn:aws:execute-api:us-east-1:123456789012:abc123/*/GET/notes",
        "arn:aws:lambda:us-east-1:123456789012:function:my-fn",
    ];
    c.bench_function("catalog/1k ARN classifications", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for i in 0..1_000 {
                n += cat
                    .resource_types_for_arn(black_box(arns[i % arns.len()]))
                    .len();
            }
            black_box(n)
        })
    });
}

criterion_group!(benches, readiness, lookups);
criterion_main!(benches);
