//! `--jobs 1` and `--jobs N` write byte-identical outputs (run.json differs only in its timings).

mod common;

#[test]
fn one_thread_and_many_give_identical_files() {
    let dir = tempfile::tempdir().unwrap();
    // A corpus big enough to be split across threads and across scoring batches (4096 units): the seed
    // plus many records.
    let csv = dir.path().join("many.csv");
    let mut body = String::from("id,author,text\n");
    let seed =
        std::fs::read_to_string(common::root().join("data/corpus/xiaomi-us-entry.txt")).unwrap();
    for (k, para) in seed
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .cycle()
        .take(5000)
        .enumerate()
    {
        body.push_str(&format!(
            "r{k},user{},\"{}\"\n",
            k % 17,
            para.trim().replace('"', "\"\"")
        ));
    }
    std::fs::write(&csv, body).unwrap();
    let run = |jobs: &str| {
        let out = dir.path().join(format!("out{jobs}"));
        common::bin()
            .args(["run", "--jobs", jobs, "--out"])
            .arg(&out)
            .arg(&csv)
            .arg(common::root().join("data/corpus/xiaomi-us-entry.txt"))
            .assert()
            .success();
        out
    };
    let (a, b) = (run("1"), run("4"));
    let mut names: Vec<String> = std::fs::read_dir(&a)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    let mut names_b: Vec<String> = std::fs::read_dir(&b)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names_b.sort();
    assert_eq!(names, names_b);
    assert!(names.len() >= 30, "{names:?}");
    // run.json holds timings, and the folder's lock file names the run that holds it: neither is output.
    for n in names
        .iter()
        .filter(|n| *n != "run.json" && *n != stancemeter::outdir::LOCK_FILE)
    {
        assert!(
            std::fs::read(a.join(n)).unwrap() == std::fs::read(b.join(n)).unwrap(),
            "{n} differs between --jobs 1 and --jobs 4"
        );
    }
}
