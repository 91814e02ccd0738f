//! Time filters and their periods: dates, `today`, ranges, parameters and labels as day
//! bounds.

// One part of the resolver: its state, types and imports are the parent module's.
use super::*;

impl Resolver<'_> {
    pub(super) fn filters(
        &self,
        filters: &[ast::TimeFilter],
        labels: &LabelScope<'_, '_>,
    ) -> Result<Vec<Filter>, PlanError> {
        filters.iter().map(|f| self.filter(f, labels)).collect()
    }

    pub(super) fn filter(
        &self,
        f: &ast::TimeFilter,
        labels: &LabelScope<'_, '_>,
    ) -> Result<Filter, PlanError> {
        use ast::TimeFilterKind as T;
        let span_test = |certainly: bool| {
            if certainly {
                FilterTest::Within
            } else {
                FilterTest::Overlaps
            }
        };
        let period = |p: &ast::Period| self.period_at(p, labels, 0);
        let (test, (lo, hi)) = match &f.kind {
            T::In(p) | T::On(p) => (span_test(f.certainly), period(p)?),
            T::Within(p) => (FilterTest::Within, period(p)?),
            T::Since(p) => (span_test(f.certainly), (period(p)?.0, Bound::Day(POS_INF))),
            T::Until(p) => (span_test(f.certainly), (Bound::Day(NEG_INF), period(p)?.1)),
            T::Between(a, b) => {
                let lo = period(a)?.0;
                let hi = period(b)?.1;
                if let (Bound::Day(lo), Bound::Day(hi)) = (lo, hi) {
                    if lo > hi {
                        return Err(PlanError::new(
                            K::EmptyPeriod {
                                text: format!("{a} and {b}"),
                            },
                            f.span,
                        ));
                    }
                }
                (span_test(f.certainly), (lo, hi))
            }
            T::AsOf(p) => (
                if f.certainly {
                    FilterTest::CertainlyAsOf
                } else {
                    FilterTest::AsOf
                },
                period(p)?,
            ),
            T::Before(p) => (
                if f.certainly {
                    FilterTest::CertainlyBefore
                } else {
                    FilterTest::Before
                },
                period(p)?,
            ),
            T::After(p) => (
                if f.certainly {
                    FilterTest::CertainlyAfter
                } else {
                    FilterTest::After
                },
                period(p)?,
            ),
        };
        Ok(Filter { test, lo, hi })
    }

    /// A period's first and last day, or for `@label` the labelled relation's earliest
    /// start and latest end.
    pub(super) fn period_at(
        &self,
        p: &ast::Period,
        labels: &LabelScope<'_, '_>,
        depth: usize,
    ) -> Result<(Bound, Bound), PlanError> {
        match &p.kind {
            ast::PeriodKind::Today => Ok((Bound::Day(self.today), Bound::Day(self.today))),
            ast::PeriodKind::Date { part, text } => {
                let full = match part {
                    None => text.clone(),
                    Some(ast::Part::Early) => format!("early {text}"),
                    Some(ast::Part::Mid) => format!("mid {text}"),
                    Some(ast::Part::Late) => format!("late {text}"),
                };
                // Relative words (`"last November"`) count from today.
                let context = time::DateContext::at(Some(self.today));
                let expr = time::resolve_date(&full, &context)
                    .map(|r| r.expr)
                    .map_err(|e| {
                        PlanError::new(
                            K::BadDate {
                                text: full.clone(),
                                reason: e.to_string(),
                            },
                            p.span,
                        )
                    })?;
                let (lo, hi) = expr.range();
                Ok((Bound::Day(lo), Bound::Day(hi)))
            }
            ast::PeriodKind::Range { from, to } => {
                let lo = match from {
                    Some(a) => self.period_at(a, labels, depth + 1)?.0,
                    None => Bound::Day(NEG_INF),
                };
                let hi = match to {
                    Some(b) => self.period_at(b, labels, depth + 1)?.1,
                    None => Bound::Day(POS_INF),
                };
                if let (Bound::Day(lo), Bound::Day(hi)) = (lo, hi) {
                    if lo > hi {
                        return Err(PlanError::new(
                            K::EmptyPeriod {
                                text: p.to_string(),
                            },
                            p.span,
                        ));
                    }
                }
                Ok((lo, hi))
            }
            ast::PeriodKind::Param(name) => match self.binding(name, p.span)? {
                Binding::Placeholder => Ok((Bound::Day(NEG_INF), Bound::Day(POS_INF))),
                Binding::Value(ast::Arg {
                    kind: ast::ArgKind::Period(inner),
                    ..
                }) if depth < MAX_RUN_DEPTH => self.period_at(&inner, labels, depth + 1),
                Binding::Value(_) => Err(PlanError::new(
                    K::ParameterMismatch {
                        name: name.clone(),
                        expected: "a period",
                    },
                    p.span,
                )),
            },
            ast::PeriodKind::Label(name) => {
                let n = labels.relation(name, p.span)?;
                Ok((Bound::StartOf(n), Bound::EndOf(n)))
            }
        }
    }
}
