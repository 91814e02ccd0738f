//! What the fuzz targets share: importing fuzz bytes into a fresh in-memory store and
//! checking what an accepted file leaves behind.
//!
//! A file is either refused as bad data (an error naming a line inside the file) or
//! imported; an imported file leaves a store that passes its own checks, whose counts
//! agree with the import summary, that takes the same file again without adding
//! anything, and whose export imports back into an identical store.

use factstore::store::{Format, ImportOptions, ImportSummary, Store, StoreError};

/// Imports `data` in `format` into a fresh in-memory store and checks the outcome;
/// panics when a rule above is broken.
pub fn import_and_verify(data: &[u8], format: Format) {
    let mut store = Store::open_in_memory().expect("an in-memory store opens");
    let summary = match store.import(data, format, "fuzz", ImportOptions::default()) {
        Ok(summary) => summary,
        Err(error) => {
            assert_refusal(&error, data);
            return;
        }
    };

    let problems = store.check().expect("check runs");
    assert!(
        problems.is_empty(),
        "an accepted file broke the store's rules: {problems:?}"
    );

    let exported = export(&store);
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

    let again = store
        .import(data, format, "fuzz again", ImportOptions::default())
        .unwrap_or_else(|e| panic!("an accepted file is refused the second time: {e}"));
    assert_adds_nothing(&again);
    assert_eq!(
        export(&store),
        exported,
        "a second import changed the store"
    );

    let mut copy = Store::open_in_memory().expect("an in-memory store opens");
    copy.import(
        exported.as_bytes(),
        Format::JsonLines,
        "export",
        ImportOptions::default(),
    )
    .unwrap_or_else(|e| panic!("the export does not import back: {e}\n{exported}"));
    assert_eq!(export(&copy), exported, "the export does not round-trip");
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
