//! `stancemeter eval`: a target's precision, recall, F1 and F_avg on labelled texts.

use super::out;
use stancemeter::{config, eval};
use std::path::PathBuf;

/// `eval`'s arguments.
#[derive(clap::Args)]
pub struct Args {
    /// A CSV with id,text,stance columns, or a TweetEval-style folder (<split>_text.txt, <split>_labels.txt).
    #[arg(long, value_name = "FILE|DIR")]
    labels: PathBuf,
    /// The target to evaluate [default: data/targets/xiaomi-us-entry.toml].
    #[arg(long, value_name = "FILE")]
    target: Option<PathBuf>,
    /// A learned stance model (`learn --model`) for the target, which then decides instead of the model
    /// its file names.
    #[arg(long, value_name = "FILE")]
    model: Option<PathBuf>,
    /// Evaluate the target's cues alone, without the model its file names.
    #[arg(long, conflicts_with = "model")]
    no_model: bool,
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

/// Evaluates the target and prints the metrics.
pub fn run(a: Args) -> anyhow::Result<()> {
    let (targets, sources) = config::targets(
        &a.target.into_iter().collect::<Vec<_>>(),
        &a.model.into_iter().collect::<Vec<_>>(),
        a.no_model,
    )?;
    super::warn_model_mismatch(&targets);
    let examples = eval::read_examples(&a.labels, &a.split)?;
    let m = eval::metrics(eval::predict(&targets[0], &examples, a.raw));
    let text = if a.json {
        let doc = serde_json::json!({
            "labels": a.labels.display().to_string(),
            "target": targets[0].id(),
            "target_source": sources[0],
            "model": targets[0].model.as_ref().map(|m| m.source.clone()),
            "metrics": m,
        });
        serde_json::to_string_pretty(&doc)? + "\n"
    } else {
        let model = targets[0]
            .model
            .as_ref()
            .map_or_else(String::new, |m| format!(" with model {}", m.source));
        let what = format!(
            "{} ({}){model} on {}",
            targets[0].id(),
            sources[0],
            a.labels.display()
        );
        eval::render(&m, &what)
    };
    out(&text)
}
