//! Running the `factstore` binary in tests: arguments, standard input, what it printed
//! and returned, and temporary stores.

use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The sample data shared by the project.
pub const SEED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/demo.jsonl");

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
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_factstore"));
    cmd.args(args).env_remove("FACTSTORE_DB");
    run_command(cmd, input)
}

/// Runs a prepared `factstore` command with `input` on standard input.
pub fn run_command(mut cmd: Command, input: &str) -> Output {
    let mut child = cmd
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

/// Runs the binary on the store in `schema` of the PostgreSQL database `conninfo`, into
/// which the seed data is imported first.
pub fn seeded_schema<'a>(conninfo: &'a str, schema: &'a str) -> impl Fn(&[&str]) -> Output + 'a {
    let on_schema = move |args: &[&str]| {
        let mut all = vec!["--db", conninfo, "--schema", schema];
        all.extend_from_slice(args);
        factstore(&all)
    };
    let imported = on_schema(&["import", SEED]);
    assert_eq!(imported.status, 0, "import: {}", imported.stderr);
    on_schema
}

/// Asserts that a run was refused as wrong input (exit status 2) and that its message
/// says `says`.
pub fn assert_refused(out: &Output, says: &str) {
    assert_eq!(out.status, 2, "{out:?}");
    assert!(out.stderr.contains(says), "{}", out.stderr);
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

/// The SHA-256 of `bytes` in lower-case hex, as the change log records an imported
/// file's.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
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

/// Synthetic JSON Lines for large imports, every id prefixed with `tag` so that several
/// files can go into one store: a source `{tag}-src`; a predicate `{tag}_linked`;
/// `entities` entities `{tag}0`, `{tag}1`, … named `{tag} thing {i}` with an alias
/// `{tag}-{i}`; and `relations` relations `{tag}A {tag}_linked {tag}B` among them, spread
/// over the entities and the months of 2000–2024, each its own (its quote is
/// `{tag} r{j}`), so an import adds exactly `relations` relations.
pub fn generated_jsonl(entities: usize, relations: usize, tag: &str) -> String {
    assert!(entities > 0, "relations need entities to join");
    let mut s = String::with_capacity(entities * 110 + relations * 170);
    // Writing to a String cannot fail.
    let _ = writeln!(
        s,
        "{{\"type\":\"source\",\"id\":\"{tag}-src\",\"title\":\"Generated {tag}\",\"published\":\"2025\"}}"
    );
    let _ = writeln!(
        s,
        "{{\"type\":\"predicate\",\"id\":\"{tag}_linked\",\"label\":\"linked to\",\"symmetric\":false}}"
    );
    for i in 0..entities {
        let _ = writeln!(
            s,
            "{{\"type\":\"entity\",\"id\":\"{tag}{i}\",\"kind\":\"thing\",\"name\":\"{tag} thing {i}\",\"aliases\":[\"{tag}-{i}\"]}}"
        );
    }
    for j in 0..relations {
        let a = (j * 7919) % entities;
        let b = (j * 104_729 + 1) % entities;
        let _ = writeln!(
            s,
            "{{\"type\":\"relation\",\"subject\":\"{tag}{a}\",\"predicate\":\"{tag}_linked\",\"object\":\"{tag}{b}\",\"when\":\"20{:02}-{:02}\",\"source\":\"{tag}-src\",\"quote\":\"{tag} r{j}\"}}",
            j % 25,
            j % 12 + 1
        );
    }
    s
}

/// A store holding the seed article's facts and [`generated_jsonl`]`(entities,
/// relations, tag)`.
pub fn seed_store_with(entities: usize, relations: usize, tag: &str) -> TempStore {
    let store = seed_store();
    let out = store.run_with_stdin(&["import", "-"], &generated_jsonl(entities, relations, tag));
    assert_eq!(
        out.status, 0,
        "importing generated data failed: {}",
        out.stderr
    );
    store
}

/// The path of a store's companion file (`-wal`, `-shm`).
pub fn sidecar(db: &Path, suffix: &str) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// `factstore check` passes on `db`, or why not.
pub fn check_passes(db: &Path) -> Result<(), String> {
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

/// A `factstore repl` process reading statements from a pipe that stays open, so that a
/// test can interleave its statements with another process's: each line is sent when
/// the test says, and the test waits for what the REPL says on stderr.
pub struct PipedRepl {
    child: std::process::Child,
    stdin: Option<std::process::ChildStdin>,
    stderr: std::sync::mpsc::Receiver<String>,
    /// Everything said on stderr so far.
    pub said: String,
}

impl PipedRepl {
    /// Starts `factstore --db DB ARGS… repl`.
    pub fn start(store: &TempStore, args: &[&str]) -> PipedRepl {
        use std::io::BufRead;
        let mut all = args.to_vec();
        all.push("repl");
        let mut child = store
            .command_for(&all)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the REPL starts");
        let stdin = child.stdin.take();
        let stderr = child.stderr.take().expect("stderr is piped");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        PipedRepl {
            child,
            stdin,
            stderr: rx,
            said: String::new(),
        }
    }

    /// Starts a REPL by `author` with a `begin` block open, in which it has added the
    /// entity `e1`: it holds the store's write lock until it commits.
    pub fn holding_a_block(store: &TempStore, author: &str) -> PipedRepl {
        let mut repl = PipedRepl::start(store, &["--as", author]);
        repl.send("begin");
        repl.wait_for("began a change");
        repl.send(r#"add entity e1 person "E 1""#);
        repl.wait_for("added entity `e1`");
        repl
    }

    /// Sends one line.
    pub fn send(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("the REPL's input is open");
        writeln!(stdin, "{line}").expect("the REPL reads its input");
        stdin.flush().expect("the REPL reads its input");
    }

    /// Waits (10 s at most: CI machines are slow) for a line of stderr containing
    /// `text`; gives that line.
    pub fn wait_for(&mut self, text: &str) -> String {
        let until = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let left = until.saturating_duration_since(std::time::Instant::now());
            match self.stderr.recv_timeout(left) {
                Ok(line) => {
                    self.said.push_str(&line);
                    self.said.push('\n');
                    if line.contains(text) {
                        return line;
                    }
                }
                Err(_) => panic!("the REPL never said {text:?}; it said:\n{}", self.said),
            }
        }
    }

    /// Kills the REPL (SIGKILL: nothing of it runs after) and waits for it to end.
    pub fn kill(mut self) {
        self.child.kill().expect("the REPL can be killed");
        let _ = self.child.wait();
    }

    /// Closes the REPL's input and waits for it to exit; gives its exit status and
    /// everything it said.
    pub fn finish(mut self) -> (i32, String) {
        drop(self.stdin.take());
        let status = self.child.wait().expect("the REPL exits");
        while let Ok(line) = self.stderr.recv_timeout(std::time::Duration::from_secs(10)) {
            self.said.push_str(&line);
            self.said.push('\n');
        }
        (status.code().unwrap_or(-1), self.said)
    }
}
