#!/usr/bin/python3
"""The TLS oracle: for every capture in captures/ whose TLS can be decrypted (a key log beside
it, or Decryption Secrets Blocks inside it), quartet's decrypted messages must be the ones
tshark with our plugin shows from the same secrets: the same number, in the same order per
direction, with the same names and summaries (the plugin's "request → response" form).

  tls_oracle.py list                                     the captures, one per line
  tls_oracle.py check CAPTURE --quartet BIN --home HOME --work DIR

HOME is a throwaway home with the plugin installed (tests/e2e/plugin/install_plugin.py);
tshark runs as nobody when root (captures/golden.py's run_tshark). Exit 77: skipped.
"""
import argparse
import collections
import json
import os
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
CAPTURES = os.path.join(ROOT, "captures")
sys.path.insert(0, CAPTURES)
import golden  # noqa: E402  (capture list, per-capture options, tshark as nobody)



def ours():
    """Our protocols' filter names (the core's registry, build/protocols.json): read when a
    check runs, not at import, so that `list` works at configure time, before the build."""
    return tuple(golden.our_protocols())


def has_secrets_block(path):
    """A pcapng file with a TLS key log Decryption Secrets Block (type 0x0A, secrets 'TLSK')."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x0a\x0d\x0d\x0a" or len(data) < 12:
        return False
    order = "<" if data[8:12] == b"\x4d\x3c\x2b\x1a" else ">"
    pos = 0
    while pos + 12 <= len(data):
        btype, blen = struct.unpack(order + "II", data[pos:pos + 8])
        if btype == 0x0A0D0D0A:
            order = "<" if data[pos + 8:pos + 12] == b"\x4d\x3c\x2b\x1a" else ">"
            blen = struct.unpack(order + "I", data[pos + 4:pos + 8])[0]
        if btype == 0x0000000A and struct.unpack(order + "I", data[pos + 8:pos + 12])[0] == 0x544C534B:
            return True
        if blen < 12:
            return False
        pos += blen
    return False


def tls_captures():
    out = []
    for cap in golden.captures():
        if cap.endswith("/"):
            continue
        if golden.keylog_for(cap) or (cap.endswith(".pcapng") and has_secrets_block(os.path.join(CAPTURES, cap))):
            out.append(cap)
    return out


def analyzer_messages(quartet, cap):
    r = subprocess.run(golden.analyzer_command(quartet, cap), cwd=CAPTURES, capture_output=True, text=True,
                       timeout=120, env=golden.clean_env())
    if r.returncode not in (0, 1):
        sys.exit("quartet exited %d: %s" % (r.returncode, r.stderr))
    sessions, messages = {}, collections.defaultdict(dict)
    for line in r.stdout.splitlines():
        o = json.loads(line)
        if o["type"] == "session":
            sessions[o["id"]] = o
        elif o["type"] == "message":
            messages[o["session"]][o["index"]] = o
    per_dir = collections.defaultdict(list)
    decrypted = 0
    for sid, msgs in messages.items():
        s = sessions[sid]
        if s["tls"] and s["tls"]["decrypted"]:
            decrypted += 1
        for i in sorted(msgs):
            m = msgs[i]
            a, b = (s["client"], s["server"]) if m["from"] == "client" else (s["server"], s["client"])
            text = m["summary"] or m["name"]
            if m["response_to"] is not None and m["response_to"] in msgs:
                req = msgs[m["response_to"]]
                text = (req["summary"] or req["name"]) + " \u2192 " + text
            per_dir[(a["ip"], a["port"], b["ip"], b["port"])].append(text)
    return per_dir, decrypted


def tshark_messages(home, work, cap):
    os.makedirs(work, exist_ok=True)
    os.chmod(work, 0o755)
    local = os.path.join(work, os.path.basename(cap))
    shutil.copyfile(os.path.join(CAPTURES, cap), local)
    os.chmod(local, 0o644)
    args = ["-r", local, "-2", "-T", "pdml", "-Y", " || ".join(ours())]
    keys = golden.keylog_for(cap)
    if keys:
        shutil.copyfile(os.path.join(CAPTURES, keys), local + ".keys")
        os.chmod(local + ".keys", 0o644)
        args += ["-o", "tls.keylog_file:" + local + ".keys"]
    args += golden.TSHARK_ARGS.get(cap, [])
    rc, out, err = golden.run_tshark(home, args)
    if rc not in (0, 2) or not out.strip():
        sys.exit("tshark exited %d: %s" % (rc, err))
    per_dir = collections.defaultdict(list)
    for packet in ET.fromstring(out).iter("packet"):
        fields = {f.get("name"): f.get("show") for f in packet.iter("field")}
        src = fields.get("ip.src") or fields.get("ipv6.src")
        dst = fields.get("ip.dst") or fields.get("ipv6.dst")
        key = (src, int(fields["tcp.srcport"]), dst, int(fields["tcp.dstport"]))
        for proto in packet.iter("proto"):
            if proto.get("name") in ours():
                per_dir[key].append(proto.get("showname").split(", ", 1)[1])
    return per_dir


def check(a):
    if not shutil.which("tshark"):
        print("tshark missing: skipped")
        return 77
    ours, decrypted = analyzer_messages(a.quartet, a.capture)
    theirs = tshark_messages(a.home, a.work, a.capture)
    failures = []
    if decrypted == 0:
        failures.append("quartet decrypted no session")
    for key in sorted(set(ours) | set(theirs)):
        q, t = ours.get(key, []), theirs.get(key, [])
        if q != t:
            failures.append("%s:%d -> %s:%d: quartet %d messages, tshark %d\n  first difference: quartet %r, tshark %r"
                            % (*key, len(q), len(t), *next(((x, y) for x, y in zip(q + [None] * len(t), t + [None] * len(q))
                                                           if x != y), (None, None))))
    total = sum(len(v) for v in ours.values())
    if total == 0:
        failures.append("no messages at all")
    if failures:
        print("\n".join(failures))
        return 1
    print("%s: %d messages in %d directions agree; %d sessions decrypted" % (a.capture, total, len(ours), decrypted))
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("command", choices=["list", "check"])
    ap.add_argument("capture", nargs="?")
    ap.add_argument("--quartet")
    ap.add_argument("--home")
    ap.add_argument("--work")
    a = ap.parse_args()
    if a.command == "list":
        print("\n".join(tls_captures()))
        return 0
    return check(a)


if __name__ == "__main__":
    sys.exit(main())
