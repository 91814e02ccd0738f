//! Every example of LANGUAGE.md's table, run through the binary on a store made from
//! the seed article's facts.

use crate::support::{seed_store, TempStore};
use serde_json::Value;

fn rows(db: &TempStore, q: &str) -> Vec<serde_json::Map<String, Value>> {
    let out = db.ok(&["query", "--format", "json", q]);
    let v: Value = serde_json::from_str(&out).expect("query output is JSON");
    v.as_array()
        .expect("a JSON array")
        .iter()
        .map(|r| r.as_object().expect("rows are objects").clone())
        .collect()
}

fn column(rows: &[serde_json::Map<String, Value>], name: &str) -> Vec<String> {
    rows.iter()
        .map(|r| match &r[name] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn who_visited_baku() {
    let db = seed_store();
    let r = rows(&db, "?who visited Baku");
    assert_eq!(column(&r, "who"), ["Masoud Pezeshkian"]);
    assert_eq!(column(&r, "who.id"), ["pezeshkian"]);
}

#[test]
fn who_visited_baku_status_any() {
    let db = seed_store();
    let r = rows(&db, "?who visited Baku status any");
    assert_eq!(
        sorted(column(&r, "who")),
        ["Benjamin Netanyahu", "Masoud Pezeshkian"]
    );
}

#[test]
fn arabic_alias_visited_where() {
    let db = seed_store();
    let r = rows(&db, "\"بيزيشكيان\" visited ?where");
    assert_eq!(sorted(column(&r, "where")), ["Azerbaijan", "Baku"]);
}

#[test]
fn arabic_spelling_variant_received_guest() {
    let db = seed_store();
    let r = rows(&db, "\"الهام علييف\" received ?guest");
    assert_eq!(column(&r, "guest"), ["Masoud Pezeshkian"]);
}

#[test]
fn who_supplies_arms_to_azerbaijan() {
    let db = seed_store();
    let r = rows(&db, "?x supplies_arms_to Azerbaijan");
    assert_eq!(column(&r, "x"), ["Israel"]);
}

#[test]
fn iran_either_azerbaijan_sorted_by_start() {
    let db = seed_store();
    let r = rows(&db, "Iran -- Azerbaijan | sort start");
    assert_eq!(r.len(), 6);
    assert_eq!(r[5]["predicate"], "naval_exercise_with");
    assert_eq!(r[5]["start"], "2024-11-01");
    assert_eq!(r[5]["when"], "2024-11");
}

#[test]
fn anything_within_2024() {
    let db = seed_store();
    let r = rows(&db, "?a ?r ?b within 2024");
    // Rows are bindings: the symmetric naval exercise binds ?a and ?b both ways round.
    assert_eq!(
        sorted(column(&r, "r")),
        [
            "naval_exercise_with",
            "naval_exercise_with",
            "reopened_embassy_in",
            "sentenced_to_death"
        ]
    );
}

#[test]
fn certainly_as_of_new_year_2024() {
    let db = seed_store();
    let r = rows(&db, "?a ?r ?b certainly as of 2024-01-01");
    assert_eq!(column(&r, "r"), ["embassy_closed_in"]);
}

#[test]
fn certainly_before_2024() {
    let db = seed_store();
    let r = rows(&db, "?a ?r ?b certainly before 2024");
    assert_eq!(
        sorted(column(&r, "r")),
        [
            "attacked",
            "condemned",
            "expelled_diplomats_of",
            "expelled_diplomats_of",
            "killed",
            "wounded"
        ]
    );
}

#[test]
fn countries_with_no_relation_to_israel_or_iran() {
    let db = seed_store();
    let r = rows(&db, "?c:country, not ?c -- Israel, not ?c -- Iran");
    assert_eq!(sorted(column(&r, "c")), ["Armenia", "United Arab Emirates"]);
}

#[test]
fn count_visits_by_visitor() {
    let db = seed_store();
    let r = rows(&db, "?x visited _ | count by ?x");
    let got: Vec<(String, i64)> = r
        .iter()
        .map(|r| {
            (
                r["x"].as_str().unwrap_or_default().to_string(),
                r["count"].as_i64().unwrap_or(-1),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("Masoud Pezeshkian".to_string(), 2),
            ("Hikmet Hajiyev".to_string(), 1)
        ]
    );
}

#[test]
fn path_netanyahu_to_pezeshkian() {
    let db = seed_store();
    let r = rows(&db, "path Netanyahu to Pezeshkian");
    assert!(!r.is_empty());
    assert!(r.iter().all(|row| row["hops"] == 3), "{r:?}");
    let paths = column(&r, "path");
    assert!(
        paths.iter().any(|p| p
            == "Benjamin Netanyahu —prime_minister_of→ Israel —enemy_of— Iran ←president_of— Masoud Pezeshkian"),
        "{paths:#?}"
    );
}

#[test]
fn path_with_any_status_goes_through_baku() {
    let db = seed_store();
    let r = rows(&db, "path Netanyahu to Pezeshkian status any");
    assert!(r.iter().all(|row| row["hops"] == 2), "{r:?}");
    let paths = column(&r, "path");
    assert!(paths.iter().any(|p| p.contains("Baku")), "{paths:#?}");
}

#[test]
fn misspelt_entity_is_an_error_with_a_suggestion() {
    let db = seed_store();
    let out = db.run(&["query", "--format", "json", "?who visited Bakku"]);
    assert_eq!(out.status, 2, "{out:?}");
    assert!(out.stdout.is_empty(), "{out:?}");
    assert!(out.stderr.contains("`Bakku`"), "{}", out.stderr);
    assert!(out.stderr.contains("1:14"), "{}", out.stderr);
    assert!(out.stderr.contains("Baku?"), "{}", out.stderr);
}
