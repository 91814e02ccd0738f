//! The store: one SQLite file. Opening (pragmas, migrations from `schema/`), import,
//! export, checks, statistics and typed reads.
//!
//! SKELETON: the store helper replaces this file.
