//! The query suite on a generated store (default 1M relations, 100k entities): each
//! query run through factstore (parse, plan, compile, execute, typed rows) beside the
//! hand-written SQL that answers it on the same store, medians and their ratio printed
//! side by side from one run. Also JSON Lines import throughput.
//!
//! `cargo bench --bench suite` (sizes: FACTSTORE_BENCH_RELATIONS, FACTSTORE_BENCH_ENTITIES).
//! The data and the store are made once and kept under the target directory.
//!
//! The hand-written SQL runs on a read-only connection of its own to the store's file,
//! opened here with rusqlite: it stands for what a program with SQLite alone would do,
//! so it does not go through factstore, whose store keeps its connection to itself.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use factstore::plan::Catalog;
use factstore::statement::{self, Outcome};
use factstore::store::{ImportFormat, ImportOptions, Mode, Store};
use factstore::{lang, names, sql, time};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};

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
        let args = factstore_gen::GenArgs {
            relations: relations as u64,
            entities: entities as u64,
            out: Some(jsonl.clone()),
            manifest: Some(manifest.clone()),
            ..factstore_gen::GenArgs::default()
        };
        args.validate()
            .expect("the benchmark sizes make a data set");
        factstore_gen::run(&args).expect("generate the benchmark data");
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
fn hand(conn: &Connection, sql: &str, params: &[&dyn rusqlite::ToSql]) -> usize {
    let mut stmt = conn.prepare_cached(sql).expect("hand SQL prepares");
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

/// The SQL factstore compiles `text` to, with its parameters.
fn compiled(store: &Store, text: &str) -> (String, Vec<rusqlite::types::Value>) {
    let opts = statement::Options::default();
    let stmt = lang::parse(text).expect(text);
    let prepared = statement::prepare(store, &stmt, text, &opts).expect(text);
    let Some(q) = prepared.sql else {
        panic!("{text} is not a query");
    };
    let params = q
        .params
        .iter()
        .map(|p| match p {
            sql::SqlParam::Int(v) => rusqlite::types::Value::Integer(*v),
            sql::SqlParam::Text(v) => rusqlite::types::Value::Text(v.clone()),
            sql::SqlParam::Real(v) => rusqlite::types::Value::Real(*v),
        })
        .collect();
    (q.text, params)
}

/// Runs the SQL factstore compiles `text` to, prepared once, reading every cell as
/// [`hand`] does: the plan's quality, without parsing, planning and compiling.
fn ours_sql<'c>(store: &Store, conn: &'c Connection, text: &str) -> impl FnMut() -> usize + 'c {
    let (sql, params) = compiled(store, text);
    move || {
        let refs: Vec<&dyn rusqlite::ToSql> =
            params.iter().map(|p| p as &dyn rusqlite::ToSql).collect();
        hand(conn, &sql, &refs)
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
            .import(
                reader,
                ImportFormat::JsonLines,
                "bench",
                ImportOptions::default(),
            )
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
    let conn = &Connection::open_with_flags(&db, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .expect("the bench store opens for hand-written SQL");
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
        "{:<4} {:<50} {:>10} {:>10} {:>10} {:>7} {:>7} {:>7}",
        "", "query", "factstore", "its SQL", "hand SQL", "ratio", "SQL", "rows"
    );
    // `factstore`: the whole statement (parse, plan, compile, run, typed rows); `its SQL`:
    // the SQL it compiles to, prepared once, read like the hand SQL; the ratios are
    // factstore / hand SQL and its SQL / hand SQL.
    let report = |name: &str,
                  text: &str,
                  ours_t: (Duration, usize),
                  sql_t: Option<(Duration, usize)>,
                  hand_t: Option<(Duration, usize)>| {
        let shown: String = text.chars().take(50).collect();
        let cell = |t: Option<(Duration, usize)>| t.map_or("-".to_string(), |t| ms(t.0) + "ms");
        let ratio = |a: Option<(Duration, usize)>, b: Option<(Duration, usize)>| match (a, b) {
            (Some(a), Some(b)) => format!("{:.2}x", a.0.as_secs_f64() / b.0.as_secs_f64()),
            _ => "-".to_string(),
        };
        for (what, t) in [("hand SQL", hand_t), ("its SQL", sql_t)] {
            if let Some((_, rows)) = t {
                if rows != ours_t.1 {
                    eprintln!(
                        "warning: {name}: factstore gave {} rows, {what} {rows}",
                        ours_t.1
                    );
                }
            }
        }
        println!(
            "{name:<4} {shown:<50} {:>10} {:>10} {:>10} {:>7} {:>7} {:>7}",
            cell(Some(ours_t)),
            cell(sql_t),
            cell(hand_t),
            ratio(Some(ours_t), hand_t),
            ratio(sql_t, hand_t),
            ours_t.1
        );
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
        Some(median(ours_sql(&store, conn, &q1))),
        Some(median(|| hand(conn, &q1_sql, &[&k_mid, &y_hi, &y_lo]))),
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
        Some(median(ours_sql(&store, conn, &q2))),
        Some(median(|| hand(conn, &q2_sql, &[&k_pred, &y_hi, &y_lo]))),
    );

    // q3: two hops from one entity, the second relation certainly later than the first
    // (it starts after the first has certainly ended).
    let q3 = format!("{mid} ?r1 ?x @a, ?x ?r2 ?y certainly after @a");
    // Hop 1 from the entity (and back along symmetric relations); hop 2 from ?x, which
    // is joined, so also both ways along symmetric relations: four branches.
    let hop1 = [
        ("r1.subject = ?1", "r1.object"),
        ("r1.object = ?1 AND r1.predicate IN (SELECT key FROM predicate WHERE symmetric = 1) AND r1.subject <> r1.object", "r1.subject"),
    ];
    let hop2 = [
        ("r2.subject = x.key", "r2.object"),
        ("r2.object = x.key AND r2.predicate IN (SELECT key FROM predicate WHERE symmetric = 1) AND r2.subject <> r2.object", "r2.subject"),
    ];
    let mut branches = Vec::new();
    for (c1, x_col) in hop1 {
        for (c2, y_col) in hop2 {
            branches.push(format!(
                "SELECT x.name, x.id, y.name, y.id, p1.id, p2.id FROM relation r1 \
                 JOIN entity x ON x.key = {x_col} JOIN predicate p1 ON p1.key = r1.predicate \
                 JOIN relation r2 ON {c2} JOIN entity y ON y.key = {y_col} \
                 JOIN predicate p2 ON p2.key = r2.predicate \
                 WHERE {c1} AND r1.status IN ('occurred', 'alleged') \
                 AND r2.start_lo > r1.end_hi AND r2.status IN ('occurred', 'alleged')"
            ));
        }
    }
    let q3_sql = branches.join(" UNION ALL ");
    report(
        "q3",
        &q3,
        median(|| ours(&store, &q3)),
        Some(median(ours_sql(&store, conn, &q3))),
        Some(median(|| hand(conn, &q3_sql, &[&k_mid]))),
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
        Some(median(ours_sql(&store, conn, &q4))),
        Some(median(|| hand(conn, &q4_sql, &[&k_hub0, &k_hub1]))),
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
        Some(median(ours_sql(&store, conn, &q5))),
        Some(median(|| hand(conn, &q5_sql, &[&k_hub0, &as_of]))),
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
        Some(median(ours_sql(&store, conn, &q6))),
        Some(median(|| hand(conn, &q6_sql, &[&y_hi, &y_lo]))),
    );

    // q7: the shortest chains between two entities (a breadth-first search: no single
    // SQL statement to compare with).
    let q7 = format!("path {mid} to {hub1} max 4");
    report("q7", &q7, median(|| ours(&store, &q7)), None, None);

    // q8: alias lookup and completion of a prefix.
    let catalog = store.catalog();
    let q8 = format!("alias lookup \"{mid_name}\"");
    let norm = names::normalise(&mid_name);
    report(
        "q8a",
        &q8,
        median(|| catalog.entities_named(&mid_name).expect("lookup").len()),
        None,
        Some(median(|| {
            hand(
                conn,
                "SELECT DISTINCT e.key, e.id, e.name, e.kind FROM alias a JOIN entity e \
                 ON e.key = a.entity WHERE a.norm = ?1",
                &[&norm],
            )
        })),
    );
    let prefix: String = norm.chars().take(3).collect();
    let upper = names::prefix_upper_bound(&prefix).expect("upper bound");
    let line = format!("?x visited {prefix}");
    let q8b = format!("complete `{line}`");
    report(
        "q8b",
        &q8b,
        median(|| {
            factstore::repl::complete::complete(&catalog, &line, line.len())
                .1
                .len()
        }),
        None,
        Some(median(|| {
            hand(
                conn,
                "SELECT text FROM alias WHERE norm >= ?1 AND norm < ?2 ORDER BY norm LIMIT 25",
                &[&prefix, &upper],
            )
        })),
    );
}
