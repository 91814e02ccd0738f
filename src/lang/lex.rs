//! Lexing: query text → tokens with byte spans (nom), skipping whitespace and `#`
//! comments, and rejecting characters that have no place in a query. `#` followed right
//! away by a digit is no comment but a relation's id (`#412`).

use super::ast::Span;
use super::error::ParseError;
use crate::names::is_bidi_control;
use nom::bytes::complete::{tag, take_while, take_while1};
use nom::character::complete::satisfy;
use nom::combinator::recognize;
use nom::{IResult, Parser};

/// One token of a query.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token<'a> {
    pub kind: TokenKind,
    /// The token's text as written.
    pub text: &'a str,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TokenKind {
    /// An identifier: a keyword, a name, a predicate id, a column…
    Word,
    /// `?name` or `?name:kind` (the kind with its span).
    Var {
        name: String,
        kind: Option<(String, Span)>,
    },
    /// `$name`
    Param(String),
    /// `@name`: the label of a relation clause, or a reference to it.
    Label(String),
    /// `"…"`, with escapes resolved.
    Str(String),
    /// `#412`: a relation's id (the digits are the token's text after `#`).
    Handle,
    /// A date or number: a run of date characters starting with a digit, `-digit`,
    /// `Ydigit` or `Y-digit`.
    Lit,
    DotDot,
    Dot,
    /// `/`: only in dates of writes (`2023-01/2024-06`).
    Slash,
    /// `-` alone: only in source ids and language codes (`seed-article`).
    Dash,
    Comma,
    Pipe,
    Star,
    DashDash,
    LParen,
    RParen,
    Equals,
    /// `<`, `<=`, `>=`, `>`: only in `confidence >= 0.7`.
    Compare,
}

/// Why text could not be split into tokens.
#[derive(Debug)]
pub(crate) struct LexError {
    pub error: ParseError,
    /// More text at the end could fix it: the text ends inside a string, or right
    /// after the `:` of `?x:` (which promises a kind).
    pub unfinished: bool,
}

impl From<ParseError> for LexError {
    fn from(error: ParseError) -> Self {
        LexError {
            error,
            unfinished: false,
        }
    }
}

/// Can `c` start an identifier?
pub(crate) fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

/// Can `c` continue an identifier? Letters, digits, `_`, combining marks (harakat,
/// vowel signs) and the joiners ZWNJ/ZWJ used in Persian and Indic scripts.
pub(crate) fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric()
        || c == '_'
        || c == '\u{200C}'
        || c == '\u{200D}'
        || unicode_normalization::char::is_combining_mark(c)
}

/// Characters of a date token (see LANGUAGE.md): digits, `-` and EDTF's markers.
pub(crate) fn is_date_char(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, '-' | 'X' | 'Q' | 'H' | '?' | '~' | '%' | 'S' | 'E')
}

/// Is `text` exactly one identifier?
pub(crate) fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(is_ident_start) && chars.all(is_ident_char)
}

type LexResult<'a, O> = IResult<&'a str, O, nom::error::Error<&'a str>>;

fn identifier(input: &str) -> LexResult<'_, &str> {
    recognize((satisfy(is_ident_start), take_while(is_ident_char))).parse(input)
}

fn trivia(input: &str) -> LexResult<'_, &str> {
    take_while1(char::is_whitespace).parse(input)
}

/// `#` to the end of the line, unless a digit follows the `#` (then it is a handle).
fn comment(input: &str) -> LexResult<'_, &str> {
    if starts_handle(input) {
        return Err(nom::Err::Error(nom::error::Error::new(
            input,
            nom::error::ErrorKind::Tag,
        )));
    }
    recognize((tag("#"), take_while(|c| c != '\n'))).parse(input)
}

/// Does a relation's id (`#412`) start here: `#` and right after it an ASCII digit?
pub(crate) fn starts_handle(rest: &str) -> bool {
    let mut chars = rest.chars();
    chars.next() == Some('#') && chars.next().is_some_and(|c| c.is_ascii_digit())
}

/// Does a date token start here? A digit, `-digit`, `Y-digit`, or `Ydigit` when the
/// identifier starting at `Y` is made of date characters only (`Y17E7` is a date, `Y2K`
/// and `YES` are names). The decision looks at the whole identifier, so a name never
/// turns into a date when what follows it changes.
pub(crate) fn starts_date(rest: &str) -> bool {
    let mut chars = rest.chars();
    match chars.next() {
        Some(c) if c.is_ascii_digit() => true,
        Some('-') => chars.next().is_some_and(|c| c.is_ascii_digit()),
        Some('Y') => match chars.next() {
            Some('-') => chars.next().is_some_and(|c| c.is_ascii_digit()),
            Some(c) if c.is_ascii_digit() => {
                let word_end = rest[1..]
                    .find(|c: char| !is_ident_char(c))
                    .map_or(rest.len(), |i| i + 1);
                rest[1..word_end].chars().all(is_date_char)
            }
            _ => false,
        },
        _ => false,
    }
}

/// A date token: its first character (digit, `-` or `Y`) and then date characters.
fn date_token(input: &str) -> LexResult<'_, &str> {
    let (after, date) = recognize((
        satisfy(|c| c == 'Y' || is_date_char(c)),
        take_while(is_date_char),
    ))
    .parse(input)?;
    // A date-time (`2025-04-28T10:00:00Z`) is one token, as in data: src/time reads it
    // as its day, or says what is wrong with it.
    let time = after
        .strip_prefix('T')
        .filter(|t| t.starts_with(|c: char| c.is_ascii_digit()));
    if let Some(time) = time {
        let len = time
            .find(|c: char| !(c.is_ascii_digit() || matches!(c, ':' | '.' | '+' | '-' | 'Z')))
            .unwrap_or(time.len());
        let end = date.len() + 1 + len;
        return Ok((&input[end..], &input[..end]));
    }
    Ok((after, date))
}

/// Splits `source` into tokens.
pub(crate) fn lex(source: &str) -> Result<Vec<Token<'_>>, LexError> {
    let mut tokens = Vec::new();
    let mut rest = source;
    loop {
        // Whitespace and comments.
        loop {
            if let Ok((after, _)) = trivia(rest) {
                rest = after;
            } else if let Ok((after, text)) = comment(rest) {
                let at = source.len() - rest.len();
                check_controls(source, at, text)?;
                rest = after;
            } else {
                break;
            }
        }
        let Some(c) = rest.chars().next() else {
            return Ok(tokens);
        };
        let start = source.len() - rest.len();
        let (after, kind) = lex_one(source, start, rest, c)?;
        let end = source.len() - after.len();
        tokens.push(Token {
            kind,
            text: &source[start..end],
            span: Span::new(start, end),
        });
        rest = after;
    }
}

/// Refuses NUL and the bidi controls, which can make a query read differently from what
/// it does.
fn check_controls(source: &str, at: usize, text: &str) -> Result<(), ParseError> {
    for (i, c) in text.char_indices() {
        if c == '\0' || is_bidi_control(c) {
            return Err(control_error(source, at + i, c));
        }
    }
    Ok(())
}

fn control_error(source: &str, at: usize, c: char) -> ParseError {
    let what = if c == '\0' {
        "a NUL character".to_string()
    } else {
        format!("the bidirectional control U+{:04X}", c as u32)
    };
    ParseError::at(
        source,
        Span::new(at, at + c.len_utf8()),
        format!("{what} is not allowed outside a string"),
    )
    .with_hint("remove it; such characters may only appear inside \"…\"")
}

fn lex_one<'a>(
    source: &str,
    start: usize,
    rest: &'a str,
    c: char,
) -> Result<(&'a str, TokenKind), LexError> {
    let simple = |len: usize, kind: TokenKind| Ok((&rest[len..], kind));
    match c {
        '"' => string(source, start, rest),
        '#' => handle(source, start, rest),
        '?' | '$' | '@' => variable(source, start, rest, c),
        _ if starts_date(rest) => {
            let Ok((after, _)) = date_token(rest) else {
                return Err(unexpected_char(source, start, c).into());
            };
            // A date glued to letters (`2024a`, `Y7-x`) is neither a date nor a name.
            if after.chars().next().is_some_and(is_ident_char) {
                let end = rest.len() - after.len()
                    + after
                        .find(|c: char| !is_ident_char(c) && !is_date_char(c))
                        .unwrap_or(after.len());
                return Err(ParseError::at(
                    source,
                    Span::new(start, start + end),
                    format!("`{}` is neither a date nor a number", &rest[..end]),
                )
                .with_hint(
                    "dates look like 2024, 2024-05, 2024-05-28, 2024-Q3 or 2024-H2; \
                     to mean a name, write it in quotes",
                )
                .into());
            }
            Ok((after, TokenKind::Lit))
        }
        _ if is_ident_start(c) => match identifier(rest) {
            Ok((after, _)) => Ok((after, TokenKind::Word)),
            Err(_) => Err(unexpected_char(source, start, c).into()),
        },
        '.' if rest.starts_with("..") => simple(2, TokenKind::DotDot),
        '.' => simple(1, TokenKind::Dot),
        ',' => simple(1, TokenKind::Comma),
        '|' => simple(1, TokenKind::Pipe),
        '*' => simple(1, TokenKind::Star),
        '-' if rest.starts_with("--") => simple(2, TokenKind::DashDash),
        '-' => simple(1, TokenKind::Dash),
        '/' => simple(1, TokenKind::Slash),
        '(' => simple(1, TokenKind::LParen),
        ')' => simple(1, TokenKind::RParen),
        '=' => simple(1, TokenKind::Equals),
        '<' | '>' if rest[1..].starts_with('=') => simple(2, TokenKind::Compare),
        '<' | '>' => simple(1, TokenKind::Compare),
        '\0' => Err(control_error(source, start, c).into()),
        _ if is_bidi_control(c) => Err(control_error(source, start, c).into()),
        _ => Err(unexpected_char(source, start, c).into()),
    }
}

fn unexpected_char(source: &str, start: usize, c: char) -> ParseError {
    let shown = if c.is_control() || c.is_whitespace() {
        format!("U+{:04X}", c as u32)
    } else {
        format!("`{c}`")
    };
    ParseError::at(
        source,
        Span::new(start, start + c.len_utf8()),
        format!("unexpected character {shown}"),
    )
    .with_hint("names with other characters are written in quotes: \"…\"")
}

/// `#` and digits: a relation's id. Letters glued to the digits make no id.
fn handle<'a>(source: &str, start: usize, rest: &'a str) -> Result<(&'a str, TokenKind), LexError> {
    let digits = 1 + rest[1..]
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len() - 1);
    let after = &rest[digits..];
    if after.chars().next().is_some_and(is_ident_char) {
        let end = digits
            + after
                .find(|c: char| !is_ident_char(c))
                .unwrap_or(after.len());
        return Err(ParseError::at(
            source,
            Span::new(start, start + end),
            format!("`{}` is no relation id", &rest[..end]),
        )
        .with_hint(
            "a relation id is `#` and digits, such as #412; a comment starts with `#` and \
             a space or a letter",
        )
        .into());
    }
    Ok((after, TokenKind::Handle))
}

/// `?name`, `?name:kind`, `$name` or `@name`.
fn variable<'a>(
    source: &str,
    start: usize,
    rest: &'a str,
    sigil: char,
) -> Result<(&'a str, TokenKind), LexError> {
    let after_sigil = &rest[1..];
    let what = match sigil {
        '?' => "a variable name",
        '@' => "a label name",
        _ => "a parameter name",
    };
    let Ok((after, name)) = identifier(after_sigil) else {
        return Err(missing_after(source, start + 1, after_sigil, what, &sigil.to_string()).into());
    };
    match sigil {
        '$' => return Ok((after, TokenKind::Param(name.to_string()))),
        '@' => return Ok((after, TokenKind::Label(name.to_string()))),
        _ => {}
    }
    let Some(after_colon) = after.strip_prefix(':') else {
        return Ok((
            after,
            TokenKind::Var {
                name: name.to_string(),
                kind: None,
            },
        ));
    };
    let kind_start = source.len() - after_colon.len();
    match identifier(after_colon) {
        Ok((after_kind, kind)) => Ok((
            after_kind,
            TokenKind::Var {
                name: name.to_string(),
                kind: Some((
                    kind.to_string(),
                    Span::new(kind_start, kind_start + kind.len()),
                )),
            },
        )),
        Err(_) => Err(LexError {
            error: missing_after(
                source,
                kind_start,
                after_colon,
                "a kind (such as person)",
                &format!("?{name}:"),
            ),
            unfinished: after_colon.is_empty(),
        }),
    }
}

fn missing_after(source: &str, at: usize, rest: &str, what: &str, after: &str) -> ParseError {
    let found = rest.chars().next();
    let span = Span::new(at, at + found.map_or(0, char::len_utf8));
    ParseError::expected(
        source,
        span,
        vec![format!("{what} right after `{after}`")],
        Some(match found {
            Some(c) if !c.is_whitespace() => format!("`{c}`"),
            Some(_) => "a space".to_string(),
            None => "the end of the query".to_string(),
        }),
    )
}

/// `"…"` with `\"` and `\\` as the only escapes; any other backslash is an error (so
/// that every string has one spelling and prints back as it was read).
fn string<'a>(source: &str, start: usize, rest: &'a str) -> Result<(&'a str, TokenKind), LexError> {
    let mut value = String::new();
    let mut chars = rest.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Ok((&rest[i + 1..], TokenKind::Str(value))),
            '\\' => match chars.next() {
                Some((_, e @ ('"' | '\\'))) => value.push(e),
                Some((j, e)) => {
                    return Err(ParseError::at(
                        source,
                        Span::new(start + i, start + j + e.len_utf8()),
                        format!("unknown escape `\\{e}` in a string"),
                    )
                    .with_hint("only \\\" and \\\\ are escapes; write \\\\ for a backslash")
                    .into());
                }
                None => break,
            },
            _ => value.push(c),
        }
    }
    Err(LexError {
        error: ParseError::at(
            source,
            Span::new(start, source.len()),
            "unterminated string",
        )
        .with_hint("close it with `\"`"),
        unfinished: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<TokenKind> {
        lex(src).unwrap().into_iter().map(|t| t.kind).collect()
    }

    fn texts(src: &str) -> Vec<&str> {
        lex(src).unwrap().into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn identifiers_in_any_script() {
        let cases = [
            ("بيزيشكيان", true),
            ("مُحَمَّد", true),
            ("_x1", true),
            ("إلهام علييف", false),
            ("2024", false),
        ];
        for (text, identifier) in cases {
            assert_eq!(is_identifier(text), identifier, "{text:?}");
        }
    }

    #[test]
    fn words_vars_params_strings_and_punctuation() {
        assert_eq!(
            texts("?x:person visited|met \"a b\" , $p -- * ( ) = . .."),
            vec![
                "?x:person",
                "visited",
                "|",
                "met",
                "\"a b\"",
                ",",
                "$p",
                "--",
                "*",
                "(",
                ")",
                "=",
                ".",
                ".."
            ]
        );
        assert_eq!(
            kinds("?x:person")[0],
            TokenKind::Var {
                name: "x".into(),
                kind: Some(("person".into(), Span::new(3, 9)))
            }
        );
    }

    #[test]
    fn labels_follow_the_rules_of_variables() {
        assert_eq!(
            kinds("@v @زيارة @in"),
            vec![
                TokenKind::Label("v".into()),
                TokenKind::Label("زيارة".into()),
                TokenKind::Label("in".into())
            ]
        );
        assert_eq!(texts("?x@v,@w"), vec!["?x", "@v", ",", "@w"]);
        // A kind is for variables only: `@v:x` is a label and then a stray colon.
        assert_eq!(
            lex("@v:x").unwrap_err().error.message,
            "unexpected character `:`"
        );
        let e = lex("after @").unwrap_err().error;
        assert_eq!(
            e.to_string(),
            "expected a label name right after `@` at 1:8, found the end of the query"
        );
        let e = lex("after @2024").unwrap_err().error;
        assert!(e.message.contains("a label name"), "{e}");
    }

    #[test]
    fn arabic_identifiers_with_marks_and_joiners() {
        assert_eq!(texts("مُحَمَّد می‌خواهد"), vec!["مُحَمَّد", "می‌خواهد"]);
    }

    #[test]
    fn ranges_split_into_dates_and_dots() {
        assert_eq!(texts("2024..2025-03"), vec!["2024", "..", "2025-03"]);
        assert_eq!(texts("..-0100"), vec!["..", "-0100"]);
        assert_eq!(
            texts("2024-Q3 2024-H2 19XX 2024-06~ Y17E7 Y-170000002"),
            vec![
                "2024-Q3",
                "2024-H2",
                "19XX",
                "2024-06~",
                "Y17E7",
                "Y-170000002"
            ]
        );
        assert_eq!(
            kinds("Y2K YES Y2024abc"),
            vec![TokenKind::Word, TokenKind::Word, TokenKind::Word]
        );
        assert_eq!(kinds("Y2024"), vec![TokenKind::Lit]);
    }

    /// Found by the fuzz target: `Y7` was a name when glued to `--?sale` and a date when
    /// printed apart, so the canonical text did not parse back.
    #[test]
    fn y_dates_do_not_depend_on_what_follows() {
        assert_eq!(kinds("Y7 --"), vec![TokenKind::Lit, TokenKind::DashDash]);
        let e = lex("Y7--?sale").unwrap_err().error;
        assert_eq!(e.message, "`Y7--?sale` is neither a date nor a number");
    }

    #[test]
    fn comments_and_newlines_are_whitespace() {
        assert_eq!(texts("a # comment | b\n  c"), vec!["a", "c"]);
        assert_eq!(texts("a #comment\n#\n# 1 2\nc #"), vec!["a", "c"]);
        assert_eq!(texts("a #x1 #_2 ##3"), vec!["a"]);
    }

    #[test]
    fn a_hash_and_a_digit_are_a_relation_id() {
        assert_eq!(texts("history #412 # note"), vec!["history", "#412"]);
        assert_eq!(kinds("#0"), vec![TokenKind::Handle]);
        assert_eq!(texts("#1,#2|#3"), vec!["#1", ",", "#2", "|", "#3"]);
        let e = lex("retract #41a").unwrap_err().error;
        assert_eq!(e.message, "`#41a` is no relation id");
        assert_eq!(e.span, Span::new(8, 12));
    }

    #[test]
    fn slashes_and_lone_dashes_for_dates_and_source_ids() {
        assert_eq!(
            kinds("2023-01/2024-06"),
            vec![TokenKind::Lit, TokenKind::Slash, TokenKind::Lit]
        );
        assert_eq!(texts("../2024"), vec!["..", "/", "2024"]);
        assert_eq!(texts("2024/.."), vec!["2024", "/", ".."]);
        assert_eq!(
            kinds("seed-article kan-0508"),
            vec![
                TokenKind::Word,
                TokenKind::Dash,
                TokenKind::Word,
                TokenKind::Word,
                TokenKind::Lit
            ]
        );
        assert_eq!(
            kinds("a--b"),
            vec![TokenKind::Word, TokenKind::DashDash, TokenKind::Word]
        );
    }

    #[test]
    fn strings_resolve_escapes() {
        assert_eq!(
            kinds(r#""a \"q\" \\ b""#),
            vec![TokenKind::Str(r#"a "q" \ b"#.into())]
        );
        let e = lex(r#"x "a\nb""#).unwrap_err().error;
        assert_eq!(e.span, Span::new(4, 6));
        assert!(e.message.contains("unknown escape `\\n`"));
    }

    #[test]
    fn unterminated_string_points_at_its_quote() {
        let e = lex("?x visited \"Baku").unwrap_err().error;
        assert_eq!(e.message, "unterminated string");
        assert_eq!((e.line, e.col), (1, 12));
        let e = lex("\"abc\\").unwrap_err().error;
        assert_eq!(e.span.start, 0);
    }

    #[test]
    fn controls_are_refused_outside_strings_only() {
        assert!(lex("\"a\u{202E}b\0\"").is_ok());
        let e = lex("a \u{202E}b").unwrap_err().error;
        assert!(e.message.contains("U+202E"), "{e}");
        assert_eq!(e.col, 3);
        let e = lex("a # x\u{2066}").unwrap_err().error;
        assert!(e.message.contains("U+2066"), "{e}");
        let e = lex("a\0").unwrap_err().error;
        assert!(e.message.contains("NUL"), "{e}");
    }

    #[test]
    fn bad_characters_and_dates() {
        let e = lex("?x visited ;home").unwrap_err().error;
        assert_eq!(e.message, "unexpected character `;`");
        let e = lex("?x visited \\home").unwrap_err().error;
        assert_eq!(e.message, "unexpected character `\\`");
        let e = lex("in 2024a").unwrap_err().error;
        assert_eq!(e.message, "`2024a` is neither a date nor a number");
        assert_eq!(e.span, Span::new(3, 8));
        let e = lex("?").unwrap_err().error;
        assert_eq!(
            e.to_string(),
            "expected a variable name right after `?` at 1:2, found the end of the query"
        );
        let e = lex("?x: person").unwrap_err().error;
        assert!(e.message.contains("a kind"), "{e}");
    }
}
