//! Placing a [`Phrase`] in time: its day bounds from the anchor and the direction, and the
//! rule that applied, in words. Bounds are taken from the date expression the phrase comes
//! to (`early 2025-02`, `2024-Q1`), read by [`parse_date`], the one owner of DATA.md's
//! arithmetic.

use super::grammar::{Phrase, YearPart, YearRef};
use super::range;
use super::words::{Rel, Third, Unit};
use crate::time::calendar::{day_from_ymd, format_day, ymd};
use crate::time::edtf::MONTH_NAMES;
use crate::time::{parse_date, Day};

/// Where a phrase lies: its bounds, the date expression it comes to, and why.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Placed {
    pub(super) lo: Day,
    pub(super) hi: Day,
    /// The same date as DATA.md writes it (`early 2025-02`), or the week's first and last
    /// day for a week.
    pub(super) written: String,
    pub(super) rule: String,
}

/// Why a phrase cannot be placed.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum PlaceError {
    /// It is relative and there is no anchor: what kind of phrase it is.
    NoAnchor(&'static str),
    /// It names no date (30 February, a weekday that does not match the date).
    Invalid(String),
}

const WEEKDAY_NAMES: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// What kind of relative phrase it is, for the error when there is no anchor; `None` when
/// the phrase needs no anchor (every year is written).
pub(super) fn relative_kind(phrase: &Phrase) -> Option<&'static str> {
    let year_kind = |year: &YearRef, what| match year {
        YearRef::Given(_) => None,
        YearRef::Implicit => Some(what),
        YearRef::Own(_) | YearRef::Of(_) => Some("it counts from the date it was written"),
    };
    match phrase {
        Phrase::Day { .. } => Some("a day named from the day it was written"),
        Phrase::Weekday { .. } => Some("a weekday without a date"),
        Phrase::Date { year, .. } => year_kind(year, "a day without a year"),
        Phrase::Month { year, .. } => year_kind(year, "a month without a year"),
        Phrase::Year { year, .. } => year_kind(year, "a part of a year without a year"),
        Phrase::MonthRel { .. } | Phrase::Week { .. } | Phrase::Count { .. } => {
            Some("it counts from the date it was written")
        }
        Phrase::Range { start, end } => {
            range::is_relative(*start, *end).then_some("a range of dates without a year")
        }
    }
}

/// Places `phrase`: relative to `anchor`, looking forward when `forward` (a planned
/// relation) where the words give no direction.
pub(super) fn place(
    phrase: &Phrase,
    anchor: Option<Day>,
    forward: bool,
) -> Result<Placed, PlaceError> {
    let anchored = || match relative_kind(phrase) {
        Some(kind) => anchor.ok_or(PlaceError::NoAnchor(kind)),
        None => Ok(0),
    };
    let a = anchored()?;
    let (ay, am, _) = ymd(a);
    let looks = if forward {
        "the first one on or after the anchor (planned: looks forward)"
    } else {
        "the most recent one on or before the anchor"
    };
    match *phrase {
        Phrase::Day { offset, weekday } => {
            let day = a + offset;
            check_weekday(day, weekday)?;
            let rule = match offset {
                0 => "the anchor's day".to_string(),
                -1 => "the day before the anchor".to_string(),
                1 => "the day after the anchor".to_string(),
                n if n < 0 => format!("{} days before the anchor", -n),
                n => format!("{n} days after the anchor"),
            };
            single_day(day, rule)
        }
        Phrase::Weekday { weekday, rel } => {
            let wa = weekday_of(a);
            let back =
                |strict: i64| a - ((wa - i64::from(weekday) - strict).rem_euclid(7) + strict);
            let ahead =
                |strict: i64| a + ((i64::from(weekday) - wa - strict).rem_euclid(7) + strict);
            let name = WEEKDAY_NAMES[weekday as usize];
            let (day, rule) = match rel {
                Some(-1) => (
                    back(1),
                    format!("`last` {name}: the {name} before the anchor"),
                ),
                Some(1) => (
                    ahead(1),
                    format!("`next` {name}: the {name} after the anchor"),
                ),
                _ if forward => (ahead(0), format!("{name} without a date: {looks}")),
                _ => (back(0), format!("{name} without a date: {looks}")),
            };
            single_day(day, rule)
        }
        Phrase::Date {
            year,
            month,
            day,
            weekday,
        } => {
            let name = format!("{day} {}", month_name(month));
            let text = |y: i64| format!("{}-{month:02}-{day:02}", year_text(y));
            let (y, rule) = match year {
                YearRef::Given(y) => (y, "a date written out".to_string()),
                YearRef::Of(r) => (ay + r, year_of(r)),
                YearRef::Own(_) | YearRef::Implicit => {
                    if day > max_days(month) {
                        return Err(PlaceError::Invalid(format!(
                            "{} has at most {} days",
                            month_name(month),
                            max_days(month)
                        )));
                    }
                    let strict = if matches!(year, YearRef::Own(_)) {
                        1
                    } else {
                        0
                    };
                    let ahead =
                        matches!(year, YearRef::Own(1)) || (year == YearRef::Implicit && forward);
                    let y = choose_year(ay, a, ahead, strict, |y| {
                        day_from_ymd(y, month, day).map(|d| (d, d))
                    })
                    .ok_or_else(|| {
                        PlaceError::Invalid(format!("{name} has no year near the anchor"))
                    })?;
                    let rule = match year {
                        YearRef::Own(-1) => format!("`last` {name}: the one before the anchor"),
                        YearRef::Own(1) => format!("`next` {name}: the one after the anchor"),
                        _ => format!("{name} without a year: {looks}"),
                    };
                    (y, rule)
                }
            };
            let placed = through_expression(&text(y), rule)?;
            check_weekday(placed.lo, weekday)?;
            Ok(placed)
        }
        Phrase::Month { year, month, third } => {
            let text = |y: i64| match third {
                Some(t) => format!("{} {}-{month:02}", t.keyword(), year_text(y)),
                None => format!("{}-{month:02}", year_text(y)),
            };
            let name = month_name(month);
            let (y, rule) = match year {
                YearRef::Given(y) => (y, "a month written out".to_string()),
                YearRef::Of(r) => (ay + r, year_of(r)),
                YearRef::Own(r) => {
                    let y = match r {
                        -1 if month < am => ay,
                        -1 => ay - 1,
                        1 if month > am => ay,
                        1 => ay + 1,
                        _ => ay,
                    };
                    let rule = match r {
                        -1 => format!("`last` {name}: the {name} before the anchor's month"),
                        1 => format!("`next` {name}: the {name} after the anchor's month"),
                        _ => format!("`this` {name}: {name} of the anchor's year"),
                    };
                    (y, rule)
                }
                YearRef::Implicit => {
                    let y = choose_year(ay, a, forward, 0, |y| bounds_of(&text(y)))
                        .ok_or_else(|| PlaceError::Invalid(format!("no {name} near the anchor")))?;
                    (y, format!("{name} without a year: {looks}"))
                }
            };
            through_expression(
                &text(y),
                with_third(rule, third, "days 1–10", "days 11–20", "days 21 to the end"),
            )
        }
        Phrase::MonthRel { rel, third } => {
            let index = ay * 12 + i64::from(am) - 1 + rel;
            let (y, m) = (index.div_euclid(12), index.rem_euclid(12) as u32 + 1);
            let text = match third {
                Some(t) => format!("{} {}-{m:02}", t.keyword(), year_text(y)),
                None => format!("{}-{m:02}", year_text(y)),
            };
            let rule = match rel {
                -1 => "`last month`: the month before the anchor's",
                1 => "`next month`: the month after the anchor's",
                _ => "`this month`: the anchor's month",
            };
            through_expression(
                &text,
                with_third(
                    rule.to_string(),
                    third,
                    "days 1–10",
                    "days 11–20",
                    "days 21 to the end",
                ),
            )
        }
        Phrase::Year { year, part } => {
            let text = |y: i64| match part {
                YearPart::Whole => year_text(y),
                YearPart::Third(t) => format!("{} {}", t.keyword(), year_text(y)),
                YearPart::Quarter(n) => format!("{}-Q{n}", year_text(y)),
                YearPart::Half(n) => format!("{}-H{n}", year_text(y)),
            };
            let (y, rule) = match year {
                YearRef::Given(y) => (y, "a year written out".to_string()),
                YearRef::Of(r) | YearRef::Own(r) => (ay + r, year_of(r)),
                YearRef::Implicit => {
                    let y = choose_year(ay, a, forward, 0, |y| bounds_of(&text(y))).ok_or_else(
                        || {
                            PlaceError::Invalid(
                                "no such part of a year near the anchor".to_string(),
                            )
                        },
                    )?;
                    (y, format!("a part of a year without a year: {looks}"))
                }
            };
            let rule = match part {
                YearPart::Whole => rule,
                YearPart::Third(t) => with_third(
                    rule,
                    Some(t),
                    "January–April",
                    "May–August",
                    "September–December",
                ),
                YearPart::Quarter(n) => format!("{rule}; quarter {n}"),
                YearPart::Half(n) => format!("{rule}; half {n}"),
            };
            through_expression(&text(y), rule)
        }
        Phrase::Week { rel } => {
            let monday = a - weekday_of(a) + 7 * rel;
            let rule = match rel {
                -1 => "`last week`: the week (Monday–Sunday) before the anchor's",
                1 => "`next week`: the week (Monday–Sunday) after the anchor's",
                _ => "`this week`: the anchor's week (Monday–Sunday)",
            };
            days(monday, monday + 6, rule.to_string())
        }
        Phrase::Range { start, end } => range::place_range(start, end, anchor, forward),
        Phrase::Count { unit, count } => {
            let (what, plural) = match unit {
                Unit::Day => ("day", "days"),
                Unit::Week => ("week", "weeks"),
                Unit::Month => ("month", "months"),
                Unit::Year => ("year", "years"),
                Unit::Quarter | Unit::Half => {
                    return Err(PlaceError::Invalid(
                        "count days, weeks, months or years from a date".to_string(),
                    ))
                }
            };
            let n = count.abs();
            let rule = format!(
                "{n} {} {} the anchor",
                if n == 1 { what } else { plural },
                if count < 0 { "before" } else { "after" }
            );
            match unit {
                Unit::Day => single_day(a + count, rule),
                Unit::Week => {
                    let monday = a + 7 * count - weekday_of(a + 7 * count);
                    days(
                        monday,
                        monday + 6,
                        format!("{rule}: that week (Monday–Sunday)"),
                    )
                }
                Unit::Month => {
                    let index = ay * 12 + i64::from(am) - 1 + count;
                    let (y, m) = (index.div_euclid(12), index.rem_euclid(12) as u32 + 1);
                    through_expression(
                        &format!("{}-{m:02}", year_text(y)),
                        format!("{rule}: that month"),
                    )
                }
                _ => through_expression(&year_text(ay + count), format!("{rule}: that year")),
            }
        }
    }
}

/// The year as DATA.md writes it: at least four digits.
fn year_text(y: i64) -> String {
    if y < 0 {
        format!("-{:04}", y.unsigned_abs())
    } else {
        format!("{y:04}")
    }
}

fn month_name(month: u32) -> &'static str {
    MONTH_NAMES[(month as usize).clamp(1, 12) - 1]
}

/// The most days `month` has in any year.
fn max_days(month: u32) -> u32 {
    crate::time::days_in_month(2000, month)
}

/// 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday).
fn weekday_of(day: Day) -> i64 {
    (day + 3).rem_euclid(7)
}

fn year_of(rel: Rel) -> String {
    match rel {
        -1 => "in the year before the anchor's".to_string(),
        1 => "in the year after the anchor's".to_string(),
        0 => "in the anchor's year".to_string(),
        n => format!("{n} years from the anchor's"),
    }
}

fn with_third(rule: String, third: Option<Third>, early: &str, mid: &str, late: &str) -> String {
    match third {
        None => rule,
        Some(Third::Early) => format!("{rule}; early: {early}"),
        Some(Third::Mid) => format!("{rule}; mid: {mid}"),
        Some(Third::Late) => format!("{rule}; late: {late}"),
    }
}

/// The year of the occurrence to take: looking back, the latest whose first day is on or
/// before the anchor (strictly before when `strict`); looking forward, the earliest whose
/// last day is on or after it. Years up to eight away are tried (29 February).
fn choose_year(
    ay: i64,
    anchor: Day,
    forward: bool,
    strict: i64,
    bounds: impl Fn(i64) -> Option<(Day, Day)>,
) -> Option<i64> {
    const REACH: i64 = 8;
    if forward {
        (ay - 1..=ay + REACH).find(|&y| bounds(y).is_some_and(|(_, hi)| hi >= anchor + strict))
    } else {
        (ay - REACH..=ay + 1)
            .rev()
            .find(|&y| bounds(y).is_some_and(|(lo, _)| lo <= anchor - strict))
    }
}

fn bounds_of(text: &str) -> Option<(Day, Day)> {
    parse_date(text).ok().map(|e| e.range())
}

/// The bounds of the date expression `text`, which the phrase comes to.
fn through_expression(text: &str, rule: String) -> Result<Placed, PlaceError> {
    let expr = parse_date(text).map_err(|e| match e {
        crate::time::TimeError::InvalidDate { reason, .. } => PlaceError::Invalid(reason),
        other => PlaceError::Invalid(other.to_string()),
    })?;
    let (lo, hi) = expr.range();
    Ok(Placed {
        lo,
        hi,
        written: text.to_string(),
        rule,
    })
}

fn single_day(day: Day, rule: String) -> Result<Placed, PlaceError> {
    let text = format_day(day)
        .ok_or_else(|| PlaceError::Invalid("the day is out of range".to_string()))?;
    through_expression(&text, rule)
}

fn days(lo: Day, hi: Day, rule: String) -> Result<Placed, PlaceError> {
    match (format_day(lo), format_day(hi)) {
        (Some(first), Some(last)) => Ok(Placed {
            lo,
            hi,
            written: format!("{first}..{last}"),
            rule,
        }),
        _ => Err(PlaceError::Invalid("the week is out of range".to_string())),
    }
}

/// A weekday written with a date must be that date's weekday.
fn check_weekday(day: Day, weekday: Option<u32>) -> Result<(), PlaceError> {
    match weekday {
        Some(w) if i64::from(w) != weekday_of(day) => Err(PlaceError::Invalid(format!(
            "it names {} but {} is a {}; check the date or the anchor",
            WEEKDAY_NAMES[w as usize % 7],
            format_day(day).unwrap_or_default(),
            WEEKDAY_NAMES[weekday_of(day) as usize]
        ))),
        _ => Ok(()),
    }
}
