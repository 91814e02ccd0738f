//! Parse errors (positions and messages) and hostile input.

use super::*;

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
