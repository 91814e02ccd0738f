//! The `factstore` binary: parses the command line and reports errors; the work is in
//! [`cli`].

mod cli;
mod date_command;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
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
