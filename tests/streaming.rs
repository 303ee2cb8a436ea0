//! A run scores in batches and keeps no unit's text, yet a reply still finds a parent that comes thousands
//! of records later or earlier: threads, quotes and replies agree with reading the corpus into memory.

mod common;
use stancemeter::{ingest, text};
use std::fmt::Write as _;

/// More records than one scoring batch (4096), with replies whose parents are far away in both directions.
fn corpus() -> String {
    let mut s = String::new();
    let mut rec = |id: &str, parent: Option<&str>, body: &str| {
        let parent = parent.map_or("null".into(), |p| format!("\"{p}\""));
        writeln!(
            s,
            r#"{{"id": "{id}", "parent_id": {parent}, "author": "a{}", "body": "{body}"}}"#,
            id.len()
        )
        .unwrap();
    };
    rec(
        "r0",
        Some("r4999"),
        "The carriers will never sell it here. That is sad.",
    );
    for k in 1..5000 {
        let id = format!("r{k}");
        match k {
            10 => rec(
                &id,
                None,
                "Xiaomi phones are great value for money overall.",
            ),
            4500 => rec(
                &id,
                Some("r10"),
                "Xiaomi phones are great value for money. I disagree though.",
            ),
            4999 => rec(
                &id,
                None,
                "The carriers will never sell it here, I am sure.",
            ),
            _ if k % 7 == 0 => rec(
                &id,
                Some(&format!("r{}", k - 1)),
                "I agree, good phones and fair prices.",
            ),
            _ => rec(
                &id,
                None,
                &format!("Comment {k}: phones are getting expensive."),
            ),
        }
    }
    s
}

#[test]
fn threads_and_quotes_cross_batches_and_match_the_in_memory_reading() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("far.jsonl");
    std::fs::write(&input, corpus()).unwrap();
    let out = dir.path().join("r");
    common::run_into(&input, &out).success();

    let (h, rows) = common::read_csv(&out.join("units.csv"));
    let col = |name: &str| h.iter().position(|c| c == name).unwrap();
    let (id, depth, root, quoted) = (col("id"), col("depth"), col("thread_root"), col("quoted"));
    let row = |k: usize| &rows[k];
    assert_eq!(rows.len(), 5000);
    assert_eq!(
        (
            row(0)[depth].as_str(),
            row(0)[root].as_str(),
            row(0)[quoted].as_str()
        ),
        ("1", "r4999", "The carriers will never sell it here.")
    );
    assert_eq!(
        row(4500)[quoted],
        "Xiaomi phones are great value for money."
    );
    assert_eq!(row(4500)[root], "r10");
    assert_eq!(
        std::fs::read_dir(&out)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .contains("spill")
            })
            .count(),
        0,
        "the spill file is gone"
    );

    // The same corpus read into memory, with the library's in-memory path.
    let corpus = ingest::read_corpus(
        &[ingest::Input::Path(input.clone())],
        &ingest::Options::default(),
    )
    .unwrap();
    let scorer = stancemeter::score::Scorer::new(Vec::new(), None, false, false);
    let prepared = text::prepare_all(corpus.units, &|u| scorer.prepare(u));
    for (p, r) in prepared.iter().zip(&rows) {
        let u = &p.unit;
        assert_eq!(
            (
                u.id.as_str(),
                u.depth.to_string(),
                u.thread_root.as_deref().unwrap_or(""),
                p.quoted()
            ),
            (
                r[id].as_str(),
                r[depth].clone(),
                r[root].as_str(),
                r[quoted].clone()
            )
        );
    }

    let (rh, replies) = common::read_csv(&out.join("replies.csv"));
    let rid = rh.iter().position(|c| c == "reply_id").unwrap();
    let pid = rh.iter().position(|c| c == "parent_id").unwrap();
    let pairs: Vec<(&str, &str)> = replies
        .iter()
        .map(|r| (r[rid].as_str(), r[pid].as_str()))
        .collect();
    assert!(
        pairs.contains(&("r0", "r4999")) && pairs.contains(&("r4500", "r10")),
        "{pairs:?}"
    );
    assert_eq!(replies.len(), 2 + (1..5000).filter(|k| k % 7 == 0).count());
}
