//! A learned linear stance model: multinomial logistic regression over word n-grams, character n-grams
//! and the target's cue evidence, read from and written to a plain-text file people can read.
//!
//! Takes the word tokens of a unit and the stance its target's cues gave (the lexicon, with negation,
//! dismissals and contrast applied); gives the stance the model decides, with the features that drove the
//! decision in place of cue hits. `learn --model` trains one ([`crate::train::train`]); `run`,
//! `score` and `eval` apply it with `--model FILE`.
//!
//! Features, all binary except the lexicon's:
//! - `w:<word>` and `w:<word> <word>`: the tokens of scoring (lowercase, contractions expanded) and
//!   pairs of neighbours in one sentence;
//! - `c:<chars>`: runs of `chars` (by default 2 to 5) characters of a word padded with a space each
//!   side (" spy", "ing "), which catch spellings, inflections and hashtags that word features miss;
//! - `lex:favor`, `lex:against`: ln(1 + mass) of the target's favor and against cue weights after
//!   negation and dismissal, when the model was trained with a target's lexicon.
//!
//! The decision: p = softmax(W·x + b) over favor, against and none; the larger pole wins when its
//! probability reaches `threshold`, else none. The score is p(favor) − p(against) and the confidence the
//! probability of the label. The features listed for a decision are those that pushed the label's
//! log-odds over the runner-up class most, with that push as their weight: a word's features (its `w:`
//! and `c:`) together, at the word's first occurrence.

use crate::error::{Error, Result, read_err};
use crate::model::{CueHit, Label, Stance};
use crate::text::phrase::Vocab;
use crate::text::tokens::Tok;
use rustc_hash::FxHashMap;
use std::fmt::Write as _;
use std::path::Path;

/// The first line of a model file; a different format is refused.
pub const FORMAT: &str = "stancemeter-linear-1";
/// Classes in weight-column order.
pub const CLASSES: [Label; 3] = [Label::Favor, Label::Against, Label::None];
/// How many features explain one decision.
const DRIVERS: usize = 6;
/// The bias row's name in the file.
const BIAS: &str = "(bias)";
/// The settings a model file may give.
const SETTINGS: [&str; 9] = [
    "target",
    "threshold",
    "lexicon",
    "features",
    "chars",
    "cues_sha256",
    "c",
    "min_df",
    "texts",
];
/// Lengths of the character n-grams of a model unless `learn --chars` says otherwise, and of model files
/// written before the `chars` setting.
pub const DEFAULT_CHARS: [usize; 2] = [2, 5];
/// The longest character n-gram a model may use.
pub const MAX_CHARS: usize = 10;
/// The header line that opens the per-class lists of strongest features.
const LISTS: &str = "Strongest features per class";

/// A trained model.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// The id of the target it decides for.
    pub target: String,
    /// Probability the larger pole needs to be the label.
    pub threshold: f64,
    /// Whether the target's cue evidence is a feature (`lex:`).
    pub lexicon: bool,
    /// Shortest and longest character n-gram (`c:`), padding included ([`Model::chars`]).
    chars: [usize; 2],
    /// Where it was read from ("" for a model made in memory).
    pub source: String,
    /// Lines that say how it was made (the file's `#` header, without the `#`).
    pub about: Vec<String>,
    /// Settings written with the model for people (C, min_df and the like), in file order.
    pub settings: Vec<(String, String)>,
    /// Feature names, in file order.
    pub names: Vec<String>,
    /// Weights per feature: favor, against, none ([`Model::weights`]).
    weights: Vec<[f64; 3]>,
    /// Bias per class.
    pub bias: [f64; 3],
    index: FxHashMap<Box<str>, u32>,
    /// The same features split by kind, so that a text's features are found without making their
    /// names: `w:` words by word, `w:` pairs by their words' ids, `c:` by characters, `lex:` by pole.
    lookup: Lookup,
}

thread_local! {
    /// Per thread: a mark per feature and the current call's epoch ([`Model::active`]).
    static SEEN: std::cell::RefCell<(Vec<u32>, u32)> = const { std::cell::RefCell::new((Vec::new(), 0)) };
    /// Per thread, model and vocabulary: the features of each word seen ([`Model::words`],
    /// [`Model::active`]).
    static WORDS: std::cell::RefCell<Vec<WordCache>> = const { std::cell::RefCell::new(Vec::new()) };
    /// Per thread: [`Model::decide`]'s places, bits and call number, reused from text to text.
    static SCRATCH: std::cell::RefCell<Scratch> = const { std::cell::RefCell::new(Scratch { places: Vec::new(), bits: Vec::new(), epoch: 0, padded: String::new(), bounds: Vec::new() }) };
}

/// [`Model::decide`]'s buffers, reused rather than allocated per text: the weights summed per place,
/// the features counted, and the call number that marks where words first occur ([`Model::words`]).
struct Scratch {
    places: Vec<([f64; 3], u8)>,
    /// A bit per feature, set when counted in the current text: 1.5 kB for the default model, which
    /// stays in the processor's nearest cache (a call number per feature, 47 kB, did not, and cost
    /// 0.6 µs more per comment).
    bits: Vec<u64>,
    epoch: u32,
    /// A word padded for its character runs, and their bounds ([`for_each_gram`]), kept between texts
    /// (as new strings they were 7 of a comment's 112 allocations, valgrind dhat).
    padded: String,
    bounds: Vec<usize>,
}

/// Models made so far, for [`Lookup::uid`].
static MODELS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Most words a thread remembers per model before it starts again (a few tens of MB at most); it starts
/// again only between texts, so that the ranges of a text's words stay valid while it is read.
/// Tests keep a few words, so that texts of more new words than that start it again.
const WORD_CACHE: usize = if cfg!(test) { 8 } else { 200_000 };

/// One model's features of the words seen on one thread, with their ids in one [`Vocab`]: per word
/// what [`Model::word`] gives; the `c:` ids of words that are not `w:` features in `ids`.
#[derive(Default)]
struct WordCache {
    model: u64,
    /// The [`Vocab`] whose ids it keeps ([`Vocab::uid`]).
    vocab: u64,
    /// Its contents' number, new when it starts again ([`next_generation`]): [`TextWords`] found
    /// with other contents are found again.
    generation: u64,
    /// Keyed by the word held inline (up to 24 bytes, as `compact_str` keeps it): comparing a key then
    /// reads no other memory, where a boxed key cost a second cache miss per rare word.
    map: std::collections::HashMap<compact_str::CompactString, Cached, foldhash::fast::FixedState>,
    ids: Vec<u32>,
}

/// A [`WordInfo`] in a thread's cache (a word of the model's table too, so that a word costs one lookup).
#[derive(Clone, Copy)]
struct Cached {
    sum: [f64; 3],
    grams: (u32, u32),
    /// The call it was last seen in and its first place there; kept here, where the lookup has just
    /// read, rather than in a table by word that misses the processor's cache for rare words.
    mark: (u32, u32),
    /// Its `w:` id, or [`NO_ID`].
    id: u32,
    /// Its id in the cache's [`Vocab`], or [`NO_ID`].
    vocab: u32,
    kind: u8,
    known: bool,
}

/// [`Cached::id`] of a word that is not a `w:` feature.
const NO_ID: u32 = u32::MAX;

/// This thread's cache of `model`'s words, started again when full: called once per text, so that the
/// ranges of a text's words stay valid while it is read.
fn cache_of(caches: &mut Vec<WordCache>, model: u64, vocab: u64) -> &mut WordCache {
    let at = match caches
        .iter()
        .position(|c| c.model == model && c.vocab == vocab)
    {
        Some(at) => at,
        None => {
            caches.push(WordCache {
                model,
                vocab,
                generation: next_generation(),
                ..WordCache::default()
            });
            caches.len() - 1
        }
    };
    let cache = &mut caches[at];
    if cache.map.len() >= WORD_CACHE {
        cache.map.clear();
        cache.ids.clear();
        cache.generation = next_generation();
    }
    cache
}

/// Cache generations so far: unique across threads, so that [`TextWords`] found on one thread are not
/// read with another thread's cache.
static GENERATIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

fn next_generation() -> u64 {
    GENERATIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Feature `g`'s word and bit in a bit set.
fn bit(g: u32) -> (usize, u64) {
    (g as usize / 64, 1u64 << (g % 64))
}

/// A word's features ([`Model::word`]).
#[derive(Debug, Clone, Copy, Default)]
struct WordInfo {
    /// Its `w:` id.
    id: Option<u32>,
    /// Whether it is in the model's table (its `c:` ids in `word_grams`), not the thread's cache.
    known: bool,
    /// The range of its `c:` ids, each once, in the order `for_each_gram` first gives them.
    grams: (u32, u32),
    /// The weights of its `w:` and `c:` features, summed in that order: what it adds to the logits when
    /// no other word of the text shares a `c:` feature with it.
    sum: [f64; 3],
    /// 1 if it has a `w:` feature, | 2 if it has `c:` features.
    kind: u8,
    /// Where it first occurs in the text, when [`Model::word`] was given a place.
    first: u32,
    /// Its id in the [`Vocab`] it was looked up with.
    vocab: Option<u32>,
}

/// A text's words as a model and its target's cues read them ([`Model::words`]): one lookup per word
/// for both, where the cues' vocabulary and the model each hashed every word (the cues' lookups were a
/// sixth of their time under perf; 100 k generated comments, one thread).
#[derive(Debug, Clone)]
pub struct TextWords {
    /// Each token's id in the target's [`Vocab`], as [`Vocab::ids`] gives them.
    pub ids: Vec<Option<u32>>,
    infos: Vec<WordInfo>,
    /// The model, vocabulary and cache generation they were found with.
    key: (u64, u64, u64),
}

/// Feature ids by kind ([`Model::active`]). Looking up a text's features by name took 31 µs per comment
/// (a string made per feature; 100 k generated comments, one thread); by kind, with each word's features
/// remembered per thread, it takes a fraction of that.
#[derive(Debug, Clone, Default)]
struct Lookup {
    /// Tells models apart in the per-thread word caches.
    uid: u64,
    /// The `w:` words, as indexes into `infos`: found when the model is made, a small table that stays
    /// in the processor's cache (the per-thread cache of the other words grows to tens of thousands of
    /// words, which miss it).
    words: FxHashMap<compact_str::CompactString, u32>,
    infos: Vec<WordInfo>,
    /// The `c:` ids of the `w:` words.
    word_grams: Vec<u32>,
    pairs: FxHashMap<(u32, u32), u32>,
    /// The `c:` features by their characters, held inline (compact_str): a new word's dozen runs are
    /// looked up here, and a boxed key cost a second cache miss per run.
    grams: FxHashMap<compact_str::CompactString, u32>,
    lex: [Option<u32>; 2],
    /// Whether some pair's word is not a feature (a file edited by hand): pairs are then looked up by name.
    pairs_by_name: bool,
}

/// Made from the names, weights and character setting, so equal whenever they are.
impl PartialEq for Lookup {
    fn eq(&self, _: &Lookup) -> bool {
        true
    }
}

impl Lookup {
    fn new(names: &[String], weights: &[[f64; 3]], chars: [usize; 2]) -> Lookup {
        let mut l = Lookup {
            uid: MODELS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            ..Lookup::default()
        };
        let mut words = Vec::new();
        for (k, n) in names.iter().enumerate() {
            let k = k as u32;
            if let Some(w) = n.strip_prefix("w:") {
                if !w.contains(' ') {
                    words.push((w, k));
                }
            } else if let Some(c) = n.strip_prefix("c:") {
                l.grams.insert(compact_str::CompactString::new(c), k);
            } else if n == "lex:favor" {
                l.lex[0] = Some(k);
            } else if n == "lex:against" {
                l.lex[1] = Some(k);
            }
        }
        let (mut padded, mut bounds) = (String::new(), Vec::new());
        let mut word_grams = Vec::new();
        for (w, k) in words {
            let mut info = l.info(
                weights,
                chars,
                w,
                Some(k),
                &mut padded,
                &mut bounds,
                &mut word_grams,
            );
            info.known = true;
            l.words
                .insert(compact_str::CompactString::new(w), l.infos.len() as u32);
            l.infos.push(info);
        }
        l.word_grams = word_grams;
        // A pair's words are features too: a word is in at least as many texts as a pair holding it.
        for (k, n) in names.iter().enumerate() {
            if let Some((a, b)) = n.strip_prefix("w:").and_then(|w| w.split_once(' ')) {
                let id = |w: &str| l.words.get(w).and_then(|&i| l.infos[i as usize].id);
                match (id(a), id(b)) {
                    (Some(a), Some(b)) => {
                        l.pairs.insert((a, b), k as u32);
                    }
                    _ => l.pairs_by_name = true,
                }
            }
        }
        l
    }

    /// The features of `word` (whose `w:` id is `id`), its `c:` ids appended to `ids`; `first` 0.
    #[allow(clippy::too_many_arguments)]
    fn info(
        &self,
        weights: &[[f64; 3]],
        chars: [usize; 2],
        word: &str,
        id: Option<u32>,
        padded: &mut String,
        bounds: &mut Vec<usize>,
        ids: &mut Vec<u32>,
    ) -> WordInfo {
        let start = ids.len();
        let mut sum = id.map_or([0.0; 3], |k| weights[k as usize]);
        for_each_gram(word, chars, padded, bounds, |g| {
            if let Some(&k) = self.grams.get(g)
                && !ids[start..].contains(&k)
            {
                ids.push(k);
                for c in 0..3 {
                    sum[c] += weights[k as usize][c];
                }
            }
        });
        let start = start as u32;
        let end = ids.len() as u32;
        WordInfo {
            id,
            known: false,
            grams: (start, end),
            sum,
            kind: u8::from(id.is_some()) | (u8::from(end > start) << 1),
            first: 0,
            vocab: None,
        }
    }
}

/// Where a feature was found, for the explanation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Span {
    /// Tokens `[a, b)`.
    Tokens(usize, usize),
    /// The cue evidence toward a pole.
    Lexicon(Label),
}

/// Calls `f(name, value, span)` for every feature of a text, in text order; a feature may repeat (the
/// model counts it once). `buf` is reused for the names.
pub fn for_each_feature(
    toks: &[Tok],
    rule: Option<&Stance>,
    chars: [usize; 2],
    buf: &mut String,
    mut f: impl FnMut(&str, f64, Span),
) {
    let (mut padded, mut bounds) = (String::new(), Vec::new());
    for (k, t) in toks.iter().enumerate() {
        buf.clear();
        buf.push_str("w:");
        buf.push_str(&t.word);
        f(buf, 1.0, Span::Tokens(k, k + 1));
        if let Some(next) = toks.get(k + 1).filter(|n| n.sentence == t.sentence) {
            buf.push(' ');
            buf.push_str(&next.word);
            f(buf, 1.0, Span::Tokens(k, k + 2));
        }
        for_each_gram(&t.word, chars, &mut padded, &mut bounds, |g| {
            buf.clear();
            buf.push_str("c:");
            buf.push_str(g);
            f(buf, 1.0, Span::Tokens(k, k + 1));
        });
    }
    if let Some(rule) = rule {
        for (pole, name, v) in lexicon_evidence(rule) {
            f(name, v, Span::Lexicon(pole));
        }
    }
}

/// Calls `f` with every run of `chars[0]..=chars[1]` characters of `word` padded with a space each side,
/// shortest first, then from the left. `padded` and `bounds` are scratch.
fn for_each_gram(
    word: &str,
    chars: [usize; 2],
    padded: &mut String,
    bounds: &mut Vec<usize>,
    mut f: impl FnMut(&str),
) {
    if chars[0] > chars[1] {
        return;
    }
    padded.clear();
    padded.push(' ');
    padded.push_str(word);
    padded.push(' ');
    bounds.clear();
    bounds.extend(padded.char_indices().map(|(i, _)| i));
    bounds.push(padded.len());
    let len = bounds.len() - 1;
    for n in chars[0]..=chars[1].min(len) {
        for s in 0..=len - n {
            f(&padded[bounds[s]..bounds[s + n]]);
        }
    }
}

/// The cue evidence's features (pole, name, value): ln(1 + mass) of the favor and of the against cue
/// weights, each when above 0.
fn lexicon_evidence(rule: &Stance) -> impl Iterator<Item = (Label, &'static str, f64)> {
    let favor: f64 = rule.cues.iter().map(|c| c.weight.max(0.0)).sum();
    let against: f64 = rule.cues.iter().map(|c| (-c.weight).max(0.0)).sum();
    [
        (Label::Favor, "lex:favor", favor),
        (Label::Against, "lex:against", against),
    ]
    .into_iter()
    .filter(|&(_, _, mass)| mass > 0.0)
    .map(|(pole, name, mass)| (pole, name, mass.ln_1p()))
}

/// Parses character n-gram lengths as `learn --chars` and a model file give them: `MIN-MAX` or one
/// length, from 1 to [`MAX_CHARS`], or `none` (no `c:` features).
pub fn parse_chars(v: &str) -> std::result::Result<[usize; 2], String> {
    if v == "none" {
        return Ok([1, 0]);
    }
    let (a, b) = v.split_once('-').unwrap_or((v, v));
    let len = |x: &str| {
        x.trim()
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_CHARS).contains(n))
    };
    match (len(a), len(b)) {
        (Some(a), Some(b)) if a <= b => Ok([a, b]),
        _ => Err(format!(
            "must be MIN-MAX lengths from 1 to {MAX_CHARS} with MIN at most MAX (3-5), or none"
        )),
    }
}

/// Character n-gram lengths as `parse_chars` reads them.
pub fn chars_text(chars: [usize; 2]) -> String {
    if chars[0] > chars[1] {
        "none".into()
    } else {
        format!("{}-{}", chars[0], chars[1])
    }
}

/// Softmax of three logits.
pub fn softmax(z: [f64; 3]) -> [f64; 3] {
    let m = z[0].max(z[1]).max(z[2]);
    let e = z.map(|x| (x - m).exp());
    let s = e[0] + e[1] + e[2];
    e.map(|x| x / s)
}

/// The label for class probabilities `p` at `threshold`.
pub fn label_of(p: [f64; 3], threshold: f64) -> Label {
    let pole = if p[0] >= p[1] { 0 } else { 1 };
    if p[pole] >= threshold {
        CLASSES[pole]
    } else {
        Label::None
    }
}

impl Model {
    /// A model from its parts; `names` must be unique. Features are kept sorted by name, as in the file.
    pub fn new(
        target: String,
        threshold: f64,
        lexicon: bool,
        names: Vec<String>,
        weights: Vec<[f64; 3]>,
        bias: [f64; 3],
    ) -> Model {
        let mut rows: Vec<(String, [f64; 3])> = names.into_iter().zip(weights).collect();
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        let (names, weights): (Vec<String>, Vec<[f64; 3]>) = rows.into_iter().unzip();
        let index = names
            .iter()
            .enumerate()
            .map(|(k, n)| (n.as_str().into(), k as u32))
            .collect();
        let lookup = Lookup::new(&names, &weights, DEFAULT_CHARS);
        Model {
            target,
            threshold,
            lexicon,
            chars: DEFAULT_CHARS,
            source: String::new(),
            about: Vec::new(),
            settings: Vec::new(),
            names,
            weights,
            bias,
            index,
            lookup,
        }
    }

    /// The model with `c:` features of `chars[0]` to `chars[1]` characters (`[1, 0]`: none).
    #[must_use]
    pub fn with_chars(mut self, chars: [usize; 2]) -> Model {
        if chars != self.chars {
            self.chars = chars;
            self.lookup = Lookup::new(&self.names, &self.weights, chars);
        }
        self
    }

    /// Shortest and longest character n-gram (`c:`), padding included.
    pub fn chars(&self) -> [usize; 2] {
        self.chars
    }

    /// Weights per feature (favor, against, none), in the order of `names`.
    pub fn weights(&self) -> &[[f64; 3]] {
        &self.weights
    }

    /// The features of a text the model knows: (feature, value, where found) in the order
    /// [`for_each_feature`] first gives them (the order training sums them in), each once, where first
    /// found. The same as looking
    /// up every name it makes (`active_by_name`, tested against it), without making the names.
    pub fn active(&self, toks: &[Tok], rule: &Stance) -> Vec<(u32, f64, Span)> {
        let mut out = Vec::new();
        self.each_active(toks, rule, |id, v, span| out.push((id, v, span)));
        out
    }

    /// Calls `f` for each feature of [`Model::active`], in its order, without collecting them.
    fn each_active(&self, toks: &[Tok], rule: &Stance, mut f: impl FnMut(u32, f64, Span)) {
        // Each feature once, kept where it first occurs: a mark per feature, reset by a new epoch per call
        // rather than cleared, so the cost follows the text, not the model's size.
        SEEN.with_borrow_mut(|(marks, epoch)| {
            if marks.len() < self.names.len() {
                marks.resize(self.names.len(), 0);
            }
            *epoch = epoch.wrapping_add(1);
            if *epoch == 0 {
                marks.fill(0);
                *epoch = 1;
            }
            let epoch = *epoch;
            let mut push = |id: u32, v: f64, span: Span| {
                let m = &mut marks[id as usize];
                if *m != epoch {
                    *m = epoch;
                    f(id, v, span);
                }
            };
            self.collect(toks, rule, &mut push);
        });
    }

    /// Calls `push` for every feature of the text the model knows, in [`for_each_feature`]'s order.
    fn collect(&self, toks: &[Tok], rule: &Stance, push: &mut impl FnMut(u32, f64, Span)) {
        let l = &self.lookup;
        WORDS.with_borrow_mut(|caches| {
            let vocab = Vocab::default();
            let cache = cache_of(caches, l.uid, vocab.uid());
            let (mut padded, mut bounds) = (String::new(), Vec::new());
            let mut next = toks
                .first()
                .map(|t| self.word(cache, &vocab, &t.word, (&mut padded, &mut bounds), None));
            for (k, t) in toks.iter().enumerate() {
                let Some(here) = next else { break };
                let after = toks.get(k + 1);
                next = after
                    .map(|n| self.word(cache, &vocab, &n.word, (&mut padded, &mut bounds), None));
                if let Some(w) = here.id {
                    push(w, 1.0, Span::Tokens(k, k + 1));
                }
                if let Some(p) = self.pair(t, after, &here, next.as_ref(), &mut padded) {
                    push(p, 1.0, Span::Tokens(k, k + 2));
                }
                for &g in self.grams(&here, &cache.ids) {
                    push(g, 1.0, Span::Tokens(k, k + 1));
                }
            }
        });
        for (k, v, pole) in self.lexicon_features(rule) {
            push(k, v, Span::Lexicon(pole));
        }
    }

    /// The `w:` pair of token `t` and the token `after` it in its sentence (`here` and `next` their
    /// words' features), if the model knows it. `padded` is scratch.
    #[inline]
    fn pair(
        &self,
        t: &Tok,
        after: Option<&Tok>,
        here: &WordInfo,
        next: Option<&WordInfo>,
        padded: &mut String,
    ) -> Option<u32> {
        let n = after.filter(|n| n.sentence == t.sentence)?;
        let l = &self.lookup;
        if l.pairs_by_name {
            padded.clear();
            padded.push_str("w:");
            padded.push_str(&t.word);
            padded.push(' ');
            padded.push_str(&n.word);
            self.feature(padded)
        } else {
            here.id
                .zip(next.and_then(|e| e.id))
                .and_then(|ab| l.pairs.get(&ab).copied())
        }
    }

    /// A word's `c:` ids: in the model's table, or in `ids`, its thread cache's.
    #[inline]
    fn grams<'a>(&'a self, w: &WordInfo, ids: &'a [u32]) -> &'a [u32] {
        let (a, b) = (w.grams.0 as usize, w.grams.1 as usize);
        if w.known {
            &self.lookup.word_grams[a..b]
        } else {
            &ids[a..b]
        }
    }

    /// The cue evidence's features the model knows: (feature, value, pole).
    fn lexicon_features<'a>(
        &'a self,
        rule: &'a Stance,
    ) -> impl Iterator<Item = (u32, f64, Label)> + 'a {
        lexicon_evidence(rule)
            .filter(|_| self.lexicon)
            .filter_map(|(pole, _, v)| {
                let k = self.lookup.lex[usize::from(pole != Label::Favor)]?;
                Some((k, v, pole))
            })
    }

    /// A word's features, in [`for_each_feature`]'s order: those of a `w:` word from the model's table,
    /// the others found once per thread, each kept in the thread's cache. Given `at` (the call's epoch and the word's
    /// position), also where the word first occurs in the text (`first`). `padded` is scratch.
    fn word(
        &self,
        cache: &mut WordCache,
        vocab: &Vocab,
        word: &str,
        (padded, bounds): (&mut String, &mut Vec<usize>),
        at: Option<(u32, u32)>,
    ) -> WordInfo {
        let l = &self.lookup;
        if let Some(c) = cache.map.get_mut(word) {
            let first = match at {
                Some((epoch, _)) if c.mark.0 == epoch => c.mark.1,
                Some(mark) => {
                    c.mark = mark;
                    mark.1
                }
                None => 0,
            };
            return WordInfo {
                id: (c.id != NO_ID).then_some(c.id),
                known: c.known,
                grams: c.grams,
                sum: c.sum,
                kind: c.kind,
                first,
                vocab: (c.vocab != NO_ID).then_some(c.vocab),
            };
        }
        // Seen first in this thread: from the model's table, or found.
        let mut info = match l.words.get(word) {
            Some(&i) => l.infos[i as usize],
            None => l.info(
                &self.weights,
                self.chars,
                word,
                None,
                padded,
                bounds,
                &mut cache.ids,
            ),
        };
        let mark = at.unwrap_or((0, 0));
        info.first = mark.1;
        info.vocab = vocab.get(word);
        cache.map.insert(
            compact_str::CompactString::new(word),
            Cached {
                sum: info.sum,
                grams: info.grams,
                mark,
                id: info.id.unwrap_or(NO_ID),
                vocab: info.vocab.unwrap_or(NO_ID),
                kind: info.kind,
                known: info.known,
            },
        );
        info
    }

    /// The words of a text, looked up once for this model and the cues of `vocab`'s target
    /// ([`TextWords`]), for [`Model::decide_words`].
    pub fn words(&self, toks: &[Tok], vocab: &Vocab) -> TextWords {
        let l = &self.lookup;
        SCRATCH.with_borrow_mut(|s| {
            WORDS.with_borrow_mut(|caches| {
                s.epoch = s.epoch.wrapping_add(1);
                if s.epoch == 0 {
                    // A mark left 2^32 texts ago would read as this text's: every mark starts again.
                    caches.iter_mut().for_each(|c| {
                        c.map.clear();
                        c.ids.clear();
                        c.generation = next_generation();
                    });
                    s.epoch = 1;
                }
                let epoch = s.epoch;
                let cache = cache_of(caches, l.uid, vocab.uid());
                let (padded, bounds) = (&mut s.padded, &mut s.bounds);
                let infos: Vec<WordInfo> = toks
                    .iter()
                    .enumerate()
                    .map(|(k, t)| {
                        let at = Some((epoch, k as u32));
                        self.word(cache, vocab, &t.word, (&mut *padded, &mut *bounds), at)
                    })
                    .collect();
                TextWords {
                    ids: infos.iter().map(|i| i.vocab).collect(),
                    infos,
                    key: (l.uid, vocab.uid(), cache.generation),
                }
            })
        })
    }

    /// [`Model::active`] by looking up each name that [`for_each_feature`] makes.
    #[cfg(test)]
    fn active_by_name(&self, toks: &[Tok], rule: &Stance) -> Vec<(u32, f64, Span)> {
        let mut out: Vec<(u32, f64, Span)> = Vec::new();
        let mut buf = String::new();
        let rule = self.lexicon.then_some(rule);
        for_each_feature(toks, rule, self.chars, &mut buf, |name, v, span| {
            if let Some(k) = self.feature(name)
                && !out.iter().any(|&(o, _, _)| o == k)
            {
                out.push((k, v, span));
            }
        });
        out
    }

    /// Class probabilities (favor, against, none) of the active features.
    pub fn probabilities(&self, active: &[(u32, f64, Span)]) -> [f64; 3] {
        self.probabilities_of(active.iter().map(|&(k, v, _)| (k, v)))
    }

    /// Class probabilities of (feature, value) pairs, each feature once.
    pub fn probabilities_of(&self, features: impl Iterator<Item = (u32, f64)>) -> [f64; 3] {
        let mut z = self.bias;
        for (k, v) in features {
            let w = &self.weights[k as usize];
            for c in 0..3 {
                z[c] += v * w[c];
            }
        }
        softmax(z)
    }

    /// The index of a feature the model knows.
    pub fn feature(&self, name: &str) -> Option<u32> {
        self.index.get(name).copied()
    }

    /// The logits of a text, with the weights summed per place into `s.places` (sized 2n + 2), for the
    /// features [`Model::active`] gives, a word at a time: a word seen before in the text adds nothing
    /// (its features are counted), a new word its summed weights ([`WordInfo::sum`]) or, when an earlier
    /// word had some of its `c:` features, the weights of the others; then the pair from it, if new; then
    /// the cue evidence. The places' sums are those of the features one by one, in the same order; the
    /// logits group them by word, which changes only their last bits.
    ///
    /// Why: with the features one by one (a mark, a weight and two sums for each of some 270 per
    /// comment), stance with the model took 10.9 µs per comment; a word at a time, with each word's
    /// features and sum found once per model or thread and its lookup shared with the cues
    /// ([`TextWords`]), 8.3 µs; the cues alone take 4.0 (run.json's stance seconds, 100 k generated
    /// comments, one thread, least of five runs).
    fn summed(&self, toks: &[Tok], words: &TextWords, rule: &Stance, s: &mut Scratch) -> [f64; 3] {
        let n = toks.len();
        let mut z = self.bias;
        let Scratch {
            places,
            bits,
            epoch: _,
            padded,
            bounds: _,
        } = s;
        bits.clear();
        bits.resize(self.names.len().div_ceil(64), 0);
        let mut add = |at: usize, w: &[f64; 3], v: f64, kind: u8| {
            let place = &mut places[at];
            for c in 0..3 {
                z[c] += v * w[c];
                place.0[c] += v * w[c];
            }
            place.1 |= kind;
        };
        WORDS.with_borrow(|caches| {
            let no_ids = Vec::new();
            let ids = caches
                .iter()
                .find(|c| (c.model, c.vocab, c.generation) == words.key)
                .map_or(&no_ids, |c| &c.ids);
            for (k, t) in toks.iter().enumerate() {
                let here = words.infos[k];
                let after = toks.get(k + 1);
                let next = words.infos.get(k + 1);
                if here.kind != 0 && here.first as usize == k {
                    let grams = self.grams(&here, ids);
                    let shared = grams.iter().any(|&g| {
                        let (i, b) = bit(g);
                        bits[i] & b != 0
                    });
                    if shared {
                        let mut sum = here.id.map_or([0.0; 3], |w| self.weights[w as usize]);
                        let mut any = false;
                        for &g in grams {
                            let (i, b) = bit(g);
                            if bits[i] & b == 0 {
                                bits[i] |= b;
                                any = true;
                                let w = &self.weights[g as usize];
                                for (x, wc) in sum.iter_mut().zip(w) {
                                    *x += wc;
                                }
                            }
                        }
                        let kind = u8::from(here.id.is_some()) | (u8::from(any) << 1);
                        add(k, &sum, 1.0, kind);
                    } else {
                        for &g in grams {
                            let (i, b) = bit(g);
                            bits[i] |= b;
                        }
                        add(k, &here.sum, 1.0, here.kind);
                    }
                }
                if let Some(p) = self.pair(t, after, &here, next, padded) {
                    let (i, b) = bit(p);
                    if bits[i] & b == 0 {
                        bits[i] |= b;
                        add(n + k, &self.weights[p as usize], 1.0, 1);
                    }
                }
            }
        });
        for (k, v, pole) in self.lexicon_features(rule) {
            let at = 2 * n + usize::from(pole != Label::Favor);
            add(at, &self.weights[k as usize], v, 0);
        }
        z
    }

    /// The stance of a text: the model's decision, explained by the features that drove it.
    pub fn decide(&self, text: &str, toks: &[Tok], rule: Stance) -> Stance {
        let words = self.words(toks, &Vocab::default());
        self.decide_words(text, toks, &words, rule)
    }

    /// [`Model::decide`] with the text's words already found ([`Model::words`]).
    pub fn decide_words(
        &self,
        text: &str,
        toks: &[Tok],
        words: &TextWords,
        rule: Stance,
    ) -> Stance {
        // Words found before their thread's cache started again (or on another thread) are found again.
        let current = words.key.0 == self.lookup.uid
            && words.infos.len() == toks.len()
            && WORDS.with_borrow(|caches| {
                caches
                    .iter()
                    .any(|c| (c.model, c.vocab, c.generation) == words.key)
            });
        let again;
        let words = if current {
            words
        } else {
            again = self.words(toks, &Vocab::default());
            &again
        };
        let n = toks.len();
        let (p, label, l, drivers, kinds) = SCRATCH.with_borrow_mut(|s| {
            // The logits, and the weights summed per place (word k at k, the pair from k at n + k, the
            // poles' evidence at 2n and 2n + 1) with the kinds found there (1 = w:, 2 = c:).
            s.places.clear();
            s.places.resize(2 * n + 2, ([0.0; 3], 0));
            let z = self.summed(toks, words, &rule, s);
            let p = softmax(z);
            let label = label_of(p, self.threshold);
            let l = CLASSES.iter().position(|c| *c == label).unwrap_or(2);
            // The runner-up: the most probable other class.
            let r = (0..3)
                .filter(|&c| c != l)
                .max_by(|&a, &b| p[a].total_cmp(&p[b]))
                .unwrap_or(2);
            // The DRIVERS places with the largest positive push, largest first (ties in place order):
            // kept in a short sorted list rather than by sorting every place.
            let mut drivers: Vec<(f64, usize)> = Vec::with_capacity(DRIVERS + 1);
            for (at, &(sums, _)) in s.places.iter().enumerate() {
                let push = sums[l] - sums[r];
                if push <= 0.0 || (drivers.len() == DRIVERS && push <= drivers[DRIVERS - 1].0) {
                    continue;
                }
                let pos = drivers.partition_point(|x| x.0 >= push);
                drivers.insert(pos, (push, at));
                drivers.truncate(DRIVERS);
            }
            let kinds: [u8; DRIVERS] =
                std::array::from_fn(|i| drivers.get(i).map_or(0, |&(_, at)| s.places[at].1));
            (p, label, l, drivers, kinds)
        });
        let cues = drivers
            .into_iter()
            .zip(kinds)
            .map(|((push, at), kind)| {
                let (phrase, matched, sentence) = if at < 2 * n {
                    let (a, b) = if at < n {
                        (at, at + 1)
                    } else {
                        (at - n, at - n + 2)
                    };
                    let kind = match kind {
                        1 => "w:",
                        2 => "c:",
                        _ => "w+c:",
                    };
                    // Written into one string: a list, a join and a format per driver cost 0.5 µs
                    // per comment (100 k generated comments, one thread).
                    let mut phrase = String::with_capacity(kind.len() + 24);
                    phrase.push_str(kind);
                    for (i, t) in toks[a..b].iter().enumerate() {
                        if i > 0 {
                            phrase.push(' ');
                        }
                        phrase.push_str(&t.word);
                    }
                    (
                        phrase,
                        text[toks[a].start..toks[b - 1].end].to_string(),
                        toks[a].sentence + 1,
                    )
                } else {
                    // The cue evidence is shown by its strongest cue (the first of equals): its
                    // words and sentence, as for a cue that decides alone.
                    let pole = if at == 2 * n {
                        Label::Favor
                    } else {
                        Label::Against
                    };
                    let sign = if pole == Label::Favor { 1.0 } else { -1.0 };
                    let strongest = rule.cues.iter().filter(|c| c.weight * sign > 0.0).fold(
                        None::<&CueHit>,
                        |best, c| match best {
                            Some(b) if b.weight.abs() >= c.weight.abs() => Some(b),
                            _ => Some(c),
                        },
                    );
                    let (matched, sentence) =
                        strongest.map_or((String::new(), 1), |c| (c.matched.clone(), c.sentence));
                    (format!("lex:{}", pole.as_str()), matched, sentence)
                };
                CueHit {
                    phrase,
                    pole: label,
                    weight: push,
                    negated: false,
                    dismissed: false,
                    reported: false,
                    contrast: None,
                    matched,
                    sentence,
                }
            })
            .collect();
        Stance {
            target: rule.target,
            label,
            score: p[0] - p[1],
            confidence: p[l],
            cues,
            on_topic: rule.on_topic,
        }
    }

    /// Reads a model file.
    pub fn load(path: &Path) -> Result<Model> {
        let text = std::fs::read_to_string(path).map_err(read_err(path))?;
        let mut m = Model::parse(&text, path)?;
        m.source = path.display().to_string();
        Ok(m)
    }

    /// Parses a model file; errors name `path` and the line.
    pub fn parse(text: &str, path: &Path) -> Result<Model> {
        let bad = |line: usize, reason: String| Error::Config {
            file: path.to_path_buf(),
            reason: format!("line {line}: {reason}"),
        };
        let mut lines = text.lines().enumerate().map(|(k, l)| (k + 1, l));
        let mut about = Vec::new();
        if text.trim().is_empty() {
            return Err(Error::Config {
                file: path.to_path_buf(),
                reason: "the file is empty: not a stancemeter model".into(),
            });
        }
        // (key, value, line)
        let mut settings: Vec<(String, String, usize)> = Vec::new();
        let mut format_seen = false;
        let header_end;
        // The per-class lists that `to_text` writes after `about` are made from the weights.
        let mut in_lists = false;
        // Header: comments and `key<TAB>value` lines up to the `feature` line.
        loop {
            let Some((n, line)) = lines.next() else {
                return Err(bad(
                    text.lines().count(),
                    "no `feature<TAB>favor<TAB>against<TAB>none` line: not a stancemeter model"
                        .into(),
                ));
            };
            if let Some(c) = line.strip_prefix('#') {
                let c = c.strip_prefix(' ').unwrap_or(c);
                in_lists |= c.starts_with(LISTS);
                if !in_lists {
                    about.push(c.to_string());
                }
                continue;
            }
            if line.trim().is_empty() {
                continue;
            }
            let cells: Vec<&str> = line.split('\t').collect();
            if !format_seen {
                if cells != ["format", FORMAT] {
                    return Err(bad(
                        n,
                        format!(
                            "expected `format<TAB>{FORMAT}` first: not a stancemeter model, or one of another version"
                        ),
                    ));
                }
                format_seen = true;
                continue;
            }
            if cells == ["feature", "favor", "against", "none"] {
                header_end = n;
                break;
            }
            let [key, value] = cells[..] else {
                return Err(bad(
                    n,
                    format!("expected `key<TAB>value`, found {} cells", cells.len()),
                ));
            };
            if !SETTINGS.contains(&key) {
                return Err(bad(
                    n,
                    format!("unknown setting {key:?} (known: {})", SETTINGS.join(", ")),
                ));
            }
            if settings.iter().any(|(k, _, _)| k == key) {
                return Err(bad(n, format!("{key} is given twice")));
            }
            settings.push((key.to_string(), value.to_string(), n));
        }
        let get = |key: &str| {
            settings
                .iter()
                .find(|(k, _, _)| k == key)
                .map(|(_, v, n)| (v.as_str(), *n))
        };
        let missing = |key: &str| bad(header_end, format!("no `{key}` line before the features"));
        let number = |key: &str, ok: &dyn Fn(f64) -> bool, what: &str| -> Result<Option<f64>> {
            get(key)
                .map(|(v, n)| {
                    v.parse::<f64>()
                        .ok()
                        .filter(|x| ok(*x))
                        .ok_or_else(|| bad(n, format!("{key} {v:?}: must be {what}")))
                })
                .transpose()
        };
        let target = get("target")
            .ok_or_else(|| missing("target"))?
            .0
            .to_string();
        let threshold = number(
            "threshold",
            &|t| (0.0..=1.0).contains(&t),
            "a number from 0 to 1",
        )?
        .ok_or_else(|| missing("threshold"))?;
        number("c", &|c| c.is_finite() && c > 0.0, "a number above 0")?;
        for key in ["min_df", "texts", "features"] {
            number(key, &|x| x >= 0.0 && x.fract() == 0.0, "a whole number")?;
        }
        let lexicon = match get("lexicon") {
            Some(("true", _)) => true,
            Some(("false", _)) | None => false,
            Some((v, n)) => return Err(bad(n, format!("lexicon {v:?}: must be true or false"))),
        };
        let chars = match get("chars") {
            None => DEFAULT_CHARS,
            Some((v, n)) => parse_chars(v).map_err(|e| bad(n, format!("chars {v:?}: {e}")))?,
        };
        let mut names = Vec::new();
        let mut weights = Vec::new();
        let mut bias = None;
        let mut seen = std::collections::HashSet::new();
        for (n, line) in lines {
            if line.is_empty() {
                continue;
            }
            let cells: Vec<&str> = line.split('\t').collect();
            let [name, f, a, o] = cells[..] else {
                return Err(bad(
                    n,
                    format!(
                        "expected a feature and three weights separated by tabs, found {} cells",
                        cells.len()
                    ),
                ));
            };
            let mut w = [0.0; 3];
            for (slot, (cell, class)) in
                w.iter_mut()
                    .zip([(f, "favor"), (a, "against"), (o, "none")])
            {
                *slot = cell
                    .parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite())
                    .ok_or_else(|| {
                        bad(
                            n,
                            format!("{name}: {class} weight {cell:?} is not a number"),
                        )
                    })?;
            }
            if !seen.insert(name.to_string()) {
                return Err(bad(n, format!("feature {name:?} is given twice")));
            }
            let known = ["w:", "c:", "lex:"]
                .iter()
                .any(|p| name.strip_prefix(p).is_some_and(|rest| !rest.is_empty()));
            if name != BIAS && !known {
                return Err(bad(
                    n,
                    format!(
                        "feature {name:?}: a feature is w:<words>, c:<characters> or lex:<pole>"
                    ),
                ));
            }
            if name == BIAS {
                bias = Some(w);
            } else {
                names.push(name.to_string());
                weights.push(w);
            }
        }
        let last = text.lines().count();
        let bias = bias.ok_or_else(|| bad(last, format!("no {BIAS} row")))?;
        // A file cut short (a copy that stopped, a hand edit) would decide quietly from what is left.
        if let Some((v, n)) = get("features")
            && v.parse::<usize>().ok() != Some(names.len())
        {
            return Err(bad(
                n,
                format!(
                    "features {v}, but the file has {} feature rows: it is incomplete or edited",
                    names.len()
                ),
            ));
        }
        let mut m = Model::new(target, threshold, lexicon, names, weights, bias).with_chars(chars);
        m.about = about;
        m.settings = settings
            .into_iter()
            .filter(|(k, _, _)| {
                !matches!(
                    k.as_str(),
                    "target" | "threshold" | "lexicon" | "features" | "chars"
                )
            })
            .map(|(k, v, _)| (k, v))
            .collect();
        Ok(m)
    }

    /// The strongest features of each class: those whose weight for it exceeds their largest other
    /// weight most.
    pub fn top(&self, class: usize, n: usize) -> Vec<(&str, f64)> {
        let mut v: Vec<(&str, f64)> = self
            .names
            .iter()
            .zip(&self.weights)
            .map(|(name, w)| {
                let other = (0..3)
                    .filter(|&c| c != class)
                    .map(|c| w[c])
                    .fold(f64::MIN, f64::max);
                (name.as_str(), w[class] - other)
            })
            .filter(|x| x.1 > 0.0)
            .collect();
        v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
        v.truncate(n);
        v
    }

    /// The model file: a `#` header that says how it was made and lists the strongest features per
    /// class, the settings, then one row per feature (sorted by name) with its three weights. Weights are
    /// written in full, so that a loaded model decides exactly as the trained one.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for a in &self.about {
            let _ = writeln!(out, "# {a}");
        }
        let _ = writeln!(
            out,
            "# {LISTS} (weight for the class minus the largest other weight):"
        );
        for (c, class) in CLASSES.iter().enumerate() {
            let top: Vec<String> = self
                .top(c, 12)
                .iter()
                .map(|(n, w)| format!("{n} {w:.2}"))
                .collect();
            let _ = writeln!(out, "#   {:<8} {}", class.as_str(), top.join(", "));
        }
        let _ = writeln!(out, "format\t{FORMAT}");
        let _ = writeln!(out, "target\t{}", self.target);
        let _ = writeln!(out, "threshold\t{}", self.threshold);
        let _ = writeln!(out, "lexicon\t{}", self.lexicon);
        let _ = writeln!(out, "chars\t{}", chars_text(self.chars));
        let _ = writeln!(out, "features\t{}", self.names.len());
        for (k, v) in &self.settings {
            let _ = writeln!(out, "{k}\t{v}");
        }
        let _ = writeln!(out, "feature\tfavor\tagainst\tnone");
        let b = self.bias;
        let _ = writeln!(out, "{BIAS}\t{}\t{}\t{}", b[0], b[1], b[2]);
        for (name, w) in self.names.iter().zip(&self.weights) {
            let _ = writeln!(out, "{name}\t{}\t{}\t{}", w[0], w[1], w[2]);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokens::tokenize;

    fn rule(target: &str) -> Stance {
        Stance {
            target: target.into(),
            label: Label::None,
            score: 0.0,
            confidence: 0.0,
            cues: Vec::new(),
            on_topic: false,
        }
    }

    fn model() -> Model {
        Model::new(
            "t".into(),
            0.5,
            false,
            vec!["w:love".into(), "w:hate".into(), "c:ove ".into()],
            vec![[2.0, -1.0, 0.0], [-1.0, 2.5, 0.0], [0.25, 0.0, 0.0]],
            [0.0, 0.0, 0.5],
        )
    }

    #[test]
    fn features_are_words_pairs_and_padded_characters() {
        let toks = tokenize("Spy phones. Buy");
        let mut names = Vec::new();
        for_each_feature(&toks, None, DEFAULT_CHARS, &mut String::new(), |n, _, _| {
            names.push(n.to_string());
        });
        for want in [
            "w:spy",
            "w:spy phones",
            "w:phones",
            "c: s",
            "c:spy ",
            "c: buy ",
            "w:buy",
        ] {
            assert!(names.iter().any(|n| n == want), "{want} not in {names:?}");
        }
        // No pair across sentences.
        assert!(!names.iter().any(|n| n == "w:phones buy"), "{names:?}");
    }

    #[test]
    fn the_decision_follows_the_weights_and_names_its_drivers() {
        let m = model();
        let text = "I love it";
        let s = m.decide(text, &tokenize(text), rule("t"));
        assert_eq!(s.label, Label::Favor);
        // The word's features together: w:love pushes 2 over the runner-up (none), c:ove  0.25.
        assert_eq!(s.cues[0].phrase, "w+c:love");
        assert_eq!(s.cues[0].matched, "love");
        assert!((s.cues[0].weight - 2.25).abs() < 1e-12, "{:?}", s.cues);
        assert_eq!(s.cues.len(), 1, "{:?}", s.cues);
        let text = "I hate it";
        assert_eq!(
            m.decide(text, &tokenize(text), rule("t")).label,
            Label::Against
        );
        let text = "Nothing here";
        let s = m.decide(text, &tokenize(text), rule("t"));
        assert_eq!(s.label, Label::None);
        assert!(s.cues.is_empty());
        assert!((s.score).abs() < 1e-12);
    }

    #[test]
    fn a_model_survives_its_file_exactly() {
        let mut m = model();
        let love = m.names.iter().position(|n| n == "w:love").unwrap();
        m.weights[love][0] = 0.1 + 0.2;
        m.about = vec!["made by a test".into()];
        m.settings = vec![("c".into(), "1".into())];
        let text = m.to_text();
        assert!(
            text.contains("#   favor    w:love 0.30, c:ove  0.25"),
            "{text}"
        );
        let back = Model::parse(&text, Path::new("m.tsv")).unwrap();
        assert_eq!(back, m);
    }

    /// A model over every feature `texts` give (and the lexicon's), with weights that differ per feature.
    fn model_of(texts: &[&str], chars: [usize; 2]) -> Model {
        let mut names: Vec<String> = vec!["lex:favor".into(), "lex:against".into()];
        for t in texts {
            for_each_feature(&tokenize(t), None, chars, &mut String::new(), |n, _, _| {
                if !names.iter().any(|x| x == n) {
                    names.push(n.to_string());
                }
            });
        }
        let weights = (0..names.len())
            .map(|k| {
                let k = k as f64;
                [(k * 0.37).sin(), (k * 0.11).cos(), 0.0]
            })
            .collect();
        Model::new("t".into(), 0.4, true, names, weights, [0.0; 3]).with_chars(chars)
    }

    fn with_cues(weights: &[f64]) -> Stance {
        let mut r = rule("t");
        r.cues = weights
            .iter()
            .map(|&w| CueHit {
                phrase: "x".into(),
                pole: if w > 0.0 {
                    Label::Favor
                } else {
                    Label::Against
                },
                weight: w,
                negated: false,
                dismissed: false,
                reported: false,
                contrast: None,
                matched: "x".into(),
                sentence: 1,
            })
            .collect();
        r
    }

    const SEEN: [&str; 3] = [
        "Let them sell here. I'd buy a Mi 8 tomorrow!",
        "Keep Chinese spyware out; keep them out.",
        "Xiaomi’s café phone 📱 costs $300",
    ];

    /// The fast lookup (by kind, words remembered per thread) finds what looking up every name finds, in
    /// the same order, for seen and unseen words, every character setting, and two models on one thread.
    #[test]
    fn active_is_the_lookup_by_name() {
        let texts = [
            "Let them sell here. I'd buy a Mi 8 tomorrow!",
            "keep keep them them out out",
            "Sell here? No. Café 📱 spyware, Xiaomi’s!",
            "An unseen sentence with brand new wordings",
            "",
        ];
        for chars in [[2, 5], [3, 5], [1, 0], [4, 4]] {
            let m = model_of(&SEEN, chars);
            let other = model_of(&SEEN[..1], chars);
            for t in texts {
                let toks = tokenize(t);
                for r in [rule("t"), with_cues(&[1.0, -2.0, 0.5])] {
                    for _ in 0..2 {
                        assert_eq!(
                            m.active(&toks, &r),
                            m.active_by_name(&toks, &r),
                            "{chars:?} {t}"
                        );
                        assert_eq!(other.active(&toks, &r), other.active_by_name(&toks, &r));
                    }
                }
            }
        }
    }

    /// The drivers [`Model::decide`] should give, found the slow way: each active feature's weights
    /// summed per place one by one, the largest positive pushes first.
    fn drivers_one_by_one(m: &Model, text: &str, r: &Stance) -> (Label, Vec<(String, f64)>) {
        let toks = tokenize(text);
        let active = m.active(&toks, r);
        let p = m.probabilities(&active);
        let label = label_of(p, m.threshold);
        let l = CLASSES.iter().position(|c| *c == label).unwrap();
        let rr = (0..3)
            .filter(|&c| c != l)
            .max_by(|&a, &b| p[a].total_cmp(&p[b]))
            .unwrap();
        let n = toks.len();
        let mut sums = vec![[0.0; 3]; 2 * n + 2];
        for &(k, v, span) in &active {
            let at = match span {
                Span::Tokens(a, b) if b == a + 1 => a,
                Span::Tokens(a, _) => n + a,
                Span::Lexicon(pole) => 2 * n + usize::from(pole != Label::Favor),
            };
            for (x, w) in sums[at].iter_mut().zip(&m.weights[k as usize]) {
                *x += v * w;
            }
        }
        let mut pushes: Vec<(f64, usize)> = sums
            .iter()
            .enumerate()
            .map(|(at, s)| (s[l] - s[rr], at))
            .filter(|x| x.0 > 0.0)
            .collect();
        pushes.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        pushes.truncate(DRIVERS);
        let shown = pushes
            .into_iter()
            .map(|(push, at)| {
                let matched = if at < n {
                    text[toks[at].start..toks[at].end].to_string()
                } else if at < 2 * n {
                    text[toks[at - n].start..toks[at - n + 1].end].to_string()
                } else {
                    String::new()
                };
                (matched, push)
            })
            .collect();
        (label, shown)
    }

    /// A decision, a word at a time, is that of the features one by one: the same label, probabilities
    /// to the last bits, and the same drivers with the same pushes; for words in the model's table and
    /// words only the thread's cache holds, repeated words, character runs shared by different words,
    /// every character setting, and a file edited by hand (pairs by name).
    #[test]
    fn a_decision_is_that_of_the_features_one_by_one() {
        let texts = [
            "Let them sell here. I'd buy a Mi 8 tomorrow!",
            "keep keep them them out out, keep them out",
            "Sell here? No. Café 📱 spyware, Xiaomi’s! spyware spyware",
            "An unseen sentence with brand new wordings, wording and words",
            "",
        ];
        for chars in [[2, 5], [3, 5], [1, 0], [4, 4]] {
            let m = model_of(&SEEN, chars);
            let keep: Vec<usize> = (0..m.names.len())
                .filter(|&k| m.names[k] != "w:sell")
                .collect();
            let edited = Model::new(
                "t".into(),
                0.4,
                true,
                keep.iter().map(|&k| m.names[k].clone()).collect(),
                keep.iter().map(|&k| m.weights[k]).collect(),
                [0.1, 0.0, -0.1],
            )
            .with_chars(chars);
            for m in [&m, &edited] {
                for t in texts {
                    let toks = tokenize(t);
                    for r in [rule("t"), with_cues(&[1.0, -2.0, 0.5])] {
                        let p = m.probabilities(&m.active(&toks, &r));
                        let (label, drivers) = drivers_one_by_one(m, t, &r);
                        for _ in 0..2 {
                            let s = m.decide(t, &toks, r.clone());
                            assert!((s.score - (p[0] - p[1])).abs() < 1e-12, "{chars:?} {t}");
                            assert_eq!(s.label, label, "{chars:?} {t}");
                            let got: Vec<(String, f64)> = s
                                .cues
                                .iter()
                                .map(|c| (c.matched.clone(), c.weight))
                                .collect();
                            let lex = |x: &[(String, f64)]| -> Vec<f64> {
                                x.iter().map(|d| d.1).collect()
                            };
                            assert_eq!(lex(&got), lex(&drivers), "{chars:?} {t}");
                            for (g, d) in got.iter().zip(&drivers) {
                                if !d.0.is_empty() {
                                    assert_eq!(g.0, d.0, "{chars:?} {t}");
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// One lookup serves the cues and the model: the words' ids are the vocabulary's, and words found
    /// for one model are found again when given to another.
    #[test]
    fn a_text_s_words_serve_the_cues_and_only_their_model() {
        use crate::text::phrase::{FirstWordIndex, Pattern, Vocab};
        let patterns: Vec<Pattern> = ["let them in", "spy*", "keep out"]
            .iter()
            .map(|p| Pattern::compile(p).unwrap())
            .collect();
        let vocab = Vocab::new([FirstWordIndex::new(patterns.iter())].iter());
        let (a, b) = (model_of(&SEEN, [3, 5]), model_of(&SEEN[..1], [2, 4]));
        for t in ["Let them in, keep them out", "spyware? keep out!", ""] {
            let toks = tokenize(t);
            let words = a.words(&toks, &vocab);
            assert_eq!(words.ids, vocab.ids(&toks), "{t}");
            let r = with_cues(&[1.0, -0.5]);
            assert_eq!(
                a.decide_words(t, &toks, &words, r.clone()),
                a.decide(t, &toks, r.clone())
            );
            assert_eq!(
                b.decide_words(t, &toks, &words, r.clone()),
                b.decide(t, &toks, r)
            );
        }
    }

    /// A run of characters counts once per text: a later word that holds it pushes only by its own
    /// features.
    #[test]
    fn a_run_of_characters_counts_once_per_text() {
        let m = model();
        let text = "I love it, love it, love my glove";
        let s = m.decide(text, &tokenize(text), rule("t"));
        assert_eq!(s.cues.len(), 1, "{:?}", s.cues);
        assert_eq!(s.cues[0].matched, "love");
        assert!((s.cues[0].weight - 2.25).abs() < 1e-12, "{:?}", s.cues);
    }

    use proptest::prelude::*;

    proptest! {
        /// The same on random texts of seen and unseen words, punctuation and sentence ends.
        #[test]
        fn active_is_the_lookup_by_name_on_any_text(
            words in proptest::collection::vec(
                prop_oneof![
                    proptest::sample::select(vec![
                        "let", "them", "sell", "here", "keep", "out", "Xiaomi’s", "café", "📱",
                        "$300", "buy", "I'd", ".", "?", "!", ",",
                    ])
                    .prop_map(str::to_string),
                    "[a-zé]{1,9}",
                ],
                0..40,
            ),
            chars in proptest::sample::select(vec![[2, 5], [3, 5], [1, 0], [1, 7]]),
        ) {
            let m = model_of(&SEEN, chars);
            let text = words.join(" ");
            let toks = tokenize(&text);
            let r = with_cues(&[0.5, -1.5]);
            let active = m.active(&toks, &r);
            prop_assert_eq!(&active, &m.active_by_name(&toks, &r));
            let p = m.probabilities(&active);
            let (label, drivers) = drivers_one_by_one(&m, &text, &r);
            let s = m.decide(&text, &toks, r);
            prop_assert!((s.score - (p[0] - p[1])).abs() < 1e-12);
            prop_assert_eq!(s.label, label);
            let got: Vec<f64> = s.cues.iter().map(|c| c.weight).collect();
            let want: Vec<f64> = drivers.iter().map(|d| d.1).collect();
            prop_assert_eq!(got, want);
        }
    }

    /// A file edited by hand may keep a pair whose word it dropped: pairs are then looked up by name.
    #[test]
    fn a_pair_without_its_words_is_still_found() {
        let full = model_of(&SEEN, DEFAULT_CHARS);
        let keep: Vec<usize> = (0..full.names.len())
            .filter(|&k| full.names[k] != "w:sell")
            .collect();
        let m = Model::new(
            "t".into(),
            0.4,
            true,
            keep.iter().map(|&k| full.names[k].clone()).collect(),
            keep.iter().map(|&k| full.weights[k]).collect(),
            [0.0; 3],
        );
        assert!(m.lookup.pairs_by_name);
        let toks = tokenize("Let them sell here.");
        let got = m.active(&toks, &rule("t"));
        assert_eq!(got, m.active_by_name(&toks, &rule("t")));
        let pair = m.feature("w:sell here").unwrap();
        assert!(got.iter().any(|&(k, _, _)| k == pair));
    }

    #[test]
    fn character_settings_are_read_and_written() {
        assert_eq!(parse_chars("3-5"), Ok([3, 5]));
        assert_eq!(parse_chars("4"), Ok([4, 4]));
        assert_eq!(parse_chars("none"), Ok([1, 0]));
        for bad in ["5-3", "0-2", "2-11", "x", "", "2-"] {
            assert!(parse_chars(bad).is_err(), "{bad}");
        }
        let mut m = model();
        // A file from before the setting uses 2 to 5 characters.
        let old: String = m
            .to_text()
            .lines()
            .filter(|l| !l.starts_with("chars\t"))
            .map(|l| format!("{l}\n"))
            .collect();
        assert_eq!(Model::parse(&old, Path::new("m")).unwrap().chars(), [2, 5]);
        for chars in [[1, 0], [3, 5]] {
            m = m.with_chars(chars);
            let back = Model::parse(&m.to_text(), Path::new("m")).unwrap();
            assert_eq!(back.chars(), chars);
        }
        let e = Model::parse(
            &m.to_text().replace("chars\t3-5", "chars\t9-1"),
            Path::new("m"),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains(": chars \"9-1\": must be MIN-MAX"), "{e}");
    }

    #[test]
    fn a_broken_file_is_refused_with_its_line() {
        let good = model().to_text();
        let e = Model::parse(&good.replace("w:hate\t-1", "w:hate\tx"), Path::new("m.tsv"))
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("m.tsv: line ") && e.contains("w:hate: favor weight \"x\""),
            "{e}"
        );
        let e = Model::parse("id = 1\n", Path::new("m.tsv"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 1: expected `format"), "{e}");
        let e = Model::parse(
            &good.replace("threshold\t0.5", "threshold\t2"),
            Path::new("m.tsv"),
        )
        .unwrap_err()
        .to_string();
        let line = good
            .lines()
            .position(|l| l.starts_with("threshold"))
            .unwrap()
            + 1;
        assert!(e.contains(&format!("line {line}: threshold \"2\"")), "{e}");
        // Cut short: fewer rows than the header says.
        let cut: String = good
            .lines()
            .take(good.lines().count() - 1)
            .map(|l| format!("{l}\n"))
            .collect();
        let e = Model::parse(&cut, Path::new("m.tsv"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("features 3, but the file has 2 feature rows"),
            "{e}"
        );
        for (edit, want) in [
            (
                good.replace("lexicon\tfalse", "extra\t1"),
                "unknown setting \"extra\"",
            ),
            (
                good.replace("w:hate\t", "bogus:a\t"),
                "a feature is w:<words>",
            ),
            (good.replace("w:hate\t", "w:\t"), "a feature is w:<words>"),
            (String::new(), "the file is empty"),
        ] {
            let e = Model::parse(&edit, Path::new("m.tsv"))
                .unwrap_err()
                .to_string();
            assert!(e.contains(want), "{want}: {e}");
        }
        let dup = good.clone().replace("features\t3", "features\t4") + "w:love\t1\t1\t1\n";
        let e = Model::parse(&dup, Path::new("m.tsv"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("\"w:love\" is given twice"), "{e}");
    }
}
