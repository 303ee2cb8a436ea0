//! The spill: units in, the same units back in input order. It sits between ingest and scoring.
//!
//! A run writes every unit, as one JSON line, to an unnamed temporary file in the output directory. This
//! lets it read its input once (stdin included), rebuild reply threads over the whole corpus, and then
//! score in bounded batches, so that memory does not grow with the text of the corpus. The operating
//! system deletes the file when the run ends, whether or not it succeeds.

use crate::error::{Error, Result};
use crate::model::Unit;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// Units written so far, readable from the start as often as needed.
pub struct Spill {
    w: BufWriter<File>,
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
            at,
        })
    }

    /// Appends a unit.
    pub fn push(&mut self, u: &Unit) -> Result<()> {
        serde_json::to_writer(&mut self.w, u)
            .map_err(std::io::Error::from)
            .and_then(|()| self.w.write_all(b"\n"))
            .map_err(|source| Error::Write {
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
        Ok(BufReader::with_capacity(1 << 16, f).lines().map(move |l| {
            let err = |source| Error::Read {
                path: at.clone(),
                source,
            };
            let l = l.map_err(err)?;
            serde_json::from_str(&l).map_err(|e| err(e.into()))
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
