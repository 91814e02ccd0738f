//! The query suite's statements (q1–q8 of `benches/suite.rs`) timed in one process on an
//! existing store, for comparing two builds side by side (`bench/suite_versus.py` runs
//! two builds of this program in turn). Unlike the suite it imports nothing and needs
//! no hand SQL, so a build of an earlier commit runs the same program on its own store.
//!
//! `suite_queries STORE MANIFEST REPEATS [SUFFIX]`: each query runs REPEATS times, the
//! queries taking turns (q1 q2 … q8b q1 q2 …) so a change of the machine's speed touches
//! them alike; prints one JSON object: each query's median time in microseconds and its
//! row count. SUFFIX (e.g. `as recorded at change 1`) is appended to q1–q7. With
//! `SUITE_QUERIES=q1,q7` only those run (e.g. to count one query's instructions under
//! `valgrind --tool=cachegrind`).

use std::time::{Duration, Instant};

use factstore::plan::Catalog;
use factstore::statement::{self, Outcome};
use factstore::store::{Mode, Store};

/// One query of the suite, run once: it gives its number of rows.
type Run<'a> = Box<dyn Fn() -> usize + 'a>;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 3 || args.len() > 4 {
        eprintln!("usage: suite_queries STORE MANIFEST REPEATS [SUFFIX]");
        std::process::exit(2);
    }
    let store = Store::open(&args[0], Mode::ReadOnly).expect("the store opens");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&args[1]).expect("the manifest can be read"))
            .expect("the manifest is JSON");
    let repeats: usize = args[2].parse().expect("REPEATS is a number");
    let suffix = args.get(3).map(|s| format!(" {s}")).unwrap_or_default();
    let s = |v: &serde_json::Value| v.as_str().expect("a string in the manifest").to_string();
    let (hub0, hub1) = (s(&manifest["hubs"][0]["id"]), s(&manifest["hubs"][1]["id"]));
    let (mid, mid_name) = (s(&manifest["mid"]["id"]), s(&manifest["mid"]["name"]));
    let pred = s(&manifest["predicate"]["id"]);
    let year = manifest["year"]["year"].as_i64().expect("a year");
    let statements = [
        ("q1", format!("{mid} ?r ?o in {year}")),
        ("q2", format!("?a {pred} ?b in {year} | count")),
        (
            "q3",
            format!("{mid} ?r1 ?x @a, ?x ?r2 ?y certainly after @a"),
        ),
        ("q4", format!("{hub0} -- {hub1}")),
        ("q5", format!("{hub0} ?r ?x certainly as of {year}-06-30")),
        ("q6", format!("?a ?r ?b in {year} | count by ?r")),
        ("q7", format!("path {mid} to {hub1} max 4")),
    ];
    let catalog = store.catalog();
    let prefix: String = factstore::names::normalise(&mid_name)
        .chars()
        .take(3)
        .collect();
    let line = format!("?x visited {prefix}");

    let mut runs: Vec<(&str, Run<'_>)> = Vec::new();
    for (name, text) in &statements {
        let text = format!("{text}{suffix}");
        let store = &store;
        runs.push((
            name,
            Box::new(move || {
                match statement::execute(store, &text, &statement::Options::default())
                    .unwrap_or_else(|e| panic!("{text}: {e}"))
                {
                    Outcome::Rows(r) => r.rows.len(),
                    Outcome::Message(_) => 0,
                }
            }),
        ));
    }
    runs.push((
        "q8a",
        Box::new(|| catalog.entities_named(&mid_name).expect("lookup").len()),
    ));
    runs.push((
        "q8b",
        Box::new(|| {
            factstore::repl::complete::complete(&catalog, &line, line.len())
                .1
                .len()
        }),
    ));

    if let Ok(only) = std::env::var("SUITE_QUERIES") {
        let only: Vec<&str> = only.split(',').map(str::trim).collect();
        runs.retain(|(name, _)| only.contains(name));
    }
    let mut times: Vec<Vec<Duration>> = vec![Vec::with_capacity(repeats); runs.len()];
    let mut rows = vec![0; runs.len()];
    for (i, (_, run)) in runs.iter().enumerate() {
        rows[i] = run(); // warm: statements cached, pages mapped
    }
    for _ in 0..repeats {
        for (i, (_, run)) in runs.iter().enumerate() {
            let t = Instant::now();
            std::hint::black_box(run());
            times[i].push(t.elapsed());
        }
    }
    let mut out = serde_json::Map::new();
    for (i, (name, _)) in runs.iter().enumerate() {
        times[i].sort();
        let median = times[i].get(repeats / 2).copied().unwrap_or_default();
        out.insert(
            name.to_string(),
            serde_json::json!({"us": median.as_secs_f64() * 1e6, "rows": rows[i]}),
        );
    }
    println!("{}", serde_json::Value::Object(out));
}
