#!/usr/bin/env python3
"""Load one factstore-gen data set into factstore and its peers (DuckDB, Kùzu,
pyoxigraph) and time the load and three queries; print one table.

Usage: peers.py WORK_DIR FACTSTORE_BINARY

WORK_DIR holds data.jsonl and manifest.json written by factstore-gen; the stores are
created there. A peer whose Python package is missing is skipped with a message.

Semantics shared by every system (they follow shared/spec/LANGUAGE.md):
- A relation's time is four day bounds (start_lo, start_hi, end_lo, end_hi), computed
  here from the date expressions factstore-gen writes (days, months, years, quarters,
  halves, early/mid/late of a year or a month; `..` = open end). Undated relations have
  no bounds and match no time filter.
- "in PERIOD" is the possible reading: start_lo <= P.hi and end_hi >= P.lo.
- Status: queries match `occurred` and `alleged` relations, not `planned`.
- Symmetric predicates match both ways round; the peers store a reversed copy of each
  relation whose predicate is symmetric (their "directed edge" set).
"""

import csv
import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

RUNS = 7
OPEN_END = 99_999_999  # a day number past any date: the end of `to: ".."`
OPEN_END_DATE = "9999-12-31"
EPOCH = datetime.date(1970, 1, 1).toordinal()


# ----------------------------------------------------------------------------- dates


def day(year, month, dom):
    return datetime.date(year, month, dom).toordinal() - EPOCH


def month_end(year, month):
    if month == 12:
        return day(year, 12, 31)
    return day(year, month + 1, 1) - 1


def bounds(text):
    """(lo, hi) day numbers of a date expression as factstore-gen writes them."""
    part = None
    for word in ("early ", "mid ", "late "):
        if text.startswith(word):
            part, text = word.strip(), text[len(word):]
    pieces = text.split("-")
    year = int(pieces[0])
    if len(pieces) == 1:
        lo, hi = day(year, 1, 1), day(year, 12, 31)
        if part == "early":
            return lo, month_end(year, 4)
        if part == "mid":
            return day(year, 5, 1), month_end(year, 8)
        if part == "late":
            return day(year, 9, 1), hi
        return lo, hi
    if len(pieces) == 2 and pieces[1][0] in "QH":
        n = int(pieces[1][1:])
        months = 3 if pieces[1][0] == "Q" else 6
        first = (n - 1) * months + 1
        return day(year, first, 1), month_end(year, first + months - 1)
    month = int(pieces[1])
    if len(pieces) == 2:
        lo, hi = day(year, month, 1), month_end(year, month)
        if part == "early":
            return lo, lo + 9
        if part == "mid":
            return lo + 10, lo + 19
        if part == "late":
            return lo + 20, hi
        return lo, hi
    d = day(year, month, int(pieces[2]))
    return d, d


def relation_bounds(rel):
    """(start_lo, start_hi, end_lo, end_hi), None where unknown (DATA.md's table)."""
    if "when" in rel:
        lo, hi = bounds(rel["when"])
        return lo, hi, lo, hi
    if "from" in rel:
        s_lo, s_hi = bounds(rel["from"])
        to = rel.get("to")
        if to == "..":
            return s_lo, s_hi, OPEN_END, OPEN_END
        if to is None:
            return s_lo, s_hi, s_lo, OPEN_END
        e_lo, e_hi = bounds(to)
        return s_lo, s_hi, e_lo, e_hi
    return None, None, None, None


def iso(n):
    if n is None:
        return None
    if n >= OPEN_END:
        return OPEN_END_DATE
    return datetime.date.fromordinal(n + EPOCH).isoformat()


# ----------------------------------------------------------------------------- prep


def prepare(work):
    """Reads data.jsonl once; writes entities.csv, edges.csv and data.nt for the peers.
    Returns the figures the queries need."""
    entities, predicates, relations = [], {}, []
    with open(os.path.join(work, "data.jsonl"), encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            kind = rec["type"]
            if kind == "entity":
                entities.append(rec)
            elif kind == "predicate":
                predicates[rec["id"]] = bool(rec.get("symmetric", False))
            elif kind == "relation":
                relations.append(rec)

    with open(os.path.join(work, "entities.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "kind", "name", "aliases"])
        for e in entities:
            w.writerow([e["id"], e["kind"], e["name"], "|".join(e.get("aliases", []))])

    edges = []
    for rel in relations:
        b = relation_bounds(rel)
        sym = predicates.get(rel["predicate"], False)
        row = [rel["subject"], rel["object"], rel["predicate"], *b,
               rel.get("status", "occurred"), rel["source"], rel.get("quote", "")]
        edges.append(row)
        if sym:
            edges.append([rel["object"], rel["subject"], *row[2:]])

    with open(os.path.join(work, "edges.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["subject", "object", "predicate", "start_lo", "start_hi", "end_lo",
                    "end_hi", "status", "source", "quote"])
        w.writerows(edges)

    ns = "http://factstore.example/"
    with open(os.path.join(work, "data.nt"), "w", encoding="utf-8") as f:
        for e in entities:
            s = f"<{ns}e/{e['id']}>"
            f.write(f"{s} <{ns}kind> {json.dumps(e['kind'])} .\n")
            f.write(f"{s} <{ns}name> {json.dumps(e['name'], ensure_ascii=False)} .\n")
            for alias in e.get("aliases", []):
                f.write(f"{s} <{ns}alias> {json.dumps(alias, ensure_ascii=False)} .\n")
        for i, (subj, obj, pred, s_lo, s_hi, e_lo, e_hi, status, source, quote) in \
                enumerate(edges):
            r = f"<{ns}r/{i}>"
            f.write(f"{r} <{ns}s> <{ns}e/{subj}> .\n")
            f.write(f"{r} <{ns}p> <{ns}p/{pred}> .\n")
            f.write(f"{r} <{ns}o> <{ns}e/{obj}> .\n")
            f.write(f"{r} <{ns}status> \"{status}\" .\n")
            f.write(f"{r} <{ns}source> <{ns}src/{source}> .\n")
            f.write(f"{r} <{ns}quote> {json.dumps(quote, ensure_ascii=False)} .\n")
            for name, value in (("startLo", s_lo), ("startHi", s_hi),
                                ("endLo", e_lo), ("endHi", e_hi)):
                if value is not None:
                    f.write(f"{r} <{ns}{name}> \"{iso(value)}\""
                            f"^^<http://www.w3.org/2001/XMLSchema#date> .\n")

    with open(os.path.join(work, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    mid = manifest["mid"]["id"]
    # q1's year: the year in which the mid entity has most outgoing relations starting,
    # so the query returns rows (latest year on ties).
    years = {}
    for subj, _, _, s_lo, *_ in edges:
        if subj == mid and s_lo is not None:
            y = datetime.date.fromordinal(s_lo + EPOCH).year
            years[y] = years.get(y, 0) + 1
    q1_year = max(years, key=lambda y: (years[y], y)) if years else manifest["year"]["year"]
    q2_year = manifest["year"]["year"]
    return {
        "mid": mid,
        "q1_year": q1_year,
        "q1_lo": day(q1_year, 1, 1), "q1_hi": day(q1_year, 12, 31),
        "predicate": manifest["predicate"]["id"],
        "q2_year": q2_year,
        "q2_lo": day(q2_year, 1, 1), "q2_hi": day(q2_year, 12, 31),
        "ns": ns,
        "relations": len(relations),
        "edges": len(edges),
    }


# ----------------------------------------------------------------------------- timing


def median_ms(fn):
    """Runs fn RUNS times; returns (median milliseconds, rows of the last run)."""
    times, rows = [], None
    for _ in range(RUNS):
        t0 = time.perf_counter()
        rows = fn()
        times.append((time.perf_counter() - t0) * 1000.0)
    return statistics.median(times), rows


def timed(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


# ----------------------------------------------------------------------------- peers


def bench_duckdb(work, q):
    import duckdb

    path = os.path.join(work, "duck.db")
    for p in (path, path + ".wal"):
        if os.path.exists(p):
            os.remove(p)
    con = duckdb.connect(path)
    ent = os.path.join(work, "entities.csv")
    edg = os.path.join(work, "edges.csv")

    def load():
        con.execute(
            "CREATE TABLE entity AS SELECT * FROM read_csv(?, header = true, columns = "
            "{'id': 'VARCHAR', 'kind': 'VARCHAR', 'name': 'VARCHAR', 'aliases': 'VARCHAR'})",
            [ent])
        con.execute(
            "CREATE TABLE relation AS SELECT * FROM read_csv(?, header = true, columns = "
            "{'subject': 'VARCHAR', 'object': 'VARCHAR', 'predicate': 'VARCHAR', "
            "'start_lo': 'INTEGER', 'start_hi': 'INTEGER', 'end_lo': 'INTEGER', "
            "'end_hi': 'INTEGER', 'status': 'VARCHAR', 'source': 'VARCHAR', "
            "'quote': 'VARCHAR'})",
            [edg])
        con.execute("CREATE UNIQUE INDEX entity_id ON entity(id)")
        con.execute("CREATE INDEX relation_subject ON relation(subject)")
        con.execute("CREATE INDEX relation_predicate ON relation(predicate)")
        con.execute("CHECKPOINT")

    load_s = timed(load)
    q1 = ("SELECT predicate, object, start_lo, end_hi FROM relation WHERE subject = ? "
          "AND start_lo <= ? AND end_hi >= ? AND status <> 'planned'")
    q2 = ("SELECT count(*) FROM relation WHERE predicate = ? AND start_lo <= ? "
          "AND end_hi >= ? AND status <> 'planned'")
    q3 = ("SELECT r1.predicate, r1.object, r2.predicate, r2.object FROM relation r1 "
          "JOIN relation r2 ON r2.subject = r1.object WHERE r1.subject = ? "
          "AND r2.start_lo > r1.end_hi AND r1.status <> 'planned' "
          "AND r2.status <> 'planned'")
    results = [
        median_ms(lambda: con.execute(q1, [q["mid"], q["q1_hi"], q["q1_lo"]]).fetchall()),
        median_ms(lambda: con.execute(
            q2, [q["predicate"], q["q2_hi"], q["q2_lo"]]).fetchall()),
        median_ms(lambda: con.execute(q3, [q["mid"]]).fetchall()),
    ]
    con.close()
    counts = [len(results[0][1]), results[1][1][0][0], len(results[2][1])]
    return load_s, [r[0] for r in results], counts


def bench_kuzu(work, q):
    import kuzu

    path = os.path.join(work, "kuzu")
    if os.path.isdir(path):
        shutil.rmtree(path)
    elif os.path.exists(path):
        os.remove(path)
    db = kuzu.Database(path)
    con = kuzu.Connection(db)
    ent = os.path.join(work, "entities.csv")
    edg = os.path.join(work, "edges.csv")

    def load():
        con.execute("CREATE NODE TABLE Entity(id STRING, kind STRING, name STRING, "
                    "aliases STRING, PRIMARY KEY(id))")
        con.execute("CREATE REL TABLE R(FROM Entity TO Entity, predicate STRING, "
                    "start_lo INT64, start_hi INT64, end_lo INT64, end_hi INT64, "
                    "status STRING, source STRING, quote STRING)")
        con.execute(f"COPY Entity FROM '{ent}' (HEADER = true)")
        con.execute(f"COPY R FROM '{edg}' (HEADER = true)")

    load_s = timed(load)

    def rows(query, params):
        result = con.execute(query, params)
        out = []
        while result.has_next():
            out.append(result.get_next())
        return out

    q1 = ("MATCH (e:Entity {id: $id})-[r:R]->(o:Entity) WHERE r.start_lo <= $hi "
          "AND r.end_hi >= $lo AND r.status <> 'planned' "
          "RETURN r.predicate, o.id, r.start_lo, r.end_hi")
    q2 = ("MATCH (:Entity)-[r:R]->(:Entity) WHERE r.predicate = $p AND r.start_lo <= $hi "
          "AND r.end_hi >= $lo AND r.status <> 'planned' RETURN count(*)")
    q3 = ("MATCH (e:Entity {id: $id})-[r1:R]->(x:Entity)-[r2:R]->(y:Entity) "
          "WHERE r2.start_lo > r1.end_hi AND r1.status <> 'planned' "
          "AND r2.status <> 'planned' RETURN r1.predicate, x.id, r2.predicate, y.id")
    results = [
        median_ms(lambda: rows(q1, {"id": q["mid"], "hi": q["q1_hi"], "lo": q["q1_lo"]})),
        median_ms(lambda: rows(q2, {"p": q["predicate"], "hi": q["q2_hi"],
                                    "lo": q["q2_lo"]})),
        median_ms(lambda: rows(q3, {"id": q["mid"]})),
    ]
    counts = [len(results[0][1]), results[1][1][0][0], len(results[2][1])]
    return load_s, [r[0] for r in results], counts


def bench_oxigraph(work, q):
    import pyoxigraph

    path = os.path.join(work, "oxigraph")
    if os.path.isdir(path):
        shutil.rmtree(path)
    store = pyoxigraph.Store(path)
    nt = os.path.join(work, "data.nt")

    def load():
        store.bulk_load(path=nt, format=pyoxigraph.RdfFormat.N_TRIPLES)
        store.optimize()

    load_s = timed(load)
    ns = q["ns"]
    prefixes = (f"PREFIX f: <{ns}> PREFIX e: <{ns}e/> PREFIX p: <{ns}p/> "
                "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> ")

    def date(n):
        return f'"{iso(n)}"^^xsd:date'

    q1 = prefixes + (
        f"SELECT ?p ?o ?sl ?eh WHERE {{ ?r f:s e:{q['mid']} ; f:p ?p ; f:o ?o ; "
        "f:startLo ?sl ; f:endHi ?eh ; f:status ?st . "
        f"FILTER(?sl <= {date(q['q1_hi'])} && ?eh >= {date(q['q1_lo'])} "
        "&& ?st != \"planned\") }")
    q2 = prefixes + (
        f"SELECT (COUNT(*) AS ?n) WHERE {{ ?r f:p p:{q['predicate']} ; f:startLo ?sl ; "
        "f:endHi ?eh ; f:status ?st . "
        f"FILTER(?sl <= {date(q['q2_hi'])} && ?eh >= {date(q['q2_lo'])} "
        "&& ?st != \"planned\") }")
    q3 = prefixes + (
        f"SELECT ?p1 ?x ?p2 ?y WHERE {{ ?r1 f:s e:{q['mid']} ; f:p ?p1 ; f:o ?x ; "
        "f:endHi ?e1 ; f:status ?st1 . ?r2 f:s ?x ; f:p ?p2 ; f:o ?y ; f:startLo ?s2 ; "
        "f:status ?st2 . FILTER(?s2 > ?e1 && ?st1 != \"planned\" "
        "&& ?st2 != \"planned\") }")
    results = [
        median_ms(lambda: list(store.query(q1))),
        median_ms(lambda: list(store.query(q2))),
        median_ms(lambda: list(store.query(q3))),
    ]
    counts = [len(results[0][1]), int(results[1][1][0]["n"].value), len(results[2][1])]
    return load_s, [r[0] for r in results], counts


def bench_factstore(work, q, binary):
    db = os.path.join(work, "fs.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)

    def load():
        subprocess.run([binary, "--db", db, "import", os.path.join(work, "data.jsonl")],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    load_s = timed(load)

    def query(text):
        done = subprocess.run([binary, "--db", db, "query", "--format", "jsonl", text],
                              check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        return done.stdout.decode("utf-8").splitlines()

    texts = [
        f"{q['mid']} ?r ?o in {q['q1_year']}",
        f"?a {q['predicate']} ?b in {q['q2_year']} | count",
        # The second relation certainly starts after the first has ended.
        f"{q['mid']} ?r1 ?x @a, ?x ?r2 ?y certainly after @a",
    ]
    results = [median_ms(lambda t=t: query(t)) for t in texts]
    q2_rows = results[1][1]
    q2_count = json.loads(q2_rows[0])["count"] if q2_rows else 0
    counts = [len(results[0][1]), q2_count, len(results[2][1])]
    return load_s, [r[0] for r in results], counts


# ----------------------------------------------------------------------------- main


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    work, binary = sys.argv[1], sys.argv[2]
    t0 = time.perf_counter()
    q = prepare(work)
    prep_s = time.perf_counter() - t0
    print(f"prepared {q['relations']} relations ({q['edges']} directed edges) in "
          f"{prep_s:.1f} s; q1: {q['mid']} in {q['q1_year']}; q2: {q['predicate']} in "
          f"{q['q2_year']}; q3: two hops from {q['mid']}", file=sys.stderr)

    rows = []
    peers = [
        ("factstore", lambda: bench_factstore(work, q, binary)),
        ("duckdb", lambda: bench_duckdb(work, q)),
        ("kuzu", lambda: bench_kuzu(work, q)),
        ("pyoxigraph", lambda: bench_oxigraph(work, q)),
    ]
    for name, run in peers:
        try:
            load_s, ms, counts = run()
        except ImportError as err:
            print(f"{name}: skipped, its Python package is not installed ({err})",
                  file=sys.stderr)
            continue
        except (subprocess.CalledProcessError, OSError) as err:
            detail = getattr(err, "stderr", None)
            detail = detail.decode("utf-8", "replace").strip() if detail else ""
            print(f"{name}: failed, skipped ({err}) {detail}", file=sys.stderr)
            continue
        print(f"{name}: rows q1={counts[0]} q2 count={counts[1]} q3={counts[2]}",
              file=sys.stderr)
        rows.append((name, load_s, *ms))

    header = ("system", "load s", "q1 ms", "q2 ms", "q3 ms")
    cells = [header] + [(n, f"{l:.1f}", f"{a:.1f}", f"{b:.1f}", f"{c:.1f}")
                        for n, l, a, b, c in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    for i, r in enumerate(cells):
        print("| " + " | ".join(c.ljust(w) if j == 0 else c.rjust(w)
                                for j, (c, w) in enumerate(zip(r, widths))) + " |")
        if i == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return 0


if __name__ == "__main__":
    sys.exit(main())
