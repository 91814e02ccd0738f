//! Export of the whole store as JSON Lines: sources, declared predicates, entities,
//! relations, then saved queries, each in the order they were added, with the fields of
//! DATA.md and null or default fields left out. Importing the output into an empty store
//! and exporting again gives the same bytes. Predicates that were never declared (created
//! by a relation that used them) are not written: importing the relations creates them
//! again.

use std::io::Write;

use rusqlite::types::ValueRef;
use rusqlite::Row;

use super::{Store, StoreError};

/// Builds one JSON object line with fields in a fixed order.
struct Line {
    text: String,
}

impl Line {
    fn new(kind: &str) -> Line {
        let mut text = String::with_capacity(256);
        text.push_str("{\"type\":");
        push_json_string(&mut text, kind);
        Line { text }
    }

    fn text(&mut self, key: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.key(key);
            push_json_string(&mut self.text, v);
        }
    }

    fn raw(&mut self, key: &str, json: &str) {
        self.key(key);
        self.text.push_str(json);
    }

    fn key(&mut self, key: &str) {
        self.text.push(',');
        push_json_string(&mut self.text, key);
        self.text.push(':');
    }

    fn finish(mut self) -> String {
        self.text.push_str("}\n");
        self.text
    }
}

fn push_json_string(out: &mut String, s: &str) {
    // serde_json's escaping of a string cannot fail.
    match serde_json::to_string(s) {
        Ok(quoted) => out.push_str(&quoted),
        Err(_) => out.push_str("\"\""),
    }
}

/// A nullable text column.
fn text(row: &Row, i: usize) -> rusqlite::Result<Option<String>> {
    match row.get_ref(i)? {
        ValueRef::Null => Ok(None),
        _ => row.get(i),
    }
}

impl Store {
    /// Writes the whole store to `out` as JSON Lines.
    pub fn export(&self, out: &mut dyn Write) -> Result<(), StoreError> {
        let io = |source| StoreError::Io {
            what: "cannot write the export".to_string(),
            source,
        };
        let db = StoreError::sqlite("cannot read the store for the export");
        let mut write = |line: String| out.write_all(line.as_bytes()).map_err(io);

        let conn = &self.conn;
        // Statements from the connection's cache: a store exported again reuses them.
        let mut stmt = conn
            .prepare_cached("SELECT id, title, published, lang, url, note FROM source ORDER BY key")
            .map_err(db)?;
        let mut rows = stmt.query([]).map_err(db)?;
        while let Some(r) = rows.next().map_err(db)? {
            let mut line = Line::new("source");
            for (i, key) in ["id", "title", "published", "lang", "url", "note"]
                .iter()
                .enumerate()
            {
                line.text(key, text(r, i).map_err(db)?.as_deref());
            }
            write(line.finish())?;
        }

        let mut stmt = conn
            .prepare_cached(
                "SELECT id, label, symmetric, description FROM predicate WHERE declared = 1
                 ORDER BY key",
            )
            .map_err(db)?;
        let mut rows = stmt.query([]).map_err(db)?;
        while let Some(r) = rows.next().map_err(db)? {
            let mut line = Line::new("predicate");
            line.text("id", text(r, 0).map_err(db)?.as_deref());
            line.text("label", text(r, 1).map_err(db)?.as_deref());
            if r.get::<_, bool>(2).map_err(db)? {
                line.raw("symmetric", "true");
            }
            line.text("description", text(r, 3).map_err(db)?.as_deref());
            write(line.finish())?;
        }

        let mut aliases = conn
            .prepare_cached(
                "SELECT text FROM alias WHERE entity = ?1 AND is_name = 0 ORDER BY ord, text",
            )
            .map_err(db)?;
        let mut stmt = conn
            .prepare_cached("SELECT key, id, kind, name, note FROM entity ORDER BY key")
            .map_err(db)?;
        let mut rows = stmt.query([]).map_err(db)?;
        while let Some(r) = rows.next().map_err(db)? {
            let key: i64 = r.get(0).map_err(db)?;
            let mut line = Line::new("entity");
            line.text("id", text(r, 1).map_err(db)?.as_deref());
            line.text("kind", text(r, 2).map_err(db)?.as_deref());
            line.text("name", text(r, 3).map_err(db)?.as_deref());
            let names: Vec<String> = aliases
                .query_map([key], |a| a.get(0))
                .map_err(db)?
                .collect::<rusqlite::Result<_>>()
                .map_err(db)?;
            if !names.is_empty() {
                let json = serde_json::to_string(&names).map_err(|e| StoreError::Io {
                    what: "cannot write the export".to_string(),
                    source: e.into(),
                })?;
                line.raw("aliases", &json);
            }
            line.text("note", text(r, 4).map_err(db)?.as_deref());
            write(line.finish())?;
        }

        let mut stmt = conn
            .prepare_cached(
                "SELECT s.id, p.id, o.id, r.when_text, r.from_text, r.to_text, r.at_text,
                        r.status, pl.id, so.id, r.quote, r.note, r.confidence
                 FROM relation r
                 JOIN entity s ON s.key = r.subject
                 JOIN predicate p ON p.key = r.predicate
                 JOIN entity o ON o.key = r.object
                 LEFT JOIN entity pl ON pl.key = r.place
                 LEFT JOIN source so ON so.key = r.source
                 ORDER BY r.key",
            )
            .map_err(db)?;
        let mut rows = stmt.query([]).map_err(db)?;
        while let Some(r) = rows.next().map_err(db)? {
            let mut line = Line::new("relation");
            for (i, key) in ["subject", "predicate", "object", "when", "from", "to", "at"]
                .iter()
                .enumerate()
            {
                line.text(key, text(r, i).map_err(db)?.as_deref());
            }
            let status = text(r, 7).map_err(db)?;
            if status.as_deref() != Some(crate::model::Status::DEFAULT.as_str()) {
                line.text("status", status.as_deref());
            }
            for (i, key) in ["place", "source", "quote", "note"].iter().enumerate() {
                line.text(key, text(r, 8 + i).map_err(db)?.as_deref());
            }
            if let Some(c) = r.get::<_, Option<f64>>(12).map_err(db)? {
                if let Some(n) = serde_json::Number::from_f64(c) {
                    line.raw("confidence", &n.to_string());
                }
            }
            write(line.finish())?;
        }

        let mut stmt = conn
            .prepare_cached("SELECT name, params, body FROM saved_query ORDER BY name")
            .map_err(db)?;
        let mut rows = stmt.query([]).map_err(db)?;
        while let Some(r) = rows.next().map_err(db)? {
            let mut line = Line::new("saved_query");
            line.text("name", text(r, 0).map_err(db)?.as_deref());
            let params: String = r.get(1).map_err(db)?;
            // Stored by import or `save` as a JSON array; re-serialise to be sure of its shape.
            let name = text(r, 0).map_err(db)?.unwrap_or_default();
            let params: Vec<String> =
                serde_json::from_str(&params).map_err(|e| StoreError::Corrupt {
                    what: format!(
                        "has saved query `{name}` whose parameters are not a JSON list of names ({e})"
                    ),
                })?;
            let json = serde_json::to_string(&params).map_err(|e| StoreError::Io {
                what: "cannot write the export".to_string(),
                source: e.into(),
            })?;
            line.raw("params", &json);
            line.text("body", text(r, 2).map_err(db)?.as_deref());
            write(line.finish())?;
        }
        out.flush().map_err(io)
    }
}

#[cfg(test)]
mod tests {
    use crate::store::{ImportFormat, ImportOptions, Store};

    fn export(store: &Store) -> String {
        let mut out = Vec::new();
        store.export(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn import(store: &mut Store, text: &str) {
        store
            .import(
                text.as_bytes(),
                ImportFormat::JsonLines,
                "t",
                ImportOptions::default(),
            )
            .unwrap();
    }

    const DATA: &str = r#"{"type": "relation", "subject": "a", "predicate": "met", "object": "b", "from": "2024", "status": "occurred", "confidence": 0.75, "note": ""}
{"type": "relation", "subject": "b", "predicate": "undeclared", "object": "a", "status": "alleged", "place": "b"}
{"type": "predicate", "id": "met", "label": "met with", "symmetric": true, "description": "d"}
{"type": "predicate", "id": "plain", "symmetric": false}
{"type": "entity", "id": "a", "kind": "person", "name": "A \"quoted\"", "aliases": ["أ", "A"], "note": "n"}
{"type": "entity", "id": "b", "kind": "city", "name": "B", "aliases": []}
{"type": "source", "id": "s", "title": "T", "url": "http://x"}
{"type": "saved_query", "name": "q", "params": ["x", "y"], "body": "$x met $y"}
"#;

    #[test]
    fn export_writes_records_in_order_without_defaults() {
        let mut s = Store::open_in_memory().unwrap();
        import(&mut s, DATA);
        let expected = concat!(
            r#"{"type":"source","id":"s","title":"T","url":"http://x"}"#,
            "\n",
            r#"{"type":"predicate","id":"met","label":"met with","symmetric":true,"description":"d"}"#,
            "\n",
            r#"{"type":"predicate","id":"plain"}"#,
            "\n",
            r#"{"type":"entity","id":"a","kind":"person","name":"A \"quoted\"","aliases":["أ","A"],"note":"n"}"#,
            "\n",
            r#"{"type":"entity","id":"b","kind":"city","name":"B"}"#,
            "\n",
            r#"{"type":"relation","subject":"a","predicate":"met","object":"b","from":"2024","confidence":0.75}"#,
            "\n",
            r#"{"type":"relation","subject":"b","predicate":"undeclared","object":"a","status":"alleged","place":"b"}"#,
            "\n",
            r#"{"type":"saved_query","name":"q","params":["x","y"],"body":"$x met $y"}"#,
            "\n",
        );
        assert_eq!(export(&s), expected);
    }

    #[test]
    fn export_import_export_is_identical() {
        let mut first = Store::open_in_memory().unwrap();
        import(&mut first, DATA);
        let once = export(&first);
        let mut second = Store::open_in_memory().unwrap();
        import(&mut second, &once);
        assert_eq!(export(&second), once);
        // And re-importing the export into the first store adds nothing.
        let sum = first
            .import(
                once.as_bytes(),
                ImportFormat::JsonLines,
                "t",
                ImportOptions::default(),
            )
            .unwrap();
        assert_eq!(sum.relations.added, 0);
        assert_eq!(sum.entities.added, 0);
    }
}
