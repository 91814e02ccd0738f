//! CSV and TSV output: a header row, then one record per row; null is an empty field.
//!
//! CSV follows RFC 4180 quoting (fields with commas, quotes or line breaks are quoted, quotes
//! doubled) with `\n` line ends. TSV is the "linear" TSV of PostgreSQL's COPY and of most
//! tools that read TSV: no quoting, and inside a field a backslash is written `\\`, a tab
//! `\t`, a line feed `\n` and a carriage return `\r`, so every record is one line with
//! exactly one tab between fields.

use std::borrow::Cow;

/// The two delimited formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Delimited {
    Csv,
    Tsv,
}

/// A TSV field: backslash, tab, line feed and carriage return written as `\\`, `\t`, `\n`, `\r`.
pub(crate) fn escape_tsv(text: &str) -> Cow<'_, str> {
    if !text.contains(['\\', '\t', '\n', '\r']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::tests::sample;
    use crate::output::{OutputFormat, RenderOptions};
    use crate::value::{ResultSet, Value};

    fn render(result: &ResultSet, kind: Delimited) -> String {
        let mut out = Vec::new();
        let format = match kind {
            Delimited::Csv => OutputFormat::Csv,
            Delimited::Tsv => OutputFormat::Tsv,
        };
        crate::output::render(result, format, &RenderOptions::default(), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// The text a reader gets back for a cell.
    fn expected(v: &Value) -> String {
        v.as_data_text().map(|t| t.into_owned()).unwrap_or_default()
    }

    /// Undoes `escape_tsv`.
    fn unescape_tsv(field: &str) -> String {
        let mut out = String::new();
        let mut chars = field.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('t') => out.push('\t'),
                    Some('n') => out.push('\n'),
                    Some('r') => out.push('\r'),
                    Some('\\') => out.push('\\'),
                    other => panic!("bad escape \\{other:?} in {field}"),
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn csv_reads_back_to_the_same_values() {
        let result = sample();
        let text = render(&result, Delimited::Csv);
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(header, result.columns);
        let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(records.len(), result.rows.len());
        for (record, row) in records.iter().zip(&result.rows) {
            let got: Vec<&str> = record.iter().collect();
            let want: Vec<String> = row.cells.iter().map(expected).collect();
            assert_eq!(got, want);
        }
        assert!(!text.contains('\u{200E}'));
    }

    #[test]
    fn csv_quotes_commas_quotes_and_line_breaks() {
        let result = ResultSet {
            columns: vec!["quote".into()],
            rows: vec![vec![Value::Text("he said \"no\", twice\nthen left".into())].into()],
            ..ResultSet::default()
        };
        assert_eq!(
            render(&result, Delimited::Csv),
            "quote\n\"he said \"\"no\"\", twice\nthen left\"\n"
        );
    }

    #[test]
    fn tsv_keeps_each_record_on_one_line_and_reads_back() {
        let result = sample();
        let text = render(&result, Delimited::Tsv);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), result.rows.len() + 1);
        for line in &lines {
            assert_eq!(
                line.matches('\t').count(),
                result.columns.len() - 1,
                "{line}"
            );
        }
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b'\t')
            .quoting(false)
            .from_reader(text.as_bytes());
        let header: Vec<String> = reader.headers().unwrap().iter().map(unescape_tsv).collect();
        assert_eq!(header, result.columns);
        let mut count = 0;
        for (record, row) in reader.records().zip(&result.rows) {
            let got: Vec<String> = record.unwrap().iter().map(unescape_tsv).collect();
            let want: Vec<String> = row.cells.iter().map(expected).collect();
            assert_eq!(got, want);
            count += 1;
        }
        assert_eq!(count, result.rows.len());
        assert!(!text.contains('\u{200E}'));
    }

    #[test]
    fn tsv_escapes_special_characters() {
        assert_eq!(escape_tsv("a\tb\nc\\d\re"), "a\\tb\\nc\\\\d\\re");
        assert_eq!(escape_tsv("\"quoted\", fine"), "\"quoted\", fine");
    }

    #[test]
    fn no_rows_gives_the_header_only() {
        let result = ResultSet {
            columns: vec!["x".into(), "x.id".into()],
            ..ResultSet::default()
        };
        assert_eq!(render(&result, Delimited::Csv), "x,x.id\n");
        assert_eq!(render(&result, Delimited::Tsv), "x\tx.id\n");
    }

    #[test]
    fn short_rows_are_padded_with_empty_fields() {
        let result = ResultSet {
            columns: vec!["a".into(), "b".into()],
            rows: vec![vec![Value::Int(1)].into()],
            ..ResultSet::default()
        };
        assert_eq!(render(&result, Delimited::Csv), "a,b\n1,\n");
    }
}
