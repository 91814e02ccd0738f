//! The matching form of a name: NFKC, case folding, Latin diacritics removed, Arabic
//! orthography unified, invisible characters removed, whitespace collapsed.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// How many NFKC + folding rounds [`normalise`] runs at most. One round suffices for
/// nearly all text; a second is needed only when removing a character lets its
/// neighbours compose under NFKC (for example Hangul jamo around a zero-width space).
const MAX_ROUNDS: usize = 4;

/// The form used to match names.
///
/// Steps, in order: Unicode NFKC; full lowercase (plus `ß` → `ss` and final `ς` → `σ`, as
/// case folding does); Latin diacritics removed (`Türkiye` → `turkiye`, `Tehrán` →
/// `tehran`, `Bakı` → `baki`); Arabic orthography unified (harakat, dagger alef, Quranic
/// marks and tatweel removed; `أ إ آ ٱ` → `ا`, `ى` → `ي`, `ة` → `ه`, `ؤ` → `و`, `ئ` → `ي`,
/// Persian `ک` → `ك` and `ی` → `ي`); Arabic-Indic and Persian digits → ASCII digits;
/// zero-width and bidi control characters removed; whitespace runs collapsed to one
/// space and trimmed.
///
/// The result is a fixed point: `normalise(&normalise(s)) == normalise(s)`.
/// Pure-ASCII input skips NFKC and takes a single pass.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    if text.is_ascii() {
        fold_into(text.chars(), &mut out);
        return out;
    }
    fold_into(text.nfkc(), &mut out);
    for _ in 1..MAX_ROUNDS {
        if out.is_ascii() || is_nfkc_quick(out.chars()) == IsNormalized::Yes {
            break;
        }
        let mut next = String::with_capacity(out.len());
        fold_into(out.nfkc(), &mut next);
        if next == out {
            break;
        }
        out = next;
    }
    out
}

/// One pass over NFKC text: case, Latin diacritics, Arabic orthography, digits,
/// invisible characters and whitespace. Characters that are removed leave the state
/// (pending space, previous base letter) untouched, so the pass is idempotent.
fn fold_into(chars: impl Iterator<Item = char>, out: &mut String) {
    let mut folder = Folder {
        out,
        pending_space: false,
        after_latin: false,
    };
    for c in chars {
        if c.is_whitespace() {
            folder.pending_space = true;
            folder.after_latin = false;
        } else if c.is_ascii() {
            folder.push_base(c.to_ascii_lowercase());
        } else if !is_removed(c) {
            for lower in c.to_lowercase() {
                folder.push_folded(lower);
            }
        }
    }
}

/// The output of [`fold_into`] and the state carried between characters.
struct Folder<'a> {
    out: &'a mut String,
    /// Whitespace was seen since the last emitted character; emitted as one space
    /// before the next character unless nothing has been emitted yet (trimming).
    pending_space: bool,
    /// The last emitted base character is a Latin letter, so combining marks that
    /// follow it are diacritics to drop.
    after_latin: bool,
}

impl Folder<'_> {
    /// Handles one lowercased non-ASCII character.
    fn push_folded(&mut self, c: char) {
        if let Some(mapped) = map_arabic(c) {
            self.push_base(mapped);
        } else if is_combining_mark(c) {
            if !self.after_latin {
                self.push_mark(c);
            }
        } else if is_latin(c) {
            self.push_latin(c);
        } else {
            self.push_letter(c);
        }
    }

    /// A base character, spelled out if it folds beyond lowercase (`æ` → `ae`).
    fn push_letter(&mut self, c: char) {
        match plain_letters(c) {
            Some(plain) => plain.chars().for_each(|p| self.push_base(p)),
            None => self.push_base(c),
        }
    }

    /// A Latin letter outside ASCII: its canonical decomposition without combining
    /// marks.
    fn push_latin(&mut self, c: char) {
        decompose_canonical(c, |d| {
            if !is_combining_mark(d) {
                self.push_letter(d);
            } else if !self.after_latin {
                self.push_mark(d);
            }
        });
    }

    /// Emits a base (non-mark) character, preceded by a pending space if any.
    fn push_base(&mut self, c: char) {
        self.flush_space();
        self.after_latin = c.is_ascii_alphabetic() || (is_latin(c) && c.is_alphabetic());
        self.out.push(c);
    }

    /// Emits a combining mark that is kept (it does not follow a Latin letter).
    fn push_mark(&mut self, c: char) {
        self.flush_space();
        self.out.push(c);
    }

    fn flush_space(&mut self) {
        if self.pending_space && !self.out.is_empty() {
            self.out.push(' ');
        }
        self.pending_space = false;
    }
}

/// Characters dropped entirely: Arabic harakat, dagger alef, Quranic marks, tatweel,
/// and zero-width / bidi control characters.
fn is_removed(c: char) -> bool {
    super::is_bidi_control(c)
        || matches!(
            c,
            '\u{064B}'..='\u{065F}'     // harakat, hamza above/below, madda
                | '\u{0670}'            // superscript (dagger) alef
                | '\u{06D6}'..='\u{06ED}' // Quranic annotation marks
                | '\u{0640}'            // tatweel
                | '\u{00AD}'            // soft hyphen
                | '\u{061C}'            // Arabic letter mark
                | '\u{180E}'            // Mongolian vowel separator
                | '\u{200B}'..='\u{200F}' // ZWSP, ZWNJ, ZWJ, LRM, RLM
                | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
                | '\u{FEFF}' // byte order mark / zero-width no-break space
        )
}

/// Arabic-script letters and digits mapped to their unified form.
fn map_arabic(c: char) -> Option<char> {
    let mapped = match c {
        'أ' | 'إ' | 'آ' | 'ٱ' | '\u{0672}' | '\u{0673}' => 'ا',
        'ى' | 'ئ' | 'ی' => 'ي',
        'ة' | 'ۀ' => 'ه',
        'ؤ' => 'و',
        'ک' | 'ڪ' => 'ك',
        '\u{0660}'..='\u{0669}' => digit(c, '\u{0660}')?,
        '\u{06F0}'..='\u{06F9}' => digit(c, '\u{06F0}')?,
        _ => return None,
    };
    Some(mapped)
}

/// The ASCII digit for `c` in a block of ten digits starting at `zero`.
fn digit(c: char, zero: char) -> Option<char> {
    char::from_digit(u32::from(c).checked_sub(u32::from(zero))?, 10)
}

/// Letters folded beyond lowercase: Latin letters without a canonical decomposition
/// written as plain letters, and the case-folding exceptions (`ß`, final `ς`).
/// Lowercase inputs only: [`fold_into`] lowercases first.
fn plain_letters(c: char) -> Option<&'static str> {
    Some(match c {
        'ı' => "i",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ø' => "o",
        'đ' | 'ð' => "d",
        'ł' => "l",
        'ħ' => "h",
        'ŧ' => "t",
        'ƀ' => "b",
        'ƶ' => "z",
        'ɨ' => "i",
        'ʉ' => "u",
        'ς' => "σ", // Greek final sigma: case folding maps it to σ
        _ => return None,
    })
}

/// Non-ASCII characters of the Latin blocks.
fn is_latin(c: char) -> bool {
    matches!(
        c,
        '\u{00C0}'..='\u{024F}'
            | '\u{1E00}'..='\u{1EFF}'
            | '\u{2C60}'..='\u{2C7F}'
            | '\u{A720}'..='\u{A7FF}'
            | '\u{AB30}'..='\u{AB6F}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn same(a: &str, b: &str) {
        assert_eq!(
            normalise(a),
            normalise(b),
            "{a:?} and {b:?} should normalise alike"
        );
    }

    #[test]
    fn arabic_hamza_forms_unify() {
        same("إلهام علييف", "الهام علييف");
        assert_eq!(normalise("أذربيجان"), "اذربيجان");
        assert_eq!(normalise("آ ٱ"), "ا ا");
    }

    #[test]
    fn arabic_harakat_and_tatweel_removed() {
        same("مَسْعُود", "مسعود");
        same("مـــسعود", "مسعود");
        same("رَحْمٰن", "رحمن");
    }

    #[test]
    fn arabic_letter_variants_unify() {
        assert_eq!(normalise("مدرسة"), "مدرسه");
        assert_eq!(normalise("مصطفى"), "مصطفي");
        assert_eq!(normalise("مؤتمر"), "موتمر");
        assert_eq!(normalise("رئيس"), "رييس");
    }

    #[test]
    fn persian_letters_unify() {
        same("بزشکیان", "بزشكيان");
    }

    #[test]
    fn distinct_aliases_stay_distinct() {
        assert_ne!(normalise("بزشكيان"), normalise("بيزيشكيان"));
        assert_ne!(normalise("Baku"), normalise("Bakku"));
    }

    #[test]
    fn latin_diacritics_removed() {
        same("Tehrán", "tehran");
        same("Türkiye", "Turkiye");
        assert_eq!(normalise("Bakı"), "baki");
        assert_eq!(normalise("Türkiye"), "turkiye");
        assert_eq!(normalise("Łódź"), "lodz");
        assert_eq!(normalise("Straße"), "strasse");
        assert_eq!(normalise("İstanbul"), "istanbul");
        // Decomposes to a letter that itself folds further: ǣ → æ + macron → ae.
        assert_eq!(normalise("Ǣ"), "ae");
        // A combining mark that has no precomposed form with its letter.
        assert_eq!(normalise("q\u{0308}x"), "qx");
    }

    #[test]
    fn marks_on_other_scripts_kept() {
        // Cyrillic й decomposes to и + breve, which changes the letter: keep it.
        assert_eq!(normalise("Й"), "й");
        assert_eq!(normalise("ά"), "ά");
    }

    #[test]
    fn digits_become_ascii() {
        same("٢٠٢٤", "2024");
        same("۲۰۲۴", "2024");
        assert_eq!(normalise("هجوم يناير ٢٠٢٣"), "هجوم يناير 2023");
    }

    #[test]
    fn nfkc_folds_compatibility_forms() {
        assert_eq!(normalise("ＢＡＫＵ"), "baku");
        assert_eq!(normalise("ﬁnal"), "final");
        // U+FEFB ARABIC LIGATURE LAM WITH ALEF ISOLATED FORM
        assert_eq!(normalise("\u{FEFB}"), "لا");
        // Presentation forms of ب ا ك و (isolated / final / initial)
        same("\u{FE91}\u{FE8E}\u{FEDB}\u{FEEE}", "باكو");
        assert_eq!(normalise("①"), "1");
    }

    #[test]
    fn invisible_characters_removed() {
        assert_eq!(normalise("\u{200F}باكو\u{200E}"), "باكو");
        assert_eq!(normalise("Ba\u{200B}ku"), "baku");
        assert_eq!(normalise("\u{2067}Baku\u{2069}"), "baku");
        assert_eq!(normalise("می\u{200C}خواهم"), "ميخواهم");
    }

    #[test]
    fn whitespace_collapsed_and_trimmed() {
        assert_eq!(normalise("  Abu \t\n Dhabi  "), "abu dhabi");
        assert_eq!(normalise("\u{00A0}أبو\u{3000}ظبي\u{2003}"), "ابو ظبي");
        assert_eq!(normalise(""), "");
        assert_eq!(normalise(" \u{200B} "), "");
    }

    #[test]
    fn hangul_composed_after_removal_is_stable() {
        // Removing the ZWSP lets the jamo compose: a second round is needed.
        let once = normalise("\u{1100}\u{200B}\u{1161}");
        assert_eq!(once, "가");
        assert_eq!(normalise(&once), once);
    }

    proptest! {
        #[test]
        fn idempotent_on_any_string(s in any::<String>()) {
            let once = normalise(&s);
            prop_assert_eq!(normalise(&once), once);
        }

        #[test]
        fn idempotent_on_tricky_mixes(
            s in "[a-zA-Z \\u{00C0}-\\u{024F}\\u{0300}-\\u{036F}\\u{0600}-\\u{06FF}\\u{1100}-\\u{1175}\\u{200B}-\\u{200F}\\u{2066}-\\u{2069}\\u{FB50}-\\u{FEFF}\\u{FF01}-\\u{FF5E}\\u{1E00}-\\u{1EFF}\\u{0370}-\\u{03FF}\\u{0400}-\\u{04FF}]{0,24}"
        ) {
            let once = normalise(&s);
            prop_assert_eq!(normalise(&once), once);
        }

        #[test]
        fn output_is_trimmed_and_single_spaced(s in any::<String>()) {
            let n = normalise(&s);
            prop_assert!(!n.starts_with(' ') && !n.ends_with(' '));
            prop_assert!(!n.contains("  "));
            prop_assert!(!n.chars().any(|c| c.is_whitespace() && c != ' '));
        }
    }
}
