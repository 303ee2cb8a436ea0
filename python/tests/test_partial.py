"""Partials computed per partition and merged in any order give `stancemeter run`'s tables, byte for byte."""

import csv
import json
import random
import subprocess

import pyarrow as pa
import pyarrow.json as pj
import pytest

from stancemeter import Partial, Scorer

from conftest import ROOT

TABLES = ["summary", "stance_summary", "by_author", "by_date"]


def corpus(path, n, seed, hourly=False):
    """A Reddit-style JSONL corpus from the repository's own stance texts: authors, dates, replies."""
    texts = []
    for name in ("dev.csv", "heldout.csv", "blind.csv"):
        with open(ROOT / "tests" / "fixtures" / "stance" / name, encoding="utf-8", newline="") as f:
            texts.extend(row["text"] for row in csv.DictReader(f))
    rng = random.Random(seed)
    start = 1530835200
    with open(path, "w", encoding="utf-8") as f:
        for k in range(n):
            parts = [rng.choice(texts) for _ in range(rng.choice((1, 1, 2)))]
            rec = {
                "id": f"t1_c{k}",
                "parent_id": (f"t1_c{rng.randrange(k)}" if k and rng.random() < 0.4 else "t3_post"),
                "author": rng.choice([f"user{rng.randrange(40)}", " padded ", "", None]),
                "created_utc": start + k * (30 if hourly else 3000) + rng.randrange(30),
                "body": " ".join(parts),
            }
            if k % 97 == 5:
                rec["kind"] = "paragraph"
            f.write(json.dumps(rec) + "\n")


def partition_partials(path, parts, seed):
    """What the Spark job does, without Spark: parent text joined on, Reddit prefixes as run reads them."""
    table = pj.read_json(path)
    rows = table.to_pylist()
    strip = lambda s: s[3:] if s and len(s) > 3 and s[0] == "t" and s[1] in "123456" and s[2] == "_" else s
    text_of = {strip(r["id"]): r["body"] for r in rows}
    parent_text = [
        None if not r["parent_id"] or r["parent_id"].startswith("t3_") else text_of.get(strip(r["parent_id"]))
        for r in rows
    ]
    table = table.append_column("parent_text", pa.array(parent_text, pa.string()))
    scorer = Scorer()
    # One input file is one document: its article text (here, the rows of kind paragraph) may be quoted.
    for r in rows:
        if r.get("kind") == "paragraph":
            scorer.add_article(r["body"])
    rng = random.Random(seed)
    order = list(range(table.num_rows))
    rng.shuffle(order)
    cuts = sorted(rng.sample(range(1, table.num_rows), parts - 1))
    partials = []
    for a, b in zip([0] + cuts, cuts + [table.num_rows]):
        p = scorer.partial()
        chunk = table.take(order[a:b])
        for batch in chunk.to_batches(max_chunksize=500):
            scored = scorer.score_arrow(
                batch, text_column="body", parent_text_column="parent_text", kind_column="kind"
            )
            p.add_arrow(scored)  # the date column is found: created_utc
        partials.append(p.to_json())
    rng.shuffle(partials)
    merged = scorer.partial()
    for j in partials:
        merged.merge(Partial.from_json(j))
    return merged


@pytest.mark.parametrize("hourly", [False, True])
def test_merged_partials_equal_run(tmp_path, binary, hourly):
    path = tmp_path / "c.jsonl"
    corpus(path, 3000, seed=7, hourly=hourly)
    subprocess.run([binary, "run", "--quiet", "--out", tmp_path / "run", path], check=True)
    merged = partition_partials(path, parts=7, seed=3)
    assert merged.units == 3000
    out = tmp_path / "py"
    out.mkdir()
    merged.write_csv(out)
    for t in TABLES:
        got = (out / f"{t}.csv").read_bytes()
        want = (tmp_path / "run" / f"{t}.csv").read_bytes()
        assert got == want, f"{t}.csv differs from run's"
    period = (out / "by_date.csv").read_text().splitlines()[1].split(",")[0]
    assert (":00" in period) == hourly, period


def test_tables_and_json_round_trip():
    s = Scorer()
    p = s.partial()
    p.add_arrow(s.score_arrow(pa.record_batch({"text": ["I'd buy one tomorrow", "meh"], "author": ["a", "b"]})))
    t = p.tables()
    assert list(t) == TABLES
    assert t["by_author"].column_names == ["author", "units", "mean_compound", "favor", "against", "none"]
    q = Partial.from_json(p.to_json())
    assert q.to_json() == p.to_json() and q.units == 2


def test_bad_rows_and_partials_are_named():
    s = Scorer()
    p = s.partial()
    scored = s.score_arrow(pa.record_batch({"text": ["x", "y"], "date": ["2018-07-06", "yesterday"]}))
    with pytest.raises(ValueError, match=r"row 2 of the batch: .*yesterday"):
        p.add_arrow(scored)
    with pytest.raises(ValueError, match="different targets"):
        p.merge(Partial(["other"]))
    with pytest.raises(ValueError, match="not a stancemeter partial"):
        Partial.from_json("{}")
    with pytest.raises(KeyError, match="compound"):
        p.add_arrow(pa.record_batch({"text": ["x"]}))


def test_atomic_batches_skip_bad_and_self_merge():
    s = Scorer()
    p = s.partial()
    scored = s.score_arrow(pa.record_batch({"text": ["good", "bad", ""], "date": ["2018-07-06", "2023-13-45", None]}))
    with pytest.raises(ValueError, match="row 2 of the batch"):
        p.add_arrow(scored)
    assert p.units == 0, "an error adds nothing of the batch"
    assert p.add_arrow(scored, skip_bad=True) == 2, "the bad date and the empty text are left out"
    assert p.units == 1
    p.merge(p)
    assert p.units == 2
    assert Partial(None).units == 0


def test_a_partial_refuses_stances_toward_another_target(tmp_path):
    other = tmp_path / "other.toml"
    text = (ROOT / "data" / "targets" / "xiaomi-us-entry.toml").read_text(encoding="utf-8")
    text = text.replace('id = "xiaomi-us-entry"', 'id = "other"').replace('model = "xiaomi-us-entry.model"', "")
    other.write_text(text, encoding="utf-8")
    scored = Scorer().score_arrow(pa.record_batch({"text": ["Let them in"]}))
    mine = Scorer(target=str(other))
    assert mine.targets == ["other"]
    with pytest.raises(ValueError, match="toward \"xiaomi-us-entry\""):
        mine.partial().add_arrow(scored)
