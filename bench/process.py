#!/usr/bin/env python3
"""Whole-process timings of factstore on a generated store.

Usage: bench/process.py STORE MANIFEST [FACTSTORE]

STORE is a store built from `factstore-gen` data (e.g. by `cargo bench --bench suite`,
which keeps it under target/tmp/bench-data/), MANIFEST the manifest `factstore-gen`
wrote with it, FACTSTORE the binary (default target/release/factstore). Each figure is
the median of several runs of a whole process, from start to its last byte, timed with
time.perf_counter around subprocess.run:

- query q1 (one entity's outgoing relations in a year) as JSON Lines;
- the REPL reading an empty stdin (open the store, be ready, exit);
- `path` between the two biggest hubs.
"""

import json
import os
import statistics
import subprocess
import sys
import time

RUNS = 15


def median_ms(argv, stdin=b""):
    """Median wall time of running argv to completion, in milliseconds, and its output."""
    times = []
    out = b""
    for _ in range(RUNS):
        start = time.perf_counter()
        done = subprocess.run(argv, input=stdin, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, check=False)
        times.append((time.perf_counter() - start) * 1000)
        if done.returncode != 0:
            sys.exit(f"{' '.join(argv)} failed ({done.returncode}): "
                     f"{done.stderr.decode('utf-8', 'replace')}")
        out = done.stdout
    return statistics.median(times), out


def main():
    if len(sys.argv) not in (3, 4):
        print(__doc__, file=sys.stderr)
        return 2
    store, manifest_path = sys.argv[1], sys.argv[2]
    binary = sys.argv[3] if len(sys.argv) == 4 else os.path.join("target", "release", "factstore")
    with open(manifest_path, encoding="utf-8") as f:
        manifest = json.load(f)
    mid = manifest["mid"]["id"]
    hub0, hub1 = manifest["hubs"][0]["id"], manifest["hubs"][1]["id"]
    year = manifest["year"]["year"]
    base = [binary, "--db", store]

    rows = []
    q1 = f"{mid} ?r ?o in {year}"
    ms, out = median_ms(base + ["query", "--format", "jsonl", q1])
    rows.append((f"query `{q1}` (jsonl)", ms, len(out.splitlines())))
    ms, _ = median_ms(base + ["repl"])
    rows.append(("REPL ready (empty stdin)", ms, 0))
    path = f"path {hub0} to {hub1}"
    ms, out = median_ms(base + ["query", "--format", "jsonl", path])
    rows.append((f"`{path}`", ms, len(out.splitlines())))

    print(f"{'what':<52} {'ms':>9} {'rows':>6}")
    for what, ms, n in rows:
        print(f"{what:<52} {ms:>9.1f} {n:>6}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
