//! `stancemeter learn`: a target file proposed from labelled texts.

use super::out;
use stancemeter::outdir::{AtomicFile, refuse_overwrite};
use stancemeter::{eval, learn};
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// `learn`'s arguments.
#[derive(clap::Args)]
pub struct Args {
    /// A CSV with id,text,stance columns, or a TweetEval-style folder; repeat to learn from several.
    #[arg(long, value_name = "FILE|DIR", required = true)]
    labels: Vec<PathBuf>,
    /// Where to write the target file (never one of the label files).
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
    /// Also train a linear model (logistic regression over words, word pairs, character n-grams and
    /// the cue evidence of --target) and write it here; use it with `--model FILE` in run, score, eval.
    #[arg(long, value_name = "FILE")]
    model: Option<PathBuf>,
    /// With --model: the target whose cue evidence is a feature; the model then decides for this target
    /// (use it with this --target). Without it the model decides for the learned target.
    #[arg(long, value_name = "FILE", requires = "model")]
    target: Option<PathBuf>,
    /// With --model: labelled texts on which C and the threshold are chosen [default: a TweetEval folder's
    /// val split, else 5 folds of the training texts]. The final model is fitted on them too, so evaluate
    /// it on other texts.
    #[arg(long, value_name = "FILE|DIR", requires = "model")]
    validation: Option<PathBuf>,
    /// With --model: lengths of the character n-gram features, MIN-MAX (a space pads each side of a
    /// word) or none; several, separated by commas, are each tried and the one that does best on the
    /// validation texts is kept [default: 2-5].
    #[arg(long, value_name = "MIN-MAX,...", requires = "model",
          value_parser = chars_grid)]
    chars: Option<CharsGrid>,
}

/// Character n-gram settings to try (`--chars`).
#[derive(Debug, Clone)]
struct CharsGrid(Vec<[usize; 2]>);

fn chars_grid(v: &str) -> Result<CharsGrid, String> {
    v.split(',')
        .map(stancemeter::stance::linear::parse_chars)
        .collect::<Result<Vec<_>, _>>()
        .map(CharsGrid)
}

/// Proposes the cues, writes the target file and says how it did on its own examples.
pub fn run(a: Args) -> anyhow::Result<()> {
    let inputs: Vec<PathBuf> = a
        .labels
        .iter()
        .flat_map(|l| {
            if l.is_dir() {
                let s = &a.split;
                vec![
                    l.join(format!("{s}_text.txt")),
                    l.join(format!("{s}_labels.txt")),
                ]
            } else {
                vec![l.clone()]
            }
        })
        .collect();
    let inputs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    refuse_overwrite(&a.out, &inputs, "--out")?;
    if let Some(m) = &a.model {
        refuse_overwrite(m, &inputs, "--model")?;
        if m == &a.out {
            return Err(stancemeter::error::Error::Flag {
                flag: "--model".into(),
                reason: format!("{} is also --out", m.display()),
            }
            .into());
        }
    }
    // The target's id, from --id or the file name of --out, checked before any work.
    let id = a.id.clone().unwrap_or_else(|| {
        a.out.file_stem().map_or("learned".into(), |s| {
            s.to_string_lossy().to_lowercase().replace(' ', "-")
        })
    });
    if !stancemeter::stance::target::valid_id(&id) {
        let (flag, from) = if a.id.is_some() {
            ("--id", String::new())
        } else {
            ("--out", format!(" (made from {})", a.out.display()))
        };
        return Err(stancemeter::error::Error::Flag {
            flag: flag.into(),
            reason: format!(
                "the target id {id:?}{from} may hold only lowercase letters, digits, - and _; give one with --id"
            ),
        }
        .into());
    }
    let mut examples = Vec::new();
    for l in &a.labels {
        examples.extend(eval::read_examples(l, &a.split)?);
    }
    // The label files as one name, for messages and the files' headers.
    let labels = PathBuf::from(
        a.labels
            .iter()
            .map(|l| l.display().to_string())
            .collect::<Vec<_>>()
            .join(" + "),
    );
    let opts = learn::Options {
        id,
        min_count: a.min_count,
        min_z: a.min_z,
        max_cues: a.max_cues,
    };
    let proposals = learn::propose(&examples, &opts);
    let source = labels.display().to_string();
    let target = learn::build(&examples, &proposals, &opts, &source, &labels)?;
    let m = eval::metrics(eval::predict(&target, &examples, false));
    let toml = learn::checked_toml(&target, &proposals, m.f_avg, &a.out)?;
    // The model is trained before anything is written, so that a failure leaves both files as they were.
    let model = a
        .model
        .as_ref()
        .map(|path| model(&a, &labels, path, &examples, &target).map(|m| (path, m)))
        .transpose()?;
    write(&a.out, &toml)?;
    if let Some((path, (text, _))) = &model {
        write(path, text)?;
    }
    let (f, g) = (target.file.favor.len(), target.file.against.len());
    if let Some((_, (_, said))) = &model {
        out(said)?;
    }
    out(&format!(
        "wrote {}: {f} favor and {g} against cues from {} examples, threshold {}\n\
         F_avg on the training examples: {} (optimistic; check held-out texts with stancemeter eval)\n",
        a.out.display(),
        examples.len(),
        target.file.threshold,
        m.f_avg
            .map_or_else(|| "undefined".into(), |f| format!("{f:.3}"))
    ))
}

/// Writes `text` to `path`, replacing it only when complete.
fn write(path: &Path, text: &str) -> anyhow::Result<()> {
    let file = AtomicFile::create(path)?;
    file.file()?
        .write_all(text.as_bytes())
        .map_err(stancemeter::error::write_err(path))?;
    file.persist()?;
    Ok(())
}

/// Trains the linear model: its file's text and what to tell the user.
fn model(
    a: &Args,
    labels: &Path,
    path: &Path,
    examples: &[eval::Example],
    learned: &stancemeter::stance::Target,
) -> anyhow::Result<(String, String)> {
    use stancemeter::train::{self, Validation};
    let lexicon = a
        .target
        .as_ref()
        .map(|p| stancemeter::stance::Target::load_cues(p))
        .transpose()?;
    let held = match &a.validation {
        Some(v) => Some(eval::read_examples(v, "val")?),
        None if a.labels.len() == 1
            && a.labels[0].is_dir()
            && a.split != "val"
            && a.labels[0].join("val_text.txt").is_file() =>
        {
            Some(eval::read_examples(&a.labels[0], "val")?)
        }
        None => None,
    };
    let held_name = match &a.validation {
        Some(v) => v.display().to_string(),
        None => format!("the val split of {}", labels.display()),
    };
    let validation = held
        .as_deref()
        .map_or(Validation::Folds, |h| Validation::Split(h, &held_name));
    let id = lexicon.as_ref().unwrap_or(learned).id().to_string();
    let mut opts = train::Options::new(id.clone());
    opts.lexicon_source = a.target.as_ref().map(|p| p.display().to_string());
    if let Some(chars) = &a.chars {
        opts.chars.clone_from(&chars.0);
    }
    let trained = train::train(examples, validation, lexicon.as_ref(), &opts, labels)?;
    if examples.len() < 100 {
        super::note(&format!(
            "warning: {} training texts are few for a model of words and characters: expect it to fit them and miss new phrasings; a few hundred per class is a better start",
            examples.len()
        ));
    }
    if trained.model.threshold < 1.0 / 3.0 {
        // F_avg averages the F1 of favor and against only, so the chosen threshold can leave none rare.
        super::note(&format!(
            "warning: threshold {} was chosen because it gave the best F_avg, which counts favor and against only; below 1/3 the model seldom answers none. If none matters to you, set the threshold line of the model file higher (at 0.5 a side needs half the probability) and check it with eval",
            trained.model.threshold
        ));
    }
    let also = if held.is_some() {
        " (the validation texts are trained on too: evaluate on other texts)"
    } else {
        ""
    };
    let said = format!(
        "wrote {}: a linear model for target {id} with {} features from {} texts{also}; C {}, threshold {} and characters {} gave F_avg {:.3} on {}\n",
        path.display(),
        trained.model.names.len(),
        trained.texts,
        trained.c,
        trained.model.threshold,
        stancemeter::stance::linear::chars_text(trained.model.chars()),
        trained.validation_f_avg,
        trained.chosen_on,
    );
    Ok((trained.model.to_text(), said))
}
