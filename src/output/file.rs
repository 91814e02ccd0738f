//! Files the user names for output (`export FILE`, the generator's `--out`): written
//! whole or not at all, and never onto the store being read.
//!
//! An [`OutputFile`] writes to a temporary file in the target's directory; only
//! [`OutputFile::commit`] (after every byte is written, flushed and synced) renames it
//! over the target, so a failure partway (a damaged store, a full disk, Ctrl-C) leaves an
//! existing file at the target (yesterday's backup) as it was. The rename is atomic on
//! one file system, which the same directory guarantees.
//!
//! A target that exists and is not a regular file (`/dev/stdout`, a named pipe) cannot be
//! replaced by a rename; it is written directly, as a shell redirection would.
//!
//! Before anything is created, the target is compared with the files it must never be:
//! the store and SQLite's companions of it (`-wal`, `-shm`, `-journal`). The comparison
//! is by identity (device and inode) where the file exists, so a hard link, a symbolic
//! link, `./facts.db` or an absolute path all count; a companion that does not exist yet
//! is compared by its directory's identity and its name.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// SQLite's companion files of a database, by the suffix of their names.
const COMPANIONS: [&str; 3] = ["-wal", "-shm", "-journal"];

/// Why an output file cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputFileError {
    /// The target is the store (or one of its companion files): writing it would destroy
    /// the data being read.
    #[error(
        "refusing to write to {}: it is {what}. Nothing was written; name another file, \
         e.g. `facts.jsonl`.",
        .target.display()
    )]
    OntoStore { target: PathBuf, what: String },
    /// The target is a directory.
    #[error("cannot write to {}: it is a directory. Name a file in it instead.", .target.display())]
    Directory { target: PathBuf },
    /// Creating, writing, syncing or renaming failed.
    #[error("{what} {}: {source}. {}", .target.display(), kept_message(*.existed))]
    Io {
        what: &'static str,
        target: PathBuf,
        existed: bool,
        #[source]
        source: io::Error,
    },
}

fn kept_message(existed: bool) -> &'static str {
    if existed {
        "The file that was there is unchanged"
    } else {
        "Nothing was written"
    }
}

impl OutputFileError {
    /// 2 when the user named a file that must not be written, 1 for I/O failures.
    pub fn exit_code(&self) -> i32 {
        match self {
            OutputFileError::OntoStore { .. } | OutputFileError::Directory { .. } => 2,
            OutputFileError::Io { .. } => 1,
        }
    }

    /// The underlying I/O error, if any (e.g. to tell a closed pipe).
    pub fn io_error(&self) -> Option<&io::Error> {
        match self {
            OutputFileError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// A file being written for the user; see the module documentation.
pub struct OutputFile {
    target: PathBuf,
    existed: bool,
    sink: Sink,
}

enum Sink {
    /// A temporary file beside the target, renamed over it on commit.
    Temp(tempfile::NamedTempFile),
    /// An existing device or pipe, written in place.
    Direct(File),
}

impl OutputFile {
    /// Prepares to write `target`, refusing it if it is `store` or one of the store's
    /// companion files. Nothing is visible at `target` until [`commit`](Self::commit).
    pub fn create(target: &Path, store: Option<&Path>) -> Result<OutputFile, OutputFileError> {
        if let Some(store) = store {
            if let Some(what) = same_as_store(target, store) {
                return Err(OutputFileError::OntoStore {
                    target: target.to_path_buf(),
                    what,
                });
            }
        }
        let io_error = |what, existed, source| OutputFileError::Io {
            what,
            target: target.to_path_buf(),
            existed,
            source,
        };
        let existing = match fs::metadata(target) {
            Ok(m) => Some(m),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(io_error("cannot look at", false, e)),
        };
        let existed = existing.is_some();
        if let Some(meta) = &existing {
            if meta.is_dir() {
                return Err(OutputFileError::Directory {
                    target: target.to_path_buf(),
                });
            }
            if !meta.is_file() {
                let file = fs::OpenOptions::new()
                    .write(true)
                    .open(target)
                    .map_err(|e| io_error("cannot open", true, e))?;
                return Ok(OutputFile {
                    target: target.to_path_buf(),
                    existed,
                    sink: Sink::Direct(file),
                });
            }
        }
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let name = target.file_name().unwrap_or(target.as_os_str());
        let mut prefix = std::ffi::OsString::from(".");
        prefix.push(name);
        prefix.push(".");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".partial");
        if let Some(permissions) = new_file_permissions(existing.as_ref()) {
            builder.permissions(permissions);
        }
        let temp = builder
            .tempfile_in(dir)
            .map_err(|e| io_error("cannot create a temporary file beside", existed, e))?;
        if let Some(meta) = &existing {
            // The replacement keeps the permissions of the file it replaces.
            fs::set_permissions(temp.path(), meta.permissions())
                .map_err(|e| io_error("cannot set the permissions of", existed, e))?;
        }
        Ok(OutputFile {
            target: target.to_path_buf(),
            existed,
            sink: Sink::Temp(temp),
        })
    }

    /// The file the user named.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Makes the written bytes the target's content: flushes and syncs the temporary
    /// file, renames it over the target and syncs the directory. Dropping an
    /// `OutputFile` without committing it removes the temporary file and leaves the
    /// target as it was.
    pub fn commit(self) -> Result<(), OutputFileError> {
        let OutputFile {
            target,
            existed,
            sink,
        } = self;
        let io_error = |what, source| OutputFileError::Io {
            what,
            target: target.clone(),
            existed,
            source,
        };
        match sink {
            Sink::Direct(mut file) => file.flush().map_err(|e| io_error("cannot write", e)),
            Sink::Temp(mut temp) => {
                temp.flush().map_err(|e| io_error("cannot write", e))?;
                temp.as_file()
                    .sync_all()
                    .map_err(|e| io_error("cannot write", e))?;
                temp.persist(&target)
                    .map_err(|e| io_error("cannot move the finished file to", e.error))?;
                sync_directory(&target);
                Ok(())
            }
        }
    }

    /// Wraps an error met while writing the content, saying the target is unchanged.
    pub fn write_error(&self, source: io::Error) -> OutputFileError {
        OutputFileError::Io {
            what: "cannot write",
            target: self.target.clone(),
            existed: self.existed,
            source,
        }
    }
}

impl Write for OutputFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.sink {
            Sink::Temp(t) => t.as_file_mut().write(buf),
            Sink::Direct(f) => f.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match &mut self.sink {
            Sink::Temp(t) => t.as_file_mut().write_all(buf),
            Sink::Direct(f) => f.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.sink {
            Sink::Temp(t) => t.as_file_mut().flush(),
            Sink::Direct(f) => f.flush(),
        }
    }
}

/// The permissions a new file is created with: the replaced file's, or (on Unix) read
/// and write for everyone less the umask, which is what `File::create` gives, rather than
/// the temporary file's private default.
fn new_file_permissions(existing: Option<&fs::Metadata>) -> Option<fs::Permissions> {
    if let Some(meta) = existing {
        return Some(meta.permissions());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        Some(fs::Permissions::from_mode(0o666))
    }
    #[cfg(not(unix))]
    None
}

/// Makes the rename durable: a crash after `commit` keeps the new file, not the old.
/// Best effort: some file systems cannot sync a directory, and the data itself is synced.
fn sync_directory(target: &Path) {
    #[cfg(unix)]
    if let Some(dir) = target.parent() {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
    }
    #[cfg(not(unix))]
    let _ = target;
}

/// What `target` is of the store, if it is the store or one of its companion files.
fn same_as_store(target: &Path, store: &Path) -> Option<String> {
    let store_name = store.file_name()?;
    if same_file(target, store) {
        return Some(format!("the store itself ({})", store.display()));
    }
    let target_name = target.file_name()?;
    let same_dir = same_file(&directory_of(target), &directory_of(store));
    for suffix in COMPANIONS {
        let mut companion_name = store_name.to_os_string();
        companion_name.push(suffix);
        let companion = store.with_file_name(&companion_name);
        if same_file(target, &companion) || (same_dir && target_name == companion_name) {
            return Some(format!(
                "SQLite's {suffix} file of the store {}",
                store.display()
            ));
        }
    }
    None
}

fn directory_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// True when both paths exist and name the same file (through links too).
fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (fs::metadata(a), fs::metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        ma.dev() == mb.dev() && ma.ino() == mb.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (ma, mb);
        matches!((fs::canonicalize(a), fs::canonicalize(b)), (Ok(x), Ok(y)) if x == y)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_all(target: &Path, store: Option<&Path>, text: &str) -> Result<(), OutputFileError> {
        let mut out = OutputFile::create(target, store)?;
        out.write_all(text.as_bytes()).unwrap();
        out.commit()
    }

    #[test]
    fn commit_replaces_the_file_and_keeps_its_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.jsonl");
        fs::write(&target, "old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&target, fs::Permissions::from_mode(0o640)).unwrap();
        }
        write_all(&target, None, "new").unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&target).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o640);
        }
        // Only the target is left: no temporary file.
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn dropping_without_commit_leaves_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("backup.jsonl");
        fs::write(&target, "yesterday").unwrap();
        {
            let mut out = OutputFile::create(&target, None).unwrap();
            out.write_all(b"half of tod").unwrap();
        }
        assert_eq!(fs::read_to_string(&target).unwrap(), "yesterday");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn the_store_and_its_companions_are_refused_by_identity() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("facts.db");
        fs::write(&store, "store bytes").unwrap();
        let dotted = dir.path().join(".").join("facts.db");
        let mut refused = vec![store.clone(), dotted, dir.path().join("facts.db-wal")];
        #[cfg(unix)]
        {
            let link = dir.path().join("link.db");
            std::os::unix::fs::symlink(&store, &link).unwrap();
            let hard = dir.path().join("hard.db");
            fs::hard_link(&store, &hard).unwrap();
            refused.extend([link, hard]);
        }
        for target in &refused {
            let err = write_all(target, Some(&store), "x").unwrap_err();
            assert!(
                matches!(err, OutputFileError::OntoStore { .. }),
                "{target:?}: {err}"
            );
            assert_eq!(err.exit_code(), 2);
        }
        assert_eq!(fs::read_to_string(&store).unwrap(), "store bytes");
        // Another name in the same directory is fine.
        write_all(&dir.path().join("facts.jsonl"), Some(&store), "x").unwrap();
    }

    #[test]
    fn a_directory_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let err = write_all(dir.path(), None, "x").unwrap_err();
        assert!(matches!(err, OutputFileError::Directory { .. }), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_written_in_place() {
        write_all(Path::new("/dev/null"), None, "x").unwrap();
        use std::os::unix::fs::FileTypeExt;
        assert!(fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device());
    }
}
