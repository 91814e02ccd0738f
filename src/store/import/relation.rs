//! Relations: checking a relation record (time bounds, status, confidence), its
//! fingerprints (as written and mirrored), and writing it at once when its ids resolve.

use rusqlite::CachedStatement;

use super::importer::{Importer, PredicateUse, LOOKUP_ENTITY_SQL, LOOKUP_SOURCE_SQL};
use super::record::{Fault, Record, RecordError, HISTORY_RELATION_FIELDS, RELATION_FIELDS};
use super::staging::{INSERT_RELATION_SQL, INSERT_SYMMETRIC_RELATION_SQL};
use crate::store::db::{Db, DbError, Param, ToParam};
use crate::time;

/// One relation record, checked, with its time bounds and fingerprints.
pub(super) struct RelationRecord<'r> {
    /// The id the record gives (`"id": 412`), to be kept.
    pub(super) id: Option<i64>,
    /// The change that made it, in a history export.
    pub(super) since_change: Option<i64>,
    pub(super) subject: &'r str,
    pub(super) predicate: &'r str,
    pub(super) object: &'r str,
    pub(super) time: time::TimeFields<'r>,
    pub(super) bounds: Option<time::Bounds>,
    /// `reported D`: the day the relation was reported, the anchor of its relative dates.
    pub(super) reported: Option<&'r str>,
    /// Its bounds are resolved once written, against `reported` or its source's
    /// `published` date ([`crate::store::anchor`]): a relative date without `reported`
    /// (the source may come later in the file), or `reported` to store.
    pub(super) needs_anchor: bool,
    pub(super) status: &'r str,
    pub(super) place: Option<&'r str>,
    pub(super) source: Option<&'r str>,
    pub(super) quote: Option<&'r str>,
    pub(super) note: Option<&'r str>,
    pub(super) confidence: Option<f64>,
    /// The fingerprint of the record as written.
    pub(super) fingerprint: [u8; 16],
    /// The fingerprint of its mirror image (subject and object swapped), the same record
    /// when the predicate is symmetric: computed by the reading thread for predicates it
    /// knows to be symmetric, else when needed ([`RelationRecord::mirrored`]).
    pub(super) mirror: Option<[u8; 16]>,
}

/// The cells of [`RelationRecord::folded_texts`].
pub(super) fn text_cells(folded: &[Option<String>; 2]) -> [Param<'_>; 2] {
    [&folded[0], &folded[1]].map(|t| t.as_deref().map_or(Param::Null, Param::Text))
}

impl RelationRecord<'_> {
    /// Its time as written, its bounds and its status: the cells of the relation table's
    /// columns from `when_text` to `status`, in their order (for COPY's rows).
    pub(super) fn time_cells(&self) -> [Param<'_>; 9] {
        let bound = |b: Option<i64>| b.map_or(Param::Null, Param::Int);
        let [start_lo, start_hi, end_lo, end_hi] = bound_columns(self.bounds);
        [
            self.time.when.param(),
            self.time.from.param(),
            self.time.to.param(),
            self.time.at.param(),
            bound(start_lo),
            bound(start_hi),
            bound(end_lo),
            bound(end_hi),
            self.status.param(),
        ]
    }

    /// Its quote and note folded for the text index (`relation_text`, which PostgreSQL's
    /// import fills itself); [`text_cells`] gives them as cells.
    pub(super) fn folded_texts(&self) -> [Option<String>; 2] {
        [self.quote, self.note].map(|t| t.map(crate::names::normalise))
    }

    /// The fingerprint of the record with `first` and `second` as its subject and object.
    fn fingerprint_of(&self, first: &str, second: &str) -> [u8; 16] {
        let mut fp = Fingerprint::new();
        for t in [first, self.predicate, second] {
            fp.text(Some(t));
        }
        let time = &self.time;
        for t in [time.when, time.from, time.to, time.at] {
            fp.text(t);
        }
        fp.text(Some(self.status));
        for t in [self.place, self.source, self.quote, self.note] {
            fp.text(t);
        }
        fp.number(self.confidence);
        // Only when given, so that the fingerprints of relations without it stay those
        // of stores written before `reported` existed.
        if let Some(reported) = self.reported {
            fp.text(Some("reported"));
            fp.text(Some(reported));
        }
        fp.finish()
    }

    /// The fingerprint of the record's mirror image.
    pub(super) fn mirrored(&self) -> [u8; 16] {
        match self.mirror {
            Some(mirror) => mirror,
            None if self.subject == self.object => self.fingerprint,
            None => self.fingerprint_of(self.object, self.subject),
        }
    }
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
/// bounds and fingerprints. A relation of a history export also says which change made
/// it, and must give its id.
pub(super) fn check_relation<'r>(
    rec: &Record<'r>,
    history: bool,
) -> Result<RelationRecord<'r>, Fault> {
    if history {
        rec.reject_unknown_in(
            "relation of a history export",
            &[RELATION_FIELDS, HISTORY_RELATION_FIELDS],
        )?;
    } else {
        rec.reject_unknown("relation", RELATION_FIELDS)?;
    }
    let mut relation = read_relation(rec)?;
    if history {
        let required = |field: &str| {
            Fault::field(
                field,
                "required in a history export: every relation gives its id and the change \
                 that made it",
            )
        };
        relation.id.ok_or_else(|| required("id"))?;
        relation.since_change = Some(
            rec.positive("since_change")?
                .ok_or_else(|| required("since_change"))?,
        );
    }
    Ok(relation)
}

/// Reads a relation record's fields and computes its time bounds and fingerprints.
fn read_relation<'r>(rec: &Record<'r>) -> Result<RelationRecord<'r>, Fault> {
    let id = rec.positive("id")?;
    let subject = rec.id("subject")?;
    let predicate = rec.id("predicate")?;
    let object = rec.id("object")?;
    let fields = time::TimeFields {
        when: rec.text("when")?,
        from: rec.text("from")?,
        to: rec.text("to")?,
        at: rec.text("at")?,
    };
    let status = match rec.text("status")? {
        None => crate::model::Status::DEFAULT,
        Some(word) => word
            .parse::<crate::model::Status>()
            .map_err(|e| Fault::field("status", e.to_string()))?,
    };
    let reported = rec.text("reported")?;
    let (bounds, needs_anchor) = relative_bounds(&fields, reported, status)?;
    let status = status.as_str();
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
    let mut relation = RelationRecord {
        id,
        since_change: None,
        subject,
        predicate,
        object,
        time: fields,
        bounds,
        reported,
        needs_anchor,
        status,
        place,
        source,
        quote,
        note,
        confidence,
        fingerprint: [0; 16],
        mirror: None,
    };
    relation.fingerprint = relation.fingerprint_of(subject, object);
    Ok(relation)
}

/// The bounds of a relation's time as far as the record alone gives them, and whether
/// they are to be resolved once written: dates as reporters write them count from
/// `reported`, else from the source's `published` date, which may come later in the file.
fn relative_bounds(
    fields: &time::TimeFields,
    reported: Option<&str>,
    status: crate::model::Status,
) -> Result<(Option<time::Bounds>, bool), Fault> {
    let anchor = match reported {
        None => None,
        Some(text) => Some(
            time::phrases::anchor_day(text, None)
                .map_err(|e| Fault::field("reported", e.to_string()))?
                .ok_or_else(|| {
                    Fault::field(
                        "reported",
                        format!("`{text}` is not one day; give the day it was reported, e.g. 2025-04-28"),
                    )
                })?,
        ),
    };
    let context = time::DateContext::at(anchor).planned(status == crate::model::Status::Planned);
    match time::relation_bounds_at(fields, &context) {
        Ok(bounds) => Ok((bounds, reported.is_some())),
        Err(e) if e.is_relative() && reported.is_none() => Ok((None, true)),
        Err(e) => Err(time_fault(e)),
    }
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
        TimeError::InvalidDate { .. } | TimeError::Relative { .. } => {
            Fault::field("when/from/to/at", e.to_string())
        }
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
        self.started = true;
        self.relations += 1;
        self.drop_relation_indexes_for_bulk()?;
        if relation.id.is_none() {
            self.consider_direct()?;
        }
        let predicate = self.predicate_use(relation.predicate, line)?;
        let symmetric = self.predicates.uses[predicate].symmetric;
        let key = match relation.id {
            None => self.next_key,
            Some(id) => match self.claim(id, relation, symmetric)? {
                Some(id) => {
                    self.gave_ids = true;
                    id
                }
                // An identical relation holds the id already: this record is present.
                None => return Ok(()),
            },
        };
        let since = relation.since_change.unwrap_or(self.change);
        let ends = if self.stage_all {
            None
        } else {
            self.resolve_ends(relation)?
        };
        let written = match ends {
            Some(ends) => {
                let keys = RelationKeys {
                    predicate: self.predicates.uses[predicate].key,
                    ..ends
                };
                let written = self.insert(relation, &keys, key, since, symmetric)?;
                if written {
                    self.written += 1;
                    let checked = self.dropped_indexes.is_none();
                    self.predicates.uses[predicate].wrote(checked);
                }
                written
            }
            // PostgreSQL's bulk import, its ids known: copied into the swap's copy.
            None if self.copy_direct(relation, key, since, predicate)? => {
                self.written += 1;
                true
            }
            None => {
                // Names an id not seen yet: resolved at the end of the file, with the key
                // it would have had now (unused if it turns out to be present already).
                self.stage(relation, line, key, since)?;
                self.staged += 1;
                // Staged relations are matched with their mirror image by the predicate's
                // final symmetry; in a bulk insert they are not matched with stored ones.
                self.predicates.uses[predicate].unchecked = true;
                true
            }
        };
        if written && relation.needs_anchor {
            self.anchored
                .push((key, line, relation.reported.map(str::to_string)));
        }
        if written {
            self.next_key = self.next_key.max(key.saturating_add(1));
            self.min_written_key = self.min_written_key.min(key);
            self.low_claims |= key < self.first_key;
        }
        Ok(())
    }

    /// The keys of a relation's entities and source (its predicate is resolved apart),
    /// or `None` when one of them is not (yet) in the store.
    fn resolve_ends(
        &mut self,
        relation: &RelationRecord,
    ) -> Result<Option<RelationKeys>, RecordError> {
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
            predicate: 0,
            object,
            place,
            source,
        }))
    }

    pub(super) fn entity_key(&mut self, id: &str) -> Result<Option<i64>, RecordError> {
        let (db, held) = (self.db, &mut self.lookup_entity);
        Ok(self
            .entities
            .key(id, |id| look_up(db, held, LOOKUP_ENTITY_SQL, id))?)
    }

    fn source_key(&mut self, id: &str) -> Result<Option<i64>, RecordError> {
        let (db, held) = (self.db, &mut self.lookup_source);
        Ok(self
            .sources
            .key(id, |id| look_up(db, held, LOOKUP_SOURCE_SQL, id))?)
    }

    /// What the import knows of a predicate (by its index in `self.predicates`): looked
    /// up once, or created undeclared (and listed in the summary) when the store does not
    /// have it. A history export declares every predicate it uses.
    fn predicate_use(&mut self, id: &str, line: u64) -> Result<usize, RecordError> {
        if let Some(i) = self.predicates.find(id) {
            return Ok(i);
        }
        // `symmetric` quoted: a reserved word in PostgreSQL.
        let stored: Option<(i64, bool)> = self.db.query_opt(
            "SELECT key, \"symmetric\" FROM predicate WHERE id = ?1",
            &[&id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let (key, symmetric, created_at) = match stored {
            Some((key, symmetric)) => (key, symmetric, None),
            None if self.history.is_some() => {
                return Err(Fault::field(
                    "predicate",
                    format!(
                        "predicate `{id}` has no `predicate` record in this history export, \
                         which must hold every predicate its relations use"
                    ),
                )
                .into())
            }
            None => {
                let key: i64 = self.db.query_row(
                    "INSERT INTO predicate(id, \"symmetric\", declared, since_change)
                     VALUES (?1, 0, 0, ?2) RETURNING key",
                    &[&id, &self.change],
                    |r| r.get(0),
                )?;
                self.summary.new_predicates.push(id.to_string());
                (key, false, Some(line))
            }
        };
        Ok(self.predicates.add(
            id,
            PredicateUse {
                key,
                symmetric,
                written_asymmetric: false,
                unchecked: false,
                created_at,
            },
        ))
    }

    /// Writes a resolved relation with the given key and change; false when an identical
    /// relation is already stored (for a symmetric predicate: either way round). The
    /// fingerprint stored for a symmetric relation is the smaller of its two, so that
    /// copies written either way round share it (see [`super::identity`]).
    fn insert(
        &mut self,
        r: &RelationRecord,
        keys: &RelationKeys,
        key: i64,
        since: i64,
        symmetric: bool,
    ) -> Result<bool, RecordError> {
        let [start_lo, start_hi, end_lo, end_hi] = bound_columns(r.bounds);
        let (stored, other) =
            super::identity::stored_fingerprint(r.fingerprint, || r.mirrored(), symmetric);
        let held = if symmetric {
            &mut self.insert_symmetric
        } else {
            &mut self.insert_relation
        };
        let (stored_bytes, other_bytes): (&[u8], &[u8]) = (&stored, &other);
        let Some(stmt) = held else {
            // No statement held (PostgreSQL stages every relation): the same SQL, through
            // the connection.
            let sql = if symmetric {
                INSERT_SYMMETRIC_RELATION_SQL
            } else {
                INSERT_RELATION_SQL
            };
            let mut params: Vec<&dyn ToParam> = vec![
                &key,
                &keys.subject,
                &keys.predicate,
                &keys.object,
                &r.time.when,
                &r.time.from,
                &r.time.to,
                &r.time.at,
                &start_lo,
                &start_hi,
                &end_lo,
                &end_hi,
                &r.status,
                &keys.place,
                &keys.source,
                &r.quote,
                &r.note,
                &r.confidence,
                &stored_bytes,
                &since,
            ];
            if symmetric {
                params.push(&other_bytes);
            }
            return Ok(self.db.execute(sql, &params)? == 1);
        };
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
        stmt.raw_bind_parameter(19, &stored[..])?;
        stmt.raw_bind_parameter(20, since)?;
        // Only the row-by-row statement for symmetric predicates looks for the other.
        if stmt.parameter_count() > 20 {
            stmt.raw_bind_parameter(21, &other[..])?;
        }
        Ok(stmt.raw_execute()? == 1)
    }
}

/// The key of `id` by `sql`: with SQLite's held statement, else through the connection.
fn look_up(
    db: &Db,
    held: &mut Option<CachedStatement<'_>>,
    sql: &str,
    id: &str,
) -> Result<Option<i64>, DbError> {
    match held {
        Some(stmt) => {
            use rusqlite::OptionalExtension;
            Ok(stmt.query_row([id], |r| r.get(0)).optional()?)
        }
        None => db.query_opt(sql, &[&id], |r| r.get(0)),
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
