//! Dates: date expressions and EDTF (levels 0 and 1) turned into day bounds, and the four
//! bounds of a relation's time from its `when`/`from`/`to`/`at` fields.
//!
//! - [`calendar`]: days since 1970-01-01 (proleptic Gregorian) to and from dates, text.
//! - [`expr`]: [`DateExpr`], a parsed date expression, and the day bounds it gives.
//! - [`fuzzy`]: [`parse_date`] for every form of DATA.md's "Date expressions" table: the
//!   expressions analysts write (`before`/`after`, `early|mid|late`, intervals `A/B`).
//! - [`edtf`]: the single dates inside them: years, months, days, quarters, halves and EDTF.
//! - [`relation`]: [`relation_bounds`] for DATA.md's "Time of a relation" table.
//! - [`phrases`]: dates as reporters write them (`8 May 2025`, `last November`,
//!   مطلع فبراير الماضي) resolved against an anchor, and found in running text.

pub mod calendar;
pub mod edtf;
pub mod expr;
pub mod fuzzy;
pub mod phrases;
pub mod relation;

#[cfg(test)]
mod corpus_tests;

pub use calendar::{day_from_ymd, days_in_month, format_day, is_leap_year, today, ymd};
pub use expr::{DateExpr, Edge, Qualifiers};
pub use fuzzy::parse_date;
pub use phrases::{resolve_date, DateContext, Resolved};
pub use relation::{relation_bounds, relation_bounds_at, span, Bounds, TimeFields};

/// A day: days since 1970-01-01 in the proleptic Gregorian calendar.
pub type Day = i64;
/// Minus infinity: an unknown or open lower bound.
pub const NEG_INF: Day = i64::MIN;
/// Plus infinity: an unknown or open upper bound.
pub const POS_INF: Day = i64::MAX;

impl TimeError {
    /// Whether this is (or wraps, for a field) a relative date without an anchor.
    pub fn is_relative(&self) -> bool {
        match self {
            TimeError::Relative { .. } => true,
            TimeError::InField { source, .. } => source.is_relative(),
            _ => false,
        }
    }
}

/// Why a date or a relation's time cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    /// The text is not a valid date expression.
    #[error("`{text}` is not a valid date: {reason}")]
    InvalidDate {
        /// The text as given.
        text: String,
        /// Why, with what to write instead.
        reason: String,
    },
    /// A relative date (`yesterday`, `last November`) with nothing to count from.
    #[error("`{text}` is relative ({what}): {advice}")]
    Relative {
        /// The text as given.
        text: String,
        /// What kind of relative date it is.
        what: String,
        /// What to give: an anchor (`reported`, `published`, `--anchor`).
        advice: String,
    },
    /// A relation's time field holds an invalid date.
    #[error("field `{field}`: {source}")]
    InField {
        /// `when`, `from`, `to` or `at`.
        field: &'static str,
        /// What is wrong with its value.
        source: Box<TimeError>,
    },
    /// Two time fields that exclude each other were both given.
    #[error(
        "fields `{first}` and `{second}` cannot be given together: use `when` for something \
         that happened within a period, `from`/`to` for something that held over time, or \
         `at` for something observed to hold on a date"
    )]
    ConflictingFields {
        /// The first field named.
        first: &'static str,
        /// The field it conflicts with.
        second: &'static str,
    },
    /// A field that needs one date was given an interval or `before`/`after`.
    #[error("field `{field}`: `{text}` is {what}, but `{field}` takes a single date{advice}")]
    NotSingleDate {
        /// The field.
        field: &'static str,
        /// The text as given.
        text: String,
        /// What it is instead (an interval, a `before`/`after` date).
        what: &'static str,
        /// What to write instead (starts with `; ` or is empty).
        advice: &'static str,
    },
    /// `from` is later than `to`.
    #[error(
        "`from` ({from}) is later than `to` ({to}): the relation would end before it starts; \
         correct the dates or swap them"
    )]
    EndsBeforeStart {
        /// The `from` text.
        from: String,
        /// The `to` text.
        to: String,
    },
}
