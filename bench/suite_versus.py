#!/usr/bin/env python3
"""The query suite in process, two sides in turn: builds, stores or statements side by side.

Usage: bench/suite_versus.py MANIFEST --a PROGRAM STORE [--a-suffix TEXT]
                                      --b PROGRAM STORE [--b-suffix TEXT]
                                      [--rounds N] [--repeats N]

PROGRAM is a release build of `examples/suite_queries.rs` (built in each checkout with
`cargo build --release --example suite_queries`, so each side links its own commit's
library); STORE a store imported from `factstore-gen` data by that build; MANIFEST the
generator's manifest. A suffix is appended to q1-q7 on its side, e.g. `--a-suffix 'as
recorded at change 1'` with the same program and store on both sides compares questions
about the past with their current-time twins.

The two sides run in turn, A B A B ..., ROUNDS processes each (default 7); each process
runs every query REPEATS times (default 15), the queries taking turns, and prints each
query's median. The script reports, per query, the median over rounds of each side's
median, and the median and minimum of the per-round ratios A/B: pairing the rounds keeps
the ratio meaningful when the machine's speed drifts. Row counts must agree, unless
`--rows-may-differ` (a question about a past the store has changed since).
"""

import argparse
import json
import statistics
import subprocess
import sys


def run(program, store, manifest, repeats, suffix):
    argv = [program, store, manifest, str(repeats)] + ([suffix] if suffix else [])
    done = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    if done.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed ({done.returncode}): "
                 f"{done.stderr.decode('utf-8', 'replace')}")
    return json.loads(done.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("manifest")
    parser.add_argument("--a", nargs=2, metavar=("PROGRAM", "STORE"), required=True)
    parser.add_argument("--b", nargs=2, metavar=("PROGRAM", "STORE"), required=True)
    parser.add_argument("--a-suffix", default="")
    parser.add_argument("--b-suffix", default="")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--rows-may-differ", action="store_true")
    args = parser.parse_args()

    rounds_a, rounds_b = [], []
    for _ in range(args.rounds):
        rounds_a.append(run(*args.a, args.manifest, args.repeats, args.a_suffix))
        rounds_b.append(run(*args.b, args.manifest, args.repeats, args.b_suffix))

    print(f"{'query':6} {'A us':>11} {'B us':>11} {'A/B med':>8} {'A/B min':>8}  rows A, B")
    for name in rounds_a[0]:
        rows_a, rows_b = rounds_a[0][name]["rows"], rounds_b[0][name]["rows"]
        if rows_a != rows_b and not args.rows_may_differ:
            sys.exit(f"{name}: A gives {rows_a} rows, B {rows_b}")
        a = [r[name]["us"] for r in rounds_a]
        b = [r[name]["us"] for r in rounds_b]
        ratios = [x / y for x, y in zip(a, b)]
        print(f"{name:6} {statistics.median(a):11.1f} {statistics.median(b):11.1f} "
              f"{statistics.median(ratios):8.3f} {min(ratios):8.3f}  {rows_a}, {rows_b}")


if __name__ == "__main__":
    main()
