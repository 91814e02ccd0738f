//! Crash safety and concurrency as the binary runs them: imports killed at random
//! moments, an import running beside readers and checks.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::{check_passes, generated_jsonl, on, sidecar, Output, TempStore, SEED};

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

/// The arguments of a query of the number of relations.
pub(crate) const COUNT_RELATIONS: [&str; 4] =
    ["query", "--format", "jsonl", "?a ?r ?b status any | count"];

/// The number of relations in the store as a query sees it, or the failure.
fn relation_count(db: &Path) -> Result<u64, String> {
    counted(on(db, &COUNT_RELATIONS))
}

/// The count a run of [`COUNT_RELATIONS`] printed, or the failure.
pub(crate) fn counted(out: Output) -> Result<u64, String> {
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

    let (read, checked) = (store.db.clone(), store.db.clone());
    import_beside_readers(
        move || relation_count(&read),
        move || check_passes(&checked),
        || {
            let import = spawn_import(&store.db, &data)
                .wait_with_output()
                .expect("import finishes");
            if import.status.success() {
                Ok(())
            } else {
                Err(String::from_utf8_lossy(&import.stderr).into_owned())
            }
        },
        [before, after],
    );
    assert_eq!(relation_count(&store.db), Ok(after));
    check_passes(&store.db).expect("check after the import");
}

/// Runs `import` while two threads `count` the relations in a loop and a third runs
/// `check` in a loop, then asserts that the import succeeded, that no count or check
/// failed, that each loop ran, and that every count seen is one of `whole` (the store
/// before the import or after it: never part of it).
pub(crate) fn import_beside_readers(
    count: impl Fn() -> Result<u64, String> + Clone + Send + 'static,
    check: impl Fn() -> Result<(), String> + Send + 'static,
    import: impl FnOnce() -> Result<(), String>,
    whole: [u64; 2],
) {
    let done = Arc::new(AtomicBool::new(false));
    let mut queriers = Vec::new();
    for _ in 0..2 {
        let (done, count) = (Arc::clone(&done), count.clone());
        queriers.push(thread::spawn(move || {
            let mut seen = BTreeSet::new();
            let mut failures = Vec::new();
            let mut runs = 0;
            while !done.load(Ordering::SeqCst) {
                runs += 1;
                match count() {
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
        thread::spawn(move || {
            let mut failures = Vec::new();
            let mut runs = 0;
            while !done.load(Ordering::SeqCst) {
                runs += 1;
                if let Err(e) = check() {
                    failures.push(e);
                }
            }
            (runs, failures)
        })
    };

    // Let the readers get going on the store as it was, then import.
    thread::sleep(Duration::from_millis(300));
    let imported = import();
    // A little more reading after the commit.
    thread::sleep(Duration::from_millis(300));
    done.store(true, Ordering::SeqCst);

    if let Err(e) = imported {
        panic!("the import failed beside readers: {e}");
    }
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
        all_seen.iter().all(|n| whole.contains(n)),
        "a query saw a partial import: {all_seen:?} (before and after: {whole:?})"
    );
}
