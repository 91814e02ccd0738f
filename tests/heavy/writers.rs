//! Writers that wait on each other for seconds: a write blocked by another process's
//! open `begin` block past SQLite's patience, writes during a long import, two REPLs
//! writing at once. No change is ever lost: each write is recorded, or refused with
//! exit status 1 and a clear message and nothing of it written.

use std::collections::BTreeSet;
use std::fs;
use std::process::Stdio;
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::{check_passes, generated_jsonl, seed_store, PipedRepl, TempStore};

/// The rows of `changes` as JSON.
fn changes(store: &TempStore) -> Vec<Value> {
    let out = store.ok(&["query", "--format", "json", "changes"]);
    serde_json::from_str::<Value>(&out)
        .expect("JSON")
        .as_array()
        .expect("rows")
        .clone()
}

/// The ids of the entities in the store's export.
fn entity_ids(store: &TempStore) -> BTreeSet<String> {
    store
        .ok(&["export"])
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v["type"] == "entity")
        .map(|v| v["id"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// The change numbers are 1, 2, … with none missing.
fn assert_consecutive(rows: &[Value]) {
    let numbers: Vec<i64> = rows.iter().map(|r| r["change"].as_i64().unwrap()).collect();
    let expected: Vec<i64> = (1..=numbers.len() as i64).collect();
    assert_eq!(numbers, expected);
}

#[test]
fn a_writer_blocked_past_the_wait_by_an_open_block_fails_cleanly_and_writes_nothing() {
    let s = seed_store();
    let mut alice = PipedRepl::holding_a_block(&s, "alice");

    let started = Instant::now();
    let bob = s.run(&["--as", "bob", "query", r#"add entity e2 person "E 2""#]);
    let waited = started.elapsed();
    assert_eq!(bob.status, 1, "{bob:?}");
    assert!(bob.stdout.is_empty(), "{bob:?}");
    assert!(
        bob.stderr.starts_with("error: ") && bob.stderr.contains("locked by another process"),
        "{}",
        bob.stderr
    );
    assert!(bob.stderr.contains("try again"), "{}", bob.stderr);
    assert!(
        waited >= Duration::from_secs(1),
        "it did not wait: {waited:?}"
    );

    alice.send("commit");
    alice.wait_for("committed: change 2");
    let (status, said) = alice.finish();
    assert_eq!(status, 0, "{said}");
    assert!(
        !entity_ids(&s).contains("e2"),
        "the refused write was written"
    );
    // Tried again, it is written.
    let again = s.run(&["--as", "bob", "query", r#"add entity e2 person "E 2""#]);
    assert_eq!(again.status, 0, "{again:?}");
    let rows = changes(&s);
    assert_consecutive(&rows);
    let authors: Vec<&str> = rows
        .iter()
        .map(|r| r["recorded_by"].as_str().unwrap())
        .collect();
    assert_eq!(authors[1..], ["alice", "bob"]);
    check_passes(&s.db).expect("check");
}

#[test]
fn writes_during_a_long_import_are_each_kept_or_refused_cleanly() {
    let s = seed_store();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("big.jsonl");
    fs::write(&data, generated_jsonl(3_000, 120_000, "w")).unwrap();
    let mut import = s
        .command_for(&["--as", "importer", "import", data.to_str().unwrap()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut outcomes = Vec::new();
    let mut n = 0;
    while import.try_wait().unwrap().is_none() || n < 3 {
        let id = format!("x{n}");
        let text = format!(r#"add entity {id} person "X {n}""#);
        let out = s.run(&["--as", "writer", "query", &text]);
        match out.status {
            0 => assert!(out.stderr.contains("added entity"), "{out:?}"),
            1 => assert!(out.stderr.contains("locked by another process"), "{out:?}"),
            _ => panic!("a write during an import: {out:?}"),
        }
        outcomes.push((id, out.status == 0));
        n += 1;
        thread::sleep(Duration::from_millis(50));
    }
    let import = import.wait_with_output().unwrap();
    assert!(
        import.status.success(),
        "{}",
        String::from_utf8_lossy(&import.stderr)
    );
    let present = entity_ids(&s);
    for (id, written) in &outcomes {
        assert_eq!(present.contains(id), *written, "{id}: {outcomes:?}");
    }
    let rows = changes(&s);
    assert_consecutive(&rows);
    let imports: Vec<&Value> = rows
        .iter()
        .filter(|r| r["recorded_by"] == "importer")
        .collect();
    assert_eq!(imports.len(), 1, "{rows:?}");
    assert_eq!(imports[0]["origin"], data.to_str().unwrap());
    let written = outcomes.iter().filter(|(_, w)| *w).count();
    assert_eq!(
        rows.len(),
        2 + written,
        "the seed, the import and each kept write"
    );
    eprintln!(
        "{} writes during the import, {written} kept, the rest refused",
        outcomes.len()
    );
    check_passes(&s.db).expect("check");
}

#[test]
fn two_repls_writing_at_once_lose_nothing() {
    const EACH: usize = 60;
    let s = seed_store();
    let script = |who: &str| -> String {
        (0..EACH)
            .map(|i| {
                format!(
                    "add entity {who}{i} person \"{who} {i}\"\nadd {who}{i} visited Baku when 2025\n"
                )
            })
            .collect()
    };
    let handles: Vec<_> = ["ann", "ben"]
        .into_iter()
        .map(|who| {
            let s_db = s.db.clone();
            let text = script(who);
            thread::spawn(move || {
                let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_factstore"))
                    .arg("--db")
                    .arg(&s_db)
                    .args(["--as", who, "repl"])
                    .env_remove("FACTSTORE_DB")
                    .stdin(Stdio::piped())
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap();
                {
                    use std::io::Write;
                    let mut stdin = child.stdin.take().unwrap();
                    stdin.write_all(text.as_bytes()).unwrap();
                }
                child.wait_with_output().unwrap()
            })
        })
        .collect();
    for h in handles {
        let out = h.join().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let rows = changes(&s);
    assert_consecutive(&rows);
    assert_eq!(rows.len(), 1 + 4 * EACH);
    let present = entity_ids(&s);
    for who in ["ann", "ben"] {
        for i in 0..EACH {
            assert!(present.contains(&format!("{who}{i}")), "{who}{i}");
        }
    }
    let visits = s.ok(&["query", "--format", "jsonl", "?x visited Baku | count"]);
    let count: Value = serde_json::from_str(visits.trim()).unwrap();
    assert_eq!(count["count"], 1 + 2 * EACH as i64);
    check_passes(&s.db).expect("check");
}
