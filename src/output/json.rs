//! JSON and JSON Lines output: one object per row, keyed by column name in column order.
//!
//! JSON is an array with one object per line (`[]` for no rows); JSON Lines is one object per
//! line and nothing for no rows. Nulls are `null`, numbers are numbers (a non-finite real,
//! which JSON cannot hold, is `null`), text is a string; cells missing from a short row are
//! `null`.

use std::io::{self, Write};

use crate::value::Value;

/// Writes one row as an object whose keys follow the column order.
pub(crate) fn write_object(
    columns: &[String],
    row: &[Value],
    out: &mut dyn Write,
) -> io::Result<()> {
    out.write_all(b"{")?;
    for (i, name) in columns.iter().enumerate() {
        if i > 0 {
            out.write_all(b", ")?;
        }
        serde_json::to_writer(&mut *out, name)?;
        out.write_all(b": ")?;
        serde_json::to_writer(&mut *out, row.get(i).unwrap_or(&Value::Null))?;
    }
    out.write_all(b"}")
}

#[cfg(test)]
mod tests {
    use crate::output::tests::sample;
    use crate::output::{render, OutputFormat, RenderOptions};
    use crate::value::{ResultSet, Value};

    fn json_of(result: &ResultSet) -> String {
        let mut out = Vec::new();
        render(
            result,
            OutputFormat::Json,
            &RenderOptions::default(),
            &mut out,
        )
        .unwrap();
        String::from_utf8(out).unwrap()
    }

    fn jsonl_of(result: &ResultSet) -> String {
        let mut out = Vec::new();
        render(
            result,
            OutputFormat::Jsonl,
            &RenderOptions::default(),
            &mut out,
        )
        .unwrap();
        String::from_utf8(out).unwrap()
    }

    /// The value serde_json reads back for a cell.
    fn expected(v: &Value) -> serde_json::Value {
        match v {
            Value::Null => serde_json::Value::Null,
            Value::Int(i) | Value::Handle(i) => (*i).into(),
            Value::Real(f) => serde_json::Number::from_f64(*f)
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
            Value::Text(s) => s.as_str().into(),
        }
    }

    fn check_object(object: &serde_json::Value, result: &ResultSet, row: &[Value]) {
        let map = object.as_object().unwrap();
        assert_eq!(map.len(), result.columns.len());
        for (name, cell) in result.columns.iter().zip(row) {
            assert_eq!(map[name], expected(cell), "column {name}");
        }
    }

    #[test]
    fn json_parses_back_to_the_same_values() {
        let result = sample();
        let text = json_of(&result);
        assert!(text.ends_with("]\n"));
        let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
        let rows = parsed.as_array().unwrap();
        assert_eq!(rows.len(), result.rows.len());
        for (object, row) in rows.iter().zip(&result.rows) {
            check_object(object, &result, &row.cells);
        }
        // One object per line, between the brackets.
        assert_eq!(text.lines().count(), result.rows.len() + 2);
    }

    #[test]
    fn json_keys_follow_column_order() {
        let result = sample();
        let text = json_of(&result);
        let first = text.lines().nth(1).unwrap();
        let mut at = 0;
        for name in &result.columns {
            let key = format!("\"{name}\": ");
            let found = first[at..].find(&key).map(|i| i + at);
            assert!(found.is_some(), "{name} missing or out of order in {first}");
            at = found.unwrap_or(at);
        }
    }

    #[test]
    fn json_without_rows_is_an_empty_array() {
        let result = ResultSet {
            columns: vec!["who".into()],
            ..ResultSet::default()
        };
        assert_eq!(json_of(&result), "[]\n");
        assert_eq!(jsonl_of(&result), "");
    }

    #[test]
    fn jsonl_is_one_object_per_line() {
        let result = sample();
        let text = jsonl_of(&result);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), result.rows.len());
        assert!(text.ends_with('\n'));
        for (line, row) in lines.iter().zip(&result.rows) {
            let object: serde_json::Value = serde_json::from_str(line).unwrap();
            check_object(&object, &result, &row.cells);
        }
    }

    #[test]
    fn short_rows_and_non_finite_reals_become_null() {
        let result = ResultSet {
            columns: vec!["a".into(), "b".into()],
            rows: vec![vec![Value::Real(f64::NAN)].into()],
            ..ResultSet::default()
        };
        assert_eq!(jsonl_of(&result), "{\"a\": null, \"b\": null}\n");
    }

    #[test]
    fn json_never_holds_bidi_marks() {
        assert!(!json_of(&sample()).contains('\u{200E}'));
    }
}
