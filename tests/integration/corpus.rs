//! A corpus of queries covering each feature of the language, with snapshots of the SQL
//! each compiles to and of its results on the seed store.

use crate::support::seed_store;

/// (snapshot name, query)
pub(crate) const CORPUS: &[(&str, &str)] = &[
    ("var_pred_entity", "?who visited Baku"),
    ("status_any", "?who visited Baku status any"),
    ("status_planned", "?who visited Baku status planned"),
    ("status_list", "?x visited ?y status occurred|planned"),
    ("status_denied_none", "?x ?r ?y status denied"),
    ("arabic_string_subject", "\"بيزيشكيان\" visited ?where"),
    ("arabic_variant_alef", "\"الهام علييف\" received ?guest"),
    ("latin_diacritics", "Turkiye rival_of ?x"),
    ("alias_bare_word", "Bibi prime_minister_of ?c"),
    ("entity_by_id", "embassy_gunman ?r ?what"),
    ("object_fixed", "?x supplies_arms_to Azerbaijan"),
    ("either_direction", "Iran -- Azerbaijan | sort start"),
    ("either_with_var", "?x -- Israel | sort x"),
    ("kind_clause", "?c:country | sort c"),
    ("kind_restricted_var", "?p:person visited ?place"),
    ("join_two_clauses", "?p president_of ?c, ?p visited ?place"),
    ("join_chain", "?a aide_of ?b, ?b president_of ?c"),
    ("not_clause", "?c:country, not ?c -- Israel, not ?c -- Iran"),
    (
        "not_relation",
        "?p:person, ?p visited ?x, not ?p received _",
    ),
    ("pred_alternatives", "?a visited|received ?b"),
    ("pred_variable", "Israel ?r ?what"),
    ("pred_any", "?a * Baku status any"),
    ("symmetric_both_ways", "?a met ?b status any"),
    ("symmetric_fixed", "Iran enemy_of ?x"),
    ("symmetric_reverse_var_pred", "?x ?r Israel"),
    ("in_year", "?a ?r ?b in 2024"),
    ("within_year", "?a ?r ?b within 2024"),
    ("in_month", "?a ?r ?b in 2025-02"),
    ("in_day", "?a ?r ?b on 2025-04-28"),
    ("in_quarter", "?a ?r ?b in 2024-Q4"),
    ("in_half", "?a ?r ?b within 2024-H2"),
    ("early_month", "?a ?r ?b in early 2025-02"),
    ("mid_year", "?a ?r ?b in mid 2024"),
    ("late_year", "?a ?r ?b within late 2024"),
    ("range", "?a ?r ?b within 2023-01..2023-12"),
    ("since", "?a ?r ?b since 2025-05"),
    ("until", "?a ?r ?b certainly until 2023"),
    ("between", "?a ?r ?b between 2024-06 and 2024-12"),
    ("as_of", "?a ?r ?b as of 2024-01-01"),
    ("certainly_as_of", "?a ?r ?b certainly as of 2024-01-01"),
    ("before", "?a ?r ?b before 2023-02"),
    ("certainly_before", "?a ?r ?b certainly before 2024"),
    ("after", "?a ?r ?b after 2025-04-28 status any"),
    (
        "certainly_after",
        "?a ?r ?b certainly after 2025-04-28 status any",
    ),
    ("two_filters", "?a ?r ?b after 2022 before 2024-01-01"),
    (
        "show_columns",
        "?who visited ?where | show ?who, when, source",
    ),
    ("sort_desc", "?a ?r ?b | sort start desc | limit 3"),
    ("limit", "?a ?r ?b | sort a | limit 2"),
    ("count", "?a ?r ?b | count"),
    ("count_by", "?x visited _ | count by ?x"),
    ("count_by_pred", "?a ?r ?b | count by ?r | limit 3"),
    ("distinct", "?x visited ?y status any | show ?x | distinct"),
    ("timeline", "Iran -- Azerbaijan | timeline"),
    (
        "comment_and_newlines",
        "# who went where\n?who visited\n  ?where",
    ),
    ("keywords_any_case", "?a ?r ?b WITHIN 2024 | SORT start"),
    // Labels: `@name` after a clause's terms names its relation; in another clause's
    // time filter it stands for that relation's time (start_lo..end_hi).
    (
        "label_after_invitation",
        "Aliyev invited Pezeshkian @inv, Pezeshkian visited ?where certainly after @inv",
    ),
    (
        "label_q3_certainly_after",
        "Aliyev ?r1 ?x @a, ?x ?r2 ?y certainly after @a",
    ),
    (
        "label_q3_possibly_after",
        "Aliyev ?r1 ?x @a, ?x ?r2 ?y after @a",
    ),
    (
        "label_during_visit",
        "Pezeshkian visited Baku @v, ?host received Pezeshkian on @v",
    ),
    (
        "label_certainly_before",
        "Pezeshkian visited Baku @v, ?a ?r Pezeshkian certainly before @v",
    ),
    (
        "label_symmetric_branches",
        "Azerbaijan ?r1 Iran @a, Azerbaijan ?r2 Iran certainly after @a",
    ),
    (
        "label_used_before_given",
        "Azerbaijan ?r1 Iran certainly before @b, Azerbaijan ?r2 Iran @b",
    ),
    (
        "label_either_direction",
        "Iran -- Azerbaijan @e, Iran -- Azerbaijan certainly after @e | count",
    ),
    (
        "label_in_not",
        "?who visited ?where @v, not _ received ?who on @v",
    ),
    (
        "label_within",
        "Azerbaijan embassy_closed_in Iran @closed, ?a ?r ?b within @closed",
    ),
    (
        "label_range_end",
        "Azerbaijan embassy_closed_in Iran @closed, ?a ?r ?b within @closed..2024 | count",
    ),
    (
        "label_without_time",
        "Baku capital_of Azerbaijan @cap, Pezeshkian visited ?where after @cap",
    ),
];

#[test]
fn corpus_sql_and_results() {
    let db = seed_store();
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots");
    settings.set_prepend_module_to_snapshot(false);
    let _guard = settings.bind_to_scope();
    for (name, query) in CORPUS {
        let sql = db.ok(&["explain", query]);
        insta::assert_snapshot!(format!("sql_{name}"), sql, query);
        let rows = in_defined_order(query, db.ok(&["query", "--format", "jsonl", query]));
        insta::assert_snapshot!(format!("rows_{name}"), rows, query);
    }
}

/// The lines of `rows` (one a row), sorted when `query` leaves the order of its rows to
/// the engine (no sort stage): the rows to compare.
pub(crate) fn in_defined_order(query: &str, rows: String) -> String {
    if ["sort", "timeline", "count by", "limit"]
        .iter()
        .any(|w| query.to_lowercase().contains(w))
    {
        return rows;
    }
    let mut lines: Vec<&str> = rows.lines().collect();
    lines.sort_unstable();
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// Runs every query of the corpus on a store holding the seed data (`on_store` runs the
/// binary on it) and gives each that does not give the seed SQLite store's rows, in the
/// same order where the query orders them.
pub(crate) fn differences_from_sqlite(
    on_store: &dyn Fn(&[&str]) -> crate::support::Output,
) -> Vec<String> {
    let sqlite = seed_store();
    let mut differ = Vec::new();
    for (name, query) in CORPUS {
        let out = on_store(&["query", "--format", "jsonl", query]);
        let want = in_defined_order(query, sqlite.ok(&["query", "--format", "jsonl", query]));
        let got = in_defined_order(query, out.stdout.clone());
        if out.status != 0 || got != want {
            differ.push(format!(
                "{name}: {query}\n  sqlite: {want}\n  store ({}): {got}{}",
                out.status, out.stderr
            ));
        }
    }
    differ
}

/// The SQL text never holds what the user typed: every value is a parameter.
#[test]
fn sql_text_holds_no_user_text() {
    let db = seed_store();
    for (_, query) in CORPUS {
        let sql = db.ok(&["explain", query]);
        let text = sql.split("-- parameters").next().unwrap_or_default();
        for word in [
            "Baku",
            "baku",
            "بيزيشكيان",
            "Israel",
            "2024",
            "visited",
            "country",
        ] {
            assert!(!text.contains(word), "{word} in SQL of {query}:\n{text}");
        }
    }
}

/// Labels compile to the aliases of their clauses: their names never reach the SQL.
#[test]
fn sql_text_holds_no_label_names() {
    let db = seed_store();
    for q in [
        "Aliyev ?r1 ?x @zzfirst, ?x ?r2 ?y certainly after @zzfirst",
        "?x ?r2 ?y in @zzfirst..2025, Aliyev ?r1 ?x @zzfirst | count",
        "Pezeshkian visited ?p @zzfirst, not ?p met _ before @zzfirst",
    ] {
        let sql = db.ok(&["explain", q]);
        assert!(!sql.contains("zzfirst"), "{q}:\n{sql}");
        assert!(!sql.contains('@'), "{q}:\n{sql}");
    }
}

fn json_rows(out: &str) -> Vec<serde_json::Map<String, serde_json::Value>> {
    let v: serde_json::Value = serde_json::from_str(out).expect("JSON output");
    v.as_array()
        .expect("an array")
        .iter()
        .map(|r| r.as_object().expect("rows are objects").clone())
        .collect()
}

fn pairs(rows: &[serde_json::Map<String, serde_json::Value>], a: &str, b: &str) -> Vec<String> {
    let mut v: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "{} {}",
                r[a].as_str().unwrap_or("?"),
                r[b].as_str().unwrap_or("?")
            )
        })
        .collect();
    v.sort();
    v
}

/// Issue 7's q3 through the binary: two hops from Aliyev, the second relation certainly
/// later than the first. Aliyev invited Pezeshkian in early February 2025 (1–10 Feb);
/// Pezeshkian's visits to Baku and Azerbaijan (28 April) start after that. Aliyev's
/// reception of Pezeshkian (28 April) has nothing certainly later; his presidency (`at`)
/// has no end, so nothing can follow it.
#[test]
fn query_with_a_label_through_the_binary() {
    let db = seed_store();
    let out = db.ok(&[
        "query",
        "--format",
        "json",
        "Aliyev ?r1 ?x @a, ?x ?r2 ?y certainly after @a",
    ]);
    let rows = json_rows(&out);
    assert_eq!(
        pairs(&rows, "r1", "r2"),
        ["invited visited", "invited visited"]
    );
    assert_eq!(
        pairs(&rows, "x", "y"),
        ["Masoud Pezeshkian Azerbaijan", "Masoud Pezeshkian Baku"]
    );
    // Possibly after: the second relation may end after the first one's latest end; the
    // presidency of Iran (open end) follows both the invitation and the reception.
    let out = db.ok(&[
        "query",
        "--format",
        "json",
        "Aliyev ?r1 ?x @a, ?x ?r2 ?y after @a",
    ]);
    assert_eq!(
        pairs(&json_rows(&out), "r1", "r2"),
        [
            "invited president_of",
            "invited visited",
            "invited visited",
            "received president_of"
        ]
    );
    // A misspelt label: exit status 2, the label, its position and a suggestion.
    let out = db.run(&["query", "Aliyev ?r1 ?x @first, ?x ?r2 ?y after @frist"]);
    assert_eq!(out.status, 2, "{out:?}");
    assert!(out.stdout.is_empty(), "{out:?}");
    assert!(
        out.stderr.contains("unknown label `@frist` at 1:39"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("did you mean @first?"),
        "{}",
        out.stderr
    );
}

/// Labels are part of a saved query's text: saved, listed, run with arguments.
#[test]
fn saved_query_with_labels() {
    let db = seed_store();
    let save = db.run(&[
        "query",
        "save later(e) = $e ?r ?x @a, ?x ?r2 ?y certainly after @a",
    ]);
    assert_eq!(save.status, 0, "{}", save.stderr);
    let listed = db.ok(&["query", "--format", "json", "saved"]);
    assert!(
        listed.contains("$e ?r ?x @a, ?x ?r2 ?y certainly after @a"),
        "{listed}"
    );
    let rows = json_rows(&db.ok(&["run", "later", "Aliyev", "--format", "json"]));
    assert_eq!(
        pairs(&rows, "r", "r2"),
        ["invited visited", "invited visited"]
    );
    let rows = json_rows(&db.ok(&["query", "--format", "json", "run later(Aliyev) | count"]));
    assert_eq!(rows[0]["count"], 2);
    // From Azerbaijan: its embassy closure (2023-01 to mid 2024), expulsions (2023) and
    // reopening (mid 2024) in Iran were each certainly followed by Iran's naval exercise
    // with Azerbaijan (2024-11) and its death sentence (late 2024). Relations held `at` a
    // day, such as the tensions, have no known start or end, so none is certainly later.
    let rows = json_rows(&db.ok(&["run", "later", "Azerbaijan", "--format", "json"]));
    assert_eq!(
        pairs(&rows, "r", "r2"),
        [
            "embassy_closed_in naval_exercise_with",
            "embassy_closed_in sentenced_to_death",
            "expelled_diplomats_of naval_exercise_with",
            "expelled_diplomats_of sentenced_to_death",
            "reopened_embassy_in naval_exercise_with",
            "reopened_embassy_in sentenced_to_death"
        ]
    );
    assert!(rows.iter().all(|r| r["x"] == "Iran"), "{rows:?}");
    // A body whose label is unknown is refused when saved.
    let bad = db.run(&["query", "save bad(e) = $e ?r ?x, ?x ?r2 ?y after @a"]);
    assert_eq!(bad.status, 2, "{bad:?}");
    assert!(bad.stderr.contains("unknown label `@a`"), "{}", bad.stderr);
}

/// A clause with a known entity is answered through an index, never a scan of all the
/// relations.
#[test]
fn explain_plan_of_a_one_entity_clause_searches_an_index() {
    let db = seed_store();
    for q in [
        "?who visited Baku",
        "Pezeshkian ?r ?x",
        "Iran -- Azerbaijan",
        "?x ?r Israel within 2025",
    ] {
        let out = db.ok(&["explain", "--plan", q]);
        let plan = out
            .split("-- query plan")
            .nth(1)
            .expect("a query plan section");
        assert!(
            plan.contains("USING INDEX") || plan.contains("USING COVERING INDEX"),
            "{q}:\n{plan}"
        );
        assert!(
            !plan.lines().any(|l| l.trim_start().starts_with("SCAN r")),
            "{q} scans relations:\n{plan}"
        );
    }
}
