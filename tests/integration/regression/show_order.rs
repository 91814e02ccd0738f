//! An unsorted query gives its rows in the same order whether or not `show` narrows its
//! columns (issue 15, part 6).

use crate::support::{seed_store, seed_store_with, TempStore};

/// The values of column `name` of `query`'s rows, in order (from JSON Lines).
fn column(store: &TempStore, query: &str, name: &str) -> Vec<String> {
    store
        .ok(&["query", "--format", "jsonl", query])
        .lines()
        .map(|line| {
            let row: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
            row[name].to_string()
        })
        .collect()
}

/// The rows of `full | show …` must be those of `full`, column by column, in its order.
fn assert_same_order(store: &TempStore, full: &str, show: &str, names: &[&str]) {
    for name in names {
        let want = column(store, full, name);
        assert!(!want.is_empty(), "{full} gave no rows");
        assert_eq!(column(store, show, name), want, "`{show}`, column {name}");
    }
}

/// On the demo store `?s ?p ?o | show ?o` listed Iran and Azerbaijan second and third,
/// where `?s ?p ?o` has them later: SQLite read the narrowed statement through another
/// (covering) index, so its rows came in another order.
#[test]
fn show_read_the_rows_in_another_order_than_the_query_without_it() {
    let store = seed_store();
    assert_same_order(&store, "?s ?p ?o", "?s ?p ?o | show ?o", &["o"]);
    assert_same_order(&store, "?s ?p ?o", "?s ?p ?o | show o, p", &["o", "p"]);
    // `limit` keeps the same first rows, before or after `show`.
    assert_same_order(
        &store,
        "?s ?p ?o | limit 6",
        "?s ?p ?o | show ?o | limit 6",
        &["o"],
    );
    assert_same_order(
        &store,
        "?s ?p ?o | limit 6",
        "?s ?p ?o | limit 6 | show s.id, ?o",
        &["s.id", "o"],
    );
    assert_eq!(
        column(&store, "?s ?p ?o | show o", "o").len(),
        column(&store, "?s ?p ?o", "o").len()
    );
}

/// The same on a store of generated relations, where the orders differed too.
#[test]
fn show_read_generated_rows_in_another_order() {
    let store = seed_store_with(200, 2000, "g");
    assert_same_order(&store, "?s ?p ?o", "?s ?p ?o | show ?o", &["o"]);
    assert_same_order(&store, "?a g_linked ?b", "?a g_linked ?b | show ?b", &["b"]);
    // A graph of the narrowed rows still draws the relations behind them.
    let dot = store.ok(&["query", "--format", "dot", "?s ?p ?o | show ?o | limit 3"]);
    assert_eq!(dot.matches(" -> ").count(), 3, "{dot}");
}
