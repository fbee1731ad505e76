#!/usr/bin/env bash
# The two large hostile captures at full size (ctest runs them reduced): 1,000,000
# concurrent half-open connections and a 10 GB connection with holes, both
# generated on the fly and streamed into quartet's standard input (never stored).
# Figures go to docs/robustness.md. Usage: scripts/hostile_full.sh [build-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 tests/e2e/analyzer/hostile.py "$build/analyzer/quartet" "$work" many_flows --size 1000000
/usr/bin/python3 tests/e2e/analyzer/hostile.py "$build/analyzer/quartet" "$work" big_flow --size 10000000000
