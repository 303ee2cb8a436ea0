//! `stancemeter score`: any CSV, TSV or JSONL file (or stdin) in, one CSV row of scores per record out.
//!
//! Records are read as a stream and scored in batches on the rayon pool, with input order kept, so memory
//! stays flat however long the input is. Numbers are printed as Python prints them, so that with `--raw`
//! the output can be compared byte for byte with the reference's.

use crate::error::{Error, Result};
use crate::export::{Dialect, Field, Rows, stat_field, text};
use crate::ingest::columns::Columns;
use crate::ingest::records::{self, Spec, Syntax};
use crate::ingest::{Format, Item, Reject, sniff};
use crate::model::{Scored, Unit, describe_cues};
use crate::score::Scorer;
use rayon::prelude::*;
use std::io::Write;
use std::path::PathBuf;

/// What `score` reads and writes.
pub struct Options {
    /// The input file, or `-` for stdin.
    pub input: PathBuf,
    /// The output file; stdout when `None`.
    pub output: Option<PathBuf>,
    /// The record format (by extension, then by content, when `None`).
    pub format: Option<Format>,
    /// The CSV delimiter (sniffed from the header when `None`).
    pub delimiter: Option<u8>,
    /// The input's encoding (UTF-8, or UTF-16 with a byte-order mark, when `None`).
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// Column mapping.
    pub columns: Columns,
    /// No header row.
    pub no_header: bool,
    /// Report bad records on stderr and go on, instead of stopping at the first.
    pub skip_bad: bool,
    /// Score empty texts (all zeros) instead of rejecting them.
    pub keep_empty: bool,
    /// Texts longer than this many bytes are bad records (`None`: no limit).
    pub max_text_bytes: Option<usize>,
    /// How deeply a JSONL record may nest (1 to [`records::MAX_JSON_DEPTH`]).
    pub max_json_depth: usize,
    /// Add the token explanation column (the scorer must give explanations).
    pub explain: bool,
    /// The scorer: its targets give the stance columns; raw text unless it normalises.
    pub scorer: Scorer,
    /// Spreadsheet CSV.
    pub dialect: Dialect,
}

/// Counts of a `score` run, and the columns it read.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Counts {
    /// Records read.
    pub read: usize,
    /// Records scored.
    pub scored: usize,
    /// Records rejected.
    pub rejected: usize,
    /// The columns line ([`crate::ingest::FileColumns::describe`]) when the header has columns that no
    /// role reads and none is the id: the records are then named by line, and one of those may be the id.
    pub columns: Option<String>,
}

const BATCH: usize = 4096;

/// Scores every record on `pool` (JSONL lines are parsed there too); bad ones go to `on_reject` (with
/// `skip_bad`) or stop the run, and what the user should know (an encoding guessed) to `on_note`.
pub fn run(
    opts: &Options,
    pool: &rayon::ThreadPool,
    on_reject: &mut dyn FnMut(&Reject),
    on_note: &mut dyn FnMut(&str),
) -> Result<Counts> {
    let source = opts.input.display().to_string();
    let raw: Box<dyn std::io::Read> = if source == "-" {
        Box::new(std::io::stdin().lock())
    } else if opts.input.is_dir() {
        // score streams one file; run reads a folder (and tells its files apart by doc_id).
        return Err(Error::Flag {
            flag: source.clone(),
            reason: format!(
                "a folder, and score reads one file or stdin: `stancemeter run {source}` reads every file of a folder"
            ),
        });
    } else {
        Box::new(std::fs::File::open(&opts.input).map_err(crate::error::read_err(&opts.input))?)
    };
    // Decoded to UTF-8 (sniff::decode: --encoding, a UTF-16 byte-order mark, UTF-8, or a Windows-1252
    // guess, which is reported).
    let (head, decoded, guess, _) =
        sniff::decode(raw, opts.encoding).map_err(crate::error::read_err(&opts.input))?;
    sniff::refuse_unreadable(
        &head,
        opts.encoding,
        opts.format.is_some(),
        &opts.input,
        &source,
    )?;
    if let Some(g) = guess {
        on_note(&g.describe(&source));
    }
    // Without --format or a telling extension (stdin), the content says: JSONL, CSV (with its delimiter)
    // or TSV; anything else is read as CSV, whose error then names the missing text column.
    let sniffed = sniff::format(&head, &opts.columns);
    let delimiter = opts.delimiter.unwrap_or_else(|| sniff::delimiter(&head));
    let named = Format::from_path(&opts.input);
    // A .txt that does not read as records is prose, which `run` reads and `score` does not.
    if opts.format.is_none()
        && named.is_none()
        && sniffed.is_none()
        && sniff::has_extension(&opts.input, &["txt"])
    {
        return Err(sniff::whole_file(
            &source,
            "content",
            "it reads as prose, and score reads records (CSV, TSV or JSON lines): `stancemeter run` scores prose paragraph by paragraph, or give --format csv if this is a CSV of one column".into(),
        ));
    }
    let format = opts
        .format
        .or(named)
        .or(sniffed.map(|s| s.0))
        .unwrap_or(Format::Csv);
    let mut input = sniff::rejoin(head, decoded);
    let syntax = match format {
        Format::Csv => Syntax::Csv,
        Format::Tsv => Syntax::Tsv,
        Format::Jsonl => Syntax::Jsonl,
        other => {
            return Err(Error::Flag {
                flag: "--format".into(),
                reason: format!("score reads csv, tsv or jsonl, not {}", other.as_str()),
            });
        }
    };
    let out_path = opts
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from("<stdout>"));
    // The output is written beside its final name and moved there only when every record is done, so
    // that a failure (a bad record, a full disk) leaves an existing file as it was.
    let atomic = match &opts.output {
        Some(p) => {
            crate::outdir::refuse_overwrite(p, &[opts.input.as_path()], "--output")?;
            Some(crate::outdir::AtomicFile::create(p)?)
        }
        None => None,
    };
    let sink: Box<dyn Write + Send> = match &atomic {
        Some(f) => Box::new(std::io::BufWriter::new(f.file()?)),
        // Stdout's lock is taken per 64 KiB write of the buffer.
        None => Box::new(std::io::BufWriter::with_capacity(
            1 << 16,
            std::io::stdout(),
        )),
    };
    let mut header: Vec<String> = ["id", "neg", "neu", "pos", "compound"]
        .map(String::from)
        .to_vec();
    if opts.explain {
        header.push("explanation".into());
    }
    for (k, t) in opts.scorer.targets().iter().enumerate() {
        for c in ["stance", "stance_score", "stance_confidence", "stance_cues"] {
            header.push(crate::score::target_column(c, k, t.id()));
        }
    }
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut csv = Output {
        sink: Some(sink),
        open: None,
        path: &out_path,
        dialect: opts.dialect,
        header: &header,
    };
    // Named as `run` names it: a record without an id is `stdin:LINE` or `FILE-STEM:LINE`.
    let doc = crate::ingest::stem(&opts.input);
    let spec = Spec {
        source: &source,
        doc: &doc,
        columns: &opts.columns,
        no_header: opts.no_header,
        keep_empty: opts.keep_empty,
        delimiter,
        max_json_depth: opts.max_json_depth,
        pool: Some(pool),
        meta: false,
    };
    let mut counts = Counts::default();
    // The first rejects, for the error when every record is rejected.
    let mut first = Vec::new();
    let mut batch: Vec<Unit> = Vec::with_capacity(BATCH);
    let chosen = records::read(syntax, &mut input, &spec, &mut |item| {
        counts.read += 1;
        match item.limited(opts.max_text_bytes) {
            Item::Unit(u) => {
                batch.push(u);
                if batch.len() == BATCH {
                    counts.scored += flush(&mut batch, opts, pool, &mut csv)?;
                }
            }
            Item::Bad(r) if opts.skip_bad => {
                counts.rejected += 1;
                if first.len() < 5 {
                    first.push(r.to_string());
                }
                on_reject(&r);
            }
            Item::Bad(r) => return Err(r.into_error()),
        }
        Ok(())
    })?;
    counts.scored += flush(&mut batch, opts, pool, &mut csv)?;
    let columns = crate::ingest::FileColumns {
        file: source.clone(),
        chosen: chosen.columns,
        unused: chosen.unused,
    };
    if !columns.unused.is_empty() && columns.chosen.iter().all(|(role, _)| *role != "id") {
        counts.columns = Some(format!(
            "{}; without an id column, a record is named by its file and line ({doc}:2 is line 2)",
            columns.describe(&[crate::ingest::columns::Role::Id])
        ));
    }
    // As in `run`, records that are all rejected are an error (each was given to `on_reject`), and an
    // existing output file stays as it was.
    if counts.scored == 0 && counts.rejected > 0 {
        return Err(crate::error::Error::AllRejected {
            read: counts.read,
            reasons: first.join("; "),
        });
    }
    csv.finish()?;
    if let Some(f) = atomic {
        f.persist()?;
    }
    Ok(counts)
}

/// The output CSV, opened (its header written) with the first rows or at the end, so that a run that
/// fails on its first batch (a bad record, a column that is not there) leaves nothing on stdout.
struct Output<'a> {
    /// Where the rows go, until the header is written to it.
    sink: Option<Box<dyn Write + Send>>,
    /// The same, once the header is written.
    open: Option<Box<dyn Write + Send>>,
    path: &'a std::path::Path,
    dialect: Dialect,
    header: &'a [&'a str],
}

impl Output<'_> {
    /// Appends rows, opening the CSV (its byte-order mark in excel, its header) the first time.
    fn append(&mut self, rows: &[u8]) -> Result<()> {
        let err = || crate::error::write_err(self.path);
        if let Some(mut sink) = self.sink.take() {
            let start = Rows::start(self.dialect, self.header)?;
            sink.write_all(start.bytes()).map_err(err())?;
            self.open = Some(sink);
        }
        // Only an earlier failure to open it, which stopped the run, leaves none.
        let out = self.open.as_mut().ok_or_else(|| Error::Write {
            path: self.path.to_path_buf(),
            source: std::io::Error::other("the output could not be opened"),
        })?;
        out.write_all(rows).map_err(err())
    }

    /// Opens the CSV if no row did (an input without records still gets its header), and flushes it.
    fn finish(mut self) -> Result<()> {
        self.append(&[])?;
        let err = crate::error::write_err(self.path);
        self.open
            .take()
            .map_or(Ok(()), |mut w| w.flush().map_err(err))
    }
}

/// Records whose rows one task scores and formats: enough to make the task worth its scheduling, few
/// enough that a batch gives both threads many tasks.
const ROWS_PER_TASK: usize = 64;

/// Scores `batch` and writes its rows to `out`. Each part is scored and formatted on the pool, into
/// bytes, so that no row or cell is a string of its own; the parts are appended in input order.
fn flush(
    batch: &mut Vec<Unit>,
    opts: &Options,
    pool: &rayon::ThreadPool,
    out: &mut Output,
) -> Result<usize> {
    let n = batch.len();
    if n == 0 {
        return Ok(0);
    }
    let parts: Vec<Rows> = pool.install(|| {
        batch
            .par_drain(..)
            .chunks(ROWS_PER_TASK)
            .map(|units| {
                // A part at a time, one scorer after another (Scorer::score_batch): each keeps its
                // tables in cache across the part, and its time is taken once per part, not per record.
                let prepared = units.into_iter().map(|u| opts.scorer.prepare(u)).collect();
                let mut rows = Rows::new(opts.dialect);
                for s in opts.scorer.score_batch(prepared) {
                    row(&mut rows, &s, opts.explain)?;
                }
                Ok(rows)
            })
            .collect::<Result<_>>()
    })?;
    for rows in &parts {
        out.append(rows.bytes())?;
    }
    Ok(n)
}

/// One output row: id, VADER scores as Python prints them, the explanation when asked, then label, score
/// and cues per target.
fn row(rows: &mut Rows, s: &Scored, explain: bool) -> Result<()> {
    let p = s.polarity;
    let cues: Vec<String> = s.stances.iter().map(|st| describe_cues(&st.cues)).collect();
    let head = [
        Field::from(text(&s.unit().id)),
        Field::Py(p.neg),
        Field::Py(p.neu),
        Field::Py(p.pos),
        Field::Py(p.compound),
    ];
    let explanation = explain.then(|| Field::from(text(&s.explanation)));
    let stances = s.stances.iter().zip(&cues).flat_map(|(st, cues)| {
        [
            Field::from(st.label.as_str()),
            stat_field(st.score),
            stat_field(st.confidence),
            Field::from(text(cues)),
        ]
    });
    rows.row(head.into_iter().chain(explanation).chain(stances))
}

#[cfg(test)]
mod tests {
    use crate::pystr::py_float;

    #[test]
    fn floats_print_like_python() {
        assert_eq!(py_float(0.0), "0.0");
        assert_eq!(py_float(1.0), "1.0");
        assert_eq!(py_float(-0.4023), "-0.4023");
        assert_eq!(py_float(0.062), "0.062");
        assert_eq!(py_float(-0.0), "-0.0");
        // As a field of a row: the same text, after what the row already holds.
        let mut rows = crate::export::Rows::new(crate::export::Dialect { excel: false });
        rows.row([-0.0, 1.0, 0.5106, -0.4023].map(crate::export::Field::Py))
            .unwrap();
        assert_eq!(rows.bytes(), b"-0.0,1.0,0.5106,-0.4023\n");
    }
}
