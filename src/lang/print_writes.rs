//! Canonical text of writes and questions about the past (the rest of [`super::print`]):
//! fields and options in one order, single spaces, strings quoted, and values written
//! bare wherever they read back bare as themselves.

use super::ast::*;
use super::parse::{is_bare_dashed_word, is_bare_date_text};
use super::print::{joined, quoted, stages};
use std::fmt::{self, Display, Formatter};

impl Display for Recorded {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.kind {
            RecordedKind::On(period) => write!(f, "as recorded on {period}"),
            RecordedKind::AtChange(n) => write!(f, "as recorded at change {n}"),
        }
    }
}

impl Display for Handle {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.id)
    }
}

impl Display for Text {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        quoted(f, &self.value)
    }
}

/// A source id, a language code or an author: bare where it reads back bare.
pub(super) fn dashed_word(f: &mut Formatter<'_>, word: &str) -> fmt::Result {
    if is_bare_dashed_word(word) {
        f.write_str(word)
    } else {
        quoted(f, word)
    }
}

impl Display for DateText {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if is_bare_date_text(&self.text) {
            f.write_str(&self.text)
        } else {
            quoted(f, &self.text)
        }
    }
}

impl Display for HistoryQuery {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.target {
            HistoryTarget::Relation(handle) => write!(f, "history {handle}")?,
            HistoryTarget::Entity(entity) => write!(f, "history {entity}")?,
        }
        stages(f, &self.stages)
    }
}

impl Display for ChangesQuery {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str("changes")?;
        if let Some(since) = &self.since {
            write!(f, " since {since}")?;
        }
        if let Some(by) = &self.by {
            f.write_str(" by ")?;
            dashed_word(f, &by.value)?;
        }
        stages(f, &self.stages)
    }
}

impl Display for Lookup {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.kind {
            LookupKind::Describe(entity) => write!(f, "describe {entity}")?,
            LookupKind::Entities { kind, like } => {
                f.write_str("entities")?;
                if let Some(kind) = kind {
                    write!(f, " kind {kind}")?;
                }
                if let Some(like) = like {
                    f.write_str(" like ")?;
                    quoted(f, &like.value)?;
                }
            }
            LookupKind::Predicates => f.write_str("predicates")?,
            LookupKind::Sources => f.write_str("sources")?,
        }
        stages(f, &self.stages)
    }
}

impl Display for ChangeNumber {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "change {}", self.number)
    }
}

/// ` FIELD VALUE` for each field.
fn fields(f: &mut Formatter<'_>, fields: &[Field]) -> fmt::Result {
    for field in fields {
        write!(f, " {field}")?;
    }
    Ok(())
}

impl Display for Write {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        self.kind.fmt(f)?;
        if let Some(reason) = &self.reason {
            write!(f, " because {reason}")?;
        }
        if let WriteKind::Erase { confirm: true, .. } = self.kind {
            f.write_str(" confirm")?;
        }
        Ok(())
    }
}

/// The write without its reason (and without `confirm`, which follows the reason).
impl Display for WriteKind {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            WriteKind::AddRelation {
                subject,
                predicate,
                new_predicate,
                object,
                fields: given,
            } => {
                write!(f, "add {subject} ")?;
                if *new_predicate {
                    f.write_str("new ")?;
                }
                write!(f, "{predicate} {object}")?;
                fields(f, given)
            }
            WriteKind::AddEntity {
                id,
                kind,
                name,
                aliases,
                weak_aliases,
                note,
            } => {
                write!(f, "add entity {id} {kind} {name}")?;
                if !aliases.is_empty() {
                    f.write_str(" aka ")?;
                    joined(f, aliases, ", ")?;
                }
                if !weak_aliases.is_empty() {
                    f.write_str(" weak ")?;
                    joined(f, weak_aliases, ", ")?;
                }
                if let Some(note) = note {
                    write!(f, " note {note}")?;
                }
                Ok(())
            }
            WriteKind::AddPredicate {
                id,
                label,
                symmetric,
                description,
            } => {
                write!(f, "add predicate {id}")?;
                if let Some(label) = label {
                    write!(f, " label {label}")?;
                }
                if *symmetric {
                    f.write_str(" symmetric")?;
                }
                if let Some(description) = description {
                    write!(f, " description {description}")?;
                }
                Ok(())
            }
            WriteKind::AddSource {
                id,
                title,
                fields: given,
            } => {
                f.write_str("add source ")?;
                dashed_word(f, &id.name)?;
                if let Some(title) = title {
                    write!(f, " {title}")?;
                }
                fields(f, given)
            }
            WriteKind::Alias {
                entity,
                names,
                weak,
            } => {
                write!(f, "alias {entity} ")?;
                joined(f, names, ", ")?;
                if *weak {
                    f.write_str(" weak")?;
                }
                Ok(())
            }
            WriteKind::Unalias { entity, names } => {
                write!(f, "unalias {entity} ")?;
                joined(f, names, ", ")
            }
            WriteKind::Rename { entity, name } => write!(f, "rename {entity} {name}"),
            WriteKind::Correct { id, fields: given } => {
                write!(f, "correct {id}")?;
                fields(f, given)
            }
            WriteKind::CorrectSource { id, fields: given } => {
                f.write_str("correct source ")?;
                dashed_word(f, &id.name)?;
                fields(f, given)
            }
            WriteKind::Retract { target, all } => {
                match target {
                    RetractTarget::Handle(id) => write!(f, "retract {id}")?,
                    RetractTarget::Pattern {
                        clause,
                        fields: given,
                    } => {
                        write!(f, "retract {clause}")?;
                        fields(f, given)?;
                    }
                }
                if *all {
                    f.write_str(" all")?;
                }
                Ok(())
            }
            WriteKind::Merge { from, into } => write!(f, "merge {from} into {into}"),
            WriteKind::Unmerge { entity } => write!(f, "unmerge {entity}"),
            WriteKind::Undo { change: None } => f.write_str("undo"),
            WriteKind::Undo {
                change: Some(change),
            } => write!(f, "undo {change}"),
            WriteKind::Erase { id, .. } => write!(f, "erase {id}"),
        }
    }
}

impl Display for Field {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{} ", self.kind.word())?;
        match &self.kind {
            FieldKind::When(date)
            | FieldKind::From(date)
            | FieldKind::To(date)
            | FieldKind::At(date)
            | FieldKind::Published(date)
            | FieldKind::Reported(date) => date.fmt(f),
            FieldKind::Status(word) | FieldKind::Predicate(word) => word.fmt(f),
            FieldKind::Place(entity) | FieldKind::Subject(entity) | FieldKind::Object(entity) => {
                entity.fmt(f)
            }
            FieldKind::Source(word) | FieldKind::Lang(word) => dashed_word(f, &word.name),
            FieldKind::Quote(text)
            | FieldKind::Note(text)
            | FieldKind::Url(text)
            | FieldKind::Title(text) => text.fmt(f),
            FieldKind::Confidence { text, .. } => f.write_str(text),
        }
    }
}
