//! Relations: `add` (identical relations recognised, either way round for a symmetric
//! predicate), `correct` (the id kept, the old version in history) and `retract`; and a relation's record read back from a current row or a version, so that
//! every changed relation is checked again by the import's rules and gets its
//! fingerprint from them.

use serde_json::{Map, Value};

use super::versions::{canonical, change_info, Table};
use super::{checked, db, WriteReport, Writer};
use crate::store::change;
use crate::store::db::{Cell, Dialect};
use crate::store::import::fields::{CheckedRecord, RelationFields, RELATION_RECORD_FIELDS};
use crate::store::StoreError;

/// Where a relation's version lies: the current row of a relation, or the version of
/// relation `id` made by change `since`.
#[derive(Debug, Clone, Copy)]
pub(super) enum RowAt {
    Current(i64),
    Version { id: i64, since: i64 },
}

/// A relation record checked and its ids resolved: what a relation row is written from.
pub(super) struct Resolved {
    pub(super) fields: RelationFields,
    subject: i64,
    predicate: i64,
    object: i64,
    place: Option<i64>,
    source: Option<i64>,
    /// The predicate is symmetric: `B met A` is `A met B`.
    symmetric: bool,
    /// A predicate the record named that the store did not have (created undeclared).
    new_predicate: bool,
}

impl Resolved {
    /// The fingerprints under which this relation may already be stored: the one it is
    /// stored under first, then for a symmetric predicate its other one (else the first
    /// again), by the import's rule.
    pub(super) fn fingerprints(&self) -> [[u8; 16]; 2] {
        fingerprints(&self.fields, self.symmetric)
    }
}

/// The record's fields [`record_sql`] reads, in the order of its columns; then come
/// `named_place` and `named_source`.
const RECORD_COLUMNS: [&str; 14] = [
    "subject",
    "predicate",
    "object",
    "when",
    "from",
    "to",
    "at",
    "status",
    "place",
    "source",
    "quote",
    "note",
    "confidence",
    "reported",
];

/// The SQL reading a relation's record from `rows` (one row, aliased `r`), ids resolved,
/// each column named as the record's field ([`RECORD_COLUMNS`]). Entity and source ids
/// never change, so the current rows give them for versions too; `named_place` and
/// `named_source` say whether the version names one (its id is NULL when an undo removed
/// it since).
fn record_sql(rows: &str) -> String {
    format!(
        "SELECT s.id AS subject, p.id AS predicate, o.id AS object, r.when_text AS \"when\", \
                r.from_text AS \"from\", r.to_text AS \"to\", r.at_text AS \"at\", \
                r.status AS status, pl.id AS place, so.id AS source, r.quote AS quote, \
                r.note AS note, r.confidence AS confidence, r.reported AS reported, \
                r.place IS NOT NULL AS named_place, r.source IS NOT NULL AS named_source \
         FROM {rows} r \
         LEFT JOIN entity s ON s.key = r.subject \
         LEFT JOIN predicate p ON p.key = r.predicate \
         LEFT JOIN entity o ON o.key = r.object \
         LEFT JOIN entity pl ON pl.key = r.place \
         LEFT JOIN source so ON so.key = r.source"
    )
}

/// A cell of [`record_sql`] as a record's JSON value (`None`: the field is absent).
fn json_value(cell: Cell<'_>) -> Option<Value> {
    match cell {
        Cell::Text(t) => Some(Value::String(t.to_owned())),
        Cell::Real(f) => serde_json::Number::from_f64(f).map(Value::Number),
        Cell::Int(i) => Some(Value::Number(i.into())),
        Cell::Null | Cell::Blob(_) => None,
    }
}

impl Writer<'_> {
    /// The record (as a JSON Lines line of DATA.md gives it) of a relation's version.
    /// Errors when the version names an entity, predicate or source the store no longer
    /// has.
    pub(super) fn relation_record(&self, at: RowAt) -> Result<Map<String, Value>, StoreError> {
        let (sql, key, since) = match at {
            RowAt::Current(key) => (
                record_sql(
                    "(SELECT * FROM relation WHERE key = ?1 AND CAST(?2 AS BIGINT) IS NULL)",
                ),
                key,
                None,
            ),
            RowAt::Version { id, since } => (
                record_sql("(SELECT * FROM relation_version WHERE id = ?1 AND since_change = ?2)"),
                id,
                Some(since),
            ),
        };
        let found = self
            .db
            .query_opt(&sql, &[&key, &since], |r| {
                let mut record = Map::new();
                record.insert("type".into(), "relation".into());
                // The fields of a relation record, as the import knows them.
                for field in RELATION_RECORD_FIELDS {
                    let Some(i) = RECORD_COLUMNS.iter().position(|c| c == field) else {
                        continue;
                    };
                    if let Some(value) = json_value(r.cell(i)?) {
                        record.insert((*field).into(), value);
                    }
                }
                let named = RECORD_COLUMNS.len();
                let named: [bool; 2] = [r.get(named)?, r.get(named + 1)?];
                Ok((record, named))
            })
            .map_err(db)?;
        let Some((record, [named_place, named_source])) = found else {
            return Err(StoreError::NoSuchRelation { id: key });
        };
        let lost = ["subject", "predicate", "object"]
            .into_iter()
            .chain(named_place.then_some("place"))
            .chain(named_source.then_some("source"))
            .find(|field| !record.contains_key(*field));
        if let Some(field) = lost {
            return Err(StoreError::Refused(format!(
                "#{key} names as its {field} something that is no longer in the store (an undo \
                 removed it); undo that undo first"
            )));
        }
        Ok(record)
    }

    /// Checks a relation record by the import's rules and resolves its ids: an entity
    /// merged into another stands for that one (the record is rewritten and checked
    /// again); a predicate the store does not have is created, undeclared.
    pub(super) fn resolve(&self, mut record: Map<String, Value>) -> Result<Resolved, StoreError> {
        let mut fields = relation_fields(&record)?;
        let mut rewritten = false;
        for field in ["subject", "object", "place"] {
            let Some(id) = entity_field(&fields, field) else {
                continue;
            };
            let key = self.entity_key(id)?;
            let stands_for = canonical(self.db, key).map_err(db)?;
            if stands_for != key {
                record.insert(field.into(), self.entity_id(stands_for)?.into());
                rewritten = true;
            }
        }
        if rewritten {
            fields = relation_fields(&record)?;
        }
        let subject = self.entity_key(&fields.subject)?;
        let object = self.entity_key(&fields.object)?;
        let place = fields
            .place
            .as_deref()
            .map(|id| self.entity_key(id))
            .transpose()?;
        let source = fields
            .source
            .as_deref()
            .map(|id| self.source_key(id))
            .transpose()?;
        let found: Option<(i64, bool)> = self
            .db
            .query_opt(
                "SELECT key, \"symmetric\" FROM predicate WHERE id = ?1",
                &[&fields.predicate],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(db)?;
        let (predicate, symmetric, new_predicate) = match found {
            Some((key, symmetric)) => (key, symmetric, false),
            None => (self.create_predicate(&fields.predicate)?, false, true),
        };
        Ok(Resolved {
            fields,
            subject,
            predicate,
            object,
            place,
            source,
            symmetric,
            new_predicate,
        })
    }

    /// The fingerprints of a relation's version as it was stored (its ids as they are,
    /// not resolved anew): its own and, for a symmetric predicate, its mirror's.
    pub(super) fn stored_fingerprints(&self, at: RowAt) -> Result<[[u8; 16]; 2], StoreError> {
        let record = self.relation_record(at)?;
        let fields = relation_fields(&record)?;
        let symmetric: bool = self
            .db
            .query_opt(
                "SELECT \"symmetric\" FROM predicate WHERE id = ?1",
                &[&fields.predicate],
                |r| r.get(0),
            )
            .map_err(db)?
            .unwrap_or(false);
        Ok(fingerprints(&fields, symmetric))
    }

    /// A live relation other than `except` stored under one of `fingerprints`.
    pub(super) fn live_duplicate(
        &self,
        fingerprints: [[u8; 16]; 2],
        except: Option<i64>,
    ) -> Result<Option<i64>, StoreError> {
        self.db
            .query_opt(
                "SELECT key FROM relation WHERE fingerprint IN (?1, ?2) \
                 AND key IS DISTINCT FROM ?3 ORDER BY key LIMIT 1",
                &[&&fingerprints[0][..], &&fingerprints[1][..], &except],
                |r| r.get(0),
            )
            .map_err(db)
    }

    /// Writes relation `key` (new, or a new version of it) made by this change.
    pub(super) fn write_relation(&self, key: i64, r: &Resolved) -> Result<(), StoreError> {
        let f = &r.fields;
        let bound = |pick: fn(&crate::time::Bounds) -> i64| f.bounds.as_ref().map(pick);
        self.db
            .execute(
                "INSERT INTO relation (key, subject, predicate, object, when_text, from_text, \
                     to_text, at_text, start_lo, start_hi, end_lo, end_hi, status, place, source, \
                     quote, note, confidence, fingerprint, since_change) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, \
                     ?17, ?18, ?19, ?20) \
                 ON CONFLICT (key) DO UPDATE SET subject = excluded.subject, \
                     predicate = excluded.predicate, object = excluded.object, \
                     when_text = excluded.when_text, from_text = excluded.from_text, \
                     to_text = excluded.to_text, at_text = excluded.at_text, \
                     start_lo = excluded.start_lo, start_hi = excluded.start_hi, \
                     end_lo = excluded.end_lo, end_hi = excluded.end_hi, \
                     status = excluded.status, place = excluded.place, \
                     source = excluded.source, quote = excluded.quote, note = excluded.note, \
                     confidence = excluded.confidence, fingerprint = excluded.fingerprint, \
                     since_change = excluded.since_change",
                &[
                    &key,
                    &r.subject,
                    &r.predicate,
                    &r.object,
                    &f.when,
                    &f.from,
                    &f.to,
                    &f.at,
                    &bound(|b| b.start_lo),
                    &bound(|b| b.start_hi),
                    &bound(|b| b.end_lo),
                    &bound(|b| b.end_hi),
                    &f.status,
                    &r.place,
                    &r.source,
                    &f.quote,
                    &f.note,
                    &f.confidence,
                    &&r.fingerprints()[0][..],
                    &self.change,
                ],
            )
            .map_err(db)?;
        self.index_text(key)?;
        if f.needs_anchor {
            // Dates as reporters write them count from `reported`, else the source's
            // `published` date, which the row now names.
            crate::store::anchor::resolve_relation_time(self.db, key, f.reported.as_deref())
                .map_err(db)?
                .map_err(|fault| StoreError::BadWrite {
                    field: Some(fault.field.into()),
                    reason: fault.reason,
                })?;
        }
        Ok(())
    }

    /// Sets the fingerprint of current relation `key` from its record (after its row was
    /// restored from a version).
    pub(super) fn set_fingerprint(
        &self,
        key: i64,
        fingerprint: [u8; 16],
    ) -> Result<(), StoreError> {
        self.db
            .execute(
                "UPDATE relation SET fingerprint = ?2 WHERE key = ?1",
                &[&key, &&fingerprint[..]],
            )
            .map_err(db)?;
        Ok(())
    }

    /// Keeps relation `key`'s row of the text index in step with its quote and note, after
    /// a write of its row. SQLite's triggers do it (they call the fold function on each
    /// connection); PostgreSQL's cannot call [`crate::names::normalise`], so the store
    /// does it here, where every write of a relation's content passes (a deleted relation's
    /// row goes with it: the index's foreign key cascades).
    pub(super) fn index_text(&self, key: i64) -> Result<(), StoreError> {
        if self.db.dialect() != Dialect::Postgres {
            return Ok(());
        }
        let texts: Option<(Option<String>, Option<String>)> = self
            .db
            .query_opt(
                "SELECT quote, note FROM relation WHERE key = ?1",
                &[&key],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(db)?;
        match texts {
            Some((quote, note)) if quote.is_some() || note.is_some() => {
                let fold = |t: &Option<String>| t.as_deref().map(crate::names::normalise);
                self.db.execute(
                    "INSERT INTO relation_text (key, quote, note) VALUES (?1, ?2, ?3) \
                     ON CONFLICT (key) DO UPDATE SET quote = excluded.quote, note = excluded.note",
                    &[&key, &fold(&quote), &fold(&note)],
                )
            }
            _ => self
                .db
                .execute("DELETE FROM relation_text WHERE key = ?1", &[&key]),
        }
        .map_err(db)?;
        Ok(())
    }

    /// `add` of a relation record (checked already): writes it with a new id unless an
    /// identical relation is live.
    pub(super) fn add_relation(
        &self,
        record: &Map<String, Value>,
    ) -> Result<WriteReport, StoreError> {
        let resolved = self.resolve(record.clone())?;
        if let Some(id) = self.live_duplicate(resolved.fingerprints(), None)? {
            // (A relation of a new predicate is new: nothing was created.)
            return Ok(WriteReport {
                ids: vec![id],
                ..WriteReport::said(format!("already recorded as #{id}"))
            });
        }
        let id = change::next_relation_key(self.db).map_err(db)?;
        self.write_relation(id, &resolved)?;
        let mut report = WriteReport::changed(format!("added #{id}"), vec![id]);
        if resolved.new_predicate {
            report.messages.push(format!(
                "new predicate `{}` (undeclared; `add predicate` describes it)",
                resolved.fields.predicate
            ));
        }
        Ok(report)
    }

    /// `correct #id`: the given fields on top of the live relation, checked again; the id
    /// stays, the old version goes to history.
    pub(super) fn correct(
        &self,
        id: i64,
        given: &Map<String, Value>,
    ) -> Result<WriteReport, StoreError> {
        if self.since(Table::Relation, id)?.is_none() {
            return Err(self.not_live(id, "corrected")?);
        }
        let mut record = self.relation_record(RowAt::Current(id))?;
        for (field, replaced) in [
            ("when", &["from", "to", "at"][..]),
            ("from", &["when", "at"][..]),
            ("to", &["when", "at"][..]),
            ("at", &["when", "from", "to"][..]),
        ] {
            if given.get(field).is_some_and(|v| !v.is_null()) {
                for other in replaced {
                    record.remove(*other);
                }
            }
        }
        for (field, value) in given {
            if matches!(field.as_str(), "type" | "id") {
                return Err(StoreError::BadWrite {
                    field: Some(field.clone()),
                    reason: format!("`correct` changes a relation's fields; its {field} stays"),
                });
            }
            if value.is_null() {
                record.remove(field);
            } else {
                record.insert(field.clone(), value.clone());
            }
        }
        let resolved = self.resolve(record)?;
        let current: Vec<u8> = self
            .db
            .query_row(
                "SELECT fingerprint FROM relation WHERE key = ?1",
                &[&id],
                |r| r.get(0),
            )
            .map_err(db)?;
        if resolved.fingerprints().iter().any(|f| f[..] == current[..]) {
            return Ok(WriteReport {
                ids: vec![id],
                ..WriteReport::said(format!("#{id} already says that; nothing changed"))
            });
        }
        if let Some(other) = self.live_duplicate(resolved.fingerprints(), Some(id))? {
            return Err(StoreError::Duplicate { id, other });
        }
        self.keep(Table::Relation, id)?;
        self.write_relation(id, &resolved)?;
        Ok(WriteReport::changed(format!("corrected #{id}"), vec![id]))
    }

    /// `retract`: each live relation leaves the current beliefs (its version stays in
    /// history); one retracted already changes nothing and says so.
    pub(super) fn retract(&self, ids: &[i64]) -> Result<WriteReport, StoreError> {
        let mut report = WriteReport::default();
        for &id in ids {
            if self.since(Table::Relation, id)?.is_some() {
                self.remove(Table::Relation, id)?;
                report = report.and(WriteReport::changed(format!("retracted #{id}"), vec![id]));
            } else {
                let why = self.not_live(id, "retracted")?;
                let message = match why {
                    StoreError::Stale {
                        action,
                        change,
                        author,
                        recorded,
                        ..
                    } => format!(
                        "#{id} is already {action} (change {change} by {author} at {recorded}); \
                         nothing changed"
                    ),
                    other => return Err(other),
                };
                report = report.and(WriteReport::said(message));
            }
        }
        Ok(report)
    }

    /// Why relation `id`, which is not live, cannot be `doing`: [`StoreError::Stale`]
    /// naming the change that ended it, or [`StoreError::NoSuchRelation`].
    pub(super) fn not_live(&self, id: i64, doing: &'static str) -> Result<StoreError, StoreError> {
        let ended: Option<(i64, bool)> = self
            .db
            .query_opt(
                "SELECT until_change, erased FROM relation_version WHERE id = ?1 \
                 ORDER BY until_change DESC LIMIT 1",
                &[&id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(db)?;
        let Some((change, erased)) = ended else {
            return Ok(StoreError::NoSuchRelation { id });
        };
        let info = change_info(self.db, change)?;
        let action = match (erased, info.undoes) {
            (true, _) => "erased".to_string(),
            (false, Some(undone)) => format!("removed by an undo of change {undone}"),
            (false, None) => "retracted".to_string(),
        };
        Ok(StoreError::Stale {
            id,
            doing,
            action,
            change,
            author: info.author,
            recorded: info.recorded,
        })
    }

    /// The key of entity `id`.
    pub(super) fn entity_key(&self, id: &str) -> Result<i64, StoreError> {
        self.key_of("SELECT key FROM entity WHERE id = ?1", id)?
            .ok_or_else(|| StoreError::UnknownId {
                what: "entity",
                id: id.to_string(),
            })
    }

    /// The key of source `id`.
    pub(super) fn source_key(&self, id: &str) -> Result<i64, StoreError> {
        self.key_of("SELECT key FROM source WHERE id = ?1", id)?
            .ok_or_else(|| StoreError::UnknownId {
                what: "source",
                id: id.to_string(),
            })
    }

    pub(super) fn key_of(&self, sql: &str, id: &str) -> Result<Option<i64>, StoreError> {
        self.db.query_opt(sql, &[&id], |r| r.get(0)).map_err(db)
    }

    /// The id of entity `key`.
    pub(super) fn entity_id(&self, key: i64) -> Result<String, StoreError> {
        self.db
            .query_row("SELECT id FROM entity WHERE key = ?1", &[&key], |r| {
                r.get(0)
            })
            .map_err(db)
    }

    /// Creates predicate `id`, undeclared, as an import does for a relation that uses a
    /// predicate nobody declared.
    fn create_predicate(&self, id: &str) -> Result<i64, StoreError> {
        let key = change::next_predicate_key(self.db).map_err(db)?;
        self.db
            .execute(
                "INSERT INTO predicate (key, id, \"symmetric\", declared, since_change) \
                 VALUES (?1, ?2, 0, 0, ?3)",
                &[&key, &id, &self.change],
            )
            .map_err(db)?;
        Ok(key)
    }
}

/// A relation record's fields, checked by the import's rules.
pub(super) fn relation_fields(record: &Map<String, Value>) -> Result<RelationFields, StoreError> {
    match checked(record)? {
        CheckedRecord::Relation(fields) => Ok(*fields),
        _ => Err(StoreError::BadWrite {
            field: Some("type".into()),
            reason: "a relation record has type `relation`".into(),
        }),
    }
}

/// The fingerprint of a relation the other way round, when its predicate is symmetric
/// and its ends differ: `B met A` is the relation `A met B`.
/// The fingerprint a relation is stored under, then the other it may be stored under
/// (the same again when its predicate is not symmetric).
fn fingerprints(fields: &RelationFields, symmetric: bool) -> [[u8; 16]; 2] {
    let (stored, other) = fields.stored_fingerprints(symmetric);
    [stored, if symmetric { other } else { stored }]
}

/// The id in an entity field of a relation (`subject`, `object` or `place`).
fn entity_field<'f>(fields: &'f RelationFields, field: &str) -> Option<&'f str> {
    match field {
        "subject" => Some(&fields.subject),
        "object" => Some(&fields.object),
        _ => fields.place.as_deref(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::write::testing::*;
    use crate::store::WriteOp;

    #[test]
    fn add_gives_new_ids_and_recognises_identical_relations() {
        let mut s = store_with(BASE);
        let r = write(&mut s, add(r#"{"type":"relation","subject":"c","predicate":"visited","object":"b","when":"2025-05-08","status":"planned","confidence":0.7}"#)).unwrap();
        assert_eq!(r.messages, ["added #3"]);
        assert_eq!((r.changed, r.ids.as_slice()), (true, &[3][..]));
        let again = write(&mut s, add(r#"{"type":"relation","subject":"c","predicate":"visited","object":"b","when":"2025-05-08","status":"planned","confidence":0.7}"#)).unwrap();
        assert_eq!(again.messages, ["already recorded as #3"]);
        assert!(!again.changed);
        // A symmetric predicate: `c met a` is `a met c` (#2).
        let mirror = write(
            &mut s,
            add(r#"{"type":"relation","subject":"c","predicate":"met","object":"a"}"#),
        )
        .unwrap();
        assert_eq!(mirror.messages, ["already recorded as #2"]);
        // Not for an asymmetric one.
        let other = write(&mut s, add(r#"{"type":"relation","subject":"b","predicate":"visited","object":"a","when":"2025-04","source":"s1"}"#)).unwrap();
        assert_eq!(other.messages, ["added #4"]);
        // Writes that changed nothing recorded no change.
        assert_eq!(
            one(&s, "SELECT since_change FROM relation WHERE key = 4"),
            3
        );
        assert_eq!(one(&s, "SELECT max(id) FROM change"), 3);
    }

    #[test]
    fn add_checks_the_record_by_the_import_rules() {
        let mut s = store_with(BASE);
        let err = write(&mut s, add(r#"{"type":"relation","subject":"a","predicate":"visited","object":"b","when":"2025-02-30"}"#)).unwrap_err();
        assert_eq!(bad_field(&err), Some("when"), "{err}");
        assert_eq!(err.exit_code(), 2);
        let err = write(
            &mut s,
            add(r#"{"type":"relation","subject":"a","predicate":"visited","object":"zz"}"#),
        )
        .unwrap_err();
        assert!(err.to_string().contains("`zz`"), "{err}");
        let err = write(
            &mut s,
            add(r#"{"type":"relation","subject":"a","predicate":"visited","object":"b","id":9}"#),
        )
        .unwrap_err();
        assert!(err.to_string().contains("correct #N"), "{err}");
        let r = write(
            &mut s,
            add(r#"{"type":"relation","subject":"a","predicate":"praised","object":"b"}"#),
        )
        .unwrap();
        assert_eq!(r.messages[0], "added #3");
        assert!(
            r.messages[1].contains("new predicate `praised`"),
            "{:?}",
            r.messages
        );
        assert_eq!(
            one(&s, "SELECT declared FROM predicate WHERE id = 'praised'"),
            0
        );
        assert_eq!(one(&s, "SELECT count(*) FROM change"), 2);
    }

    #[test]
    fn ids_are_never_reused_after_the_highest_is_retracted() {
        let mut s = store_with(BASE);
        let r = write(&mut s, retract(&[2])).unwrap();
        assert_eq!(r.messages, ["retracted #2"]);
        let r = write(
            &mut s,
            add(r#"{"type":"relation","subject":"a","predicate":"met","object":"c"}"#),
        )
        .unwrap();
        assert_eq!(r.messages, ["added #3"]);
        write(&mut s, WriteOp::Erase { id: 3 }).unwrap();
        let r = write(
            &mut s,
            add(r#"{"type":"relation","subject":"a","predicate":"met","object":"c"}"#),
        )
        .unwrap();
        assert_eq!(r.messages, ["added #4"]);
    }

    #[test]
    fn correct_keeps_the_id_and_replaces_the_time_form() {
        let mut s = store_with(BASE);
        let r = write(
            &mut s,
            correct(
                1,
                r#"{"from":"2025-04-01","to":"2025-04-03","note":"moved"}"#,
            ),
        )
        .unwrap();
        assert_eq!(r.messages, ["corrected #1"]);
        assert_eq!(
            rows(
                &s,
                "SELECT when_text, from_text, to_text, note, source FROM relation WHERE key = 1"
            ),
            ["∅|2025-04-01|2025-04-03|moved|1"]
        );
        assert_eq!(
            rows(
                &s,
                "SELECT id, since_change, until_change, when_text FROM relation_version"
            ),
            ["1|1|2|2025-04"]
        );
        // The same again: nothing changes, no change is recorded.
        let same = write(&mut s, correct(1, r#"{"note":"moved"}"#)).unwrap();
        assert_eq!(same.messages, ["#1 already says that; nothing changed"]);
        assert_eq!(one(&s, "SELECT max(id) FROM change"), 2);
        // Clearing a field, changing an end.
        write(
            &mut s,
            correct(1, r#"{"note":null,"subject":"c","source":null}"#),
        )
        .unwrap();
        assert_eq!(
            rows(&s, "SELECT e.id, r.note, r.source FROM relation r JOIN entity e ON e.key = r.subject WHERE r.key = 1"),
            ["c|∅|∅"]
        );
        let err = write(&mut s, correct(1, r#"{"status":"rumoured"}"#)).unwrap_err();
        assert_eq!(bad_field(&err), Some("status"), "{err}");
    }

    #[test]
    fn correct_refuses_to_duplicate_and_to_touch_what_is_gone() {
        let mut s = store_with(BASE);
        write(&mut s, add(r#"{"type":"relation","subject":"a","predicate":"visited","object":"b","when":"2025-05"}"#)).unwrap();
        let err = write(&mut s, correct(3, r#"{"when":"2025-04","source":"s1"}"#)).unwrap_err();
        assert!(
            matches!(err, StoreError::Duplicate { id: 3, other: 1 }),
            "{err}"
        );
        write(&mut s, retract(&[3])).unwrap();
        let err = write(&mut s, correct(3, r#"{"note":"x"}"#)).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("retracted by tester") && text.contains("change 3"),
            "{text}"
        );
        let err = write(&mut s, correct(99, r#"{"note":"x"}"#)).unwrap_err();
        assert_eq!(err.to_string().lines().next().unwrap(), "no relation #99 has ever been recorded. Every query shows a relation's id in its `id` column; `changes` lists what was written.");
    }

    #[test]
    fn a_stale_correct_from_another_writer_is_refused_with_who_and_when() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("facts.db");
        let mut first = crate::store::Store::open(&path, crate::store::Mode::Create).unwrap();
        first
            .import(
                BASE.as_bytes(),
                ImportFormat::JsonLines,
                "base.jsonl",
                ImportOptions::default(),
            )
            .unwrap();
        record_import(&first);
        let mut second = crate::store::Store::open(&path, crate::store::Mode::ReadWrite).unwrap();
        // The second writer retracts #1 while the first has it on screen.
        second
            .begin_change(ChangeMeta::new("bob", Origin::Repl))
            .unwrap();
        second.write(&retract(&[1]), Some("misread")).unwrap();
        second.commit_change().unwrap();
        first
            .begin_change(ChangeMeta::new("alice", Origin::Repl))
            .unwrap();
        let err = first
            .write(&correct(1, r#"{"note":"x"}"#), None)
            .unwrap_err();
        first.rollback_change().unwrap();
        match err {
            StoreError::Stale {
                id,
                author,
                change,
                recorded,
                action,
                ..
            } => {
                assert_eq!(
                    (id, author.as_str(), action.as_str()),
                    (1, "bob", "retracted")
                );
                assert_eq!(change, 2);
                assert!(recorded.ends_with('Z'), "{recorded}");
            }
            other => panic!("{other}"),
        }
    }

    #[test]
    fn retract_says_what_is_retracted_already() {
        let mut s = store_with(BASE);
        let r = write(&mut s, retract(&[1, 2])).unwrap();
        assert_eq!(r.messages, ["retracted #1", "retracted #2"]);
        let again = write(&mut s, retract(&[1])).unwrap();
        assert!(!again.changed);
        assert!(
            again.messages[0].starts_with("#1 is already retracted (change 2 by tester at "),
            "{:?}",
            again.messages
        );
        let err = write(&mut s, retract(&[7])).unwrap_err();
        assert!(matches!(err, StoreError::NoSuchRelation { id: 7 }));
    }
}
