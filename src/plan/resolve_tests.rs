//! Unit tests of the planner: labels of relation clauses and the periods they stand
//! for, and the errors of their misuse as people see them.

use super::*;
use crate::deadline::Deadline;
use crate::limits::MAX_NAME_CHARS;
use crate::plan::test_catalog::{test_context, TestCatalog, TEST_TODAY};

fn plan_with(catalog: &TestCatalog, text: &str) -> Result<Plan, PlanError> {
    let stmt = crate::lang::parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
    resolve(&stmt, text, catalog, &test_context(&Deadline::none()))
}

fn select(text: &str) -> Select {
    match plan_with(&TestCatalog::new(), text) {
        Ok(Plan::Select(s)) => s,
        other => panic!("{text:?}: {other:?}"),
    }
}

fn error(text: &str) -> PlanError {
    match plan_with(&TestCatalog::new(), text) {
        Err(e) => e,
        Ok(plan) => panic!("{text:?} planned as {plan:?}"),
    }
}

/// The error as the CLI and the REPL show it.
fn shown(text: &str) -> String {
    crate::error::Error::Plan(error(text)).render(Some(text))
}

/// The filters of top-level clause `i` (under any `not`).
fn filters(s: &Select, i: usize) -> Vec<Filter> {
    let mut c = &s.clauses[i];
    while let Clause::Not(inner) = c {
        c = inner;
    }
    match c {
        Clause::Relation(m) => m.filters.clone(),
        other => panic!("{other:?}"),
    }
}

fn day(y: i64, m: u32, d: u32) -> Bound {
    Bound::Day(time::day_from_ymd(y, m, d).expect("a valid day"))
}

fn filter(test: FilterTest, lo: Bound, hi: Bound) -> Filter {
    Filter { test, lo, hi }
}

/// `today` is the day the caller gives, not the clock's.
#[test]
fn today_is_the_day_given() {
    let s = select("?x visited ?y in today, ?y ?r ?z before today");
    let today = Bound::Day(*TEST_TODAY);
    assert_eq!(
        filters(&s, 0),
        vec![filter(FilterTest::Overlaps, today, today)]
    );
    assert_eq!(
        filters(&s, 1),
        vec![filter(FilterTest::Before, today, today)]
    );
    let stmt = crate::lang::parse("?x visited ?y in today").unwrap();
    let deadline = Deadline::none();
    let ctx = Context {
        today: TEST_TODAY.saturating_add(1),
        ..test_context(&deadline)
    };
    let Ok(Plan::Select(later)) = resolve(&stmt, "", &TestCatalog::new(), &ctx) else {
        panic!("a query");
    };
    let next = Bound::Day(TEST_TODAY.saturating_add(1));
    assert_eq!(
        filters(&later, 0),
        vec![filter(FilterTest::Overlaps, next, next)]
    );
}

#[test]
fn a_label_stands_for_the_period_its_relation_may_cover() {
    let s = select("Pezeshkian visited ?p @v, ?p ?r ?x after @v");
    assert!(filters(&s, 0).is_empty());
    assert_eq!(
        filters(&s, 1),
        vec![filter(
            FilterTest::After,
            Bound::StartOf(0),
            Bound::EndOf(0)
        )]
    );
}

#[test]
fn every_filter_reads_a_label_as_start_lo_to_end_hi() {
    let (a, b) = (Bound::StartOf(0), Bound::EndOf(0));
    let (c, d) = (Bound::StartOf(1), Bound::EndOf(1));
    let cases = [
        ("in @a", filter(FilterTest::Overlaps, a, b)),
        ("on @a", filter(FilterTest::Overlaps, a, b)),
        ("certainly in @a", filter(FilterTest::Within, a, b)),
        ("within @a", filter(FilterTest::Within, a, b)),
        (
            "since @a",
            filter(FilterTest::Overlaps, a, Bound::Day(POS_INF)),
        ),
        (
            "until @a",
            filter(FilterTest::Overlaps, Bound::Day(NEG_INF), b),
        ),
        ("between @a and @b", filter(FilterTest::Overlaps, a, d)),
        ("as of @a", filter(FilterTest::AsOf, a, b)),
        (
            "certainly as of @a",
            filter(FilterTest::CertainlyAsOf, a, b),
        ),
        ("before @a", filter(FilterTest::Before, a, b)),
        (
            "certainly before @a",
            filter(FilterTest::CertainlyBefore, a, b),
        ),
        ("after @a", filter(FilterTest::After, a, b)),
        (
            "certainly after @a",
            filter(FilterTest::CertainlyAfter, a, b),
        ),
        (
            "in @a..2024",
            filter(FilterTest::Overlaps, a, day(2024, 12, 31)),
        ),
        (
            "in 2024..@b",
            filter(FilterTest::Overlaps, day(2024, 1, 1), d),
        ),
        ("in @b..@a", filter(FilterTest::Overlaps, c, b)),
        (
            "in @a..",
            filter(FilterTest::Overlaps, a, Bound::Day(POS_INF)),
        ),
    ];
    for (text, want) in cases {
        let q = format!("Aliyev invited ?p @a, ?p visited ?x @b, ?p ?r ?y {text}");
        assert_eq!(filters(&select(&q), 2), vec![want], "{q}");
    }
}

#[test]
fn labels_may_be_used_before_they_are_given() {
    let s = select("?p ?r ?x certainly after @v, Pezeshkian visited ?p @v");
    assert_eq!(
        filters(&s, 0),
        vec![filter(
            FilterTest::CertainlyAfter,
            Bound::StartOf(1),
            Bound::EndOf(1)
        )]
    );
}

#[test]
fn relation_clauses_are_numbered_without_kind_and_not_clauses() {
    let s = select(
        "?c:country, ?p president_of ?c @pres, not ?p met _ @m, Pezeshkian visited ?x @v, \
         ?x ?r ?y after @v before @pres",
    );
    assert_eq!(
        filters(&s, 4),
        vec![
            filter(FilterTest::After, Bound::StartOf(1), Bound::EndOf(1)),
            filter(FilterTest::Before, Bound::StartOf(0), Bound::EndOf(0)),
        ]
    );
    // `--` clauses are relation clauses too.
    let s = select("Iran -- Azerbaijan @e, Iran ?r ?x after @e");
    assert_eq!(
        filters(&s, 1),
        vec![filter(
            FilterTest::After,
            Bound::StartOf(0),
            Bound::EndOf(0)
        )]
    );
}

#[test]
fn a_not_clause_may_use_the_labels_of_positive_clauses() {
    let s = select("Pezeshkian visited ?p @v, not ?p met _ certainly before @v");
    assert_eq!(
        filters(&s, 1),
        vec![filter(
            FilterTest::CertainlyBefore,
            Bound::StartOf(0),
            Bound::EndOf(0)
        )]
    );
}

#[test]
fn a_label_never_empties_a_period() {
    // Whether `@a` ends before 2020 is the data's to say: no error at planning.
    let s = select("Aliyev invited ?p @a, ?p ?r ?y between @a and 2020");
    assert_eq!(
        filters(&s, 1),
        vec![filter(
            FilterTest::Overlaps,
            Bound::StartOf(0),
            day(2020, 12, 31)
        )]
    );
    // Fixed days still are checked.
    assert!(matches!(
        error("?p ?r ?y between 2024 and 2020").kind,
        PlanErrorKind::EmptyPeriod { .. }
    ));
}

#[test]
fn queries_without_labels_use_days() {
    let s = select("?p ?r ?y after 2024 until 2025-03");
    assert_eq!(
        filters(&s, 0),
        vec![
            filter(FilterTest::After, day(2024, 1, 1), day(2024, 12, 31)),
            filter(FilterTest::Overlaps, Bound::Day(NEG_INF), day(2025, 3, 31)),
        ]
    );
}

#[test]
fn saved_queries_keep_their_labels() {
    let body = "$e ?r ?x @a, ?x ?r2 ?y certainly after @a";
    let text = format!("save later(e) = {body}");
    match plan_with(&TestCatalog::new(), &text) {
        Ok(Plan::Save {
            name,
            params,
            body: saved,
            ..
        }) => {
            assert_eq!(name, "later");
            assert_eq!(params, ["e"]);
            assert_eq!(saved, body);
        }
        other => panic!("{other:?}"),
    }
    let catalog = TestCatalog::new().with_saved("later", &["e"], body);
    let Ok(Plan::Select(s)) = plan_with(&catalog, "run later(Aliyev) | count") else {
        panic!("run later(Aliyev) plans to a select")
    };
    assert_eq!(
        filters(&s, 1),
        vec![filter(
            FilterTest::CertainlyAfter,
            Bound::StartOf(0),
            Bound::EndOf(0)
        )]
    );
    // A body's label errors are found when it is saved.
    let e = plan_with(&TestCatalog::new(), "save bad(e) = $e ?r ?x after @nowhere")
        .expect_err("an unknown label");
    assert!(
        matches!(e.kind, PlanErrorKind::UnknownLabel { .. }),
        "{e:?}"
    );
}

#[test]
fn label_errors_name_the_label_and_point_at_it() {
    let e = error("Aliyev invited ?p @a, ?p visited ?x @a");
    assert_eq!(e.kind, PlanErrorKind::DuplicateLabel { name: "a".into() });
    assert_eq!(e.span, Some(Span::new(36, 38)));

    let e = error("Aliyev invited ?p @visit, ?p ?r ?x after @vist");
    assert_eq!(
        e.kind,
        PlanErrorKind::UnknownLabel {
            name: "vist".into(),
            suggestions: vec!["visit".into()],
            defined: vec!["visit".into()],
        }
    );
    assert_eq!(e.span, Some(Span::new(41, 46)));

    let e = error("Aliyev invited ?p @a, ?p ?r ?x after @a, ?x ?r2 ?y before @x");
    assert!(
        matches!(e.kind, PlanErrorKind::UnknownLabel { .. }),
        "{e:?}"
    );

    let e = error("Aliyev invited ?p @a after @a");
    assert_eq!(e.kind, PlanErrorKind::OwnLabel { name: "a".into() });
    assert_eq!(e.span, Some(Span::new(27, 29)));

    // Inside `not`, its own label is its own still.
    let e = error("Aliyev invited ?p, not ?p met _ @m after @m");
    assert_eq!(e.kind, PlanErrorKind::OwnLabel { name: "m".into() });

    let e = error("Aliyev invited ?p, not ?p met _ @m, ?p ?r ?x after @m");
    assert_eq!(e.kind, PlanErrorKind::LabelInsideNot { name: "m".into() });
    // … and from another `not` clause.
    let e = error("Aliyev invited ?p, not ?p met _ @m, not ?p visited _ after @m");
    assert_eq!(e.kind, PlanErrorKind::LabelInsideNot { name: "m".into() });
    // Two clauses cannot share a label even when one is under `not`.
    let e = error("Aliyev invited ?p @m, not ?p met _ @m");
    assert_eq!(e.kind, PlanErrorKind::DuplicateLabel { name: "m".into() });
}

#[test]
fn snapshot_duplicate_label() {
    insta::assert_snapshot!(shown(
        "Pezeshkian visited ?p @v,\n  Aliyev received ?g @v,\n  ?g ?r ?x after @v"
    ));
}

#[test]
fn snapshot_unknown_label_with_a_suggestion() {
    insta::assert_snapshot!(shown("Pezeshkian visited ?p @visit, ?p ?r ?x after @vistt"));
}

#[test]
fn snapshot_unknown_label_none_given() {
    insta::assert_snapshot!(shown("Pezeshkian visited ?p, ?p ?r ?x after @visit"));
}

#[test]
fn snapshot_unknown_label_far_from_those_given() {
    insta::assert_snapshot!(shown(
        "Pezeshkian visited ?p @v, Aliyev invited ?p @inv, ?p ?r ?x after @zzzz"
    ));
}

#[test]
fn snapshot_own_label() {
    insta::assert_snapshot!(shown("\"بيزيشكيان\" visited ?p @v certainly after @v"));
}

#[test]
fn snapshot_label_inside_not() {
    insta::assert_snapshot!(shown(
        "Pezeshkian visited ?p, not Aliyev invited Pezeshkian @i, ?p ?r ?x after @i"
    ));
}

// ---- Limits ----

fn planned(catalog: &TestCatalog, text: &str, deadline: &Deadline) -> Result<Plan, PlanError> {
    let stmt = crate::lang::parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
    resolve(&stmt, text, catalog, &test_context(deadline))
}

#[test]
fn an_unknown_argument_of_a_saved_query_is_shown_where_it_was_written() {
    let catalog = TestCatalog::new()
        .with_saved("visitors", &["place"], "?who visited $place")
        .with_saved("outer", &["p"], "run visitors($p) | count");
    for text in ["run visitors(Bakuu)", "run outer(Bakuu)"] {
        let e = planned(&catalog, text, &Deadline::none()).unwrap_err();
        assert!(
            matches!(e.kind, K::UnknownEntity { .. }),
            "{text}: {:?}",
            e.kind
        );
        let at = text.find("Bakuu").unwrap();
        assert_eq!(e.span, Some(Span::new(at, at + 5)), "{text}");
        let shown = crate::error::Error::Plan(e).render(Some(text));
        assert!(!shown.contains("no longer runs"), "{shown}");
    }
    // A literal argument inside a saved body is the body's: the body no longer runs.
    let catalog = TestCatalog::new()
        .with_saved("visitors", &["place"], "?who visited $place")
        .with_saved("broken", &[], "run visitors(Bakuu)");
    let e = planned(&catalog, "run broken", &Deadline::none()).unwrap_err();
    assert!(matches!(e.kind, K::SavedQueryBody { .. }), "{:?}", e.kind);
    assert_eq!(e.span, Some(Span::new(0, 10)));
}

#[test]
fn an_unknown_saved_query_suggests_the_names_close_to_it() {
    let catalog = TestCatalog::new().with_saved("visitors", &["place"], "?who visited $place");
    let e = planned(&catalog, "run visitorz(Baku)", &Deadline::none()).unwrap_err();
    assert_eq!(
        e.kind,
        K::UnknownSavedQuery {
            name: "visitorz".into(),
            suggestions: vec!["visitors".into()]
        }
    );
}

#[test]
fn a_saved_query_running_itself_is_said_once_with_its_loop() {
    let catalog =
        TestCatalog::new()
            .with_saved("a", &[], "run b")
            .with_saved("b", &[], "run a | count");
    let e = planned(&catalog, "run a", &Deadline::none()).unwrap_err();
    assert_eq!(
        e.kind,
        K::RunLoop {
            chain: vec!["a".into(), "b".into(), "a".into()]
        }
    );
    assert_eq!(e.span, Some(Span::new(0, 5)));
    let shown = crate::error::Error::Plan(e).render(Some("run a"));
    assert_eq!(shown.matches("runs itself").count(), 1, "{shown}");
    assert!(shown.contains("run a → b → a"), "{shown}");
    assert!(!shown.contains("no longer runs"), "{shown}");
}

#[test]
fn saved_queries_nested_too_deep_name_their_chain() {
    let mut catalog = TestCatalog::new().with_saved("q20", &[], "?x visited ?y");
    for i in 0..20 {
        catalog = catalog.with_saved(&format!("q{i}"), &[], &format!("run q{}", i + 1));
    }
    assert!(planned(&catalog, "run q13", &Deadline::none()).is_ok());
    let e = planned(&catalog, "run q0", &Deadline::none()).unwrap_err();
    let chain: Vec<String> = (0..=MAX_RUN_DEPTH).map(|i| format!("q{i}")).collect();
    assert_eq!(e.kind, K::RunTooDeep { chain });
    assert!(e.to_string().contains("run q0 → q1 → "), "{e}");
}

#[test]
fn an_unknown_name_past_the_limit_gets_no_suggestions_and_says_so() {
    // `Iran` repeated is close to `Iran` by words, but is never compared with it.
    let long = "Iran ".repeat(MAX_NAME_CHARS);
    for (text, at) in [
        (format!("Iran -- \"{long}\""), 8),
        (format!("?a {} ?b", "visited".repeat(200)), 3),
        (format!("?a:{}", "person".repeat(200)), 3),
        (format!("path Iran to \"{long}\""), 13),
    ] {
        let e = error(&text);
        assert_eq!(e.span.map(|s| s.start), Some(at), "{text}");
        let hint = e.hint().unwrap_or_default();
        assert!(
            hint.contains("no similar names are searched"),
            "{text}: {hint}"
        );
        assert!(shown(&text).len() < 800, "{}", shown(&text));
    }
    // At the limit, similar names are searched for.
    let text = format!("Iran -- {}", "b".repeat(MAX_NAME_CHARS));
    let e = error(&text);
    assert!(matches!(e.kind, K::UnknownEntity { .. }), "{e:?}");
    assert!(!e.hint().unwrap_or_default().contains("searched"), "{e:?}");
    assert!(e.to_string().len() < 100, "{e}");
}

#[test]
fn a_passed_deadline_stops_planning() {
    let deadline = Deadline::after(std::time::Duration::from_nanos(1));
    std::thread::sleep(std::time::Duration::from_millis(1));
    let e = planned(&TestCatalog::new(), "?x visited Baku", &deadline).unwrap_err();
    assert!(
        matches!(e.kind, K::Stopped(crate::deadline::Stop::Timeout(_))),
        "{e:?}"
    );
    assert!(!e.is_user_error());
}
