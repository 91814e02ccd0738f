//! The heavy tests: slow, timing-sensitive or needing the machine's resources (root for a
//! small tmpfs, Graphviz, /proc, a PostgreSQL server). `cargo test` leaves them out
//! (`test = false` in Cargo.toml) so it stays quick for a contributor; `.ci/run` runs
//! them with `cargo test --test heavy`.

// Shared with the integration tests; each target uses part of it.
#[allow(dead_code)]
#[path = "../integration/support.rs"]
mod support;

mod concurrency;
mod disk_full;
mod graphviz;
mod postgres;
// The PostgreSQL server of the tests that need one (shared with the library's unit tests).
#[allow(dead_code)]
#[path = "../support/postgres.rs"]
mod postgres_server;
mod resources;
mod writers;
