//! The command line: arguments (clap derive; the doc comments are the help text) and the
//! commands that drive the store. Each command is one variant of [`Command`] and one
//! function below (or in a submodule: [`report`] for `stats` and `check`, [`shell`] for
//! completions and the man page); results go to stdout, messages to stderr.

mod date;
mod flags;
mod report;
mod shell;
mod statements;

pub use flags::{FormatFlags, OutputArgs};
use flags::{ENVIRONMENT, QUERY_EXAMPLES};

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand, ValueEnum};
use factstore::output::file::{OutputFile, OutputFileError};
use factstore::progress::ProgressBar;
use factstore::repl::{self, ReplError};
use factstore::statement;
use factstore::store::{
    ImportFormat, ImportOptions, ImportProgress, Mode, Store, StoreError, Target,
};

mod mentions;

/// The sample facts bundled with the binary: the facts of the seed article.
pub const DEMO_DATA: &str = include_str!("../data/demo.jsonl");

/// The store used when neither --db nor FACTSTORE_DB names one.
const DEFAULT_DB: &str = "facts.db";

/// factstore: an embedded fact store with names in every script, dated relations with
/// fuzzy dates, and a query language.
///
/// `factstore` alone, or `factstore STORE`, opens the REPL on the store (as sqlite3 and
/// duckdb do); `factstore demo` opens it on the bundled sample facts.
#[derive(Debug, Parser)]
#[command(name = "factstore", version, after_help = ENVIRONMENT)]
pub struct Cli {
    /// The store: a file, or a PostgreSQL database (`postgres://user@host/db`,
    /// `host=/run/postgresql dbname=facts`). Defaults to the environment variable
    /// FACTSTORE_DB, else ./facts.db; `demo` uses a temporary store unless --db is given.
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// With a PostgreSQL --db: the schema that holds the store (default `factstore`), so
    /// one database holds several stores.
    #[arg(long, global = true, value_name = "NAME")]
    pub schema: Option<String>,

    /// The store to open the REPL on, as --db does: `factstore facts.db`.
    #[arg(value_name = "STORE", conflicts_with = "db")]
    pub store: Option<PathBuf>,

    /// Run these statements and dot-commands (separated by `;` or new lines) as a script
    /// would, then exit: `factstore -c '?who visited Baku; .stats'`.
    #[arg(short = 'c', long = "command", value_name = "STATEMENTS")]
    pub commands: Option<String>,

    /// The REPL's or -c's output format.
    #[command(flatten)]
    pub formats: FormatFlags,

    /// Write the results of the REPL or -c to FILE (whole, never onto the store).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// No colours or styles anywhere (as the environment variable NO_COLOR does).
    #[arg(long, global = true)]
    pub no_color: bool,

    /// Who makes the changes (imports, writes), as the change log records it. Defaults
    /// to the environment variable FACTSTORE_USER, else the login name.
    #[arg(long = "as", global = true, value_name = "NAME")]
    pub author: Option<String>,

    /// With statements read from standard input (`factstore --atomic repl < script`):
    /// record them as one change, written only if every statement succeeds.
    #[arg(long, global = true)]
    pub atomic: bool,

    /// The command; without one, the REPL opens on the store.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the interactive REPL on the store (what `factstore` alone does). With
    /// standard input not a terminal, run the statements read from it instead.
    ///
    /// Each write is a change of its own; `begin` … `commit` makes the writes between
    /// them one change (`rollback` drops them, and a block still open at the end is
    /// rolled back). With --atomic, statements read from standard input are one change,
    /// written only if every one succeeds. The change log's origin is `repl` at a
    /// terminal, `<stdin>` for piped statements.
    ///
    /// Piped writes that arrive together are committed together (each still its own
    /// change), before the REPL waits for more input and at least every 2 seconds; a
    /// write's message is printed once it is committed.
    Repl,
    /// Create an empty store (an existing store is kept and its schema upgraded).
    Init,
    /// Import JSON Lines or CSV files, each whole or not at all.
    Import(ImportArgs),
    /// Write the whole store as JSON Lines (to stdout unless FILE is given).
    Export(ExportArgs),
    /// Check the store's integrity; exits with status 1 if problems are found.
    Check(report::ReportArgs),
    /// Show counts of entities, relations, predicates and sources, and the time span.
    Stats(report::ReportArgs),
    /// Run one statement of the language: a query, `path`, `save`, `run`, `saved`,
    /// `drop`, a write (`add`, `correct`, `retract`, `merge`, `undo`, …) or a question
    /// about history (`history`, `changes`).
    ///
    /// A query prints its rows on stdout. A write opens the store for writing, is
    /// recorded as one change of the change log (author --as, origin `<command line>`,
    /// the file of --file, or `<stdin>`) and says what it did on stderr: `added #41
    /// (change 2)`, `already recorded as #41`. `history #ID` lists every version of a
    /// relation, `history ENTITY` an entity's names, merges and relations, `changes
    /// [since DATE] [by NAME]` the change log, all as rows in any format; a query ending
    /// in `as recorded on DATE` or `as recorded at change N` sees the store as it was.
    /// Several writes as one change: `begin` … `commit` in `factstore repl`, or
    /// `factstore --atomic repl < script`.
    Query(QueryArgs),
    /// Run a saved query with its arguments: `factstore run NAME ARG…`.
    Run(RunArgs),
    /// Print the SQL a query compiles to and its bound parameters.
    Explain(ExplainArgs),
    /// Show how a date as written resolves: `factstore date "last November" --anchor
    /// 2025-04-28` prints its bounds and the rule that applied (the store is not opened).
    Date(date::DateArgs),
    /// List every place a text names a known entity (by name or alias, Arabic particles
    /// and spellings included), its date phrases, a summary per entity, and the relations
    /// the store already holds between the entities it names.
    Mentions(mentions::MentionsArgs),
    /// Load the bundled sample facts into a fresh store (a temporary one unless --db is
    /// given; FACTSTORE_DB is not used) and open the REPL on it. With --db, the store
    /// must be new or empty: the sample is never mixed into your data.
    Demo,
    /// Print a shell completion script: `factstore completions bash > …` (see the
    /// README for where each shell looks).
    Completions(shell::CompletionsArgs),
    /// Print the manual page (roff), or write it to -o FILE: `factstore man -o
    /// factstore.1`.
    Man(shell::ManArgs),
}

/// Arguments of `import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Files to import, in order; `-` reads standard input.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// The files' format; by default taken from each file's extension (.jsonl, .csv),
    /// and JSON Lines for standard input.
    #[arg(long, value_enum)]
    pub format: Option<ImportFormatArg>,
    /// Check the files fully (ids included) without writing anything.
    #[arg(long)]
    pub dry_run: bool,
    /// Refuse a file with what is otherwise a warning: a new predicate that looks like a
    /// typo of a known one, a name that already names another entity.
    #[arg(long)]
    pub strict: bool,
}

/// Where a statement comes from: the argument, `--file`, or standard input (`-`).
#[derive(Debug, Args)]
pub struct StatementArgs {
    /// The statement; `-` reads it from standard input.
    #[arg(
        value_name = "TEXT",
        required_unless_present = "file",
        conflicts_with = "file"
    )]
    pub text: Option<String>,
    /// Read the statement from a file.
    #[arg(long, short = 'f', value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// A value for `$NAME` in the statement: an entity (name, id or "quoted name") or a
    /// period (2024, 2024-Q3, mid 2024, 2023..2024). Repeatable.
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
}

/// Arguments of `query`.
#[derive(Debug, Args)]
#[command(after_help = QUERY_EXAMPLES)]
pub struct QueryArgs {
    #[command(flatten)]
    pub statement: StatementArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Arguments of `run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The saved query's name (`factstore query saved` lists them).
    pub name: String,
    /// Its arguments, in order: entities (names, ids) or periods.
    #[arg(value_name = "ARG")]
    pub args: Vec<String>,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Arguments of `explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    #[command(flatten)]
    pub statement: StatementArgs,
    /// Add SQLite's query plan.
    #[arg(long)]
    pub plan: bool,
}

/// Arguments of `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The file to write; `-` or nothing writes to standard output.
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Write every change and every earlier version too, for an import into an empty
    /// store that keeps the whole history.
    #[arg(long)]
    pub history: bool,
}

/// The import formats as named on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormatArg {
    /// JSON Lines: one JSON object per line.
    Jsonl,
    /// CSV with a header row.
    Csv,
}

impl From<ImportFormatArg> for ImportFormat {
    fn from(f: ImportFormatArg) -> ImportFormat {
        match f {
            ImportFormatArg::Jsonl => ImportFormat::JsonLines,
            ImportFormatArg::Csv => ImportFormat::Csv,
        }
    }
}

/// What can make a command fail.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The command line asks for something that cannot be done as asked.
    #[error("{0}")]
    Usage(String),
    /// A statement of the language failed; rendered with its text and a caret.
    #[error("{}", .error.render(Some(.text)))]
    Statement {
        error: Box<factstore::error::Error>,
        text: String,
    },
    /// Ctrl-C stopped the statement after `rows` rows were printed.
    #[error("{}", factstore::deadline::interrupted_after(*.rows))]
    Interrupted { rows: usize },
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: io::Error,
    },
    #[error(transparent)]
    Repl(#[from] ReplError),
    #[error(transparent)]
    OutputFile(#[from] OutputFileError),
    /// A command that writes FILE failed before it finished: FILE is as it was.
    #[error("{}. {} was left as it was.", .source.to_string().trim_end_matches('.'), .file.display())]
    Unwritten {
        file: PathBuf,
        source: Box<CliError>,
    },
}

impl CliError {
    /// The exit status: 2 for wrong input (usage, bad data), 1 for anything else.
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::Store(e) => e.exit_code(),
            CliError::Usage(_) => 2,
            // 130, as a shell reports a command SIGINT stopped.
            CliError::Interrupted { .. } => 130,
            CliError::Statement { error, .. }
                if matches!(
                    error.as_ref(),
                    factstore::error::Error::Stopped(factstore::deadline::Stop::Interrupted)
                ) =>
            {
                130
            }
            CliError::Statement { error, .. } => error.exit_code(),
            CliError::Io { .. } => 1,
            CliError::Repl(e) => e.exit_code(),
            CliError::OutputFile(e) => e.exit_code(),
            CliError::Unwritten { source, .. } => source.exit_code(),
        }
    }

    /// True when the error is only a closed output pipe (e.g. `factstore export | head`).
    pub fn is_broken_pipe(&self) -> bool {
        if let CliError::Repl(e) = self {
            return e.is_broken_pipe();
        }
        let io_error = match self {
            CliError::Io { source, .. } => Some(source),
            CliError::Store(StoreError::Io { source, .. }) => Some(source),
            CliError::Statement { error, .. } => match error.as_ref() {
                factstore::error::Error::Io(source) => Some(source),
                _ => None,
            },
            _ => None,
        };
        io_error.is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    }
}

impl Cli {
    /// The store's path: --db (or the STORE argument), else FACTSTORE_DB, else
    /// ./facts.db.
    pub fn store_path(&self) -> PathBuf {
        self.db
            .clone()
            .or_else(|| self.store.clone())
            .or_else(|| {
                std::env::var_os("FACTSTORE_DB")
                    .filter(|v| !v.is_empty())
                    .map(PathBuf::from)
            })
            .unwrap_or_else(|| PathBuf::from(DEFAULT_DB))
    }

    /// The store this command works on: [`Cli::store_path`] as a file or a PostgreSQL
    /// database, with --schema.
    pub fn store_target(&self) -> Result<Target, CliError> {
        let target = Target::new(self.store_path().as_os_str(), self.schema.as_deref())?;
        if self.schema.is_some() && !target.is_postgres() {
            return Err(CliError::Usage(
                "--schema names a schema of a PostgreSQL store; --db (or FACTSTORE_DB) names                  a file here. Give --db a connection string (`postgres://user@host/db`), or                  leave --schema out"
                    .into(),
            ));
        }
        Ok(target)
    }

    /// The author of the changes this command makes: --as, else FACTSTORE_USER, else the
    /// login name.
    pub fn author(&self) -> String {
        factstore::store::change::author(self.author.as_deref())
    }

    /// How the REPL writes: its author, `--atomic`, the output format and file.
    fn writes(&self) -> repl::Writes {
        repl::Writes {
            author: self.author(),
            atomic: self.atomic,
            format: self.formats.chosen(),
            output: self.output.clone(),
        }
    }

    /// The author of a statement given to `query` or `run`, and where it came from.
    fn statement_author(&self, file: Option<&Path>, text: Option<&str>) -> statement::Author {
        let origin = match (file, text) {
            (Some(file), _) => file.display().to_string(),
            (None, None | Some("-")) => "<stdin>".to_string(),
            (None, Some(_)) => "<command line>".to_string(),
        };
        statement::Author {
            name: self.author(),
            origin: factstore::store::Origin::Script(origin),
        }
    }
}

/// Runs the command line and returns the exit status.
pub fn run(cli: Cli) -> Result<i32, CliError> {
    let path = cli.store_target()?;
    // The REPL's flags belong to it (and to -c); elsewhere they would be ignored.
    // The demo is a REPL too, on a store of its own.
    let repl_flags =
        cli.commands.is_some() || cli.output.is_some() || cli.formats.chosen().is_some();
    let misplaced = match cli.command {
        None | Some(Command::Repl) => false,
        Some(Command::Demo) => cli.store.is_some(),
        Some(_) => repl_flags || cli.store.is_some(),
    };
    if misplaced {
        return Err(CliError::Usage(
            "a STORE argument, -c, -o and the format flags before a command are the REPL's \
             (-c, -o and the format flags the demo's too); give the store as --db, and -o or \
             --format after the command (`factstore --db facts.db query '…' --csv -o \
             out.csv`)"
                .into(),
        ));
    }
    if let Some(store) = cli.store.as_deref().filter(|p| !p.exists()) {
        return Err(CliError::Usage(unknown_command(store)));
    }
    match &cli.command {
        None | Some(Command::Repl) => match &cli.commands {
            Some(text) => commands(&path, text, &cli.writes()),
            None => repl(&path, &cli.writes()),
        },
        Some(Command::Init) => init(&path),
        Some(Command::Import(args)) => import(&path, args, &cli.author()),
        Some(Command::Export(args)) => export(&path, args),
        Some(Command::Check(args)) => report::check(&path, args),
        Some(Command::Stats(args)) => report::stats(&path, args),
        Some(Command::Completions(args)) => shell::completions(args),
        Some(Command::Man(args)) => shell::man(args),
        Some(Command::Query(args)) => statements::query(&path, args, &cli),
        Some(Command::Run(args)) => statements::run_saved(&path, args),
        Some(Command::Explain(args)) => statements::explain(&path, args),
        Some(Command::Demo) => demo(
            cli.db.as_ref().map(|_| &path),
            cli.commands.as_deref(),
            &cli.writes(),
        ),
        Some(Command::Date(args)) => date::date(args),
        Some(Command::Mentions(args)) => mentions::mentions(&path, args),
    }
}

/// The message for a STORE argument that names no file: most likely a mistyped command.
fn unknown_command(word: &Path) -> String {
    use clap::CommandFactory;
    let command = Cli::command();
    let names: Vec<&str> = command.get_subcommands().map(|c| c.get_name()).collect();
    let typed = word.to_string_lossy();
    let close = closest_command(&typed, &names);
    let guess = close.map_or(String::new(), |c| format!("Did you mean `factstore {c}`? "));
    format!(
        "`{typed}` is neither a command nor an existing store. {guess}The commands are {}; \
         to create a store there, run `factstore --db {typed} init`.",
        names.join(", ")
    )
}

/// The command name closest to `typed`, if one is close enough to suggest.
fn closest_command<'a>(typed: &str, names: &[&'a str]) -> Option<&'a str> {
    let norm = factstore::names::normalise(typed);
    factstore::names::suggest(&norm, names.iter().map(|n| (*n, *n)), 1)
        .into_iter()
        .next()
        .and_then(|s| names.iter().copied().find(|n| *n == s))
}

fn init(target: &Target) -> Result<i32, CliError> {
    match target {
        Target::File(path) => {
            let existed = path.exists();
            Store::open(path, Mode::Create)?;
            if existed {
                eprintln!("{} is a factstore store, up to date.", path.display());
            } else {
                eprintln!("Created an empty store at {}.", path.display());
            }
        }
        Target::Postgres { schema, .. } => {
            let existed = match Store::open_target(target, Mode::ReadWrite) {
                Ok(_) => true,
                Err(StoreError::NoSchema { .. }) => false,
                Err(e) => return Err(e.into()),
            };
            if !existed {
                Store::open_target(target, Mode::Create)?;
            }
            let label = target.label();
            if existed {
                eprintln!("The schema {schema} of {label} is a factstore store, up to date.");
            } else {
                eprintln!("Created an empty store in the schema {schema} of {label}.");
            }
        }
    }
    Ok(0)
}

fn import(target: &Target, args: &ImportArgs, author: &str) -> Result<i32, CliError> {
    let formats = args
        .files
        .iter()
        .map(|file| file_format(file, args.format))
        .collect::<Result<Vec<_>, _>>()?;
    // Refuse missing or unreadable files before a store is created for them.
    for file in args.files.iter().filter(|f| !is_stdin(f)) {
        File::open(file).map_err(|source| CliError::Io {
            what: format!("cannot open {} for import", file.display()),
            source,
        })?;
    }
    let missing = match target {
        Target::File(path) => !path.exists(),
        Target::Postgres { .. } => matches!(
            Store::open_target(target, Mode::ReadOnly),
            Err(StoreError::NoSchema { .. })
        ),
    };
    let mut store = if args.dry_run && missing {
        // Check against an empty store without creating a file or a schema.
        Store::open_in_memory()?
    } else if args.dry_run {
        Store::open_target(target, Mode::ReadWrite)?
    } else {
        Store::open_target(target, Mode::Create)?
    };
    let mut out = io::stdout().lock();
    for (file, format) in args.files.iter().zip(formats) {
        let (reader, name, size): (Box<dyn BufRead>, String, Option<u64>) = if is_stdin(file) {
            (
                Box::new(BufReader::new(io::stdin().lock())),
                "<stdin>".to_string(),
                None,
            )
        } else {
            let f = File::open(file).map_err(|source| CliError::Io {
                what: format!("cannot open {} for import", file.display()),
                source,
            })?;
            let size = f.metadata().ok().map(|m| m.len());
            (
                Box::new(BufReader::with_capacity(1 << 18, f)),
                file.display().to_string(),
                size,
            )
        };
        let bar = ProgressBar::on_stderr(size);
        let opts = ImportOptions {
            dry_run: args.dry_run,
            strict: args.strict,
            author: Some(author),
            progress: bar.as_ref().map(|b| b as &dyn ImportProgress),
        };
        let summary = store.import(reader, format, &name, opts)?;
        eprint!("{}", summary.warnings_text());
        write!(out, "{summary}").map_err(stdout_error)?;
    }
    Ok(0)
}

fn is_stdin(file: &Path) -> bool {
    file.as_os_str() == "-"
}

fn file_format(file: &Path, given: Option<ImportFormatArg>) -> Result<ImportFormat, CliError> {
    if let Some(f) = given {
        return Ok(f.into());
    }
    if is_stdin(file) {
        return Ok(ImportFormat::JsonLines);
    }
    ImportFormat::from_path(file).ok_or_else(|| {
        CliError::Usage(format!(
            "cannot tell the format of {} from its extension; name it .jsonl or .csv, or give \
             --format jsonl or --format csv",
            file.display()
        ))
    })
}

fn stdout_error(source: io::Error) -> CliError {
    CliError::Io {
        what: "cannot write to standard output".to_string(),
        source,
    }
}

/// Writes the export to stdout, or to FILE whole or not at all (an existing FILE stays as
/// it was if the export fails), never onto the store itself.
fn export(target: &Target, args: &ExportArgs) -> Result<i32, CliError> {
    match args.file.as_deref().filter(|f| !is_stdin(f)) {
        None => {
            let store = Store::open_target(target, Mode::ReadOnly)?;
            let mut out = BufWriter::new(io::stdout().lock());
            write_export(&store, &mut out, args.history)?;
            out.flush().map_err(stdout_error)?;
        }
        Some(file) => {
            // Refused before the store is opened: opening may upgrade it.
            let mut out = OutputFile::create(file, target.file())?;
            let unwritten = |source: CliError| CliError::Unwritten {
                file: file.to_path_buf(),
                source: Box::new(source),
            };
            let store =
                Store::open_target(target, Mode::ReadOnly).map_err(|e| unwritten(e.into()))?;
            let mut buffered = BufWriter::new(&mut out);
            write_export(&store, &mut buffered, args.history).map_err(|e| unwritten(e.into()))?;
            let written = buffered.into_inner().map_err(|e| e.into_error());
            if let Err(e) = written {
                return Err(out.write_error(e).into());
            }
            out.commit()?;
        }
    }
    Ok(0)
}

/// The export `export` or `export --history` asks for.
fn write_export(store: &Store, out: &mut dyn Write, history: bool) -> Result<(), StoreError> {
    if history {
        store.export_history(out)
    } else {
        store.export(out)
    }
}

fn demo(
    db: Option<&Target>,
    commands: Option<&str>,
    writes: &repl::Writes,
) -> Result<i32, CliError> {
    let temp;
    let target = match db {
        Some(t) => t.clone(),
        None => {
            temp = tempfile::Builder::new()
                .prefix("factstore-demo-")
                .tempdir()
                .map_err(|source| CliError::Io {
                    what: "cannot create a temporary directory for the demo store".to_string(),
                    source,
                })?;
            Target::File(temp.path().join("demo.db"))
        }
    };
    let mut store = Store::open_target(&target, Mode::Create)?;
    let path = target.label();
    // The demo never mixes its sample facts into a user's store.
    let held = store.stats()?;
    if held.entities + held.relations + held.sources + held.predicates + held.saved_queries > 0 {
        return Err(CliError::Usage(format!(
            "refusing to load the demo into {}: it already holds {} entities and {} \
             relations. Give `demo --db` a new path, or no --db for a temporary store; to \
             open this store, run `factstore --db {}`.",
            path, held.entities, held.relations, path
        )));
    }
    let summary = store.import(
        DEMO_DATA.as_bytes(),
        ImportFormat::JsonLines,
        "demo data",
        ImportOptions::default(),
    )?;
    eprint!("{summary}{}", summary.warnings_text());
    if db.is_some() {
        eprintln!("The demo store is kept at {path}.");
    }
    if let Some(text) = commands {
        return Ok(repl::run_text(store, text, writes)?);
    }
    let stats = store.stats()?;
    let greeting = format!(
        "This demo store holds the facts of one news article (in Arabic, on Iran, Azerbaijan \
         and Israel):\n{} entities, {} relations. Queries to try:\n\
         \x20 ?who visited Baku\n\
         \x20 \"بيزيشكيان\" visited ?where\n\
         \x20 Iran -- Azerbaijan | sort start\n\
         \x20 path Netanyahu to Pezeshkian\n\
         Tab completes names and keywords; .help for help; Ctrl-D leaves.",
        stats.entities, stats.relations
    );
    Ok(repl::run(store, &greeting, writes)?)
}

/// Opens the REPL on an existing store: for writing when the file allows it (`save`,
/// `drop`, `.import`), else read-only with a note. A missing store is an error that
/// says how to create one; `factstore demo` needs none.
fn repl(target: &Target, writes: &repl::Writes) -> Result<i32, CliError> {
    let store = open_for_repl(target)?;
    let greeting = format!(
        "factstore {} on {}. Tab completes; .help for help; Ctrl-D leaves.",
        env!("CARGO_PKG_VERSION"),
        target.label()
    );
    Ok(repl::run(store, &greeting, writes)?)
}

/// `-c STATEMENTS`: runs them on the store as a script would.
fn commands(target: &Target, text: &str, writes: &repl::Writes) -> Result<i32, CliError> {
    let store = open_for_repl(target)?;
    Ok(repl::run_text(store, text, writes)?)
}

/// Opens the store for the REPL or -c: for writing when the file allows it, else
/// read-only with a note.
fn open_for_repl(target: &Target) -> Result<Store, CliError> {
    let store = match Store::open_target(target, Mode::ReadWrite) {
        Ok(store) => store,
        Err(
            e @ (StoreError::Missing { .. }
            | StoreError::NoSchema { .. }
            | StoreError::Connect { .. }
            | StoreError::TooNew { .. }
            | StoreError::Foreign { .. }),
        ) => return Err(e.into()),
        Err(first) => match Store::open_target(target, Mode::ReadOnly) {
            Ok(store) => {
                eprintln!(
                    "note: {} is open read-only ({first}); queries work, `save`, `drop` and \
                     .import do not.",
                    target.label()
                );
                store
            }
            Err(_) => return Err(first.into()),
        },
    };
    Ok(store)
}

impl CliError {
    /// The error for people: `error: ` and one clear paragraph.
    pub fn render(&self) -> String {
        let text = self.to_string();
        if text.starts_with("error: ") {
            text
        } else {
            format!("error: {text}")
        }
    }
}
