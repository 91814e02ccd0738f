//! Statements past a limit: each is refused at once with a short error that names the
//! limit (exit status 2), and `--timeout` covers the whole statement (exit status 1).

use crate::support::{seed_store, Output, TempStore};

/// Errors stay short whatever the input: a few lines, never the input itself.
const SHORT: usize = 2048;

fn refused(out: &Output, what: &str) {
    assert_eq!(
        out.status,
        2,
        "{what}: {}",
        &out.stderr[..out.stderr.len().min(500)]
    );
    assert!(out.stdout.is_empty(), "{what}: {}", out.stdout);
    assert!(
        out.stderr.len() < SHORT,
        "{what}: {} bytes of stderr: {}",
        out.stderr.len(),
        &out.stderr[..500]
    );
    assert!(out.stderr.starts_with("error: "), "{what}: {}", out.stderr);
}

/// `--format json` so nothing waits for a terminal; `-` reads the statement from stdin.
fn query_stdin(store: &TempStore, text: &str, extra: &[&str]) -> Output {
    let mut args = vec!["query", "--format", "json"];
    args.extend_from_slice(extra);
    args.push("-");
    store.run_with_stdin(&args, text)
}

/// 50 MB of clauses on stdin with `--timeout 10` ran for minutes (the timeout covered
/// only SQL) and took gigabytes before SQLite refused "too many FROM clause terms".
#[test]
fn huge_statement_ran_past_the_timeout() {
    let store = seed_store();
    let text = "?x visited ?y, ".repeat(200_000);
    let out = query_stdin(&store, &text, &["--timeout", "10"]);
    refused(&out, "3 MB of clauses");
    assert!(
        out.stderr.contains("longer than 1048576 bytes"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("FROM clause"), "{}", out.stderr);
    // Within the size limit, the number of clauses is the limit.
    let text = "?x visited ?y, ".repeat(1000) + "?x visited ?y";
    let out = query_stdin(&store, &text, &["--timeout", "10"]);
    refused(&out, "1001 clauses");
    assert!(out.stderr.contains("at most 64 clauses"), "{}", out.stderr);
}

/// An unknown 50 MB name took 48 s of did-you-mean search, and its error printed the
/// name three times.
#[test]
fn unknown_huge_name_searched_for_minutes() {
    let store = seed_store();
    let name = "Bakku ".repeat(100_000);
    for text in [
        format!("?who visited {}", name.replace(' ', "")),
        format!("?who visited \"{name}\""),
        format!("path Iran to \"{name}\""),
        format!("?a {} ?b", "visited".repeat(1000)),
    ] {
        let out = query_stdin(&store, &text, &[]);
        refused(&out, "a 600 kB name");
        assert!(
            out.stderr
                .contains("no similar names are searched for a name longer than 1000 characters"),
            "{}",
            out.stderr
        );
    }
    // A name at the limit is looked up (suggestions and all) and quoted cut short.
    let out = store.run(&[
        "query",
        "--format",
        "json",
        &format!("?who visited {}", "b".repeat(1000)),
    ]);
    refused(&out, "a 1000-character name");
    assert!(
        out.stderr.contains("unknown entity `bbbb"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("…`"), "{}", out.stderr);
}

/// One error printed the whole input up to five times (262 MB of stderr).
#[test]
fn error_echoed_the_whole_input() {
    let store = seed_store();
    // One line of 500 kB: one clause with many time filters.
    let padding = format!("?x visited ?y {}", "in 2024 ".repeat(60_000));
    for (text, what) in [
        (format!("{padding}, ?x frobnicates ?y"), "unknown predicate"),
        (format!("{padding}| sort |"), "a parse error"),
        (
            format!("?x visited Baku {}", "9".repeat(500_000)),
            "a huge token",
        ),
        (
            format!("?x visited Baku in 2024{}", "a".repeat(500_000)),
            "a date glued to letters",
        ),
        (
            format!("{}\n?x visited |", "# a comment\n".repeat(50_000)),
            "a late line",
        ),
    ] {
        let out = query_stdin(&store, &text, &[]);
        refused(&out, what);
        // The offending line is shown as a window around the caret.
        assert!(out.stderr.contains('^'), "{what}: {}", out.stderr);
        if what == "unknown predicate" {
            assert!(
                out.stderr.contains("unknown predicate `frobnicates`"),
                "{}",
                out.stderr
            );
        }
    }
}

/// 50 MB of `(` took 5 GB of memory before failing.
#[test]
fn deep_parentheses_used_gigabytes() {
    let store = seed_store();
    for text in [
        "(".repeat(3 << 20),
        format!("run q{}", "(".repeat(3 << 20)),
        format!("save q({}) = ?x visited ?y", "(".repeat(500_000)),
        format!("?a met ?b, {}?a met ?c", "not ".repeat(100_000)),
    ] {
        let out = query_stdin(&store, &text, &[]);
        refused(&out, &text[..12]);
    }
}

/// Ten `--` clauses were refused with "18446744073709551615 combinations".
#[test]
fn too_many_ways_round_reported_u64_max() {
    let store = seed_store();
    let text = (0..10)
        .map(|i| format!("?x{i} -- Iran"))
        .collect::<Vec<_>>()
        .join(", ");
    let out = store.run(&["query", "--format", "json", &text]);
    refused(&out, "ten `--` clauses");
    assert!(
        out.stderr.contains("more than 64 ways round"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("10 of its relation clauses"),
        "{}",
        out.stderr
    );
    assert!(
        !out.stderr.contains("18446744073709551615"),
        "{}",
        out.stderr
    );
}

/// A saved query that runs itself printed "saved query `a` no longer runs: " eight times
/// over. Neither `save` nor import accepts such a body any more; a store written before
/// they checked can still hold one, made here by writing the rows directly.
#[test]
fn recursion_error_repeated_one_line() {
    let store = seed_store();
    let conn = rusqlite::Connection::open(&store.db).unwrap();
    conn.execute_batch(
        "INSERT INTO saved_query(name, params, body) VALUES ('a', '[]', 'run b'), \
         ('b', '[]', 'run a | count');",
    )
    .unwrap();
    drop(conn);
    let out = store.run(&["run", "a", "--format", "json"]);
    refused(&out, "a loop of saved queries");
    assert!(
        out.stderr
            .contains("saved query `a` runs itself: run a → b → a"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("no longer runs"), "{}", out.stderr);
    assert_eq!(
        out.stderr.matches("runs itself").count(),
        1,
        "{}",
        out.stderr
    );
}

/// A query joining more tables than SQLite can, or with more conditions than it nests,
/// ended with SQLite's own words ("at most 64 tables in a join") and exit status 1.
#[test]
fn sqlite_join_limit_leaked_its_own_wording() {
    let store = seed_store();
    let chain = (0..40)
        .map(|i| format!("?a{i} visited ?a{}", i + 1))
        .collect::<Vec<_>>()
        .join(", ");
    let out = store.run(&["query", "--format", "json", &chain]);
    refused(&out, "a chain of 40 clauses");
    assert!(out.stderr.contains("joins 81 tables"), "{}", out.stderr);
    assert!(!out.stderr.contains("tables in a join"), "{}", out.stderr);
    // Showing fewer variables joins fewer tables: the same chain then runs.
    let out = store.run(&["query", "--format", "json", &format!("{chain} | show ?a0")]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    // Too many conditions for SQLite: its limit, in the query's terms.
    let filters = format!("?a visited ?b {}", "in 2024 ".repeat(600));
    let out = store.run(&["query", "--format", "json", &filters]);
    refused(&out, "600 time filters");
    assert!(out.stderr.contains("too big for SQLite"), "{}", out.stderr);
    assert!(
        out.stderr.contains("use fewer time filters"),
        "{}",
        out.stderr
    );
}

/// `--timeout` covered only SQL: planning and the path search ran on past it. A timeout
/// that passes before the statement is planned stops it there, with the timeout's
/// message and status 1, for a path as for a query.
#[test]
fn timeout_ignored_planning_and_path_search() {
    let store = seed_store();
    for text in ["path Netanyahu to Pezeshkian", "?who visited Bakku"] {
        let out = store.run(&["query", "--format", "json", "--timeout", "0.000001", text]);
        assert_eq!(out.status, 1, "{text}: {}", out.stderr);
        assert!(
            out.stderr
                .contains("the query was stopped after the timeout of 0.000001 s"),
            "{text}: {}",
            out.stderr
        );
        assert!(out.stdout.is_empty(), "{}", out.stdout);
    }
}
