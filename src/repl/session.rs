//! One REPL session's work, whatever reads the input: running statements and
//! dot-commands on the store with the session's settings (format, `.sql`, `.timer`,
//! `.echo`, `.bail`), printing results to stdout (or the file of `.output`/`.once`) and
//! messages and errors to stderr, running scripts (piped input, `.read`) statement by
//! statement, and letting Ctrl-C stop the statement that is running.

use std::cell::RefCell;
use std::fs::File;
use std::io::{self, BufReader, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use crate::deadline::Deadline;
use crate::error::{Error, Place};
use crate::lang::{self, ast};
use crate::output::file::OutputFile;
use crate::output::{self, Expanded, OutputFormat, Pager, RenderOptions};
use crate::statement::{self, Outcome, TableEnd};
use crate::store::{self, ImportOptions, InterruptHandle, Store};

mod group;

pub use group::{Buffered, Grouping, StdinInput};

use super::dot::{self, DotCommand};
use super::split::Splitter;
use super::validate;
use super::ReplError;

/// What the user has set with dot-commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// `.format`; `None`: table on a terminal, JSON otherwise.
    pub format: Option<OutputFormat>,
    /// `.sql on`: print the SQL before each result.
    pub sql: bool,
    /// `.timer on`: print how long each statement took.
    pub timer: bool,
    /// `.echo on`: print each statement before running it.
    pub echo: bool,
    /// `.bail on`: a script stops at its first error.
    pub bail: bool,
    /// `\x`, `\x auto`: table rows as records.
    pub expanded: Expanded,
    /// `.pager off`: results longer than the screen are not paged.
    pub pager: bool,
    /// `.headers off`: tables, CSV and TSV without their header.
    pub headers: bool,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            format: None,
            sql: false,
            timer: false,
            expanded: Expanded::Auto,
            pager: true,
            headers: true,
            echo: false,
            bail: false,
        }
    }
}

/// Where results go instead of standard output: the file of `.output` (until `.output`
/// alone), or of `.once` (the next result only). Written whole when it is closed.
struct Redirect {
    file: OutputFile,
    once: bool,
}

/// How a script (piped input, `.read FILE`) ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScriptEnd {
    /// Some statement failed (with `.bail on`, the script stopped there).
    pub failed: bool,
    /// It ended with `.quit`.
    pub quit: bool,
}

/// How deep `.read` may nest (a script that reads itself stops here).
const MAX_READ_DEPTH: usize = 16;

/// Whether the session goes on after a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// The line was carried out.
    Done,
    /// The line failed; its error has been printed.
    Failed,
    /// `.quit`.
    Quit,
}

/// Lets a SIGINT handler stop the statement that is running, and only that: it raises
/// the flag of the statement's deadline, which every stage checks (planning, the path
/// search, SQLite's progress handler), and interrupts SQLite at once (for `.import`,
/// which runs without a deadline).
#[derive(Clone)]
pub struct Interrupter {
    handle: Arc<InterruptHandle>,
    running: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
}

impl Interrupter {
    fn new(store: &Store) -> Interrupter {
        Interrupter {
            handle: Arc::new(store.interrupt_handle()),
            running: Arc::new(AtomicBool::new(false)),
            stop: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Stops the running statement, if there is one; true if there was.
    pub fn interrupt(&self) -> bool {
        if self.running.load(Ordering::SeqCst) {
            self.stop.store(true, Ordering::SeqCst);
            self.handle.interrupt();
            true
        } else {
            false
        }
    }

    /// Marks a statement as running (or not); a new one starts with the flag down.
    fn set_running(&self, running: bool) {
        if running {
            self.stop.store(false, Ordering::SeqCst);
        }
        self.running.store(running, Ordering::SeqCst);
    }

    /// The deadline of a statement: no time limit, stopped by Ctrl-C.
    fn deadline(&self) -> Deadline {
        Deadline::none().with_cancel(self.stop.clone())
    }
}

/// The store, the settings, and where output goes.
pub struct Session {
    store: Rc<RefCell<Store>>,
    pub settings: Settings,
    interrupter: Interrupter,
    /// Is stdout a terminal (tables, colours, widths)?
    terminal: bool,
    /// Who writes, from where (the change log's author and origin).
    pub author: statement::Author,
    /// The whole input is one change (`--atomic`): blocks have no place in it.
    atomic: bool,
    /// Where results go when not to stdout.
    redirect: Option<Redirect>,
    /// Where the statement being run starts in its script, for errors.
    place: Option<Place>,
    /// How many `.read` scripts are running, one inside another.
    depth: usize,
    /// How a script's writes are grouped into commits.
    pub grouping: Grouping,
}

/// How [`Session::end_change`] left the change the session had open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// No change was open.
    NoneOpen,
    Committed,
    RolledBack,
    /// Committing or rolling back failed (said on stderr); nothing of the change was
    /// written.
    Failed,
}

/// What a statement gave: rows or a message to print, or a table already streamed
/// through the pager (finished or stopped part way).
enum Ran {
    Outcome(Outcome),
    Streamed(TableEnd, Pager),
}

/// Was this error SQLite's interrupt (Ctrl-C)?
fn is_interrupt(error: &Error) -> bool {
    match error {
        Error::Stopped(_) => true,
        Error::Store(e) => e.is_interrupted(),
        _ => false,
    }
}

fn output_error(e: io::Error) -> ReplError {
    ReplError::Output(e)
}

impl Session {
    pub fn new(store: Rc<RefCell<Store>>) -> Session {
        let interrupter = Interrupter::new(&store.borrow());
        Session {
            store,
            settings: Settings::default(),
            interrupter,
            terminal: io::stdout().is_terminal(),
            author: statement::Author::default(),
            atomic: false,
            redirect: None,
            place: None,
            depth: 0,
            grouping: Grouping::default(),
        }
    }

    /// Runs the statements of `input` (named `name` in errors: `FILE:LINE:COL`) one after
    /// another, until its end, `.quit`, or with `.bail on` the first error.
    pub fn script(&mut self, mut input: impl Buffered, name: &str) -> Result<ScriptEnd, ReplError> {
        let mut end = ScriptEnd {
            failed: false,
            quit: false,
        };
        let ran = self.script_lines(&mut input, name, &mut end);
        // Whatever ended the script, its writes are committed before it returns.
        if !self.commit_group() {
            end.failed = true;
        }
        ran.map(|()| end)
    }

    fn script_lines(
        &mut self,
        input: &mut impl Buffered,
        name: &str,
        end: &mut ScriptEnd,
    ) -> Result<(), ReplError> {
        let mut splitter = Splitter::new();
        loop {
            // Never wait for the input with writes uncommitted.
            if (self.group_due() || !input.line_ready()) && !self.commit_group() {
                end.failed = true;
            }
            let line = group::read_line(input).map_err(ReplError::Input)?;
            let last = line.is_none();
            let cuts = match line {
                Some(line) => splitter.push(&line),
                // An unfinished statement at the end of the input is run, and fails.
                None => splitter.finish().into_iter().collect(),
            };
            for cut in cuts {
                let place = Place {
                    file: name.to_string(),
                    line: cut.line,
                    col: cut.col,
                };
                // A line of many statements keeps to the window too.
                if self.group_due() && !self.commit_group() {
                    end.failed = true;
                }
                match self.handle_in(&cut.text, Some(place))? {
                    Flow::Done => {}
                    Flow::Failed => {
                        end.failed = true;
                        if self.settings.bail {
                            return Ok(());
                        }
                    }
                    Flow::Quit => {
                        end.quit = true;
                        return Ok(());
                    }
                }
            }
            if last {
                return Ok(());
            }
        }
    }

    /// Ends `.output`: the file is written whole. False (said on stderr) if it could
    /// not be.
    pub fn close_output(&mut self) -> bool {
        match self.redirect.take() {
            None => true,
            Some(r) => {
                let target = r.file.target().to_path_buf();
                match r.file.commit() {
                    Ok(()) => true,
                    Err(e) => {
                        eprintln!("error: {} was not written: {e}", target.display());
                        false
                    }
                }
            }
        }
    }

    /// Opens one change for every write to come (`--atomic`).
    pub fn begin_atomic(&mut self) -> Result<(), Error> {
        let meta =
            crate::store::ChangeMeta::new(self.author.name.clone(), self.author.origin.clone());
        self.store.borrow_mut().begin_change(meta)?;
        self.atomic = true;
        Ok(())
    }

    /// Ends the session's open change: commits it when `keep`, else rolls it back. Says
    /// what happened on stderr; nothing when no change is open.
    pub fn end_change(&mut self, keep: bool, why: &str) -> Ended {
        self.commit_group();
        let mut store = self.store.borrow_mut();
        if !store.in_change() {
            return Ended::NoneOpen;
        }
        if keep {
            match store.commit_change() {
                Ok(Some(n)) => eprintln!("committed: change {n}"),
                Ok(None) => eprintln!("committed: nothing changed, so no change was recorded"),
                Err(e) => {
                    eprintln!("error: {e}");
                    return Ended::Failed;
                }
            }
            Ended::Committed
        } else {
            match store.rollback_change() {
                Ok(()) => {
                    eprintln!("rolled back: {why}; nothing of the change was written");
                    Ended::RolledBack
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    Ended::Failed
                }
            }
        }
    }

    /// The handle a SIGINT handler uses.
    pub fn interrupter(&self) -> Interrupter {
        self.interrupter.clone()
    }

    /// Carries out one finished input: a dot-command or a statement. Errors of the
    /// statement are printed; only failing to write the output is returned.
    pub fn handle(&mut self, text: &str) -> Result<Flow, ReplError> {
        self.handle_in(text, None)
    }

    /// [`Session::handle`] for a statement of a script that starts at `place`.
    pub fn handle_in(&mut self, text: &str, place: Option<Place>) -> Result<Flow, ReplError> {
        self.place = place;
        let trimmed = text.trim();
        if self.settings.echo {
            self.say(trimmed.to_string());
        }
        if dot::is_command(trimmed) {
            self.commit_group();
            return self.dot(trimmed);
        }
        // The words of sqlite3 and psql, alone on their line.
        if let Some(command) = dot::bare_word(trimmed) {
            self.commit_group();
            return self.dot(command);
        }
        if validate::is_blank(text) {
            return Ok(Flow::Done);
        }
        self.statement(text)
    }

    fn render_options(&self) -> RenderOptions {
        let opts = if self.redirect.is_some() {
            RenderOptions::default()
        } else {
            RenderOptions::for_stdout(self.terminal, self.settings.expanded)
        };
        RenderOptions {
            no_header: !self.settings.headers,
            ..opts
        }
    }

    fn format(&self) -> OutputFormat {
        self.settings.format.unwrap_or(if self.terminal {
            OutputFormat::Table
        } else {
            OutputFormat::Json
        })
    }

    fn print_rows(&mut self, rows: &crate::value::ResultSet) -> Result<(), ReplError> {
        let (format, options) = (self.format(), self.render_options());
        if let Some(r) = &mut self.redirect {
            let written = output::render(rows, format, &options, &mut r.file)
                .map_err(|e| r.file.write_error(e));
            if let Err(e) = written {
                eprintln!("error: {e}; results go to the screen again");
                self.redirect = None;
                return Ok(());
            }
            if r.once {
                self.close_output();
            }
            return Ok(());
        }
        let mut pager = self.pager();
        let written = output::render(rows, self.format(), &self.render_options(), &mut pager);
        pager.conclude(written).map_err(output_error)
    }

    /// Where output for people goes: through the pager when it is on and stdout is a
    /// terminal.
    fn pager(&self) -> Pager {
        Pager::for_stdout(self.settings.pager, self.terminal)
    }

    fn fail(&self, message: &str) -> Flow {
        eprintln!("{message}");
        Flow::Failed
    }

    fn statement(&mut self, text: &str) -> Result<Flow, ReplError> {
        let parsed = lang::parse(text);
        // A script's write that is a change of its own joins the group of writes to be
        // committed together; anything else runs on what is committed.
        let grouped = self.grouping.on
            && matches!(&parsed, Ok(stmt) if matches!(stmt.kind, ast::StatementKind::Write(_)))
            && !self.store.borrow().in_change()
            && !self.store.borrow().is_read_only();
        if !grouped {
            self.commit_group();
        } else if !self.join_group() {
            return Ok(Flow::Failed);
        }
        let mut notes = Vec::new();
        let mut store = self.store.borrow_mut();
        let opts = statement::Options {
            graph: self.format().is_graph(),
            deadline: self.interrupter.deadline(),
            author: self.author.clone(),
            ..statement::Options::default()
        };
        let show_sql = self.settings.sql;
        let started = Instant::now();
        let result = match parsed {
            Err(e) => Err(Error::from(e)),
            Ok(stmt) => {
                // A clear word before SQLite's, for writes to a store opened read-only.
                if statement::writes(&stmt) && store.is_read_only() {
                    return Ok(self.fail(&format!(
                        "error: the store {} is open read-only (the file or its directory is \
                         not writable), so writes, `save` and `drop` cannot change it; make \
                         it writable and start the REPL again",
                        store.path().display()
                    )));
                }
                // A `commit` would write half the script as a change of its own.
                if self.atomic
                    && matches!(
                        stmt.kind,
                        ast::StatementKind::Begin
                            | ast::StatementKind::Commit
                            | ast::StatementKind::Rollback
                    )
                {
                    return Ok(self.fail(
                        "error: with --atomic the whole script is one change: `begin`, \
                         `commit` and `rollback` have no place in it (its end commits it; a \
                         failed statement rolls it back)",
                    ));
                }
                self.interrupter.set_running(true);
                let mut watched = store.watch(&opts.deadline);
                let result =
                    statement::prepare(&watched, &stmt, text, &opts).and_then(|prepared| {
                        for note in &prepared.notes {
                            if grouped {
                                notes.push(format!("note: {note}"));
                            } else {
                                eprintln!("note: {note}");
                            }
                        }
                        if show_sql {
                            // Paths, saves and drops have no SQL of their own: nothing to
                            // show then.
                            if let Ok(sql) = statement::explain(&watched, &prepared, &opts, false) {
                                let mut err = io::stderr().lock();
                                let _ = writeln!(err, "{}", sql.trim_end());
                            }
                        }
                        // A table streams, so that Ctrl-C can stop it part way.
                        if self.format() == OutputFormat::Table {
                            let mut pager = self.pager();
                            let render = self.render_options();
                            let streamed = statement::stream_table(
                                &watched, &prepared, &opts, render, &mut pager,
                            );
                            match streamed {
                                Ok(Some(end)) => return Ok(Ran::Streamed(end, pager)),
                                Err(_) if pager.closed() => {
                                    return Ok(Ran::Streamed(TableEnd::Finished, pager))
                                }
                                Err(e) => return Err(e),
                                Ok(None) => {}
                            }
                        }
                        statement::apply(&mut watched, &prepared, &opts).map(Ran::Outcome)
                    });
                drop(watched);
                self.interrupter.set_running(false);
                result
            }
        };
        drop(store);
        let elapsed = started.elapsed();
        for note in notes {
            self.say(note);
        }
        if grouped && result.is_err() {
            // The failed write left the group as it was: what the group holds is
            // committed, and said, before the error is.
            self.commit_group();
        }
        let flow = match result {
            Ok(Ran::Streamed(end, pager)) => {
                let closed = pager.closed();
                pager.end().map_err(output_error)?;
                match end {
                    TableEnd::Finished => Flow::Done,
                    TableEnd::Stopped { .. } if closed => Flow::Done,
                    TableEnd::Stopped { rows, error } if is_interrupt(&error) => {
                        self.fail(&crate::deadline::interrupted_after(rows))
                    }
                    TableEnd::Stopped { error, .. } => self.fail(&error.render(Some(text))),
                }
            }
            Ok(Ran::Outcome(Outcome::Rows(rows))) => {
                self.print_rows(&rows)?;
                Flow::Done
            }
            Ok(Ran::Outcome(Outcome::Message(m))) => {
                self.say(m);
                Flow::Done
            }
            Err(e) if is_interrupt(&e) => self.fail(
                "interrupted: the query was stopped (Ctrl-C); the store is unchanged. Narrow \
                 it with a named entity, a period or `| limit N`.",
            ),
            Err(e) => self.fail(&e.render_in(Some(text), self.place.as_ref())),
        };
        if self.settings.timer {
            self.say(format!("time: {:.3} s", elapsed.as_secs_f64()));
        }
        Ok(flow)
    }

    fn dot(&mut self, line: &str) -> Result<Flow, ReplError> {
        let command = match dot::parse(line) {
            Ok(c) => c,
            Err(message) => return Ok(self.fail(&format!("error: {message}"))),
        };
        let stdout = io::stdout();
        match command {
            DotCommand::Help => {
                let mut out = stdout.lock();
                out.write_all(dot::help().as_bytes())
                    .and_then(|_| out.flush())
                    .map_err(output_error)?;
            }
            DotCommand::Format(None) => {
                let name = clap::ValueEnum::to_possible_value(&self.format())
                    .map(|v| v.get_name().to_string())
                    .unwrap_or_default();
                eprintln!("format: {name}");
            }
            DotCommand::Format(Some(f)) => self.settings.format = Some(f),
            DotCommand::Sql(on) => self.settings.sql = on.unwrap_or(!self.settings.sql),
            DotCommand::Timer(on) => {
                self.settings.timer = on.unwrap_or(!self.settings.timer);
                if on.is_none() {
                    let state = if self.settings.timer { "on" } else { "off" };
                    eprintln!("timer: {state}");
                }
            }
            DotCommand::Echo(on) => self.settings.echo = on.unwrap_or(!self.settings.echo),
            DotCommand::Bail(on) => self.settings.bail = on.unwrap_or(!self.settings.bail),
            DotCommand::Output(file) => return Ok(self.redirect(file, false)),
            DotCommand::Once(file) => return Ok(self.redirect(Some(file), true)),
            DotCommand::Read(file) => return self.read(&file),
            DotCommand::Expanded(mode) => {
                // Alone, `\x` turns records on, or off when they are on (as in psql).
                let mode = mode.unwrap_or(match self.settings.expanded {
                    Expanded::On => Expanded::Off,
                    Expanded::Off | Expanded::Auto => Expanded::On,
                });
                self.settings.expanded = mode;
                let word = match mode {
                    Expanded::On => "on",
                    Expanded::Off => "off",
                    Expanded::Auto => "auto",
                };
                eprintln!("expanded display: {word}");
            }
            DotCommand::Pager(on) => self.settings.pager = on.unwrap_or(!self.settings.pager),
            DotCommand::Headers(on) => self.settings.headers = on.unwrap_or(!self.settings.headers),
            DotCommand::Schema => {
                let store = self.store.borrow();
                let schema = match store.schema_text() {
                    Ok(s) => s,
                    Err(e) => return Ok(self.fail(&format!("error: {e}"))),
                };
                let mut out = stdout.lock();
                out.write_all(schema.as_bytes())
                    .and_then(|_| out.flush())
                    .map_err(output_error)?;
            }
            DotCommand::Stats => {
                let stats = self.store.borrow().stats();
                match stats {
                    Ok(s) => {
                        let mut out = stdout.lock();
                        write!(out, "{s}")
                            .and_then(|_| out.flush())
                            .map_err(output_error)?;
                    }
                    Err(e) => return Ok(self.fail(&format!("error: {e}"))),
                }
            }
            DotCommand::Saved => return self.statement("saved"),
            DotCommand::Import(path) => return Ok(self.import(&path)),
            DotCommand::Mentions(path) => return self.mentions(&path),
            DotCommand::Quit => return Ok(Flow::Quit),
        }
        Ok(Flow::Done)
    }

    /// `.output FILE`, `.once FILE`, `.output`: closes the file results went to, and
    /// sends them to `file` (never the store itself) or back to stdout.
    pub fn redirect(&mut self, file: Option<PathBuf>, once: bool) -> Flow {
        if !self.close_output() {
            return Flow::Failed;
        }
        let Some(file) = file else {
            return Flow::Done;
        };
        let store = self.store.borrow().path().to_path_buf();
        match OutputFile::create(&file, Some(&store)) {
            Ok(file) => {
                self.redirect = Some(Redirect { file, once });
                Flow::Done
            }
            Err(e) => self.fail(&format!("error: {e}")),
        }
    }

    /// `.read FILE`: its statements, as a script; errors say `FILE:LINE:COL`.
    fn read(&mut self, path: &Path) -> Result<Flow, ReplError> {
        if self.depth >= MAX_READ_DEPTH {
            return Ok(self.fail(&format!(
                "error: .read {}: scripts read each other {MAX_READ_DEPTH} deep; does one \
                 read itself?",
                path.display()
            )));
        }
        let file = match File::open(path) {
            Ok(f) => f,
            Err(e) => return Ok(self.fail(&format!("error: cannot read {}: {e}", path.display()))),
        };
        let outer = self.place.take();
        self.depth += 1;
        let end = self.script(BufReader::new(file), &path.display().to_string());
        self.depth -= 1;
        self.place = outer;
        Ok(if end?.failed {
            Flow::Failed
        } else {
            Flow::Done
        })
    }

    /// `.mentions FILE`: as `factstore mentions FILE`, relative dates against today.
    fn mentions(&mut self, path: &Path) -> Result<Flow, ReplError> {
        let store = self.store.borrow();
        let report = crate::mentions::read_text(path)
            .and_then(|text| crate::mentions::report(&store, &text, crate::time::today()));
        let sections = match report {
            Ok(sections) => sections,
            Err(e) => return Ok(self.fail(&format!("error: {e}"))),
        };
        let mut out = io::stdout().lock();
        output::render_sections(&sections, self.format(), &self.render_options(), &mut out)
            .and_then(|_| out.flush())
            .map_err(output_error)?;
        Ok(Flow::Done)
    }

    fn import(&mut self, path: &Path) -> Flow {
        let Some(format) = store::ImportFormat::from_path(path) else {
            return self.fail(&format!(
                "error: cannot tell the format of {} from its extension; name it .jsonl or .csv",
                path.display()
            ));
        };
        let file = match File::open(path) {
            Ok(f) => f,
            Err(e) => {
                return self.fail(&format!(
                    "error: cannot open {} for import: {e}",
                    path.display()
                ))
            }
        };
        let size_hint = file.metadata().ok().map(|m| m.len());
        let bar = crate::progress::ProgressBar::on_stderr(size_hint);
        let opts = ImportOptions {
            progress: bar.as_ref().map(|b| b as &dyn crate::store::ImportProgress),
            author: Some(&self.author.name),
            ..ImportOptions::default()
        };
        let mut store = self.store.borrow_mut();
        if store.is_read_only() {
            return self.fail(&format!(
                "error: the store {} is open read-only, so nothing can be imported into it",
                store.path().display()
            ));
        }
        if store.in_change() {
            return self.fail(
                "error: a change is open (`begin`): an import is a change of its own; \
                 `commit` or `rollback` first, then .import",
            );
        }
        let name = path.display().to_string();
        self.interrupter.set_running(true);
        let result = store.import(BufReader::with_capacity(1 << 18, file), format, &name, opts);
        self.interrupter.set_running(false);
        match result {
            Ok(summary) => {
                eprint!("{summary}{}", summary.warnings_text());
                Flow::Done
            }
            Err(e) => self.fail(&format!("error: {e}")),
        }
    }
}

#[cfg(test)]
mod tests;
