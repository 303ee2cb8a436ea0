//! The report stage: aggregate tables, charts and scored units in, one self-contained index.html out.
//!
//! Charts are inlined as SVG and nothing is fetched from the network. Every piece of corpus text is
//! HTML-escaped. The tables shown are the same tables the CSV export writes.

use crate::aggregate::{Table, Tables};
use crate::chart::Written;
use crate::error::{Result, read_err, write_err};
use crate::export;
use crate::model::{Scored, sentiment_label};
use crate::stance;
use html_escape::{encode_double_quoted_attribute as attr, encode_text as esc};
use std::fmt::Write as _;
use std::path::Path;

/// What the report needs besides the tables.
pub struct Inputs<'a> {
    /// Corpus names, for the heading.
    pub corpus: &'a str,
    /// Records read, scored and rejected.
    pub counts: (usize, usize, usize),
    /// Scored units in input order.
    pub scored: &'a [Scored],
    /// The tables.
    pub tables: &'a Tables,
    /// The charts, already written.
    pub charts: &'a [Written],
    /// Every CSV written, relative to the report.
    pub csv_files: &'a [String],
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ddd}table{border-collapse:collapse;margin:1em 0;font-size:.9em}
th,td{border:1px solid #ccc;padding:.3em .6em;vertical-align:top}th{background:#f3f3f3;text-align:left}td.num{text-align:right;font-variant-numeric:tabular-nums}
figure{margin:1.5em 0}figure svg{max-width:100%;height:auto}.pos{color:#00795a}.neg{color:#b34d00}.muted{color:#666;font-size:.85em}
.text{max-width:40em;white-space:pre-wrap}";

/// Writes `index.html` into `dir`.
pub fn write(dir: &Path, r: &Inputs) -> Result<()> {
    let mut h = String::new();
    let (read, scored, rejected) = r.counts;
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>stancemeter report: {c}</title><style>{STYLE}</style></head><body>\n<h1>stancemeter report</h1>\n<p>Corpus: <strong>{c}</strong>. Records read: {read}; scored: {scored}; rejected: {rejected}.</p>\n",
        c = esc(r.corpus)
    );
    h.push_str("<h2>Charts</h2>\n");
    for c in r.charts {
        let svg = std::fs::read_to_string(&c.svg).map_err(read_err(&c.svg))?;
        let svg = svg.trim_start_matches(|ch| ch != '<');
        let (png, svgf) = (file_name(&c.png), file_name(&c.svg));
        let _ = writeln!(
            h,
            "<figure id=\"{n}\">{svg}<figcaption>{t} · <a href=\"{p}\">PNG</a> · <a href=\"{s}\">SVG</a></figcaption></figure>",
            n = attr(&c.name),
            t = esc(&c.title),
            p = attr(&png),
            s = attr(&svgf)
        );
    }
    h.push_str("<h2>Tables</h2>\n");
    for t in r.tables.all() {
        table_html(&mut h, t);
    }
    units_html(&mut h, r.scored);
    h.push_str("<h2>Files</h2>\n<ul>\n");
    for f in r.csv_files {
        let _ = writeln!(h, "<li><a href=\"{}\">{}</a></li>", attr(f), esc(f));
    }
    h.push_str("</ul>\n<p class=\"muted\">Sentiment: VADER (vaderSentiment 3.3.2, exact). Stance: cue lexicons from the target files; see stance_cues.csv for every cue that fired.</p>\n</body></html>\n");
    let path = dir.join("index.html");
    std::fs::write(&path, h).map_err(write_err(&path))
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn table_html(h: &mut String, t: &Table) {
    let _ = write!(
        h,
        "<h3 id=\"{n}\">{title}</h3>\n<p class=\"muted\"><a href=\"{n}.csv\">{n}.csv</a></p>\n<table><thead><tr>",
        n = attr(t.name),
        title = esc(t.title)
    );
    for name in t.df.get_column_names() {
        let _ = write!(h, "<th>{}</th>", esc(name.as_str()));
    }
    h.push_str("</tr></thead><tbody>\n");
    for row in 0..t.df.height() {
        h.push_str("<tr>");
        for c in t.df.columns() {
            let v = c.get(row).ok();
            let numeric = c.dtype().is_primitive_numeric();
            let text = v.map(|v| export::cell(&v).into_owned()).unwrap_or_default();
            let _ = write!(
                h,
                "<td{}>{}</td>",
                if numeric { " class=\"num\"" } else { "" },
                esc(&text)
            );
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody></table>\n");
}

fn units_html(h: &mut String, scored: &[Scored]) {
    h.push_str("<h2>Units</h2>\n<p class=\"muted\">Every unit with its sentiment, the tokens behind it, and its stance with the cues that fired.</p>\n<table><thead><tr><th>id</th><th>kind</th><th>author</th><th>compound</th><th>why (VADER)</th><th>stance</th><th>cues</th><th>text</th></tr></thead><tbody>\n");
    for s in scored {
        let u = s.unit();
        let class = match sentiment_label(s.polarity.compound) {
            "positive" => "pos",
            "negative" => "neg",
            _ => "",
        };
        let (label, cues) = s
            .stances
            .first()
            .map_or((String::new(), String::new()), |st| {
                (st.label.to_string(), stance::describe(&st.cues))
            });
        let _ = writeln!(
            h,
            "<tr id=\"u-{ida}\"><td>{id}</td><td>{k}</td><td>{a}</td><td class=\"num {class}\">{c:.4}</td><td>{why}</td><td>{label}</td><td>{cues}</td><td class=\"text\">{t}</td></tr>",
            ida = attr(&u.id),
            id = esc(&u.id),
            k = u.kind(),
            a = esc(u.author.as_deref().unwrap_or("")),
            c = s.polarity.compound,
            why = esc(&s.explanation),
            cues = esc(&cues),
            t = esc(&s.prepared.text),
        );
    }
    h.push_str("</tbody></table>\n");
}
