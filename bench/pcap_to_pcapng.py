#!/usr/bin/python3
"""pcap_to_pcapng.py IN OUT: the packets of a classic pcap file as a pcapng file, as
`editcap -F pcapng` writes them (one section, one interface of the file's link type,
snapshot length and time stamp resolution, an Enhanced Packet Block per packet).
Streams: memory stays flat whatever the size. For bench.py --pcapng: pcapng is what
dumpcap, Wireshark and tshark write."""
import struct
import sys


def block(kind, body):
    body += b"\0" * (-len(body) % 4)
    return struct.pack("<II", kind, 12 + len(body)) + body + struct.pack("<I", 12 + len(body))


def convert(src, dst):
    with open(src, "rb") as f, open(dst, "wb", buffering=1 << 20) as out:
        magic, _, _, _, _, snaplen, linktype = struct.unpack("<IHHiIII", f.read(24))
        if magic not in (0xA1B2C3D4, 0xA1B23C4D):
            sys.exit("%s: not a little-endian classic pcap file" % src)
        nanoseconds = magic == 0xA1B23C4D
        out.write(block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1)))
        options = struct.pack("<HHB3x", 9, 1, 9) + struct.pack("<HH", 0, 0) if nanoseconds else b""
        out.write(block(1, struct.pack("<HHI", linktype, 0, snaplen) + options))
        per_second = 1_000_000_000 if nanoseconds else 1_000_000
        while True:
            h = f.read(16)
            if len(h) < 16:
                return
            sec, frac, caplen, length = struct.unpack("<IIII", h)
            ticks = sec * per_second + frac
            out.write(block(6, struct.pack("<IIIII", 0, ticks >> 32, ticks & 0xFFFFFFFF, caplen, length) +
                            f.read(caplen)))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    convert(sys.argv[1], sys.argv[2])
