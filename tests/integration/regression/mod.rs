//! Regression tests: each test is named after the bug it pins, and says in its doc comment
//! what a user saw before the fix.

mod export;
mod import_csv;
mod import_records;
mod import_saved;
mod limits;
mod messages;
mod model;
mod read_only;
mod scripts;
mod show_order;
mod writes;
