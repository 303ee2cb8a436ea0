#!/usr/bin/env bash
# The first-run build time, measured as a new user meets it: a fresh clone of HEAD with an empty target/
# (the crates.io registry cache warm, as on a machine that has fetched crates once), then
#   1. cargo run --release -- run      (the README's first command, with --timings)
#   2. cargo test --release            (the README's second command, after the first)
#   3. CI=true bash .ci/run            (what CI runs, in a second fresh clone)
# Prints wall and CPU seconds for each, the binary's size and the ten crates that cost most.
# Usage: scripts/build-time.sh [WORKDIR]   (default: a new temporary directory; ../shared must sit
# beside the repository for the conformance tests, as in CI)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-$(mktemp -d)}"
mkdir -p "$work"
fetch() { (cd "$repo" && cargo fetch --locked -q); }
fetch
timed() { # label, then the command; its output goes to $work/<label>.log
    local label="$1"; shift
    /usr/bin/time -o "$work/$label.time" -f "$label: %e s wall, %U s user + %S s system CPU" \
        "$@" > "$work/$label.log" 2>&1
    cat "$work/$label.time" >&2
}
clone() { rm -rf "$1"; git clone -q "$repo" "$1"; [ -e "$(dirname "$1")/shared" ] || ln -s "$repo/../shared" "$(dirname "$1")/shared"; }
clone "$work/first/stancemeter"
cd "$work/first/stancemeter"
timed first-run cargo run --release --timings -- run
timed test-after cargo test --release
size=$(stat -c %s target/release/stancemeter)
echo "binary: $size bytes ($(python3 -c "print(round($size/1e6,1))") MB)" >&2
python3 - target/cargo-timings/cargo-timing.html <<'PY' >&2
import json, re, sys
html = open(sys.argv[1]).read()
units = json.loads(re.search(r"const UNIT_DATA = (\[.*?\]);", html, re.S).group(1))
units.sort(key=lambda u: -u["duration"])
print(f"crates: {len({u['name'] for u in units})}; unit seconds in all: {sum(u['duration'] for u in units):.0f}")
for u in units[:10]:
    print(f"  {u['name']:<24} {u['version']:<12} {u['duration']:6.1f} s {u.get('target', '').strip()}")
PY
clone "$work/ci/stancemeter"
cd "$work/ci/stancemeter"
CI=true timed ci bash .ci/run
echo "logs in $work" >&2
