//! A forgiving scan of statement text for the REPL: tokens with byte spans that never
//! fail, so that half-typed input (an open string, `?x:` without a kind, a stray
//! character) can still be completed, validated and coloured. The character classes
//! and where a date starts are the language lexer's own; the parser remains the judge
//! of validity.

use std::ops::Range;

use crate::lang::{is_date_char, is_ident_char, is_ident_start, starts_date, starts_handle};

/// What a scanned token is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// An identifier: a keyword, a name, a predicate id, a column.
    Word,
    /// `?name`, `?name:kind` or `?name:` (kind empty). `kind` is the byte range of the
    /// kind's text when there is a colon.
    Var { kind: Option<Range<usize>> },
    /// `$name`.
    Param,
    /// `@name` (or a lone `@` being typed): a relation clause's label.
    Label,
    /// `"…"`; `closed` is false when the text ends inside the string.
    Str { closed: bool },
    /// A date or number.
    Lit,
    /// `#412`: a relation's id (`#` and a digit; any other `#` starts a comment).
    Handle,
    /// Punctuation: `..`, `.`, `,`, `|`, `*`, `--`, `-`, `/`, `(`, `)`, `=`, and `;`,
    /// which ends a statement in the REPL and in scripts.
    Punct(&'static str),
    /// `#` to the end of the line.
    Comment,
    /// A character with no place in a query.
    Other,
}

/// One token and where it is in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub piece: Piece,
    pub span: Range<usize>,
}

impl Token {
    /// The token's text in `source`.
    pub fn text<'s>(&self, source: &'s str) -> &'s str {
        source.get(self.span.clone()).unwrap_or("")
    }

    /// Is this token the word `keyword` (any case)?
    pub fn is_word(&self, source: &str, keyword: &str) -> bool {
        self.piece == Piece::Word && self.text(source).eq_ignore_ascii_case(keyword)
    }
}

/// Length in bytes of the longest prefix of `s` whose characters satisfy `f`.
fn run_len(s: &str, f: impl Fn(char) -> bool) -> usize {
    s.find(|c: char| !f(c)).unwrap_or(s.len())
}

const PUNCTUATION: &[&str] = &["..", "--", ".", ",", "|", "*", "-", "/", "(", ")", "=", ";"];

/// Splits `source` into tokens; whitespace is skipped, comments are kept.
pub fn scan(source: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut at = 0;
    while at < source.len() {
        let rest = &source[at..];
        let Some(c) = rest.chars().next() else { break };
        if c.is_whitespace() {
            at += c.len_utf8();
            continue;
        }
        let (len, piece) = scan_one(rest, at, c);
        // Every branch consumes at least one character.
        let len = len.max(c.len_utf8());
        tokens.push(Token {
            piece,
            span: at..at + len,
        });
        at += len;
    }
    tokens
}

fn scan_one(rest: &str, at: usize, c: char) -> (usize, Piece) {
    match c {
        '#' if starts_handle(rest) => (1 + run_len(&rest[1..], is_ident_char), Piece::Handle),
        '#' => (run_len(rest, |c| c != '\n'), Piece::Comment),
        '"' => string(rest),
        '?' => {
            let name = 1 + run_len(&rest[1..], is_ident_char);
            if rest[name..].starts_with(':') {
                let kind_start = name + 1;
                let kind_len = run_len(&rest[kind_start..], is_ident_char);
                let end = kind_start + kind_len;
                (
                    end,
                    Piece::Var {
                        kind: Some(at + kind_start..at + end),
                    },
                )
            } else {
                (name, Piece::Var { kind: None })
            }
        }
        '$' => (1 + run_len(&rest[1..], is_ident_char), Piece::Param),
        '@' => (1 + run_len(&rest[1..], is_ident_char), Piece::Label),
        _ if starts_date(rest) => {
            let first = c.len_utf8();
            let len = first + run_len(&rest[first..], |c| is_date_char(c) || is_ident_char(c));
            if c == 'Y' && !rest[..len].chars().skip(1).all(is_date_char) {
                (run_len(rest, is_ident_char), Piece::Word)
            } else {
                (len, Piece::Lit)
            }
        }
        _ if is_ident_start(c) => (run_len(rest, is_ident_char), Piece::Word),
        _ => match PUNCTUATION.iter().find(|p| rest.starts_with(**p)) {
            Some(p) => (p.len(), Piece::Punct(p)),
            None => (c.len_utf8(), Piece::Other),
        },
    }
}

/// A string from its opening quote: to the closing quote, or to the end of the text.
fn string(rest: &str) -> (usize, Piece) {
    let mut chars = rest.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return (i + 1, Piece::Str { closed: true }),
            '\\' => {
                chars.next();
            }
            _ => {}
        }
    }
    (rest.len(), Piece::Str { closed: false })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(src: &str) -> Vec<(Piece, &str)> {
        scan(src)
            .into_iter()
            .map(|t| (t.piece.clone(), &src[t.span]))
            .collect()
    }

    #[test]
    fn tokens_of_a_query() {
        let src = "?x:person visited|met \"a \\\" b\" $p -- 2024-Q3..2025 # note";
        let got: Vec<&str> = pieces(src).into_iter().map(|(_, t)| t).collect();
        assert_eq!(
            got,
            vec![
                "?x:person",
                "visited",
                "|",
                "met",
                "\"a \\\" b\"",
                "$p",
                "--",
                "2024-Q3",
                "..",
                "2025",
                "# note"
            ]
        );
    }

    #[test]
    fn unfinished_pieces_are_tokens_too() {
        assert_eq!(
            pieces("x \"الهام عل"),
            vec![
                (Piece::Word, "x"),
                (Piece::Str { closed: false }, "\"الهام عل")
            ]
        );
        assert_eq!(
            pieces("?x:"),
            vec![(Piece::Var { kind: Some(3..3) }, "?x:")]
        );
        assert_eq!(pieces("?"), vec![(Piece::Var { kind: None }, "?")]);
        assert_eq!(pieces("@"), vec![(Piece::Label, "@")]);
        assert_eq!(pieces(";"), vec![(Piece::Punct(";"), ";")]);
        assert_eq!(pieces("^"), vec![(Piece::Other, "^")]);
    }

    #[test]
    fn labels() {
        assert_eq!(
            pieces("?x visited ?y @v, ?y ?r ?z after @v"),
            vec![
                (Piece::Var { kind: None }, "?x"),
                (Piece::Word, "visited"),
                (Piece::Var { kind: None }, "?y"),
                (Piece::Label, "@v"),
                (Piece::Punct(","), ","),
                (Piece::Var { kind: None }, "?y"),
                (Piece::Var { kind: None }, "?r"),
                (Piece::Var { kind: None }, "?z"),
                (Piece::Word, "after"),
                (Piece::Label, "@v"),
            ]
        );
        assert_eq!(pieces("@زيارة")[0], (Piece::Label, "@زيارة"));
    }

    #[test]
    fn handles_and_comments() {
        assert_eq!(
            pieces("history #412 # note\n#note\ncorrect #1, #2x #"),
            vec![
                (Piece::Word, "history"),
                (Piece::Handle, "#412"),
                (Piece::Comment, "# note"),
                (Piece::Comment, "#note"),
                (Piece::Word, "correct"),
                (Piece::Handle, "#1"),
                (Piece::Punct(","), ","),
                (Piece::Handle, "#2x"),
                (Piece::Comment, "#"),
            ]
        );
        assert_eq!(
            pieces("seed-article 2023-01/2024-06"),
            vec![
                (Piece::Word, "seed"),
                (Piece::Punct("-"), "-"),
                (Piece::Word, "article"),
                (Piece::Lit, "2023-01"),
                (Piece::Punct("/"), "/"),
                (Piece::Lit, "2024-06"),
            ]
        );
    }

    #[test]
    fn dates_and_names_starting_with_y() {
        assert_eq!(pieces("Y2K")[0].0, Piece::Word);
        assert_eq!(pieces("Y17E7")[0].0, Piece::Lit);
        assert_eq!(pieces("Yerevan")[0].0, Piece::Word);
        assert_eq!(pieces("-0100")[0].0, Piece::Lit);
    }

    #[test]
    fn arabic_words_with_marks() {
        assert_eq!(
            pieces("مُحَمَّد بيز"),
            vec![(Piece::Word, "مُحَمَّد"), (Piece::Word, "بيز")]
        );
    }
}
