#!/usr/bin/python3
"""Generates a large mixed capture for benchmarking quartet (and tshark with the
plugin): many COPS, RRP, IAP and SP sessions among unrelated TCP traffic
(HTTP-like bulk transfers, binary junk). Written straight as pcap, in batches so
memory stays small. Not committed: bench.py makes it in the build directory.

    gen_capture.py OUT.pcap [--rounds N | --size-mb MB]

One round = one session of each kind + three bulk transfers + one junk flow,
and every fourth round an SP PAIR connection carrying one 400 kB message;
about 0.32 MB per round."""
import argparse
import os
import random
import struct
import sys

from pcap_stream import MS, Conn, cops_msg, cops_obj, scenarios
from pcapgen import Pcap


def cops_session(p, client, server, t, handle):
    c = Conn(p, client, server)
    t = c.handshake(t)
    h = cops_obj(1, 1, struct.pack("!I", handle))
    c.send("c", cops_msg(6, 1, [cops_obj(11, 1, b"pep-%d.example\0" % handle)]), t + 1 * MS)       # OPN
    c.send("s", cops_msg(7, 1, [cops_obj(10, 1, struct.pack("!HH", 0, 30))]), t + 2 * MS)          # CAT
    c.send("c", cops_msg(1, 1, [h, cops_obj(2, 1, struct.pack("!HH", 1, 0))]), t + 3 * MS)         # REQ
    c.send("s", cops_msg(2, 1, [h, cops_obj(2, 1, struct.pack("!HH", 1, 0)),
                                cops_obj(6, 1, struct.pack("!HH", 1, 0))]), t + 5 * MS)            # DEC
    c.send("c", cops_msg(3, 1, [h, cops_obj(12, 1, struct.pack("!HH", 1, 0))]), t + 6 * MS)        # RPT
    for i in range(2):
        c.send("c", cops_msg(9, 0, []), t + (10 + 10 * i) * MS)                                      # KA
        c.send("s", cops_msg(9, 0, []), t + (11 + 10 * i) * MS)
    c.close(t + 40 * MS)


def iap_session(p, client, server, t, n_alerts):
    c = Conn(p, client, server)
    t = c.handshake(t)
    c.send("c", b"IAP/0.3 CONNECT M.DOM.ORG\r\n\r\n", t + 1 * MS)
    c.send("s", b"IAP/0.3 200\r\n\r\n", t + 2 * MS)
    c.close(t + 10 * MS)


def sp_reqrep(p, client, server, t, n):
    c = Conn(p, client, server)
    t = c.handshake(t)
    c.send("c", scenarios.sp_header(0x30), t + 1 * MS)
    c.send("s", scenarios.sp_header(0x31), t + 1 * MS)
    for i in range(n):
        rid = struct.pack("!I", 0x80000001 + i)
        c.send("c", scenarios.sp_msg(rid + b"request %d " % i + b"x" * 100), t + (2 + i) * MS)
        c.send("s", scenarios.sp_msg(rid + b"reply %d " % i + b"y" * 300), t + (2 + i) * MS + 300_000)
    c.close(t + (3 + n) * MS)


def sp_pubsub(p, client, server, t, n):
    c = Conn(p, client, server)
    t = c.handshake(t)
    c.send("c", scenarios.sp_header(0x21), t + 1 * MS)
    c.send("s", scenarios.sp_header(0x20), t + 1 * MS)
    for i in range(n):
        c.send("s", scenarios.sp_msg(b"quotes.EURUSD %d " % i + b"q" * 200), t + (2 + i) * MS // 2)
    c.close(t + (3 + n) * MS)


def sp_large(p, client, server, t, size):
    """One PAIR message with a large body: the decoder must not walk it all for a summary."""
    c = Conn(p, client, server)
    t = c.handshake(t)
    c.send("c", scenarios.sp_header(0x10), t + 1 * MS)
    c.send("s", scenarios.sp_header(0x10), t + 1 * MS)
    text = b"".join(b"{\"seq\":%06d,\"quote\":\"EURUSD\",\"bid\":1.0842}\n" % i for i in range(size // 48))
    t = c.send("c", scenarios.sp_msg(text), t + 2 * MS)
    c.close(t + 5 * MS)


def bulk(p, client, server, t, size, rng):
    c = Conn(p, client, server)
    t = c.handshake(t)
    c.send("c", b"GET /file HTTP/1.1\r\nHost: example\r\n\r\n", t + 1 * MS)
    c.send("s", b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % size + rng.randbytes(size), t + 2 * MS)
    c.close(t + 30 * MS)


def junk(p, client, server, t, rng):
    c = Conn(p, client, server)
    t = c.handshake(t)
    c.send("c", rng.randbytes(700), t + 1 * MS)
    c.send("s", rng.randbytes(900), t + 2 * MS)
    c.rst("s", t + 3 * MS)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--rounds", type=int, default=300)
    ap.add_argument("--size-mb", type=float, help="instead of --rounds: about this size (a round is ~0.32 MB)")
    args = ap.parse_args()
    if args.size_mb:
        args.rounds = max(1, int(args.size_mb / 0.32))
    rng = random.Random(42)
    t = scenarios.T0
    n = 0
    with open(args.out, "wb") as f:
        header_written = False
        for batch_start in range(0, args.rounds, 50):
            p = Pcap(checksums=False)
            for r in range(batch_start, min(args.rounds, batch_start + 50)):
                t0 = t + (r - batch_start) * 20 * MS
                a, b = divmod(r, 250)
                host = lambda k: "10.%d.%d.%d" % (k, a % 250, b + 1)  # noqa: E731
                port = 20000 + r % 40000
                cops_session(p, (host(1), port), (host(2), 3288), t0, r)
                scenarios.rrp_session(p, (host(3), port), (host(4), 7000), t0 + 1 * MS)
                iap_session(p, (host(5), port), (host(6), 4720), t0 + 2 * MS, 2)
                sp_reqrep(p, (host(7), port), (host(8), 5555), t0 + 3 * MS, 10)
                sp_pubsub(p, (host(9), port), (host(10), 6000), t0 + 4 * MS, 20)
                for k in range(3):
                    bulk(p, (host(11), port + k), (host(12), 80), t0 + (5 + k) * MS, 60000, rng)
                junk(p, (host(13), port), (host(14), 9999), t0 + 8 * MS, rng)
                if r % 4 == 0:
                    sp_large(p, (host(15), port), (host(16), 7777), t0 + 9 * MS, 400_000)
                n += 1
            data = p.to_bytes()
            f.write(data if not header_written else data[24:])
            header_written = True
            t += 50 * 20 * MS + 200 * MS
    print("wrote %s: %d rounds, %.1f MB" % (args.out, n, os.path.getsize(args.out) / 1e6))


if __name__ == "__main__":
    main()
