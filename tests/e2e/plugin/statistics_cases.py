"""End-to-end checks of the plugin's statistics (-z <p>,srt, -z <p>,tree, -z flow,<p>,network)
against what the same tshark shows in its fields: counts and times are recomputed here from
<p>.response_to / <p>.time and the decoded values, independently of the goldens in captures/golden/
(which pin the whole text). Cases are run by run_case.py."""
import collections
import os
import re

from tsharklib import check, check_eq, has_flow_graph

PROTOCOLS = ("copsx", "rrp", "iapx", "sp")
SRT_ROW = re.compile(r"^\s*(\d+)\s+(.+?)\s+(\d+)\s+(\d+\.\d{6})\s+(\d+\.\d{6})\s+(\d+\.\d{6})\s+(\d+\.\d{6})$")
TREE_ROW = re.compile(r"^( *)(\S.*?)\s{2,}(\d+)\s")
# Wireshark's text Flow Graph and a one-node graph: see FLOW_SELF_ARROW_NOISE in captures/golden.py.
FLOW_NOISE = "g_string_erase: assertion"


def demo(caps):
    return (os.path.join(caps, "samples", "demo.pcapng"),
            ["tls.keylog_file:" + os.path.join(caps, "samples", "demo.keys")])


def zstat(t, cap, prefs, *options):
    args = ["-r", cap, "-q"]
    for option in options:
        args += ["-z", option]
    for p in prefs:
        args += ["-o", p]
    rc, out, err = t.run_raw(*args)
    check(rc == 0, "tshark -z %s failed (%d): %s" % (options, rc, err))
    unexpected = [l for l in err.splitlines() if l.strip() and FLOW_NOISE not in l]
    check(not unexpected, "tshark -z %s wrote to stderr: %s" % (options, unexpected))
    return out


def sections(out, header):
    """Several -z outputs of one run, by the name in their header line ("RRP SRT Statistics:"
    -> "RRP" for header=" SRT Statistics:", "quartet/RRP:" -> "RRP" for header="quartet/")."""
    found, name = {}, None
    for line in out.splitlines():
        if header.startswith(" ") and line.endswith(header):
            name = line[: -len(header)]
        elif not header.startswith(" ") and line.startswith(header) and line.endswith(":"):
            name = line[len(header):-1]
        if name is not None:
            found.setdefault(name, []).append(line)
    return {k: "\n".join(v) for k, v in found.items()}


def srt_rows(out):
    """{request kind: (calls, sum of response times in µs)} from a -z <p>,srt table."""
    rows = {}
    for line in out.splitlines():
        m = SRT_ROW.match(line)
        if m:
            rows[m.group(2)] = (int(m.group(3)), round(float(m.group(7)) * 1e6))
    return rows


def tree(out):
    """{(branch, ..., label): count} from a -z <p>,tree output."""
    nodes, path = {}, []
    for line in out.splitlines():
        m = TREE_ROW.match(line)
        if not m or m.group(2).startswith("Topic / Item"):
            continue
        depth = len(m.group(1))
        path = path[:depth] + [m.group(2)]
        nodes[tuple(path)] = int(m.group(3))
    return nodes


def pdus(t, cap, prefs, proto, fields):
    """One dict per PDU of `proto` (frames with several PDUs split by occurrence)."""
    rows = t.fields(cap, ["frame.number", *fields], filter=proto, prefs=prefs)
    out = []
    for r in rows:
        columns = [c.split(",") if c else [] for c in r[1:]]
        n = max([len(c) for c in columns] + [1])
        for i in range(n):
            out.append({"frame": int(r[0]), **{f: (c[i] if i < len(c) else "")
                                                for f, c in zip(fields, columns)}})
    return out


def case_stats_srt(t, caps):
    """-z <p>,srt on demo.pcapng, for each protocol: the calls are the responses that carry
    <p>.response_to, the summed response time is the sum of their <p>.time (to the µs each row
    rounds to), and for RRP each row's calls are the responses to requests with that command."""
    cap, prefs = demo(caps)
    tables = sections(zstat(t, cap, prefs, *[p + ",srt" for p in PROTOCOLS]), " SRT Statistics:")
    for proto in PROTOCOLS:
        rows = srt_rows(tables[proto.upper()])
        check(rows, proto + ": no SRT rows")
        answered = [p for p in pdus(t, cap, prefs, proto, [proto + ".response_to", proto + ".time"])
                    if p[proto + ".response_to"]]
        check_eq(sum(c for c, _ in rows.values()), len(answered), proto + " SRT calls")
        total_us = sum(float(p[proto + ".time"]) for p in answered) * 1e6
        check(abs(sum(s for _, s in rows.values()) - total_us) <= len(rows),
              "%s SRT sum %s vs fields %s" % (proto, rows, total_us))
    # RRP: rows by command.
    rrp = pdus(t, cap, prefs, "rrp", ["rrp.request.command", "rrp.response_to"])
    command_in = {p["frame"]: p["rrp.request.command"] for p in rrp if p["rrp.request.command"]}
    want = collections.Counter(command_in[int(p["rrp.response_to"])] for p in rrp if p["rrp.response_to"])
    got = {k: c for k, (c, _) in srt_rows(tables["RRP"]).items()}
    check_eq(got, dict(want), "RRP SRT calls by command")


def case_stats_tree(t, caps):
    """-z <p>,tree on demo.pcapng: RRP commands x response codes equal the (request command,
    response code) pairs the fields show; COPS op-codes and decisions, IAP status codes and SP
    socket types count the decoded values of copsx.header.opcode, copsx.decision.command,
    iapx.status.code and sp.header.type."""
    cap, prefs = demo(caps)
    trees = {k: tree(v) for k, v in
             sections(zstat(t, cap, prefs, *[p + ",tree" for p in PROTOCOLS]), "quartet/").items()}
    rrp_tree = trees["RRP"]
    rrp = pdus(t, cap, prefs, "rrp", ["rrp.request.command", "rrp.response.code", "rrp.response_to"])
    command_in = {p["frame"]: p["rrp.request.command"] for p in rrp if p["rrp.request.command"]}
    want = collections.Counter((command_in[int(p["rrp.response_to"])], p["rrp.response.code"])
                               for p in rrp if p["rrp.response_to"])
    got = {k[1:]: v for k, v in rrp_tree.items() if len(k) == 3 and k[0] == "Responses by request"}
    check_eq(got, dict(want), "RRP commands x response codes")

    def leading_numbers(nodes, branch):
        return {k[1].split(" ")[0]: v for k, v in nodes.items() if len(k) == 2 and k[0] == branch}

    def values(proto, field):
        return collections.Counter(v for p in pdus(t, cap, prefs, proto, [field]) for v in [p[field]] if v)

    cops_tree = trees["COPS"]
    check_eq(leading_numbers(cops_tree, "Op-codes"), dict(values("copsx", "copsx.header.opcode")),
             "COPS op-codes")
    check_eq(leading_numbers(cops_tree, "Decisions"), dict(values("copsx", "copsx.decision.command")),
             "COPS decisions")
    iap_tree = trees["IAP"]
    check_eq(leading_numbers(iap_tree, "Status codes"), dict(values("iapx", "iapx.status.code")),
             "IAP status codes")
    sp_tree = trees["SP"]
    check_eq(sp_tree.get(("Socket types",)), sum(values("sp", "sp.header.type").values()),
             "SP socket types")
    check_eq(sp_tree.get(("Pairings", "compatible: REQ <-> REP")), 1, "SP pairing")


def case_stats_flow(t, caps):
    """-z flow,iapx,network on demo.pcapng (IAP is the one session with two addresses: the proxy
    127.0.0.2): one arrow per IAP message, in frame order, each commented with the frame's Info
    column, pointing from the sender's port to the receiver's."""
    if not has_flow_graph():
        print("this Wireshark gets no Flow Graph from the plugin (tsharklib.has_flow_graph)")
        return
    cap, prefs = demo(caps)
    out = zstat(t, cap, prefs, "flow,iapx,network")
    lines = out.splitlines()
    arrows = []
    for i, line in enumerate(lines):
        if "|IAP: " in line:
            ports = re.findall(r"\((\d+)\)", lines[i + 1])
            direction = "->" if "-->" in lines[i + 1] else "<-"
            arrows.append((line.split("|IAP: ", 1)[1], ports, direction))
    rows = t.fields(cap, ["frame.number", "_ws.col.Info", "tcp.srcport", "tcp.dstport"],
                    filter="iapx", prefs=prefs)
    check_eq(len(arrows), len(rows), "one arrow per IAP frame")
    for (label, ports, direction), (frame, info, src, dst) in zip(arrows, rows):
        check_eq(label, info, "arrow label of frame " + frame)
        # The text graph writes the client's port left and the server's right; the arrow says
        # who sent.
        sender = ports[0] if direction == "->" else ports[1]
        check_eq(sender, src, "arrow direction of frame " + frame)


def case_stats_many_kinds(t, caps):
    """rrp_many_commands.pcap (make_captures.py): 101 answered requests of 101 different kinds
    (a SESSION and 100 unknown commands). The SRT table stops at 64 kinds, the 65th row "(other)"
    holding the rest (as the analyzer's table), and still counts every response."""
    cap = os.path.join(caps, "rrp_many_commands.pcap")
    rows = srt_rows(zstat(t, cap, [], "rrp,srt"))
    check_eq(len(rows), 65, "SRT rows")
    check_eq(rows["session"][0], 1, "session row")
    check_eq(rows["(other)"][0], 101 - 64, "(other) row")
    check_eq(sum(c for c, _ in rows.values()), 101, "SRT calls")
