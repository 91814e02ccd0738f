//! Unit tests of questions about the past and of the values of writes: `history`,
//! `changes`, `as recorded` wherever it may stand, dates as the data writes them, source
//! ids, relation ids and comments, fields in any order.

use super::*;

#[test]
fn questions_about_the_past_give_these_trees() {
    let on = |text: &str| {
        let tree = ok(text);
        match tree.recorded.map(|r| r.kind) {
            Some(RecordedKind::On(p)) => p.to_string(),
            Some(RecordedKind::AtChange(n)) => format!("change {n}"),
            None => panic!("{text:?}: no `as recorded`"),
        }
    };
    assert_eq!(on(EXAMPLES[20].0), "2025-05-01");
    assert_eq!(on(EXAMPLES[21].0), "change 57");
    assert_eq!(on(EXAMPLES[22].0), "2025-05-01");
    assert_eq!(on("?x visited _ as recorded at change 57"), "change 57");
    // `as of` is a time filter of the clause; `as recorded` the statement's.
    let tree = ok(EXAMPLES[27].0);
    let StatementKind::Query(q) = &tree.kind else {
        panic!()
    };
    let ClauseKind::Relation { filters, .. } = &q.clauses[0].kind else {
        panic!()
    };
    assert_eq!(filters.len(), 1);
    assert!(matches!(filters[0].kind, TimeFilterKind::AsOf(_)) && filters[0].certainly);
    assert!(tree.recorded.is_some());

    let history = |text: &str| match ok(text).kind {
        StatementKind::History(h) => h,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        history("history #412").target,
        HistoryTarget::Relation(handle(412))
    );
    assert_eq!(
        history("history araghchi").target,
        HistoryTarget::Entity(name("araghchi"))
    );
    let h = history("history \"عراقجي\" | limit 5");
    assert_eq!(
        h.target,
        HistoryTarget::Entity(Term {
            kind: TermKind::Text("عراقجي".into()),
            span: sp()
        })
    );
    assert_eq!(h.stages.len(), 1);
    assert_eq!(
        on("history #412 as recorded on 2025-05-01 | limit 3"),
        "2025-05-01"
    );

    let changes = |text: &str| match ok(text).kind {
        StatementKind::Changes(c) => c,
        other => panic!("{other:?}"),
    };
    let c = changes("changes");
    assert_eq!((c.since, c.by, c.stages.len()), (None, None, 0));
    let c = changes("changes since 2025-05-01 by alice");
    assert_eq!(c.since.map(|p| p.to_string()), Some("2025-05-01".into()));
    assert_eq!(c.by, Some(string("alice")));
    let c = changes("changes by \"Alice B\" | limit 5");
    assert_eq!((c.by, c.stages.len()), (Some(string("Alice B")), 1));
    assert_eq!(
        canonical("changes by alice.b-c since mid 2025"),
        "changes since mid 2025 by alice.b-c"
    );
    assert_eq!(
        canonical("changes by \"alice\""),
        "changes by alice",
        "a name that reads back bare is printed bare"
    );

    for (text, statement) in [
        ("begin", StatementKind::Begin),
        ("COMMIT", StatementKind::Commit),
        ("rollback # no", StatementKind::Rollback),
    ] {
        assert_eq!(ok(text).kind, statement);
    }
}

// ---- `as recorded` ----

#[test]
fn as_recorded_stands_before_or_after_the_pipeline_and_prints_last() {
    for (text, printed) in [
        (
            "?x visited Baku as recorded on 2025 | count",
            "?x visited Baku | count as recorded on 2025",
        ),
        (
            "?x visited Baku | count as recorded on 2025",
            "?x visited Baku | count as recorded on 2025",
        ),
        (
            "?x visited Baku in 2024 status any @v as recorded at change 3",
            "?x visited Baku @v in 2024 status any as recorded at change 3",
        ),
        (
            "?x:person as recorded on today",
            "?x:person as recorded on today",
        ),
        (
            "?x visited ?y, not ?y met Aliyev as recorded on early 2025-05",
            "?x visited ?y, not ?y met Aliyev as recorded on early 2025-05",
        ),
        (
            "path A to B max 3 AS RECORDED ON 2025 | count",
            "path A to B max 3 | count as recorded on 2025",
        ),
        (
            "run q(Baku, 2024) as recorded at change 9 | limit 1",
            "run q(Baku, 2024) | limit 1 as recorded at change 9",
        ),
        (
            "?x visited Baku | show ?x, when as recorded on 2025",
            "?x visited Baku | show ?x, when as recorded on 2025",
        ),
    ] {
        assert_eq!(canonical(text), printed, "{text:?}");
    }
    let recorded = ok("?x visited Baku as recorded on 2025-05-01").recorded;
    assert_eq!(recorded.map(|r| r.span), Some(Span::new(16, 41)));
}

#[test]
fn as_recorded_errors() {
    let e = err("?x visited Baku as recorded on 2025 | count as recorded on 2024");
    assert_eq!(e.message, "`as recorded` is given twice");
    assert_eq!(e.col, 45);
    let e = err("save q = ?x visited Baku as recorded on 2025");
    assert_eq!(e.message, "a saved query cannot hold `as recorded`");
    assert!(e.hint.unwrap().contains("run NAME(…) as recorded"));
    assert_eq!(
        err("?x visited Baku as recorded").message,
        "expected `on` or `at`"
    );
    assert_eq!(
        err("?x visited Baku as recorded at 5").message,
        "expected `change`"
    );
    assert_eq!(
        err("?x visited Baku as recorded on @v").message,
        err("?x visited Baku as recorded on ?x").message,
        "no label stands for a period there"
    );
    // Writes and `changes` are asked of the present.
    assert!(err("changes as recorded on 2025")
        .message
        .starts_with("expected"));
    assert!(err("undo as recorded on 2025")
        .message
        .starts_with("expected"));
    assert_eq!(
        err("?x visited Baku as 2024").message,
        "expected `of` or `recorded`"
    );
    let e = err("retract X visited Y as 2024 because \"x\"");
    assert_eq!(e.message, "expected `of`", "no `as recorded` in a write");
}

// ---- Values: dates as written, source ids, relation ids ----

#[test]
fn dates_of_writes_as_the_data_writes_them() {
    for text in [
        "2025",
        "2025-04-28",
        "early 2025-05",
        "mid 2024",
        "late 2024",
        "2024-Q3",
        "2024-H2",
        "2024?",
        "2024~",
        "2024%",
        "201X",
        "2024-XX",
        "2023-01/2024-06",
        "../2024",
        "2024/..",
        "2024-21",
        "Y170000002",
        "before 2025-05",
        "after 2024",
        "..",
    ] {
        let fields = fields_of(&format!("add a b c when {text}"));
        assert_eq!(fields, [FieldKind::When(date(text))], "{text:?}");
        // Quoted, the same text; printed bare.
        let quoted = format!("add a b c when {}", quote(text));
        assert_eq!(fields_of(&quoted), [FieldKind::When(date(text))]);
        assert_eq!(canonical(&quoted), format!("add a b c when {text}"));
    }
    // Bare words are written in lower case, with one space.
    assert_eq!(
        fields_of("add a b c when EARLY   2025-05"),
        [FieldKind::When(date("early 2025-05"))]
    );
    // Any other text is the time parser's to judge; it stays quoted.
    for text in [
        "early  2025",
        "EARLY 2025",
        "early last February",
        "",
        "2024 ..",
        "x",
    ] {
        let quoted = format!("add a b c when {}", quote(text));
        assert_eq!(
            fields_of(&quoted),
            [FieldKind::When(date(text))],
            "{text:?}"
        );
        assert_eq!(canonical(&quoted), quoted);
    }
    // Spaces end a bare date.
    let e = err("add a b c when 2024 /2025");
    assert!(e.message.starts_with("expected"), "{e}");
    let e = err("add a b c when early");
    assert_eq!(
        e.to_string(),
        "expected a date (such as 2024 or 2024-05) at 1:21, found the end of the query"
    );
    let e = err("add a b c when Baku");
    assert!(
        e.message.starts_with("expected a date (such as 2025-04-28"),
        "{e}"
    );
}

#[test]
fn source_ids_and_language_codes_take_dashes_and_dots() {
    for (source, printed) in [
        ("seed-article", "seed-article"),
        ("kan-0508", "kan-0508"),
        ("bbc.co.uk", "bbc.co.uk"),
        ("a--b", "a--b"),
        ("2025-05-08", "2025-05-08"),
        ("_x", "_x"),
        ("\"kan\"", "kan"),
        ("\"Kan news\"", "\"Kan news\""),
        ("\"قناة\"", "\"قناة\""),
        ("\"-x\"", "\"-x\""),
    ] {
        let text = format!("add a b c source {source}");
        let value = source.trim_matches('"');
        assert_eq!(fields_of(&text), [FieldKind::Source(id(value))], "{text:?}");
        assert_eq!(canonical(&text), format!("add a b c source {printed}"));
    }
    assert_eq!(
        fields_of("add source x lang zh-Hans"),
        [FieldKind::Lang(id("zh-Hans"))]
    );
    // A comma or a space ends it.
    assert_eq!(
        fields_of("add a b c source kan-05, note \"n\""),
        [
            FieldKind::Source(id("kan-05")),
            FieldKind::Note(string("n"))
        ]
    );
    let e = err("add a b c source قناة-1");
    assert_eq!(e.message, "`قناة-1` cannot be written bare here");
    assert!(e.hint.unwrap().contains("\"قناة-1\""));
    // A date glued to letters does not lex: quoted, it is any text.
    let e = err("add a b c source kan-05x");
    assert!(e.hint.unwrap().contains("write it in quotes"));
    assert_eq!(
        fields_of("add a b c source \"kan-05x\""),
        [FieldKind::Source(id("kan-05x"))]
    );
}

#[test]
fn relation_ids_and_comments() {
    assert_eq!(
        kind_of("retract #0 because \"x\" # not #1"),
        WriteKind::Retract {
            target: RetractTarget::Handle(handle(0)),
            all: false
        }
    );
    // `#` and anything but a digit is a comment, anywhere.
    assert_eq!(
        canonical("history #412 #note\n| limit 2"),
        "history #412 | limit 2"
    );
    assert_eq!(
        canonical("?x visited Baku # 412 visits\n  | count #first 2\n"),
        "?x visited Baku | count",
        "a digit after a `#` and a space or a letter is in the comment"
    );
    let e = err("history #18446744073709551616");
    assert_eq!(
        e.message,
        "the relation id #18446744073709551616 is too large"
    );
    assert_eq!(
        kind_of("erase #18446744073709551615 because \"x\" confirm"),
        WriteKind::Erase {
            id: handle(u64::MAX),
            confirm: true
        }
    );
    // A relation id is no term.
    let e = err("?x visited #412");
    assert!(e.message.starts_with("expected a term"), "{e}");
    let e = err("correct Baku when 2025 because \"x\"");
    assert_eq!(e.message, "expected a relation id (such as #412)");
    assert_eq!(
        ok("history #412").to_string(),
        "history #412",
        "printed with its `#`"
    );
}

#[test]
fn fields_in_any_order_with_commas_or_spaces() {
    assert_eq!(
        canonical("add a met b confidence 1, at 2024 subject c object d predicate met place e"),
        "add a met b confidence 1 at 2024 subject c object d predicate met place e"
    );
    assert_eq!(
        fields_of("add a b c confidence .5"),
        [FieldKind::Confidence {
            value: 0.5,
            text: ".5".into()
        }]
    );
    let e = err("add a b c confidence .5 title \"x\"");
    assert!(
        e.message.starts_with("expected a field"),
        "`title` is a source's: {e}"
    );
}
