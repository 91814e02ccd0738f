//! Tests only: one scenario on both engines. A SQLite store filled by the importer, and
//! a PostgreSQL store (in a fresh schema of the test server) holding the same rows,
//! copied table by table, so that a test runs the same entry on both and compares what
//! they give. Without a server, [`postgres_copy`] gives None and the test skips its
//! PostgreSQL half (the harness says so once).

use super::db::{Cell, Param, ToParam};
use super::pg_server;
use super::{Mode, Store, Target};

/// The tables copied, parents before children; the tables the PostgreSQL schema's
/// triggers keep (`name_word`, the counts, `name_generation`) are filled by those, and
/// `relation_text` is written from the relations' texts as the store writes it.
const TABLES: &[&str] = &[
    "change",
    "source",
    "entity",
    "alias",
    "weak_alias",
    "predicate",
    "relation",
    "relation_version",
    "entity_version",
    "predicate_version",
    "source_version",
    "saved_query",
];

/// A SQLite store in memory holding `jsonl` (JSON Lines), imported.
pub(crate) fn sqlite_store(jsonl: &str) -> Store {
    let mut store = Store::open_in_memory().expect("an in-memory store");
    store
        .import(
            jsonl.as_bytes(),
            super::ImportFormat::JsonLines,
            "test.jsonl",
            Default::default(),
        )
        .expect("the test data imports");
    store
}

/// The demo data (data/demo.jsonl) in a SQLite store.
pub(crate) fn demo_sqlite() -> Store {
    sqlite_store(include_str!("../../data/demo.jsonl"))
}

/// A new PostgreSQL store in a fresh schema of the test server, or None without one.
pub(crate) fn postgres_store() -> Option<Store> {
    pg_server::server().map(postgres_store_on)
}

/// A new, empty store in a schema of its own on `server`.
pub(crate) fn postgres_store_on(server: &pg_server::Server) -> Store {
    let target = Target::Postgres {
        conninfo: server.conninfo().to_owned(),
        schema: server.fresh_schema(),
    };
    Store::open_target(&target, Mode::Create).expect("a new PostgreSQL store")
}

/// A PostgreSQL store holding the rows of `sqlite`, or None without a server.
pub(crate) fn postgres_copy(sqlite: &Store) -> Option<Store> {
    let pg = postgres_store()?;
    let from = sqlite.connection();
    let to = pg.db();
    to.execute_batch("BEGIN; SET CONSTRAINTS ALL DEFERRED")
        .expect("a transaction");
    for table in TABLES {
        let mut stmt = from
            .prepare(&format!("SELECT * FROM {table}"))
            .expect("a table of the store");
        let columns: Vec<String> = stmt.column_names().map(|c| format!("\"{c}\"")).collect();
        let marks: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
        let insert = format!(
            "INSERT INTO {table} ({}) VALUES ({})",
            columns.join(", "),
            marks.join(", ")
        );
        let mut rows = stmt.query([]).expect("the table's rows");
        while let Some(row) = rows.next().expect("a row") {
            let cells: Vec<Param<'_>> = (0..columns.len())
                .map(|i| param(Cell::from(row.get_ref(i).expect("a cell"))))
                .collect();
            let params: Vec<&dyn ToParam> = cells.iter().map(|c| c as &dyn ToParam).collect();
            to.execute(&insert, &params)
                .unwrap_or_else(|e| panic!("copying a row of {table}: {e}"));
        }
    }
    // The text index holds the texts folded as names are (see schema/postgres).
    let texts: Vec<(i64, Option<String>, Option<String>)> = from
        .prepare(
            "SELECT key, quote, note FROM relation WHERE quote IS NOT NULL OR note IS NOT NULL",
        )
        .and_then(|mut s| {
            s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect()
        })
        .expect("the relations' texts");
    for (key, quote, note) in texts {
        let fold = |t: Option<String>| t.map(|t| crate::names::normalise(&t));
        to.execute(
            "INSERT INTO relation_text (key, quote, note) VALUES (?1, ?2, ?3)",
            &[&key, &fold(quote), &fold(note)],
        )
        .expect("a row of the text index");
    }
    to.execute_batch("COMMIT").expect("the copy commits");
    Some(pg)
}

fn param(cell: Cell<'_>) -> Param<'_> {
    match cell {
        Cell::Null => Param::Null,
        Cell::Int(v) => Param::Int(v),
        Cell::Real(v) => Param::Real(v),
        Cell::Text(t) => Param::Text(t),
        Cell::Blob(b) => Param::Blob(b),
    }
}

/// The queries of the language corpus (tests/integration/corpus.rs), as (name, query):
/// the string literals of its `CORPUS` table, two by two.
pub(crate) fn corpus() -> Vec<(String, String)> {
    let text = include_str!("../../tests/integration/corpus.rs");
    let start = text.find("const CORPUS").expect("the corpus table");
    let body = &text[start..];
    let body = &body[..body.find("\n];").expect("the table's end")];
    let mut literals = Vec::new();
    for line in body.lines().skip(1) {
        let line = line.trim_start();
        if line.starts_with("//") {
            continue;
        }
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            if c != '"' {
                continue;
            }
            let mut s = String::new();
            while let Some(c) = chars.next() {
                match c {
                    '"' => break,
                    '\\' => match chars.next() {
                        Some('n') => s.push('\n'),
                        Some('t') => s.push('\t'),
                        Some(other) => s.push(other),
                        None => {}
                    },
                    c => s.push(c),
                }
            }
            literals.push(s);
        }
    }
    assert!(literals.len() % 2 == 0, "the corpus is pairs: {literals:?}");
    literals
        .chunks(2)
        .map(|p| (p[0].clone(), p[1].clone()))
        .collect()
}
