//! factstore-gen: a deterministic generator of synthetic benchmark data in factstore's
//! JSON Lines import format (see `shared/spec/DATA.md`).
//!
//! It writes sources, predicates, entities (names from syllables, aliases in Latin and
//! Arabic script) and skewed relations (a few hub entities take a large share; the rest
//! follow a power law), with dates mixed like real data. The same arguments always give
//! byte-identical output: randomness comes from a seeded splitmix64 generator.
//! After generating, it writes a small JSON manifest naming entities, a predicate and a
//! year that are useful for benchmark queries (to `--manifest FILE`, else to stderr).
//!
//! A library as well as a program, so that factstore's benchmarks generate their data by
//! calling [`run`].

mod dates;
mod manifest;
mod random;
mod records;
mod vocabulary;

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use anyhow::Context;
use clap::Parser;
use factstore::output::file::OutputFile;

use crate::records::generate;

/// Command-line arguments of the generator.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "factstore-gen",
    about = "Generate deterministic synthetic benchmark data (JSON Lines) for factstore"
)]
pub struct GenArgs {
    /// Number of entities.
    #[arg(long, default_value_t = 100_000)]
    pub entities: u64,
    /// Number of relations.
    #[arg(long, default_value_t = 1_000_000)]
    pub relations: u64,
    /// Number of predicates (about 20% of them symmetric).
    #[arg(long, default_value_t = 50)]
    pub predicates: u64,
    /// Seed of the pseudo-random generator: the same seed gives the same output.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Number of hub entities that together take part in about 30% of relations.
    #[arg(long, default_value_t = 20)]
    pub hubs: u64,
    /// Output file (JSON Lines); standard output if not given or `-`.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Write the manifest (JSON) to this file instead of standard error.
    #[arg(long)]
    pub manifest: Option<PathBuf>,
}

impl GenArgs {
    /// Checks that the numbers make a possible data set.
    pub fn validate(&self) -> Result<(), String> {
        if self.entities < 2 {
            return Err(format!(
                "--entities is {}: at least 2 are needed, since a relation's subject and \
                 object must differ",
                self.entities
            ));
        }
        if self.predicates < 1 {
            return Err("--predicates is 0: at least 1 is needed".to_string());
        }
        if self.hubs > self.entities {
            return Err(format!(
                "--hubs ({}) is larger than --entities ({}): use at most as many hubs as \
                 entities",
                self.hubs, self.entities
            ));
        }
        Ok(())
    }
}

impl Default for GenArgs {
    /// The command line's defaults, so that they are written once (in the attributes above).
    fn default() -> Self {
        GenArgs::parse_from(["factstore-gen"])
    }
}

/// Writes the data and the manifest where the arguments say.
pub fn run(args: &GenArgs) -> anyhow::Result<()> {
    let manifest = match args.out.as_deref() {
        Some(path) if path.as_os_str() != "-" => {
            // Written whole or not at all: a failed run leaves an earlier file as it was.
            let mut file = OutputFile::create(path, None)?;
            let mut writer = BufWriter::with_capacity(1 << 20, &mut file);
            let manifest = generate(args, &mut writer)
                .with_context(|| format!("cannot write to {}", path.display()))?;
            writer
                .into_inner()
                .map_err(|e| e.into_error())
                .with_context(|| format!("cannot write to {}", path.display()))?;
            file.commit()?;
            manifest
        }
        _ => {
            let stdout = io::stdout();
            let mut writer = BufWriter::with_capacity(1 << 20, stdout.lock());
            generate(args, &mut writer).context("cannot write to standard output")?
        }
    };
    let text = serde_json::to_string_pretty(&manifest)?;
    match &args.manifest {
        Some(path) => {
            let mut file = OutputFile::create(path, None)?;
            writeln!(file, "{text}")
                .with_context(|| format!("cannot write the manifest to {}", path.display()))?;
            file.commit()?;
        }
        None => eprintln!("{text}"),
    }
    Ok(())
}

/// What the tests of every module share: arguments, a run into memory, its lines as JSON.
#[cfg(test)]
pub(crate) mod test_support {
    use crate::manifest::Manifest;
    use crate::records::generate;
    use crate::GenArgs;

    pub(crate) fn args(entities: u64, relations: u64, seed: u64) -> GenArgs {
        GenArgs {
            entities,
            relations,
            predicates: 50,
            seed,
            hubs: 20,
            out: None,
            manifest: None,
        }
    }

    pub(crate) fn run(args: &GenArgs) -> (String, Manifest) {
        let mut buffer = Vec::new();
        let manifest = generate(args, &mut buffer).expect("generation writes to a Vec");
        (
            String::from_utf8(buffer).expect("output is UTF-8"),
            manifest,
        )
    }

    pub(crate) fn lines(text: &str) -> Vec<serde_json::Value> {
        text.lines()
            .map(|line| serde_json::from_str(line).expect("each line is JSON"))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{args, run};

    #[test]
    fn same_seed_gives_identical_output() {
        let (a, ma) = run(&args(2000, 5000, 7));
        let (b, mb) = run(&args(2000, 5000, 7));
        assert_eq!(a, b);
        assert_eq!(ma, mb);
    }

    #[test]
    fn different_seeds_give_different_output() {
        let (a, _) = run(&args(500, 1000, 1));
        let (b, _) = run(&args(500, 1000, 2));
        assert_ne!(a, b);
    }

    #[test]
    fn validation_refuses_impossible_sizes() {
        assert!(args(1, 10, 1).validate().is_err());
        let mut too_many_hubs = args(10, 10, 1);
        too_many_hubs.hubs = 11;
        assert!(too_many_hubs.validate().is_err());
        let mut no_predicates = args(10, 10, 1);
        no_predicates.predicates = 0;
        assert!(no_predicates.validate().is_err());
        let mut smallest = args(2, 10, 1);
        smallest.hubs = 2;
        assert!(smallest.validate().is_ok());
    }
}
