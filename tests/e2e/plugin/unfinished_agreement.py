#!/usr/bin/python3
"""unfinished_agreement.py QUARTET HOME WORK HANDBUILT: the analyzer and the plugin name the same
messages begun and never completed, with the same declared length.

The analyzer warns at a connection's end ("SP message cut short by the end of the capture: 65536 of
204808 bytes", or "..., 48 bytes, its end not seen" when the length only comes with the message's
end); the plugin, with two passes, says so on the frame where the message begins
(`<p>.unfinished`: "SP message begun here and never completed (204808 bytes declared): ..." or
"(its end not seen)"). Both frame with the core's framers, but reassemble TCP each its own way
(the analyzer its own reassembler, the plugin Wireshark's TCP and TLS), so agreeing is a check of
both. Compared per capture as the sorted list of (protocol, declared length or None), on every
sample capture of captures/ (with the options and key logs the goldens use) and on the plugin
tests' hand-built captures in HANDBUILT whose names say unfinished or cut (with the key log beside
them). A capture where the two legitimately differ is listed in DIFFERENT with the reason.
"""
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
sys.path.insert(0, os.path.join(ROOT, "captures"))
sys.path.insert(0, HERE)
import golden  # noqa: E402  (captures/golden.py: the captures, their options and key logs)

PROTOCOLS = {"COPS": "copsx", "RRP": "rrp", "IAP": "iapx", "SP": "sp"}
ANY_UNFINISHED = " or ".join(p + ".unfinished" for p in PROTOCOLS.values())

DIFFERENT = {
    # Conflicting overlapping TCP segments: Wireshark 4.0 and 4.4 give up reassembling them, so
    # every message begun there is unfinished in the plugin; the analyzer keeps the first copy and
    # decodes them (as Wireshark 4.6 does).
    "messy/iap-overlap-conflict.pcap": "Wireshark before 4.6 gives up on the conflicting segments",
}

CUT = re.compile(r"(\w+) message cut short by [^:]*: \d+(?: of (\d+) bytes| bytes?, its end not seen)$")
BEGUN = re.compile(r"(\w+) message begun here and never completed \((?:(\d+) bytes declared|its end not seen)\)")


def analyzer_cut(cmd, cwd):
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=120, env=golden.clean_env())
    if r.returncode not in (0, 1):
        sys.exit("%s exited %d: %s" % (" ".join(cmd), r.returncode, r.stderr))
    found = []
    for line in r.stdout.splitlines():
        if '"type":"session"' not in line.replace(" ", ""):
            continue
        for w in json.loads(line).get("warnings", []):
            m = CUT.search(w)
            if m:
                found.append((m.group(1), int(m.group(2)) if m.group(2) else None))
    return sorted(found, key=repr)


def plugin_unfinished(home, local, prefs, extra=()):
    args = ["-r", local, *extra, "-2", "-Y", ANY_UNFINISHED, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=\x1f",
            "-e", "_ws.expert.message"]
    for p in prefs:
        args += ["-o", p]
    _, out, _ = golden.run_tshark(home, args)
    found = []
    for line in out.splitlines():
        for message in line.split("\x1f"):
            m = BEGUN.match(message)
            if m:
                found.append((m.group(1), int(m.group(2)) if m.group(2) else None))
    return sorted(found, key=repr)


def main():
    quartet, home, work, handbuilt = sys.argv[1:5]
    quartet = os.path.abspath(quartet)
    errors, cases, found = [], 0, 0
    for cap in golden.captures():
        ana = analyzer_cut(golden.analyzer_command(quartet, cap), golden.HERE)
        local, prefs = golden.tshark_copy(os.path.join(work, cap.rstrip("/").replace("/", "__")), cap)
        ws = plugin_unfinished(home, local, prefs, golden.TSHARK_ARGS.get(cap, []))
        note = "  [%s]" % DIFFERENT[cap] if cap in DIFFERENT else ""
        print("%-44s analyzer %r, plugin %r%s" % (cap, ana, ws, note))
        if ana != ws and cap not in DIFFERENT:
            errors.append("%s: analyzer %r, plugin %r" % (cap, ana, ws))
        cases += 1
        found += len(ana)
    for name in sorted(os.listdir(handbuilt)):
        if not (name.endswith(".pcap") and ("unfinished" in name or "cut" in name)):
            continue
        path = os.path.join(handbuilt, name)
        keys = path[:-len(".pcap")] + ".keys"
        has_keys = os.path.exists(keys)
        ana = analyzer_cut([quartet, "--format", "jsonl", "--no-progress", *(["--keylog", keys] if has_keys else []),
                            path], None)
        ws = plugin_unfinished(home, path, ["tls.keylog_file:" + keys] if has_keys else [])
        print("%-44s analyzer %r, plugin %r" % (name, ana, ws))
        if ana != ws:
            errors.append("%s: analyzer %r, plugin %r" % (name, ana, ws))
        cases += 1
        found += len(ana)
    if found < 5:
        errors.append("only %d messages never completed in %d captures: nothing much was compared" % (found, cases))
    for e in errors:
        print("MISMATCH", e)
    if errors:
        sys.exit(1)
    print("ok: %d captures, %d messages never completed, the same in both" % (cases, found))


if __name__ == "__main__":
    main()
