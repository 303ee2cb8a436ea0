//! A stranger's export, run with no flags beyond the file: formats told by content, delimiters sniffed,
//! columns found under common names, and a target that does not fit the corpus said out loud.

mod common;
use predicates::prelude::*;

use common::write;

fn column<'a>(header: &[String], rows: &'a [Vec<String>], name: &str) -> Vec<&'a str> {
    let k = header.iter().position(|h| h == name).unwrap();
    rows.iter().map(|r| r[k].as_str()).collect()
}

#[test]
fn unusual_column_names_need_no_flags() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(
        dir.path(),
        "export.csv",
        b"comment_id,user,posted_at,message\n7,ann,2018-07-06,Let them in! I would buy a Xiaomi tomorrow.\n8,bob,2018-07-07 09:30,Keep Xiaomi out. They spy.\n",
    );
    let out = dir.path().join("r");
    common::bin()
        .args(["run", "--out"])
        .arg(&out)
        .arg(&input)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "export.csv: text = message, id = comment_id, author = user, date = posted_at",
        ));
    let (h, rows) = common::read_csv(&out.join("units.csv"));
    assert_eq!(column(&h, &rows, "id"), ["7", "8"]);
    assert_eq!(column(&h, &rows, "author"), ["ann", "bob"]);
    // Dates in ISO 8601: the space between date and time becomes T.
    assert_eq!(
        column(&h, &rows, "date"),
        ["2018-07-06", "2018-07-07T09:30"]
    );
    let manifest = common::manifest(&out);
    assert!(
        manifest["columns"][0]
            .as_str()
            .unwrap()
            .contains("text = message")
    );
}

/// A header whose columns the defaults do not recognise: the columns line names them and the flags of
/// the roles still free, so that the user can map them.
#[test]
fn columns_no_role_reads_are_named_with_the_flags_that_map_them() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(
        dir.path(),
        "reviews.csv",
        b"Review ID,Reviewer,Review Date,Rating,Review Text\n1,Ann,2024-01-02,5,Xiaomi phones are great value\n",
    );
    let out = dir.path().join("r");
    common::bin()
        .args(["run", "--text-column", "Review Text", "--author-column", "Reviewer", "--out"])
        .arg(&out)
        .arg(&input)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "reviews.csv: text = Review Text, author = Reviewer; not used: Review ID, Review Date, Rating (roles without a column: id, date, parent; --id-column, --date-column and --parent-column map them)",
        ));
    // score names them when none is the id (its records are then named by line).
    common::bin()
        .args(["score", "--text-column", "Review Text"])
        .arg(&input)
        .assert()
        .success()
        .stdout(predicate::str::contains("reviews:2,"))
        .stderr(predicate::str::contains(
            "reviews.csv: text = Review Text; not used: Review ID, Reviewer, Review Date, Rating (role without a column: id; --id-column maps it); without an id column, a record is named by its file and line (reviews:2 is line 2)",
        ));
    common::bin()
        .args([
            "score",
            "--text-column",
            "Review Text",
            "--id-column",
            "Review ID",
        ])
        .arg(&input)
        .assert()
        .success()
        .stderr(predicate::str::is_empty());
    // A folder is run's: score says so.
    common::bin()
        .arg("score")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "a folder, and score reads one file or stdin: `stancemeter run",
        ));
    // Every column used: no such list.
    common::bin()
        .args(["run", "--out"])
        .arg(dir.path().join("r2"))
        .arg(write(
            dir.path(),
            "plain.csv",
            b"id,text\n1,Xiaomi phones are great value\n",
        ))
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "plain.csv: text = text, id = id\n",
        ));
}

/// A folder of exports that name a column differently is read in one run with a list of names (A|B):
/// each file takes the first it has, JSON lines too.
#[test]
fn exports_that_name_a_column_differently_are_read_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("mixed");
    std::fs::create_dir(&folder).unwrap();
    write(
        &folder,
        "a.csv",
        b"id,Posted by,Comment\n1,ann,Let Xiaomi in\n",
    );
    write(
        &folder,
        "b.csv",
        b"id,User Name,Comment\n1,bob,Keep Xiaomi out\n",
    );
    write(
        &folder,
        "c.jsonl",
        b"{\"id\":\"1\",\"nick\":\"cat\",\"Comment\":\"Xiaomi is fine\"}\n",
    );
    let out = dir.path().join("r");
    common::bin()
        .args([
            "run",
            "--text-column",
            "Comment",
            "--author-column",
            "Posted by|User Name|nick",
            "--out",
        ])
        .arg(&out)
        .arg(&folder)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "b.csv: text = Comment, id = id, author = User Name",
        ));
    let (h, rows) = common::read_csv(&out.join("units.csv"));
    assert_eq!(column(&h, &rows, "author"), ["ann", "bob", "cat"]);
    // A file with none of them is an error that lists its columns.
    write(&folder, "d.csv", b"id,Handle,Comment\n1,dan,Hm\n");
    common::bin()
        .args(["run", "--text-column", "Comment", "--author-column", "Posted by|User Name|nick", "--out"])
        .arg(&out)
        .arg(&folder)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "d.csv has none of the columns \"Posted by\" or \"User Name\" or \"nick\" (its columns: id, Handle, Comment)",
        ));
}

#[test]
fn a_semicolon_csv_is_read_by_its_delimiter() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(
        dir.path(),
        "semi.csv",
        "id;author;text\n1;ann;Great phones, cheap too\n2;bob;\"Never; not from them\"\n"
            .as_bytes(),
    );
    let out = dir.path().join("r");
    common::bin()
        .args(["run", "--out"])
        .arg(&out)
        .arg(&input)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "records: 2 read = 2 scored + 0 rejected",
        ));
    let (h, rows) = common::read_csv(&out.join("units.csv"));
    assert_eq!(
        column(&h, &rows, "text"),
        ["Great phones, cheap too", "Never; not from them"]
    );
    // run.json says how the file was read.
    let input0 = &common::manifest(&out)["inputs"][0];
    assert_eq!(
        (input0["delimiter"].as_str(), input0["encoding"].as_str()),
        (Some(";"), Some("UTF-8"))
    );
    common::bin()
        .args(["score", "--delimiter", ";"])
        .arg(&input)
        .assert()
        .success()
        .stdout(predicate::str::starts_with("id,neg,neu,pos,compound\n1,"));
}

#[test]
fn jsonl_on_stdin_is_told_by_its_content() {
    let jsonl = "{\"id\":\"a\",\"body\":\"Let them in!\"}\n{\"id\":\"b\",\"parent_id\":\"a\",\"body\":\"I agree, bring Xiaomi here\"}\n";
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    common::bin()
        .args(["run", "-", "--out"])
        .arg(&out)
        .write_stdin(jsonl)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "records: 2 read = 2 scored + 0 rejected",
        ))
        .stderr(predicate::str::contains(
            "-: read as jsonl (by its content)",
        ));
    common::bin()
        .args(["score", "-"])
        .write_stdin(jsonl)
        .assert()
        .success()
        .stdout(predicate::str::starts_with("id,neg,neu,pos,compound\na,"));
}

/// JSONL on stdin is told by its first record even when that record is longer than the 64 KiB read
/// ahead, is invalid, comes after blank lines, or ends in a lone CR; the reader then names the bad line.
#[test]
fn jsonl_on_stdin_is_told_by_its_first_record_whatever_it_holds() {
    let long = format!(
        "{{\"id\": \"a\", \"text\": \"{}\"}}\n{{\"id\": \"b\", \"text\": \"ok\"}}\n",
        "nice ".repeat(30_000)
    );
    common::bin()
        .args(["score", "-"])
        .write_stdin(long)
        .assert()
        .success()
        .stdout(predicate::str::is_match("^id,neg,neu,pos,compound\na,[^\n]*\nb,").unwrap());
    for (input, stdout) in [
        ("\n\n{\"id\": \"a\", \"text\": \"good\"}\n", "a,"),
        (
            "{\"id\": \"a\", \"text\": \"good\"}\r{\"id\": \"b\", \"text\": \"bad\"}\r",
            "b,",
        ),
    ] {
        common::bin()
            .args(["score", "-"])
            .write_stdin(input)
            .assert()
            .success()
            .stdout(predicate::str::contains(stdout));
    }
    // A run that fails on its first batch leaves nothing on stdout, not even the header.
    common::bin()
        .args(["score", "-"])
        .write_stdin("{\"id\": \"a\", \"text\": \"good\",}\n{\"id\": \"b\", \"text\": \"bad\"}\n")
        .assert()
        .code(3)
        .stdout("")
        .stderr(predicate::str::contains(
            "-, line 1: record: invalid JSON: trailing comma at column 28\n",
        ));
}

/// `score --skip-bad` lists every rejected record, and when that is all of them, fails as `run` does;
/// the reason lists a record's keys. A key that is a default name in another case is read, as a CSV
/// header's name is.
#[test]
fn score_fails_when_every_record_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let out = write(dir.path(), "scores.csv", b"kept\n");
    common::bin()
        .args(["score", "--skip-bad", "-", "-o"])
        .arg(&out)
        .write_stdin("{\"Txt\": \"hi\"}\n{\"Txt\": \"yo\"}\n")
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "rejected: -, line 2: text: missing text field; its keys: Txt; none is one of text, full_text, body,",
        ))
        .stderr(predicate::str::contains(
            "nothing to score: all 2 records were rejected (the first: -, line 1: text:",
        ));
    // The output file of an earlier run stays as it was.
    assert_eq!(std::fs::read(&out).unwrap(), b"kept\n");
    // One record is "the only record", not "all 1 records".
    common::bin()
        .args(["score", "--skip-bad", "-"])
        .write_stdin("{\"Txt\": \"hi\"}\n")
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "nothing to score: the only record was rejected (-, line 1: text: missing text field",
        ));
    common::bin()
        .args(["score", "--skip-bad", "--text-column", "Text", "-"])
        .write_stdin("{\"Text\": \"hi\"}\n{\"text\": \"yo\"}\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("\nstdin:1,"));
    common::bin()
        .args(["score", "-"])
        .write_stdin("{\"ID\": \"a\", \"Text\": \"hi\"}\n")
        .assert()
        .success()
        .stdout("id,neg,neu,pos,compound\na,0.0,1.0,0.0,0.0\n");
}

/// A stray line before JSON lines on stdin does not turn them into prose: the line is a bad record.
#[test]
fn a_stray_first_line_does_not_hide_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    common::bin()
        .args(["run", "-", "--skip-bad", "--out"])
        .arg(dir.path().join("r"))
        .write_stdin("garbage line from a log\n{\"id\": \"a\", \"text\": \"Let them in!\"}\n{\"id\": \"b\", \"text\": \"Keep them out.\"}\n")
        .assert()
        .success()
        .stderr(predicate::str::contains("-: read as jsonl (by its content)"))
        .stdout(predicate::str::contains(
            "records: 3 read = 2 scored + 1 rejected",
        ));
}

/// `score` writes no date, author, parent, kind or document, so such a field it cannot read is no
/// reason to reject a record; `run`, whose tables use them, rejects it.
#[test]
fn score_leaves_dates_alone() {
    common::bin()
        .args(["score", "-"])
        .write_stdin("id,text,date\n1,good,1530835200000\n2,bad,last tuesday\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("\n1,").and(predicate::str::contains("\n2,")));
    let record = "{\"id\": \"a\", \"body\": \"good\", \"author\": [1], \"kind\": \"bogus\", \"parent_id\": {}}\n";
    common::bin()
        .args(["score", "-"])
        .write_stdin(record)
        .assert()
        .success()
        .stdout("id,neg,neu,pos,compound\na,0.0,0.0,1.0,0.4404\n");
    // A flag for a field score does not read is said to serve run only.
    common::bin()
        .args(["score", "--date-column", "when", "-"])
        .write_stdin(record)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "warning: --date-column: score reads only the id and the text, the fields it writes; this flag serves run",
        ));
    let dir = tempfile::tempdir().unwrap();
    common::bin()
        .args(["run", "-", "--out"])
        .arg(dir.path().join("r"))
        .write_stdin(record)
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "line 1: author: expected a string or a number, found an array",
        ));
}

#[test]
fn prose_on_stdin_stays_prose() {
    let dir = tempfile::tempdir().unwrap();
    common::bin()
        .args(["run", "-", "--out"])
        .arg(dir.path().join("r"))
        .write_stdin("Xiaomi will come to the US, they say.\n\nNobody knows when, or how.\n")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "records: 2 read = 2 scored + 0 rejected",
        ))
        .stderr(predicate::str::contains("-: read as text (by its content)"));
}

#[test]
fn a_target_that_does_not_fit_the_corpus_is_said_out_loud() {
    let dir = tempfile::tempdir().unwrap();
    let mut body = String::from("id,text\n");
    for k in 0..40 {
        body +=
            &format!("{k},Tesla should build its factory in India; they would sell well there.\n");
    }
    // Chatter in which the default target's model finds stance against the tone.
    body += "40,What a horrible rainy day. I hate it.\n41,Great coffee and a lovely view!\n";
    body += "42,This awful traffic is killing me.\n43,Nice write-up. Cheers!\n";
    let input = write(dir.path(), "tesla.csv", body.as_bytes());
    let out = dir.path().join("r");
    common::bin()
        .args(["run", "--out"])
        .arg(&out)
        .arg(&input)
        .assert()
        .success()
        .stderr(
            predicate::str::contains("warning: target xiaomi-us-entry (Xiaomi").and(
                predicate::str::contains("only 0 of 44 units (0.0 %) name it"),
            ),
        );
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    let notice = html.find("Read with care:").expect("a notice");
    assert!(
        notice < html.find("Key findings").unwrap(),
        "the notice comes first"
    );
    // The findings do not count stance toward a target the corpus does not name.
    assert!(
        html.contains("is not summarised here: too few units name it"),
        "{html}"
    );
    assert!(!html.contains("comments favour"), "{html}");
    assert!(!html.contains("its stance is"), "{html}");
    assert!(!html.contains("Tone and stance disagree"), "{html}");
    // The table behind that finding is kept for reference.
    let crosstab = std::fs::read_to_string(out.join("crosstab.csv")).unwrap();
    assert!(crosstab.contains(",true,"), "{crosstab}");
}

#[test]
fn findings_never_call_a_neutral_comment_the_most_negative() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(
        dir.path(),
        "calm.csv",
        b"id,author,text\n1,mallory,The phone has a screen.\n2,ann,I love it. Great value!\n",
    );
    let out = dir.path().join("r");
    common::bin()
        .args(["run", "--out"])
        .arg(&out)
        .arg(&input)
        .assert()
        .success();
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(!html.contains("most negative comment is"), "{html}");
    assert!(html.contains("No comment is negative in tone"));
    // A comment-only corpus gets its overall tone and its most positive comment.
    assert!(
        html.contains("Tone: the comments&#x27; mean compound is")
            || html.contains("Tone: the comments' mean compound is"),
        "{html}"
    );
    assert!(
        html.contains("The most positive comment is ann&#x27;s")
            || html.contains("The most positive comment is ann's"),
        "{html}"
    );
    assert!(html.contains("name=\"viewport\""));
    // Its article arc has no row: the report says so instead of a header over nothing.
    let arc = &html[html.find("<h3 id=\"article_arc\">").unwrap()..];
    let section = &arc[..arc[1..].find("<h").map_or(arc.len(), |k| k + 1)];
    assert!(
        section.contains("No rows: nothing in this corpus falls in this table")
            && !section.contains("<table"),
        "{section}"
    );
}

#[test]
fn favour_is_accepted_for_favor() {
    let dir = tempfile::tempdir().unwrap();
    let target = write(
        dir.path(),
        "t.toml",
        b"id = \"t\"\ndescription = \"test\"\n[[favour]]\ncue = \"let them in\"\nweight = 2\n",
    );
    let labels = write(
        dir.path(),
        "l.csv",
        b"id,text,stance\n1,Let them in,favour\n2,The sky is blue,none\n",
    );
    common::bin()
        .args(["eval", "--json", "--labels"])
        .arg(&labels)
        .arg("--target")
        .arg(&target)
        .assert()
        .success()
        .stdout(predicate::str::contains("\"accuracy\": 1.0"));
}

#[test]
fn init_writes_editable_copies_that_runs_then_use() {
    let dir = tempfile::tempdir().unwrap();
    common::bin()
        .arg("init")
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("stancemeter.toml"));
    for f in [
        "data/targets/xiaomi-us-entry.toml",
        "data/targets/xiaomi-us-entry.model",
        "data/entities.toml",
        "stancemeter.toml",
    ] {
        assert!(dir.path().join(f).is_file(), "{f}");
    }
    // A second init does not overwrite edits.
    common::bin()
        .arg("init")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists"));
    // An edited copy is what a run there uses: without its model, the cues decide at the new threshold.
    let target = dir.path().join("data/targets/xiaomi-us-entry.toml");
    let text = std::fs::read_to_string(&target).unwrap();
    assert!(text.contains("\nmodel = \"xiaomi-us-entry.model\"\n"));
    std::fs::write(
        &target,
        text.replacen("threshold = ", "threshold = 1000 # ", 1)
            .replacen("\nmodel = ", "\n# model = ", 1),
    )
    .unwrap();
    let out = dir.path().join("r");
    common::bin()
        .current_dir(dir.path())
        .args(["run", "--config", "stancemeter.toml", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "xiaomi-us-entry (data/targets/xiaomi-us-entry.toml)",
        ));
    let (h, rows) = common::read_csv(&out.join("units.csv"));
    assert!(
        column(&h, &rows, "stance").iter().all(|s| *s == "none"),
        "the edited threshold applies"
    );
}

/// A config file's paths are its folder's, wherever the run starts (a run from the parent folder could not
/// find `comments.csv` beside the config).
#[test]
fn config_paths_are_relative_to_the_config_file() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    std::fs::create_dir(&project).unwrap();
    write(
        &project,
        "comments.csv",
        b"id,text\n1,Let them in!\n2,Keep them out.\n",
    );
    write(
        &project,
        "stancemeter.toml",
        b"inputs = [\"comments.csv\"]\nout = \"reports\"\n",
    );
    common::bin()
        .current_dir(dir.path())
        .args(["run", "--quiet", "--config", "project/stancemeter.toml"])
        .assert()
        .success();
    let (_, rows) = common::read_csv(&project.join("reports/units.csv"));
    assert_eq!(rows.len(), 2);
    assert!(!dir.path().join("reports").exists());
    // Without `out`, reports/ beside the config file too.
    write(
        &project,
        "stancemeter.toml",
        b"inputs = [\"comments.csv\"]\n",
    );
    std::fs::remove_dir_all(project.join("reports")).unwrap();
    common::bin()
        .current_dir(dir.path())
        .args(["run", "--quiet", "--config", "project/stancemeter.toml"])
        .assert()
        .success();
    assert!(project.join("reports/units.csv").is_file());
    assert!(!dir.path().join("reports").exists());
}

#[test]
fn windows_1252_with_encoding_and_utf16_by_its_bom() {
    let dir = tempfile::tempdir().unwrap();
    // "Café: très bon" in windows-1252: é = 0xE9, è = 0xE8.
    let latin = write(
        dir.path(),
        "latin.csv",
        b"id,text\n1,Caf\xe9: tr\xe8s bon\n",
    );
    // With no flag it is read as Windows-1252, and said so; --encoding utf-8 rejects it instead.
    let out = dir.path().join("a");
    common::bin()
        .args(["run", "--out"])
        .arg(&out)
        .arg(&latin)
        .assert()
        .success()
        .stderr(predicate::str::contains(format!(
            "{}: not UTF-8 (line 2 has the byte 0xE9), so it is read as Windows-1252",
            latin.display()
        )));
    let (h, rows) = common::read_csv(&out.join("units.csv"));
    assert_eq!(column(&h, &rows, "text"), ["Café: très bon"]);
    let manifest = common::manifest(&out);
    assert!(
        manifest["warnings"]
            .to_string()
            .contains("read as Windows-1252"),
        "{manifest}"
    );
    assert_eq!(manifest["inputs"][0]["encoding"], "windows-1252");
    common::bin()
        .args(["run", "--encoding", "utf-8", "--out"])
        .arg(dir.path().join("strict"))
        .arg(&latin)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("invalid UTF-8"));
    let out = dir.path().join("b");
    common::bin()
        .args(["run", "--encoding", "windows-1252", "--out"])
        .arg(&out)
        .arg(&latin)
        .assert()
        .success();
    let (h, rows) = common::read_csv(&out.join("units.csv"));
    assert_eq!(column(&h, &rows, "text"), ["Café: très bon"]);

    let text = "id,text\n1,\"Great phone, I love it\"\n";
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let u16file = write(dir.path(), "u16.csv", &utf16);
    let out = dir.path().join("c");
    common::bin()
        .args(["run", "--out"])
        .arg(&out)
        .arg(&u16file)
        .assert()
        .success();
    let (h, rows) = common::read_csv(&out.join("units.csv"));
    assert_eq!(column(&h, &rows, "text"), ["Great phone, I love it"]);

    let bare = write(dir.path(), "bare16.csv", &utf16[2..]);
    common::bin()
        .args(["run", "--out"])
        .arg(dir.path().join("d"))
        .arg(&bare)
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "line 1: encoding: the file looks like UTF-16",
        ));
    // score says the same, before it writes anything.
    common::bin()
        .arg("score")
        .arg(&bare)
        .assert()
        .code(3)
        .stdout("")
        .stderr(predicate::str::contains(
            "line 1: encoding: the file looks like UTF-16",
        ));
    common::bin()
        .args(["score", "--encoding", "latin1"])
        .arg(&latin)
        .assert()
        .success()
        .stdout(predicate::str::contains("1,"));
}

/// The sheets of a workbook and the XML of each, by sheet name.
fn workbook_sheets(path: &std::path::Path) -> Vec<(String, String)> {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut read = |name: &str| {
        let mut s = String::new();
        z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let book = read("xl/workbook.xml");
    let names: Vec<String> = book
        .split("<sheet ")
        .skip(1)
        .map(|s| {
            s.split("name=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .to_string()
        })
        .collect();
    names
        .iter()
        .enumerate()
        .map(|(k, n)| {
            (
                n.clone(),
                read(&format!("xl/worksheets/sheet{}.xml", k + 1)),
            )
        })
        .collect()
}

#[test]
fn xlsx_is_one_workbook_with_text_as_strings_and_numbers_as_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let input = common::write(
        dir.path(),
        "c.csv",
        "id,author,date,text\n1,@mallory,2018-07-05,=1+1 great phone\n2,Zoë 😀,2018-07-06 10:30:00,\"I love it, café\"\n"
            .as_bytes(),
    );
    let out = dir.path().join("out");
    common::bin()
        .args(["run", "--xlsx"])
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let sheets = workbook_sheets(&out.join("stancemeter.xlsx"));
    let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
    let mut want: Vec<&str> = stancemeter::aggregate::schema::TABLES.to_vec();
    want.push("units");
    assert_eq!(names, want);
    let units = &sheets.last().unwrap().1;
    // Text is stored as text, exactly: no guard apostrophe and no formula.
    assert!(units.contains("<t>@mallory</t>"), "{units}");
    assert!(units.contains("=1+1 great phone"), "{units}");
    assert!(units.contains("Zoë 😀"));
    assert!(!units.contains("<f>") && !units.contains("'@mallory"));
    // The header row is frozen.
    assert!(units.contains("state=\"frozen\""));
    // Scores are numbers (a cell without a type attribute holds a number).
    let numeric = units.matches("<c r=\"N2\"").count() + units.matches("<c r=\"N2\" s=").count();
    assert!(numeric >= 1, "compound (column N) is a number: {units}");
    assert!(!units.contains("<c r=\"N2\" t=\"inlineStr\""));
    // Dates are dates: numbers with a date format.
    assert!(
        !units.contains("<c r=\"E2\" t=\"inlineStr\""),
        "the date is not text"
    );
    let summary = &sheets[0].1;
    assert!(summary.contains("state=\"frozen\""));
}

#[test]
fn parquet_gains_units_with_the_exact_text() {
    let dir = tempfile::tempdir().unwrap();
    let input = common::write(
        dir.path(),
        "c.csv",
        "id,author,text\n1,@mallory,-1 for this\n2,bob,fine\n3,carol,=cmd\n".as_bytes(),
    );
    let out = dir.path().join("out");
    common::bin()
        .args(["run", "--parquet"])
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let path = out.join("units.parquet");
    let meta =
        polars_parquet::read::read_metadata(&mut std::fs::File::open(&path).unwrap()).unwrap();
    assert_eq!(meta.num_rows, 3);
    let schema = polars_parquet::read::infer_schema(&meta).unwrap();
    let (header, _) = common::read_csv(&out.join("units.csv"));
    let names: Vec<String> = schema.iter_names().map(ToString::to_string).collect();
    assert_eq!(names, header);
    // The exact text, no guard: the bytes are in the file (Snappy leaves short strings literal).
    let bytes = std::fs::read(&path).unwrap();
    let has = |s: &str| bytes.windows(s.len()).any(|w| w == s.as_bytes());
    assert!(has("-1 for this") && !has("'-1 for this"));
    assert!(has("@mallory") && !has("'@mallory"));
}

#[test]
fn the_report_shows_authors_without_the_csv_formula_guard() {
    let dir = tempfile::tempdir().unwrap();
    let input = common::write(
        dir.path(),
        "c.csv",
        "id,author,text\n1,@mallory,I love it\n2,@mallory,great\n".as_bytes(),
    );
    let out = dir.path().join("out");
    common::run_into(&input, &out).success();
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains("<td>@mallory</td>"));
    assert!(!html.contains("'@mallory"));
    // The CSV keeps its guard: it is for spreadsheets.
    let (_, rows) = common::read_csv(&out.join("by_author.csv"));
    assert_eq!(rows[0][0], "'@mallory");
}

#[test]
fn open_without_a_browser_is_a_warning_not_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    common::bin()
        .args(["run", "--open", "--out"])
        .arg(&out)
        .env("PATH", dir.path())
        .env_remove("BROWSER")
        .env_remove("DISPLAY")
        .assert()
        .success()
        .stderr(predicates::str::contains("could not open"))
        .stderr(predicates::str::contains("open it yourself"))
        .stderr(predicates::str::contains("ExitStatus").not());
}

#[test]
fn quiet_prints_nothing_verbose_prints_the_stages_and_the_summary_gives_the_rate() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    common::bin()
        .args(["run", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stdout("")
        .stderr("");
    assert!(out.join("index.html").is_file());
    common::bin()
        .args(["run", "-v", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stdout(
            predicate::str::contains("stages: ingest ")
                .and(predicate::str::contains(" score "))
                .and(predicate::str::is_match(r"time: [0-9.]+ s, [0-9,]+ records/s").unwrap()),
        );
    // Not a terminal: no progress bar in the captured stderr.
    common::bin()
        .args(["run", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("records,").not());
}

#[test]
fn the_report_says_why_there_is_no_timeline() {
    let dir = tempfile::tempdir().unwrap();
    for (name, body, why) in [
        (
            "undated.csv",
            "id,text\n1,I love it\n2,great\n",
            "No timeline: no unit has a date",
        ),
        (
            "oneday.csv",
            "id,date,text\n1,2024-03-05,I love it\n2,2024-03-05,great\n",
            "No timeline: every dated unit falls in one period, 2024-03-05.",
        ),
    ] {
        let input = common::write(dir.path(), name, body.as_bytes());
        let out = dir.path().join(name.replace(".csv", ""));
        common::run_into(&input, &out).success();
        let html = std::fs::read_to_string(out.join("index.html")).unwrap();
        assert!(html.contains(why), "{name}");
        assert!(!out.join("timeline.svg").exists(), "{name}");
    }
    // Times within one day give a timeline by the hour.
    let input = common::write(
        dir.path(),
        "hours.csv",
        b"id,date,text\n1,2024-03-05T09:10,I love it\n2,2024-03-05T11:30,great\n",
    );
    let out = dir.path().join("hours");
    common::run_into(&input, &out).success();
    let (h, rows) = common::read_csv(&out.join("by_date.csv"));
    assert_eq!(
        column(&h, &rows, "period"),
        ["2024-03-05 09:00", "2024-03-05 11:00"]
    );
    assert!(out.join("timeline.svg").exists());
}

#[test]
fn a_line_opening_with_a_quote_mark_is_someone_elses_words_in_run_and_eval() {
    let dir = tempfile::tempdir().unwrap();
    let text = "\"> Let them in, competition is good.\nHard no from me. Keep Xiaomi out.\"";
    let input = write(
        dir.path(),
        "quoting.csv",
        format!("id,text,stance\nq1,{text},against\nq2,Let them in. I would buy one.,favor\n")
            .as_bytes(),
    );
    let out = dir.path().join("r");
    common::bin()
        .args(["run", "--no-model", "--quiet", "--out"])
        .arg(&out)
        .arg(&input)
        .assert()
        .success();
    let (h, rows) = common::read_csv(&out.join("sentences.csv"));
    let quote = column(&h, &rows, "quote");
    let said = column(&h, &rows, "text");
    assert_eq!(said[0], "> Let them in, competition is good.");
    assert_eq!(&quote[..3], ["true", "false", "false"]);
    let (h, rows) = common::read_csv(&out.join("units.csv"));
    assert_eq!(column(&h, &rows, "stance"), ["against", "favor"]);
    // eval reads the same comment the same way: the quoted "let them in" is not the writer's.
    common::bin()
        .args(["eval", "--no-model", "--json", "--labels"])
        .arg(&input)
        .assert()
        .success()
        .stdout(predicate::str::contains("\"accuracy\": 1.0"));
}

/// The report says how stance was decided: by the learned model (named by where it was read from: the
/// embedded one, or `data/targets/` when run from this repository) by default, by the cues alone with `--no-model`; and it links the charts' data and the run's manifest.
#[test]
fn the_report_says_whether_the_model_or_the_cues_decided_stance() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(
        dir.path(),
        "c.csv",
        b"id,text\n1,Let Xiaomi in. I would buy one.\n2,Keep them out.\n",
    );
    for (flags, says, not) in [
        (
            &[][..],
            "Stance: a learned linear model (",
            "Stance: cue lexicons",
        ),
        (
            &["--no-model"][..],
            "Stance: cue lexicons from the target files",
            "learned linear model",
        ),
    ] {
        let out = dir.path().join(format!("r{}", flags.len()));
        common::bin()
            .args(["run", "--quiet", "--out"])
            .arg(&out)
            .args(flags)
            .arg(&input)
            .assert()
            .success();
        let page = std::fs::read_to_string(out.join("index.html")).unwrap();
        assert!(page.contains(says), "{flags:?}");
        assert!(!page.contains(not), "{flags:?}");
        // The units table says what its drivers column holds, model features included.
        assert!(page.contains("<th>drivers</th>"), "{flags:?}");
        assert!(
            page.contains("<code>c:</code> runs of its characters"),
            "{flags:?}"
        );
        for f in ["charts.json", "run.json"] {
            assert!(page.contains(&format!("<a href=\"{f}\">")), "{f}");
            assert!(out.join(f).exists(), "{f}");
        }
    }
}

#[test]
fn the_tone_lists_hold_only_units_of_their_side() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(
        dir.path(),
        "kind.csv",
        b"id,text\na,Xiaomi is great and I love it\nb,The phone arrived on Tuesday\nc,Nice work by Xiaomi\n",
    );
    let out = dir.path().join("r");
    common::run_into(&input, &out).success();
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    let list = |title: &str| {
        let at = html.find(&format!("<h3>{title}</h3>")).expect(title);
        let end = at + html[at..].find("</ul>").unwrap();
        html[at..end].to_string()
    };
    // No unit is negative: the list says so rather than showing the least positive.
    let negative = list("Most negative");
    assert!(
        negative.contains("none: no unit is negative in tone (compound -0.05 or lower)"),
        "{negative}"
    );
    assert!(!negative.contains("compound +"), "{negative}");
    // The neutral unit is in neither list; the two positive ones are listed as positive.
    let positive = list("Most positive");
    assert!(
        !positive.contains("id=\"u-b\"") && !positive.contains(">b<"),
        "{positive}"
    );
    assert!(
        positive.contains(">a<") && positive.contains(">c<"),
        "{positive}"
    );
}

#[test]
fn the_report_says_how_many_units_have_no_date() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(
        dir.path(),
        "some-dated.csv",
        b"id,date,text\na,2018-07-06,Xiaomi is great\nb,,The phone arrived\nc,2018-07-08,Nice work by Xiaomi\n",
    );
    let out = dir.path().join("r");
    common::run_into(&input, &out).success();
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        html.contains(
            "1 of 3 units has no date: it is in every table but by_date.csv and the timeline."
        ),
        "{html}"
    );
    let (_, rows) = common::read_csv(&out.join("by_date.csv"));
    assert_eq!(rows.len(), 2);
}
