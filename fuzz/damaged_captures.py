#!/usr/bin/env python3
"""Damaged captures, one thread against several: a differential robustness check.

fuzz/damaged_captures.py QUARTET [--seed N] [--cases N] [--threads 2,3] CAPTURE...
fuzz/damaged_captures.py QUARTET --generate DIR [--cases N] ...   (the ctest)

Each CAPTURE (a classic pcap; over 1 MiB, so that --threads reads it ahead, pins its
chunks and steers the reader's share) is damaged CASES times, in these five ways in turn:
  cut      the file ends at a random byte;
  flip     1-64 random bits flipped past the file header;
  lie      one record's captured length overwritten (0, past the snapshot length,
           2^31-1, 2^32-1, up to 4 KiB more than it was, or a random value);
  headers  random bytes written into one packet's first 64 bytes (link, IP and TCP
           headers, lengths among them);
  stretch  a random stretch removed from the middle (records cut in two, a gap in
           every connection it crosses).
QUARTET (best an ASan+UBSan build, or a ThreadSanitizer one) then reads each
damaged copy with --threads 1 and with every count of --threads, in text, JSONL and
the HTML report; standard output, standard error and the exit status must be the
same byte for byte, with no sanitizer report and no crash. It stops at the first
difference and keeps that damaged copy; copies that passed are deleted.
With --generate, the captures are bench/'s three (the mixed one, small PDUs and
short connections), written into DIR at about 2 MB each.
"""
import argparse
import os
import random
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.join(HERE, "..", "bench")
FORMATS = (("text", []), ("jsonl", ["--format", "jsonl"]), ("html", ["--format", "html"]))
SANITIZER_MARKS = (b"ERROR: AddressSanitizer", b"ERROR: LeakSanitizer", b"runtime error:", b"WARNING: ThreadSanitizer")


def records(data):
    """(offset, captured length) of each whole record of a classic pcap."""
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        order = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        order = ">"
    else:
        sys.exit("not a classic pcap")
    out, pos = [], 24
    while pos + 16 <= len(data):
        incl = struct.unpack_from(order + "I", data, pos + 8)[0]
        if pos + 16 + incl > len(data):
            break
        out.append((pos, incl))
        pos += 16 + incl
    return order, out


KINDS = ("cut", "flip", "lie", "headers", "stretch")


def damage(data, kind, rng):
    order, recs = records(data)
    b = bytearray(data)
    if kind == "cut":
        del b[rng.randrange(24, len(b)):]
    elif kind == "flip":
        for _ in range(rng.randint(1, 64)):
            i = rng.randrange(24, len(b))
            b[i] ^= 1 << rng.randrange(8)
    elif kind == "lie":
        pos, incl = rng.choice(recs)
        snaplen = struct.unpack_from(order + "I", data, 16)[0]
        lie = rng.choice((0, snaplen + 1, 2**31 - 1, 2**32 - 1, rng.randrange(2**32), incl + rng.randint(1, 4096)))
        struct.pack_into(order + "I", b, pos + 8, lie)
    elif kind == "headers":
        pos, incl = rng.choice(recs)
        for _ in range(rng.randint(1, 8)):
            if incl:
                b[pos + 16 + rng.randrange(min(incl, 64))] = rng.randrange(256)
    else:
        start = rng.randrange(24, len(b) // 2)
        del b[start:start + rng.randrange(1, len(b) // 4)]
    return bytes(b)


def generate(folder):
    """bench/'s three captures, each over 1 MiB (read ahead with --threads)."""
    os.makedirs(folder, exist_ok=True)
    made = []
    for name, args in (("mixed", ["gen_capture.py", "--size-mb", "2"]),
                       ("small-pdus", ["gen_small_pdus.py", "--size-mb", "2"]),
                       ("short-conns", ["gen_short_conns.py", "--connections", "4000"])):
        path = os.path.join(folder, name + ".pcap")
        subprocess.run(["/usr/bin/python3", os.path.join(BENCH, args[0]), path, *args[1:]], check=True,
                       stdout=subprocess.DEVNULL)
        made.append(path)
    return made


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
        for case in range(args.cases):
            kind = KINDS[case % len(KINDS)]
            damaged = damage(data, kind, rng)
            kinds[kind] = kinds.get(kind, 0) + 1
            path = os.path.join(scratch, f"{os.path.basename(capture)}.{case}.{kind}.pcap")
            with open(path, "wb") as f:
                f.write(damaged)
            for name, fmt in FORMATS:
                rc, out, err = run(args.quartet, path, 1, fmt)
                reports = err
                problems = []
                if rc < 0 or rc > 1:
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
        print(f"{capture}: {args.cases} damaged copies passed", flush=True)
    os.rmdir(scratch)
    print(f"{compared} comparisons, all the same; damage: " +
          ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
