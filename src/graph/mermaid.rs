//! The picture in Mermaid's `flowchart` notation, which GitHub renders in
//! Markdown.

use super::{Edge, EdgeKind, Graph, Node, NodeKind};
use std::fmt::Write as _;

/// Colours, shared by the node classes and the edge styles.
const DENY: &str = "#c62828";
const GUEST: &str = "#ef6c00";

impl Graph {
    /// The picture as a Mermaid flowchart, left to right.
    pub fn mermaid(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "%% {}", self.header);
        out.push_str("flowchart LR\n");
        for cluster in &self.clusters {
            let _ = writeln!(
                out,
                "  subgraph {}[\"{}\"]",
                cluster.id,
                escape(&cluster.title)
            );
            for node in &cluster.nodes {
                let _ = writeln!(out, "    {}", terminated(node_line(node)));
            }
            out.push_str("  end\n");
        }
        for node in &self.nodes {
            let _ = writeln!(out, "  {}", terminated(node_line(node)));
        }
        for edge in &self.edges {
            let _ = writeln!(out, "  {}", terminated(edge_line(edge)));
        }
        for (class, style) in [
            ("pool", "fill:#e3f2fd,stroke:#1565c0"),
            ("provider", "fill:#f3e5f5,stroke:#6a1b9a"),
            ("role", "fill:#e8f5e9,stroke:#2e7d32"),
            ("guest", "fill:#fff3e0,stroke:#ef6c00,stroke-dasharray:4 3"),
            ("token", "fill:#e8f5e9,stroke:#2e7d32,stroke-dasharray:4 3"),
            ("refused", "fill:#ffebee,stroke:#c62828"),
            ("resource", "fill:#eceff1,stroke:#455a64"),
        ] {
            let members: Vec<&str> = self
                .all_nodes()
                .filter(|node| class_of(node.kind) == class)
                .map(|node| node.id.as_str())
                .collect();
            if !members.is_empty() {
                let _ = writeln!(out, "  classDef {class} {style}");
                let _ = writeln!(out, "  class {} {class}", members.join(","));
            }
        }
        for cluster in self.clusters.iter().filter(|cluster| cluster.guests) {
            let _ = writeln!(
                out,
                "  style {} fill:#fffaf3,stroke:{GUEST},stroke-dasharray:6 4",
                cluster.id
            );
        }
        for (colour, kinds) in [
            (DENY, [EdgeKind::Deny, EdgeKind::Refused].as_slice()),
            (GUEST, [EdgeKind::Guests].as_slice()),
        ] {
            let indexes: Vec<String> = self
                .edges
                .iter()
                .enumerate()
                .filter(|(_, edge)| kinds.contains(&edge.kind))
                .map(|(index, _)| index.to_string())
                .collect();
            if !indexes.is_empty() {
                let _ = writeln!(
                    out,
                    "  linkStyle {} stroke:{colour},color:{colour}",
                    indexes.join(",")
                );
            }
        }
        out
    }
}

/// An edge: a solid arrow, or a dotted one for guests and refusals, with
/// its label.
fn edge_line(edge: &Edge) -> String {
    let arrow = match edge.kind {
        EdgeKind::Provider | EdgeKind::Assumes | EdgeKind::Allow => "-->",
        EdgeKind::Guests | EdgeKind::Refused | EdgeKind::Deny => "-.->",
    };
    match edge.lines.is_empty() {
        true => format!("{} {arrow} {}", edge.from, edge.to),
        false => format!(
            "{} {arrow}|\"{}\"| {}",
            edge.from,
            label(&edge.lines),
            edge.to
        ),
    }
}

/// A statement, with a `;` at its end when Mermaid would otherwise eat an
/// entity's. Before parsing, Mermaid drops the last `;` of any line that
/// matches `style.*:\S*#.*;` or `classDef.*:\S*#.*;` (meant for its own
/// `style` lines), even inside a label: `tag/style like "a:b#c"` would lose
/// the `;` of an entity and show `#35` as text. The statement's optional
/// terminator is then the `;` it drops.
fn terminated(line: String) -> String {
    let risky = (line.contains("style") || line.contains("classDef")) && line.contains('#');
    match risky {
        true => line + ";",
        false => line,
    }
}

/// A node's definition: its ID, its shape around its quoted label.
fn node_line(node: &Node) -> String {
    let (open, close) = match node.kind {
        NodeKind::Pool => ("{{", "}}"),
        NodeKind::Provider => ("([", "])"),
        NodeKind::Role | NodeKind::GuestRole => ("[", "]"),
        NodeKind::FromToken => ("[/", "/]"),
        NodeKind::NoCredentials => ("((", "))"),
        NodeKind::Resource => ("[(", ")]"),
    };
    format!("{}{open}\"{}\"{close}", node.id, label(&node.lines))
}

/// The class (colour) of a kind of node.
fn class_of(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Pool => "pool",
        NodeKind::Provider => "provider",
        NodeKind::Role => "role",
        NodeKind::GuestRole => "guest",
        NodeKind::FromToken => "token",
        NodeKind::NoCredentials => "refused",
        NodeKind::Resource => "resource",
    }
}

/// Lines of a label, each escaped, joined by line breaks.
fn label(lines: &[String]) -> String {
    lines
        .iter()
        .map(|line| escape(line))
        .collect::<Vec<_>>()
        .join("<br>")
}

/// Text safe inside a quoted Mermaid label: the characters that would end
/// the label (`"`, `|` in an edge label), start an entity (`#`), be read as
/// HTML (`<`, `>`, `&`) or as Markdown (`` ` ``) are written as Mermaid's
/// entity codes, which render as the characters themselves.
pub(super) fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => escaped.push_str("#quot;"),
            '#' => escaped.push_str("#35;"),
            '<' => escaped.push_str("#lt;"),
            '>' => escaped.push_str("#gt;"),
            '&' => escaped.push_str("#amp;"),
            '|' => escaped.push_str("#124;"),
            '`' => escaped.push_str("#96;"),
            c if c.is_control() => escaped.push(' '),
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::escape;

    #[test]
    fn labels_cannot_end_early_or_turn_into_html() {
        assert_eq!(
            escape("a \"b\" | <sub> #1 & `c`\t"),
            "a #quot;b#quot; #124; #lt;sub#gt; #35;1 #amp; #96;c#96; "
        );
    }
}
