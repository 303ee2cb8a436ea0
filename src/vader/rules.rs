//! The fixed word lists and constants of vaderSentiment 3.3.2, transcribed from its source.
//!
//! Takes lowercase tokens, gives booster scalars, negation tests and idiom valences.

/// Mean intensity increase of a booster word ("very").
pub const B_INCR: f64 = 0.293;
/// Mean intensity decrease of a dampener word ("kind of").
pub const B_DECR: f64 = -0.293;
/// Mean intensity increase of a word in ALL CAPS among mixed-case words.
pub const C_INCR: f64 = 0.733;
/// The scalar applied to a negated valence.
pub const N_SCALAR: f64 = -0.74;

/// The reference's `NEGATE` list.
pub const NEGATE: &[&str] = &[
    "aint",
    "arent",
    "cannot",
    "cant",
    "couldnt",
    "darent",
    "didnt",
    "doesnt",
    "ain't",
    "aren't",
    "can't",
    "couldn't",
    "daren't",
    "didn't",
    "doesn't",
    "dont",
    "hadnt",
    "hasnt",
    "havent",
    "isnt",
    "mightnt",
    "mustnt",
    "neither",
    "don't",
    "hadn't",
    "hasn't",
    "haven't",
    "isn't",
    "mightn't",
    "mustn't",
    "neednt",
    "needn't",
    "never",
    "none",
    "nope",
    "nor",
    "not",
    "nothing",
    "nowhere",
    "oughtnt",
    "shant",
    "shouldnt",
    "uhuh",
    "wasnt",
    "werent",
    "oughtn't",
    "shan't",
    "shouldn't",
    "uh-uh",
    "wasn't",
    "weren't",
    "without",
    "wont",
    "wouldnt",
    "won't",
    "wouldn't",
    "rarely",
    "seldom",
    "despite",
];

/// The reference's `negated([word])` for one lowercase word; `listed` says whether it is in `NEGATE`.
pub fn is_negation(lower: &str, listed: bool) -> bool {
    // A window scan: `str::contains` sets up a substring searcher, too slow for every token.
    listed || lower.as_bytes().windows(3).any(|w| w == b"n't")
}

/// The single-word keys of `BOOSTER_DICT` with their scalars.
pub const BOOSTERS: &[(&str, f64)] = &[
    ("absolutely", B_INCR),
    ("amazingly", B_INCR),
    ("awfully", B_INCR),
    ("completely", B_INCR),
    ("considerable", B_INCR),
    ("considerably", B_INCR),
    ("decidedly", B_INCR),
    ("deeply", B_INCR),
    ("effing", B_INCR),
    ("enormous", B_INCR),
    ("enormously", B_INCR),
    ("entirely", B_INCR),
    ("especially", B_INCR),
    ("exceptional", B_INCR),
    ("exceptionally", B_INCR),
    ("extreme", B_INCR),
    ("extremely", B_INCR),
    ("fabulously", B_INCR),
    ("flipping", B_INCR),
    ("flippin", B_INCR),
    ("frackin", B_INCR),
    ("fracking", B_INCR),
    ("fricking", B_INCR),
    ("frickin", B_INCR),
    ("frigging", B_INCR),
    ("friggin", B_INCR),
    ("fully", B_INCR),
    ("fuckin", B_INCR),
    ("fucking", B_INCR),
    ("fuggin", B_INCR),
    ("fugging", B_INCR),
    ("greatly", B_INCR),
    ("hella", B_INCR),
    ("highly", B_INCR),
    ("hugely", B_INCR),
    ("incredible", B_INCR),
    ("incredibly", B_INCR),
    ("intensely", B_INCR),
    ("major", B_INCR),
    ("majorly", B_INCR),
    ("more", B_INCR),
    ("most", B_INCR),
    ("particularly", B_INCR),
    ("purely", B_INCR),
    ("quite", B_INCR),
    ("really", B_INCR),
    ("remarkably", B_INCR),
    ("so", B_INCR),
    ("substantially", B_INCR),
    ("thoroughly", B_INCR),
    ("total", B_INCR),
    ("totally", B_INCR),
    ("tremendous", B_INCR),
    ("tremendously", B_INCR),
    ("uber", B_INCR),
    ("unbelievably", B_INCR),
    ("unusually", B_INCR),
    ("utter", B_INCR),
    ("utterly", B_INCR),
    ("very", B_INCR),
    ("almost", B_DECR),
    ("barely", B_DECR),
    ("hardly", B_DECR),
    ("kinda", B_DECR),
    ("kindof", B_DECR),
    ("kind-of", B_DECR),
    ("less", B_DECR),
    ("little", B_DECR),
    ("marginal", B_DECR),
    ("marginally", B_DECR),
    ("occasional", B_DECR),
    ("occasionally", B_DECR),
    ("partly", B_DECR),
    ("scarce", B_DECR),
    ("scarcely", B_DECR),
    ("slight", B_DECR),
    ("slightly", B_DECR),
    ("somewhat", B_DECR),
    ("sorta", B_DECR),
    ("sortof", B_DECR),
    ("sort-of", B_DECR),
];

/// The two-word keys of `BOOSTER_DICT`; tokens never hold spaces, so only n-grams can match them.
pub fn booster_bigram(a: u8, b: u8) -> Option<f64> {
    use word::*;
    match (a, b) {
        (JUST, ENOUGH) | (KIND, OF) | (SORT, OF) => Some(B_DECR),
        _ => None,
    }
}

/// `SPECIAL_CASES` looked up by a two-word sequence, given as word codes.
pub fn special_bigram(a: u8, b: u8) -> Option<f64> {
    use word::*;
    match (a, b) {
        (THE, SHIT) | (THE, BOMB) => Some(3.0),
        (BAD, ASS) => Some(1.5),
        (BUS, STOP) => Some(0.0),
        (YEAH, RIGHT) => Some(-2.0),
        (BEATING, HEART) => Some(3.5),
        _ => None,
    }
}

/// `SPECIAL_CASES` looked up by a three-word sequence, given as word codes.
pub fn special_trigram(a: u8, b: u8, c: u8) -> Option<f64> {
    use word::*;
    match (a, b, c) {
        (KISS, OF, DEATH) => Some(-1.5),
        (TO, DIE, FOR) => Some(3.0),
        _ => None,
    }
}

/// Small codes for the words VADER's rules test by name, so that the rules compare integers.
pub mod word {
    /// Not a rule word.
    pub const OTHER: u8 = 0;
    /// "no"
    pub const NO: u8 = 1;
    /// "but"
    pub const BUT: u8 = 2;
    /// "kind"
    pub const KIND: u8 = 3;
    /// "of"
    pub const OF: u8 = 4;
    /// "least"
    pub const LEAST: u8 = 5;
    /// "at"
    pub const AT: u8 = 6;
    /// "very"
    pub const VERY: u8 = 7;
    /// "never"
    pub const NEVER: u8 = 8;
    /// "so"
    pub const SO: u8 = 9;
    /// "this"
    pub const THIS: u8 = 10;
    /// "without"
    pub const WITHOUT: u8 = 11;
    /// "doubt"
    pub const DOUBT: u8 = 12;
    /// "or"
    pub const OR: u8 = 13;
    /// "nor"
    pub const NOR: u8 = 14;
    /// The other words of `SPECIAL_CASES` and of the two-word boosters.
    pub const THE: u8 = 15;
    #[allow(missing_docs)]
    pub const SHIT: u8 = 16;
    #[allow(missing_docs)]
    pub const BOMB: u8 = 17;
    #[allow(missing_docs)]
    pub const BAD: u8 = 18;
    #[allow(missing_docs)]
    pub const ASS: u8 = 19;
    #[allow(missing_docs)]
    pub const BUS: u8 = 20;
    #[allow(missing_docs)]
    pub const STOP: u8 = 21;
    #[allow(missing_docs)]
    pub const YEAH: u8 = 22;
    #[allow(missing_docs)]
    pub const RIGHT: u8 = 23;
    #[allow(missing_docs)]
    pub const BEATING: u8 = 24;
    #[allow(missing_docs)]
    pub const HEART: u8 = 25;
    #[allow(missing_docs)]
    pub const KISS: u8 = 26;
    #[allow(missing_docs)]
    pub const DEATH: u8 = 27;
    #[allow(missing_docs)]
    pub const TO: u8 = 28;
    #[allow(missing_docs)]
    pub const DIE: u8 = 29;
    #[allow(missing_docs)]
    pub const FOR: u8 = 30;
    #[allow(missing_docs)]
    pub const JUST: u8 = 31;
    #[allow(missing_docs)]
    pub const ENOUGH: u8 = 32;
    #[allow(missing_docs)]
    pub const SORT: u8 = 33;

    /// Every rule word with its code.
    pub const CODED: &[(&str, u8)] = &[
        ("no", NO),
        ("but", BUT),
        ("kind", KIND),
        ("of", OF),
        ("least", LEAST),
        ("at", AT),
        ("very", VERY),
        ("never", NEVER),
        ("so", SO),
        ("this", THIS),
        ("without", WITHOUT),
        ("doubt", DOUBT),
        ("or", OR),
        ("nor", NOR),
        ("the", THE),
        ("shit", SHIT),
        ("bomb", BOMB),
        ("bad", BAD),
        ("ass", ASS),
        ("bus", BUS),
        ("stop", STOP),
        ("yeah", YEAH),
        ("right", RIGHT),
        ("beating", BEATING),
        ("heart", HEART),
        ("kiss", KISS),
        ("death", DEATH),
        ("to", TO),
        ("die", DIE),
        ("for", FOR),
        ("just", JUST),
        ("enough", ENOUGH),
        ("sort", SORT),
    ];
}

/// Every word of `SPECIAL_CASES` and of the two-word boosters: the idiom check can match only where one
/// of these stands near the word.
pub const IDIOM_WORDS: &[&str] = &[
    "the", "shit", "bomb", "bad", "ass", "bus", "stop", "yeah", "right", "beating", "heart",
    "kiss", "of", "death", "to", "die", "for", "just", "enough", "kind", "sort",
];
