#!/usr/bin/env bash
# Runs a shuanggao binary over the sample and the test corpus and keeps
# every output, for comparing two builds before and after a refactor:
#
#   scripts/outputs.sh OLD_BINARY OLD_CONFIG_DIR /tmp/before
#   scripts/outputs.sh target/release/shuanggao inputs/config /tmp/after
#   python3 scripts/compare_outputs.py /tmp/before /tmp/after /tmp/before=/tmp/after
#
# The config is copied to one fixed path so both runs record the same
# 配置目录; run from the repository root.
set -uo pipefail
bin=$1 config=$2 out=$3
fixed=/tmp/shuanggao-compare-config
rm -rf "$out" "$fixed"
mkdir -p "$out"
cp -r "$config" "$fixed"
returns=${RETURNS:-inputs/returns}
run() { "$bin" "$@" --config "$fixed"; }
run report --returns $returns --out "$out/reports" -j 2 >"$out/report.stdout" 2>&1
run report --returns $returns --out "$out/reports_q2" --period 2026Q2 -j 1 >"$out/report_q2.stdout" 2>&1
for p in $(ls $returns); do
  run check --returns $returns --period "$p" --format json >"$out/check_$p.json" 2>&1
  run check --returns $returns --period "$p" >"$out/check_$p.txt" 2>&1
  run check --returns $returns --period "$p" --feedback "$out/feedback_$p" >/dev/null 2>&1
  run status --returns $returns --period "$p" --format json >"$out/status_$p.json" 2>&1
  run status --returns $returns --period "$p" >"$out/status_$p.txt" 2>&1
done
run template --returns $returns --out "$out/templates" >"$out/template.stdout" 2>&1
run template --returns $returns --period 2025Q3 --out "$out/templates_blank" >/dev/null 2>&1
run sample --out "$out/sample" >/dev/null 2>&1
i=0
for f in tests/corpus/files/* tests/fixtures/calamine/*.xls* tests/fixtures/calamine/*.ods tests/fixtures/encrypted.xlsx; do
  i=$((i + 1))
  run check --returns $returns --format json "$f" >"$out/corpus_$i.json" 2>&1
  run check --returns $returns --feedback "$out/corpus_feedback_$i" "$f" >"$out/corpus_$i.txt" 2>&1
done
echo "outputs in $out"
