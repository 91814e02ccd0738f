//! Integration tests: the real `factstore` binary run on temporary stores.

mod store;
mod support;
