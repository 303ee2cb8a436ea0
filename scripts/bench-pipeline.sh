#!/usr/bin/env bash
# End-to-end throughput of the release binary on generated corpora (scripts/gen-corpus.py), next to the
# references measured in the same run on the same files:
#   - `run` on 100 k and 1 M comments: wall, CPU, peak RSS, records/s, ingest MB/s, seconds per stage
#     (from run.json) and microseconds per unit, with the score stage split into VADER, word tokens,
#     stance and entities (CPU time, from run.json's score_cpu_seconds);
#   - `run` with --jobs 1 against --jobs 2 on 200 k comments;
#   - `run` on 200 k comments against benches/reference/pandas_pipeline.py;
#   - `score --raw --jobs 1` as a whole process against benches/reference/vader_score.py (one core each);
#   - one comment of 1 MB against 10 MB, and a reply chain 20 k against 200 k deep (linear: about 10x).
# Usage: scripts/bench-pipeline.sh [PYTHON]  (a Python with vaderSentiment 3.3.2, pandas and matplotlib;
# `just bench` makes one in target/bench-venv). Corpora are cached in target/bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
py="${1:-target/bench-venv/bin/python}"
bin=target/release/stancemeter
dir=target/bench
mkdir -p "$dir"
cargo build --release -q
corpus() { # comments -> path
    local f="$dir/corpus-$1.jsonl"
    [ -s "$f" ] || python3 scripts/gen-corpus.py --comments "$1" --seed 1 --out "$f"
    echo "$f"
}
# Runs a command; prints "wall cpu rss_mb" and keeps its stderr in $dir/last.err.
measure() {
    /usr/bin/time -f "%e %U %S %M" -o "$dir/time.txt" "$@" > "$dir/last.out" 2> "$dir/last.err" || {
        echo "failed: $*" >&2; cat "$dir/last.err" >&2; exit 1; }
    awk '{ printf "%.2f %.2f %.0f\n", $1, $2 + $3, $4 / 1024 }' "$dir/time.txt"
}
stages() { # run.json, units, bytes
    python3 - "$@" <<'PY'
import json, sys
m = json.load(open(sys.argv[1])); n = int(sys.argv[2]); mb = int(sys.argv[3]) / 1e6
s = m["stage_seconds"]
print(f"    ingest {mb / max(s['ingest'], 1e-9):.0f} MB/s; per unit (wall): " + ", ".join(
    f"{k} {1e6 * s[k] / n:.2f} µs" for k in ("text", "score", "export", "aggregate", "chart", "report")))
c = m["score_cpu_seconds"]
print("    score per unit (CPU, all threads): " + ", ".join(
    f"{k} {1e6 * c[k] / n:.2f} µs" for k in ("vader", "tokens", "stance", "entities")))
PY
}
echo "machine: $(nproc) cores, $(uname -m); $($bin --version)"
echo
echo "run, end to end (wall s, CPU s, peak RSS MB):"
for n in 100000 1000000; do
    f=$(corpus $n); bytes=$(stat -c %s "$f")
    read -r wall cpu rss < <(measure $bin run --quiet --out "$dir/out-$n" "$f")
    printf "  %9d comments (%4.0f MB): %6.2f s wall %7.2f s CPU %6s MB  %8.0f records/s\n" \
        $n "$(awk "BEGIN { print $bytes/1000000 }")" "$wall" "$cpu" "$rss" "$(awk "BEGIN { print $n/$wall }")"
    stages "$dir/out-$n/run.json" $n "$bytes"
done
echo
# Cost in comment length (one comment of 1 MB and of 10 MB, the article's sentences over and over: many
# entity mentions and cues) and in reply depth (one chain 20 k and 200 k deep): linear means ratios near 10.
python3 - "$dir" <<'PY'
import json, re, sys
d = sys.argv[1]
text = open("data/corpus/xiaomi-us-entry.txt", encoding="utf-8").read()
sents = [s for s in re.split(r"(?<=[.!?])\s+", text) if len(s) > 30]
for mb in (1, 10):
    out, n, i = [], 0, 0
    while n < mb * 1_000_000:
        out.append(sents[i % len(sents)]); n += len(out[-1]) + 1; i += 1
    with open(f"{d}/long-{mb}mb.jsonl", "w", encoding="utf-8") as f:
        f.write(json.dumps({"id": "long", "body": " ".join(out)}) + "\n")
for k in (20_000, 200_000):
    with open(f"{d}/chain-{k}.jsonl", "w", encoding="utf-8") as f:
        for i in range(k):
            f.write(json.dumps({"id": f"c{i}", "parent_id": f"c{i-1}" if i else None, "body": sents[i % len(sents)]}) + "\n")
PY
read -r l1 _ _ < <(measure $bin run --quiet --max-text-bytes 0 --out "$dir/out-l1" "$dir/long-1mb.jsonl")
read -r l10 _ lr < <(measure $bin run --quiet --max-text-bytes 0 --out "$dir/out-l10" "$dir/long-10mb.jsonl")
printf "one comment of 1 MB: %.2f s; of 10 MB: %.2f s (%s MB peak): %.1fx\n" "$l1" "$l10" "$lr" "$(awk "BEGIN { print $l10/$l1 }")"
read -r c1 _ _ < <(measure $bin run --quiet --out "$dir/out-c1" "$dir/chain-20000.jsonl")
read -r c10 _ cr < <(measure $bin run --quiet --out "$dir/out-c10" "$dir/chain-200000.jsonl")
printf "a reply chain 20 k deep: %.2f s; 200 k deep: %.2f s (%s MB peak): %.1fx\n" "$c1" "$c10" "$cr" "$(awk "BEGIN { print $c10/$c1 }")"
f=$(corpus 200000)
read -r w1 c1 r1 < <(measure $bin run --quiet --jobs 1 --out "$dir/out-j1" "$f")
read -r w2 c2 r2 < <(measure $bin run --quiet --jobs 2 --out "$dir/out-j2" "$f")
printf "scaling, 200 k comments: --jobs 1 %.2f s, --jobs 2 %.2f s: %.2fx\n" "$w1" "$w2" "$(awk "BEGIN { print $w1/$w2 }")"
if ! "$py" -c "import vaderSentiment, pandas, matplotlib" 2>/dev/null; then
    echo "no Python references: $py cannot import vaderSentiment, pandas and matplotlib (run just bench)"
    exit 0
fi
read -r pw pc pr < <(measure "$py" benches/reference/pandas_pipeline.py "$f" "$dir/out-pandas")
printf "run against pandas + vaderSentiment + matplotlib, 200 k comments: %.2f s against %.2f s: %.1fx\n" \
    "$w2" "$pw" "$(awk "BEGIN { print $pw/$w2 }")"
read -r sw sc sr < <(measure $bin score --raw --jobs 1 --output "$dir/score.csv" "$f")
read -r vw vc vr < <(measure "$py" benches/reference/vader_score.py "$f")
printf "score --raw --jobs 1 against Python vaderSentiment, 200 k texts: %.2f s CPU against %.2f s CPU: %.1fx per core\n" \
    "$sc" "$vc" "$(awk "BEGIN { print $vc/$sc }")"
