#!/usr/bin/env bash
# RRP captures: our Python registry server and registrar client (peers/rrp_peer.py) on port 648.
# Run as root (tcpdump on lo). Writes captures/rrp/*.
source "$(dirname "$0")/lib/capture.sh"
OUT="$CAPTURES_DIR/rrp"
peer() { timeout 30 "$PY" "$PEERS/rrp_peer.py" "$@"; }

run() {   # run OUTFILE SCENARIO [tls]
  local out="$1" scen="$2" tls="${3:-}"
  cap_start "$out" tcp port 648
  if [ -n "$tls" ]; then
    rm -f "${out%.*}.keys"
    bg peer --role server --scenario "$scen" --cert "$WORK/cert.pem" --key "$WORK/key.pem"
    wait_port 648
    peer --role client --scenario "$scen" --keylog "${out%.*}.keys"
  else
    bg peer --role server --scenario "$scen"
    wait_port 648
    peer --role client --scenario "$scen"
  fi
  wait_peers
  cap_stop
}

openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=rrp.example" \
  -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
run "$OUT/rrp-session.pcapng" full            # every command, errors, failed SESSION + retry
run "$OUT/rrp-authfail.pcap" authfail         # 530 twice, server disconnects
run "$OUT/rrp-tls.pcapng" tls tls             # RRP over TLS on 648 with a key log
run "$OUT/rrp-rfc3632-ipv6.pcap" rfc3632      # RRP 2.0.0 over IPv6: 510, 557, IPv6 addresses, transfer cancel
