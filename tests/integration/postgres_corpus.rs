//! The language corpus on PostgreSQL (SERVER.md: the corpus runs against both backends):
//! the seed data imported into a fresh schema through the binary, and every query of the
//! corpus gives the rows it gives on SQLite, in the same order where the query orders
//! them.

use crate::corpus::{in_defined_order, CORPUS};
use crate::postgres_server;
use crate::support::{factstore, seed_store, SEED};

#[test]
fn the_corpus_gives_the_same_rows_on_postgres() {
    let Some(server) = postgres_server::server() else {
        return;
    };
    let schema = server.fresh_schema();
    let on_postgres = |args: &[&str]| {
        let mut all = vec!["--db", server.conninfo(), "--schema", schema.as_str()];
        all.extend_from_slice(args);
        factstore(&all)
    };
    let imported = on_postgres(&["import", SEED]);
    assert_eq!(imported.status, 0, "import: {}", imported.stderr);
    let sqlite = seed_store();
    let mut differ = Vec::new();
    for (name, query) in CORPUS {
        let want = in_defined_order(query, sqlite.ok(&["query", "--format", "jsonl", query]));
        let out = on_postgres(&["query", "--format", "jsonl", query]);
        let got = in_defined_order(query, out.stdout.clone());
        if out.status != 0 || got != want {
            differ.push(format!(
                "{name}: {query}\n  sqlite: {want}\n  postgres ({}): {got}{}",
                out.status, out.stderr
            ));
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}
