//! `stats` and `check`: the store's counts and its integrity, as text for people or as
//! JSON (`--format json`) for programs.

use std::io::{self, Write};

use clap::{Args, ValueEnum};
use factstore::store::{Mode, Store, Target};
use serde_json::json;

use super::{stdout_error, CliError};

/// How `stats` and `check` print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ReportFormat {
    /// Lines for people.
    #[default]
    Text,
    /// One JSON object.
    Json,
}

/// Arguments of `stats` and `check`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Text for people, or one JSON object for programs.
    #[arg(long, value_enum, ignore_case = true, default_value_t)]
    pub format: ReportFormat,
    /// As --format json.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
}

impl ReportArgs {
    fn json(&self) -> bool {
        self.json || self.format == ReportFormat::Json
    }
}

/// Writes `value` as one line of JSON to stdout.
fn print_json(value: &serde_json::Value) -> Result<(), CliError> {
    writeln!(io::stdout().lock(), "{value}").map_err(stdout_error)
}

/// `[[name, n], …]` as `[{key: name, "count": n}, …]`.
fn counted<T: serde::Serialize>(pairs: &[(T, u64)], key: &str) -> serde_json::Value {
    pairs
        .iter()
        .map(|(name, n)| json!({ key: name, "count": n }))
        .collect()
}

pub(super) fn check(target: &Target, args: &ReportArgs) -> Result<i32, CliError> {
    let problems = match target {
        // A damaged file is read as far as SQLite can.
        Target::File(path) => Store::check_file(path)?,
        Target::Postgres { .. } => Store::open_target(target, Mode::ReadOnly)?.check()?,
    };
    let path = target.label();
    let status = i32::from(!problems.is_empty());
    if args.json() {
        let list: Vec<_> = problems
            .iter()
            .map(|p| json!({ "rule": p.rule, "detail": p.detail }))
            .collect();
        print_json(&json!({ "store": path, "problems": list }))?;
        return Ok(status);
    }
    let mut out = io::stdout().lock();
    if problems.is_empty() {
        writeln!(out, "{path}: no problems found.").map_err(stdout_error)?;
        return Ok(0);
    }
    for p in &problems {
        writeln!(out, "{p}").map_err(stdout_error)?;
    }
    let n = problems.len();
    let noun = if n == 1 { "problem" } else { "problems" };
    eprintln!("{path}: {n} {noun} found.");
    Ok(status)
}

pub(super) fn stats(path: &Target, args: &ReportArgs) -> Result<i32, CliError> {
    let store = Store::open_target(path, Mode::ReadOnly)?;
    let stats = store.stats()?;
    if args.json() {
        print_json(&json!({
            "entities": stats.entities,
            "entities_by_kind": counted(&stats.entities_by_kind, "kind"),
            "relations": stats.relations,
            "predicates": stats.predicates,
            "sources": stats.sources,
            "aliases": stats.aliases,
            "saved_queries": stats.saved_queries,
            "first_date": stats.first_date,
            "last_date": stats.last_date,
            "top_predicates": counted(&stats.top_predicates, "predicate"),
            "top_entities": counted(&stats.top_entities, "entity"),
            "relations_per_year": counted(&stats.relations_per_year, "year"),
        }))?;
        return Ok(0);
    }
    write!(io::stdout().lock(), "{stats}").map_err(stdout_error)?;
    Ok(0)
}
