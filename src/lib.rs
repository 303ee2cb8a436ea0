//! stancemeter: measure attitudes in text.
//!
//! Data flows one way: `ingest → text → score → aggregate → {export, chart, report}`, orchestrated by
//! [`pipeline`]. Sentiment is VADER, identical to vaderSentiment 3.3.2 ([`vader`]); stance is scored
//! toward configured targets with explainable cue lexicons ([`stance`]).

pub mod aggregate;
pub mod error;
pub mod ingest;
pub mod model;
pub mod score;
pub mod spill;
pub mod stance;
pub mod text;
pub mod vader;

pub use error::{Error, Result};
pub mod chart;
pub mod config;
pub mod entity;
pub mod eval;
pub mod export;
pub mod learn;
pub mod manifest;
pub mod outdir;
pub mod pipeline;
pub mod report;
pub mod stream;
