//! The text stage: units in, prepared units out, with the text the scorers will see.
//!
//! Normalisation (on by default, off with `--raw`) fixes what makes VADER misread web text:
//! - typographic apostrophes and quotes become ASCII (`don’t` → `don't`; the reference scores
//!   "I don’t trust them" +0.51 but "I don't trust them" −0.40, vaderSentiment issue #66), and `…` becomes `...`;
//! - HTML entities are decoded (`&amp;` → `&`, `&#39;` → `'`);
//! - zero-width characters (U+200B, U+200C, U+200D, U+2060, U+FEFF) are removed;
//! - non-breaking and other Unicode spaces (U+00A0, U+2000–U+200A, U+202F, U+205F, U+3000) become ASCII
//!   spaces (VADER already splits on them; this keeps the CSV text plain).
//!
//! Sentences are found with Unicode text segmentation (UAX #29), which keeps "U.S. senators" whole.
//!
//! Quotes: a comment sentence on a line that opens with `>` (the quoting of Reddit, Hacker News and mail),
//! and one of four words or more that repeats a passage of its article or of its parent comment, is marked
//! as a quote. By default quotes are left out of the comment's sentiment and stance, and
//! their text stays in the output.

pub mod phrase;
pub mod sentence_breaks;
pub mod tokens;

use crate::ingest::threads::{ThreadIndex, Threads};
use crate::model::{Prepared, Unit};
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::HashMap;
use unicode_segmentation::UnicodeSegmentation;

/// Whether a character is one the normaliser rewrites or removes.
fn needs_work(c: char) -> bool {
    matches!(
        c,
        '&' | '‘'
            | '’'
            | '‚'
            | '‛'
            | '′'
            | '“'
            | '”'
            | '„'
            | '‟'
            | '″'
            | '…'
            | '\u{200B}'
            | '\u{200C}'
            | '\u{200D}'
            | '\u{2060}'
            | '\u{FEFF}'
    ) || is_unicode_space(c)
}

/// Non-breaking and other Unicode spaces, which become ASCII spaces.
fn is_unicode_space(c: char) -> bool {
    matches!(
        c,
        '\u{A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}'
    )
}

/// Normalises `s` as described in the module docs; borrows when there is nothing to do.
pub fn normalize(s: &str) -> Cow<'_, str> {
    if !s.contains(needs_work) {
        return Cow::Borrowed(s);
    }
    let decoded = html_escape::decode_html_entities(s);
    let mut out = String::with_capacity(decoded.len());
    for c in decoded.chars() {
        match c {
            '‘' | '’' | '‚' | '‛' | '′' => out.push('\''),
            '“' | '”' | '„' | '‟' | '″' => out.push('"'),
            '…' => out.push_str("..."),
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => {}
            c if is_unicode_space(c) => out.push(' '),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Whether XML 1.0 allows `c` in a document: tab, newline, carriage return and everything from U+0020
/// on, except U+FFFE and U+FFFF.
fn xml_allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
}

/// `s` with every character that XML 1.0 forbids (NUL, ESC and the other C0 controls but tab, newline and
/// carriage return; U+FFFE; U+FFFF) replaced by U+FFFD, so that corpus text can go into SVG and HTML and
/// the document stays well-formed. Borrows when there is nothing to replace.
pub fn xml_safe(s: &str) -> Cow<'_, str> {
    if s.chars().all(xml_allowed) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| if xml_allowed(c) { c } else { '\u{FFFD}' })
            .collect(),
    )
}

/// Byte ranges of the sentences of `s`, trimmed, without empty ones.
pub fn sentences(s: &str) -> Vec<(usize, usize)> {
    if s.is_ascii() {
        // The same boundaries as below, found over bytes (see sentence_breaks).
        let breaks = sentence_breaks::ascii_breaks(s.as_bytes());
        return breaks
            .windows(2)
            .filter_map(|w| {
                let sent = &s[w[0]..w[1]];
                let lead = sent.len() - sent.trim_start().len();
                let t = sent.trim();
                (!t.is_empty()).then(|| (w[0] + lead, w[0] + lead + t.len()))
            })
            .collect();
    }
    s.split_sentence_bound_indices()
        .filter_map(|(at, sent)| {
            let lead = sent.len() - sent.trim_start().len();
            let t = sent.trim();
            (!t.is_empty()).then(|| (at + lead, at + lead + t.len()))
        })
        .collect()
}

/// Prepares one unit: normalises its text unless `raw`, and finds its sentences.
pub fn prepare(unit: Unit, raw: bool) -> Prepared {
    prepare_with(unit, raw, true)
}

/// Prepares one unit; finds its sentences only when `with_sentences` (VADER on the whole text needs none).
pub fn prepare_with(mut unit: Unit, raw: bool, with_sentences: bool) -> Prepared {
    // The text moves into the prepared unit: holding the original beside it would double the memory of a
    // large corpus for nothing, since every output shows the text that was scored.
    let original = std::mem::take(&mut unit.text);
    let text = if raw {
        original
    } else {
        match normalize(&original) {
            Cow::Borrowed(_) => original,
            Cow::Owned(t) => t,
        }
    };
    let sentences = if with_sentences {
        sentences(&text)
    } else {
        Vec::new()
    };
    // Quotes are sentences: without sentences there is none to look for.
    let quotes = if unit.kind().is_article() || sentences.is_empty() {
        Vec::new()
    } else {
        line_quotes(&text, &sentences)
    };
    Prepared {
        unit,
        text,
        sentences,
        quotes,
        exclude_quotes: true,
    }
}

/// The sentences that lie on lines opening with `>` (after spaces) and then a space, a letter, a digit or
/// another `>`: a quote by the convention of Reddit, Hacker News and mail, whether or not its source is
/// known. An emoticon that opens a line (">:(", ">.<") is no quote.
fn line_quotes(text: &str, sentences: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let lines = quote_lines(text);
    if lines.is_empty() {
        return lines;
    }
    sentences
        .iter()
        .copied()
        .filter(|&(a, b)| {
            // A sentence's own words, without the spaces around them, within one quoted line.
            let s = &text[a..b];
            let (a, b) = (a + (s.len() - s.trim_start().len()), a + s.trim_end().len());
            lines.iter().any(|&(la, lb)| la <= a && b <= lb)
        })
        .collect()
}

/// Whether `text` holds the ASCII character `b`: the memchr crate's vector search, several times as
/// fast as `str::contains(char)` on a comment (which every unit is searched for `>` once).
fn has_byte(text: &str, b: u8) -> bool {
    memchr::memchr(b, text.as_bytes()).is_some()
}

/// The byte ranges of the lines of `text` that open with a quote mark ([`line_quotes`]).
fn quote_lines(text: &str) -> Vec<(usize, usize)> {
    let mut lines = Vec::new();
    if !has_byte(text, b'>') {
        return lines;
    }
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let opens = line
            .trim_start()
            .strip_prefix('>')
            .and_then(|r| r.chars().next());
        if opens.is_some_and(|c| c.is_whitespace() || c.is_alphanumeric() || c == '>') {
            lines.push((at, at + line.len()));
        }
        at += line.len();
    }
    lines
}

/// Whether `text`, once prepared (normalised unless `raw`: "&gt;" is ">"), has a line that opens with a
/// quote mark, whose sentences are quotes.
pub fn has_quote_lines(text: &str, raw: bool) -> bool {
    // Only an entity ("&gt;") becomes a ">" when normalised: most texts need no normalising to know.
    if !has_byte(text, b'>') && (raw || !has_byte(text, b'&')) {
        false
    } else if raw {
        !quote_lines(text).is_empty()
    } else {
        !quote_lines(&normalize(text)).is_empty()
    }
}

/// A form for finding repeated passages: lowercase words separated by single spaces.
fn quote_key(s: &str) -> String {
    if s.is_ascii() {
        // The same key a byte at a time (every reply's sentences are keyed): in ASCII, a character is
        // alphanumeric when its byte is, and lowercases to one byte.
        let mut out = String::with_capacity(s.len());
        let mut gap = false;
        for b in s.bytes() {
            if b.is_ascii_alphanumeric() {
                if gap && !out.is_empty() {
                    out.push(' ');
                }
                gap = false;
                out.push(char::from(b.to_ascii_lowercase()));
            } else {
                gap = true;
            }
        }
        return out;
    }
    quote_key_chars(s)
}

/// [`quote_key`] of any text, character by character.
fn quote_key_chars(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(w.chars().flat_map(char::to_lowercase));
    }
    out
}

/// The passages that comments may quote: the article text of each document, and the text of units whose
/// replies are still to be marked. A parent's text is dropped once its last reply has been marked, so a
/// streaming run holds only the parents of replies still to come.
#[derive(Debug, Default)]
pub struct QuoteSources {
    articles: HashMap<String, String>,
    parents: HashMap<usize, (String, u32)>,
}

impl QuoteSources {
    /// Adds a unit of article text to its document's article.
    pub fn add_article(&mut self, p: &Prepared) {
        let doc = self.articles.entry(p.unit.doc_id.clone()).or_default();
        doc.push_str(&quote_key(&p.text));
        doc.push_str(" \n ");
    }

    /// Whether document `doc` has article text that its comments could quote.
    pub fn has_article(&self, doc: &str) -> bool {
        self.articles.contains_key(doc)
    }

    /// Keeps the text of the unit at input position `k`, which has `replies` replies, until they are
    /// marked. Does nothing if it is already kept.
    pub fn add_parent(&mut self, k: usize, p: &Prepared, replies: u32) {
        if replies > 0 && !self.parents.contains_key(&k) {
            self.add_parent_key(k, quote_key(&p.text), replies);
        }
    }

    /// [`QuoteSources::add_parent`] with the unit's [`quote_key`] made already (on the pool, by
    /// [`prepare_batch`]).
    fn add_parent_key(&mut self, k: usize, key: String, replies: u32) {
        if replies > 0 {
            self.parents.entry(k).or_insert((key, replies));
        }
    }

    /// Marks the sentences of comment `p` that repeat its article or its parent (at input position
    /// `parent`, whose text must have been added); `p` as [`prepare`] left it, whose quotes (its `>` lines)
    /// stay.
    pub fn mark(&self, p: &mut Prepared, parent: Option<usize>) {
        let parent = parent
            .and_then(|k| self.parents.get(&k))
            .map(|t| t.0.as_str());
        self.mark_keyed(p, parent);
    }

    /// Marks the sentences of comment `p` that repeat its article or `parent`, a unit held elsewhere
    /// (prepared by the same scorer): for callers that score rows one at a time with the parent's text
    /// beside them, as the Python package does.
    pub fn mark_with_parent(&self, p: &mut Prepared, parent: Option<&Prepared>) {
        let key = parent.map(|q| quote_key(&q.text));
        self.mark_keyed(p, key.as_deref());
    }

    fn mark_keyed(&self, p: &mut Prepared, parent: Option<&str>) {
        if p.unit.kind().is_article() {
            return;
        }
        let article = self.articles.get(p.unit.doc_id.as_str());
        // The `>` lines, found when the unit was prepared.
        let marked = std::mem::take(&mut p.quotes);
        if article.is_none() && parent.is_none() {
            // Nothing to quote: no sentence's key is needed (most comments of a corpus without article
            // text, and every top-level one).
            p.quotes = marked;
            return;
        }
        p.quotes = p
            .sentences
            .iter()
            .copied()
            .filter(|&(a, b)| {
                marked.contains(&(a, b)) || {
                    let key = quote_key(&p.text[a..b]);
                    key.split(' ').count() >= 4
                        && (article.is_some_and(|t| t.contains(&key))
                            || parent.is_some_and(|t| t.contains(&key)))
                }
            })
            .collect();
    }

    /// Records that one reply to the unit at `parent` has been marked, dropping its text after the last.
    pub fn marked_reply_to(&mut self, parent: usize) {
        if let Some(e) = self.parents.get_mut(&parent) {
            e.1 -= 1;
            if e.1 == 0 {
                self.parents.remove(&parent);
            }
        }
    }
}

/// Prepares a batch of units whose first is at input position `at` (on the current rayon pool, order kept)
/// and marks the quotes in its comments. `sources` must already hold the article text; it keeps the text of
/// units in the batch that have replies, and lets go of parents whose last reply this batch marks.
pub fn prepare_batch(
    units: Vec<Unit>,
    at: usize,
    threads: &Threads,
    sources: &mut QuoteSources,
    prepare: &(dyn Fn(Unit) -> Prepared + Sync),
) -> Vec<Prepared> {
    // A unit with replies keeps its quote key until they are marked; the keys are made on the pool too.
    let (mut prepared, keys): (Vec<Prepared>, Vec<Option<String>>) = units
        .into_par_iter()
        .enumerate()
        .map(|(i, u)| {
            let p = prepare(u);
            let key = (threads.replies(at + i) > 0).then(|| quote_key(&p.text));
            (p, key)
        })
        .unzip();
    for (i, key) in keys.into_iter().enumerate() {
        if let Some(key) = key {
            sources.add_parent_key(at + i, key, threads.replies(at + i));
        }
    }
    let marking = &*sources;
    prepared.par_iter_mut().enumerate().for_each(|(i, p)| {
        marking.mark(p, threads.parent(at + i));
    });
    for (i, p) in prepared.iter().enumerate() {
        if let Some(parent) = threads
            .parent(at + i)
            .filter(|_| !p.unit.kind().is_article())
        {
            sources.marked_reply_to(parent);
        }
    }
    prepared
}

/// Prepares every unit of a corpus held in memory (on the current rayon pool, order kept) and marks the
/// quotes in comments: one batch holding the whole corpus.
pub fn prepare_all(units: Vec<Unit>, prepare: &(dyn Fn(Unit) -> Prepared + Sync)) -> Vec<Prepared> {
    let mut index = ThreadIndex::default();
    for u in &units {
        index.push(u);
    }
    let threads = index.finish();
    let mut sources = QuoteSources::default();
    for u in units.iter().filter(|u| u.kind().is_article()) {
        sources.add_article(&prepare(u.clone()));
    }
    prepare_batch(units, 0, &threads, &mut sources, prepare)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ascii_quote_key_is_the_character_one() {
        let parts = [
            "Xiaomi", " ", "--", "it's", "A1", "\n", ".", "US", "  ", "x", "9", "!?", "\t", "'",
        ];
        let mut rng = crate::partial::bootstrap::SplitMix(3);
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..rng.below(12) {
                text.push_str(parts[rng.below(parts.len())]);
            }
            assert_eq!(quote_key(&text), quote_key_chars(&text), "{text:?}");
        }
    }

    #[test]
    fn typographic_marks_entities_and_zero_width() {
        assert_eq!(
            normalize("I don’t “trust” them…"),
            "I don't \"trust\" them..."
        );
        assert_eq!(
            normalize("17 deep &amp; the love &#39;"),
            "17 deep & the love '"
        );
        assert_eq!(normalize("go\u{200B}od"), "good");
        assert_eq!(
            normalize("will\u{a0}press\u{202f}ahead"),
            "will press ahead"
        );
        assert!(matches!(normalize("plain text"), Cow::Borrowed(_)));
    }

    #[test]
    fn lines_opening_with_a_quote_mark_are_quotes() {
        let s = "> They spy. On everyone.\nNonsense, let them in.\n  > indented too\n>:( no quote\n5 > 3 neither";
        let got: Vec<&str> = line_quotes(s, &sentences(s))
            .into_iter()
            .map(|(a, b)| &s[a..b])
            .collect();
        assert_eq!(got, ["> They spy.", "On everyone.", "> indented too"]);
        assert!(line_quotes("No quote here.", &sentences("No quote here.")).is_empty());
        // Before normalisation "&gt;" is not yet ">" (the Python package asks before preparing).
        assert!(has_quote_lines("&gt; They spy.", false));
        assert!(!has_quote_lines("&gt; They spy.", true));
        assert!(!has_quote_lines("&gt;:( nope", false));
        // A comment keeps them when it has no parent or article to quote.
        let unit = Unit {
            text: "> Ban them.\nWhy?".into(),
            ..Unit::default()
        };
        let mut p = prepare(unit, false);
        assert_eq!(p.quoted(), "> Ban them.");
        QuoteSources::default().mark(&mut p, None);
        assert_eq!(p.quoted(), "> Ban them.");
    }

    #[test]
    fn sentences_keep_abbreviations() {
        let s = "The lobbyist will call U.S. senators. They comply! Really?\nNew para";
        let got: Vec<&str> = sentences(s).into_iter().map(|(a, b)| &s[a..b]).collect();
        assert_eq!(
            got,
            [
                "The lobbyist will call U.S. senators.",
                "They comply!",
                "Really?",
                "New para"
            ]
        );
    }

    #[test]
    fn comments_quoting_the_article_or_parent_are_marked() {
        let mk = |id: &str, kind, parent: Option<&str>, text: &str| Unit {
            id: id.into(),
            doc_id: "d".into(),
            kind: Some(kind),
            parent_id: parent.map(Into::into),
            text: text.into(),
            ..Unit::default()
        };
        use crate::model::Kind::{Comment, Paragraph};
        let units = vec![
            mk(
                "p1",
                Paragraph,
                None,
                "“Next year we hope we can do something there,” Wang said.",
            ),
            mk(
                "c1",
                Comment,
                None,
                "“Next year we hope we can do something there,”\nHope is not a strategy.",
            ),
            mk(
                "c2",
                Comment,
                Some("c1"),
                "Hope is not a strategy. Fair point.",
            ),
            mk("c3", Comment, None, "We hope so."),
        ];
        let scorer = |keep| crate::score::Scorer::new(Vec::new(), None, false, keep);
        let p = prepare_all(units, &|u| scorer(false).prepare(u));
        assert_eq!(
            p[1].quoted(),
            "\"Next year we hope we can do something there,\""
        );
        assert_eq!(p[1].scoring_text(), "Hope is not a strategy.");
        assert_eq!(p[2].quoted(), "Hope is not a strategy.");
        assert!(p[3].quotes.is_empty(), "too short to be a quote");
        assert!(p[0].quotes.is_empty());
        let kept = prepare_all(vec![p[1].unit.clone()], &|u| scorer(true).prepare(u));
        assert_eq!(kept[0].scoring_text(), kept[0].text);
    }

    #[test]
    fn raw_keeps_the_text() {
        let u = Unit {
            text: "don’t".into(),
            ..Unit::default()
        };
        assert_eq!(prepare(u.clone(), true).text, "don’t");
        assert_eq!(prepare(u, false).text, "don't");
    }
}
