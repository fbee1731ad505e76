#!/usr/bin/env bash
# fuzz/smoke.sh FUZZER CORPUS SCRATCH SECONDS: runs a libFuzzer target for a few
# seconds on a scratch copy of its corpus (the source tree stays untouched);
# fails on any crash, timeout, leak or sanitizer report.
set -euo pipefail
fuzzer=$1 corpus=$2 scratch=$3 seconds=$4
rm -rf "$scratch"
mkdir -p "$scratch/corpus" "$scratch/artifacts"
cp -r "$corpus"/. "$scratch/corpus/"
# -entropic_feature_frequency_threshold=32 as in run_all.sh: with the default (255) every
# input of the corpus load searches a list of tens of thousands of "rare" features, which
# made fuzz_output's load of its corpus take 65 s instead of 24 s in the sanitizer build.
exec "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -entropic_feature_frequency_threshold=32 -print_final_stats=1 -artifact_prefix="$scratch/artifacts/" "$scratch/corpus"
