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
    /// Also write every text's prediction to this CSV: id, gold, predicted, correct, the score, the
    /// confidence, what drove it (as units.csv's stance_cues) and the text; errors are the rows whose
    /// correct is false.
    #[arg(long, value_name = "FILE")]
    predictions: Option<PathBuf>,
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
    let stances = eval::stances(&targets[0], &examples, a.raw);
    if let Some(path) = &a.predictions {
        write_predictions(path, &examples, &stances)?;
    }
    let m = eval::metrics(
        examples
            .iter()
            .zip(&stances)
            .map(|(e, s)| (e.gold, s.label)),
    );
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
        let model =
            targets[0]
                .model
                .as_ref()
                .map_or_else(String::new, |m| match m.source.as_str() {
                    stancemeter::config::EMBEDDED_MODEL_SOURCE => {
                        format!(" with the {}", stancemeter::config::EMBEDDED_MODEL_SOURCE)
                    }
                    s => format!(" with model {s}"),
                });
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

/// Writes one CSV row per example with its prediction, as `score` writes its rows (the same number form,
/// texts guarded against formula injection); the file is replaced only when complete.
fn write_predictions(
    path: &std::path::Path,
    examples: &[eval::Example],
    stances: &[stancemeter::model::Stance],
) -> anyhow::Result<()> {
    use stancemeter::export::{CsvFile, Dialect, stat, text};
    use std::borrow::Cow;
    let file = stancemeter::outdir::AtomicFile::create(path)?;
    let sink = Box::new(std::io::BufWriter::new(file.file()?));
    let mut csv = CsvFile::new(
        sink,
        path,
        Dialect::default(),
        &[
            "id",
            "gold",
            "predicted",
            "correct",
            "stance_score",
            "stance_confidence",
            "stance_cues",
            "text",
        ],
    )?;
    for (e, s) in examples.iter().zip(stances) {
        let cues = stancemeter::model::describe_cues(&s.cues);
        csv.row([
            text(&e.id),
            Cow::Borrowed(e.gold.as_str()),
            Cow::Borrowed(s.label.as_str()),
            Cow::Borrowed(if e.gold == s.label { "true" } else { "false" }),
            stat(s.score),
            stat(s.confidence),
            text(&cues),
            text(&e.text),
        ])?;
    }
    csv.finish()?;
    file.persist()?;
    Ok(())
}
