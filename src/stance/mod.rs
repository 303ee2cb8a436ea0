//! Stance toward configured targets: explainable keyword and cue scoring with negation and contrast.
//!
//! Takes the prepared text of a unit and the validated targets, gives one [`Stance`] per target: the label,
//! the signed score, a confidence and every cue that fired, with its weight and whether it was negated.
//!
//! The rules, in order, for each cue found (longest, most specific match first; matches do not overlap):
//! 1. `alone` cues count only when they are the whole sentence, `scoped` ones only in a sentence that
//!    names a scope term;
//! 2. an odd number of negators within `negation_window` words before the cue, in its clause, flips it,
//!    and so does a clause negator ("do not think") earlier in the clause; cues marked
//!    `negatable = false` (things the writer objects to, such as "overcharging") keep their direction;
//! 3. a dismissal in the cue's clause ("the spying argument is theatre", `dismissals`) flips a
//!    negatable cue as well: an argument called theatre, FUD or a myth counts for the other side;
//! 4. in a sentence with a contrast word ("but"), cues before it are scaled by `before_contrast` and cues
//!    after it by `after_contrast`.
//!
//! The score is the sum of signed weights; at or above `threshold` it is favor, at or below −threshold
//! against, otherwise none. Confidence is the cues' agreement |F − A| / (F + A) times the amount of
//! evidence 1 − e^−(F + A), where F and A are the favor and against mass.

pub mod linear;
pub mod target;

use crate::model::{CueHit, Label, Stance};
use crate::text::phrase::{FirstWordIndex, Pattern, match_at};
use crate::text::tokens::Tok;
pub use target::Target;

/// Scores one text toward one target.
pub fn score(target: &Target, text: &str, toks: &[Tok]) -> Stance {
    let mut found: Vec<(usize, usize, usize)> = Vec::new(); // (start, end, cue index)
    for (s, tok) in toks.iter().enumerate() {
        for ci in target.index.candidates(&tok.word) {
            if let Some(e) = match_at(&target.cues[ci].pattern, toks, s) {
                found.push((s, e, ci));
            }
        }
    }
    // Longest first at each start, then the most specific (exact words beat wildcards), then file order.
    found.sort_by_key(|&(s, e, ci)| {
        (
            s,
            std::cmp::Reverse(e - s),
            std::cmp::Reverse(target.cues[ci].pattern.specificity()),
            ci,
        )
    });
    // Everything below is computed once per text, so that the cost stays linear in its length: a cue
    // looks up its sentence's range, first contrast word and clause negators instead of scanning.
    let sentences = toks.last().map_or(0, |t| t.sentence as usize + 1);
    // Scope terms, clause negators and dismissals are found in one pass over the tokens, each token
    // trying only the patterns that can start with its word (a scan per pattern cost a pass each).
    let mut scoped = vec![false; sentences];
    for k in 0..toks.len() {
        if starts(&target.scope_index, &target.scope, toks, k)
            .next()
            .is_some()
        {
            scoped[toks[k].sentence as usize] = true;
        }
    }
    // Token range of each sentence (tokens come in sentence order).
    let mut range = vec![(usize::MAX, 0usize); sentences];
    // The first contrast word of each sentence.
    let mut first_contrast = vec![None; sentences];
    for (k, t) in toks.iter().enumerate() {
        let r = &mut range[t.sentence as usize];
        r.0 = r.0.min(k);
        r.1 = k + 1;
        let c = &mut first_contrast[t.sentence as usize];
        if c.is_none() && target.contrast.contains(&t.word) {
            *c = Some(k);
        }
    }
    // (start, end, clause) of each clause negator ("do not think").
    let clause_neg: Vec<(usize, usize, u32)> = (0..toks.len())
        .flat_map(|k| {
            starts(
                &target.clause_negator_index,
                &target.clause_negators,
                toks,
                k,
            )
            .map(|(s, e)| (s, e, toks[s].clause))
        })
        .collect();
    let mut in_clause_negator = vec![false; toks.len()];
    // The ends of each clause's clause negators, sorted, to count those that end before a cue.
    let mut negator_ends: rustc_hash::FxHashMap<u32, Vec<usize>> = Default::default();
    for &(a, b, c) in &clause_neg {
        in_clause_negator[a..b].iter_mut().for_each(|x| *x = true);
        negator_ends.entry(c).or_default().push(b);
    }
    negator_ends.values_mut().for_each(|v| v.sort_unstable());
    // The starts of each clause's dismissals ("... is theatre"), in text order, from one pass over the
    // tokens; one right after a negator ("no myth") does not dismiss.
    let mut dismissal_starts: rustc_hash::FxHashMap<u32, Vec<usize>> = Default::default();
    for a in 0..toks.len() {
        if starts(&target.dismissal_index, &target.dismissals, toks, a)
            .next()
            .is_some()
        {
            let c = toks[a].clause;
            let negated = (a.saturating_sub(2)..a)
                .any(|k| toks[k].clause == c && target.negators.contains(&toks[k].word));
            if !negated {
                dismissal_starts.entry(c).or_default().push(a);
            }
        }
    }

    let mut hits = Vec::new();
    let mut taken_until = 0;
    for (s, e, ci) in found {
        if s < taken_until {
            continue;
        }
        let cue = &target.cues[ci];
        let sentence = toks[s].sentence;
        if cue.scoped && !scoped[sentence as usize] {
            continue;
        }
        if cue.alone && range[sentence as usize] != (s, e) {
            continue;
        }
        taken_until = e;
        let clause = toks[s].clause;
        let window_start = s.saturating_sub(target.file.negation_window);
        // A negator inside a clause negator ("not" of "do not think") counts once, as the clause negator.
        let near = (window_start..s)
            .filter(|&k| {
                toks[k].clause == clause
                    && target.negators.contains(&toks[k].word)
                    && !in_clause_negator[k]
            })
            .count();
        let by_clause = negator_ends
            .get(&clause)
            .map_or(0, |ends| ends.partition_point(|&end| end <= s));
        let negated = cue.negatable && (near + by_clause) % 2 == 1;
        // A dismissal in the clause, outside the cue's own words, turns the argument around.
        let dismissed = cue.negatable
            && dismissal_starts.get(&clause).is_some_and(|starts| {
                let inside =
                    starts.partition_point(|&a| a < e) - starts.partition_point(|&a| a < s);
                starts.len() > inside
            });
        let contrast = first_contrast[sentence as usize]
            .filter(|&c| c != s)
            .map(|c| {
                if s < c {
                    target.file.before_contrast
                } else {
                    target.file.after_contrast
                }
            });
        let flips = usize::from(negated) + usize::from(dismissed);
        let mut weight = cue.signed_weight * if flips % 2 == 1 { -1.0 } else { 1.0 };
        if let Some(f) = contrast {
            weight *= f;
        }
        hits.push(CueHit {
            phrase: cue.pattern.text.clone(),
            pole: if cue.signed_weight > 0.0 {
                Label::Favor
            } else {
                Label::Against
            },
            weight,
            negated,
            dismissed,
            contrast,
            matched: text[toks[s].start..toks[e - 1].end].to_string(),
            sentence: sentence + 1,
        });
    }
    let on_topic = (0..toks.len()).any(|k| {
        starts(&target.topic_index, &target.topic, toks, k)
            .next()
            .is_some()
    });
    let rule = decide(target, hits, on_topic);
    match &target.model {
        Some(m) => m.decide(text, toks, rule),
        None => rule,
    }
}

/// The matches `[k, end)` of `patterns` that start at token `k`, trying only those whose first word
/// can be the token's (through `index`).
fn starts<'a>(
    index: &'a FirstWordIndex,
    patterns: &'a [Pattern],
    toks: &'a [Tok],
    k: usize,
) -> impl Iterator<Item = (usize, usize)> + 'a {
    index
        .candidates(&toks[k].word)
        .filter_map(move |i| match_at(&patterns[i], toks, k).map(|e| (k, e)))
}

fn decide(target: &Target, cues: Vec<CueHit>, on_topic: bool) -> Stance {
    let favor: f64 = cues.iter().map(|c| c.weight.max(0.0)).sum();
    let against: f64 = cues.iter().map(|c| (-c.weight).max(0.0)).sum();
    let score = favor - against;
    let mass = favor + against;
    let confidence = if mass > 0.0 {
        (score.abs() / mass) * (1.0 - (-mass).exp())
    } else {
        0.0
    };
    let t = target.file.threshold;
    let label = if score >= t {
        Label::Favor
    } else if score <= -t {
        Label::Against
    } else {
        Label::None
    };
    Stance {
        target: target.id().to_string(),
        label,
        score,
        confidence,
        cues,
        on_topic,
    }
}

#[cfg(test)]
mod tests;
