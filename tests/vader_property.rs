//! Differential property test: on generated texts that stress VADER's rules, our engine and the
//! independent `vader-parity` crate (which claims parity with 3.3.2) give the same four numbers.

use proptest::prelude::*;
use stancemeter::vader::Vader;

const WORDS: &[&str] = &[
    "good",
    "bad",
    "great",
    "love",
    "hate",
    "no",
    "not",
    "never",
    "kind",
    "of",
    "but",
    "BUT",
    "least",
    "at",
    "very",
    "so",
    "this",
    "without",
    "doubt",
    "the",
    "shit",
    "bomb",
    "kiss",
    "death",
    "to",
    "die",
    "for",
    "yeah",
    "right",
    "isn't",
    "don't",
    "aint",
    "nor",
    "or",
    "sort",
    "just",
    "enough",
    "kinda",
    "extremely",
    "hardly",
    "heart",
    "beating",
    "bad",
    "ass",
    "bus",
    "stop",
    "phone",
    "Xiaomi",
    "competition",
    "wonderful",
    "afraid",
    "trust",
    "lol",
    ":)",
    ":(",
    ":D",
    ":-)",
    "<3",
    "😀",
    "❤️",
    "👍",
    "😂",
    "!",
    "?",
    "!!",
    "???",
    "...",
    "’",
    "don’t",
    "&amp;",
    "é",
    "ÉPIC",
    "also",
    "a",
    "I",
    "uh-uh",
    "n't",
    "—",
];

fn word() -> impl Strategy<Value = String> {
    (
        prop::sample::select(WORDS),
        0..4u8,
        prop::sample::select(&["", "", "", "!", "?", ".", ",", "!!", "'", "\"", ")"][..]),
    )
        .prop_map(|(w, case, punct)| {
            let w = match case {
                1 => w.to_uppercase(),
                2 => {
                    let mut c = w.chars();
                    c.next()
                        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                        .unwrap_or_default()
                }
                _ => w.to_string(),
            };
            w + punct
        })
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            word(),
            prop::sample::select(&[" ", " ", " ", "  ", "\t", "\n", "\u{a0}", "\u{1c}", ""][..]),
        ),
        0..24,
    )
    .prop_map(|ws| ws.into_iter().map(|(w, sep)| w + sep).collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]

    #[test]
    fn engine_agrees_with_the_oracle(t in text()) {
        let ours = Vader::embedded().polarity_scores(&t);
        let oracle = vader_parity::SentimentIntensityAnalyzer::new().polarity_scores(&t);
        prop_assert_eq!((ours.neg, ours.neu, ours.pos, ours.compound), (oracle.neg, oracle.neu, oracle.pos, oracle.compound), "text {:?}", t);
    }

    #[test]
    fn explanation_agrees_with_the_score(t in text()) {
        let v = Vader::embedded();
        let e = v.explain(&t);
        prop_assert_eq!(e.polarity, v.polarity_scores(&t));
        let sum: f64 = e.tokens.iter().map(|x| x.valence).sum();
        prop_assert!((sum - e.sum).abs() < 1e-9);
    }
}
