//! `merge A into B` and `unmerge A`: a judgement on entities, seen by every question,
//! undone by `unmerge`, and invisible to questions about the time before it.

use super::{
    answer, change_of, column, handle_after, ids, rows, rows_as_set, unchanged, with_id, write,
};
use crate::support::{seed_store, TempStore};

/// Questions whose answers a merge of `bibi` into Netanyahu changes.
const QUESTIONS: &[&str] = &[
    "?x visited _ status any | count by ?x",
    "?x -- Aliyev status any | count by ?x",
    "?x:person visited ?y status any",
    "Netanyahu -- ?y status any",
    "path Netanyahu to Tehran status any",
    "path Netanyahu to Aliyev",
];

fn answers(s: &TempStore, suffix: &str) -> Vec<String> {
    QUESTIONS
        .iter()
        .map(|q| rows_as_set(&answer(s, &format!("{q}{suffix}"), "csv")))
        .collect()
}

/// The seed with a second entity for Netanyahu, `bibi`, that visited Tehran and met
/// Aliyev; gives the ids of those two relations.
fn store_with_a_double() -> (TempStore, i64, i64) {
    let s = seed_store();
    write(&s, r#"add entity bibi person "B. Netanyahu" aka "Bibi N""#);
    let visit = handle_after(&write(&s, "add bibi visited Tehran when 2025-06"), "added");
    let met = handle_after(&write(&s, "add Aliyev met bibi when 2025-06-02"), "added");
    (s, visit, met)
}

#[test]
fn a_merged_entity_answers_as_the_other_until_it_is_unmerged() {
    let (s, visit, met) = store_with_a_double();
    let before = answers(&s, "");
    let netanyahu_visits = ids(&s, "Netanyahu visited ?w status any");

    let said = write(&s, r#"merge bibi into Netanyahu because "same person""#);
    let merged = change_of(&said);
    assert!(said.contains("merged `bibi` into `netanyahu`"), "{said}");

    // Counts: one visitor, with both entities' visits; no `bibi` row.
    let counted = rows(&s, "?x visited _ status any | count by ?x");
    assert!(
        !column(&counted, "x.id").contains(&"bibi".to_string()),
        "{counted:?}"
    );
    let n = counted
        .iter()
        .find(|r| r["x.id"] == "netanyahu")
        .expect("Netanyahu counted");
    assert_eq!(n["count"], netanyahu_visits.len() + 1);
    // Every name and the id of `bibi` answer as Netanyahu, with the same relations.
    let mut expected = netanyahu_visits.clone();
    expected.push(visit);
    expected.sort_unstable();
    for name in ["bibi", "\"Bibi N\"", "\"B. Netanyahu\"", "Netanyahu"] {
        let q = format!("{name} visited ?w status any");
        assert_eq!(ids(&s, &q), expected, "{q}");
        let r = rows(&s, &q);
        assert!(
            column(&r, "subject")
                .iter()
                .all(|n| n == "Benjamin Netanyahu"),
            "{r:?}"
        );
    }
    // Paths go through the merged entity's relations, from either name.
    for from in ["Netanyahu", "bibi"] {
        let r = rows(&s, &format!("path {from} to Aliyev"));
        assert_eq!(column(&r, "hops"), ["1"], "{from}: {r:?}");
        assert_eq!(column(&r, "ids"), [format!("#{met}")]);
        assert_eq!(column(&r, "from"), ["Benjamin Netanyahu"]);
    }
    // A write naming `bibi` now names Netanyahu (undone at once: it is no part of the
    // merge).
    let said = write(&s, "add bibi visited \"Abu Dhabi\" when 2025-09");
    let r = rows(&s, "?x visited \"Abu Dhabi\"");
    assert_eq!(column(&r, "x.id"), ["netanyahu"]);
    with_id(r, handle_after(&said, "added"));
    write(&s, "undo");

    // The time before the merge still sees two entities.
    assert_eq!(
        answers(&s, &format!(" as recorded at change {}", merged - 1)),
        before
    );
    // Merging again changes nothing and says so.
    let said = unchanged(&s, r#"merge bibi into Netanyahu because "same person""#);
    assert!(said.contains("already merged"), "{said}");

    let said = write(&s, r#"unmerge bibi because "two people after all""#);
    assert!(said.contains("unmerged `bibi`"), "{said}");
    assert_eq!(answers(&s, ""), before);
    let said = unchanged(&s, r#"unmerge bibi because "two people after all""#);
    assert!(said.contains("not merged"), "{said}");
    // The merge's time still sees one.
    let during = answers(&s, &format!(" as recorded at change {merged}"));
    assert_ne!(during, before);
}

#[test]
fn history_of_an_entity_shows_its_names_merges_and_relations() {
    let (s, visit, _) = store_with_a_double();
    write(&s, r#"alias bibi "Bibi the Second""#);
    let merged = change_of(&write(
        &s,
        r#"merge bibi into Netanyahu because "same person""#,
    ));
    let unmerged = change_of(&write(&s, r#"unmerge bibi because "two people""#));
    let history = rows(&s, "history bibi");
    let actions: Vec<(String, String)> = history
        .iter()
        .map(|r| {
            (
                r["action"].as_str().unwrap().to_string(),
                r["id"].to_string(),
            )
        })
        .collect();
    let visit = visit.to_string();
    for expected in [
        ("added", "null"),
        ("added", visit.as_str()),
        ("alias", "null"),
        ("merged", "null"),
        ("merged", visit.as_str()),
        ("unmerged", "null"),
        ("unmerged", visit.as_str()),
    ] {
        assert!(
            actions.contains(&(expected.0.to_string(), expected.1.to_string())),
            "{expected:?} not in {actions:?}"
        );
    }
    let merge_row = history
        .iter()
        .find(|r| r["action"] == "merged" && r["id"].is_null())
        .unwrap();
    assert_eq!(merge_row["change"], merged);
    assert_eq!(merge_row["reason"], "same person");
    assert_eq!(merge_row["detail"], "into `netanyahu`");
    // The entity merged into shows it too.
    let theirs = rows(&s, "history Netanyahu");
    let details = column(&theirs, "detail");
    assert!(
        details.contains(&"`bibi` merged into it".to_string()),
        "{details:?}"
    );
    assert!(
        details.contains(&"`bibi` unmerged from it".to_string()),
        "{details:?}"
    );
    assert!(theirs.iter().any(|r| r["change"] == unmerged));
    // Changes are in order.
    let changes: Vec<i64> = history
        .iter()
        .map(|r| r["change"].as_i64().unwrap())
        .collect();
    assert!(changes.windows(2).all(|w| w[0] <= w[1]), "{changes:?}");
}

/// A name in a question about the past should resolve as it did then: before the merge,
/// `bibi` was an entity of its own.
#[test]
fn a_name_in_a_question_about_the_past_resolves_as_it_did_then() {
    let (s, visit, met) = store_with_a_double();
    let merged = change_of(&write(
        &s,
        r#"merge bibi into Netanyahu because "same person""#,
    ));
    let past = format!(" as recorded at change {}", merged - 1);
    assert_eq!(ids(&s, &format!("bibi -- ?x{past}")), [visit, met]);
}
