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
        let mut out = String::from("error: ");
        out.push_str(&self.to_string());
        if let (Some(src), Some(span)) = (source, self.span()) {
            if !matches!(self, Error::Parse(_)) {
                let (line, col) = lang::line_col(src, span.start);
                out.push_str(&format!(" at {line}:{col}"));
            }
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
