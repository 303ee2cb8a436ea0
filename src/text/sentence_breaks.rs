//! UAX #29 sentence boundaries for ASCII text, exactly as `unicode-segmentation` finds them, faster.
//!
//! Takes an ASCII string, gives the same boundaries as `unicode-segmentation`'s `SentenceBreaks` (1.13).
//! Written by hand for measured speed: in `perf` of `run`, the crate's per-character category lookup (a
//! binary search over the Unicode table) and char decoding were the largest single cost of scoring
//! (`sentence_category` 7.4 %, `SentenceBreaks::next` 2.9 %). Here the same state machine runs over bytes
//! with a 128-entry category table. Exactness is by construction (the crate's algorithm, rule for rule,
//! with the crate's categories of the 128 ASCII characters) and by test: a property test compares the two
//! on random ASCII strings built from every category, and the conformance texts are compared whole. Text
//! with any non-ASCII character goes to the crate.

/// The sentence-break category of an ASCII character (UAX #29; `Sep`, `OLetter`, `Extend` and `Format`
/// have no ASCII members).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Cat {
    Any,
    ATerm,
    CR,
    Close,
    LF,
    Lower,
    Numeric,
    SContinue,
    STerm,
    Sp,
    Upper,
}

/// The categories of the ASCII characters, from `unicode-segmentation`'s table.
const CATS: [Cat; 128] = {
    let mut t = [Cat::Any; 128];
    let mut b = 0;
    while b < 128 {
        t[b] = match b as u8 {
            b'\t' | 0x0b | 0x0c | b' ' => Cat::Sp,
            b'\n' => Cat::LF,
            b'\r' => Cat::CR,
            b'!' | b'?' => Cat::STerm,
            b'"' | b'\'' | b'(' | b')' | b'[' | b']' | b'{' | b'}' => Cat::Close,
            b',' | b'-' | b':' | b';' => Cat::SContinue,
            b'.' => Cat::ATerm,
            b'0'..=b'9' => Cat::Numeric,
            b'A'..=b'Z' => Cat::Upper,
            b'a'..=b'z' => Cat::Lower,
            _ => Cat::Any,
        };
        b += 1;
    }
    t
};

/// Whether an ASCII byte ends a line or may end a sentence (CR, LF, ATerm, STerm): the only characters
/// after which a rule can break.
fn is_loud(b: u8) -> bool {
    matches!(b, b'\r' | b'\n' | b'.' | b'!' | b'?')
}

/// A parsed part of the text before a position, as the crate keeps them.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Part {
    Sot,
    Other,
    CR,
    LF,
    ATerm,
    UpperLower,
    ClosePlus,
    SpPlus,
    STerm,
}

/// The last four parts; runs of Close and of Sp collapse into one part.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct State([Part; 4]);

impl State {
    fn next(self, cat: Cat) -> State {
        let p = self.0;
        match (p[3], cat) {
            (Part::ClosePlus, Cat::Close) | (Part::SpPlus, Cat::Sp) => self,
            _ => State([
                p[1],
                p[2],
                p[3],
                match cat {
                    Cat::CR => Part::CR,
                    Cat::LF => Part::LF,
                    Cat::ATerm => Part::ATerm,
                    Cat::Upper | Cat::Lower => Part::UpperLower,
                    Cat::Close => Part::ClosePlus,
                    Cat::Sp => Part::SpPlus,
                    Cat::STerm => Part::STerm,
                    _ => Part::Other,
                },
            ]),
        }
    }

    fn head(self) -> Part {
        self.0[3]
    }

    /// The state after `s[..end]`, found from behind: its last four parts (a run of Close or of Sp is
    /// one part), with the start of the text before the first.
    fn before(s: &[u8], end: usize) -> State {
        let mut parts = [Part::Sot; 4];
        let mut i = end;
        for slot in parts.iter_mut().rev() {
            let Some(&b) = i.checked_sub(1).map(|k| &s[k]) else {
                break;
            };
            let cat = CATS[usize::from(b & 0x7f)];
            i -= 1;
            if matches!(cat, Cat::Close | Cat::Sp) {
                while i > 0 && CATS[usize::from(s[i - 1] & 0x7f)] == cat {
                    i -= 1;
                }
            }
            *slot = State([Part::Sot; 4]).next(cat).head();
        }
        State(parts)
    }

    /// Whether no rule can break before the next character: none of the parts the rules read (all but
    /// the oldest, which only SB11 reads after a CR or LF) is the start, a line end or a sentence end.
    /// Most characters of a text follow such a state, and skip the rules.
    #[inline]
    fn quiet(self) -> bool {
        let loud = |p: Part| {
            matches!(
                p,
                Part::Sot | Part::CR | Part::LF | Part::ATerm | Part::STerm
            )
        };
        !(loud(self.0[1]) || loud(self.0[2]) || loud(self.0[3]))
    }

    /// SB8: ATerm Close* Sp* × ( ¬(OLetter | Upper | Lower | ParaSep | SATerm) )* Lower
    fn sb8(self, ahead: &[u8]) -> bool {
        let p = self.0;
        let mut i = if p[3] == Part::SpPlus { 2 } else { 3 };
        if p[i] == Part::ClosePlus {
            i -= 1;
        }
        if p[i] != Part::ATerm {
            return false;
        }
        for &b in ahead {
            match CATS[usize::from(b)] {
                Cat::Lower => return true,
                Cat::Upper | Cat::CR | Cat::LF | Cat::STerm | Cat::ATerm => return false,
                _ => {}
            }
        }
        false
    }

    /// SATerm Close* Sp* (SB8a, SB10).
    fn sb8a(self) -> bool {
        let p = self.0;
        let mut i = if p[3] == Part::SpPlus { 2 } else { 3 };
        if p[i] == Part::ClosePlus {
            i -= 1;
        }
        matches!(p[i], Part::STerm | Part::ATerm)
    }

    /// SATerm Close* (SB9).
    fn sb9(self) -> bool {
        let p = self.0;
        let i = if p[3] == Part::ClosePlus { 2 } else { 3 };
        matches!(p[i], Part::STerm | Part::ATerm)
    }

    /// SATerm Close* Sp* ParaSep? (SB11).
    fn sb11(self) -> bool {
        let p = self.0;
        let mut i = match p[3] {
            Part::CR | Part::LF => 2,
            _ => 3,
        };
        if p[i] == Part::SpPlus {
            i -= 1;
        }
        if p[i] == Part::ClosePlus {
            i -= 1;
        }
        matches!(p[i], Part::STerm | Part::ATerm)
    }
}

/// The sentence boundaries of ASCII `s`: the byte offsets the crate's `SentenceBreaks` gives, 0 and the
/// end included (none for an empty string).
pub fn ascii_breaks(s: &[u8]) -> Vec<usize> {
    debug_assert!(s.is_ascii());
    let mut out = Vec::new();
    let mut state = State([Part::Sot; 4]);
    let mut pos = 0;
    while pos < s.len() {
        let before = state;
        if before.quiet() {
            // Nothing breaks up to and including the next line end or sentence end (the state stays
            // quiet until it comes in): jump there, and take the parts before it from behind.
            let Some(k) = s[pos..].iter().position(|&c| is_loud(c)) else {
                break;
            };
            let at = pos + k;
            state = State::before(s, at).next(CATS[usize::from(s[at] & 0x7f)]);
            pos = at + 1;
            continue;
        }
        let cat = CATS[usize::from(s[pos] & 0x7f)];
        state = state.next(cat);
        let brk = match cat {
            // SB1
            _ if before.head() == Part::Sot => true,
            // SB3
            Cat::LF if before.head() == Part::CR => false,
            // SB4
            _ if matches!(before.head(), Part::CR | Part::LF) => true,
            // SB6
            Cat::Numeric if before.head() == Part::ATerm => false,
            // SB7
            Cat::Upper if before.0[2] == Part::UpperLower && before.0[3] == Part::ATerm => false,
            // SB8
            _ if before.sb8(&s[pos..]) => false,
            // SB8a
            Cat::SContinue | Cat::STerm | Cat::ATerm if before.sb8a() => false,
            // SB9
            Cat::Close | Cat::Sp | Cat::CR | Cat::LF if before.sb9() => false,
            // SB10
            Cat::Sp | Cat::CR | Cat::LF if before.sb8a() => false,
            // SB11
            _ if before.sb11() => true,
            // SB998
            _ => false,
        };
        if brk {
            out.push(pos);
        }
        pos += 1;
    }
    // SB2
    if !s.is_empty() {
        out.push(s.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use unicode_segmentation::UnicodeSegmentation;

    fn crate_breaks(s: &str) -> Vec<usize> {
        let mut v: Vec<usize> = s.split_sentence_bound_indices().map(|(at, _)| at).collect();
        if !s.is_empty() {
            v.push(s.len());
        }
        v
    }

    #[test]
    fn categories_match_the_crate_for_every_ascii_character() {
        // Each character between two fixed contexts splits as the crate splits it.
        for b in 0u8..128 {
            let c = char::from(b);
            for ctx in [
                "Hi. {c} there",
                "Hi.{c}there",
                "a{c}. b",
                "x! {c}y",
                "\"No.{c}\" Yes",
            ] {
                let s = ctx.replace("{c}", &c.to_string());
                assert_eq!(
                    ascii_breaks(s.as_bytes()),
                    crate_breaks(&s),
                    "{b:#x} in {s:?}"
                );
            }
        }
    }

    #[test]
    fn the_state_from_behind_is_the_state_from_the_start() {
        let parts = [
            "a", "Z", "7", ".", "!", "?", " ", "  ", "\t", "\n", "\r", "\"", "'", "((", ")", ",",
            "#",
        ];
        let mut rng = crate::partial::bootstrap::SplitMix(5);
        for _ in 0..5_000 {
            let mut text = String::new();
            for _ in 0..rng.below(16) {
                text.push_str(parts[rng.below(parts.len())]);
            }
            let s = text.as_bytes();
            let mut state = State([Part::Sot; 4]);
            for end in 0..=s.len() {
                assert_eq!(State::before(s, end), state, "{text:?} at {end}");
                if let Some(&b) = s.get(end) {
                    state = state.next(CATS[usize::from(b)]);
                }
            }
        }
    }

    #[test]
    fn known_cases() {
        for s in [
            "",
            "Hello. World",
            "U.S. Army is here. ok",
            "Mr. Smith went. He said \"hi.\" Then left!",
            "Wait... what?! No.\r\nYes\n\nend",
            "e.g. this. 3.5 is a number.",
            "(Quoted.)  Next one? (yes.) a",
            "etc.) lower",
        ] {
            assert_eq!(ascii_breaks(s.as_bytes()), crate_breaks(s), "{s:?}");
        }
    }

    #[test]
    #[allow(clippy::print_stderr)] // says why a part is skipped
    fn equals_the_crate_on_every_ascii_line_of_the_corpora() {
        // The stance sets here, and the VADER conformance corpora when ../shared is there.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files: Vec<std::path::PathBuf> =
            std::fs::read_dir(root.join("tests/fixtures/stance"))
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
        match std::fs::read_dir(root.join("../shared/vader-conformance/corpora")) {
            Ok(dir) => files.extend(dir.map(|e| e.unwrap().path())),
            Err(_) => eprintln!(
                "../shared/vader-conformance is not here: only the stance sets are compared"
            ),
        }
        let mut lines = 0;
        for f in files {
            let text = String::from_utf8_lossy(&std::fs::read(&f).unwrap()).into_owned();
            for line in text.lines().filter(|l| l.is_ascii()) {
                assert_eq!(
                    ascii_breaks(line.as_bytes()),
                    crate_breaks(line),
                    "{}: {line:?}",
                    f.display()
                );
                lines += 1;
            }
            // Whole files too: many sentences, newlines between them.
            if text.is_ascii() {
                assert_eq!(
                    ascii_breaks(text.as_bytes()),
                    crate_breaks(&text),
                    "{}",
                    f.display()
                );
            }
        }
        assert!(lines > 400, "{lines}");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        #[test]
        fn equals_the_crate_on_ascii(
            parts in prop::collection::vec(
                prop::sample::select(vec![
                    "a", "b", "Z", "Q", ".", "!", "?", " ", "  ", "\t", "\n", "\r", "\r\n", "\"",
                    "'", "(", ")", "]", "{", ",", "-", ":", ";", "1", "7", "#", "@", "~", "\x0b",
                    "word", "Word", "U.S.", "...", ".)", "?\"", "e.g.",
                ]),
                0..40,
            )
        ) {
            let s: String = parts.concat();
            prop_assert_eq!(ascii_breaks(s.as_bytes()), crate_breaks(&s));
        }
    }
}
