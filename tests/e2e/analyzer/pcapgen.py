#!/usr/bin/python3
"""Writes small pcap files with hand-built Ethernet/IPv4/TCP conversations.

Used by the analyzer's end-to-end tests and by bench/ to make captures whose
every byte is known: handshakes, payload split into MSS-sized segments with
correct sequence and acknowledgement numbers, FIN/RST, deliberately lost
segments (gaps) and nanosecond timestamps.
"""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from tcp_frames import tcp_frame  # noqa: E402

MS = 1_000_000  # nanoseconds


class Pcap:
    def __init__(self, nanos=False, snaplen=262144, checksums=True):
        self.nanos = nanos
        self.snaplen = snaplen
        self.checksums = checksums
        self.records = []  # (ts_ns, frame)

    def add(self, ts_ns, frame):
        self.records.append((ts_ns, frame))

    def to_bytes(self):
        magic = 0xA1B23C4D if self.nanos else 0xA1B2C3D4
        out = [struct.pack("<IHHiIII", magic, 2, 4, 0, 0, self.snaplen, 1)]
        for ts, frame in sorted(self.records, key=lambda r: r[0]):
            sec, frac = divmod(ts, 1_000_000_000)
            if not self.nanos:
                frac //= 1000
            cap = frame[: self.snaplen]
            out.append(struct.pack("<IIII", sec, frac, len(cap), len(frame)))
            out.append(cap)
        return b"".join(out)

    def write(self, path):
        with open(path, "wb") as f:
            f.write(self.to_bytes())


class Conn:
    """One TCP connection between a client and a server, both directions tracked."""

    def __init__(self, pcap, client, server, isn=(1000, 500000)):
        self.p = pcap
        self.ep = {"c": client, "s": server}  # (ip, port)
        self.seq = {"c": isn[0], "s": isn[1]}

    def _emit(self, side, ts, flags, payload=b"", seq=None):
        other = "s" if side == "c" else "c"
        (src, sport), (dst, dport) = self.ep[side], self.ep[other]
        s = self.seq[side] if seq is None else seq
        ack = self.seq[other]
        self.p.add(ts, tcp_frame(src, dst, sport, dport, s, ack, flags, payload, self.p.checksums))

    def handshake(self, ts):
        self._emit("c", ts, "S")
        self.seq["c"] += 1
        self._emit("s", ts + 100_000, "SA")
        self.seq["s"] += 1
        self._emit("c", ts + 200_000, "A")
        return ts + 200_000

    def send(self, side, data, ts, mss=1460, lose=()):
        """Sends `data` in MSS-sized segments 10 us apart; segment numbers in `lose` are not captured."""
        i = 0
        n = 0
        while i < len(data):
            seg = data[i : i + mss]
            if n not in lose:
                self._emit(side, ts + n * 10_000, "PA", seg)
            self.seq[side] += len(seg)
            i += len(seg)
            n += 1
        return ts + n * 10_000

    def ack(self, side, ts):
        self._emit(side, ts, "A")

    def fin(self, side, ts):
        self._emit(side, ts, "FA")
        self.seq[side] += 1

    def close(self, ts, first="c"):
        other = "s" if first == "c" else "c"
        self.fin(first, ts)
        self.fin(other, ts + 100_000)
        self.ack(first, ts + 200_000)

    def rst(self, side, ts):
        self._emit(side, ts, "R")
