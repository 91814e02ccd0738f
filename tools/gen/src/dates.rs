//! The time of a relation: a day, a month, a span between two date expressions of the
//! forms analysts write (years, months, days, quarters, halves, `early|mid|late`), or none;
//! years 1990–2025, recent ones more likely. Month lengths come from factstore's calendar.

use factstore::time::days_in_month;

use crate::random::SplitMix64;

pub(crate) const FIRST_YEAR: u32 = 1990;
pub(crate) const LAST_YEAR: u32 = 2025;

/// A year in 1990–2025, more recent years more likely (as in a news archive).
fn pick_year(rng: &mut SplitMix64) -> u32 {
    let span = f64::from(LAST_YEAR - FIRST_YEAR + 1);
    let offset = (rng.unit().powf(0.6) * span) as u32;
    FIRST_YEAR + offset.min(LAST_YEAR - FIRST_YEAR)
}

fn pick_day(rng: &mut SplitMix64, year: u32, month: u32) -> u32 {
    1 + rng.below(u64::from(days_in_month(i64::from(year), month))) as u32
}

fn pick_month(rng: &mut SplitMix64) -> u32 {
    1 + rng.below(12) as u32
}

/// How the time of a relation is given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RelationTime {
    /// `when: X`
    When(String),
    /// `from: A`, `to: B` where B may be `..`
    Span { from: String, to: String },
    /// No time.
    Undated,
}

/// The first year the time mentions, for the manifest; `None` if undated.
pub(crate) fn start_year(time: &RelationTime) -> Option<u32> {
    let text = match time {
        RelationTime::When(x) => x,
        RelationTime::Span { from, .. } => from,
        RelationTime::Undated => return None,
    };
    text.split(|c: char| !c.is_ascii_digit())
        .find(|part| part.len() == 4)
        .and_then(|part| part.parse().ok())
}

/// A date expression for the start of a span in `year`: a year, a month, a day, or a
/// fuzzy part of a year; with the month from which a later expression in the same year
/// may start (13 if none can).
fn span_start(rng: &mut SplitMix64, year: u32) -> (String, u32) {
    match rng.below(8) {
        0 => (format!("{year}"), 13),
        1 | 2 => {
            let month = pick_month(rng);
            (format!("{year}-{month:02}"), month + 1)
        }
        3 => {
            let month = pick_month(rng);
            let day = pick_day(rng, year, month);
            (format!("{year}-{month:02}-{day:02}"), month + 1)
        }
        4 => {
            let (word, next) = *rng.pick(&[("early", 5), ("mid", 9), ("late", 13)]);
            (format!("{word} {year}"), next)
        }
        5 => {
            let quarter = 1 + rng.below(4) as u32;
            (format!("{year}-Q{quarter}"), quarter * 3 + 1)
        }
        6 => {
            let half = 1 + rng.below(2) as u32;
            (format!("{year}-H{half}"), half * 6 + 1)
        }
        _ => {
            let month = pick_month(rng);
            let (word, _) = *rng.pick(&[("early", 0), ("mid", 1), ("late", 2)]);
            (format!("{word} {year}-{month:02}"), month + 1)
        }
    }
}

/// A date expression for the end of a span: in `year`, starting no earlier than month
/// `first_month`.
fn span_end(rng: &mut SplitMix64, year: u32, first_month: u32) -> String {
    let first_month = first_month.clamp(1, 12);
    let month = first_month + rng.below(u64::from(13 - first_month)) as u32;
    match rng.below(6) {
        0 if first_month == 1 => format!("{year}"),
        0..=2 => format!("{year}-{month:02}"),
        3 => format!("{year}-{month:02}-{:02}", pick_day(rng, year, month)),
        4 if first_month <= 9 && month >= 7 => format!("late {year}"),
        _ => {
            let quarter = (month - 1) / 3 + 1;
            if (quarter - 1) * 3 + 1 >= first_month {
                format!("{year}-Q{quarter}")
            } else {
                format!("{year}-{month:02}")
            }
        }
    }
}

/// The time of a relation: 60% days, 20% months, 15% spans, 5% undated.
pub(crate) fn pick_time(rng: &mut SplitMix64) -> RelationTime {
    let roll = rng.below(100);
    if roll < 60 {
        let year = pick_year(rng);
        let month = pick_month(rng);
        let day = pick_day(rng, year, month);
        RelationTime::When(format!("{year}-{month:02}-{day:02}"))
    } else if roll < 80 {
        let year = pick_year(rng);
        let month = pick_month(rng);
        RelationTime::When(format!("{year}-{month:02}"))
    } else if roll < 95 {
        let year = pick_year(rng);
        let (from, next_month) = span_start(rng, year);
        let to = if rng.chance(0.1) {
            "..".to_string()
        } else if next_month <= 12 && (year == LAST_YEAR || rng.chance(0.3)) {
            span_end(rng, year, next_month)
        } else if year < LAST_YEAR {
            let extra = 1 + rng.below(u64::from((LAST_YEAR - year).min(6))) as u32;
            span_end(rng, year + extra, 1)
        } else {
            "..".to_string()
        };
        RelationTime::Span { from, to }
    } else {
        RelationTime::Undated
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{args, lines, run};

    /// Checks a date expression the generator writes: `..`, YYYY, YYYY-MM, YYYY-MM-DD,
    /// YYYY-Qn, YYYY-Hn, `early|mid|late` YYYY or YYYY-MM; returns (year, month-or-0).
    fn check_date(text: &str) -> Option<(u32, u32)> {
        let core = ["early ", "mid ", "late "]
            .iter()
            .find_map(|p| text.strip_prefix(p))
            .unwrap_or(text);
        let parts: Vec<&str> = core.split('-').collect();
        let year: u32 = parts.first()?.parse().ok()?;
        if !(FIRST_YEAR..=LAST_YEAR + 6).contains(&year) {
            return None;
        }
        match parts.as_slice() {
            [_] => Some((year, 0)),
            [_, q] if q.starts_with('Q') || q.starts_with('H') => {
                let n: u32 = q[1..].parse().ok()?;
                let max = if q.starts_with('Q') { 4 } else { 2 };
                (1..=max).contains(&n).then_some((year, 0))
            }
            [_, m] => {
                let m: u32 = m.parse().ok()?;
                (1..=12).contains(&m).then_some((year, m))
            }
            [_, m, d] if core == text => {
                let m: u32 = m.parse().ok()?;
                let d: u32 = d.parse().ok()?;
                ((1..=12).contains(&m) && (1..=days_in_month(i64::from(year), m)).contains(&d))
                    .then_some((year, m))
            }
            _ => None,
        }
    }

    #[test]
    fn date_kinds_and_statuses_have_the_right_shares() {
        let (text, _) = run(&args(5000, 10_000, 6));
        let (mut days, mut months, mut spans, mut undated, mut open) = (0, 0, 0, 0, 0);
        let (mut planned, mut alleged) = (0, 0);
        for rel in lines(&text).iter().filter(|v| v["type"] == "relation") {
            if let Some(when) = rel.get("when").and_then(|w| w.as_str()) {
                assert!(check_date(when).is_some(), "bad when {when}");
                match when.len() {
                    10 => days += 1,
                    7 => months += 1,
                    _ => panic!("unexpected when {when}"),
                }
            } else if let Some(from) = rel.get("from").and_then(|f| f.as_str()) {
                spans += 1;
                let from_date = check_date(from).unwrap_or_else(|| panic!("bad from {from}"));
                let to = rel["to"].as_str().expect("to");
                if to == ".." {
                    open += 1;
                } else {
                    let to_date = check_date(to).unwrap_or_else(|| panic!("bad to {to}"));
                    assert!(to_date.0 >= from_date.0, "{from} .. {to}");
                    if to_date.0 == from_date.0 && from_date.1 > 0 && to_date.1 > 0 {
                        assert!(to_date.1 > from_date.1, "{from} .. {to}");
                    }
                }
            } else {
                undated += 1;
            }
            match rel.get("status").and_then(|s| s.as_str()) {
                Some("planned") => planned += 1,
                Some("alleged") => alleged += 1,
                None => {}
                Some(other) => panic!("unexpected status {other}"),
            }
        }
        assert!((5500..=6500).contains(&days), "days {days}");
        assert!((1700..=2300).contains(&months), "months {months}");
        assert!((1200..=1800).contains(&spans), "spans {spans}");
        assert!((300..=700).contains(&undated), "undated {undated}");
        assert!(open > 0 && open < spans / 4, "open {open}");
        assert!((200..=400).contains(&planned), "planned {planned}");
        assert!((50..=150).contains(&alleged), "alleged {alleged}");
    }
}
