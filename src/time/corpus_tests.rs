//! The EDTF test vectors of `tests/data/edtf` (MIT, see its README): every level 0 and level 1 row accepted with
//! exactly its bounds, every invalid row refused, level 2 rows either refused or bounded
//! as the corpus says.

use serde_json::Value;

use super::{day_from_ymd, parse_date, Edge};

const CONFORMANCE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/edtf/conformance-corpus.json"
));
const LOC: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/edtf/loc-examples.json"
));

/// A corpus bound: `null` unknown, `-infinity`/`infinity` open, else `[-]Y…Y-MM-DD`.
fn expected_edge(value: &Value) -> Edge {
    match value {
        Value::Null => Edge::Unknown,
        Value::String(s) if s == "-infinity" || s == "infinity" => Edge::Open,
        Value::String(s) => {
            let (negative, rest) = match s.strip_prefix('-') {
                Some(rest) => (true, rest),
                None => (false, s.as_str()),
            };
            let parts: Vec<&str> = rest.split('-').collect();
            assert_eq!(parts.len(), 3, "corpus date {s}");
            let year: i64 = parts[0].parse().unwrap();
            let year = if negative { -year } else { year };
            let day = day_from_ymd(year, parts[1].parse().unwrap(), parts[2].parse().unwrap())
                .unwrap_or_else(|| panic!("corpus date {s} is not a date"));
            Edge::Day(day)
        }
        other => panic!("unexpected corpus bound {other}"),
    }
}

fn rows<'a>(corpus: &'a Value, group: &str) -> &'a Vec<Value> {
    corpus[group]
        .as_array()
        .unwrap_or_else(|| panic!("group {group}"))
}

fn text(row: &Value) -> &str {
    row["edtf"].as_str().unwrap()
}

#[test]
fn conformance_level_0_and_1_rows_parse_with_their_bounds() {
    let corpus: Value = serde_json::from_str(CONFORMANCE).unwrap();
    let mut checked = 0;
    for group in ["level0", "level1"] {
        for row in rows(&corpus, group) {
            let edtf = text(row);
            assert_eq!(row["valid"], Value::Bool(true), "{edtf}");
            let expr = parse_date(edtf).unwrap_or_else(|e| panic!("{edtf} refused: {e}"));
            assert_eq!(
                expr.earliest(),
                expected_edge(&row["earliest"]),
                "earliest of {edtf}"
            );
            assert_eq!(
                expr.latest(),
                expected_edge(&row["latest"]),
                "latest of {edtf}"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 31);
}

#[test]
fn conformance_invalid_rows_are_refused() {
    let corpus: Value = serde_json::from_str(CONFORMANCE).unwrap();
    let invalid = rows(&corpus, "invalid");
    assert_eq!(invalid.len(), 10);
    for row in invalid {
        let edtf = text(row);
        assert_eq!(row["valid"], Value::Bool(false), "{edtf}");
        assert!(parse_date(edtf).is_err(), "{edtf} should be refused");
    }
}

#[test]
fn conformance_level_2_rows_are_refused_or_bounded_as_the_corpus_says() {
    let corpus: Value = serde_json::from_str(CONFORMANCE).unwrap();
    let mut accepted = Vec::new();
    for row in rows(&corpus, "level2") {
        let edtf = text(row);
        let Ok(expr) = parse_date(edtf) else {
            continue;
        };
        accepted.push(edtf);
        assert_ne!(
            row.get("bounds_open"),
            Some(&Value::Bool(true)),
            "{edtf} has open bounds in the corpus and should be refused"
        );
        assert_eq!(
            expr.earliest(),
            expected_edge(&row["earliest"]),
            "earliest of {edtf}"
        );
        assert_eq!(
            expr.latest(),
            expected_edge(&row["latest"]),
            "latest of {edtf}"
        );
    }
    // The level-2 forms accepted: sub-year grouping 34 (second quarter) and unspecified
    // digits that are all rightmost (X from the right, as level 1 but over more digits).
    assert_eq!(accepted, ["2001-34", "1XXX-XX"]);
}

#[test]
fn loc_level_0_and_1_examples_parse() {
    let loc: Value = serde_json::from_str(LOC).unwrap();
    let mut checked = 0;
    for example in rows(&loc, "examples") {
        if example["level"].as_u64().is_some_and(|level| level <= 1) {
            let edtf = text(example);
            let expr = parse_date(edtf).unwrap_or_else(|e| panic!("{edtf} refused: {e}"));
            let (lo, hi) = expr.range();
            assert!(lo <= hi, "{edtf}");
            checked += 1;
        }
    }
    assert!(checked >= 30, "only {checked} level 0/1 examples");
}

#[test]
fn loc_invalid_examples_are_refused() {
    let loc: Value = serde_json::from_str(LOC).unwrap();
    let invalid = rows(&loc, "invalid");
    assert!(!invalid.is_empty());
    for example in invalid {
        let edtf = text(example);
        assert!(parse_date(edtf).is_err(), "{edtf} should be refused");
    }
}

#[test]
fn loc_level_2_examples_are_refused_or_consistent() {
    let loc: Value = serde_json::from_str(LOC).unwrap();
    for example in rows(&loc, "examples") {
        if example["level"].as_u64() == Some(2) {
            if let Ok(expr) = parse_date(text(example)) {
                let (lo, hi) = expr.range();
                assert!(lo <= hi, "{}", text(example));
            }
        }
    }
}

#[test]
fn seed_article_times_all_read() {
    use super::{relation_bounds, TimeFields};
    let seed = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/demo.jsonl"));
    let mut with_time = 0;
    for (number, line) in seed
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let record: Value = serde_json::from_str(line).unwrap();
        if let Some(published) = record["published"].as_str() {
            parse_date(published).unwrap_or_else(|e| panic!("line {}: {e}", number + 1));
        }
        if record["type"] != "relation" {
            continue;
        }
        let fields = TimeFields {
            when: record["when"].as_str(),
            from: record["from"].as_str(),
            to: record["to"].as_str(),
            at: record["at"].as_str(),
        };
        let bounds =
            relation_bounds(&fields).unwrap_or_else(|e| panic!("line {}: {e}", number + 1));
        if let Some(b) = bounds {
            assert!(
                b.start_lo <= b.start_hi && b.end_lo <= b.end_hi,
                "line {}",
                number + 1
            );
            assert!(b.start_lo <= b.end_hi, "line {}", number + 1);
            with_time += 1;
        }
    }
    assert!(with_time >= 30, "only {with_time} relations with a time");
}
