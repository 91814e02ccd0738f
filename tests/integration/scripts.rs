//! The command line as a script uses it: saved queries, formats read back by standard
//! parsers, exit statuses, closed pipes, timeouts, read-only stores, and queries running
//! while another process imports.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use crate::support::{generated_jsonl, seed_store, seed_store_with, TempStore};

#[test]
fn saved_queries_save_run_list_replace_drop() {
    let db = seed_store();
    let save = db.run(&[
        "query",
        "save visitors(place) = ?who visited $place status any",
    ]);
    assert_eq!(save.status, 0, "{}", save.stderr);
    assert!(save.stdout.is_empty(), "messages go to stderr");

    let rows: serde_json::Value =
        serde_json::from_str(&db.ok(&["run", "visitors", "Baku", "--format", "json"])).unwrap();
    let who: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["who"].as_str().unwrap())
        .collect();
    assert_eq!(who, ["Masoud Pezeshkian", "Benjamin Netanyahu"]);

    // Saving over it is refused; `save replace` replaces it.
    let again = db.run(&["query", "save visitors(place) = ?who visited $place"]);
    assert_eq!(again.status, 2);
    assert!(again.stderr.contains("save replace"), "{}", again.stderr);
    db.ok(&[
        "query",
        "save replace visitors(place) = ?who visited $place",
    ]);
    let rows = db.ok(&["run", "visitors", "Baku", "--format", "jsonl"]);
    assert_eq!(rows.lines().count(), 1, "{rows}");

    // Listed, exported, imported back.
    let listed = db.ok(&["query", "saved", "--format", "csv"]);
    assert!(
        listed.contains("visitors,place,?who visited $place"),
        "{listed}"
    );
    let export = db.ok(&["export"]);
    assert!(export.contains("\"type\":\"saved_query\""), "{export}");
    let copy = TempStore::new();
    let out = copy.run_with_stdin(&["import", "-"], &export);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(
        copy.ok(&["run", "visitors", "Baku", "--format", "jsonl"]),
        rows
    );

    // A period parameter and an argument with a space.
    db.ok(&["query", "save during(p) = ?a ?r ?b within $p"]);
    let in_2024 = db.ok(&["run", "during", "2024", "--format", "jsonl"]);
    // The symmetric naval exercise of 2024 is two bindings of ?a and ?b.
    assert_eq!(in_2024.lines().count(), 4, "{in_2024}");
    db.ok(&["query", "save guests(host) = $host received ?guest"]);
    let guests = db.ok(&["run", "guests", "Ilham Aliyev", "--format", "jsonl"]);
    assert!(guests.contains("Masoud Pezeshkian"), "{guests}");

    // Wrong argument count, unknown entity, unknown saved query: exit 2.
    for args in [
        vec!["run", "visitors"],
        vec!["run", "visitors", "Baku", "Tehran"],
        vec!["run", "visitors", "Atlantis"],
        vec!["run", "nosuch"],
    ] {
        let out = db.run(&args);
        assert_eq!(out.status, 2, "{args:?}: {}", out.stderr);
        assert!(out.stdout.is_empty());
        assert!(out.stderr.starts_with("error: "), "{}", out.stderr);
    }

    // Checked when saved: unknown predicates and kinds, bad syntax.
    for q in [
        "save bad(x) = ?a flew_to $x",
        "save bad(x) = ?a:planet visited $x",
        "save bad(x) = ?a visited",
        "save bad(x) = ?a visited $y",
    ] {
        let out = db.run(&["query", q]);
        assert_eq!(out.status, 2, "{q}: {}", out.stderr);
    }

    db.ok(&["query", "drop visitors"]);
    assert_eq!(db.run(&["run", "visitors", "Baku"]).status, 2);
    assert_eq!(db.run(&["query", "drop visitors"]).status, 2);
}

#[test]
fn every_format_parses_with_a_standard_parser() {
    let db = seed_store();
    let q = "?who visited ?where status any";
    let json: serde_json::Value =
        serde_json::from_str(&db.ok(&["query", "--format", "json", q])).unwrap();
    let json_rows = json.as_array().unwrap();
    assert_eq!(json_rows.len(), 4);
    let jsonl = db.ok(&["query", "--format", "jsonl", q]);
    let jsonl_rows: Vec<serde_json::Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(&jsonl_rows, json_rows);
    for (format, delimiter) in [("csv", b','), ("tsv", b'\t')] {
        let text = db.ok(&["query", "--format", format, q]);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .quoting(format == "csv")
            .from_reader(text.as_bytes());
        let headers = reader.headers().unwrap().clone();
        assert_eq!(&headers[0], "who");
        assert!(headers.iter().any(|h| h == "quote"));
        let records: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(records.len(), 4, "{format}");
        let when = headers.iter().position(|h| h == "when").unwrap();
        for (rec, row) in records.iter().zip(json_rows) {
            assert_eq!(rec.get(0), row["who"].as_str(), "{format}");
            assert_eq!(rec.get(when), row["when"].as_str(), "{format}");
        }
    }
    // Not a terminal: JSON by default.
    let default: serde_json::Value = serde_json::from_str(&db.ok(&["query", q])).unwrap();
    assert_eq!(&default, &json);
    // --limit
    let limited = db.ok(&["query", "--format", "jsonl", "--limit", "2", q]);
    assert_eq!(limited.lines().count(), 2);
}

#[test]
fn statements_from_a_file_stdin_and_params() {
    let db = seed_store();
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), "# visitors of Baku\n?who visited Baku\n").unwrap();
    let from_file = db.ok(&[
        "query",
        "--file",
        file.path().to_str().unwrap(),
        "--format",
        "jsonl",
    ]);
    let from_stdin = db.run_with_stdin(&["query", "-", "--format", "jsonl"], "?who visited Baku");
    assert_eq!(from_stdin.status, 0);
    assert_eq!(from_file, from_stdin.stdout);
    let with_param = db.ok(&[
        "query",
        "?who visited $place",
        "--param",
        "place=Baku",
        "--format",
        "jsonl",
    ]);
    assert_eq!(with_param, from_file);
    let missing = db.run(&["query", "?who visited $place"]);
    assert_eq!(missing.status, 2, "{}", missing.stderr);
    assert!(missing.stderr.contains("$place"), "{}", missing.stderr);
}

#[test]
fn exit_statuses() {
    let db = seed_store();
    // 0: success, an empty result included.
    assert_eq!(
        db.run(&["query", "?x visited Tehran status denied"]).status,
        0
    );
    // 2: usage, syntax, unknown names, bad import data.
    assert_eq!(db.run(&["query"]).status, 2);
    assert_eq!(
        db.run(&["query", "--format", "xml", "?x visited Baku"])
            .status,
        2
    );
    assert_eq!(db.run(&["nosuchcommand"]).status, 2);
    assert_eq!(db.run(&["query", "?x visited ("]).status, 2);
    assert_eq!(db.run(&["query", "?x flew_to Baku"]).status, 2);
    assert_eq!(db.run(&["query", "?x:planet visited Baku"]).status, 2);
    let bad = db.run_with_stdin(&["import", "-"], "{\"type\":\"entity\"}\n");
    assert_eq!(bad.status, 2);
    // 1: anything else: a store that is not there, a file that is not a store.
    let missing = TempStore::new();
    let out = missing.run(&["query", "?x visited Baku"]);
    assert_eq!(out.status, 1, "{}", out.stderr);
    assert!(!missing.db.exists(), "a reading command created the store");
    let not_a_store = TempStore::new();
    std::fs::write(
        &not_a_store.db,
        b"this is not SQLite at all, just text.......",
    )
    .unwrap();
    assert_eq!(not_a_store.run(&["query", "?x visited Baku"]).status, 1);
    // No panics, no debug output anywhere above.
}

#[test]
fn closed_pipe_ends_quietly() {
    let db = seed_store_with(500, 20_000, "g");
    let mut child = Command::new(env!("CARGO_BIN_EXE_factstore"))
        .args([
            "--db",
            db.db.to_str().unwrap(),
            "query",
            "--format",
            "jsonl",
        ])
        .arg("?a g_linked ?b")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    {
        let stdout = child.stdout.take().unwrap();
        let mut reader = BufReader::new(stdout);
        reader.read_line(&mut first).unwrap();
        // `| head -1`: the reader goes away after one line.
    }
    let out = child.wait_with_output().unwrap();
    assert!(first.starts_with('{'), "{first}");
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).is_empty());
}

#[test]
fn timeout_stops_a_runaway_query() {
    let db = seed_store_with(200, 5_000, "g");
    let before = db.ok(&["export"]);
    let out = db.run(&[
        "query",
        "--timeout",
        "1",
        "?a ?r ?b, ?c ?r2 ?d, ?e ?r3 ?f | count",
    ]);
    assert_eq!(out.status, 1, "{}", out.stderr);
    assert!(out.stderr.contains("timeout"), "{}", out.stderr);
    assert!(out.stdout.is_empty());
    assert_eq!(db.ok(&["export"]), before);
}

#[test]
fn reading_commands_work_on_a_read_only_file() {
    let db = seed_store();
    let mut perms = std::fs::metadata(&db.db).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&db.db, perms).unwrap();
    let rows = db.ok(&["query", "--format", "jsonl", "?who visited Baku"]);
    assert_eq!(rows.lines().count(), 1);
    db.ok(&["stats"]);
    db.ok(&["export"]);
}

#[test]
fn queries_see_a_store_before_or_after_an_import_never_half() {
    let db = seed_store();
    let base: usize = count_relations(&db);
    let data = generated_jsonl(2_000, 60_000, "c");
    let mut importer = db
        .command_for(&["import", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        let mut stdin = importer.stdin.take().unwrap();
        stdin.write_all(data.as_bytes()).unwrap();
    }
    let mut seen = std::collections::BTreeSet::new();
    loop {
        let n = count_relations(&db);
        seen.insert(n);
        if let Some(status) = importer.try_wait().unwrap() {
            assert!(status.success());
            break;
        }
    }
    seen.insert(count_relations(&db));
    assert!(
        seen.iter().all(|n| *n == base || *n == base + 60_000),
        "a query saw a partial import: {seen:?}"
    );
    assert!(seen.contains(&(base + 60_000)));
}

fn count_relations(db: &TempStore) -> usize {
    let out = db.run(&["query", "--format", "jsonl", "?a ?r ?b status any | count"]);
    assert_eq!(
        out.status, 0,
        "a query failed during the import: {}",
        out.stderr
    );
    let v: serde_json::Value = serde_json::from_str(out.stdout.trim()).unwrap();
    // Relations between two variables are listed once each.
    v["count"].as_u64().unwrap() as usize
}
