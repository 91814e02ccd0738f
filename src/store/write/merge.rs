//! `merge A into B`, the judgement that two entities are one: A stands for B from then
//! on, and the relations naming A are rewritten to name B (new versions, same ids);
//! `unmerge A` ends the judgement and gives A back the relations its merge rewrote.

use super::relation::RowAt;
use super::versions::{canonical, Table};
use super::{db, WriteReport, Writer};
use crate::store::StoreError;

impl Writer<'_> {
    /// `merge A into B`: A stands for B from now on (B's own merge followed); every live
    /// relation naming A is rewritten to name B (same ids, new versions), and one that
    /// becomes identical to a live relation is retracted.
    pub(super) fn merge(&self, from: &str, into: &str) -> Result<WriteReport, StoreError> {
        let a = self.entity_row(from)?;
        let named = self.entity_key(into)?;
        let b = canonical(self.db, named).map_err(db)?;
        let b_id = self.entity_id(b)?;
        if a.key == named {
            return Err(StoreError::Refused(format!(
                "cannot merge `{from}` into itself; name two entities"
            )));
        }
        if b == a.key {
            return Err(StoreError::Refused(format!(
                "`{into}` is merged into `{from}` already; to merge the other way, \
                 `unmerge {into}` first"
            )));
        }
        match a.merged_into {
            Some(m) if m == b => {
                return Ok(WriteReport::said(format!(
                    "`{from}` is already merged into `{b_id}`; nothing changed"
                )))
            }
            Some(m) => {
                return Err(StoreError::Refused(format!(
                    "`{from}` is merged into `{}` already; `unmerge {from}` first",
                    self.entity_id(m)?
                )))
            }
            None => {}
        }
        self.keep(Table::Entity, a.key)?;
        self.db
            .execute(
                "UPDATE entity SET merged_into = ?2 WHERE key = ?1",
                &[&a.key, &b],
            )
            .map_err(db)?;
        self.touch(Table::Entity, a.key)?;
        let mut report = WriteReport::changed(format!("merged `{from}` into `{b_id}`"), Vec::new());
        let keys: Vec<i64> = self
            .db
            .query_map(
                "SELECT key FROM relation WHERE subject = ?1 UNION \
                 SELECT key FROM relation WHERE object = ?1 UNION \
                 SELECT key FROM relation WHERE place = ?1 ORDER BY 1",
                &[&a.key],
                |r| r.get(0),
            )
            .map_err(db)?;
        let mut rewritten = 0;
        for key in keys {
            // Resolving the record makes it name what `a` now stands for.
            let resolved = self.resolve(self.relation_record(RowAt::Current(key))?)?;
            if let Some(other) = self.live_duplicate(resolved.fingerprints(), Some(key))? {
                self.remove(Table::Relation, key)?;
                report.messages.push(format!(
                    "retracted #{key}: it says what #{other} says once `{from}` is `{b_id}`"
                ));
            } else {
                self.keep(Table::Relation, key)?;
                self.write_relation(key, &resolved)?;
                rewritten += 1;
            }
            report.ids.push(key);
        }
        report.messages.insert(
            1,
            format!(
                "moved {} of `{from}` to `{b_id}`",
                Table::Relation.counted(rewritten)
            ),
        );
        Ok(report)
    }

    /// `unmerge A`: A stands for itself again. The relations its merge rewrote (or
    /// retracted as duplicates) that still name what A was merged into, in the same place,
    /// name A again; relations recorded since then with B stay with B.
    pub(super) fn unmerge(&self, id: &str) -> Result<WriteReport, StoreError> {
        let a = self.entity_row(id)?;
        let Some(target) = a.merged_into else {
            return Ok(WriteReport::said(format!(
                "`{id}` is not merged into another entity; nothing changed"
            )));
        };
        // The change that merged it: the end of its last version merged elsewhere or not.
        let merged_by: Option<i64> = self
            .db
            .query_row(
                "SELECT max(until_change) FROM entity_version \
                 WHERE key = ?1 AND merged_into IS DISTINCT FROM ?2",
                &[&a.key, &target],
                |r| r.get(0),
            )
            .map_err(db)?;
        self.keep(Table::Entity, a.key)?;
        self.db
            .execute(
                "UPDATE entity SET merged_into = NULL WHERE key = ?1",
                &[&a.key],
            )
            .map_err(db)?;
        self.touch(Table::Entity, a.key)?;
        let target_id = self.entity_id(target)?;
        let mut report =
            WriteReport::changed(format!("unmerged `{id}` from `{target_id}`"), Vec::new());
        let Some(merged_by) = merged_by else {
            return Ok(report);
        };
        let stands_for = [target, canonical(self.db, target).map_err(db)?];
        let before: Vec<(i64, i64, [Option<i64>; 3])> = self
            .db
            .query_map(
                "SELECT id, since_change, subject, object, place FROM relation_version \
                 WHERE until_change = ?1 AND erased = 0 \
                   AND (subject = ?2 OR object = ?2 OR place = ?2) ORDER BY id",
                &[&merged_by, &a.key],
                |r| Ok((r.get(0)?, r.get(1)?, [r.get(2)?, r.get(3)?, r.get(4)?])),
            )
            .map_err(db)?;
        let mut returned = 0;
        for (key, since, ends) in before {
            let now: Option<[Option<i64>; 3]> = self
                .db
                .query_opt(
                    "SELECT subject, object, place FROM relation WHERE key = ?1",
                    &[&key],
                    |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?]),
                )
                .map_err(db)?;
            let record = match now {
                Some(now) => {
                    let mut record = self.relation_record(RowAt::Current(key))?;
                    let mut back = false;
                    for (i, field) in ["subject", "object", "place"].iter().enumerate() {
                        if ends[i] == Some(a.key) && now[i].is_some_and(|k| stands_for.contains(&k))
                        {
                            record.insert((*field).into(), id.into());
                            back = true;
                        }
                    }
                    if !back {
                        continue;
                    }
                    record
                }
                // Retracted by the merge as a duplicate (and not changed since): it comes back.
                None if self.last_end(key)? == Some(merged_by) => {
                    self.relation_record(RowAt::Version { id: key, since })?
                }
                None => continue,
            };
            let resolved = self.resolve(record)?;
            if let Some(other) = self.live_duplicate(resolved.fingerprints(), Some(key))? {
                report.messages.push(format!(
                    "#{key} stays as it is: naming `{id}` again, it would say what #{other} says"
                ));
                continue;
            }
            self.keep(Table::Relation, key)?;
            self.write_relation(key, &resolved)?;
            report.ids.push(key);
            returned += 1;
        }
        report.messages.insert(
            1,
            format!("moved {} back to `{id}`", Table::Relation.counted(returned)),
        );
        Ok(report)
    }

    /// The change that ended the last version of relation `id`.
    fn last_end(&self, id: i64) -> Result<Option<i64>, StoreError> {
        self.db
            .query_row(
                "SELECT max(until_change) FROM relation_version WHERE id = ?1",
                &[&id],
                |r| r.get(0),
            )
            .map_err(db)
    }
}

#[cfg(test)]
mod tests {
    use crate::store::write::testing::*;

    #[test]
    fn merge_rewrites_relations_and_unmerge_gives_them_back() {
        let mut s = store_with(&format!(
            "{BASE}{}\n{}\n",
            r#"{"type":"relation","subject":"c","predicate":"visited","object":"b","when":"2025-04","source":"s1"}"#,
            r#"{"type":"relation","subject":"d","predicate":"met","object":"a","place":"c"}"#
        ));
        // #1 a visited b; #2 a met c; #3 c visited b (as #1 once c is a); #4 d met a at c.
        let r = write(&mut s, merge("c", "a")).unwrap();
        assert_eq!(
            r.messages,
            [
                "merged `c` into `a`",
                "moved 2 relations of `c` to `a`",
                "retracted #3: it says what #1 says once `c` is `a`"
            ]
        );
        let ends = "SELECT r.key || ':' || s.id || '-' || o.id || '@' || COALESCE(pl.id, '') FROM relation r \
                    JOIN entity s ON s.key = r.subject JOIN entity o ON o.key = r.object \
                    LEFT JOIN entity pl ON pl.key = r.place ORDER BY r.key";
        assert_eq!(rows(&s, ends), ["1:a-b@", "2:a-a@", "4:d-a@a"]);
        assert_eq!(
            rows(&s, "SELECT merged_into FROM entity WHERE id = 'c'"),
            ["1"]
        );
        // Merging again changes nothing; merging into a merged entity follows it.
        assert!(!write(&mut s, merge("c", "a")).unwrap().changed);
        let err = write(&mut s, merge("a", "c")).unwrap_err();
        assert!(
            err.to_string().contains("`c` is merged into `a` already"),
            "{err}"
        );
        let err = write(&mut s, merge("b", "b")).unwrap_err();
        assert!(err.to_string().contains("into itself"), "{err}");
        let err = write(&mut s, merge("c", "d")).unwrap_err();
        assert!(err.to_string().contains("unmerge c"), "{err}");
        // A relation recorded now names the entity c stands for.
        let r = write(
            &mut s,
            add(r#"{"type":"relation","subject":"c","predicate":"visited","object":"d"}"#),
        )
        .unwrap();
        assert_eq!(r.messages, ["added #5"]);
        assert_eq!(rows(&s, ends).last().unwrap(), "5:a-d@");

        let r = write(&mut s, unmerge("c")).unwrap();
        assert_eq!(
            r.messages,
            ["unmerged `c` from `a`", "moved 3 relations back to `c`"]
        );
        assert_eq!(
            rows(&s, ends),
            ["1:a-b@", "2:a-c@", "3:c-b@", "4:d-a@c", "5:a-d@"]
        );
        assert_eq!(
            rows(&s, "SELECT merged_into FROM entity WHERE id = 'c'"),
            ["∅"]
        );
        assert!(!write(&mut s, unmerge("c")).unwrap().changed);
    }

    #[test]
    fn merge_into_an_entity_merged_elsewhere_follows_it() {
        let mut s = store_with(BASE);
        write(&mut s, merge("b", "d")).unwrap();
        let r = write(&mut s, merge("c", "b")).unwrap();
        assert_eq!(r.messages[0], "merged `c` into `d`");
        let err = write(&mut s, merge("d", "c")).unwrap_err();
        assert!(
            err.to_string().contains("`c` is merged into `d` already"),
            "{err}"
        );
    }
}
