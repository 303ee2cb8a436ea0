//! stancemeter: measure attitudes in text.
//!
//! Data flows one way: `ingest → text → score → aggregate → {export, chart, report}`, orchestrated by
//! [`pipeline`]. Sentiment is VADER, identical to vaderSentiment 3.3.2 ([`vader`]); stance is scored
//! toward configured targets with explainable cue lexicons ([`stance`]); one [`score::Scorer`] scores
//! every unit for every caller.
//!
//! Without the default `report` feature the crate is the scoring core alone (ingest, text, VADER, stance,
//! entities, the `score` stream, eval and learn), with no polars or plotters: what the Python package
//! carries.

pub mod config;
pub mod entity;
pub mod error;
pub mod eval;
pub mod export;
mod fixed;
pub mod human;
pub mod ingest;
pub mod learn;
pub mod model;
pub mod outdir;
pub mod partial;
pub mod pystr;
pub mod reply;
pub mod score;
pub mod spill;
pub mod stance;
pub mod stream;
pub mod text;
pub mod train;
pub mod vader;

#[cfg(feature = "report")]
pub mod aggregate;
#[cfg(feature = "report")]
pub mod chart;
#[cfg(feature = "report")]
pub mod manifest;
#[cfg(feature = "report")]
pub mod pipeline;
#[cfg(feature = "report")]
pub mod report;

pub use error::{Error, Result};
