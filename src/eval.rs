//! `stancemeter eval`: labelled texts and a target in, stance metrics out.
//!
//! Takes a CSV with `id,text,stance` (favor / against / none) or a TweetEval-style folder
//! (`<split>_text.txt` and `<split>_labels.txt`, labels 0 = none, 1 = against, 2 = favor). Gives
//! precision, recall and F1 per class, F_avg = mean(F_favor, F_against) (the SemEval-2016 task 6
//! metric), macro-F1 over the three classes, accuracy and the confusion matrix.

use crate::error::{Error, Result, read_err};
use crate::model::Label;
use crate::score::Scorer;
use crate::stance::Target;
use serde::Serialize;
use std::path::Path;

/// One labelled text.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// Its id (the 1-based line for TweetEval files).
    pub id: String,
    /// The text.
    pub text: String,
    /// The gold label.
    pub gold: Label,
}

/// Refuses labelled texts that cannot teach a stance: fewer than two classes, or none of them favor or
/// against. `n` counts favor, against and none; `needs` says what ("a model needs"), `texts` which texts.
/// Bad input data, as a bad record is ([`Error::Labels`], exit code 3).
pub(crate) fn two_classes(
    n: [usize; 3],
    file: &std::path::Path,
    needs: &str,
    texts: &str,
) -> Result<()> {
    if n[0] + n[1] == 0 || n.iter().filter(|&&k| k > 0).count() < 2 {
        return Err(Error::Labels {
            file: file.to_path_buf(),
            reason: format!(
                "{needs} texts of at least two classes, one of them favor or against; {texts} have {} favor, {} against, {} none",
                n[0], n[1], n[2]
            ),
        });
    }
    Ok(())
}

/// Precision, recall and F1 of one class.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ClassScores {
    /// Of the texts predicted as this class, the share that are; undefined when none is predicted as it.
    pub precision: Option<f64>,
    /// Of the texts of this class, the share predicted as it; undefined when the class has no text.
    pub recall: Option<f64>,
    /// Harmonic mean of precision and recall (0 when both are 0); undefined (`None`, `null` in JSON) when
    /// the class is in neither the gold labels nor the predictions, as scikit-learn's
    /// `zero_division=nan` has it.
    pub f1: Option<f64>,
    /// Gold texts of this class.
    pub support: usize,
}

/// The metrics of one evaluation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metrics {
    /// Texts evaluated.
    pub n: usize,
    /// `confusion[gold][predicted]`, in the order favor, against, none.
    pub confusion: [[usize; 3]; 3],
    /// Scores of favor, against and none.
    pub favor: ClassScores,
    /// Scores of against.
    pub against: ClassScores,
    /// Scores of none.
    pub none: ClassScores,
    /// mean(F_favor, F_against): the SemEval-2016 task 6 metric, over the classes whose F1 is defined;
    /// undefined when neither is.
    pub f_avg: Option<f64>,
    /// Mean F1 over the classes (of the three) whose F1 is defined.
    pub macro_f1: Option<f64>,
    /// Share of texts labelled right.
    pub accuracy: f64,
    /// What a reader of the figures must know, such as a class whose F1 is undefined.
    pub notes: Vec<String>,
}

/// The mean of the defined values; `None` when none is.
fn mean_defined(xs: &[Option<f64>]) -> Option<f64> {
    let d: Vec<f64> = xs.iter().flatten().copied().collect();
    (!d.is_empty()).then(|| d.iter().sum::<f64>() / d.len() as f64)
}

fn idx(l: Label) -> usize {
    Label::ALL.iter().position(|x| *x == l).unwrap_or(2)
}

/// Computes the metrics from (gold, predicted) pairs.
pub fn metrics(pairs: impl IntoIterator<Item = (Label, Label)>) -> Metrics {
    let mut m = [[0usize; 3]; 3];
    for (g, p) in pairs {
        m[idx(g)][idx(p)] += 1;
    }
    let n: usize = m.iter().flatten().sum();
    let class = |k: usize| {
        let tp = m[k][k] as f64;
        let predicted: usize = (0..3).map(|g| m[g][k]).sum();
        let support: usize = m[k].iter().sum();
        let precision = (predicted > 0).then(|| tp / predicted as f64);
        let recall = (support > 0).then(|| tp / support as f64);
        // Defined whenever the class is in the gold labels or the predictions, and 0 (not undefined)
        // when it is in one of them and never right, as scikit-learn has it.
        let f1 = match (precision, recall) {
            _ if support + predicted == 0 => None,
            (Some(p), Some(r)) if p + r > 0.0 => Some(2.0 * p * r / (p + r)),
            _ => Some(0.0),
        };
        ClassScores {
            precision,
            recall,
            f1,
            support,
        }
    };
    let (favor, against, none) = (class(0), class(1), class(2));
    let notes = [("favor", favor), ("against", against), ("none", none)]
        .iter()
        .filter(|(_, c)| c.f1.is_none())
        .map(|(name, _)| {
            format!(
                "F1 of {name} is undefined: no text is {name} in the gold labels or the predictions; the averages leave it out"
            )
        })
        .collect();
    Metrics {
        n,
        confusion: m,
        f_avg: mean_defined(&[favor.f1, against.f1]),
        macro_f1: mean_defined(&[favor.f1, against.f1, none.f1]),
        notes,
        accuracy: if n > 0 {
            (0..3).map(|k| m[k][k]).sum::<usize>() as f64 / n as f64
        } else {
            0.0
        },
        favor,
        against,
        none,
    }
}

/// Reads labelled examples from a CSV file (`id,text,stance`) or a TweetEval-style folder.
pub fn read_examples(path: &Path, split: &str) -> Result<Vec<Example>> {
    if path.is_dir() {
        return read_tweeteval(path, split);
    }
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| Error::Read {
        path: path.into(),
        source: e,
    })?;
    // The delimiter as `run` finds it (`;` from a spreadsheet in many locales, tab, `|`).
    let head = &bytes[..bytes.len().min(crate::ingest::sniff::HEAD as usize)];
    let delimiter = crate::ingest::sniff::delimiter(head);
    let mut r = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(bytes.as_slice());
    // Lines are counted from the record's byte offset: the csv crate's line count is one short after
    // CRLF line ends (as Excel and Python's csv module write them). Records come in order, so
    // the count goes on from the last one.
    let mut counted = (0usize, 1u64);
    let mut line_at = |byte: u64| {
        // After a CRLF the csv crate gives the offset of its LF: the record starts past it.
        let mut byte = (byte as usize).min(bytes.len());
        while bytes.get(byte).is_some_and(|&b| b == b'\n' || b == b'\r') {
            byte += 1;
        }
        if byte < counted.0 {
            counted = (0, 1);
        }
        counted.1 += bytes[counted.0..byte]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        counted.0 = byte;
        counted.1
    };
    let header: Vec<String> = r
        .headers()
        .map_err(|e| bad(&file, 1, "header", e.to_string()))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    // Each column by the first of its names the header has, as run finds a role's default names
    // (SemEval's files say "ID", "Tweet" and "Stance"; many datasets say "label").
    let col = |name: &str, names: &[&str]| {
        crate::ingest::columns::first_named(&header, names)
            .ok_or_else(|| Error::Flag {
                flag: "--labels".into(),
                reason: format!(
                    "{file} has no {name} column (named {}; its columns: {}); it needs id, text and stance",
                    names.join(" or "),
                    header.join(", ")
                ),
            })
    };
    let (ci, ct, cs) = (
        col("id", &["id"])?,
        col("text", &["text", "tweet"])?,
        col("stance", &["stance", "label"])?,
    );
    for (name, k) in [("id", ci), ("text", ct), ("stance", cs)] {
        if header.iter().filter(|h| **h == header[k]).count() > 1 {
            return Err(bad(
                &file,
                1,
                "header",
                format!("the column {name:?} appears twice"),
            ));
        }
    }
    let mut out = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| {
            bad(
                &file,
                e.position().map_or(0, |p| line_at(p.byte())),
                "record",
                match e.kind() {
                    // In words, as `run` says it, where the csv crate gives its record and byte.
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => format!(
                        "{len} fields where the header has {expected_len}: a field that holds {:?} must be in double quotes",
                        char::from(delimiter)
                    ),
                    _ => e.to_string(),
                },
            )
        })?;
        let line = rec.position().map_or(0, |p| line_at(p.byte()));
        let get = |k: usize| rec.get(k).unwrap_or("").to_string();
        let raw = get(cs);
        let gold = Label::parse(&raw).ok_or_else(|| {
            bad(
                &file,
                line,
                "stance",
                format!("{raw:?} is not favor, against or none"),
            )
        })?;
        out.push(Example {
            id: get(ci),
            text: get(ct),
            gold,
        });
    }
    if out.is_empty() {
        return Err(bad(
            &file,
            1,
            "record",
            "no labelled texts: the file has a header but no rows".into(),
        ));
    }
    Ok(out)
}

fn bad(file: &str, line: u64, field: &str, reason: String) -> Error {
    Error::Record {
        file: file.into(),
        line,
        field: field.into(),
        reason,
    }
}

fn read_tweeteval(dir: &Path, split: &str) -> Result<Vec<Example>> {
    let tp = dir.join(format!("{split}_text.txt"));
    let lp = dir.join(format!("{split}_labels.txt"));
    let texts = std::fs::read_to_string(&tp).map_err(read_err(&tp))?;
    let labels = std::fs::read_to_string(&lp).map_err(read_err(&lp))?;
    let (texts, labels): (Vec<&str>, Vec<&str>) =
        (texts.lines().collect(), labels.lines().collect());
    if texts.len() != labels.len() {
        return Err(Error::Record {
            file: lp.display().to_string(),
            line: labels.len().min(texts.len()) as u64 + 1,
            field: "label".into(),
            reason: format!(
                "{} labels for {} texts in {}",
                labels.len(),
                texts.len(),
                tp.display()
            ),
        });
    }
    if texts.is_empty() {
        return Err(bad(
            &tp.display().to_string(),
            1,
            "text",
            "no labelled texts: the file is empty".into(),
        ));
    }
    texts
        .iter()
        .zip(&labels)
        .enumerate()
        .map(|(k, (t, l))| {
            let gold = match l.trim() {
                "0" => Label::None,
                "1" => Label::Against,
                "2" => Label::Favor,
                other => {
                    return Err(bad(
                        &lp.display().to_string(),
                        k as u64 + 1,
                        "label",
                        format!("{other:?} is not 0 (none), 1 (against) or 2 (favor)"),
                    ));
                }
            };
            Ok(Example {
                id: (k + 1).to_string(),
                text: t.to_string(),
                gold,
            })
        })
        .collect()
}

/// Predicts every example with `target`, normalising the text unless `raw`; gives (gold, predicted) pairs.
pub fn predict(target: &Target, examples: &[Example], raw: bool) -> Vec<(Label, Label)> {
    stances(target, examples, raw)
        .into_iter()
        .zip(examples)
        .map(|(s, e)| (e.gold, s.label))
        .collect()
}

/// The stance `target` gives every example, with what drove it, in the examples' order; normalising the
/// text unless `raw`.
pub fn stances(target: &Target, examples: &[Example], raw: bool) -> Vec<crate::model::Stance> {
    use rayon::prelude::*;
    let scorer = Scorer::new(vec![target.clone()], None, raw, false);
    examples
        .par_iter()
        .map(|e| {
            let unit = crate::model::Unit {
                id: e.id.clone(),
                text: e.text.clone(),
                ..Default::default()
            };
            let mut scored = scorer.score_unit(unit);
            scored.stances.swap_remove(0)
        })
        .collect()
}

/// The metrics as a table for people.
pub fn render(m: &Metrics, what: &str) -> String {
    let mut s = format!(
        "{what}: {} texts\n\n{:<8} {:>9} {:>9} {:>9} {:>8}\n",
        m.n, "class", "precision", "recall", "F1", "support"
    );
    let fmt = |x: Option<f64>| x.map_or_else(|| "undefined".to_string(), |x| format!("{x:.3}"));
    for (name, c) in [("favor", m.favor), ("against", m.against), ("none", m.none)] {
        s += &format!(
            "{name:<8} {:>9} {:>9} {:>9} {:>8}\n",
            fmt(c.precision),
            fmt(c.recall),
            fmt(c.f1),
            c.support
        );
    }
    s += &format!(
        "\nF_avg (mean of F_favor and F_against, SemEval-2016 task 6): {}\n",
        fmt(m.f_avg)
    );
    s += &format!(
        "macro-F1 (mean over the classes with a defined F1): {}\naccuracy: {:.3}\n",
        fmt(m.macro_f1),
        m.accuracy
    );
    for n in &m.notes {
        s += &format!("note: {n}\n");
    }
    s += "\n";
    s += "confusion (rows gold, columns predicted)\n";
    s += &format!("{:<8} {:>7} {:>7} {:>7}\n", "", "favor", "against", "none");
    for (k, name) in ["favor", "against", "none"].iter().enumerate() {
        s += &format!(
            "{name:<8} {:>7} {:>7} {:>7}\n",
            m.confusion[k][0], m.confusion[k][1], m.confusion[k][2]
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use Label::{Against as A, Favor as F, None as N};

    #[test]
    fn metrics_match_a_hand_computed_confusion_matrix() {
        // gold favor: 3 -> favor, 1 -> against; gold against: 2 -> against, 1 -> none; gold none: 1 -> favor, 2 -> none
        let pairs = [
            (F, F),
            (F, F),
            (F, F),
            (F, A),
            (A, A),
            (A, A),
            (A, N),
            (N, F),
            (N, N),
            (N, N),
        ];
        let m = metrics(pairs);
        assert_eq!(m.confusion, [[3, 1, 0], [0, 2, 1], [1, 0, 2]]);
        // favor: P = 3/4, R = 3/4, F1 = 0.75; against: P = 2/3, R = 2/3; none: P = 2/3, R = 2/3
        assert!((m.favor.f1.unwrap() - 0.75).abs() < 1e-12);
        assert!(
            (m.against.precision.unwrap() - 2.0 / 3.0).abs() < 1e-12
                && (m.against.recall.unwrap() - 2.0 / 3.0).abs() < 1e-12
        );
        assert!((m.f_avg.unwrap() - (0.75 + 2.0 / 3.0) / 2.0).abs() < 1e-12);
        assert!((m.macro_f1.unwrap() - (0.75 + 2.0 / 3.0 + 2.0 / 3.0) / 3.0).abs() < 1e-12);
        assert!((m.accuracy - 0.7).abs() < 1e-12);
        assert_eq!(
            (m.favor.support, m.against.support, m.none.support),
            (4, 3, 3)
        );
    }

    #[test]
    fn a_class_never_predicted_has_zero_f1_not_nan() {
        let m = metrics([(F, N), (A, N)]);
        assert_eq!(
            (m.favor.f1, m.against.f1, m.f_avg),
            (Some(0.0), Some(0.0), Some(0.0))
        );
    }

    #[test]
    fn a_class_absent_from_gold_and_predictions_is_undefined_not_zero() {
        // Every text right, no against anywhere: F_avg is F_favor (1.0), not (1.0 + 0.0) / 2.
        let m = metrics([(F, F), (N, N)]);
        assert_eq!(m.accuracy, 1.0);
        assert_eq!(m.against.f1, None);
        assert_eq!((m.against.precision, m.against.recall), (None, None));
        assert_eq!((m.f_avg, m.macro_f1), (Some(1.0), Some(1.0)));
        assert_eq!(m.notes.len(), 1);
        assert!(m.notes[0].contains("against"), "{:?}", m.notes);
        let m = metrics([(N, N)]);
        assert_eq!(m.f_avg, None);
        assert!(
            render(&m, "x")
                .contains("F_avg (mean of F_favor and F_against, SemEval-2016 task 6): undefined")
        );
    }

    #[test]
    fn labelled_csv_with_the_delimiter_of_its_header() {
        let dir = tempfile::tempdir().unwrap();
        for (name, body) in [
            (
                "comma.csv",
                "id,text,stance\n1,\"Yes; let them in\",favor\n2,No,against\n",
            ),
            (
                "semi.csv",
                "id;text;stance\n1;Yes, let them in;favor\n2;No;against\n",
            ),
            (
                "tab.csv",
                "id\ttext\tstance\n1\tYes, let them in\tfavor\n2\tNo\tagainst\n",
            ),
        ] {
            let p = dir.path().join(name);
            std::fs::write(&p, body).unwrap();
            let ex = read_examples(&p, "test").unwrap();
            let golds: Vec<Label> = ex.iter().map(|e| e.gold).collect();
            assert_eq!(golds, [F, A], "{name}");
            assert!(
                ex[0].text.starts_with("Yes") && ex[0].text.ends_with("let them in"),
                "{name}"
            );
        }
        let p = dir.path().join("unquoted.csv");
        std::fs::write(
            &p,
            "id;text;stance\n1;fine;none\n2;Yes; let them in;favor\n",
        )
        .unwrap();
        let e = read_examples(&p, "test").unwrap_err().to_string();
        assert!(
            e.ends_with("unquoted.csv, line 3: record: 4 fields where the header has 3: a field that holds ';' must be in double quotes"),
            "{e}"
        );
    }

    #[test]
    fn tweeteval_folders_map_0_1_2() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("test_text.txt"), "a\nb\nc\n").unwrap();
        std::fs::write(dir.path().join("test_labels.txt"), "0\n1\n2\n").unwrap();
        let ex = read_examples(dir.path(), "test").unwrap();
        let golds: Vec<Label> = ex.iter().map(|e| e.gold).collect();
        assert_eq!(golds, [N, A, F]);
        std::fs::write(dir.path().join("test_labels.txt"), "0\n3\n2\n").unwrap();
        let e = read_examples(dir.path(), "test").unwrap_err().to_string();
        assert!(
            e.ends_with(
                "test_labels.txt, line 2: label: \"3\" is not 0 (none), 1 (against) or 2 (favor)"
            ),
            "{e}"
        );
    }
}
