//! Every limit on a statement, in one list: each is checked before the work it bounds,
//! and going past one is an error (exit status 2) that names the limit and says what to
//! do. README.md's "Limits" repeats them for users.
//!
//! | limit | where it is checked |
//! | --- | --- |
//! | [`MAX_STATEMENT_BYTES`] of statement text | [`crate::lang::parse`], before lexing; the CLI reads no more than that |
//! | [`MAX_CLAUSES`] clauses in a query | [`crate::lang::parse`], after parsing, before planning |
//! | [`MAX_NAME_CHARS`] characters of an unknown name that similar names are searched for | the planner and [`crate::names::suggest`], before any comparison |
//! | [`MAX_NOT_DEPTH`] `not` in a row | the parser |
//! | [`MAX_RUN_DEPTH`] levels of saved queries running saved queries | the planner |
//! | [`MAX_STAGES`] pipeline stages | the planner |
//! | [`MAX_BRANCHES`] ways round (combinations of clauses read both ways) | the SQL compiler, before building any SQL |
//! | [`MAX_JOIN_TABLES`] tables joined by one query | the SQL compiler, before building any SQL |
//! | [`PATH_MAX_HOPS`] hops and [`MAX_CHAINS`] chains of `path` | the planner; the path search |
//!
//! Parentheses do not nest in the language (they only hold parameter and argument
//! lists), so they need no depth limit of their own.
//!
//! Time is bounded by `--timeout` (and Ctrl-C in the REPL) over the whole statement:
//! see [`crate::deadline`].

pub use crate::lang::MAX_NOT_DEPTH;
pub use crate::plan::PATH_MAX_HOPS;
pub use crate::store::MAX_CHAINS;

/// Most bytes of text one statement may have (1 MiB): far more than any query written by
/// hand or generated from a list, and little enough that reading, lexing and parsing it
/// take a moment and a bounded amount of memory.
pub const MAX_STATEMENT_BYTES: usize = 1 << 20;

/// Most characters of an unknown name (entity, predicate, kind, label) for which similar
/// names are searched ("did you mean"): longer than any real name in any script, short
/// enough that comparing it with the store's names stays instant. A longer name is still
/// looked up as written (LANGUAGE.md: strings have any length); when it is unknown, its
/// error says that no similar names were searched for.
pub const MAX_NAME_CHARS: usize = 1000;

/// Most tables SQLite joins in one SELECT (its own limit, the width of a bitmask).
pub const MAX_JOIN_TABLES: usize = 64;

/// Most clauses (relation, kind or `not` clauses) of one query. Each relation clause is
/// one table of the query's join (its relation), besides the entity and predicate tables
/// of the variables it brings in (up to two entities and one predicate: four tables in
/// all), so more than [`MAX_JOIN_TABLES`] relation clauses can never be joined. The
/// compiler then counts the tables of the query exactly against [`MAX_JOIN_TABLES`].
pub const MAX_CLAUSES: usize = MAX_JOIN_TABLES;

/// Most branches (combinations of the ways round its relation clauses are read) one
/// query may have: each is a SELECT of its own in the SQL.
pub const MAX_BRANCHES: usize = 64;

/// How deep saved queries may run saved queries (through `run` in a stored body).
pub const MAX_RUN_DEPTH: usize = 8;

/// Most pipeline stages (after repeated `limit`s and `distinct`s are merged) a query may
/// have: each reshaping stage nests the SQL one level deeper.
pub const MAX_STAGES: usize = 64;
