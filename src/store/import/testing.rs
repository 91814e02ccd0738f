//! Helpers shared by the import's unit tests: a store, imports of text, what was written.

pub(super) use super::{ImportFormat, ImportOptions, ImportSummary, RecordCounts};
pub(super) use crate::store::{Store, StoreError};

pub(super) fn store() -> Store {
    Store::open_in_memory().unwrap()
}

pub(super) fn jsonl(store: &mut Store, text: &str) -> Result<ImportSummary, StoreError> {
    store.import(
        text.as_bytes(),
        ImportFormat::JsonLines,
        "test.jsonl",
        ImportOptions::default(),
    )
}

pub(super) fn csv(store: &mut Store, text: &str) -> Result<ImportSummary, StoreError> {
    store.import(
        text.as_bytes(),
        ImportFormat::Csv,
        "test.csv",
        ImportOptions::default(),
    )
}

/// The first column of `sql`'s rows, as text.
pub(super) fn texts(store: &Store, sql: &str) -> Vec<String> {
    store
        .connection()
        .prepare(sql)
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

pub(super) fn count(store: &Store, table: &str) -> i64 {
    store
        .connection()
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

/// The line and field of a bad-record error.
pub(super) fn bad(err: StoreError) -> (u64, Option<String>, String) {
    match err {
        StoreError::BadRecord {
            line,
            field,
            reason,
            ..
        } => (line, field, reason),
        other => panic!("expected a bad record, got {other}"),
    }
}

pub(super) const BASE: &str = r#"{"type":"entity","id":"a","kind":"person","name":"Alpha","aliases":["Alef","ألف"]}
{"type":"entity","id":"b","kind":"city","name":"Beta"}
{"type":"source","id":"src-1","title":"T","published":"2025-04-28"}
"#;
