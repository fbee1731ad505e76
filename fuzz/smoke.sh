#!/usr/bin/env bash
# fuzz/smoke.sh FUZZER CORPUS SCRATCH SECONDS: runs a libFuzzer target for a few
# seconds on a scratch copy of its corpus (the source tree stays untouched);
# fails on any crash, timeout, leak or sanitizer report.
set -euo pipefail
fuzzer=$1 corpus=$2 scratch=$3 seconds=$4
rm -rf "$scratch"
mkdir -p "$scratch/corpus" "$scratch/artifacts"
cp -r "$corpus"/. "$scratch/corpus/"
exec "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -print_final_stats=1 -artifact_prefix="$scratch/artifacts/" "$scratch/corpus"
