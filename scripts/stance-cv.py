#!/usr/bin/env python3
"""Cross-validation of the default target's model settings, on data/stance only (never the blind sets).

5 folds x 2 shuffles over data/stance/xiaomi-train.csv + xiaomi-val.csv; every fold's model is trained with
`stancemeter learn --model --target` on the other folds plus the development sets (dev, heldout, blind)
and xiaomi-news.csv, and the fold is scored with `stancemeter score`. Prints F_avg (mean F1 of favor and
against) of the pooled predictions per shuffle, for the model and for the target's cues alone.

    python3 scripts/stance-cv.py                       # characters 3-5, as the default model
    python3 scripts/stance-cv.py --chars 2-5
    python3 scripts/stance-cv.py --train-rows 536      # fold only the first 536 training rows; the rest
                                                       # always train (how data/stance/README.md compares)
"""
import argparse, csv, io, os, random, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
ap.add_argument("--bin", default=os.path.join(ROOT, "target/release/stancemeter"))
ap.add_argument("--chars", default="3-5")
ap.add_argument("--train-rows", type=int, default=None)
ap.add_argument("--folds", type=int, default=5)
ap.add_argument("--seeds", default="1,2")
a = ap.parse_args()
if not os.access(a.bin, os.X_OK):
    sys.exit(f"{a.bin}: no such binary; run cargo build --release first")
T = os.path.join(ROOT, "data/targets/xiaomi-us-entry.toml")


def read(f):
    return [(r["id"], r["text"], r["stance"]) for r in csv.DictReader(open(os.path.join(ROOT, f), encoding="utf-8"))]


train = read("data/stance/xiaomi-train.csv")
n = a.train_rows if a.train_rows is not None else len(train)
pool = train[:n] + read("data/stance/xiaomi-val.csv")
always = train[n:] + sum((read(f"tests/fixtures/stance/{s}.csv") for s in ("dev", "heldout", "blind")), []) + read(
    "data/stance/xiaomi-news.csv")
tmp = tempfile.mkdtemp()


def write(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "text", "stance"])
        w.writerows(rows)


def score(path, model=None):
    cmd = [a.bin, "score", path, "--target", T] + (["--model", model] if model else ["--no-model"])
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return {r["id"]: r["stance"] for r in csv.DictReader(io.StringIO(out))}


def favg(gold, pred):
    f = []
    for c in ("favor", "against"):
        tp = sum(g == c and p == c for g, p in zip(gold, pred))
        fp = sum(g != c and p == c for g, p in zip(gold, pred))
        fn = sum(g == c and p != c for g, p in zip(gold, pred))
        f.append(0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return sum(f) / 2


res = {"model": [], "cues": []}
for seed in map(int, a.seeds.split(",")):
    rows = pool[:]
    random.Random(seed).shuffle(rows)
    preds = {"model": {}, "cues": {}}
    for k in range(a.folds):
        test = rows[k::a.folds]
        fit = [r for i, r in enumerate(rows) if i % a.folds != k] + always
        write(f"{tmp}/test.csv", test)
        write(f"{tmp}/train.csv", fit)
        model, out = f"{tmp}/m.model", f"{tmp}/o.toml"
        for f in (model, out):
            if os.path.exists(f):
                os.remove(f)
        subprocess.run([a.bin, "learn", "--labels", f"{tmp}/train.csv", "--out", out, "--model", model, "--id",
                        "xiaomi-us-entry", "--chars", a.chars, "--target", T], capture_output=True, check=True)
        preds["model"].update(score(f"{tmp}/test.csv", model))
        preds["cues"].update(score(f"{tmp}/test.csv"))
    gold = [r[2] for r in rows]
    for c in res:
        res[c].append(favg(gold, [preds[c][r[0]] for r in rows]))
print(f"{len(pool)} texts in folds, {len(always)} always in training, characters {a.chars}")
for c, v in res.items():
    print(f"{c:6} F_avg per shuffle " + " ".join(f"{x:.3f}" for x in v) + f"  mean {sum(v) / len(v):.3f}")
