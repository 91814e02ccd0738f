//! The words of written and relative dates, in English and Arabic, and the tokens a text
//! is cut into: each token keeps its byte span in the text and its matching form (the
//! names' [`normalise`], so Arabic spelling variants and Arabic-Indic digits match).

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use crate::names::normalise;

/// `last`, `this` or `next` (الماضي، هذا، المقبل), as an offset: -1, 0 or +1.
pub(super) type Rel = i64;

/// A unit of time named by a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Unit {
    Day,
    Week,
    Month,
    Year,
    Quarter,
    Half,
}

/// A third of a month or year: early / mid / late (beginning and end count as early and
/// late, as DATA.md's bounds give them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Third {
    Early,
    Mid,
    Late,
}

impl Third {
    /// The keyword of DATA.md's date expressions.
    pub(super) fn keyword(self) -> &'static str {
        match self {
            Third::Early => "early",
            Third::Mid => "mid",
            Third::Late => "late",
        }
    }
}

/// What one word (or a fixed group of words, such as كانون الثاني) means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Word {
    /// A number written in digits: its value and how many digits.
    Number(i64, usize),
    /// A number written in words (three, ثلاثة); counts only.
    Count(i64),
    /// A date in digits that `parse_date` does not take: `2025-5-8`, `29-01-2010`,
    /// `1999/9/26`, `2/2013`; the day is absent for a month.
    Digits(i64, u32, Option<u32>),
    /// A month, 1..=12.
    Month(u32),
    /// A weekday, 0 = Monday .. 6 = Sunday.
    Weekday(u32),
    /// today (0), yesterday (-1), tomorrow (+1), the day before yesterday (-2), …
    DayName(i64),
    /// last / this / next.
    Rel(Rel),
    Unit(Unit),
    /// Plural or dual of a unit with its count where the word carries it (يومين: 2 days).
    Units(Unit, Option<i64>),
    Third(Third),
    /// first, second … (الأول، الثاني …); also `1st`, `8th`.
    Ordinal(u32),
    /// عشر / عشرة after an Arabic ordinal: adds ten.
    Teen,
    /// `Q1` .. `Q4`, `H1`, `H2`.
    Grouping(Unit, u32),
    /// ago / منذ / قبل: a count of units back from the anchor.
    Ago,
    /// بعد / later: a count of units forward from the anchor.
    Later,
    /// `in`: a count forward (`in 3 days`), else nothing (`in May 2025`).
    In,
    /// What joins the two ends of a range: to, until, `–`, إلى، حتى.
    To,
    /// `and` (و) after `between` (بين).
    And,
    /// `from` before a range (Arabic من is a filler).
    From,
    /// `between` (بين) before a range.
    Between,
    /// `-` between two words (`mid-May`, `May-June`): nothing, or the `to` of a range.
    Hyphen,
    /// A word that adds nothing (the, of, in, في، من، الموافق …).
    Filler,
    /// The end of a sentence: a phrase never runs across it.
    Break,
    /// Anything else.
    Other,
}

/// One token of a text: where it is, and what it means.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Token {
    pub(super) span: Range<usize>,
    pub(super) word: Word,
}

const MONTHS: [&[&str]; 12] = [
    &["january", "jan", "يناير", "كانون الثاني", "جانفي", "ينير"],
    &["february", "feb", "فبراير", "شباط", "فيفري", "فبرير"],
    &["march", "mar", "مارس", "آذار", "اذار"],
    &["april", "apr", "أبريل", "إبريل", "نيسان", "أفريل", "ابريل"],
    &["may", "مايو", "أيار", "ماي", "مايس"],
    &["june", "jun", "يونيو", "يونيه", "حزيران", "جوان", "يونيو"],
    &["july", "jul", "يوليو", "يوليه", "تموز", "يوليوز", "جويلية"],
    &["august", "aug", "أغسطس", "آب", "غشت", "أوت", "اغسطس"],
    &["september", "sep", "sept", "سبتمبر", "أيلول", "شتنبر"],
    &["october", "oct", "أكتوبر", "تشرين الأول", "اكتوبر"],
    &["november", "nov", "نوفمبر", "تشرين الثاني", "نونبر"],
    &["december", "dec", "ديسمبر", "كانون الأول", "دجنبر", "دسمبر"],
];

const WEEKDAYS: [&[&str]; 7] = [
    &["monday", "mon", "الاثنين", "الإثنين", "اثنين", "الاتنين"],
    &[
        "tuesday",
        "tue",
        "tues",
        "الثلاثاء",
        "الثلاثا",
        "ثلاثاء",
        "ثلاثا",
    ],
    &["wednesday", "wed", "الأربعاء", "الاربعا", "أربعاء", "اربعا"],
    &["thursday", "thu", "thur", "thurs", "الخميس", "خميس"],
    &["friday", "fri", "الجمعة", "جمعة"],
    &["saturday", "sat", "السبت", "سبت"],
    &["sunday", "sun", "الأحد", "أحد"],
];

const DAY_WORDS: &[(&str, i64)] = &[
    ("today", 0),
    ("tonight", 0),
    ("اليوم", 0),
    ("الليلة", 0),
    ("yesterday", -1),
    ("أمس", -1),
    ("الأمس", -1),
    ("البارحة", -1),
    ("امبارح", -1),
    ("tomorrow", 1),
    ("غدا", 1),
    ("غدًا", 1),
    ("غد", 1),
    ("الغد", 1),
    ("بكرة", 1),
    ("بكرا", 1),
    ("day before yesterday", -2),
    ("أول أمس", -2),
    ("قبل أمس", -2),
    ("قبل البارحة", -2),
    ("day after tomorrow", 2),
    ("بعد غد", 2),
    ("بعد الغد", 2),
    ("بعد بكرة", 2),
];

const RELS: &[(&str, Rel)] = &[
    ("last", -1),
    ("previous", -1),
    ("past", -1),
    ("الماضي", -1),
    ("الماضية", -1),
    ("الماض", -1),
    ("السابق", -1),
    ("السابقة", -1),
    ("المنصرم", -1),
    ("المنصرمة", -1),
    ("الفائت", -1),
    ("الفائتة", -1),
    ("المنقضي", -1),
    ("this", 0),
    ("current", 0),
    ("هذا", 0),
    ("هذه", 0),
    ("الحالي", 0),
    ("الحالية", 0),
    ("الجاري", 0),
    ("الجارية", 0),
    ("next", 1),
    ("coming", 1),
    ("upcoming", 1),
    ("المقبل", 1),
    ("المقبلة", 1),
    ("القادم", 1),
    ("القادمة", 1),
    ("التالي", 1),
    ("التالية", 1),
    ("الجاي", 1),
    ("الآتي", 1),
];

const UNITS: &[(&str, Unit)] = &[
    ("day", Unit::Day),
    ("يوم", Unit::Day),
    ("week", Unit::Week),
    ("أسبوع", Unit::Week),
    ("الأسبوع", Unit::Week),
    ("month", Unit::Month),
    ("شهر", Unit::Month),
    ("الشهر", Unit::Month),
    ("year", Unit::Year),
    ("عام", Unit::Year),
    ("العام", Unit::Year),
    ("سنة", Unit::Year),
    ("السنة", Unit::Year),
    ("quarter", Unit::Quarter),
    ("ربع", Unit::Quarter),
    ("الربع", Unit::Quarter),
    ("half", Unit::Half),
    ("نصف", Unit::Half),
    ("النصف", Unit::Half),
];

const PLURAL_UNITS: &[(&str, Unit, Option<i64>)] = &[
    ("days", Unit::Day, None),
    ("أيام", Unit::Day, None),
    ("يومين", Unit::Day, Some(2)),
    ("يومان", Unit::Day, Some(2)),
    ("weeks", Unit::Week, None),
    ("أسابيع", Unit::Week, None),
    ("أسبوعين", Unit::Week, Some(2)),
    ("months", Unit::Month, None),
    ("أشهر", Unit::Month, None),
    ("شهور", Unit::Month, None),
    ("شهرين", Unit::Month, Some(2)),
    ("years", Unit::Year, None),
    ("سنوات", Unit::Year, None),
    ("سنين", Unit::Year, None),
    ("أعوام", Unit::Year, None),
    ("عامين", Unit::Year, Some(2)),
    ("سنتين", Unit::Year, Some(2)),
];

const THIRDS: &[(&str, Third)] = &[
    ("early", Third::Early),
    ("beginning", Third::Early),
    ("start", Third::Early),
    ("مطلع", Third::Early),
    ("أوائل", Third::Early),
    ("بداية", Third::Early),
    ("مستهل", Third::Early),
    ("mid", Third::Mid),
    ("middle", Third::Mid),
    ("منتصف", Third::Mid),
    ("أواسط", Third::Mid),
    ("وسط", Third::Mid),
    ("نص", Third::Mid),
    ("late", Third::Late),
    ("end", Third::Late),
    ("أواخر", Third::Late),
    ("نهاية", Third::Late),
    ("ختام", Third::Late),
];

const ORDINALS: &[(&str, u32)] = &[
    ("first", 1),
    ("second", 2),
    ("third", 3),
    ("fourth", 4),
    ("fifth", 5),
    ("sixth", 6),
    ("seventh", 7),
    ("eighth", 8),
    ("ninth", 9),
    ("tenth", 10),
    ("الأول", 1),
    ("أول", 1),
    ("الأولى", 1),
    ("الحادي", 1),
    ("الثاني", 2),
    ("ثاني", 2),
    ("ثان", 2),
    ("الثانية", 2),
    ("الثالث", 3),
    ("ثالث", 3),
    ("الثالثة", 3),
    ("الرابع", 4),
    ("رابع", 4),
    ("الرابعة", 4),
    ("الخامس", 5),
    ("السادس", 6),
    ("السابع", 7),
    ("الثامن", 8),
    ("التاسع", 9),
    ("العاشر", 10),
];

const COUNTS: &[(&str, i64)] = &[
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("واحد", 1),
    ("ثلاثة", 3),
    ("أربعة", 4),
    ("خمسة", 5),
    ("ستة", 6),
    ("سبعة", 7),
    ("ثمانية", 8),
    ("تسعة", 9),
    ("عشرة", 10),
];

/// Words that add nothing to a date. يوم، شهر، عام and سنة often stand as fillers too
/// (يوم الاثنين، شهر مايو، عام 2024): they are units, which the grammar skips there.
const FILLERS: &[&str] = &[
    "the",
    "of",
    "on",
    "during",
    "at",
    "في",
    "من",
    "خلال",
    "الموافق",
];

/// All entries by matching form; several-word entries under their words joined by spaces.
fn vocabulary() -> &'static HashMap<String, Word> {
    static VOCABULARY: OnceLock<HashMap<String, Word>> = OnceLock::new();
    VOCABULARY.get_or_init(|| {
        let mut map = HashMap::new();
        for w in FILLERS {
            map.insert(normalise(w), Word::Filler);
        }
        let mut add = |text: &str, word: Word| {
            map.insert(normalise(text), word);
        };
        for (i, names) in MONTHS.iter().enumerate() {
            for name in *names {
                add(name, Word::Month(i as u32 + 1));
            }
        }
        for (i, names) in WEEKDAYS.iter().enumerate() {
            for name in *names {
                add(name, Word::Weekday(i as u32));
            }
        }
        for (text, offset) in DAY_WORDS {
            add(text, Word::DayName(*offset));
        }
        for (text, rel) in RELS {
            add(text, Word::Rel(*rel));
        }
        for (text, unit) in UNITS {
            add(text, Word::Unit(*unit));
        }
        for (text, unit, count) in PLURAL_UNITS {
            add(text, Word::Units(*unit, *count));
        }
        for (text, third) in THIRDS {
            add(text, Word::Third(*third));
        }
        for (text, n) in ORDINALS {
            add(text, Word::Ordinal(*n));
        }
        for (text, n) in COUNTS {
            add(text, Word::Count(*n));
        }
        for text in ["عشر", "عشرة"] {
            add(text, Word::Teen);
        }
        for text in ["ago", "منذ", "قبل"] {
            add(text, Word::Ago);
        }
        for text in ["بعد", "later"] {
            add(text, Word::Later);
        }
        add("in", Word::In);
        for text in [
            "to",
            "until",
            "till",
            "through",
            "thru",
            "-",
            "–",
            "—",
            "إلى",
            "الى",
            "حتى",
            "لغاية",
        ] {
            add(text, Word::To);
        }
        for text in ["and", "و"] {
            add(text, Word::And);
        }
        add("from", Word::From);
        for text in ["between", "بين"] {
            add(text, Word::Between);
        }
        map
    })
}

/// The longest group of words in the vocabulary (كانون الثاني, day before yesterday).
const LONGEST_ENTRY: usize = 3;

/// Cuts `text` into tokens and gives each its meaning. Commas separate words; a full stop,
/// `;`, `!`, `?` or a newline ends a sentence ([`Word::Break`]).
pub(super) fn tokens(text: &str) -> Vec<Token> {
    let pieces = pieces(text);
    let forms: Vec<String> = pieces
        .iter()
        .map(|p| match p {
            Piece::Text(range) => normalise(&text[range.clone()]),
            Piece::Break(_) | Piece::Hyphen(_) => String::new(),
        })
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < pieces.len() {
        let range = match &pieces[i] {
            Piece::Break(range) | Piece::Hyphen(range) => {
                let word = match pieces[i] {
                    Piece::Hyphen(_) => Word::Hyphen,
                    _ => Word::Break,
                };
                out.push(Token {
                    span: range.clone(),
                    word,
                });
                i += 1;
                continue;
            }
            Piece::Text(range) => range.clone(),
        };
        // The longest group of words starting here that the vocabulary knows.
        let mut matched = None;
        for len in (2..=LONGEST_ENTRY).rev() {
            if i + len > pieces.len() || pieces[i..i + len].iter().any(Piece::is_break) {
                continue;
            }
            let joined = forms[i..i + len].join(" ");
            if let Some(word) = lookup(&joined) {
                matched = Some((len, word));
                break;
            }
        }
        let (len, word) = matched.unwrap_or_else(|| (1, classify(&forms[i])));
        let end = match &pieces[i + len - 1] {
            Piece::Text(r) | Piece::Break(r) | Piece::Hyphen(r) => r.end,
        };
        out.push(Token {
            span: range.start..end,
            word,
        });
        i += len;
    }
    out
}

/// A word of the text, a sentence end, or a hyphen between words.
enum Piece {
    Text(Range<usize>),
    Break(Range<usize>),
    Hyphen(Range<usize>),
}

impl Piece {
    /// A sentence end or a hyphen: no group of words runs across it.
    fn is_break(&self) -> bool {
        !matches!(self, Piece::Text(_))
    }
}

/// Splits at whitespace and punctuation. `–` and `—` are words of their own (the `to` of a
/// range: `13–15 July`); `-` between letters is a [`Piece::Hyphen`] (`mid-May`,
/// `May-June`); `-` after letters before digits separates (`mid-2024`); `-` and `/` stay inside a
/// word of digits (2025-5-8), unless it is two numbers that no date in digits reads
/// (`13-15`, `2023-2024`): those are the two ends of a range and the dash between.
fn pieces(text: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut prev: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let breaks = matches!(c, '.' | ';' | '!' | '?' | '\n' | '؛' | '؟');
        // Asked only of a dash: Unicode's letter test is slow for Arabic letters, and the
        // text is mostly letters.
        let after_letter = || prev.is_some_and(char::is_alphabetic);
        let dash = matches!(c, '–' | '—');
        let hyphen = c == '-' && after_letter() && next.is_some_and(char::is_alphabetic);
        let separates = c.is_whitespace()
            || matches!(c, ',' | '،' | '(' | ')' | '"' | '«' | '»' | ':')
            || (matches!(c, '-' | '–') && after_letter());
        if breaks || separates || dash || hyphen {
            if let Some(s) = start.take() {
                push_text(text, s..i, &mut out);
            }
            if breaks {
                out.push(Piece::Break(i..i + c.len_utf8()));
            } else if hyphen {
                out.push(Piece::Hyphen(i..i + 1));
            } else if dash {
                out.push(Piece::Text(i..i + c.len_utf8()));
            }
        } else if start.is_none() {
            start = Some(i);
        }
        prev = Some(c);
    }
    if let Some(s) = start {
        push_text(text, s..text.len(), &mut out);
    }
    out
}

/// Pushes the word at `range`, cut in three when it is two numbers joined by `-` that no
/// date in digits reads (`13-15`, `١٣-١٥`, `2023-2024`).
fn push_text(text: &str, range: Range<usize>, out: &mut Vec<Piece>) {
    let word = &text[range.clone()];
    let numbers = |part: &str| !part.is_empty() && part.chars().all(char::is_numeric);
    if let Some((a, b)) = word.split_once('-') {
        if numbers(a) && numbers(b) && numeric_date(&normalise(word)).is_none() {
            let dash = range.start + a.len();
            out.push(Piece::Text(range.start..dash));
            out.push(Piece::Text(dash..dash + 1));
            out.push(Piece::Text(dash + 1..range.end));
            return;
        }
    }
    out.push(Piece::Text(range));
}

/// The meaning of one word in matching form.
fn classify(form: &str) -> Word {
    if let Some(word) = lookup(form) {
        return word;
    }
    if let Some(word) = digits(form) {
        return word;
    }
    // Arabic prefixes: و (and), ف, ب (in), ل (for); لل for ل + ال.
    for prefix in ["و", "ف", "ب", "ل"] {
        if let Some(rest) = form.strip_prefix(prefix) {
            if let Some(word) = lookup(rest).or_else(|| digits(rest)) {
                return word;
            }
            if let Some(word) = rest
                .strip_prefix('ل')
                .and_then(|r| lookup(&format!("ال{r}")))
            {
                return word;
            }
        }
    }
    Word::Other
}

/// A word of the vocabulary, with or without the Arabic article.
fn lookup(form: &str) -> Option<Word> {
    let vocabulary = vocabulary();
    vocabulary
        .get(form)
        .copied()
        .or_else(|| {
            form.strip_prefix("ال")
                .and_then(|r| vocabulary.get(r).copied())
        })
        .filter(|w| !matches!(w, Word::Count(_) | Word::Teen) || !form.starts_with("ال"))
}

/// Numbers and dates in digits (digits are ASCII once normalised), `1st`/`8th`, `Q1`/`H2`.
fn digits(form: &str) -> Option<Word> {
    if !form.is_empty() && form.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Word::Number(form.parse().ok()?, form.len()));
    }
    for suffix in ["st", "nd", "rd", "th"] {
        if let Some(n) = form.strip_suffix(suffix) {
            if !n.is_empty() && n.len() <= 2 && n.bytes().all(|b| b.is_ascii_digit()) {
                return Some(Word::Ordinal(n.parse().ok()?));
            }
        }
    }
    let bytes = form.as_bytes();
    if bytes.len() == 2 && bytes[1].is_ascii_digit() {
        let n = u32::from(bytes[1] - b'0');
        match bytes[0] {
            b'q' if (1..=4).contains(&n) => return Some(Word::Grouping(Unit::Quarter, n)),
            b'h' if (1..=2).contains(&n) => return Some(Word::Grouping(Unit::Half, n)),
            _ => {}
        }
    }
    numeric_date(form)
}

/// `2025-5-8`, `2025-5`, `29-01-2010`, `1999/9/26`, `2/2013`: the year is the part with
/// four digits, first or last.
fn numeric_date(form: &str) -> Option<Word> {
    let separator = if form.contains('-') { '-' } else { '/' };
    let parts: Vec<&str> = form.split(separator).collect();
    if parts.len() < 2
        || parts.len() > 3
        || parts
            .iter()
            .any(|p| p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let n: Vec<u32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
    let year_first = parts[0].len() == 4;
    let year_last = parts[parts.len() - 1].len() == 4;
    let small = |p: &&str| p.len() <= 2;
    match (parts.len(), year_first, year_last) {
        (2, true, false) if small(&parts[1]) => Some(Word::Digits(i64::from(n[0]), n[1], None)),
        (2, false, true) if small(&parts[0]) => Some(Word::Digits(i64::from(n[1]), n[0], None)),
        (3, true, false) if small(&parts[1]) && small(&parts[2]) => {
            Some(Word::Digits(i64::from(n[0]), n[1], Some(n[2])))
        }
        (3, false, true) if small(&parts[0]) && small(&parts[1]) => {
            Some(Word::Digits(i64::from(n[2]), n[1], Some(n[0])))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<Word> {
        tokens(text).into_iter().map(|t| t.word).collect()
    }

    #[test]
    fn months_of_three_traditions_match_in_any_spelling() {
        for (text, month) in [
            ("يناير", 1),
            ("كانون الثاني", 1),
            ("تشرين الأول", 10),
            ("غشت", 8),
            ("شتنبر", 9),
            ("دجنبر", 12),
            ("أيار", 5),
            ("ايار", 5),
            ("آذار", 3),
            ("ابريل", 4),
            ("بايلول", 9),
            ("February", 2),
        ] {
            assert_eq!(words(text), vec![Word::Month(month)], "{text}");
        }
    }

    #[test]
    fn tokens_keep_their_spans_and_digits_are_read_in_any_script() {
        let text = "٨ أيار ٢٠٢٥، mid-2024.";
        let toks = tokens(text);
        let w: Vec<Word> = toks.iter().map(|t| t.word).collect();
        assert_eq!(
            w,
            vec![
                Word::Number(8, 1),
                Word::Month(5),
                Word::Number(2025, 4),
                Word::Third(Third::Mid),
                Word::Number(2024, 4),
                Word::Break
            ]
        );
        assert_eq!(&text[toks[1].span.clone()], "أيار");
        assert_eq!(words("2025-5-8"), vec![Word::Digits(2025, 5, Some(8))]);
        assert_eq!(words("2/2013"), vec![Word::Digits(2013, 2, None)]);
        assert_eq!(words("29-01-2010"), vec![Word::Digits(2010, 1, Some(29))]);
        assert_eq!(words("8th"), vec![Word::Ordinal(8)]);
        assert_eq!(words("Q3"), vec![Word::Grouping(Unit::Quarter, 3)]);
        assert_eq!(words("أول أمس"), vec![Word::DayName(-2)]);
        assert_eq!(words("للعام"), vec![Word::Unit(Unit::Year)]);
    }

    #[test]
    fn dashes_join_the_ends_of_ranges_and_dates_in_digits_stay_whole() {
        let text = "١٣-١٥ يوليو";
        let toks = tokens(text);
        assert_eq!(&text[toks[1].span.clone()], "-");
        assert_eq!(
            toks.iter().map(|t| t.word).collect::<Vec<_>>(),
            vec![
                Word::Number(13, 2),
                Word::To,
                Word::Number(15, 2),
                Word::Month(7)
            ]
        );
        assert_eq!(
            words("2023–2024"),
            vec![Word::Number(2023, 4), Word::To, Word::Number(2024, 4)]
        );
        assert_eq!(
            words("mid-May"),
            vec![Word::Third(Third::Mid), Word::Hyphen, Word::Month(5)]
        );
        assert_eq!(words("2025-05"), vec![Word::Digits(2025, 5, None)]);
        assert_eq!(
            words("بين 13 و15"),
            vec![Word::Between, Word::Number(13, 2), Word::Number(15, 2)]
        );
    }
}
