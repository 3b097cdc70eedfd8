#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with the test suite's workbooks (the seeds),
# and one file in each dialect of tests/dialects.rs (written there by the
# test itself when SHUANGGAO_DIALECT_SEEDS is set).
set -euo pipefail
cd "$(dirname "$0")/.."
dialects=fuzz/corpus/.dialects
rm -rf "$dialects"
SHUANGGAO_DIALECT_SEEDS="$PWD/$dialects" cargo test --release --test dialects -q >/dev/null
seed() { mkdir -p "fuzz/corpus/$1"; shift; for f in "$@"; do [ -f "$f" ] && cp "$f" "fuzz/corpus/$target/"; done; }
target=xlsx; seed xlsx tests/corpus/files/*.xlsx tests/corpus/files/*.xlsm tests/fixtures/calamine/*.xlsx inputs/returns/2025Q3/*.xlsx "$dialects"/*.xlsx "$dialects"/*.bin
target=xls; seed xls tests/corpus/files/*.xls tests/fixtures/calamine/*.xls
target=xlsb; seed xlsb tests/fixtures/calamine/*.xlsb
target=ods; seed ods tests/corpus/files/*.ods tests/fixtures/calamine/*.ods "$dialects"/*.ods "$dialects"/*.fods
# The structure-aware targets: the XML parts themselves.
python3 - "$dialects" <<'PY'
import glob, os, sys, zipfile
dialects = sys.argv[1]
os.makedirs("fuzz/corpus/xlsx_parts", exist_ok=True)
os.makedirs("fuzz/corpus/ods_content", exist_ok=True)
parts = ["xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml", "xl/styles.xml"]
sheets = [f"xl/worksheets/sheet{k}.xml" for k in range(1, 7)]
xlsx = sorted(glob.glob("tests/corpus/files/*.xlsx") + glob.glob(f"{dialects}/*.xlsx"))
for i, f in enumerate(xlsx):
    try:
        z = zipfile.ZipFile(f)
        names = z.namelist()
        # Parts holding a NUL byte (UTF-16) cannot be split apart: left empty.
        read = lambda p: z.read(p) if p in names and b"\0" not in z.read(p) else b""
        data = b"\0".join(read(p) for p in parts + sheets + ["_rels/.rels"])
        open(f"fuzz/corpus/xlsx_parts/{i}", "wb").write(data)
    except zipfile.BadZipFile:
        pass
ods = sorted(glob.glob("tests/corpus/files/*.ods") + glob.glob("tests/fixtures/calamine/*.ods") + glob.glob(f"{dialects}/*.ods"))
for i, f in enumerate(ods):
    z = zipfile.ZipFile(f)
    open(f"fuzz/corpus/ods_content/{i}", "wb").write(z.read("content.xml"))
PY
ls fuzz/corpus | while read t; do echo "$t: $(ls fuzz/corpus/$t | wc -l) seeds"; done
