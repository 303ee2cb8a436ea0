//! The frames every plan starts from, built once from the digests of the scored units: one row per unit, per unit and
//! target, per entity mention and per reply, plus the per-group values the bootstrap needs.

use super::bootstrap::share_ci;
use super::digest::{Digest, Digests};
use super::threads;
use crate::ingest::dates;
use crate::model::{Kind, Label, sentiment_label};
use polars::prelude::*;

/// What the bootstrap needs of a unit.
pub struct Row {
    /// Its kind's name.
    pub kind: &'static str,
    /// article or comments.
    pub voice: &'static str,
    /// Its compound.
    pub compound: f64,
}

/// The frames and groups of one run.
pub struct Frames {
    /// One row per unit.
    pub units: DataFrame,
    /// One row per unit and target.
    pub stances: DataFrame,
    /// One row per entity mention.
    pub mentions: DataFrame,
    /// One row per reply whose parent is in the corpus.
    pub replies: DataFrame,
    /// Up to three example ids per (sentiment, stance) pair.
    pub examples: DataFrame,
    rows: Vec<Row>,
    targets: Vec<String>,
    /// Target (index into `targets`), voice and label of each unit and target.
    stance_rows: Vec<(u32, &'static str, Label)>,
    entities: Vec<String>,
    /// Entity (index into `entities`) and targeted compound of each mention.
    entity_rows: Vec<(u16, f64)>,
}

fn voice(k: Kind) -> &'static str {
    if k.is_article() {
        "article"
    } else {
        "comments"
    }
}

fn rank<T: PartialEq>(all: &[T], x: &T) -> u32 {
    all.iter().position(|y| y == x).unwrap_or(0) as u32
}

const SENTIMENTS: [&str; 3] = ["positive", "neutral", "negative"];

impl Frames {
    /// Builds every frame from the digests of the scored units, in input order; `targets` are the
    /// target ids, in the order of each digest's stances.
    pub fn build(digests: &Digests, targets: &[String]) -> PolarsResult<Frames> {
        let units = &digests.units[..];
        let span = units
            .iter()
            .filter_map(|d| d.day)
            .max()
            .zip(units.iter().filter_map(|d| d.day).min())
            .map_or(0, |(a, b)| a - b);
        let period: Vec<Option<String>> = units
            .iter()
            .map(|d| {
                d.day.map(|d| {
                    if span > 60 {
                        dates::iso_week(d)
                    } else {
                        dates::from_unix(d * 86_400)[..10].to_string()
                    }
                })
            })
            .collect();
        // Column by column, each built straight from the digests: a large corpus never holds the
        // intermediate vectors of all columns at once.
        let n = units.len();
        let text = |name: &str, f: &dyn Fn(&Digest) -> &str| {
            StringChunked::from_iter_values(name.into(), units.iter().map(f)).into_column()
        };
        let opt = |name: &str, f: &dyn Fn(&Digest) -> Option<&str>| {
            StringChunked::from_iter_options(name.into(), units.iter().map(f)).into_column()
        };
        let int = |name: &str, f: &dyn Fn(&Digest) -> u32| {
            UInt32Chunked::from_iter_values(name.into(), units.iter().map(f)).into_column()
        };
        let float = |name: &str, f: &dyn Fn(&Digest) -> f64| {
            Float64Chunked::from_iter_values(name.into(), units.iter().map(f)).into_column()
        };
        let sentiment = |d: &Digest| sentiment_label(d.compound);
        let frame = DataFrame::new(
            n,
            vec![
                UInt32Chunked::from_iter_values("order".into(), 0..n as u32).into_column(),
                text("id", &|d| &d.id),
                int("kind_rank", &|d| rank(&Kind::ALL, &d.kind) + 1),
                text("kind", &|d| d.kind.as_str()),
                text("voice", &|d| voice(d.kind)),
                opt("author", &|d| d.author.as_deref()),
                opt("thread_root", &|d| d.thread_root.as_deref()),
                StringChunked::from_iter_options("period".into(), period.into_iter()).into_column(),
                float("compound", &|d| d.compound),
                text("sentiment", &|d| sentiment_label(d.compound)),
                int("sentiment_rank", &|d| rank(&SENTIMENTS, &sentiment(d))),
                text("stance", &|d| d.first_label().as_str()),
                int("stance_rank", &|d| rank(&Label::ALL, &d.first_label())),
                float("stance_score", &|d| {
                    d.stances.first().map_or(0.0, |st| st.1)
                }),
            ],
        )?;

        let mut st = (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut stance_rows = Vec::new();
        for d in units {
            for (j, (t, x)) in targets.iter().zip(&d.stances).enumerate() {
                st.0.push(t.as_str());
                st.1.push(rank(&Kind::ALL, &d.kind));
                st.2.push(d.kind.as_str());
                st.3.push(voice(d.kind));
                st.4.push(x.0.as_str());
                stance_rows.push((j as u32, voice(d.kind), x.0));
            }
        }
        let stances = df!("target" => st.0, "kind_rank" => st.1, "kind" => st.2, "voice" => st.3, "label" => st.4)?;

        let mut m = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut entity_rows = Vec::new();
        for (k, d) in units.iter().enumerate() {
            for &(entity, compound) in &d.mentions {
                m.0.push(k as u32);
                m.1.push(d.id.as_str());
                m.2.push(digests.entities[usize::from(entity)].as_str());
                m.3.push(compound);
                entity_rows.push((entity, compound));
            }
        }
        let labels: Vec<&str> = m.3.iter().map(|c| sentiment_label(*c)).collect();
        let mentions = df!("order" => m.0, "unit_id" => m.1, "entity" => m.2, "compound" => m.3, "sentiment" => labels)?;

        let r = threads::replies(units);
        let id = |k: usize| units[k].id.as_str();
        let author = |k: usize| units[k].author.as_deref();
        let stance = |k: usize| units[k].first_label().as_str();
        let replies = df!(
            "order" => r.iter().map(|x| x.reply as u32).collect::<Vec<_>>(),
            "thread_root" => r.iter().map(|x| units[x.reply].thread_root.as_deref()).collect::<Vec<_>>(),
            "reply_id" => r.iter().map(|x| id(x.reply)).collect::<Vec<_>>(),
            "reply_author" => r.iter().map(|x| author(x.reply)).collect::<Vec<_>>(),
            "parent_id" => r.iter().map(|x| id(x.parent)).collect::<Vec<_>>(),
            "parent_author" => r.iter().map(|x| author(x.parent)).collect::<Vec<_>>(),
            "reply_stance" => r.iter().map(|x| stance(x.reply)).collect::<Vec<_>>(),
            "parent_stance" => r.iter().map(|x| stance(x.parent)).collect::<Vec<_>>(),
            "agreement" => r.iter().map(|x| x.agreement).collect::<Vec<_>>(),
            "because" => r.iter().map(|x| x.because.as_str()).collect::<Vec<_>>(),
        )?;

        let mut ex: Vec<(&str, &str, Vec<&str>)> = Vec::new();
        for d in units {
            let key = (sentiment(d), d.first_label().as_str());
            match ex.iter_mut().find(|(a, b, _)| (*a, *b) == key) {
                Some((_, _, ids)) if ids.len() < 3 => ids.push(d.id.as_str()),
                Some(_) => {}
                None => ex.push((key.0, key.1, vec![d.id.as_str()])),
            }
        }
        let examples = df!(
            "sentiment" => ex.iter().map(|e| e.0).collect::<Vec<_>>(),
            "stance" => ex.iter().map(|e| e.1).collect::<Vec<_>>(),
            "example_ids" => ex.iter().map(|e| e.2.join("; ")).collect::<Vec<_>>(),
        )?;

        let rows = units
            .iter()
            .map(|d| Row {
                kind: d.kind.as_str(),
                voice: voice(d.kind),
                compound: d.compound,
            })
            .collect();
        Ok(Frames {
            units: frame,
            stances,
            mentions,
            replies,
            examples,
            rows,
            targets: targets.to_vec(),
            entities: digests.entities.clone(),
            stance_rows,
            entity_rows,
        })
    }

    /// The compounds of the units that `keep` selects.
    pub fn compounds(&self, keep: impl Fn(&Row) -> bool) -> Vec<f64> {
        self.rows
            .iter()
            .filter(|r| keep(r))
            .map(|r| r.compound)
            .collect()
    }

    /// The kinds present, in document order.
    pub fn kinds(&self) -> Vec<String> {
        Kind::ALL
            .iter()
            .map(|k| k.as_str().to_string())
            .filter(|k| self.rows.iter().any(|r| r.kind == k))
            .collect()
    }

    /// Targeted compounds per entity.
    pub fn entity_groups(&self) -> Vec<(String, Vec<f64>)> {
        // Entities are interned in order of first mention, so the groups come out in that order.
        let mut out: Vec<(String, Vec<f64>)> = self
            .entities
            .iter()
            .map(|e| (e.clone(), Vec::new()))
            .collect();
        for &(e, c) in &self.entity_rows {
            out[usize::from(e)].1.push(c);
        }
        out
    }

    /// Every target × voice (all, article, comments) × label, with the interval of the label's share.
    pub fn stance_grid(&self) -> PolarsResult<DataFrame> {
        let mut g = (
            Vec::new(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
        );
        for (j, t) in self.targets.iter().enumerate() {
            for (vr, v) in ["all", "article", "comments"].into_iter().enumerate() {
                let labels: Vec<Label> = self
                    .stance_rows
                    .iter()
                    .filter(|(x, vo, _)| *x == j as u32 && (v == "all" || *vo == v))
                    .map(|r| r.2)
                    .collect();
                if labels.is_empty() {
                    continue;
                }
                for (lr, l) in Label::ALL.into_iter().enumerate() {
                    let flags: Vec<bool> = labels.iter().map(|x| *x == l).collect();
                    let (lo, hi) = share_ci(&flags, &format!("stance/{t}/{v}/{l}"));
                    g.0.push(t.as_str());
                    g.1.push(v);
                    g.2.push(vr as u32);
                    g.3.push(l.as_str());
                    g.4.push(lr as u32);
                    g.5.push(lo);
                    g.6.push(hi);
                }
            }
        }
        df!("target" => g.0, "voice" => g.1, "voice_rank" => g.2, "label" => g.3, "label_rank" => g.4, "ci_low" => g.5, "ci_high" => g.6)
    }
}
