//! Unit tests of the grammar of writes (WRITES.md): every line of its examples, the
//! trees they give, each write's forms and errors. Questions about the past and the
//! values of writes are in `past_tests`. The helpers (`ok`, `err` …) are the grammar
//! tests' own.

use super::*;
use crate::lang::{quote, ADD_FORMS, AT, BECAUSE, ON};

// ---- Helpers ----

fn write_of(text: &str) -> Write {
    match ok(text).kind {
        StatementKind::Write(w) => w,
        other => panic!("{text:?} is no write: {other:?}"),
    }
}

fn kind_of(text: &str) -> WriteKind {
    write_of(text).kind
}

fn fields_of(text: &str) -> Vec<FieldKind> {
    let fields = match kind_of(text) {
        WriteKind::AddRelation { fields, .. }
        | WriteKind::AddSource { fields, .. }
        | WriteKind::Correct { fields, .. }
        | WriteKind::CorrectSource { fields, .. } => fields,
        WriteKind::Retract {
            target: RetractTarget::Pattern { fields, .. },
            ..
        } => fields,
        other => panic!("{text:?} has no fields: {other:?}"),
    };
    fields.into_iter().map(|f| f.kind).collect()
}

fn string(value: &str) -> Text {
    Text {
        value: value.into(),
        span: sp(),
    }
}

fn date(text: &str) -> DateText {
    DateText {
        text: text.into(),
        span: sp(),
    }
}

fn handle(id: u64) -> Handle {
    Handle { id, span: sp() }
}

// ---- The examples of WRITES.md ----

/// Every line of WRITES.md's two blocks, as written (the optional parts of
/// `add predicate … [symmetric]` and `changes … [by alice]` both ways), and its
/// canonical text.
const EXAMPLES: &[(&str, &str)] = &[
    (
        r#"add Pezeshkian visited Baku when 2025-04-28 place Baku source seed-article quote "وصل ...""#,
        "",
    ),
    (
        "add Netanyahu visited Baku when 2025-05-08 status planned source kan confidence 0.7",
        "",
    ),
    ("add Aliyev president_of Azerbaijan from 2003-10-31 to ..", ""),
    (
        r#"add entity araghchi person "Abbas Araghchi" aka "عباس عراقجي", "Araghchi" note "Iran's FM""#,
        "",
    ),
    (r#"add predicate postponed label "postponed" symmetric"#, ""),
    (r#"add predicate postponed label "postponed""#, ""),
    (
        r#"add source kan-0508 "Kan news, 8 May 2025" published 2025-05-08 lang he url "https://...""#,
        "",
    ),
    (
        r#"alias araghchi "عراقچی", "Arakchi"          # more names for an entity"#,
        r#"alias araghchi "عراقچی", "Arakchi""#,
    ),
    (r#"unalias araghchi "Arakchi""#, ""),
    (
        r#"rename azerbaijan_fm "Jeyhun Bayramov"      # new display name; the old one stays an alias"#,
        r#"rename azerbaijan_fm "Jeyhun Bayramov""#,
    ),
    (
        r#"correct #412 when early 2025-05 because "the ministry gave the date""#,
        "",
    ),
    (
        r#"correct #412 status postponed, note "moved to June" because "Kan, 8 May""#,
        r#"correct #412 status postponed note "moved to June" because "Kan, 8 May""#,
    ),
    (r#"retract #412 because "misread the source""#, ""),
    (
        r#"retract Pezeshkian visited Tehran in 2025-05 because "duplicate"   # must match one live relation"#,
        r#"retract Pezeshkian visited Tehran in 2025-05 because "duplicate""#,
    ),
    (
        r#"retract Pezeshkian visited _ source kan all because "source withdrawn"   # several need `all`"#,
        r#"retract Pezeshkian visited _ source kan all because "source withdrawn""#,
    ),
    (
        r#"merge abbas_araghchi into iran_fm because "same person""#,
        "",
    ),
    (
        r#"unmerge abbas_araghchi because "two people after all""#,
        "",
    ),
    (
        "undo                                         # reverts the latest change, as a new change",
        "undo",
    ),
    ("undo change 57", ""),
    (
        r#"erase #412 because "source protection" confirm   # the only physical delete"#,
        r#"erase #412 because "source protection" confirm"#,
    ),
    (
        "?who visited Baku as recorded on 2025-05-01      # what the store held at the end of that day (UTC)",
        "?who visited Baku as recorded on 2025-05-01",
    ),
    ("?who visited Baku as recorded at change 57", ""),
    ("Iran -- Azerbaijan | timeline as recorded on 2025-05-01", ""),
    (
        "history #412                                     # every version, with change, instant, author, reason",
        "history #412",
    ),
    (
        "history araghchi                                 # names, merges and relations of an entity",
        "history araghchi",
    ),
    (
        "changes since 2025-05-01 by alice              # the log, as rows (any output format)",
        "changes since 2025-05-01 by alice",
    ),
    ("changes since 2025-05-01", ""),
    (
        "?a ?r ?b certainly as of 2024-01-01 as recorded on 2025-02-01",
        "",
    ),
];

#[test]
fn every_example_of_writes_md_parses_and_prints_back() {
    for (text, printed) in EXAMPLES {
        let expected = if printed.is_empty() { text } else { printed };
        assert_eq!(canonical(text), *expected, "{text:?}");
    }
}

#[test]
fn the_examples_give_these_trees() {
    assert_eq!(
        kind_of(EXAMPLES[0].0),
        WriteKind::AddRelation {
            subject: name("Pezeshkian"),
            predicate: id("visited"),
            new_predicate: false,
            object: name("Baku"),
            fields: [
                FieldKind::When(date("2025-04-28")),
                FieldKind::Place(name("Baku")),
                FieldKind::Source(id("seed-article")),
                FieldKind::Quote(string("وصل ...")),
            ]
            .into_iter()
            .map(|kind| Field { kind, span: sp() })
            .collect(),
        }
    );
    assert_eq!(
        fields_of(EXAMPLES[1].0)[1..],
        [
            FieldKind::Status(id("planned")),
            FieldKind::Source(id("kan")),
            FieldKind::Confidence {
                value: 0.7,
                text: "0.7".into()
            },
        ]
    );
    assert_eq!(
        fields_of(EXAMPLES[2].0),
        [
            FieldKind::From(date("2003-10-31")),
            FieldKind::To(date(".."))
        ]
    );
    assert_eq!(
        kind_of(EXAMPLES[3].0),
        WriteKind::AddEntity {
            id: id("araghchi"),
            kind: id("person"),
            name: string("Abbas Araghchi"),
            aliases: vec![string("عباس عراقجي"), string("Araghchi")],
            weak_aliases: Vec::new(),
            note: Some(string("Iran's FM")),
        }
    );
    assert_eq!(
        kind_of(EXAMPLES[4].0),
        WriteKind::AddPredicate {
            id: id("postponed"),
            label: Some(string("postponed")),
            symmetric: true,
            description: None,
        }
    );
    let WriteKind::AddSource {
        id: source,
        title,
        fields,
    } = kind_of(EXAMPLES[6].0)
    else {
        panic!()
    };
    assert_eq!(source, id("kan-0508"));
    assert_eq!(title, Some(string("Kan news, 8 May 2025")));
    let fields: Vec<FieldKind> = fields.into_iter().map(|f| f.kind).collect();
    assert_eq!(
        fields,
        [
            FieldKind::Published(date("2025-05-08")),
            FieldKind::Lang(id("he")),
            FieldKind::Url(string("https://...")),
        ]
    );
    assert_eq!(
        kind_of(EXAMPLES[7].0),
        WriteKind::Alias {
            entity: name("araghchi"),
            names: vec![string("عراقچی"), string("Arakchi")],
            weak: false,
        }
    );
    assert_eq!(
        kind_of(EXAMPLES[9].0),
        WriteKind::Rename {
            entity: name("azerbaijan_fm"),
            name: string("Jeyhun Bayramov"),
        }
    );
    let correct = write_of(EXAMPLES[10].0);
    assert_eq!(correct.reason, Some(string("the ministry gave the date")));
    assert_eq!(
        correct.kind,
        WriteKind::Correct {
            id: handle(412),
            fields: vec![Field {
                kind: FieldKind::When(date("early 2025-05")),
                span: sp()
            }],
        }
    );
    assert_eq!(
        fields_of(EXAMPLES[11].0),
        [
            FieldKind::Status(id("postponed")),
            FieldKind::Note(string("moved to June"))
        ]
    );
    assert_eq!(
        kind_of(EXAMPLES[12].0),
        WriteKind::Retract {
            target: RetractTarget::Handle(handle(412)),
            all: false
        }
    );
    let WriteKind::Retract {
        target: RetractTarget::Pattern { clause, fields },
        all,
    } = kind_of(EXAMPLES[14].0)
    else {
        panic!()
    };
    assert!(all);
    assert_eq!(clause.to_string(), "Pezeshkian visited _");
    assert_eq!(fields[0].kind, FieldKind::Source(id("kan")));
    let WriteKind::Retract {
        target: RetractTarget::Pattern { clause, fields },
        all: false,
    } = kind_of(EXAMPLES[13].0)
    else {
        panic!()
    };
    assert_eq!(clause.to_string(), "Pezeshkian visited Tehran in 2025-05");
    assert!(fields.is_empty());
    assert_eq!(
        kind_of(EXAMPLES[15].0),
        WriteKind::Merge {
            from: name("abbas_araghchi"),
            into: name("iran_fm"),
        }
    );
    assert_eq!(
        kind_of(EXAMPLES[16].0),
        WriteKind::Unmerge {
            entity: name("abbas_araghchi"),
        }
    );
    let undo = write_of(EXAMPLES[17].0);
    assert_eq!(
        (undo.kind, undo.reason),
        (WriteKind::Undo { change: None }, None)
    );
    assert_eq!(
        kind_of("undo change 57"),
        WriteKind::Undo {
            change: Some(ChangeNumber {
                number: 57,
                span: sp()
            })
        }
    );
    assert_eq!(
        kind_of(EXAMPLES[19].0),
        WriteKind::Erase {
            id: handle(412),
            confirm: true
        }
    );
}

// ---- Writes: forms and their errors ----

#[test]
fn add_in_every_form() {
    assert_eq!(
        kind_of("add X new new_pred Y"),
        WriteKind::AddRelation {
            subject: name("X"),
            predicate: id("new_pred"),
            new_predicate: true,
            object: name("Y"),
            fields: vec![],
        }
    );
    assert_eq!(canonical("ADD X NEW new_pred Y"), "add X new new_pred Y");
    // Entities by name or string; keywords of writes are names elsewhere.
    assert_eq!(
        canonical("add \"entity\" visited \"Baku\" source x note \"n\" because \"why\""),
        "add \"entity\" visited \"Baku\" source x note \"n\" because \"why\""
    );
    assert_eq!(
        canonical("add history note source"),
        "add history note source",
        "`note` is the predicate, `source` the object"
    );
    assert_eq!(
        kind_of("add predicate met symmetric description \"d\" label \"l\""),
        WriteKind::AddPredicate {
            id: id("met"),
            label: Some(string("l")),
            symmetric: true,
            description: Some(string("d")),
        }
    );
    assert_eq!(
        canonical("add entity a person \"A\" note \"n\" aka \"b\""),
        "add entity a person \"A\" aka \"b\" note \"n\""
    );
    assert_eq!(
        canonical("add entity kan organization \"Kan\" weak \"كان\", \"kan\" aka \"b\""),
        "add entity kan organization \"Kan\" aka \"b\" weak \"كان\", \"kan\""
    );
    assert_eq!(
        kind_of("add source kan"),
        WriteKind::AddSource {
            id: id("kan"),
            title: None,
            fields: vec![]
        }
    );
    assert_eq!(
        canonical("add source kan title \"T\", note \"n\""),
        "add source kan title \"T\" note \"n\""
    );
}

#[test]
fn alias_weak_adds_weak_aliases_and_prints_back() {
    assert_eq!(
        kind_of("alias kan \"كان\", \"kan\" weak because \"a common word\""),
        WriteKind::Alias {
            entity: name("kan"),
            names: vec![string("كان"), string("kan")],
            weak: true,
        }
    );
    assert_eq!(
        canonical("alias kan \"كان\"  weak"),
        "alias kan \"كان\" weak"
    );
    assert_eq!(canonical("alias kan \"Kan\""), "alias kan \"Kan\"");
    // `weak` goes after the names, not before them.
    err("alias kan weak \"كان\"");
}

#[test]
fn add_errors() {
    let e = err("add x visited ?y");
    assert_eq!(
        e.message,
        "`?y` names no entity: a write names the entities it changes"
    );
    assert_eq!(e.span, Span::new(14, 16));
    assert!(err("add _ visited y")
        .message
        .contains("`_` names no entity"));
    let e = err("add entity a person");
    assert_eq!(
        e.to_string(),
        "expected a string (\"…\") at 1:20, found the end of the query"
    );
    let e = err("add entity a person Abbas");
    assert!(e.hint.unwrap().contains("\"Abbas\""));
    let e = err("add entity a person \"A\" aka \"b\" aka \"c\"");
    assert_eq!(e.message, "`aka` is given twice");
    let e = err("add predicate p symmetric symmetric");
    assert_eq!(e.message, "`symmetric` is given twice");
    let e = err("add source kan \"T\" title \"T\"");
    assert_eq!(e.message, "the title is given twice");
    let e = err("add x visited y published 2024");
    assert!(
        e.message.starts_with("expected a field (when, from"),
        "a source's field is no relation's: {e}"
    );
    let e = err("add source kan when 2024");
    assert!(e.message.contains("a field (published"), "{e}");
    assert_eq!(e.hint, None);
    let e = err("add x visited y place Baku place Tehran");
    assert_eq!(e.message, "`place` is given twice");
    assert_eq!(
        e.hint.as_deref(),
        Some("keep one `place`; the first is at 1:17")
    );
    let e = err("add x visited");
    assert_eq!(e.message, format!("expected {}", describe(Expect::Entity)));
    let e = err("add x visited y confidence high");
    assert_eq!(
        e.message,
        format!("expected {}", describe(Expect::Confidence))
    );
    let e = err("add x visited y confidence 0.5.1");
    assert_eq!(e.message, "`0.5.1` is no confidence");
    let e = err("add x visited y when 2025,");
    assert!(e.message.starts_with("expected a field"), "{e}");
}

fn describe(e: Expect) -> String {
    e.describe().unwrap_or_default().into_owned()
}

#[test]
fn unknown_fields_get_a_did_you_mean() {
    let e = err("correct #412 wen 2025 because \"x\"");
    assert!(e.message.starts_with("expected a field (when, from"), "{e}");
    assert_eq!(e.found.as_deref(), Some("`wen`"));
    assert_eq!(e.hint.as_deref(), Some("did you mean `when`?"));
    let e = err("add x visited y when 2025 sorce kan");
    assert_eq!(e.hint.as_deref(), Some("did you mean `source`?"));
    let e = err("add source kan publshed 2025");
    assert_eq!(e.hint.as_deref(), Some("did you mean `published`?"));
    // Nothing close: no hint.
    assert_eq!(err("add x visited y frobnicate 1").hint, None);
}

#[test]
fn a_reason_is_required_where_writes_md_requires_it() {
    for (text, word) in [
        ("correct #412 when 2025", "correct"),
        ("retract #412", "retract"),
        ("retract Pezeshkian visited _ all", "retract"),
        ("merge a into b", "merge"),
        ("unmerge a", "unmerge"),
        ("erase #412 confirm", "erase"),
        ("erase #412", "erase"),
    ] {
        let e = err(text);
        assert_eq!(
            e.message,
            format!("`{word}` needs a reason: add because \"…\""),
            "{text:?}"
        );
        // At the end of what was written, before any comment.
        assert_eq!(e.span, Span::new(text.len(), text.len()), "{text:?}");
        let e = err(&format!("{text}   # no reason"));
        assert_eq!(e.span, Span::new(text.len(), text.len()), "{text:?}");
    }
    // Elsewhere optional, and accepted.
    for text in [
        "add a met b",
        "add entity a person \"A\"",
        "alias a \"b\"",
        "unalias a \"b\"",
        "rename a \"b\"",
        "undo",
        "undo change 3",
    ] {
        assert_eq!(write_of(text).reason, None, "{text:?}");
        let reasoned = format!("{text} because \"r\"");
        assert_eq!(write_of(&reasoned).reason, Some(string("r")), "{text:?}");
    }
    // What stands instead of the reason is named.
    let e = err("retract #412 \"typo\"");
    assert_eq!(e.message, "expected `because`");
    let e = err("merge a into b because");
    assert_eq!(
        e.to_string(),
        "expected a string (\"…\") at 1:23, found the end of the query"
    );
    let e = err("merge a into b because \"x\" because \"y\"");
    assert_eq!(e.message, "expected the end of the query");
}

#[test]
fn erase_needs_confirm() {
    let e = err("erase #412 because \"source protection\"");
    assert_eq!(
        e.message,
        "`erase` deletes the relation's content for good (the only physical delete) and \
         needs `confirm`"
    );
    assert_eq!(e.span, Span::new(38, 38));
    assert!(e.hint.unwrap().contains("add confirm"));
    assert_eq!(
        canonical("erase #412 confirm because \"x\""),
        "erase #412 because \"x\" confirm"
    );
    let e = err("erase #412 because \"x\" confirm confirm");
    assert_eq!(e.message, "expected the end of the query");
    let e = err("erase #412 because \"x\" please");
    assert_eq!(e.message, "expected `confirm`");
}

#[test]
fn correct_retract_merge_undo_errors() {
    let e = err("correct #412 because \"x\"");
    assert!(e.message.starts_with("expected a field (when"), "{e}");
    assert_eq!(
        e.hint.as_deref(),
        Some("say what to change, such as `correct #412 when 2025-05-08`")
    );
    let e = err("correct #412 when 2025 when 2026 because \"x\"");
    assert_eq!(e.message, "`when` is given twice");
    assert_eq!(e.col, 24);
    let e = err("retract ?x:person");
    assert_eq!(
        e.message,
        "`retract` takes a relation id or a relation (S P O or S -- O)"
    );
    let e = err("retract a visited b @v because \"x\"");
    assert_eq!(e.message, "the label `@v` has no use in `retract`");
    assert_eq!(
        canonical("retract a -- b status denied source kan all because \"x\""),
        "retract a -- b status denied source kan all because \"x\""
    );
    let e = err("retract #412 all because \"x\"");
    assert_eq!(e.message, "expected `because`", "`all` is for patterns");
    let e = err("retract a visited b status planned source k status denied because \"x\"");
    assert!(e.message.starts_with("expected a field (when"), "{e}");
    let e = err("merge a b because \"x\"");
    assert_eq!(e.message, "expected `into`");
    let e = err("undo change");
    assert_eq!(e.message, "expected a whole number");
    let e = err("undo 57");
    assert!(e.message.starts_with("expected `change`"), "{e}");
    let e = err("alias a");
    assert_eq!(e.message, "expected a string (\"…\")");
    let e = err("alias a \"b\",");
    assert_eq!(e.message, "expected a string (\"…\")");
}

#[test]
fn correct_source_in_its_forms() {
    let w = write_of(
        "correct source kan-0508 published 2025-05-09, title \"Kan, 9 May\" lang he \
         because \"the date was misread\"",
    );
    assert_eq!(w.reason, Some(string("the date was misread")));
    let WriteKind::CorrectSource { id: source, fields } = w.kind else {
        panic!("not a source's correction: {:?}", w.kind);
    };
    assert_eq!(source, id("kan-0508"));
    let kinds: Vec<FieldKind> = fields.into_iter().map(|f| f.kind).collect();
    assert_eq!(
        kinds,
        [
            FieldKind::Published(date("2025-05-09")),
            FieldKind::Title(string("Kan, 9 May")),
            FieldKind::Lang(id("he")),
        ]
    );
    // Printed back as written (fields separated by spaces), a quoted id quoted again.
    for text in [
        "correct source kan published 2025-05-09 because \"x\"",
        "correct source \"a source\" url \"https://x\" note \"n\" because \"x\"",
    ] {
        assert_eq!(canonical(text), text);
    }
    assert_eq!(
        fields_of("correct source kan url \"u\", lang ar because \"x\""),
        [FieldKind::Url(string("u")), FieldKind::Lang(id("ar"))]
    );
}

#[test]
fn correct_source_errors() {
    let e = err("correct source kan because \"x\"");
    assert!(e.message.starts_with("expected a field (published"), "{e}");
    assert_eq!(
        e.hint.as_deref(),
        Some("say what to change, such as `correct source kan published 2025-05-08`")
    );
    let e = err("correct source kan published 2025 published 2026 because \"x\"");
    assert_eq!(e.message, "`published` is given twice");
    // A relation's field is no source's.
    let e = err("correct source kan when 2025 because \"x\"");
    assert!(e.message.starts_with("expected a field (published"), "{e}");
    let e = err("correct source kan published 2025-05-09");
    assert_eq!(e.message, "`correct` needs a reason: add because \"…\"");
    let e = err("correct sorce kan published 2025");
    assert!(e.to_string().contains("did you mean `source`?"), "{e}");
}

// ---- Statement words and names ----

#[test]
fn statement_words_begin_statements_only_when_first() {
    // Elsewhere they are names and predicate ids like any other.
    for text in [
        "?x add ?y",
        "?x history Baku",
        "Baku visited history",
        "?x note ?y, ?y source kan",
        "\"history\" met ?x",
        "\"add\" met ?x",
        "?x visited Baku | show source, note, when",
        "path history to changes",
    ] {
        ok(text);
    }
    let e = err("history met ?x");
    assert!(e.message.starts_with("expected `|`"), "{e}");
    let e = err("add");
    assert_eq!(
        e.to_string(),
        "expected an entity (a name or \"text\") at 1:4, found the end of the query"
    );
    assert!(err("commit now").message.starts_with("expected the end"));
}

#[test]
fn words_of_writes_may_name_saved_queries() {
    // Saved before writes existed, they still run and drop.
    for text in [
        "run history",
        "run changes(Baku) | count",
        "drop undo",
        "save merge = ?x met ?y",
    ] {
        ok(text);
    }
    assert!(err("save path = ?x met ?y")
        .hint
        .unwrap()
        .contains("is a keyword"));
    let e = err("save q = history #1");
    assert_eq!(
        e.message,
        "a saved query holds a query or a path, not `history`"
    );
}

#[test]
fn unfinished_and_expected() {
    for text in [
        "add",
        "add x visited",
        "add x visited y when",
        "correct #1",
        "retract #1 because",
        "history",
        "?x visited Baku as recorded on",
    ] {
        assert!(is_unfinished(text), "{text:?}");
    }
    for text in ["retract #1", "erase #1 because \"x\"", "undo", "changes"] {
        assert!(!is_unfinished(text), "{text:?}");
    }
    assert_eq!(
        expected_after("add "),
        Some(vec![Expect::Offer(ADD_FORMS), Expect::Entity])
    );
    assert_eq!(
        expected_after("retract #1 "),
        Some(vec![Expect::Keyword(BECAUSE)])
    );
    assert_eq!(
        expected_after("?x visited Baku as recorded "),
        Some(vec![Expect::Keyword(ON), Expect::Keyword(AT)])
    );
}

#[test]
fn spans_of_writes() {
    let text = "correct #412 when early 2025-05, source kan because \"x\"";
    let w = write_of(text);
    assert_eq!(w.span, Span::new(0, text.len()));
    assert_eq!(w.reason.unwrap().span, Span::new(52, 55));
    let WriteKind::Correct { id, fields } = w.kind else {
        panic!()
    };
    assert_eq!(id.span, Span::new(8, 12));
    assert_eq!(fields[0].span, Span::new(13, 31));
    let FieldKind::When(date) = &fields[0].kind else {
        panic!()
    };
    assert_eq!(date.span, Span::new(18, 31));
    assert_eq!(fields[1].span, Span::new(33, 43));
    let FieldKind::Source(source) = &fields[1].kind else {
        panic!()
    };
    assert_eq!(source.span, Span::new(40, 43));
}

#[path = "past_tests.rs"]
mod past_tests;
