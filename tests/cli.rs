//! The binary's behaviour on bad input, flags and configuration: clear errors naming the file, line and
//! field, the right exit codes, and counts that reconcile.

mod common;
use predicates::prelude::*;

use common::write;

#[test]
fn a_bad_record_stops_the_run_naming_file_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "bad.csv", b"id,text\n1,fine\n2,\n3,also fine\n");
    common::bin()
        .args(["run", "--out"])
        .arg(dir.path().join("r"))
        .arg(&input)
        .assert()
        .code(3)
        .stderr(
            predicate::str::contains(format!("{}, line 3: text: empty text", input.display())).and(
                predicate::str::contains("hint: --skip-bad writes bad records"),
            ),
        );
    // eval has no --skip-bad, so it gives no such hint.
    let labels = write(
        dir.path(),
        "l.csv",
        b"id,text,stance
1,x,maybe
",
    );
    common::bin()
        .args(["eval", "--labels"])
        .arg(&labels)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("hint").not());
}

#[test]
fn skip_bad_writes_rejects_and_the_counts_reconcile() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "bad.jsonl", b"{\"id\":\"a\",\"body\":\"good stuff\"}\n{\"id\":\"b\",\n{\"id\":\"c\",\"body\":\"\"}\n{\"id\":\"d\",\"body\":\"\xff\"}\n{\"id\":\"e\",\"text\":\"fine\"}\n");
    let out = dir.path().join("r");
    common::bin()
        .args(["run", "--skip-bad", "--encoding", "utf-8", "--out"])
        .arg(&out)
        .arg(&input)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "records: 5 read = 2 scored + 3 rejected (see rejects.csv)",
        ));
    let (_, rows) = common::read_csv(&out.join("rejects.csv"));
    let got: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r[1].as_str(), r[2].as_str()))
        .collect();
    assert_eq!(got, [("2", "record"), ("3", "text"), ("4", "record")]);
    assert!(rows[0][3].starts_with("invalid JSON"));
    assert_eq!(
        rows[2][3],
        "invalid UTF-8 at byte 19 of the line; if the file is not UTF-8, give its encoding with --encoding"
    );
    let (_, units) = common::read_csv(&out.join("units.csv"));
    assert_eq!(units.len(), 2);
}

#[test]
fn an_empty_corpus_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "empty.csv", b"id,text\n");
    common::bin()
        .args(["run", "--out"])
        .arg(dir.path().join("r"))
        .arg(&input)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("the corpus is empty"));
    assert!(!dir.path().join("r/index.html").exists(), "no empty report");
}

#[test]
fn invalid_utf8_in_a_page_names_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "page.txt", b"Title\n\nfine\n\nbad \xe9 byte\n");
    common::bin()
        .args(["run", "--encoding", "utf-8", "--out"])
        .arg(dir.path().join("r"))
        .arg(&input)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("line 5: text: invalid UTF-8"));
}

#[test]
fn a_missing_input_is_named() {
    common::bin()
        .args(["run", "no/such/file.csv"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot read no/such/file.csv"));
}

#[test]
fn a_missing_text_column_names_the_flag_and_the_columns() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "x.csv", b"id,note\n1,hi\n");
    common::bin()
        .args(["run", "--out"])
        .arg(dir.path().join("r"))
        .arg(&input)
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("--text-column:")
                .and(predicate::str::contains("(its columns: id, note)")),
        );
    common::bin()
        .args(["run", "--text-column", "note", "--out"])
        .arg(dir.path().join("r"))
        .arg(&input)
        .assert()
        .success();
}

#[test]
fn a_bad_target_file_is_a_configuration_error() {
    let dir = tempfile::tempdir().unwrap();
    let t = write(
        dir.path(),
        "t.toml",
        b"id = \"t\"\ndescription = \"d\"\nthreshhold = 1\n[[favor]]\ncue = \"x\"\n",
    );
    common::bin()
        .args(["run", "--target"])
        .arg(&t)
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("t.toml")
                .and(predicate::str::contains("unknown field `threshhold`")),
        );
}

#[test]
fn score_reads_stdin_and_adds_stance_columns() {
    let target = common::root().join("data/targets/xiaomi-us-entry.toml");
    common::bin()
        .args(["score", "-", "--format", "jsonl", "--target"])
        .arg(&target)
        .write_stdin(
            "{\"id\":\"1\",\"body\":\"Let them in, the competition would be wonderful!\"}\n",
        )
        .assert()
        .success()
        .stdout(
            predicate::str::starts_with(
                "id,neg,neu,pos,compound,stance,stance_score,stance_confidence,stance_cues\n1,",
            )
            .and(predicate::str::contains(",favor,")),
        );
}

#[test]
fn score_normalises_unless_raw() {
    let run = |raw: bool| {
        let mut c = common::bin();
        c.args(["score", "-"]);
        if raw {
            c.arg("--raw");
        }
        let out = c
            .write_stdin("id,text\n1,I don’t trust them\n")
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    };
    assert_eq!(
        run(true),
        "id,neg,neu,pos,compound\n1,0.0,0.476,0.524,0.5106\n"
    );
    assert_eq!(
        run(false),
        "id,neg,neu,pos,compound\n1,0.474,0.526,0.0,-0.4023\n"
    );
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut body = String::from("id,text\n");
    for k in 0..200_000 {
        body.push_str(&format!("{k},this is good text number {k}\n"));
    }
    let input = write(dir.path(), "big.csv", body.as_bytes());
    let bin = assert_cmd::cargo::cargo_bin("stancemeter");
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "'{}' score '{}' | head -n 2; echo \"status=${{PIPESTATUS[0]}}\"",
            bin.display(),
            input.display()
        ))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.ends_with("status=0\n"), "{stdout}");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
