//! Target files: TOML that says what favor and against look like for one target.
//!
//! Takes a TOML file, gives a validated [`Target`] with compiled cue patterns. Every error names the file
//! and the key or cue at fault. The format is documented in data/targets/README.md.

use crate::error::{Error, Result, read_err};
pub use crate::text::phrase::{FirstWordIndex, Pattern, Vocab, Word};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// A target file as written.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TargetFile {
    /// Short id used in column names and tables: lowercase letters, digits, `-` and `_`.
    pub id: String,
    /// What favor and against are about, for people.
    pub description: String,
    /// |score| at or above which a unit is favor or against.
    #[serde(default = "defaults::threshold")]
    pub threshold: f64,
    /// How many words before a cue a negator may stand and still flip it.
    #[serde(default = "defaults::negation_window")]
    pub negation_window: usize,
    /// Words that flip a following cue within the window.
    #[serde(default = "defaults::negators")]
    pub negators: Vec<String>,
    /// Phrases that flip every later cue of their clause ("do not think ...").
    #[serde(default = "defaults::clause_negators")]
    pub clause_negators: Vec<String>,
    /// Contrast words: cues before them in a sentence are scaled by `before_contrast`, after by `after_contrast`.
    #[serde(default = "defaults::contrast")]
    pub contrast: Vec<String>,
    /// Words that dismiss an argument ("the spying argument is theatre"): a negatable cue in the same
    /// clause counts for the other side. A negator just before the word ("no myth") cancels it.
    #[serde(default = "defaults::dismissals")]
    pub dismissals: Vec<String>,
    /// Words that end a negator's scope: "Not for companies that spy" does not negate "spy".
    #[serde(default = "defaults::negation_stops")]
    pub negation_stops: Vec<String>,
    /// Phrases whose negator negates nothing after them ("not gonna lie, I'd buy one", "no doubt").
    #[serde(default = "defaults::negation_idioms")]
    pub negation_idioms: Vec<String>,
    /// Phrases that report a fact about third parties ("after the", "was", "according to"): a cue that
    /// starts within two words after one, in its clause, does not count ("... after the component ban").
    #[serde(default = "defaults::reporting")]
    pub reporting: Vec<String>,
    /// First-person subjects that put an `intent` cue in its frame.
    #[serde(default = "defaults::intent_subjects")]
    pub intent_subjects: Vec<String>,
    /// Most words between the subject and an `intent` cue ("I would definitely buy").
    #[serde(default = "defaults::intent_gap")]
    pub intent_gap: usize,
    /// Words that may come before an `imperative` cue at the start of a sentence ("please", "just").
    #[serde(default = "defaults::imperative_openers")]
    pub imperative_openers: Vec<String>,
    /// Words of obligation that put an `imperative` cue in its frame within two words after them.
    #[serde(default = "defaults::obligation_words")]
    pub obligation_words: Vec<String>,
    /// Event composition; none when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<EventSpec>,
    /// Scale for cues before a contrast word.
    #[serde(default = "defaults::before")]
    pub before_contrast: f64,
    /// Scale for cues after a contrast word.
    #[serde(default = "defaults::after")]
    pub after_contrast: f64,
    /// The target and its aliases; a `scoped` cue counts only in a sentence that mentions one.
    #[serde(default)]
    pub scope: Vec<String>,
    /// Cues for favor (`[[favour]]` is the same).
    #[serde(default, alias = "favour")]
    pub favor: Vec<CueSpec>,
    /// Cues for against.
    #[serde(default)]
    pub against: Vec<CueSpec>,
    /// A learned model (`learn --model` with this file as `--target`) that decides for the target, as a
    /// path relative to this file. The cues above are its lexicon evidence; without the model
    /// (`--no-model`) they decide alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
}

/// One cue as written.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CueSpec {
    /// Words; `spy*` matches any word starting with `spy`, a lone `*` any one word.
    pub cue: String,
    /// Its weight, above 0.
    #[serde(default = "defaults::weight")]
    pub weight: f64,
    /// Counts only in a sentence that mentions a scope term.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub scoped: bool,
    /// Counts only when it is the whole sentence ("No.").
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub alone: bool,
    /// Whether a negator flips it. False for cues naming what the writer objects to: "stop the
    /// fearmongering" argues the same way as "fearmongering".
    #[serde(default = "defaults::yes", skip_serializing_if = "Clone::clone")]
    pub negatable: bool,
    /// A grammatical frame the cue must stand in: `intent` (after a first-person subject: "I'd buy one",
    /// "we're switching") or `imperative` (at the start of a sentence, after openers such as please:
    /// "Block it.", "Please come over").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frame: Option<Frame>,
}

/// A grammatical frame a cue must stand in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Frame {
    /// After a first-person subject (`intent_subjects`), with at most `intent_gap` words between.
    Intent,
    /// At the start of a sentence, after nothing but `imperative_openers` ("Please come over",
    /// "Block it."), or at most two words after a word of obligation (`obligation_words`: "Congress
    /// should stop this", "they need to come here").
    Imperative,
}

/// Event composition (`[event]`): what is said about the target's event itself.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EventSpec {
    /// Words of the event ("come*", "launch*", "sell*", "let * in", "here"); with a mention of the target
    /// in the sentence they make an event mention.
    pub entry: Vec<String>,
    /// What names the target in an event mention [default: the scope terms].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mentions: Vec<String>,
    /// The weight of an event mention's evaluation.
    #[serde(default = "defaults::event_weight")]
    pub weight: f64,
    /// The least |sum of VADER word valences| of the rest of the sentence that counts as an evaluation.
    #[serde(default = "defaults::min_valence")]
    pub min_valence: f64,
}

mod defaults {
    pub fn event_weight() -> f64 {
        1.5
    }
    pub fn min_valence() -> f64 {
        1.0
    }
    pub fn intent_gap() -> usize {
        3
    }
    pub fn intent_subjects() -> Vec<String> {
        // "ill", "id", "im": I'll, I'd, I'm written without the apostrophe.
        list(&["i", "we", "ill", "id", "im", "ive"])
    }
    pub fn imperative_openers() -> Vec<String> {
        list(&[
            "please",
            "pls",
            "plz",
            "just",
            "so",
            "then",
            "now",
            "ok",
            "okay",
            "yes",
            "and",
            "simply",
            "seriously",
            "guys",
            "already",
            "oh",
            "hey",
            "come",
            "on",
        ])
    }
    pub fn obligation_words() -> Vec<String> {
        list(&[
            "should", "must", "need", "needs", "ought", "gotta", "has", "have",
        ])
    }
    pub fn negation_stops() -> Vec<String> {
        list(&[
            "that", "which", "who", "whom", "whose", "because", "since", "if", "unless", "when",
            "while", "than", "until", "where", "whether",
        ])
    }
    pub fn negation_idioms() -> Vec<String> {
        list(&[
            "not gonna lie",
            "not going to lie",
            "no lie",
            "no doubt",
            "no wonder",
            "not only",
            "not to mention",
            "no matter",
        ])
    }
    pub fn reporting() -> Vec<String> {
        list(&[
            "after the",
            "since the",
            "despite the",
            "amid the",
            "following the",
            "before the",
            "due to the",
            "because of the",
            "over the",
            "lifted the",
            "faced a",
            "faces a",
            "reported",
            "reports",
            "announced",
            "according to",
        ])
    }
    pub fn threshold() -> f64 {
        1.0
    }
    pub fn negation_window() -> usize {
        3
    }
    pub fn weight() -> f64 {
        1.0
    }
    pub fn yes() -> bool {
        true
    }
    pub fn before() -> f64 {
        0.5
    }
    pub fn after() -> f64 {
        1.5
    }
    fn list(words: &[&str]) -> Vec<String> {
        words.iter().map(std::string::ToString::to_string).collect()
    }
    pub fn negators() -> Vec<String> {
        list(&[
            "not", "no", "never", "none", "nothing", "nobody", "neither", "nor", "without",
            "hardly", "barely", "stop", "against",
        ])
    }
    pub fn dismissals() -> Vec<String> {
        list(&[
            "theatre",
            "theater",
            "fud",
            "overblown",
            "overhyped",
            "myth",
            "myths",
            "nonsense",
            "hysteria",
            "paranoia",
            "paranoid",
            "bogus",
            "pretext",
            "an excuse",
            "a joke",
            "baseless",
            "my foot",
            "my ass",
        ])
    }

    pub fn clause_negators() -> Vec<String> {
        list(&[
            "do not think",
            "does not think",
            "did not think",
            "do not believe",
            "does not believe",
        ])
    }
    pub fn contrast() -> Vec<String> {
        list(&["but", "however"])
    }
}

/// Whether `id` may be a target's id: lowercase ASCII letters, digits, `-` and `_`, at least one.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// Scope terms that stand for the target without naming it; they do not make a unit on topic.
const PRONOUNS: &[&str] = &[
    "it", "its", "they", "them", "their", "theirs", "he", "him", "his", "she", "her", "hers", "we",
    "us", "our", "you", "your", "this", "that", "these", "those",
];

/// A validated cue.
#[derive(Debug, Clone, PartialEq)]
pub struct Cue {
    /// The pattern.
    pub pattern: Pattern,
    /// Positive for favor, negative for against.
    pub signed_weight: f64,
    /// Needs a scope term in its sentence.
    pub scoped: bool,
    /// Must be the whole sentence.
    pub alone: bool,
    /// Whether negation flips it.
    pub negatable: bool,
    /// The frame it must stand in, if any.
    pub frame: Option<Frame>,
}

/// A compiled event composition.
#[derive(Debug, Clone)]
pub struct Event {
    /// The event's words.
    pub entry: Vec<Pattern>,
    /// By first word.
    pub entry_index: FirstWordIndex,
    /// What names the target.
    pub mentions: Vec<Pattern>,
    /// By first word.
    pub mention_index: FirstWordIndex,
    /// Weight of an evaluation.
    pub weight: f64,
    /// Least |valence| that counts.
    pub min_valence: f64,
    /// Whether the mentions are the scope terms (so a sentence without one has no event).
    pub mentions_are_scope: bool,
}

/// A validated, compiled target.
#[derive(Debug, Clone)]
pub struct Target {
    /// The file as written (for `learn` and manifests).
    pub file: TargetFile,
    /// All cues, favor first.
    pub cues: Vec<Cue>,
    /// Compiled negators (single words).
    pub negators: Vec<String>,
    /// Compiled clause negators.
    pub clause_negators: Vec<Pattern>,
    /// The clause negators by first word (one pass over a text finds them all, as for the others below).
    pub clause_negator_index: FirstWordIndex,
    /// Compiled contrast words.
    pub contrast: Vec<String>,
    /// Compiled dismissals.
    pub dismissals: Vec<Pattern>,
    /// The dismissals by first word, so that a text is scanned once for all of them.
    pub dismissal_index: FirstWordIndex,
    /// Compiled scope terms.
    pub scope: Vec<Pattern>,
    /// The scope terms by first word.
    pub scope_index: FirstWordIndex,
    /// The scope terms that name the target (not pronouns such as "them"): a unit that has one is on
    /// the target's topic, which tells whether the target fits a corpus at all.
    pub topic: Vec<Pattern>,
    /// The topic terms by first word.
    pub topic_index: FirstWordIndex,
    /// The cues by first word.
    pub index: FirstWordIndex,
    /// Ids of the first words of every index above and below, so that scoring hashes a word once.
    pub vocab: Vocab,
    /// Single words that end a negator's scope.
    pub negation_stops: Vec<String>,
    /// Compiled `negation_idioms`.
    pub negation_idioms: Vec<Pattern>,
    /// The negation idioms by first word.
    pub negation_idiom_index: FirstWordIndex,
    /// Compiled reporting phrases.
    pub reporting: Vec<Pattern>,
    /// The reporting phrases by first word.
    pub reporting_index: FirstWordIndex,
    /// First-person subjects of intent cues.
    pub intent_subjects: Vec<String>,
    /// Imperative openers.
    pub imperative_openers: Vec<String>,
    /// Words of obligation before an imperative cue.
    pub obligation_words: Vec<String>,
    /// Event composition, if configured.
    pub event: Option<Event>,
    /// A learned model that decides from the cues' evidence and the words (`--model`), if any.
    pub model: Option<std::sync::Arc<crate::stance::linear::Model>>,
}

/// The line (from 1) of each `[[favor]]` (or `[[favour]]`) and each `[[against]]` table of a target
/// file's text, in order; a pole's list is empty when its cues are not all such tables (an inline array),
/// as its lines are then not known.
fn cue_lines(text: &str, file: &TargetFile) -> [Vec<usize>; 2] {
    let mut lines = [Vec::new(), Vec::new()];
    for (n, l) in text.lines().enumerate() {
        let head = l.split('#').next().unwrap_or("").replace([' ', '\t'], "");
        match head.as_str() {
            "[[favor]]" | "[[favour]]" => lines[0].push(n + 1),
            "[[against]]" => lines[1].push(n + 1),
            _ => {}
        }
    }
    for (l, n) in lines.iter_mut().zip([file.favor.len(), file.against.len()]) {
        if l.len() != n {
            l.clear();
        }
    }
    lines
}

impl Target {
    /// Reads and validates a target file, with the model it names (`model = "..."`, relative to it).
    pub fn load(path: &Path) -> Result<Target> {
        Target::load_cues(path)?.with_file_model(path)
    }

    /// The target read from `path`, with the model its file names (relative to `path`) deciding; as it
    /// is when it names none.
    pub fn with_file_model(self, path: &Path) -> Result<Target> {
        let Some(m) = self.file.model.clone() else {
            return Ok(self);
        };
        let at = path.parent().unwrap_or(Path::new("")).join(&m);
        let model = crate::stance::linear::Model::load(&at).map_err(|e| match e {
            // A file that cannot be read is named with the key that points to it.
            Error::Read { .. } => Error::Config {
                file: path.to_path_buf(),
                reason: format!(
                    "model {m:?}: {e} (the path is relative to the target file: copy the model beside it, or let the cues decide alone with --no-model or by removing the key)"
                ),
            },
            e => e,
        })?;
        self.attach(model, path)
    }

    /// Reads and validates a target file without the model it may name: its cues alone decide.
    pub fn load_cues(path: &Path) -> Result<Target> {
        let text = std::fs::read_to_string(path).map_err(read_err(path))?;
        Target::parse(&text, path)
    }

    /// The target with `model` deciding, checked to be a model for it; `path` names the target file in
    /// errors.
    pub fn attach(self, model: crate::stance::linear::Model, path: &Path) -> Result<Target> {
        if model.target != self.file.id {
            return Err(Error::Config {
                file: path.to_path_buf(),
                reason: format!(
                    "model {}: it is a model for target {:?}, not {:?}",
                    model.source, model.target, self.file.id
                ),
            });
        }
        Ok(self.with_model(std::sync::Arc::new(model)))
    }

    /// Parses and validates target TOML; `path` names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Target> {
        let err = |reason: String| Error::Config {
            file: path.to_path_buf(),
            reason,
        };
        if text.starts_with("# stancemeter") && text.contains(crate::stance::linear::FORMAT) {
            return Err(err(
                "this is a learned model (learn --model), not a target file: give it with --model, and its target file with --target".into(),
            ));
        }
        let file: TargetFile =
            toml::from_str(text).map_err(|e| err(e.to_string().trim_end().to_string()))?;
        let lines = cue_lines(text, &file);
        Target::from_file_at(file, path, &lines)
    }

    /// Validates a parsed target file; `path` names it in errors.
    pub fn from_file(file: TargetFile, path: &Path) -> Result<Target> {
        Target::from_file_at(file, path, &[Vec::new(), Vec::new()])
    }

    /// [`Target::from_file`], with the line of each favor and of each against cue when known (else
    /// empty lists), for its errors.
    fn from_file_at(file: TargetFile, path: &Path, lines: &[Vec<usize>; 2]) -> Result<Target> {
        let bad = |reason: String| Error::Config {
            file: path.to_path_buf(),
            reason,
        };
        if !valid_id(&file.id) {
            return Err(bad(format!(
                "id {:?}: use lowercase letters, digits, - and _",
                file.id
            )));
        }
        if !(file.threshold.is_finite() && file.threshold > 0.0) {
            return Err(bad(format!(
                "threshold {}: must be a number above 0",
                file.threshold
            )));
        }
        if file.negation_window > 10 {
            return Err(bad(format!(
                "negation_window {}: must be 0 to 10 words",
                file.negation_window
            )));
        }
        for (key, v) in [
            ("before_contrast", file.before_contrast),
            ("after_contrast", file.after_contrast),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(bad(format!("{key} {v}: must be a number of 0 or more")));
            }
        }
        if file.favor.is_empty() && file.against.is_empty() {
            return Err(bad(
                "no cues: give at least one [[favor]] or [[against]] cue".into(),
            ));
        }
        let mut cues = Vec::new();
        let mut seen = std::collections::HashMap::new();
        for (p, (pole, list, sign)) in [
            ("favor", &file.favor, 1.0),
            ("against", &file.against, -1.0),
        ]
        .into_iter()
        .enumerate()
        {
            for (k, c) in list.iter().enumerate() {
                let line = lines[p]
                    .get(k)
                    .map_or_else(String::new, |l| format!(" (line {l})"));
                let at = format!("{pole}[{k}] {:?}{line}", c.cue);
                let pattern = Pattern::compile(&c.cue).map_err(|e| bad(format!("{at}: {e}")))?;
                if !(c.weight.is_finite() && c.weight > 0.0) {
                    return Err(bad(format!(
                        "{at}: weight {} must be a number above 0",
                        c.weight
                    )));
                }
                if c.scoped && file.scope.is_empty() {
                    return Err(bad(format!(
                        "{at}: scoped, but the target has no scope terms"
                    )));
                }
                if let Some(first) = seen.insert((pattern.text.to_lowercase(), c.frame), at.clone())
                {
                    return Err(bad(format!(
                        "{at}: the same cue is given twice; the first is {first}"
                    )));
                }
                cues.push(Cue {
                    pattern,
                    signed_weight: sign * c.weight,
                    scoped: c.scoped,
                    alone: c.alone,
                    negatable: c.negatable,
                    frame: c.frame,
                });
            }
        }
        let compile_all = |key: &str, list: &[String]| -> Result<Vec<Pattern>> {
            list.iter()
                .map(|s| Pattern::compile(s).map_err(|e| bad(format!("{key} {s:?}: {e}"))))
                .collect()
        };
        let single = |key: &str, list: &[String]| -> Result<Vec<String>> {
            list.iter()
                .map(|s| {
                    let w = s.trim().to_lowercase();
                    if w.is_empty() || w.contains(char::is_whitespace) || w.contains('*') {
                        Err(bad(format!(
                            "{key} {s:?}: must be one word without wildcards"
                        )))
                    } else {
                        Ok(w)
                    }
                })
                .collect()
        };
        let dismissals = compile_all("dismissals", &file.dismissals)?;
        let reporting = compile_all("reporting", &file.reporting)?;
        let event = match &file.event {
            None => None,
            Some(e) => {
                if e.entry.is_empty() {
                    return Err(bad(
                        "event.entry: give at least one word of the event".into()
                    ));
                }
                if !(e.weight.is_finite() && e.weight > 0.0) {
                    return Err(bad(format!(
                        "event.weight {}: must be a number above 0",
                        e.weight
                    )));
                }
                if !(e.min_valence.is_finite() && e.min_valence > 0.0) {
                    return Err(bad(format!(
                        "event.min_valence {}: must be a number above 0",
                        e.min_valence
                    )));
                }
                let mentions = if e.mentions.is_empty() {
                    &file.scope
                } else {
                    &e.mentions
                };
                if mentions.is_empty() {
                    return Err(bad(
                        "event: no mentions and no scope terms to find the target by".into(),
                    ));
                }
                let entry = compile_all("event.entry", &e.entry)?;
                let mentions = compile_all("event.mentions", mentions)?;
                Some(Event {
                    entry_index: FirstWordIndex::new(entry.iter()),
                    entry,
                    mention_index: FirstWordIndex::new(mentions.iter()),
                    mentions,
                    weight: e.weight,
                    min_valence: e.min_valence,
                    mentions_are_scope: e.mentions.is_empty(),
                })
            }
        };
        if file.intent_gap > 10 {
            return Err(bad(format!(
                "intent_gap {}: must be 0 to 10 words",
                file.intent_gap
            )));
        }
        let clause_negators = compile_all("clause_negators", &file.clause_negators)?;
        let negation_idioms = compile_all("negation_idioms", &file.negation_idioms)?;
        let scope = compile_all("scope", &file.scope)?;
        let topic = compile_all(
            "scope",
            &file
                .scope
                .iter()
                .filter(|s| !PRONOUNS.contains(&s.trim().to_lowercase().as_str()))
                .cloned()
                .collect::<Vec<_>>(),
        )?;
        let mut t = Target {
            negators: single("negators", &file.negators)?,
            clause_negator_index: FirstWordIndex::new(clause_negators.iter()),
            clause_negators,
            contrast: single("contrast", &file.contrast)?,
            dismissal_index: FirstWordIndex::new(dismissals.iter()),
            dismissals,
            scope_index: FirstWordIndex::new(scope.iter()),
            scope,
            topic_index: FirstWordIndex::new(topic.iter()),
            topic,
            index: FirstWordIndex::new(cues.iter().map(|c| &c.pattern)),
            cues,
            negation_stops: single("negation_stops", &file.negation_stops)?,
            negation_idiom_index: FirstWordIndex::new(negation_idioms.iter()),
            negation_idioms,
            reporting_index: FirstWordIndex::new(reporting.iter()),
            reporting,
            intent_subjects: single("intent_subjects", &file.intent_subjects)?,
            imperative_openers: single("imperative_openers", &file.imperative_openers)?,
            obligation_words: single("obligation_words", &file.obligation_words)?,
            event,
            file,
            model: None,
            vocab: Vocab::default(),
        };
        let mut indexes = vec![
            &t.index,
            &t.scope_index,
            &t.topic_index,
            &t.clause_negator_index,
            &t.dismissal_index,
            &t.reporting_index,
            &t.negation_idiom_index,
        ];
        if let Some(e) = &t.event {
            indexes.push(&e.entry_index);
            indexes.push(&e.mention_index);
        }
        let vocab = Vocab::new(indexes.into_iter());
        for ix in [
            &mut t.index,
            &mut t.scope_index,
            &mut t.topic_index,
            &mut t.clause_negator_index,
            &mut t.dismissal_index,
            &mut t.reporting_index,
            &mut t.negation_idiom_index,
        ] {
            *ix = std::mem::take(ix).with_ids(&vocab);
        }
        if let Some(e) = &mut t.event {
            e.entry_index = std::mem::take(&mut e.entry_index).with_ids(&vocab);
            e.mention_index = std::mem::take(&mut e.mention_index).with_ids(&vocab);
        }
        t.vocab = vocab;
        Ok(t)
    }

    /// The target with a learned model deciding its stance (see [`crate::stance::linear`]); the model
    /// must be one trained for this target's id.
    pub fn with_model(mut self, model: std::sync::Arc<crate::stance::linear::Model>) -> Target {
        self.model = Some(model);
        self
    }

    /// A digest of what gives the cue evidence a model reads: the file without its description,
    /// threshold and model key. `learn --model --target` records it in the model (`cues_sha256`).
    pub fn cue_digest(&self) -> String {
        let mut f = self.file.clone();
        f.description.clear();
        f.threshold = 1.0;
        f.model = None;
        crate::ingest::sha256_hex(toml::to_string(&f).unwrap_or_default().as_bytes())
    }

    /// A warning when the target's model was trained on the evidence of other cues than the target's
    /// own (the cues were edited since): its decisions then rest on evidence it was not fitted to.
    pub fn model_mismatch(&self) -> Option<String> {
        let m = self.model.as_ref().filter(|m| m.lexicon)?;
        let recorded = &m.settings.iter().find(|(k, _)| k == "cues_sha256")?.1;
        (*recorded != self.cue_digest()).then(|| {
            format!(
                "target {}: its cues have changed since its model {} was trained on their evidence; retrain the model (learn --model with this --target; `just train-model` for the default), or let the cues decide alone (--no-model)",
                self.file.id, m.source
            )
        })
    }

    /// The target's id.
    pub fn id(&self) -> &str {
        &self.file.id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> std::result::Result<Target, String> {
        Target::parse(s, Path::new("t.toml")).map_err(|e| e.to_string())
    }

    #[test]
    fn unknown_keys_are_rejected_with_the_file_name() {
        let e = parse("id = \"x\"\ndescription = \"d\"\ntreshold = 2\n[[favor]]\ncue = \"a\"\n")
            .unwrap_err();
        assert!(
            e.starts_with("t.toml: ") && e.contains("unknown field `treshold`"),
            "{e}"
        );
    }

    #[test]
    fn validation_names_the_cue() {
        let e = parse("id = \"x\"\ndescription = \"d\"\n[[against]]\ncue = \"spy*ware\"\n")
            .unwrap_err();
        assert_eq!(
            e,
            "t.toml: against[0] \"spy*ware\" (line 3): \"spy*ware\": a wildcard is a lone * or one * at the end of a word"
        );
        let e = parse("id = \"x\"\ndescription = \"d\"\n[[favor]]\ncue = \"a\"\nweight = 0\n")
            .unwrap_err();
        assert!(
            e.contains("favor[0] \"a\" (line 3): weight 0 must be a number above 0"),
            "{e}"
        );
        let e = parse("id = \"x\"\ndescription = \"d\"\n[[favor]]\ncue = \"a\"\nscoped = true\n")
            .unwrap_err();
        assert!(
            e.contains("scoped, but the target has no scope terms"),
            "{e}"
        );
        let e = parse("id = \"X Y\"\ndescription = \"d\"\n[[favor]]\ncue = \"a\"\n").unwrap_err();
        assert!(e.contains("id \"X Y\""), "{e}");
    }

    #[test]
    fn a_model_given_as_a_target_says_so() {
        let m = include_str!("../../data/targets/xiaomi-us-entry.model");
        let e = parse(m).unwrap_err();
        assert!(
            e.contains("this is a learned model") && e.contains("--model"),
            "{e}"
        );
    }

    /// A cue given twice is named with its line and with the first one; cues in an inline array have no
    /// line to name.
    #[test]
    fn a_repeated_cue_names_both_lines() {
        let e = parse(
            "id = \"x\"\ndescription = \"d\"\n[[favor]]\ncue = \"a\"\n\n[[against]] # no\ncue = \"b\"\n[[favor]]\ncue = \"A\"\n",
        )
        .unwrap_err();
        assert_eq!(
            e,
            "t.toml: favor[1] \"A\" (line 8): the same cue is given twice; the first is favor[0] \"a\" (line 3)"
        );
        let e =
            parse("id = \"x\"\ndescription = \"d\"\nfavor = [{ cue = \"a\" }, { cue = \"a\" }]\n")
                .unwrap_err();
        assert_eq!(
            e,
            "t.toml: favor[1] \"a\": the same cue is given twice; the first is favor[0] \"a\""
        );
    }

    #[test]
    fn patterns_expand_contractions_and_wildcards() {
        let p = Pattern::compile("won't buy spy*").unwrap();
        assert_eq!(
            p.words,
            [
                Word::Exact("will".into()),
                Word::Exact("not".into()),
                Word::Exact("buy".into()),
                Word::Prefix("spy".into())
            ]
        );
        assert!(Pattern::compile("* *").is_err());
    }
}
