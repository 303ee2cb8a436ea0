//! The VADER scoring algorithm, a line-by-line port of vaderSentiment 3.3.2 `polarity_scores()`.
//!
//! Takes one text and the lexicons, gives the four rounded scores and, on request, the valence of every
//! token with the rules that shaped it. Reuses one scratch buffer per thread so that scoring allocates
//! nothing once warm.

use super::rules::word::{
    AT, BUT, DOUBT, KIND, LEAST, NEVER, NO, NOR, OF, OR, SO, THIS, VERY, WITHOUT,
};
use super::rules::{
    C_INCR, N_SCALAR, booster_bigram, is_negation, special_bigram, special_trigram,
};
use super::{Lexicons, Polarity, Rule};
use crate::pystr::{at_most_two_chars, is_space, is_upper, push_lower, round};
use std::cell::RefCell;

/// One token, 24 bytes: the scorer walks these arrays constantly, so they are kept small. The rules need
/// no lowercase text: the words they test by name have codes.
#[derive(Clone, Copy)]
struct Tok {
    raw: (u32, u32),
    /// Lexicon valence; NaN when the word has none.
    valence: f64,
    /// +1 booster, -1 dampener, 0 neither.
    boost: i8,
    /// `rules::word` code.
    code: u8,
    /// NEGATION | UPPER | IDIOM.
    flags: u8,
}

const NEGATION: u8 = 1;
const IS_UPPER: u8 = 2;
const IDIOM: u8 = 4;

impl Tok {
    #[inline]
    fn lex(&self) -> Option<f64> {
        (!self.valence.is_nan()).then_some(self.valence)
    }
    #[inline]
    fn booster(&self) -> Option<f64> {
        match self.boost {
            1 => Some(super::rules::B_INCR),
            -1 => Some(super::rules::B_DECR),
            _ => None,
        }
    }
    #[inline]
    fn upper(&self) -> bool {
        self.flags & IS_UPPER != 0
    }
    #[inline]
    fn negation(&self) -> bool {
        self.flags & NEGATION != 0
    }
    #[inline]
    fn idiom(&self) -> bool {
        self.flags & IDIOM != 0
    }
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
    toks: &'a [Tok],
}

impl View<'_> {
    fn raw(&self, i: usize) -> &str {
        let (a, b) = self.toks[i].raw;
        &self.text[a as usize..b as usize]
    }
}

/// What [`score`] tells an explanation of each token that carries or was given a valence, in text
/// order: the token as written, its (index, lexicon valence), its valence after the rules, and the rules.
pub(super) type Explain<'a> = &'a mut dyn FnMut(&str, (usize, f64), f64, Rule);

/// Scores `input` exactly as the reference does. With `explain`, tells it each token's score.
pub(super) fn score(
    lex: &Lexicons,
    input: &str,
    s: &mut Scratch,
    explain: Option<Explain>,
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
    let marks = tokenize(lex, body, lower, toks);

    let v = View { text: body, toks };
    let n = toks.len();
    let cap_diff = {
        let upper = toks.iter().filter(|t| t.upper()).count();
        let diff = n - upper;
        0 < diff && diff < n
    };

    // Rule flags and the raw sum serve only explanations; plain scoring skips them.
    let explaining = explain.is_some();
    sentiments.clear();
    rules.clear();
    for i in 0..n {
        // A word without valence scores 0 whatever the rules say: most words, decided first.
        if v.toks[i].valence.is_nan()
            || v.toks[i].booster().is_some()
            || (i + 1 < n && v.toks[i].code == KIND && v.toks[i + 1].code == OF)
        {
            sentiments.push(0.0);
            if explaining {
                rules.push(0);
            }
            continue;
        }
        let (val, r) = valence(&v, i, cap_diff);
        sentiments.push(val);
        if explaining {
            rules.push(r);
        }
    }
    but_check(&v, sentiments, explaining.then_some(rules.as_mut_slice()));

    let punct = punctuation_emphasis(marks.unwrap_or_else(|| count_marks(body)));
    let polarity = score_valence(sentiments, punct);
    // `float(sum(sentiments))`: CPython 3.11 adds left to right in one double.
    let sum = if explaining {
        sentiments.iter().fold(0.0, |a, x| a + x)
    } else {
        0.0
    };
    if let Some(out) = explain {
        for i in 0..n {
            if sentiments[i] != 0.0 || v.toks[i].lex().is_some_and(|x| x != 0.0) {
                out(
                    v.raw(i),
                    (i, v.toks[i].lex().unwrap_or(0.0)),
                    sentiments[i],
                    Rule::from_bits(rules[i]),
                );
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
/// Tokenises `body`; on ASCII text also counts `!` and `?` on the way, as `(exclamations, questions)`.
fn tokenize(
    lex: &Lexicons,
    body: &str,
    lower: &mut String,
    toks: &mut Vec<Tok>,
) -> Option<(usize, usize)> {
    lower.clear();
    toks.clear();
    if body.is_ascii() {
        return Some(tokenize_ascii(lex, body, lower, toks));
    }
    let base = body.as_ptr() as usize;
    for raw in body.split(is_space).filter(|w| !w.is_empty()) {
        let stripped = raw.trim_matches(|c: char| c.is_ascii_punctuation());
        let word = if at_most_two_chars(stripped) {
            raw
        } else {
            stripped
        };
        let start = word.as_ptr() as usize - base;
        lower.clear();
        push_lower(word, lower);
        let entry = lex.words.get(lower).copied().unwrap_or_default();
        let negation = entry.negation || is_negation(lower, false);
        push_tok(
            lex,
            (start, start + word.len()),
            entry,
            is_upper(word),
            negation,
            toks,
        );
    }
    None
}

const SPACE: u8 = 1;
const PUNCT: u8 = 2;
const UPPER: u8 = 4;
const LOWER: u8 = 8;
/// The apostrophe, also in PUNCT: only a word with one can contain "n't".
const APOS: u8 = 16;

/// Byte classes for ASCII: Python's whitespace (\t \n \v \f \r, \x1c-\x1f, space), `string.punctuation`,
/// and the cased letters.
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 128 {
        let b = c as u8;
        t[c] = if matches!(b, b'\t'..=b'\r' | 0x1c..=0x1f | b' ') {
            SPACE
        } else if b == b'\'' {
            PUNCT | APOS
        } else if b.is_ascii_punctuation() {
            PUNCT
        } else if b.is_ascii_uppercase() {
            UPPER
        } else if b.is_ascii_lowercase() {
            LOWER
        } else {
            0
        };
        c += 1;
    }
    t
};

/// The same on ASCII text, byte by byte: most text is ASCII, and this is the hot loop.
fn tokenize_ascii(
    lex: &Lexicons,
    body: &str,
    lower: &mut String,
    toks: &mut Vec<Tok>,
) -> (usize, usize) {
    let b = body.as_bytes();
    let (mut ep, mut qm) = (0usize, 0usize);
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && CLASS[b[i] as usize] & SPACE != 0 {
            i += 1;
        }
        let start = i;
        let mut seen_all = 0u8;
        while i < b.len() && CLASS[b[i] as usize] & SPACE == 0 {
            seen_all |= CLASS[b[i] as usize];
            ep += usize::from(b[i] == b'!');
            qm += usize::from(b[i] == b'?');
            i += 1;
        }
        if start == i {
            break;
        }
        let (mut s, mut e) = (start, i);
        if seen_all & PUNCT != 0 {
            while s < e && CLASS[b[s] as usize] & PUNCT != 0 {
                s += 1;
            }
            while e > s && CLASS[b[e - 1] as usize] & PUNCT != 0 {
                e -= 1;
            }
        }
        let (s, e) = if e - s <= 2 { (start, i) } else { (s, e) };
        let word = &body[s..e];
        let seen = if (s, e) == (start, i) {
            seen_all
        } else {
            word.as_bytes()
                .iter()
                .fold(0u8, |acc, &c| acc | CLASS[c as usize])
        };
        let upper = seen & UPPER != 0 && seen & LOWER == 0;
        let entry = if seen & UPPER == 0 {
            lex.words.get(word)
        } else {
            lex.words.get_ascii_lowered(word, lower)
        }
        .copied()
        .unwrap_or_default();
        let negation = entry.negation || (seen & APOS != 0 && has_nt(word.as_bytes()));
        push_tok(lex, (s, e), entry, upper, negation, toks);
    }
    (ep, qm)
}

/// Whether an ASCII word contains "n't" in any case, as `"n't" in word.lower()` finds it.
fn has_nt(w: &[u8]) -> bool {
    w.windows(3)
        .any(|x| x[0] | 0x20 == b'n' && x[1] == b'\'' && x[2] | 0x20 == b't')
}

/// Appends a token with its lexicon entry.
fn push_tok(
    lex: &Lexicons,
    raw: (usize, usize),
    entry: super::Entry,
    upper: bool,
    negation: bool,
    toks: &mut Vec<Tok>,
) {
    let mut flags = 0;
    flags |= if negation { NEGATION } else { 0 };
    flags |= if upper { IS_UPPER } else { 0 };
    flags |= if entry.idiom { IDIOM } else { 0 };
    toks.push(Tok {
        raw: (raw.0 as u32, raw.1 as u32),
        valence: lex.words.valence(&entry).unwrap_or(f64::NAN),
        boost: entry.booster,
        code: entry.code,
        flags,
    });
}

/// `sentiment_valence` for token `i`: its valence and the rules that fired.
fn valence(v: &View, i: usize, cap_diff: bool) -> (f64, u16) {
    let n = v.toks.len();
    let Some(base) = v.toks[i].lex() else {
        return (0.0, 0);
    };
    let mut r = 0u16;
    let mut val = base;
    let code = |k: usize| v.toks[k].code;
    if code(i) == NO && i != n - 1 && v.toks[i + 1].lex().is_some() {
        val = 0.0;
        r |= Rule::NO_NEGATOR;
    }
    if (i > 0 && code(i - 1) == NO)
        || (i > 1 && code(i - 2) == NO)
        || (i > 2 && code(i - 3) == NO && matches!(code(i - 1), OR | NOR))
    {
        val = base * N_SCALAR;
        r |= Rule::NEGATED;
    }
    if v.toks[i].upper() && cap_diff {
        val = if val > 0.0 {
            val + C_INCR
        } else {
            val - C_INCR
        };
        r |= Rule::CAPS;
    }
    for start_i in 0..3 {
        if i > start_i && v.toks[i - (start_i + 1)].lex().is_none() {
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
    let Some(b) = v.toks[w].booster() else {
        return 0.0;
    };
    let mut s = if val < 0.0 { -b } else { b };
    if v.toks[w].upper() && cap_diff {
        s = if val > 0.0 { s + C_INCR } else { s - C_INCR };
    }
    s
}

fn negation_check(v: &View, mut val: f64, start_i: usize, i: usize, r: &mut u16) -> f64 {
    let code = |k: usize| v.toks[k].code;
    let so_this = |k: usize| matches!(v.toks[k].code, SO | THIS);
    let mut negate = |val: f64| {
        *r |= Rule::NEGATED;
        val * N_SCALAR
    };
    match start_i {
        0 => {
            if v.toks[i - 1].negation() {
                val = negate(val);
            }
        }
        1 => {
            if code(i - 2) == NEVER && so_this(i - 1) {
                *r |= Rule::NEVER_SO;
                val *= 1.25;
            } else if code(i - 2) == WITHOUT && code(i - 1) == DOUBT {
            } else if v.toks[i - 2].negation() {
                val = negate(val);
            }
        }
        _ => {
            // The reference reads `A and B or C` as `(A and B) or C`: "so"/"this" just before the word
            // boosts it by 1.25 even without "never". Kept for parity.
            if (code(i - 3) == NEVER && so_this(i - 2)) || so_this(i - 1) {
                *r |= Rule::NEVER_SO;
                val *= 1.25;
            } else if code(i - 3) == WITHOUT && (code(i - 2) == DOUBT || code(i - 1) == DOUBT) {
            } else if v.toks[i - 3].negation() {
                val = negate(val);
            }
        }
    }
    val
}

fn special_idioms(v: &View, mut val: f64, i: usize, r: &mut u16) -> f64 {
    let n = v.toks.len();
    // Every idiom and two-word booster holds an idiom word; with none near, nothing can match.
    let last = (i + 2).min(n - 1);
    if !v.toks[i - 3..=last].iter().any(Tok::idiom) {
        return val;
    }
    // The idiom words have codes, so the phrases compare integers, not strings.
    let code = |k: usize| v.toks[k].code;
    let (w3, w2, w1, w0) = (code(i - 3), code(i - 2), code(i - 1), code(i));
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
        && let Some(x) = special_bigram(w0, code(i + 1))
    {
        val = x;
        *r |= Rule::IDIOM;
    }
    if n - 1 > i + 1
        && let Some(x) = special_trigram(w0, code(i + 1), code(i + 2))
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
    let prev_is_least = |k: usize| v.toks[k].lex().is_none() && v.toks[k].code == LEAST;
    if i > 1 && prev_is_least(i - 1) {
        if v.toks[i - 2].code != AT && v.toks[i - 2].code != VERY {
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
fn but_check(v: &View, sentiments: &mut [f64], rules: Option<&mut [u16]>) {
    let Some(bi) = v.toks.iter().position(|t| t.code == BUT) else {
        return;
    };
    let indexed = sentiments.len() > INDEX_FROM;
    rescale_at_first(sentiments, bi, rules, indexed);
}

/// The loop of `_but_check`: each value in turn is scaled (by 0.5 before the "but" at `bi`, 1.5 after
/// it) at the first position that holds an equal value, as Python's `list.index` finds it. `indexed`
/// finds those positions through a [`FirstIndex`] instead of a scan; both give the same result (tested).
fn rescale_at_first(
    sentiments: &mut [f64],
    bi: usize,
    mut rules: Option<&mut [u16]>,
    indexed: bool,
) {
    // Rescaling never turns a zero into a non-zero or back, so the first zero stays where it is: zeros,
    // most tokens, find their `index` without a scan.
    let first_zero = sentiments.iter().position(|&x| x == 0.0);
    // `list.index` is a scan; on a long text (a 10 MB comment is one sentence to VADER when it has no
    // sentence breaks) scanning for every valence is quadratic, so past a few hundred tokens the first
    // position of each value is kept in an index instead.
    let mut index = indexed.then(|| FirstIndex::new(sentiments));
    for k in 0..sentiments.len() {
        let value = sentiments[k];
        let si = if value == 0.0 {
            first_zero.unwrap_or(k)
        } else if let Some(ix) = &index {
            ix.first(value).unwrap_or(k)
        } else {
            sentiments.iter().position(|&x| x == value).unwrap_or(k)
        };
        let (scaled, flag) = if si < bi {
            (value * 0.5, Rule::BEFORE_BUT)
        } else if si > bi {
            (value * 1.5, Rule::AFTER_BUT)
        } else {
            continue;
        };
        if let Some(ix) = index.as_mut() {
            ix.moved(si, sentiments[si], scaled);
        }
        sentiments[si] = scaled;
        if let Some(r) = rules.as_deref_mut() {
            r[si] |= flag;
        }
    }
}

/// Sentences longer than this many tokens find `list.index` positions through a [`FirstIndex`].
const INDEX_FROM: usize = 256;

/// The positions of each non-zero value in a list of valences, so that the first position of a value
/// is found in logarithmic time as values change.
struct FirstIndex {
    at: rustc_hash::FxHashMap<u64, std::collections::BTreeSet<usize>>,
}

impl FirstIndex {
    fn new(values: &[f64]) -> FirstIndex {
        let mut at: rustc_hash::FxHashMap<u64, std::collections::BTreeSet<usize>> =
            rustc_hash::FxHashMap::default();
        for (i, &x) in values.iter().enumerate() {
            if x != 0.0 {
                at.entry(x.to_bits()).or_default().insert(i);
            }
        }
        FirstIndex { at }
    }

    /// The first position holding `value` (non-zero; no NaN reaches here, so bit equality is `==`).
    fn first(&self, value: f64) -> Option<usize> {
        self.at
            .get(&value.to_bits())
            .and_then(|s| s.first().copied())
    }

    /// Position `i` changes from `from` to `to` (both non-zero).
    fn moved(&mut self, i: usize, from: f64, to: f64) {
        if let Some(s) = self.at.get_mut(&from.to_bits()) {
            s.remove(&i);
        }
        self.at.entry(to.to_bits()).or_default().insert(i);
    }
}

fn count_marks(text: &str) -> (usize, usize) {
    let (mut ep, mut qm) = (0usize, 0usize);
    for &c in text.as_bytes() {
        ep += usize::from(c == b'!');
        qm += usize::from(c == b'?');
    }
    (ep, qm)
}

fn punctuation_emphasis((ep, qm): (usize, usize)) -> f64 {
    let ep = ep.min(4);
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
    // Without branches: adding 0.0 leaves either sum unchanged (neither is ever -0.0).
    for &s in sentiments {
        pos_sum += if s > 0.0 { s + 1.0 } else { 0.0 };
        neg_sum += if s < 0.0 { s - 1.0 } else { 0.0 };
        neu_count += u32::from(s == 0.0);
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

#[cfg(test)]
mod index_tests {
    use super::rescale_at_first;
    use proptest::prelude::*;

    /// The reference: Python's `for s in sentiments: si = sentiments.index(s); sentiments[si] *= f`.
    fn scan(mut v: Vec<f64>, bi: usize) -> Vec<f64> {
        for k in 0..v.len() {
            let value = v[k];
            let si = v.iter().position(|&x| x == value).unwrap_or(k);
            if si < bi {
                v[si] = value * 0.5;
            } else if si > bi {
                v[si] = value * 1.5;
            }
        }
        v
    }

    fn engine(mut v: Vec<f64>, bi: usize, indexed: bool) -> Vec<f64> {
        rescale_at_first(&mut v, bi, None, indexed);
        v
    }

    proptest! {
        /// Valences drawn from a few values (so that they repeat and collide after rescaling).
        #[test]
        fn the_index_finds_what_list_index_finds(
            v in proptest::collection::vec(
                prop_oneof![Just(0.0), Just(1.5), Just(0.75), Just(-2.0), Just(3.0), Just(-1.0), Just(2.25)],
                0..120,
            ),
            bi in 0usize..120,
        ) {
            let bits = |v: Vec<f64>| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            let a = bits(scan(v.clone(), bi));
            prop_assert_eq!(&a, &bits(engine(v.clone(), bi, true)));
            prop_assert_eq!(&a, &bits(engine(v, bi, false)));
        }
    }
}
