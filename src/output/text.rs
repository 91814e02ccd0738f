//! Terminal text for the table and timeline: cell text made safe to print on one line,
//! display widths, cutting with an ellipsis, the bidi mark that keeps right-to-left text in
//! its column, and the ANSI styles used when colour is on.
//!
//! Display width is the sum of each character's width (the `wcswidth` model terminals use
//! to move the cursor), so an Arabic lam-alef pair counts two cells as terminals draw it.

use std::borrow::Cow;

use unicode_width::UnicodeWidthChar;

// An unclosed bidi control would reorder the rest of the line, borders included.
use crate::names::{has_rtl, is_bidi_control};

/// LEFT-TO-RIGHT MARK, written after right-to-left text in a cell.
pub(crate) const LRM: char = '\u{200E}';
/// Marks a cut cell.
pub(crate) const ELLIPSIS: char = '…';

const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

/// The width of `c` in terminal cells (control characters count zero).
pub(crate) fn char_width(c: char) -> usize {
    c.width().unwrap_or(0)
}

/// The width of `s` in terminal cells.
pub(crate) fn display_width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

fn needs_cleaning(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || matches!(c, '\u{2028}' | '\u{2029}')
}

/// The text of a cell made printable on one line of a terminal: line breaks (`\n`, `\r\n`,
/// `\r`, U+2028, U+2029) become `↵`, a tab a space, other control characters `�` (so data
/// can neither move the cursor nor send escape sequences), and explicit bidi embeddings,
/// overrides and isolates are dropped.
pub(crate) fn printable(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_cleaning) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('↵');
            }
            '\n' | '\u{2028}' | '\u{2029}' => out.push('↵'),
            '\t' => out.push(' '),
            c if is_bidi_control(c) => {}
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Text fitted to a number of cells, with its width.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fitted {
    pub text: String,
    pub width: usize,
}

/// The longest prefix of `s` at most `max` cells wide (zero-width characters that follow the
/// last kept character, such as combining marks, stay with it), its width, and whether it
/// is the whole of `s`.
fn prefix_within(s: &str, max: usize) -> (&str, usize, bool) {
    let mut width = 0;
    for (at, c) in s.char_indices() {
        let w = char_width(c);
        if width + w > max {
            return (&s[..at], width, false);
        }
        width += w;
    }
    (s, width, true)
}

/// Printable `pieces` joined by single spaces and fitted to `max` cells: if they do not fit,
/// cut with `…` at the end. Each piece holding right-to-left text is followed by a
/// LEFT-TO-RIGHT MARK (after the `…` when that piece is the one cut).
pub(crate) fn fit_pieces(pieces: &[&str], max: usize) -> Fitted {
    let total: usize =
        pieces.iter().map(|p| display_width(p)).sum::<usize>() + pieces.len().saturating_sub(1);
    let cut = total > max;
    if max == 0 {
        return Fitted {
            text: String::new(),
            width: 0,
        };
    }
    let mut budget = if cut { max - 1 } else { max };
    let mut text = String::new();
    let mut width = 0;
    for (i, piece) in pieces.iter().enumerate() {
        if i > 0 {
            // A separator followed by nothing would only waste a cell before the ellipsis.
            if budget < 2 {
                break;
            }
            text.push(' ');
            width += 1;
            budget -= 1;
        }
        let (prefix, w, whole) = prefix_within(piece, budget);
        text.push_str(prefix);
        width += w;
        budget -= w;
        if !whole {
            text.push(ELLIPSIS);
            width += 1;
            if has_rtl(prefix) {
                text.push(LRM);
            }
            return Fitted { text, width };
        }
        if has_rtl(piece) {
            text.push(LRM);
        }
    }
    if cut {
        text.push(ELLIPSIS);
        width += 1;
    }
    Fitted { text, width }
}

/// Printable `s` broken into lines of at most `max` cells, at spaces where it can and
/// inside a word longer than a line; at most `max_lines` lines, the last cut with `…` if
/// text is left over. Each line holding right-to-left text ends with a LEFT-TO-RIGHT MARK.
pub(crate) fn wrap(s: &str, max: usize, max_lines: usize) -> Vec<Fitted> {
    let mut lines = Vec::new();
    let mut rest = s;
    while !rest.is_empty() && lines.len() < max_lines {
        if lines.len() + 1 == max_lines || display_width(rest) <= max {
            lines.push(fit_pieces(&[rest], max));
            break;
        }
        let (prefix, _, _) = prefix_within(rest, max);
        // Break after the last space of the line, unless that leaves the line empty.
        let end = match prefix.rfind(' ') {
            Some(at) if at > 0 => at,
            _ => prefix.len(),
        };
        // A line needs at least one character, even one wider than the line.
        let end = if end == 0 {
            rest.chars().next().map_or(0, char::len_utf8)
        } else {
            end
        };
        let line = &rest[..end];
        lines.push(fit_pieces(&[line], max));
        rest = rest[end..].trim_start_matches(' ');
    }
    if lines.is_empty() {
        lines.push(Fitted {
            text: String::new(),
            width: 0,
        });
    }
    lines
}

/// `s` in bold when `color`.
pub(crate) fn bold(s: &str, color: bool) -> Cow<'_, str> {
    styled(s, BOLD, color)
}

/// `s` dimmed when `color`.
pub(crate) fn dim(s: &str, color: bool) -> Cow<'_, str> {
    styled(s, DIM, color)
}

fn styled<'a>(s: &'a str, style: &str, color: bool) -> Cow<'a, str> {
    if color && !s.is_empty() {
        Cow::Owned(format!("{style}{s}{RESET}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// `n` spaces.
pub(crate) fn spaces(n: usize) -> String {
    " ".repeat(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_count_wide_and_zero_width_characters() {
        assert_eq!(display_width("Baku"), 4);
        assert_eq!(display_width("北京"), 4);
        assert_eq!(display_width("باكو"), 4);
        assert_eq!(display_width("e\u{301}"), 1);
        assert_eq!(display_width("\u{200E}"), 0);
        // Terminals give each letter of lam-alef its own cell.
        assert_eq!(display_width("لا"), 2);
    }

    #[test]
    fn printable_removes_line_breaks_controls_and_overrides() {
        assert_eq!(printable("plain"), Cow::Borrowed("plain"));
        assert_eq!(printable("a\nb\r\nc\rd\te"), "a↵b↵c↵d e");
        assert_eq!(printable("x\x1b[31my\x07"), "x\u{FFFD}[31my\u{FFFD}");
        assert_eq!(printable("\u{202E}abc\u{202C}"), "abc");
    }

    #[test]
    fn fit_keeps_text_that_fits() {
        let f = fit_pieces(&["Masoud Pezeshkian"], 17);
        assert_eq!(f.text, "Masoud Pezeshkian");
        assert_eq!(f.width, 17);
    }

    #[test]
    fn fit_cuts_with_ellipsis_by_display_width() {
        let f = fit_pieces(&["Masoud Pezeshkian"], 8);
        assert_eq!(f.text, "Masoud …");
        assert_eq!(f.width, 8);
        // A wide character that would straddle the limit is left out.
        let f = fit_pieces(&["北京市"], 4);
        assert_eq!(f.text, "北…");
        assert_eq!(f.width, 3);
        assert_eq!(fit_pieces(&["abc"], 0).width, 0);
        assert_eq!(fit_pieces(&["abc"], 1).text, "…");
    }

    #[test]
    fn fit_marks_rtl_pieces() {
        let f = fit_pieces(&["بيزيشكيان", "visited", "Baku"], 40);
        assert_eq!(f.text, "بيزيشكيان\u{200E} visited Baku");
        assert_eq!(f.width, display_width("بيزيشكيان visited Baku"));
        let f = fit_pieces(&["الهام علييف"], 6);
        assert_eq!(f.text, "الهام…\u{200E}");
        assert_eq!(f.width, 6);
    }

    #[test]
    fn fit_keeps_combining_marks_with_their_letter() {
        let f = fit_pieces(&["e\u{301}e\u{301}e\u{301}"], 3);
        assert_eq!(f.text, "e\u{301}e\u{301}e\u{301}");
        let f = fit_pieces(&["e\u{301}e\u{301}e\u{301}"], 2);
        assert_eq!(f.text, "e\u{301}…");
    }

    fn texts(lines: &[Fitted]) -> Vec<&str> {
        lines.iter().map(|l| l.text.as_str()).collect()
    }

    #[test]
    fn wrap_breaks_at_spaces_and_inside_long_words() {
        assert_eq!(texts(&wrap("one two three", 20, 4)), ["one two three"]);
        assert_eq!(texts(&wrap("one two three", 8, 4)), ["one two", "three"]);
        assert_eq!(texts(&wrap("abcdefghij", 4, 4)), ["abcd", "efgh", "ij"]);
        assert_eq!(texts(&wrap("", 4, 4)), [""]);
        for line in wrap("the quick brown fox jumps over", 7, 9) {
            assert!(line.width <= 7, "{line:?}");
        }
    }

    #[test]
    fn wrap_cuts_the_last_line_allowed() {
        assert_eq!(
            texts(&wrap("one two three four five", 8, 2)),
            ["one two", "three f…"]
        );
        // A character wider than the line still makes progress.
        assert_eq!(wrap("北京", 1, 9).len(), 2);
    }

    #[test]
    fn wrap_marks_right_to_left_lines() {
        let lines = wrap("مسعود بزشكيان visited Baku", 14, 4);
        assert_eq!(texts(&lines), ["مسعود بزشكيان\u{200E}", "visited Baku"]);
    }

    #[test]
    fn styles_only_with_color() {
        assert_eq!(bold("h", false), "h");
        assert_eq!(bold("h", true), "\x1b[1mh\x1b[0m");
        assert_eq!(dim("null", true), "\x1b[2mnull\x1b[0m");
        assert_eq!(dim("", true), "");
    }
}
