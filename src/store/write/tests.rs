//! The life of a change (opened, written, committed or rolled back), and the property
//! that holds history together: for any sequence of writes, what the
//! versions say the store held at change N (the current rows made by N or before, and the
//! versions made by N or before and ended after it) is exactly what the store held when
//! change N was committed. Also: ids are never reused, and every live relation's
//! fingerprint is the one the import's rules give its record, with no two live relations
//! the same.

use proptest::prelude::*;

use super::relation::RowAt;
use super::testing::*;
use super::Writer;

const ENTITIES: [&str; 4] = ["a", "b", "c", "d"];
const PREDICATES: [&str; 2] = ["visited", "met"];
const WHEN: [&str; 3] = ["2025-04", "2025", "early 2025-02"];
const NOTES: [&str; 2] = ["x", "y"];

/// A write with its choices as small numbers; which relation or change it names is
/// picked among those that exist when it runs.
#[derive(Debug, Clone)]
pub(super) enum Step {
    Add {
        s: usize,
        p: usize,
        o: usize,
        when: Option<usize>,
        note: Option<usize>,
    },
    Correct {
        pick: usize,
        field: usize,
        value: usize,
    },
    Retract {
        pick: usize,
    },
    Merge {
        from: usize,
        into: usize,
    },
    Unmerge {
        entity: usize,
    },
    Alias {
        entity: usize,
        name: usize,
        weak: bool,
    },
    Undo {
        pick: Option<usize>,
    },
}

pub(super) fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (0..4usize, 0..2usize, 0..4usize, proptest::option::of(0..3usize), proptest::option::of(0..2usize))
            .prop_map(|(s, p, o, when, note)| Step::Add { s, p, o, when, note }),
        2 => (any::<usize>(), 0..5usize, 0..4usize).prop_map(|(pick, field, value)| Step::Correct { pick, field, value }),
        2 => any::<usize>().prop_map(|pick| Step::Retract { pick }),
        1 => (0..4usize, 0..4usize).prop_map(|(from, into)| Step::Merge { from, into }),
        1 => (0..4usize).prop_map(|entity| Step::Unmerge { entity }),
        1 => (0..4usize, 0..3usize, any::<bool>()).prop_map(|(entity, name, weak)| Step::Alias { entity, name, weak }),
        2 => proptest::option::of(any::<usize>()).prop_map(|pick| Step::Undo { pick }),
    ]
}

/// The write a step stands for in store `s`.
pub(super) fn op(s: &Store, step: &Step) -> WriteOp {
    let live = rows(s, "SELECT key FROM relation ORDER BY key");
    let pick_live = |pick: usize| -> i64 {
        // A relation that is not live (or never was) now and then, too.
        if live.is_empty() || pick.is_multiple_of(7) {
            (pick % 9) as i64 + 1
        } else {
            live[pick % live.len()].parse().unwrap()
        }
    };
    match step {
        Step::Add {
            s: sub,
            p,
            o,
            when,
            note,
        } => {
            let mut record = json(r#"{"type":"relation"}"#);
            record.insert("subject".into(), ENTITIES[*sub].into());
            record.insert("predicate".into(), PREDICATES[*p].into());
            record.insert("object".into(), ENTITIES[*o].into());
            if let Some(w) = when {
                record.insert("when".into(), WHEN[*w].into());
            }
            if let Some(n) = note {
                record.insert("note".into(), NOTES[*n].into());
            }
            WriteOp::Add(record)
        }
        Step::Correct { pick, field, value } => {
            let fields = match field {
                0 => format!(r#"{{"note":"{}"}}"#, NOTES[value % 2]),
                1 => format!(r#"{{"when":"{}"}}"#, WHEN[value % 3]),
                2 => format!(r#"{{"from":"2024","to":"{}"}}"#, WHEN[value % 3]),
                3 => format!(r#"{{"object":"{}"}}"#, ENTITIES[*value]),
                _ => r#"{"status":"planned","note":null}"#.to_string(),
            };
            WriteOp::Correct {
                id: pick_live(*pick),
                fields: json(&fields),
            }
        }
        Step::Retract { pick } => WriteOp::Retract {
            ids: vec![pick_live(*pick)],
        },
        Step::Merge { from, into } => WriteOp::Merge {
            from: ENTITIES[*from].into(),
            into: ENTITIES[*into].into(),
        },
        Step::Unmerge { entity } => WriteOp::Unmerge {
            entity: ENTITIES[*entity].into(),
        },
        Step::Alias {
            entity,
            name,
            weak: false,
        } => WriteOp::Alias {
            entity: ENTITIES[*entity].into(),
            names: vec![format!("name {name}")],
        },
        Step::Alias {
            entity,
            name,
            weak: true,
        } => WriteOp::WeakAlias {
            entity: ENTITIES[*entity].into(),
            names: vec![format!("word {name}")],
        },
        Step::Undo { pick } => {
            let last = one(s, "SELECT max(id) FROM change");
            WriteOp::Undo {
                change: pick.map(|p| (p as i64) % last + 1),
            }
        }
    }
}

const RELATION_COLUMNS: &str = "subject, predicate, object, when_text, from_text, to_text, \
    at_text, start_lo, start_hi, end_lo, end_hi, status, place, source, quote, note, confidence";

/// The names and weak aliases of entity `e` as its versions keep them
/// (`versions::kept_names_json`), written by SQLite's JSON functions.
const NAMES_JSON: &str = "(SELECT json_group_array(json_array(text, lang, is_name, ord, weak)) \
    FROM (SELECT text, lang, is_name, ord, 0 AS weak FROM alias WHERE entity = e.key \
          UNION ALL SELECT text, NULL, 0, ord, 1 FROM weak_alias WHERE entity = e.key \
          ORDER BY 5, 4, 1))";

/// What the store holds now: relations, and entities with their names.
fn now(s: &Store) -> Vec<String> {
    let mut out = rows(
        s,
        &format!("SELECT key, {RELATION_COLUMNS} FROM relation ORDER BY key"),
    );
    out.extend(rows(
        s,
        &format!(
            "SELECT e.key, e.id, e.kind, e.name, e.note, e.merged_into, {NAMES_JSON} \
             FROM entity e ORDER BY e.key"
        ),
    ));
    out
}

/// What the versions say the store held at the end of change `n`.
fn as_recorded_at(s: &Store, n: i64) -> Vec<String> {
    let mut out = rows(
        s,
        &format!(
            "SELECT key, {RELATION_COLUMNS} FROM relation WHERE since_change <= {n} \
             UNION ALL SELECT id, {RELATION_COLUMNS} FROM relation_version \
                 WHERE since_change <= {n} AND {n} < until_change AND erased = 0 \
             ORDER BY 1"
        ),
    );
    out.extend(rows(
        s,
        &format!(
            "SELECT e.key, e.id, e.kind, e.name, e.note, e.merged_into, \
                    {NAMES_JSON} \
             FROM entity e WHERE since_change <= {n} \
             UNION ALL SELECT key, id, kind, name, note, merged_into, aliases FROM entity_version \
                 WHERE since_change <= {n} AND {n} < until_change \
             ORDER BY 1"
        ),
    ));
    out
}

/// Every live relation's fingerprint is the one its record gives, and no two live
/// relations are the same (either way round for a symmetric predicate).
fn fingerprints_hold(s: &Store) {
    let w = Writer {
        db: s.db(),
        change: 0,
    };
    let mut seen = std::collections::HashMap::new();
    for key in rows(s, "SELECT key FROM relation ORDER BY key") {
        let key: i64 = key.parse().unwrap();
        let [own, mirror] = w.stored_fingerprints(RowAt::Current(key)).unwrap();
        let stored: Vec<u8> = s
            .connection()
            .query_row(
                "SELECT fingerprint FROM relation WHERE key = ?1",
                [key],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(stored, own.to_vec(), "#{key}");
        for f in [own, mirror] {
            if let Some(other) = seen.insert(f, key) {
                assert_eq!(other, key, "#{key} is the same as #{other}");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn versions_give_back_every_state_the_store_was_in(steps in proptest::collection::vec(step(), 1..24)) {
        let mut s = store_with(BASE);
        let mut states = vec![(1, now(&s))];
        let ids = |s: &Store| -> std::collections::BTreeSet<i64> {
            rows(s, "SELECT key FROM relation UNION SELECT id FROM relation_version")
                .iter()
                .map(|k| k.parse().unwrap())
                .collect()
        };
        let mut known = ids(&s);
        for step in &steps {
            let op = op(&s, step);
            if let Ok(Some(change)) = super::testing::change(&mut s, &[op]) {
                prop_assert!(change > states.last().map_or(0, |(n, _)| *n));
                states.push((change, now(&s)));
            }
            fingerprints_hold(&s);
            // A new relation's id is above every id the store ever gave.
            let after = ids(&s);
            let highest = known.last().copied().unwrap_or(0);
            for id in after.difference(&known) {
                prop_assert!(*id > highest, "#{} reused (ids up to #{} were given)", id, highest);
            }
            prop_assert!(known.is_subset(&after), "an id left the store's history");
            known = after;
        }
        for (n, state) in &states {
            prop_assert_eq!(&as_recorded_at(&s, *n), state, "at change {}", n);
        }
    }
}

#[test]
fn a_change_is_opened_written_and_committed_once() {
    let mut s = store_with(BASE);
    let no_change = |e: StoreError| matches!(e, StoreError::ChangeState(_));
    assert!(no_change(s.write(&retract(&[1]), None).unwrap_err()));
    assert!(no_change(s.commit_change().unwrap_err()));
    assert!(!s.in_change());
    assert_eq!(begin(&mut s), 2);
    assert!(s.in_change() && s.open_change() == Some(2));
    assert!(no_change(
        s.begin_change(ChangeMeta::new("x", Origin::Repl))
            .unwrap_err()
    ));
    // A write that fails leaves the change as it was; the change goes on.
    s.write(&retract(&[1]), Some("wrong")).unwrap();
    assert!(s
        .write(&correct(2, r#"{"when":"2025-13"}"#), Some("no"))
        .is_err());
    s.write(&correct(2, r#"{"note":"kept"}"#), None).unwrap();
    assert_eq!(s.commit_change().unwrap(), Some(2));
    assert_eq!(
        rows(&s, "SELECT reason FROM change WHERE id = 2"),
        ["wrong"]
    );
    assert_eq!(rows(&s, "SELECT key, note FROM relation"), ["2|kept"]);
    // Nothing changed: no change is recorded. Rolled back: nothing is written.
    begin(&mut s);
    s.write(&retract(&[1]), None).unwrap();
    assert_eq!(s.commit_change().unwrap(), None);
    begin(&mut s);
    s.write(&retract(&[2]), None).unwrap();
    s.rollback_change().unwrap();
    assert_eq!(s.last_change().unwrap(), Some(2));
    assert_eq!(one(&s, "SELECT count(*) FROM relation"), 1);
}

#[test]
fn a_change_for_one_write_goes_whole_when_the_write_fails() {
    let mut s = store_with(BASE);
    let before = snapshot(&s);
    let single = |s: &mut Store| {
        s.begin_single_change(ChangeMeta::new("tester", Origin::Repl))
            .unwrap()
    };
    // A failed write closes its change: nothing of it is written, the number is free.
    assert_eq!(single(&mut s), 2);
    assert!(s
        .write(&correct(2, r#"{"when":"2025-13"}"#), Some("no"))
        .is_err());
    assert!(!s.in_change());
    assert_eq!(snapshot(&s), before);
    assert_eq!(s.last_change().unwrap(), Some(1));
    // A write that succeeds is committed as the change.
    assert_eq!(single(&mut s), 2);
    s.write(&correct(2, r#"{"note":"kept"}"#), Some("a note"))
        .unwrap();
    assert_eq!(s.commit_change().unwrap(), Some(2));
    assert_eq!(
        rows(&s, "SELECT key, note FROM relation WHERE key = 2"),
        ["2|kept"]
    );
}

/// The catalog says whether a version current at a moment touches given entities: what
/// lets a question about the past fixed at entities no correction touched read no
/// versions.
#[test]
fn versions_touch_the_entities_at_the_ends_of_the_relations_they_were() {
    use crate::plan::{Catalog, Recorded};
    let mut s = store_with(BASE);
    // #1 a visited b, retracted by change 2: a version current at change 1 only.
    write(&mut s, WriteOp::Retract { ids: vec![1] }).unwrap();
    let key = |id: &str| one(&s, &format!("SELECT key FROM entity WHERE id = '{id}'"));
    let (a, b, c, d) = (key("a"), key("b"), key("c"), key("d"));
    let catalog = s.catalog();
    let touch = |n: i64, ends: &[(i64, Option<i64>)]| {
        catalog.versions_touch(Recorded::AtChange(n), ends).unwrap()
    };
    assert!(touch(1, &[(a, None)]));
    assert!(
        touch(1, &[(d, None), (b, None)]),
        "the object's end counts too"
    );
    assert!(touch(1, &[(a, Some(b))]), "the pair as written");
    assert!(touch(1, &[(b, Some(a))]), "either way round");
    assert!(!touch(1, &[(a, Some(c))]), "a's version is with b");
    assert!(
        !touch(1, &[(c, None), (d, None)]),
        "a met c was never corrected"
    );
    assert!(
        !touch(2, &[(a, Some(b))]),
        "at change 2 the relation was retracted"
    );
}

/// The planner asks `versions_touch` before every question about the past fixed at
/// entities: each of its seeks reads index entries only (schema 13), not the row of every
/// version of a hub (q4 of the suite was 2× its present-time twin for that).
#[test]
fn versions_touch_reads_the_end_indexes_only() {
    use crate::store::catalog::{VERSIONS_TOUCH_ONE, VERSIONS_TOUCH_PAIR};
    let mut s = store_with(BASE);
    write(&mut s, WriteOp::Retract { ids: vec![1] }).unwrap();
    for sql in [VERSIONS_TOUCH_PAIR, VERSIONS_TOUCH_ONE] {
        let conn = s.connection();
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        // Entity 1, change 1, other end 2 (the single end's statement takes two).
        let bound = [1_i64, 1, 2].into_iter().take(stmt.parameter_count());
        let details: Vec<String> = stmt
            .query_map(rusqlite::params_from_iter(bound), |r| r.get(3))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let searches: Vec<&String> = details
            .iter()
            .filter(|d| d.contains("relation_version"))
            .collect();
        assert_eq!(searches.len(), 2, "{details:?}");
        for d in searches {
            assert!(
                d.contains("COVERING INDEX relation_version_ends"),
                "{sql}: {d}"
            );
        }
    }
}
