//! A PostgreSQL server for tests (SERVER.md, "Tests and CI"): the one named by
//! `FACTSTORE_TEST_POSTGRES`, else a throwaway server started once per test process from
//! the installed PostgreSQL programs, else none (the tests that need it are skipped, or
//! fail under `FACTSTORE_TEST_POSTGRES_REQUIRED=1`).
//!
//! Self-contained (std and tempfile only) so that integration tests include it with
//! `#[path]` and the library's unit tests with
//! `#[cfg(test)] #[path = "../../tests/support/postgres.rs"] mod server;`.
//!
//! The throwaway server lives in a private temporary directory (its data, its log and its
//! Unix socket; no TCP), runs as a non-root user (PostgreSQL refuses root: as root the
//! programs run as `postgres`), and trades durability for speed (`fsync=off`). A watchdog
//! shell, in its own process group so a Ctrl-C on the tests does not kill it first, stops
//! the server and removes the directory once the test process is gone, however it ended.

// Each including target uses part of it.
#![allow(dead_code)]

use std::io::Write as _;
use std::os::unix::fs::MetadataExt as _;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

/// The connection string of a server to use as is.
const SERVER_VARIABLE: &str = "FACTSTORE_TEST_POSTGRES";
/// `1`: a missing server fails the tests instead of skipping them (CI).
const REQUIRED_VARIABLE: &str = "FACTSTORE_TEST_POSTGRES_REQUIRED";
/// Where Debian installs each PostgreSQL version's programs (`/usr/lib/postgresql/15/bin`).
const VERSIONS_DIR: &str = "/usr/lib/postgresql";
/// The user the server runs as when the tests run as root.
const SERVER_USER: &str = "postgres";
/// The socket's directory is private to this server, so the usual port cannot clash.
const PORT: u16 = 5432;
/// A Unix socket's path has room for about 107 bytes; the socket's name takes 16.
const SOCKET_DIR_MAX: usize = 90;

/// A PostgreSQL server the tests can use.
#[derive(Debug)]
pub struct Server {
    conninfo: String,
}

impl Server {
    /// A libpq keyword/value connection string: `host=SOCKETDIR port=P user=postgres
    /// dbname=postgres`, or `FACTSTORE_TEST_POSTGRES` as given.
    pub fn conninfo(&self) -> &str {
        &self.conninfo
    }

    /// A schema name not used by any other test of this process or of another running
    /// test process, for `--schema`: the process id tells the running processes apart,
    /// the process's start second a finished one whose schemas a shared server still
    /// holds, and a counter this process's tests.
    pub fn fresh_schema(&self) -> String {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        static STARTED: OnceLock<u64> = OnceLock::new();
        let started = STARTED.get_or_init(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
        });
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        format!("t_{}_{started}_{n}", std::process::id())
    }
}

/// The test server, started once per test process, or None (skipped) when there is none.
pub fn server() -> Option<&'static Server> {
    static SERVER: OnceLock<Result<Server, String>> = OnceLock::new();
    let found = SERVER.get_or_init(|| {
        let found = find();
        if let Err(why) = &found {
            if !required() {
                // Straight to the standard error: the test harness captures eprintln!,
                // and a skip must be seen.
                let _ = writeln!(std::io::stderr(), "skipped: PostgreSQL tests ({why})");
            }
        }
        found
    });
    match found {
        Ok(server) => Some(server),
        Err(why) if required() => panic!(
            "{REQUIRED_VARIABLE}=1 but there is no PostgreSQL server for the tests: {why}; \
             set {SERVER_VARIABLE} to a connection string or install PostgreSQL \
             (initdb and pg_ctl)"
        ),
        Err(_) => None,
    }
}

fn required() -> bool {
    std::env::var(REQUIRED_VARIABLE).is_ok_and(|v| v == "1")
}

/// The server named by the environment, else a throwaway one.
fn find() -> Result<Server, String> {
    match std::env::var(SERVER_VARIABLE) {
        Ok(conninfo) if !conninfo.is_empty() => Ok(Server { conninfo }),
        _ => {
            let bin =
                programs().ok_or_else(|| format!("no {SERVER_VARIABLE} and no initdb/pg_ctl"))?;
            start(bin, "")
        }
    }
}

/// A PostgreSQL program (`psql`, `pg_isready`, …): on PATH, else the highest version's
/// under /usr/lib/postgresql.
pub fn program(name: &str) -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .unwrap_or_default();
    on_path
        .into_iter()
        .chain(version_dirs())
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// How to run the server's programs: their paths, and the user to run them as (None: as
/// this process's user).
struct Programs {
    initdb: PathBuf,
    pg_ctl: PathBuf,
    user: Option<User>,
}

struct User {
    uid: u32,
    gid: u32,
}

/// `initdb` and `pg_ctl` from one place: PATH, else the highest version's directory.
fn programs() -> Option<Programs> {
    let both = |initdb: Option<PathBuf>, pg_ctl: Option<PathBuf>| {
        Some(Programs {
            initdb: initdb?,
            pg_ctl: pg_ctl?,
            user: None,
        })
    };
    let on_path = |name: &str| {
        let path = std::env::var_os("PATH")?;
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    };
    both(on_path("initdb"), on_path("pg_ctl")).or_else(|| {
        version_dirs().find_map(|dir| {
            let has = |name: &str| Some(dir.join(name)).filter(|p| p.is_file());
            both(has("initdb"), has("pg_ctl"))
        })
    })
}

/// /usr/lib/postgresql/*/bin, highest version first.
fn version_dirs() -> impl Iterator<Item = PathBuf> {
    let mut versions: Vec<(f64, PathBuf)> = std::fs::read_dir(VERSIONS_DIR)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse::<f64>().ok()?;
            Some((version, entry.path().join("bin")))
        })
        .collect();
    versions.sort_by(|a, b| b.0.total_cmp(&a.0));
    versions.into_iter().map(|(_, dir)| dir)
}

/// Creates a cluster in a new temporary directory and starts it, under a watchdog that
/// stops it and removes the directory when this process is gone.
fn start(mut programs: Programs, settings: &str) -> Result<Server, String> {
    let builder = tempfile::Builder::new().prefix("factstore-pg-").tempdir();
    let dir = match builder {
        Ok(dir) if dir.path().as_os_str().len() <= SOCKET_DIR_MAX => dir,
        // A long TMPDIR leaves no room for the socket's path.
        _ => tempfile::Builder::new()
            .prefix("factstore-pg-")
            .tempdir_in("/tmp")
            .map_err(|e| format!("cannot create a temporary directory: {e}"))?,
    }
    .keep();
    if is_root() {
        let user = server_user()?;
        std::os::unix::fs::chown(&dir, Some(user.uid), Some(user.gid))
            .map_err(|e| format!("cannot give {} to {SERVER_USER}: {e}", dir.display()))?;
        programs.user = Some(user);
    }
    watch(&programs, &dir)?;
    let data = dir.join("data");
    init(&programs, &data)?;
    configure(&data, &dir, settings)?;
    let log = dir.join("log");
    let started = programs
        .command(&programs.pg_ctl)
        .arg("-D")
        .arg(&data)
        .arg("-l")
        .arg(&log)
        .args(["-w", "-t", "60", "start"])
        .output()
        .map_err(|e| format!("cannot run {}: {e}", programs.pg_ctl.display()))?;
    if !started.status.success() {
        let log = std::fs::read_to_string(&log).unwrap_or_default();
        return Err(format!(
            "pg_ctl start failed: {}{}{log}",
            String::from_utf8_lossy(&started.stdout),
            String::from_utf8_lossy(&started.stderr)
        ));
    }
    Ok(Server {
        conninfo: format!(
            "host={} port={PORT} user=postgres dbname=postgres",
            dir.display()
        ),
    })
}

/// The connection string of a Citus coordinator to use as is (docs/SCALE.md).
const CITUS_VARIABLE: &str = "FACTSTORE_TEST_CITUS";

/// A PostgreSQL server with Citus for the tests of a distributed store: the coordinator
/// named by `FACTSTORE_TEST_CITUS` (with its workers added), else a throwaway server
/// started once per test process that loads Citus and holds its own shards, when Citus is
/// installed beside the PostgreSQL programs (`citus.so` in their library directory), else
/// why there is none. Citus is not packaged for Debian, so CI has none: the tests that
/// need it are ignored unless asked for (`cargo test -- --ignored`).
pub fn citus_server() -> Result<&'static Server, String> {
    static SERVER: OnceLock<Result<Server, String>> = OnceLock::new();
    SERVER
        .get_or_init(|| match std::env::var(CITUS_VARIABLE) {
            Ok(conninfo) if !conninfo.is_empty() => Ok(Server { conninfo }),
            _ => start_citus(),
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// A throwaway server that loads Citus, its coordinator holding the shards itself.
fn start_citus() -> Result<Server, String> {
    let programs = programs().ok_or_else(|| format!("no {CITUS_VARIABLE} and no initdb/pg_ctl"))?;
    // The programs may be links on PATH to the version's directory (…/15/bin), whose
    // extensions are in …/15/lib.
    let library = std::fs::canonicalize(&programs.pg_ctl)
        .ok()
        .as_deref()
        .and_then(Path::parent)
        .and_then(Path::parent)
        .map(|dir| dir.join("lib").join("citus.so"))
        .filter(|so| so.is_file())
        .ok_or_else(|| {
            format!(
                "no {CITUS_VARIABLE} and no citus.so beside {}",
                programs.pg_ctl.display()
            )
        })?;
    let server = start(programs, "shared_preload_libraries = 'citus'\n")?;
    let host = server
        .conninfo
        .split_whitespace()
        .find_map(|word| word.strip_prefix("host="))
        .unwrap_or_default()
        .replace('\'', "''");
    let psql = program("psql").ok_or("psql is not installed beside the server")?;
    let out = Command::new(psql)
        .arg(&server.conninfo)
        .args([
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-c",
            "CREATE EXTENSION citus",
            "-c",
        ])
        .arg(format!(
            "SELECT citus_set_coordinator_host('{host}', {PORT}); \
             SELECT citus_set_node_property('{host}', {PORT}, 'shouldhaveshards', true)"
        ))
        .output()
        .map_err(|e| format!("cannot run psql: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "Citus ({}) did not start: {}",
            library.display(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(server)
}

impl Programs {
    /// A command running `program` as the server's user.
    fn command(&self, program: &Path) -> Command {
        let mut command = if self.user.is_some() {
            let mut runuser = Command::new("runuser");
            runuser.args(["-u", SERVER_USER, "--"]).arg(program);
            runuser
        } else {
            Command::new(program)
        };
        // The server's user may not read the tests' directory: initdb would warn.
        command.stdin(Stdio::null()).current_dir("/");
        command
    }

    /// The same, as shell words for the watchdog.
    fn shell_words(&self, program: &Path) -> String {
        let program = quoted(&program.to_string_lossy());
        match self.user {
            Some(_) => format!("runuser -u {SERVER_USER} -- {program}"),
            None => program,
        }
    }
}

/// `initdb` trusting local connections (the socket's directory is private), in UTF-8 with
/// the C collation; C.UTF-8 where the system has it, else C.
fn init(programs: &Programs, data: &Path) -> Result<(), String> {
    let mut failures = String::new();
    for locale in ["C.UTF-8", "C"] {
        let out = programs
            .command(&programs.initdb)
            .arg("-D")
            .arg(data)
            .args(["-A", "trust", "-U", "postgres", "-E", "UTF8", "-N"])
            .arg(format!("--locale={locale}"))
            .output()
            .map_err(|e| format!("cannot run {}: {e}", programs.initdb.display()))?;
        if out.status.success() {
            return Ok(());
        }
        failures.push_str(&String::from_utf8_lossy(&out.stderr));
        // A failed initdb may leave part of the directory behind.
        let _ = std::fs::remove_dir_all(data);
    }
    Err(format!("initdb failed: {failures}"))
}

/// Settings for a server that only tests use: the socket in the private directory, no
/// TCP, no waiting for the disk.
fn configure(data: &Path, dir: &Path, more: &str) -> Result<(), String> {
    let settings = format!(
        "\n# factstore's test server\nlisten_addresses = ''\nunix_socket_directories = '{}'\n\
         port = {PORT}\nfsync = off\nfull_page_writes = off\nsynchronous_commit = off\n{more}",
        dir.display().to_string().replace('\'', "''")
    );
    std::fs::OpenOptions::new()
        .append(true)
        .open(data.join("postgresql.conf"))
        .and_then(|mut f| f.write_all(settings.as_bytes()))
        .map_err(|e| format!("cannot configure the test server: {e}"))
}

/// Starts the watchdog before the server, so that no moment has a server without it.
fn watch(programs: &Programs, dir: &Path) -> Result<(), String> {
    let dir_word = quoted(&dir.to_string_lossy());
    let script = format!(
        "while [ -d /proc/{pid} ]; do sleep 1; done\n\
         if [ -f {dir_word}/data/postmaster.pid ]; then \
         {pg_ctl} -D {dir_word}/data stop -m immediate >/dev/null 2>&1; fi\n\
         rm -rf {dir_word}\n",
        pid = std::process::id(),
        pg_ctl = programs.shell_words(&programs.pg_ctl),
    );
    Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .map(drop)
        .map_err(|e| format!("cannot start the watchdog shell: {e}"))
}

/// A word for `sh`, whatever it holds.
fn quoted(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}

/// Whether this process runs as root: /proc/self belongs to the process's user.
fn is_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// The uid and gid of the user the server runs as when the tests run as root.
fn server_user() -> Result<User, String> {
    let id = |flag: &str| -> Option<u32> {
        let out = Command::new("id").args([flag, SERVER_USER]).output().ok()?;
        if !out.status.success() {
            return None;
        }
        String::from_utf8_lossy(&out.stdout).trim().parse().ok()
    };
    match (id("-u"), id("-g")) {
        (Some(uid), Some(gid)) => Ok(User { uid, gid }),
        _ => Err(format!(
            "running as root, PostgreSQL needs another user and there is no `{SERVER_USER}`"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The harness itself: the server it gives answers through psql, in a schema of its
    /// own, and two schemas it names differ.
    #[test]
    fn the_throwaway_server_answers() {
        let Some(server) = server() else { return };
        let first = server.fresh_schema();
        let second = server.fresh_schema();
        assert_ne!(first, second);
        let psql = program("psql").expect("psql is installed beside the server");
        let out = Command::new(psql)
            .arg(server.conninfo())
            .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c"])
            .arg(format!(
                "CREATE SCHEMA {first}; SET search_path = {first}; \
                 CREATE TABLE t (n BIGINT); INSERT INTO t VALUES (41); \
                 SELECT n + 1 FROM t; DROP SCHEMA {first} CASCADE;"
            ))
            .output()
            .expect("psql runs");
        assert!(
            out.status.success(),
            "psql failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "42");
    }
}
