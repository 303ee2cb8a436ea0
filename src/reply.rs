//! Reply openings: does a reply start by agreeing or disagreeing with the comment it answers?
//!
//! Part of the scoring core: the [`crate::score::Scorer`] finds the cue in each unit's text, and the
//! aggregate tables read it from the scored unit, never from the text.

const AGREE: &[&str] = &[
    "i agree",
    "agreed",
    "exactly",
    "well said",
    "so true",
    "good point",
    "you're right",
    "you are right",
    "true that",
    "+1",
    "this.",
];
const DISAGREE: &[&str] = &[
    "i disagree",
    "disagree",
    "not true",
    "you're wrong",
    "you are wrong",
    "nonsense",
    "wrong.",
    "that's not",
    "not really",
];

/// The agreement or disagreement cue a reply opens with, as an index for [`cue`]. A cue counts near the
/// start, where a reply answers its parent (it must begin in the first 25 bytes of the lowercased first 60
/// characters); disagreement is checked first.
pub fn opening(text: &str) -> Option<u8> {
    let end = text.char_indices().nth(60).map_or(text.len(), |(i, _)| i);
    let head = &text[..end];
    let first = if head.is_ascii() {
        // Lowercasing ASCII keeps every offset, so the cues are found in one pass of one automaton
        // (aho-corasick, case-insensitive for ASCII) without copying: a search per cue was 4 % of `run`.
        first_cue(head)
    } else {
        first_cue(&head.to_lowercase())
    };
    first.map(|k| k as u8)
}

/// Every cue, disagreement first: the index order of [`cue`].
fn cues() -> &'static aho_corasick::AhoCorasick {
    static AC: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    AC.get_or_init(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(DISAGREE.iter().chain(AGREE))
            .unwrap_or_else(|e| unreachable!("fixed cue list: {e}"))
    })
}

/// The smallest cue index with an occurrence starting before byte 25 of `head`.
fn first_cue(head: &str) -> Option<usize> {
    cues()
        .find_overlapping_iter(head)
        .filter(|m| m.start() < 25)
        .map(|m| m.pattern().as_usize())
        .min()
}

/// The agreement (agree or disagree) and the cue of an [`opening`] index.
pub fn cue(k: u8) -> (&'static str, &'static str) {
    let k = usize::from(k);
    match DISAGREE.get(k) {
        Some(c) => ("disagree", c),
        None => ("agree", AGREE[k - DISAGREE.len()]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The definition: each cue's first occurrence in the lowercased first 60 characters, in order.
    fn by_search(text: &str) -> Option<u8> {
        let head: String = text.chars().take(60).collect::<String>().to_lowercase();
        DISAGREE
            .iter()
            .chain(AGREE)
            .position(|c| head.find(*c).is_some_and(|i| i < 25))
            .map(|k| k as u8)
    }

    proptest! {
        #[test]
        fn the_automaton_finds_what_a_search_per_cue_finds(
            parts in prop::collection::vec(
                prop::sample::select(vec![
                    "I ", "agree", "Agreed", "dis", "not ", "true", "TRUE", "you're ", "right", "wrong.",
                    "this.", "+1", " ", "x", "well said", "é", "İ", "nonsense", "that's not", "so ",
                ]),
                0..20,
            )
        ) {
            let s: String = parts.concat();
            prop_assert_eq!(opening(&s), by_search(&s));
        }
    }

    #[test]
    fn openings_name_their_cue_and_disagreement_wins() {
        let got = |t: &str| opening(t).map(cue);
        assert_eq!(
            got("I agree, they will sell well."),
            Some(("agree", "i agree"))
        );
        assert_eq!(
            got("Not true. I agree with nobody."),
            Some(("disagree", "not true"))
        );
        assert_eq!(got("Well said!"), Some(("agree", "well said")));
        // Too far from the start to answer the parent.
        assert_eq!(got("The phones are cheap and good, and I agree."), None);
        // Case does not matter, nor characters beyond ASCII before or after.
        assert_eq!(got("WELL SAID!"), Some(("agree", "well said")));
        assert_eq!(got("Ça, NOT TRUE."), Some(("disagree", "not true")));
        assert_eq!(got("İ agree"), None);
        for k in 0..(AGREE.len() + DISAGREE.len()) as u8 {
            let (a, c) = cue(k);
            assert_eq!(opening(c).map(cue).map(|x| x.0), Some(a), "{c}");
        }
    }
}
