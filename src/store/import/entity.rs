//! Entity records: a new entity with its names, or names added to an existing one. A
//! record for an existing entity needs neither `kind` nor `name`
//! (`{"type":"entity","id":"azerbaijan_fm","aliases":["Jeyhun Bayramov"]}` adds a name);
//! what it gives must agree with what is stored. An entity that gains names keeps its
//! previous version in history.

use super::entity_batch::NewEntity;
use super::importer::Importer;
use super::record::{agree, Fault, Record, RecordError};
use crate::names;
use crate::store::StoreError;

/// What is stored of an entity a record names.
struct StoredEntity {
    key: i64,
    kind: String,
    name: String,
    note: Option<String>,
    since_change: i64,
}

impl<'t> Importer<'t> {
    pub(super) fn entity(&mut self, rec: &Record, line: u64) -> Result<(), RecordError> {
        let id = rec.id("id")?;
        let kind = rec.text("kind")?;
        let name = rec.text("name")?;
        let aliases = rec.texts("aliases")?;
        let note = rec.text("note")?;
        let weak_aliases = rec.texts("weak_aliases")?;
        if let (Some(kind), Some(name)) = (kind, name) {
            let new = NewEntity {
                id,
                kind,
                name,
                note,
                aliases: &aliases,
                weak_aliases: &weak_aliases,
            };
            if self.gather_entity(&new, line)? {
                return Ok(());
            }
            let key = self.next_entity_key;
            let inserted = self.db.execute(
                "INSERT INTO entity(key, id, kind, name, note, since_change)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(id) DO NOTHING",
                &[&key, &id, &kind, &name, &note, &self.change],
            )?;
            if inserted == 1 {
                self.next_entity_key = key.saturating_add(1);
                self.summary.entities.added += 1;
                self.drop_name_indexes_for_bulk()?;
                self.entities.set(id, Some(key));
                self.add_weak_aliases(key, &weak_aliases)?;
                // The display name first, then the aliases in record order from 1.
                let names =
                    std::iter::once((name, true)).chain(aliases.iter().map(|a| (*a, false)));
                return self.add_names(key, id, names, 0, line);
            }
        }
        // The entities gathered so far are written before this record reads the store.
        self.write_entity_batch()?;
        let Some(stored) = self.stored_entity(id)? else {
            return Err(match (kind, name) {
                (None, None) => Fault::record(format!(
                    "entity `{id}` is not in the store or earlier in this file: a record \
                     without kind and name only adds aliases to an existing entity; give \
                     kind and name to create it"
                )),
                (None, _) => Fault::field("kind", "required field is missing or empty"),
                _ => Fault::field("name", "required field is missing or empty"),
            }
            .into());
        };
        agree("kind", "entity", id, Some(&stored.kind), kind)?;
        agree("name", "entity", id, Some(&stored.name), name)?;
        agree("note", "entity", id, stored.note.as_deref(), note)?;
        self.summary.entities.present += 1;
        self.entities.set(id, Some(stored.key));
        let new: Vec<(&str, bool)> = self
            .missing(stored.key, "alias", aliases)?
            .into_iter()
            .map(|alias| (alias, false))
            .collect();
        let new_weak = self.missing(stored.key, "weak_alias", weak_aliases)?;
        if new.is_empty() && new_weak.is_empty() {
            return Ok(());
        }
        // Weak aliases are kept in versions too: the entity's version before them is kept.
        if stored.since_change != self.change {
            self.keep_entity_version(stored.key)?;
        }
        self.add_weak_aliases(stored.key, &new_weak)?;
        if new.is_empty() {
            return Ok(());
        }
        // Added aliases continue after the stored ones.
        let next: i64 = self.db.query_row(
            "SELECT COALESCE(MAX(ord), 0) + 1 FROM alias WHERE entity = ?1",
            &[&stored.key],
            |r| r.get(0),
        )?;
        self.add_names(stored.key, id, new, next, line)
    }

    /// The names of `texts` that entity `key` does not have in `table` (`alias` or
    /// `weak_alias`, a constant of the caller).
    fn missing<'n>(
        &self,
        key: i64,
        table: &str,
        texts: Vec<&'n str>,
    ) -> Result<Vec<&'n str>, RecordError> {
        let mut missing = Vec::new();
        for text in texts {
            let has: bool = self.db.query_row(
                &format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE entity = ?1 AND text = ?2)"),
                &[&key, &text],
                |r| r.get(0),
            )?;
            if !has {
                missing.push(text);
            }
        }
        Ok(missing)
    }

    /// Writes weak aliases of entity `key` (see [`crate::store::mentions`]).
    fn add_weak_aliases(&mut self, key: i64, texts: &[&str]) -> Result<(), RecordError> {
        let added = crate::store::mentions::insert_weak_aliases(self.db, key, texts)
            .map_err(StoreError::db("cannot write an imported record"))?;
        // Counted as names, as a history import counts them: an import that only adds
        // weak aliases is a change too.
        self.summary.aliases_added += added as u64;
        Ok(())
    }

    fn stored_entity(&self, id: &str) -> Result<Option<StoredEntity>, RecordError> {
        Ok(self.db.query_opt(
            "SELECT key, kind, name, note, since_change FROM entity WHERE id = ?1",
            &[&id],
            |r| {
                Ok(StoredEntity {
                    key: r.get(0)?,
                    kind: r.get(1)?,
                    name: r.get(2)?,
                    note: r.get(3)?,
                    since_change: r.get(4)?,
                })
            },
        )?)
    }

    /// Writes names of entity `key` (`id`): (text, is it the display name), numbered from
    /// `ord` (aliases from 1 at least). Each name added is checked against the names of
    /// other entities (a warning, or a fault when strict); while the name index is
    /// dropped for a bulk insert, after it is built again.
    fn add_names<'n>(
        &mut self,
        key: i64,
        id: &str,
        texts: impl IntoIterator<Item = (&'n str, bool)>,
        ord: i64,
        line: u64,
    ) -> Result<(), RecordError> {
        let mut ord = ord;
        let mut deferred = false;
        for (text, is_name) in texts {
            let norm = names::normalise(text);
            if !is_name {
                ord = ord.max(1);
            }
            let added = self.db.execute(
                "INSERT INTO alias(entity, text, norm, is_name, ord) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT DO NOTHING",
                &[&key, &text, &norm, &is_name, &if is_name { 0 } else { ord }],
            )? as u64;
            if added == 0 {
                continue;
            }
            self.summary.aliases_added += 1;
            if !is_name {
                ord += 1;
            }
            if self.dropped_name_indexes.is_some() {
                deferred = true;
            } else {
                self.check_name(key, id, text, &norm, line, is_name)?;
            }
        }
        if deferred {
            self.names_unchecked.push((key, line));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::names;
    use crate::store::import::testing::*;

    #[test]
    fn aliases_are_merged_into_an_existing_entity() {
        let mut s = store();
        jsonl(&mut s, BASE).unwrap();
        let sum = jsonl(
            &mut s,
            r#"{"type":"entity","id":"a","kind":"person","name":"Alpha","aliases":["Alef","Alfa"]}"#,
        )
        .unwrap();
        assert_eq!(
            sum.entities,
            RecordCounts {
                added: 0,
                present: 1
            }
        );
        assert_eq!(sum.aliases_added, 1);
        let ords: Vec<String> = texts(
            &s,
            "SELECT text || ord FROM alias WHERE is_name = 0 ORDER BY ord",
        );
        assert_eq!(ords.last().map(String::as_str), Some("Alfa3"));
        let norm = texts(&s, "SELECT norm FROM alias WHERE text = 'Alfa'");
        assert_eq!(norm, [names::normalise("Alfa")]);
    }

    #[test]
    fn a_record_without_kind_and_name_adds_aliases_to_an_existing_entity() {
        let mut s = store();
        jsonl(&mut s, BASE).unwrap();
        let sum = jsonl(
            &mut s,
            r#"{"type":"entity","id":"b","aliases":["Bet","Beth"]}"#,
        )
        .unwrap();
        assert_eq!((sum.entities.present, sum.aliases_added), (1, 2));
        assert_eq!(
            texts(&s, "SELECT text FROM alias WHERE entity = (SELECT key FROM entity WHERE id = 'b') ORDER BY ord"),
            ["Beta", "Bet", "Beth"]
        );
        // The entity's previous version, with its one name, is history.
        let aliases = texts(&s, "SELECT aliases FROM entity_version");
        assert_eq!(aliases, [r#"[["Beta",null,1,0,0]]"#]);
        // Again: nothing new, no version, no change.
        let again = jsonl(&mut s, r#"{"type":"entity","id":"b","aliases":["Bet"]}"#).unwrap();
        assert_eq!((again.aliases_added, again.change), (0, None));
        assert_eq!(count(&s, "entity_version"), 1);
        // Weak aliases for it: its version before them is kept too, once.
        let weak = r#"{"type":"entity","id":"b","weak_aliases":["the","Bet"]}"#;
        let third = jsonl(&mut s, weak).unwrap();
        assert!(third.change.is_some());
        assert_eq!(
            texts(
                &s,
                "SELECT aliases FROM entity_version ORDER BY since_change"
            )[1],
            r#"[["Beta",null,1,0,0],["Bet",null,0,1,0],["Beth",null,0,2,0]]"#
        );
        assert_eq!(jsonl(&mut s, weak).unwrap().change, None);
        assert_eq!(count(&s, "entity_version"), 2);
        // An entity that does not exist: the line says so.
        let (line, field, reason) = bad(jsonl(
            &mut s,
            "\n{\"type\":\"entity\",\"id\":\"zz\",\"aliases\":[\"Z\"]}",
        )
        .unwrap_err());
        assert_eq!((line, field), (2, None));
        assert!(
            reason.contains("entity `zz` is not in the store"),
            "{reason}"
        );
        let (_, field, _) =
            bad(jsonl(&mut s, r#"{"type":"entity","id":"zz","kind":"person"}"#).unwrap_err());
        assert_eq!(field.as_deref(), Some("name"));
        // Fields it gives must agree.
        let (_, field, _) =
            bad(jsonl(&mut s, r#"{"type":"entity","id":"b","kind":"person"}"#).unwrap_err());
        assert_eq!(field.as_deref(), Some("kind"));
    }
}
