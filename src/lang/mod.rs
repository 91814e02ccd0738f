//! The query language: lexing and one grammar (both written with nom) that reads text
//! into the AST of [`ast`], the canonical printing of that AST, and parse errors with
//! their positions for people.
//!
//! - [`parse`]: text → [`ast::Statement`] (a query, a path, a saved query's statement, a
//!   write, a block word or a question about the past), or a [`ParseError`] saying what was expected
//!   where, and what was found. It checks the statement's size before lexing and its
//!   number of clauses after parsing ([`crate::limits`]), and cuts what its messages
//!   quote to a few words ([`clip_message`]). [`parse_arg`] and [`parse_saved_name`]
//!   read one `run` argument or one saved query name alone (for command-line arguments).
//! - From the same grammar: [`expected_after`], what may come at the end of a text
//!   (completion), and [`is_unfinished`], whether more text could finish it (the REPL's
//!   continuation lines).
//! - `Display` on every AST node ([`print`]): canonical text that parses back to the same
//!   tree (nodes compare without their spans).
//! - [`snippet`] and [`line_col`]: show a span of a query to a person (used for parse and
//!   planner errors alike), at most a window of 80 columns of its line; [`clip`]: a name
//!   as a message quotes it.
//! - The keyword lists ([`keywords`]): the one list of each group of the language's
//!   words, which the parser recognises them by and tools (the REPL) take them from.
//!
//! Choices where LANGUAGE.md is silent:
//! - Strings know two escapes, `\"` and `\\`; any other backslash is an error.
//! - `path`, `save`, `run`, `saved` and `drop` always begin their statement when they
//!   come first: a query whose first subject is spelt so writes it in quotes.
//! - Names of saved queries cannot be keywords of queries and saved queries
//!   ([`is_saved_name_keyword`]); the words of writes, which came later, may be names
//!   (`run history`), so that queries saved under them before still run.
//! - A date token in a term position is an error: names that look like dates are quoted.
//! - In `via a|b`, `|` joins predicate ids unless a stage keyword follows it; in
//!   `status a|b` it joins only status words ([`crate::model::Status`]).
//! - `path` options (`max`, `via`, `status`) may come in any order, each at most once.
//! - A relation clause may carry one label, `@name`, among its trailing modifiers
//!   (printed right after its terms); in time filters `@name` stands for a period, the
//!   labelled relation's time. Labels are no terms and no `run` arguments.
//!
//! Choices where WRITES.md is silent (writes, `history`, `changes`, `as recorded`):
//! - `#` followed right away by an ASCII digit is a relation's id (`#412`); any other
//!   `#` begins a comment (`# note`, `#note`, `#` alone), as before. `#41a` is an error.
//! - The first words of writes, blocks and questions about the past ([`WRITE_STARTS`],
//!   [`BLOCK_WORDS`], [`PAST_STARTS`]) begin their statement whenever they come first,
//!   as `path` does: a query whose first subject is spelt so writes it in quotes
//!   (`"history" met ?x`). No word of writes is reserved anywhere else: fields
//!   (`source`, `note`, `when` …), `because`, `new`, `all` … stay names, predicate ids
//!   and columns in queries.
//! - After `add`, `entity`, `predicate` and `source` begin those forms: a relation whose
//!   subject is spelt so writes it in quotes. `new` right after a relation's subject is
//!   always the mark of a new predicate.
//! - Writes name entities by a name or a string; a variable, `_` or `$param` is refused
//!   (a `retract` pattern is a clause of the query language and takes them). In a
//!   pattern, `status` is the clause's status filter and a label is refused.
//! - Fields (`when 2025`, `source kan`) come in any order, separated by spaces or `,`,
//!   each at most once; printed in the order given, separated by spaces.
//! - Dates of writes are delimited, not read (src/time reads them): a string, or an
//!   optional `early`/`mid`/`late`/`before`/`after` and one date written without spaces
//!   (`2023-01/2024-06`, `../2024`, `to ..`). `/` and a lone `-` are tokens for this and
//!   for source ids only.
//! - Source ids, language codes and authors are strings, or ASCII words with `_`, `.`
//!   and `-` written without spaces (`seed-article`, `kan-0508`, `zh-Hans`); one the
//!   lexer cannot read bare (`kan-05x`, glued digits and letters) is written in quotes.
//! - A write lacking its required reason (or `erase` its `confirm`) at the end of the
//!   text is an error at once, saying what to add, not an unfinished statement: the
//!   REPL runs it and shows the error rather than waiting for another line.
//! - `as recorded …` ends a query (after its last clause's filters or after its
//!   pipeline), a path, a `run` or a `history`, at most once, and prints last. `as`
//!   followed by `of` is a time filter. A saved query's body cannot hold it: `run`
//!   takes it.
pub mod ast;
mod error;
pub mod keywords;
mod lex;
mod parse;
mod print;
mod print_writes;

pub use error::{clip, clip_message, line_col, snippet, ParseError, SHOWN_CHARS, SNIPPET_COLUMNS};
pub use keywords::*;
pub use print::quote;
// The REPL scans text for colours and completion with the lexer's character classes.
pub(crate) use lex::is_identifier;
#[cfg(feature = "cli")]
pub(crate) use lex::{is_date_char, is_ident_char, is_ident_start, starts_date, starts_handle};
pub use parse::{
    expected_after, is_unfinished, parse_arg, parse_saved_name, Expect, MAX_NOT_DEPTH,
};

use crate::limits::{MAX_CLAUSES, MAX_STATEMENT_BYTES};

/// Parses one statement of the query language (see LANGUAGE.md).
///
/// Never panics and never recurses deeper than a small bound, whatever `text` holds. A
/// text longer than [`MAX_STATEMENT_BYTES`] is refused before any of it is lexed, and a
/// query of more than [`MAX_CLAUSES`] clauses once parsed; what an error quotes of the
/// text is cut to a few words.
pub fn parse(text: &str) -> Result<ast::Statement, ParseError> {
    if text.len() > MAX_STATEMENT_BYTES {
        return Err(too_long(text));
    }
    let stmt = parse::parse(text).map_err(clipped)?;
    let query = match &stmt.kind {
        ast::StatementKind::Query(q) => Some(q),
        ast::StatementKind::Save(s) => match &s.body.kind {
            ast::StatementKind::Query(q) => Some(q),
            _ => None,
        },
        _ => None,
    };
    if let Some(extra) = query.and_then(|q| q.clauses.get(MAX_CLAUSES)) {
        return Err(ParseError::at(
            text,
            extra.span,
            format!("a query has at most {MAX_CLAUSES} clauses"),
        )
        .with_hint(format!(
            "SQLite joins at most {} tables, and each relation clause is one of them: \
             split the query into several, or narrow it with named entities",
            crate::limits::MAX_JOIN_TABLES
        )));
    }
    Ok(stmt)
}

/// The error of a statement past [`MAX_STATEMENT_BYTES`], pointing where the limit is
/// crossed. The CLI may have read only a little past it, so the size is not quoted.
fn too_long(text: &str) -> ParseError {
    let mut at = MAX_STATEMENT_BYTES;
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    ParseError::at(
        text,
        ast::Span::new(at, at),
        format!(
            "the statement is longer than {} bytes (1 MiB), the most a statement may have",
            MAX_STATEMENT_BYTES
        ),
    )
    .with_hint(
        "a query this long is no query written by hand: check what was given as the \
         statement, or split the work into several statements",
    )
}

/// `error` with what it quotes of the statement cut to a few words.
fn clipped(mut error: ParseError) -> ParseError {
    error.message = clip_message(&error.message);
    error.found = error.found.as_deref().map(clip_message);
    error.hint = error.hint.as_deref().map(clip_message);
    for e in &mut error.expected {
        *e = clip_message(e);
    }
    error
}

#[cfg(test)]
mod limit_tests;
#[cfg(test)]
mod proptests;
#[cfg(test)]
mod write_proptests;
