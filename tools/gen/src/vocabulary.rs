//! The generator's vocabulary: the syllables names are built from (in Latin and Arabic
//! script), name patterns of each kind of entity, predicate labels and the sources; and the
//! naming of an entity (display name and aliases) from them.

use crate::random::SplitMix64;

/// A syllable with its Latin and Arabic spellings; names are built from these.
const SYLLABLES: &[(&str, &str)] = &[
    ("ka", "كا"),
    ("ri", "ري"),
    ("mo", "مو"),
    ("sa", "سا"),
    ("lin", "لين"),
    ("dor", "دور"),
    ("na", "نا"),
    ("tal", "تال"),
    ("ber", "بير"),
    ("zu", "زو"),
    ("ha", "ها"),
    ("mi", "مي"),
    ("ro", "رو"),
    ("far", "فار"),
    ("sha", "شا"),
    ("kha", "خا"),
    ("di", "دي"),
    ("nu", "نو"),
    ("jam", "جام"),
    ("bak", "باك"),
    ("sul", "سول"),
    ("tar", "طار"),
    ("lay", "لاي"),
    ("qa", "قا"),
    ("bi", "بي"),
    ("yas", "ياس"),
    ("ham", "حام"),
    ("dan", "دان"),
    ("ze", "زي"),
    ("ver", "فير"),
    ("ol", "أول"),
    ("em", "إم"),
    ("ra", "را"),
    ("ma", "ما"),
    ("sel", "سيل"),
    ("nur", "نور"),
    ("kar", "كار"),
    ("fi", "في"),
    ("wa", "وا"),
    ("an", "آن"),
];

/// Suffixes of city names (Latin, Arabic).
const CITY_SUFFIXES: &[(&str, &str)] = &[
    ("", ""),
    ("", ""),
    ("abad", "آباد"),
    ("grad", "غراد"),
    ("pur", "بور"),
    ("port", "بورت"),
];

/// Suffixes of country names (Latin, Arabic).
const COUNTRY_SUFFIXES: &[(&str, &str)] = &[
    ("ia", "يا"),
    ("stan", "ستان"),
    ("land", "لاند"),
    ("ar", "ار"),
];

/// Patterns of organization names: Latin and Arabic with `{}` for the stem, and
/// whether the Latin name puts the stem first.
const ORG_PATTERNS: &[(&str, &str, bool)] = &[
    ("Institute", "معهد", true),
    ("Bank", "بنك", true),
    ("Group", "مجموعة", true),
    ("Party", "حزب", true),
    ("Ministry of", "وزارة", false),
    ("University of", "جامعة", false),
    ("Front", "جبهة", true),
    ("Council", "مجلس", true),
];

/// Patterns of event names, as for organizations.
const EVENT_PATTERNS: &[(&str, &str, bool)] = &[
    ("Summit", "قمة", true),
    ("Accord", "اتفاق", true),
    ("Battle of", "معركة", false),
    ("Conference", "مؤتمر", true),
    ("Crisis", "أزمة", true),
    ("Elections", "انتخابات", true),
];

/// Asymmetric predicate labels with an Arabic verb phrase for quotes.
pub(crate) const ASYMMETRIC_LABELS: &[(&str, &str)] = &[
    ("visited", "زار"),
    ("received (hosted) a visitor", "استقبل"),
    ("invited", "دعا"),
    ("is an aide of", "مساعد"),
    ("is president of", "رئيس"),
    ("leads", "يقود"),
    ("is a member of", "عضو في"),
    ("funds", "يمول"),
    ("supplies arms to", "يزود بالسلاح"),
    ("sanctioned", "فرض عقوبات على"),
    ("criticised", "انتقد"),
    ("praised", "أشاد بـ"),
    ("accused", "اتهم"),
    ("is located in", "يقع في"),
    ("is the capital of", "عاصمة"),
    ("founded", "أسس"),
    ("attended", "حضر"),
    ("condemned", "أدان"),
    ("appointed", "عين"),
    ("dismissed", "أقال"),
    ("arrested", "اعتقل"),
    ("sued", "رفع دعوى على"),
    ("owns", "يملك"),
    ("advises", "ينصح"),
    ("expelled", "طرد"),
    ("attacked", "هاجم"),
    ("recognised", "اعترف بـ"),
    ("protested against", "احتج على"),
    ("called", "اتصل بـ"),
    ("mediated for", "توسط لـ"),
    ("threatened", "هدد"),
    ("welcomed", "رحب بـ"),
    ("warned", "حذر"),
    ("investigated", "حقق مع"),
    ("employs", "يوظف"),
    ("represents", "يمثل"),
    ("annexed", "ضم"),
    ("blockaded", "حاصر"),
    ("evacuated", "أجلى"),
    ("endorsed", "أيد"),
    ("pardoned", "عفا عن"),
    ("extradited", "سلم"),
];

/// Symmetric predicate labels with an Arabic phrase for quotes.
pub(crate) const SYMMETRIC_LABELS: &[(&str, &str)] = &[
    ("met with", "التقى"),
    ("is allied with", "تحالف مع"),
    ("has tensions with", "توتر مع"),
    ("held talks with", "أجرى محادثات مع"),
    ("is at war with", "في حرب مع"),
    ("negotiated with", "تفاوض مع"),
    ("trades with", "يتاجر مع"),
    ("has close ties with", "تربطه علاقات وثيقة مع"),
    ("cooperates with", "يتعاون مع"),
    ("signed an agreement with", "وقع اتفاقا مع"),
];

/// The sources: id, title, published, lang.
pub(crate) const SOURCES: &[(&str, &str, &str, &str)] = &[
    ("src_chronicle", "The Daily Chronicle", "2025-06-01", "en"),
    ("src_wire", "World Wire Service", "2025-05-15", "en"),
    ("src_akhbar", "صحيفة الأخبار اليومية", "2025-04-28", "ar"),
    ("src_sharq", "وكالة أنباء الشرق", "early 2025-03", "ar"),
    ("src_monde", "Le Monde Synthétique", "2025-02", "fr"),
    ("src_archive", "National Archive Digest", "2024-Q4", "en"),
    ("src_almasaa", "المساء", "late 2024", "ar"),
];

/// The kinds of entity with their shares (out of 1000).
const KIND_SHARES: &[(Kind, u64)] = &[
    (Kind::Person, 550),
    (Kind::Organization, 180),
    (Kind::City, 140),
    (Kind::Event, 110),
    (Kind::Country, 20),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Person,
    Country,
    City,
    Organization,
    Event,
}

impl Kind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Kind::Person => "person",
            Kind::Country => "country",
            Kind::City => "city",
            Kind::Organization => "organization",
            Kind::Event => "event",
        }
    }
}

/// A generated name in Latin script, with its Arabic spelling.
pub(crate) struct Spelled {
    pub(crate) latin: String,
    pub(crate) arabic: String,
}

/// A Latin word with its first letter in upper case.
fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A word of `min..=max` syllables, in both scripts.
fn spell_word(rng: &mut SplitMix64, min: u64, max: u64) -> Spelled {
    let count = min + rng.below(max - min + 1);
    let mut latin = String::new();
    let mut arabic = String::new();
    for _ in 0..count {
        let (l, a) = rng.pick(SYLLABLES);
        latin.push_str(l);
        arabic.push_str(a);
    }
    Spelled {
        latin: capitalised(&latin),
        arabic,
    }
}

/// A variant Latin spelling of a name, as transliterations differ; `None` if no rule applies.
fn variant_spelling(name: &str) -> Option<String> {
    const RULES: &[(&str, &str)] = &[
        ("k", "q"),
        ("u", "ou"),
        ("i", "y"),
        ("sh", "ch"),
        ("a", "e"),
    ];
    RULES.iter().find_map(|(from, to)| {
        // Only change letters after the first, so the variant keeps its capital.
        let (head, tail) = name.split_at(name.chars().next().map_or(0, char::len_utf8));
        tail.contains(from)
            .then(|| format!("{head}{}", tail.replacen(from, to, 1)))
    })
}

/// A display name and 1–3 aliases for an entity of `kind`.
pub(crate) fn name_entity(rng: &mut SplitMix64, kind: Kind) -> (Spelled, Vec<String>) {
    let with_arabic = rng.chance(0.5);
    let mut candidates: Vec<String> = Vec::new();
    let mut arabic_candidates: Vec<String> = Vec::new();
    let spelled = match kind {
        Kind::Person => {
            let first = spell_word(rng, 2, 2);
            let last = spell_word(rng, 2, 3);
            let initial = first.latin.chars().next().unwrap_or('X');
            candidates.push(last.latin.clone());
            candidates.push(format!("{initial}. {}", last.latin));
            arabic_candidates.push(format!("{} {}", first.arabic, last.arabic));
            arabic_candidates.push(last.arabic.clone());
            Spelled {
                latin: format!("{} {}", first.latin, last.latin),
                arabic: format!("{} {}", first.arabic, last.arabic),
            }
        }
        Kind::City | Kind::Country => {
            let stem = spell_word(rng, 2, 3);
            let (l, a) = if kind == Kind::City {
                rng.pick(CITY_SUFFIXES)
            } else {
                rng.pick(COUNTRY_SUFFIXES)
            };
            let latin = format!("{}{l}", stem.latin);
            let arabic = format!("{}{a}", stem.arabic);
            if kind == Kind::Country {
                candidates.push(format!("Republic of {latin}"));
                arabic_candidates.push(format!("جمهورية {arabic}"));
            } else {
                candidates.push(format!("{latin} City"));
            }
            arabic_candidates.push(arabic.clone());
            Spelled { latin, arabic }
        }
        Kind::Organization | Kind::Event => {
            let stem = spell_word(rng, 2, 3);
            let patterns = if kind == Kind::Organization {
                ORG_PATTERNS
            } else {
                EVENT_PATTERNS
            };
            let (word, arabic_word, stem_first) = *rng.pick(patterns);
            let latin = if stem_first {
                format!("{} {word}", stem.latin)
            } else {
                format!("{word} {}", stem.latin)
            };
            let arabic = format!("{arabic_word} {}", stem.arabic);
            if kind == Kind::Organization {
                let initials: String = latin
                    .split_whitespace()
                    .filter_map(|w| w.chars().next())
                    .filter(|c| c.is_uppercase())
                    .collect();
                if initials.chars().count() > 1 {
                    candidates.push(initials);
                }
            }
            candidates.push(stem.latin.clone());
            arabic_candidates.push(arabic.clone());
            Spelled { latin, arabic }
        }
    };
    if let Some(variant) = variant_spelling(&spelled.latin) {
        candidates.push(variant);
    }
    if with_arabic {
        // Arabic first, so an entity that has Arabic aliases keeps at least one.
        arabic_candidates.append(&mut candidates);
        candidates = arabic_candidates;
    }
    let wanted = 1 + rng.below(3) as usize;
    let mut aliases: Vec<String> = Vec::with_capacity(wanted);
    for candidate in candidates {
        if aliases.len() == wanted {
            break;
        }
        if candidate != spelled.latin && !aliases.contains(&candidate) {
            aliases.push(candidate);
        }
    }
    if aliases.is_empty() {
        // Every entity has at least one alias: its Arabic spelling.
        aliases.push(spelled.arabic.clone());
    }
    (spelled, aliases)
}

/// The kind of entity `index`: hubs alternate country and person, others by share.
pub(crate) fn pick_kind(rng: &mut SplitMix64, hub_rank: Option<usize>) -> Kind {
    if let Some(rank) = hub_rank {
        return if rank % 2 == 0 {
            Kind::Country
        } else {
            Kind::Person
        };
    }
    let mut roll = rng.below(1000);
    for &(kind, share) in KIND_SHARES {
        if roll < share {
            return kind;
        }
        roll -= share;
    }
    Kind::Person
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{args, lines, run};
    use std::collections::HashMap;

    #[test]
    fn entities_have_names_and_one_to_three_aliases_some_arabic() {
        let (text, _) = run(&args(2000, 10, 5));
        let mut arabic = 0;
        let mut kinds: HashMap<String, usize> = HashMap::new();
        for entity in lines(&text).iter().filter(|v| v["type"] == "entity") {
            assert!(!entity["name"].as_str().expect("name").is_empty());
            let aliases = entity["aliases"].as_array().expect("aliases");
            assert!((1..=3).contains(&aliases.len()), "{entity}");
            if aliases.iter().any(|a| {
                a.as_str()
                    .expect("alias")
                    .chars()
                    .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
            }) {
                arabic += 1;
            }
            *kinds
                .entry(entity["kind"].as_str().expect("kind").to_string())
                .or_default() += 1;
        }
        assert!((800..=1200).contains(&arabic), "arabic: {arabic}");
        assert!(kinds["person"] > kinds["organization"]);
        assert!(kinds["country"] >= 10);
        assert_eq!(kinds.len(), 5);
    }

    #[test]
    fn variant_spelling_keeps_the_capital() {
        assert_eq!(variant_spelling("Kakari").as_deref(), Some("Kaqari"));
        assert_eq!(variant_spelling("Oo"), None);
    }
}
