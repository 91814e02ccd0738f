//! Unit tests of the phrases: the seed article's phrases, errors, and a property test.

use super::*;
use crate::time::day_from_ymd;
use proptest::prelude::*;

fn day(y: i64, m: u32, d: u32) -> Day {
    day_from_ymd(y, m, d).unwrap()
}

fn bounds(text: &str, anchor: Day, planned: bool) -> (Day, Day) {
    resolve_date(text, &DateContext::at(Some(anchor)).planned(planned))
        .unwrap_or_else(|e| panic!("{text}: {e}"))
        .expr
        .range()
}

#[test]
fn the_seed_article_phrases_resolve_to_the_seed_dates() {
    let a = day(2025, 4, 28);
    assert_eq!(bounds("اليوم الاثنين", a, false), (a, a));
    assert_eq!(
        bounds("مطلع فبراير الماضي", a, false),
        (day(2025, 2, 1), day(2025, 2, 10))
    );
    assert_eq!(
        bounds("منتصف عام 2024", a, false),
        (day(2024, 5, 1), day(2024, 8, 31))
    );
    assert_eq!(
        bounds("أواخر عام 2024", a, false),
        (day(2024, 9, 1), day(2024, 12, 31))
    );
    assert_eq!(
        bounds("نوفمبر الماضي", a, false),
        (day(2024, 11, 1), day(2024, 11, 30))
    );
    assert_eq!(
        bounds("يناير 2023", a, false),
        (day(2023, 1, 1), day(2023, 1, 31))
    );
    assert_eq!(
        bounds("8 مايو", a, true),
        (day(2025, 5, 8), day(2025, 5, 8))
    );
    assert_eq!(
        bounds("8 مايو", a, false),
        (day(2024, 5, 8), day(2024, 5, 8))
    );
}

#[test]
fn relative_words_without_an_anchor_say_what_to_give() {
    let e = resolve_date("last November", &DateContext::NONE).unwrap_err();
    assert!(matches!(e, TimeError::Relative { .. }), "{e}");
    assert!(e.to_string().contains("reported"), "{e}");
    assert!(e.to_string().contains("published"), "{e}");
    assert!(is_relative("أمس"));
    assert!(!is_relative("8 May 2025"));
    assert!(!is_relative("2025-04"));
    let stopped = resolve_date("8 May 2025.", &DateContext::NONE).unwrap();
    assert_eq!(stopped.written, "2025-05-08");
    let written = resolve_date("8 May 2025", &DateContext::NONE).unwrap();
    assert_eq!(written.written, "2025-05-08");
    assert!(!written.relative);
}

#[test]
fn bad_phrases_are_refused_with_a_reason() {
    let ctx = DateContext::at(Some(day(2025, 4, 28)));
    let reason = |text: &str| resolve_date(text, &ctx).unwrap_err().to_string();
    assert!(reason("30 February 2025").contains("28 days"));
    assert!(reason("31 April").contains("at most 30 days"));
    assert!(reason("Tuesday 28 April 2025").contains("Monday"));
    assert!(reason("May 2025 foo").contains("not understood"));
    assert!(reason("hello").contains("8 May 2025"));
    assert!(reason("2025-02-30").contains("28 days"));
}

#[test]
fn before_and_after_take_a_phrase() {
    let a = day(2025, 4, 28);
    assert_eq!(
        bounds("before May 2025", a, false),
        (crate::time::NEG_INF, day(2025, 4, 30))
    );
    assert_eq!(
        bounds("after last year", a, false),
        (day(2025, 1, 1), crate::time::POS_INF)
    );
}

#[test]
fn find_gives_each_phrase_with_its_span() {
    let text = "وصل اليوم الاثنين إلى باكو. وكان قد زارها في أواخر عام 2024، وفي 2025-01-15.";
    let found = find(text, Some(day(2025, 4, 28)));
    let words: Vec<&str> = found.iter().map(|f| f.text.as_str()).collect();
    assert_eq!(words, vec!["اليوم الاثنين", "أواخر عام 2024", "2025-01-15"]);
    for f in &found {
        assert_eq!(&text[f.span.clone()], f.text);
        assert!(f.resolved.is_ok(), "{}", f.text);
    }
    assert!(find("You may go in 2024 or so", None).is_empty());
    let counted = find("He will come in 3 days, on 8 May.", Some(day(2025, 4, 28)));
    let words: Vec<&str> = counted.iter().map(|f| f.text.as_str()).collect();
    assert_eq!(words, vec!["in 3 days", "8 May"]);
    let relative = find("It happened yesterday.", None);
    assert_eq!(relative.len(), 1);
    assert!(matches!(
        relative[0].resolved,
        Err(TimeError::Relative { .. })
    ));
}

#[test]
fn ranges_come_to_the_interval_of_their_ends() {
    let a = day(2025, 8, 1);
    let range = |text: &str| {
        let r = resolve_date(text, &DateContext::at(Some(a))).unwrap_or_else(|e| panic!("{e}"));
        (r.written, r.expr)
    };
    let (written, expr) = range("13–15 July");
    assert_eq!(written, "2025-07-13/2025-07-15");
    // The interval's bounds are the EDTF interval's, whatever DATA.md gives it.
    assert_eq!(expr, parse_date("2025-07-13/2025-07-15").unwrap());
    assert_eq!(range("May-June 2025").0, "2025-05/2025-06");
    assert_eq!(range("بين 13 و15 تموز").0, "2025-07-13/2025-07-15");
    // A hyphen between words is still nothing where no range is.
    assert_eq!(
        bounds("mid-May 2025", a, false),
        (day(2025, 5, 11), day(2025, 5, 20))
    );
    let text = "The talks ran 13–15 July 2025 in Baku; the score was 2-1.";
    let found = find(text, Some(a));
    let words: Vec<&str> = found.iter().map(|f| f.text.as_str()).collect();
    assert_eq!(words, vec!["13–15 July 2025"]);
    assert!(find("call 555-1234 today", None)
        .iter()
        .all(|f| f.text == "today"));
}

proptest! {
    #[test]
    fn no_text_makes_resolving_panic(text in "\\PC{0,30}", anchor in -800_000i64..800_000, planned: bool) {
        let ctx = DateContext::at(Some(anchor)).planned(planned);
        match resolve_date(&text, &ctx) {
            Ok(r) => { let (lo, hi) = r.expr.range(); prop_assert!(lo <= hi); }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
        let _ = find(&text, Some(anchor));
    }

    #[test]
    fn phrase_like_text_resolves_or_explains(
        words in proptest::collection::vec(prop::sample::select(vec![
            "early", "mid", "late", "last", "next", "this", "the", "of", "first", "quarter",
            "half", "year", "month", "week", "May", "November", "Monday", "8", "31", "2024",
            "ago", "3", "days", "in", "مطلع", "منتصف", "أواخر", "الماضي", "المقبل", "عام",
            "العام", "الشهر", "الربع", "الأول", "من", "نوفمبر", "أيار", "اليوم", "الاثنين",
            "أمس", "منذ", "ثلاثة", "أيام", "٢٠٢٤", "٨", "كانون", "الثاني", "before", "2025-5-8",
            "to", "–", "-", "from", "between", "and", "إلى", "بين", "و", "13-15", "2023", "July",
        ]), 1..6),
        anchor in -800_000i64..800_000,
        planned: bool,
    ) {
        let text = words.join(" ");
        let ctx = DateContext::at(Some(anchor)).planned(planned);
        match resolve_date(&text, &ctx) {
            Ok(r) => { let (lo, hi) = r.expr.range(); prop_assert!(lo <= hi, "{}", text); }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }
}
