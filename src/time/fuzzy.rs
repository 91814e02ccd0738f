//! The expressions analysts write around dates (DATA.md's "Date expressions"): `before` and
//! `after` a date, `early|mid|late` of a year or month, and intervals `A/B` with open (`..`)
//! or unknown (empty) sides. [`parse_date`] is the entry for every form; the single dates
//! inside (years, months, days, quarters, halves, EDTF) are read by [`edtf`](super::edtf).

use super::calendar::{day_from_ymd, last_day_of_month};
use super::edtf::parse_point;
use super::expr::{out_of_range, DateExpr, Plain, Point, Reason, Shape, Side, DATE_FORMS};
use super::{Qualifiers, TimeError};

/// Parses a date expression: any form of DATA.md's "Date expressions" table.
///
/// Surrounding whitespace is ignored; keywords (`before`, `after`, `early`, `mid`, `late`)
/// and the letters of `2024-Q1` / `2024-H2` are case-insensitive.
pub fn parse_date(text: &str) -> Result<DateExpr, TimeError> {
    parse_expr(text.trim()).map_err(|reason| TimeError::InvalidDate {
        text: text.to_string(),
        reason,
    })
}

fn parse_expr(text: &str) -> Result<DateExpr, Reason> {
    if text.is_empty() {
        return Err(format!("it is empty; {DATE_FORMS}"));
    }
    let (word, rest) = split_first_word(text);
    let shape = match word.to_ascii_lowercase().as_str() {
        "before" | "after" => {
            let keyword = word.to_ascii_lowercase();
            if rest.is_empty() {
                return Err(format!(
                    "`{keyword}` needs a date after it, e.g. {keyword} 2024-06"
                ));
            }
            if rest.contains('/') {
                return Err(format!(
                    "`{keyword}` takes one date, not an interval; write e.g. {keyword} 2024-06"
                ));
            }
            let point = parse_single(rest)?;
            if keyword == "before" {
                Shape::Before(point)
            } else {
                Shape::After(point)
            }
        }
        _ if text.contains('/') => parse_interval(text)?,
        _ => Shape::Point(parse_single(text)?),
    };
    Ok(DateExpr { shape })
}

/// The first whitespace-separated word and the trimmed rest.
fn split_first_word(text: &str) -> (&str, &str) {
    match text.find(char::is_whitespace) {
        Some(i) => (&text[..i], text[i..].trim_start()),
        None => (text, ""),
    }
}

fn parse_interval(text: &str) -> Result<Shape, Reason> {
    let (start_text, end_text) = match text.split_once('/') {
        Some(parts) => parts,
        None => return Err(format!("`{text}` is not an interval")),
    };
    if end_text.contains('/') {
        return Err("an interval has exactly one `/` (e.g. 2023-01/2024-06)".to_string());
    }
    let start = parse_side(start_text.trim(), "start")?;
    let end = parse_side(end_text.trim(), "end")?;
    match (start, end) {
        (Side::Date(s), Side::Date(e)) if s.lo > e.hi => Err(format!(
            "the interval ends ({}) before it starts ({}); put the earlier date first",
            end_text.trim(),
            start_text.trim()
        )),
        (Side::Date(_), _) | (_, Side::Date(_)) => Ok(Shape::Interval { start, end }),
        _ => Err(
            "an interval needs a date on at least one side of `/` (e.g. 1985/.., ../1985, 1985/)"
                .to_string(),
        ),
    }
}

fn parse_side(text: &str, which: &str) -> Result<Side, Reason> {
    match text {
        "" => Ok(Side::Unknown),
        ".." => Ok(Side::Open),
        _ => {
            let (word, _) = split_first_word(text);
            if matches!(word.to_ascii_lowercase().as_str(), "before" | "after") {
                return Err(format!(
                    "the {which} of an interval cannot be `{word} …`; use `..` for an open {which}"
                ));
            }
            parse_single(text).map(Side::Date)
        }
    }
}

/// One date: `early|mid|late` of a year or month, or a single EDTF-style date.
fn parse_single(text: &str) -> Result<Point, Reason> {
    let (word, rest) = split_first_word(text);
    let part = match word.to_ascii_lowercase().as_str() {
        "early" => 0,
        "mid" => 1,
        "late" => 2,
        "before" | "after" => {
            return Err(format!(
                "`{word}` cannot be nested; write one `before` or `after`"
            ));
        }
        _ => return parse_point(text),
    };
    let keyword = word.to_ascii_lowercase();
    let usage = format!(
        "`{keyword}` takes a year (e.g. {keyword} 2024) or a month (e.g. {keyword} 2025-02)"
    );
    if rest.is_empty() {
        return Err(usage);
    }
    let inner = parse_point(rest).map_err(|reason| format!("{reason} ({usage})"))?;
    let (lo, hi) = match inner.plain {
        Plain::Year(year) => {
            // Jan–Apr, May–Aug, Sep–Dec.
            let first = 1 + 4 * part;
            let last = first + 3;
            (
                day_from_ymd(year, first, 1).ok_or_else(out_of_range)?,
                last_day_of_month(year, last).ok_or_else(out_of_range)?,
            )
        }
        Plain::Month(year, month) => {
            // Days 1–10, 11–20, 21–end.
            let first = 1 + 10 * part;
            (
                day_from_ymd(year, month, first).ok_or_else(out_of_range)?,
                if part == 2 {
                    last_day_of_month(year, month).ok_or_else(out_of_range)?
                } else {
                    day_from_ymd(year, month, first + 9).ok_or_else(out_of_range)?
                },
            )
        }
        Plain::No => return Err(usage),
    };
    Ok(Point {
        lo,
        hi,
        qualifiers: Qualifiers::NONE,
        plain: Plain::No,
    })
}

#[cfg(test)]
mod tests {
    use super::super::expr::test_support::{day, range, reason};
    use super::super::{Edge, NEG_INF, POS_INF};
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn early_mid_and_late_split_years_and_months_in_thirds() {
        assert_eq!(range("early 2024"), (day(2024, 1, 1), day(2024, 4, 30)));
        assert_eq!(range("mid 2024"), (day(2024, 5, 1), day(2024, 8, 31)));
        assert_eq!(range("late 2024"), (day(2024, 9, 1), day(2024, 12, 31)));
        assert_eq!(range("early 2025-02"), (day(2025, 2, 1), day(2025, 2, 10)));
        assert_eq!(range("mid 2025-02"), (day(2025, 2, 11), day(2025, 2, 20)));
        assert_eq!(range("late 2025-02"), (day(2025, 2, 21), day(2025, 2, 28)));
        assert_eq!(range("late 2024-02"), (day(2024, 2, 21), day(2024, 2, 29)));
        assert_eq!(range("late 2025-01"), (day(2025, 1, 21), day(2025, 1, 31)));
        assert_eq!(range("EARLY \t 2024"), range("early 2024"));
        assert_eq!(range("Mid   2025-02"), range("mid 2025-02"));
        assert!(!parse_date("early 2024").unwrap().is_interval());
    }

    #[test]
    fn before_and_after_are_unknown_points_beyond_a_date() {
        let before = parse_date("before 2024-06").unwrap();
        assert_eq!(before.range(), (NEG_INF, day(2024, 5, 31)));
        assert_eq!(before.earliest(), Edge::Open);
        assert_eq!(before.latest(), Edge::Day(day(2024, 5, 31)));
        assert_eq!(before.start_range(), before.range());
        assert_eq!(before.end_range(), before.range());
        assert!(before.is_before_or_after());
        assert!(!before.is_interval());

        let after = parse_date("after 2024").unwrap();
        assert_eq!(after.range(), (day(2025, 1, 1), POS_INF));
        assert_eq!(after.earliest(), Edge::Day(day(2025, 1, 1)));
        assert_eq!(after.latest(), Edge::Open);

        assert_eq!(range("BEFORE early 2024"), (NEG_INF, day(2023, 12, 31)));
        assert_eq!(range("After  2024-Q1"), (day(2024, 4, 1), POS_INF));
        assert_eq!(
            parse_date("before 2024?").unwrap().qualifiers().symbol(),
            Some('?')
        );
        assert!(reason("before").contains("needs a date"));
        assert!(reason("before after 2024").contains("nested"));
        assert!(reason("before 2020/2021").contains("not an interval"));
    }

    #[test]
    fn intervals_give_start_and_end_ranges() {
        let both = parse_date("2023-01/2024-06").unwrap();
        assert!(both.is_interval());
        assert_eq!(both.start_range(), (day(2023, 1, 1), day(2023, 1, 31)));
        assert_eq!(both.end_range(), (day(2024, 6, 1), day(2024, 6, 30)));
        assert_eq!(both.range(), (day(2023, 1, 1), day(2024, 6, 30)));
        assert_eq!(both.earliest(), Edge::Day(day(2023, 1, 1)));
        assert_eq!(both.latest(), Edge::Day(day(2024, 6, 30)));

        let open_end = parse_date("1985-04-12/..").unwrap();
        assert_eq!(open_end.end_range(), (POS_INF, POS_INF));
        assert_eq!(open_end.range(), (day(1985, 4, 12), POS_INF));
        assert_eq!(open_end.latest(), Edge::Open);

        let open_start = parse_date("../2024").unwrap();
        assert_eq!(open_start.start_range(), (NEG_INF, NEG_INF));
        assert_eq!(open_start.end_range(), range("2024"));
        assert_eq!(open_start.earliest(), Edge::Open);

        let unknown_end = parse_date("1985/").unwrap();
        assert_eq!(unknown_end.end_range(), (day(1985, 1, 1), POS_INF));
        assert_eq!(unknown_end.latest(), Edge::Unknown);

        let unknown_start = parse_date("/1985").unwrap();
        assert_eq!(unknown_start.start_range(), (NEG_INF, day(1985, 12, 31)));
        assert_eq!(unknown_start.earliest(), Edge::Unknown);

        assert_eq!(
            parse_date("2024-Q1 / late 2024").unwrap().range(),
            (day(2024, 1, 1), day(2024, 12, 31))
        );
        assert_eq!(
            range("2004-02-01/2004"),
            (day(2004, 2, 1), day(2004, 12, 31))
        );

        assert!(reason("2005/2004").contains("before it starts"));
        assert!(reason("2024/2025/2026").contains("exactly one"));
        for empty in ["/", "../..", "../", "/.."] {
            assert!(reason(empty).contains("at least one side"), "{empty}");
        }
        assert!(reason("before 2020/2024").contains("not an interval"));
        assert!(reason("2020/after 2024").contains("cannot be"));
    }

    #[test]
    fn invalid_dates_are_refused_with_a_reason() {
        assert!(reason("2025-02-30").contains("February 2025 has 28 days"));
        assert!(reason("2025-04-31").contains("April 2025 has 30 days"));
        assert!(reason("2025-13").contains("month 13 does not exist"));
        assert!(reason("1985-00").contains("month 00 does not exist"));
        assert!(reason("2004-20").contains("month 20 does not exist"));
        assert!(reason("1985-1").contains("two digits"));
        assert!(reason("1985-01-5").contains("two digits"));
        assert!(reason("1985-01-00").contains("day 00"));
        assert!(reason("198").contains("198X"));
        assert!(reason("hello").contains("not a date"));
        assert!(reason("20050924T100000").contains("2005-09-24"));
        assert!(reason("").contains("empty"));
        assert!(reason("   ").contains("empty"));
        assert!(reason("2024-01-01-01").contains("too many parts"));
        assert!(reason("early 2024-04-05").contains("takes a year"));
        assert!(reason("early 201X").contains("takes a year"));
        assert!(reason("late").contains("takes a year"));
        assert!(reason("mid hello").contains("takes a year"));
        assert!(parse_date("today").is_err());
        assert!(parse_date("2024-").is_err());
        assert!(parse_date("2024-é").is_err());
        assert!(parse_date("y170000002").is_err());
        let message = parse_date("2025-02-30").unwrap_err().to_string();
        assert_eq!(
            message,
            "`2025-02-30` is not a valid date: February 2025 has 28 days"
        );
    }

    proptest! {
        #[test]
        fn no_text_makes_the_parser_panic(text in "\\PC{0,24}") {
            if let Ok(expr) = parse_date(&text) {
                let (lo, hi) = expr.range();
                prop_assert!(lo <= hi);
            }
        }

        #[test]
        fn date_like_text_never_panics_and_bounds_are_ordered(
            text in "(early |mid |late |before |after )?[-Y]?[0-9X]{1,5}(-[0-9XQHqh]{1,2}){0,2}(T[0-9:+Z-]{0,12})?[?~%]?(/(\\.\\.|[0-9X]{4}(-[0-9X]{2})?)?)?"
        ) {
            if let Ok(expr) = parse_date(&text) {
                let (lo, hi) = expr.range();
                prop_assert!(lo <= hi, "{}", text);
                let (slo, shi) = expr.start_range();
                let (elo, ehi) = expr.end_range();
                prop_assert!(slo <= shi && elo <= ehi, "{}", text);
            }
        }
    }
}
