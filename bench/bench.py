#!/usr/bin/python3
"""The quartet benchmark: generates three captures and prints one table from one run.

Captures (made once in --workdir, kept for the next run):
  mixed   our four protocols among unrelated TCP traffic, with 400 kB SP messages (gen_capture.py)
  small   long-lived connections carrying small PDUs only: per-PDU cost (gen_small_pdus.py)
  conns   short COPS connections, 6 packets each: per-connection cost (gen_short_conns.py)
and, for the memory line, `conns --open`: that many connections all open at once;
then quartet's TLS decryption on a TLS-heavy capture (SP over TLS 1.3 AES-128-GCM
with its key log, gen_tls_capture.py; --tls-sessions, 0 skips it).

Rows per capture: the floor (bench/pcap_floor.c, a libpcap loop touching every
byte), quartet text, --format jsonl and --summary, tshark with the plugin
(-Y 'copsx or rrp or iapx or sp', from the registry), Debian's tcpflow (reassembly only, to the
console, as an anchor). Columns: wall seconds (best of --repeat), MB/s, packets/s,
PDUs/s (PDUs = messages quartet decodes in the capture), peak RSS, and time as a
multiple of the floor. Under each table: heap allocations per PDU of
`quartet --format jsonl` (quartet_alloc, bench/alloc_counter.c). The figures go to
README.md; no speed is asserted. With --check (the CI smoke test) the runs are also
checked for sanity, and the script exits non-zero when one fails: every run produced
output, quartet text / --format jsonl / --summary (and quartet_alloc) count the same
messages per protocol, the floor saw every packet, every table has all its rows.

Sizes default to the full benchmark (1 GB mixed, 256 MB small, 1,000,000
connections); the CI smoke test passes tiny ones.

--paired N prints, under each table, the issue's goal ratios as paired medians: two
commands run in turn N times (which goes first alternates), and the median of the N
ratios of their wall times, with the smallest and largest. A best-of-three row against
another is at the mercy of a machine whose speed drifts between runs; a pair run a
second apart shares the drift. The pairs: `quartet --format jsonl --threads 1` against
the floor (goal: at most 1.5x on the mixed and small-PDU captures, 4x on the
short-connection one), and `--format jsonl --threads 2` against `--threads 1` (goal:
at least 1.7x on two cores). For the latter it also prints the paired median of their
CPU times (user + system), what that CPU time allows (cores x the one-thread run's wall
time / the two-thread run's CPU time: the speedup if every core were busy all the time),
and how many cores the two-thread run kept busy on average (its CPU time / its wall
time). Nothing is asserted.

--pcapng adds, after the other rows, the floor and `quartet --format jsonl` on a pcapng
copy of each capture (pcap_to_pcapng.py, as `editcap -F pcapng` writes it: what dumpcap,
Wireshark and tshark write); their MB/s count the classic file's bytes (the same packets),
and their "x floor" is against the classic file's floor.

--threads 1,2,4 adds, after the other rows, each quartet row run with each number of
decoding threads, and prints under each table the speedup over --threads 1 and the
CPU time it took (and the load average: on a shared machine wall-clock speedups mean
little). Only the threads, on an idle machine:

    bench.py --quartet build/analyzer/quartet --no-tshark --no-tcpflow --idle-flows 0 \
             --tls-sessions 0 --threads 1,2,4 --mixed-mb 256 --small-mb 64 --connections 200000

    bench.py --quartet build/analyzer/quartet [--plugin build/plugin/quartet.so]
             [--workdir build/bench-data] [--mixed-mb 1000] [--small-mb 256]
             [--connections 1000000] [--idle-flows 1000000] [--captures mixed,small,conns]
             [--repeat 3] [--paired 21] [--pcapng] [--no-tshark] [--no-tcpflow] [--markdown] [--check]
"""
import argparse
import json
import os
import platform
import re
import resource
import shutil
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scripts", "lib"))
import protocol_list  # noqa: E402  (the core's registry, build/protocols.json)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PY = "/usr/bin/python3"


def count_packets(path):
    n = 0
    with open(path, "rb") as f:
        f.read(24)
        while True:
            h = f.read(16)
            if len(h) < 16:
                return n
            f.seek(struct.unpack("<IIII", h)[2], 1)
            n += 1


FAILURES = []
PRINTED = []  # titles of the tables printed, for --check


def check(ok, what):
    """--check: records a failed sanity check (reported, and the exit status set, at the end)."""
    if not ok:
        FAILURES.append(what)
        print("CHECK FAILED: " + what)


def messages_per_protocol(output, jsonl):
    """{protocol: messages} from quartet's closing summary (the JSONL summary line, or the text
    "== summary" block that text and --summary print)."""
    if jsonl:
        summary = json.loads(output.splitlines()[-1])
        return {k: v["messages"] for k, v in summary["protocols"].items() if v["sessions"] or v["messages"]}
    counts = {}
    block = output.split("\n== summary:", 1)
    for m in re.finditer(r"^\s+(\w+)\s+\d+ sessions \(\d+ TLS\), (\d+) messages,", block[-1] if len(block) > 1 else "",
                         re.M):
        counts[m.group(1)] = int(m.group(2))
    return counts


def check_quartet_outputs(label, runs):
    """--check: each (name, argv, jsonl) run once more, its stdout kept: output there, and the
    same messages per protocol in every mode. Returns the common count."""
    seen = []
    for name, argv, jsonl, env in runs:
        r = subprocess.run(argv, capture_output=True, env=env)
        out = r.stdout.decode(errors="replace")
        check(r.returncode in (0, 1) and out.strip() != "", "%s: %s printed nothing (exit %d): %s" %
              (label, name, r.returncode, r.stderr.decode(errors="replace")[:300]))
        try:
            counts = messages_per_protocol(out, jsonl)
        except (ValueError, KeyError, IndexError) as e:
            check(False, "%s: %s: no summary (%s)" % (label, name, e))
            continue
        check(sum(counts.values()) > 0, "%s: %s decoded no message" % (label, name))
        seen.append((name, counts))
    for name, counts in seen[1:]:
        check(counts == seen[0][1], "%s: messages per protocol differ: %s %s, %s %s" %
              (label, seen[0][0], seen[0][1], name, counts))
    return sum(seen[0][1].values()) if seen else 0


CPU_SECONDS = {}  # command line -> user + system seconds of its fastest run


def measure(cmd, env=None, cwd=None):
    """(wall seconds, peak RSS in bytes, exit status, stderr) of one run; its CPU
    seconds (user + system) go to measure.cpu. GNU time reports the peak RSS: a child
    forked from this Python process would count Python's pages too."""
    with tempfile.NamedTemporaryFile("r") as rss:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        r = subprocess.run(["/usr/bin/time", "-q", "-f", "%M", "-o", rss.name] + cmd,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=cwd)
        dt = time.perf_counter() - t
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        lines = rss.read().split()
    ok = len(lines) >= 1 and lines[-1].isdigit()
    peak = int(lines[-1]) * 1024 if ok else 0
    # The children's CPU to the microsecond (GNU time prints it to the hundredth of a
    # second): the command's, and GNU time's own, which is a millisecond or two.
    measure.cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return dt, peak, r.returncode, r.stderr.decode(errors="replace")


def best(cmd, repeat, ok=(0, 1), **kw):
    times, rss, cpu = [], 0, {}
    for _ in range(repeat):
        dt, peak, code, err = measure(cmd, **kw)
        if code not in ok:
            sys.exit("%s failed (%d): %s" % (" ".join(cmd), code, err[:500]))
        times.append(dt)
        cpu[dt] = measure.cpu
        rss = max(rss, peak)
    CPU_SECONDS[" ".join(cmd)] = cpu[min(times)]
    return min(times), rss


def median_range(values):
    """The median, smallest and largest of values."""
    values = sorted(values)
    return values[len(values) // 2], values[0], values[-1]


def paired(a, b, n, cores=None):
    """a and b run in turn n times, a first in even rounds and b first in odd ones: the
    median, smallest and largest of the n ratios of b's wall time over a's. With `cores`
    (a is the run of several threads, b the one-thread run) also those of a's CPU time
    over b's, and of the speedup a could reach at that CPU time if it kept `cores` cores
    busy all the time: cores x b's wall time / a's CPU time (a run cannot take less wall
    time than its CPU time over the cores it runs on), and of the cores a kept busy on
    average (its CPU time over its wall time). The speedup is the bound times the busy
    cores over `cores`. Returns the four, each a (median, smallest, largest) or None when
    not measured."""
    walls, cpus, bounds, busy = [], [], [], []
    for i in range(n):
        wall, cpu = {}, {}
        for cmd in ((a, b) if i % 2 == 0 else (b, a)):
            dt, _, code, err = measure(cmd)
            if code not in (0, 1):
                sys.exit("%s failed (%d): %s" % (" ".join(cmd), code, err[:500]))
            wall[id(cmd)], cpu[id(cmd)] = dt, measure.cpu
        walls.append(wall[id(b)] / wall[id(a)])
        if cores and cpu[id(a)] > 0 and cpu[id(b)] > 0:
            cpus.append(cpu[id(a)] / cpu[id(b)])
            bounds.append(cores * wall[id(b)] / cpu[id(a)])
            busy.append(cpu[id(a)] / wall[id(a)])
    return [median_range(x) if x else None for x in (walls, cpus, bounds, busy)]


# The goals: --format jsonl --threads 1 at most this many times the floor.
FLOOR_GOALS = {"mixed": 1.5, "small": 1.5, "conns": 4.0}
THREADS_GOAL = 1.7  # --threads 2 at least this many times faster than --threads 1


def print_goal_ratios(kind, capture, args, tools):
    """--paired N: the goal ratios of one capture as paired medians of N."""
    floor = [tools["floor"], capture]
    one = quartet_cmd(args, 1) + ["--format", "jsonl", capture]
    two = quartet_cmd(args, 2) + ["--format", "jsonl", capture]
    print()
    print("goal ratios, paired medians of %d (smallest-largest; load average %s):" %
          (args.paired, " ".join("%.2f" % x for x in os.getloadavg())))
    (med, lo, hi), _, _, _ = paired(floor, one, args.paired)
    found = [med]
    print("  %-32s %6.2fx (%.2f-%.2f)   goal: at most %.1fx" % ("jsonl --threads 1 / the floor", med, lo, hi,
                                                                FLOOR_GOALS[kind]))
    # The cores a --threads 2 run can keep busy: the machine's, at most its five threads
    # (the reader, two decoding threads, the output stage and the read-ahead).
    cores = min(os.cpu_count() or 1, 5)
    walls, cpus, bounds, busy = paired(two, one, args.paired, cores=cores)
    found.append(walls[0])
    print("  %-32s %6.2fx (%.2f-%.2f)   goal: at least %.1fx" % (("jsonl --threads 1 / --threads 2",) + walls +
                                                                 (THREADS_GOAL,)))
    # Why the second thread falls short: the CPU it adds (handing work over, waking
    # threads, caches filled on another core) bounds the speedup even with every core
    # busy; cores left idle take the rest.
    if cpus:
        print("  %-32s %6.2fx (%.2f-%.2f)   so at most %.2fx (%.2f-%.2f) on %d cores at that CPU time" %
              (("CPU --threads 2 / --threads 1",) + cpus + bounds + (cores,)))
        print("  %-32s %6.2f  (%.2f-%.2f)   of %d" % (("cores busy, --threads 2",) + busy + (cores,)))
    if args.check:
        check(all(r > 0 for r in found), "%s: paired ratios %s" % (kind, found))
        check(cpus is not None and all(r > 0 for r in cpus + bounds + busy),
              "%s: CPU ratios %s, bounds %s, busy cores %s" % (kind, cpus, bounds, busy))


def machine():
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return "%s, %d cores, %.0f GB RAM, %s %s" % (model, os.cpu_count() or 0, mem, platform.system(),
                                                  platform.release())


def generate(kind, path, args):
    if os.path.exists(path):
        return
    tmp = path + ".part"
    if kind == "mixed":
        cmd = [PY, os.path.join(HERE, "gen_capture.py"), tmp, "--size-mb", str(args.mixed_mb)]
    elif kind == "small":
        cmd = [PY, os.path.join(HERE, "gen_small_pdus.py"), tmp, "--size-mb", str(args.small_mb)]
    elif kind == "conns":
        cmd = [PY, os.path.join(HERE, "gen_short_conns.py"), tmp, "--connections", str(args.connections)]
    else:  # idle
        cmd = [PY, os.path.join(HERE, "gen_short_conns.py"), tmp, "--connections", str(args.idle_flows), "--open"]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    os.chmod(tmp, 0o644)
    os.rename(tmp, path)


def pdus_and_allocations(alloc_bin, capture):
    """PDUs quartet decodes in the capture (its JSONL summary) and heap allocations per PDU."""
    r = subprocess.run([alloc_bin, "--no-progress", "--format", "jsonl", capture], capture_output=True)
    summary = json.loads(r.stdout.splitlines()[-1])
    pdus = sum(p["messages"] for p in summary["protocols"].values())
    allocs = None
    for line in r.stderr.decode().splitlines():
        if line.startswith("quartet-alloc:"):
            allocs = int(line.split()[1])
    return pdus, allocs


def tshark_cmd(home, capture):
    # our protocols, from the core's registry ($QUARTET_PROTOCOLS or build/protocols.json)
    cmd = ["tshark", "-n", "-r", capture, "-Y", " or ".join(protocol_list.filter_names())]
    if os.geteuid() == 0:  # tshark ignores personal plugins as root: run as nobody
        cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "env", "HOME=" + home] + cmd
    return cmd


def check_floor(label, floor, capture, packets=None):
    """--check: the floor read every packet of the capture (`packets`: of a pcapng copy)."""
    r = subprocess.run([floor, capture], capture_output=True, text=True)
    fields = r.stdout.split()
    want = count_packets(capture) if packets is None else packets
    check(r.returncode == 0 and len(fields) == 3 and int(fields[0]) == want,
          "%s: pcap_floor did not read every packet: %r" % (label, r.stdout.strip()))


def rows_for(capture, args, tools):
    q = [args.quartet, "--no-progress"]
    rows = [("floor (libpcap loop, bench/pcap_floor.c)", best([tools["floor"], capture], args.repeat, ok=(0,)))]
    rows.append(("quartet (text)", best(q + [capture], args.repeat)))
    rows.append(("quartet --format jsonl", best(q + ["--format", "jsonl", capture], args.repeat)))
    rows.append(("quartet --summary", best(q + ["--summary", capture], args.repeat)))
    if tools.get("tshark_home"):
        home = tools["tshark_home"]
        rows.append(("tshark + plugin", best(tshark_cmd(home, capture), args.repeat, env=dict(os.environ, HOME=home))))
    if tools.get("tcpflow"):
        with tempfile.TemporaryDirectory() as d:
            rows.append(("tcpflow -C (reassembly to the console)",
                         best([tools["tcpflow"], "-C", "-B", "-r", capture], args.repeat, cwd=d)))
    for name, extra in QUARTET_MODES:
        for n in args.thread_counts:
            rows.append(("%s --threads %d" % (name, n), best(quartet_cmd(args, n) + extra + [capture], args.repeat)))
    if args.pcapng:
        ng = pcapng_copy(capture)
        rows.append((PCAPNG_ROWS[0], best([tools["floor"], ng], args.repeat, ok=(0,))))
        rows.append((PCAPNG_ROWS[1], best(q + ["--format", "jsonl", ng], args.repeat)))
    return rows


PCAPNG_ROWS = ("floor, pcapng copy", "quartet --format jsonl, pcapng copy")


def pcapng_copy(capture):
    """The capture as pcapng (--pcapng), made once beside it."""
    ng = capture[:-len(".pcap")] + ".pcapng"
    if not os.path.exists(ng):
        subprocess.run([PY, os.path.join(HERE, "pcap_to_pcapng.py"), capture, ng + ".part"], check=True)
        os.chmod(ng + ".part", 0o644)
        os.rename(ng + ".part", ng)
    return ng


QUARTET_MODES = (("quartet (text)", []), ("quartet --format jsonl", ["--format", "jsonl"]),
                 ("quartet --summary", ["--summary"]))


def quartet_cmd(args, threads):
    return [args.quartet, "--no-progress", "--threads", str(threads)]


def print_speedups(args, capture, rows):
    """Wall-clock speedup of each --threads N over --threads 1, and the CPU time both took."""
    if len(args.thread_counts) < 2 or 1 not in args.thread_counts:
        return
    wall = dict(rows)
    print()
    # Best of --repeat runs each: on a shared machine one slow run moves these far
    # (the 1 GB mixed capture once showed 1.92x here and 1.19x paired in the same run).
    print("decoding threads, best of %d runs each (load average %s; the paired medians are steadier):" %
          (args.repeat, " ".join("%.2f" % x for x in os.getloadavg())))
    for name, extra in QUARTET_MODES:
        one = wall["%s --threads 1" % name][0]
        cpu_one = CPU_SECONDS[" ".join(quartet_cmd(args, 1) + extra + [capture])]
        for n in args.thread_counts:
            if n == 1:
                continue
            t = wall["%s --threads %d" % (name, n)][0]
            cpu = CPU_SECONDS[" ".join(quartet_cmd(args, n) + extra + [capture])]
            if args.check:
                check(one > 0 and t > 0 and cpu_one > 0 and cpu > 0, "%s --threads %d: a time of 0 (wall %s -> %s s, "
                      "CPU %s -> %s s)" % (name, n, one, t, cpu_one, cpu))
            print("  %-24s --threads %-3d %.2fx faster (%.3f s -> %.3f s), CPU %.3f s -> %.3f s" %
                  (name, n, one / t, one, t, cpu_one, cpu))


def print_table(title, size, packets, pdus, rows, allocs, markdown, want_rows=None):
    if want_rows is not None:
        names = [name for name, _ in rows]
        check(names == want_rows, "%s: table rows %s, expected %s" % (title, names, want_rows))
        check(all(dt > 0 for _, (dt, _) in rows), "%s: a run took no time" % title)
    PRINTED.append(title)
    floor = rows[0][1][0]
    head = ("run", "s", "MB/s", "packets/s", "PDUs/s", "peak RSS MB", "× floor")
    print()
    if markdown:
        # The title line in the README's own form, so that a table is pasted whole,
        # with the capture it was measured on.
        print("**%s** (%.1f MB, {:,} packets, {:,} PDUs):".format(packets, pdus) % (title, size / 1e6))
        print()
        print("| " + " | ".join(head) + " |")
        print("|---|" + "---:|" * (len(head) - 1))
    else:
        print("%s: %.1f MB, %d packets, %d PDUs" % (title, size / 1e6, packets, pdus))
        print("%-42s %8s %9s %12s %12s %12s %8s" % head)
    for name, (dt, rss) in rows:
        cells = (name, "%.3f" % dt, "%.0f" % (size / 1e6 / dt), "%.0f" % (packets / dt), "%.0f" % (pdus / dt),
                 "%.0f" % (rss / 2**20), "%.1f" % (dt / floor))
        if markdown:
            print("| `%s` | " % cells[0] + " | ".join(cells[1:]) + " |")
        else:
            print("%-42s %8s %9s %12s %12s %12s %8s" % cells)
    if allocs is not None and pdus:
        print()
        print("heap allocations of quartet --format jsonl: %d, %.1f per PDU" % (allocs, allocs / pdus))


def main():
    ap = argparse.ArgumentParser(description="quartet benchmark (see the module docstring)")
    ap.add_argument("--quartet", required=True)
    ap.add_argument("--bench-bin", help="folder of pcap_floor and quartet_alloc (default: BUILD/bench)")
    ap.add_argument("--plugin", default=os.path.join(ROOT, "build", "plugin", "quartet.so"))
    ap.add_argument("--workdir", default=os.path.join(ROOT, "build", "bench-data"))
    ap.add_argument("--captures", default="mixed,small,conns")
    ap.add_argument("--mixed-mb", type=float, default=1000)
    ap.add_argument("--small-mb", type=float, default=256)
    ap.add_argument("--connections", type=int, default=1_000_000)
    ap.add_argument("--idle-flows", type=int, default=1_000_000, help="0: skip the idle-flow memory line")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--paired", type=int, default=0,
                    help="under each table, the goal ratios as paired medians of this many pairs (0: none)")
    ap.add_argument("--no-tshark", action="store_true")
    ap.add_argument("--no-tcpflow", action="store_true")
    ap.add_argument("--markdown", action="store_true", help="tables in Markdown (for README.md)")
    ap.add_argument("--tls-sessions", type=int, default=200, help="TLS sessions of the TLS-heavy capture (0: skip)")
    ap.add_argument("--pcapng", action="store_true",
                    help="also the floor and quartet --format jsonl on a pcapng copy of each capture")
    ap.add_argument("--threads", default="",
                    help="comma-separated --threads values: each quartet row again with each (e.g. 1,2,4)")
    ap.add_argument("--check", action="store_true",
                    help="also check the runs for sanity (see the module docstring); exit 1 when one fails")
    args = ap.parse_args()
    args.thread_counts = sorted({int(n) for n in args.threads.split(",") if n})

    bench_bin = args.bench_bin or os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(args.quartet))), "bench")
    tools = {"floor": os.path.join(bench_bin, "pcap_floor"), "alloc": os.path.join(bench_bin, "quartet_alloc")}
    for t in ("floor", "alloc"):
        if not os.path.exists(tools[t]):
            sys.exit("%s is missing: cmake --build BUILD --target bench_tools" % tools[t])
    os.makedirs(args.workdir, exist_ok=True)
    os.chmod(args.workdir, 0o755)
    if not args.no_tshark:
        if shutil.which("tshark") and os.path.exists(args.plugin):
            home = os.path.join(args.workdir, "home")
            subprocess.run([PY, os.path.join(ROOT, "tests", "e2e", "plugin", "install_plugin.py"), args.plugin, home],
                           check=True, stdout=subprocess.DEVNULL)
            tools["tshark_home"] = home
        else:
            print("tshark or the plugin (%s) is missing: tshark not measured" % args.plugin)
    if not args.no_tcpflow:
        tools["tcpflow"] = shutil.which("tcpflow")
        if not tools["tcpflow"]:
            print("tcpflow is missing (scripts/setup.sh installs it): not measured")

    print("machine: %s; load average %s" % (machine(), " ".join("%.2f" % x for x in os.getloadavg())))
    names = {"mixed": "mixed-%gMB.pcap" % args.mixed_mb, "small": "small-pdus-%gMB.pcap" % args.small_mb,
             "conns": "short-conns-%d.pcap" % args.connections}
    titles = {"mixed": "mixed capture", "small": "small-PDU capture", "conns": "short-connection capture"}
    for kind in [k for k in args.captures.split(",") if k]:
        capture = os.path.join(args.workdir, names[kind])
        generate(kind, capture, args)
        pdus, allocs = pdus_and_allocations(tools["alloc"], capture)
        rows = rows_for(capture, args, tools)
        want = None
        if args.check:
            check_floor(titles[kind], tools["floor"], capture)
            q = [args.quartet, "--no-progress"]
            n = check_quartet_outputs(titles[kind], [("text", q + [capture], False, None),
                                                     ("--format jsonl", q + ["--format", "jsonl", capture], True, None),
                                                     ("--summary", q + ["--summary", capture], False, None)])
            check(n == pdus, "%s: quartet_alloc counted %d messages, quartet %d" % (titles[kind], pdus, n))
            if args.pcapng:
                ng = pcapng_copy(capture)
                m = check_quartet_outputs(titles[kind] + " (pcapng copy)",
                                          [("--format jsonl", q + ["--format", "jsonl", ng], True, None)])
                check(m == pdus, "%s: %d messages in the pcapng copy, %d in the capture" % (titles[kind], m, pdus))
                check_floor(titles[kind] + " (pcapng copy)", tools["floor"], ng, count_packets(capture))
            check(allocs is not None, "%s: quartet_alloc reported no allocation count" % titles[kind])
            want = [name for name, _ in rows[:4]] + (["tshark + plugin"] if tools.get("tshark_home") else []) + \
                (["tcpflow -C (reassembly to the console)"] if tools.get("tcpflow") else []) + \
                ["%s --threads %d" % (name, n) for name, _ in QUARTET_MODES for n in args.thread_counts] + \
                (list(PCAPNG_ROWS) if args.pcapng else [])
            check(len(rows) >= 4 and rows[1][0] == "quartet (text)", "%s: quartet rows missing" % titles[kind])
        print_table(titles[kind], os.path.getsize(capture), count_packets(capture), pdus, rows, allocs, args.markdown,
                    want)
        print_speedups(args, capture, rows)
        if args.paired:
            print_goal_ratios(kind, capture, args, tools)

    if args.idle_flows:
        capture = os.path.join(args.workdir, "open-conns-%d.pcap" % args.idle_flows)
        generate("idle", capture, args)
        _, rss, code, _ = measure([args.quartet, "--no-progress", "--summary", capture])
        _, base, _, _ = measure([args.quartet, "--no-progress", "--summary", os.path.join(ROOT, "captures", "demo.pcapng")])
        if args.check:
            check(code in (0, 1) and rss > 0 and base > 0, "idle flows: quartet --summary failed (exit %d)" % code)
        print()
        print("idle flows: %d connections open at once, quartet --summary peak RSS %.0f MB: %.0f bytes per flow "
              "(above the %.0f MB of a tiny capture)" % (args.idle_flows, rss / 2**20, (rss - base) / args.idle_flows,
                                                          base / 2**20))

    if args.tls_sessions:
        tls_decryption(args)

    if args.check:
        want = [titles[k] for k in args.captures.split(",") if k] + \
            (["TLS-heavy capture (decrypted)"] if args.tls_sessions else [])
        check(PRINTED == want, "tables printed %s, expected %s" % (PRINTED, want))
        if FAILURES:
            sys.exit("bench.py --check: %d check(s) failed:\n  %s" % (len(FAILURES), "\n  ".join(FAILURES)))
        print()
        print("bench.py --check: every check passed")


def tls_decryption(args):
    """Every session decrypted (AES-128-GCM), every message decoded; and the same without the key."""
    capture = os.path.join(args.workdir, "tls-%d.pcap" % args.tls_sessions)
    keys = capture[:-len(".pcap")] + ".keys"
    if not os.path.exists(capture) or not os.path.exists(keys):
        subprocess.run([PY, os.path.join(HERE, "gen_tls_capture.py"), capture, keys, "--sessions",
                        str(args.tls_sessions)], check=True, stdout=subprocess.DEVNULL)
    env = {k: v for k, v in os.environ.items() if k != "SSLKEYLOGFILE"}
    q = [args.quartet, "--no-progress", "-d", "sp/tls=5600"]
    rows = [("floor (libpcap loop, bench/pcap_floor.c)",
             best([os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(args.quartet))), "bench",
                                "pcap_floor") if not args.bench_bin else os.path.join(args.bench_bin, "pcap_floor"),
                   capture], args.repeat, ok=(0,)))]
    for name, extra in (("quartet --format jsonl --keylog", ["--format", "jsonl", "--keylog", keys]),
                        ("quartet --keylog (text)", ["--keylog", keys]),
                        ("quartet --format jsonl, no key", ["--format", "jsonl"])):
        rows.append((name, best(q + extra + [capture], args.repeat, env=env)))
    r = subprocess.run(q + ["--format", "jsonl", "--keylog", keys, capture], capture_output=True, env=env)
    summary = json.loads(r.stdout.splitlines()[-1])
    pdus = sum(p["messages"] for p in summary["protocols"].values())
    want = None
    if args.check:
        title = "TLS-heavy capture"
        check(summary["protocols"]["SP"]["tls_sessions"] == args.tls_sessions,
              "%s: %s TLS sessions seen, %d generated" % (title, summary["protocols"]["SP"]["tls_sessions"],
                                                          args.tls_sessions))
        n = check_quartet_outputs(title, [("--format jsonl --keylog", q + ["--format", "jsonl", "--keylog", keys, capture],
                                           True, env),
                                          ("--keylog (text)", q + ["--keylog", keys, capture], False, env)])
        check(n == pdus, "%s: %d messages decrypted and decoded, then %d" % (title, pdus, n))
        want = [name for name, _ in rows]
        check(len(rows) == 4, "%s: rows missing" % title)
    print_table("TLS-heavy capture (decrypted)", os.path.getsize(capture), count_packets(capture), pdus, rows, None,
                args.markdown, want)


if __name__ == "__main__":
    main()
