//! Analyst views: paths, timelines and graphs on the seed store.

use crate::support::seed_store;

fn jsonl(out: &str) -> Vec<serde_json::Value> {
    out.lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect()
}

#[test]
fn path_hajiyev_to_pezeshkian_goes_through_aliyev() {
    let db = seed_store();
    let rows = jsonl(&db.ok(&["query", "--format", "jsonl", "path Hajiyev to Pezeshkian"]));
    assert!(!rows.is_empty());
    for r in &rows {
        assert_eq!(r["hops"], 2);
        let path = r["path"].as_str().unwrap();
        assert!(path.contains("—aide_of→ Ilham Aliyev"), "{path}");
    }
}

#[test]
fn path_max_one_on_an_unconnected_pair_gives_no_rows() {
    let db = seed_store();
    let out = db.run(&[
        "query",
        "--format",
        "jsonl",
        "path Netanyahu to Pezeshkian max 1",
    ]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(out.stdout.is_empty());
    let out = db.run(&["query", "--format", "jsonl", "path Armenia to Pezeshkian"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(out.stdout.is_empty(), "Armenia has no relations");
}

#[test]
fn path_via_limits_the_predicates() {
    let db = seed_store();
    let rows = jsonl(&db.ok(&[
        "query",
        "--format",
        "jsonl",
        "path Netanyahu to Pezeshkian via prime_minister_of|enemy_of|president_of",
    ]));
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(
        rows[0]["predicates"],
        "prime_minister_of, enemy_of, president_of"
    );
}

#[test]
fn timeline_table_snapshot() {
    let db = seed_store();
    let out = db.ok(&[
        "query",
        "--format",
        "table",
        "Iran -- Azerbaijan | timeline",
    ]);
    insta::assert_snapshot!("timeline_iran_azerbaijan", out);
    // In JSON the rows come in time order with their bounds.
    let rows = jsonl(&db.ok(&[
        "query",
        "--format",
        "jsonl",
        "Iran -- Azerbaijan | timeline",
    ]));
    let starts: Vec<Option<&str>> = rows.iter().map(|r| r["start"].as_str()).collect();
    let mut sorted = starts.clone();
    sorted.sort_by_key(|s| (s.is_some(), *s));
    assert_eq!(starts, sorted);
}

/// `| show ?x | distinct | timeline` drew one bar per relation of an entity: SQL's
/// DISTINCT compared the hidden time bounds too, so an entity came back once per date.
#[test]
fn distinct_timeline_draws_each_row_once_over_the_span_of_its_relations() {
    let db = seed_store();
    let query = "?x ?r Azerbaijan | show ?x | distinct | timeline";
    let table = db.ok(&["query", "--format", "table", query]);
    let iran_bars = table.lines().filter(|l| l.starts_with("Iran ")).count();
    assert_eq!(iran_bars, 1, "{table}");
    let rows = jsonl(&db.ok(&["query", "--format", "jsonl", query]));
    let names: Vec<&str> = rows.iter().filter_map(|r| r["x"].as_str()).collect();
    let mut unique = names.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(names.len(), unique.len(), "{names:?}");
    // The same rows as without the timeline.
    let plain = jsonl(&db.ok(&[
        "query",
        "--format",
        "jsonl",
        "?x ?r Azerbaijan | show ?x | distinct",
    ]));
    assert_eq!(rows.len(), plain.len());
}

#[test]
fn mermaid_snapshot() {
    let db = seed_store();
    let out = db.ok(&[
        "query",
        "--format",
        "mermaid",
        "path Netanyahu to Pezeshkian",
    ]);
    insta::assert_snapshot!("mermaid_path_netanyahu_pezeshkian", out);
    let out = db.ok(&["query", "--format", "mermaid", "?x visited ?y status any"]);
    insta::assert_snapshot!("mermaid_visits", out);
}

/// The predicates of the edges a DOT or Mermaid graph draws, sorted: the first word of
/// each edge label.
fn edge_predicates(graph: &str) -> Vec<String> {
    let mut preds: Vec<String> = graph
        .lines()
        .filter_map(|l| {
            let label = if l.contains(" -> ") {
                l.split_once("label=\"")?.1
            } else {
                l.split_once("|\"")?.1
            };
            let end = label.find(['"', '\\', '<']).unwrap_or(label.len());
            Some(label[..end].to_string())
        })
        .collect();
    preds.sort();
    preds
}

/// The graph of a counted query drew no edges: the count dropped the relation keys.
#[test]
fn count_graph_draws_the_relations_counted() {
    let db = seed_store();
    for format in ["dot", "mermaid"] {
        let counted = db.ok(&["query", "--format", format, "?x visited ?y | count by ?x"]);
        let rows = db.ok(&["query", "--format", format, "?x visited ?y"]);
        assert_eq!(
            edge_predicates(&counted),
            edge_predicates(&rows),
            "{counted}"
        );
        assert_eq!(edge_predicates(&counted), ["visited"; 3], "{counted}");
    }
}

#[test]
fn path_graph_with_limit_draws_only_the_rows_chains() {
    let db = seed_store();
    let query = "path Netanyahu to Hajiyev";
    let all = jsonl(&db.ok(&["query", "--format", "jsonl", query]));
    assert!(all.len() > 1, "the seed has several chains: {all:?}");
    for shown in [
        format!("{query} | limit 1"),
        format!("{query} | sort predicates desc | limit 1"),
        format!("{query} | sort predicates | limit 2"),
    ] {
        let rows = jsonl(&db.ok(&["query", "--format", "jsonl", &shown]));
        assert!(rows.len() < all.len(), "{shown}: {rows:?}");
        // The edges of the rows shown, each once.
        let mut want: Vec<String> = rows
            .iter()
            .flat_map(|r| r["predicates"].as_str().unwrap().split(", "))
            .map(String::from)
            .collect();
        want.sort();
        want.dedup();
        for format in ["dot", "mermaid"] {
            let graph = db.ok(&["query", "--format", format, &shown]);
            assert_eq!(
                edge_predicates(&graph),
                want,
                "{format} of {shown}:\n{graph}"
            );
        }
    }
    // The whole search still draws every chain.
    let every = edge_predicates(&db.ok(&["query", "--format", "dot", query]));
    assert!(
        every.len()
            > edge_predicates(&db.ok(&["query", "--format", "dot", &format!("{query} | limit 1")]))
                .len()
    );
}
