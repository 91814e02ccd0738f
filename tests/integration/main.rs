//! The integration tests: one binary, driving the real `factstore` executable on real
//! SQLite files in temporary directories.

mod corpus;
mod examples;
mod history;
mod hostile;
mod regression;
mod reliability;
mod repl;
mod scripts;
mod store;
mod support;
mod tables;
mod views;
mod writes;
