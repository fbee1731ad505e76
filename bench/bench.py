#!/usr/bin/python3
"""Benchmarks quartet, and tshark with the quartet plugin when it is built, on
the same generated mixed capture, then quartet's TLS decryption on a TLS-heavy
capture (SP over TLS 1.3 AES-128-GCM with its key log, gen_tls_capture.py).
Reports MB/s and packets/s (best of --repeat runs, wall clock). Figures are for
README.md and docs/analyzer.md; nothing here is asserted.

    bench.py --quartet build/analyzer/quartet [--plugin build/plugin/quartet.so]
             [--workdir build/bench] [--rounds 300] [--tls-sessions 200] [--repeat 3] [--no-tshark]
"""
import argparse
import os
import shutil
import struct
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def count_packets(path):
    n = 0
    with open(path, "rb") as f:
        f.read(24)
        while True:
            h = f.read(16)
            if len(h) < 16:
                return n
            caplen = struct.unpack("<IIII", h)[2]
            f.seek(caplen, 1)
            n += 1


def best_time(cmd, repeat, env=None):
    best = None
    for _ in range(repeat):
        t = time.perf_counter()
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        dt = time.perf_counter() - t
        if r.returncode not in (0, 1):
            sys.exit("%s failed (%d): %s" % (cmd[0], r.returncode, r.stderr.decode()[:500]))
        best = dt if best is None else min(best, dt)
    return best


def tshark_cmd(home, capture):
    cmd = ["tshark", "-n", "-r", capture, "-Y", "copsx or rrp or iapx or sp"]
    if os.geteuid() == 0:  # tshark ignores personal plugins as root: run as nobody
        cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "env", "HOME=" + home] + cmd
    return cmd


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quartet", required=True)
    ap.add_argument("--plugin", default=os.path.join(ROOT, "build", "plugin", "quartet.so"))
    ap.add_argument("--workdir", default=os.path.join(ROOT, "build", "bench"))
    ap.add_argument("--rounds", type=int, default=300)
    ap.add_argument("--sessions", type=int, help="alias: rounds = sessions / 5")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-tshark", action="store_true")
    ap.add_argument("--tls-sessions", type=int, help="TLS sessions of the TLS-heavy capture (default 200, or "
                    "sessions / 10 with --sessions)")
    args = ap.parse_args()
    rounds = max(1, args.sessions // 5) if args.sessions else args.rounds

    os.makedirs(args.workdir, exist_ok=True)
    os.chmod(args.workdir, 0o755)
    capture = os.path.join(args.workdir, "mixed-%d.pcap" % rounds)
    if not os.path.exists(capture):
        subprocess.run(["/usr/bin/python3", os.path.join(HERE, "gen_capture.py"), capture, "--rounds", str(rounds)],
                       check=True)
    os.chmod(capture, 0o644)
    size = os.path.getsize(capture)
    packets = count_packets(capture)
    print("capture: %s, %.1f MB, %d packets" % (capture, size / 1e6, packets))

    rows = []
    for fmt in ("text", "jsonl"):
        dt = best_time([args.quartet, "--no-progress", "--format", fmt, capture], args.repeat)
        rows.append(("quartet --format " + fmt, dt))
    dt = best_time([args.quartet, "--no-progress", "--summary", capture], args.repeat)
    rows.append(("quartet --summary", dt))

    if not args.no_tshark:
        if shutil.which("tshark") and os.path.exists(args.plugin):
            home = os.path.join(args.workdir, "home")
            subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "tests", "e2e", "plugin", "install_plugin.py"),
                            args.plugin, home], check=True, stdout=subprocess.DEVNULL)
            env = dict(os.environ, HOME=home)
            rows.append(("tshark + plugin (-Y our protocols)", best_time(tshark_cmd(home, capture), args.repeat, env)))
        else:
            print("tshark or the plugin (%s) is missing: tshark not measured" % args.plugin)

    print("%-38s %10s %10s %12s" % ("", "seconds", "MB/s", "packets/s"))
    for name, dt in rows:
        print("%-38s %10.3f %10.1f %12.0f" % (name, dt, size / 1e6 / dt, packets / dt))

    # TLS-heavy: every session decrypted (AES-128-GCM), every message decoded.
    tls_sessions = args.tls_sessions or (max(2, args.sessions // 10) if args.sessions else 200)
    tls_capture = os.path.join(args.workdir, "tls-%d.pcap" % tls_sessions)
    keys = tls_capture[:-len(".pcap")] + ".keys"
    if not os.path.exists(tls_capture) or not os.path.exists(keys):
        subprocess.run(["/usr/bin/python3", os.path.join(HERE, "gen_tls_capture.py"), tls_capture, keys,
                        "--sessions", str(tls_sessions)], check=True)
    size, packets = os.path.getsize(tls_capture), count_packets(tls_capture)
    print("TLS capture: %s, %.1f MB, %d packets" % (tls_capture, size / 1e6, packets))
    env = {k: v for k, v in os.environ.items() if k != "SSLKEYLOGFILE"}
    base = [args.quartet, "--no-progress", "-d", "sp/tls=5600", tls_capture]
    for name, extra in (("quartet --format jsonl --keylog", ["--format", "jsonl", "--keylog", keys]),
                        ("quartet --keylog (text)", ["--keylog", keys]),
                        ("quartet --format jsonl, no key", ["--format", "jsonl"])):
        dt = best_time(base[:1] + extra + base[1:], args.repeat, env)
        print("%-38s %10.3f %10.1f %12.0f" % (name, dt, size / 1e6 / dt, packets / dt))


if __name__ == "__main__":
    main()
