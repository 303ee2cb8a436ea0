#!/usr/bin/env python3
"""Makes a large, realistic comment corpus for benchmarks, reproducibly from a seed.

    python3 scripts/gen-corpus.py --comments 1000000 --format jsonl --out target/bench/1m.jsonl
    python3 scripts/gen-corpus.py --comments 200000 --format csv --seed 7 --out corpus.csv

Each comment has an id, an author (a few write most, as in any comment section), a date (spread over
90 days from 2018-06-01, in order), a parent (about 40 % are replies, mostly to recent comments, so
threads grow deep as well as wide) and a text of one to four sentences. Sentences come from the VADER
conformance corpora in ../shared (tweets, movie and product reviews, editorials) when they are there, and
always from the embedded article and the stance development set, so that about a third of the comments
speak of Xiaomi and the default target fits. JSONL is Reddit-shaped (id, parent_id, author, created_utc in
Unix seconds, body); CSV has id, parent_id, author, date (ISO 8601), text. The same arguments give the same
bytes on any machine with the same ../shared.
"""

import argparse
import csv
import datetime
import json
import os
import random
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
START = 1527811200  # 2018-06-01T00:00:00Z
SPAN = 90 * 86400


def sentences(text):
    """Splits prose into rough sentences (good enough to recombine; the pipeline splits properly)."""
    out, cur = [], []
    for word in text.split():
        cur.append(word)
        if word[-1] in ".!?" and len(cur) > 2:
            out.append(" ".join(cur))
            cur = []
    if cur:
        out.append(" ".join(cur))
    return out


def pools(shared):
    """General sentences (conformance corpora, the article) and on-topic texts (stance set)."""
    general = []
    corpora = os.path.join(shared, "vader-conformance", "corpora")
    for name in ("tweets.tsv", "movie_reviews.tsv", "amazon_reviews.tsv", "nyt_editorials.tsv"):
        path = os.path.join(corpora, name)
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8") as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) >= 3:
                    general.extend(sentences(parts[2]))
    with open(os.path.join(ROOT, "data", "corpus", "xiaomi-us-entry.txt"), encoding="utf-8") as f:
        general.extend(s for s in sentences(f.read()) if len(s) > 20)
    topical = []
    stance = os.path.join(ROOT, "tests", "fixtures", "stance")
    for name in sorted(os.listdir(stance)):
        if name.endswith(".csv"):
            with open(os.path.join(stance, name), encoding="utf-8", newline="") as f:
                topical.extend(row["text"] for row in csv.DictReader(f))
    return general, topical


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--comments", type=int, required=True, help="how many comments")
    ap.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--reply-share", type=float, default=0.4, help="share of comments that reply")
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"), help="the shared folder")
    ap.add_argument("--out", default="-", help="output file, - for stdout")
    a = ap.parse_args()
    if a.comments < 1:
        ap.error("--comments must be at least 1")
    general, topical = pools(a.shared)
    rng = random.Random(a.seed)
    authors = max(10, a.comments // 20)
    out = sys.stdout if a.out == "-" else open(a.out, "w", encoding="utf-8", newline="")
    writer = None
    if a.format == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["id", "parent_id", "author", "date", "text"])
    step = SPAN / a.comments
    for k in range(a.comments):
        parts = [rng.choice(general) for _ in range(rng.choice((1, 1, 2, 2, 3, 4)))]
        if rng.random() < 0.33:
            parts.insert(rng.randrange(len(parts) + 1), rng.choice(topical))
        text = " ".join(parts)
        parent = ""
        if k > 0 and rng.random() < a.reply_share:
            # Mostly recent comments, sometimes any earlier one.
            back = int(rng.expovariate(1 / 30)) + 1 if rng.random() < 0.8 else rng.randrange(1, k + 1)
            parent = f"c{max(0, k - back)}"
        # Zipf-like authors: a few write most.
        author = f"user{int(authors ** rng.random()) - 1}"
        secs = START + int(k * step + rng.random() * step)
        if writer:
            date = datetime.datetime.fromtimestamp(secs, datetime.timezone.utc).strftime(
                "%Y-%m-%dT%H:%M:%SZ"
            )
            writer.writerow([f"c{k}", parent, author, date, text])
        else:
            rec = {"id": f"c{k}", "parent_id": parent or None, "author": author, "created_utc": secs, "body": text}
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main()
