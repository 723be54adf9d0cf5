//! The picture in Graphviz's DOT notation.

use super::{EdgeKind, Graph, Node, NodeKind};
use std::fmt::Write as _;

impl Graph {
    /// The picture as a DOT `digraph`, left to right.
    pub fn dot(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "// {}", self.header);
        out.push_str("digraph \"idpc\" {\n");
        out.push_str("  rankdir=LR;\n");
        out.push_str("  node [fontname=\"Helvetica\", fontsize=11, style=filled];\n");
        out.push_str("  edge [fontname=\"Helvetica\", fontsize=9];\n");
        for cluster in &self.clusters {
            let _ = writeln!(out, "  subgraph {} {{", quote(&cluster.id));
            let _ = writeln!(out, "    label={};", quote(&cluster.title));
            match cluster.guests {
                true => out.push_str(
                    "    style=\"dashed,filled\"; color=\"#ef6c00\"; fillcolor=\"#fffaf3\";\n",
                ),
                false => out.push_str("    style=rounded; color=\"#1565c0\";\n"),
            }
            for node in &cluster.nodes {
                let _ = writeln!(out, "    {}", node_line(node));
            }
            out.push_str("  }\n");
        }
        for node in &self.nodes {
            let _ = writeln!(out, "  {}", node_line(node));
        }
        for edge in &self.edges {
            let mut attributes = Vec::new();
            if !edge.lines.is_empty() {
                attributes.push(format!("label={}", label(&edge.lines)));
            }
            match edge.kind {
                EdgeKind::Provider => attributes.push("arrowhead=none".to_string()),
                EdgeKind::Assumes | EdgeKind::Allow => {}
                EdgeKind::Guests => attributes
                    .push("style=dashed, color=\"#ef6c00\", fontcolor=\"#ef6c00\"".to_string()),
                EdgeKind::Refused | EdgeKind::Deny => attributes
                    .push("style=dashed, color=\"#c62828\", fontcolor=\"#c62828\"".to_string()),
            }
            let attributes = match attributes.is_empty() {
                true => String::new(),
                false => format!(" [{}]", attributes.join(", ")),
            };
            let _ = writeln!(
                out,
                "  {} -> {}{attributes};",
                quote(&edge.from),
                quote(&edge.to)
            );
        }
        out.push_str("}\n");
        out
    }
}

/// A node's statement: its ID, label, shape and colours.
fn node_line(node: &Node) -> String {
    let (shape, fill, stroke, extra) = match node.kind {
        NodeKind::Pool => ("hexagon", "#e3f2fd", "#1565c0", ""),
        NodeKind::Provider => ("box", "#f3e5f5", "#6a1b9a", ", style=\"rounded,filled\""),
        NodeKind::Role => ("box", "#e8f5e9", "#2e7d32", ""),
        NodeKind::GuestRole => ("box", "#fff3e0", "#ef6c00", ", style=\"dashed,filled\""),
        NodeKind::FromToken => (
            "parallelogram",
            "#e8f5e9",
            "#2e7d32",
            ", style=\"dashed,filled\"",
        ),
        NodeKind::NoCredentials => ("octagon", "#ffebee", "#c62828", ""),
        NodeKind::Resource => ("cylinder", "#eceff1", "#455a64", ""),
    };
    format!(
        "{} [label={}, shape={shape}, fillcolor=\"{fill}\", color=\"{stroke}\"{extra}];",
        quote(&node.id),
        label(&node.lines)
    )
}

/// Lines of a label, as one quoted DOT string with `\n` line breaks.
fn label(lines: &[String]) -> String {
    let joined = lines
        .iter()
        .map(|line| escape(line))
        .collect::<Vec<_>>()
        .join("\\n");
    format!("\"{joined}\"")
}

/// A quoted DOT ID.
fn quote(text: &str) -> String {
    format!("\"{}\"", escape(text))
}

/// Text safe inside a quoted DOT string: `"` and `\` escaped (so a
/// backslash in a name is not read as a Graphviz `\n`, `\N`, ...), control
/// characters as spaces.
pub(super) fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => escaped.push_str("\\\""),
            '\\' => escaped.push_str("\\\\"),
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
    fn quotes_and_backslashes_stay_inside_the_string() {
        assert_eq!(escape(r#"a "b" \n"#), r#"a \"b\" \\n"#);
    }
}
