//! Plain data that flows between the stages: units in, scores and stances out.
//!
//! Ingest gives [`Unit`]s; the text stage gives [`Prepared`] units; scoring gives [`Scored`] units, which
//! aggregation, export, charts and the report read. No behaviour lives here.

use crate::vader::Polarity;
use serde::{Deserialize, Serialize};
use std::fmt;

/// What part of a document a unit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Kind {
    /// The article's title.
    Title,
    /// A subheading inside the article.
    Heading,
    /// An article paragraph: the journalist's voice.
    Paragraph,
    /// A photo caption.
    Caption,
    /// A reader comment or reply.
    Comment,
}

impl Kind {
    /// Every kind, in document order.
    pub const ALL: [Kind; 5] = [
        Kind::Title,
        Kind::Heading,
        Kind::Paragraph,
        Kind::Caption,
        Kind::Comment,
    ];

    /// The lowercase name used in CSV and flags.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Title => "title",
            Kind::Heading => "heading",
            Kind::Paragraph => "paragraph",
            Kind::Caption => "caption",
            Kind::Comment => "comment",
        }
    }

    /// Parses a kind name as written by [`Kind::as_str`] (case-insensitive).
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s.trim()))
    }

    /// Whether the unit is the journalist's (article) rather than a reader's.
    pub fn is_article(self) -> bool {
        self != Kind::Comment
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One scoreable piece of text with its provenance.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Unit {
    /// Unique id within the run, for example `c03` or a record's own id.
    pub id: String,
    /// The document (article page or input file) the unit belongs to.
    pub doc_id: String,
    /// What part of the document it is.
    pub kind: Option<Kind>,
    /// Who wrote it, when known.
    pub author: Option<String>,
    /// When, as an ISO 8601 date or date-time.
    pub date: Option<String>,
    /// The unit it replies to.
    pub parent_id: Option<String>,
    /// Reply depth: 0 for top-level comments and article text.
    pub depth: u32,
    /// The top-level comment of its thread (itself for a top-level comment).
    pub thread_root: Option<String>,
    /// The file it came from (`-` for stdin).
    pub source: String,
    /// The 1-based line where its record starts.
    pub line: u64,
    /// The text as read.
    pub text: String,
}

impl Unit {
    /// The unit's kind, with comment as the default for records that do not say.
    pub fn kind(&self) -> Kind {
        self.kind.unwrap_or(Kind::Comment)
    }
}

/// A unit after the text stage: the text that the scorers see.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    /// The unit as ingested.
    pub unit: Unit,
    /// The normalised text (the text as read with `--raw`); `unit.text` is emptied, the text moved here.
    pub text: String,
    /// Byte ranges of `text`, one per sentence.
    pub sentences: Vec<(usize, usize)>,
    /// Byte ranges of `text` that repeat the article or the parent comment.
    pub quotes: Vec<(usize, usize)>,
    /// Whether quotes are left out of scoring.
    pub exclude_quotes: bool,
}

impl Prepared {
    /// The text the scorers see: `text` without its quotes when they are excluded.
    pub fn scoring_text(&self) -> std::borrow::Cow<'_, str> {
        if !self.exclude_quotes || self.quotes.is_empty() {
            return std::borrow::Cow::Borrowed(&self.text);
        }
        let mut out = String::with_capacity(self.text.len());
        let mut at = 0;
        for &(a, b) in &self.quotes {
            out.push_str(&self.text[at..a]);
            out.push(' ');
            at = b;
        }
        out.push_str(&self.text[at..]);
        std::borrow::Cow::Owned(out.trim().to_string())
    }

    /// Whether the sentence `(a, b)` lies inside a quote.
    pub fn is_quote(&self, a: usize, b: usize) -> bool {
        self.quotes.iter().any(|&(qa, qb)| qa <= a && b <= qb)
    }

    /// The quoted passages, joined for a CSV cell.
    pub fn quoted(&self) -> String {
        self.quotes
            .iter()
            .map(|&(a, b)| &self.text[a..b])
            .collect::<Vec<_>>()
            .join(" | ")
    }
}

/// The sentiment of one sentence of a unit.
#[derive(Debug, Clone, PartialEq)]
pub struct SentenceScore {
    /// 1-based position in the unit.
    pub index: usize,
    /// Whether it repeats the article or the parent comment.
    pub quote: bool,
    /// Its byte range in the prepared text.
    pub range: (usize, usize),
    /// Its VADER scores.
    pub polarity: Polarity,
}

/// A stance label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Label {
    /// The writer wants the target to happen.
    Favor,
    /// The writer does not want it.
    Against,
    /// No preference is expressed.
    None,
}

impl Label {
    /// Every label, in report order.
    pub const ALL: [Label; 3] = [Label::Favor, Label::Against, Label::None];

    /// The lowercase name used in CSV and label files.
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Favor => "favor",
            Label::Against => "against",
            Label::None => "none",
        }
    }

    /// Parses `favor`, `against` or `none` (also `favour`, case-insensitive).
    pub fn parse(s: &str) -> Option<Label> {
        match s.trim().to_ascii_lowercase().as_str() {
            "favor" | "favour" => Some(Label::Favor),
            "against" => Some(Label::Against),
            "none" | "neutral" => Some(Label::None),
            _ => None,
        }
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One cue that fired in a unit.
#[derive(Debug, Clone, PartialEq)]
pub struct CueHit {
    /// The cue phrase as written in the target file.
    pub phrase: String,
    /// The pole the cue belongs to in the target file.
    pub pole: Label,
    /// The signed contribution to the score: positive towards favor.
    pub weight: f64,
    /// Whether a negation before it flipped it.
    pub negated: bool,
    /// Whether its clause dismisses it ("... is theatre"), which flips it too.
    pub dismissed: bool,
    /// Whether it stands in a report of facts about others ("... after the component ban"), which
    /// leaves it out of the score (its weight is 0).
    pub reported: bool,
    /// Whether a contrast ("but") scaled it.
    pub contrast: Option<f64>,
    /// The words of the text that matched.
    pub matched: String,
    /// 1-based sentence of the unit (a sentence of `sentences.csv`).
    pub sentence: u32,
}

/// The stance of one unit toward one target.
#[derive(Debug, Clone, PartialEq)]
pub struct Stance {
    /// The target's id.
    pub target: String,
    /// favor, against or none.
    pub label: Label,
    /// The signed sum of cue weights: positive towards favor.
    pub score: f64,
    /// How sure the scorer is, in [0, 1]: agreement of the cues times the amount of evidence.
    pub confidence: f64,
    /// Every cue that fired, in text order.
    pub cues: Vec<CueHit>,
    /// Whether the text names the target (one of its scope terms other than pronouns).
    pub on_topic: bool,
}

/// One mention of an entity in a unit, with the sentiment of the clause around it.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// The entity's id.
    pub entity: String,
    /// The words that matched, as written.
    pub alias: String,
    /// 1-based sentence of the unit.
    pub sentence: u32,
    /// The clause (or sentence) scored for it.
    pub window: String,
    /// VADER scores of the window.
    pub polarity: Polarity,
}

/// A unit with everything the scorers found.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    /// The unit, with the text the scorers saw.
    pub prepared: Prepared,
    /// VADER scores of the whole text.
    pub polarity: Polarity,
    /// Which tokens gave which valence, for example `competition +1.500; wonderful +2.700`.
    pub explanation: String,
    /// VADER scores of each sentence.
    pub sentences: Vec<SentenceScore>,
    /// The stance toward each configured target, in target order.
    pub stances: Vec<Stance>,
    /// Entity mentions with their targeted sentiment, in text order.
    pub mentions: Vec<Mention>,
    /// The agreement or disagreement cue the text opens with, as a [`crate::reply::cue`] index.
    pub opening: Option<u8>,
}

impl Scored {
    /// The unit as ingested.
    pub fn unit(&self) -> &Unit {
        &self.prepared.unit
    }
}

/// The compound at and above which a text is positive: VADER's conventional threshold. The one place it
/// is written; tables, charts and findings all read it from here.
pub const POSITIVE_AT: f64 = 0.05;
/// The compound at and below which a text is negative.
pub const NEGATIVE_AT: f64 = -0.05;

/// positive, neutral or negative at the conventional ±0.05 compound thresholds.
pub fn sentiment_label(compound: f64) -> &'static str {
    if compound >= POSITIVE_AT {
        "positive"
    } else if compound <= NEGATIVE_AT {
        "negative"
    } else {
        "neutral"
    }
}

/// Formats cue hits for a CSV cell: `let them in +2.00; trust -1.50 [negated]; privacy -2.25 [after but]`.
pub fn describe_cues(cues: &[CueHit]) -> String {
    // Written in place (no string per cue): a run describes every unit's cues, for units.csv.
    let mut out = String::new();
    for (k, c) in cues.iter().enumerate() {
        if k > 0 {
            out.push_str("; ");
        }
        let learned = c.phrase.contains(':');
        if learned {
            // A learned model's feature (w:, c:, lex:; a cue's words never hold a colon): its name, the
            // text it was found in, and how far it pushed the label over the runner-up.
            out.push_str(&c.phrase);
            out.push_str(" \"");
        }
        push_lowercase(&mut out, &c.matched);
        if learned {
            out.push('"');
        }
        out.push(' ');
        crate::fixed::push_signed(&mut out, c.weight, 2);
        let contrast = match c.contrast {
            Some(f) if f < 1.0 => Some("before contrast"),
            Some(_) => Some("after contrast"),
            None => None,
        };
        let tags = [
            c.negated.then_some("negated"),
            c.dismissed.then_some("dismissed"),
            c.reported.then_some("reported"),
            contrast,
        ];
        for (k, tag) in tags.iter().flatten().enumerate() {
            out.push_str(if k == 0 { " [" } else { ", " });
            out.push_str(tag);
        }
        if tags.iter().any(Option::is_some) {
            out.push(']');
        }
    }
    out
}

/// Appends `s.to_lowercase()` to `out`, without the intermediate string when `s` is ASCII.
fn push_lowercase(out: &mut String, s: &str) {
    if s.is_ascii() {
        let at = out.len();
        out.push_str(s);
        out[at..].make_ascii_lowercase();
    } else {
        out.push_str(&s.to_lowercase());
    }
}
