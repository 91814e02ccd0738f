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

/// The year (0 to 9999) of the day number `expr` (days since 1970-01-01), as an integer.
/// SQLite: by its calendar functions. PostgreSQL has no year 0 (it writes 1 BC): the
/// year is read from the date the schema's `iso_date_of_day` writes as SQLite does.
pub fn year_of_day(dialect: Dialect, expr: &str) -> String {
    match dialect {
        Dialect::Sqlite => format!("CAST(strftime('%Y', {expr} * 86400, 'unixepoch') AS INTEGER)"),
        Dialect::Postgres => format!("CAST(substr(iso_date_of_day({expr}), 1, 4) AS BIGINT)"),
    }
}

/// `expr` is one of the list bound to `param` ([`Param::Ints`], [`Param::Texts`]):
/// SQLite's `IN rarray(?N)` (a table-valued function of the list), PostgreSQL's
/// `= ANY(?N)` (an array).
pub fn in_list(dialect: Dialect, expr: &str, param: &str) -> String {
    match dialect {
        Dialect::Sqlite => format!("{expr} IN rarray({param})"),
        Dialect::Postgres => format!("{expr} = ANY({param})"),
    }
}
