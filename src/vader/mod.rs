//! VADER sentiment, identical to the Python reference vaderSentiment 3.3.2, with explanations.
//!
//! Takes text, gives `neg`, `neu`, `pos` and `compound` exactly as `polarity_scores()` returns them
//! (rounded as Python's `round` rounds), and on request the valence of each token with the rules that
//! shaped it. The official lexicons (MIT) are embedded in the binary. The scorer sees raw text: any
//! normalisation, such as typographic apostrophes, is the `text` stage's job.

mod engine;
pub mod pystr;
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
    /// `competition +1.500; wonderful +2.700 [boosted]; !! +0.584`: what an analyst reads in a cell.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for t in self
            .tokens
            .iter()
            .filter(|t| t.valence != 0.0 || t.rules.0 != 0)
        {
            if !first {
                f.write_str("; ")?;
            }
            first = false;
            write!(f, "{} {:+.3}", t.token, t.valence)?;
            let names: Vec<_> = t.rules.names().collect();
            if !names.is_empty() {
                write!(f, " [{}]", names.join(","))?;
            }
        }
        if self.punctuation != 0.0 && self.sum != 0.0 {
            if !first {
                f.write_str("; ")?;
            }
            write!(
                f,
                "punctuation {:+.3}",
                self.punctuation * self.sum.signum()
            )?;
        }
        Ok(())
    }
}

/// What one lowercase word is to VADER, found with a single hash lookup.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Entry {
    /// Its lexicon valence.
    pub valence: Option<f64>,
    /// Its booster or dampener scalar.
    pub booster: Option<f64>,
    /// Whether it is in the reference's NEGATE list.
    pub negation: bool,
}

/// The parsed lexicons.
pub struct Lexicons {
    words: FxHashMap<Box<str>, Entry>,
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
        let mut words: FxHashMap<Box<str>, Entry> = FxHashMap::default();
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
            let mut fields = line.trim_matches(pystr::is_space).split('\t');
            let word = fields.next().unwrap_or_default();
            let measure = fields
                .next()
                .ok_or_else(|| err("no tab-separated valence".into()))?;
            let value: f64 = measure
                .parse()
                .map_err(|_| err(format!("valence {measure:?} is not a number")))?;
            words.entry(word.into()).or_default().valence = Some(value);
        }
        for (word, scalar) in rules::BOOSTERS {
            words.entry((*word).into()).or_default().booster = Some(*scalar);
        }
        for word in rules::NEGATE {
            words.entry((*word).into()).or_default().negation = true;
        }
        let mut emojis = FxHashMap::default();
        for (k, line) in emoji.trim_end_matches('\n').split('\n').enumerate() {
            let mut fields = line.trim_matches(pystr::is_space).split('\t');
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
        let pass = engine::with_scratch(|s| engine::score(&self.lex, text, s, Some(&mut tokens)));
        Explanation {
            polarity: pass.polarity,
            sum: pass.sum,
            punctuation: pass.punct,
            tokens,
        }
    }

    /// The lexicon valence of a lowercase word, if it has one.
    pub fn valence_of(&self, lower: &str) -> Option<f64> {
        self.lex.words.get(lower).and_then(|e| e.valence)
    }

    /// The number of lexicon entries.
    pub fn len(&self) -> usize {
        self.lex
            .words
            .values()
            .filter(|e| e.valence.is_some())
            .count()
    }

    /// Whether the lexicon is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests;
