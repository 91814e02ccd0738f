//! Unit tests of the grammar: every construct of LANGUAGE.md, its examples, the errors
//! (positions and messages) and hostile input.

use super::*;
use crate::lang::snippet;

mod clauses;
mod errors;
mod pipelines;

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

#[path = "../write_tests.rs"]
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

#[path = "../field_tests.rs"]
mod field_tests;

#[path = "../lookup_tests.rs"]
mod lookup_tests;
