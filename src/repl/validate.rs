//! When a statement is finished: the REPL runs text once it parses, or once it cannot be
//! completed by more input; an unfinished statement (an open string or parenthesis, a
//! trailing `|` or `,`, a trailing keyword that needs more, such as `path A to`)
//! continues on the next line.

use crate::lang;

use super::scan::{scan, Piece, Token};

/// Is `word` a keyword after which a statement cannot end? Every reserved word of
/// clauses and every word of statements other than queries, but `today` (a whole period)
/// and `saved` (a whole statement); the stages that take arguments; and `by`. A bare
/// `count` is finished; `count by` needs a column.
fn needs_more(word: &str) -> bool {
    if word.eq_ignore_ascii_case(lang::TODAY) || word.eq_ignore_ascii_case(lang::SAVED) {
        return false;
    }
    lang::is_clause_keyword(word)
        || lang::is_statement_keyword(word)
        || lang::is_one_of(lang::ARGUMENT_STAGES, word)
        || word.eq_ignore_ascii_case(lang::BY)
}

/// Punctuation after which a statement cannot end.
const PUNCT_NEEDS_MORE: &[&str] = &["|", ",", "--", "(", "=", ".."];

/// Is `text` only whitespace and comments (nothing to run)?
pub fn is_blank(text: &str) -> bool {
    scan(text).iter().all(|t| t.piece == Piece::Comment)
}

/// Is `text` ready to run? False when more input could finish it: an open string or
/// parenthesis, or a statement that does not parse and ends with `|`, `,`, `--`, `(`,
/// `=`, `..`, `?x:` or a keyword that needs more. Dot-commands and blank text are
/// always ready; so is text whose error no further input can fix.
pub fn is_complete(text: &str) -> bool {
    let trimmed = text.trim_start();
    if trimmed.is_empty() || trimmed.starts_with('.') {
        return true;
    }
    // Past the size limit no more input can make it run: it fails now, and is not
    // scanned again for every further line.
    if text.len() > crate::limits::MAX_STATEMENT_BYTES {
        return true;
    }
    if lang::parse(text).is_ok() {
        return true;
    }
    let tokens: Vec<Token> = scan(text)
        .into_iter()
        .filter(|t| t.piece != Piece::Comment)
        .collect();
    let mut depth: i64 = 0;
    for t in &tokens {
        match t.piece {
            Piece::Punct("(") => depth += 1,
            Piece::Punct(")") => depth -= 1,
            _ => {}
        }
    }
    if depth > 0 {
        return false;
    }
    let Some(last) = tokens.last() else {
        return true;
    };
    match &last.piece {
        Piece::Str { closed: false } => false,
        Piece::Punct(p) => !PUNCT_NEEDS_MORE.contains(p),
        Piece::Var { kind: Some(kind) } => !kind.is_empty(),
        Piece::Word => !needs_more(last.text(text)),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_text() {
        assert!(is_blank(""));
        assert!(is_blank("  # a comment\n# another\n"));
        assert!(!is_blank("saved # a comment"));
        assert!(!is_blank("\"# not a comment\""));
    }

    #[test]
    fn finished_statements() {
        for text in [
            "?who visited Baku",
            "Iran -- Azerbaijan | sort start",
            "path Netanyahu to Pezeshkian",
            "saved",
            "?x visited _ | count",
            "",
            "   ",
            ".format json",
            ".sql",
            "# only a comment",
        ] {
            assert!(is_complete(text), "{text:?} should be complete");
        }
    }

    #[test]
    fn unfinished_statements() {
        for text in [
            "?who visited \"Ba",
            "\"الهام",
            "run pair(Iran,",
            "run pair(Iran",
            "?x visited Baku |",
            "?x visited Baku,",
            "?x visited Baku, # a comment\n",
            "path Netanyahu to",
            "path Netanyahu to Pezeshkian via",
            "?x visited Baku in",
            "?x visited Baku between 2024 and",
            "?x visited Baku status",
            "?x:",
            "Iran --",
            "save p(x) =",
            "?a ?r ?b | count by",
            "?a ?r ?b | sort",
            "?x visited Baku as of",
        ] {
            assert!(!is_complete(text), "{text:?} should be unfinished");
        }
    }

    #[test]
    fn keywords_that_need_more() {
        for word in [
            "in",
            "AS",
            "certainly",
            "early",
            "via",
            "replace",
            "drop",
            "show",
            "by",
        ] {
            assert!(needs_more(word), "{word:?} needs more");
        }
        for word in [
            "today", "saved", "count", "distinct", "timeline", "planned", "any", "asc", "id",
            "Baku",
        ] {
            assert!(!needs_more(word), "{word:?} may end a statement");
        }
        assert!(!is_complete("?x visited Baku | count by"));
        assert!(is_complete("?x visited Baku | count"));
    }

    #[test]
    fn errors_that_more_input_cannot_fix_are_finished() {
        for text in [
            "?who visited Bakku @",
            "?x visited Baku)",
            "?who visited 2024a",
            "| count",
        ] {
            assert!(is_complete(text), "{text:?} should be run (and fail)");
        }
    }
}
