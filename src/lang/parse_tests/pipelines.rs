//! The grammar after the clauses: pipelines, paths, saved queries and labels.

use super::*;

// ---- Pipeline ----

#[test]
fn every_stage() {
    assert_eq!(
        stages_of("?x met ?y | show ?x, ?y.id, when, source, x.id | sort start desc, ?x asc, end | limit 10 | count | count by ?x, ?y.id | distinct | timeline"),
        vec![
            stage(StageKind::Show(vec![
                col_var("x", false),
                col_var("y", true),
                col("when"),
                col("source"),
                col("x.id")
            ])),
            stage(StageKind::Sort(vec![
                key(col("start"), true),
                key(col_var("x", false), false),
                key(col("end"), false)
            ])),
            stage(StageKind::Limit(10)),
            stage(StageKind::Count(vec![])),
            stage(StageKind::Count(vec![col_var("x", false), col_var("y", true)])),
            stage(StageKind::Distinct),
            stage(StageKind::Timeline),
        ]
    );
}

#[test]
fn columns_may_be_spelt_like_keywords() {
    assert_eq!(
        stages_of("?x met ?y | show status, count, in | sort asc desc"),
        vec![
            stage(StageKind::Show(vec![
                col("status"),
                col("count"),
                col("in")
            ])),
            stage(StageKind::Sort(vec![key(col("asc"), true)])),
        ]
    );
}

#[test]
fn stage_errors() {
    let e = err("?x met ?y | frobnicate");
    assert_eq!(
        e.to_string(),
        "expected a stage (show, sort, limit, count, distinct or timeline) at 1:13, found `frobnicate`"
    );
    let e = err("?x met ?y | limit ten");
    assert_eq!(e.message, "expected a whole number");
    let e = err("?x met ?y | limit 99999999999999999999999");
    assert_eq!(e.message, "the number 99999999999999999999999 is too large");
    let e = err("?x met ?y | show ?x.name");
    assert_eq!(e.message, "expected `id`");
    assert_eq!(e.col, 21);
    let e = err("?x met ?y | show");
    assert_eq!(
        e.to_string(),
        "expected a column (?var, ?var.id or a name such as when) at 1:17, found the end of the query"
    );
    let e = err("?x met ?y |");
    assert_eq!(e.col, 12);
    assert_eq!(e.expected, vec![words(Expect::Stage)]);
}

// ---- Paths ----

#[test]
fn path_with_every_option() {
    let tree = ok("path ?a to \"Pezeshkian\" max 3 via met|visited status planned|occurred | sort ?a | limit 2");
    assert_eq!(
        tree,
        statement(StatementKind::Path(PathQuery {
            from: var("a"),
            to: text("Pezeshkian"),
            max: Some(3),
            via: vec![id("met"), id("visited")],
            status: status_of(&["planned", "occurred"]),
            stages: vec![
                stage(StageKind::Sort(vec![key(col_var("a", false), false)])),
                stage(StageKind::Limit(2))
            ],
            span: sp(),
        }))
    );
    // Options in another order print in the canonical one.
    assert_eq!(
        canonical("path A to B status any via met max 2"),
        "path A to B max 2 via met status any"
    );
    // `|` after `via` starts a stage when a stage keyword follows.
    let StatementKind::Path(p) = ok("path A to B via met | count").kind else {
        panic!()
    };
    assert_eq!(p.via, vec![id("met")]);
    assert_eq!(p.stages, vec![stage(StageKind::Count(vec![]))]);
}

#[test]
fn path_errors() {
    let e = err("path Netanyahu Pezeshkian");
    assert_eq!(e.to_string(), "expected `to` at 1:16, found `Pezeshkian`");
    let e = err("path A to B max 2 max 3");
    assert_eq!(e.message, "`max` is given twice");
    assert_eq!(e.span, Span::new(18, 23));
    let e = err("path A to B foo");
    assert_eq!(
        e.message,
        "expected `max`, `via`, `status`, `|` or the end of the query"
    );
}

// ---- Saved queries ----

#[test]
fn save_in_every_form() {
    let body = query(
        vec![rel(
            var("x"),
            ids(&["visited"]),
            term(TermKind::Param("place".into())),
        )],
        vec![],
    );
    let save = |replace, params: Vec<Ident>| {
        statement(StatementKind::Save(SaveQuery {
            replace,
            name: id("visitors"),
            params,
            body: Box::new(body.clone()),
            span: sp(),
        }))
    };
    assert_eq!(
        ok("save visitors(place) = ?x visited $place"),
        save(false, vec![id("place")])
    );
    assert_eq!(
        ok("SAVE REPLACE visitors($place) = ?x visited $place"),
        save(true, vec![id("place")])
    );
    assert_eq!(
        ok("save visitors() = ?x visited $place"),
        save(false, vec![])
    );
    assert_eq!(ok("save visitors = ?x visited $place"), save(false, vec![]));
    assert_eq!(
        canonical("save q(a, $b) = path $a to $b max 2 | count"),
        "save q(a, b) = path $a to $b max 2 | count"
    );
    let tree = parse("save q(p) = ?x visited $p | count").unwrap();
    let StatementKind::Save(s) = &tree.kind else {
        panic!()
    };
    assert_eq!(s.body.span, Span::new(12, 33));
}

#[test]
fn save_errors() {
    let e = err("save q = save r = ?x met ?y");
    assert_eq!(
        e.message,
        "a saved query holds a query or a path, not `save`"
    );
    let e = err("save q(a, a) = ?x met $a");
    assert_eq!(e.message, "parameter `a` is listed twice");
    assert_eq!(e.hint.as_deref(), Some("it is first listed at 1:8"));
    let e = err("save in = ?x met ?y");
    assert_eq!(e.message, "expected a saved query name");
    assert!(e.to_string().contains("`in` is a keyword"), "{e}");
    let e = err("save q ?x met ?y");
    assert_eq!(e.to_string(), "expected `(` or `=` at 1:8, found `?x`");
    let e = err("save q(a b) = ?x met ?y");
    assert_eq!(e.message, "expected `,` or `)`");
}

#[test]
fn run_saved_and_drop() {
    let tree = ok("run visitors(Baku, \"باكو\", ?x, _, 2024, early 2025, today, 2024..2025, ..2024, $p, $p..$q) | count");
    let StatementKind::Run(r) = tree.kind else {
        panic!()
    };
    assert_eq!(r.name, id("visitors"));
    let args: Vec<ArgKind> = r.args.into_iter().map(|a| a.kind).collect();
    assert_eq!(
        args,
        vec![
            ArgKind::Term(name("Baku")),
            ArgKind::Term(text("باكو")),
            ArgKind::Term(var("x")),
            ArgKind::Term(term(TermKind::Any)),
            ArgKind::Period(date("2024")),
            ArgKind::Period(part_date(Part::Early, "2025")),
            ArgKind::Period(period(PeriodKind::Today)),
            ArgKind::Period(range(Some(date("2024")), Some(date("2025")))),
            ArgKind::Period(range(None, Some(date("2024")))),
            ArgKind::Term(term(TermKind::Param("p".into()))),
            ArgKind::Period(range(
                Some(period(PeriodKind::Param("p".into()))),
                Some(period(PeriodKind::Param("q".into())))
            )),
        ]
    );
    assert_eq!(r.stages, vec![stage(StageKind::Count(vec![]))]);
    assert_eq!(canonical("run q()"), "run q");
    assert_eq!(canonical("Run q | limit 1"), "run q | limit 1");
    assert_eq!(ok("saved"), statement(StatementKind::Saved));
    assert_eq!(
        ok("drop visitors"),
        statement(StatementKind::Drop(id("visitors")))
    );
    assert_eq!(err("saved now").message, "expected the end of the query");
    assert_eq!(err("drop").message, "expected a saved query name");
    assert_eq!(err("run q(Baku").message, "expected `,` or `)`");
}

#[test]
fn statement_keywords_first_begin_statements() {
    // A quoted first subject is a name.
    assert_eq!(
        one_clause("\"path\" leads_to Rome"),
        rel(text("path"), ids(&["leads_to"]), name("Rome")).kind
    );
    assert!(err("path leads_to Rome")
        .message
        .starts_with("expected `to`"));
}

// ---- Labels ----

#[test]
fn a_label_follows_the_terms_of_a_relation_clause() {
    let cs = clauses("Pezeshkian visited ?p @v, ?p ?r ?x after @v");
    assert_eq!(
        cs[0],
        clause(ClauseKind::Relation {
            subject: name("Pezeshkian"),
            predicate: ids(&["visited"]),
            object: var("p"),
            label: label("v"),
            filters: vec![],
            fields: vec![],
            status: None,
        })
    );
    assert_eq!(
        cs[1],
        rel_with(
            var("p"),
            pred(PredKind::Var("r".into())),
            var("x"),
            vec![filter(
                TimeFilterKind::After(period(PeriodKind::Label("v".into()))),
                false
            )],
            None
        )
    );
    // `--` clauses take labels too; label names follow the rules of variable names.
    let c = one_clause("Iran -- Azerbaijan @حدث");
    assert_eq!(label_of(&c).map(|l| l.name.as_str()), Some("حدث"));
    assert_eq!(label_of(&one_clause("?a met ?b @in")).unwrap().name, "in");
    // Under `not`.
    match &clauses("?x visited ?y, not ?x met ?y @m")[1].kind {
        ClauseKind::Not(inner) => assert_eq!(label_of(&inner.kind).unwrap().name, "m"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_label_may_stand_anywhere_among_the_modifiers_and_prints_first() {
    for text in [
        "?a ?r ?b @x in 2024 status any",
        "?a ?r ?b in 2024 @x status any",
        "?a ?r ?b in 2024 status any @x",
        "?a ?r ?b status any @x in 2024",
    ] {
        let c = one_clause(text);
        assert_eq!(label_of(&c).unwrap().name, "x", "{text}");
        assert_eq!(canonical(text), "?a ?r ?b @x in 2024 status any", "{text}");
    }
    assert_eq!(canonical("Iran--Azerbaijan@e"), "Iran -- Azerbaijan @e");
    // After a filter's keyword the label is its period; after the period, the clause's.
    let c = one_clause("?a ?r ?b after @x @y");
    assert_eq!(label_of(&c).unwrap().name, "y");
    assert_eq!(canonical("?a ?r ?b after @x @y"), "?a ?r ?b @y after @x");
}

#[test]
fn a_label_stands_for_a_period_in_every_time_filter() {
    let l = |n: &str| period(PeriodKind::Label(n.into()));
    let cases: Vec<(&str, TimeFilterKind, bool)> = vec![
        ("in @a", TimeFilterKind::In(l("a")), false),
        ("on @a", TimeFilterKind::On(l("a")), false),
        ("within @a", TimeFilterKind::Within(l("a")), true),
        ("since @a", TimeFilterKind::Since(l("a")), false),
        ("until @a", TimeFilterKind::Until(l("a")), false),
        (
            "between @a and @b",
            TimeFilterKind::Between(l("a"), l("b")),
            false,
        ),
        ("as of @a", TimeFilterKind::AsOf(l("a")), false),
        ("certainly as of @a", TimeFilterKind::AsOf(l("a")), true),
        ("before @a", TimeFilterKind::Before(l("a")), false),
        ("certainly before @a", TimeFilterKind::Before(l("a")), true),
        ("after @a", TimeFilterKind::After(l("a")), false),
        ("certainly after @a", TimeFilterKind::After(l("a")), true),
    ];
    for (text, kind, certainly) in cases {
        let (filters, _) = filters_of(&format!("?x ?r ?y {text}"));
        assert_eq!(filters, vec![filter(kind, certainly)], "{text}");
        assert_eq!(
            canonical(&format!("?x ?r ?y {text}")),
            format!("?x ?r ?y {text}")
        );
    }
    // Both ends of ranges.
    assert_eq!(
        the_period("@a..2024"),
        range(Some(l("a")), Some(date("2024")))
    );
    assert_eq!(
        the_period("2023..@b"),
        range(Some(date("2023")), Some(l("b")))
    );
    assert_eq!(the_period("@a..@b"), range(Some(l("a")), Some(l("b"))));
    assert_eq!(the_period("@a.."), range(Some(l("a")), None));
    assert_eq!(the_period("..@b"), range(None, Some(l("b"))));
}

#[test]
fn labels_in_saved_queries() {
    let text = "save f(e) = $e ?r ?x @a, ?x ?r2 ?y certainly after @a";
    assert_eq!(canonical(text), text);
}

#[test]
fn label_spans() {
    let tree = parse("?x visited ?y @visit, ?y ?r ?z after @visit").unwrap();
    let StatementKind::Query(q) = tree.kind else {
        panic!("a query")
    };
    assert_eq!(
        label_of(&q.clauses[0].kind).unwrap().span,
        Span::new(14, 20)
    );
    assert_eq!(q.clauses[0].span, Span::new(0, 20));
    let (filters, _) = match &q.clauses[1].kind {
        ClauseKind::Relation {
            filters, status, ..
        } => (filters, status),
        other => panic!("{other:?}"),
    };
    let TimeFilterKind::After(p) = &filters[0].kind else {
        panic!("{filters:?}")
    };
    assert_eq!(p.span, Span::new(37, 43));
}

#[test]
fn label_errors() {
    let e = err("?x visited ?y @a @b");
    assert_eq!(
        e.message,
        "a clause takes one label; this one already has `@a`"
    );
    assert_eq!(e.span, Span::new(17, 19));

    let e = err("?c:country @a");
    assert_eq!(
        e.message,
        "`@a` labels a relation, but `?c:country` is no relation clause"
    );
    assert_eq!(e.span, Span::new(11, 13));
    assert!(
        e.hint.as_deref().unwrap().contains("?c visited ?place @a"),
        "{e}"
    );

    // A label is no term.
    let e = err("@a visited Baku");
    assert!(e.hint.as_deref().unwrap().contains("is a label"), "{e}");
    let e = err("?x visited @a");
    assert!(e.hint.as_deref().unwrap().contains("is a label"), "{e}");

    // Labels stand for periods in time filters only, not in `run` arguments.
    let e = err("run f(@a)");
    assert!(e.hint.as_deref().unwrap().contains("is a label"), "{e}");
    let e = err("run f(2024..@a)");
    assert!(
        e.expected.contains(
            &"a period (such as 2024, 2024-05, early 2025, today, A..B or $param)".to_string()
        ),
        "{e}"
    );
    // `early` takes a date, not a label.
    let e = err("?a ?r ?b in early @x");
    assert_eq!(e.message, "expected a date (such as 2024 or 2024-05)");
    // `certainly` takes a filter, not a label.
    let e = err("?a ?r ?b certainly @x");
    assert_eq!(e.message, format!("expected {}", words(Expect::Filter)));
    let e = err("?a ?r ?b after @");
    assert!(e.message.contains("a label name right after `@`"), "{e}");
}
