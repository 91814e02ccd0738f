//! The language corpus on PostgreSQL (SERVER.md: the corpus runs against both backends):
//! the seed data imported into a fresh schema through the binary, and every query of the
//! corpus gives the rows it gives on SQLite, in the same order where the query orders
//! them.

use crate::corpus::differences_from_sqlite;
use crate::postgres_server;
use crate::support::seeded_schema;

#[test]
fn the_corpus_gives_the_same_rows_on_postgres() {
    let Some(server) = postgres_server::server() else {
        return;
    };
    let schema = server.fresh_schema();
    let on_postgres = seeded_schema(server.conninfo(), &schema);
    let differ = differences_from_sqlite(&on_postgres);
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}
