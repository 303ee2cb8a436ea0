//! The aggregate stage: scored units in, tables out. Each table is one polars lazy plan, collected once,
//! with an explicit sort, so that every output is deterministic. Export, charts and the report all read
//! these same tables; nothing is computed twice. Bootstrap intervals and reply agreement are computed in
//! Rust (`bootstrap`, `threads`) and joined into the plans.

pub use crate::partial::bootstrap;
pub mod digest;
mod frames;
pub mod threads;

use crate::error::{Error, Result};
use crate::model::sentiment_label;
use crate::partial::{Column, Plain};
use bootstrap::{mean_ci, share_ci};
use frames::Frames;
use polars::prelude::*;

/// A named aggregate table.
#[derive(Debug, Clone)]
pub struct Table {
    /// File stem: the CSV is `<name>.csv`.
    pub name: &'static str,
    /// One line for people: what a row is.
    pub title: &'static str,
    /// The data.
    pub df: DataFrame,
}

impl Table {
    fn missing(&self, col: &str, want: &str) -> Error {
        Error::Column {
            table: self.name.to_string(),
            column: col.to_string(),
            reason: if self.df.column(col).is_ok() {
                format!("is not {want}")
            } else {
                format!(
                    "is not one of its columns ({})",
                    self.df
                        .get_column_names()
                        .iter()
                        .map(|c| c.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            },
        }
    }

    /// A numeric column as f64 (nulls become NaN); a missing or non-numeric column is an error naming it.
    pub fn f64s(&self, col: &str) -> Result<Vec<f64>> {
        let c = self
            .df
            .column(col)
            .and_then(|c| c.cast(&DataType::Float64))
            .map_err(|_| self.missing(col, "numeric"))?;
        let ca = c.f64().map_err(|_| self.missing(col, "numeric"))?;
        Ok(ca.iter().map(|v| v.unwrap_or(f64::NAN)).collect())
    }

    /// A text column (nulls become empty strings); a missing or non-text column is an error naming it.
    pub fn strs(&self, col: &str) -> Result<Vec<String>> {
        let c = self.df.column(col).map_err(|_| self.missing(col, "text"))?;
        let ca = c.str().map_err(|_| self.missing(col, "text"))?;
        Ok(ca
            .iter()
            .map(|v| v.unwrap_or_default().to_string())
            .collect())
    }
}

/// All aggregate tables of a run.
#[derive(Debug, Clone)]
pub struct Tables {
    /// All units and each kind: counts, mean and median compound with intervals, shares, net sentiment.
    pub summary: Table,
    /// The journalist (article kinds) against the readers (comments).
    pub article_vs_comments: Table,
    /// The stance split of each target, overall and by voice, with intervals.
    pub stance_summary: Table,
    /// Stance counts by target and kind.
    pub stance_by_kind: Table,
    /// Per author: units, mean compound, stance counts.
    pub by_author: Table,
    /// Per day (or ISO week for long corpora): units, mean compound, stance counts.
    pub by_date: Table,
    /// Per entity: mentions, units, mean targeted compound with its interval, shares.
    pub sentiment_by_entity: Table,
    /// Per unit and entity: mentions and mean targeted compound.
    pub unit_entities: Table,
    /// Per thread: its root, size, and how many replies agree or disagree with their parent.
    pub threads: Table,
    /// Per reply: its parent, both stances, and whether it agrees.
    pub replies: Table,
    /// Tone against stance: units per sentiment and stance, with example ids.
    pub crosstab: Table,
    /// Compound per article paragraph, in page order.
    pub article_arc: Table,
    /// Per unit: tone (compound) against stance score (first target), labelled by author where known.
    pub tone_vs_stance: Table,
    /// For the charts, not written as a table: per voice, the share of its units in each compound bin of
    /// width 0.2 (`HISTOGRAM_BINS` bins from −1 to 1).
    pub compound_histogram: Table,
    /// For the charts, not written as a table: per voice, units in each cell of a 0.05 (tone) by 0.25
    /// (stance score) grid, for a density view of large corpora.
    pub tone_stance_density: Table,
}

pub use crate::partial::schema;

/// The number of compound bins of [`Tables::compound_histogram`], from −1 to 1.
pub const HISTOGRAM_BINS: usize = 10;
/// The voices, in the order charts show them.
pub const VOICES: [&str; 2] = ["article", "comments"];

/// The chart tables from tone_vs_stance's voice, compound and stance_score columns.
fn chart_bins(tvs: &DataFrame) -> PolarsResult<(DataFrame, DataFrame)> {
    let voices: Vec<&str> = tvs
        .column("voice")?
        .str()?
        .iter()
        .map(Option::unwrap_or_default)
        .collect();
    let f64s = |name: &str| -> PolarsResult<Vec<f64>> {
        Ok(tvs
            .column(name)?
            .cast(&DataType::Float64)?
            .f64()?
            .iter()
            .map(|v| v.unwrap_or(f64::NAN))
            .collect())
    };
    let (x, y) = (f64s("compound")?, f64s("stance_score")?);
    let (mut hv, mut hb, mut hs, mut hn) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut dv, mut dx, mut dy, mut dn) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for v in VOICES {
        let idx: Vec<usize> = (0..x.len()).filter(|&i| voices[i] == v).collect();
        let mut bins = vec![0.0; HISTOGRAM_BINS];
        for &i in &idx {
            let b = ((x[i] + 1.0) / 2.0 * HISTOGRAM_BINS as f64).floor() as usize;
            bins[b.min(HISTOGRAM_BINS - 1)] += 1.0 / idx.len() as f64;
        }
        for (b, share) in bins.into_iter().enumerate() {
            hv.push(v);
            hb.push(b as u32);
            hs.push(share);
            hn.push(idx.len() as u32);
        }
        let mut cells: std::collections::BTreeMap<(i64, i64), u32> = Default::default();
        for &i in &idx {
            *cells
                .entry(((x[i] / 0.05).round() as i64, (y[i] / 0.25).round() as i64))
                .or_default() += 1;
        }
        for ((bx, by), n) in cells {
            dv.push(v);
            dx.push(bx as f64 * 0.05);
            dy.push(by as f64 * 0.25);
            dn.push(n);
        }
    }
    Ok((
        df!("voice" => hv, "bin" => hb, "share" => hs, "voice_units" => hn)?,
        df!("voice" => dv, "compound" => dx, "stance_score" => dy, "units" => dn)?,
    ))
}

impl Tables {
    /// The tables in the order they are written and shown.
    pub fn all(&self) -> [&Table; 13] {
        [
            &self.summary,
            &self.article_vs_comments,
            &self.stance_summary,
            &self.stance_by_kind,
            &self.by_author,
            &self.by_date,
            &self.sentiment_by_entity,
            &self.unit_entities,
            &self.threads,
            &self.replies,
            &self.crosstab,
            &self.tone_vs_stance,
            &self.article_arc,
        ]
    }
}

fn agg_err(table: &str) -> impl FnOnce(PolarsError) -> Error + '_ {
    move |source| Error::Aggregate {
        table: table.to_string(),
        source,
    }
}

fn cols(names: &[&str]) -> Vec<Expr> {
    names.iter().map(|n| col(*n)).collect()
}

fn share(col_name: &str, value: &str) -> Expr {
    col(col_name).eq(lit(value)).cast(DataType::Float64).mean()
}

fn count_of(col_name: &str, value: &str) -> Expr {
    col(col_name).eq(lit(value)).cast(DataType::UInt32).sum()
}

/// Units, mean and median compound, and the sentiment shares of a group.
fn sentiment_aggs() -> Vec<Expr> {
    vec![
        col("compound").count().alias("units"),
        col("compound").mean().alias("mean_compound"),
        col("compound").median().alias("median_compound"),
        share("sentiment", "positive").alias("share_positive"),
        share("sentiment", "neutral").alias("share_neutral"),
        share("sentiment", "negative").alias("share_negative"),
    ]
}

/// (pos − neg) / (pos + neg): +1 all positive, −1 all negative, empty when neither.
fn net_sentiment() -> Expr {
    ((col("share_positive") - col("share_negative"))
        / (col("share_positive") + col("share_negative")))
    .alias("net_sentiment")
}

/// Intervals of the mean compound and of the positive and negative shares, per group key.
fn sentiment_cis(key: &str, groups: &[(String, Vec<f64>)]) -> PolarsResult<DataFrame> {
    let mut k = Vec::new();
    let (mut ml, mut mh, mut pl, mut ph, mut nl, mut nh) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    for (name, xs) in groups {
        let (a, b) = mean_ci(xs, "mean");
        let pos: Vec<bool> = xs
            .iter()
            .map(|&c| sentiment_label(c) == "positive")
            .collect();
        let neg: Vec<bool> = xs
            .iter()
            .map(|&c| sentiment_label(c) == "negative")
            .collect();
        let (c, d) = share_ci(&pos, "pos");
        let (e, f) = share_ci(&neg, "neg");
        k.push(name.as_str());
        ml.push(a);
        mh.push(b);
        pl.push(c);
        ph.push(d);
        nl.push(e);
        nh.push(f);
    }
    df!(key => k, "mean_ci_low" => ml, "mean_ci_high" => mh, "positive_ci_low" => pl, "positive_ci_high" => ph,
        "negative_ci_low" => nl, "negative_ci_high" => nh)
}

/// Entity ids and their names, for joining.
fn names_frame(names: &[(String, String)]) -> PolarsResult<DataFrame> {
    df!(
        "entity" => names.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>(),
        "name" => names.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>()
    )
}

fn left_join(lf: LazyFrame, other: DataFrame, on: &[&str]) -> LazyFrame {
    let keys: Vec<Expr> = cols(on);
    lf.join(
        other.lazy(),
        keys.clone(),
        keys,
        JoinArgs::new(JoinType::Left),
    )
}

pub use digest::Digests;

/// Computes every table from the digests of the scored units, in input order; `targets` are the target
/// ids and `entity_names` the display name of each entity id. The digests are dropped as soon as the frames
/// hold what they need. Runs on the current rayon pool (polars plans on polars' own).
pub fn tables(
    digests: Digests,
    targets: &[String],
    entity_names: &[(String, String)],
) -> Result<Tables> {
    let finished = digests.partial.finish();
    let f = Frames::build(digests, targets).map_err(agg_err("units"))?;
    // The threads table is counted on another thread of the pool (with more than one job) while the
    // tables before it in the file are planned here: it is the largest single part of aggregation.
    let (threads, planned) = rayon::join(
        || threads_table(&f.units, &f.replies).map_err(agg_err("threads")),
        || -> Result<_> {
            // Four tables come from the partial, in the order it gives (kinds in document order; targets by id,
            // voices and labels in their fixed order); authors and periods are sorted here again, by their keys.
            let in_order = SortMultipleOptions::default();
            let summary = from_partial(&finished.summary, &["row"], in_order.clone())
                .map_err(agg_err("summary"))?;
            let article_vs_comments = by_voice(&f).map_err(agg_err("article_vs_comments"))?;
            let stance_summary = from_partial(&finished.stance_summary, &["row"], in_order.clone())
                .map_err(agg_err("stance_summary"))?;

            let stance_by_kind = f
                .stances
                .clone()
                .lazy()
                .group_by([col("target"), col("kind_rank"), col("kind")])
                .agg([
                    col("label").count().alias("units"),
                    count_of("label", "favor").alias("favor"),
                    count_of("label", "against").alias("against"),
                    count_of("label", "none").alias("none"),
                ])
                .sort(["target", "kind_rank"], SortMultipleOptions::default())
                .select(cols(&schema::STANCE_BY_KIND))
                .collect()
                .map_err(agg_err("stance_by_kind"))?;

            let by_author = from_partial(
                &finished.by_author,
                &["units", "author"],
                SortMultipleOptions::default().with_order_descending_multi([true, false]),
            )
            .map_err(agg_err("by_author"))?;
            let by_date = from_partial(&finished.by_date, &["period"], in_order)
                .map_err(agg_err("by_date"))?;

            let entity_ci = {
                let groups = f.entity_groups();
                let (names, lo_hi): (Vec<&str>, Vec<(f64, f64)>) = groups
                    .iter()
                    .map(|(n, xs)| (n.as_str(), mean_ci(xs, "mean")))
                    .unzip();
                df!("entity" => names, "mean_ci_low" => lo_hi.iter().map(|x| x.0).collect::<Vec<_>>(), "mean_ci_high" => lo_hi.iter().map(|x| x.1).collect::<Vec<_>>())
                    .map_err(agg_err("sentiment_by_entity"))?
            };
            let sentiment_by_entity = left_join(
                f.mentions.clone().lazy().group_by([col("entity")]).agg([
                    col("compound").count().alias("mentions"),
                    col("order").n_unique().alias("units"),
                    col("compound").mean().alias("mean_targeted_compound"),
                    share("sentiment", "positive").alias("share_positive"),
                    share("sentiment", "negative").alias("share_negative"),
                ]),
                entity_ci,
                &["entity"],
            )
            .join(
                names_frame(entity_names)
                    .map_err(agg_err("sentiment_by_entity"))?
                    .lazy(),
                [col("entity")],
                [col("entity")],
                JoinArgs::new(JoinType::Left),
            )
            // An id missing from the names (none, as the mentions come from the same file) keeps its id.
            .with_column(
                when(col("name").is_null())
                    .then(col("entity"))
                    .otherwise(col("name"))
                    .alias("name"),
            )
            .sort(
                ["mentions", "entity"],
                SortMultipleOptions::default().with_order_descending_multi([true, false]),
            )
            .select(cols(&schema::SENTIMENT_BY_ENTITY))
            .collect()
            .map_err(agg_err("sentiment_by_entity"))?;

            let unit_entities = f
                .mentions
                .clone()
                .lazy()
                .group_by([col("order"), col("unit_id"), col("doc_id"), col("entity")])
                .agg([
                    col("compound").count().alias("mentions"),
                    col("compound").mean().alias("mean_targeted_compound"),
                ])
                .sort(["order", "entity"], SortMultipleOptions::default())
                .select(cols(&schema::UNIT_ENTITIES))
                .collect()
                .map_err(agg_err("unit_entities"))?;
            Ok((
                summary,
                article_vs_comments,
                stance_summary,
                stance_by_kind,
                by_author,
                by_date,
                sentiment_by_entity,
                unit_entities,
            ))
        },
    );
    let (
        summary,
        article_vs_comments,
        stance_summary,
        stance_by_kind,
        by_author,
        by_date,
        sentiment_by_entity,
        unit_entities,
    ) = planned?;
    let threads = threads?;

    let replies = f
        .replies
        .clone()
        .lazy()
        .sort(["order"], SortMultipleOptions::default())
        .select(cols(&schema::REPLIES))
        .collect()
        .map_err(agg_err("replies"))?;

    let crosstab = left_join(
        f.units
            .clone()
            .lazy()
            .group_by([
                col("sentiment_rank"),
                col("sentiment"),
                col("stance_rank"),
                col("stance"),
            ])
            .agg([col("id").count().alias("units")]),
        f.examples.clone(),
        &["sentiment", "stance"],
    )
    .with_column(
        ((col("sentiment")
            .eq(lit("negative"))
            .and(col("stance").eq(lit("favor"))))
        .or(col("sentiment")
            .eq(lit("positive"))
            .and(col("stance").eq(lit("against")))))
        .alias("tone_and_stance_disagree"),
    )
    .sort(
        ["sentiment_rank", "stance_rank"],
        SortMultipleOptions::default(),
    )
    .select(cols(&schema::CROSSTAB))
    .collect()
    .map_err(agg_err("crosstab"))?;

    let article_arc = f
        .units
        .clone()
        .lazy()
        .filter(col("kind").eq(lit("paragraph")))
        .sort(["order"], SortMultipleOptions::default())
        .select(cols(&["doc_id", "id", "compound", "sentiment"]))
        .with_row_index("position", Some(1))
        .collect()
        .map_err(agg_err("article_arc"))?;

    let tone_vs_stance = f
        .units
        .clone()
        .lazy()
        .sort(["order"], SortMultipleOptions::default())
        .select([
            col("doc_id"),
            col("id"),
            col("author").fill_null(col("id")).alias("label"),
            col("voice"),
            col("compound"),
            col("stance_score"),
            col("stance"),
        ])
        .collect()
        .map_err(agg_err("tone_vs_stance"))?;

    let (compound_histogram, tone_stance_density) =
        chart_bins(&tone_vs_stance).map_err(agg_err("compound_histogram"))?;
    let t = |name, title, df| Table { name, title, df };
    let tables = Tables {
        compound_histogram: t(
            "compound_histogram",
            "Compound distribution: share of each voice's units per bin",
            compound_histogram,
        ),
        tone_stance_density: t(
            "tone_stance_density",
            "Tone against stance: units per grid cell",
            tone_stance_density,
        ),
        summary: t(
            "summary",
            "All units and each kind: mean and median compound, sentiment shares, net sentiment, 95 % intervals (Wilson for shares; for means Student's t below 30 units, a bootstrap from 30)",
            summary,
        ),
        article_vs_comments: t(
            "article_vs_comments",
            "The journalist against the readers: article text and comments",
            article_vs_comments,
        ),
        stance_summary: t(
            "stance_summary",
            "Stance split per target, overall and by voice, with 95 % Wilson intervals",
            stance_summary,
        ),
        stance_by_kind: t(
            "stance_by_kind",
            "Stance by target and kind",
            stance_by_kind,
        ),
        by_author: t(
            "by_author",
            "Authors: units, mean compound and stance counts (first target)",
            by_author,
        ),
        by_date: t(
            "by_date",
            "Units, mean compound and stance counts per day (per ISO week when the dates span more than 60 days, per hour when they have times and span less than 2 days)",
            by_date,
        ),
        sentiment_by_entity: t(
            "sentiment_by_entity",
            "Targeted sentiment by entity (VADER compound of the clause around each mention), 95 % intervals of the mean (Student's t below 30 mentions, bootstrap from 30)",
            sentiment_by_entity,
        ),
        unit_entities: t(
            "unit_entities",
            "Entities per unit: mentions and mean targeted sentiment",
            unit_entities,
        ),
        threads: t(
            "threads",
            "Threads: root comment, size, and replies agreeing or disagreeing with their parent",
            threads,
        ),
        replies: t(
            "replies",
            "Replies: agreement with the parent comment, and why",
            replies,
        ),
        crosstab: t(
            "crosstab",
            "Tone against stance (first target): where they disagree, with example unit ids",
            crosstab,
        ),
        article_arc: t(
            "article_arc",
            "Article arc: compound paragraph by paragraph",
            article_arc,
        ),
        tone_vs_stance: t(
            "tone_vs_stance",
            "Tone against stance per unit: VADER compound and stance score (first target)",
            tone_vs_stance,
        ),
    };
    for t in tables
        .all()
        .into_iter()
        .chain([&tables.compound_histogram, &tables.tone_stance_density])
    {
        let have: Vec<&str> = t.df.get_column_names().iter().map(|c| c.as_str()).collect();
        if schema::of(t.name) != Some(have.as_slice()) {
            return Err(Error::Column {
                table: t.name.to_string(),
                column: have.join(","),
                reason: format!(
                    "are its columns, but aggregate::schema says {}",
                    schema::of(t.name).unwrap_or_default().join(",")
                ),
            });
        }
    }
    Ok(tables)
}

/// A table the partial finished, as a frame: one lazy plan that sorts it by `by` (`row` is its order
/// in the partial) and keeps the schema's columns. Counts become UInt32, as polars' own counts are.
fn from_partial(p: &Plain, by: &[&str], order: SortMultipleOptions) -> PolarsResult<DataFrame> {
    let mut columns =
        vec![UInt32Chunked::from_iter_values("row".into(), 0..p.rows() as u32).into_column()];
    for (name, c) in &p.columns {
        let name = PlSmallStr::from(*name);
        columns.push(match c {
            Column::Str(v) => {
                StringChunked::from_iter_values(name, v.iter().map(String::as_str)).into_column()
            }
            Column::U64(v) => UInt32Chunked::from_iter_values(
                name,
                v.iter().map(|&x| u32::try_from(x).unwrap_or(u32::MAX)),
            )
            .into_column(),
            Column::F64(v) => Float64Chunked::from_slice(name, v).into_column(),
        });
    }
    let names: Vec<&str> = p.columns.iter().map(|c| c.0).collect();
    DataFrame::new(p.rows(), columns)?
        .lazy()
        .sort(by.to_vec(), order)
        .select(cols(&names))
        .collect()
}

fn by_voice(f: &Frames) -> PolarsResult<DataFrame> {
    let groups: Vec<(String, Vec<f64>)> = ["article", "comments"]
        .iter()
        .map(|v| (v.to_string(), f.compounds(|u| u.voice == *v)))
        .collect();
    let ci = sentiment_cis("voice", &groups)?;
    let mut aggs = sentiment_aggs();
    aggs.extend([
        count_of("stance", "favor").alias("favor"),
        count_of("stance", "against").alias("against"),
        count_of("stance", "none").alias("none"),
    ]);
    let out_cols: Vec<&str> = schema::ARTICLE_VS_COMMENTS.to_vec();
    left_join(
        f.units.clone().lazy().group_by([col("voice")]).agg(aggs),
        ci,
        &["voice"],
    )
    .with_column(net_sentiment())
    .sort(["voice"], SortMultipleOptions::default())
    .select(cols(&out_cols))
    .collect()
}

/// One row per thread: its document, its root's id, author and stance, its size, and its replies'
/// agreement; the largest first, then in input order.
///
/// Counted in one pass over the units and one over the replies, keyed by the input position of the thread's
/// first unit (two documents may both have a c01, and an id may repeat), and then sorted by a polars plan.
/// The same table as two group-bys and two joins ([`threads_plan`], tested against it), which took
/// 0.5-0.9 s of a million comments' 1.1-2.5 s of aggregation.
fn threads_table(units: &DataFrame, replies: &DataFrame) -> PolarsResult<DataFrame> {
    let (ids, roots, roots_at) = (
        units.column("id")?.str()?,
        units.column("thread_root")?.str()?,
        units.column("root_at")?.u32()?,
    );
    let (docs, authors, stances) = (
        units.column("doc_id")?.str()?,
        units.column("author")?.str()?,
        units.column("stance")?.str()?,
    );
    let order = units.column("order")?.u32()?;
    // Threads in order of their first unit: root position, size, first unit's order, replies by agreement.
    struct Thread {
        root: usize,
        size: u32,
        order: Option<u32>,
        replies: [u32; 4],
    }
    let mut threads: Vec<Thread> = Vec::new();
    let mut at: rustc_hash::FxHashMap<u32, usize> = Default::default();
    for (k, root) in roots_at.iter().enumerate() {
        let Some(root) = root else { continue };
        let t = *at.entry(root).or_insert_with(|| {
            threads.push(Thread {
                root: root as usize,
                size: 0,
                order: None,
                replies: [0; 4],
            });
            threads.len() - 1
        });
        let t = &mut threads[t];
        t.size += u32::from(ids.get(k).is_some());
        t.order = match (t.order, order.get(k)) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    let (reply_roots, reply_ids) = (
        replies.column("root_at")?.u32()?,
        replies.column("reply_id")?.str()?,
    );
    let agreement = replies.column("agreement")?.str()?;
    for k in 0..replies.height() {
        let Some(&t) = reply_roots.get(k).and_then(|r| at.get(&r)) else {
            continue;
        };
        let r = &mut threads[t].replies;
        r[0] += u32::from(reply_ids.get(k).is_some());
        match agreement.get(k) {
            Some("agree") => r[1] += 1,
            Some("disagree") => r[2] += 1,
            Some("unclear") => r[3] += 1,
            _ => {}
        }
    }
    let counts = |name: &str, i: usize| {
        UInt32Chunked::from_iter_values(name.into(), threads.iter().map(|t| t.replies[i]))
            .into_column()
    };
    let of_root = |name: &str, c: &StringChunked| {
        StringChunked::from_iter_options(name.into(), threads.iter().map(|t| c.get(t.root)))
            .into_column()
    };
    let table = DataFrame::new(
        threads.len(),
        vec![
            of_root("doc_id", docs),
            of_root("thread_root", roots),
            of_root("root_author", authors),
            of_root("root_stance", stances),
            UInt32Chunked::from_iter_values("size".into(), threads.iter().map(|t| t.size))
                .into_column(),
            UInt32Chunked::from_iter_options("order".into(), threads.iter().map(|t| t.order))
                .into_column(),
            counts("replies", 0),
            counts("agreeing", 1),
            counts("disagreeing", 2),
            counts("unclear", 3),
        ],
    )?;
    in_thread_order(table.lazy())
}

/// The threads table's rows, largest thread first, then in input order, in its columns.
fn in_thread_order(threads: LazyFrame) -> PolarsResult<DataFrame> {
    threads
        .sort(
            ["size", "order"],
            SortMultipleOptions::default().with_order_descending_multi([true, false]),
        )
        .select(cols(&schema::THREADS))
        .collect()
}

/// The threads table by polars joins of two group-bys: the model [`threads_table`] is tested against.
#[cfg(test)]
fn threads_plan(units: &DataFrame, replies: &DataFrame) -> PolarsResult<DataFrame> {
    let sizes = units
        .clone()
        .lazy()
        .filter(col("root_at").is_not_null())
        .group_by([col("root_at")])
        .agg([
            col("id").count().alias("size"),
            col("order").min().alias("order"),
        ]);
    let agreement = replies.clone().lazy().group_by([col("root_at")]).agg([
        // The replies themselves, not size − 1: units that repeat a root's id are in its thread but
        // reply to nothing, and replies = agreeing + disagreeing + unclear must hold.
        col("reply_id").count().alias("replies"),
        count_of("agreement", "agree").alias("agreeing"),
        count_of("agreement", "disagree").alias("disagreeing"),
        count_of("agreement", "unclear").alias("unclear"),
    ]);
    // The root is the unit at the thread's position.
    let roots = units.clone().lazy().select([
        col("order").alias("root_at"),
        col("doc_id"),
        col("thread_root"),
        col("author").alias("root_author"),
        col("stance").alias("root_stance"),
    ]);
    let joined = sizes
        .join(
            roots,
            [col("root_at")],
            [col("root_at")],
            JoinArgs::new(JoinType::Left),
        )
        .join(
            agreement,
            [col("root_at")],
            [col("root_at")],
            JoinArgs::new(JoinType::Left),
        )
        .with_columns([
            col("replies").fill_null(lit(0u32)),
            col("agreeing").fill_null(lit(0u32)),
            col("disagreeing").fill_null(lit(0u32)),
            col("unclear").fill_null(lit(0u32)),
        ]);
    in_thread_order(joined)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A few names, so that ids, documents and authors repeat, and some are missing.
    fn name() -> impl Strategy<Value = Option<String>> {
        proptest::option::weighted(0.9, (0u8..6).prop_map(|k| format!("c{k}")))
    }

    prop_compose! {
        /// Units whose thread starts at some unit (or at none: article text), as `ingest::threads` gives.
        fn units()(rows in proptest::collection::vec(
            (name(), name(), name(), proptest::option::weighted(0.8, 0u32..40),
             prop_oneof![Just("favor"), Just("against"), Just("none")]),
            0..40,
        )) -> DataFrame {
            let n = rows.len() as u32;
            df!(
                "order" => (0..n).collect::<Vec<_>>(),
                "id" => rows.iter().map(|r| r.0.clone()).collect::<Vec<_>>(),
                "doc_id" => rows.iter().map(|r| r.1.clone()).collect::<Vec<_>>(),
                "thread_root" => rows.iter().map(|r| r.3.map(|_| "root")).collect::<Vec<_>>(),
                "root_at" => rows.iter().map(|r| r.3.map(|k| k % n)).collect::<Vec<_>>(),
                "author" => rows.iter().map(|r| r.2.clone()).collect::<Vec<_>>(),
                "stance" => rows.iter().map(|r| r.4).collect::<Vec<_>>(),
            )
            .unwrap()
        }
    }

    prop_compose! {
        /// Replies, some in no unit's thread.
        fn replies()(rows in proptest::collection::vec(
            (proptest::option::weighted(0.9, 0u32..40), name(),
             prop_oneof![Just("agree"), Just("disagree"), Just("unclear")]),
            0..30,
        )) -> DataFrame {
            df!(
                "root_at" => rows.iter().map(|r| r.0).collect::<Vec<_>>(),
                "reply_id" => rows.iter().map(|r| r.1.clone()).collect::<Vec<_>>(),
                "agreement" => rows.iter().map(|r| r.2).collect::<Vec<_>>(),
            )
            .unwrap()
        }
    }

    proptest! {
        /// The threads table counted in one pass is the table of the two group-bys and two joins, column
        /// types included: repeated ids, missing ids, documents and authors, and replies whose root is no
        /// thread's.
        #[test]
        fn threads_table_is_the_joined_group_bys(units in units(), replies in replies()) {
            let fast = threads_table(&units, &replies).unwrap();
            let plan = threads_plan(&units, &replies).unwrap();
            prop_assert_eq!(fast.schema(), plan.schema());
            prop_assert!(fast.equals_missing(&plan), "{fast}\n{plan}");
        }
    }
}
