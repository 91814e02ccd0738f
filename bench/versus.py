#!/usr/bin/env python3
"""Two factstore binaries side by side on one store: the suite's queries as whole processes.

Usage: bench/versus.py STORE MANIFEST BINARY_A BINARY_B [RUNS]

STORE is a store built from `factstore-gen` data, MANIFEST the manifest the generator
wrote with it, BINARY_A and BINARY_B two builds of factstore (e.g. the release binary of
an earlier commit and of this one) that can both read STORE. When the two builds need
stores of their own (a newer build upgrades an older store's schema when it opens it, an
older one refuses a newer schema), STORE is two paths joined by a comma, `A_STORE,B_STORE`,
each imported from the same data by its own build. For each of the suite's
queries q1-q7 (see benches/suite.rs), written with the manifest's ids, the two binaries run
in turn, A B A B ..., RUNS times each (default 21), each run a whole process from start to
its last byte of JSON Lines output; the script checks that both print the same rows and
reports each binary's median wall time and the median of the per-pair ratios A/B, so a
drift of the machine's speed during the run affects both sides alike.
"""

import json
import statistics
import subprocess
import sys
import time


def run_once(binary, store, text):
    """Wall time of one whole process in milliseconds, and its stdout."""
    argv = [binary, "--db", store, "query", "--format", "jsonl", text]
    start = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    took = (time.perf_counter() - start) * 1000
    if done.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed ({done.returncode}): "
                 f"{done.stderr.decode('utf-8', 'replace')}")
    return took, done.stdout


def suite_queries(manifest_path):
    """The suite's queries q1-q7 (benches/suite.rs), written with the manifest's ids."""
    with open(manifest_path, encoding="utf-8") as f:
        manifest = json.load(f)
    mid = manifest["mid"]["id"]
    hub0, hub1 = manifest["hubs"][0]["id"], manifest["hubs"][1]["id"]
    pred = manifest["predicate"]["id"]
    year = manifest["year"]["year"]
    return [
        ("q1", f"{mid} ?r ?o in {year}"),
        ("q2", f"?a {pred} ?b in {year} | count"),
        ("q3", f"{mid} ?r1 ?x @a, ?x ?r2 ?y certainly after @a"),
        ("q4", f"{hub0} -- {hub1}"),
        ("q5", f"{hub0} ?r ?x certainly as of {year}-06-30"),
        ("q6", f"?a ?r ?b in {year} | count by ?r"),
        ("q7", f"path {mid} to {hub1} max 4"),
    ]


def same_rows(out_a, out_b):
    """Whether both print the same rows, compared on the columns both print (a newer
    build may print more, e.g. relation ids)."""
    rows_a = [json.loads(line) for line in out_a.decode("utf-8").splitlines()]
    rows_b = [json.loads(line) for line in out_b.decode("utf-8").splitlines()]
    if len(rows_a) != len(rows_b):
        return False
    if not rows_a:
        return True
    common = set(rows_a[0]) & set(rows_b[0])

    def projected(rows):
        return sorted(json.dumps({k: r.get(k) for k in common}, sort_keys=True) for r in rows)

    return projected(rows_a) == projected(rows_b)


def main():
    if len(sys.argv) not in (5, 6):
        sys.exit(__doc__)
    stores, manifest_path, a, b = sys.argv[1:5]
    store_a, _, store_b = stores.partition(",")
    store_b = store_b or store_a
    runs = int(sys.argv[5]) if len(sys.argv) == 6 else 21
    queries = suite_queries(manifest_path)
    print(f"{'query':6} {'A ms':>9} {'B ms':>9} {'A/B':>7}  rows")
    for name, text in queries:
        times_a, times_b, ratios = [], [], []
        rows_a = rows_b = None
        for _ in range(runs):
            ta, out_a = run_once(a, store_a, text)
            tb, out_b = run_once(b, store_b, text)
            times_a.append(ta)
            times_b.append(tb)
            ratios.append(ta / tb)
            rows_a, rows_b = out_a, out_b
        if not same_rows(rows_a, rows_b):
            sys.exit(f"{name}: the two binaries print different rows for {text!r}")
        print(f"{name:6} {statistics.median(times_a):9.2f} {statistics.median(times_b):9.2f} "
              f"{statistics.median(ratios):7.3f}  {len(rows_a.splitlines())}")


if __name__ == "__main__":
    main()
