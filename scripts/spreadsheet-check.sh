#!/usr/bin/env bash
# Opens stancemeter's CSV as a spreadsheet would: runs the pipeline on comments written to attack a
# spreadsheet (formulas, leading minus, @), converts units.csv to xlsx with headless LibreOffice, and
# reads the sheet back: formula-like text must be text, scores must be numbers, and nothing may be a formula.
# Needs LibreOffice (Debian: apt-get install libreoffice-calc-nogui) and python3.
set -euo pipefail
bin=${1:-target/release/stancemeter}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat > "$dir/attack.csv" <<'CSV'
id,author,text
1,=cmd|'/c calc'!A1,"=HYPERLINK(""http://example.invalid"",""click"") great phone"
2,@mallory,-1 for banning Xiaomi
3,+plus,"+1, let them in"
4,normal,I love it
CSV
for dialect in plain excel; do
  flag=(); [ "$dialect" = excel ] && flag=(--excel)
  "$bin" run "$dir/attack.csv" --out "$dir/$dialect" "${flag[@]}" > /dev/null
  soffice --headless --calc --convert-to xlsx --outdir "$dir/$dialect" "$dir/$dialect/units.csv" > /dev/null 2>&1
  python3 - "$dir/$dialect/units.xlsx" "$dialect" <<'PY'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
sheet = z.read("xl/worksheets/sheet1.xml").decode()
shared = re.findall(r"<si>(.*?)</si>", z.read("xl/sharedStrings.xml").decode(), re.S)
text = lambda si: "".join(re.findall(r"<t[^>]*>(.*?)</t>", si, re.S))
assert "<f>" not in sheet, "a cell became a formula"
cells = {}
for ref, attrs, body in re.findall(r'<c r="([A-Z]+[0-9]+)"([^>]*)>(.*?)</c>', sheet, re.S):
    v = re.search(r"<v>(.*?)</v>", body)
    cells[ref] = (text(shared[int(v.group(1))]) if 't="s"' in attrs else float(v.group(1))) if v else None
header = [cells.get(f"{c}1") for c in "ABCDEFGHIJKLMNOPQRSTUV"]
col = {name: "ABCDEFGHIJKLMNOPQRSTUV"[k] for k, name in enumerate(header) if name}
for row in range(2, 6):
    compound = cells.get(f"{col['compound']}{row}")
    assert isinstance(compound, float), f"row {row}: compound {compound!r} is not a number"
    for name in ("author", "text"):
        v = cells.get(f"{col[name]}{row}")
        assert not (isinstance(v, str) and v[:1] in "=+-@"), f"row {row}: {name} {v!r} starts like a formula"
print(f"{sys.argv[2]}: {len(cells)} cells; no formulas; compound numeric; author {cells[col['author'] + '2']!r}")
PY
done
echo "spreadsheet check passed"
