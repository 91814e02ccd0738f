#!/bin/bash
# The PostgreSQL import of two builds side by side, with SQLite's beside them (issue 18).
#
# Usage: bench/import_versus.sh BINARY_A BINARY_B DATA.jsonl CONNINFO [ROUNDS] [FIRST.jsonl]
#
# Each round imports DATA into a new SQLite file with BINARY_B, then into a new schema
# `import_versus` of CONNINFO (a libpq keyword/value string, e.g.
# 'host=/run/postgresql user=postgres dbname=postgres') with BINARY_B and with BINARY_A,
# one after the other, and prints each whole process's wall time in seconds. ROUNDS
# defaults to 2. The schema is dropped before each PostgreSQL run and at the end. With
# FIRST, each store imports FIRST (untimed, by the same binary) before DATA: a file of
# relations into a store that holds their entities.
set -u
if [ $# -lt 4 ]; then
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
a=$1 b=$2 data=$3 conninfo=$4 rounds=${5:-2} first=${6:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
drop() { psql -q "$conninfo" -c "DROP SCHEMA IF EXISTS import_versus CASCADE" 2>/dev/null; }
timed() {
  local start end
  start=$(date +%s.%N)
  if ! "$@" >/dev/null 2>"$tmp/err"; then
    echo "failed: $*" >&2
    cat "$tmp/err" >&2
    exit 1
  fi
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
for round in $(seq "$rounds"); do
  rm -f "$tmp"/s.db*
  if [ -n "$first" ]; then timed "$b" --db "$tmp/s.db" import "$first" >/dev/null; fi
  echo "round $round  sqlite (B)      $(timed "$b" --db "$tmp/s.db" import "$data")"
  for side in B A; do
    drop
    if [ $side = B ]; then bin=$b; else bin=$a; fi
    if [ -n "$first" ]; then
      timed "$bin" --db "$conninfo" --schema import_versus import "$first" >/dev/null
    fi
    echo "round $round  postgres ($side)    $(timed "$bin" --db "$conninfo" --schema import_versus import "$data")"
  done
done
drop
