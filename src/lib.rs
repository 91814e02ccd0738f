//! factstore: an embedded fact store for analysts who follow the news.
//!
//! The stages, each with one public entry:
//! - [`lang::parse`]: query text → [`lang::ast::Statement`] (spans on every node).
//! - [`plan::resolve`]: statement + catalog (the store's names) → [`plan::Plan`].
//! - [`sql::compile`]: plan → [`sql::SqlQuery`] (one SQL text, every value a parameter).
//! - [`store::Store::query`]: runs it and gives a [`value::ResultSet`].
//! - [`output::render`]: result set → table, JSON, JSON Lines, CSV or TSV.
//!
//! Supporting modules: [`time`] (date expressions → bounds), [`names`] (normalisation
//! and suggestions).

pub mod lang;
pub mod names;
pub mod output;
pub mod store;
pub mod time;
pub mod value;
