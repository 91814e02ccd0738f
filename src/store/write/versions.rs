//! Versions of the four versioned tables (relation, entity, predicate, source), the same
//! way for each: keeping a row's current version before it is replaced or removed,
//! marking a row as made by the open change, and making a kept version current again
//! (undo, unmerge). Also who made a change and when, and the entity a merged one stands
//! for.

use serde::{Deserialize, Serialize};

use super::{db, Writer};
use crate::names;
use crate::store::db::{dialect, DbError, Sql};
use crate::store::StoreError;

/// A table whose rows have versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Table {
    Relation,
    Entity,
    Predicate,
    Source,
}

impl Table {
    /// Every versioned table, in the order an undo restores them (what relations name
    /// comes before them).
    pub(super) const ALL: [Table; 4] = [
        Table::Entity,
        Table::Predicate,
        Table::Source,
        Table::Relation,
    ];

    /// The table of current rows.
    pub(super) fn current(self) -> &'static str {
        match self {
            Table::Relation => "relation",
            Table::Entity => "entity",
            Table::Predicate => "predicate",
            Table::Source => "source",
        }
    }

    /// The table of versions.
    pub(super) fn versions(self) -> &'static str {
        match self {
            Table::Relation => "relation_version",
            Table::Entity => "entity_version",
            Table::Predicate => "predicate_version",
            Table::Source => "source_version",
        }
    }

    /// The column of the versions that holds the row's key.
    pub(super) fn version_key(self) -> &'static str {
        match self {
            Table::Relation => "id",
            _ => "key",
        }
    }

    /// The content columns both tables have (the current table's key, `since_change`, a
    /// relation's fingerprint and an entity's names are handled apart).
    fn columns(self) -> &'static str {
        match self {
            Table::Relation => {
                "subject, predicate, object, when_text, from_text, to_text, at_text, start_lo, \
                 start_hi, end_lo, end_hi, status, place, source, quote, note, confidence, \
                 reported, anchor"
            }
            Table::Entity => "id, kind, name, note, merged_into",
            Table::Predicate => "id, label, \"symmetric\", description, declared",
            Table::Source => "id, title, published, published_lo, published_hi, lang, url, note",
        }
    }

    /// A word for one row, in messages.
    pub(super) fn noun(self) -> &'static str {
        self.current()
    }

    /// `n` rows in words: `1 relation`, `3 entities`.
    pub(super) fn counted(self, n: usize) -> String {
        let noun = match (self, n) {
            (_, 1) => self.noun(),
            (Table::Relation, _) => "relations",
            (Table::Entity, _) => "entities",
            (Table::Predicate, _) => "predicates",
            (Table::Source, _) => "sources",
        };
        format!("{n} {noun}")
    }
}

/// One name of an entity as `entity_version.aliases` keeps it:
/// `[text, lang, is_name, ord, weak]`, where `weak` is 1 for a weak alias (`weak_alias`,
/// whose `ord` counts apart) and 0 for a name of `alias`. Versions kept before weak
/// aliases were versioned have four elements (`weak` None): they are all strong names,
/// and such a version says nothing about the entity's weak aliases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(in crate::store) struct KeptName(
    pub(in crate::store) String,
    pub(in crate::store) Option<String>,
    pub(in crate::store) i64,
    pub(in crate::store) i64,
    #[serde(default)] pub(in crate::store) Option<i64>,
);

impl KeptName {
    /// Whether this is a weak alias.
    pub(in crate::store) fn is_weak(&self) -> bool {
        self.4 == Some(1)
    }
}

/// The names of a kept version (JSON as [`kept_names_json`] writes it; NULL reads as
/// none), and whether the version keeps weak aliases too.
pub(in crate::store) fn kept_names(
    key: i64,
    json: Option<&str>,
) -> Result<(Vec<KeptName>, bool), StoreError> {
    let names: Vec<KeptName> =
        serde_json::from_str(json.unwrap_or("[]")).map_err(|e| StoreError::Corrupt {
            what: format!(
                "keeps names of entity key {key} that are not a JSON list of names ({e})"
            ),
        })?;
    // Every entity has its display name, so a version's list is never empty; one
    // written since weak aliases are versioned gives every name its `weak` element.
    let keeps_weak = names.iter().any(|n| n.4.is_some());
    Ok((names, keeps_weak))
}

/// The names of entity `key` as a version keeps them: a JSON array of
/// `[text, lang, is_name, ord, weak]`, the names of `alias` in their order, then the
/// weak aliases in theirs. Written here, not by the engine's JSON functions, so that both
/// engines keep the same text.
pub(in crate::store) fn kept_names_json(
    conn: &(impl Sql + ?Sized),
    key: i64,
) -> Result<String, StoreError> {
    let names: Vec<KeptName> = conn
        .query_map(
            "SELECT text, lang, is_name, ord, 0 AS weak FROM alias WHERE entity = ?1 \
             UNION ALL SELECT text, NULL, 0, ord, 1 FROM weak_alias WHERE entity = ?1 \
             ORDER BY 5, 4, 1",
            &[&key],
            |r| {
                Ok(KeptName(
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    Some(r.get(4)?),
                ))
            },
        )
        .map_err(db)?;
    serde_json::to_string(&names).map_err(|e| StoreError::Corrupt {
        what: format!("has names of entity key {key} that cannot be kept as JSON ({e})"),
    })
}

/// Who made a change, when, and what it undid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ChangeInfo {
    pub(super) author: String,
    pub(super) recorded: String,
    pub(super) undoes: Option<i64>,
}

/// The author, instant and undone change of change `change`.
pub(super) fn change_info(db: &(impl Sql + ?Sized), change: i64) -> Result<ChangeInfo, StoreError> {
    db.query_opt(
        "SELECT author, recorded, undoes FROM change WHERE id = ?1",
        &[&change],
        |r| {
            Ok(ChangeInfo {
                author: r.get(0)?,
                recorded: r.get(1)?,
                undoes: r.get(2)?,
            })
        },
    )
    .map_err(super::db)?
    .ok_or(StoreError::NoSuchChange { change })
}

/// The entity `key` stands for: itself, or the entity it is merged into, following merges
/// of merges to the end (a cycle, which merges refuse to make, ends where it repeats).
pub(crate) fn canonical(db: &(impl Sql + ?Sized), key: i64) -> Result<i64, DbError> {
    let mut seen = vec![key];
    let mut at = key;
    while let Some(Some(next)) = db.query_opt(
        "SELECT merged_into FROM entity WHERE key = ?1",
        &[&at],
        |r| r.get::<Option<i64>>(0),
    )? {
        if seen.contains(&next) {
            break;
        }
        seen.push(next);
        at = next;
    }
    Ok(at)
}

impl Writer<'_> {
    /// The change that made the current version of row `key`, if the row exists.
    pub(super) fn since(&self, table: Table, key: i64) -> Result<Option<i64>, StoreError> {
        self.db
            .query_opt(
                &format!(
                    "SELECT since_change FROM {} WHERE key = ?1",
                    table.current()
                ),
                &[&key],
                |r| r.get(0),
            )
            .map_err(db)
    }

    /// Keeps the current version of row `key` before this change replaces it. A version
    /// this change made itself is no belief the store held between changes: it is not kept.
    pub(super) fn keep(&self, table: Table, key: i64) -> Result<(), StoreError> {
        match self.since(table, key)? {
            Some(since) if since != self.change => self.copy_to_versions(table, key, since),
            _ => Ok(()),
        }
    }

    /// Marks row `key` as made by this change (after its content changed).
    pub(super) fn touch(&self, table: Table, key: i64) -> Result<(), StoreError> {
        self.db
            .execute(
                &format!(
                    "UPDATE {} SET since_change = ?2 WHERE key = ?1",
                    table.current()
                ),
                &[&key, &self.change],
            )
            .map_err(db)?;
        Ok(())
    }

    /// Removes row `key`, keeping its version, ended by this change. A row this change
    /// made is kept too (as a version that no state between changes shows), so its key
    /// stays taken.
    pub(super) fn remove(&self, table: Table, key: i64) -> Result<(), StoreError> {
        let Some(since) = self.since(table, key)? else {
            return Ok(());
        };
        self.copy_to_versions(table, key, since)?;
        self.db
            .execute(
                &format!("DELETE FROM {} WHERE key = ?1", table.current()),
                &[&key],
            )
            .map_err(db)?;
        Ok(())
    }

    /// Makes the version of row `key` made by change `since` the current one again (a new
    /// version, made by this change), keeping the current version if there is one. A
    /// relation's fingerprint is the caller's to set ([`Writer::set_fingerprint`]).
    pub(super) fn restore(&self, table: Table, key: i64, since: i64) -> Result<(), StoreError> {
        let (current, versions, vkey, columns) = (
            table.current(),
            table.versions(),
            table.version_key(),
            table.columns(),
        );
        let select =
            format!("SELECT {columns} FROM {versions} WHERE {vkey} = ?1 AND since_change = ?2");
        if self.since(table, key)?.is_some() {
            self.keep(table, key)?;
            self.db
                .execute(
                    &format!(
                        "UPDATE {current} SET ({columns}) = ({select}), since_change = ?3 \
                         WHERE key = ?1"
                    ),
                    &[&key, &since, &self.change],
                )
                .map_err(db)?;
        } else {
            // A placeholder fingerprint (relations): the caller sets the real one.
            let (extra, placeholder) = match table {
                Table::Relation => (
                    ", fingerprint",
                    format!(", {}", dialect::empty_blob(self.db.dialect())),
                ),
                _ => ("", String::new()),
            };
            self.db
                .execute(
                    &format!(
                        "INSERT INTO {current} (key, since_change, {columns}{extra}) \
                         SELECT {vkey}, ?3, {columns}{placeholder} FROM {versions} \
                         WHERE {vkey} = ?1 AND since_change = ?2"
                    ),
                    &[&key, &since, &self.change],
                )
                .map_err(db)?;
        }
        match table {
            Table::Entity => {
                let kept: Option<String> = self
                    .db
                    .query_row(
                        "SELECT aliases FROM entity_version WHERE key = ?1 AND since_change = ?2",
                        &[&key, &since],
                        |r| r.get(0),
                    )
                    .map_err(db)?;
                self.set_names(key, kept.as_deref())?;
            }
            Table::Relation => self.index_text(key)?,
            Table::Predicate | Table::Source => {}
        }
        Ok(())
    }

    /// Copies row `key` (made by change `since`) to the versions, ended by this change.
    fn copy_to_versions(&self, table: Table, key: i64, since: i64) -> Result<(), StoreError> {
        let (current, versions, vkey, columns) = (
            table.current(),
            table.versions(),
            table.version_key(),
            table.columns(),
        );
        // A version of this key and change kept before is replaced whole, as SQLite's
        // `INSERT OR REPLACE` did (the columns left out take their defaults again); both
        // engines take this form.
        let replaced = match table {
            Table::Relation => "erased",
            Table::Entity => "aliases",
            Table::Predicate | Table::Source => "",
        };
        let set: Vec<String> = ["until_change"]
            .into_iter()
            .chain(columns.split(',').map(str::trim))
            .chain((!replaced.is_empty()).then_some(replaced))
            .map(|c| format!("{c} = excluded.{c}"))
            .collect();
        self.db
            .execute(
                &format!(
                    "INSERT INTO {versions} ({vkey}, since_change, until_change, {columns}) \
                     SELECT key, since_change, ?2, {columns} FROM {current} WHERE key = ?1 \
                     ON CONFLICT ({vkey}, since_change) DO UPDATE SET {}",
                    set.join(", ")
                ),
                &[&key, &self.change],
            )
            .map_err(db)?;
        if table == Table::Entity {
            let names = kept_names_json(self.db, key)?;
            self.db
                .execute(
                    "UPDATE entity_version SET aliases = ?3 WHERE key = ?1 AND since_change = ?2",
                    &[&key, &since, &names],
                )
                .map_err(db)?;
        }
        Ok(())
    }

    /// Replaces the names of entity `key` with those of a kept version (JSON as
    /// [`kept_names_json`] writes it). A version kept before weak aliases were versioned
    /// leaves the weak aliases as they are (`undo` removes those an `alias … weak` of
    /// that time added by `weak_alias.added_by`).
    fn set_names(&self, key: i64, json: Option<&str>) -> Result<(), StoreError> {
        let (names, keeps_weak) = kept_names(key, json)?;
        self.db
            .execute("DELETE FROM alias WHERE entity = ?1", &[&key])
            .map_err(db)?;
        if keeps_weak {
            self.db
                .execute("DELETE FROM weak_alias WHERE entity = ?1", &[&key])
                .map_err(db)?;
        }
        for name in names {
            if name.is_weak() {
                crate::store::mentions::insert_weak_alias(self.db, key, &name.0, Some(name.3))
                    .map_err(db)?;
            } else {
                let KeptName(text, lang, is_name, ord, _) = name;
                self.insert_name(key, &text, lang.as_deref(), is_name != 0, ord)?;
            }
        }
        Ok(())
    }

    /// Adds one name to entity `key`; false when the entity has that name already.
    pub(super) fn insert_name(
        &self,
        key: i64,
        text: &str,
        lang: Option<&str>,
        is_name: bool,
        ord: i64,
    ) -> Result<bool, StoreError> {
        let added = self
            .db
            .execute(
                "INSERT INTO alias(entity, text, norm, lang, is_name, ord) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
                &[&key, &text, &names::normalise(text), &lang, &is_name, &ord],
            )
            .map_err(db)?;
        Ok(added == 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::write::testing::*;

    #[test]
    fn kept_names_come_back_exactly() {
        let mut s = store_with(BASE);
        let before = snapshot(&s);
        let key: i64 = one(&s, "SELECT key FROM entity WHERE id = 'a'");
        let change = begin(&mut s);
        let w = Writer { db: s.db(), change };
        w.keep(Table::Entity, key).unwrap();
        w.touch(Table::Entity, key).unwrap();
        w.set_names(key, Some("[]")).unwrap();
        assert_ne!(snapshot(&s), before);
        w.restore(Table::Entity, key, 1).unwrap();
        let mut after = snapshot(&s);
        after.retain(|line| !line.starts_with("entity_version"));
        assert_eq!(after, before);
    }

    #[test]
    fn a_version_kept_before_weak_aliases_were_versioned_leaves_them_to_added_by() {
        let mut s = store_with(&BASE.replace(
            r#""name":"Gamma""#,
            r#""name":"Gamma","weak_aliases":["of"]"#,
        ));
        let weak = |names: &[&str]| WriteOp::WeakAlias {
            entity: "c".into(),
            names: names.iter().map(|n| n.to_string()).collect(),
        };
        write(&mut s, weak(&["the"])).unwrap();
        // As a store of schema 17 kept it: names only, and the change on the weak alias.
        let conn = s.connection();
        conn.execute_batch(
            "UPDATE entity_version SET aliases = '[[\"Gamma\",null,1,0]]'; \
             UPDATE weak_alias SET added_by = 2 WHERE text = 'the';",
        )
        .unwrap();
        let key: i64 = one(&s, "SELECT key FROM entity WHERE id = 'c'");
        assert_eq!(
            kept_names(key, Some(r#"[["Gamma",null,1,0]]"#)).unwrap(),
            (vec![KeptName("Gamma".into(), None, 1, 0, None)], false)
        );
        write(&mut s, undo(None)).unwrap();
        assert_eq!(rows(&s, "SELECT text FROM weak_alias"), ["of"]);
        // What the undo kept is of the new kind, weak aliases and all.
        assert_eq!(
            rows(
                &s,
                "SELECT aliases FROM entity_version WHERE since_change = 2"
            ),
            [r#"[["Gamma",null,1,0,0],["of",null,0,1,1],["the",null,0,2,1]]"#]
        );
        write(&mut s, undo(Some(3))).unwrap();
        assert_eq!(
            rows(&s, "SELECT text FROM weak_alias ORDER BY ord"),
            ["of", "the"]
        );
    }

    #[test]
    fn canonical_follows_merges_and_stops_at_a_cycle() {
        let s = store_with(BASE);
        let conn = s.connection();
        let key = |id: &str| -> i64 {
            conn.query_row("SELECT key FROM entity WHERE id = ?1", [id], |r| r.get(0))
                .unwrap()
        };
        let (a, b, c) = (key("a"), key("b"), key("c"));
        assert_eq!(canonical(conn, a).unwrap(), a);
        conn.execute("UPDATE entity SET merged_into = ?2 WHERE key = ?1", [a, b])
            .unwrap();
        conn.execute("UPDATE entity SET merged_into = ?2 WHERE key = ?1", [b, c])
            .unwrap();
        assert_eq!(canonical(conn, a).unwrap(), c);
        conn.execute("UPDATE entity SET merged_into = ?2 WHERE key = ?1", [c, a])
            .unwrap();
        assert!([a, b, c].contains(&canonical(conn, a).unwrap()));
    }
}
