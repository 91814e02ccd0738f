//! Mentions: where a text names known names. The text is cut into words, each word
//! normalised as queries normalise names (so any offset found maps back to the text as
//! written), Arabic attached particles are tried off the front of a word, and the longest
//! run of words that is a known name wins. The known names are a [`NameTable`]: a sorted,
//! serialisable table of matching keys that the store caches as one blob.
//!
//! Why a sorted table and not an Aho–Corasick automaton over the whole text: a name only
//! ever starts at a word (after its particles) and ends at a word, so a walk from each word
//! start through a sorted table finds the same matches; and the table is one flat byte
//! buffer that is read back from the store without being rebuilt, which the automaton
//! crates cannot do (building one for 300,000 names takes longer than the 50 ms budget of
//! the whole command).

use std::cmp::Ordering;

use unicode_normalization::char::is_combining_mark;

use super::normalise;

/// The first bytes of a serialised [`NameTable`], with its layout version.
const MAGIC: &[u8; 4] = b"FSN1";

/// Marks a table entry that is a weak alias.
const WEAK: u8 = 1;

/// One name to match: its matching key (see [`name_key`]), the entity it names, and
/// whether it is a weak alias (a common word that names the entity only in quotes or
/// beside another of its names).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct NameKey {
    pub key: String,
    pub entity: i64,
    pub weak: bool,
}

/// The known names, sorted by matching key, in one byte buffer:
/// `MAGIC`, u32 count, count+1 u32 offsets into the keys, count i64 entities, count
/// flag bytes, then the keys' bytes (all little-endian).
#[derive(Debug, Clone)]
pub struct NameTable {
    bytes: Vec<u8>,
    count: usize,
    keys_at: usize,
}

/// A serialised table that is not one: the cache is rebuilt.
#[derive(Debug, thiserror::Error)]
#[error("the cached name table is damaged or of another version")]
pub struct DamagedTable;

impl NameTable {
    /// The table of `names`: sorted, and one entry per (key, entity), strong over weak.
    pub fn build(mut names: Vec<NameKey>) -> NameTable {
        names.retain(|n| !n.key.is_empty());
        names.sort();
        // Strong sorts before weak for the same key and entity: keep the first.
        names.dedup_by(|b, a| a.key == b.key && a.entity == b.entity);
        let count = names.len();
        let text_len: usize = names.iter().map(|n| n.key.len()).sum();
        let mut bytes = Vec::with_capacity(8 + (count + 1) * 4 + count * 9 + text_len);
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&(count as u32).to_le_bytes());
        let mut offset = 0u32;
        bytes.extend_from_slice(&offset.to_le_bytes());
        for n in &names {
            offset += n.key.len() as u32;
            bytes.extend_from_slice(&offset.to_le_bytes());
        }
        for n in &names {
            bytes.extend_from_slice(&n.entity.to_le_bytes());
        }
        bytes.extend(names.iter().map(|n| if n.weak { WEAK } else { 0 }));
        for n in &names {
            bytes.extend_from_slice(n.key.as_bytes());
        }
        NameTable::layout(bytes).unwrap_or_else(|_| NameTable::empty())
    }

    /// A table with no names.
    pub fn empty() -> NameTable {
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&0u32.to_le_bytes());
        bytes.extend_from_slice(&0u32.to_le_bytes());
        NameTable {
            keys_at: bytes.len(),
            bytes,
            count: 0,
        }
    }

    /// Reads back the bytes of [`NameTable::as_bytes`] saved with their
    /// [`NameTable::checksum`]: refused when the checksum or the layout's sizes disagree.
    /// The check costs one pass of [`checksum`] (about a millisecond for 300,000 names),
    /// not a walk of every entry: the accessors below check every read against the
    /// buffer, so even a table that passed with wrong insides finds wrong names, never
    /// reads out of bounds.
    pub fn from_bytes(bytes: Vec<u8>, saved_checksum: u64) -> Result<NameTable, DamagedTable> {
        if checksum(&bytes) != saved_checksum {
            return Err(DamagedTable);
        }
        NameTable::layout(bytes)
    }

    /// The checksum to save with the table (see [`NameTable::from_bytes`]).
    pub fn checksum(&self) -> u64 {
        checksum(&self.bytes)
    }

    /// The table over `bytes` once their sizes agree: the header, the offsets and
    /// entities of `count` entries, the keys' bytes as long as the last offset says.
    fn layout(bytes: Vec<u8>) -> Result<NameTable, DamagedTable> {
        if bytes.get(..4) != Some(MAGIC.as_slice()) {
            return Err(DamagedTable);
        }
        let count = read_u32(&bytes, 4).ok_or(DamagedTable)? as usize;
        let keys_at = count
            .checked_mul(13)
            .and_then(|n| n.checked_add(12))
            .ok_or(DamagedTable)?;
        let table = NameTable {
            bytes,
            count,
            keys_at,
        };
        let keys_len = table.bytes.len().checked_sub(keys_at).ok_or(DamagedTable)?;
        if table.offset(0) != Some(0) || table.offset(count) != Some(keys_len) {
            return Err(DamagedTable);
        }
        Ok(table)
    }

    /// The serialised table.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// How many entries.
    pub fn len(&self) -> usize {
        self.count
    }

    /// True if the table has no names.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    fn offset(&self, i: usize) -> Option<usize> {
        read_u32(&self.bytes, 8 + i * 4).map(|o| o as usize)
    }

    fn key(&self, i: usize) -> &[u8] {
        let (Some(a), Some(b)) = (self.offset(i), self.offset(i + 1)) else {
            return &[];
        };
        self.bytes
            .get(self.keys_at + a..self.keys_at + b)
            .unwrap_or(&[])
    }

    fn entity(&self, i: usize) -> i64 {
        let at = 12 + self.count * 4 + i * 8;
        self.bytes
            .get(at..at + 8)
            .and_then(|b| b.try_into().ok())
            .map_or(0, i64::from_le_bytes)
    }

    fn is_weak(&self, i: usize) -> bool {
        let at = 12 + self.count * 4 + self.count * 8 + i;
        self.bytes.get(at).is_some_and(|f| f & WEAK != 0)
    }

    /// The first entry whose key is not below `key`.
    fn lower_bound(&self, key: &[u8]) -> usize {
        let (mut lo, mut hi) = (0, self.count);
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.key(mid).cmp(key) {
                Ordering::Less => lo = mid + 1,
                _ => hi = mid,
            }
        }
        lo
    }

    /// The entries whose key is `key`, and whether some longer key continues it with a
    /// space (so one more word may still match).
    fn look_up(&self, key: &str, continued: &mut String) -> (std::ops::Range<usize>, bool) {
        let first = self.lower_bound(key.as_bytes());
        let mut end = first;
        while end < self.count && self.key(end) == key.as_bytes() {
            end += 1;
        }
        // The keys that continue `key` with a space come right after those equal to it:
        // no key holds a character below the space (words are letters, digits and marks,
        // joined by single spaces), so nothing sorts between `key` and `key `. One binary
        // search per word tried, not two: the searches were a third of a run's time.
        continued.clear();
        continued.push_str(key);
        continued.push(' ');
        let goes_on = end < self.count && self.key(end).starts_with(continued.as_bytes());
        (first..end, goes_on)
    }
}

/// A 64-bit checksum of `bytes`, saved beside a cached table. Not cryptographic: it
/// catches a damaged or cut blob, not a forged one. Four lanes of multiply–rotate over
/// 8-byte words, so that the 8 MB table of 300,000 names is checked in about a
/// millisecond (a byte-at-a-time hash took several).
pub fn checksum(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut lanes = [1u64, 2, 3, 4];
    let mut chunks = bytes.chunks_exact(32);
    for chunk in &mut chunks {
        for (lane, word) in lanes.iter_mut().zip(chunk.chunks_exact(8)) {
            let word = u64::from_le_bytes(word.try_into().unwrap_or_default());
            *lane = (*lane ^ word).wrapping_mul(K).rotate_left(29);
        }
    }
    let mut hash = bytes.len() as u64;
    for byte in chunks.remainder() {
        hash = (hash ^ u64::from(*byte)).wrapping_mul(K).rotate_left(31);
    }
    for lane in lanes {
        hash = (hash ^ lane).wrapping_mul(K).rotate_left(31);
    }
    hash
}

fn read_u32(bytes: &[u8], at: usize) -> Option<u32> {
    bytes
        .get(at..at + 4)?
        .try_into()
        .ok()
        .map(u32::from_le_bytes)
}

/// The matching key of a name: its normalised form (see [`normalise`]) with its words
/// joined by single spaces and punctuation dropped, so `Kan (Israeli TV)` and `U.S.`
/// match the words of a text whatever stands between them.
pub fn name_key(name: &str) -> String {
    matching_key(&normalise(name))
}

/// The matching key of a name already normalised (the store's `alias.norm`).
pub fn matching_key(norm: &str) -> String {
    words(norm).collect::<Vec<_>>().join(" ")
}

/// The words of a normalised text.
fn words(norm: &str) -> impl Iterator<Item = &str> {
    norm.split(|c: char| !is_word_char(c))
        .filter(|w| !w.is_empty())
}

/// Letters, digits and the marks on them; zero-width joiners stay inside a word (Persian
/// writes them inside words and normalisation removes them).
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c) || matches!(c, '\u{200C}' | '\u{200D}')
}

/// How a weak alias was taken. A weak alias (a common word such as `كان`, "was", which
/// also names the broadcaster Kan) counts only where the text marks it as a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weak {
    /// Not a weak alias: a name or alias of the entity.
    No,
    /// A weak alias inside quotation marks (« », " ", “ ”).
    Quoted,
    /// A weak alias beside another name of the same entity.
    BesideName,
    /// A weak alias with nothing to support it: reported, but not counted.
    Unsupported,
}

/// One place where the text names known entities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Byte offsets of the name in the text (after any attached particles).
    pub start: usize,
    pub end: usize,
    /// 1-based line and column (in characters) of `start`.
    pub line: usize,
    pub column: usize,
    /// The entities the name names: one, or several when it is ambiguous.
    pub entities: Vec<i64>,
    pub weak: Weak,
}

impl Mention {
    /// True when the mention names one entity and counts (not an unsupported weak alias).
    pub fn counts(&self) -> bool {
        self.entities.len() == 1 && self.weak != Weak::Unsupported
    }
}

/// A word of the text: where it is and its normalised form.
#[derive(Debug)]
struct Word {
    start: usize,
    end: usize,
    line: usize,
    column: usize,
    norm: String,
    /// Whether a multi-word name may run from the previous word into this one: only
    /// spaces, or punctuation inside a token such as `U.S.`, stand between them.
    joins_previous: bool,
}

/// Every mention of a name of `table` in `text`, in text order.
pub fn find(text: &str, table: &NameTable) -> Vec<Mention> {
    let words = split_words(text);
    let mut found = Vec::new();
    let mut key = String::new();
    let mut continued = String::new();
    let mut i = 0;
    while i < words.len() {
        match best_at(&words, i, table, &mut key, &mut continued) {
            Some(best) => {
                let first = &words[i];
                let skip = particle_bytes(&text[first.start..first.end], best.stripped);
                let start = first.start + skip;
                found.push(Mention {
                    start,
                    end: words[i + best.words - 1].end,
                    line: first.line,
                    column: first.column + text[first.start..start].chars().count(),
                    entities: best.entities,
                    weak: if best.weak {
                        Weak::Unsupported
                    } else {
                        Weak::No
                    },
                });
                i += best.words;
            }
            None => i += 1,
        }
    }
    support_weak(text, &mut found);
    found
}

/// The longest match starting at word `i`.
struct Best {
    /// How many words it spans.
    words: usize,
    /// How many normalised characters of particles were taken off the first word.
    stripped: usize,
    entities: Vec<i64>,
    weak: bool,
}

fn best_at(
    words: &[Word],
    i: usize,
    table: &NameTable,
    key: &mut String,
    continued: &mut String,
) -> Option<Best> {
    let mut best: Option<(usize, usize, std::ops::Range<usize>)> = None;
    for (stripped, stem) in stems(&words[i].norm) {
        key.clear();
        key.push_str(&stem);
        let mut j = i;
        loop {
            let (range, goes_on) = table.look_up(key, continued);
            let len = j + 1 - i;
            // Longer wins; for the same length the earlier stem (fewer particles) wins.
            if !range.is_empty() && best.as_ref().is_none_or(|b| len > b.0) {
                best = Some((len, stripped, range));
            }
            if !goes_on || j + 1 >= words.len() || !words[j + 1].joins_previous {
                break;
            }
            j += 1;
            key.push(' ');
            key.push_str(&words[j].norm);
        }
    }
    let (len, stripped, range) = best?;
    let strong: Vec<i64> = range
        .clone()
        .filter(|&e| !table.is_weak(e))
        .map(|e| table.entity(e))
        .collect();
    let weak = strong.is_empty();
    let mut entities = if weak {
        range.map(|e| table.entity(e)).collect()
    } else {
        strong
    };
    entities.sort_unstable();
    entities.dedup();
    Some(Best {
        words: len,
        stripped,
        entities,
        weak,
    })
}

/// The attached particles tried off the front of an Arabic word: a conjunction (و ف), then
/// a preposition (ب ل ك), then the article (ال), each optional, in that order; true where
/// the preposition ل stands without the article (it may be لل, see [`stems`]). Written
/// out rather than concatenated per word: the concatenations were a twentieth of a run.
const PARTICLES: &[(&str, bool)] = &[
    ("ال", false),
    ("ب", false),
    ("بال", false),
    ("ل", true),
    ("لال", false),
    ("ك", false),
    ("كال", false),
    ("و", false),
    ("وال", false),
    ("وب", false),
    ("وبال", false),
    ("ول", true),
    ("ولال", false),
    ("وك", false),
    ("وكال", false),
    ("ف", false),
    ("فال", false),
    ("فب", false),
    ("فبال", false),
    ("فل", true),
    ("فلال", false),
    ("فك", false),
    ("فكال", false),
];

/// The word and the stems left when Arabic attached particles are taken off its front:
/// a conjunction (و ف), then a preposition (ب ل ك), then the article (ال), each optional;
/// ل with the article is written لل. Each stem comes with how many characters were
/// taken; stems shorter than two letters are not tried.
fn stems(word: &str) -> Vec<(usize, String)> {
    let mut out = vec![(0, word.to_owned())];
    if !word.starts_with(|c: char| ('\u{0600}'..='\u{06FF}').contains(&c)) {
        return out;
    }
    let mut push = |taken: usize, stem: String| {
        if stem.chars().count() >= 2 && !out.iter().any(|(_, s)| *s == stem) {
            out.push((taken, stem));
        }
    };
    for &(prefix, lam) in PARTICLES {
        let Some(rest) = word.strip_prefix(prefix) else {
            continue;
        };
        let taken = prefix.chars().count();
        push(taken, rest.to_owned());
        // لل: the ل of the preposition, then the article without its alef.
        if lam && rest.starts_with('ل') {
            push(taken, format!("ا{rest}"));
        }
    }
    out.sort_by_key(|(taken, _)| *taken);
    out
}

/// How many bytes of `word` (as written) hold its first `chars` normalised characters.
fn particle_bytes(word: &str, chars: usize) -> usize {
    if chars == 0 {
        return 0;
    }
    for (at, c) in word.char_indices().skip(1) {
        // Marks on the last particle letter belong to it.
        if is_combining_mark(c) {
            continue;
        }
        if normalise(&word[..at]).chars().count() >= chars {
            return at;
        }
    }
    0
}

/// The words of `text` with their places.
fn split_words(text: &str) -> Vec<Word> {
    let mut words = Vec::new();
    let (mut line, mut column) = (1, 1);
    let mut current: Option<(usize, usize, usize)> = None;
    let mut gap = String::new();
    let push = |words: &mut Vec<Word>, start: usize, end: usize, at: (usize, usize), gap: &str| {
        let norm = normalise(&text[start..end]);
        for (k, w) in words_of(&norm).into_iter().enumerate() {
            words.push(Word {
                start,
                end,
                line: at.0,
                column: at.1,
                norm: w,
                joins_previous: k > 0 || joins(gap),
            });
        }
    };
    for (at, c) in text.char_indices() {
        if is_word_char(c) {
            if current.is_none() {
                current = Some((at, line, column));
            }
        } else {
            if let Some((start, l, col)) = current.take() {
                push(&mut words, start, at, (l, col), &gap);
                gap.clear();
            }
            gap.push(c);
        }
        if c == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    if let Some((start, l, col)) = current {
        push(&mut words, start, text.len(), (l, col), &gap);
    }
    words
}

fn words_of(norm: &str) -> Vec<String> {
    words(norm).map(str::to_owned).collect()
}

/// Whether a name may run across `gap`, the characters between two words: spaces, a
/// hyphen, or the dots of an abbreviation; not a line break, a clause's punctuation or a
/// quotation mark.
fn joins(gap: &str) -> bool {
    let breaks = |c: char| {
        matches!(
            c,
            '\n' | '\r' | ',' | ';' | ':' | '!' | '?' | '،' | '؛' | '؟' | '(' | ')' | '[' | ']'
        ) || is_quote(c)
    };
    if gap.chars().any(breaks) {
        return false;
    }
    // A full stop ends a sentence unless it sits inside a token (`U.S.`).
    !gap.contains('.') || !gap.chars().any(char::is_whitespace)
}

fn is_quote(c: char) -> bool {
    matches!(
        c,
        '«' | '»' | '"' | '“' | '”' | '„' | '‹' | '›' | '\'' | '‘' | '’'
    )
}

/// Weak aliases that the text marks as names: inside quotation marks, or beside another
/// mention of the same entity (at most three words between, on the same line).
fn support_weak(text: &str, found: &mut [Mention]) {
    for k in 0..found.len() {
        if found[k].weak != Weak::Unsupported {
            continue;
        }
        let m = &found[k];
        let before = text[..m.start].trim_end_matches(char::is_whitespace);
        let after = text[m.end..].trim_start_matches(char::is_whitespace);
        let quoted = before.ends_with(is_quote) && after.starts_with(is_quote);
        let beside = |other: Option<&Mention>| {
            other.is_some_and(|o| {
                o.weak == Weak::No && o.entities == m.entities && o.line == m.line && {
                    let (a, b) = if o.start < m.start {
                        (o.end, m.start)
                    } else {
                        (m.end, o.start)
                    };
                    split_words(&text[a..b]).len() <= 3
                }
            })
        };
        let near = beside(k.checked_sub(1).and_then(|p| found.get(p))) || beside(found.get(k + 1));
        found[k].weak = if quoted {
            Weak::Quoted
        } else if near {
            Weak::BesideName
        } else {
            Weak::Unsupported
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(names: &[(&str, i64, bool)]) -> NameTable {
        NameTable::build(
            names
                .iter()
                .map(|&(n, entity, weak)| NameKey {
                    key: name_key(n),
                    entity,
                    weak,
                })
                .collect(),
        )
    }

    /// (text as found, entities, weak) of each mention.
    fn found(text: &str, t: &NameTable) -> Vec<(String, Vec<i64>, Weak)> {
        find(text, t)
            .into_iter()
            .map(|m| (text[m.start..m.end].to_owned(), m.entities, m.weak))
            .collect()
    }

    #[test]
    fn particles_come_off_arabic_words() {
        let t = table(&[
            ("إيران", 1, false),
            ("طهران", 2, false),
            ("الرئيس", 3, false),
        ]);
        let got = found("وبإيران لطهران والرئيس", &t);
        let texts: Vec<_> = got.iter().map(|g| g.0.as_str()).collect();
        assert_eq!(texts, ["إيران", "طهران", "الرئيس"]);
        assert_eq!(got[0].1, [1]);
    }

    #[test]
    fn lam_with_the_article_is_written_double_lam() {
        let t = table(&[("الإمارات", 1, false)]);
        assert_eq!(found("للإمارات", &t).len(), 1);
        assert_eq!(found("والإمارات", &t)[0].0, "الإمارات");
    }

    #[test]
    fn longest_match_wins() {
        let t = table(&[("Netanyahu", 1, false), ("Benjamin Netanyahu", 2, false)]);
        let got = found("Benjamin Netanyahu met Netanyahu.", &t);
        assert_eq!(got[0].0, "Benjamin Netanyahu");
        assert_eq!(got[0].1, [2]);
        assert_eq!(got[1].1, [1]);
    }

    #[test]
    fn a_name_does_not_run_across_a_comma() {
        let t = table(&[("Abu Dhabi", 1, false)]);
        assert!(found("Abu, Dhabi", &t).is_empty());
        assert_eq!(found("ABU  DHABI", &t).len(), 1);
    }

    #[test]
    fn a_shared_name_is_one_ambiguous_mention() {
        let t = table(&[("Georgia", 1, false), ("Georgia", 2, false)]);
        let got = find("in Georgia", &t);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].entities, [1, 2]);
        assert!(!got[0].counts());
    }

    #[test]
    fn weak_aliases_count_in_quotes_or_beside_a_name() {
        let t = table(&[("كان", 7, true), ("هيئة البث الإسرائيلية", 7, false)]);
        let got = found("ذكرت هيئة البث الإسرائيلية «كان»، كان أحدثها لقاء «كان»", &t);
        let weak: Vec<_> = got.iter().map(|g| g.2).collect();
        assert_eq!(
            weak,
            [Weak::No, Weak::Quoted, Weak::Unsupported, Weak::Quoted]
        );
        let t = table(&[("Kan", 7, true), ("Israeli broadcaster", 7, false)]);
        let got = found("the Israeli broadcaster Kan said; kan", &t);
        assert_eq!(got[1].2, Weak::BesideName);
        assert_eq!(got[2].2, Weak::Unsupported);
    }

    #[test]
    fn a_strong_name_wins_over_a_weak_one_of_another_entity() {
        let t = table(&[("Kan", 7, true), ("Kan", 8, false)]);
        let got = find("Kan", &t);
        assert_eq!((got[0].entities.clone(), got[0].weak), (vec![8], Weak::No));
    }

    #[test]
    fn lines_and_columns_count_characters() {
        let t = table(&[("باكو", 1, false)]);
        let text = "سطر\nإلى «باكو» وباكو";
        let got = find(text, &t);
        assert_eq!((got[0].line, got[0].column), (2, 6));
        assert_eq!((got[1].line, got[1].column), (2, 13));
        assert_eq!(&text[got[1].start..got[1].end], "باكو");
    }

    #[test]
    fn spelling_variants_and_harakat_match() {
        let t = table(&[("أذربيجان", 1, false), ("Tehrán", 2, false)]);
        assert_eq!(found("وَأَذْرَبِيجَان TEHRAN", &t).len(), 2);
    }

    #[test]
    fn the_table_reads_back_and_refuses_damage() {
        let t = table(&[("a b", 1, false), ("c", 2, true)]);
        let sum = t.checksum();
        let back = NameTable::from_bytes(t.as_bytes().to_vec(), sum).unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(find("A B c", &back).len(), 2);
        let mut cut = t.as_bytes().to_vec();
        cut.truncate(cut.len() - 1);
        assert!(NameTable::from_bytes(cut.clone(), sum).is_err());
        // Cut and checksummed again: the sizes disagree.
        let cut_sum = checksum(&cut);
        assert!(NameTable::from_bytes(cut, cut_sum).is_err());
        // One byte changed anywhere: the checksum disagrees.
        for at in [0, 9, t.as_bytes().len() - 1] {
            let mut bad = t.as_bytes().to_vec();
            bad[at] ^= 0x10;
            assert!(NameTable::from_bytes(bad, sum).is_err(), "byte {at}");
        }
        assert!(NameTable::from_bytes(b"nope".to_vec(), checksum(b"nope")).is_err());
        assert!(NameTable::empty().is_empty());
    }
}
