//! The spill: units in, the same units back in input order. It sits between ingest and scoring.
//!
//! A run writes every unit, in postcard's compact binary form after its length (four bytes, little-endian),
//! to an unnamed temporary file in the output directory. (JSON lines cost a run of a million comments about
//! a second more to write and read back: every text is escaped and unescaped.) This
//! lets it read its input once (stdin included), rebuild reply threads over the whole corpus, and then
//! score in bounded batches, so that memory does not grow with the text of the corpus. The operating
//! system deletes the file when the run ends, whether or not it succeeds.

use crate::error::{Error, Result};
use crate::model::Unit;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// Units written so far, readable from the start as often as needed.
pub struct Spill {
    w: BufWriter<File>,
    /// The unit being written, encoded.
    buf: Vec<u8>,
    /// Named in errors: the directory that holds the unnamed file.
    at: PathBuf,
}

impl Spill {
    /// Creates the temporary file in `dir`.
    pub fn create(dir: &Path) -> Result<Spill> {
        let at = dir.join("(temporary unit spill)");
        let file = tempfile::tempfile_in(dir).map_err(|source| Error::Write {
            path: at.clone(),
            source,
        })?;
        Ok(Spill {
            w: BufWriter::with_capacity(1 << 16, file),
            buf: Vec::new(),
            at,
        })
    }

    /// Appends a unit.
    pub fn push(&mut self, u: &Unit) -> Result<()> {
        self.buf.clear();
        let buf = postcard::to_extend(u, std::mem::take(&mut self.buf))
            .map_err(|e| std::io::Error::other(e.to_string()));
        let written = buf.and_then(|buf| {
            self.buf = buf;
            // A unit's text is refused long before 4 GiB (ingest's --max-text-bytes is far lower).
            let len = u32::try_from(self.buf.len()).map_err(std::io::Error::other)?;
            self.w.write_all(&len.to_le_bytes())?;
            self.w.write_all(&self.buf)
        });
        written.map_err(|source| Error::Write {
            path: self.at.clone(),
            source,
        })
    }

    /// Every unit written, from the first.
    pub fn units(&mut self) -> Result<impl Iterator<Item = Result<Unit>> + '_> {
        let read = |source| Error::Read {
            path: self.at.clone(),
            source,
        };
        self.w.flush().map_err(read)?;
        let mut f: &File = self.w.get_ref();
        f.seek(SeekFrom::Start(0)).map_err(read)?;
        let at = &self.at;
        let mut r = BufReader::with_capacity(1 << 16, f);
        let mut buf = Vec::new();
        Ok(std::iter::from_fn(move || {
            let err = |source| Error::Read {
                path: at.clone(),
                source,
            };
            let mut len = [0u8; 4];
            match r.read_exact(&mut len) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return None,
                Err(e) => return Some(Err(err(e))),
            }
            buf.resize(u32::from_le_bytes(len) as usize, 0);
            Some(
                r.read_exact(&mut buf)
                    .and_then(|()| {
                        postcard::from_bytes(&buf).map_err(|e| std::io::Error::other(e.to_string()))
                    })
                    .map_err(err),
            )
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;

    #[test]
    fn units_come_back_unchanged_and_can_be_read_twice() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Spill::create(dir.path()).unwrap();
        let units = vec![
            Unit {
                id: "a".into(),
                kind: Some(Kind::Comment),
                author: Some(String::new()),
                text: "two\nlines, \"quoted\" \u{0} and é".into(),
                line: 7,
                ..Unit::default()
            },
            Unit::default(),
            // Every field set, and long: lengths of two and three bytes, numbers of ten.
            Unit {
                id: "i".repeat(300),
                doc_id: "d".repeat(200),
                kind: Some(Kind::Paragraph),
                author: Some("a".repeat(20_000)),
                date: Some("2018-06-21T10:00:00Z".into()),
                parent_id: Some("p".repeat(130)),
                depth: u32::MAX,
                thread_root: Some("r".repeat(128)),
                source: "s".repeat(70_000),
                line: u64::MAX,
                text: "t\u{e9}".repeat(100_000),
            },
        ];
        for u in &units {
            s.push(u).unwrap();
        }
        for _ in 0..2 {
            let back: Vec<Unit> = s.units().unwrap().map(Result::unwrap).collect();
            assert_eq!(back, units);
        }
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "no named file left"
        );
    }
}
