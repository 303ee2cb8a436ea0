#!/usr/bin/env bash
# Opens stancemeter's outputs as a spreadsheet user would, with headless LibreOffice:
#  1. the workbook (--xlsx), opened and saved again by LibreOffice: every text is exactly the corpus text
#     (é, emoji, curly quotes, and formula-like text as plain strings, with no guard character), scores are
#     numbers, dates are dates, and nothing is a formula;
#  2. the spreadsheet CSV (--excel), imported as LibreOffice's Text Import dialog does with "Unicode (UTF-8)"
#     chosen: UTF-8 text intact, the byte-order mark not in the first header, formula-like text kept as text
#     by its guard. (LibreOffice's headless conversion without import options reads every CSV as Latin-1,
#     byte-order mark or not; that is why the workbook is the file to give LibreOffice users.)
# Needs LibreOffice (Debian: apt-get install libreoffice-calc-nogui) and python3.
set -euo pipefail
bin=${1:-target/release/stancemeter}
command -v soffice > /dev/null || { echo "spreadsheet-check: soffice not found (apt-get install libreoffice-calc-nogui)" >&2; exit 2; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat > "$dir/corpus.csv" <<'CSV'
id,author,date,text
1,=cmd|'/c calc'!A1,2018-07-05,"=HYPERLINK(""http://example.invalid"",""click"") great phone"
2,@mallory,2018-07-05 14:30:00,-1 for banning Xiaomi
3,+plus,2018-07-06,"+1, let them in"
4,Zoë “Z” Ångström 😀,2018-07-06,“Curly quotes” and a café — I love it 😀👍
CSV
"$bin" run "$dir/corpus.csv" --out "$dir/out" --xlsx --excel > /dev/null 2> "$dir/stderr" || { cat "$dir/stderr"; exit 1; }
mkdir -p "$dir/lo-xlsx" "$dir/lo-csv"
soffice --headless --calc --convert-to xlsx --outdir "$dir/lo-xlsx" "$dir/out/stancemeter.xlsx" > /dev/null 2>&1
soffice --headless --calc --infilter="CSV:44,34,76,1" --convert-to xlsx --outdir "$dir/lo-csv" "$dir/out/units.csv" > /dev/null 2>&1
python3 - "$dir" <<'PY'
import re, sys, zipfile, html
d = sys.argv[1]
corpus = {
    "1": ("=cmd|'/c calc'!A1", '=HYPERLINK("http://example.invalid","click") great phone'),
    "2": ("@mallory", "-1 for banning Xiaomi"),
    "3": ("+plus", "+1, let them in"),
    "4": ("Zoë “Z” Ångström 😀", "“Curly quotes” and a café — I love it 😀👍"),
}
# The text column holds the text as scored (quotes straightened by normalisation), so it is compared with
# units.csv's, less the CSV's formula guard; authors are kept as written.
import csv as csvmod
with open(f"{d}/out/units.csv", encoding="utf-8-sig", newline="") as f:
    scored = {r["id"]: r["text"] for r in csvmod.DictReader(f)}
unguard = lambda v: v[1:] if v[:2] in ("'=", "'+", "'-", "'@") else v
corpus = {k: (a, unguard(scored[k])) for k, (a, _) in corpus.items()}
assert "café" in corpus["4"][1] and "😀👍" in corpus["4"][1]

def col_index(ref):
    letters = re.match(r"[A-Z]+", ref).group(0)
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1, int(ref[len(letters):])

def sheets(path):
    """Every sheet of a workbook as {name: {(row, col): (value, style)}} and the number formats."""
    z = zipfile.ZipFile(path)
    shared = [html.unescape("".join(re.findall(r"<t[^>]*>(.*?)</t>", si, re.S)))
              for si in re.findall(r"<si>(.*?)</si>", z.read("xl/sharedStrings.xml").decode(), re.S)] \
        if "xl/sharedStrings.xml" in z.namelist() else []
    book = z.read("xl/workbook.xml").decode()
    rels = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="([^"]+)"', z.read("xl/_rels/workbook.xml.rels").decode()))
    rels.update({k: v for v, k in re.findall(r'Target="([^"]+)"[^>]*Id="(rId\d+)"', z.read("xl/_rels/workbook.xml.rels").decode())})
    styles = z.read("xl/styles.xml").decode()
    numfmts = dict(re.findall(r'<numFmt numFmtId="(\d+)" formatCode="([^"]*)"', styles))
    xfs = re.findall(r"<xf [^>]*?numFmtId=\"(\d+)\"", re.search(r"<cellXfs.*?</cellXfs>", styles, re.S).group(0))
    out = {}
    for name, rid in re.findall(r'<sheet name="([^"]+)"[^>]*r:id="(rId\d+)"', book):
        target = rels[rid].lstrip("/")
        target = target if target.startswith("xl/") else "xl/" + target
        xml = z.read(target).decode()
        # LibreOffice saves a boolean cell as the formula TRUE() or FALSE(); anything else is a formula.
        formulas = [f for f in re.findall(r"<f[^>]*>(.*?)</f>", xml, re.S) if f not in ("TRUE()", "FALSE()")]
        assert not formulas, f"{name}: cells are formulas: {formulas[:3]}"
        cells = {}
        for ref, attrs, body in re.findall(r'<c r="([A-Z]+[0-9]+)"([^>]*?)(?:/>|>(.*?)</c>)', xml, re.S):
            c, r = col_index(ref)
            style = re.search(r's="(\d+)"', attrs)
            fmt = numfmts.get(xfs[int(style.group(1))], xfs[int(style.group(1))]) if style else "0"
            if 't="s"' in attrs:
                v = shared[int(re.search(r"<v>(.*?)</v>", body).group(1))]
            elif 't="inlineStr"' in attrs or 't="str"' in attrs:
                v = html.unescape("".join(re.findall(r"<t[^>]*>(.*?)</t>", body, re.S)))
            else:
                m = re.search(r"<v>(.*?)</v>", body or "")
                v = float(m.group(1)) if m else None
            cells[(r, c)] = (v, fmt)
        out[name] = cells
    return out

def table(cells):
    header = {c: v for (r, c), (v, _) in cells.items() if r == 1}
    col = {v: c for c, v in header.items()}
    rows = sorted({r for (r, _) in cells if r > 1})
    return col, rows

# 1. The workbook as stancemeter wrote it has no formula at all; then as LibreOffice saved it again.
ours = zipfile.ZipFile(f"{d}/out/stancemeter.xlsx")
for n in ours.namelist():
    if n.startswith("xl/worksheets/"):
        assert "<f>" not in ours.read(n).decode() and "<f " not in ours.read(n).decode(), f"{n}: a formula"
book = sheets(f"{d}/lo-xlsx/stancemeter.xlsx")
assert "summary" in book and "units" in book, f"sheets: {list(book)}"
units = book["units"]
col, rows = table(units)
assert len(rows) == 4, rows
for r in rows:
    uid = units[(r, col["id"])][0]
    uid = str(int(uid)) if isinstance(uid, float) else uid
    author, text = corpus[uid]
    assert units[(r, col["author"])][0] == author, (units[(r, col["author"])], author)
    assert units[(r, col["text"])][0] == text, (units[(r, col["text"])], text)
    compound = units[(r, col["compound"])][0]
    assert isinstance(compound, float), f"compound {compound!r} is not a number"
    date, fmt = units[(r, col["date"])]
    assert isinstance(date, float) and "yy" in fmt.lower(), f"date {date!r} ({fmt}) is not a date"
summary = book["summary"]
scol, srows = table(summary)
assert isinstance(summary[(srows[0], scol["units"])][0], float), "summary units are numbers"
print(f"workbook: {len(book)} sheets; units text exact (é, emoji, curly quotes, formula-like text as plain strings); scores numeric; dates as dates; no formulas")

# 2. The --excel CSV, imported as UTF-8.
csv = sheets(f"{d}/lo-csv/units.xlsx")
cells = next(iter(csv.values()))
col, rows = table(cells)
assert cells[(1, 0)][0] == "id", f"first header {cells[(1, 0)][0]!r}: the byte-order mark leaked into it"
texts = [cells[(r, col["text"])][0] for r in rows]
authors = [cells[(r, col["author"])][0] for r in rows]
assert corpus["4"][1] in texts, f"UTF-8 text garbled: {texts}"
assert "'" + corpus["4"][0] in authors or corpus["4"][0] in authors, f"UTF-8 author garbled: {authors}"
authors = [cells[(r, col["author"])][0] for r in rows]
assert "'@mallory" in authors, f"the CSV's formula guard: {authors}"
assert all(isinstance(cells[(r, col["compound"])][0], float) for r in rows)
print("excel CSV: UTF-8 intact, no BOM in the header, formula-like text guarded, scores numeric")
PY
echo "spreadsheet check passed"
