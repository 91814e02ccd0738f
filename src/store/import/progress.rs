//! Progress: the `Progress` wrapper of the caller's [`ImportProgress`] callback, and how
//! often it is told.

use super::{ImportOptions, ImportProgress};

/// The import's progress as the caller asked to be told of it, if at all.
pub(super) struct Progress<'a>(Option<&'a dyn ImportProgress>);

impl<'a> Progress<'a> {
    pub(super) fn new(opts: ImportOptions<'a>) -> Progress<'a> {
        Progress(opts.progress)
    }

    pub(super) fn set(&self, bytes: u64) {
        if let Some(p) = self.0 {
            p.read(bytes);
        }
    }

    pub(super) fn finish(&self) {
        if let Some(p) = self.0 {
            p.finish();
        }
    }
}

/// How often (in records) the progress bar is updated.
pub(super) const PROGRESS_EVERY: u64 = 4096;
