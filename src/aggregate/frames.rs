//! The frames every plan starts from, built once from the digests of the scored units: one row per unit, per unit and
//! target, per entity mention and per reply, plus the per-group values the bootstrap needs.

use super::digest::Digests;
use super::threads;
use crate::model::{Kind, Label, sentiment_label};
use polars::prelude::*;

/// What the bootstrap needs of a unit.
pub struct Row {
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
    /// The per-unit numbers the bootstrap needs (its string columns have moved into `units`).
    facts: Digests,
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
    /// Builds every frame from the digests of the scored units; `targets` are the target ids, in the
    /// order of each unit's stances. The digests are consumed as their columns move into the frames.
    pub fn build(mut d: Digests, targets: &[String]) -> PolarsResult<Frames> {
        let n = d.len();
        let strings = d.take_strings();
        let id = |k: usize| strings.ids.get(k).unwrap_or_default();
        let author = |k: usize| strings.authors.get(k);
        // Column by column, each built straight from the digests: a large corpus never holds the
        // intermediate vectors of all columns at once.
        let text = |name: &str, f: &dyn Fn(usize) -> &'static str| {
            StringChunked::from_iter_values(name.into(), (0..n).map(f)).into_column()
        };
        let int = |name: &str, f: &dyn Fn(usize) -> u32| {
            UInt32Chunked::from_iter_values(name.into(), (0..n).map(f)).into_column()
        };
        let sentiment = |k: usize| sentiment_label(d.compounds[k]);
        let frame = DataFrame::new(
            n,
            vec![
                UInt32Chunked::from_iter_values("order".into(), 0..n as u32).into_column(),
                strings.ids.clone().into_column(),
                int("kind_rank", &|k| rank(&Kind::ALL, &d.kinds[k]) + 1),
                text("kind", &|k| d.kinds[k].as_str()),
                text("voice", &|k| voice(d.kinds[k])),
                strings.docs.clone().into_column(),
                strings.authors.clone().into_column(),
                strings.roots.clone().into_column(),
                UInt32Chunked::from_iter_options("root_at".into(), d.roots_at.iter().copied())
                    .into_column(),
                Float64Chunked::from_slice("compound".into(), &d.compounds).into_column(),
                text("sentiment", &sentiment),
                int("sentiment_rank", &|k| rank(&SENTIMENTS, &sentiment(k))),
                text("stance", &|k| d.first_label(k).as_str()),
                int("stance_rank", &|k| rank(&Label::ALL, &d.first_label(k))),
                Float64Chunked::from_iter_values(
                    "stance_score".into(),
                    (0..n).map(|k| d.first_score(k)),
                )
                .into_column(),
            ],
        )?;

        // One row per unit and target, each column straight from the digests, as the units' are: no
        // vectors of row values in between.
        let per = targets.len().min(d.targets);
        let rows = n * per;
        let kind_of = |r: usize| d.kinds[r / per];
        let label_of = |r: usize| d.stances[(r / per) * d.targets + r % per].0;
        let text_rows = |name: &str, f: &dyn Fn(usize) -> &'static str| {
            StringChunked::from_iter_values(name.into(), (0..rows).map(f)).into_column()
        };
        let stances = DataFrame::new(
            rows,
            vec![
                StringChunked::from_iter_values(
                    "target".into(),
                    (0..rows).map(|r| targets[r % per].as_str()),
                )
                .into_column(),
                UInt32Chunked::from_iter_values(
                    "kind_rank".into(),
                    (0..rows).map(|r| rank(&Kind::ALL, &kind_of(r))),
                )
                .into_column(),
                text_rows("kind", &|r| kind_of(r).as_str()),
                text_rows("voice", &|r| voice(kind_of(r))),
                text_rows("label", &|r| label_of(r).as_str()),
            ],
        )?;

        let m = &d.mentions;
        let mentions = DataFrame::new(
            m.len(),
            vec![
                UInt32Chunked::from_iter_values("order".into(), m.iter().map(|x| x.0))
                    .into_column(),
                StringChunked::from_iter_values(
                    "unit_id".into(),
                    m.iter().map(|x| id(x.0 as usize)),
                )
                .into_column(),
                StringChunked::from_iter_values(
                    "doc_id".into(),
                    m.iter()
                        .map(|x| strings.docs.get(x.0 as usize).unwrap_or_default()),
                )
                .into_column(),
                StringChunked::from_iter_values(
                    "entity".into(),
                    m.iter().map(|x| d.entities[usize::from(x.1)].as_str()),
                )
                .into_column(),
                Float64Chunked::from_iter_values("compound".into(), m.iter().map(|x| x.2))
                    .into_column(),
                StringChunked::from_iter_values(
                    "sentiment".into(),
                    m.iter().map(|x| sentiment_label(x.2)),
                )
                .into_column(),
            ],
        )?;

        let r = threads::replies(&d);
        let root = |k: usize| strings.roots.get(k);
        let stance = |k: usize| d.first_label(k).as_str();
        let replies = df!(
            "order" => r.iter().map(|x| x.reply as u32).collect::<Vec<_>>(),
            "doc_id" => r.iter().map(|x| strings.docs.get(x.reply)).collect::<Vec<_>>(),
            "root_at" => r.iter().map(|x| d.roots_at[x.reply]).collect::<Vec<_>>(),
            "thread_root" => r.iter().map(|x| root(x.reply)).collect::<Vec<_>>(),
            "reply_id" => r.iter().map(|x| id(x.reply)).collect::<Vec<_>>(),
            "reply_author" => r.iter().map(|x| author(x.reply)).collect::<Vec<_>>(),
            "parent_id" => r.iter().map(|x| id(x.parent)).collect::<Vec<_>>(),
            "parent_author" => r.iter().map(|x| author(x.parent)).collect::<Vec<_>>(),
            "reply_stance" => r.iter().map(|x| stance(x.reply)).collect::<Vec<_>>(),
            "parent_stance" => r.iter().map(|x| stance(x.parent)).collect::<Vec<_>>(),
            "agreement" => r.iter().map(|x| x.agreement).collect::<Vec<_>>(),
            "because" => r.iter().map(|x| x.because.as_str()).collect::<Vec<_>>(),
        )?;

        // With several documents, whose ids may repeat, an example names its document too:
        // `1 (siteA)`, as the report names units.
        let doc = |k: usize| strings.docs.get(k).unwrap_or_default();
        let several = (1..n).any(|k| doc(k) != doc(0));
        let named = |k: usize| {
            if several {
                format!("{} ({})", id(k), doc(k))
            } else {
                id(k).to_string()
            }
        };
        let mut ex: Vec<(&str, &str, Vec<String>)> = Vec::new();
        for k in 0..n {
            let key = (sentiment(k), d.first_label(k).as_str());
            match ex.iter_mut().find(|(a, b, _)| (*a, *b) == key) {
                Some((_, _, ids)) if ids.len() < 3 => ids.push(named(k)),
                Some(_) => {}
                None => ex.push((key.0, key.1, vec![named(k)])),
            }
        }
        let examples = df!(
            "sentiment" => ex.iter().map(|e| e.0).collect::<Vec<_>>(),
            "stance" => ex.iter().map(|e| e.1).collect::<Vec<_>>(),
            "example_ids" => ex.iter().map(|e| e.2.join("; ")).collect::<Vec<_>>(),
        )?;

        drop(strings);
        Ok(Frames {
            units: frame,
            stances,
            mentions,
            replies,
            examples,
            facts: d,
        })
    }

    /// The compounds of the units that `keep` selects.
    pub fn compounds(&self, keep: impl Fn(&Row) -> bool) -> Vec<f64> {
        let f = &self.facts;
        f.kinds
            .iter()
            .zip(&f.compounds)
            .map(|(&k, &compound)| Row {
                voice: voice(k),
                compound,
            })
            .filter(|r| keep(r))
            .map(|r| r.compound)
            .collect()
    }

    /// Targeted compounds per entity.
    pub fn entity_groups(&self) -> Vec<(String, Vec<f64>)> {
        // Entities are interned in order of first mention, so the groups come out in that order.
        let mut out: Vec<(String, Vec<f64>)> = self
            .facts
            .entities
            .iter()
            .map(|e| (e.clone(), Vec::new()))
            .collect();
        for &(_, e, c) in &self.facts.mentions {
            out[usize::from(e)].1.push(c);
        }
        out
    }
}
