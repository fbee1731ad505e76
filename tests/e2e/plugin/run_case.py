#!/usr/bin/python3
"""End-to-end checks of quartet.so in the real tshark: run_case.py HOME CAPTURES CASE.

Every expected value below was read from the decoded captures (made by
make_captures.py, or the captures engineer's files under captures/) and checked
against the specs; see each case's docstring.
"""
import os
import sys

from tsharklib import (PI_CHAT, PI_ERROR, PI_MALFORMED, PI_NOTE, PI_PROTOCOL, PI_SEQUENCE,
                       PI_UNDECODED, PI_WARN, TShark, all_of, check, check_eq)

SOURCE = os.environ.get("QUARTET_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "../../.."))


def sample(rel):
    """A capture from the captures engineer's captures/ folder."""
    return os.path.join(SOURCE, "captures", rel)


def by_frame(rows):
    return {int(r[0]): r[1:] for r in rows}

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


def case_sp_reqrep(t, caps):
    """captures/sp/sp-reqrep.pcap: nanocat and nngcat REQ/REP on one port (found by
    the heuristic; SP has no port). Two connections (tcp.stream 0 and 1), headers
    REQ 0x0030 / REP 0x0031, and every reply linked to its request by request id."""
    rows = t.fields(sample("sp/sp-reqrep.pcap"),
                    ["frame.number", "tcp.stream", "sp.header.type", "sp.request_id",
                     "sp.response_in", "sp.response_to", "sp.body.text", "sp.msg_index"],
                    filter="sp")
    check_eq(len(rows), 16, "SP messages")
    f = by_frame(rows)
    check_eq([f[n][1] for n in (4, 6, 13, 15)], ["0x0030", "0x0031", "0x0030", "0x0031"],
             "header types")
    pairs = [(8, 9, "0xd75191db"), (17, 18, "0xa5111fde"), (21, 22, "0xd75191dc"),
             (24, 25, "0xd75191dd"), (27, 28, "0xa5111fdf"), (33, 34, "0xd75191de")]
    for req, rep, rid in pairs:
        check_eq(f[req][2], rid, "request id in %d" % req)
        check_eq(f[rep][2], rid, "request id echoed in %d" % rep)
        check_eq(f[req][3], str(rep), "response_in of %d" % req)
        check_eq(f[rep][4], str(req), "response_to of %d" % rep)
        check_eq(f[rep][5], "it is noon", "reply body in %d" % rep)
    check_eq(f[8][5], "what time is it? (nanocat)", "request body")
    check_eq(f[17][5], "what time is it? (nngcat)", "request body")
    # Message numbers count both directions of each connection from 0.
    check_eq([f[n][6] for n in (4, 6, 8, 9, 33, 34)], ["0", "1", "2", "3", "8", "9"], "msg_index")
    info = t.fields(sample("sp/sp-reqrep.pcap"), ["_ws.col.Protocol", "_ws.col.Info"],
                    filter="frame.number == 9")
    check_eq(info[0][0], "SP", "Protocol column")
    check_eq(info[0][1], 'REQ id=0xd75191db 26 bytes "what time is it? (nanoca..." \u2192 '
             'REP id=0xd75191db 10 bytes "it is noon"', "Info column of a reply")


def case_sp_segments(t, caps):
    """Hand-built SP REQ/REP (make_captures.py sp_reqrep): a header and a request in
    one segment (frame 4), a request split inside its length and its body (frames
    7-9), two requests in one segment (frame 11) answered by frames 12 and 13."""
    rows = t.fields(caps + "/sp_reqrep.pcap",
                    ["frame.number", "sp.request_id", "sp.response_in", "sp.response_to",
                     "sp.body.text", "sp.time", "sp.length"], filter="sp")
    f = by_frame(rows)
    check_eq(sorted(f), [4, 5, 6, 9, 10, 11, 12, 13], "frames with SP")
    check_eq(f[4][:4], ["0x80000001", "6", "", "hello"], "coalesced header + request")
    check_eq(f[9][0], "0x80000002", "reassembled request id")
    check_eq(f[9][3], "split request body", "reassembled request body")
    check_eq(f[9][5], "22", "reassembled message length")
    check_eq(f[11][:4], ["0x80000003,0x80000004", "12,13", "", "three,four"],
             "two requests in one segment")
    check_eq(f[12][2:5], ["11", "r3", "0.001000000"], "reply 3: link, body, response time")
    check_eq(f[13][2:5], ["11", "r4", "0.002000000"], "reply 4: link, body, response time")
    check_eq(f[6][4], "0.006000000", "reply 1 response time")
    # The same decode in tshark's single pass (the session machine runs once).
    one = by_frame(t.fields(caps + "/sp_reqrep.pcap", ["frame.number", "sp.request_id",
                                                       "sp.response_to"], filter="sp",
                            two_pass=False))
    check_eq(one[11][0], "0x80000003,0x80000004", "single pass: coalesced requests")
    check_eq(one[13][1], "11", "single pass: response_to")
    # JSON: two SP layers in frame 11, in order.
    pkt = t.json(caps + "/sp_reqrep.pcap", filter="frame.number == 11", protocols=["sp"])
    layers = all_of(pkt[0]["_source"]["layers"]["sp"])
    check_eq([l["sp.backtrace"]["sp.request_id"] for l in layers], ["0x80000003", "0x80000004"],
             "JSON request ids")
    check_eq([l["sp.body.text"] for l in layers], ["three", "four"], "JSON bodies")


def case_sp_malformed(t, caps):
    """Hand-built: after a good request, a message declaring 2^63 bytes. The plugin
    shows the rest of the segment as undecoded with a Malformed error, does not
    wait for 2^63 bytes, and still decodes the good request."""
    f = by_frame(t.fields(caps + "/sp_malformed.pcap",
                          ["frame.number", "sp.request_id", "sp.undecoded"], filter="sp"))
    check_eq(f[6], ["0x80000001", ""], "good request before the bad one")
    check_eq(f[7], ["", "8000000000000000800000026a756e6b"], "undecoded bytes")
    ex = t.experts(caps + "/sp_malformed.pcap", "sp")
    check_eq(len(ex), 1, "one expert info")
    frame, name, sev, grp, msg = ex[0]
    check_eq((frame, name, sev, grp), (7, "sp.malformed", PI_ERROR, PI_MALFORMED), "expert")
    check("16 MiB" in msg, "expert says why: " + msg)


def case_sp_incompatible(t, caps):
    """captures/sp/sp-incompatible.pcap: PULL talking to PULL. The session machine
    flags the second header of each connection; the plugin shows it as a
    Warning/Protocol expert info and a session event."""
    ex = t.experts(sample("sp/sp-incompatible.pcap"), "sp")
    check_eq([(e[0], e[1], e[2], e[3]) for e in ex],
             [(6, "sp.violation", PI_WARN, PI_PROTOCOL), (16, "sp.violation", PI_WARN, PI_PROTOCOL)],
             "experts")
    check("incompatible SP peers: PULL <-> PULL" in ex[0][4], ex[0][4])
    f = by_frame(t.fields(sample("sp/sp-incompatible.pcap"), ["frame.number", "sp.event"],
                          filter="sp"))
    check_eq(f[6][0], "SP peers incompatible: PULL <-> PULL", "session event")


def case_sp_tls(t, caps):
    """captures/sp/sp-tls-keylog.pcapng: nng REQ/REP over TLS 1.2. With the key log,
    the decrypted records are found by the SP heuristic on "tls" and decoded,
    headers and linked requests included; without it, no SP at all."""
    cap, keys = sample("sp/sp-tls-keylog.pcapng"), sample("sp/sp-tls-keylog.keys")
    rows = t.fields(cap, ["frame.number", "sp.header.type", "sp.request_id", "sp.response_to",
                          "sp.body.text"], filter="sp", prefs=["tls.keylog_file:" + keys])
    f = by_frame(rows)
    check_eq(f[12][0], "0x0031", "REP header inside TLS")
    check_eq(f[13][0], "0x0030", "REQ header inside TLS")
    check_eq(f[15][1:], ["0x80001234", "", "first decryptable ping"], "first request")
    check_eq(f[19][1:], ["0x80001234", "15", "decryptable pong"], "first reply")
    check_eq(f[21][1:], ["0x80001235", "", "second decryptable ping"], "second request")
    check_eq(f[24][1:3], ["0x80001235", "21"], "second reply")
    check_eq(t.fields(cap, ["frame.number"], filter="sp"), [], "nothing without keys")


def case_sp_large(t, caps):
    """captures/sp/sp-large.pcapng: one 200 KiB PUSH message over many segments,
    reassembled into one SP message in frame 15."""
    f = by_frame(t.fields(sample("sp/sp-large.pcapng"), ["frame.number", "sp.length",
                                                          "sp.header.type"], filter="sp"))
    check_eq(f, {4: ["", "0x0050"], 6: ["", "0x0051"], 15: ["204800", ""]}, "SP frames")


def case_rrp_session(t, caps):
    """Hand-built clear-text RRP on port 7648 (make_captures.py rrp_plain), found by
    the heuristic: greeting, SESSION (password masked unless rrp.show_passwords),
    an ADD reassembled from three segments answered in two, CHECK, QUIT. Every
    response linked to its request; the session machine's states per message."""
    cap = caps + "/rrp_plain.pcap"
    rows = t.fields(cap, ["frame.number", "rrp.request.command", "rrp.response.code",
                          "rrp.domain_name", "rrp.option.period", "rrp.option.password",
                          "rrp.response_in", "rrp.response_to", "rrp.time", "rrp.state",
                          "rrp.greeting.server", "rrp.greeting.version", "rrp.status"],
                    filter="rrp")
    f = by_frame(rows)
    check_eq(sorted(f), [4, 5, 6, 9, 11, 12, 13, 14, 15], "frames with RRP")
    check_eq(f[4][8:11], ["PRE", "Example Registry", "1.1.0"], "greeting")
    masked = '******** (see the "Show passwords" preference)'
    check_eq(f[5][:6], ["session", "", "", "", masked, "6"], "session request")
    check_eq(f[6][1], "200", "session response code")
    check_eq(f[6][6:9], ["5", "0.010000000", "WFC"], "session response: link, time, state")
    check_eq(f[9][:4], ["add", "", "example.com", "2"], "reassembled add")
    check_eq(f[9][5], "11", "add answered in 11")
    check_eq(f[11][1], "200", "add response code")
    check_eq(f[11][6:8], ["9", "0.040000000"], "add response link and time")
    check_eq(f[11][11], "ACTIVE", "status attribute of the reassembled response")
    check_eq((f[13][1], f[13][6]), ("210", "12"), "check response")
    check_eq((f[15][1], f[15][6], f[15][8]), ("220", "14", "DIS"), "quit response")
    shown = by_frame(t.fields(cap, ["frame.number", "rrp.option.password"], filter="rrp",
                              prefs=["rrp.show_passwords:TRUE"]))
    check_eq(shown[5][0], "s3cret", "password with rrp.show_passwords")
    info = by_frame(t.fields(cap, ["frame.number", "_ws.col.Protocol", "_ws.col.Info"],
                             filter="rrp"))
    check_eq(info[11], ["RRP", "add example.com period=2 \u2192 200 Command completed successfully"],
             "columns of the add response")
    check_eq(info[9][1], "add example.com period=2", "Info of the add request")


def case_rrp_errors(t, caps):
    """Hand-built RRP breaking the rules (make_captures.py rrp_errors): ADD before
    SESSION is a sequence warning, response code 299 an unknown-value warning,
    binary bytes a malformed error with the rest shown as undecoded."""
    ex = t.experts(caps + "/rrp_errors.pcap", "rrp")
    check_eq([e[:4] for e in ex], [(5, "rrp.sequence", PI_WARN, PI_SEQUENCE),
                                   (8, "rrp.unknown", PI_WARN, PI_UNDECODED),
                                   (9, "rrp.malformed", PI_ERROR, PI_MALFORMED)], "experts")
    check_eq(ex[0][4], "ADD before a successful SESSION (state PRE)", "sequence text")
    check("299" in ex[1][4], ex[1][4])
    f = by_frame(t.fields(caps + "/rrp_errors.pcap", ["frame.number", "rrp.undecoded"],
                          filter="rrp.undecoded"))
    check_eq(f, {9: ["160301000568656c6c6f"]}, "undecoded bytes")


def case_iap_starttls(t, caps):
    """Hand-built IAP (make_captures.py iap_tls) on the default port 4720: the
    draft's transcript with a real TLS 1.2 upgrade. The 101 answering
    "Upgrade: TLS/1.0" hands the connection to TLS (ssl_starttls_ack, a Chat
    expert info); with the key log the decrypted channel setup and alerts come back
    to the plugin, including an alert split over two TLS records and two alerts in
    one record; without it, TLS only."""
    cap, keys = caps + "/iap_tls.pcap", caps + "/iap_tls.keys"
    prefs = ["tls.keylog_file:" + keys]
    rows = t.fields(cap, ["frame.number", "iapx.type", "iapx.status.code", "iapx.response_in",
                          "iapx.response_to", "iapx.state", "iapx.content_length", "iapx.host",
                          "iapx.role", "iapx.upgrade"], filter="iapx", prefs=prefs)
    f = by_frame(rows)
    check_eq(sorted(f), [4, 5, 6, 7, 12, 13, 14, 15, 16, 17], "frames with IAP")
    check_eq(f[4], ["1", "", "5", "", "tcp-setup", "", "M.DOM.ORG", "", ""], "CONNECT")
    check_eq(f[5][1:5], ["200", "", "4", "security-setup"], "200 to CONNECT")
    check_eq(f[6][8], "TLS/1.0", "Upgrade")
    check_eq(f[7][1:5], ["101", "", "6", "tls"], "101 to Upgrade")
    check_eq(f[12][:3] + [f[12][7]], ["3", "", "13", "1"], "channel setup inside TLS (role Sender)")
    check_eq(f[13][1:4], ["200", "", "12"], "200 to the channel setup")
    check_eq(f[14][5], "72", "alert reassembled from two TLS records")
    check_eq(f[14][2], "15", "alert answered in 15")
    check_eq(f[16][:3], ["4,4", "", "17,17"], "two alerts in one TLS record")
    check_eq(f[17][1:4], ["200,200", "", "16,16"], "two 200s answering frame 16")
    ex = t.experts(cap, "iapx", prefs=prefs)
    check_eq([e[:4] for e in ex], [(7, "iapx.tls_handoff", PI_CHAT, PI_SEQUENCE)], "experts")
    check_eq(ex[0][4], "TLS 1.0 handshake follows the 101 (draft 3.2)", "hand-off text")
    info = by_frame(t.fields(cap, ["frame.number", "_ws.col.Info"], filter="iapx", prefs=prefs))
    check_eq(info[17][0], "Alert application/x-idef-alert 72 bytes \u2192 200 OK | "
             "Alert application/x-idef-alert 72 bytes \u2192 200 OK", "Info of two responses")
    # Without keys: the clear-text part, then TLS.
    clear = by_frame(t.fields(cap, ["frame.number", "frame.protocols"], filter="tcp.len > 0"))
    check_eq([n for n in clear if clear[n][0].endswith(":iapx")], [4, 5, 6, 7], "IAP without keys")
    check(all(":tcp:tls" in clear[n][0] and "iapx" not in clear[n][0] for n in range(8, 18)),
          "TLS (certificate included) after the 101")


CASES = {name[5:]: fn for name, fn in globals().items() if name.startswith("case_")}


def main():
    home, caps, case = sys.argv[1:4]
    CASES[case](TShark(home), caps)
    print("ok", case)


if __name__ == "__main__":
    main()
