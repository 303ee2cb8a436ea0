#!/usr/bin/env bash
# SemEval-2016 task 6 A through TweetEval (cardiffnlp/tweeteval, datasets/stance): for each of the five
# targets, `learn` on its train split (cue lists, and a linear model whose C and threshold are chosen on the
# val split, then fitted on train and val) and `eval` on its test split, with the learned cues alone and with
# the model; then F_avg pooled over all five targets' predictions (the task's official measure: the mean of
# F1 for favor and against; its SVM baseline 67.3, its best team 67.82, the majority class 65.22).
# The data is fetched into external/ (git-ignored: its terms forbid redistribution; never commit it).
# Usage: scripts/semeval.sh [TWEETEVAL_CHECKOUT]   (default: a shallow clone in external/tweeteval)
set -euo pipefail
cd "$(dirname "$0")/.."
src="${1:-external/tweeteval}"
[ -d "$src/datasets/stance" ] || git clone -q --depth 1 https://github.com/cardiffnlp/tweeteval "$src"
out=external/semeval
mkdir -p "$out"
cargo build --release -q
bin=target/release/stancemeter
for t in abortion atheism climate feminist hillary; do
    rm -f "$out/$t.toml" "$out/$t.model"
    $bin learn --labels "$src/datasets/stance/$t" --split train --out "$out/$t.toml" --model "$out/$t.model" > "$out/$t-learn.log"
    $bin eval --labels "$src/datasets/stance/$t" --split test --target "$out/$t.toml" --json > "$out/$t-cues.json"
    $bin eval --labels "$src/datasets/stance/$t" --split test --target "$out/$t.toml" --model "$out/$t.model" --json > "$out/$t-model.json"
done
python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
def f_avg(c):
    f = []
    for k in (0, 1):
        tp, pred, gold = c[k][k], sum(r[k] for r in c), sum(c[k])
        p, r = (tp / pred if pred else 0.0), (tp / gold if gold else 0.0)
        f.append(2 * p * r / (p + r) if p + r else 0.0)
    return sum(f) / 2
for kind in ("cues", "model"):
    print(f"== {'learned cue lists' if kind == 'cues' else 'learned linear model (learn --model)'}; confusion rows gold, columns predicted: favor, against, none")
    pooled = [[0] * 3 for _ in range(3)]
    for t in ("abortion", "atheism", "climate", "feminist", "hillary"):
        m = json.load(open(f"{out}/{t}-{kind}.json"))["metrics"]
        for i in range(3):
            for j in range(3):
                pooled[i][j] += m["confusion"][i][j]
        print(f"{t:<9} test F_avg {100 * f_avg(m['confusion']):5.2f}  confusion {m['confusion']}")
    print(f"pooled    test F_avg {100 * f_avg(pooled):5.2f}  confusion {pooled}")
PY
