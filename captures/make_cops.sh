#!/usr/bin/env bash
# COPS captures: our Python PDP/PEP peers (peers/cops_peer.py) over real loopback sockets.
# Run as root (tcpdump on lo). Writes captures/cops/*.
source "$(dirname "$0")/lib/capture.sh"
OUT="$CAPTURES_DIR/cops"
peer() { timeout 20 "$PY" "$PEERS/cops_peer.py" "$@"; }

# RSVP client-type: redirect from 3288 to 3289, then a full session.
cap_start "$OUT/cops-rsvp.pcap" tcp portrange 3288-3289
bg peer --role pdp --scenario rsvp --port 3288
wait_port 3289
peer --role pep --scenario rsvp --port 3288
wait_peers
cap_stop

# COPS-PR (client-type 2) with PRID/EPD/GPERR/CPERR objects.
cap_start "$OUT/cops-pr.pcapng" tcp port 3288
bg peer --role pdp --scenario pr --port 3288
wait_port 3288
peer --role pep --scenario pr --port 3288
wait_peers
cap_stop

# PacketCable Multimedia on 3918: PDP dials the PEP; PEP pads object lengths, one object per segment.
cap_start "$OUT/cops-pcmm-padded.pcap" tcp port 3918
bg peer --role pep --scenario pcmm --port 3918
wait_port 3918
peer --role pdp --scenario pcmm --port 3918
wait_peers
cap_stop

# COPS over TLS (RFC 4261) with a key log written by the PEP (TLS client).
openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=pdp.example.net" \
  -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
rm -f "$OUT/cops-tls.keys"
cap_start "$OUT/cops-tls.pcapng" tcp port 3288
bg peer --role pdp --scenario tls --port 3288 --cert "$WORK/cert.pem" --key "$WORK/key.pem"
wait_port 3288
peer --role pep --scenario tls --port 3288 --keylog "$OUT/cops-tls.keys"
wait_peers
cap_stop

# RSVP client-type over IPv6 with IPv6 redirect objects and the PDP's own keep-alives.
cap_start "$OUT/cops-ipv6.pcapng" tcp portrange 3288-3289
bg peer --role pdp --scenario v6 --port 3288
wait_port 3289
peer --role pep --scenario v6 --port 3288
wait_peers
cap_stop

# PacketCable (peers/pktc_peer.py): the CMTS (PEP) listens, the policy server / CMS (PDP) dials.
pktc() { timeout 30 "$PY" "$PEERS/pktc_peer.py" "$@"; }
cap_start "$OUT/pcmm-gates.pcapng" tcp port 3918
bg pktc --role pep --scenario pcmm-gates --port 3918
wait_port 3918
pktc --role pdp --scenario pcmm-gates --port 3918
wait_peers
cap_stop

cap_start "$OUT/dqos-gates.pcapng" tcp port 2126
bg pktc --role pep --scenario dqos --port 2126
wait_port 2126
pktc --role pdp --scenario dqos --port 2126
wait_peers
cap_stop
