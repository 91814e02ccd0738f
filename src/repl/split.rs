//! How lines of input become statements, in the REPL and in scripts alike: a statement
//! ends at a `;` outside strings and comments, or at the end of a line once it is
//! finished ([`validate::is_complete`]); an unfinished one goes on over the next lines.
//! A line that holds several statements (`a; b`), a pasted block of lines, or keys typed
//! ahead all run statement by statement, in order. Each statement keeps the line and
//! column where it starts, so that an error in a script can say `FILE:LINE:COL`.

use super::scan::{scan, Piece};
use super::validate;

/// One statement cut from the input, and where its text starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cut {
    /// The statement's text, without the `;` that ended it.
    pub text: String,
    /// 1-based line of the input where the text starts.
    pub line: usize,
    /// 1-based column (in characters) where the text starts on that line.
    pub col: usize,
}

/// Cuts the lines given to it into statements.
#[derive(Debug, Clone)]
pub struct Splitter {
    /// The text of the statement under way (lines joined with `\n`).
    pending: String,
    /// Where `pending` starts.
    line: usize,
    col: usize,
    /// How many lines were given so far.
    lines: usize,
}

impl Default for Splitter {
    fn default() -> Self {
        Splitter::new()
    }
}

/// The byte offset of the first `;` of `text` outside strings and comments.
fn first_semicolon(text: &str) -> Option<usize> {
    scan(text)
        .into_iter()
        .find(|t| t.piece == Piece::Punct(";"))
        .map(|t| t.span.start)
}

impl Splitter {
    pub fn new() -> Splitter {
        Splitter {
            pending: String::new(),
            line: 1,
            col: 1,
            lines: 0,
        }
    }

    /// The text of the statement under way (empty between statements).
    pub fn pending(&self) -> &str {
        &self.pending
    }

    /// Drops the statement under way (Ctrl-C on a continuation line).
    pub fn clear(&mut self) {
        self.pending.clear();
    }

    /// Takes one line of input (without its line ending; a pasted block may hold several,
    /// separated by `\n`) and returns the statements it finishes, in order.
    pub fn push(&mut self, text: &str) -> Vec<Cut> {
        let mut done = Vec::new();
        for line in text.split('\n') {
            self.push_line(line.strip_suffix('\r').unwrap_or(line), &mut done);
        }
        done
    }

    fn push_line(&mut self, line: &str, done: &mut Vec<Cut>) {
        self.lines += 1;
        if self.pending.is_empty() {
            self.line = self.lines;
            self.col = 1;
        } else {
            self.pending.push('\n');
        }
        self.pending.push_str(line);
        loop {
            // A dot-command is its line, `;` and all (`.output a;b`).
            if self.pending.trim_start().starts_with('.') {
                break;
            }
            let Some(at) = first_semicolon(&self.pending) else {
                break;
            };
            let rest = self.pending.split_off(at + 1);
            self.pending.pop();
            let cut = self.take();
            if !validate::is_blank(&cut.text) {
                done.push(cut);
            }
            // `take` moved the start to right after the `;`, where the rest begins.
            self.pending = rest;
        }
        if validate::is_complete(&self.pending) {
            let cut = self.take();
            if !validate::is_blank(&cut.text) {
                done.push(cut);
            }
        }
    }

    /// Ends the input: the statement still under way, if any (it will fail as unfinished).
    pub fn finish(&mut self) -> Option<Cut> {
        let cut = self.take();
        (!validate::is_blank(&cut.text)).then_some(cut)
    }

    /// Takes the pending text as a statement, and moves the start of the next one to
    /// where this one ends.
    fn take(&mut self) -> Cut {
        let text = std::mem::take(&mut self.pending);
        let cut = Cut {
            line: self.line,
            col: self.col,
            text,
        };
        // What follows (after a `;`) starts where this text ends, plus the `;`.
        let newlines = cut.text.matches('\n').count();
        let last = cut.text.rsplit('\n').next().unwrap_or("");
        let width = last.chars().count();
        self.line = cut.line + newlines;
        self.col = if newlines == 0 {
            cut.col + width
        } else {
            width + 1
        } + 1;
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cuts(input: &str) -> Vec<(String, usize, usize)> {
        let mut s = Splitter::new();
        let mut out: Vec<Cut> = input.lines().flat_map(|l| s.push(l)).collect();
        out.extend(s.finish());
        out.into_iter().map(|c| (c.text, c.line, c.col)).collect()
    }

    fn cut(text: &str, line: usize, col: usize) -> (String, usize, usize) {
        (text.to_string(), line, col)
    }

    #[test]
    fn lines_and_semicolons_end_statements() {
        assert_eq!(
            cuts("saved\n\n?x visited Baku; Iran -- Azerbaijan;\nsaved;"),
            vec![
                cut("saved", 1, 1),
                cut("?x visited Baku", 3, 1),
                cut(" Iran -- Azerbaijan", 3, 17),
                cut("saved", 4, 1),
            ]
        );
    }

    #[test]
    fn unfinished_statements_go_on_and_semicolons_in_strings_stay() {
        assert_eq!(
            cuts("?x visited |\n sort start; \"a;b\" visited ?y # c;d\n"),
            vec![
                cut("?x visited |\n sort start", 1, 1),
                cut(" \"a;b\" visited ?y # c;d", 2, 13),
            ]
        );
        // A `;` ends a statement that continues over lines, and what follows it is the
        // next one.
        assert_eq!(
            cuts("path Iran to\nBaku; saved"),
            vec![cut("path Iran to\nBaku", 1, 1), cut(" saved", 2, 6)]
        );
        assert_eq!(cuts("path Iran to"), vec![cut("path Iran to", 1, 1)]);
    }

    #[test]
    fn a_pasted_block_runs_statement_by_statement() {
        let mut s = Splitter::new();
        let got: Vec<String> = s
            .push("saved\r\n?x visited Baku\n.format csv\n?x visited |")
            .into_iter()
            .map(|c| c.text)
            .collect();
        assert_eq!(got, ["saved", "?x visited Baku", ".format csv"]);
        assert_eq!(s.pending(), "?x visited |");
        assert_eq!(s.push(" count")[0].line, 4);
    }

    #[test]
    fn dot_commands_keep_their_semicolons() {
        assert_eq!(cuts(".output a;b"), vec![cut(".output a;b", 1, 1)]);
    }
}
