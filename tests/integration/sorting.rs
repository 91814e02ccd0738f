//! `sort when` orders rows by their time (its start, then its end), not by its text.

use crate::support::seed_store;

#[test]
fn sort_when_orders_by_time_not_by_text() {
    let store = seed_store();
    // Text order ("2024-01" < "2025-03" < "early…" < "mid…") differs from time order.
    for when in ["2025-03", "early 2025-02", "mid 2024", "2024-01"] {
        store.ok(&[
            "query",
            &format!("add Pezeshkian met Baku when {when} source seed-article"),
        ]);
    }
    let whens = |q: &str| -> Vec<String> {
        store
            .ok(&["query", "--format", "tsv", q])
            .lines()
            .skip(1)
            .map(String::from)
            .collect()
    };
    let time_order = ["2024-01", "mid 2024", "early 2025-02", "2025-03"];
    assert_eq!(
        whens("Pezeshkian met Baku | show when | sort when"),
        time_order
    );
    let mut reversed = time_order;
    reversed.reverse();
    assert_eq!(
        whens("Pezeshkian met Baku | show when | sort when desc"),
        reversed
    );
    // Through a label, a `count by` and a `limit`.
    assert_eq!(
        whens("Pezeshkian met Baku @m | show @m.when | sort @m.when | limit 2"),
        time_order[..2]
    );
    assert_eq!(
        whens("Pezeshkian met ?x | count by when | sort when | show when"),
        time_order
    );
}
