//! What a shell and `man` need: completion scripts (clap_complete) and the manual page
//! (clap_mangen), both generated from the command line's own definition.

use std::io::{self, Write};
use std::path::PathBuf;

use clap::{Args, CommandFactory};
use clap_complete::Shell;
use factstore::output::file::OutputFile;

use super::{stdout_error, Cli, CliError};

/// Arguments of `completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, elvish or powershell.
    #[arg(value_enum, ignore_case = true)]
    pub shell: Shell,
}

/// Arguments of `man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write the page to FILE (whole) instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub(super) fn completions(args: &CompletionsArgs) -> Result<i32, CliError> {
    let mut command = Cli::command();
    // Generated in memory: clap_complete panics on a write error (a closed pipe).
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "factstore", &mut script);
    let mut out = io::stdout().lock();
    out.write_all(&script)
        .and_then(|()| out.flush())
        .map_err(stdout_error)?;
    Ok(0)
}

pub(super) fn man(args: &ManArgs) -> Result<i32, CliError> {
    let page = clap_mangen::Man::new(Cli::command());
    match &args.output {
        None => {
            let mut out = io::stdout().lock();
            page.render(&mut out).map_err(stdout_error)?;
            out.flush().map_err(stdout_error)?;
        }
        Some(target) => {
            let mut file = OutputFile::create(target, None)?;
            if let Err(e) = page.render(&mut file) {
                return Err(file.write_error(e).into());
            }
            file.commit()?;
        }
    }
    Ok(0)
}
