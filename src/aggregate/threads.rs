//! Reply agreement: does a reply agree with the comment it answers?
//!
//! A reply that opens with an agreement or disagreement cue ("I agree", "exactly", "not true") says so;
//! otherwise two replies with a stance agree when the stances match and disagree when they are opposite;
//! anything else is unclear. The reason is kept, so that an analyst can check each call.

use crate::model::{Label, Scored};

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
    /// Index of the reply in the scored units.
    pub reply: usize,
    /// Index of its parent.
    pub parent: usize,
    /// agree, disagree or unclear.
    pub agreement: &'static str,
    /// Why: the cue, or the two stances.
    pub because: String,
}

/// Finds every reply whose parent is in the corpus and judges its agreement on the first target.
pub fn replies(scored: &[Scored]) -> Vec<Reply> {
    let index: std::collections::HashMap<&str, usize> = scored
        .iter()
        .enumerate()
        .map(|(k, s)| (s.unit().id.as_str(), k))
        .collect();
    let mut out = Vec::new();
    for (k, s) in scored.iter().enumerate() {
        let Some(&parent) = s.unit().parent_id.as_deref().and_then(|p| index.get(p)) else {
            continue;
        };
        let head: String = s
            .prepared
            .text
            .chars()
            .take(60)
            .collect::<String>()
            .to_lowercase();
        // A cue counts near the start, where a reply answers its parent.
        let cue = |list: &[&'static str]| {
            list.iter()
                .find(|c| head.find(**c).is_some_and(|i| i < 25))
                .copied()
        };
        let stance = |i: usize| scored[i].stances.first().map_or(Label::None, |st| st.label);
        let (mine, theirs) = (stance(k), stance(parent));
        let (agreement, because) = if let Some(c) = cue(DISAGREE) {
            ("disagree", format!("cue \"{c}\""))
        } else if let Some(c) = cue(AGREE) {
            ("agree", format!("cue \"{c}\""))
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
