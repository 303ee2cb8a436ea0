//! Mergeable partial aggregates: what `run`'s summary, stance_summary, by_author and by_date tables need of
//! a set of scored units, kept so that partials computed on separate partitions (Spark executors, files,
//! threads) merge, in any order and any grouping, into the partial of all the units together.
//!
//! A partial holds only counts and exact integer sums:
//! - per kind, the number of units at each compound value. VADER rounds compound to 4 decimals, so the
//!   value is kept as an integer count of 1e-4 ([`e4`]) and the counts are a histogram with one bin per
//!   possible value (at most 20,001 bins). It gives back the exact multiset of compounds: means, medians,
//!   shares and the bootstrap intervals (which depend only on the sorted sample, see [`bootstrap`]) are the
//!   same as from the units themselves;
//! - per target, kind and label, the number of units;
//! - per author and per hour of the units' written clock time: units, the sum of compounds in 1e-4 and
//!   the first target's label counts.
//!
//! [`Partial::finish`] turns it into the four tables, with the columns of [`schema`]. `run` computes those
//! four tables through a partial of the whole corpus, so `run` and merged partials agree to the byte.
//! Means are the exact integer sum over the units, divided once: the same whichever order the units came
//! in. The other tables of `run` (threads, replies, entities, the crosstab) need units side by side and
//! are not mergeable this way.

pub mod bootstrap;
pub mod schema;

use crate::error::{Error, Result};
use crate::ingest::dates;
use crate::model::{Kind, Label, sentiment_label};
use bootstrap::{count_ci, sorted_mean_ci};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

/// A compound as an integer count of 1e-4, or `None` if it is not a multiple of 1e-4 in [−1, 1] (VADER's
/// compounds always are).
pub fn e4(compound: f64) -> Option<i32> {
    let k = (compound * 1e4).round();
    (k.abs() <= 1e4 && f64::from(k as i32) / 1e4 == compound).then_some(k as i32)
}

fn value(e4: i32) -> f64 {
    f64::from(e4) / 1e4
}

/// The date's hour as hours since 1970-01-01T00 in its own clock time (hour 0 for a date without a
/// time), and whether it has a time of day: the key `by_date` groups on (see [`Partial::finish`]).
pub fn hour_of(iso: &str) -> (Option<i32>, bool) {
    let h = dates::hour(iso);
    let hours = dates::days(iso).map(|d| d * 24 + h.unwrap_or(0));
    (hours.and_then(|x| i32::try_from(x).ok()), h.is_some())
}

/// Units, the sum of their compounds (in 1e-4) and their labels toward the first target.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cell {
    /// Units.
    pub units: u64,
    /// Sum of compounds, in 1e-4.
    pub sum_e4: i64,
    /// Units labelled favor, against and none toward the first target.
    pub stances: [u64; 3],
}

impl Cell {
    fn add(&mut self, compound: i32, label: Label) {
        self.units += 1;
        self.sum_e4 += i64::from(compound);
        self.stances[label_index(label)] += 1;
    }

    fn merge(&mut self, o: &Cell) {
        self.units += o.units;
        self.sum_e4 += o.sum_e4;
        for (a, b) in self.stances.iter_mut().zip(o.stances) {
            *a += b;
        }
    }

    fn mean(&self) -> f64 {
        mean(i128::from(self.sum_e4), self.units)
    }
}

/// The exact mean of values summing to `sum_e4` (in 1e-4) over `n` units, rounded once.
fn mean(sum_e4: i128, n: u64) -> f64 {
    // Exact in f64 up to 2^53 (9e11 units of compound 1); beyond, one rounding more.
    sum_e4 as f64 / (n as f64 * 1e4)
}

fn label_index(l: Label) -> usize {
    Label::ALL.iter().position(|&x| x == l).unwrap_or(2)
}

fn kind_index(k: Kind) -> usize {
    Kind::ALL.iter().position(|&x| x == k).unwrap_or(0)
}

/// A histogram of compounds with one bin per value: compound in 1e-4 → units.
type Histogram = BTreeMap<i32, u64>;

/// The mergeable partial aggregate of a set of scored units. See the module documentation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Partial {
    /// The target ids, in the order of each unit's labels.
    targets: Vec<String>,
    /// Per kind ([`Kind::ALL`] order): units per compound value.
    compounds: [Histogram; 5],
    /// Per target, per kind, units per label ([`Label::ALL`] order).
    stances: Vec<[[u64; 3]; 5]>,
    /// Per author (units without one are left out).
    authors: BTreeMap<String, Cell>,
    /// Per hour of the date (units without a date are left out).
    hours: BTreeMap<i32, Cell>,
    /// Whether any unit's date has a time of day.
    timed: bool,
}

/// One finished table: named columns of equal length, in [`schema`] order.
#[derive(Debug, Clone, PartialEq)]
pub struct Plain {
    /// The table's name (its CSV file stem), as in [`schema::TABLES`].
    pub name: &'static str,
    /// The columns.
    pub columns: Vec<(&'static str, Column)>,
}

/// One column of a [`Plain`] table.
#[derive(Debug, Clone)]
pub enum Column {
    /// Text.
    Str(Vec<String>),
    /// Counts.
    U64(Vec<u64>),
    /// Numbers (NaN where undefined, such as net sentiment with no positive or negative unit).
    F64(Vec<f64>),
}

/// Equal when every value is: numbers by their bits, so that NaN equals NaN (a table equals itself).
impl PartialEq for Column {
    fn eq(&self, other: &Column) -> bool {
        match (self, other) {
            (Column::Str(a), Column::Str(b)) => a == b,
            (Column::U64(a), Column::U64(b)) => a == b,
            (Column::F64(a), Column::F64(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits())
            }
            _ => false,
        }
    }
}

impl Column {
    /// An empty column of the type `schema`'s column `name` has: text for keys and labels, counts for
    /// units, numbers for the rest.
    fn for_name(name: &str) -> Column {
        match name {
            "kind" | "target" | "voice" | "label" | "author" | "period" => Column::Str(Vec::new()),
            "units" | "favor" | "against" | "none" => Column::U64(Vec::new()),
            _ => Column::F64(Vec::new()),
        }
    }

    /// Rows.
    pub fn len(&self) -> usize {
        match self {
            Column::Str(v) => v.len(),
            Column::U64(v) => v.len(),
            Column::F64(v) => v.len(),
        }
    }

    /// Whether it has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Row `k` as a CSV cell, formatted as `run` writes it: text guarded against formulas, numbers
    /// rounded to 6 decimals.
    pub fn cell(&self, k: usize) -> Cow<'_, str> {
        match self {
            Column::Str(v) => crate::export::text(&v[k]),
            Column::U64(v) => Cow::Owned(v[k].to_string()),
            Column::F64(v) => crate::export::stat(v[k]),
        }
    }
}

impl Plain {
    /// Rows.
    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, |c| c.1.len())
    }

    /// Writes the table as `run` writes `<name>.csv`.
    pub fn write_csv(&self, path: &Path, dialect: crate::export::Dialect) -> Result<()> {
        let names: Vec<&str> = self.columns.iter().map(|c| c.0).collect();
        let mut f = crate::export::CsvFile::create(path, dialect, &names)?;
        for k in 0..self.rows() {
            f.row(self.columns.iter().map(|c| c.1.cell(k)))?;
        }
        f.finish()
    }
}

/// The four tables a partial finishes into.
#[derive(Debug, Clone, PartialEq)]
pub struct Finished {
    /// summary.csv.
    pub summary: Plain,
    /// stance_summary.csv.
    pub stance_summary: Plain,
    /// by_author.csv.
    pub by_author: Plain,
    /// by_date.csv.
    pub by_date: Plain,
}

impl Finished {
    /// The tables, in the order `run` writes them.
    pub fn all(&self) -> [&Plain; 4] {
        [
            &self.summary,
            &self.stance_summary,
            &self.by_author,
            &self.by_date,
        ]
    }
}

/// Columns under construction, checked against the schema when finished.
struct Builder {
    name: &'static str,
    columns: Vec<(&'static str, Column)>,
}

impl Builder {
    fn new(name: &'static str) -> Builder {
        let names = schema::of(name).unwrap_or_default();
        Builder {
            name,
            columns: names.iter().map(|&n| (n, Column::for_name(n))).collect(),
        }
    }

    fn slot(&mut self, col: &str) -> &mut Column {
        let name = self.name;
        &mut self
            .columns
            .iter_mut()
            .find(|c| c.0 == col)
            .unwrap_or_else(|| panic!("{col} is not a column of {name} in aggregate::schema"))
            .1
    }

    fn text(&mut self, col: &str, v: &str) {
        if let Column::Str(x) = self.slot(col) {
            x.push(v.to_string());
        }
    }

    fn count(&mut self, col: &str, v: u64) {
        if let Column::U64(x) = self.slot(col) {
            x.push(v);
        }
    }

    fn num(&mut self, col: &str, v: f64) {
        if let Column::F64(x) = self.slot(col) {
            x.push(v);
        }
    }

    fn finish(self) -> Plain {
        Plain {
            name: self.name,
            columns: self.columns,
        }
    }
}

impl Partial {
    /// An empty partial for units scored toward `targets` (ids, in order).
    pub fn new(targets: Vec<String>) -> Partial {
        let stances = vec![[[0; 3]; 5]; targets.len()];
        Partial {
            targets,
            compounds: Default::default(),
            stances,
            authors: BTreeMap::new(),
            hours: BTreeMap::new(),
            timed: false,
        }
    }

    /// The target ids.
    pub fn targets(&self) -> &[String] {
        &self.targets
    }

    /// Units added.
    pub fn units(&self) -> u64 {
        self.compounds.iter().flat_map(|h| h.values()).sum()
    }

    /// Adds one scored unit: its kind, author and date (ISO 8601, as ingest normalises them; see
    /// [`Partial::add_fields`] for raw field values), VADER compound and its label toward each target.
    pub fn add(
        &mut self,
        kind: Kind,
        author: Option<&str>,
        date: Option<&str>,
        compound: f64,
        labels: &[Label],
    ) -> Result<()> {
        let c = e4(compound).ok_or_else(|| Error::Partial {
            reason: format!(
                "compound {compound} is not a VADER compound (a multiple of 0.0001 from -1 to 1)"
            ),
        })?;
        if labels.len() != self.targets.len() {
            return Err(Error::Partial {
                reason: format!(
                    "{} stance labels for {} targets ({})",
                    labels.len(),
                    self.targets.len(),
                    self.targets.join(", ")
                ),
            });
        }
        let k = kind_index(kind);
        *self.compounds[k].entry(c).or_default() += 1;
        for (t, &l) in self.stances.iter_mut().zip(labels) {
            t[k][label_index(l)] += 1;
        }
        let first = labels.first().copied().unwrap_or(Label::None);
        if let Some(a) = author {
            match self.authors.get_mut(a) {
                Some(cell) => cell.add(c, first),
                None => self.authors.entry(a.to_string()).or_default().add(c, first),
            }
        }
        if let Some(d) = date {
            let (hour, timed) = hour_of(d);
            self.timed |= timed;
            if let Some(h) = hour {
                self.hours.entry(h).or_default().add(c, first);
            }
        }
        Ok(())
    }

    /// [`Partial::add`] from field values as a record holds them, normalised as `run`'s ingest does: kind
    /// by name (comment when empty), author trimmed (none when empty), date as ISO 8601 or Unix seconds.
    /// A bad kind or date is an error naming the field.
    pub fn add_fields(
        &mut self,
        kind: Option<&str>,
        author: Option<&str>,
        date: Option<&str>,
        compound: f64,
        labels: &[Label],
    ) -> Result<()> {
        fn nonempty(v: Option<&str>) -> Option<&str> {
            v.map(str::trim).filter(|s| !s.is_empty())
        }
        use crate::ingest::records::{date_field, kind_field};
        let bad = |field: &'static str| {
            move |why: String| Error::Partial {
                reason: format!("{field} {why}"),
            }
        };
        let kind = nonempty(kind)
            .map(kind_field)
            .transpose()
            .map_err(bad("kind"))?
            .unwrap_or(Kind::Comment);
        let date = nonempty(date)
            .map(date_field)
            .transpose()
            .map_err(bad("date"))?;
        self.add(kind, nonempty(author), date.as_deref(), compound, labels)
    }

    /// Adds everything `other` holds. Both must be for the same targets. (Counts cannot overflow for real
    /// corpora; [`Partial::from_json`] refuses partials with more than 2^48 units.)
    pub fn merge(&mut self, other: &Partial) -> Result<()> {
        if self.targets != other.targets {
            return Err(Error::Partial {
                reason: format!(
                    "cannot merge partials of different targets ({} and {})",
                    self.targets.join(", "),
                    other.targets.join(", ")
                ),
            });
        }
        for (a, b) in self.compounds.iter_mut().zip(&other.compounds) {
            for (&v, &n) in b {
                *a.entry(v).or_default() += n;
            }
        }
        for (a, b) in self.stances.iter_mut().zip(&other.stances) {
            for (ka, kb) in a.iter_mut().zip(b) {
                for (x, y) in ka.iter_mut().zip(kb) {
                    *x += y;
                }
            }
        }
        for (name, c) in &other.authors {
            match self.authors.get_mut(name) {
                Some(cell) => cell.merge(c),
                None => {
                    self.authors.insert(name.clone(), *c);
                }
            }
        }
        for (h, c) in &other.hours {
            self.hours.entry(*h).or_default().merge(c);
        }
        self.timed |= other.timed;
        Ok(())
    }

    /// The partial as JSON, to ship between processes.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// A partial from [`Partial::to_json`]'s output.
    pub fn from_json(s: &str) -> Result<Partial> {
        let p: Partial = serde_json::from_str(s).map_err(|e| Error::Partial {
            reason: format!("not a stancemeter partial: {e}"),
        })?;
        // At most 2^48 units per partial (a quarter of a million machines of a billion comments each):
        // counts that big cannot overflow when merged, and nothing expands them unit by unit.
        const MAX: u64 = 1 << 48;
        let units: u64 = p
            .compounds
            .iter()
            .flat_map(|h| h.values())
            .fold(0u64, |a, &c| a.saturating_add(c));
        let mut cells = p.authors.values().chain(p.hours.values());
        if p.stances.len() != p.targets.len()
            || p.compounds
                .iter()
                .flat_map(|h| h.keys())
                .any(|v| v.abs() > 10_000)
            || units > MAX
            || cells.any(|c| c.units > units || c.sum_e4.unsigned_abs() > units * 10_000)
            || p.stances.iter().flatten().flatten().any(|&c| c > units)
        {
            return Err(Error::Partial {
                reason: "not a stancemeter partial: its counts do not fit its targets or compounds"
                    .into(),
            });
        }
        Ok(p)
    }

    /// The summary, stance_summary, by_author and by_date tables of the units added.
    pub fn finish(&self) -> Finished {
        Finished {
            summary: self.summary(),
            stance_summary: self.stance_summary(),
            by_author: self.by_author(),
            by_date: self.by_date(),
        }
    }

    fn summary(&self) -> Plain {
        let mut b = Builder::new("summary");
        let mut all = Histogram::new();
        for h in &self.compounds {
            for (&v, &n) in h {
                *all.entry(v).or_default() += n;
            }
        }
        let groups = std::iter::once(("all", &all)).chain(
            Kind::ALL
                .iter()
                .zip(&self.compounds)
                .filter(|(_, h)| !h.is_empty())
                .map(|(k, h)| (k.as_str(), h)),
        );
        for (name, h) in groups {
            if h.is_empty() {
                continue; // no units at all: no row, as a group-by gives none
            }
            let n: u64 = h.values().sum();
            let sum: i128 = h.iter().map(|(&v, &c)| i128::from(v) * i128::from(c)).sum();
            let count = |label: &str| {
                h.iter()
                    .filter(|&(&v, _)| sentiment_label(value(v)) == label)
                    .map(|(_, &c)| c)
                    .sum::<u64>()
            };
            let (pos, neu, neg) = (count("positive"), count("neutral"), count("negative"));
            // The k-th smallest compound (from 0), in 1e-4, read off the cumulative counts.
            let kth = |k: u64| {
                let mut seen = 0;
                h.iter()
                    .find(|&(_, &c)| {
                        seen += c;
                        seen > k
                    })
                    .map_or(0, |(&v, _)| v)
            };
            let median = if n % 2 == 1 {
                value(kth(n / 2))
            } else {
                f64::from(kth(n / 2 - 1) + kth(n / 2)) / 2e4
            };
            // A group small enough to bootstrap is expanded into its sorted sample; a larger one gets the
            // normal interval from its exact integer moments, so that no group is ever held unit by unit.
            let (ml, mh) = if n <= bootstrap::BOOTSTRAP_MAX as u64 {
                let sorted: Vec<f64> = h
                    .iter()
                    .flat_map(|(&v, &c)| std::iter::repeat_n(value(v), c as usize))
                    .collect();
                sorted_mean_ci(&sorted, "mean")
            } else {
                let sumsq: i128 = h
                    .iter()
                    .map(|(&v, &c)| i128::from(v) * i128::from(v) * i128::from(c))
                    .sum();
                let n_ = i128::from(n);
                // Sample variance in 1e-8: (n·Σx² − (Σx)²) / (n(n − 1)), exact until the division.
                let var = (n_ * sumsq - sum * sum) as f64 / (n_ * (n_ - 1)) as f64 / 1e8;
                let half = bootstrap::Z95 * (var / n as f64).sqrt();
                let m = mean(sum, n);
                (m - half, m + half)
            };
            let (pl, ph) = count_ci(pos, n, "pos");
            let (nl, nh) = count_ci(neg, n, "neg");
            let share = |k: u64| k as f64 / n as f64;
            let (sp, sn) = (share(pos), share(neg));
            b.text("kind", name);
            b.count("units", n);
            b.num("mean_compound", mean(sum, n));
            b.num("mean_ci_low", ml);
            b.num("mean_ci_high", mh);
            b.num("median_compound", median);
            b.num("share_positive", sp);
            b.num("positive_ci_low", pl);
            b.num("positive_ci_high", ph);
            b.num("share_neutral", share(neu));
            b.num("share_negative", sn);
            b.num("negative_ci_low", nl);
            b.num("negative_ci_high", nh);
            b.num("net_sentiment", (sp - sn) / (sp + sn));
        }
        b.finish()
    }

    fn stance_summary(&self) -> Plain {
        let mut b = Builder::new("stance_summary");
        // Targets by id (byte order), as the other per-target tables are sorted.
        let mut targets: Vec<(&String, &[[u64; 3]; 5])> =
            self.targets.iter().zip(&self.stances).collect();
        targets.sort_by(|x, y| x.0.cmp(y.0));
        for (t, per_kind) in targets {
            for voice in ["all", "article", "comments"] {
                let mut counts = [0u64; 3];
                for (k, c) in Kind::ALL.iter().zip(per_kind) {
                    let in_voice = match voice {
                        "all" => true,
                        "article" => k.is_article(),
                        _ => !k.is_article(),
                    };
                    if in_voice {
                        for (a, x) in counts.iter_mut().zip(c) {
                            *a += x;
                        }
                    }
                }
                let total: u64 = counts.iter().sum();
                if total == 0 {
                    continue;
                }
                for (l, &n) in Label::ALL.iter().zip(&counts) {
                    let (lo, hi) = count_ci(n, total, &format!("stance/{l}"));
                    b.text("target", t);
                    b.text("voice", voice);
                    b.text("label", l.as_str());
                    b.count("units", n);
                    b.num("share", n as f64 / total as f64);
                    b.num("ci_low", lo);
                    b.num("ci_high", hi);
                }
            }
        }
        b.finish()
    }

    fn cells(b: &mut Builder, key: &str, rows: Vec<(String, Cell)>) {
        for (name, c) in rows {
            b.text(key, &name);
            b.count("units", c.units);
            b.num("mean_compound", c.mean());
            b.count("favor", c.stances[0]);
            b.count("against", c.stances[1]);
            b.count("none", c.stances[2]);
        }
    }

    /// Authors with the most units first, then by name (byte order).
    fn by_author(&self) -> Plain {
        let mut b = Builder::new("by_author");
        let mut rows: Vec<(String, Cell)> =
            self.authors.iter().map(|(a, c)| (a.clone(), *c)).collect();
        rows.sort_by(|x, y| y.1.units.cmp(&x.1.units).then_with(|| x.0.cmp(&y.0)));
        Partial::cells(&mut b, "author", rows);
        b.finish()
    }

    /// Per period in order: ISO weeks when the dates span more than 60 days, hours when they have times
    /// and span less than 2 days (one comment section's first day), else days.
    fn by_date(&self) -> Plain {
        let mut b = Builder::new("by_date");
        let (first, last) = match (self.hours.keys().next(), self.hours.keys().next_back()) {
            (Some(&a), Some(&z)) => (i64::from(a), i64::from(z)),
            _ => (0, 0),
        };
        let granularity = Granularity::of(first, last, self.timed);
        let mut periods: BTreeMap<String, Cell> = BTreeMap::new();
        for (&h, c) in &self.hours {
            periods
                .entry(granularity.period(i64::from(h)))
                .or_default()
                .merge(c);
        }
        Partial::cells(&mut b, "period", periods.into_iter().collect());
        b.finish()
    }
}

/// How `by_date` buckets hours: by the span of the dates from the first hour to the last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Granularity {
    /// ISO weeks (`2018-W27`), past 60 days.
    Week,
    /// Hours (`2018-07-06 14:00`), within 2 days when the dates have times.
    Hour,
    /// Days (`2018-07-06`).
    Day,
}

impl Granularity {
    /// The granularity for dates from hour `first` to hour `last` (hours since 1970-01-01T00); `timed`
    /// says whether any has a time of day.
    pub fn of(first: i64, last: i64, timed: bool) -> Granularity {
        let day_span = last.div_euclid(24) - first.div_euclid(24);
        if day_span > 60 {
            Granularity::Week
        } else if timed && last - first < 48 {
            Granularity::Hour
        } else {
            Granularity::Day
        }
    }

    /// The period label of hour `x`.
    pub fn period(self, x: i64) -> String {
        match self {
            Granularity::Week => dates::iso_week(x.div_euclid(24)),
            Granularity::Hour => {
                let t = dates::from_unix(x * 3_600);
                format!("{} {}:00", &t[..10], &t[11..13])
            }
            Granularity::Day => dates::from_unix(x.div_euclid(24) * 86_400)[..10].to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn unit(k: u64) -> (Kind, Option<String>, Option<String>, f64, Vec<Label>) {
        // A deterministic spread of kinds, authors, dates, compounds and labels.
        let kind = Kind::ALL[(k % 7).min(4) as usize];
        let author = (!k.is_multiple_of(5)).then(|| format!("user{}", k % 11));
        let date = match k % 4 {
            0 => None,
            1 => Some(format!("2018-07-{:02}", 1 + k % 28)),
            _ => Some(format!("2018-07-0{}T{:02}:30:00Z", 1 + k % 3, k % 24)),
        };
        let compound = f64::from(((k * 7919) % 20_001) as i32 - 10_000) / 1e4;
        let labels = vec![
            Label::ALL[(k % 3) as usize],
            Label::ALL[(k / 3 % 3) as usize],
        ];
        (kind, author, date, compound, labels)
    }

    fn partial_of(units: &[u64]) -> Partial {
        let mut p = Partial::new(vec!["a".into(), "b".into()]);
        for &k in units {
            let (kind, author, date, c, labels) = unit(k);
            p.add(kind, author.as_deref(), date.as_deref(), c, &labels)
                .unwrap();
        }
        p
    }

    #[test]
    fn compounds_round_trip_through_e4() {
        for k in -10_000..=10_000 {
            let x = crate::pystr::round(f64::from(k) / 1e4, 4);
            assert_eq!(e4(x), Some(k), "{x}");
        }
        assert_eq!(e4(0.12345), None);
        assert_eq!(e4(1.5), None);
    }

    #[test]
    fn finishes_into_the_schema_columns() {
        let f = partial_of(&(0..200).collect::<Vec<_>>()).finish();
        for t in f.all() {
            let names: Vec<&str> = t.columns.iter().map(|c| c.0).collect();
            assert_eq!(Some(names.as_slice()), schema::of(t.name), "{}", t.name);
            assert!(
                t.columns.iter().all(|c| c.1.len() == t.rows()),
                "{}",
                t.name
            );
        }
        assert_eq!(f.summary.rows(), 6, "all and five kinds");
        // Two targets × three voices × three labels.
        assert_eq!(f.stance_summary.rows(), 18);
        assert_eq!(f.by_author.rows(), 11);
    }

    #[test]
    fn means_and_medians_are_exact() {
        let mut p = Partial::new(vec![]);
        for c in [0.1, 0.2, 0.4, -0.3] {
            p.add(Kind::Comment, Some("x"), Some("2018-07-06"), c, &[])
                .unwrap();
        }
        let f = p.finish();
        let Column::F64(mean) = &f.summary.columns[2].1 else {
            panic!()
        };
        assert_eq!(
            mean[0], 0.1,
            "0.4 / 4 exactly, not a float sum's 0.10000000000000002"
        );
        let Column::F64(median) = &f.summary.columns[5].1 else {
            panic!()
        };
        assert_eq!(median[0], 0.15);
    }

    #[test]
    fn large_groups_get_the_normal_interval_from_exact_moments() {
        let mut p = Partial::new(vec![]);
        let xs: Vec<f64> = (0..20_001)
            .map(|k| f64::from(k % 401 - 200) / 1e3)
            .collect();
        for &x in &xs {
            p.add(Kind::Comment, None, None, x, &[]).unwrap();
        }
        let f = p.finish();
        let Column::F64(lo) = &f.summary.columns[3].1 else {
            panic!()
        };
        let Column::F64(hi) = &f.summary.columns[4].1 else {
            panic!()
        };
        let (a, b) = bootstrap::mean_ci(&xs, "mean");
        assert!(
            (lo[0] - a).abs() < 1e-12 && (hi[0] - b).abs() < 1e-12,
            "{lo:?} {hi:?} {a} {b}"
        );
        let Column::F64(median) = &f.summary.columns[5].1 else {
            panic!()
        };
        let mut sorted = xs.clone();
        sorted.sort_by(f64::total_cmp);
        assert_eq!(median[0], sorted[10_000]);
    }

    #[test]
    fn json_round_trip_and_bad_input() {
        let p = partial_of(&[1, 2, 3, 40]);
        assert_eq!(Partial::from_json(&p.to_json()).unwrap(), p);
        let err = Partial::from_json("{\"targets\": 3}")
            .unwrap_err()
            .to_string();
        assert!(err.contains("not a stancemeter partial"), "{err}");
        let mut q = Partial::new(vec!["other".into()]);
        assert!(
            q.merge(&p)
                .unwrap_err()
                .to_string()
                .contains("different targets")
        );
        let err = q
            .add(Kind::Comment, None, None, 0.12345, &[Label::Favor])
            .unwrap_err()
            .to_string();
        assert!(err.contains("0.12345"), "{err}");
    }

    #[test]
    fn fields_are_normalised_as_ingest_does() {
        let mut a = Partial::new(vec![]);
        a.add_fields(None, Some("  x "), Some("1530835200"), 0.5, &[])
            .unwrap();
        let mut b = Partial::new(vec![]);
        b.add(
            Kind::Comment,
            Some("x"),
            Some("2018-07-06T00:00:00Z"),
            0.5,
            &[],
        )
        .unwrap();
        assert_eq!(a, b);
        let err = a
            .add_fields(Some("tweet"), None, None, 0.5, &[])
            .unwrap_err()
            .to_string();
        assert!(err.contains("tweet"), "{err}");
        let err = a
            .add_fields(None, None, Some("yesterday"), 0.5, &[])
            .unwrap_err()
            .to_string();
        assert!(err.contains("yesterday"), "{err}");
    }

    proptest! {
        /// Any partitioning of the units, merged in any order, finishes into the same tables as one
        /// partial of all of them.
        #[test]
        fn partitions_merge_in_any_order(
            n in 0usize..300,
            cuts in proptest::collection::vec(0usize..300, 0..6),
            order in proptest::collection::vec(any::<u32>(), 7),
            shuffle in any::<u64>(),
        ) {
            // The units in a shuffled order, so partitions are not contiguous ranges of the input.
            let mut units: Vec<u64> = (0..n as u64).collect();
            let mut s = shuffle | 1;
            for i in (1..units.len()).rev() {
                s ^= s << 13; s ^= s >> 7; s ^= s << 17;
                units.swap(i, (s % (i as u64 + 1)) as usize);
            }
            let whole = partial_of(&(0..n as u64).collect::<Vec<_>>()).finish();
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(n)).collect();
            cuts.push(0);
            cuts.push(n);
            cuts.sort_unstable();
            let mut parts: Vec<Partial> = cuts.windows(2).map(|w| partial_of(&units[w[0]..w[1]])).collect();
            // Merge in the order `order` gives, through JSON, as Spark ships them.
            let mut keyed: Vec<(u32, Partial)> = parts.drain(..).enumerate().map(|(k, p)| (order[k % order.len()], p)).collect();
            keyed.sort_by_key(|x| x.0);
            let mut merged = Partial::new(vec!["a".into(), "b".into()]);
            for (_, p) in keyed {
                let shipped = Partial::from_json(&p.to_json()).unwrap();
                merged.merge(&shipped).unwrap();
            }
            prop_assert_eq!(merged.finish(), whole);
        }
    }
}
