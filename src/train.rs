//! Training the linear stance model of [`crate::stance::linear`] from labelled texts (`learn --model`).
//!
//! Takes labelled examples, a validation source (a validation split, or folds of the examples) and,
//! optionally, a target whose cue evidence becomes a feature; gives a [`Model`] and how it was chosen.
//!
//! Every text takes the scoring core's path (normalisation, sentences, tokens, the target's cues), so a
//! model sees at training time exactly what it sees in `run`. The model is L2-regularised multinomial
//! logistic regression, minimising Σ −log p(gold) + ‖W‖² / (2C) (the bias is not penalised, as in
//! scikit-learn's `LogisticRegression`) with L-BFGS from `argmin`. The gradient is computed over sparse
//! rows here: `linfa-logistic` takes a dense matrix, and a modest corpus (20 k texts, 100 k features)
//! would need 16 GB as one. C and the decision threshold are the pair of a grid with the best F_avg on the
//! validation texts; the model is then fitted again on the training and validation texts together.

use crate::error::{Error, Result};
use crate::eval::{self, Example};
use crate::model::{Label, Unit};
use crate::score::Scorer;
use crate::stance::linear::Model;
use crate::stance::{self, Target, linear};
use argmin::core::{CostFunction, Executor, Gradient};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::path::Path;

/// Settings for training.
#[derive(Debug, Clone)]
pub struct Options {
    /// The target id the model decides for.
    pub target: String,
    /// Training texts a word or character feature must occur in.
    pub min_df: usize,
    /// Character n-gram lengths tried, shortest and longest ([`linear::parse_chars`]); chosen with C
    /// and the threshold.
    pub chars: Vec<[usize; 2]>,
    /// Values of C (inverse regularisation) tried.
    pub c_grid: Vec<f64>,
    /// Thresholds tried.
    pub thresholds: Vec<f64>,
    /// Folds when there is no validation split.
    pub folds: usize,
    /// Where the lexicon target was read from, for the model's header.
    pub lexicon_source: Option<String>,
    /// Most L-BFGS iterations per fit.
    pub max_iters: u64,
}

impl Options {
    /// The defaults `learn --model` uses.
    pub fn new(target: String) -> Options {
        Options {
            target,
            min_df: 2,
            chars: vec![linear::DEFAULT_CHARS],
            c_grid: vec![0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0],
            thresholds: (4..=14).map(|k| f64::from(k) / 20.0).collect(),
            folds: 5,
            max_iters: 500,
            lexicon_source: None,
        }
    }
}

/// Where C and the threshold are chosen.
#[derive(Debug, Clone, Copy)]
pub enum Validation<'a> {
    /// Texts held out for it (TweetEval's val split, `--validation FILE`), named for the model's header.
    /// They are trained on too, in the final fit: do not evaluate on them.
    Split(&'a [Example], &'a str),
    /// Folds of the training texts: each text is predicted by a model fitted on the other folds.
    Folds,
}

/// A trained model and how it was chosen.
#[derive(Debug, Clone)]
pub struct Trained {
    /// The model, fitted on every text (training and validation).
    pub model: Model,
    /// The chosen C.
    pub c: f64,
    /// F_avg of the chosen C and threshold on the validation texts.
    pub validation_f_avg: f64,
    /// Texts the final fit used.
    pub texts: usize,
    /// Where C and the threshold were chosen, in words ("26 validation texts", "5 folds of ...").
    pub chosen_on: String,
}

/// A value of C and, for every validation text, its gold class and predicted probabilities.
type Predicted = (f64, Vec<(usize, [f64; 3])>);

/// One text as features: (name, value), each name once, in first-seen order.
type Doc = Vec<(String, f64)>;

fn encode(
    scorer: &Scorer,
    lexicon: Option<&Target>,
    chars: [usize; 2],
    e: &Example,
) -> (Doc, usize) {
    let p = scorer.prepare(Unit {
        id: e.id.clone(),
        text: e.text.clone(),
        ..Default::default()
    });
    let toks = Scorer::tokens(&p);
    let rule = lexicon.map(|t| stance::score(t, &p.text, &toks));
    let mut seen: FxHashMap<String, ()> = FxHashMap::default();
    let mut doc = Vec::new();
    linear::for_each_feature(
        &toks,
        rule.as_ref(),
        chars,
        &mut String::new(),
        |name, v, _| {
            if seen.insert(name.to_string(), ()).is_none() {
                doc.push((name.to_string(), v));
            }
        },
    );
    let y = linear::CLASSES
        .iter()
        .position(|c| *c == e.gold)
        .unwrap_or(2);
    (doc, y)
}

/// The objective over sparse rows: parameters are the weights, three per feature, then three biases.
struct Problem<'a> {
    rows: &'a [Vec<(u32, f64)>],
    y: &'a [usize],
    features: usize,
    c: f64,
}

impl Problem<'_> {
    fn logits(&self, w: &[f64], row: &[(u32, f64)]) -> [f64; 3] {
        let b = 3 * self.features;
        let mut z = [w[b], w[b + 1], w[b + 2]];
        for &(f, v) in row {
            let k = 3 * f as usize;
            for (c, zc) in z.iter_mut().enumerate() {
                *zc += v * w[k + c];
            }
        }
        z
    }
}

impl CostFunction for Problem<'_> {
    type Param = Vec<f64>;
    type Output = f64;
    fn cost(&self, w: &Vec<f64>) -> std::result::Result<f64, argmin::core::Error> {
        let mut loss = 0.0;
        for (row, &y) in self.rows.iter().zip(self.y) {
            let z = self.logits(w, row);
            let m = z[0].max(z[1]).max(z[2]);
            let lse = m + z.iter().map(|x| (x - m).exp()).sum::<f64>().ln();
            loss += lse - z[y];
        }
        let reg: f64 = w[..3 * self.features].iter().map(|x| x * x).sum();
        Ok(loss + reg / (2.0 * self.c))
    }
}

impl Gradient for Problem<'_> {
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;
    fn gradient(&self, w: &Vec<f64>) -> std::result::Result<Vec<f64>, argmin::core::Error> {
        let b = 3 * self.features;
        let mut g: Vec<f64> = w.iter().map(|x| x / self.c).collect();
        g[b..].iter_mut().for_each(|x| *x = 0.0);
        for (row, &y) in self.rows.iter().zip(self.y) {
            let mut d = linear::softmax(self.logits(w, row));
            d[y] -= 1.0;
            for &(f, v) in row {
                let k = 3 * f as usize;
                for c in 0..3 {
                    g[k + c] += v * d[c];
                }
            }
            for c in 0..3 {
                g[b + c] += d[c];
            }
        }
        Ok(g)
    }
}

/// Fits a model with `c` on the docs `which` (indexes into `docs`).
fn fit(
    docs: &[(Doc, usize)],
    which: &[usize],
    chars: [usize; 2],
    c: f64,
    lexicon: bool,
    opts: &Options,
) -> Result<Model> {
    // Vocabulary: word and character features in at least min_df of these texts; the lexicon's always.
    let mut df: FxHashMap<&str, usize> = FxHashMap::default();
    for &i in which {
        for (name, _) in &docs[i].0 {
            *df.entry(name.as_str()).or_default() += 1;
        }
    }
    let mut names: Vec<&str> = df
        .iter()
        .filter(|&(n, &d)| d >= opts.min_df || n.starts_with("lex:"))
        .map(|(n, _)| *n)
        .collect();
    names.sort_unstable();
    let index: FxHashMap<&str, u32> = names
        .iter()
        .enumerate()
        .map(|(k, n)| (*n, k as u32))
        .collect();
    let rows: Vec<Vec<(u32, f64)>> = which
        .iter()
        .map(|&i| {
            docs[i]
                .0
                .iter()
                .filter_map(|(n, v)| index.get(n.as_str()).map(|&k| (k, *v)))
                .collect()
        })
        .collect();
    let y: Vec<usize> = which.iter().map(|&i| docs[i].1).collect();
    let problem = Problem {
        rows: &rows,
        y: &y,
        features: names.len(),
        c,
    };
    let failed = |e: argmin::core::Error| Error::Train(e.to_string());
    let solver = LBFGS::new(MoreThuenteLineSearch::new(), 10)
        .with_tolerance_grad(1e-6)
        .and_then(|s| s.with_tolerance_cost(1e-12))
        .map_err(failed)?;
    let start = vec![0.0; 3 * names.len() + 3];
    let res = Executor::new(problem, solver)
        .configure(|s| s.param(start).max_iters(opts.max_iters))
        .run()
        .map_err(failed)?;
    let w = res
        .state
        .best_param
        .ok_or_else(|| Error::Train("the optimiser gave no parameters".into()))?;
    let b = 3 * names.len();
    let m = Model::new(
        opts.target.clone(),
        0.5,
        lexicon,
        names.iter().map(|n| (*n).to_string()).collect(),
        (0..names.len())
            .map(|k| [w[3 * k], w[3 * k + 1], w[3 * k + 2]])
            .collect(),
        [w[b], w[b + 1], w[b + 2]],
    )
    .with_chars(chars);
    Ok(m)
}

/// Class probabilities of an encoded text under `m`.
fn probabilities(m: &Model, doc: &Doc) -> [f64; 3] {
    m.probabilities_of(
        doc.iter()
            .filter_map(|(name, v)| m.feature(name).map(|k| (k, *v))),
    )
}

/// Trains a model on `train`, choosing C and the threshold on `validation`. With `lexicon`, its cue
/// evidence is a feature, and the model is for use with that target.
pub fn train(
    train: &[Example],
    validation: Validation,
    lexicon: Option<&Target>,
    opts: &Options,
    labels: &Path,
) -> Result<Trained> {
    let bad = |reason: String| Error::Config {
        file: labels.to_path_buf(),
        reason,
    };
    let lexicon = lexicon.map(|t| {
        let mut t = t.clone();
        t.model = None;
        t
    });
    let scorer = Scorer::new(Vec::new(), None, false, false);
    let held: &[Example] = match validation {
        Validation::Split(v, _) => v,
        Validation::Folds => &[],
    };
    if opts.chars.is_empty() {
        return Err(bad("no character n-gram lengths to try".into()));
    }
    // Texts too few or of one class are bad input data, as a bad record is (exit code 3).
    let too_few = |reason: String| Error::Labels {
        file: labels.to_path_buf(),
        reason,
    };
    let texts: Vec<&Example> = train.iter().chain(held).collect();
    // The texts encoded once per character n-gram setting tried.
    let encoded: Vec<Vec<(Doc, usize)>> = opts
        .chars
        .iter()
        .map(|&chars| {
            texts
                .par_iter()
                .map(|e| encode(&scorer, lexicon.as_ref(), chars, e))
                .collect()
        })
        .collect();
    let docs = &encoded[0];
    let classes = |idx: &[usize]| {
        let mut n = [0usize; 3];
        idx.iter().for_each(|&i| n[docs[i].1] += 1);
        n
    };
    let all: Vec<usize> = (0..docs.len()).collect();
    let n = classes(&all[..train.len()]);
    eval::two_classes(n, labels, "a model needs", "the training texts")?;
    // (validation doc, the fits that predict it): a split is predicted by one fit on the training texts;
    // folds by a fit on the other folds.
    let plans: Vec<(Vec<usize>, Vec<usize>)> = match validation {
        Validation::Split(v, _) => {
            if v.is_empty() {
                return Err(too_few("the validation texts are empty".into()));
            }
            vec![(
                (0..train.len()).collect(),
                (train.len()..train.len() + v.len()).collect(),
            )]
        }
        Validation::Folds => {
            let k = opts.folds.min(train.len()).max(2);
            if train.len() < k {
                return Err(too_few(format!(
                    "{} texts are too few to choose settings on {k} folds",
                    train.len()
                )));
            }
            (0..k)
                .map(|f| {
                    let (fit_on, check): (Vec<usize>, Vec<usize>) =
                        (0..train.len()).partition(|i| i % k != f);
                    (fit_on, check)
                })
                .collect()
        }
    };
    let lex = lexicon.is_some();
    // For each character setting and C: every validation text's probabilities.
    let grid: Vec<(usize, f64)> = (0..opts.chars.len())
        .flat_map(|k| opts.c_grid.iter().map(move |&c| (k, c)))
        .collect();
    let by_c: Vec<Result<(usize, Predicted)>> = grid
        .par_iter()
        .map(|&(k, c)| {
            let docs = &encoded[k];
            let mut probs = Vec::new();
            for (fit_on, check) in &plans {
                let m = fit(docs, fit_on, opts.chars[k], c, lex, opts)?;
                probs.extend(
                    check
                        .iter()
                        .map(|&i| (docs[i].1, probabilities(&m, &docs[i].0))),
                );
            }
            Ok((k, (c, probs)))
        })
        .collect();
    let mut best: Option<(f64, f64, f64, usize)> = None; // (F_avg, C, threshold, chars)
    for r in by_c {
        let (k, (c, probs)) = r?;
        for &t in &opts.thresholds {
            let f = eval::metrics(
                probs
                    .iter()
                    .map(|&(y, p)| (linear::CLASSES[y], linear::label_of(p, t))),
            )
            .f_avg
            .unwrap_or(0.0);
            if best.is_none_or(|(b, ..)| f > b) {
                best = Some((f, c, t, k));
            }
        }
    }
    let (f, c, threshold, k) = best.ok_or_else(|| bad("no value of C to try".into()))?;
    let chars = opts.chars[k];
    let mut model = fit(&encoded[k], &all, chars, c, lex, opts)?;
    model.threshold = threshold;
    let count = |set: &[Example], l: Label| set.iter().filter(|e| e.gold == l).count();
    let described = |set: &[Example]| {
        format!(
            "{} texts: {} favor, {} against, {} none",
            set.len(),
            count(set, Label::Favor),
            count(set, Label::Against),
            count(set, Label::None)
        )
    };
    model.settings = vec![
        ("c".into(), c.to_string()),
        ("min_df".into(), opts.min_df.to_string()),
        ("texts".into(), docs.len().to_string()),
    ];
    if let Some(t) = &lexicon {
        model.settings.push(("cues_sha256".into(), t.cue_digest()));
    }
    let chosen_on = match validation {
        Validation::Split(v, name) => format!("{} validation texts ({name})", v.len()),
        Validation::Folds => format!("{} folds of the training texts", plans.len()),
    };
    let mut about = vec![
        format!(
            "stancemeter {} linear stance model for target {}",
            env!("CARGO_PKG_VERSION"),
            opts.target
        ),
        format!(
            "Training texts: {} ({}).",
            labels.display(),
            described(train)
        ),
    ];
    match validation {
        Validation::Split(v, name) => {
            about.push(format!("Validation texts: {name} ({}).", described(v)));
            about.push(format!(
                "C {c}, threshold {threshold} and characters {} gave F_avg {f:.3} on the validation texts, fitted on the training texts alone; the model was then fitted on the training and validation texts together ({} texts), so do not evaluate it on either.",
                linear::chars_text(chars),
                docs.len()
            ));
        }
        Validation::Folds => about.push(format!(
            "C {c}, threshold {threshold} and characters {} gave F_avg {f:.3} on {chosen_on} (each fold predicted by a fit on the others); the model was then fitted on all {} texts.",
            linear::chars_text(chars),
            docs.len()
        )),
    }
    about.push(format!(
        "Features: words and word pairs (w:){} in at least {} texts{}.",
        if chars[0] > chars[1] {
            String::new()
        } else {
            format!(", {} to {} characters of words (c:)", chars[0], chars[1])
        },
        opts.min_df,
        match (&lexicon, &opts.lexicon_source) {
            (Some(t), Some(src)) => format!(
                "; the cue evidence (lex:) of target {} ({src}; its cues_sha256 below)",
                t.id(),
            ),
            (Some(t), None) => format!("; the cue evidence (lex:) of target {}", t.id()),
            (None, _) => String::new(),
        }
    ));
    about.push("Decision: softmax of W.x + b over favor, against, none; the larger pole if its probability reaches the threshold, else none.".into());
    model.about = about;
    Ok(Trained {
        model,
        c,
        validation_f_avg: f,
        texts: docs.len(),
        chosen_on,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(id: usize, text: &str, gold: Label) -> Example {
        Example {
            id: id.to_string(),
            text: text.into(),
            gold,
        }
    }

    fn data() -> Vec<Example> {
        let mut v = Vec::new();
        let fav = ["love", "adore", "want", "welcome"];
        let ag = ["hate", "ban", "block", "refuse"];
        for k in 0..40 {
            v.push(ex(
                v.len(),
                &format!("I {} these phones {k}", fav[k % 4]),
                Label::Favor,
            ));
            v.push(ex(
                v.len(),
                &format!("I {} these phones {k}", ag[k % 4]),
                Label::Against,
            ));
            v.push(ex(
                v.len(),
                &format!("The weather is mild {k}"),
                Label::None,
            ));
        }
        v
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let rows = vec![
            vec![(0u32, 1.0), (1, 0.5)],
            vec![(1u32, 1.0)],
            vec![(0u32, 2.0)],
        ];
        let y = vec![0usize, 1, 2];
        let p = Problem {
            rows: &rows,
            y: &y,
            features: 2,
            c: 0.7,
        };
        let w: Vec<f64> = (0..9).map(|k| (f64::from(k) - 4.0) * 0.13).collect();
        let g = p.gradient(&w).unwrap();
        for k in 0..9 {
            let mut a = w.clone();
            let mut b = w.clone();
            a[k] += 1e-6;
            b[k] -= 1e-6;
            let num = (p.cost(&a).unwrap() - p.cost(&b).unwrap()) / 2e-6;
            assert!((num - g[k]).abs() < 1e-5, "{k}: {num} vs {}", g[k]);
        }
    }

    #[test]
    fn a_model_learns_words_and_generalises_to_unseen_texts() {
        let train = data();
        let t = super::train(
            &train,
            Validation::Folds,
            None,
            &Options::new("t".into()),
            Path::new("mem.csv"),
        )
        .unwrap();
        assert!(t.validation_f_avg > 0.95, "{}", t.validation_f_avg);
        let m = t.model;
        let scorer = Scorer::new(Vec::new(), None, false, false);
        for (text, want) in [
            ("we love these phones", Label::Favor),
            ("they should ban these phones", Label::Against),
            ("mild weather", Label::None),
        ] {
            let p = scorer.prepare(Unit {
                text: text.into(),
                ..Default::default()
            });
            let toks = Scorer::tokens(&p);
            let rule = crate::model::Stance {
                target: "t".into(),
                label: Label::None,
                score: 0.0,
                confidence: 0.0,
                cues: Vec::new(),
                on_topic: false,
            };
            assert_eq!(m.decide(&p.text, &toks, rule).label, want, "{text}");
        }
        // Written and read back, it decides the same.
        let back = Model::parse(&m.to_text(), Path::new("m.tsv")).unwrap();
        assert_eq!(back.weights(), m.weights());
    }

    #[test]
    fn one_class_is_refused() {
        let only: Vec<Example> = (0..10).map(|k| ex(k, "x y", Label::Favor)).collect();
        let e = super::train(
            &only,
            Validation::Folds,
            None,
            &Options::new("t".into()),
            Path::new("mem.csv"),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("at least two classes"), "{e}");
    }
}
