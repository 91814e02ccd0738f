//! The table of date phrases `tests/data/dates/phrases.tsv` (its README gives the
//! sources): every row resolves to its bounds, or is refused with its reason.

use super::{resolve_date, DateContext};
use crate::time::{format_day, parse_date, Day, NEG_INF, POS_INF};

const TABLE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/dates/phrases.tsv"
));

fn day(text: &str) -> Day {
    parse_date(text).unwrap_or_else(|e| panic!("{e}")).range().0
}

fn side(text: &str, open: Day) -> String {
    if text.is_empty() {
        format_day(open).unwrap_or_default()
    } else {
        format_day(day(text)).unwrap_or_default()
    }
}

#[test]
fn every_phrase_of_the_table_resolves_as_written_there() {
    let mut failures = Vec::new();
    let mut rows = 0;
    for line in TABLE
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 5, "row `{line}`");
        let (anchor, look, text, expected) = (cols[0], cols[1], cols[2], cols[3]);
        rows += 1;
        let context =
            DateContext::at((anchor != "-").then(|| day(anchor))).planned(look == "forward");
        let got = match resolve_date(text, &context) {
            Ok(r) => {
                let (lo, hi) = r.expr.range();
                format!(
                    "{}..{}",
                    format_day(lo).unwrap_or_default(),
                    format_day(hi).unwrap_or_default()
                )
            }
            Err(e) => format!("error: {e}"),
        };
        let ok = match expected.strip_prefix("error: ") {
            Some(words) => got.starts_with("error: ") && got.contains(words),
            None => {
                let (lo, hi) = expected
                    .split_once("..")
                    .unwrap_or_else(|| panic!("row `{line}`"));
                got == format!("{}..{}", side(lo, NEG_INF), side(hi, POS_INF))
            }
        };
        if !ok {
            failures.push(format!(
                "{anchor} {look} `{text}`: expected {expected}, got {got}"
            ));
        }
    }
    assert!(rows >= 150, "the table has {rows} rows");
    assert!(
        failures.is_empty(),
        "{} of {rows} rows differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
