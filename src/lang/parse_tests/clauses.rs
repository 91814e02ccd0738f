//! The grammar of clauses: LANGUAGE.md's examples, lexical rules, terms, predicates, time filters and statuses.

use super::*;

// ---- The examples of LANGUAGE.md ----

#[test]
fn examples_of_language_md() {
    assert_eq!(
        ok("?who visited Baku"),
        query(
            vec![rel(var("who"), ids(&["visited"]), name("Baku"))],
            vec![]
        )
    );
    assert_eq!(
        ok("?who visited Baku status any"),
        query(
            vec![rel_with(
                var("who"),
                ids(&["visited"]),
                name("Baku"),
                vec![],
                status_any()
            )],
            vec![]
        )
    );
    assert_eq!(
        ok("\"بيزيشكيان\" visited ?where"),
        query(
            vec![rel(text("بيزيشكيان"), ids(&["visited"]), var("where"))],
            vec![]
        )
    );
    assert_eq!(
        ok("\"الهام علييف\" received ?guest"),
        query(
            vec![rel(text("الهام علييف"), ids(&["received"]), var("guest"))],
            vec![]
        )
    );
    assert_eq!(
        ok("?x supplies_arms_to Azerbaijan"),
        query(
            vec![rel(
                var("x"),
                ids(&["supplies_arms_to"]),
                name("Azerbaijan")
            )],
            vec![]
        )
    );
    assert_eq!(
        ok("Iran -- Azerbaijan | sort start"),
        query(
            vec![between(name("Iran"), name("Azerbaijan"))],
            vec![stage(StageKind::Sort(vec![key(col("start"), false)]))]
        )
    );
    assert_eq!(
        ok("?a ?r ?b within 2024"),
        query(
            vec![rel_with(
                var("a"),
                pred(PredKind::Var("r".into())),
                var("b"),
                vec![filter(TimeFilterKind::Within(date("2024")), true)],
                None
            )],
            vec![]
        )
    );
    assert_eq!(
        filters_of("?a ?r ?b certainly as of 2024-01-01").0,
        vec![filter(TimeFilterKind::AsOf(date("2024-01-01")), true)]
    );
    assert_eq!(
        filters_of("?a ?r ?b certainly before 2024").0,
        vec![filter(TimeFilterKind::Before(date("2024")), true)]
    );
    assert_eq!(
        ok("?c:country, not ?c -- Israel, not ?c -- Iran"),
        query(
            vec![
                clause(ClauseKind::Kind {
                    var: id("c"),
                    kind: id("country")
                }),
                not(between(var("c"), name("Israel"))),
                not(between(var("c"), name("Iran"))),
            ],
            vec![]
        )
    );
    assert_eq!(
        ok("?x visited _ | count by ?x"),
        query(
            vec![rel(var("x"), ids(&["visited"]), term(TermKind::Any))],
            vec![stage(StageKind::Count(vec![col_var("x", false)]))]
        )
    );
    let path = |status| {
        statement(StatementKind::Path(PathQuery {
            from: name("Netanyahu"),
            to: name("Pezeshkian"),
            max: None,
            via: vec![],
            status,
            stages: vec![],
            span: sp(),
        }))
    };
    assert_eq!(ok("path Netanyahu to Pezeshkian"), path(None));
    assert_eq!(
        ok("path Netanyahu to Pezeshkian status any"),
        path(status_any())
    );
    // An unknown name is the planner's business: it parses.
    assert_eq!(
        ok("?who visited Bakku"),
        query(
            vec![rel(var("who"), ids(&["visited"]), name("Bakku"))],
            vec![]
        )
    );
}

// ---- Lexical rules ----

#[test]
fn whitespace_newlines_and_comments_separate_tokens() {
    assert_eq!(
        ok("?who   visited\n\tBaku # who went there\n| count # how many"),
        ok("?who visited Baku | count")
    );
    assert_eq!(ok("# a comment\n?x visited Baku"), ok("?x visited Baku"));
}

#[test]
fn keywords_are_case_insensitive() {
    assert_eq!(
        canonical("?x visited Baku CERTAINLY In 2024 AS OF 2025 Status PLANNED | COUNT BY ?x | Sort ?x DESC | LIMIT 3"),
        "?x visited Baku certainly in 2024 as of 2025 status PLANNED | count by ?x | sort ?x desc | limit 3"
    );
    assert!(matches!(
        ok("PATH a TO b MAX 2 VIA met").kind,
        StatementKind::Path(_)
    ));
    assert_eq!(
        canonical("?a -- ?b WITHIN Early 2024"),
        "?a -- ?b within early 2024"
    );
    assert!(matches!(ok("SAVED").kind, StatementKind::Saved));
    assert_eq!(
        canonical("?x visited Baku status ANY"),
        "?x visited Baku status any"
    );
}

#[test]
fn identifiers_in_any_script() {
    assert_eq!(
        one_clause("?شخص زار باكو"),
        rel(var("شخص"), ids(&["زار"]), name("باكو")).kind
    );
    assert_eq!(
        one_clause("東京 姉妹都市 ?city_2"),
        rel(name("東京"), ids(&["姉妹都市"]), var("city_2")).kind
    );
    assert_eq!(
        one_clause("_private met_with Ünal"),
        rel(name("_private"), ids(&["met_with"]), name("Ünal")).kind
    );
}

#[test]
fn strings_with_escapes_and_any_length() {
    assert_eq!(
        one_clause(r#""say \"hi\" \\ there" is """#),
        rel(text(r#"say "hi" \ there"#), ids(&["is"]), text("")).kind
    );
    let long = "ب".repeat(100_000);
    assert_eq!(
        one_clause(&format!("\"{long}\" -- _")),
        between(text(&long), term(TermKind::Any)).kind
    );
    // Strings may hold anything, keywords and newlines included.
    assert_eq!(
        one_clause("\"in\" -- \"a\nb # c\""),
        between(text("in"), text("a\nb # c")).kind
    );
}

// ---- Terms and predicates ----

#[test]
fn every_kind_of_term() {
    assert_eq!(
        one_clause("?x:person met $p"),
        rel(
            kvar("x", "person"),
            ids(&["met"]),
            term(TermKind::Param("p".into()))
        )
        .kind
    );
    assert_eq!(
        one_clause("_ met \"Baku\""),
        rel(term(TermKind::Any), ids(&["met"]), text("Baku")).kind
    );
    // Variables and parameters may be spelt like keywords: their sigil tells them apart.
    assert_eq!(
        one_clause("?in met $to"),
        rel(var("in"), ids(&["met"]), term(TermKind::Param("to".into()))).kind
    );
    // Statement keywords are names after the first word.
    assert_eq!(
        one_clause("?x run path"),
        rel(var("x"), ids(&["run"]), name("path")).kind
    );
}

#[test]
fn every_kind_of_predicate() {
    assert_eq!(
        one_clause("?a visited|met|called ?b"),
        rel(var("a"), ids(&["visited", "met", "called"]), var("b")).kind
    );
    assert_eq!(
        one_clause("?a ?rel ?b"),
        rel(var("a"), pred(PredKind::Var("rel".into())), var("b")).kind
    );
    assert_eq!(
        one_clause("?a * ?b"),
        rel(var("a"), pred(PredKind::Any), var("b")).kind
    );
    // `|` in predicate position joins ids, except before a stage keyword: the object
    // is missing there.
    assert_eq!(
        one_clause("?a met|said|in_touch_with ?b"),
        rel(var("a"), ids(&["met", "said", "in_touch_with"]), var("b")).kind
    );
    let e = err("?who visited | count");
    assert_eq!(
        e.to_string(),
        "expected a term (?var, _, a name or \"text\") at 1:14, found `|`"
    );
    let e = err("?a met|in ?b");
    assert!(e.to_string().contains("`in` is a keyword"), "{e}");
}

#[test]
fn kind_clause_stands_alone_or_as_a_subject() {
    assert_eq!(
        clauses("?p:person, ?p visited Baku"),
        vec![
            clause(ClauseKind::Kind {
                var: id("p"),
                kind: id("person")
            }),
            rel(var("p"), ids(&["visited"]), name("Baku"))
        ]
    );
    assert_eq!(
        one_clause("?p:person visited Baku"),
        rel(kvar("p", "person"), ids(&["visited"]), name("Baku")).kind
    );
    assert_eq!(
        one_clause("?p:person -- Baku"),
        between(kvar("p", "person"), name("Baku")).kind
    );
    assert_eq!(stages_of("?p:person | count").len(), 1);
}

#[test]
fn not_nests_up_to_the_limit() {
    assert_eq!(
        one_clause("not not ?a met ?b"),
        not(not(rel(var("a"), ids(&["met"]), var("b")))).kind
    );
    let deep = format!("?a met ?b, {}?a met ?c", "not ".repeat(MAX_NOT_DEPTH));
    assert_eq!(clauses(&deep).len(), 2);
    let too_deep = format!("?a met ?b, {}?a met ?c", "NOT ".repeat(MAX_NOT_DEPTH + 1));
    let e = err(&too_deep);
    assert_eq!(
        e.message,
        format!("more than {MAX_NOT_DEPTH} `not` in a row")
    );
    assert_eq!(e.span.start, 11 + 4 * MAX_NOT_DEPTH);
}

/// Trees compare by what they say: the same statement spaced otherwise is equal, though
/// its spans differ; another name is not.
#[test]
fn trees_compare_without_their_spans() {
    let tree = parse("?x visited Baku in 2024 | count by ?x").unwrap();
    let spaced = parse("  ?x   visited\n Baku in 2024|count by ?x").unwrap();
    assert_eq!(tree, spaced);
    assert_ne!(tree.span, spaced.span);
    assert_ne!(
        tree,
        parse("?x visited Bakou in 2024 | count by ?x").unwrap()
    );
    assert_ne!(
        tree,
        parse("?x visited Baku in 2025 | count by ?x").unwrap()
    );
}

#[test]
fn spans_cover_what_was_written() {
    let src = "?x visited \"Baku\" in 2024 | count";
    let tree = parse(src).unwrap();
    assert_eq!(tree.span, Span::new(0, src.len()));
    let StatementKind::Query(q) = &tree.kind else {
        panic!()
    };
    assert_eq!(q.clauses[0].span, Span::new(0, 25));
    let ClauseKind::Relation {
        subject,
        predicate,
        object,
        filters,
        ..
    } = &q.clauses[0].kind
    else {
        panic!()
    };
    assert_eq!(&src[subject.span.start..subject.span.end], "?x");
    assert_eq!(&src[predicate.span.start..predicate.span.end], "visited");
    assert_eq!(&src[object.span.start..object.span.end], "\"Baku\"");
    assert_eq!(&src[filters[0].span.start..filters[0].span.end], "in 2024");
    assert_eq!(&src[q.stages[0].span.start..q.stages[0].span.end], "count");
    // The kind clause's identifiers point at the name and at the kind.
    let src = "  ?c:country";
    let tree = parse(src).unwrap();
    let StatementKind::Query(q) = &tree.kind else {
        panic!()
    };
    let ClauseKind::Kind { var, kind } = &q.clauses[0].kind else {
        panic!()
    };
    assert_eq!(&src[var.span.start..var.span.end], "?c");
    assert_eq!(&src[kind.span.start..kind.span.end], "country");
}

// ---- Time filters and periods ----

#[test]
fn every_time_filter() {
    let cases: Vec<(&str, TimeFilterKind, bool)> = vec![
        ("in 2025", TimeFilterKind::In(date("2025")), false),
        (
            "on 2025-04-28",
            TimeFilterKind::On(date("2025-04-28")),
            false,
        ),
        ("within 2024", TimeFilterKind::Within(date("2024")), true),
        (
            "certainly within 2024",
            TimeFilterKind::Within(date("2024")),
            true,
        ),
        ("since 2023", TimeFilterKind::Since(date("2023")), false),
        (
            "until 2024-06",
            TimeFilterKind::Until(date("2024-06")),
            false,
        ),
        (
            "between 2023 and mid 2024",
            TimeFilterKind::Between(date("2023"), part_date(Part::Mid, "2024")),
            false,
        ),
        (
            "as of 2024-01-01",
            TimeFilterKind::AsOf(date("2024-01-01")),
            false,
        ),
        ("before 2024", TimeFilterKind::Before(date("2024")), false),
        (
            "after today",
            TimeFilterKind::After(period(PeriodKind::Today)),
            false,
        ),
        ("certainly in 2025", TimeFilterKind::In(date("2025")), true),
        ("certainly on 2025", TimeFilterKind::On(date("2025")), true),
        (
            "certainly since 2025",
            TimeFilterKind::Since(date("2025")),
            true,
        ),
        (
            "certainly until 2025",
            TimeFilterKind::Until(date("2025")),
            true,
        ),
        (
            "certainly between 2025 and 2026",
            TimeFilterKind::Between(date("2025"), date("2026")),
            true,
        ),
        (
            "certainly after 2025",
            TimeFilterKind::After(date("2025")),
            true,
        ),
    ];
    for (written, kind, certainly) in cases {
        let (filters, status) = filters_of(&format!("?a met ?b {written}"));
        assert_eq!(filters, vec![filter(kind, certainly)], "{written}");
        assert_eq!(status, None);
    }
}

#[test]
fn several_filters_and_a_status_in_any_order() {
    let (filters, status) =
        filters_of("?a met ?b status planned since 2023 certainly before 2025-06");
    assert_eq!(
        filters,
        vec![
            filter(TimeFilterKind::Since(date("2023")), false),
            filter(TimeFilterKind::Before(date("2025-06")), true)
        ]
    );
    assert_eq!(status, status_of(&["planned"]));
    assert_eq!(
        canonical("?a met ?b status planned since 2023 certainly before 2025-06"),
        "?a met ?b since 2023 certainly before 2025-06 status planned"
    );
    let (filters, _) = filters_of("Iran -- Israel in 2024 after early 2024");
    assert_eq!(filters.len(), 2);
}

#[test]
fn every_period() {
    for t in [
        "2025",
        "2025-04",
        "2025-04-28",
        "2024-Q3",
        "2024-H2",
        "-0100",
        "19XX",
        "2024-06~",
        "2024?",
        "Y170000002",
        "Y-170000002",
    ] {
        assert_eq!(the_period(t), date(t), "{t}");
    }
    assert_eq!(the_period("early 2025"), part_date(Part::Early, "2025"));
    assert_eq!(the_period("mid 2024"), part_date(Part::Mid, "2024"));
    assert_eq!(the_period("LATE 2024"), part_date(Part::Late, "2024"));
    assert_eq!(
        the_period("early 2025-02"),
        part_date(Part::Early, "2025-02")
    );
    assert_eq!(the_period("today"), period(PeriodKind::Today));
    assert_eq!(
        the_period("$when"),
        period(PeriodKind::Param("when".into()))
    );
}

#[test]
fn every_range() {
    assert_eq!(
        the_period("2024..2025-03"),
        range(Some(date("2024")), Some(date("2025-03")))
    );
    assert_eq!(
        the_period("2024 .. 2025"),
        range(Some(date("2024")), Some(date("2025")))
    );
    assert_eq!(the_period("2024.."), range(Some(date("2024")), None));
    assert_eq!(the_period("..2024-06"), range(None, Some(date("2024-06"))));
    assert_eq!(
        the_period("late 2023..today"),
        range(
            Some(part_date(Part::Late, "2023")),
            Some(period(PeriodKind::Today))
        )
    );
    assert_eq!(
        the_period("$from..$to"),
        range(
            Some(period(PeriodKind::Param("from".into()))),
            Some(period(PeriodKind::Param("to".into())))
        )
    );
    assert_eq!(
        the_period("-0100..-0050"),
        range(Some(date("-0100")), Some(date("-0050")))
    );
    // An open range ends where the next filter starts.
    let (filters, status) = filters_of("?a met ?b since 2024.. status any");
    assert_eq!(
        filters,
        vec![filter(
            TimeFilterKind::Since(range(Some(date("2024")), None)),
            false
        )]
    );
    assert_eq!(status, status_any());
}

#[test]
fn ranges_do_not_chain() {
    let e = err("?a met ?b in 2024..2025..2026");
    assert_eq!((e.line, e.col), (1, 24));
    assert!(
        e.expected.contains(
            &"a time filter (in, on, within, since, until, between, as of, before or after)"
                .to_string()
        ),
        "{e}"
    );
    let e = err("?a met ?b in ..");
    assert_eq!(e.col, 16);
    assert_eq!(
        e.hint.as_deref(),
        Some("a range needs a start, an end or both")
    );
}

// ---- Status ----

#[test]
fn every_status_filter() {
    assert_eq!(
        filters_of("?a met ?b status planned").1,
        status_of(&["planned"])
    );
    assert_eq!(
        filters_of("?a met ?b status denied").1,
        status_of(&["denied"])
    );
    assert_eq!(filters_of("?a met ?b status any").1, status_any());
    assert_eq!(
        filters_of("?a met ?b status occurred|planned | alleged").1,
        status_of(&["occurred", "planned", "alleged"])
    );
    // A status word the planner will refuse still parses.
    assert_eq!(
        filters_of("?a met ?b status rumoured").1,
        status_of(&["rumoured"])
    );
}

#[test]
fn status_list_stops_before_a_stage() {
    let tree = ok("?x visited Baku status planned | count");
    assert_eq!(
        tree,
        query(
            vec![rel_with(
                var("x"),
                ids(&["visited"]),
                name("Baku"),
                vec![],
                status_of(&["planned"])
            )],
            vec![stage(StageKind::Count(vec![]))]
        )
    );
    assert_eq!(
        stages_of("?x met ?y status occurred|planned | sort ?x | limit 5").len(),
        2
    );
}

#[test]
fn status_errors() {
    let e = err("?a met ?b status any|planned");
    assert_eq!(e.message, "`any` cannot be combined with other statuses");
    let e = err("?a met ?b status planned status any");
    assert_eq!(e.message, "a clause takes one `status` filter");
    assert_eq!(e.span, Span::new(25, 35));
    let e = err("?a met ?b status | count");
    assert_eq!(
        e.to_string(),
        "expected a status (occurred, planned, alleged, denied, postponed, cancelled or any) \
         at 1:18, found `|`"
    );
}
