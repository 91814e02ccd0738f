//! The rustyline helper: Tab completion from the store, colouring of the line, and the
//! `.help for help` hint on an empty line. It knows the earlier lines of a statement
//! that spans lines, so that completion and colours see the whole statement.

use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;

use rustyline::completion::{Completer, FilenameCompleter, Pair};
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::{Hint, Hinter};
use rustyline::validate::Validator;
use rustyline::{Context, Helper};

use crate::store::Store;

use super::complete::complete;
use super::context::{detect, Want};
use super::dot::{self, ArgKind};
use super::highlight::highlight;

/// The hint shown on an empty line; never inserted by the right arrow.
pub struct HelpHint;

impl Hint for HelpHint {
    fn display(&self) -> &str {
        ".help for help"
    }

    fn completion(&self) -> Option<&str> {
        None
    }
}

/// Completion, colours and hints for the REPL's editor.
pub struct ReplHelper {
    store: Rc<RefCell<Store>>,
    /// The earlier lines of the statement being typed, each ended by a newline.
    pending: RefCell<String>,
    files: FilenameCompleter,
    color: bool,
}

impl ReplHelper {
    /// `color`: whether to colour the line (a terminal that allows colours).
    pub fn new(store: Rc<RefCell<Store>>, color: bool) -> ReplHelper {
        ReplHelper {
            store,
            pending: RefCell::new(String::new()),
            files: FilenameCompleter::new(),
            color,
        }
    }

    /// Sets the earlier lines of the statement being typed (empty for a new one).
    pub fn set_pending(&self, text: &str) {
        let mut pending = self.pending.borrow_mut();
        pending.clear();
        pending.push_str(text);
    }

    /// The whole statement so far: the earlier lines and `line`; and where `line` starts.
    fn whole(&self, line: &str) -> (String, usize) {
        let pending = self.pending.borrow();
        let mut text = String::with_capacity(pending.len() + line.len());
        text.push_str(&pending);
        text.push_str(line);
        (text, pending.len())
    }
}

impl Completer for ReplHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let (text, offset) = self.whole(line);
        if offset == 0 {
            let here = detect(line, pos);
            if let [Want::DotArgument(command)] = here.wants.as_slice() {
                let takes_file = dot::find(command)
                    .is_some_and(|c| matches!(c.arg, ArgKind::File | ArgKind::OptionalFile));
                if takes_file {
                    return self.files.complete(line, pos, ctx);
                }
            }
        }
        let Ok(store) = self.store.try_borrow() else {
            return Ok((pos, Vec::new()));
        };
        let (start, candidates) = complete(&store.catalog(), &text, offset + pos);
        // A word begun on an earlier line cannot be replaced from this one.
        match start.checked_sub(offset) {
            Some(start) => Ok((start, candidates)),
            None => Ok((pos, Vec::new())),
        }
    }
}

impl Hinter for ReplHelper {
    type Hint = HelpHint;

    fn hint(&self, line: &str, _pos: usize, _ctx: &Context<'_>) -> Option<HelpHint> {
        (line.is_empty() && self.pending.borrow().is_empty()).then_some(HelpHint)
    }
}

impl Highlighter for ReplHelper {
    fn highlight<'l>(&self, line: &'l str, _pos: usize) -> Cow<'l, str> {
        if !self.color {
            return Cow::Borrowed(line);
        }
        let (text, offset) = self.whole(line);
        Cow::Owned(highlight(&text, offset))
    }

    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if self.color {
            Cow::Owned(format!("\x1b[2m{hint}\x1b[0m"))
        } else {
            Cow::Borrowed(hint)
        }
    }

    fn highlight_char(&self, _line: &str, _pos: usize, kind: CmdKind) -> bool {
        // Any edit may change how the rest of the line reads (a quote opens a string).
        self.color && kind != CmdKind::MoveCursor
    }
}

/// Statements are judged finished by the REPL's loop (see `validate`), which shows a
/// continuation prompt for the next line; the editor accepts every line as it is.
impl Validator for ReplHelper {}

impl Helper for ReplHelper {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Mode;
    use rustyline::history::DefaultHistory;

    #[test]
    fn completes_across_lines_of_one_statement() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path().join("t.db"), Mode::Create).unwrap();
        store
            .import(
                &br#"{"type":"entity","id":"baku","kind":"city","name":"Baku"}"#[..],
                crate::store::ImportFormat::JsonLines,
                "t",
                Default::default(),
            )
            .unwrap();
        let helper = ReplHelper::new(Rc::new(RefCell::new(store)), true);
        let history = DefaultHistory::new();
        let ctx = Context::new(&history);
        let (start, got) = helper.complete("?x visited Ba", 13, &ctx).unwrap();
        assert_eq!(start, 11);
        assert_eq!(got[0].replacement, "Baku");

        helper.set_pending("?x visited Baku |\n");
        let (start, got) = helper.complete("so", 2, &ctx).unwrap();
        assert_eq!(start, 0);
        assert_eq!(got[0].replacement, "sort");
        assert!(
            helper.hint("", 0, &ctx).is_none(),
            "no hint on a continuation"
        );
        helper.set_pending("");
        assert!(helper.hint("", 0, &ctx).is_some());
        assert!(helper.highlight("?x", 2).contains("\x1b["));
    }
}
