//! A chart as data: its axes with their ticks, the marks of each series and the legend, built from the
//! aggregate tables and drawn by `draw.rs` the same way in PNG and SVG. The plans are what the snapshot
//! tests pin, and what `charts.json` gives to readers who restyle the charts in their own tools.
//!
//! Layout rules every chart follows: axes end at the first tick past the data (shares never past
//! 100 %), counts get integer ticks and shares percent ticks, a series without data has no legend key,
//! and the legend sits in its own strip above the plot, never over the data.

use crate::human;
use serde::Serialize;

/// An sRGB colour.
pub type Rgb = [u8; 3];

/// One chart, ready to draw.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    /// File stem, for example `sentiment_by_kind`.
    pub name: &'static str,
    /// Short title, for the report's caption.
    pub title: &'static str,
    /// The heading drawn on the chart.
    pub heading: String,
    /// The horizontal axis.
    pub x: Axis,
    /// The vertical axis.
    pub y: Axis,
    /// A second vertical axis on the right, for layers with `right` set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub y2: Option<Axis>,
    /// What is drawn, back to front.
    pub layers: Vec<Layer>,
    /// The legend: one key per series that has data.
    pub legend: Vec<Key>,
    /// A line under the heading that says how to read the chart (binning, the target shown).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// An axis: its description, its range and its ticks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Axis {
    /// What the axis measures.
    pub desc: String,
    /// Lower end.
    pub lo: f64,
    /// Upper end.
    pub hi: f64,
    /// Ticks, each with its label; gridlines are drawn at them.
    pub ticks: Vec<Tick>,
    /// Whether the ticks name categories (drawn whole or cut, never thinned out) rather than values.
    #[serde(skip)]
    pub categorical: bool,
}

/// A tick: where, and what it says.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tick {
    /// Position on the axis.
    pub at: f64,
    /// Its label.
    pub label: String,
}

/// One series' marks in one colour.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Layer {
    /// The series (for readers of charts.json; the legend is separate).
    pub series: String,
    /// Fill or stroke colour.
    pub color: Rgb,
    /// Opacity from 0 to 1.
    pub opacity: f64,
    /// Measured on the right axis.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub right: bool,
    /// The marks.
    pub marks: Vec<Mark>,
}

/// A mark in data coordinates.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    /// A filled rectangle.
    Bar {
        /// Left.
        x0: f64,
        /// Bottom.
        y0: f64,
        /// Right.
        x1: f64,
        /// Top.
        y1: f64,
    },
    /// A filled circle with a radius in pixels.
    Dot {
        /// Centre, horizontal.
        x: f64,
        /// Centre, vertical.
        y: f64,
        /// Radius in pixels.
        radius: u32,
    },
    /// A polyline with a width in pixels.
    Line {
        /// The points.
        points: Vec<[f64; 2]>,
        /// Stroke width in pixels.
        width: u32,
    },
    /// An interval: a line from `lo` to `hi` with end caps, across the axis at `at`.
    Whisker {
        /// Vertical (an interval of y at x = `at`) or horizontal.
        vertical: bool,
        /// Position across the interval.
        at: f64,
        /// Low end.
        lo: f64,
        /// High end.
        hi: f64,
    },
    /// Text anchored at its left end, vertically centred.
    Text {
        /// Anchor, horizontal.
        x: f64,
        /// Anchor, vertical.
        y: f64,
        /// What it says.
        text: String,
        /// Font size in pixels.
        size: u32,
        /// The point it names, when it names one: the text may then go to the point's left, or a line up
        /// or down, to keep clear of other texts and dots.
        #[serde(skip_serializing_if = "Option::is_none")]
        beside: Option<[f64; 2]>,
    },
}

/// A legend key.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Key {
    /// What it says.
    pub label: String,
    /// Its colour.
    pub color: Rgb,
    /// How the series is drawn.
    pub shape: Shape,
}

/// The symbol of a legend key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    /// A filled square (bars, cells).
    Square,
    /// A line.
    Line,
    /// A dot.
    Dot,
}

impl Layer {
    /// A layer of `marks` in `color`, fully opaque, on the left axis.
    pub fn new(series: impl Into<String>, color: Rgb, marks: Vec<Mark>) -> Layer {
        Layer {
            series: series.into(),
            color,
            opacity: 1.0,
            right: false,
            marks,
        }
    }
}

impl Key {
    /// A legend key.
    pub fn new(label: impl Into<String>, color: Rgb, shape: Shape) -> Key {
        Key {
            label: label.into(),
            color,
            shape,
        }
    }
}

/// How tick labels are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Whole numbers with thousands separators; ticks are never fractional.
    Count,
    /// Shares (0–1) as percentages.
    Percent,
    /// Plain decimals with as many places as the step needs.
    Decimal,
}

/// A step of 1, 2, 2.5 or 5 times a power of ten, so that about `most` steps cover `span`. Counts use
/// whole steps of 1, 2 or 5 times a power of ten.
fn step(span: f64, most: usize, format: Format) -> f64 {
    let raw = (span / most.max(1) as f64).max(f64::MIN_POSITIVE);
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    let nice = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 2.5 && format != Format::Count {
        2.5
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    let s = nice * mag;
    if format == Format::Count {
        s.max(1.0)
    } else {
        s
    }
}

/// The decimal places a label needs to show ticks `step` apart.
fn places(step: f64) -> usize {
    let mut p = 0;
    while p < 6
        && ((step * 10f64.powi(p as i32)).round() - step * 10f64.powi(p as i32)).abs() > 1e-6
    {
        p += 1;
    }
    p
}

/// The label of a tick at `v` when ticks are `step` apart.
pub fn label(v: f64, step: f64, format: Format) -> String {
    match format {
        Format::Count => human::count(v),
        Format::Percent => format!("{}%", human::decimal(v * 100.0, places(step * 100.0))),
        Format::Decimal => human::decimal(v, places(step)),
    }
}

/// An axis that covers `lo..=hi` and ends on ticks, with about `most` intervals, limited to `bounds`
/// (shares to 0–1, compound to −1–1).
pub fn fitted(
    desc: impl Into<String>,
    (lo, hi): (f64, f64),
    most: usize,
    format: Format,
    bounds: (f64, f64),
) -> Axis {
    let (mut lo, mut hi) = (lo.max(bounds.0), hi.min(bounds.1));
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        // No spread (one value, or none): a unit-wide axis around it, within the bounds.
        let c = if lo.is_finite() { lo } else { 0.0 };
        let w = if format == Format::Count { 1.0 } else { 0.1 };
        lo = (c - w).max(bounds.0);
        hi = (c + w).min(bounds.1);
        if hi <= lo {
            hi = lo + w;
        }
    }
    let s = step(hi - lo, most, format);
    // The tolerance keeps a value that sits on a tick (16 with steps of 2) from reaching the next one.
    let first = (lo / s + 1e-9).floor();
    let last = (hi / s - 1e-9).ceil();
    let (a, b) = ((first * s).max(bounds.0), (last * s).min(bounds.1));
    let ticks = (first as i64..=last as i64)
        .map(|k| k as f64 * s)
        .filter(|&v| v >= a - 1e-9 && v <= b + 1e-9)
        .map(|v| Tick {
            at: clean(v),
            label: label(v, s, format),
        })
        .collect();
    Axis {
        desc: desc.into(),
        lo: clean(a),
        hi: clean(b),
        ticks,
        categorical: false,
    }
}

/// Categories on an axis: category `k` of `n` centred at `n − 1 − k`, so that the first is at the top
/// of a vertical axis; on a horizontal axis the caller centres category `k` at `k`.
pub fn categories(desc: impl Into<String>, labels: &[String], top_down: bool) -> Axis {
    let n = labels.len();
    Axis {
        desc: desc.into(),
        lo: -0.5,
        hi: n.max(1) as f64 - 0.5,
        ticks: labels
            .iter()
            .enumerate()
            .map(|(k, l)| Tick {
                at: if top_down {
                    (n - 1 - k) as f64
                } else {
                    k as f64
                },
                label: l.clone(),
            })
            .collect(),
        categorical: true,
    }
}

/// A value with float noise and negative zero removed, so that plans compare and print cleanly.
pub fn clean(v: f64) -> f64 {
    let r = (v * 1e9).round() / 1e9;
    if r == 0.0 { 0.0 } else { r }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(a: &Axis) -> Vec<&str> {
        a.ticks.iter().map(|t| t.label.as_str()).collect()
    }

    #[test]
    fn counts_get_whole_ticks_and_end_at_the_data() {
        let a = fitted("units", (0.0, 3.0), 6, Format::Count, (0.0, f64::INFINITY));
        assert_eq!(labels(&a), ["0", "1", "2", "3"]);
        assert_eq!((a.lo, a.hi), (0.0, 3.0));
        let a = fitted(
            "units",
            (0.0, 8123.0),
            6,
            Format::Count,
            (0.0, f64::INFINITY),
        );
        assert_eq!(
            labels(&a),
            ["0", "2,000", "4,000", "6,000", "8,000", "10,000"]
        );
        assert!(a.ticks.iter().all(|t| t.at.fract() == 0.0));
    }

    #[test]
    fn shares_never_pass_100_percent() {
        let a = fitted("share", (0.0, 0.97), 5, Format::Percent, (0.0, 1.0));
        assert_eq!(a.hi, 1.0);
        assert_eq!(labels(&a), ["0%", "20%", "40%", "60%", "80%", "100%"]);
        let a = fitted("share", (0.0, 0.31), 5, Format::Percent, (0.0, 1.0));
        assert_eq!(labels(&a), ["0%", "10%", "20%", "30%", "40%"]);
    }

    #[test]
    fn no_negative_zero_tick() {
        let a = fitted("compound", (-0.31, 0.12), 5, Format::Decimal, (-1.0, 1.0));
        assert!(labels(&a).contains(&"0.0"), "{:?}", labels(&a));
        assert!(
            !labels(&a)
                .iter()
                .any(|l| l.contains("−0.0") || l.contains("-0"))
        );
        assert_eq!(labels(&a)[0], "−0.4");
    }

    #[test]
    fn a_single_value_still_gets_an_axis() {
        let a = fitted("units", (5.0, 5.0), 5, Format::Count, (0.0, f64::INFINITY));
        assert!(a.lo <= 5.0 && a.hi >= 5.0 && a.hi > a.lo);
        let a = fitted("compound", (1.0, 1.0), 5, Format::Decimal, (-1.0, 1.0));
        assert!(a.lo < 1.0 && a.hi == 1.0);
    }
}
