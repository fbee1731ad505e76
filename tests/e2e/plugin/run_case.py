#!/usr/bin/python3
"""End-to-end checks of quartet.so in the real tshark: run_case.py HOME CAPTURES CASE.

Every expected value below was read from the decoded captures (made by
make_captures.py, or the captures engineer's files under captures/) and checked
against the specs; see each case's docstring.
"""
import sys

from tsharklib import TShark, check, check_eq

PROTOCOLS = {  # filter name -> (registered short name, long name prefix)
    "copsx": ("COPSX", "Common Open Policy Service"),
    "rrp": ("RRP", "Registry Registrar Protocol"),
    "iapx": ("IAPX", "Intrusion Alert Protocol"),
    "sp": ("SP", "Scalability Protocols"),
}


def case_registration(t, caps):
    """The plugin loads from the personal plugin folder, registers the four
    protocols with unique names, the generated session fields, the expert infos,
    the COPS ports taken from the built-in dissector and the heuristics."""
    plugins = t.run("-G", "plugins")
    row = [l.split("\t") for l in plugins.splitlines() if l.startswith("quartet.so")]
    check(row, "quartet.so not in `tshark -G plugins`:\n" + plugins)
    check_eq(row[0][2].strip(), "dissector", "plugin type")
    check(row[0][3].startswith(t.home + "/.local/lib/wireshark/plugins/4.0/epan/"),
          "loaded from the personal folder: " + row[0][3])

    protocols = {l.split("\t")[2]: l.split("\t") for l in t.run("-G", "protocols").splitlines()}
    for filt, (short, long_prefix) in PROTOCOLS.items():
        check(filt in protocols, filt + " not registered")
        check_eq(protocols[filt][1], short, filt + " short name")
        check(protocols[filt][0].startswith(long_prefix), filt + " long name " + protocols[filt][0])
    # The built-in COPS dissector is still there, under its own names.
    check_eq(protocols["cops"][1], "COPS", "built-in cops short name")

    fields = {l.split("\t")[2]: l.split("\t") for l in t.run("-G", "fields").splitlines()
              if l.startswith("F\t")}
    for filt in PROTOCOLS:
        check_eq(fields[filt + ".response_in"][3], "FT_FRAMENUM", filt + ".response_in type")
        check_eq(fields[filt + ".response_to"][3], "FT_FRAMENUM", filt + ".response_to type")
        check_eq(fields[filt + ".time"][3], "FT_RELATIVE_TIME", filt + ".time type")
        for kind in ("malformed", "violation", "unknown", "sequence", "deviation", "tls_handoff"):
            check(filt + "." + kind in fields, "expert " + filt + "." + kind)

    decodes = {tuple(l.split("\t")[:2]): l.split("\t")[2] for l in t.run("-G", "decodes").splitlines()}
    for port in ("3288", "2126", "3918"):
        check_eq(decodes.get(("tcp.port", port)), "copsx", "tcp.port " + port)
    check("rrp" in (decodes.get(("tcp.port", "648")), decodes.get(("tls.port", "648"))),
          "port 648 goes to rrp")

    heur = {tuple(l.split("\t")[:2]): l.split("\t")[2] for l in
            t.run("-G", "heuristic-decodes").splitlines()}
    for filt in PROTOCOLS:
        for parent in ("tcp", "tls"):
            check_eq(heur.get((parent, filt)), "T", "heuristic %s on %s enabled" % (filt, parent))


def case_yield_ports(t, caps):
    """COPS's ports 3288/2126/3918 belong to copsx by default; the preference
    copsx.yield_ports gives them back to the built-in cops dissector (and the
    copsx heuristic does not steal them, since TCP tries ports first)."""
    cap = caps + "/cops_plain.pcap"
    cops_frames = ["4", "5", "6", "9", "10", "11", "12"]  # frames 7 and 8 are DEC segments

    def owners(prefs):
        rows = t.fields(cap, ["frame.number", "frame.protocols"], filter="tcp.len > 0", prefs=prefs)
        return {r[0]: r[1].split(":")[-1] for r in rows}

    ours = owners([])
    for f in cops_frames:
        check_eq(ours[f], "copsx", "frame %s by default" % f)
    theirs = owners(["copsx.yield_ports:TRUE"])
    for f in cops_frames:
        check_eq(theirs[f], "cops", "frame %s with copsx.yield_ports:TRUE" % f)


CASES = {name[5:]: fn for name, fn in globals().items() if name.startswith("case_")}


def main():
    home, caps, case = sys.argv[1:4]
    CASES[case](TShark(home), caps)
    print("ok", case)


if __name__ == "__main__":
    main()
