//! The REPL's dot-commands: ONE table (names, arguments, help) from which `.help`, the
//! completion of command names and arguments, and the parsing of a typed command all
//! come.

use std::path::PathBuf;

use crate::output::{Expanded, OutputFormat};

/// What a dot-command takes after its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgKind {
    /// Nothing.
    None,
    /// One of these words.
    Choice(&'static [&'static str]),
    /// A file name.
    File,
    /// A file name, or nothing.
    OptionalFile,
}

/// One row of the table.
#[derive(Debug, Clone, Copy)]
pub struct CommandSpec {
    /// The command's name and its other spellings, without the dot.
    pub names: &'static [&'static str],
    /// Its argument as shown in the help.
    pub args: &'static str,
    pub arg: ArgKind,
    pub help: &'static str,
}

const FORMATS: &[&str] = &[
    "table", "json", "jsonl", "csv", "tsv", "markdown", "dot", "mermaid", "line", "box",
];
const ON_OFF: &[&str] = &["on", "off"];
const ON_OFF_AUTO: &[&str] = &["on", "off", "auto"];

/// Every dot-command.
pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        names: &["help"],
        args: "",
        arg: ArgKind::None,
        help: "show this help",
    },
    CommandSpec {
        names: &["format", "mode"],
        args: "table|json|jsonl|csv|tsv|markdown|dot|mermaid|line|box",
        arg: ArgKind::Choice(FORMATS),
        help: "print results in this format (no argument: show the current one; line: \
               records, one field per line, as `\\x on`; box: table, as sqlite3 calls it)",
    },
    CommandSpec {
        names: &["headers"],
        args: "on|off",
        arg: ArgKind::Choice(ON_OFF),
        help: "tables without their header row, CSV and TSV without their header line \
               (off); JSON and markdown keep theirs",
    },
    CommandSpec {
        names: &["sql"],
        args: "[on|off]",
        arg: ArgKind::Choice(ON_OFF),
        help: "print the compiled SQL and its parameters before each result",
    },
    CommandSpec {
        names: &["timer"],
        args: "[on|off]",
        arg: ArgKind::Choice(ON_OFF),
        help: "print how long each statement took, to stderr (\\timing too)",
    },
    CommandSpec {
        names: &["echo"],
        args: "[on|off]",
        arg: ArgKind::Choice(ON_OFF),
        help: "print each statement (to stderr) before running it",
    },
    CommandSpec {
        names: &["bail"],
        args: "[on|off]",
        arg: ArgKind::Choice(ON_OFF),
        help: "stop a script (.read, piped input) at its first error",
    },
    CommandSpec {
        names: &["output"],
        args: "[FILE]",
        arg: ArgKind::OptionalFile,
        help: "write results to FILE from now on (no argument: to the screen again)",
    },
    CommandSpec {
        names: &["once"],
        args: "FILE",
        arg: ArgKind::File,
        help: "write the next result to FILE",
    },
    CommandSpec {
        names: &["read"],
        args: "FILE",
        arg: ArgKind::File,
        help: "run the statements of FILE, one after another",
    },
    CommandSpec {
        names: &["x", "expanded"],
        args: "[on|off|auto]",
        arg: ArgKind::Choice(ON_OFF_AUTO),
        help: "rows as records, one field per line (also `\\x`; alone: toggle; auto, the \
               default: when a table cannot fit the terminal)",
    },
    CommandSpec {
        names: &["pager"],
        args: "on|off",
        arg: ArgKind::Choice(ON_OFF),
        help: "page results longer than the screen through $PAGER (default less -SRFX)",
    },
    CommandSpec {
        names: &["schema"],
        args: "",
        arg: ArgKind::None,
        help: "show the SQL of the store's tables, indexes and views",
    },
    CommandSpec {
        names: &["stats"],
        args: "",
        arg: ArgKind::None,
        help: "count entities, relations, predicates and sources; the time span",
    },
    CommandSpec {
        names: &["saved"],
        args: "",
        arg: ArgKind::None,
        help: "list the saved queries",
    },
    CommandSpec {
        names: &["import"],
        args: "FILE",
        arg: ArgKind::File,
        help: "import a JSON Lines (.jsonl) or CSV (.csv) file into the store",
    },
    CommandSpec {
        names: &["mentions"],
        args: "FILE",
        arg: ArgKind::File,
        help: "list the known entities a text file names, and the relations known between them",
    },
    CommandSpec {
        names: &["quit", "exit"],
        args: "",
        arg: ArgKind::None,
        help: "leave the REPL (quit, exit, \\q and Ctrl-D do too)",
    },
];

/// The words of sqlite3 and psql that stand for a dot-command when alone on a line:
/// (word, the dot-command it stands for).
pub const BARE_WORDS: &[(&str, &str)] = &[
    ("help", ".help"),
    ("\\?", ".help"),
    ("quit", ".quit"),
    ("exit", ".quit"),
    ("\\q", ".quit"),
    ("\\timing", ".timer"),
];

/// The dot-command `text` stands for, if it is one of [`BARE_WORDS`] (any case, spaces
/// around).
pub fn bare_word(text: &str) -> Option<&'static str> {
    let text = text.trim();
    BARE_WORDS
        .iter()
        .find(|(word, _)| word.eq_ignore_ascii_case(text))
        .map(|(_, command)| *command)
}

/// The table entry named `name` (without the dot).
pub fn find(name: &str) -> Option<&'static CommandSpec> {
    COMMANDS.iter().find(|c| c.names.contains(&name))
}

/// A dot-command as typed, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DotCommand {
    Help,
    /// `.format` alone shows the format in use.
    Format(Option<OutputFormat>),
    /// `on`, `off`, or nothing (`None`): switch.
    Sql(Option<bool>),
    Timer(Option<bool>),
    Echo(Option<bool>),
    Bail(Option<bool>),
    /// `.output FILE`; `.output` alone: back to standard output.
    Output(Option<PathBuf>),
    Once(PathBuf),
    Read(PathBuf),
    /// `\x [on|off|auto]`, `.mode line`; `None` toggles.
    Expanded(Option<Expanded>),
    Pager(Option<bool>),
    /// `.headers on|off`; `None` toggles.
    Headers(Option<bool>),
    Schema,
    Stats,
    Saved,
    Import(PathBuf),
    Mentions(PathBuf),
    Quit,
}

/// Whether `line` is a dot-command (or psql's `\x`) rather than a statement.
pub fn is_command(line: &str) -> bool {
    let line = line.trim_start();
    line.starts_with('.') || line.starts_with('\\')
}

/// Reads a dot-command line (`.name [ARG]`, or `\x` as in psql); the error says what
/// is wrong and what to type.
pub fn parse(line: &str) -> Result<DotCommand, String> {
    let line = line.trim();
    let body = line
        .strip_prefix('.')
        .or_else(|| line.strip_prefix('\\'))
        .unwrap_or(line);
    let (name, arg) = match body.split_once(char::is_whitespace) {
        Some((n, a)) => (n, a.trim()),
        None => (body, ""),
    };
    let Some(spec) = find(name) else {
        return Err(format!(
            "unknown command `.{name}`; the commands are {} (`.help` explains them)",
            COMMANDS
                .iter()
                .map(|c| format!(".{}", c.names[0]))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    };
    let usage = || format!("usage: .{} {}", spec.names[0], spec.args);
    match spec.arg {
        ArgKind::None if !arg.is_empty() => {
            return Err(format!(".{name} takes no argument; {}", usage()))
        }
        ArgKind::Choice(choices)
            if !arg.is_empty() && !choices.iter().any(|c| c.eq_ignore_ascii_case(arg)) =>
        {
            return Err(format!("`{arg}` is not one of {}; {}", spec.args, usage()))
        }
        ArgKind::File if arg.is_empty() => return Err(format!("give a file; {}", usage())),
        _ => {}
    }
    // The switches were checked against ON_OFF above; nothing switches.
    let on_off = arg.eq_ignore_ascii_case("on");
    let switch = (!arg.is_empty()).then_some(on_off);
    let file = || PathBuf::from(arg);
    Ok(match spec.names[0] {
        "help" => DotCommand::Help,
        // sqlite3's `.mode line`: one field per line, our records.
        "format" if arg.eq_ignore_ascii_case("line") => DotCommand::Expanded(Some(Expanded::On)),
        // sqlite3's `.mode box` draws what our table is.
        "format" if arg.eq_ignore_ascii_case("box") => {
            DotCommand::Format(Some(OutputFormat::Table))
        }
        "format" => DotCommand::Format(if arg.is_empty() {
            None
        } else {
            // The format's names are the command line's (`--format`).
            let format = <OutputFormat as clap::ValueEnum>::from_str(arg, true)
                .map_err(|_| format!("`{arg}` is not one of {}; {}", spec.args, usage()))?;
            Some(format)
        }),
        "sql" => DotCommand::Sql(switch),
        "timer" => DotCommand::Timer(switch),
        "echo" => DotCommand::Echo(switch),
        "bail" => DotCommand::Bail(switch),
        "output" => DotCommand::Output((!arg.is_empty()).then(file)),
        "once" => DotCommand::Once(file()),
        "read" => DotCommand::Read(file()),
        "x" => DotCommand::Expanded(match arg.to_ascii_lowercase().as_str() {
            "" => None,
            "on" => Some(Expanded::On),
            "off" => Some(Expanded::Off),
            _ => Some(Expanded::Auto),
        }),
        "pager" => DotCommand::Pager(switch),
        "headers" => DotCommand::Headers(switch),
        "schema" => DotCommand::Schema,
        "stats" => DotCommand::Stats,
        "saved" => DotCommand::Saved,
        "import" => DotCommand::Import(PathBuf::from(arg)),
        "mentions" => DotCommand::Mentions(PathBuf::from(arg)),
        _ => DotCommand::Quit,
    })
}

/// The help text: the commands of the table, aligned, then a word on statements.
pub fn help() -> String {
    let rows: Vec<(String, &str)> = COMMANDS
        .iter()
        .map(|c| {
            let mut usage = c
                .names
                .iter()
                .map(|n| format!(".{n}"))
                .collect::<Vec<_>>()
                .join(", ");
            if !c.args.is_empty() {
                usage.push(' ');
                usage.push_str(c.args);
            }
            (usage, c.help)
        })
        .collect();
    let width = rows.iter().map(|(u, _)| u.len()).max().unwrap_or(0);
    let mut out = String::from("Commands:\n");
    for (usage, help) in rows {
        out.push_str(&format!("  {usage:<width$}  {help}\n"));
    }
    out.push_str(
        "\nAnything else is a statement of the query language, for example\n  \
         ?who visited Baku\n  Iran -- Azerbaijan | sort start\n  \
         path Netanyahu to Pezeshkian\n\
         A statement ends at `;` or at the end of its line; it continues on the next line\n\
         while it is unfinished (an open quote or parenthesis, a trailing | or ,). help,\n\
         quit, exit, \\q and \\timing work alone on a line. Tab completes names, predicates\n\
         and keywords; Ctrl-C stops a running query, Ctrl-R searches the history, Ctrl-D\n\
         leaves.\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_parses_and_is_in_the_help() {
        let help = help();
        for spec in COMMANDS {
            for name in spec.names {
                assert!(help.contains(&format!(".{name}")), "{name} missing");
            }
        }
        assert_eq!(parse(".help"), Ok(DotCommand::Help));
        assert_eq!(
            parse(".format json"),
            Ok(DotCommand::Format(Some(OutputFormat::Json)))
        );
        assert_eq!(parse(".format"), Ok(DotCommand::Format(None)));
        assert_eq!(
            parse(".format TSV"),
            Ok(DotCommand::Format(Some(OutputFormat::Tsv)))
        );
        assert_eq!(parse(".sql on"), Ok(DotCommand::Sql(Some(true))));
        assert_eq!(parse(".timer off"), Ok(DotCommand::Timer(Some(false))));
        assert_eq!(parse(".timer"), Ok(DotCommand::Timer(None)));
        assert_eq!(parse(".sql"), Ok(DotCommand::Sql(None)));
        assert_eq!(parse(".bail ON"), Ok(DotCommand::Bail(Some(true))));
        assert_eq!(parse(".echo off"), Ok(DotCommand::Echo(Some(false))));
        assert_eq!(
            parse(".mode mermaid"),
            Ok(DotCommand::Format(Some(OutputFormat::Mermaid)))
        );
        assert_eq!(parse(".output"), Ok(DotCommand::Output(None)));
        assert_eq!(
            parse(".output out.csv"),
            Ok(DotCommand::Output(Some(PathBuf::from("out.csv"))))
        );
        assert_eq!(
            parse(".once o.json"),
            Ok(DotCommand::Once(PathBuf::from("o.json")))
        );
        assert_eq!(
            parse(".read s.fq"),
            Ok(DotCommand::Read(PathBuf::from("s.fq")))
        );
        assert_eq!(parse("\\x"), Ok(DotCommand::Expanded(None)));
        assert_eq!(
            parse("\\x auto"),
            Ok(DotCommand::Expanded(Some(Expanded::Auto)))
        );
        assert_eq!(
            parse(".expanded on"),
            Ok(DotCommand::Expanded(Some(Expanded::On)))
        );
        assert_eq!(
            parse(".mode line"),
            Ok(DotCommand::Expanded(Some(Expanded::On)))
        );
        assert_eq!(parse(".pager off"), Ok(DotCommand::Pager(Some(false))));
        assert_eq!(parse(".headers OFF"), Ok(DotCommand::Headers(Some(false))));
        assert_eq!(
            parse(".mode box"),
            Ok(DotCommand::Format(Some(OutputFormat::Table)))
        );
        assert_eq!(
            parse(".mode markdown"),
            Ok(DotCommand::Format(Some(OutputFormat::Markdown)))
        );
        assert!(is_command(" \\x") && is_command(".help") && !is_command("?x visited _"));
        assert_eq!(parse(".schema"), Ok(DotCommand::Schema));
        assert_eq!(parse(".stats"), Ok(DotCommand::Stats));
        assert_eq!(parse(".saved"), Ok(DotCommand::Saved));
        assert_eq!(
            parse(".import  data/x y.jsonl "),
            Ok(DotCommand::Import(PathBuf::from("data/x y.jsonl")))
        );
        assert_eq!(parse(".quit"), Ok(DotCommand::Quit));
        assert_eq!(parse(".exit"), Ok(DotCommand::Quit));
    }

    #[test]
    fn bare_words_stand_for_commands() {
        assert_eq!(bare_word(" QUIT "), Some(".quit"));
        assert_eq!(bare_word("\\q"), Some(".quit"));
        assert_eq!(bare_word("\\timing"), Some(".timer"));
        assert_eq!(bare_word("help me"), None);
        for (_, command) in BARE_WORDS {
            assert!(parse(command).is_ok(), "{command}");
        }
    }

    #[test]
    fn mistakes_say_what_to_type() {
        let e = parse(".formt json").unwrap_err();
        assert!(
            e.contains("unknown command `.formt`") && e.contains(".format"),
            "{e}"
        );
        let e = parse(".format xml").unwrap_err();
        assert!(e.contains("usage: .format table|json"), "{e}");
        let e = parse(".sql maybe").unwrap_err();
        assert!(e.contains("usage: .sql [on|off]"), "{e}");
        let e = parse(".once").unwrap_err();
        assert!(e.contains("give a file"), "{e}");
        let e = parse(".import").unwrap_err();
        assert!(e.contains("give a file"), "{e}");
        let e = parse(".quit now").unwrap_err();
        assert!(e.contains("takes no argument"), "{e}");
    }
}
