//! Concurrency on PostgreSQL as the binary runs it: a bulk import, which writes into
//! copies of the relation tables and swaps them in before it commits, beside readers
//! and checks. Skipped (with a message) without a test server.

use std::collections::BTreeSet;
use std::fs;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use serde_json::Value;

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
        let out = self.run(&["query", "--format", "jsonl", "?a ?r ?b status any | count"]);
        if out.status != 0 {
            return Err(format!("query exited {}: {}", out.status, out.stderr));
        }
        let v: Value = serde_json::from_str(out.stdout.trim())
            .map_err(|e| format!("count output is not JSON ({e}): {:?}", out.stdout))?;
        v["count"]
            .as_u64()
            .ok_or_else(|| format!("no count in {:?}", out.stdout))
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

    let done = Arc::new(AtomicBool::new(false));
    let mut queriers = Vec::new();
    for _ in 0..2 {
        let (done, store) = (Arc::clone(&done), store.clone());
        queriers.push(thread::spawn(move || {
            let mut seen = BTreeSet::new();
            let mut failures = Vec::new();
            let mut runs = 0;
            while !done.load(Ordering::SeqCst) {
                runs += 1;
                match store.relations() {
                    Ok(n) => {
                        seen.insert(n);
                    }
                    Err(e) => failures.push(e),
                }
            }
            (runs, seen, failures)
        }));
    }
    let checker = {
        let (done, store) = (Arc::clone(&done), store.clone());
        thread::spawn(move || {
            let mut failures = Vec::new();
            let mut runs = 0;
            while !done.load(Ordering::SeqCst) {
                runs += 1;
                if let Err(e) = store.check() {
                    failures.push(e);
                }
            }
            (runs, failures)
        })
    };

    // Let the readers get going on the store as it was, then import.
    thread::sleep(Duration::from_millis(300));
    let file = data.to_str().expect("a UTF-8 temporary path");
    let import = store.run(&["import", file]);
    // A little more reading after the commit.
    thread::sleep(Duration::from_millis(300));
    done.store(true, Ordering::SeqCst);

    assert_eq!(
        import.status, 0,
        "the import failed beside readers: {}",
        import.stderr
    );
    let mut all_seen = BTreeSet::new();
    for q in queriers {
        let (runs, seen, failures) = q.join().expect("query thread");
        assert!(failures.is_empty(), "queries failed: {failures:?}");
        assert!(runs >= 2, "a query loop ran only {runs} time(s)");
        all_seen.extend(seen);
    }
    let (check_runs, check_failures) = checker.join().expect("check thread");
    eprintln!("counts seen during the import: {all_seen:?}; {check_runs} checks");
    assert!(
        check_failures.is_empty(),
        "check failed: {check_failures:?}"
    );
    assert!(check_runs >= 1);
    assert!(
        all_seen.iter().all(|n| *n == before || *n == after),
        "a query saw a partial import: {all_seen:?} (before {before}, after {after})"
    );
    assert_eq!(store.relations(), Ok(after));
    store.check().expect("check after the import");
}
