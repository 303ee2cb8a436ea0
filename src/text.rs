//! The text stage: units in, prepared units out, with the text the scorers will see.
//!
//! Normalisation (on by default, off with `--raw`) fixes what makes VADER misread web text:
//! - typographic apostrophes and quotes become ASCII (`don’t` → `don't`; the reference scores
//!   "I don’t trust them" +0.51 but "I don't trust them" −0.40, vaderSentiment issue #66), and `…` becomes `...`;
//! - HTML entities are decoded (`&amp;` → `&`, `&#39;` → `'`);
//! - zero-width characters (U+200B, U+200C, U+200D, U+2060, U+FEFF) are removed.
//!
//! Sentences are found with Unicode text segmentation (UAX #29), which keeps "U.S. senators" whole.

use crate::model::{Prepared, Unit};
use std::borrow::Cow;
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
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Byte ranges of the sentences of `s`, trimmed, without empty ones.
pub fn sentences(s: &str) -> Vec<(usize, usize)> {
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
    let text = if raw {
        unit.text.clone()
    } else {
        normalize(&unit.text).into_owned()
    };
    let sentences = sentences(&text);
    Prepared {
        unit,
        text,
        sentences,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(matches!(normalize("plain text"), Cow::Borrowed(_)));
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
    fn raw_keeps_the_text() {
        let u = Unit {
            text: "don’t".into(),
            ..Unit::default()
        };
        assert_eq!(prepare(u.clone(), true).text, "don’t");
        assert_eq!(prepare(u, false).text, "don't");
    }
}
