#!/usr/bin/env bash
# Regenerates every capture in this folder (needs root for tcpdump on lo; loopback only),
# then demo.pcapng and the messy variants. Takes about a minute.
set -euo pipefail
cd "$(dirname "$0")"
bash make_sp.sh
bash make_cops.sh
bash make_rrp.sh
bash make_iap.sh
bash make_tls.sh
bash make_demo.sh
if [ -x make_variants.py ]; then /usr/bin/python3 make_variants.py; fi
