//! Reliability and security of the store as the binary runs it: imports killed at
//! random moments, an import running beside readers and checks, hostile data in and out,
//! stores written by an older schema, and limits on a query's time and memory.

use std::collections::BTreeSet;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::support::{export, generated_jsonl, on, seed_store_with, TempStore, SEED};

/// A small deterministic generator (xorshift64*), so that "random" moments repeat from
/// run to run.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The number of relations in the store as a query sees it, or the failure.
fn relation_count(db: &Path) -> Result<u64, String> {
    let out = on(
        db,
        &["query", "--format", "jsonl", "?a ?r ?b status any | count"],
    );
    if out.status != 0 {
        return Err(format!("query exited {}: {}", out.status, out.stderr));
    }
    let v: Value = serde_json::from_str(out.stdout.trim())
        .map_err(|e| format!("count output is not JSON ({e}): {:?}", out.stdout))?;
    v["count"]
        .as_u64()
        .ok_or_else(|| format!("no count in {:?}", out.stdout))
}

/// Copies a store file (and its WAL and shared-memory files, if any) to `to`.
fn copy_store(from: &Path, to: &Path) {
    fs::copy(from, to).expect("copy the store");
    for suffix in ["-wal", "-shm"] {
        let side = sidecar(from, suffix);
        if side.exists() {
            fs::copy(&side, sidecar(to, suffix)).expect("copy the store's side file");
        }
    }
}

fn sidecar(db: &Path, suffix: &str) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

fn remove_store(db: &Path) {
    for p in [db.to_path_buf(), sidecar(db, "-wal"), sidecar(db, "-shm")] {
        let _ = fs::remove_file(p);
    }
}

fn spawn_import(db: &Path, file: &Path) -> Child {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_factstore"));
    c.arg("--db")
        .arg(db)
        .arg("import")
        .arg(file)
        .env_remove("FACTSTORE_DB")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c.spawn().expect("the factstore binary runs")
}

fn check_passes(db: &Path) -> Result<(), String> {
    let out = on(db, &["check"]);
    if out.status == 0 {
        Ok(())
    } else {
        Err(format!(
            "check exited {}: {}{}",
            out.status, out.stdout, out.stderr
        ))
    }
}

// ---------------------------------------------------------------------------------------
// 1. Crash safety

/// An import killed with SIGKILL at any moment leaves a store that passes `check` and
/// holds either none or all of the file.
#[test]
fn import_killed_at_any_moment_leaves_none_or_all_of_the_file() {
    const RELATIONS: u64 = 100_000;
    const KILLS: usize = 14;
    const MID_IMPORT_KILLS: usize = 10;
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("big.jsonl");
    fs::write(&data, generated_jsonl(3_000, RELATIONS as usize, "k")).expect("write the data");

    let base = dir.path().join("base.db");
    let seeded = on(&base, &["import", SEED]);
    assert_eq!(seeded.status, 0, "{}", seeded.stderr);
    let before = relation_count(&base).expect("count before");

    // Two full imports, to know how long one takes (the shorter: the first also warms
    // the caches) and what it leaves.
    let mut duration = Duration::MAX;
    let mut after = 0;
    for _ in 0..2 {
        let full_db = dir.path().join("full.db");
        copy_store(&base, &full_db);
        let started = Instant::now();
        let full = spawn_import(&full_db, &data)
            .wait_with_output()
            .expect("import finishes");
        duration = duration.min(started.elapsed());
        assert!(
            full.status.success(),
            "{}",
            String::from_utf8_lossy(&full.stderr)
        );
        after = relation_count(&full_db).expect("count after");
        assert_eq!(after, before + RELATIONS);
        remove_store(&full_db);
    }

    // Kill moments spread over the import's whole duration (to just past its end): one
    // in each of KILLS equal slices, at a seeded random point within the slice. Should
    // the machine speed up so that too few kills land while the import runs, more are
    // made at earlier moments.
    let mut rng = Rng(0x5eed_f00d_cafe_d00d);
    let mut span = duration.as_secs_f64() * 1.05;
    let mut outcomes = Vec::new();
    let mut killed_mid_import = 0;
    let mut interrupted: Option<PathBuf> = None;
    for attempt in 0..KILLS * 2 {
        if attempt >= KILLS && killed_mid_import >= MID_IMPORT_KILLS {
            break;
        }
        let slice = attempt % KILLS;
        let delay = span * (slice as f64 + rng.unit()) / KILLS as f64;
        let db = dir.path().join(format!("kill{attempt}.db"));
        copy_store(&base, &db);
        let mut child = spawn_import(&db, &data);
        thread::sleep(Duration::from_secs_f64(delay));
        let running = child.try_wait().expect("poll the import").is_none();
        // SIGKILL on Unix; an import that already ended is not an error here.
        let _ = child.kill();
        let _ = child.wait();
        if let Err(e) = check_passes(&db) {
            panic!("after a kill at {delay:.2}s (running: {running}): {e}");
        }
        let n = relation_count(&db).unwrap_or_else(|e| panic!("after a kill at {delay:.2}s: {e}"));
        assert!(
            n == before || n == after,
            "a kill at {delay:.2}s left {n} relations: neither {before} (none of the file) \
             nor {after} (all of it)"
        );
        outcomes.push((delay, running, n == after));
        if running {
            killed_mid_import += 1;
        } else {
            span *= 0.85;
        }
        if n == before {
            if let Some(old) = interrupted.replace(db) {
                remove_store(&old);
            }
        } else {
            remove_store(&db);
        }
    }
    eprintln!("import took {duration:?}; kills (delay s, running, left all): {outcomes:.2?}");
    assert!(
        killed_mid_import >= MID_IMPORT_KILLS,
        "too few kills landed while the import ran (import took {duration:?}): {outcomes:?}"
    );

    // A store whose import was killed takes the import again and ends whole.
    let last = interrupted.expect("some kill interrupted the import");
    let again = spawn_import(&last, &data)
        .wait_with_output()
        .expect("import finishes");
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert_eq!(relation_count(&last), Ok(after));
    check_passes(&last).expect("check after the re-import");
}

// ---------------------------------------------------------------------------------------
// 2. Concurrency

/// While one process imports a large file, two others query in a loop and another runs
/// `check` in a loop: nothing fails, every query sees a whole store.
#[test]
fn import_beside_queries_and_checks_never_fails_or_shows_half() {
    const RELATIONS: u64 = 60_000;
    let store = TempStore::new();
    store.ok(&["import", SEED]);
    let before = relation_count(&store.db).expect("count before");
    let after = before + RELATIONS;
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("big.jsonl");
    fs::write(&data, generated_jsonl(2_000, RELATIONS as usize, "c")).expect("write the data");

    let done = Arc::new(AtomicBool::new(false));
    let db = Arc::new(store.db.clone());
    let mut queriers = Vec::new();
    for _ in 0..2 {
        let done = Arc::clone(&done);
        let db = Arc::clone(&db);
        queriers.push(thread::spawn(move || {
            let mut seen = BTreeSet::new();
            let mut failures = Vec::new();
            let mut runs = 0;
            while !done.load(Ordering::SeqCst) {
                runs += 1;
                match relation_count(&db) {
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
        let done = Arc::clone(&done);
        let db = Arc::clone(&db);
        thread::spawn(move || {
            let mut failures = Vec::new();
            let mut runs = 0;
            while !done.load(Ordering::SeqCst) {
                runs += 1;
                if let Err(e) = check_passes(&db) {
                    failures.push(e);
                }
            }
            (runs, failures)
        })
    };

    // Let the readers get going on the store as it was, then import.
    thread::sleep(Duration::from_millis(300));
    let import = spawn_import(&store.db, &data)
        .wait_with_output()
        .expect("import finishes");
    // A little more reading after the commit.
    thread::sleep(Duration::from_millis(300));
    done.store(true, Ordering::SeqCst);

    assert!(
        import.status.success(),
        "the import failed beside readers: {}",
        String::from_utf8_lossy(&import.stderr)
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
    assert_eq!(relation_count(&store.db), Ok(after));
    check_passes(&store.db).expect("check after the import");
}

// ---------------------------------------------------------------------------------------
// 3. Hostile data

/// Values that have broken other programs: quotes, SQL, comment markers, NUL, a
/// right-to-left override, zero-width joiners, and a 1 MB string.
fn hostile_values() -> Vec<(&'static str, String)> {
    vec![
        ("apostrophe", "O'Brien".to_string()),
        ("double_quote", "say \"hi\" \\ there".to_string()),
        ("sql", "'); DROP TABLE relation; --".to_string()),
        ("sql_double", "\"); DROP TABLE entity; --".to_string()),
        ("dashes", "--".to_string()),
        ("nul", "before\u{0}after".to_string()),
        ("rlo", "\u{202E}ukaB evil".to_string()),
        ("zwj", "ش\u{200D}ر\u{200C}ق\u{200D}ي".to_string()),
        ("emoji_zwj", "👩\u{200D}👩\u{200D}👧 family".to_string()),
        ("huge", "ج".repeat(250_000) + &"x".repeat(500_000)),
    ]
}

/// The language's string literal for `text`.
fn quoted(text: &str) -> String {
    let mut s = String::from("\"");
    for c in text.chars() {
        if c == '"' || c == '\\' {
            s.push('\\');
        }
        s.push(c);
    }
    s.push('"');
    s
}

/// Exports the store and checks that each `(id, value)` came back as it went in: the
/// entity's name, its alias `"{value} ({alias})"`, and the quote and note of the relation
/// whose subject it is. Returns the exported records.
fn assert_exported_verbatim(
    db: &Path,
    values: &[(&'static str, String)],
    alias: &str,
) -> Vec<Value> {
    let exported: Vec<Value> = export(db)
        .lines()
        .map(|l| serde_json::from_str(l).expect("export lines are JSON"))
        .collect();
    for (id, v) in values {
        let entity = exported
            .iter()
            .find(|r| r["type"] == "entity" && r["id"] == *id)
            .unwrap_or_else(|| panic!("entity {id} is not in the export"));
        assert_eq!(entity["name"].as_str(), Some(v.as_str()), "name of {id}");
        let alias = format!("{v} ({alias})");
        assert!(
            entity["aliases"]
                .as_array()
                .is_some_and(|a| a.iter().any(|a| a.as_str() == Some(alias.as_str()))),
            "alias of {id} not kept"
        );
        let relation = exported
            .iter()
            .find(|r| r["type"] == "relation" && r["subject"] == *id)
            .unwrap_or_else(|| panic!("the relation of {id} is not in the export"));
        assert_eq!(
            relation["quote"].as_str(),
            Some(v.as_str()),
            "quote of {id}"
        );
        assert_eq!(relation["note"].as_str(), Some(v.as_str()), "note of {id}");
    }
    exported
}

#[test]
fn hostile_names_aliases_and_quotes_are_kept_verbatim() {
    let store = TempStore::new();
    store.ok(&["import", SEED]);
    let values = hostile_values();
    let mut data = String::new();
    for (id, v) in &values {
        let alias = format!("{v} (alias)");
        for record in [
            json!({"type":"entity","id":id,"kind":"thing","name":v,"aliases":[alias],"note":v}),
            json!({"type":"relation","subject":id,"predicate":"hostile_link","object":"baku",
                   "quote":v,"note":v}),
        ] {
            data.push_str(&record.to_string());
            data.push('\n');
        }
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("hostile.jsonl");
    fs::write(&file, &data).expect("write the data");
    let out = store.run(&["import", file.to_str().expect("UTF-8 path")]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    check_passes(&store.db).expect("check");

    // Export: every value comes back as it went in.
    let exported = assert_exported_verbatim(&store.db, &values, "alias");
    for (id, v) in &values {
        let entity = exported
            .iter()
            .find(|r| r["type"] == "entity" && r["id"] == *id)
            .unwrap_or_else(|| panic!("entity {id} is not in the export"));
        assert_eq!(entity["note"].as_str(), Some(v.as_str()), "note of {id}");
    }

    // A query returns them verbatim too.
    let rows = store.ok(&["query", "--format", "jsonl", "?a hostile_link ?b"]);
    let rows: Vec<Value> = rows
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON Lines"))
        .collect();
    assert_eq!(rows.len(), values.len());
    for (id, v) in &values {
        let row = rows
            .iter()
            .find(|r| r["a.id"] == *id)
            .unwrap_or_else(|| panic!("no row for {id}"));
        assert_eq!(row["a"].as_str(), Some(v.as_str()), "name of {id}");
        assert_eq!(row["quote"].as_str(), Some(v.as_str()), "quote of {id}");
    }

    // By name and by alias: found, and the SQL never holds the name.
    for (_, v) in &values {
        for name in [v.clone(), format!("{v} (alias)")] {
            let text = format!("{} hostile_link ?b", quoted(&name));
            let out = store.run_with_stdin(&["query", "--format", "jsonl", "-"], &text);
            let shown: String = name.chars().take(40).collect();
            assert!(
                !out.stderr.contains("panicked"),
                "{shown:?}: {}",
                out.stderr
            );
            assert_eq!(out.status, 0, "{shown:?}: {}", out.stderr);
            assert_eq!(out.stdout.lines().count(), 1, "{shown:?}");
            let row: Value = serde_json::from_str(out.stdout.trim_end())
                .unwrap_or_else(|e| panic!("{shown:?}: {e}: {}", out.stdout));
            assert_eq!(row["subject"].as_str(), Some(v.as_str()), "{shown:?}");
            assert_eq!(row["quote"].as_str(), Some(v.as_str()), "{shown:?}");

            let explained = store.run_with_stdin(&["explain", "-"], &text);
            assert_eq!(
                explained.status, 0,
                "explain {shown:?}: {}",
                explained.stderr
            );
            let sql = explained
                .stdout
                .split("-- parameters")
                .next()
                .unwrap_or_default();
            // `--` is too short to tell from SQL's own syntax; every longer value must
            // reach SQLite as a parameter, never as SQL text.
            if name.chars().count() > 2 {
                assert!(
                    !sql.contains(name.as_str()),
                    "{shown:?} is in the SQL:\n{sql}"
                );
            }
            assert!(!sql.contains("DROP"), "{shown:?}: {sql}");
        }
    }
    assert!(store.ok(&["export"]).lines().count() == exported.len());
}

/// The same values through CSV (quoted cells with commas, quotes and line breaks
/// included) come back verbatim.
#[test]
fn hostile_values_through_csv_are_kept_verbatim() {
    let store = TempStore::new();
    store.ok(&["import", SEED]);
    let mut values = hostile_values();
    values.push(("csv_breaks", "a,b\n\"c\"\r\nd".to_string()));
    let dir = tempfile::tempdir().expect("temp dir");

    let mut entities = csv::Writer::from_writer(Vec::new());
    entities
        .write_record(["id", "kind", "name", "aliases"])
        .expect("CSV");
    let mut relations = csv::Writer::from_writer(Vec::new());
    relations
        .write_record(["subject", "predicate", "object", "quote", "note"])
        .expect("CSV");
    for (id, v) in &values {
        let alias = format!("{v} (csv alias)");
        entities
            .write_record([*id, "thing", v.as_str(), alias.as_str()])
            .expect("CSV");
        relations
            .write_record([*id, "csv_link", "tehran", v.as_str(), v.as_str()])
            .expect("CSV");
    }
    for (name, writer) in [("entities.csv", entities), ("relations.csv", relations)] {
        let file = dir.path().join(name);
        fs::write(&file, writer.into_inner().expect("CSV bytes")).expect("write CSV");
        let out = store.run(&["import", file.to_str().expect("UTF-8 path")]);
        assert_eq!(out.status, 0, "{name}: {}", out.stderr);
    }
    check_passes(&store.db).expect("check");

    assert_exported_verbatim(&store.db, &values, "csv alias");
    // CSV output of a query gives them back through a standard CSV reader.
    let out = store.ok(&["query", "--format", "csv", "?a csv_link Tehran"]);
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let headers = reader.headers().expect("a header row").clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {headers:?}"))
    };
    let (a, quote) = (column("a"), column("quote"));
    let mut names = BTreeSet::new();
    for record in reader.records() {
        let record = record.expect("a CSV record");
        assert_eq!(record.get(a), record.get(quote));
        names.insert(record.get(a).unwrap_or_default().to_string());
    }
    let expected: BTreeSet<String> = values.iter().map(|(_, v)| v.clone()).collect();
    assert_eq!(names, expected);
}

/// Each bad file is refused with exit 2 and an error naming its line, and the store is
/// left exactly as it was.
#[test]
fn bad_bytes_and_shapes_are_refused_with_the_line_and_change_nothing() {
    let store = TempStore::new();
    store.ok(&["import", SEED]);
    let before = export(&store.db);
    let dir = tempfile::tempdir().expect("temp dir");
    let good_entity =
        b"{\"type\":\"entity\",\"id\":\"fine\",\"kind\":\"thing\",\"name\":\"Fine\"}\n";
    let nested = |open: &str, close: &str, inner: &str| -> Vec<u8> {
        format!(
            "{{\"type\":\"entity\",\"id\":\"deep\",\"kind\":\"thing\",\"name\":\"x\",\"note\":{}{}{}}}\n",
            open.repeat(10_000),
            inner,
            close.repeat(10_000)
        )
        .into_bytes()
    };
    let cases: Vec<(&str, Vec<u8>, u64)> = vec![
        (
            "utf8.jsonl",
            [
                &good_entity[..],
                b"{\"type\":\"entity\",\"id\":\"bad\",\"kind\":\"thing\",\"name\":\"bad \xff\xfe\"}\n",
            ]
            .concat(),
            2,
        ),
        (
            "utf8.csv",
            b"id,kind,name,aliases\nfine,thing,Fine,\nbad,thing,bad \xc3\x28,\n".to_vec(),
            3,
        ),
        (
            "utf8-relations.csv",
            b"subject,predicate,object,quote\nbaku,near,tehran,ok\nbaku,near,tehran,\xed\xa0\x80\n"
                .to_vec(),
            3,
        ),
        (
            "number-name.jsonl",
            [
                &good_entity[..],
                b"{\"type\":\"entity\",\"id\":\"n\",\"kind\":\"thing\",\"name\":42}\n",
            ]
            .concat(),
            2,
        ),
        (
            "number-alias.jsonl",
            b"{\"type\":\"entity\",\"id\":\"n\",\"kind\":\"thing\",\"name\":\"N\",\"aliases\":[\"ok\",7]}\n"
                .to_vec(),
            1,
        ),
        (
            "number-subject.jsonl",
            [
                &good_entity[..],
                &good_entity[..],
                b"{\"type\":\"relation\",\"subject\":12,\"predicate\":\"near\",\"object\":\"baku\"}\n",
            ]
            .concat(),
            3,
        ),
        (
            "number-when.jsonl",
            b"{\"type\":\"relation\",\"subject\":\"baku\",\"predicate\":\"near\",\"object\":\"baku\",\"when\":2025}\n"
                .to_vec(),
            1,
        ),
        (
            "object-type.jsonl",
            b"{\"type\":{\"entity\":true},\"id\":\"n\"}\n".to_vec(),
            1,
        ),
        (
            "nested-arrays.jsonl",
            [&good_entity[..], &nested("[", "]", "")].concat(),
            2,
        ),
        (
            "nested-objects.jsonl",
            [&good_entity[..], &nested("{\"a\":", "}", "1")].concat(),
            2,
        ),
        (
            "nested-in-aliases.jsonl",
            [
                &good_entity[..],
                &good_entity[..],
                format!(
                    "{{\"type\":\"entity\",\"id\":\"d\",\"kind\":\"thing\",\"name\":\"d\",\"aliases\":{}{}}}\n",
                    "[".repeat(10_000),
                    "]".repeat(10_000)
                )
                .as_bytes(),
            ]
            .concat(),
            3,
        ),
    ];
    for (name, bytes, line) in cases {
        let file = dir.path().join(name);
        fs::write(&file, &bytes).expect("write the case");
        let out = store.run(&["import", file.to_str().expect("UTF-8 path")]);
        assert_eq!(out.status, 2, "{name}: {out:?}");
        assert!(out.stdout.is_empty(), "{name}: {}", out.stdout);
        assert!(!out.stderr.contains("panicked"), "{name}: {}", out.stderr);
        assert!(out.stderr.starts_with("error: "), "{name}: {}", out.stderr);
        assert!(
            out.stderr.contains(&format!("{name}:{line}")),
            "{name}: the error does not name line {line}: {}",
            out.stderr
        );
        assert_eq!(
            out.stderr.trim_end().lines().count(),
            1,
            "{name}: {}",
            out.stderr
        );
        assert_eq!(export(&store.db), before, "{name} changed the store");
    }
    // The same bytes on standard input name `<stdin>` and the line.
    let out = store.run_with_stdin(
        &["import", "-"],
        "{\"type\":\"entity\",\"id\":\"a\",\"kind\":\"thing\",\"name\":\"A\"}\n{\"type\":\"entity\",\"id\":\"b\",\"kind\":\"thing\",\"name\":[[[]]]}\n",
    );
    assert_eq!(out.status, 2, "{out:?}");
    assert!(out.stderr.contains("<stdin>:2"), "{}", out.stderr);
    assert_eq!(export(&store.db), before);
    check_passes(&store.db).expect("check");
}

// ---------------------------------------------------------------------------------------
// 4. Upgrades

/// A store written with schema version 1, and its export when it was made.
const STORE_V1: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/store-v1.db");
const STORE_V1_EXPORT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/store-v1.jsonl");

fn user_version(db: &Path) -> i64 {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("the store opens");
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("a user version")
}

/// A version 1 store is opened by every command of the current binary (upgraded in
/// place to the current schema when it is older) with its data intact.
#[test]
fn a_version_1_store_opens_with_its_data_intact() {
    let current = factstore::store::SCHEMA_VERSION;
    let dir = tempfile::tempdir().expect("temp dir");
    let expected = fs::read_to_string(STORE_V1_EXPORT).expect("the fixture's export");

    // Whatever command meets the old file first, it works and leaves a current store.
    for first in [
        vec!["query", "--format", "jsonl", "?who visited Baku"],
        vec!["export"],
        vec!["check"],
        vec!["stats"],
        vec!["run", "--format", "jsonl", "visitors", "Baku"],
        vec!["import", SEED],
    ] {
        let db = dir.path().join(format!("{}.db", first[0]));
        fs::copy(STORE_V1, &db).expect("copy the fixture");
        assert_eq!(
            user_version(&db),
            1,
            "the fixture must stay a version 1 store"
        );
        let out = on(&db, &first);
        assert_eq!(
            out.status, 0,
            "{first:?} on a version 1 store: {}",
            out.stderr
        );
        assert!(!out.stdout.is_empty(), "{first:?} printed nothing");
        assert_eq!(user_version(&db), current, "after {first:?}");
        check_passes(&db).unwrap_or_else(|e| panic!("after {first:?}: {e}"));
        // Importing the data it was made from adds nothing either.
        assert_eq!(export(&db), expected, "after {first:?} the data differs");
    }

    let db = dir.path().join("query.db");
    let rows = on(&db, &["query", "--format", "jsonl", "?who visited Baku"]);
    assert_eq!(rows.status, 0, "{}", rows.stderr);
    let names: Vec<String> = rows
        .stdout
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("JSON Lines");
            v["who"].as_str().unwrap_or_default().to_string()
        })
        .collect();
    assert_eq!(names, vec!["Masoud Pezeshkian".to_string()]);
    // A saved query and an Arabic alias lookup survive too.
    let run = on(&db, &["run", "--format", "jsonl", "visitors", "باكو"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(run.stdout.lines().count(), 1, "{}", run.stdout);
    let path = on(
        &db,
        &["query", "--format", "jsonl", "path Netanyahu to Pezeshkian"],
    );
    assert_eq!(path.status, 0, "{}", path.stderr);
    assert!(!path.stdout.is_empty());
}

#[test]
fn a_store_from_a_newer_version_is_refused_and_left_byte_identical() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("future.db");
    fs::copy(STORE_V1, &db).expect("copy the fixture");
    {
        let conn = rusqlite::Connection::open(&db).expect("open the copy");
        conn.execute_batch("PRAGMA user_version = 99; PRAGMA journal_mode = DELETE;")
            .expect("mark the copy as version 99");
    }
    for suffix in ["-wal", "-shm"] {
        let _ = fs::remove_file(sidecar(&db, suffix));
    }
    let bytes = fs::read(&db).expect("read the copy");
    for args in [
        vec!["query", "?who visited Baku"],
        vec!["export"],
        vec!["check"],
        vec!["stats"],
        vec!["init"],
        vec!["import", SEED],
        vec!["query", "save replace x(p) = ?a visited $p"],
    ] {
        let out = on(&db, &args);
        assert_eq!(out.status, 1, "{args:?}: {out:?}");
        assert!(out.stdout.is_empty(), "{args:?}: {}", out.stdout);
        assert!(
            out.stderr.starts_with("error: "),
            "{args:?}: {}",
            out.stderr
        );
        assert!(out.stderr.contains("99"), "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains("newer"), "{args:?}: {}", out.stderr);
        assert_eq!(
            fs::read(&db).expect("read"),
            bytes,
            "{args:?} changed the file"
        );
    }
}

// ---------------------------------------------------------------------------------------
// 5. Limits

#[test]
fn a_huge_product_is_bounded_by_timeout_and_limit() {
    let store = seed_store_with(500, 20_000, "m");
    let product = "?a ?r ?b, ?c ?r2 ?d";
    for (text, format) in [
        (format!("{product} | count"), "json"),
        (product.to_string(), "jsonl"),
    ] {
        let started = Instant::now();
        let out = store.run(&["query", "--format", format, "--timeout", "1", &text]);
        let took = started.elapsed();
        assert_eq!(out.status, 1, "{text}: {}", out.stderr);
        assert!(out.stderr.starts_with("error: "), "{}", out.stderr);
        assert!(out.stderr.contains("timeout"), "{}", out.stderr);
        assert!(out.stderr.contains("1 s"), "{}", out.stderr);
        assert!(
            took < Duration::from_secs(10),
            "{text}: a 1 s timeout took {took:?}"
        );
    }
    // With a limit, the first rows come at once.
    let started = Instant::now();
    let out = store.run(&[
        "query",
        "--format",
        "jsonl",
        "--limit",
        "250",
        "--timeout",
        "20",
        product,
    ]);
    let took = started.elapsed();
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(out.stdout.lines().count(), 250);
    assert!(took < Duration::from_secs(5), "250 rows took {took:?}");
}

/// The largest resident set a process has had, in kB (Linux).
fn peak_rss_kb(pid: u32) -> Option<u64> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Streaming 1.2 million rows of a product to a pipe keeps the binary's memory flat:
/// far below what holding the rows would take (hundreds of bytes each).
#[test]
fn streaming_a_million_rows_keeps_memory_flat() {
    const ROWS: usize = 1_200_000;
    const BOUND_KB: u64 = 100 * 1024;
    if !Path::new("/proc/self/status").exists() {
        eprintln!("no /proc: peak memory cannot be read here; skipped");
        return;
    }
    let store = seed_store_with(500, 2_000, "m");
    let mut child = store
        .command_for(&[
            "query",
            "--format",
            "jsonl",
            "--limit",
            &ROWS.to_string(),
            "?a ?r ?b, ?c ?r2 ?d",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the factstore binary runs");
    let pid = child.id();
    let stdout = child.stdout.take().expect("piped stdout");
    let mut reader = BufReader::with_capacity(1 << 16, stdout);
    let mut line = Vec::new();
    let mut rows = 0usize;
    let mut peak = 0u64;
    loop {
        line.clear();
        let n = reader.read_until(b'\n', &mut line).expect("read rows");
        if n == 0 {
            break;
        }
        if rows == 0 {
            assert!(line.starts_with(b"{"), "{}", String::from_utf8_lossy(&line));
        }
        rows += 1;
        // The process is alive until its output is drained: sample as rows flow.
        if rows.is_multiple_of(50_000) {
            if let Some(kb) = peak_rss_kb(pid) {
                peak = peak.max(kb);
            }
        }
    }
    let out = child.wait_with_output().expect("the query finishes");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(rows, ROWS);
    assert!(peak > 0, "no memory sample was taken");
    eprintln!("peak memory streaming {ROWS} rows: {peak} kB");
    assert!(
        peak < BOUND_KB,
        "streaming {ROWS} rows took {peak} kB at peak (bound {BOUND_KB} kB)"
    );
    std::io::stderr().flush().ok();
}
