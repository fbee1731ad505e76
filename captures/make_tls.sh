#!/usr/bin/env bash
# TLS captures for the analyzer's decryption (captures/tls/): RRP on 648 between our RRP server
# (peers/rrp_peer.py with TLS, --any-tls) and `openssl s_client`, which forces one version and
# cipher suite per connection and writes the key log (-keylogfile). Between them every suite
# family quartet decrypts appears at least once. Run as root (tcpdump on lo). See captures/README.md.
source "$(dirname "$0")/lib/capture.sh"
OUT="$CAPTURES_DIR/tls"
mkdir -p "$OUT"

openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=rrp.example" \
  -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
# The server's OpenSSL: all five TLS 1.3 suites (CCM ones are off by default) and only X25519
# and P-256, so a client leading with a P-384 key share gets a HelloRetryRequest.
cat > "$WORK/openssl.cnf" <<'CNF'
openssl_conf = default_conf
[default_conf]
ssl_conf = ssl_sect
[ssl_sect]
system_default = system_default_sect
[system_default_sect]
Ciphersuites = TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:TLS_AES_128_CCM_SHA256:TLS_AES_128_CCM_8_SHA256
Groups = X25519:P-256
CNF

# rrp_requests DOMAIN [LINE]: a registrar's requests, paced so each waits for its answer;
# LINE (e.g. `K`, s_client's KeyUpdate command) goes in after the CHECK.
rrp_requests() {
  sleep 0.4
  printf 'session\r\n-Id:registrar-a\r\n-Password:correct-horse\r\n.\r\n'; sleep 0.15
  printf 'check\r\nEntityName:Domain\r\nDomainName:%s\r\n.\r\n' "$1"; sleep 0.15
  if [ -n "${2:-}" ]; then printf '%s\n' "$2"; sleep 0.15; fi
  printf 'add\r\nEntityName:Domain\r\nDomainName:%s\r\n-Period:1\r\nNameServer:ns1.example.com\r\n.\r\n' "$1"
  sleep 0.15
  printf 'status\r\nEntityName:Domain\r\nDomainName:%s\r\n.\r\n' "$1"; sleep 0.15
  printf 'quit\r\n.\r\n'; sleep 0.5
}

# client KEYS DOMAIN [s_client options...]: one RRP session through s_client.
client() {
  local keys="$1" domain="$2"; shift 2
  rrp_requests "$domain" | timeout 20 openssl s_client -connect 127.0.0.1:648 -servername rrp.example \
    -keylogfile "$keys" -quiet "$@" >/dev/null 2>>"$WORK/s_client.err"
}

# capture OUTFILE CONNECTIONS: start the capture and a server for that many connections.
capture() {
  rm -f "${1%.*}.keys"
  cap_start "$1" tcp port 648
  bg env OPENSSL_CONF="$WORK/openssl.cnf" "$PY" "$PEERS/rrp_peer.py" --role server --scenario tls \
    --any-tls --connections "$2" --cert "$WORK/cert.pem" --key "$WORK/key.pem"
  wait_port 648
}
finish() { wait_peers; cap_stop; }

# TLS 1.3: AES-128-GCM, AES-128-CCM, AES-128-CCM-8, and AES-256-GCM after a HelloRetryRequest.
f="$OUT/rrp-tls13-suites.pcapng"; k="${f%.*}.keys"
capture "$f" 4
client "$k" tls13-gcm.example -tls1_3 -ciphersuites TLS_AES_128_GCM_SHA256
client "$k" tls13-ccm.example -tls1_3 -ciphersuites TLS_AES_128_CCM_SHA256
client "$k" tls13-ccm8.example -tls1_3 -ciphersuites TLS_AES_128_CCM_8_SHA256
client "$k" tls13-hrr.example -tls1_3 -ciphersuites TLS_AES_256_GCM_SHA384 -groups P-384:X25519
finish

# TLS 1.3 ChaCha20-Poly1305 with a KeyUpdate: `K` asks s_client for one with update_requested,
# so the server updates its keys too (s_client reads command letters only without -quiet).
f="$OUT/rrp-tls13-chacha-keyupdate.pcapng"; k="${f%.*}.keys"
capture "$f" 1
rm -f "$k"
rrp_requests tls13-chacha.example K | timeout 20 openssl s_client -connect 127.0.0.1:648 \
  -servername rrp.example -keylogfile "$k" -tls1_3 -ciphersuites TLS_CHACHA20_POLY1305_SHA256 \
  -no_ign_eof >/dev/null 2>>"$WORK/s_client.err"
finish

# TLS 1.2: AES-GCM (128, 256), ChaCha20-Poly1305, AES-CCM, AES-CCM-8, AES-CBC with HMAC-SHA1 and
# HMAC-SHA256 (encrypt_then_mac, OpenSSL's default for CBC) and HMAC-SHA384 without it (-no_etm).
f="$OUT/rrp-tls12-suites.pcapng"; k="${f%.*}.keys"
capture "$f" 8
client "$k" tls12-gcm128.example -tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256
client "$k" tls12-gcm256.example -tls1_2 -cipher ECDHE-RSA-AES256-GCM-SHA384
client "$k" tls12-chacha.example -tls1_2 -cipher ECDHE-RSA-CHACHA20-POLY1305
client "$k" tls12-ccm.example -tls1_2 -cipher 'AES128-CCM:@SECLEVEL=0'
client "$k" tls12-ccm8.example -tls1_2 -cipher 'AES256-CCM8:@SECLEVEL=0'
client "$k" tls12-cbc-sha1.example -tls1_2 -cipher ECDHE-RSA-AES128-SHA
client "$k" tls12-cbc-sha256-etm.example -tls1_2 -cipher ECDHE-RSA-AES128-SHA256
client "$k" tls12-cbc-sha384.example -tls1_2 -cipher ECDHE-RSA-AES256-SHA384 -no_etm
finish

# TLS 1.0 and 1.1, as RRP servers of that era spoke: CBC with HMAC-SHA1, MAC-then-encrypt
# (TLS 1.0 chains the IV from record to record), and TLS 1.1 with encrypt_then_mac.
f="$OUT/rrp-tls10.pcapng"; k="${f%.*}.keys"
capture "$f" 2
client "$k" tls10.example -tls1 -cipher 'ECDHE-RSA-AES128-SHA:@SECLEVEL=0' -no_etm
client "$k" tls11.example -tls1_1 -cipher 'AES256-SHA:@SECLEVEL=0'
finish

# The key log inside the capture (pcapng Decryption Secrets Block), no .keys file beside it.
f="$OUT/rrp-tls-secrets.pcapng"
capture "$f" 1
client "$WORK/secrets.keys" secrets.example -tls1_3
finish
editcap --inject-secrets "tls,$WORK/secrets.keys" "$f" "$WORK/with-secrets.pcapng"
mv "$WORK/with-secrets.pcapng" "$f"
grep -v "^$" "$WORK/s_client.err" >&2 || true
