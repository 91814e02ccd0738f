//! How a table fits a terminal: which columns may narrow and how, and when a table
//! cannot fit at all so that its rows are shown as records instead (expanded display).
//!
//! What a query names (its variables, the columns `show` chose), dates and ids are read
//! whole or not at all, so they keep their width; free text (quotes, notes, reasons, a
//! path's chain) narrows by wrapping onto a few lines. When the columns kept whole do not
//! fit beside the free text at its narrowest, automatic expanded display shows records;
//! with expanded display off, every column is cut down instead, the widest first, as the
//! last way to stay inside the terminal.

use super::Expanded;

/// Free text is not wrapped narrower than this (nor than its own content).
const FREE_MIN_WIDTH: usize = 16;
/// Lines a free-text cell may take before it is cut with `…`.
pub(crate) const FREE_MAX_LINES: usize = 4;
/// With expanded display off, columns are not cut narrower than this.
pub(crate) const MIN_COLUMN_WIDTH: usize = 5;

/// Columns of free text, by their documented names: they may wrap.
const FREE_TEXT: &[&str] = &[
    "quote",
    "note",
    "reason",
    "query",
    "title",
    "path",
    "predicates",
    "statement",
    "detail",
    "summary",
    "sha256",
];

/// Whether the column named `name` holds free text that may wrap.
pub(crate) fn is_free_text(name: &str) -> bool {
    FREE_TEXT.contains(&name)
}

/// How a cell wider than its column is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fit {
    /// On one line, cut with `…`.
    Cut,
    /// On up to this many lines, the last cut with `…` if text is left.
    Wrap(usize),
}

/// A table's columns: their widths and how a wider cell is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Columns {
    pub widths: Vec<usize>,
    pub fits: Vec<Fit>,
}

/// How columns of `natural` widths (the widest cell or header of each), `free` marking
/// free text, fit in `total` terminal cells; `None` when the rows should be shown as
/// records instead. Without a width, columns keep their natural widths.
pub(crate) fn fit_columns(
    natural: &[usize],
    free: &[bool],
    total: Option<usize>,
    expanded: Expanded,
) -> Option<Columns> {
    // A cell a later chunk finds wider than its column wraps, whatever the column holds.
    let whole = |is_free: bool| {
        if is_free {
            Fit::Wrap(FREE_MAX_LINES)
        } else {
            Fit::Wrap(usize::MAX)
        }
    };
    if expanded == Expanded::On {
        return None;
    }
    let fits: Vec<Fit> = free.iter().map(|&f| whole(f)).collect();
    let Some(total) = total else {
        return Some(Columns {
            widths: natural.to_vec(),
            fits,
        });
    };
    // Borders: `│ ` before each column, ` │` after the last, ` │ ` between.
    let budget = total.saturating_sub(3 * natural.len() + 1);
    let kept: usize = natural
        .iter()
        .zip(free)
        .filter(|(_, &f)| !f)
        .map(|(n, _)| n)
        .sum();
    let free_natural: Vec<usize> = natural
        .iter()
        .zip(free)
        .filter(|(_, &f)| f)
        .map(|(&n, _)| n)
        .collect();
    let free_floor: usize = free_natural.iter().map(|&n| n.min(FREE_MIN_WIDTH)).sum();
    if kept + free_floor <= budget {
        let mut narrowed = shrink(&free_natural, budget - kept, FREE_MIN_WIDTH).into_iter();
        let widths = natural
            .iter()
            .zip(free)
            .map(|(&n, &f)| if f { narrowed.next().unwrap_or(n) } else { n })
            .collect();
        return Some(Columns { widths, fits });
    }
    if expanded == Expanded::Auto {
        return None;
    }
    let widths = shrink(natural, budget, MIN_COLUMN_WIDTH);
    let fits = widths
        .iter()
        .zip(natural)
        .zip(free)
        .map(|((w, n), &f)| if w < n && !f { Fit::Cut } else { whole(f) })
        .collect();
    Some(Columns { widths, fits })
}

/// Widths for columns of `natural` widths summing to at most `budget`: the widest cut
/// down first, to no less than `min` (or their natural width if smaller).
fn shrink(natural: &[usize], budget: usize, min: usize) -> Vec<usize> {
    if natural.iter().sum::<usize>() <= budget {
        return natural.to_vec();
    }
    let capped =
        |cap: usize| -> Vec<usize> { natural.iter().map(|&n| n.min(cap.max(min))).collect() };
    // The largest cap under which the columns fit, by bisection.
    let mut low = min;
    let mut high = natural.iter().copied().max().unwrap_or(min);
    if capped(low).iter().sum::<usize>() > budget {
        // Even the floor is too wide (many columns): narrower still, down to one cell a
        // column, so that the table stays inside the terminal.
        return if min > 1 {
            shrink(natural, budget, min - 1)
        } else {
            capped(1)
        };
    }
    while low < high {
        let mid = low + (high - low).div_ceil(2);
        if capped(mid).iter().sum::<usize>() <= budget {
            low = mid;
        } else {
            high = mid - 1;
        }
    }
    let mut widths = capped(low);
    // Cells left over go one each to the columns held at the cap, leftmost first.
    let mut spare = budget - widths.iter().sum::<usize>();
    for (width, &n) in widths.iter_mut().zip(natural) {
        if spare == 0 {
            break;
        }
        if n > *width {
            *width += 1;
            spare -= 1;
        }
    }
    widths
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: Fit = Fit::Wrap(usize::MAX);
    const FREE: Fit = Fit::Wrap(FREE_MAX_LINES);

    #[test]
    fn shrink_takes_the_widest_first() {
        assert_eq!(shrink(&[3, 40, 10], 100, 5), [3, 40, 10]);
        assert_eq!(shrink(&[3, 40, 10], 30, 5), [3, 17, 10]);
        assert_eq!(shrink(&[3, 40, 30], 20, 5), [3, 9, 8]);
        // Below the floor, narrower still: the table stays inside the terminal.
        assert_eq!(shrink(&[3, 40, 30], 9, 5), [3, 3, 3]);
        assert_eq!(shrink(&[3, 40, 30], 0, 5), [1, 1, 1]);
    }

    #[test]
    fn without_a_width_columns_keep_theirs() {
        let c = fit_columns(&[3, 40], &[false, true], None, Expanded::Auto).unwrap();
        assert_eq!(c.widths, [3, 40]);
        assert_eq!(c.fits, [ALL, FREE]);
    }

    #[test]
    fn free_text_wraps_and_the_rest_keeps_its_width() {
        // 60 cells: 7 of borders, 10 kept, 43 left for the quote.
        let c = fit_columns(&[10, 80], &[false, true], Some(60), Expanded::Auto).unwrap();
        assert_eq!(c.widths, [10, 43]);
        assert_eq!(c.fits, [ALL, FREE]);
    }

    #[test]
    fn kept_columns_too_wide_give_records_or_cuts() {
        let natural = [30, 30, 40];
        let free = [false, false, true];
        assert_eq!(fit_columns(&natural, &free, Some(60), Expanded::Auto), None);
        assert_eq!(fit_columns(&natural, &free, Some(200), Expanded::On), None);
        let c = fit_columns(&natural, &free, Some(60), Expanded::Off).unwrap();
        assert_eq!(c.widths.iter().sum::<usize>() + 10, 60);
        assert_eq!(c.fits, [Fit::Cut, Fit::Cut, FREE]);
    }
}
