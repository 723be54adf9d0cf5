//! Generated programs of a given number of identity pools, for the
//! benchmarks (`benches/pipeline.rs`) and the whole-process runs
//! (`bench/run`, through `cargo run --example gen-programs`).
//!
//! Each pool draws, from a seeded ChaCha generator, a realistic mix over the
//! same curated table as the property tests (`tests/gen`): one or two user
//! pool providers and sometimes social, OIDC, SAML and developer logins;
//! tags and principal tags; a signed-in users' role (inline, or a shared
//! top-level role), often a guests' role; one or two role mappings, by token
//! or by rules handing out shared roles; two to six statements per role with
//! access levels, policy variables and conditions. [`tests/gen`]'s renderer
//! keeps every program valid and warning-free by construction. The shared
//! roles grow with the program (one for about every eight pools), so a
//! shared role's trust policy lists a handful of pools, as in a real stack.
//!
//! The same `(pools, seed)` gives the same text on every machine and run:
//! ChaCha's output is fixed by its seed.

// Each user (bench, example, test) takes what it needs.
#![allow(dead_code)]

use crate::r#gen::{
    GLOBAL_CONDITIONS, Kind, MapSpec, PoolSpec, ROWS, RoleLine, RoleSpec, Spec, StatementSpec,
    Target,
};
use proptest::prelude::RngExt;
use proptest::test_runner::{RngAlgorithm, TestRng};

/// The pool counts the benchmarks measure.
pub const SIZES: &[usize] = &[1, 10, 100, 1_000, 10_000];

/// The seed of the benchmarked programs.
pub const SEED: u64 = 1;

/// The text of a valid program of `pools` identity pools.
pub fn program(pools: usize, seed: u64) -> String {
    spec(pools, seed).render().text
}

/// The spec of [`program`].
pub fn spec(pools: usize, seed: u64) -> Spec {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    bytes[8..16].copy_from_slice(&(pools as u64).to_le_bytes());
    let mut rng = TestRng::from_seed(RngAlgorithm::ChaCha, &bytes);
    // Shared roles alternate between signed-in users (even) and guests (odd).
    let shared = (0..2 + pools / 8)
        .map(|i| {
            let for_users = i % 2 == 0;
            let role = if for_users {
                role(&mut rng)
            } else {
                guest_role(&mut rng)
            };
            (for_users, role)
        })
        .collect();
    let pools = (0..pools.max(1)).map(|_| pool(&mut rng)).collect();
    let outputs = (0..rng.random_range(1..=4))
        .map(|_| rng.random_range(0..usize::MAX))
        .collect();
    Spec {
        shared,
        pools,
        outputs,
    }
}

fn chance(rng: &mut TestRng, percent: u32) -> bool {
    rng.random_range(0..100) < percent
}

fn pool(rng: &mut TestRng) -> PoolSpec {
    let user_pools = (0..if chance(rng, 80) { 1 } else { 2 })
        .map(|_| chance(rng, 30))
        .collect();
    let mut logins: Vec<usize> = (0..5).filter(|_| chance(rng, 15)).collect();
    logins.dedup();
    let authenticated = if chance(rng, 75) {
        inline(rng)
    } else {
        RoleLine::Shared(rng.random_range(0..usize::MAX))
    };
    let unauthenticated = match rng.random_range(0..10) {
        0..=4 => RoleLine::None,
        5..=7 => {
            if chance(rng, 50) {
                RoleLine::InlineNamed(guest_role(rng))
            } else {
                RoleLine::InlineUnnamed(guest_role(rng))
            }
        }
        _ => RoleLine::Shared(rng.random_range(0..usize::MAX)),
    };
    let maps = (0..rng.random_range(1..=2))
        .map(|_| MapSpec {
            provider: rng.random_range(0..4),
            rules: chance(rng, 50).then(|| {
                (0..rng.random_range(1..=3))
                    .map(|_| {
                        (
                            rng.random_range(0..3),
                            rng.random_range(0..4),
                            rng.random_range(0..usize::MAX),
                        )
                    })
                    .collect()
            }),
            otherwise: rng.random_range(0..3),
        })
        .collect();
    PoolSpec {
        name: rng.random_range(0..3),
        user_pools,
        logins,
        oidc: if chance(rng, 15) {
            rng.random_range(1..4)
        } else {
            0
        },
        saml: if chance(rng, 10) {
            rng.random_range(1..4)
        } else {
            0
        },
        developer: chance(rng, 10),
        classic_flow: false,
        tags: rng.random_range(0..3),
        authenticated,
        unauthenticated,
        maps,
        principal_tags: rng.random_range(0..4),
        // Issue 16's names and attributes are not in the benchmark's
        // programs, which stay comparable with earlier measurements.
        attributes: 0,
    }
}

fn inline(rng: &mut TestRng) -> RoleLine {
    if chance(rng, 50) {
        RoleLine::InlineNamed(role(rng))
    } else {
        RoleLine::InlineUnnamed(role(rng))
    }
}

fn role(rng: &mut TestRng) -> RoleSpec {
    let mut statements: Vec<StatementSpec> = (0..rng.random_range(2..=6))
        .map(|_| statement(rng))
        .collect();
    // One statement per kind of resource, as people write roles: two on the
    // same bucket may cover one another (W0607).
    let mut kinds = Vec::new();
    statements.retain(|s| {
        let kind = format!("{:?}", ROWS[s.row].target);
        let first = !kinds.contains(&kind);
        kinds.push(kind);
        first
    });
    RoleSpec {
        policy_name: chance(rng, 50),
        managed_policy: chance(rng, 15),
        boundary: chance(rng, 10),
        statements,
        properties: 0,
    }
}

/// A guests' role: map tiles, which Cognito's scope-down for guests allows
/// (a grant it cuts off would draw W0604, as it should).
fn guest_role(rng: &mut TestRng) -> RoleSpec {
    let map_row = ROWS
        .iter()
        .position(|row| matches!(row.target, Target::Named(Kind::Map)))
        .unwrap_or(0);
    let mut role = role(rng);
    // One statement: two on the same map would repeat each other (W0607).
    role.statements.truncate(1);
    for statement in &mut role.statements {
        statement.row = map_row;
        statement.deny = false;
    }
    role
}

/// A row whose resource is named (not `*`): the `cognito-sync:*` on `*` row
/// of the property tests is what the least-privilege lints exist to flag.
fn scoped_row(rng: &mut TestRng) -> usize {
    let scoped: Vec<usize> = (0..ROWS.len())
        .filter(|&i| !matches!(ROWS[i].target, Target::Any))
        .collect();
    scoped[rng.random_range(0..scoped.len())]
}

fn statement(rng: &mut TestRng) -> StatementSpec {
    let conditions = match rng.random_range(0..10) {
        0..=5 => vec![],
        6..=8 => vec![rng.random_range(0..GLOBAL_CONDITIONS.len())],
        _ => vec![0, rng.random_range(1..GLOBAL_CONDITIONS.len())],
    };
    StatementSpec {
        // No `deny`: without a matching allow, one is only noise (N0601).
        deny: false,
        row: scoped_row(rng),
        path: rng.random_range(0..3),
        action_mask: rng.random_range(1..=255),
        level: chance(rng, 30).then(|| rng.random_range(0..2)),
        instances: rng.random_range(1..=2),
        first_instance: rng.random_range(0..2),
        // `$<sub>`: per-user paths are scoped by the identity id (W0606).
        var: 0,
        row_condition: chance(rng, 60),
        conditions,
        // Unconditional, as the benchmarks have always measured.
        if_condition: false,
    }
}
