#!/usr/bin/python3
"""Hostile captures for the real quartet: each case builds a capture (or streams
one, generated on the fly, into quartet's standard input: the large ones are
never stored), runs quartet and checks three things: a clear warning says what
was wrong, nothing else is lost (a normal RRP session in the same capture
decodes in full), and memory stays bounded (peak RSS of the quartet process).

    hostile.py QUARTET WORKDIR CASE [--size N]

Cases: sp_length_2_63, cops_length_below_header, rrp_line_10mb, iap_content_length,
timestamps, pcapng_blocks, ip_fragments_overlap (ctest, small and fast), and
many_flows and many_closed (--size = connections, default 1,000,000), big_flow (--size = bytes,
default 10 GB), large_messages_in_turn and concurrent_large_messages (--size = connections,
default 100 and 400) and lying_lengths (--size = connections, default 100,000), which ctest runs reduced (scripts: see docs/robustness.md for the
full-size figures).
"""
import argparse
import json
import os
import struct
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pcapgen import Conn, Pcap  # noqa: E402
from peak_rss import peak_kib, under_gnu_time  # noqa: E402
from tcp_frames import tcp_frame  # noqa: E402

T0 = 1_700_000_000 * 1_000_000_000
MS = 1_000_000
QUARTET = WORK = None

RRP_EXCHANGE = [
    ("s", b"Example RRP Server version 1.1.0\r\n.\r\n"),
    ("c", b"session\r\n-Id:registrarA\r\n-Password:x\r\n.\r\n"),
    ("s", b"200 Command completed successfully\r\n.\r\n"),
    ("c", b"check\r\nEntityName:Domain\r\nDomainName:example.com\r\n.\r\n"),
    ("s", b"210 Domain name available\r\n.\r\n"),
    ("c", b"quit\r\n.\r\n"),
    ("s", b"220 Command completed successfully. Server closing connection\r\n.\r\n"),
]


class Writer:
    """Classic pcap (nanosecond) written to a file object as frames come; frames are
    added the way pcapgen.Pcap collects them, so pcapgen.Conn drives both."""

    checksums = False

    def __init__(self, out, snaplen=262144, linktype=1):
        self.out = out
        out.write(struct.pack("<IHHiIII", 0xA1B23C4D, 2, 4, 0, 0, snaplen, linktype))

    @staticmethod
    def record(ts, data):
        return struct.pack("<IIII", ts // 1_000_000_000, ts % 1_000_000_000, len(data), len(data)) + data

    def add(self, ts, data):
        self.out.write(self.record(ts, data))

    def add_all(self, frames):
        """Many (ts, frame) pairs, written 4096 records at a time: a write per frame
        is most of the generation time of the large cases."""
        buf = []
        for ts, data in frames:
            buf.append(self.record(ts, data))
            if len(buf) == 4096:
                self.out.write(b"".join(buf))
                buf = []
        self.out.write(b"".join(buf))


def close(c, ts):
    c.close(ts)
    return ts + 300_000


def rrp_session(w, ts, port=41000):
    """The witness: a complete RRP session that must decode whatever else happens."""
    c = Conn(w, ("192.0.2.200", port), ("192.0.2.201", 648))
    ts = c.handshake(ts)
    for side, data in RRP_EXCHANGE:
        ts = c.send(side, data, ts + MS)
    return close(c, ts + MS)


def witness_frames():
    """The witness session's frames as (ts, bytes), for captures built around them."""
    p = Pcap(nanos=True, checksums=False)
    rrp_session(p, T0)
    return p.records


def run_quartet(args, stdin_writer=None, path=None):
    """(exit code, JSONL objects, stderr, peak RSS in MiB) of quartet --format jsonl (the
    peak of quartet alone: peak_rss.py)."""
    rss_path = os.path.join(WORK, "peak-rss.txt")
    cmd = under_gnu_time([QUARTET, "--format", "jsonl", "--no-progress", *args, path or "-"], rss_path)
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE if stdin_writer else subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = [], []
    readers = [threading.Thread(target=lambda: out.append(p.stdout.read())),
               threading.Thread(target=lambda: err.append(p.stderr.read()))]
    for t in readers:
        t.start()
    if stdin_writer:
        try:
            stdin_writer(p.stdin)
        except BrokenPipeError:
            pass
        p.stdin.close()
    p.wait()
    for t in readers:
        t.join()
    objs = [json.loads(line) for line in out[0].decode().splitlines()]
    return p.returncode, objs, err[0].decode(), peak_kib(rss_path) / 1024


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def sessions(objs, proto=None):
    return [o for o in objs if o["type"] == "session" and (proto is None or o["protocol"] == proto)]


def summary(objs):
    return [o for o in objs if o["type"] == "summary"][0]


def witness_intact(objs):
    rrp = [s for s in sessions(objs, "RRP") if s["server"]["ip"] == "192.0.2.201"]
    check(len(rrp) == 1, "the witness RRP session is reported: %r" % [s["server"] for s in sessions(objs)])
    s = rrp[0]
    names = [o["name"] for o in objs if o["type"] == "message" and o["session"] == s["id"]]
    check(names == ["greeting", "session", "200", "check", "210", "quit", "220"], "witness messages %r" % names)
    check(s["warnings"] == [] and s["missing_bytes"] == 0, "witness clean: %r" % s["warnings"])


def write_file(name, build):
    path = os.path.join(WORK, name)
    with open(path, "wb") as f:
        build(f)
    return path


def one_hostile_connection(name, port, client_data, server_data=b"", mss=1460, extra=()):
    """A capture with the hostile connection first, then the witness."""
    def build(f):
        w = Writer(f)
        c = Conn(w, ("198.51.100.1", 40000), ("198.51.100.2", port))
        ts = c.handshake(T0)
        if server_data:
            ts = c.send("s", server_data, ts + MS, mss)
        ts = c.send("c", client_data, ts + MS, mss)
        ts = close(c, ts + MS)
        rrp_session(w, ts + MS)
    path = write_file(name, build)
    return run_quartet(list(extra), path=path)


def hostile_session(objs, port):
    s = [x for x in sessions(objs) if x["server"]["port"] == port and x["server"]["ip"] == "198.51.100.2"]
    check(len(s) == 1, "one session on port %d: %r" % (port, [x["server"] for x in sessions(objs)]))
    return s[0]


def case_sp_length_2_63():
    hdr = b"\x00SP\x00\x00\x30\x00\x00"
    body = struct.pack("!Q", 1 << 63) + b"x" * 3000
    code, objs, err, rss = one_hostile_connection("sp63.pcap", 5555, hdr + body, b"\x00SP\x00\x00\x31\x00\x00",
                                                  extra=["-d", "sp=5555"])
    s = hostile_session(objs, 5555)
    check(any("9223372036854775808" in w for w in s["warnings"]), "the 2^63 length named: %r" % s["warnings"])
    witness_intact(objs)
    check(rss < 200, "peak RSS %.0f MiB" % rss)


def case_cops_length_below_header():
    opn = struct.pack("!BBHI", 0x10, 6, 1, 4) + b"\0" * 12  # length 4 < the 8-byte header
    code, objs, err, rss = one_hostile_connection("cops-short.pcap", 3288, opn)
    s = hostile_session(objs, 3288)
    check(any("length" in w and "4" in w for w in s["warnings"]), "COPS length 4 reported: %r" % s["warnings"])
    witness_intact(objs)
    check(rss < 200, "peak RSS %.0f MiB" % rss)


def case_rrp_line_10mb():
    line = b"check " + b"A" * (10 * 1024 * 1024)  # no line end, ever
    t = time.monotonic()
    code, objs, err, rss = one_hostile_connection("rrp-10mb.pcap", 648, line, RRP_EXCHANGE[0][1])
    took = time.monotonic() - t
    s = hostile_session(objs, 648)
    check(s["warnings"], "a warning for the endless line")
    print("10 MB line: warnings %r, %.1f s, peak RSS %.0f MiB" % (s["warnings"][:3], took, rss))
    witness_intact(objs)
    check(rss < 300, "peak RSS %.0f MiB" % rss)


def case_iap_content_length():
    msg = (b"IAP/0.3 CONNECT M.DOM.ORG\r\n\r\n", b"IAP/0.3 200\r\n\r\n",
           b"Content-Type: application/x-idef-alert\r\nContent-Length: 4000000000\r\n\r\n" + b"<alert/>" * 100)
    def build(f):
        w = Writer(f)
        c = Conn(w, ("198.51.100.1", 40000), ("198.51.100.2", 4720))
        ts = c.handshake(T0)
        ts = c.send("c", msg[0], ts + MS)
        ts = c.send("s", msg[1], ts + MS)
        ts = c.send("c", msg[2], ts + MS)
        ts = close(c, ts + MS)
        rrp_session(w, ts + MS)
    code, objs, err, rss = run_quartet([], path=write_file("iap-cl.pcap", build))
    s = hostile_session(objs, 4720)
    check(any("Content-Length" in w or "4000000000" in w or "truncated" in w or "implausible" in w
              for w in s["warnings"]), "the impossible body reported: %r" % s["warnings"])
    witness_intact(objs)
    check(rss < 200, "peak RSS %.0f MiB" % rss)


def case_timestamps():
    """A frame 2 hours back in time, and one 40 years ahead (after 2038: classic pcap
    seconds are unsigned), in the middle of the capture."""
    def build(f):
        w = Writer(f)
        ts = rrp_session(w, T0)
        c = Conn(w, ("198.51.100.1", 40000), ("198.51.100.2", 648))
        c.handshake(ts - 2 * 3600 * 1_000_000_000)
        Conn(w, ("198.51.100.3", 40001), ("198.51.100.4", 648)).handshake(ts + 40 * 365 * 86400 * 1_000_000_000)
    code, objs, err, rss = run_quartet([], path=write_file("timestamps.pcap", build))
    w = summary(objs)["capture_warnings"]
    check(any("before the previous frame" in x for x in w), "backwards warning: %r" % w)
    check(any("more than a year after" in x and "40 years" in x for x in w), "jump warning: %r" % w)
    witness_intact(objs)


def pcapng_block(btype, body, big=False):
    e = ">" if big else "<"
    body += b"\0" * (-len(body) % 4)
    n = 12 + len(body)
    return struct.pack(e + "II", btype, n) + body + struct.pack(e + "I", n)


def pcapng_shb(big=False):
    e = ">" if big else "<"
    return pcapng_block(0x0A0D0D0A, struct.pack(e + "IHHq", 0x1A2B3C4D, 1, 0, -1), big)


def pcapng_idb(big=False):
    return pcapng_block(1, struct.pack((">" if big else "<") + "HHI", 1, 0, 262144), big)


def pcapng_epb(iface, ts_ns, data, big=False):
    us = ts_ns // 1000
    return pcapng_block(6, struct.pack((">" if big else "<") + "IIIII", iface, us >> 32, us & 0xFFFFFFFF,
                                       len(data), len(data)) + data, big)


def case_pcapng_blocks():
    """Unknown block types, an interface id out of range, and a second section in
    the other byte order: the witness session is split over both sections."""
    frames = witness_frames()
    half = len(frames) // 2
    for bad_interface in (False, True):
        out = pcapng_shb() + pcapng_idb()
        out += pcapng_block(0x0BADC0DE, b"unknown block type, skipped")
        for ts, data in frames[:half]:
            out += pcapng_epb(0, ts, data)
        if bad_interface:
            out += pcapng_epb(7, frames[half][0], frames[half][1])  # interface 7 does not exist
        out += pcapng_block(0x40000BAD, b"custom-looking block")
        out += pcapng_shb(big=True) + pcapng_idb(big=True)  # a new section, big-endian
        for ts, data in frames[half:]:
            out += pcapng_epb(0, ts, data, big=True)
        path = os.path.join(WORK, "hostile-%d.pcapng" % bad_interface)
        with open(path, "wb") as f:
            f.write(out)
        code, objs, err, rss = run_quartet([], path=path)
        w = summary(objs)["capture_warnings"]
        print("pcapng (interface 7: %s): exit %d, warnings %r" % (bad_interface, code, w))
        witness_intact(objs)
        if bad_interface:
            check(code == 1 and any("1 packets of interfaces the section does not declare skipped (first: interface 7)"
                                    in x for x in w), "the bad interface id reported: %r" % w)
        else:
            check(code == 0 and w == [], "unknown blocks and a new section are no problem: %r" % w)


def case_ip_fragments_overlap():
    """The witness's 'check' request sent as IPv4 fragments, twice, the second copy
    overlapping with different bytes: the first copy is kept and one warning says so."""
    out = []
    for ts, frame in witness_frames():
        if b"DomainName" not in frame:
            out.append((ts, frame))
            continue
        eth, ip = frame[:14], frame[14:]
        payload = ip[20:]

        def frag(off, data, more, ident=0x4242):
            hdr = bytearray(ip[:20])
            struct.pack_into("!HHH", hdr, 2, 20 + len(data), ident, (0x2000 if more else 0) | off // 8)
            hdr[10:12] = b"\0\0"
            return ts, eth + bytes(hdr) + data
        out.append(frag(0, payload[:24], True))
        out.append(frag(8, b"X" * 16, True))        # overlaps bytes 8-23 with other bytes
        out.append(frag(24, payload[24:], False))
    def build(f):
        w = Writer(f)
        for ts, frame in out:
            w.add(ts, frame)
    path = write_file("frag-overlap.pcap", build)
    code, objs, err, rss = run_quartet([], path=path)
    w = summary(objs)["capture_warnings"]
    check(any("overlapping IP fragments with different bytes" in x for x in w), "overlap warning: %r" % w)
    witness_intact(objs)


def case_many_flows(n):
    """n half-open connections (a SYN each, never answered) at once, streamed into
    stdin; with --max-flows below n the oldest are closed and reported."""
    limit = max(1000, n // 4)

    def syns():
        for i in range(n):
            src = "10.%d.%d.%d" % (i >> 16 & 255, i >> 8 & 255, i & 255)
            yield T0 + i * 1000, tcp_frame(src, "192.0.2.1", 1024 + i % 60000, 80, i, 0, "S", checksums=False)

    def gen(out):
        w = Writer(out)
        w.add_all(syns())
        rrp_session(w, T0 + n * 1000 + MS)
    t = time.monotonic()
    code, objs, err, rss = run_quartet(["--summary", "--max-flows", str(limit)], stdin_writer=gen)
    took = time.monotonic() - t
    s = summary(objs)
    check(s["tcp_connections"] == n + 1, "connections counted: %d" % s["tcp_connections"])
    witness_intact_summary(objs)
    code2, objs2, err2, rss2 = run_quartet(["--summary"], stdin_writer=gen)
    check(summary(objs2)["tcp_connections"] == n + 1, "connections counted (default limit)")
    print("many_flows %d: --max-flows %d: peak RSS %.0f MiB; default limit: peak RSS %.0f MiB (%.0f bytes per flow); "
          "%.1f s" % (n, limit, rss, rss2, (rss2 - rss) * 1048576 / max(1, n - limit), took))
    check(rss < rss2 or n <= limit, "the limit bounds memory")


def case_many_closed(n):
    """n short connections (SYN, SYN+ACK, a FIN each way, the last ACK), all closed
    within the 10 s a closed connection is remembered for its trailing packets:
    each last ACK is absorbed (no new flow), and what a remembered connection costs
    is bounded (its key and time, not its whole reassembly record)."""
    def frames(count):
        for i in range(count):
            cip, sip = "10.%d.%d.%d" % (i >> 16 & 255, i >> 8 & 255, i & 255), "192.0.2.1"
            port, t = 1024 + i % 60000, T0 + i * 1000
            cseq, sseq = i, 1_000_000 + i
            for k, frame in enumerate((tcp_frame(cip, sip, port, 80, cseq, 0, "S", checksums=False),
                                       tcp_frame(sip, cip, 80, port, sseq, cseq + 1, "SA", checksums=False),
                                       tcp_frame(cip, sip, port, 80, cseq + 1, sseq + 1, "FA", checksums=False),
                                       tcp_frame(sip, cip, 80, port, sseq + 1, cseq + 2, "FA", checksums=False),
                                       tcp_frame(cip, sip, port, 80, cseq + 2, sseq + 2, "A", checksums=False))):
                yield t + k * 100, frame

    def gen(count):
        def write(out):
            w = Writer(out)
            w.add_all(frames(count))
            rrp_session(w, T0 + count * 1000 + MS)
        return write
    t = time.monotonic()
    _, base_objs, _, base_rss = run_quartet(["--summary", "--threads", "1"], stdin_writer=gen(0))
    check(summary(base_objs)["tcp_connections"] == 1, "witness alone")
    _, objs, _, rss = run_quartet(["--summary", "--threads", "1"], stdin_writer=gen(n))
    took = time.monotonic() - t
    check(summary(objs)["tcp_connections"] == n + 1,
          "trailing ACKs absorbed by the closed connections: %d connections" % summary(objs)["tcp_connections"])
    witness_intact_summary(objs)
    per = (rss - base_rss) * 1048576 / n
    print("many_closed %d: peak RSS %.0f MiB (witness alone %.0f MiB): %.0f bytes per closed connection; %.1f s"
          % (n, rss, base_rss, per, took))
    check(per < 200, "a remembered closed connection costs %.0f bytes (its whole record was about 400)" % per)


SP_PAIR_HEADER = b"\x00SP\x00\x00\x10\x00\x00"  # PAIR (0x10) on both sides: messages carry no header


def sp_pair_connection(w, i, ts):
    """SP PAIR connection number i, headers exchanged; returns it and the time after."""
    c = Conn(w, ("10.%d.%d.%d" % (1 + (i >> 16), i >> 8 & 255, i & 255), 20000 + i % 40000),
             ("198.51.100.%d" % (2 + i % 200), 5555))
    ts = c.handshake(ts)
    ts = c.send("c", SP_PAIR_HEADER, ts + 1000)
    return c, c.send("s", SP_PAIR_HEADER, ts + 1000)


def sp_pair_connections(w, n, ts):
    """n SP PAIR connections opened one after the other (sp_pair_connection), all left
    open; returns them and the time after."""
    conns = []
    for i in range(n):
        c, ts = sp_pair_connection(w, i, ts)
        conns.append(c)
    return conns, ts


def sp_message(size):
    """An SP PAIR message of `size` bytes (8-byte length, then bytes 0-255 repeated)."""
    return struct.pack("!Q", size) + bytes(range(256)) * (size // 256)


def case_large_messages_in_turn(n):
    """n SP connections open together; each in turn sends one 1 MiB message, never
    two at once, and all stay open to the end of the capture: memory is that of one
    message, not of every connection's largest (each direction's PDU buffer is
    given back after a large PDU)."""
    size = 1 << 20
    msg = sp_message(size)

    def gen(out):
        w = Writer(out)
        conns, ts = sp_pair_connections(w, n, T0)
        for c in conns:
            ts = c.send("c", msg, ts + 1000)
        rrp_session(w, ts + MS)
    t = time.monotonic()
    code, objs, err, rss = run_quartet(["--summary", "-d", "sp=5555"], stdin_writer=gen)
    took = time.monotonic() - t
    sp = sessions(objs, "SP")
    check(len(sp) == n, "%d SP sessions, expected %d" % (len(sp), n))
    for s in sp:
        check(s["messages"] == {"client": 2, "server": 1} and s["bytes"]["client"] == 8 + 8 + size,
              "each message decoded: %r %r" % (s["messages"], s["bytes"]))
        check(s["warnings"] == [], "no warning: %r" % s["warnings"])
    witness_intact_summary(objs)
    print("large_messages_in_turn: %d connections, one %d-byte message each: peak RSS %.0f MiB, %.1f s"
          % (n, size, rss, took))
    check(rss < 48, "peak RSS %.0f MiB (%d MiB of messages went by, one at a time)" % (rss, n))


def case_concurrent_large_messages(n):
    """n SP connections each send 960 KiB of a 1 MiB message, in turns of 64 KiB, so that
    all n are split at once, then the rest of it and a small message: the partial
    messages held stay within their budget (256 MiB, PduBudget). Each message that would
    pass it is said not to be decoded and skipped, and the small message after it decodes;
    the others decode whole. With one thread and with two."""
    size, first, step = 1 << 20, 960 << 10, 64 << 10
    msg = sp_message(size)
    small = struct.pack("!Q", 5) + b"after"

    def gen(out):
        w = Writer(out)
        conns, ts = sp_pair_connections(w, n, T0)
        for at in range(0, first, step):
            for c in conns:
                ts = c.send("c", msg[at:at + step], ts + 1000)
        for c in conns:
            ts = c.send("c", msg[first:] + small, ts + 1000)
        rrp_session(w, ts + MS)
    given_up = "client: SP message of %d bytes not decoded: the partial messages held in memory reach their " \
               "budget of " % (size + 8)
    for threads in ("1", "2"):
        t = time.monotonic()
        _, objs, _, rss = run_quartet(["--summary", "--threads", threads, "-d", "sp=5555"], stdin_writer=gen)
        took = time.monotonic() - t
        sp = sessions(objs, "SP")
        check(len(sp) == n, "%d SP sessions, expected %d" % (len(sp), n))
        whole = [s for s in sp if s["warnings"] == []]
        cut = [s for s in sp if len(s["warnings"]) == 1 and s["warnings"][0].startswith(given_up)]
        check(len(whole) + len(cut) == n, "each session whole or given up: %r" %
              [s["warnings"] for s in sp if s not in whole and s not in cut][:2])
        check(all(s["messages"] == {"client": 3, "server": 1} for s in whole), "whole: header, message, small")
        check(all(s["messages"] == {"client": 2, "server": 1} for s in cut), "given up: header and small only")
        # 256 MiB hold about 250 of the 1 MiB messages (the threads share it).
        check(200 <= len(whole) <= 256 and cut, "%d whole, %d given up" % (len(whole), len(cut)))
        witness_intact_summary(objs)
        print("concurrent_large_messages: %d connections, --threads %s: %d whole, %d given up, peak RSS %.0f MiB, "
              "%.1f s" % (n, threads, len(whole), len(cut), rss, took))
        check(rss < 300, "peak RSS %.0f MiB (%d MiB of messages split at once)" % (rss, n))


def case_lying_lengths(n):
    """n SP connections, each declaring a 16 MiB message and sending 100 bytes of it,
    all open at the end: each says so, and costs about what it sent, not a reservation of the
    declared length. Against the same connections each sending a whole 100-byte message."""
    def gen(lie):
        def write(out):
            w = Writer(out)
            ts = T0
            declared = (16 << 20) - 16 if lie else 100
            for i in range(n):  # one after the other: no list of n connections
                c, ts = sp_pair_connection(w, i, ts)
                ts = c.send("c", struct.pack("!Q", declared) + b"m" * 100, ts + 1000)
            rrp_session(w, ts + MS)
        return write
    _, base_objs, _, base_rss = run_quartet(["--summary", "--threads", "1", "-d", "sp=5555"], stdin_writer=gen(False))
    check(summary(base_objs)["tcp_connections"] == n + 1, "connections counted")
    _, objs, _, rss = run_quartet(["--summary", "--threads", "1", "-d", "sp=5555"], stdin_writer=gen(True))
    sp = sessions(objs, "SP")
    check(len(sp) == n and all(s["messages"] == {"client": 1, "server": 1} for s in sp),
          "the partial messages are not counted: %r" % sp[0]["messages"])
    cut = "client: SP message cut short by the end of the capture: 108 of %d bytes" % ((16 << 20) - 16 + 8)
    check(all(s["warnings"] == [cut] for s in sp), "each says its message is cut short: %r" % sp[0]["warnings"])
    witness_intact_summary(objs)
    per = (rss - base_rss) * 1048576 / n
    print("lying_lengths %d: peak RSS %.0f MiB, %.0f MiB with whole messages: %.0f bytes more per connection"
          % (n, rss, base_rss, per))
    check(per < 1024, "a 16 MiB length with 100 bytes costs %.0f bytes more than a whole message" % per)


def witness_intact_summary(objs):
    rrp = [s for s in sessions(objs, "RRP") if s["server"]["ip"] == "192.0.2.201"]
    check(len(rrp) == 1 and rrp[0]["messages"] == {"client": 3, "server": 4}, "witness in --summary: %r" % rrp)


def case_big_flow(size):
    """One RRP connection of `size` bytes of client data (MOD commands of about 1 KB,
    40 name servers each) in 64 KB segments, every 100th segment missing (the decoder
    resynchronises at the next command), then the witness; streamed into stdin."""
    cmd = (b"mod\r\nEntityName:Domain\r\nDomainName:example.com\r\n" +
           b"".join(b"NameServer:ns%d.example.net\r\n" % i for i in range(40)) + b".\r\n")
    seg = cmd * (65000 // len(cmd))

    def gen(out):
        w = Writer(out)
        c = Conn(w, ("198.51.100.1", 40000), ("198.51.100.2", 648))
        ts = c.handshake(T0)
        sent = 0
        i = 0
        while sent < size:
            if i % 100 == 99:
                c.seq["c"] += len(seg)  # a hole: these bytes were never captured
            else:
                c.send("c", seg, ts, mss=len(seg))
            sent += len(seg)
            ts += 10_000
            i += 1
        ts = close(c, ts)
        rrp_session(w, ts + MS)
    t = time.monotonic()
    code, objs, err, rss = run_quartet(["--summary"], stdin_writer=gen)
    took = time.monotonic() - t
    s = [x for x in sessions(objs) if x["client"]["ip"] == "198.51.100.1"][0]
    holes = (size // len(seg)) // 100
    check(s["missing_bytes"] == holes * len(seg), "missing %d, expected %d" % (s["missing_bytes"], holes * len(seg)))
    witness_intact_summary(objs)
    print("big_flow %.2f GB: %d holes, %d messages, peak RSS %.0f MiB, %.1f s (%.0f MB/s)"
          % (size / 1e9, holes, s["messages"]["client"], rss, took, size / 1e6 / took))
    check(rss < 400, "peak RSS %.0f MiB" % rss)


def main():
    global QUARTET, WORK
    ap = argparse.ArgumentParser()
    ap.add_argument("quartet")
    ap.add_argument("work")
    ap.add_argument("case")
    ap.add_argument("--size", type=int)
    a = ap.parse_args()
    # A folder per case: ctest runs the cases at once, and they name their files alike
    # (peak-rss.txt: one case read another's while it was being written).
    QUARTET, WORK = os.path.abspath(a.quartet), os.path.join(a.work, a.case)
    os.makedirs(WORK, exist_ok=True)
    if a.case == "many_flows":
        case_many_flows(a.size or 1_000_000)
    elif a.case == "many_closed":
        case_many_closed(a.size or 1_000_000)
    elif a.case == "big_flow":
        case_big_flow(a.size or 10_000_000_000)
    elif a.case == "large_messages_in_turn":
        case_large_messages_in_turn(a.size or 100)
    elif a.case == "concurrent_large_messages":
        case_concurrent_large_messages(a.size or 400)
    elif a.case == "lying_lengths":
        case_lying_lengths(a.size or 100_000)
    else:
        globals()["case_" + a.case]()
    print("ok", a.case)


if __name__ == "__main__":
    main()
