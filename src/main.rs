//! The `stancemeter` command: parses arguments, builds a validated configuration, calls the library and
//! maps errors to exit codes (2 usage or configuration, 3 bad input data, 1 anything else).

use anyhow::Context as _;
use clap::{Args, Parser, Subcommand};
use stancemeter::config::{self, Config, Flags};
use stancemeter::export::Dialect;
use stancemeter::{Error, pipeline, stream};
use std::path::PathBuf;
use std::process::ExitCode;

/// Measure attitudes in text: exact VADER sentiment, explainable stance, tables, charts and a report.
#[derive(Parser)]
#[command(name = "stancemeter", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the whole pipeline over a corpus (the embedded default when none is given) into reports/.
    Run(RunArgs),
    /// Score a CSV, TSV or JSONL file (or stdin) and write one CSV row of scores per record.
    Score(ScoreArgs),
    /// Measure a stance target on labelled texts: precision, recall, F1, F_avg and the confusion matrix.
    Eval(EvalArgs),
    /// Propose a stance target (cue lexicon) from labelled texts, as an editable TOML file.
    Learn(LearnArgs),
}

#[derive(Args)]
struct LearnArgs {
    /// A CSV with id,text,stance columns, or a TweetEval-style folder.
    #[arg(long, value_name = "FILE|DIR")]
    labels: PathBuf,
    /// Where to write the target file.
    #[arg(long, short, value_name = "FILE")]
    out: PathBuf,
    /// The target id [default: the output file's stem].
    #[arg(long)]
    id: Option<String>,
    /// The split of a TweetEval-style folder.
    #[arg(long, default_value = "train")]
    split: String,
    /// Documents of a pole that must hold an n-gram for it to be a cue.
    #[arg(long, default_value_t = 2)]
    min_count: usize,
    /// Minimum z-score of an n-gram's log-odds ratio.
    #[arg(long, default_value_t = 1.96)]
    min_z: f64,
    /// Most cues per pole.
    #[arg(long, default_value_t = 50)]
    max_cues: usize,
}

#[derive(Args)]
struct EvalArgs {
    /// A CSV with id,text,stance columns, or a TweetEval-style folder (<split>_text.txt, <split>_labels.txt).
    #[arg(long, value_name = "FILE|DIR")]
    labels: PathBuf,
    /// The target to evaluate [default: data/targets/xiaomi-us-entry.toml].
    #[arg(long, value_name = "FILE")]
    target: Option<PathBuf>,
    /// The split of a TweetEval-style folder.
    #[arg(long, default_value = "test")]
    split: String,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// Score the raw text, without normalisation.
    #[arg(long)]
    raw: bool,
}

/// Which field holds what; a name (or dotted JSON path) or a 1-based index.
#[derive(Args, Default)]
struct ColumnArgs {
    /// Text column [default: text, body or content].
    #[arg(long, value_name = "NAME|N")]
    text_column: Option<String>,
    /// Id column [default: id].
    #[arg(long, value_name = "NAME|N")]
    id_column: Option<String>,
    /// Author column [default: author, user or username].
    #[arg(long, value_name = "NAME|N")]
    author_column: Option<String>,
    /// Date column, ISO 8601 or Unix seconds [default: date, created_at or created_utc].
    #[arg(long, value_name = "NAME|N")]
    date_column: Option<String>,
    /// Parent id column, for reply threads [default: parent_id].
    #[arg(long, value_name = "NAME|N")]
    parent_column: Option<String>,
    /// Kind column: title, heading, paragraph, caption or comment [default: kind].
    #[arg(long, value_name = "NAME|N")]
    kind_column: Option<String>,
    /// Document or thread column [default: doc_id or link_id].
    #[arg(long, value_name = "NAME|N")]
    doc_column: Option<String>,
    /// The CSV or TSV file has no header row: choose columns by index.
    #[arg(long)]
    no_header: bool,
    /// Input format instead of by extension: page, text, csv, tsv or jsonl.
    #[arg(long, value_name = "FORMAT")]
    format: Option<String>,
}

impl ColumnArgs {
    fn values(&self) -> [Option<String>; 7] {
        [
            self.text_column.clone(),
            self.id_column.clone(),
            self.author_column.clone(),
            self.date_column.clone(),
            self.parent_column.clone(),
            self.kind_column.clone(),
            self.doc_column.clone(),
        ]
    }
}

#[derive(Args)]
struct RunArgs {
    /// Corpus files or directories, or - for stdin [default: the embedded AndroidPIT article].
    inputs: Vec<PathBuf>,
    /// Output directory.
    #[arg(long, short, value_name = "DIR")]
    out: Option<PathBuf>,
    /// A config file (TOML); flags given here win over it.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// A stance target file (TOML); repeat for several [default: data/targets/xiaomi-us-entry.toml].
    #[arg(long = "target", value_name = "FILE")]
    targets: Vec<PathBuf>,
    /// Worker threads; 0 means one per core.
    #[arg(long, short, value_name = "N")]
    jobs: Option<usize>,
    /// Score the raw text: no normalisation of apostrophes, entities and zero-width characters.
    #[arg(long)]
    raw: bool,
    /// The entities file for targeted sentiment [default: data/entities.toml].
    #[arg(long, value_name = "FILE")]
    entities: Option<PathBuf>,
    /// Score passages that quote the article or the parent comment as the commenter's own words.
    #[arg(long)]
    keep_quotes: bool,
    /// Write bad records to rejects.csv and go on, instead of stopping at the first.
    #[arg(long)]
    skip_bad: bool,
    /// Spreadsheet CSV: UTF-8 BOM and CRLF line ends.
    #[arg(long)]
    excel: bool,
    /// Also write every aggregate table as Parquet.
    #[arg(long)]
    parquet: bool,
    #[command(flatten)]
    columns: ColumnArgs,
}

#[derive(Args)]
struct ScoreArgs {
    /// The file to score, or - for stdin (read as CSV unless --format says otherwise).
    #[arg(default_value = "-")]
    input: PathBuf,
    /// Write to this file instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// A stance target file (TOML) whose columns to add; repeat for several.
    #[arg(long = "target", value_name = "FILE")]
    targets: Vec<PathBuf>,
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
    #[command(flatten)]
    columns: ColumnArgs,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(a) => run(a),
        Command::Score(a) => score(a),
        Command::Eval(a) => eval(a),
        Command::Learn(a) => learn(a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let lib = e.downcast_ref::<Error>();
            if lib.is_some_and(Error::is_broken_pipe) {
                return ExitCode::SUCCESS;
            }
            // Library messages already name their cause; print each link of the chain once.
            let mut msg = String::new();
            for cause in e.chain().map(ToString::to_string) {
                if !msg.contains(&cause) {
                    msg += &if msg.is_empty() {
                        cause
                    } else {
                        format!(": {cause}")
                    };
                }
            }
            eprintln!("stancemeter: error: {msg}");
            ExitCode::from(lib.map_or(1, Error::exit_code) as u8)
        }
    }
}

fn run(a: RunArgs) -> anyhow::Result<()> {
    let flags = Flags {
        inputs: a.inputs,
        config: a.config,
        out: a.out,
        targets: a.targets,
        entities: a.entities,
        jobs: a.jobs,
        raw: a.raw,
        keep_quotes: a.keep_quotes,
        skip_bad: a.skip_bad,
        excel: a.excel,
        parquet: a.parquet,
        format: a.columns.format.clone(),
        no_header: a.columns.no_header,
        columns: a.columns.values(),
        argv: std::env::args().collect(),
    };
    let cfg = Config::build(flags)?;
    let s = pipeline::run(&cfg)?;
    for w in &s.warnings {
        eprintln!("stancemeter: warning: {w}");
    }
    println!(
        "stancemeter {}: {}",
        env!("CARGO_PKG_VERSION"),
        s.inputs.join(", ")
    );
    println!(
        "  records: {} read = {} scored + {} rejected{}",
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
        println!(
            "  page layout: {} blocks left out (boilerplate, image labels, repeated title, pull quotes)",
            s.layout_skipped
        );
    }
    println!(
        "  targets: {}",
        cfg.targets
            .iter()
            .zip(&cfg.target_sources)
            .map(|(t, src)| format!("{} ({src})", t.id()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "  wrote {} files to {}: {}",
        s.files.len(),
        s.out.display(),
        s.files.join(", ")
    );
    println!("  report: {}", s.out.join("index.html").display());
    Ok(())
}

fn score(a: ScoreArgs) -> anyhow::Result<()> {
    let format = a
        .columns
        .format
        .as_deref()
        .map(config::parse_format)
        .transpose()?;
    let columns = config::columns(&a.columns.values(), &config::ColumnFile::default())?;
    let (targets, _) = if a.targets.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        config::targets(&a.targets)?
    };
    if a.jobs > 0 {
        // The global pool can be set only once; a failure means it already exists, which is harmless.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(a.jobs)
            .build_global();
    }
    let opts = stream::Options {
        input: a.input,
        output: a.output,
        format,
        columns,
        no_header: a.columns.no_header,
        skip_bad: a.skip_bad,
        raw: a.raw,
        keep_empty: a.keep_empty,
        explain: a.explain,
        targets,
        dialect: Dialect { excel: a.excel },
    };
    let counts = stream::run(&opts, &mut |r| {
        eprintln!(
            "stancemeter: rejected: {}, line {}: {}: {}",
            r.source, r.line, r.field, r.reason
        )
    })
    .with_context(|| format!("scoring {}", opts.input.display()))?;
    if counts.rejected > 0 {
        eprintln!(
            "stancemeter: {} read = {} scored + {} rejected",
            counts.read, counts.scored, counts.rejected
        );
    }
    Ok(())
}

fn eval(a: EvalArgs) -> anyhow::Result<()> {
    let (targets, sources) = config::targets(&a.target.into_iter().collect::<Vec<_>>())?;
    let examples = stancemeter::eval::read_examples(&a.labels, &a.split)?;
    let m = stancemeter::eval::metrics(stancemeter::eval::predict(&targets[0], &examples, a.raw));
    if a.json {
        let out = serde_json::json!({ "labels": a.labels.display().to_string(), "target": targets[0].id(), "target_source": sources[0], "metrics": m });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        let what = format!(
            "{} ({}) on {}",
            targets[0].id(),
            sources[0],
            a.labels.display()
        );
        print!("{}", stancemeter::eval::render(&m, &what));
    }
    Ok(())
}

fn learn(a: LearnArgs) -> anyhow::Result<()> {
    use stancemeter::learn;
    let inputs = if a.labels.is_dir() {
        let s = &a.split;
        vec![
            a.labels.join(format!("{s}_text.txt")),
            a.labels.join(format!("{s}_labels.txt")),
        ]
    } else {
        vec![a.labels.clone()]
    };
    let inputs: Vec<&std::path::Path> = inputs.iter().map(PathBuf::as_path).collect();
    stancemeter::outdir::refuse_overwrite(&a.out, &inputs, "--out")?;
    let examples = stancemeter::eval::read_examples(&a.labels, &a.split)?;
    let id = a.id.unwrap_or_else(|| {
        a.out.file_stem().map_or("learned".into(), |s| {
            s.to_string_lossy().to_lowercase().replace(' ', "-")
        })
    });
    let opts = learn::Options {
        id,
        min_count: a.min_count,
        min_z: a.min_z,
        max_cues: a.max_cues,
    };
    let proposals = learn::propose(&examples, &opts);
    let source = a.labels.display().to_string();
    let target =
        learn::build(&examples, &proposals, &opts, &source).map_err(|reason| Error::Config {
            file: a.labels.clone(),
            reason,
        })?;
    let m = stancemeter::eval::metrics(stancemeter::eval::predict(&target, &examples, false));
    let toml = learn::to_toml(&target, &proposals, m.f_avg);
    let file = stancemeter::outdir::AtomicFile::create(&a.out)?;
    std::io::Write::write_all(&mut file.file()?, toml.as_bytes())
        .map_err(stancemeter::error::write_err(&a.out))?;
    file.persist()?;
    let (f, g) = (target.file.favor.len(), target.file.against.len());
    println!(
        "wrote {}: {f} favor and {g} against cues from {} examples, threshold {}",
        a.out.display(),
        examples.len(),
        target.file.threshold
    );
    println!(
        "F_avg on the training examples: {} (optimistic; check held-out texts with stancemeter eval)",
        m.f_avg
            .map_or_else(|| "undefined".into(), |f| format!("{f:.3}"))
    );
    Ok(())
}
