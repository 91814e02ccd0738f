//! The interactive REPL on a store, and its piped mode.
//!
//! - On a terminal: rustyline with Emacs keys, Ctrl-R search and a history file under
//!   the user's data directory; Tab completion from the store ([`complete`]); colours
//!   ([`highlight`]); a statement that is unfinished ([`validate`]) continues under a
//!   `...> ` prompt; Ctrl-C stops a running statement, or clears the line; Ctrl-D
//!   leaves with status 0.
//! - When standard input is not a terminal: statements are read one after another
//!   (each ends at a newline unless it is unfinished), their results printed, no
//!   prompts; the exit status is 2 if any of them failed.
//!
//! Dot-commands ([`dot`]) work in both.

pub mod complete;
pub mod context;
pub mod dot;
mod helper;
pub mod highlight;
pub mod scan;
mod session;
pub mod validate;

use std::cell::RefCell;
use std::io::{self, BufRead, IsTerminal};
use std::path::PathBuf;
use std::rc::Rc;

use rustyline::config::{Behavior, CompletionType, Config, EditMode};
use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::Editor;

use crate::store::Store;

pub use helper::ReplHelper;
pub use session::{Ended, Flow, Session, Settings};

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
}

/// Runs the REPL on `store`: interactive when standard input is a terminal (printing
/// `greeting` to stderr first), else piped. Returns the exit status. A `begin` block
/// still open at the end is rolled back (piped input then fails: status 2).
pub fn run(store: Store, greeting: &str, writes: &Writes) -> Result<i32, ReplError> {
    let store = Rc::new(RefCell::new(store));
    let mut session = Session::new(store.clone());
    let terminal = io::stdin().is_terminal();
    session.author = crate::statement::Author {
        name: writes.author.clone(),
        origin: if terminal {
            crate::store::Origin::Repl
        } else {
            crate::store::Origin::Script("<stdin>".into())
        },
    };
    if terminal {
        eprintln!("{}", greeting.trim_end());
        let status = interactive(store, &mut session);
        // Said on stderr; the user ending the session chose to leave the block.
        let _ = session.end_change(false, "the session ended inside a `begin` block");
        return status;
    }
    if writes.atomic {
        if let Err(e) = session.begin_atomic() {
            eprintln!("error: {e}");
            return Ok(2);
        }
    }
    let status = piped(&mut session, io::stdin().lock())?;
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

/// Reads statements from `input` until its end or `.quit`: 0 if all succeeded, else 2.
pub fn piped(session: &mut Session, input: impl BufRead) -> Result<i32, ReplError> {
    let mut failed = false;
    let mut buffer = String::new();
    for line in input.lines() {
        let line = line.map_err(ReplError::Input)?;
        if !buffer.is_empty() {
            buffer.push('\n');
        }
        buffer.push_str(&line);
        if !validate::is_complete(&buffer) {
            continue;
        }
        let text = std::mem::take(&mut buffer);
        match session.handle(&text)? {
            Flow::Done => {}
            Flow::Failed => failed = true,
            Flow::Quit => return Ok(if failed { 2 } else { 0 }),
        }
    }
    // An unfinished statement at the end of the input is run, and fails.
    if session.handle(&buffer)? == Flow::Failed {
        failed = true;
    }
    Ok(if failed { 2 } else { 0 })
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
    let Some(path) = history_path() else {
        warn_history(
            warned,
            "no data directory for the history",
            &"none is known",
        );
        return None;
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
    let color = stdout_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
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

    let mut pending = String::new();
    loop {
        if let Some(h) = editor.helper() {
            h.set_pending(&pending);
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
                pending.clear();
                continue;
            }
            Err(ReadlineError::Eof) => break,
            Err(e) => return Err(e.into()),
        };
        if pending.is_empty() && line.trim().is_empty() {
            continue;
        }
        pending.push_str(&line);
        if !validate::is_complete(&pending) {
            pending.push('\n');
            continue;
        }
        let text = std::mem::take(&mut pending);
        if editor.add_history_entry(text.as_str()).is_ok() {
            if let Some(path) = &history {
                if let Err(e) = editor.append_history(path) {
                    warn_history(&mut warned, &format!("cannot write {}", path.display()), &e);
                }
            }
        }
        if session.handle(&text)? == Flow::Quit {
            break;
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
