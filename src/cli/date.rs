//! `factstore date "TEXT" [--anchor D] [--planned]`: how a date as written resolves (its
//! bounds and the rule that applied), to check a phrase before importing it.

use clap::{Args, ValueEnum};
use factstore::time::phrases::{anchor_day, bounds_text};
use factstore::time::{self, format_day, DateContext, TimeError};

use crate::cli::CliError;

/// Arguments of `date`.
#[derive(Debug, Args)]
pub struct DateArgs {
    /// The date as written: `8 May 2025`, `last November`, `مطلع فبراير الماضي`, `2024-Q3`.
    #[arg(value_name = "TEXT")]
    pub text: String,
    /// The day relative words count from (the report's date), e.g. 2025-04-28; `today`
    /// for today. Without it, a relative date is an error.
    #[arg(long, value_name = "D")]
    pub anchor: Option<String>,
    /// Read it as on a planned relation: a month, weekday or part without a year means
    /// the next one on or after the anchor.
    #[arg(long)]
    pub planned: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DateFormat::Text)]
    pub format: DateFormat,
}

/// How `date` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DateFormat {
    /// One `field: value` line each.
    Text,
    /// One JSON object.
    Json,
}

/// Runs `date`; the store is not opened.
pub fn date(args: &DateArgs) -> Result<i32, CliError> {
    let usage = |e: TimeError| CliError::Usage(e.to_string());
    let anchor = match &args.anchor {
        None => None,
        Some(text) => Some(
            anchor_day(text, Some(time::today()))
                .map_err(usage)?
                .ok_or_else(|| {
                    CliError::Usage(format!(
                        "--anchor `{text}` is not one day; give the day the text was written, \
                         e.g. --anchor 2025-04-28"
                    ))
                })?,
        ),
    };
    let context = DateContext {
        anchor,
        planned: args.planned,
        advice: "give the day it was written with --anchor D (e.g. --anchor 2025-04-28)",
    };
    let resolved = time::resolve_date(&args.text, &context).map_err(usage)?;
    let (lo, hi) = resolved.expr.range();
    let day_or_open = |d| format_day(d).unwrap_or_else(|| "..".to_string());
    let anchor_text = anchor.and_then(format_day);
    match args.format {
        DateFormat::Text => {
            println!("text:   {}", args.text);
            if let (Some(a), true) = (&anchor_text, resolved.relative) {
                let looking = if args.planned { "forward" } else { "back" };
                println!("anchor: {a} (looking {looking})");
            }
            println!("date:   {}", resolved.written);
            println!("bounds: {}", bounds_text(&resolved.expr));
            println!("rule:   {}", resolved.rule);
        }
        DateFormat::Json => {
            let value = serde_json::json!({
                "text": args.text,
                "anchor": if resolved.relative { anchor_text } else { None },
                "planned": args.planned,
                "date": resolved.written,
                "lo": day_or_open(lo),
                "hi": day_or_open(hi),
                "relative": resolved.relative,
                "rule": resolved.rule,
            });
            println!("{value}");
        }
    }
    Ok(0)
}
