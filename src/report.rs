//! The report stage: aggregate tables, charts and scored units in, one self-contained index.html out.
//!
//! Charts are inlined as SVG and nothing is fetched from the network. Every piece of corpus text is
//! HTML-escaped. The tables shown are the same tables the CSV export writes.

use crate::aggregate::{Table, Tables};
use crate::chart::Written;
use crate::error::{Result, read_err, write_err};
use crate::export;
use crate::human::{agrees, count, counted, pct, signed};
use crate::model::{Scored, sentiment_label};
use html_escape::{encode_double_quoted_attribute as attr, encode_text as esc};
use std::fmt::Write as _;
use std::path::Path;

/// A mean's interval in words: "interval +0.05 to +0.47", or why there is none.
fn interval(lo: f64, hi: f64) -> String {
    if lo.is_nan() || hi.is_nan() {
        "no interval: a single value, or a few equal ones".to_string()
    } else {
        format!("interval {} to {}", signed(lo), signed(hi))
    }
}

/// What the report needs besides the tables.
pub struct Inputs<'a> {
    /// Corpus names, for the heading.
    pub corpus: &'a str,
    /// Records read, scored and rejected.
    pub counts: (usize, usize, usize),
    /// The units the report shows.
    pub picks: &'a Picks,
    /// The tables.
    pub tables: &'a Tables,
    /// The charts, already written.
    pub charts: &'a [Written],
    /// Every CSV written, relative to the report.
    pub csv_files: &'a [String],
    /// What the reader must know before the findings: targets that do not fit the corpus.
    pub notices: &'a [String],
    /// The run's warnings but the notices: about its input (replies to ids not in the corpus, reply
    /// cycles cut, repeated ids, an encoding guessed, a key no record has) and its targets' models.
    pub warnings: &'a [String],
    /// The first target's description, for the findings.
    pub target: Option<&'a str>,
    /// Units that name the first target's topic: when fewer than 5 % do, the findings do not count its
    /// stance (the notice says why).
    pub target_fits: bool,
    /// Where the first target's learned model was read from, when a model decides its stance (else
    /// its cues decide alone), for the page's note on methods.
    pub model: Option<&'a str>,
}

/// Rows of a table shown in the report; the CSV has them all.
const MAX_TABLE_ROWS: usize = 100;

/// Units listed in full in the report; larger corpora list the standouts and point to units.csv.
pub const MAX_LISTED: usize = 500;

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em}p,li{overflow-wrap:break-word}h2{margin-top:2em;border-bottom:1px solid #ddd}table{border-collapse:collapse;margin:1em 0;font-size:.9em}
th,td{border:1px solid #ccc;padding:.3em .6em;vertical-align:top;background:#fff}th{background:#f3f3f3;text-align:left}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
figure{margin:1.5em 0}figure svg{width:100%;max-width:100%;height:auto}figure svg.narrow{display:none}.pos{color:#00795a}.neg{color:#b34d00}.muted{color:#666;font-size:.85em}
.text{max-width:40em;white-space:pre-wrap;overflow-wrap:anywhere}.notice{background:#fff4e0;border-left:4px solid #e69f00;padding:.6em 1em}
.wide{overflow-x:auto;max-width:100%;-webkit-overflow-scrolling:touch}.wide th:first-child,.wide td:first-child{position:sticky;left:0;z-index:1}
@media (max-width:640px){body{margin:1em auto;padding:0 .6em}h1{font-size:1.3em}table{font-size:.8em}
figure svg.wide{display:none}figure svg.narrow{display:block;max-width:480px}
table.units,table.units tbody,table.units tr,table.units td{display:block;width:auto}table.units thead{display:none}
table.units tr{border:1px solid #ccc;margin:.6em 0;padding:.3em}table.units td{border:0;padding:.15em .3em;position:static}
table.units td::before{content:attr(data-label);display:inline-block;min-width:6.5em;margin-right:.6em;color:#666;font-size:.9em}table.units td.text::before{display:block}}";

/// Writes `index.html` into `dir`.
pub fn write(dir: &Path, r: &Inputs) -> Result<()> {
    let mut h = String::new();
    let (read, scored, rejected) = r.counts;
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>stancemeter report: {c}</title><style>{STYLE}</style></head><body>\n<h1>stancemeter report</h1>\n<p>Corpus: <strong>{c}</strong>. Records read: {}; scored: {}; rejected: {}.</p>\n",
        count(read as f64),
        count(scored as f64),
        count(rejected as f64),
        c = esc(r.corpus)
    );
    for n in r.notices {
        let _ = writeln!(
            h,
            "<p class=\"notice\"><strong>Read with care:</strong> {}</p>",
            esc(n)
        );
    }
    if !r.warnings.is_empty() {
        h.push_str(
            "<div class=\"notice\"><strong>Warnings about the input</strong> (also on stderr and in run.json):\n<ul>\n",
        );
        for w in r.warnings {
            let _ = writeln!(h, "<li>{}</li>", esc(w));
        }
        h.push_str("</ul></div>\n");
    }
    h.push_str("<h2>Key findings</h2>\n<ul>\n");
    for f in findings(r)? {
        let _ = writeln!(h, "<li>{}</li>", esc(&f));
    }
    h.push_str("</ul>\n");
    h.push_str("<h2>Charts</h2>\n");
    for c in r.charts {
        let svg = std::fs::read_to_string(&c.svg).map_err(read_err(&c.svg))?;
        let svg = svg.trim_start_matches(|ch| ch != '<');
        let narrow = c.narrow_svg.trim_start_matches(|ch| ch != '<');
        // The wide chart, and the narrow one that a phone shows instead (STYLE's media query).
        let wide = svg.replacen("<svg ", "<svg class=\"wide\" ", 1);
        let narrow = narrow.replacen("<svg ", "<svg class=\"narrow\" ", 1);
        let (png, svgf) = (file_name(&c.png), file_name(&c.svg));
        let _ = writeln!(
            h,
            "<figure id=\"{n}\">{wide}{narrow}<figcaption>{t} · <a href=\"{p}\">PNG</a> · <a href=\"{s}\">SVG</a></figcaption></figure>",
            n = attr(&c.name),
            t = esc(&c.title),
            p = attr(&png),
            s = attr(&svgf)
        );
    }
    if !r.charts.iter().any(|c| c.name == "timeline") {
        let mut periods = r.tables.by_date.strs("period")?;
        periods.retain(|p| !p.is_empty());
        let why = match periods.as_slice() {
            [] => "no unit has a date (the date column is empty or was not found; the columns line on stderr and run.json say which column was read, --date-column names another)".to_string(),
            [p] => format!("every dated unit falls in one period, {p}"),
            _ => "it has too few periods".to_string(),
        };
        let _ = writeln!(h, "<p class=\"muted\">No timeline: {}.</p>", esc(&why));
    }
    // Units without a date are in every table but by_date's: how many, when some are dated.
    let dated = r.tables.by_date.f64s("units")?.iter().sum::<f64>() as usize;
    if dated > 0 && dated < scored {
        let undated = scored - dated;
        let (has, they) = (
            agrees(undated as f64, "has", "have"),
            agrees(undated as f64, "it is", "they are"),
        );
        let _ = writeln!(
            h,
            "<p class=\"muted\">{} of {} units {has} no date: {they} in every table but by_date.csv and the timeline.</p>",
            count(undated as f64),
            count(scored as f64),
        );
    }
    h.push_str("<h2>Tables</h2>\n");
    for t in r.tables.all() {
        table_html(&mut h, t);
    }
    standouts_html(&mut h, r.picks);
    if scored <= MAX_LISTED {
        units_html(&mut h, r.picks);
    } else {
        let _ = writeln!(
            h,
            "<h2>Units</h2>\n<p>{} units: see <a href=\"units.csv\">units.csv</a>.</p>",
            scored
        );
    }
    h.push_str("<h2>Files</h2>\n<ul>\n");
    for f in r.csv_files {
        let _ = writeln!(h, "<li><a href=\"{}\">{}</a></li>", attr(f), esc(f));
    }
    // The charts are linked under each figure; their data and the run's manifest here.
    for (f, what) in [
        (crate::chart::DATA_FILE, "the charts' data"),
        (
            "run.json",
            "inputs, settings, counts and timings of this run",
        ),
    ] {
        let _ = writeln!(h, "<li><a href=\"{f}\">{f}</a>: {what}</li>");
    }
    let stance = match r.model {
        Some(m) => format!(
            "a learned linear model ({}) over words, pairs of words, runs of characters and the target's cue evidence; stance_cues.csv lists the features that drove each decision. Like any model of words it misreads some texts (a short refusal to buy taken for support, small talk for a stance): read the units that matter, and measure it on labelled texts of your own with <code>stancemeter eval</code>",
            esc(m)
        ),
        None => {
            "cue lexicons from the target files; stance_cues.csv lists every cue that fired".into()
        }
    };
    let _ = write!(
        h,
        "</ul>\n<p class=\"muted\">Sentiment: VADER (vaderSentiment 3.3.2, exact). Stance: {stance}.</p>\n</body></html>\n"
    );
    let path = dir.join("index.html");
    // Corpus text may hold control characters that XML and HTML forbid; none reaches the page.
    std::fs::write(&path, crate::text::xml_safe(&h).as_bytes()).map_err(write_err(&path))
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn table_html(h: &mut String, t: &Table) {
    let _ = write!(
        h,
        "<h3 id=\"{n}\">{title}</h3>\n<p class=\"muted\"><a href=\"{n}.csv\">{n}.csv</a></p>\n",
        n = attr(t.name),
        title = esc(t.title)
    );
    // A table the corpus gives no row (no article paragraphs, no replies, no dates) says so, rather than
    // a header over nothing.
    if t.df.height() == 0 {
        h.push_str("<p class=\"muted\">No rows: nothing in this corpus falls in this table (its CSV holds the header alone).</p>\n");
        return;
    }
    h.push_str("<div class=\"wide\"><table><thead><tr>");
    for name in t.df.get_column_names() {
        let _ = write!(h, "<th>{}</th>", esc(name.as_str()));
    }
    h.push_str("</tr></thead><tbody>\n");
    for row in 0..t.df.height().min(MAX_TABLE_ROWS) {
        h.push_str("<tr>");
        for c in t.df.columns() {
            let v = c.get(row).ok();
            let numeric = c.dtype().is_primitive_numeric();
            let text = v
                .map(|v| export::plain(&v).into_owned())
                .unwrap_or_default();
            let _ = write!(
                h,
                "<td{}>{}</td>",
                if numeric { " class=\"num\"" } else { "" },
                esc(&text)
            );
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody></table></div>\n");
    if t.df.height() > MAX_TABLE_ROWS {
        let _ = writeln!(
            h,
            "<p class=\"muted\">First {MAX_TABLE_ROWS} of {} rows; all are in <a href=\"{n}.csv\">{n}.csv</a>.</p>",
            t.df.height(),
            n = attr(t.name)
        );
    }
}

fn units_html(h: &mut String, picks: &Picks) {
    let scored = &picks.listed;
    h.push_str("<h2>Units</h2>\n<p class=\"muted\">Every unit with its sentiment, the tokens behind it, and its stance with what drove it: the cues that fired or, when a learned model decided, the words whose features pushed the decision most (<code>w:</code> a word or a pair of words, <code>c:</code> runs of its characters, <code>w+c:</code> both, <code>lex:</code> the evidence of the target&#39;s cues), with how far each raised the log-odds of the label over the runner-up.</p>\n<div class=\"wide\"><table class=\"units\"><thead><tr><th>id</th><th>kind</th><th>author</th><th>compound</th><th>why (VADER)</th><th>stance</th><th>drivers</th><th>text</th></tr></thead><tbody>\n");
    for s in scored {
        let u = s.unit();
        let class = match sentiment_label(s.polarity.compound) {
            "positive" => "pos",
            "negative" => "neg",
            _ => "",
        };
        let (label, cues) = first_stance(s);
        let _ = writeln!(
            h,
            "<tr id=\"{ida}\"><td data-label=\"id\">{id}</td><td data-label=\"kind\">{k}</td><td data-label=\"author\">{a}</td><td data-label=\"compound\" class=\"num {class}\">{c:.4}</td><td data-label=\"why (VADER)\">{why}</td><td data-label=\"stance\">{label}</td><td data-label=\"cues\">{cues}</td><td data-label=\"text\" class=\"text\">{t}</td></tr>",
            ida = attr(&picks.anchor(u)),
            id = esc(&picks.name(u)),
            k = u.kind(),
            a = esc(u.author.as_deref().unwrap_or("")),
            c = s.polarity.compound,
            why = esc(&shown(&s.explanation)),
            cues = esc(&shown(&cues)),
            t = esc(&shown(&s.prepared.text)),
        );
    }
    h.push_str("</tbody></table></div>\n");
}

/// The finding about the comment picked as the most `side` ("negative" or "positive") in tone: named
/// only when its compound is on that side of the threshold (with its stance when the target fits the
/// corpus), otherwise that no comment is; none without comments.
fn extreme_comment(r: &Inputs, pick: Option<&(usize, Scored)>, side: &str) -> Option<String> {
    let (_, s) = pick?;
    if sentiment_label(s.polarity.compound) != side {
        let (bound, beyond) = if side == "negative" {
            (crate::model::NEGATIVE_AT, "above")
        } else {
            (crate::model::POSITIVE_AT, "below")
        };
        return Some(format!(
            "No comment is {side} in tone: every comment's compound is {beyond} {}.",
            signed(bound)
        ));
    }
    let who = s
        .unit()
        .author
        .clone()
        .unwrap_or_else(|| r.picks.name(s.unit()));
    let stance = s
        .stances
        .first()
        .filter(|_| r.target_fits)
        .map_or(String::new(), |st| format!("; its stance is {}", st.label));
    Some(format!(
        "The most {side} comment is {who}'s ({}){stance}.",
        signed(s.polarity.compound)
    ))
}

/// Characters of a unit's text, explanation or cue list that the report shows; units.csv, sentences.csv and
/// stance_cues.csv have them whole. A 10 MB comment made a report of 125 MB.
pub const MAX_SHOWN_CHARS: usize = 2000;

/// `text` as the report shows it: whole, or its first [`MAX_SHOWN_CHARS`] characters and how many more.
fn shown(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(MAX_SHOWN_CHARS) {
        None => std::borrow::Cow::Borrowed(text),
        Some((cut, _)) => {
            let rest = text[cut..].chars().count();
            std::borrow::Cow::Owned(format!(
                "{}\u{2026} ({} more characters: see the CSV files)",
                &text[..cut],
                count(rest as f64)
            ))
        }
    }
}

/// The first target's label and its cues, as the report shows them (empty without targets).
fn first_stance(s: &Scored) -> (String, String) {
    s.stances
        .first()
        .map_or((String::new(), String::new()), |st| {
            (st.label.to_string(), crate::model::describe_cues(&st.cues))
        })
}

/// Rows of a table where `col` equals `value`.
fn rows_where(t: &Table, col: &str, value: &str) -> Result<Vec<usize>> {
    Ok(t.strs(col)?
        .iter()
        .enumerate()
        .filter(|(_, v)| *v == value)
        .map(|(i, _)| i)
        .collect())
}

/// The key findings, each a sentence written from the tables.
pub fn findings(r: &Inputs) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let t = r.tables;
    let ss = &t.stance_summary;
    let (voice, label, units) = (ss.strs("voice")?, ss.strs("label")?, ss.f64s("units")?);
    let (share, lo, hi) = (ss.f64s("share")?, ss.f64s("ci_low")?, ss.f64s("ci_high")?);
    let targets = ss.strs("target")?;
    let first_target = targets.first().cloned().unwrap_or_default();
    let about = r
        .target
        .map_or_else(|| first_target.clone(), str::to_string);
    let cell = |v: &str, l: &str| {
        (0..voice.len()).find(|&i| voice[i] == v && label[i] == l && targets[i] == first_target)
    };
    if !r.target_fits && !targets.is_empty() {
        out.push(format!(
            "Stance toward \"{about}\" is not summarised here: too few units name it for its counts to mean anything (see the note above). The stance tables are kept for reference."
        ));
    }
    if let (true, Some(f), Some(a), Some(n)) = (
        r.target_fits,
        cell("comments", "favor"),
        cell("comments", "against"),
        cell("comments", "none"),
    ) {
        let total = units[f] + units[a] + units[n];
        out.push(format!(
            "{} of {} {} \"{about}\" ({}, 95 % interval {}–{}); {} {} it and {} {} no side.",
            count(units[f]),
            counted(total, "comment", "comments"),
            agrees(units[f], "favours", "favour"),
            pct(share[f]),
            pct(lo[f]),
            pct(hi[f]),
            count(units[a]),
            agrees(units[a], "opposes", "oppose"),
            count(units[n]),
            agrees(units[n], "takes", "take")
        ));
    }
    if let (true, Some(f), Some(a), Some(n)) = (
        r.target_fits,
        cell("article", "favor"),
        cell("article", "against"),
        cell("article", "none"),
    ) {
        out.push(format!(
            "In the article's own text, {} {} favor, {} against and {} {} no side ({} no side).",
            counted(units[f], "unit", "units"),
            agrees(units[f], "leans", "lean"),
            count(units[a]),
            count(units[n]),
            agrees(units[n], "takes", "take"),
            pct(share[n])
        ));
    }
    let av = &t.article_vs_comments;
    let (v, m, n) = (
        av.strs("voice")?,
        av.f64s("mean_compound")?,
        av.f64s("units")?,
    );
    let (ml, mh) = (av.f64s("mean_ci_low")?, av.f64s("mean_ci_high")?);
    let (sp, sn) = (av.f64s("share_positive")?, av.f64s("share_negative")?);
    let tone = |k: usize| {
        format!(
            "{} ({}, {}; {} positive, {} negative)",
            signed(m[k]),
            counted(n[k], "unit", "units"),
            interval(ml[k], mh[k]),
            pct(sp[k]),
            pct(sn[k])
        )
    };
    match (
        v.iter().position(|x| x == "article"),
        v.iter().position(|x| x == "comments"),
    ) {
        (Some(a), Some(c)) => out.push(format!(
            "Tone: the article's mean compound is {}, the comments' {}.",
            tone(a),
            tone(c)
        )),
        (None, Some(c)) => out.push(format!("Tone: the comments' mean compound is {}.", tone(c))),
        (Some(a), None) => out.push(format!("Tone: the article's mean compound is {}.", tone(a))),
        (None, None) => {}
    }
    // A "most negative" or "most positive" finding only for a comment on that side of the tool's own
    // thresholds; otherwise the finding says there is none.
    out.extend(extreme_comment(
        r,
        r.picks.worst_comment.as_ref(),
        "negative",
    ));
    out.extend(extreme_comment(
        r,
        r.picks.best_comment.as_ref(),
        "positive",
    ));
    let ct = &t.crosstab;
    let (cs, cst, cu, cex) = (
        ct.strs("sentiment")?,
        ct.strs("stance")?,
        ct.f64s("units")?,
        ct.strs("example_ids")?,
    );
    let odd: Vec<String> = (0..cs.len())
        .filter(|&i| {
            (cs[i] == "negative" && cst[i] == "favor")
                || (cs[i] == "positive" && cst[i] == "against")
        })
        .map(|i| {
            // The example ids are units.csv's, where a reader can look them up.
            let (units, ids) = if cu[i] == 1.0 {
                ("unit", format!("unit {}", cex[i]))
            } else {
                (
                    "units",
                    format!("for example {}", cex[i].replace("; ", ", ")),
                )
            };
            format!(
                "{} {units} {} in tone but {} ({ids} in units.csv)",
                count(cu[i]),
                cs[i],
                cst[i]
            )
        })
        .collect();
    // Like the stance counts, not for a target the corpus does not name.
    if r.target_fits && !odd.is_empty() {
        out.push(format!(
            "Tone and stance disagree: {}. Stance is not sentiment.",
            odd.join("; ")
        ));
    }
    let e = &t.sentiment_by_entity;
    let (en, em, eu, emean, elo, ehi) = (
        e.strs("name")?,
        e.f64s("mentions")?,
        e.f64s("units")?,
        e.f64s("mean_targeted_compound")?,
        e.f64s("mean_ci_low")?,
        e.f64s("mean_ci_high")?,
    );
    if !en.is_empty() {
        out.push(format!(
            "The most mentioned entity is {} ({} in {}), with a mean targeted compound of {} ({}).",
            en[0],
            counted(em[0], "mention", "mentions"),
            counted(eu[0], "unit", "units"),
            signed(emean[0]),
            interval(elo[0], ehi[0])
        ));
        // "Harshly" only where the mean is negative by the tool's own threshold and its interval
        // excludes 0; otherwise the finding says that no entity is.
        let harsh = (0..en.len())
            .filter(|&i| em[i] >= 3.0 && sentiment_label(emean[i]) == "negative" && ehi[i] < 0.0)
            .min_by(|&a, &b| emean[a].total_cmp(&emean[b]));
        match harsh {
            Some(k) => out.push(format!(
                "The entity spoken of most harshly (3 mentions or more) is {} ({}, {}).",
                en[k],
                signed(emean[k]),
                interval(elo[k], ehi[k])
            )),
            None => out.push(format!(
                "No entity is spoken of harshly: none with 3 mentions or more has a mean targeted compound below {} with an interval below 0.",
                signed(crate::model::NEGATIVE_AT)
            )),
        }
    }
    let rp = &t.replies;
    if rp.df.height() > 0 {
        let agree = rows_where(rp, "agreement", "agree")?.len();
        let disagree = rows_where(rp, "agreement", "disagree")?.len();
        let n = rp.df.height();
        out.push(format!(
            "Replies to other comments: {}; agreeing with the comment they answer: {}, disagreeing: {}, unclear: {}.",
            count(n as f64),
            count(agree as f64),
            count(disagree as f64),
            count((n - agree - disagree) as f64)
        ));
    }
    let (read, _, rejected) = r.counts;
    if rejected > 0 {
        out.push(format!(
            "{} of {} records {} rejected and not scored; see rejects.csv.",
            count(rejected as f64),
            count(read as f64),
            agrees(rejected as f64, "was", "were")
        ));
    }
    Ok(out)
}

fn standouts_html(h: &mut String, picks: &Picks) {
    h.push_str("<h2>Units that stand out</h2>\n");
    // The tone lists hold only units of their side: in a corpus with no negative unit the least positive
    // were listed as "most negative", against the findings above them.
    for (title, list, side) in [
        ("Most positive", &picks.positive, Some("positive")),
        ("Most negative", &picks.negative, Some("negative")),
        ("Most stance-laden", &picks.stance, None),
    ] {
        let _ = writeln!(h, "<h3>{title}</h3>\n<ul>");
        let shown_here: Vec<&Scored> = list
            .iter()
            .map(|(_, s)| s)
            .filter(|s| side.is_none_or(|side| sentiment_label(s.polarity.compound) == side))
            .collect();
        if let (Some(side), true) = (side, shown_here.is_empty()) {
            let _ = writeln!(
                h,
                "<li class=\"muted\">none: no unit is {side} in tone (compound {})</li>",
                if side == "negative" {
                    format!("{} or lower", crate::model::NEGATIVE_AT)
                } else {
                    format!("{} or higher", crate::model::POSITIVE_AT)
                }
            );
        }
        for s in shown_here {
            let u = s.unit();
            let who = u
                .author
                .as_deref()
                .map_or(String::new(), |a| format!(" by {a}"));
            let (label, cues) = first_stance(s);
            let _ = writeln!(
                h,
                "<li><a href=\"#{ida}\">{id}</a> ({kind}{who}): compound {c:+.4}, stance {label}<br><span class=\"muted\">why: {why}</span><br><span class=\"muted\">cues: {cues}</span><div class=\"text\">{t}</div></li>",
                ida = attr(&picks.anchor(u)),
                id = esc(&picks.name(u)),
                kind = u.kind(),
                who = esc(&who),
                c = s.polarity.compound,
                label = esc(&label),
                why = esc(&shown(&s.explanation)),
                cues = esc(&shown(if cues.is_empty() { "none fired" } else { &cues })),
                t = esc(&shown(&s.prepared.text)),
            );
        }
        h.push_str("</ul>\n");
    }
}

/// How many units each standout list shows.
const STANDOUTS: usize = 3;

/// The units the report shows, picked while the scored units stream past, so that the report needs only a
/// bounded number of them: the first [`MAX_LISTED`] units, the most positive, most negative and most
/// stance-laden units, and the most negative and most positive comments.
#[derive(Debug, Default)]
pub struct Picks {
    listed: Vec<Scored>,
    /// The first unit's document, and whether a unit of another has been offered: with several
    /// documents, whose ids may repeat, the report names a unit with its document ([`Picks::name`]).
    first_doc: Option<String>,
    several_docs: bool,
    positive: Vec<(usize, Scored)>,
    negative: Vec<(usize, Scored)>,
    stance: Vec<(usize, Scored)>,
    worst_comment: Option<(usize, Scored)>,
    best_comment: Option<(usize, Scored)>,
}

/// Most positive first; ties by id, then by input position.
fn by_tone(a: &(usize, &Scored), b: &(usize, &Scored)) -> std::cmp::Ordering {
    b.1.polarity
        .compound
        .total_cmp(&a.1.polarity.compound)
        .then_with(|| a.1.unit().id.cmp(&b.1.unit().id))
        .then(a.0.cmp(&b.0))
}

/// Largest first-target stance score (either sign) first; ties by id, then by input position.
fn by_stance(a: &(usize, &Scored), b: &(usize, &Scored)) -> std::cmp::Ordering {
    let key = |s: &Scored| s.stances.first().map_or(0.0, |st| st.score.abs());
    key(b.1)
        .total_cmp(&key(a.1))
        .then_with(|| a.1.unit().id.cmp(&b.1.unit().id))
        .then(a.0.cmp(&b.0))
}

/// Keeps `list` as the [`STANDOUTS`] first items under `order`, adding `item` if it belongs.
fn keep_top(
    list: &mut Vec<(usize, Scored)>,
    item: (usize, &Scored),
    order: impl Fn(&(usize, &Scored), &(usize, &Scored)) -> std::cmp::Ordering,
) {
    let at = list.partition_point(|(k, s)| order(&(*k, s), &item).is_lt());
    if at < STANDOUTS {
        list.insert(at, (item.0, item.1.clone()));
        list.truncate(STANDOUTS);
    }
}

impl Picks {
    /// How the report names a unit: its id, with its document when the corpus has several
    /// (`1 (siteA)`), as units.csv's `id` and `doc_id` name it.
    fn name(&self, u: &crate::model::Unit) -> String {
        if self.several_docs {
            format!("{} ({})", u.id, u.doc_id)
        } else {
            u.id.clone()
        }
    }

    /// The unit's anchor in the page: unique with several documents too.
    fn anchor(&self, u: &crate::model::Unit) -> String {
        if self.several_docs {
            format!("u-{}-{}", u.doc_id, u.id)
        } else {
            format!("u-{}", u.id)
        }
    }

    /// Considers the scored unit at input position `k`; units must be offered in input order.
    pub fn offer(&mut self, k: usize, s: &Scored) {
        match &self.first_doc {
            None => self.first_doc = Some(s.unit().doc_id.clone()),
            Some(d) if *d != s.unit().doc_id => self.several_docs = true,
            Some(_) => {}
        }
        if self.listed.len() < MAX_LISTED {
            self.listed.push(s.clone());
        }
        keep_top(&mut self.positive, (k, s), by_tone);
        keep_top(&mut self.negative, (k, s), |a, b| by_tone(b, a));
        if s.stances.first().is_some_and(|st| st.score != 0.0) {
            keep_top(&mut self.stance, (k, s), by_stance);
        }
        if !s.unit().kind().is_article() {
            // The first comment of the lowest (highest) compound, as the input order meets them.
            let c = s.polarity.compound;
            for (slot, wanted) in [
                (&mut self.worst_comment, std::cmp::Ordering::Less),
                (&mut self.best_comment, std::cmp::Ordering::Greater),
            ] {
                if slot
                    .as_ref()
                    .is_none_or(|(_, w)| c.total_cmp(&w.polarity.compound) == wanted)
                {
                    *slot = Some((k, s.clone()));
                }
            }
        }
    }
}
