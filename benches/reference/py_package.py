"""Texts per second per core: the stancemeter Python package against `stancemeter score` and vaderSentiment.

Same texts, same run: the VADER conformance corpora repeated to N texts. Each figure is CPU time of one
thread (the package scores on the calling thread; the CLI runs with --jobs 1; vaderSentiment is pure Python).

    python benches/reference/py_package.py BINARY SHARED [N]
"""

import csv
import io
import os
import subprocess
import sys
import tempfile
import time

import pyarrow as pa

from stancemeter import Scorer

binary, shared = sys.argv[1], sys.argv[2]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 200_000
texts = []
corpora = os.path.join(shared, "vader-conformance", "corpora")
for name in sorted(os.listdir(corpora)):
    with open(os.path.join(corpora, name), encoding="utf-8") as f:
        texts.extend(line.rstrip("\r\n").split("\t", 2)[-1] for line in f if line.strip())
texts = [t for t in texts if t.strip()]
texts = (texts * (n // len(texts) + 1))[:n]
batch = pa.record_batch({"text": texts})


def cpu(f):
    t = time.process_time()
    f()
    return time.process_time() - t


def cli(args, path):
    r = subprocess.run(["/usr/bin/time", "-f", "%U %S", binary, "score", "--jobs", "1", "--format", "tsv",
                        "--no-header", "--text-column", "2", "--id-column", "1", *args, path],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True)
    u, s = r.stderr.strip().splitlines()[-1].split()
    return float(u) + float(s)


with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False, encoding="utf-8") as f:
    for k, t in enumerate(texts):
        f.write(f"{k}\t{t.replace(chr(9), ' ')}\n")
    path = f.name

rows = []
for label, kwargs, args in [("VADER only (raw)", {"target": False, "raw": True}, ["--raw"]),
                            ("VADER + stance (default target)", {}, ["--target", "data/targets/xiaomi-us-entry.toml"])]:
    s = Scorer(**kwargs)
    arrow = min(cpu(lambda: s.score_arrow(batch)) for _ in range(2))
    lst = cpu(lambda: s.score(texts))
    c = min(cli(args, path) for _ in range(2))
    rows.append((label, n / arrow, n / lst, n / c, arrow / c))
os.unlink(path)

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

ref = SentimentIntensityAnalyzer()
sample = texts[: n // 10]
py = cpu(lambda: [ref.polarity_scores(t) for t in sample])
print(f"texts: {n} (conformance corpora repeated); CPU seconds of one thread")
print("| scoring | package score_arrow | package score(list) | stancemeter score --jobs 1 | package / CLI time |")
print("|---|---:|---:|---:|---:|")
for label, a, l, c, ratio in rows:
    print(f"| {label} | {a:,.0f} texts/s | {l:,.0f} texts/s | {c:,.0f} texts/s | {ratio:.2f} |")
print(f"vaderSentiment 3.3.2 (on {len(sample)} of them): {len(sample) / py:,.0f} texts/s; "
      f"package score_arrow (raw) is {rows[0][1] / (len(sample) / py):.1f}x faster per core")
