#!/usr/bin/env python3
"""Score a comment corpus with stancemeter inside Spark; write run's aggregate tables as Parquet and CSV.

    python examples/spark/stancemeter_spark.py comments.jsonl --out tables/ --master "local[2]"
    spark-submit examples/spark/stancemeter_spark.py "s3://bucket/reddit/*.jsonl" --out tables/

Each partition is scored with `Scorer.score_arrow` through `mapInArrow` (Arrow batches, no row passes
through Python objects) and folded into a `Partial`; the driver merges the partials and writes
summary, stance_summary, by_author and by_date, the same tables `stancemeter run` writes for the same
corpus, byte for byte in CSV. Rows are read as `run` reads them: each role's column by the names `run`
tries (stancemeter.column_defaults()) unless named; Reddit's t1_/t3_ prefixes; empty texts and texts
over 1 MiB rejected and counted.
Replies get their parent's text (a join on the id), so that sentences quoting the parent are left out of
stance as `run` leaves them out; so are sentences that repeat the article text (rows of an article kind)
of the same input file. Ids must be unique within the corpus (run uses the last of a repeated id).
Rejected rows (no text, an empty one, one over 1 MiB, a date or kind that cannot be read) are counted
and left out, as `run --skip-bad` does; spark.json gives read = scored + rejected.
"""

import argparse
import json
import os
import sys

import pyarrow as pa
import pyarrow.parquet as pq
from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

ARTICLE_KINDS = ["title", "heading", "paragraph", "caption"]
MAX_TEXT_BYTES = 1 << 20


def out_type(name):
    """The Spark type of a column that score_arrow adds: scores are doubles, labels and cues text."""
    numeric = name in ("neg", "neu", "pos", "compound") or name.startswith(("stance_score", "stance_confidence"))
    return T.DoubleType() if numeric else T.StringType()


def pick(columns, given, names, role, required=False):
    if given:
        if given not in columns:
            sys.exit(f"error: --{role}-column {given!r} is not a column of the input ({', '.join(columns)})")
        return given
    found = next((c for c in names if c in columns), None)
    if required and found is None:
        sys.exit(f"error: no {role} column among {', '.join(columns)}; name it with --{role}-column")
    return found


def reddit_id(c):
    """An id as run reads it: trimmed, empty as missing, a t1_..t6_ prefix dropped."""
    t = F.trim(c.cast("string"))
    return F.when(t == "", None).otherwise(F.regexp_replace(t, r"^t[1-6]_", ""))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("inputs", nargs="+", help="JSONL, Parquet or CSV files, folders or globs")
    ap.add_argument("--out", required=True, help="folder for the tables (CSV and Parquet)")
    ap.add_argument("--format", choices=["jsonl", "parquet", "csv"], help="default: by the first input's extension")
    ap.add_argument("--text-column")
    ap.add_argument("--id-column")
    ap.add_argument("--parent-column")
    ap.add_argument("--author-column")
    ap.add_argument("--date-column")
    ap.add_argument("--kind-column")
    ap.add_argument("--doc-column")
    ap.add_argument("--target", help="a target TOML (default: the embedded Xiaomi target)")
    ap.add_argument("--units", help="also write every scored row (the input's columns, then the scores) as Parquet to this folder")
    ap.add_argument("--master", help='Spark master, e.g. "local[2]" (default: spark-submit\'s)')
    a = ap.parse_args(argv)

    for path in a.inputs:
        local = "://" not in path and not any(ch in path for ch in "*?[")
        if local and not os.path.exists(path):
            sys.exit(f"error: {path}: no such file or folder")
    ext = a.inputs[0].rstrip("/").rsplit(".", 1)[-1].lower()
    fmt = a.format or {"parquet": "parquet", "csv": "csv"}.get(ext, "jsonl")
    # Local workers run this interpreter (with stancemeter and pyarrow installed); a cluster sets its own
    # (spark.pyspark.python, or the environment shipped with --archives).
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("stancemeter")
    if a.master:
        builder = builder.master(a.master)
    spark = builder.config("spark.sql.execution.arrow.maxRecordsPerBatch", "4096").getOrCreate()
    # Enough tasks to keep every core busy to the end (the defaults give 128 MB splits and 200 shuffle
    # partitions, whatever the cluster), without tasks so small that their start-up dominates.
    cores = spark.sparkContext.defaultParallelism
    spark.conf.set("spark.sql.shuffle.partitions", str(max(4 * cores, 8)))
    spark.conf.set("spark.sql.files.maxPartitionBytes", str(32 << 20))
    if fmt == "parquet":
        df = spark.read.parquet(*a.inputs)
    elif fmt == "csv":
        # RFC 4180 as run reads it: a header row, quoted fields that may hold newlines, "" for a quote.
        df = spark.read.csv(a.inputs, header=True, multiLine=True, escape='"')
    else:
        df = spark.read.json(a.inputs)

    from stancemeter import column_defaults

    # The column of each role: the one named, or the first of the names run tries.
    names = dict(column_defaults())
    cols = df.columns
    text = pick(cols, a.text_column, names["text"], "text", required=True)
    ident = pick(cols, a.id_column, names["id"], "id")
    parent = pick(cols, a.parent_column, names["parent"], "parent")
    author = pick(cols, a.author_column, names["author"], "author")
    date = pick(cols, a.date_column, names["date"], "date")
    kind = pick(cols, a.kind_column, names["kind"], "kind")
    doc = pick(cols, a.doc_column, names["doc"], "doc")

    # The columns the scorer and the partial read, under fixed names; the input's own pass through.
    blank = F.trim(F.col(text)) == ""
    too_long = F.octet_length(F.col(text)) > MAX_TEXT_BYTES
    file_stem = F.regexp_extract(F.input_file_name(), r"([^/]+?)(\.[^./]+)?$", 1)
    keep = [F.col(f"`{c}`") for c in cols] if a.units else []
    rows = df.select(
        *keep,
        F.monotonically_increasing_id().alias("_order"),
        F.when(F.col(text).isNull() | blank | too_long, None).otherwise(F.col(text)).alias("_text"),
        (reddit_id(F.col(ident)) if ident else F.lit(None).cast("string")).alias("_id"),
        (
            F.when(F.trim(F.col(parent).cast("string")).startswith("t3_"), None).otherwise(reddit_id(F.col(parent)))
            if parent
            else F.lit(None).cast("string")
        ).alias("_parent"),
        (F.col(author).cast("string") if author else F.lit(None).cast("string")).alias("_author"),
        (F.col(date).cast("string") if date else F.lit(None).cast("string")).alias("_date"),
        (F.lower(F.trim(F.col(kind).cast("string"))) if kind else F.lit(None).cast("string")).alias("_kind"),
        # The document, as in run: the doc column, else the input file; its article rows may be quoted by
        # its comments.
        (F.coalesce(reddit_id(F.col(doc)), file_stem) if doc else file_stem).alias("_doc"),
    )
    # One parent per id: a repeated id names the last unit with it, as in run.
    parents = (
        rows.where(F.col("_id").isNotNull())
        .groupBy(F.col("_id").alias("_pid"))
        .agg(F.max_by("_text", "_order").alias("_parent_text"))
    )
    rows = rows.join(parents, rows["_parent"] == parents["_pid"], "left").drop("_pid")
    # Article text is collected to the driver and given to every scorer (a few paragraphs per document);
    # without a kind column every row is a comment, and the input is not read for it.
    articles = []
    if kind:
        articles = [
            (r["_doc"], r["_text"])
            for r in rows.where(F.col("_kind").isin(ARTICLE_KINDS) & F.col("_text").isNotNull())
            .select("_doc", "_text")
            .collect()
        ]

    from stancemeter import Scorer

    probe = Scorer(target=a.target)
    targets = probe.targets
    out_fields = [T.StructField(n, out_type(n), True) for n in probe.output_columns]
    scored_schema = T.StructType(rows.schema.fields + out_fields)
    target = a.target

    def score(batches):
        from stancemeter import Scorer

        scorer = Scorer(target=target)
        for doc, t in articles:
            scorer.add_article(t, doc)
        for b in batches:
            yield scorer.score_arrow(
                b, text_column="_text", parent_text_column="_parent_text", doc_column="_doc", kind_column="_kind"
            )

    def aggregate(batches):
        from stancemeter import Partial

        p = Partial(targets)
        read = 0
        for b in batches:
            read += b.num_rows
            # Rows with an unreadable date or kind are rejected, as run --skip-bad rejects them.
            p.add_arrow(b, kind_column="_kind", author_column="_author", date_column="_date", skip_bad=True)
        yield pa.record_batch({"partial": [p.to_json()], "read": [read], "scored": [p.units]})

    scored = rows.mapInArrow(score, scored_schema)
    if a.units:
        scored = scored.persist()
        internal = [c for c in rows.columns if c.startswith("_") and c not in cols]
        scored.where(F.col("compound").isNotNull()).drop(*internal).write.mode("overwrite").parquet(a.units)
    parts = scored.mapInArrow(aggregate, "partial string, read long, scored long").collect()

    from stancemeter import Partial

    merged = Partial(targets)
    read = scored_n = 0
    for r in parts:
        merged.merge(Partial.from_json(r["partial"]))
        read += r["read"]
        scored_n += r["scored"]
    os.makedirs(a.out, exist_ok=True)
    merged.write_csv(a.out)
    for name, batch in merged.tables().items():
        pq.write_table(pa.Table.from_batches([batch]), os.path.join(a.out, f"{name}.parquet"))
    with open(os.path.join(a.out, "spark.json"), "w", encoding="utf-8") as f:
        json.dump({"inputs": a.inputs, "read": read, "scored": scored_n, "rejected": read - scored_n,
                   "partitions": len(parts), "targets": targets}, f, indent=2)
    print(f"{read} read = {scored_n} scored + {read - scored_n} rejected; tables in {a.out}", file=sys.stderr)
    spark.stop()


if __name__ == "__main__":
    main()
