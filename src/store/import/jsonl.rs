//! Reading JSON Lines: the reading thread (each line parsed, relations checked there)
//! and the items it hands, in batches and in order, to the writer; the writer's loop.

use std::borrow::Cow;
use std::collections::HashSet;
use std::io::BufRead;
use std::sync::mpsc;

use super::importer::Importer;
use super::progress::{Progress, PROGRESS_EVERY};
use super::record::{bad_record, json_type, Fault, Field, Fields, Record, RecordError};
use super::relation::{check_relation, RelationRecord};
use crate::store::db::Db;
use crate::store::StoreError;
use crate::time;

/// Batches of JSON Lines records on their way from the reading to the writing thread:
/// at most this many batches wait, so memory stays flat whatever the file's size.
pub(super) const PIPELINE_BATCHES: usize = 8;

/// Records per batch.
pub(super) const PIPELINE_BATCH: usize = 512;

/// One line of a JSON Lines file, read and (for relations) checked by the reading thread.
// Most lines are relations, so boxing the large variant would add an allocation per line
// to save space in the rare others.
#[allow(clippy::large_enum_variant)]
pub(super) enum Item {
    /// A relation record, checked, with its bounds and fingerprint.
    Relation { line: u64, relation: OwnedRelation },
    /// Any other record, as its line's text: the writer parses it again (they are few
    /// beside relations, and their checks need the store).
    Record { line: u64, text: String },
    /// The first line that could not be read or checked: the import stops there, unless
    /// an earlier record fails in the writer first.
    Bad(StoreError),
    /// The file was read to its end: the hex SHA-256 of its bytes.
    End { sha256: String },
}

/// The predicates the store holds as symmetric: the reading thread computes the mirror
/// fingerprints of their relations (and of those of predicates the file declares
/// symmetric), sparing the writer. Only a hint: the writer computes a mirror it needs and
/// was not given.
pub(super) fn symmetric_predicates(db: &Db) -> Result<HashSet<String>, StoreError> {
    // `symmetric` quoted: a reserved word in PostgreSQL.
    let ids = db
        .query_map(
            "SELECT id FROM predicate WHERE \"symmetric\" = 1",
            &[],
            |r| r.get::<String>(0),
        )
        .map_err(StoreError::db("cannot prepare the import"))?;
    Ok(ids.into_iter().collect())
}

/// Reads JSON Lines from `reader` and sends them, in batches and in order, to `out`.
/// Stops at the first bad line (sent as [`Item::Bad`]) or when the writer has stopped.
/// `symmetric`: the predicates known to be symmetric (see [`symmetric_predicates`]).
pub(super) fn read_json_lines(
    mut reader: impl BufRead,
    file: &str,
    progress: &Progress<'_>,
    out: &mpsc::SyncSender<Vec<Item>>,
    mut symmetric: HashSet<String>,
) {
    let mut buf = String::new();
    let mut line: u64 = 0;
    let mut bytes: u64 = 0;
    // The first batch grows as it fills, so that a small file's one batch stays small;
    // the next ones are made full size.
    let mut batch = Vec::new();
    // Whether the file is a history export, known from its first record.
    let mut history: Option<bool> = None;
    loop {
        buf.clear();
        line += 1;
        let item = match reader.read_line(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                bytes += n as u64;
                if line.is_multiple_of(PROGRESS_EVERY) {
                    progress.set(bytes);
                }
                let text = buf.trim_end_matches(['\n', '\r']);
                let text = if line == 1 {
                    text.strip_prefix('\u{feff}').unwrap_or(text)
                } else {
                    text
                };
                if text.trim().is_empty() {
                    continue;
                }
                read_line(file, line, text, &mut history, &mut symmetric)
            }
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => Item::Bad(bad_record(
                file,
                line,
                None,
                Fault::record("the line is not valid UTF-8"),
            )),
            Err(source) => Item::Bad(StoreError::Io {
                what: format!("cannot read {file} at line {line}"),
                source,
            }),
        };
        let last = matches!(item, Item::Bad(_));
        batch.push(item);
        if last || batch.len() == PIPELINE_BATCH {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(PIPELINE_BATCH));
            if out.send(full).is_err() || last {
                return;
            }
        }
    }
    progress.set(bytes);
    if !batch.is_empty() {
        // The writer may have stopped on an error: it reports that error.
        let _ = out.send(batch);
    }
}

/// Parses one line: a relation is checked here, any other record is passed on as text.
/// `history` says whether the file is a history export, once its first record is read;
/// `symmetric` gains the predicates the file declares symmetric.
fn read_line(
    file: &str,
    line: u64,
    text: &str,
    history: &mut Option<bool>,
    symmetric: &mut HashSet<String>,
) -> Item {
    let fields = match parse_object(file, line, text) {
        Ok(fields) => fields,
        Err(e) => return Item::Bad(e),
    };
    let rec = Record { fields: &fields };
    let is = |kind: &'static str| rec.get("type") == Some(&Field::Str(Cow::Borrowed(kind)));
    let history = *history.get_or_insert_with(|| is("history"));
    if !is("relation") {
        if is("predicate") && rec.get("symmetric") == Some(&Field::Bool(true)) {
            if let Ok(Some(id)) = rec.text("id") {
                symmetric.insert(id.to_string());
            }
        }
        return Item::Record {
            line,
            text: text.to_string(),
        };
    }
    match check_relation(&rec, history) {
        Ok(mut relation) => {
            if symmetric.contains(relation.predicate) {
                relation.mirror = Some(relation.mirrored());
            }
            Item::Relation {
                line,
                relation: OwnedRelation::new(&relation),
            }
        }
        Err(fault) => Item::Bad(bad_record(file, line, None, fault)),
    }
}

/// The fields of the JSON object on one line.
fn parse_object<'t>(file: &str, line: u64, text: &'t str) -> Result<Fields<'t>, StoreError> {
    let value: Field = serde_json::from_str(text).map_err(|e| {
        bad_record(
            file,
            line,
            Some(e.column() as u64),
            Fault::record(format!("invalid JSON: {}", json_reason(&e))),
        )
    })?;
    match value {
        Field::Object(fields) => Ok(fields),
        other => Err(bad_record(
            file,
            line,
            Some(1),
            Fault::record(format!(
                "each line must be a JSON object, found {}",
                json_type(&other)
            )),
        )),
    }
}

/// A checked relation record that owns its text, to be handed to another thread: its
/// text fields one after the other in one string (one allocation per relation).
pub(super) struct OwnedRelation {
    text: String,
    /// Where each text field lies in `text`, in the order of [`OwnedRelation::texts`];
    /// `None` when the field is absent.
    spans: [Option<(usize, usize)>; 13],
    needs_anchor: bool,
    id: Option<i64>,
    since_change: Option<i64>,
    bounds: Option<time::Bounds>,
    confidence: Option<f64>,
    fingerprint: [u8; 16],
    mirror: Option<[u8; 16]>,
}

impl OwnedRelation {
    fn texts<'r>(r: &RelationRecord<'r>) -> [Option<&'r str>; 13] {
        [
            Some(r.subject),
            Some(r.predicate),
            Some(r.object),
            r.time.when,
            r.time.from,
            r.time.to,
            r.time.at,
            Some(r.status),
            r.place,
            r.source,
            r.quote,
            r.note,
            r.reported,
        ]
    }

    fn new(r: &RelationRecord) -> OwnedRelation {
        let texts = OwnedRelation::texts(r);
        let mut text = String::with_capacity(texts.iter().flatten().map(|t| t.len()).sum());
        let spans = texts.map(|t| {
            t.map(|t| {
                let start = text.len();
                text.push_str(t);
                (start, text.len())
            })
        });
        OwnedRelation {
            text,
            spans,
            id: r.id,
            since_change: r.since_change,
            bounds: r.bounds,
            needs_anchor: r.needs_anchor,
            confidence: r.confidence,
            fingerprint: r.fingerprint,
            mirror: r.mirror,
        }
    }

    fn view(&self) -> RelationRecord<'_> {
        let [subject, predicate, object, when, from, to, at, status, place, source, quote, note, reported] =
            self.spans
                .map(|span| span.and_then(|(a, b)| self.text.get(a..b)));
        RelationRecord {
            id: self.id,
            since_change: self.since_change,
            subject: subject.unwrap_or_default(),
            predicate: predicate.unwrap_or_default(),
            object: object.unwrap_or_default(),
            time: time::TimeFields { when, from, to, at },
            bounds: self.bounds,
            reported,
            needs_anchor: self.needs_anchor,
            status: status.unwrap_or_default(),
            place,
            source,
            quote,
            note,
            confidence: self.confidence,
            fingerprint: self.fingerprint,
            mirror: self.mirror,
        }
    }
}

/// serde_json's message without its own " at line L column C" suffix (we give ours).
fn json_reason(e: &serde_json::Error) -> Cow<'_, str> {
    let full = e.to_string();
    match full.rfind(" at line ") {
        Some(i) => Cow::Owned(full[..i].to_string()),
        None => Cow::Owned(full),
    }
}

impl<'t> Importer<'t> {
    /// Writes the records the reading thread sends, in order, until the file ends or a
    /// record is bad.
    pub(super) fn write_items(
        &mut self,
        items: mpsc::Receiver<Vec<Item>>,
    ) -> Result<(), StoreError> {
        for batch in items {
            for item in batch {
                match item {
                    Item::Relation { line, relation } => {
                        match self.relation(&relation.view(), line) {
                            Ok(()) => {}
                            Err(RecordError::Fault(fault)) => {
                                return Err(self.bad(line, None, fault))
                            }
                            Err(RecordError::Store(e)) => return Err(e),
                        }
                    }
                    Item::Record { line, text } => {
                        let fields = parse_object(self.file, line, &text)?;
                        self.record(&fields, line)?;
                    }
                    Item::Bad(e) => return Err(e),
                    Item::End { sha256 } => self.sha256 = Some(sha256),
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::import::testing::*;

    #[test]
    fn invalid_json_gives_the_column() {
        let mut s = store();
        let err = jsonl(&mut s, "\n{\"type\": \"entity\", \"id\": }\n").unwrap_err();
        match err {
            StoreError::BadRecord { line, column, .. } => {
                assert_eq!(line, 2);
                assert_eq!(column, Some(26));
            }
            other => panic!("{other}"),
        }
    }

    #[test]
    fn the_first_bad_line_is_reported_whichever_thread_finds_it() {
        // Line 4 is refused by the writer (the entity disagrees with line 1), lines 5 and
        // 6 by the reader (a bad date, bad JSON), which runs ahead.
        let text = r#"{"type":"entity","id":"a","kind":"person","name":"Alpha"}
{"type":"entity","id":"b","kind":"city","name":"Beta"}
{"type":"relation","subject":"a","predicate":"p","object":"b","when":"2025-04"}
{"type":"entity","id":"a","kind":"city","name":"Alpha"}
{"type":"relation","subject":"a","predicate":"p","object":"b","when":"2025-13"}
{"type":
"#;
        let mut s = store();
        let (line, field, _) = bad(jsonl(&mut s, text).unwrap_err());
        assert_eq!((line, field.as_deref()), (4, Some("kind")));
        let without_line_4: String = text
            .lines()
            .enumerate()
            .filter(|(i, _)| *i != 3)
            .map(|(_, l)| format!("{l}\n"))
            .collect();
        let (line, field, _) = bad(jsonl(&mut s, &without_line_4).unwrap_err());
        assert_eq!((line, field.as_deref()), (4, Some("when")));
        assert_eq!(count(&s, "entity"), 0);
        assert_eq!(count(&s, "relation"), 0);
    }

    #[test]
    fn reading_stops_when_the_writer_refuses_a_record() {
        // The writer stops at line 4 while the reader has many batches still to send.
        let mut text = String::from(BASE);
        text.push_str("{\"type\":\"entity\",\"id\":\"a\",\"kind\":\"city\",\"name\":\"A\"}\n");
        for i in 0..(PIPELINE_BATCH * (PIPELINE_BATCHES + 4)) {
            text.push_str(&format!(
                "{{\"type\":\"relation\",\"subject\":\"a\",\"predicate\":\"p\",\"object\":\"b\",\"note\":\"{i}\"}}\n"
            ));
        }
        let mut s = store();
        let (line, _, _) = bad(jsonl(&mut s, &text).unwrap_err());
        assert_eq!(line, 4);
        assert_eq!(count(&s, "relation"), 0);
    }
}
