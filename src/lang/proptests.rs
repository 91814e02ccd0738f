//! Property tests of the language: random trees print and parse back to themselves;
//! random bytes and random token sequences never make the parser panic, and whatever
//! they parse to prints and parses back to the same tree.

use super::ast::*;
use super::{is_keyword, parse, CLAUSE_KEYWORDS, KEYWORDS, STAGE_KEYWORDS};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

fn sp() -> Span {
    Span::default()
}

/// A keyword, or `id` (a column after `.`).
fn is_any_keyword(word: &str) -> bool {
    is_keyword(word) || word.eq_ignore_ascii_case("id")
}

/// A name that may stand bare anywhere: no keyword, Latin or Arabic.
pub(super) fn plain_name() -> BoxedStrategy<String> {
    prop_oneof![
        "[a-xA-X_][a-zA-Z0-9_]{0,8}",
        "[\u{0621}-\u{063A}\u{0641}-\u{064A}][\u{0621}-\u{063A}\u{0641}-\u{064A}\u{064B}-\u{0652}0-9]{0,6}",
        "[\u{4E00}-\u{4E20}]{1,3}",
    ]
    .prop_filter("not a keyword nor `_`", |n| n != "_" && !is_any_keyword(n))
    .boxed()
}

/// The name after a sigil (`?x`, `$p`) or `:`: keywords are fine there.
pub(super) fn sigil_name() -> BoxedStrategy<String> {
    prop_oneof![
        4 => plain_name(),
        1 => proptest::sample::select(CLAUSE_KEYWORDS).prop_map(str::to_string),
    ]
    .boxed()
}

pub(super) fn ident(name: impl Strategy<Value = String>) -> impl Strategy<Value = Ident> {
    name.prop_map(|name| Ident { name, span: sp() })
}

pub(super) fn term() -> BoxedStrategy<Term> {
    prop_oneof![
        (sigil_name(), option::of(ident(sigil_name())))
            .prop_map(|(name, kind)| TermKind::Var { name, kind }),
        Just(TermKind::Any),
        plain_name().prop_map(TermKind::Name),
        any::<String>().prop_map(TermKind::Text),
        sigil_name().prop_map(TermKind::Param),
    ]
    .prop_map(|kind| Term { kind, span: sp() })
    .boxed()
}

pub(super) fn pred() -> BoxedStrategy<Pred> {
    prop_oneof![
        vec(ident(plain_name()), 1..4).prop_map(PredKind::Ids),
        sigil_name().prop_map(PredKind::Var),
        Just(PredKind::Any),
    ]
    .prop_map(|kind| Pred { kind, span: sp() })
    .boxed()
}

pub(super) fn date_text() -> BoxedStrategy<String> {
    "(-?[0-9]{1,4}|Y-?[0-9]{5,9})[0-9XQHSE?~%-]{0,6}".boxed()
}

fn part() -> BoxedStrategy<Part> {
    prop_oneof![Just(Part::Early), Just(Part::Mid), Just(Part::Late)].boxed()
}

/// A period that is no range; with `labels` (in time filters), `@label` too.
fn period_end(labels: bool) -> BoxedStrategy<Period> {
    let date =
        (option::of(part()), date_text()).prop_map(|(part, text)| PeriodKind::Date { part, text });
    let kind = if labels {
        prop_oneof![
            date,
            Just(PeriodKind::Today),
            sigil_name().prop_map(PeriodKind::Param),
            sigil_name().prop_map(PeriodKind::Label),
        ]
        .boxed()
    } else {
        prop_oneof![
            date,
            Just(PeriodKind::Today),
            sigil_name().prop_map(PeriodKind::Param),
        ]
        .boxed()
    };
    kind.prop_map(|kind| Period { kind, span: sp() }).boxed()
}

pub(super) fn period(labels: bool) -> BoxedStrategy<Period> {
    prop_oneof![
        2 => period_end(labels),
        1 => (option::of(period_end(labels)), option::of(period_end(labels)))
            .prop_filter("a range has an end", |(a, b)| a.is_some() || b.is_some())
            .prop_map(|(from, to)| Period {
                kind: PeriodKind::Range {
                    from: from.map(Box::new),
                    to: to.map(Box::new),
                },
                span: sp(),
            }),
    ]
    .boxed()
}

pub(super) fn time_filter() -> BoxedStrategy<TimeFilter> {
    let period = || period(true);
    let kind = prop_oneof![
        period().prop_map(TimeFilterKind::In),
        period().prop_map(TimeFilterKind::On),
        period().prop_map(TimeFilterKind::Within),
        period().prop_map(TimeFilterKind::Since),
        period().prop_map(TimeFilterKind::Until),
        (period(), period()).prop_map(|(a, b)| TimeFilterKind::Between(a, b)),
        period().prop_map(TimeFilterKind::AsOf),
        period().prop_map(TimeFilterKind::Before),
        period().prop_map(TimeFilterKind::After),
    ];
    (kind, any::<bool>())
        .prop_map(|(kind, certainly)| TimeFilter {
            certainly: certainly || matches!(kind, TimeFilterKind::Within(_)),
            kind,
            span: sp(),
        })
        .boxed()
}

pub(super) fn status_filter() -> BoxedStrategy<StatusFilter> {
    let status_word =
        proptest::sample::select(crate::model::Status::WORDS).prop_map(str::to_string);
    let first = prop_oneof![status_word.clone(), plain_name()];
    prop_oneof![
        Just(StatusFilterKind::Any),
        (ident(first), vec(ident(status_word), 0..3)).prop_map(|(first, rest)| {
            StatusFilterKind::Of(std::iter::once(first).chain(rest).collect())
        }),
    ]
    .prop_map(|kind| StatusFilter { kind, span: sp() })
    .boxed()
}

pub(super) fn label() -> BoxedStrategy<Label> {
    sigil_name()
        .prop_map(|name| Label { name, span: sp() })
        .boxed()
}

/// A filter on a field: `place`, `source`, `confidence`, `quote contains`, `note contains`.
pub(super) fn field_filter() -> BoxedStrategy<FieldFilter> {
    let text = || any::<String>().prop_map(|value| Text { value, span: sp() });
    let entity = term().prop_filter("an entity", |t| {
        matches!(
            t.kind,
            TermKind::Name(_) | TermKind::Text(_) | TermKind::Param(_)
        )
    });
    prop_oneof![
        entity.prop_map(FieldFilterKind::Place),
        prop_oneof![
            ident(plain_name()),
            ident("[a-z][a-z0-9]{0,4}-[a-z0-9]{1,4}")
        ]
        .prop_map(FieldFilterKind::Source),
        (
            proptest::sample::select(Comparison::ALL.to_vec()),
            prop_oneof!["0\\.[0-9]{1,3}", "[01]", "\\.[0-9]{1,2}"]
        )
            .prop_map(|(op, text)| FieldFilterKind::Confidence {
                op,
                value: text.parse().unwrap_or_default(),
                text,
            }),
        text().prop_map(FieldFilterKind::QuoteContains),
        text().prop_map(FieldFilterKind::NoteContains),
    ]
    .prop_map(|kind| FieldFilter { kind, span: sp() })
    .boxed()
}

pub(super) fn simple_clause() -> BoxedStrategy<ClauseKind> {
    prop_oneof![
        (
            term(),
            pred(),
            term(),
            option::of(label()),
            vec(time_filter(), 0..3),
            vec(field_filter(), 0..3),
            option::of(status_filter())
        )
            .prop_map(
                |(subject, predicate, object, label, filters, fields, status)| {
                    ClauseKind::Relation {
                        subject,
                        predicate,
                        object,
                        label,
                        filters,
                        fields,
                        status,
                    }
                }
            ),
        (
            term(),
            term(),
            option::of(label()),
            vec(time_filter(), 0..3),
            vec(field_filter(), 0..3),
            option::of(status_filter())
        )
            .prop_map(|(left, right, label, filters, fields, status)| {
                ClauseKind::Between {
                    left,
                    right,
                    label,
                    filters,
                    fields,
                    status,
                }
            }),
        (ident(sigil_name()), ident(sigil_name()))
            .prop_map(|(var, kind)| ClauseKind::Kind { var, kind }),
    ]
    .boxed()
}

fn clause() -> BoxedStrategy<Clause> {
    (0..3usize, simple_clause())
        .prop_map(|(nots, kind)| {
            let mut clause = Clause { kind, span: sp() };
            for _ in 0..nots {
                clause = Clause {
                    kind: ClauseKind::Not(Box::new(clause)),
                    span: sp(),
                };
            }
            clause
        })
        .boxed()
}

fn column() -> BoxedStrategy<Column> {
    let any_word = prop_oneof![
        plain_name(),
        proptest::sample::select(CLAUSE_KEYWORDS).prop_map(str::to_string),
        proptest::sample::select(STAGE_KEYWORDS).prop_map(str::to_string),
    ];
    prop_oneof![
        (sigil_name(), any::<bool>()).prop_map(|(name, id)| ColumnKind::Var { name, id }),
        vec(any_word, 1..4).prop_map(|parts| ColumnKind::Named(parts.join("."))),
    ]
    .prop_map(|kind| Column { kind, span: sp() })
    .boxed()
}

pub(super) fn stage() -> BoxedStrategy<Stage> {
    prop_oneof![
        vec(column(), 1..4).prop_map(StageKind::Show),
        vec(
            (column(), any::<bool>()).prop_map(|(column, descending)| SortKey {
                column,
                descending,
                span: sp()
            }),
            1..4
        )
        .prop_map(StageKind::Sort),
        any::<u64>().prop_map(StageKind::Limit),
        vec(column(), 0..3).prop_map(StageKind::Count),
        Just(StageKind::Distinct),
        Just(StageKind::Timeline),
    ]
    .prop_map(|kind| Stage { kind, span: sp() })
    .boxed()
}

pub(super) fn query() -> BoxedStrategy<Query> {
    (vec(clause(), 1..4), vec(stage(), 0..3))
        .prop_map(|(clauses, stages)| Query {
            clauses,
            stages,
            span: sp(),
        })
        .boxed()
}

pub(super) fn path() -> BoxedStrategy<PathQuery> {
    (
        term(),
        term(),
        option::of(any::<u64>()),
        vec(ident(plain_name()), 0..3),
        option::of(status_filter()),
        vec(stage(), 0..3),
    )
        .prop_map(|(from, to, max, via, status, stages)| PathQuery {
            from,
            to,
            max,
            via,
            status,
            stages,
            span: sp(),
        })
        .boxed()
}

fn arg() -> BoxedStrategy<Arg> {
    prop_oneof![
        term().prop_map(ArgKind::Term),
        // A lone `$p` reads back as a term: a period parameter only in a range. Labels
        // belong to time filters, not to arguments.
        period(false)
            .prop_filter("a lone parameter is a term", |p| !matches!(
                p.kind,
                PeriodKind::Param(_)
            ))
            .prop_map(ArgKind::Period),
    ]
    .prop_map(|kind| Arg { kind, span: sp() })
    .boxed()
}

pub(super) fn run() -> BoxedStrategy<RunQuery> {
    (ident(plain_name()), vec(arg(), 0..4), vec(stage(), 0..3))
        .prop_map(|(name, args, stages)| RunQuery {
            name,
            args,
            stages,
            span: sp(),
        })
        .boxed()
}

fn statement() -> BoxedStrategy<Statement> {
    let body = prop_oneof![
        query().prop_map(StatementKind::Query),
        path().prop_map(StatementKind::Path),
    ]
    .prop_map(|kind| Statement {
        kind,
        recorded: None,
        span: sp(),
    });
    let save = (
        any::<bool>(),
        ident(plain_name()),
        vec(ident(sigil_name()), 0..4),
        body,
    )
        .prop_map(|(replace, name, mut params, body)| {
            let mut seen = std::collections::HashSet::new();
            params.retain(|p| seen.insert(p.name.clone()));
            StatementKind::Save(SaveQuery {
                replace,
                name,
                params,
                body: Box::new(body),
                span: sp(),
            })
        });
    let run = run().prop_map(StatementKind::Run);
    prop_oneof![
        6 => query().prop_map(StatementKind::Query),
        2 => path().prop_map(StatementKind::Path),
        2 => save,
        2 => run,
        1 => Just(StatementKind::Saved),
        1 => ident(plain_name()).prop_map(StatementKind::Drop),
    ]
    .prop_map(|kind| Statement {
        kind,
        recorded: None,
        span: sp(),
    })
    .boxed()
}

/// Pieces of queries, valid and not, to glue into token soups.
fn token() -> BoxedStrategy<String> {
    let pieces: &[&str] = &[
        "?x",
        "?y:person",
        "$p",
        "@v",
        "@",
        "_",
        "Baku",
        "\"باكو\"",
        "visited",
        "met",
        "|",
        ",",
        "--",
        "*",
        "2024",
        "2024-Q3",
        "..",
        ".",
        "(",
        ")",
        "=",
        "id",
        "#",
        "#412",
        "/",
        "-",
        "\n",
        "\"",
    ];
    let fixed =
        proptest::sample::select(pieces.iter().chain(KEYWORDS).copied().collect::<Vec<_>>())
            .prop_map(str::to_string);
    prop_oneof![8 => fixed, 1 => any::<String>()].boxed()
}

/// `tree`'s canonical text parses to `tree`.
pub(super) fn prints_back(tree: &Statement) -> Result<(), TestCaseError> {
    let printed = tree.to_string();
    let again = parse(&printed)
        .map_err(|e| TestCaseError::fail(format!("{printed:?} does not parse: {e}")))?;
    prop_assert_eq!(&again, tree, "printed as {:?}", printed);
    Ok(())
}

/// If `text` parses, its canonical text parses to the same tree.
fn check_round_trip(text: &str) -> Result<(), TestCaseError> {
    match parse(text) {
        Ok(tree) => prints_back(&tree),
        Err(_) => Ok(()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn printed_trees_parse_back_to_themselves(tree in statement()) {
        prints_back(&tree)?;
    }

    #[test]
    fn random_bytes_never_panic(bytes in vec(any::<u8>(), 0..200)) {
        let text = String::from_utf8_lossy(&bytes);
        check_round_trip(&text)?;
    }

    #[test]
    fn random_token_sequences_never_panic(tokens in vec(token(), 0..24), glue in vec(prop_oneof![Just(" "), Just(""), Just("\n")], 24)) {
        let mut text = String::new();
        for (token, glue) in tokens.iter().zip(glue) {
            text.push_str(token);
            text.push_str(glue);
        }
        check_round_trip(&text)?;
    }

    #[test]
    fn errors_point_inside_the_text(tokens in vec(token(), 0..16)) {
        let text = tokens.join(" ");
        if let Err(e) = parse(&text) {
            prop_assert!(e.span.start <= e.span.end && e.span.end <= text.len());
            prop_assert!(text.is_char_boundary(e.span.start) && text.is_char_boundary(e.span.end));
            prop_assert!(e.line >= 1 && e.col >= 1);
            let shown = super::snippet(&text, e.span);
            prop_assert!(shown.contains('^'));
        }
    }
}
