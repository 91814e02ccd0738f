//! The SHA-256 of an imported file, computed as its bytes stream past (the change log
//! records it as the import's origin): a reader that hashes what is consumed from it.

use std::io::{self, BufRead, Read};

use sha2::{Digest, Sha256};

/// A buffered reader that hashes every byte read or consumed through it, once.
pub(super) struct Digesting<R> {
    inner: R,
    hasher: Sha256,
}

impl<R: BufRead> Digesting<R> {
    pub(super) fn new(inner: R) -> Digesting<R> {
        Digesting {
            inner,
            hasher: Sha256::new(),
        }
    }

    /// The hex SHA-256 of the bytes read so far (the whole file once it was read to its
    /// end).
    pub(super) fn finish(&mut self) -> String {
        let digest = std::mem::take(&mut self.hasher).finalize();
        crate::store::db::hex_digits(&digest)
            .map(char::from)
            .collect()
    }
}

impl<R: BufRead> Read for Digesting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Digesting<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        // `amt` bytes of the buffer `fill_buf` returned are consumed: they are still in
        // the buffer, so asking for it again reads nothing from the source.
        if amt > 0 {
            if let Ok(buf) = self.inner.fill_buf() {
                self.hasher.update(&buf[..amt.min(buf.len())]);
            }
        }
        self.inner.consume(amt);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    #[test]
    fn lines_and_reads_hash_every_byte_once() {
        let text = "one\r\ntwo\n\nthree without end";
        let mut lines = Digesting::new(io::BufReader::with_capacity(4, text.as_bytes()));
        let mut line = String::new();
        while lines.read_line(&mut line).unwrap() > 0 {}
        assert_eq!(lines.finish(), hex(text.as_bytes()));

        let mut reads = Digesting::new(io::BufReader::with_capacity(3, text.as_bytes()));
        let mut first = [0u8; 5];
        reads.read_exact(&mut first).unwrap();
        let mut rest = Vec::new();
        reads.read_to_end(&mut rest).unwrap();
        assert_eq!(reads.finish(), hex(text.as_bytes()));
        assert_eq!(hex(b""), Digesting::new(io::empty()).finish());
    }
}
