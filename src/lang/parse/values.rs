//! The values of writes and questions about the past: relation ids (`#412`), strings,
//! entities named by a write, dates as the data writes them (`early 2025-05`,
//! `2023-01/2024-06`), words with `-` and `.` (source ids, language codes, authors),
//! confidences, and the `WORD VALUE` fields of relations and sources.

use nom::combinator::{cut, map, opt};
use nom::Parser;

use super::super::keywords::{self as kw, is_one_of};
use super::super::lex::{lex, Token, TokenKind};
use super::terms::{predicate_id, term};
use super::{expect, kw_in, punct, Expect, Fail, Input, PResult, Tracker};
use crate::lang::ast::*;

/// `#412`: a relation's id.
pub(super) fn handle(i: Input<'_>) -> PResult<'_, Handle> {
    match i.bump() {
        Some((rest, t)) if t.kind == TokenKind::Handle => match t.text[1..].parse::<u64>() {
            Ok(id) => Ok((rest, Handle { id, span: t.span })),
            Err(_) => i.error_at(
                t.span,
                format!("the relation id {} is too large", super::shown_raw(t.text)),
                "no relation has an id this large: check the number".to_string(),
            ),
        },
        _ => i.fail(Expect::Handle),
    }
}

/// The next token if it is a string: the input after it, and the string.
fn string(i: Input<'_>) -> Option<(Input<'_>, Text)> {
    match i.peek() {
        Some(Token {
            kind: TokenKind::Str(value),
            span,
            ..
        }) => Some((
            i.skip(),
            Text {
                value: value.clone(),
                span: *span,
            },
        )),
        _ => None,
    }
}

/// A string, `"…"`; `what` names it where none stands.
pub(super) fn text<'t>(what: Expect) -> impl Fn(Input<'t>) -> PResult<'t, Text> {
    move |i: Input<'t>| match (string(i), i.peek()) {
        (Some(found), _) => Ok(found),
        (None, Some(t)) if t.kind == TokenKind::Word => {
            let hint = format!("write it in quotes: \"{}\"", t.text);
            i.fail_hint(what, hint)
        }
        _ => i.fail(what),
    }
}

/// Strings separated by `,`: `"a", "b"`.
pub(super) fn texts(i: Input<'_>) -> PResult<'_, Vec<Text>> {
    super::comma_list(text(Expect::Text)).parse(i)
}

/// An entity named by a write: a name or a string, as in queries. Variables, `_` and
/// parameters are refused: a write names the entities it changes.
pub(super) fn entity(i: Input<'_>) -> PResult<'_, Term> {
    let (rest, found) = term(Expect::Entity)(i)?;
    match found.kind {
        TermKind::Name(_) | TermKind::Text(_) => Ok((rest, found)),
        _ => {
            let shown = super::shown_raw(&i.source()[found.span.start..found.span.end]);
            i.error_at(
                found.span,
                format!("`{shown}` names no entity: a write names the entities it changes"),
                "write the entity's id or name, or its name in quotes: \"Ilham Aliyev\""
                    .to_string(),
            )
        }
    }
}

/// One word, `what` naming it where none stands: the id of a new entity or predicate, a
/// kind, a status (checked by the store and the planner).
pub(super) fn word_of<'t>(what: Expect) -> impl Fn(Input<'t>) -> PResult<'t, Ident> {
    move |i: Input<'t>| match i.bump() {
        Some((rest, t)) if t.kind == TokenKind::Word => Ok((
            rest,
            Ident {
                name: t.text.to_string(),
                span: t.span,
            },
        )),
        _ => i.fail(what),
    }
}

/// Tokens that may be glued into a word with `-` and `.` (`seed-article`, `kan-0508`,
/// `zh-Hans`).
fn joins_word(t: &Token<'_>) -> bool {
    matches!(
        t.kind,
        TokenKind::Word
            | TokenKind::Lit
            | TokenKind::Dot
            | TokenKind::DotDot
            | TokenKind::Dash
            | TokenKind::DashDash
    )
}

/// Is `text` a word of letters, digits, `_`, `.` and `-` starting with a letter, a digit
/// or `_` (ASCII only: `[A-Za-z0-9_][A-Za-z0-9_.-]*`)?
fn is_dashed_word(text: &str) -> bool {
    let mut bytes = text.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
}

/// The tokens of `i` glued to each other (no space between them) from the next one on,
/// while `joins` takes them: the input after them and their span.
fn glued<'t>(i: Input<'t>, joins: fn(&Token<'_>) -> bool) -> (Input<'t>, Option<Span>) {
    let mut rest = i;
    let mut span: Option<Span> = None;
    while let Some(t) = rest.peek() {
        let touches = span.is_none_or(|s| s.end == t.span.start);
        if !touches || !joins(t) {
            break;
        }
        span = Some(Span::new(
            span.map_or(t.span.start, |s| s.start),
            t.span.end,
        ));
        rest = rest.skip();
    }
    (rest, span)
}

/// A source id, a language code or an author: a string, or a word of ASCII letters,
/// digits, `_`, `.` and `-` written without spaces (`seed-article`, `kan-0508`).
pub(super) fn dashed_word<'t>(what: Expect) -> impl Fn(Input<'t>) -> PResult<'t, Ident> {
    move |i: Input<'t>| {
        if let Some((rest, found)) = string(i) {
            let (name, span) = (found.value, found.span);
            return Ok((rest, Ident { name, span }));
        }
        let starts =
            matches!(i.peek(), Some(t) if matches!(t.kind, TokenKind::Word | TokenKind::Lit));
        let (rest, Some(span)) = (if starts {
            glued(i, joins_word)
        } else {
            (i, None)
        }) else {
            return i.fail(what);
        };
        let name = &i.source()[span.start..span.end];
        if !is_dashed_word(name) {
            return i.error_at(
                span,
                format!("`{}` cannot be written bare here", super::shown_raw(name)),
                format!(
                    "bare, it is ASCII letters, digits, `_`, `.` and `-`; write others in \
                     quotes: {}",
                    crate::lang::quote(name)
                ),
            );
        }
        let name = name.to_string();
        Ok((rest, Ident { name, span }))
    }
}

/// Would `text` read back as itself from [`dashed_word`], bare?
pub(crate) fn is_bare_dashed_word(text: &str) -> bool {
    fn read(i: Input<'_>) -> PResult<'_, String> {
        dashed_word(Expect::SourceId)(i).map(|(rest, word)| (rest, word.name))
    }
    is_dashed_word(text) && reads_whole(text, read)
}

/// Tokens of a date glued together: `2023-01/2024-06`, `../2024`, `2024/..`, `..`.
fn joins_date(t: &Token<'_>) -> bool {
    matches!(
        t.kind,
        TokenKind::Lit | TokenKind::DotDot | TokenKind::Slash
    )
}

/// A date of a write: a string (any text: `"mid 2024"`), or bare, an optional `early`,
/// `mid`, `late`, `before` or `after` and one date written without spaces. The text is
/// src/time's to read.
pub(super) fn date_text(i: Input<'_>) -> PResult<'_, DateText> {
    if let Some((rest, found)) = string(i) {
        let (text, span) = (found.value, found.span);
        return Ok((rest, DateText { text, span }));
    }
    let start = i.here();
    let (after_word, word) = opt(kw_in(kw::DATE_TEXT_WORDS)).parse(i)?;
    let (rest, Some(date)) = glued(after_word, joins_date) else {
        return match word {
            // `early` and the like promise a date.
            Some(_) => {
                after_word.expect(Expect::Date);
                Err(nom::Err::Failure(Fail::Expected))
            }
            None => after_word.fail(Expect::DateText),
        };
    };
    let written = &i.source()[date.start..date.end];
    let text = match word {
        Some(word) => format!("{word} {written}"),
        None => written.to_string(),
    };
    Ok((
        rest,
        DateText {
            text,
            span: rest.span_from(start),
        },
    ))
}

/// Would `text` read back as itself from [`date_text`], bare?
pub(crate) fn is_bare_date_text(text: &str) -> bool {
    fn read(i: Input<'_>) -> PResult<'_, String> {
        date_text(i).map(|(rest, date)| (rest, date.text))
    }
    reads_whole(text, read)
}

/// Does `parser` read all of `text` and give `text` back?
fn reads_whole(text: &str, parser: for<'t> fn(Input<'t>) -> PResult<'t, String>) -> bool {
    let Ok(tokens) = lex(text) else {
        return false;
    };
    let tracker = Tracker::new(text, &tokens);
    matches!(
        parser(Input::new(&tracker)),
        Ok((rest, read)) if rest.peek().is_none() && read == text
    )
}

/// A confidence: a number written without spaces (`0.7`, `1`, `.5`). Its range is the
/// store's to check, as it checks imported ones.
pub(super) fn confidence(i: Input<'_>) -> PResult<'_, (f64, String)> {
    fn joins(t: &Token<'_>) -> bool {
        matches!(t.kind, TokenKind::Lit | TokenKind::Dot)
    }
    let (rest, Some(span)) = glued(i, joins) else {
        return i.fail(Expect::Confidence);
    };
    let text = &i.source()[span.start..span.end];
    let digits = text.bytes().filter(u8::is_ascii_digit).count();
    let dots = text.bytes().filter(|b| *b == b'.').count();
    let value = if digits + dots == text.len() && digits > 0 && dots <= 1 {
        text.parse::<f64>().ok()
    } else {
        None
    };
    match value {
        Some(value) => Ok((rest, (value, text.to_string()))),
        None => i.error_at(
            span,
            format!("`{}` is no confidence", super::shown_raw(text)),
            "a confidence is a number from 0 to 1, such as 0.7".to_string(),
        ),
    }
}

/// `WORD VALUE` fields among `allowed`, separated by spaces or `,`, each at most once.
/// They end before a word that is no field of `allowed` (with a did-you-mean hint, in
/// case that is where the statement goes wrong).
pub(super) fn fields<'t>(
    allowed: &'static [&'static str],
) -> impl Fn(Input<'t>) -> PResult<'t, Vec<Field>> {
    move |mut i: Input<'t>| {
        let mut found: Vec<Field> = Vec::new();
        loop {
            let comma = match found.is_empty() {
                true => None,
                false => punct(TokenKind::Comma)(i).ok().map(|(rest, _)| rest),
            };
            let at = comma.unwrap_or(i);
            match field(allowed)(at) {
                Ok((rest, new)) => {
                    if let Some(first) = found.iter().find(|f| f.kind.word() == new.kind.word()) {
                        let word = new.kind.word();
                        let (line, col) = crate::lang::line_col(i.source(), first.span.start);
                        return rest.error_at(
                            new.span,
                            format!("`{word}` is given twice"),
                            format!("keep one `{word}`; the first is at {line}:{col}"),
                        );
                    }
                    found.push(new);
                    i = rest;
                }
                // After a comma, a field must follow.
                Err(nom::Err::Error(fail)) if comma.is_some() => {
                    return Err(nom::Err::Failure(fail));
                }
                Err(nom::Err::Error(_)) => {
                    if !found.is_empty() {
                        i.expect(Expect::Punct(","));
                    }
                    hint_field(i, allowed);
                    return Ok((i, found));
                }
                Err(e) => return Err(e),
            }
        }
    }
}

/// Notes, where a word close to a field of `allowed` stands, which field it may mean.
fn hint_field(i: Input<'_>, allowed: &'static [&'static str]) {
    let Some(t) = i.peek().filter(|t| t.kind == TokenKind::Word) else {
        return;
    };
    if is_one_of(allowed, t.text) {
        return;
    }
    if let Some(hint) = super::keyword_hint(t.text, &[Expect::Field(allowed)]) {
        let _ = i.fail_hint::<()>(Expect::Field(allowed), hint);
    }
}

/// One field among `allowed`: its word, then its value.
fn field<'t>(allowed: &'static [&'static str]) -> impl Fn(Input<'t>) -> PResult<'t, Field> {
    move |i: Input<'t>| {
        let start = i.here();
        let (after, word) = expect(Expect::Field(allowed), kw_in(allowed)).parse(i)?;
        let (rest, kind) = match word {
            kw::WHEN => cut(map(date_text, FieldKind::When)).parse(after)?,
            kw::FROM => cut(map(date_text, FieldKind::From)).parse(after)?,
            kw::TO => cut(map(date_text, FieldKind::To)).parse(after)?,
            kw::AT => cut(map(date_text, FieldKind::At)).parse(after)?,
            kw::PUBLISHED => cut(map(date_text, FieldKind::Published)).parse(after)?,
            kw::REPORTED => cut(map(date_text, FieldKind::Reported)).parse(after)?,
            kw::STATUS => cut(map(word_of(Expect::StatusWord), FieldKind::Status)).parse(after)?,
            kw::PLACE => cut(map(entity, FieldKind::Place)).parse(after)?,
            kw::SUBJECT => cut(map(entity, FieldKind::Subject)).parse(after)?,
            kw::OBJECT => cut(map(entity, FieldKind::Object)).parse(after)?,
            kw::SOURCE => {
                cut(map(dashed_word(Expect::SourceId), FieldKind::Source)).parse(after)?
            }
            kw::LANG => cut(map(dashed_word(Expect::Language), FieldKind::Lang)).parse(after)?,
            kw::PREDICATE => cut(map(predicate_id, FieldKind::Predicate)).parse(after)?,
            kw::QUOTE => cut(map(text(Expect::Text), FieldKind::Quote)).parse(after)?,
            kw::NOTE => cut(map(text(Expect::Text), FieldKind::Note)).parse(after)?,
            kw::URL => cut(map(text(Expect::Text), FieldKind::Url)).parse(after)?,
            kw::TITLE => cut(map(text(Expect::Text), FieldKind::Title)).parse(after)?,
            _ => cut(map(confidence, |(value, text)| FieldKind::Confidence {
                value,
                text,
            }))
            .parse(after)?,
        };
        Ok((
            rest,
            Field {
                kind,
                span: rest.span_from(start),
            },
        ))
    }
}
