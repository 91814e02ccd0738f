//! Colouring the line being edited: keywords, variables and labels, strings, parameters,
//! dates and numbers, comments, and characters that have no place in a query, as ANSI
//! styles that leave the text's display width unchanged.

use crate::lang::is_keyword;

use super::scan::{scan, Piece};

const KEYWORD: &str = "\x1b[1;34m";
const VARIABLE: &str = "\x1b[36m";
const STRING: &str = "\x1b[32m";
const PARAMETER: &str = "\x1b[35m";
const LITERAL: &str = "\x1b[33m";
const COMMENT: &str = "\x1b[2m";
const BAD: &str = "\x1b[31m";
const COMMAND: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// `text[from..]` with ANSI colours; the tokens are read from the whole of `text`, so a
/// string opened on an earlier line is still coloured as a string.
pub fn highlight(text: &str, from: usize) -> String {
    let from = from.min(text.len());
    let shown = &text[from..];
    let mut out = String::with_capacity(shown.len() * 2);
    if text[..from].trim().is_empty() && shown.trim_start().starts_with('.') {
        // A dot-command: its name in bold.
        let lead = shown.len() - shown.trim_start().len();
        let end = shown[lead..]
            .find(char::is_whitespace)
            .map_or(shown.len(), |i| lead + i);
        out.push_str(&shown[..lead]);
        out.push_str(COMMAND);
        out.push_str(&shown[lead..end]);
        out.push_str(RESET);
        out.push_str(&shown[end..]);
        return out;
    }
    let mut at = from;
    for t in scan(text) {
        if t.span.end <= from {
            continue;
        }
        let start = t.span.start.max(from);
        let style = match &t.piece {
            Piece::Word if is_keyword(t.text(text)) => KEYWORD,
            Piece::Var { .. } | Piece::Label => VARIABLE,
            Piece::Str { .. } => STRING,
            Piece::Param => PARAMETER,
            Piece::Lit | Piece::Handle => LITERAL,
            Piece::Comment => COMMENT,
            Piece::Other => BAD,
            Piece::Word | Piece::Punct(_) => "",
        };
        out.push_str(&text[at..start]);
        if style.is_empty() {
            out.push_str(&text[start..t.span.end]);
        } else {
            out.push_str(style);
            out.push_str(&text[start..t.span.end]);
            out.push_str(RESET);
        }
        at = t.span.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Removes ANSI styles (for tests and width checks).
#[cfg(test)]
fn strip(styled: &str) -> String {
    let mut out = String::new();
    let mut chars = styled.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for d in chars.by_ref() {
                if d == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_each_kind_of_token_and_keeps_the_text() {
        let text = "?x:person visited \"بيز\" in 2024 status any | count # c $p @";
        let got = highlight(text, 0);
        assert_eq!(strip(&got), text);
        assert!(got.contains(&format!("{VARIABLE}?x:person{RESET}")));
        assert!(got.contains(&format!("{STRING}\"بيز\"{RESET}")));
        assert!(got.contains(&format!("{KEYWORD}in{RESET}")));
        assert!(got.contains(&format!("{LITERAL}2024{RESET}")));
        assert!(got.contains(&format!("{KEYWORD}count{RESET}")));
        assert!(got.contains(&format!("{COMMENT}# c $p @{RESET}")));
        assert!(!got.contains(&format!("{KEYWORD}visited")));
    }

    #[test]
    fn continues_a_string_from_an_earlier_line() {
        let text = "?x visited \"a\nb\" | count";
        let got = highlight(text, text.find('b').unwrap());
        assert_eq!(strip(&got), "b\" | count");
        assert!(got.starts_with(&format!("{STRING}b\"{RESET}")), "{got:?}");
    }

    #[test]
    fn dot_commands_are_bold() {
        let got = highlight(".format json", 0);
        assert_eq!(got, format!("{COMMAND}.format{RESET} json"));
        assert_eq!(strip(&highlight("  .sql on", 0)), "  .sql on");
    }

    #[test]
    fn bad_characters_are_red() {
        assert_eq!(highlight("a ^", 0), format!("a {BAD}^{RESET}"));
        // `;` ends a statement: no mistake.
        assert_eq!(highlight("a ;", 0), "a ;");
    }

    #[test]
    fn labels_are_coloured_as_variables() {
        let got = highlight("?x visited ?y @v, ?y ?r ?z after @v", 0);
        assert_eq!(got.matches(&format!("{VARIABLE}@v{RESET}")).count(), 2);
        assert!(!got.contains(BAD), "{got:?}");
    }
}
