//! A full disk: each test mounts a small tmpfs (root only; CI runs as root) and fills it.
//! These are regression tests, named after the bug each pins.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{on, seed_store};

/// A small file system of `bytes`, mounted for the test and unmounted after.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(bytes: u64) -> SmallDisk {
        let dir = tempfile::tempdir().unwrap();
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={bytes}"), "tmpfs"])
            .arg(dir.path())
            .status()
            .expect("mount runs");
        assert!(status.success(), "mounting a tmpfs needs root");
        SmallDisk { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Fills the disk: what is left is less than one page.
    fn fill(&self) {
        let mut filler = fs::File::create(self.path("filler")).unwrap();
        let block = vec![0u8; 4096];
        while std::io::Write::write_all(&mut filler, &block).is_ok() {}
        let _ = filler.sync_all();
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

fn copy_store(from: &Path, to: &Path) {
    fs::copy(from, to).unwrap();
}

/// A full disk at open said "check the path and the file's permissions".
#[test]
fn full_disk_at_open_said_check_the_permissions() {
    let seed = seed_store();
    let disk = SmallDisk::mount(4 << 20);
    let db = disk.path("facts.db");
    copy_store(&seed.db, &db);
    disk.fill();
    let out = on(&db, &["query", "?who visited Baku"]);
    assert_eq!(out.status, 1, "{out:?}");
    assert!(
        out.stderr.contains("disk that holds it is full"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("permissions"), "{}", out.stderr);
}

/// A full disk while an import rebuilt its indexes said "cannot rebuild the indexes after
/// the import" and not that nothing was imported.
#[test]
fn disk_full_import_did_not_say_nothing_was_imported() {
    let seed = seed_store();
    let disk = SmallDisk::mount(3 << 20);
    let db = disk.path("facts.db");
    copy_store(&seed.db, &db);
    let before = crate::support::export(&db);
    let data = crate::support::generated_jsonl(2_000, 30_000, "full");
    let mut all = vec!["--db", db.to_str().unwrap()];
    all.extend(["import", "-"]);
    let out = crate::support::factstore_with_stdin(&all, &data);
    assert_eq!(out.status, 1, "the disk must fill up: {out:?}");
    assert!(
        out.stderr.contains("Nothing from <stdin> was imported"),
        "{}",
        out.stderr
    );
    assert_eq!(crate::support::export(&db), before);
}
