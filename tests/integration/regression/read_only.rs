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

/// A store in a directory the reader cannot write could not be read at all: "attempt to
/// write a readonly database", for a query.
#[test]
fn a_store_in_a_read_only_directory_could_not_be_read() {
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

/// Reading another user's store left `-wal` and `-shm` files owned by the reader beside
/// it.
#[test]
fn a_reader_left_wal_files_owned_by_the_reader() {
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

/// A reading command left `-wal` and `-shm` files behind in a writable directory.
#[test]
fn a_reader_left_wal_files_behind() {
    let store = seed_store();
    let out = store.run(&["query", "?who visited Baku", "--format", "json"]);
    assert_eq!(out.status, 0, "{out:?}");
    assert_eq!(store.run(&["stats"]).status, 0);
    assert_eq!(files_beside(&store.db), ["facts.db"]);
}
