//! The chart stage: aggregate tables in, PNG and SVG charts out, drawn identically in both formats.
//!
//! Text uses the bundled DejaVu Sans, so charts render on machines without any font package. Colours are
//! from the Okabe–Ito palette, which readers with colour-vision deficiencies can tell apart.

use crate::aggregate::{Table, Tables};
use crate::error::{Error, Result, write_err};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Once;

mod more;

/// Okabe–Ito bluish green: positive sentiment.
pub const POSITIVE: RGBColor = RGBColor(0, 158, 115);
/// Okabe–Ito grey: neutral sentiment, no stance.
pub const NEUTRAL: RGBColor = RGBColor(160, 160, 160);
/// Okabe–Ito vermillion: negative sentiment.
pub const NEGATIVE: RGBColor = RGBColor(213, 94, 0);
/// Okabe–Ito blue: favor.
pub const FAVOR: RGBColor = RGBColor(0, 114, 178);
/// Okabe–Ito orange: against.
pub const AGAINST: RGBColor = RGBColor(230, 159, 0);

const SIZE: (u32, u32) = (900, 480);
pub(crate) type DrawResult = std::result::Result<(), DrawError>;

/// A drawing failure in words: charts are drawn in memory, so this is a layout problem, never a file.
#[derive(Debug)]
pub(crate) struct DrawError(String);

impl From<Error> for DrawError {
    fn from(e: Error) -> DrawError {
        DrawError(e.to_string())
    }
}

/// A chart that can draw itself on any plotters backend.
pub(crate) trait Chart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult;
}

/// A chart written to disk.
#[derive(Debug, Clone)]
pub struct Written {
    /// File stem, for example `sentiment_by_kind`.
    pub name: String,
    /// What it shows.
    pub title: String,
    /// The PNG file.
    pub png: PathBuf,
    /// The SVG file.
    pub svg: PathBuf,
}

fn fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // register_font fails only on invalid font data; DejaVu is known good, and a failure would show
        // as a drawing error naming the chart.
        let _ = plotters::style::register_font(
            "sans-serif",
            FontStyle::Normal,
            dejavu::sans::regular(),
        );
        let _ = plotters::style::register_font("sans-serif", FontStyle::Bold, dejavu::sans::bold());
    });
}

/// A plotters error as a [`DrawError`].
pub(crate) fn e<E: std::fmt::Display>(x: E) -> DrawError {
    DrawError(x.to_string())
}

fn render(dir: &Path, name: &str, title: &str, chart: &impl Chart) -> Result<Written> {
    fonts();
    let png = dir.join(format!("{name}.png"));
    let svg = dir.join(format!("{name}.svg"));
    let fail = |path: &Path| {
        let path = path.to_path_buf();
        move |reason: DrawError| Error::Chart {
            path,
            reason: reason.0,
        }
    };
    // Both are drawn in memory and written by us, so that a failed write (a full disk) is reported as an
    // I/O error naming the file, not as a backend's nested debug text.
    let (w, h) = SIZE;
    let mut pixels = vec![0u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, SIZE).into_drawing_area();
        chart.draw(&root).map_err(fail(&png))?;
        root.present().map_err(|x| fail(&png)(e(x)))?;
    }
    write_png(&png, &pixels, SIZE)?;
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, SIZE).into_drawing_area();
        chart.draw(&root).map_err(fail(&svg))?;
        root.present().map_err(|x| fail(&svg)(e(x)))?;
    }
    // Labels come from the corpus (authors, entity names); XML 1.0 forbids most control characters.
    std::fs::write(&svg, crate::text::xml_safe(&text).as_bytes()).map_err(write_err(&svg))?;
    Ok(Written {
        name: name.into(),
        title: title.into(),
        png,
        svg,
    })
}

/// Encodes RGB pixels as a PNG file.
fn write_png(path: &Path, rgb: &[u8], (w, h): (u32, u32)) -> Result<()> {
    let mut bytes = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut bytes, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        // Per-row filter choice: charts are flat colour and text.
        enc.set_filter(png::Filter::Adaptive);
        enc.write_header()
            .and_then(|mut wr| wr.write_image_data(rgb))
            .map_err(|x| Error::Chart {
                path: path.to_path_buf(),
                reason: format!("encoding the PNG: {x}"),
            })?;
    }
    std::fs::write(path, bytes).map_err(write_err(path))
}

/// Draws every chart into `dir`.
pub fn all(dir: &Path, tables: &Tables) -> Result<Vec<Written>> {
    let mut out = vec![
        render(
            dir,
            "sentiment_by_kind",
            "Sentiment by kind",
            &SentimentShare(&tables.summary),
        )?,
        render(
            dir,
            "stance_by_kind",
            "Stance by kind",
            &StanceCounts(&tables.stance_by_kind),
        )?,
    ];
    out.push(render(
        dir,
        "stance_shares",
        "Stance shares with intervals",
        &more::StanceShares(&tables.stance_summary),
    )?);
    out.push(render(
        dir,
        "compound_distribution",
        "Compound distribution",
        &more::Distribution(&tables.compound_histogram),
    )?);
    out.push(render(
        dir,
        "tone_vs_stance",
        "Tone against stance",
        &more::ToneVsStance(&tables.tone_vs_stance, &tables.tone_stance_density),
    )?);
    if tables.by_date.df.height() > 1 {
        out.push(render(
            dir,
            "timeline",
            "Timeline",
            &more::Timeline(&tables.by_date),
        )?);
    }
    if tables.sentiment_by_entity.df.height() > 0 {
        out.push(render(
            dir,
            "sentiment_by_entity",
            "Targeted sentiment by entity",
            &EntityBars(&tables.sentiment_by_entity),
        )?);
    }
    if tables.article_arc.df.height() > 0 {
        out.push(render(
            dir,
            "article_arc",
            "Article arc",
            &Arc(&tables.article_arc),
        )?);
    }
    Ok(out)
}

pub(crate) fn caption_style() -> TextStyle<'static> {
    TextStyle::from(("sans-serif", 22).into_font().style(FontStyle::Bold)).color(&BLACK)
}

pub(crate) fn legend<'a, DB: DrawingBackend + 'a, CT: plotters::coord::CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
) -> DrawResult {
    legend_at(chart, SeriesLabelPosition::UpperRight)
}

/// The legend at a chosen place, for charts whose upper right holds data.
pub(crate) fn legend_at<'a, DB: DrawingBackend + 'a, CT: plotters::coord::CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    at: SeriesLabelPosition,
) -> DrawResult {
    chart
        .configure_series_labels()
        .position(at)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.4))
        .label_font(("sans-serif", 14))
        .draw()
        .map_err(e)
}

/// The first target of a per-target table and the rows that belong to it: charts show one target.
pub(crate) fn first_target_rows(t: &Table) -> Result<(String, Vec<usize>)> {
    let targets = t.strs("target")?;
    let first = targets.first().cloned().unwrap_or_default();
    let rows = (0..targets.len())
        .filter(|&i| targets[i] == first)
        .collect();
    Ok((first, rows))
}

/// Labels a segmented category axis: the name at each segment's centre, nothing at its edges.
fn category(labels: &[String]) -> impl Fn(&SegmentValue<i32>) -> String + '_ {
    move |v| match v {
        SegmentValue::CenterOf(i) => labels.get(*i as usize).cloned().unwrap_or_default(),
        _ => String::new(),
    }
}

/// Draws stacked horizontal bars: one bar per category (y segment), one stacked piece per series.
fn stacked<'a, DB: DrawingBackend + 'a>(
    chart: &mut ChartContext<
        'a,
        DB,
        Cartesian2d<
            plotters::coord::types::RangedCoordf64,
            plotters::coord::ranged1d::SegmentedCoord<plotters::coord::types::RangedCoordi32>,
        >,
    >,
    series: &[(&str, RGBColor)],
    values: &[Vec<f64>],
) -> DrawResult {
    let n = values.first().map_or(0, Vec::len);
    let mut left = vec![0.0; n];
    for ((name, color), vals) in series.iter().zip(values) {
        let rects: Vec<_> = (0..n)
            .map(|i| {
                let (a, b) = (left[i], left[i] + vals[i]);
                left[i] = b;
                let mut r = Rectangle::new(
                    [
                        (a, SegmentValue::Exact(i as i32)),
                        (b, SegmentValue::Exact(i as i32 + 1)),
                    ],
                    color.filled(),
                );
                r.set_margin(8, 8, 0, 0);
                r
            })
            .collect();
        let c = *color;
        chart
            .draw_series(rects)
            .map_err(e)?
            .label(*name)
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], c.filled()));
    }
    Ok(())
}

/// Horizontal 100 % bars: the share of positive, neutral and negative units per kind.
struct SentimentShare<'a>(&'a Table);

impl Chart for SentimentShare<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        root.fill(&WHITE).map_err(e)?;
        // The summary's first row is all units; the chart compares the kinds.
        let keep: Vec<usize> = self
            .0
            .strs("kind")?
            .iter()
            .enumerate()
            .filter(|(_, k)| *k != "all")
            .map(|(i, _)| i)
            .collect();
        let pick = |v: Vec<f64>| keep.iter().map(|&i| v[i]).collect::<Vec<f64>>();
        let all_kinds = self.0.strs("kind")?;
        let kinds: Vec<String> = keep.iter().map(|&i| all_kinds[i].clone()).collect();
        let units = pick(self.0.f64s("units")?);
        let series = [
            ("positive", POSITIVE),
            ("neutral", NEUTRAL),
            ("negative", NEGATIVE),
        ];
        let shares: Vec<Vec<f64>> = series
            .iter()
            .map(|(n, _)| self.0.f64s(&format!("share_{n}")).map(&pick))
            .collect::<Result<_>>()?;
        let n = kinds.len().max(1) as i32;
        let mut chart = ChartBuilder::on(root)
            .caption(
                "Share of positive, neutral and negative units by kind",
                caption_style(),
            )
            .margin(16)
            .x_label_area_size(44)
            .y_label_area_size(150)
            .build_cartesian_2d(0f64..1.3f64, (0..n - 1).into_segmented())
            .map_err(e)?;
        let labels: Vec<String> = kinds
            .iter()
            .zip(&units)
            .map(|(k, u)| format!("{k} (n={u})"))
            .collect();
        chart
            .configure_mesh()
            .disable_y_mesh()
            .x_desc(format!(
                "Share of units (VADER compound ≥ {} positive, ≤ −{} negative)",
                crate::model::POSITIVE_AT,
                -crate::model::NEGATIVE_AT
            ))
            .y_desc("Kind")
            .x_labels(7)
            .x_label_formatter(&|x| {
                if *x <= 1.0 + 1e-9 {
                    format!("{:.0}%", x * 100.0)
                } else {
                    String::new()
                }
            })
            .y_label_formatter(&category(&labels))
            .label_style(("sans-serif", 14))
            .axis_desc_style(("sans-serif", 15))
            .draw()
            .map_err(e)?;
        stacked(&mut chart, &series, &shares)?;
        legend(&mut chart)
    }
}

/// Horizontal stacked bars: favor, against and none counts per kind, for the first target.
struct StanceCounts<'a>(&'a Table);

impl Chart for StanceCounts<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        root.fill(&WHITE).map_err(e)?;
        let (first, rows) = first_target_rows(self.0)?;
        let kinds = self.0.strs("kind")?;
        let series = [("favor", FAVOR), ("against", AGAINST), ("none", NEUTRAL)];
        let counts: Vec<Vec<f64>> = series
            .iter()
            .map(|(n, _)| self.0.f64s(n))
            .collect::<Result<_>>()?;
        let totals = self.0.f64s("units")?;
        let max = rows.iter().map(|&i| totals[i]).fold(1.0, f64::max);
        let n = rows.len().max(1) as i32;
        let mut chart = ChartBuilder::on(root)
            .caption(format!("Stance toward {first} by kind"), caption_style())
            .margin(16)
            .x_label_area_size(44)
            .y_label_area_size(150)
            .build_cartesian_2d(0f64..max * 1.35, (0..n - 1).into_segmented())
            .map_err(e)?;
        let labels: Vec<String> = rows.iter().map(|&i| kinds[i].clone()).collect();
        chart
            .configure_mesh()
            .disable_y_mesh()
            .x_desc("Units")
            .y_desc("Kind")
            .x_label_formatter(&|x| {
                if *x <= max + 1e-9 && x.fract() == 0.0 {
                    format!("{x:.0}")
                } else {
                    String::new()
                }
            })
            .y_label_formatter(&category(&labels))
            .label_style(("sans-serif", 14))
            .axis_desc_style(("sans-serif", 15))
            .draw()
            .map_err(e)?;
        let picked: Vec<Vec<f64>> = counts
            .iter()
            .map(|c| rows.iter().map(|&i| c[i]).collect())
            .collect();
        stacked(&mut chart, &series, &picked)?;
        legend(&mut chart)
    }
}

/// Line and points: compound of each article paragraph in page order.
struct Arc<'a>(&'a Table);

impl Chart for Arc<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        root.fill(&WHITE).map_err(e)?;
        let pos = self.0.f64s("position")?;
        let compound = self.0.f64s("compound")?;
        let sentiment = self.0.strs("sentiment")?;
        let last = pos.last().copied().unwrap_or(1.0).max(2.0);
        let mut chart = ChartBuilder::on(root)
            .caption(
                "Article arc: VADER compound paragraph by paragraph",
                caption_style(),
            )
            .margin(16)
            .x_label_area_size(44)
            .y_label_area_size(60)
            .build_cartesian_2d(0.5f64..last + 0.5, -1.05f64..1.35f64)
            .map_err(e)?;
        chart
            .configure_mesh()
            .x_desc("Paragraph")
            .y_desc("Compound")
            .x_label_formatter(&|x| {
                if x.fract() == 0.0 {
                    format!("{x:.0}")
                } else {
                    String::new()
                }
            })
            .y_label_formatter(&|y| {
                if *y <= 1.0 + 1e-9 {
                    format!("{y:.1}")
                } else {
                    String::new()
                }
            })
            .label_style(("sans-serif", 14))
            .axis_desc_style(("sans-serif", 15))
            .draw()
            .map_err(e)?;
        chart
            .draw_series(LineSeries::new(
                [(0.5, 0.0), (last + 0.5, 0.0)],
                BLACK.mix(0.5).stroke_width(1),
            ))
            .map_err(e)?
            .label("neutral (0)")
            .legend(|(x, y)| PathElement::new([(x, y), (x + 14, y)], BLACK.mix(0.5)));
        let pts: Vec<(f64, f64)> = pos.iter().copied().zip(compound.iter().copied()).collect();
        chart
            .draw_series(LineSeries::new(pts.clone(), FAVOR.stroke_width(2)))
            .map_err(e)?
            .label("compound")
            .legend(|(x, y)| PathElement::new([(x, y), (x + 14, y)], FAVOR.stroke_width(2)));
        chart
            .draw_series(pts.iter().zip(&sentiment).map(|(&(x, y), s)| {
                let c = match s.as_str() {
                    "positive" => POSITIVE,
                    "negative" => NEGATIVE,
                    _ => NEUTRAL,
                };
                Circle::new((x, y), 5, c.filled())
            }))
            .map_err(e)?;
        legend(&mut chart)
    }
}

/// Diverging horizontal bars: the mean targeted compound of each entity, by mentions.
struct EntityBars<'a>(&'a Table);

impl Chart for EntityBars<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        root.fill(&WHITE).map_err(e)?;
        let names = self.0.strs("entity")?;
        let mean = self.0.f64s("mean_targeted_compound")?;
        let mentions = self.0.f64s("mentions")?;
        let (lo, hi) = (self.0.f64s("mean_ci_low")?, self.0.f64s("mean_ci_high")?);
        let n = names.len().max(1) as i32;
        let mut chart = ChartBuilder::on(root)
            .caption(
                "Targeted sentiment by entity, with 95 % intervals",
                caption_style(),
            )
            .margin(16)
            .x_label_area_size(44)
            .y_label_area_size(170)
            .build_cartesian_2d(-1f64..1.6f64, (0..n - 1).into_segmented())
            .map_err(e)?;
        let labels: Vec<String> = names
            .iter()
            .zip(&mentions)
            .map(|(k, m)| format!("{k} (n={m})"))
            .collect();
        chart
            .configure_mesh()
            .disable_y_mesh()
            .x_desc("Mean VADER compound of the mentions' clauses")
            .y_desc("Entity")
            .x_label_formatter(&|x| {
                if *x <= 1.0 + 1e-9 {
                    format!("{x:.1}")
                } else {
                    String::new()
                }
            })
            .y_label_formatter(&category(&labels))
            .label_style(("sans-serif", 13))
            .axis_desc_style(("sans-serif", 15))
            .draw()
            .map_err(e)?;
        for (name, color, keep) in [("mean ≥ 0", POSITIVE, true), ("mean < 0", NEGATIVE, false)] {
            let bars: Vec<_> = (0..names.len())
                .filter(|&i| (mean[i] >= 0.0) == keep)
                .map(|i| {
                    let mut r = Rectangle::new(
                        [
                            (0.0, SegmentValue::Exact(i as i32)),
                            (mean[i], SegmentValue::Exact(i as i32 + 1)),
                        ],
                        color.filled(),
                    );
                    r.set_margin(6, 6, 0, 0);
                    r
                })
                .collect();
            chart
                .draw_series(bars)
                .map_err(e)?
                .label(name)
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 6), (x + 14, y + 6)], color.filled())
                });
        }
        chart
            .draw_series(LineSeries::new(
                [(0.0, SegmentValue::Exact(0)), (0.0, SegmentValue::Exact(n))],
                BLACK.mix(0.6),
            ))
            .map_err(e)?;
        chart
            .draw_series((0..names.len()).map(|i| {
                ErrorBar::new_horizontal(
                    SegmentValue::CenterOf(i as i32),
                    lo[i],
                    mean[i],
                    hi[i],
                    BLACK.stroke_width(1),
                    8,
                )
            }))
            .map_err(e)?
            .label("95 % interval")
            .legend(|(x, y)| PathElement::new([(x, y), (x + 14, y)], BLACK.stroke_width(1)));
        legend(&mut chart)
    }
}
