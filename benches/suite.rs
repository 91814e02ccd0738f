//! The query suite on a generated store (default 1M relations, 100k entities): each
//! query run through factstore (parse, plan, compile, execute, typed rows) beside the
//! hand-written SQL that answers it on the same store, medians and their ratio printed
//! side by side from one run. Also JSON Lines import throughput.
//!
//! `cargo bench --bench suite` (sizes: FACTSTORE_BENCH_RELATIONS, FACTSTORE_BENCH_ENTITIES).
//! The data and the store are made once and kept under the target directory.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use factstore::plan::Catalog;
use factstore::statement::{self, Outcome};
use factstore::store::{catalog::StoreCatalog, Format, ImportOptions, Mode, Store};
use factstore::{names, time};
use rusqlite::types::ValueRef;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

/// Generates the data (once) and gives the JSON Lines file and its manifest.
fn data(relations: usize, entities: usize) -> (PathBuf, serde_json::Value) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-data");
    std::fs::create_dir_all(&dir).expect("bench data dir");
    let jsonl = dir.join(format!("r{relations}-e{entities}.jsonl"));
    let manifest = dir.join(format!("r{relations}-e{entities}.manifest.json"));
    if !jsonl.exists() || !manifest.exists() {
        eprintln!("generating {relations} relations, {entities} entities…");
        let status = Command::new(env!("CARGO_BIN_EXE_factstore-gen"))
            .args(["--relations", &relations.to_string()])
            .args(["--entities", &entities.to_string()])
            .arg("--out")
            .arg(&jsonl)
            .arg("--manifest")
            .arg(&manifest)
            .status()
            .expect("run factstore-gen");
        assert!(status.success(), "factstore-gen failed");
    }
    let m = serde_json::from_str(&std::fs::read_to_string(&manifest).expect("manifest"))
        .expect("manifest is JSON");
    (jsonl, m)
}

/// Median time of `f` over repeated runs (at least 5, up to ~1 s or 500 runs).
fn median(mut f: impl FnMut() -> usize) -> (Duration, usize) {
    let rows = f();
    for _ in 0..2 {
        f();
    }
    let mut times = Vec::new();
    let start = Instant::now();
    while times.len() < 5 || (start.elapsed() < Duration::from_secs(1) && times.len() < 500) {
        let t = Instant::now();
        std::hint::black_box(f());
        times.push(t.elapsed());
    }
    times.sort();
    (times[times.len() / 2], rows)
}

/// Runs hand-written SQL and reads every cell, as factstore does.
fn hand(store: &Store, sql: &str, params: &[&dyn rusqlite::ToSql]) -> usize {
    let mut stmt = store
        .connection()
        .prepare_cached(sql)
        .expect("hand SQL prepares");
    let n = stmt.column_count();
    let mut rows = stmt.query(params).expect("hand SQL runs");
    let mut count = 0;
    while let Some(row) = rows.next().expect("row") {
        for i in 0..n {
            match row.get_ref(i).expect("cell") {
                ValueRef::Text(t) => {
                    std::hint::black_box(String::from_utf8_lossy(t).into_owned());
                }
                ValueRef::Integer(d) => {
                    std::hint::black_box(time::format_day(d));
                }
                other => {
                    std::hint::black_box(other);
                }
            }
        }
        count += 1;
    }
    count
}

fn ours(store: &Store, text: &str) -> usize {
    match statement::execute(store, text, &statement::Options::default()).expect(text) {
        Outcome::Rows(r) => r.rows.len(),
        Outcome::Message(_) => 0,
    }
}

fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1000.0)
}

/// The relation columns every one-clause query gives, as hand SQL over `r`.
const REL_COLUMNS: &str = "s.name, p.id, o.name, \
    COALESCE(r.when_text, CASE WHEN r.from_text IS NOT NULL AND r.to_text IS NOT NULL \
      THEN 'from ' || r.from_text || ' to ' || r.to_text \
      WHEN r.from_text IS NOT NULL THEN 'from ' || r.from_text \
      WHEN r.to_text IS NOT NULL THEN 'to ' || r.to_text \
      WHEN r.at_text IS NOT NULL THEN 'at ' || r.at_text END), \
    r.start_lo, r.end_hi, r.status, src.id, r.quote";
const REL_JOINS: &str = "JOIN entity s ON s.key = r.subject JOIN entity o ON o.key = r.object \
    JOIN predicate p ON p.key = r.predicate LEFT JOIN source src ON src.key = r.source";

fn main() {
    let relations = env_usize("FACTSTORE_BENCH_RELATIONS", 1_000_000);
    let entities = env_usize("FACTSTORE_BENCH_ENTITIES", 100_000);
    let (jsonl, m) = data(relations, entities);
    let db = jsonl.with_extension("db");
    let size = std::fs::metadata(&jsonl).map(|m| m.len()).unwrap_or(0);

    // Import throughput into a fresh store.
    let fresh = jsonl.with_extension("import-test.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", fresh.display()));
    }
    let t = Instant::now();
    {
        let mut store = Store::open(&fresh, Mode::Create).expect("fresh store");
        let reader = std::io::BufReader::with_capacity(
            1 << 18,
            std::fs::File::open(&jsonl).expect("data file"),
        );
        store
            .import(reader, Format::JsonLines, "bench", ImportOptions::default())
            .expect("import");
    }
    let import = t.elapsed();
    println!(
        "import: {relations} relations, {entities} entities ({:.0} MB of JSON Lines) in {:.2} s: {:.0} relations/s",
        size as f64 / 1e6,
        import.as_secs_f64(),
        relations as f64 / import.as_secs_f64()
    );
    if !db.exists() {
        std::fs::rename(&fresh, &db).expect("keep the store");
    }
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", fresh.display()));
    }

    let store = Store::open(&db, Mode::ReadOnly).expect("bench store");
    let conn = store.connection();
    let key_of = |id: &str| -> i64 {
        conn.query_row("SELECT key FROM entity WHERE id = ?1", [id], |r| r.get(0))
            .expect("entity")
    };
    let s = |v: &serde_json::Value| v.as_str().expect("string").to_string();
    let hub0 = s(&m["hubs"][0]["id"]);
    let hub1 = s(&m["hubs"][1]["id"]);
    let mid = s(&m["mid"]["id"]);
    let mid_name = s(&m["mid"]["name"]);
    let pred = s(&m["predicate"]["id"]);
    let year = m["year"]["year"].as_i64().expect("year");
    let (y_lo, y_hi) = (
        time::day_from_ymd(year, 1, 1).expect("day"),
        time::day_from_ymd(year, 12, 31).expect("day"),
    );
    let (y2_lo, y2_hi) = (
        time::day_from_ymd(year + 1, 1, 1).expect("day"),
        time::day_from_ymd(year + 1, 12, 31).expect("day"),
    );
    let as_of = time::day_from_ymd(year, 6, 30).expect("day");
    let (k_hub0, k_hub1, k_mid) = (key_of(&hub0), key_of(&hub1), key_of(&mid));
    let k_pred: i64 = conn
        .query_row("SELECT key FROM predicate WHERE id = ?1", [&pred], |r| {
            r.get(0)
        })
        .expect("predicate");
    let pred_symmetric: bool = conn
        .query_row(
            "SELECT symmetric FROM predicate WHERE key = ?1",
            [k_pred],
            |r| r.get::<_, i64>(0),
        )
        .map(|v| v != 0)
        .expect("predicate");
    let sym = "(SELECT key FROM predicate WHERE symmetric = 1)";
    let statuses = "r.status IN ('occurred', 'alleged')";

    println!();
    println!(
        "{:<4} {:<58} {:>10} {:>10} {:>7} {:>7}",
        "", "query", "factstore", "hand SQL", "ratio", "rows"
    );
    let report =
        |name: &str, text: &str, ours_t: (Duration, usize), hand_t: Option<(Duration, usize)>| {
            let shown: String = text.chars().take(58).collect();
            match hand_t {
                Some((h, rows)) => {
                    if rows != ours_t.1 {
                        eprintln!(
                            "warning: {name}: factstore gave {} rows, hand SQL {rows}",
                            ours_t.1
                        );
                    }
                    println!(
                        "{name:<4} {shown:<58} {:>8}ms {:>8}ms {:>6.2}x {:>7}",
                        ms(ours_t.0),
                        ms(h),
                        ours_t.0.as_secs_f64() / h.as_secs_f64(),
                        ours_t.1
                    )
                }
                None => println!(
                    "{name:<4} {shown:<58} {:>8}ms {:>10} {:>7} {:>7}",
                    ms(ours_t.0),
                    "-",
                    "-",
                    ours_t.1
                ),
            }
        };

    // q1: one entity's outgoing relations in a date range.
    let q1 = format!("{mid} ?r ?o in {year}");
    let q1_sql = format!(
        "SELECT o.name, o.id, p.id, {REL_COLUMNS} FROM relation r {REL_JOINS} \
         WHERE r.subject = ?1 AND r.start_lo <= ?2 AND r.end_hi >= ?3 AND {statuses} \
         UNION ALL \
         SELECT s.name, s.id, p.id, {REL_COLUMNS} FROM relation r {REL_JOINS} \
         WHERE r.object = ?1 AND r.predicate IN {sym} AND r.subject <> r.object \
         AND r.start_lo <= ?2 AND r.end_hi >= ?3 AND {statuses}"
    );
    report(
        "q1",
        &q1,
        median(|| ours(&store, &q1)),
        Some(median(|| hand(&store, &q1_sql, &[&k_mid, &y_hi, &y_lo]))),
    );

    // q2: count of one predicate in a period.
    let q2 = format!("?a {pred} ?b in {year} | count");
    let one_way = format!(
        "SELECT count(*) FROM relation r WHERE r.predicate = ?1 AND r.start_lo <= ?2 \
         AND r.end_hi >= ?3 AND {statuses}"
    );
    let q2_sql = if pred_symmetric {
        format!("SELECT ({one_way}) + ({one_way} AND r.subject <> r.object)")
    } else {
        one_way
    };
    report(
        "q2",
        &q2,
        median(|| ours(&store, &q2)),
        Some(median(|| hand(&store, &q2_sql, &[&k_pred, &y_hi, &y_lo]))),
    );

    // q3: two hops from one entity, the second hop in the year after the first.
    // (The language has no "later than another relation"; periods stand in for it.)
    let q3 = format!("{mid} ?r1 ?x in {year}, ?x ?r2 ?y in {}", year + 1);
    let hop2 = "JOIN relation r2 ON r2.subject = x.key \
                JOIN entity y ON y.key = r2.object JOIN predicate p2 ON p2.key = r2.predicate \
                WHERE r2.start_lo <= ?4 AND r2.end_hi >= ?5 AND r2.status IN ('occurred', 'alleged')";
    let q3_sql = format!(
        "SELECT x.name, x.id, y.name, y.id, p1.id, p2.id FROM relation r1 \
         JOIN entity x ON x.key = r1.object JOIN predicate p1 ON p1.key = r1.predicate {hop2} \
         AND r1.subject = ?1 AND r1.start_lo <= ?2 AND r1.end_hi >= ?3 \
         AND r1.status IN ('occurred', 'alleged') \
         UNION ALL \
         SELECT x.name, x.id, y.name, y.id, p1.id, p2.id FROM relation r1 \
         JOIN entity x ON x.key = r1.subject JOIN predicate p1 ON p1.key = r1.predicate {hop2} \
         AND r1.object = ?1 AND r1.predicate IN {sym} AND r1.subject <> r1.object \
         AND r1.start_lo <= ?2 AND r1.end_hi >= ?3 AND r1.status IN ('occurred', 'alleged')"
    );
    report(
        "q3",
        &q3,
        median(|| ours(&store, &q3)),
        Some(median(|| {
            hand(&store, &q3_sql, &[&k_mid, &y_hi, &y_lo, &y2_hi, &y2_lo])
        })),
    );

    // q4: the relations between two hubs, either direction.
    let q4 = format!("{hub0} -- {hub1}");
    let q4_sql = format!(
        "SELECT {REL_COLUMNS} FROM relation r {REL_JOINS} \
         WHERE r.subject = ?1 AND r.object = ?2 AND {statuses} \
         UNION ALL \
         SELECT {REL_COLUMNS} FROM relation r {REL_JOINS} \
         WHERE r.subject = ?2 AND r.object = ?1 AND r.subject <> r.object AND {statuses}"
    );
    report(
        "q4",
        &q4,
        median(|| ours(&store, &q4)),
        Some(median(|| hand(&store, &q4_sql, &[&k_hub0, &k_hub1]))),
    );

    // q5: what certainly held on a day, around a hub.
    let q5 = format!("{hub0} ?r ?x certainly as of {year}-06-30");
    let q5_sql = format!(
        "SELECT o.name, o.id, p.id, {REL_COLUMNS} FROM relation r {REL_JOINS} \
         WHERE r.subject = ?1 AND r.start_hi <= ?2 AND r.end_lo >= ?2 AND {statuses} \
         UNION ALL \
         SELECT s.name, s.id, p.id, {REL_COLUMNS} FROM relation r {REL_JOINS} \
         WHERE r.object = ?1 AND r.predicate IN {sym} AND r.subject <> r.object \
         AND r.start_hi <= ?2 AND r.end_lo >= ?2 AND {statuses}"
    );
    report(
        "q5",
        &q5,
        median(|| ours(&store, &q5)),
        Some(median(|| hand(&store, &q5_sql, &[&k_hub0, &as_of]))),
    );

    // q6: relations per predicate over a year.
    let q6 = format!("?a ?r ?b in {year} | count by ?r");
    let q6_sql = format!(
        "SELECT p.id, count(*) AS n FROM relation r JOIN predicate p ON p.key = r.predicate \
         WHERE r.start_lo <= ?1 AND r.end_hi >= ?2 AND {statuses} \
         GROUP BY p.id ORDER BY n DESC, p.id"
    );
    report(
        "q6",
        &q6,
        median(|| ours(&store, &q6)),
        Some(median(|| hand(&store, &q6_sql, &[&y_hi, &y_lo]))),
    );

    // q7: the shortest chains between two entities (a breadth-first search: no single
    // SQL statement to compare with).
    let q7 = format!("path {mid} to {hub1} max 4");
    report("q7", &q7, median(|| ours(&store, &q7)), None);

    // q8: alias lookup and completion of a prefix.
    let catalog = StoreCatalog::new(conn);
    let q8 = format!("alias lookup \"{mid_name}\"");
    let norm = names::normalise(&mid_name);
    report(
        "q8a",
        &q8,
        median(|| catalog.entities_named(&mid_name).expect("lookup").len()),
        Some(median(|| {
            hand(
                &store,
                "SELECT DISTINCT e.key, e.id, e.name, e.kind FROM alias a JOIN entity e \
                 ON e.key = a.entity WHERE a.norm = ?1",
                &[&norm],
            )
        })),
    );
    let prefix: String = norm.chars().take(3).collect();
    let upper = names::prefix_upper_bound(&prefix).expect("upper bound");
    let q8b = format!("complete \"{prefix}\"");
    report(
        "q8b",
        &q8b,
        median(|| {
            let n = names::normalise(&prefix);
            let up = names::prefix_upper_bound(&n).expect("upper bound");
            hand(
                &store,
                "SELECT text FROM alias WHERE norm >= ?1 AND norm < ?2 ORDER BY norm LIMIT 50",
                &[&n, &up],
            )
        }),
        Some(median(|| {
            hand(
                &store,
                "SELECT text FROM alias WHERE norm >= ?1 AND norm < ?2 ORDER BY norm LIMIT 50",
                &[&prefix, &upper],
            )
        })),
    );
}
