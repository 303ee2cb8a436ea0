//! The pipeline: a validated [`Config`] in, every output file and a [`Summary`] out.
//!
//! `ingest → text → score → aggregate → {export, chart, report}`, each stage timed for the manifest.
//! Text preparation and scoring run on a rayon pool of `jobs` threads with input order kept, so the
//! outputs do not depend on the number of threads. Units are scored in batches and their rows written as
//! they go, so a run's memory grows with the aggregate tables, not with the corpus text.

use crate::aggregate::{self, Digests};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::ingest;
use crate::ingest::threads::{ThreadIndex, Threads};
use crate::manifest::{self, Summary};
use crate::model::Unit;
use crate::outdir::OutDir;
use crate::report::{self, Picks};
use crate::spill::Spill;
use crate::text::{self, QuoteSources};
use crate::{chart, export};
use std::path::Path;
use std::time::Instant;

struct Clock {
    at: Instant,
    stages: Vec<(&'static str, f64)>,
}

impl Clock {
    /// Adds the time since the last lap to `stage`; stages that run once per batch add up.
    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        let secs = (now - self.at).as_secs_f64();
        match self.stages.iter_mut().find(|(s, _)| *s == stage) {
            Some((_, t)) => *t += secs,
            None => self.stages.push((stage, secs)),
        }
        self.at = now;
    }
}

/// Units prepared and scored at a time. Large enough to keep every thread busy, small enough that a
/// batch's text, sentences and cues take a few megabytes.
const BATCH: usize = 4096;

/// What a run tells its caller while it goes, before the [`Summary`] at the end.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// Ingest is done: how each record file was read (its format and the column of each role).
    Columns(Vec<String>),
    /// Work done so far in a stage: `ingest` (records read) or `score` (units scored, of `total`);
    /// `bytes` is the text read or scored so far.
    Progress {
        /// The stage.
        stage: &'static str,
        /// Records read or units scored so far.
        done: u64,
        /// How many there are in all, when known.
        total: Option<u64>,
        /// Bytes of text so far.
        bytes: u64,
    },
}

/// Units between two progress events while reading.
const PROGRESS_EVERY: u64 = 8192;

/// Runs the whole pipeline, telling nobody how it goes.
pub fn run(cfg: &Config) -> Result<Summary> {
    run_with(cfg, &mut |_| {})
}

/// Runs the whole pipeline, telling `on` what it found as soon as it knows.
///
/// Ingest writes each unit to a [`Spill`] and keeps only ids, so that reply threads can be rebuilt over the
/// whole corpus. Units then come back in batches: each batch is prepared, scored, written to the per-unit
/// CSV files and reduced to [`Digests`] and report [`Picks`]. Memory grows with the digests, not with
/// the text. Everything is written into the output folder's staging area and moved into place at the end.
pub fn run_with(cfg: &Config, on: &mut dyn FnMut(Event)) -> Result<Summary> {
    let mut clock = Clock {
        at: Instant::now(),
        stages: Vec::new(),
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cfg.jobs)
        .build()
        .map_err(|e| Error::Flag {
            flag: "--jobs".into(),
            reason: format!("cannot start {} threads: {e}", cfg.jobs),
        })?;
    let outdir = OutDir::open(&cfg.out, &cfg.argv)?;
    let out = outdir.staging().to_path_buf();
    let mut spill = Spill::create(&out)?;
    let mut sources = QuoteSources::default();
    let (tally, threads) = match read(cfg, &pool, &mut spill, &mut sources, on) {
        Ok(read) => read,
        Err(e) => {
            drop(spill);
            // The previous run's files stay as they were; a folder this run created is removed again.
            outdir.abandon();
            return Err(e);
        }
    };
    let warnings = warnings(&tally, &threads);
    clock.lap("ingest");
    on(Event::Columns(columns(&tally)));
    if tally.units == 0 {
        // A failed run: the previous output set stays as it was, and the reasons go in the message.
        drop(spill);
        outdir.abandon();
        let reasons: Vec<String> = tally
            .rejects
            .iter()
            .take(5)
            .map(ToString::to_string)
            .collect();
        return Err(Error::AllRejected {
            read: tally.read(),
            reasons: reasons.join("; "),
        });
    }
    let ids: Vec<String> = cfg
        .scorer
        .targets()
        .iter()
        .map(|t| t.id().to_string())
        .collect();
    let (digests, picks, on_topic, book) = score(
        cfg, &pool, &out, &ids, &mut spill, &threads, sources, &mut clock, on,
    )?;
    drop(spill);
    let scored = digests.len();
    let notices = fit(cfg, &on_topic, scored);
    // The report lists every warning but the notices, which it shows on their own.
    let mismatched: Vec<String> = cfg
        .scorer
        .targets()
        .iter()
        .filter_map(crate::stance::Target::model_mismatch)
        .collect();
    let mut listed = warnings.clone();
    listed.extend(mismatched.iter().cloned());
    let mut warnings = warnings;
    warnings.extend(notices.iter().map(|(_, n)| n.clone()));
    warnings.extend(mismatched);
    let names: Vec<(String, String)> = cfg
        .scorer
        .entities()
        .map(|e| {
            e.list
                .iter()
                .map(|x| (x.id.clone(), x.name.clone()))
                .collect()
        })
        .unwrap_or_default();
    // On the run's pool: the threads table is counted beside the others with more than one job.
    let tables = pool.install(|| aggregate::tables(digests, &ids, &names))?;
    clock.lap("aggregate");
    let (files, limits) = write_outputs(
        cfg, &pool, &out, &tally, scored, &tables, &picks, &notices, &listed, book, &mut clock,
    )?;
    if limits.rows_left_out > 0 {
        warnings.push(format!(
            "{XLSX}: {} rows past Excel's limit of {} rows per sheet are left out of the workbook; every row is in the CSV files",
            limits.rows_left_out,
            export::workbook::MAX_ROWS
        ));
    }
    if limits.cells_cut > 0 {
        warnings.push(format!(
            "{XLSX}: {} cells longer than Excel's {} characters are cut (ending in …); the full text is in the CSV files",
            limits.cells_cut,
            export::workbook::MAX_CELL_CHARS
        ));
    }
    let summary = Summary {
        read: tally.read(),
        scored,
        rejected: tally.rejects.len(),
        layout_skipped: tally.skipped.len(),
        out: cfg.out.clone(),
        files,
        stages: clock.stages,
        score_cpu: cfg.scorer.cpu_seconds().to_vec(),
        inputs: cfg.inputs.iter().map(ingest::Input::name).collect(),
        warnings,
        columns: columns(&tally),
    };
    manifest::write(&out.join("run.json"), cfg, &summary, &tally.files)?;
    outdir.commit(&summary.files)?;
    Ok(summary)
}

/// The workbook's file name (`--xlsx`).
pub const XLSX: &str = "stancemeter.xlsx";

/// Ingest: every unit to the spill, article text to the quote sources, ids to the thread index.
fn read(
    cfg: &Config,
    pool: &rayon::ThreadPool,
    spill: &mut Spill,
    sources: &mut QuoteSources,
    on: &mut dyn FnMut(Event),
) -> Result<(ingest::Tally, Threads)> {
    let mut index = ThreadIndex::default();
    let (mut done, mut bytes) = (0u64, 0u64);
    let tally = ingest::read_each_on(&cfg.inputs, &cfg.ingest, Some(pool), &mut |u| {
        done += 1;
        bytes += u.text.len() as u64;
        if done % PROGRESS_EVERY == 0 {
            on(Event::Progress {
                stage: "ingest",
                done,
                total: None,
                bytes,
            });
        }
        index.push(&u);
        if u.kind().is_article() {
            sources.add_article(&cfg.scorer.prepare(u.clone()));
        }
        spill.push(&u)
    })?;
    Ok((tally, index.finish()))
}

/// Targets that do not fit the corpus (fewer than 5 % of the units name them), by index, with the notice.
fn fit(cfg: &Config, on_topic: &[usize], units: usize) -> Vec<(usize, String)> {
    cfg.scorer
        .targets()
        .iter()
        .zip(on_topic)
        .enumerate()
        // A target without scope terms (a learned one) cannot say whether it fits.
        .filter(|&(_, (t, &n))| !t.topic.is_empty() && (n as f64) < 0.05 * units as f64)
        .map(|(k, (t, &n))| {
            let names: Vec<&str> = t.topic.iter().map(|p| p.text.as_str()).collect();
            let notice = format!(
                "target {} ({}): only {n} of {units} units ({:.1} %) name it ({}), so its stance figures are unlikely to mean anything for this corpus; give a target that fits with --target",
                t.id(),
                t.file.description,
                100.0 * n as f64 / units.max(1) as f64,
                names.join(", ")
            );
            (k, notice)
        })
        .collect()
}

/// How each record file was read: the format found from its content, and the column of each role.
fn columns(tally: &ingest::Tally) -> Vec<String> {
    let mut out: Vec<String> = tally
        .sniffed
        .iter()
        .map(|(file, format, d)| match format {
            ingest::Format::Csv => format!(
                "{file}: read as CSV separated by {:?} (by its content)",
                char::from(*d)
            ),
            f => format!("{file}: read as {} (by its content)", f.as_str()),
        })
        .collect();
    use ingest::columns::Role;
    for c in &tally.columns {
        out.push(c.describe(&[Role::Id, Role::Author, Role::Date, Role::Parent]));
    }
    out
}

/// What the user should know that is not an error: ingest's warnings, reply cycles cut, repeated ids.
fn warnings(tally: &ingest::Tally, threads: &Threads) -> Vec<String> {
    let mut warnings = tally.warnings.clone();
    for (k, parent) in threads.cut() {
        let id = threads.id(*k);
        warnings.push(format!(
            "reply cycle: {id} replies to {parent}, which leads back to it; that link is dropped and {id} starts its own thread"
        ));
    }
    if threads.orphans() > 0 {
        let some: Vec<String> = threads
            .orphaned()
            .iter()
            .map(|(id, parent)| format!("{id} to {parent}"))
            .collect();
        warnings.push(format!(
            "{} unit(s) reply to an id that no unit of the corpus has ({}{}), as in an export that holds part of a discussion or whose parent was rejected: each starts a thread of its own",
            threads.orphans(),
            some.join(", "),
            if threads.orphans() > some.len() { ", …" } else { "" }
        ));
    }
    // The first five ids of a list the threads keep, "…" after them.
    let listed = |ids: &[Box<str>]| {
        let more = if ids.len() == 5 { ", …" } else { "" };
        format!("{}{more}", ids.join(", "))
    };
    if threads.duplicate_ids() > 0 {
        warnings.push(format!(
            "{} unit(s) repeat the id of an earlier unit of their document ({}); a parent id names the last unit with that id, and each unit that starts a thread has its row in threads.csv",
            threads.duplicate_ids(),
            listed(threads.repeated_ids())
        ));
    }
    if threads.crossings() > 0 {
        warnings.push(format!(
            "{} a unit of another document ({}): a reply is in its parent's thread, whose thread_root is the root's id in the root's document; join such a reply to threads.csv on thread_root within the root's document, not the reply's doc_id",
            crate::human::counted(threads.crossings() as f64, "reply answers", "replies answer"),
            listed(threads.crossed())
        ));
    }
    if threads.shared_ids() > 0 {
        warnings.push(format!(
            "{} unit(s) reuse an id that a unit of an earlier document has ({}): a parent id names a unit of the reply's own document first, and every per-unit file tells them apart by doc_id",
            threads.shared_ids(),
            listed(threads.ids_shared_across_documents())
        ));
    }
    warnings
}

/// Scores the spilled units batch by batch, writing the per-unit files as it goes; gives the digests the
/// aggregate tables are computed from and the units the report shows.
#[allow(clippy::too_many_arguments)] // the run's state, passed rather than bundled for one call
fn score(
    cfg: &Config,
    pool: &rayon::ThreadPool,
    out: &Path,
    ids: &[String],
    spill: &mut Spill,
    threads: &Threads,
    mut sources: QuoteSources,
    clock: &mut Clock,
    on: &mut dyn FnMut(Event),
) -> Result<(Digests, Picks, Vec<usize>, Option<export::Workbook>)> {
    let mut bytes = 0u64;
    let scorer = &cfg.scorer;
    // A reply that comes before its parent needs the parent's text before the parent's batch.
    let late: std::collections::HashSet<usize> = (0..threads.len())
        .filter_map(|k| threads.parent(k).filter(|&p| p >= k))
        .collect();
    if !late.is_empty() {
        for (k, u) in spill.units()?.enumerate() {
            if late.contains(&k) {
                sources.add_parent(k, &scorer.prepare(u?), threads.replies(k));
            }
        }
    }
    clock.lap("text");
    let files = export::UnitFiles::create(out, ids, cfg.dialect)?;
    let (header, kinds) = (export::unit_header(ids), export::unit_kinds(ids.len()));
    let units_parquet = cfg
        .parquet
        .then(|| export::UnitsParquet::create(&out.join("units.parquet"), &header, &kinds))
        .transpose()?;
    let book = cfg
        .xlsx
        .then(|| {
            export::Workbook::create(&out.join(XLSX), &aggregate::schema::TABLES, &header, &kinds)
        })
        .transpose()?;
    // With more than one job, the per-unit files are written on a thread of their own while the pool
    // prepares and scores the next batch: one batch waits in the channel, so the order is the input order
    // (--jobs 1 and N write the same bytes), and at most three batches are in memory. The main thread's
    // time waiting for the writer is the export stage. With --jobs 1 everything runs on one thread.
    let mut units = spill.units()?;
    let mut writer = Writer {
        files,
        units_parquet,
        book,
        on_topic: vec![0usize; ids.len()],
        digests: Digests::new(ids, threads.len()),
        picks: Picks::default(),
        threads,
    };
    let n_units = threads.len();
    let mut produce = |send: &mut dyn FnMut(Batch) -> Result<bool>| -> Result<()> {
        let mut at = 0;
        loop {
            // Read on the pool, where the units' text is scored and (with one job) dropped: memory is then
            // freed by the thread that took it, which the allocator does fastest.
            let mut batch: Vec<Unit> =
                pool.install(|| units.by_ref().take(BATCH).collect::<Result<_>>())?;
            if batch.is_empty() {
                return Ok(());
            }
            for (i, u) in batch.iter_mut().enumerate() {
                threads.apply(at + i, u);
            }
            let prepare = |u| scorer.prepare(u);
            let prepared =
                pool.install(|| text::prepare_batch(batch, at, threads, &mut sources, &prepare));
            clock.lap("text");
            let scored = pool.install(|| scorer.score_all(prepared));
            clock.lap("score");
            // The per-unit files' rows are formatted on the pool too; the writer only appends them.
            let rows = pool.install(|| export::UnitRows::format_all(&scored, cfg.dialect))?;
            at += scored.len();
            bytes += scored
                .iter()
                .map(|s| s.prepared.text.len() as u64)
                .sum::<u64>();
            if !send((scored, rows))? {
                // The writer thread stopped on an error, which its join gives.
                return Ok(());
            }
            clock.lap("export");
            on(Event::Progress {
                stage: "score",
                done: at as u64,
                total: Some(n_units as u64),
                bytes,
            });
        }
    };
    if cfg.jobs <= 1 {
        produce(&mut |(scored, rows)| {
            let written = writer.write(&scored, &rows);
            pool.install(move || drop((scored, rows)));
            written.map(|()| true)
        })?;
        return writer.finish();
    }
    let (tx, rx) = std::sync::mpsc::sync_channel::<Batch>(1);
    std::thread::scope(|scope| {
        let handle = scope.spawn(move || -> Result<Written> {
            for (scored, rows) in rx {
                writer.write(&scored, &rows)?;
                // Freed on the pool, whose threads allocated them, not here: a block freed by another
                // thread goes back through the allocator's cross-thread list, which its owner must then
                // collect (perf, 200 k comments: the allocator took 6 % more of the run's CPU time than
                // with --jobs 1 when the batches were freed here).
                pool.install(move || {
                    use rayon::prelude::*;
                    rayon::join(
                        || scored.into_par_iter().for_each(drop),
                        || rows.into_par_iter().for_each(drop),
                    )
                });
            }
            writer.finish()
        });
        let produced = produce(&mut |scored| Ok(tx.send(scored).is_ok()));
        drop(tx);
        let written = handle
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        produced?;
        written
    })
}

/// The per-unit outputs of [`score`] and what the aggregate tables and the report need from each unit.
struct Writer<'a> {
    files: export::UnitFiles,
    units_parquet: Option<export::UnitsParquet>,
    book: Option<export::Workbook>,
    on_topic: Vec<usize>,
    digests: Digests,
    picks: Picks,
    threads: &'a Threads,
}

impl Writer<'_> {
    /// Writes a batch of scored units, the next in input order, and their per-unit rows.
    fn write(&mut self, scored: &[crate::model::Scored], rows: &[export::UnitRows]) -> Result<()> {
        for r in rows {
            self.files.append(r)?;
        }
        let at = self.digests.len();
        for (i, s) in scored.iter().enumerate() {
            for (n, st) in self.on_topic.iter_mut().zip(&s.stances) {
                *n += usize::from(st.on_topic);
            }
            if self.units_parquet.is_some() || self.book.is_some() {
                let cells = export::unit_cells(s);
                if let Some(p) = self.units_parquet.as_mut() {
                    p.push(&cells)?;
                }
                if let Some(b) = self.book.as_mut() {
                    b.unit(&cells)?;
                }
            }
            self.picks.offer(at + i, s);
            self.digests
                .push(s, self.threads.parent(at + i), self.threads.root(at + i))?;
        }
        Ok(())
    }

    /// Closes the files.
    fn finish(self) -> Result<Written> {
        self.files.finish()?;
        if let Some(p) = self.units_parquet {
            p.finish()?;
        }
        Ok((self.digests, self.picks, self.on_topic, self.book))
    }
}

/// A batch of scored units and their rows of the per-unit files, as the writer of [`score`] takes them.
type Batch = (Vec<crate::model::Scored>, Vec<export::UnitRows>);

/// What the writer of [`score`] gives back: the digests, the report's picks, each target's
/// on-topic count and the workbook.
type Written = (Digests, Picks, Vec<usize>, Option<export::Workbook>);

#[allow(clippy::too_many_arguments)] // the run's results, passed rather than bundled for one call
/// Writes rejects, the tables (CSV, and Parquet when asked), the charts and the report; gives the names of
/// every file of the run's set but run.json, which comes last.
fn write_outputs(
    cfg: &Config,
    pool: &rayon::ThreadPool,
    out: &Path,
    tally: &ingest::Tally,
    scored: usize,
    tables: &aggregate::Tables,
    picks: &Picks,
    notices: &[(usize, String)],
    warnings: &[String],
    book: Option<export::Workbook>,
    clock: &mut Clock,
) -> Result<(Vec<String>, export::workbook::Limits)> {
    let d = cfg.dialect;
    export::rejects(&out.join("rejects.csv"), &tally.rejects, d)?;
    let mut csv_files: Vec<String> = export::UNIT_FILES.map(String::from).to_vec();
    csv_files.push("rejects.csv".into());
    // One table per task: the files are independent, and a million-unit run's replies, threads and
    // tone_vs_stance tables are large.
    let names: Vec<String> = pool.install(|| {
        use rayon::prelude::*;
        tables
            .all()
            .par_iter()
            .map(|t| {
                let name = format!("{}.csv", t.name);
                export::table(&out.join(&name), t, d).map(|()| name)
            })
            .collect::<Result<_>>()
    })?;
    csv_files.extend(names);
    let mut files = csv_files.clone();
    let mut limits = export::workbook::Limits::default();
    if let Some(book) = book {
        limits = book.finish(&tables.all())?;
        files.push(XLSX.into());
    }
    if cfg.parquet {
        files.push("units.parquet".into());
        for t in tables.all() {
            let name = format!("{}.parquet", t.name);
            export::parquet(&out.join(&name), t)?;
            files.push(name);
        }
    }
    clock.lap("export");
    let charts = pool.install(|| chart::all(out, tables))?;
    clock.lap("chart");
    let corpus_name = cfg
        .inputs
        .iter()
        .map(|i| match i.name() {
            n if n == "-" => "standard input".to_string(),
            n => n,
        })
        .collect::<Vec<_>>()
        .join(", ");
    report::write(
        out,
        &report::Inputs {
            corpus: &corpus_name,
            counts: (tally.read(), scored, tally.rejects.len()),
            picks,
            tables,
            charts: &charts,
            csv_files: &csv_files,
            notices: &notices.iter().map(|(_, n)| n.clone()).collect::<Vec<_>>(),
            warnings,
            target_fits: !notices.iter().any(|&(k, _)| k == 0),
            target: cfg
                .scorer
                .targets()
                .first()
                .map(|t| t.file.description.as_str()),
            model: cfg
                .scorer
                .targets()
                .first()
                .and_then(|t| t.model.as_ref())
                .map(|m| m.source.as_str()),
        },
    )?;
    clock.lap("report");
    for c in &charts {
        for p in [&c.png, &c.svg] {
            files.push(
                p.file_name()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            );
        }
    }
    files.push(chart::DATA_FILE.into());
    files.push("index.html".into());
    files.push("run.json".into());
    Ok((files, limits))
}
