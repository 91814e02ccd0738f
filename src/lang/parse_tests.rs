//! Unit tests of the grammar: every construct of LANGUAGE.md, its examples, the errors
//! (positions and messages) and hostile input.

use super::*;
use crate::lang::snippet;

/// How an expectation is named in error messages.
fn words(e: Expect) -> String {
    e.describe().unwrap_or_default().into_owned()
}

// ---- Builders of span-free trees ----

fn sp() -> Span {
    Span::default()
}

fn id(name: &str) -> Ident {
    Ident {
        name: name.into(),
        span: sp(),
    }
}

fn term(kind: TermKind) -> Term {
    Term { kind, span: sp() }
}

fn var(name: &str) -> Term {
    term(TermKind::Var {
        name: name.into(),
        kind: None,
    })
}

fn kvar(name: &str, kind: &str) -> Term {
    term(TermKind::Var {
        name: name.into(),
        kind: Some(id(kind)),
    })
}

fn name(n: &str) -> Term {
    term(TermKind::Name(n.into()))
}

fn text(t: &str) -> Term {
    term(TermKind::Text(t.into()))
}

fn pred(kind: PredKind) -> Pred {
    Pred { kind, span: sp() }
}

fn ids(names: &[&str]) -> Pred {
    pred(PredKind::Ids(names.iter().map(|n| id(n)).collect()))
}

fn period(kind: PeriodKind) -> Period {
    Period { kind, span: sp() }
}

fn date(t: &str) -> Period {
    period(PeriodKind::Date {
        part: None,
        text: t.into(),
    })
}

fn part_date(part: Part, t: &str) -> Period {
    period(PeriodKind::Date {
        part: Some(part),
        text: t.into(),
    })
}

fn range(from: Option<Period>, to: Option<Period>) -> Period {
    period(PeriodKind::Range {
        from: from.map(Box::new),
        to: to.map(Box::new),
    })
}

fn filter(kind: TimeFilterKind, certainly: bool) -> TimeFilter {
    TimeFilter {
        kind,
        certainly,
        span: sp(),
    }
}

fn status_of(words: &[&str]) -> Option<StatusFilter> {
    Some(StatusFilter {
        kind: StatusFilterKind::Of(words.iter().map(|w| id(w)).collect()),
        span: sp(),
    })
}

fn status_any() -> Option<StatusFilter> {
    Some(StatusFilter {
        kind: StatusFilterKind::Any,
        span: sp(),
    })
}

fn clause(kind: ClauseKind) -> Clause {
    Clause { kind, span: sp() }
}

fn rel(subject: Term, predicate: Pred, object: Term) -> Clause {
    rel_with(subject, predicate, object, vec![], None)
}

fn rel_with(
    subject: Term,
    predicate: Pred,
    object: Term,
    filters: Vec<TimeFilter>,
    status: Option<StatusFilter>,
) -> Clause {
    clause(ClauseKind::Relation {
        subject,
        predicate,
        object,
        label: None,
        filters,
        fields: vec![],
        status,
    })
}

fn between(left: Term, right: Term) -> Clause {
    clause(ClauseKind::Between {
        left,
        right,
        label: None,
        filters: vec![],
        fields: vec![],
        status: None,
    })
}

fn label(name: &str) -> Option<Label> {
    Some(Label {
        name: name.into(),
        span: sp(),
    })
}

/// The label of a relation clause (`Relation` or `Between`).
fn label_of(kind: &ClauseKind) -> Option<&Label> {
    match kind {
        ClauseKind::Relation { label, .. } | ClauseKind::Between { label, .. } => label.as_ref(),
        other => panic!("no relation clause: {other:?}"),
    }
}

fn not(inner: Clause) -> Clause {
    clause(ClauseKind::Not(Box::new(inner)))
}

fn col_var(name: &str, id: bool) -> Column {
    Column {
        kind: ColumnKind::Var {
            name: name.into(),
            id,
        },
        span: sp(),
    }
}

fn col(name: &str) -> Column {
    Column {
        kind: ColumnKind::Named(name.into()),
        span: sp(),
    }
}

fn stage(kind: StageKind) -> Stage {
    Stage { kind, span: sp() }
}

fn key(column: Column, descending: bool) -> SortKey {
    SortKey {
        column,
        descending,
        span: sp(),
    }
}

fn statement(kind: StatementKind) -> Statement {
    Statement {
        kind,
        recorded: None,
        span: sp(),
    }
}

fn query(clauses: Vec<Clause>, stages: Vec<Stage>) -> Statement {
    statement(StatementKind::Query(Query {
        clauses,
        stages,
        span: sp(),
    }))
}

// ---- Helpers ----

/// Parses `text` (which must parse), checks that its canonical text parses back to the
/// same tree, and returns the tree.
fn ok(text: &str) -> Statement {
    let tree = parse(text).unwrap_or_else(|e| panic!("{text:?} did not parse: {e}"));
    let printed = tree.to_string();
    let again =
        parse(&printed).unwrap_or_else(|e| panic!("printed {printed:?} did not parse: {e}"));
    assert_eq!(again, tree, "round trip through {printed:?}");
    tree
}

fn clauses(text: &str) -> Vec<Clause> {
    match ok(text).kind {
        StatementKind::Query(q) => q.clauses,
        other => panic!("{text:?} is not a query: {other:?}"),
    }
}

fn one_clause(text: &str) -> ClauseKind {
    let mut cs = clauses(text);
    assert_eq!(cs.len(), 1, "{text:?}");
    cs.remove(0).kind
}

fn filters_of(text: &str) -> (Vec<TimeFilter>, Option<StatusFilter>) {
    match one_clause(text) {
        ClauseKind::Relation {
            filters, status, ..
        }
        | ClauseKind::Between {
            filters, status, ..
        } => (filters, status),
        other => panic!("{text:?}: {other:?}"),
    }
}

fn the_period(text: &str) -> Period {
    let (mut filters, _) = filters_of(&format!("?a ?r ?b in {text}"));
    match filters.remove(0).kind {
        TimeFilterKind::In(p) => p,
        other => panic!("{other:?}"),
    }
}

fn stages_of(text: &str) -> Vec<Stage> {
    match ok(text).kind {
        StatementKind::Query(q) => q.stages,
        StatementKind::Path(p) => p.stages,
        StatementKind::Run(r) => r.stages,
        other => panic!("{other:?}"),
    }
}

fn err(text: &str) -> ParseError {
    match parse(text) {
        Ok(tree) => panic!("{text:?} parsed as {tree:?}"),
        Err(e) => e,
    }
}

fn canonical(text: &str) -> String {
    ok(text).to_string()
}

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

// ---- Errors ----

#[test]
fn error_points_at_the_culprit_with_what_was_expected() {
    let e = err("?x visited Baku, ?y met |");
    assert_eq!(
        e.to_string(),
        "expected a term (?var, _, a name or \"text\") at 1:25, found `|`"
    );
    assert_eq!(e.span, Span::new(24, 25));
    assert_eq!(e.found.as_deref(), Some("`|`"));

    let e = err("?x | count");
    assert_eq!(
        e.to_string(),
        "expected a predicate (an id, id|id, ?var or *) or `--` at 1:4, found `|`"
    );

    let e = err("?x visited Baku Tehran");
    assert_eq!(
        e.to_string(),
        "expected a time filter (in, on, within, since, until, between, as of, before or after), a field (place, source, confidence, quote, note), `status`, a label (@name), `,`, `|` or the end of the query at 1:17, found `Tehran`"
    );

    let e = err("?x visited Baku in");
    assert_eq!(
        e.to_string(),
        "expected a period (such as 2024, 2024-05, early 2025, today, A..B, $param or @label) at 1:19, found the end of the query"
    );

    let e = err("?x visited Baku between 2023 2024");
    assert_eq!(e.to_string(), "expected `and` at 1:30, found `2024`");

    let e = err("?x visited Baku as 2024");
    assert_eq!(e.message, "expected `of` or `recorded`");

    let e = err("?x visited Baku certainly status any");
    assert_eq!(e.message, format!("expected {}", words(Expect::Filter)));

    let e = err("?x visited early");
    assert!(e.to_string().contains("`early` is a keyword"), "{e}");

    let e = err("?x in Baku");
    assert!(
        e.to_string()
            .contains("`in` is a keyword, not a predicate id"),
        "{e}"
    );

    let e = err("?x visited 2024");
    assert!(
        e.to_string().contains("write it in quotes: \"2024\""),
        "{e}"
    );

    let e = err("?x _ Baku");
    assert!(e.to_string().contains("write `*` for any predicate"), "{e}");

    let e = err("");
    assert_eq!(
        e.to_string(),
        format!(
            "expected {} at 1:1, found the end of the query",
            words(Expect::Clause)
        )
    );
    let e = err("   # only a comment");
    assert_eq!(e.span, Span::new(19, 19));

    let e = err("?x visited Baku early 2024");
    assert_eq!(e.col, 17);
}

#[test]
fn error_positions_count_lines_and_characters() {
    let src = "\"بيزيشكيان\" visited ?where,\n  ?where in";
    let e = err(src);
    // `in` cannot be a predicate id.
    assert_eq!((e.line, e.col), (2, 10));
    let src = "\"بيزيشكيان\" | count";
    let e = err(src);
    assert_eq!((e.line, e.col), (1, 13));
    assert_eq!(snippet(src, e.span), format!("{src}\n{}^", " ".repeat(12)));
}

#[test]
fn long_tokens_are_cut_in_messages() {
    let word = "a".repeat(500);
    let e = err(&format!("?x visited Baku {word}"));
    let found = e.found.unwrap();
    assert!(found.chars().count() < 50, "{found}");
    assert!(found.ends_with("…`"), "{found}");
}

// ---- Hostile input ----

#[test]
fn hostile_input_gives_errors_not_crashes() {
    let n = 10_000;
    for text in [
        "(".repeat(n),
        ")".repeat(n),
        "|".repeat(n),
        format!("?x met ?y{}", " | count".repeat(n)),
        format!("?x met ?y{}", "|".repeat(n)),
        "not ".repeat(n * 10),
        format!("?a met ?b in {}", "2024..".repeat(n)),
        format!("run q{}", "(".repeat(n)),
        format!("save q = {}", "save q = ".repeat(n)),
        "--".repeat(n),
        "?".repeat(n),
        "\"".repeat(n + 1),
        format!("\"{}", "x".repeat(1 << 20)),
        format!("?x met ?y, {}", "?a met ?b, ".repeat(n)),
        "..".repeat(n),
        "\0".repeat(n),
        "\u{202E}".repeat(n),
    ] {
        let _ = parse(&text);
    }
    // A 1 MB string is fine.
    let big = format!("\"{}\" -- _", "ع".repeat(1 << 19));
    assert!(parse(&big).is_ok());
    // Many clauses and stages are fine too: nothing recurses on them.
    let many = format!(
        "?x met ?y{}{}",
        ", ?x met ?y".repeat(n),
        " | count".repeat(n)
    );
    let tree = parse(&many).unwrap();
    let StatementKind::Query(q) = &tree.kind else {
        panic!()
    };
    assert_eq!((q.clauses.len(), q.stages.len()), (n + 1, n));
}

/// Found by the fuzz target (fuzz/artifacts crash-95e99a48…): the canonical text of
/// what `Y7--?sale` parsed to did not parse.
#[test]
fn fuzz_regression_y_date_glued_to_dashes() {
    assert!(parse("Y7--?sale").is_err());
    assert!(parse("Y7 -- ?sale").is_err());
    assert_eq!(
        one_clause("Y2K -- ?sale"),
        between(name("Y2K"), var("sale")).kind
    );
    assert_eq!(
        one_clause("\"Y7\" -- ?sale"),
        between(text("Y7"), var("sale")).kind
    );
}

#[test]
fn controls_outside_strings_are_rejected() {
    let e = err("?x visited\u{202E} Baku");
    assert!(e.message.contains("U+202E"), "{e}");
    assert_eq!(e.col, 11);
    let e = err("?x visited Baku\0");
    assert!(e.message.contains("NUL"), "{e}");
    assert!(parse("?x visited \"Ba\u{202E}ku\"").is_ok());
}

// ---- Snapshots of errors as people see them ----

fn shown(src: &str) -> String {
    let e = err(src);
    format!("{e}\n{}", snippet(src, e.span))
}

#[test]
fn snapshot_missing_object() {
    insta::assert_snapshot!(shown("?x visited Baku, ?y met |"));
}

#[test]
fn snapshot_missing_to_in_path() {
    insta::assert_snapshot!(shown("path Netanyahu Pezeshkian"));
}

#[test]
fn snapshot_unterminated_string() {
    insta::assert_snapshot!(shown("?x visited \"بيزيشكيان | count"));
}

#[test]
fn snapshot_keyword_as_name() {
    insta::assert_snapshot!(shown("?who visited Baku,\n  ?who met until"));
}

#[test]
fn snapshot_wide_characters() {
    insta::assert_snapshot!(shown("\"東京\" sister_city ?x in 2024 frobnicate"));
}

#[test]
fn snapshot_label_on_a_kind_clause() {
    insta::assert_snapshot!(shown("?p:person @who, ?p visited ?x after @who"));
}

#[test]
fn snapshot_two_labels_on_a_clause() {
    insta::assert_snapshot!(shown(
        "?p visited ?x @v @w,
  ?x ?r ?y after @v"
    ));
}

#[test]
fn snapshot_bad_date() {
    insta::assert_snapshot!(shown("?a ?r ?b within 2024-q3"));
}

#[path = "write_tests.rs"]
mod write_tests;

#[test]
fn a_misspelt_keyword_gets_a_did_you_mean() {
    for (text, hint) in [
        ("?who visited Baku statis any", "did you mean `status`?"),
        ("?who visited Baku withn 2024", "did you mean `within`?"),
        ("?who visited Baku | sortt start", "did you mean `sort`?"),
    ] {
        let e = parse(text).unwrap_err();
        assert_eq!(e.hint.as_deref(), Some(hint), "{text}");
    }
    // A word close to no keyword gets none.
    assert_eq!(parse("?who visited Baku zzzzzz").unwrap_err().hint, None);
}

#[test]
fn edtf_intervals_and_date_times_are_periods() {
    assert_eq!(
        canonical("?x visited Baku in 2024-12/2025-02"),
        "?x visited Baku in 2024-12..2025-02"
    );
    assert_eq!(
        canonical("?x visited Baku on 2025-04-28T10:00:00Z"),
        "?x visited Baku on 2025-04-28T10:00:00Z"
    );
    // A slash with no period after it is still a mistake.
    assert!(parse("?x visited Baku in 2024/").is_err());
}

#[test]
fn a_period_written_in_words_is_a_string_and_prints_back_as_one() {
    assert_eq!(the_period("\"last November\""), date("last November"));
    assert_eq!(
        the_period("early \"last February\""),
        part_date(Part::Early, "last February")
    );
    let statement = ok("?a ?r ?b in \"مطلع فبراير الماضي\"..2025");
    let printed = statement.to_string();
    assert!(
        printed.contains("in \"مطلع فبراير الماضي\"..2025"),
        "{printed}"
    );
    assert_eq!(ok(&printed).to_string(), printed);
}

#[path = "field_tests.rs"]
mod field_tests;

#[path = "lookup_tests.rs"]
mod lookup_tests;
