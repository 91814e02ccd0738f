#!/usr/bin/env python3
"""The suite on PostgreSQL beside SQLite, in one run (issue 18's benchmarks).

Usage: bench/server.py BINARY DATA.jsonl MANIFEST CONNINFO [RUNS] [CLIENTS] [SECONDS]
       bench/server.py BINARY SQLITE_STORE MANIFEST CONNINFO ...   (no import: a store and
       the schema `factstore` of CONNINFO already hold the data)

BINARY is a release build of factstore, DATA.jsonl and MANIFEST what `factstore-gen`
wrote (1M relations for the figures of BENCHMARKS.md), CONNINFO a PostgreSQL database
the script may create schemas in (libpq keyword/value form, e.g.
`host=/run/postgresql user=postgres dbname=postgres`). It prints:

1. the import of DATA as a whole process, SQLite (a new file) and PostgreSQL (a new
   schema, COPY), alternately twice each, and the ratio PostgreSQL/SQLite;
2. the suite's queries q1-q7 (bench/versus.py) as whole processes, SQLite and
   PostgreSQL in turn RUNS times each (default 15), rows checked equal, medians and the
   median of the per-pair ratios PostgreSQL/SQLite;
3. CLIENTS (default 8) processes at once looping over q1-q7 on PostgreSQL for SECONDS
   (default 30): queries done, errors, queries per second.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from versus import run_once, same_rows, suite_queries  # noqa: E402


def timed(argv):
    start = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    took = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed ({done.returncode}): "
                 f"{done.stderr.decode('utf-8', 'replace')}")
    return took


def psql(conninfo, sql):
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", conninfo, "-c", sql], check=True,
                   stdout=subprocess.DEVNULL)


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    binary, data, manifest, conninfo = sys.argv[1:5]
    runs = int(sys.argv[5]) if len(sys.argv) > 5 else 15
    clients = int(sys.argv[6]) if len(sys.argv) > 6 else 8
    seconds = float(sys.argv[7]) if len(sys.argv) > 7 else 30
    if not data.endswith(".jsonl"):
        sqlite = data
    else:
        sqlite = import_both(binary, data, conninfo)
    queries_and_clients(binary, sqlite, manifest, conninfo, runs, clients, seconds)


def import_both(binary, data, conninfo):
    """Imports DATA into a new SQLite store and a new schema, alternately twice each."""
    tmp = tempfile.mkdtemp(prefix="factstore-server-bench-")
    sqlite = os.path.join(tmp, "s.db")
    print("import (whole process, s)")
    imports = {"sqlite": [], "postgres": []}
    for i in range(2):
        if os.path.exists(sqlite):
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(sqlite + suffix):
                    os.remove(sqlite + suffix)
        imports["sqlite"].append(timed([binary, "--db", sqlite, "import", data]))
        psql(conninfo, "DROP SCHEMA IF EXISTS factstore CASCADE")
        imports["postgres"].append(
            timed([binary, "--db", conninfo, "--schema", "factstore", "import", data]))
        print(f"  run {i + 1}: sqlite {imports['sqlite'][-1]:.1f}  "
              f"postgres {imports['postgres'][-1]:.1f}")
    s, p = min(imports["sqlite"]), min(imports["postgres"])
    print(f"  best: sqlite {s:.1f}  postgres {p:.1f}  postgres/sqlite {p / s:.2f}")
    psql(conninfo, "ANALYZE")
    return sqlite


def queries_and_clients(binary, sqlite, manifest, conninfo, runs, clients, seconds):
    """The suite's queries side by side, then CLIENTS processes at once."""
    print(f"\nqueries (whole process, ms, median of {runs}; ratio postgres/sqlite)")
    queries = suite_queries(manifest)
    for name, text in queries:
        ts, tp, ratios = [], [], []
        out_s = out_p = b""
        for _ in range(runs):
            a, out_s = run_once(binary, sqlite, text)
            b, out_p = run_once(binary, conninfo, text)
            ts.append(a)
            tp.append(b)
            ratios.append(b / a)
        if not same_rows(out_s, out_p):
            sys.exit(f"{name}: SQLite and PostgreSQL give different rows for {text!r}")
        print(f"  {name:4} sqlite {statistics.median(ts):8.2f}  postgres "
              f"{statistics.median(tp):8.2f}  ratio {statistics.median(ratios):5.2f}  "
              f"rows {len(out_s.splitlines())}")

    print(f"\n{clients} clients at once on PostgreSQL for {seconds:.0f} s (q1-q7 in turn)")
    done = [0] * clients
    errors = [0] * clients
    stop = time.perf_counter() + seconds

    def client(k):
        i = k
        while time.perf_counter() < stop:
            _, text = queries[i % len(queries)]
            argv = [binary, "--db", conninfo, "query", "--format", "jsonl", text]
            r = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               check=False)
            if r.returncode == 0:
                done[k] += 1
            else:
                errors[k] += 1
            i += 1

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.perf_counter() - start
    print(f"  queries {sum(done)}, errors {sum(errors)}, {sum(done) / took:.1f} queries/s")


if __name__ == "__main__":
    main()
