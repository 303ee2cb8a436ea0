//! VADER sentiment, identical to the Python reference vaderSentiment 3.3.2, with explanations.
//!
//! Takes text, gives `neg`, `neu`, `pos` and `compound` exactly as `polarity_scores()` returns them
//! (rounded as Python's `round` rounds), and on request the valence of each token with the rules that
//! shaped it. The official lexicons (MIT) are embedded in the binary. The scorer sees raw text: any
//! normalisation, such as typographic apostrophes, is the `text` stage's job.

mod engine;
pub mod rules;

use rustc_hash::FxHashMap;
use std::fmt;
use std::sync::OnceLock;

/// vader_lexicon.txt as shipped in vaderSentiment 3.3.2.
pub const LEXICON: &str = include_str!("../../data/lexicon/vader_lexicon.txt");
/// emoji_utf8_lexicon.txt as shipped in vaderSentiment 3.3.2.
pub const EMOJI_LEXICON: &str = include_str!("../../data/lexicon/emoji_utf8_lexicon.txt");

/// The four scores of `polarity_scores()`, already rounded as the reference rounds them.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Polarity {
    /// Share of negative valence, 3 decimals.
    pub neg: f64,
    /// Share of neutral tokens, 3 decimals.
    pub neu: f64,
    /// Share of positive valence, 3 decimals.
    pub pos: f64,
    /// Normalised sum of valences in [-1, 1], 4 decimals.
    pub compound: f64,
}

/// One token's part in a score.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenScore {
    /// The token as it appears in the text (after VADER's punctuation stripping).
    pub token: String,
    /// Its position among the text's tokens.
    pub index: usize,
    /// Its valence in the lexicon.
    pub lexicon: f64,
    /// Its valence after every rule: what it adds to the sum.
    pub valence: f64,
    /// The rules that changed it.
    pub rules: Rule,
}

/// A set of VADER rules that changed a token's valence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Rule(u16);

impl Rule {
    /// Negated by a preceding negation word, "no" or "least".
    pub const NEGATED: u16 = 1;
    /// Raised or lowered by a booster or dampener within three words.
    pub const BOOSTED: u16 = 2;
    /// In ALL CAPS among mixed-case words.
    pub const CAPS: u16 = 4;
    /// Halved: it stands before "but".
    pub const BEFORE_BUT: u16 = 8;
    /// Times 1.5: it stands after "but".
    pub const AFTER_BUT: u16 = 16;
    /// Replaced by an idiom's valence ("the bomb", "kiss of death").
    pub const IDIOM: u16 = 32;
    /// "never so"/"this" emphasis, times 1.25.
    pub const NEVER_SO: u16 = 64;
    /// "no" before a lexicon word: it negates that word instead of scoring itself.
    pub const NO_NEGATOR: u16 = 128;

    const NAMES: [(u16, &'static str); 8] = [
        (Self::NEGATED, "negated"),
        (Self::BOOSTED, "boosted"),
        (Self::CAPS, "caps"),
        (Self::BEFORE_BUT, "before-but"),
        (Self::AFTER_BUT, "after-but"),
        (Self::IDIOM, "idiom"),
        (Self::NEVER_SO, "so/this"),
        (Self::NO_NEGATOR, "no-negator"),
    ];

    fn from_bits(bits: u16) -> Self {
        Rule(bits)
    }

    /// Whether `flag` (one of the constants) is set.
    pub fn has(self, flag: u16) -> bool {
        self.0 & flag != 0
    }

    /// The names of the rules that are set, in a fixed order.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        Self::NAMES
            .into_iter()
            .filter(move |(f, _)| self.has(*f))
            .map(|(_, n)| n)
    }
}

/// A score with its reasons.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// The scores, identical to [`Vader::polarity_scores`].
    pub polarity: Polarity,
    /// The sum of token valences before punctuation emphasis.
    pub sum: f64,
    /// The emphasis added by "!" and "?".
    pub punctuation: f64,
    /// Every token that carries or was given a valence, in text order.
    pub tokens: Vec<TokenScore>,
}

impl fmt::Display for Explanation {
    /// `competition +1.500; wonderful +2.700 [boosted]; !! +0.584`: what an analyst reads in a cell
    /// ([`Vader::explain_line`] writes the same without the tokens).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut line = Line::default();
        for t in &self.tokens {
            line.token(&t.token, t.valence, t.rules);
        }
        f.write_str(&line.finish(self.punctuation, self.sum))
    }
}

/// An explanation's text, token by token: one definition for [`Explanation`]'s `Display` and
/// [`Vader::explain_line`].
#[derive(Default)]
struct Line {
    out: String,
}

impl Line {
    /// Adds a token that carries a valence (one whose valence is 0 and no rule touched is left out).
    fn token(&mut self, token: &str, valence: f64, rules: Rule) {
        if valence == 0.0 && rules.0 == 0 {
            return;
        }
        if !self.out.is_empty() {
            self.out.push_str("; ");
        }
        self.out.push_str(token);
        self.out.push(' ');
        crate::fixed::push_signed(&mut self.out, valence, 3);
        let mut named = false;
        for name in rules.names() {
            self.out.push_str(if named { "," } else { " [" });
            self.out.push_str(name);
            named = true;
        }
        if named {
            self.out.push(']');
        }
    }

    /// Adds the punctuation emphasis, signed as the sum it was added to, and gives the text.
    fn finish(mut self, punctuation: f64, sum: f64) -> String {
        if punctuation != 0.0 && sum != 0.0 {
            if !self.out.is_empty() {
                self.out.push_str("; ");
            }
            self.out.push_str("punctuation ");
            crate::fixed::push_signed(&mut self.out, punctuation * sum.signum(), 3);
        }
        self.out
    }
}

/// What one lowercase word is to VADER, found with a single hash lookup. Six bytes, so that the tables
/// stay small enough for the cache.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Entry {
    /// 1 + the index of its lexicon valence in [`WordMap`]'s list of distinct valences; 0 when it has none.
    valence: u16,
    /// +1 for a booster, -1 for a dampener, 0 otherwise.
    booster: i8,
    /// Whether it is in the reference's NEGATE list.
    pub negation: bool,
    /// Its code if the rules test it by name (`rules::word`).
    pub code: u8,
    /// Whether it is part of an idiom or a two-word booster.
    pub idiom: bool,
}

/// Lowercase words to entries. Words of up to 15 bytes, nearly all, are packed with their length into two
/// integers, so a lookup hashes and compares integers and never follows a pointer; this is the hot lookup
/// of the scorer. Slots are 24 bytes.
#[derive(Default)]
pub(crate) struct WordMap {
    /// Words of up to 15 bytes while the lexicons are read; emptied into `table` by `freeze`.
    short: FxHashMap<(u64, u64), Entry>,
    /// The short words, frozen for lookups.
    table: Cuckoo,
    long: FxHashMap<Box<str>, Entry>,
    /// The distinct valences, as parsed.
    valences: Vec<f64>,
}

impl WordMap {
    /// `word`'s bytes little-endian in the low 15 bytes, its length in the top byte; `None` past 15 bytes.
    /// Built from overlapping fixed-width loads: copying a variable length into a buffer and reading it
    /// back stalls on store forwarding, and this is the hottest line of the scorer.
    #[inline]
    fn pack(word: &str) -> Option<(u64, u64)> {
        let b = word.as_bytes();
        let n = b.len();
        let u64_at = |k: usize| u64::from_le_bytes(b[k..k + 8].try_into().unwrap_or_default());
        let u32_at = |k: usize| {
            u64::from(u32::from_le_bytes(
                b[k..k + 4].try_into().unwrap_or_default(),
            ))
        };
        let (lo, hi) = match n {
            16.. => return None,
            9..=15 => (u64_at(0), u64_at(n - 8) >> (8 * (16 - n))),
            8 => (u64_at(0), 0),
            4..=7 => (u32_at(0) | ((u32_at(n - 4) >> (8 * (8 - n))) << 32), 0),
            _ => (
                b.iter()
                    .enumerate()
                    .fold(0u64, |v, (k, &x)| v | u64::from(x) << (8 * k)),
                0,
            ),
        };
        Some((lo, hi | (n as u64) << 56))
    }

    /// The entry of `word`, if it has one.
    #[inline]
    pub fn get(&self, word: &str) -> Option<&Entry> {
        match Self::pack(word) {
            Some(k) => self.table.get(k),
            None => self.long.get(word),
        }
    }

    /// The entry of an ASCII `word` with capitals, looked up in lowercase. Words of up to 15 bytes are
    /// lowered inside their packed key; longer ones in `buf`.
    #[inline]
    pub fn get_ascii_lowered(&self, word: &str, buf: &mut String) -> Option<&Entry> {
        match Self::pack(word) {
            Some((lo, hi)) => self.table.get((ascii_lower(lo), ascii_lower(hi))),
            None => {
                buf.clear();
                buf.push_str(word);
                buf.make_ascii_lowercase();
                self.long.get(buf.as_str())
            }
        }
    }

    /// Builds the lookup table; call once all entries are in.
    fn freeze(&mut self) {
        // The table holds every entry from now on; the map only served to build it.
        self.table = Cuckoo::build(&std::mem::take(&mut self.short));
    }

    /// The lexicon valence of an entry.
    #[inline]
    pub fn valence(&self, e: &Entry) -> Option<f64> {
        e.valence
            .checked_sub(1)
            .map(|k| self.valences[usize::from(k)])
    }

    fn entry(&mut self, word: &str) -> &mut Entry {
        match Self::pack(word) {
            Some(k) => self.short.entry(k).or_default(),
            None => self.long.entry(word.into()).or_default(),
        }
    }

    /// Sets `word`'s valence; `None` when there are too many distinct valences to index.
    fn set_valence(&mut self, word: &str, value: f64) -> Option<()> {
        let k = match self
            .valences
            .iter()
            .position(|v| v.to_bits() == value.to_bits())
        {
            Some(k) => k,
            None => {
                self.valences.push(value);
                self.valences.len() - 1
            }
        };
        self.entry(word).valence = u16::try_from(k + 1).ok()?;
        Some(())
    }

    fn values(&self) -> impl Iterator<Item = &Entry> {
        let filled = self.table.slots.iter().filter(|s| s.key != (0, 0));
        filled.map(|s| &s.entry).chain(self.long.values())
    }
}

/// Lowercases the ASCII capitals among the bytes of `x` (all below 128): a capital gets its 0x20 bit. The
/// per-byte range test is bit-twiddling hacks' exact `hasbetween`: no carry or borrow crosses bytes.
#[inline]
fn ascii_lower(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let low7 = x & (ONES * 127);
    let capitals = (ONES * (127 + u64::from(b'Z' + 1))).wrapping_sub(low7)
        & !x
        & (low7 + ONES * (127 - u64::from(b'A' - 1)))
        & (ONES * 0x80);
    x | capitals >> 2
}

/// A cuckoo hash table of packed words: each key sits in one of two slots, so a lookup loads both and
/// picks without a data-dependent branch or probe loop. Empty slots hold the key `(0, 0)`, which no word
/// packs to (the length byte of a non-empty word is not zero).
#[derive(Default)]
struct Cuckoo {
    slots: Vec<Slot>,
    shift: u32,
    seed: u64,
}

#[derive(Clone, Copy, Default)]
struct Slot {
    key: (u64, u64),
    entry: Entry,
}

impl Cuckoo {
    #[inline]
    fn hashes(&self, (lo, hi): (u64, u64)) -> (usize, usize) {
        let x = (lo ^ self.seed).wrapping_mul(0x9E37_79B9_7F4A_7C15)
            ^ hi.wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
        let m = |h: u64| (h >> self.shift) as usize;
        (m(x), m((x ^ x >> 31).wrapping_mul(0x27D4_EB2F_1656_67C5)))
    }

    #[inline]
    fn get(&self, key: (u64, u64)) -> Option<&Entry> {
        if self.slots.is_empty() {
            return None;
        }
        let (a, b) = self.hashes(key);
        let (sa, sb) = (&self.slots[a], &self.slots[b]);
        let s = if sa.key == key { sa } else { sb };
        (s.key == key).then_some(&s.entry)
    }

    fn build(map: &FxHashMap<(u64, u64), Entry>) -> Cuckoo {
        let mut bits = (map.len().max(1) * 2)
            .next_power_of_two()
            .trailing_zeros()
            .max(4);
        let mut seed = 0x5EED_u64;
        for attempt in 1.. {
            let mut t = Cuckoo {
                slots: vec![Slot::default(); 1 << bits],
                shift: 64 - bits,
                seed,
            };
            // No word packs to (0, 0), the empty-slot key; it could only come from an empty word.
            let mut entries = map.iter().filter(|(k, _)| **k != (0, 0));
            if entries.all(|(&k, &e)| t.insert(Slot { key: k, entry: e })) {
                return t;
            }
            seed = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(1);
            // Under half full, a few seeds suffice; growing the table after every fourth failure ends
            // the loop even for adversarial keys.
            if attempt % 4 == 0 {
                bits += 1;
            }
        }
        unreachable!("the table grows until every key fits")
    }

    /// Inserts by eviction; false when it cycles (the caller rebuilds with another seed).
    fn insert(&mut self, mut s: Slot) -> bool {
        let (mut at, _) = self.hashes(s.key);
        for _ in 0..500 {
            std::mem::swap(&mut self.slots[at], &mut s);
            if s.key == (0, 0) {
                return true;
            }
            let (a, b) = self.hashes(s.key);
            at = if at == a { b } else { a };
        }
        false
    }
}

/// The parsed lexicons.
pub struct Lexicons {
    words: WordMap,
    emoji: FxHashMap<char, Box<str>>,
}

/// A lexicon file that does not parse, with the line that failed.
#[derive(Debug, thiserror::Error)]
#[error("{file}, line {line}: {reason}")]
pub struct LexiconError {
    /// Which lexicon.
    pub file: &'static str,
    /// 1-based line number.
    pub line: usize,
    /// What is wrong with it.
    pub reason: String,
}

/// A VADER scorer. Cheap to share between threads; [`Vader::embedded`] gives the official one.
pub struct Vader {
    lex: Lexicons,
}

impl Vader {
    /// The scorer with the official lexicons, parsed once per process.
    pub fn embedded() -> &'static Vader {
        static V: OnceLock<Vader> = OnceLock::new();
        V.get_or_init(|| {
            Vader::from_lexicons(LEXICON, EMOJI_LEXICON)
                .expect("the embedded lexicons parse (tested)")
        })
    }

    /// A scorer with custom lexicons in the reference's file formats.
    pub fn from_lexicons(lexicon: &str, emoji: &str) -> Result<Vader, LexiconError> {
        let mut words = WordMap::default();
        // `make_lex_dict`: `rstrip('\n').split('\n')`, skip empty lines, `strip().split('\t')[0:2]`.
        for (k, line) in lexicon.trim_end_matches('\n').split('\n').enumerate() {
            if line.is_empty() {
                continue;
            }
            let err = |reason: String| LexiconError {
                file: "lexicon",
                line: k + 1,
                reason,
            };
            let mut fields = line.trim_matches(crate::pystr::is_space).split('\t');
            let word = fields.next().unwrap_or_default();
            let measure = fields
                .next()
                .ok_or_else(|| err("no tab-separated valence".into()))?;
            let value: f64 = measure
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite())
                .ok_or_else(|| err(format!("valence {measure:?} is not a number")))?;
            words.set_valence(word, value).ok_or_else(|| {
                err(
                    "more than 65,535 distinct valences; the lexicon indexes them in 16 bits"
                        .into(),
                )
            })?;
        }
        for (word, scalar) in rules::BOOSTERS {
            words.entry(word).booster = if *scalar > 0.0 { 1 } else { -1 };
        }
        for word in rules::NEGATE {
            words.entry(word).negation = true;
        }
        for (word, code) in rules::word::CODED {
            words.entry(word).code = *code;
        }
        for word in rules::IDIOM_WORDS {
            words.entry(word).idiom = true;
        }
        let mut emojis = FxHashMap::default();
        for (k, line) in emoji.trim_end_matches('\n').split('\n').enumerate() {
            let mut fields = line.trim_matches(crate::pystr::is_space).split('\t');
            let key = fields.next().unwrap_or_default();
            let desc = fields.next().ok_or_else(|| LexiconError {
                file: "emoji lexicon",
                line: k + 1,
                reason: "no tab-separated description".into(),
            })?;
            // The reference replaces character by character, so only one-character keys ever match.
            let mut chars = key.chars();
            if let (Some(c), None) = (chars.next(), chars.next()) {
                emojis.insert(c, desc.into());
            }
        }
        words.freeze();
        Ok(Vader {
            lex: Lexicons {
                words,
                emoji: emojis,
            },
        })
    }

    /// `polarity_scores(text)` of the reference.
    pub fn polarity_scores(&self, text: &str) -> Polarity {
        engine::with_scratch(|s| engine::score(&self.lex, text, s, None).polarity)
    }

    /// The scores with the valence of every token and the rules that shaped it.
    pub fn explain(&self, text: &str) -> Explanation {
        let mut tokens = Vec::new();
        let pass = engine::with_scratch(|s| {
            engine::score(
                &self.lex,
                text,
                s,
                Some(&mut |token: &str, (index, lexicon), valence, rules| {
                    tokens.push(TokenScore {
                        token: token.to_string(),
                        index,
                        lexicon,
                        valence,
                        rules,
                    });
                }),
            )
        });
        Explanation {
            polarity: pass.polarity,
            sum: pass.sum,
            punctuation: pass.punct,
            tokens,
        }
    }

    /// The scores and `explain(text).to_string()`, written without a string per token: what a run
    /// writes for every unit.
    pub fn explain_line(&self, text: &str) -> (Polarity, String) {
        let mut line = Line::default();
        let pass = engine::with_scratch(|s| {
            engine::score(
                &self.lex,
                text,
                s,
                Some(&mut |token: &str, _, valence: f64, rules: Rule| {
                    line.token(token, valence, rules);
                }),
            )
        });
        (pass.polarity, line.finish(pass.punct, pass.sum))
    }

    /// The lexicon valence of a lowercase word, if it has one.
    pub fn valence_of(&self, lower: &str) -> Option<f64> {
        let w = &self.lex.words;
        w.get(lower).and_then(|e| w.valence(e))
    }

    /// The number of lexicon entries.
    pub fn len(&self) -> usize {
        self.lex.words.values().filter(|e| e.valence != 0).count()
    }

    /// Whether the lexicon is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests;
