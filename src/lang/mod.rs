//! The query language: lexing and one grammar (both written with nom) that reads text
//! into the AST of [`ast`], the canonical printing of that AST, and parse errors with
//! their positions for people.
//!
//! - [`parse`]: text → [`ast::Statement`], or a [`ParseError`] saying what was expected
//!   where, and what was found. [`parse_arg`] and [`parse_saved_name`] read one `run`
//!   argument or one saved query name alone (for command-line arguments).
//! - From the same grammar: [`expected_after`], what may come at the end of a text
//!   (completion), and [`is_unfinished`], whether more text could finish it (the REPL's
//!   continuation lines).
//! - `Display` on every AST node ([`print`]): canonical text that parses back to the same
//!   tree (nodes compare without their spans).
//! - [`snippet`] and [`line_col`]: show a span of a query to a person (used for parse and
//!   planner errors alike).
//! - The keyword lists ([`keywords`]): the one list of each group of the language's
//!   words, which the parser recognises them by and tools (the REPL) take them from.
//!
//! Choices where LANGUAGE.md is silent:
//! - Strings know two escapes, `\"` and `\\`; any other backslash is an error.
//! - `path`, `save`, `run`, `saved` and `drop` always begin their statement when they
//!   come first: a query whose first subject is spelt so writes it in quotes.
//! - Names of saved queries cannot be keywords.
//! - A date token in a term position is an error: names that look like dates are quoted.
//! - In `via a|b`, `|` joins predicate ids unless a stage keyword follows it; in
//!   `status a|b` it joins only status words (occurred, planned, alleged, denied).
//! - `path` options (`max`, `via`, `status`) may come in any order, each at most once.
//! - A relation clause may carry one label, `@name`, among its trailing modifiers
//!   (printed right after its terms); in time filters `@name` stands for a period, the
//!   labelled relation's time. Labels are no terms and no `run` arguments.
pub mod ast;
mod error;
pub mod keywords;
mod lex;
mod parse;
mod print;

pub use error::{line_col, snippet, ParseError};
pub use keywords::*;
pub(crate) use lex::{is_date_char, is_ident_char, is_ident_start, is_identifier, starts_date};
pub use parse::{
    expected_after, is_unfinished, parse, parse_arg, parse_saved_name, Expect, MAX_NOT_DEPTH,
};

#[cfg(test)]
mod proptests;
