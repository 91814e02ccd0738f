//! Output of a report made of several result sets (`mentions`: its mentions, dates,
//! entities and known relations), in every row format:
//!
//! - table: each section under its title;
//! - JSON: one object with an array per section, keyed by the section's name;
//! - JSON Lines: every row of every section as one object whose first key, `section`,
//!   names its section;
//! - CSV and TSV: one block per section (a header row whose first column is `section`,
//!   then its rows), blocks separated by an empty line.

use std::io::{self, BufWriter, Write};

use super::{OutputFormat, RenderOptions, RowWriter};
use crate::value::{ResultSet, Value};

/// One section of a report.
#[derive(Debug, Clone)]
pub struct Section {
    /// The key of the section in JSON and the `section` column elsewhere.
    pub name: &'static str,
    /// The heading of the section in a table.
    pub title: &'static str,
    pub result: ResultSet,
}

/// Writes the sections in `format`. The graph formats draw nothing from a report: the
/// caller refuses them first; here they write the table.
pub fn render_sections(
    sections: &[Section],
    format: OutputFormat,
    opts: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut out = BufWriter::new(out);
    match format {
        OutputFormat::Json => write_json(sections, &mut out)?,
        OutputFormat::Jsonl | OutputFormat::Csv | OutputFormat::Tsv | OutputFormat::Markdown => {
            // Sections without rows write nothing, not a lone header.
            let written = sections.iter().filter(|s| !s.result.rows.is_empty());
            for (i, section) in written.enumerate() {
                if i > 0 && format != OutputFormat::Jsonl {
                    out.write_all(b"\n")?;
                }
                write_tagged(section, format, &mut out)?;
            }
        }
        OutputFormat::Table | OutputFormat::Dot | OutputFormat::Mermaid => {
            for (i, section) in sections.iter().enumerate() {
                if i > 0 {
                    out.write_all(b"\n")?;
                }
                writeln!(out, "{}", section.title)?;
                super::render(&section.result, OutputFormat::Table, opts, &mut out)?;
            }
        }
    }
    out.flush()
}

/// `{"name": [rows…], …}`: each section as the JSON output of its rows.
fn write_json(sections: &[Section], out: &mut dyn Write) -> io::Result<()> {
    out.write_all(b"{")?;
    for (i, section) in sections.iter().enumerate() {
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer(&mut *out, section.name)?;
        out.write_all(b": ")?;
        let mut array = Vec::new();
        if let Some(mut writer) =
            RowWriter::new(OutputFormat::Json, &section.result.columns, &mut array)
        {
            for row in &section.result.rows {
                writer.row(&row.cells)?;
            }
            writer.finish()?;
        }
        out.write_all(array.trim_ascii_end())?;
    }
    out.write_all(b"\n}\n")
}

/// The rows of one section with the section's name as their first column.
fn write_tagged(section: &Section, format: OutputFormat, out: &mut dyn Write) -> io::Result<()> {
    let columns: Vec<String> = std::iter::once("section".to_owned())
        .chain(section.result.columns.iter().cloned())
        .collect();
    if let Some(mut writer) = RowWriter::new(format, &columns, out) {
        let mut cells = Vec::with_capacity(columns.len());
        for row in &section.result.rows {
            cells.clear();
            cells.push(Value::Text(section.name.to_owned()));
            cells.extend(row.cells.iter().cloned());
            writer.row(&cells)?;
        }
        writer.finish()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Row;

    fn sections() -> Vec<Section> {
        let result = |columns: &[&str], rows: Vec<Vec<Value>>| ResultSet {
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows: rows.into_iter().map(Row::from).collect(),
            ..ResultSet::default()
        };
        vec![
            Section {
                name: "mentions",
                title: "Mentions",
                result: result(
                    &["text", "line"],
                    vec![
                        vec![Value::Text("باكو".into()), Value::Int(3)],
                        vec![Value::Text("Baku, \"city\"".into()), Value::Int(4)],
                    ],
                ),
            },
            Section {
                name: "dates",
                title: "Dates",
                result: result(&["text"], Vec::new()),
            },
            Section {
                name: "relations",
                title: "Known relations",
                result: result(&["id"], vec![vec![Value::Handle(7)]]),
            },
        ]
    }

    fn rendered(format: OutputFormat) -> String {
        let mut out = Vec::new();
        render_sections(&sections(), format, &RenderOptions::default(), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn json_is_one_object_of_arrays() {
        let v: serde_json::Value = serde_json::from_str(&rendered(OutputFormat::Json)).unwrap();
        assert_eq!(v["mentions"][0]["text"], "باكو");
        assert_eq!(v["mentions"][1]["line"], 4);
        assert_eq!(v["dates"], serde_json::json!([]));
        assert_eq!(v["relations"][0]["id"], 7);
    }

    #[test]
    fn jsonl_tags_each_row_with_its_section() {
        let text = rendered(OutputFormat::Jsonl);
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[2]["section"], "relations");
    }

    #[test]
    fn csv_writes_a_block_per_section() {
        let text = rendered(OutputFormat::Csv);
        assert_eq!(
            text,
            "section,text,line\nmentions,باكو,3\nmentions,\"Baku, \"\"city\"\"\",4\n\nsection,id\nrelations,7\n"
        );
        assert!(rendered(OutputFormat::Tsv).starts_with("section\ttext\tline\n"));
    }

    #[test]
    fn table_titles_each_section() {
        let text = rendered(OutputFormat::Table);
        for title in ["Mentions", "Dates", "Known relations"] {
            assert!(text.contains(title), "{text}");
        }
        assert!(text.contains("#7"), "{text}");
    }
}
