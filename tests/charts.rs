//! The charts' data (charts.json: axes, ticks, marks, legend) for the three corpus shapes a user brings:
//! comments only, an article only, and both (the seed). The snapshots pin what every chart shows; the
//! assertions spell out the layout rules the snapshots must keep.

mod common;

use common::{bin, fixture};
use serde_json::Value;
use std::path::Path;

fn charts(args: &[&str], out: &Path) -> Value {
    bin()
        .arg("run")
        .args(args)
        .arg("--out")
        .arg(out)
        .assert()
        .success();
    let text = std::fs::read_to_string(out.join("charts.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn chart<'a>(all: &'a Value, name: &str) -> Option<&'a Value> {
    all.as_array().unwrap().iter().find(|c| c["name"] == name)
}

/// charts.json, one line per axis, legend key and mark, for snapshots that read well in a review.
fn compact(all: &Value) -> String {
    let mut out = String::new();
    for c in all.as_array().unwrap() {
        out.push_str(&format!("## {} — {}\n", c["name"], c["heading"]));
        if let Some(n) = c.get("note") {
            out.push_str(&format!("note: {n}\n"));
        }
        for a in ["x", "y", "y2"] {
            if let Some(axis) = c.get(a) {
                out.push_str(&format!(
                    "{a}: {} [{} .. {}] ticks {}\n",
                    axis["desc"],
                    axis["lo"],
                    axis["hi"],
                    serde_json::to_string(&axis["ticks"]).unwrap()
                ));
            }
        }
        out.push_str(&format!(
            "legend: {}\n",
            serde_json::to_string(&c["legend"]).unwrap()
        ));
        for layer in c["layers"].as_array().unwrap() {
            out.push_str(&format!(
                "layer {} {} opacity {}{}\n",
                layer["series"],
                layer["color"],
                layer["opacity"],
                if layer.get("right").is_some() {
                    " (right axis)"
                } else {
                    ""
                }
            ));
            for m in layer["marks"].as_array().unwrap() {
                out.push_str(&format!("  {m}\n"));
            }
        }
    }
    out
}

fn labels(axis: &Value) -> Vec<String> {
    axis["ticks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["label"].as_str().unwrap().to_string())
        .collect()
}

/// Every value a chart's marks reach on each axis.
fn extents(c: &Value) -> Vec<(f64, f64, bool)> {
    let mut out = Vec::new();
    for layer in c["layers"].as_array().unwrap() {
        let right = layer["right"].as_bool().unwrap_or(false);
        for m in layer["marks"].as_array().unwrap() {
            let (k, v) = m.as_object().unwrap().iter().next().unwrap();
            let f = |key: &str| v[key].as_f64().unwrap();
            match k.as_str() {
                "bar" => {
                    out.push((f("x0"), f("y0"), right));
                    out.push((f("x1"), f("y1"), right));
                }
                "dot" => out.push((f("x"), f("y"), right)),
                "line" => {
                    for p in v["points"].as_array().unwrap() {
                        out.push((p[0].as_f64().unwrap(), p[1].as_f64().unwrap(), right));
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// The rules every chart keeps, whatever the corpus.
fn layout_rules(all: &Value) {
    for c in all.as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        let (x, y) = (&c["x"], &c["y"]);
        let y2 = c.get("y2");
        for (px, py, right) in extents(c) {
            let ya = if right { y2.unwrap() } else { y };
            assert!(
                px >= x["lo"].as_f64().unwrap() - 1e-9 && px <= x["hi"].as_f64().unwrap() + 1e-9,
                "{name}: x {px} outside the axis"
            );
            assert!(
                py >= ya["lo"].as_f64().unwrap() - 1e-9 && py <= ya["hi"].as_f64().unwrap() + 1e-9,
                "{name}: y {py} outside the axis"
            );
        }
        for axis in [Some(x), Some(y), y2].into_iter().flatten() {
            for l in labels(axis) {
                let plain = l.trim_end_matches('%').replace(['−', ','], "");
                if plain.parse::<f64>().is_ok_and(|v| v == 0.0) {
                    assert!(!l.starts_with('−'), "{name}: negative zero tick {l}");
                }
                if l.ends_with('%') {
                    let v: f64 = l.trim_end_matches('%').replace('−', "-").parse().unwrap();
                    assert!((0.0..=100.0).contains(&v), "{name}: share tick {l}");
                }
            }
        }
        // Counts are whole numbers.
        for axis in [x, y] {
            if axis["desc"] == "Units" {
                for t in axis["ticks"].as_array().unwrap() {
                    assert_eq!(t["at"].as_f64().unwrap().fract(), 0.0, "{name}: count tick");
                }
            }
        }
        // A legend key for a series means the series has marks.
        for key in c["legend"].as_array().unwrap() {
            let label = key["label"].as_str().unwrap();
            assert!(
                !label.contains("n=0"),
                "{name}: empty series {label} in the legend"
            );
        }
    }
}

#[test]
fn comments_only_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let all = charts(
        &[fixture("charts/comments.csv").to_str().unwrap()],
        &dir.path().join("out"),
    );
    layout_rules(&all);
    // One kind and one voice: the charts show that kind and voice only, and there is no article arc;
    // the dates span one day with times, so the timeline is by hour.
    let kinds = chart(&all, "sentiment_by_kind").unwrap();
    assert_eq!(labels(&kinds["y"]), ["comment (n=12)"]);
    let dist = chart(&all, "compound_distribution").unwrap();
    assert_eq!(dist["legend"].as_array().unwrap().len(), 1);
    assert!(chart(&all, "article_arc").is_none());
    let timeline = chart(&all, "timeline").unwrap();
    let hours = labels(&timeline["x"]);
    assert_eq!(
        hours.first().map(String::as_str),
        Some("2024-03-05 09:00"),
        "{hours:?}"
    );
    assert_eq!(
        hours.last().map(String::as_str),
        Some("2024-03-05 16:00"),
        "{hours:?}"
    );
    insta::assert_snapshot!("charts_comments_only", compact(&all));
}

#[test]
fn article_only_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let all = charts(
        &[fixture("ingest/good/article.txt").to_str().unwrap()],
        &dir.path().join("out"),
    );
    layout_rules(&all);
    let shares = chart(&all, "stance_shares").unwrap();
    assert!(
        !labels(&shares["x"])
            .iter()
            .any(|l| l.starts_with("comments"))
    );
    assert!(chart(&all, "article_arc").is_some());
    insta::assert_snapshot!("charts_article_only", compact(&all));
}

#[test]
fn mixed_corpus_the_seed() {
    let dir = tempfile::tempdir().unwrap();
    let all = charts(&[], &dir.path().join("out"));
    layout_rules(&all);
    let names: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "sentiment_by_kind",
            "stance_by_kind",
            "stance_shares",
            "compound_distribution",
            "tone_vs_stance",
            "timeline",
            "sentiment_by_entity",
            "article_arc"
        ]
    );
    // Entities by name, not id.
    let ent = chart(&all, "sentiment_by_entity").unwrap();
    assert!(
        labels(&ent["y"])
            .iter()
            .any(|l| l.starts_with("US government (n="))
    );
    insta::assert_snapshot!("charts_seed", compact(&all));
}

#[test]
fn a_large_corpus_gets_a_density_view_not_a_dot_per_unit() {
    let dir = tempfile::tempdir().unwrap();
    let words = [
        "great phone",
        "awful battery",
        "fine",
        "love it",
        "hate the price",
        "ok i guess",
        "best camera ever",
        "worst update",
        "no opinion",
        "Xiaomi should sell here",
    ];
    let mut csv = String::from("id,text\n");
    for i in 0..3000 {
        csv.push_str(&format!(
            "u{i},{} {}\n",
            words[i % words.len()],
            words[(i / 7) % words.len()]
        ));
    }
    let input = common::write(dir.path(), "many.csv", csv.as_bytes());
    let all = charts(&[input.to_str().unwrap()], &dir.path().join("out"));
    layout_rules(&all);
    let tvs = chart(&all, "tone_vs_stance").unwrap();
    let dots: usize = tvs["layers"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|l| l["marks"].as_array().unwrap())
        .filter(|m| m.get("dot").is_some())
        .count();
    assert_eq!(dots, 0, "3,000 units are binned");
    assert!(tvs["note"].as_str().unwrap().starts_with("3,000 units"));
    let total: f64 = tvs["legend"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["label"].as_str().unwrap())
        .filter(|l| l.ends_with("units"))
        .count() as f64;
    assert!(total >= 1.0);
}
