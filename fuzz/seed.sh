#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with the test suite's workbooks (the seeds).
set -euo pipefail
cd "$(dirname "$0")/.."
seed() { mkdir -p "fuzz/corpus/$1"; shift; for f in "$@"; do [ -f "$f" ] && cp "$f" "fuzz/corpus/$target/"; done; }
target=xlsx; seed xlsx tests/corpus/files/*.xlsx tests/corpus/files/*.xlsm tests/fixtures/calamine/*.xlsx inputs/returns/2025Q3/*.xlsx
target=xls; seed xls tests/corpus/files/*.xls tests/fixtures/calamine/*.xls
target=xlsb; seed xlsb tests/fixtures/calamine/*.xlsb
target=ods; seed ods tests/corpus/files/*.ods tests/fixtures/calamine/*.ods
# The structure-aware targets: the XML parts themselves.
python3 - <<'PY'
import glob, os, zipfile
os.makedirs("fuzz/corpus/xlsx_parts", exist_ok=True)
os.makedirs("fuzz/corpus/ods_content", exist_ok=True)
parts = ["xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml", "xl/styles.xml"]
for i, f in enumerate(sorted(glob.glob("tests/corpus/files/*.xlsx"))):
    try:
        z = zipfile.ZipFile(f)
        sheets = [f"xl/worksheets/sheet{k}.xml" for k in range(1, 7)]
        data = b"\0".join(z.read(p) if p in z.namelist() else b"" for p in parts + sheets)
        open(f"fuzz/corpus/xlsx_parts/{i}", "wb").write(data)
    except zipfile.BadZipFile:
        pass
for i, f in enumerate(sorted(glob.glob("tests/corpus/files/*.ods") + glob.glob("tests/fixtures/calamine/*.ods"))):
    z = zipfile.ZipFile(f)
    open(f"fuzz/corpus/ods_content/{i}", "wb").write(z.read("content.xml"))
PY
ls fuzz/corpus | while read t; do echo "$t: $(ls fuzz/corpus/$t | wc -l) seeds"; done
