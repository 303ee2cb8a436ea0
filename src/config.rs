//! Run configuration: built once from flags and an optional TOML file, validated, then handed to the
//! pipeline. Stages never see raw arguments.

use crate::error::{Error, Result, read_err};
use crate::export::Dialect;
use crate::ingest::columns::{ColumnRef, Columns};
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

/// A config file as written. Every key is optional; flags given on the command line win.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Corpus files or directories.
    #[serde(default)]
    pub inputs: Vec<PathBuf>,
    /// Output directory.
    pub out: Option<PathBuf>,
    /// Target files.
    #[serde(default)]
    pub targets: Vec<PathBuf>,
    /// The entities file.
    pub entities: Option<PathBuf>,
    /// Worker threads; 0 means one per core.
    pub jobs: Option<usize>,
    /// Score raw text, without normalisation.
    pub raw: Option<bool>,
    /// Score quoted passages as the commenter's own words.
    pub keep_quotes: Option<bool>,
    /// Write bad records to rejects.csv instead of stopping.
    pub skip_bad: Option<bool>,
    /// Spreadsheet CSV: BOM and CRLF.
    pub excel: Option<bool>,
    /// Also write each aggregate table as Parquet.
    pub parquet: Option<bool>,
    /// Input format instead of by extension.
    pub format: Option<String>,
    /// CSV/TSV without a header row.
    pub no_header: Option<bool>,
    /// Column mapping.
    #[serde(default)]
    pub columns: ColumnFile,
}

/// `[columns]` of a config file: names, dotted paths or 1-based indices.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnFile {
    text: Option<ColumnValue>,
    id: Option<ColumnValue>,
    author: Option<ColumnValue>,
    date: Option<ColumnValue>,
    parent: Option<ColumnValue>,
    kind: Option<ColumnValue>,
    doc: Option<ColumnValue>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum ColumnValue {
    Index(i64),
    Name(String),
}

impl ConfigFile {
    /// Reads and parses a config file; errors name the file and the key.
    pub fn load(path: &Path) -> Result<ConfigFile> {
        let text = std::fs::read_to_string(path).map_err(read_err(path))?;
        toml::from_str(&text).map_err(|e| Error::Config {
            file: path.into(),
            reason: e.to_string().trim_end().into(),
        })
    }
}

/// What the user asked for, from flags; `None` means not given.
#[derive(Debug, Default, Clone)]
pub struct Flags {
    /// Positional inputs.
    pub inputs: Vec<PathBuf>,
    /// `--config`.
    pub config: Option<PathBuf>,
    /// `--out`.
    pub out: Option<PathBuf>,
    /// `--target`, repeatable.
    pub targets: Vec<PathBuf>,
    /// `--entities`.
    pub entities: Option<PathBuf>,
    /// `--jobs`.
    pub jobs: Option<usize>,
    /// `--raw`.
    pub raw: bool,
    /// `--keep-quotes`.
    pub keep_quotes: bool,
    /// `--skip-bad`.
    pub skip_bad: bool,
    /// `--excel`.
    pub excel: bool,
    /// `--parquet`.
    pub parquet: bool,
    /// `--format`.
    pub format: Option<String>,
    /// `--no-header`.
    pub no_header: bool,
    /// `--<role>-column` values, as given.
    pub columns: [Option<String>; 7],
    /// The command line, for the manifest.
    pub argv: Vec<String>,
}

/// A validated run configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// What to read.
    pub inputs: Vec<Input>,
    /// Where outputs go.
    pub out: PathBuf,
    /// The targets, validated.
    pub targets: Vec<Target>,
    /// Where each target came from (a path, or "embedded").
    pub target_sources: Vec<String>,
    /// The entities for targeted sentiment.
    pub entities: crate::entity::Entities,
    /// Where they came from (a path, or "embedded").
    pub entities_source: String,
    /// Worker threads (at least 1).
    pub jobs: usize,
    /// Skip the normalisation stage.
    pub raw: bool,
    /// Score quotes of the article or parent as the commenter's own words.
    pub keep_quotes: bool,
    /// Ingest options.
    pub ingest: ingest::Options,
    /// CSV dialect.
    pub dialect: Dialect,
    /// Also write each aggregate table as Parquet.
    pub parquet: bool,
    /// The config file, when one was given (for the manifest).
    pub config_file: Option<PathBuf>,
    /// The command line, for the manifest.
    pub argv: Vec<String>,
}

fn column(
    flag: &str,
    from_flag: &Option<String>,
    from_file: &Option<ColumnValue>,
) -> Result<Option<ColumnRef>> {
    match (from_flag, from_file) {
        (Some(v), _) => ColumnRef::parse(flag, v).map(Some),
        (None, Some(ColumnValue::Name(n))) => ColumnRef::parse(flag, n).map(Some),
        (None, Some(ColumnValue::Index(k))) if *k >= 1 => Ok(Some(ColumnRef::Index(*k as usize))),
        (None, Some(ColumnValue::Index(k))) => Err(Error::Flag {
            flag: flag.into(),
            reason: format!("column index {k} must be 1 or more"),
        }),
        (None, None) => Ok(None),
    }
}

/// Parses a `--format` value, naming the flag on error.
pub fn parse_format(v: &str) -> Result<Format> {
    Format::parse(v).ok_or_else(|| Error::Flag {
        flag: "--format".into(),
        reason: format!("{v:?} is not one of page, text, csv, tsv, jsonl"),
    })
}

/// Builds the column mapping from flags and a config file's `[columns]`.
pub fn columns(flags: &[Option<String>; 7], file: &ColumnFile) -> Result<Columns> {
    Ok(Columns {
        text: column("--text-column", &flags[0], &file.text)?,
        id: column("--id-column", &flags[1], &file.id)?,
        author: column("--author-column", &flags[2], &file.author)?,
        date: column("--date-column", &flags[3], &file.date)?,
        parent: column("--parent-column", &flags[4], &file.parent)?,
        kind: column("--kind-column", &flags[5], &file.kind)?,
        doc: column("--doc-column", &flags[6], &file.doc)?,
    })
}

/// Loads the targets: the given files, or the default one (the editable copy in data/ when present).
pub fn targets(paths: &[PathBuf]) -> Result<(Vec<Target>, Vec<String>)> {
    if paths.is_empty() {
        let p = Path::new(DEFAULT_TARGET_PATH);
        if p.is_file() {
            return Ok((vec![Target::load(p)?], vec![DEFAULT_TARGET_PATH.into()]));
        }
        let t = Target::parse(DEFAULT_TARGET, Path::new("embedded default target"))?;
        return Ok((vec![t], vec!["embedded".into()]));
    }
    let mut ts = Vec::new();
    for p in paths {
        let t = Target::load(p)?;
        if ts.iter().any(|o: &Target| o.id() == t.id()) {
            return Err(Error::Config {
                file: p.clone(),
                reason: format!("target id {:?} is already used by another --target", t.id()),
            });
        }
        ts.push(t);
    }
    Ok((ts, paths.iter().map(|p| p.display().to_string()).collect()))
}

impl Config {
    /// Validates flags (and the config file they name) into a run configuration.
    pub fn build(flags: Flags) -> Result<Config> {
        let file = match &flags.config {
            Some(p) => ConfigFile::load(p)?,
            None => ConfigFile::default(),
        };
        let pick = |flag: bool, from_file: Option<bool>| flag || from_file.unwrap_or(false);
        let format = match flags.format.as_deref().or(file.format.as_deref()) {
            Some(f) => Some(parse_format(f)?),
            None => None,
        };
        let jobs = match flags.jobs.or(file.jobs).unwrap_or(0) {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n if n > 1024 => {
                return Err(Error::Flag {
                    flag: "--jobs".into(),
                    reason: format!("{n} threads is more than 1024"),
                });
            }
            n => n,
        };
        let paths = if flags.inputs.is_empty() {
            file.inputs.clone()
        } else {
            flags.inputs.clone()
        };
        for p in &paths {
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
        let inputs = if paths.is_empty() {
            vec![Input::Embedded {
                name: DEFAULT_CORPUS_NAME.into(),
                text: DEFAULT_CORPUS,
            }]
        } else {
            paths.into_iter().map(Input::Path).collect()
        };
        let (targets, target_sources) = targets(if flags.targets.is_empty() {
            &file.targets
        } else {
            &flags.targets
        })?;
        let (entities, entities_source) = crate::entity::Entities::resolve(
            flags.entities.as_deref().or(file.entities.as_deref()),
        )?;
        Ok(Config {
            inputs,
            entities,
            entities_source,
            out: flags
                .out
                .or(file.out)
                .unwrap_or_else(|| PathBuf::from("reports")),
            targets,
            target_sources,
            jobs,
            raw: pick(flags.raw, file.raw),
            keep_quotes: pick(flags.keep_quotes, file.keep_quotes),
            ingest: ingest::Options {
                format,
                columns: columns(&flags.columns, &file.columns)?,
                no_header: pick(flags.no_header, file.no_header),
                skip_bad: pick(flags.skip_bad, file.skip_bad),
            },
            dialect: Dialect {
                excel: pick(flags.excel, file.excel),
            },
            parquet: pick(flags.parquet, file.parquet),
            config_file: flags.config.clone(),
            argv: flags.argv,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_config_keys_are_errors_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.toml");
        std::fs::write(&p, "jobz = 2\n").unwrap();
        let e = Config::build(Flags {
            config: Some(p.clone()),
            ..Flags::default()
        })
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
        let c = Config::build(Flags {
            config: Some(p),
            jobs: Some(1),
            ..Flags::default()
        })
        .unwrap();
        assert_eq!((c.jobs, c.out.as_path()), (1, Path::new("x")));
        assert_eq!(c.ingest.columns.text, Some(ColumnRef::Index(2)));
        assert!(matches!(c.inputs[0], Input::Embedded { .. }));
    }

    #[test]
    fn bad_format_names_the_flag() {
        let e = Config::build(Flags {
            format: Some("xls".into()),
            ..Flags::default()
        })
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "--format: \"xls\" is not one of page, text, csv, tsv, jsonl"
        );
        assert_eq!(e.exit_code(), 2);
    }
}
