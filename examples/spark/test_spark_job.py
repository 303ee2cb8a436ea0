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
