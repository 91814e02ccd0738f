//! Dates as reporters write them (ARTICLES.md): `factstore date` on the seed article's
//! own words, and relative dates in imports, writes and query periods.

use crate::support::{factstore, TempStore};

/// `factstore date TEXT ARGS… --format json`, the fields `lo` and `hi`.
fn bounds(text: &str, args: &[&str]) -> (String, String) {
    let mut all = vec!["date", text, "--format", "json"];
    all.extend_from_slice(args);
    let out = factstore(&all);
    assert_eq!(out.status, 0, "{out:?}");
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("one JSON object");
    (
        v["lo"].as_str().unwrap().to_string(),
        v["hi"].as_str().unwrap().to_string(),
    )
}

#[test]
fn the_seed_article_phrases_give_the_seed_dates() {
    let anchor = ["--anchor", "2025-04-28"];
    let planned = ["--anchor", "2025-04-28", "--planned"];
    let cases: [(&str, &[&str], &str, &str); 7] = [
        ("اليوم الاثنين", &anchor, "2025-04-28", "2025-04-28"),
        ("مطلع فبراير الماضي", &anchor, "2025-02-01", "2025-02-10"),
        ("منتصف عام 2024", &anchor, "2024-05-01", "2024-08-31"),
        ("أواخر عام 2024", &anchor, "2024-09-01", "2024-12-31"),
        ("نوفمبر الماضي", &anchor, "2024-11-01", "2024-11-30"),
        ("يناير 2023", &anchor, "2023-01-01", "2023-01-31"),
        ("8 مايو", &planned, "2025-05-08", "2025-05-08"),
    ];
    for (text, args, lo, hi) in cases {
        assert_eq!(
            bounds(text, args),
            (lo.to_string(), hi.to_string()),
            "{text}"
        );
    }
}

#[test]
fn date_prints_the_bounds_and_the_rule() {
    let out = factstore(&["date", "last November", "--anchor", "2025-04-28"]);
    assert_eq!(out.status, 0, "{out:?}");
    assert!(
        out.stdout.contains("bounds: 2024-11-01..2024-11-30"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("rule:   `last` November"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("anchor: 2025-04-28"), "{}", out.stdout);
}

#[test]
fn date_reads_a_range_as_the_interval_of_its_ends_and_names_the_rule() {
    let out = factstore(&["date", "بين 13 و15 تموز", "--anchor", "2025-08-01"]);
    assert_eq!(out.status, 0, "{out:?}");
    for line in [
        "date:   2025-07-13/2025-07-15",
        "bounds: 2025-07-13..2025-07-15",
        "rule:   a range placed by its start: 13 July without a year",
    ] {
        assert!(out.stdout.contains(line), "{line} not in {}", out.stdout);
    }
    assert_eq!(
        bounds("13 July to 2 August 2025", &[]),
        ("2025-07-13".to_string(), "2025-08-02".to_string())
    );
    let backwards = factstore(&["date", "15–13 July 2025"]);
    assert_eq!(backwards.status, 2, "{backwards:?}");
    assert!(
        backwards.stderr.contains("before it starts"),
        "{}",
        backwards.stderr
    );
}

#[test]
fn date_refuses_what_it_cannot_resolve_with_status_2() {
    let relative = factstore(&["date", "yesterday"]);
    assert_eq!(relative.status, 2, "{relative:?}");
    assert!(relative.stderr.contains("--anchor"), "{}", relative.stderr);
    let nonsense = factstore(&["date", "the twelfth of never"]);
    assert_eq!(nonsense.status, 2, "{nonsense:?}");
    assert!(
        nonsense.stderr.contains("8 May 2025"),
        "{}",
        nonsense.stderr
    );
    let wide = factstore(&["date", "May", "--anchor", "2025-04"]);
    assert_eq!(wide.status, 2, "{wide:?}");
    assert!(wide.stderr.contains("not one day"), "{}", wide.stderr);
}

const ARTICLE: &str = r#"{"type":"relation","subject":"a","predicate":"invited","object":"b","when":"مطلع فبراير الماضي","source":"art"}
{"type":"relation","subject":"b","predicate":"visited","object":"a","when":"8 مايو","status":"planned","source":"art"}
{"type":"relation","subject":"a","predicate":"met","object":"b","when":"yesterday","reported":"2025-05-02"}
{"type":"entity","id":"a","kind":"person","name":"A"}
{"type":"entity","id":"b","kind":"person","name":"B"}
{"type":"source","id":"art","title":"T","published":"2025-04-28","lang":"ar"}
"#;

/// A store with [`ARTICLE`] imported, and the file.
fn article_store() -> (TempStore, std::path::PathBuf) {
    let store = TempStore::new();
    let file = store.db.with_file_name("article.jsonl");
    std::fs::write(&file, ARTICLE).unwrap();
    store.ok(&["import", file.to_str().unwrap()]);
    (store, file)
}

#[test]
fn an_import_resolves_relative_dates_against_reported_else_published() {
    let (store, file) = article_store();
    let rows = store.ok(&[
        "query",
        "?x ?p ?y status any | show p, when, start, end",
        "--format",
        "csv",
    ]);
    for line in [
        "invited,مطلع فبراير الماضي,2025-02-01,2025-02-10",
        "visited,8 مايو,2025-05-08,2025-05-08",
        "met,yesterday,2025-05-01,2025-05-01",
    ] {
        assert!(rows.contains(line), "{line} in {rows}");
    }
    // The export keeps `reported`, and imports back into the same store.
    let export = store.ok(&["export"]);
    assert!(export.contains(r#""reported":"2025-05-02""#), "{export}");
    let again = store.run(&["import", file.to_str().unwrap()]);
    assert!(
        again
            .stdout
            .contains("relations      added 0, already present 3"),
        "{again:?}"
    );
}

#[test]
fn a_relative_date_without_an_anchor_is_refused_with_what_to_give() {
    let store = TempStore::new();
    let file = store.db.with_file_name("bad.jsonl");
    std::fs::write(
        &file,
        "{\"type\":\"entity\",\"id\":\"a\",\"kind\":\"person\",\"name\":\"A\"}\n\
         {\"type\":\"relation\",\"subject\":\"a\",\"predicate\":\"met\",\"object\":\"a\",\"when\":\"last week\"}\n",
    )
    .unwrap();
    let out = store.run(&["import", file.to_str().unwrap()]);
    assert_eq!(out.status, 2, "{out:?}");
    assert!(out.stderr.contains("bad.jsonl:2"), "{}", out.stderr);
    assert!(out.stderr.contains("reported"), "{}", out.stderr);
    assert!(out.stderr.contains("published"), "{}", out.stderr);
    assert_eq!(crate::support::count(&store.db, "relation"), 0);
}

#[test]
fn writes_and_query_periods_take_dates_as_written() {
    let (store, _) = article_store();
    store.ok(&["query", "add B met A when \"last November\" source art"]);
    store.ok(&[
        "query",
        "add A met A when \"the day before yesterday\" reported 2025-05-02",
    ]);
    let rows = store.ok(&[
        "query",
        "?x met ?y in \"November 2024\" | show when, start",
        "--format",
        "csv",
    ]);
    assert!(rows.contains("last November,2024-11-01"), "{rows}");
    let rows = store.ok(&[
        "query",
        "?x met ?y on \"30 April 2025\" | show when",
        "--format",
        "csv",
    ]);
    assert!(rows.contains("the day before yesterday"), "{rows}");
}

#[test]
fn correct_and_undo_keep_the_anchor_of_a_relative_date() {
    let (store, _) = article_store();
    let when =
        |store: &TempStore| store.ok(&["query", "A met B | show when, start", "--format", "csv"]);
    assert!(
        when(&store).contains("yesterday,2025-05-01"),
        "{}",
        when(&store)
    );
    // Another field corrected: the date still counts from `reported`.
    store.ok(&["query", "correct #3 note \"x\" because \"y\""]);
    assert!(
        when(&store).contains("yesterday,2025-05-01"),
        "{}",
        when(&store)
    );
    // `reported` corrected: the date moves with it; an undo moves it back.
    store.ok(&["query", "correct #3 reported 2025-06-10 because \"y\""]);
    assert!(
        when(&store).contains("yesterday,2025-06-09"),
        "{}",
        when(&store)
    );
    store.ok(&["query", "undo"]);
    assert!(
        when(&store).contains("yesterday,2025-05-01"),
        "{}",
        when(&store)
    );
}
