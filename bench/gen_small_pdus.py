#!/usr/bin/python3
"""Generates a capture dominated by small PDUs, where per-PDU cost is what counts:
long-lived COPS (REQ/DEC and keep-alives), RRP (check / 210) and SP REQ/REP
(about 100-byte bodies) connections, one PDU per TCP segment, interleaved.

    gen_small_pdus.py OUT.pcap [--size-mb 256] [--connections 300] [--open-every N]

--open-every N: the connections open one at a time, one every N request/response
pairs, instead of all at the start (how --threads spreads long-lived connections
that open while the reader decodes a share: docs/performance.md, fourteenth round)."""
import argparse
import struct

from pcap_stream import COPS_KA, MS, T0, Conn, PcapStream, cops_dec, cops_msg, cops_obj, cops_req, scenarios

US = 1000


def cops_pair(i, k):
    if k % 4 == 3:
        return COPS_KA, COPS_KA
    return cops_req(i * 1000 + k % 16), cops_dec(i * 1000 + k % 16)  # a few handles, reused


def rrp_pair(i, k):
    return scenarios.RRP_CHECK, scenarios.RRP_AVAILABLE


def sp_pair(i, k):
    rid = struct.pack("!I", 0x80000000 | (k & 0x7FFFFFFF))
    return (scenarios.sp_msg(rid + b"request %08d " % k + b"x" * 80),
            scenarios.sp_msg(rid + b"reply %08d " % k + b"y" * 80))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--size-mb", type=float, default=256)
    ap.add_argument("--connections", type=int, default=300)
    ap.add_argument("--open-every", type=int, default=0)
    args = ap.parse_args()
    p = PcapStream(args.out)
    conns = []

    def open_conn(i, t):
        kind = i % 3
        host = lambda k: "10.%d.%d.%d" % (k, i // 250, i % 250 + 1)  # noqa: E731
        server = {0: ("cops", 3288), 1: ("rrp", 648), 2: ("sp", 5555)}[kind]
        c = Conn(p, (host(1), 30000 + i), (host(2), server[1]))
        t = c.handshake(t) + 10 * US
        if kind == 0:
            c.send("c", cops_msg(6, 1, [cops_obj(11, 1, b"pep-%d.example\0" % i)]), t)
            c.send("s", cops_msg(7, 1, [cops_obj(10, 1, struct.pack("!HH", 0, 30))]), t + 10 * US)
        elif kind == 1:
            c.send("s", scenarios.RRP_BANNER, t)
            c.send("c", scenarios.RRP_SESSION, t + 10 * US)
            c.send("s", scenarios.RRP_OK, t + 20 * US)
        else:
            c.send("c", scenarios.sp_header(0x30), t)
            c.send("s", scenarios.sp_header(0x31), t + 10 * US)
        conns.append((c, (cops_pair, rrp_pair, sp_pair)[kind], i))
        return t + 30 * US

    t = T0
    opened = 1 if args.open_every else args.connections
    for i in range(opened):
        t = open_conn(i, t)
    limit = args.size_mb * 1e6
    k = 0
    while p.bytes < limit:
        if opened < args.connections and k % args.open_every == 0:
            t = open_conn(opened, t)
            opened += 1
        c, pair, i = conns[k % len(conns)]
        req, rep = pair(i, k)
        c.send("c", req, t)
        c.send("s", rep, t + 5 * US)
        t += 10 * US
        k += 1
    for c, _, _ in conns:
        c.close(t)
        t += 300 * US
    p.close()
    print("wrote %s: %d connections, %d request/response pairs, %d packets, %.1f MB" %
          (args.out, len(conns), k, p.packets, p.bytes / 1e6))


if __name__ == "__main__":
    main()
