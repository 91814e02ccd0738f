//! Relation fields as columns and filters, and rows as bindings: the examples of the
//! README's "Filters on fields" and "Language notes", on the demo data.

use crate::support::{seed_store, TempStore};
use serde_json::Value;

fn rows(db: &TempStore, q: &str) -> Vec<serde_json::Map<String, Value>> {
    let out = db.ok(&["query", "--format", "json", q]);
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{q}: {e}: {out}"));
    v.as_array()
        .unwrap_or_else(|| panic!("{q}: no array: {out}"))
        .iter()
        .map(|r| r.as_object().cloned().unwrap_or_default())
        .collect()
}

/// The values of the named columns, row by row, as text.
fn table(db: &TempStore, q: &str, names: &[&str]) -> Vec<Vec<String>> {
    rows(db, q)
        .iter()
        .map(|r| {
            names
                .iter()
                .map(|n| match &r[*n] {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

fn sorted(mut v: Vec<Vec<String>>) -> Vec<Vec<String>> {
    v.sort();
    v
}

fn strings(rows: &[&[&str]]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| r.iter().map(|s| s.to_string()).collect())
        .collect()
}

#[test]
fn quote_contains_words_in_any_spelling_both_ways_round() {
    let db = seed_store();
    let q = r#"?a ?r ?b quote contains "بحر قزوين" | show ?a, ?r, ?b, place"#;
    assert_eq!(
        sorted(table(&db, q, &["a", "r", "b", "place"])),
        strings(&[
            &["Azerbaijan", "naval_exercise_with", "Iran", "Caspian Sea"],
            &["Iran", "naval_exercise_with", "Azerbaijan", "Caspian Sea"],
        ])
    );
    // Alef with hamza or without, and words not parts of words: `بحر` is not `بحرية`.
    let spelt = r#"?a naval_exercise_with ?b quote contains "واذربيجان" | show id | distinct"#;
    assert_eq!(table(&db, spelt, &["id"]), strings(&[&["17"]]));
    let part = r#"?a ?r ?b quote contains "بحري" | count"#;
    assert_eq!(table(&db, part, &["count"]), strings(&[&["0"]]));
}

#[test]
fn place_filters_by_an_entity_named_as_any_term() {
    let db = seed_store();
    let q = r#"?a ?r ?b place "Abu Dhabi" | show ?a, ?b"#;
    assert_eq!(
        sorted(table(&db, q, &["a", "b"])),
        strings(&[
            &[
                "Foreign minister of Azerbaijan",
                "Foreign minister of Israel"
            ],
            &[
                "Foreign minister of Israel",
                "Foreign minister of Azerbaijan"
            ],
        ])
    );
}

#[test]
fn source_by_id_or_title() {
    let db = seed_store();
    let q = "?x visited ?y source kan-report status any | show ?x, ?y";
    assert_eq!(
        table(&db, q, &["x", "y"]),
        strings(&[&["Benjamin Netanyahu", "Baku"]])
    );
    let by_title = r#"?x visited ?y source "KAN (Israeli public broadcaster) report on a planned Netanyahu visit to Baku, as cited by the seed article" status any | count"#;
    assert_eq!(table(&db, by_title, &["count"]), strings(&[&["1"]]));
    let out = db.run(&["query", "?x visited ?y source kan-reprt"]);
    assert_eq!(out.status, 2, "{}", out.stderr);
    assert!(out.stderr.contains("kan-report"), "{}", out.stderr);
}

#[test]
fn note_contains_ignores_case() {
    let db = seed_store();
    let q = r#"?a ?r ?b note contains "TWO days" | show id | distinct"#;
    assert_eq!(table(&db, q, &["id"]), strings(&[&["17"]]));
}

#[test]
fn confidence_compares_and_the_index_follows_writes() {
    let db = seed_store();
    db.ok(&[
        "query",
        r#"add Pezeshkian met Aliyev when 2025-05 confidence 0.6 quote "a second meeting in Nakhchivan""#,
    ]);
    let q = "?a met ?b confidence >= 0.5 | show id, confidence | distinct";
    let found = table(&db, q, &["confidence"]);
    assert_eq!(found, strings(&[&["0.6"]]));
    assert_eq!(
        table(&db, "?a met ?b confidence > 0.6 | count", &["count"]),
        strings(&[&["0"]])
    );
    let words = r#"?a ?r ?b quote contains "nakhchivan" | show id | distinct | count"#;
    assert_eq!(table(&db, words, &["count"]), strings(&[&["1"]]));
    // Undone, the relation leaves the index with it.
    db.ok(&["query", "undo"]);
    assert_eq!(table(&db, words, &["count"]), strings(&[&["0"]]));
}

#[test]
fn a_label_gives_its_relation_fields_as_columns() {
    let db = seed_store();
    let q = "?who visited ?where @v | sort @v.start | show ?who, ?where, @v.when";
    let got = table(&db, q, &["who", "where", "@v.when"]);
    assert_eq!(
        got[0],
        ["Hikmet Hajiyev", "Tehran", "early 2025-02"].map(String::from)
    );
    let q = "Pezeshkian visited Baku @v, ?host received Pezeshkian on @v | show ?host, @v.id";
    assert_eq!(
        table(&db, q, &["host", "@v.id"]),
        strings(&[&["Ilham Aliyev", "1"]])
    );
}

#[test]
fn rows_are_bindings_and_facts_are_counted_by_id() {
    let db = seed_store();
    let bindings = table(&db, "?a ?r ?b | count", &["count"]);
    let facts = table(&db, "?a ?r ?b | show id | distinct | count", &["count"]);
    assert_eq!(
        (bindings, facts),
        (strings(&[&["40"]]), strings(&[&["34"]]))
    );
    // `?r` finds what the named symmetric predicate finds, whatever the kinds' order.
    let named = sorted(table(
        &db,
        "?x:person met ?y:person | show ?x, ?y",
        &["x", "y"],
    ));
    let any = sorted(table(
        &db,
        "?x:person ?r ?y:person | show ?x, ?r, ?y",
        &["x", "y", "r"],
    ));
    let any_met: Vec<Vec<String>> = any
        .into_iter()
        .filter(|r| r[2] == "met")
        .map(|r| r[..2].to_vec())
        .collect();
    assert_eq!(named, any_met);
}

#[test]
fn default_columns_put_the_predicate_between_its_ends() {
    let db = seed_store();
    let out = db.ok(&["query", "--format", "csv", "?s ?p ?o | limit 1"]);
    assert!(out.starts_with("s,s.id,p,o,o.id,subject,"), "{out}");
}
