#!/usr/bin/env bash
# fuzz/run_all.sh BUILD SECONDS [TARGET...]: runs each libFuzzer target (default:
# all) for SECONDS on a scratch copy of its corpus, at the lowest CPU priority, and
# prints libFuzzer's final figures (executions, coverage) per target -- the
# numbers docs/fuzzing.md reports. Crashes are left in SCRATCH/<target>/artifacts;
# turn each into a regression input under fuzz/corpus/<corpus>/ once fixed.
# BUILD: a clang build with -DQUARTET_FUZZ=ON (see docs/fuzzing.md).
set -uo pipefail
build=$1 seconds=$2
shift 2
targets=("$@")
here=$(cd "$(dirname "$0")" && pwd)
# One fuzz_<module> per protocol of the core's registry (build/protocols.json).
modules=($(QUARTET_PROTOCOLS=$build/protocols.json /usr/bin/python3 -c "import sys; sys.path.insert(0, '$here/../scripts/lib')
import protocol_list; print(' '.join(map(protocol_list.module, protocol_list.load())))")) || exit 1
[ ${#targets[@]} -gt 0 ] || targets=("${modules[@]}" protocol tcp capture output)
scratch=${SCRATCH:-$build/fuzz-runs}
status=0
for t in "${targets[@]}"; do
  corpus=$t
  for m in "${modules[@]}"; do [ "$t" = "$m" ] && corpus=protocol; done
  dir=$scratch/$t
  mkdir -p "$dir/corpus" "$dir/artifacts"
  cp -rn "$here/corpus/$corpus"/. "$dir/corpus/"
  nice -n 19 "$build/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$dir/artifacts/" "$dir/corpus" > "$dir/log" 2>&1 || status=1
  execs=$(grep -a "stat::number_of_executed_units" "$dir/log" | awk '{print $2}')
  cov=$(grep -a -E "^#[0-9]+[[:space:]]+DONE" "$dir/log" | sed -E 's/.*cov: ([0-9]+) ft: ([0-9]+).*/cov \1 ft \2/')
  crashes=$(ls "$dir/artifacts" | wc -l)
  echo "fuzz_$t: ${execs:-?} executions in ${seconds}s, ${cov:-?}, corpus $(ls "$dir/corpus" | wc -l), artifacts $crashes"
done
exit $status
