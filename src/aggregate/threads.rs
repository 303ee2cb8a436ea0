//! Reply agreement: does a reply agree with the comment it answers?
//!
//! A reply that opens with an agreement or disagreement cue ("I agree", "exactly", "not true"; found by the
//! scorer, see [`crate::reply`]) says so;
//! otherwise two replies with a stance agree when the stances match and disagree when they are opposite;
//! anything else is unclear. The reason is kept, so that an analyst can check each call.

use super::digest::Digests;
use crate::model::Label;
use crate::reply::cue;

/// One reply's relation to its parent.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// Input position of the reply.
    pub reply: usize,
    /// Input position of its parent.
    pub parent: usize,
    /// agree, disagree or unclear.
    pub agreement: &'static str,
    /// Why: the cue, or the two stances.
    pub because: String,
}

/// Finds every reply whose parent is in the corpus and judges its agreement on the first target.
pub fn replies(d: &Digests) -> Vec<Reply> {
    let mut out = Vec::new();
    for k in 0..d.len() {
        let Some(parent) = d.parents[k].map(|p| p as usize) else {
            continue;
        };
        let (mine, theirs) = (d.first_label(k), d.first_label(parent));
        let (agreement, because) = if let Some((a, c)) = d.openings[k].map(cue) {
            (a, format!("cue \"{c}\""))
        } else if mine != Label::None && theirs != Label::None {
            let same = mine == theirs;
            (
                if same { "agree" } else { "disagree" },
                format!("stance {mine} vs parent {theirs}"),
            )
        } else {
            ("unclear", format!("stance {mine} vs parent {theirs}"))
        };
        out.push(Reply {
            reply: k,
            parent,
            agreement,
            because,
        });
    }
    out
}
