#!/usr/bin/env python3
"""Which b-trees the commits of piped statements write (BENCHMARKS.md, "Writes and
history"): copies STORE, holds a read transaction open on the copy so that no checkpoint
empties the write-ahead log, pipes the first N lines of STATEMENTS into `FACTSTORE --db
COPY repl`, then maps each frame of the log to the table or index its page belongs to
(SQLite's `dbstat`) and prints frames per commit for each.

    wal_pages.py FACTSTORE STORE STATEMENTS N [COPY]

The copy (default ./wal-pages.db) and its log are left behind for a closer look; the log
holds every frame of the N commits (about 0.8 MB per add into a freshly imported 1M store).
"""
import collections
import os
import shutil
import sqlite3
import struct
import subprocess
import sys


def frames(wal):
    """The page number of each frame of a write-ahead log, and how many commits it has."""
    page_size = struct.unpack(">I", wal[8:12])[0]
    pages, commits, off = [], 0, 32
    while off + 24 + page_size <= len(wal):
        page, commit = struct.unpack(">II", wal[off : off + 8])
        pages.append(page)
        commits += commit != 0
        off += 24 + page_size
    return pages, commits


def main():
    factstore, store, statements, n = sys.argv[1:5]
    copy = sys.argv[5] if len(sys.argv) > 5 else "wal-pages.db"
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(copy + suffix):
            os.remove(copy + suffix)
    shutil.copy(store, copy)
    with open(statements) as f:
        lines = f.read().splitlines()[: int(n)]
    reader = sqlite3.connect(copy, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM sqlite_schema").fetchall()
    run = subprocess.run(
        [factstore, "--db", copy, "repl"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
    )
    with open(copy + "-wal", "rb") as f:
        pages, commits = frames(f.read())
    reader.execute("COMMIT")
    reader.close()
    owner = dict(
        (page, name)
        for name, page in sqlite3.connect(copy).execute("SELECT name, pageno FROM dbstat")
    )
    commits = max(commits, 1)
    print(f"exit {run.returncode}; {len(pages)} frames, {commits} commits, "
          f"{len(pages) / commits:.1f} frames a commit, {len(set(pages))} distinct pages")
    for name, k in collections.Counter(owner.get(p, "?") for p in pages).most_common():
        print(f"{k / commits:7.2f} {name}")


if __name__ == "__main__":
    main()
