# stancemeter tasks. Install just with `pip install rust-just` (or `cargo install just --locked`).

# Run the pipeline on the embedded default corpus (or pass inputs and flags: just run my.csv --out out).
run *ARGS:
    cargo run --release -- run {{ARGS}}

# Every test, as CI runs them.
test:
    cargo test --release

# The Python package and the Spark job: builds the wheel (pip install ./python) into target/py-venv, installs
# pyarrow, pytest, vaderSentiment and pyspark (and a JRE when java is missing), runs python/tests and
# examples/spark. `cargo test --release` runs it too (tests/python_package.rs).
py-test:
    bash scripts/py-test.sh

# The Python package's throughput (texts/s per core) against `stancemeter score` and vaderSentiment, and the
# Spark job on 1 M generated comments with 2 executor cores against `stancemeter run`.
py-bench:
    bash scripts/py-bench.sh

# Format the code.
fmt:
    cargo fmt

# Formatting check and clippy with warnings as errors.
lint:
    cargo fmt --check
    cargo clippy --release --all-targets -- -D warnings

# Everything CI runs.
ci:
    bash .ci/run

# VADER throughput against the Python reference (installed into target/bench-venv), same machine, same run;
# peak memory of `run` on generated Reddit-style dumps of growing size; then the pipeline end to end on
# 100 k and 1 M generated comments, 1 thread against 2, and against the pandas and Python references.
bench:
    test -x target/bench-venv/bin/python || python3 -m venv target/bench-venv
    target/bench-venv/bin/python -c "import vaderSentiment, pandas, matplotlib" 2>/dev/null || target/bench-venv/bin/pip install -q vaderSentiment==3.3.2 pandas matplotlib
    STANCEMETER_PYTHON=target/bench-venv/bin/python cargo bench --bench vader
    cargo bench --bench memory
    bash scripts/bench-pipeline.sh target/bench-venv/bin/python

# A reproducible comment corpus for benchmarks (see scripts/gen-corpus.py): just corpus 1000000 jsonl out.jsonl
corpus COMMENTS FORMAT="jsonl" OUT="-" SEED="1":
    python3 scripts/gen-corpus.py --comments {{COMMENTS}} --format {{FORMAT}} --seed {{SEED}} --out {{OUT}}

# How long a new user waits: a fresh clone's first `cargo run --release -- run`, then `cargo test --release`,
# then CI's script, each with wall and CPU time, the binary's size and the ten costliest crates.
build-time *DIR:
    bash scripts/build-time.sh {{DIR}}

# Open the CSV as a spreadsheet would: headless LibreOffice converts units.csv to xlsx and the sheet is checked.
spreadsheet-check: 
    cargo build --release
    bash scripts/spreadsheet-check.sh target/release/stancemeter

# Fuzz one target (page, records, toml_loaders, vader, stance) for SECONDS; needs cargo-fuzz and nightly.
fuzz TARGET SECONDS="600":
    cd fuzz && cargo +nightly fuzz run -O {{TARGET}} -- -timeout=1 -max_total_time={{SECONDS}} -print_final_stats=1

# Train the default target's model (data/targets/xiaomi-us-entry.model) again, from every labelled Xiaomi
# text but the blind sets (blind2, blind3, blind4) and xiaomi-plain.csv (tried, not kept), with the target's
# cues as features; see data/stance/README.md.
train-model:
    cargo build --release
    rm -f data/targets/xiaomi-us-entry.model
    target/release/stancemeter learn --labels tests/fixtures/stance/dev.csv --labels tests/fixtures/stance/heldout.csv --labels tests/fixtures/stance/blind.csv --labels data/stance/xiaomi-train.csv --labels data/stance/xiaomi-val.csv --labels data/stance/xiaomi-news.csv --target data/targets/xiaomi-us-entry.toml --chars 3-5 --model data/targets/xiaomi-us-entry.model --out target/xiaomi-learned.toml
    cargo build --release
