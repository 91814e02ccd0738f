//! factstore: an embedded fact store for analysts who follow the news.
//!
//! The stages, each with one public entry:
//! - [`lang::parse`]: query text → [`lang::ast::Statement`] (spans on every node).
//! - [`plan::resolve`]: statement + catalog (the store's names) → [`plan::Plan`].
//! - [`sql::compile`]: plan → [`sql::SqlQuery`] (one SQL text, every value a parameter).
//! - [`store::Store::query`]: runs it and gives a [`value::ResultSet`].
//! - [`output::render`]: result set → table, JSON, JSON Lines, CSV or TSV.
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
//!
//! Supporting modules: [`model`] (the data model's vocabulary: statuses, times as
//! written), [`time`] (date expressions → bounds), [`names`] (normalisation
//! and suggestions), [`statement`] (one statement end to end, for the CLI and the REPL),
//! [`stages`] (pipeline stages over rows in memory, for `path`),
//! [`error`] (the crate's error and its rendering for people), [`repl`] (the interactive
//! REPL and its piped mode), [`limits`] (every bound on a statement) and [`deadline`]
//! (`--timeout` and Ctrl-C over a whole statement).

#![forbid(unsafe_code)]
// Errors carry spans, hints and suggestions; they are built on the cold path only.
#![allow(clippy::result_large_err)]

pub mod deadline;
pub mod error;
pub mod lang;
pub mod limits;
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
