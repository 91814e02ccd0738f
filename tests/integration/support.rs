//! Running the `factstore` binary in tests: arguments, standard input, what it printed
//! and returned, and temporary stores.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The sample data shared by the project.
pub const SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/data/seed-article.jsonl"
);

/// What one run of the binary gave.
#[derive(Debug)]
pub struct Output {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `factstore ARGS` with no FACTSTORE_DB in the environment and empty stdin.
pub fn factstore(args: &[&str]) -> Output {
    factstore_with_stdin(args, "")
}

/// Runs `factstore ARGS` with `input` on standard input.
pub fn factstore_with_stdin(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_factstore"))
        .args(args)
        .env_remove("FACTSTORE_DB")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the factstore binary runs");
    {
        let mut stdin = child.stdin.take().expect("stdin is piped");
        // The binary may exit before reading everything; that is not a test failure.
        let _ = stdin.write_all(input.as_bytes());
    }
    let out = child.wait_with_output().expect("factstore finishes");
    Output {
        status: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs `factstore --db DB ARGS…`.
pub fn on(db: &Path, args: &[&str]) -> Output {
    let mut all = vec!["--db", db.to_str().expect("temp paths are UTF-8")];
    all.extend_from_slice(args);
    factstore(&all)
}

/// The store's export, asserting that it succeeds.
pub fn export(db: &Path) -> String {
    let run = on(db, &["export"]);
    assert_eq!(run.status, 0, "export failed: {}", run.stderr);
    run.stdout
}

/// `SELECT count(*) FROM table` on a store file.
pub fn count(db: &Path, table: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).expect("the store opens");
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .expect("the table exists")
}

/// A temporary directory with a store path in it (the file is not created).
pub struct TempStore {
    /// Kept so the directory lives as long as the store.
    _dir: tempfile::TempDir,
    pub db: PathBuf,
}

impl TempStore {
    pub fn new() -> TempStore {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("facts.db");
        TempStore { _dir: dir, db }
    }

    pub fn run(&self, args: &[&str]) -> Output {
        on(&self.db, args)
    }

    pub fn run_with_stdin(&self, args: &[&str], stdin: &str) -> Output {
        let mut all = vec!["--db", self.db.to_str().expect("temp paths are UTF-8")];
        all.extend_from_slice(args);
        factstore_with_stdin(&all, stdin)
    }

    /// A command for `factstore --db DB ARGS…` to spawn by hand.
    pub fn command_for(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_factstore"));
        c.arg("--db")
            .arg(&self.db)
            .args(args)
            .env_remove("FACTSTORE_DB");
        c
    }

    /// Runs and expects success; gives stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(out.status, 0, "factstore {args:?} failed: {out:?}");
        out.stdout
    }
}

/// A store holding the seed article's facts.
pub fn seed_store() -> TempStore {
    let store = TempStore::new();
    store.ok(&["import", SEED]);
    store
}
