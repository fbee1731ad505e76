#!/usr/bin/python3
"""quartet --threads N prints byte for byte what --threads 1 prints.

    threads_test.py QUARTET WORKDIR captures    every sample capture in captures/ (with its options and
                                                key log, as golden.py runs it): JSONL, text, --summary and
                                                the HTML report, with 1, 2 and 4 decoding threads
    threads_test.py QUARTET WORKDIR generated   the e2e scenarios' captures (from standard input too) with
                                                --max-flows, --shard, --protocol and a BPF filter, and a
                                                capture that turns to nanosecond timestamps while a
                                                finished session waits behind a longer one, three
                                                sessions longer than the relays' memory, 300
                                                long-lived connections that open one at a time, and a
                                                6 MB capture of large messages (read ahead), alone,
                                                twice, and with segments retransmitted, some changed
    threads_test.py QUARTET WORKDIR memory      peak memory: --threads 2 on a small-PDU capture of
                                                long-lived connections (bench/gen_small_pdus.py, 8 MB)
                                                stays within MEMORY_BOUND_KB of --threads 1, and
                                                --threads 16 within MEMORY_PER_THREAD_KB per
                                                thread beyond two of --threads 2; a 32 MB one whose
                                                every latency is distinct within
                                                DISTINCT_LATENCIES_KB of the same as generated;
                                                the HTML report of 200,000 short connections and
                                                of the 32 MB capture within HTML_*_KB of their
                                                JSONL, with the JSONL's sessions and messages,
                                                the same page with --threads 1 and 2
Standard output, standard error and the exit status must all be the same."""
import base64
import filecmp
import gzip
import json
import os
import signal
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "captures"))
import golden  # noqa: E402
sys.path.insert(0, HERE)  # before golden's plugin helpers, which have a pcapgen of their own
import scenarios  # noqa: E402
from pcapgen import MS, Conn, Pcap  # noqa: E402
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
from peak_rss import peak_kib, under_gnu_time  # noqa: E402

QUARTET, WORKDIR, CASE = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3]
FORMATS = (["--format", "jsonl"], ["--format", "text"], ["--summary"], ["--format", "html"])


def run(args, cwd, threads, stdin_path=None):
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    try:
        r = subprocess.run([QUARTET, "--no-progress", "--threads", str(threads), *args], cwd=cwd, stdin=stdin,
                           capture_output=True, timeout=300, env=golden.clean_env())
    finally:
        if stdin_path:
            stdin.close()
    return r.returncode, r.stdout, r.stderr


def same(label, args, cwd, threads=(2, 4), stdin_path=None, status=(0, 1)):
    one = run(args, cwd, 1, stdin_path)
    if one[0] not in status:
        raise AssertionError("%s: quartet %s exited %d: %s" % (label, args, one[0], one[2].decode()))
    for n in threads:
        many = run(args, cwd, n, stdin_path)
        for what, a, b in (("exit status", one[0], many[0]), ("stderr", one[2], many[2]),
                           ("output", one[1], many[1])):
            if a != b:
                raise AssertionError("%s %s: --threads %d gives another %s than --threads 1:\n%r\n---\n%r" %
                                     (label, " ".join(args), n, what, b[-1500:], a[-1500:]))
    return one


def case_captures():
    caps = golden.captures()
    if len(caps) < 40:
        raise AssertionError("only %d sample captures found" % len(caps))
    for cap in caps:
        keys = golden.keylog_for(cap)
        args = [*golden.ANALYZER_ARGS.get(cap, []), *(["--keylog", keys] if keys else []), *golden.files_of(cap)]
        for fmt in FORMATS:
            same(cap, [*fmt, *args], golden.HERE)


def nanosecond_switch(path):
    """A long RRP session with whole-microsecond timestamps, a short one that ends inside it
    (so it waits to be written), then the long one's later packets with a nanosecond part:
    one thread writes the short session with 9 decimals, although it ended with 6."""
    p = Pcap(nanos=True)
    t0 = scenarios.T0
    scenarios.rrp_session(p, ("10.1.0.1", 41000), ("10.1.0.2", 7000), t0, pause=50 * MS + 7)
    scenarios.rrp_session(p, ("10.1.0.3", 41001), ("10.1.0.2", 7000), t0 + 1 * MS)
    scenarios.rrp_session(p, ("10.1.0.4", 41002), ("10.1.0.2", 7000), t0 + 2 * MS)
    # One more waiting session, of over 32 timeline entries: its worker keeps that timeline
    # in a file (not in memory) until it is formatted again.
    c = Conn(p, ("10.1.0.5", 41003), ("10.1.0.2", 7000))
    t = c.handshake(t0 + 3 * MS)
    c.send("s", scenarios.RRP_BANNER, t + 1 * MS)
    c.send("c", scenarios.RRP_SESSION, t + 2 * MS)
    c.send("s", scenarios.RRP_OK, t + 3 * MS)
    for i in range(20):
        c.send("c", scenarios.RRP_CHECK, t + (4 + 2 * i) * MS)
        c.send("s", scenarios.RRP_AVAILABLE, t + (5 + 2 * i) * MS)
    c.close(t + 45 * MS, first="s")
    p.write(path)


def secrets_midway(src, keys, out, at):
    """`src` (a little-endian pcapng) with the key log `keys` in a Decryption Secrets Block
    after fraction `at` of its packets, so sessions before it find no key when they start."""
    with open(src, "rb") as f:
        data = f.read()
    blocks, pos = [], 0
    while pos + 12 <= len(data):
        btype, blen = struct.unpack_from("<II", data, pos)
        if blen < 12 or pos + blen > len(data):
            raise AssertionError("%s: not a little-endian pcapng" % src)
        blocks.append((btype, data[pos:pos + blen]))
        pos += blen
    with open(keys, "rb") as f:
        secret = f.read()
    padded = secret + b"\0" * (-len(secret) % 4)
    dsb = struct.pack("<IIII", 0x0A, 20 + len(padded), 0x544C534B, len(secret)) + padded
    dsb += struct.pack("<I", 20 + len(padded))
    packets = [i for i, (t, _) in enumerate(blocks) if t in (3, 6)]
    cut = packets[int(len(packets) * at)]
    with open(out, "wb") as f:
        f.write(b"".join(b for t, b in blocks[:cut] if t != 0x0A) + dsb +
                b"".join(b for t, b in blocks[cut:] if t != 0x0A))


def with_retransmissions(src, out, every=40):
    """`src` (a classic little-endian pcap of Ethernet/IPv4/TCP) with every `every`-th segment
    of 1 KiB or more sent again one or two packets on (so within the 2 KiB the reader keeps of
    a stream, or partly), as it was or, every other time, with one byte changed. Returns how
    many were changed."""
    with open(src, "rb") as f:
        data = f.read()
    head, pos, records = data[:24], 24, []
    while pos + 16 <= len(data):
        incl = struct.unpack_from("<I", data, pos + 8)[0]
        records.append(data[pos:pos + 16 + incl])
        pos += 16 + incl
    out_records, pending, big, changed = [], [], 0, 0
    for rec in records:
        out_records.append(rec)
        pending = [(n - 1, r) for n, r in pending]
        out_records += [r for n, r in pending if n == 0]
        pending = [(n, r) for n, r in pending if n > 0]
        frame = rec[16:]
        if len(frame) < 34 or frame[12:14] != b"\x08\x00" or frame[23] != 6:
            continue
        ip_len = (frame[14] & 0x0F) * 4
        tcp_len = (frame[14 + ip_len + 12] >> 4) * 4
        payload = 14 + ip_len + tcp_len
        if len(frame) - payload < 1024:
            continue
        big += 1
        if big % every:
            continue
        again = bytearray(rec)
        if (big // every) % 2:
            again[16 + payload + (big * 7919) % (len(frame) - payload)] ^= 0x20
            changed += 1
        pending.append((1 + (big // every // 2) % 2, bytes(again)))
    with open(out, "wb") as f:
        f.write(head + b"".join(out_records) + b"".join(r for _, r in pending))
    return changed


def long_sessions(label, name, size_mb, connections, least_bytes, work):
    """`connections` long-lived connections of small PDUs (bench/gen_small_pdus.py), the same with
    --threads as with one, each session with at least `least_bytes` of JSONL messages."""
    cap = os.path.join(work, name)
    subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "bench", "gen_small_pdus.py"), cap,
                    "--size-mb", str(size_mb), "--connections", str(connections)], check=True,
                   stdout=subprocess.DEVNULL)
    _, out, _ = same(label, ["--format", "jsonl", cap], work)
    sizes = {}
    for line in out.splitlines():
        if line.startswith(b'{"type":"message"'):
            session = line.split(b'"session":', 1)[1].split(b",", 1)[0]
            sizes[session] = sizes.get(session, 0) + len(line) + 1
    if len(sizes) != connections or min(sizes.values()) < least_bytes:
        raise AssertionError("%s: expected %d sessions of at least %d bytes of JSONL, got %s" %
                             (label, connections, least_bytes, sizes))


def case_generated():
    work = os.path.join(WORKDIR, "generated")
    os.makedirs(work, exist_ok=True)
    paths = scenarios.build(work)
    switch = os.path.join(work, "ns-switch.pcap")
    nanosecond_switch(switch)
    _, text, _ = same("ns-switch", ["--format", "text", switch], work)
    # The check is only worth something if the short sessions really waited and changed precision.
    if b"start 2023-11-14 22:13:20.001000000 UTC" not in text:
        raise AssertionError("ns-switch: the waiting sessions are not shown with 9 decimals:\n" + text.decode())
    for name in ("mixed", "gap", "tls648", "truncated", "nanos"):
        path = paths[name]
        for fmt in FORMATS:
            same(name, [*fmt, path], work)
        same(name + " (stdin)", ["--format", "jsonl", "-"], work, stdin_path=path)
        for extra in (["--max-flows", "2"], ["--shard", "1/2"], ["--shard", "2/2"], ["-p", "rrp"],
                      ["-f", "tcp port 7000"]):
            same(name, ["--format", "jsonl", *extra, path], work, threads=(3,))
    # TLS secrets that arrive in the middle of the capture reach every worker at that point.
    for cap in ("tls/rrp-tls13-suites.pcapng", "tls/rrp-tls12-suites.pcapng", "cops/cops-tls.pcapng"):
        src = os.path.join(golden.HERE, cap)
        for at in (0.3, 0.6):
            path = os.path.join(work, "dsb-%s-%d.pcapng" % (os.path.basename(cap), at * 10))
            secrets_midway(src, os.path.join(golden.HERE, golden.keylog_for(cap)), path, at)
            _, out, _ = same(cap + " secrets midway", ["--format", "jsonl", path], work)
            if b'"decrypted":true' not in out:
                raise AssertionError("%s: nothing decrypted with the secrets midway" % path)
    same("bad input", ["--format", "jsonl", paths["garbage"]], work, threads=(2,), status=(2,))
    # Two sessions of a few megabytes of output each, one per worker: each is longer than the
    # output stage's read-ahead window, so it is copied out of its worker's file a chunk at a
    # time (the short sessions of the captures above go through the window).
    long_sessions("two long sessions", "two-long-sessions.pcap", 1, 2, 512 * 1024, work)
    # Three sessions each longer than the relays' whole memory (TextRelay::kMemoryBudget, 8 MiB):
    # beyond its worker's share of it, each goes through the relay's file and back, while the
    # output stage copies the sessions in their order.
    long_sessions("sessions beyond the relays' memory", "sessions-beyond-the-relays.pcap", 16, 3, 8 << 20, work)
    # Long-lived connections that open one at a time through the capture: those that open
    # while the reader decodes a share go to fewer decoding threads (FlowSpread), as the
    # threads' pace decides at each run.
    staggered = os.path.join(work, "staggered-opens.pcap")
    subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "bench", "gen_small_pdus.py"), staggered,
                    "--size-mb", "6", "--connections", "300", "--open-every", "50"],
                   check=True, stdout=subprocess.DEVNULL)
    _, out, _ = same("connections opening one at a time", ["--format", "jsonl", staggered], work)
    if out.count(b'{"type":"session"') != 300:
        raise AssertionError("connections opening one at a time: expected 300 sessions")
    # A capture over 1 MiB, read ahead by a thread of its own, of large SP messages whose
    # segments reach the workers in the chunks they were read into (pinned, not copied); and
    # the same file twice, two files read ahead at once, merged.
    big = os.path.join(work, "mixed-6mb.pcap")
    subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "bench", "gen_capture.py"), big, "--size-mb", "6"],
                   check=True, stdout=subprocess.DEVNULL)
    for fmt in FORMATS:
        same("read ahead", [*fmt, big], work)
    same("read ahead, two files", ["--format", "jsonl", big, big], work)
    # Its large segments sent again, some with a byte changed: the reader compares them with
    # the retained tail, which with threads holds views of the chunks read ahead (TailViews),
    # not copies; it must find every difference one thread finds. (Only the SP connections'
    # are compared: the bulk ones are not decoded. Measured: 10 of the 44 changed.)
    again = os.path.join(work, "mixed-6mb-retransmitted.pcap")
    changed = with_retransmissions(big, again)
    _, out, _ = same("read ahead, retransmitted", ["--format", "jsonl", again], work)
    warned = out.count(b"overlap with different bytes")
    if changed < 20 or warned < 5:
        raise AssertionError("read ahead, retransmitted: %d segments changed, %d overlap warnings" %
                             (changed, warned))


# What --threads 2 may use beyond --threads 1 (docs/analyzer.md, "Memory" under --threads): per
# worker its event batches, its share of the timeline budget, one session's timeline while it
# formats it, its thread stack and malloc arena. Measured: 5-10 MB. Before the workers handed on
# sessions without their timelines it was 70 MB on this capture (JSONL: 89 against 19 MB).
MEMORY_BOUND_KB = 24 * 1024
# What each decoding thread beyond two may add (docs/analyzer.md, the same place): the threads share
# two threads' batch bytes and events, spill write buffers and pools, and the relay's 8 MiB. Measured
# with 16 threads against 2 (JSONL / text / --summary, four runs): 4.0-4.8 / 3.2-4.9 / 1.3-2.1 MiB more;
# 7-11 / 5-6 / 2-3 MiB before the batches' events and the pools were shared, 21 / 10 / 8 MiB before the
# batches' bytes and write buffers were.
MEMORY_PER_THREAD_KB = 512
MANY_THREADS = 16
# What a capture whose every latency is distinct (bench/jitter_latencies.py: each packet delayed at
# random, timed to the nanosecond, as real captures are) may add to the same capture as generated (a
# few latencies, repeated): the response-time table keeps at most 65,536 values, a session's list is
# packed (docs/performance.md, "Ninth round"). 32 MB small-PDU capture, --summary, measured: +0.7 MiB
# with one thread, +2.1 with two; +4.9 and +9.0 MiB before (a map node per latency), growing with the file.
DISTINCT_LATENCIES_KB = 4 * 1024
# What the HTML report may add to JSONL's peak, with one and with two threads. Its sessions table goes to
# a scratch file beyond 256 kB (SpilledText), and its messages are compressed as they come
# (GzipBase64Line). With two threads the sessions wait for the output stage with their timelines (the
# report is written there whole), up to the reader's lead of openings and closings, two batches for the
# report (kHtmlControlQueueBatches). 200,000 short connections (bench/gen_short_conns.py), measured: +3.4
# MiB with one thread, +4 to +7 with two (+30 with the lead of 16 batches JSONL has); +77 and +102 MiB
# while the table was held whole (400 and 491 MB on 1,000,000 connections).
HTML_SHORT_CONNECTIONS_KB = (12 * 1024, 16 * 1024)
# The 32 MB small-PDU capture (300 sessions as long as the capture), measured: +2.7 MiB with one thread,
# below JSONL's with two; +158 MiB while a block of 256 sessions' messages was compressed at once (1.3 GB at 256 MB).
HTML_LONG_SESSIONS_KB = (12 * 1024, 16 * 1024)


def peak_rss_kb(args, out_path):
    """Runs quartet under GNU time; returns (exit status, its peak resident set in KiB: peak_rss.py)."""
    rss_path = out_path + ".rss"
    with open(out_path, "wb") as out:
        # In a session of its own, so that a timeout kills quartet too, not only GNU time (an orphaned
        # quartet went on writing the next run's output file).
        p = subprocess.Popen(under_gnu_time([QUARTET, "--no-progress", *args], rss_path),
                             stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.DEVNULL, env=golden.clean_env(),
                             start_new_session=True)
        try:
            status = p.wait(timeout=300)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
            raise AssertionError("quartet %s: no end after 300 s" % " ".join(args))
    return status, peak_kib(rss_path)


def case_memory():
    os.makedirs(WORKDIR, exist_ok=True)
    cap = os.path.join(WORKDIR, "small-pdus-8mb.pcap")
    if not os.path.exists(cap):
        subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "bench", "gen_small_pdus.py"), cap + ".tmp",
                        "--size-mb", "8"], check=True, stdout=subprocess.DEVNULL)
        os.rename(cap + ".tmp", cap)
    for fmt in (["--format", "jsonl"], ["--format", "text"], ["--summary"]):
        peaks, outputs = {}, {}
        for n in (1, 2, MANY_THREADS):
            outputs[n] = os.path.join(WORKDIR, "memory-%d.out" % n)
            status, peaks[n] = peak_rss_kb(["--threads", str(n), *fmt, cap], outputs[n])
            if status != 0:
                raise AssertionError("quartet --threads %d %s exited %d" % (n, " ".join(fmt), status))
            if n > 1 and (not filecmp.cmp(outputs[1], outputs[n], shallow=False) or os.path.getsize(outputs[1]) == 0):
                raise AssertionError("%s: --threads %d printed another output than --threads 1" % (" ".join(fmt), n))
        print("%s: peak RSS %d KiB with --threads 1, %d KiB with --threads 2, %d KiB with --threads %d" %
              (" ".join(fmt), peaks[1], peaks[2], peaks[MANY_THREADS], MANY_THREADS))
        if peaks[2] > peaks[1] + MEMORY_BOUND_KB:
            raise AssertionError("%s: --threads 2 peaks at %d KiB, more than --threads 1 (%d KiB) + %d KiB" %
                                 (" ".join(fmt), peaks[2], peaks[1], MEMORY_BOUND_KB))
        many_bound = (MANY_THREADS - 2) * MEMORY_PER_THREAD_KB
        if peaks[MANY_THREADS] > peaks[2] + many_bound:
            raise AssertionError("%s: --threads %d peaks at %d KiB, more than --threads 2 (%d KiB) + %d KiB" %
                                 (" ".join(fmt), MANY_THREADS, peaks[MANY_THREADS], peaks[2], many_bound))
    # Distinct latencies: 125,000 answered requests, each latency its own.
    plain = os.path.join(WORKDIR, "small-pdus-32mb.pcap")
    jittered = os.path.join(WORKDIR, "small-pdus-32mb-distinct-latencies.pcap")
    if not os.path.exists(jittered):
        subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "bench", "gen_small_pdus.py"), plain,
                        "--size-mb", "32"], check=True, stdout=subprocess.DEVNULL)
        subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "bench", "jitter_latencies.py"), plain,
                        jittered + ".tmp"], check=True, stdout=subprocess.DEVNULL)
        os.rename(jittered + ".tmp", jittered)
    for n in (1, 2):
        peak = {}
        for name, path in (("as generated", plain), ("distinct latencies", jittered)):
            status, peak[name] = peak_rss_kb(["--threads", str(n), "--summary", path],
                                             os.path.join(WORKDIR, "latencies-%d.out" % n))
            if status != 0:
                raise AssertionError("quartet --threads %d --summary %s exited %d" % (n, path, status))
        print("--summary --threads %d: peak RSS %d KiB as generated, %d KiB with distinct latencies" %
              (n, peak["as generated"], peak["distinct latencies"]))
        if peak["distinct latencies"] > peak["as generated"] + DISTINCT_LATENCIES_KB:
            raise AssertionError("--threads %d: distinct latencies peak at %d KiB, more than the capture as "
                                 "generated (%d KiB) + %d KiB" % (n, peak["distinct latencies"],
                                                                   peak["as generated"], DISTINCT_LATENCIES_KB))
    html_memory(plain)


def html_memory(plain_small_pdus):
    """The HTML report peaks within a bound of JSONL's, whatever the number of sessions or their length:
    200,000 short connections, and the 32 MB small-PDU capture (300 sessions as long as the capture)."""
    conns = os.path.join(WORKDIR, "short-conns-200000.pcap")
    if not os.path.exists(conns):
        subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "bench", "gen_short_conns.py"), conns + ".tmp",
                        "--connections", "200000"], check=True, stdout=subprocess.DEVNULL)
        os.rename(conns + ".tmp", conns)
    for cap, bounds in ((conns, HTML_SHORT_CONNECTIONS_KB), (plain_small_pdus, HTML_LONG_SESSIONS_KB)):
        name = os.path.basename(cap)
        pages = []
        for n, bound in zip((1, 2), bounds):
            peak, outs = {}, {}
            for fmt in ("jsonl", "html"):
                outs[fmt] = os.path.join(WORKDIR, "%s-%d.%s" % (name, n, fmt))
                status, peak[fmt] = peak_rss_kb(["--threads", str(n), "--format", fmt, cap], outs[fmt])
                if status != 0 or os.path.getsize(outs[fmt]) == 0:
                    raise AssertionError("quartet --threads %d --format %s %s exited %d" % (n, fmt, name, status))
            print("%s, --threads %d: peak RSS %d KiB as JSONL, %d KiB as HTML" % (name, n, peak["jsonl"], peak["html"]))
            if peak["html"] > peak["jsonl"] + bound:
                raise AssertionError("%s, --threads %d: the HTML report peaks at %d KiB, more than JSONL (%d KiB) + "
                                     "%d KiB" % (name, n, peak["html"], peak["jsonl"], bound))
            same_sessions_and_messages(outs["jsonl"], outs["html"], "%s, --threads %d" % (name, n))
            pages.append(outs["html"])
        # With --threads the messages are compressed on a thread of their own (GzipBase64Thread), fed 64 KiB
        # pieces gathered across sessions: the page must be the one --threads 1 writes, here over hundreds
        # of blocks (the sample captures' reports fill one or two).
        if not filecmp.cmp(pages[0], pages[1], shallow=False):
            raise AssertionError("%s: the HTML report with --threads 2 differs from --threads 1's" % name)


def same_sessions_and_messages(jsonl_path, html_path, label):
    """The report has the JSONL's sessions and, in its compressed blocks, each session's messages."""
    sessions, messages = 0, {}
    with open(jsonl_path) as f:
        for line in f:
            o = json.loads(line)
            if o["type"] == "session":
                sessions += 1
            elif o["type"] == "message":
                messages[o["session"]] = messages.get(o["session"], 0) + 1
    with open(html_path, "rb") as f:
        page = f.read()
    rows = json.loads(page.split(b'id="q-sessions">', 1)[1].split(b"</script>", 1)[0])
    blocks = [[line for line in gzip.decompress(base64.b64decode(b)).split(b"\n") if line]
              for b in page.split(b'id="q-messages">', 1)[1].split(b"</script>", 1)[0].split()]
    lines = [line for b in blocks for line in b]
    # A block ends after 256 sessions, or with the session that takes its text to 1 MiB
    # (output_html.cpp); the summary says where each starts.
    starts = json.loads(page.split(b'id="q-summary">', 1)[1].split(b"</script>", 1)[0])["blocks"]
    if starts != [sum(len(b) for b in blocks[:i]) for i in range(len(blocks))]:
        raise AssertionError("%s: the summary's block starts are not the blocks'" % label)
    for i, b in enumerate(blocks):
        size = sum(len(line) + 1 for line in b)
        full = len(b) == 256 or size >= 1 << 20
        if len(b) > 256 or size - len(b[-1]) - 1 >= 1 << 20 or (i + 1 < len(blocks) and not full):
            raise AssertionError("%s: block %d of %d has %d sessions, %d bytes" % (label, i, len(blocks), len(b), size))
    in_report = [sum(1 for e in json.loads(line) if e[0] == 0) for line in lines]
    if len(rows) != sessions or len(lines) != sessions:
        raise AssertionError("%s: %d sessions in the JSONL, %d rows and %d messages lines in the report" %
                             (label, sessions, len(rows), len(lines)))
    if in_report != [messages.get(row[0], 0) for row in rows]:
        raise AssertionError("%s: the report's messages per session differ from the JSONL's" % label)


def main():
    globals()["case_" + CASE]()
    print("ok", CASE)


if __name__ == "__main__":
    main()
