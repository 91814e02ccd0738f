//! The factstore-gen program: reads and checks the arguments, then generates (see the
//! library's documentation for what it writes).

use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use factstore_gen::GenArgs;

/// Generates as the arguments say; usage errors exit with status 2, others with 1.
fn main() -> ExitCode {
    let args = GenArgs::parse();
    if let Err(error) = args.validate() {
        GenArgs::command()
            .error(clap::error::ErrorKind::ValueValidation, error)
            .exit();
    }
    match factstore_gen::run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("factstore-gen: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
