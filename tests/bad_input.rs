//! The bad-input suite: one test per kind of input that the open web produces, each through the real
//! binary. Every case either stops with an error that names the file, the line and the field, or (with
//! `--skip-bad`) writes a rejects row and goes on, and always read = scored + rejected. None of these
//! tests times anything: the sizes are large enough that a quadratic path would not finish in the test
//! harness's patience, and the measured times are in the README's benchmark section.

mod common;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

/// Runs `run` on `input` into `dir/out`; gives the assertion.
fn run(dir: &Path, out: &str, input: &Path, flags: &[&str]) -> assert_cmd::assert::Assert {
    common::bin()
        .arg("run")
        .arg(input)
        .args(flags)
        .arg("--quiet")
        .arg("--out")
        .arg(dir.join(out))
        .assert()
}

/// The counts in run.json: (read, scored, rejected), with read = scored + rejected checked.
fn counts(out: &Path) -> (u64, u64, u64) {
    let m = common::manifest(out);
    let c = &m["counts"];
    let (read, scored, rejected) = (
        c["read"].as_u64().unwrap(),
        c["scored"].as_u64().unwrap(),
        c["rejected"].as_u64().unwrap(),
    );
    assert_eq!(read, scored + rejected, "read = scored + rejected");
    (read, scored, rejected)
}

/// The rejects as (line, field, reason).
fn rejects(out: &Path) -> Vec<(String, String, String)> {
    let (_, rows) = common::read_csv(&out.join("rejects.csv"));
    rows.into_iter()
        .map(|r| (r[1].clone(), r[2].clone(), r[3].clone()))
        .collect()
}

/// A hard error naming `file, line L: field: ...` with exit code 3, then the same input with
/// --skip-bad: the expected counts, and the reject rows naming line and field.
fn hard_then_soft(
    name: &str,
    body: &[u8],
    message: &str,
    expect: (u64, u64, u64),
) -> (tempfile::TempDir, PathBuf) {
    hard_then_soft_with(name, body, message, expect, &[])
}

/// [`hard_then_soft`] with `flags` given to both runs.
fn hard_then_soft_with(
    name: &str,
    body: &[u8],
    message: &str,
    expect: (u64, u64, u64),
    flags: &[&str],
) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();
    let input = common::write(&dir, name, body);
    run(&dir, "hard", &input, flags)
        .code(3)
        .stderr(predicate::str::contains(format!(
            "{}, {message}",
            input.display()
        )));
    assert!(!dir.join("hard").exists(), "a failed run leaves no output");
    let soft: Vec<&str> = flags.iter().copied().chain(["--skip-bad"]).collect();
    run(&dir, "soft", &input, &soft).success();
    let out = dir.join("soft");
    assert_eq!(counts(&out), expect, "{name}");
    (tmp, out)
}

#[test]
fn invalid_utf8_is_a_reject_that_names_its_line() {
    // Strict with --encoding utf-8 (without it, a head that is not UTF-8 is read as Windows-1252).
    let (_tmp, out) = hard_then_soft_with(
        "latin.csv",
        b"id,text\na,caf\xe9 is good\nb,fine\n",
        "line 2: text: invalid UTF-8 at byte 4 of the field; if the file is not UTF-8, give its encoding with --encoding",
        (2, 1, 1),
        &["--encoding", "utf-8"],
    );
    assert_eq!(rejects(&out)[0].0, "2");
    // Past the 64 KiB head that decides the encoding, a byte that is not UTF-8 is a reject with no flag.
    let mut body = b"id,text\n".to_vec();
    for k in 0..3000 {
        body.extend(format!("r{k},a fine and ordinary comment number {k}\n").as_bytes());
    }
    body.extend(b"late,caf\xe9 is good\n");
    assert!(body.len() > 1 << 16);
    let (_tmp, out) = hard_then_soft(
        "late.csv",
        &body,
        "line 3002: text: invalid UTF-8",
        (3001, 3000, 1),
    );
    assert_eq!(rejects(&out)[0].0, "3002");
}

#[test]
fn utf16_without_encoding_is_named_and_reads_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let body: Vec<u8> = "id,text\na,good phone\nb,bad phone\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let input = common::write(dir.path(), "wide.csv", &body);
    run(dir.path(), "a", &input, &[])
        .code(3)
        .stderr(predicate::str::contains(format!(
            "{}, line 1: encoding: the file looks like UTF-16 without a byte-order mark",
            input.display()
        )));
    run(dir.path(), "b", &input, &["--encoding", "utf-16le"]).success();
    assert_eq!(counts(&dir.path().join("b")), (2, 2, 0));
}

#[test]
fn lone_cr_line_ends_count_lines_as_an_editor_does() {
    let dir = tempfile::tempdir().unwrap();
    let input = common::write(
        dir.path(),
        "mac.csv",
        b"id,date,text\ra,2018-07-06,good\rb,2018-02-31,bad\r",
    );
    // The bad date is on the file's third line, and the error says so.
    run(dir.path(), "a", &input, &[])
        .code(3)
        .stderr(predicate::str::contains(format!(
            "{}, line 3: date:",
            input.display()
        )));
    run(dir.path(), "b", &input, &["--skip-bad"]).success();
    assert_eq!(counts(&dir.path().join("b")), (2, 1, 1));
    let (h, rows) = common::read_csv(&dir.path().join("b/units.csv"));
    let line = h.iter().position(|c| c == "line").unwrap();
    assert_eq!(rows[0][line], "2");
}

#[test]
fn nul_bytes_are_kept_as_text_and_scored() {
    let dir = tempfile::tempdir().unwrap();
    let input = common::write(dir.path(), "nul.csv", b"id,text\na,go\0od\nb,fine\n");
    run(dir.path(), "o", &input, &[]).success();
    assert_eq!(counts(&dir.path().join("o")), (2, 2, 0));
}

/// A file that is no text (a program, random bytes) or an HTML page is refused as a whole, naming the
/// file and why, without the --skip-bad hint (no record of it could be read); `--format text` reads the
/// page as it is.
#[test]
fn binary_files_and_html_pages_are_refused_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let mut noise = Vec::new();
    let mut rng = 0x2545_f491_4f6c_dd1d_u64;
    for _ in 0..4096 {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        noise.push((rng >> 56) as u8);
    }
    let mut elf = b"\x7fELF\x02\x01\x01".to_vec();
    elf.extend(std::iter::repeat_n([0u8, 0, 0, 0x40, 0, 0x38, 0, 0x0d], 300).flatten());
    let html = b"<!DOCTYPE html>\n<html><head><title>Remote work</title><script>awful()</script></head>\n<body><p>I love it.</p></body></html>\n";
    for (name, body, why) in [
        ("noise.txt", &noise[..], "content: this is not text:"),
        ("prog.dat", &elf[..], "content: this is not text:"),
        (
            "page.html",
            &html[..],
            "content: an HTML or XML document (it opens with <!doctype html)",
        ),
        (
            "page.txt",
            &html[..],
            "content: an HTML or XML document (it opens with <!doctype html)",
        ),
        (
            "export.csv",
            &html[..],
            "content: an HTML or XML document (it opens with <!doctype html)",
        ),
    ] {
        let input = common::write(dir.path(), name, body);
        for cmd in ["run", "score"] {
            let mut c = common::bin();
            c.arg(cmd).arg(&input);
            if cmd == "run" {
                c.arg("--out").arg(dir.path().join("o"));
            }
            c.assert()
                .code(3)
                .stderr(predicate::str::contains(format!(
                    "{}, line 1: {why}",
                    input.display()
                )))
                .stderr(predicate::str::contains("--skip-bad").not());
        }
    }
    // Prose is for run; score says so.
    let prose = common::write(
        dir.path(),
        "notes.txt",
        b"Xiaomi will come to the US next year.\n",
    );
    common::bin()
        .arg("score")
        .arg(&prose)
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "line 1: content: it reads as prose, and score reads records",
        ));
    let input = dir.path().join("page.html");
    run(dir.path(), "t", &input, &["--format", "text"]).success();
    assert_eq!(counts(&dir.path().join("t")), (1, 1, 0));
}

#[test]
fn json_nested_ten_thousand_deep_is_a_reject() {
    let mut body = b"{\"id\":\"a\",\"text\":\"good\"}\n{\"id\":\"b\",\"text\":".to_vec();
    body.extend(std::iter::repeat_n(b'[', 10_000));
    body.extend(std::iter::repeat_n(b']', 10_000));
    body.extend(b"}\n");
    let (_tmp, out) = hard_then_soft(
        "deep.jsonl",
        &body,
        "line 2: record: JSON nested deeper than 127 levels, the limit (--max-json-depth)",
        (2, 1, 1),
    );
    let m = common::manifest(&out);
    assert_eq!(m["config"]["max_json_depth"], 127);
}

#[test]
fn the_json_depth_limit_can_be_lowered_but_not_raised() {
    // 127 levels (the object and 126 arrays) is the most the parser takes; 128 is a reject.
    let nest = |n: usize| {
        format!(
            "{{\"id\":\"x{n}\",\"text\":\"hi\",\"extra\":{}{}}}\n",
            "[".repeat(n - 1),
            "]".repeat(n - 1)
        )
    };
    let body = format!("{}{}", nest(127), nest(128));
    let (_tmp, out) = hard_then_soft(
        "edge.jsonl",
        body.as_bytes(),
        "line 2: record: JSON nested deeper than 127 levels",
        (2, 1, 1),
    );
    assert_eq!(rejects(&out)[0].0, "2");
    // Lowered to 3: a record 4 deep is a reject (brackets inside strings do not count), 3 deep is not.
    let body = b"{\"id\":\"a\",\"text\":\"[[[[ fine ]]]]\",\"m\":[[1]]}\n{\"id\":\"b\",\"text\":\"hi\",\"m\":[[[1]]]}\n";
    let (_tmp, out) = hard_then_soft_with(
        "low.jsonl",
        body,
        "line 2: record: JSON nested deeper than 3 levels, the limit (--max-json-depth)",
        (2, 1, 1),
        &["--max-json-depth", "3"],
    );
    assert_eq!(common::manifest(&out)["config"]["max_json_depth"], 3);
    let tmp = tempfile::tempdir().unwrap();
    let input = common::write(tmp.path(), "x.jsonl", b"{\"id\":\"a\",\"text\":\"hi\"}\n");
    run(tmp.path(), "o", &input, &["--max-json-depth", "500"])
        .code(2)
        .stderr(predicate::str::contains(
            "--max-json-depth: 500 is not a depth from 1 to 127",
        ));
}

#[test]
fn json_text_that_is_not_a_string_is_a_reject_naming_what_it_is() {
    let (_tmp, out) = hard_then_soft(
        "types.jsonl",
        b"{\"id\":\"a\",\"text\":5}\n{\"id\":\"b\",\"text\":null}\n{\"id\":\"c\",\"text\":[1]}\n{\"id\":\"d\",\"text\":{\"x\":1}}\n{\"id\":\"e\",\"text\":\"fine\"}\n",
        "line 1: text: expected a string, found the number 5",
        (5, 1, 4),
    );
    let reasons: Vec<String> = rejects(&out).into_iter().map(|r| r.2).collect();
    assert_eq!(
        reasons,
        [
            "expected a string, found the number 5",
            "expected a string, found null",
            "expected a string, found an array",
            "expected a string, found an object"
        ]
    );
}

#[test]
fn duplicate_column_names_ask_for_an_index() {
    let dir = tempfile::tempdir().unwrap();
    let input = common::write(dir.path(), "dup.csv", b"id,text,text\na,good,bad\n");
    run(dir.path(), "a", &input, &[])
        .code(2)
        .stderr(predicate::str::contains(format!(
            "--text-column: {} has 2 columns named \"text\" (columns 2, 3)",
            input.display()
        )));
    run(dir.path(), "b", &input, &["--text-column", "3"]).success();
    let (h, rows) = common::read_csv(&dir.path().join("b/units.csv"));
    let text = h.iter().position(|c| c == "text").unwrap();
    assert_eq!(rows[0][text], "bad");
}

#[test]
fn a_header_only_file_is_an_empty_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let input = common::write(dir.path(), "head.csv", b"id,text\n");
    run(dir.path(), "a", &input, &[]).code(3).stderr(
        predicate::str::contains("no records to score in")
            .and(predicate::str::contains("head.csv: the corpus is empty")),
    );
}

#[test]
fn a_million_character_word_is_scored() {
    let dir = tempfile::tempdir().unwrap();
    let mut body = b"id,text\na,good ".to_vec();
    body.extend(std::iter::repeat_n(b'x', 1_000_000));
    body.extend(b"\nb,bad\n");
    let input = common::write(dir.path(), "word.csv", &body);
    run(dir.path(), "o", &input, &[]).success();
    assert_eq!(counts(&dir.path().join("o")), (2, 2, 0));
}

#[test]
fn a_ten_megabyte_comment_is_over_the_default_limit_and_scored_without_it() {
    let mut body = b"id,text\na,".to_vec();
    body.extend(
        "Xiaomi is great but the ban is bad. "
            .repeat(290_000)
            .bytes(),
    );
    body.extend(b"\nb,fine\n");
    let (_tmp, out) = hard_then_soft(
        "ten.csv",
        &body,
        "line 2: text: the text is 10440000 bytes, longer than --max-text-bytes 1048576",
        (2, 1, 1),
    );
    let m = common::manifest(&out);
    assert_eq!(m["config"]["max_text_bytes"], 1_048_576);
    // With the limit lifted the whole comment is scored: 290,000 sentences, one stance per unit.
    let dir = out.parent().unwrap();
    let input = dir.join("ten.csv");
    run(dir, "all", &input, &["--max-text-bytes", "0"]).success();
    assert_eq!(counts(&dir.join("all")), (2, 2, 0));
    let (_, sentences) = common::read_csv(&dir.join("all/sentences.csv"));
    assert_eq!(sentences.len(), 290_001);
    // The report shows the start of the text and says how much more there is; the CSVs have it whole.
    let html = std::fs::read_to_string(dir.join("all/index.html")).unwrap();
    assert!(html.len() < 1_000_000, "index.html is {} bytes", html.len());
    assert!(html.contains("more characters: see the CSV files)"));
    let (h, units) = common::read_csv(&dir.join("all/units.csv"));
    let text = h.iter().position(|c| c == "text").unwrap();
    assert_eq!(units[0][text].len(), 10_440_000, "the whole text");
}

#[test]
fn emoji_only_text_of_a_megabyte_is_scored() {
    let dir = tempfile::tempdir().unwrap();
    let mut body = b"id,text\na,".to_vec();
    body.extend("😀😡👍".repeat(87_000).bytes());
    body.extend(b"\n");
    let input = common::write(dir.path(), "emoji.csv", &body);
    run(dir.path(), "o", &input, &[]).success();
    assert_eq!(counts(&dir.path().join("o")), (1, 1, 0));
}

#[test]
fn a_two_hundred_thousand_deep_reply_chain_is_threaded() {
    let dir = tempfile::tempdir().unwrap();
    let mut body = String::from("{\"id\":\"c0\",\"body\":\"Xiaomi should come here\"}\n");
    for k in 1..200_000 {
        body += &format!(
            "{{\"id\":\"c{k}\",\"parent_id\":\"c{}\",\"body\":\"no, it is bad\"}}\n",
            k - 1
        );
    }
    let input = common::write(dir.path(), "chain.jsonl", body.as_bytes());
    run(dir.path(), "o", &input, &[]).success();
    assert_eq!(counts(&dir.path().join("o")), (200_000, 200_000, 0));
    let (h, rows) = common::read_csv(&dir.path().join("o/units.csv"));
    let (depth, root) = (
        h.iter().position(|c| c == "depth").unwrap(),
        h.iter().position(|c| c == "thread_root").unwrap(),
    );
    let last = rows.last().unwrap();
    assert_eq!(
        (last[depth].as_str(), last[root].as_str()),
        ("199999", "c0")
    );
}

#[test]
fn reply_cycles_and_self_replies_are_broken_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let input = common::write(
        dir.path(),
        "cycle.jsonl",
        b"{\"id\":\"a\",\"parent_id\":\"b\",\"body\":\"good\"}\n{\"id\":\"b\",\"parent_id\":\"a\",\"body\":\"bad\"}\n{\"id\":\"s\",\"parent_id\":\"s\",\"body\":\"me\"}\n",
    );
    common::run_into(&input, &dir.path().join("o"))
        .success()
        .stderr(
            predicate::str::contains("reply cycle: a replies to b")
                .and(predicate::str::contains("reply cycle: s replies to s")),
        );
    assert_eq!(counts(&dir.path().join("o")), (3, 3, 0));
}

/// A reply to an id the corpus does not have (its parent rejected, or outside the export) starts a
/// thread of its own, and the run says so: with its parent rejected, here.
#[test]
fn replies_to_an_id_not_in_the_corpus_are_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let input = common::write(
        dir.path(),
        "orphans.jsonl",
        b"{\"id\":\"m3\",\"body\":\"good\",\"created_utc\":\"Tue, 31 Jun 2018 10:00:00 +0000\"}\n{\"id\":\"m9\",\"parent_id\":\"m3\",\"body\":\"bad\"}\n{\"id\":\"m10\",\"parent_id\":\"m9\",\"body\":\"ok\"}\n",
    );
    let out = dir.path().join("o");
    common::run_into_with(&input, &out, &["--skip-bad"])
        .success()
        .stderr(predicate::str::contains(
            "warning: 1 unit(s) reply to an id that no unit of the corpus has (m9 to m3), as in an export that holds part of a discussion or whose parent was rejected: each starts a thread of its own",
        ));
    assert_eq!(counts(&out), (3, 2, 1));
    let warnings = common::manifest(&out)["warnings"].to_string();
    assert!(warnings.contains("(m9 to m3)"), "{warnings}");
    // The report says it too, where an analyst reads the findings.
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        html.contains("Warnings about the input") && html.contains("(m9 to m3)"),
        "{html}"
    );
}

#[test]
fn invalid_calendar_dates_are_rejects_naming_the_date_field() {
    let (_tmp, out) = hard_then_soft(
        "dates.csv",
        b"id,date,text\na,2018-02-31,good\nb,2018-07-06xyz,bad\nc,2018-07-06,fine\n",
        "line 2: date:",
        (3, 1, 2),
    );
    let r = rejects(&out);
    assert_eq!(
        r.iter()
            .map(|r| (r.0.as_str(), r.1.as_str()))
            .collect::<Vec<_>>(),
        [("2", "date"), ("3", "date")]
    );
}

#[test]
fn repeated_ids_keep_the_thread_counts_whole() {
    // Two top-level units share the id "a", and one real reply answers the last of them: two threads,
    // each under its own root's author.
    let dir = tempfile::tempdir().unwrap();
    let input = common::write(
        dir.path(),
        "dup.csv",
        b"id,author,parent_id,text\na,ann,,good\na,bob,,bad\nb,cy,,ok\nc,dee,a,I agree\n",
    );
    run(dir.path(), "o", &input, &[]).success();
    let warnings = common::manifest(&dir.path().join("o"))["warnings"].to_string();
    assert!(
        warnings.contains("1 unit(s) repeat the id of an earlier unit of their document (a);"),
        "{warnings}"
    );
    let (h, rows) = common::read_csv(&dir.path().join("o/threads.csv"));
    let col = |name: &str| h.iter().position(|c| c == name).unwrap();
    let a: Vec<(&str, &str, &str)> = rows
        .iter()
        .filter(|r| r[col("thread_root")] == "a")
        .map(|r| {
            (
                r[col("root_author")].as_str(),
                r[col("size")].as_str(),
                r[col("replies")].as_str(),
            )
        })
        .collect();
    assert_eq!(a, [("bob", "2", "1"), ("ann", "1", "0")], "{rows:?}");
    for r in &rows {
        let n = |name: &str| r[col(name)].parse::<u32>().unwrap();
        assert_eq!(
            n("replies"),
            n("agreeing") + n("disagreeing") + n("unclear"),
            "{r:?}"
        );
    }
}

/// A reply to a unit that only another document has is in that unit's thread, and a warning says how to
/// join it to threads.csv.
#[test]
fn a_reply_to_another_document_is_counted_in_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let a = common::write(
        dir.path(),
        "siteA.csv",
        b"id,author,parent_id,text\n4,lee,,Xiaomi yes\n5,priya,4,Agree\n",
    );
    let c = common::write(
        dir.path(),
        "siteC.csv",
        b"id,author,parent_id,text\n4,xx,,Xiaomi no\n9,ww,5,Hmm\n",
    );
    common::bin()
        .args(["run", "--out"])
        .arg(dir.path().join("o"))
        .arg(&a)
        .arg(&c)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "1 reply answers a unit of another document (9): a reply is in its parent's thread",
        ));
    let (h, rows) = common::read_csv(&dir.path().join("o/threads.csv"));
    let col = |name: &str| h.iter().position(|c| c == name).unwrap();
    let lee = rows
        .iter()
        .find(|r| r[col("root_author")] == "lee")
        .unwrap();
    assert_eq!(
        (lee[col("doc_id")].as_str(), lee[col("size")].as_str()),
        ("siteA", "3")
    );
}

/// Files of the same name (in two folders, or as CSV and JSONL) are documents of their own: their units
/// were one document's, and a reply in one answered a comment of the other.
#[test]
fn files_of_the_same_name_are_documents_of_their_own() {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("c");
    for sub in ["forum", "news"] {
        std::fs::create_dir_all(c.join(sub)).unwrap();
    }
    common::write(
        &c.join("forum"),
        "comments.csv",
        b"id,author,parent_id,text\n1,ann,,Let Xiaomi in\n2,bob,1,Agreed\n",
    );
    common::write(
        &c.join("news"),
        "comments.csv",
        b"id,author,parent_id,text\n1,cat,,Keep Xiaomi out\n2,dan,1,No\n",
    );
    common::write(&c, "site.csv", b"id,author,text\n1,eve,Xiaomi is fine\n");
    common::write(
        &c,
        "site.jsonl",
        b"{\"id\":\"1\",\"author\":\"fay\",\"body\":\"Xiaomi is bad\"}\n",
    );
    run(dir.path(), "o", &c, &[]).success();
    let warnings = common::manifest(&dir.path().join("o"))["warnings"].to_string();
    assert!(
        warnings.contains("files with the same name are documents of their own"),
        "{warnings}"
    );
    let (h, rows) = common::read_csv(&dir.path().join("o/threads.csv"));
    let col = |name: &str| h.iter().position(|c| c == name).unwrap();
    let got: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r[col("doc_id")].as_str(),
                r[col("root_author")].as_str(),
                r[col("size")].as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("forum/comments", "ann", "2"),
            ("news/comments", "cat", "2"),
            ("site.csv", "eve", "1"),
            ("site.jsonl", "fay", "1")
        ]
    );
}

/// Two documents that number their comments alike (pages, or exports whose ids start at 1): a reply
/// answers the comment of its own document, and threads.csv and replies.csv name the document.
#[test]
fn documents_that_share_ids_keep_their_threads_apart() {
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("pages");
    std::fs::create_dir(&pages).unwrap();
    common::write(
        &pages,
        "a.csv",
        b"id,author,parent_id,text\n1,ann,,Xiaomi is great\n2,bob,1,I agree\n",
    );
    common::write(
        &pages,
        "b.csv",
        b"id,author,parent_id,text\n1,cat,,Keep Xiaomi out\n2,dan,1,No way\n3,eve,1,Sure\n",
    );
    run(dir.path(), "o", &pages, &[]).success();
    let (h, rows) = common::read_csv(&dir.path().join("o/threads.csv"));
    let col = |name: &str| h.iter().position(|c| c == name).unwrap();
    let got: Vec<(&str, &str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r[col("doc_id")].as_str(),
                r[col("thread_root")].as_str(),
                r[col("root_author")].as_str(),
                r[col("size")].as_str(),
            )
        })
        .collect();
    assert_eq!(got, [("b", "1", "cat", "3"), ("a", "1", "ann", "2")]);
    let (h, rows) = common::read_csv(&dir.path().join("o/replies.csv"));
    let col = |name: &str| h.iter().position(|c| c == name).unwrap();
    let got: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r[col("doc_id")].as_str(),
                r[col("reply_author")].as_str(),
                r[col("parent_author")].as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("a", "bob", "ann"),
            ("b", "dan", "cat"),
            ("b", "eve", "cat")
        ]
    );
    let warnings = common::manifest(&dir.path().join("o"))["warnings"].to_string();
    assert!(
        warnings.contains("2 unit(s) reuse an id that a unit of an earlier document has (1, 2)"),
        "{warnings}"
    );
    assert!(!warnings.contains("repeat the id"), "{warnings}");
    // Units are counted as units, not as ids: both "1"s name Xiaomi.
    let (h, rows) = common::read_csv(&dir.path().join("o/sentiment_by_entity.csv"));
    let col = |name: &str| h.iter().position(|c| c == name).unwrap();
    let x = rows.iter().find(|r| r[col("entity")] == "xiaomi").unwrap();
    assert_eq!(
        (x[col("mentions")].as_str(), x[col("units")].as_str()),
        ("2", "2")
    );
    // Every per-unit file names the document, so that each of its rows joins one row of units.csv.
    let (h, units) = common::read_csv(&dir.path().join("o/units.csv"));
    let at = |name: &str| h.iter().position(|c| c == name).unwrap();
    let units: Vec<(String, String)> = units
        .iter()
        .map(|r| (r[at("doc_id")].clone(), r[at("id")].clone()))
        .collect();
    for file in [
        "sentences.csv",
        "stance_cues.csv",
        "entity_mentions.csv",
        "unit_entities.csv",
    ] {
        let (h, rows) = common::read_csv(&dir.path().join("o").join(file));
        let col = |name: &str| h.iter().position(|c| c == name).unwrap();
        let docs: std::collections::BTreeSet<&str> =
            rows.iter().map(|r| r[col("doc_id")].as_str()).collect();
        assert_eq!(docs.into_iter().collect::<Vec<_>>(), ["a", "b"], "{file}");
        for r in &rows {
            let k = (r[col("doc_id")].clone(), r[col("unit_id")].clone());
            assert_eq!(
                units.iter().filter(|u| **u == k).count(),
                1,
                "{file}: {r:?}"
            );
        }
    }
    // crosstab.csv's examples and the report name a unit with its document, and its anchor is unique.
    let crosstab = std::fs::read_to_string(dir.path().join("o/crosstab.csv")).unwrap();
    assert!(
        crosstab.contains("1 (a)") && crosstab.contains("1 (b)"),
        "{crosstab}"
    );
    let html = std::fs::read_to_string(dir.path().join("o/index.html")).unwrap();
    for anchor in [
        "id=\"u-a-1\"",
        "id=\"u-a-2\"",
        "id=\"u-b-1\"",
        "id=\"u-b-3\"",
    ] {
        assert_eq!(html.matches(anchor).count(), 1, "{anchor}");
    }
    assert!(
        html.contains(">1 (b)</td>"),
        "the units table names the document"
    );
}
