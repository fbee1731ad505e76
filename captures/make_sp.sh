#!/usr/bin/env bash
# SP (nanomsg scalability protocols) captures from the real implementations:
# nanomsg's nanocat and nng's nngcat (Debian nanomsg-utils, nng-utils), mixed where they interoperate.
# Run as root (tcpdump on lo). Loopback only. Writes captures/sp/*.
source "$(dirname "$0")/lib/capture.sh"
OUT="$CAPTURES_DIR/sp"
L4=tcp://127.0.0.1
T="timeout -s INT"

# --- PAIR v0: nanomsg binds, nng dials; both send -------------------------------------------
cap_start "$OUT/sp-pair0.pcap" tcp port 5555
bg $T 2.6 nanocat --pair --bind $L4:5555 -A -D "hello from nanomsg pair v0" -i 0.4 >/dev/null
wait_port 5555
$T 2.3 nngcat --pair0 --dial $L4:5555 -A -D "hello from nng pair v0" -i 1 --count 2 >/dev/null || true
wait_peers
cap_stop

# --- PAIR v1 (nng only): hop-count header on each message -----------------------------------
cap_start "$OUT/sp-pair1.pcapng" tcp port 5556
bg $T 2.8 nngcat --pair1 --listen $L4:5556 -A -D "pair v1 from listener" -i 1 --count 3 >/dev/null
wait_port 5556
$T 2.3 nngcat --pair1 --dial $L4:5556 -A -D "pair v1 from dialer" -i 1 --count 2 >/dev/null || true
wait_peers
cap_stop

# --- PUB/SUB with three subscribers (filtering is local: every SUB gets every message) -----
cap_start "$OUT/sp-pubsub.pcap" tcp port 5557
bg $T 3.5 nngcat --pub --listen $L4:5557 -D "weather.paris 12C light rain" -d 1 -i 1 --count 2 >/dev/null
wait_port 5557
bg $T 3.2 nanocat --sub --connect $L4:5557 --subscribe weather. -A >/dev/null
bg $T 3.2 nngcat --sub --dial $L4:5557 --subscribe weather.paris -A >/dev/null
bg $T 3.2 nngcat --sub --dial $L4:5557 --subscribe news. -A >/dev/null
wait_peers
cap_stop

# --- REQ/REP: nng REP server, one nanomsg REQ client and one nng REQ client -----------------
cap_start "$OUT/sp-reqrep.pcap" tcp port 5558
bg $T 2.8 nngcat --rep --listen $L4:5558 -D "it is noon" -A >/dev/null
wait_port 5558
bg $T 1.6 nanocat --req --connect $L4:5558 -D "what time is it? (nanocat)" -i 0.5 -A >/dev/null
bg $T 2.3 nngcat --req --dial $L4:5558 -D "what time is it? (nngcat)" -i 1 --count 2 -A >/dev/null
wait_peers
cap_stop

# --- REQ/REP over IPv6 (nng both sides: nanocat cannot switch off NN_IPV4ONLY) ------------------------------------------------
cap_start "$OUT/sp-reqrep-ipv6.pcapng" tcp port 5559
bg $T 2.8 nngcat --rep --listen "tcp://[::1]:5559" -D "pong over ipv6" -A >/dev/null
wait_port 5559
$T 2.3 nngcat --req --dial "tcp://[::1]:5559" -D "ping over ipv6" -i 1 --count 2 -A >/dev/null || true
wait_peers
cap_stop

# --- PUSH/PULL: one nanomsg pusher, an nng and a nanomsg puller (round robin) ---------------
cap_start "$OUT/sp-pushpull.pcap" tcp port 5560
bg $T 2.0 nanocat --push --bind $L4:5560 -D "job: resize image" -d 0.5 -i 0.2 >/dev/null
wait_port 5560
bg $T 1.8 nngcat --pull --dial $L4:5560 -A >/dev/null
bg $T 1.8 nanocat --pull --connect $L4:5560 -A >/dev/null
wait_peers
cap_stop

# --- incompatible peers: PULL dials PULL; both send their header and hang up, then retry -------
cap_start "$OUT/sp-incompatible.pcap" tcp port 5564
bg $T 1.2 nanocat --pull --bind $L4:5564 -A >/dev/null
wait_port 5564
bg $T 1.0 nngcat --pull --dial $L4:5564 -A >/dev/null
wait_peers
cap_stop

# --- SURVEYOR/RESPONDENT: nng surveyor, nanomsg and nng respondents ---------------------------
cap_start "$OUT/sp-survey.pcapng" tcp port 5561
bg $T 3.3 nngcat --surveyor --listen $L4:5561 -D "who is there?" -d 1 -i 1 --count 2 -A >/dev/null
wait_port 5561
bg $T 3.0 nanocat --respondent --connect $L4:5561 -D "nanocat respondent here" -A >/dev/null
bg $T 3.0 nngcat --respondent --dial $L4:5561 -D "nngcat respondent here" -A >/dev/null
wait_peers
cap_stop

# --- BUS: three nodes in a full mesh (nanomsg and nng) ----------------------------------------
cap_start "$OUT/sp-bus.pcap" tcp portrange 5562-5563
bg $T 2.4 nanocat --bus --bind $L4:5562 -D "bus node A (nanomsg)" -i 0.5 -A >/dev/null
wait_port 5562
bg $T 2.4 nngcat --bus0 --listen $L4:5563 --dial $L4:5562 -D "bus node B (nng)" -d 1 -i 1 --count 1 -A >/dev/null
wait_port 5563
bg $T 1.6 nanocat --bus --connect $L4:5562 --connect $L4:5563 -D "bus node C (nanomsg)" -i 0.5 -A >/dev/null
wait_peers
cap_stop

# --- one 200 KiB message (spans many TCP segments), nng PUSH -> nng PULL ----------------------
"$PY" -c 'import sys; line=b"quartet large SP message line %05d -- abcdefghijklmnopqrstuvwxyz\n"; sys.stdout.buffer.write(b"".join(line % i for i in range(3200))[:204800])' > "$WORK/big.bin"
cap_start "$OUT/sp-large.pcapng" tcp port 5565
bg $T 2.5 nngcat --pull --listen $L4:5565 --raw >"$WORK/big.out"
wait_port 5565
$T 1.5 nngcat --push --dial $L4:5565 --file "$WORK/big.bin" --count 1 >/dev/null || true
wait_peers
cmp "$WORK/big.bin" "$WORK/big.out"
cap_stop

# --- SP over TLS (tls+tcp://) with a self-signed certificate -----------------------------------
openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=localhost" \
  -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
# nng on both sides: mbedtls writes no key log, so this one stays opaque.
cap_start "$OUT/sp-tls-nng.pcapng" tcp port 5566
bg $T 2.8 nngcat --rep --listen tls+tcp://127.0.0.1:5566 --cert "$WORK/cert.pem" --key "$WORK/key.pem" -D "secret pong" -A >/dev/null
wait_port 5566
$T 2.3 nngcat --req --dial tls+tcp://127.0.0.1:5566 --insecure -D "secret ping" -i 1 --count 2 -A >/dev/null || true
wait_peers
cap_stop
# nng REP server, Python REQ client writing the key log beside the capture.
rm -f "$OUT/sp-tls-keylog.keys"
cap_start "$OUT/sp-tls-keylog.pcapng" tcp port 5567
bg $T 3.0 nngcat --rep --listen tls+tcp://127.0.0.1:5567 --cert "$WORK/cert.pem" --key "$WORK/key.pem" -D "decryptable pong" -A >/dev/null
wait_port 5567
"$PY" "$PEERS/sp_peer.py" --port 5567 --keylog "$OUT/sp-tls-keylog.keys" --requests "first decryptable ping" "second decryptable ping"
sleep 0.3
kill -INT "${_peer_pids[@]}" 2>/dev/null || true
wait_peers
cap_stop
