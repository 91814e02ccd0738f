//! Records and fields: a line's JSON values (borrowed from the line), typed access to a
//! record's fields, the fields each record type allows, and faults (what is wrong, where).

use std::borrow::Cow;
use std::fmt;

use crate::store::db::DbError;
use crate::store::saved::SavedFault;
use crate::store::StoreError;
use crate::time;

// The fields of each JSON Lines record type besides `type`.
pub(super) const SOURCE_FIELDS: &[&str] = &["id", "title", "published", "lang", "url", "note"];
pub(super) const ENTITY_FIELDS: &[&str] =
    &["id", "kind", "name", "aliases", "weak_aliases", "note"];
pub(super) const PREDICATE_FIELDS: &[&str] = &["id", "label", "symmetric", "description"];
/// A relation record has the same fields as a CSV relation row.
pub(super) const RELATION_FIELDS: &[&str] = CSV_RELATION_COLUMNS;
/// A relation of a history export (`export --history`) also says which change made it.
pub(super) const HISTORY_RELATION_FIELDS: &[&str] = &["since_change"];
pub(super) const SAVED_QUERY_FIELDS: &[&str] = &["name", "params", "body"];

/// CSV columns of the relation form and of the entity form.
pub(super) const CSV_RELATION_COLUMNS: &[&str] = &[
    "id",
    "subject",
    "predicate",
    "object",
    "when",
    "from",
    "to",
    "at",
    "reported",
    "status",
    "place",
    "source",
    "quote",
    "note",
    "confidence",
];
pub(super) const CSV_ENTITY_COLUMNS: &[&str] =
    &["id", "kind", "name", "aliases", "weak_aliases", "note"];

/// What is wrong with one record: the field (when known) and why.
#[derive(Debug)]
pub(super) struct Fault {
    pub(super) field: Option<String>,
    pub(super) reason: String,
}

impl Fault {
    pub(super) fn field(field: &str, reason: impl Into<String>) -> Fault {
        Fault {
            field: Some(field.to_string()),
            reason: reason.into(),
        }
    }
    pub(super) fn record(reason: impl Into<String>) -> Fault {
        Fault {
            field: None,
            reason: reason.into(),
        }
    }
}

/// A saved query `save` would refuse is a fault of the record; a failure to read the
/// store while checking it is not.
pub(super) fn saved_fault(fault: SavedFault) -> RecordError {
    match fault {
        SavedFault::Refused { field, reason } => Fault::field(field, reason).into(),
        SavedFault::Catalog(reason) => RecordError::Store(StoreError::Catalog {
            context: "cannot check an imported saved query",
            reason,
        }),
    }
}

/// Either a fault in the record or a failure of the database.
pub(super) enum RecordError {
    Fault(Fault),
    Store(StoreError),
}

impl From<Fault> for RecordError {
    fn from(f: Fault) -> Self {
        RecordError::Fault(f)
    }
}

impl From<StoreError> for RecordError {
    fn from(e: StoreError) -> Self {
        RecordError::Store(e)
    }
}

impl From<DbError> for RecordError {
    fn from(source: DbError) -> Self {
        RecordError::Store(StoreError::db("cannot write an imported record")(source))
    }
}

impl From<rusqlite::Error> for RecordError {
    fn from(source: rusqlite::Error) -> Self {
        RecordError::Store(StoreError::Sqlite {
            context: "cannot write an imported record",
            source,
        })
    }
}

/// Typed access to the fields of one record (a JSON object).
pub(super) struct Record<'r> {
    pub(super) fields: &'r [(Cow<'r, str>, Field<'r>)],
}

/// A JSON value as read from one line, with strings and keys borrowed from the line where
/// they need no unescaping (the line is parsed without building owned maps and strings).
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Field<'a> {
    Null,
    Bool(bool),
    /// A JSON number written without fraction or exponent that fits 64 bits: kept exact
    /// (time bounds of a history export are the extremes of 64-bit integers).
    Integer(i64),
    Number(f64),
    Str(Cow<'a, str>),
    Array(Vec<Field<'a>>),
    Object(Fields<'a>),
}

/// The fields of a JSON object in the order written. A key given twice counts with its
/// last value (as in a JSON map).
pub(super) type Fields<'a> = Vec<(Cow<'a, str>, Field<'a>)>;

impl<'de> serde::Deserialize<'de> for Field<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(FieldVisitor)
    }
}

/// Builds a [`Field`] from whatever JSON value comes.
struct FieldVisitor;

impl<'de> serde::de::Visitor<'de> for FieldVisitor {
    type Value = Field<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<Field<'de>, E> {
        Ok(Field::Null)
    }
    fn visit_none<E>(self) -> Result<Field<'de>, E> {
        Ok(Field::Null)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Field<'de>, E> {
        Ok(Field::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Field<'de>, E> {
        Ok(Field::Integer(n))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Field<'de>, E> {
        Ok(match i64::try_from(n) {
            Ok(n) => Field::Integer(n),
            Err(_) => Field::Number(n as f64),
        })
    }
    fn visit_f64<E>(self, n: f64) -> Result<Field<'de>, E> {
        Ok(Field::Number(n))
    }
    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Field<'de>, E> {
        Ok(Field::Str(Cow::Borrowed(s)))
    }
    fn visit_str<E>(self, s: &str) -> Result<Field<'de>, E> {
        Ok(Field::Str(Cow::Owned(s.to_string())))
    }
    fn visit_string<E>(self, s: String) -> Result<Field<'de>, E> {
        Ok(Field::Str(Cow::Owned(s)))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Field<'de>, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Field::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Field<'de>, A::Error> {
        let mut fields = Vec::with_capacity(8);
        while let Some((key, value)) = map.next_entry::<Key<'de>, Field<'de>>()? {
            fields.push((key.0, value));
        }
        Ok(Field::Object(fields))
    }
}

/// An object key, borrowed from the line when it has no escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Field::deserialize(deserializer)? {
            Field::Str(s) => Ok(Key(s)),
            _ => Err(serde::de::Error::custom("an object key must be a string")),
        }
    }
}

pub(super) fn json_type(v: &Field) -> &'static str {
    match v {
        Field::Null => "null",
        Field::Bool(_) => "a boolean",
        Field::Integer(_) | Field::Number(_) => "a number",
        Field::Str(_) => "a string",
        Field::Array(_) => "an array",
        Field::Object(_) => "an object",
    }
}

impl<'r> Record<'r> {
    /// The value of a field (the last one when the key is given twice).
    pub(super) fn get(&self, field: &str) -> Option<&'r Field<'r>> {
        self.fields
            .iter()
            .rev()
            .find(|(key, _)| key == field)
            .map(|(_, value)| value)
    }

    /// A text field; absent, null and "" are `None`.
    pub(super) fn text(&self, field: &str) -> Result<Option<&'r str>, Fault> {
        match self.get(field) {
            None | Some(Field::Null) => Ok(None),
            Some(Field::Str(s)) if s.is_empty() => Ok(None),
            Some(Field::Str(s)) => Ok(Some(s)),
            Some(other) => Err(Fault::field(
                field,
                format!("must be a string, found {}", json_type(other)),
            )),
        }
    }

    pub(super) fn required(&self, field: &str) -> Result<&'r str, Fault> {
        self.text(field)?
            .ok_or_else(|| Fault::field(field, "required field is missing or empty"))
    }

    pub(super) fn id(&self, field: &str) -> Result<&'r str, Fault> {
        let id = self.required(field)?;
        check_id(field, id)?;
        Ok(id)
    }

    pub(super) fn optional_id(&self, field: &str) -> Result<Option<&'r str>, Fault> {
        let id = self.text(field)?;
        if let Some(id) = id {
            check_id(field, id)?;
        }
        Ok(id)
    }

    pub(super) fn number(&self, field: &str) -> Result<Option<f64>, Fault> {
        match self.get(field) {
            None | Some(Field::Null) => Ok(None),
            Some(Field::Number(n)) => Ok(Some(*n)),
            Some(Field::Integer(n)) => Ok(Some(*n as f64)),
            Some(other) => Err(Fault::field(
                field,
                format!("must be a number, found {}", json_type(other)),
            )),
        }
    }

    /// A whole number; in CSV (where every cell is text) its digits.
    pub(super) fn integer(&self, field: &str) -> Result<Option<i64>, Fault> {
        let not_whole =
            |what: &str| Fault::field(field, format!("must be a whole number, found {what}"));
        match self.get(field) {
            None | Some(Field::Null) => Ok(None),
            Some(Field::Str(s)) if s.trim().is_empty() => Ok(None),
            Some(Field::Integer(n)) => Ok(Some(*n)),
            Some(Field::Str(s)) => s
                .trim()
                .parse::<i64>()
                .map(Some)
                .map_err(|_| not_whole(&format!("`{s}`"))),
            Some(other) => Err(not_whole(json_type(other))),
        }
    }

    /// A number counted from 1: a relation's id (its handle `#N`), a change's number.
    pub(super) fn positive(&self, field: &str) -> Result<Option<i64>, Fault> {
        match self.integer(field)? {
            Some(n) if n < 1 => Err(Fault::field(
                field,
                format!("{n} is not a valid {field}: it is a whole number from 1"),
            )),
            n => Ok(n),
        }
    }

    pub(super) fn boolean(&self, field: &str) -> Result<Option<bool>, Fault> {
        match self.get(field) {
            None | Some(Field::Null) => Ok(None),
            Some(Field::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(Fault::field(
                field,
                format!("must be true or false, found {}", json_type(other)),
            )),
        }
    }

    /// A list of strings; empty strings are skipped.
    pub(super) fn texts(&self, field: &str) -> Result<Vec<&'r str>, Fault> {
        match self.get(field) {
            None | Some(Field::Null) => Ok(Vec::new()),
            Some(Field::Array(items)) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    match item {
                        Field::Str(s) if s.trim().is_empty() => {}
                        Field::Str(s) => out.push(s.as_ref()),
                        other => {
                            return Err(Fault::field(
                                &format!("{field}[{i}]"),
                                format!("must be a string, found {}", json_type(other)),
                            ))
                        }
                    }
                }
                Ok(out)
            }
            Some(other) => Err(Fault::field(
                field,
                format!("must be an array of strings, found {}", json_type(other)),
            )),
        }
    }

    pub(super) fn reject_unknown(&self, kind: &str, allowed: &[&str]) -> Result<(), Fault> {
        self.reject_unknown_in(kind, &[allowed])
    }

    /// Like [`Record::reject_unknown`], the fields allowed given as several lists.
    pub(super) fn reject_unknown_in(&self, kind: &str, allowed: &[&[&str]]) -> Result<(), Fault> {
        let known = |key: &str| key == "type" || allowed.iter().any(|list| list.contains(&key));
        match self.fields.iter().map(|(key, _)| key).find(|k| !known(k)) {
            None => Ok(()),
            Some(unknown) => Err(Fault::field(
                unknown,
                format!(
                    "unknown field for a {kind}; its fields are {}",
                    allowed.concat().join(", ")
                ),
            )),
        }
    }
}

fn check_id(field: &str, id: &str) -> Result<(), Fault> {
    if id
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        Ok(())
    } else {
        Err(Fault::field(
            field,
            format!(
                "`{id}` is not a valid id: ids use only lowercase ASCII letters, digits and `_`"
            ),
        ))
    }
}

/// A date field that is no relation's time (`published`): a date expression or a date
/// written out (`28 April 2025`); nothing for a relative date to count from.
pub(super) fn parse_date_field(field: &str, text: &str) -> Result<(i64, i64), Fault> {
    let context = time::DateContext {
        advice: "write the date itself, e.g. 2025-04-28",
        ..time::DateContext::NONE
    };
    time::resolve_date(text, &context)
        .map(|d| d.expr.range())
        .map_err(|e| Fault::field(field, format!("invalid date `{text}`: {e}")))
}

/// Agreement of a stored field with the value a record gives (None: not given).
pub(super) fn agree(
    field: &str,
    what: &str,
    id: &str,
    stored: Option<&str>,
    given: Option<&str>,
) -> Result<(), Fault> {
    match given {
        Some(g) if stored != Some(g) => Err(Fault::field(
            field,
            format!(
                "{what} `{id}` already exists with {field} {}, but this record gives `{g}`; \
                 give the same value or use another id",
                match stored {
                    Some(s) => format!("`{s}`"),
                    None => "unset".to_string(),
                }
            ),
        )),
        _ => Ok(()),
    }
}

/// The error for a bad record: the file, where in it, and what is wrong.
pub(super) fn bad_record(file: &str, line: u64, column: Option<u64>, fault: Fault) -> StoreError {
    StoreError::BadRecord {
        file: file.to_string(),
        line,
        column,
        field: fault.field,
        reason: fault.reason,
    }
}

#[cfg(test)]
mod tests {
    use crate::store::import::testing::*;

    #[test]
    fn each_kind_of_bad_record_names_line_and_field() {
        let cases: &[(&str, Option<&str>)] = &[
            (r#"{"type":"entity","id":"c","kind":"person""#, None),
            (
                r#"{"type":"entity","id":"c","kind":"person"}"#,
                Some("name"),
            ),
            (
                r#"{"type":"entity","id":"C-1","kind":"person","name":"C"}"#,
                Some("id"),
            ),
            (
                r#"{"type":"entity","id":"c","kind":5,"name":"C"}"#,
                Some("kind"),
            ),
            (
                r#"{"type":"entity","id":"c","kind":"k","name":"C","aliases":["x",3]}"#,
                Some("aliases[1]"),
            ),
            (
                r#"{"type":"entity","id":"c","kind":"k","name":"C","nmae":"D"}"#,
                Some("nmae"),
            ),
            (
                r#"{"type":"relation","subject":"a","predicate":"p","object":"b","when":"2025-02-30"}"#,
                Some("when"),
            ),
            (
                r#"{"type":"relation","subject":"a","predicate":"p","object":"b","from":"2025-13"}"#,
                Some("from"),
            ),
            (
                r#"{"type":"relation","subject":"a","predicate":"p","object":"b","status":"rumoured"}"#,
                Some("status"),
            ),
            (
                r#"{"type":"relation","subject":"a","predicate":"p","object":"b","confidence":1.5}"#,
                Some("confidence"),
            ),
            (
                r#"{"type":"relation","subject":"a","predicate":"p","object":"b","confidence":"high"}"#,
                Some("confidence"),
            ),
            (
                r#"{"type":"relation","subject":"a","predicate":"p","object":"b","source":"nope"}"#,
                Some("source"),
            ),
            (
                r#"{"type":"relation","subject":"a","predicate":"p","object":"b","place":"nope"}"#,
                Some("place"),
            ),
            (
                r#"{"type":"relation","predicate":"p","object":"b"}"#,
                Some("subject"),
            ),
            (r#"{"type":"source","title":"no id"}"#, Some("id")),
            (
                r#"{"type":"source","id":"s2","published":"2025-02-30"}"#,
                Some("published"),
            ),
            (
                r#"{"type":"predicate","id":"p","symmetric":"yes"}"#,
                Some("symmetric"),
            ),
            (r#"{"type":"fact","id":"p"}"#, Some("type")),
            (r#"{"id":"p"}"#, Some("type")),
            (r#"[1,2]"#, None),
            (
                r#"{"type":"entity","id":"a","kind":"city","name":"Alpha"}"#,
                Some("kind"),
            ),
            (
                r#"{"type":"entity","id":"a","kind":"person","name":"Other"}"#,
                Some("name"),
            ),
        ];
        for (record, field) in cases {
            let mut s = store();
            let text = format!("{BASE}{record}\n");
            let (line, got, reason) = bad(jsonl(&mut s, &text).unwrap_err());
            assert_eq!(line, 4, "{record}: {reason}");
            assert_eq!(got.as_deref(), *field, "{record}: {reason}");
            assert_eq!(count(&s, "entity"), 0, "{record}");
        }
    }

    #[test]
    fn escaped_text_and_repeated_keys_read_as_in_json() {
        let mut s = store();
        let text = r#"{"type":"entity","id":"q","kind":"person","name":"Old","name":"Qu\u00e9 \"Q\"","aliases":["\u0642"]}
{"type":"relation","subj\u0065ct":"q","predicate":"knows","object":"q","quote":"a\nb","confidence":1}
"#;
        let sum = jsonl(&mut s, text).unwrap();
        assert_eq!(sum.relations.added, 1);
        let name: String = s
            .connection()
            .query_row("SELECT name FROM entity WHERE id = 'q'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(name, "Qué \"Q\"");
        let (quote, confidence): (String, f64) = s
            .connection()
            .query_row("SELECT quote, confidence FROM relation", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!((quote.as_str(), confidence), ("a\nb", 1.0));
        assert_eq!(count(&s, "alias"), 2);
        let (_, field, _) = bad(jsonl(
            &mut s,
            r#"{"type":"entity","id":"r","kind":"k","name":"R","n\u0061m":"x"}"#,
        )
        .unwrap_err());
        assert_eq!(field.as_deref(), Some("nam"));
    }
}
