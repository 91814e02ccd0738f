//! Graph formats: Graphviz DOT and Mermaid, from a result's graph (entities as nodes
//! labelled with their names and shaped by kind, relations as edges labelled with
//! predicate and date).

use std::io::{self, Write};

use crate::model::Status;
use crate::value::{Graph, GraphEdge, ResultSet};

/// Graphviz node shape for an entity kind.
fn dot_shape(kind: &str) -> &'static str {
    match kind {
        "person" => "ellipse",
        "country" => "box3d",
        "city" => "house",
        "place" => "invhouse",
        "organization" | "organisation" => "box",
        "event" => "diamond",
        "agreement" => "note",
        _ => "oval",
    }
}

/// A DOT string literal.
fn dot_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Is the edge's relation known to have happened? Others are drawn dashed, their status
/// in the label.
fn occurred(e: &GraphEdge) -> bool {
    e.status == Status::Occurred.as_str()
}

fn edge_label(e: &GraphEdge) -> String {
    let mut label = e.predicate.clone();
    if let Some(w) = &e.when {
        label.push('\n');
        label.push_str(w);
    }
    if !occurred(e) {
        label.push_str(&format!(" ({})", e.status));
    }
    label
}

pub(crate) fn write_dot(result: &ResultSet, out: &mut dyn Write) -> io::Result<()> {
    let empty = Graph::default();
    let g = result.graph.as_ref().unwrap_or(&empty);
    writeln!(out, "digraph factstore {{")?;
    writeln!(out, "  rankdir=LR;")?;
    writeln!(out, "  node [fontname=\"sans-serif\"];")?;
    writeln!(out, "  edge [fontname=\"sans-serif\", fontsize=10];")?;
    for n in &g.nodes {
        writeln!(
            out,
            "  {} [label={}, shape={}];",
            dot_quote(&n.id),
            dot_quote(&n.name),
            dot_shape(&n.kind)
        )?;
    }
    for e in &g.edges {
        let mut attrs = vec![format!("label={}", dot_quote(&edge_label(e)))];
        if e.symmetric {
            attrs.push("dir=none".into());
        }
        if !occurred(e) {
            attrs.push("style=dashed".into());
        }
        writeln!(
            out,
            "  {} -> {} [{}];",
            dot_quote(&e.from),
            dot_quote(&e.to),
            attrs.join(", ")
        )?;
    }
    writeln!(out, "}}")
}

/// Mermaid text in a label: quotes and angle brackets as entities, lines as `<br/>`.
fn mermaid_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '\n' => out.push_str("<br/>"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Mermaid node with its shape by kind.
fn mermaid_node(id: usize, name: &str, kind: &str) -> String {
    let text = mermaid_text(name);
    let (open, close) = match kind {
        "person" => ("([", "])"),
        "country" => ("[[", "]]"),
        "city" | "place" => ("[(", ")]"),
        "organization" | "organisation" => ("[", "]"),
        "event" => ("{{", "}}"),
        "agreement" => ("[/", "/]"),
        _ => ("(", ")"),
    };
    format!("n{id}{open}\"{text}\"{close}")
}

pub(crate) fn write_mermaid(result: &ResultSet, out: &mut dyn Write) -> io::Result<()> {
    let empty = Graph::default();
    let g = result.graph.as_ref().unwrap_or(&empty);
    writeln!(out, "graph LR")?;
    for (i, n) in g.nodes.iter().enumerate() {
        writeln!(out, "  {}", mermaid_node(i, &n.name, &n.kind))?;
    }
    let index = |id: &str| g.nodes.iter().position(|n| n.id == id);
    for e in &g.edges {
        let (Some(a), Some(b)) = (index(&e.from), index(&e.to)) else {
            continue;
        };
        let arrow = match (e.symmetric, occurred(e)) {
            (true, true) => "---",
            (false, true) => "-->",
            (true, false) => "-.-",
            (false, false) => "-.->",
        };
        writeln!(
            out,
            "  n{a} {arrow}|\"{}\"| n{b}",
            mermaid_text(&edge_label(e))
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::GraphNode;

    fn sample() -> ResultSet {
        ResultSet {
            graph: Some(Graph {
                nodes: vec![
                    GraphNode {
                        id: "pezeshkian".into(),
                        name: "Masoud \"Pezeshkian\"".into(),
                        kind: "person".into(),
                    },
                    GraphNode {
                        id: "baku".into(),
                        name: "باكو".into(),
                        kind: "city".into(),
                    },
                ],
                edges: vec![
                    GraphEdge {
                        from: "pezeshkian".into(),
                        to: "baku".into(),
                        predicate: "visited".into(),
                        when: Some("2025-04-28".into()),
                        symmetric: false,
                        status: "occurred".into(),
                    },
                    GraphEdge {
                        from: "pezeshkian".into(),
                        to: "baku".into(),
                        predicate: "met".into(),
                        when: None,
                        symmetric: true,
                        status: "planned".into(),
                    },
                ],
            }),
            ..ResultSet::default()
        }
    }

    fn text(f: fn(&ResultSet, &mut dyn Write) -> io::Result<()>) -> String {
        let mut out = Vec::new();
        f(&sample(), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn dot_quotes_labels_and_shapes_nodes() {
        let dot = text(write_dot);
        insta::assert_snapshot!(dot);
        assert!(dot.contains("\"pezeshkian\" [label=\"Masoud \\\"Pezeshkian\\\"\", shape=ellipse]"));
        assert!(dot.contains("dir=none"));
    }

    #[test]
    fn mermaid_escapes_quotes() {
        let m = text(write_mermaid);
        insta::assert_snapshot!(m);
        assert!(m.contains("#quot;Pezeshkian#quot;"));
        assert!(m.contains("n0 -->|\"visited<br/>2025-04-28\"| n1"));
    }
}
