//! Run configuration: built once from flags and an optional TOML file, validated, then handed to the
//! pipeline. Stages never see raw arguments.

use crate::error::{Error, Result, read_err};
use crate::export::Dialect;
#[cfg(test)]
use crate::ingest::columns::ColumnRef;
use crate::ingest::columns::Columns;
use crate::ingest::{self, Format, Input};
use crate::stance::Target;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The embedded default corpus: the 2018 AndroidPIT article with its reader comments.
pub const DEFAULT_CORPUS: &str = include_str!("../data/corpus/xiaomi-us-entry.txt");
/// Its name in provenance and messages.
pub const DEFAULT_CORPUS_NAME: &str = "data/corpus/xiaomi-us-entry.txt";
/// The default target, used when no target is given.
pub const DEFAULT_TARGET: &str = include_str!("../data/targets/xiaomi-us-entry.toml");
/// Where the default target lives for users to edit; used instead of the embedded copy when present.
pub const DEFAULT_TARGET_PATH: &str = "data/targets/xiaomi-us-entry.toml";
/// The default target's learned model (its `model` key), trained on data/stance by `just train-model`.
pub const DEFAULT_MODEL: &str = include_str!("../data/targets/xiaomi-us-entry.model");
/// Where the default target's model lives beside it.
pub const DEFAULT_MODEL_PATH: &str = "data/targets/xiaomi-us-entry.model";

/// What `run` is asked to do: the same type from the command line and from a config file, merged once
/// ([`RunOptions::or`]: flags win) and validated once ([`Config::build`]). In a config file every key is
/// optional and an unknown key is an error.
#[derive(Debug, Default, Clone, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[serde(deny_unknown_fields)]
pub struct RunOptions {
    /// Corpus files or directories, or - for stdin [default: the embedded AndroidPIT article].
    #[serde(default)]
    pub inputs: Vec<PathBuf>,
    /// Output directory [default: reports].
    #[cfg_attr(feature = "cli", arg(long, short, value_name = "DIR"))]
    pub out: Option<PathBuf>,
    /// A config file (TOML); flags given here win over it.
    #[cfg_attr(feature = "cli", arg(long, value_name = "FILE"))]
    #[serde(skip)]
    pub config: Option<PathBuf>,
    /// A stance target file (TOML); repeat for several [default: data/targets/xiaomi-us-entry.toml].
    #[cfg_attr(feature = "cli", arg(long = "target", value_name = "FILE"))]
    #[serde(default)]
    pub targets: Vec<PathBuf>,
    /// A learned stance model (`learn --model`) that decides for the target of its id, instead of the
    /// model its target file names; repeat for several.
    #[cfg_attr(feature = "cli", arg(long = "model", value_name = "FILE"))]
    #[serde(default)]
    pub models: Vec<PathBuf>,
    /// Decide stance by the targets' cues alone, without the models their files name.
    #[cfg_attr(feature = "cli", arg(long, conflicts_with = "models"))]
    #[serde(default)]
    pub no_model: bool,
    /// Worker threads; 0 means one per core.
    #[cfg_attr(feature = "cli", arg(long, short, value_name = "N"))]
    pub jobs: Option<usize>,
    /// Score the raw text: no normalisation of apostrophes, entities and zero-width characters.
    #[cfg_attr(feature = "cli", arg(long))]
    #[serde(default)]
    pub raw: bool,
    /// The entities file for targeted sentiment [default: data/entities.toml].
    #[cfg_attr(feature = "cli", arg(long, value_name = "FILE"))]
    pub entities: Option<PathBuf>,
    /// Score passages that quote the article or the parent comment as the commenter's own words.
    #[cfg_attr(feature = "cli", arg(long))]
    #[serde(default)]
    pub keep_quotes: bool,
    /// Write bad records to rejects.csv and go on, instead of stopping at the first.
    #[cfg_attr(feature = "cli", arg(long))]
    #[serde(default)]
    pub skip_bad: bool,
    /// Spreadsheet CSV: UTF-8 BOM and CRLF line ends.
    #[cfg_attr(feature = "cli", arg(long))]
    #[serde(default)]
    pub excel: bool,
    /// Also write every aggregate table, and the units, as Parquet (exact text, typed columns).
    #[cfg_attr(feature = "cli", arg(long))]
    #[serde(default)]
    pub parquet: bool,
    /// Also write stancemeter.xlsx: a workbook with a sheet per table and one of the units.
    #[cfg_attr(feature = "cli", arg(long))]
    #[serde(default)]
    pub xlsx: bool,
    /// Open the report in the default browser when the run is done (not in a config file).
    #[cfg_attr(feature = "cli", arg(long))]
    #[serde(skip)]
    pub open: bool,
    /// Print nothing when the run succeeds (errors still go to stderr; warnings stay in run.json).
    #[cfg_attr(feature = "cli", arg(long, short = 'q', conflicts_with = "verbose"))]
    #[serde(skip)]
    pub quiet: bool,
    /// Also print the seconds each stage took (they are in run.json either way).
    #[cfg_attr(feature = "cli", arg(long, short = 'v'))]
    #[serde(skip)]
    pub verbose: bool,
    /// Input format instead of by extension: page, text, csv, tsv or jsonl.
    #[cfg_attr(feature = "cli", arg(long, value_name = "FORMAT"))]
    pub format: Option<String>,
    /// The CSV or TSV file has no header row: choose columns by index.
    #[cfg_attr(feature = "cli", arg(long))]
    #[serde(default)]
    pub no_header: bool,
    /// The CSV field delimiter: , ; | or tab [default: sniffed from each file's header line].
    #[cfg_attr(feature = "cli", arg(long, value_name = "CHAR"))]
    pub delimiter: Option<String>,
    /// The inputs' encoding, e.g. windows-1252, latin1, utf-16le [default: UTF-8, or UTF-16 with a BOM].
    #[cfg_attr(feature = "cli", arg(long, value_name = "NAME"))]
    pub encoding: Option<String>,
    /// Reject a text longer than this many bytes, with its size, as a bad record; 0 means no limit
    /// [default: 1048576, 1 MiB].
    #[cfg_attr(feature = "cli", arg(long, value_name = "BYTES"))]
    pub max_text_bytes: Option<usize>,
    /// Reject a JSONL record that nests arrays and objects more than this many levels deep, as a bad
    /// record; 1 to 127 [default: 127, the JSON parser's own bound].
    #[cfg_attr(feature = "cli", arg(long, value_name = "LEVELS"))]
    pub max_json_depth: Option<usize>,
    /// Which field holds what (`[columns]` in a config file).
    #[cfg_attr(feature = "cli", command(flatten))]
    #[serde(default)]
    pub columns: Columns,
}

impl RunOptions {
    /// Reads and parses a config file; errors name the file and the key. Its relative paths (inputs, out,
    /// targets, models, entities) are taken from the file's folder, wherever the run starts.
    pub fn load(path: &Path) -> Result<RunOptions> {
        let text = std::fs::read_to_string(path).map_err(read_err(path))?;
        let mut o: RunOptions = toml::from_str(&text).map_err(|e| Error::Config {
            file: path.into(),
            reason: e.to_string().trim_end().into(),
        })?;
        let base = path.parent().unwrap_or(Path::new(""));
        let near = |p: &mut PathBuf| {
            if p.is_relative() && p.as_os_str() != "-" {
                *p = base.join(&*p);
            }
        };
        o.inputs.iter_mut().for_each(near);
        o.targets.iter_mut().for_each(near);
        o.models.iter_mut().for_each(near);
        o.out.iter_mut().for_each(near);
        o.entities.iter_mut().for_each(near);
        Ok(o)
    }

    /// These options, with `file`'s where these give none: the command line wins over the config file.
    #[must_use]
    pub fn or(self, file: RunOptions) -> RunOptions {
        let list = |a: Vec<PathBuf>, b: Vec<PathBuf>| if a.is_empty() { b } else { a };
        RunOptions {
            inputs: list(self.inputs, file.inputs),
            out: self.out.or(file.out),
            config: self.config,
            targets: list(self.targets, file.targets),
            models: list(self.models, file.models),
            no_model: self.no_model || file.no_model,
            jobs: self.jobs.or(file.jobs),
            raw: self.raw || file.raw,
            entities: self.entities.or(file.entities),
            keep_quotes: self.keep_quotes || file.keep_quotes,
            skip_bad: self.skip_bad || file.skip_bad,
            excel: self.excel || file.excel,
            parquet: self.parquet || file.parquet,
            xlsx: self.xlsx || file.xlsx,
            open: self.open,
            quiet: self.quiet,
            verbose: self.verbose,
            format: self.format.or(file.format),
            no_header: self.no_header || file.no_header,
            delimiter: self.delimiter.or(file.delimiter),
            encoding: self.encoding.or(file.encoding),
            max_text_bytes: self.max_text_bytes.or(file.max_text_bytes),
            max_json_depth: self.max_json_depth.or(file.max_json_depth),
            columns: self.columns.or(file.columns),
        }
    }
}

/// A validated run configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// What to read.
    pub inputs: Vec<Input>,
    /// Where outputs go.
    pub out: PathBuf,
    /// The scorer: targets, entities, raw and keep_quotes, validated and compiled once.
    pub scorer: crate::score::Scorer,
    /// Where each target came from (a path, or "embedded").
    pub target_sources: Vec<String>,
    /// Where the entities came from (a path, or "embedded").
    pub entities_source: String,
    /// Worker threads (at least 1).
    pub jobs: usize,
    /// Ingest options.
    pub ingest: ingest::Options,
    /// CSV dialect.
    pub dialect: Dialect,
    /// Also write each aggregate table, and the units, as Parquet.
    pub parquet: bool,
    /// Also write the workbook.
    pub xlsx: bool,
    /// The config file, when one was given (for the manifest).
    pub config_file: Option<PathBuf>,
    /// The command line, for the manifest.
    pub argv: Vec<String>,
}

/// Parses a `--delimiter` value: one ASCII character, or `tab`.
pub fn parse_delimiter(v: &str) -> Result<u8> {
    match v {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        _ if v.len() == 1 && v.is_ascii() && v != "\"" && v != "\n" && v != "\r" => {
            Ok(v.as_bytes()[0])
        }
        _ => Err(Error::Flag {
            flag: "--delimiter".into(),
            reason: format!("{v:?} is not one ASCII character such as , ; | or tab"),
        }),
    }
}

/// The text size limit from `--max-text-bytes`: the default when not given, none when 0.
pub fn max_text_bytes(flag: Option<usize>) -> Option<usize> {
    match flag.unwrap_or(ingest::DEFAULT_MAX_TEXT_BYTES) {
        0 => None,
        n => Some(n),
    }
}

/// The JSON nesting limit from `--max-json-depth`: the parser's own bound when not given.
pub fn max_json_depth(flag: Option<usize>) -> Result<usize> {
    let max = ingest::records::MAX_JSON_DEPTH;
    match flag.unwrap_or(max) {
        n @ 1.. if n <= max => Ok(n),
        n => Err(Error::Flag {
            flag: "--max-json-depth".into(),
            reason: format!(
                "{n} is not a depth from 1 to {max} ({max} is the JSON parser's own bound on its stack)"
            ),
        }),
    }
}

/// Parses an `--encoding` label (the WHATWG names and aliases: windows-1252, latin1, utf-16le, ...).
pub fn parse_encoding(v: &str) -> Result<&'static encoding_rs::Encoding> {
    encoding_rs::Encoding::for_label(v.trim().as_bytes()).ok_or_else(|| Error::Flag {
        flag: "--encoding".into(),
        reason: format!(
            "{v:?} is not an encoding name; try utf-8, windows-1252, latin1, utf-16le or utf-16be"
        ),
    })
}

/// Parses a `--format` value, naming the flag on error.
pub fn parse_format(v: &str) -> Result<Format> {
    Format::parse(v).ok_or_else(|| Error::Flag {
        flag: "--format".into(),
        reason: format!("{v:?} is not one of page, text, csv, tsv, jsonl"),
    })
}

/// Loads the targets, each with the model that decides it: one given by `models` (`--model`) for its
/// id, else the model its file names, or none with `no_model` (`--no-model`). The targets are the files
/// of `paths`, or the default one (the editable copy in data/ when present, else the embedded one).
/// A model a target file names is read only when it decides, so `--no-model` and `--model` work for a
/// target whose model file is missing.
pub fn targets(
    paths: &[PathBuf],
    models: &[PathBuf],
    no_model: bool,
) -> Result<(Vec<Target>, Vec<String>)> {
    let given = given_models(models, no_model)?;
    if paths.is_empty() {
        let p = Path::new(DEFAULT_TARGET_PATH);
        if p.is_file() {
            let found = vec![(Target::load_cues(p)?, Some(p.to_path_buf()))];
            return Ok((
                decide(found, given, no_model)?,
                vec![DEFAULT_TARGET_PATH.into()],
            ));
        }
        let found = vec![(embedded_cues()?, None)];
        return Ok((decide(found, given, no_model)?, vec!["embedded".into()]));
    }
    let mut found: Vec<(Target, Option<PathBuf>)> = Vec::new();
    for p in paths {
        let t = Target::load_cues(p).map_err(|e| match e {
            // A file that cannot be read is named with the flag that gave it.
            Error::Read { .. } => Error::Flag {
                flag: "--target".into(),
                reason: e.to_string(),
            },
            e => e,
        })?;
        if found.iter().any(|(o, _)| o.id() == t.id()) {
            return Err(Error::Config {
                file: p.clone(),
                reason: format!("target id {:?} is already used by another --target", t.id()),
            });
        }
        found.push((t, Some(p.clone())));
    }
    let sources = paths.iter().map(|p| p.display().to_string()).collect();
    Ok((decide(found, given, no_model)?, sources))
}

/// The embedded default target, with its embedded model unless `models` gives another or `no_model`.
pub fn embedded_targets(models: &[PathBuf], no_model: bool) -> Result<Vec<Target>> {
    let given = given_models(models, no_model)?;
    decide(vec![(embedded_cues()?, None)], given, no_model)
}

/// The embedded default target with its embedded model.
pub fn default_target() -> Result<Target> {
    embedded_model(embedded_cues()?)
}

const EMBEDDED_TARGET_NAME: &str = "embedded default target";

/// The `source` of the embedded default model, which says where a model was read from.
pub const EMBEDDED_MODEL_SOURCE: &str = "embedded default model";

/// The embedded default target without a model.
fn embedded_cues() -> Result<Target> {
    Target::parse(DEFAULT_TARGET, Path::new(EMBEDDED_TARGET_NAME))
}

fn embedded_model(t: Target) -> Result<Target> {
    if t.file.model.is_none() {
        return Ok(t);
    }
    let mut m = crate::stance::linear::Model::parse(DEFAULT_MODEL, Path::new(DEFAULT_MODEL_PATH))?;
    m.source = EMBEDDED_MODEL_SOURCE.into();
    t.attach(m, Path::new(EMBEDDED_TARGET_NAME))
}

/// Reads the `--model` files, each for a different target; a file that cannot be read names the flag.
fn given_models(
    models: &[PathBuf],
    no_model: bool,
) -> Result<Vec<(PathBuf, crate::stance::linear::Model)>> {
    if no_model && !models.is_empty() {
        return Err(Error::Flag {
            flag: "--no-model".into(),
            reason: "give either models (--model, or models in a config file) or --no-model (no_model in a config file), not both".into(),
        });
    }
    let mut given: Vec<(PathBuf, crate::stance::linear::Model)> = Vec::new();
    for p in models {
        let m = crate::stance::linear::Model::load(p).map_err(|e| match e {
            Error::Read { .. } => Error::Flag {
                flag: "--model".into(),
                reason: e.to_string(),
            },
            e => e,
        })?;
        if given.iter().any(|(_, o)| o.target == m.target) {
            return Err(Error::Flag {
                flag: "--model".into(),
                reason: format!(
                    "{}: target {:?} already has a model from another --model",
                    p.display(),
                    m.target
                ),
            });
        }
        given.push((p.clone(), m));
    }
    Ok(given)
}

/// Gives each target its deciding model: a given one for its id, else the one its file (at the path, or
/// the embedded default when `None`) names, unless `no_model`.
fn decide(
    found: Vec<(Target, Option<PathBuf>)>,
    mut given: Vec<(PathBuf, crate::stance::linear::Model)>,
    no_model: bool,
) -> Result<Vec<Target>> {
    let ids: Vec<String> = found.iter().map(|(t, _)| t.id().to_string()).collect();
    if let Some((p, m)) = given.iter().find(|(_, m)| !ids.contains(&m.target)) {
        return Err(Error::Flag {
            flag: "--model".into(),
            reason: format!(
                "{} is a model for target {:?}, but the targets are {}: give its target file with --target",
                p.display(),
                m.target,
                ids.join(", ")
            ),
        });
    }
    found
        .into_iter()
        .map(|(t, at)| {
            if no_model {
                return Ok(t);
            }
            if let Some(k) = given.iter().position(|(_, m)| m.target == t.id()) {
                let (_, m) = given.swap_remove(k);
                return Ok(t.with_model(std::sync::Arc::new(m)));
            }
            match at {
                Some(p) => t.with_file_model(&p),
                None => embedded_model(t),
            }
        })
        .collect()
}

impl Config {
    /// Merges `flags` with the config file they name (flags win) and validates the result. `argv` is the
    /// command line, for the manifest.
    pub fn build(flags: RunOptions, argv: Vec<String>) -> Result<Config> {
        let file = match &flags.config {
            Some(p) => RunOptions::load(p)?,
            None => RunOptions::default(),
        };
        let o = flags.or(file);
        let format = o.format.as_deref().map(parse_format).transpose()?;
        let jobs = match o.jobs.unwrap_or(0) {
            0 => std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
            n if n > 1024 => {
                return Err(Error::Flag {
                    flag: "--jobs".into(),
                    reason: format!("{n} threads is more than 1024"),
                });
            }
            n => n,
        };
        for p in &o.inputs {
            if p.as_os_str() != "-" && !p.exists() {
                return Err(Error::Read {
                    path: p.clone(),
                    source: std::io::Error::new(
                        std::io::ErrorKind::NotFound,
                        "no such file or directory",
                    ),
                });
            }
        }
        let inputs = if o.inputs.is_empty() {
            vec![Input::Embedded {
                name: DEFAULT_CORPUS_NAME.into(),
                text: DEFAULT_CORPUS,
            }]
        } else {
            o.inputs.into_iter().map(Input::Path).collect()
        };
        let (targets, target_sources) = targets(&o.targets, &o.models, o.no_model)?;
        let (entities, entities_source) = crate::entity::Entities::resolve(o.entities.as_deref())?;
        // Without `out` anywhere: reports/ beside the config file, if one is given, as its other paths.
        let out = o
            .out
            .unwrap_or_else(|| match o.config.as_deref().and_then(Path::parent) {
                Some(dir) => dir.join("reports"),
                None => PathBuf::from("reports"),
            });
        let scorer = crate::score::Scorer::new(targets, Some(entities), o.raw, o.keep_quotes)
            .explained(true)
            .detailed(true);
        Ok(Config {
            inputs,
            scorer,
            entities_source,
            out: out.clone(),
            target_sources,
            jobs,
            ingest: ingest::Options {
                format,
                columns: o.columns,
                no_header: o.no_header,
                skip_bad: o.skip_bad,
                skip_dir: Some(out.clone()),
                delimiter: o.delimiter.as_deref().map(parse_delimiter).transpose()?,
                encoding: o.encoding.as_deref().map(parse_encoding).transpose()?,
                max_text_bytes: max_text_bytes(o.max_text_bytes),
                max_json_depth: max_json_depth(o.max_json_depth)?,
            },
            dialect: Dialect { excel: o.excel },
            parquet: o.parquet,
            xlsx: o.xlsx,
            config_file: o.config,
            argv,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The embedded default target carries its embedded model, the same as the file in data/ gives, and
    /// `no_model` drops it.
    #[test]
    fn the_default_target_has_its_model() {
        let t = default_target().unwrap();
        let m = t.model.as_ref().expect("the default target names a model");
        assert_eq!(m.source, EMBEDDED_MODEL_SOURCE);
        assert_eq!(m.target, t.id());
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let on_disk = Target::load(&root.join(DEFAULT_TARGET_PATH)).unwrap();
        assert_eq!(on_disk.model.as_deref().map(|m| &m.names), Some(&m.names));
        let plain = embedded_targets(&[], true).unwrap();
        assert!(plain[0].model.is_none());
        assert_eq!(plain[0].id(), t.id());
    }

    /// A target file whose model is missing fails by itself, naming the file and the key, but loads with
    /// `no_model` or with another model given for it, as the missing file is then never read; a given
    /// model file that is missing names --model.
    #[test]
    fn a_missing_model_file_matters_only_when_it_decides() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("t.toml");
        std::fs::copy(root.join(DEFAULT_TARGET_PATH), &target).unwrap();
        let paths = [target.clone()];
        let e = targets(&paths, &[], false).unwrap_err().to_string();
        assert!(
            e.contains("t.toml") && e.contains("model \"xiaomi-us-entry.model\""),
            "{e}"
        );
        let (cues, _) = targets(&paths, &[], true).unwrap();
        assert!(cues[0].model.is_none());
        let model = root.join("data/targets/xiaomi-us-entry.model");
        let (with, _) = targets(&paths, std::slice::from_ref(&model), false).unwrap();
        assert_eq!(
            with[0].model.as_ref().unwrap().source,
            model.display().to_string()
        );
        let gone = dir.path().join("gone.model");
        let e = targets(&paths, &[gone], false).unwrap_err().to_string();
        assert!(
            e.starts_with("--model: ") && e.contains("gone.model"),
            "{e}"
        );
        let e = targets(&paths, &[model], true).unwrap_err().to_string();
        assert!(e.starts_with("--no-model: "), "{e}");
    }

    #[test]
    fn unknown_config_keys_are_errors_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.toml");
        std::fs::write(&p, "jobz = 2\n").unwrap();
        let e = Config::build(
            RunOptions {
                config: Some(p.clone()),
                ..RunOptions::default()
            },
            Vec::new(),
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.starts_with(&p.display().to_string()) && e.contains("unknown field `jobz`"),
            "{e}"
        );
    }

    #[test]
    fn flags_win_over_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.toml");
        std::fs::write(&p, "jobs = 3\nout = \"x\"\n[columns]\ntext = 2\n").unwrap();
        let c = Config::build(
            RunOptions {
                config: Some(p),
                jobs: Some(1),
                ..RunOptions::default()
            },
            Vec::new(),
        )
        .unwrap();
        // The file's paths are its folder's.
        assert_eq!(
            (c.jobs, c.out.as_path()),
            (1, dir.path().join("x").as_path())
        );
        assert_eq!(c.ingest.columns.text, Some(ColumnRef::Index(2)));
        assert!(matches!(c.inputs[0], Input::Embedded { .. }));
    }

    #[test]
    fn bad_format_names_the_flag() {
        let e = Config::build(
            RunOptions {
                format: Some("xls".into()),
                ..RunOptions::default()
            },
            Vec::new(),
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "--format: \"xls\" is not one of page, text, csv, tsv, jsonl"
        );
        assert_eq!(e.exit_code(), 2);
    }
}
