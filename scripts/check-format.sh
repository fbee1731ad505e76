#!/usr/bin/env bash
# Checks that the C/C++ sources follow .clang-format (clang-format 14, Debian's
# clang-format package from scripts/setup.sh).
#   scripts/check-format.sh         lists the files that differ and exits 1 (ctest format.check)
#   scripts/check-format.sh --fix   rewrites them in place: clang-format -i on the same files
# The files: core/ analyzer/ plugin/ tests/ fuzz/ (*.cpp *.hpp *.c *.h) and bench/*.c,
# as git tracks them, and new ones git does not ignore (so that a file is checked, and
# fixed, before its first commit, not first by CI).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
CF=${CLANG_FORMAT:-clang-format}
command -v "$CF" >/dev/null || { echo "check-format.sh: $CF not found (scripts/setup.sh installs it)" >&2; exit 2; }
mapfile -t files < <(git ls-files --cached --others --exclude-standard \
  'core/*.cpp' 'core/*.hpp' 'analyzer/*.cpp' 'analyzer/*.hpp' 'analyzer/*.c' 'analyzer/*.h' \
  'plugin/*.cpp' 'plugin/*.hpp' 'plugin/*.c' 'plugin/*.h' 'tests/*.cpp' 'tests/*.hpp' \
  'fuzz/*.cpp' 'fuzz/*.hpp' 'bench/*.c')
if [ "${1:-}" = "--fix" ]; then
  "$CF" -i --style=file "${files[@]}"
  exit 0
fi
# One clang-format run over every file; its complaints name the files.
mapfile -t bad < <("$CF" --style=file --dry-run -Werror "${files[@]}" 2>&1 |
  sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: error: code should be clang-formatted.*/\1/p' | sort -u)
if [ ${#bad[@]} -gt 0 ]; then
  printf '%s\n' "${bad[@]}"
  echo "check-format.sh: ${#bad[@]} file(s) differ from .clang-format; scripts/check-format.sh --fix rewrites them" >&2
  exit 1
fi
echo "check-format.sh: ${#files[@]} files follow .clang-format"
