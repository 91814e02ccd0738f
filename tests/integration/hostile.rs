//! Hostile queries: each gives an error (exit 2) or a correct empty result, never a
//! panic or a stack overflow, and the store is unchanged.

use crate::support::seed_store;

fn hostile_queries() -> Vec<String> {
    vec![
        "\"'); DROP TABLE relation; --\" visited ?x".to_string(),
        "?x visited \"Baku\\\"; DROP TABLE entity; --\"".to_string(),
        "?x visited Baku; DROP TABLE relation".to_string(),
        "?x visited Baku -- DROP TABLE relation".to_string(),
        "?x visited 'Baku'".to_string(),
        "?x visited \"Ba\u{0}ku\"".to_string(),
        "?x visited Ba\u{0}ku".to_string(),
        "?x visited \"\u{202E}ukaB\"".to_string(),
        "?x \u{202E}visited Baku".to_string(),
        format!("?x visited \"{}\"", "a".repeat(1_000_000)),
        format!("?x visited {}", "B".repeat(1_000_000)),
        format!(
            "{}?x visited Baku{}",
            "(".repeat(10_000),
            ")".repeat(10_000)
        ),
        format!("?x visited Baku {}", "| ".repeat(10_000)),
        format!("?x visited Baku {}", "| limit 1 ".repeat(10_000)),
        format!("{}?x visited Baku", "not ".repeat(10_000)),
        format!("?x visited Baku in {}", "2024..".repeat(10_000)),
        "?x visited|visited|visited|visited ?y".to_string(),
        "\u{FEFF}?x visited Baku".to_string(),
        "?x visited Baku status \u{0}".to_string(),
        "?".to_string(),
        "".to_string(),
        "   # only a comment".to_string(),
        "\"unterminated".to_string(),
        "?x visited Baku in 2025-02-30".to_string(),
        "?x visited Baku in 99999999999999999999999".to_string(),
        "?x visited Baku | limit 99999999999999999999999".to_string(),
    ]
}

#[test]
fn hostile_queries_never_crash_and_change_nothing() {
    let db = seed_store();
    let before = db.ok(&["export"]);
    for q in hostile_queries() {
        // Through stdin: one argument may not exceed 128 KiB on Linux.
        let out = db.run_with_stdin(&["query", "--format", "json", "-"], &q);
        let shown: String = q.chars().take(60).collect();
        assert!(
            out.status == 0 || out.status == 2,
            "query {shown:?} exited {}: {}",
            out.status,
            out.stderr.chars().take(500).collect::<String>()
        );
        assert!(
            !out.stderr.contains("panicked"),
            "{shown:?}: {}",
            out.stderr
        );
        if out.status == 0 {
            let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
            assert!(v.is_array(), "{shown:?}");
        } else {
            assert!(
                out.stdout.is_empty(),
                "{shown:?} printed to stdout on error"
            );
            assert!(
                out.stderr.starts_with("error: "),
                "{shown:?}: {}",
                out.stderr
            );
        }
    }
    assert_eq!(db.ok(&["export"]), before, "the store changed");
}
