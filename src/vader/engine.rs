//! The VADER scoring algorithm, a line-by-line port of vaderSentiment 3.3.2 `polarity_scores()`.
//!
//! Takes one text and the lexicons, gives the four rounded scores and, on request, the valence of every
//! token with the rules that shaped it. Reuses one scratch buffer per thread so that scoring allocates
//! nothing once warm.

use super::pystr::{at_most_two_chars, is_space, is_upper, push_lower, round};
use super::rules::{
    C_INCR, N_SCALAR, booster_bigram, is_negation, special_bigram, special_trigram,
};
use super::{Lexicons, Polarity, Rule, TokenScore};
use std::cell::RefCell;

#[derive(Clone, Copy)]
struct Tok {
    raw: (u32, u32),
    low: (u32, u32),
    lex: Option<f64>,
    booster: Option<f64>,
    negation: bool,
    upper: bool,
}

/// Per-thread buffers, kept between calls so that scoring stays allocation-free once warm.
#[derive(Default)]
pub(super) struct Scratch {
    text: String,
    lower: String,
    toks: Vec<Tok>,
    sentiments: Vec<f64>,
    rules: Vec<u16>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Runs `f` with this thread's scratch buffers.
pub(super) fn with_scratch<R>(f: impl FnOnce(&mut Scratch) -> R) -> R {
    SCRATCH.with(|s| f(&mut s.borrow_mut()))
}

/// What one scoring pass leaves behind besides the rounded scores.
pub(super) struct Pass {
    pub polarity: Polarity,
    pub sum: f64,
    pub punct: f64,
}

struct View<'a> {
    text: &'a str,
    lower: &'a str,
    toks: &'a [Tok],
}

impl View<'_> {
    fn low(&self, i: usize) -> &str {
        let (a, b) = self.toks[i].low;
        &self.lower[a as usize..b as usize]
    }
    fn raw(&self, i: usize) -> &str {
        let (a, b) = self.toks[i].raw;
        &self.text[a as usize..b as usize]
    }
}

/// Scores `input` exactly as the reference does. With `explain`, appends each token's score to it.
pub(super) fn score(
    lex: &Lexicons,
    input: &str,
    s: &mut Scratch,
    explain: Option<&mut Vec<TokenScore>>,
) -> Pass {
    let Scratch {
        text,
        lower,
        toks,
        sentiments,
        rules,
    } = s;
    let replaced = replace_emoji(lex, input, text);
    let body: &str = if replaced { text.as_str() } else { input };
    let body = body.trim_matches(is_space);
    tokenize(lex, body, lower, toks);
    let v = View {
        text: body,
        lower,
        toks,
    };
    let n = toks.len();
    let cap_diff = {
        let upper = toks.iter().filter(|t| t.upper).count();
        let diff = n - upper;
        0 < diff && diff < n
    };

    sentiments.clear();
    rules.clear();
    for i in 0..n {
        let li = v.low(i);
        if v.toks[i].booster.is_some() || (i + 1 < n && li == "kind" && v.low(i + 1) == "of") {
            sentiments.push(0.0);
            rules.push(0);
            continue;
        }
        let (val, r) = valence(&v, i, cap_diff);
        sentiments.push(val);
        rules.push(r);
    }
    but_check(&v, sentiments, rules);

    let punct = punctuation_emphasis(body);
    let polarity = score_valence(sentiments, punct);
    // `float(sum(sentiments))`: CPython 3.11 adds left to right in one double.
    let sum = sentiments.iter().fold(0.0, |a, x| a + x);
    if let Some(out) = explain {
        for i in 0..n {
            if sentiments[i] != 0.0 || v.toks[i].lex.is_some_and(|x| x != 0.0) {
                out.push(TokenScore {
                    token: v.raw(i).to_string(),
                    index: i,
                    lexicon: v.toks[i].lex.unwrap_or(0.0),
                    valence: sentiments[i],
                    rules: Rule::from_bits(rules[i]),
                });
            }
        }
    }
    Pass {
        polarity,
        sum,
        punct,
    }
}

/// Replaces each emoji by its description, as the reference's character loop does.
/// Returns false, leaving `out` untouched, when the text holds none.
fn replace_emoji(lex: &Lexicons, input: &str, out: &mut String) -> bool {
    // No emoji key is ASCII, so ASCII text, the common case, needs no pass.
    if input.is_ascii() || !input.chars().any(|c| lex.emoji.contains_key(&c)) {
        return false;
    }
    out.clear();
    let mut prev_space = true;
    for ch in input.chars() {
        if let Some(desc) = lex.emoji.get(&ch) {
            if !prev_space {
                out.push(' ');
            }
            out.push_str(desc);
            prev_space = false;
        } else {
            out.push(ch);
            prev_space = ch == ' ';
        }
    }
    true
}

/// `text.split()`, then `_strip_punc_if_word` on each token, then the lowercase form and lexicon value.
fn tokenize(lex: &Lexicons, body: &str, lower: &mut String, toks: &mut Vec<Tok>) {
    lower.clear();
    toks.clear();
    let base = body.as_ptr() as usize;
    for raw in body.split(is_space).filter(|w| !w.is_empty()) {
        let stripped = raw.trim_matches(|c: char| c.is_ascii_punctuation());
        let word = if at_most_two_chars(stripped) {
            raw
        } else {
            stripped
        };
        let start = word.as_ptr() as usize - base;
        let l0 = lower.len();
        push_lower(word, lower);
        let low = &lower[l0..];
        let entry = lex.words.get(low).copied().unwrap_or_default();
        toks.push(Tok {
            raw: (start as u32, (start + word.len()) as u32),
            low: (l0 as u32, lower.len() as u32),
            lex: entry.valence,
            booster: entry.booster,
            negation: is_negation(low, entry.negation),
            upper: is_upper(word),
        });
    }
}

/// `sentiment_valence` for token `i`: its valence and the rules that fired.
fn valence(v: &View, i: usize, cap_diff: bool) -> (f64, u16) {
    let n = v.toks.len();
    let Some(base) = v.toks[i].lex else {
        return (0.0, 0);
    };
    let mut r = 0u16;
    let mut val = base;
    let li = v.low(i);
    if li == "no" && i != n - 1 && v.toks[i + 1].lex.is_some() {
        val = 0.0;
        r |= Rule::NO_NEGATOR;
    }
    let low = |k: usize| v.low(k);
    if (i > 0 && low(i - 1) == "no")
        || (i > 1 && low(i - 2) == "no")
        || (i > 2 && low(i - 3) == "no" && matches!(low(i - 1), "or" | "nor"))
    {
        val = base * N_SCALAR;
        r |= Rule::NEGATED;
    }
    if v.toks[i].upper && cap_diff {
        val = if val > 0.0 {
            val + C_INCR
        } else {
            val - C_INCR
        };
        r |= Rule::CAPS;
    }
    for start_i in 0..3 {
        if i > start_i && v.toks[i - (start_i + 1)].lex.is_none() {
            let mut s = scalar_inc_dec(v, i - (start_i + 1), val, cap_diff);
            if start_i == 1 && s != 0.0 {
                s *= 0.95;
            }
            if start_i == 2 && s != 0.0 {
                s *= 0.9;
            }
            if s != 0.0 {
                r |= Rule::BOOSTED;
            }
            val += s;
            val = negation_check(v, val, start_i, i, &mut r);
            if start_i == 2 {
                val = special_idioms(v, val, i, &mut r);
            }
        }
    }
    (least_check(v, val, i, &mut r), r)
}

fn scalar_inc_dec(v: &View, w: usize, val: f64, cap_diff: bool) -> f64 {
    let Some(b) = v.toks[w].booster else {
        return 0.0;
    };
    let mut s = if val < 0.0 { -b } else { b };
    if v.toks[w].upper && cap_diff {
        s = if val > 0.0 { s + C_INCR } else { s - C_INCR };
    }
    s
}

fn negation_check(v: &View, mut val: f64, start_i: usize, i: usize, r: &mut u16) -> f64 {
    let low = |k: usize| v.low(k);
    let so_this = |w: &str| w == "so" || w == "this";
    let mut negate = |val: f64| {
        *r |= Rule::NEGATED;
        val * N_SCALAR
    };
    match start_i {
        0 => {
            if v.toks[i - 1].negation {
                val = negate(val);
            }
        }
        1 => {
            if low(i - 2) == "never" && so_this(low(i - 1)) {
                *r |= Rule::NEVER_SO;
                val *= 1.25;
            } else if low(i - 2) == "without" && low(i - 1) == "doubt" {
            } else if v.toks[i - 2].negation {
                val = negate(val);
            }
        }
        _ => {
            // The reference reads `A and B or C` as `(A and B) or C`: "so"/"this" just before the word
            // boosts it by 1.25 even without "never". Kept for parity.
            if (low(i - 3) == "never" && so_this(low(i - 2))) || so_this(low(i - 1)) {
                *r |= Rule::NEVER_SO;
                val *= 1.25;
            } else if low(i - 3) == "without" && (low(i - 2) == "doubt" || low(i - 1) == "doubt") {
            } else if v.toks[i - 3].negation {
                val = negate(val);
            }
        }
    }
    val
}

fn special_idioms(v: &View, mut val: f64, i: usize, r: &mut u16) -> f64 {
    let n = v.toks.len();
    let (w3, w2, w1, w0) = (v.low(i - 3), v.low(i - 2), v.low(i - 1), v.low(i));
    let hit = special_bigram(w1, w0)
        .or_else(|| special_trigram(w2, w1, w0))
        .or_else(|| special_bigram(w2, w1))
        .or_else(|| special_trigram(w3, w2, w1))
        .or_else(|| special_bigram(w3, w2));
    if let Some(x) = hit {
        val = x;
        *r |= Rule::IDIOM;
    }
    if n - 1 > i
        && let Some(x) = special_bigram(w0, v.low(i + 1))
    {
        val = x;
        *r |= Rule::IDIOM;
    }
    if n - 1 > i + 1
        && let Some(x) = special_trigram(w0, v.low(i + 1), v.low(i + 2))
    {
        val = x;
        *r |= Rule::IDIOM;
    }
    for (a, b) in [(w3, w2), (w2, w1)] {
        if let Some(x) = booster_bigram(a, b) {
            val += x;
            *r |= Rule::BOOSTED;
        }
    }
    val
}

fn least_check(v: &View, mut val: f64, i: usize, r: &mut u16) -> f64 {
    let prev_is_least = |k: usize| v.toks[k].lex.is_none() && v.low(k) == "least";
    if i > 1 && prev_is_least(i - 1) {
        if v.low(i - 2) != "at" && v.low(i - 2) != "very" {
            val *= N_SCALAR;
            *r |= Rule::NEGATED;
        }
    } else if i > 0 && prev_is_least(i - 1) {
        val *= N_SCALAR;
        *r |= Rule::NEGATED;
    }
    val
}

/// `_but_check`, including its use of `list.index`: each value is scaled at the *first* position holding
/// an equal value, which differs from the obvious loop when a sentence repeats a valence.
fn but_check(v: &View, sentiments: &mut [f64], rules: &mut [u16]) {
    let Some(bi) = (0..v.toks.len()).find(|&k| v.low(k) == "but") else {
        return;
    };
    for k in 0..sentiments.len() {
        let value = sentiments[k];
        let si = sentiments.iter().position(|&x| x == value).unwrap_or(k);
        if si < bi {
            sentiments[si] = value * 0.5;
            rules[si] |= Rule::BEFORE_BUT;
        } else if si > bi {
            sentiments[si] = value * 1.5;
            rules[si] |= Rule::AFTER_BUT;
        }
    }
}

fn punctuation_emphasis(text: &str) -> f64 {
    let ep = text.bytes().filter(|&b| b == b'!').count().min(4);
    let qm = text.bytes().filter(|&b| b == b'?').count();
    let qm_amp = match qm {
        0 | 1 => 0.0,
        2 | 3 => qm as f64 * 0.18,
        _ => 0.96,
    };
    ep as f64 * 0.292 + qm_amp
}

fn score_valence(sentiments: &[f64], punct: f64) -> Polarity {
    if sentiments.is_empty() {
        return Polarity {
            neg: 0.0,
            neu: 0.0,
            pos: 0.0,
            compound: 0.0,
        };
    }
    let mut sum_s = sentiments.iter().fold(0.0, |a, x| a + x);
    if sum_s > 0.0 {
        sum_s += punct;
    } else if sum_s < 0.0 {
        sum_s -= punct;
    }
    let compound = normalize(sum_s);
    let (mut pos_sum, mut neg_sum, mut neu_count) = (0.0f64, 0.0f64, 0u32);
    for &s in sentiments {
        if s > 0.0 {
            pos_sum += s + 1.0;
        }
        if s < 0.0 {
            neg_sum += s - 1.0;
        }
        if s == 0.0 {
            neu_count += 1;
        }
    }
    if pos_sum > neg_sum.abs() {
        pos_sum += punct;
    } else if pos_sum < neg_sum.abs() {
        neg_sum -= punct;
    }
    let total = pos_sum + neg_sum.abs() + f64::from(neu_count);
    Polarity {
        neg: round((neg_sum / total).abs(), 3),
        neu: round((f64::from(neu_count) / total).abs(), 3),
        pos: round((pos_sum / total).abs(), 3),
        compound: round(compound, 4),
    }
}

fn normalize(score: f64) -> f64 {
    let alpha = 15.0;
    (score / (score * score + alpha).sqrt()).clamp(-1.0, 1.0)
}
