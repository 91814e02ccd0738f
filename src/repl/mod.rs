//! The interactive REPL on a store, and its piped mode.
//!
//! - On a terminal: rustyline with Emacs keys, Ctrl-R search and a history file under
//!   the user's data directory; Tab completion from the store ([`complete`]); colours
//!   ([`highlight`]); a statement that is unfinished ([`validate`]) continues under a
//!   `...> ` prompt; Ctrl-C stops a running statement, or clears the line; Ctrl-D
//!   leaves with status 0.
//! - When standard input is not a terminal: statements are read one after another
//!   (each ends at a newline unless it is unfinished, or at a `;`), their results
//!   printed, no prompts; errors say `<stdin>:LINE:COL`; the exit status is 2 if any of
//!   them failed.
//! - Either way, a line holding several statements, a pasted block or keys typed ahead
//!   run statement by statement, in order ([`split`]).
//!
//! Dot-commands ([`dot`]) work in both.

pub mod complete;
pub mod context;
pub mod dot;
mod helper;
pub mod highlight;
pub mod scan;
mod session;
pub mod split;
pub mod validate;

use std::cell::RefCell;
use std::io::{self, IsTerminal};
use std::path::PathBuf;
use std::rc::Rc;

use rustyline::config::{Behavior, CompletionType, Config, EditMode};
use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::Editor;

use crate::store::Store;

pub use helper::ReplHelper;
pub use session::{Ended, Flow, ScriptEnd, Session, Settings};

/// The prompt of a new statement.
pub const PROMPT: &str = "factstore> ";
/// The prompt of a statement's next line.
pub const CONTINUATION_PROMPT: &str = "...> ";

/// What can stop the REPL itself (errors of statements are printed and the REPL goes on).
#[derive(Debug, thiserror::Error)]
pub enum ReplError {
    #[error(
        "the line editor failed: {0}. Run the REPL in a terminal, or pipe statements into it."
    )]
    Editor(#[from] ReadlineError),
    #[error("cannot read statements from standard input: {0}")]
    Input(#[source] io::Error),
    #[error("cannot write to standard output: {0}")]
    Output(#[source] io::Error),
}

impl ReplError {
    /// The process exit status: 1 (the REPL's own failures are never the input's fault).
    pub fn exit_code(&self) -> i32 {
        1
    }

    /// True when the output was a pipe that closed (`… | head`).
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, ReplError::Output(e) if e.kind() == io::ErrorKind::BrokenPipe)
    }
}

/// The history file: `DATA_DIR/factstore/history` (e.g. `~/.local/share/factstore/history`).
pub fn history_path() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join("factstore").join("history"))
}

/// How the REPL writes.
#[derive(Debug, Clone, Default)]
pub struct Writes {
    /// The author of its changes (`--as`, `FACTSTORE_USER`, the login name).
    pub author: String,
    /// Statements read from standard input are one change, all or nothing (`--atomic`).
    pub atomic: bool,
    /// The output format the command line asked for (`--csv`, `--format F`).
    pub format: Option<crate::output::OutputFormat>,
    /// The file results go to (`-o FILE`), as `.output FILE` would send them.
    pub output: Option<PathBuf>,
}

/// Runs the REPL on `store`: interactive when standard input is a terminal (printing
/// `greeting` to stderr first), else piped. Returns the exit status. A `begin` block
/// still open at the end is rolled back (piped input then fails: status 2).
pub fn run(store: Store, greeting: &str, writes: &Writes) -> Result<i32, ReplError> {
    let store = Rc::new(RefCell::new(store));
    let terminal = io::stdin().is_terminal();
    let origin = if terminal {
        crate::store::Origin::Repl
    } else {
        crate::store::Origin::Script("<stdin>".into())
    };
    let Some(mut session) = session(store.clone(), writes, origin) else {
        return Ok(2);
    };
    if terminal {
        eprintln!("{}", greeting.trim_end());
        let status = interactive(store, &mut session);
        // Said on stderr; the user ending the session chose to leave the block.
        let _ = session.end_change(false, "the session ended inside a `begin` block");
        let written = session.close_output();
        return status.map(|s| if written { s } else { 1 });
    }
    // Read through a buffer the session can look into: the writes of a pipe's lines
    // that have arrived are committed together (see `session::Grouping`).
    let input = session::StdinInput::new(STDIN_BUFFER);
    scripted(&mut session, input, "<stdin>", writes)
}

/// The bytes of piped input read at once.
const STDIN_BUFFER: usize = 64 * 1024;

/// Runs `text` (`-c`: statements and dot-commands, separated by `;` or new lines) on
/// `store` as a script, and returns the exit status as for piped input.
pub fn run_text(store: Store, text: &str, writes: &Writes) -> Result<i32, ReplError> {
    let name = "<command line>";
    let origin = crate::store::Origin::Script(name.into());
    let Some(mut session) = session(Rc::new(RefCell::new(store)), writes, origin) else {
        return Ok(2);
    };
    scripted(&mut session, text.as_bytes(), name, writes)
}

/// A session with the command line's author, origin, format and output file; None
/// (said on stderr) if the output file is refused.
fn session(
    store: Rc<RefCell<Store>>,
    writes: &Writes,
    origin: crate::store::Origin,
) -> Option<Session> {
    let mut session = Session::new(store);
    session.author = crate::statement::Author {
        name: writes.author.clone(),
        origin,
    };
    session.settings.format = writes.format;
    if writes.output.is_some() && session.redirect(writes.output.clone(), false) == Flow::Failed {
        return None;
    }
    Some(session)
}

/// Runs a script (piped input, `-c`) in `session`, as one change with --atomic, and
/// returns the exit status: 0, 2 if a statement failed, 1 if its writes or its output
/// file were lost.
fn scripted(
    session: &mut Session,
    input: impl session::Buffered,
    name: &str,
    writes: &Writes,
) -> Result<i32, ReplError> {
    if writes.atomic {
        if let Err(e) = session.begin_atomic() {
            eprintln!("error: {e}");
            return Ok(2);
        }
    }
    session.grouping.on = true;
    let end = session.script(input, name)?;
    let mut status = if end.failed { 2 } else { 0 };
    if !session.close_output() || session.grouping.lost {
        status = 1;
    }
    let ended = if writes.atomic {
        session.end_change(status == 0, "a statement failed (--atomic)")
    } else {
        session.end_change(false, "the input ended inside a `begin` block")
    };
    Ok(match ended {
        // The script's writes are lost: a caller must not take it for a success.
        Ended::Failed => 1,
        // A script that ends inside its `begin` block is incomplete (a missing
        // `commit`): what the block wrote is dropped, so the script failed.
        Ended::RolledBack if !writes.atomic => 2,
        Ended::NoneOpen | Ended::Committed | Ended::RolledBack => status,
    })
}

/// Reads statements from standard input `input` until its end or `.quit`: 0 if all
/// succeeded, else 2.
pub fn piped(session: &mut Session, input: impl session::Buffered) -> Result<i32, ReplError> {
    let end = session.script(input, "<stdin>")?;
    Ok(if end.failed { 2 } else { 0 })
}

/// The history file: FACTSTORE_HISTORY when set (empty: none, without a warning), else
/// [`history_path`].
fn history_file() -> Result<Option<PathBuf>, ()> {
    match std::env::var_os("FACTSTORE_HISTORY") {
        Some(v) if v.is_empty() => Ok(None),
        Some(v) => Ok(Some(PathBuf::from(v))),
        None => history_path().map(Some).ok_or(()),
    }
}

/// Prints a warning about the history file, once per session.
fn warn_history(warned: &mut bool, what: &str, error: &dyn std::fmt::Display) {
    if !*warned {
        eprintln!("warning: {what}: {error}. The REPL goes on without saving its history.");
        *warned = true;
    }
}

/// The history file, its directory created if missing; None (with a warning) if there
/// is no data directory or it cannot be created.
fn prepare_history(warned: &mut bool) -> Option<PathBuf> {
    let path = match history_file() {
        Ok(Some(path)) => path,
        // FACTSTORE_HISTORY is empty: the user asked for no history.
        Ok(None) => return None,
        Err(()) => {
            warn_history(
                warned,
                "no data directory for the history",
                &"none is known (set FACTSTORE_HISTORY to a file)",
            );
            return None;
        }
    };
    if let Some(dir) = path.parent() {
        if let Err(e) = std::fs::create_dir_all(dir) {
            warn_history(
                warned,
                &format!("cannot create {} for the history", dir.display()),
                &e,
            );
            return None;
        }
    }
    Some(path)
}

fn interactive(store: Rc<RefCell<Store>>, session: &mut Session) -> Result<i32, ReplError> {
    let stdout_terminal = io::stdout().is_terminal();
    let config = Config::builder()
        .edit_mode(EditMode::Emacs)
        .completion_type(CompletionType::List)
        .auto_add_history(false)
        .history_ignore_space(true)
        // Prompts and editing on the terminal even when stdout is redirected.
        .behavior(if stdout_terminal {
            Behavior::Stdio
        } else {
            Behavior::PreferTerm
        })
        .build();
    let mut editor: Editor<ReplHelper, DefaultHistory> = Editor::with_config(config)?;
    let color = crate::output::use_color(stdout_terminal);
    editor.set_helper(Some(ReplHelper::new(store, color)));

    let mut warned = false;
    let history = prepare_history(&mut warned);
    if let Some(path) = &history {
        if path.exists() {
            if let Err(e) = editor.load_history(path) {
                warn_history(&mut warned, &format!("cannot read {}", path.display()), &e);
            }
        }
    }

    // Ctrl-C while a statement runs stops it; while a line is edited rustyline reads
    // it as a key (and restores this handler afterwards).
    let interrupter = session.interrupter();
    if let Err(e) = ctrlc::set_handler(move || {
        interrupter.interrupt();
    }) {
        eprintln!("warning: Ctrl-C cannot stop a running query in this session: {e}");
    }

    let (prompt, continuation) = if color {
        (
            format!("\x1b[1;32m{}\x1b[0m ", PROMPT.trim_end()),
            format!("\x1b[2m{}\x1b[0m ", CONTINUATION_PROMPT.trim_end()),
        )
    } else {
        (PROMPT.to_string(), CONTINUATION_PROMPT.to_string())
    };

    let mut splitter = split::Splitter::new();
    loop {
        let pending = splitter.pending();
        if let Some(h) = editor.helper() {
            h.set_pending(pending);
        }
        let read = if pending.is_empty() {
            editor.readline(&(PROMPT, prompt.as_str()))
        } else {
            editor.readline(&(CONTINUATION_PROMPT, continuation.as_str()))
        };
        let line = match read {
            Ok(line) => line,
            Err(ReadlineError::Interrupted) => {
                // Ctrl-C while editing: drop the statement typed so far.
                splitter.clear();
                continue;
            }
            Err(ReadlineError::Eof) => break,
            Err(e) => return Err(e.into()),
        };
        if splitter.pending().is_empty() && line.trim().is_empty() {
            continue;
        }
        // A pasted block (bracketed paste puts it on one edited line) or a line with
        // several statements runs statement by statement.
        for cut in splitter.push(&line) {
            if editor.add_history_entry(cut.text.trim()).is_ok() {
                if let Some(path) = &history {
                    if let Err(e) = editor.append_history(path) {
                        warn_history(&mut warned, &format!("cannot write {}", path.display()), &e);
                    }
                }
            }
            if session.handle(&cut.text)? == Flow::Quit {
                return Ok(0);
            }
        }
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Mode;

    fn session() -> (tempfile::TempDir, Session) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path().join("t.db"), Mode::Create).unwrap();
        let seed = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/data/demo.jsonl")).unwrap();
        store
            .import(
                &seed[..],
                crate::store::ImportFormat::JsonLines,
                "seed",
                Default::default(),
            )
            .unwrap();
        (dir, Session::new(Rc::new(RefCell::new(store))))
    }

    #[test]
    fn piped_statements_continue_over_lines_and_fail_with_2() {
        let (_d, mut s) = session();
        assert_eq!(piped(&mut s, &b"saved\n\n.format json\n"[..]).unwrap(), 0);
        // A trailing `|` and an open parenthesis continue on the next line.
        let input = "?who visited Baku |\n count\nsave visitors(\np) = ?x visited $p\nsaved\n";
        assert_eq!(piped(&mut s, input.as_bytes()).unwrap(), 0);
        assert_eq!(piped(&mut s, &b"?x visited @\nsaved\n"[..]).unwrap(), 2);
        // An unfinished statement at the end fails.
        assert_eq!(piped(&mut s, &b"path Iran to\n"[..]).unwrap(), 2);
        // `.quit` stops reading.
        assert_eq!(piped(&mut s, &b".quit\n?x visited @\n"[..]).unwrap(), 0);
    }
}
