//! Unit tests of lookups in the catalogue: `describe`, `entities`, `predicates`,
//! `sources`, their trees, canonical text and errors.

use super::*;

fn lookup(text: &str) -> Lookup {
    match ok(text).kind {
        StatementKind::Lookup(l) => l,
        other => panic!("{text:?}: {other:?}"),
    }
}

fn like(value: &str) -> Option<Text> {
    Some(Text {
        value: value.into(),
        span: sp(),
    })
}

#[test]
fn lookups_give_these_trees() {
    assert_eq!(
        lookup("describe Araghchi").kind,
        LookupKind::Describe(name("Araghchi"))
    );
    let l = lookup("DESCRIBE \"عباس عراقچی\" | show field, value");
    assert_eq!(l.kind, LookupKind::Describe(text("عباس عراقچی")));
    assert_eq!(l.stages.len(), 1);
    assert_eq!(
        lookup("entities").kind,
        LookupKind::Entities {
            kind: None,
            like: None
        }
    );
    assert_eq!(
        lookup("entities like \"bayr\" kind person").kind,
        LookupKind::Entities {
            kind: Some(id("person")),
            like: like("bayr"),
        }
    );
    // A bare word is the text too.
    assert_eq!(
        lookup("entities kind person like bayr | count").kind,
        LookupKind::Entities {
            kind: Some(id("person")),
            like: like("bayr"),
        }
    );
    assert_eq!(lookup("predicates").kind, LookupKind::Predicates);
    assert_eq!(lookup("sources | sort relations desc").stages.len(), 1);
}

#[test]
fn lookups_print_canonically() {
    for (text, printed) in [
        ("describe  Araghchi", "describe Araghchi"),
        (
            "describe \"Ilham Aliyev\" | limit 3",
            "describe \"Ilham Aliyev\" | limit 3",
        ),
        (
            "entities like bayr kind person",
            "entities kind person like \"bayr\"",
        ),
        ("Entities", "entities"),
        ("predicates | count", "predicates | count"),
        ("sources", "sources"),
    ] {
        assert_eq!(canonical(text), printed, "{text:?}");
    }
}

#[test]
fn lookup_errors() {
    let e = err("describe");
    assert!(e.message.contains("entity"), "{}", e.message);
    let e = err("describe ?x");
    assert!(e.message.contains("names no entity"), "{}", e.message);
    let e = err("entities kind");
    assert!(e.message.contains("kind"), "{}", e.message);
    let e = err("entities kind person kind city");
    assert!(e.message.contains("`kind` is given twice"), "{}", e.message);
    let e = err("entities like");
    assert!(e.message.contains("string"), "{}", e.message);
    let e = err("predicates Baku");
    assert_eq!(e.span.start, 11, "{e}");
    // The words begin their statement: a query about an entity spelt so quotes it.
    assert!(parse("\"sources\" met ?x").is_ok());
}
