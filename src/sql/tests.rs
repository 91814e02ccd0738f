//! Unit tests of the SQL compiler: labels compile to the bound columns of their clause,
//! stages keep them, and no name of the query enters the SQL.

use super::*;
use crate::plan::test_catalog::{test_context, TestCatalog};
use crate::plan::{resolve, Plan};

fn compiled(text: &str) -> SqlQuery {
    compiled_with(text, CompileOptions::default())
}

fn compiled_with(text: &str, opts: CompileOptions) -> SqlQuery {
    let stmt = crate::lang::parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
    match resolve(
        &stmt,
        text,
        &TestCatalog::new(),
        &test_context(&Default::default()),
    ) {
        Ok(Plan::Select(s)) => compile(&s, opts).unwrap_or_else(|e| panic!("{text:?}: {e}")),
        other => panic!("{text:?}: {other:?}"),
    }
}

/// PostgreSQL's statement for `text`, on a store with the relations' copy by object or
/// without it.
fn compiled_for_copy(text: &str, copy_by_object: bool) -> SqlQuery {
    let opts = CompileOptions {
        dialect: Dialect::Postgres,
        copy_by_object,
        ..CompileOptions::default()
    };
    compiled_with(text, opts)
}

fn branches(sql: &SqlQuery) -> Vec<&str> {
    sql.text.split("\nUNION ALL\n").collect()
}

#[test]
fn a_label_compiles_to_the_bound_columns_of_its_clause() {
    let sql = compiled("Aliyev ?r1 ?x @a, ?x ?r2 ?y certainly after @a");
    // `?r` clauses read symmetric relations both ways: four
    // branches, each comparing the second relation with the first one's alias.
    let all = branches(&sql);
    assert_eq!(all.len(), 4);
    for b in all {
        assert_eq!(
            b.matches(r#""r1"."start_lo" > "r0"."end_hi""#).count(),
            1,
            "{b}"
        );
    }
    // The label adds no parameter.
    let without = compiled("Aliyev ?r1 ?x, ?x ?r2 ?y");
    assert_eq!(sql.params, without.params);
}

#[test]
fn every_test_compares_with_the_labelled_bounds() {
    let s = r#""r0"."start_lo""#;
    let e = r#""r0"."end_hi""#;
    let cases = [
        (
            "in @a",
            format!(r#""r1"."start_lo" <= {e} AND "r1"."end_hi" >= {s}"#),
        ),
        (
            "within @a",
            format!(r#""r1"."start_lo" >= {s} AND "r1"."end_hi" <= {e}"#),
        ),
        (
            "certainly as of @a",
            format!(r#""r1"."start_hi" <= {s} AND "r1"."end_lo" >= {e}"#),
        ),
        ("before @a", format!(r#""r1"."start_lo" < {s}"#)),
        ("certainly before @a", format!(r#""r1"."end_hi" < {s}"#)),
        ("after @a", format!(r#""r1"."end_hi" > {e}"#)),
        ("certainly after @a", format!(r#""r1"."start_lo" > {e}"#)),
        (
            "since @a",
            format!(r#""r1"."start_lo" <= ?8 AND "r1"."end_hi" >= {s}"#),
        ),
    ];
    for (filter, want) in cases {
        let q = format!("Aliyev invited ?p @a, ?p visited ?x {filter}");
        let sql = compiled(&q);
        assert!(sql.text.contains(&want), "{q}:\n{}", sql.text);
    }
    // `since @a` is `in @a..`: its open end is a parameter.
    let sql = compiled("Aliyev invited ?p @a, ?p visited ?x since @a");
    assert_eq!(sql.params[7], SqlParam::Int(crate::time::POS_INF));
}

/// The plan numbers relation clauses as the compiler names their aliases: kind
/// clauses and `not` clauses are skipped.
#[test]
fn a_label_follows_its_clause_past_kind_and_not_clauses() {
    let sql = compiled(
        "?c:country, ?p president_of ?c @pres, not ?p met _, \
         Pezeshkian visited ?x @v, ?x ?r2 ?y after @v before @pres",
    );
    for b in branches(&sql) {
        assert!(b.contains(r#""r2"."end_hi" > "r1"."end_hi""#), "{b}");
        assert!(b.contains(r#""r2"."start_lo" < "r0"."start_lo""#), "{b}");
    }
}

#[test]
fn a_not_clause_compares_with_the_outer_alias() {
    let sql = compiled("Pezeshkian visited ?p @v, not ?p met _ certainly before @v");
    // `met` is symmetric: two EXISTS, one per way round, each with the condition.
    assert_eq!(
        sql.text
            .matches(r#""n1"."end_hi" < "r0"."start_lo""#)
            .count(),
        1,
        "{}",
        sql.text
    );
    assert_eq!(
        sql.text
            .matches(r#""n2"."end_hi" < "r0"."start_lo""#)
            .count(),
        1,
        "{}",
        sql.text
    );
}

#[test]
fn stages_keep_the_labelled_comparison() {
    for stages in [
        "| count",
        "| show ?y | distinct",
        "| count by ?r2 | limit 1",
        "| sort ?y desc | limit 2 | show ?x",
    ] {
        let q = format!("Aliyev ?r1 ?x @a, ?x ?r2 ?y after @a {stages}");
        let sql = compiled(&q);
        assert_eq!(
            sql.text.matches(r#""r1"."end_hi" > "r0"."end_hi""#).count(),
            4,
            "{q}:\n{}",
            sql.text
        );
    }
}

/// Two `--` clauses between named entities give no output column; the SELECTs
/// around their branches still select something.
#[test]
fn queries_without_columns_select_a_constant() {
    for q in [
        "Iran -- Azerbaijan, Iran -- Baku",
        "Iran -- Azerbaijan @e, Iran -- Azerbaijan after @e | count",
        "Iran -- Azerbaijan, Iran -- Baku | distinct | limit 1",
    ] {
        let sql = compiled(q);
        assert!(sql.columns.len() <= 1, "{q}: {:?}", sql.columns);
        assert!(!sql.text.contains("SELECT  FROM"), "{q}:\n{}", sql.text);
        assert!(
            !sql.text.contains("SELECT DISTINCT  FROM"),
            "{q}:\n{}",
            sql.text
        );
        let conn = rusqlite::Connection::open_in_memory().expect("SQLite");
        conn.execute_batch(
            "CREATE TABLE relation (key, subject, predicate, object, status, start_lo, \
             start_hi, end_lo, end_hi);",
        )
        .expect("a table");
        conn.prepare(&sql.text)
            .unwrap_or_else(|e| panic!("{q}: {e}\n{}", sql.text));
    }
}

#[test]
fn distinct_on_a_timeline_merges_rows_into_the_span_of_their_times() {
    let q = compiled("?x ?r ?y | show ?x | distinct | timeline");
    assert!(!q.text.contains("DISTINCT"), "{}", q.text);
    assert!(q.text.contains("GROUP BY"), "{}", q.text);
    for f in ["min(", "max("] {
        assert_eq!(q.text.matches(f).count(), 2, "{f} in {}", q.text);
    }
    // Without a timeline, DISTINCT as before.
    let q = compiled("?x ?r ?y | show ?x | distinct");
    assert!(q.text.contains("SELECT DISTINCT"), "{}", q.text);
}

#[test]
fn a_count_keeps_the_relation_keys_of_the_rows_it_counts() {
    let stmt = crate::lang::parse("?x visited ?y in 2025 | count by ?x | timeline").unwrap();
    let catalog = TestCatalog::new();
    let Plan::Select(select) =
        resolve(&stmt, "", &catalog, &test_context(&Default::default())).unwrap()
    else {
        panic!("a query");
    };
    let opts = CompileOptions {
        limit: None,
        relation_keys: true,
        ..CompileOptions::default()
    };
    let q = compile(&select, opts).unwrap();
    assert_eq!(q.relation_keys, 1);
    assert!(!q.timeline, "a count is no timeline");
    assert!(q.text.contains("group_concat("), "{}", q.text);
    let plain = compile(&select, CompileOptions::default()).unwrap();
    assert_eq!(plain.relation_keys, 0);
    assert!(!plain.text.contains("group_concat("), "{}", plain.text);
}

#[test]
fn a_sort_breaks_ties_by_every_other_column() {
    let q = compiled("?a visited ?b | show ?b, ?a | sort ?a desc");
    let order = q
        .text
        .rsplit_once("ORDER BY")
        .map(|(_, o)| o.trim())
        .unwrap_or("");
    let keys: Vec<&str> = order.split(", ").collect();
    assert_eq!(keys.len(), 2, "{order}");
    assert!(keys[0].ends_with("c1\" DESC"), "{order}");
    assert!(keys[1].ends_with("c0\""), "{order}");
}

/// The keys of the statement's last ORDER BY.
fn order_keys(q: &SqlQuery) -> Vec<String> {
    let order = q
        .text
        .rsplit_once("ORDER BY")
        .map(|(_, o)| o.trim())
        .unwrap_or("");
    order.split(", ").map(String::from).collect()
}

#[test]
fn sort_when_orders_by_the_start_then_the_end_then_the_text() {
    let q = compiled("?a visited ?b @v | show @v.when, ?a | sort @v.when desc");
    let keys = order_keys(&q);
    assert!(keys[0].ends_with("a0\" DESC"), "{keys:?}");
    assert!(keys[1].ends_with("b0\" DESC"), "{keys:?}");
    assert!(keys[2].ends_with("c0\" DESC"), "{keys:?}");
    assert!(q.text.contains("\"start_lo\" AS"), "{}", q.text);
    // The bounds come after every column the reader reads by position.
    assert_eq!(q.columns.len(), 2);
}

#[test]
fn a_sort_on_other_columns_carries_no_bounds() {
    let q = compiled("?a visited ?b | show when, ?a | sort ?a");
    assert!(!q.text.contains("start_lo\" AS"), "{}", q.text);
    assert!(order_keys(&q)[0].ends_with("c1\""), "{}", q.text);
}

#[test]
fn identifiers_are_quoted_with_their_quotes_doubled() {
    assert_eq!(ident("relation"), "\"relation\"");
    assert_eq!(ident("a\"b"), "\"a\"\"b\"");
    assert_eq!(ident("بزشكيان"), "\"بزشكيان\"");
    assert_eq!(ident(""), "\"\"");
}

#[test]
fn label_names_never_enter_the_sql() {
    let sql = compiled("Aliyev ?r1 ?x @secret, ?x ?r2 ?y after @secret | count");
    assert!(!sql.text.contains("secret"), "{}", sql.text);
    assert!(!sql.text.contains('@'), "{}", sql.text);
}

#[test]
fn a_count_over_several_branches_counts_in_each_and_adds_the_counts() {
    // `--` reads relations both ways: two branches.
    for (q, groups) in [
        ("Iran -- ?x | count by ?x", true),
        ("Iran -- ?x | count", false),
    ] {
        let sql = compiled(q);
        assert_eq!(branches(&sql).len(), 2, "{q}:\n{}", sql.text);
        for b in branches(&sql) {
            assert!(b.contains(r#"count(*) AS "s0n""#), "{q}: {b}");
        }
        assert!(sql.text.starts_with("SELECT "), "{}", sql.text);
        assert!(sql.text.contains(r#"sum("s0n")"#), "{q}:\n{}", sql.text);
        assert_eq!(sql.text.contains("ORDER BY"), groups, "{q}:\n{}", sql.text);
    }
    // A count that keeps the relation keys it counts counts the union.
    let stmt = crate::lang::parse("Iran -- ?x | count by ?x").unwrap();
    let Plan::Select(select) = resolve(
        &stmt,
        "",
        &TestCatalog::new(),
        &test_context(&Default::default()),
    )
    .unwrap() else {
        panic!("a query");
    };
    let keys = CompileOptions {
        limit: None,
        relation_keys: true,
        ..CompileOptions::default()
    };
    let q = compile(&select, keys).unwrap();
    assert!(!q.text.contains("sum("), "{}", q.text);
}

#[test]
fn field_filters_compile_to_bound_values() {
    let sql = compiled(r#"?a visited ?b quote contains "Say \"hi\"" confidence > 0.25"#);
    assert!(
        sql.text
            .contains(r#""r0"."key" IN (SELECT "rowid" FROM "relation_text" WHERE "relation_text"."quote" MATCH ?"#),
        "{}",
        sql.text
    );
    assert!(
        sql.text.contains(r#""r0"."confidence" > ?"#),
        "{}",
        sql.text
    );
    // The words as one FTS5 phrase, its quotes doubled; never in the SQL text.
    assert!(sql
        .params
        .contains(&SqlParam::Text(r#""say ""hi""""#.into())));
    assert!(sql.params.contains(&SqlParam::Real(0.25)));
    assert!(!sql.text.contains("say"));
}

/// A `show` that only narrows is the unnarrowed query's statement (so SQLite reads its
/// rows in the same order), with the reader picking the shown columns; one followed by
/// `distinct` or `count` still narrows in SQL.
#[test]
fn a_pure_show_compiles_to_the_unnarrowed_statement() {
    let full = compiled("?s ?p ?o | limit 4");
    for text in [
        "?s ?p ?o | show ?o, s | limit 4",
        "?s ?p ?o | limit 4 | show o, s",
    ] {
        let shown = compiled(text);
        assert_eq!(shown.text, full.text, "{text}");
        assert_eq!(shown.params, full.params, "{text}");
        let names: Vec<&str> = shown.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["o", "s"], "{text}");
        let projection = shown.projection.expect("read by the reader");
        assert_eq!(projection.picks, [3, 0], "{text}");
        assert_eq!(projection.width, full.columns.len(), "{text}");
    }
    assert_eq!(full.projection, None);
    for text in [
        "?s ?p ?o | show ?o | distinct",
        "?s ?p ?o | show ?o | count",
    ] {
        let narrowed = compiled(text);
        assert_eq!(narrowed.projection, None, "{text}");
        assert_ne!(narrowed.text, full.text, "{text}");
    }
}

#[test]
fn with_a_copy_by_object_each_branch_reads_the_table_split_by_its_shared_entity() {
    let tables = |sql: &SqlQuery| -> Vec<String> {
        branches(sql)
            .iter()
            .map(|b| {
                let from = b.split("\nFROM ").nth(1).unwrap_or_default();
                from.lines().next().unwrap_or_default().to_string()
            })
            .collect()
    };
    // `Aliyev ?r1 ?x, ?x ?r2 ?y`: ?x is the entity both clauses hold; each branch reads
    // each clause from the table split by ?x's column.
    let q3 = compiled_for_copy("Aliyev ?r1 ?x, ?x ?r2 ?y", true);
    assert!(
        tables(&q3)[0].starts_with(r#""relation_by_object" AS "r0", "relation" AS "r1", "#),
        "{}",
        q3.text
    );
    let copies: Vec<usize> = tables(&q3)
        .iter()
        .map(|t| t.matches("relation_by_object").count())
        .collect();
    // Forward-forward: r0 by object; the other branches read one or both ways round.
    assert_eq!(copies, [1, 2, 0, 1]);
    // Without the copy, or on SQLite: `relation` throughout, the same SQL otherwise.
    let plain = compiled_for_copy("Aliyev ?r1 ?x, ?x ?r2 ?y", false);
    assert!(!plain.text.contains("relation_by_object"));
    assert_eq!(
        q3.text.replace("\"relation_by_object\"", "\"relation\""),
        plain.text
    );
    assert_eq!(q3.params, plain.params);
}

#[test]
fn with_a_copy_by_object_a_not_clause_reads_the_table_split_by_the_shared_entity() {
    let sql = compiled_for_copy("?who visited ?where, not _ received ?who", true).text;
    // ?who is the outer clause's subject (`relation`) and the inner one's object: the
    // subquery reads the copy split by object, in the same shard group.
    assert!(sql.contains(r#"FROM "relation" AS "r0""#), "{sql}");
    assert!(
        sql.contains(r#"EXISTS (SELECT 1 FROM "relation_by_object" AS "n1""#),
        "{sql}"
    );
}

#[test]
fn with_a_copy_by_object_a_not_clause_alone_is_asked_as_a_list() {
    let text = "?c:country, not ?c -- Iran";
    // No relation outside `not`: each way round is a list of the entities related to
    // Iran, read from the table split by Iran's column (its object, then its subject).
    let with = compiled_for_copy(text, true).text;
    for list in [
        r#""e0"."key" IN (SELECT "n1"."subject" FROM "relation_by_object" AS "n1" WHERE "n1"."object" = "#,
        r#""e0"."key" IN (SELECT "n2"."object" FROM "relation" AS "n2" WHERE "n2"."subject" = "#,
    ] {
        assert!(with.contains(list), "{with}");
    }
    assert!(!with.contains("EXISTS"), "{with}");
    let without = compiled_for_copy(text, false).text;
    assert!(
        without.contains("EXISTS (SELECT 1 FROM \"relation\" AS \"n1\""),
        "{without}"
    );
    // A relation that meets the outer query otherwise too (a label's time) stays a
    // correlated subquery.
    let labelled =
        compiled_for_copy("?who visited ?where @v, not _ received ?who on @v", true).text;
    assert!(labelled.contains("EXISTS (SELECT 1 FROM"), "{labelled}");
}

#[test]
fn with_a_copy_by_object_clauses_sharing_no_entity_read_the_first_on_its_own() {
    // The two clauses share no entity: the first, which fixes one, becomes a subquery
    // holding its own conditions; the second is joined to it by time.
    let text = "Pezeshkian visited Baku @v, ?a ?r ?b within @v";
    let with = compiled_for_copy(text, true).text;
    assert!(
        with.contains(r#"FROM (SELECT * FROM "relation" AS "r0" WHERE "r0"."subject" = "#),
        "{with}"
    );
    assert!(with.contains(r#") AS "r0", "relation" AS "r1""#), "{with}");
    // The same rows' SQL otherwise: without the copy the first clause is a table.
    let without = compiled_for_copy(text, false).text;
    assert!(!without.contains("SELECT * FROM"), "{without}");
    // A first clause that fixes no entity stays a table (a subquery would bring every
    // relation to the coordinator).
    let unfixed = compiled_for_copy("?x visited ?y @v, ?a ?r ?b within @v", true).text;
    assert!(!unfixed.contains("SELECT * FROM"), "{unfixed}");
}
