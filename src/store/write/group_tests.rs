//! Groups of changes (`Store::begin_group`): the changes of a group are the changes the
//! same writes make one by one (numbers, rows, versions, reasons), a write that fails or
//! changes nothing leaves the group as it was, and nothing of a group is seen by another
//! connection, or kept, before the group is committed.

use proptest::prelude::*;

use super::testing::*;
use super::tests::{op, step};

/// Applies `op` as a change of its own, as `factstore` does for a statement outside a
/// block: in the open group, if any.
fn single(s: &mut Store, op: &WriteOp) -> Result<Option<i64>, StoreError> {
    s.begin_single_change(ChangeMeta::new("tester", Origin::Repl))?;
    s.write(op, Some("testing"))?;
    s.commit_change()
}

/// A write's outcome, the instants its message names left out (changes made one by one
/// and in a group are recorded at other instants).
fn outcome(result: Result<Option<i64>, StoreError>) -> Result<Option<i64>, String> {
    result.map_err(|e| {
        let text = e.to_string();
        let mut out = String::new();
        let mut rest = text.as_str();
        // An instant: `YYYY-MM-DDT…Z`.
        while let Some(at) = rest.find('T') {
            let before = &rest[..at];
            let date = before.len() >= 10 && before.is_char_boundary(before.len() - 10) && {
                let d = &before[before.len() - 10..];
                d.as_bytes()[4] == b'-'
                    && d.as_bytes()[7] == b'-'
                    && d[..4].bytes().all(|b| b.is_ascii_digit())
            };
            match rest[at..].find('Z') {
                Some(z) if date => {
                    out.push_str(&before[..before.len() - 10]);
                    out.push_str("INSTANT");
                    rest = &rest[at + z + 1..];
                }
                _ => {
                    out.push_str(&rest[..=at]);
                    rest = &rest[at + 1..];
                }
            }
        }
        out.push_str(rest);
        out
    })
}

/// Everything the changes wrote, but the instants they were recorded at.
fn written(s: &Store) -> Vec<String> {
    let mut out = snapshot(s);
    out.extend(rows(
        s,
        "SELECT id, author, origin, reason, statement, undoes FROM change ORDER BY id",
    ));
    out.extend(rows(
        s,
        "SELECT id, subject, predicate, object, when_text, status, note, since_change, \
         until_change, erased FROM relation_version ORDER BY id, since_change",
    ));
    out.extend(rows(
        s,
        "SELECT key, since_change FROM relation ORDER BY key",
    ));
    out.extend(rows(
        s,
        "SELECT predicate, status, n FROM predicate_count WHERE n > 0 ORDER BY 1, 2",
    ));
    out.extend(rows(
        s,
        "SELECT source, n FROM source_count WHERE n > 0 ORDER BY 1",
    ));
    // The text index: which relations each note's word finds.
    for word in ["x", "y"] {
        let sql = format!(
            "SELECT rowid FROM relation_text WHERE relation_text MATCH '{word}' ORDER BY rowid"
        );
        out.extend(rows(s, &sql).into_iter().map(|r| format!("{word}: {r}")));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn a_group_records_what_the_same_writes_record_one_by_one(
        steps in proptest::collection::vec((step(), any::<bool>()), 1..24)
    ) {
        let mut alone = store_with(BASE);
        let mut grouped = store_with(BASE);
        grouped.begin_group().unwrap();
        for (step, commit_here) in &steps {
            let op = op(&alone, step);
            let a = outcome(single(&mut alone, &op));
            let g = outcome(single(&mut grouped, &op));
            prop_assert_eq!(&a, &g, "{:?}", step);
            prop_assert!(!grouped.in_change());
            if *commit_here {
                grouped.end_group().unwrap();
                grouped.begin_group().unwrap();
            }
        }
        grouped.end_group().unwrap();
        prop_assert_eq!(written(&alone), written(&grouped));
    }
}

#[test]
fn a_group_is_seen_and_kept_only_once_committed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.db");
    let mut s = Store::open(&path, crate::store::Mode::Create).unwrap();
    s.import(
        BASE.as_bytes(),
        ImportFormat::JsonLines,
        "base.jsonl",
        ImportOptions::default(),
    )
    .unwrap();
    let reader = Store::open(&path, crate::store::Mode::ReadOnly).unwrap();
    let relations = |s: &Store| one(s, "SELECT count(*) FROM relation");
    s.begin_group().unwrap();
    assert!(s.begin_group().is_err(), "groups do not nest");
    assert_eq!(
        single(
            &mut s,
            &add(r#"{"type":"relation","subject":"c","predicate":"visited","object":"b"}"#)
        )
        .unwrap(),
        Some(2)
    );
    // A write that fails, and one that changes nothing: neither is a change.
    assert!(single(&mut s, &correct(1, r#"{"when":"2025-13"}"#)).is_err());
    assert_eq!(
        single(
            &mut s,
            &add(r#"{"type":"relation","subject":"a","predicate":"met","object":"c"}"#)
        )
        .unwrap(),
        None
    );
    assert_eq!(single(&mut s, &retract(&[2])).unwrap(), Some(3));
    let sourced =
        r#"{"type":"relation","subject":"d","predicate":"visited","object":"b","source":"s1"}"#;
    assert_eq!(single(&mut s, &add(sourced)).unwrap(), Some(4));
    assert_eq!(relations(&s), 3);
    assert_eq!(
        relations(&reader),
        2,
        "the reader sees the store before the group"
    );
    s.end_group().unwrap();
    assert!(!s.in_group());
    assert_eq!(relations(&reader), 3);
    assert_eq!(one(&reader, "SELECT max(id) FROM change"), 4);
    // The kept counts and the text index are as their triggers keep them.
    assert_eq!(reader.check().unwrap(), vec![]);
    assert_eq!(one(&reader, "SELECT n FROM source_count"), 2);

    // A group that is never committed leaves nothing.
    s.begin_group().unwrap();
    single(&mut s, &retract(&[1])).unwrap();
    drop(s);
    assert_eq!(relations(&reader), 3);
    assert_eq!(one(&reader, "SELECT max(id) FROM change"), 4);
}

#[test]
fn a_group_runs_the_same_on_both_engines() {
    both(|engine| {
        let mut s = store_added(engine, BASE);
        s.begin_group().unwrap();
        let mut said = vec![];
        for op in [
            add(
                r#"{"type":"relation","subject":"c","predicate":"visited","object":"d","when":"2024"}"#,
            ),
            correct(1, r#"{"when":"2025-13"}"#),
            retract(&[2]),
            retract(&[2]),
            correct(1, r#"{"note":"by road"}"#),
            undo(None),
        ] {
            said.push(format!("{:?}", outcome(single(&mut s, &op))));
        }
        s.end_group().unwrap();
        said.extend(snapshot(&s));
        said.extend(rows(&s, "SELECT id, undoes FROM change ORDER BY id"));
        said
    });
}

#[test]
fn an_add_that_fails_after_it_wrote_takes_its_group_with_it_and_says_so() {
    let mut s = store_with(BASE);
    let before = written(&s);
    s.begin_group().unwrap();
    let good = r#"{"type":"relation","subject":"c","predicate":"visited","object":"b"}"#;
    assert_eq!(single(&mut s, &add(good)).unwrap(), Some(2));
    // The relation's insert fails once its new predicate is written. (Made in the group:
    // opening a change may set where temporary data goes, which drops TEMP triggers.)
    s.db()
        .execute_batch(
            "CREATE TEMP TRIGGER boom BEFORE INSERT ON main.relation \
             WHEN NEW.predicate = (SELECT key FROM main.predicate WHERE id = 'novel') \
             BEGIN SELECT RAISE(ABORT, 'boom'); END",
        )
        .unwrap();
    let novel = r#"{"type":"relation","subject":"c","predicate":"novel","object":"b"}"#;
    let lost = single(&mut s, &add(novel)).unwrap_err().to_string();
    assert!(lost.contains("the whole group was rolled back"), "{lost}");
    assert!(!s.in_change());
    let ended = s.end_group().unwrap_err().to_string();
    assert!(ended.contains("none of its changes was written"), "{ended}");
    assert!(!s.in_group());
    assert_eq!(written(&s), before);
    // The store goes on (the trigger went with the group).
    assert_eq!(single(&mut s, &add(good)).unwrap(), Some(2));
}
