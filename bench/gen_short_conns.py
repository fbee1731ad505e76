#!/usr/bin/python3
"""Generates a capture of many short COPS connections, where per-connection cost
is what counts: each is SYN, SYN+ACK, one keep-alive each way, and a FIN each way
(6 packets). With --open the FINs are left out, so every connection is still open
at the end: N concurrent idle flows (the memory measurement of bench.py). With
--sp-pubsub each is instead an SP subscriber connecting to one publisher, which
sends it one message: a fan-out row per connection in the run's summary.

    gen_short_conns.py OUT.pcap [--connections 1000000] [--open] [--sp-pubsub]"""
import argparse
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "e2e", "lib"))
from pcap_stream import COPS_KA, T0, PcapStream  # noqa: E402
from tcp_frames import tcp_frame  # noqa: E402

SERVER = "192.0.2.1"
SP_SUB = b"\x00SP\x00\x00\x21\x00\x00"  # connection headers: SUB (33) from the client,
SP_PUB = b"\x00SP\x00\x00\x20\x00\x00"  # PUB (32) from the server


def client_of(i):
    return "10.%d.%d.%d" % ((i >> 16) & 255, (i >> 8) & 255, i & 255), 40000 + (i >> 24) + (i % 7)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--connections", type=int, default=1_000_000)
    ap.add_argument("--open", action="store_true", help="no FINs: all connections stay open")
    ap.add_argument("--sp-pubsub", action="store_true", help="SP subscribers of one publisher, not COPS")
    args = ap.parse_args()
    if args.connections > 1 << 24:
        raise SystemExit("at most 16,777,216 connections (distinct client addresses)")
    p = PcapStream(args.out)
    us = 1000
    for i in range(args.connections):
        cip, cport = client_of(i)
        t = T0 + i * 10 * us
        cseq, sseq = 1000 + i, 500000 + i
        if args.sp_pubsub:
            tick = SP_PUB + struct.pack("!Q", 8) + b"tick%04d" % (i % 10000)
            p.add(t, tcp_frame(cip, SERVER, cport, 5555, cseq, 0, "S", b"", False))
            p.add(t + us, tcp_frame(SERVER, cip, 5555, cport, sseq, cseq + 1, "SA", b"", False))
            p.add(t + 2 * us, tcp_frame(cip, SERVER, cport, 5555, cseq + 1, sseq + 1, "PA", SP_SUB, False))
            p.add(t + 3 * us, tcp_frame(SERVER, cip, 5555, cport, sseq + 1, cseq + 9, "PA", tick, False))
            p.add(t + 4 * us, tcp_frame(cip, SERVER, cport, 5555, cseq + 9, sseq + 1 + len(tick), "FA", b"", False))
            p.add(t + 5 * us, tcp_frame(SERVER, cip, 5555, cport, sseq + 1 + len(tick), cseq + 10, "FA", b"", False))
            continue
        p.add(t, tcp_frame(cip, SERVER, cport, 3288, cseq, 0, "S", b"", False))
        p.add(t + us, tcp_frame(SERVER, cip, 3288, cport, sseq, cseq + 1, "SA", b"", False))
        p.add(t + 2 * us, tcp_frame(cip, SERVER, cport, 3288, cseq + 1, sseq + 1, "PA", COPS_KA, False))
        p.add(t + 3 * us, tcp_frame(SERVER, cip, 3288, cport, sseq + 1, cseq + 9, "PA", COPS_KA, False))
        if not args.open:
            p.add(t + 4 * us, tcp_frame(cip, SERVER, cport, 3288, cseq + 9, sseq + 9, "FA", b"", False))
            p.add(t + 5 * us, tcp_frame(SERVER, cip, 3288, cport, sseq + 9, cseq + 10, "FA", b"", False))
    p.close()
    print("wrote %s: %d connections, %d packets, %.1f MB" % (args.out, args.connections, p.packets, p.bytes / 1e6))


if __name__ == "__main__":
    main()
