//! The data model read the same everywhere: a relation's time as written.

use crate::support::TempStore;

const DATA: &str = r#"{"type":"entity","id":"aliyev","kind":"person","name":"Ilham Aliyev"}
{"type":"entity","id":"baku","kind":"city","name":"Baku"}
{"type":"entity","id":"tehran","kind":"city","name":"Tehran"}
{"type":"relation","subject":"aliyev","predicate":"visited","object":"baku","from":"2023-01","to":"mid 2024"}
{"type":"relation","subject":"aliyev","predicate":"visited","object":"tehran","from":"2024-03"}
"#;

fn store() -> TempStore {
    let store = TempStore::new();
    let file = store.db.with_file_name("times.jsonl");
    std::fs::write(&file, DATA).unwrap();
    store.ok(&["import", file.to_str().unwrap()]);
    store
}

/// `--format dot` and `--format mermaid` labelled a relation recorded `from 2023-01 to
/// mid 2024` as `2023-01/mid 2024` (and one with only a start as `2024-03/`), while the
/// table's `when` column of the same query said `from 2023-01 to mid 2024`.
#[test]
fn graph_labels_wrote_a_range_unlike_the_when_column() {
    let store = store();
    let query = "aliyev visited ?c";
    let table = store.ok(&["query", "--format", "json", query]);
    for when in ["from 2023-01 to mid 2024", "from 2024-03"] {
        assert!(table.contains(&format!("\"{when}\"")), "{table}");
        for format in ["dot", "mermaid"] {
            let graph = store.ok(&["query", "--format", format, query]);
            assert!(graph.contains(when), "{format}: {graph}");
            assert!(!graph.contains("2023-01/"), "{format}: {graph}");
            assert!(!graph.contains("2024-03/"), "{format}: {graph}");
        }
    }
}
