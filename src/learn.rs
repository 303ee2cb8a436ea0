//! `stancemeter learn`: labelled examples in, a proposed target file out.
//!
//! For every n-gram of 1 to 3 words (within a clause, contractions expanded as in scoring), each pole
//! (favor, against) is compared with the other texts in a 2×2 table of documents that contain it or not.
//! The smoothed log-odds ratio (0.5 added to every cell) is the cue's weight, capped at 3, and its z-score
//! (the log-odds over its standard error) decides whether it is kept. N-grams of stopwords only, and
//! shorter n-grams that occur only inside a kept longer one, are left out. The decision threshold is the
//! one of a small grid that gives the best F_avg on the examples themselves. The result is an ordinary,
//! editable target file.

use crate::error::{Error, Result};
use crate::eval::{self, Example};
use crate::model::Label;
use crate::stance::target::{CueSpec, Target, TargetFile};
use crate::text::tokens::tokenize;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Settings for `learn`.
#[derive(Debug, Clone)]
pub struct Options {
    /// The target id to write.
    pub id: String,
    /// Documents of the pole an n-gram must occur in.
    pub min_count: usize,
    /// Minimum z-score of the log-odds ratio.
    pub min_z: f64,
    /// Most cues kept per pole (the highest z first).
    pub max_cues: usize,
}

const STOPWORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "of", "to", "in", "on", "at", "for", "with", "is", "are", "was",
    "were", "be", "it", "its", "this", "that", "i", "you", "we", "they", "he", "she", "my", "our",
    "your", "their", "me", "us", "them", "as", "by", "from", "so", "if", "would", "will", "do",
    "does", "have", "has", "had", "am", "just",
];

/// A proposed cue with its evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    /// The n-gram.
    pub cue: String,
    /// favor or against.
    pub pole: Label,
    /// Smoothed log-odds ratio, the weight before capping.
    pub log_odds: f64,
    /// Its z-score.
    pub z: f64,
    /// Documents of the pole that hold it.
    pub in_pole: usize,
    /// Other documents that hold it.
    pub elsewhere: usize,
}

fn ngrams(text: &str) -> HashSet<String> {
    let normal = crate::text::normalize(text);
    let toks = tokenize(&normal);
    let mut out = HashSet::new();
    for n in 1..=3 {
        for w in toks.windows(n) {
            if w[0].clause != w[n - 1].clause {
                continue;
            }
            let words: Vec<&str> = w.iter().map(|t| &*t.word).collect();
            // `*` is the cue language's wildcard: a word holding one ("f*ck") cannot be a literal cue.
            if words.iter().any(|x| x.contains('*')) {
                continue;
            }
            if words
                .iter()
                .all(|x| STOPWORDS.contains(x) || x.chars().all(|c| c.is_ascii_digit()))
            {
                continue;
            }
            out.insert(words.join(" "));
        }
    }
    out
}

/// Scores every n-gram of the examples for both poles; gives the kept proposals, best first per pole.
pub fn propose(examples: &[Example], opts: &Options) -> Vec<Proposal> {
    let docs: Vec<(Label, HashSet<String>)> =
        examples.iter().map(|e| (e.gold, ngrams(&e.text))).collect();
    let mut df: HashMap<&str, [usize; 3]> = HashMap::new();
    for (label, grams) in &docs {
        let k = Label::ALL.iter().position(|l| l == label).unwrap_or(2);
        for g in grams {
            df.entry(g.as_str()).or_default()[k] += 1;
        }
    }
    let total: [usize; 3] =
        std::array::from_fn(|k| docs.iter().filter(|(l, _)| *l == Label::ALL[k]).count());
    let mut poles: Vec<Vec<Proposal>> = Vec::new();
    for (pole_k, pole) in [(0usize, Label::Favor), (1, Label::Against)] {
        let mut kept: Vec<Proposal> = df
            .iter()
            .filter_map(|(g, c)| {
                let a = c[pole_k] as f64;
                let b = (total[pole_k] - c[pole_k]) as f64;
                let rest: usize = (0..3).filter(|&k| k != pole_k).map(|k| c[k]).sum();
                let rest_total: usize = (0..3).filter(|&k| k != pole_k).map(|k| total[k]).sum();
                let (c2, d2) = (rest as f64, (rest_total - rest) as f64);
                let lor = ((a + 0.5) * (d2 + 0.5) / ((b + 0.5) * (c2 + 0.5))).ln();
                let se = (1.0 / (a + 0.5) + 1.0 / (b + 0.5) + 1.0 / (c2 + 0.5) + 1.0 / (d2 + 0.5))
                    .sqrt();
                let z = lor / se;
                (c[pole_k] >= opts.min_count && z >= opts.min_z).then(|| Proposal {
                    cue: g.to_string(),
                    pole,
                    log_odds: lor,
                    z,
                    in_pole: c[pole_k],
                    elsewhere: rest,
                })
            })
            .collect();
        // A shorter n-gram found only inside a kept longer one adds nothing.
        let snapshot = kept.clone();
        kept.retain(|p| {
            !snapshot.iter().any(|q| {
                q.cue.len() > p.cue.len()
                    && format!(" {} ", q.cue).contains(&format!(" {} ", p.cue))
                    && (q.in_pole, q.elsewhere) == (p.in_pole, p.elsewhere)
            })
        });
        poles.push(kept);
    }
    // An n-gram both sides use more than the neutral texts do (the topic's own name: "hillary" in tweets
    // for and against her) stays only with the side where it is stronger: a cue may have one pole.
    let z_of = |list: &[Proposal], cue: &str| list.iter().find(|p| p.cue == cue).map(|p| p.z);
    let (favor, against) = (poles[0].clone(), poles[1].clone());
    poles[0].retain(|p| z_of(&against, &p.cue).is_none_or(|z| p.z > z));
    poles[1].retain(|p| z_of(&favor, &p.cue).is_none_or(|z| p.z >= z));
    let mut out = Vec::new();
    for mut kept in poles {
        kept.sort_by(|x, y| y.z.total_cmp(&x.z).then_with(|| x.cue.cmp(&y.cue)));
        kept.truncate(opts.max_cues);
        out.extend(kept);
    }
    out
}

/// Builds a target from proposals, with the threshold that fits the examples best.
pub fn build(
    examples: &[Example],
    proposals: &[Proposal],
    opts: &Options,
    source: &str,
    labels: &Path,
) -> Result<Target> {
    let bad = |reason: String| Error::Config {
        file: labels.to_path_buf(),
        reason,
    };
    let spec = |p: &Proposal| CueSpec {
        cue: p.cue.clone(),
        weight: (p.log_odds.min(3.0) * 100.0).round() / 100.0,
        scoped: false,
        alone: false,
        negatable: true,
        frame: None,
    };
    let mut file = TargetFile {
        id: opts.id.clone(),
        description: format!(
            "learned by stancemeter from {source} ({} examples)",
            examples.len()
        ),
        ..toml::from_str::<TargetFile>(&format!(
            "id = {}\ndescription = \"\"",
            toml::Value::String(opts.id.clone())
        ))
        .map_err(|e| bad(e.to_string()))?
    };
    // A cue made only of negators ("no", "never") is a refusal itself: another negator before it
    // repeats it ("no no no") rather than turning it around, so it is not negatable.
    let negators: HashSet<String> = file.negators.iter().map(|n| n.to_lowercase()).collect();
    let spec = |p: &Proposal| {
        let mut c = spec(p);
        c.negatable = !c
            .cue
            .split_whitespace()
            .all(|w| negators.contains(&w.to_lowercase()));
        c
    };
    file.favor = proposals
        .iter()
        .filter(|p| p.pole == Label::Favor)
        .map(spec)
        .collect();
    file.against = proposals
        .iter()
        .filter(|p| p.pole == Label::Against)
        .map(spec)
        .collect();
    let too_few = |reason: String| Error::Labels {
        file: labels.to_path_buf(),
        reason,
    };
    // Cues are what tells one class from the others: texts of one class have none to give.
    let count = |l: Label| examples.iter().filter(|e| e.gold == l).count();
    let n = [Label::Favor, Label::Against, Label::None].map(count);
    eval::two_classes(n, labels, "learning needs", "the texts")?;
    if file.favor.is_empty() && file.against.is_empty() {
        return Err(too_few(format!(
            "no n-gram passed min_count {} and z {}: give more labelled examples or lower --min-count / --min-z",
            opts.min_count, opts.min_z
        )));
    }
    let mut best: Option<(f64, Target)> = None;
    for threshold in [0.5, 0.75, 1.0, 1.5, 2.0, 2.5, 3.0] {
        let t = Target::from_file(
            TargetFile {
                threshold,
                ..file.clone()
            },
            labels,
        )?;
        let f = eval::metrics(eval::predict(&t, examples, false))
            .f_avg
            .unwrap_or(0.0);
        if best.as_ref().is_none_or(|(b, _)| f > *b) {
            best = Some((f, t));
        }
    }
    best.map(|(_, t)| t)
        .ok_or_else(|| too_few("no threshold gave a target".into()))
}

/// The target as TOML (see [`to_toml`]), loaded back before it is given out: `learn` never writes a
/// target file that `run` would refuse.
pub fn checked_toml(
    t: &Target,
    proposals: &[Proposal],
    training_f_avg: Option<f64>,
    out: &Path,
) -> Result<String> {
    let toml = to_toml(t, proposals, training_f_avg);
    Target::parse(&toml, out).map_err(|e| Error::Config {
        file: out.to_path_buf(),
        reason: format!("the learned target does not load, so it is not written: {e}"),
    })?;
    Ok(toml)
}

/// The target as TOML with a header that says how it was made.
pub fn to_toml(t: &Target, proposals: &[Proposal], training_f_avg: Option<f64>) -> String {
    let training_f_avg = training_f_avg.map_or_else(|| "undefined".into(), |f| format!("{f:.3}"));
    let mut out = format!(
        "# {}\n# Proposed cues: smoothed log-odds ratio of documents with the n-gram (weight, capped at 3) and its\n\
         # z-score. Threshold {} gave F_avg {} on the training examples themselves (optimistic: measure on\n\
         # held-out texts with `stancemeter eval`). Edit freely: add scope terms, remove cues that are topic\n\
         # words rather than stance, set negatable = false for things writers object to.\n#\n",
        t.file.description, t.file.threshold, training_f_avg
    );
    for p in proposals {
        out += &format!(
            "#   {:<8} {:<30} z {:>5.2}  in pole {:>3}  elsewhere {:>3}\n",
            p.pole.as_str(),
            p.cue,
            p.z,
            p.in_pole,
            p.elsewhere
        );
    }
    out += "\n";
    out += &toml::to_string(&t.file).unwrap_or_default();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(id: &str, text: &str, gold: Label) -> Example {
        Example {
            id: id.into(),
            text: text.into(),
            gold,
        }
    }

    fn opts() -> Options {
        Options {
            id: "t".into(),
            min_count: 2,
            min_z: 1.0,
            max_cues: 10,
        }
    }

    #[test]
    fn a_word_both_sides_use_is_a_cue_of_one_pole_and_the_target_loads() {
        // "hillary" is in every favor and against text and no none text (SemEval's hillary target made
        // learn write it twice); "f*ck" would be read as a wildcard.
        let mut data = Vec::new();
        for k in 0..8 {
            let extra = if k < 5 { " hillary" } else { "" };
            data.push(ex(
                &format!("f{k}"),
                &format!("hillary rocks{extra} {k}"),
                Label::Favor,
            ));
            data.push(ex(
                &format!("a{k}"),
                &format!("hillary f*ck liar {k}"),
                Label::Against,
            ));
            data.push(ex(
                &format!("n{k}"),
                &format!("the weather today {k}"),
                Label::None,
            ));
        }
        let props = propose(&data, &opts());
        let hillary: Vec<Label> = props
            .iter()
            .filter(|p| p.cue == "hillary")
            .map(|p| p.pole)
            .collect();
        assert_eq!(hillary.len(), 1, "{props:?}");
        assert!(props.iter().all(|p| !p.cue.contains('*')), "{props:?}");
        let t = build(&data, &props, &opts(), "mem", Path::new("mem.csv")).unwrap();
        let toml = checked_toml(&t, &props, None, Path::new("out.toml")).unwrap();
        assert!(Target::parse(&toml, Path::new("out.toml")).is_ok());
    }

    #[test]
    fn discriminating_ngrams_become_cues_of_their_pole() {
        let mut data = Vec::new();
        for k in 0..6 {
            data.push(ex(
                &format!("f{k}"),
                &format!("I love it, phone {k}"),
                Label::Favor,
            ));
            data.push(ex(
                &format!("a{k}"),
                &format!("I hate it, phone {k}"),
                Label::Against,
            ));
            data.push(ex(
                &format!("n{k}"),
                &format!("The phone {k} exists"),
                Label::None,
            ));
        }
        let props = propose(&data, &opts());
        let favor: Vec<&str> = props
            .iter()
            .filter(|p| p.pole == Label::Favor)
            .map(|p| p.cue.as_str())
            .collect();
        let against: Vec<&str> = props
            .iter()
            .filter(|p| p.pole == Label::Against)
            .map(|p| p.cue.as_str())
            .collect();
        assert_eq!(
            favor,
            ["i love it"],
            "'love' and 'love it' occur only inside 'i love it'"
        );
        assert_eq!(against, ["i hate it"]);
        assert!(
            !props.iter().any(|p| p.cue == "phone"),
            "a word of every class is no cue"
        );
        let t = build(&data, &props, &opts(), "test", Path::new("test.csv")).unwrap();
        let m = eval::metrics(eval::predict(&t, &data, false));
        assert_eq!(m.f_avg, Some(1.0));
        let text = to_toml(&t, &props, m.f_avg);
        let back = Target::parse(&text, std::path::Path::new("learned.toml")).unwrap();
        assert_eq!(back.cues.len(), 2);
    }

    #[test]
    fn too_few_examples_is_a_clear_error() {
        let data = [ex("1", "yes", Label::Favor), ex("2", "no", Label::Against)];
        let props = propose(&data, &opts());
        assert!(
            build(&data, &props, &opts(), "x", Path::new("x.csv"))
                .unwrap_err()
                .to_string()
                .contains("no n-gram passed min_count 2")
        );
    }
}
