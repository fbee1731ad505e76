#!/usr/bin/python3
"""End-to-end tests of the real `quartet` binary on the captures scenarios.py
builds. Usage: run_e2e.py QUARTET WORKDIR CASE. Every value asserted here
follows from how scenarios.py built the packets."""
import json
import os
import re
import struct
import subprocess
import sys

import scenarios

QUARTET, WORKDIR, CASE = sys.argv[1], sys.argv[2], sys.argv[3]


def run(*args, stdin=None):
    r = subprocess.run([QUARTET, *args], capture_output=True, stdin=stdin, timeout=120)
    return r.returncode, r.stdout.decode(), r.stderr.decode()


def jsonl(*args, stdin=None):
    code, out, err = run("--format", "jsonl", *args, stdin=stdin)
    objs = [json.loads(line) for line in out.splitlines()]
    return code, objs, err


def by_type(objs, t):
    return [o for o in objs if o["type"] == t]


def messages(objs, session):
    return [o for o in objs if o["type"] == "message" and o["session"] == session]


def expect(cond, what):
    if not cond:
        raise AssertionError(what)


def eq(a, b, what=""):
    if a != b:
        raise AssertionError(f"{what}: {a!r} != {b!r}")


P = None


def case_mixed_jsonl():
    code, objs, err = jsonl(P["mixed"])
    eq(code, 0, "exit")
    sessions = by_type(objs, "session")
    eq([s["protocol"] for s in sessions], ["RRP", "IAP", "SP", "SP", "SP"], "protocols in order of first packet")
    eq([s["id"] for s in sessions], sorted(s["id"] for s in sessions), "ids ascending")
    rrp, iap, req, sub1, sub2 = sessions
    eq(rrp["client"], {"ip": "10.0.0.1", "port": 40001}, "rrp client")
    eq(rrp["server"], {"ip": "10.0.0.2", "port": 7000}, "rrp server")
    eq(rrp["messages"], {"client": 3, "server": 4}, "rrp messages")
    eq(rrp["bytes"]["client"], len(scenarios.RRP_SESSION + scenarios.RRP_CHECK + scenarios.RRP_QUIT), "rrp client bytes")
    eq(rrp["state"], "closed", "rrp state")
    eq(rrp["closed_by"], "server", "rrp closed by")
    eq(rrp["detected_by"], "heuristic", "rrp detected")
    eq(rrp["missing_bytes"], 0, "rrp missing")
    eq(rrp["warnings"], [], "rrp warnings")
    m = messages(objs, rrp["id"])
    eq([x["name"] for x in m], ["greeting", "session", "200", "check", "210", "quit", "220"], "rrp names")
    eq([x["index"] for x in m], list(range(7)), "rrp indexes")
    eq([x["from"] for x in m], ["server", "client", "server", "client", "server", "client", "server"], "rrp from")
    eq(m[2]["response_to"], 1, "200 answers session")
    eq(m[2]["latency"], 0.003, "200 latency")
    eq(m[6]["response_to"], 5, "220 answers quit")
    eq(m[6]["latency"], 0.001, "220 latency")
    eq(m[0]["response_to"], None, "greeting answers nothing")
    eq(m[1]["fields"]["option.password"], "********", "password masked")
    eq(m[1]["fields"]["option.name"], ["Id", "Password"], "repeated field as array")
    eq(m[1]["ts"], 1700000000.0022, "ts")

    eq(iap["server"]["port"], 4720, "iap port")
    eq(iap["detected_by"], "port", "iap detected by port")
    eq(iap["tls"]["handoff"], True, "iap TLS hand-off")
    eq(iap["tls"]["sni"], "ids.example.org", "iap sni")
    eq(iap["tls"]["cipher"], "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "iap cipher")
    eq(iap["tls"]["application_records"], 1, "iap app records")
    mi = messages(objs, iap["id"])
    eq([x["name"] for x in mi], ["CONNECT", "200", "Upgrade", "101"], "iap names")
    eq([x["response_to"] for x in mi], [None, 0, None, 2], "iap pairing")
    ev = [o for o in by_type(objs, "event") if o["session"] == iap["id"]]
    kinds = [e["kind"] for e in ev]
    expect("tls_start" in kinds, "iap tls_start event")
    expect(kinds.index("tls_start") > kinds.index("phase"), "tls_start after the phase change")
    tls_texts = [e["text"] for e in ev if e["kind"] == "tls"]
    eq(tls_texts[0], "TLS ClientHello TLS 1.2, SNI ids.example.org, offers TLS 1.3/TLS 1.2, 2 cipher suites", "hello")
    eq([e["kind"] for e in ev[:1]], ["tcp_open"], "first event is tcp_open")
    eq(ev[-1]["kind"], "tcp_close", "last event is tcp_close")

    mr = messages(objs, req["id"])
    eq(len(mr), 8, "sp req/rep messages")
    eq([x["response_to"] for x in mr if x["from"] == "server"][1:], [2, 4, 6], "sp reply pairing")
    eq([x["latency"] for x in mr if x["response_to"] is not None and x["index"] > 1], [0.0005] * 3, "sp latency")

    eq(sub1["messages"]["server"], 5, "publisher header + 4")
    eq(sub2["messages"]["server"], 6, "publisher header + 5")
    summary = by_type(objs, "summary")
    eq(len(summary), 1, "one summary")
    s = summary[0]
    eq(s["tcp_connections"], 7, "connections")
    eq(s["other_connections"], 2, "ssh + junk are not ours")
    eq(s["protocols"]["SP"]["sessions"], 3, "sp sessions")
    eq([(f["subscriber"]["port"], f["messages"]) for f in s["fanout"]], [(40004, 4), (40005, 5)], "fan-out")
    eq({f["publisher"]["ip"] for f in s["fanout"]}, {"10.0.0.7"}, "publisher")


def case_mixed_text():
    code, out, err = run(P["mixed"])
    eq(code, 0, "exit")
    lines = out.splitlines()
    headers = [l for l in lines if l.startswith("#")]
    eq(len(headers), 5, "one header per session")
    hdr = re.compile(r"^#(\d+) (RRP|IAP|SP|COPS)(\+TLS|/TLS)?  (\S+) → (\S+)  start (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}) UTC"
                     r"  duration (\d+\.\d{6}) s  (\S.*?)  messages (\d+)→ (\d+)←")
    parsed = [hdr.match(h) for h in headers]
    expect(all(parsed), "header format: " + repr(headers))
    eq(parsed[0].group(2), "RRP", "first session")
    eq(parsed[0].group(4), "10.0.0.1:40001", "client")
    eq(parsed[0].group(6), "2023-11-14 22:13:20.000000", "start")
    eq(parsed[1].group(3), "+TLS", "IAP upgraded to TLS")
    body = re.compile(r"^ +\+\d+\.\d{6} (→|←|·)  \S")
    in_session = False
    for l in lines:
        if l.startswith("#"):
            in_session = True
        elif l == "":
            in_session = False
        elif in_session:
            expect(body.match(l), "timeline line format: " + repr(l))
    expect(any("(answers [1] after 3.000 ms)" in l for l in lines), "latency shown")
    expect(any(l.startswith("== summary: 7 TCP connections, 5 sessions shown, 2 other") for l in lines), "summary")
    expect(any("→ subscriber 10.0.0.8:40005 (#5): 5 messages" in l for l in lines), "fan-out line")


def case_summary():
    code, out, err = run("--summary", P["mixed"])
    eq(code, 0, "exit")
    sessions = [l for l in out.splitlines() if l.startswith("#")]
    eq(len(sessions), 5, "one line per session")
    expect(not any(l.startswith("  ") and "+0." in l for l in out.splitlines()), "no timeline lines")
    code, objs, err = jsonl("--summary", P["mixed"])
    eq({o["type"] for o in objs}, {"session", "summary"}, "jsonl summary: sessions only")


def case_protocol_filter():
    code, objs, err = jsonl("--protocol", "sp", P["mixed"])
    eq(code, 0, "exit")
    eq(err, "", "stderr")
    eq([s["protocol"] for s in by_type(objs, "session")], ["SP"] * 3, "only SP")
    eq({o["session"] for o in by_type(objs, "message")}, {3, 4, 5}, "messages of SP sessions only")


def case_bpf():
    code, objs, err = jsonl("-f", "tcp port 4720", P["mixed"])
    eq(code, 0, "exit")
    eq([s["protocol"] for s in by_type(objs, "session")], ["IAP"], "BPF keeps the IAP connection")
    eq(by_type(objs, "summary")[0]["tcp_connections"], 1, "one connection seen")
    code, out, err = run("-f", "tcp port nonsense(", P["mixed"])
    eq(code, 2, "bad filter exit")
    eq(len(err.strip().splitlines()), 1, "one-line error")


def case_decode_as():
    # Port 5555 forced to SP: detection says so; port 7000 forced to IAP is wrong
    # on purpose: the RRP bytes then fail IAP framing and are reported, not dropped.
    code, objs, err = jsonl("--decode-as", "sp=5555", "--decode-as", "iapx=7000", P["mixed"])
    # Protocol problems are findings, not a damaged capture: exit 0 (1 is for truncation).
    eq(code, 0, "exit")
    sessions = by_type(objs, "session")
    eq(sessions[2]["detected_by"], "decode-as", "sp by decode-as")
    eq(sessions[0]["protocol"], "IAP", "port 7000 forced to IAP")
    expect(len(sessions[0]["warnings"]) > 0, "IAP on RRP bytes gives warnings")


def case_stdin():
    with open(P["mixed"], "rb") as f:
        code, objs, err = jsonl("-", stdin=f)
    eq(code, 0, "exit")
    eq(len(by_type(objs, "session")), 5, "sessions from stdin")


def case_pipes():
    """A capture through a pipe or FIFO given by name (/dev/stdin, a shell's <(...), mkfifo) reads
    as the file does, alone and merged with a regular file, with one thread and with two."""
    with open(P["mixed"], "rb") as f:
        data = f.read()
    code, whole, err = jsonl(P["mixed"])
    eq(code, 0, "file exit")
    eq(len(by_type(whole, "session")), 5, "sessions from the file")
    strip = lambda objs: [o for o in objs if o["type"] in ("session", "message")]  # noqa: E731
    for threads in ("1", "2"):
        r = subprocess.run([QUARTET, "--format", "jsonl", "--threads", threads, "/dev/stdin"], input=data,
                           capture_output=True, timeout=120)
        eq((r.returncode, r.stderr.decode()), (0, ""), "/dev/stdin from a pipe")
        eq([json.loads(line) for line in r.stdout.decode().splitlines()], whole, "/dev/stdin = the file")
        fifo = os.path.join(WORKDIR, CASE, "capture.fifo")
        if os.path.exists(fifo):
            os.remove(fifo)
        os.mkfifo(fifo)
        writer = subprocess.Popen(["/bin/sh", "-c", 'cat "$1" > "$2"', "sh", P["half_a"], fifo])
        code, merged, err = jsonl("--threads", threads, P["half_b"], fifo)
        writer.wait(timeout=60)
        eq((code, err), (0, ""), "a FIFO merged with a file")
        eq(strip(merged), strip(whole), "FIFO + file = one capture")


def case_live():
    """A capture read from a pipe while it is made (tcpdump -U -w - | quartet -): a session is written
    once it has closed, while the pipe stays open; Ctrl-C (SIGINT) or SIGTERM stops the reading and
    writes what was read, a connection still open as "open"; a second signal ends it at once."""
    import fcntl
    import select
    import signal
    import termios
    import time

    from pcapgen import MS, Pcap

    first, second, third = Pcap(), Pcap(), Pcap()
    end = scenarios.rrp_session(first, ("10.0.0.1", 40001), ("10.0.0.2", 648), scenarios.T0)
    end = scenarios.rrp_session(second, ("10.0.0.3", 40003), ("10.0.0.4", 648), end + 100 * MS)
    open_conn = scenarios.Conn(third, ("10.0.0.5", 40005), ("10.0.0.6", 648))
    open_conn.send("s", scenarios.RRP_BANNER, open_conn.handshake(end + 100 * MS) + MS)
    header = 24

    class Lines:  # quartet's output as it comes: a line, or a failure after `seconds` without one
        def __init__(self, stream):
            self.fd, self.buf = stream.fileno(), b""

        def next(self, seconds=20):
            while b"\n" not in self.buf:
                ready, _, _ = select.select([self.fd], [], [], seconds)
                expect(ready, "a line within %d s while the pipe is open" % seconds)
                more = os.read(self.fd, 65536)
                expect(more, "a line before the end of the output")
                self.buf += more
            line, self.buf = self.buf.split(b"\n", 1)
            return json.loads(line)

        def rest(self, more):
            return [json.loads(line) for line in (self.buf + more).decode().splitlines()]

    def unread(pipe):  # bytes written to the pipe that quartet has not read yet
        return struct.unpack("i", fcntl.ioctl(pipe.fileno(), termios.FIONREAD, b"\0\0\0\0"))[0]

    for threads in ("1", "2"):
        for sig in (signal.SIGINT, signal.SIGTERM):
            q = subprocess.Popen([QUARTET, "--format", "jsonl", "--threads", threads, "-"], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            lines = Lines(q.stdout)
            q.stdin.write(first.to_bytes())
            q.stdin.flush()
            s1 = lines.next()
            eq((s1["type"], s1["id"], s1["state"], s1["client"]["ip"]), ("session", 1, "closed", "10.0.0.1"),
               "session 1 written while the pipe is open")
            while s1.get("type") != "event" or s1.get("kind") != "tcp_close":
                s1 = lines.next()  # the rest of its lines, up to its closing
            q.stdin.write(second.to_bytes()[header:] + third.to_bytes()[header:])
            q.stdin.flush()
            s2 = lines.next()
            eq((s2["type"], s2["id"], s2["state"]), ("session", 2, "closed"), "session 2 as it closed")
            deadline = time.monotonic() + 20
            while unread(q.stdin) and time.monotonic() < deadline:
                time.sleep(0.01)
            eq(unread(q.stdin), 0, "quartet read the open connection's packets")
            q.send_signal(sig)
            out, err = q.communicate(timeout=60)
            rest = lines.rest(out)
            eq(q.returncode, 0, "exit after %s" % sig.name)
            sessions = by_type(rest, "session")
            eq([(o["id"], o["state"], o["client"]["ip"]) for o in sessions], [(3, "open", "10.0.0.5")],
               "the open connection, written at the stop")
            summary = by_type(rest, "summary")
            eq((len(summary), summary[0]["sessions"] if summary else None), (1, 3), "the summary counts all three")
            expect("quartet: interrupted: stopped reading after" in err.decode(), "says it was interrupted")
    # A second signal ends it at once, as without quartet's handler: killed by it. Both are sent while
    # quartet is stopped, so both are pending when it goes on (two of one kind would be one).
    for threads in ("1", "2"):
        q = subprocess.Popen([QUARTET, "--format", "jsonl", "--threads", threads, "-"], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        q.stdin.write(first.to_bytes())
        q.stdin.flush()
        Lines(q.stdout).next()
        for sig in (signal.SIGSTOP, signal.SIGINT, signal.SIGTERM, signal.SIGCONT):
            q.send_signal(sig)
        q.communicate(timeout=60)
        expect(q.returncode in (-signal.SIGINT, -signal.SIGTERM), "two signals end it: %r" % q.returncode)
    # A signal ignored when quartet starts (a script's background job) stays ignored: the run goes on
    # to the end of its input.
    q = subprocess.Popen([QUARTET, "--format", "jsonl", "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    lines = Lines(q.stdout)
    q.stdin.write(first.to_bytes())
    q.stdin.flush()
    lines.next()
    q.send_signal(signal.SIGINT)
    q.stdin.write(second.to_bytes()[header:])
    out, err = q.communicate(timeout=60)  # closes the pipe: the end of the input
    eq((q.returncode, err.decode()), (0, ""), "SIGINT ignored from the start")
    eq([o["id"] for o in by_type(lines.rest(out), "session")], [2], "the input read to its end")


def case_output_file():
    path = os.path.join(WORKDIR, "out.jsonl")
    code, out, err = run("-F", "jsonl", "-o", path, P["mixed"])
    eq(code, 0, "exit")
    eq(out, "", "nothing on stdout")
    objs = [json.loads(l) for l in open(path)]
    eq(len(by_type(objs, "session")), 5, "sessions in the file")
    # -o naming one of the captures (itself, or through a link) is refused before the file is touched.
    with open(P["mixed"], "rb") as f:
        before = f.read()
    link = os.path.join(WORKDIR, CASE, "link.pcap")
    if os.path.lexists(link):
        os.remove(link)
    os.symlink(P["mixed"], link)
    for target in (P["mixed"], link):
        code, out, err = run("-o", target, P["half_a"], P["mixed"])
        eq(code, 2, "exit when -o is a capture")
        eq(err, "quartet: -o %s would overwrite the capture %s\n" % (target, P["mixed"]), "message")
        with open(P["mixed"], "rb") as f:
            eq(f.read() == before, True, "the capture is untouched")
    keys = os.path.join(WORKDIR, CASE, "keys.txt")
    with open(keys, "w") as f:
        f.write("# no secrets\n")
    code, out, err = run("--keylog", keys, "-o", keys, P["mixed"])
    eq((code, err), (2, "quartet: -o %s would overwrite the key log %s\n" % (keys, keys)), "-o is the key log")
    eq(open(keys).read(), "# no secrets\n", "the key log is untouched")


def case_output_errors():
    """Output that cannot be written (a full disk: /dev/full) ends in a message and exit 2, whether the
    sessions are small (written through stdio) or one is long (its JSONL goes out in 64 KiB chunks past
    stdio's buffer), with one thread and two; written to a file or a pipe, the long session's lines are
    whole and in order."""
    from pcapgen import MS, Pcap

    p = Pcap()
    req = scenarios.Conn(p, ("10.0.0.5", 40003), ("10.0.0.6", 5555))
    t = req.handshake(scenarios.T0)
    req.send("c", scenarios.sp_header(0x30), t + 1 * MS)
    req.send("s", scenarios.sp_header(0x31), t + 2 * MS)
    count = 600
    for i in range(count):
        rid = struct.pack("!I", 0x80000001 + i)
        req.send("c", scenarios.sp_msg(rid + b"request number %d" % i), t + (3 + 2 * i) * MS)
        req.send("s", scenarios.sp_msg(rid + b"reply number %d" % i), t + (4 + 2 * i) * MS)
    req.close(t + (5 + 2 * count) * MS)
    long_session = os.path.join(WORKDIR, CASE, "long_session.pcap")
    os.makedirs(os.path.dirname(long_session), exist_ok=True)
    p.write(long_session)

    for threads in ("1", "2"):
        code, objs, err = jsonl("--threads", threads, long_session)
        eq((code, err), (0, ""), "long session, --threads " + threads)
        msgs = by_type(objs, "message")
        eq(len(msgs), 2 + 2 * count, "the two SP headers and every message, --threads " + threads)
        eq([m["summary"] for m in msgs[2:6]],
           ['REQ id=0x80000001 16 bytes "request number 0"', 'REP id=0x80000001 14 bytes "reply number 0"',
            'REQ id=0x80000002 16 bytes "request number 1"', 'REP id=0x80000002 14 bytes "reply number 1"'],
           "the first messages, in order")
        eq(msgs[-1]["summary"], 'REP id=0x%08x 16 bytes "reply number %d"' % (0x80000000 + count, count - 1),
           "the last message")
        whole = subprocess.run([QUARTET, "--format", "jsonl", "--threads", threads, long_session],
                               capture_output=True, timeout=120).stdout
        expect(len(whole) > 4 * 65536, "the session's JSONL spans several 64 KiB chunks (%d bytes)" % len(whole))
        piped = subprocess.run(["/bin/sh", "-c", '"$1" --format jsonl --threads "$2" "$3" | cat', "sh", QUARTET,
                                threads, long_session], capture_output=True, timeout=120).stdout
        eq(piped == whole, True, "through a pipe, byte for byte")
        for capture in (P["mixed"], long_session):
            with open("/dev/full", "w") as full:
                r = subprocess.run([QUARTET, "--format", "jsonl", "--threads", threads, capture], stdout=full,
                                   stderr=subprocess.PIPE, timeout=120)
            eq((r.returncode, r.stderr.decode()), (2, "quartet: error writing the output\n"),
               "/dev/full, %s, --threads %s" % (os.path.basename(capture), threads))


def case_multi_file():
    """Two files holding alternate packets, and a gzip-compressed copy, give the same sessions as the original."""
    code, whole, err = jsonl(P["mixed"])
    code2, merged, err2 = jsonl(P["half_b"], P["half_a"])
    eq(code2, 0, "exit")
    strip = lambda objs: [o for o in objs if o["type"] in ("session", "message")]  # noqa: E731
    eq(strip(merged), strip(whole), "merged files = one capture")
    code3, unzipped, err3 = jsonl(P["gzip"])
    eq(code3, 0, "gzip exit")
    eq(unzipped, whole, "gzip read directly")


def case_messy():
    """Reordered and retransmitted segments give the same messages, pairing and counts."""
    code, clean, err = jsonl(P["mixed"])
    code2, messy, err2 = jsonl(P["messy"])
    eq(code2, 0, "exit")
    key = lambda objs: [(o["session"], o["index"], o["from"], o["name"], o["response_to"])  # noqa: E731
                        for o in objs if o["type"] == "message"]
    eq(key(messy), key(clean), "messages")
    counts = lambda objs: [(s["protocol"], s["messages"], s["bytes"], s["missing_bytes"], s["warnings"])  # noqa: E731
                           for s in by_type(objs, "session")]
    eq(counts(messy), counts(clean), "sessions")


def case_nanoseconds():
    code, out, err = run("--format", "jsonl", P["nanos"])
    eq(code, 0, "exit")
    first = out.splitlines()[0]
    expect('"start":1700000000.123456789' in first, "9 decimals: " + first[:300])
    objs = [json.loads(l) for l in out.splitlines()]
    m = messages(objs, 1)
    expect(re.search(r'"latency":0\.003000000', out), "latency with 9 decimals")
    eq(m[2]["response_to"], 1, "pairing")
    code, text, err = run(P["nanos"])
    expect("start 2023-11-14 22:13:20.123456789 UTC" in text, "text start with ns")


def case_gap():
    code, objs, err = jsonl(P["gap"])
    eq(code, 0, "gaps are findings, not errors")
    s = by_type(objs, "session")[0]
    eq(s["missing_bytes"], 10, "one 10-byte segment lost")
    expect(any("gap of 10 bytes" in w for w in s["warnings"]), "gap warning")
    expect(any("resynchronised" in w for w in s["warnings"]), "resync warning")
    gaps = [o for o in by_type(objs, "event") if o["kind"] == "gap"]
    eq(len(gaps), 1, "one gap event")
    eq(gaps[0]["from"], "client", "gap in the client direction")
    m = messages(objs, 1)
    eq([x["name"] for x in m], ["greeting", "session", "200", "210", "quit", "220"], "the cut request is not invented")
    eq(m[3]["response_to"], None, "the 210 answers nothing we saw")
    eq(m[5]["response_to"], 4, "decoding resumed after the gap: 220 answers quit")
    eq(m[5]["latency"], 0.001, "latency")


def case_tls_port():
    code, objs, err = jsonl(P["tls648"])
    eq(code, 0, "exit")
    s = by_type(objs, "session")[0]
    eq(s["protocol"], "RRP", "648 is RRP over TLS")
    eq(s["detected_by"], "port", "by port")
    eq(s["state"], "reset", "reset")
    eq(s["closed_by"], "client", "reset by client")
    t = s["tls"]
    eq(t["handoff"], False, "TLS from the start")
    eq(t["sni"], "rrp.registry.example", "sni")
    eq(t["version"], "TLS 1.2", "version")
    eq(t["cipher"], "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "cipher")
    eq(t["subject"], "CN=rrp.registry.example,O=Registry", "certificate subject")
    eq(t["application_records"], 2, "records")
    texts = [o["text"] for o in by_type(objs, "event") if o["kind"] == "tls"]
    expect("TLS encrypted alert" in texts, "alert after CCS is encrypted")


def case_truncated():
    code, objs, err = jsonl(P["truncated"])
    eq(code, 1, "truncated capture exit")
    expect("truncated" in err, "warning on stderr: " + err)
    eq(len(by_type(objs, "session")), 5, "sessions still reported")
    w = by_type(objs, "summary")[0]["capture_warnings"]
    expect(len(w) == 1 and "truncated" in w[0], "capture warning in summary")


def tunnelled_in(path):
    """Records of a little-endian Ethernet pcap whose IPv4 packet is GRE or UDP to port 4789."""
    data, pos, n = open(path, "rb").read(), 24, 0
    while pos + 16 <= len(data):
        caplen = struct.unpack("<IIII", data[pos:pos + 16])[2]
        frame = data[pos + 16:pos + 16 + caplen]
        pos += 16 + caplen
        proto = frame[14 + 9]
        n += proto == 47 or (proto == 17 and struct.unpack("!H", frame[34 + 2:34 + 4])[0] == 4789)
    return n


def case_tunnels():
    """Packets inside tunnels are not decapsulated: the clear session is decoded, the
    tunnelled one is not, and a warning counts the tunnelled packets (exit 1, as for
    frames of an unsupported link type)."""
    tunnelled = tunnelled_in(P["tunnels"])
    expect(tunnelled > 10, "the capture has a whole session in GRE and a VXLAN packet: %d" % tunnelled)
    for threads in ("1", "2"):
        code, objs, err = jsonl("--threads", threads, P["tunnels"])
        eq(code, 1, "exit with a capture warning")
        sessions = by_type(objs, "session")
        eq([(s["client"]["ip"], s["protocol"]) for s in sessions], [("10.0.0.5", "RRP")], "only the clear session")
        w = by_type(objs, "summary")[0]["capture_warnings"]
        eq(len(w), 1, "one capture warning: %r" % w)
        expect(w[0].startswith("%d packets inside tunnels (IP in IP, GRE, VXLAN, Geneve, GTP-U) skipped"
                               % tunnelled), w[0])
        expect(w[0].endswith(": GRE)"), "names the first one's tunnel: " + w[0])
        expect("packets inside tunnels" in err, "said on stderr too: " + err)


def case_bad_inputs():
    code, out, err = run(P["garbage"])
    eq(code, 2, "unknown format exit")
    eq(len(err.strip().splitlines()), 1, "one line")
    expect(P["garbage"] in err, "names the file")
    missing = os.path.join(WORKDIR, "does-not-exist.pcap")
    code, out, err = run(missing)
    eq(code, 2, "missing file exit")
    expect(missing in err, "names the file")
    code, out, err = run("--bogus", P["mixed"])
    eq(code, 2, "bad option")
    code, out, err = run()
    eq(code, 2, "no file")
    code, out, err = run("--help")
    eq(code, 0, "help")
    expect("Exit status" in out and "--decode-as" in out, "help text")
    code, out, err = run("--version")
    expect(code == 0 and out.startswith("quartet "), "version")


CAPTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "captures")


def case_captures_sp():
    """Real nanomsg/nng traffic from captures/sp (made by captures/make_sp.sh)."""
    sp = os.path.join(CAPTURES, "sp")
    code, objs, err = jsonl(os.path.join(sp, "sp-reqrep.pcap"))
    eq(code, 0, "exit")
    sessions = by_type(objs, "session")
    eq([s["messages"] for s in sessions], [{"client": 5, "server": 5}, {"client": 3, "server": 3}], "req/rep counts")
    m = messages(objs, sessions[0]["id"])
    eq([x["name"] for x in m[:4]], ["header", "header", "REQ", "REP"], "names")
    eq([x["response_to"] for x in m if x["from"] == "server"], [None, 2, 4, 6, 8], "each REP answers its REQ")
    expect(all(x["latency"] > 0 for x in m if x["response_to"] is not None), "latencies positive")

    code, objs, err = jsonl(os.path.join(sp, "sp-pubsub.pcap"))
    fan = by_type(objs, "summary")[0]["fanout"]
    eq(len(fan), 3, "three subscriber connections")
    eq({f["publisher"]["port"] for f in fan}, {5557}, "one publisher")
    eq([f["messages"] for f in fan], [2, 2, 2], "two published messages to each")
    code, objs, err = jsonl("--summary", os.path.join(sp, "sp-pubsub.pcap"))
    eq(by_type(objs, "summary")[0]["fanout"], fan, "--summary keeps no timeline but the same fan-out")

    code, objs, err = jsonl(os.path.join(sp, "sp-reqrep-ipv6.pcapng"))
    eq(by_type(objs, "session")[0]["client"]["ip"], "::1", "IPv6 endpoint")

    code, objs, err = jsonl(os.path.join(sp, "sp-tls-nng.pcapng"))
    eq(len(by_type(objs, "session")), 0, "SP over TLS has no port: not recognised without --decode-as")
    code, objs, err = jsonl("-d", "sp=5566", os.path.join(sp, "sp-tls-nng.pcapng"))
    s = by_type(objs, "session")[0]
    eq(s["tls"]["handoff"], False, "TLS from the first byte")
    eq(s["tls"]["sni"], "127.0.0.1", "nng sends the host as SNI")
    eq(s["tls"]["cipher"], "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "cipher")
    eq(s["tls"]["subject"], "CN=localhost", "certificate")


def case_captures_cops():
    """Real COPS peers from captures/cops (made by captures/make_cops.sh)."""
    cops = os.path.join(CAPTURES, "cops")
    code, objs, err = jsonl(os.path.join(cops, "cops-pr.pcapng"))
    eq(code, 0, "exit")
    s = by_type(objs, "session")
    eq(len(s), 1, "one session")
    eq(s[0]["messages"], {"client": 10, "server": 7}, "counts")
    m = messages(objs, s[0]["id"])
    eq([x["name"] for x in m[:4]], ["OPN", "CAT", "REQ", "DEC"], "names")
    eq(m[1]["response_to"], 0, "CAT answers OPN")
    eq(m[3]["response_to"], 2, "DEC answers REQ")
    ssc = [x for x in m if x["name"] == "SSC"]
    eq(len(ssc), 1, "one SSC")
    eq(m[ssc[0]["response_to"]]["name"], "SSQ", "SSC answers the SSQ")

    code, objs, err = jsonl(os.path.join(cops, "cops-rsvp.pcap"))
    s = by_type(objs, "session")
    eq([x["detected_by"] for x in s], ["port", "heuristic"], "3288 by port, 3289 by heuristic")

    code, objs, err = jsonl(os.path.join(cops, "cops-tls.pcapng"))
    s = by_type(objs, "session")
    eq(len(s), 2, "plain refusal, then RFC 4261 TLS")
    eq(s[0]["tls"], None, "first connection stays plain")
    t = s[1]["tls"]
    eq(t["handoff"], True, "TLS after the Client-Accept")
    eq(t["sni"], "pdp.example.net", "sni")
    eq(t["version"], "TLS 1.3", "version")
    eq(t["cipher"], "TLS_AES_256_GCM_SHA384", "cipher")
    eq([x["name"] for x in messages(objs, s[1]["id"])], ["OPN", "CAT"], "only OPN and CAT in clear")


def case_captures_iap_rrp():
    """Real IAP and RRP peers from captures/iap and captures/rrp."""
    code, objs, err = jsonl(os.path.join(CAPTURES, "iap", "iap-reverse.pcap"))
    eq(code, 0, "exit")
    s = by_type(objs, "session")[0]
    eq(s["tls"]["handoff"], True, "TLS after 101")
    eq(s["tls"]["sni"], "manager.example", "sni")
    hello = [o for o in by_type(objs, "event") if o["kind"] == "tls" and "ClientHello" in o["text"]]
    eq([h["from"] for h in hello], ["server"], "the TCP responder is the TLS client (draft 3.2)")

    code, objs, err = jsonl(os.path.join(CAPTURES, "rrp", "rrp-session.pcapng"))
    s = by_type(objs, "session")[0]
    eq(s["messages"], {"client": 32, "server": 33}, "counts")
    eq(len(s["warnings"]), 5, "the five deliberate mistakes")
    logins = [m for m in by_type(objs, "message") if m["name"] == "session"]
    expect(logins and all(m["fields"]["option.password"] == "********" for m in logins), "passwords masked")
    answered = [m for m in by_type(objs, "message") if m["from"] == "server" and m["response_to"] is not None]
    eq(len(answered), 32, "every request answered")

    code, objs, err = jsonl(os.path.join(CAPTURES, "rrp", "rrp-tls.pcapng"))
    s = by_type(objs, "session")[0]
    eq((s["protocol"], s["detected_by"], s["tls"]["handoff"], s["tls"]["sni"]), ("RRP", "port", False, "rrp.example"),
       "RRP over TLS on 648")


def case_max_flows():
    """--max-flows N: with 300 connections open at once and room for 100, the 200 least
    recently active are closed as "dropped", the last 100 stay open to the end."""
    cap = os.path.join(WORKDIR, CASE, "open-300.pcap")
    subprocess.run(["/usr/bin/python3", os.path.join(os.path.dirname(CAPTURES), "bench", "gen_short_conns.py"), cap,
                    "--connections", "300", "--open"], check=True, stdout=subprocess.DEVNULL)
    code, objs, err = jsonl("--max-flows", "100", cap)
    sessions = by_type(objs, "session")
    eq(len(sessions), 300, "every connection is a session")
    eq([s["state"] for s in sessions], ["dropped"] * 200 + ["open"] * 100, "oldest dropped first")
    expect(all(s["messages"] == {"client": 1, "server": 1} for s in sessions), "keep-alives decoded before the drop")
    code, objs, err = jsonl(cap)
    eq({s["state"] for s in by_type(objs, "session")}, {"open"}, "default limit: all open")
def session_messages(objs):
    """Per session in output order: (protocol, [(from, name, summary, response_to)])."""
    out = {}
    for o in objs:
        if o["type"] == "session":
            out[o["id"]] = (o["protocol"], [])
    for o in by_type(objs, "message"):
        out[o["session"]][1].append((o["from"], o["name"], o["summary"], o["response_to"]))
    return list(out.values())


def capture_jsonl(rel, *extra):
    """quartet on a capture under captures/ (a folder: all its files, a ring buffer)."""
    if rel.endswith("/"):
        files = sorted(os.path.join(CAPTURES, rel, f) for f in os.listdir(os.path.join(CAPTURES, rel)))
    else:
        files = [os.path.join(CAPTURES, rel)]
    return jsonl("--no-progress", *extra, *files)


def case_captures_messy_expect():
    """captures/messy/EXPECT.json's analyzer claims, asserted (so that a careless golden
    regeneration cannot lock in a regression): same_messages_as (the messages, their
    pairing and summaries equal the clean capture's; several sources: as a multiset of
    sessions), gap_bytes (missing bytes and the gap warning), overlapping_segments (one
    conflict warning each), messages_missing, cut_at (exit 1 and a truncation warning),
    and the snapshot-length warning of rrp-snaplen96."""
    with open(os.path.join(CAPTURES, "messy", "EXPECT.json")) as f:
        expect_list = json.load(f)
    checked = set()
    for e in expect_list:
        name = e["file"][len("messy/"):]
        extra = []
        if "analyzer" in e.get("decode_as", {}):
            extra = ["--decode-as", e["decode_as"]["analyzer"]]
        code, objs, err = capture_jsonl(e["file"], *extra)
        sessions = by_type(objs, "session")
        warnings = [w for s in sessions for w in s["warnings"]]
        expect(code in (0, 1), "%s: exit %d %s" % (name, code, err))
        same = e.get("same_messages_as")
        if same:
            same = [same] if isinstance(same, str) else same
            want = [m for clean in same for m in session_messages(capture_jsonl(clean)[1])]
            got = session_messages(objs)
            expect(want, name + ": clean capture decodes")
            if len(same) > 1:
                want, got = sorted(want), sorted(got)
            eq(got, want, name + ": same messages as " + ", ".join(same))
            checked.add("same_messages_as")
        if "resync" in e:  # junk in the stream: skipped exactly, then the clean capture's messages
            fact = e["resync"]
            eq(session_messages(objs), session_messages(capture_jsonl(fact["clean"])[1]), name + ": messages")
            expect(any(w.endswith("resynchronised after skipping %d bytes" % fact["skipped_bytes"]) for w in warnings),
                   name + ": resync warning %r" % warnings)
            checked.add("resync")
        if "resync_after_gap" in e:  # a gap inside messages: the rest of the cut message skipped exactly
            fact = e["resync_after_gap"]
            brief = lambda ms: [(m["from"], m["name"], m["summary"]) for m in ms]  # noqa: E731
            clean = by_type(capture_jsonl(fact["clean"])[1], "message")
            lost = [m for m in clean if "%.6f" % m["ts"] in fact["lost_at"]]
            eq(len(lost), 2, name + ": the two messages the hole cuts")
            eq(brief(by_type(objs, "message")), brief(m for m in clean if m not in lost),
               name + ": the clean capture's messages but the two cut ones, in order")
            expect(any(w.endswith("resynchronised after skipping %d bytes" % fact["skipped_bytes"]) for w in warnings),
                   name + ": resync warning %r" % warnings)
            checked.add("resync_after_gap")
        if "overlapping_segments" in e:
            conflicts = [w for w in warnings if "overlap with different bytes" in w]
            eq(len(conflicts), e["overlapping_segments"], name + ": overlap warnings")
            checked.add("overlapping_segments")
        if "gap_bytes" in e:
            eq(sum(s["missing_bytes"] for s in sessions), e["gap_bytes"], name + ": missing bytes")
            expect(any("gap of %d bytes" % e["gap_bytes"] in w for w in warnings), name + ": gap warning")
            checked.add("gap_bytes")
        if "messages_missing" in e:
            clean = session_messages(capture_jsonl(e["derived_from"])[1])
            names = lambda ss: sorted(m[1] for _, ms in ss for m in ms)  # noqa: E731
            want = names(clean)
            for n in e["messages_missing"]:
                want.remove(n)
            eq(names(session_messages(objs)), want, name + ": all but " + ", ".join(e["messages_missing"]))
            checked.add("messages_missing")
        if "cut_at" in e:
            eq(code, 1, name + ": exit status of a truncated capture")
            summary = by_type(objs, "summary")[0]
            expect(any("truncated" in w for w in summary["capture_warnings"]), name + ": truncation warning")
            expect(any(o["type"] == "message" for o in objs), name + ": messages before the cut")
            checked.add("cut_at")
        if name == "rrp-snaplen96.pcap":
            summary = by_type(objs, "summary")[0]
            expect(any("snapshot length" in w for w in summary["capture_warnings"]), name + ": snaplen warning")
            expect(sum(s["missing_bytes"] for s in sessions) > 0, name + ": cut bytes reported as missing")
            complete = session_messages(capture_jsonl("rrp/rrp-session.pcapng")[1])[0][1]
            for m in session_messages(objs)[0][1]:
                expect((m[0], m[1], m[2]) in [(c[0], c[1], c[2]) for c in complete],
                       name + ": message %r decoded as a complete one of the clean capture" % (m,))
            checked.add("snaplen")
    eq(checked, {"same_messages_as", "overlapping_segments", "gap_bytes", "messages_missing", "cut_at",
                 "snaplen", "resync", "resync_after_gap"}, "claims checked")


def case_deterministic():
    """The same input gives byte-identical output: every capture under captures/ (and
    the generated mixed capture), text and JSONL, two runs each (by hand: more), one
    with a single thread and the others with three decoding threads."""
    inputs = [P["mixed"]]
    for d, _, files in os.walk(CAPTURES):
        if os.path.relpath(d, CAPTURES).split(os.sep)[0] in ("golden", "peers", "lib"):
            continue
        inputs += [os.path.join(d, f) for f in sorted(files) if ".pcap" in f]
    eq(len(inputs) > 40, True, "captures found")
    for path in inputs:
        for fmt in ("text", "jsonl"):
            first = run("--no-progress", "--threads", "1", "--format", fmt, path)
            for _ in range(int(os.environ.get("QUARTET_DETERMINISM_RUNS", "2")) - 1):
                again = run("--no-progress", "--threads", "3", "--format", fmt, path)
                if again != first:
                    raise AssertionError("%s (%s): output differs between runs" % (path, fmt))


def main():
    global P
    work = os.path.join(WORKDIR, CASE)
    os.makedirs(work, exist_ok=True)
    P = scenarios.build(work) if not CASE.startswith("captures_") else {}
    globals()["case_" + CASE]()
    print("ok", CASE)


if __name__ == "__main__":
    main()
