//! `stancemeter run` on the embedded seed: the page parses as a reader sees it, and every output file
//! exists and is well-formed.

mod common;
use std::collections::HashMap;
use std::path::Path;

fn run_seed(out: &Path) -> String {
    let a = common::bin()
        .current_dir(out.parent().unwrap())
        .args(["run", "--out"])
        .arg(out)
        .assert()
        .success();
    String::from_utf8(a.get_output().stdout.clone()).unwrap()
}

fn units(out: &Path) -> Vec<HashMap<String, String>> {
    let (h, rows) = common::read_csv(&out.join("units.csv"));
    rows.into_iter()
        .map(|r| h.iter().cloned().zip(r).collect())
        .collect()
}

#[test]
fn seed_parses_as_a_reader_sees_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("reports");
    let stdout = run_seed(&out);
    assert!(
        stdout.contains("records: 27 read = 27 scored + 0 rejected"),
        "{stdout}"
    );
    let u = units(&out);
    let of = |k: &str| u.iter().filter(|r| r["kind"] == k).collect::<Vec<_>>();

    let titles = of("title");
    assert_eq!(titles.len(), 1);
    assert_eq!(
        titles[0]["text"],
        "Xiaomi will come to the US, isn't afraid of politics"
    );
    assert_eq!(
        u.iter()
            .filter(|r| r["text"].contains("isn't afraid of politics"))
            .count(),
        1,
        "the title appears once"
    );

    let headings: Vec<&str> = of("heading").iter().map(|r| r["text"].as_str()).collect();
    assert_eq!(
        headings,
        [
            "Trade war? Xiaomi's got friends in the right places",
            "Xiaomi's devices could shake up a stagnant US market"
        ]
    );
    let captions: Vec<&str> = of("caption").iter().map(|r| r["text"].as_str()).collect();
    assert_eq!(
        captions,
        [
            "Red scare? Chinese tech companies often have close ties to the government.",
            "The Mi Mix 2S has a beautiful bezel-less design without a notch."
        ]
    );
    assert_eq!(of("paragraph").len(), 16);
    assert!(of("paragraph")[0]["text"].starts_with("Xiaomi will press ahead"));

    for boiler in [
        "Liked this article",
        "Share now",
        "Join the discussion",
        "Latest articles",
        "Recommended articles",
        "Write new comment",
        "All changes will be saved",
        "Source: Reuters",
        "Link to comment",
        "AndroidPIT China",
        "© NextPit",
    ] {
        assert!(
            !u.iter().any(|r| r["text"].contains(boiler)),
            "boilerplate {boiler:?} was scored"
        );
    }

    let comments = of("comment");
    let who: Vec<(&str, &str)> = comments
        .iter()
        .map(|r| (r["author"].as_str(), r["date"].as_str()))
        .collect();
    assert_eq!(
        who,
        [
            ("CJ Brown", "2018-07-06"),
            ("Rusty H.", "2018-07-06"),
            ("Bruce Lee", "2018-07-06"),
            ("BruinGuy", "2018-07-06"),
            ("David Martrano", "2018-07-04"),
            ("Dwarfer66", "2018-07-05")
        ]
    );
    let id_of = |a: &str| comments.iter().find(|r| r["author"] == a).unwrap()["id"].clone();
    let by = |a: &str| comments.iter().find(|r| r["author"] == a).unwrap();
    assert_eq!(by("Bruce Lee")["parent_id"], id_of("Rusty H."));
    assert_eq!(by("Bruce Lee")["depth"], "1");
    assert_eq!(by("Dwarfer66")["parent_id"], id_of("David Martrano"));
    for top in ["CJ Brown", "Rusty H.", "BruinGuy", "David Martrano"] {
        assert_eq!(
            (by(top)["parent_id"].as_str(), by(top)["depth"].as_str()),
            ("", "0"),
            "{top}"
        );
    }
    let rusty = &by("Rusty H.")["text"];
    assert!(
        rusty.starts_with("It's not the federal government")
            && rusty.contains("Unless Xiaomi can saddle up"),
        "a comment with several paragraphs stays one comment"
    );
    let bruin = by("BruinGuy");
    assert!(
        bruin["text"].contains("Hope is not a strategy."),
        "a quote stays in the text"
    );
    assert_eq!(
        bruin["quoted"], "\"Next year we hope we can do something there,\"",
        "BruinGuy quotes the article"
    );
    assert!(
        !bruin["sentiment_explanation"].contains("hope"),
        "the quote is kept out of his sentiment: {}",
        bruin["sentiment_explanation"]
    );
}

#[test]
fn entities_are_found_with_targeted_sentiment() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("reports");
    run_seed(&out);
    let (h, rows) = common::read_csv(&out.join("entity_mentions.csv"));
    let col = |name: &str| h.iter().position(|c| c == name).unwrap();
    let of = |unit: &str| {
        rows.iter()
            .filter(|r| r[col("unit_id")] == unit)
            .map(|r| (r[col("entity")].clone(), r[col("alias")].clone()))
            .collect::<Vec<_>>()
    };
    let u = units(&out);
    let id = |author: &str| u.iter().find(|r| r["author"] == author).unwrap()["id"].clone();
    let has = |unit: &str, entity: &str, alias: &str| {
        of(unit).contains(&(entity.to_string(), alias.to_string()))
    };
    // CJ Brown names carriers; Dwarfer66's lowercase "apple" counts beside "competition".
    for carrier in ["MetroPCS", "Cricket Wireless", "Straight Talk", "Boost"] {
        assert!(
            has(&id("CJ Brown"), "carriers", carrier),
            "{carrier}: {:?}",
            of(&id("CJ Brown"))
        );
    }
    assert!(has(&id("Dwarfer66"), "apple", "apple"));
    assert!(has(&id("Rusty H."), "us-government", "FCC"));
    let (_, by) = common::read_csv(&out.join("sentiment_by_entity.csv"));
    assert_eq!(
        (by[0][0].as_str(), by[0][1].as_str()),
        ("xiaomi", "Xiaomi"),
        "the most mentioned entity comes first, by id and name"
    );
}

#[test]
fn every_output_is_well_formed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("reports");
    run_seed(&out);
    let headers: [(&str, &[&str]); 10] = [
        (
            "units.csv",
            &[
                "id",
                "doc_id",
                "kind",
                "author",
                "date",
                "parent_id",
                "depth",
                "thread_root",
                "source",
                "line",
                "neg",
                "neu",
                "pos",
                "compound",
                "sentiment",
                "sentiment_explanation",
                "stance",
                "stance_score",
                "stance_confidence",
                "stance_cues",
                "quoted",
                "text",
            ],
        ),
        (
            "sentences.csv",
            &[
                "unit_id",
                "doc_id",
                "sentence",
                "neg",
                "neu",
                "pos",
                "compound",
                "sentiment",
                "quote",
                "text",
            ],
        ),
        (
            "stance_cues.csv",
            &[
                "unit_id",
                "doc_id",
                "sentence",
                "target",
                "cue",
                "pole",
                "matched",
                "weight",
                "negated",
                "dismissed",
                "contrast",
                "reported",
            ],
        ),
        ("rejects.csv", &["source", "line", "field", "reason"]),
        (
            "entity_mentions.csv",
            &[
                "unit_id",
                "doc_id",
                "entity",
                "alias",
                "sentence",
                "neg",
                "neu",
                "pos",
                "compound",
                "sentiment",
                "window",
            ],
        ),
        (
            "unit_entities.csv",
            &[
                "unit_id",
                "doc_id",
                "entity",
                "mentions",
                "mean_targeted_compound",
            ],
        ),
        (
            "sentiment_by_entity.csv",
            &[
                "entity",
                "name",
                "mentions",
                "units",
                "mean_targeted_compound",
                "mean_ci_low",
                "mean_ci_high",
                "share_positive",
                "share_negative",
            ],
        ),
        (
            "summary.csv",
            &[
                "kind",
                "units",
                "mean_compound",
                "mean_ci_low",
                "mean_ci_high",
                "median_compound",
                "share_positive",
                "positive_ci_low",
                "positive_ci_high",
                "share_neutral",
                "share_negative",
                "negative_ci_low",
                "negative_ci_high",
                "net_sentiment",
            ],
        ),
        (
            "stance_by_kind.csv",
            &["target", "kind", "units", "favor", "against", "none"],
        ),
        (
            "article_arc.csv",
            &["position", "doc_id", "id", "compound", "sentiment"],
        ),
    ];
    for (file, want) in headers {
        let (h, rows) = common::read_csv(&out.join(file));
        assert_eq!(h, want, "{file} header");
        assert!(
            rows.iter().all(|r| r.len() == want.len()),
            "{file}: ragged rows"
        );
        if file != "rejects.csv" {
            assert!(!rows.is_empty(), "{file} has rows");
        }
    }
    let u = units(&out);
    for r in &u {
        let c: f64 = r["compound"].parse().unwrap();
        let expect = if c >= 0.05 {
            "positive"
        } else if c <= -0.05 {
            "negative"
        } else {
            "neutral"
        };
        assert_eq!(r["sentiment"], expect);
        assert!(["favor", "against", "none"].contains(&r["stance"].as_str()));
    }
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    for chart in [
        "sentiment_by_kind",
        "stance_by_kind",
        "stance_shares",
        "compound_distribution",
        "tone_vs_stance",
        "timeline",
        "sentiment_by_entity",
        "article_arc",
    ] {
        let png = out.join(format!("{chart}.png"));
        let decoder =
            png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&png).unwrap()));
        let mut reader = decoder
            .read_info()
            .unwrap_or_else(|e| panic!("{chart}.png: {e}"));
        let mut buf = vec![
            0;
            reader
                .output_buffer_size()
                .expect("a 900 x 480 image fits in memory")
        ];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!((info.width, info.height), (900, 480));
        assert!(buf.iter().any(|&b| b != 255), "{chart}.png is not blank");

        let svg = std::fs::read_to_string(out.join(format!("{chart}.svg"))).unwrap();
        let mut xml = quick_xml::Reader::from_str(&svg);
        let mut texts = 0;
        loop {
            match xml
                .read_event()
                .unwrap_or_else(|e| panic!("{chart}.svg is not XML: {e}"))
            {
                quick_xml::events::Event::Eof => break,
                quick_xml::events::Event::Start(e) if e.name().as_ref() == b"text" => texts += 1,
                _ => {}
            }
        }
        assert!(
            texts >= 5,
            "{chart}.svg has its title, axis labels and legend as text ({texts} text elements)"
        );
        assert!(
            html.contains(&format!("href=\"{chart}.png\""))
                && html.contains(&format!("href=\"{chart}.svg\"")),
            "index.html links {chart}"
        );
        assert!(
            html.contains(&format!("<figure id=\"{chart}\"><svg class=\"wide\"")),
            "index.html inlines {chart}.svg"
        );
        // And the same chart drawn for a phone, which the style sheet shows instead below 640 px.
        let figure = &html[html.find(&format!("<figure id=\"{chart}\">")).unwrap()..];
        let figure = &figure[..figure.find("</figure>").unwrap()];
        assert_eq!(
            figure
                .matches("<svg class=\"narrow\" width=\"400\"")
                .count(),
            1,
            "{chart}: {}",
            &figure[..figure.len().min(300)]
        );
        assert_eq!(figure.matches("<svg ").count(), 2, "{chart}");
    }
    for csv in [
        "entity_mentions.csv",
        "sentiment_by_entity.csv",
        "unit_entities.csv",
        "units.csv",
        "sentences.csv",
        "stance_cues.csv",
        "summary.csv",
        "article_vs_comments.csv",
        "stance_summary.csv",
        "stance_by_kind.csv",
        "by_author.csv",
        "by_date.csv",
        "threads.csv",
        "replies.csv",
        "crosstab.csv",
        "tone_vs_stance.csv",
    ] {
        assert!(
            html.contains(&format!("href=\"{csv}\"")),
            "index.html links {csv}"
        );
    }
    let manifest = common::manifest(&out);
    assert_eq!(manifest["counts"]["read"], 27);
    assert_eq!(manifest["counts"]["scored"], 27);
    assert_eq!(manifest["counts"]["rejected"], 0);
    // The score stage's parts, in CPU seconds: every part ran on the seed's 27 units.
    let parts = manifest["score_cpu_seconds"].as_object().unwrap();
    let names: Vec<&str> = parts.keys().map(String::as_str).collect();
    assert_eq!(names, ["entities", "stance", "tokens", "vader"]);
    assert!(
        parts.values().all(|v| v.as_f64().unwrap() > 0.0),
        "{parts:?}"
    );
    if cfg!(target_os = "linux") {
        // A whole run of the binary takes more than a megabyte and, on the seed, far less than a gigabyte.
        let peak = manifest["peak_memory_bytes"].as_u64().unwrap();
        assert!((1 << 20..1 << 30).contains(&peak), "{peak}");
    }
}

#[test]
fn html_escapes_corpus_text() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("x.csv");
    std::fs::write(
        &input,
        "id,text\n1,\"<script>alert('x')</script> & more\"\n",
    )
    .unwrap();
    let out = dir.path().join("r");
    common::bin()
        .args(["run", "--out"])
        .arg(&out)
        .arg(&input)
        .assert()
        .success();
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(!html.contains("<script>alert"));
    assert!(html.contains("&lt;script&gt;alert('x')&lt;/script&gt; &amp; more"));
}

/// The structure of every CSV (its header), and the full aggregate tables of the seed, as snapshots.
#[test]
fn table_structure_and_seed_tables_match_their_snapshots() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("reports");
    run_seed(&out);
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".csv"))
        .collect();
    names.sort();
    let headers: String = names
        .iter()
        .map(|n| {
            format!(
                "{n}: {}\n",
                std::fs::read_to_string(out.join(n))
                    .unwrap()
                    .lines()
                    .next()
                    .unwrap_or("")
            )
        })
        .collect();
    insta::assert_snapshot!("csv_headers", headers);
    for table in [
        "summary",
        "article_vs_comments",
        "stance_summary",
        "by_author",
        "by_date",
        "threads",
        "replies",
        "crosstab",
        "sentiment_by_entity",
    ] {
        insta::assert_snapshot!(
            table,
            std::fs::read_to_string(out.join(format!("{table}.csv"))).unwrap()
        );
    }
}

#[test]
fn report_states_findings_from_the_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("reports");
    run_seed(&out);
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        html.contains("4 of 6 comments favour"),
        "the comment stance split is stated"
    );
    assert!(
        html.contains("The most negative comment is Bruce Lee"),
        "the most negative comment is named"
    );
    for section in [
        "Key findings",
        "Units that stand out",
        "Most positive",
        "Most negative",
        "Most stance-laden",
    ] {
        assert!(html.contains(section), "{section}");
    }
    // The SVG namespace URI is an identifier, not a fetch; nothing may load from anywhere.
    for fetch in [
        "src=\"http",
        "href=\"http",
        "url(http",
        "@import",
        "<script",
        "<link",
    ] {
        assert!(
            !html.contains(fetch),
            "the report fetches something: {fetch}"
        );
    }
}

#[test]
fn parquet_tables_match_their_csv() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("reports");
    common::bin()
        .args(["run", "--parquet", "--out"])
        .arg(&out)
        .assert()
        .success();
    for table in [
        "summary",
        "stance_summary",
        "sentiment_by_entity",
        "crosstab",
        "article_arc",
    ] {
        let path = out.join(format!("{table}.parquet"));
        let bytes = std::fs::read(&path).unwrap();
        assert!(
            bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"),
            "{table}.parquet is a Parquet file"
        );
        // Read back with polars' own Parquet reader (its metadata and Arrow schema).
        let meta =
            polars_parquet::read::read_metadata(&mut std::fs::File::open(&path).unwrap()).unwrap();
        let schema = polars_parquet::read::infer_schema(&meta).unwrap();
        let (header, rows) = common::read_csv(&out.join(format!("{table}.csv")));
        let names: Vec<String> = schema.iter_names().map(ToString::to_string).collect();
        assert_eq!((names, meta.num_rows), (header, rows.len()), "{table}");
    }
}
