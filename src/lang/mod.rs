//! The query language: lexing and parsing (nom) into the AST of [`ast`], and parse errors.
//!
//! SKELETON: the lang helper adds the parser.
pub mod ast;
