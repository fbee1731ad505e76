#!/usr/bin/env bash
# Installs what is needed, builds quartet and shows the timeline of a bundled capture.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
echo "building quartet (log: build/demo-build.log)..."
if ! cmake --build build -j"$(nproc)" --target quartet > build/demo-build.log 2>&1; then
  cat build/demo-build.log
  exit 1
fi
./build/analyzer/quartet "${@:-captures/demo.pcapng}"
