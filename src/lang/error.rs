//! Parse errors of the query language, and how positions in a query are shown to people
//! (`line:col` and a source line with carets under the culprit).

use super::ast::Span;
use unicode_width::UnicodeWidthChar;

/// Why a statement could not be parsed, and where.
///
/// Displayed as `expected a term (?var, _, a name or "text") at 1:14, found `|``:
/// what went wrong, where (line and column, 1-based, columns counted in characters),
/// what was found there, and, when there is one, a hint on what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} at {line}:{col}{}{}", found_part(found), hint_part(hint))]
pub struct ParseError {
    /// What went wrong: `expected …` or a description such as `unterminated string`.
    pub message: String,
    /// The culprit in the statement's text (byte offsets); empty at the end of the text.
    pub span: Span,
    /// What could have stood at `span`, in words, for expectation errors; else empty.
    pub expected: Vec<String>,
    /// What was found at `span`, ready to show (`` `|` `` or `the end of the query`).
    pub found: Option<String>,
    /// What to do about it, when there is something specific to say.
    pub hint: Option<String>,
    /// 1-based line of `span.start` (as [`line_col`] gives it; `u32` keeps the error
    /// small enough to return by value).
    pub line: u32,
    /// 1-based column (in characters) of `span.start`.
    pub col: u32,
}

fn found_part(found: &Option<String>) -> String {
    match found {
        Some(f) => format!(", found {f}"),
        None => String::new(),
    }
}

fn hint_part(hint: &Option<String>) -> String {
    match hint {
        Some(h) => format!(" ({h})"),
        None => String::new(),
    }
}

impl ParseError {
    /// An error at `span` of `source` with a free message and no expectation list.
    pub(crate) fn at(source: &str, span: Span, message: impl Into<String>) -> Self {
        let (line, col) = line_col(source, span.start);
        let (line, col) = (saturate(line), saturate(col));
        ParseError {
            message: message.into(),
            span,
            expected: Vec::new(),
            found: None,
            hint: None,
            line,
            col,
        }
    }

    /// An error saying which of `expected` could have stood at `span`, and what did.
    pub(crate) fn expected(
        source: &str,
        span: Span,
        expected: Vec<String>,
        found: Option<String>,
    ) -> Self {
        let mut error = ParseError::at(source, span, expected_message(&expected));
        error.expected = expected;
        error.found = found;
        error
    }

    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The error followed by the offending line of `source` with carets under the span.
    pub fn render(&self, source: &str) -> String {
        format!("{self}\n{}", snippet(source, self.span))
    }
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// `expected A`, `expected A or B`, `expected A, B or C`.
fn expected_message(expected: &[String]) -> String {
    match expected {
        [] => "unexpected input".to_string(),
        [one] => format!("expected {one}"),
        [init @ .., last] => format!("expected {} or {last}", init.join(", ")),
    }
}

/// The 1-based line and column (in characters) of byte `offset` in `source`.
///
/// An offset past the end counts as the end; one inside a character counts as that
/// character's start.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(source, offset);
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = source[line_start..offset].chars().count() + 1;
    (line, col)
}

fn floor_char_boundary(source: &str, offset: usize) -> usize {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// For people: the line of `source` holding `span`, and under it a line of carets (`^`)
/// under the span's columns.
///
/// Columns are display columns (East Asian wide characters take two, combining marks
/// none), so the carets line up in a terminal; tabs before the span are copied so they
/// expand alike. A span reaching past its line is underlined to the end of the line; an
/// empty span (such as the end of the text) gets one caret.
pub fn snippet(source: &str, span: Span) -> String {
    let start = floor_char_boundary(source, span.start);
    let end = floor_char_boundary(source, span.end.max(start));
    let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = source[start..]
        .find('\n')
        .map_or(source.len(), |i| start + i);
    let line = source[line_start..line_end].trim_end_matches('\r');
    let mut carets = String::new();
    for c in source[line_start..start].chars() {
        if c == '\t' {
            carets.push('\t');
        } else {
            carets.extend(std::iter::repeat_n(' ', c.width().unwrap_or(0)));
        }
    }
    let under_end = end.min(line_start + line.len()).max(start);
    let width: usize = source[start..under_end]
        .chars()
        .map(|c| c.width().unwrap_or(0))
        .sum();
    carets.extend(std::iter::repeat_n('^', width.max(1)));
    format!("{line}\n{carets}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_lines_and_characters() {
        let src = "?x visited Baku,\n  ?x met \"بيزيشكيان\" | count";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 3), (1, 4));
        let pipe = src.find('|').unwrap();
        // 2 spaces, `?x met "`, 9 Arabic letters, `" ` → column 22.
        assert_eq!(line_col(src, pipe), (2, 22));
        assert_eq!(line_col(src, src.len() + 10), (2, 29));
        // Inside a multi-byte character: that character's column.
        let arabic = src.find('ب').unwrap();
        assert_eq!(line_col(src, arabic + 1), line_col(src, arabic));
    }

    #[test]
    fn snippet_underlines_the_span() {
        let src = "?who visited Bakku";
        assert_eq!(
            snippet(src, Span::new(13, 18)),
            "?who visited Bakku\n             ^^^^^"
        );
    }

    #[test]
    fn snippet_uses_display_width_for_wide_characters() {
        let src = "\"東京\" visited |";
        let pipe = src.find('|').unwrap();
        // `"東京" visited ` is 1 + 4 + 1 + 9 = 15 columns wide.
        assert_eq!(
            snippet(src, Span::new(pipe, pipe + 1)),
            format!("{src}\n{}^", " ".repeat(15))
        );
        let wide = src.find('東').unwrap();
        assert_eq!(
            snippet(src, Span::new(wide, wide + 6)),
            format!("{src}\n ^^^^")
        );
    }

    #[test]
    fn snippet_shows_only_the_spans_line_and_keeps_tabs() {
        let src = "?x visited Baku,\n\t?x met |";
        let pipe = src.find('|').unwrap();
        assert_eq!(
            snippet(src, Span::new(pipe, pipe + 1)),
            "\t?x met |\n\t       ^"
        );
    }

    #[test]
    fn snippet_at_the_end_has_one_caret() {
        let src = "?x visited";
        assert_eq!(snippet(src, Span::new(10, 10)), "?x visited\n          ^");
    }

    #[test]
    fn snippet_of_a_span_over_lines_stops_at_the_line_end() {
        let src = "save q = \"abc\ndef";
        assert_eq!(
            snippet(src, Span::new(9, src.len())),
            "save q = \"abc\n         ^^^^"
        );
    }

    #[test]
    fn display_says_what_where_and_found() {
        let src = "?x visited |";
        let e = ParseError::expected(
            src,
            Span::new(11, 12),
            vec!["a term (?var, _, a name or \"text\")".into()],
            Some("`|`".into()),
        );
        assert_eq!(
            e.to_string(),
            "expected a term (?var, _, a name or \"text\") at 1:12, found `|`"
        );
        let e = ParseError::expected(
            src,
            Span::new(11, 12),
            vec!["`,`".into(), "`|`".into(), "the end of the query".into()],
            None,
        )
        .with_hint("try this");
        assert_eq!(
            e.to_string(),
            "expected `,`, `|` or the end of the query at 1:12 (try this)"
        );
    }
}
