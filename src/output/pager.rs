//! The pager, as psql has one: output for a terminal that is longer than the screen goes
//! through `$PAGER` (by default `less -SRFX`: keep colours, chop long lines, quit when it
//! all fits, leave the text on the screen), so that a long result can be read from its
//! top. Output is held until it is known to be longer than the screen; a short result is
//! printed as it is, and nothing is paged where stdout is not a terminal.

use std::io::{self, Write};
use std::process::{Child, ChildStdin, Command, Stdio};

/// The pager used when `PAGER` is not set.
const DEFAULT_PAGER: &str = "less -SRFX";

/// Where output for people goes: straight to stdout, or through the pager once it is
/// longer than the screen.
pub struct Pager {
    /// Lines the screen holds; `None`: never page.
    screen: Option<usize>,
    held: Vec<u8>,
    lines: usize,
    child: Option<(Child, ChildStdin)>,
    /// The pager was quit before the output ended: the rest is dropped.
    closed: bool,
}

impl Pager {
    /// A pager for stdout: it pages only when `enabled` (the user has not turned it off)
    /// and stdout is a terminal whose height is known.
    pub fn for_stdout(enabled: bool, stdout_is_terminal: bool) -> Pager {
        let screen = (enabled && stdout_is_terminal).then(screen_lines).flatten();
        Pager::with_screen(screen)
    }

    fn with_screen(screen: Option<usize>) -> Pager {
        Pager {
            screen,
            held: Vec::new(),
            lines: 0,
            child: None,
            closed: false,
        }
    }

    /// True once the user quit the pager before the output ended.
    pub fn closed(&self) -> bool {
        self.closed
    }

    /// Writes what is held to stdout (the output fitted the screen) or waits for the
    /// pager to be quit.
    pub fn finish(mut self) -> io::Result<()> {
        match self.child.take() {
            None => {
                let mut out = io::stdout().lock();
                out.write_all(&self.held)?;
                out.flush()
            }
            Some((mut child, stdin)) => {
                drop(stdin);
                child.wait()?;
                Ok(())
            }
        }
    }

    /// As [`Pager::finish`], but a pager the user quit before the output ended is no
    /// failure: they have seen what they wanted.
    pub fn end(self) -> io::Result<()> {
        let closed = self.closed;
        match self.finish() {
            Err(_) if closed => Ok(()),
            other => other,
        }
    }

    /// Ends output that went as `written` says: a pager quit early is no failure.
    pub fn conclude(self, written: io::Result<()>) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        written?;
        self.end()
    }

    /// Starts the pager and hands it what is held. A pager that cannot be started is
    /// said once on stderr, and the output goes to stdout.
    fn start(&mut self) -> io::Result<()> {
        let command = std::env::var("PAGER")
            .ok()
            .filter(|p| !p.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_PAGER.to_owned());
        // As psql and git do, the shell runs it: `PAGER` may hold options and quotes.
        let spawned = Command::new("sh")
            .arg("-c")
            .arg(&command)
            .stdin(Stdio::piped())
            .spawn();
        let mut child = match spawned {
            Ok(child) => child,
            Err(e) => {
                eprintln!("note: cannot start the pager `{command}` ({e}); printing instead");
                self.screen = None;
                let mut out = io::stdout().lock();
                return out.write_all(&std::mem::take(&mut self.held));
            }
        };
        let Some(mut stdin) = child.stdin.take() else {
            return Err(io::Error::other("the pager has no standard input"));
        };
        stdin.write_all(&std::mem::take(&mut self.held))?;
        self.child = Some((child, stdin));
        Ok(())
    }

    fn pass(&mut self, buf: &[u8]) -> io::Result<()> {
        if let Some((_, stdin)) = &mut self.child {
            return stdin.write_all(buf);
        }
        let Some(screen) = self.screen else {
            return io::stdout().lock().write_all(buf);
        };
        self.held.extend_from_slice(buf);
        self.lines += buf.iter().filter(|&&b| b == b'\n').count();
        // The prompt needs the last line of the screen.
        if self.lines >= screen {
            self.start()?;
        }
        Ok(())
    }
}

impl Write for Pager {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.closed {
            return Err(io::ErrorKind::BrokenPipe.into());
        }
        match self.pass(buf) {
            Ok(()) => Ok(buf.len()),
            Err(e) => {
                if e.kind() == io::ErrorKind::BrokenPipe {
                    self.closed = true;
                }
                Err(e)
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.child {
            Some((_, stdin)) => stdin.flush(),
            None if self.screen.is_none() => io::stdout().lock().flush(),
            None => Ok(()),
        }
    }
}

/// The screen's height: `LINES` when set to a number, else the terminal's.
fn screen_lines() -> Option<usize> {
    let asked = std::env::var("LINES")
        .ok()
        .and_then(|l| l.trim().parse::<usize>().ok())
        .filter(|&l| l > 0);
    asked.or_else(|| super::terminal_dimensions().map(|(_, h)| h))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_screen_nothing_is_held() {
        let mut pager = Pager::with_screen(None);
        pager.write_all(b"").unwrap();
        assert!(pager.held.is_empty());
        assert!(pager.child.is_none());
    }

    #[test]
    fn output_shorter_than_the_screen_is_held_for_stdout() {
        let mut pager = Pager::with_screen(Some(10));
        pager.write_all(b"one\ntwo\n").unwrap();
        assert_eq!(pager.lines, 2);
        assert!(pager.child.is_none());
        assert_eq!(pager.held, b"one\ntwo\n");
    }
}
