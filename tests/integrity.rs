//! Integrity: no command destroys its input, no run corrupts another, every record is accounted for.
//! Each test reproduces a defect found by trying the tool as a careless or hostile user would.
#![allow(clippy::print_stdout, clippy::print_stderr)] // a test or bench reports on the console

mod common;
use predicates::prelude::*;
use std::path::Path;

use common::write;

const FOUR: &[u8] = b"id,text\n1,I love it\n2,I hate it\n3,It is fine\n4,Let them in\n";

#[test]
fn score_refuses_to_write_over_its_own_input() {
    let dir = tempfile::tempdir().unwrap();
    let s = write(dir.path(), "s.csv", FOUR);
    common::bin()
        .arg("score")
        .arg(&s)
        .arg("-o")
        .arg(&s)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("would destroy the input"));
    assert_eq!(std::fs::read(&s).unwrap(), FOUR, "the input is intact");
}

#[test]
fn learn_refuses_to_write_over_its_labels() {
    let dir = tempfile::tempdir().unwrap();
    let labels = common::fixture("stance/dev.csv");
    let x = dir.path().join("x.csv");
    std::fs::copy(&labels, &x).unwrap();
    common::bin()
        .args(["learn", "--labels"])
        .arg(&x)
        .arg("--out")
        .arg(&x)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("would destroy the input"));
    assert_eq!(std::fs::read(&x).unwrap(), std::fs::read(&labels).unwrap());
}

#[test]
fn a_failed_score_leaves_an_existing_output_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "in.csv", b"id,text\n1,good\n2,\n3,bad\n");
    let out = write(dir.path(), "out.csv", b"previous results\n");
    common::bin()
        .arg("score")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(3);
    assert_eq!(std::fs::read(&out).unwrap(), b"previous results\n");
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("partial"))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}

#[test]
fn a_write_error_is_said_in_words() {
    if !Path::new("/dev/full").exists() {
        eprintln!("SKIPPED: no /dev/full on this system");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "in.csv", FOUR);
    let out = common::bin()
        .arg("score")
        .arg(&input)
        .args(["-o", "/dev/full"])
        .assert()
        .code(1)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(
        err.contains("cannot write /dev/full: no space left on the device"),
        "{err}"
    );
    assert!(!err.contains("Os {") && !err.contains("Custom {"), "{err}");
}

#[test]
fn a_second_run_into_a_locked_folder_fails_naming_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    let argv = vec![
        "stancemeter".to_string(),
        "run".into(),
        "first.jsonl".into(),
    ];
    let held = stancemeter::outdir::OutDir::open(&out, &argv).unwrap();
    common::bin()
        .args(["run", "--out"])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("is in use by another stancemeter run")
                .and(predicate::str::contains(format!(
                    "pid {}",
                    std::process::id()
                )))
                .and(predicate::str::contains("run first.jsonl")),
        );
    held.abandon();
    // Once the first has finished, the folder is free again.
    common::bin()
        .args(["run", "--out"])
        .arg(&out)
        .assert()
        .success();
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn a_run_replaces_the_whole_set_and_a_failed_run_leaves_it_intact() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    std::fs::create_dir(&out).unwrap();
    write(&out, "README.md", b"mine\n");
    common::bin()
        .args(["run", "--parquet", "--out"])
        .arg(&out)
        .assert()
        .success();
    assert!(names(&out).iter().any(|n| n.ends_with(".parquet")));
    assert!(names(&out).iter().any(|n| n == "article_arc.png"));

    // A comment-only corpus without --parquet: no Parquet file and no article chart of the seed survive.
    let input = write(dir.path(), "c.csv", FOUR);
    common::bin()
        .args(["run", "--out"])
        .arg(&out)
        .arg(&input)
        .assert()
        .success();
    let after = names(&out);
    assert!(!after.iter().any(|n| n.ends_with(".parquet")), "{after:?}");
    assert!(!after.iter().any(|n| n == "article_arc.png"), "{after:?}");
    assert!(
        after.contains(&"README.md".to_string()),
        "a file of the user's stays"
    );
    let run_json = std::fs::read_to_string(out.join("run.json")).unwrap();
    let units = std::fs::read(out.join("units.csv")).unwrap();

    // A run that fails on its input changes nothing and leaves no staging folder.
    let bad = write(dir.path(), "bad.csv", b"id,text\n1,fine\n2,\n");
    common::bin()
        .args(["run", "--out"])
        .arg(&out)
        .arg(&bad)
        .assert()
        .code(3);
    assert_eq!(names(&out), after);
    assert_eq!(
        std::fs::read_to_string(out.join("run.json")).unwrap(),
        run_json
    );
    assert_eq!(std::fs::read(out.join("units.csv")).unwrap(), units);
}

#[test]
fn a_killed_runs_staging_folder_is_cleared_by_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    let stale = out.join(".stancemeter-staging-killed");
    std::fs::create_dir_all(&stale).unwrap();
    write(&stale, "units.csv", b"half");
    common::bin()
        .args(["run", "--out"])
        .arg(&out)
        .assert()
        .success();
    assert!(!stale.exists());
}

#[test]
fn control_characters_in_authors_keep_svg_and_html_well_formed() {
    let dir = tempfile::tempdir().unwrap();
    let mut body = b"id,author,text\n".to_vec();
    for (k, a) in ["a\x01b", "esc\x1b[31m", "ff\x0c", "nul\x00x", "plain"]
        .iter()
        .enumerate()
    {
        body.extend(format!("{k},{a},Let them in! I would buy one.\n").as_bytes());
    }
    let input = write(dir.path(), "ctl.csv", &body);
    let out = dir.path().join("r");
    common::bin()
        .args(["run", "--out"])
        .arg(&out)
        .arg(&input)
        .assert()
        .success();
    let forbidden = |c: char| (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{FFFE}';
    for f in names(&out) {
        if !(f.ends_with(".svg") || f.ends_with(".html")) {
            continue;
        }
        let text = std::fs::read_to_string(out.join(&f)).unwrap();
        assert!(!text.contains(forbidden), "{f} holds a control character");
        if f.ends_with(".svg") {
            let mut r = quick_xml::Reader::from_str(&text);
            loop {
                match r.read_event() {
                    Ok(quick_xml::events::Event::Eof) => break,
                    Ok(_) => {}
                    Err(e) => panic!("{f} is not well-formed XML: {e}"),
                }
            }
        }
    }
}

#[test]
fn reply_cycles_are_broken_at_the_earliest_record_and_threads_add_up() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(
        dir.path(),
        "cyc.jsonl",
        br#"{"id":"a","parent_id":"b","body":"I agree, let them in"}
{"id":"b","parent_id":"a","body":"Not true, block them"}
{"id":"s","parent_id":"s","body":"I reply to myself"}
{"id":"t1_x","parent_id":"t1_z","body":"Reddit one"}
{"id":"t1_y","parent_id":"t1_x","body":"Reddit two"}
{"id":"t1_z","parent_id":"t1_y","body":"Reddit three"}
{"id":"r","body":"A plain root"}
{"id":"q","parent_id":"r","body":"Exactly, I agree"}
"#,
    );
    let out = dir.path().join("r");
    common::bin()
        .args(["run", "--out"])
        .arg(&out)
        .arg(&input)
        .assert()
        .success()
        .stderr(
            predicate::str::contains("warning: reply cycle: a replies to b")
                .and(predicate::str::contains("reply cycle: s replies to s"))
                .and(predicate::str::contains("reply cycle: x replies to z")),
        );
    let (h, units) = common::read_csv(&out.join("units.csv"));
    let col = |n: &str| h.iter().position(|c| c == n).unwrap();
    let depth: Vec<(String, String)> = units
        .iter()
        .map(|r| (r[col("id")].clone(), r[col("depth")].clone()))
        .collect();
    let want = [
        ("a", "0"),
        ("b", "1"),
        ("s", "0"),
        ("x", "0"),
        ("y", "1"),
        ("z", "2"),
        ("r", "0"),
        ("q", "1"),
    ];
    assert_eq!(
        depth,
        want.map(|(a, b)| (a.to_string(), b.to_string())).to_vec()
    );
    let (h, threads) = common::read_csv(&out.join("threads.csv"));
    let c = |n: &str| h.iter().position(|x| x == n).unwrap();
    let num = |r: &Vec<String>, n: &str| r[c(n)].parse::<u64>().unwrap();
    for r in &threads {
        assert_eq!(
            num(r, "replies"),
            num(r, "agreeing") + num(r, "disagreeing") + num(r, "unclear"),
            "{r:?}"
        );
        assert_eq!(num(r, "size"), num(r, "replies") + 1, "{r:?}");
    }
    assert_eq!(threads.len(), 4);
    let (h, replies) = common::read_csv(&out.join("replies.csv"));
    let (ri, pi) = (
        h.iter().position(|x| x == "reply_id").unwrap(),
        h.iter().position(|x| x == "parent_id").unwrap(),
    );
    assert!(replies.iter().all(|r| r[ri] != r[pi]), "no self-reply row");
    let parent: Vec<(String, String)> = units
        .iter()
        .map(|r| (r[col("id")].clone(), r[col("parent_id")].clone()))
        .collect();
    assert_eq!(
        parent[0],
        ("a".to_string(), String::new()),
        "the cut link is gone"
    );
    assert_eq!(parent[1], ("b".to_string(), "a".to_string()));
    let manifest = common::manifest(&out);
    let cycles = manifest["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w.as_str().unwrap().starts_with("reply cycle"))
        .count();
    assert_eq!(cycles, 3);
}

#[test]
fn a_deep_reply_chain_is_linear_not_quadratic() {
    // 200,000 replies each to the one before: this took 33.7 s when depth was found by walking up from
    // every unit; it is one pass now. The test checks the result; `just bench` times it.
    let dir = tempfile::tempdir().unwrap();
    let mut body = String::from("{\"id\":\"0\",\"body\":\"root\"}\n");
    for k in 1..200_000 {
        body += &format!(
            "{{\"id\":\"{k}\",\"parent_id\":\"{}\",\"body\":\"ok\"}}\n",
            k - 1
        );
    }
    let input = write(dir.path(), "chain.jsonl", body.as_bytes());
    let out = dir.path().join("r");
    common::bin()
        .args(["run", "--out"])
        .arg(&out)
        .arg(&input)
        .assert()
        .success();
    let (h, threads) = common::read_csv(&out.join("threads.csv"));
    assert_eq!(threads.len(), 1);
    assert_eq!(
        threads[0][h.iter().position(|x| x == "size").unwrap()],
        "200000"
    );
}

#[test]
fn an_unreadable_comment_header_is_a_reject_not_part_of_the_comment_before() {
    let dir = tempfile::tempdir().unwrap();
    let page = "Title\n\nA paragraph of the article.\n\n  • alice Jul 4, 2018 Link to comment\n\n    First comment.\n\n  • carol Jul 5, 99999 Link to comment\n\n    Carol's words.\n\n  • dave Feb 31, 2018 Link to comment\n\n    Dave's words.\n\n  • bob Jul 6, 2018 Link to comment\n\n    Last comment.\n";
    let input = write(dir.path(), "page.txt", page.as_bytes());
    let out = dir.path().join("r");
    common::bin()
        .args(["run", "--out"])
        .arg(&out)
        .arg(&input)
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "line 9: comment header: \"• carol Jul 5, 99999 Link to comment\" is not of the form",
        ));
    common::bin()
        .args(["run", "--skip-bad", "--out"])
        .arg(&out)
        .arg(&input)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "records: 6 read = 4 scored + 2 rejected",
        ));
    let (h, units) = common::read_csv(&out.join("units.csv"));
    let t = h.iter().position(|c| c == "text").unwrap();
    let alice = units.iter().find(|r| r[t].starts_with("First")).unwrap();
    assert_eq!(alice[t], "First comment.", "carol's words are not alice's");
    let (_, rejects) = common::read_csv(&out.join("rejects.csv"));
    let got: Vec<(&str, &str)> = rejects
        .iter()
        .map(|r| (r[1].as_str(), r[2].as_str()))
        .collect();
    assert_eq!(got, [("9", "comment header"), ("13", "date")]);
}

#[test]
fn skip_bad_rejects_invalid_utf8_in_plain_text_and_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(
        dir.path(),
        "notes.txt",
        b"A fine paragraph.\n\nA broken \xff paragraph\nover two lines.\n\nAnother fine one.\n",
    );
    let out = dir.path().join("r");
    common::bin()
        .args(["run", "--encoding", "utf-8", "--out"])
        .arg(&out)
        .arg(&input)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("line 3: text: invalid UTF-8"));
    common::bin()
        .args(["run", "--encoding", "utf-8", "--skip-bad", "--out"])
        .arg(&out)
        .arg(&input)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "records: 3 read = 2 scored + 1 rejected",
        ));
    let (_, rejects) = common::read_csv(&out.join("rejects.csv"));
    assert_eq!(
        (rejects[0][1].as_str(), rejects[0][2].as_str()),
        ("3", "text")
    );
}

#[test]
fn a_directory_reads_only_corpus_files_and_names_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("exports");
    std::fs::create_dir(&corpus).unwrap();
    write(&corpus, "a.csv", FOUR);
    write(&corpus, "README", b"how these were exported\n");
    write(&corpus, "b.bin", b"\x00\x01\x02\xff");
    write(&corpus, "c.png", b"\x89PNG\r\n\x1a\n");
    let out = dir.path().join("r");
    common::bin()
        .args(["run", "--out"])
        .arg(&out)
        .arg(&corpus)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "records: 4 read = 4 scored + 0 rejected",
        ))
        .stderr(
            predicate::str::contains("skipped 3 file(s)")
                .and(predicate::str::contains("README"))
                .and(predicate::str::contains("b.bin"))
                .and(predicate::str::contains("c.png")),
        );
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_in_a_directory_is_an_error_not_a_recursion() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("exports");
    std::fs::create_dir(&corpus).unwrap();
    write(&corpus, "a.csv", FOUR);
    std::os::unix::fs::symlink(&corpus, corpus.join("loop")).unwrap();
    common::bin()
        .args(["run", "--out"])
        .arg(dir.path().join("r"))
        .arg(&corpus)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("loop"));
}

#[test]
fn json_text_must_be_a_string() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(
        dir.path(),
        "v.jsonl",
        br#"{"id":"1","text":true}
{"id":"2","text":12}
{"id":"3","text":null}
{"id":"4","text":["a"]}
{"id":"5","text":{"a":1}}
{"id":"6","text":"a real comment"}
"#,
    );
    let out = dir.path().join("r");
    common::run_into_with(&input, &out, &["--skip-bad"])
        .success()
        .stdout(predicate::str::contains(
            "records: 6 read = 1 scored + 5 rejected",
        ));
    let (_, rejects) = common::read_csv(&out.join("rejects.csv"));
    let reasons: Vec<&str> = rejects.iter().map(|r| r[3].as_str()).collect();
    assert_eq!(
        reasons,
        [
            "expected a string, found the boolean true",
            "expected a string, found the number 12",
            "expected a string, found null",
            "expected a string, found an array",
            "expected a string, found an object"
        ]
    );
}

#[test]
fn a_huge_number_is_quoted_back_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(
        dir.path(),
        "n.jsonl",
        b"{\"id\":\"1\",\"created_utc\":99999999999999999999,\"body\":\"hello\"}\n",
    );
    common::bin()
        .args(["run", "--out"])
        .arg(dir.path().join("r"))
        .arg(&input)
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "line 1: date: \"99999999999999999999\" is none of the dates read",
        ));
}

#[test]
fn a_duplicate_column_name_is_an_error_that_offers_the_indices() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(
        dir.path(),
        "dup.csv",
        b"id,text,author,text\n1,first text,ann,second text\n",
    );
    common::bin()
        .args(["run", "--out"])
        .arg(dir.path().join("r"))
        .arg(&input)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "has 2 columns named \"text\" (columns 2, 4); choose one by its 1-based index",
        ));
    common::bin()
        .args(["score", "--text-column", "4"])
        .arg(&input)
        .assert()
        .success();
}

#[test]
fn eval_on_a_header_only_labels_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let labels = write(dir.path(), "l.csv", b"id,text,stance\n");
    common::bin()
        .args(["eval", "--labels"])
        .arg(&labels)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("no labelled texts"));
}

#[test]
fn eval_leaves_an_absent_class_out_of_f_avg() {
    let dir = tempfile::tempdir().unwrap();
    let labels = write(
        dir.path(),
        "l.csv",
        b"id,text,stance\n1,Let them in already. I would buy one tomorrow.,favor\n2,The phone has a 6 inch screen.,none\n",
    );
    // The cues alone, so that the labels predicted do not move with each retrained default model.
    let out = common::bin()
        .args(["eval", "--json", "--no-model", "--labels"])
        .arg(&labels)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let m: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let m = &m["metrics"];
    assert_eq!(m["accuracy"].as_f64(), Some(1.0), "{m}");
    assert!(m["against"]["f1"].is_null(), "{m}");
    assert!(
        m["against"]["precision"].is_null() && m["against"]["recall"].is_null(),
        "{m}"
    );
    assert_eq!(m["f_avg"].as_f64(), Some(1.0), "{m}");
    assert!(m["notes"][0].as_str().unwrap().contains("against"), "{m}");
}

#[test]
fn every_cue_and_mention_names_a_sentence_of_sentences_csv_even_around_quotes() {
    // Replies that quote their parent: the quote is left out of the reply's scores, and the sentence
    // numbers of its cues and mentions still count the quote, as sentences.csv does.
    let dir = tempfile::tempdir().unwrap();
    let input = write(
        dir.path(),
        "q.jsonl",
        br#"{"id":"p","body":"Xiaomi should never be let in. Samsung is great. They spy on everyone."}
{"id":"r","parent_id":"p","body":"Samsung is great. They spy on everyone. Nonsense, let them in! Xiaomi phones are cheap and Apple is greedy."}
{"id":"s","parent_id":"r","body":"Nonsense, let them in! I would buy a Xiaomi phone tomorrow. Huawei too."}
"#,
    );
    let out = dir.path().join("r");
    common::bin()
        .args(["run", "--out"])
        .arg(&out)
        .arg(&input)
        .assert()
        .success();
    let (h, sentences) = common::read_csv(&out.join("sentences.csv"));
    let (u, n, t, q) = (
        h.iter().position(|c| c == "unit_id").unwrap(),
        h.iter().position(|c| c == "sentence").unwrap(),
        h.iter().position(|c| c == "text").unwrap(),
        h.iter().position(|c| c == "quote").unwrap(),
    );
    let find = |unit: &str, sentence: &str| {
        sentences
            .iter()
            .find(|r| r[u] == unit && r[n] == sentence)
            .unwrap_or_else(|| panic!("no sentence {sentence} of {unit} in sentences.csv"))
    };
    assert!(
        sentences.iter().any(|r| r[q] == "true"),
        "the corpus has quotes"
    );
    let mut joined = 0;
    for (file, text_col) in [
        ("stance_cues.csv", "matched"),
        ("entity_mentions.csv", "alias"),
    ] {
        let (h, rows) = common::read_csv(&out.join(file));
        let (ui, si, ti) = (
            h.iter().position(|c| c == "unit_id").unwrap(),
            h.iter().position(|c| c == "sentence").unwrap(),
            h.iter().position(|c| c == text_col).unwrap(),
        );
        for r in &rows {
            let s = find(&r[ui], &r[si]);
            assert_eq!(s[q], "false", "{file}: a quoted sentence was scored: {r:?}");
            assert!(
                s[t].to_lowercase().contains(&r[ti].to_lowercase()),
                "{file}: {:?} is not in sentence {} of {}: {:?}",
                r[ti],
                r[si],
                r[ui],
                s[t]
            );
            joined += 1;
        }
    }
    assert!(joined >= 6, "only {joined} rows joined");
}

#[test]
fn a_run_whose_every_record_is_rejected_leaves_the_previous_set() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    common::bin()
        .args(["run", "--out"])
        .arg(&out)
        .assert()
        .success();
    let before = names(&out);
    let units = std::fs::read(out.join("units.csv")).unwrap();
    let bad = write(dir.path(), "allbad.csv", b"id,text\n1,\n2,\n");
    common::bin()
        .args(["run", "--skip-bad", "--out"])
        .arg(&out)
        .arg(&bad)
        .assert()
        .code(3)
        .stderr(predicate::str::contains(format!(
            "nothing to score: all 2 records were rejected (the first: {}, line 2: text: empty text; {}, line 3: text: empty text)",
            bad.display(),
            bad.display()
        )));
    assert_eq!(names(&out), before);
    assert_eq!(std::fs::read(out.join("units.csv")).unwrap(), units);
}

#[test]
fn a_run_killed_while_moving_its_files_is_completed_by_the_next() {
    // The state a kill -9 leaves half-way through a commit: the journal, a staging folder holding the
    // files not yet moved, and the old set beside the files already moved.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    let staging = out.join(".stancemeter-staging-killed");
    std::fs::create_dir_all(&staging).unwrap();
    write(&out, "units.csv", b"new units\n");
    write(&out, "summary.csv", b"old summary\n");
    write(&out, "old_chart.png", b"old");
    write(
        &out,
        "run.json",
        br#"{"outputs": ["units.csv", "summary.csv", "old_chart.png", "run.json"]}"#,
    );
    write(&staging, "summary.csv", b"new summary\n");
    write(
        &staging,
        "run.json",
        br#"{"outputs": ["units.csv", "summary.csv", "run.json"]}"#,
    );
    write(
        &out,
        ".stancemeter-commit.json",
        br#"{"staging": ".stancemeter-staging-killed", "move": ["units.csv", "summary.csv", "run.json"], "remove": ["old_chart.png"]}"#,
    );
    let argv = vec!["stancemeter".to_string()];
    stancemeter::outdir::OutDir::open(&out, &argv)
        .unwrap()
        .abandon();
    assert_eq!(
        std::fs::read(out.join("summary.csv")).unwrap(),
        b"new summary\n"
    );
    assert_eq!(
        std::fs::read(out.join("units.csv")).unwrap(),
        b"new units\n"
    );
    assert!(
        std::fs::read_to_string(out.join("run.json"))
            .unwrap()
            .contains("\"units.csv\", \"summary.csv\", \"run.json\"")
    );
    assert!(!out.join("old_chart.png").exists());
    assert!(!out.join(".stancemeter-commit.json").exists());
    assert!(!staging.exists());
}

#[test]
fn score_refuses_an_output_that_is_its_standard_input() {
    // `stancemeter score - -o s.csv < s.csv`: standard input is the file itself, not a pipe.
    let dir = tempfile::tempdir().unwrap();
    let s = write(dir.path(), "s.csv", FOUR);
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("stancemeter"))
        .args(["score", "-", "-o"])
        .arg(&s)
        .stdin(std::fs::File::open(&s).unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("(standard input)"));
    assert_eq!(std::fs::read(&s).unwrap(), FOUR);
}

#[cfg(unix)]
#[test]
fn score_writes_through_a_symlink_and_keeps_permissions_and_refuses_read_only_files() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "in.csv", FOUR);
    let target = write(dir.path(), "target.csv", b"old\n");
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).unwrap();
    let link = dir.path().join("link.csv");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    common::bin()
        .arg("score")
        .arg(&input)
        .arg("-o")
        .arg(&link)
        .assert()
        .success();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .starts_with("id,neg,neu,pos,compound\n")
    );
    let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);

    let ro = write(dir.path(), "ro.csv", b"keep me\n");
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o444)).unwrap();
    common::bin()
        .arg("score")
        .arg(&input)
        .arg("-o")
        .arg(&ro)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("the file is read-only"));
    assert_eq!(std::fs::read(&ro).unwrap(), b"keep me\n");
    common::bin()
        .arg("score")
        .arg(&input)
        .arg("-o")
        .arg(dir.path().join("nodir/out.csv"))
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("no such directory")
                .and(predicate::str::contains("partial").not()),
        );
}

#[test]
fn an_output_folder_inside_the_input_folder_is_not_read_as_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("ex");
    std::fs::create_dir(&corpus).unwrap();
    write(&corpus, "a.csv", FOUR);
    for _ in 0..2 {
        common::bin()
            .args(["run", "--out"])
            .arg(corpus.join("rep"))
            .arg(&corpus)
            .assert()
            .success()
            .stdout(predicate::str::contains(
                "records: 4 read = 4 scored + 0 rejected",
            ));
    }
}

#[test]
fn the_same_file_given_twice_is_read_once() {
    let dir = tempfile::tempdir().unwrap();
    let x = write(dir.path(), "x.csv", FOUR);
    let again = dir.path().join(".").join("x.csv");
    common::bin()
        .args(["run", "--out"])
        .arg(dir.path().join("r"))
        .arg(&x)
        .arg(&again)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "records: 4 read = 4 scored + 0 rejected",
        ))
        .stderr(predicate::str::contains(
            "is the same file as an earlier input: read once",
        ));
}
