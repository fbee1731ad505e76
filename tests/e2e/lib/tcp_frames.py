"""Ethernet/IPv4/TCP frames built byte by byte, shared by the hand-built test
captures of the plugin (tests/e2e/plugin/pcapgen.py), the analyzer
(tests/e2e/analyzer/pcapgen.py) and bench/ (stdlib only)."""
import socket
import struct

_FLAG_BITS = {"F": 0x01, "S": 0x02, "R": 0x04, "P": 0x08, "A": 0x10}


def checksum(data: bytes) -> int:
    """The Internet checksum (RFC 1071)."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def tcp_frame(src, dst, sport, dport, seq, ack, flags, payload=b"", checksums=True):
    """An Ethernet II frame carrying IPv4 + TCP from src to dst (dotted quads).
    flags: an int (TCP flag bits) or a string of the letters S A F R P."""
    if isinstance(flags, str):
        flags = sum(_FLAG_BITS[c] for c in flags)
    s, d = socket.inet_aton(src), socket.inet_aton(dst)
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, 5 << 4,
                      flags, 65535, 0, 0)
    if checksums:
        pseudo = s + d + struct.pack("!BBH", 0, 6, len(tcp) + len(payload))
        tcp = tcp[:16] + struct.pack("!H", checksum(pseudo + tcp + payload)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp) + len(payload), 0, 0x4000, 64, 6, 0,
                     s, d)
    if checksums:
        ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    # Locally administered MACs derived from the IP addresses, so each host keeps one.
    eth = b"\x02\0" + d + b"\x02\0" + s + b"\x08\x00"
    return eth + ip + tcp + payload
