//! VADER parity with vaderSentiment 3.3.2 on every text of ../shared/vader-conformance (23,771 texts).

mod common;
use stancemeter::vader::{Polarity, Vader};
use std::collections::HashMap;

const CORPORA: [&str; 5] = [
    "tweets",
    "movie_reviews",
    "nyt_editorials",
    "amazon_reviews",
    "edge_cases",
];

fn expected(path: &std::path::Path) -> HashMap<String, Polarity> {
    let (_, rows) = common::read_csv(path);
    rows.into_iter()
        .map(|r| {
            let n: Vec<f64> = r[1..].iter().map(|x| x.parse().unwrap()).collect();
            (
                r[0].clone(),
                Polarity {
                    neg: n[0],
                    neu: n[1],
                    pos: n[2],
                    compound: n[3],
                },
            )
        })
        .collect()
}

#[test]
fn every_conformance_text_scores_as_the_reference() {
    let Some(dir) = common::conformance() else {
        return;
    };
    let v = Vader::embedded();
    let (mut total, mut mismatches) = (0, Vec::new());
    for name in CORPORA {
        let want = expected(&dir.join(format!("expected/{name}.csv")));
        for (id, _, text) in common::corpus(&dir.join(format!("corpora/{name}.tsv"))) {
            total += 1;
            let got = v.polarity_scores(&text);
            if got != want[&id] {
                mismatches.push(format!(
                    "{name}/{id}: got {got:?}, reference {:?}",
                    want[&id]
                ));
            }
        }
    }
    assert_eq!(total, 23_771, "texts checked");
    assert!(
        mismatches.is_empty(),
        "{} mismatches, first: {:?}",
        mismatches.len(),
        &mismatches[..mismatches.len().min(5)]
    );
}

/// The published correlations of 3.3.2 with the human ratings, as a check that the corpora are read right.
#[test]
fn correlation_with_human_ratings_is_the_published_one() {
    let Some(dir) = common::conformance() else {
        return;
    };
    let v = Vader::embedded();
    for (name, r_published) in [
        ("tweets", 0.872),
        ("movie_reviews", 0.428),
        ("nyt_editorials", 0.503),
        ("amazon_reviews", 0.590),
    ] {
        let rows = common::corpus(&dir.join(format!("corpora/{name}.tsv")));
        let (x, y): (Vec<f64>, Vec<f64>) = rows
            .iter()
            .map(|(_, m, t)| (v.polarity_scores(t).compound, *m))
            .unzip();
        let r = pearson(&x, &y);
        // Published to 3 decimals; the reference itself gives 0.4274 on movie reviews, listed as 0.428.
        assert!(
            (r - r_published).abs() <= 0.001,
            "{name}: r = {r:.4}, published {r_published}"
        );
    }
}

fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let cov: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let vx: f64 = x.iter().map(|a| (a - mx).powi(2)).sum();
    let vy: f64 = y.iter().map(|b| (b - my).powi(2)).sum();
    cov / (vx * vy).sqrt()
}

/// `score --raw` on a conformance TSV prints the reference's own CSV, byte for byte.
#[test]
fn score_command_output_is_byte_identical_to_the_reference_csv() {
    let Some(dir) = common::conformance() else {
        return;
    };
    for (name, extra) in [("tweets", None), ("edge_cases", Some("--keep-empty"))] {
        let mut cmd = common::bin();
        cmd.arg("score")
            .arg(dir.join(format!("corpora/{name}.tsv")))
            .args([
                "--no-header",
                "--id-column",
                "1",
                "--text-column",
                "3",
                "--raw",
            ]);
        cmd.args(extra);
        let out = cmd.assert().success().get_output().stdout.clone();
        let want = std::fs::read(dir.join(format!("expected/{name}.csv"))).unwrap();
        assert!(
            out == want,
            "{name}: score output differs from expected/{name}.csv"
        );
    }
}
