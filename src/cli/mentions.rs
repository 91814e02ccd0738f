//! `factstore mentions FILE|-`: the entities a text names (ARTICLES.md, "Mentions"),
//! printed as the sections of [`factstore::mentions::report`].

use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use clap::Args;
use factstore::mentions::{self, MentionsError};
use factstore::output::{self, OutputFormat, RenderOptions};
use factstore::store::{Mode, Store, StoreError};

use super::{is_stdin, stdout_error, CliError};

/// Arguments of `mentions`.
#[derive(Debug, Args)]
pub struct MentionsArgs {
    /// The text (UTF-8); `-` reads standard input.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Output format; table when standard output is a terminal, JSON otherwise. Each
    /// section (mentions, dates, entities, relations) is an array of JSON, a `section`
    /// field of JSON Lines, a block of CSV or TSV.
    #[arg(long, value_enum)]
    pub format: Option<OutputFormat>,
    /// The day the text was published: relative dates in it are resolved against it
    /// (default: today).
    #[arg(long, value_name = "DATE")]
    pub published: Option<String>,
}

impl From<MentionsError> for CliError {
    fn from(e: MentionsError) -> CliError {
        match e {
            MentionsError::Store(e) => CliError::Store(e),
            other => CliError::Usage(other.to_string()),
        }
    }
}

pub fn mentions(path: &Path, args: &MentionsArgs) -> Result<i32, CliError> {
    let format = args.format.unwrap_or(if io::stdout().is_terminal() {
        OutputFormat::Table
    } else {
        OutputFormat::Json
    });
    if format.is_graph() {
        return Err(CliError::Usage(
            "`mentions` prints rows: use --format table, json, jsonl, csv or tsv".into(),
        ));
    }
    let anchor = mentions::anchor(args.published.as_deref())?;
    let text = read_text(&args.file)?;
    let store = open(path)?;
    let sections = mentions::report(&store, &text, anchor)?;
    let terminal = io::stdout().is_terminal();
    let opts = RenderOptions {
        width: if terminal {
            terminal_size::terminal_size().map(|(w, _)| w.0 as usize)
        } else {
            None
        },
        color: terminal,
    };
    let mut out = io::stdout().lock();
    output::render_sections(&sections, format, &opts, &mut out).map_err(stdout_error)?;
    out.flush().map_err(stdout_error)?;
    Ok(0)
}

/// For writing when the file allows it (the name table is cached in the store), else
/// read-only: the table is then built for this run alone.
fn open(path: &Path) -> Result<Store, CliError> {
    match Store::open(path, Mode::ReadWrite) {
        Ok(store) => Ok(store),
        Err(
            e @ (StoreError::Missing { .. }
            | StoreError::TooNew { .. }
            | StoreError::Foreign { .. }),
        ) => Err(e.into()),
        Err(_) => Ok(Store::open(path, Mode::ReadOnly)?),
    }
}

fn read_text(file: &Path) -> Result<String, CliError> {
    let mut bytes = Vec::new();
    let (name, read) = if is_stdin(file) {
        (
            "standard input".to_owned(),
            io::stdin().lock().read_to_end(&mut bytes),
        )
    } else {
        let name = file.display().to_string();
        let read = std::fs::File::open(file).and_then(|mut f| f.read_to_end(&mut bytes));
        (name, read)
    };
    read.map_err(|source| CliError::Io {
        what: format!("cannot read {name}"),
        source,
    })?;
    String::from_utf8(bytes).map_err(|e| {
        CliError::Usage(format!(
            "{name} is not UTF-8 text (invalid bytes at byte {}); convert it to UTF-8 and try again",
            e.utf8_error().valid_up_to()
        ))
    })
}
