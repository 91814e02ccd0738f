//! Reliability and security of the store as the binary runs it: hostile data in and out,
//! stores written by an older schema. (Crash safety, concurrency and resource limits are
//! in the heavy test target, `tests/heavy`.)

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use serde_json::{json, Value};

use crate::support::{check_passes, export, on, sidecar, TempStore, SEED};

// ---------------------------------------------------------------------------------------
// 3. Hostile data

/// Values that have broken other programs: quotes, SQL, comment markers, NUL, a
/// right-to-left override, zero-width joiners, and a 1 MB string.
fn hostile_values() -> Vec<(&'static str, String)> {
    vec![
        ("apostrophe", "O'Brien".to_string()),
        ("double_quote", "say \"hi\" \\ there".to_string()),
        ("sql", "'); DROP TABLE relation; --".to_string()),
        ("sql_double", "\"); DROP TABLE entity; --".to_string()),
        ("dashes", "--".to_string()),
        ("nul", "before\u{0}after".to_string()),
        ("rlo", "\u{202E}ukaB evil".to_string()),
        ("zwj", "ش\u{200D}ر\u{200C}ق\u{200D}ي".to_string()),
        ("emoji_zwj", "👩\u{200D}👩\u{200D}👧 family".to_string()),
        ("huge", "ج".repeat(250_000) + &"x".repeat(500_000)),
    ]
}

/// The language's string literal for `text`.
fn quoted(text: &str) -> String {
    let mut s = String::from("\"");
    for c in text.chars() {
        if c == '"' || c == '\\' {
            s.push('\\');
        }
        s.push(c);
    }
    s.push('"');
    s
}

/// Exports the store and checks that each `(id, value)` came back as it went in: the
/// entity's name, its alias `"{value} ({alias})"`, and the quote and note of the relation
/// whose subject it is. Returns the exported records.
fn assert_exported_verbatim(
    db: &Path,
    values: &[(&'static str, String)],
    alias: &str,
) -> Vec<Value> {
    let exported: Vec<Value> = export(db)
        .lines()
        .map(|l| serde_json::from_str(l).expect("export lines are JSON"))
        .collect();
    for (id, v) in values {
        let entity = exported
            .iter()
            .find(|r| r["type"] == "entity" && r["id"] == *id)
            .unwrap_or_else(|| panic!("entity {id} is not in the export"));
        assert_eq!(entity["name"].as_str(), Some(v.as_str()), "name of {id}");
        let alias = format!("{v} ({alias})");
        assert!(
            entity["aliases"]
                .as_array()
                .is_some_and(|a| a.iter().any(|a| a.as_str() == Some(alias.as_str()))),
            "alias of {id} not kept"
        );
        let relation = exported
            .iter()
            .find(|r| r["type"] == "relation" && r["subject"] == *id)
            .unwrap_or_else(|| panic!("the relation of {id} is not in the export"));
        assert_eq!(
            relation["quote"].as_str(),
            Some(v.as_str()),
            "quote of {id}"
        );
        assert_eq!(relation["note"].as_str(), Some(v.as_str()), "note of {id}");
    }
    exported
}

#[test]
fn hostile_names_aliases_and_quotes_are_kept_verbatim() {
    let store = TempStore::new();
    store.ok(&["import", SEED]);
    let values = hostile_values();
    let mut data = String::new();
    for (id, v) in &values {
        let alias = format!("{v} (alias)");
        for record in [
            json!({"type":"entity","id":id,"kind":"thing","name":v,"aliases":[alias],"note":v}),
            json!({"type":"relation","subject":id,"predicate":"hostile_link","object":"baku",
                   "quote":v,"note":v}),
        ] {
            data.push_str(&record.to_string());
            data.push('\n');
        }
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("hostile.jsonl");
    fs::write(&file, &data).expect("write the data");
    let out = store.run(&["import", file.to_str().expect("UTF-8 path")]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    check_passes(&store.db).expect("check");

    // Export: every value comes back as it went in.
    let exported = assert_exported_verbatim(&store.db, &values, "alias");
    for (id, v) in &values {
        let entity = exported
            .iter()
            .find(|r| r["type"] == "entity" && r["id"] == *id)
            .unwrap_or_else(|| panic!("entity {id} is not in the export"));
        assert_eq!(entity["note"].as_str(), Some(v.as_str()), "note of {id}");
    }

    // A query returns them verbatim too.
    let rows = store.ok(&["query", "--format", "jsonl", "?a hostile_link ?b"]);
    let rows: Vec<Value> = rows
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON Lines"))
        .collect();
    assert_eq!(rows.len(), values.len());
    for (id, v) in &values {
        let row = rows
            .iter()
            .find(|r| r["a.id"] == *id)
            .unwrap_or_else(|| panic!("no row for {id}"));
        assert_eq!(row["a"].as_str(), Some(v.as_str()), "name of {id}");
        assert_eq!(row["quote"].as_str(), Some(v.as_str()), "quote of {id}");
    }

    // By name and by alias: found, and the SQL never holds the name.
    for (_, v) in &values {
        for name in [v.clone(), format!("{v} (alias)")] {
            let text = format!("{} hostile_link ?b", quoted(&name));
            let out = store.run_with_stdin(&["query", "--format", "jsonl", "-"], &text);
            let shown: String = name.chars().take(40).collect();
            assert!(
                !out.stderr.contains("panicked"),
                "{shown:?}: {}",
                out.stderr
            );
            assert_eq!(out.status, 0, "{shown:?}: {}", out.stderr);
            assert_eq!(out.stdout.lines().count(), 1, "{shown:?}");
            let row: Value = serde_json::from_str(out.stdout.trim_end())
                .unwrap_or_else(|e| panic!("{shown:?}: {e}: {}", out.stdout));
            assert_eq!(row["subject"].as_str(), Some(v.as_str()), "{shown:?}");
            assert_eq!(row["quote"].as_str(), Some(v.as_str()), "{shown:?}");

            let explained = store.run_with_stdin(&["explain", "-"], &text);
            assert_eq!(
                explained.status, 0,
                "explain {shown:?}: {}",
                explained.stderr
            );
            let sql = explained
                .stdout
                .split("-- parameters")
                .next()
                .unwrap_or_default();
            // `--` is too short to tell from SQL's own syntax; every longer value must
            // reach SQLite as a parameter, never as SQL text.
            if name.chars().count() > 2 {
                assert!(
                    !sql.contains(name.as_str()),
                    "{shown:?} is in the SQL:\n{sql}"
                );
            }
            assert!(!sql.contains("DROP"), "{shown:?}: {sql}");
        }
    }
    assert!(store.ok(&["export"]).lines().count() == exported.len());
}

/// The same values through CSV (quoted cells with commas, quotes and line breaks
/// included) come back verbatim.
#[test]
fn hostile_values_through_csv_are_kept_verbatim() {
    let store = TempStore::new();
    store.ok(&["import", SEED]);
    let mut values = hostile_values();
    values.push(("csv_breaks", "a,b\n\"c\"\r\nd".to_string()));
    let dir = tempfile::tempdir().expect("temp dir");

    let mut entities = csv::Writer::from_writer(Vec::new());
    entities
        .write_record(["id", "kind", "name", "aliases"])
        .expect("CSV");
    let mut relations = csv::Writer::from_writer(Vec::new());
    relations
        .write_record(["subject", "predicate", "object", "quote", "note"])
        .expect("CSV");
    for (id, v) in &values {
        let alias = format!("{v} (csv alias)");
        entities
            .write_record([*id, "thing", v.as_str(), alias.as_str()])
            .expect("CSV");
        relations
            .write_record([*id, "csv_link", "tehran", v.as_str(), v.as_str()])
            .expect("CSV");
    }
    for (name, writer) in [("entities.csv", entities), ("relations.csv", relations)] {
        let file = dir.path().join(name);
        fs::write(&file, writer.into_inner().expect("CSV bytes")).expect("write CSV");
        let out = store.run(&["import", file.to_str().expect("UTF-8 path")]);
        assert_eq!(out.status, 0, "{name}: {}", out.stderr);
    }
    check_passes(&store.db).expect("check");

    assert_exported_verbatim(&store.db, &values, "csv alias");
    // CSV output of a query gives them back through a standard CSV reader.
    let out = store.ok(&["query", "--format", "csv", "?a csv_link Tehran"]);
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let headers = reader.headers().expect("a header row").clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {headers:?}"))
    };
    let (a, quote) = (column("a"), column("quote"));
    let mut names = BTreeSet::new();
    for record in reader.records() {
        let record = record.expect("a CSV record");
        assert_eq!(record.get(a), record.get(quote));
        names.insert(record.get(a).unwrap_or_default().to_string());
    }
    let expected: BTreeSet<String> = values.iter().map(|(_, v)| v.clone()).collect();
    assert_eq!(names, expected);
}

/// Each bad file is refused with exit 2 and an error naming its line, and the store is
/// left exactly as it was.
#[test]
fn bad_bytes_and_shapes_are_refused_with_the_line_and_change_nothing() {
    let store = TempStore::new();
    store.ok(&["import", SEED]);
    let before = export(&store.db);
    let dir = tempfile::tempdir().expect("temp dir");
    let good_entity =
        b"{\"type\":\"entity\",\"id\":\"fine\",\"kind\":\"thing\",\"name\":\"Fine\"}\n";
    let nested = |open: &str, close: &str, inner: &str| -> Vec<u8> {
        format!(
            "{{\"type\":\"entity\",\"id\":\"deep\",\"kind\":\"thing\",\"name\":\"x\",\"note\":{}{}{}}}\n",
            open.repeat(10_000),
            inner,
            close.repeat(10_000)
        )
        .into_bytes()
    };
    let cases: Vec<(&str, Vec<u8>, u64)> = vec![
        (
            "utf8.jsonl",
            [
                &good_entity[..],
                b"{\"type\":\"entity\",\"id\":\"bad\",\"kind\":\"thing\",\"name\":\"bad \xff\xfe\"}\n",
            ]
            .concat(),
            2,
        ),
        (
            "utf8.csv",
            b"id,kind,name,aliases\nfine,thing,Fine,\nbad,thing,bad \xc3\x28,\n".to_vec(),
            3,
        ),
        (
            "utf8-relations.csv",
            b"subject,predicate,object,quote\nbaku,near,tehran,ok\nbaku,near,tehran,\xed\xa0\x80\n"
                .to_vec(),
            3,
        ),
        (
            "number-name.jsonl",
            [
                &good_entity[..],
                b"{\"type\":\"entity\",\"id\":\"n\",\"kind\":\"thing\",\"name\":42}\n",
            ]
            .concat(),
            2,
        ),
        (
            "number-alias.jsonl",
            b"{\"type\":\"entity\",\"id\":\"n\",\"kind\":\"thing\",\"name\":\"N\",\"aliases\":[\"ok\",7]}\n"
                .to_vec(),
            1,
        ),
        (
            "number-subject.jsonl",
            [
                &good_entity[..],
                &good_entity[..],
                b"{\"type\":\"relation\",\"subject\":12,\"predicate\":\"near\",\"object\":\"baku\"}\n",
            ]
            .concat(),
            3,
        ),
        (
            "number-when.jsonl",
            b"{\"type\":\"relation\",\"subject\":\"baku\",\"predicate\":\"near\",\"object\":\"baku\",\"when\":2025}\n"
                .to_vec(),
            1,
        ),
        (
            "object-type.jsonl",
            b"{\"type\":{\"entity\":true},\"id\":\"n\"}\n".to_vec(),
            1,
        ),
        (
            "nested-arrays.jsonl",
            [&good_entity[..], &nested("[", "]", "")].concat(),
            2,
        ),
        (
            "nested-objects.jsonl",
            [&good_entity[..], &nested("{\"a\":", "}", "1")].concat(),
            2,
        ),
        (
            "nested-in-aliases.jsonl",
            [
                &good_entity[..],
                &good_entity[..],
                format!(
                    "{{\"type\":\"entity\",\"id\":\"d\",\"kind\":\"thing\",\"name\":\"d\",\"aliases\":{}{}}}\n",
                    "[".repeat(10_000),
                    "]".repeat(10_000)
                )
                .as_bytes(),
            ]
            .concat(),
            3,
        ),
    ];
    for (name, bytes, line) in cases {
        let file = dir.path().join(name);
        fs::write(&file, &bytes).expect("write the case");
        let out = store.run(&["import", file.to_str().expect("UTF-8 path")]);
        assert_eq!(out.status, 2, "{name}: {out:?}");
        assert!(out.stdout.is_empty(), "{name}: {}", out.stdout);
        assert!(!out.stderr.contains("panicked"), "{name}: {}", out.stderr);
        assert!(out.stderr.starts_with("error: "), "{name}: {}", out.stderr);
        assert!(
            out.stderr.contains(&format!("{name}:{line}")),
            "{name}: the error does not name line {line}: {}",
            out.stderr
        );
        assert_eq!(
            out.stderr.trim_end().lines().count(),
            1,
            "{name}: {}",
            out.stderr
        );
        assert_eq!(export(&store.db), before, "{name} changed the store");
    }
    // The same bytes on standard input name `<stdin>` and the line.
    let out = store.run_with_stdin(
        &["import", "-"],
        "{\"type\":\"entity\",\"id\":\"a\",\"kind\":\"thing\",\"name\":\"A\"}\n{\"type\":\"entity\",\"id\":\"b\",\"kind\":\"thing\",\"name\":[[[]]]}\n",
    );
    assert_eq!(out.status, 2, "{out:?}");
    assert!(out.stderr.contains("<stdin>:2"), "{}", out.stderr);
    assert_eq!(export(&store.db), before);
    check_passes(&store.db).expect("check");
}

// ---------------------------------------------------------------------------------------
// 4. Upgrades

/// A store written with schema version 1, and its export when it was made.
const STORE_V1: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/store-v1.db");
const STORE_V1_EXPORT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/store-v1.jsonl");

fn user_version(db: &Path) -> i64 {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("the store opens");
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("a user version")
}

/// A version 1 store is opened by every command of the current binary (upgraded in
/// place to the current schema when it is older) with its data intact.
#[test]
fn a_version_1_store_opens_with_its_data_intact() {
    let current = factstore::store::SCHEMA_VERSION;
    let dir = tempfile::tempdir().expect("temp dir");
    let expected = fs::read_to_string(STORE_V1_EXPORT).expect("the fixture's export");

    // Whatever command meets the old file first, it works and leaves a current store.
    for first in [
        vec!["query", "--format", "jsonl", "?who visited Baku"],
        vec!["export"],
        vec!["check"],
        vec!["stats"],
        vec!["run", "--format", "jsonl", "visitors", "Baku"],
        // The fixture's own data: the seed data has since gained a weak alias.
        vec!["import", STORE_V1_EXPORT],
    ] {
        let db = dir.path().join(format!("{}.db", first[0]));
        fs::copy(STORE_V1, &db).expect("copy the fixture");
        assert_eq!(
            user_version(&db),
            1,
            "the fixture must stay a version 1 store"
        );
        let out = on(&db, &first);
        assert_eq!(
            out.status, 0,
            "{first:?} on a version 1 store: {}",
            out.stderr
        );
        assert!(!out.stdout.is_empty(), "{first:?} printed nothing");
        assert_eq!(user_version(&db), current, "after {first:?}");
        check_passes(&db).unwrap_or_else(|e| panic!("after {first:?}: {e}"));
        // Importing the data it was made from adds nothing either.
        assert_eq!(export(&db), expected, "after {first:?} the data differs");
    }

    let db = dir.path().join("query.db");
    let rows = on(&db, &["query", "--format", "jsonl", "?who visited Baku"]);
    assert_eq!(rows.status, 0, "{}", rows.stderr);
    let names: Vec<String> = rows
        .stdout
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("JSON Lines");
            v["who"].as_str().unwrap_or_default().to_string()
        })
        .collect();
    assert_eq!(names, vec!["Masoud Pezeshkian".to_string()]);
    // A saved query and an Arabic alias lookup survive too.
    let run = on(&db, &["run", "--format", "jsonl", "visitors", "باكو"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(run.stdout.lines().count(), 1, "{}", run.stdout);
    let path = on(
        &db,
        &["query", "--format", "jsonl", "path Netanyahu to Pezeshkian"],
    );
    assert_eq!(path.status, 0, "{}", path.stderr);
    assert!(!path.stdout.is_empty());
}

#[test]
fn a_store_from_a_newer_version_is_refused_and_left_byte_identical() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("future.db");
    fs::copy(STORE_V1, &db).expect("copy the fixture");
    {
        let conn = rusqlite::Connection::open(&db).expect("open the copy");
        conn.execute_batch("PRAGMA user_version = 99; PRAGMA journal_mode = DELETE;")
            .expect("mark the copy as version 99");
    }
    for suffix in ["-wal", "-shm"] {
        let _ = fs::remove_file(sidecar(&db, suffix));
    }
    let bytes = fs::read(&db).expect("read the copy");
    for args in [
        vec!["query", "?who visited Baku"],
        vec!["export"],
        vec!["check"],
        vec!["stats"],
        vec!["init"],
        vec!["import", SEED],
        vec!["query", "save replace x(p) = ?a visited $p"],
    ] {
        let out = on(&db, &args);
        assert_eq!(out.status, 1, "{args:?}: {out:?}");
        assert!(out.stdout.is_empty(), "{args:?}: {}", out.stdout);
        assert!(
            out.stderr.starts_with("error: "),
            "{args:?}: {}",
            out.stderr
        );
        assert!(out.stderr.contains("99"), "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains("newer"), "{args:?}: {}", out.stderr);
        assert_eq!(
            fs::read(&db).expect("read"),
            bytes,
            "{args:?} changed the file"
        );
    }
}

// ---------------------------------------------------------------------------------------
// 5. Limits
