//! The aggregate stage: scored units in, tables out. Each table is one polars lazy plan, collected
//! once, with an explicit sort, so that every output is deterministic. Export, charts and the report
//! all read these same tables.

use crate::error::{Error, Result};
use crate::model::{Kind, Scored, sentiment_label};
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
    /// A numeric column as f64 (nulls become NaN).
    pub fn f64s(&self, col: &str) -> Vec<f64> {
        self.df
            .column(col)
            .and_then(|c| c.cast(&DataType::Float64))
            .map(|c| {
                c.f64()
                    .map(|ca| ca.iter().map(|v| v.unwrap_or(f64::NAN)).collect())
                    .unwrap_or_default()
            })
            .unwrap_or_default()
    }

    /// A text column (nulls become empty strings).
    pub fn strs(&self, col: &str) -> Vec<String> {
        self.df
            .column(col)
            .ok()
            .and_then(|c| {
                c.str().ok().map(|ca| {
                    ca.iter()
                        .map(|v| v.unwrap_or_default().to_string())
                        .collect()
                })
            })
            .unwrap_or_default()
    }
}

/// All aggregate tables of a run.
#[derive(Debug, Clone)]
pub struct Tables {
    /// Sentiment by kind: the journalist (article kinds) against the readers (comments).
    pub sentiment_by_kind: Table,
    /// Stance counts by target and kind.
    pub stance_by_kind: Table,
    /// Compound per article paragraph, in page order.
    pub article_arc: Table,
    /// Per unit and entity: mentions and mean targeted compound.
    pub unit_entities: Table,
    /// Per entity: mentions, units, mean targeted compound, shares positive and negative.
    pub sentiment_by_entity: Table,
}

impl Tables {
    /// The tables in the order they are written and shown.
    pub fn all(&self) -> [&Table; 5] {
        [
            &self.sentiment_by_kind,
            &self.stance_by_kind,
            &self.sentiment_by_entity,
            &self.unit_entities,
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

/// One row per unit: the frame every plan starts from.
fn units_frame(scored: &[Scored]) -> PolarsResult<DataFrame> {
    let kind_rank: Vec<u32> = scored
        .iter()
        .map(|s| {
            Kind::ALL
                .iter()
                .position(|k| *k == s.unit().kind())
                .unwrap_or(0) as u32
        })
        .collect();
    let kind: Vec<&str> = scored.iter().map(|s| s.unit().kind().as_str()).collect();
    let order: Vec<u32> = (0..scored.len() as u32).collect();
    let id: Vec<&str> = scored.iter().map(|s| s.unit().id.as_str()).collect();
    let compound: Vec<f64> = scored.iter().map(|s| s.polarity.compound).collect();
    let sentiment: Vec<&str> = scored
        .iter()
        .map(|s| sentiment_label(s.polarity.compound))
        .collect();
    df!(
        "order" => order,
        "id" => id,
        "kind_rank" => kind_rank,
        "kind" => kind,
        "compound" => compound,
        "sentiment" => sentiment,
    )
}

/// One row per entity mention.
fn mention_frame(scored: &[Scored]) -> PolarsResult<DataFrame> {
    let (mut order, mut unit, mut entity, mut compound) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (k, s) in scored.iter().enumerate() {
        for m in &s.mentions {
            order.push(k as u32);
            unit.push(s.unit().id.as_str());
            entity.push(m.entity.as_str());
            compound.push(m.polarity.compound);
        }
    }
    let sentiment: Vec<&str> = compound.iter().map(|c| sentiment_label(*c)).collect();
    df!("order" => order, "unit_id" => unit, "entity" => entity, "compound" => compound, "sentiment" => sentiment)
}

/// One row per unit and target.
fn stance_frame(scored: &[Scored]) -> PolarsResult<DataFrame> {
    let mut target = Vec::new();
    let mut kind_rank = Vec::new();
    let mut kind = Vec::new();
    let mut label = Vec::new();
    for s in scored {
        for st in &s.stances {
            target.push(st.target.as_str());
            kind_rank.push(
                Kind::ALL
                    .iter()
                    .position(|k| *k == s.unit().kind())
                    .unwrap_or(0) as u32,
            );
            kind.push(s.unit().kind().as_str());
            label.push(st.label.as_str());
        }
    }
    df!("target" => target, "kind_rank" => kind_rank, "kind" => kind, "label" => label)
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

/// Computes every table.
pub fn tables(scored: &[Scored]) -> Result<Tables> {
    let units = units_frame(scored).map_err(agg_err("units"))?;
    let stances = stance_frame(scored).map_err(agg_err("stance"))?;

    let sentiment_by_kind = units
        .clone()
        .lazy()
        .group_by([col("kind_rank"), col("kind")])
        .agg([
            col("compound").count().alias("units"),
            col("compound").mean().alias("mean_compound"),
            col("compound").median().alias("median_compound"),
            share("sentiment", "positive").alias("share_positive"),
            share("sentiment", "neutral").alias("share_neutral"),
            share("sentiment", "negative").alias("share_negative"),
        ])
        .sort(["kind_rank"], SortMultipleOptions::default())
        .select(cols(&[
            "kind",
            "units",
            "mean_compound",
            "median_compound",
            "share_positive",
            "share_neutral",
            "share_negative",
        ]))
        .collect()
        .map_err(agg_err("sentiment_by_kind"))?;

    let stance_by_kind = stances
        .lazy()
        .group_by([col("target"), col("kind_rank"), col("kind")])
        .agg([
            col("label").count().alias("units"),
            count_of("label", "favor").alias("favor"),
            count_of("label", "against").alias("against"),
            count_of("label", "none").alias("none"),
        ])
        .sort(["target", "kind_rank"], SortMultipleOptions::default())
        .select(cols(&[
            "target", "kind", "units", "favor", "against", "none",
        ]))
        .collect()
        .map_err(agg_err("stance_by_kind"))?;

    let article_arc = units
        .lazy()
        .filter(col("kind").eq(lit("paragraph")))
        .sort(["order"], SortMultipleOptions::default())
        .select(cols(&["id", "compound", "sentiment"]))
        .with_row_index("position", Some(1))
        .collect()
        .map_err(agg_err("article_arc"))?;

    let mentions = mention_frame(scored).map_err(agg_err("mentions"))?;
    let unit_entities = mentions
        .clone()
        .lazy()
        .group_by([col("order"), col("unit_id"), col("entity")])
        .agg([
            col("compound").count().alias("mentions"),
            col("compound").mean().alias("mean_targeted_compound"),
        ])
        .sort(["order", "entity"], SortMultipleOptions::default())
        .select(cols(&[
            "unit_id",
            "entity",
            "mentions",
            "mean_targeted_compound",
        ]))
        .collect()
        .map_err(agg_err("unit_entities"))?;
    let sentiment_by_entity = mentions
        .lazy()
        .group_by([col("entity")])
        .agg([
            col("compound").count().alias("mentions"),
            col("unit_id").n_unique().alias("units"),
            col("compound").mean().alias("mean_targeted_compound"),
            share("sentiment", "positive").alias("share_positive"),
            share("sentiment", "negative").alias("share_negative"),
        ])
        .sort(
            ["mentions", "entity"],
            SortMultipleOptions::default().with_order_descending_multi([true, false]),
        )
        .collect()
        .map_err(agg_err("sentiment_by_entity"))?;

    Ok(Tables {
        unit_entities: Table {
            name: "unit_entities",
            title: "Entities per unit: mentions and mean targeted sentiment",
            df: unit_entities,
        },
        sentiment_by_entity: Table {
            name: "sentiment_by_entity",
            title: "Targeted sentiment by entity (VADER compound of the clause around each mention)",
            df: sentiment_by_entity,
        },
        sentiment_by_kind: Table {
            name: "sentiment_by_kind",
            title: "Sentiment by kind: the article's parts against the comments",
            df: sentiment_by_kind,
        },
        stance_by_kind: Table {
            name: "stance_by_kind",
            title: "Stance by target and kind",
            df: stance_by_kind,
        },
        article_arc: Table {
            name: "article_arc",
            title: "Article arc: compound paragraph by paragraph",
            df: article_arc,
        },
    })
}
