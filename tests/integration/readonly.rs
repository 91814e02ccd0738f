//! Reading a store the reader cannot write: on read-only media, in a directory the user
//! cannot write, or owned by someone else; reading leaves no `-wal` or `-shm` file behind.
//!
//! As root, permissions do not stop writes, so the reader runs as the `nobody` user
//! (`setpriv`); otherwise the directory is made read-only with `chmod`.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use crate::support::{run_command, seed_store, Output, TempStore};

/// The names in the store's directory.
fn files_beside(db: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(db.parent().expect("a directory"))
        .expect("the directory lists")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

fn is_root() -> bool {
    rustix::process::getuid().is_root()
}

fn set_mode(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

/// Runs `factstore --db DB ARGS` as a user who may read but not write what root made
/// (`nobody` when the tests run as root, else the user, with the directory read-only).
fn as_reader(store: &TempStore, args: &[&str]) -> Output {
    let mut command = if is_root() {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_factstore"))
            .arg("--db")
            .arg(&store.db)
            .args(args)
            .env_remove("FACTSTORE_DB")
            .env("HOME", "/nonexistent");
        c
    } else {
        store.command_for(args)
    };
    command.env("NO_COLOR", "1");
    run_command(command, "")
}

#[test]
fn a_store_in_a_directory_the_reader_cannot_write_is_read_and_left_alone() {
    let store = seed_store();
    let dir = store.db.parent().expect("a directory").to_path_buf();
    set_mode(&store.db, 0o644);
    set_mode(&dir, 0o555);
    let before = files_beside(&store.db);
    assert_eq!(before, ["facts.db"]);

    let out = as_reader(&store, &["query", "?who visited Baku", "--format", "json"]);
    assert_eq!(out.status, 0, "{out:?}");
    assert!(out.stdout.contains("Pezeshkian"), "{}", out.stdout);
    for args in [&["stats"][..], &["export"], &["check"]] {
        let out = as_reader(&store, args);
        assert_eq!(out.status, 0, "{args:?}: {out:?}");
    }
    // A write is refused with a clear word, and the store is unchanged.
    let out = as_reader(&store, &["query", "add Baku visited Iran"]);
    assert_ne!(out.status, 0, "{out:?}");
    assert_eq!(files_beside(&store.db), before);
    set_mode(&dir, 0o755);
}

#[test]
fn a_reader_of_someone_elses_store_creates_no_files_beside_it() {
    if !is_root() {
        // Without root, no other user's store can be made for the test.
        return;
    }
    let store = seed_store();
    let dir = store.db.parent().expect("a directory").to_path_buf();
    set_mode(&store.db, 0o644);
    // Anyone may create files here (as in a shared directory).
    set_mode(&dir, 0o1777);
    let out = as_reader(&store, &["query", "?who visited Baku", "--format", "csv"]);
    assert_eq!(out.status, 0, "{out:?}");
    assert_eq!(files_beside(&store.db), ["facts.db"]);
    // The owner still writes.
    assert_eq!(store.run(&["query", "add Baku visited Iran"]).status, 0);
    set_mode(&dir, 0o755);
}

#[test]
fn a_reader_who_may_write_leaves_no_wal_files() {
    let store = seed_store();
    let out = store.run(&["query", "?who visited Baku", "--format", "json"]);
    assert_eq!(out.status, 0, "{out:?}");
    assert_eq!(store.run(&["stats"]).status, 0);
    assert_eq!(files_beside(&store.db), ["facts.db"]);
}
