//! Reply agreement: does a reply agree with the comment it answers?
//!
//! A reply that opens with an agreement or disagreement cue ("I agree", "exactly", "not true") says so;
//! otherwise two replies with a stance agree when the stances match and disagree when they are opposite;
//! anything else is unclear. The reason is kept, so that an analyst can check each call.

use super::digest::Digest;
use crate::model::Label;

const AGREE: &[&str] = &[
    "i agree",
    "agreed",
    "exactly",
    "well said",
    "so true",
    "good point",
    "you're right",
    "you are right",
    "true that",
    "+1",
    "this.",
];
const DISAGREE: &[&str] = &[
    "i disagree",
    "disagree",
    "not true",
    "you're wrong",
    "you are wrong",
    "nonsense",
    "wrong.",
    "that's not",
    "not really",
];

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

/// The agreement or disagreement cue a reply opens with, as (agreement, cue). A cue counts near the
/// start, where a reply answers its parent; disagreement is checked first.
pub fn opening(text: &str) -> Option<(&'static str, &'static str)> {
    let head: String = text.chars().take(60).collect::<String>().to_lowercase();
    let cue = |list: &[&'static str]| {
        list.iter()
            .find(|c| head.find(**c).is_some_and(|i| i < 25))
            .copied()
    };
    cue(DISAGREE)
        .map(|c| ("disagree", c))
        .or_else(|| cue(AGREE).map(|c| ("agree", c)))
}

/// Finds every reply whose parent is in the corpus and judges its agreement on the first target.
pub fn replies(units: &[Digest]) -> Vec<Reply> {
    let mut out = Vec::new();
    for (k, d) in units.iter().enumerate() {
        let Some(parent) = d.parent else {
            continue;
        };
        let (mine, theirs) = (d.first_label(), units[parent].first_label());
        let (agreement, because) = if let Some((a, c)) = d.opening {
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
