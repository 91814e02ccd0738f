//! Restoring a history export (`export --history`, described in [`crate::store::export`]):
//! its first line `{"type":"history","format":1}` says what it is; it is imported into an
//! empty store only, and opens no change of its own, since it restores the store's
//! changes as they were. The rows of the change log, the version tables and the current
//! sources, predicates, entities and names are written as given, column by column (the
//! columns come from the store's schema) with the checks the schema's constraints and a
//! plain import make (ids, names, dates); relations and saved queries go through the
//! usual checks, relations keeping their ids and the change that made them. Before it is
//! committed, the restored store must pass the store's own rules (`check` but for
//! SQLite's page-by-page integrity check).

use std::rc::Rc;

use super::importer::Importer;
use super::record::{parse_date_field, Fault, Field, Record, RecordError};
use crate::names;
use crate::store::check::rule_problems;
use crate::store::db::dialect::{defer_foreign_keys, table_columns_sql};
use crate::store::db::{DbError, Dialect, Param, ToParam};
use crate::store::export::{
    without_derived, StoredTable, CURRENT_TABLES, DERIVED_COLUMNS, HISTORY_FORMAT, VERSION_TABLES,
};
use crate::store::StoreError;

/// The tables an empty store has no row in (those a history export restores, and
/// relations and saved queries).
fn holds_anything_sql() -> String {
    CURRENT_TABLES
        .iter()
        .chain(VERSION_TABLES)
        .map(|t| t.name)
        .chain(["relation", "saved_query"])
        .map(|name| format!("EXISTS (SELECT 1 FROM {})", crate::sql::ident(name)))
        .collect::<Vec<_>>()
        .join(" OR ")
}

impl<'t> Importer<'t> {
    /// The first line of a history export: the file is restored as written, and only
    /// into an empty store.
    pub(super) fn history_header(&mut self, rec: &Record, line: u64) -> Result<(), RecordError> {
        rec.reject_unknown("history", &["format"])?;
        if self.started {
            return Err(Fault::field(
                "type",
                "a `history` record marks a history export (`factstore export --history`) and \
                 can only be the first line of a file",
            )
            .into());
        }
        match rec.integer("format")? {
            Some(HISTORY_FORMAT) => {}
            Some(n) => {
                return Err(Fault::field(
                    "format",
                    format!(
                        "history export format {n} is not known to this factstore, which reads \
                         format {HISTORY_FORMAT}; import it with the factstore that wrote it"
                    ),
                )
                .into())
            }
            None => return Err(Fault::field("format", "required field is missing").into()),
        }
        let holds: bool =
            self.db
                .query_row(&format!("SELECT {}", holds_anything_sql()), &[], |r| {
                    r.get(0)
                })?;
        if holds {
            return Err(Fault::record(
                "this is a history export, which restores a store's changes as they were and \
                 so can only be imported into an empty store, but this store already holds \
                 data or history; import it into a new store (`factstore --db NEW.db import \
                 FILE`), or import a plain `export` to add its current facts",
            )
            .into());
        }
        // The rows restored as given must meet the schema's CHECK constraints, which the
        // import otherwise leaves to its own checks on SQLite (see `Store::import`); the
        // setting applies to the statements prepared from here on and is restored after
        // the import (PostgreSQL always checks them). Foreign keys wait for the end (a
        // small file is imported with them on, see `Store::import`): rows are restored
        // table by table, and an entity may be merged into one restored after it;
        // `check_restored` checks them before the commit, naming what a damaged export
        // left dangling.
        let dialect = self.db.dialect();
        if dialect == Dialect::Sqlite {
            self.db
                .execute_batch("PRAGMA ignore_check_constraints = 0")?;
        }
        self.db.execute_batch(defer_foreign_keys(dialect, true))?;
        self.history = Some(line);
        self.summary.history = true;
        self.started = true;
        Ok(())
    }

    /// Refuses a restored store that breaks the store's rules (a dangling key, an entity
    /// without a name, …): the history export was changed or damaged.
    pub(super) fn check_restored(&self, header: u64) -> Result<(), StoreError> {
        let problems =
            rule_problems(self.db).map_err(StoreError::db("cannot check the restored history"))?;
        let Some(first) = problems.first() else {
            return Ok(());
        };
        let more = match problems.len() - 1 {
            0 => String::new(),
            n => format!(" (and {n} more)"),
        };
        Err(self.unsound(header, format!("{first}{more}")))
    }

    /// PostgreSQL: checks the foreign keys deferred since the header, by making them
    /// immediate again (SQLite's are checked with the store's rules, see
    /// [`Importer::check_restored`]); a dangling key is the export's fault. Runs before
    /// the import turns its triggers on again, which PostgreSQL refuses while deferred
    /// checks are pending.
    pub(super) fn check_restored_keys(&self, header: u64) -> Result<(), StoreError> {
        if self.db.dialect() != Dialect::Postgres {
            return Ok(());
        }
        match self
            .db
            .execute_batch(defer_foreign_keys(Dialect::Postgres, false))
        {
            Ok(()) => Ok(()),
            Err(e) if violated_constraint(&e) => Err(self.unsound(header, e.to_string())),
            Err(e) => Err(StoreError::db("cannot check the restored history")(e)),
        }
    }

    /// The history export restored a store that breaks the store's rules (`found`).
    fn unsound(&self, header: u64, found: String) -> StoreError {
        self.bad(
            header,
            None,
            Fault::record(format!(
                "this history export does not restore a sound store: {found}; it was \
                 changed or damaged: export it again from the store it came from"
            )),
        )
    }

    /// Restores the line if it is a row a history export writes as stored (true); false
    /// for the other records. Outside a history export, the lines only it has are faults.
    pub(super) fn history_line(&mut self, kind: &str, rec: &Record) -> Result<bool, RecordError> {
        let Some(table) = CURRENT_TABLES
            .iter()
            .chain(VERSION_TABLES)
            .find(|t| t.name == kind)
        else {
            return Ok(false);
        };
        if self.history.is_some() {
            self.restore_row(table, rec)?;
            return Ok(true);
        }
        if matches!(kind, "source" | "predicate" | "entity") {
            return Ok(false);
        }
        Err(Fault::field(
            "type",
            format!(
                "`{kind}` records come only in a history export (written by `factstore export \
                 --history`, whose first line is {{\"type\":\"history\",\"format\":1}})"
            ),
        )
        .into())
    }

    /// Writes one row of `table` with the columns the record gives.
    fn restore_row(&mut self, table: &StoredTable, rec: &Record) -> Result<(), RecordError> {
        let columns = self.stored_columns(table.name)?;
        let names: Vec<&str> = columns.iter().map(|(c, _)| c.as_str()).collect();
        rec.reject_unknown(table.name, &names)?;
        check_current_row(table.name, rec)?;
        // The derived columns' texts, folded as the store folds them.
        let mut derived: Vec<(&str, String)> = Vec::new();
        for &(_, column, of) in DERIVED_COLUMNS.iter().filter(|d| d.0 == table.name) {
            if let Some(text) = rec.text(of)? {
                derived.push((column, names::normalise(text)));
            }
        }
        let mut written: Vec<String> = Vec::with_capacity(columns.len() + derived.len());
        let mut values: Vec<Param<'_>> = Vec::with_capacity(columns.len() + derived.len());
        for (column, declared) in columns.iter() {
            let Some(field) = rec.get(column) else {
                continue;
            };
            let Some(value) = stored_value(column, declared, field)? else {
                continue;
            };
            written.push(crate::sql::ident(column));
            values.push(value);
        }
        for (column, folded) in &derived {
            written.push(crate::sql::ident(column));
            values.push(Param::Text(folded));
        }
        // Table and column names come from the schema; every value is bound.
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({})",
            crate::sql::ident(table.name),
            written.join(", "),
            (1..=values.len())
                .map(|i| format!("?{i}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let params: Vec<&dyn ToParam> = values.iter().map(|v| v as &dyn ToParam).collect();
        if let Err(e) = self.db.execute(&sql, &params) {
            if violated_constraint(&e) {
                return Err(Fault::record(format!(
                    "cannot restore this `{}` row ({e}): the history export was changed or \
                     damaged; export it again",
                    table.name
                ))
                .into());
            }
            return Err(e.into());
        }
        self.count_restored(table.name, rec)?;
        Ok(())
    }

    /// Counts a restored row, and keeps the id caches true to what is now stored.
    fn count_restored(&mut self, table: &str, rec: &Record) -> Result<(), RecordError> {
        let summary = &mut self.summary;
        match table {
            "change" => summary.changes_restored += 1,
            "source" => summary.sources.added += 1,
            "predicate" => summary.predicates.added += 1,
            "entity" => summary.entities.added += 1,
            "alias" | "weak_alias" => summary.aliases_added += 1,
            _ => summary.versions_restored += 1,
        }
        let cache = match table {
            "entity" => &mut self.entities,
            "source" => &mut self.sources,
            _ => return Ok(()),
        };
        if let (Some(key), Some(id)) = (rec.integer("key")?, rec.text("id")?) {
            cache.set(id, Some(key));
        }
        Ok(())
    }

    /// The columns of `table` a history export holds, read from the schema once.
    fn stored_columns(
        &mut self,
        table: &'static str,
    ) -> Result<Rc<Vec<(String, String)>>, DbError> {
        if let Some(columns) = self.history_columns.get(table) {
            return Ok(Rc::clone(columns));
        }
        let columns = self
            .db
            .query_map(table_columns_sql(self.db.dialect()), &[&table], |r| {
                Ok((r.get::<String>(0)?, r.get::<String>(1)?))
            })?;
        let columns = Rc::new(without_derived(table, columns));
        self.history_columns.insert(table, Rc::clone(&columns));
        Ok(columns)
    }
}

/// What a plain import checks of a current row, checked of one restored as stored, so
/// that the store's plain export imports again: ids, names, a source's date and bounds.
fn check_current_row(table: &str, rec: &Record) -> Result<(), Fault> {
    match table {
        "entity" => {
            rec.id("id")?;
            rec.required("kind")?;
            rec.required("name")?;
        }
        "predicate" => {
            rec.id("id")?;
        }
        "alias" if rec.required("text")?.trim().is_empty() => {
            return Err(Fault::field("text", "a name cannot be blank"));
        }
        "alias" => {}
        "source" => {
            rec.required("id")?;
            let bounds = match rec.text("published")? {
                Some(published) => {
                    let (lo, hi) = parse_date_field("published", published)?;
                    (Some(lo), Some(hi))
                }
                None => (None, None),
            };
            if (rec.integer("published_lo")?, rec.integer("published_hi")?) != bounds {
                return Err(Fault::field(
                    "published_lo",
                    "the bounds do not match `published`",
                ));
            }
        }
        _ => {}
    }
    Ok(())
}

/// Whether the engine refused a statement for a constraint of the schema (a CHECK, a
/// unique or foreign key, a NOT NULL): SQLite's constraint error, PostgreSQL's SQLSTATE
/// class 23 (integrity constraint violation).
fn violated_constraint(e: &DbError) -> bool {
    match e.sqlite() {
        Some(e) => e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation),
        None => e.sqlstate().is_some_and(|code| code.starts_with("23")),
    }
}

/// The value a field gives a column of the declared type (SQLite's affinity rules: INT
/// whole numbers, TEXT/CHAR/CLOB text, REAL/FLOA/DOUB numbers; PostgreSQL's `bigint`,
/// `text` and `double precision` read the same way); `None` for null.
fn stored_value<'f>(
    column: &str,
    declared: &str,
    field: &'f Field,
) -> Result<Option<Param<'f>>, Fault> {
    let declared = declared.to_ascii_uppercase();
    let wrong = |what: &str| {
        Fault::field(
            column,
            format!("must be {what}, found {}", super::record::json_type(field)),
        )
    };
    let value = match field {
        Field::Null => return Ok(None),
        Field::Integer(n) if !declared.contains("TEXT") => Param::Int(*n),
        Field::Number(x)
            if ["REAL", "FLOA", "DOUB"]
                .iter()
                .any(|t| declared.contains(t)) =>
        {
            Param::Real(*x)
        }
        Field::Str(s) if !declared.contains("INT") => Param::Text(s),
        _ if declared.contains("INT") => return Err(wrong("a whole number")),
        _ if declared.contains("TEXT") => return Err(wrong("a string")),
        _ => return Err(wrong("a number")),
    };
    Ok(Some(value))
}

#[cfg(test)]
mod tests {
    use crate::statement::{self, Options};
    use crate::store::import::testing::*;

    fn export_history(store: &Store) -> String {
        let mut out = Vec::new();
        store.export_history(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// What the store says of its history: the change log, relations' and entities'
    /// histories, questions as recorded; the kept counts and the text index's rows.
    fn answers(store: &Store) -> Vec<String> {
        let mut out: Vec<String> = [
            "changes",
            "changes by alice",
            "history #1",
            "history #2",
            "history #3",
            "history a",
            "history b",
            "history c",
            "history d",
            "?a ?r ?b as recorded at change 1 | sort id",
            "?a ?r ?b status any as recorded at change 4 | sort id",
            "?a ?r ?b status any | sort id | show id, a, r, b, quote, note, source",
            "entities",
            "sources",
            "predicates",
        ]
        .iter()
        .map(|q| {
            format!(
                "{q}: {:?}",
                statement::execute(store, q, &Options::default())
            )
        })
        .collect();
        out.extend(
            store
                .db()
                .query_map(
                    "SELECT 'count ' || p.id || ' ' || c.status || ' ' || c.n
                     FROM predicate_count c JOIN predicate p ON p.key = c.predicate
                     WHERE c.n > 0
                     UNION ALL
                     SELECT 'count ' || s.id || ' ' || c.n FROM source_count c
                     JOIN source s ON s.key = c.source WHERE c.n > 0
                     ORDER BY 1",
                    &[],
                    |r| r.get::<String>(0),
                )
                .unwrap(),
        );
        out
    }

    #[test]
    fn a_history_export_restores_the_same_store_on_both_engines() {
        let source = crate::store::write::testing::store_with_more_history();
        let file = export_history(&source);
        let mut lite = store();
        let summary = jsonl(&mut lite, &file).map_err(|e| e.to_string());
        assert!(summary.as_ref().is_ok_and(|s| s.history), "{summary:?}");
        assert_eq!(export_history(&lite), file);
        let expected = answers(&lite);
        assert_eq!(expected, answers(&source));
        let refused = jsonl(&mut lite, &file).map_err(|e| e.to_string());
        assert!(refused.is_err());
        let Some(mut pg) = crate::store::engines::postgres_store() else {
            return;
        };
        assert_eq!(jsonl(&mut pg, &file).map_err(|e| e.to_string()), summary);
        assert_eq!(export_history(&pg), file);
        assert_eq!(answers(&pg), expected);
        // The text index holds the current relations' quotes and notes, folded.
        let indexed = |s: &Store, sql: &str| -> Vec<(i64, Option<String>, Option<String>)> {
            s.db()
                .query_map(sql, &[], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .unwrap()
        };
        let fold = |t: Option<String>| t.map(|t| crate::names::normalise(&t));
        let text_index_follows = |s: &Store| {
            let current: Vec<_> = indexed(
                s,
                "SELECT key, quote, note FROM relation
                 WHERE quote IS NOT NULL OR note IS NOT NULL ORDER BY key",
            )
            .into_iter()
            .map(|(key, quote, note)| (key, fold(quote), fold(note)))
            .collect();
            assert!(!current.is_empty());
            assert_eq!(
                indexed(s, "SELECT key, quote, note FROM relation_text ORDER BY key"),
                current
            );
        };
        text_index_follows(&pg);
        // New rows get keys after the restored ones; a non-empty store refuses the file
        // as SQLite's does.
        change(&mut pg);
        change(&mut lite);
        let keys = |s: &Store| -> Vec<String> {
            let mut out = texts_of(s, "SELECT CAST(key AS TEXT) AS k FROM entity ORDER BY key");
            out.extend(texts_of(
                s,
                "SELECT CAST(key AS TEXT) AS k FROM relation ORDER BY key",
            ));
            out.extend(texts_of(
                s,
                "SELECT CAST(id AS TEXT) AS k FROM change ORDER BY id",
            ));
            out
        };
        assert_eq!(keys(&pg), keys(&lite));
        text_index_follows(&pg);
        assert_eq!(jsonl(&mut pg, &file).map_err(|e| e.to_string()), refused);
    }

    #[test]
    fn a_damaged_history_export_is_refused_on_both_engines() {
        let Some(server) = crate::store::pg_server::server() else {
            return;
        };
        let header = "{\"type\":\"history\",\"format\":1}\n";
        let entity = |merged: &str| {
            format!(
                "{{\"type\":\"entity\",\"key\":1,\"id\":\"a\",\"kind\":\"k\",\"name\":\"a\",\"since_change\":1{merged}}}\n\
                 {{\"type\":\"alias\",\"entity\":1,\"text\":\"a\",\"is_name\":1,\"ord\":0}}\n"
            )
        };
        for lines in [
            // A CHECK constraint of the schema.
            r#"{"type":"predicate","key":1,"id":"p","symmetric":5,"declared":1,"since_change":1}"#
                .to_string(),
            // A bad id, as a plain import checks it.
            r#"{"type":"entity","key":1,"id":"Not An Id","kind":"k","name":"N","since_change":1}"#
                .to_string(),
            // The store's rules: an entity needs its name among its names.
            r#"{"type":"entity","key":1,"id":"e","kind":"k","name":"E","since_change":1}"#
                .to_string(),
            // A key that is nowhere (foreign keys checked at the end).
            entity(",\"merged_into\":9"),
            // A name of an entity that is nowhere.
            r#"{"type":"alias","entity":7,"text":"x","is_name":1,"ord":0}"#.to_string(),
        ] {
            let file = format!("{header}{lines}\n");
            let mut lite = store();
            let mut pg = crate::store::engines::postgres_store_on(server);
            let (line, field, _) = bad(jsonl(&mut lite, &file).unwrap_err());
            let (pg_line, pg_field, reason) = bad(jsonl(&mut pg, &file).unwrap_err());
            assert_eq!((pg_line, pg_field), (line, field), "{lines}: {reason}");
            assert_eq!(
                texts_of(&pg, "SELECT CAST(count(*) AS TEXT) FROM entity"),
                ["0"]
            );
        }
        // Merged into an entity restored after it: the keys wait for the end.
        let mut pg = crate::store::engines::postgres_store_on(server);
        let later = entity(",\"merged_into\":2")
            + &entity("")
                .replace("\"key\":1", "\"key\":2")
                .replace(
                    "\"id\":\"a\",\"kind\":\"k\",\"name\":\"a\"",
                    "\"id\":\"b\",\"kind\":\"k\",\"name\":\"b\"",
                )
                .replace("\"entity\":1,\"text\":\"a\"", "\"entity\":2,\"text\":\"b\"");
        let restored = jsonl(&mut pg, &format!("{header}{later}"));
        assert!(restored.is_ok_and(|s| s.history));
    }

    /// The first column of `sql`'s rows as text, on either engine.
    fn texts_of(store: &Store, sql: &str) -> Vec<String> {
        store.db().query_map(sql, &[], |r| r.get(0)).unwrap()
    }

    /// A statement that adds a relation and an entity, on the store.
    fn change(store: &mut Store) {
        for write in [
            "add entity zed person \"Zed\"",
            "add zed met a quote \"Zed MET Alpha\"",
        ] {
            let stmt = crate::lang::parse(write).unwrap();
            let opts = Options::default();
            let prepared = statement::prepare(store, &stmt, write, &opts).unwrap();
            statement::apply(store, &prepared, &opts).unwrap();
        }
    }

    #[test]
    fn history_lines_are_refused_outside_a_history_export() {
        let mut s = store();
        for line in [
            r#"{"type":"change","id":1,"recorded":"2025","author":"a","origin":"o"}"#,
            r#"{"type":"relation_version","id":1,"since_change":1,"until_change":2}"#,
            "{\"type\":\"entity\",\"id\":\"x\",\"kind\":\"k\",\"name\":\"X\"}\n{\"type\":\"history\",\"format\":1}",
        ] {
            let (_, field, reason) = bad(jsonl(&mut s, line).unwrap_err());
            assert_eq!(field.as_deref(), Some("type"), "{line}: {reason}");
        }
        let (_, field, _) = bad(jsonl(&mut s, r#"{"type":"history","format":9}"#).unwrap_err());
        assert_eq!(field.as_deref(), Some("format"));
    }

    #[test]
    fn restored_rows_must_make_a_sound_store() {
        let header = "{\"type\":\"history\",\"format\":1}\n";
        for (lines, field) in [
            // The schema's CHECK constraints hold for restored rows.
            (
                r#"{"type":"predicate","key":1,"id":"p","symmetric":5,"declared":1,"since_change":1}"#,
                None,
            ),
            // What a plain import checks of current rows.
            (
                r#"{"type":"entity","key":1,"id":"Not An Id","kind":"k","name":"N","since_change":1}"#,
                Some("id"),
            ),
            (
                r#"{"type":"source","key":1,"id":"s","published":"2025","published_lo":1,"published_hi":2,"since_change":1}"#,
                Some("published_lo"),
            ),
            // The store's rules: an entity needs its name among its names.
            (
                r#"{"type":"entity","key":1,"id":"e","kind":"k","name":"E","since_change":1}"#,
                None,
            ),
        ] {
            let mut s = store();
            let (line, got, reason) =
                bad(jsonl(&mut s, &format!("{header}{lines}\n")).unwrap_err());
            assert_eq!(got.as_deref(), field, "{lines}: {reason}");
            assert!(line == 1 || line == 2, "{lines}: {line}");
            assert_eq!(
                count(&s, "entity") + count(&s, "predicate") + count(&s, "source"),
                0
            );
        }
        // With its name, the entity is sound.
        let mut s = store();
        let sound = format!(
            "{header}{}\n{}\n",
            r#"{"type":"entity","key":1,"id":"e","kind":"k","name":"E","since_change":1}"#,
            r#"{"type":"alias","entity":1,"text":"E","is_name":1,"ord":0}"#
        );
        let sum = jsonl(&mut s, &sound).unwrap();
        assert!(sum.history);
        assert_eq!(texts(&s, "SELECT norm FROM alias"), ["e"]);
    }

    #[test]
    fn an_entity_merged_into_one_restored_after_it_is_restored() {
        // A small file is imported with foreign keys on: they wait for the end.
        let header = "{\"type\":\"history\",\"format\":1}\n";
        let entity = |key: u32, id: &str, merged: &str| {
            format!(
                "{{\"type\":\"entity\",\"key\":{key},\"id\":\"{id}\",\"kind\":\"k\",\"name\":\"{id}\",\"since_change\":1{merged}}}\n\
                 {{\"type\":\"alias\",\"entity\":{key},\"text\":\"{id}\",\"is_name\":1,\"ord\":0}}\n"
            )
        };
        let mut s = store();
        let merged = format!(
            "{header}{}{}",
            entity(1, "a", ",\"merged_into\":2"),
            entity(2, "b", "")
        );
        assert!(jsonl(&mut s, &merged).unwrap().history);
        assert_eq!(
            texts(
                &s,
                "SELECT CAST(merged_into AS TEXT) FROM entity WHERE key = 1"
            ),
            ["2"]
        );
        // Merged into an entity that is nowhere: refused as a damaged export.
        let mut s = store();
        let dangling = format!("{header}{}", entity(1, "a", ",\"merged_into\":9"));
        let (line, _, reason) = bad(jsonl(&mut s, &dangling).unwrap_err());
        assert_eq!(line, 1, "{reason}");
        assert!(reason.contains("missing row of entity"), "{reason}");
        assert_eq!(count(&s, "entity"), 0);
    }

    #[test]
    fn restored_rows_are_checked_by_type_and_column() {
        let header = "{\"type\":\"history\",\"format\":1}\n";
        for (line, field) in [
            (
                r#"{"type":"change","id":"one","recorded":"x","author":"a","origin":"o"}"#,
                Some("id"),
            ),
            (
                r#"{"type":"change","id":1,"recorded":"x","author":"a","origin":"o","mood":"ok"}"#,
                Some("mood"),
            ),
            (
                r#"{"type":"change","id":1,"author":"a","origin":"o"}"#,
                None,
            ),
            (
                r#"{"type":"relation","id":1,"subject":"a","predicate":"p","object":"b"}"#,
                Some("since_change"),
            ),
        ] {
            let mut s = store();
            let (got_line, got, reason) =
                bad(jsonl(&mut s, &format!("{header}{line}\n")).unwrap_err());
            assert_eq!((got_line, got.as_deref()), (2, field), "{line}: {reason}");
            assert_eq!(count(&s, "change"), 0);
        }
    }
}
