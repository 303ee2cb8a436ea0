//! Helpers shared by the integration tests.
#![allow(clippy::print_stderr)] // says SKIPPED on the console
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// Writes `body` to `dir/name` and gives the path.
pub fn write(dir: &Path, name: &str, body: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, body).unwrap();
    p
}

/// `stancemeter run INPUT --out OUT`, run and asserted on by the caller.
pub fn run_into(input: &Path, out: &Path) -> assert_cmd::assert::Assert {
    run_into_with(input, out, &[])
}

/// [`run_into`] with more flags.
pub fn run_into_with(input: &Path, out: &Path, flags: &[&str]) -> assert_cmd::assert::Assert {
    bin()
        .arg("run")
        .arg(input)
        .args(flags)
        .arg("--out")
        .arg(out)
        .assert()
}

/// The run.json of the output folder `out`, parsed.
pub fn manifest(out: &Path) -> serde_json::Value {
    let path = out.join("run.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The project root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture under tests/fixtures.
pub fn fixture(rel: &str) -> PathBuf {
    root().join("tests/fixtures").join(rel)
}

/// ../shared/vader-conformance, or `None` (with a note on stderr) in a clone without it. Under CI
/// (`CI=true`) its absence is a failure, not a skip: CI always has it, so a silent pass would hide a break.
pub fn conformance() -> Option<PathBuf> {
    let p = root().join("../shared/vader-conformance");
    if p.join("corpora").is_dir() {
        Some(p)
    } else if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "{} not found, and CI=true: the conformance corpora must be there",
            p.display()
        );
    } else {
        eprintln!(
            "SKIPPED: {} not found; the VADER ground-truth corpora are third-party files kept outside the repository",
            p.display()
        );
        None
    }
}

/// The stancemeter binary, ready to run.
pub fn bin() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("stancemeter").expect("binary built")
}

/// Reads a CSV file into its header and rows.
pub fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

/// The conformance corpora as (id, human mean, text), parsed exactly as make_expected.py does.
pub fn corpus(path: &Path) -> Vec<(String, f64, String)> {
    let text = std::fs::read_to_string(path).unwrap();
    text.split('\n')
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.is_empty())
        .map(|l| {
            let mut f = l.splitn(3, '\t');
            let id = f.next().unwrap().to_string();
            let mean = f.next().unwrap().parse().unwrap();
            (id, mean, f.next().unwrap_or("").to_string())
        })
        .collect()
}
