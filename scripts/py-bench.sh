#!/usr/bin/env bash
# `just py-bench`: the Python package against the CLI and vaderSentiment (per core), then the Spark job on
# 1 M generated comments with 1 and 2 local cores against `stancemeter run` (wall time and peak RSS).
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED="${STANCEMETER_SHARED:-../shared}"
N="${STANCEMETER_SPARK_COMMENTS:-1000000}"
PY=target/py-venv/bin/python
test -x "$PY" -a -n "$($PY -c 'import stancemeter, pyspark, vaderSentiment' 2>&1 && echo ok)" || bash scripts/py-test.sh
cargo build --release --locked -q
BIN=target/release/stancemeter
"$PY" benches/reference/py_package.py "$BIN" "$SHARED" 200000
mkdir -p target/bench
CORPUS="target/bench/corpus-$N.jsonl"
test -s "$CORPUS" || python3 scripts/gen-corpus.py --comments "$N" --out "$CORPUS" --shared "$SHARED"
OUT=$(mktemp -d)
echo
echo "Spark local mode on $N comments ($CORPUS) against stancemeter run:"
/usr/bin/time -f "stancemeter run (2 threads): %e s wall, %M KB peak RSS" "$BIN" run --quiet --out "$OUT/run" "$CORPUS"
for cores in 1 2; do
    /usr/bin/time -f "Spark job, local[$cores]: %e s wall, %M KB peak RSS of its largest process" \
        "$PY" examples/spark/stancemeter_spark.py "$CORPUS" --out "$OUT/spark$cores" --master "local[$cores]" 2>&1 \
        | grep -v "WARN\|^\s*$\|Setting default log level\|To adjust logging level\|NativeCodeLoader" || true
done
for t in summary stance_summary by_author by_date; do
    cmp -s "$OUT/run/$t.csv" "$OUT/spark2/$t.csv" && echo "$t.csv: Spark equals run" || echo "$t.csv: Spark DIFFERS from run"
done
rm -rf "$OUT"
