#!/usr/bin/env bash
# Compare factstore with its peers (DuckDB, Kùzu, pyoxigraph) on one generated data set.
#
# Usage: bench/peers/run.sh [RELATIONS] [ENTITIES]     (defaults 1000000 100000)
#
# Builds factstore and factstore-gen (release), generates the data into
# bench/peers/work/, installs the peers into a Python venv there (a peer that cannot be
# installed is skipped), then runs peers.py, which times each system's load and q1–q3
# (median of several runs) and prints one table. See BENCHMARKS.md.
set -euo pipefail

RELATIONS="${1:-1000000}"
ENTITIES="${2:-100000}"
case "$RELATIONS$ENTITIES" in
  *[!0-9]*)
    echo "usage: $0 [RELATIONS] [ENTITIES] (whole numbers; got '$RELATIONS' '$ENTITIES')" >&2
    exit 2
    ;;
esac

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
WORK="$HERE/work"
mkdir -p "$WORK"

echo "== building factstore and factstore-gen (release)" >&2
(cd "$ROOT" && cargo build --release --workspace --bins)
TARGET_DIR="$(cd "$ROOT" && cargo metadata --format-version 1 --no-deps \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
FACTSTORE="$TARGET_DIR/release/factstore"
GEN="$TARGET_DIR/release/factstore-gen"

echo "== generating $RELATIONS relations over $ENTITIES entities" >&2
"$GEN" --relations "$RELATIONS" --entities "$ENTITIES" \
  --out "$WORK/data.jsonl" --manifest "$WORK/manifest.json"

echo "== Python venv with the peers" >&2
if [ ! -x "$WORK/venv/bin/python" ]; then
  python3 -m venv "$WORK/venv"
fi
PY="$WORK/venv/bin/python"
for package in duckdb kuzu pyoxigraph; do
  if ! "$PY" -m pip install --quiet --disable-pip-version-check "$package"; then
    echo "cannot install $package from PyPI: it is skipped" >&2
  fi
done

echo "== running (one run; medians of several query runs)" >&2
"$PY" "$HERE/peers.py" "$WORK" "$FACTSTORE"
