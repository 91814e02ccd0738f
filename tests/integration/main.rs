//! The integration tests: one binary, driving the real `factstore` executable on real
//! SQLite files in temporary directories.

mod citus;
mod corpus;
mod dates;
mod examples;
mod fields;
mod habits;
mod history;
mod hostile;
mod interrupt;
mod lookups;
mod mentions;
mod postgres_cli;
mod postgres_corpus;
mod postgres_schema;
// The PostgreSQL server of the tests that need one (shared with the library's unit tests).
#[path = "../support/postgres.rs"]
mod postgres_server;
mod regression;
mod reliability;
mod repl;
mod scripts;
mod sorting;
mod store;
mod support;
mod tables;
mod views;
mod writes;
