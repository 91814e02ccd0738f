//! Fuzz target `date`: any text given to `parse_date` and, split into fields, to
//! `relation_bounds` gives a value or an error, never a panic; what parses has ordered
//! bounds whose days convert to dates and back.
//!
//! Input: the first byte chooses which of `when`, `from`, `to`, `at` are given (one bit
//! each); the rest, split at line breaks, fills them in that order. The whole rest is
//! also parsed as one date expression.
#![no_main]

use factstore::time::{
    day_from_ymd, format_day, parse_date, relation_bounds, ymd, Day, TimeFields, NEG_INF, POS_INF,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mask, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };

    if let Ok(expr) = parse_date(text) {
        let (start_lo, start_hi) = expr.start_range();
        let (end_lo, end_hi) = expr.end_range();
        assert!(
            start_lo <= start_hi,
            "{text:?}: start {start_lo} > {start_hi}"
        );
        assert!(end_lo <= end_hi, "{text:?}: end {end_lo} > {end_hi}");
        assert!(start_lo <= end_hi, "{text:?}: ends before it starts");
        let (lo, hi) = expr.range();
        assert!(lo <= hi, "{text:?}: range {lo} > {hi}");
        for day in [start_lo, start_hi, end_lo, end_hi] {
            check_day(text, day);
        }
        let _ = expr.qualifiers();
        assert_eq!(
            parse_date(text).ok(),
            Some(expr),
            "{text:?} parses two ways"
        );
    }

    let mut parts = text.split('\n');
    let mut take = |bit: u8| {
        if mask & bit != 0 {
            parts.next()
        } else {
            None
        }
    };
    let fields = TimeFields {
        when: take(1),
        from: take(2),
        to: take(4),
        at: take(8),
    };
    match relation_bounds(&fields) {
        Ok(Some(b)) => {
            assert!(b.start_lo <= b.start_hi, "{fields:?}: {b:?}");
            assert!(b.end_lo <= b.end_hi, "{fields:?}: {b:?}");
            assert!(
                b.start_lo <= b.end_hi,
                "{fields:?} ends before it starts: {b:?}"
            );
            for day in [b.start_lo, b.start_hi, b.end_lo, b.end_hi] {
                check_day(text, day);
            }
        }
        Ok(None) => {
            let blank = |f: Option<&str>| f.is_none_or(|t| t.trim().is_empty());
            assert!(
                blank(fields.when) && blank(fields.from) && blank(fields.to) && blank(fields.at),
                "{fields:?} gave no time"
            );
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});

/// A finite day converts to a date and back, and prints.
fn check_day(text: &str, day: Day) {
    if day == NEG_INF || day == POS_INF {
        return;
    }
    let (y, m, d) = ymd(day);
    assert_eq!(
        day_from_ymd(y, m, d),
        Some(day),
        "{text:?}: day {day} is {y}-{m}-{d}"
    );
    let _ = format_day(day);
}
