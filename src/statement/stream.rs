//! Streaming a query's rows as they arrive: in a format for programs ([`stream`]) or
//! as a table in chunks ([`stream_table`]), so that memory holds little and Ctrl-C can
//! stop the rows part way ([`TableEnd`]).

use super::{within, Error, Options, Prepared};
use crate::output;
use crate::plan::{Plan, Select};
use crate::sql::SqlQuery;
use crate::store::Store;

/// Runs a query and writes its rows to `out` as they arrive, in a streaming format
/// (JSON, JSON Lines, CSV, TSV, markdown). Gives `None`, having written nothing, when
/// the statement is not a plain query or the format needs every row first (table,
/// timeline, graphs): the caller then [`run`]s it and renders. A failure before any
/// row is written is an error as from [`run`]; after, [`TableEnd::Stopped`].
pub fn stream<W: std::io::Write>(
    store: &Store,
    prepared: &Prepared,
    opts: &Options,
    format: output::OutputFormat,
    render: &output::RenderOptions,
    out: W,
) -> Result<Option<TableEnd>, Error> {
    let Some((_, q, names)) = streamable(prepared, opts) else {
        return Ok(None);
    };
    let Some(writer) = output::RowWriter::new(format, &names, out) else {
        return Ok(None);
    };
    let mut writer = writer.with_header(!render.no_header);
    let mut fetched = 0usize;
    let result = within(&opts.deadline, || {
        opts.deadline.check()?;
        store.for_each_row::<Error>(q, |row| {
            // Ctrl-C is seen between rows too, while output is what takes the time.
            opts.deadline.check()?;
            writer.row(&row.cells)?;
            fetched += 1;
            Ok(())
        })
    });
    match result {
        Ok(()) => {
            writer.finish()?;
            Ok(Some(TableEnd::Finished))
        }
        // Nothing written yet: the statement failed as a whole.
        Err(error) if fetched == 0 => Err(error),
        // The rows written stay written (the writer flushes as it is dropped); a JSON
        // array is left open, as a sign that it is cut.
        Err(error) => Ok(Some(TableEnd::Stopped {
            rows: fetched,
            error,
        })),
    }
}

/// How rows streamed by [`stream_table`] or [`stream`] ended.
#[derive(Debug)]
pub enum TableEnd {
    /// Every row was written, and the `(N rows)` line.
    Finished,
    /// The statement stopped (Ctrl-C, `--timeout`, a failed write) after `rows` rows had
    /// been written and the table closed; the caller says so.
    Stopped { rows: usize, error: Error },
}

/// Runs a query and writes its rows to `out` as a table, in chunks as they arrive
/// ([`output::TableWriter`]), so that memory holds one chunk, not the result. Gives
/// `None`, having written nothing, when the statement is not a plain query or draws a
/// timeline or a graph: the caller then [`run`]s it and renders. A failure before any
/// row is written is an error as from [`run`].
pub fn stream_table<W: std::io::Write>(
    store: &Store,
    prepared: &Prepared,
    opts: &Options,
    render: output::RenderOptions,
    out: W,
) -> Result<Option<TableEnd>, Error> {
    let Some((select, q, names)) = streamable(prepared, opts) else {
        return Ok(None);
    };
    let out = std::io::BufWriter::new(out);
    let mut writer = output::TableWriter::new(&names, &select.repeated_columns(), render, out);
    let mut fetched = 0usize;
    let result = within(&opts.deadline, || {
        opts.deadline.check()?;
        store.for_each_row::<Error>(q, |row| {
            // Ctrl-C is seen between rows too, while output is what takes the time.
            opts.deadline.check()?;
            fetched += 1;
            Ok(writer.row(&row.cells)?)
        })
    });
    match result {
        Ok(()) => {
            writer.finish()?;
            Ok(Some(TableEnd::Finished))
        }
        // Nothing shown yet: the statement failed as a whole.
        Err(error) if fetched == 0 => Err(error),
        Err(error) => {
            let rows = writer.stop()?;
            Ok(Some(TableEnd::Stopped { rows, error }))
        }
    }
}

/// A plain query's plan, SQL and column names; `None` for what cannot stream (not a
/// plain query, a timeline, a graph).
fn streamable<'a>(
    prepared: &'a Prepared,
    opts: &Options,
) -> Option<(&'a Select, &'a SqlQuery, Vec<String>)> {
    let (Plan::Select(select), Some(q)) = (&prepared.plan, &prepared.sql) else {
        return None;
    };
    if opts.graph || select.timeline {
        return None;
    }
    Some((
        select,
        q,
        q.columns.iter().map(|c| c.name.clone()).collect(),
    ))
}
