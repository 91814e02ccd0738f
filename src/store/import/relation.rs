//! Relations: checking a relation record (time bounds, status, confidence), its
//! fingerprint, and writing it at once when its ids resolve.

use rusqlite::OptionalExtension;

use super::importer::Importer;
use super::record::{Fault, Record, RecordError, RELATION_FIELDS};
use crate::time;

/// One relation record, checked, with its time bounds and fingerprint.
pub(super) struct RelationRecord<'r> {
    pub(super) subject: &'r str,
    pub(super) predicate: &'r str,
    pub(super) object: &'r str,
    pub(super) time: time::TimeFields<'r>,
    pub(super) bounds: Option<time::Bounds>,
    pub(super) status: &'r str,
    pub(super) place: Option<&'r str>,
    pub(super) source: Option<&'r str>,
    pub(super) quote: Option<&'r str>,
    pub(super) note: Option<&'r str>,
    pub(super) confidence: Option<f64>,
    pub(super) fingerprint: [u8; 16],
}

/// The keys a relation's ids resolve to.
struct RelationKeys {
    subject: i64,
    predicate: i64,
    object: i64,
    place: Option<i64>,
    source: Option<i64>,
}

/// Checks a relation record (no unknown field, each field's value) and computes its time
/// bounds and fingerprint.
pub(super) fn check_relation<'r>(rec: &Record<'r>) -> Result<RelationRecord<'r>, Fault> {
    rec.reject_unknown("relation", RELATION_FIELDS)?;
    read_relation(rec)
}

/// Reads a relation record's fields and computes its time bounds and fingerprint.
fn read_relation<'r>(rec: &Record<'r>) -> Result<RelationRecord<'r>, Fault> {
    let subject = rec.id("subject")?;
    let predicate = rec.id("predicate")?;
    let object = rec.id("object")?;
    let fields = time::TimeFields {
        when: rec.text("when")?,
        from: rec.text("from")?,
        to: rec.text("to")?,
        at: rec.text("at")?,
    };
    let bounds = time::relation_bounds(&fields).map_err(time_fault)?;
    let status = match rec.text("status")? {
        None => crate::model::Status::DEFAULT,
        Some(word) => word
            .parse::<crate::model::Status>()
            .map_err(|e| Fault::field("status", e.to_string()))?,
    }
    .as_str();
    let place = rec.optional_id("place")?;
    let source = rec.text("source")?;
    let quote = rec.text("quote")?;
    let note = rec.text("note")?;
    let confidence = rec.number("confidence")?;
    if let Some(c) = confidence {
        if !(0.0..=1.0).contains(&c) {
            return Err(Fault::field(
                "confidence",
                format!("{c} is out of range; confidence is a number from 0 to 1"),
            ));
        }
    }
    let mut fp = Fingerprint::new();
    for t in [subject, predicate, object] {
        fp.text(Some(t));
    }
    for t in [fields.when, fields.from, fields.to, fields.at] {
        fp.text(t);
    }
    fp.text(Some(status));
    for t in [place, source, quote, note] {
        fp.text(t);
    }
    fp.number(confidence);
    Ok(RelationRecord {
        subject,
        predicate,
        object,
        time: fields,
        bounds,
        status,
        place,
        source,
        quote,
        note,
        confidence,
        fingerprint: fp.finish(),
    })
}

/// The four bound columns of a relation: all NULL when its time is unknown.
pub(super) fn bound_columns(bounds: Option<time::Bounds>) -> [Option<i64>; 4] {
    match bounds {
        Some(b) => [
            Some(b.start_lo),
            Some(b.start_hi),
            Some(b.end_lo),
            Some(b.end_hi),
        ],
        None => [None; 4],
    }
}

/// The field a time error concerns, and why (the time module names the field; its
/// message is kept without the field prefix, which the import error adds).
fn time_fault(e: time::TimeError) -> Fault {
    use time::TimeError;
    match e {
        TimeError::InField { field, source } => Fault::field(field, source.to_string()),
        TimeError::ConflictingFields { second, .. } => Fault::field(second, e.to_string()),
        TimeError::NotSingleDate {
            field,
            text,
            what,
            advice,
        } => Fault::field(
            field,
            format!("`{text}` is {what}, but `{field}` takes a single date{advice}"),
        ),
        TimeError::EndsBeforeStart { .. } => Fault::field("to", e.to_string()),
        TimeError::InvalidDate { .. } => Fault::field("when/from/to/at", e.to_string()),
    }
}

/// A 128-bit FNV-1a hash of a relation's fields, each length-prefixed so that
/// different field splits never collide by construction.
struct Fingerprint(u128);

impl Fingerprint {
    const OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
    const PRIME: u128 = 0x0000000001000000000000000000013B;

    fn new() -> Self {
        Fingerprint(Self::OFFSET)
    }

    fn bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u128::from(b);
            self.0 = self.0.wrapping_mul(Self::PRIME);
        }
    }

    fn text(&mut self, text: Option<&str>) {
        match text {
            None => self.bytes(&[0]),
            Some(t) => {
                self.bytes(&[1]);
                self.bytes(&(t.len() as u64).to_le_bytes());
                self.bytes(t.as_bytes());
            }
        }
    }

    fn number(&mut self, n: Option<f64>) {
        match n {
            None => self.bytes(&[0]),
            Some(x) => {
                self.bytes(&[1]);
                let x = if x == 0.0 { 0.0 } else { x };
                self.bytes(&x.to_bits().to_le_bytes());
            }
        }
    }

    fn finish(self) -> [u8; 16] {
        self.0.to_be_bytes()
    }
}

impl<'t> Importer<'t> {
    pub(super) fn relation(
        &mut self,
        relation: &RelationRecord,
        line: u64,
    ) -> Result<(), RecordError> {
        let key = self.next_key;
        self.relations += 1;
        self.drop_relation_indexes_for_bulk()?;
        match self.resolve_keys(relation)? {
            Some(keys) => {
                if self.insert(relation, &keys, key)? {
                    self.written += 1;
                    self.next_key = key.saturating_add(1);
                }
            }
            None => {
                // Names an id not seen yet: resolved at the end of the file, with the key
                // it would have had now (unused if it turns out to be present already).
                self.stage(relation, line, key)?;
                self.staged += 1;
                self.next_key = key.saturating_add(1);
            }
        }
        Ok(())
    }

    /// The keys of a relation's ids, or `None` when one of its entities or its source is
    /// not (yet) in the store. A predicate not in the store is created, undeclared.
    fn resolve_keys(
        &mut self,
        relation: &RelationRecord,
    ) -> Result<Option<RelationKeys>, RecordError> {
        let predicate = self.predicate_key(relation.predicate)?;
        let Some(subject) = self.entity_key(relation.subject)? else {
            return Ok(None);
        };
        let Some(object) = self.entity_key(relation.object)? else {
            return Ok(None);
        };
        let place = match relation.place {
            None => None,
            Some(id) => match self.entity_key(id)? {
                Some(key) => Some(key),
                None => return Ok(None),
            },
        };
        let source = match relation.source {
            None => None,
            Some(id) => match self.source_key(id)? {
                Some(key) => Some(key),
                None => return Ok(None),
            },
        };
        Ok(Some(RelationKeys {
            subject,
            predicate,
            object,
            place,
            source,
        }))
    }

    fn entity_key(&mut self, id: &str) -> Result<Option<i64>, RecordError> {
        Ok(self.entities.key(id, &mut self.lookup_entity)?)
    }

    fn source_key(&mut self, id: &str) -> Result<Option<i64>, RecordError> {
        Ok(self.sources.key(id, &mut self.lookup_source)?)
    }

    /// The key of a predicate, created undeclared (and listed in the summary) when the
    /// store does not have it.
    fn predicate_key(&mut self, id: &str) -> Result<i64, RecordError> {
        if let Some(Some(key)) = self.predicates.get(id) {
            return Ok(key);
        }
        let stored: Option<i64> = self
            .lookup_predicate
            .query_row([id], |r| r.get(0))
            .optional()?;
        let key = match stored {
            Some(key) => key,
            None => {
                self.tx
                    .prepare_cached(
                        "INSERT INTO predicate(id, symmetric, declared) VALUES (?1, 0, 0)",
                    )?
                    .execute([id])?;
                self.summary.new_predicates.push(id.to_string());
                self.tx.last_insert_rowid()
            }
        };
        self.predicates.set(id, Some(key));
        Ok(key)
    }

    /// Writes a resolved relation with the given key; false when an identical relation
    /// is already stored.
    fn insert(
        &mut self,
        r: &RelationRecord,
        keys: &RelationKeys,
        key: i64,
    ) -> Result<bool, RecordError> {
        let [start_lo, start_hi, end_lo, end_hi] = bound_columns(r.bounds);
        let stmt = &mut self.insert_relation;
        stmt.raw_bind_parameter(1, key)?;
        stmt.raw_bind_parameter(2, keys.subject)?;
        stmt.raw_bind_parameter(3, keys.predicate)?;
        stmt.raw_bind_parameter(4, keys.object)?;
        stmt.raw_bind_parameter(5, r.time.when)?;
        stmt.raw_bind_parameter(6, r.time.from)?;
        stmt.raw_bind_parameter(7, r.time.to)?;
        stmt.raw_bind_parameter(8, r.time.at)?;
        stmt.raw_bind_parameter(9, start_lo)?;
        stmt.raw_bind_parameter(10, start_hi)?;
        stmt.raw_bind_parameter(11, end_lo)?;
        stmt.raw_bind_parameter(12, end_hi)?;
        stmt.raw_bind_parameter(13, r.status)?;
        stmt.raw_bind_parameter(14, keys.place)?;
        stmt.raw_bind_parameter(15, keys.source)?;
        stmt.raw_bind_parameter(16, r.quote)?;
        stmt.raw_bind_parameter(17, r.note)?;
        stmt.raw_bind_parameter(18, r.confidence)?;
        stmt.raw_bind_parameter(19, &r.fingerprint[..])?;
        Ok(stmt.raw_execute()? == 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::import::testing::*;

    #[test]
    fn reimport_adds_nothing_and_source_distinguishes_relations() {
        let mut s = store();
        let text = format!(
            "{BASE}{}\n{}\n",
            r#"{"type":"relation","subject":"a","predicate":"visited","object":"b","source":"src-1"}"#,
            r#"{"type":"relation","subject":"a","predicate":"visited","object":"b"}"#
        );
        let first = jsonl(&mut s, &text).unwrap();
        assert_eq!(first.relations.added, 2);
        assert_eq!(first.entities.added, 2);
        assert_eq!(first.aliases_added, 4);
        let again = jsonl(&mut s, &text).unwrap();
        assert_eq!(
            again.relations,
            RecordCounts {
                added: 0,
                present: 2
            }
        );
        assert_eq!(
            again.entities,
            RecordCounts {
                added: 0,
                present: 2
            }
        );
        assert_eq!(
            again.sources,
            RecordCounts {
                added: 0,
                present: 1
            }
        );
        assert_eq!(again.aliases_added, 0);
        assert!(again.new_predicates.is_empty());
        assert_eq!(count(&s, "relation"), 2);
    }

    #[test]
    fn fingerprint_separates_fields() {
        let mut a = Fingerprint::new();
        a.text(Some("ab"));
        a.text(Some("c"));
        let mut b = Fingerprint::new();
        b.text(Some("a"));
        b.text(Some("bc"));
        assert_ne!(a.finish(), b.finish());
        let mut c = Fingerprint::new();
        c.text(None);
        let mut d = Fingerprint::new();
        d.text(Some(""));
        assert_ne!(c.finish(), d.finish());
    }
}
