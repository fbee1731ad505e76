#!/usr/bin/env bash
# Installs what is needed, builds quartet and shows the timeline of a bundled capture.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build -j"$(nproc)" --target quartet
./build/analyzer/quartet "${@:-captures/demo.pcapng}"
