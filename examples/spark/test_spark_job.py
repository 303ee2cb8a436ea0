"""The Spark job, in local mode on 200 k generated comments, writes the tables `stancemeter run` writes."""

import os
import pathlib
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SHARED = pathlib.Path(os.environ.get("STANCEMETER_SHARED", ROOT.parent / "shared"))
COMMENTS = int(os.environ.get("STANCEMETER_SPARK_COMMENTS", "200000"))
TABLES = ["summary", "stance_summary", "by_author", "by_date"]


def need(ok, why):
    if not ok:
        if os.environ.get("CI") == "true":
            pytest.fail(why)
        pytest.skip(why)


def test_spark_tables_equal_run(tmp_path):
    need(shutil.which("java") is not None, "no java on PATH: Spark needs a JRE (just py-test installs one)")
    need((SHARED / "vader-conformance").is_dir(), f"{SHARED} is missing: the corpus generator draws on it")
    pytest.importorskip("pyspark")
    corpus = tmp_path / "corpus.jsonl"
    subprocess.run(
        [sys.executable, ROOT / "scripts" / "gen-corpus.py", "--comments", str(COMMENTS), "--out", corpus,
         "--shared", SHARED],
        check=True,
    )
    binary = os.environ.get("STANCEMETER_BIN") or ROOT / "target" / "release" / "stancemeter"
    subprocess.run([binary, "run", "--quiet", "--out", tmp_path / "run", corpus], check=True)
    job = subprocess.run(
        [sys.executable, ROOT / "examples" / "spark" / "stancemeter_spark.py", corpus,
         "--out", tmp_path / "spark", "--master", "local[2]"],
        capture_output=True, text=True,
    )
    assert job.returncode == 0, job.stderr[-3000:]
    assert f"{COMMENTS} read = {COMMENTS} scored + 0 rejected" in job.stderr
    for t in TABLES:
        got = (tmp_path / "spark" / f"{t}.csv").read_bytes()
        want = (tmp_path / "run" / f"{t}.csv").read_bytes()
        assert got == want, f"{t}.csv from Spark differs from run's"
        assert (tmp_path / "spark" / f"{t}.parquet").stat().st_size > 0


def test_spark_rejects_and_repeats_as_run_skip_bad(tmp_path):
    """Blank texts, an unreadable date, a repeated id and a CSV input: the same tables as run --skip-bad."""
    need(shutil.which("java") is not None, "no java on PATH: Spark needs a JRE (just py-test installs one)")
    pytest.importorskip("pyspark")
    import csv
    import json

    rows = [
        {"id": "a1", "parent_id": "", "author": "ann", "date": "2018-07-06T10:00:00Z",
         "body": "Xiaomi should come here, I'd buy one on day one."},
        {"id": "a2", "parent_id": "a1", "author": "bo", "date": "2018-07-06T11:00:00Z",
         "body": "Xiaomi should come here, I'd buy one on day one. No thanks, block it."},
        {"id": "a3", "parent_id": "a1", "author": "cy", "date": "2018-07-06T12:00:00Z", "body": "   "},
        {"id": "a4", "parent_id": "", "author": "dee", "date": "2018-13-45", "body": "Great phones."},
        {"id": "a1", "parent_id": "", "author": "eve", "date": "2018-07-07", "body": "Keep them out, spying risk."},
        {"id": "a5", "parent_id": "a1", "author": "fay", "date": "2018-07-07T09:00:00Z",
         "body": "Keep them out, spying risk. I agree."},
    ]
    csv_path = tmp_path / "tricky.csv"
    with open(csv_path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    binary = os.environ.get("STANCEMETER_BIN") or ROOT / "target" / "release" / "stancemeter"
    subprocess.run([binary, "run", "--quiet", "--skip-bad", "--out", tmp_path / "run", csv_path], check=True)
    job = subprocess.run(
        [sys.executable, ROOT / "examples" / "spark" / "stancemeter_spark.py", csv_path,
         "--out", tmp_path / "spark", "--master", "local[1]", "--units", tmp_path / "units"],
        capture_output=True, text=True,
    )
    assert job.returncode == 0, job.stderr[-3000:]
    assert "6 read = 4 scored + 2 rejected" in job.stderr
    for t in TABLES:
        got = (tmp_path / "spark" / f"{t}.csv").read_text()
        want = (tmp_path / "run" / f"{t}.csv").read_text()
        assert got == want, f"{t}.csv from Spark differs from run's:\n{got}\n{want}"
    import pyarrow.parquet as pq

    units = pq.read_table(tmp_path / "units")
    assert units.column_names[:5] == ["id", "parent_id", "author", "date", "body"]
    assert "compound" in units.column_names and units.num_rows == 5  # the blank text is not a scored row
    summary = json.loads((tmp_path / "spark" / "spark.json").read_text())
    assert (summary["read"], summary["scored"], summary["rejected"]) == (6, 4, 2)
    missing = subprocess.run(
        [sys.executable, ROOT / "examples" / "spark" / "stancemeter_spark.py", tmp_path / "nope.jsonl",
         "--out", tmp_path / "x"], capture_output=True, text=True,
    )
    assert missing.returncode != 0 and "nope.jsonl: no such file" in missing.stderr
