//! What each fuzz target does with its input, shared by the fuzz targets (`fuzz/fuzz_targets/`) and by
//! the regression test that replays every saved input in `cargo test` (`tests/fuzz_regressions.rs`).
//! Each function must neither panic nor hang, whatever the bytes.
#![allow(dead_code)]

use stancemeter::entity::{DEFAULT_ENTITIES, Entities};
use stancemeter::ingest::columns::{ColumnRef, Columns};
use stancemeter::ingest::records::{self, Spec, Syntax};
use stancemeter::ingest::{Item, page, sniff};
use stancemeter::model::Unit;
use stancemeter::score::Scorer;
use stancemeter::stance::target::Target;
use stancemeter::vader::Vader;
use std::path::Path;
use std::sync::OnceLock;

/// The page parser on any UTF-8 text (lossily decoded, as a scraped page may not be valid).
pub fn page(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let p = page::parse(&text, "doc", "fuzz.txt");
    for u in &p.units {
        assert!(!u.id.is_empty(), "a unit without an id");
    }
}

/// The CSV, TSV and JSONL readers: the first byte chooses the syntax, the delimiter, the header mode and
/// the column selection (by name, by index, a JSON path or the defaults); the rest is the file. Every
/// record is a unit or a reject that names a line within the file.
pub fn records(data: &[u8]) {
    let Some((&mode, body)) = data.split_first() else {
        return;
    };
    let syntax = [Syntax::Csv, Syntax::Tsv, Syntax::Jsonl][usize::from(mode % 3)];
    let delimiter = b",;|\t"[usize::from((mode >> 2) % 4)];
    let mut columns = Columns::default();
    match (mode >> 4) % 4 {
        0 => {}
        1 => columns.text = Some(ColumnRef::Index(usize::from(mode >> 6) + 1)),
        2 => {
            columns.text = Some(ColumnRef::Name("body".into()));
            columns.parent = Some(ColumnRef::Name("parent_id".into()));
            columns.date = Some(ColumnRef::Name("created_utc".into()));
        }
        _ => columns.text = Some(ColumnRef::Name("data.text".into())),
    }
    // The sniffers see the same bytes the reader would.
    let _ = sniff::format(body, &columns);
    let _ = sniff::delimiter(body);
    let spec = Spec {
        source: "fuzz",
        doc: "fuzz",
        columns: &columns,
        no_header: mode & 0x40 != 0 && !matches!(syntax, Syntax::Jsonl),
        keep_empty: mode & 0x80 != 0,
        delimiter,
        // Low limits too, so that the depth pre-scan is fuzzed beside serde_json's own limit.
        max_json_depth: [records::MAX_JSON_DEPTH, 3][usize::from(mode & 0x20 != 0)],
        pool: None,
        meta: mode & 0x10 == 0,
    };
    let lines = body.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    let mut input = body;
    let _ = records::read(syntax, &mut input, &spec, &mut |item| {
        let line = match &item {
            Item::Unit(u) => u.line,
            Item::Bad(r) => r.line,
        };
        assert!(
            (1..=lines).contains(&line),
            "line {line} outside the file's {lines}"
        );
        Ok(())
    });
}

/// The target and entities TOML loaders: an error is fine, a panic is not; a target that loads scores.
pub fn toml_loaders(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(t) = Target::parse(text, Path::new("fuzz.toml")) {
        let s = Scorer::new(vec![t], None, false, false);
        let _ = s.score_unit(unit("Xiaomi should come to the US, not be banned."));
    }
    let _ = Entities::parse(text, Path::new("fuzz.toml"));
}

/// The VADER engine on any text; on ASCII text it must equal the independent `vader-parity` port,
/// apart from the documented summation case (valences that cancel to within rounding, where
/// vader-parity follows CPython 3.12's compensated `sum` and the reference files 3.11's plain sum).
pub fn vader(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let v = Vader::embedded();
    let ours = v.polarity_scores(&text);
    assert!((-1.0..=1.0).contains(&ours.compound), "{text:?}");
    if !text.is_ascii() {
        return;
    }
    static ORACLE: OnceLock<vader_parity::SentimentIntensityAnalyzer> = OnceLock::new();
    let oracle = ORACLE
        .get_or_init(vader_parity::SentimentIntensityAnalyzer::new)
        .polarity_scores(&text);
    if (ours.neg, ours.neu, ours.pos, ours.compound)
        == (oracle.neg, oracle.neu, oracle.pos, oracle.compound)
    {
        return;
    }
    if let Err(why) = explained_by_summation(&text, &oracle) {
        panic!("{text:?}: ours {ours:?}, vader-parity {oracle:?}: {why}");
    }
}

/// The stance scorer (with the default target and entities, normalised and raw) on any text.
pub fn stance(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    static SCORERS: OnceLock<[Scorer; 2]> = OnceLock::new();
    let scorers = SCORERS.get_or_init(|| {
        let make = |raw| {
            let t = Target::parse(
                stancemeter::config::DEFAULT_TARGET,
                Path::new("embedded target"),
            )
            .unwrap();
            let e = Entities::parse(DEFAULT_ENTITIES, Path::new("embedded entities")).unwrap();
            Scorer::new(vec![t], Some(e), raw, false)
                .explained(true)
                .detailed(true)
        };
        [make(false), make(true)]
    });
    for s in scorers {
        let _ = s.score_unit(unit(&text));
    }
}

fn unit(text: &str) -> Unit {
    Unit {
        id: "u".into(),
        doc_id: "fuzz".into(),
        source: "fuzz".into(),
        line: 1,
        text: text.into(),
        ..Unit::default()
    }
}

/// CPython 3.12+ `sum` (Neumaier-compensated), which `vader-parity` follows; the reference files were made
/// with CPython 3.11's plain left-to-right sum, which stancemeter follows. The two differ only when
/// valences cancel to within rounding.
pub fn neumaier(xs: impl Iterator<Item = f64>) -> f64 {
    let (mut sum, mut c) = (0.0f64, 0.0f64);
    for x in xs {
        let t = sum + x;
        c += if sum.abs() >= x.abs() {
            (sum - t) + x
        } else {
            (x - t) + sum
        };
        sum = t;
    }
    sum + c
}

/// Whether a disagreement with vader-parity is exactly the 3.11/3.12 summation difference.
pub fn explained_by_summation(
    text: &str,
    oracle: &vader_parity::SentimentScores,
) -> Result<(), String> {
    let v = Vader::embedded();
    let ours = v.polarity_scores(text);
    let e = v.explain(text);
    let compensated = neumaier(e.tokens.iter().map(|t| t.valence));
    if compensated == e.sum {
        return Err(format!("the sums agree ({})", e.sum));
    }
    if (ours.neg, ours.neu, ours.pos) != (oracle.neg, oracle.neu, oracle.pos) {
        return Err("neg/neu/pos differ, and they do not depend on the sum".into());
    }
    let s = if compensated > 0.0 {
        compensated + e.punctuation
    } else if compensated < 0.0 {
        compensated - e.punctuation
    } else {
        0.0
    };
    let compound = stancemeter::pystr::round((s / (s * s + 15.0).sqrt()).clamp(-1.0, 1.0), 4);
    if compound != oracle.compound {
        return Err(format!(
            "with the compensated sum the compound would be {compound}, vader-parity says {}",
            oracle.compound
        ));
    }
    Ok(())
}
