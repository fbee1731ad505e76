"""The plugin decodes only the fields a dissection will use (issue 12: core FieldNeeds): all of
them when the tree is shown (-V, -T json/pdml/fields) or a statistics tap listens, only those a
filter or custom column refers to when it is not (-Y with summary lines), none without a tree
(plain tshark). What tshark shows must not depend on it: these checks compare, on sample
captures of all four protocols, live (not through the goldens), the thin dissections with the
full one. Cases are run by run_case.py."""
import collections
import os
import re

from tsharklib import _Multi, all_of, check, check_eq, expert_infos, parse_json

# (capture under CAPS, protocol): PacketCable's deep nesting, COPS-PR, malformed COPS (hand-built:
# experts on objects, undecodable bytes), RRP, IAP, SP.
CAPTURES = [("samples/cops/pcmm-gates.pcapng", "copsx"), ("samples/cops/cops-pr.pcapng", "copsx"),
            ("cops_malformed.pcap", "copsx"), ("samples/rrp/rrp-authfail.pcap", "rrp"),
            ("samples/iap/iap-refused.pcap", "iapx"), ("samples/sp/sp-pubsub.pcap", "sp")]
EXPERT_ROW = re.compile(r"^\s+(\d+)\s+(\S+)\s+(\S+)\s+(.*)$")


def occurrences(packets, proto, skip):
    """{frame: Counter(field -> occurrences with a non-empty value)} of the fields of `proto`
    in parsed -T json packets, expert infos (`skip`) left out. A subtree counts as present."""
    out = {}
    prefix = proto + "."

    def walk(node, counts):
        if isinstance(node, dict):
            for k, v in node.items():
                for one in (v if isinstance(v, _Multi) else [v]):
                    if k.startswith(prefix) and not k.endswith("_tree") and k not in skip and one != "":
                        counts[k] += 1
                    walk(one, counts)
        elif isinstance(node, list):
            for n in node:
                walk(n, counts)

    for pkt in packets:
        layers = pkt["_source"]["layers"]
        counts = collections.Counter()
        for layer in all_of(layers.get(proto, {})):
            walk(layer, counts)
        if proto in layers:
            out[int(layers["frame"]["frame.number"])] = counts
    return out


def summary(t, cap, columns, *args):
    """`tshark -T tabs` lines with these (title, format) columns: [[column values]]. Summary
    lines do not show the tree: it is built only for what the filter and columns refer to."""
    fmt = ",".join('"%s","%s"' % c for c in [("No.", "%m"), *columns])
    out = t.run("-r", cap, "-T", "tabs", "-o", "gui.column.format:" + fmt, *args)
    return [line.strip().split("\t") for line in out.split("\n") if line.strip()]


def frames_matching(t, cap, filt):
    """Frame numbers `tshark -Y filt` keeps (one pass: the first pass is a thin one too)."""
    return [int(r[0]) for r in summary(t, cap, [], "-Y", filt)]


def expert_summary(t, cap, proto):
    """Counter(message) of `proto`'s rows in `tshark -q -z expert`."""
    out = collections.Counter()
    for line in t.run("-r", cap, "-q", "-z", "expert").split("\n"):
        m = EXPERT_ROW.match(line)
        if m and m.group(3).lower() == proto:
            out[m.group(4).strip()] += int(m.group(1))
    return out


def case_filter_without_tree(t, caps):
    """Per capture, in two passes and in one: (1) summary lines with a custom column for every field
    of ours the full dissection shows (-T json) are the same whether the core decodes only the
    referenced fields or all of them (a statistics tap, -z <p>,tree, makes it decode all), and a
    column is filled exactly in the frames where the full dissection has its field; (2) -Y on a
    subtree, on the rarest field and on an expert info keeps the frames the full dissection has
    them in; (3) -z expert counts our expert infos as the full dissection has them; (4) the
    summary lines are the same with no tree at all (plain tshark) and with one (-Y frame)."""
    checked = collections.Counter()
    for rel, proto in CAPTURES:
        cap = os.path.join(caps, rel)
        # One pass is checked against one pass: a request's "Response In" is known
        # only once its response has been seen.
        for two_pass in (True, False):
            passes = ["-2"] if two_pass else []
            full = parse_json(t.run("-r", cap, "-T", "json", *passes))
            experts = expert_infos(full, (proto,))
            expert_names = {e[1] for e in experts}
            want = occurrences(full, proto, expert_names)
            check(want, "%s: %s frames" % (rel, proto))
            names = sorted({k for c in want.values() for k in c})
            # Subtrees (FT_NONE) have no value to show in a column: -Y checks them below.
            leaves = [n for n in names if t.field_type(n) not in (None, "FT_NONE", "FT_PROTOCOL")]
            groups = [n for n in names if t.field_type(n) == "FT_NONE"]
            columns = [(f, "%%Cus:%s:0:U" % f) for f in leaves] + [("Info", "%i")]
            thin = summary(t, cap, columns, "-Y", proto, *passes)
            whole = summary(t, cap, columns, "-Y", proto, "-z", proto + ",tree", *passes)
            check(len(whole) > len(thin), "%s: -z %s,tree prints its statistics" % (rel, proto))
            check_eq(whole[:len(thin)], thin, "%s: thin and whole decodes (two passes: %s)" % (rel, two_pass))
            check_eq([int(r[0]) for r in thin], sorted(want), "%s: frames with %s" % (rel, proto))
            for row in thin:
                frame = int(row[0])
                shown = {f for f, v in zip(leaves, row[1:]) if v}
                check_eq(shown, {f for f in leaves if want[frame][f]}, "%s frame %d: fields shown" % (rel, frame))
            checked["fields"] += len(leaves)

        # With the one-pass reference: a subtree, the rarest leaf (in fewest frames), an expert info.
        def frames_with(name):
            return sorted(f for f, c in want.items() if c[name])

        for name in groups[:1] + sorted(leaves, key=lambda n: (len(frames_with(n)), n))[:1]:
            check_eq(frames_matching(t, cap, name), frames_with(name), "%s: -Y %s" % (rel, name))
            checked["filters"] += 1
        for name in sorted(expert_names)[:1]:
            check_eq(frames_matching(t, cap, name), sorted({e[0] for e in experts if e[1] == name}),
                     "%s: -Y %s" % (rel, name))
            checked["expert filters"] += 1

        full_experts = collections.Counter(e[4] for e in experts)
        check_eq(expert_summary(t, cap, proto), full_experts, "%s: -z expert" % rel)
        checked["experts"] += len(experts)

        plain = t.run("-r", cap, "-2")
        check_eq(t.run("-r", cap, "-Y", "frame", "-2"), plain, "%s: summary lines without a tree" % rel)
    # The captures do reach every kind of check.
    check(checked["fields"] > 100 and checked["filters"] >= 8 and checked["expert filters"] >= 2
          and checked["experts"] >= 3, "checked %r" % dict(checked))
    print("checked", dict(checked))
