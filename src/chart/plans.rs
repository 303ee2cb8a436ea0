//! One plan per chart, from the aggregate tables: which rows, which axes, which legend keys. Drawing is
//! in `draw.rs`; the layout rules are in `plan.rs`.

use super::plan::{
    Axis, Format, Key, Layer, Mark, Plan, Rgb, Shape, Tick, categories, clean, fitted,
};
use crate::aggregate::{HISTOGRAM_BINS, Table, Tables};
use crate::error::Result;
use crate::human::count;
use crate::model::{NEGATIVE_AT, POSITIVE_AT};

/// Okabe–Ito bluish green: positive sentiment.
pub const POSITIVE: Rgb = [0, 158, 115];
/// Grey: neutral sentiment, no stance.
pub const NEUTRAL: Rgb = [160, 160, 160];
/// Okabe–Ito vermillion: negative sentiment.
pub const NEGATIVE: Rgb = [213, 94, 0];
/// Okabe–Ito blue: favor.
pub const FAVOR: Rgb = [0, 114, 178];
/// Okabe–Ito orange: against.
pub const AGAINST: Rgb = [230, 159, 0];
/// Okabe–Ito sky blue: the article (journalist).
pub const ARTICLE: Rgb = [86, 180, 233];
/// Okabe–Ito reddish purple: the comments (readers).
pub const COMMENTS: Rgb = [204, 121, 167];
/// Light grey: the timeline's unit bars, lighter than the neutral grey so that a neutral period's dot on
/// a bar stays visible.
pub const BARS: Rgb = [210, 210, 210];
/// Black, for reference lines and intervals.
pub const INK: Rgb = [0, 0, 0];

/// Up to this many units the tone-against-stance chart shows one dot per unit; past it, a 2-D histogram.
pub const MAX_DOTS: usize = 2000;
/// Up to this many comments, their dots carry their author's name (more would overlap).
const MAX_NAMED: usize = 15;
/// The article arc shows at most this many points; a longer article is shown as means of equal runs.
const MAX_ARC_POINTS: usize = 400;
/// Timeline labels at most this many periods; the others are ticks without labels.
const MAX_PERIOD_LABELS: usize = 12;

const SENTIMENTS: [(&str, Rgb); 3] = [
    ("positive", POSITIVE),
    ("neutral", NEUTRAL),
    ("negative", NEGATIVE),
];
const STANCES: [(&str, Rgb); 3] = [("favor", FAVOR), ("against", AGAINST), ("none", NEUTRAL)];
const VOICE_COLORS: [(&str, Rgb); 2] = [("article", ARTICLE), ("comments", COMMENTS)];

/// Every chart the tables can fill, in the order the report shows them. Charts without data (a
/// timeline of one period, an arc without article, entities never mentioned) are left out.
pub fn all(t: &Tables) -> Result<Vec<Plan>> {
    let mut out = vec![
        sentiment_by_kind(&t.summary)?,
        stance_by_kind(&t.stance_by_kind)?,
        stance_shares(&t.stance_summary)?,
        compound_distribution(&t.compound_histogram)?,
        tone_vs_stance(&t.tone_vs_stance, &t.tone_stance_density)?,
    ];
    if t.by_date.df.height() > 1 {
        out.push(timeline(&t.by_date)?);
    }
    if t.sentiment_by_entity.df.height() > 0 {
        out.push(sentiment_by_entity(&t.sentiment_by_entity)?);
    }
    if t.article_arc.df.height() > 0 {
        out.push(article_arc(&t.article_arc)?);
    }
    Ok(out.into_iter().flatten().collect())
}

/// The thresholds in words, for axis descriptions.
fn thresholds() -> String {
    format!(
        "compound ≥ {POSITIVE_AT} positive, ≤ −{} negative",
        -NEGATIVE_AT
    )
}

/// Rows of the first target in a per-target table (charts show one target; the tables have all).
fn first_target(t: &Table) -> Result<(String, Vec<usize>)> {
    let targets = t.strs("target")?;
    let first = targets.first().cloned().unwrap_or_default();
    let rows = (0..targets.len())
        .filter(|&i| targets[i] == first)
        .collect();
    Ok((first, rows))
}

/// Horizontal stacked bars, one per category from the top: `values[s][k]` is series `s` of category
/// `k`. Series that are zero everywhere get no layer and no key.
fn stacked_rows(values: &[Vec<f64>], series: &[(&str, Rgb)]) -> (Vec<Layer>, Vec<Key>) {
    let n = values.first().map_or(0, Vec::len);
    let mut left = vec![0.0; n];
    let (mut layers, mut keys) = (Vec::new(), Vec::new());
    for ((name, color), vals) in series.iter().zip(values) {
        let marks: Vec<Mark> = (0..n)
            .filter(|&k| vals[k] > 0.0)
            .map(|k| {
                let y = (n - 1 - k) as f64;
                let (a, b) = (left[k], left[k] + vals[k]);
                Mark::Bar {
                    x0: clean(a),
                    y0: y - 0.32,
                    x1: clean(b),
                    y1: y + 0.32,
                }
            })
            .collect();
        for k in 0..n {
            left[k] += vals[k];
        }
        if !marks.is_empty() {
            layers.push(Layer::new(*name, *color, marks));
            keys.push(Key::new(*name, *color, Shape::Square));
        }
    }
    (layers, keys)
}

/// Share of positive, neutral and negative units in each kind that has units.
fn sentiment_by_kind(t: &Table) -> Result<Option<Plan>> {
    let kinds = t.strs("kind")?;
    let units = t.f64s("units")?;
    let rows: Vec<usize> = (0..kinds.len())
        .filter(|&i| kinds[i] != "all" && units[i] > 0.0)
        .collect();
    let shares: Vec<Vec<f64>> = SENTIMENTS
        .iter()
        .map(|(s, _)| {
            let v = t.f64s(&format!("share_{s}"))?;
            Ok(rows.iter().map(|&i| v[i]).collect())
        })
        .collect::<Result<_>>()?;
    let labels: Vec<String> = rows
        .iter()
        .map(|&i| format!("{} (n={})", kinds[i], count(units[i])))
        .collect();
    let (layers, legend) = stacked_rows(&shares, &SENTIMENTS);
    Ok(Some(Plan {
        name: "sentiment_by_kind",
        title: "Sentiment by kind",
        heading: "Share of positive, neutral and negative units by kind".into(),
        x: fitted(
            format!("Share of units ({})", thresholds()),
            (0.0, 1.0),
            5,
            Format::Percent,
            (0.0, 1.0),
        ),
        y: categories("Kind", &labels, true),
        y2: None,
        layers,
        legend,
        note: None,
    }))
}

/// Favor, against and none counts per kind, for the first target.
fn stance_by_kind(t: &Table) -> Result<Option<Plan>> {
    let (target, rows) = first_target(t)?;
    let (kinds, units) = (t.strs("kind")?, t.f64s("units")?);
    let rows: Vec<usize> = rows.into_iter().filter(|&i| units[i] > 0.0).collect();
    if rows.is_empty() {
        return Ok(None);
    }
    let counts: Vec<Vec<f64>> = STANCES
        .iter()
        .map(|(s, _)| {
            let v = t.f64s(s)?;
            Ok(rows.iter().map(|&i| v[i]).collect())
        })
        .collect::<Result<_>>()?;
    let max = rows.iter().map(|&i| units[i]).fold(0.0, f64::max);
    let labels: Vec<String> = rows
        .iter()
        .map(|&i| format!("{} (n={})", kinds[i], count(units[i])))
        .collect();
    let (layers, legend) = stacked_rows(&counts, &STANCES);
    Ok(Some(Plan {
        name: "stance_by_kind",
        title: "Stance by kind",
        heading: format!("Stance toward {target} by kind"),
        x: fitted("Units", (0.0, max), 6, Format::Count, (0.0, f64::INFINITY)),
        y: categories("Kind", &labels, true),
        y2: None,
        layers,
        legend,
        note: None,
    }))
}

/// Share of favor, against and none in each voice with units, with 95 % intervals and counts.
fn stance_shares(t: &Table) -> Result<Option<Plan>> {
    let (target, rows) = first_target(t)?;
    let (voice, label) = (t.strs("voice")?, t.strs("label")?);
    let (units, share, lo, hi) = (
        t.f64s("units")?,
        t.f64s("share")?,
        t.f64s("ci_low")?,
        t.f64s("ci_high")?,
    );
    // A voice shows when it has units: its three shares are then defined.
    let mut voices: Vec<String> = Vec::new();
    for &i in &rows {
        if !voices.contains(&voice[i]) && !share[i].is_nan() {
            voices.push(voice[i].clone());
        }
    }
    if voices.is_empty() {
        return Ok(None);
    }
    let totals: Vec<f64> = voices
        .iter()
        .map(|v| {
            rows.iter()
                .filter(|&&i| voice[i] == *v)
                .map(|&i| units[i])
                .sum()
        })
        .collect();
    let top = rows
        .iter()
        .filter(|&&i| !share[i].is_nan())
        .map(|&i| hi[i].max(share[i]))
        .fold(0.0, f64::max);
    let y = fitted("Share of units", (0.0, top), 5, Format::Percent, (0.0, 1.0));
    let room = (y.hi - y.lo) * 0.035;
    let (mut layers, mut legend) = (Vec::new(), Vec::new());
    let (mut whiskers, mut texts) = (Vec::new(), Vec::new());
    for (s, (name, color)) in STANCES.iter().enumerate() {
        let mut bars = Vec::new();
        for &i in rows
            .iter()
            .filter(|&&i| label[i] == *name && !share[i].is_nan())
        {
            let g = voices.iter().position(|v| *v == voice[i]).unwrap_or(0) as f64;
            let x = g - 0.36 + s as f64 * 0.25;
            bars.push(Mark::Bar {
                x0: clean(x),
                y0: 0.0,
                x1: clean(x + 0.22),
                y1: share[i],
            });
            whiskers.push(Mark::Whisker {
                vertical: true,
                at: clean(x + 0.11),
                lo: lo[i],
                hi: hi[i],
            });
            // Just above the bar, beside the whisker; inside the plot when the bar reaches the top.
            texts.push(Mark::Text {
                x: clean(x + 0.015),
                y: clean((share[i] + room).min(y.hi - room)),
                text: count(units[i]),
                size: 12,
                beside: None,
            });
        }
        // A stance with shares has a key even when they are all 0: its counts ("0") are drawn, and a
        // reader must be able to tell which stance they count.
        if !bars.is_empty() {
            legend.push(Key::new(*name, *color, Shape::Square));
        }
        layers.push(Layer::new(*name, *color, bars));
    }
    layers.push(Layer::new("95 % interval", INK, whiskers));
    layers.push(Layer::new("units", INK, texts));
    legend.push(Key::new("95 % interval", INK, Shape::Line));
    let labels: Vec<String> = voices
        .iter()
        .zip(&totals)
        .map(|(v, n)| format!("{v} (n={})", count(*n)))
        .collect();
    Ok(Some(Plan {
        name: "stance_shares",
        title: "Stance shares with intervals",
        heading: format!("Stance toward {target}: shares with 95 % intervals"),
        x: categories(
            "Voice (the number above each bar: its units)",
            &labels,
            false,
        ),
        y,
        y2: None,
        layers,
        legend,
        note: None,
    }))
}

/// The share of each voice's units in each compound bin, side by side; voices without units are left out.
fn compound_distribution(t: &Table) -> Result<Option<Plan>> {
    let voices = t.strs("voice")?;
    let (share, n) = (t.f64s("share")?, t.f64s("voice_units")?);
    let present: Vec<(&str, Rgb, Vec<usize>, f64)> = VOICE_COLORS
        .iter()
        .filter_map(|&(v, c)| {
            let rows: Vec<usize> = (0..voices.len()).filter(|&i| voices[i] == v).collect();
            let units = rows.first().map_or(0.0, |&i| n[i]);
            (units > 0.0).then_some((v, c, rows, units))
        })
        .collect();
    if present.is_empty() {
        return Ok(None);
    }
    let w = 2.0 / HISTOGRAM_BINS as f64;
    let bar = w * 0.8 / present.len() as f64;
    let top = present
        .iter()
        .flat_map(|(_, _, rows, _)| rows.iter().map(|&i| share[i]))
        .fold(0.0, f64::max);
    let (mut layers, mut legend) = (Vec::new(), Vec::new());
    for (s, (v, c, rows, units)) in present.iter().enumerate() {
        let marks = rows
            .iter()
            .enumerate()
            .filter(|&(_, &i)| share[i] > 0.0)
            .map(|(b, &i)| {
                let x0 = -1.0 + b as f64 * w + w * 0.1 + s as f64 * bar;
                Mark::Bar {
                    x0: clean(x0),
                    y0: 0.0,
                    x1: clean(x0 + bar),
                    y1: share[i],
                }
            })
            .collect();
        layers.push(Layer::new(*v, *c, marks));
        legend.push(Key::new(
            format!("{v} (n={})", count(*units)),
            *c,
            Shape::Square,
        ));
    }
    let heading = if present.len() == 2 {
        "Compound distribution: article against comments"
    } else {
        "Compound distribution"
    };
    Ok(Some(Plan {
        name: "compound_distribution",
        title: "Compound distribution",
        heading: heading.into(),
        x: fitted(
            format!("VADER compound (bins of {w:.1})"),
            (-1.0, 1.0),
            4,
            Format::Decimal,
            (-1.0, 1.0),
        ),
        y: fitted(
            "Share of the voice's units",
            (0.0, top),
            5,
            Format::Percent,
            (0.0, 1.0),
        ),
        y2: None,
        layers,
        legend,
        note: None,
    }))
}

/// Tone against stance score: one dot per unit on small corpora (named on tiny ones), a 2-D histogram
/// past [`MAX_DOTS`] units, so that a large corpus shows where units are dense instead of a blot.
fn tone_vs_stance(t: &Table, density: &Table) -> Result<Option<Plan>> {
    let (x, y) = (t.f64s("compound")?, t.f64s("stance_score")?);
    let (labels, voices) = (t.strs("label")?, t.strs("voice")?);
    if x.is_empty() {
        return Ok(None);
    }
    let (xmin, xmax) = x
        .iter()
        .fold((0.0f64, 0.0f64), |(a, b), &v| (a.min(v), b.max(v)));
    let ymax = y.iter().fold(1.0f64, |a, b| a.max(b.abs()));
    let xa = fitted(
        "Tone: VADER compound",
        (xmin, xmax),
        8,
        Format::Decimal,
        (-1.0, 1.0),
    );
    let ya = fitted(
        "Stance score (leans favor above 0, against below)",
        (-ymax, ymax),
        6,
        Format::Decimal,
        (f64::NEG_INFINITY, f64::INFINITY),
    );
    let axis_lines = Layer::new(
        "zero",
        [128, 128, 128],
        vec![
            Mark::Line {
                points: vec![[xa.lo, 0.0], [xa.hi, 0.0]],
                width: 1,
            },
            Mark::Line {
                points: vec![[0.0, ya.lo], [0.0, ya.hi]],
                width: 1,
            },
        ],
    );
    let mut layers = vec![axis_lines];
    let mut legend = Vec::new();
    let note;
    if x.len() <= MAX_DOTS {
        for (v, c) in VOICE_COLORS {
            let idx: Vec<usize> = (0..x.len()).filter(|&i| voices[i] == v).collect();
            if idx.is_empty() {
                continue;
            }
            let mut layer = Layer::new(
                v,
                c,
                idx.iter()
                    .map(|&i| Mark::Dot {
                        x: x[i],
                        y: y[i],
                        radius: 5,
                    })
                    .collect(),
            );
            layer.opacity = 0.75;
            layers.push(layer);
            legend.push(Key::new(
                format!("{v} (n={})", count(idx.len() as f64)),
                c,
                Shape::Dot,
            ));
        }
        if voices.iter().filter(|v| *v == "comments").count() <= MAX_NAMED {
            let dy = (ya.hi - ya.lo) * 0.025;
            layers.push(Layer::new(
                "names",
                INK,
                (0..x.len())
                    .filter(|&i| voices[i] == "comments" && !labels[i].is_empty())
                    .map(|i| Mark::Text {
                        x: x[i] + 0.02,
                        y: y[i] + dy,
                        text: labels[i].clone(),
                        size: 12,
                        beside: Some([x[i], y[i]]),
                    })
                    .collect(),
            ));
        }
        note = None;
    } else {
        // Cells of 0.05 compound by 0.25 stance score, both voices together, shaded by how many units
        // they hold on a log scale: one shade per power of ten.
        let (dx, dy, dn) = (
            density.f64s("compound")?,
            density.f64s("stance_score")?,
            density.f64s("units")?,
        );
        let mut cells: std::collections::BTreeMap<(i64, i64), f64> = Default::default();
        for i in 0..dx.len() {
            *cells
                .entry(((dx[i] / 0.05).round() as i64, (dy[i] / 0.25).round() as i64))
                .or_default() += dn[i];
        }
        let most = cells.values().fold(1.0f64, |a, &b| a.max(b));
        let decades = (most.log10().floor() as usize + 1).clamp(1, 7);
        let shade = |d: usize| -> Rgb {
            // From a pale to a deep blue, evenly over the decades present.
            let f = if decades == 1 {
                1.0
            } else {
                d as f64 / (decades - 1) as f64
            };
            let mix = |a: f64, b: f64| (a + (b - a) * f).round() as u8;
            [mix(198.0, 8.0), mix(219.0, 48.0), mix(239.0, 107.0)]
        };
        let mut by_decade: Vec<Vec<Mark>> = vec![Vec::new(); decades];
        for (&(cx, cy), &n) in &cells {
            let d = (n.log10().floor() as usize).min(decades - 1);
            let (x0, y0) = (cx as f64 * 0.05 - 0.025, cy as f64 * 0.25 - 0.125);
            by_decade[d].push(Mark::Bar {
                x0: clean(x0.max(xa.lo)),
                y0: clean(y0.max(ya.lo)),
                x1: clean((x0 + 0.05).min(xa.hi)),
                y1: clean((y0 + 0.25).min(ya.hi)),
            });
        }
        for (d, marks) in by_decade.into_iter().enumerate() {
            if marks.is_empty() {
                continue;
            }
            let lo = 10f64.powi(d as i32);
            let label = if d + 1 == decades {
                format!("{}–{} units", count(lo), count(most))
            } else {
                format!("{}–{} units", count(lo), count(lo * 10.0 - 1.0))
            };
            legend.push(Key::new(label.clone(), shade(d), Shape::Square));
            layers.push(Layer::new(label, shade(d), marks));
        }
        note = Some(format!(
            "{} units, too many for a dot each: cells of 0.05 × 0.25, shaded by how many units they hold",
            count(x.len() as f64)
        ));
    }
    let corner = |text: &str, px: f64, py: f64| Mark::Text {
        x: px,
        y: py,
        text: text.into(),
        size: 12,
        beside: None,
    };
    let (l, r) = (
        xa.lo + (xa.hi - xa.lo) * 0.01,
        xa.lo + (xa.hi - xa.lo) * 0.73,
    );
    // "Leans": the label is the decision (none unless one side is likely enough), not the sign.
    let mut quadrants = Layer::new(
        "quadrants",
        [110, 110, 110],
        vec![
            corner("negative tone, leans favor", l, ya.hi * 0.93),
            corner("positive tone, leans favor", r, ya.hi * 0.93),
            corner("negative tone, leans against", l, ya.lo * 0.93),
            corner("positive tone, leans against", r, ya.lo * 0.93),
        ],
    );
    quadrants.opacity = 0.9;
    layers.insert(1, quadrants);
    Ok(Some(Plan {
        name: "tone_vs_stance",
        title: "Tone against stance",
        heading: "Tone against stance: where they disagree".into(),
        x: xa,
        y: ya,
        y2: None,
        layers,
        legend,
        note,
    }))
}

/// Units per period (bars, left axis) and their mean compound (line, right axis).
fn timeline(t: &Table) -> Result<Option<Plan>> {
    let period = t.strs("period")?;
    let (units, mean) = (t.f64s("units")?, t.f64s("mean_compound")?);
    let n = period.len();
    let every = n.div_ceil(MAX_PERIOD_LABELS).max(1);
    let x = Axis {
        desc: "Period".into(),
        lo: -0.5,
        hi: n as f64 - 0.5,
        ticks: (0..n)
            .step_by(every)
            .map(|i| Tick {
                at: i as f64,
                label: period[i].clone(),
            })
            .collect(),
        categorical: false,
    };
    let top = units.iter().fold(0.0f64, |a, &b| a.max(b));
    let (mlo, mhi) = mean
        .iter()
        .filter(|v| !v.is_nan())
        .fold((0.0f64, 0.0f64), |(a, b), &v| (a.min(v), b.max(v)));
    let half = (0.4 * 1.0f64.min(n as f64 / 2.0)).min(0.4);
    let bars = (0..n)
        .map(|i| Mark::Bar {
            x0: clean(i as f64 - half),
            y0: 0.0,
            x1: clean(i as f64 + half),
            y1: units[i],
        })
        .collect();
    let points: Vec<[f64; 2]> = (0..n)
        .filter(|&i| !mean[i].is_nan())
        .map(|i| [i as f64, mean[i]])
        .collect();
    let mut line = Layer::new(
        "mean compound",
        FAVOR,
        vec![Mark::Line {
            points: points.clone(),
            width: 2,
        }],
    );
    line.right = true;
    let mut layers = vec![Layer::new("units", BARS, bars), line];
    let mut legend = vec![
        Key::new("units", BARS, Shape::Square),
        Key::new("mean compound", FAVOR, Shape::Line),
    ];
    if n <= 60 {
        for (s, c) in SENTIMENTS {
            let marks: Vec<Mark> = points
                .iter()
                .filter(|p| crate::model::sentiment_label(p[1]) == s)
                .map(|p| Mark::Dot {
                    x: p[0],
                    y: p[1],
                    radius: 5,
                })
                .collect();
            if !marks.is_empty() {
                let mut l = Layer::new(format!("{s} period"), c, marks);
                l.right = true;
                layers.push(l);
                legend.push(Key::new(format!("{s} period"), c, Shape::Dot));
            }
        }
    }
    Ok(Some(Plan {
        name: "timeline",
        title: "Timeline",
        heading: "Timeline: units and mean compound per period".into(),
        x,
        y: fitted("Units", (0.0, top), 5, Format::Count, (0.0, f64::INFINITY)),
        y2: Some(fitted(
            "Mean compound",
            (mlo, mhi),
            5,
            Format::Decimal,
            (-1.0, 1.0),
        )),
        layers,
        legend,
        note: None,
    }))
}

/// Mean targeted compound per entity with its 95 % interval, entities by name.
fn sentiment_by_entity(t: &Table) -> Result<Option<Plan>> {
    let names = t.strs("name")?;
    let (mean, mentions) = (t.f64s("mean_targeted_compound")?, t.f64s("mentions")?);
    let (lo, hi) = (t.f64s("mean_ci_low")?, t.f64s("mean_ci_high")?);
    let n = names.len();
    let (a, b) = (0..n).fold((0.0f64, 0.0f64), |(a, b), i| {
        (a.min(lo[i]).min(mean[i]), b.max(hi[i]).max(mean[i]))
    });
    let labels: Vec<String> = (0..n)
        .map(|i| format!("{} (n={})", names[i], count(mentions[i])))
        .collect();
    let (mut layers, mut legend) = (Vec::new(), Vec::new());
    for (name, color, positive) in [("mean ≥ 0", POSITIVE, true), ("mean < 0", NEGATIVE, false)] {
        let marks: Vec<Mark> = (0..n)
            .filter(|&i| (mean[i] >= 0.0) == positive && mean[i] != 0.0)
            .map(|i| {
                let y = (n - 1 - i) as f64;
                Mark::Bar {
                    x0: 0.0f64.min(mean[i]),
                    y0: y - 0.3,
                    x1: 0.0f64.max(mean[i]),
                    y1: y + 0.3,
                }
            })
            .collect();
        if !marks.is_empty() {
            layers.push(Layer::new(name, color, marks));
            legend.push(Key::new(name, color, Shape::Square));
        }
    }
    let x = fitted(
        "Mean VADER compound of the clauses that mention it",
        (a, b),
        6,
        Format::Decimal,
        (-1.0, 1.0),
    );
    layers.push(Layer::new(
        "zero",
        [100, 100, 100],
        vec![Mark::Line {
            points: vec![[0.0, -0.5], [0.0, n as f64 - 0.5]],
            width: 1,
        }],
    ));
    let whiskers: Vec<Mark> = (0..n)
        .filter(|&i| !lo[i].is_nan() && !hi[i].is_nan() && hi[i] > lo[i])
        .map(|i| Mark::Whisker {
            vertical: false,
            at: (n - 1 - i) as f64,
            lo: lo[i],
            hi: hi[i],
        })
        .collect();
    if !whiskers.is_empty() {
        legend.push(Key::new("95 % interval", INK, Shape::Line));
    }
    layers.push(Layer::new("95 % interval", INK, whiskers));
    Ok(Some(Plan {
        name: "sentiment_by_entity",
        title: "Targeted sentiment by entity",
        heading: "Targeted sentiment by entity, with 95 % intervals".into(),
        x,
        y: categories("Entity (n = mentions)", &labels, true),
        y2: None,
        layers,
        legend,
        note: None,
    }))
}

/// The compound of each article paragraph in page order; a long article as means of equal runs.
/// The arc's points split where the document changes (`docs` by paragraph; only when each point is one
/// paragraph, `run` 1).
fn segments(points: &[[f64; 2]], docs: &[String], run: usize) -> Vec<Vec<[f64; 2]>> {
    if run > 1 || docs.len() != points.len() {
        return vec![points.to_vec()];
    }
    let mut out: Vec<Vec<[f64; 2]>> = Vec::new();
    for (k, p) in points.iter().enumerate() {
        if k == 0 || docs[k] != docs[k - 1] {
            out.push(Vec::new());
        }
        if let Some(last) = out.last_mut() {
            last.push(*p);
        }
    }
    out
}

fn article_arc(t: &Table) -> Result<Option<Plan>> {
    let (pos, compound) = (t.f64s("position")?, t.f64s("compound")?);
    let docs = t.strs("doc_id")?;
    let n = pos.len();
    let run = n.div_ceil(MAX_ARC_POINTS).max(1);
    let points: Vec<[f64; 2]> = (0..n)
        .step_by(run)
        .map(|s| {
            let e = (s + run).min(n);
            let m = compound[s..e].iter().sum::<f64>() / (e - s) as f64;
            let p = pos[s..e].iter().sum::<f64>() / (e - s) as f64;
            [clean(p), clean(m)]
        })
        .collect();
    let (lo, hi) = points
        .iter()
        .fold((0.0f64, 0.0f64), |(a, b), p| (a.min(p[1]), b.max(p[1])));
    let first = pos.first().copied().unwrap_or(1.0);
    let last = pos.last().copied().unwrap_or(1.0);
    let several = docs.windows(2).any(|w| w[0] != w[1]);
    let mut x = fitted(
        if several {
            "Paragraph, one document after another (the line breaks between them)"
        } else {
            "Paragraph"
        },
        (first, last),
        10,
        Format::Count,
        (0.0, f64::INFINITY),
    );
    // Room for the first and last dot.
    x.lo = clean(x.lo.min(first - 0.5));
    x.hi = clean(x.hi.max(last + 0.5));
    let mut layers = vec![
        Layer::new(
            "zero",
            [128, 128, 128],
            vec![Mark::Line {
                points: vec![[x.lo, 0.0], [x.hi, 0.0]],
                width: 1,
            }],
        ),
        Layer::new(
            "compound",
            FAVOR,
            // One line per document, so that two articles read together are not drawn as one arc;
            // past MAX_ARC_POINTS paragraphs a point is a run's mean and the line is one.
            segments(&points, &docs, run)
                .into_iter()
                .map(|points| Mark::Line { points, width: 2 })
                .collect(),
        ),
    ];
    let mut legend = vec![Key::new("compound", FAVOR, Shape::Line)];
    for (s, c) in SENTIMENTS {
        let marks: Vec<Mark> = points
            .iter()
            .filter(|p| crate::model::sentiment_label(p[1]) == s)
            .map(|p| Mark::Dot {
                x: p[0],
                y: p[1],
                radius: 5,
            })
            .collect();
        if !marks.is_empty() {
            legend.push(Key::new(format!("{s} paragraph"), c, Shape::Dot));
            layers.push(Layer::new(s, c, marks));
        }
    }
    let note = (run > 1).then(|| {
        format!(
            "{} paragraphs: each point is the mean of {run} in a row",
            count(n as f64)
        )
    });
    Ok(Some(Plan {
        name: "article_arc",
        title: "Article arc",
        heading: "Article arc: VADER compound paragraph by paragraph".into(),
        x,
        y: fitted("Compound", (lo, hi), 5, Format::Decimal, (-1.0, 1.0)),
        y2: None,
        layers,
        legend,
        note,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_arc_breaks_between_documents() {
        let points = [[1.0, 0.0], [2.0, 0.4], [3.0, -0.5]];
        let docs: Vec<String> = ["a", "b", "b"].map(String::from).to_vec();
        assert_eq!(
            segments(&points, &docs, 1),
            vec![vec![[1.0, 0.0]], vec![[2.0, 0.4], [3.0, -0.5]]]
        );
        // One document, or points that are runs' means: one line.
        let one: Vec<String> = ["a", "a", "a"].map(String::from).to_vec();
        assert_eq!(segments(&points, &one, 1), vec![points.to_vec()]);
        assert_eq!(segments(&points, &docs, 2), vec![points.to_vec()]);
    }
}
