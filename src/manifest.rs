//! The run manifest, run.json: what was run, on what, with which lexicons, and what came out.

use crate::config::Config;
use crate::error::{Result, write_err};
use crate::ingest::sha256_hex as sha256;
use crate::ingest::{Format, InputFile};
use serde_json::json;
use std::path::{Path, PathBuf};

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
    /// CPU seconds of the parts of the score stage, summed over threads (see `Scorer::cpu_seconds`).
    pub score_cpu: Vec<(&'static str, f64)>,
    /// The inputs as named.
    pub inputs: Vec<String>,
    /// What the user should know that is not an error: files skipped in a folder, reply cycles broken.
    pub warnings: Vec<String>,
    /// How each input was read: its format when found from the content, and the column chosen for
    /// each role, e.g. `comments.csv: text = message, id = comment_id`.
    pub columns: Vec<String>,
}

fn file_sha(path: &str) -> Option<String> {
    std::fs::read(path).ok().map(|b| sha256(&b))
}

/// The process's peak resident memory so far, in bytes (Linux's VmHWM); `None` where /proc does not
/// give it. Written last, so it covers the whole run but the manifest itself.
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Writes run.json.
pub fn write(path: &Path, cfg: &Config, s: &Summary, inputs: &[InputFile]) -> Result<()> {
    let files: Vec<_> = inputs
        .iter()
        .map(|f| {
            json!({ "path": f.path, "format": f.format.as_str(), "bytes": f.bytes, "sha256": f.sha256, "encoding": f.encoding, "delimiter": f.delimiter.map(String::from) })
        })
        .collect();
    let targets: Vec<_> = cfg
        .scorer
        .targets()
        .iter()
        .zip(&cfg.target_sources)
        .map(|(t, src)| {
            let toml = toml::to_string(&t.file).unwrap_or_default();
            let model = t.model.as_ref().map(|m| json!({ "source": m.source, "sha256": file_sha(&m.source), "features": m.names.len(), "threshold": m.threshold }));
            json!({ "id": t.id(), "source": src, "sha256": sha256(toml.as_bytes()), "cues": t.cues.len(), "model": model })
        })
        .collect();
    let m = json!({
        "tool": "stancemeter",
        "version": env!("CARGO_PKG_VERSION"),
        "command_line": cfg.argv,
        "inputs": files,
        "config_file": cfg.config_file.as_ref().map(|p| json!({ "path": p.display().to_string(), "sha256": file_sha(&p.display().to_string()) })),
        "config": {
            "raw": cfg.scorer.raw(), "jobs": cfg.jobs, "skip_bad": cfg.ingest.skip_bad, "excel": cfg.dialect.excel, "parquet": cfg.parquet, "xlsx": cfg.xlsx,
            "keep_quotes": cfg.scorer.keep_quotes(), "entities": cfg.entities_source,
            "format": cfg.ingest.format.map(Format::as_str),
            "encoding": cfg.ingest.encoding.map(encoding_rs::Encoding::name),
            "max_text_bytes": cfg.ingest.max_text_bytes,
            "max_json_depth": cfg.ingest.max_json_depth,
        },
        "lexicons": {
            "vader_lexicon.txt": sha256(crate::vader::LEXICON.as_bytes()),
            "emoji_utf8_lexicon.txt": sha256(crate::vader::EMOJI_LEXICON.as_bytes()),
        },
        "targets": targets,
        "counts": { "read": s.read, "scored": s.scored, "rejected": s.rejected, "layout_blocks_skipped": s.layout_skipped },
        "stage_seconds": s.stages.iter().map(|(k, v)| (k.to_string(), json!(v))).collect::<serde_json::Map<_, _>>(),
        "score_cpu_seconds": s.score_cpu.iter().map(|(k, v)| (k.to_string(), json!(v))).collect::<serde_json::Map<_, _>>(),
        "peak_memory_bytes": peak_memory(),
        "warnings": s.warnings,
        "columns": s.columns,
        "outputs": s.files,
    });
    let text = serde_json::to_string_pretty(&m).unwrap_or_default() + "\n";
    std::fs::write(path, text).map_err(write_err(path))
}
