//! The contract between the aggregate tables and the outputs (export, chart, report): each table's
//! columns, in order, in one place. `aggregate::tables` checks every table against it, so a plan that drifts
//! is an error naming the table, and an output that asks for a column not here gets one too. It lives in the
//! scoring core because the mergeable partials ([`super::Partial`]) finish into four of these tables too.

const SENTIMENT: [&str; 13] = [
    "units",
    "mean_compound",
    "mean_ci_low",
    "mean_ci_high",
    "median_compound",
    "share_positive",
    "positive_ci_low",
    "positive_ci_high",
    "share_neutral",
    "share_negative",
    "negative_ci_low",
    "negative_ci_high",
    "net_sentiment",
];
const fn prefixed<const N: usize>(first: &'static str) -> [&'static str; N] {
    let mut out = [""; N];
    out[0] = first;
    let mut k = 0;
    while k < SENTIMENT.len() {
        out[k + 1] = SENTIMENT[k];
        k += 1;
    }
    out
}
const fn with_stances<const N: usize>(head: [&'static str; 14]) -> [&'static str; N] {
    let mut out = [""; N];
    let mut k = 0;
    while k < head.len() {
        out[k] = head[k];
        k += 1;
    }
    out[14] = "favor";
    out[15] = "against";
    out[16] = "none";
    out
}
/// summary.csv
pub const SUMMARY: [&str; 14] = prefixed("kind");
/// article_vs_comments.csv
pub const ARTICLE_VS_COMMENTS: [&str; 17] = with_stances(prefixed::<14>("voice"));
/// stance_summary.csv
pub const STANCE_SUMMARY: [&str; 7] = [
    "target", "voice", "label", "units", "share", "ci_low", "ci_high",
];
/// stance_by_kind.csv
pub const STANCE_BY_KIND: [&str; 6] = ["target", "kind", "units", "favor", "against", "none"];
/// by_author.csv
pub const BY_AUTHOR: [&str; 6] = [
    "author",
    "units",
    "mean_compound",
    "favor",
    "against",
    "none",
];
/// by_date.csv
pub const BY_DATE: [&str; 6] = [
    "period",
    "units",
    "mean_compound",
    "favor",
    "against",
    "none",
];
/// sentiment_by_entity.csv
pub const SENTIMENT_BY_ENTITY: [&str; 9] = [
    "entity",
    "name",
    "mentions",
    "units",
    "mean_targeted_compound",
    "mean_ci_low",
    "mean_ci_high",
    "share_positive",
    "share_negative",
];
/// unit_entities.csv
pub const UNIT_ENTITIES: [&str; 5] = [
    "unit_id",
    "doc_id",
    "entity",
    "mentions",
    "mean_targeted_compound",
];
/// threads.csv
pub const THREADS: [&str; 9] = [
    "doc_id",
    "thread_root",
    "root_author",
    "root_stance",
    "size",
    "replies",
    "agreeing",
    "disagreeing",
    "unclear",
];
/// replies.csv
pub const REPLIES: [&str; 10] = [
    "doc_id",
    "thread_root",
    "reply_id",
    "reply_author",
    "parent_id",
    "parent_author",
    "reply_stance",
    "parent_stance",
    "agreement",
    "because",
];
/// crosstab.csv
pub const CROSSTAB: [&str; 5] = [
    "sentiment",
    "stance",
    "units",
    "tone_and_stance_disagree",
    "example_ids",
];
/// tone_vs_stance.csv
pub const TONE_VS_STANCE: [&str; 7] = [
    "doc_id",
    "id",
    "label",
    "voice",
    "compound",
    "stance_score",
    "stance",
];
/// article_arc.csv
pub const ARTICLE_ARC: [&str; 5] = ["position", "doc_id", "id", "compound", "sentiment"];
/// The compound histogram the charts draw.
pub const COMPOUND_HISTOGRAM: [&str; 4] = ["voice", "bin", "share", "voice_units"];
/// The tone and stance density the charts draw on large corpora.
pub const TONE_STANCE_DENSITY: [&str; 4] = ["voice", "compound", "stance_score", "units"];

/// The tables `run` writes, in the order of `aggregate::Tables::all`.
pub const TABLES: [&str; 13] = [
    "summary",
    "article_vs_comments",
    "stance_summary",
    "stance_by_kind",
    "by_author",
    "by_date",
    "sentiment_by_entity",
    "unit_entities",
    "threads",
    "replies",
    "crosstab",
    "tone_vs_stance",
    "article_arc",
];

/// The columns of the table named `name`.
pub fn of(name: &str) -> Option<&'static [&'static str]> {
    Some(match name {
        "summary" => &SUMMARY,
        "article_vs_comments" => &ARTICLE_VS_COMMENTS,
        "stance_summary" => &STANCE_SUMMARY,
        "stance_by_kind" => &STANCE_BY_KIND,
        "by_author" => &BY_AUTHOR,
        "by_date" => &BY_DATE,
        "sentiment_by_entity" => &SENTIMENT_BY_ENTITY,
        "unit_entities" => &UNIT_ENTITIES,
        "threads" => &THREADS,
        "replies" => &REPLIES,
        "crosstab" => &CROSSTAB,
        "tone_vs_stance" => &TONE_VS_STANCE,
        "article_arc" => &ARTICLE_ARC,
        "compound_histogram" => &COMPOUND_HISTOGRAM,
        "tone_stance_density" => &TONE_STANCE_DENSITY,
        _ => return None,
    })
}
