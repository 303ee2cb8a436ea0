//! The pipeline: a validated [`Config`] in, every output file and a [`Summary`] out.
//!
//! `ingest → text → score → aggregate → {export, chart, report}`, each stage timed for the manifest.
//! Text preparation and scoring run on a rayon pool of `jobs` threads with input order kept, so the
//! outputs do not depend on the number of threads. Units are scored in batches and their rows written as
//! they go, so a run's memory grows with the aggregate tables, not with the corpus text.

use crate::aggregate::{self, Digests};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::ingest::{self, threads::ThreadIndex};
use crate::manifest::{self, Summary};
use crate::model::Unit;
use crate::outdir::OutDir;
use crate::report::{self, Picks};
use crate::spill::Spill;
use crate::text::{self, QuoteSources};
use crate::{chart, export};
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

/// Runs the whole pipeline.
///
/// Ingest writes each unit to a [`Spill`] and keeps only ids, so that reply threads can be rebuilt over the
/// whole corpus. Units then come back in batches: each batch is prepared, scored, written to the per-unit
/// CSV files and reduced to [`Digests`] and report [`Picks`]. Memory grows with the digests, not with
/// the text.
pub fn run(cfg: &Config) -> Result<Summary> {
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
    let out = &outdir.staging().to_path_buf();
    let mut spill = Spill::create(out)?;
    let mut index = ThreadIndex::default();
    let mut sources = QuoteSources::default();
    let read = ingest::read_each(&cfg.inputs, &cfg.ingest, &mut |u| {
        index.push(&u);
        if u.kind().is_article() {
            sources.add_article(&cfg.scorer.prepare(u.clone()));
        }
        spill.push(&u)
    });
    let tally = match read {
        Ok(t) => t,
        Err(e) => {
            drop(spill);
            // The previous run's files stay as they were; a folder this run created is removed again.
            outdir.abandon();
            return Err(e);
        }
    };
    let threads = index.finish();
    let mut warnings = tally.warnings.clone();
    for (k, parent) in threads.cut() {
        warnings.push(format!(
            "reply cycle: {} replies to {parent}, which leads back to it; that link is dropped and {} starts its own thread",
            threads.id(*k),
            threads.id(*k)
        ));
    }
    if threads.duplicate_ids() > 0 {
        warnings.push(format!(
            "{} unit(s) repeat the id of an earlier unit; a parent id names the last unit with that id, and threads.csv has one row per id",
            threads.duplicate_ids()
        ));
    }
    clock.lap("ingest");
    let (read, rejected) = (tally.read(), tally.rejects.len());
    if tally.units == 0 {
        // A failed run: the previous output set stays as it was, and the reasons go in the message.
        drop(spill);
        outdir.abandon();
        let reasons: Vec<String> = tally
            .rejects
            .iter()
            .take(5)
            .map(|r| format!("{}, line {}: {}: {}", r.source, r.line, r.field, r.reason))
            .collect();
        return Err(Error::AllRejected {
            read,
            reasons: reasons.join("; "),
        });
    }

    // A reply that comes before its parent needs the parent's text before the parent's batch.
    let late: std::collections::HashSet<usize> = (0..threads.len())
        .filter_map(|k| threads.parent(k).filter(|&p| p >= k))
        .collect();
    if !late.is_empty() {
        for (k, u) in spill.units()?.enumerate() {
            if late.contains(&k) {
                sources.add_parent(k, &cfg.scorer.prepare(u?), threads.replies(k));
            }
        }
    }
    clock.lap("text");

    let d = cfg.dialect;
    let scorer = &cfg.scorer;
    let ids: Vec<String> = scorer
        .targets()
        .iter()
        .map(|t| t.id().to_string())
        .collect();
    let mut files = export::UnitFiles::create(out, &ids, d)?;
    let mut digests = Digests::new(ids.len(), tally.units);
    let mut picks = Picks::default();
    let mut units = spill.units()?;
    loop {
        let at = digests.len();
        let mut batch: Vec<Unit> = units.by_ref().take(BATCH).collect::<Result<_>>()?;
        if batch.is_empty() {
            break;
        }
        for (i, u) in batch.iter_mut().enumerate() {
            threads.apply(at + i, u);
        }
        let prepared =
            pool.install(|| text::prepare_batch(batch, at, &threads, &mut sources, scorer));
        clock.lap("text");
        let scored = pool.install(|| scorer.score_all(prepared));
        clock.lap("score");
        for (i, s) in scored.iter().enumerate() {
            files.write(s)?;
            picks.offer(at + i, s);
            digests.push(s, threads.parent(at + i));
        }
        clock.lap("export");
    }
    drop(units);
    drop(spill);
    drop(sources);
    files.finish()?;
    let scored = digests.len();
    let tables = aggregate::tables(digests, &ids)?;
    clock.lap("aggregate");

    export::rejects(&out.join("rejects.csv"), &tally.rejects, d)?;
    let mut csv_files: Vec<String> = export::UNIT_FILES.map(String::from).to_vec();
    csv_files.push("rejects.csv".into());
    for t in tables.all() {
        let name = format!("{}.csv", t.name);
        export::table(&out.join(&name), t, d)?;
        csv_files.push(name);
    }
    let mut parquet_files = Vec::new();
    if cfg.parquet {
        for t in tables.all() {
            let name = format!("{}.parquet", t.name);
            export::parquet(&out.join(&name), t)?;
            parquet_files.push(name);
        }
    }
    clock.lap("export");
    let charts = chart::all(out, &tables)?;
    clock.lap("chart");
    let corpus_name = cfg
        .inputs
        .iter()
        .map(ingest::Input::name)
        .collect::<Vec<_>>()
        .join(", ");
    report::write(
        out,
        &report::Inputs {
            corpus: &corpus_name,
            counts: (read, scored, rejected),
            picks: &picks,
            tables: &tables,
            charts: &charts,
            csv_files: &csv_files,
            target: scorer
                .targets()
                .first()
                .map(|t| t.file.description.as_str()),
        },
    )?;
    clock.lap("report");

    let mut files = csv_files;
    files.extend(parquet_files);
    for c in &charts {
        for p in [&c.png, &c.svg] {
            files.push(
                p.file_name()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            );
        }
    }
    files.push("index.html".into());
    files.push("run.json".into());
    let summary = Summary {
        read,
        scored,
        rejected,
        layout_skipped: tally.skipped.len(),
        out: cfg.out.clone(),
        files,
        stages: clock.stages,
        inputs: cfg.inputs.iter().map(ingest::Input::name).collect(),
        warnings,
    };
    manifest::write(&out.join("run.json"), cfg, &summary, &tally.files)?;
    outdir.commit(&summary.files)?;
    Ok(summary)
}
