//! `stancemeter run`: the whole pipeline over a corpus into an output folder.

use super::{note, out};
use stancemeter::config::{Config, RunOptions};
use stancemeter::pipeline;

/// Runs the pipeline and prints what it read and wrote.
pub fn run(opts: RunOptions) -> anyhow::Result<()> {
    let open_report = opts.open;
    let cfg = Config::build(opts, std::env::args().collect())?;
    // The columns chosen are shown as soon as ingest knows them, before the (long) scoring.
    let s = pipeline::run_with(&cfg, &mut |event| {
        if let pipeline::Event::Columns(columns) = event {
            for c in columns {
                note(&format!("columns: {c}"));
            }
        }
    })?;
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
    out(&text)?;
    if open_report {
        let report = s.out.join("index.html");
        // The run succeeded; a machine without a browser only gets a note.
        if let Err(e) = open::that_detached(&report) {
            note(&format!(
                "warning: could not open {} in a browser: {e}",
                report.display()
            ));
        }
    }
    Ok(())
}
