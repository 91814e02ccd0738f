//! History read back as rows: the language's `history #412` and `history ENTITY`. A version's
//! action is read from the versions themselves: the first is `added`, one that follows
//! another in the same change is `corrected` (or `merged`/`unmerged` when an end of it
//! changed because an entity was merged or unmerged then), a version that ends with no
//! successor was `retracted` (or `erased`, or `undone`), and any version an undo made is
//! `restored`.

use super::log::{err, result, Log};
use super::versions::{kept_names, KeptName, Table};
use crate::plan::{ColumnType, ENTITY_HISTORY_COLUMNS, RELATION_HISTORY_COLUMNS};
use crate::store::db::Db;
use crate::store::query::cell;
use crate::store::{Store, StoreError};
use crate::value::{ResultSet, Value};

/// How many columns of a relation's history rows come before its content (the
/// change, who, why, what, which id): the plan's [`RELATION_HISTORY_COLUMNS`] name them.
const LEAD_COLUMNS: usize = 7;

/// How many content columns there are.
const CONTENT_COLUMNS: usize = RELATION_HISTORY_COLUMNS.len() - LEAD_COLUMNS;

/// The content columns' names, in order.
fn content() -> impl Iterator<Item = &'static str> {
    RELATION_HISTORY_COLUMNS[LEAD_COLUMNS..].iter().copied()
}

/// How a content column is shown: the bounds `start` and `end` as dates.
fn content_type(column: &str) -> ColumnType {
    match column {
        "start" | "end" => ColumnType::Day,
        _ => ColumnType::Text,
    }
}

/// A column of the row with key `key` (SQL) of `table`, from the current row or else from
/// its latest version (a row an undo removed keeps its last names).
fn latest(table: Table, column: &str, key: &str) -> String {
    let (current, versions) = (table.current(), table.versions());
    format!(
        "COALESCE((SELECT {column} FROM {current} WHERE key = {key}), \
         (SELECT {column} FROM {versions} WHERE key = {key} ORDER BY since_change DESC LIMIT 1))"
    )
}

/// Every version of relation `?1`, oldest first, with its ends' keys and its content as
/// history shows it.
fn relation_versions_sql() -> String {
    debug_assert_eq!(content().count(), CONTENT_COLUMNS);
    let columns = "subject, predicate, object, when_text, from_text, to_text, at_text, \
                   start_lo, end_hi, status, place, source, quote, note, confidence";
    format!(
        "SELECT v.since_change, v.until_change, v.erased, v.subject, v.object, v.place, \
                {subject}, {predicate}, {object}, {when}, v.start_lo, v.end_hi, v.status, \
                {place}, {source}, v.quote, v.note, v.confidence \
         FROM (SELECT since_change, NULL AS until_change, 0 AS erased, {columns} \
                   FROM relation WHERE key = ?1 \
               UNION ALL SELECT since_change, until_change, erased, {columns} \
                   FROM relation_version WHERE id = ?1) v \
         ORDER BY v.since_change, v.until_change IS NULL, v.until_change",
        subject = latest(Table::Entity, "name", "v.subject"),
        predicate = latest(Table::Predicate, "id", "v.predicate"),
        object = latest(Table::Entity, "name", "v.object"),
        when = crate::model::time_as_written_sql("v"),
        place = latest(Table::Entity, "name", "v.place"),
        source = latest(Table::Source, "id", "v.source"),
    )
}

/// One version of a relation.
struct RelationVersion {
    since: i64,
    until: Option<i64>,
    erased: bool,
    /// The keys of its subject, object and place.
    ends: [Option<i64>; 3],
    /// Its content, in the order of [`content`].
    cells: Vec<Value>,
}

/// Something that happened to a relation: a version began (`content`) or the relation
/// left the current beliefs.
struct RelationEvent {
    change: i64,
    action: &'static str,
    /// The keys of the subject, object and place of the version, and of the version it
    /// replaced (an entity's history shows what stopped naming it, too).
    ends: [Option<i64>; 3],
    ends_before: [Option<i64>; 3],
    cells: Vec<Value>,
    content: bool,
}

/// Every version of relation `id`, oldest first.
fn relation_versions(db: &Db, id: i64) -> Result<Vec<RelationVersion>, StoreError> {
    db.query_map(&relation_versions_sql(), &[&id], |r| {
        let mut cells = Vec::with_capacity(CONTENT_COLUMNS);
        for (i, column) in content().enumerate() {
            cells.push(cell(r.cell(6 + i)?.value_ref(), content_type(column)));
        }
        Ok(RelationVersion {
            since: r.get(0)?,
            until: r.get(1)?,
            erased: r.get(2)?,
            ends: [r.get(3)?, r.get(4)?, r.get(5)?],
            cells,
        })
    })
    .map_err(err)
}

/// What happened to relation `id`, in order.
fn relation_events(log: &Log, id: i64) -> Result<Vec<RelationEvent>, StoreError> {
    let versions = relation_versions(log.db, id)?;
    let mut events = Vec::with_capacity(versions.len() + 1);
    let blank = || vec![Value::Null; CONTENT_COLUMNS];
    for (i, v) in versions.iter().enumerate() {
        if v.erased {
            for (change, action) in [(v.since, "added"), (v.until.unwrap_or(v.since), "erased")] {
                events.push(RelationEvent {
                    change,
                    action,
                    ends: [None; 3],
                    ends_before: [None; 3],
                    cells: blank(),
                    content: false,
                });
            }
            continue;
        }
        let previous = i
            .checked_sub(1)
            .map(|j| &versions[j])
            .filter(|p| p.until == Some(v.since) && !p.erased);
        let action = match previous {
            _ if log.is_undo(v.since)? => "restored",
            None => "added",
            Some(p) => merge_action(log.db, p, v)?,
        };
        events.push(RelationEvent {
            change: v.since,
            action,
            ends: v.ends,
            ends_before: previous.map_or([None; 3], |p| p.ends),
            cells: v.cells.clone(),
            content: true,
        });
        if let Some(until) = v.until {
            if versions.get(i + 1).is_none_or(|next| next.since != until) {
                events.push(RelationEvent {
                    change: until,
                    action: if log.is_undo(until)? {
                        "undone"
                    } else {
                        "retracted"
                    },
                    ends: v.ends,
                    ends_before: v.ends,
                    cells: v.cells.clone(),
                    content: false,
                });
            }
        }
    }
    Ok(events)
}

/// `merged` when an end of the relation moved from an entity merged in that change,
/// `unmerged` when it moved to one unmerged then, else `corrected`.
fn merge_action(
    db: &Db,
    before: &RelationVersion,
    after: &RelationVersion,
) -> Result<&'static str, StoreError> {
    let change = after.since;
    for (old, new) in before.ends.iter().zip(after.ends) {
        let (Some(old), Some(new)) = (*old, new) else {
            continue;
        };
        if old == new {
            continue;
        }
        let merged: bool = db
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM entity WHERE key = ?1 AND since_change = ?2 \
                                AND merged_into IS NOT NULL) \
                     OR EXISTS (SELECT 1 FROM entity_version WHERE key = ?1 AND since_change = ?2 \
                                AND merged_into IS NOT NULL)",
                &[&old, &change],
                |r| r.get(0),
            )
            .map_err(err)?;
        if merged {
            return Ok("merged");
        }
        let unmerged: bool = db
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM entity_version WHERE key = ?1 AND until_change = ?2 \
                                AND merged_into IS NOT NULL)",
                &[&new, &change],
                |r| r.get(0),
            )
            .map_err(err)?;
        if unmerged {
            return Ok("unmerged");
        }
    }
    Ok("corrected")
}

/// One version of an entity: its row and names.
struct EntityVersion {
    since: i64,
    until: Option<i64>,
    kind: String,
    name: String,
    merged_into: Option<i64>,
    aliases: Vec<String>,
    /// Its weak aliases; None for a version kept before weak aliases were versioned.
    weak: Option<Vec<String>>,
}

fn entity_versions(db: &Db, key: i64) -> Result<Vec<EntityVersion>, StoreError> {
    let current_aliases: Vec<String> = db
        .query_map(
            "SELECT text FROM alias WHERE entity = ?1 AND is_name = 0 ORDER BY ord, text",
            &[&key],
            |r| r.get(0),
        )
        .map_err(err)?;
    let current_weak: Vec<String> = db
        .query_map(
            "SELECT text FROM weak_alias WHERE entity = ?1 ORDER BY ord, text",
            &[&key],
            |r| r.get(0),
        )
        .map_err(err)?;
    let rows = db
        .query_map(
            "SELECT since_change, until_change, kind, name, merged_into, aliases FROM ( \
                 SELECT since_change, NULL AS until_change, kind, name, merged_into, \
                        NULL AS aliases, 1 AS current FROM entity WHERE key = ?1 \
                 UNION ALL SELECT since_change, until_change, kind, name, merged_into, aliases, 0 \
                        FROM entity_version WHERE key = ?1) AS versions \
             ORDER BY since_change, current, until_change",
            &[&key],
            |r| {
                Ok((
                    r.get::<i64>(0)?,
                    r.get::<Option<i64>>(1)?,
                    r.get::<String>(2)?,
                    r.get::<String>(3)?,
                    r.get::<Option<i64>>(4)?,
                    r.get::<Option<String>>(5)?,
                ))
            },
        )
        .map_err(err)?;
    let mut versions = Vec::new();
    for row in rows {
        let (since, until, kind, name, merged_into, kept) = row;
        let (aliases, weak) = match until {
            None => (current_aliases.clone(), Some(current_weak.clone())),
            Some(_) => {
                let (names, keeps_weak) = kept_names(key, kept.as_deref())?;
                let (weak, strong): (Vec<KeptName>, Vec<KeptName>) =
                    names.into_iter().partition(KeptName::is_weak);
                let texts = |names: Vec<KeptName>| names.into_iter().map(|n| n.0).collect();
                let aliases = texts(strong.into_iter().filter(|n| n.2 == 0).collect());
                (aliases, keeps_weak.then(|| texts(weak)))
            }
        };
        versions.push(EntityVersion {
            since,
            until,
            kind,
            name,
            merged_into,
            aliases,
            weak,
        });
    }
    Ok(versions)
}

/// What happened to an entity's own row, in order: (change, action, detail).
fn entity_events(
    db: &Db,
    log: &Log,
    key: i64,
) -> Result<Vec<(i64, &'static str, String)>, StoreError> {
    let id_of = |key: i64| -> Result<String, StoreError> {
        db.query_row(
            &format!("SELECT {}", latest(Table::Entity, "id", "?1")),
            &[&key],
            |r| r.get::<Option<String>>(0),
        )
        .map(Option::unwrap_or_default)
        .map_err(err)
    };
    let versions = entity_versions(db, key)?;
    let quoted = |names: &[&String]| {
        names
            .iter()
            .map(|n| format!("\"{n}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut events = Vec::new();
    for (i, v) in versions.iter().enumerate() {
        let previous = i
            .checked_sub(1)
            .map(|j| &versions[j])
            .filter(|p| p.until == Some(v.since));
        let mut found = Vec::new();
        match previous {
            None => {
                let action = if log.is_undo(v.since)? {
                    "restored"
                } else {
                    "added"
                };
                let mut aka = if v.aliases.is_empty() {
                    String::new()
                } else {
                    format!(" aka {}", quoted(&v.aliases.iter().collect::<Vec<_>>()))
                };
                if let Some(weak) = v.weak.as_ref().filter(|w| !w.is_empty()) {
                    aka += &format!(" weak {}", quoted(&weak.iter().collect::<Vec<_>>()));
                }
                found.push((action, format!("{} \"{}\"{aka}", v.kind, v.name)));
            }
            Some(p) => {
                match (p.merged_into, v.merged_into) {
                    (None, Some(m)) => found.push(("merged", format!("into `{}`", id_of(m)?))),
                    (Some(m), None) => found.push(("unmerged", format!("from `{}`", id_of(m)?))),
                    _ => {}
                }
                if p.name != v.name {
                    found.push(("renamed", format!("from \"{}\" to \"{}\"", p.name, v.name)));
                }
                // A display name that became an alias, or the reverse, is the rename.
                for (action, from, to) in [("alias", p, v), ("unalias", v, p)] {
                    let names: Vec<&String> = to
                        .aliases
                        .iter()
                        .filter(|a| !from.aliases.contains(a) && **a != from.name)
                        .collect();
                    if !names.is_empty() {
                        found.push((action, quoted(&names)));
                    }
                    // Weak aliases as `alias ENTITY "w" weak` writes them, where both
                    // versions keep them.
                    if let (Some(to), Some(from)) = (&to.weak, &from.weak) {
                        let weak: Vec<&String> = to.iter().filter(|w| !from.contains(w)).collect();
                        if !weak.is_empty() {
                            found.push((action, format!("{} weak", quoted(&weak))));
                        }
                    }
                }
                if log.is_undo(v.since)? {
                    let detail = found
                        .iter()
                        .map(|(a, d)| format!("{a} {d}"))
                        .collect::<Vec<_>>()
                        .join("; ");
                    found = vec![("restored", detail)];
                }
            }
        }
        events.extend(
            found
                .into_iter()
                .map(|(action, detail)| (v.since, action, detail)),
        );
        if let Some(until) = v.until {
            if versions.get(i + 1).is_none_or(|next| next.since != until) {
                events.push((
                    until,
                    "removed",
                    format!(
                        "by an undo of change {}",
                        log.get(until)?.undoes.unwrap_or_default()
                    ),
                ));
            }
        }
    }
    Ok(events)
}

impl Store {
    /// `history #id`: every version of a relation, oldest first, with the change that
    /// made it, and a row for each time it left the current beliefs.
    pub fn relation_history(&self, id: i64) -> Result<ResultSet, StoreError> {
        let log = Log::new(self.db());
        let events = relation_events(&log, id)?;
        if events.is_empty() {
            return Err(StoreError::NoSuchRelation { id });
        }
        let mut rows = Vec::with_capacity(events.len());
        for event in events {
            let mut row = log.cells(event.change, true)?;
            row.push(Value::Text(event.action.to_string()));
            row.push(Value::Handle(id));
            if event.content {
                row.extend(event.cells);
            } else {
                row.extend(std::iter::repeat_n(Value::Null, CONTENT_COLUMNS));
            }
            rows.push(row);
        }
        Ok(result(RELATION_HISTORY_COLUMNS, rows))
    }

    /// `history ENTITY`: the entity's own versions (added, names, merges) and what
    /// happened to the relations that named it, in the order of the changes.
    pub fn entity_history(&self, entity_id: &str) -> Result<ResultSet, StoreError> {
        let db = self.db();
        let key: Option<i64> = db
            .query_row(
                "SELECT COALESCE((SELECT key FROM entity WHERE id = ?1), \
                                 (SELECT max(key) FROM entity_version WHERE id = ?1))",
                &[&entity_id],
                |r| r.get(0),
            )
            .map_err(err)?;
        let Some(key) = key else {
            return Err(StoreError::UnknownId {
                what: "entity",
                id: entity_id.to_string(),
            });
        };
        let log = Log::new(db);
        // (change, order within the change, relation id, action, detail)
        let mut found: Vec<(i64, u8, Option<i64>, &'static str, String)> =
            entity_events(db, &log, key)?
                .into_iter()
                .map(|(change, action, detail)| (change, 0, None, action, detail))
                .collect();
        // Entities merged into this one.
        let others: Vec<(i64, String)> = db
            .query_map(
                "SELECT key, id FROM entity WHERE merged_into = ?1 \
                 UNION SELECT key, id FROM entity_version WHERE merged_into = ?1 ORDER BY 1, 2",
                &[&key],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(err)?;
        for (other, other_id) in others {
            let this = format!("`{entity_id}`");
            for (change, action, detail) in entity_events(db, &log, other)? {
                // An undo's event says what it restored: `merged into `b``, ….
                let restored = |what: &str| detail.contains(&format!("{what} {this}"));
                let verb = match action {
                    "merged" if detail.ends_with(&this) => "merged into it",
                    "unmerged" if detail.ends_with(&this) => "unmerged from it",
                    "restored" if restored("unmerged from") => "unmerged from it again (an undo)",
                    "restored" if restored("merged into") => "merged into it again (an undo)",
                    _ => continue,
                };
                found.push((change, 1, None, action, format!("`{other_id}` {verb}")));
            }
        }
        let ids: Vec<i64> = db
            .query_map("SELECT key FROM relation WHERE subject = ?1 UNION SELECT key FROM relation WHERE object = ?1 \
                 UNION SELECT key FROM relation WHERE place = ?1 \
                 UNION SELECT id FROM relation_version WHERE subject = ?1 OR object = ?1 OR place = ?1 \
                 ORDER BY 1", &[&key], |r| r.get(0))
            .map_err(err)?;
        for id in ids {
            for event in relation_events(&log, id)? {
                if !event.ends.contains(&Some(key)) && !event.ends_before.contains(&Some(key)) {
                    continue;
                }
                let text = |i: usize| event.cells[i].as_text().map(|t| t.into_owned());
                let detail = [text(0), text(1), text(2), text(3)]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ");
                found.push((event.change, 2, Some(id), event.action, detail));
            }
        }
        found.sort_by_key(|&(change, order, id, ..)| (change, order, id));
        let mut rows = Vec::with_capacity(found.len());
        for (change, _, id, action, detail) in found {
            let mut row = log.cells(change, false)?;
            row.push(Value::Text(action.to_string()));
            row.push(id.map_or(Value::Null, Value::Handle));
            row.push(Value::Text(detail));
            rows.push(row);
        }
        Ok(result(ENTITY_HISTORY_COLUMNS, rows))
    }
}

#[cfg(test)]
mod tests {
    use crate::store::write::testing::*;

    #[test]
    fn a_relation_history_has_every_version() {
        let s = store_with_history();
        let h = s.relation_history(1).unwrap();
        assert_eq!(
            h.columns.join(" "),
            "change recorded recorded_by origin reason action id subject predicate object when \
             start end status place source quote note confidence"
        );
        assert_eq!(column(&h, "change"), ["1", "2", "3", "4", "5", "6"]);
        assert_eq!(
            column(&h, "action"),
            [
                "added",
                "corrected",
                "merged",
                "retracted",
                "restored",
                "unmerged"
            ]
        );
        assert_eq!(
            column(&h, "object"),
            ["Beta", "Beta", "Delta", "", "Delta", "Beta"]
        );
        assert_eq!(column(&h, "note"), ["", "n", "n", "", "n", "n"]);
        assert_eq!(column(&h, "when")[0], "2025-04");
        assert_eq!(
            (
                column(&h, "start")[0].as_str(),
                column(&h, "end")[0].as_str()
            ),
            ("2025-04-01", "2025-04-30")
        );
        assert_eq!(
            column(&h, "recorded_by"),
            ["importer", "tester", "tester", "tester", "tester", "tester"]
        );
        assert_eq!(column(&h, "reason")[1], "testing");
        assert_eq!(column(&h, "source")[0], "s1");

        let erased = s.relation_history(2).unwrap();
        assert_eq!(column(&erased, "action"), ["added", "erased"]);
        assert_eq!(column(&erased, "change"), ["1", "7"]);
        assert!(column(&erased, "subject").iter().all(String::is_empty));
        let err = s.relation_history(999).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("no relation #999 has ever been recorded"),
            "{err}"
        );
    }

    #[test]
    fn an_entity_history_has_its_names_merges_and_relations() {
        let mut s = store_with_history();
        write(&mut s, rename("b", "Bakı")).unwrap();
        write(&mut s, alias("b", &["Baku"])).unwrap();
        let h = s.entity_history("b").unwrap();
        assert_eq!(
            h.columns.join(" "),
            "change recorded recorded_by reason action id detail"
        );
        let lines: Vec<String> = (0..h.rows.len())
            .map(|i| {
                ["change", "action", "id", "detail"]
                    .iter()
                    .map(|c| column(&h, c)[i].clone())
                    .collect::<Vec<_>>()
                    .join(" | ")
            })
            .collect();
        assert_eq!(
            lines,
            [
                "1 | added |  | city \"Beta\"",
                "1 | added | #1 | Alpha visited Bakı 2025-04",
                "2 | corrected | #1 | Alpha visited Bakı 2025-04",
                "3 | merged |  | into `d`",
                "3 | merged | #1 | Alpha visited Delta 2025-04",
                "6 | unmerged |  | from `d`",
                "6 | unmerged | #1 | Alpha visited Bakı 2025-04",
                "8 | renamed |  | from \"Beta\" to \"Bakı\"",
                "9 | alias |  | \"Baku\"",
            ]
        );
        let d = s.entity_history("d").unwrap();
        assert_eq!(
            column(&d, "detail")[1..3],
            [
                "`b` merged into it".to_string(),
                "Alpha visited Delta 2025-04".to_string()
            ]
        );
        assert!(matches!(
            s.entity_history("zz"),
            Err(StoreError::UnknownId { .. })
        ));
    }
}
