//! The export stage: scored units and aggregate tables in, CSV files out.
//!
//! UTF-8, RFC 4180, a header row and a fixed column order (documented in the README). `excel` adds a BOM
//! and CRLF line ends. Text cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`,
//! `@`, tab or carriage return) get a leading `'` (OWASP CSV injection); numbers are written as numbers.

use crate::error::{Result, write_err};
use crate::ingest::Reject;
use crate::model::{Scored, sentiment_label};
use std::borrow::Cow;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// How CSV is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Dialect {
    /// BOM and CRLF, for spreadsheet programs that need them.
    pub excel: bool,
}

/// A CSV writer on a file, remembering the path for errors.
pub struct CsvFile {
    path: PathBuf,
    w: csv::Writer<Box<dyn Write>>,
}

impl CsvFile {
    /// Creates `path` and writes the header.
    pub fn create(path: &Path, dialect: Dialect, header: &[&str]) -> Result<CsvFile> {
        let file = File::create(path).map_err(write_err(path))?;
        CsvFile::new(Box::new(BufWriter::new(file)), path, dialect, header)
    }

    /// Wraps any writer (stdout for `score`).
    pub fn new(
        mut out: Box<dyn Write>,
        path: &Path,
        dialect: Dialect,
        header: &[&str],
    ) -> Result<CsvFile> {
        if dialect.excel {
            out.write_all(b"\xEF\xBB\xBF").map_err(write_err(path))?;
        }
        let terminator = if dialect.excel {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        };
        let w = csv::WriterBuilder::new()
            .terminator(terminator)
            .from_writer(out);
        let mut f = CsvFile {
            path: path.to_path_buf(),
            w,
        };
        f.row(header.iter().map(|h| Cow::Borrowed(*h)))?;
        Ok(f)
    }

    /// Writes one row of already-formatted cells.
    pub fn row<'a>(&mut self, cells: impl IntoIterator<Item = Cow<'a, str>>) -> Result<()> {
        let cells: Vec<Cow<str>> = cells.into_iter().collect();
        self.w
            .write_record(cells.iter().map(|c| c.as_bytes()))
            .map_err(|e| self.err(e))
    }

    fn err(&self, e: csv::Error) -> crate::Error {
        let words = e.to_string();
        let source = match e.into_kind() {
            csv::ErrorKind::Io(io) => io,
            _ => std::io::Error::other(words),
        };
        write_err(&self.path)(source)
    }

    /// Flushes the file.
    pub fn finish(mut self) -> Result<()> {
        self.w.flush().map_err(write_err(&self.path))
    }
}

/// A text cell, neutralised against formula injection.
pub fn text(s: &str) -> Cow<'_, str> {
    // A lone character ("-" for stdin) cannot be a formula; anything longer that starts like one might be.
    if s.len() > 1 && s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// A number cell: shortest exact form, no negative zero, empty for NaN.
pub fn num(x: f64) -> Cow<'static, str> {
    if x.is_nan() {
        return Cow::Borrowed("");
    }
    let x = if x == 0.0 { 0.0 } else { x };
    Cow::Owned(format!("{x}"))
}

/// A number rounded to 6 decimals, for derived statistics (means, shares).
pub fn stat(x: f64) -> Cow<'static, str> {
    num(crate::pystr::round(x, 6))
}

/// The five VADER cells every scored row carries: neg, neu, pos, compound, and the sentiment label.
fn polarity_cells(p: crate::vader::Polarity) -> [Cow<'static, str>; 5] {
    [
        num(p.neg),
        num(p.neu),
        num(p.pos),
        num(p.compound),
        Cow::Borrowed(sentiment_label(p.compound)),
    ]
}

fn int(x: impl ToString) -> Cow<'static, str> {
    Cow::Owned(x.to_string())
}

/// The fixed columns of units.csv before the per-target stance columns.
pub const UNIT_COLUMNS: [&str; 16] = [
    "id",
    "doc_id",
    "kind",
    "author",
    "date",
    "parent_id",
    "depth",
    "thread_root",
    "source",
    "line",
    "neg",
    "neu",
    "pos",
    "compound",
    "sentiment",
    "sentiment_explanation",
];

/// units.csv's header for these targets: the first target's columns are `stance`, `stance_score`,
/// `stance_confidence`, `stance_cues`; later targets' carry `_<id>`; then `quoted` and `text`.
pub fn unit_header(targets: &[String]) -> Vec<String> {
    let mut h: Vec<String> = UNIT_COLUMNS
        .iter()
        .map(std::string::ToString::to_string)
        .collect();
    for (k, t) in targets.iter().enumerate() {
        let suffix = if k == 0 {
            String::new()
        } else {
            format!("_{t}")
        };
        for c in ["stance", "stance_score", "stance_confidence", "stance_cues"] {
            h.push(format!("{c}{suffix}"));
        }
    }
    h.push("quoted".into());
    h.push("text".into());
    h
}

/// The per-unit files: units.csv, sentences.csv, stance_cues.csv and entity_mentions.csv, open for
/// writing batch by batch, so that a run never holds all its scored units.
pub struct UnitFiles {
    units: CsvFile,
    sentences: CsvFile,
    cues: CsvFile,
    mentions: CsvFile,
}

/// The files [`UnitFiles`] writes, in the order they are listed.
pub const UNIT_FILES: [&str; 4] = [
    "units.csv",
    "sentences.csv",
    "stance_cues.csv",
    "entity_mentions.csv",
];

const SENTENCE_COLUMNS: [&str; 9] = [
    "unit_id",
    "sentence",
    "neg",
    "neu",
    "pos",
    "compound",
    "sentiment",
    "quote",
    "text",
];

const CUE_COLUMNS: [&str; 9] = [
    "unit_id", "sentence", "target", "cue", "pole", "matched", "weight", "negated", "contrast",
];

const MENTION_COLUMNS: [&str; 10] = [
    "unit_id",
    "entity",
    "alias",
    "sentence",
    "neg",
    "neu",
    "pos",
    "compound",
    "sentiment",
    "window",
];

impl UnitFiles {
    /// Creates the four files in `dir` and writes their headers; `targets` are the target ids.
    pub fn create(dir: &Path, targets: &[String], dialect: Dialect) -> Result<UnitFiles> {
        let header = unit_header(targets);
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let open = |k: usize, h: &[&str]| CsvFile::create(&dir.join(UNIT_FILES[k]), dialect, h);
        Ok(UnitFiles {
            units: open(0, &header)?,
            sentences: open(1, &SENTENCE_COLUMNS)?,
            cues: open(2, &CUE_COLUMNS)?,
            mentions: open(3, &MENTION_COLUMNS)?,
        })
    }

    /// Writes one scored unit's rows to each file.
    pub fn write(&mut self, s: &Scored) -> Result<()> {
        unit_row(&mut self.units, s)?;
        sentence_rows(&mut self.sentences, s)?;
        cue_rows(&mut self.cues, s)?;
        mention_rows(&mut self.mentions, s)
    }

    /// Flushes the four files.
    pub fn finish(self) -> Result<()> {
        self.units.finish()?;
        self.sentences.finish()?;
        self.cues.finish()?;
        self.mentions.finish()
    }
}

/// units.csv: one row per unit.
fn unit_row(f: &mut CsvFile, s: &Scored) -> Result<()> {
    let u = s.unit();
    let opt = |o: &Option<String>| text(o.as_deref().unwrap_or("")).into_owned();
    let mut cells: Vec<Cow<str>> = vec![
        text(&u.id),
        text(&u.doc_id),
        Cow::Borrowed(u.kind().as_str()),
        opt(&u.author).into(),
        opt(&u.date).into(),
        opt(&u.parent_id).into(),
        int(u.depth),
        opt(&u.thread_root).into(),
        text(&u.source),
        int(u.line),
    ];
    cells.extend(polarity_cells(s.polarity));
    cells.push(text(&s.explanation));
    for st in &s.stances {
        cells.push(Cow::Borrowed(st.label.as_str()));
        cells.push(stat(st.score));
        cells.push(stat(st.confidence));
        cells.push(Cow::Owned(
            text(&crate::model::describe_cues(&st.cues)).into_owned(),
        ));
    }
    cells.push(Cow::Owned(text(&s.prepared.quoted()).into_owned()));
    cells.push(text(&s.prepared.text));
    f.row(cells)
}

/// sentences.csv: the VADER score of every sentence of the unit.
fn sentence_rows(f: &mut CsvFile, s: &Scored) -> Result<()> {
    for sent in &s.sentences {
        f.row(
            [text(&s.unit().id), int(sent.index)]
                .into_iter()
                .chain(polarity_cells(sent.polarity))
                .chain([
                    Cow::Borrowed(if sent.quote { "true" } else { "false" }),
                    text(&s.prepared.text[sent.range.0..sent.range.1]),
                ]),
        )?;
    }
    Ok(())
}

/// stance_cues.csv: one row per cue that fired, per target.
fn cue_rows(f: &mut CsvFile, s: &Scored) -> Result<()> {
    for st in &s.stances {
        for c in &st.cues {
            f.row([
                text(&s.unit().id),
                int(c.sentence),
                text(&st.target),
                text(&c.phrase),
                Cow::Borrowed(c.pole.as_str()),
                text(&c.matched),
                stat(c.weight),
                Cow::Borrowed(if c.negated { "true" } else { "false" }),
                c.contrast.map_or(Cow::Borrowed(""), stat),
            ])?;
        }
    }
    Ok(())
}

/// entity_mentions.csv: one row per entity mention with the VADER score of its clause.
fn mention_rows(f: &mut CsvFile, s: &Scored) -> Result<()> {
    for m in &s.mentions {
        f.row(
            [
                text(&s.unit().id),
                text(&m.entity),
                text(&m.alias),
                int(m.sentence),
            ]
            .into_iter()
            .chain(polarity_cells(m.polarity))
            .chain([text(&m.window)]),
        )?;
    }
    Ok(())
}

/// Writes rejects.csv: every record that was not scored, and why.
pub fn rejects(path: &Path, rejects: &[Reject], dialect: Dialect) -> Result<()> {
    let mut f = CsvFile::create(path, dialect, &["source", "line", "field", "reason"])?;
    for r in rejects {
        f.row([
            text(&r.source),
            int(r.line),
            text(&r.field),
            text(&r.reason),
        ])?;
    }
    f.finish()
}

/// Aggregate tables as CSV and Parquet: part of `run`'s outputs, built with the `report` feature.
#[cfg(feature = "report")]
mod tables {
    use super::{CsvFile, Dialect, stat, text};
    use crate::aggregate::Table;
    use crate::error::{Result, write_err};
    use polars::prelude::AnyValue;
    use std::borrow::Cow;
    use std::fs::File;
    use std::io::BufWriter;
    use std::path::Path;

    /// Formats one polars value as a cell.
    pub fn cell(v: &AnyValue) -> Cow<'static, str> {
        match v {
            AnyValue::Null => Cow::Borrowed(""),
            AnyValue::String(s) => Cow::Owned(text(s).into_owned()),
            AnyValue::StringOwned(s) => Cow::Owned(text(s).into_owned()),
            AnyValue::Float64(x) => stat(*x),
            AnyValue::Float32(x) => stat(f64::from(*x)),
            AnyValue::Boolean(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
            other => Cow::Owned(other.to_string()),
        }
    }

    /// Writes an aggregate table as Parquet, with the same columns and rows as its CSV: Snappy-compressed
    /// pages with statistics, format version 1, as polars' own writer would with `compression="snappy"`.
    pub fn parquet(path: &Path, t: &Table) -> Result<()> {
        use polars::prelude::{CompatLevel, SchemaExt};
        use polars_parquet::write::{
            CompressionOptions, FileWriter, StatisticsOptions, Version, WriteOptions,
            get_dtype_encoding, row_group_iter, to_parquet_schema,
        };
        let fail = |source| crate::Error::Aggregate {
            table: t.name.to_string(),
            source,
        };
        let file = File::create(path).map_err(write_err(path))?;
        let mut df = t.df.clone();
        df.rechunk_mut();
        let schema = df.schema().to_arrow(CompatLevel::newest());
        let parquet_schema = to_parquet_schema(&schema).map_err(fail)?;
        let options = WriteOptions {
            statistics: StatisticsOptions::default(),
            compression: CompressionOptions::Snappy,
            version: Version::V1,
            data_page_size: None,
        };
        let encodings: Vec<_> = schema
            .iter_values()
            .map(|f| get_dtype_encoding(&f.dtype))
            .collect();
        let mut writer = FileWriter::new_with_parquet_schema(
            BufWriter::new(file),
            schema,
            parquet_schema.clone(),
            options,
        );
        for batch in df.iter_chunks(CompatLevel::newest(), false) {
            let rows = batch.len() as u64;
            let group = row_group_iter(
                batch,
                encodings.clone().into(),
                parquet_schema.fields().to_vec(),
                options,
            );
            writer.write(rows, group).map_err(fail)?;
        }
        writer.end(None).map_err(fail)?;
        writer
            .into_inner()
            .into_inner()
            .map_err(std::io::IntoInnerError::into_error)
            .and_then(|f| f.sync_all())
            .map_err(write_err(path))
    }

    /// Writes an aggregate table.
    pub fn table(path: &Path, t: &Table, dialect: Dialect) -> Result<()> {
        let names: Vec<&str> =
            t.df.get_column_names()
                .into_iter()
                .map(polars::prelude::PlSmallStr::as_str)
                .collect();
        let mut f = CsvFile::create(path, dialect, &names)?;
        for row in 0..t.df.height() {
            let cells: Vec<Cow<str>> =
                t.df.columns()
                    .iter()
                    .map(|c| c.get(row).map_or(Cow::Borrowed(""), |v| cell(&v)))
                    .collect();
            f.row(cells)?;
        }
        f.finish()
    }
}
#[cfg(feature = "report")]
pub use tables::{cell, parquet, table};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_numbers_are_not() {
        assert_eq!(text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(text("-1 for this"), "'-1 for this");
        assert_eq!(text("@here"), "'@here");
        assert_eq!(text("fine"), "fine");
        assert_eq!(text("-"), "-");
        assert_eq!(num(-0.5), "-0.5");
        assert_eq!(num(-0.0), "0");
        assert_eq!(num(f64::NAN), "");
    }

    #[test]
    fn excel_dialect_has_bom_and_crlf() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.csv");
        let mut f = CsvFile::create(&p, Dialect { excel: true }, &["a", "b"]).unwrap();
        f.row([text("1"), text("x,y")]).unwrap();
        f.finish().unwrap();
        assert_eq!(
            std::fs::read(&p).unwrap(),
            b"\xEF\xBB\xBFa,b\r\n1,\"x,y\"\r\n"
        );
    }
}
