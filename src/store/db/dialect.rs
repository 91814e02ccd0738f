//! The pieces of SQL written differently per engine, each in one place: the store's
//! statements ask for a piece by the connection's [`Dialect`] and otherwise stay the
//! same text on both engines.

use super::{Dialect, Param};

/// The function giving where a text starts inside another, from 1 (0 when it does not):
/// `instr(haystack, needle)` on SQLite, `strpos(haystack, needle)` on PostgreSQL.
pub fn position_function(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => "instr",
        Dialect::Postgres => "strpos",
    }
}

/// A value above every text, the upper bound of a range of names that has none (an
/// empty prefix). SQLite: a blob, which compares greater than any text. PostgreSQL
/// cannot compare text with bytea: the highest code point, U+10FFFF (a noncharacter, so
/// no name starts with it), which the store's `COLLATE "C"` texts compare below as bytes.
pub fn text_above_all(dialect: Dialect) -> Param<'static> {
    match dialect {
        Dialect::Sqlite => Param::Blob(&[]),
        Dialect::Postgres => Param::Text("\u{10FFFF}"),
    }
}
