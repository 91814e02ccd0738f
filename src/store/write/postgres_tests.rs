//! The write engine on PostgreSQL: WRITES.md's scenarios give the same reports, errors,
//! change log, history and tables as on SQLite ([`both`]); two writers at once lose
//! nothing and number their changes densely; a stale write from another connection is
//! refused with who and when. Without a test server these print that they were skipped.

use super::testing::*;
use crate::store::pg_server;
use crate::store::{Mode, Target};

/// BASE, a source whose relation counts a relative date from it, and a quoted relation.
const DATA: &str = r#"{"type":"source","id":"art","title":"Article","published":"2025-04-28","lang":"ar"}
{"type":"relation","subject":"b","predicate":"visited","object":"d","when":"last November","source":"art"}
{"type":"relation","subject":"c","predicate":"visited","object":"d","quote":"Gamma arrived in Türkiye","note":"Seen by ALL"}
"#;

/// `text` with every instant of the change log (`2025-05-01T09:30:00.000000Z`) replaced
/// by `<instant>`, but the import's fixed one.
fn without_instants(text: &str) -> String {
    const SHAPE: &[u8] = b"dddd-dd-ddTdd:dd:dd.ddddddZ";
    let fits = |w: &[u8]| {
        w.iter().zip(SHAPE).all(|(c, s)| match s {
            b'd' => c.is_ascii_digit(),
            s => c == s,
        })
    };
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        let window = bytes.get(i..i + SHAPE.len());
        if let Some(w) = window.filter(|w| fits(w) && !w.starts_with(b"2025-01-01T")) {
            let _ = w;
            out.push_str("<instant>");
            i += SHAPE.len();
        } else {
            // Instants are ASCII: copy the next character whole.
            let c = text[i..].chars().next().unwrap_or_default();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// A result's lines: its columns, then each row's cells, `|`-separated.
fn lines(result: &crate::value::ResultSet) -> Vec<String> {
    let mut out = vec![result.columns.join("|")];
    out.extend(
        result
            .rows
            .iter()
            .map(|r| r.cells.iter().map(cell).collect::<Vec<_>>().join("|")),
    );
    out
}

/// One write's report or refusal, as a line.
fn outcome(result: Result<WriteReport, StoreError>) -> String {
    match result {
        Ok(r) => format!("{} {:?} {:?}", r.changed, r.messages, r.ids),
        Err(e) => format!("error (exit {}): {e}", e.exit_code()),
    }
}

/// WRITES.md's writes one after the other, and everything the store says of them.
fn writes_scenario(engine: Engine) -> Vec<String> {
    let mut s = store_added(engine, &format!("{BASE}{DATA}"));
    let ops = [
        add(r#"{"type":"relation","subject":"c","predicate":"met","object":"a"}"#),
        add(
            r#"{"type":"relation","subject":"a","predicate":"praised","object":"b","note":"Şişli"}"#,
        ),
        add(
            r#"{"type":"relation","subject":"a","predicate":"visited","object":"b","when":"2025-02-30"}"#,
        ),
        add(r#"{"type":"relation","subject":"a","predicate":"visited","object":"zz"}"#),
        correct(1, r#"{"note":"n"}"#),
        correct(1, r#"{"note":"n"}"#),
        correct(
            4,
            r#"{"subject":"a","object":"b","when":"2025-04","source":"s1","note":"n","quote":null}"#,
        ),
        correct(4, r#"{"quote":"Gamma left Türkiye","note":null}"#),
        alias("a", &["ألفا", "Al"]),
        unalias("a", &["Al"]),
        unalias("a", &["Alpha"]),
        rename("b", "Bakı"),
        WriteOp::WeakAlias {
            entity: "c".into(),
            names: vec!["the".into()],
        },
        merge("b", "d"),
        merge("b", "d"),
        merge("d", "b"),
        retract(&[1]),
        retract(&[1]),
        undo(None),
        unmerge("b"),
        WriteOp::CorrectSource {
            id: "art".into(),
            fields: json(r#"{"published":"2026-01-15"}"#),
        },
        WriteOp::CorrectSource {
            id: "art".into(),
            fields: json(r#"{"published":"2026"}"#),
        },
        WriteOp::Erase { id: 2 },
        correct(2, r#"{"note":"x"}"#),
        add(r#"{"type":"entity","id":"e","kind":"person","name":"Epsilon","aliases":["Eps"]}"#),
        add(r#"{"type":"relation","subject":"e","predicate":"met","object":"d"}"#),
        undo(Some(15)),
        undo(Some(3)),
        undo(Some(99)),
        add(r#"{"type":"predicate","id":"hosted","symmetric":true}"#),
        add(r#"{"type":"predicate","id":"praised","label":"praised"}"#),
        add(r#"{"type":"source","id":"s2","title":"Two","published":"2025"}"#),
        undo(None),
        undo(None),
        add(r#"{"type":"source","id":"s2","title":"Other"}"#),
    ];
    let mut out: Vec<String> = ops
        .into_iter()
        .map(|op| outcome(write(&mut s, op)))
        .collect();
    // A change of several statements, with its statements and reasons.
    s.begin_change(ChangeMeta::new("bob", Origin::Script("fix.fs".into())))
        .unwrap();
    s.record_statement("retract #3").unwrap();
    s.write(&retract(&[3]), Some("wrong")).unwrap();
    // A write that fails leaves the change as it was, and the change goes on.
    out.push(outcome(s.write(&correct(2, r#"{"note":"x"}"#), Some("no"))));
    out.push(outcome(
        s.write(&correct(4, r#"{"when":"2025-13"}"#), Some("no")),
    ));
    s.record_statement("add c met d").unwrap();
    s.write(
        &add(r#"{"type":"relation","subject":"c","predicate":"met","object":"d"}"#),
        Some("seen"),
    )
    .unwrap();
    out.push(format!("{:?}", s.commit_change()));
    out.extend(lines(&s.changes(None, None).unwrap()));
    out.extend(lines(&s.changes(Some("2025-01-02T"), Some("bob")).unwrap()));
    for id in [1, 2, 3, 4, 5] {
        out.extend(lines(&s.relation_history(id).unwrap()));
    }
    for id in ["a", "b", "d", "e"] {
        out.extend(lines(&s.entity_history(id).unwrap()));
    }
    out.push(outcome(
        s.relation_history(99).map(|_| WriteReport::default()),
    ));
    out.push(format!("{:?}", s.last_change()));
    out.extend(snapshot(&s));
    out.extend(rows(
        &s,
        "SELECT entity, text, norm, ord, added_by FROM weak_alias ORDER BY entity, text",
    ));
    for table in ["relation", "entity", "predicate", "source"] {
        out.extend(rows(
            &s,
            &format!("SELECT * FROM {table}_version ORDER BY 1, 2"),
        ));
    }
    out.iter().map(|l| without_instants(l)).collect()
}

#[test]
fn the_writes_give_the_same_answers_on_both_engines() {
    let out = writes_scenario(Engine::Sqlite);
    // The scenario is what WRITES.md says (a few checks; the rest is the comparison).
    assert_eq!(out[0], r#"false ["already recorded as #2"] [2]"#);
    assert!(out[6].contains("would duplicate #1"), "{}", out[6]);
    assert!(
        out[23].contains("cannot be corrected: it was erased by tester at <instant>"),
        "{}",
        out[23]
    );
    assert!(
        out[26].contains(
            "it added entity `e`, which #6 (change 16 by tester at <instant>) still names"
        ),
        "{}",
        out[26]
    );
    assert!(
        out[27].contains("change 9 by tester at <instant> changed #1 since"),
        "{}",
        out[27]
    );
    both(writes_scenario);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig {
        cases: 8,
        ..proptest::prelude::ProptestConfig::default()
    })]

    /// Any sequence of writes (the history property's) gives the same reports and the
    /// same tables on both engines, step by step.
    #[test]
    fn any_writes_give_the_same_store_on_both_engines(
        steps in proptest::collection::vec(super::tests::step(), 1..16)
    ) {
        let Some(server) = pg_server::server() else {
            return Ok(());
        };
        let mut sqlite = store_added(Engine::Sqlite, BASE);
        let mut postgres = store_added(Engine::Postgres(server), BASE);
        let tables = |s: &Store| {
            let mut out = snapshot(s);
            for table in ["relation", "entity", "predicate", "source"] {
                out.extend(rows(s, &format!("SELECT * FROM {table}_version ORDER BY 1, 2")));
            }
            out
        };
        for step in &steps {
            let op = super::tests::op(&sqlite, step);
            let a = without_instants(&outcome(write(&mut sqlite, op.clone())));
            let b = without_instants(&outcome(write(&mut postgres, op.clone())));
            proptest::prop_assert_eq!(a, b, "{:?}", op);
            proptest::prop_assert_eq!(tables(&sqlite), tables(&postgres), "{:?}", op);
        }
        let changes = |s: &Store| {
            lines(&s.changes(None, None).unwrap())
                .iter()
                .map(|l| without_instants(l))
                .collect::<Vec<_>>()
        };
        proptest::prop_assert_eq!(changes(&sqlite), changes(&postgres));
    }
}

/// Weak aliases added, the change undone, the undo undone, the change undone again: the
/// entity's versions keep its weak aliases as they keep its names, so each state comes
/// back, and its history says what changed.
fn weak_alias_scenario(engine: Engine) -> Vec<String> {
    let mut s = store_added(engine, BASE);
    let mut out = Vec::new();
    for op in [
        WriteOp::WeakAlias {
            entity: "c".into(),
            names: vec!["the".into(), "of".into()],
        },
        undo(None),
        undo(Some(3)),
        undo(Some(2)),
    ] {
        out.push(outcome(write(&mut s, op)));
        out.push(rows(&s, "SELECT text FROM weak_alias ORDER BY text").join(","));
    }
    out.extend(lines(&s.entity_history("c").unwrap()));
    out.extend(rows(
        &s,
        "SELECT key, since_change, until_change, aliases FROM entity_version \
         WHERE key = (SELECT key FROM entity WHERE id = 'c') ORDER BY 1, 2",
    ));
    out.iter().map(|l| without_instants(l)).collect()
}

#[test]
fn weak_aliases_come_back_with_undo_of_an_undo_on_both_engines() {
    let out = weak_alias_scenario(Engine::Sqlite);
    let weak: Vec<&str> = out
        .iter()
        .skip(1)
        .step_by(2)
        .take(4)
        .map(|l| l.as_str())
        .collect();
    assert_eq!(weak, ["of,the", "", "of,the", ""]);
    assert!(
        out.iter()
            .any(|l| l.ends_with(r#"|alias||"the", "of" weak"#)),
        "{out:#?}"
    );
    assert!(
        out.iter()
            .any(|l| l.contains(r#"["Gamma",null,1,0,0],["the",null,0,1,1]"#)),
        "{out:#?}"
    );
    both(weak_alias_scenario);
}

#[test]
fn the_text_index_follows_every_write_on_postgres() {
    let Some(server) = pg_server::server() else {
        return;
    };
    let mut s = store_added(Engine::Postgres(server), &format!("{BASE}{DATA}"));
    let index = "SELECT key, quote, note FROM relation_text ORDER BY key";
    let folded = |s: &Store| {
        rows(s, "SELECT key, quote, note FROM relation WHERE quote IS NOT NULL OR note IS NOT NULL ORDER BY key")
            .into_iter()
            .map(|line| {
                let mut cells = line.split('|');
                let key = cells.next().unwrap_or_default().to_string();
                let fold = |c: Option<&str>| match c {
                    Some("∅") | None => "∅".to_string(),
                    Some(t) => crate::names::normalise(t),
                };
                format!("{key}|{}|{}", fold(cells.next()), fold(cells.next()))
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(rows(&s, index), ["4|gamma arrived in turkiye|seen by all"]);
    for op in [
        correct(4, r#"{"quote":null}"#),
        correct(1, r#"{"note":"Noté"}"#),
        retract(&[4]),
        undo(None),
        WriteOp::Erase { id: 1 },
        add(
            r#"{"type":"relation","subject":"a","predicate":"met","object":"d","quote":"İstanbul"}"#,
        ),
    ] {
        write(&mut s, op).unwrap();
        assert_eq!(rows(&s, index), folded(&s));
    }
    assert_eq!(rows(&s, index).len(), 2);
}

/// A store on the test server in schema `schema`, opened as another process would.
fn open(server: &pg_server::Server, schema: &str, mode: Mode) -> Store {
    Store::open_target(
        &Target::Postgres {
            conninfo: server.conninfo().to_string(),
            schema: schema.to_string(),
        },
        mode,
    )
    .unwrap()
}

#[test]
fn two_writers_at_once_lose_nothing_and_number_changes_densely() {
    let Some(server) = pg_server::server() else {
        return;
    };
    const N: usize = 20;
    let schema = server.fresh_schema();
    let mut first = open(server, &schema, Mode::Create);
    change(
        &mut first,
        &[
            add(r#"{"type":"entity","id":"x","kind":"person","name":"X"}"#),
            add(r#"{"type":"entity","id":"y","kind":"person","name":"Y"}"#),
        ],
    )
    .unwrap();
    let writers: Vec<_> = (0..2)
        .map(|writer| {
            let schema = schema.clone();
            std::thread::spawn(move || {
                let mut s = open(server, &schema, Mode::ReadWrite);
                let mut ids = Vec::new();
                for i in 0..N {
                    s.begin_change(ChangeMeta::new(format!("w{writer}"), Origin::Repl))
                        .unwrap();
                    let record = format!(
                        r#"{{"type":"relation","subject":"x","predicate":"met","object":"y","note":"writer {writer}, {i}"}}"#
                    );
                    let report = s.write(&add(&record), None).unwrap();
                    ids.extend(report.ids);
                    s.commit_change().unwrap();
                }
                ids
            })
        })
        .collect();
    let mut ids: Vec<i64> = writers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 2 * N, "every relation its own id");
    let total = 2 * N as i64 + 1;
    assert_eq!(
        rows(
            &first,
            "SELECT count(*), min(id), max(id), count(DISTINCT recorded) FROM change"
        ),
        [format!("{total}|1|{total}|{total}")]
    );
    assert_eq!(one(&first, "SELECT count(*) FROM relation"), 2 * N as i64);
    assert_eq!(
        one(&first, "SELECT count(DISTINCT since_change) FROM relation"),
        2 * N as i64
    );
    assert_eq!(
        one(&first, "SELECT count(*) FROM relation_text"),
        2 * N as i64
    );
    // Changes are numbered in the order they were recorded.
    assert_eq!(
        one(
            &first,
            "SELECT count(*) FROM change a JOIN change b ON b.id = a.id + 1 \
             WHERE b.recorded < a.recorded"
        ),
        0
    );
    // A writer that leaves the key out (another tool) does not take a key the store gave.
    first
        .db()
        .execute_batch("INSERT INTO predicate (id) VALUES ('other')")
        .unwrap();
    assert_eq!(
        one(&first, "SELECT key FROM predicate WHERE id = 'other'"),
        2
    );
}

#[test]
fn a_writer_waits_for_another_then_is_told_the_store_is_held() {
    let Some(server) = pg_server::server() else {
        return;
    };
    let schema = server.fresh_schema();
    let mut first = open(server, &schema, Mode::Create);
    let mut second = open(server, &schema, Mode::ReadWrite);
    begin(&mut first);
    let started = std::time::Instant::now();
    let err = second
        .begin_change(ChangeMeta::new("bob", Origin::Repl))
        .unwrap_err();
    assert!(started.elapsed() >= std::time::Duration::from_secs(4));
    assert!(
        err.to_string()
            .contains("another writer has held the store"),
        "{err}"
    );
    assert!(!second.in_change());
    first.rollback_change().unwrap();
    // The second's connection is usable again, and its change gets the first number.
    assert_eq!(begin(&mut second), 1);
    second.rollback_change().unwrap();
}

#[test]
fn a_stale_correct_from_another_connection_is_refused_on_postgres() {
    let Some(server) = pg_server::server() else {
        return;
    };
    let schema = server.fresh_schema();
    let mut first = open(server, &schema, Mode::Create);
    let ops: Vec<WriteOp> = BASE.lines().map(add).collect();
    change(&mut first, &ops).unwrap();
    let mut second = open(server, &schema, Mode::ReadWrite);
    a_stale_correct_is_refused(&mut first, &mut second);
}

#[test]
fn a_read_only_store_refuses_a_change_and_stays_usable() {
    let Some(server) = pg_server::server() else {
        return;
    };
    let schema = server.fresh_schema();
    let mut writer = open(server, &schema, Mode::Create);
    let ops: Vec<WriteOp> = BASE.lines().map(add).collect();
    change(&mut writer, &ops).unwrap();
    let mut reader = open(server, &schema, Mode::ReadOnly);
    let err = reader
        .begin_change(ChangeMeta::new("bob", Origin::Repl))
        .unwrap_err();
    assert!(err.to_string().contains("read-only"), "{err}");
    assert!(!reader.in_change());
    assert_eq!(one(&reader, "SELECT count(*) FROM change"), 1);
    assert_eq!(lines(&reader.changes(None, None).unwrap()).len(), 2);
}
