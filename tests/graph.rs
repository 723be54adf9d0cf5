//! `idpc graph`: the pictures of every example, snapshotted; both notations
//! read back by small independent readers (every edge's ends are defined
//! nodes, every role and resource of the program is drawn, deny edges and
//! guests look different, labels with odd characters survive escaping);
//! the README's Mermaid picture is the current output; errors write
//! nothing. Generated valid programs (`tests/gen`) draw well-formed
//! pictures too. Graphviz itself reads every example's DOT in CI
//! (`.ci/check-graph`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod r#gen;

use assert_cmd::Command;
use idpc::check::Checked;
use idpc::check::ir::{Piece, ResourceDef, Value};
use idpc::diag::Sources;
use idpc::graph::Notation;
use proptest::prelude::*;
use proptest::test_runner::Config;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every program under `examples/`, as a path from the package root, sorted.
fn examples() -> Vec<String> {
    fn walk(dir: &Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, found);
            } else if path.extension().is_some_and(|ext| ext == "idp") {
                let root = Path::new(env!("CARGO_MANIFEST_DIR"));
                found.push(path.strip_prefix(root).unwrap().display().to_string());
            }
        }
    }
    let mut found = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"),
        &mut found,
    );
    found.sort();
    assert!(found.len() >= 6, "the examples: {found:?}");
    found
}

/// A snapshot name for an example: `examples/notes/identity-pool.idp` is
/// `notes-identity-pool`.
fn snapshot_name(file: &str) -> String {
    file.trim_start_matches("examples/")
        .trim_end_matches(".idp")
        .replace('/', "-")
}
const ODD: &str = "tests/fixtures/graph/odd-names.idp";
const SHARED: &str = "tests/fixtures/graph/shared-token.idp";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn idpc(args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_idpc"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("--color=never")
        .args(args)
        .output()
        .unwrap();
    Run {
        code: output.status.code().unwrap(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

/// The graph of a program that must draw cleanly.
fn graph(file: &str, format: &str) -> String {
    let run = idpc(&["graph", file, "--format", format]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "", "a valid example draws without diagnostics");
    run.stdout
}

fn example(name: &str) -> String {
    format!("examples/{name}.idp")
}

/// The checked program, to know what the picture must show.
fn checked(file: &str) -> Checked {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    let bytes = std::fs::read(&path).unwrap();
    let options = idpc::Options {
        base_dir: path.parent().map(Path::to_path_buf),
        ..idpc::Options::default()
    };
    idpc::check_program(file, &bytes, &options, &mut Sources::new())
        .checked
        .unwrap()
}

/// What the picture must name: every role some pool reaches and every
/// resource of their statements (as drawn: logical ID, `*`, or the ARN).
fn must_show(checked: &Checked) -> (BTreeSet<String>, BTreeSet<String>) {
    let roles: Vec<_> = checked
        .pools()
        .iter()
        .flat_map(|pool| &pool.roles)
        .chain(checked.shared_roles())
        .collect();
    let resources = roles
        .iter()
        .flat_map(|role| &role.statements)
        .flat_map(|statement| &statement.resources)
        .map(|resource| match resource {
            ResourceDef::Any => "*".to_string(),
            ResourceDef::Arn(value) => text(value),
            ResourceDef::Of { logical_id, .. } => logical_id.clone(),
        })
        .collect();
    let roles = roles.iter().map(|role| role.logical_id.clone()).collect();
    (roles, resources)
}

/// A value as the picture writes it.
fn text(value: &Value) -> String {
    value
        .pieces
        .iter()
        .map(|piece| match piece {
            Piece::Literal(text) | Piece::ServerlessVar(text) => text.clone(),
            Piece::PolicyVar(key) => format!(
                "$<{}>",
                key.strip_prefix("cognito-identity.amazonaws.com:")
                    .unwrap_or(key)
            ),
            Piece::Ref { .. } => piece.written(),
        })
        .collect()
}

fn snapshot(name: &str, value: String) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    insta::with_settings!({
        snapshot_path => dir,
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name, value);
    });
}

#[test]
fn every_example_in_mermaid_and_dot() {
    for file in examples() {
        let name = snapshot_name(&file);
        snapshot(&format!("graph__{name}_mermaid"), graph(&file, "mermaid"));
        snapshot(&format!("graph__{name}_dot"), graph(&file, "dot"));
    }
}

#[test]
fn mermaid_is_the_default_and_output_is_deterministic() {
    let file = example("group-roles");
    let first = idpc(&["graph", &file]).stdout;
    assert_eq!(first, graph(&file, "mermaid"));
    assert_eq!(first, idpc(&["graph", &file]).stdout);
}

// ---------------------------------------------------------------------------
// A reader of the Mermaid this command writes: the flowchart subset it uses,
// read strictly, independently of how the graph module writes it.

#[derive(Debug, Default)]
struct Mermaid {
    /// Node ID → (shape opener, label decoded).
    nodes: BTreeMap<String, (String, String)>,
    /// Subgraph ID → its node IDs.
    subgraphs: BTreeMap<String, Vec<String>>,
    /// (from, arrow, label decoded, to).
    edges: Vec<(String, String, String, String)>,
    /// Class → node IDs.
    classes: BTreeMap<String, Vec<String>>,
    /// Colour → edge indexes.
    link_styles: Vec<(Vec<usize>, String)>,
}

const SHAPES: [(&str, &str); 6] = [
    ("{{", "}}"),
    ("([", "])"),
    ("[(", ")]"),
    ("[/", "/]"),
    ("((", "))"),
    ("[", "]"),
];

fn is_id(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !["end", "graph", "subgraph", "flowchart"].contains(&text)
}

/// A quoted label's text: no raw quote or pipe inside, `<br>` the only
/// HTML, every `#` an entity code; decoded to plain text (`<br>` → `\n`).
fn decode_mermaid(quoted: &str) -> String {
    let inner = quoted
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
        .unwrap_or_else(|| panic!("label not quoted: {quoted}"));
    assert!(!inner.contains('"'), "raw quote in label: {inner}");
    assert!(!inner.contains('|'), "raw pipe in label: {inner}");
    assert!(
        !inner.replace("<br>", "").contains(['<', '>', '&', '`']),
        "raw HTML or Markdown in label: {inner}"
    );
    let text = inner.replace("<br>", "\n");
    let mut decoded = String::new();
    let mut rest = text.as_str();
    while let Some(at) = rest.find('#') {
        decoded.push_str(&rest[..at]);
        let (code, after) = rest[at + 1..]
            .split_once(';')
            .unwrap_or_else(|| panic!("bare # in label: {inner}"));
        decoded.push(match code {
            "quot" => '"',
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            number => char::from_u32(
                number
                    .parse()
                    .unwrap_or_else(|_| panic!("unknown entity #{number}; in label: {inner}")),
            )
            .unwrap(),
        });
        rest = after;
    }
    decoded.push_str(rest);
    decoded
}

/// What Mermaid does to a line before parsing it (`encodeEntities` in
/// mermaidAPI): a line matching `style.*:\S*#.*;` or
/// `classDef.*:\S*#.*;` loses its last `;`.
fn mermaid_preprocess(line: &str) -> String {
    let matches = |word: &str| {
        line.match_indices(word).any(|(at, _)| {
            let after = &line[at + word.len()..];
            after.match_indices(':').any(|(colon, _)| {
                let rest = &after[colon + 1..];
                let run = rest.find(char::is_whitespace).unwrap_or(rest.len());
                rest[..run]
                    .match_indices('#')
                    .any(|(hash, _)| rest[hash..].contains(';'))
            })
        })
    };
    let mut line = line.to_string();
    if (matches("style") || matches("classDef"))
        && let Some(last) = line.rfind(';')
    {
        line.remove(last);
    }
    line
}

fn read_mermaid(text: &str) -> Mermaid {
    let mut graph = Mermaid::default();
    let mut lines = text.lines();
    assert!(lines.next().unwrap().starts_with("%% "), "a header comment");
    assert_eq!(lines.next(), Some("flowchart LR"));
    let mut subgraph: Option<String> = None;
    for line in lines {
        let line = mermaid_preprocess(line.trim());
        // A statement may end with `;`.
        let line = line.strip_suffix(';').unwrap_or(&line);
        let (first, rest) = line.split_once(' ').unwrap_or((line, ""));
        match first {
            "subgraph" => {
                assert!(subgraph.is_none(), "nested subgraph: {line}");
                let (id, title) = rest.split_once('[').unwrap();
                assert!(is_id(id), "subgraph ID {id}");
                decode_mermaid(title.strip_suffix(']').unwrap());
                graph.subgraphs.insert(id.to_string(), Vec::new());
                subgraph = Some(id.to_string());
            }
            "end" => assert!(subgraph.take().is_some(), "`end` without subgraph"),
            "classDef" => {}
            "class" => {
                let (ids, class) = rest.split_once(' ').unwrap();
                let ids = ids.split(',').map(str::to_string).collect();
                graph.classes.insert(class.to_string(), ids);
            }
            "style" => {
                let (id, _) = rest.split_once(' ').unwrap();
                assert!(graph.subgraphs.contains_key(id), "style of unknown {id}");
            }
            "linkStyle" => {
                let (indexes, style) = rest.split_once(' ').unwrap();
                let indexes = indexes.split(',').map(|i| i.parse().unwrap()).collect();
                graph.link_styles.push((indexes, style.to_string()));
            }
            _ if rest.starts_with("-->") || rest.starts_with("-.->") => {
                let (arrow, after) = rest.split_once([' ', '|']).unwrap();
                let (label, to) = match rest[arrow.len()..].strip_prefix('|') {
                    Some(labelled) => {
                        let (label, to) = labelled.rsplit_once("| ").unwrap();
                        (decode_mermaid(label), to)
                    }
                    None => (String::new(), after),
                };
                assert!(is_id(first) && is_id(to), "edge ends: {line}");
                graph
                    .edges
                    .push((first.into(), arrow.into(), label, to.into()));
            }
            _ => {
                let split = line
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or_else(|| panic!("unreadable line: {line}"));
                let (id, shape) = line.split_at(split);
                assert!(is_id(id), "node ID {id}");
                let (open, close) = SHAPES
                    .iter()
                    .find(|(open, close)| shape.starts_with(open) && shape.ends_with(close))
                    .unwrap_or_else(|| panic!("unknown shape: {line}"));
                let label = decode_mermaid(&shape[open.len()..shape.len() - close.len()]);
                let before = graph
                    .nodes
                    .insert(id.to_string(), (open.to_string(), label));
                assert!(before.is_none(), "node {id} defined twice");
                if let Some(subgraph) = &subgraph {
                    graph
                        .subgraphs
                        .get_mut(subgraph)
                        .unwrap()
                        .push(id.to_string());
                }
            }
        }
    }
    assert!(subgraph.is_none(), "unclosed subgraph");
    graph
}

impl Mermaid {
    /// The ID of the node whose label's first line is `name`.
    fn node_named(&self, name: &str) -> Option<&String> {
        self.nodes
            .iter()
            .find(|(_, (_, label))| label.lines().next() == Some(name))
            .map(|(id, _)| id)
    }
}

/// The structure every picture of a program file must have, in Mermaid.
fn check_mermaid(file: &str, text: &str) -> Mermaid {
    check_mermaid_of(file, text, &checked(file))
}

/// The structure every picture of `checked` must have, in Mermaid.
fn check_mermaid_of(file: &str, text: &str, checked: &Checked) -> Mermaid {
    let graph = read_mermaid(text);
    for (from, _, _, to) in &graph.edges {
        for end in [from, to] {
            assert!(
                graph.nodes.contains_key(end),
                "{file}: edge to undefined {end}"
            );
        }
    }
    for (class, ids) in &graph.classes {
        for id in ids {
            assert!(
                graph.nodes.contains_key(id),
                "{file}: class {class} of undefined {id}"
            );
        }
    }
    for (indexes, _) in &graph.link_styles {
        assert!(
            indexes.iter().all(|&i| i < graph.edges.len()),
            "{file}: linkStyle"
        );
    }
    let (roles, resources) = must_show(checked);
    for role in &roles {
        let id = graph
            .node_named(role)
            .unwrap_or_else(|| panic!("{file}: role {role} not drawn"));
        let guest = checked
            .pools()
            .iter()
            .flat_map(|pool| &pool.roles)
            .chain(checked.shared_roles())
            .any(|r| &r.logical_id == role && r.usage.keyword() == "unauthenticated");
        let in_guests = graph.subgraphs.get("cluster_guests");
        assert_eq!(
            in_guests.is_some_and(|ids| ids.contains(id)),
            guest,
            "{file}: {role} is in the guests' subgraph exactly when guests get it"
        );
        assert_eq!(
            graph
                .classes
                .get("guest")
                .is_some_and(|ids| ids.contains(id)),
            guest,
            "{file}: {role} has the guest style exactly when guests get it"
        );
    }
    for resource in &resources {
        assert!(
            graph.node_named(resource).is_some(),
            "{file}: resource {resource} not drawn"
        );
    }
    // Every edge to a resource says what is granted; deny edges look
    // different (dotted and red) and say `deny`.
    let red: BTreeSet<usize> = graph
        .link_styles
        .iter()
        .filter(|(_, style)| style.contains("#c62828"))
        .flat_map(|(indexes, _)| indexes.iter().copied())
        .collect();
    for (index, (_, arrow, label, to)) in graph.edges.iter().enumerate() {
        if graph
            .classes
            .get("resource")
            .is_some_and(|ids| ids.contains(to))
        {
            assert!(!label.is_empty(), "{file}: unlabelled permission edge");
            let deny = label.starts_with("deny ");
            assert_eq!(
                arrow == "-.->",
                deny,
                "{file}: `{label}` drawn with {arrow}"
            );
            assert_eq!(red.contains(&index), deny, "{file}: `{label}` colour");
        }
    }
    graph
}

#[test]
fn mermaid_of_every_example_is_well_formed_and_shows_every_role_and_resource() {
    for file in examples() {
        check_mermaid(&file, &graph(&file, "mermaid"));
    }
}

#[test]
fn mermaid_shows_mapping_rules_otherwise_and_guests() {
    let groups = check_mermaid(
        &example("group-roles"),
        &graph(&example("group-roles"), "mermaid"),
    );
    let edge = |graph: &Mermaid, to: &str| {
        let id = graph.node_named(to).unwrap().clone();
        graph
            .edges
            .iter()
            .filter(|(_, _, _, target)| *target == id)
            .map(|(from, arrow, label, _)| {
                (graph.nodes[from].1.clone(), arrow.clone(), label.clone())
            })
            .collect::<Vec<_>>()
    };
    let staff = "user pool StaffUserPool\nclient StaffWebClient".to_string();
    assert_eq!(
        edge(&groups, "AdminRole")[0],
        (
            staff.clone(),
            "-->".into(),
            "1. cognito:groups contains \"admin\"".into()
        )
    );
    assert_eq!(
        edge(&groups, "EditorRole")[0],
        (
            staff.clone(),
            "-->".into(),
            "2. custom:team == \"editors\"".into()
        )
    );
    assert_eq!(
        edge(&groups, "no credentials"),
        [(staff, "-.->".into(), "otherwise".into())]
    );
    let guests = check_mermaid(
        &example("guest-access"),
        &graph(&example("guest-access"), "mermaid"),
    );
    assert_eq!(
        edge(&guests, "TrailsGuestRole"),
        [(
            "TrailsIdentityPool\nidentity pool".into(),
            "-.->".into(),
            "guests, not signed in".into()
        )]
    );
}

#[test]
fn shared_roles_token_mappings_access_levels_and_many_conditions() {
    check_dot(SHARED, &graph(SHARED, "dot"));
    let graph = check_mermaid(SHARED, &graph(SHARED, "mermaid"));
    let into = |name: &str| {
        let id = graph.node_named(name).unwrap().clone();
        graph
            .edges
            .iter()
            .filter(|(_, _, _, to)| *to == id)
            .map(|(from, _, label, _)| (graph.nodes[from].1.clone(), label.clone()))
            .collect::<Vec<_>>()
    };
    let staff = "user pool StaffPool\nclient StaffClient".to_string();
    assert_eq!(
        into("the role the token names"),
        [(staff.clone(), "by token".to_string())]
    );
    assert_eq!(into("no credentials"), [(staff, "otherwise".to_string())]);
    // No provider falls back to StaffRole, but it is the pool's: drawn.
    assert_eq!(
        into("StaffRole"),
        [(
            "StaffIdentityPool\nidentity pool".to_string(),
            "authenticated role".to_string()
        )]
    );
    let reports: Vec<String> = into("ReportsBucket").into_iter().map(|(_, l)| l).collect();
    assert!(
        reports.contains(&"read, write\non /staff/*".to_string()),
        "{reports:?}"
    );
    assert_eq!(
        into("OrdersTable"),
        [(
            "AuditorRole\nrole".to_string(),
            "read\nwhen all dynamodb:LeadingKeys == [\"$<sub>\", +1 more]\n\
             and aws:SecureTransport is true\nand 2 more conditions"
                .to_string()
        )]
    );
}

#[test]
fn odd_characters_survive_both_notations() {
    let run = idpc(&["graph", ODD]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mermaid = check_mermaid(ODD, &run.stdout);
    let arn = "arn:aws:s3:::odd-bucket/say \"hi\" | #1 <b> \\ &/*";
    assert!(mermaid.node_named(arn).is_some(), "{:?}", mermaid.nodes);
    // Two ARNs whose IDs would collide get two nodes.
    let a = mermaid.node_named("arn:aws:s3:::a.b/*").unwrap();
    let b = mermaid.node_named("arn:aws:s3:::a_b/*").unwrap();
    assert_ne!(a, b);
    // A resource named like a Mermaid keyword.
    assert!(mermaid.node_named("end").is_some());
    let rule = r#"1. custom:team == "say \"hi\" | #x <y> \\""#;
    assert!(mermaid.edges.iter().any(|(_, _, label, _)| label == rule));
    let cut = r#"2. custom:style == "x:y#1""#;
    assert!(
        mermaid.edges.iter().any(|(_, _, label, _)| label == cut),
        "{:?}",
        mermaid.edges
    );

    let dot = check_dot(ODD, &graph(ODD, "dot"));
    assert!(dot.nodes.values().any(|label| label.starts_with(arn)));
    assert!(
        dot.edges
            .iter()
            .any(|(_, _, attributes)| attributes.get("label").is_some_and(|l| l == rule))
    );
}

// ---------------------------------------------------------------------------
// A reader of the DOT this command writes: statements of quoted IDs and
// `key=value` attributes. Graphviz itself reads every example in CI.

#[derive(Debug, Default)]
struct Dot {
    /// Node ID → label decoded.
    nodes: BTreeMap<String, String>,
    /// (from, to, attributes decoded).
    edges: Vec<(String, String, BTreeMap<String, String>)>,
}

/// Splits `text` into tokens: quoted strings (decoded, with `\n` as a line
/// break), punctuation, and bare words.
fn dot_tokens(text: &str) -> Vec<(bool, String)> {
    let mut tokens = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {}
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '"' => {
                let mut string = String::new();
                loop {
                    match chars.next().expect("unterminated string") {
                        '"' => break,
                        '\\' => match chars.next().expect("escape at end") {
                            'n' => string.push('\n'),
                            c @ ('"' | '\\') => string.push(c),
                            other => panic!("unexpected escape \\{other}"),
                        },
                        '\n' => panic!("newline in string"),
                        c => string.push(c),
                    }
                }
                tokens.push((true, string));
            }
            '{' | '}' | '[' | ']' | ';' | ',' | '=' => tokens.push((false, c.to_string())),
            '-' if chars.peek() == Some(&'>') => {
                chars.next();
                tokens.push((false, "->".to_string()));
            }
            c => {
                let mut word = c.to_string();
                while let Some(&next) = chars.peek() {
                    if next.is_ascii_alphanumeric() || next == '_' || next == '.' || next == '#' {
                        word.push(next);
                        chars.next();
                    } else {
                        break;
                    }
                }
                assert!(
                    word.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.'),
                    "unquoted {word}"
                );
                tokens.push((false, word));
            }
        }
    }
    tokens
}

fn check_dot(file: &str, text: &str) -> Dot {
    let tokens = dot_tokens(text);
    let words: Vec<&str> = tokens.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(&words[..3], ["digraph", "idpc", "{"], "{file}");
    assert_eq!(words.last(), Some(&"}"));
    let mut depth = 0;
    for (quoted, token) in &tokens {
        match (quoted, token.as_str()) {
            (false, "{") => depth += 1,
            (false, "}") => depth -= 1,
            _ => {}
        }
        assert!(depth >= 0, "{file}: unbalanced braces");
    }
    assert_eq!(depth, 0, "{file}: unbalanced braces");
    let mut dot = Dot::default();
    // Statements: split at `;`, `{` and `}`.
    let mut statement: Vec<&(bool, String)> = Vec::new();
    for token in &tokens {
        if !token.0 && [";", "{", "}"].contains(&token.1.as_str()) {
            read_dot_statement(file, &statement, &mut dot);
            statement.clear();
        } else {
            statement.push(token);
        }
    }
    for (from, to, _) in &dot.edges {
        for end in [from, to] {
            assert!(
                dot.nodes.contains_key(end),
                "{file}: edge to undeclared {end}"
            );
        }
    }
    dot
}

fn read_dot_statement(file: &str, statement: &[&(bool, String)], dot: &mut Dot) {
    let attributes = |tokens: &[&(bool, String)]| {
        let mut map = BTreeMap::new();
        if tokens.is_empty() {
            return map;
        }
        assert_eq!(tokens[0].1, "[", "{file}: attributes {tokens:?}");
        assert_eq!(tokens[tokens.len() - 1].1, "]");
        for pair in tokens[1..tokens.len() - 1].split(|t| !t.0 && t.1 == ",") {
            let [key, eq, value] = pair else {
                panic!("{file}: attribute {pair:?}")
            };
            assert_eq!(eq.1, "=");
            map.insert(key.1.clone(), value.1.clone());
        }
        map
    };
    match statement {
        [] => {}
        [(false, keyword), ..] if ["digraph", "subgraph"].contains(&keyword.as_str()) => {}
        [(false, keyword), (false, _), ..] if ["node", "edge"].contains(&keyword.as_str()) => {}
        [(false, _), (false, eq), _] if eq == "=" => {}
        [(true, from), (false, arrow), (true, to), rest @ ..] if arrow == "->" => {
            dot.edges.push((from.clone(), to.clone(), attributes(rest)));
        }
        [(true, id), rest @ ..] => {
            let attributes = attributes(rest);
            let before = dot.nodes.insert(id.clone(), attributes["label"].clone());
            assert!(before.is_none(), "{file}: node {id} declared twice");
        }
        other => panic!("{file}: unreadable statement {other:?}"),
    }
}

#[test]
fn dot_of_every_example_is_well_formed_and_shows_every_role_and_resource() {
    for file in examples() {
        check_dot_of(&file, &graph(&file, "dot"), &checked(&file));
    }
}

/// The structure every picture of `checked` must have, in DOT.
fn check_dot_of(file: &str, text: &str, checked: &Checked) {
    let dot = check_dot(file, text);
    let (roles, resources) = must_show(checked);
    for name in roles.iter().chain(&resources) {
        assert!(
            dot.nodes
                .values()
                .any(|label| label.lines().next() == Some(name)),
            "{file}: {name} not drawn"
        );
    }
    for (_, _, attributes) in &dot.edges {
        let deny = attributes
            .get("label")
            .is_some_and(|l| l.starts_with("deny "));
        if deny {
            assert_eq!(
                attributes["style"], "dashed",
                "{file}: deny edges are dashed"
            );
        }
    }
}

proptest! {
    // Moderate by default so `cargo test` stays fast; PROPTEST_CASES raises it.
    #![proptest_config(Config {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(64),
        failure_persistence: None,
        ..Config::default()
    })]

    /// Every generated valid program draws, in both notations, a picture
    /// the readers accept that shows each of its roles and resources.
    #[test]
    fn every_generated_program_draws_well_formed(program in r#gen::program()) {
        let checked = idpc::check_program(
            "generated.idp",
            program.text.as_bytes(),
            &idpc::Options::default(),
            &mut Sources::new(),
        )
        .checked
        .unwrap_or_else(|| panic!("a generated program is valid:\n{}", program.text));
        let label = format!("generated program:\n{}\n", program.text);
        let mermaid = idpc::graph::draw(&checked, "generated.idp", Notation::Mermaid);
        check_mermaid_of(&label, &mermaid, &checked);
        let dot = idpc::graph::draw(&checked, "generated.idp", Notation::Dot);
        check_dot_of(&label, &dot, &checked);
    }
}

// ---------------------------------------------------------------------------

#[test]
fn readme_shows_the_current_picture_of_notes() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let blocks: Vec<&str> = readme
        .split("```mermaid\n")
        .skip(1)
        .map(|after| after.split("```").next().unwrap())
        .collect();
    assert_eq!(blocks.len(), 1, "one Mermaid block in the README");
    assert_eq!(
        blocks[0],
        graph("examples/notes.idp", "mermaid"),
        "README.md's Mermaid block is stale: paste `idpc graph examples/notes.idp`"
    );
}

#[test]
fn a_program_with_errors_prints_its_diagnostics_and_draws_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.idp");
    std::fs::write(
        &bad,
        "use bucket AttachmentsBucket\nidentity_pool P {\n  authenticated role {\n    allow s3:GetObject on AttachmentBucket/*\n  }\n}\n",
    )
    .unwrap();
    let out = dir.path().join("graph.mmd");
    let run = idpc(&["graph", bad.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("error[E0101]"), "{}", run.stderr);
    assert!(
        run.stderr.contains("did you mean `AttachmentsBucket`"),
        "{}",
        run.stderr
    );
    assert!(!out.exists(), "nothing is written on errors");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temp file left"
    );
}

#[test]
fn warnings_are_shown_and_deny_warnings_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let program = dir.path().join("warns.idp");
    std::fs::write(
        &program,
        "use bucket B, Unused\nidentity_pool P {\n  authenticated role {\n    allow s3:GetObject on B/*\n  }\n}\n",
    )
    .unwrap();
    let file = program.to_str().unwrap();
    let run = idpc(&["graph", file]);
    assert_eq!(run.code, 0);
    assert!(run.stderr.contains("warning[W0101]"), "{}", run.stderr);
    assert!(run.stdout.starts_with("%% "));
    let run = idpc(&["--deny-warnings", "graph", file]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
}

#[test]
fn output_file_holds_exactly_what_stdout_would() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("notes.dot");
    let run = idpc(&[
        "graph",
        "examples/notes.idp",
        "--format",
        "dot",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        graph("examples/notes.idp", "dot")
    );
}

#[test]
fn unknown_format_and_missing_file_are_usage_errors() {
    let run = idpc(&["graph", "examples/notes.idp", "--format", "svg"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("mermaid"), "{}", run.stderr);
    let run = idpc(&["graph", "examples/nope.idp"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("E0901"), "{}", run.stderr);
}

/// A role's picture shows everything it is allowed: its named policies'
/// statements and those of the program's managed policies it attaches.
#[test]
fn a_role_is_drawn_with_its_named_and_attached_policies() {
    let program = r#"
use table NotesTable
use bucket FilesBucket

managed_policy ReadNotes {
  allow dynamodb:GetItem on NotesTable
}

identity_pool NotesPool {
  authenticated role {
    managed_policy ReadNotes
    policy "Uploads" as NotesUploadsPolicy {
      allow s3:PutObject on FilesBucket/private/$<sub>/*
    }
  }
}
"#;
    let checked = idpc::check_program(
        "policies.idp",
        program.as_bytes(),
        &idpc::Options::default(),
        &mut Sources::new(),
    )
    .checked
    .unwrap();
    let mermaid = idpc::graph::draw(&checked, "policies.idp", Notation::Mermaid);
    assert!(
        mermaid.contains("role_NotesPoolAuthRole -->|\"dynamodb:GetItem\"| resource_NotesTable"),
        "{mermaid}"
    );
    assert!(
        mermaid.contains("role_NotesPoolAuthRole -->|\"s3:PutObject<br>"),
        "{mermaid}"
    );
}

/// Roles the program attaches but does not define (`use role`, an ARN) are
/// drawn, said to be the stack's and not checked: never left out, as if
/// the pool gave guests or signed-in users nothing.
#[test]
fn roles_of_the_stack_are_drawn_as_not_checked() {
    let file = "tests/ui/pool/role_of_the_stack.idp";
    let run = idpc(&["graph", file]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let graph = check_mermaid(file, &run.stdout);
    let label = |name: &str| {
        let id = graph
            .node_named(name)
            .unwrap_or_else(|| panic!("{name} not drawn"));
        graph.nodes[id].1.clone()
    };
    assert_eq!(
        label("GuestRole"),
        "GuestRole\nguests' role of the stack, not checked"
    );
    assert_eq!(
        label("AdminRole"),
        "AdminRole\nrole of the stack, not checked"
    );
    let guest = graph.node_named("GuestRole").unwrap();
    assert!(graph.subgraphs["cluster_guests"].contains(guest));
    let file = "tests/fixtures/graph/roles-of-the-stack.idp";
    let run = idpc(&["graph", file]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let graph = check_mermaid(file, &run.stdout);
    let provider = "user pool $(UserPoolProviderName)\nclient $(AppClientId)";
    let role = "$(AuthRoleArn)\nrole of the stack, not checked";
    let edge = graph
        .edges
        .iter()
        .find(|(from, _, _, to)| graph.nodes[from].1 == provider && graph.nodes[to].1 == role);
    assert_eq!(edge.map(|e| e.2.as_str()), Some("signed in"), "{graph:?}");
}
