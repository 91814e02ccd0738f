//! Output: renders a result set as a table, JSON, JSON Lines, CSV or TSV to any writer.
//!
//! SKELETON: the output helper replaces this file.
