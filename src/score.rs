//! The scoring core: one [`Scorer`], built once from the validated configuration, scores every unit for
//! every caller (`run`, `score`, `eval`, `learn`), so that a unit takes one path whoever asks.
//!
//! For each unit: VADER on the text the scorers see (the reference's score), with its token explanation
//! when asked; VADER on each sentence; the stance toward every target; entity mentions with their
//! targeted sentiment; and the agreement cue a reply opens with. Stance and entities read the word tokens
//! of the one sentence segmentation ([`crate::text::sentences`]), with quoted sentences left out unless
//! quotes are kept, so every `sentence` number in every output is a sentence of `sentences.csv`.

use crate::entity::Entities;
use crate::model::{Prepared, Scored, SentenceScore, Unit};
use crate::stance::{self, Target};
use crate::text;
use crate::vader::Vader;
use rayon::prelude::*;

/// The name of a per-target output column of `score` (and of the Python package): `base` (stance,
/// stance_score, stance_cues) for the first target, `base_<id>` for the others.
pub fn target_column(base: &str, k: usize, target: &str) -> String {
    if k == 0 {
        base.to_string()
    } else {
        format!("{base}_{target}")
    }
}

/// Scores units. Cheap to share across threads: it holds only the compiled targets and entities, and
/// the CPU time spent in each part of scoring, summed over threads.
#[derive(Debug, Clone)]
pub struct Scorer {
    targets: Vec<Target>,
    entities: Option<Entities>,
    raw: bool,
    keep_quotes: bool,
    explain: bool,
    detail: bool,
    profile: std::sync::Arc<Profile>,
}

/// VADER's scores of a unit: whole text, explanation, sentences.
type Tone = (crate::vader::Polarity, String, Vec<SentenceScore>);

/// Nanoseconds spent in each part of [`Scorer::score`], summed over every thread (so CPU time, not wall
/// time): the benchmark's per-unit cost of VADER, word tokens, stance and entities.
#[derive(Debug, Default)]
struct Profile {
    vader: std::sync::atomic::AtomicU64,
    tokens: std::sync::atomic::AtomicU64,
    stance: std::sync::atomic::AtomicU64,
    entities: std::sync::atomic::AtomicU64,
}

/// Adds the time since `*since` to `counter` and restarts `*since`.
fn lap(counter: &std::sync::atomic::AtomicU64, since: &mut std::time::Instant) {
    let now = std::time::Instant::now();
    let ns = u64::try_from(now.duration_since(*since).as_nanos()).unwrap_or(u64::MAX);
    counter.fetch_add(ns, std::sync::atomic::Ordering::Relaxed);
    *since = now;
}

impl Scorer {
    /// A scorer for `targets` and (when given) `entities`. `raw` skips normalisation; `keep_quotes`
    /// scores quoted passages as the writer's own words. It gives whole-text VADER and stances; add
    /// [`Scorer::explained`] and [`Scorer::detailed`] for what `run` writes.
    pub fn new(
        targets: Vec<Target>,
        entities: Option<Entities>,
        raw: bool,
        keep_quotes: bool,
    ) -> Scorer {
        Scorer {
            targets,
            entities,
            raw,
            keep_quotes,
            explain: false,
            detail: false,
            profile: Default::default(),
        }
    }

    /// CPU seconds spent so far in each part of scoring, summed over threads: VADER (whole text and
    /// sentences), word tokens, stance (all targets) and entities.
    pub fn cpu_seconds(&self) -> [(&'static str, f64); 4] {
        let s = |c: &std::sync::atomic::AtomicU64| {
            c.load(std::sync::atomic::Ordering::Relaxed) as f64 / 1e9
        };
        let p = &self.profile;
        [
            ("vader", s(&p.vader)),
            ("tokens", s(&p.tokens)),
            ("stance", s(&p.stance)),
            ("entities", s(&p.entities)),
        ]
    }

    /// Also gives VADER's token explanation (`Scored::explanation`).
    #[must_use]
    pub fn explained(mut self, yes: bool) -> Scorer {
        self.explain = yes;
        self
    }

    /// Also gives per-sentence VADER scores and reply openings.
    #[must_use]
    pub fn detailed(mut self, yes: bool) -> Scorer {
        self.detail = yes;
        self
    }

    /// The targets, in order.
    pub fn targets(&self) -> &[Target] {
        &self.targets
    }

    /// The entities, when entity sentiment is on.
    pub fn entities(&self) -> Option<&Entities> {
        self.entities.as_ref()
    }

    /// Whether the text is scored without normalisation.
    pub fn raw(&self) -> bool {
        self.raw
    }

    /// Whether quoted passages count as the writer's own words.
    pub fn keep_quotes(&self) -> bool {
        self.keep_quotes
    }

    /// Prepares a unit for scoring (normalisation unless raw, sentences); quotes are marked by the
    /// pipeline, which knows the article and the parents.
    pub fn prepare(&self, unit: Unit) -> Prepared {
        // Sentences serve stance, entities, per-sentence scores and quote marking; VADER on the whole
        // text alone (`score` without targets) needs none.
        let sentences =
            self.detail || !self.targets.is_empty() || self.entities.is_some() || !self.keep_quotes;
        let mut p = text::prepare_with(unit, self.raw, sentences);
        p.exclude_quotes = !self.keep_quotes;
        p
    }

    /// Prepares and scores a unit that quotes nothing: a record of `score`, a labelled example.
    pub fn score_unit(&self, unit: Unit) -> Scored {
        self.score(self.prepare(unit))
    }

    /// Scores one prepared unit: [`Scorer::score_batch`] of one, without the batch's lists.
    pub fn score(&self, p: Prepared) -> Scored {
        let mut clock = std::time::Instant::now();
        let tone = self.tone(&p);
        lap(&self.profile.vader, &mut clock);
        let (stances, mentions) = if self.targets.is_empty() && self.entities.is_none() {
            (Vec::new(), Vec::new())
        } else {
            let toks = Scorer::tokens(&p);
            lap(&self.profile.tokens, &mut clock);
            let stances = self.stances(&p, &toks);
            lap(&self.profile.stance, &mut clock);
            let mentions = self.mentions(&p, &toks);
            lap(&self.profile.entities, &mut clock);
            (stances, mentions)
        };
        self.scored(p, tone, stances, mentions)
    }

    /// Scores a batch of prepared units, in order, one part at a time: VADER for every unit, then the
    /// word tokens, then stance, then entities. Each part's tables (VADER's lexicon, the targets' word
    /// caches, the entity aliases) stay in the processor's cache across the batch instead of being
    /// evicted by the other parts between units; each unit's result is what [`Scorer::score`] gives.
    pub fn score_batch(&self, batch: Vec<Prepared>) -> Vec<Scored> {
        let mut clock = std::time::Instant::now();
        let tones: Vec<_> = batch.iter().map(|p| self.tone(p)).collect();
        lap(&self.profile.vader, &mut clock);
        let n = batch.len();
        let (stances, mentions) = if self.targets.is_empty() && self.entities.is_none() {
            (vec![Vec::new(); n], vec![Vec::new(); n])
        } else {
            let toks: Vec<_> = batch.iter().map(Scorer::tokens).collect();
            lap(&self.profile.tokens, &mut clock);
            let stances: Vec<_> = batch
                .iter()
                .zip(&toks)
                .map(|(p, toks)| self.stances(p, toks))
                .collect();
            lap(&self.profile.stance, &mut clock);
            let mentions: Vec<_> = batch
                .iter()
                .zip(&toks)
                .map(|(p, toks)| self.mentions(p, toks))
                .collect();
            lap(&self.profile.entities, &mut clock);
            (stances, mentions)
        };
        let mut out = Vec::with_capacity(n);
        let mut parts = tones.into_iter().zip(stances).zip(mentions);
        for p in batch {
            let Some(((tone, stances), mentions)) = parts.next() else {
                break;
            };
            out.push(self.scored(p, tone, stances, mentions));
        }
        out
    }

    /// VADER on the text the scorers see (with its explanation when asked), and per sentence when
    /// detailed.
    fn tone(&self, p: &Prepared) -> Tone {
        let vader = Vader::embedded();
        let text = p.scoring_text();
        let (polarity, explanation) = if self.explain {
            vader.explain_line(&text)
        } else {
            (vader.polarity_scores(&text), String::new())
        };
        let sentences = if self.detail {
            // A sentence that is the whole text the scorers see has the text's scores: VADER is a
            // function of the string. About a third of comments are one sentence.
            let whole = p.sentences.len() == 1;
            p.sentences
                .iter()
                .enumerate()
                .map(|(k, &(a, b))| SentenceScore {
                    index: k + 1,
                    quote: p.is_quote(a, b),
                    range: (a, b),
                    polarity: if whole && p.text[a..b] == *text {
                        polarity
                    } else {
                        vader.polarity_scores(&p.text[a..b])
                    },
                })
                .collect()
        } else {
            Vec::new()
        };
        (polarity, explanation, sentences)
    }

    /// The stance toward every target.
    fn stances(&self, p: &Prepared, toks: &[text::tokens::Tok]) -> Vec<crate::model::Stance> {
        self.targets
            .iter()
            .map(|t| stance::score(t, &p.text, toks))
            .collect()
    }

    /// The entity mentions.
    fn mentions(&self, p: &Prepared, toks: &[text::tokens::Tok]) -> Vec<crate::model::Mention> {
        let mut m = self
            .entities
            .as_ref()
            .map_or_else(Vec::new, |e| e.mentions(&p.text, toks));
        m.shrink_to_fit();
        m
    }

    /// A unit's parts put together, with the reply opening when detailed.
    fn scored(
        &self,
        p: Prepared,
        (polarity, explanation, sentences): Tone,
        stances: Vec<crate::model::Stance>,
        mentions: Vec<crate::model::Mention>,
    ) -> Scored {
        Scored {
            polarity,
            explanation,
            sentences,
            stances,
            mentions,
            opening: if self.detail {
                crate::reply::opening(&p.text)
            } else {
                None
            },
            prepared: p,
        }
    }

    /// The word tokens stance and entities read: those of the unit's sentences, quoted ones left out
    /// unless quotes are kept.
    pub fn tokens(p: &Prepared) -> Vec<text::tokens::Tok<'_>> {
        let exclude = p.exclude_quotes && !p.quotes.is_empty();
        text::tokens::tokenize_sentences(&p.text, &p.sentences, |k| {
            exclude && {
                let (a, b) = p.sentences[k];
                p.is_quote(a, b)
            }
        })
    }

    /// Scores every unit on the current rayon pool. The output order is the input order, whatever the
    /// number of threads, so `--jobs 1` and `--jobs N` write identical files.
    pub fn score_all(&self, units: Vec<Prepared>) -> Vec<Scored> {
        // Batches of BATCH units: few enough to leave the work spread over the threads, enough for each
        // part's tables to stay warm (see score_batch).
        const BATCH: usize = 32;
        let batches: Vec<Vec<Scored>> = units
            .into_par_iter()
            .chunks(BATCH)
            .map(|batch| self.score_batch(batch))
            .collect();
        batches.into_iter().flatten().collect()
    }
}
