//! The phrase matcher that stance cues, scope terms and entity aliases share: patterns of words (exact,
//! prefix `spy*`, or any one word `*`) matched against the word tokens of [`super::tokens`], within one
//! sentence, with an index by first word so that only the patterns that can start at a word are tried.

use super::tokens::Tok;

/// Why a phrase is not a pattern.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct PatternError(String);

/// One word of a pattern.
#[derive(Debug, Clone, PartialEq)]
pub enum Word {
    /// This exact lowercase word.
    Exact(String),
    /// Any word that starts with this.
    Prefix(String),
    /// Any one word.
    Any,
}

impl Word {
    /// Whether `w` (lowercase) matches.
    pub fn matches(&self, w: &str) -> bool {
        match self {
            Word::Exact(x) => x == w,
            Word::Prefix(p) => w.starts_with(p.as_str()),
            Word::Any => true,
        }
    }
}

/// A compiled phrase pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    /// Its words in order.
    pub words: Vec<Word>,
    /// The phrase as written.
    pub text: String,
}

impl Pattern {
    /// Compiles `s`; the same word rules as cues. Contractions are expanded as the text's are.
    pub fn compile(s: &str) -> Result<Pattern, PatternError> {
        let text = s.trim().to_string();
        if text.is_empty() {
            return Err(PatternError("an empty phrase".into()));
        }
        let mut words = Vec::new();
        for raw in text.split_whitespace() {
            let w = raw.to_lowercase();
            if w == "*" {
                words.push(Word::Any);
            } else if let Some(p) = w.strip_suffix('*') {
                if p.contains('*') || p.is_empty() {
                    return Err(PatternError(format!(
                        "{raw:?}: a wildcard is a lone * or one * at the end of a word"
                    )));
                }
                words.push(Word::Prefix(p.to_string()));
            } else if w.contains('*') {
                return Err(PatternError(format!(
                    "{raw:?}: a wildcard is a lone * or one * at the end of a word"
                )));
            } else {
                for t in super::tokens::tokenize(&w) {
                    words.push(Word::Exact(t.word.into_owned()));
                }
            }
        }
        if words.iter().all(|w| *w == Word::Any) {
            return Err(PatternError(format!(
                "{text:?} matches every word; give at least one real word"
            )));
        }
        Ok(Pattern { words, text })
    }

    /// How many exact words it has: the more, the more specific.
    pub fn specificity(&self) -> usize {
        self.words
            .iter()
            .filter(|w| matches!(w, Word::Exact(_)))
            .count()
    }
}

/// Patterns indexed by their first word, so that matching tries at each word only the patterns that can
/// start there: a target has hundreds of cues, and trying each at every word dominated scoring. The keys
/// come from the target and entity files, so FxHash (a fifth of scoring's time went to SipHash) is safe:
/// text words only look up, and cannot make the table's chains long.
#[derive(Debug, Clone, Default)]
pub struct FirstWordIndex {
    exact: rustc_hash::FxHashMap<String, Vec<usize>>,
    /// Patterns whose first word is a prefix (`spy*`), by the prefix's first byte: a target's two dozen
    /// of them were tried at every word.
    /// Indexed by the byte (256 lists, or none when there are no prefixes): an index in place of a
    /// hash lookup per word took the cues from 4.4 to 4.0 µs per comment (a loop over 100 k generated
    /// comments, least of seven).
    prefix: Vec<Vec<usize>>,
    /// Patterns whose first word is `*`.
    other: Vec<usize>,
    /// `exact` by the word's id in a [`Vocab`], once [`FirstWordIndex::with_ids`] has been called: a
    /// target's several indexes then share one hash lookup per word.
    by_id: Vec<Vec<usize>>,
}

/// Ids for the first words of several [`FirstWordIndex`]es, so that a word is hashed once for all of
/// them (a target looks each word up in its cues, scope terms, topic terms, negators, dismissals and
/// event words).
#[derive(Debug, Clone, Default)]
pub struct Vocab(rustc_hash::FxHashMap<String, u32>, u64);

/// Vocabularies made so far, for [`Vocab::uid`].
static VOCABS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

impl Vocab {
    /// The vocabulary of the exact first words of `indexes`.
    pub fn new<'a>(indexes: impl Iterator<Item = &'a FirstWordIndex>) -> Vocab {
        let mut v = rustc_hash::FxHashMap::default();
        for ix in indexes {
            for w in ix.exact.keys() {
                let n = v.len() as u32;
                v.entry(w.clone()).or_insert(n);
            }
        }
        Vocab(v, VOCABS.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
    }

    /// The id of every token's word (`None` for words no index starts with).
    pub fn ids(&self, toks: &[Tok]) -> Vec<Option<u32>> {
        toks.iter().map(|t| self.get(&t.word)).collect()
    }

    /// The id of a word.
    pub fn get(&self, word: &str) -> Option<u32> {
        self.0.get(word).copied()
    }

    /// Tells vocabularies apart (0 for the empty one of `Vocab::default`): a cache of word ids may be
    /// kept per vocabulary (see `stance::linear`). Copies share it, as they share the words.
    pub fn uid(&self) -> u64 {
        self.1
    }

    /// How many words.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FirstWordIndex {
    /// Indexes patterns by position in `patterns`.
    pub fn new<'a>(patterns: impl Iterator<Item = &'a Pattern>) -> Self {
        let mut ix = FirstWordIndex::default();
        for (k, p) in patterns.enumerate() {
            match p.words.first() {
                Some(Word::Exact(w)) => ix.exact.entry(w.clone()).or_default().push(k),
                // A prefix is never empty (`compile` refuses a lone `*` with letters before it).
                Some(Word::Prefix(w)) if !w.is_empty() => {
                    if ix.prefix.is_empty() {
                        ix.prefix = vec![Vec::new(); 256];
                    }
                    ix.prefix[usize::from(w.as_bytes()[0])].push(k);
                }
                _ => ix.other.push(k),
            }
        }
        ix
    }

    /// Also indexes the exact first words by their id in `vocab`, which must hold them all (made from
    /// this index among others), for [`FirstWordIndex::lists`].
    #[must_use]
    pub fn with_ids(mut self, vocab: &Vocab) -> Self {
        let mut by_id = vec![Vec::new(); vocab.len()];
        for (w, list) in &self.exact {
            if let Some(id) = vocab.get(w) {
                by_id[id as usize].clone_from(list);
            }
        }
        self.by_id = by_id;
        self
    }

    /// The patterns that may start at a word whose id in the index's vocabulary is `id`, as three lists
    /// (its first word's, the prefixes' that can start `word`, the wildcards'), each empty when none:
    /// looping over them costs no iterator state, which callers that try several indexes at every word
    /// of a text would otherwise build and move per word.
    #[inline]
    pub fn lists(&self, id: Option<u32>, word: &str) -> [&[usize]; 3] {
        let exact: &[usize] = match id {
            Some(id) => self.by_id.get(id as usize).map_or(&[], Vec::as_slice),
            None => &[],
        };
        [exact, self.prefix_list(word), &self.other]
    }

    /// The prefix patterns that can start `word`. Most indexes have none (entity aliases never do): no
    /// lookup then.
    #[inline]
    fn prefix_list(&self, word: &str) -> &[usize] {
        match word.as_bytes().first() {
            Some(&b) if !self.prefix.is_empty() => &self.prefix[usize::from(b)],
            _ => &[],
        }
    }

    /// The patterns that may start at a word: those of its first word, then prefixes, then wildcards.
    pub fn candidates(&self, word: &str) -> impl Iterator<Item = usize> + '_ {
        let exact = self.exact.get(word).map_or(&[][..], Vec::as_slice);
        exact
            .iter()
            .chain(self.prefix_list(word))
            .chain(&self.other)
            .copied()
    }
}

/// The end of a match of `pattern` starting at token `s`, within one sentence.
pub fn match_at(pattern: &Pattern, toks: &[Tok], s: usize) -> Option<usize> {
    let end = s + pattern.words.len();
    let window = toks.get(s..end)?;
    (window.first()?.sentence == window.last()?.sentence
        && pattern
            .words
            .iter()
            .zip(window)
            .all(|(w, t)| w.matches(&t.word)))
    .then_some(end)
}

/// Where a pattern matches, within one sentence each: token ranges `[start, end)`.
pub fn find_all<'a>(
    pattern: &'a Pattern,
    toks: &'a [Tok],
) -> impl Iterator<Item = (usize, usize)> + 'a {
    let n = pattern.words.len();
    (0..toks.len()).filter_map(move |s| {
        let end = s + n;
        let window = toks.get(s..end)?;
        let same_sentence = window.first()?.sentence == window.last()?.sentence;
        (same_sentence
            && pattern
                .words
                .iter()
                .zip(window)
                .all(|(w, t)| w.matches(&t.word)))
        .then_some((s, end))
    })
}
