//! When a statement is finished: the REPL runs text once it parses, or once it cannot be
//! completed by more input; an unfinished statement (an open string or parenthesis, a
//! trailing `|` or `,`, a trailing keyword that needs more, such as `path A to`)
//! continues on the next line. The language's grammar is the judge of both.

use crate::lang;

use super::scan::{scan, Piece};

/// Is `text` only whitespace and comments (nothing to run)?
pub fn is_blank(text: &str) -> bool {
    scan(text).iter().all(|t| t.piece == Piece::Comment)
}

/// Is `text` ready to run? False when the language's grammar says more text could
/// finish it ([`lang::is_unfinished`]): an open string or parenthesis, or a statement
/// that ends wanting more (`|`, `,`, `--`, `(`, `=`, `..`, `?x:` or a keyword such as
/// `path A to`). Dot-commands and blank text (only comments) are always ready; so is
/// text whose error no further input can fix.
pub fn is_complete(text: &str) -> bool {
    let trimmed = text.trim_start();
    if super::dot::is_command(trimmed) || is_blank(text) || super::dot::bare_word(text).is_some() {
        return true;
    }
    // Past the size limit no more input can make it run: it fails now, and is not
    // scanned again for every further line.
    if text.len() > crate::limits::MAX_STATEMENT_BYTES {
        return true;
    }
    !lang::is_unfinished(text)
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
        assert!(is_blank("#note\n#\n# 412"));
        assert!(!is_blank("#412"));
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
            "help",
            " quit",
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
        for text in [
            "?x visited Baku in",
            "?x visited Baku AS",
            "?x visited Baku certainly",
            "?x visited Baku in early",
            "path A to B via",
            "save replace",
            "drop",
            "?x visited Baku | show",
            "?x visited Baku | count by",
        ] {
            assert!(!is_complete(text), "{text:?} needs more");
        }
        for text in [
            "?x visited Baku in today",
            "saved",
            "?x visited Baku | count",
            "?x visited Baku | distinct",
            "?x visited Baku | timeline",
            "?x visited Baku status planned",
            "?x visited Baku status any",
            "?x visited Baku | sort ?x asc",
            "?x visited Baku | show ?x.id",
            "?x visited Baku",
        ] {
            assert!(is_complete(text), "{text:?} may end a statement");
        }
    }

    #[test]
    fn writes_and_questions_about_the_past() {
        for text in [
            "undo",
            "begin",
            "commit",
            "rollback",
            "history #412",
            "history araghchi | limit 3",
            "changes since 2025-05-01",
            "add Pezeshkian visited Baku",
            "add Pezeshkian visited Baku # arrived\n",
            "correct #412 when 2025-05 because \"x\"",
            "correct source kan published 2025-05-09, lang he because \"x\"",
            // The reason missing at the end: run, to say so.
            "correct source kan published 2025-05-09",
            "?who visited Baku as recorded on 2025-05-01",
            // A reason or `confirm` missing at the end: run, to say what is missing.
            "retract #412",
            "merge a into b",
            "erase #412 because \"x\"",
        ] {
            assert!(is_complete(text), "{text:?} should be complete");
        }
        for text in [
            "add",
            "add entity araghchi person",
            "add Pezeshkian visited",
            "add Pezeshkian visited Baku when",
            "add Aliyev president_of Azerbaijan from 2003 to",
            "correct #412",
            "correct #412 when 2025,",
            "correct source",
            "correct source kan",
            "correct source kan published",
            "retract #412 because",
            "alias araghchi \"a\",",
            "history",
            "changes since",
            "undo change",
            "?who visited Baku as",
            "?who visited Baku as recorded",
            "?who visited Baku as recorded at change",
        ] {
            assert!(!is_complete(text), "{text:?} should be unfinished");
        }
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
