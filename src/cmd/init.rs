//! `stancemeter init [DIR]`: editable copies of the default target and entities, and a commented config.

use super::out;
use stancemeter::config::{DEFAULT_MODEL, DEFAULT_MODEL_PATH, DEFAULT_TARGET, DEFAULT_TARGET_PATH};
use stancemeter::entity::{DEFAULT_ENTITIES, DEFAULT_ENTITIES_PATH};
use stancemeter::error::write_err;
use std::path::PathBuf;

/// `init`'s arguments.
#[derive(clap::Args)]
pub struct Args {
    /// The folder to write into; runs started there use the copies.
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Replace files that already exist.
    #[arg(long)]
    force: bool,
}

/// A config file with every key, commented, at the values a run uses without one.
const CONFIG: &str = r#"# stancemeter.toml: use with `stancemeter run --config stancemeter.toml`. Flags given on the
# command line win over what is here; an unknown key is an error. Every key is optional. Paths are
# relative to this file's folder.

# inputs = ["exports/"]             # files or folders (.csv .tsv .jsonl .ndjson .txt), or "-" for stdin
# out = "reports"                    # the output folder (reports/ beside this file): each run replaces its files
targets = ["data/targets/xiaomi-us-entry.toml"]   # one or more stance targets
entities = "data/entities.toml"      # who gets targeted sentiment
# models = []                        # learned models (learn --model) instead of those the targets name
# no_model = false                   # decide stance by the targets' cues alone
# jobs = 0                           # worker threads; 0 = one per core
# skip_bad = false                   # bad records to rejects.csv instead of stopping
# max_text_bytes = 1048576           # a longer text is a bad record; 0 lifts the limit
# max_json_depth = 127               # a JSONL record nested deeper is a bad record; 1 to 127
# raw = false                        # no normalisation (apostrophes, entities, zero-width characters)
# keep_quotes = false                # score quoted passages as the commenter's own words
# excel = false                      # CSV with a BOM and CRLF line ends
# parquet = false                    # every table also as Parquet
# xlsx = false                       # every table and the units in one workbook, stancemeter.xlsx
# encoding = "utf-8"                 # the inputs' encoding, instead of UTF-8 or a Windows-1252 guess
# format = "csv"                     # page, text, csv, tsv or jsonl, instead of by extension and content
# delimiter = ";"                    # the CSV delimiter, instead of sniffing it
# no_header = false                  # CSV/TSV without a header row (choose columns by index)

[columns]                            # a name, a dotted JSON path, or a 1-based index
# text = "message"
# id = "comment_id"
# author = "user"
# date = "posted_at"
# parent = "parent_id"
# kind = "kind"
# doc = "link_id"
"#;

/// Writes the four files, refusing to replace existing ones unless `--force`.
pub fn run(a: Args) -> anyhow::Result<()> {
    let files = [
        (a.dir.join(DEFAULT_TARGET_PATH), DEFAULT_TARGET),
        (a.dir.join(DEFAULT_MODEL_PATH), DEFAULT_MODEL),
        (a.dir.join(DEFAULT_ENTITIES_PATH), DEFAULT_ENTITIES),
        (a.dir.join("stancemeter.toml"), CONFIG),
    ];
    if !a.force
        && let Some((p, _)) = files.iter().find(|(p, _)| p.exists())
    {
        return Err(stancemeter::Error::Flag {
            flag: "init".into(),
            reason: format!(
                "{} already exists: edit it, or give --force to replace it with the default",
                p.display()
            ),
        }
        .into());
    }
    let mut said = String::new();
    for (path, text) in &files {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(write_err(parent))?;
        }
        std::fs::write(path, text).map_err(write_err(path))?;
        said += &format!("wrote {}\n", path.display());
    }
    said += &format!(
        "runs started in {} now use these copies: edit the cues, entities and settings, then\n  stancemeter run --config stancemeter.toml\n",
        a.dir.display()
    );
    out(&said)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The written config file, every key uncommented, is a valid config that sets every setting a run
    /// reads from one (a key left out of it was found by a user looking for `xlsx`).
    #[test]
    fn the_config_file_lists_every_key() {
        let all: String = CONFIG
            .lines()
            .map(|l| {
                let l = l.strip_prefix("# ").unwrap_or(l);
                let is_key = l.split_once(" = ").is_some_and(|(k, _)| {
                    !k.is_empty() && k.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                });
                if is_key { l } else { "" }
            })
            .map(|l| format!("{l}\n"))
            .collect();
        // The [columns] table's keys come after its header.
        let (top, columns) = all.split_at(all.find("text = ").unwrap());
        let text = format!("{top}\n[columns]\n{columns}");
        let o: stancemeter::config::RunOptions = toml::from_str(&text).expect("valid");
        assert!(o.encoding.is_some() && o.out.is_some() && o.columns.doc.is_some());
        // Every option of `run` that a config file can hold (all but the flags of one invocation), the
        // columns' under [columns].
        let mut keys: Vec<String> = text
            .lines()
            .filter_map(|l| l.split_once(" = ").map(|(k, _)| k.to_string()))
            .collect();
        keys.sort();
        let cmd = <stancemeter::config::RunOptions as clap::Args>::augment_args(
            clap::Command::new("run"),
        );
        let mut options: Vec<String> = cmd
            .get_arguments()
            .map(|a| a.get_id().to_string())
            .filter(|id| !["config", "open", "quiet", "verbose"].contains(&id.as_str()))
            .collect();
        options.sort();
        assert_eq!(keys, options);
    }
}
