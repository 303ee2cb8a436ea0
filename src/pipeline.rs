//! The pipeline: a validated [`Config`] in, every output file and a [`Summary`] out.
//!
//! `ingest → text → score → aggregate → {export, chart, report}`, each stage timed for the manifest.
//! Text preparation and scoring run on a rayon pool of `jobs` threads with input order kept, so the
//! outputs do not depend on the number of threads.

use crate::config::Config;
use crate::error::{Error, Result, write_err};
use crate::ingest::{self, Corpus};
use crate::model::Scored;
use crate::{aggregate, chart, export, manifest, report, score, text};
use std::path::PathBuf;
use std::time::Instant;

/// What a run did.
#[derive(Debug, Clone)]
pub struct Summary {
    /// Records read.
    pub read: usize,
    /// Records scored.
    pub scored: usize,
    /// Records rejected (see rejects.csv).
    pub rejected: usize,
    /// Page layout blocks that are not text.
    pub layout_skipped: usize,
    /// The output directory.
    pub out: PathBuf,
    /// Every file written, relative to `out`.
    pub files: Vec<String>,
    /// Seconds per stage.
    pub stages: Vec<(&'static str, f64)>,
    /// The inputs as named.
    pub inputs: Vec<String>,
}

struct Clock {
    at: Instant,
    stages: Vec<(&'static str, f64)>,
}

impl Clock {
    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.stages.push((stage, (now - self.at).as_secs_f64()));
        self.at = now;
    }
}

/// Runs the whole pipeline.
pub fn run(cfg: &Config) -> Result<Summary> {
    let mut clock = Clock {
        at: Instant::now(),
        stages: Vec::new(),
    };
    let corpus: Corpus = ingest::read_corpus(&cfg.inputs, &cfg.ingest)?;
    clock.lap("ingest");
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cfg.jobs)
        .build()
        .map_err(|e| Error::Flag {
            flag: "--jobs".into(),
            reason: format!("cannot start {} threads: {e}", cfg.jobs),
        })?;
    let (read, rejected) = (corpus.read(), corpus.rejects.len());
    if corpus.units.is_empty() {
        std::fs::create_dir_all(&cfg.out).map_err(write_err(&cfg.out))?;
        let rejects = cfg.out.join("rejects.csv");
        export::rejects(&rejects, &corpus.rejects, cfg.dialect)?;
        return Err(Error::AllRejected { read, rejects });
    }
    let Corpus {
        units,
        rejects,
        skipped,
        files: input_files,
    } = corpus;
    let prepared = pool.install(|| text::prepare_all(units, cfg.raw, !cfg.keep_quotes));
    clock.lap("text");
    let scored: Vec<Scored> =
        pool.install(|| score::score_all(prepared, &cfg.targets, &cfg.entities));
    clock.lap("score");
    let tables = aggregate::tables(&scored)?;
    clock.lap("aggregate");

    let out = &cfg.out;
    std::fs::create_dir_all(out).map_err(write_err(out))?;
    let d = cfg.dialect;
    let ids: Vec<String> = cfg.targets.iter().map(|t| t.id().to_string()).collect();
    export::units(&out.join("units.csv"), &scored, &ids, d)?;
    export::sentences(&out.join("sentences.csv"), &scored, d)?;
    export::stance_cues(&out.join("stance_cues.csv"), &scored, d)?;
    export::entity_mentions(&out.join("entity_mentions.csv"), &scored, d)?;
    export::rejects(&out.join("rejects.csv"), &rejects, d)?;
    let mut csv_files: Vec<String> = [
        "units.csv",
        "sentences.csv",
        "stance_cues.csv",
        "entity_mentions.csv",
        "rejects.csv",
    ]
    .map(String::from)
    .to_vec();
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
            counts: (read, scored.len(), rejected),
            scored: &scored,
            tables: &tables,
            charts: &charts,
            csv_files: &csv_files,
            target: cfg.targets.first().map(|t| t.file.description.as_str()),
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
        scored: scored.len(),
        rejected,
        layout_skipped: skipped.len(),
        out: out.clone(),
        files,
        stages: clock.stages,
        inputs: cfg.inputs.iter().map(ingest::Input::name).collect(),
    };
    manifest::write(&out.join("run.json"), cfg, &summary, &input_files)?;
    Ok(summary)
}
