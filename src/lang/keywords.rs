//! The words of the query language, each written once, in the groups the grammar gives
//! them: the parser recognises a keyword only through these lists, and tools (the REPL's
//! completion, validation and colours) take their words from here rather than keeping
//! copies. Keywords are compared case-insensitively.
//!
//! Larger lists are unions of smaller ones ([`concat`]), so a word added to a group
//! reaches every list built from it.

/// `not CLAUSE`.
pub const NOT: &str = "not";
/// `between A and B`.
pub const BETWEEN: &str = "between";
/// The second word of `between A and B`.
pub const AND: &str = "and";
/// `as of D`.
pub const AS: &str = "as";
/// The second word of `as of D`.
pub const OF: &str = "of";
/// `certainly` before a time filter.
pub const CERTAINLY: &str = "certainly";
/// `status …` after a relation clause or a path.
pub const STATUS: &str = "status";
/// The period of the current day.
pub const TODAY: &str = "today";
/// `path A to B`.
pub const TO: &str = "to";
/// `path … max N`.
pub const MAX: &str = "max";
/// `path … via P|P…`.
pub const VIA: &str = "via";
/// `path A to B …`.
pub const PATH: &str = "path";
/// `save NAME(p, …) = QUERY`.
pub const SAVE: &str = "save";
/// `save replace NAME …`.
pub const REPLACE: &str = "replace";
/// `run NAME(arg, …)`.
pub const RUN: &str = "run";
/// The statement that lists the saved queries; it takes nothing more.
pub const SAVED: &str = "saved";
/// `drop NAME`.
pub const DROP: &str = "drop";
/// `| show col, …`.
pub const SHOW: &str = "show";
/// `| sort col [asc|desc], …`.
pub const SORT: &str = "sort";
/// `| limit N`.
pub const LIMIT: &str = "limit";
/// `| count` or `| count by col, …`.
pub const COUNT: &str = "count";
/// `count by col, …`.
pub const BY: &str = "by";
/// `| distinct`.
pub const DISTINCT: &str = "distinct";
/// `| timeline`.
pub const TIMELINE: &str = "timeline";
/// `status any`.
pub const ANY: &str = "any";

/// Time filters followed by one period: `in P`, `before D` …
pub const ONE_PERIOD_FILTERS: &[&str] =
    &["in", "on", "within", "before", "after", "since", "until"];

/// Words that begin a time filter after a relation clause's terms.
pub const TIME_FILTER_KEYWORDS: &[&str] = &concat::<9>(&[ONE_PERIOD_FILTERS, &[BETWEEN, AS]]);

/// Words that may begin a time filter: its keyword, or `certainly` before one.
pub const FILTER_STARTS: &[&str] = &concat::<10>(&[TIME_FILTER_KEYWORDS, &[CERTAINLY]]);

/// Words that may begin a filter after a relation clause's terms: a time filter,
/// `certainly` before one, or `status`.
pub const FILTER_KEYWORDS: &[&str] = &concat::<11>(&[FILTER_STARTS, &[STATUS]]);

/// Parts of a date in a period: `early 2025`, `mid 2024-05`, `late 2024`.
pub const PART_WORDS: &[&str] = &["early", "mid", "late"];

/// Words that may begin a period (besides dates, `$param`, `@label` and `..`).
pub const PERIOD_WORDS: &[&str] = &concat::<4>(&[PART_WORDS, &[TODAY]]);

/// The options of `path A to B`, in any order.
pub const PATH_OPTIONS: &[&str] = &[MAX, VIA, STATUS];

/// Words reserved in term and predicate positions (compared case-insensitively).
pub const CLAUSE_KEYWORDS: &[&str] =
    &concat::<21>(&[FILTER_KEYWORDS, &[AND, OF, NOT, TO, MAX, VIA], PERIOD_WORDS]);

/// Words that begin a statement other than a query.
pub const STATEMENT_STARTS: &[&str] = &[PATH, SAVE, RUN, SAVED, DROP];

/// Words of statements other than queries. A query whose first subject is a name spelt
/// like one of these must write it in quotes.
pub const STATEMENT_KEYWORDS: &[&str] = &concat::<6>(&[STATEMENT_STARTS, &[REPLACE]]);

/// Stages that cannot end without an argument: `show col`, `sort col`, `limit N`.
pub const ARGUMENT_STAGES: &[&str] = &[SHOW, SORT, LIMIT];

/// Words that begin a pipeline stage.
pub const STAGE_KEYWORDS: &[&str] = &concat::<6>(&[ARGUMENT_STAGES, &[COUNT, DISTINCT, TIMELINE]]);

/// The status words that `|` may join in `status a|b`: the data model's statuses.
pub const STATUS_WORDS: &[&str] = crate::model::Status::WORDS;

/// What may follow `status`: a status word, or `any` alone.
pub const STATUS_OR_ANY: &[&str] = &concat::<{ STATUS_WORDS.len() + 1 }>(&[STATUS_WORDS, &[ANY]]);

/// The orders of a sort key: `sort col asc`, `sort col desc`.
pub const SORT_ORDERS: &[&str] = &["asc", "desc"];

/// Every keyword of the language: the reserved words, the statements' and stages'
/// words, the status words and the words that only follow another keyword.
pub const KEYWORDS: &[&str] = &concat::<
    {
        CLAUSE_KEYWORDS.len()
            + STATEMENT_KEYWORDS.len()
            + STAGE_KEYWORDS.len()
            + STATUS_WORDS.len()
            + 2
            + SORT_ORDERS.len()
    },
>(&[
    CLAUSE_KEYWORDS,
    STATEMENT_KEYWORDS,
    STAGE_KEYWORDS,
    STATUS_WORDS,
    &[ANY, BY],
    SORT_ORDERS,
]);

/// The word lists `parts` end to end. `N` is their total length; any other `N` fails
/// the build (the lists are constants, so this is checked at compile time).
const fn concat<const N: usize>(parts: &[&[&'static str]]) -> [&'static str; N] {
    let mut out = [""; N];
    let mut at = 0;
    let mut part = 0;
    while part < parts.len() {
        let mut i = 0;
        while i < parts[part].len() {
            assert!(at < N, "concat: N is less than the words given");
            out[at] = parts[part][i];
            at += 1;
            i += 1;
        }
        part += 1;
    }
    assert!(at == N, "concat: N is more than the words given");
    out
}

/// Is `word` one of `words` (any case)?
pub fn is_one_of(words: &[&str], word: &str) -> bool {
    words.iter().any(|k| k.eq_ignore_ascii_case(word))
}

/// Is `word` reserved in term and predicate positions?
pub fn is_clause_keyword(word: &str) -> bool {
    is_one_of(CLAUSE_KEYWORDS, word)
}

/// Is `word` a word of statements other than queries (which saved query names avoid)?
pub fn is_statement_keyword(word: &str) -> bool {
    is_one_of(STATEMENT_KEYWORDS, word)
}

/// Is `word` a stage keyword?
pub fn is_stage_keyword(word: &str) -> bool {
    is_one_of(STAGE_KEYWORDS, word)
}

/// Is `word` a status word (not `any`)?
pub fn is_status_word(word: &str) -> bool {
    is_one_of(STATUS_WORDS, word)
}

/// Is `word` any keyword of the language?
pub fn is_keyword(word: &str) -> bool {
    is_one_of(KEYWORDS, word)
}

#[cfg(test)]
mod tests {
    //! The lists agree with the parser: each word of a group is read as that group's
    //! word where the grammar puts the group, and no other keyword is.

    use super::*;
    use crate::lang::parse;

    /// Does the parser read all of `text`: it parses, or it stops at the end wanting more
    /// (so the last word was taken for what it is)?
    fn reads_to_the_end(text: &str) -> bool {
        match parse(text) {
            Ok(_) => true,
            Err(e) => e.span.start == text.len(),
        }
    }

    /// The words of `group` are read after `before`, and every other keyword (and `id`)
    /// is refused right there.
    fn check_group(before: &str, group: &[&str]) {
        for word in KEYWORDS.iter().chain(&["id"]) {
            let text = format!("{before}{word}");
            let expected = is_one_of(group, word);
            assert_eq!(
                reads_to_the_end(&text),
                expected,
                "{text:?}: `{word}` should{} be read there",
                if expected { "" } else { " not" }
            );
            let upper = text.to_uppercase();
            assert_eq!(reads_to_the_end(&upper), expected, "{upper:?}: any case");
        }
    }

    #[test]
    fn filter_keywords_begin_a_filter_after_a_clause() {
        check_group("?x visited Baku ", FILTER_KEYWORDS);
        check_group("?x visited Baku @v ", FILTER_KEYWORDS);
        check_group("Iran -- Azerbaijan ", FILTER_KEYWORDS);
        check_group("?x visited Baku certainly ", TIME_FILTER_KEYWORDS);
    }

    #[test]
    fn each_time_filter_reads_as_itself() {
        for word in ONE_PERIOD_FILTERS {
            let text = format!("?x visited Baku {word} 2024");
            let tree = parse(&text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
            assert!(
                tree.to_string().ends_with(&format!("{word} 2024")),
                "{tree}"
            );
        }
        for text in [
            "?x visited Baku between 2024 and 2025",
            "?x visited Baku as of 2024",
        ] {
            let tree = parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
            assert_eq!(tree.to_string(), text);
        }
    }

    #[test]
    fn period_words_begin_a_period() {
        check_group("?x visited Baku in ", PERIOD_WORDS);
        for part in PART_WORDS {
            let text = format!("?x visited Baku in {part} 2024");
            let tree = parse(&text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
            assert!(tree.to_string().ends_with(&text[16..]), "{tree}");
        }
    }

    #[test]
    fn clause_keywords_are_reserved_and_no_other() {
        for word in KEYWORDS {
            let text = format!("?x visited {word}");
            assert_eq!(
                parse(&text).is_ok(),
                !is_clause_keyword(word),
                "{text:?}: only clause keywords are refused as terms"
            );
        }
    }

    #[test]
    fn statement_starts_begin_statements() {
        // A query's first word is its subject: it wants a predicate next. Clause
        // keywords can be no subject at all, so they say nothing here.
        let statements: Vec<&str> = KEYWORDS
            .iter()
            .copied()
            .filter(|word| !is_clause_keyword(word))
            .filter(|word| {
                parse(word)
                    .err()
                    .is_none_or(|e| !e.expected.iter().any(|x| x.starts_with("a predicate")))
            })
            .collect();
        assert_eq!(statements, STATEMENT_STARTS);
    }

    #[test]
    fn stage_keywords_begin_stages() {
        check_group("?x visited Baku | ", STAGE_KEYWORDS);
        let needing_more: Vec<&str> = STAGE_KEYWORDS
            .iter()
            .copied()
            .filter(|word| parse(&format!("?x visited Baku | {word}")).is_err())
            .collect();
        assert_eq!(needing_more, ARGUMENT_STAGES);
    }

    #[test]
    fn path_options_status_words_and_sort_orders() {
        check_group("path A to B ", PATH_OPTIONS);
        // `|` joins status words only; `any` joins too, to be refused with advice.
        for word in KEYWORDS {
            let text = format!("?x visited Baku status planned|{word}");
            let joined = match parse(&text) {
                Ok(tree) => tree.to_string().ends_with(&format!("planned|{word}")),
                Err(e) => e.message.contains("`any` cannot be combined"),
            };
            let expected = is_status_word(word) || *word == ANY;
            assert_eq!(joined, expected, "{text:?}");
        }
        check_group("?x visited Baku | sort ?x ", SORT_ORDERS);
    }

    #[test]
    fn expectation_messages_name_every_word() {
        let stage = parse("?x visited Baku | Baku").expect_err("no stage");
        let filter = parse("?x visited Baku certainly Baku").expect_err("no filter");
        for (error, words) in [(stage, STAGE_KEYWORDS), (filter, TIME_FILTER_KEYWORDS)] {
            let message = error.expected.join(" ");
            for word in words {
                assert!(message.contains(word), "{message:?} lacks `{word}`");
            }
        }
    }

    #[test]
    fn lists_have_no_word_twice() {
        for (i, word) in KEYWORDS.iter().enumerate() {
            assert!(
                !KEYWORDS[..i].contains(word) || *word == STATUS,
                "`{word}` is in two groups"
            );
        }
    }
}
