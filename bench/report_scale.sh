#!/usr/bin/env bash
# The HTML report at scale: a synthetic capture of N sessions (~10 messages each,
# bench/gen_report_capture.py), quartet's time to write the report, the file's size,
# and the time headless chromium takes to make it interactive (tests/browser/measure_report.js).
#   bench/report_scale.sh BUILD_DIR [SESSIONS]      (default 100000; needs scripts/setup.sh done)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="$(cd "$1" && pwd)"
sessions="${2:-100000}"
work="$build/report-scale"
mkdir -p "$work"
/usr/bin/python3 "$here/gen_report_capture.py" "$work/capture.pcap" --sessions "$sessions"
start=$(date +%s%3N)
"$build/analyzer/quartet" -d sp=5555 --format html -o "$work/report.html" "$work/capture.pcap"
end=$(date +%s%3N)
echo "quartet --format html: $((end - start)) ms, $(stat -c %s "$work/report.html") bytes"
"$build/analyzer/quartet" -d sp=5555 --summary "$work/capture.pcap" | sed -n '/== summary/,$p' | head -6
node "$here/../tests/browser/measure_report.js" "$work/report.html" 3
