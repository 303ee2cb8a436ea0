//! Entities and targeted sentiment: prepared text in, one mention per alias found, each with the VADER
//! score of the clause around it.
//!
//! Matching is on word tokens (contractions and possessives handled as for stance), longest alias first,
//! word-bounded, with three strengths of alias: case-insensitive, exact case, and ambiguous (counted only
//! beside a context term in the same sentence). The file format is documented in data/entities.toml.

use crate::error::{Error, Result, read_err};
use crate::text::phrase::{FirstWordIndex, Pattern, match_at};
use crate::text::tokens::Tok;
use crate::vader::Vader;
use serde::Deserialize;
use std::path::Path;

/// The embedded default entities file.
pub const DEFAULT_ENTITIES: &str = include_str!("../data/entities.toml");
/// Where users edit it; used instead of the embedded copy when present.
pub const DEFAULT_ENTITIES_PATH: &str = "data/entities.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    entity: Vec<Spec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Spec {
    id: String,
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    cased: Vec<String>,
    #[serde(default)]
    ambiguous: Vec<String>,
    #[serde(default)]
    context: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Strength {
    AnyCase,
    Cased,
    Ambiguous,
}

#[derive(Debug, Clone)]
struct Alias {
    pattern: Pattern,
    text: String,
    strength: Strength,
}

/// One entity with its compiled aliases.
#[derive(Debug, Clone)]
pub struct Entity {
    /// Short id for tables.
    pub id: String,
    /// Display name.
    pub name: String,
    aliases: Vec<Alias>,
    context: Vec<String>,
}

/// A validated set of entities.
#[derive(Debug, Clone, Default)]
pub struct Entities {
    /// In file order.
    pub list: Vec<Entity>,
    /// Every alias of every entity by first word: one lookup per word finds the aliases of all
    /// entities that can start there (an index per entity cost a lookup per entity and word).
    index: FirstWordIndex,
    /// The (entity, alias) of each indexed pattern, in index order.
    refs: Vec<(usize, usize)>,
}

pub use crate::model::Mention;

impl Entities {
    /// Reads and validates an entities file.
    pub fn load(path: &Path) -> Result<Entities> {
        let text = std::fs::read_to_string(path).map_err(read_err(path))?;
        Entities::parse(&text, path)
    }

    /// The given file, else data/entities.toml when present, else the embedded default; and its source.
    pub fn resolve(path: Option<&Path>) -> Result<(Entities, String)> {
        match path {
            Some(p) => Ok((Entities::load(p)?, p.display().to_string())),
            None if Path::new(DEFAULT_ENTITIES_PATH).is_file() => Ok((
                Entities::load(Path::new(DEFAULT_ENTITIES_PATH))?,
                DEFAULT_ENTITIES_PATH.into(),
            )),
            None => Ok((
                Entities::parse(DEFAULT_ENTITIES, Path::new("embedded entities"))?,
                "embedded".into(),
            )),
        }
    }

    /// Parses and validates entities TOML; `path` names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Entities> {
        let err = |reason: String| Error::Config {
            file: path.to_path_buf(),
            reason,
        };
        let file: File =
            toml::from_str(text).map_err(|e| err(e.to_string().trim_end().to_string()))?;
        if file.entity.len() > usize::from(u16::MAX) {
            return Err(err(format!(
                "{} entities; at most {} are supported",
                file.entity.len(),
                u16::MAX
            )));
        }
        let mut list = Vec::new();
        for (k, s) in file.entity.into_iter().enumerate() {
            let at = format!("entity[{k}] {:?}", s.id);
            if s.id.trim().is_empty() || s.name.trim().is_empty() {
                return Err(err(format!("entity[{k}]: id and name must not be empty")));
            }
            if list.iter().any(|e: &Entity| e.id == s.id) {
                return Err(err(format!("{at}: the id is used twice")));
            }
            if s.aliases.is_empty() && s.cased.is_empty() && s.ambiguous.is_empty() {
                return Err(err(format!("{at}: give at least one alias")));
            }
            if !s.ambiguous.is_empty() && s.context.is_empty() {
                return Err(err(format!("{at}: ambiguous aliases need context terms")));
            }
            let mut aliases = Vec::new();
            for (list, strength) in [
                (&s.aliases, Strength::AnyCase),
                (&s.cased, Strength::Cased),
                (&s.ambiguous, Strength::Ambiguous),
            ] {
                for a in list {
                    if a.contains('*') {
                        return Err(err(format!(
                            "{at}: alias {a:?}: aliases are literal words, without wildcards"
                        )));
                    }
                    let pattern =
                        Pattern::compile(a).map_err(|e| err(format!("{at}: alias {a:?}: {e}")))?;
                    aliases.push(Alias {
                        pattern,
                        text: a.trim().to_string(),
                        strength,
                    });
                }
            }
            let context = s.context.iter().map(|c| c.trim().to_lowercase()).collect();
            list.push(Entity {
                id: s.id,
                name: s.name,
                aliases,
                context,
            });
        }
        let refs: Vec<(usize, usize)> = list
            .iter()
            .enumerate()
            .flat_map(|(ei, e)| (0..e.aliases.len()).map(move |ai| (ei, ai)))
            .collect();
        let index = FirstWordIndex::new(refs.iter().map(|&(ei, ai)| &list[ei].aliases[ai].pattern));
        Ok(Entities { list, index, refs })
    }

    /// Finds every mention in `text` (tokenised as `toks`), in text order, and scores each one's clause.
    pub fn mentions(&self, text: &str, toks: &[Tok]) -> Vec<Mention> {
        let mut found: Vec<(usize, usize, usize)> = Vec::new(); // (start, end, entity)
        for (s, tok) in toks.iter().enumerate() {
            for k in self.index.candidates(&tok.word) {
                let (ei, ai) = self.refs[k];
                let (e, a) = (&self.list[ei], &self.list[ei].aliases[ai]);
                let Some(end) = match_at(&a.pattern, toks, s) else {
                    continue;
                };
                let w = &toks[s..end];
                let n = w.len();
                let ok = match a.strength {
                    Strength::AnyCase => true,
                    Strength::Cased => text[w[0].start..w[n - 1].end].starts_with(a.text.as_str()),
                    Strength::Ambiguous => {
                        sentence_of(toks, s).iter().any(|t| t.is_one_of(&e.context))
                    }
                };
                if ok {
                    found.push((s, s + n, ei));
                }
            }
        }
        // Matches of the same span and entity are the same mention, so the order they were found in
        // does not matter once sorted.
        found.sort_by_key(|&(s, e, ei)| (s, std::cmp::Reverse(e - s), ei));
        let mut out = Vec::new();
        let mut taken_until = 0;
        let vader = Vader::embedded();
        for (s, e, ei) in found {
            if s < taken_until {
                continue;
            }
            taken_until = e;
            let window = window(toks, s);
            let window_text = &text[toks[window.0].start..toks[window.1 - 1].end];
            out.push(Mention {
                entity: self.list[ei].id.clone(),
                alias: text[toks[s].start..toks[e - 1].end].to_string(),
                sentence: toks[s].sentence + 1,
                window: window_text.to_string(),
                polarity: vader.polarity_scores(window_text),
            });
        }
        out
    }
}

/// The tokens of the sentence that token `at` is in: tokens come in sentence order, so two binary
/// searches find it (a scan of every token per mention made a long comment quadratic).
fn sentence_of<'t, 'a>(toks: &'t [Tok<'a>], at: usize) -> &'t [Tok<'a>] {
    let n = toks[at].sentence;
    let a = toks[..at].partition_point(|t| t.sentence < n);
    let b = at + toks[at..].partition_point(|t| t.sentence == n);
    &toks[a..b]
}

/// Words that end a window as a clause boundary does: what follows them is another thought.
const CONTRAST: &[&str] = &[
    "but", "however", "although", "though", "whereas", "while", "yet",
];

/// The token range scored for a mention at `at`: its clause, cut at contrast words ("Samsung is great,
/// but Huawei is awful" gives each its own half), or its sentence when that leaves fewer than 3 words.
fn window(toks: &[Tok], at: usize) -> (usize, usize) {
    let stop = |k: usize| CONTRAST.contains(&&*toks[k].word);
    let span = |same: &dyn Fn(&Tok) -> bool, cut: bool| {
        let a = (0..=at)
            .rev()
            .take_while(|&k| same(&toks[k]) && !(cut && k != at && stop(k)))
            .last()
            .unwrap_or(at);
        let b = (at..toks.len())
            .take_while(|&k| same(&toks[k]) && !(cut && k != at && stop(k)))
            .last()
            .unwrap_or(at)
            + 1;
        (a, b)
    };
    let clause = span(&|t: &Tok| t.clause == toks[at].clause, true);
    if clause.1 - clause.0 >= 3 {
        clause
    } else {
        span(&|t: &Tok| t.sentence == toks[at].sentence, false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokens::tokenize;

    fn found(text: &str) -> Vec<(String, String)> {
        let (e, _) = Entities::resolve(Some(Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/data/entities.toml"
        ))))
        .unwrap();
        e.mentions(text, &tokenize(text))
            .into_iter()
            .map(|m| (m.entity, m.alias))
            .collect()
    }

    #[test]
    fn multi_word_aliases_and_possessives() {
        assert_eq!(
            found("The Mi Mix 2S beats Xiaomi's Mi 8."),
            [
                ("xiaomi".into(), "Mi Mix 2S".into()),
                ("xiaomi".into(), "Xiaomi's".into()),
                ("xiaomi".into(), "Mi 8".into())
            ]
        );
        assert_eq!(
            found("AT&T and T-Mobile, like MetroPCS."),
            [
                ("carriers".into(), "AT&T".into()),
                ("carriers".into(), "T-Mobile".into()),
                ("carriers".into(), "MetroPCS".into())
            ]
        );
    }

    #[test]
    fn mi_alone_and_lowercase_boost_are_not_mentions() {
        assert!(found("Mi casa es su casa. A boost in sales.").is_empty());
        assert_eq!(
            found("Boost and Cricket sell it."),
            [
                ("carriers".into(), "Boost".into()),
                ("carriers".into(), "Cricket".into())
            ]
        );
    }

    #[test]
    fn ambiguous_aliases_need_context() {
        assert!(found("I ate an apple.").is_empty());
        assert_eq!(
            found("stop trying to protect apple and have some competition"),
            [("apple".into(), "apple".into())]
        );
        assert!(found("Chinese firms have close ties to the government.").is_empty());
        assert_eq!(
            found("It's not the federal government per se."),
            [("us-government".into(), "federal government".into())]
        );
    }

    #[test]
    fn mentions_are_scored_on_their_clause() {
        let (e, _) = Entities::resolve(None).unwrap();
        let text = "Samsung is great, but Huawei is awful.";
        let m = e.mentions(text, &tokenize(text));
        assert_eq!(
            (m[0].window.as_str(), m[1].window.as_str()),
            ("Samsung is great", "Huawei is awful")
        );
        let text = "Samsung is great but Huawei is awful.";
        let m = e.mentions(text, &tokenize(text));
        assert_eq!(
            (m[0].window.as_str(), m[1].window.as_str()),
            ("Samsung is great", "Huawei is awful")
        );
        let text = "Go Xiaomi!";
        assert_eq!(
            e.mentions(text, &tokenize(text))[0].window,
            "Go Xiaomi",
            "short clauses widen to the sentence"
        );
        assert!(m[0].polarity.compound > 0.0 && m[1].polarity.compound < 0.0);
    }

    #[test]
    fn invalid_files_name_the_entity() {
        let e = Entities::parse(
            "[[entity]]\nid = \"x\"\nname = \"X\"\nambiguous = [\"x\"]\n",
            Path::new("e.toml"),
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "e.toml: entity[0] \"x\": ambiguous aliases need context terms"
        );
        let e = Entities::parse("[[entity]]\nid = \"x\"\nnam = \"X\"\n", Path::new("e.toml"))
            .unwrap_err();
        assert!(e.to_string().contains("unknown field `nam`"));
    }
}
