//! Writes the benchmarked generated programs (`bench/programs.rs`) to a
//! directory, for the whole-process runs of `bench/run`:
//!
//! ```sh
//! cargo run --release --example gen-programs -- DIR [--seed N] [POOLS ...]
//! ```
//!
//! writes `DIR/pools-POOLS.idp` for each count (default: 1, 10, 100, 1000,
//! 10000 and 5000, half the largest) and prints each file's path and size.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../tests/gen/mod.rs"]
mod r#gen;
mod programs;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut dir: Option<PathBuf> = None;
    let mut seed = programs::SEED;
    let mut sizes: Vec<usize> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--seed" {
            match args.next().and_then(|s| s.parse().ok()) {
                Some(n) => seed = n,
                None => return usage(),
            }
        } else if dir.is_none() {
            dir = Some(PathBuf::from(arg));
        } else {
            match arg.parse() {
                Ok(n) => sizes.push(n),
                Err(_) => return usage(),
            }
        }
    }
    let Some(dir) = dir else { return usage() };
    if sizes.is_empty() {
        sizes = programs::SIZES.to_vec();
        sizes.push(5_000);
    }
    std::fs::create_dir_all(&dir).unwrap();
    for pools in sizes {
        let path = dir.join(format!("pools-{pools}.idp"));
        let text = programs::program(pools, seed);
        std::fs::write(&path, &text).unwrap();
        println!("{}\t{}", path.display(), text.len());
    }
    ExitCode::SUCCESS
}

fn usage() -> ExitCode {
    eprintln!("usage: gen-programs DIR [--seed N] [POOLS ...]");
    ExitCode::from(2)
}
