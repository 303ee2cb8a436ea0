//! Peak memory of `stancemeter run` on generated Reddit-style comment dumps of growing size.
//!
//! `cargo bench --bench memory` (or `just bench`). Each corpus is written to a temporary directory from a
//! fixed seed: comments of 5–60 words drawn from the embedded default corpus, with the fields a Reddit dump
//! carries, a third of them replies. The release binary runs on each, and its run.json gives the peak
//! resident memory (Linux) and the stage times. Memory should grow with the number of records and stay
//! near the input's size, not a multiple of it.
#![allow(clippy::print_stdout, clippy::print_stderr)] // a test or bench reports on the console

use stancemeter::aggregate::bootstrap::SplitMix;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

fn corpus(path: &Path, records: usize) -> u64 {
    let words: Vec<&str> = stancemeter::config::DEFAULT_CORPUS
        .split_whitespace()
        .filter(|w| !w.contains('"') && !w.contains('\\'))
        .collect();
    // The bootstrap's seeded generator, so that every run measures the same files.
    let mut rng = SplitMix(42);
    let mut out = String::with_capacity(records * 1100);
    for k in 0..records {
        let n = 5 + rng.below(56);
        let body: Vec<&str> = (0..n).map(|_| words[rng.below(words.len())]).collect();
        let parent = if k > 0 && rng.below(3) == 0 {
            format!("t1_c{}", rng.below(k))
        } else {
            "t3_post".to_string()
        };
        let _ = writeln!(
            out,
            r#"{{"archived":false,"author":"user{}","author_flair_text":null,"author_fullname":"t2_{:08x}","body":"{}","controversiality":0,"created_utc":{},"distinguished":null,"edited":false,"gilded":0,"id":"c{k}","is_submitter":false,"link_id":"t3_post","locked":false,"parent_id":"{parent}","permalink":"/r/Android/comments/post/xiaomi_us/c{k}/","retrieved_on":{},"score":{},"stickied":false,"subreddit":"Android","subreddit_id":"t5_2qlqh","subreddit_type":"public"}}"#,
            rng.below(records / 4 + 1),
            rng.next_u64() as u32,
            body.join(" "),
            1_530_835_200 + k * 7,
            1_531_000_000 + k,
            rng.below(60),
        );
    }
    std::fs::write(path, &out).expect("write the generated corpus");
    out.len() as u64
}

fn main() {
    let bin = env!("CARGO_BIN_EXE_stancemeter");
    let dir = std::env::temp_dir().join(format!("stancemeter-membench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temporary directory");
    println!(
        "{:>10} {:>10} {:>12} {:>10} {:>13} {:>9}",
        "records", "input MB", "peak MB", "peak/input", "bytes/record", "seconds"
    );
    for records in [25_000, 100_000, 400_000] {
        let input = dir.join(format!("reddit-{records}.jsonl"));
        let bytes = corpus(&input, records);
        let out = dir.join(format!("out-{records}"));
        let status = Command::new(bin)
            .arg("run")
            .arg(&input)
            .arg("--out")
            .arg(&out)
            .stdout(std::process::Stdio::null())
            .status()
            .expect("run stancemeter");
        assert!(
            status.success(),
            "stancemeter run failed on {}",
            input.display()
        );
        let run: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join("run.json")).expect("run.json written"))
                .expect("run.json parses");
        let seconds: f64 = run["stage_seconds"].as_object().map_or(0.0, |m| {
            m.values().filter_map(serde_json::Value::as_f64).sum()
        });
        match run["peak_memory_bytes"].as_u64() {
            Some(peak) => println!(
                "{records:>10} {:>10.1} {:>12.1} {:>10.2} {:>13.0} {seconds:>9.1}",
                bytes as f64 / 1e6,
                peak as f64 / 1e6,
                peak as f64 / bytes as f64,
                peak as f64 / records as f64,
            ),
            None => println!(
                "{records:>10} {:>10.1} {:>12} {:>10} {:>13} {seconds:>9.1}",
                bytes as f64 / 1e6,
                "-",
                "-",
                "-"
            ),
        }
        let _ = std::fs::remove_file(&input);
        let _ = std::fs::remove_dir_all(&out);
    }
    let _ = std::fs::remove_dir_all(&dir);
}
