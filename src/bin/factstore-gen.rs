//! factstore-gen: a deterministic generator of synthetic benchmark data in factstore's
//! JSON Lines import format (see `shared/spec/DATA.md`).
//!
//! It writes sources, predicates, entities (names from syllables, aliases in Latin and
//! Arabic script) and skewed relations (a few hub entities take a large share; the rest
//! follow a power law), with dates mixed like real data. The same arguments always give
//! byte-identical output: randomness comes from a seeded splitmix64 generator.
//! After generating, it writes a small JSON manifest naming entities, a predicate and a
//! year that are useful for benchmark queries (to `--manifest FILE`, else to stderr).

use factstore::output::file::OutputFile;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use std::process::ExitCode;

use anyhow::Context;
use clap::{CommandFactory, Parser};
use serde::Serialize;

/// Command-line arguments of the generator.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "factstore-gen",
    about = "Generate deterministic synthetic benchmark data (JSON Lines) for factstore"
)]
struct GenArgs {
    /// Number of entities.
    #[arg(long, default_value_t = 100_000)]
    entities: u64,
    /// Number of relations.
    #[arg(long, default_value_t = 1_000_000)]
    relations: u64,
    /// Number of predicates (about 20% of them symmetric).
    #[arg(long, default_value_t = 50)]
    predicates: u64,
    /// Seed of the pseudo-random generator: the same seed gives the same output.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Number of hub entities that together take part in about 30% of relations.
    #[arg(long, default_value_t = 20)]
    hubs: u64,
    /// Output file (JSON Lines); standard output if not given or `-`.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Write the manifest (JSON) to this file instead of standard error.
    #[arg(long)]
    manifest: Option<PathBuf>,
}

impl GenArgs {
    /// Checks that the numbers make a possible data set.
    fn validate(&self) -> Result<(), String> {
        if self.entities < 2 {
            return Err(format!(
                "--entities is {}: at least 2 are needed, since a relation's subject and \
                 object must differ",
                self.entities
            ));
        }
        if self.predicates < 1 {
            return Err("--predicates is 0: at least 1 is needed".to_string());
        }
        if self.hubs > self.entities {
            return Err(format!(
                "--hubs ({}) is larger than --entities ({}): use at most as many hubs as \
                 entities",
                self.hubs, self.entities
            ));
        }
        Ok(())
    }
}

/// splitmix64: a small, fast, seedable pseudo-random generator.
struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    fn new(seed: u64) -> Self {
        SplitMix64 { state: seed }
    }

    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A float uniformly in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// An integer uniformly in [0, n); 0 when n is 0.
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// True with probability p.
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

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
const ASYMMETRIC_LABELS: &[(&str, &str)] = &[
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
const SYMMETRIC_LABELS: &[(&str, &str)] = &[
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
const SOURCES: &[(&str, &str, &str, &str)] = &[
    ("src_chronicle", "The Daily Chronicle", "2025-06-01", "en"),
    ("src_wire", "World Wire Service", "2025-05-15", "en"),
    ("src_akhbar", "صحيفة الأخبار اليومية", "2025-04-28", "ar"),
    ("src_sharq", "وكالة أنباء الشرق", "early 2025-03", "ar"),
    ("src_monde", "Le Monde Synthétique", "2025-02", "fr"),
    ("src_archive", "National Archive Digest", "2024-Q4", "en"),
    ("src_almasaa", "المساء", "late 2024", "ar"),
];

const FIRST_YEAR: u32 = 1990;
const LAST_YEAR: u32 = 2025;

/// The kinds of entity with their shares (out of 1000).
const KIND_SHARES: &[(Kind, u64)] = &[
    (Kind::Person, 550),
    (Kind::Organization, 180),
    (Kind::City, 140),
    (Kind::Event, 110),
    (Kind::Country, 20),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Person,
    Country,
    City,
    Organization,
    Event,
}

impl Kind {
    fn as_str(self) -> &'static str {
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
struct Spelled {
    latin: String,
    arabic: String,
}

/// What a relation needs to know of an entity when it is generated.
struct EntityCard {
    name: String,
    arabic: Option<String>,
}

/// A predicate as generated.
struct PredicateCard {
    id: String,
    label: String,
    arabic: &'static str,
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
fn name_entity(rng: &mut SplitMix64, kind: Kind) -> (Spelled, Vec<String>) {
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

/// A cumulative distribution over indices with weights 1/(i+1)^exponent.
struct PowerLawTable {
    cumulative: Vec<f64>,
}

impl PowerLawTable {
    fn new(len: usize, exponent: f64) -> Self {
        let mut total = 0.0;
        let cumulative = (0..len)
            .map(|i| {
                total += 1.0 / ((i + 1) as f64).powf(exponent);
                total
            })
            .collect();
        PowerLawTable { cumulative }
    }

    fn sample(&self, rng: &mut SplitMix64) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let target = rng.unit() * total;
        let index = self.cumulative.partition_point(|&c| c <= target);
        index.min(self.cumulative.len().saturating_sub(1))
    }
}

/// Draws entities with a power law over ranks (continuous inverse CDF, weight ∝
/// rank^-0.6), ranks mapped to ids by a fixed permutation so that high-degree entities
/// are spread over the id range.
struct EntityPicker {
    count: u64,
    alpha: f64,
    top: f64,
    multiplier: u64,
    offset: u64,
}

impl EntityPicker {
    /// 1 - s, where s is the power law's exponent.
    const ALPHA: f64 = 0.4;

    fn new(count: u64, rng: &mut SplitMix64) -> Self {
        let mut multiplier = (count / 2 + rng.below(count / 2 + 1)) | 1;
        while gcd(multiplier, count) != 1 {
            multiplier += 1;
        }
        EntityPicker {
            count,
            alpha: Self::ALPHA,
            top: ((count + 1) as f64).powf(Self::ALPHA),
            multiplier,
            offset: rng.below(count),
        }
    }

    fn pick(&self, rng: &mut SplitMix64) -> u64 {
        let u = rng.unit();
        let rank = (1.0 + u * (self.top - 1.0)).powf(1.0 / self.alpha) as u64;
        let rank = rank.saturating_sub(1).min(self.count - 1);
        ((u128::from(rank) * u128::from(self.multiplier) + u128::from(self.offset))
            % u128::from(self.count)) as u64
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

fn is_leap(year: u32) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A year in 1990–2025, more recent years more likely (as in a news archive).
fn pick_year(rng: &mut SplitMix64) -> u32 {
    let span = f64::from(LAST_YEAR - FIRST_YEAR + 1);
    let offset = (rng.unit().powf(0.6) * span) as u32;
    FIRST_YEAR + offset.min(LAST_YEAR - FIRST_YEAR)
}

fn pick_day(rng: &mut SplitMix64, year: u32, month: u32) -> u32 {
    1 + rng.below(u64::from(days_in_month(year, month))) as u32
}

fn pick_month(rng: &mut SplitMix64) -> u32 {
    1 + rng.below(12) as u32
}

/// How the time of a relation is given.
#[derive(Debug, Clone, PartialEq, Eq)]
enum RelationTime {
    /// `when: X`
    When(String),
    /// `from: A`, `to: B` where B may be `..`
    Span { from: String, to: String },
    /// No time.
    Undated,
}

/// The first year the time mentions, for the manifest; `None` if undated.
fn start_year(time: &RelationTime) -> Option<u32> {
    let text = match time {
        RelationTime::When(x) => x,
        RelationTime::Span { from, .. } => from,
        RelationTime::Undated => return None,
    };
    text.split(|c: char| !c.is_ascii_digit())
        .find(|part| part.len() == 4)
        .and_then(|part| part.parse().ok())
}

/// A date expression for the start of a span in `year`: a year, a month, a day, or a
/// fuzzy part of a year; with the month from which a later expression in the same year
/// may start (13 if none can).
fn span_start(rng: &mut SplitMix64, year: u32) -> (String, u32) {
    match rng.below(8) {
        0 => (format!("{year}"), 13),
        1 | 2 => {
            let month = pick_month(rng);
            (format!("{year}-{month:02}"), month + 1)
        }
        3 => {
            let month = pick_month(rng);
            let day = pick_day(rng, year, month);
            (format!("{year}-{month:02}-{day:02}"), month + 1)
        }
        4 => {
            let (word, next) = *rng.pick(&[("early", 5), ("mid", 9), ("late", 13)]);
            (format!("{word} {year}"), next)
        }
        5 => {
            let quarter = 1 + rng.below(4) as u32;
            (format!("{year}-Q{quarter}"), quarter * 3 + 1)
        }
        6 => {
            let half = 1 + rng.below(2) as u32;
            (format!("{year}-H{half}"), half * 6 + 1)
        }
        _ => {
            let month = pick_month(rng);
            let (word, _) = *rng.pick(&[("early", 0), ("mid", 1), ("late", 2)]);
            (format!("{word} {year}-{month:02}"), month + 1)
        }
    }
}

/// A date expression for the end of a span: in `year`, starting no earlier than month
/// `first_month`.
fn span_end(rng: &mut SplitMix64, year: u32, first_month: u32) -> String {
    let first_month = first_month.clamp(1, 12);
    let month = first_month + rng.below(u64::from(13 - first_month)) as u32;
    match rng.below(6) {
        0 if first_month == 1 => format!("{year}"),
        0..=2 => format!("{year}-{month:02}"),
        3 => format!("{year}-{month:02}-{:02}", pick_day(rng, year, month)),
        4 if first_month <= 9 && month >= 7 => format!("late {year}"),
        _ => {
            let quarter = (month - 1) / 3 + 1;
            if (quarter - 1) * 3 + 1 >= first_month {
                format!("{year}-Q{quarter}")
            } else {
                format!("{year}-{month:02}")
            }
        }
    }
}

/// The time of a relation: 60% days, 20% months, 15% spans, 5% undated.
fn pick_time(rng: &mut SplitMix64) -> RelationTime {
    let roll = rng.below(100);
    if roll < 60 {
        let year = pick_year(rng);
        let month = pick_month(rng);
        let day = pick_day(rng, year, month);
        RelationTime::When(format!("{year}-{month:02}-{day:02}"))
    } else if roll < 80 {
        let year = pick_year(rng);
        let month = pick_month(rng);
        RelationTime::When(format!("{year}-{month:02}"))
    } else if roll < 95 {
        let year = pick_year(rng);
        let (from, next_month) = span_start(rng, year);
        let to = if rng.chance(0.1) {
            "..".to_string()
        } else if next_month <= 12 && (year == LAST_YEAR || rng.chance(0.3)) {
            span_end(rng, year, next_month)
        } else if year < LAST_YEAR {
            let extra = 1 + rng.below(u64::from((LAST_YEAR - year).min(6))) as u32;
            span_end(rng, year + extra, 1)
        } else {
            "..".to_string()
        };
        RelationTime::Span { from, to }
    } else {
        RelationTime::Undated
    }
}

/// Named entities and figures for benchmark queries, computed while generating.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct Manifest {
    seed: u64,
    entities: u64,
    relations: u64,
    predicates: u64,
    /// The two entities with most relations (subject or object).
    hubs: Vec<EntityFigure>,
    /// An entity at the 90th percentile of degree: tens of relations, not thousands.
    mid: EntityFigure,
    /// The predicate with most relations.
    predicate: PredicateFigure,
    /// The year in which most relations start.
    year: YearFigure,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
struct EntityFigure {
    id: String,
    name: String,
    /// Relations where it is subject or object.
    degree: u64,
    /// Relations where it is subject.
    out_degree: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
struct PredicateFigure {
    id: String,
    label: String,
    count: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
struct YearFigure {
    year: u32,
    count: u64,
}

fn entity_id(index: u64) -> String {
    format!("e{index:07}")
}

/// Writes one JSON string (escaped by serde_json).
fn write_json_str<W: Write>(out: &mut W, text: &str) -> io::Result<()> {
    serde_json::to_writer(&mut *out, text).map_err(io::Error::other)
}

/// The kind of entity `index`: hubs alternate country and person, others by share.
fn pick_kind(rng: &mut SplitMix64, hub_rank: Option<usize>) -> Kind {
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

/// Generates the whole data set into `out` and returns the manifest.
fn generate<W: Write>(args: &GenArgs, out: &mut W) -> io::Result<Manifest> {
    let mut rng = SplitMix64::new(args.seed);

    // Sources.
    for (id, title, published, lang) in SOURCES {
        write!(out, "{{\"type\":\"source\",\"id\":\"{id}\",\"title\":")?;
        write_json_str(out, title)?;
        writeln!(
            out,
            ",\"published\":\"{published}\",\"lang\":\"{lang}\",\"note\":\"synthetic source \
             (factstore-gen)\"}}"
        )?;
    }

    // Predicates: every fifth one symmetric.
    let mut predicates: Vec<PredicateCard> = Vec::with_capacity(args.predicates as usize);
    let (mut symmetric_used, mut asymmetric_used) = (0usize, 0usize);
    for index in 0..args.predicates {
        let symmetric = index % 5 == 1;
        let (table, used) = if symmetric {
            (SYMMETRIC_LABELS, &mut symmetric_used)
        } else {
            (ASYMMETRIC_LABELS, &mut asymmetric_used)
        };
        let (base, arabic) = table[*used % table.len()];
        let round = *used / table.len();
        *used += 1;
        let label = if round == 0 {
            base.to_string()
        } else {
            format!("{base} ({})", round + 1)
        };
        let id = format!("p{index:03}");
        write!(out, "{{\"type\":\"predicate\",\"id\":\"{id}\",\"label\":")?;
        write_json_str(out, &label)?;
        writeln!(out, ",\"symmetric\":{symmetric}}}")?;
        predicates.push(PredicateCard { id, label, arabic });
    }

    // Hubs: distinct entities drawn at random; hub rank 0 is the heaviest.
    let mut hubs: Vec<u64> = Vec::with_capacity(args.hubs as usize);
    while (hubs.len() as u64) < args.hubs {
        let candidate = rng.below(args.entities);
        if !hubs.contains(&candidate) {
            hubs.push(candidate);
        }
    }
    let mut hub_rank_of: Vec<Option<usize>> = vec![None; args.entities as usize];
    for (rank, &hub) in hubs.iter().enumerate() {
        hub_rank_of[hub as usize] = Some(rank);
    }

    // Entities.
    let mut cards: Vec<EntityCard> = Vec::with_capacity(args.entities as usize);
    let mut cities: Vec<u64> = Vec::new();
    for index in 0..args.entities {
        let kind = pick_kind(&mut rng, hub_rank_of[index as usize]);
        let (spelled, aliases) = name_entity(&mut rng, kind);
        write!(
            out,
            "{{\"type\":\"entity\",\"id\":\"{}\",\"kind\":\"{}\",\"name\":",
            entity_id(index),
            kind.as_str()
        )?;
        write_json_str(out, &spelled.latin)?;
        out.write_all(b",\"aliases\":[")?;
        for (i, alias) in aliases.iter().enumerate() {
            if i > 0 {
                out.write_all(b",")?;
            }
            write_json_str(out, alias)?;
        }
        out.write_all(b"]}\n")?;
        let has_arabic = aliases
            .iter()
            .any(|a| a.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)));
        if kind == Kind::City {
            cities.push(index);
        }
        cards.push(EntityCard {
            name: spelled.latin,
            arabic: has_arabic.then_some(spelled.arabic),
        });
    }

    // Relations.
    let picker = EntityPicker::new(args.entities, &mut rng);
    let hub_table = PowerLawTable::new(hubs.len(), 1.0);
    let predicate_table = PowerLawTable::new(predicates.len(), 0.8);
    let mut degree = vec![0u64; args.entities as usize];
    let mut out_degree = vec![0u64; args.entities as usize];
    let mut predicate_count = vec![0u64; predicates.len()];
    let mut year_count = vec![0u64; (LAST_YEAR - FIRST_YEAR + 1) as usize];
    let mut quote = String::new();
    for _ in 0..args.relations {
        let (subject, object) = if !hubs.is_empty() && rng.chance(0.3) {
            let hub = hubs[hub_table.sample(&mut rng)];
            let mut other = picker.pick(&mut rng);
            while other == hub {
                other = picker.pick(&mut rng);
            }
            if rng.chance(0.5) {
                (hub, other)
            } else {
                (other, hub)
            }
        } else {
            let subject = picker.pick(&mut rng);
            let mut object = picker.pick(&mut rng);
            while object == subject {
                object = picker.pick(&mut rng);
            }
            (subject, object)
        };
        let predicate_index = predicate_table.sample(&mut rng);
        let predicate = &predicates[predicate_index];
        let time = pick_time(&mut rng);
        let status_roll = rng.below(100);
        let status = match status_roll {
            0..=2 => Some("planned"),
            3 => Some("alleged"),
            _ => None,
        };
        let place = (!cities.is_empty() && rng.chance(0.1)).then(|| *rng.pick(&cities));
        let (source, _, _, lang) = *rng.pick(SOURCES);

        degree[subject as usize] += 1;
        degree[object as usize] += 1;
        out_degree[subject as usize] += 1;
        predicate_count[predicate_index] += 1;
        if let Some(year) = start_year(&time) {
            year_count[(year - FIRST_YEAR) as usize] += 1;
        }

        write!(
            out,
            "{{\"type\":\"relation\",\"subject\":\"{}\",\"predicate\":\"{}\",\"object\":\"{}\"",
            entity_id(subject),
            predicate.id,
            entity_id(object)
        )?;
        match &time {
            RelationTime::When(when) => write!(out, ",\"when\":\"{when}\"")?,
            RelationTime::Span { from, to } => write!(out, ",\"from\":\"{from}\",\"to\":\"{to}\"")?,
            RelationTime::Undated => {}
        }
        if let Some(status) = status {
            write!(out, ",\"status\":\"{status}\"")?;
        }
        if let Some(place) = place {
            write!(out, ",\"place\":\"{}\"", entity_id(place))?;
        }
        write!(out, ",\"source\":\"{source}\",\"quote\":")?;
        quote.clear();
        let (s, o) = (&cards[subject as usize], &cards[object as usize]);
        match (lang, &s.arabic, &o.arabic) {
            ("ar", Some(s_ar), Some(o_ar)) => {
                quote.push_str(s_ar);
                quote.push(' ');
                quote.push_str(predicate.arabic);
                quote.push(' ');
                quote.push_str(o_ar);
            }
            _ => {
                quote.push_str(&s.name);
                quote.push(' ');
                quote.push_str(&predicate.label);
                quote.push(' ');
                quote.push_str(&o.name);
            }
        }
        write_json_str(out, &quote)?;
        out.write_all(b"}\n")?;
    }
    out.flush()?;

    Ok(build_manifest(
        args,
        &cards,
        &degree,
        &out_degree,
        &predicates,
        &predicate_count,
        &year_count,
    ))
}

/// Chooses the benchmark figures from the counts gathered while generating.
fn build_manifest(
    args: &GenArgs,
    cards: &[EntityCard],
    degree: &[u64],
    out_degree: &[u64],
    predicates: &[PredicateCard],
    predicate_count: &[u64],
    year_count: &[u64],
) -> Manifest {
    let figure = |index: usize| EntityFigure {
        id: entity_id(index as u64),
        name: cards[index].name.clone(),
        degree: degree[index],
        out_degree: out_degree[index],
    };
    // Entities by degree, highest first; ties by id so the order is deterministic.
    let mut by_degree: Vec<usize> = (0..cards.len()).collect();
    by_degree.sort_by(|&a, &b| degree[b].cmp(&degree[a]).then(a.cmp(&b)));
    let hubs = by_degree.iter().take(2).map(|&i| figure(i)).collect();
    // The 90th percentile of entities that have relations, preferring one that is a
    // subject (q1 reads outgoing relations).
    let connected = by_degree.iter().filter(|&&i| degree[i] > 0).count();
    let start = connected / 10;
    let mid_index = by_degree[start.min(by_degree.len() - 1)..]
        .iter()
        .copied()
        .find(|&i| out_degree[i] > 0)
        .unwrap_or(by_degree[start.min(by_degree.len() - 1)]);
    let (predicate_index, &count) = predicate_count
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(&a.0)))
        .unwrap_or((0, &0));
    let (year_index, &year_total) = year_count
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(&a.0)))
        .unwrap_or((0, &0));
    Manifest {
        seed: args.seed,
        entities: args.entities,
        relations: args.relations,
        predicates: args.predicates,
        hubs,
        mid: figure(mid_index),
        predicate: PredicateFigure {
            id: predicates[predicate_index].id.clone(),
            label: predicates[predicate_index].label.clone(),
            count,
        },
        year: YearFigure {
            year: FIRST_YEAR + year_index as u32,
            count: year_total,
        },
    }
}

/// Generates as the arguments say; usage errors exit with status 2, others with 1.
fn main() -> ExitCode {
    let args = GenArgs::parse();
    if let Err(error) = args.validate() {
        GenArgs::command()
            .error(clap::error::ErrorKind::ValueValidation, error)
            .exit();
    }
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("factstore-gen: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Writes the data and the manifest where the arguments say.
fn run(args: &GenArgs) -> anyhow::Result<()> {
    let manifest = match args.out.as_deref() {
        Some(path) if path.as_os_str() != "-" => {
            // Written whole or not at all: a failed run leaves an earlier file as it was.
            let mut file = OutputFile::create(path, None)?;
            let mut writer = BufWriter::with_capacity(1 << 20, &mut file);
            let manifest = generate(args, &mut writer)
                .with_context(|| format!("cannot write to {}", path.display()))?;
            writer
                .into_inner()
                .map_err(|e| e.into_error())
                .with_context(|| format!("cannot write to {}", path.display()))?;
            file.commit()?;
            manifest
        }
        _ => {
            let stdout = io::stdout();
            let mut writer = BufWriter::with_capacity(1 << 20, stdout.lock());
            generate(args, &mut writer).context("cannot write to standard output")?
        }
    };
    let text = serde_json::to_string_pretty(&manifest)?;
    match &args.manifest {
        Some(path) => {
            let mut file = OutputFile::create(path, None)?;
            writeln!(file, "{text}")
                .with_context(|| format!("cannot write the manifest to {}", path.display()))?;
            file.commit()?;
        }
        None => eprintln!("{text}"),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{HashMap, HashSet};

    fn args(entities: u64, relations: u64, seed: u64) -> GenArgs {
        GenArgs {
            entities,
            relations,
            predicates: 50,
            seed,
            hubs: 20,
            out: None,
            manifest: None,
        }
    }

    fn run(args: &GenArgs) -> (String, Manifest) {
        let mut buffer = Vec::new();
        let manifest = generate(args, &mut buffer).expect("generation writes to a Vec");
        (
            String::from_utf8(buffer).expect("output is UTF-8"),
            manifest,
        )
    }

    fn lines(text: &str) -> Vec<serde_json::Value> {
        text.lines()
            .map(|line| serde_json::from_str(line).expect("each line is JSON"))
            .collect()
    }

    #[test]
    fn same_seed_gives_identical_output() {
        let (a, ma) = run(&args(2000, 5000, 7));
        let (b, mb) = run(&args(2000, 5000, 7));
        assert_eq!(a, b);
        assert_eq!(ma, mb);
    }

    #[test]
    fn different_seeds_give_different_output() {
        let (a, _) = run(&args(500, 1000, 1));
        let (b, _) = run(&args(500, 1000, 2));
        assert_ne!(a, b);
    }

    #[test]
    fn every_line_is_json_with_a_type_and_counts_match() {
        let (text, _) = run(&args(1000, 3000, 3));
        let mut counts: HashMap<String, usize> = HashMap::new();
        for value in lines(&text) {
            let kind = value["type"]
                .as_str()
                .expect("type is a string")
                .to_string();
            *counts.entry(kind).or_default() += 1;
        }
        assert_eq!(counts["source"], SOURCES.len());
        assert_eq!(counts["predicate"], 50);
        assert_eq!(counts["entity"], 1000);
        assert_eq!(counts["relation"], 3000);
        assert_eq!(counts.len(), 4);
    }

    #[test]
    fn references_resolve_and_subject_differs_from_object() {
        let (text, _) = run(&args(300, 5000, 4));
        let values = lines(&text);
        let ids_of = |kind: &str| -> HashSet<String> {
            values
                .iter()
                .filter(|v| v["type"] == kind)
                .map(|v| v["id"].as_str().expect("id").to_string())
                .collect()
        };
        let (entities, predicates, sources) =
            (ids_of("entity"), ids_of("predicate"), ids_of("source"));
        for rel in values.iter().filter(|v| v["type"] == "relation") {
            let subject = rel["subject"].as_str().expect("subject");
            let object = rel["object"].as_str().expect("object");
            assert_ne!(subject, object);
            assert!(entities.contains(subject) && entities.contains(object));
            assert!(predicates.contains(rel["predicate"].as_str().expect("predicate")));
            assert!(sources.contains(rel["source"].as_str().expect("source")));
            assert!(!rel["quote"].as_str().expect("quote").is_empty());
            if let Some(place) = rel.get("place") {
                assert!(entities.contains(place.as_str().expect("place")));
            }
        }
    }

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

    /// Checks a date expression the generator writes: `..`, YYYY, YYYY-MM, YYYY-MM-DD,
    /// YYYY-Qn, YYYY-Hn, `early|mid|late` YYYY or YYYY-MM; returns (year, month-or-0).
    fn check_date(text: &str) -> Option<(u32, u32)> {
        let core = ["early ", "mid ", "late "]
            .iter()
            .find_map(|p| text.strip_prefix(p))
            .unwrap_or(text);
        let parts: Vec<&str> = core.split('-').collect();
        let year: u32 = parts.first()?.parse().ok()?;
        if !(FIRST_YEAR..=LAST_YEAR + 6).contains(&year) {
            return None;
        }
        match parts.as_slice() {
            [_] => Some((year, 0)),
            [_, q] if q.starts_with('Q') || q.starts_with('H') => {
                let n: u32 = q[1..].parse().ok()?;
                let max = if q.starts_with('Q') { 4 } else { 2 };
                (1..=max).contains(&n).then_some((year, 0))
            }
            [_, m] => {
                let m: u32 = m.parse().ok()?;
                (1..=12).contains(&m).then_some((year, m))
            }
            [_, m, d] if core == text => {
                let m: u32 = m.parse().ok()?;
                let d: u32 = d.parse().ok()?;
                ((1..=12).contains(&m) && (1..=days_in_month(year, m)).contains(&d))
                    .then_some((year, m))
            }
            _ => None,
        }
    }

    #[test]
    fn date_kinds_and_statuses_have_the_right_shares() {
        let (text, _) = run(&args(5000, 10_000, 6));
        let (mut days, mut months, mut spans, mut undated, mut open) = (0, 0, 0, 0, 0);
        let (mut planned, mut alleged) = (0, 0);
        for rel in lines(&text).iter().filter(|v| v["type"] == "relation") {
            if let Some(when) = rel.get("when").and_then(|w| w.as_str()) {
                assert!(check_date(when).is_some(), "bad when {when}");
                match when.len() {
                    10 => days += 1,
                    7 => months += 1,
                    _ => panic!("unexpected when {when}"),
                }
            } else if let Some(from) = rel.get("from").and_then(|f| f.as_str()) {
                spans += 1;
                let from_date = check_date(from).unwrap_or_else(|| panic!("bad from {from}"));
                let to = rel["to"].as_str().expect("to");
                if to == ".." {
                    open += 1;
                } else {
                    let to_date = check_date(to).unwrap_or_else(|| panic!("bad to {to}"));
                    assert!(to_date.0 >= from_date.0, "{from} .. {to}");
                    if to_date.0 == from_date.0 && from_date.1 > 0 && to_date.1 > 0 {
                        assert!(to_date.1 > from_date.1, "{from} .. {to}");
                    }
                }
            } else {
                undated += 1;
            }
            match rel.get("status").and_then(|s| s.as_str()) {
                Some("planned") => planned += 1,
                Some("alleged") => alleged += 1,
                None => {}
                Some(other) => panic!("unexpected status {other}"),
            }
        }
        assert!((5500..=6500).contains(&days), "days {days}");
        assert!((1700..=2300).contains(&months), "months {months}");
        assert!((1200..=1800).contains(&spans), "spans {spans}");
        assert!((300..=700).contains(&undated), "undated {undated}");
        assert!(open > 0 && open < spans / 4, "open {open}");
        assert!((200..=400).contains(&planned), "planned {planned}");
        assert!((50..=150).contains(&alleged), "alleged {alleged}");
    }

    #[test]
    fn hubs_take_a_large_share_and_manifest_names_them() {
        let (text, manifest) = run(&args(5000, 20_000, 8));
        let mut degree: HashMap<String, u64> = HashMap::new();
        for rel in lines(&text).iter().filter(|v| v["type"] == "relation") {
            for end in ["subject", "object"] {
                *degree
                    .entry(rel[end].as_str().expect("end").to_string())
                    .or_default() += 1;
            }
        }
        let top = degree.values().copied().max().unwrap_or(0);
        assert_eq!(manifest.hubs[0].degree, top);
        assert_eq!(degree[&manifest.hubs[0].id], top);
        assert!(manifest.hubs[0].degree >= manifest.hubs[1].degree);
        // The heaviest hub alone: ~30% × 1/H_20 ≈ 8% of relations.
        assert!(top > 20_000 / 20, "top hub degree {top}");
        let mid = &manifest.mid;
        assert_eq!(degree[&mid.id], mid.degree);
        assert!(mid.degree < top / 10 && mid.out_degree > 0, "{mid:?}");
        assert!(manifest.year.count > 0);
        assert!((FIRST_YEAR..=LAST_YEAR).contains(&manifest.year.year));
        assert!(manifest.predicate.count > 20_000 / 50);
    }

    #[test]
    fn validation_refuses_impossible_sizes() {
        assert!(args(1, 10, 1).validate().is_err());
        let mut too_many_hubs = args(10, 10, 1);
        too_many_hubs.hubs = 11;
        assert!(too_many_hubs.validate().is_err());
        let mut no_predicates = args(10, 10, 1);
        no_predicates.predicates = 0;
        assert!(no_predicates.validate().is_err());
        let mut smallest = args(2, 10, 1);
        smallest.hubs = 2;
        assert!(smallest.validate().is_ok());
    }

    #[test]
    fn two_entities_and_no_hubs_still_work() {
        let mut small = args(2, 50, 9);
        small.hubs = 0;
        let (text, _) = run(&small);
        assert_eq!(lines(&text).len(), SOURCES.len() + 50 + 2 + 50);
    }

    #[test]
    fn variant_spelling_keeps_the_capital() {
        assert_eq!(variant_spelling("Kakari").as_deref(), Some("Kaqari"));
        assert_eq!(variant_spelling("Oo"), None);
    }
}
