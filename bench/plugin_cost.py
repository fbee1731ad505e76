#!/usr/bin/python3
"""The plugin's cost in tshark, in instructions (valgrind callgrind: the machine is shared and
wall time is noisy; `perf stat -e instructions` is not available in its VM). Issue 12:

 1. COPS: the plugin's cost per COPS PDU against Wireshark's built-in `cops`, on a COPS-only
    capture (COPS sessions of bench/gen_capture.py: OPN, CAT, REQ, DEC, RPT, KA, DRQ, CC).
    Two runs: P = `-Y copsx` with the plugin; B = `-Y cops` without the plugin (the built-in
    then owns port 3288). Both dissectors frame COPS with tcp_dissect_pdus, an exported
    function: its inclusive cost is each protocol's whole cost (framing, reassembly, decoding,
    tree), compared per PDU; the goal is a ratio <= 1.0. (A baseline with COPS disabled does
    not isolate it: TCP then tries every heuristic dissector on each segment, which costs more
    than either COPS dissector.)
 2. Heuristics: the cost of our eight heuristics (copsx/rrp/iapx/sp on tcp and tls) on TCP
    traffic that is none of our protocols (bench/gen_unrelated_tcp.py: HTTP, TLS 1.2 decrypted
    with its key log, random binary, SMTP/Redis/FTP-like text), with and without the plugin,
    same options otherwise. The goal is at most 5 % more; the false positives are counted too
    (ctest plugin.heuristics_unrelated_tcp asserts there are none).

Each figure is callgrind's instruction count of the whole tshark process ("total"), of packet
dissection alone (inclusive cost of libwireshark's epan_dissect_run_with_taps and
epan_dissect_run, "dissection"), so the start-up (loading every dissector) does not hide the
difference, and for COPS of tcp_dissect_pdus.

    plugin_cost.py BUILD_DIR [--cops-sessions N] [--unrelated-flows N] [--keep DIR]

BUILD_DIR holds plugin/quartet.so. Runs tshark as nobody when root (tshark ignores personal
plugins as root). Takes a few minutes (callgrind slows tshark ~50x); the captures are small."""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e", "plugin"))

DISSECT_FUNCS = ("epan_dissect_run_with_taps", "epan_dissect_run")


def inclusive(ann, func):
    """Inclusive instructions of `func` in callgrind_annotate --inclusive=yes output (0: absent)."""
    m = re.search(r"^\s*([\d,]+) \(\s*[\d.]+%\)\s+\S*:" + re.escape(func) + r"(?: |$)", ann, re.M)
    return int(m.group(1).replace(",", "")) if m else 0


def make_cops_capture(path, sessions):
    from gen_capture import cops_session
    from pcap_stream import MS, T0
    from pcapgen import Pcap
    p = Pcap(checksums=False)
    for r in range(sessions):
        a, b = divmod(r, 250)
        cops_session(p, ("10.1.%d.%d" % (a, b + 1), 20000 + r), ("10.2.%d.%d" % (a, b + 1), 3288), T0 + r * 20 * MS, r)
    with open(path, "wb") as f:
        f.write(p.to_bytes())


def home_with(plugin, home):
    os.makedirs(home, exist_ok=True)
    if plugin:
        subprocess.run([sys.executable, os.path.join(ROOT, "tests", "e2e", "plugin", "install_plugin.py"),
                        plugin, home], check=True, stdout=subprocess.DEVNULL)
    os.chmod(home, 0o755)
    return home


def callgrind(home, work, name, args):
    """(total, dissection) instructions of `tshark args` under callgrind."""
    out = os.path.join(work, "cg", "callgrind." + name)  # cg/ is writable by nobody
    cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out, "tshark", *args]
    if os.geteuid() == 0:
        cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "env", "HOME=" + home, *cmd]
    env = dict(os.environ, HOME=home, LC_ALL="C.UTF-8")
    env.pop("WIRESHARK_PLUGIN_DIR", None)
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if r.returncode != 0:
        sys.exit("%s failed: %s" % (" ".join(cmd), r.stderr[-2000:]))
    ann = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", out],
                         capture_output=True, text=True, check=True).stdout
    total = int(re.search(r"^([\d,]+) \(100\.0%\)\s+PROGRAM TOTALS", ann, re.M).group(1).replace(",", ""))
    dissect = max(inclusive(ann, f) for f in DISSECT_FUNCS)
    return total, dissect, ann


def count_frames(home, args):
    cmd = ["tshark", *args]
    if os.geteuid() == 0:
        cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "env", "HOME=" + home, *cmd]
    env = dict(os.environ, HOME=home, LC_ALL="C.UTF-8")
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
    return len(r.stdout.splitlines())


def our_symbols(ann, n=12):
    """The plugin's most expensive functions (inclusive), from callgrind_annotate's listing."""
    rows = [l for l in ann.splitlines() if "quartet.so" in l or "quartet::" in l]
    return rows[:n]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--cops-sessions", type=int, default=300)
    ap.add_argument("--unrelated-flows", type=int, default=20)
    ap.add_argument("--keep", help="keep the captures and callgrind files in this folder")
    ap.add_argument("--symbols", action="store_true", help="list the plugin's most expensive functions")
    ap.add_argument("--cops-only", action="store_true", help="only the COPS comparison (half the time)")
    args = ap.parse_args()
    plugin = os.path.join(os.path.abspath(args.build), "plugin", "quartet.so")
    if not os.path.exists(plugin) or not shutil.which("valgrind") or not shutil.which("tshark"):
        sys.exit("needs %s, valgrind and tshark" % plugin)
    work = args.keep or tempfile.mkdtemp(prefix="quartet-plugin-cost-")
    os.makedirs(work, exist_ok=True)
    os.chmod(work, 0o755)
    os.makedirs(os.path.join(work, "cg"), exist_ok=True)
    os.chmod(os.path.join(work, "cg"), 0o777)
    with_plugin = home_with(plugin, os.path.join(work, "home-plugin"))
    without = home_with(None, os.path.join(work, "home-none"))

    cops = os.path.join(work, "cops-only.pcap")
    make_cops_capture(cops, args.cops_sessions)
    unrelated, keys = os.path.join(work, "unrelated-tcp.pcap"), os.path.join(work, "unrelated-tcp.keys")
    if not args.cops_only:
        subprocess.run([sys.executable, os.path.join(HERE, "gen_unrelated_tcp.py"), unrelated, keys,
                        "--flows", str(args.unrelated_flows)], check=True, stdout=subprocess.DEVNULL)
    for f in (cops, unrelated, keys):
        if os.path.exists(f):
            os.chmod(f, 0o644)

    base = ["-n", "-r"]
    runs = {
        "cops-plugin": (with_plugin, base + [cops, "-Y", "copsx"]),
        "cops-builtin": (without, base + [cops, "-Y", "cops"]),
        "unrelated-plugin": (with_plugin, base + [unrelated, "-o", "tls.keylog_file:" + keys]),
        "unrelated-none": (without, base + [unrelated, "-o", "tls.keylog_file:" + keys]),
    }
    if args.cops_only:
        runs = {k: v for k, v in runs.items() if k.startswith("cops-")}
    res = {}
    for name, (home, a) in runs.items():
        res[name] = callgrind(home, work, name, a)
        print("%-18s total %14d  dissection %14d" % (name, res[name][0], res[name][1]), flush=True)
    pdus = count_frames(with_plugin, ["-n", "-r", cops, "-Y", "copsx", "-T", "fields", "-e", "copsx.header.opcode",
                                      "-E", "occurrence=a", "-E", "aggregator=\n"])
    fp = None if args.cops_only else count_frames(with_plugin, ["-n", "-r", unrelated, "-o", "tls.keylog_file:" + keys,
                                                                "-Y", "copsx or rrp or iapx or sp"])

    (pt, pd, pann), (bt, bd, bann) = res["cops-plugin"], res["cops-builtin"]
    pp, bp = inclusive(pann, "tcp_dissect_pdus"), inclusive(bann, "tcp_dissect_pdus")
    print()
    print("COPS-only capture: %d sessions, %d COPS PDUs" % (args.cops_sessions, pdus))
    print("  per PDU (tcp_dissect_pdus inclusive): plugin %.0f, built-in %.0f instructions: ratio %.2f"
          % (pp / pdus, bp / pdus, pp / max(1, bp)))
    # What the plugin does around tcp_dissect_pdus (its entry point, e.g. resynchronising
    # after a gap) counts too; the built-in's entry point only calls tcp_dissect_pdus.
    pe = inclusive(pann, "quartet::plugin::dissect_stream(tvbuff*,")
    print("  per PDU, the plugin's whole entry point (dissect_stream inclusive): %.0f, ratio %.2f"
          % (pe / pdus, pe / max(1, bp)))
    print("  ratio plugin / built-in: all dissection %.3f, whole tshark run %.3f" % (pd / bd, pt / bt))
    if not args.cops_only:
        (ut, ud, uann), (nt, nd, _) = res["unrelated-plugin"], res["unrelated-none"]
        print("Unrelated TCP capture (%d rounds): heuristics add %.2f %% to tshark's run, %.2f %% to its dissection;"
              " false positives: %d frames" % (args.unrelated_flows, 100.0 * (ut - nt) / nt, 100.0 * (ud - nd) / nd, fp))
    if args.symbols:
        print("\nThe plugin's functions on the COPS capture (inclusive instructions):")
        print("\n".join(our_symbols(pann)))
        if not args.cops_only:
            print("\nThe plugin's functions on the unrelated capture (inclusive instructions):")
            print("\n".join(our_symbols(uann)))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
