//! `factstore mentions FILE|-`: the entities a text names (ARTICLES.md, "Mentions"),
//! printed as the sections of [`factstore::mentions::report`].

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use clap::Args;
use factstore::mentions::{self, MentionsError};
use factstore::output::{self, OutputFormat};
use factstore::store::{Mode, Store, StoreError, Target};

use super::{stdout_error, CliError};

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
            MentionsError::Read { what, source } => CliError::Io {
                what: format!("cannot read {what}"),
                source,
            },
            other => CliError::Usage(other.to_string()),
        }
    }
}

pub fn mentions(path: &Target, args: &MentionsArgs) -> Result<i32, CliError> {
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
    let text = mentions::read_text(&args.file)?;
    let store = open(path)?;
    let sections = mentions::report(&store, &text, anchor)?;
    let opts =
        output::RenderOptions::for_stdout(io::stdout().is_terminal(), output::Expanded::Auto);
    let mut out = io::stdout().lock();
    output::render_sections(&sections, format, &opts, &mut out).map_err(stdout_error)?;
    out.flush().map_err(stdout_error)?;
    Ok(0)
}

/// For writing when the file allows it (the name table is cached in the store), else
/// read-only: the table is then built for this run alone.
fn open(path: &Target) -> Result<Store, CliError> {
    match Store::open_target(path, Mode::ReadWrite) {
        Ok(store) => Ok(store),
        Err(
            e @ (StoreError::Missing { .. }
            | StoreError::TooNew { .. }
            | StoreError::Foreign { .. }),
        ) => Err(e.into()),
        Err(_) => Ok(Store::open_target(path, Mode::ReadOnly)?),
    }
}
