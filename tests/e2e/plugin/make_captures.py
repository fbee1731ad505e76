#!/usr/bin/python3
"""Writes the plugin tests' small hand-built captures into OUTDIR.

Each capture exercises one thing the plugin must get right on top of the core:
PDUs split across segments, several PDUs in one segment, framing failures,
request/response links, and protocols on ports where only the heuristics can
find them. The bytes follow the specs (see /work/shared/specs/).
"""
import struct
import sys
from pathlib import Path

import os
import shutil

from pcapgen import Conversation, Pcap, TlsSession, make_cert

CLIENT = ("10.0.0.1", 40001)


def crlf(*lines):
    return "".join(l + "\r\n" for l in lines).encode()


def rrp_plain(path):
    """RRP in clear text on port 7648 (not 648, which is TLS): found by the
    heuristic. A greeting, a SESSION with a password, an ADD whose request is split
    over three segments and whose response comes in two, a CHECK, a QUIT."""
    p = Pcap(path)
    c = Conversation(p, CLIENT, ("10.0.0.2", 7648)).handshake()
    c.server(crlf("Example Registry RRP Server version 1.1.0", "build 42", "."))
    c.client(crlf("session", "-Id:registrar1", "-Password:s3cret", "."))
    c.server(crlf("200 Command completed successfully", "."), gap=0.010)
    add = crlf("add", "EntityName:Domain", "DomainName:example.com", "NameServer:ns1.example.com",
               "-Period:2", ".")
    c.client(add, split=[5, 20])
    c.server(crlf("200 Command completed successfully",
                  "registration expiration date:2026-11-23 20:00:00.0", "status:ACTIVE", "."),
             split=[12], gap=0.020)
    c.client(crlf("check", "EntityName:Domain", "DomainName:example.net", "."))
    c.server(crlf("210 Domain name available", "."))
    c.client(crlf("quit", "."))
    c.server(crlf("220 Command completed successfully. Server closing connection", "."))
    c.close()
    p.close()


def rrp_errors(path):
    """RRP on port 7648 breaking the rules: an ADD before any SESSION (RFC 2832:
    only SESSION is allowed before authentication), an unknown response code, then
    binary bytes where a request should be."""
    p = Pcap(path)
    c = Conversation(p, CLIENT, ("10.0.0.2", 7648)).handshake()
    c.server(crlf("Example Registry RRP Server version 1.1.0", "."))
    c.client(crlf("add", "EntityName:Domain", "DomainName:example.org", "."))
    c.server(crlf("547 Invalid command sequence", "."))
    c.client(crlf("session", "-Id:registrar1", "-Password:pw", "."))
    c.server(crlf("299 Whatever", "."))
    c.client(b"\x16\x03\x01\x00\x05hello")
    c.close()
    p.close()


def rrp_many_commands(path):
    """RRP on port 7648 with 100 different unknown commands after the SESSION, each
    answered 500: the Service Response Time table must cap its rows."""
    p = Pcap(path)
    c = Conversation(p, CLIENT, ("10.0.0.2", 7648)).handshake()
    c.server(crlf("Example Registry RRP Server version 1.1.0", "."))
    c.client(crlf("session", "-Id:registrar1", "-Password:pw", "."))
    c.server(crlf("200 Command completed successfully", "."))
    for i in range(100):
        c.client(crlf("cmd%03d" % i, "."))
        c.server(crlf("500 Invalid command name", "."))
    c.close()
    p.close()


SP_REQ, SP_REP = 0x30, 0x31


def sp_header(kind):
    return b"\0SP\0" + struct.pack("!HH", kind, 0)


def sp_msg(payload):
    return struct.pack("!Q", len(payload)) + payload


def sp_reqrep(path):
    """nanomsg REQ/REP on port 5555, found by the heuristic: the REQ header and the
    first request in one segment; the REP header alone; a reply; a second request
    split inside its 64-bit length and again inside its body; two requests in one
    segment (a device-less REQ never does that, but the framing must cope); replies."""
    p = Pcap(path)
    c = Conversation(p, CLIENT, ("10.0.0.3", 5555)).handshake()
    req1 = sp_msg(struct.pack("!I", 0x80000001) + b"hello")
    c.client(sp_header(SP_REQ) + req1)
    c.server(sp_header(SP_REP))
    c.server(sp_msg(struct.pack("!I", 0x80000001) + b"world"), gap=0.005)
    req2 = sp_msg(struct.pack("!I", 0x80000002) + b"split request body")
    c.client(req2, split=[3, 10])
    c.server(sp_msg(struct.pack("!I", 0x80000002) + b"ok"), gap=0.007)
    req3 = sp_msg(struct.pack("!I", 0x80000003) + b"three")
    req4 = sp_msg(struct.pack("!I", 0x80000004) + b"four")
    c.client(req3 + req4)
    c.server(sp_msg(struct.pack("!I", 0x80000003) + b"r3"))
    c.server(sp_msg(struct.pack("!I", 0x80000004) + b"r4"))
    c.close()
    p.close()


def sp_end_and_whole(path):
    """One segment ends a request begun in the segment before it and carries a whole
    second request: TCP calls the dissector twice for that frame (the reassembled
    request, then the rest), so the frame's PDUs are numbered across the two calls."""
    p = Pcap(path)
    c = Conversation(p, CLIENT, ("10.0.0.5", 5555)).handshake()
    c.client(sp_header(SP_REQ))
    c.server(sp_header(SP_REP))
    req5 = sp_msg(struct.pack("!I", 0x80000005) + b"five")
    req6 = sp_msg(struct.pack("!I", 0x80000006) + b"six")
    c.client(req5 + req6, split=[len(req5) - 3])
    c.server(sp_msg(struct.pack("!I", 0x80000005) + b"r5"))
    c.server(sp_msg(struct.pack("!I", 0x80000006) + b"r6"))
    c.close()
    p.close()


def sp_malformed(path):
    """An SP connection whose second message declares 2^63 bytes: the plugin must
    report it and neither wait for nor allocate that much."""
    p = Pcap(path)
    c = Conversation(p, CLIENT, ("10.0.0.4", 5555)).handshake()
    c.client(sp_header(SP_REQ))
    c.server(sp_header(SP_REP))
    c.client(sp_msg(struct.pack("!I", 0x80000001) + b"fine"))
    c.client(struct.pack("!Q", 1 << 63) + b"\x80\0\0\x02junk")
    c.close()
    p.close()


def cops_obj(cnum, ctype, body):
    """RFC 2748 2.2: Length counts header + contents, not the padding to 32 bits."""
    obj = struct.pack("!HBB", 4 + len(body), cnum, ctype) + body
    return obj + b"\0" * (-len(obj) % 4)


def cops_msg(op, client_type, *objs, flags=0):
    body = b"".join(objs)
    return struct.pack("!BBHI", 0x10 | flags, op, client_type, 8 + len(body)) + body


def cops_plain(path):
    """COPS on its IANA port 3288 with client-type 1 (RSVP): OPN/CAT, two REQs in
    one segment, a DEC split in three segments, a RPT, a keep-alive pair. Used for
    the comparison with Wireshark's built-in `cops` dissector too."""
    p = Pcap(path)
    c = Conversation(p, CLIENT, ("10.0.0.5", 3288)).handshake()
    handle = lambda h: cops_obj(1, 1, struct.pack("!I", h))
    context = cops_obj(2, 1, struct.pack("!HH", 1, 1))  # R-Type incoming message, M-Type 1
    c.client(cops_msg(6, 1, cops_obj(11, 1, b"pep-1\0")))                     # OPN, PEPID
    # Flags 0x1 (Solicited Message) on messages that answer another (RFC 2748 2.1).
    c.server(cops_msg(7, 1, cops_obj(10, 1, struct.pack("!HH", 0, 30)), flags=1), gap=0.002)  # CAT
    c.client(cops_msg(1, 1, handle(0x1001), context) + cops_msg(1, 1, handle(0x1002), context))
    dec = cops_msg(2, 1, handle(0x1001), context, cops_obj(6, 1, struct.pack("!HH", 1, 0)),
                   flags=1)
    c.server(dec, split=[6, 10], gap=0.004)                                 # DEC Install
    c.client(cops_msg(3, 1, handle(0x1001), cops_obj(12, 1, struct.pack("!HH", 1, 0)),
                      flags=1))                                                     # RPT Success
    c.client(cops_msg(9, 0))                                                 # KA
    c.server(cops_msg(9, 0, flags=1), gap=0.003)
    c.close()
    p.close()


def cops_port_reuse(path):
    """Two COPS connections one after the other on the same addresses and ports
    (the client reuses its port after the first one closed, with a new initial
    sequence number): Wireshark's TCP makes a second conversation for the second one,
    whose session must start afresh."""
    p = Pcap(path)
    for isn in ((1000, 5000), (900000, 700000)):
        c = Conversation(p, CLIENT, ("10.0.0.7", 3288))
        c.seq = list(isn)
        c.handshake()
        c.client(cops_msg(6, 1, cops_obj(11, 1, b"pep-1\0")))  # OPN, PEPID
        c.server(cops_msg(7, 1, cops_obj(10, 1, struct.pack("!HH", 0, 30)), flags=1), gap=0.002)  # CAT
        c.client(cops_msg(9, 0))  # KA
        c.server(cops_msg(9, 0, flags=1), gap=0.003)
        c.close()
    p.close()


def iap_tls_start(path, port=4720):
    """IAP as in the draft's 4.4 transcript: CONNECT -> 200, Upgrade: TLS/1.0 -> 101,
    then real TLS 1.2 (keys beside the capture, <name>.keys) carrying the channel setup
    -> 200. Returns the capture, the connection and the TLS session."""
    out = os.path.dirname(path)
    cert, key = make_cert(out)
    keylog = path[:-len(".pcap")] + ".keys"
    if os.path.exists(keylog):
        os.remove(keylog)
    p = Pcap(path)
    c = Conversation(p, CLIENT, ("10.0.0.6", port)).handshake()
    c.client(crlf("IAP/0.3 CONNECT M.DOM.ORG", ""))
    c.server(crlf("IAP/0.3 200", ""), gap=0.012)
    c.client(crlf("IAP/0.3 Upgrade: TLS/1.0", ""))
    c.server(crlf("IAP/0.3 101", ""), gap=0.007)
    tls = TlsSession(c, cert, key, keylog).handshake()
    tls.client_send(crlf("IAP/0.3 IAP-Version: 0.3", "IAP/0.3 IAP-Role: Sender", ""))
    tls.server_send(crlf("IAP/0.3 200", ""))
    return p, c, tls


def iap_tls(path, port=4720):
    """IAP on its default port 4720 (iap_tls_start), then an alert split over two TLS
    records, and two alerts in one record, each answered by 200."""
    p, c, tls = iap_tls_start(path, port)
    body = b"<alert id='1'>" + b"x" * 50 + b"</alert>"
    alert = crlf("Content-Type: application/x-idef-alert", "Content-Length: %d" % len(body), "") \
        + body + b"\r\n\r\n"
    tls.client_send(alert[:30], alert[30:])
    tls.server_send(crlf("IAP/0.3 200", ""))
    tls.client_send(alert + alert)
    tls.server_send(crlf("IAP/0.3 200", ""), crlf("IAP/0.3 200", ""))
    c.close()
    p.close()


def cops_tls(path):
    """COPS over TLS per RFC 4261 on port 3288: OPN with client-type 0 and an
    Integrity-TLS object (C-Num 16, C-Type 2, flag StartTLS), CAT with one too, then
    real TLS 1.2 (keys in cops_tls.keys) carrying OPN/CAT for client-type 1, a REQ,
    a DEC split over two TLS records and a RPT."""
    out = os.path.dirname(path)
    cert, key = make_cert(out)
    keylog = path[:-len(".pcap")] + ".keys"
    if os.path.exists(keylog):
        os.remove(keylog)
    p = Pcap(path)
    c = Conversation(p, ("10.0.0.1", 40002), ("10.0.0.7", 3288)).handshake()
    integrity_tls = cops_obj(16, 2, struct.pack("!HH", 1, 0))
    katimer = cops_obj(10, 1, struct.pack("!HH", 0, 60))
    c.client(cops_msg(6, 0, cops_obj(11, 1, b"pep-tls\0"), integrity_tls))
    c.server(cops_msg(7, 0, katimer, integrity_tls, flags=1), gap=0.004)
    tls = TlsSession(c, cert, key, keylog).handshake()
    handle = cops_obj(1, 1, struct.pack("!I", 0x2001))
    context = cops_obj(2, 1, struct.pack("!HH", 1, 1))
    tls.client_send(cops_msg(6, 1, cops_obj(11, 1, b"pep-tls\0")))
    tls.server_send(cops_msg(7, 1, katimer, flags=1))
    tls.client_send(cops_msg(1, 1, handle, context))
    dec = cops_msg(2, 1, handle, context, cops_obj(6, 1, struct.pack("!HH", 1, 0)), flags=1)
    tls.server_send(dec[:12], dec[12:])
    tls.client_send(cops_msg(3, 1, handle, cops_obj(12, 1, struct.pack("!HH", 1, 0)), flags=1))
    c.close()
    p.close()


def cops_malformed(path):
    """COPS breaking RFC 2748: a REQ whose Context object claims 2 bytes (less than
    its own 4-byte header), a DEC with an unknown op-code 42, then a header whose
    Message Length (4) is shorter than the header itself."""
    p = Pcap(path)
    c = Conversation(p, ("10.0.0.1", 40003), ("10.0.0.5", 3288)).handshake()
    c.client(cops_msg(6, 1, cops_obj(11, 1, b"pep-1\0")))
    c.server(cops_msg(7, 1, cops_obj(10, 1, struct.pack("!HH", 0, 30)), flags=1))
    bad_obj = struct.pack("!HBB", 2, 2, 1) + struct.pack("!HH", 1, 1)
    c.client(cops_msg(1, 1, cops_obj(1, 1, struct.pack("!I", 7)), bad_obj))
    c.server(cops_msg(42, 1))
    c.client(struct.pack("!BBHI", 0x10, 1, 1, 4) + b"\0\0\0\0")
    c.close()
    p.close()


def unfinished(path):
    """Messages begun and never completed, one connection each, every one closed
    (FIN) inside its message: a COPS REQ whose header declares 200 bytes with 60
    sent; an RRP ADD whose closing "." line never comes (its length is not known);
    an SP request declaring 1000 bytes of body with 100 sent. Each connection first
    carries a whole message in the same direction, which must not be reported."""
    p = Pcap(path)
    c = Conversation(p, ("10.0.4.1", 42001), ("10.0.4.2", 3288)).handshake()
    c.client(cops_msg(6, 1, cops_obj(11, 1, b"pep-1\0")))
    c.server(cops_msg(7, 1, cops_obj(10, 1, struct.pack("!HH", 0, 30)), flags=1))
    c.client(struct.pack("!BBHI", 0x10, 1, 1, 200) + cops_obj(1, 1, struct.pack("!I", 7)) + bytes(44))
    c.close()
    c = Conversation(p, ("10.0.4.1", 42002), ("10.0.4.2", 7648)).handshake()
    c.server(crlf("Example Registry RRP Server version 1.1.0", "."))
    c.client(crlf("session", "-Id:registrar1", "-Password:pw", "."))
    c.server(crlf("200 Command completed successfully", "."))
    c.client(crlf("add", "EntityName:Domain", "DomainName:example.org"))
    c.close()
    c = Conversation(p, ("10.0.4.1", 42003), ("10.0.4.2", 5555)).handshake()
    c.client(sp_header(SP_REQ) + sp_msg(struct.pack("!I", 0x80000001) + b"whole"))
    c.server(sp_header(SP_REP))
    c.client(struct.pack("!QI", 1004, 0x80000002) + b"x" * 96)
    c.close()
    p.close()


def iap_tls_cut(path):
    """iap_tls_start, then inside TLS an alert whose Content-Length promises 500 bytes
    more than are sent before the connection closes: a message begun in a decrypted
    record and never completed."""
    p, c, tls = iap_tls_start(path)
    body = b"<alert id='1'>" + b"x" * 50 + b"</alert>"
    tls.client_send(crlf("Content-Type: application/x-idef-alert", "Content-Length: %d" % (len(body) + 500), "")
                    + body)
    c.close()
    p.close()


def garbage(path):
    """Random bytes (fixed seed) behind plausible starts, one connection each: on
    COPS's port, on IAP's port, after an SP header (on a port only the heuristic
    finds, with a 2^64-1 length), and after an RRP command line."""
    import random
    rnd = random.Random(7)
    noise = lambda n: bytes(rnd.randrange(256) for _ in range(n))
    cuts = lambda n: [rnd.randrange(1, 200) for _ in range(n)]
    p = Pcap(path)
    starts = [(3288, noise(1500)),
              (4720, b"IAP/0.3 CONNECT " + noise(1500)),
              (7777, sp_header(SP_REQ) + b"\xff" * 8 + noise(1500)),
              (7778, b"add\r\n" + noise(1500))]
    for i, (port, data) in enumerate(starts):
        c = Conversation(p, ("10.0.1.1", 41000 + i), ("10.0.1.2", port)).handshake()
        c.client(data, split=cuts(6))
        c.server(noise(700), split=cuts(3))
        c.close()
    p.close()


def iap_tls_heuristic(path):
    """iap_tls on port 4799, which only the IAP heuristic finds: the TLS hand-off
    must hold on every pass although TCP hands the frames before it to the
    heuristic again when re-dissecting."""
    iap_tls(path, port=4799)


CAPTURES = {
    "iap_tls_heuristic.pcap": iap_tls_heuristic,
    "garbage.pcap": garbage,
    "cops_malformed.pcap": cops_malformed,
    "cops_tls.pcap": cops_tls,
    "iap_tls.pcap": iap_tls,
    "cops_plain.pcap": cops_plain,
    "rrp_plain.pcap": rrp_plain,
    "rrp_errors.pcap": rrp_errors,
    "rrp_many_commands.pcap": rrp_many_commands,
    "sp_reqrep.pcap": sp_reqrep,
    "sp_end_and_whole.pcap": sp_end_and_whole,
    "cops_port_reuse.pcap": cops_port_reuse,
    "sp_malformed.pcap": sp_malformed,
    "unfinished.pcap": unfinished,
    "iap_tls_cut.pcap": iap_tls_cut,
}


def copy_samples(source, dest):
    """The captures engineer's captures and key logs, copied beside ours."""
    for f in Path(source).rglob("*"):
        if f.is_file() and f.suffix not in (".sh", ".py", ".md"):
            target = dest / f.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f, target)


def main():
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for name, make in CAPTURES.items():
        make(str(out / name))
    if len(sys.argv) > 2 and Path(sys.argv[2]).is_dir():
        copy_samples(sys.argv[2], out / "samples")
    # tshark runs as nobody in the tests.
    os.chmod(out.parent, 0o755)
    for f in out.rglob("*"):
        f.chmod(0o755 if f.is_dir() else 0o644)
    out.chmod(0o755)


if __name__ == "__main__":
    main()
