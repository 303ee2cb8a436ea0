//! Target files: TOML that says what favor and against look like for one target.
//!
//! Takes a TOML file, gives a validated [`Target`] with compiled cue patterns. Every error names the file
//! and the key or cue at fault. The format is documented in data/targets/README.md.

use crate::error::{Error, Result, read_err};
pub use crate::text::phrase::{FirstWordIndex, Pattern, Word};
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
}

mod defaults {
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
    /// A learned model that decides from the cues' evidence and the words (`--model`), if any.
    pub model: Option<std::sync::Arc<crate::stance::linear::Model>>,
}

impl Target {
    /// Reads and validates a target file.
    pub fn load(path: &Path) -> Result<Target> {
        let text = std::fs::read_to_string(path).map_err(read_err(path))?;
        Target::parse(&text, path)
    }

    /// Parses and validates target TOML; `path` names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Target> {
        let err = |reason: String| Error::Config {
            file: path.to_path_buf(),
            reason,
        };
        let file: TargetFile =
            toml::from_str(text).map_err(|e| err(e.to_string().trim_end().to_string()))?;
        Target::from_file(file, path)
    }

    /// Validates a parsed target file; `path` names it in errors.
    pub fn from_file(file: TargetFile, path: &Path) -> Result<Target> {
        let bad = |reason: String| Error::Config {
            file: path.to_path_buf(),
            reason,
        };
        if file.id.is_empty()
            || !file
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        {
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
        let mut seen = std::collections::HashSet::new();
        for (pole, list, sign) in [
            ("favor", &file.favor, 1.0),
            ("against", &file.against, -1.0),
        ] {
            for (k, c) in list.iter().enumerate() {
                let at = format!("{pole}[{k}] {:?}", c.cue);
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
                if !seen.insert(pattern.text.to_lowercase()) {
                    return Err(bad(format!("{at}: the same cue is given twice")));
                }
                cues.push(Cue {
                    pattern,
                    signed_weight: sign * c.weight,
                    scoped: c.scoped,
                    alone: c.alone,
                    negatable: c.negatable,
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
        let clause_negators = compile_all("clause_negators", &file.clause_negators)?;
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
        Ok(Target {
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
            file,
            model: None,
        })
    }

    /// The target with a learned model deciding its stance (see [`crate::stance::linear`]); the model
    /// must be one trained for this target's id.
    pub fn with_model(mut self, model: std::sync::Arc<crate::stance::linear::Model>) -> Target {
        self.model = Some(model);
        self
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
            "t.toml: against[0] \"spy*ware\": \"spy*ware\": a wildcard is a lone * or one * at the end of a word"
        );
        let e = parse("id = \"x\"\ndescription = \"d\"\n[[favor]]\ncue = \"a\"\nweight = 0\n")
            .unwrap_err();
        assert!(
            e.contains("favor[0] \"a\": weight 0 must be a number above 0"),
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
