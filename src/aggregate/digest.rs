//! Digests: a scored unit in, the little the aggregate tables need of it out.
//!
//! A run streams its scored units to the per-unit CSV files in batches and keeps only a digest of each:
//! no text, sentences, explanations or cues. Memory then grows with what the tables need, not with the
//! text of the corpus.

use super::threads;
use crate::ingest::dates;
use crate::model::{Kind, Label, Scored};

/// What the aggregate tables need of one scored unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Digest {
    /// The unit's id.
    pub id: String,
    /// Its kind.
    pub kind: Kind,
    /// Its author, when known.
    pub author: Option<String>,
    /// Its date as days since 1970-01-01, when known.
    pub day: Option<i64>,
    /// The top-level comment of its thread.
    pub thread_root: Option<String>,
    /// The input position of the unit it replies to, when that unit is in the corpus.
    pub parent: Option<usize>,
    /// Its VADER compound.
    pub compound: f64,
    /// Label and score toward each target, in target order.
    pub stances: Vec<(Label, f64)>,
    /// Entity (index into [`Digests::entities`]) and targeted compound of each mention, in text order.
    pub mentions: Vec<(u16, f64)>,
    /// For a reply: the agreement or disagreement cue it opens with, as (agreement, cue).
    pub opening: Option<(&'static str, &'static str)>,
}

/// The digests of a run's units, in input order, with the entity ids they mention.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Digests {
    /// One digest per unit.
    pub units: Vec<Digest>,
    /// Entity ids, in order of first mention; a mention names one by index, since a large corpus has
    /// millions of mentions of a few entities.
    pub entities: Vec<String>,
}

impl Digests {
    /// Adds the digest of `s`, whose parent is at input position `parent`.
    pub fn push(&mut self, s: &Scored, parent: Option<usize>) {
        let mentions = s
            .mentions
            .iter()
            .map(|m| (self.entity(&m.entity), m.polarity.compound))
            .collect();
        self.units.push(Digest::of(s, parent, mentions));
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
}

impl Digest {
    /// The digest of `s`, whose parent is at input position `parent`, with its mentions already interned.
    fn of(s: &Scored, parent: Option<usize>, mentions: Vec<(u16, f64)>) -> Digest {
        let u = s.unit();
        Digest {
            id: u.id.clone(),
            kind: u.kind(),
            author: u.author.clone(),
            day: u.date.as_deref().and_then(dates::days),
            thread_root: u.thread_root.clone(),
            parent,
            compound: s.polarity.compound,
            stances: s.stances.iter().map(|st| (st.label, st.score)).collect(),
            mentions,
            opening: parent.and_then(|_| threads::opening(&s.prepared.text)),
        }
    }

    /// The label toward the first target (none without targets).
    pub fn first_label(&self) -> Label {
        self.stances.first().map_or(Label::None, |s| s.0)
    }
}
