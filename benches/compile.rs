//! Parse + plan + compile of typical queries against the seed store (criterion).

use std::collections::HashMap;

use criterion::{criterion_group, criterion_main, Criterion};
use factstore::store::{ImportFormat, ImportOptions, Store};
use factstore::{lang, plan, sql};

const SEED: &str = include_str!("../data/demo.jsonl");

fn bench(c: &mut Criterion) {
    let mut store = Store::open_in_memory().expect("store");
    store
        .import(
            SEED.as_bytes(),
            ImportFormat::JsonLines,
            "seed",
            ImportOptions::default(),
        )
        .expect("import");
    let catalog = store.catalog();
    let params = HashMap::new();
    let deadline = Default::default();
    let ctx = plan::Context {
        params: &params,
        deadline: &deadline,
        today: factstore::time::today(),
    };
    let queries = [
        ("one_clause", "?who visited Baku"),
        ("arabic", "\"بيزيشكيان\" visited ?where in 2025"),
        (
            "three_clauses",
            "?p:person president_of ?c, ?p visited ?x within 2025, not ?c -- Israel | count by ?p",
        ),
    ];
    for (name, q) in queries {
        c.bench_function(&format!("parse_plan_compile/{name}"), |b| {
            b.iter(|| {
                let stmt = lang::parse(q).expect("parses");
                let plan = plan::resolve(&stmt, q, &catalog, &ctx).expect("plans");
                let plan::Plan::Select(select) = plan else {
                    unreachable!("a query")
                };
                sql::compile(&select, sql::CompileOptions::default()).expect("compiles")
            })
        });
    }
    c.bench_function("parse_only/three_clauses", |b| {
        b.iter(|| lang::parse(queries[2].1).expect("parses"))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
