//! Output columns: the names LANGUAGE.md gives them, where their values come from, and
//! how each pipeline stage changes them.

use super::Stage;

/// Where a column's values come from in the clauses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnSource {
    /// `x`: the display name of entity variable number n.
    EntityName(usize),
    /// `x.id`
    EntityId(usize),
    /// `r`: the id of predicate variable number n.
    Predicate(usize),
    /// A field of relation clause `clause` (numbered as in [`super::Select`]): of the
    /// query's only relation clause, or of a labelled one (`@v.when`).
    Relation { clause: usize, field: RelField },
    /// `count` made by a count stage.
    Count,
    /// Column n of the stage before (after a stage has reshaped the rows).
    Previous(usize),
}

/// The fields of a relation as columns: those a query with exactly one relation clause
/// gives, and those a label gives (`@v.when`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelField {
    Subject,
    Predicate,
    Object,
    When,
    Start,
    End,
    Status,
    Source,
    Quote,
    /// The relation's permanent id (`#412`).
    Id,
    /// The display name of its place.
    Place,
    Note,
    Confidence,
    /// The instant its version was recorded (given when a stage names it).
    Recorded,
    /// Who recorded its version (given when a stage names it).
    RecordedBy,
}

impl RelField {
    pub const ALL: [RelField; 13] = [
        RelField::Subject,
        RelField::Predicate,
        RelField::Object,
        RelField::When,
        RelField::Start,
        RelField::End,
        RelField::Status,
        RelField::Source,
        RelField::Quote,
        RelField::Id,
        RelField::Place,
        RelField::Note,
        RelField::Confidence,
    ];

    /// Columns a one-clause query gives only when a stage names them (`| show
    /// recorded`): each costs a lookup in the change log per row.
    pub const ON_REQUEST: [RelField; 2] = [RelField::Recorded, RelField::RecordedBy];

    pub fn name(self) -> &'static str {
        match self {
            RelField::Subject => "subject",
            RelField::Predicate => "predicate",
            RelField::Object => "object",
            RelField::When => "when",
            RelField::Start => "start",
            RelField::End => "end",
            RelField::Status => "status",
            RelField::Source => "source",
            RelField::Quote => "quote",
            RelField::Id => "id",
            RelField::Place => "place",
            RelField::Note => "note",
            RelField::Confidence => "confidence",
            RelField::Recorded => "recorded",
            RelField::RecordedBy => "recorded_by",
        }
    }
}

impl RelField {
    /// Every field, on request ones included: what a label gives (`@v.recorded`).
    pub fn every() -> impl Iterator<Item = RelField> {
        RelField::ALL.into_iter().chain(RelField::ON_REQUEST)
    }

    /// How the field's values are shown.
    pub fn column_type(self) -> ColumnType {
        match self {
            RelField::Start | RelField::End => ColumnType::Day,
            RelField::Id => ColumnType::Handle,
            _ => ColumnType::Text,
        }
    }

    /// The column of this field of the clause labelled `label` (`@v.when`).
    pub fn labelled_name(self, label: &str) -> String {
        format!("@{label}.{}", self.name())
    }
}

/// How the values of a column are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    Text,
    Integer,
    /// A day number: shown as `YYYY-MM-DD`, null where unknown or infinite; sorts by date.
    Day,
    /// A relation's id ([`crate::value::Value::Handle`]).
    Handle,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnDef {
    pub name: String,
    pub source: ColumnSource,
    pub ty: ColumnType,
}

/// The columns after `stage`, given those before it.
pub fn after_stage(before: &[ColumnDef], stage: &Stage) -> Vec<ColumnDef> {
    let carried = |i: usize| ColumnDef {
        name: before[i].name.clone(),
        source: ColumnSource::Previous(i),
        ty: before[i].ty,
    };
    match stage {
        Stage::Show(cols) => cols.iter().map(|&i| carried(i)).collect(),
        Stage::Count(by) => {
            let mut cols: Vec<ColumnDef> = by.iter().map(|&i| carried(i)).collect();
            cols.push(ColumnDef {
                name: "count".into(),
                source: ColumnSource::Count,
                ty: ColumnType::Integer,
            });
            cols
        }
        Stage::Sort(_) | Stage::Limit(_) | Stage::Distinct => {
            (0..before.len()).map(carried).collect()
        }
    }
}
