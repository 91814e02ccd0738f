#!/usr/bin/env python3
"""Copies a factstore SQLite store's tables into an empty PostgreSQL schema made by
schema/postgres/0001_init.sql, with psql's COPY, then ANALYZE. The keys stay those of the
SQLite store, so the parameters `factstore explain` prints there hold on PostgreSQL too
(used for docs/SCALE.md; not a supported import path: `factstore import` is that).

usage: copy_store.py STORE.db 'psql -h HOST -p PORT -U USER -d DB' [SCHEMA]
"""
import shlex
import sqlite3
import subprocess
import sys

# SQLite tables whose rows PostgreSQL's schema holds with the same columns. relation_text
# is FTS5 on SQLite; on PostgreSQL it is a plain table that the Rust store fills.
TABLES = [
    "source", "entity", "alias", "predicate", "saved_query", "relation", "change",
    "relation_version", "entity_version", "predicate_version", "source_version",
    "weak_alias", "name_word", "name_generation", "predicate_count", "source_count",
]
SEQUENCES = {"source": "key", "entity": "key", "predicate": "key", "relation": "key",
             "change": "id"}


def cell(v):
    if v is None:
        return r"\N"
    if isinstance(v, bytes):
        return r"\\x" + v.hex()
    s = str(v)
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def main():
    db, psql_args = sys.argv[1], shlex.split(sys.argv[2])
    schema = sys.argv[3] if len(sys.argv) > 3 else "factstore"
    src = sqlite3.connect(db)
    script = [f"SET search_path = \"{schema}\";", "SET session_replication_role = replica;"]
    for t in TABLES:
        cols = [r[1] for r in src.execute(f"PRAGMA table_info({t})")]
        quoted = ", ".join(f'"{c}"' for c in cols)
        script.append(f"TRUNCATE {t} CASCADE;")
        script.append(f"COPY {t} ({quoted}) FROM STDIN;")
        for row in src.execute(f"SELECT {quoted} FROM {t}"):
            script.append("\t".join(cell(v) for v in row))
        script.append("\\.")
    # relation_text: the folded text is the Rust store's; lower() stands in for it here.
    script.append("INSERT INTO relation_text (key, quote, note) SELECT key, lower(quote), "
                  "lower(note) FROM relation WHERE quote IS NOT NULL OR note IS NOT NULL;")
    for t, c in SEQUENCES.items():
        script.append(f"SELECT setval(pg_get_serial_sequence('{t}', '{c}'), "
                      f"(SELECT COALESCE(max({c}), 0) + 1 FROM {t}), false);")
    script.append("SET session_replication_role = origin;")
    script.append("ANALYZE;")
    subprocess.run(psql_args + ["-v", "ON_ERROR_STOP=1", "-q"],
                   input="\n".join(script) + "\n", text=True, check=True)


if __name__ == "__main__":
    main()
