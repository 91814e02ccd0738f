//! factstore: an embedded fact store for analysts who follow the news.
//!
//! # Layout
//!
//! A statement passes through five stages, each with one public entry; only the store
//! touches a database, and `lang`, `plan` and `sql` never do:
//!
//! ```text
//!   text ──lang::parse──▶ ast::Statement ──plan::resolve──▶ plan::Plan
//!          (nom grammar,     (spans, Display    (names resolved through the
//!           errors with       that parses        store's catalog, periods to
//!           hints)            back)              bounds, kinds checked; today
//!                                                and the deadline are given)
//!
//!   plan::Plan ──sql::compile──▶ sql::SqlQuery ──store::Store──▶ value::ResultSet
//!                (one SQL text,    (query, for_each_row,   (rows: cells, time
//!                 every value a     search_paths, graph,    bounds, relation keys)
//!                 parameter)        saved queries, import,
//!                                   export, check, stats)
//!
//!   value::ResultSet ──output::render──▶ table, timeline, JSON, JSON Lines, CSV, TSV,
//!                                        DOT, Mermaid
//! ```
//!
//! - [`statement`] drives the stages for one statement, parsing, planning and compiling
//!   it once, for the CLI and the REPL alike; [`stages`] applies pipeline stages to rows
//!   in memory (`path` results).
//! - Knowledge with one owner each: [`model`] (statuses, a relation's time as written),
//!   [`time`] (date expressions and EDTF to day bounds), [`names`] (normalisation,
//!   suggestions, script direction), [`lang::keywords`] (the language's words),
//!   [`limits`] (every bound on a statement), [`deadline`] (`--timeout` and Ctrl-C over
//!   a whole statement), [`error`] (the crate's error, rendered for people at the edge).
//! - Behind the default `cli` feature: [`repl`] and [`progress`] (the import's progress
//!   bar); the binary (`src/main.rs`, `src/cli.rs`) adds the commands. A program that
//!   embeds the library turns the feature off and compiles no terminal crates.
//! - Outside the library: `tools/gen` (the benchmark data generator, a workspace
//!   member), `benches/`, `fuzz/` (cargo-fuzz targets), `tests/integration` (the real
//!   binary on real stores) and `tests/heavy` (crash safety, limits, full disks; run by
//!   CI).
//!
//! ```
//! use factstore::{lang, names, time};
//!
//! // Query text parses into a tree that prints back as canonical text.
//! let stmt = lang::parse("?who   visited Baku STATUS any").unwrap();
//! assert_eq!(stmt.to_string(), "?who visited Baku status any");
//!
//! // Names match across spellings: hamza, harakat, case and Latin accents.
//! assert_eq!(names::normalise("إلهام علييف"), names::normalise("الهام علييف"));
//! assert_eq!(names::normalise("Tehrán"), names::normalise("tehran"));
//!
//! // Fuzzy dates are day ranges.
//! let mid = time::parse_date("mid 2024").unwrap();
//! assert_eq!(mid.range(), (time::day_from_ymd(2024, 5, 1).unwrap(),
//!                          time::day_from_ymd(2024, 8, 31).unwrap()));
//! ```

#![forbid(unsafe_code)]
// Errors carry spans, hints and suggestions; they are built on the cold path only.
#![allow(clippy::result_large_err)]

pub mod deadline;
pub mod error;
pub mod lang;
pub mod limits;
pub mod mentions;
pub mod model;
pub mod names;
pub mod output;
pub mod plan;
#[cfg(feature = "cli")]
pub mod progress;
#[cfg(feature = "cli")]
pub mod repl;
pub mod sql;
pub mod stages;
pub mod statement;
pub mod store;
pub mod time;
pub mod value;
