//! Fuzz target `jsonl_record`: any bytes imported as JSON Lines into a fresh in-memory
//! store are refused with a line inside the file or imported whole, leaving a store that
//! passes its checks and round-trips (see `factstore_fuzz::import_and_verify`).
#![no_main]

use factstore::store::ImportFormat;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    factstore_fuzz::import_and_verify(data, ImportFormat::JsonLines);
});
