use super::*;

fn v() -> &'static Vader {
    Vader::embedded()
}

#[test]
fn embedded_lexicons_parse_completely() {
    assert_eq!(v().len(), 7506, "entries in vader_lexicon.txt of 3.3.2");
    assert_eq!(v().valence_of("heart"), Some(3.2));
}

/// Every edge case against the reference's own output, shipped in tests/fixtures.
#[test]
fn edge_cases_match_reference() {
    let root = env!("CARGO_MANIFEST_DIR");
    let texts =
        std::fs::read_to_string(format!("{root}/tests/fixtures/vader/edge_cases.tsv")).unwrap();
    let expected =
        std::fs::read_to_string(format!("{root}/tests/fixtures/vader/edge_cases.csv")).unwrap();
    let mut want = std::collections::HashMap::new();
    for line in expected.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let n: Vec<f64> = f[1..].iter().map(|x| x.parse().unwrap()).collect();
        want.insert(
            f[0].to_string(),
            Polarity {
                neg: n[0],
                neu: n[1],
                pos: n[2],
                compound: n[3],
            },
        );
    }
    let mut checked = 0;
    for line in texts.split('\n') {
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            continue;
        }
        let mut f = line.splitn(3, '\t');
        let (id, _, text) = (f.next().unwrap(), f.next().unwrap(), f.next().unwrap());
        assert_eq!(v().polarity_scores(text), want[id], "{id}: {text:?}");
        checked += 1;
    }
    assert_eq!(checked, want.len());
}

#[test]
fn typographic_apostrophe_is_scored_raw_like_the_reference() {
    assert_eq!(v().polarity_scores("I don’t trust them").compound, 0.5106);
    assert_eq!(v().polarity_scores("I don't trust them").compound, -0.4023);
}

#[test]
fn explanation_names_tokens_and_rules() {
    let e = v().explain("The phone is great, but the software is not good.");
    assert_eq!(
        e.polarity,
        v().polarity_scores("The phone is great, but the software is not good.")
    );
    let great = e.tokens.iter().find(|t| t.token == "great").unwrap();
    assert!(great.rules.has(Rule::BEFORE_BUT));
    assert_eq!(great.valence, great.lexicon * 0.5);
    let good = e.tokens.iter().find(|t| t.token == "good").unwrap();
    assert!(good.rules.has(Rule::NEGATED) && good.rules.has(Rule::AFTER_BUT));
    assert!(good.valence < 0.0);
    let text = e.to_string();
    assert!(
        text.starts_with("great +1.550 [before-but]; good "),
        "{text}"
    );
}

#[test]
fn explanation_valences_sum_to_the_score() {
    let e = v().explain("VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!");
    let sum: f64 = e.tokens.iter().map(|t| t.valence).sum();
    assert!((sum - e.sum).abs() < 1e-12);
    assert!(
        e.tokens
            .iter()
            .any(|t| t.token == "SMART" && t.rules.has(Rule::CAPS))
    );
    assert!(e.to_string().ends_with("punctuation +0.876"));
}

#[test]
fn empty_and_blank_text_score_zero() {
    assert_eq!(v().polarity_scores(""), Polarity::default());
    assert_eq!(v().polarity_scores(" \t\u{1c} "), Polarity::default());
    assert!(v().explain("").tokens.is_empty());
}

#[test]
fn bad_lexicon_line_is_reported_with_its_number() {
    let err = Vader::from_lexicons("good\t1.9\nbad\tx\n", "")
        .err()
        .unwrap();
    assert_eq!(
        err.to_string(),
        "lexicon, line 2: valence \"x\" is not a number"
    );
}

#[test]
fn packed_keys_are_bytes_and_length() {
    for w in [
        "",
        "a",
        "ab",
        "abc",
        "abcd",
        "abcde",
        "abcdefg",
        "abcdefgh",
        "abcdefghi",
        "abcdefghijklmno",
        "don't",
        "😀",
        "é",
    ] {
        let mut buf = [0u8; 16];
        buf[..w.len()].copy_from_slice(w.as_bytes());
        buf[15] = w.len() as u8;
        let x = u128::from_le_bytes(buf);
        assert_eq!(
            super::WordMap::pack(w),
            Some((x as u64, (x >> 64) as u64)),
            "{w:?}"
        );
    }
    assert_eq!(super::WordMap::pack("abcdefghijklmnop"), None);
}

#[test]
fn every_lexicon_word_is_found_with_its_valence_and_no_other_word_is() {
    // A word listed twice (":-p") keeps its last value, as a Python dict does.
    let mut want = std::collections::HashMap::new();
    for line in LEXICON.lines().filter(|l| !l.is_empty()) {
        let mut f = line.trim().split('\t');
        let (word, value) = (f.next().unwrap(), f.next().unwrap().parse::<f64>().unwrap());
        want.insert(word, value);
    }
    for (word, value) in &want {
        assert_eq!(
            v().valence_of(word).map(f64::to_bits),
            Some(value.to_bits()),
            "{word}"
        );
    }
    assert_eq!(want.len(), v().len());
    for k in 0..20_000 {
        let w = format!("zq{k}x");
        assert_eq!(v().valence_of(&w), None, "{w}");
    }
    // Every length class of the packed keys, in a small custom lexicon.
    let words = [
        "a",
        "ab",
        "abcdefg",
        "abcdefgh",
        "abcdefghijklmno",
        "abcdefghijklmnop",
    ];
    let lex: String = words
        .iter()
        .enumerate()
        .map(|(k, w)| format!("{w}\t{k}.5\n"))
        .collect();
    let small = Vader::from_lexicons(&lex, "😀\tgrinning face").unwrap();
    for (k, w) in words.iter().enumerate() {
        assert_eq!(small.valence_of(w), Some(k as f64 + 0.5), "{w}");
        assert_eq!(small.valence_of(&w[1..]), None, "{w}");
    }
}

#[test]
fn capitals_are_lowered_inside_the_key_as_a_copy_would_be() {
    let words = &v().lex.words;
    let mut buf = String::new();
    for w in [
        "GOOD",
        "Good",
        "gOoD",
        "A",
        "WONDERFULLY",
        "Heartbreakingly",
        "UNCOMPROMISINGLY",
    ] {
        let lower = w.to_ascii_lowercase();
        assert_eq!(
            words
                .get_ascii_lowered(w, &mut buf)
                .map(|e| words.valence(e)),
            words.get(&lower).map(|e| words.valence(e)),
            "{w}"
        );
    }
    // Bytes next to the capitals' range are left alone: '@' and '[' are not 'a' - 1 and 'z' + 1.
    assert_eq!(
        super::ascii_lower(u64::from_le_bytes(*b"@AZ[`az{")),
        u64::from_le_bytes(*b"@az[`az{")
    );
}

/// `explain_line` is `explain(..).to_string()` with `polarity_scores`' scores, on the edge cases and the
/// stance texts (tokens with caps, boosters, negation, "but", emoji and punctuation emphasis).
#[test]
fn the_explanation_line_is_the_explanation_printed() {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut texts: Vec<String> = Vec::new();
    let edge =
        std::fs::read_to_string(format!("{root}/tests/fixtures/vader/edge_cases.tsv")).unwrap();
    texts.extend(
        edge.lines()
            .filter_map(|l| l.splitn(3, '\t').nth(2))
            .map(String::from),
    );
    let dev = std::fs::read_to_string(format!("{root}/tests/fixtures/stance/dev.csv")).unwrap();
    texts.extend(dev.lines().map(String::from));
    texts.extend(
        [
            "",
            "Not bad at all!!! :) 😀",
            "The food was GREAT but the service was NOT good??",
            "kind of good, sort of bad",
        ]
        .map(String::from),
    );
    let mut explained = 0;
    for t in &texts {
        let (polarity, line) = v().explain_line(t);
        let e = v().explain(t);
        assert_eq!(line, e.to_string(), "{t:?}");
        assert_eq!(polarity, v().polarity_scores(t), "{t:?}");
        explained += usize::from(!line.is_empty());
    }
    assert!(explained > 50, "{explained} texts with an explanation");
}
