//! Property tests of writes and questions about the past: random trees of every write,
//! `history`, `changes`, `begin`/`commit`/`rollback`, and queries, paths and runs `as
//! recorded`, print and parse back to themselves.

use super::ast::*;
use super::keywords as kw;
use super::parse;
use super::proptests::{
    date_text, ident, path, period, plain_name, prints_back, query, run, simple_clause, stage,
};
use super::RELATION_FIELDS;
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

fn sp() -> Span {
    Span::default()
}

fn text() -> BoxedStrategy<Text> {
    any::<String>()
        .prop_map(|value| Text { value, span: sp() })
        .boxed()
}

/// An entity as a write names it: a bare name or a string.
fn entity() -> BoxedStrategy<Term> {
    prop_oneof![
        plain_name().prop_map(TermKind::Name),
        any::<String>().prop_map(TermKind::Text),
    ]
    .prop_map(|kind| Term { kind, span: sp() })
    .boxed()
}

fn handle() -> BoxedStrategy<Handle> {
    any::<u64>()
        .prop_map(|id| Handle { id, span: sp() })
        .boxed()
}

/// A date as a write gives it: bare forms (with `/` and `..` glued in, a leading word),
/// and any text (quoted when it would not read back bare).
fn write_date() -> BoxedStrategy<DateText> {
    let run = prop_oneof![
        date_text(),
        (date_text(), date_text()).prop_map(|(a, b)| format!("{a}/{b}")),
        date_text().prop_map(|a| format!("../{a}")),
        date_text().prop_map(|a| format!("{a}/..")),
        Just("..".to_string()),
    ];
    let bare = (
        option::of(proptest::sample::select(kw::DATE_TEXT_WORDS)),
        run,
    )
        .prop_map(|(word, run)| match word {
            Some(word) => format!("{word} {run}"),
            None => run,
        });
    prop_oneof![3 => bare, 1 => any::<String>()]
        .prop_map(|text| DateText { text, span: sp() })
        .boxed()
}

/// A source id, a language code or an author: dashed words, and any text.
fn dashed() -> BoxedStrategy<String> {
    prop_oneof![
        3 => "[A-Za-z0-9_][A-Za-z0-9_.-]{0,10}",
        1 => any::<String>(),
    ]
    .boxed()
}

fn confidence() -> BoxedStrategy<FieldKind> {
    "[0-9]{1,3}(\\.[0-9]{1,4})?|\\.[0-9]{1,3}"
        .prop_filter_map("a number", |text| {
            let value = text.parse::<f64>().ok()?;
            Some(FieldKind::Confidence { value, text })
        })
        .boxed()
}

/// A field named by one of `words`, with a value of its kind.
fn field(words: &'static [&'static str]) -> BoxedStrategy<Field> {
    proptest::sample::select(words)
        .prop_flat_map(|word| -> BoxedStrategy<FieldKind> {
            match word {
                kw::WHEN => write_date().prop_map(FieldKind::When).boxed(),
                kw::FROM => write_date().prop_map(FieldKind::From).boxed(),
                kw::TO => write_date().prop_map(FieldKind::To).boxed(),
                kw::AT => write_date().prop_map(FieldKind::At).boxed(),
                kw::PUBLISHED => write_date().prop_map(FieldKind::Published).boxed(),
                kw::REPORTED => write_date().prop_map(FieldKind::Reported).boxed(),
                kw::STATUS => ident(plain_name()).prop_map(FieldKind::Status).boxed(),
                kw::PLACE => entity().prop_map(FieldKind::Place).boxed(),
                kw::SUBJECT => entity().prop_map(FieldKind::Subject).boxed(),
                kw::OBJECT => entity().prop_map(FieldKind::Object).boxed(),
                kw::SOURCE => ident(dashed()).prop_map(FieldKind::Source).boxed(),
                kw::LANG => ident(dashed()).prop_map(FieldKind::Lang).boxed(),
                kw::PREDICATE => ident(plain_name()).prop_map(FieldKind::Predicate).boxed(),
                kw::QUOTE => text().prop_map(FieldKind::Quote).boxed(),
                kw::NOTE => text().prop_map(FieldKind::Note).boxed(),
                kw::URL => text().prop_map(FieldKind::Url).boxed(),
                kw::TITLE => text().prop_map(FieldKind::Title).boxed(),
                _ => confidence(),
            }
        })
        .prop_map(|kind| Field { kind, span: sp() })
        .boxed()
}

/// Fields among `words`, each word at most once.
fn fields(words: &'static [&'static str], min: usize) -> BoxedStrategy<Vec<Field>> {
    vec(field(words), min..5)
        .prop_map(|mut fields| {
            let mut seen = Vec::new();
            fields.retain(|f| {
                let word = f.kind.word();
                let first = !seen.contains(&word);
                seen.push(word);
                first
            });
            fields
        })
        .boxed()
}

/// A relation clause of a `retract` pattern: `S P O` or `S -- O`, without a label.
fn pattern_clause() -> BoxedStrategy<Clause> {
    simple_clause()
        .prop_filter_map("a relation clause", |mut kind| {
            match &mut kind {
                // A pattern's fields are its own (`source kan`), not its clause's filters.
                ClauseKind::Relation { label, fields, .. }
                | ClauseKind::Between { label, fields, .. } => {
                    *label = None;
                    fields.clear();
                }
                _ => return None,
            }
            Some(Clause { kind, span: sp() })
        })
        .boxed()
}

fn write_kind() -> BoxedStrategy<WriteKind> {
    let name = || ident(plain_name());
    prop_oneof![
        (
            entity(),
            name(),
            any::<bool>(),
            entity(),
            fields(RELATION_FIELDS, 0)
        )
            .prop_map(|(subject, predicate, new_predicate, object, fields)| {
                WriteKind::AddRelation {
                    subject,
                    predicate,
                    new_predicate,
                    object,
                    fields,
                }
            }),
        (
            name(),
            name(),
            text(),
            vec(text(), 0..3),
            vec(text(), 0..2),
            option::of(text())
        )
            .prop_map(|(id, kind, name, aliases, weak_aliases, note)| {
                WriteKind::AddEntity {
                    id,
                    kind,
                    name,
                    aliases,
                    weak_aliases,
                    note,
                }
            }),
        (
            name(),
            option::of(text()),
            any::<bool>(),
            option::of(text())
        )
            .prop_map(
                |(id, label, symmetric, description)| WriteKind::AddPredicate {
                    id,
                    label,
                    symmetric,
                    description,
                }
            ),
        (
            ident(dashed()),
            option::of(text()),
            fields(kw::SOURCE_FIELDS, 0)
        )
            .prop_map(|(id, title, mut fields)| {
                if title.is_some() {
                    fields.retain(|f| !matches!(f.kind, FieldKind::Title(_)));
                }
                WriteKind::AddSource { id, title, fields }
            }),
        (entity(), vec(text(), 1..3), any::<bool>()).prop_map(|(entity, names, weak)| {
            WriteKind::Alias {
                entity,
                names,
                weak,
            }
        }),
        (entity(), vec(text(), 1..3))
            .prop_map(|(entity, names)| WriteKind::Unalias { entity, names }),
        (entity(), text()).prop_map(|(entity, name)| WriteKind::Rename { entity, name }),
        (handle(), fields(RELATION_FIELDS, 1))
            .prop_map(|(id, fields)| WriteKind::Correct { id, fields }),
        (ident(dashed()), fields(kw::SOURCE_FIELDS, 1))
            .prop_map(|(id, fields)| WriteKind::CorrectSource { id, fields }),
        handle().prop_map(|id| WriteKind::Retract {
            target: RetractTarget::Handle(id),
            all: false
        }),
        (
            pattern_clause(),
            fields(kw::PATTERN_FIELDS, 0),
            any::<bool>()
        )
            .prop_map(|(clause, fields, all)| WriteKind::Retract {
                target: RetractTarget::Pattern {
                    clause: Box::new(clause),
                    fields
                },
                all,
            }),
        (entity(), entity()).prop_map(|(from, into)| WriteKind::Merge { from, into }),
        entity().prop_map(|entity| WriteKind::Unmerge { entity }),
        option::of(any::<u64>()).prop_map(|number| WriteKind::Undo {
            change: number.map(|number| ChangeNumber { number, span: sp() }),
        }),
        handle().prop_map(|id| WriteKind::Erase { id, confirm: true }),
    ]
    .boxed()
}

fn write() -> BoxedStrategy<Write> {
    (write_kind(), text(), any::<bool>())
        .prop_map(|(kind, reason, give)| {
            let required = kw::is_one_of(kw::REASON_REQUIRED, kind.word());
            Write {
                kind,
                reason: (required || give).then_some(reason),
                span: sp(),
            }
        })
        .boxed()
}

fn recorded() -> BoxedStrategy<Recorded> {
    prop_oneof![
        period(false).prop_map(RecordedKind::On),
        any::<u64>().prop_map(RecordedKind::AtChange),
    ]
    .prop_map(|kind| Recorded { kind, span: sp() })
    .boxed()
}

fn history() -> BoxedStrategy<StatementKind> {
    let target = prop_oneof![
        handle().prop_map(HistoryTarget::Relation),
        entity().prop_map(HistoryTarget::Entity),
    ];
    (target, vec(stage(), 0..3))
        .prop_map(|(target, stages)| {
            StatementKind::History(HistoryQuery {
                target,
                stages,
                span: sp(),
            })
        })
        .boxed()
}

fn changes() -> BoxedStrategy<StatementKind> {
    let by = dashed().prop_map(|value| Text { value, span: sp() });
    (
        option::of(period(false)),
        option::of(by),
        vec(stage(), 0..3),
    )
        .prop_map(|(since, by, stages)| {
            StatementKind::Changes(ChangesQuery {
                since,
                by,
                stages,
                span: sp(),
            })
        })
        .boxed()
}

/// A statement of WRITES.md: `as recorded` on those that take it.
fn statement() -> BoxedStrategy<Statement> {
    let asked = prop_oneof![
        query().prop_map(StatementKind::Query),
        path().prop_map(StatementKind::Path),
        run().prop_map(StatementKind::Run),
        history(),
    ];
    let of_the_past = (asked, option::of(recorded()));
    let of_the_present = prop_oneof![
        6 => write().prop_map(StatementKind::Write),
        1 => changes(),
        1 => Just(StatementKind::Begin),
        1 => Just(StatementKind::Commit),
        1 => Just(StatementKind::Rollback),
    ]
    .prop_map(|kind| (kind, None));
    prop_oneof![1 => of_the_past, 3 => of_the_present]
        .prop_map(|(kind, recorded)| Statement {
            kind,
            recorded,
            span: sp(),
        })
        .boxed()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn printed_writes_parse_back_to_themselves(tree in statement()) {
        prints_back(&tree)?;
    }

    #[test]
    fn a_write_without_its_reason_says_so(tree in write()) {
        let required = kw::is_one_of(kw::REASON_REQUIRED, tree.kind.word());
        let bare = Write { reason: None, ..tree.clone() };
        let printed = bare.to_string();
        match parse(&printed) {
            Ok(_) => prop_assert!(!required, "{printed:?} parsed without its reason"),
            Err(e) => {
                prop_assert!(required, "{printed:?}: {e}");
                prop_assert!(e.message.ends_with("needs a reason: add because \"…\""), "{}", e);
            }
        }
    }
}
