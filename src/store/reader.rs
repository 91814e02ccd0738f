//! How a reading command reaches the store file without leaving anything behind: on
//! read-only media, in a directory the user cannot write, and beside other users' files.
//!
//! A store written by factstore is in WAL mode. SQLite's read-only connections to a WAL
//! file create `-wal` and `-shm` files beside it (refused in a directory the user cannot
//! write: "attempt to write a readonly database", for a read), and never remove them:
//! they cannot checkpoint, and files owned by a reader may then keep the owner's writer
//! out. So a reader connects in one of three ways:
//!
//! - it may write the file and its directory: a read-write connection made read-only by
//!   `PRAGMA query_only`; as the last connection it checkpoints and removes the `-wal`
//!   and `-shm` files on closing, as a writer does;
//! - it may not, and the store is in WAL mode with no `-wal` file: SQLite's `immutable`
//!   open, which reads the file alone and creates nothing. Nobody who cannot write here
//!   can be writing (a writer would have a `-wal` file beside the store);
//! - otherwise (a store in rollback mode, or a `-wal` file already there): SQLite's plain
//!   read-only open, which uses the files that are there and creates none.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

/// Opens `path` (an existing file) for reading; see the module's documentation.
pub(super) fn open(path: &Path) -> rusqlite::Result<Connection> {
    let base = OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if writable(path) && writable(&directory(path)) {
        let conn = Connection::open_with_flags(path, base | OpenFlags::SQLITE_OPEN_READ_WRITE)?;
        conn.pragma_update(None, "query_only", true)?;
        return Ok(conn);
    }
    let read_only = base | OpenFlags::SQLITE_OPEN_READ_ONLY;
    if is_wal(path) && !sidecar(path, "-wal").exists() {
        return Connection::open_with_flags(
            immutable_uri(path),
            read_only | OpenFlags::SQLITE_OPEN_URI,
        );
    }
    Connection::open_with_flags(path, read_only)
}

/// The directory that holds `path` (`.` for a bare file name).
fn directory(path: &Path) -> PathBuf {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// May this process write `path`?
#[cfg(unix)]
fn writable(path: &Path) -> bool {
    rustix::fs::access(path, rustix::fs::Access::WRITE_OK).is_ok()
}

/// May this process write `path`? (Without `access`, the read-only attribute says.)
#[cfg(not(unix))]
fn writable(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.permissions().readonly())
}

/// `PATH-wal`, `PATH-shm`: the files SQLite keeps beside a store.
fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Is the file a SQLite database in WAL mode? (Bytes 18 and 19 of the header, the
/// versions to read and write with, are 2 in WAL mode and 1 in rollback mode.)
fn is_wal(path: &Path) -> bool {
    use std::io::Read;
    let mut header = [0u8; 20];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut header))
        .is_ok_and(|()| header[18] == 2)
}

/// The URI of an immutable read-only open of `path`: `file:` and the path with every
/// byte but unreserved ones and `/` escaped as `%HH` (a `?` or `#` in a file name would
/// otherwise end the path).
fn immutable_uri(path: &Path) -> String {
    let mut uri = String::from("file:");
    for &b in path_bytes(path).iter() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            uri.push(char::from(b));
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri.push_str("?mode=ro&immutable=1");
    uri
}

#[cfg(unix)]
fn path_bytes(path: &Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    path.as_os_str().as_bytes().to_vec()
}

#[cfg(not(unix))]
fn path_bytes(path: &Path) -> Vec<u8> {
    path.to_string_lossy().into_owned().into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_escape_what_would_end_the_path() {
        assert_eq!(
            immutable_uri(Path::new("/tmp/a b/f?#%.db")),
            "file:/tmp/a%20b/f%3F%23%25.db?mode=ro&immutable=1"
        );
        assert_eq!(
            immutable_uri(Path::new("بيز.db")),
            "file:%D8%A8%D9%8A%D8%B2.db?mode=ro&immutable=1"
        );
    }

    #[test]
    fn an_immutable_open_reads_a_wal_store_and_creates_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f?#.db");
        {
            let conn = Connection::open(&path).unwrap();
            conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
                .unwrap();
            conn.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (7);")
                .unwrap();
        }
        assert!(is_wal(&path));
        assert!(!sidecar(&path, "-wal").exists());
        let conn = Connection::open_with_flags(
            immutable_uri(&path),
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI,
        )
        .unwrap();
        let x: i64 = conn.query_row("SELECT x FROM t", [], |r| r.get(0)).unwrap();
        assert_eq!(x, 7);
        drop(conn);
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[test]
    fn a_writable_reader_removes_the_files_it_made() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("facts.db");
        {
            let conn = Connection::open(&path).unwrap();
            conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
                .unwrap();
            conn.execute_batch("CREATE TABLE t(x);").unwrap();
        }
        let conn = open(&path).unwrap();
        assert!(conn.execute("INSERT INTO t VALUES (1)", []).is_err());
        let n: i64 = conn
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0);
        drop(conn);
        assert!(!sidecar(&path, "-wal").exists());
        assert!(!sidecar(&path, "-shm").exists());
    }
}
