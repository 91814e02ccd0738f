//! Imports as changes of the change log, relations' permanent ids, and `export --history`
//! through the command line.

use std::path::Path;

use rusqlite::Connection;

use crate::support::{
    assert_refused, check_passes, export, seed_store, sha256_hex, sidecar, TempStore, SEED,
};

/// Every row of `sql`, each as its columns' text joined with `|` (NULL as `∅`).
fn rows(db: &Path, sql: &str) -> Vec<String> {
    let conn = Connection::open(db).expect("the store opens");
    let mut stmt = conn.prepare(sql).expect("the query prepares");
    let n = stmt.column_count();
    stmt.query_map([], |r| {
        (0..n)
            .map(|i| {
                Ok(match r.get_ref(i)? {
                    rusqlite::types::ValueRef::Null => "∅".to_string(),
                    rusqlite::types::ValueRef::Integer(v) => v.to_string(),
                    rusqlite::types::ValueRef::Real(v) => v.to_string(),
                    rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                    rusqlite::types::ValueRef::Blob(b) => format!("{b:?}"),
                })
            })
            .collect::<rusqlite::Result<Vec<_>>>()
            .map(|cells| cells.join("|"))
    })
    .expect("the query runs")
    .collect::<rusqlite::Result<_>>()
    .expect("rows read")
}

#[test]
fn an_import_is_one_change_with_its_file_and_sha256() {
    let store = TempStore::new();
    store.ok(&["--as", "alice", "import", SEED]);
    let expected = sha256_hex(&std::fs::read(SEED).unwrap());
    assert_eq!(
        rows(
            &store.db,
            "SELECT id, author, origin, origin_sha256 FROM change"
        ),
        [format!("1|alice|{SEED}|{expected}")]
    );
    for table in ["relation", "entity", "predicate", "source"] {
        assert_eq!(
            rows(
                &store.db,
                &format!("SELECT DISTINCT since_change FROM {table}")
            ),
            ["1"],
            "{table}"
        );
    }
    // The same file again writes nothing and records no change; nor does a dry run.
    let again = store.ok(&["import", SEED]);
    assert!(!again.contains("recorded as change"), "{again}");
    let file = store.db.with_file_name("more.jsonl");
    let more = r#"{"type":"entity","id":"shusha","kind":"city","name":"Shusha"}"#;
    std::fs::write(&file, more).unwrap();
    store.ok(&["import", "--dry-run", file.to_str().unwrap()]);
    assert_eq!(rows(&store.db, "SELECT count(*) FROM change"), ["1"]);
    // Standard input is named `<stdin>`; the summary names the change.
    let out = store.run_with_stdin(&["--as", "bob", "import", "-"], more);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("recorded as change 2"),
        "{}",
        out.stdout
    );
    assert_eq!(
        rows(
            &store.db,
            "SELECT id, author, origin, origin_sha256 FROM change WHERE id = 2"
        ),
        [format!("2|bob|<stdin>|{}", sha256_hex(more.as_bytes()))]
    );
    assert_eq!(
        rows(
            &store.db,
            "SELECT since_change FROM entity WHERE id = 'shusha'"
        ),
        ["2"]
    );
}

#[test]
fn export_then_import_into_an_empty_store_keeps_every_id() {
    let store = TempStore::new();
    store.ok(&["import", SEED]);
    let file = store.db.with_file_name("ids.jsonl");
    std::fs::write(
        &file,
        r#"{"type":"relation","id":140,"subject":"aliyev","predicate":"met","object":"netanyahu","when":"2025"}
{"type":"relation","id":90,"subject":"aliyev","predicate":"visited","object":"tehran","when":"2024"}
{"type":"relation","subject":"aliyev","predicate":"visited","object":"israel","when":"2023"}
"#,
    )
    .unwrap();
    store.ok(&["import", file.to_str().unwrap()]);
    let keys = "SELECT r.key, s.id, o.id FROM relation r JOIN entity s ON s.key = r.subject \
                JOIN entity o ON o.key = r.object ORDER BY r.key";
    let before = rows(&store.db, keys);
    assert!(
        before.contains(&"90|aliyev|tehran".to_string()),
        "{before:?}"
    );
    assert!(
        before.contains(&"141|aliyev|israel".to_string()),
        "{before:?}"
    );
    let exported = export(&store.db);
    assert!(exported.contains(r#"{"type":"relation","id":140,"subject":"aliyev""#));

    let fresh = TempStore::new();
    let copy = fresh.db.with_file_name("export.jsonl");
    std::fs::write(&copy, &exported).unwrap();
    fresh.ok(&["import", copy.to_str().unwrap()]);
    assert_eq!(rows(&fresh.db, keys), before);
    assert_eq!(export(&fresh.db), exported);
    // Imported again, the export is the same records: nothing written.
    let again = fresh.ok(&["import", copy.to_str().unwrap()]);
    assert!(again.contains("added 0"), "{again}");
    // A relation given an id another relation holds is refused, whole.
    let clash = fresh.db.with_file_name("clash.jsonl");
    std::fs::write(
        &clash,
        "{\"type\":\"relation\",\"id\":90,\"subject\":\"aliyev\",\"predicate\":\"visited\",\"object\":\"baku\"}\n",
    )
    .unwrap();
    let out = fresh.run(&["import", clash.to_str().unwrap()]);
    assert_refused(
        &out,
        "clash.jsonl:1: field `id`: id 90 is already the id of another relation",
    );
}

/// A store with several changes and versions: the seed (change 1), a name added to an
/// entity (2, its earlier version kept), an undeclared predicate declared (3, likewise),
/// and a relation retracted the way the write statements record it (4).
fn store_with_history() -> TempStore {
    let store = TempStore::new();
    store.ok(&["--as", "alice", "import", SEED]);
    let file = store.db.with_file_name("later.jsonl");
    std::fs::write(
        &file,
        r#"{"type":"entity","id":"azerbaijan_fm","aliases":["Jeyhun Bayramov"]}
{"type":"relation","subject":"aliyev","predicate":"hosted","object":"pezeshkian","when":"2025-04-28"}
"#,
    )
    .unwrap();
    store.ok(&["--as", "bob", "import", file.to_str().unwrap()]);
    std::fs::write(
        &file,
        r#"{"type":"predicate","id":"hosted","label":"hosted","description":"was the host of"}"#,
    )
    .unwrap();
    store.ok(&["--as", "carol", "import", file.to_str().unwrap()]);
    let conn = Connection::open(&store.db).unwrap();
    conn.execute_batch(
        "INSERT INTO change (id, recorded, author, origin, reason, statement)
         VALUES (4, '2025-05-01T10:00:00.000000Z', 'dave', 'repl', 'misread the source',
                 'retract #3 because \"misread the source\"');
         INSERT INTO relation_version (id, since_change, until_change, subject, predicate,
             object, when_text, start_lo, start_hi, end_lo, end_hi, status, source, quote)
         SELECT key, since_change, 4, subject, predicate, object, when_text, start_lo,
             start_hi, end_lo, end_hi, status, source, quote FROM relation WHERE key = 3;
         DELETE FROM relation WHERE key = 3;",
    )
    .unwrap();
    store
}

#[test]
fn a_history_export_imports_into_an_empty_store_with_its_changes_and_versions() {
    let store = store_with_history();
    let history = store.ok(&["export", "--history"]);
    assert!(
        history.starts_with("{\"type\":\"history\",\"format\":1}\n"),
        "{history}"
    );
    let file = store.db.with_file_name("history.jsonl");
    std::fs::write(&file, &history).unwrap();

    let fresh = TempStore::new();
    let out = fresh.ok(&["--as", "eve", "import", file.to_str().unwrap()]);
    assert!(out.contains("4 changes and 3 earlier versions"), "{out}");
    let everything = [
        "SELECT * FROM change ORDER BY id",
        "SELECT * FROM relation_version ORDER BY id, since_change",
        "SELECT * FROM entity_version ORDER BY key, since_change",
        "SELECT * FROM predicate_version ORDER BY key, since_change",
        "SELECT key, id, kind, name, note, since_change, merged_into FROM entity ORDER BY key",
        "SELECT entity, text, norm, lang, is_name, ord FROM alias ORDER BY entity, text",
        "SELECT * FROM predicate ORDER BY key",
        "SELECT * FROM source ORDER BY key",
        "SELECT key, subject, predicate, object, when_text, from_text, to_text, at_text, \
         start_lo, start_hi, end_lo, end_hi, status, place, source, quote, note, confidence, \
         since_change FROM relation ORDER BY key",
    ];
    for sql in everything {
        assert_eq!(rows(&fresh.db, sql), rows(&store.db, sql), "{sql}");
    }
    // No change of its own: the changes are the ones restored.
    assert!(!rows(&fresh.db, "SELECT author FROM change").contains(&"eve".to_string()));
    assert_eq!(fresh.ok(&["export", "--history"]), history);
    assert_eq!(export(&fresh.db), export(&store.db));
    assert!(fresh.ok(&["check"]).contains("no problems"));

    // Into a store that holds anything: refused, and the store is unchanged.
    let out = store.run(&["import", file.to_str().unwrap()]);
    assert_refused(&out, "only be imported into an empty store");
    assert_eq!(store.ok(&["export", "--history"]), history);
}

/// The rows of a `--format jsonl` answer, sorted (an answer's order is not asked about).
fn sorted_lines(out: &str) -> Vec<String> {
    let mut lines: Vec<String> = out.lines().map(str::to_string).collect();
    lines.sort();
    lines
}

/// `as recorded at change N` answers what the same question answered when change N was
/// the last, for each shape the compiler writes differently: one clause, a count, a
/// count by predicate, a time filter, two clauses, a symmetric predicate, a `not`, a
/// path; after a correction, a retraction, an addition and a rename (relations current
/// then, their versions, later relations and entity names, each read its own way).
#[test]
fn questions_about_the_past_answer_what_the_store_held_then() {
    let store = seed_store();
    let questions = [
        "aliyev ?r ?x",
        "?a ?r ?b | count",
        "?a ?r ?b | count by ?r",
        "?a ?r ?b in 2025 | count",
        "pezeshkian ?r ?x, ?x ?r2 ?y",
        "?a met ?b",
        "?x ?r azerbaijan, not ?x visited baku",
        "path hajiyev to netanyahu max 4",
    ];
    let ask = |q: &str| sorted_lines(&store.ok(&["query", "--format", "jsonl", q]));
    let id_of = |q: &str| -> i64 {
        let out = store.ok(&["query", "--format", "jsonl", q]);
        let row: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
        row["id"].as_i64().unwrap()
    };
    let received = id_of("aliyev received pezeshkian");
    let invited = id_of("aliyev invited pezeshkian");
    let writes = [
        format!("correct #{received} when 2025-05 because \"a later date\""),
        format!("retract #{invited} because \"misread\""),
        "add aliyev met netanyahu when 2025-06 source seed-article".to_string(),
        "rename aliyev \"Ilham Heydar oglu Aliyev\"".to_string(),
    ];
    let mut answers = vec![questions.map(ask)];
    for w in &writes {
        store.ok(&["query", w]);
        answers.push(questions.map(ask));
    }
    assert_ne!(
        answers[0],
        answers[writes.len()],
        "the writes change the answers"
    );
    for (k, then) in answers.iter().enumerate() {
        let change = k + 1;
        for (q, expected) in questions.iter().zip(then) {
            let past = ask(&format!("{q} as recorded at change {change}"));
            assert_eq!(&past, expected, "{q} as recorded at change {change}");
        }
    }
    // A day after every change asks about the present.
    for (q, now) in questions.iter().zip(&answers[writes.len()]) {
        assert_eq!(&ask(&format!("{q} as recorded on 9999-12-31")), now, "{q}");
    }
}

/// `factstore query` with a write leaves its change in the write-ahead log when it exits
/// (no checkpoint: the syncs of one were most of a one-add process); every later
/// process reads it, and a REPL session carries it into the store file when it ends.
#[test]
fn a_write_from_query_stays_in_the_log_until_a_later_writer_checkpoints() {
    let store = seed_store();
    let wal = sidecar(&store.db, "-wal");
    let logged = || std::fs::metadata(&wal).map_or(0, |m| m.len());
    store.ok(&[
        "query",
        "add aliyev met netanyahu when 2025-06 source seed-article",
    ]);
    assert!(logged() > 0, "the change is in the log");
    let out = store.ok(&["query", "--format", "jsonl", "aliyev met netanyahu"]);
    assert_eq!(out.lines().count(), 1, "{out}");
    check_passes(&store.db).unwrap();
    // A session's end checkpoints: the store file alone holds the change.
    let out = store.run_with_stdin(&["repl"], "aliyev met ?x | count\n");
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(
        logged(),
        0,
        "the session's end carried the log into the store file"
    );
    assert_eq!(
        rows(&store.db, "SELECT count(*) FROM change"),
        ["2"],
        "{}",
        out.stdout
    );
}

/// The same history export imported into a new file and into an empty PostgreSQL schema
/// (SERVER.md): the same summary, change log, histories, answers as recorded and
/// `export --history`; a schema that holds anything refuses it. Skipped without a server.
#[test]
fn a_history_export_imports_into_an_empty_postgres_schema_as_into_a_file() {
    let Some(server) = crate::postgres_server::server() else {
        return;
    };
    let store = store_with_history();
    let history = store.ok(&["export", "--history"]);
    let file = store.db.with_file_name("history.jsonl");
    std::fs::write(&file, &history).unwrap();
    let file = file.to_str().unwrap();
    let fresh = TempStore::new();
    let schema = server.fresh_schema();
    let on_schema = |args: &[&str]| {
        let mut all = vec!["--db", server.conninfo(), "--schema", schema.as_str()];
        all.extend_from_slice(args);
        crate::support::factstore(&all)
    };
    let imported = on_schema(&["--as", "eve", "import", file]);
    assert_eq!(imported.status, 0, "{imported:?}");
    assert_eq!(imported.stdout, fresh.ok(&["--as", "eve", "import", file]));
    assert_eq!(on_schema(&["export", "--history"]).stdout, history);
    for q in [
        "changes",
        "history #3",
        "history aliyev",
        "history azerbaijan_fm",
        "?a ?r ?b status any as recorded at change 2 | sort id",
        "?a ?r ?b as recorded at change 4 | sort id",
        "predicates",
    ] {
        let args = ["query", "--format", "jsonl", q];
        let got = on_schema(&args);
        assert_eq!(got.status, 0, "{q}: {}", got.stderr);
        assert_eq!(got.stdout, fresh.ok(&args), "{q}");
    }
    assert!(on_schema(&["check"]).stdout.contains("no problems"));
    let again = on_schema(&["import", file]);
    assert_refused(&again, "only be imported into an empty store");
    assert_eq!(on_schema(&["export", "--history"]).stdout, history);
}
