//! Which of the relations' two tables each relation clause of a branch reads, where the
//! store has a copy of its relations by object (a store prepared for Citus,
//! docs/SCALE.md): `relation`, which Citus splits by subject, or `relation_by_object`,
//! split by object into the same shard groups. A branch whose clauses all hold one entity
//! (a fixed one, or a variable they share) reads each clause from the table split by the
//! column holding it, so Citus runs the branch on the one node of a fixed entity's
//! shards, or on every node at once with the joins inside each (no rows moved between
//! nodes); a branch with no such entity reads `relation` throughout.

use super::ident;
use crate::plan::{Bound, Node, Orientation, RelationMatch};

/// The relations' copy split by object (docs/citus_prepare.sql).
pub const COPY_BY_OBJECT: &str = "relation_by_object";

/// A clause's stored subject and object, read the way `o` gives.
pub(super) fn stored_ends(m: &RelationMatch, o: Orientation) -> (Node, Node) {
    match o {
        Orientation::Forward => (m.left, m.right),
        Orientation::Reverse => (m.right, m.left),
    }
}

/// The entity every relation clause of a branch holds, read the way `orientation`
/// gives: the first fixed one (its shards are on one node), else the first variable;
/// `None` when the clauses share none.
pub(super) fn shared_entity(
    relations: &[&RelationMatch],
    orientation: &[Orientation],
) -> Option<Node> {
    let ends: Vec<(Node, Node)> = relations
        .iter()
        .zip(orientation)
        .map(|(m, o)| stored_ends(m, *o))
        .collect();
    let in_every = |node: &Node| ends.iter().all(|(s, o)| s == node || o == node);
    let (first_subject, first_object) = *ends.first()?;
    let mut shared: Vec<Node> = [first_subject, first_object]
        .into_iter()
        .filter(|n| !matches!(n, Node::Any))
        .filter(in_every)
        .collect();
    shared.sort_by_key(|n| !n.is_fixed());
    shared.first().copied()
}

/// The first entity a relation with stored ends `(subject, object)` fixes: its rows are
/// in that entity's shard group of the table split by its column.
pub(super) fn fixed_entity(ends: (Node, Node)) -> Option<Node> {
    [ends.0, ends.1].into_iter().find(Node::is_fixed)
}

/// Where the store has the relations' copy by object: the entity the clauses of the
/// branch being compiled hold ([`shared_entity`]), if any.
#[derive(Debug, Clone, Copy)]
pub(super) struct Split {
    pub(super) shared: Option<Node>,
}

/// Whether a relation with stored ends `(subject, object)` is read from the copy by
/// object: where `by` (the entity to keep it with) is its object and not its subject.
fn reads_copy(ends: (Node, Node), by: Option<Node>) -> bool {
    by.is_some_and(|p| ends.0 != p && ends.1 == p)
}

/// What a relation with stored ends `ends` reads, `table` being what it reads unsplit:
/// the copy by object where [`reads_copy`] says so and `table` is `relation` itself
/// (the copy has its columns; a subquery of versions as recorded stays), else `table`.
pub(super) fn split_table(table: String, ends: (Node, Node), by: Option<Node>) -> String {
    if reads_copy(ends, by) && table == ident("relation") {
        ident(COPY_BY_OBJECT)
    } else {
        table
    }
}

/// Whether the first relation clause of a branch whose clauses share no entity can be
/// read on its own: it fixes an entity (its rows are on one node) and its conditions
/// name no other clause (no label's time in its filters; its variables are its own,
/// being the first).
pub(super) fn stands_alone(m: &RelationMatch) -> bool {
    (m.left.is_fixed() || m.right.is_fixed()) && !compares_with_a_label(m)
}

/// Whether a clause's time filters compare with another clause's relation (`after @a`).
pub(super) fn compares_with_a_label(m: &RelationMatch) -> bool {
    m.filters.iter().any(|f| {
        [f.lo, f.hi]
            .iter()
            .any(|b| matches!(b, Bound::StartOf(_) | Bound::EndOf(_)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::PredMatch;

    /// For each clause read the way `orientation` gives, whether it reads the copy.
    fn reads_copy_by_object(
        relations: &[&RelationMatch],
        orientation: &[Orientation],
    ) -> Vec<bool> {
        let shared = shared_entity(relations, orientation);
        relations
            .iter()
            .zip(orientation)
            .map(|(m, o)| reads_copy(stored_ends(m, *o), shared))
            .collect()
    }

    fn clause(left: Node, right: Node) -> RelationMatch {
        RelationMatch {
            left,
            right,
            predicate: PredMatch::Any,
            either: false,
            filters: Vec::new(),
            statuses: None,
            fields: Vec::new(),
        }
    }

    #[test]
    fn each_clause_reads_the_table_split_by_the_entity_all_hold() {
        use Node::{Any, Entity, Var};
        use Orientation::{Forward as F, Reverse as R};
        let one = clause(Entity(7), Var(0));
        // `E ?r ?x`: the subject's table; read the other way round, the copy.
        assert_eq!(reads_copy_by_object(&[&one], &[F]), [false]);
        assert_eq!(reads_copy_by_object(&[&one], &[R]), [true]);
        // `E ?r1 ?x, ?x ?r2 ?y`: no entity fixed in both; ?x is the first's object and
        // the second's subject.
        let two = clause(Var(0), Var(1));
        assert_eq!(reads_copy_by_object(&[&one, &two], &[F, F]), [true, false]);
        assert_eq!(reads_copy_by_object(&[&one, &two], &[R, R]), [false, true]);
        // `A -- B, A -- B` (either way round): A fixed in both, preferred to B.
        let pair = clause(Entity(1), Entity(2));
        assert_eq!(
            reads_copy_by_object(&[&pair, &pair], &[F, R]),
            [false, true]
        );
        // A fixed entity rather than a variable both hold.
        let fixed_and_var = clause(Var(0), Entity(1));
        assert_eq!(
            reads_copy_by_object(&[&fixed_and_var, &fixed_and_var], &[F, F]),
            [true, true]
        );
        // Nothing shared: `E ?r ?x, ?a ?s ?b`, or `_ p _`.
        let other = clause(Var(2), Var(3));
        assert_eq!(
            reads_copy_by_object(&[&one, &other], &[F, F]),
            [false, false]
        );
        let anything = clause(Any, Any);
        assert_eq!(reads_copy_by_object(&[&anything], &[F]), [false]);
        // A relation of an entity with itself: the subject's table.
        let itself = clause(Var(0), Var(0));
        assert_eq!(reads_copy_by_object(&[&itself], &[F]), [false]);
    }
}
