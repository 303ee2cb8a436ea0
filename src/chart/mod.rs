//! The chart stage: aggregate tables in, PNG and SVG charts out, drawn identically in both formats.
//!
//! Text uses the bundled DejaVu Sans, so charts render on machines without any font package. Colours are
//! from the Okabe–Ito palette, which readers with colour-vision deficiencies can tell apart.

use crate::aggregate::Tables;
use crate::error::{Error, Result, write_err};
use plotters::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Once;

mod draw;
pub mod plan;
pub mod plans;

pub use plan::Plan;

const SIZE: (u32, u32) = (900, 480);
/// The report's chart on a phone: drawn again at a width that shows text at its size on a 390 px screen.
const NARROW: (u32, u32) = (400, 460);
pub(crate) type DrawResult = std::result::Result<(), DrawError>;

/// A drawing failure in words: charts are drawn in memory, so this is a layout problem, never a file.
#[derive(Debug)]
pub(crate) struct DrawError(String);

impl From<Error> for DrawError {
    fn from(e: Error) -> DrawError {
        DrawError(e.to_string())
    }
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
    /// The same chart drawn narrow, as SVG text, for the report on a phone (not written as a file).
    pub narrow_svg: String,
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

fn render(dir: &Path, plan: &Plan) -> Result<Written> {
    fonts();
    let png = dir.join(format!("{}.png", plan.name));
    let svg = dir.join(format!("{}.svg", plan.name));
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
        let backend = draw::CrispText::new(BitMapBackend::with_buffer(&mut pixels, SIZE))
            .map_err(fail(&png))?;
        let root = backend.into_drawing_area();
        draw::plan(plan, &root).map_err(fail(&png))?;
        root.present().map_err(|x| fail(&png)(e(x)))?;
    }
    write_png(&png, &pixels, SIZE)?;
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, SIZE).into_drawing_area();
        draw::plan(plan, &root).map_err(fail(&svg))?;
        root.present().map_err(|x| fail(&svg)(e(x)))?;
    }
    // Labels come from the corpus (authors, entity names); XML 1.0 forbids most control characters.
    std::fs::write(&svg, crate::text::xml_safe(&text).as_bytes()).map_err(write_err(&svg))?;
    let mut narrow = String::new();
    {
        let root = SVGBackend::with_string(&mut narrow, NARROW).into_drawing_area();
        draw::plan(plan, &root).map_err(fail(&svg))?;
        root.present().map_err(|x| fail(&svg)(e(x)))?;
    }
    Ok(Written {
        name: plan.name.into(),
        title: plan.title.into(),
        png,
        svg,
        narrow_svg: crate::text::xml_safe(&narrow).into_owned(),
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

/// The name of the file that holds every chart's plan: axes, ticks, marks and legend, as JSON.
pub const DATA_FILE: &str = "charts.json";

/// Draws every chart into `dir`, and writes their plans to [`DATA_FILE`]. The charts are drawn on the
/// current rayon pool, each on one thread (their files do not depend on which), and listed in order.
pub fn all(dir: &Path, tables: &Tables) -> Result<Vec<Written>> {
    let plans = plans::all(tables)?;
    let data = dir.join(DATA_FILE);
    let json = serde_json::to_string_pretty(&plans).map_err(|x| Error::Chart {
        path: data.clone(),
        reason: x.to_string(),
    })?;
    std::fs::write(&data, json + "\n").map_err(write_err(&data))?;
    use rayon::prelude::*;
    plans.par_iter().map(|p| render(dir, p)).collect()
}
