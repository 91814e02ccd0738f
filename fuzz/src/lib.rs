//! What the fuzz targets share: importing fuzz bytes into an empty in-memory store and
//! checking what an accepted file leaves behind.
//!
//! A file is either refused as bad data (an error naming a line inside the file),
//! leaving the store as new, or imported; an imported file leaves a store that passes its
//! own checks, whose counts agree with the import summary, that takes the same file again
//! without adding anything (a history export that restored something is refused instead:
//! it imports into an empty store only), and whose export imports back into an identical
//! store.
//!
//! Fuzz inputs are small (libFuzzer's default longest input is 4 KiB), so they take the
//! import's path for small files: read whole, then written, on one thread, with SQLite's
//! foreign key and CHECK constraints on, so a row the import should have refused fails
//! the import as a store error, which the harness reports. The streaming path (two
//! threads, relaxed checks) is the same reading and writing code; the import's unit
//! tests compare the two. AddressSanitizer runs with its defaults (no thread is started
//! per input any more, so detecting stack use after return costs little).

use std::cell::RefCell;

use factstore::store::{ImportFormat, ImportOptions, ImportSummary, Store, StoreError};

/// A store kept from one input to the next, emptied when an input has written to it:
/// building the schema anew for each input's stores, and SQLite reading it into each new
/// connection, took most of each input's time. Its statements, the import's included,
/// stay compiled in the connection's cache from one input to the next.
struct Reused {
    store: Store,
    /// The schema's version when the store was made: an input that changed the schema
    /// (a bulk import rebuilds indexes, ANALYZE adds tables) gets the next input a new
    /// store, so that every input starts from the same schema.
    schema_version: i64,
    /// A `DELETE` of every row of each table of the schema (sqlite_sequence too, were
    /// there one), a table's rows before the rows they refer to: foreign keys hold after
    /// each statement. (Setting `defer_foreign_keys` instead would make SQLite compile
    /// every cached statement again.) With it, for a table a new store has rows in (the
    /// count of name changes), the `INSERT` that puts them back from a copy made when the
    /// store was new.
    resets: Vec<(String, Option<String>)>,
    /// The schema's version, then for each table of `resets` whether it differs from a
    /// new store's (for most tables: whether it holds a row): one statement, so that
    /// resetting a store runs the statements of the few tables an input wrote to (a
    /// `DELETE` of an empty table costs about as much as of a small one).
    survey: String,
    /// Whether the store may hold rows or have another schema (an input wrote to it).
    used: bool,
}

/// Statements the connection keeps compiled: the harness's (a `DELETE` per table and
/// two more) and the import's, export's and check's, with room to spare: beyond it, each
/// input would compile most of them again.
const STATEMENT_CACHE: usize = 256;

impl Reused {
    fn new() -> Reused {
        let store = Store::open_in_memory().expect("an in-memory store opens");
        let conn = store.fuzzing_connection();
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        let references: Vec<(String, Option<String>)> = conn
            .prepare(
                "SELECT m.name, f.\"table\" FROM sqlite_master m
                 LEFT JOIN pragma_foreign_key_list(m.name) f ON f.\"table\" <> m.name
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
                   AND m.name NOT IN \
                   (SELECT name FROM pragma_table_list WHERE type IN ('virtual', 'shadow'))",
            )
            .and_then(|mut stmt| {
                stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect()
            })
            .expect("the tables are listed");
        // Left out: SQLite's own tables (the statistics the migrations gather are no rows
        // of the user's), and a text index (a virtual table and its shadow tables, which
        // hold rows even when it is empty), emptied by the triggers of the table it indexes.
        let tables = referrers_first(&references);
        let mut survey = String::new();
        let mut resets = Vec::new();
        for (i, table) in tables.iter().enumerate() {
            let seeded: bool = conn
                .query_row(
                    &format!("SELECT EXISTS (SELECT 1 FROM \"{table}\")"),
                    [],
                    |r| r.get(0),
                )
                .expect("the new store's rows are looked at");
            let restore = if seeded {
                let copy = format!("temp.\"new_{i}\"");
                conn.execute_batch(&format!("CREATE TABLE {copy} AS SELECT * FROM \"{table}\""))
                    .expect("the new store's rows are copied");
                survey.push_str(&format!(
                    ", EXISTS (SELECT * FROM \"{table}\" EXCEPT SELECT * FROM {copy}) \
                     OR EXISTS (SELECT * FROM {copy} EXCEPT SELECT * FROM \"{table}\")"
                ));
                Some(format!("INSERT INTO \"{table}\" SELECT * FROM {copy}"))
            } else {
                survey.push_str(&format!(", EXISTS (SELECT 1 FROM \"{table}\")"));
                None
            };
            resets.push((format!("DELETE FROM \"{table}\""), restore));
        }
        let mut reused = Reused {
            schema_version: 0,
            resets,
            survey: format!("SELECT schema_version{survey} FROM pragma_schema_version"),
            store,
            used: false,
        };
        reused.schema_version = reused.survey().0;
        reused
    }

    /// The schema's version, and for each table of `resets` whether it differs from a new
    /// store's.
    fn survey(&self) -> (i64, Vec<bool>) {
        self.store
            .fuzzing_connection()
            .prepare_cached(&self.survey)
            .and_then(|mut stmt| {
                stmt.query_row([], |r| {
                    let filled = (1..=self.resets.len())
                        .map(|i| r.get(i))
                        .collect::<Result<_, _>>()?;
                    Ok((r.get(0)?, filled))
                })
            })
            .expect("the store is surveyed")
    }

    /// The store, as a new store: every row of every table an input wrote to deleted
    /// (keys start again from 1: no table counts on AUTOINCREMENT) and a new store's rows
    /// put back, referred tables first.
    fn take(&mut self) -> &mut Store {
        if self.used {
            let (schema_version, filled) = self.survey();
            if schema_version != self.schema_version {
                *self = Reused::new();
            } else {
                let conn = self.store.fuzzing_connection();
                let run = |sql: &str| conn.prepare_cached(sql)?.execute([]);
                let emptied = run("BEGIN").and_then(|_| {
                    let written: Vec<_> = self
                        .resets
                        .iter()
                        .zip(filled)
                        .filter_map(|(reset, f)| f.then_some(reset))
                        .collect();
                    for (delete, _) in &written {
                        run(delete)?;
                    }
                    for restore in written.iter().rev().filter_map(|(_, r)| r.as_ref()) {
                        run(restore)?;
                    }
                    run("COMMIT")
                });
                emptied.expect("the store is emptied");
            }
        }
        self.used = true;
        &mut self.store
    }

    /// Panics unless the store holds what a new store holds: what a refused file must
    /// leave of a new store. The next input then takes the store as it is (unless the schema changed).
    fn assert_empty(&mut self) {
        let (schema_version, filled) = self.survey();
        let left: Vec<&str> = self
            .resets
            .iter()
            .zip(&filled)
            .filter(|(_, f)| **f)
            .map(|((delete, _), _)| delete.trim_start_matches("DELETE FROM "))
            .collect();
        assert!(
            left.is_empty(),
            "a refused file left rows in the store, in {}",
            left.join(", ")
        );
        self.used = schema_version != self.schema_version;
    }
}

/// The tables of `references` (each table with a table it refers to, or `None`), each
/// before every table it refers to. Panics on a cycle of references between tables.
fn referrers_first(references: &[(String, Option<String>)]) -> Vec<String> {
    let mut left: Vec<&str> = references.iter().map(|(t, _)| t.as_str()).collect();
    left.sort_unstable();
    left.dedup();
    let mut order = Vec::new();
    while !left.is_empty() {
        // A table no table left refers to (but itself) goes next.
        let referred = |table: &str| {
            references
                .iter()
                .any(|(t, r)| r.as_deref() == Some(table) && left.contains(&t.as_str()))
        };
        let next = left
            .iter()
            .position(|t| !referred(t))
            .expect("the tables' references form no cycle");
        order.push(left.remove(next).to_string());
    }
    order
}

thread_local! {
    /// The store each input is imported into, and the one its export is imported back
    /// into.
    static STORES: RefCell<[Reused; 2]> = RefCell::new([Reused::new(), Reused::new()]);
}

/// Imports `data` in `format` into an empty in-memory store and checks the outcome;
/// panics when a rule above is broken.
pub fn import_and_verify(data: &[u8], format: ImportFormat) {
    STORES.with(|stores| {
        let [store, copy] = &mut *stores.borrow_mut();
        verify(data, format, store, copy);
    })
}

/// [`import_and_verify`] with the store to import into, and the one to import its
/// export into.
fn verify(data: &[u8], format: ImportFormat, reused: &mut Reused, copy: &mut Reused) {
    let store = reused.take();
    let summary = match store.import(data, format, "fuzz", ImportOptions::default()) {
        Ok(summary) => summary,
        Err(error) => {
            assert_refusal(&error, data);
            reused.assert_empty();
            return;
        }
    };

    let problems = store.check().expect("check runs");
    assert!(
        problems.is_empty(),
        "an accepted file broke the store's rules: {problems:?}"
    );

    let exported = export(store);
    let records = count_types(&exported);
    assert_eq!(
        records.relations, summary.relations.added,
        "relations: {summary:?}"
    );
    assert_eq!(
        records.entities, summary.entities.added,
        "entities: {summary:?}"
    );
    assert_eq!(
        records.sources, summary.sources.added,
        "sources: {summary:?}"
    );

    let again = store.import(data, format, "fuzz again", ImportOptions::default());
    if summary.history && summary.wrote_anything() {
        match again {
            Err(StoreError::BadRecord { .. }) => {}
            other => panic!("a history export was imported into a store it filled: {other:?}"),
        }
    } else {
        let again =
            again.unwrap_or_else(|e| panic!("an accepted file is refused the second time: {e}"));
        assert_adds_nothing(&again);
    }
    assert_eq!(export(store), exported, "a second import changed the store");

    let copy = copy.take();
    copy.import(
        exported.as_bytes(),
        ImportFormat::JsonLines,
        "export",
        ImportOptions::default(),
    )
    .unwrap_or_else(|e| panic!("the export does not import back: {e}\n{exported}"));
    assert_eq!(export(copy), exported, "the export does not round-trip");
}

/// A refused file: bad data on a line of the file, never a failure of the store.
fn assert_refusal(error: &StoreError, data: &[u8]) {
    match error {
        StoreError::BadRecord { line, .. } => {
            let lines = data.iter().filter(|b| **b == b'\n').count() as u64 + 1;
            assert!(
                (1..=lines).contains(line),
                "the error names line {line} of a file of {lines} lines: {error}"
            );
            let message = error.to_string();
            assert!(message.contains(&format!("fuzz:{line}")), "{message}");
            assert_eq!(error.exit_code(), 2);
        }
        other => panic!("an import failed other than as bad data: {other}"),
    }
}

fn assert_adds_nothing(summary: &ImportSummary) {
    for (what, counts) in [
        ("sources", summary.sources),
        ("entities", summary.entities),
        ("predicates", summary.predicates),
        ("relations", summary.relations),
        ("saved queries", summary.saved_queries),
    ] {
        assert_eq!(counts.added, 0, "a second import added {what}: {summary:?}");
    }
    assert_eq!(
        summary.aliases_added, 0,
        "a second import added names: {summary:?}"
    );
}

fn export(store: &Store) -> String {
    let mut out = Vec::new();
    store.export(&mut out).expect("export runs");
    String::from_utf8(out).expect("the export is UTF-8")
}

#[derive(Default)]
struct TypeCounts {
    sources: u64,
    entities: u64,
    relations: u64,
}

fn count_types(exported: &str) -> TypeCounts {
    let mut counts = TypeCounts::default();
    for line in exported.lines() {
        let record: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("export line {line:?}: {e}"));
        match record["type"].as_str() {
            Some("source") => counts.sources += 1,
            Some("entity") => counts.entities += 1,
            Some("relation") => counts.relations += 1,
            _ => {}
        }
    }
    counts
}
