//! The `stancemeter` command: parses arguments and dispatches to one module per subcommand (`cmd/`).
//! Errors are mapped to exit codes here (2 usage or configuration, 3 bad input data, 1 anything else);
//! a closed output pipe is not an error.

mod cmd;

/// mimalloc instead of the system allocator: units are parsed, scored and written on different threads,
/// and glibc's malloc spent about 15 % of a run's CPU time (perf, 200 k comments, --jobs 2), much of it
/// freeing on one thread what another allocated. Outputs do not depend on the allocator.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand};
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
    Run(stancemeter::config::RunOptions),
    /// Score a CSV, TSV or JSONL file (or stdin) and write one CSV row of scores per record.
    Score(cmd::score::Args),
    /// Measure a stance target on labelled texts: precision, recall, F1, F_avg and the confusion matrix.
    Eval(cmd::eval::Args),
    /// Propose a stance target (cue lexicon) from labelled texts, as an editable TOML file.
    Learn(cmd::learn::Args),
    /// Write editable copies of the default target and entities, and a commented config file.
    Init(cmd::init::Args),
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Run(o) => cmd::run::run(o),
        Command::Score(a) => cmd::score::run(a),
        Command::Eval(a) => cmd::eval::run(a),
        Command::Learn(a) => cmd::learn::run(a),
        Command::Init(a) => cmd::init::run(a),
    };
    cmd::exit(result)
}
