#!/usr/bin/env bash
# Installs the Debian packages quartet needs to build, test and make captures.
# Safe to run twice: apt-get skips what is already installed, and the package
# index is refreshed only when a package is actually missing.
set -euo pipefail

packages=(
  build-essential cmake g++ pkg-config
  libwireshark-dev tshark libglib2.0-dev
  libpcap-dev zlib1g-dev libzstd-dev libssl-dev
  libgtest-dev
  tcpdump nanomsg-utils nng-utils openssl python3 python3-scapy python3-cryptography zstd
  util-linux
  help2man debootstrap file
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all packages present"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
# tshark's debconf question (may non-root users capture?) must not block.
echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
echo "setup: installing ${missing[*]}"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
