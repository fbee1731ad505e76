#!/usr/bin/env bash
# Rewrites captures/golden/ from the current analyzer and plugin, on purpose.
#   captures/regen_goldens.sh [BUILD_DIR] [CAPTURE...]     (BUILD_DIR defaults to build/)
# Then READ `git diff captures/golden/` before committing: a golden file is a reviewed claim
# about what the tools must print, not a snapshot.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${1:-$ROOT/build}"; shift || true
BUILD="$(cd "$BUILD" && pwd)"
PY=/usr/bin/python3
export QUARTET_PROTOCOLS="$BUILD/protocols.json"  # the core's protocol list (scripts/lib/protocol_list.py)
WORK="$(mktemp -d /tmp/quartet-regen.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
chmod 755 "$WORK"
"$PY" "$ROOT/captures/golden.py" regen analyzer "$@" --quartet "$BUILD/analyzer/quartet"
"$PY" "$ROOT/tests/e2e/plugin/install_plugin.py" "$BUILD/plugin/quartet.so" "$WORK/home" >/dev/null
"$PY" "$ROOT/captures/golden.py" regen plugin "$@" --home "$WORK/home" --work "$WORK/caps"
"$PY" "$ROOT/captures/golden.py" regen stats "$@" --home "$WORK/home" --work "$WORK/caps"
"$PY" "$ROOT/captures/golden.py" regen tree "$@" --home "$WORK/home" --work "$WORK/caps"
