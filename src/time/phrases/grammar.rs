//! The grammar of written and relative dates: tokens (see [`words`](super::words)) to a
//! [`Phrase`], what the words name before an anchor places it. Each form is tried at a
//! position and the one that reads the most tokens wins, so `8 May 2025` is a day, not
//! the month `May 2025` after a stray number.

use super::range::range;
use super::words::{Rel, Third, Token, Unit, Word};

/// What a date phrase names, before an anchor places it in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Phrase {
    /// today, yesterday …: the anchor's day plus `offset`; `weekday` as written with it
    /// (اليوم الاثنين), to be checked.
    Day { offset: i64, weekday: Option<u32> },
    /// A weekday (0 = Monday), with `last`/`this`/`next` when written.
    Weekday { weekday: u32, rel: Option<Rel> },
    /// A day of a month.
    Date {
        year: YearRef,
        month: u32,
        day: u32,
        weekday: Option<u32>,
    },
    /// A month, or a third of it.
    Month {
        year: YearRef,
        month: u32,
        third: Option<Third>,
    },
    /// last / this / next month, or a third of it.
    MonthRel { rel: Rel, third: Option<Third> },
    /// A year or a part of it.
    Year { year: YearRef, part: YearPart },
    /// last / this / next week.
    Week { rel: Rel },
    /// `3 days ago`, `in 2 weeks`, منذ ثلاثة أيام: `count` units from the anchor
    /// (negative: back).
    Count { unit: Unit, count: i64 },
    /// Two ends joined: `13–15 July 2025`, `May–June 2025`, `2023–2024` (see
    /// [`range`](super::range)).
    Range { start: End, end: End },
}

/// One end of a range: a day, a month or a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum End {
    Day { year: YearRef, month: u32, day: u32 },
    Month { year: YearRef, month: u32 },
    Year(i64),
}

/// Which year a month, day or part belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum YearRef {
    /// Written: `May 2025`.
    Given(i64),
    /// Not written: the occurrence the anchor and the direction choose.
    Implicit,
    /// The month's own `last`/`next` (`last November`, نوفمبر الماضي): the occurrence
    /// before or after the anchor's month.
    Own(Rel),
    /// The year's `last`/`this`/`next` (`May last year`, مايو من العام الماضي).
    Of(Rel),
}

/// The part of a year a phrase names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum YearPart {
    Whole,
    Third(Third),
    Quarter(u32),
    Half(u32),
}

/// Reads the longest phrase starting at token `start`: the phrase and the index of the
/// token after it. Fillers before the phrase are skipped; `None` when no phrase starts
/// there.
pub(super) fn phrase_at(tokens: &[Token], start: usize) -> Option<(Phrase, usize)> {
    let forms: [fn(&mut Cursor) -> Option<Phrase>; 8] =
        [day, weekday, date, month, year, week, count, range];
    let mut best: Option<(Phrase, usize)> = None;
    // `in May 2025`: `in` adds nothing, except to a count (`in 3 days`).
    let starts = match tokens.get(start) {
        Some(t) if t.word == Word::In => vec![start, start + 1],
        _ => vec![start],
    };
    for (form, from) in forms
        .iter()
        .flat_map(|f| starts.iter().map(move |s| (f, *s)))
    {
        let mut cursor = Cursor { tokens, pos: from };
        if let Some(phrase) = form(&mut cursor) {
            if best.is_none_or(|(_, end)| cursor.pos > end) {
                best = Some((phrase, cursor.pos));
            }
        }
    }
    best
}

/// A position in the tokens; reading skips fillers.
#[derive(Clone, Copy)]
pub(super) struct Cursor<'t> {
    tokens: &'t [Token],
    pub(super) pos: usize,
}

impl Cursor<'_> {
    /// The next meaningful word, moving past it (a hyphen between words is no word:
    /// `mid-May`).
    fn next(&mut self) -> Option<Word> {
        while let Some(token) = self.tokens.get(self.pos) {
            self.pos += 1;
            if !matches!(token.word, Word::Filler | Word::Hyphen) {
                return Some(token.word);
            }
        }
        None
    }

    /// Moves past a hyphen between words when one comes next (the `to` of `May-June`).
    pub(super) fn hyphen(&mut self) -> bool {
        let mut pos = self.pos;
        while let Some(token) = self.tokens.get(pos) {
            match token.word {
                Word::Filler => pos += 1,
                Word::Hyphen => {
                    self.pos = pos + 1;
                    return true;
                }
                _ => return false,
            }
        }
        false
    }

    /// Reads the next word when `f` accepts it.
    pub(super) fn take<T>(&mut self, f: impl Fn(Word) -> Option<T>) -> Option<T> {
        let mut ahead = *self;
        let value = f(ahead.next()?)?;
        *self = ahead;
        Some(value)
    }

    /// Runs `f` and keeps its reading only when it succeeds.
    pub(super) fn attempt<T>(&mut self, f: impl FnOnce(&mut Self) -> Option<T>) -> Option<T> {
        let mut ahead = *self;
        let value = f(&mut ahead)?;
        *self = ahead;
        Some(value)
    }

    pub(super) fn is(&mut self, word: Word) -> bool {
        self.take(|w| (w == word).then_some(())).is_some()
    }
}

fn rel(w: Word) -> Option<Rel> {
    match w {
        Word::Rel(r) => Some(r),
        _ => None,
    }
}

fn weekday_word(w: Word) -> Option<u32> {
    match w {
        Word::Weekday(d) => Some(d),
        _ => None,
    }
}

pub(super) fn month_word(w: Word) -> Option<u32> {
    match w {
        Word::Month(m) => Some(m),
        _ => None,
    }
}

fn third_word(w: Word) -> Option<Third> {
    match w {
        Word::Third(t) => Some(t),
        _ => None,
    }
}

/// A year in digits: three or four of them.
pub(super) fn year_number(w: Word) -> Option<i64> {
    match w {
        Word::Number(n, 3 | 4) => Some(n),
        _ => None,
    }
}

/// A unit word `unit` followed or preceded by last/this/next.
fn unit_rel(c: &mut Cursor, unit: Unit) -> Option<Rel> {
    c.attempt(|c| {
        c.is(Word::Unit(unit)).then_some(())?;
        c.take(rel)
    })
    .or_else(|| {
        c.attempt(|c| {
            let r = c.take(rel)?;
            c.is(Word::Unit(unit)).then_some(r)
        })
    })
}

/// The year written after a month, day or part: `2025`, `عام 2025`, `last year`,
/// `العام الماضي`; or the month's own `last`/`next` (نوفمبر الماضي) when `own` is allowed.
pub(super) fn year_after(c: &mut Cursor, own: bool) -> YearRef {
    if let Some(r) = unit_rel(c, Unit::Year) {
        return YearRef::Of(r);
    }
    if let Some(y) = c.attempt(|c| {
        c.is(Word::Unit(Unit::Year));
        c.take(year_number)
    }) {
        return YearRef::Given(y);
    }
    if own {
        if let Some(r) = c.take(rel) {
            return YearRef::Own(r);
        }
    }
    YearRef::Implicit
}

/// today, yesterday …, with a weekday before or after it; also `this day`, في هذا اليوم,
/// اليوم الماضي (the day before).
fn day(c: &mut Cursor) -> Option<Phrase> {
    let before = c.take(weekday_word);
    // يوم غد، يوم بعد غد: `day` before a day word adds nothing.
    c.attempt(|c| {
        c.is(Word::Unit(Unit::Day)).then_some(())?;
        matches!({ *c }.next(), Some(Word::DayName(_))).then_some(())
    });
    let rel_before = c.take(rel);
    let (base, unit) = c.take(|w| match w {
        Word::DayName(n) => Some((n, false)),
        Word::Unit(Unit::Day) => Some((0, true)),
        _ => None,
    })?;
    let rel_after = if base == 0 && rel_before.is_none() {
        c.take(rel)
    } else {
        None
    };
    let offset = match rel_before.or(rel_after) {
        Some(r) if base == 0 => r,
        Some(_) => return None,
        None if unit => return None,
        None => base,
    };
    let weekday = before.or_else(|| c.take(weekday_word));
    Some(Phrase::Day { offset, weekday })
}

/// A weekday, with `last`/`this`/`next` before or after it.
fn weekday(c: &mut Cursor) -> Option<Phrase> {
    c.is(Word::Unit(Unit::Day));
    let before = c.take(rel);
    let weekday = c.take(weekday_word)?;
    let rel = before.or_else(|| c.take(rel));
    Some(Phrase::Weekday { weekday, rel })
}

/// A day number: 1–31 in digits, `8th`, or an Arabic ordinal (الثالث عشر).
/// A day of a month written either way round (`8 May`, `May 8`, `8 شهر مايو`): the
/// month's number and the day's.
pub(super) fn month_and_day(c: &mut Cursor) -> Option<(u32, u32)> {
    c.attempt(|c| {
        let day = day_number(c)?;
        c.is(Word::Unit(Unit::Month));
        Some((c.take(month_word)?, day))
    })
    .or_else(|| {
        c.attempt(|c| {
            c.is(Word::Unit(Unit::Month));
            let month = c.take(month_word)?;
            Some((month, day_number(c)?))
        })
    })
}

pub(super) fn day_number(c: &mut Cursor) -> Option<u32> {
    c.is(Word::Unit(Unit::Day));
    c.take(|w| match w {
        Word::Number(n, 1 | 2) if (1..=31).contains(&n) => u32::try_from(n).ok(),
        Word::Ordinal(n) => Some(n),
        _ => None,
    })
    .map(|n| if c.is(Word::Teen) { n + 10 } else { n })
}

/// A day of a month: `8 May 2025`, `May 8, 2025`, `الاثنين 18 شباط`, `2025-5-8`.
fn date(c: &mut Cursor) -> Option<Phrase> {
    c.is(Word::Unit(Unit::Day));
    let weekday = c.take(weekday_word);
    if let Some((year, month, day)) = c.take(|w| match w {
        Word::Digits(y, m, Some(d)) => Some((y, m, d)),
        _ => None,
    }) {
        return Some(Phrase::Date {
            year: YearRef::Given(year),
            month,
            day,
            weekday,
        });
    }
    let (month, day) = month_and_day(c)?;
    let year = year_after(c, true);
    Some(Phrase::Date {
        year,
        month,
        day,
        weekday,
    })
}

/// A month or a third of one: `May 2025`, `last November`, `early last February`,
/// مطلع فبراير الماضي، الشهر الماضي، أواخر الشهر، `2025-5`, شهر 3.
fn month(c: &mut Cursor) -> Option<Phrase> {
    let third = c.take(third_word);
    if let Some((year, month)) = c.take(|w| match w {
        Word::Digits(y, m, None) => Some((y, m)),
        _ => None,
    }) {
        return Some(Phrase::Month {
            year: YearRef::Given(year),
            month,
            third,
        });
    }
    if let Some(r) = unit_rel(c, Unit::Month) {
        return Some(Phrase::MonthRel { rel: r, third });
    }
    let before = c.take(rel);
    let month_unit = c.is(Word::Unit(Unit::Month));
    let month = c.take(month_word).or_else(|| {
        c.take(|w| match w {
            Word::Number(n, 1 | 2) if (1..=12).contains(&n) => u32::try_from(n).ok(),
            _ => None,
        })
    });
    let Some(month) = month else {
        // أواخر الشهر: the month of the anchor.
        return (before.is_none() && third.is_some() && month_unit)
            .then_some(Phrase::MonthRel { rel: 0, third });
    };
    let year = match before {
        Some(r) => match year_after(c, false) {
            YearRef::Implicit => YearRef::Own(r),
            other => other,
        },
        None => year_after(c, true),
    };
    Some(Phrase::Month { year, month, third })
}

/// A year or a part of one: `the end of 2024`, منتصف عام 2024، `the first quarter of
/// 2024`, النصف الثاني من العام الماضي، `Q1 2024`, `last year`, مطلع العام.
fn year(c: &mut Cursor) -> Option<Phrase> {
    let part = c
        .take(third_word)
        .map(YearPart::Third)
        .or_else(|| c.attempt(grouping));
    let year = year_after(c, false);
    let year = match (year, part) {
        (YearRef::Implicit, Some(YearPart::Third(_))) => {
            // مطلع العام: the anchor's year.
            if c.is(Word::Unit(Unit::Year)) {
                YearRef::Of(0)
            } else {
                c.take(year_number).map(YearRef::Given)?
            }
        }
        (YearRef::Implicit, None) => c.take(year_number).map(YearRef::Given)?,
        (year, _) => year,
    };
    Some(Phrase::Year {
        year,
        part: part.unwrap_or(YearPart::Whole),
    })
}

/// A quarter or half: `Q1`, `the first quarter`, الربع الأول، النصف الثاني.
fn grouping(c: &mut Cursor) -> Option<YearPart> {
    let make = |unit: Unit, n: u32| match unit {
        Unit::Quarter if (1..=4).contains(&n) => Some(YearPart::Quarter(n)),
        Unit::Half if (1..=2).contains(&n) => Some(YearPart::Half(n)),
        _ => None,
    };
    let unit_word = |w: Word| match w {
        Word::Unit(u @ (Unit::Quarter | Unit::Half)) => Some(u),
        _ => None,
    };
    let ordinal = |w: Word| match w {
        Word::Ordinal(n) => Some(n),
        _ => None,
    };
    if let Some((unit, n)) = c.take(|w| match w {
        Word::Grouping(u, n) => Some((u, n)),
        _ => None,
    }) {
        return make(unit, n);
    }
    c.attempt(|c| {
        let n = c.take(ordinal)?;
        make(c.take(unit_word)?, n)
    })
    .or_else(|| {
        c.attempt(|c| {
            let unit = c.take(unit_word)?;
            make(unit, c.take(ordinal)?)
        })
    })
}

/// last / this / next week.
fn week(c: &mut Cursor) -> Option<Phrase> {
    unit_rel(c, Unit::Week).map(|rel| Phrase::Week { rel })
}

/// `3 days ago`, `in two weeks`, منذ ثلاثة أيام، قبل يومين، بعد أسبوعين.
fn count(c: &mut Cursor) -> Option<Phrase> {
    let direction = |w: Word| match w {
        Word::Ago => Some(-1),
        Word::Later | Word::In => Some(1),
        _ => None,
    };
    let before = c.take(direction);
    let number = c.take(|w| match w {
        Word::Number(n, 1..=3) | Word::Count(n) => Some(n),
        _ => None,
    });
    let (unit, count) = c.take(|w| match (w, number) {
        (Word::Units(u, None) | Word::Unit(u), Some(n)) => Some((u, n)),
        (Word::Units(u, Some(n)), None) => Some((u, n)),
        _ => None,
    })?;
    let sign = match before {
        Some(sign) => sign,
        None => c.take(|w| (w == Word::Ago).then_some(-1))?,
    };
    Some(Phrase::Count {
        unit,
        count: sign * count,
    })
}

#[cfg(test)]
mod tests {
    use super::super::words::tokens;
    use super::*;

    fn read(text: &str) -> Option<Phrase> {
        let toks = tokens(text);
        match phrase_at(&toks, 0) {
            Some((p, end)) if end == toks.len() => Some(p),
            _ => None,
        }
    }

    #[test]
    fn the_seed_phrases_read_as_the_article_means_them() {
        assert_eq!(
            read("اليوم الاثنين"),
            Some(Phrase::Day {
                offset: 0,
                weekday: Some(0)
            })
        );
        assert_eq!(
            read("مطلع فبراير الماضي"),
            Some(Phrase::Month {
                year: YearRef::Own(-1),
                month: 2,
                third: Some(Third::Early)
            })
        );
        assert_eq!(
            read("منتصف عام 2024"),
            Some(Phrase::Year {
                year: YearRef::Given(2024),
                part: YearPart::Third(Third::Mid)
            })
        );
        assert_eq!(
            read("8 مايو"),
            Some(Phrase::Date {
                year: YearRef::Implicit,
                month: 5,
                day: 8,
                weekday: None
            })
        );
        assert_eq!(
            read("النصف الثاني من العام الماضي"),
            Some(Phrase::Year {
                year: YearRef::Of(-1),
                part: YearPart::Half(2)
            })
        );
        assert_eq!(
            read("May last year"),
            Some(Phrase::Month {
                year: YearRef::Of(-1),
                month: 5,
                third: None
            })
        );
        assert_eq!(
            read("منذ ثلاثة أيام"),
            Some(Phrase::Count {
                unit: Unit::Day,
                count: -3
            })
        );
        assert_eq!(read("hello"), None);
        assert_eq!(read("May hello"), None);
    }
}
