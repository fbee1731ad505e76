#!/usr/bin/python3
"""A capture for measuring the HTML report at scale: N sessions (COPS, RRP and SP
REQ/REP in turn, about ten messages each), a new one every 0.5 ms so that about a
hundred overlap. Written straight as pcap, in batches so memory stays small.

With --long-sessions N, N of them (spread evenly) are SP REQ/REP sessions of
--long-pairs request/reply pairs instead (one every millisecond), so that the
report's messages blocks are cut by size as well as by count.

    gen_report_capture.py OUT.pcap [--sessions 100000] [--long-sessions N [--long-pairs 800]]"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_capture  # noqa: E402
from gen_capture import MS, Pcap, scenarios  # noqa: E402

BATCH = 3000


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--sessions", type=int, default=100000)
    ap.add_argument("--long-sessions", type=int, default=0)
    ap.add_argument("--long-pairs", type=int, default=800)
    args = ap.parse_args()
    t0 = scenarios.T0
    every = args.sessions // args.long_sessions if args.long_sessions else 0
    # A batch's sessions end before the next batch starts: 40 ms after the last one
    # starts, or after a long session's last pair.
    pause = 40 * MS + (args.long_pairs * MS + 10 * MS if every else 0)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "wb") as f:
        for start in range(0, args.sessions, BATCH):
            # Sessions last up to ~30 ms: a batch's packets are all earlier than the next batch's
            # except for that overlap, so each batch is sorted on its own and written with a
            # pause after it.
            p = Pcap(checksums=False)
            base = t0 + (start // BATCH) * (BATCH * MS // 2 + pause)
            for i in range(start, min(args.sessions, start + BATCH)):
                t = base + (i - start) * MS // 2
                a, b = divmod(i, 250)
                cli = ("10.%d.%d.%d" % (1 + i % 3, a // 250 % 250, a % 250 + 1), 20000 + b)
                srv = ("10.200.%d.%d" % (i % 3, 1 + i % 200),)
                kind = i % 3
                if every and i % every == every // 2 and i // every < args.long_sessions:
                    gen_capture.sp_reqrep(p, cli, srv + (5555,), t, args.long_pairs)
                elif kind == 0:
                    gen_capture.cops_session(p, cli, srv + (3288,), t, i)
                elif kind == 1:
                    scenarios.rrp_session(p, cli, srv + (648,), t)
                else:
                    gen_capture.sp_reqrep(p, cli, srv + (5555,), t, 6)
            data = p.to_bytes()
            f.write(data if start == 0 else data[24:])
    print("wrote %s: %d sessions, %.1f MB" % (args.out, args.sessions, os.path.getsize(args.out) / 1e6))


if __name__ == "__main__":
    main()
