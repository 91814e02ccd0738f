//! A corpus of queries covering each feature of the language, with snapshots of the SQL
//! each compiles to and of its results on the seed store.

use crate::support::seed_store;

/// (snapshot name, query)
const CORPUS: &[(&str, &str)] = &[
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
    ("limit", "?a ?r ?b | limit 2"),
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
        let mut rows = db.ok(&["query", "--format", "jsonl", query]);
        // Without a sort stage the order of rows is SQLite's choice: compare them sorted.
        if !["sort", "timeline", "count by", "limit"]
            .iter()
            .any(|w| query.to_lowercase().contains(w))
        {
            let mut lines: Vec<&str> = rows.lines().collect();
            lines.sort_unstable();
            rows = lines.iter().map(|l| format!("{l}\n")).collect();
        }
        insta::assert_snapshot!(format!("rows_{name}"), rows, query);
    }
}

#[test]
fn corpus_is_large_enough() {
    assert!(CORPUS.len() >= 40);
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
