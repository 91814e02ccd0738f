//! The `factstore` binary: parses the command line and reports errors; the work is in
//! [`cli`].

mod cli;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

fn main() -> ExitCode {
    // `--version` tells what a bug report needs: the store schemas this binary writes
    // (SQLite's and PostgreSQL's) and the SQLite it is built with.
    let version: &'static str = Box::leak(
        format!(
            "{} (store schema {}, PostgreSQL store schema {}, SQLite {})",
            env!("CARGO_PKG_VERSION"),
            factstore::store::SCHEMA_VERSION,
            factstore::store::POSTGRES_SCHEMA_VERSION,
            rusqlite::version()
        )
        .into_boxed_str(),
    );
    let matches = cli::Cli::command().version(version).get_matches();
    let args = match cli::Cli::from_arg_matches(&matches) {
        Ok(args) => args,
        Err(e) => e.exit(),
    };
    if args.no_color {
        // One switch for every colour and style: each of them asks NO_COLOR
        // (`output::colour_allowed`). Set before any thread starts.
        std::env::set_var("NO_COLOR", "1");
    }
    let status = match cli::run(args) {
        Ok(status) => status,
        Err(e) if e.is_broken_pipe() => 0,
        Err(e) => {
            eprintln!("{}", e.render());
            e.exit_code()
        }
    };
    ExitCode::from(u8::try_from(status).unwrap_or(1))
}
