//! Costs that must grow with the input, not with its square (issue 14):
//! each test asserts work done (comparisons made for "did you mean") or
//! runs a size where the old quadratic code took many minutes, under a
//! watchdog of minutes. None asserts a time.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use idpc::diag::{Code, MAX_LISTED, Sources};
use idpc::suggest::{RUN_BUDGET, comparisons_on_this_thread};
use std::sync::mpsc;
use std::time::Duration;

/// Past this, a run counts as a hang (the sizes below took 5 to 50 minutes
/// of debug build before the fix; seconds after).
const WATCHDOG: Duration = Duration::from_secs(300);

const HEAD: &str = "use user_pool UP\nuse user_pool_client UC\n";

/// A pool with `body` after its provider line.
fn pool(body: &str) -> String {
    format!("identity_pool P {{\n  provider user_pool UP client UC\n{body}}}\n")
}

/// `n` statements, each naming `name(i)`, in pools of one role of at most
/// 1,000 lines (E0006's limit).
fn statements(n: usize, name: impl Fn(usize) -> String) -> String {
    let mut text = String::new();
    for start in (0..n).step_by(1000) {
        text.push_str(&format!(
            "identity_pool P{start} {{\n  authenticated role {{\n"
        ));
        for i in start..n.min(start + 1000) {
            text.push_str(&format!("    allow s3:GetObject on {}/*\n", name(i)));
        }
        text.push_str("  }\n}\n");
    }
    text
}

/// Compiles `text` on a thread under the watchdog; returns the diagnostics'
/// codes and the comparisons "did you mean" made.
fn compile(text: String) -> (Vec<Code>, Vec<idpc::diag::Diagnostic>, u64) {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let before = comparisons_on_this_thread();
        let mut sources = Sources::new();
        let compiled = idpc::compile(
            "costs.idp",
            text.as_bytes(),
            &Default::default(),
            &mut sources,
        );
        let compared = comparisons_on_this_thread() - before;
        let _ = send.send((compiled.diagnostics, compared));
    });
    let (diagnostics, compared) = receive
        .recv_timeout(WATCHDOG)
        .unwrap_or_else(|_| panic!("still compiling after {WATCHDOG:?}: a hang"));
    let codes = diagnostics.iter().map(|d| d.code).collect();
    (codes, diagnostics, compared)
}

#[test]
fn unknown_names_among_many_declared_share_one_suggestion_budget() {
    // 10,000 near misses of 10,000 declared names: every unknown name was
    // compared with every declared one (100 million comparisons, 62 s).
    let n = 10_000;
    let mut text = String::new();
    for i in 0..n {
        text.push_str(&format!("use bucket Bucket{i}Data\n"));
    }
    text.push_str(&statements(n, |i| format!("Bucket{i}Datx")));
    let (codes, diagnostics, compared) = compile(text);
    assert_eq!(codes.iter().filter(|c| **c == Code::E0101).count(), n);
    // Each comparison of two 11-character names costs 121 of the budget.
    assert!(compared <= RUN_BUDGET / 100, "{compared} comparisons");
    let first = diagnostics.iter().find(|d| d.code == Code::E0101).unwrap();
    assert!(
        first
            .help
            .as_deref()
            .is_some_and(|h| h.contains("Bucket0Data")),
        "the first mistakes still get a guess: {first:?}"
    );
}

#[test]
fn a_megabyte_action_is_refused_before_any_check() {
    // Every action of the service was compared with the whole word (12 s).
    let action = format!("s3:Get{}", "x".repeat(1_000_000));
    let body = format!("  authenticated role R {{\n    allow {action} on *\n  }}\n");
    let (codes, _, compared) = compile(format!("{HEAD}{}", pool(&body)));
    assert_eq!(codes, [Code::E0006]);
    assert_eq!(compared, 0);
}

#[test]
fn an_unknown_action_at_the_length_limit_makes_no_comparison() {
    // No action of the service is near its length: none is compared.
    let action = format!("s3:Get{}", "x".repeat(idpc::limits::MAX_ACTION_CHARS - 6));
    let body = format!("  authenticated role R {{\n    allow {action} on *\n  }}\n");
    let (codes, _, compared) = compile(format!("{HEAD}{}", pool(&body)));
    assert_eq!(codes, [Code::E0402]);
    assert_eq!(compared, 0);
}

#[test]
fn a_wildcard_at_the_length_limit_that_matches_nothing() {
    // Its suggestion tried every prefix of the pattern against every
    // action: a million prefixes of up to a megabyte each before E0006.
    let action = format!("s3:Get{}*", "x".repeat(idpc::limits::MAX_ACTION_CHARS - 7));
    let body = format!("  authenticated role R {{\n    allow {action} on *\n  }}\n");
    let (codes, diagnostics, _) = compile(format!("{HEAD}{}", pool(&body)));
    assert_eq!(codes, [Code::E0403]);
    assert_eq!(
        diagnostics[0].help.as_deref(),
        Some("did you mean an action like `s3:Get*`?")
    );
}

#[test]
fn a_thousand_tags_rules_and_principal_tags_in_each_of_a_hundred_pools() {
    // Each line was looked up in a list of the lines before it; the blocks
    // stay within E0006's limit of 1,000 entries.
    let n = 1000;
    let mut text = format!("{HEAD}role Shared {{\n  allow s3:GetObject on *\n}}\n");
    for p in 0..100 {
        let mut body = String::new();
        for i in 0..n / 3 {
            body.push_str(&format!("  tag \"k{i}\" = \"v\"\n"));
        }
        body.push_str("  authenticated role {\n    allow s3:GetObject on *\n  }\n");
        body.push_str("  map UP by rules {\n");
        for i in 0..n {
            body.push_str(&format!("    \"custom:team\" == \"t{i}\" => Shared\n"));
        }
        body.push_str("    otherwise deny\n  }\n  principal_tags UP {\n");
        for i in 0..n {
            body.push_str(&format!("    \"t{i}\" = \"c{i}\"\n"));
        }
        body.push_str("  }\n");
        text.push_str(&pool(&body).replacen(
            "identity_pool P ",
            &format!("identity_pool P{p} "),
            1,
        ));
    }
    let (codes, _, _) = compile(text);
    // The rules over Cognito's 25 are one error a pool, not 975.
    assert!(codes.contains(&Code::E0207), "{codes:?}");
    assert!(codes.len() <= 1000, "{} diagnostics", codes.len());
}

#[test]
fn json_lists_at_most_the_cap_and_counts_the_rest() {
    let n = 10_000;
    let text = statements(n, |i| format!("Missing{i}"));
    let mut sources = Sources::new();
    let compiled = idpc::compile(
        "many.idp",
        text.as_bytes(),
        &Default::default(),
        &mut sources,
    );
    assert_eq!(compiled.diagnostics.len(), n);
    let json = idpc::diag::render_json(&compiled.diagnostics, &sources);
    let lines: Vec<serde_json::Value> = json
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines.len(), MAX_LISTED + 1);
    assert!(lines[..MAX_LISTED].iter().all(|d| d["code"] == "E0101"));
    let summary = &lines[MAX_LISTED];
    assert_eq!(summary["summary"], true);
    assert_eq!(summary["not_listed"], n - MAX_LISTED);
    assert_eq!(summary["errors"], n - MAX_LISTED);
    assert!(summary.get("code").is_none());
}

#[test]
fn no_catalog_action_comes_near_the_action_limit() {
    // E0006's page says no action is longer than 100 characters.
    let catalog = idpc::catalog::Catalog::get();
    let mut longest = 0;
    for prefix in catalog.service_prefixes() {
        let service = catalog.service(prefix).unwrap();
        for name in service.action_names() {
            longest = longest.max(prefix.len() + 1 + name.len());
        }
    }
    assert!(longest <= 100, "{longest}");
    assert!(longest * 5 < idpc::limits::MAX_ACTION_CHARS);
}

#[test]
fn a_block_over_the_entry_limit_is_refused_with_one_error() {
    use idpc::limits::MAX_ENTRIES;
    let n = 100_000;
    let mut body = String::new();
    for i in 0..n {
        body.push_str(&format!("  tag \"k{i}\" = \"v\"\n"));
    }
    let (codes, diagnostics, _) = compile(format!("{HEAD}{}", pool(&body)));
    assert_eq!(codes, [Code::E0006]);
    assert_eq!(
        diagnostics[0].message,
        format!(
            "{} lines in one identity pool: idpc reads at most {MAX_ENTRIES}",
            n + 1
        )
    );
    // A statement's resources and a mapping's rules are lists too.
    let resources: Vec<String> = (0..=MAX_ENTRIES).map(|i| format!("B{i}")).collect();
    let body = format!(
        "  authenticated role R {{\n    allow s3:GetObject on {}\n  }}\n",
        resources.join(", ")
    );
    let (codes, diagnostics, _) = compile(format!("{HEAD}{}", pool(&body)));
    assert_eq!(codes, [Code::E0006]);
    assert!(
        diagnostics[0]
            .message
            .starts_with("1001 resources in one statement")
    );
    // At the limit, the block is read (and its mistakes reported).
    let resources: Vec<String> = (0..MAX_ENTRIES).map(|i| format!("B{i}")).collect();
    let body = format!(
        "  authenticated role R {{\n    allow s3:GetObject on {}\n  }}\n",
        resources.join(", ")
    );
    let (codes, _, _) = compile(format!("{HEAD}{}", pool(&body)));
    assert_eq!(codes.len(), MAX_ENTRIES);
    assert!(codes.iter().all(|c| *c == Code::E0101));
}
