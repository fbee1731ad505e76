#!/usr/bin/env bash
# Installs what is needed, builds, and runs every test: once in a Release build
# (unit tests + end-to-end tests with the real quartet and real tshark + plugin),
# once under AddressSanitizer + UndefinedBehaviorSanitizer (core and analyzer;
# the plugin is left out there because tshark itself is not built with ASan),
# then the plugin's tests on Wireshark 4.4 and 4.6 in Debian trixie and sid trees.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

jobs=$(nproc)
echo "== Release build"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$jobs"
(cd build && ctest --output-on-failure -j"$jobs")

echo "== ASan + UBSan build"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DQUARTET_SANITIZE=ON -DQUARTET_PLUGIN=OFF
cmake --build build-asan -j"$jobs"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --output-on-failure -j"$jobs")

echo "== Wireshark 4.4 and 4.6 (Debian trixie and sid trees; the CI subset, see scripts/wireshark-versions.sh)"
if [ "$(id -u)" -eq 0 ]; then
  bash scripts/wireshark-versions.sh --ci
else
  sudo bash scripts/wireshark-versions.sh --ci
fi
