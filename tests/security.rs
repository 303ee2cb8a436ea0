//! Security review of the outputs, as tests: corpus text, authors, ids and the names in a user's entities
//! file are hostile. The report and its inline SVG escape them in content and in attributes; no output
//! file is ever named after them; CSV cells are guarded against formulas. (The workbook's text cells
//! are checked to be strings, never formulas, in own_corpus.rs.)

mod common;
use std::path::Path;

const PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "\" onerror=\"alert(1)",
    "' onmouseover='alert(1)",
    "</textarea><img src=x onerror=alert(1)>",
    "]]><x/>",
    "'><svg onload=alert(1)>",
    "../../escaped",
];

/// A corpus whose ids, authors and texts are payloads, and an entities file whose names are, run with
/// every output on; gives the temporary folder and the output folder.
fn hostile_run() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let mut corpus = String::new();
    for (k, p) in PAYLOADS.iter().cycle().take(28).enumerate() {
        let rec = serde_json::json!({
            "id": format!("{p}{k}"),
            "author": p,
            "created_utc": 1_530_000_000 + k * 86_400,
            "parent_id": if k % 3 == 2 { Some(format!("{p}{}", k - 1)) } else { None },
            "body": format!("Xiaomi is great {p} and Apple is bad. =HYPERLINK(\"http://x\") {p}"),
        });
        corpus += &format!("{rec}\n");
    }
    let input = common::write(dir.path(), "hostile.jsonl", corpus.as_bytes());
    let entities = std::fs::read_to_string(common::root().join("data/entities.toml"))
        .unwrap()
        .replace(
            "name = \"Xiaomi\"",
            "name = \"<script>alert(1)</script> ]]> \\\" onerror=x\"",
        )
        .replace("id = \"apple\"", "id = \"../../escaped-entity\"");
    let entities = common::write(dir.path(), "entities.toml", entities.as_bytes());
    let out = dir.path().join("out");
    common::bin()
        .arg("run")
        .arg(&input)
        .arg("--entities")
        .arg(&entities)
        .args(["--xlsx", "--parquet", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    (dir, out)
}

/// The tags of an HTML or SVG document outside `<style>`: (name, [attribute names]). A tiny tokenizer,
/// enough to see an attribute that a payload would have opened: values are quoted by the writer, so an
/// unescaped quote in a value shows up here as a new attribute.
fn tags(doc: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let mut rest = doc;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        if rest.starts_with('/') || rest.starts_with('!') || rest.starts_with('?') {
            continue;
        }
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == ':')
            .collect();
        let mut attrs = Vec::new();
        let mut s = &rest[name.len()..];
        loop {
            s = s.trim_start();
            if s.is_empty() || s.starts_with('>') || s.starts_with("/>") {
                break;
            }
            let an: String = s
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != '=' && *c != '>')
                .collect();
            s = &s[an.len()..];
            if let Some(v) = s.strip_prefix('=') {
                let q = v.chars().next().unwrap_or(' ');
                s = if q == '"' || q == '\'' {
                    let end = v[1..].find(q).map_or(v.len(), |e| e + 2);
                    &v[end..]
                } else {
                    let end = v.find(|c: char| c.is_whitespace() || c == '>');
                    &v[end.unwrap_or(v.len())..]
                };
            } else if an.is_empty() {
                s = &s[s.chars().next().map_or(0, char::len_utf8)..];
            }
            if !an.is_empty() {
                attrs.push(an.to_ascii_lowercase());
            }
        }
        if name.eq_ignore_ascii_case("style") {
            rest = rest.find("</style>").map_or("", |e| &rest[e..]);
        }
        out.push((name.to_ascii_lowercase(), attrs));
    }
    out
}

fn assert_inert(doc: &str, what: &str) {
    for (name, attrs) in tags(doc) {
        assert!(
            ![
                "script", "img", "textarea", "iframe", "x", "object", "embed"
            ]
            .contains(&name.as_str()),
            "{what}: a <{name}> tag from the corpus"
        );
        for a in attrs {
            assert!(
                !a.starts_with("on"),
                "{what}: an event handler attribute {a} on <{name}>"
            );
        }
    }
    for p in PAYLOADS.iter().filter(|p| p.contains('<')) {
        assert!(!doc.contains(p), "{what} holds {p:?} unescaped");
    }
}

#[test]
fn the_tokenizer_sees_what_an_unescaped_payload_would_open() {
    let bad = "<a href=\"#u-\" onerror=\"alert(1)\">x</a><p>fine</p><script>1</script>";
    let t = tags(bad);
    assert_eq!(t[0].1, ["href", "onerror"]);
    assert_eq!(t[2].0, "script");
    let good = "<a href=\"#u-&quot; onerror=&quot;alert(1)\">\" onerror=\"alert(1)</a>";
    assert_eq!(tags(good)[0].1, ["href"]);
}

#[test]
fn the_report_and_its_svg_escape_corpus_text_and_names() {
    let (_d, out) = hostile_run();
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    // The payloads did reach the report, as text.
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("]]&gt;&lt;x/&gt;"));
    assert_inert(&html, "index.html");
    for e in std::fs::read_dir(&out).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "svg") {
            let svg = std::fs::read_to_string(&p).unwrap();
            assert_inert(&svg, &p.display().to_string());
            assert!(!svg.contains("]]>"), "{}", p.display());
        }
    }
}

#[test]
fn no_file_name_comes_from_corpus_text_or_ids() {
    let (dir, out) = hostile_run();
    // Only the inputs and the output folder are in the temporary folder: nothing escaped out of it.
    let mut top: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    top.sort();
    assert_eq!(top, ["entities.toml", "hostile.jsonl", "out"]);
    assert!(!dir.path().parent().unwrap().join("escaped").exists());
    fn walk(p: &Path, names: &mut Vec<String>) {
        for e in std::fs::read_dir(p).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                walk(&e.path(), names);
            } else {
                names.push(e.file_name().to_string_lossy().into_owned());
            }
        }
    }
    let mut names = Vec::new();
    walk(&out, &mut names);
    for n in names {
        assert!(
            n.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
                && !n.contains("escaped"),
            "output file {n:?}"
        );
    }
}

#[test]
fn csv_cells_are_guarded_against_formulas() {
    let (_d, out) = hostile_run();
    for f in ["units.csv", "by_author.csv", "sentences.csv"] {
        let (_, rows) = common::read_csv(&out.join(f));
        for cell in rows.iter().flatten() {
            assert!(
                !cell.starts_with(['=', '+', '@']) && !cell.starts_with("-\""),
                "{f}: {cell:?}"
            );
        }
    }
}
