//! The grammar, written with nom over the tokens of [`super::lex`]. One grammar answers
//! four questions: the tree of a statement ([`parse`]), what was expected where it went
//! wrong (the error), whether more text could finish it ([`is_unfinished`]), and what
//! may come at its end ([`expected_after`], for completion).
//!
//! The input ([`Input`]) is the rest of the token list plus a [`Tracker`] shared by the
//! whole parse: every parser that fails notes what it expected there, and the notes of
//! the furthest position reached make the error, with a hint where one was given. The
//! grammar reads with one token of look-ahead: an alternative commits (`cut`) once its
//! first token is read, so an error points where the text leaves the grammar.
//!
//! Nothing recurses on the user's input except `not`, which carries its depth and
//! stops at [`MAX_NOT_DEPTH`]; lists are loops, so no input can overflow the stack.
//!
//! The grammar is split along its seams: [`terms`] (terms, predicates, names),
//! [`clauses`] (queries, clauses and their modifiers), [`filters`] (time and status
//! filters, periods), [`stages`] (the pipeline), [`statements`], [`writes`] (the
//! statements that change the store), [`values`] (what writes give: relation ids,
//! strings, dates as written, fields), [`past`] (`as recorded`, `history`,
//! `changes`) and [`lookups`] (`describe`, `entities`, `predicates`, `sources`).

mod clauses;
mod expect;
mod filters;
mod lookups;
mod past;
mod stages;
mod statements;
mod terms;
mod values;
mod writes;

pub(crate) use values::{is_bare_dashed_word, is_bare_date_text};

use std::cell::RefCell;

use nom::error::ErrorKind;
use nom::{IResult, Parser};

use super::ast::*;
use super::error::ParseError;
use super::lex::{lex, Token, TokenKind};

pub use expect::Expect;

/// How many `not` may be stacked on one clause.
pub const MAX_NOT_DEPTH: usize = 64;

/// Parses one statement of the query language (see LANGUAGE.md).
///
/// Never panics and never recurses deeper than a small bound, whatever `text` holds.
pub fn parse(text: &str) -> Result<Statement, ParseError> {
    whole(text, statements::statement)
}

/// Parses one argument of `run` or value of a parameter, alone: a term (`Baku`,
/// `"Ilham Aliyev"`, `?x`) or a period (`2024-Q3`, `mid 2024`, `2024..2025`).
pub fn parse_arg(text: &str) -> Result<Arg, ParseError> {
    whole(text, terms::arg)
}

/// Parses the name of a saved query, alone (an identifier that is no keyword).
pub fn parse_saved_name(text: &str) -> Result<Ident, ParseError> {
    whole(text, terms::saved_name)
}

/// What may come right after `text` for it to read on as a statement: the grammar's
/// expectations at the end of the text. `None` when the text leaves the grammar before
/// its end (or does not lex): then nothing added at the end can make it parse.
pub fn expected_after(text: &str) -> Option<Vec<Expect>> {
    let tokens = lex(text).ok()?;
    let tracker = Tracker::new(text, &tokens);
    let _ = run(&tracker, statements::statement);
    let notes = tracker.notes.into_inner();
    let mut expected = notes.at_end;
    if notes.furthest == tokens.len() {
        expected.extend(notes.expected);
    }
    (!expected.is_empty()).then_some(expected)
}

/// Is `text` an unfinished statement, one that more text at its end could finish: an
/// open string, `?x:` without its kind, or a statement the grammar reads to its end and
/// wants more of (`path A to`, a trailing `|` or `,`, an open parenthesis)?
pub fn is_unfinished(text: &str) -> bool {
    let tokens = match lex(text) {
        Ok(tokens) => tokens,
        Err(e) => return e.unfinished,
    };
    let tracker = Tracker::new(text, &tokens);
    match run(&tracker, statements::statement) {
        Ok(_) | Err(Fail::Error(_)) => false,
        Err(Fail::Expected) => {
            let notes = tracker.notes.borrow();
            notes.furthest == tokens.len() || !notes.at_end.is_empty()
        }
    }
}

/// Parses all of `text` with `entry`.
fn whole<T>(text: &str, entry: for<'t> fn(Input<'t>) -> PResult<'t, T>) -> Result<T, ParseError> {
    let tokens = lex(text).map_err(|e| e.error)?;
    let tracker = Tracker::new(text, &tokens);
    run(&tracker, entry).map_err(|fail| tracker.error(fail))
}

/// Runs `entry` on the tracker's tokens: it must read every one.
fn run<'t, T>(
    tracker: &'t Tracker<'t>,
    entry: impl Parser<Input<'t>, Output = T, Error = Fail>,
) -> Result<T, Fail> {
    match (entry, expect(Expect::End, end)).parse(Input::new(tracker)) {
        Ok((_, (value, ()))) => Ok(value),
        Err(nom::Err::Error(fail) | nom::Err::Failure(fail)) => Err(fail),
        Err(nom::Err::Incomplete(_)) => Err(Fail::Expected),
    }
}

/// Why a parser gave up.
pub(super) enum Fail {
    /// Nothing fitted: the tracker's notes say what could have.
    Expected,
    /// A specific error.
    Error(Box<ParseError>),
}

impl<I> nom::error::ParseError<I> for Fail {
    fn from_error_kind(_: I, _: ErrorKind) -> Self {
        Fail::Expected
    }

    fn append(_: I, _: ErrorKind, other: Self) -> Self {
        other
    }
}

pub(super) type PResult<'t, T> = IResult<Input<'t>, T, Fail>;

/// What was expected at the furthest position reached.
struct Notes {
    /// Token index of the notes.
    furthest: usize,
    expected: Vec<Expect>,
    hint: Option<String>,
    /// What look-ahead could have taken at the end of the text, had it gone on: noted
    /// apart, for completion, as errors point where the text leaves the grammar.
    at_end: Vec<Expect>,
}

/// The statement's text and tokens, and the notes of a parse of them.
pub(super) struct Tracker<'t> {
    source: &'t str,
    tokens: &'t [Token<'t>],
    notes: RefCell<Notes>,
}

impl<'t> Tracker<'t> {
    fn new(source: &'t str, tokens: &'t [Token<'t>]) -> Self {
        Tracker {
            source,
            tokens,
            notes: RefCell::new(Notes {
                furthest: 0,
                expected: Vec::new(),
                hint: None,
                at_end: Vec::new(),
            }),
        }
    }

    fn error(&self, fail: Fail) -> ParseError {
        match fail {
            Fail::Error(error) => *error,
            Fail::Expected => {
                let notes = self.notes.borrow();
                let (span, found) = match self.tokens.get(notes.furthest) {
                    Some(token) => (token.span, shown(token.text)),
                    None => (
                        Span::new(self.source.len(), self.source.len()),
                        Expect::End.describe().unwrap_or_default().into_owned(),
                    ),
                };
                let expected = notes
                    .expected
                    .iter()
                    .filter_map(|e| e.describe())
                    .map(|e| e.into_owned())
                    .collect();
                let mut error = ParseError::expected(self.source, span, expected, Some(found));
                error.hint = notes.hint.clone().or_else(|| {
                    let token = self.tokens.get(notes.furthest)?;
                    (token.kind == TokenKind::Word)
                        .then(|| keyword_hint(token.text, &notes.expected))?
                });
                error
            }
        }
    }
}

/// The tokens not read yet, and the parse's tracker.
#[derive(Clone, Copy)]
pub(super) struct Input<'t> {
    rest: &'t [Token<'t>],
    tracker: &'t Tracker<'t>,
}

impl<'t> Input<'t> {
    fn new(tracker: &'t Tracker<'t>) -> Self {
        Input {
            rest: tracker.tokens,
            tracker,
        }
    }

    pub(super) fn source(&self) -> &'t str {
        self.tracker.source
    }

    /// Index of the next token.
    fn pos(&self) -> usize {
        self.tracker.tokens.len() - self.rest.len()
    }

    pub(super) fn peek(&self) -> Option<&'t Token<'t>> {
        self.rest.first()
    }

    pub(super) fn peek_nth(&self, n: usize) -> Option<&'t Token<'t>> {
        self.rest.get(n)
    }

    /// The input after the next token, and that token.
    pub(super) fn bump(self) -> Option<(Self, &'t Token<'t>)> {
        let (first, rest) = self.rest.split_first()?;
        Some((Input { rest, ..self }, first))
    }

    /// The input after the next token (which the caller has looked at).
    pub(super) fn skip(self) -> Self {
        self.bump().map_or(self, |(rest, _)| rest)
    }

    /// Byte offset where the next token starts (the text's end past the last token).
    pub(super) fn here(&self) -> usize {
        self.peek()
            .map_or(self.tracker.source.len(), |t| t.span.start)
    }

    /// The span from byte `start` to the end of the last token read.
    pub(super) fn span_from(&self, start: usize) -> Span {
        let last_end = match self.pos() {
            0 => 0,
            pos => self.tracker.tokens[pos - 1].span.end,
        };
        Span::new(start, last_end.max(start))
    }

    /// Notes that `what` could have stood here.
    pub(super) fn expect(&self, what: Expect) {
        let pos = self.pos();
        let mut notes = self.tracker.notes.borrow_mut();
        if pos > notes.furthest {
            notes.furthest = pos;
            notes.expected.clear();
            notes.hint = None;
        }
        if pos == notes.furthest && !notes.expected.contains(&what) {
            notes.expected.push(what);
        }
    }

    /// Notes that look-ahead would have taken `what` here, if this is the end of the text.
    pub(super) fn expect_at_end(&self, what: Expect) {
        if self.rest.is_empty() {
            let mut notes = self.tracker.notes.borrow_mut();
            if !notes.at_end.contains(&what) {
                notes.at_end.push(what);
            }
        }
    }

    /// Gives up here, `what` having been expected.
    pub(super) fn fail<T>(self, what: Expect) -> PResult<'t, T> {
        self.expect(what);
        Err(nom::Err::Error(Fail::Expected))
    }

    /// Gives up here, `what` having been expected, with advice.
    pub(super) fn fail_hint<T>(self, what: Expect, hint: String) -> PResult<'t, T> {
        self.expect(what);
        let mut notes = self.tracker.notes.borrow_mut();
        if self.pos() == notes.furthest {
            notes.hint = Some(hint);
        }
        Err(nom::Err::Error(Fail::Expected))
    }

    /// Stops the parse with a specific error at `span`.
    pub(super) fn error_at<T>(&self, span: Span, message: String, hint: String) -> PResult<'t, T> {
        let error = ParseError::at(self.tracker.source, span, message).with_hint(hint);
        Err(nom::Err::Failure(Fail::Error(Box::new(error))))
    }
}

/// Tokens as nom input (for nom's own combinators: `many0`, `separated_list1` …).
impl<'t> nom::Input for Input<'t> {
    type Item = &'t Token<'t>;
    type Iter = std::slice::Iter<'t, Token<'t>>;
    type IterIndices = std::iter::Enumerate<Self::Iter>;

    fn input_len(&self) -> usize {
        self.rest.len()
    }

    fn take(&self, index: usize) -> Self {
        Input {
            rest: &self.rest[..index],
            ..*self
        }
    }

    fn take_from(&self, index: usize) -> Self {
        Input {
            rest: &self.rest[index..],
            ..*self
        }
    }

    fn take_split(&self, index: usize) -> (Self, Self) {
        (self.take_from(index), self.take(index))
    }

    fn position<P: Fn(Self::Item) -> bool>(&self, predicate: P) -> Option<usize> {
        self.rest.iter().position(predicate)
    }

    fn iter_elements(&self) -> Self::Iter {
        self.rest.iter()
    }

    fn iter_indices(&self) -> Self::IterIndices {
        self.rest.iter().enumerate()
    }

    fn slice_index(&self, count: usize) -> Result<usize, nom::Needed> {
        if count <= self.rest.len() {
            Ok(count)
        } else {
            Err(nom::Needed::new(count - self.rest.len()))
        }
    }
}

// ---- Primitive parsers ----
//
// They note nothing when they fail: what is expected is noted by `expect` around them,
// or by the parsers of terms and names, which know what to say.

fn quiet<T>() -> Result<T, nom::Err<Fail>> {
    Err(nom::Err::Error(Fail::Expected))
}

/// The next token, if `pick` takes it.
pub(super) fn token<'t, T>(
    pick: impl Fn(&'t Token<'t>) -> Option<T>,
) -> impl Fn(Input<'t>) -> PResult<'t, T> {
    move |i: Input<'t>| match i.bump() {
        Some((rest, t)) => match pick(t) {
            Some(value) => Ok((rest, value)),
            None => quiet(),
        },
        None => quiet(),
    }
}

/// Is `t` the keyword `word` (any case)?
pub(super) fn is_word(t: &Token<'_>, word: &str) -> bool {
    t.kind == TokenKind::Word && t.text.eq_ignore_ascii_case(word)
}

/// The keyword `word` (any case); gives its span.
pub(super) fn kw<'t>(word: &'static str) -> impl Fn(Input<'t>) -> PResult<'t, Span> {
    token(move |t| is_word(t, word).then_some(t.span))
}

/// One of the keywords `words` (any case); gives the word as listed.
pub(super) fn kw_in<'t>(
    words: &'static [&'static str],
) -> impl Fn(Input<'t>) -> PResult<'t, &'static str> {
    token(move |t: &Token<'_>| {
        let word = (t.kind == TokenKind::Word).then_some(t.text)?;
        words.iter().copied().find(|k| k.eq_ignore_ascii_case(word))
    })
}

/// A punctuation token; gives its span.
pub(super) fn punct<'t>(kind: TokenKind) -> impl Fn(Input<'t>) -> PResult<'t, Span> {
    token(move |t| (t.kind == kind).then_some(t.span))
}

/// The end of the tokens.
fn end(i: Input<'_>) -> PResult<'_, ()> {
    match i.peek() {
        None => Ok((i, ())),
        Some(_) => quiet(),
    }
}

/// `parser`, noting `what` as expected where it fails without reading.
pub(super) fn expect<'t, P: Parser<Input<'t>, Error = Fail>>(
    what: Expect,
    mut parser: P,
) -> impl FnMut(Input<'t>) -> PResult<'t, P::Output> {
    move |i| match parser.parse(i) {
        Err(nom::Err::Error(fail)) => {
            i.expect(what);
            Err(nom::Err::Error(fail))
        }
        other => other,
    }
}

/// `|` joining one more word to a list, when the token after it is a word that `joins`
/// accepts; otherwise the `|` is left (it starts a stage). At the end of the text, `what`
/// could have followed the `|` (for completion; errors say what the `|` lacks).
pub(super) fn join<'t>(
    joins: fn(&Token<'_>) -> bool,
    what: Expect,
) -> impl Fn(Input<'t>) -> PResult<'t, ()> {
    move |i: Input<'t>| {
        let (rest, _) = punct(TokenKind::Pipe)(i)?;
        match rest.peek() {
            Some(t) if t.kind == TokenKind::Word && joins(t) => Ok((rest, ())),
            Some(_) => quiet(),
            None => {
                rest.expect_at_end(what);
                quiet()
            }
        }
    }
}

/// `item, item, …`: one item or more. Where no comma follows an item, a comma is noted
/// as what could have stood there.
pub(super) fn comma_list<'t, P: Parser<Input<'t>, Error = Fail>>(
    item: P,
) -> impl Parser<Input<'t>, Output = Vec<P::Output>, Error = Fail> {
    nom::multi::separated_list1(
        expect(Expect::Punct(","), punct(TokenKind::Comma)),
        nom::combinator::cut(item),
    )
}

/// A token's text for an error message: quoted in backticks, cut to one short line.
/// `did you mean `status`?` for a word close to a keyword that could have stood there
/// (`statis any`, `withn 2024`, `| sortt start`), as names get for entities.
pub(super) fn keyword_hint(word: &str, expected: &[Expect]) -> Option<String> {
    let keywords: Vec<&str> = expected
        .iter()
        .flat_map(|e| e.keywords())
        .copied()
        .collect();
    let norm = crate::names::normalise(word);
    let suggestions = crate::names::suggest(&norm, keywords.iter().map(|k| (*k, *k)), 3);
    if suggestions.is_empty() {
        return None;
    }
    let shown: Vec<String> = suggestions.iter().map(|s| format!("`{s}`")).collect();
    Some(format!("did you mean {}?", shown.join(" or ")))
}

fn shown(text: &str) -> String {
    format!("`{}`", shown_raw(text))
}

pub(super) fn shown_raw(text: &str) -> String {
    super::error::clip(text).into_owned()
}

#[cfg(test)]
#[path = "../parse_tests/mod.rs"]
mod tests;
