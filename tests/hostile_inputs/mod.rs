//! Hostile inputs, shared by `tests/hostile.rs` (none may panic, hang or
//! flood) and `benches/compile.rs` (the `hostile` group: how fast each is
//! answered).

#![allow(dead_code)]

/// 200,000 `{` at the top level.
pub fn nested_braces() -> Vec<u8> {
    "{".repeat(200_000).into_bytes()
}

/// 200,000 `{` inside a role's body.
pub fn nested_braces_in_role() -> Vec<u8> {
    let mut text = String::from("use bucket B\nidentity_pool P {\n  authenticated role {\n");
    text.push_str(&"{".repeat(200_000));
    text.into_bytes()
}

/// Pseudo-random bytes (xorshift, fixed seed): almost surely not UTF-8.
pub fn random_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed.max(1);
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

/// Pseudo-random printable ASCII and newlines: UTF-8, and nonsense.
pub fn random_text(seed: u64, len: usize) -> Vec<u8> {
    random_bytes(seed, len)
        .into_iter()
        .map(|b| match b % 97 {
            95 | 96 => b'\n',
            n => b' ' + n,
        })
        .collect()
}

/// A valid start, then a byte that is not UTF-8 at offset 13.
pub fn invalid_utf8() -> Vec<u8> {
    b"use bucket B\n\xff\xfe rest".to_vec()
}

/// The offset of the first invalid byte of [`invalid_utf8`].
pub const INVALID_UTF8_OFFSET: usize = 13;

/// A 3 MB logical ID in a `use` line.
pub fn long_logical_id() -> Vec<u8> {
    format!("use bucket {}\n", "A".repeat(3_000_000)).into_bytes()
}

/// A 3 MB logical ID as a statement's resource.
pub fn long_resource_name() -> Vec<u8> {
    format!(
        "use bucket B\nidentity_pool P {{\n  authenticated role {{\n    allow s3:GetObject on {}/*\n  }}\n}}\n",
        "A".repeat(3_000_000)
    )
    .into_bytes()
}

/// A program with `n` errors, one per statement (an undeclared name each),
/// in roles of at most `idpc::limits::MAX_ENTRIES` lines (one pool each).
pub fn many_errors(n: usize) -> Vec<u8> {
    let per_role = 1000;
    let mut text = String::new();
    for start in (0..n).step_by(per_role) {
        text.push_str(&format!(
            "identity_pool P{} {{\n  authenticated role {{\n",
            start / per_role
        ));
        for i in start..n.min(start + per_role) {
            text.push_str(&format!("    allow s3:GetObject on Missing{i}/*\n"));
        }
        text.push_str("  }\n}\n");
    }
    text.into_bytes()
}

/// Every hostile input, named.
pub fn all() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("nested braces", nested_braces()),
        ("nested braces in a role", nested_braces_in_role()),
        ("random bytes", random_bytes(1, 1 << 20)),
        ("random text", random_text(2, 1 << 20)),
        ("invalid UTF-8", invalid_utf8()),
        ("3 MB logical ID", long_logical_id()),
        ("3 MB resource name", long_resource_name()),
        ("2000 errors", many_errors(2000)),
        ("20000 errors", many_errors(20_000)),
        ("empty file", Vec::new()),
    ]
}
