//! `correct source`: a source's `published` date corrected moves the relative dates of
//! the relations that count from it, in the same change (ARTICLES.md, "The anchor"):
//! queries see the new bounds, `as recorded` before the change the old ones, `history`
//! the relation's new version, and `undo` brings everything back.

use super::{change_of, column, refused, rows, unchanged, write};
use crate::support::TempStore;

/// A store where relation #1 says `last November`, counted from source `art`'s
/// `published` date 2025-04-28, and #2 says `2020` (no anchor).
fn article() -> TempStore {
    let store = TempStore::new();
    store.ok(&["init"]);
    for text in [
        "add source art \"Article\" published 2025-04-28 lang ar",
        "add entity alpha person \"Alpha\"",
        "add entity beta city \"Beta\"",
        "add Alpha new visited Beta when \"last November\" source art",
        "add Beta visited Alpha when 2020 source art",
    ] {
        write(&store, text);
    }
    store
}

/// `when`, `start` and `end` of relation #1.
fn bounds(store: &TempStore, past: &str) -> Vec<String> {
    let found = rows(
        store,
        &format!("Alpha visited Beta{past} | show when, start, end"),
    );
    ["when", "start", "end"]
        .into_iter()
        .flat_map(|c| column(&found, c))
        .collect()
}

#[test]
fn a_corrected_published_date_moves_the_relative_dates_and_undo_moves_them_back() {
    let store = article();
    let november_2024 = ["last November", "2024-11-01", "2024-11-30"];
    assert_eq!(bounds(&store, ""), november_2024);
    let said = write(
        &store,
        "correct source art published 2026-01-15, title \"Article (corrected)\" because \
         \"the date was misread\"",
    );
    assert!(said.contains("corrected source `art`"), "{said}");
    assert!(said.contains("relative dates of #1 "), "{said}");
    let change = change_of(&said);
    assert_eq!(
        bounds(&store, ""),
        ["last November", "2025-11-01", "2025-11-30"]
    );
    // The relation with a written date stays as it was.
    let other = rows(&store, "Beta visited Alpha | show start");
    assert_eq!(column(&other, "start"), ["2020-01-01"]);
    // Before the change, the store held the old dates.
    let before = format!(" as recorded at change {}", change - 1);
    assert_eq!(bounds(&store, &before), november_2024);
    // History shows the relation's new version, made by the source's correction.
    let history = rows(&store, "history #1");
    assert_eq!(column(&history, "action"), ["added", "corrected"]);
    assert_eq!(column(&history, "start"), ["2024-11-01", "2025-11-01"]);
    assert_eq!(
        column(&history, "reason")[1],
        "the date was misread",
        "{history:?}"
    );

    write(&store, "undo");
    assert_eq!(bounds(&store, ""), november_2024);
    let sources = rows(&store, "sources");
    assert_eq!(column(&sources, "title"), ["Article"], "{sources:?}");
}

#[test]
fn a_source_correction_that_cannot_be_made_is_refused_with_what_to_do() {
    let store = article();
    let said = refused(
        &store,
        "correct source atr published 2026-01-15 because \"x\"",
        2,
    );
    assert!(said.contains("unknown source `atr`"), "{said}");
    assert!(said.contains("did you mean art?"), "{said}");
    // A year cannot anchor `last November`.
    let said = refused(&store, "correct source art published 2026 because \"x\"", 2);
    assert!(said.contains("#1 counts its relative `when`"), "{said}");
    assert!(said.contains("not one day"), "{said}");
    // A relative `published` date would count from nothing.
    let said = refused(
        &store,
        "correct source art published \"yesterday\" because \"x\"",
        2,
    );
    assert!(said.contains("write the date itself"), "{said}");
    let said = refused(&store, "correct source art published 2026-01-15", 2);
    assert!(said.contains("needs a reason"), "{said}");
    let said = unchanged(
        &store,
        "correct source art published 2025-04-28, lang ar because \"x\"",
    );
    assert!(said.contains("already recorded"), "{said}");
}
