//! Replays every input the fuzzers kept (crashes found and fixed, and the corpus of interesting inputs)
//! through the same harness the fuzz targets use: `tests/fuzz_regressions/<target>/<file>`.

#[path = "../fuzz/harness.rs"]
mod harness;

fn replay(target: &str, run: fn(&[u8])) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_regressions")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{}: no inputs kept", dir.display());
    for f in files {
        let data = std::fs::read(&f).unwrap();
        let name = f.display().to_string();
        let ok = std::panic::catch_unwind(|| run(&data)).is_ok();
        assert!(ok, "{name} panicked (its message is above)");
    }
}

#[test]
fn page_inputs() {
    replay("page", harness::page);
}

#[test]
fn records_inputs() {
    replay("records", harness::records);
}

#[test]
fn toml_loader_inputs() {
    replay("toml_loaders", harness::toml_loaders);
}

#[test]
fn vader_inputs() {
    replay("vader", harness::vader);
}

#[test]
fn stance_inputs() {
    replay("stance", harness::stance);
}
