//! Export and every other file the user names: never onto the store, whole or not at all.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::support::{seed_store, seed_store_with, TempStore};

/// Files in `dir` other than those named.
fn others(dir: &Path, named: &[&str]) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !named.contains(&n.as_str()))
        .collect()
}

/// `factstore export facts.db` (the default store, easy to type for `facts.jsonl`) left a
/// 0-byte store, and every later command said the store "needs an upgrade … (the data is
/// kept)" while the data was gone.
#[test]
fn export_onto_the_default_store_emptied_it() {
    let store = seed_store();
    let dir = store.db.parent().unwrap();
    let before = fs::read(&store.db).unwrap();
    for target in ["facts.db", "./facts.db"] {
        let out = Command::new(env!("CARGO_BIN_EXE_factstore"))
            .args(["export", target])
            .current_dir(dir)
            .env_remove("FACTSTORE_DB")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{target}: {out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("the store itself"), "{stderr}");
        assert!(out.stdout.is_empty());
    }
    assert_eq!(fs::read(&store.db).unwrap(), before);
    assert!(store.ok(&["stats"]).contains("relations"));
}

/// `--db s.db export s.db` emptied the store too; so would a link to it or its `-wal` and
/// `-shm` files. They are refused by identity, whatever the spelling.
#[test]
fn export_onto_the_store_by_another_name_destroyed_it() {
    let store = seed_store();
    let dir = store.db.parent().unwrap();
    let link = dir.join("link.db");
    std::os::unix::fs::symlink(&store.db, &link).unwrap();
    let hard = dir.join("hard.db");
    fs::hard_link(&store.db, &hard).unwrap();
    let before = store.ok(&["export"]);
    let absolute = fs::canonicalize(&store.db).unwrap();
    let dotted = dir.join(".").join("facts.db");
    let wal = dir.join("facts.db-wal");
    let shm = dir.join("facts.db-shm");
    for target in [&store.db, &absolute, &dotted, &link, &hard, &wal, &shm] {
        let out = store.run(&["export", target.to_str().unwrap()]);
        assert_eq!(out.status, 2, "{target:?}: {out:?}");
        assert!(out.stderr.contains("Nothing was written"), "{}", out.stderr);
    }
    // The store answers as before, through its link too.
    assert_eq!(store.ok(&["export"]), before);
    let via_link = crate::support::on(&link, &["export"]);
    assert_eq!(via_link.stdout, before);
}

/// An export that failed partway (here: a damaged page of the store) replaced an existing
/// good file, yesterday's backup, with a partial one.
#[test]
fn failed_export_replaced_the_backup_with_a_partial_file() {
    let store = seed_store_with(2_000, 20_000, "d");
    let dir = store.db.parent().unwrap().to_path_buf();
    let backup = dir.join("backup.jsonl");
    fs::write(&backup, "yesterday's backup\n").unwrap();
    // Damage three leaf pages of the relation table, from the middle of its pages (found
    // by SQLite's page statistics: other tables and indexes lie between them).
    let (page, leaves): (i64, Vec<i64>) = {
        let conn = rusqlite::Connection::open(&store.db).unwrap();
        let page: i64 = conn
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .unwrap();
        let mut stmt = conn
            .prepare("SELECT pageno FROM dbstat WHERE name = 'relation' AND pagetype = 'leaf' ORDER BY pageno")
            .unwrap();
        let leaves = stmt
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        (page, leaves)
    };
    assert!(leaves.len() > 10, "{leaves:?}");
    let mut bytes = fs::read(&store.db).unwrap();
    for n in &leaves[leaves.len() / 2..leaves.len() / 2 + 3] {
        let at = ((n - 1) * page) as usize;
        bytes[at..at + page as usize].fill(7);
    }
    fs::write(&store.db, bytes).unwrap();
    let to_stdout = store.run(&["export"]);
    assert_eq!(to_stdout.status, 1, "the damage must break the export");
    assert!(!to_stdout.stdout.is_empty(), "it fails partway");

    let out = store.run(&["export", backup.to_str().unwrap()]);
    assert_eq!(out.status, 1, "{out:?}");
    assert!(out.stderr.contains("was left as it was"), "{}", out.stderr);
    assert_eq!(fs::read_to_string(&backup).unwrap(), "yesterday's backup\n");
    let left = others(
        &dir,
        &["facts.db", "facts.db-wal", "facts.db-shm", "backup.jsonl"],
    );
    assert!(left.is_empty(), "temporary files left behind: {left:?}");
}

/// An export into a new file still works and keeps the file's usual permissions (not the
/// temporary file's private ones).
#[test]
fn export_to_a_new_file_is_whole_and_readable() {
    use std::os::unix::fs::PermissionsExt;
    let store = seed_store();
    let target = store.db.with_file_name("facts.jsonl");
    store.ok(&["export", target.to_str().unwrap()]);
    assert_eq!(fs::read_to_string(&target).unwrap(), store.ok(&["export"]));
    let mode = fs::metadata(&target).unwrap().permissions().mode();
    assert_ne!(
        mode & 0o044,
        0,
        "readable by others as File::create makes it: {mode:o}"
    );
    // Importing it into a new store gives the same export.
    let copy = TempStore::new();
    copy.ok(&["import", target.to_str().unwrap()]);
    assert_eq!(copy.ok(&["export"]), store.ok(&["export"]));
}

/// `factstore demo --db EXISTING` silently merged the sample facts into the user's store.
#[test]
fn demo_merged_its_facts_into_an_existing_store() {
    let store = seed_store_with(3, 2, "mine");
    let before = store.ok(&["export"]);
    let out = store.run_with_stdin(&["demo"], "?who visited Baku\n");
    assert_eq!(out.status, 2, "{out:?}");
    assert!(
        out.stderr.contains("refusing to load the demo"),
        "{}",
        out.stderr
    );
    assert_eq!(store.ok(&["export"]), before);
    // A new path is fine, and kept.
    let fresh = TempStore::new();
    let out = fresh.run_with_stdin(&["demo"], "?who visited Baku\n");
    assert_eq!(out.status, 0, "{out:?}");
    assert!(out.stdout.contains("Pezeshkian"), "{}", out.stdout);
}
