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
/// start, where a reply answers its parent; disagreement is checked first.
pub fn opening(text: &str) -> Option<u8> {
    let head: String = text.chars().take(60).collect::<String>().to_lowercase();
    let at = |list: &[&str]| {
        list.iter()
            .position(|c| head.find(*c).is_some_and(|i| i < 25))
    };
    at(DISAGREE)
        .or_else(|| at(AGREE).map(|k| k + DISAGREE.len()))
        .map(|k| k as u8)
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
        for k in 0..(AGREE.len() + DISAGREE.len()) as u8 {
            let (a, c) = cue(k);
            assert_eq!(opening(c).map(cue).map(|x| x.0), Some(a), "{c}");
        }
    }
}
