//! The planner's view of the store: entity, predicate, kind and saved-query lookups
//! through the indexes (no scan of every name per lookup); and completion's prefix
//! lookups, each one range scan of an index with a limit.

use std::collections::HashMap;

use crate::names;
use crate::plan::{
    Candidate, Catalog, CatalogError, Changed, EntityRef, FixedEnds, PredicateRef, Recorded,
    SavedQuery,
};

use super::db::{dialect, Db, DbError, Dialect, Param, Row, ToParam};
use super::StoreError;

/// How many names one prefix probe may bring back as did-you-mean candidates.
const PROBE_LIMIT: i64 = 50;

/// [`Catalog`] over a store's connection, on either engine.
pub struct StoreCatalog<'c> {
    conn: &'c Db,
}

/// A name or alias found by its normalised prefix, with the entity it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AliasMatch {
    /// The entity's key.
    pub entity: i64,
    /// The name or alias as written.
    pub alias: String,
    /// The entity's display name.
    pub name: String,
}

impl<'c> StoreCatalog<'c> {
    /// The catalog of the store's connection (an import's too: its transaction is the
    /// connection's).
    pub(crate) fn of(db: &'c Db) -> Self {
        StoreCatalog { conn: db }
    }

    fn dialect(&self) -> Dialect {
        self.conn.dialect()
    }

    /// `f` of each row of `sql`.
    fn rows<T>(
        &self,
        sql: &str,
        params: &[&dyn ToParam],
        f: impl FnMut(&Row<'_>) -> Result<T, DbError>,
    ) -> Result<Vec<T>, DbError> {
        self.conn.query_map(sql, params, f)
    }

    /// `f` of the first row of `sql`, if it gives one.
    fn row<T>(
        &self,
        sql: &str,
        params: &[&dyn ToParam],
        f: impl FnOnce(&Row<'_>) -> Result<T, DbError>,
    ) -> Result<Option<T>, DbError> {
        self.conn.query_opt(sql, params, f)
    }

    /// The change a moment of recorded time stands for (`change::number_at`).
    fn change_at(&self, at: Recorded) -> Result<i64, DbError> {
        super::change::number_at(self.conn, at)
    }

    /// The exclusive upper bound of the strings starting with `prefix` (see
    /// [`upper_bound`]) on this connection's engine.
    fn upper_bound(&self, prefix: &str) -> UpperBound {
        upper_bound(self.dialect(), prefix)
    }

    /// Names and aliases whose normalised form starts with `norm_prefix` (normalised
    /// already), in order of that form and then of the text: one range scan of
    /// `alias_norm`.
    pub fn aliases_with_prefix(
        &self,
        norm_prefix: &str,
        limit: usize,
    ) -> Result<Vec<AliasMatch>, StoreError> {
        self.rows(
            "SELECT a.entity, a.text, e.name FROM alias a JOIN entity e ON e.key = a.entity \
             WHERE a.norm >= ?1 AND a.norm < ?2 ORDER BY a.norm, a.text LIMIT ?3",
            &[
                &norm_prefix,
                &self.upper_bound(norm_prefix),
                &limit_param(limit),
            ],
            |r| {
                Ok(AliasMatch {
                    entity: r.get(0)?,
                    alias: r.get(1)?,
                    name: r.get(2)?,
                })
            },
        )
        .map_err(StoreError::db("cannot look up names"))
    }

    /// Entity ids starting with `prefix`, in order (the `entity.id` index).
    pub fn entity_ids_with_prefix(
        &self,
        prefix: &str,
        limit: usize,
    ) -> Result<Vec<String>, StoreError> {
        self.range(
            "SELECT id FROM entity WHERE id >= ?1 AND id < ?2 ORDER BY id LIMIT ?3",
            prefix,
            limit,
        )
    }

    /// Predicate ids starting with `prefix`, in order.
    pub fn predicates_with_prefix(
        &self,
        prefix: &str,
        limit: usize,
    ) -> Result<Vec<String>, StoreError> {
        self.range(
            "SELECT id FROM predicate WHERE id >= ?1 AND id < ?2 ORDER BY id LIMIT ?3",
            prefix,
            limit,
        )
    }

    /// Saved query names starting with `prefix`, in order.
    pub fn saved_names_with_prefix(
        &self,
        prefix: &str,
        limit: usize,
    ) -> Result<Vec<String>, StoreError> {
        self.range(
            "SELECT name FROM saved_query WHERE name >= ?1 AND name < ?2 ORDER BY name LIMIT ?3",
            prefix,
            limit,
        )
    }

    /// Distinct kinds starting with `prefix`, in order, from the `entity_kind` index: one
    /// seek per kind (a loose index scan), never a scan of the entities.
    pub fn kinds_with_prefix(&self, prefix: &str, limit: usize) -> Result<Vec<String>, StoreError> {
        self.range(
            "WITH RECURSIVE k(kind, n) AS ( \
                 SELECT (SELECT min(kind) FROM entity WHERE kind >= ?1), 1 \
                 UNION ALL \
                 SELECT (SELECT min(kind) FROM entity WHERE kind > k.kind), n + 1 FROM k \
                 WHERE k.kind IS NOT NULL AND k.kind < ?2 AND n < ?3) \
             SELECT kind FROM k WHERE kind IS NOT NULL AND kind < ?2",
            prefix,
            limit,
        )
    }

    /// Runs a prefix lookup: `sql` has `?1` (the prefix), `?2` (its exclusive upper
    /// bound) and `?3` (the limit).
    fn range(&self, sql: &str, prefix: &str, limit: usize) -> Result<Vec<String>, StoreError> {
        self.rows(
            sql,
            &[&prefix, &self.upper_bound(prefix), &limit_param(limit)],
            |r| r.get(0),
        )
        .map_err(StoreError::db("cannot look up names"))
    }

    fn entity_by_id(&self, id: &str) -> Result<Option<Found>, DbError> {
        self.row(
            "SELECT key, id, name, kind, merged_into FROM entity WHERE id = ?1",
            &[&id],
            found_row,
        )
    }

    /// Names starting with `prefix` (normalised) as (alias, normalised alias, entity
    /// key, entity name): one range scan of the `alias_norm` index.
    fn names_with_prefix(&self, prefix: &str) -> Result<Vec<NameRow>, DbError> {
        let row = |r: &Row<'_>| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?));
        let base =
            "SELECT a.text, a.norm, e.key, e.name FROM alias a JOIN entity e ON e.key = a.entity";
        match names::prefix_upper_bound(prefix) {
            Some(upper) => self.rows(
                &format!("{base} WHERE a.norm >= ?1 AND a.norm < ?2 LIMIT ?3"),
                &[&prefix, &upper, &PROBE_LIMIT],
                row,
            ),
            None => self.rows(
                &format!("{base} WHERE a.norm >= ?1 LIMIT ?2"),
                &[&prefix, &PROBE_LIMIT],
                row,
            ),
        }
    }
}

type NameRow = (String, String, i64, String);

/// The exclusive upper bound of the strings starting with `prefix`; without one (an
/// empty prefix) every string from the prefix on matches: a value above every text
/// ([`dialect::text_above_all`]).
pub(super) fn upper_bound(dialect: Dialect, prefix: &str) -> UpperBound {
    match names::prefix_upper_bound(prefix) {
        Some(u) => UpperBound::Text(u),
        None => UpperBound::AboveAll(dialect::text_above_all(dialect)),
    }
}

/// A bound [`upper_bound`] gives, bound as a parameter.
pub(super) enum UpperBound {
    Text(String),
    AboveAll(Param<'static>),
}

impl ToParam for UpperBound {
    fn param(&self) -> Param<'_> {
        match self {
            UpperBound::Text(t) => Param::Text(t),
            UpperBound::AboveAll(p) => *p,
        }
    }
}

/// A limit as SQLite takes it.
fn limit_param(limit: usize) -> i64 {
    i64::try_from(limit).unwrap_or(i64::MAX)
}

fn entity_row(r: &Row<'_>) -> Result<EntityRef, DbError> {
    Ok(EntityRef {
        key: r.get(0)?,
        id: r.get(1)?,
        name: r.get(2)?,
        kind: r.get(3)?,
    })
}

/// An entity a lookup found, with the entity it was merged into, if it was.
type Found = (EntityRef, Option<i64>);

/// A row of `key, id, name, kind, merged_into`.
fn found_row(r: &Row<'_>) -> Result<Found, DbError> {
    Ok((entity_row(r)?, r.get(4)?))
}

fn err(e: DbError) -> CatalogError {
    CatalogError(e.to_string())
}

impl StoreCatalog<'_> {
    /// The one text column of every row `sql` gives (ids, kinds).
    fn texts(&self, sql: &str) -> Result<Vec<String>, CatalogError> {
        self.rows(sql, &[], |r| r.get(0)).map_err(err)
    }

    /// The entities that `found` answer as: each merged entity is replaced by the one it
    /// was merged into (`merge A into B`: A's names and id resolve to B), each once, in
    /// the order found. The lookups gave `merged_into` with each entity, so one that was
    /// never merged costs no further query.
    fn canonical(&self, found: Vec<Found>) -> Result<Vec<EntityRef>, DbError> {
        self.follow_merges(found, |key| {
            self.row(
                "SELECT key, id, name, kind, merged_into FROM entity WHERE key = ?1",
                &[&key],
                found_row,
            )
        })
    }

    /// As [`StoreCatalog::canonical`], with `merged_into` telling what an entity was
    /// merged into (at the moment asked about) in place of the current column.
    fn canonical_with(
        &self,
        found: Vec<Found>,
        merged_into: impl Fn(i64) -> Result<Option<i64>, DbError>,
    ) -> Result<Vec<EntityRef>, DbError> {
        let mut at_moment = Vec::with_capacity(found.len());
        for (e, _) in found {
            let into = merged_into(e.key)?;
            at_moment.push((e, into));
        }
        self.follow_merges(at_moment, |key| {
            let Some(target) = self.row(
                "SELECT key, id, name, kind FROM entity WHERE key = ?1",
                &[&key],
                entity_row,
            )?
            else {
                return Ok(None);
            };
            let into = merged_into(target.key)?;
            Ok(Some((target, into)))
        })
    }

    /// Follows each found entity's merges to the entity it answers as, `target` giving
    /// the entity a merge points at with what that one was merged into; each once.
    fn follow_merges(
        &self,
        found: Vec<Found>,
        target: impl Fn(i64) -> Result<Option<Found>, DbError>,
    ) -> Result<Vec<EntityRef>, DbError> {
        let mut out: Vec<EntityRef> = Vec::with_capacity(found.len());
        for (mut e, mut into) in found {
            // A merge points at an entity that is not merged itself; an older chain is
            // followed, at most as far as there could be distinct entities in a chain.
            for _ in 0..64 {
                let Some(key) = into else { break };
                match target(key)? {
                    Some((next, next_into)) => (e, into) = (next, next_into),
                    None => break,
                }
            }
            if !out.iter().any(|o| o.key == e.key) {
                out.push(e);
            }
        }
        Ok(out)
    }

    /// The entities one of whose names holds the normalised `text` as whole words, at
    /// most `limit`, as stored: the longest word of `text` (likely the rarest) is looked
    /// up in `name_word`, and a name of each entity found must hold all of `text`,
    /// word-aligned.
    fn stored_entities_by_word(&self, text: &str, limit: usize) -> Result<Vec<Found>, DbError> {
        let norm = names::normalise(text);
        let Some(word) = norm.split(' ').max_by_key(|w| w.len()) else {
            return Ok(Vec::new());
        };
        if word.is_empty() {
            return Ok(Vec::new());
        }
        self.rows(
            &format!(
                "SELECT e.key, e.id, e.name, e.kind, e.merged_into FROM name_word w \
                 JOIN entity e ON e.key = w.entity \
                 WHERE w.word = ?1 AND EXISTS (SELECT 1 FROM alias a WHERE a.entity = w.entity \
                   AND {}(' ' || a.norm || ' ', ?2) > 0) \
                 ORDER BY e.id LIMIT ?3",
                dialect::position_function(self.dialect())
            ),
            &[&word, &format!(" {norm} "), &limit_param(limit)],
            found_row,
        )
    }

    /// How many relations `key` takes part in, as subject or object (once each).
    pub(super) fn relation_count(&self, key: i64) -> Result<u64, DbError> {
        let n: Option<i64> = self.row(
            "SELECT (SELECT count(*) FROM relation WHERE subject = ?1) \
                  + (SELECT count(*) FROM relation WHERE object = ?1 AND subject <> ?1)",
            &[&key],
            |r| r.get(0),
        )?;
        Ok(n.map_or(0, |n| u64::try_from(n).unwrap_or(0)))
    }

    /// The names and aliases of `key` as (text, normalised), aliases first in their
    /// order, the display name last.
    fn names_of(&self, key: i64) -> Result<Vec<(String, String)>, DbError> {
        self.rows(
            "SELECT text, norm FROM alias WHERE entity = ?1 ORDER BY is_name, ord, text",
            &[&key],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }

    fn stored_entities_named(&self, text: &str) -> Result<Vec<Found>, CatalogError> {
        // An id always resolves uniquely.
        if let Some(e) = self.entity_by_id(text).map_err(err)? {
            return Ok(vec![e]);
        }
        let norm = names::normalise(text);
        let found = self
            .rows(
                "SELECT DISTINCT e.key, e.id, e.name, e.kind, e.merged_into FROM alias a \
                 JOIN entity e ON e.key = a.entity WHERE a.norm = ?1 ORDER BY e.id",
                &[&norm],
                found_row,
            )
            .map_err(err)?;
        if !found.is_empty() {
            return Ok(found);
        }
        // Ids are lower case: `Embassy_Gunman` finds `embassy_gunman`.
        if norm != text {
            if let Some(e) = self.entity_by_id(&norm).map_err(err)? {
                return Ok(vec![e]);
            }
        }
        Ok(Vec::new())
    }
}

/// Whether a version current at change `?2` joined entities `?1` and `?3`, either way round.
/// Each question here is a seek into the versions' end indexes (schema 13) that reads their
/// entries only: a pair's both ways round, one entity's as subject and as object. One
/// statement for both shapes (`?3 IS NULL OR …`) would leave the other end out of the seek
/// and read the row of every version of the entity.
pub(super) const VERSIONS_TOUCH_PAIR: &str = "SELECT EXISTS (SELECT 1 FROM relation_version \
         WHERE subject = ?1 AND object = ?3 AND until_change > ?2 AND since_change <= ?2) \
     OR EXISTS (SELECT 1 FROM relation_version \
         WHERE subject = ?3 AND object = ?1 AND until_change > ?2 AND since_change <= ?2)";

/// Whether a version current at change `?2` had entity `?1` at either end.
pub(super) const VERSIONS_TOUCH_ONE: &str = "SELECT EXISTS (SELECT 1 FROM relation_version \
         WHERE subject = ?1 AND until_change > ?2 AND since_change <= ?2) \
     OR EXISTS (SELECT 1 FROM relation_version \
         WHERE object = ?1 AND until_change > ?2 AND since_change <= ?2)";

impl Catalog for StoreCatalog<'_> {
    fn entities_named(&self, text: &str) -> Result<Vec<EntityRef>, CatalogError> {
        let found = self.stored_entities_named(text)?;
        self.canonical(found).map_err(err)
    }

    fn entities_named_as_stored(&self, text: &str) -> Result<Vec<EntityRef>, CatalogError> {
        Ok(self
            .stored_entities_named(text)?
            .into_iter()
            .map(|(e, _)| e)
            .collect())
    }

    fn changed_since(&self, at: Recorded) -> Result<Changed, CatalogError> {
        let n = self.change_at(at).map_err(err)?;
        if n < 1 {
            // Before the first change the store held nothing.
            return Ok(Changed::ALL);
        }
        // A change after `n` left a current row made after it (the latest such change is
        // the last entry of the partial index on `since_change`, schema 8: one seek, where
        // a range `since_change > ?` beside the index's own `> 1` read all its entries) or
        // a version ended after it.
        self.row(
            "SELECT COALESCE((SELECT max(since_change) FROM relation WHERE since_change > 1), 0) > ?1 \
                 OR EXISTS (SELECT 1 FROM relation_version WHERE until_change > ?1), \
             EXISTS (SELECT 1 FROM relation_version WHERE until_change > ?1 AND since_change <= ?1), \
             COALESCE((SELECT max(since_change) FROM entity WHERE since_change > 1), 0) > ?1 \
                 OR EXISTS (SELECT 1 FROM entity_version WHERE until_change > ?1)",
            &[&n],
            |r| {
                Ok(Changed {
                    relations: r.get(0)?,
                    relation_versions: r.get(1)?,
                    entities: r.get(2)?,
                })
            },
        )
        .map_err(err)?
        .ok_or_else(|| err(DbError::NoRows))
    }

    fn versions_touch(&self, at: Recorded, ends: &[FixedEnds]) -> Result<bool, CatalogError> {
        let n = self.change_at(at).map_err(err)?;
        for &(key, other) in ends {
            let touched = match other {
                Some(other) => self.row(VERSIONS_TOUCH_PAIR, &[&key, &n, &other], |r| r.get(0)),
                None => self.row(VERSIONS_TOUCH_ONE, &[&key, &n], |r| r.get(0)),
            }
            .map_err(err)?;
            if touched == Some(true) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    fn entities_named_at(
        &self,
        text: &str,
        at: crate::plan::Recorded,
    ) -> Result<Vec<EntityRef>, CatalogError> {
        let found = self.stored_entities_named(text)?;
        let change = self.change_at(at).map_err(err)?;
        self.canonical_with(found, |key| {
            // The entity's version current at the end of `change`, if it existed then.
            Ok(self
                .row(
                    "SELECT merged_into FROM entity WHERE key = ?1 AND since_change <= ?2 \
                     UNION ALL SELECT merged_into FROM entity_version \
                     WHERE key = ?1 AND since_change <= ?2 AND until_change > ?2",
                    &[&key, &change],
                    |r| r.get(0),
                )?
                .flatten())
        })
        .map_err(err)
    }

    fn entities_by_word(
        &self,
        text: &str,
        at: Option<crate::plan::Recorded>,
        limit: usize,
    ) -> Result<Vec<EntityRef>, CatalogError> {
        let found = self.stored_entities_by_word(text, limit).map_err(err)?;
        if found.is_empty() {
            return Ok(Vec::new());
        }
        match at {
            None => self.canonical(found).map_err(err),
            Some(at) => {
                // The merges then, as `entities_named_at` reads them.
                let ids: Vec<String> = found.into_iter().map(|(e, _)| e.id).collect();
                let mut out: Vec<EntityRef> = Vec::new();
                for id in ids {
                    for e in self.entities_named_at(&id, at)? {
                        if !out.iter().any(|o| o.key == e.key) {
                            out.push(e);
                        }
                    }
                }
                Ok(out)
            }
        }
    }

    fn candidates(&self, found: &[EntityRef], text: &str) -> Result<Vec<Candidate>, CatalogError> {
        let asked = names::normalise(text);
        let mut names = Vec::with_capacity(found.len());
        for e in found {
            names.push(self.names_of(e.key).map_err(err)?);
        }
        let mut out = Vec::with_capacity(found.len());
        for (i, e) in found.iter().enumerate() {
            // A name of this one that none of the others has, nor is the name asked for
            // or its display name.
            let shared = |norm: &str| {
                names
                    .iter()
                    .enumerate()
                    .any(|(j, other)| j != i && other.iter().any(|(_, n)| n == norm))
            };
            let alias = names[i]
                .iter()
                .find(|(t, n)| *t != e.name && *n != asked && !shared(n))
                .map(|(t, _)| t.clone());
            out.push(Candidate {
                alias,
                relations: Some(self.relation_count(e.key).map_err(err)?),
                ..Candidate::of(e)
            });
        }
        Ok(out)
    }

    fn entity_suggestions(&self, text: &str) -> Result<Vec<String>, CatalogError> {
        let norm = names::normalise(text);
        // (alias as written, normalised) with the entity it names.
        let mut candidates: Vec<(String, String)> = Vec::new();
        let mut owner: HashMap<String, (i64, String)> = HashMap::new();
        for prefix in names::candidate_prefixes(&norm) {
            for (display, alias_norm, key, name) in self.names_with_prefix(&prefix).map_err(err)? {
                owner.entry(display.clone()).or_insert((key, name));
                let pair = (display, alias_norm);
                if !candidates.contains(&pair) {
                    candidates.push(pair);
                }
            }
        }
        let ranked = names::suggest(
            &norm,
            candidates.iter().map(|(d, n)| (d.as_str(), n.as_str())),
            8,
        );
        // One suggestion per entity: its best-matching name, with the display name
        // beside an alias.
        let mut seen = Vec::new();
        let mut out = Vec::new();
        for display in ranked {
            let Some((key, name)) = owner.get(&display) else {
                continue;
            };
            if seen.contains(key) {
                continue;
            }
            seen.push(*key);
            out.push(if display == *name {
                display
            } else {
                format!("{display} ({name})")
            });
            if out.len() == 3 {
                break;
            }
        }
        Ok(out)
    }

    fn predicate(&self, id: &str) -> Result<Option<PredicateRef>, CatalogError> {
        // `symmetric` is quoted: a reserved word in PostgreSQL.
        let lookup = |id: &str| {
            self.row(
                "SELECT key, id, \"symmetric\" FROM predicate WHERE id = ?1",
                &[&id],
                |r| {
                    Ok(PredicateRef {
                        key: r.get(0)?,
                        id: r.get(1)?,
                        symmetric: r.get::<i64>(2)? != 0,
                    })
                },
            )
        };
        let found = lookup(id).map_err(err)?;
        if found.is_some() {
            return Ok(found);
        }
        let lower = id.to_lowercase();
        if lower != id {
            return lookup(&lower).map_err(err);
        }
        Ok(None)
    }

    fn predicate_ids(&self) -> Result<Vec<String>, CatalogError> {
        self.texts("SELECT id FROM predicate ORDER BY id")
    }

    fn source_ids(&self) -> Result<Vec<String>, CatalogError> {
        self.texts("SELECT id FROM source ORDER BY id")
    }

    fn source_titles(&self) -> Result<Vec<(String, String)>, CatalogError> {
        self.rows(
            "SELECT id, title FROM source WHERE title IS NOT NULL ORDER BY id",
            &[],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(err)
    }

    fn kinds(&self) -> Result<Vec<String>, CatalogError> {
        self.texts("SELECT DISTINCT kind FROM entity ORDER BY kind")
    }

    fn saved_names(&self) -> Result<Vec<String>, CatalogError> {
        self.texts("SELECT name FROM saved_query ORDER BY name")
    }

    fn saved_query(&self, name: &str) -> Result<Option<SavedQuery>, CatalogError> {
        let row = self
            .row(
                "SELECT name, params, body FROM saved_query WHERE name = ?1",
                &[&name],
                |r| {
                    Ok((
                        r.get::<String>(0)?,
                        r.get::<String>(1)?,
                        r.get::<String>(2)?,
                    ))
                },
            )
            .map_err(err)?;
        let Some((name, params_json, body)) = row else {
            return Ok(None);
        };
        let params: Vec<String> = serde_json::from_str(&params_json).map_err(|e| {
            CatalogError(format!(
                "saved query `{name}` has unreadable parameters ({e}); `check` the store"
            ))
        })?;
        Ok(Some(SavedQuery { name, params, body }))
    }
}
