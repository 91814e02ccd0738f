//! Export of the store as JSON Lines.
//!
//! `export`: the current beliefs — sources, declared predicates, entities, relations (each
//! with its permanent `id`), then saved queries, each in the order they were added, with
//! the fields of DATA.md and null or default fields left out. Importing the output into an
//! empty store keeps every relation's id, and exporting again gives the same bytes.
//! Predicates that were never declared (created by a relation that used them) are not
//! written: importing the relations creates them again.
//!
//! `export --history`: everything the change log and the version tables hold, so that
//! importing it into an empty store gives the same answers to every question, `as
//! recorded` ones included, and exports again to the same bytes. Its lines:
//! - first `{"type":"history","format":1}`;
//! - `change` lines, then `source`, `predicate`, `entity`, `alias` and `weak_alias` lines:
//!   the rows of those tables as stored, one field per non-NULL column (keys,
//!   `since_change`, `merged_into`, undeclared predicates included; an alias's normalised
//!   form is left out, the import derives it);
//! - `relation` lines as in `export`, with `since_change` after the `id`; `saved_query`
//!   lines as in `export`;
//! - `source_version`, `predicate_version`, `entity_version` and `relation_version`
//!   lines: the rows of the version tables as stored.
//!
//! The columns of the tables written as stored are read from the schema, so a column a
//! later migration adds is exported and imported without a change here.

use std::io::Write;

use super::db::{dialect, Cell, Db, DbError, Row};
use super::{Store, StoreError};

/// The version of the history export's lines (`{"type":"history","format":1}`).
pub(super) const HISTORY_FORMAT: i64 = 1;

/// A table whose rows a history export writes as they are stored; its lines' type is
/// the table's name, `order` the order of its rows.
pub(super) struct StoredTable {
    pub(super) name: &'static str,
    order: &'static str,
}

const fn table(name: &'static str, order: &'static str) -> StoredTable {
    StoredTable { name, order }
}

/// The tables written as stored before the relations: the change log and the current
/// rows of everything but relations.
pub(super) const CURRENT_TABLES: &[StoredTable] = &[
    table("change", "id"),
    table("source", "key"),
    table("predicate", "key"),
    table("entity", "key"),
    table("alias", "entity, text"),
    table("weak_alias", "entity, text"),
];

/// The version tables, written after the current rows.
pub(super) const VERSION_TABLES: &[StoredTable] = &[
    table("source_version", "key, since_change"),
    table("predicate_version", "key, since_change"),
    table("entity_version", "key, since_change"),
    table("relation_version", "id, since_change"),
];

/// Columns a history export leaves out because the import derives them again: (table,
/// column, the column it is the normalised form of).
pub(super) const DERIVED_COLUMNS: &[(&str, &str, &str)] =
    &[("alias", "norm", "text"), ("weak_alias", "norm", "text")];

/// The columns of `table` a history export writes, as (name, declared type), in the
/// table's order (see [`dialect::table_columns_sql`] for the types).
pub(super) fn history_columns(db: &Db, table: &str) -> Result<Vec<(String, String)>, DbError> {
    let columns = db.query_map(dialect::table_columns_sql(db.dialect()), &[&table], |r| {
        Ok((r.get::<String>(0)?, r.get::<String>(1)?))
    })?;
    Ok(without_derived(table, columns))
}

/// `columns` of `table` (name, declared type) without the [`DERIVED_COLUMNS`].
pub(super) fn without_derived(
    table: &str,
    columns: Vec<(String, String)>,
) -> Vec<(String, String)> {
    columns
        .into_iter()
        .filter(|(column, _)| {
            !DERIVED_COLUMNS
                .iter()
                .any(|&(t, c, _)| t == table && c == column)
        })
        .collect()
}

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
fn text(row: &Row<'_>, i: usize) -> Result<Option<String>, DbError> {
    row.get(i)
}

/// A number as JSON (`None` for a NaN or infinity, which JSON cannot write and the store
/// never holds). Both engines hand the stored double itself (PostgreSQL's binary
/// format), so the digits are the same.
fn json_number(x: f64) -> Option<String> {
    serde_json::Number::from_f64(x).map(|n| n.to_string())
}

impl Store {
    /// Writes the store's current beliefs to `out` as JSON Lines.
    pub fn export(&self, out: &mut dyn Write) -> Result<(), StoreError> {
        Exporter::new(self.db(), out).current()
    }

    /// Writes the store with its whole history (every change and every version) to `out`
    /// as JSON Lines, for an import into an empty store.
    pub fn export_history(&self, out: &mut dyn Write) -> Result<(), StoreError> {
        Exporter::new(self.db(), out).history()
    }
}

/// Writes one export.
struct Exporter<'a> {
    db: &'a Db,
    out: &'a mut dyn Write,
}

/// The error of a read of the store during an export.
const READ: &str = "cannot read the store for the export";

/// An export's error inside a read of the store's rows.
struct Failure(StoreError);

impl From<DbError> for Failure {
    fn from(e: DbError) -> Failure {
        Failure(StoreError::db(READ)(e))
    }
}

fn io(source: std::io::Error) -> StoreError {
    StoreError::Io {
        what: "cannot write the export".to_string(),
        source,
    }
}

impl<'a> Exporter<'a> {
    fn new(db: &'a Db, out: &'a mut dyn Write) -> Exporter<'a> {
        Exporter { db, out }
    }

    /// Writes a line to the output (a free function of `out`, so that it can be called
    /// while a row of the store is read).
    fn write(out: &mut dyn Write, line: Line) -> Result<(), StoreError> {
        out.write_all(line.finish().as_bytes()).map_err(io)
    }

    /// Runs `sql` and hands each row to `f` with the output, as the rows come.
    fn rows(
        &mut self,
        sql: &str,
        params: &[&dyn super::db::ToParam],
        mut f: impl FnMut(&Row<'_>, &mut dyn Write) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let out = &mut *self.out;
        self.db
            .for_each(sql, params, |row| f(row, out).map_err(Failure))
            .map_err(|Failure(e)| e)
    }

    fn current(mut self) -> Result<(), StoreError> {
        self.sources()?;
        self.predicates()?;
        self.entities()?;
        self.relations(false)?;
        self.saved_queries()?;
        self.out.flush().map_err(io)
    }

    fn history(mut self) -> Result<(), StoreError> {
        let mut header = Line::new("history");
        header.raw("format", &HISTORY_FORMAT.to_string());
        Self::write(self.out, header)?;
        for table in CURRENT_TABLES {
            self.stored_rows(table)?;
        }
        self.relations(true)?;
        self.saved_queries()?;
        for table in VERSION_TABLES {
            self.stored_rows(table)?;
        }
        self.out.flush().map_err(io)
    }

    /// The rows of `table` as stored: one field per non-NULL column.
    fn stored_rows(&mut self, table: &StoredTable) -> Result<(), StoreError> {
        let columns = history_columns(self.db, table.name).map_err(StoreError::db(READ))?;
        let list: Vec<String> = columns.iter().map(|(c, _)| crate::sql::ident(c)).collect();
        // Table and column names come from the schema, not from any input.
        let sql = format!(
            "SELECT {} FROM {} ORDER BY {}",
            list.join(", "),
            crate::sql::ident(table.name),
            table.order
        );
        self.rows(&sql, &[], |r, out| {
            let mut line = Line::new(table.name);
            for (i, (column, _)) in columns.iter().enumerate() {
                match r.cell(i).map_err(StoreError::db(READ))? {
                    Cell::Null => {}
                    Cell::Int(n) => line.raw(column, &n.to_string()),
                    Cell::Real(x) => {
                        if let Some(n) = json_number(x) {
                            line.raw(column, &n);
                        }
                    }
                    Cell::Text(t) => line.text(column, Some(t)),
                    // SQLite's cells read text that is not UTF-8 as a blob.
                    Cell::Blob(_) => {
                        return Err(StoreError::Corrupt {
                            what: format!(
                                "has a blob or text that is not UTF-8 in {}.{column}, which \
                                 holds neither",
                                table.name
                            ),
                        })
                    }
                }
            }
            Self::write(out, line)
        })
    }

    fn sources(&mut self) -> Result<(), StoreError> {
        // Statements from the connection's cache: a store exported again reuses them.
        self.rows(
            "SELECT id, title, published, lang, url, note FROM source ORDER BY key",
            &[],
            |r, out| {
                let mut line = Line::new("source");
                for (i, key) in ["id", "title", "published", "lang", "url", "note"]
                    .iter()
                    .enumerate()
                {
                    line.text(key, text(r, i).map_err(StoreError::db(READ))?.as_deref());
                }
                Self::write(out, line)
            },
        )
    }

    fn predicates(&mut self) -> Result<(), StoreError> {
        // `symmetric` quoted: a reserved word in PostgreSQL.
        self.rows(
            "SELECT id, label, \"symmetric\", description FROM predicate WHERE declared = 1
             ORDER BY key",
            &[],
            |r, out| {
                let db = StoreError::db(READ);
                let mut line = Line::new("predicate");
                line.text("id", text(r, 0).map_err(db)?.as_deref());
                line.text("label", text(r, 1).map_err(db)?.as_deref());
                if r.get::<bool>(2).map_err(db)? {
                    line.raw("symmetric", "true");
                }
                line.text("description", text(r, 3).map_err(db)?.as_deref());
                Self::write(out, line)
            },
        )
    }

    fn entities(&mut self) -> Result<(), StoreError> {
        // Each entity's names with it, in one ordered read beside the entities' own (a
        // query per entity cost PostgreSQL a round trip each): the names of the entities
        // in key order, merged as both are read. The connection runs one statement at a
        // time, so the names are read first, a page of entities at a time.
        let db = self.db;
        let mut after = i64::MIN;
        loop {
            let entities: Vec<(i64, Line, Option<String>)> = db
                .query_map(
                    "SELECT key, id, kind, name, note FROM entity WHERE key > ?1
                     ORDER BY key LIMIT 10000",
                    &[&after],
                    |r| {
                        let mut line = Line::new("entity");
                        line.text("id", text(r, 1)?.as_deref());
                        line.text("kind", text(r, 2)?.as_deref());
                        line.text("name", text(r, 3)?.as_deref());
                        Ok((r.get::<i64>(0)?, line, text(r, 4)?))
                    },
                )
                .map_err(StoreError::db(READ))?;
            let (Some(first), Some(last)) = (entities.first(), entities.last()) else {
                return Ok(());
            };
            let (first, last) = (first.0, last.0);
            after = last;
            let names = |sql: &str| {
                let mut by_entity: std::collections::HashMap<i64, Vec<String>> =
                    std::collections::HashMap::new();
                db.for_each(sql, &[&first, &last], |r| {
                    by_entity
                        .entry(r.get::<i64>(0)?)
                        .or_default()
                        .push(r.get::<String>(1)?);
                    Ok::<(), DbError>(())
                })
                .map(|()| by_entity)
                .map_err(StoreError::db(READ))
            };
            let mut aliases = names(
                "SELECT entity, text FROM alias WHERE entity BETWEEN ?1 AND ?2 AND is_name = 0
                 ORDER BY entity, ord, text",
            )?;
            let mut weak_aliases = names(
                "SELECT entity, text FROM weak_alias WHERE entity BETWEEN ?1 AND ?2
                 ORDER BY entity, ord, text",
            )?;
            for (key, mut line, note) in entities {
                for (field, names) in [
                    ("aliases", &mut aliases),
                    ("weak_aliases", &mut weak_aliases),
                ] {
                    if let Some(names) = names.remove(&key) {
                        let json = serde_json::to_string(&names).map_err(|e| io(e.into()))?;
                        line.raw(field, &json);
                    }
                }
                line.text("note", note.as_deref());
                Self::write(self.out, line)?;
            }
        }
    }

    /// Relations, each with its id first; in a history export with the change that made
    /// its current version after it.
    fn relations(&mut self, history: bool) -> Result<(), StoreError> {
        self.rows(
            "SELECT s.id, p.id, o.id, r.when_text, r.from_text, r.to_text, r.at_text,
                    r.status, pl.id, so.id, r.quote, r.note, r.confidence, r.key,
                    r.since_change, r.reported
             FROM relation r
             JOIN entity s ON s.key = r.subject
             JOIN predicate p ON p.key = r.predicate
             JOIN entity o ON o.key = r.object
             LEFT JOIN entity pl ON pl.key = r.place
             LEFT JOIN source so ON so.key = r.source
             ORDER BY r.key",
            &[],
            |r, out| {
                let db = StoreError::db(READ);
                let mut line = Line::new("relation");
                line.raw("id", &r.get::<i64>(13).map_err(db)?.to_string());
                if history {
                    line.raw("since_change", &r.get::<i64>(14).map_err(db)?.to_string());
                }
                for (i, key) in ["subject", "predicate", "object", "when", "from", "to", "at"]
                    .iter()
                    .enumerate()
                {
                    line.text(key, text(r, i).map_err(db)?.as_deref());
                }
                line.text("reported", text(r, 15).map_err(db)?.as_deref());
                let status = text(r, 7).map_err(db)?;
                if status.as_deref() != Some(crate::model::Status::DEFAULT.as_str()) {
                    line.text("status", status.as_deref());
                }
                for (i, key) in ["place", "source", "quote", "note"].iter().enumerate() {
                    line.text(key, text(r, 8 + i).map_err(db)?.as_deref());
                }
                if let Some(c) = r.get::<Option<f64>>(12).map_err(db)? {
                    if let Some(n) = json_number(c) {
                        line.raw("confidence", &n);
                    }
                }
                Self::write(out, line)
            },
        )
    }

    fn saved_queries(&mut self) -> Result<(), StoreError> {
        self.rows(
            "SELECT name, params, body FROM saved_query ORDER BY name",
            &[],
            |r, out| {
                let db = StoreError::db(READ);
                let mut line = Line::new("saved_query");
                let name = text(r, 0).map_err(db)?.unwrap_or_default();
                line.text("name", Some(&name));
                let params: String = r.get(1).map_err(db)?;
                // Stored by import or `save` as a JSON array; re-serialise to be sure of its
                // shape.
                let params: Vec<String> =
                    serde_json::from_str(&params).map_err(|e| StoreError::Corrupt {
                        what: format!(
                            "has saved query `{name}` whose parameters are not a JSON list of \
                             names ({e})"
                        ),
                    })?;
                let json = serde_json::to_string(&params).map_err(|e| io(e.into()))?;
                line.raw("params", &json);
                line.text("body", text(r, 2).map_err(db)?.as_deref());
                Self::write(out, line)
            },
        )
    }
}

/// A copy of a SQLite store in a fresh schema of the test server, for tests that compare
/// the two engines on the same rows before PostgreSQL can import them itself.
#[cfg(test)]
pub(crate) mod postgres_copy {
    use crate::store::db::{dialect, Param};
    use crate::store::{Mode, Store, Target};

    /// The tables of a store's rows, parents before the rows that name them.
    const TABLES: &[&str] = &[
        "change",
        "source",
        "predicate",
        "entity",
        "alias",
        "weak_alias",
        "relation",
        "saved_query",
        "source_version",
        "predicate_version",
        "entity_version",
        "relation_version",
    ];

    /// One owned cell.
    enum Value {
        Null,
        Int(i64),
        Real(f64),
        Text(String),
        Blob(Vec<u8>),
    }

    impl Value {
        fn param(&self) -> Param<'_> {
            match self {
                Value::Null => Param::Null,
                Value::Int(n) => Param::Int(*n),
                Value::Real(x) => Param::Real(*x),
                Value::Text(t) => Param::Text(t),
                Value::Blob(b) => Param::Blob(b),
            }
        }
    }

    /// A fresh PostgreSQL store holding every row of `sqlite`'s tables (the text index
    /// and the kept counts aside), or None without a test server.
    pub(crate) fn copy(sqlite: &Store) -> Option<Store> {
        let server = crate::store::pg_server::server()?;
        let target = Target::Postgres {
            conninfo: server.conninfo().to_owned(),
            schema: server.fresh_schema(),
        };
        let pg = Store::open_target(&target, Mode::Create).unwrap();
        let (from, to) = (sqlite.db(), pg.db());
        to.execute_batch("BEGIN; SET CONSTRAINTS ALL DEFERRED")
            .unwrap();
        for table in TABLES {
            let columns: Vec<String> = from
                .query_map(dialect::table_columns_sql(from.dialect()), &[table], |r| {
                    r.get::<String>(0)
                })
                .unwrap();
            let list: Vec<String> = columns.iter().map(crate::sql::ident).collect();
            let list = list.join(", ");
            let rows: Vec<Vec<Value>> = from
                .query_map(&format!("SELECT {list} FROM {table}"), &[], |r| {
                    (0..columns.len())
                        .map(|i| {
                            Ok(match r.cell(i)? {
                                crate::store::db::Cell::Null => Value::Null,
                                crate::store::db::Cell::Int(n) => Value::Int(n),
                                crate::store::db::Cell::Real(x) => Value::Real(x),
                                crate::store::db::Cell::Text(t) => Value::Text(t.to_owned()),
                                crate::store::db::Cell::Blob(b) => Value::Blob(b.to_vec()),
                            })
                        })
                        .collect()
                })
                .unwrap();
            let marks: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
            let insert = format!(
                "INSERT INTO {table} ({list}) VALUES ({}) ON CONFLICT DO NOTHING",
                marks.join(", ")
            );
            for row in &rows {
                let params: Vec<Param<'_>> = row.iter().map(Value::param).collect();
                let refs: Vec<&dyn crate::store::db::ToParam> = params
                    .iter()
                    .map(|p| p as &dyn crate::store::db::ToParam)
                    .collect();
                to.execute(&insert, &refs).unwrap();
            }
        }
        to.execute_batch("COMMIT").unwrap();
        Some(pg)
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
            r#"{"type":"relation","id":1,"subject":"a","predicate":"met","object":"b","from":"2024","confidence":0.75}"#,
            "\n",
            r#"{"type":"relation","id":2,"subject":"b","predicate":"undeclared","object":"a","status":"alleged","place":"b"}"#,
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

    fn history(store: &Store) -> String {
        let mut out = Vec::new();
        store.export_history(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn history_export_restores_changes_versions_and_rows() {
        let mut first = Store::open_in_memory().unwrap();
        import(&mut first, DATA);
        // A second change: a name added (the entity's earlier version is kept) and the
        // undeclared predicate declared (likewise).
        import(
            &mut first,
            r#"{"type":"entity","id":"b","aliases":["Bee"]}
{"type":"predicate","id":"undeclared","label":"now declared"}
"#,
        );
        let once = history(&first);
        assert!(
            once.starts_with("{\"type\":\"history\",\"format\":1}\n"),
            "{once}"
        );
        for line in [
            r#""type":"entity_version","key":2,"since_change":1,"until_change":2"#,
            r#""type":"predicate_version","key":"#,
            r#""type":"relation","id":1,"since_change":1,"subject":"a""#,
            r#""type":"alias","entity":2,"text":"Bee","is_name":0,"ord":1}"#,
        ] {
            assert!(once.contains(line), "{line} not in {once}");
        }
        let mut second = Store::open_in_memory().unwrap();
        let sum = second
            .import(
                once.as_bytes(),
                ImportFormat::JsonLines,
                "h",
                ImportOptions::default(),
            )
            .unwrap();
        assert_eq!(
            (sum.changes_restored, sum.versions_restored, sum.change),
            (2, 2, None)
        );
        assert_eq!(history(&second), once);
        assert_eq!(export(&second), export(&first));
        // Into a store that holds anything: refused, whole.
        let err = first
            .import(
                once.as_bytes(),
                ImportFormat::JsonLines,
                "h",
                ImportOptions::default(),
            )
            .unwrap_err();
        assert!(err.to_string().contains("empty store"), "{err}");
        assert_eq!(err.exit_code(), 2);
    }

    /// Both exports of `store` and of its copy on PostgreSQL, which must be the same
    /// bytes; None without a test server.
    fn same_on_postgres(store: &Store) {
        let Some(pg) = super::postgres_copy::copy(store) else {
            return;
        };
        assert_eq!(export(&pg), export(store));
        assert_eq!(history(&pg), history(store));
    }

    #[test]
    fn both_engines_export_the_same_bytes() {
        let mut s = Store::open_in_memory().unwrap();
        import(&mut s, DATA);
        // Reals whose shortest digits are long, names that sort differently by locale,
        // and a second change with versions.
        import(
            &mut s,
            r#"{"type":"entity","id":"c","kind":"person","name":"Zoë","aliases":["a", "B", "é", "Ω"]}
{"type":"relation","subject":"c","predicate":"met","object":"a","confidence":0.1}
{"type":"relation","subject":"c","predicate":"plain","object":"b","confidence":0.30000000000000004}
{"type":"relation","subject":"a","predicate":"plain","object":"c","confidence":1e-7,"quote":"«q»"}
{"type":"entity","id":"b","aliases":["Bee"]}
{"type":"predicate","id":"undeclared","label":"now declared"}
{"type":"saved_query","name":"B","params":[],"body":"?x met ?y"}
"#,
        );
        same_on_postgres(&s);
    }

    #[test]
    fn both_engines_export_the_demo_and_the_fixtures_alike() {
        for file in [
            concat!(env!("CARGO_MANIFEST_DIR"), "/data/demo.jsonl"),
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/store-v1.jsonl"),
        ] {
            let text = std::fs::read_to_string(file).unwrap();
            let mut s = Store::open_in_memory().unwrap();
            import(&mut s, &text);
            same_on_postgres(&s);
        }
    }
}
