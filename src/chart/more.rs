//! The second set of charts: how compound is distributed, stance shares with intervals, tone against
//! stance, and the timeline. Same look, palette and fonts as the first set (see `mod.rs`).

use super::{
    AGAINST, Chart, DrawResult, FAVOR, NEGATIVE, NEUTRAL, POSITIVE, caption_style, e, legend,
    legend_at,
};
use crate::aggregate::{HISTOGRAM_BINS, Table};
use plotters::coord::Shift;
use plotters::prelude::*;

/// Okabe–Ito sky blue: the article (journalist).
const ARTICLE: RGBColor = RGBColor(86, 180, 233);
/// Okabe–Ito reddish purple: the comments (readers).
const COMMENTS: RGBColor = RGBColor(204, 121, 167);

/// Grouped histogram: share of article units and of comments in each compound bin of width 0.2.
pub struct Distribution<'a>(pub &'a Table);

impl Chart for Distribution<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        root.fill(&WHITE).map_err(e)?;
        let voices = self.0.strs("voice")?;
        let share = self.0.f64s("share")?;
        let voice_units = self.0.f64s("voice_units")?;
        let series = [("article", ARTICLE), ("comments", COMMENTS)];
        let rows =
            |v: &str| -> Vec<usize> { (0..voices.len()).filter(|&i| voices[i] == v).collect() };
        let shares: Vec<Vec<f64>> = series
            .iter()
            .map(|(v, _)| rows(v).into_iter().map(|i| share[i]).collect())
            .collect();
        let top = shares.iter().flatten().fold(0.1f64, |a, b| a.max(*b));
        let mut chart = ChartBuilder::on(root)
            .caption(
                "Compound distribution: article against comments",
                caption_style(),
            )
            .margin(16)
            .x_label_area_size(44)
            .y_label_area_size(60)
            .build_cartesian_2d(-1f64..1f64, 0f64..top * 1.3)
            .map_err(e)?;
        chart
            .configure_mesh()
            .x_desc("VADER compound (bins of 0.2)")
            .y_desc("Share of the group's units")
            .y_label_formatter(&|y| format!("{:.0}%", y * 100.0))
            .label_style(("sans-serif", 14))
            .axis_desc_style(("sans-serif", 15))
            .draw()
            .map_err(e)?;
        let w = 2.0 / HISTOGRAM_BINS as f64;
        for (s, ((name, color), bins)) in series.iter().zip(&shares).enumerate() {
            let n = rows(name).first().map_or(0.0, |&i| voice_units[i]);
            let c = *color;
            chart
                .draw_series(bins.iter().enumerate().map(|(b, &h)| {
                    let x0 = -1.0 + b as f64 * w + w * 0.1 + s as f64 * w * 0.4;
                    Rectangle::new([(x0, 0.0), (x0 + w * 0.4, h)], c.filled())
                }))
                .map_err(e)?
                .label(format!("{name} (n={n})"))
                .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], c.filled()));
        }
        legend(&mut chart)
    }
}

/// Bars with 95 % whiskers: the share of favor, against and none in each voice, for the first target.
pub struct StanceShares<'a>(pub &'a Table);

impl Chart for StanceShares<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        root.fill(&WHITE).map_err(e)?;
        let (first, rows) = super::first_target_rows(self.0)?;
        let (voice, label) = (self.0.strs("voice")?, self.0.strs("label")?);
        let (units, share, lo, hi) = (
            self.0.f64s("units")?,
            self.0.f64s("share")?,
            self.0.f64s("ci_low")?,
            self.0.f64s("ci_high")?,
        );
        let mut voices: Vec<String> = Vec::new();
        for &i in &rows {
            if !voices.contains(&voice[i]) {
                voices.push(voice[i].clone());
            }
        }
        let groups = voices.len().max(1) as f64;
        let mut chart = ChartBuilder::on(root)
            .caption(
                format!("Stance toward {first}: shares with 95 % intervals"),
                caption_style(),
            )
            .margin(16)
            .x_label_area_size(44)
            .y_label_area_size(60)
            .build_cartesian_2d(0f64..groups, 0f64..1.25f64)
            .map_err(e)?;
        let names = voices.clone();
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(voices.len() * 2 + 1)
            .x_label_formatter(&|x| {
                let k = (x - 0.5).round();
                if (x - 0.5 - k).abs() < 1e-6 && k >= 0.0 {
                    names.get(k as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .y_label_formatter(&|y| {
                if *y <= 1.0 + 1e-9 {
                    format!("{:.0}%", y * 100.0)
                } else {
                    String::new()
                }
            })
            .x_desc("Units (all, the article's, the comments')")
            .y_desc("Share of units")
            .label_style(("sans-serif", 14))
            .axis_desc_style(("sans-serif", 15))
            .draw()
            .map_err(e)?;
        for (li, (name, color)) in [("favor", FAVOR), ("against", AGAINST), ("none", NEUTRAL)]
            .into_iter()
            .enumerate()
        {
            let pts: Vec<(f64, usize)> = rows
                .iter()
                .filter(|&&i| label[i] == name)
                .map(|&i| {
                    (
                        voices.iter().position(|v| *v == voice[i]).unwrap_or(0) as f64
                            + 0.15
                            + li as f64 * 0.23,
                        i,
                    )
                })
                .collect();
            chart
                .draw_series(
                    pts.iter().map(|&(x, i)| {
                        Rectangle::new([(x, 0.0), (x + 0.2, share[i])], color.filled())
                    }),
                )
                .map_err(e)?
                .label(name)
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 6), (x + 14, y + 6)], color.filled())
                });
            chart
                .draw_series(pts.iter().map(|&(x, i)| {
                    ErrorBar::new_vertical(
                        x + 0.1,
                        lo[i],
                        share[i],
                        hi[i],
                        BLACK.stroke_width(1),
                        8,
                    )
                }))
                .map_err(e)?;
            chart
                .draw_series(pts.iter().map(|&(x, i)| {
                    Text::new(
                        format!("{}", units[i]),
                        (x + 0.04, hi[i].max(share[i]) + 0.06),
                        ("sans-serif", 12).into_font(),
                    )
                }))
                .map_err(e)?;
        }
        legend(&mut chart)
    }
}

/// Scatter with quadrants: tone (compound) against stance score; labelled by author on small corpora.
pub struct ToneVsStance<'a>(pub &'a Table, pub &'a Table);

impl Chart for ToneVsStance<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        root.fill(&WHITE).map_err(e)?;
        let (x, y) = (self.0.f64s("compound")?, self.0.f64s("stance_score")?);
        let (labels, voices) = (self.0.strs("label")?, self.0.strs("voice")?);
        let ymax = y.iter().fold(2.0f64, |a, b| a.max(b.abs())) * 1.15;
        let mut chart = ChartBuilder::on(root)
            .caption("Tone against stance: where they disagree", caption_style())
            .margin(16)
            .x_label_area_size(44)
            .y_label_area_size(60)
            .build_cartesian_2d(-1.05f64..1.05f64, -ymax..ymax)
            .map_err(e)?;
        chart
            .configure_mesh()
            .x_desc("Tone: VADER compound")
            .y_desc("Stance score (favor above, against below)")
            .label_style(("sans-serif", 14))
            .axis_desc_style(("sans-serif", 15))
            .draw()
            .map_err(e)?;
        let axis = BLACK.mix(0.5);
        chart
            .draw_series(LineSeries::new([(-1.05, 0.0), (1.05, 0.0)], axis))
            .map_err(e)?;
        chart
            .draw_series(LineSeries::new([(0.0, -ymax), (0.0, ymax)], axis))
            .map_err(e)?;
        let corner = |text: &str, px: f64, py: f64| {
            Text::new(
                text.to_string(),
                (px, py),
                ("sans-serif", 13).into_font().color(&BLACK.mix(0.6)),
            )
        };
        chart
            .draw_series([
                corner("negative tone, favor", -1.0, ymax * 0.95),
                corner("positive tone, favor", 0.45, ymax * 0.95),
                corner("negative tone, against", -1.0, -ymax * 0.85),
                corner("positive tone, against", 0.4, -ymax * 0.85),
            ])
            .map_err(e)?;
        let small = x.len() <= 40;
        // Past a few thousand points each would be an SVG element: bin them instead, area by count.
        let binned = x.len() > 2000;
        for (name, color) in [
            ("article", super::more::ARTICLE),
            ("comments", super::more::COMMENTS),
        ] {
            let idx: Vec<usize> = (0..x.len()).filter(|&i| voices[i] == name).collect();
            let points: Vec<(f64, f64, f64)> = if binned {
                let d = self.1;
                let (dv, dx, dy, dn) = (
                    d.strs("voice")?,
                    d.f64s("compound")?,
                    d.f64s("stance_score")?,
                    d.f64s("units")?,
                );
                (0..dv.len())
                    .filter(|&i| dv[i] == name)
                    .map(|i| (dx[i], dy[i], dn[i]))
                    .collect()
            } else {
                idx.iter().map(|&i| (x[i], y[i], 1.0)).collect()
            };
            let label = if binned {
                format!("{name} (binned; area by count)")
            } else {
                name.to_string()
            };
            chart
                .draw_series(points.iter().map(|&(px, py, n)| {
                    Circle::new(
                        (px, py),
                        (4.0 + n.sqrt()).min(16.0) as i32,
                        color.mix(0.8).filled(),
                    )
                }))
                .map_err(e)?
                .label(label)
                .legend(move |(px, py)| Circle::new((px + 7, py), 5, color.filled()));
            if small && name == "comments" {
                chart
                    .draw_series(idx.iter().map(|&i| {
                        Text::new(
                            labels[i].clone(),
                            (x[i] + 0.02, y[i] + ymax * 0.03),
                            ("sans-serif", 12).into_font(),
                        )
                    }))
                    .map_err(e)?;
            }
        }
        legend_at(&mut chart, SeriesLabelPosition::MiddleLeft)
    }
}

/// Bars and line: units per period and their mean compound.
pub struct Timeline<'a>(pub &'a Table);

impl Chart for Timeline<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        root.fill(&WHITE).map_err(e)?;
        let period = self.0.strs("period")?;
        let (units, mean) = (self.0.f64s("units")?, self.0.f64s("mean_compound")?);
        let n = period.len();
        let top = units.iter().fold(1.0f64, |a, b| a.max(*b)) * 1.3;
        let mut chart = ChartBuilder::on(root)
            .caption(
                "Timeline: units and mean compound per period",
                caption_style(),
            )
            .margin(16)
            .x_label_area_size(60)
            .y_label_area_size(60)
            .right_y_label_area_size(60)
            .build_cartesian_2d(-0.5f64..n as f64 - 0.5, 0f64..top)
            .map_err(e)?
            .set_secondary_coord(-0.5f64..n as f64 - 0.5, -1f64..1f64);
        let names = period.clone();
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(n.min(12))
            .x_label_formatter(&|x| {
                if (x - x.round()).abs() < 1e-6 {
                    names.get(x.round() as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .x_desc("Period")
            .y_desc("Units")
            .label_style(("sans-serif", 13))
            .axis_desc_style(("sans-serif", 15))
            .draw()
            .map_err(e)?;
        chart
            .configure_secondary_axes()
            .y_desc("Mean compound")
            .label_style(("sans-serif", 13))
            .draw()
            .map_err(e)?;
        chart
            .draw_series((0..n).map(|i| {
                Rectangle::new(
                    [(i as f64 - 0.3, 0.0), (i as f64 + 0.3, units[i])],
                    NEUTRAL.filled(),
                )
            }))
            .map_err(e)?
            .label("units")
            .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], NEUTRAL.filled()));
        chart
            .draw_secondary_series(LineSeries::new(
                (0..n).map(|i| (i as f64, mean[i])),
                FAVOR.stroke_width(2),
            ))
            .map_err(e)?
            .label("mean compound")
            .legend(|(x, y)| PathElement::new([(x, y), (x + 14, y)], FAVOR.stroke_width(2)));
        chart
            .draw_secondary_series((0..n).map(|i| {
                let c = if mean[i] >= 0.05 {
                    POSITIVE
                } else if mean[i] <= -0.05 {
                    NEGATIVE
                } else {
                    NEUTRAL
                };
                Circle::new((i as f64, mean[i]), 5, c.filled())
            }))
            .map_err(e)?;
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK.mix(0.4))
            .label_font(("sans-serif", 14))
            .draw()
            .map_err(e)
    }
}
