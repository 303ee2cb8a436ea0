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
use target::Frame;
pub use target::Target;

/// Scores one text toward one target.
pub fn score(target: &Target, text: &str, toks: &[Tok]) -> Stance {
    // One hash lookup per word for every index of the target, and for its model when it has one.
    let words = target.model.as_ref().map(|m| m.words(toks, &target.vocab));
    let own_ids;
    let ids: &[Option<u32>] = match &words {
        Some(w) => &w.ids,
        None => {
            own_ids = target.vocab.ids(toks);
            &own_ids
        }
    };
    let mut found: Vec<(usize, usize, usize)> = Vec::new(); // (start, end, cue index)
    for (s, tok) in toks.iter().enumerate() {
        for list in target.index.lists(ids[s], &tok.word) {
            for &ci in list {
                if let Some(e) = match_at(&target.cues[ci].pattern, toks, s) {
                    found.push((s, e, ci));
                }
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
        if starts_any(&target.scope_index, &target.scope, toks, ids, k) {
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
        if c.is_none() && t.is_one_of(&target.contrast) {
            *c = Some(k);
        }
    }
    // (start, end, clause) of each clause negator ("do not think").
    let mut clause_neg: Vec<(usize, usize, u32)> = Vec::new();
    for k in 0..toks.len() {
        find_start(
            &target.clause_negator_index,
            &target.clause_negators,
            toks,
            ids,
            k,
            |s, e| {
                clause_neg.push((s, e, toks[s].clause));
                false
            },
        );
    }
    // Negators that do not count as negators of the words after them: those of clause negators (which
    // count once, as the clause negator) and those of negation idioms ("not gonna lie"), which negate
    // nothing.
    let mut in_clause_negator = vec![false; toks.len()];
    // The ends of each clause's clause negators, sorted, to count those that end before a cue.
    let mut negator_ends: rustc_hash::FxHashMap<u32, Vec<usize>> = Default::default();
    for &(a, b, c) in &clause_neg {
        in_clause_negator[a..b].iter_mut().for_each(|x| *x = true);
        negator_ends.entry(c).or_default().push(b);
    }
    for k in 0..toks.len() {
        find_start(
            &target.negation_idiom_index,
            &target.negation_idioms,
            toks,
            ids,
            k,
            |a, b| {
                in_clause_negator[a..b].iter_mut().for_each(|x| *x = true);
                false
            },
        );
    }
    negator_ends.values_mut().for_each(|v| v.sort_unstable());
    // The token spans of each clause's dismissals ("... is theatre"), in text order, from one pass over
    // the tokens; one right after a negator ("no myth") does not dismiss.
    let mut dismissal_spans: rustc_hash::FxHashMap<u32, Vec<(usize, usize)>> = Default::default();
    for a in 0..toks.len() {
        if let Some(span) = find_start(
            &target.dismissal_index,
            &target.dismissals,
            toks,
            ids,
            a,
            |_, _| true,
        ) {
            let c = toks[a].clause;
            let negated = (a.saturating_sub(2)..a)
                .any(|k| toks[k].clause == c && toks[k].is_one_of(&target.negators));
            if !negated {
                dismissal_spans.entry(c).or_default().push(span);
            }
        }
    }

    let mut quoted: Option<Vec<bool>> = None;
    let mut hits = Vec::new();
    // The token span of each hit, for event composition.
    let mut spans: Vec<(usize, usize)> = Vec::new();
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
        let clause = toks[s].clause;
        // A frame inside quotation marks is someone else's intent or order, not the writer's.
        if cue.frame.is_some() && quoted.get_or_insert_with(|| in_quotes(text, toks))[s] {
            continue;
        }
        match cue.frame {
            // "I'd definitely buy one": a first-person subject at most intent_gap words before.
            Some(Frame::Intent) => {
                let lo = s.saturating_sub(target.file.intent_gap + 1);
                if !(lo..s)
                    .any(|k| toks[k].clause == clause && toks[k].is_one_of(&target.intent_subjects))
                {
                    continue;
                }
            }
            // "Block it.", "Please come over": nothing but openers before it in its sentence.
            // "Congress should stop this", "they need to come here": a word of obligation at most two
            // words before ("to" and a negator between are allowed by the two words).
            Some(Frame::Imperative) => {
                let first = range[sentence as usize].0;
                let opening = (first..s).all(|k| toks[k].is_one_of(&target.imperative_openers));
                let obliged = (s.saturating_sub(3)..s).any(|k| {
                    toks[k].clause == clause && toks[k].is_one_of(&target.obligation_words)
                });
                // "Block it? Why?" asks about the order rather than giving it.
                let (_, last) = range[sentence as usize];
                if !(opening || obliged) || ends_in_question(text, toks[last - 1].end) {
                    continue;
                }
            }
            None => {}
        }
        taken_until = e;
        spans.push((s, e));
        let near = negators_before(target, toks, s, &in_clause_negator);
        let by_clause = negator_ends
            .get(&clause)
            .map_or(0, |ends| ends.partition_point(|&end| end <= s));
        let negated = cue.negatable && (near + by_clause) % 2 == 1;
        // A dismissal in the clause, clear of the cue's own words, turns the argument around: a cue
        // inside one ("excuse" in "an excuse") is not dismissed by it.
        let dismissed = cue.negatable
            && dismissal_spans
                .get(&clause)
                .is_some_and(|spans| spans.iter().any(|&(a, b)| b <= s || a >= e));
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
        let is_reported = cue.frame.is_none() && reported(target, toks, ids, s);
        if is_reported {
            weight = 0.0;
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
            reported: is_reported,
            contrast,
            matched: text[toks[s].start..toks[e - 1].end].to_string(),
            sentence: sentence + 1,
        });
    }
    if let Some(ev) = &target.event {
        // (by a negator just before, by a clause negator such as "do not think")
        let negated_at = |k: usize| {
            let by_clause = negator_ends
                .get(&toks[k].clause)
                .map_or(0, |ends| ends.partition_point(|&end| end <= k));
            (
                negators_before(target, toks, k, &in_clause_negator) % 2 == 1,
                by_clause % 2 == 1,
            )
        };
        let (removed, events) = event_hits(
            target,
            ev,
            text,
            toks,
            &Sentences {
                range: &range,
                first_contrast: &first_contrast,
                scoped: &scoped,
                ids,
            },
            &negated_at,
            &spans,
            &mut quoted,
        );
        if !events.is_empty() {
            // Hits in text order, without the cues that gave way to an event.
            let mut all: Vec<Spanned> = spans
                .into_iter()
                .zip(hits)
                .zip(removed)
                .filter_map(|(hit, gone)| (!gone).then_some(hit))
                .chain(events)
                .collect();
            all.sort_by_key(|(span, _)| *span);
            hits = all.into_iter().map(|(_, hit)| hit).collect();
        }
    }
    let on_topic =
        (0..toks.len()).any(|k| starts_any(&target.topic_index, &target.topic, toks, ids, k));
    let rule = decide(target, hits, on_topic);
    match (&target.model, &words) {
        (Some(m), Some(w)) => m.decide_words(text, toks, w, rule),
        _ => rule,
    }
}

/// Whether the punctuation right after byte `end` (a sentence's last word) holds a question mark.
fn ends_in_question(text: &str, end: usize) -> bool {
    text[end..]
        .chars()
        .take_while(|c| !c.is_alphanumeric() && !c.is_whitespace())
        .any(|c| c == '?' || c == '？')
}

/// For each token, whether it lies between an opening and a closing double quotation mark (straight
/// quotes pair up in order); one pass over the text.
fn in_quotes(text: &str, toks: &[Tok]) -> Vec<bool> {
    let mut out = Vec::with_capacity(toks.len());
    let mut open = false;
    let mut chars = text.char_indices().peekable();
    for t in toks {
        while let Some(&(i, c)) = chars.peek() {
            if i >= t.start {
                break;
            }
            match c {
                '"' => open = !open,
                '“' => open = true,
                '”' => open = false,
                _ => {}
            }
            chars.next();
        }
        out.push(open);
    }
    out
}

/// Whether the cue at `s` starts within two words after a reporting phrase ("after the", "according
/// to") in its clause: it then reports a fact about others rather than giving the writer's opinion.
/// Looked up per cue, not per token, since few tokens are cues.
fn reported(target: &Target, toks: &[Tok], ids: &[Option<u32>], s: usize) -> bool {
    let clause = toks[s].clause;
    (s.saturating_sub(6)..s).any(|a| {
        toks[a].clause == clause
            && find_start(
                &target.reporting_index,
                &target.reporting,
                toks,
                ids,
                a,
                |_, e| e <= s && s <= e + 2,
            )
            .is_some()
    })
}

/// Negators that govern the word at `s`: within `negation_window` words before it, in its clause, with
/// no `negation_stops` word between ("Not for companies that spy" does not negate "spy"). A negator
/// inside a clause negator ("not" of "do not think") counts once, as the clause negator.
fn negators_before(target: &Target, toks: &[Tok], s: usize, in_clause_negator: &[bool]) -> usize {
    let clause = toks[s].clause;
    let mut near = 0;
    for k in (s.saturating_sub(target.file.negation_window)..s).rev() {
        let t = &toks[k];
        if t.clause != clause || t.is_one_of(&target.negation_stops) {
            break;
        }
        if t.is_one_of(&target.negators) && !in_clause_negator[k] {
            near += 1;
        }
    }
    near
}

/// A hit with its token span.
type Spanned = ((usize, usize), CueHit);

/// Per sentence of a text: its token range, its first contrast word, and whether it names a scope term.
#[derive(Clone, Copy)]
struct Sentences<'a> {
    range: &'a [(usize, usize)],
    first_contrast: &'a [Option<usize>],
    scoped: &'a [bool],
    /// The word id of each token in the target's vocabulary.
    ids: &'a [Option<u32>],
}

/// Event composition: in a sentence that names the target (`mentions`) and its event (`entry`), the
/// VADER valence of the sentence's other words, each flipped by a negator that governs it, is what the
/// writer says about the event: "Xiaomi coming here is the best news" is favor, "letting them in would
/// be a huge mistake" against. The evaluation replaces a cue that is the event's own words ("letting
/// them in"), whose direction is what the sentence then says about it. At most one event per sentence.
#[allow(clippy::too_many_arguments)]
fn event_hits(
    target: &Target,
    ev: &target::Event,
    text: &str,
    toks: &[Tok],
    sentences: &Sentences,
    negated_at: &dyn Fn(usize) -> (bool, bool),
    cue_spans: &[(usize, usize)],
    quoted: &mut Option<Vec<bool>>,
) -> (Vec<bool>, Vec<Spanned>) {
    let Sentences {
        range,
        first_contrast,
        scoped,
        ids,
    } = *sentences;
    let vader = crate::vader::Vader::embedded();
    // Which cues give way to an event, by index; the events with their spans.
    let mut removed = vec![false; cue_spans.len()];
    let mut events = Vec::new();
    for (si, &(a, b)) in range.iter().enumerate() {
        if a >= b || (ev.mentions_are_scope && !scoped[si]) {
            continue;
        }
        let Some((ea, eb)) = (a..b)
            .find_map(|k| find_start(&ev.entry_index, &ev.entry, toks, ids, k, |_, e| e <= b))
        else {
            continue;
        };
        // An event inside quotation marks is someone else's view of it.
        if quoted.get_or_insert_with(|| in_quotes(text, toks))[ea] {
            continue;
        }
        let mut skip = vec![false; b - a];
        skip[ea - a..eb - a].iter_mut().for_each(|x| *x = true);
        let mut named = false;
        for k in a..b {
            find_start(&ev.mention_index, &ev.mentions, toks, ids, k, |s, e| {
                if e <= b {
                    named = true;
                    skip[s - a..e - a].iter_mut().for_each(|x| *x = true);
                }
                false
            });
        }
        if !named {
            continue;
        }
        let valence_at = |k: usize| {
            let t = &toks[k];
            // A capitalised word inside a sentence is a name ("the United States", "Best Buy").
            let name = k > a && text[t.start..].starts_with(char::is_uppercase);
            if skip[k - a]
                || name
                || t.is_one_of(&target.negators)
                || t.is_one_of(&target.negation_stops)
                || t.is_one_of(&target.contrast)
            {
                return None;
            }
            vader.valence_of(&t.word)
        };
        // What is said about the event is said in its clause, on its side of a contrast word: in "not a
        // fan of Elon but a factory is a factory", "not a fan" is conceded before "but" and says nothing
        // about the factory.
        let clause = toks[ea].clause;
        let side = |k: usize| first_contrast[si].is_none_or(|c| k != c && (k < c) == (ea < c));
        let mut valence = 0.0;
        let mut flipped = false;
        let mut words: Vec<(f64, usize)> = Vec::new();
        for k in (a..b).filter(|&k| toks[k].clause == clause && side(k)) {
            let Some(mut v) = valence_at(k) else {
                continue;
            };
            // A word before one of the other sign intensifies it: "a huge mistake", "a big problem".
            if let Some(next) = (k + 1 < b && toks[k + 1].clause == toks[k].clause)
                .then(|| valence_at(k + 1))
                .flatten()
                && next.signum() != v.signum()
            {
                v = v.abs() * next.signum();
            }
            let (near, by_clause) = negated_at(k);
            flipped |= near != by_clause;
            let v = if near != by_clause { -v } else { v };
            valence += v;
            words.push((v, k));
        }
        if valence.abs() < ev.min_valence {
            continue;
        }
        // A negated event turns the evaluation around: "I hope they never come here", "glad Xiaomi is
        // not coming" are against.
        // Only a negator of the event itself: a clause negator ("I do not think letting them in is a
        // good idea") has already turned the evaluation around.
        let negated = negated_at(ea).0;
        let sign = if negated {
            -valence.signum()
        } else {
            valence.signum()
        };
        let contrast = first_contrast[si].filter(|&c| c != ea).map(|c| {
            if ea < c {
                target.file.before_contrast
            } else {
                target.file.after_contrast
            }
        });
        // Cues made of the event's words or of its evaluation ("letting them in", "mistake", "i hope
        // they") give way to the event, which counts them once and in the right direction. The cues'
        // spans are sorted and do not overlap, so those that overlap [x, y) sit just before the first
        // that starts at y.
        let mut give_way = |(x, y): (usize, usize)| {
            let mut k = cue_spans.partition_point(|&(s, _)| s < y);
            while k > 0 && cue_spans[k - 1].1 > x {
                removed[k - 1] = true;
                k -= 1;
            }
        };
        give_way((ea, eb));
        for &(_, k) in &words {
            give_way((k, k + 1));
        }
        // The words that carry the evaluation, strongest first, after the event's own words.
        words.retain(|&(v, _)| v.signum() == valence.signum());
        words.sort_by(|x, y| y.0.abs().total_cmp(&x.0.abs()).then(x.1.cmp(&y.1)));
        words.truncate(3);
        // The text from the event to its evaluation, as written.
        let first = words.iter().map(|w| w.1).min().unwrap_or(ea).min(ea);
        let last = words.iter().map(|w| w.1 + 1).max().unwrap_or(eb).max(eb);
        events.push((
            (ea, eb),
            CueHit {
                phrase: "event".into(),
                pole: if sign > 0.0 {
                    Label::Favor
                } else {
                    Label::Against
                },
                weight: sign * ev.weight * contrast.unwrap_or(1.0),
                negated: negated || flipped,
                dismissed: false,
                reported: false,
                contrast,
                matched: text[toks[first].start..toks[last - 1].end].to_string(),
                sentence: si as u32 + 1,
            },
        ));
    }
    (removed, events)
}

/// The first match `(k, end)` of `index`'s patterns at token `k` for which `f(k, end)` is true, trying
/// them in [`FirstWordIndex::lists`] order; `f` sees every match until then. Loops over the lists rather
/// than returning an iterator: a chain of filtered lists per index and word, built and moved at every word,
/// was a sixth of the cues' time (100 k generated comments, one thread).
#[inline]
fn find_start(
    index: &FirstWordIndex,
    patterns: &[Pattern],
    toks: &[Tok],
    ids: &[Option<u32>],
    k: usize,
    mut f: impl FnMut(usize, usize) -> bool,
) -> Option<(usize, usize)> {
    for list in index.lists(ids[k], &toks[k].word) {
        for &i in list {
            if let Some(e) = match_at(&patterns[i], toks, k)
                && f(k, e)
            {
                return Some((k, e));
            }
        }
    }
    None
}

/// Whether some pattern of `index` matches at token `k`.
#[inline]
fn starts_any(
    index: &FirstWordIndex,
    patterns: &[Pattern],
    toks: &[Tok],
    ids: &[Option<u32>],
    k: usize,
) -> bool {
    find_start(index, patterns, toks, ids, k, |_, _| true).is_some()
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
