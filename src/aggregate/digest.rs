//! Digests: scored units in, one column per fact the aggregate tables need out.
//!
//! A run streams its scored units to the per-unit CSV files in batches and keeps only these columns: no
//! text, sentences, explanations or cues. Strings go straight into polars' string builders, which the
//! frames then take over without a copy; everything else is a small number per unit or per mention.

use crate::model::{Kind, Label, Scored};
use crate::partial::Partial;
use polars::prelude::{PlSmallStr, StringChunked, StringChunkedBuilder};

/// What the aggregate tables need of a run's scored units, column by column, in input order.
pub struct Digests {
    ids: StringChunkedBuilder,
    docs: StringChunkedBuilder,
    authors: StringChunkedBuilder,
    roots: StringChunkedBuilder,
    /// The input position of the first unit of each unit's thread (none for article text): threads are
    /// told apart by it, not by the root's id, which two documents or a repeated id can share.
    pub roots_at: Vec<Option<u32>>,
    /// Each unit's kind.
    pub kinds: Vec<Kind>,
    /// Each unit's VADER compound.
    pub compounds: Vec<f64>,
    /// The input position of the unit each unit replies to, when that unit is in the corpus.
    pub parents: Vec<Option<u32>>,
    /// For a reply: the agreement or disagreement cue it opens with (see [`crate::reply::opening`]).
    pub openings: Vec<Option<u8>>,
    /// Label and score toward each target, unit by unit, `targets` per unit.
    pub stances: Vec<(Label, f64)>,
    /// Stances per unit.
    pub targets: usize,
    /// Unit position, entity (index into `entities`) and targeted compound of each mention.
    pub mentions: Vec<(u32, u16, f64)>,
    /// Entity ids, in order of first mention: a corpus has millions of mentions of a few entities.
    pub entities: Vec<String>,
    /// The mergeable partial of the units: the summary, stance_summary, by_author and by_date tables
    /// are finished from it, as merged partials from many machines would be.
    pub partial: Partial,
    labels: Vec<Label>,
}

/// The string columns, finished.
pub struct Strings {
    /// Unit ids.
    pub ids: StringChunked,
    /// Their documents.
    pub docs: StringChunked,
    /// Authors (null when unknown).
    pub authors: StringChunked,
    /// Thread roots (null for article text).
    pub roots: StringChunked,
}

impl Digests {
    /// Empty columns for the targets with ids `targets`, with room for `capacity` units.
    pub fn new(targets: &[String], capacity: usize) -> Digests {
        let b = |name: &str| StringChunkedBuilder::new(PlSmallStr::from(name), capacity);
        Digests {
            ids: b("id"),
            docs: b("doc_id"),
            authors: b("author"),
            roots: b("thread_root"),
            roots_at: Vec::with_capacity(capacity),
            kinds: Vec::with_capacity(capacity),
            compounds: Vec::with_capacity(capacity),
            parents: Vec::with_capacity(capacity),
            openings: Vec::with_capacity(capacity),
            stances: Vec::with_capacity(capacity * targets.len()),
            targets: targets.len(),
            mentions: Vec::new(),
            entities: Vec::new(),
            partial: Partial::new(targets.to_vec()),
            labels: Vec::with_capacity(targets.len()),
        }
    }

    /// Adds scored unit `s`, whose parent is at input position `parent` and whose thread starts at input
    /// position `root`. Its stances must be one per target, in target order, as the score stage gives
    /// them.
    pub fn push(&mut self, s: &Scored, parent: Option<usize>, root: usize) -> crate::Result<()> {
        let u = s.unit();
        let k = self.kinds.len() as u32;
        self.ids.append_value(&u.id);
        self.docs.append_value(&u.doc_id);
        self.authors.append_option(u.author.as_deref());
        self.roots.append_option(u.thread_root.as_deref());
        self.roots_at
            .push(u.thread_root.is_some().then_some(root as u32));
        self.kinds.push(u.kind());
        self.compounds.push(s.polarity.compound);
        // Four billion units would not fit in memory long before this conversion could fail.
        self.parents.push(parent.map(|p| p as u32));
        self.openings.push(parent.and(s.opening));
        debug_assert_eq!(s.stances.len(), self.targets);
        self.stances
            .extend(s.stances.iter().map(|st| (st.label, st.score)));
        for m in &s.mentions {
            let e = self.entity(&m.entity);
            self.mentions.push((k, e, m.polarity.compound));
        }
        self.labels.clear();
        self.labels.extend(s.stances.iter().map(|st| st.label));
        self.partial.add(
            u.kind(),
            u.author.as_deref(),
            u.date.as_deref(),
            s.polarity.compound,
            &self.labels,
        )
    }

    fn entity(&mut self, id: &str) -> u16 {
        let k = match self.entities.iter().position(|e| e == id) {
            Some(k) => k,
            None => {
                self.entities.push(id.to_string());
                self.entities.len() - 1
            }
        };
        // An entities file with more than 65,535 entities is refused when it is loaded.
        k as u16
    }

    /// Units added.
    pub fn len(&self) -> usize {
        self.kinds.len()
    }

    /// Whether none were added.
    pub fn is_empty(&self) -> bool {
        self.kinds.is_empty()
    }

    /// The label of unit `k` toward the first target (none without targets).
    pub fn first_label(&self, k: usize) -> Label {
        if self.targets == 0 {
            Label::None
        } else {
            self.stances[k * self.targets].0
        }
    }

    /// The score of unit `k` toward the first target (0 without targets).
    pub fn first_score(&self, k: usize) -> f64 {
        if self.targets == 0 {
            0.0
        } else {
            self.stances[k * self.targets].1
        }
    }

    /// Finishes the string columns, leaving the rest in place.
    pub fn take_strings(&mut self) -> Strings {
        let fresh = |name: &str| StringChunkedBuilder::new(PlSmallStr::from(name), 0);
        Strings {
            ids: std::mem::replace(&mut self.ids, fresh("id")).finish(),
            docs: std::mem::replace(&mut self.docs, fresh("doc_id")).finish(),
            authors: std::mem::replace(&mut self.authors, fresh("author")).finish(),
            roots: std::mem::replace(&mut self.roots, fresh("thread_root")).finish(),
        }
    }
}
