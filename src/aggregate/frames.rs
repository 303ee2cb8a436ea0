//! The frames every plan starts from, built once from the scored units: one row per unit, per unit and
//! target, per entity mention and per reply, plus the per-group values the bootstrap needs.

use super::bootstrap::share_ci;
use super::threads;
use crate::ingest::dates;
use crate::model::{Kind, Label, Scored, sentiment_label};
use polars::prelude::*;

/// What the bootstrap needs of a unit.
pub struct Row {
    /// Its kind's name.
    pub kind: String,
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
    stance_rows: Vec<(String, &'static str, Label)>,
    entity_rows: Vec<(String, f64)>,
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
    /// Builds every frame.
    pub fn build(scored: &[Scored]) -> PolarsResult<Frames> {
        let first = |s: &Scored| s.stances.first().map_or(Label::None, |st| st.label);
        let day: Vec<Option<i64>> = scored
            .iter()
            .map(|s| s.unit().date.as_deref().and_then(dates::days))
            .collect();
        let span = day
            .iter()
            .flatten()
            .max()
            .zip(day.iter().flatten().min())
            .map_or(0, |(a, b)| a - b);
        let period: Vec<Option<String>> = day
            .iter()
            .map(|d| {
                d.map(|d| {
                    if span > 60 {
                        dates::iso_week(d)
                    } else {
                        dates::from_unix(d * 86_400)[..10].to_string()
                    }
                })
            })
            .collect();
        let units = df!(
            "order" => (0..scored.len() as u32).collect::<Vec<_>>(),
            "id" => scored.iter().map(|s| s.unit().id.as_str()).collect::<Vec<_>>(),
            "kind_rank" => scored.iter().map(|s| rank(&Kind::ALL, &s.unit().kind()) + 1).collect::<Vec<_>>(),
            "kind" => scored.iter().map(|s| s.unit().kind().as_str()).collect::<Vec<_>>(),
            "voice" => scored.iter().map(|s| voice(s.unit().kind())).collect::<Vec<_>>(),
            "author" => scored.iter().map(|s| s.unit().author.as_deref()).collect::<Vec<_>>(),
            "thread_root" => scored.iter().map(|s| s.unit().thread_root.as_deref()).collect::<Vec<_>>(),
            "period" => period,
            "compound" => scored.iter().map(|s| s.polarity.compound).collect::<Vec<_>>(),
            "sentiment" => scored.iter().map(|s| sentiment_label(s.polarity.compound)).collect::<Vec<_>>(),
            "sentiment_rank" => scored.iter().map(|s| rank(&SENTIMENTS, &sentiment_label(s.polarity.compound))).collect::<Vec<_>>(),
            "stance" => scored.iter().map(|s| first(s).as_str()).collect::<Vec<_>>(),
            "stance_rank" => scored.iter().map(|s| rank(&Label::ALL, &first(s))).collect::<Vec<_>>(),
            "stance_score" => scored.iter().map(|s| s.stances.first().map_or(0.0, |st| st.score)).collect::<Vec<_>>(),
        )?;

        let mut st = (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut stance_rows = Vec::new();
        for s in scored {
            for x in &s.stances {
                st.0.push(x.target.as_str());
                st.1.push(rank(&Kind::ALL, &s.unit().kind()));
                st.2.push(s.unit().kind().as_str());
                st.3.push(voice(s.unit().kind()));
                st.4.push(x.label.as_str());
                stance_rows.push((x.target.clone(), voice(s.unit().kind()), x.label));
            }
        }
        let stances = df!("target" => st.0, "kind_rank" => st.1, "kind" => st.2, "voice" => st.3, "label" => st.4)?;

        let mut m = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut entity_rows = Vec::new();
        for (k, s) in scored.iter().enumerate() {
            for x in &s.mentions {
                m.0.push(k as u32);
                m.1.push(s.unit().id.as_str());
                m.2.push(x.entity.as_str());
                m.3.push(x.polarity.compound);
                entity_rows.push((x.entity.clone(), x.polarity.compound));
            }
        }
        let sentiment: Vec<&str> = m.3.iter().map(|c| sentiment_label(*c)).collect();
        let mentions = df!("order" => m.0, "unit_id" => m.1, "entity" => m.2, "compound" => m.3, "sentiment" => sentiment)?;

        let r = threads::replies(scored);
        let id = |k: usize| scored[k].unit().id.as_str();
        let author = |k: usize| scored[k].unit().author.as_deref();
        let stance = |k: usize| first(&scored[k]).as_str();
        let replies = df!(
            "order" => r.iter().map(|x| x.reply as u32).collect::<Vec<_>>(),
            "thread_root" => r.iter().map(|x| scored[x.reply].unit().thread_root.as_deref()).collect::<Vec<_>>(),
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
        for s in scored {
            let key = (sentiment_label(s.polarity.compound), first(s).as_str());
            match ex.iter_mut().find(|(a, b, _)| (*a, *b) == key) {
                Some((_, _, ids)) if ids.len() < 3 => ids.push(s.unit().id.as_str()),
                Some(_) => {}
                None => ex.push((key.0, key.1, vec![s.unit().id.as_str()])),
            }
        }
        let examples = df!(
            "sentiment" => ex.iter().map(|e| e.0).collect::<Vec<_>>(),
            "stance" => ex.iter().map(|e| e.1).collect::<Vec<_>>(),
            "example_ids" => ex.iter().map(|e| e.2.join("; ")).collect::<Vec<_>>(),
        )?;

        let rows = scored
            .iter()
            .map(|s| Row {
                kind: s.unit().kind().as_str().to_string(),
                voice: voice(s.unit().kind()),
                compound: s.polarity.compound,
            })
            .collect();
        Ok(Frames {
            units,
            stances,
            mentions,
            replies,
            examples,
            rows,
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
            .filter(|k| self.rows.iter().any(|r| &r.kind == k))
            .collect()
    }

    /// Targeted compounds per entity.
    pub fn entity_groups(&self) -> Vec<(String, Vec<f64>)> {
        let mut out: Vec<(String, Vec<f64>)> = Vec::new();
        for (e, c) in &self.entity_rows {
            match out.iter_mut().find(|(n, _)| n == e) {
                Some((_, xs)) => xs.push(*c),
                None => out.push((e.clone(), vec![*c])),
            }
        }
        out
    }

    /// Every target × voice (all, article, comments) × label, with the interval of the label's share.
    pub fn stance_grid(&self) -> PolarsResult<DataFrame> {
        let mut targets: Vec<&str> = Vec::new();
        for (t, _, _) in &self.stance_rows {
            if !targets.contains(&t.as_str()) {
                targets.push(t);
            }
        }
        let mut g = (
            Vec::new(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
        );
        for t in &targets {
            for (vr, v) in ["all", "article", "comments"].into_iter().enumerate() {
                let labels: Vec<Label> = self
                    .stance_rows
                    .iter()
                    .filter(|(x, vo, _)| x == t && (v == "all" || *vo == v))
                    .map(|r| r.2)
                    .collect();
                if labels.is_empty() {
                    continue;
                }
                for (lr, l) in Label::ALL.into_iter().enumerate() {
                    let flags: Vec<bool> = labels.iter().map(|x| *x == l).collect();
                    let (lo, hi) = share_ci(&flags, &format!("stance/{t}/{v}/{l}"));
                    g.0.push(*t);
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
