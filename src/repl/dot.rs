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

const FORMATS: &[&str] = &["table", "json", "jsonl", "csv", "tsv"];
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
        names: &["format"],
        args: "table|json|jsonl|csv|tsv",
        arg: ArgKind::Choice(FORMATS),
        help: "print results in this format (no argument: show the current one)",
    },
    CommandSpec {
        names: &["sql"],
        args: "on|off",
        arg: ArgKind::Choice(ON_OFF),
        help: "print the compiled SQL and its parameters before each result",
    },
    CommandSpec {
        names: &["timer"],
        args: "on|off",
        arg: ArgKind::Choice(ON_OFF),
        help: "print how long each statement took (to stderr)",
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
        names: &["quit", "exit"],
        args: "",
        arg: ArgKind::None,
        help: "leave the REPL (Ctrl-D does too)",
    },
];

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
    Sql(bool),
    Timer(bool),
    /// `\x [on|off|auto]`; `None` toggles.
    Expanded(Option<Expanded>),
    Pager(bool),
    Schema,
    Stats,
    Saved,
    Import(PathBuf),
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
    let on_off = |what: &str| -> Result<bool, String> {
        match arg.to_ascii_lowercase().as_str() {
            "on" => Ok(true),
            "off" => Ok(false),
            _ => Err(format!("say whether {what}; {}", usage())),
        }
    };
    Ok(match spec.names[0] {
        "help" => DotCommand::Help,
        "format" => DotCommand::Format(match arg.to_ascii_lowercase().as_str() {
            "" => None,
            "table" => Some(OutputFormat::Table),
            "json" => Some(OutputFormat::Json),
            "jsonl" => Some(OutputFormat::Jsonl),
            "csv" => Some(OutputFormat::Csv),
            _ => Some(OutputFormat::Tsv),
        }),
        "sql" => DotCommand::Sql(on_off("to print the SQL")?),
        "timer" => DotCommand::Timer(on_off("to time statements")?),
        "x" => DotCommand::Expanded(match arg.to_ascii_lowercase().as_str() {
            "" => None,
            "on" => Some(Expanded::On),
            "off" => Some(Expanded::Off),
            _ => Some(Expanded::Auto),
        }),
        "pager" => DotCommand::Pager(on_off("to page long results")?),
        "schema" => DotCommand::Schema,
        "stats" => DotCommand::Stats,
        "saved" => DotCommand::Saved,
        "import" => DotCommand::Import(PathBuf::from(arg)),
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
         A statement continues on the next line while it is unfinished (an open quote or\n\
         parenthesis, a trailing | or ,). Tab completes names, predicates and keywords;\n\
         Ctrl-C stops a running query, Ctrl-R searches the history, Ctrl-D leaves.\n",
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
        assert_eq!(parse(".sql on"), Ok(DotCommand::Sql(true)));
        assert_eq!(parse(".timer off"), Ok(DotCommand::Timer(false)));
        assert_eq!(parse("\\x"), Ok(DotCommand::Expanded(None)));
        assert_eq!(
            parse("\\x auto"),
            Ok(DotCommand::Expanded(Some(Expanded::Auto)))
        );
        assert_eq!(
            parse(".expanded on"),
            Ok(DotCommand::Expanded(Some(Expanded::On)))
        );
        assert_eq!(parse(".pager off"), Ok(DotCommand::Pager(false)));
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
    fn mistakes_say_what_to_type() {
        let e = parse(".formt json").unwrap_err();
        assert!(
            e.contains("unknown command `.formt`") && e.contains(".format"),
            "{e}"
        );
        let e = parse(".format xml").unwrap_err();
        assert!(e.contains("usage: .format table|json"), "{e}");
        let e = parse(".sql").unwrap_err();
        assert!(e.contains("usage: .sql on|off"), "{e}");
        let e = parse(".import").unwrap_err();
        assert!(e.contains("give a file"), "{e}");
        let e = parse(".quit now").unwrap_err();
        assert!(e.contains("takes no argument"), "{e}");
    }
}
