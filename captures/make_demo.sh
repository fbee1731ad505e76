#!/usr/bin/env bash
# demo.pcapng: one session of each protocol, cut from the clean captures and shifted in time so
# they follow each other half a second apart. README's first command runs the analyzer on it.
set -euo pipefail
DIR="$(cd "$(dirname "$0")" && pwd)"
WORK="$(mktemp -d /tmp/quartet-demo.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
base=1795000000   # 2026-11-18, an arbitrary fixed origin so regenerating keeps the same times
pieces=(
  "sp/sp-reqrep.pcap 0"           # nanomsg REQ -> nng REP, three requests
  "cops/cops-pr.pcapng 0"         # COPS-PR: OPN/CAT/REQ/DEC/RPT/KA/SSQ/SSC/DRQ/CC
  "rrp/rrp-session.pcapng 0"      # RRP: banner, failed SESSION + retry, every command, QUIT
  "iap/iap-proxy-tls.pcapng 0"    # IAP analyzer -> proxy: CONNECT/Via, Upgrade, then TLS
)
files=()
i=0
for p in "${pieces[@]}"; do
  set -- $p
  out="$WORK/piece$i.pcapng"
  tshark -r "$DIR/$1" -Y "tcp.stream == $2" -w "$out" -F pcapng 2>/dev/null
  start=$(capinfos -S -a -T -r "$out" | awk -F'\t' '{print $2}')
  shift_by=$(awk -v s="$start" -v b="$base" -v i="$i" 'BEGIN{printf "%.6f", b + i*0.5 - s}')
  editcap -t "$shift_by" "$out" "$out.shifted"
  files+=("$out.shifted")
  i=$((i + 1))
done
mergecap -F pcapng -w "$DIR/demo.pcapng" "${files[@]}"
cp "$DIR/iap/iap-proxy-tls.keys" "$DIR/demo.keys"
echo "wrote $DIR/demo.pcapng ($(capinfos -c -M "$DIR/demo.pcapng" | awk '/Number of packets/{print $NF}') packets)"
