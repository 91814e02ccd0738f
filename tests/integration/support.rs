//! Running the real binary on a temporary store.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A file under the shared folder beside the checkout (tests only).
pub fn shared(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(rel)
}

/// What a run of the binary gave.
#[derive(Debug)]
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// A temporary directory with a store path in it.
pub struct Run {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
}

impl Run {
    /// A fresh directory; the store file is not created.
    pub fn new() -> Run {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("facts.db");
        Run { dir, db }
    }

    pub fn command(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_factstore"));
        c.arg("--db").arg(&self.db);
        c.current_dir(self.dir.path());
        c.env_remove("FACTSTORE_DB");
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.run_with_stdin(args, None)
    }

    pub fn run_with_stdin(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut c = self.command();
        c.args(args)
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = c.spawn().expect("run factstore");
        if let Some(input) = stdin {
            let mut pipe = child.stdin.take().expect("stdin");
            pipe.write_all(input.as_bytes()).expect("write stdin");
        }
        let out = child.wait_with_output().expect("wait for factstore");
        Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Runs and expects success; gives stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(out.code, 0, "factstore {args:?} failed: {out:?}");
        out.stdout
    }
}

/// A store holding the seed article's facts.
pub fn seed_store() -> Run {
    let run = Run::new();
    let seed = shared("data/seed-article.jsonl");
    run.ok(&["import", seed.to_str().expect("utf-8 path")]);
    run
}
