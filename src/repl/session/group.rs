//! When a script's writes are committed: the writes of a script (piped input, `-c`,
//! `.read`) that arrive together go into one group of changes (`Store::begin_group`),
//! committed before the session would wait for more input, before anything but a write
//! runs, and at least every [`WINDOW`]. Each write stays a change of its own; what a
//! group saves is the commit (the log's pages written and synced once for the group).

use std::io::{self, BufRead, BufReader, Read};
use std::time::{Duration, Instant};

use super::Session;

/// The longest a group stays open: another writer waits at most this long (and the
/// statement that runs) for a script's lock, well within the 5 s a writer waits; a
/// killed script loses at most this much of the input it had read (and not yet said it
/// recorded). Longer groups share more of what they write: an add into a large store
/// splits a leaf of each relation index, and the group's commit writes each page once
/// (BENCHMARKS.md, "Writes and history", fifth round, compares windows).
pub const WINDOW: Duration = Duration::from_secs(2);

/// Input that can tell, without waiting, whether a whole line is ready to be read.
pub trait Buffered: BufRead {
    /// True when the next line can be read without waiting for the writer of the input.
    fn line_ready(&self) -> bool;
}

impl<R: Read> Buffered for BufReader<R> {
    fn line_ready(&self) -> bool {
        self.buffer().contains(&b'\n')
    }
}

/// Text held whole (`-c`): nothing to wait for.
impl Buffered for &[u8] {
    fn line_ready(&self) -> bool {
        true
    }
}

/// Standard input through a buffer the session can look into.
pub struct StdinInput(BufReader<io::StdinLock<'static>>);

impl StdinInput {
    pub fn new(capacity: usize) -> StdinInput {
        StdinInput(BufReader::with_capacity(capacity, io::stdin().lock()))
    }
}

impl Read for StdinInput {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }
}

impl BufRead for StdinInput {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.0.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        self.0.consume(amount)
    }
}

impl Buffered for StdinInput {
    /// A line in the buffer, or bytes waiting behind it: a file never makes its reader
    /// wait, and a pipe only when its writer has sent nothing more yet.
    fn line_ready(&self) -> bool {
        self.0.line_ready() || stdin_waiting()
    }
}

/// True when reading standard input would not wait (`poll` with no timeout).
#[cfg(unix)]
fn stdin_waiting() -> bool {
    use rustix::event::{poll, PollFd, PollFlags, Timespec};
    let stdin = io::stdin();
    let mut fds = [PollFd::new(&stdin, PollFlags::IN)];
    let now = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    poll(&mut fds, Some(&now)).is_ok_and(|n| n > 0)
}

/// Without `poll`, every wait for more input commits first.
#[cfg(not(unix))]
fn stdin_waiting() -> bool {
    false
}

/// Reads one line of `input` without its end (`\n` or `\r\n`); None at the end.
pub fn read_line(input: &mut impl BufRead) -> std::io::Result<Option<String>> {
    let mut line = String::new();
    if input.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    if line.ends_with('\n') {
        line.pop();
        if line.ends_with('\r') {
            line.pop();
        }
    }
    Ok(Some(line))
}

/// A session's grouping of its script's writes.
#[derive(Debug, Default)]
pub struct Grouping {
    /// Writes are grouped (a script); off in an interactive session.
    pub on: bool,
    /// When the open group was opened.
    opened: Option<Instant>,
    /// The writes in the open group.
    writes: usize,
    /// What the session will say once the group is committed, in order.
    said: Vec<String>,
    /// A group could not be committed: writes the script ran are not recorded.
    pub lost: bool,
}

impl Session {
    /// Says `message` on stderr, after what the open group's writes said (they are said
    /// when the group is committed, so that nothing is said of a write not yet recorded).
    pub(super) fn say(&mut self, message: String) {
        if self.grouping.said.is_empty() && !self.store.borrow().in_group() {
            eprintln!("{message}");
        } else {
            self.grouping.said.push(message);
        }
    }

    /// Opens a group for a script's write, or counts the write into the open one. False
    /// (said on stderr) when no group can be opened.
    pub(super) fn join_group(&mut self) -> bool {
        if !self.store.borrow().in_group() {
            let opened = self.store.borrow_mut().begin_group();
            if let Err(e) = opened {
                self.say(format!("error: {e}"));
                return false;
            }
            self.grouping.opened = Some(Instant::now());
            self.grouping.writes = 0;
        }
        self.grouping.writes += 1;
        true
    }

    /// Commits the open group, then says what its writes said; if it cannot be
    /// committed, says so instead (none of its writes was recorded) and returns false.
    pub(super) fn commit_group(&mut self) -> bool {
        let writes = std::mem::take(&mut self.grouping.writes);
        self.grouping.opened = None;
        let ended = self.store.borrow_mut().end_group();
        let said = std::mem::take(&mut self.grouping.said);
        match ended {
            Ok(()) => {
                for message in said {
                    eprintln!("{message}");
                }
                true
            }
            Err(e) => {
                eprintln!(
                    "error: {e}: the script's last {writes} write statement(s) are not recorded \
                     (what they said is not printed); run them again"
                );
                self.grouping.lost = true;
                false
            }
        }
    }

    /// True when the open group has been open for [`WINDOW`].
    pub(super) fn group_due(&self) -> bool {
        self.grouping.opened.is_some_and(|t| t.elapsed() >= WINDOW)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_ready_only_when_its_end_is_buffered() {
        let mut r = BufReader::new(&b"add a\nadd b"[..]);
        assert!(!r.line_ready(), "nothing read yet");
        assert_eq!(read_line(&mut r).unwrap().as_deref(), Some("add a"));
        assert!(!r.line_ready(), "the rest has no end of line");
        assert_eq!(read_line(&mut r).unwrap().as_deref(), Some("add b"));
        assert_eq!(read_line(&mut r).unwrap(), None);
        let mut crlf = &b"x\r\ny\n"[..];
        assert_eq!(read_line(&mut crlf).unwrap().as_deref(), Some("x"));
        assert_eq!(read_line(&mut crlf).unwrap().as_deref(), Some("y"));
    }
}
