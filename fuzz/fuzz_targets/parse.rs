//! Fuzz target `parse`: any text either parses or gives an error pointing inside it, and
//! never panics; a statement that parses prints as canonical text that parses back to the
//! same tree (nodes compare without their spans).
#![no_main]

use factstore::lang::{parse, snippet};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match parse(text) {
        Ok(tree) => {
            let printed = tree.to_string();
            let again = match parse(&printed) {
                Ok(again) => again,
                Err(e) => panic!("canonical text {printed:?} of {text:?} does not parse: {e}"),
            };
            assert_eq!(again, tree, "{text:?} round-trips through {printed:?}");
        }
        Err(e) => {
            assert!(e.span.start <= e.span.end && e.span.end <= text.len());
            assert!(text.is_char_boundary(e.span.start) && text.is_char_boundary(e.span.end));
            let _ = e.to_string();
            let _ = snippet(text, e.span);
        }
    }
});
