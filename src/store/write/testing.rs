//! Helpers shared by the write engine's unit tests: stores with a little data, changes
//! applied in one call, snapshots of every table to compare before and after, and the
//! same scenario run on a SQLite store and on a PostgreSQL one ([`both`]). The SQL
//! helpers read through the store's `Db`, so they read either engine.

use serde_json::{Map, Value};

pub(super) use super::{WriteOp, WriteReport};
pub(super) use crate::store::change::{ChangeMeta, Origin};
pub(super) use crate::store::{ImportFormat, ImportOptions, Store, StoreError};

/// Entities a (person), b (city), c (person), d (country); predicates visited and met
/// (symmetric); source s1; relations #1 a visited b (2025-04), #2 a met c.
pub(super) const BASE: &str = r#"{"type":"entity","id":"a","kind":"person","name":"Alpha","aliases":["Alef"]}
{"type":"entity","id":"b","kind":"city","name":"Beta"}
{"type":"entity","id":"c","kind":"person","name":"Gamma"}
{"type":"entity","id":"d","kind":"country","name":"Delta"}
{"type":"predicate","id":"visited","label":"visited"}
{"type":"predicate","id":"met","label":"met","symmetric":true}
{"type":"source","id":"s1","title":"One","published":"2025-05-01"}
{"type":"relation","subject":"a","predicate":"visited","object":"b","when":"2025-04","source":"s1"}
{"type":"relation","subject":"a","predicate":"met","object":"c"}
"#;

/// An in-memory store holding `jsonl`, recorded as change 1.
pub(super) fn store_with(jsonl: &str) -> Store {
    let mut s = Store::open_in_memory().unwrap();
    s.import(
        jsonl.as_bytes(),
        ImportFormat::JsonLines,
        "base.jsonl",
        ImportOptions::default(),
    )
    .unwrap();
    record_import(&s);
    s
}

/// A store on `engine` holding `jsonl` (records of DATA.md, one a line), written by `add`
/// in one change, recorded as change 1 as [`store_with`]'s import is. (The import is not
/// this module's to test on PostgreSQL: `add` takes the same records.)
pub(super) fn store_added(engine: Engine, jsonl: &str) -> Store {
    let mut s = match engine {
        Engine::Sqlite => Store::open_in_memory().unwrap(),
        Engine::Postgres(server) => postgres_store(server),
    };
    let ops: Vec<WriteOp> = jsonl
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(add)
        .collect();
    change(&mut s, &ops).unwrap();
    record_import(&s);
    s
}

/// A new, empty store in a schema of its own on the test server.
pub(super) fn postgres_store(server: &crate::store::pg_server::Server) -> Store {
    crate::store::engines::postgres_store_on(server)
}

/// Which engine a scenario runs on.
#[derive(Clone, Copy)]
pub(super) enum Engine {
    Sqlite,
    Postgres(&'static crate::store::pg_server::Server),
}

/// Runs `scenario` on SQLite and, when the tests have a PostgreSQL server, on PostgreSQL,
/// and checks that both give the same lines (the scenario leaves out what differs by
/// nature: the instants changes were recorded at). Returns SQLite's lines.
pub(super) fn both(scenario: impl Fn(Engine) -> Vec<String>) -> Vec<String> {
    let sqlite = scenario(Engine::Sqlite);
    if let Some(server) = crate::store::pg_server::server() {
        let postgres = scenario(Engine::Postgres(server));
        for (i, (a, b)) in sqlite.iter().zip(&postgres).enumerate() {
            assert_eq!(a, b, "line {i}: SQLite, then PostgreSQL");
        }
        assert_eq!(sqlite.len(), postgres.len(), "SQLite, then PostgreSQL");
    }
    sqlite
}

/// Makes change 1 the import's, by `importer` on 2025-01-01 (a fixed instant the tests
/// compare with), recording it if the import recorded none.
pub(super) fn record_import(s: &Store) {
    s.db()
        .execute_batch(
            "INSERT INTO change (id, recorded, author, origin) \
             SELECT 1, '2025-01-01T00:00:00.000000Z', 'importer', 'base.jsonl' \
             WHERE NOT EXISTS (SELECT 1 FROM change); \
             UPDATE change SET recorded = '2025-01-01T00:00:00.000000Z', author = 'importer' \
             WHERE id = 1",
        )
        .unwrap();
}

/// Opens a change by `tester` at the REPL.
pub(super) fn begin(s: &mut Store) -> i64 {
    s.begin_change(ChangeMeta::new("tester", Origin::Repl))
        .unwrap()
}

/// Applies `ops` as one change; the change's number (None when nothing changed), or the
/// first error (the change rolled back).
pub(super) fn change(s: &mut Store, ops: &[WriteOp]) -> Result<Option<i64>, StoreError> {
    begin(s);
    for op in ops {
        if let Err(e) = s.write(op, Some("testing")) {
            s.rollback_change().unwrap();
            return Err(e);
        }
    }
    s.commit_change()
}

/// Applies one op as one change and returns its report.
pub(super) fn write(s: &mut Store, op: WriteOp) -> Result<WriteReport, StoreError> {
    begin(s);
    match s.write(&op, Some("testing")) {
        Ok(report) => {
            s.commit_change().unwrap();
            Ok(report)
        }
        Err(e) => {
            s.rollback_change().unwrap();
            Err(e)
        }
    }
}

/// A JSON object from its text.
pub(super) fn json(text: &str) -> Map<String, Value> {
    serde_json::from_str(text).unwrap()
}

/// `add` of the record given as JSON text.
pub(super) fn add(text: &str) -> WriteOp {
    WriteOp::Add(json(text))
}

/// The first column of the first row of `sql`, an integer.
pub(super) fn one(s: &Store, sql: &str) -> i64 {
    s.db().query_row(sql, &[], |r| r.get(0)).unwrap()
}

/// Every row of `sql` as text, one line per row, cells separated by `|`.
pub(super) fn rows(s: &Store, sql: &str) -> Vec<String> {
    use crate::store::db::Cell;
    s.db()
        .query_map(sql, &[], |r| {
            let mut cells = Vec::with_capacity(r.len());
            for i in 0..r.len() {
                cells.push(match r.cell(i)? {
                    Cell::Null => "∅".to_string(),
                    Cell::Int(i) => i.to_string(),
                    Cell::Real(f) => f.to_string(),
                    Cell::Text(t) => t.to_string(),
                    Cell::Blob(b) => format!("{b:02x?}"),
                });
            }
            Ok(cells.join("|"))
        })
        .unwrap()
}

/// What the store believes now: every current row of the four tables and the names,
/// without the change that made them (an undo makes the same content anew).
pub(super) fn snapshot(s: &Store) -> Vec<String> {
    let mut out = Vec::new();
    for (table, sql) in [
        (
            "relation",
            "SELECT key, subject, predicate, object, when_text, from_text, to_text, at_text, \
             start_lo, start_hi, end_lo, end_hi, status, place, source, quote, note, confidence, \
             fingerprint FROM relation ORDER BY key",
        ),
        (
            "entity",
            "SELECT key, id, kind, name, note, merged_into FROM entity ORDER BY key",
        ),
        (
            "alias",
            "SELECT entity, text, norm, lang, is_name, ord FROM alias ORDER BY entity, text",
        ),
        (
            "predicate",
            "SELECT key, id, label, \"symmetric\", description, declared FROM predicate ORDER BY key",
        ),
        (
            "source",
            "SELECT key, id, title, published, published_lo, published_hi, lang, url, note \
             FROM source ORDER BY key",
        ),
    ] {
        out.extend(rows(s, sql).into_iter().map(|r| format!("{table}: {r}")));
    }
    out
}

/// The display of one cell of a result.
pub(super) fn cell(value: &crate::value::Value) -> String {
    value.as_text().map(|t| t.into_owned()).unwrap_or_default()
}

/// The column `column` of every row of a result.
pub(super) fn column(result: &crate::value::ResultSet, column: &str) -> Vec<String> {
    let i = result
        .columns
        .iter()
        .position(|c| c == column)
        .unwrap_or_else(|| panic!("no column {column} in {:?}", result.columns));
    result.rows.iter().map(|r| cell(&r.cells[i])).collect()
}

/// `correct #id` with fields given as JSON text.
pub(super) fn correct(id: i64, fields: &str) -> WriteOp {
    WriteOp::Correct {
        id,
        fields: json(fields),
    }
}

fn texts(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| n.to_string()).collect()
}

pub(super) fn alias(entity: &str, names: &[&str]) -> WriteOp {
    WriteOp::Alias {
        entity: entity.into(),
        names: texts(names),
    }
}

pub(super) fn unalias(entity: &str, names: &[&str]) -> WriteOp {
    WriteOp::Unalias {
        entity: entity.into(),
        names: texts(names),
    }
}

pub(super) fn rename(entity: &str, name: &str) -> WriteOp {
    WriteOp::Rename {
        entity: entity.into(),
        name: name.into(),
    }
}

pub(super) fn merge(from: &str, into: &str) -> WriteOp {
    WriteOp::Merge {
        from: from.into(),
        into: into.into(),
    }
}

pub(super) fn unmerge(entity: &str) -> WriteOp {
    WriteOp::Unmerge {
        entity: entity.into(),
    }
}

pub(super) fn retract(ids: &[i64]) -> WriteOp {
    WriteOp::Retract { ids: ids.to_vec() }
}

pub(super) fn undo(change: Option<i64>) -> WriteOp {
    WriteOp::Undo { change }
}

/// The field a refused record's error names.
pub(super) fn bad_field(err: &StoreError) -> Option<&str> {
    match err {
        StoreError::BadWrite { field, .. } => field.as_deref(),
        _ => None,
    }
}

/// #1 added, corrected, merged, retracted, restored, unmerged; #2 erased.
pub(super) fn store_with_history() -> Store {
    let mut s = store_with(BASE);
    for op in [
        correct(1, r#"{"note":"n"}"#),
        merge("b", "d"),
        retract(&[1]),
        undo(None),
        unmerge("b"),
        WriteOp::Erase { id: 2 },
    ] {
        write(&mut s, op).unwrap();
    }
    s
}

/// [`store_with_history`] and more kinds of change: names added, removed and renamed, a
/// weak alias, a relation with a quote and a note (the text index), a source corrected,
/// a predicate declared, an undo of a change of names. For the tests of other modules
/// (the import of a history export).
pub(in crate::store) fn store_with_more_history() -> Store {
    let mut s = store_with_history();
    for op in [
        alias("a", &["ألفا", "Al"]),
        unalias("a", &["Al"]),
        rename("b", "Bakı"),
        WriteOp::WeakAlias {
            entity: "c".into(),
            names: vec!["the".into()],
        },
        add(
            r#"{"type":"relation","subject":"c","predicate":"visited","object":"d","quote":"Gamma arrived in Türkiye","note":"Seen by ALL"}"#,
        ),
        WriteOp::CorrectSource {
            id: "s1".into(),
            fields: json(r#"{"published":"2026"}"#),
        },
        add(r#"{"type":"predicate","id":"hosted","symmetric":true}"#),
        undo(Some(9)),
    ] {
        write(&mut s, op).unwrap();
    }
    s
}

/// Two writers of one store holding BASE as change 1: `second` (bob) retracts #1 while
/// `first` (alice) has it on screen; the first's `correct #1` is refused, naming who
/// retracted it, when, and in which change, and records nothing.
pub(super) fn a_stale_correct_is_refused(first: &mut Store, second: &mut Store) {
    second
        .begin_change(ChangeMeta::new("bob", Origin::Repl))
        .unwrap();
    second.write(&retract(&[1]), Some("misread")).unwrap();
    second.commit_change().unwrap();
    first
        .begin_change(ChangeMeta::new("alice", Origin::Repl))
        .unwrap();
    let err = first
        .write(&correct(1, r#"{"note":"x"}"#), None)
        .unwrap_err();
    first.rollback_change().unwrap();
    match err {
        StoreError::Stale {
            id,
            author,
            change,
            recorded,
            action,
            ..
        } => {
            assert_eq!(
                (id, author.as_str(), action.as_str()),
                (1, "bob", "retracted")
            );
            assert_eq!(change, 2);
            assert!(recorded.ends_with('Z'), "{recorded}");
        }
        other => panic!("{other}"),
    }
    assert_eq!(one(first, "SELECT count(*) FROM change"), 2);
}
