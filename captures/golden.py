#!/usr/bin/python3
"""Golden regression tests over every capture in captures/.

  golden.py check  TOOL CAPTURE [options]   compare one capture's output with its golden file
  golden.py regen  TOOL [CAPTURE...]        rewrite golden files (all captures when none given)
  golden.py list                            the captures covered, one per line

TOOL is `analyzer` (quartet --format jsonl, needs --quartet BIN), `plugin` (tshark with
quartet.so under a throwaway HOME, needs --home DIR prepared by tests/e2e/plugin/install_plugin.py;
runs as nobody when root, through tests/e2e/plugin/tsharklib.py), `tree` (the same tshark's decoded
field trees of our protocols, from -T pdml, normalised: see run_tree) or `stats` (the same tshark's
statistics: `-z <p>,srt`, `-z <p>,tree` and `-z flow,<p>,network` for the captures in STATS).

Golden files: captures/golden/<capture path, '/' -> '__'>.analyzer.jsonl (the analyzer's JSONL,
then its exit status in exit-codes/), ...plugin.tsv (selected tshark fields, one row per frame
that carries one of our protocols), ...tree.txt (our protocols' field trees) and ...stats.txt
(tshark's statistics output). A plugin, tree or stats run also fails when tshark writes anything
unexpected to stderr (only "cut short" for a truncated capture is expected). A difference fails with a unified diff. Exit 77 = skipped
(the tool or its helper is missing), for ctest's SKIP_RETURN_CODE.
"""
import argparse
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
GOLDEN = os.path.join(HERE, "golden")
PLUGIN_HELPERS = os.path.join(ROOT, "tests", "e2e", "plugin")
sys.path.insert(0, PLUGIN_HELPERS)  # tsharklib, imported where the plugin goldens need it
sys.path.insert(0, os.path.join(ROOT, "scripts", "lib"))
import protocol_list  # noqa: E402  (the core's registry, build/protocols.json)
SKIP = 77

# Captures where a port must be named: SP has no standard port, so its TLS ports need telling.
ANALYZER_ARGS = {
    "sp/sp-tls-nng.pcapng": ["-d", "sp/tls=5566"],
    "sp/sp-tls-keylog.pcapng": ["-d", "sp/tls=5567"],
    "messy/sp-midsession.pcap": ["-d", "sp=5558"],      # the SP header the heuristic needs is cut off
}
TSHARK_ARGS = {
    "sp/sp-tls-nng.pcapng": ["-d", "tcp.port==5566,tls"],
    "sp/sp-tls-keylog.pcapng": ["-d", "tcp.port==5567,tls"],
    "messy/sp-midsession.pcap": ["-d", "tcp.port==5558,sp"],
    # a heuristic sees only the first segment: 5 bytes cannot identify COPS on a non-default port
    "messy/cops-split5.pcap": ["-d", "tcp.port==3289,copsx"],
    # Wireshark 4.0 does not reassemble out-of-order segments unless asked
    "messy/sp-reordered.pcap": ["-o", "tcp.reassemble_out_of_order:TRUE"],
    "messy/rrp-reordered.pcap": ["-o", "tcp.reassemble_out_of_order:TRUE"],
}

# Goldens deliberately not written: the output was reviewed and is wrong, so recording it would
# make a bug the expected behaviour. The test skips (77) and says why; fix the tool, then run
# regen_goldens.sh for these captures and review the new golden files.
WITHHELD: dict = {}
# Key logs for captures that are not named like theirs.
KEYS = {"demo.pcapng": "demo.keys"}

# Only what our protocols write, so that the same goldens hold for every Wireshark version
# (docs/plugin.md): their columns and session fields, and their expert infos -- the last
# column, headed _ws.expert.message, lists ours only (from -T json), not TCP's. TCP's
# analysis notes at the start of the Info column ("[TCP Out-Of-Order] ", "[Illegal Segments]")
# are cut off too.
TCP_INFO_NOTES = re.compile(r"^(\[(TCP [^\]]*|Illegal Segments)\] ?)+")
ALL = "all"  # in STATS: every protocol of the registry


def our_protocols():
    """Filter names of every protocol, from the core's registry (read when a tool runs, so
    that `golden.py list` works at configure time, before the list is built)."""
    if not hasattr(our_protocols, "names"):
        our_protocols.names = protocol_list.filter_names()
    return our_protocols.names


# The plugin's statistics (`stats` goldens): captures chosen so that every table has rows worth
# reading -- every COPS pair kind and client types 1/2/0x800A, every RRP command and error code, SP
# REQ/REP, SURVEY/RESPONSE and an incompatible pairing, IAP setup -> 200/101/403/415 -- with the
# protocols each holds (the -z options asked for).
STATS = {
    "demo.pcapng": ALL,
    "cops/cops-rsvp.pcap": ["copsx"],
    "cops/cops-pcmm-padded.pcap": ["copsx"],
    # PacketCable gate commands (Gate-Set/Info/Delete, PDP-Config, Synch-Request; DQoS Gate-Alloc) as
    # their own SRT rows, each answered by its Ack/Err of the same Transaction ID.
    "cops/pcmm-gates.pcapng": ["copsx"],
    "cops/dqos-gates.pcapng": ["copsx"],
    "rrp/rrp-session.pcapng": ["rrp"],
    "sp/sp-survey.pcapng": ["sp"],
    "sp/sp-incompatible.pcap": ["sp"],
    "iap/iap-refused.pcap": ["iapx"],
}
# Wireshark's text Flow Graph cannot draw arrows between one node and itself (every address in
# these loopback captures but IAP's proxy is 127.0.0.1 or ::1): it writes GLib-CRITICAL lines about
# g_string_erase while printing the ports -- Wireshark's own `-z flow,tcp,network` does the same.
FLOW_SELF_ARROW_NOISE = "g_string_erase: assertion"

EXPERTS = "_ws.expert.message"


def plugin_fields():
    fields = ["frame.number", "tcp.stream", "_ws.col.Protocol", "_ws.col.Info"]
    for p in our_protocols():
        fields += [p + ".response_to", p + ".response_in", p + ".time"]
    return fields


CAPTURE_SUFFIXES = (".pcap", ".pcapng", ".pcap.gz", ".pcapng.gz", ".pcap.zst", ".pcapng.zst")


def captures():
    """Every capture file; a folder named ringbuffer holds the files of one rotated capture and is
    one entry (its path with a trailing '/'), read as a whole."""
    out = []
    for d, _, files in os.walk(HERE):
        rel = os.path.relpath(d, HERE)
        if rel.split(os.sep)[0] in ("golden", "peers", "lib", "__pycache__"):
            continue
        if os.path.basename(d) == "ringbuffer":
            out.append(rel + "/")
            continue
        for f in files:
            if f.endswith(CAPTURE_SUFFIXES):
                out.append(os.path.relpath(os.path.join(d, f), HERE))
    return sorted(out)


def files_of(cap):
    """The capture files behind an entry, relative to captures/."""
    if cap.endswith("/"):
        return sorted(os.path.join(cap, f) for f in os.listdir(os.path.join(HERE, cap))
                      if f.endswith(CAPTURE_SUFFIXES))
    return [cap]


# The plugin goldens hold for every Wireshark version, except where a version legitimately
# shows something else; then that version (and later ones) has its own reviewed golden file,
# <capture>.plugin.<X.Y>.tsv (and .tree.<X.Y>.txt), and this table says why. (The smaller differences tests see are
# in tests/e2e/plugin/tsharklib.py, "Where Wireshark versions differ".)
PLUGIN_VERSION_GOLDENS = {
    # 4.0 and 4.4 drop TCP segments whose overlapping bytes conflict before any subdissector
    # sees them, so the plugin decodes nothing here (with two passes it says where each message
    # begun there never completed: iapx.unfinished, an expert info outside these goldens). 4.6
    # reassembles them (keeping the first copy, as the analyzer does), flags the frames
    # "[Illegal Segments]" in the Info column (in place of ours) and passes the messages on:
    # the plugin decodes them.
    "messy/iap-overlap-conflict.pcap": "4.6",
}


def golden_path(cap, tool):
    base = cap.rstrip("/").replace("/", "__")
    if tool == "analyzer":
        return os.path.join(GOLDEN, base + ".analyzer.jsonl")
    if tool == "stats":
        return os.path.join(GOLDEN, base + ".stats.txt")
    ext = ".tree.%stxt" if tool == "tree" else ".plugin.%stsv"
    since = PLUGIN_VERSION_GOLDENS.get(cap)
    if since:
        import tsharklib
        if tsharklib.at_least(*map(int, since.split("."))):
            return os.path.join(GOLDEN, base + ext % (since + "."))
    return os.path.join(GOLDEN, base + ext % "")


def keylog_for(cap):
    if cap in KEYS:
        return KEYS[cap]
    for suffix in sorted(CAPTURE_SUFFIXES, key=len, reverse=True):
        if cap.endswith(suffix):
            k = cap[: -len(suffix)] + ".keys"
            return k if os.path.exists(os.path.join(HERE, k)) else None
    return None


def analyzer_command(quartet, cap):
    """quartet's command line for a capture: its options and, like tshark, the key log beside it."""
    keys = keylog_for(cap)
    return [os.path.abspath(quartet), "--format", "jsonl", "--no-progress", *ANALYZER_ARGS.get(cap, []),
            *(["--keylog", keys] if keys else []), *files_of(cap)]


def clean_env():
    """The environment without SSLKEYLOGFILE, which quartet would read when no --keylog is given."""
    return {k: v for k, v in os.environ.items() if k != "SSLKEYLOGFILE"}


def run_analyzer(quartet, cap):
    cmd = analyzer_command(quartet, cap)
    r = subprocess.run(cmd, cwd=HERE, capture_output=True, text=True, timeout=120, env=clean_env())
    if r.returncode not in (0, 1):
        sys.exit("%s exited %d: %s" % (" ".join(cmd), r.returncode, r.stderr))
    # The exit status is part of what is checked (1 = truncated/corrupt capture).
    return "".join(r.stdout) + '{"golden":"exit status","status":%d}\n' % r.returncode


def tshark_copy(work, cap):
    """A copy of the capture (and of its key log) that tshark running as nobody can read, and the
    preferences that go with it."""
    os.makedirs(work, exist_ok=True)
    os.chmod(work, 0o755)
    local = os.path.join(work, cap.rstrip("/").replace("/", "__"))
    parts = files_of(cap)
    if len(parts) == 1:
        shutil.copyfile(os.path.join(HERE, cap), local)
    else:                                  # tshark reads one file: merge the rotated ones first
        subprocess.run(["mergecap", "-w", local, *[os.path.join(HERE, p) for p in parts]], check=True)
    os.chmod(local, 0o644)
    prefs = []
    keys = keylog_for(cap)
    if keys:
        lk = local + ".keys"
        shutil.copyfile(os.path.join(HERE, keys), lk)
        os.chmod(lk, 0o644)
        prefs.append("tls.keylog_file:" + lk)
    return local, prefs


def run_plugin(home, work, cap):
    local, prefs = tshark_copy(work, cap)
    ours = our_protocols()
    fields = plugin_fields()
    common = ["-r", local, "-2", "-Y", " || ".join(ours)]
    for p in prefs:
        common += ["-o", p]
    common += TSHARK_ARGS.get(cap, [])
    args = common + ["-T", "fields", "-E", "separator=\t", "-E", "occurrence=a", "-E", "aggregator=|"]
    for f in fields:
        args += ["-e", f]
    rc, out, err = run_tshark(home, args)
    check_stderr(args, rc, err)
    import tsharklib
    _, js, jerr = run_tshark(home, common + ["-T", "json", "-J", "frame " + " ".join(ours)])
    check_stderr(args, rc, jerr)
    experts = {}
    for frame, _, _, _, message in tsharklib.expert_infos(tsharklib.parse_json(js), ours):
        experts.setdefault(str(frame), []).append(message)
    rows = []
    for line in out.splitlines():
        cols = line.split("\t")
        info = fields.index("_ws.col.Info")
        cols[info] = TCP_INFO_NOTES.sub("", cols[info])
        rows.append("\t".join(cols + ["|".join(experts.get(cols[0], []))]) + "\n")
    status = "" if rc == 0 else "# tshark exit %d: %s\n" % (rc, err.strip().replace(local, cap))
    return "\t".join(fields + [EXPERTS]) + "\n" + "".join(rows) + status


def check_stderr(args, rc, err):
    """A golden run fails on anything tshark writes to stderr but the one expected line: the
    "cut short" of a truncated capture (exit 2). Registration problems, dissector bugs and
    GLib warnings are reported on stderr only."""
    unexpected = [l for l in err.splitlines()
                  if l.strip() and not (rc == 2 and "cut short in the middle of a packet" in l)]
    if unexpected:
        sys.exit("tshark %s wrote to stderr:\n%s" % (" ".join(args), "\n".join(unexpected)))


# The field tree golden (`tree`): tshark -T pdml limited to our protocols, one line per field.
# PDML attributes kept: name, showname (the tree line), show, pos and size; dropped: value and
# unmaskedvalue (the raw bytes again, or a generated value's internal form), hide. What differs
# between Wireshark 4.0, 4.4 and 4.6 and how it is normalised (the same golden holds for all):
#  - the <pdml> header (creator version, time, file name) and the other protocols' <proto>
#    (filtered out by -J, still present as stubs): not written;
#  - a boolean's show is "0"/"1" in 4.0 and "False"/"True" from 4.2 on: written as 4.0's;
#  - a relative time (our <p>.time) reads "0.000197000 seconds" up to 4.4 and "197.000
#    microseconds" in 4.6 (scaled units): written as 4.0's, from its show;
#  - a byte string's show (every byte, "77:68:6f", however long): not written; its showname
#    ("Body: 77686f...") and pos/size say the same;
#  - a long tree line is cut differently: 4.0 shows at most 36 bytes of a byte string ("Body:
#    3c3f...3822…"), 4.4 and 4.6 as many as fit in the label, and a label cut at its maximum
#    length says "Body text [truncated]:" in 4.0 and "Body text […]:" later: the marker is
#    dropped, a byte string's hex cut to 64 digits + "…" and any line (and show) to 160
#    characters + "…";
#  - expert infos: the "_ws.expert" subtree's severity/group numbers and layout are Wireshark's
#    own; written as one line "expert: <severity>/<group>: <message>" from its message field.
TREE_BOOL_SHOW = {"False": "0", "True": "1"}
TREE_BYTES_SHOW = re.compile(r"^[0-9a-f]{2}(:[0-9a-f]{2})*$")
TREE_CUT_MARKER = re.compile(r" \[(truncated|\u2026)\]: ")
TREE_HEX_VALUE = re.compile(r"^(.*?: )([0-9a-f]+)\u2026?$")
TREE_MAX_HEX, TREE_MAX_LINE = 64, 160
TREE_RELATIVE_TIME = re.compile(r"^(.*?: )[\d.]+ (seconds|milliseconds|microseconds|nanoseconds)$")
TREE_SECONDS = re.compile(r"^-?\d+\.\d{9}$")


def tree_cut(text):
    """A showname or show as every Wireshark version prints it (see above)."""
    text = TREE_CUT_MARKER.sub(": ", text, count=1)
    m = TREE_HEX_VALUE.match(text)
    if m and len(m.group(2)) > TREE_MAX_HEX:
        text = m.group(1) + m.group(2)[:TREE_MAX_HEX] + "\u2026"
    if len(text) > TREE_MAX_LINE:
        text = text[:TREE_MAX_LINE] + "\u2026"
    return text


def run_tree(home, work, cap):
    """Our protocols' decoded field trees, one block per frame (the frame number, then every
    field of our protocols' subtrees indented by depth)."""
    import xml.etree.ElementTree as ET
    local, prefs = tshark_copy(work, cap)
    ours = our_protocols()
    args = ["-r", local, "-2", "-Y", " || ".join(ours), "-T", "pdml", "-J", " ".join(ours)]
    for p in prefs:
        args += ["-o", p]
    args += TSHARK_ARGS.get(cap, [])
    rc, out, err = run_tshark(home, args)
    check_stderr(args, rc, err)
    lines = []

    def attrs(f):
        show = f.get("show")
        if show in TREE_BOOL_SHOW and (f.get("showname") or "").endswith(": " + show):
            show = TREE_BOOL_SHOW[show]
        sn = f.get("showname")
        if sn is not None and f.get("show") in TREE_BOOL_SHOW:
            sn = sn[: -len(f.get("show"))] + ("False" if show == "0" else "True")
        m = TREE_RELATIVE_TIME.match(sn or "")
        if m and TREE_SECONDS.match(f.get("show") or ""):
            sn = m.group(1) + f.get("show") + " seconds"
        parts = [f.get("name") or "-"]
        if sn is not None:
            parts.append(repr_attr(tree_cut(sn)))
        if show not in (None, "") and (sn is None or not sn.endswith(show)) and not TREE_BYTES_SHOW.match(show):
            parts.append("show=" + repr_attr(tree_cut(show)))
        parts.append("@%s+%s" % (f.get("pos"), f.get("size")))
        return " ".join(parts)

    def walk(node, depth):
        for f in node.findall("field"):
            if f.get("name") == "_ws.expert":
                msg = next((c.get("show") for c in f.iter("field") if c.get("name") == "_ws.expert.message"), "")
                sev = next((c.get("showname", "").split(": ", 1)[-1] for c in f.iter("field")
                            if c.get("name") == "_ws.expert.severity"), "")
                grp = next((c.get("showname", "").split(": ", 1)[-1] for c in f.iter("field")
                            if c.get("name") == "_ws.expert.group"), "")
                owner = next((c.get("name") for c in f.iter("field") if c.get("name", "").split(".")[0] in ours), "")
                lines.append("  " * depth + "expert %s %s/%s: %s" % (owner, sev, grp, repr_attr(msg)))
                continue
            lines.append("  " * depth + attrs(f))
            walk(f, depth + 1)

    root = ET.fromstring(out) if out.strip() else None
    for packet in (root.findall("packet") if root is not None else []):
        num = next((f.get("show") for f in packet.iter("field") if f.get("name") == "num"), "?")
        protos = [p for p in packet.findall("proto") if p.get("name") in ours]
        if not protos:
            continue
        lines.append("frame %s" % num)
        for p in protos:
            lines.append("  " + p.get("name") + " " + repr_attr(p.get("showname") or "") + " @%s+%s" % (p.get("pos"), p.get("size")))
            walk(p, 2)
    status = "" if rc == 0 else "# tshark exit %d\n" % rc
    return "\n".join(lines) + "\n" + status


def repr_attr(s):
    """An attribute on one line: newlines and tabs escaped, the rest as tshark wrote it."""
    return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")


def run_tshark(home, args):
    """tsharklib.TShark's way of running tshark (as nobody with the throwaway HOME when root),
    but keeping stdout when tshark exits non-zero: a capture cut mid-record makes tshark print
    every packet before the cut and then exit 2, and both are part of the golden output."""
    import tsharklib
    cmd = ["tshark", *args]
    if os.geteuid() == 0:
        cmd = ["setpriv", "--reuid=%d" % tsharklib.NOBODY, "--regid=%d" % tsharklib.NOBODY,
               "--clear-groups", "env", "HOME=" + home, *cmd]
    env = dict(os.environ, HOME=home, LC_ALL="C.UTF-8")
    env.pop("WIRESHARK_PLUGIN_DIR", None)
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    # The status is recorded as 4.0 gives it, so one golden serves every version.
    rc = tsharklib.exit_as_in_4_0(r.returncode)
    if rc not in (0, 2) or (rc == 2 and "cut short" not in r.stderr):
        sys.exit("tshark %s failed (%d): %s" % (" ".join(args), r.returncode, r.stderr))
    return rc, r.stdout, r.stderr


def run_stats(home, work, cap):
    """The Service Response Time table, Statistics tree and Flow Graph of each protocol in the
    capture, as tshark -q prints them at the end of one pass."""
    local, prefs = tshark_copy(work, cap)
    args = ["-r", local, "-q"]
    for p in prefs:
        args += ["-o", p]
    args += TSHARK_ARGS.get(cap, [])
    for p in our_protocols() if STATS[cap] == ALL else STATS[cap]:
        args += ["-z", p + ",srt", "-z", p + ",tree", "-z", "flow," + p + ",network"]
    rc, out, err = run_tshark(home, args)
    unexpected = [l for l in err.splitlines() if l.strip() and FLOW_SELF_ARROW_NOISE not in l]
    if rc != 0 or unexpected:
        sys.exit("tshark %s: exit %d, stderr: %s" % (" ".join(args), rc, "\n".join(unexpected)))
    return out


def produce(args, tool, cap):
    if tool == "analyzer":
        return run_analyzer(args.quartet, cap)
    if tool == "stats":
        return run_stats(args.home, args.work, cap)
    if tool == "tree":
        return run_tree(args.home, args.work, cap)
    return run_plugin(args.home, args.work, cap)


def tool_available(args, tool):
    if tool == "analyzer":
        if not args.quartet or not os.access(args.quartet, os.X_OK):
            return "the quartet binary is not built (%s)" % args.quartet
    else:
        if not os.path.exists(os.path.join(PLUGIN_HELPERS, "tsharklib.py")):
            return "tests/e2e/plugin/tsharklib.py (the plugin tests' tshark runner) is not there"
        if not shutil.which("tshark"):
            return "tshark is not installed"
        import tsharklib
        if not args.home or not os.path.isdir(tsharklib.personal_plugin_dir(args.home)):
            return "no plugin installed under HOME %s" % args.home
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["check", "regen", "list"])
    ap.add_argument("tool", nargs="?", choices=["analyzer", "plugin", "tree", "stats"])
    ap.add_argument("captures", nargs="*")
    ap.add_argument("--quartet")
    ap.add_argument("--home")
    ap.add_argument("--work", default=None)
    args = ap.parse_args()
    if args.mode == "list":
        print("\n".join(sorted(STATS) if args.tool == "stats" else captures()))
        return 0
    if not args.tool:
        ap.error("TOOL is required")
    missing = tool_available(args, args.tool)
    if missing:
        print("SKIPPED golden %s: %s" % (args.tool, missing))
        return SKIP
    tmp = None
    if args.work is None:
        tmp = tempfile.mkdtemp(prefix="quartet-golden-")
        args.work = tmp
    try:
        caps = args.captures or (sorted(STATS) if args.tool == "stats" else captures())
        if args.tool == "stats":           # regen_goldens.sh passes any capture: keep those in STATS
            caps = [c for c in caps if c in STATS]
        failed = withheld = 0
        for cap in caps:
            if (args.tool, cap) in WITHHELD:
                withheld += 1
                print("SKIPPED %s golden for %s withheld, the output is wrong: %s"
                      % (args.tool, cap, WITHHELD[(args.tool, cap)]))
                path = golden_path(cap, args.tool)
                if args.mode == "regen" and os.path.exists(path):
                    os.remove(path)
                continue
            got = produce(args, args.tool, cap)
            path = golden_path(cap, args.tool)
            if args.mode == "regen":
                os.makedirs(GOLDEN, exist_ok=True)
                with open(path, "w") as f:
                    f.write(got)
                print("wrote", os.path.relpath(path, ROOT))
                continue
            if not os.path.exists(path):
                print("no golden file %s: run captures/regen_goldens.sh and review it" % os.path.relpath(path, ROOT))
                failed += 1
                continue
            want = open(path).read()
            if got != want:
                failed += 1
                sys.stdout.writelines(difflib.unified_diff(
                    want.splitlines(True), got.splitlines(True),
                    fromfile="golden/" + os.path.basename(path), tofile="now: " + cap, n=2))
                print("\n%s output for %s differs from its golden file (above: - golden, + now). If the change "
                      "is intended, run captures/regen_goldens.sh and review the diff." % (args.tool, cap))
            else:
                print("ok", cap)
        if failed:
            return 1
        return SKIP if withheld and withheld == len(caps) else 0
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
