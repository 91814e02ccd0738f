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
#[error("{}", self.describe_at(&format!("{line}:{col}")))]
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

    /// The error with its place given as `position` (`3:12`, or `FILE:3:12` in a
    /// script): what went wrong, where, what was found there, and the hint.
    pub fn describe_at(&self, position: &str) -> String {
        format!(
            "{} at {position}{}{}",
            self.message,
            found_part(&self.found),
            hint_part(&self.hint)
        )
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

/// Most display columns of a statement's line shown under an error: a longer line is
/// cut around the span, `…` marking each cut, so an error never echoes a whole long
/// input.
pub const SNIPPET_COLUMNS: usize = 80;

/// When a line is cut, at most this many columns before the span are kept.
const SNIPPET_LEAD: usize = 30;

/// Most characters of a name, token or value quoted in a message.
pub const SHOWN_CHARS: usize = 40;

/// Most characters of one message (the cause and the hint each).
const MESSAGE_CHARS: usize = 400;

/// For people: the line of `source` holding `span`, and under it a line of carets (`^`)
/// under the span's columns.
///
/// Columns are display columns (East Asian wide characters take two, combining marks
/// none), so the carets line up in a terminal; tabs before the span are copied so they
/// expand alike. A span reaching past its line is underlined to the end of the line; an
/// empty span (such as the end of the text) gets one caret. A line wider than
/// [`SNIPPET_COLUMNS`] is shown as a window of that many columns around the span's start
/// (at most 30 before it), `…` where it was cut; a span wider than the window is
/// underlined to the window's edge.
pub fn snippet(source: &str, span: Span) -> String {
    let start = floor_char_boundary(source, span.start);
    let end = floor_char_boundary(source, span.end.max(start));
    let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = source[start..]
        .find('\n')
        .map_or(source.len(), |i| start + i);
    let line = source[line_start..line_end].trim_end_matches('\r');
    let line_end = line_start + line.len();
    let before = source.get(line_start..start).unwrap_or("");
    let under_end = end.min(line_end).max(start);
    let under = source.get(start..under_end).unwrap_or("");
    let after = source.get(under_end..line_end).unwrap_or("");
    let (shown, lead, under) = if columns_up_to(line, SNIPPET_COLUMNS + 1) <= SNIPPET_COLUMNS {
        (line.to_string(), before.to_string(), under)
    } else {
        let lead = if columns_up_to(before, SNIPPET_LEAD + 1) <= SNIPPET_LEAD {
            before.to_string()
        } else {
            format!("…{}", suffix_within(before, SNIPPET_LEAD - 1))
        };
        // One column is kept for a closing `…`.
        let room = SNIPPET_COLUMNS.saturating_sub(columns_up_to(&lead, SNIPPET_COLUMNS) + 1);
        let under_shown = prefix_within(under, room);
        let rest = if under_shown.len() < under.len() {
            ""
        } else {
            after
        };
        let room = room.saturating_sub(columns_up_to(under_shown, room));
        let rest_shown = prefix_within(rest, room);
        let cut = under_shown.len() < under.len() || rest_shown.len() < after.len();
        let mut shown = format!("{lead}{under_shown}{rest_shown}");
        if cut {
            shown.push('…');
        }
        (shown, lead, under_shown)
    };
    let mut carets = String::new();
    for c in lead.chars() {
        if c == '\t' {
            carets.push('\t');
        } else {
            carets.extend(std::iter::repeat_n(' ', c.width().unwrap_or(0)));
        }
    }
    let width: usize = under.chars().map(|c| c.width().unwrap_or(0)).sum();
    carets.extend(std::iter::repeat_n('^', width.max(1)));
    format!("{shown}\n{carets}")
}

/// The display columns of a character in a snippet: a tab counts as one.
fn columns(c: char) -> usize {
    if c == '\t' {
        1
    } else {
        c.width().unwrap_or(0)
    }
}

/// The display columns of `text`, counted no further than `cap` (so a long text costs
/// no more than its first `cap` columns).
fn columns_up_to(text: &str, cap: usize) -> usize {
    let mut n = 0;
    for c in text.chars() {
        n += columns(c);
        if n >= cap {
            return n;
        }
    }
    n
}

/// The longest start of `text` at most `cols` columns wide.
fn prefix_within(text: &str, cols: usize) -> &str {
    let mut n = 0;
    for (i, c) in text.char_indices() {
        n += columns(c);
        if n > cols {
            return &text[..i];
        }
    }
    text
}

/// The longest end of `text` at most `cols` columns wide.
fn suffix_within(text: &str, cols: usize) -> &str {
    let mut n = 0;
    for (i, c) in text.char_indices().rev() {
        n += columns(c);
        if n > cols {
            return &text[i + c.len_utf8()..];
        }
    }
    text
}

/// A name, token or value for a message: its first line, at most [`SHOWN_CHARS`]
/// characters, `…` where it was cut.
pub fn clip(text: &str) -> std::borrow::Cow<'_, str> {
    let line = text.lines().next().unwrap_or("");
    match line.char_indices().nth(SHOWN_CHARS) {
        None if line.len() == text.len() => std::borrow::Cow::Borrowed(text),
        None => std::borrow::Cow::Owned(format!("{line}…")),
        Some((i, _)) => std::borrow::Cow::Owned(format!("{}…", &line[..i])),
    }
}

/// A message for people whatever it quotes: each word (a run without spaces) longer than
/// [`SHOWN_CHARS`] is cut, `…` where it was cut and its closing quote kept; and the whole
/// is cut to at most 400 characters.
pub fn clip_message(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(4 * MESSAGE_CHARS));
    let mut chars = 0;
    for piece in message.split_inclusive(char::is_whitespace) {
        let word = piece.trim_end_matches(char::is_whitespace);
        let space = &piece[word.len()..];
        let kept = match word.char_indices().nth(SHOWN_CHARS) {
            None => word.to_string(),
            // The closing quote or bracket stays, so `name…` is still quoted.
            Some((i, _)) => match word.chars().last().filter(|c| "`\"')]".contains(*c)) {
                Some(last) => format!("{}…{last}", &word[..i]),
                None => format!("{}…", &word[..i]),
            },
        };
        for c in kept.chars().chain(space.chars()) {
            if chars == MESSAGE_CHARS - 1 {
                out.truncate(out.trim_end().len());
                out.push('…');
                return out;
            }
            out.push(c);
            chars += 1;
        }
    }
    out
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

    #[test]
    fn a_long_line_is_shown_as_a_window_around_the_span() {
        let src = format!(
            "{}?x visited Bakku{}",
            "a, ".repeat(100),
            " in 2024".repeat(100)
        );
        let at = src.find("Bakku").unwrap();
        let shown = snippet(&src, Span::new(at, at + 5));
        let (line, carets) = shown.split_once('\n').unwrap();
        assert!(line.starts_with('…') && line.ends_with('…'), "{line}");
        assert_eq!(line.chars().count(), SNIPPET_COLUMNS, "{line}");
        // 30 columns before the span, the first of them the cut's `…`.
        assert_eq!(carets, format!("{}^^^^^", " ".repeat(30)));
        assert_eq!(&line[line.find("Bakku").unwrap()..][..5], "Bakku");
        assert_eq!(line.find("Bakku"), Some(30 + '…'.len_utf8() - 1));
    }

    #[test]
    fn a_huge_span_is_underlined_to_the_windows_edge() {
        let src = format!("?x visited {} | count", "x".repeat(1 << 20));
        let shown = snippet(&src, Span::new(11, 11 + (1 << 20)));
        assert!(shown.len() < 3 * SNIPPET_COLUMNS, "{}", shown.len());
        let (line, carets) = shown.split_once('\n').unwrap();
        assert_eq!(
            line,
            format!("?x visited {}…", "x".repeat(SNIPPET_COLUMNS - 12))
        );
        assert_eq!(
            carets,
            format!("{}{}", " ".repeat(11), "^".repeat(SNIPPET_COLUMNS - 12))
        );
    }

    #[test]
    fn the_end_of_a_long_line_is_shown_with_its_caret() {
        let src = "x".repeat(500);
        let shown = snippet(&src, Span::new(500, 500));
        assert_eq!(shown, format!("…{}\n{}^", "x".repeat(29), " ".repeat(30)));
    }

    #[test]
    fn a_window_keeps_tabs_and_wide_characters_in_line() {
        let src = format!("\t東京 {} |", "ab ".repeat(40));
        let pipe = src.find('|').unwrap();
        let shown = snippet(&src, Span::new(pipe, pipe + 1));
        let (line, carets) = shown.split_once('\n').unwrap();
        assert!(line.starts_with('…') && line.ends_with('|'), "{line}");
        assert_eq!(carets, format!("{}^", " ".repeat(30)));
        // Near the start, the tab and the wide characters are before the caret.
        let src = format!("\t東京 | {}", "ab ".repeat(40));
        let pipe = src.find('|').unwrap();
        let shown = snippet(&src, Span::new(pipe, pipe + 1));
        let (line, carets) = shown.split_once('\n').unwrap();
        assert!(
            line.starts_with("\t東京 |") && line.ends_with('…'),
            "{line}"
        );
        assert_eq!(carets, "\t     ^");
    }

    #[test]
    fn clip_cuts_names_to_one_short_line() {
        assert_eq!(clip("Baku"), "Baku");
        assert_eq!(clip(&"x".repeat(SHOWN_CHARS)), "x".repeat(SHOWN_CHARS));
        assert_eq!(
            clip(&"ع".repeat(5000)),
            format!("{}…", "ع".repeat(SHOWN_CHARS))
        );
        assert_eq!(clip("two\nlines"), "two…");
    }

    #[test]
    fn clip_message_cuts_long_words_and_long_messages() {
        let m = format!("unknown entity `{}` here", "y".repeat(10_000));
        assert_eq!(
            clip_message(&m),
            format!("unknown entity `{}…` here", "y".repeat(SHOWN_CHARS - 1))
        );
        assert_eq!(clip_message("a short message"), "a short message");
        let many = "ab ".repeat(100_000);
        let clipped = clip_message(&many);
        assert!(clipped.chars().count() <= MESSAGE_CHARS, "{clipped}");
        assert!(clipped.chars().count() > MESSAGE_CHARS - 5, "{clipped}");
        assert!(clipped.ends_with("ab…"), "{clipped}");
    }
}
