//! Scripts: the script a name is written in, whether a text contains strong right-to-left
//! characters, and which characters are explicit bidi controls. The one test of each,
//! for the lexer, the normaliser, `describe` and the terminal output alike.

use unicode_normalization::char::is_combining_mark;

/// True if `text` contains a strong right-to-left character (bidi class R or AL):
/// letters of Hebrew, Arabic (with its supplements and presentation forms), Syriac,
/// Thaana, NKo, Samaritan, Mandaic and the right-to-left scripts of the supplementary
/// planes, or the right-to-left mark. Combining marks and Arabic-Indic digits in those
/// blocks are not strong and do not count on their own.
pub fn has_rtl(text: &str) -> bool {
    text.chars().any(is_strong_rtl)
}

/// Explicit bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): an
/// unclosed one reorders the rest of the line it is in, so a query refuses them outside
/// strings, names drop them, and the terminal output leaves them out.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether `c` has a strong right-to-left bidi class (R or AL), by block, minus the
/// marks, digits and number signs inside the blocks.
fn is_strong_rtl(c: char) -> bool {
    if c.is_ascii() {
        return false;
    }
    if c == '\u{200F}' {
        return true; // RIGHT-TO-LEFT MARK
    }
    let in_rtl_block = matches!(
        c,
        '\u{0590}'..='\u{08FF}'      // Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic, Arabic ext.
            | '\u{FB1D}'..='\u{FDFF}' // Hebrew and Arabic presentation forms A
            | '\u{FE70}'..='\u{FEFE}' // Arabic presentation forms B
            | '\u{10800}'..='\u{10FFF}' // historic RTL scripts, Hanifi Rohingya, Yezidi, …
            | '\u{1E800}'..='\u{1EFFF}' // Mende Kikakui, Adlam, Arabic mathematical symbols
    );
    in_rtl_block && !is_combining_mark(c) && !is_weak_in_rtl_block(c)
}

/// The script a name is written in, by its letters: `Latin`, `Arabic` (Persian and Urdu
/// included), `Hebrew`, `Cyrillic`, `Greek`, `Armenian`, `Georgian`, `Devanagari`,
/// `Han`, `Kana`, `Hangul` or `Other`; `Mixed` when its letters are of several, `None`
/// when it has no letters (`2024`).
pub fn script(text: &str) -> &'static str {
    let mut found: Option<&'static str> = None;
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        let this = script_of(c);
        match found {
            None => found = Some(this),
            Some(s) if s != this => return "Mixed",
            Some(_) => {}
        }
    }
    found.unwrap_or("None")
}

/// The script of one letter, by its block.
fn script_of(c: char) -> &'static str {
    match c {
        'A'..='Z' | 'a'..='z' | '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}' => "Latin",
        '\u{0250}'..='\u{02AF}' => "Latin",
        '\u{0370}'..='\u{03FF}' | '\u{1F00}'..='\u{1FFF}' => "Greek",
        '\u{0400}'..='\u{052F}' => "Cyrillic",
        '\u{0530}'..='\u{058F}' => "Armenian",
        '\u{0590}'..='\u{05FF}' => "Hebrew",
        '\u{0600}'..='\u{06FF}'
        | '\u{0750}'..='\u{077F}'
        | '\u{08A0}'..='\u{08FF}'
        | '\u{FB50}'..='\u{FDFF}'
        | '\u{FE70}'..='\u{FEFF}' => "Arabic",
        '\u{0900}'..='\u{097F}' => "Devanagari",
        '\u{10A0}'..='\u{10FF}' => "Georgian",
        '\u{3040}'..='\u{30FF}' => "Kana",
        '\u{1100}'..='\u{11FF}' | '\u{AC00}'..='\u{D7AF}' => "Hangul",
        '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' => "Han",
        _ => "Other",
    }
}

/// Digits, number signs and neutral punctuation inside the right-to-left blocks.
fn is_weak_in_rtl_block(c: char) -> bool {
    matches!(
        c,
        '\u{0600}'..='\u{0605}'       // Arabic number signs
            | '\u{0609}'..='\u{060A}' // per mille, per ten thousand
            | '\u{060C}'              // Arabic comma (CS)
            | '\u{060E}'..='\u{060F}' // poetic verse sign, misra sign
            | '\u{0660}'..='\u{0669}' // Arabic-Indic digits (AN)
            | '\u{066A}'..='\u{066C}' // percent sign, decimal and thousands separators
            | '\u{06DD}'..='\u{06DE}' // end of ayah, rub el hizb
            | '\u{06E9}'              // place of sajdah
            | '\u{06F0}'..='\u{06F9}' // Persian digits (EN)
            | '\u{0890}'..='\u{0891}' // Arabic pound and piastre marks above
            | '\u{08E2}'              // disputed end of ayah
            | '\u{FD3E}'..='\u{FD3F}' // ornate parentheses
            | '\u{10D30}'..='\u{10D39}' // Hanifi Rohingya digits
            | '\u{10E60}'..='\u{10E7E}' // Rumi numerals
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_rtl_scripts() {
        assert!(has_rtl("باكو"));
        assert!(has_rtl("Baku (باكو)"));
        assert!(has_rtl("בנימין נתניהו"));
        assert!(has_rtl("ܐܪܡܝܐ")); // Syriac
        assert!(has_rtl("ދިވެހި")); // Thaana
        assert!(has_rtl("ߒߞߏ")); // NKo
        assert!(has_rtl("\u{FEFB}")); // lam-alef presentation form
        assert!(has_rtl("بزشکیان"));
        assert!(has_rtl("𞤀𞤣𞤤𞤢𞤥")); // Adlam
    }

    #[test]
    fn bidi_controls_are_embeddings_overrides_and_isolates() {
        for c in ['\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}'] {
            assert!(is_bidi_control(c), "{c:?}");
        }
        for c in ['\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}'] {
            assert!(is_bidi_control(c), "{c:?}");
        }
        // Marks are not controls: they only set the direction of neutral characters.
        for c in ['\u{200E}', '\u{200F}', '\u{2029}', '\u{206A}', 'a', 'ب'] {
            assert!(!is_bidi_control(c), "{c:?}");
        }
    }

    #[test]
    fn names_have_the_script_of_their_letters() {
        assert_eq!(script("Baku"), "Latin");
        assert_eq!(script("Bakı"), "Latin");
        assert_eq!(script("Türkiye 2024"), "Latin");
        assert_eq!(script("عباس عراقچی"), "Arabic");
        assert_eq!(script("باكو"), "Arabic");
        assert_eq!(script("Москва"), "Cyrillic");
        assert_eq!(script("בנימין נתניהו"), "Hebrew");
        assert_eq!(script("東京"), "Han");
        assert_eq!(script("Baku باكو"), "Mixed");
        assert_eq!(script("2024"), "None");
    }

    #[test]
    fn ltr_and_neutral_text_is_not_rtl() {
        assert!(!has_rtl("Baku"));
        assert!(!has_rtl("Türkiye 2024"));
        assert!(!has_rtl(""));
        assert!(!has_rtl("Москва 東京"));
        assert!(!has_rtl("٢٠٢٤")); // Arabic-Indic digits are weak
        assert!(!has_rtl("a\u{064E}")); // a lone haraka is a mark
        assert!(!has_rtl("\u{FEFF}x"));
    }
}
