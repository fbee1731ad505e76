#!/usr/bin/env python3
"""Damaged captures, one thread against several: a differential robustness check.

fuzz/damaged_captures.py QUARTET [--seed N] [--cases N] [--threads 2,3] CAPTURE...
fuzz/damaged_captures.py QUARTET --generate DIR [--cases N] ...   (the ctest)

Each CAPTURE (a classic pcap over 1 MiB, so that --threads reads it ahead, pins its
chunks and steers the reader's share; or a pcapng file, read in place) is damaged
CASES times, in these five ways in turn:
  cut      the file ends at a random byte;
  flip     1-64 random bits flipped past the file header;
  lie      one packet's captured length overwritten (0, past the snapshot length,
           2^31-1, 2^32-1, up to 4 KiB more than it was, or a random value), or,
           in a pcapng file, as often its block's total length;
  headers  random bytes written into one packet's first 64 bytes (link, IP and TCP
           headers, lengths among them);
  stretch  a random stretch removed from the middle (records cut in two, a gap in
           every connection it crosses).
QUARTET (best an ASan+UBSan build, or a ThreadSanitizer one) then reads each
damaged copy with --threads 1 and with every count of --threads, in text, JSONL and
the HTML report; standard output, standard error and the exit status must be the
same byte for byte, with no sanitizer report, no crash and no exit status that
quartet does not document. It stops at the first difference and keeps that damaged
copy; copies that passed are deleted.
With --generate, the captures are bench/'s three (the mixed one, small PDUs and
short connections), written into DIR at about 2 MB each, and the mixed one again
as pcapng.
"""
import argparse
import os
import random
import struct
import subprocess
import sys
import tempfile
from typing import NamedTuple, Optional

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bench"))
import bench  # noqa: E402  (its capture generators)

FORMATS = (("text", []), ("jsonl", ["--format", "jsonl"]), ("html", ["--format", "html"]))
SANITIZER_MARKS = (b"ERROR: AddressSanitizer", b"ERROR: LeakSanitizer", b"runtime error:", b"WARNING: ThreadSanitizer")


class Packet(NamedTuple):
    """Where one whole packet's fields lie in the file."""
    caplen_at: int  # its captured length
    data_at: int  # its first byte
    caplen: int
    block_len_at: Optional[int] = None  # a pcapng block's total length


def packets(data):
    """The byte order, the snapshot length (a classic pcap's; else 0) and the whole packets of a
    classic pcap or of a pcapng file's first section (its Enhanced Packet Blocks)."""
    magic = data[:4]
    if magic == b"\x0a\x0d\x0d\x0a":
        order = "<" if data[8:12] == b"\x4d\x3c\x2b\x1a" else ">"
        out, pos = [], 0
        while pos + 12 <= len(data):
            kind, total = struct.unpack_from(order + "II", data, pos)
            if total < 12 or pos + total > len(data) or (kind == 0x0A0D0D0A and pos):
                break
            if kind == 6 and total >= 32:
                caplen = struct.unpack_from(order + "I", data, pos + 20)[0]
                if 28 + caplen <= total:
                    out.append(Packet(pos + 20, pos + 28, caplen, pos + 4))
            pos += total
        return order, 0, out
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        order = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        order = ">"
    else:
        sys.exit("neither a classic pcap nor a pcapng file")
    out, pos = [], 24
    while pos + 16 <= len(data):
        caplen = struct.unpack_from(order + "I", data, pos + 8)[0]
        if pos + 16 + caplen > len(data):
            break
        out.append(Packet(pos + 8, pos + 16, caplen))
        pos += 16 + caplen
    return order, struct.unpack_from(order + "I", data, 16)[0], out


KINDS = ("cut", "flip", "lie", "headers", "stretch")


def damage(data, layout, kind, rng):
    order, snaplen, pkts = layout
    b = bytearray(data)
    if kind == "cut":
        del b[rng.randrange(24, len(b)):]
    elif kind == "flip":
        for _ in range(rng.randint(1, 64)):
            i = rng.randrange(24, len(b))
            b[i] ^= 1 << rng.randrange(8)
    elif kind == "lie":
        p = rng.choice(pkts)
        at = p.block_len_at if p.block_len_at is not None and rng.random() < 0.5 else p.caplen_at
        lie = rng.choice((0, snaplen + 1, 2**31 - 1, 2**32 - 1, rng.randrange(2**32), p.caplen + rng.randint(1, 4096)))
        struct.pack_into(order + "I", b, at, lie)
    elif kind == "headers":
        p = rng.choice(pkts)
        for _ in range(rng.randint(1, 8)):
            if p.caplen:
                b[p.data_at + rng.randrange(min(p.caplen, 64))] = rng.randrange(256)
    else:
        start = rng.randrange(24, len(b) // 2)
        del b[start:start + rng.randrange(1, len(b) // 4)]
    return bytes(b)


def generate(folder):
    """bench/'s three captures, each over 1 MiB (read ahead with --threads), and the first as pcapng,
    made by bench.py's own generate() and pcapng_copy() (once: kept in FOLDER for the next run)."""
    os.makedirs(folder, exist_ok=True)
    sizes = argparse.Namespace(mixed_mb=2, small_mb=2, connections=4000)
    made = []
    for kind in ("mixed", "small", "conns"):
        path = os.path.join(folder, kind + ".pcap")
        bench.generate(kind, path, sizes)
        made.append(path)
    return made + [bench.pcapng_copy(made[0])]


def run(quartet, path, threads, fmt):
    p = subprocess.run([quartet, *fmt, "--threads", str(threads), path], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=600)
    return p.returncode, p.stdout, p.stderr


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("quartet")
    ap.add_argument("captures", nargs="*")
    ap.add_argument("--generate", metavar="DIR", help="damage bench/'s three captures, generated into DIR")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cases", type=int, default=40, help="damaged copies per capture")
    ap.add_argument("--threads", default="2,3", help="thread counts compared with --threads 1")
    args = ap.parse_intermixed_args()
    if args.generate:
        args.captures += generate(args.generate)
    if not args.captures:
        ap.error("no capture: name some, or --generate DIR")
    rng = random.Random(args.seed)
    counts = [int(t) for t in args.threads.split(",")]
    scratch = tempfile.mkdtemp(prefix="quartet-damaged-")
    kinds, compared = {}, 0
    for capture in args.captures:
        with open(capture, "rb") as f:
            data = f.read()
        layout = packets(data)
        if not layout[2]:
            sys.exit(f"{capture}: no whole packet to damage")
        for case in range(args.cases):
            kind = KINDS[case % len(KINDS)]
            damaged = damage(data, layout, kind, rng)
            kinds[kind] = kinds.get(kind, 0) + 1
            path = os.path.join(scratch, f"{case}.{kind}.{os.path.basename(capture)}")
            with open(path, "wb") as f:
                f.write(damaged)
            for name, fmt in FORMATS:
                rc, out, err = run(args.quartet, path, 1, fmt)
                reports = err
                problems = []
                if rc not in (0, 1, 2):  # quartet's exit statuses (docs/analyzer.md); a signal is negative
                    problems.append(f"--threads 1 exited {rc}")
                for n in counts:
                    rc_n, out_n, err_n = run(args.quartet, path, n, fmt)
                    compared += 1
                    if (rc_n, out_n, err_n) != (rc, out, err):
                        problems.append(f"--threads {n}: exit {rc_n}, {len(out_n)} + {len(err_n)} bytes against exit"
                                        f" {rc}, {len(out)} + {len(err)} bytes with one thread")
                    reports += err_n
                if any(m in reports for m in SANITIZER_MARKS):
                    problems.append("a sanitizer report:\n" + reports.decode(errors="replace")[-3000:])
                if problems:
                    print(f"FAILED: {path} ({name}):", *problems, sep="\n  ")
                    return 1
            os.remove(path)
        print(f"{capture}: {args.cases} damaged cop{'y' if args.cases == 1 else 'ies'} passed", flush=True)
    os.rmdir(scratch)
    print(f"{compared} comparisons, all the same; damage: " +
          ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
