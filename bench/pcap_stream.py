"""Shared by bench's capture generators: a pcap written packet by packet (memory
stays flat whatever the size) and the small PDUs the generators send."""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "e2e", "analyzer"))
from pcapgen import MS, Conn  # noqa: E402,F401  (re-exported for the generators)
import scenarios  # noqa: E402,F401

T0 = scenarios.T0


class PcapStream:
    """Has Pcap's add() for pcapgen.Conn, but writes at once: callers add in time order."""

    def __init__(self, path, snaplen=262144):
        self.f = open(path, "wb", buffering=1 << 20)
        self.f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen, 1))
        self.checksums = False
        self.packets = 0
        self.bytes = 24

    def add(self, ts_ns, frame):
        sec, ns = divmod(ts_ns, 1_000_000_000)
        self.f.write(struct.pack("<IIII", sec, ns // 1000, len(frame), len(frame)))
        self.f.write(frame)
        self.packets += 1
        self.bytes += 16 + len(frame)

    def close(self):
        self.f.close()


def cops_obj(cnum, ctype, body):
    pad = (-len(body)) % 4
    return struct.pack("!HBB", 4 + len(body), cnum, ctype) + body + b"\0" * pad


def cops_msg(op, client_type, objs):
    body = b"".join(objs)
    return struct.pack("!BBHI", 0x10, op, client_type, 8 + len(body)) + body


COPS_KA = cops_msg(9, 0, [])


def cops_req(handle):
    return cops_msg(1, 1, [cops_obj(1, 1, struct.pack("!I", handle)), cops_obj(2, 1, struct.pack("!HH", 1, 0))])


def cops_dec(handle):
    return cops_msg(2, 1, [cops_obj(1, 1, struct.pack("!I", handle)), cops_obj(2, 1, struct.pack("!HH", 1, 0)),
                           cops_obj(6, 1, struct.pack("!HH", 1, 0))])
