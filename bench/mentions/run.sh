#!/usr/bin/env bash
# `factstore mentions` at scale (ARTICLES.md: 100,000 entities with 300,000 names, an
# article of 5,000 words, under 50 ms as a whole process). Builds the release binary and
# the generator, generates the store, writes an Arabic text of WORDS words from the seed
# article's vocabulary with generated names mixed in, and times whole processes with
# farm-bench:
#   - cached: the name table read back from the store (every run after the first since
#     a name changed);
#   - the first run after a name change, which builds the table, against a cached run.
# Usage: bench/mentions/run.sh [ENTITIES] [WORDS]     (defaults: 100000 5000)
set -euo pipefail
ENTITIES=${1:-100000}
WORDS=${2:-5000}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${KEEP:-$(mktemp -d)}
[ -n "${KEEP:-}" ] || trap 'rm -rf "$WORK"' EXIT

# The generator's speed is not measured: its dev build saves a release build of the
# library without the CLI features.
cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml" -p factstore --bin factstore
cargo build --quiet --manifest-path "$ROOT/Cargo.toml" -p factstore-gen
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
BIN=$TARGET/release/factstore
GEN=$TARGET/debug/factstore-gen

"$GEN" --entities "$ENTITIES" --relations $((ENTITIES / 10)) --seed 1 \
    --out "$WORK/data.jsonl" --manifest "$WORK/manifest.json"
"$BIN" --db "$WORK/store.db" import "$WORK/data.jsonl" >/dev/null 2>&1
NAMES=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from alias').fetchone()[0])" "$WORK/store.db")

# The text: the seed article's words in a random order, one in twenty replaced by a
# generated name (Arabic-script where the entity has one), with attached particles.
python3 - "$ROOT/data/article-ar.txt" "$WORK/data.jsonl" "$WORDS" > "$WORK/article.txt" <<'PY'
import json, random, re, sys
article, data, words = sys.argv[1], sys.argv[2], int(sys.argv[3])
random.seed(1)
vocabulary = re.findall(r"\w+", open(article, encoding="utf-8").read())
names = []
with open(data, encoding="utf-8") as f:
    for line in f:
        r = json.loads(line)
        if r.get("type") == "entity":
            arabic = [a for a in r.get("aliases", []) if re.search("[\u0600-\u06ff]", a)]
            names.append(random.choice(arabic) if arabic else r["name"])
out, line = [], []
while len(out) < words:
    if random.random() < 0.05:
        w = random.choice(["", "و", "ب", "لل", "وب"]) + random.choice(names)
    else:
        w = random.choice(vocabulary)
    out.append(w)
    line.append(w)
    if len(line) >= 15:
        print(" ".join(line) + random.choice(["،", ".", ""]))
        line = []
print(" ".join(line))
PY
echo "store: $ENTITIES entities, $NAMES names; text: $(wc -w < "$WORK/article.txt") words, $(wc -c < "$WORK/article.txt") bytes"
FOUND=$("$BIN" --db "$WORK/store.db" mentions "$WORK/article.txt" --format jsonl | grep -c '"section": "mentions"')
echo "mentions found: $FOUND"

echo "== cached name table"
farm-bench -n 10 --warmup 2 -- "$BIN" --db "$WORK/store.db" mentions "$WORK/article.txt" --format jsonl
# The first run after a name change builds the table (and saves it): each run below starts
# from a copy of the store without the cache (A) or with it (B), so the copy costs both
# the same and A - B is the cost of building the table.
cp "$WORK/store.db" "$WORK/cached.db"
cp "$WORK/store.db" "$WORK/nocache.db"
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('delete from name_table_cache'); c.commit()" "$WORK/nocache.db"
echo "== first run after a name change (A: table built) vs a cached table (B), each on a fresh copy"
farm-bench -n 5 --warmup 1 \
    --vs "sh -c 'cp $WORK/cached.db $WORK/b.db && exec $BIN --db $WORK/b.db mentions $WORK/article.txt --format jsonl'" \
    -- sh -c "cp $WORK/nocache.db $WORK/a.db && exec $BIN --db $WORK/a.db mentions $WORK/article.txt --format jsonl"
