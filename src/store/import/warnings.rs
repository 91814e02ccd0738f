//! What an import accepts but warns about, and refuses when strict: a new undeclared
//! predicate that looks like a known one (`vistied` beside `visited`), and a name or alias
//! that already names another entity (the name becomes ambiguous in every query). Both
//! are checked once per distinct predicate or name added, never per relation: names as
//! they are added (or, during a bulk insert of entities, in one ordered read of the name
//! index once it is built again), predicates at the end of the file (a declaration
//! further down makes a predicate no mistake).

use std::collections::HashMap;

use rusqlite::params;

use crate::store::db::DbError;

use super::importer::Importer;
use super::record::{Fault, RecordError};
use super::{ImportWarning, MAX_WARNINGS};
use crate::names;
use crate::store::StoreError;

/// Something that looks like a mistake, at a line.
struct Lookalike {
    line: u64,
    field: &'static str,
    /// What looks wrong, ending with the did-you-mean question.
    problem: String,
    /// What to do about it: a sentence without its final period.
    advice: String,
}

impl Lookalike {
    fn warning(self) -> ImportWarning {
        ImportWarning {
            line: self.line,
            field: Some(self.field.to_string()),
            message: format!("{} {}.", self.problem, self.advice),
        }
    }

    /// The refusal under `strict` (the error adds the final period).
    fn fault(self) -> Fault {
        Fault::field(
            self.field,
            format!("{} --strict refuses this. {}", self.problem, self.advice),
        )
    }
}

/// `a`, `a` or `b`, `a`, `b` or `c`, each in backquotes.
fn either(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("`{s}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// The advice for a name that another entity has.
fn shared_name_advice(other: &str) -> String {
    format!(
        "A name two entities share is ambiguous wherever it is used: if they are one entity, \
         give the names to `{other}` (a record with its id and `aliases`), else give this \
         entity names of its own"
    )
}

impl<'t> Importer<'t> {
    /// Keeps a warning (the first [`MAX_WARNINGS`]; the rest are counted).
    fn push_warning(&mut self, warning: ImportWarning) {
        if self.summary.warnings.len() < MAX_WARNINGS {
            self.summary.warnings.push(warning);
        } else {
            self.summary.warnings_omitted += 1;
        }
    }

    /// Checks a name just added to entity `key` (`id`): another entity with the same
    /// normalised name is warned about, or refused when strict.
    pub(super) fn check_name(
        &mut self,
        key: i64,
        id: &str,
        text: &str,
        norm: &str,
        line: u64,
        is_name: bool,
    ) -> Result<(), RecordError> {
        // One read of the name index; the other entity is described only for a warning
        // that is kept (a bulk import may bring thousands of shared names).
        let other: Option<i64> = self.db.query_opt(
            "SELECT entity FROM alias WHERE norm = ?1 AND entity <> ?2 ORDER BY entity LIMIT 1",
            &[&norm, &key],
            |r| r.get(0),
        )?;
        let Some(other) = other else {
            return Ok(());
        };
        if self.warning_omitted() {
            return Ok(());
        }
        let (other, other_name): (String, String) = self.db.query_row(
            "SELECT id, name FROM entity WHERE key = ?1",
            &[&other],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        self.shared_name(line, is_name, text, id, &other, &other_name)
    }

    /// Counts a warning past the first [`MAX_WARNINGS`] instead of describing it (not
    /// when strict, which refuses the first): true if this one is only counted.
    pub(super) fn warning_omitted(&mut self) -> bool {
        let omitted = !self.strict && self.summary.warnings.len() >= MAX_WARNINGS;
        self.summary.warnings_omitted += u64::from(omitted);
        omitted
    }

    /// `text`, a name of entity `id` added at `line` (its display name if `is_name`),
    /// already names entity `other` (`other_name`): a warning, or refused when strict.
    pub(super) fn shared_name(
        &mut self,
        line: u64,
        is_name: bool,
        text: &str,
        id: &str,
        other: &str,
        other_name: &str,
    ) -> Result<(), RecordError> {
        let found = Lookalike {
            line,
            field: if is_name { "name" } else { "aliases" },
            problem: format!(
                "`{text}`, a name of entity `{id}`, already names entity `{other}` \
                 ({other_name}): did you mean `{other}`?"
            ),
            advice: shared_name_advice(other),
        };
        if self.strict {
            return Err(found.fault().into());
        }
        self.push_warning(found.warning());
        Ok(())
    }

    /// The checks that wait for the whole file: names added during a bulk insert, and
    /// new predicates that still have no declaration. Strict: the first (by line) stops
    /// the import.
    pub(super) fn check_whole_file(&mut self) -> Result<(), StoreError> {
        let db = StoreError::sqlite("cannot check the imported names");
        let (mut found, omitted) = self.names_after_bulk().map_err(db)?;
        found.extend(
            self.predicate_lookalikes()
                .map_err(StoreError::db("cannot check the imported names"))?,
        );
        found.sort_by_key(|l| l.line);
        if self.strict {
            if let Some(first) = found.into_iter().next() {
                let line = first.line;
                return Err(self.bad(line, None, first.fault()));
            }
            return Ok(());
        }
        for lookalike in found {
            self.push_warning(lookalike.warning());
        }
        self.summary.warnings_omitted += omitted;
        self.summary.warnings.sort_by_key(|w| w.line);
        Ok(())
    }

    /// Names that entities gained during a bulk insert and that other entities have,
    /// found in one ordered read of the name index (rebuilt by now): the first
    /// [`MAX_WARNINGS`] by line, and how many more.
    fn names_after_bulk(&mut self) -> rusqlite::Result<(Vec<Lookalike>, u64)> {
        if self.names_unchecked.is_empty() {
            return Ok((Vec::new(), 0));
        }
        let mut lines: HashMap<i64, u64> = HashMap::with_capacity(self.names_unchecked.len());
        for (key, line) in std::mem::take(&mut self.names_unchecked) {
            lines.entry(key).or_insert(line);
        }
        // (line, entity, another entity of the same name, the normalised name)
        let mut shared: Vec<(u64, i64, i64, String)> = Vec::new();
        {
            let mut stmt = self.tx.prepare_cached(
                "SELECT norm, entity FROM alias INDEXED BY alias_norm ORDER BY norm, entity",
            )?;
            let mut rows = stmt.query([])?;
            // Normalised names compared as bytes: no copy, no check of UTF-8, per name.
            let mut norm: Vec<u8> = Vec::new();
            let mut group: Vec<i64> = Vec::new();
            let mut flush = |norm: &[u8], group: &mut Vec<i64>| {
                group.dedup();
                if group.len() > 1 {
                    for &entity in group.iter() {
                        let Some(&line) = lines.get(&entity) else {
                            continue;
                        };
                        if let Some(other) = group.iter().copied().find(|&e| e != entity) {
                            let norm = String::from_utf8_lossy(norm).into_owned();
                            shared.push((line, entity, other, norm));
                        }
                    }
                }
                group.clear();
            };
            while let Some(row) = rows.next()? {
                let this = row.get_ref(0)?.as_bytes()?;
                if this != norm.as_slice() {
                    flush(&norm, &mut group);
                    norm.clear();
                    norm.extend_from_slice(this);
                }
                group.push(row.get(1)?);
            }
            flush(&norm, &mut group);
        }
        shared.sort_by_key(|s| s.0);
        let omitted = shared.len().saturating_sub(MAX_WARNINGS) as u64;
        shared.truncate(MAX_WARNINGS);
        let mut describe = self.tx.prepare_cached(
            "SELECT e.id, a.text, o.id, o.name FROM entity e JOIN alias a ON a.entity = e.key,
                 entity o
             WHERE e.key = ?1 AND a.norm = ?3 AND o.key = ?2 ORDER BY a.is_name DESC LIMIT 1",
        )?;
        let mut found = Vec::with_capacity(shared.len());
        for (line, entity, other, norm) in shared {
            let (id, text, other, other_name): (String, String, String, String) = describe
                .query_row(params![entity, other, norm], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })?;
            found.push(Lookalike {
                line,
                field: "aliases",
                problem: format!(
                    "`{text}`, a name of entity `{id}`, already names entity `{other}` \
                     ({other_name}): did you mean `{other}`?"
                ),
                advice: shared_name_advice(&other),
            });
        }
        Ok((found, omitted))
    }

    /// New undeclared predicates that look like a predicate the store knows.
    fn predicate_lookalikes(&self) -> Result<Vec<Lookalike>, DbError> {
        let new = &self.summary.new_predicates;
        if new.is_empty() {
            return Ok(Vec::new());
        }
        let known: Vec<(String, String)> = self
            .db
            .query_map("SELECT id FROM predicate ORDER BY id", &[], |r| {
                r.get::<String>(0)
            })?
            .into_iter()
            .filter(|id| !new.contains(id))
            .map(|id| {
                let norm = names::normalise(&id);
                (id, norm)
            })
            .collect();
        let mut found = Vec::new();
        for id in new {
            let like = names::suggest(
                &names::normalise(id),
                known.iter().map(|(id, norm)| (id.as_str(), norm.as_str())),
                3,
            );
            if like.is_empty() {
                continue;
            }
            let line = self
                .predicates
                .find(id)
                .and_then(|i| self.predicates.uses[i].created_at)
                .unwrap_or(0);
            found.push(Lookalike {
                line,
                field: "predicate",
                problem: format!(
                    "predicate `{id}` is not declared; did you mean {}?",
                    either(&like)
                ),
                advice: format!(
                    "Correct the relation, or declare `{id}` with a `predicate` record if it \
                     is a new predicate"
                ),
            });
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::either;
    use crate::store::import::testing::*;

    fn strict(s: &mut Store, text: &str) -> Result<ImportSummary, StoreError> {
        let opts = ImportOptions {
            strict: true,
            ..ImportOptions::default()
        };
        s.import(text.as_bytes(), ImportFormat::JsonLines, "t.jsonl", opts)
    }

    #[test]
    fn a_new_predicate_like_a_known_one_is_warned_about_or_refused() {
        let mut s = store();
        let declared = r#"{"type":"predicate","id":"visited","label":"visited"}"#;
        jsonl(&mut s, &format!("{BASE}{declared}\n")).unwrap();
        let typo = "{\"type\":\"relation\",\"subject\":\"a\",\"predicate\":\"vistied\",\"object\":\"b\"}\n";
        let text = format!("\n{typo}");
        let (line, field, reason) = bad(strict(&mut s, &text).unwrap_err());
        assert_eq!((line, field.as_deref()), (2, Some("predicate")));
        assert!(reason.contains("did you mean `visited`?"), "{reason}");
        assert_eq!(count(&s, "relation"), 0);
        let sum = jsonl(&mut s, &text).unwrap();
        assert_eq!(sum.warnings.len(), 1);
        assert_eq!(sum.warnings[0].line, 2);
        assert!(sum
            .warnings_text()
            .contains("test.jsonl:2: field `predicate`:"));
        // Declared further down the file, it is no mistake; nor is a predicate unlike any.
        let mut s = store();
        jsonl(&mut s, &format!("{BASE}{declared}\n")).unwrap();
        let later = r#"{"type":"predicate","id":"vistied","label":"toured"}"#;
        let other =
            "{\"type\":\"relation\",\"subject\":\"a\",\"predicate\":\"hosted\",\"object\":\"b\"}\n";
        let sum = strict(&mut s, &format!("{typo}{later}\n{other}")).unwrap();
        assert!(sum.warnings.is_empty(), "{:?}", sum.warnings);
    }

    #[test]
    fn a_name_that_names_another_entity_is_warned_about_or_refused() {
        let mut s = store();
        jsonl(&mut s, BASE).unwrap();
        let clash =
            r#"{"type":"entity","id":"c","kind":"person","name":"Gamma","aliases":["ALEF"]}"#;
        let (line, field, reason) = bad(strict(&mut s, clash).unwrap_err());
        assert_eq!((line, field.as_deref()), (1, Some("aliases")));
        assert!(
            reason.contains("already names entity `a` (Alpha)"),
            "{reason}"
        );
        assert_eq!(count(&s, "entity"), 2);
        let sum = jsonl(&mut s, clash).unwrap();
        assert_eq!(sum.warnings.len(), 1, "{:?}", sum.warnings);
        assert!(sum.warnings[0].message.contains("did you mean `a`?"));
        // Adding the name to the entity it belongs to is no clash.
        let sum = strict(
            &mut s,
            r#"{"type":"entity","id":"a","aliases":["Alpha A"]}"#,
        )
        .unwrap();
        assert!(sum.warnings.is_empty());
    }

    #[test]
    fn lists_read_as_prose() {
        let items = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(either(&items(&["a"])), "`a`");
        assert_eq!(either(&items(&["a", "b", "c"])), "`a`, `b` or `c`");
    }
}
