//! `stancemeter run`: the whole pipeline over a corpus into an output folder.

use super::{note, out};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use stancemeter::config::{Config, RunOptions};
use stancemeter::human::count;
use stancemeter::pipeline::{self, Event};
use std::time::{Duration, Instant};

/// A progress bar appears only when a run has taken this long, so that short runs stay one summary.
const SHOW_AFTER: Duration = Duration::from_secs(1);

/// The progress bar on stderr: drawn only when stderr is a terminal, and only past [`SHOW_AFTER`].
struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
    hidden: bool,
}

impl Progress {
    fn new(quiet: bool) -> Progress {
        Progress {
            bar: None,
            started: Instant::now(),
            hidden: quiet || ProgressDrawTarget::stderr().is_hidden(),
        }
    }

    fn update(&mut self, stage: &str, done: u64, total: Option<u64>, bytes: u64) {
        if self.hidden || self.started.elapsed() < SHOW_AFTER {
            return;
        }
        let bar = self.bar.get_or_insert_with(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{prefix:>7} {wide_bar} {msg} [{elapsed}]")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar
        });
        bar.set_prefix(stage.to_string());
        bar.set_length(total.unwrap_or(0));
        bar.set_position(done);
        let secs = self.started.elapsed().as_secs_f64().max(1e-9);
        let of = total.map_or(String::new(), |t| format!(" of {}", count(t as f64)));
        bar.set_message(format!(
            "{}{of} records, {:.1} MB/s of text",
            count(done as f64),
            bytes as f64 / 1e6 / secs
        ));
    }

    /// Prints a note above the bar.
    fn note(&self, text: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| note(text)),
            None => note(text),
        }
    }

    fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Runs the pipeline and prints what it read and wrote.
pub fn run(opts: RunOptions) -> anyhow::Result<()> {
    let (open_report, quiet, verbose) = (opts.open, opts.quiet, opts.verbose);
    let cfg = Config::build(opts, std::env::args().collect())?;
    super::SKIP_BAD_HINT.store(!cfg.ingest.skip_bad, std::sync::atomic::Ordering::Relaxed);
    let started = Instant::now();
    let mut progress = Progress::new(quiet);
    // The columns chosen are shown as soon as ingest knows them, before the (long) scoring.
    let result = pipeline::run_with(&cfg, &mut |event| match event {
        Event::Columns(columns) if !quiet => {
            for c in columns {
                progress.note(&format!("columns: {c}"));
            }
        }
        Event::Progress {
            stage,
            done,
            total,
            bytes,
        } => progress.update(stage, done, total, bytes),
        _ => {}
    });
    progress.finish();
    let s = result?;
    let wall = started.elapsed().as_secs_f64();
    if quiet {
        return open(open_report, &s.out);
    }
    for w in &s.warnings {
        note(&format!("warning: {w}"));
    }
    let mut text = format!(
        "stancemeter {}: {}\n  records: {} read = {} scored + {} rejected{}\n",
        env!("CARGO_PKG_VERSION"),
        s.inputs.join(", "),
        s.read,
        s.scored,
        s.rejected,
        if s.rejected > 0 {
            " (see rejects.csv)"
        } else {
            ""
        }
    );
    if s.layout_skipped > 0 {
        text += &format!(
            "  page layout: {} blocks left out (boilerplate, image labels, repeated title, pull quotes)\n",
            s.layout_skipped
        );
    }
    let targets: Vec<String> = cfg
        .scorer
        .targets()
        .iter()
        .zip(&cfg.target_sources)
        .map(|(t, src)| format!("{} ({src})", t.id()))
        .collect();
    text += &format!(
        "  targets: {}\n  wrote {} files to {}: {}\n  report: {}\n",
        targets.join(", "),
        s.files.len(),
        s.out.display(),
        s.files.join(", "),
        s.out.join("index.html").display()
    );
    if verbose {
        let stages: Vec<String> = s
            .stages
            .iter()
            .map(|(stage, secs)| format!("{stage} {secs:.3} s"))
            .collect();
        text += &format!("  stages: {}\n", stages.join(", "));
    }
    let rate = s.read as f64 / wall.max(1e-9);
    // A slow rate (one huge record) keeps a decimal, so that it never reads "0 records/s".
    let rate = if rate < 10.0 {
        stancemeter::human::decimal(rate, 1)
    } else {
        count(rate)
    };
    text += &format!("  time: {wall:.2} s, {rate} records/s\n");
    out(&text)?;
    open(open_report, &s.out)
}

/// Opens the report in the default browser when asked; a machine without one only gets a note.
fn open(asked: bool, dir: &std::path::Path) -> anyhow::Result<()> {
    if asked {
        let report = dir.join("index.html");
        if let Err(e) = open::that_detached(&report) {
            // The opener's own error ends in an exit status's debug form; said in words instead.
            let why = if e.kind() == std::io::ErrorKind::NotFound {
                "no program to open it with was found"
            } else {
                "the system's opener, xdg-open, open or start, found none"
            };
            note(&format!(
                "warning: could not open {} in a browser: {why}; open it yourself",
                report.display()
            ));
        }
    }
    Ok(())
}
