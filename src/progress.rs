//! The import progress bar on stderr (indicatif), for the command line and the REPL; the
//! library reports progress through [`crate::store::ImportProgress`] and draws nothing.

use std::io::IsTerminal;

use crate::store::ImportProgress;

/// A bar of bytes read (or a spinner when the input's size is unknown) on stderr.
pub struct ProgressBar(indicatif::ProgressBar);

impl ProgressBar {
    /// A bar for an input of `size` bytes (`None`: unknown, e.g. standard input), or
    /// `None` when stderr is not a terminal: a script's log gets no bar.
    pub fn on_stderr(size: Option<u64>) -> Option<ProgressBar> {
        if !std::io::stderr().is_terminal() {
            return None;
        }
        let target = indicatif::ProgressDrawTarget::stderr();
        let (bar, template) = match size {
            Some(total) if total > 0 => (
                indicatif::ProgressBar::with_draw_target(Some(total), target),
                "{bar:40} {bytes}/{total_bytes} {elapsed} (eta {eta})",
            ),
            _ => (
                indicatif::ProgressBar::with_draw_target(None, target),
                "{spinner} {bytes} read {elapsed}",
            ),
        };
        if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
            bar.set_style(style);
        }
        Some(ProgressBar(bar))
    }
}

impl ImportProgress for ProgressBar {
    fn read(&self, bytes: u64) {
        self.0.set_position(bytes);
    }

    fn finish(&self) {
        self.0.finish_and_clear();
    }
}
