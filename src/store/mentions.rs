//! The store's side of `mentions`: the table of every name's matching key (built from
//! `alias` and `weak_alias`, cached in `name_table_cache` until a name changes), the
//! entities a text mentions (a merged entity answers as the one it was merged into), and
//! the relations the store already holds between them.

use std::collections::BTreeMap;

use super::db::{dialect, Cell, Db, DbError, Param};
use super::{Store, StoreError};
use crate::names::mentions::{self, matching_key, Mention, NameKey, NameTable};
use crate::value::{ResultSet, Row, Value};

/// How many `merged_into` links are followed before a chain is taken as a loop.
const MAX_MERGE_CHAIN: usize = 64;

/// An entity a text mentions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentionedEntity {
    pub id: String,
    pub name: String,
    pub kind: String,
}

/// What `mentions` found in a text.
#[derive(Debug, Clone)]
pub struct MentionsFound {
    /// Every mention, in text order; entity keys are those of current entities.
    pub mentions: Vec<Mention>,
    /// The entities the mentions name, by key.
    pub entities: BTreeMap<i64, MentionedEntity>,
    /// The relations the store holds between entities the text mentions (counted
    /// mentions only), as rows: id, subject, subject.id, predicate, object, object.id,
    /// when, status, source.
    pub relations: ResultSet,
}

impl Store {
    /// The entities `text` names, and the relations already known between them.
    pub fn mentions(&self, text: &str) -> Result<MentionsFound, StoreError> {
        let table = self.name_table()?;
        // One read transaction for the look-ups below (a few per mention), where each
        // statement on its own took and released the file's lock: a tenth of a run.
        // Inside a change (`begin` in the REPL) the change's transaction serves.
        // (PostgreSQL takes no lock to read.)
        let _read = match &self.db {
            Db::Sqlite(conn) => conn
                .is_autocommit()
                .then(|| conn.unchecked_transaction())
                .transpose()
                .map_err(StoreError::query)?,
            Db::Postgres(_) => None,
        };
        let mut found = mentions::find(text, &table);
        for m in &mut found {
            for key in &mut m.entities {
                *key = self.current_entity(*key)?;
            }
            m.entities.sort_unstable();
            m.entities.dedup();
        }
        let mut entities = BTreeMap::new();
        for key in found.iter().flat_map(|m| m.entities.iter()) {
            if entities.contains_key(key) {
                continue;
            }
            let entity = self
                .db()
                .query_opt(
                    "SELECT id, name, kind FROM entity WHERE key = ?1",
                    &[key],
                    |r| {
                        Ok(MentionedEntity {
                            id: r.get(0)?,
                            name: r.get(1)?,
                            kind: r.get(2)?,
                        })
                    },
                )
                .map_err(StoreError::query_db)?;
            if let Some(entity) = entity {
                entities.insert(*key, entity);
            }
        }
        // A name whose entity is gone (a stale cache row) names nothing.
        for m in &mut found {
            m.entities.retain(|key| entities.contains_key(key));
        }
        found.retain(|m| !m.entities.is_empty());
        let counted: Vec<i64> = found
            .iter()
            .filter(|m| m.counts())
            .flat_map(|m| m.entities.iter().copied())
            .collect();
        let relations = self.relations_between(counted)?;
        Ok(MentionsFound {
            mentions: found,
            entities,
            relations,
        })
    }

    /// The entity that `key` stands for now: itself, or the end of its merges.
    fn current_entity(&self, key: i64) -> Result<i64, StoreError> {
        let mut at = key;
        for _ in 0..MAX_MERGE_CHAIN {
            let next: Option<i64> = self
                .db()
                .query_opt(
                    "SELECT merged_into FROM entity WHERE key = ?1",
                    &[&at],
                    |r| r.get(0),
                )
                .map_err(StoreError::query_db)?
                .flatten();
            match next {
                Some(next) => at = next,
                None => return Ok(at),
            }
        }
        Ok(at)
    }

    /// The current relations whose subject and object are both among `keys`.
    fn relations_between(&self, mut keys: Vec<i64>) -> Result<ResultSet, StoreError> {
        keys.sort_unstable();
        keys.dedup();
        let columns = [
            "id",
            "subject",
            "subject.id",
            "predicate",
            "object",
            "object.id",
            "when",
            "status",
            "source",
        ];
        let mut result = ResultSet {
            columns: columns.map(String::from).to_vec(),
            ..ResultSet::default()
        };
        if keys.len() < 2 {
            return Ok(result);
        }
        let d = self.dialect();
        // NULLs (no time) first, as SQLite orders them.
        let sql = format!(
            "SELECT r.key, s.name, s.id, p.id, o.name, o.id, {}, r.status, src.id \
             FROM relation r \
             JOIN entity s ON s.key = r.subject \
             JOIN predicate p ON p.key = r.predicate \
             JOIN entity o ON o.key = r.object \
             LEFT JOIN source src ON src.key = r.source \
             WHERE {} AND {} \
             ORDER BY r.start_lo{}, r.key",
            crate::model::time_as_written_sql("r"),
            dialect::in_list(d, "r.subject", "?1"),
            dialect::in_list(d, "r.object", "?1"),
            match d {
                super::db::Dialect::Sqlite => "",
                super::db::Dialect::Postgres => " NULLS FIRST",
            }
        );
        let rows = self
            .db()
            .query_map(&sql, &[&Param::Ints(&keys)], |r| {
                let text = |i| -> Result<Value, DbError> {
                    Ok(r.get::<Option<String>>(i)?.map_or(Value::Null, Value::Text))
                };
                Ok(vec![
                    Value::Handle(r.get(0)?),
                    text(1)?,
                    text(2)?,
                    text(3)?,
                    text(4)?,
                    text(5)?,
                    text(6)?,
                    text(7)?,
                    text(8)?,
                ])
            })
            .map_err(StoreError::query_db)?;
        result.rows = rows.into_iter().map(Row::from).collect();
        Ok(result)
    }

    /// The name table: read back from the cache when no name changed since it was built
    /// (schema 14's `name_generation`) and its checksum holds, else built from the names
    /// and (when the store can be written) cached. A damaged cache is built again, never
    /// believed.
    pub fn name_table(&self) -> Result<NameTable, StoreError> {
        let generation: i64 = self
            .db()
            .query_opt(
                "SELECT generation FROM name_generation WHERE id = 1",
                &[],
                |r| r.get(0),
            )
            .map_err(StoreError::db("cannot read the store's names"))?
            .unwrap_or(0);
        if let Some(table) = self.cached_name_table(generation)? {
            return Ok(table);
        }
        let table = self.build_name_table()?;
        if !self.is_read_only() && self.change.is_none() {
            // A cache: saved only if no name changed while it was built; a save that
            // fails (another writer, a role that may only read) leaves it to a later run.
            let save = |db: &Db| {
                db.execute(
                    "INSERT INTO name_table_cache (id, generation, checksum, body) \
                     SELECT 1, ?1, ?2, ?3 FROM name_generation \
                     WHERE id = 1 AND generation = ?1 \
                     ON CONFLICT (id) DO UPDATE SET generation = excluded.generation, \
                       checksum = excluded.checksum, body = excluded.body",
                    &[
                        &generation,
                        &stored_checksum(table.checksum()),
                        &table.as_bytes(),
                    ],
                )
            };
            match &self.db {
                Db::Sqlite(conn) => {
                    // When another process holds the write lock, do not wait for it.
                    let err = StoreError::sqlite("cannot read the store's names");
                    let saved = conn
                        .busy_timeout(std::time::Duration::ZERO)
                        .map_err(DbError::from)
                        .and_then(|()| save(&self.db));
                    drop(saved);
                    conn.busy_timeout(super::open::BUSY_TIMEOUT).map_err(err)?;
                }
                Db::Postgres(_) => drop(save(&self.db)),
            }
        }
        Ok(table)
    }

    /// The cached table of the names of `generation`, if there is one and it is whole.
    /// Its bytes are copied once, straight from the store's pages into the table's buffer
    /// (incremental blob I/O): reading the column as a value copied the 8 MB twice, and
    /// that copying was most of the time of a cached run.
    fn cached_name_table(&self, generation: i64) -> Result<Option<NameTable>, StoreError> {
        let err = StoreError::db("cannot read the store's cached name table");
        let conn = match &self.db {
            Db::Sqlite(conn) => conn,
            // PostgreSQL sends the bytes once, as the row's value.
            Db::Postgres(_) => {
                let cached: Option<(i64, Vec<u8>)> = self
                    .db()
                    .query_opt(
                        "SELECT checksum, body FROM name_table_cache \
                         WHERE id = 1 AND generation = ?1",
                        &[&generation],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .map_err(err)?;
                return Ok(cached.and_then(|(checksum, bytes)| {
                    NameTable::from_bytes(bytes, loaded_checksum(checksum)).ok()
                }));
            }
        };
        let cached: Option<(i64, i64)> = self
            .db()
            .query_opt(
                "SELECT checksum, length(body) FROM name_table_cache \
                 WHERE id = 1 AND generation = ?1",
                &[&generation],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(err)?;
        let Some((checksum, len)) = cached else {
            return Ok(None);
        };
        let Ok(len) = usize::try_from(len) else {
            return Ok(None);
        };
        // Without memory mapping SQLite reads the blob's pages straight into the buffer
        // (one read each) instead of faulting in every page of its map and copying it.
        let unmapped = conn.pragma_update(None, "mmap_size", 0).is_ok();
        let bytes = read_cached_blob(conn, len);
        if unmapped {
            conn.pragma_update(None, "mmap_size", super::open::MMAP_SIZE)
                .map_err(|e| StoreError::db("cannot map the store again")(e.into()))?;
        }
        let Some(bytes) = bytes else {
            return Ok(None);
        };
        Ok(NameTable::from_bytes(bytes, loaded_checksum(checksum)).ok())
    }

    fn build_name_table(&self) -> Result<NameTable, StoreError> {
        let err = StoreError::db("cannot read the store's names");
        let mut names = Vec::new();
        for (sql, weak) in [
            ("SELECT a.norm, a.entity FROM alias a", false),
            ("SELECT w.norm, w.entity FROM weak_alias w", true),
        ] {
            self.db()
                .for_each(sql, &[], |row| {
                    let norm = match row.cell(0)? {
                        Cell::Text(t) => t,
                        _ => "",
                    };
                    names.push(NameKey {
                        key: matching_key(norm),
                        entity: row.get(1)?,
                        weak,
                    });
                    Ok::<(), DbError>(())
                })
                .map_err(err)?;
        }
        Ok(NameTable::build(names))
    }
}

/// The checksum as SQLite stores it (a signed 64-bit integer, the same bits).
fn stored_checksum(sum: u64) -> i64 {
    i64::from_le_bytes(sum.to_le_bytes())
}

/// The checksum as [`NameTable::from_bytes`] takes it.
fn loaded_checksum(stored: i64) -> u64 {
    u64::from_le_bytes(stored.to_le_bytes())
}

/// Adds weak aliases to entity `key` after those it has (an import's record, `add
/// entity`, `alias … weak`); returns how many were new. Their `added_by` stays NULL: it
/// was the change of an `alias … weak` when entity versions did not keep weak aliases,
/// which `undo` still removes those by. (Schema 13's triggers mark the cached name table
/// stale.)
pub(crate) fn insert_weak_aliases(
    db: &(impl super::db::Sql + ?Sized),
    key: i64,
    texts: &[impl AsRef<str>],
) -> Result<usize, super::db::DbError> {
    let mut added = 0;
    for text in texts {
        added += usize::from(insert_weak_alias(db, key, text.as_ref(), None)?);
    }
    Ok(added)
}

/// Adds one weak alias to entity `key` at `ord`, or after those it has when `ord` is
/// None (a kept version puts them back at their places); false when the entity has it.
pub(crate) fn insert_weak_alias(
    db: &(impl super::db::Sql + ?Sized),
    key: i64,
    text: &str,
    ord: Option<i64>,
) -> Result<bool, super::db::DbError> {
    let added = db.execute(
        "INSERT INTO weak_alias (entity, text, norm, ord) \
         SELECT ?1, ?2, ?3, COALESCE(?4, MAX(ord) + 1, 1) FROM weak_alias WHERE entity = ?1 \
         ON CONFLICT DO NOTHING",
        &[&key, &text, &crate::names::normalise(text), &ord],
    )?;
    Ok(added == 1)
}

/// The cached table's `len` bytes, or None when they cannot be read.
fn read_cached_blob(conn: &rusqlite::Connection, len: usize) -> Option<Vec<u8>> {
    // The row may have been replaced since (another process saved a table): a blob
    // that is not the one measured fails its checksum and is built again.
    let blob = conn
        .blob_open(rusqlite::MAIN_DB, c"name_table_cache", c"body", 1, true)
        .ok()?;
    let mut bytes = vec![0u8; len];
    blob.read_at_exact(&mut bytes, 0).ok()?;
    Some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Mode;
    use rusqlite::OptionalExtension;

    fn import(s: &mut Store, jsonl: &str) {
        s.import(
            jsonl.as_bytes(),
            crate::store::ImportFormat::JsonLines,
            "test.jsonl",
            Default::default(),
        )
        .unwrap();
    }

    fn demo_store() -> Store {
        let mut s = Store::open_in_memory().unwrap();
        import(&mut s, include_str!("../../data/demo.jsonl"));
        s
    }

    #[test]
    fn names_and_relations_of_a_text() {
        let s = demo_store();
        let found = s.mentions("زار بزشكيان باكو والتقى علييف").unwrap();
        let ids: Vec<_> = found
            .mentions
            .iter()
            .map(|m| found.entities[&m.entities[0]].id.as_str())
            .collect();
        assert_eq!(ids, ["pezeshkian", "baku", "aliyev"]);
        assert!(found.relations.rows.len() >= 2, "{:?}", found.relations);
    }

    #[test]
    fn the_same_mentions_on_both_engines_built_and_cached() {
        let sqlite = demo_store();
        let Some(pg) = crate::store::engines::postgres_copy(&sqlite) else {
            return;
        };
        let text = include_str!("../../data/article-ar.txt");
        let seen = |s: &Store| {
            let found = s.mentions(text).unwrap();
            format!(
                "{:?}\n{:?}\n{:?}",
                found.mentions, found.entities, found.relations.rows
            )
        };
        let want = seen(&sqlite);
        // Built from the names, then read back from the cache the first run saved.
        assert_eq!(seen(&pg), want);
        let cached: i64 = pg
            .db()
            .query_row("SELECT count(*) FROM name_table_cache", &[], |r| r.get(0))
            .unwrap();
        assert_eq!(cached, 1);
        assert_eq!(seen(&pg), want);
    }

    fn cache_row(s: &Store) -> Option<(i64, i64)> {
        s.conn()
            .query_row(
                "SELECT generation, checksum FROM name_table_cache WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .unwrap()
    }

    #[test]
    fn the_table_is_cached_until_a_name_changes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let mut s = Store::open(&path, Mode::Create).unwrap();
        import(
            &mut s,
            r#"{"type":"entity","id":"a","kind":"city","name":"Alphaville"}
{"type":"entity","id":"b","kind":"city","name":"Betatown"}"#,
        );
        assert_eq!(s.name_table().unwrap().len(), 2);
        let cached = cache_row(&s).expect("the table is cached");
        // A relation changes no name: the cache stays.
        import(
            &mut s,
            r#"{"type":"predicate","id":"near","label":"near"}
{"type":"relation","subject":"a","predicate":"near","object":"b"}"#,
        );
        assert_eq!(s.name_table().unwrap().len(), 2);
        assert_eq!(cache_row(&s), Some(cached));
        // A new name (an alias, a weak alias) makes it stale; the next run builds it.
        import(
            &mut s,
            r#"{"type":"entity","id":"c","kind":"city","name":"Gammaburg"}"#,
        );
        assert_eq!(s.name_table().unwrap().len(), 3);
        let after_alias = cache_row(&s).unwrap();
        assert_ne!(after_alias.0, cached.0);
        let key: i64 = s
            .conn()
            .query_row("SELECT key FROM entity WHERE id = 'c'", [], |r| r.get(0))
            .unwrap();
        insert_weak_aliases(&s.conn(), key, &["Gamma"]).unwrap();
        assert_eq!(s.name_table().unwrap().len(), 4);
        assert_ne!(cache_row(&s).unwrap().0, after_alias.0);
    }

    #[test]
    fn a_damaged_cache_is_built_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let mut s = Store::open(&path, Mode::Create).unwrap();
        import(
            &mut s,
            r#"{"type":"entity","id":"a","kind":"city","name":"Alphaville"}"#,
        );
        let built = s.name_table().unwrap();
        // One byte of the saved table flipped, then the table cut short.
        s.conn()
            .execute(
                "UPDATE name_table_cache SET body = \
                 CAST(substr(body, 1, 20) || x'FF' || substr(body, 22) AS BLOB)",
                [],
            )
            .unwrap();
        assert_eq!(s.name_table().unwrap().as_bytes(), built.as_bytes());
        s.conn()
            .execute("UPDATE name_table_cache SET body = substr(body, 1, 10)", [])
            .unwrap();
        assert_eq!(s.name_table().unwrap().as_bytes(), built.as_bytes());
        // The bad blob was replaced by a whole one.
        let body: Vec<u8> = s
            .conn()
            .query_row("SELECT body FROM name_table_cache", [], |r| r.get(0))
            .unwrap();
        assert_eq!(body, built.as_bytes());
    }
}
