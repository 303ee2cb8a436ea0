//! Word tokens for cue matching: lowercase, contractions expanded, with sentence and clause numbers.
//!
//! Takes text, gives tokens whose byte ranges point back into it, so that a cue hit can quote the text.

use std::borrow::Cow;

/// One word of the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Tok<'a> {
    /// Lowercase word; contractions are split (`don't` gives `do` and `not`, both with the same range).
    /// Borrowed from the text when it is written in lowercase, as most words are: no allocation per word.
    pub word: Cow<'a, str>,
    /// Byte range in the text.
    pub start: usize,
    /// End of the byte range.
    pub end: usize,
    /// Sentence number, from 0.
    pub sentence: u32,
    /// Clause number, from 0, counted across the whole text.
    pub clause: u32,
}

impl Tok<'_> {
    /// Whether the word is one of `words` (a target's negators, an entity's context words): `contains`
    /// for a word that may be borrowed from the text.
    pub fn is_one_of(&self, words: &[String]) -> bool {
        words.iter().any(|w| *w == *self.word)
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '\'' | '’' | '&' | '-' | '$')
}

/// Splits `text` into tokens, with its sentences found by [`super::sentences`] (UAX #29): the one
/// sentence segmentation that every output's `sentence` column refers to.
pub fn tokenize(text: &str) -> Vec<Tok<'_>> {
    tokenize_sentences(text, &super::sentences(text), |_| false)
}

/// Splits the sentences of `text` (byte ranges, as [`super::sentences`] gives them) into tokens; a token's
/// `sentence` is its sentence's index in `sentences`. Sentences for which `skip` is true (quotes left out
/// of scoring) give no tokens but keep their number, so that the numbering stays that of the whole text.
/// Clauses end at `, ; : ( ) –` and dashes, and at every sentence end.
pub fn tokenize_sentences<'a>(
    text: &'a str,
    sentences: &[(usize, usize)],
    skip: impl Fn(usize) -> bool,
) -> Vec<Tok<'a>> {
    let mut out = Vec::new();
    let mut clause = 0u32;
    for (k, &(a, b)) in sentences.iter().enumerate() {
        if skip(k) {
            continue;
        }
        // A new sentence is a new clause.
        if out.last().is_some_and(|t: &Tok| t.clause == clause) {
            clause += 1;
        }
        words(&text[a..b], a, k as u32, &mut clause, &mut out);
    }
    out
}

/// The words of one sentence `text` (at byte `offset` of the whole text), appended to `out`.
fn words<'a>(
    text: &'a str,
    offset: usize,
    sentence: u32,
    clause: &mut u32,
    out: &mut Vec<Tok<'a>>,
) {
    let first = out.len();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if is_word_char(c) && !(c == '-' && chars.peek().is_some_and(|(_, n)| n.is_whitespace())) {
            let mut end = i + c.len_utf8();
            while let Some(&(j, n)) = chars.peek() {
                // A dot between letters or digits stays in the word: "U.S", "e.g", "3.5".
                let inner_dot = n == '.'
                    && text[j + 1..].starts_with(char::is_alphanumeric)
                    && text[..j].ends_with(char::is_alphanumeric);
                if !is_word_char(n) && !inner_dot {
                    break;
                }
                end = j + n.len_utf8();
                chars.next();
            }
            let edge = |c| matches!(c, '\'' | '’' | '-');
            let raw = text[i..end].trim_matches(edge);
            if raw.is_empty() {
                continue;
            }
            // Where `raw` starts: after the edge characters trimmed off the front (no substring search).
            let start = end - text[i..end].trim_start_matches(edge).len();
            let tok = |word: Cow<'a, str>| Tok {
                word,
                start: offset + start,
                end: offset + start + raw.len(),
                sentence,
                clause: *clause,
            };
            // Only a contraction or a possessive (which need an apostrophe, or are one of the
            // apostrophe-less forms) is expanded.
            let lower = lowercase(raw);
            if lower.contains('\'') || CONTRACTED.contains(&&*lower) {
                out.extend(expand(&lower).into_iter().map(|w| tok(Cow::Owned(w))));
            } else {
                out.push(tok(lower));
            }
        } else if (matches!(c, ',' | ';' | ':' | '(' | ')' | '–' | '—' | '"' | '“' | '”')
            || c == '-')
            && out.len() > first
            && out.last().is_some_and(|t: &Tok| t.clause == *clause)
        {
            *clause += 1;
        }
    }
}

/// The contractions written without an apostrophe that [`expand`] splits.
const CONTRACTED: [&str; 14] = [
    "cant", "cannot", "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "wouldnt",
    "shouldnt", "couldnt", "havent", "hasnt",
];

/// `raw` in lowercase with the typographic apostrophe as `'`: what `to_lowercase` then `replace` gave,
/// in one allocation for an ASCII word or one without `’` (a final Σ still lowercases to ς).
fn lowercase(raw: &str) -> Cow<'_, str> {
    if raw.is_ascii() {
        if raw.bytes().any(|b| b.is_ascii_uppercase()) {
            return Cow::Owned(raw.to_ascii_lowercase());
        }
        return Cow::Borrowed(raw);
    }
    let lower = raw.to_lowercase();
    if lower.contains('’') {
        Cow::Owned(lower.replace('’', "'"))
    } else if lower == raw {
        Cow::Borrowed(raw)
    } else {
        Cow::Owned(lower)
    }
}

/// Expands a contraction into words; anything else is one word.
fn expand(w: &str) -> Vec<String> {
    let words: &[&str] = match w {
        "can't" | "cant" | "cannot" => &["can", "not"],
        "won't" => &["will", "not"],
        "shan't" => &["shall", "not"],
        "ain't" => &["is", "not"],
        "dont" => &["do", "not"],
        "doesnt" => &["does", "not"],
        "didnt" => &["did", "not"],
        "isnt" => &["is", "not"],
        "arent" => &["are", "not"],
        "wasnt" => &["was", "not"],
        "werent" => &["were", "not"],
        "wouldnt" => &["would", "not"],
        "shouldnt" => &["should", "not"],
        "couldnt" => &["could", "not"],
        "havent" => &["have", "not"],
        "hasnt" => &["has", "not"],
        "let's" => &["let", "us"],
        "it's" => &["it", "is"],
        "that's" => &["that", "is"],
        "there's" => &["there", "is"],
        "what's" => &["what", "is"],
        "here's" => &["here", "is"],
        "he's" => &["he", "is"],
        "she's" => &["she", "is"],
        _ => {
            for (suffix, full) in [
                ("n't", "not"),
                ("'d", "would"),
                ("'m", "am"),
                ("'re", "are"),
                ("'ve", "have"),
                ("'ll", "will"),
            ] {
                if let Some(stem) = w.strip_suffix(suffix).filter(|s| !s.is_empty()) {
                    return vec![stem.to_string(), full.to_string()];
                }
            }
            // A possessive is the noun: "Xiaomi's devices" is about Xiaomi.
            return vec![
                w.strip_suffix("'s")
                    .filter(|s| !s.is_empty())
                    .unwrap_or(w)
                    .to_string(),
            ];
        }
    };
    words.iter().map(std::string::ToString::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        tokenize(s)
            .into_iter()
            .map(|t| t.word.into_owned())
            .collect()
    }

    #[test]
    fn contractions_split_and_possessives_drop() {
        assert_eq!(
            words("I'd never trust Xiaomi's phones, don’t."),
            [
                "i", "would", "never", "trust", "xiaomi", "phones", "do", "not"
            ]
        );
        assert_eq!(
            words("AT&T and T-Mobile - $400"),
            ["at&t", "and", "t-mobile", "$400"]
        );
    }

    #[test]
    fn sentences_and_clauses() {
        let t = tokenize("Good phones, but no. The U.S. market!");
        let sc: Vec<(u32, u32)> = t.iter().map(|t| (t.sentence, t.clause)).collect();
        assert_eq!(
            sc,
            [(0, 0), (0, 0), (0, 1), (0, 1), (1, 2), (1, 2), (1, 2)],
            "no sentence break after U.S."
        );
        assert_eq!(t[5].word, "u.s");
    }

    #[test]
    fn lowercase_is_what_to_lowercase_and_replace_give() {
        for s in [
            "Don’t",
            "İstanbul",
            "ΣΟΦΙΑΣ",
            "ΣΟΦΙΑ’S",
            "ABC",
            "Straße",
            "ǅ",
        ] {
            assert_eq!(lowercase(s), s.to_lowercase().replace('’', "'"), "{s}");
        }
        // Every apostrophe-less contraction that expand splits is in CONTRACTED.
        for w in [
            "cant", "cannot", "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent",
            "wouldnt", "shouldnt", "couldnt", "havent", "hasnt",
        ] {
            assert!(expand(w).len() == 2 && CONTRACTED.contains(&w), "{w}");
        }
    }

    #[test]
    fn ranges_point_into_the_text() {
        let s = "“Don’t” go";
        let t = tokenize(s);
        assert_eq!(&s[t[0].start..t[0].end], "Don’t");
        assert_eq!(&s[t[2].start..t[2].end], "go");
    }
}
