//! Concurrency on PostgreSQL as the binary runs it: a bulk import, which writes into
//! copies of the relation tables and swaps them in before it commits, beside readers
//! and checks. Skipped (with a message) without a test server.

use std::fs;

use crate::concurrency::{counted, import_beside_readers, COUNT_RELATIONS};
use crate::postgres_server;
use crate::support::{factstore, generated_jsonl, Output, SEED};

/// One PostgreSQL store (a schema of the test server) the binary is run on.
#[derive(Clone)]
struct Schema {
    conninfo: String,
    name: String,
}

impl Schema {
    /// Runs `factstore --db CONNINFO --schema NAME ARGS…`.
    fn run(&self, args: &[&str]) -> Output {
        let mut all = vec![
            "--db",
            self.conninfo.as_str(),
            "--schema",
            self.name.as_str(),
        ];
        all.extend_from_slice(args);
        factstore(&all)
    }

    /// The number of relations as a query sees it, or the failure.
    fn relations(&self) -> Result<u64, String> {
        counted(self.run(&COUNT_RELATIONS))
    }

    /// `factstore check` passes, or why not.
    fn check(&self) -> Result<(), String> {
        let out = self.run(&["check"]);
        match out.status {
            0 => Ok(()),
            s => Err(format!("check exited {s}: {}{}", out.stdout, out.stderr)),
        }
    }
}

/// While one process imports a file of more relations than the store holds (so it
/// swaps the tables in), two others query in a loop and another runs `check` in a loop:
/// nothing fails, and every query sees the store as it was or as the import left it.
#[test]
fn a_swapping_import_beside_queries_and_checks_never_fails_or_shows_half() {
    const RELATIONS: u64 = 60_000;
    let Some(server) = postgres_server::server() else {
        return;
    };
    let store = Schema {
        conninfo: server.conninfo().to_string(),
        name: server.fresh_schema(),
    };
    let seeded = store.run(&["import", SEED]);
    assert_eq!(seeded.status, 0, "{}", seeded.stderr);
    let before = store.relations().expect("count before");
    let after = before + RELATIONS;
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("big.jsonl");
    fs::write(&data, generated_jsonl(2_000, RELATIONS as usize, "c")).expect("write the data");

    let (read, checked) = (store.clone(), store.clone());
    let file = data.to_str().expect("a UTF-8 temporary path");
    import_beside_readers(
        move || read.relations(),
        move || checked.check(),
        || {
            let import = store.run(&["import", file]);
            match import.status {
                0 => Ok(()),
                _ => Err(import.stderr),
            }
        },
        [before, after],
    );
    assert_eq!(store.relations(), Ok(after));
    store.check().expect("check after the import");
}
