#!/usr/bin/env bash
# Runs one fuzz target for a while (default 10 minutes), after seeding:
#   fuzz/run.sh xlsx 600
# Each target runs with the dictionary of what its reader looks for
# (fuzz/dictionaries/: tags, attributes, record types). Crashes, timeouts
# and inputs that allocate too much are kept going past (fork mode) and
# saved under fuzz/artifacts/<target>/.
set -euo pipefail
cd "$(dirname "$0")"
target=${1:?target: xlsx xlsx_parts xls xlsb ods ods_content}
seconds=${2:-600}
case "$target" in
  xlsx | xlsx_parts) dict=xlsx ;;
  ods | ods_content) dict=ods ;;
  *) dict=$target ;;
esac
[ -d "corpus/$target" ] || ./seed.sh
exec cargo +nightly fuzz run -O "$target" "corpus/$target" -- \
  -dict="dictionaries/$dict.dict" \
  -max_total_time="$seconds" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
  -timeout=10 -rss_limit_mb=1024 -malloc_limit_mb=256 -max_len=262144
