//! Names: normalisation for matching (NFKC, case, Latin diacritics, Arabic orthography),
//! similarity and did-you-mean suggestions, prefix keys for fetching suggestion
//! candidates from an index, and script direction detection.
//!
//! - [`normalise`]: the matching form of a name; the store indexes it for every name
//!   and alias, the resolver applies it to every query term.
//! - [`similarity`] and [`suggest`]: rank known names against an unknown one.
//! - [`candidate_prefixes`] and [`prefix_upper_bound`]: the indexed range queries that
//!   fetch a small set of candidates for [`suggest`] without scanning every name.
//! - [`mentions`]: where a text names known names (particles, longest match, weak
//!   aliases), over a [`mentions::NameTable`] the store caches.
//! - [`script`]: the script a name is written in (`describe` lists it by each alias).
//! - [`has_rtl`]: whether a text needs right-to-left handling when rendered, and
//!   [`is_bidi_control`]: the characters that reorder what follows them.

pub mod mentions;
mod normalise;
mod script;
mod suggest;

pub use normalise::normalise;
pub use script::{has_rtl, is_bidi_control, script};
pub use suggest::{
    candidate_prefixes, prefix_upper_bound, similarity, suggest, too_long_to_suggest,
};
