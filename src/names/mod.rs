//! Names: normalisation for matching (NFKC, case, Latin diacritics, Arabic orthography)
//! and did-you-mean suggestions.
//!
//! SKELETON: the names helper replaces this file.
