//! Unit tests of the limits [`super::parse`] checks, and of what its errors quote.

use super::*;
use crate::limits::{MAX_CLAUSES, MAX_STATEMENT_BYTES};

#[test]
fn a_statement_past_the_size_limit_is_refused_before_lexing() {
    // Valid text, only too long: the size is what is wrong.
    let text = format!("\"{}\" -- _", "x".repeat(MAX_STATEMENT_BYTES));
    let e = parse(&text).unwrap_err();
    assert!(e.message.contains("longer than 1048576 bytes"), "{e}");
    assert_eq!(
        e.span,
        ast::Span::new(MAX_STATEMENT_BYTES, MAX_STATEMENT_BYTES)
    );
    // Right at the limit it parses.
    let text = format!("\"{}\" -- _", "x".repeat(MAX_STATEMENT_BYTES - 7));
    assert_eq!(text.len(), MAX_STATEMENT_BYTES);
    assert!(parse(&text).is_ok());
}

#[test]
fn the_size_error_points_at_a_character_boundary() {
    let text = "ع".repeat(MAX_STATEMENT_BYTES);
    let e = parse(&text).unwrap_err();
    assert!(text.is_char_boundary(e.span.start));
    assert!(e.span.start <= MAX_STATEMENT_BYTES);
}

#[test]
fn a_query_past_the_clause_limit_is_refused_at_its_first_extra_clause() {
    let clauses = |n: usize| {
        (0..n)
            .map(|i| format!("?a{i} met ?a{}", i + 1))
            .collect::<Vec<_>>()
            .join(", ")
    };
    assert!(parse(&clauses(MAX_CLAUSES)).is_ok());
    let text = clauses(MAX_CLAUSES + 1);
    let e = parse(&text).unwrap_err();
    assert_eq!(
        e.message,
        format!("a query has at most {MAX_CLAUSES} clauses")
    );
    let last = format!("?a{MAX_CLAUSES} met");
    assert_eq!(e.span.start, text.find(&last).unwrap());
    // The body of a saved query too.
    let e = parse(&format!("save q = {text}")).unwrap_err();
    assert!(e.message.contains("at most"), "{e}");
}

#[test]
fn errors_quote_no_huge_token() {
    for text in [
        format!("?x visited Baku {}", "9".repeat(100_000)),
        format!("save q(${0}, ${0}) = ?x met ?y", "p".repeat(100_000)),
        format!("?x visited 2024{}", "a".repeat(100_000)),
    ] {
        let e = parse(&text).unwrap_err();
        let shown = e.render(&text);
        assert!(shown.len() < 1000, "{}: {}", shown.len(), &shown[..200]);
    }
}
