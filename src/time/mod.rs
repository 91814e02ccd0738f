//! Dates: date expressions and EDTF (levels 0 and 1) turned into day bounds, and the four
//! bounds of a relation's time from its `when`/`from`/`to`/`at` fields.
//!
//! SKELETON: the time helper replaces this file.

/// A day: days since 1970-01-01 in the proleptic Gregorian calendar.
pub type Day = i64;
/// Minus infinity: an unknown or open lower bound.
pub const NEG_INF: Day = i64::MIN;
/// Plus infinity: an unknown or open upper bound.
pub const POS_INF: Day = i64::MAX;
