#!/usr/bin/env bash
# IAP captures: our Python analyzer (sensor), proxy and manager (peers/iap_peer.py) on port 4720 (quartet's default IAP port).
# Loopback addresses stand for hosts: manager 127.0.0.1, proxy 127.0.0.2, listening analyzer 127.0.0.4.
# Run as root (tcpdump on lo). Writes captures/iap/*.
source "$(dirname "$0")/lib/capture.sh"
OUT="$CAPTURES_DIR/iap"
peer() { timeout 30 "$PY" "$PEERS/iap_peer.py" "$@"; }
openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=manager.example" \
  -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
CERT=(--cert "$WORK/cert.pem" --key "$WORK/key.pem")

# analyzer -> proxy -> manager, Via lines, TLS upgrade, channel setup, alerts.
rm -f "$OUT/iap-proxy-tls.keys"
cap_start "$OUT/iap-proxy-tls.pcapng" tcp port 4720
bg peer --role manager --scenario proxy "${CERT[@]}"
wait_port 4720
bg peer --role proxy --scenario proxy
sleep 0.3
peer --role analyzer --scenario proxy --keylog "$OUT/iap-proxy-tls.keys"
wait_peers
cap_stop

# refusals: 403 from the manager, 502 from the proxy (Via loop), 500 to Upgrade.
cap_start "$OUT/iap-refused.pcap" tcp port 4720
bg peer --role manager --scenario refused "${CERT[@]}"
wait_port 4720
bg peer --role proxy --scenario refused
sleep 0.3
peer --role analyzer --scenario refused
wait_peers
cap_stop

# the manager opens the connection; the analyzer still is the TLS client and the sender.
rm -f "$OUT/iap-reverse.keys"
cap_start "$OUT/iap-reverse.pcap" tcp port 4720
bg peer --role analyzer --scenario reverse --keylog "$OUT/iap-reverse.keys"
wait_port 4720
peer --role manager --scenario reverse "${CERT[@]}"
wait_peers
cap_stop
