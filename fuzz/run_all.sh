#!/usr/bin/env bash
# fuzz/run_all.sh BUILD SECONDS [TARGET...]: runs each libFuzzer target (default:
# all) for at most SECONDS (and at most RUNS executions when RUNS is set, e.g.
# RUNS=10000000) on a scratch copy of its corpus, at the lowest CPU priority, and
# prints libFuzzer's final figures (executions, exec/s, coverage) per target -- the
# numbers docs/fuzzing.md reports; each line is also appended to SCRATCH/runs.txt.
# Crashes are left in SCRATCH/<target>/artifacts; turn each into a regression input
# under fuzz/corpus/<corpus>/ once fixed.
# BUILD: a clang build with -DQUARTET_FUZZ=ON (see docs/fuzzing.md).
set -uo pipefail
build=$1 seconds=$2
shift 2
targets=("$@")
here=$(cd "$(dirname "$0")" && pwd)
# One fuzz_<module> per protocol of the core's registry (build/protocols.json).
modules=($(QUARTET_PROTOCOLS=$build/protocols.json /usr/bin/python3 -c "import sys; sys.path.insert(0, '$here/../scripts/lib')
import protocol_list; print(' '.join(map(protocol_list.module, protocol_list.load())))")) || exit 1
[ ${#targets[@]} -gt 0 ] || targets=("${modules[@]}" protocol tcp tcp_views pdu_stream tls output capture)
scratch=${SCRATCH:-$build/fuzz-runs}
# Campaign settings. malloc_context_size=0: no stack unwinding on every allocation
# (the replay binary gives the stacks of a finding); a small quarantine keeps the
# RSS flat over millions of inputs while still catching use-after-free of recent blocks;
# max_malloc_fill_size=0: no 0xbe fill of every new block (a fifth of fuzz_output's
# time; reads of uninitialized memory are MemorySanitizer's job, not ASan's).
export ASAN_OPTIONS=${ASAN_OPTIONS:-malloc_context_size=0:quarantine_size_mb=16:detect_leaks=1:max_malloc_fill_size=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
runs=()
[ -n "${RUNS:-}" ] && runs=(-runs="$RUNS")
# libFuzzer's entropic scheduler keeps every feature seen fewer than 255 times as
# "rare" and searches that list linearly for every feature of every input: with
# the thousands of features an analyzer-level input reaches, this was 35-55% of
# fuzz_tls's and fuzz_capture's time. A lower threshold keeps the list short and
# the schedule entropic (about twice the executions per CPU second).
flags=(-entropic_feature_frequency_threshold=32 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1)
status=0
for t in "${targets[@]}"; do
  corpus=$t
  for m in "${modules[@]}"; do [ "$t" = "$m" ] && corpus=protocol; done
  # Inputs no longer than a target needs: a few PDUs per direction for the protocol
  # targets, a whole TLS or analyzer exchange for tls/output, a few packets for capture.
  case $t in
    tls|output) max_len=8192 ;;
    capture) max_len=16384 ;;
    *) max_len=4096 ;;  # every protocol's fuzz_<module>, protocol, tcp, tcp_views and pdu_stream
  esac
  dir=$scratch/$t
  mkdir -p "$dir/corpus" "$dir/artifacts"
  cp -rn "$here/corpus/$corpus"/. "$dir/corpus/"
  start=$(date -u +%FT%TZ)
  nice -n 19 "$build/fuzz/fuzz_$t" -max_total_time="$seconds" "${runs[@]}" "${flags[@]}" \
    -max_len=$max_len -artifact_prefix="$dir/artifacts/" "$dir/corpus" > "$dir/log" 2>&1 || status=1
  execs=$(grep -a "stat::number_of_executed_units" "$dir/log" | awk '{print $2}')
  rate=$(grep -a "stat::average_exec_per_sec" "$dir/log" | awk '{print $2}')
  rss=$(grep -a "stat::peak_rss_mb" "$dir/log" | awk '{print $2}')
  # The DONE line, or (a run stopped by a signal) the last status line.
  cov=$(grep -a -E "^#[0-9]+[[:space:]].*cov: " "$dir/log" | tail -1 | sed -E 's/.*cov: ([0-9]+) ft: ([0-9]+).*/cov \1 ft \2/')
  crashes=$(ls "$dir/artifacts" | wc -l)
  line="fuzz_$t: started $start, ${execs:-?} executions, ${rate:-?} exec/s, ${cov:-?}, peak RSS ${rss:-?} MB, corpus $(ls "$dir/corpus" | wc -l), artifacts $crashes (max_len $max_len, ${seconds}s max${RUNS:+, $RUNS runs max})"
  echo "$line"
  echo "$line" >> "$scratch/runs.txt"
done
exit $status
