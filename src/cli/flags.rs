//! How results are asked for on the command line: the format flags (`--format F`,
//! `--json`, `--jsonl`, `--csv`, `--tsv`), `-o FILE`, `--limit`, `--timeout`; and the
//! texts shown after `--help`.

use std::path::PathBuf;

use clap::Args;
use factstore::output;

/// The environment variables, shown after `factstore --help`.
pub(super) const ENVIRONMENT: &str = "Environment:
  FACTSTORE_DB       the store when --db is not given (else ./facts.db; not used by demo):
                     a file, or PostgreSQL (postgres://user@host/db, host=… dbname=…)
  PGPASSWORD         a PostgreSQL store's password (else ~/.pgpass); PGHOST, PGPORT,
                     PGUSER, PGDATABASE fill what the connection string leaves out
  FACTSTORE_USER     the author of changes when --as is not given
  FACTSTORE_HISTORY  the REPL's history file; empty: no history
  NO_COLOR           no colours or styles (as --no-color)";

/// The examples shown after `factstore query --help`.
pub(super) const QUERY_EXAMPLES: &str = "Examples:
  factstore query '?who visited Baku'
  factstore query '?who visited Baku in 2025 status any | sort when'
  factstore query 'Iran -- Azerbaijan | sort start' --csv
  factstore query '?who visited ?place | count by ?place'
  factstore query 'path Netanyahu to Pezeshkian' --format dot
  factstore query '?who visited $place' --param place=Baku
  factstore query 'save visitors(place) = ?who visited $place'
  factstore query --file weekly.fq -o weekly.json";

/// The output format as flags: `--format F`, or one of `--json`, `--jsonl`, `--csv`,
/// `--tsv`.
#[derive(Debug, Args, Default)]
#[group(multiple = false)]
pub struct FormatFlags {
    /// Output format (any case); table when standard output is a terminal, JSON
    /// otherwise.
    #[arg(long, value_enum, ignore_case = true)]
    pub format: Option<output::OutputFormat>,
    /// As --format json.
    #[arg(long)]
    pub json: bool,
    /// As --format jsonl.
    #[arg(long)]
    pub jsonl: bool,
    /// As --format csv.
    #[arg(long)]
    pub csv: bool,
    /// As --format tsv.
    #[arg(long)]
    pub tsv: bool,
}

impl FormatFlags {
    /// The format asked for, if any.
    pub fn chosen(&self) -> Option<output::OutputFormat> {
        use output::OutputFormat as F;
        [
            (self.json, F::Json),
            (self.jsonl, F::Jsonl),
            (self.csv, F::Csv),
            (self.tsv, F::Tsv),
        ]
        .into_iter()
        .find_map(|(on, f)| on.then_some(f))
        .or(self.format)
    }
}

/// How results are printed.
#[derive(Debug, Args)]
pub struct OutputArgs {
    #[command(flatten)]
    pub formats: FormatFlags,
    /// Write the results to FILE (whole or not at all; never onto the store).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Print at most N rows.
    #[arg(long, value_name = "N")]
    pub limit: Option<u64>,
    /// Stop a query that runs longer than this many seconds (exit status 1).
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<f64>,
    /// Table rows as records, one field per line (psql's -x); else only when they cannot fit.
    #[arg(long, short = 'x')]
    pub expanded: bool,
    /// Never page long output through $PAGER (else `less -SRFX`) on a terminal.
    #[arg(long)]
    pub no_pager: bool,
    /// Tables without their header row, CSV and TSV without their header line (sqlite3's
    /// `.headers off`); JSON and markdown keep theirs.
    #[arg(long)]
    pub no_header: bool,
}
