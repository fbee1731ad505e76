#!/usr/bin/python3
"""Fuzzes the plugin the way Wireshark fuzzes its dissectors (tools/fuzz-test.sh):
every sample capture is mutated with `editcap -E` and read with `tshark -nVxr`,
the plugin loaded, WIRESHARK_ABORT_ON_DISSECTOR_BUG=1 and
WIRESHARK_ABORT_ON_TOO_MANY_ITEMS=1 set. A round fails on a crash or abort, a
"Dissector bug" line, or a tshark exit status other than 0 (2 is accepted when
tshark itself says the file is damaged), unless tshark fails the same way on
the same file without the plugin (Wireshark's own bug: reported, not counted).
The failing mutated capture is kept.

    fuzz_plugin.py HOME WORK CAPTURES [--rounds N] [--seed S] [--error-probability P]
    fuzz_plugin.py HOME WORK CAPTURES --registration

HOME holds the installed plugin (install_plugin.py), WORK a scratch folder tshark
(run as nobody when root, like every plugin test) can read, CAPTURES the captures/
folder. One round mutates every capture with its own editcap seed and reads them
all in one tshark run (the mutated files appended with mergecap, their key logs
joined), so a round costs one tshark start. ctest runs a few rounds; by hand, run
any number (--rounds 1000) or pick another --seed.

--registration: tshark's glossary reports (-G fields, protocols, values, decodes,
heuristic-decodes, dissector-tables) with the plugin loaded must succeed with an
empty stderr (Wireshark reports duplicate or malformed registrations there) and
list the plugin's protocols, fields and expert infos (4.0 has no -G expert: expert
infos are listed as fields).
"""
import argparse
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tsharklib import NOBODY  # noqa: E402
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "scripts", "lib"))
import protocol_list  # noqa: E402  (the core's registry, build/protocols.json)

SUFFIXES = (".pcap", ".pcapng", ".pcap.gz", ".pcapng.gz", ".pcap.zst", ".pcapng.zst")
# Ports that need telling (as in captures/golden.py): SP has no default port.
DECODE_AS = ["tcp.port==5566,tls", "tcp.port==5567,tls", "tcp.port==5558,sp", "tcp.port==3289,copsx"]


def tshark(home, args, env_extra=None):
    cmd = ["tshark", *args]
    if os.geteuid() == 0:
        cmd = ["setpriv", "--reuid=%d" % NOBODY, "--regid=%d" % NOBODY, "--clear-groups",
               "env", "HOME=" + home, *cmd]
    env = dict(os.environ, HOME=home, LC_ALL="C.UTF-8", **(env_extra or {}))
    env.pop("WIRESHARK_PLUGIN_DIR", None)
    return subprocess.run(cmd, capture_output=True, env=env, timeout=600)


def sample_captures(root):
    out = []
    for d, _, files in os.walk(root):
        if os.path.relpath(d, root).split(os.sep)[0] in ("golden", "peers", "lib"):
            continue
        out += [os.path.join(d, f) for f in files if f.endswith(SUFFIXES)]
    return sorted(out)


def readable(path):
    os.chmod(path, 0o644)
    return path


# Glossary reports and, per report, names of ours it must list (column 3 of -G fields,
# column 3 of -G protocols). Wireshark 4.0 has no `-G expert` report: expert infos are
# registered as fields, so -G fields lists them (copsx.malformed, rrp.snaplen_cut...).
REPORTS = {
    "fields": ["copsx.header.opcode", "rrp.response.code", "iapx.type", "sp.length",
               "copsx.malformed", "rrp.snaplen_cut", "iapx.sequence", "sp.tls_handoff"],
    "protocols": protocol_list.filter_names(),
    "values": [], "decodes": [], "heuristic-decodes": [], "dissector-tables": [],
}


def registration(home):
    problems = []
    for what, names in REPORTS.items():
        r = tshark(home, ["-G", what])
        err = r.stderr.decode(errors="replace").strip()
        out = r.stdout.decode(errors="replace")
        if r.returncode != 0:
            problems.append("tshark -G %s exited %d" % (what, r.returncode))
        if err:
            problems.append("tshark -G %s wrote to stderr:\n%s" % (what, err))
        listed = {line.split("\t")[2] for line in out.splitlines() if line.count("\t") >= 2}
        missing = [n for n in names if n not in listed]
        if missing:
            problems.append("tshark -G %s does not list %s (plugin not loaded?)" % (what, missing))
    return problems


def one_round(home, work, captures, n, seed, probability):
    rdir = os.path.join(work, "round")
    shutil.rmtree(rdir, ignore_errors=True)
    os.makedirs(rdir)
    os.chmod(rdir, 0o755)
    mutated, keys = [], b""
    for i, cap in enumerate(captures):
        out = os.path.join(rdir, "%03d.pcapng" % i)
        r = subprocess.run(["editcap", "-E", str(probability), "--seed", str(seed * 1000 + i), "-F", "pcapng",
                            cap, out], capture_output=True)
        if r.returncode == 0:
            mutated.append(out)
        base = cap
        for s in sorted(SUFFIXES, key=len, reverse=True):
            if cap.endswith(s):
                base = cap[: -len(s)]
                break
        for k in (base + ".keys", os.path.join(os.path.dirname(cap), "demo.keys") if "demo" in cap else ""):
            if k and os.path.exists(k):
                keys += open(k, "rb").read()
    merged = os.path.join(rdir, "round-%d-seed-%d.pcapng" % (n, seed))
    subprocess.run(["mergecap", "-a", "-F", "pcapng", "-w", merged, *mutated], check=True, capture_output=True)
    readable(merged)
    keyfile = readable_write(os.path.join(rdir, "all.keys"), keys)
    # Every other round two passes, as Wireshark's GUI dissects: the later pass is where the stored
    # results are read back (response links, the messages never completed). Not every round: with
    # two passes Wireshark 4.0's own TLS reassembly aborts on about one mutated file in ten.
    args = (["-2"] if n % 2 else []) + ["-nVxr", merged, "-o", "tls.keylog_file:" + keyfile]
    for d in DECODE_AS:
        args += ["-d", d]
    r = tshark(home, args, ABORT_ENV)
    out = r.stdout.decode(errors="replace")
    err = r.stderr.decode(errors="replace")
    ours = sum(out.count(p) for p in ("Common Open Policy Service", "Registry Registrar Protocol",
                                      "Intrusion Alert Protocol", "Scalability Protocols"))
    failure = judge(r.returncode, out, err)
    if not failure and ours == 0:
        failure = "none of our protocols decoded: is the plugin loaded?"
    if failure:
        # The same file without the plugin (a HOME without it): if tshark fails the same
        # way, the bug is Wireshark's own (e.g. 4.0's TLS reassembly assertion), not ours.
        bare = os.path.join(work, "home-without-plugin")
        os.makedirs(bare, exist_ok=True)
        os.chmod(bare, 0o755)
        b = tshark(bare, args, ABORT_ENV)
        # Wireshark 4.0.17's TLS reassembly assertion (packet-tls.c:2386, "fh") also fires
        # without the plugin once TLS is decoded; without the plugin, the file's RRP/IAP
        # TLS may not be decoded at all, so the assertion's place decides.
        wireshark_tls = "epan/dissectors/packet-tls.c" in err and "failed assertion" in err
        if wireshark_tls or judge(b.returncode, b.stdout.decode(errors="replace"), b.stderr.decode(errors="replace")):
            last = (err.strip().splitlines() or ["?"])[-1]
            print("round %d (seed %d): %s also without the plugin: Wireshark's own bug, not ours (%s)"
                  % (n, seed, failure, last))
            return None
        keep = os.path.join(work, "failures")
        os.makedirs(keep, exist_ok=True)
        shutil.copy(merged, keep)
        shutil.copy(keyfile, os.path.join(keep, os.path.basename(merged) + ".keys"))
        lines = [l for l in (out + err).splitlines() if "Dissector bug" in l or "abort" in l.lower()][:5]
        return "%s on %s (kept in %s)\n%s\n%s" % (failure, os.path.basename(merged), keep, "\n".join(lines),
                                                 err.strip()[-2000:])
    print("round %d (seed %d%s): %d captures, %d PDUs of ours dissected, tshark exit %d"
          % (n, seed, ", two passes" if n % 2 else "", len(mutated), ours, r.returncode))
    return None


ABORT_ENV = {"WIRESHARK_ABORT_ON_DISSECTOR_BUG": "1", "WIRESHARK_ABORT_ON_TOO_MANY_ITEMS": "1"}


def judge(rc, out, err):
    """Why a tshark run failed, or None."""
    if rc < 0 or rc > 2:
        return "tshark died (status %d)" % rc
    if rc == 2 and not any(s in err for s in ("damaged or corrupt", "cut short", "isn't")):
        return "tshark exit 2 without saying the file is damaged"
    if "Dissector bug" in out or "Dissector bug" in err:
        return "a Dissector bug line"
    return None


def readable_write(path, data):
    with open(path, "wb") as f:
        f.write(data)
    return readable(path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("home")
    ap.add_argument("work")
    ap.add_argument("captures")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--error-probability", type=float, default=0.02)  # fuzz-test.sh's default
    ap.add_argument("--registration", action="store_true")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    os.chmod(args.work, 0o755)
    if args.registration:
        problems = registration(args.home)
        if problems:
            sys.exit("\n".join(problems))
        print("ok: -G %s clean, plugin protocols, fields and expert infos listed" % ", ".join(REPORTS))
        return
    captures = sample_captures(args.captures)
    if not captures:
        sys.exit("no captures under " + args.captures)
    for n in range(args.rounds):
        failure = one_round(args.home, args.work, captures, n, args.seed + n, args.error_probability)
        if failure:
            sys.exit(failure)


if __name__ == "__main__":
    main()
