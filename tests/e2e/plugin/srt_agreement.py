#!/usr/bin/python3
"""srt_agreement.py QUARTET HOME WORK [CAPTURE...]: the analyzer's response-time table and the
plugin's Service Response Time tables show the same numbers (issue 13, "the same numbers in
text").

For every sample capture in captures/ (or those given), with the options and key logs the goldens
use (captures/golden.py): `quartet --summary` prints its table (count, min, p50, p90, p99, max,
mean, unanswered per protocol and request kind, in ms with 3 decimals) and
`tshark -q -z copsx,srt -z rrp,srt -z iapx,srt -z sp,srt` with the plugin prints Wireshark's
(Calls, Min/Max/Avg/Sum SRT per request kind, in s with 6 decimals). Both key their rows on the
core's Decoded::request_kind and both take the latency the core's session machine gives the
response, so for every (protocol, kind):

  - calls == count (answered requests);
  - min, max and mean agree to the microsecond (both print microseconds; one digit of rounding
    is allowed for the mean, which the two compute in different floating-point types);
  - a kind with no answered request is only in the analyzer's table (its `unanswered` column:
    Wireshark's SRT counts answers and has no row without one), every SRT row is in the
    analyzer's table.

The mapping (docs/plugin.md, "Service Response Time"): the rows are the same strings, cut to 40
bytes + "..." and, past 64 kinds per protocol, the rest in one row "(other)" by both. A row is a
request kind (a COPS DEC answered by its RPT counts under "DEC", a PacketCable gate command under
its name, "Gate-Set"); a request counts once, with its first answer (a PacketCable Synch-Request's
several Synch-Reports, an answer repeated). Percentiles and `unanswered` have no SRT counterpart;
the HTML report's latency plots are drawn from the same rows as the text table
(analyzer/app/response_times.cpp).

A capture where the two tools legitimately decode different messages is listed in DIFFERENT
with the reason; the test then only checks that tshark's rows are a subset (same numbers).
"""
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

# Captures on which the analyzer and tshark legitimately see different requests or responses.
DIFFERENT = {
    # Conflicting overlapping TCP segments: Wireshark 4.0 and 4.4 drop them before any
    # subdissector (no IAP message, no SRT row); 4.6 and the analyzer keep the first copy.
    "messy/iap-overlap-conflict.pcap": "Wireshark before 4.6 drops the conflicting segments",
}


def analyzer_rows(quartet, cap):
    """{(proto, kind): dict(count, min, max, mean, unanswered)} from `quartet --summary`, in us."""
    keys = golden.keylog_for(cap)
    cmd = [os.path.abspath(quartet), "--summary", "--no-progress", *golden.ANALYZER_ARGS.get(cap, []),
           *(["--keylog", keys] if keys else []), *golden.files_of(cap)]
    r = subprocess.run(cmd, cwd=golden.HERE, capture_output=True, text=True, timeout=120, env=golden.clean_env())
    if r.returncode not in (0, 1):
        sys.exit("%s exited %d: %s" % (" ".join(cmd), r.returncode, r.stderr))
    rows, inside = {}, False
    for line in r.stdout.splitlines():
        if line.strip() == "response times (ms):":
            inside = True
            continue
        if not inside or line.split()[:2] == ["proto", "request"]:
            continue
        m = re.match(r"^     (\S+)\s+(.*?)\s+(\d+)\s+(\S+)\s+\S+\s+\S+\s+\S+\s+(\S+)\s+(\S+)\s+(\d+)$", line)
        if not m:
            break  # the end of the table
        proto, kind, count, mn, mx, mean, unanswered = m.groups()
        us = lambda v: None if v == "-" else round(float(v) * 1000)
        rows[(proto, kind)] = dict(
            count=int(count), min=us(mn), max=us(mx), mean=us(mean), unanswered=int(unanswered))
    return rows


def tshark_rows(home, work, cap):
    """{(proto, kind): dict(count, min, max, mean)} from the plugin's -z <p>,srt tables, in us."""
    local, prefs = golden.tshark_copy(work, cap)
    args = ["-r", local, "-q"]
    for p in prefs:
        args += ["-o", p]
    args += golden.TSHARK_ARGS.get(cap, [])
    for p in PROTOCOLS.values():
        args += ["-z", p + ",srt"]
    rc, out, err = golden.run_tshark(home, args)
    if err.strip() and not (rc == 2 and "cut short" in err):
        sys.exit("tshark %s wrote to stderr: %s" % (" ".join(args), err))
    rows, proto = {}, None
    by_filter = {v.upper(): k for k, v in PROTOCOLS.items()}
    for line in out.splitlines():
        m = re.match(r"^(\S+) SRT Statistics:", line)
        if m:
            proto = by_filter[m.group(1)]
            continue
        m = re.match(r"^\s+\d+\s+(.*?)\s+(\d+)\s+(\d+\.\d+)\s+(\d+\.\d+)\s+(\d+\.\d+)\s+(\d+\.\d+)\s*$", line)
        if m and proto:
            kind, calls, mn, mx, avg, _sum = m.groups()
            us = lambda v: round(float(v) * 1e6)
            rows[(proto, kind)] = dict(
                count=int(calls), min=us(mn), max=us(mx), mean=us(avg))
    return rows


def compare(cap, ana, ws):
    errors = []
    for key, t in sorted(ws.items()):
        a = ana.get(key)
        if a is None:
            errors.append("%s %r: in tshark's SRT (%d calls), not in the analyzer's table" % (cap, key, t["count"]))
            continue
        for what in ("count", "min", "max", "mean"):
            slack = 1 if what == "mean" else 0
            if a[what] is None or abs(a[what] - t[what]) > slack:
                errors.append("%s %r %s: analyzer %s, tshark %s" % (cap, key, what, a[what], t[what]))
    if cap in DIFFERENT:
        return errors
    for key, a in sorted(ana.items()):
        if key not in ws and a["count"]:
            errors.append("%s %r: %d answered in the analyzer's table, no row in tshark's SRT" % (cap, key, a["count"]))
    return errors


def main():
    quartet, home, work = sys.argv[1:4]
    caps = sys.argv[4:] or golden.captures()
    errors, compared = [], 0
    for cap in caps:
        ana = analyzer_rows(quartet, cap)
        ws = tshark_rows(home, os.path.join(work, cap.rstrip("/").replace("/", "__")), cap)
        errors += compare(cap, ana, ws)
        answered = sum(1 for a in ana.values() if a["count"])
        compared += len(ws)
        print("%-40s %2d SRT rows, %2d analyzer rows (%d with answers)%s"
              % (cap, len(ws), len(ana), answered, "  [%s]" % DIFFERENT[cap] if cap in DIFFERENT else ""))
    if compared == 0:
        errors.append("no SRT row on any capture: nothing was compared")
    for e in errors:
        print("MISMATCH", e)
    print("%d SRT rows compared, %d mismatches" % (compared, len(errors)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
