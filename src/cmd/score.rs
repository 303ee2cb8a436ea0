//! `stancemeter score`: one CSV row of scores per record of a file or stdin, streamed.

use super::note;
use stancemeter::config;
use stancemeter::export::Dialect;
use stancemeter::ingest::columns::Columns;
use stancemeter::score::Scorer;
use stancemeter::{Error, stream};
use std::path::PathBuf;

/// `score`'s arguments.
#[derive(clap::Args)]
pub struct Args {
    /// The file to score, or - for stdin (CSV, TSV or JSONL, told apart by content without --format).
    #[arg(default_value = "-")]
    input: PathBuf,
    /// Write the CSV to this file instead of stdout (replaced only when every record is done).
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// A stance target file (TOML) whose columns to add; repeat for several.
    #[arg(long = "target", value_name = "FILE")]
    targets: Vec<PathBuf>,
    /// A learned stance model (`learn --model`) that decides for the target of its id, instead of the
    /// model its target file names; repeat for several.
    #[arg(long = "model", value_name = "FILE")]
    models: Vec<PathBuf>,
    /// Decide stance by the targets' cues alone, without the models their files name.
    #[arg(long, conflicts_with = "models")]
    no_model: bool,
    /// Score the raw text, exactly as vaderSentiment 3.3.2 does.
    #[arg(long)]
    raw: bool,
    /// Add a column that says which tokens gave which valence.
    #[arg(long)]
    explain: bool,
    /// Score empty texts (all zeros, as the reference does) instead of treating them as bad records.
    #[arg(long)]
    keep_empty: bool,
    /// Report bad records on stderr and go on, instead of stopping at the first.
    #[arg(long)]
    skip_bad: bool,
    /// Spreadsheet CSV: UTF-8 BOM and CRLF line ends.
    #[arg(long)]
    excel: bool,
    /// Worker threads; 0 means one per core.
    #[arg(long, short, value_name = "N", default_value_t = 0)]
    jobs: usize,
    /// Input format instead of by extension: csv, tsv or jsonl.
    #[arg(long, value_name = "FORMAT")]
    format: Option<String>,
    /// The CSV or TSV file has no header row: choose columns by index.
    #[arg(long)]
    no_header: bool,
    /// The CSV field delimiter: , ; | or tab [default: sniffed from the header line].
    #[arg(long, value_name = "CHAR")]
    delimiter: Option<String>,
    /// The input's encoding, e.g. windows-1252, latin1, utf-16le [default: UTF-8, or UTF-16 with a BOM].
    #[arg(long, value_name = "NAME")]
    encoding: Option<String>,
    /// Reject a text longer than this many bytes, with its size, as a bad record; 0 means no limit
    /// [default: 1048576, 1 MiB].
    #[arg(long, value_name = "BYTES")]
    max_text_bytes: Option<usize>,
    /// Reject a JSONL record that nests arrays and objects more than this many levels deep, as a bad
    /// record; 1 to 127 [default: 127, the JSON parser's own bound].
    #[arg(long, value_name = "LEVELS")]
    max_json_depth: Option<usize>,
    #[command(flatten)]
    columns: Columns,
}

/// Scores the input on a pool of its own and reports the rejects on stderr.
pub fn run(a: Args) -> anyhow::Result<()> {
    super::SKIP_BAD_HINT.store(!a.skip_bad, std::sync::atomic::Ordering::Relaxed);
    let format = a.format.as_deref().map(config::parse_format).transpose()?;
    // Stance columns when a target, a model or --no-model asks for them; the default target then.
    let targets = if a.targets.is_empty() && a.models.is_empty() && !a.no_model {
        Vec::new()
    } else {
        config::targets(&a.targets, &a.models, a.no_model)?.0
    };
    super::warn_model_mismatch(&targets);
    // The column flags that `run` shares: score writes, and so reads, only the id and the text.
    use stancemeter::ingest::columns::Role;
    for role in Role::ALL.into_iter().filter(|r| r.is_meta()) {
        if a.columns.get(role).is_some() {
            note(&format!(
                "warning: {}: score reads only the id and the text, the fields it writes; this flag serves run",
                role.flag()
            ));
        }
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(a.jobs)
        .build()
        .map_err(|e| Error::Flag {
            flag: "--jobs".into(),
            reason: format!("cannot start {} threads: {e}", a.jobs),
        })?;
    let opts = stream::Options {
        input: a.input,
        output: a.output,
        format,
        delimiter: a
            .delimiter
            .as_deref()
            .map(config::parse_delimiter)
            .transpose()?,
        encoding: a
            .encoding
            .as_deref()
            .map(config::parse_encoding)
            .transpose()?,
        columns: a.columns,
        no_header: a.no_header,
        skip_bad: a.skip_bad,
        keep_empty: a.keep_empty,
        max_text_bytes: config::max_text_bytes(a.max_text_bytes),
        max_json_depth: config::max_json_depth(a.max_json_depth)?,
        explain: a.explain,
        scorer: Scorer::new(targets, None, a.raw, true).explained(a.explain),
        dialect: Dialect { excel: a.excel },
    };
    // Read on the pool too: with one job, each record is then read, scored and dropped on the same
    // thread (a record freed by another thread than the one that read it costs the allocator more).
    let counts = pool.install(|| {
        stream::run(
            &opts,
            &pool,
            &mut |r| {
                note(&format!("rejected: {r}"));
            },
            &mut |w| note(&format!("warning: {w}")),
        )
    })?;
    // Records named by line while the header has columns no role reads: one of them may be the id.
    if let Some(columns) = &counts.columns {
        note(&format!("columns: {columns}"));
    }
    if counts.rejected > 0 {
        note(&format!(
            "{} read = {} scored + {} rejected",
            counts.read, counts.scored, counts.rejected
        ));
    }
    Ok(())
}
