#!/usr/bin/python3
"""COPS peers (PDP server and PEP client) for the sample captures. Loopback only.

Scenarios (both roles take the same --scenario; make_cops.sh starts them in pairs):
  rsvp    client-type 1 (RSVP): OPN answered by CC + PDP Redirect, reconnect to the
          redirected PDP with Last PDP Address, CAT with KA + accounting timers, REQ with
          interfaces v4/v6, ClientSI and LPDP decisions, DEC with every decision object,
          RPT success/failure/accounting, DEC carrying an Error, KA with Integrity (HMAC-MD5),
          SSQ -> REQ/DEC/RPT -> SSC, DRQ, CC.
  pr      client-type 2 (COPS-PR, RFC 3084): configuration REQ with PRID/EPD pairs in a
          Named ClientSI, DEC installing and removing PRIs (Named Decision Data), RPT failure
          with GPERR/CPERR/ErrorPRID, RPT success and accounting, SSQ/SSC, KA, DRQ, CC.
  pcmm    client-type 0x800A (PacketCable Multimedia) as deployed: the PDP (policy server)
          opens the TCP connection to the PEP (CMTS) on 3918 and the PEP sends OPN; the PEP
          counts padding in its object lengths and writes every object in its own segment.
  v6      client-type 1 over IPv6 (::1): CC with an IPv6 PDP Redirect Address, OPN with an IPv6 Last
          PDP Address, REQ with IPv6 interfaces, keep-alives sent by the PDP on its own and answered
          by the PEP, CC from the PDP (error 9).
  tls     RFC 4261: a plain OPN (client-type 1) refused with CC error 15, then OPN client-type 0
          with Integrity-TLS, CAT with Integrity-TLS, TLS handshake on the same TCP connection
          (PEP = TLS client, key log written), then a client-type 1 session inside TLS.
"""
import argparse
import socket
import ssl
import struct
import sys
import time

sys.path.insert(0, __import__("os").path.dirname(__file__))
from cops_wire import *  # noqa: E402,F401,F403

KEY = b"quartet-shared-secret"          # Integrity key id 1 (both sides)
HOST = "127.0.0.1"


def send(sock, data, pause=0.02):
    sock.sendall(data)
    time.sleep(pause)                   # one COPS message per TCP segment, readable timings


def send_objectwise(sock, msg, pause=0.01):
    """Write the common header and then each object in its own segment (TCP_NODELAY), as the
    Java PacketCable stack does."""
    sock.sendall(msg[:8])
    time.sleep(pause)
    off = 8
    while off < len(msg):
        (length,) = struct.unpack(">H", msg[off:off + 2])
        step = length + (-length % 4)
        sock.sendall(msg[off:off + step])
        time.sleep(pause)
        off += step


def listen(port, host=HOST):
    srv = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((host, port))
    srv.listen(4)
    return srv


def accept(srv):
    conn, _ = srv.accept()
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return conn


def connect(port, host=HOST):
    for _ in range(100):
        try:
            s = socket.create_connection((host, port))
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return s
        except ConnectionRefusedError:
            time.sleep(0.05)
    raise RuntimeError("cannot connect to %d" % port)


def close(sock):
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


# ---------------------------------------------------------------------------------------------
# RSVP client-type (1)
RSVP_SESSION = bytes.fromhex("000c0101" "7f000001" "11000d05")   # RSVP SESSION object, UDP to 127.0.0.1:3333
RSVP_SENDER_TSPEC = bytes.fromhex("0024" "0c02" "00000007" "01000006" "7f000005"
                                  "44fa0000" "44fa0000" "7f800000" "00000040" "000005dc")


def rsvp_policy_data(text):
    """RSVP POLICY_DATA object (class 14, C-Type 1): data offset, reserved, one policy element
    (length, P-Type) -- what RFC 2749 puts in RSVP ClientSI and decision data."""
    d = text.encode()
    d += b"\x00" * (-len(d) % 4)
    pe = struct.pack(">HH", 4 + len(d), 0x0001) + d
    body = struct.pack(">HH", 8, 0) + pe
    return struct.pack(">HBB", 4 + len(body), 14, 1) + body


def pep_rsvp(port):
    pep = "pep-rsvp-1.example.net"
    s = connect(port)
    send(s, message(OPN, CT_RSVP, [pep_id(pep)]))
    cc = expect(s, CC, CT_RSVP)                       # redirected to port+1
    redirect_port = struct.unpack(">H", cc[-2:])[0]
    close(s)

    s = connect(redirect_port)
    send(s, message(OPN, CT_RSVP, [pep_id(pep), last_pdp_v4(HOST, port)]))
    expect(s, CAT, CT_RSVP)

    h1, h2, h3 = b"\x00\x00\x00\x01", b"\x00\x00\x00\x02", b"\x00\x00\x00\x03"
    req1 = message(REQ, CT_RSVP, [
        handle(h1), context(1, 1),                          # incoming admission, RSVP Path
        in_if_v4("127.0.0.1", 1), out_if_v6("::1", 2),
        client_si_signaled(RSVP_SESSION + RSVP_SENDER_TSPEC),
        context(1, 1), lpdp_flags(1), lpdp_data(2, rsvp_policy_data("lpdp: admitted locally")),
    ])
    send(s, req1)
    expect(s, DEC, CT_RSVP)
    send(s, message(RPT, CT_RSVP, [handle(h1), report_type(1)], flags=FLAG_SOLICITED))

    send(s, message(REQ, CT_RSVP, [
        handle(h2), context(4, 2),                          # outgoing, RSVP Resv
        in_if_v6("::1", 7), out_if_v4("127.0.0.1", 3),
        client_si_signaled(RSVP_SESSION + rsvp_policy_data("flowspec=gold;peak=2Mbit/s")),
    ]))
    expect(s, DEC, CT_RSVP)
    send(s, message(RPT, CT_RSVP, [handle(h2), report_type(2)], flags=FLAG_SOLICITED))

    send(s, message(REQ, CT_RSVP, [handle(h3), context(2, 1)]))   # resource allocation, no ClientSI
    expect(s, DEC, CT_RSVP)                                        # answered with an Error

    send(s, message(RPT, CT_RSVP, [handle(h1), report_type(3),
                                   client_si_signaled(struct.pack(">QQ", 1234567, 890))]))
    send(s, signed_message(KA, CT_NONE, [], key_id=1, seq=1, key=KEY))
    expect(s, KA)

    expect(s, SSQ, CT_RSVP)                                        # PDP asks for state
    send(s, req1)
    expect(s, DEC, CT_RSVP)
    send(s, message(RPT, CT_RSVP, [handle(h1), report_type(1)], flags=FLAG_SOLICITED))
    send(s, message(SSC, CT_RSVP, []))

    send(s, message(DRQ, CT_RSVP, [handle(h2), reason(2, 0)]))     # management
    send(s, message(DRQ, CT_RSVP, [handle(h1), reason(4, 0)]))     # tear
    send(s, message(CC, CT_RSVP, [error(11)]))                     # shutting down
    time.sleep(0.05)
    close(s)


def pdp_rsvp(port):
    first = listen(port)
    second = listen(port + 1)
    c = accept(first)
    expect(c, OPN, CT_RSVP)
    send(c, message(CC, CT_RSVP, [error(12), pdp_redirect_v4(HOST, port + 1)]))
    close(c)
    first.close()

    c = accept(second)
    expect(c, OPN, CT_RSVP)
    send(c, message(CAT, CT_RSVP, [ka_timer(30), acct_timer(15)]))

    expect(c, REQ, CT_RSVP)
    dec1 = message(DEC, CT_RSVP, [
        handle(b"\x00\x00\x00\x01"),
        context(1, 1), decision_flags(1, 0),
        decision_data(2, rsvp_policy_data("stateless: priority=5")),
        decision_data(3, RSVP_SENDER_TSPEC),
        decision_data(4, rsvp_policy_data("client-specific: gold")),
        decision_data(5, rsvp_policy_data("named: gold-video")),
    ], flags=FLAG_SOLICITED)
    send(c, dec1)
    expect(c, RPT, CT_RSVP)

    expect(c, REQ, CT_RSVP)
    send(c, message(DEC, CT_RSVP, [handle(b"\x00\x00\x00\x02"), context(4, 2), decision_flags(2, 1)],
                    flags=FLAG_SOLICITED))                       # remove, trigger error
    expect(c, RPT, CT_RSVP)

    expect(c, REQ, CT_RSVP)
    send(c, message(DEC, CT_RSVP, [handle(b"\x00\x00\x00\x03"), error(5, 0)], flags=FLAG_SOLICITED))

    expect(c, RPT, CT_RSVP)                                       # accounting
    expect(c, KA)
    send(c, signed_message(KA, CT_NONE, [], key_id=1, seq=1, key=KEY))

    send(c, message(SSQ, CT_RSVP, []))
    expect(c, REQ, CT_RSVP)
    send(c, dec1)
    expect(c, RPT, CT_RSVP)
    expect(c, SSC, CT_RSVP)
    expect(c, DRQ, CT_RSVP)
    expect(c, DRQ, CT_RSVP)
    expect(c, CC, CT_RSVP)
    time.sleep(0.05)
    close(c)
    second.close()


# ---------------------------------------------------------------------------------------------
# COPS-PR (client-type 2). OIDs under a made-up enterprise PIB branch plus the framework PIB
# (RFC 3318) capability table, so tools show both known-looking and unknown PRCs.
FRWK_CAPABILITY = "1.3.6.1.2.2.2.1.2.1.1"        # frwkCapabilitySetEntry-ish, instance .1
FRWK_ROLE_COMBO = "1.3.6.1.2.2.2.1.4.1.1"
DS_DATAPATH = "1.3.6.1.2.2.4.1.1.1.1.1"
DS_DATAPATH_2 = "1.3.6.1.2.2.4.1.1.1.1.2"
DS_CLFR = "1.3.6.1.2.2.4.1.2.1.1.7"
DS_METER_TABLE = "1.3.6.1.2.2.4.1.3.1"


def pep_pr(port):
    s = connect(port)
    send(s, message(OPN, CT_PR, [pep_id("pep-diffserv-7.example.net")]))
    expect(s, CAT, CT_PR)
    hnd = handle(b"cfg-1\x00\x00\x00")
    req = message(REQ, CT_PR, [hnd, context(8, 0), client_si_named(
        prid(FRWK_CAPABILITY) + epd(ber_unsigned32(1), ber_octets(b"ipv4-classifier"), ber_int(1)) +
        prid(FRWK_ROLE_COMBO) + epd(ber_unsigned32(1), ber_octets(b"edge+gold"), ber_int(3)))])
    send(s, req)
    expect(s, DEC, CT_PR)
    send(s, message(RPT, CT_PR, [hnd, report_type(2), client_si_named(
        gperr(2, 0) + error_prid(DS_CLFR) + cperr(6, 0))], flags=FLAG_SOLICITED))
    expect(s, DEC, CT_PR)                                    # unsolicited update (fixed PRI)
    send(s, message(RPT, CT_PR, [hnd, report_type(1)], flags=FLAG_SOLICITED))
    send(s, message(RPT, CT_PR, [hnd, report_type(3), client_si_named(
        prid(DS_DATAPATH) + epd(ber_unsigned32(1), ber_int(987654), ber_int(4321)))]))
    send(s, message(KA, CT_NONE, []))
    expect(s, KA)
    expect(s, SSQ, CT_PR)
    send(s, req)
    expect(s, DEC, CT_PR)
    send(s, message(RPT, CT_PR, [hnd, report_type(1)], flags=FLAG_SOLICITED))
    send(s, message(SSC, CT_PR, []))
    send(s, message(DRQ, CT_PR, [hnd, reason(2, 0)]))
    expect(s, CC, CT_PR)
    close(s)


def pdp_pr(port):
    srv = listen(port)
    c = accept(srv)
    expect(c, OPN, CT_PR)
    send(c, message(CAT, CT_PR, [ka_timer(60)]))
    expect(c, REQ, CT_PR)
    hnd = handle(b"cfg-1\x00\x00\x00")
    install = (prid(DS_DATAPATH) + epd(ber_unsigned32(1), ber_octets(b"edge+gold"), ber_int(1),
                                       ber_oid("1.3.6.1.2.2.4.1.2.1.1.7")) +
               prid(DS_CLFR) + epd(ber_unsigned32(7), ber_ipaddr("127.0.0.1"), ber_unsigned32(24),
                                   ber_int(46)))
    full = message(DEC, CT_PR, [hnd,
                                context(8, 0), decision_flags(1), decision_data(5, install),
                                context(8, 0), decision_flags(2), decision_data(5,
                                    pprid(DS_METER_TABLE) + prid(DS_DATAPATH_2))],
                   flags=FLAG_SOLICITED)
    send(c, full)
    expect(c, RPT, CT_PR)                                    # failure with GPERR/CPERR
    send(c, message(DEC, CT_PR, [hnd, context(8, 0), decision_flags(1), decision_data(5,
        prid(DS_CLFR) + epd(ber_unsigned32(7), ber_ipaddr("127.0.0.1"), ber_unsigned32(32),
                            ber_int(46)))]))
    expect(c, RPT, CT_PR)
    expect(c, RPT, CT_PR)                                    # accounting
    expect(c, KA)
    send(c, message(KA, CT_NONE, []))
    send(c, message(SSQ, CT_PR, []))
    expect(c, REQ, CT_PR)
    send(c, full)
    expect(c, RPT, CT_PR)
    expect(c, SSC, CT_PR)
    expect(c, DRQ, CT_PR)
    send(c, message(CC, CT_PR, [error(10, 0)]))
    time.sleep(0.05)
    close(c)
    srv.close()


# ---------------------------------------------------------------------------------------------
# PacketCable Multimedia (0x800A), PEP = CMTS listening on 3918, padded object lengths.
def pcmm_obj(snum, stype, data):
    return struct.pack(">HBB", 4 + len(data), snum, stype) + data


def pcmm_gate_set(trans_id, cmd):
    return (pcmm_obj(1, 1, struct.pack(">HH", trans_id, cmd)) +      # TransactionID, Gate-Set=4
            pcmm_obj(2, 1, struct.pack(">HH", 1, 0x0042)) +            # AMID
            pcmm_obj(3, 1, socket.inet_aton("127.0.0.9")))             # SubscriberID (IPv4)


def pep_pcmm(port):
    srv = listen(port)
    c = accept(srv)
    P = dict(padded_lengths=True)
    hnd = b"\x00\x00\x12\x34\xab\xcd"                                  # 6 bytes: padding shows
    send_objectwise(c, message(OPN, CT_PCMM, [pep_id("CMTS-1", **P),
                                              client_si_signaled(struct.pack(">HH", 4, 0), **P)]))
    expect(c, CAT, CT_PCMM)
    send_objectwise(c, message(REQ, CT_PCMM, [handle(hnd, **P), context(8, 0, **P)]))
    expect(c, DEC, CT_PCMM)                                           # Gate-Set
    ack = pcmm_gate_set(0x0101, 5) + pcmm_obj(4, 1, struct.pack(">I", 0x0000BEEF))  # Gate-Set-Ack + GateID
    send_objectwise(c, message(RPT, CT_PCMM, [handle(hnd, **P), report_type(1, **P),
                                              client_si_signaled(ack, **P)], flags=FLAG_SOLICITED))
    send_objectwise(c, message(KA, CT_NONE, []))
    expect(c, KA)
    send_objectwise(c, message(DRQ, CT_PCMM, [handle(hnd, **P), reason(2, 0, **P)]))
    send_objectwise(c, message(CC, CT_PCMM, [error(11, 0, **P)]))
    time.sleep(0.05)
    close(c)
    srv.close()


def pdp_pcmm(port):
    s = connect(port)                                                  # the PDP dials the PEP
    expect(s, OPN, CT_PCMM)
    send(s, message(CAT, CT_PCMM, [ka_timer(30)]))
    expect(s, REQ, CT_PCMM)
    send(s, message(DEC, CT_PCMM, [handle(b"\x00\x00\x12\x34\xab\xcd"), context(8, 0),
                                   decision_flags(1), decision_data(4, pcmm_gate_set(0x0101, 4))]))
    expect(s, RPT, CT_PCMM)
    expect(s, KA)
    send(s, message(KA, CT_NONE, []))
    expect(s, DRQ, CT_PCMM)
    expect(s, CC, CT_PCMM)
    close(s)


# ---------------------------------------------------------------------------------------------
# RSVP client-type over IPv6: IPv6 PDP Redirect / Last PDP Address objects, and a PDP that sends
# keep-alives of its own (the PEP answers them) besides answering the PEP's.
V6 = "::1"


def pep_v6(port):
    pep = "pep-v6.example.net"
    s = connect(port, V6)
    send(s, message(OPN, CT_RSVP, [pep_id(pep)]))
    cc = expect(s, CC, CT_RSVP)
    redirect_port = struct.unpack(">H", cc[-2:])[0]
    close(s)
    s = connect(redirect_port, V6)
    send(s, message(OPN, CT_RSVP, [pep_id(pep), last_pdp_v6(V6, port)]))
    expect(s, CAT, CT_RSVP)
    h = handle(b"\x00\x00\x06\x01")
    send(s, message(REQ, CT_RSVP, [h, context(1, 1), in_if_v6(V6, 1), out_if_v6(V6, 2),
                                   client_si_signaled(RSVP_SESSION)]))
    expect(s, DEC, CT_RSVP)
    send(s, message(RPT, CT_RSVP, [h, report_type(1)], flags=FLAG_SOLICITED))
    expect(s, KA)                                         # the PDP's own keep-alive
    send(s, message(KA, CT_NONE, []))
    send(s, message(KA, CT_NONE, []))                     # and ours, answered
    expect(s, KA)
    expect(s, KA)                                         # the PDP's again
    send(s, message(KA, CT_NONE, []))
    expect(s, CC, CT_RSVP)                                # the PDP closes: communication failure
    close(s)


def pdp_v6(port):
    first, second = listen(port, V6), listen(port + 1, V6)
    c = accept(first)
    expect(c, OPN, CT_RSVP)
    send(c, message(CC, CT_RSVP, [error(12), pdp_redirect_v6(V6, port + 1)]))
    close(c)
    first.close()
    c = accept(second)
    expect(c, OPN, CT_RSVP)
    send(c, message(CAT, CT_RSVP, [ka_timer(1)]))
    expect(c, REQ, CT_RSVP)
    send(c, message(DEC, CT_RSVP, [handle(b"\x00\x00\x06\x01"), context(1, 1), decision_flags(1)],
                    flags=FLAG_SOLICITED))
    expect(c, RPT, CT_RSVP)
    time.sleep(0.3)
    send(c, message(KA, CT_NONE, []))
    expect(c, KA)
    expect(c, KA)
    send(c, message(KA, CT_NONE, []))
    time.sleep(0.3)
    send(c, message(KA, CT_NONE, []))
    expect(c, KA)
    send(c, message(CC, CT_RSVP, [error(9, 0)]))
    time.sleep(0.05)
    close(c)
    second.close()


# ---------------------------------------------------------------------------------------------
# COPS over TLS (RFC 4261)
def pep_tls(port, keylog):
    s = connect(port)                                  # 1: plain OPN, PDP insists on TLS
    send(s, message(OPN, CT_RSVP, [pep_id("pep-plain.example.net")]))
    expect(s, CC, CT_RSVP)
    close(s)

    s = connect(port)                                  # 2: RFC 4261 negotiation
    send(s, message(OPN, CT_NONE, [pep_id("pep-tls.example.net"), integrity_tls()]))
    expect(s, CAT, CT_NONE)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.keylog_filename = keylog
    t = ctx.wrap_socket(s, server_hostname="pdp.example.net")
    send(t, message(OPN, CT_RSVP, [pep_id("pep-tls.example.net")]))
    expect(t, CAT, CT_RSVP)
    h = handle(b"\x00\x00\x00\x07")
    send(t, message(REQ, CT_RSVP, [h, context(1, 1), in_if_v4("127.0.0.1", 1),
                                   client_si_signaled(RSVP_SESSION)]))
    expect(t, DEC, CT_RSVP)
    send(t, message(RPT, CT_RSVP, [h, report_type(1)], flags=FLAG_SOLICITED))
    send(t, message(KA, CT_NONE, []))
    expect(t, KA)
    send(t, message(DRQ, CT_RSVP, [h, reason(4)]))
    send(t, message(CC, CT_RSVP, [error(11)]))
    time.sleep(0.05)
    try:
        t.unwrap()                                     # close_notify both ways
    except (ssl.SSLError, OSError):
        pass
    close(s)


def pdp_tls(port, cert, key):
    srv = listen(port)
    c = accept(srv)
    expect(c, OPN, CT_RSVP)
    send(c, message(CC, CT_RSVP, [error(15, 0)]))      # authentication required
    close(c)

    c = accept(srv)
    expect(c, OPN, CT_NONE)
    send(c, message(CAT, CT_NONE, [ka_timer(0), integrity_tls()]))
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    t = ctx.wrap_socket(c, server_side=True)
    expect(t, OPN, CT_RSVP)
    send(t, message(CAT, CT_RSVP, [ka_timer(30)]))
    expect(t, REQ, CT_RSVP)
    send(t, message(DEC, CT_RSVP, [handle(b"\x00\x00\x00\x07"), context(1, 1), decision_flags(1)],
                    flags=FLAG_SOLICITED))
    expect(t, RPT, CT_RSVP)
    expect(t, KA)
    send(t, message(KA, CT_NONE, []))
    expect(t, DRQ, CT_RSVP)
    expect(t, CC, CT_RSVP)
    try:
        t.unwrap()
    except (ssl.SSLError, OSError):
        pass
    close(c)
    srv.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--role", choices=["pdp", "pep"], required=True)
    ap.add_argument("--scenario", choices=["rsvp", "pr", "pcmm", "tls", "v6"], required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--keylog")
    ap.add_argument("--cert")
    ap.add_argument("--key")
    a = ap.parse_args()
    if a.scenario == "tls":
        if a.role == "pep":
            pep_tls(a.port, a.keylog)
        else:
            pdp_tls(a.port, a.cert, a.key)
    else:
        globals()["%s_%s" % (a.role, a.scenario)](a.port)


if __name__ == "__main__":
    main()
