#!/usr/bin/python3
"""jitter_latencies.py IN OUT [--max-delay-us N] [--seed S]: the packets of a classic
pcap file as a nanosecond pcap file, each packet later than the one before it by an
extra random delay of up to N µs (default 5000), added up along the file so that the
packets keep their order. A response then comes that much later after its request:
every latency becomes distinct, as in a real capture timed to the nanosecond, where
the generated captures repeat a few. For measuring the response-time table's memory
(docs/performance.md). Streams: memory stays flat whatever the size."""
import argparse
import random
import struct

CLASSIC = 0xA1B2C3D4
CLASSIC_NS = 0xA1B23C4D


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("dst")
    ap.add_argument("--max-delay-us", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    max_delay_ns = a.max_delay_us * 1000
    with open(a.src, "rb") as f, open(a.dst, "wb") as out:
        header = f.read(24)
        (magic,) = struct.unpack("<I", header[:4])
        if magic not in (CLASSIC, CLASSIC_NS):
            raise SystemExit(f"{a.src}: not a little-endian classic pcap file")
        unit = 1000 if magic == CLASSIC else 1
        out.write(struct.pack("<I", CLASSIC_NS) + header[4:])
        delay = 0
        while True:
            record = f.read(16)
            if len(record) < 16:
                break
            sec, frac, incl, orig = struct.unpack("<IIII", record)
            data = f.read(incl)
            delay += rnd.randrange(max_delay_ns + 1)
            ns = sec * 1_000_000_000 + frac * unit + delay
            out.write(struct.pack("<IIII", ns // 1_000_000_000, ns % 1_000_000_000, incl, orig))
            out.write(data)


if __name__ == "__main__":
    main()
