//! The commands that run one statement of the language: `query`, `run` and `explain`;
//! where the statement's text and parameters come from, and where its rows go (stdout,
//! or `-o FILE` whole).

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use factstore::deadline::Deadline;
use factstore::lang::{self, ast};
use factstore::output;
use factstore::output::file::OutputFile;
use factstore::statement::{self, Outcome};
use factstore::store::{Mode, Store, Target};

use super::{
    stdout_error, Cli, CliError, ExplainArgs, OutputArgs, QueryArgs, RunArgs, StatementArgs,
};

/// The text of a statement from its argument, `--file` or standard input.
fn statement_text(args: &StatementArgs) -> Result<String, CliError> {
    // At most a little past the statement size limit is read: parsing refuses a longer
    // statement, and an endless input cannot fill the memory.
    if let Some(file) = &args.file {
        return File::open(file)
            .and_then(statement::read_text)
            .map_err(|source| CliError::Io {
                what: format!("cannot read the statement from {}", file.display()),
                source,
            });
    }
    match args.text.as_deref() {
        Some("-") | None => {
            statement::read_text(io::stdin().lock()).map_err(|source| CliError::Io {
                what: "cannot read the statement from standard input".to_string(),
                source,
            })
        }
        Some(t) => Ok(t.to_string()),
    }
}

/// One `run` argument or `--param` value as the language reads it: as its canonical text
/// if it is one term or period (`Baku`, `2024-Q3`, `mid 2024`, `"Ilham Aliyev"`), else
/// as a quoted name.
fn argument_text(value: &str) -> String {
    match lang::parse_arg(value) {
        Ok(arg) => arg.to_string(),
        Err(_) => lang::quote(value),
    }
}

/// The `--param NAME=VALUE` values of a statement `text`; a NAME the statement does not
/// use (`$NAME`) is refused, as a misspelt one would otherwise be ignored.
fn parse_params(params: &[String], text: &str) -> Result<HashMap<String, ast::Arg>, CliError> {
    let used = factstore::repl::context::names_used(text, '$', usize::MAX);
    let mut out = HashMap::new();
    for p in params {
        let Some((name, value)) = p.split_once('=') else {
            return Err(CliError::Usage(format!(
                "--param {p}: write it as NAME=VALUE, e.g. --param who=Baku"
            )));
        };
        let name = name.trim().trim_start_matches('$').to_string();
        if !used.iter().any(|u| u[1..] == name) {
            let uses = if used.is_empty() {
                "no parameters".to_string()
            } else {
                used.join(", ")
            };
            return Err(CliError::Usage(format!(
                "--param {p}: the statement has no `${name}` (it uses {uses})"
            )));
        }
        let arg = lang::parse_arg(&argument_text(value.trim())).map_err(|_| {
            CliError::Usage(format!(
                "--param {p}: `{value}` is neither an entity nor a period"
            ))
        })?;
        out.insert(name, arg);
    }
    Ok(out)
}

fn options(
    output: &OutputArgs,
    params: HashMap<String, ast::Arg>,
) -> Result<statement::Options, CliError> {
    // The deadline starts here, once the statement's text has been read.
    let deadline = match output.timeout {
        None => Deadline::none(),
        Some(t) if t.is_finite() && t > 0.0 => {
            Deadline::after(Duration::try_from_secs_f64(t).unwrap_or(Duration::MAX))
        }
        Some(t) => {
            return Err(CliError::Usage(format!(
                "--timeout {t}: give a number of seconds greater than 0"
            )))
        }
    };
    Ok(statement::Options {
        params,
        limit: output.limit,
        deadline: match interrupt_on_ctrl_c() {
            Some(flag) => deadline.with_cancel(flag),
            None => deadline,
        },
        graph: output
            .formats
            .chosen()
            .is_some_and(output::OutputFormat::is_graph),
        author: statement::Author::default(),
    })
}

/// A flag that Ctrl-C raises, for the statement's deadline: every stage checks it (the
/// planner, the path search, SQLite's progress handler, the rows as they print), so
/// the statement stops where it is and the process exits 130 ([`CliError::Interrupted`]).
/// `None`, with a warning, if the handler cannot be installed.
fn interrupt_on_ctrl_c() -> Option<Arc<AtomicBool>> {
    let flag = Arc::new(AtomicBool::new(false));
    let raised = flag.clone();
    match ctrlc::set_handler(move || raised.store(true, Ordering::SeqCst)) {
        Ok(()) => Some(flag),
        Err(e) => {
            eprintln!("warning: Ctrl-C cannot stop the statement part way: {e}");
            None
        }
    }
}

pub(super) fn query(path: &Target, args: &QueryArgs, cli: &Cli) -> Result<i32, CliError> {
    let text = statement_text(&args.statement)?;
    let params = parse_params(&args.statement.params, &text)?;
    let mut opts = options(&args.output, params)?;
    opts.author = cli.statement_author(
        args.statement.file.as_deref(),
        args.statement.text.as_deref(),
    );
    execute(path, &text, &opts, &args.output)
}

pub(super) fn run_saved(path: &Target, args: &RunArgs) -> Result<i32, CliError> {
    let name = lang::parse_saved_name(&args.name).map_err(|_| {
        CliError::Usage(format!(
            "`{}` is not a saved query name (letters, digits and _, not starting with a digit)",
            args.name
        ))
    })?;
    let list: Vec<String> = args.args.iter().map(|a| argument_text(a)).collect();
    let text = format!("run {name}({})", list.join(", "));
    let opts = options(&args.output, HashMap::new())?;
    execute(path, &text, &opts, &args.output)
}

/// Parses, opens the store as the statement needs (read-only unless it saves or drops),
/// runs and prints.
fn execute(
    path: &Target,
    text: &str,
    opts: &statement::Options,
    output_args: &OutputArgs,
) -> Result<i32, CliError> {
    // Refused before the store is opened, as for `export FILE`.
    let mut file = match &output_args.output {
        Some(target) => Some(OutputFile::create(target, path.file())?),
        None => None,
    };
    let status = execute_to(path, text, opts, output_args, file.as_mut())?;
    if let Some(file) = file {
        file.commit()?;
    }
    Ok(status)
}

/// [`execute`], printing to `file` if given, else to stdout.
fn execute_to(
    path: &Target,
    text: &str,
    opts: &statement::Options,
    output_args: &OutputArgs,
    mut file: Option<&mut OutputFile>,
) -> Result<i32, CliError> {
    let format = output_args.formats.chosen();
    let fail = |error: factstore::error::Error| CliError::Statement {
        error: Box::new(error),
        text: text.to_string(),
    };
    let stmt = lang::parse(text).map_err(|e| fail(e.into()))?;
    // A block groups the statements after it; here there are none (the change would be
    // rolled back as the command ends).
    if matches!(
        stmt.kind,
        ast::StatementKind::Begin | ast::StatementKind::Commit | ast::StatementKind::Rollback
    ) {
        return Err(CliError::Usage(
            "`begin`, `commit` and `rollback` group the statements of a REPL session or a \
             script (`factstore repl < script`; --atomic makes a whole script one change); \
             `factstore query` runs one statement, which is a change of its own"
                .into(),
        ));
    }
    let mode = if statement::writes(&stmt) {
        Mode::ReadWrite
    } else {
        Mode::ReadOnly
    };
    let mut store = Store::open_target(path, mode)?;
    if mode == Mode::ReadWrite {
        // One statement's change: left in the write-ahead log for a later process.
        store.keep_log_on_close()?;
    }
    // SQLite checks the statement's deadline too, from here on.
    let mut store = store.watch(&opts.deadline);
    let prepared = statement::prepare(&store, &stmt, text, opts).map_err(fail)?;
    for note in &prepared.notes {
        eprintln!("note: {note}");
    }
    let stdout = io::stdout();
    let terminal = file.is_none() && stdout.is_terminal();
    let format = format.unwrap_or(if terminal {
        output::OutputFormat::Table
    } else {
        output::OutputFormat::Json
    });
    let expanded = if output_args.expanded {
        output::Expanded::On
    } else {
        output::Expanded::Auto
    };
    let render_opts = output::RenderOptions {
        no_header: output_args.no_header,
        ..output::RenderOptions::for_stdout(terminal, expanded)
    };
    if file.is_none() {
        return print_to_stdout(
            &mut store,
            &prepared,
            opts,
            format,
            render_opts,
            output_args,
        )
        .map_err(|e| match e {
            Printed::Interrupted(rows) => CliError::Interrupted { rows },
            Printed::Statement(e) => fail(e),
            Printed::Stdout(e) => stdout_error(e),
        });
    }
    let mut out: Box<dyn Write + '_> = match file.as_mut() {
        Some(f) => Box::new(&mut **f),
        None => Box::new(stdout.lock()),
    };
    // Formats for programs stream: rows are written as they come.
    let streamed = statement::stream(
        &store,
        &prepared,
        opts,
        format,
        &render_opts,
        BufWriter::new(&mut out),
    )
    .map_err(fail)?;
    if let Some(end) = streamed {
        return ended(end).map_err(|e| match e {
            Printed::Interrupted(rows) => CliError::Interrupted { rows },
            Printed::Statement(e) => fail(e),
            Printed::Stdout(e) => stdout_error(e),
        });
    }
    match statement::apply(&mut store, &prepared, opts).map_err(fail)? {
        Outcome::Message(m) => {
            eprintln!("{m}");
        }
        Outcome::Rows(rows) => {
            let written =
                output::render(&rows, format, &render_opts, &mut out).and_then(|()| out.flush());
            drop(out);
            if let Err(e) = written {
                return Err(match file {
                    Some(f) => f.write_error(e).into(),
                    None => stdout_error(e),
                });
            }
        }
    }
    Ok(0)
}

pub(super) fn explain(path: &Target, args: &ExplainArgs) -> Result<i32, CliError> {
    let text = statement_text(&args.statement)?;
    let params = parse_params(&args.statement.params, &text)?;
    let opts = statement::Options {
        params,
        ..statement::Options::default()
    };
    let fail = |error: factstore::error::Error| CliError::Statement {
        error: Box::new(error),
        text: text.clone(),
    };
    let store = Store::open_target(path, Mode::ReadOnly)?;
    let stmt = lang::parse(&text).map_err(|e| fail(e.into()))?;
    let prepared = statement::prepare(&store, &stmt, &text, &opts).map_err(fail)?;
    let sql = statement::explain(&store, &prepared, &opts, args.plan).map_err(fail)?;
    io::stdout()
        .lock()
        .write_all(sql.as_bytes())
        .map_err(stdout_error)?;
    Ok(0)
}

/// Why printing to standard output stopped.
enum Printed {
    Statement(factstore::error::Error),
    Stdout(io::Error),
    /// Ctrl-C, after this many rows were printed.
    Interrupted(usize),
}

/// The exit status of rows streamed to their end, or why they stopped.
fn ended(end: statement::TableEnd) -> Result<i32, Printed> {
    match end {
        statement::TableEnd::Finished => Ok(0),
        statement::TableEnd::Stopped {
            rows,
            error: factstore::error::Error::Stopped(factstore::deadline::Stop::Interrupted),
        } => Err(Printed::Interrupted(rows)),
        statement::TableEnd::Stopped { error, .. } => Err(Printed::Statement(error)),
    }
}

/// Runs a prepared statement and prints its results on standard output: formats for
/// programs stream as rows come, tables stream in chunks through the pager when long
/// (quitting the pager early is no failure).
fn print_to_stdout(
    store: &mut factstore::store::Watched<'_>,
    prepared: &statement::Prepared,
    opts: &statement::Options,
    format: output::OutputFormat,
    render_opts: output::RenderOptions,
    output_args: &OutputArgs,
) -> Result<i32, Printed> {
    let terminal = io::stdout().is_terminal();
    let streamed = statement::stream(
        store,
        prepared,
        opts,
        format,
        &render_opts,
        BufWriter::new(io::stdout().lock()),
    )
    .map_err(Printed::Statement)?;
    if let Some(end) = streamed {
        return ended(end);
    }
    let mut pager = output::Pager::for_stdout(!output_args.no_pager, terminal);
    if format == output::OutputFormat::Table {
        let streamed = statement::stream_table(store, prepared, opts, render_opts, &mut pager);
        let closed = pager.closed();
        match streamed {
            Ok(None) => {}
            Err(e) if !closed => return Err(Printed::Statement(e)),
            Err(_) => return Ok(0),
            Ok(Some(end)) => {
                pager.end().map_err(Printed::Stdout)?;
                // Quitting the pager early is no failure.
                return if closed { Ok(0) } else { ended(end) };
            }
        }
    }
    match statement::apply(store, prepared, opts).map_err(Printed::Statement)? {
        Outcome::Message(m) => eprintln!("{m}"),
        Outcome::Rows(rows) => {
            let written = output::render(&rows, format, &render_opts, &mut pager);
            pager.conclude(written).map_err(Printed::Stdout)?;
        }
    }
    Ok(0)
}
