//! `mentions`, one text end to end (ARTICLES.md, "Mentions"): what the store finds in the
//! text ([`Store::mentions`]) as the sections the output prints — every mention, the date
//! phrases, a summary per entity, and the relations already known between the entities
//! mentioned — for the CLI (`factstore mentions FILE|-`) and the REPL (`.mentions FILE`).

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use crate::lang;
use crate::names::mentions::{Mention, Weak};
use crate::output::Section;
use crate::store::{MentionsFound, Store, StoreError};
use crate::time::{self, Day};
use crate::value::{ResultSet, Row, Value};

/// What can stop `mentions`.
#[derive(Debug, thiserror::Error)]
pub enum MentionsError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot read {what}: {source}")]
    Read {
        what: String,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{what} is not UTF-8 text (invalid bytes at byte {at}); convert it to UTF-8 and try again"
    )]
    NotText { what: String, at: usize },
    /// `--published` is not a date.
    #[error("--published {text:?} is not a date: {reason}. Give the day the text was published, e.g. --published 2025-04-28.")]
    Published { text: String, reason: String },
}

impl MentionsError {
    /// The exit status: 2 for a bad `--published`, the store's otherwise.
    pub fn exit_code(&self) -> i32 {
        match self {
            MentionsError::Store(e) => e.exit_code(),
            MentionsError::Read { .. } => 1,
            MentionsError::Published { .. } | MentionsError::NotText { .. } => 2,
        }
    }
}

/// The text of `file`, or of standard input for `-`.
pub fn read_text(file: &Path) -> Result<String, MentionsError> {
    let mut bytes = Vec::new();
    let (what, read) = if file.as_os_str() == "-" {
        let read = std::io::stdin().lock().read_to_end(&mut bytes);
        ("standard input".to_owned(), read)
    } else {
        let read = std::fs::File::open(file).and_then(|mut f| f.read_to_end(&mut bytes));
        (file.display().to_string(), read)
    };
    if let Err(source) = read {
        return Err(MentionsError::Read { what, source });
    }
    String::from_utf8(bytes).map_err(|e| MentionsError::NotText {
        what,
        at: e.utf8_error().valid_up_to(),
    })
}

/// The day relative dates of the text are resolved against: `--published` (its first
/// day), else today.
pub fn anchor(published: Option<&str>) -> Result<Day, MentionsError> {
    let Some(text) = published else {
        return Ok(time::today());
    };
    time::parse_date(text)
        .map(|d| d.range().0)
        .map_err(|e| MentionsError::Published {
            text: text.to_owned(),
            reason: e.to_string(),
        })
}

/// The report on `text`: sections `mentions`, `dates`, `entities`, `relations`.
pub fn report(store: &Store, text: &str, anchor: Day) -> Result<Vec<Section>, MentionsError> {
    let found = store.mentions(text)?;
    Ok(vec![
        Section {
            name: "mentions",
            title: "Mentions",
            result: mention_rows(text, &found),
        },
        Section {
            name: "dates",
            title: "Dates",
            result: date_rows(text, anchor),
        },
        Section {
            name: "entities",
            title: "Entities mentioned",
            result: entity_rows(text, &found),
        },
        Section {
            name: "relations",
            title: "Relations already known between them",
            result: found.relations,
        },
    ])
}

fn result(columns: &[&str], rows: Vec<Vec<Value>>) -> ResultSet {
    ResultSet {
        columns: columns.iter().map(|c| c.to_string()).collect(),
        rows: rows.into_iter().map(Row::from).collect(),
        ..ResultSet::default()
    }
}

fn text(s: &str) -> Value {
    Value::Text(s.to_owned())
}

fn count(n: usize) -> Value {
    Value::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

/// Why a mention is not a plain name of one entity, if it is not.
fn note(m: &Mention) -> Value {
    if m.entities.len() > 1 {
        return text("ambiguous");
    }
    match m.weak {
        Weak::No => Value::Null,
        Weak::Quoted => text("weak alias, in quotes"),
        Weak::BesideName => text("weak alias, beside another name"),
        Weak::Unsupported => text("weak alias, not counted"),
    }
}

/// One row per mention: place, the text as written, the entity (null when ambiguous:
/// `candidates` lists the ids), and a note for ambiguous names and weak aliases.
fn mention_rows(source: &str, found: &MentionsFound) -> ResultSet {
    let rows = found
        .mentions
        .iter()
        .map(|m| {
            let one = match m.entities.as_slice() {
                [key] => found.entities.get(key),
                _ => None,
            };
            let field = |f: fn(&crate::store::MentionedEntity) -> &str| {
                one.map_or(Value::Null, |e| text(f(e)))
            };
            let candidates = if m.entities.len() > 1 {
                let ids: Vec<&str> = m
                    .entities
                    .iter()
                    .filter_map(|k| found.entities.get(k))
                    .map(|e| e.id.as_str())
                    .collect();
                text(&ids.join(", "))
            } else {
                Value::Null
            };
            vec![
                count(m.line),
                count(m.column),
                count(m.start),
                count(m.end),
                text(&source[m.start..m.end]),
                field(|e| &e.id),
                field(|e| &e.name),
                field(|e| &e.kind),
                note(m),
                candidates,
            ]
        })
        .collect();
    result(
        &[
            "line",
            "column",
            "start",
            "end",
            "text",
            "id",
            "name",
            "kind",
            "note",
            "candidates",
        ],
        rows,
    )
}

/// The date phrases of the text ([`time::phrases::find`]) resolved against `anchor`, one
/// row per phrase: line, column, start, end, text, from, to, and the rule that placed it.
/// A phrase that names no day (30 February) keeps its place with no bounds and the reason
/// as its rule, so the analyst still sees it.
fn date_rows(source: &str, anchor: Day) -> ResultSet {
    let rows = time::phrases::find(source, Some(anchor))
        .into_iter()
        .map(|found| {
            let (line, column) = lang::line_col(source, found.span.start);
            let (from, to, rule) = match &found.resolved {
                Ok(resolved) => {
                    let (lo, hi) = resolved.expr.range();
                    (day(lo), day(hi), text(&resolved.rule))
                }
                Err(e) => (Value::Null, Value::Null, text(&e.to_string())),
            };
            vec![
                count(line),
                count(column),
                count(found.span.start),
                count(found.span.end),
                text(&found.text),
                from,
                to,
                rule,
            ]
        })
        .collect();
    result(
        &[
            "line", "column", "start", "end", "text", "from", "to", "rule",
        ],
        rows,
    )
}

/// A day as `YYYY-MM-DD`; null for an open side.
fn day(d: Day) -> Value {
    time::format_day(d).map_or(Value::Null, Value::Text)
}

/// One row per entity that counted mentions name, in order of first mention: how many
/// mentions, where the first is, and the spellings the text uses.
fn entity_rows(source: &str, found: &MentionsFound) -> ResultSet {
    struct Tally<'a> {
        first: &'a Mention,
        mentions: usize,
        spellings: Vec<&'a str>,
    }
    let mut order = Vec::new();
    let mut tallies: BTreeMap<i64, Tally> = BTreeMap::new();
    for m in found.mentions.iter().filter(|m| m.counts()) {
        let key = m.entities[0];
        let tally = tallies.entry(key).or_insert_with(|| {
            order.push(key);
            Tally {
                first: m,
                mentions: 0,
                spellings: Vec::new(),
            }
        });
        tally.mentions += 1;
        let spelling = &source[m.start..m.end];
        if !tally.spellings.contains(&spelling) {
            tally.spellings.push(spelling);
        }
    }
    let rows = order
        .iter()
        .filter_map(|key| Some((found.entities.get(key)?, tallies.get(key)?)))
        .map(|(e, t)| {
            vec![
                text(&e.id),
                text(&e.name),
                text(&e.kind),
                count(t.mentions),
                count(t.first.line),
                count(t.first.column),
                text(&t.spellings.join(" | ")),
            ]
        })
        .collect();
    result(
        &[
            "id",
            "name",
            "kind",
            "mentions",
            "first_line",
            "first_column",
            "spellings",
        ],
        rows,
    )
}
