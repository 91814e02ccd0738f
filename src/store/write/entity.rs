//! Entities, predicates and sources: `add` of their records (checked by the import's
//! rules) and an entity's names (`alias`, `unalias`, `rename`). Each change of an entity
//! is a new version of it, names included.

use super::versions::Table;
use super::{db, WriteReport, Writer};
use crate::store::change;
use crate::store::import::fields::{EntityFields, PredicateFields, SourceFields};
use crate::store::StoreError;

/// An entity's row.
pub(super) struct EntityRow {
    pub(super) key: i64,
    kind: String,
    name: String,
    note: Option<String>,
    pub(super) merged_into: Option<i64>,
}

/// The first field a record gives with a value other than the stored one: (field,
/// stored, given). Fields the record leaves out are not compared (as an import does).
fn first_difference<'a>(
    fields: &[(&'static str, Option<&'a str>, Option<&'a str>)],
) -> Option<(&'static str, Option<&'a str>, &'a str)> {
    fields
        .iter()
        .find_map(|&(field, stored, given)| match given {
            Some(g) if stored != Some(g) => Some((field, stored, g)),
            _ => None,
        })
}

/// The answer to an `add` of an existing id: nothing changes when the record says what
/// is stored; with other content (`difference`: field, stored, given), a refusal.
fn already(
    what: &str,
    id: &str,
    difference: Option<(&str, Option<&str>, &str)>,
    advice: &str,
) -> Result<WriteReport, StoreError> {
    let Some((field, stored, given)) = difference else {
        return Ok(WriteReport::said(format!(
            "{what} `{id}` is already recorded; nothing changed"
        )));
    };
    let stored = stored.map_or("none".to_string(), |s| format!("\"{s}\""));
    Err(StoreError::Refused(format!(
        "{what} `{id}` already exists with {field} {stored}, not \"{given}\": `add` records \
         something new. {advice}"
    )))
}

impl Writer<'_> {
    pub(super) fn entity_row(&self, id: &str) -> Result<EntityRow, StoreError> {
        let key = self.entity_key(id)?;
        self.db
            .query_row(
                "SELECT kind, name, note, merged_into FROM entity WHERE key = ?1",
                &[&key],
                |r| {
                    Ok(EntityRow {
                        key,
                        kind: r.get(0)?,
                        name: r.get(1)?,
                        note: r.get(2)?,
                        merged_into: r.get(3)?,
                    })
                },
            )
            .map_err(db)
    }

    /// Every name of entity `key` (display name first, then aliases in order).
    fn names(&self, key: i64) -> Result<Vec<(String, bool)>, StoreError> {
        self.db
            .query_map("SELECT text, is_name FROM alias WHERE entity = ?1 ORDER BY is_name DESC, ord, text", &[&key], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(db)
    }

    /// `add entity`: a new entity with a new key; an existing id with the same content
    /// changes nothing.
    pub(super) fn add_entity(&self, e: EntityFields) -> Result<WriteReport, StoreError> {
        if self
            .key_of("SELECT key FROM entity WHERE id = ?1", &e.id)?
            .is_some()
        {
            let stored = self.entity_row(&e.id)?;
            let names = self.names(stored.key)?;
            let difference = first_difference(&[
                ("kind", Some(&stored.kind), Some(&e.kind)),
                ("name", Some(&stored.name), Some(&e.name)),
                ("note", stored.note.as_deref(), e.note.as_deref()),
            ])
            .or_else(|| {
                e.aliases
                    .iter()
                    .find(|a| !names.iter().any(|(n, _)| n == *a))
                    .map(|a| ("alias", None, a.as_str()))
            });
            return already(
                "entity",
                &e.id,
                difference,
                &format!(
                    "Give it more names with `alias {id} \"…\"`, another display name with \
                         `rename {id} \"…\"`, or use another id for another entity.",
                    id = e.id
                ),
            );
        }
        let key = change::next_entity_key(self.db).map_err(db)?;
        self.db
            .execute(
                "INSERT INTO entity (key, id, kind, name, note, since_change) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                &[&key, &e.id, &e.kind, &e.name, &e.note, &self.change],
            )
            .map_err(db)?;
        self.insert_name(key, &e.name, None, true, 0)?;
        let mut ord = 1;
        for alias in &e.aliases {
            if self.insert_name(key, alias, None, false, ord)? {
                ord += 1;
            }
        }
        crate::store::mentions::insert_weak_aliases(self.db, key, &e.weak_aliases).map_err(db)?;
        Ok(WriteReport::changed(
            format!("added entity `{}`", e.id),
            Vec::new(),
        ))
    }

    /// `add predicate`: a new predicate, or the declaration of one that relations used
    /// without one (as an import completes it).
    pub(super) fn add_predicate(&self, p: PredicateFields) -> Result<WriteReport, StoreError> {
        type Stored = (i64, Option<String>, bool, Option<String>, bool);
        let stored: Option<Stored> = self
            .db
            .query_opt("SELECT key, label, \"symmetric\", description, declared FROM predicate WHERE id = ?1", &[&&p.id], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })
            .map_err(db)?;
        let symmetric = p.symmetric.unwrap_or(false);
        match stored {
            Some((_, label, s_symmetric, description, true)) => {
                let (stored_sym, given_sym) =
                    (s_symmetric.to_string(), p.symmetric.map(|s| s.to_string()));
                already(
                    "predicate",
                    &p.id,
                    first_difference(&[
                        ("label", label.as_deref(), p.label.as_deref()),
                        (
                            "description",
                            description.as_deref(),
                            p.description.as_deref(),
                        ),
                        ("symmetric", Some(&stored_sym), given_sym.as_deref()),
                    ]),
                    "Use another id for another predicate.",
                )
            }
            Some((key, ..)) => {
                self.keep(Table::Predicate, key)?;
                self.db
                    .execute(
                        "UPDATE predicate SET label = ?2, \"symmetric\" = ?3, description = ?4, \
                         declared = 1, since_change = ?5 WHERE key = ?1",
                        &[&key, &p.label, &symmetric, &p.description, &self.change],
                    )
                    .map_err(db)?;
                Ok(WriteReport::changed(
                    format!("declared predicate `{}`", p.id),
                    Vec::new(),
                ))
            }
            None => {
                let key = change::next_predicate_key(self.db).map_err(db)?;
                self.db
                    .execute("INSERT INTO predicate (key, id, label, \"symmetric\", description, declared, \
                         since_change) VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6)", &[&key, &p.id, &p.label, &symmetric, &p.description, &self.change])
                    .map_err(db)?;
                Ok(WriteReport::changed(
                    format!("added predicate `{}`", p.id),
                    Vec::new(),
                ))
            }
        }
    }

    /// `add source`: a new source; an existing id with the same content changes nothing.
    pub(super) fn add_source(&self, s: SourceFields) -> Result<WriteReport, StoreError> {
        let stored: Option<[Option<String>; 5]> = self
            .db
            .query_opt(
                "SELECT title, published, lang, url, note FROM source WHERE id = ?1",
                &[&&s.id],
                |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?]),
            )
            .map_err(db)?;
        if let Some([title, published, lang, url, note]) = stored {
            return already(
                "source",
                &s.id,
                first_difference(&[
                    ("title", title.as_deref(), s.title.as_deref()),
                    ("published", published.as_deref(), s.published.as_deref()),
                    ("lang", lang.as_deref(), s.lang.as_deref()),
                    ("url", url.as_deref(), s.url.as_deref()),
                    ("note", note.as_deref(), s.note.as_deref()),
                ]),
                "Use another id for another source, or `correct source` to change this one.",
            );
        }
        let key = change::next_source_key(self.db).map_err(db)?;
        self.write_source(key, &s)?;
        Ok(WriteReport::changed(
            format!("added source `{}`", s.id),
            Vec::new(),
        ))
    }

    /// `alias`: more names for an entity; names it has already are left as they are.
    pub(super) fn alias(&self, id: &str, names: &[String]) -> Result<WriteReport, StoreError> {
        let entity = self.entity_row(id)?;
        let stored = self.names(entity.key)?;
        let mut new = given_names(names)?;
        new.retain(|name| !stored.iter().any(|(n, _)| n == name));
        if new.is_empty() {
            return Ok(WriteReport::said(format!(
                "`{id}` already has those names; nothing changed"
            )));
        }
        self.keep(Table::Entity, entity.key)?;
        let first: i64 = self
            .db
            .query_row(
                "SELECT COALESCE(max(ord), 0) + 1 FROM alias WHERE entity = ?1",
                &[&entity.key],
                |r| r.get(0),
            )
            .map_err(db)?;
        for (ord, name) in (first..).zip(&new) {
            self.insert_name(entity.key, name, None, false, ord)?;
        }
        self.touch(Table::Entity, entity.key)?;
        Ok(WriteReport::changed(
            format!("`{id}` now also answers to {}", quoted(&new)),
            Vec::new(),
        ))
    }

    /// `alias … weak`: more weak aliases for an entity; those it has already are left as
    /// they are. The entity's version before is kept, names and weak aliases, as `alias`
    /// keeps it, so that `undo` and `as recorded` see them as they were.
    pub(super) fn weak_alias(&self, id: &str, names: &[String]) -> Result<WriteReport, StoreError> {
        let entity = self.entity_row(id)?;
        let stored: Vec<String> = self
            .db
            .query_map(
                "SELECT text FROM weak_alias WHERE entity = ?1",
                &[&entity.key],
                |r| r.get(0),
            )
            .map_err(db)?;
        let mut new = given_names(names)?;
        new.retain(|name| !stored.iter().any(|n| n == name));
        if new.is_empty() {
            return Ok(WriteReport::said(format!(
                "`{id}` already has those weak aliases; nothing changed"
            )));
        }
        self.keep(Table::Entity, entity.key)?;
        crate::store::mentions::insert_weak_aliases(self.db, entity.key, &new).map_err(db)?;
        self.touch(Table::Entity, entity.key)?;
        Ok(WriteReport::changed(
            format!("`{id}` now also has the weak aliases {}", quoted(&new)),
            Vec::new(),
        ))
    }

    /// `unalias`: names an entity no longer has. Its display name cannot go (rename first).
    pub(super) fn unalias(&self, id: &str, names: &[String]) -> Result<WriteReport, StoreError> {
        let entity = self.entity_row(id)?;
        let stored = self.names(entity.key)?;
        let gone = given_names(names)?;
        for &name in &gone {
            match stored.iter().find(|(n, _)| n == name) {
                None => {
                    let all: Vec<&str> = stored.iter().map(|(n, _)| n.as_str()).collect();
                    return Err(StoreError::Refused(format!(
                        "\"{name}\" is not a name of `{id}`, whose names are {}; nothing was \
                         removed",
                        quoted(&all)
                    )));
                }
                Some((_, true)) => {
                    return Err(StoreError::Refused(format!(
                        "\"{name}\" is the display name of `{id}`: give it another first \
                         (`rename {id} \"…\"`), then remove this one"
                    )))
                }
                Some(_) => {}
            }
        }
        if gone.is_empty() {
            return Ok(WriteReport::said("no name given; nothing changed"));
        }
        self.keep(Table::Entity, entity.key)?;
        for name in &gone {
            self.db
                .execute(
                    "DELETE FROM alias WHERE entity = ?1 AND text = ?2",
                    &[&entity.key, &name],
                )
                .map_err(db)?;
        }
        self.touch(Table::Entity, entity.key)?;
        Ok(WriteReport::changed(
            format!("`{id}` no longer answers to {}", quoted(&gone)),
            Vec::new(),
        ))
    }

    /// `rename`: a new display name; the old one stays a name of the entity.
    pub(super) fn rename(&self, id: &str, name: &str) -> Result<WriteReport, StoreError> {
        let entity = self.entity_row(id)?;
        let name = given_name(name)?;
        if entity.name == name {
            return Ok(WriteReport::said(format!(
                "`{id}` is already named \"{name}\"; nothing changed"
            )));
        }
        self.keep(Table::Entity, entity.key)?;
        // The old display name becomes the last alias.
        self.db
            .execute(
                "UPDATE alias SET is_name = 0, \
                     ord = (SELECT COALESCE(max(ord), 0) + 1 FROM alias WHERE entity = ?1) \
                 WHERE entity = ?1 AND is_name = 1",
                &[&entity.key],
            )
            .map_err(db)?;
        for sql in [
            "UPDATE alias SET is_name = 1, ord = 0 WHERE entity = ?1 AND text = ?2",
            "UPDATE entity SET name = ?2 WHERE key = ?1",
        ] {
            self.db.execute(sql, &[&entity.key, &name]).map_err(db)?;
        }
        self.insert_name(entity.key, name, None, true, 0)?;
        self.touch(Table::Entity, entity.key)?;
        Ok(WriteReport::changed(
            format!(
                "renamed `{id}` to \"{name}\"; \"{}\" stays a name of it",
                entity.name
            ),
            Vec::new(),
        ))
    }
}

/// A name as given, trimmed; an empty one is refused.
fn given_name(name: &str) -> Result<&str, StoreError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(StoreError::BadWrite {
            field: Some("name".into()),
            reason: "a name cannot be empty".into(),
        });
    }
    Ok(name)
}

/// Names as given, trimmed, each once; an empty one is refused.
fn given_names(names: &[String]) -> Result<Vec<&str>, StoreError> {
    let mut given: Vec<&str> = Vec::with_capacity(names.len());
    for name in names {
        let name = given_name(name)?;
        if !given.contains(&name) {
            given.push(name);
        }
    }
    Ok(given)
}

/// Names in quotes, joined with commas.
fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use crate::store::write::testing::*;

    fn names(s: &Store, id: &str) -> Vec<String> {
        rows(
            s,
            &format!(
                "SELECT a.text || ':' || a.is_name || ':' || a.ord FROM alias a \
                 JOIN entity e ON e.key = a.entity WHERE e.id = '{id}' ORDER BY a.ord"
            ),
        )
    }

    #[test]
    fn add_entity_predicate_and_source() {
        let mut s = store_with(BASE);
        let r = write(&mut s, add(r#"{"type":"entity","id":"araghchi","kind":"person","name":"Abbas Araghchi","aliases":["عباس عراقجي","Araghchi"],"note":"FM"}"#)).unwrap();
        assert_eq!(r.messages, ["added entity `araghchi`"]);
        assert_eq!(
            names(&s, "araghchi"),
            ["Abbas Araghchi:1:0", "عباس عراقجي:0:1", "Araghchi:0:2"]
        );
        assert_eq!(one(&s, "SELECT key FROM entity WHERE id = 'araghchi'"), 5);
        let same = write(&mut s, add(r#"{"type":"entity","id":"araghchi","kind":"person","name":"Abbas Araghchi","aliases":["Araghchi"]}"#)).unwrap();
        assert_eq!(
            same.messages,
            ["entity `araghchi` is already recorded; nothing changed"]
        );
        let err = write(&mut s, add(r#"{"type":"entity","id":"araghchi","kind":"person","name":"Abbas Araghchi","aliases":["Arakchi"]}"#)).unwrap_err();
        assert!(err.to_string().contains("alias araghchi"), "{err}");
        assert_eq!(err.exit_code(), 2);
        let err = write(
            &mut s,
            add(r#"{"type":"entity","id":"araghchi","kind":"city","name":"Abbas Araghchi"}"#),
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("kind \"person\", not \"city\""),
            "{err}"
        );

        write(
            &mut s,
            add(r#"{"type":"relation","subject":"a","predicate":"postponed","object":"b"}"#),
        )
        .unwrap();
        let r = write(
            &mut s,
            add(r#"{"type":"predicate","id":"postponed","label":"postponed","symmetric":true}"#),
        )
        .unwrap();
        assert_eq!(r.messages, ["declared predicate `postponed`"]);
        assert_eq!(
            rows(
                &s,
                "SELECT id, declared, until_change FROM predicate_version"
            ),
            ["postponed|0|4"]
        );
        let same = write(
            &mut s,
            add(r#"{"type":"predicate","id":"postponed","symmetric":true}"#),
        )
        .unwrap();
        assert!(!same.changed);
        let err = write(
            &mut s,
            add(r#"{"type":"predicate","id":"postponed","symmetric":false}"#),
        )
        .unwrap_err();
        assert!(err.to_string().contains("symmetric"), "{err}");
        write(
            &mut s,
            add(r#"{"type":"predicate","id":"hosted","label":"hosted"}"#),
        )
        .unwrap();
        assert_eq!(
            one(&s, "SELECT declared FROM predicate WHERE id = 'hosted'"),
            1
        );

        let r = write(&mut s, add(r#"{"type":"source","id":"kan-0508","title":"Kan news","published":"2025-05-08","lang":"he"}"#)).unwrap();
        assert_eq!(r.messages, ["added source `kan-0508`"]);
        assert_eq!(rows(&s, "SELECT published_lo = published_hi, since_change FROM source WHERE id = 'kan-0508'"), ["1|6"]);
        assert!(
            !write(
                &mut s,
                add(r#"{"type":"source","id":"kan-0508","lang":"he"}"#)
            )
            .unwrap()
            .changed
        );
        assert!(write(
            &mut s,
            add(r#"{"type":"source","id":"kan-0508","lang":"fa"}"#)
        )
        .is_err());
        let err = write(
            &mut s,
            add(r#"{"type":"source","id":"x","published":"2025-13"}"#),
        )
        .unwrap_err();
        assert_eq!(bad_field(&err), Some("published"), "{err}");
    }

    #[test]
    fn names_change_as_new_versions() {
        let mut s = store_with(BASE);
        let r = write(&mut s, alias("a", &["ألفا", "Alef", " Al "])).unwrap();
        assert_eq!(r.messages, ["`a` now also answers to \"ألفا\", \"Al\""]);
        assert_eq!(
            names(&s, "a"),
            ["Alpha:1:0", "Alef:0:1", "ألفا:0:2", "Al:0:3"]
        );
        assert_eq!(
            rows(
                &s,
                "SELECT since_change, until_change, name, aliases FROM entity_version"
            ),
            [r#"1|2|Alpha|[["Alpha",null,1,0,0],["Alef",null,0,1,0]]"#]
        );
        assert!(!write(&mut s, alias("a", &["Al"])).unwrap().changed);
        write(&mut s, unalias("a", &["Al"])).unwrap();
        assert_eq!(names(&s, "a"), ["Alpha:1:0", "Alef:0:1", "ألفا:0:2"]);
        let err = write(&mut s, unalias("a", &["Alpha"])).unwrap_err();
        assert!(err.to_string().contains("display name of `a`"), "{err}");
        let err = write(&mut s, unalias("a", &["Zed"])).unwrap_err();
        assert!(err.to_string().contains("\"Alpha\", \"Alef\""), "{err}");
        let r = write(&mut s, rename("a", "Alef")).unwrap();
        assert_eq!(
            r.messages,
            ["renamed `a` to \"Alef\"; \"Alpha\" stays a name of it"]
        );
        assert_eq!(names(&s, "a"), ["Alef:1:0", "ألفا:0:2", "Alpha:0:3"]);
        write(&mut s, rename("a", "Al A")).unwrap();
        assert_eq!(
            names(&s, "a"),
            ["Al A:1:0", "ألفا:0:2", "Alpha:0:3", "Alef:0:4"]
        );
        assert_eq!(rows(&s, "SELECT name FROM entity WHERE id = 'a'"), ["Al A"]);
        assert!(!write(&mut s, rename("a", "Al A")).unwrap().changed);
        let err = write(&mut s, alias("zz", &["x"])).unwrap_err();
        assert!(matches!(err, StoreError::UnknownId { what: "entity", .. }));
    }
}
