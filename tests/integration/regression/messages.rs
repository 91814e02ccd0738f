//! Messages that misled: each says what really happened and what to do.

use std::fs;

use crate::support::{on, seed_store, seed_store_with, TempStore};

/// A store cut short (a failed copy) said "check the path and the file's permissions".
#[test]
fn truncated_store_said_check_the_permissions() {
    let store = seed_store();
    let bytes = fs::read(&store.db).unwrap();
    fs::write(&store.db, &bytes[..20_000]).unwrap();
    let out = store.run(&["query", "?who visited Baku"]);
    assert_eq!(out.status, 1, "{out:?}");
    assert!(out.stderr.contains("is damaged"), "{}", out.stderr);
    assert!(!out.stderr.contains("permissions"), "{}", out.stderr);
}

/// A 0-byte store (what the old `export facts.db` left) was said to need "an upgrade …
/// (the data is kept)".
#[test]
fn empty_store_file_asked_for_an_upgrade_that_keeps_the_data() {
    let store = TempStore::new();
    fs::write(&store.db, "").unwrap();
    for args in [&["stats"][..], &["query", "?a ?r ?b"], &["export"]] {
        let out = store.run(args);
        assert_eq!(out.status, 1, "{args:?}: {out:?}");
        assert!(
            out.stderr.contains("empty file (0 bytes)"),
            "{}",
            out.stderr
        );
        assert!(!out.stderr.contains("data is kept"), "{}", out.stderr);
    }
    // `init` makes it a store, as the message says.
    store.ok(&["init"]);
    assert!(store.ok(&["stats"]).contains("entities"));
}

/// A directory given as the store said "disk I/O error".
#[test]
fn directory_as_the_store_said_disk_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = on(dir.path(), &["stats"]);
    assert_eq!(out.status, 1, "{out:?}");
    assert!(out.stderr.contains("is a directory"), "{}", out.stderr);
}

/// `check` on a damaged store told the user to run `factstore check`, and dropped the
/// problems SQLite had listed before it stopped.
#[test]
fn check_on_a_damaged_store_sent_the_user_to_check() {
    let store = seed_store_with(2_000, 20_000, "c");
    let len = fs::metadata(&store.db).unwrap().len();
    let page = 16_384;
    let mut bytes = fs::read(&store.db).unwrap();
    for at in [len / page / 3, len / page / 2] {
        let at = (at * page) as usize + 200;
        bytes[at..at + 2_000].fill(7);
    }
    fs::write(&store.db, bytes).unwrap();
    let out = store.run(&["check"]);
    assert_eq!(out.status, 1, "{out:?}");
    assert!(!out.stderr.contains("factstore check"), "{}", out.stderr);
    assert!(
        out.stdout.contains("sqlite integrity: ") || out.stdout.contains("damaged store: "),
        "{}",
        out.stdout
    );
    // Each finding is its own line.
    assert!(out.stdout.lines().count() > 1, "{}", out.stdout);

    // A file too damaged to open is one problem, not an error about the check.
    let bytes = fs::read(&store.db).unwrap();
    fs::write(&store.db, &bytes[..40_000]).unwrap();
    let out = store.run(&["check"]);
    assert_eq!(out.status, 1, "{out:?}");
    assert!(out.stdout.starts_with("damaged store: "), "{}", out.stdout);
    assert!(!out.stderr.contains("factstore check"), "{}", out.stderr);
}

/// CSV output printed its header before the query failed, so a script saw a valid-looking
/// empty result.
#[test]
fn csv_header_printed_before_the_query_failed() {
    let store = seed_store_with(300, 3_000, "h");
    for format in ["csv", "tsv", "json", "jsonl"] {
        let out = store.run(&[
            "query",
            "?a ?r ?b, ?c ?r2 ?d | sort d desc, a",
            "--format",
            format,
            "--timeout",
            "0.2",
        ]);
        assert_eq!(out.status, 1, "{format}: {out:?}");
        assert!(out.stderr.contains("timeout"), "{}", out.stderr);
        assert_eq!(out.stdout, "", "{format}: nothing on stdout");
    }
    // An empty result still has its header.
    let out = store.run(&["query", "?x visited h1", "--format", "csv"]);
    assert_eq!(out.status, 0, "{out:?}");
    assert!(out.stdout.starts_with("x,x.id"), "{}", out.stdout);
}
