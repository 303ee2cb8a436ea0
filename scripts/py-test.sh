#!/usr/bin/env bash
# The Python package's tests: builds the wheel from python/ (pip install ./python, which runs maturin) into
# target/py-venv, with pyarrow, pandas below 3 (pyspark's Arrow functions need it, and warn on 3), pytest,
# vaderSentiment and pyspark; installs a JRE from Debian's packages when there is no java; then runs
# python/tests and the Spark job's test (examples/spark).
# `just py-test` runs it; so does `cargo test --release` (tests/python_package.rs), and with it .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=target/py-venv
PY="$VENV/bin/python"
test -x "$PY" || python3 -m venv "$VENV"
"$PY" -m pip install -q --disable-pip-version-check pyarrow "pandas<3" pytest vaderSentiment==3.3.2 pyspark
if ! command -v java >/dev/null 2>&1; then
    echo "py-test: no java; installing Debian's default-jre-headless for Spark" >&2
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q default-jre-headless >/dev/null
fi
# The CLI the package is compared with: the one cargo test built, or a release build.
if [ -z "${STANCEMETER_BIN:-}" ]; then
    cargo build --release --locked -q
    export STANCEMETER_BIN="$PWD/target/release/stancemeter"
fi
"$PY" -m pip install -q --disable-pip-version-check ./python
"$PY" -m pytest -q -p no:cacheprovider python/tests examples/spark
