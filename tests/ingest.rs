//! Ingest through the binary, on fixtures written for the project: every format, a directory read
//! recursively in sorted order, stdin, and every kind of bad input, as a hard error and with --skip-bad.

mod common;
use predicates::prelude::*;
use std::collections::HashMap;

fn run(args: &[&str]) -> (tempfile::TempDir, Vec<HashMap<String, String>>, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    let a = common::bin()
        .arg("run")
        .args(args)
        .arg("--out")
        .arg(&out)
        .current_dir(common::root())
        .assert()
        .success();
    let stdout = String::from_utf8(a.get_output().stdout.clone()).unwrap();
    let (h, rows) = common::read_csv(&out.join("units.csv"));
    let units = rows
        .into_iter()
        .map(|r| h.iter().cloned().zip(r).collect())
        .collect();
    (dir, units, stdout)
}

#[test]
fn a_directory_is_read_recursively_in_sorted_order_with_every_format() {
    let (_d, u, stdout) = run(&["tests/fixtures/ingest/good"]);
    assert!(
        stdout.contains("records: 11 read = 11 scored + 0 rejected"),
        "{stdout}"
    );
    let sources: Vec<&str> = u
        .iter()
        .map(|r| r["source"].rsplit('/').next().unwrap())
        .collect();
    assert_eq!(
        sources,
        [
            "article.txt",
            "article.txt",
            "article.txt",
            "comments.csv",
            "comments.csv",
            "comments.csv",
            "comments.tsv",
            "comments.tsv",
            "reddit.jsonl",
            "reddit.jsonl",
            "reddit.jsonl"
        ]
    );
    let by = |id: &str| {
        u.iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("no unit {id}"))
    };

    // Plain text: blank-line paragraphs, with the line each starts on.
    let text: Vec<(&str, &str)> = u[..3]
        .iter()
        .map(|r| (r["kind"].as_str(), r["line"].as_str()))
        .collect();
    assert_eq!(
        text,
        [("paragraph", "1"), ("paragraph", "3"), ("paragraph", "7")]
    );
    assert_eq!(
        u[1]["text"],
        "First paragraph is here.\nIt continues on a second line."
    );

    // CSV: BOM, CRLF, a quoted line break, ISO and Unix dates, a reply, a formula neutralised.
    assert_eq!(
        (
            by("1")["author"].as_str(),
            by("1")["line"].as_str(),
            by("1")["date"].as_str()
        ),
        ("Ann", "2", "2018-07-06")
    );
    assert_eq!(
        by("2")["text"],
        "I agree.\r\nSecond line of the same comment."
    );
    assert_eq!(
        (
            by("2")["parent_id"].as_str(),
            by("2")["depth"].as_str(),
            by("2")["thread_root"].as_str()
        ),
        ("1", "1", "1")
    );
    assert_eq!(
        (by("3")["line"].as_str(), by("3")["date"].as_str()),
        ("5", "2018-07-06T00:00:00Z")
    );
    assert_eq!(by("3")["text"], "'=SUM(1,2) is not a stance");

    // TSV: quotes are text, a surplus tab belongs to the last column.
    assert_eq!(by("11")["text"], "The Mi 8 has a \"notch\" and\ta tab.");

    // Reddit JSONL with no flags: t3_ is the post, t1_ a comment; the tree is rebuilt.
    let r: Vec<(&str, &str, &str, &str, &str)> = ["r1", "r2", "r3"]
        .iter()
        .map(|id| {
            let x = by(id);
            (
                x["parent_id"].as_str(),
                x["depth"].as_str(),
                x["thread_root"].as_str(),
                x["doc_id"].as_str(),
                x["author"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        r,
        [
            ("", "0", "r1", "post", "u1"),
            ("r1", "1", "r1", "post", "u2"),
            ("r2", "2", "r1", "post", "u3")
        ]
    );
    assert_eq!(by("r3")["date"], "2018-07-06T02:00:00Z");
}

#[test]
fn stdin_is_a_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let body = std::fs::read(common::fixture("ingest/good/nested/reddit.jsonl")).unwrap();
    common::bin()
        .args(["run", "-", "--format", "jsonl", "--out"])
        .arg(dir.path().join("r"))
        .write_stdin(body.clone())
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "records: 3 read = 3 scored + 0 rejected",
        ));
    let (_, rows) = common::read_csv(&dir.path().join("r/units.csv"));
    assert_eq!(rows[0][8], "-", "the source of stdin records is -");
    // The manifest describes stdin too: its bytes as read, hashed on the way through.
    let run = common::manifest(&dir.path().join("r"));
    use sha2::Digest as _;
    let want: String = sha2::Sha256::digest(&body)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(run["inputs"][0]["sha256"], want.as_str());
    assert_eq!(run["inputs"][0]["bytes"], body.len());
}

/// Each bad file: the hard error names file, line and field; --skip-bad writes the reject and reconciles.
#[test]
fn bad_records_are_errors_or_rejects() {
    let cases = [
        (
            "unterminated.csv",
            "line 3: record: unterminated quoted field",
            2,
            1,
        ),
        (
            "stray-quote.csv",
            "line 3: record: a quoted field runs from line 3 to line 4 and its closing quote is followed by more text",
            3,
            2,
        ),
        ("invalid.jsonl", "line 2: record: invalid JSON", 2, 1),
        (
            "latin1.csv",
            "line 2: text: invalid UTF-8 at byte 4 of the field",
            1,
            0,
        ),
        ("empty-text.csv", "line 2: text: empty text", 1, 0),
        (
            "object-text.jsonl",
            "line 1: text: expected a string, found an object",
            1,
            0,
        ),
    ];
    for (file, message, read, scored) in cases {
        let path = common::fixture(&format!("ingest/bad/{file}"));
        let dir = tempfile::tempdir().unwrap();
        // --encoding utf-8: strict, so that latin1.csv is a bad record rather than read as Windows-1252.
        common::bin()
            .args(["run", "--encoding", "utf-8", "--out"])
            .arg(dir.path().join("hard"))
            .arg(&path)
            .assert()
            .code(3)
            .stderr(predicate::str::contains(format!(
                "{}, {message}",
                path.display()
            )));
        if scored == 0 {
            // Nothing scoreable is left: still an error, which names the first rejects; a failed run
            // leaves no output set behind (nor changes an earlier one).
            common::bin()
                .args(["run", "--encoding", "utf-8", "--skip-bad", "--out"])
                .arg(dir.path().join("soft"))
                .arg(&path)
                .assert()
                .code(3)
                .stderr(predicate::str::contains(if read == 1 {
                    format!(
                        "nothing to score: the only record was rejected ({}, {message}",
                        path.display()
                    )
                } else {
                    format!(
                        "nothing to score: all {read} records were rejected (the first: {}, {message}",
                        path.display()
                    )
                }));
            assert!(!dir.path().join("soft").exists(), "{file}");
            continue;
        }
        common::bin()
            .args(["run", "--encoding", "utf-8", "--skip-bad", "--out"])
            .arg(dir.path().join("soft"))
            .arg(&path)
            .assert()
            .success()
            .stdout(predicate::str::contains(format!(
                "records: {read} read = {scored} scored + {} rejected",
                read - scored
            )));
        let (_, rejects) = common::read_csv(&dir.path().join("soft/rejects.csv"));
        assert_eq!(rejects.len(), read - scored, "{file}");
        let manifest = common::manifest(&dir.path().join("soft"));
        assert_eq!(
            manifest["counts"]["read"],
            manifest["counts"]["scored"].as_u64().unwrap()
                + manifest["counts"]["rejected"].as_u64().unwrap()
        );
    }
}

#[test]
fn a_header_only_file_and_a_missing_text_column_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    common::bin()
        .args(["run", "--out"])
        .arg(dir.path().join("a"))
        .arg(common::fixture("ingest/bad/header-only.csv"))
        .assert()
        .code(3)
        .stderr(predicate::str::contains("the corpus is empty"));
    common::bin()
        .args(["run", "--out"])
        .arg(dir.path().join("b"))
        .arg(common::fixture("ingest/bad/no-text-column.csv"))
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("--text-column:").and(
                predicate::str::contains("(its columns: id, body)")
                    .not()
                    .or(predicate::str::contains("body")),
            ),
        );
}
