#!/usr/bin/env bash
# Installs the Debian packages quartet needs to build, test and make captures.
# Safe to run twice: apt-get skips what is already installed, and the package
# index is refreshed only when a package is actually missing.
set -euo pipefail

packages=(
  build-essential cmake g++ pkg-config clang libclang-rt-dev clang-format
  libwireshark-dev tshark libglib2.0-dev
  libpcap-dev zlib1g-dev libzstd-dev libssl-dev
  libgtest-dev libabsl-dev nlohmann-json3-dev libsimdjson-dev
  tcpdump nanomsg-utils nng-utils openssl python3 python3-scapy python3-cryptography zstd
  util-linux
  help2man debootstrap file
  python3-distributed tcpflow valgrind time chromium
  wireshark-qt xvfb xdotool imagemagick   # the plugin's GUI smoke test (tests/e2e/gui)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

# Node.js and npm run the browser tests (puppeteer-core drives chromium). Any node >= 18
# will do: Debian's is installed only when there is no npm at all (a NodeSource node
# bundles its own npm, which Debian's npm package would conflict with).
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)

install_browser_test_modules() {
  # puppeteer-core at the versions tests/browser/package-lock.json pins; it downloads no browser.
  local dir
  dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tests/browser"
  if [ ! -d "$dir/node_modules/puppeteer-core" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    echo "setup: npm ci in tests/browser"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all packages present"
  install_browser_test_modules
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
install_browser_test_modules
