//! The import's rules for one record, without the store: the fields of a source, entity
//! or predicate record, checked (the importer writes them), and any record given as one
//! JSON object, checked by the same rules (the write statements `add` and `correct` take
//! their records from here, so a record's rules have one owner).

use serde::Deserialize;

use super::record::{
    parse_date_field, Fault, Field, Record, ENTITY_FIELDS, PREDICATE_FIELDS, RELATION_FIELDS,
    SOURCE_FIELDS,
};
use super::relation::check_relation;
use crate::time;

/// The fields of a relation record besides `type`.
pub(in crate::store) const RELATION_RECORD_FIELDS: &[&str] = RELATION_FIELDS;

/// A source record's fields, checked.
pub(in crate::store) struct SourceFields {
    pub(in crate::store) id: String,
    pub(in crate::store) title: Option<String>,
    pub(in crate::store) published: Option<String>,
    /// The day range of `published`.
    pub(in crate::store) published_range: Option<(i64, i64)>,
    pub(in crate::store) lang: Option<String>,
    pub(in crate::store) url: Option<String>,
    pub(in crate::store) note: Option<String>,
}

/// An entity record's fields, checked.
pub(in crate::store) struct EntityFields {
    pub(in crate::store) id: String,
    pub(in crate::store) kind: String,
    pub(in crate::store) name: String,
    /// Its other names in record order (empty ones left out).
    pub(in crate::store) aliases: Vec<String>,
    /// Names that count in `mentions` only where the text marks them as names.
    pub(in crate::store) weak_aliases: Vec<String>,
    pub(in crate::store) note: Option<String>,
}

/// A predicate record's fields, checked.
pub(in crate::store) struct PredicateFields {
    pub(in crate::store) id: String,
    pub(in crate::store) label: Option<String>,
    /// `None` when the record does not say.
    pub(in crate::store) symmetric: Option<bool>,
    pub(in crate::store) description: Option<String>,
}

/// A relation record's fields, checked, with its time bounds and fingerprint (ids as
/// given; the store resolves them).
pub(in crate::store) struct RelationFields {
    pub(in crate::store) subject: String,
    pub(in crate::store) predicate: String,
    pub(in crate::store) object: String,
    pub(in crate::store) when: Option<String>,
    pub(in crate::store) from: Option<String>,
    pub(in crate::store) to: Option<String>,
    pub(in crate::store) at: Option<String>,
    pub(in crate::store) bounds: Option<time::Bounds>,
    /// `reported D` as written: the anchor of the relation's relative dates.
    pub(in crate::store) reported: Option<String>,
    /// The bounds are resolved once the relation is written ([`crate::store::anchor`]).
    pub(in crate::store) needs_anchor: bool,
    pub(in crate::store) status: String,
    pub(in crate::store) place: Option<String>,
    pub(in crate::store) source: Option<String>,
    pub(in crate::store) quote: Option<String>,
    pub(in crate::store) note: Option<String>,
    pub(in crate::store) confidence: Option<f64>,
    pub(in crate::store) fingerprint: [u8; 16],
    /// The fingerprint of the same record with subject and object swapped.
    pub(in crate::store) mirror: [u8; 16],
}

impl RelationFields {
    /// The fingerprint the relation is stored under, and the other one it may be stored
    /// under, by the import's rule ([`super::identity::stored_fingerprint`]).
    pub(in crate::store) fn stored_fingerprints(&self, symmetric: bool) -> ([u8; 16], [u8; 16]) {
        super::identity::stored_fingerprint(self.fingerprint, || self.mirror, symmetric)
    }
}

/// A record given as one JSON object, checked.
pub(in crate::store) enum CheckedRecord {
    Source(SourceFields),
    Entity(EntityFields),
    Predicate(PredicateFields),
    Relation(Box<RelationFields>),
}

/// What is wrong with a record given as JSON: the field (when known) and why.
#[derive(Debug)]
pub(in crate::store) struct FieldFault {
    pub(in crate::store) field: Option<String>,
    pub(in crate::store) reason: String,
}

impl From<Fault> for FieldFault {
    fn from(fault: Fault) -> FieldFault {
        FieldFault {
            field: fault.field,
            reason: fault.reason,
        }
    }
}

/// Checks a record given as a JSON object (a JSON Lines line of DATA.md) by the import's
/// rules: its `type`, no unknown field, each field's value. Saved queries are not
/// records a write statement adds.
pub(in crate::store) fn check_json(
    record: &serde_json::Map<String, serde_json::Value>,
) -> Result<CheckedRecord, FieldFault> {
    let value = serde_json::Value::Object(record.clone());
    let Ok(Field::Object(fields)) = Field::deserialize(value) else {
        return Err(Fault::record("a record must be a JSON object").into());
    };
    let rec = Record { fields: &fields };
    let checked = match rec.required("type")? {
        "source" => CheckedRecord::Source(check_source(&rec)?),
        "entity" => CheckedRecord::Entity(check_entity(&rec)?),
        "predicate" => CheckedRecord::Predicate(check_predicate(&rec)?),
        "relation" => {
            let r = check_relation(&rec, false)?;
            CheckedRecord::Relation(Box::new(RelationFields {
                subject: r.subject.to_string(),
                predicate: r.predicate.to_string(),
                object: r.object.to_string(),
                when: owned(r.time.when),
                from: owned(r.time.from),
                to: owned(r.time.to),
                at: owned(r.time.at),
                bounds: r.bounds,
                reported: owned(r.reported),
                needs_anchor: r.needs_anchor,
                status: r.status.to_string(),
                place: owned(r.place),
                source: owned(r.source),
                quote: owned(r.quote),
                note: owned(r.note),
                confidence: r.confidence,
                fingerprint: r.fingerprint,
                mirror: r.mirrored(),
            }))
        }
        other => {
            return Err(Fault::field(
                "type",
                format!(
                "`{other}` is not a record to add; expected source, entity, predicate or relation"
            ),
            )
            .into())
        }
    };
    Ok(checked)
}

fn owned(text: Option<&str>) -> Option<String> {
    text.map(str::to_string)
}

/// Checks a source record: no unknown field, an id, a valid `published` date.
pub(super) fn check_source(rec: &Record) -> Result<SourceFields, Fault> {
    rec.reject_unknown("source", SOURCE_FIELDS)?;
    let published = rec.text("published")?;
    Ok(SourceFields {
        id: rec.required("id")?.to_string(),
        title: owned(rec.text("title")?),
        published_range: published
            .map(|p| parse_date_field("published", p))
            .transpose()?,
        published: owned(published),
        lang: owned(rec.text("lang")?),
        url: owned(rec.text("url")?),
        note: owned(rec.text("note")?),
    })
}

/// Checks an entity record: no unknown field, a valid id, a kind and a name.
pub(super) fn check_entity(rec: &Record) -> Result<EntityFields, Fault> {
    rec.reject_unknown("entity", ENTITY_FIELDS)?;
    Ok(EntityFields {
        id: rec.id("id")?.to_string(),
        kind: rec.required("kind")?.to_string(),
        name: rec.required("name")?.to_string(),
        aliases: rec
            .texts("aliases")?
            .into_iter()
            .map(str::to_string)
            .collect(),
        weak_aliases: rec
            .texts("weak_aliases")?
            .into_iter()
            .map(str::to_string)
            .collect(),
        note: owned(rec.text("note")?),
    })
}

/// Checks a predicate record: no unknown field, a valid id, `symmetric` true or false.
pub(super) fn check_predicate(rec: &Record) -> Result<PredicateFields, Fault> {
    rec.reject_unknown("predicate", PREDICATE_FIELDS)?;
    Ok(PredicateFields {
        id: rec.id("id")?.to_string(),
        label: owned(rec.text("label")?),
        symmetric: rec.boolean("symmetric")?,
        description: owned(rec.text("description")?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(json: &str) -> serde_json::Map<String, serde_json::Value> {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn json_records_are_checked_by_the_import_rules() {
        let Ok(CheckedRecord::Relation(r)) = check_json(&map(
            r#"{"type":"relation","subject":"a","predicate":"p","object":"b","when":"2025-04","confidence":1}"#,
        )) else {
            panic!("a relation")
        };
        assert_eq!((r.subject.as_str(), r.status.as_str()), ("a", "occurred"));
        assert_eq!(r.when.as_deref(), Some("2025-04"));
        assert!(r.bounds.is_some());
        let fault = |json: &str| check_json(&map(json)).err().unwrap();
        let f = fault(
            r#"{"type":"relation","subject":"a","predicate":"p","object":"b","when":"2025-13"}"#,
        );
        assert_eq!(f.field.as_deref(), Some("when"));
        let f = fault(r#"{"type":"entity","id":"A b","kind":"k","name":"N"}"#);
        assert_eq!(f.field.as_deref(), Some("id"));
        let f = fault(r#"{"type":"source","id":"s","published":"2025-02-30"}"#);
        assert_eq!(f.field.as_deref(), Some("published"));
        let f = fault(r#"{"type":"predicate","id":"p","symmetric":"yes"}"#);
        assert_eq!(f.field.as_deref(), Some("symmetric"));
        let f = fault(r#"{"type":"saved_query","name":"q","body":"?x p ?y"}"#);
        assert_eq!(f.field.as_deref(), Some("type"));
        let f = fault(r#"{"type":"entity","id":"a","kind":"k","name":"N","nmae":"x"}"#);
        assert_eq!(f.field.as_deref(), Some("nmae"));
    }
}
