//! Did-you-mean: similarity of normalised names, ranking of suggestions, and the prefix
//! keys that fetch suggestion candidates from an index on normalised names.

use std::collections::HashSet;

/// Up to this many leading characters in common raise the similarity ([`similarity`]).
const PREFIX_CAP: usize = 4;
/// Share of the remaining distance to 1.0 that each common leading character closes.
const PREFIX_WEIGHT: f64 = 0.1;
/// The prefix bonus applies only to names at least this similar by edits, so a short
/// query does not come close to every long name that starts with it.
const PREFIX_BONUS_MIN_BASE: f64 = 0.5;
/// Factor on a word-by-word match: matching words of a longer name is weaker evidence
/// than matching the whole name.
const WORD_MATCH_FACTOR: f64 = 0.85;
/// Suggestions need at least this similarity.
const SUGGEST_THRESHOLD: f64 = 0.7;
/// Suggestions must also be within this distance of the best one, so a clear winner
/// is not followed by weak alternatives.
const SUGGEST_MARGIN: f64 = 0.15;
/// Plain prefixes of the query up to this many characters become keys.
const SHORT_PREFIX_MAX: usize = 4;
/// Typo variants (dropped or swapped characters) are cut to this many characters.
const VARIANT_LEN: usize = 3;

/// Similarity of two normalised names in [0, 1]; 1 means equal.
///
/// The base is the normalised Damerau–Levenshtein similarity over characters
/// (`1 - edits / longer length`; a transposition is one edit), raised Jaro–Winkler
/// style by a common prefix: each of up to 4 common leading characters
/// closes a tenth of the remaining gap (only when the base is at least
/// 0.5). So `bakku`/`baku` ≈ 0.85,
/// `tehrn`/`tehran` ≈ 0.89, `netanyah`/`netanyahu` ≈ 0.93.
///
/// When either name has several words, the words of the one with fewer words are
/// also matched against the best words of the other (`netanyah` against
/// `benjamin netanyahu`, `aliyev ilham` against `ilham aliyev`); that score, damped
/// by 0.85, counts if higher. The measure is symmetric.
pub fn similarity(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let whole = edit_similarity(a, b);
    if !a.contains(' ') && !b.contains(' ') {
        return whole;
    }
    let words_a: Vec<&str> = a.split(' ').filter(|w| !w.is_empty()).collect();
    let words_b: Vec<&str> = b.split(' ').filter(|w| !w.is_empty()).collect();
    let (fewer, more) = if words_a.len() <= words_b.len() {
        (&words_a, &words_b)
    } else {
        (&words_b, &words_a)
    };
    if fewer.is_empty() {
        return whole;
    }
    let total: f64 = fewer
        .iter()
        .map(|w| {
            more.iter()
                .map(|m| edit_similarity(w, m))
                .fold(0.0, f64::max)
        })
        .sum();
    let by_words = WORD_MATCH_FACTOR * total / fewer.len() as f64;
    whole.max(by_words)
}

/// Damerau–Levenshtein similarity with the common-prefix bonus.
fn edit_similarity(a: &str, b: &str) -> f64 {
    let base = strsim::normalized_damerau_levenshtein(a, b);
    if base < PREFIX_BONUS_MIN_BASE {
        return base;
    }
    let common = a
        .chars()
        .zip(b.chars())
        .take_while(|(x, y)| x == y)
        .take(PREFIX_CAP)
        .count();
    let mut score = base;
    for _ in 0..common {
        score += PREFIX_WEIGHT * (1.0 - score);
    }
    score.clamp(0.0, 1.0)
}

/// Ranks candidates for a did-you-mean message.
///
/// `candidates` are (display text, normalised text) pairs. Returns up to `max` display
/// texts, best first, each with [`similarity`] at least 0.7 and within
/// 0.15 of the best. Candidates whose normalised text was already
/// suggested are skipped (so `Türkiye` and `Turkiye` give one suggestion, the first one
/// passed); ties keep the order in which candidates were passed.
pub fn suggest<'a>(
    query_norm: &str,
    candidates: impl IntoIterator<Item = (&'a str, &'a str)>,
    max: usize,
) -> Vec<String> {
    if max == 0 || query_norm.is_empty() {
        return Vec::new();
    }
    let mut seen_norm: HashSet<&str> = HashSet::new();
    let mut seen_display: HashSet<&str> = HashSet::new();
    let mut scored: Vec<(f64, &str)> = Vec::new();
    for (display, norm) in candidates {
        if !seen_norm.insert(norm) || !seen_display.insert(display) {
            continue;
        }
        let score = similarity(query_norm, norm);
        if score >= SUGGEST_THRESHOLD {
            scored.push((score, display));
        }
    }
    // Stable sort: equal scores keep the caller's order.
    scored.sort_by(|x, y| y.0.total_cmp(&x.0));
    let Some(&(best, _)) = scored.first() else {
        return Vec::new();
    };
    scored
        .into_iter()
        .take_while(|(score, _)| *score >= best - SUGGEST_MARGIN)
        .take(max)
        .map(|(_, display)| display.to_string())
        .collect()
}

/// Prefix keys for fetching did-you-mean candidates from an index on normalised names.
///
/// The store runs, for each key, `norm >= key AND norm < prefix_upper_bound(key)`
/// with a small LIMIT and passes the union of the rows to [`suggest`]. A name is only
/// found if it starts with one of the keys, so the keys cover the typical typos:
///
/// - the whole query (catches names that extend it: `netanyah` → `netanyahu`);
/// - its first 1 to 4 characters (a typo at position 2 is caught by the 1-character
///   key, at position 3 by the 2-character key, and so on; longer keys return fewer,
///   nearer rows under the LIMIT, shorter ones cast the wider net in small stores);
/// - the first characters with the 1st, 2nd or 3rd character dropped (an extra
///   character typed early: `bkaku` → `bak`, `xbaku` → `bak`);
/// - the first characters with the 1st/2nd, 2nd/3rd or 3rd/4th characters swapped
///   (transpositions: `abku` → `bak`, `bkau` → `bak`, `baukx` → `baku`).
///
/// Variant keys are cut to three characters (four for the 3rd/4th swap). Not covered
/// by a key longer than one character: a wrong or missing 2nd character, and a wrong
/// or missing 1st character. Matches inside a name (a query that is the second word of
/// a name) are not covered either: the index is on whole normalised names.
/// Keys are distinct, non-empty, longest first; empty query → no keys.
pub fn candidate_prefixes(query_norm: &str) -> Vec<String> {
    let chars: Vec<char> = query_norm.chars().collect();
    let n = chars.len();
    if n == 0 {
        return Vec::new();
    }
    let mut keys: Vec<String> = Vec::new();
    keys.push(query_norm.to_string());
    for len in 1..=SHORT_PREFIX_MAX.min(n) {
        keys.push(chars[..len].iter().collect());
    }
    for drop in 0..VARIANT_LEN.min(n) {
        let key: String = chars
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != drop)
            .map(|(_, c)| c)
            .take(VARIANT_LEN)
            .collect();
        keys.push(key);
    }
    for swap in 0..VARIANT_LEN {
        if swap + 1 >= n {
            break;
        }
        let mut swapped = chars.clone();
        swapped.swap(swap, swap + 1);
        let len = (swap + 2).max(VARIANT_LEN).min(n);
        keys.push(swapped[..len].iter().collect());
    }
    let mut seen = HashSet::new();
    keys.retain(|k| !k.trim().is_empty() && seen.insert(k.clone()));
    keys.sort_by_key(|k| std::cmp::Reverse(k.chars().count()));
    keys
}

/// The exclusive upper bound of the strings starting with `prefix`, for
/// `norm >= prefix AND norm < upper`: `prefix` with its last character replaced by the
/// next code point (skipping surrogates). When the last character is `char::MAX` it is
/// dropped and the one before is incremented. `None` when there is no bound (empty
/// prefix, or only `char::MAX`): the range then has no upper end.
///
/// SQLite compares TEXT with the BINARY collation byte by byte, which on UTF-8 is the
/// order of code points, so the bound is exact.
pub fn prefix_upper_bound(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        if let Some(next) = next_char(last) {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

/// The next Unicode scalar value after `c`, skipping the surrogate range.
fn next_char(c: char) -> Option<char> {
    match c {
        '\u{D7FF}' => Some('\u{E000}'),
        char::MAX => None,
        _ => char::from_u32(u32::from(c) + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names::normalise;

    /// (display, normalised) for every entity name and alias of the seed article.
    fn seed_names() -> Vec<(String, String)> {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/data/demo.jsonl"))
            .expect("seed data is readable");
        let mut names = Vec::new();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let record: serde_json::Value = serde_json::from_str(line).expect("valid JSON line");
            if record["type"] != "entity" {
                continue;
            }
            let name = record["name"].as_str().expect("entity has a name");
            names.push(name.to_string());
            for alias in record["aliases"].as_array().into_iter().flatten() {
                names.push(alias.as_str().expect("alias is a string").to_string());
            }
        }
        assert!(names.len() > 50, "seed should hold many names");
        names
            .into_iter()
            .map(|d| {
                let n = normalise(&d);
                (d, n)
            })
            .collect()
    }

    fn suggest_seed(query: &str, max: usize) -> Vec<String> {
        let names = seed_names();
        suggest(
            &normalise(query),
            names.iter().map(|(d, n)| (d.as_str(), n.as_str())),
            max,
        )
    }

    #[test]
    fn similarity_of_typos_is_high() {
        assert!(similarity("bakku", "baku") > 0.8);
        assert!(similarity("tehrn", "tehran") > 0.85);
        assert!(similarity("netanyah", "netanyahu") > 0.9);
        assert!(similarity("طهرن", "طهران") > 0.8);
        assert!(similarity("نتنياه", "نتنياهو") > 0.85);
        assert!(similarity("آذربيجان", "اذربيجان") > 0.85);
    }

    #[test]
    fn similarity_of_unrelated_names_is_low() {
        assert!(similarity("baku", "tehran") < 0.5);
        assert!(similarity("xyzzy", "israel") < 0.3);
        assert!(similarity("kan", "iran") < SUGGEST_THRESHOLD);
    }

    #[test]
    fn similarity_is_bounded_symmetric_and_exact_on_equal() {
        for (a, b) in [
            ("baku", "bakku"),
            ("ilham aliyev", "aliyev"),
            ("", "x"),
            ("a b", "b a"),
        ] {
            let s = similarity(a, b);
            assert!((0.0..=1.0).contains(&s), "{a} {b} {s}");
            assert_eq!(s, similarity(b, a));
        }
        assert_eq!(similarity("baku", "baku"), 1.0);
        assert!(similarity("baku", "bakku") < 1.0);
    }

    #[test]
    fn prefix_bonus_ranks_same_start_higher() {
        // Same edit distance; the one sharing the start ranks higher.
        assert!(similarity("tehrxn", "tehran") > similarity("xehran", "tehran"));
    }

    #[test]
    fn word_match_finds_name_inside_longer_name() {
        assert!(similarity("netanyah", "benjamin netanyahu") > SUGGEST_THRESHOLD);
        assert!(similarity("aliyev ilham", "ilham aliyev") > 0.8);
        assert!(similarity("netanyah", "benjamin netanyahu") < similarity("netanyah", "netanyahu"));
    }

    #[test]
    fn bakku_suggests_baku() {
        let got = suggest_seed("Bakku", 3);
        assert_eq!(got.first().map(String::as_str), Some("Baku"), "{got:?}");
    }

    #[test]
    fn latin_and_arabic_typos_suggest_the_right_names() {
        assert_eq!(suggest_seed("Tehrn", 1), vec!["Tehran".to_string()]);
        assert!(suggest_seed("netanyah", 3).contains(&"Netanyahu".to_string()));
        assert_eq!(suggest_seed("طهرن", 1), vec!["طهران".to_string()]);
        assert!(suggest_seed("نتنياه", 3).contains(&"نتنياهو".to_string()));
        assert!(suggest_seed("Pezeshkin", 3).contains(&"Pezeshkian".to_string()));
    }

    #[test]
    fn unrelated_string_suggests_nothing() {
        assert!(suggest_seed("xyzzy", 5).is_empty());
        assert!(suggest_seed("qqqqqqqq", 5).is_empty());
    }

    #[test]
    fn suggestions_are_distinct_ranked_and_capped() {
        let cands = [
            ("Türkiye", "turkiye"),
            ("Turkiye", "turkiye"),
            ("Turkey", "turkey"),
            ("Turkey", "turkey"),
            ("Tbilisi", "tbilisi"),
        ];
        let got = suggest("turkiy", cands, 5);
        assert_eq!(got, vec!["Türkiye".to_string(), "Turkey".to_string()]);
        assert_eq!(suggest("turkiy", cands, 1), vec!["Türkiye".to_string()]);
        assert!(suggest("turkiy", cands, 0).is_empty());
        assert!(suggest("", cands, 5).is_empty());
    }

    #[test]
    fn weak_alternatives_after_a_clear_winner_are_dropped() {
        let cands = [
            ("Baku", "baku"),
            ("Bako", "bako"),
            ("Bakuriani", "bakuriani"),
        ];
        let got = suggest("baku", cands, 5);
        assert_eq!(got.first().map(String::as_str), Some("Baku"));
        assert!(!got.contains(&"Bakuriani".to_string()), "{got:?}");
    }

    /// True if some key of `typo` is a prefix of `right` with at least `min_len` chars.
    fn caught(typo: &str, right: &str, min_len: usize) -> bool {
        candidate_prefixes(typo)
            .iter()
            .any(|k| right.starts_with(k.as_str()) && k.chars().count() >= min_len)
    }

    #[test]
    fn prefixes_catch_typos_by_position() {
        // 2nd position: inserted, transposed, substituted.
        assert!(caught("bkaku", "baku", 3));
        assert!(caught("bkau", "baku", 3));
        assert!(caught("bxku", "baku", 1));
        // 3rd position.
        assert!(caught("taehran", "tehran", 3));
        assert!(caught("tehran", "tehran", 3));
        assert!(caught("terhan", "tehran", 4));
        assert!(caught("texran", "tehran", 2));
        // Later positions.
        assert!(caught("tehrn", "tehran", 3));
        assert!(caught("bakku", "baku", 3));
        assert!(caught("netanyah", "netanyahu", 8));
        assert!(caught("tehrna", "tehran", 4));
        // 1st position: extra or transposed character.
        assert!(caught("xbaku", "baku", 3));
        assert!(caught("abku", "baku", 3));
        // Arabic.
        assert!(caught("طهرن", "طهران", 3));
        assert!(caught("طرهان", "طهران", 3));
    }

    #[test]
    fn prefixes_do_not_catch_unrelated_names() {
        assert!(!caught("xyzzy", "baku", 1));
        assert!(candidate_prefixes("").is_empty());
    }

    #[test]
    fn prefixes_are_distinct_non_empty_longest_first() {
        for q in ["b", "ba", "baku", "tehran", "ab cd", "طهران"] {
            let keys = candidate_prefixes(q);
            assert!(!keys.is_empty());
            let set: HashSet<&String> = keys.iter().collect();
            assert_eq!(set.len(), keys.len(), "{keys:?}");
            assert!(keys.iter().all(|k| !k.is_empty()));
            assert!(keys
                .windows(2)
                .all(|w| w[0].chars().count() >= w[1].chars().count()));
            assert!(keys.iter().all(|k| k.chars().count() <= q.chars().count()));
        }
        assert_eq!(candidate_prefixes("b"), vec!["b".to_string()]);
    }

    #[test]
    fn upper_bound_is_next_string_after_prefix_range() {
        assert_eq!(prefix_upper_bound("bak").as_deref(), Some("bal"));
        assert_eq!(prefix_upper_bound("طه").as_deref(), Some("طو"));
        assert_eq!(
            prefix_upper_bound("a\u{D7FF}").as_deref(),
            Some("a\u{E000}")
        );
        assert_eq!(
            prefix_upper_bound(&format!("ab{}", char::MAX)).as_deref(),
            Some("ac")
        );
        assert_eq!(prefix_upper_bound(""), None);
        assert_eq!(prefix_upper_bound(&char::MAX.to_string()), None);
    }

    #[test]
    fn upper_bound_bounds_the_range_in_byte_order() {
        for prefix in ["bak", "طه", "z", "a\u{7F}", "\u{FFFF}"] {
            let upper = prefix_upper_bound(prefix).expect("bounded");
            for inside in [
                prefix.to_string(),
                format!("{prefix}u"),
                format!("{prefix}{}", char::MAX),
            ] {
                assert!(inside.as_bytes() >= prefix.as_bytes());
                assert!(
                    inside.as_bytes() < upper.as_bytes(),
                    "{inside:?} !< {upper:?}"
                );
            }
            assert!(upper.as_bytes() > prefix.as_bytes());
            assert!(!upper.starts_with(prefix));
        }
    }
}
