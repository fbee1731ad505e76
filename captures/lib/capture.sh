# Shared helpers for the make_*.sh scripts: run tcpdump on loopback around a scenario.
# Source this file; it needs root (tcpdump on lo) and only ever touches loopback addresses.
set -euo pipefail

CAPTURES_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PEERS="$CAPTURES_DIR/peers"
PY=/usr/bin/python3          # Debian's python (scapy etc.), not the pyenv one on PATH
WORK="$(mktemp -d /tmp/quartet-captures.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

_cap_pid=""
_cap_tmp=""
_cap_out=""

# cap_start OUTFILE 'bpf filter'
# OUTFILE ending in .pcapng is converted with editcap after the capture (tcpdump writes pcap).
cap_start() {
  _cap_out="$1"; shift
  _cap_tmp="$WORK/$(basename "$_cap_out").raw.pcap"
  mkdir -p "$(dirname "$_cap_out")"
  tcpdump -Z root --immediate-mode -i lo -s 0 -U -n -w "$_cap_tmp" "$@" 2>"$WORK/tcpdump.err" &
  _cap_pid=$!
  for _ in $(seq 1 50); do
    grep -q "listening on" "$WORK/tcpdump.err" 2>/dev/null && break
    sleep 0.1
  done
  sleep 0.3
}

cap_stop() {
  sleep 0.5                      # let the last FIN/ACKs reach the capture
  kill -INT "$_cap_pid"
  wait "$_cap_pid" || true
  grep -E "dropped|captured" "$WORK/tcpdump.err" | tr "\n" " " >&2; echo >&2
  case "$_cap_out" in
    *.pcapng) editcap -F pcapng "$_cap_tmp" "$_cap_out" ;;
    *)        cp "$_cap_tmp" "$_cap_out" ;;
  esac
  echo "wrote $_cap_out ($(stat -c %s "$_cap_out") bytes, $(capinfos -c -M "$_cap_out" | awk '/Number of packets/{print $NF}') packets)"
}

# wait_port PORT [HOST]: wait until something listens on PORT (loopback only)
wait_port() {
  local port="$1"
  for _ in $(seq 1 100); do
    ss -ltnH "sport = :$port" | grep -q . && return 0
    sleep 0.05
  done
  echo "nothing listens on port $port" >&2
  return 1
}

# bg CMD...: start a peer in the background and remember its pid; wait_peers waits for those only
# (a plain `wait` would also wait for tcpdump).
_peer_pids=()
bg() { "$@" & _peer_pids+=("$!"); }
wait_peers() {
  local p
  for p in "${_peer_pids[@]}"; do wait "$p" || true; done
  _peer_pids=()
}
