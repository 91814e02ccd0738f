//! What the fuzz targets share: importing fuzz bytes into an empty in-memory store and
//! checking what an accepted file leaves behind.
//!
//! A file is either refused as bad data (an error naming a line inside the file),
//! leaving the store empty, or imported; an imported file leaves a store that passes its own checks, whose counts
//! agree with the import summary, that takes the same file again without adding
//! anything (a history export that restored something is refused instead: it imports
//! into an empty store only), and whose export imports back into an identical store.

use std::cell::RefCell;

/// Defines AddressSanitizer's default settings for a target that imports (the user's
/// `ASAN_OPTIONS` still override them): no detection of stack use after return. Each
/// JSON Lines import writes on a thread of its own, and ASan gives each new thread a
/// fresh "fake stack" for that detection, whose pages took about two thirds of each
/// input's time (4,000 jsonl_record inputs: 28 s with it, 10 s without). Safe Rust
/// cannot return a reference to its stack; heap errors, which are what SQLite's C code
/// could commit here, are still detected. `ASAN_OPTIONS=detect_stack_use_after_return=1`
/// turns it back on.
#[macro_export]
macro_rules! asan_default_options {
    () => {
        /// Read by AddressSanitizer at start-up: see `factstore_fuzz::asan_default_options`.
        #[no_mangle]
        pub extern "C" fn __asan_default_options() -> *const std::ffi::c_char {
            c"detect_stack_use_after_return=0".as_ptr()
        }
    };
}

use factstore::store::{ImportFormat, ImportOptions, ImportSummary, Store, StoreError};

/// A store kept from one input to the next, emptied when an input has written to it:
/// building the schema anew for each input's stores, and SQLite reading it into each new
/// connection, took most of each input's time.
struct Reused {
    store: Store,
    /// The schema's version when the store was made: an input that changed the schema
    /// (a bulk import rebuilds indexes, ANALYZE adds tables) gets the next input a new
    /// store, so that every input starts from the same schema.
    schema_version: i64,
    /// Every table of the schema (sqlite_sequence too, were there one).
    tables: Vec<String>,
    /// Whether the store may hold rows.
    used: bool,
}

impl Reused {
    fn new() -> Reused {
        let store = Store::open_in_memory().expect("an in-memory store opens");
        let schema_version = schema_version(&store);
        let tables = store
            .fuzzing_connection()
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
            .and_then(|mut stmt| stmt.query_map([], |r| r.get(0))?.collect())
            .expect("the tables are listed");
        Reused {
            store,
            schema_version,
            tables,
            used: false,
        }
    }

    /// The store, empty as a new store: every row of every table deleted (keys start
    /// again from 1: no table counts on AUTOINCREMENT), unless it holds none.
    fn take(&mut self) -> &mut Store {
        if schema_version(&self.store) != self.schema_version {
            *self = Reused::new();
        } else if self.used {
            // Foreign keys are checked when the transaction ends, with every table empty.
            let mut sql = String::from("BEGIN; PRAGMA defer_foreign_keys = ON;");
            for table in &self.tables {
                sql.push_str(&format!("DELETE FROM \"{table}\";"));
            }
            sql.push_str("COMMIT;");
            self.store
                .fuzzing_connection()
                .execute_batch(&sql)
                .expect("the store is emptied");
        }
        self.used = true;
        &mut self.store
    }

    /// Panics unless the store holds no row: what a refused file must leave of an empty
    /// store. The next input then takes the store as it is.
    fn assert_empty(&mut self) {
        let any = self
            .tables
            .iter()
            .map(|table| format!("EXISTS (SELECT 1 FROM \"{table}\")"))
            .collect::<Vec<_>>()
            .join(" OR ");
        let holds_rows: bool = self
            .store
            .fuzzing_connection()
            .query_row(&format!("SELECT {any}"), [], |r| r.get(0))
            .expect("the store is read");
        assert!(!holds_rows, "a refused file left rows in the store");
        self.used = false;
    }
}

fn schema_version(store: &Store) -> i64 {
    store
        .fuzzing_connection()
        .query_row("PRAGMA schema_version", [], |r| r.get(0))
        .expect("the schema version is read")
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
