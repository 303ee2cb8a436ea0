//! The score stage: prepared units in, scored units out, in parallel with input order kept.
//!
//! For each unit: VADER on the whole text (the reference's score) with its token explanation, VADER on
//! each sentence, and the stance toward every target.

use crate::entity::Entities;
use crate::model::{Prepared, Scored, SentenceScore};
use crate::stance::{self, Target};
use crate::vader::Vader;
use rayon::prelude::*;

/// Scores one unit.
pub fn score_one(p: Prepared, targets: &[Target], entities: &Entities) -> Scored {
    let vader = Vader::embedded();
    let text = p.scoring_text();
    let explained = vader.explain(&text);
    let sentences = p
        .sentences
        .iter()
        .enumerate()
        .map(|(k, &(a, b))| SentenceScore {
            index: k + 1,
            quote: p.is_quote(a, b),
            range: (a, b),
            polarity: vader.polarity_scores(&p.text[a..b]),
        })
        .collect();
    let toks = stance::tokens::tokenize(&text);
    let stances = targets
        .iter()
        .map(|t| stance::score(t, &text, &toks))
        .collect();
    let mut mentions = entities.mentions(&text, &toks);
    // Every unit is kept until the outputs are written: no spare capacity per unit.
    mentions.shrink_to_fit();
    drop(toks);
    drop(text);
    Scored {
        polarity: explained.polarity,
        explanation: explained.to_string(),
        sentences,
        stances,
        mentions,
        prepared: p,
    }
}

/// Scores every unit on the current rayon pool. The output order is the input order, whatever the
/// number of threads, so `--jobs 1` and `--jobs N` write identical files.
pub fn score_all(units: Vec<Prepared>, targets: &[Target], entities: &Entities) -> Vec<Scored> {
    units
        .into_par_iter()
        .map(|p| score_one(p, targets, entities))
        .collect()
}
