//! The crate's error: one variant per layer, an exit status for each, and the rendering
//! for people (what, where with a caret under the column, what to try).

use crate::deadline::Stop;
use crate::lang::{self, ast::Span, ParseError};
use crate::plan::PlanError;
use crate::sql::SqlError;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Parse(#[from] ParseError),
    #[error("{0}")]
    Plan(PlanError),
    #[error("{0}")]
    Sql(#[from] SqlError),
    #[error("{0}")]
    Store(#[from] StoreError),
    /// A timeout or Ctrl-C stopped the statement.
    #[error("{0}")]
    Stopped(Stop),
    #[error("a saved query named `{}` exists already; use `save replace {} …` to replace it", lang::clip(.0), lang::clip(.0))]
    SavedExists(String),
    #[error("no saved query named `{}`; `saved` lists them", lang::clip(.0))]
    SavedMissing(String),
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// A planner's error, but a stop (timeout, Ctrl-C) during planning is the statement's.
impl From<PlanError> for Error {
    fn from(e: PlanError) -> Error {
        match e.kind {
            crate::plan::PlanErrorKind::Stopped(stop) => Error::Stopped(stop),
            _ => Error::Plan(e),
        }
    }
}

impl From<Stop> for Error {
    fn from(stop: Stop) -> Error {
        Error::Stopped(stop)
    }
}

impl Error {
    /// 2 for wrong input (syntax, unknown names, bad data, usage), 1 for anything else.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Parse(_) | Error::Sql(_) | Error::SavedExists(_) | Error::SavedMissing(_) => 2,
            Error::Usage(_) => 2,
            Error::Plan(e) => {
                if e.is_user_error() {
                    2
                } else {
                    1
                }
            }
            Error::Store(e) => e.exit_code(),
            Error::Stopped(_) | Error::Io(_) => 1,
        }
    }

    fn span(&self) -> Option<Span> {
        match self {
            Error::Parse(e) => Some(e.span),
            Error::Plan(e) => e.span,
            _ => None,
        }
    }

    /// The error for people: the message with its position, the statement's line with a
    /// caret under the offending columns, and a hint where there is one.
    pub fn render(&self, source: Option<&str>) -> String {
        self.render_in(source, None)
    }

    /// [`Error::render`] for a statement of a script that starts at `place`: positions
    /// are the script's (`FILE:LINE:COL`), and an error without a column says which
    /// statement failed.
    pub fn render_in(&self, source: Option<&str>, place: Option<&Place>) -> String {
        let mut out = String::from("error: ");
        let span = source.zip(self.span());
        let position = |src: &str, span: Span| match place {
            Some(place) => place.of(src, span.start),
            None => {
                let (line, col) = lang::line_col(src, span.start);
                format!("{line}:{col}")
            }
        };
        match (self, span) {
            (Error::Parse(e), Some((src, span))) => {
                out.push_str(&e.describe_at(&position(src, span)));
            }
            (_, Some((src, span))) => {
                out.push_str(&self.to_string());
                out.push_str(&format!(" at {}", position(src, span)));
            }
            (_, None) => {
                out.push_str(&self.to_string());
                if let Some(place) = place {
                    out.push_str(&format!(" (the statement at {})", place.of("", 0)));
                }
            }
        }
        if let Some((src, span)) = span {
            out.push('\n');
            out.push_str(&lang::snippet(src, span));
        }
        let hint = match self {
            Error::Plan(e) => e.hint(),
            _ => None,
        };
        if let Some(h) = hint {
            if !out.ends_with('\n') {
                out.push('\n');
            }
            out.push_str("hint: ");
            out.push_str(&h);
        }
        out.trim_end().to_string()
    }
}

/// Where a statement's text starts in a script: the script's name (`FILE`, `<stdin>`)
/// and the 1-based line and column of the statement's first character.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub file: String,
    pub line: usize,
    pub col: usize,
}

impl Place {
    /// `FILE:LINE:COL` of byte `offset` of the statement's `text`, in the script.
    pub fn of(&self, text: &str, offset: usize) -> String {
        let (line, col) = lang::line_col(text, offset);
        let col = if line == 1 { self.col + col - 1 } else { col };
        format!("{}:{}:{col}", self.file, self.line + line - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_in_a_script_say_where_in_the_script() {
        let place = Place {
            file: "<stdin>".into(),
            line: 3,
            col: 5,
        };
        let text = "?x visited @";
        let e = Error::from(lang::parse(text).unwrap_err());
        let shown = e.render_in(Some(text), Some(&place));
        assert!(shown.contains("at <stdin>:3:17"), "{shown}");
        assert!(!shown.contains("1:13"), "{shown}");
        assert!(e.render(Some(text)).contains("at 1:13"));
        let text = "?x visited Baku |\n  sort @";
        let e = Error::from(lang::parse(text).unwrap_err());
        let shown = e.render_in(Some(text), Some(&place));
        assert!(shown.contains("at <stdin>:4:9"), "{shown}");
        let e = Error::Usage("no".into());
        assert_eq!(
            e.render_in(Some("saved"), Some(&place)),
            "error: no (the statement at <stdin>:3:5)"
        );
    }
}
