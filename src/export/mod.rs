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
    w: csv::Writer<Box<dyn Write + Send>>,
}

/// The UTF-8 byte-order mark that `excel` puts first in every file.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The csv crate's writer as every file of a run is written: RFC 4180, `\n` or (excel) CRLF.
fn writer<W: Write>(dialect: Dialect, out: W) -> csv::Writer<W> {
    let terminator = if dialect.excel {
        csv::Terminator::CRLF
    } else {
        csv::Terminator::Any(b'\n')
    };
    csv::WriterBuilder::new()
        .terminator(terminator)
        .from_writer(out)
}

impl CsvFile {
    /// Creates `path` and writes the header.
    pub fn create(path: &Path, dialect: Dialect, header: &[&str]) -> Result<CsvFile> {
        let file = File::create(path).map_err(write_err(path))?;
        CsvFile::new(Box::new(BufWriter::new(file)), path, dialect, header)
    }

    /// Wraps any writer (stdout for `score`).
    pub fn new(
        mut out: Box<dyn Write + Send>,
        path: &Path,
        dialect: Dialect,
        header: &[&str],
    ) -> Result<CsvFile> {
        if dialect.excel {
            out.write_all(BOM).map_err(write_err(path))?;
        }
        let mut f = CsvFile {
            path: path.to_path_buf(),
            w: writer(dialect, out),
        };
        f.row(header.iter().map(|h| Cow::Borrowed(*h)))?;
        Ok(f)
    }

    /// Writes one row of already-formatted cells.
    pub fn row<'a>(&mut self, cells: impl IntoIterator<Item = Cow<'a, str>>) -> Result<()> {
        // Field by field, then the record's end: what `write_record` does, without collecting the cells.
        for c in cells {
            self.w.write_field(c.as_bytes()).map_err(|e| self.err(e))?;
        }
        self.w.write_record(None::<&[u8]>).map_err(|e| self.err(e))
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

/// CSV rows formatted in memory, the bytes [`CsvFile`] would write for them: `score` formats each part of
/// a batch on the pool and writes the parts in order.
pub struct Rows(RowBuf);

impl Rows {
    /// No rows yet, in `dialect`.
    pub fn new(dialect: Dialect) -> Rows {
        Rows(RowBuf::new(dialect))
    }

    /// A file's start as [`CsvFile::new`] writes it: the byte-order mark in `excel`, then the header.
    pub fn start(dialect: Dialect, header: &[&str]) -> Result<Rows> {
        RowBuf::start(dialect, header).map(Rows)
    }

    /// The rows' bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.0.out
    }

    /// Forgets the rows (once written), keeping the buffer.
    pub fn clear(&mut self) {
        self.0.out.clear();
    }

    /// Appends one row.
    pub fn row<'a>(&mut self, fields: impl IntoIterator<Item = Field<'a>>) -> Result<()> {
        self.0.row(fields)
    }
}

/// A text cell, neutralised against formula injection.
pub fn text(s: &str) -> Cow<'_, str> {
    // A lone character ("-" for stdin) cannot be a formula; anything longer that starts like one might be,
    // but a plain signed number ("-5", "+0.5e3": an id or a score kept as text) is read as that number.
    // The six marks are ASCII: the first byte says (a cheaper test than a character pattern, per cell).
    if s.len() > 1
        && matches!(s.as_bytes()[0], b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
        && !is_signed_number(s)
    {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// Whether `s` is a sign, then digits with at most one decimal point, then an optional exponent: what a
/// spreadsheet reads as a number, never as a formula.
fn is_signed_number(s: &str) -> bool {
    let b = s.as_bytes();
    let Some((&sign, rest)) = b.split_first() else {
        return false;
    };
    if !matches!(sign, b'+' | b'-') {
        return false;
    }
    let (mantissa, exponent) = match rest.iter().position(|&c| c == b'e' || c == b'E') {
        Some(k) => (&rest[..k], Some(&rest[k + 1..])),
        None => (rest, None),
    };
    let digits = mantissa.iter().filter(|c| c.is_ascii_digit()).count();
    let points = mantissa.iter().filter(|&&c| c == b'.').count();
    let mantissa_ok = digits > 0 && points <= 1 && digits + points == mantissa.len();
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e
            .strip_prefix(b"+")
            .or_else(|| e.strip_prefix(b"-"))
            .unwrap_or(e);
        !e.is_empty() && e.iter().all(u8::is_ascii_digit)
    });
    mantissa_ok && exponent_ok
}

/// A number cell: shortest exact form, no negative zero, empty for NaN.
pub fn num(x: f64) -> Cow<'static, str> {
    if x.is_nan() {
        return Cow::Borrowed("");
    }
    let mut s = String::with_capacity(24);
    push_num(&mut s, x);
    Cow::Owned(s)
}

/// [`num`] appended to `out`.
fn push_num(out: &mut String, x: f64) {
    if !x.is_nan() {
        crate::pystr::push_shortest(out, if x == 0.0 { 0.0 } else { x });
    }
}

/// A number rounded to 6 decimals, for derived statistics (means, shares).
pub fn stat(x: f64) -> Cow<'static, str> {
    num(crate::pystr::round(x, 6))
}

fn int(x: impl itoa::Integer) -> Cow<'static, str> {
    Cow::Owned(itoa::Buffer::new().format(x).to_string())
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
/// writing batch by batch, so that a run never holds all its scored units. Their rows are formatted
/// apart, on the scoring threads ([`UnitRows`]), and appended here in input order.
pub struct UnitFiles {
    /// Each file's path and writer, in the order of [`UNIT_FILES`], the header written.
    files: Vec<(PathBuf, BufWriter<File>)>,
}

/// Rows of the four per-unit files for a run of consecutive scored units, formatted as CSV (in the order
/// of [`UNIT_FILES`]), ready to be appended with [`UnitFiles::append`].
pub struct UnitRows([Vec<u8>; 4]);

/// CSV rows in memory, written as the csv crate writes them with the settings of [`CsvFile`] (RFC 4180;
/// a field is quoted when it holds a comma, a quote, `\r` or `\n`, its quotes doubled; a record of one
/// empty field is `""`). The per-unit files have about a hundred fields per unit, and the csv crate's
/// writer adds a fixed cost to each: formatting the rows took 3.5-4.2 µs per unit with it and 3.1-3.3
/// without (perf samples under `UnitRows::format`, 100 k comments, one thread). The test
/// `row_buffers_write_what_the_csv_crate_writes` holds the two to the same bytes.
struct RowBuf {
    out: Vec<u8>,
    crlf: bool,
    /// A number's digits, before they are appended: reused, so that no field allocates.
    digits: String,
}

/// A field of a row formatted in memory: text as the file holds it (made safe for spreadsheets by
/// [`text`]), or a number written in place, without a string of its own.
pub enum Field<'a> {
    /// Written as it is (quoted when it holds a comma, a quote or a line end).
    Text(Cow<'a, str>),
    /// As [`num`] writes it: nothing for NaN, `0` for -0.
    Num(f64),
    /// As Python prints a float ([`crate::pystr::py_float`]): `0.0`, `-0.4023`.
    Py(f64),
    /// A whole number.
    Int(u64),
}

impl<'a> From<Cow<'a, str>> for Field<'a> {
    fn from(c: Cow<'a, str>) -> Field<'a> {
        Field::Text(c)
    }
}

impl<'a> From<&'a str> for Field<'a> {
    fn from(s: &'a str) -> Field<'a> {
        Field::Text(Cow::Borrowed(s))
    }
}

impl<'a> Cell<'a> {
    /// The cell as a row of units.csv holds it: text made safe for spreadsheets ([`text`]), numbers as
    /// [`num`] and [`int`] write them, nothing for no value.
    fn field(&'a self) -> Field<'a> {
        match self {
            Cell::Text(t) => Field::Text(text(t)),
            Cell::Num(x) => Field::Num(*x),
            Cell::Int(n) => Field::Int(*n),
            Cell::Empty => Field::Text(Cow::Borrowed("")),
        }
    }
}

/// [`stat`] as a field.
pub fn stat_field(x: f64) -> Field<'static> {
    Field::Num(crate::pystr::round(x, 6))
}

/// A polarity's four scores and its sentiment label, as fields.
fn polarity_fields(p: crate::vader::Polarity) -> [Field<'static>; 5] {
    [
        Field::Num(p.neg),
        Field::Num(p.neu),
        Field::Num(p.pos),
        Field::Num(p.compound),
        Field::from(sentiment_label(p.compound)),
    ]
}

/// The bytes that make a field quoted (`needs_quotes` of csv-core with a `\n` or CRLF terminator).
const QUOTED: [bool; 256] = {
    let mut t = [false; 256];
    t[b',' as usize] = true;
    t[b'"' as usize] = true;
    t[b'\n' as usize] = true;
    t[b'\r' as usize] = true;
    t
};

impl RowBuf {
    fn new(dialect: Dialect) -> RowBuf {
        RowBuf {
            out: Vec::new(),
            crlf: dialect.excel,
            digits: String::new(),
        }
    }

    /// A file's start as [`CsvFile::new`] writes it: the byte-order mark in `excel`, then the header.
    fn start(dialect: Dialect, header: &[&str]) -> Result<RowBuf> {
        let mut r = RowBuf::new(dialect);
        if dialect.excel {
            r.out.extend_from_slice(BOM);
        }
        r.row(header.iter().map(|h| Field::from(*h)))?;
        Ok(r)
    }

    /// Writes one row of already-formatted cells (never fails: the `Result` is [`CsvFile::row`]'s).
    fn row<'a>(&mut self, cells: impl IntoIterator<Item = Field<'a>>) -> Result<()> {
        let start = self.out.len();
        for (k, c) in cells.into_iter().enumerate() {
            if k > 0 {
                self.out.push(b',');
            }
            let c = match c {
                Field::Text(c) => c,
                // Digits, a sign and a point (or `inf`): never quoted.
                Field::Num(x) => {
                    self.digits.clear();
                    push_num(&mut self.digits, x);
                    self.out.extend_from_slice(self.digits.as_bytes());
                    continue;
                }
                Field::Py(x) => {
                    self.digits.clear();
                    crate::pystr::push_py_float(&mut self.digits, x);
                    self.out.extend_from_slice(self.digits.as_bytes());
                    continue;
                }
                Field::Int(n) => {
                    self.out
                        .extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
                    continue;
                }
            };
            let b = c.as_bytes();
            if b.iter().any(|&x| QUOTED[usize::from(x)]) {
                self.out.push(b'"');
                for (i, part) in b.split(|&x| x == b'"').enumerate() {
                    if i > 0 {
                        self.out.extend_from_slice(b"\"\"");
                    }
                    self.out.extend_from_slice(part);
                }
                self.out.push(b'"');
            } else {
                self.out.extend_from_slice(b);
            }
        }
        if self.out.len() == start {
            self.out.extend_from_slice(b"\"\"");
        }
        self.out
            .extend_from_slice(if self.crlf { b"\r\n" } else { b"\n" });
        Ok(())
    }
}

/// Units whose rows one task formats: enough to make the task worth its scheduling, few enough that
/// a batch gives both threads many tasks.
const ROWS_PER_TASK: usize = 64;

impl UnitRows {
    /// Formats the rows of `scored`, in order, as the four files' `dialect` writes them.
    pub fn format(scored: &[Scored], dialect: Dialect) -> Result<UnitRows> {
        let mut files: [RowBuf; 4] = std::array::from_fn(|_| RowBuf::new(dialect));
        let [units, sentences, cues, mentions] = &mut files;
        for s in scored {
            unit_row(units, s)?;
            sentence_rows(sentences, s)?;
            cue_rows(cues, s)?;
            mention_rows(mentions, s)?;
        }
        Ok(UnitRows(files.map(|f| f.out)))
    }

    /// [`UnitRows::format`] of `scored` in parts on the current rayon pool; the parts come in input
    /// order, so that appending them writes what one thread would.
    pub fn format_all(scored: &[Scored], dialect: Dialect) -> Result<Vec<UnitRows>> {
        use rayon::prelude::*;
        scored
            .par_chunks(ROWS_PER_TASK)
            .map(|part| UnitRows::format(part, dialect))
            .collect()
    }
}

/// The files [`UnitFiles`] writes, in the order they are listed.
pub const UNIT_FILES: [&str; 4] = [
    "units.csv",
    "sentences.csv",
    "stance_cues.csv",
    "entity_mentions.csv",
];

const SENTENCE_COLUMNS: [&str; 10] = [
    "unit_id",
    "doc_id",
    "sentence",
    "neg",
    "neu",
    "pos",
    "compound",
    "sentiment",
    "quote",
    "text",
];

const CUE_COLUMNS: [&str; 12] = [
    "unit_id",
    "doc_id",
    "sentence",
    "target",
    "cue",
    "pole",
    "matched",
    "weight",
    "negated",
    "dismissed",
    "contrast",
    "reported",
];

const MENTION_COLUMNS: [&str; 11] = [
    "unit_id",
    "doc_id",
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
        let headers: [&[&str]; 4] = [&header, &SENTENCE_COLUMNS, &CUE_COLUMNS, &MENTION_COLUMNS];
        let mut files = Vec::with_capacity(4);
        for (name, h) in UNIT_FILES.iter().zip(headers) {
            let path = dir.join(name);
            let file = File::create(&path).map_err(write_err(&path))?;
            let mut w = BufWriter::with_capacity(1 << 16, file);
            let head = RowBuf::start(dialect, h)?;
            w.write_all(&head.out).map_err(write_err(&path))?;
            files.push((path, w));
        }
        Ok(UnitFiles { files })
    }

    /// Appends rows formatted by [`UnitRows::format`], the next in input order.
    pub fn append(&mut self, rows: &UnitRows) -> Result<()> {
        for ((path, w), bytes) in self.files.iter_mut().zip(&rows.0) {
            w.write_all(bytes).map_err(write_err(&*path))?;
        }
        Ok(())
    }

    /// Flushes the four files.
    pub fn finish(self) -> Result<()> {
        for (path, mut w) in self.files {
            w.flush().map_err(write_err(&path))?;
        }
        Ok(())
    }
}

/// A typed value of a per-unit row. CSV writes it as text (with the formula guard), Parquet and the
/// workbook keep its type: one definition of units.csv's columns for all three.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    /// Text, exactly as scored.
    Text(Cow<'a, str>),
    /// A number (NaN for none).
    Num(f64),
    /// A whole number.
    Int(u64),
    /// No value (a unit without author, date or parent).
    Empty,
}

/// The type of a column of units.csv.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    /// Text.
    Text,
    /// A number.
    Num,
    /// A whole number.
    Int,
}

/// The type of each column of [`unit_header`], in the same order.
pub fn unit_kinds(targets: usize) -> Vec<CellKind> {
    use CellKind::{Int, Num, Text};
    let mut k = vec![
        Text, Text, Text, Text, Text, Text, Int, Text, Text, Int, Num, Num, Num, Num, Text, Text,
    ];
    for _ in 0..targets {
        k.extend([Text, Num, Num, Text]);
    }
    k.extend([Text, Text]);
    k
}

/// One unit's row of units.csv, typed, in the order of [`unit_header`].
pub fn unit_cells(s: &Scored) -> Vec<Cell<'_>> {
    let u = s.unit();
    // Borrowed, as every text cell: a unit's row allocates only its cue list and its quoted passages.
    fn opt(o: &Option<String>) -> Cell<'_> {
        o.as_deref()
            .map_or(Cell::Empty, |v| Cell::Text(Cow::Borrowed(v)))
    }
    let p = s.polarity;
    let mut cells: Vec<Cell> = vec![
        Cell::Text(Cow::Borrowed(&u.id)),
        Cell::Text(Cow::Borrowed(&u.doc_id)),
        Cell::Text(Cow::Borrowed(u.kind().as_str())),
        opt(&u.author),
        opt(&u.date),
        opt(&u.parent_id),
        Cell::Int(u64::from(u.depth)),
        opt(&u.thread_root),
        Cell::Text(Cow::Borrowed(&u.source)),
        Cell::Int(u.line),
        Cell::Num(p.neg),
        Cell::Num(p.neu),
        Cell::Num(p.pos),
        Cell::Num(p.compound),
        Cell::Text(Cow::Borrowed(sentiment_label(p.compound))),
        Cell::Text(Cow::Borrowed(&s.explanation)),
    ];
    for st in &s.stances {
        cells.push(Cell::Text(Cow::Borrowed(st.label.as_str())));
        cells.push(Cell::Num(crate::pystr::round(st.score, 6)));
        cells.push(Cell::Num(crate::pystr::round(st.confidence, 6)));
        cells.push(Cell::Text(Cow::Owned(crate::model::describe_cues(
            &st.cues,
        ))));
    }
    cells.push(Cell::Text(Cow::Owned(s.prepared.quoted())));
    cells.push(Cell::Text(Cow::Borrowed(&s.prepared.text)));
    cells
}

/// units.csv: one row per unit.
fn unit_row(f: &mut RowBuf, s: &Scored) -> Result<()> {
    let cells = unit_cells(s);
    f.row(cells.iter().map(Cell::field))
}

/// sentences.csv: the VADER score of every sentence of the unit.
fn sentence_rows(f: &mut RowBuf, s: &Scored) -> Result<()> {
    for sent in &s.sentences {
        f.row(
            [
                text(&s.unit().id).into(),
                text(&s.unit().doc_id).into(),
                Field::Int(sent.index as u64),
            ]
            .into_iter()
            .chain(polarity_fields(sent.polarity))
            .chain([
                Field::from(if sent.quote { "true" } else { "false" }),
                text(&s.prepared.text[sent.range.0..sent.range.1]).into(),
            ]),
        )?;
    }
    Ok(())
}

/// stance_cues.csv: one row per cue that fired, per target.
fn cue_rows(f: &mut RowBuf, s: &Scored) -> Result<()> {
    for st in &s.stances {
        for c in &st.cues {
            f.row([
                text(&s.unit().id).into(),
                text(&s.unit().doc_id).into(),
                Field::Int(u64::from(c.sentence)),
                text(&st.target).into(),
                text(&c.phrase).into(),
                c.pole.as_str().into(),
                text(&c.matched).into(),
                stat_field(c.weight),
                Field::from(if c.negated { "true" } else { "false" }),
                Field::from(if c.dismissed { "true" } else { "false" }),
                c.contrast.map_or(Field::from(""), stat_field),
                Field::from(if c.reported { "true" } else { "false" }),
            ])?;
        }
    }
    Ok(())
}

/// entity_mentions.csv: one row per entity mention with the VADER score of its clause.
fn mention_rows(f: &mut RowBuf, s: &Scored) -> Result<()> {
    for m in &s.mentions {
        f.row(
            [
                text(&s.unit().id).into(),
                text(&s.unit().doc_id).into(),
                text(&m.entity).into(),
                text(&m.alias).into(),
                Field::Int(u64::from(m.sentence)),
            ]
            .into_iter()
            .chain(polarity_fields(m.polarity))
            .chain([text(&m.window).into()]),
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

/// Aggregate tables as CSV, the units and tables as Parquet, and the workbook: part of `run`'s outputs,
/// built with the `report` feature.
#[cfg(feature = "report")]
mod tables;
#[cfg(feature = "report")]
pub mod workbook;
#[cfg(feature = "report")]
pub use tables::{ParquetFile, UnitsParquet, cell, parquet, plain, table};
#[cfg(feature = "report")]
pub use workbook::Workbook;

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
        // A plain signed number is a number to a spreadsheet, not a formula.
        for n in [
            "-5", "+3", "-0.5", "+.5", "-2.", "-1e3", "-1.5E-7", "+2e+10",
        ] {
            assert_eq!(text(n), n);
        }
        for f in [
            "-2+3", "+1-1", "-e3", "-1e", "-1.2.3", "--1", "-1,5", "+ 1", "-1e3+A1", "-.",
        ] {
            assert_eq!(text(f), format!("'{f}"), "{f}");
        }
        assert_eq!(num(-0.5), "-0.5");
        assert_eq!(num(-0.0), "0");
        assert_eq!(num(f64::NAN), "");
    }

    #[test]
    fn row_buffers_write_what_the_csv_crate_writes() {
        let parts = [
            "a", ",", "\"", "\n", "\r", " ", "é", "\t", "=1", "", "x\"y", "\r\n",
        ];
        let mut rng = crate::partial::bootstrap::SplitMix(7);
        let mut next = |n: usize| rng.below(n);
        for excel in [false, true] {
            let dialect = Dialect { excel };
            let mut ours = RowBuf::new(dialect);
            let mut theirs = Vec::new();
            for _ in 0..20_000 {
                let fields: Vec<String> = (0..next(4) + 1)
                    .map(|_| (0..next(4)).map(|_| parts[next(parts.len())]).collect())
                    .collect();
                // The csv crate wants the same number of fields in every record: a writer per row.
                let mut theirs_row = writer(dialect, Vec::new());
                theirs_row.write_record(&fields).unwrap();
                ours.row(fields.iter().map(|f| Field::from(f.as_str())))
                    .unwrap();
                theirs.extend(theirs_row.into_inner().unwrap());
            }
            assert_eq!(
                String::from_utf8_lossy(&ours.out),
                String::from_utf8_lossy(&theirs)
            );
        }
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
