#!/usr/bin/python3
"""Writes small pcap files with hand-built Ethernet/IPv4/TCP conversations.

Used by the analyzer's end-to-end tests and by bench/ to make captures whose
every byte is known: handshakes, payload split into MSS-sized segments with
correct sequence and acknowledgement numbers, FIN/RST, deliberately lost
segments (gaps) and nanosecond timestamps.
"""
import struct

MS = 1_000_000  # nanoseconds


def _checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def _ip(addr: str) -> bytes:
    return bytes(int(x) for x in addr.split("."))


def tcp_frame(src, dst, sport, dport, seq, ack, flags, payload=b"", checksums=True):
    """An Ethernet II frame carrying IPv4 + TCP. flags: string of S A F R P."""
    bits = {"F": 1, "S": 2, "R": 4, "P": 8, "A": 16}
    fl = sum(bits[c] for c in flags)
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, 5 << 4, fl, 65535, 0, 0)
    if checksums:
        pseudo = _ip(src) + _ip(dst) + struct.pack("!BBH", 0, 6, len(tcp) + len(payload))
        c = _checksum(pseudo + tcp + payload)
        tcp = tcp[:16] + struct.pack("!H", c) + tcp[18:]
    total = 20 + len(tcp) + len(payload)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, 0, 0x4000, 64, 6, 0, _ip(src), _ip(dst))
    if checksums:
        ip = ip[:10] + struct.pack("!H", _checksum(ip)) + ip[12:]
    eth = b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + b"\x08\x00"
    return eth + ip + tcp + payload


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
