//! Unit tests of the filters on a relation's fields after a clause (`place`, `source`,
//! `confidence`, `quote contains`, `note contains`) and of a label's fields as columns.
//! The helpers (`err` …) are the grammar tests'.

use super::*;

#[test]
fn field_filters_follow_a_clause_and_print_back() {
    for text in [
        r#"?x visited ?y place "Abu Dhabi""#,
        "?x visited ?y source kan-report",
        r#"?x visited ?y source "a title""#,
        "?x visited ?y confidence >= 0.7",
        "?x visited ?y confidence < .5",
        r#"?x -- ?y quote contains "بحر قزوين" status any"#,
        r#"?x visited ?y in 2024 note contains "two days""#,
    ] {
        let tree = parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert_eq!(tree.to_string(), text);
    }
    let e = err("?x visited ?y quote \"sea\"");
    assert_eq!(e.message, "expected `contains`");
    let e = err("?x visited ?y confidence 0.7");
    assert_eq!(e.message, "expected a comparison (<, <=, =, >= or >)");
    let e = err("?x visited ?y place _");
    assert!(e.message.contains("`place` takes one entity"), "{e}");
}

#[test]
fn a_label_field_is_a_column() {
    let text = "?x visited ?y @v | sort @v.start desc | show ?x, @v.when";
    let tree = parse(text).unwrap();
    assert_eq!(tree.to_string(), text);
}
