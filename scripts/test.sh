#!/usr/bin/env bash
# Installs what is needed, builds, and runs every test: once in a Release build
# (unit tests + end-to-end tests with the real quartet and real tshark + plugin;
# a missing tshark fails), once under AddressSanitizer + UndefinedBehaviorSanitizer
# with clang (core, analyzer and the libFuzzer targets; the plugin is left out
# there because tshark itself is not built with ASan),
# then the plugin's tests on Wireshark 4.4 and 4.6 in Debian trixie and sid trees.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

jobs=$(nproc)
# Each stage's header says when it began: CI must finish in 30 minutes, and a slow
# run then shows which stage took the time.
stage() { echo "== $1 ($(date -u +%T) UTC)"; }
stage "Release build"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DQUARTET_REQUIRE_TSHARK=ON
cmake --build build -j"$jobs"
(cd build && ctest --output-on-failure -j"$jobs")

stage "ASan + UBSan build"
# Built with clang and libFuzzer instrumentation, so the same build also has the
# fuzz targets: ctest runs each a few seconds on its corpus (fuzz.smoke.*) besides
# the corpus replays and every other test (docs/fuzzing.md). Debug (asserts on) at
# -O1, which clang's AddressSanitizer documentation advises for speed: on 2 cores the
# build took 1.6x as long as at -O0 and the tests under half as long (412 + 183 s
# against 253 + 405 s), and the time-bounded fuzz smoke runs see 3-4x the inputs.
CC=clang CXX=clang++ cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS_DEBUG="-g -O1" \
  -DCMAKE_CXX_FLAGS_DEBUG="-g -O1" -DQUARTET_SANITIZE=ON -DQUARTET_PLUGIN=OFF -DQUARTET_FUZZ=ON
cmake --build build-asan -j"$jobs"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --output-on-failure -j"$jobs")

stage "Wireshark 4.4 and 4.6 (Debian trixie and sid trees; the CI subset, see scripts/wireshark-versions.sh)"
if [ "$(id -u)" -eq 0 ]; then
  bash scripts/wireshark-versions.sh --ci
else
  sudo bash scripts/wireshark-versions.sh --ci
fi
