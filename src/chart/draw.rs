//! Draws a [`Plan`] on any plotters backend: heading, note and legend in their own strips above the
//! plot, then the axes with exactly the plan's ticks (no minor gridlines), then the layers.
//!
//! PNG text goes through [`CrispText`]: plotters 0.3.7 places each glyph at the pen position without
//! its left side bearing and truncates the pen to whole pixels, so PNG labels came out letter-spaced
//! ("artic le"). The SVG backend writes `<text>` and is not affected.

use super::plan::{Axis, Mark, Plan, Rgb, Shape};
use super::{DrawError, DrawResult, e};
use plotters::coord::Shift;
use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, Ranged, ValueFormatter};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_backend::text_anchor::{HPos as BH, VPos as BV};
use plotters_backend::{BackendColor, BackendCoord, BackendTextStyle, DrawingErrorKind};

const TITLE: u32 = 22;
const NOTE: u32 = 13;
const LEGEND: u32 = 14;
const LABEL: u32 = 14;
const DESC: u32 = 15;
const MARGIN: i32 = 16;

fn rgb(c: Rgb) -> RGBColor {
    RGBColor(c[0], c[1], c[2])
}

/// The label of the tick at `v`, if `v` is one of the axis's ticks.
fn tick_label(axis: &Axis, v: f64) -> String {
    let tol = (axis.hi - axis.lo).abs() * 1e-6 + 1e-12;
    axis.ticks
        .iter()
        .find(|t| (t.at - v).abs() <= tol)
        .map(|t| t.label.clone())
        .unwrap_or_default()
}

/// A linear axis whose key points are exactly the plan's ticks, with no light (minor) points. plotters'
/// own `with_key_points` combinator loses the float axis's label formatter, so the mesh cannot be drawn.
#[derive(Clone)]
struct Ticked {
    lo: f64,
    hi: f64,
    ticks: Vec<f64>,
}

impl Ranged for Ticked {
    type FormatOption = NoDefaultFormatting;
    type ValueType = f64;

    /// As plotters maps its float axes, so that marks land on the same pixels.
    fn map(&self, v: &f64, limit: (i32, i32)) -> i32 {
        let logic = (v - self.lo) / (self.hi - self.lo);
        let actual = limit.1 - limit.0;
        if actual == 0 || !logic.is_finite() {
            return limit.1;
        }
        if actual > 0 {
            limit.0 + (f64::from(actual) * logic + 1e-3).floor() as i32
        } else {
            limit.0 + (f64::from(actual) * logic - 1e-3).ceil() as i32
        }
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.lo..self.hi
    }
}

impl ValueFormatter<f64> for Ticked {
    fn format(v: &f64) -> String {
        v.to_string()
    }
}

fn range(axis: &Axis) -> Ticked {
    Ticked {
        lo: axis.lo,
        hi: axis.hi,
        ticks: axis.ticks.iter().map(|t| t.at).collect(),
    }
}

/// The widest of `labels` in pixels at `size`.
fn widest<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    labels: impl Iterator<Item = String>,
    size: u32,
) -> u32 {
    let font = ("sans-serif", size).into_font();
    labels
        .map(|l| {
            root.estimate_text_size(&l, &TextStyle::from(font.clone()))
                .map_or(0, |(w, _)| w)
        })
        .max()
        .unwrap_or(0)
}

/// `text` broken into lines no wider than `room` pixels at `font`, at spaces (a word wider than the room
/// keeps its own line).
fn wrap<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    font: &TextStyle<'_>,
    room: i32,
) -> Vec<String> {
    let fits = |s: &str| fits(root, s, font, room);
    let mut lines: Vec<String> = Vec::new();
    for word in text.split(' ') {
        match lines.last_mut() {
            Some(line) if fits(&format!("{line} {word}")) => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// Whether `text` is at most `room` pixels wide at `font`.
fn fits<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    font: &TextStyle<'_>,
    room: i32,
) -> bool {
    root.estimate_text_size(text, font)
        .map_or(true, |(w, _)| w as i32 <= room)
}

/// `label` cut to at most `room` pixels at `font`, with an ellipsis when cut.
fn cut<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    label: &str,
    font: &TextStyle<'_>,
    room: i32,
) -> String {
    let fits = |s: &str| fits(root, s, font, room);
    if fits(label) {
        return label.to_string();
    }
    let chars: Vec<char> = label.chars().collect();
    let mut n = chars.len();
    while n > 1 {
        n -= 1;
        let s: String = chars[..n].iter().collect::<String>() + "\u{2026}";
        if fits(&s) {
            return s;
        }
    }
    "\u{2026}".to_string()
}

/// Draws `plan` on `root`. A narrow area (a phone's width) gets the same chart with the heading and
/// note wrapped, long category labels cut and crowded tick labels thinned.
pub fn plan<DB: DrawingBackend>(plan: &Plan, root: &DrawingArea<DB, Shift>) -> DrawResult {
    root.fill(&WHITE).map_err(e)?;
    let (width, _) = root.dim_in_pixel();
    let room = width as i32 - 2 * MARGIN;
    let mut y = MARGIN / 2;
    let title = TextStyle::from(("sans-serif", TITLE).into_font().style(FontStyle::Bold))
        .color(&BLACK)
        .pos(Pos::new(HPos::Center, VPos::Top));
    for line in wrap(root, &plan.heading, &title, room) {
        root.draw(&Text::new(line, (width as i32 / 2, y), title.clone()))
            .map_err(e)?;
        y += TITLE as i32 + 6;
    }
    if let Some(note) = &plan.note {
        let style = TextStyle::from(("sans-serif", NOTE).into_font())
            .color(&RGBColor(90, 90, 90))
            .pos(Pos::new(HPos::Center, VPos::Top));
        for line in wrap(root, note, &style, room) {
            root.draw(&Text::new(line, (width as i32 / 2, y), style.clone()))
                .map_err(e)?;
            y += NOTE as i32 + 6;
        }
    }
    y = legend(plan, root, y)?;
    let (_, body) = root.split_vertically(y + 4);
    axes_and_layers(&fit_axes(plan, &body), &body)
}

/// The plan with its tick labels fitted to the area: category labels on the left axis cut to 40 % of
/// the width, and on the horizontal axis every k-th label kept when the labels would touch. Positions
/// and marks are unchanged.
fn fit_axes<DB: DrawingBackend>(plan: &Plan, body: &DrawingArea<DB, Shift>) -> Plan {
    let (width, height) = body.dim_in_pixel();
    let font = TextStyle::from(("sans-serif", LABEL).into_font());
    let mut p = plan.clone();
    let most = (width as f64 * 0.4) as i32;
    for t in &mut p.y.ticks {
        t.label = cut(body, &t.label, &font, most);
    }
    // The plot, about: the body less the margins and the label areas (as axes_and_layers lays it out).
    let side = |a: &Axis| {
        widest(body, a.ticks.iter().map(|t| t.label.clone()), LABEL) as i32 + DESC as i32 + 22
    };
    let plot = width as i32 - 2 * MARGIN - side(&p.y) - p.y2.as_ref().map_or(0, side);
    let plot_h = height as i32 - 48 - 8;
    // An axis description longer than its side of the plot loses its parenthesis (the wide chart keeps
    // it), then whatever still does not fit.
    let desc = TextStyle::from(("sans-serif", DESC).into_font());
    let mut axes: Vec<(&mut Axis, i32)> = vec![(&mut p.x, plot), (&mut p.y, plot_h)];
    if let Some(y2) = &mut p.y2 {
        axes.push((y2, plot_h));
    }
    for (a, room) in axes {
        if !fits(body, &a.desc, &desc, room) {
            if let Some(k) = a.desc.find(" (") {
                a.desc.truncate(k);
            }
            a.desc = cut(body, &a.desc, &desc, room);
        }
    }
    let n = p.x.ticks.len() as i32;
    let need = widest(body, p.x.ticks.iter().map(|t| t.label.clone()), LABEL) as i32 + 10;
    if p.x.categorical && n > 0 && plot > 0 {
        // Every category keeps its name, cut to its slot.
        let slot = plot / n - 6;
        for t in &mut p.x.ticks {
            t.label = cut(body, &t.label, &font, slot);
        }
    } else if n > 1 && plot > 0 && need * n > plot {
        // Every k-th label; k is stretched to divide the number of gaps, so that the last tick (100 %,
        // the axis end) keeps its label too, when a divisor at most about twice k exists (eight hourly
        // periods, 7 gaps, had kept 09:00 and 16:00 alone).
        let mut every = ((need * n) as u32).div_ceil(plot as u32).max(1) as usize;
        let gaps = n as usize - 1;
        if let Some(k) = (every..=2 * every + 1).find(|k| gaps.is_multiple_of(*k)) {
            every = k;
        }
        for (k, t) in p.x.ticks.iter_mut().enumerate() {
            if k % every != 0 {
                t.label.clear();
            }
        }
    }
    p
}

/// The legend as rows of keys, centred, wrapped to the width; returns the y below it.
fn legend<DB: DrawingBackend>(
    plan: &Plan,
    root: &DrawingArea<DB, Shift>,
    top: i32,
) -> Result<i32, DrawError> {
    if plan.legend.is_empty() {
        return Ok(top);
    }
    let (width, _) = root.dim_in_pixel();
    let font = ("sans-serif", LEGEND).into_font();
    let sizes: Vec<i32> = plan
        .legend
        .iter()
        .map(|k| {
            root.estimate_text_size(&k.label, &TextStyle::from(font.clone()))
                .map_or(60, |(w, _)| w as i32)
                + 22
        })
        .collect();
    // Greedy rows within the width.
    let mut rows: Vec<Vec<usize>> = vec![Vec::new()];
    let mut used = 0;
    let room = width as i32 - 2 * MARGIN;
    for (i, &w) in sizes.iter().enumerate() {
        if used + w > room && !rows.last().is_some_and(Vec::is_empty) {
            rows.push(Vec::new());
            used = 0;
        }
        used += w + 18;
        if let Some(r) = rows.last_mut() {
            r.push(i);
        }
    }
    let line = LEGEND as i32 + 8;
    for (r, row) in rows.iter().enumerate() {
        let total: i32 = row.iter().map(|&i| sizes[i] + 18).sum::<i32>() - 18;
        let mut x = (width as i32 - total) / 2;
        let cy = top + r as i32 * line + line / 2;
        for &i in row {
            let k = &plan.legend[i];
            let c = rgb(k.color);
            match k.shape {
                Shape::Square => root
                    .draw(&Rectangle::new([(x, cy - 6), (x + 14, cy + 6)], c.filled()))
                    .map_err(e)?,
                Shape::Line => root
                    .draw(&PathElement::new(
                        [(x, cy), (x + 14, cy)],
                        c.stroke_width(2),
                    ))
                    .map_err(e)?,
                Shape::Dot => root
                    .draw(&Circle::new((x + 7, cy), 5, c.filled()))
                    .map_err(e)?,
            }
            let style = TextStyle::from(font.clone())
                .color(&BLACK)
                .pos(Pos::new(HPos::Left, VPos::Center));
            root.draw(&Text::new(k.label.clone(), (x + 20, cy), style))
                .map_err(e)?;
            x += sizes[i] + 18;
        }
    }
    Ok(top + rows.len() as i32 * line)
}

/// Pixels kept free past an axis end that a dot, a line's point or a whisker sits on, so that it is drawn
/// whole (a dot's radius and its outline), not cut in half by the plot's edge.
const END_ROOM: f64 = 7.0;

/// The plan with each axis's range stretched by [`END_ROOM`] pixels at an end where a dot, line point or
/// whisker lies (bars may touch the end: they stand on it). The ticks stay, so the labels do not change.
fn room_at_ends(plan: &Plan, (pw, ph): (u32, u32)) -> Plan {
    let mut p = plan.clone();
    let mut xs: Vec<f64> = Vec::new();
    let (mut ys, mut y2s): (Vec<f64>, Vec<f64>) = (Vec::new(), Vec::new());
    for layer in &plan.layers {
        let ys = if layer.right { &mut y2s } else { &mut ys };
        for m in &layer.marks {
            match m {
                Mark::Dot { x, y, .. } => {
                    xs.push(*x);
                    ys.push(*y);
                }
                Mark::Line { points, .. } => {
                    for q in points {
                        xs.push(q[0]);
                        ys.push(q[1]);
                    }
                }
                Mark::Whisker {
                    vertical: true,
                    lo,
                    hi,
                    ..
                } => ys.extend([*lo, *hi]),
                Mark::Whisker { lo, hi, .. } => xs.extend([*lo, *hi]),
                Mark::Bar { .. } | Mark::Text { .. } => {}
            }
        }
    }
    let stretch = |a: &mut Axis, vs: &[f64], px: u32| {
        let span = a.hi - a.lo;
        if span.is_nan() || span <= 0.0 || px == 0 {
            return;
        }
        let room = span * END_ROOM / f64::from(px);
        let near = |v: f64, end: f64| (v - end).abs() < room;
        if vs.iter().any(|&v| near(v, a.hi)) {
            a.hi += room;
        }
        if vs.iter().any(|&v| near(v, a.lo)) {
            a.lo -= room;
        }
    };
    stretch(&mut p.x, &xs, pw);
    stretch(&mut p.y, &ys, ph);
    if let Some(y2) = &mut p.y2 {
        stretch(y2, &y2s, ph);
    }
    p
}

fn axes_and_layers<DB: DrawingBackend>(plan: &Plan, area: &DrawingArea<DB, Shift>) -> DrawResult {
    let left = widest(area, plan.y.ticks.iter().map(|t| t.label.clone()), LABEL) + DESC + 22;
    let right = plan.y2.as_ref().map_or(MARGIN as u32, |a| {
        widest(area, a.ticks.iter().map(|t| t.label.clone()), LABEL) + DESC + 22
    });
    let (aw, ah) = area.dim_in_pixel();
    let plot = (
        aw.saturating_sub(left + right + 2 * MARGIN as u32),
        ah.saturating_sub(48 + 8),
    );
    let plan = &room_at_ends(plan, plot);
    let mut builder = ChartBuilder::on(area);
    builder
        .margin_left(MARGIN as u32)
        .margin_right(MARGIN as u32)
        .margin_bottom(8)
        .x_label_area_size(48)
        .y_label_area_size(left);
    if plan.y2.is_some() {
        builder.right_y_label_area_size(right);
    }
    let mut chart = builder
        .build_cartesian_2d(range(&plan.x), range(&plan.y))
        .map_err(e)?;
    let (xf, yf) = (
        |v: &f64| tick_label(&plan.x, *v),
        |v: &f64| tick_label(&plan.y, *v),
    );
    let (pw, ph) = chart.plotting_area().dim_in_pixel();
    let per_px = (
        (plan.x.hi - plan.x.lo) / f64::from(pw.max(1)),
        (plan.y.hi - plan.y.lo) / f64::from(ph.max(1)),
    );
    let Some(y2) = &plan.y2 else {
        mesh(&mut chart, plan, &xf, &yf)?;
        let mut placed = Placed::default();
        for layer in &plan.layers {
            draw_layer(&chart, layer, per_px, &mut placed)?;
        }
        return Ok(());
    };
    // With a second axis the mesh is configured on the dual context, so that the left axis's labels
    // stay on the left.
    let mut dual = chart.set_secondary_coord(range(&plan.x), range(y2));
    mesh(&mut dual, plan, &xf, &yf)?;
    let f2 = |v: &f64| tick_label(y2, *v);
    dual.configure_secondary_axes()
        .y_label_formatter(&f2)
        .y_desc(y2.desc.clone())
        .label_style(("sans-serif", LABEL))
        .axis_desc_style(("sans-serif", DESC))
        .draw()
        .map_err(e)?;
    let per_px2 = (per_px.0, (y2.hi - y2.lo) / f64::from(ph.max(1)));
    let mut placed = Placed::default();
    for layer in &plan.layers {
        if layer.right {
            draw_layer(dual.borrow_secondary(), layer, per_px2, &mut placed)?;
        } else {
            draw_layer(&dual, layer, per_px, &mut placed)?;
        }
    }
    Ok(())
}

/// The axes, gridlines at the plan's ticks only, and the axis descriptions.
fn mesh<DB: DrawingBackend>(
    chart: &mut Ctx<'_, DB>,
    plan: &Plan,
    xf: &dyn Fn(&f64) -> String,
    yf: &dyn Fn(&f64) -> String,
) -> DrawResult {
    chart
        .configure_mesh()
        .bold_line_style(BLACK.mix(0.12))
        .light_line_style(TRANSPARENT)
        .x_label_formatter(xf)
        .y_label_formatter(yf)
        .x_desc(plan.x.desc.clone())
        .y_desc(plan.y.desc.clone())
        .label_style(("sans-serif", LABEL))
        .axis_desc_style(("sans-serif", DESC))
        .draw()
        .map_err(e)
}

type Ctx<'a, DB> = ChartContext<'a, DB, Cartesian2d<Ticked, Ticked>>;

/// A pixel box: left, vertical middle, width, height.
type PxBox = (i32, i32, i32, i32);

/// What a chart has drawn so far, as pixel boxes: its texts, which later texts keep clear of, and its
/// dots, which later texts that name a point keep clear of too.
#[derive(Default)]
struct Placed {
    texts: Vec<PxBox>,
    dots: Vec<PxBox>,
}

/// Draws one layer's marks; `per_px` is the data size of one pixel on each axis (for whisker caps);
/// `placed` holds what the chart has drawn so far, which this layer's texts keep clear of and join.
fn draw_layer<DB: DrawingBackend>(
    chart: &Ctx<'_, DB>,
    layer: &super::plan::Layer,
    per_px: (f64, f64),
    placed: &mut Placed,
) -> DrawResult {
    let c = rgb(layer.color).mix(layer.opacity);
    let area = chart.plotting_area();
    for m in &layer.marks {
        match m {
            Mark::Bar { x0, y0, x1, y1 } => {
                area.draw(&Rectangle::new([(*x0, *y0), (*x1, *y1)], c.filled()))
            }
            Mark::Dot { x, y, radius } => {
                let (px, py) = chart.backend_coord(&(*x, *y));
                let r = *radius as i32;
                placed.dots.push((px - r, py, 2 * r, 2 * r));
                area.draw(&Circle::new((*x, *y), r, c.filled()))
            }
            Mark::Line { points, width } => area.draw(&PathElement::new(
                points.iter().map(|p| (p[0], p[1])).collect::<Vec<_>>(),
                c.stroke_width(*width),
            )),
            Mark::Whisker {
                vertical,
                at,
                lo,
                hi,
            } => {
                let cap = |v: f64| -> Vec<(f64, f64)> {
                    if *vertical {
                        vec![(at - 6.0 * per_px.0, v), (at + 6.0 * per_px.0, v)]
                    } else {
                        vec![(v, at - 6.0 * per_px.1), (v, at + 6.0 * per_px.1)]
                    }
                };
                let stem = if *vertical {
                    vec![(*at, *lo), (*at, *hi)]
                } else {
                    vec![(*lo, *at), (*hi, *at)]
                };
                [stem, cap(*lo), cap(*hi)]
                    .into_iter()
                    .try_for_each(|p| area.draw(&PathElement::new(p, c.stroke_width(1))))
            }
            Mark::Text {
                x,
                y,
                text,
                size,
                beside,
            } => {
                let style = TextStyle::from(("sans-serif", *size).into_font())
                    .color(&c)
                    .pos(Pos::new(HPos::Left, VPos::Center));
                let (px, py) = chart.backend_coord(&(*x, *y));
                let (w, h) = area
                    .estimate_text_size(text, &style)
                    .map_or((0, 0), |(w, h)| (w as i32, h as i32));
                // A label that would run past the plot's right edge (a narrow chart) ends at the edge.
                let over = (px + w + 2 - area.get_pixel_range().0.end).max(0);
                let (xs, ys) = area.get_pixel_range();
                let (dx, dy) = match beside {
                    Some(p) => {
                        let (dot_x, dot_y) = chart.backend_coord(&(p[0], p[1]));
                        beside_spot(
                            placed,
                            ((dot_x, dot_y), (px - dot_x, py - dot_y)),
                            (w, h),
                            ((xs.start, xs.end), (ys.start, ys.end)),
                        )
                        .unwrap_or((-over, 0))
                    }
                    None => (
                        -over,
                        free_spot(&placed.texts, (px - over, py), (w, h), (ys.start, ys.end)),
                    ),
                };
                placed.texts.push((px + dx, py + dy, w, h));
                let at = (x + f64::from(dx) * per_px.0, y - f64::from(dy) * per_px.1);
                area.draw(&Text::new(text.clone(), at, style))
            }
        }
        .map_err(e)?;
    }
    Ok(())
}

/// Where a text of size `(w, h)` that names the dot at `dot` goes, as a pixel shift from its intended
/// spot `dot + off` (to the dot's right): there, to the dot's left at the same distance, a line below or
/// above either, or two lines below or above the intended spot; the first inside the plot (`bounds`:
/// its columns and rows) that keeps clear of the texts and of the other dots drawn before, else the first
/// that keeps clear of the texts alone, else none.
fn beside_spot(
    placed: &Placed,
    ((dx, dy), (ox, oy)): ((i32, i32), (i32, i32)),
    (w, h): (i32, i32),
    (xs, ys): ((i32, i32), (i32, i32)),
) -> Option<(i32, i32)> {
    let line = h + 2;
    // The left spot mirrors the right one about the dot: as far from it, ending where the other starts.
    let left = -(2 * ox + w);
    let spots = [
        (0, 0),
        (left, 0),
        (0, line),
        (0, -line),
        (left, line),
        (left, -line),
        (0, 2 * line),
        (0, -2 * line),
    ];
    // A spot on another line than the dot's may slide along it to stay inside the plot (a dot near its
    // right edge); one on the dot's line may not, as it would cover the dot.
    let at = |(sx, sy): (i32, i32)| {
        let x = dx + ox + sx;
        let x = if sy == 0 {
            x
        } else {
            x.min(xs.1 - w).max(xs.0)
        };
        (x, dy + oy + sy)
    };
    let inside =
        |(x, y): (i32, i32)| x >= xs.0 && x + w <= xs.1 && y - h / 2 >= ys.0 && y + h / 2 <= ys.1;
    // Texts closer than 6 pixels side by side read as one; a dot only needs not to be covered.
    let clear = |(x, y): (i32, i32), boxes: &[PxBox], gap: i32| {
        boxes.iter().all(|&(bx, by, bw, bh)| {
            !(x < bx + bw + gap && bx < x + w + gap && (y - by).abs() * 2 < h + bh)
        })
    };
    let others: Vec<PxBox> = (placed.dots.iter())
        .filter(|&&(bx, by, bw, _)| (bx + bw / 2, by) != (dx, dy))
        .copied()
        .collect();
    let free = |s: &(i32, i32)| inside(at(*s)) && clear(at(*s), &placed.texts, 6);
    spots
        .iter()
        .find(|s| free(s) && clear(at(**s), &others, 1))
        .or_else(|| spots.iter().find(|s| free(s)))
        .map(|&s| {
            let (x, y) = at(s);
            (x - (dx + ox), y - (dy + oy))
        })
}

/// Where a text of size `(w, h)` meant for `(x, y)` (its left end and vertical middle, in pixels) goes
/// so that it overlaps or abuts none of the texts `placed` before it: the downward pixel shift to the
/// first free spot of a few near the intended one (a line below, a line above, two lines below or above)
/// that stays within the plot's rows `ys` (a text beyond them is drawn at the edge, where it was meant),
/// else none, as a label far from its dot would be read as another's.
fn free_spot(placed: &[PxBox], (x, y): (i32, i32), (w, h): (i32, i32), ys: (i32, i32)) -> i32 {
    let overlaps = |dy: i32| {
        placed
            .iter()
            // Texts closer than 6 pixels side by side read as one.
            .any(|&(px, py, pw, ph)| {
                x < px + pw + 6 && px < x + w + 6 && (y + dy - py).abs() * 2 < h + ph
            })
    };
    let inside = |dy: i32| dy == 0 || (y + dy - h / 2 >= ys.0 && y + dy + h / 2 <= ys.1);
    let line = h + 2;
    [0, line, -line, 2 * line, -2 * line]
        .into_iter()
        .find(|&dy| inside(dy) && !overlaps(dy))
        .unwrap_or(0)
}

/// A bitmap backend whose text is placed glyph by glyph with each glyph's side bearing and a sub-pixel
/// pen, as a text renderer should (see the module comment); everything else is passed through.
pub struct CrispText<B> {
    inner: B,
    regular: ab_glyph::FontRef<'static>,
    bold: ab_glyph::FontRef<'static>,
}

impl<B> CrispText<B> {
    /// Wraps `inner`, drawing text in the bundled DejaVu Sans.
    pub fn new(inner: B) -> Result<CrispText<B>, DrawError> {
        let font = |b| ab_glyph::FontRef::try_from_slice(b).map_err(e);
        Ok(CrispText {
            inner,
            regular: font(dejavu::sans::regular())?,
            bold: font(dejavu::sans::bold())?,
        })
    }
}

impl<B: DrawingBackend> DrawingBackend for CrispText<B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }
    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.ensure_prepared()
    }
    fn present(&mut self) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.present()
    }
    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.draw_pixel(point, color)
    }
    fn draw_line<S: plotters_backend::BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.draw_line(from, to, style)
    }
    fn draw_rect<S: plotters_backend::BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }
    fn draw_path<S: plotters_backend::BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.draw_path(path, style)
    }
    fn draw_circle<S: plotters_backend::BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.draw_circle(center, radius, style, fill)
    }
    fn fill_polygon<S: plotters_backend::BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.fill_polygon(vert, style)
    }
    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        (iw, ih): (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.blit_bitmap(pos, (iw, ih), src)
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        use ab_glyph::{Font, ScaleFont};
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        // The same box and anchoring as plotters' own text, so that layout is unchanged.
        let ((min_x, min_y), (max_x, max_y)) = style
            .layout_box(text)
            .map_err(|x| DrawingErrorKind::FontError(Box::new(x)))?;
        let (w, h) = (max_x - min_x, max_y - min_y);
        let dx = match style.anchor().h_pos {
            BH::Left => 0,
            BH::Right => -w,
            BH::Center => -w / 2,
        };
        let dy = match style.anchor().v_pos {
            BV::Top => 0,
            BV::Center => -h / 2,
            BV::Bottom => -h,
        };
        let font = match style.style() {
            FontStyle::Bold => &self.bold,
            _ => &self.regular,
        };
        let size = style.size() as f32;
        let scaled = font.as_scaled(size);
        let trans = style.transform();
        let (bw, bh) = self.get_size();
        let mut pixels: Vec<(i32, i32, f32)> = Vec::new();
        let mut caret = 0f32;
        let mut prev = None;
        for ch in text.chars() {
            let id = scaled.glyph_id(ch);
            if let Some(p) = prev {
                caret += scaled.kern(p, id);
            }
            prev = Some(id);
            // plotters puts the baseline half an em below the top of the layout box; so do we.
            let glyph = id.with_scale_and_position(size, ab_glyph::point(caret, size / 2.0));
            caret += scaled.h_advance(id);
            if let Some(outline) = font.outline_glyph(glyph) {
                let b = outline.px_bounds();
                outline.draw(|gx, gy, cov| {
                    pixels.push((b.min.x as i32 + gx as i32, b.min.y as i32 + gy as i32, cov));
                });
            }
        }
        for (x, y, cov) in pixels {
            let (x, y) = trans.transform(x + dx - min_x, y + dy - min_y);
            let (x, y) = (pos.0 + x, pos.1 + y);
            if x >= 0 && y >= 0 && (x as u32) < bw && (y as u32) < bh && cov > 0.0 {
                self.inner.draw_pixel(
                    (x, y),
                    BackendColor {
                        alpha: color.alpha * f64::from(cov.min(1.0)),
                        rgb: color.rgb,
                    },
                )?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::plan::{Layer, Tick};
    use super::*;

    fn axis(lo: f64, hi: f64) -> Axis {
        Axis {
            desc: "a".into(),
            lo,
            hi,
            ticks: vec![
                Tick {
                    at: lo,
                    label: "lo".into(),
                },
                Tick {
                    at: hi,
                    label: "hi".into(),
                },
            ],
            categorical: false,
        }
    }

    fn plan(marks: Vec<Mark>) -> Plan {
        Plan {
            name: "t",
            title: "t",
            heading: "t".into(),
            x: axis(0.0, 1.0),
            y: axis(0.0, 10.0),
            y2: None,
            layers: vec![Layer::new("s", [0, 0, 0], marks)],
            legend: Vec::new(),
            note: None,
        }
    }

    #[test]
    fn dots_on_an_axis_end_get_room_and_bars_do_not() {
        let p = room_at_ends(
            &plan(vec![Mark::Dot {
                x: 1.0,
                y: 5.0,
                radius: 5,
            }]),
            (100, 100),
        );
        assert!(p.x.hi > 1.0 && p.x.lo == 0.0, "{:?}", (p.x.lo, p.x.hi));
        assert_eq!((p.y.lo, p.y.hi), (0.0, 10.0));
        assert_eq!(p.x.ticks, plan(vec![]).x.ticks, "the ticks stay");
        let bars = vec![Mark::Bar {
            x0: 0.0,
            y0: 0.0,
            x1: 1.0,
            y1: 10.0,
        }];
        let p = room_at_ends(&plan(bars.clone()), (100, 100));
        assert_eq!(p, plan(bars));
    }

    /// A label goes where it was meant when that is free, else a line below, a line above, two below or
    /// two above, whichever is free first and inside the plot; where none is, where it was meant.
    #[test]
    fn labels_move_to_the_first_free_line() {
        let (w, h) = (60, 12);
        let ys = (0, 400);
        assert_eq!(free_spot(&[], (100, 100), (w, h), ys), 0);
        // A label beside, with a gap of more than 6 pixels, is no obstacle; one closer is.
        assert_eq!(free_spot(&[(167, 100, w, h)], (100, 100), (w, h), ys), 0);
        assert_eq!(free_spot(&[(165, 100, w, h)], (100, 100), (w, h), ys), 14);
        let below = (120, 114, w, h);
        assert_eq!(
            free_spot(&[(120, 100, w, h), below], (100, 100), (w, h), ys),
            -14
        );
        let full: Vec<_> = [-28, -14, 0, 14, 28]
            .iter()
            .map(|d| (100, 100 + d, w, h))
            .collect();
        assert_eq!(free_spot(&full, (100, 100), (w, h), ys), 0);
        // At the plot's top a line above is no spot: two lines below is, when the first is taken.
        let top = [(100, 10, w, h), (100, 24, w, h)];
        assert_eq!(free_spot(&top, (100, 10), (w, h), (4, 400)), 28);
    }

    #[test]
    fn a_name_goes_where_it_covers_no_text_and_no_other_dot() {
        let (w, h) = (60, 12);
        let bounds = ((0, 500), (0, 400));
        // The dot at (200, 100), its name meant 8 pixels to its right.
        let dot = ((200, 100), (8, 0));
        let own = (195, 100, 10, 10);
        let spot = |texts: Vec<PxBox>, dots: Vec<PxBox>| {
            beside_spot(&Placed { texts, dots }, dot, (w, h), bounds)
        };
        // Free: where it was meant; its own dot is no obstacle.
        assert_eq!(spot(vec![], vec![own]), Some((0, 0)));
        // Another dot on the right: the name goes to the left, as far from the dot, ending before it.
        let right = (240, 100, 10, 10);
        assert_eq!(spot(vec![], vec![own, right]), Some((-76, 0)));
        // A dot on either side: a line below, on the right.
        let left = (150, 100, 10, 10);
        assert_eq!(spot(vec![], vec![own, right, left]), Some((0, 14)));
        // Near the plot's right edge a spot on another line slides left to stay inside; the dot's own
        // line does not, so the name goes to the left there.
        let edge = ((450, 100), (8, 0));
        let near = beside_spot(&Placed::default(), edge, (w, h), bounds);
        assert_eq!(near, Some((-76, 0)));
        let blocked = Placed {
            texts: vec![],
            dots: vec![(400, 100, 10, 10)],
        };
        assert_eq!(beside_spot(&blocked, edge, (w, h), bounds), Some((-18, 14)));
        // Texts everywhere near: no spot, and the caller keeps the one meant.
        let texts: Vec<PxBox> = [-28, -14, 0, 14, 28]
            .iter()
            .flat_map(|d| [(130, 100 + d, 200, h)])
            .collect();
        assert_eq!(spot(texts, vec![own]), None);
    }

    #[test]
    fn headings_wrap_and_labels_are_cut_to_the_room() {
        super::super::fonts();
        let mut svg = String::new();
        let root = SVGBackend::with_string(&mut svg, (400, 300)).into_drawing_area();
        let font = TextStyle::from(("sans-serif", TITLE).into_font());
        let lines = wrap(
            &root,
            "Share of positive, neutral and negative units by kind",
            &font,
            368,
        );
        assert!(lines.len() >= 2, "{lines:?}");
        assert_eq!(
            lines.join(" "),
            "Share of positive, neutral and negative units by kind"
        );
        assert!(
            lines.iter().all(|l| fits(&root, l, &font, 368)),
            "{lines:?}"
        );
        let label = cut(&root, "A very long entity name indeed (n=12)", &font, 120);
        assert!(
            label.ends_with('\u{2026}') && fits(&root, &label, &font, 120),
            "{label}"
        );
        assert_eq!(cut(&root, "short", &font, 120), "short");
    }
}
