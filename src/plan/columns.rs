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
    /// A field of the query's only relation clause.
    Relation(RelField),
    /// `count` made by a count stage.
    Count,
    /// Column n of the stage before (after a stage has reshaped the rows).
    Previous(usize),
}

/// The relation columns a query with exactly one relation clause gives.
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
    /// The instant its version was recorded (given when a stage names it).
    Recorded,
    /// Who recorded its version (given when a stage names it).
    RecordedBy,
}

impl RelField {
    pub const ALL: [RelField; 10] = [
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
            RelField::Recorded => "recorded",
            RelField::RecordedBy => "recorded_by",
        }
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
