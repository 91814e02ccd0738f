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
/// `in P` (a time filter), also `changes since P`.
pub const SINCE: &str = "since";
/// `on P` (a time filter), also `as recorded on P`.
pub const ON: &str = "on";
/// `before D` (a time filter), also a date of a write: `when before 2025-05`.
pub const BEFORE: &str = "before";
/// `after D` (a time filter), also a date of a write: `when after 2025-05`.
pub const AFTER: &str = "after";
/// `| timeline`.
pub const TIMELINE: &str = "timeline";
/// `status any`.
pub const ANY: &str = "any";

/// Time filters followed by one period: `in P`, `before D` …
pub const ONE_PERIOD_FILTERS: &[&str] = &["in", ON, "within", BEFORE, AFTER, SINCE, "until"];

/// Words that begin a time filter after a relation clause's terms.
pub const TIME_FILTER_KEYWORDS: &[&str] = &concat::<9>(&[ONE_PERIOD_FILTERS, &[BETWEEN, AS]]);

/// Words that may begin a time filter: its keyword, or `certainly` before one.
pub const FILTER_STARTS: &[&str] = &concat::<10>(&[TIME_FILTER_KEYWORDS, &[CERTAINLY]]);

/// Words that may begin a filter after a relation clause's terms: a time filter,
/// `certainly` before one, or `status`.
pub const FILTER_KEYWORDS: &[&str] = &concat::<11>(&[FILTER_STARTS, &[STATUS]]);

/// `quote contains "…"`, `note contains "…"`.
pub const CONTAINS: &str = "contains";

/// Words that begin a filter on a relation's field after a clause's terms (`place X`,
/// `source S`, `confidence >= 0.7`, `quote contains "…"`, `note contains "…"`). They are
/// no reserved words: a name spelt like one is a name where a term stands.
pub const FIELD_FILTER_KEYWORDS: &[&str] = &[PLACE, SOURCE, CONFIDENCE, QUOTE, NOTE];

/// Words that may follow a relation clause's terms in a query: a time filter or
/// `certainly`, a filter on a field, or `status`.
pub const MODIFIER_KEYWORDS: &[&str] =
    &concat::<16>(&[FILTER_STARTS, FIELD_FILTER_KEYWORDS, &[STATUS]]);

/// Parts of a date in a period: `early 2025`, `mid 2024-05`, `late 2024`.
pub const PART_WORDS: &[&str] = &["early", "mid", "late"];

/// Words that may begin a period (besides dates, `$param`, `@label` and `..`).
pub const PERIOD_WORDS: &[&str] = &concat::<4>(&[PART_WORDS, &[TODAY]]);

/// The options of `path A to B`, in any order.
pub const PATH_OPTIONS: &[&str] = &[MAX, VIA, STATUS];

/// Words reserved in term and predicate positions (compared case-insensitively).
pub const CLAUSE_KEYWORDS: &[&str] =
    &concat::<21>(&[FILTER_KEYWORDS, &[AND, OF, NOT, TO, MAX, VIA], PERIOD_WORDS]);

/// Words that begin a statement of queries and saved queries, other than a query.
pub const QUERY_STATEMENT_STARTS: &[&str] = &[PATH, SAVE, RUN, SAVED, DROP];

// ---- Writes, blocks and questions about the past (WRITES.md) ----

/// `add …`: a relation, or `add entity|predicate|source …`.
pub const ADD: &str = "add";
/// `alias ENTITY "name", …`.
pub const ALIAS: &str = "alias";
/// `unalias ENTITY "name", …`.
pub const UNALIAS: &str = "unalias";
/// `rename ENTITY "name"`.
pub const RENAME: &str = "rename";
/// `correct #id FIELD VALUE …`.
pub const CORRECT: &str = "correct";
/// `retract #id` or `retract S P O … [all]`.
pub const RETRACT: &str = "retract";
/// `merge A into B`.
pub const MERGE: &str = "merge";
/// `unmerge A`.
pub const UNMERGE: &str = "unmerge";
/// `undo` or `undo change N`.
pub const UNDO: &str = "undo";
/// `erase #id because "…" confirm`.
pub const ERASE: &str = "erase";
/// `begin`: opens a block of statements that is one change.
pub const BEGIN: &str = "begin";
/// `commit`: ends a block, keeping its changes.
pub const COMMIT: &str = "commit";
/// `rollback`: ends a block, dropping its changes.
pub const ROLLBACK: &str = "rollback";
/// `history #id` or `history ENTITY`.
pub const HISTORY: &str = "history";
/// `changes [since P] [by NAME]`.
pub const CHANGES: &str = "changes";

// ---- Lookups in the catalogue ----

/// `describe ENTITY`: everything the store holds about one entity, as rows.
pub const DESCRIBE: &str = "describe";
/// `entities [kind K] [like "text"]`.
pub const ENTITIES: &str = "entities";
/// `predicates`: every predicate with its relations by status.
pub const PREDICATES: &str = "predicates";
/// `sources`: every source with its relation count.
pub const SOURCES: &str = "sources";
/// `entities kind K`.
pub const KIND: &str = "kind";
/// `entities like "text"`.
pub const LIKE: &str = "like";

/// Words that begin a lookup in the catalogue.
pub const LOOKUP_STARTS: &[&str] = &[DESCRIBE, ENTITIES, PREDICATES, SOURCES];

/// The options of `entities`, in any order.
pub const ENTITIES_OPTIONS: &[&str] = &[KIND, LIKE];

/// `add entity ID KIND "name" …`.
pub const ENTITY: &str = "entity";
/// `add predicate ID …`; also a relation field (`correct #1 predicate met`).
pub const PREDICATE: &str = "predicate";
/// `add source ID …`; also a relation field (`source kan`).
pub const SOURCE: &str = "source";
/// `add entity … aka "name", …`.
pub const AKA: &str = "aka";
/// `add entity … weak "name", …`: weak aliases, names that are also common words
/// (counted by `mentions` only in quotes or beside another name; not resolved by queries).
pub const WEAK: &str = "weak";
/// `add predicate ID label "…"`.
pub const LABEL: &str = "label";
/// `add predicate ID symmetric`.
pub const SYMMETRIC: &str = "symmetric";
/// `add predicate ID description "…"`.
pub const DESCRIPTION: &str = "description";
/// `add S new P O`: P is a predicate not declared yet.
pub const NEW: &str = "new";
/// `retract S P O … all`: every relation the pattern matches.
pub const ALL: &str = "all";
/// `because "…"`: the reason of a write.
pub const BECAUSE: &str = "because";
/// `merge A into B`.
pub const INTO: &str = "into";
/// `undo change N`, `as recorded at change N`.
pub const CHANGE: &str = "change";
/// `erase … confirm`.
pub const CONFIRM: &str = "confirm";
/// `as recorded on P`, `as recorded at change N`.
pub const RECORDED: &str = "recorded";
/// `as recorded at change N`; also the field `at D`.
pub const AT: &str = "at";
/// The fields of a relation and of a source, by their words.
pub const WHEN: &str = "when";
pub const FROM: &str = "from";
pub const PLACE: &str = "place";
pub const QUOTE: &str = "quote";
pub const NOTE: &str = "note";
pub const CONFIDENCE: &str = "confidence";
pub const SUBJECT: &str = "subject";
pub const OBJECT: &str = "object";
pub const PUBLISHED: &str = "published";
/// `reported D`: the day a relation was reported, which its relative dates count from.
pub const REPORTED: &str = "reported";
pub const LANG: &str = "lang";
pub const URL: &str = "url";
pub const TITLE: &str = "title";

/// Words that begin a write: each is one change.
pub const WRITE_STARTS: &[&str] = &[
    ADD, ALIAS, UNALIAS, RENAME, CORRECT, RETRACT, MERGE, UNMERGE, UNDO, ERASE,
];

/// The statements of a block of writes that is one change: `begin` … `commit` (or
/// `rollback`).
pub const BLOCK_WORDS: &[&str] = &[BEGIN, COMMIT, ROLLBACK];

/// Words that begin a question about the store's past.
pub const PAST_STARTS: &[&str] = &[HISTORY, CHANGES];

/// Writes whose reason (`because "…"`) is required.
pub const REASON_REQUIRED: &[&str] = &[CORRECT, RETRACT, MERGE, UNMERGE, ERASE];

/// What may follow `add` besides a relation's subject.
pub const ADD_FORMS: &[&str] = &[ENTITY, PREDICATE, SOURCE];

/// What may follow `correct` besides a relation's handle.
pub const CORRECT_FORMS: &[&str] = &[SOURCE];

/// The fields of a relation: what `add S P O` may give, `correct` may change and a
/// `retract` pattern may require (DATA.md's relation fields, `from`/`to`/`at` included).
pub const RELATION_FIELDS: &[&str] = &[
    WHEN, FROM, TO, AT, STATUS, PLACE, SOURCE, QUOTE, NOTE, CONFIDENCE, SUBJECT, OBJECT, PREDICATE,
    REPORTED,
];

/// The fields a `retract` pattern may add to its clause: a relation's but `status`,
/// which the clause reads as its status filter.
pub const PATTERN_FIELDS: &[&str] = &[
    WHEN, FROM, TO, AT, PLACE, SOURCE, QUOTE, NOTE, CONFIDENCE, SUBJECT, OBJECT, PREDICATE,
    REPORTED,
];

/// The fields of `add source ID ["title"]`.
pub const SOURCE_FIELDS: &[&str] = &[PUBLISHED, LANG, URL, NOTE, TITLE];

/// The options of `add entity ID KIND "name"`, in any order.
pub const ENTITY_OPTIONS: &[&str] = &[AKA, WEAK, NOTE];

/// The options of `add predicate ID`, in any order.
pub const PREDICATE_OPTIONS: &[&str] = &[LABEL, SYMMETRIC, DESCRIPTION];

/// The options of `changes`, in any order.
pub const CHANGES_OPTIONS: &[&str] = &[SINCE, BY];

/// What `as recorded` takes: `on P` or `at change N`.
pub const RECORDED_OPTIONS: &[&str] = &[ON, AT];

/// Words that may begin a date of a write besides the date itself: `early 2025-05`,
/// `before 2025-05`.
pub const DATE_TEXT_WORDS: &[&str] = &concat::<5>(&[PART_WORDS, &[BEFORE, AFTER]]);

/// The words of writes and questions about the past that belong to no other group
/// (each word once: `to`, `status`, `on`, `by` and `since` are listed elsewhere).
pub const WRITE_WORDS: &[&str] = &[
    ENTITY,
    PREDICATE,
    SOURCE,
    AKA,
    WEAK,
    LABEL,
    SYMMETRIC,
    DESCRIPTION,
    NEW,
    ALL,
    BECAUSE,
    INTO,
    CHANGE,
    CONFIRM,
    RECORDED,
    AT,
    WHEN,
    FROM,
    PLACE,
    QUOTE,
    NOTE,
    CONFIDENCE,
    SUBJECT,
    OBJECT,
    PUBLISHED,
    REPORTED,
    LANG,
    URL,
    TITLE,
];

/// Words that begin a statement other than a query. They begin their statement
/// whenever they come first: a query whose first subject is spelt like one of them
/// writes it in quotes (`"history" met ?x`).
pub const STATEMENT_STARTS: &[&str] = &concat::<
    {
        QUERY_STATEMENT_STARTS.len()
            + WRITE_STARTS.len()
            + BLOCK_WORDS.len()
            + PAST_STARTS.len()
            + LOOKUP_STARTS.len()
    },
>(&[
    QUERY_STATEMENT_STARTS,
    WRITE_STARTS,
    BLOCK_WORDS,
    PAST_STARTS,
    LOOKUP_STARTS,
]);

/// Words of statements other than queries: the first words and `replace`. A query whose
/// first subject is a name spelt like one of the first words must write it in quotes.
pub const STATEMENT_KEYWORDS: &[&str] =
    &concat::<{ STATEMENT_STARTS.len() + 1 }>(&[STATEMENT_STARTS, &[REPLACE]]);

/// The words of statements that saved query names avoid: those of the statements of
/// saved queries. The words of writes came later; saved queries named so before still
/// run (`run history`), so they stay names there.
pub const SAVED_NAME_KEYWORDS: &[&str] =
    &concat::<{ QUERY_STATEMENT_STARTS.len() + 1 }>(&[QUERY_STATEMENT_STARTS, &[REPLACE]]);

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
/// words, the status words, the words that only follow another keyword, and the words
/// of writes (none of which is reserved outside the write that reads it).
pub const KEYWORDS: &[&str] = &concat::<
    {
        CLAUSE_KEYWORDS.len()
            + STATEMENT_KEYWORDS.len()
            + STAGE_KEYWORDS.len()
            + STATUS_WORDS.len()
            + 3
            + SORT_ORDERS.len()
            + WRITE_WORDS.len()
            + ENTITIES_OPTIONS.len()
    },
>(&[
    CLAUSE_KEYWORDS,
    STATEMENT_KEYWORDS,
    STAGE_KEYWORDS,
    STATUS_WORDS,
    &[ANY, BY, CONTAINS],
    SORT_ORDERS,
    WRITE_WORDS,
    ENTITIES_OPTIONS,
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

/// Is `word` a word of statements other than queries?
pub fn is_statement_keyword(word: &str) -> bool {
    is_one_of(STATEMENT_KEYWORDS, word)
}

/// Is `word` a keyword that no saved query's name may be?
pub fn is_saved_name_keyword(word: &str) -> bool {
    is_clause_keyword(word) || is_one_of(SAVED_NAME_KEYWORDS, word)
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
        check_group("?x visited Baku ", MODIFIER_KEYWORDS);
        check_group("?x visited Baku @v ", MODIFIER_KEYWORDS);
        check_group("Iran -- Azerbaijan ", MODIFIER_KEYWORDS);
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

    /// `group` and `as` (of `as recorded`, which may end a query, a path, a `run`).
    fn and_as(group: &[&'static str]) -> Vec<&'static str> {
        group.iter().copied().chain([AS]).collect()
    }

    #[test]
    fn path_options_status_words_and_sort_orders() {
        check_group("path A to B ", &and_as(PATH_OPTIONS));
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
        check_group("?x visited Baku | sort ?x ", &and_as(SORT_ORDERS));
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

    /// The words of `groups` end to end.
    fn union(groups: &[&[&'static str]]) -> Vec<&'static str> {
        groups.concat()
    }

    #[test]
    fn write_words_are_read_where_writes_put_them() {
        check_group(
            "add entity a person \"A\" ",
            &union(&[ENTITY_OPTIONS, &[BECAUSE]]),
        );
        check_group("add predicate p ", &union(&[PREDICATE_OPTIONS, &[BECAUSE]]));
        check_group("add source s ", &union(&[SOURCE_FIELDS, &[BECAUSE]]));
        check_group("add a met b ", &union(&[RELATION_FIELDS, &[BECAUSE]]));
        check_group("correct #1 ", RELATION_FIELDS);
        check_group("correct ", CORRECT_FORMS);
        check_group("correct source s ", SOURCE_FIELDS);
        check_group(
            "correct source s lang en ",
            &union(&[SOURCE_FIELDS, &[BECAUSE]]),
        );
        check_group(
            "correct #1 at 2024 ",
            &union(&[RELATION_FIELDS, &[BECAUSE]]),
        );
        check_group(
            "retract a met b ",
            &union(&[FILTER_KEYWORDS, RELATION_FIELDS, &[ALL, BECAUSE]]),
        );
        check_group("merge a ", &[INTO]);
        check_group("undo ", &[CHANGE, BECAUSE]);
        check_group("erase #1 because \"x\" ", &[CONFIRM]);
        check_group("changes ", CHANGES_OPTIONS);
        check_group("entities ", ENTITIES_OPTIONS);
        check_group("?x met y as ", &[OF, RECORDED]);
        check_group("?x met y as recorded ", RECORDED_OPTIONS);
        check_group("?x met y as recorded at ", &[CHANGE]);
        check_group("add a met b when ", DATE_TEXT_WORDS);
    }

    #[test]
    fn every_group_is_in_keywords() {
        for group in [
            ADD_FORMS,
            CORRECT_FORMS,
            RELATION_FIELDS,
            SOURCE_FIELDS,
            ENTITY_OPTIONS,
            PREDICATE_OPTIONS,
            CHANGES_OPTIONS,
            ENTITIES_OPTIONS,
            RECORDED_OPTIONS,
            DATE_TEXT_WORDS,
            REASON_REQUIRED,
            &[NEW, ALL, BECAUSE, INTO, CHANGE, CONFIRM],
        ] {
            for word in group {
                assert!(is_keyword(word), "`{word}` is no keyword");
            }
        }
        // Only the first words of statements are kept from saved query names.
        for word in [ENTITY, SOURCE, NOTE, RECORDED, WHEN] {
            assert!(
                !is_statement_keyword(word) && !is_clause_keyword(word),
                "{word}"
            );
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
