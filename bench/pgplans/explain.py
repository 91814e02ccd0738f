#!/usr/bin/env python3
"""The PostgreSQL plans behind docs/SCALE.md. For each bench query, `factstore explain` on
a SQLite store gives the compiled SQL and its parameters; PostgreSQL runs that SQL as a
prepared statement ($N for ?N) under EXPLAIN ANALYZE, on a copy of the same store
(copy_store.py). The statements the store writes by hand (path layers, name lookup,
writes) are listed below as the store's source has them.

usage: explain.py FACTSTORE STORE.db 'psql -h HOST -p PORT -U USER -d DB' [LABEL...]

The labels q1_copy and q3_copy (only when named) need docs/citus_prepare.sql applied to
the PostgreSQL copy: they read relation_by_object where docs/SCALE.md's copy-aware
compilation would.
"""
import json
import re
import shlex
import subprocess
import sys

FS, DB, PSQL = None, None, None

QUERIES = [
    ("q1", "e0009199 ?r ?o in 2025"),
    ("q2", "?a p000 ?b in 2025 | count"),
    ("q3", "e0009199 ?r1 ?x @a, ?x ?r2 ?y certainly after @a"),
    ("q4", "e0005665 -- e0007457"),
    ("q5", "e0005665 ?r ?x certainly as of 2025-06-30"),
    ("q6", "?a ?r ?b in 2025 | count by ?r"),
    ("incoming", "?x p000 e0005665"),
    ("join_obj", "?x p000 e0005665, ?x ?r ?y in 2025"),
    ("rec_one", "e0005665 ?r ?x as recorded at change 1000"),
    ("rec_count", "?a p000 ?b in 2025 as recorded at change 1000 | count"),
]

# Statements the store writes by hand (not compiled from the language), with parameters.
HAND = [
    ("q7_layer",
     "SELECT key, subject, predicate, object FROM relation WHERE subject = ANY($1) "
     "AND ($2 = 0 OR status = ANY($3)) AND ($4 = 0 OR predicate = ANY($5)) UNION ALL "
     "SELECT key, subject, predicate, object FROM relation WHERE object = ANY($1) "
     "AND ($2 = 0 OR status = ANY($3)) AND ($4 = 0 OR predicate = ANY($5)) AND $6 = $6",
     ["ARRAY[9200,5666,7458]::bigint[]", "1", "ARRAY['occurred','alleged']", "0",
      "ARRAY[]::bigint[]", "0"]),
    ("q8a", "SELECT DISTINCT e.key, e.id, e.name, e.kind FROM alias a JOIN entity e "
     "ON e.key = a.entity WHERE a.norm = $1", ["'naanmi front'"]),
    ("w_dup", "SELECT key FROM relation WHERE fingerprint IN ($1, $2) AND key IS DISTINCT FROM $3 "
     "ORDER BY key LIMIT 1", ["'\\x00'::bytea", "'\\x01'::bytea", "NULL::bigint"]),
    ("w_by_key", "UPDATE relation SET fingerprint = $2 WHERE key = $1", ["4242", "'\\x02'::bytea"]),
    ("w_delete", "DELETE FROM relation WHERE key = $1", ["4242"]),
]


# Copy-aware shapes (docs/SCALE.md): (label, query, the branches, counted from 1, whose
# `FROM "relation" AS "r0"` reads relation_by_object instead).
COPY_AWARE = [
    ("q1_copy", "e0009199 ?r ?o in 2025", {2}),
]

# q3's first branch with r0 from the copy: a join co-located on ?x (r0.object = r1.subject).
Q3_COPY = (
    "SELECT r1.key FROM relation_by_object r0, relation r1 "
    "WHERE r0.subject = $1 AND r0.status IN ('occurred', 'alleged') "
    "AND r1.subject = r0.object AND r1.status IN ('occurred', 'alleged') "
    "AND r1.start_lo > r0.end_hi"
)


def read_from_copy(sql, branches):
    """`sql` with the relation of the given branches read from relation_by_object."""
    parts = sql.split('FROM "relation" AS "r0"')
    out = parts[0]
    for n, part in enumerate(parts[1:], 1):
        table = "relation_by_object" if n in branches else "relation"
        out += f'FROM "{table}" AS "r0"' + part
    return out


def alias_subqueries(sql):
    """PostgreSQL 15 wants an alias on every subquery in FROM (16 does not): the compiled
    SQL leaves the outer ones unnamed, so each `FROM (` ... `)` without AS gets one."""
    out, i, n = [], 0, 0
    while True:
        j = sql.find("FROM (", i)
        if j < 0:
            out.append(sql[i:])
            return "".join(out)
        depth, k = 0, j + 5
        in_str = None
        while True:
            c = sql[k]
            if in_str:
                if c == in_str:
                    in_str = None
            elif c in "'\"":
                in_str = c
            elif c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
                if depth == 0:
                    break
            k += 1
        inner = alias_subqueries(sql[j + 6:k])
        out.append(sql[i:j + 6] + inner + ")")
        if not sql[k + 1:].lstrip().upper().startswith("AS "):
            n += 1
            out.append(f' AS "pg15_{n}_{k}"')
        i = k + 1


def explain_of(query):
    out = subprocess.run([FS, "--db", DB, "explain", query], capture_output=True, text=True,
                         check=True).stdout
    sql, _, params = out.partition("\n-- parameters\n")
    values = {}
    for line in params.splitlines():
        m = re.match(r"\?(\d+) = (.*)$", line)
        if m:
            values[int(m.group(1))] = json.loads(m.group(2))
    sql = alias_subqueries(re.sub(r"\?(\d+)", r"$\1", sql))
    args = []
    for n in range(1, max(values, default=0) + 1):
        v = values[n]
        args.append("NULL" if v is None else str(v) if isinstance(v, int)
                    else "'" + str(v).replace("'", "''") + "'")
    return sql, args


def run(label, sql, args):
    """EXPLAIN ANALYZE of `sql` as a prepared statement, in a transaction rolled back (the
    writes are run, then undone)."""
    execute = f"EXECUTE {label}({', '.join(args)})" if args else f"EXECUTE {label}"
    script = (f"SET search_path = factstore;\nBEGIN;\nPREPARE {label} AS {sql};\n"
              f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) {execute};\nROLLBACK;\n")
    res = subprocess.run(PSQL, input=script, capture_output=True, text=True)
    return res.stdout + res.stderr


def main():
    global FS, DB, PSQL
    FS, DB = sys.argv[1], sys.argv[2]
    PSQL = shlex.split(sys.argv[3]) + ["-X", "-q", "-v", "ON_ERROR_STOP=1"]
    only = set(sys.argv[4:])
    for label, q in QUERIES:
        if only and label not in only:
            continue
        sql, args = explain_of(q)
        print(f"=== {label}: {q}\n{run(label, sql, args)}")
    for label, sql, args in HAND:
        if only and label not in only:
            continue
        print(f"=== {label}: {sql}\n{run(label, sql, args)}")
    for label, q, branches in COPY_AWARE:
        if label in only:
            sql, args = explain_of(q)
            print(f"=== {label}: {q}\n{run(label, read_from_copy(sql, branches), args)}")
    if "q3_copy" in only:
        print(f"=== q3_copy: {Q3_COPY}\n{run('q3_copy', Q3_COPY, ['9200'])}")


if __name__ == "__main__":
    main()
