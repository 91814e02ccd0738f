//! Output: renders a result set as a table (or, after `| timeline`, a timeline), JSON,
//! JSON Lines, CSV, TSV or a markdown table to any writer.
//!
//! Only the table and the timeline are for people: they alone are aligned, cut to the
//! terminal's width, marked for right-to-left text and, when asked, coloured. The other
//! formats carry the values unchanged for programs.

mod axis;
mod delimited;
mod expanded;
pub mod file;
mod graph;
mod json;
mod layout;
mod pager;
mod sections;
mod stream;
mod table;
mod text;
mod timeline;

use std::io::{self, BufWriter, Write};

use crate::value::ResultSet;

pub use pager::Pager;
pub use sections::{render_sections, Section};
pub use stream::RowWriter;
pub use table::TableWriter;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum OutputFormat {
    /// Aligned columns for a terminal; a timeline when the query ended with `| timeline`.
    Table,
    /// One JSON array of objects keyed by column name.
    Json,
    /// JSON Lines: one object per line.
    Jsonl,
    /// Comma-separated values with a header row.
    Csv,
    /// Tab-separated values with a header row; tabs, line breaks and backslashes escaped.
    Tsv,
    /// A GitHub markdown table: a header row, its separator, one row per line; `|` in a
    /// cell escaped, line breaks as `<br>`.
    Markdown,
    /// Graphviz DOT: entities as nodes (shaped by kind), relations as edges.
    Dot,
    /// Mermaid flowchart: entities as nodes (shaped by kind), relations as edges.
    Mermaid,
}

impl OutputFormat {
    /// The formats that write the rows (the others draw a graph).
    pub const ROWS: [OutputFormat; 6] = [
        OutputFormat::Table,
        OutputFormat::Json,
        OutputFormat::Jsonl,
        OutputFormat::Csv,
        OutputFormat::Tsv,
        OutputFormat::Markdown,
    ];

    /// The graph formats, which draw entities and relations rather than rows.
    pub fn is_graph(self) -> bool {
        matches!(self, OutputFormat::Dot | OutputFormat::Mermaid)
    }
}

/// Expanded display (psql's `\x`): table rows shown as records, one field per line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Expanded {
    /// Always a table; cut to the width when it cannot fit otherwise.
    Off,
    /// Always records.
    On,
    /// Records when the table cannot fit the width without cutting what must be whole.
    #[default]
    Auto,
}

/// How to render for the place the output goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RenderOptions {
    /// The terminal's width in columns that tables and timelines fit into; `None` for no
    /// limit (tables are not cut; timelines use a default chart width).
    pub width: Option<usize>,
    /// ANSI styles (bold headers, dim nulls) in table and timeline output; never used by the
    /// other formats.
    pub color: bool,
    /// Whether table rows are shown as records.
    pub expanded: Expanded,
    /// Tables without their header row, CSV and TSV without their header line (the
    /// REPL's `.headers off`, the CLI's `--no-header`); JSON keeps its keys, and a
    /// markdown table its header, which markdown requires.
    pub no_header: bool,
}

impl RenderOptions {
    /// The options for stdout: the width of [`output_width`], colour as [`use_color`]
    /// says, and `expanded`.
    pub fn for_stdout(stdout_is_terminal: bool, expanded: Expanded) -> RenderOptions {
        RenderOptions {
            width: output_width(stdout_is_terminal),
            color: use_color(stdout_is_terminal),
            expanded,
            no_header: false,
        }
    }
}

/// Whether tables and timelines are coloured: on a terminal, unless `NO_COLOR` is set to
/// anything but the empty string (no-color.org).
pub fn use_color(stdout_is_terminal: bool) -> bool {
    stdout_is_terminal && colour_allowed()
}

/// The width tables fit into: `COLUMNS` when it is set to a number (the user asked, so
/// even piped output follows it), else the terminal's width when stdout is one, else no
/// limit (piped tables are never cut).
pub fn output_width(stdout_is_terminal: bool) -> Option<usize> {
    let asked = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0);
    asked.or_else(|| {
        stdout_is_terminal
            .then(terminal_dimensions)
            .flatten()
            .map(|(w, _)| w)
    })
}

/// The terminal's columns and lines. The library without the command line (no `cli`
/// feature, so no `terminal_size`) knows no terminal: `COLUMNS` and `LINES` still apply.
pub(crate) fn terminal_dimensions() -> Option<(usize, usize)> {
    #[cfg(feature = "cli")]
    {
        terminal_size::terminal_size().map(|(w, h)| (usize::from(w.0), usize::from(h.0)))
    }
    #[cfg(not(feature = "cli"))]
    {
        None
    }
}

/// Writes the result in the format to `out`.
pub fn render(
    result: &ResultSet,
    format: OutputFormat,
    opts: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut out = BufWriter::new(out);
    match format {
        OutputFormat::Table if result.timeline => timeline::write_timeline(result, opts, &mut out)?,
        OutputFormat::Table => {
            let mut writer = TableWriter::new(&result.columns, &result.repeated, *opts, &mut out)
                .with_chunk(result.rows.len());
            for row in &result.rows {
                writer.row(&row.cells)?;
            }
            writer.finish()?;
        }
        OutputFormat::Json
        | OutputFormat::Jsonl
        | OutputFormat::Csv
        | OutputFormat::Tsv
        | OutputFormat::Markdown => {
            if let Some(writer) = RowWriter::new(format, &result.columns, &mut out) {
                let mut writer = writer.with_header(!opts.no_header);
                for row in &result.rows {
                    writer.row(&row.cells)?;
                }
                writer.finish()?;
            }
        }
        OutputFormat::Dot => graph::write_dot(result, &mut out)?,
        OutputFormat::Mermaid => graph::write_mermaid(result, &mut out)?,
    }
    out.flush()
}

/// The line that closes a table or timeline: `(1 row)`, `(3 rows)`.
fn row_count_line(rows: usize) -> String {
    if rows == 1 {
        "(1 row)".to_owned()
    } else {
        format!("({rows} rows)")
    }
}

/// May output use colours and styles? Not when the environment variable NO_COLOR is set
/// to anything but the empty string (no-color.org; `--no-color` sets it).
pub fn colour_allowed() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::value::{Row, Value};

    /// A small result with nulls, numbers, Arabic and CJK text, and a quote holding commas,
    /// quotes, a tab and a line break.
    pub(crate) fn sample() -> ResultSet {
        let text = |s: &str| Value::Text(s.to_owned());
        ResultSet {
            columns: ["who", "who.id", "count", "share", "quote"]
                .map(String::from)
                .to_vec(),
            rows: [
                vec![
                    text("Masoud Pezeshkian"),
                    text("pezeshkian"),
                    Value::Int(2),
                    Value::Real(0.5),
                    text("He said, \"we came as friends\"\tand left.\nThen: more"),
                ],
                vec![
                    text("إلهام علييف"),
                    text("aliyev"),
                    Value::Int(-13),
                    Value::Null,
                    text("قال: \"أهلاً\""),
                ],
                vec![
                    text("北京"),
                    Value::Null,
                    Value::Int(1234567),
                    Value::Real(2.25),
                    Value::Null,
                ],
            ]
            .into_iter()
            .map(Row::from)
            .collect(),
            ..ResultSet::default()
        }
    }

    fn render_to_string(result: &ResultSet, format: OutputFormat, opts: RenderOptions) -> String {
        let mut out = Vec::new();
        render(result, format, &opts, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[cfg(feature = "cli")]
    #[test]
    fn row_formats_are_those_that_are_not_graphs() {
        for format in OutputFormat::ROWS {
            assert!(!format.is_graph(), "{format:?}");
        }
        let graphs = [OutputFormat::Dot, OutputFormat::Mermaid];
        assert!(graphs.iter().all(|f| f.is_graph()));
        assert_eq!(
            OutputFormat::ROWS.len() + graphs.len(),
            <OutputFormat as clap::ValueEnum>::value_variants().len()
        );
    }

    #[test]
    fn every_format_renders_the_sample() {
        let result = sample();
        for format in OutputFormat::ROWS {
            let text = render_to_string(&result, format, RenderOptions::default());
            assert!(text.contains("Masoud Pezeshkian"), "{format:?}");
            assert!(text.contains("إلهام علييف"), "{format:?}");
            assert!(text.ends_with('\n'), "{format:?}");
        }
    }

    #[test]
    fn only_the_table_gets_marks_and_colours() {
        let result = sample();
        let opts = RenderOptions {
            width: Some(60),
            color: true,
            expanded: Expanded::Auto,
            no_header: false,
        };
        let table = render_to_string(&result, OutputFormat::Table, opts);
        assert!(table.contains('\u{200E}'));
        assert!(table.contains("\x1b["));
        for format in [
            OutputFormat::Json,
            OutputFormat::Jsonl,
            OutputFormat::Csv,
            OutputFormat::Tsv,
        ] {
            let text = render_to_string(&result, format, opts);
            assert!(!text.contains('\u{200E}'), "{format:?}");
            assert!(!text.contains('\x1b'), "{format:?}");
            assert!(!text.contains('…'), "{format:?}");
        }
    }

    #[test]
    fn timeline_flag_changes_only_the_table() {
        let mut result = sample();
        let plain = render_to_string(&result, OutputFormat::Json, RenderOptions::default());
        result.timeline = true;
        assert_eq!(
            render_to_string(&result, OutputFormat::Json, RenderOptions::default()),
            plain
        );
    }

    #[cfg(feature = "cli")]
    #[test]
    fn formats_parse_from_their_names() {
        use clap::ValueEnum;
        assert_eq!(
            OutputFormat::from_str("jsonl", true),
            Ok(OutputFormat::Jsonl)
        );
        assert_eq!(OutputFormat::from_str("TSV", true), Ok(OutputFormat::Tsv));
        assert!(OutputFormat::from_str("xml", true).is_err());
    }

    #[test]
    fn without_the_header_csv_and_tsv_start_with_the_rows_and_json_keeps_its_keys() {
        let result = sample();
        let opts = RenderOptions {
            no_header: true,
            ..RenderOptions::default()
        };
        for format in [OutputFormat::Csv, OutputFormat::Tsv] {
            let with = render_to_string(&result, format, RenderOptions::default());
            let without = render_to_string(&result, format, opts);
            let (header, rest) = with.split_once('\n').unwrap();
            assert!(header.starts_with("who"), "{format:?}: {with}");
            assert_eq!(without, rest, "{format:?}");
        }
        for format in [
            OutputFormat::Json,
            OutputFormat::Jsonl,
            OutputFormat::Markdown,
        ] {
            assert_eq!(
                render_to_string(&result, format, opts),
                render_to_string(&result, format, RenderOptions::default()),
                "{format:?}"
            );
        }
    }

    #[test]
    fn markdown_is_a_github_table_with_pipes_and_breaks_escaped() {
        let result = ResultSet {
            columns: vec!["who".into(), "quote".into(), "count".into()],
            rows: vec![
                Row::from(vec![
                    Value::Text("a|b".into()),
                    Value::Text("one\ntwo \\ three".into()),
                    Value::Int(2),
                ]),
                Row::from(vec![
                    Value::Text("北京".into()),
                    Value::Null,
                    Value::Real(0.5),
                ]),
            ],
            ..ResultSet::default()
        };
        assert_eq!(
            render_to_string(&result, OutputFormat::Markdown, RenderOptions::default()),
            "| who | quote | count |\n| --- | --- | --- |\n\
             | a\\|b | one<br>two \\\\ three | 2 |\n| 北京 |  | 0.5 |\n"
        );
        let empty = ResultSet {
            columns: vec!["who".into()],
            ..ResultSet::default()
        };
        assert_eq!(
            render_to_string(&empty, OutputFormat::Markdown, RenderOptions::default()),
            "| who |\n| --- |\n"
        );
    }

    #[test]
    fn row_count_line_is_singular_for_one() {
        assert_eq!(row_count_line(0), "(0 rows)");
        assert_eq!(row_count_line(1), "(1 row)");
        assert_eq!(row_count_line(3), "(3 rows)");
    }
}
