#!/usr/bin/python3
"""--shard K/N and scripts/quartet-dask against single-process runs.

    shard_test.py QUARTET WORKDIR shards   every sample capture in captures/ (as golden.py runs it),
                                           cut into 2 shards and merged by quartet-dask's merge(),
                                           equals the single-process JSONL byte for byte
    shard_test.py QUARTET WORKDIR dask     quartet-dask on a LocalCluster of 2 workers, on a generated
                                           mixed capture (pub/sub fan-out included) read with a ring buffer
    shard_test.py QUARTET WORKDIR fanout   210,000 pub/sub connections (bench/gen_short_conns.py --sp-pubsub):
                                           one run lists the fan-out of the first 100,000 sessions and
                                           counts the rest; 2 shards (each past the limit) merged equal it
    shard_test.py QUARTET WORKDIR cluster  the same through --scheduler: a dask-scheduler and two
                                           dask-worker processes started here, as the README's recipe
                                           starts them on a real cluster (on 127.0.0.1)
Exit 77 = skipped (python3-distributed is not installed)."""
import importlib.machinery
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "captures"))
import golden  # noqa: E402

QUARTET, WORKDIR, CASE = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3]
DRIVER = os.path.join(ROOT, "scripts", "quartet-dask")


def load_driver():
    loader = importlib.machinery.SourceFileLoader("quartet_dask", DRIVER)
    spec = importlib.util.spec_from_loader("quartet_dask", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


def quartet(args, cwd):
    r = subprocess.run([QUARTET, "--format", "jsonl", "--no-progress", *args], cwd=cwd,
                       capture_output=True, timeout=120)
    if r.returncode not in (0, 1):
        raise AssertionError("quartet %s exited %d: %s" % (args, r.returncode, r.stderr.decode()))
    return r.returncode, r.stdout


def sessions_in(out):
    return sum(1 for line in out.splitlines() if line.startswith(b'{"type":"session"'))


def case_shards():
    merge = load_driver().merge
    split_somewhere = False
    for cap in golden.captures():
        args = [*golden.ANALYZER_ARGS.get(cap, []), *golden.files_of(cap)]
        code, whole = quartet(args, golden.HERE)
        parts = []
        for k in (1, 2):  # two shards: cheap enough for every capture under ASan; the Dask case uses three
            c, out = quartet(["--shard", "%d/2" % k, *args], golden.HERE)
            if c != code:
                raise AssertionError("%s: shard %d exits %d, the whole run %d" % (cap, k, c, code))
            parts.append(out)
        merged = merge(parts)
        if merged != whole:
            raise AssertionError("%s: merged shards differ from the single run:\n%s\n---\n%s" %
                                 (cap, merged.decode()[-2000:], whole.decode()[-2000:]))
        split_somewhere |= sum(1 for p in parts if sessions_in(p)) >= 2
    if not split_somewhere:
        raise AssertionError("no capture had its sessions in more than one shard: the hash does not spread")
    # Every shard reads every input, so the driver refuses a stream before it starts a cluster.
    read_fd, write_fd = os.pipe()
    try:
        for stream in ("-", "/dev/fd/%d" % read_fd):
            r = subprocess.run([DRIVER, "--workers", "1", "--", stream], capture_output=True, timeout=60,
                               pass_fds=(read_fd,))
            expected = "quartet-dask: %s is read by every shard: give files (on shared storage), not a stream\n" % stream
            if (r.returncode, r.stderr.decode()) != (1, expected):
                raise AssertionError("a stream given to quartet-dask: %r" % ((r.returncode, r.stderr.decode()),))
    finally:
        os.close(read_fd)
        os.close(write_fd)


def case_fanout():
    os.makedirs(WORKDIR, exist_ok=True)
    cap = os.path.join(WORKDIR, "pubsub-210000.pcap")
    if not os.path.exists(cap):
        subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "bench", "gen_short_conns.py"), cap + ".tmp",
                        "--connections", "210000", "--sp-pubsub"], check=True, stdout=subprocess.DEVNULL)
        os.replace(cap + ".tmp", cap)
    code, whole = quartet([cap], WORKDIR)
    summary = json.loads(whole.splitlines()[-1])
    sessions = [row["session"] for row in summary["fanout"]]
    if sessions != list(range(1, 100001)) or summary.get("fanout_dropped") != 110000:
        raise AssertionError("fan-out: %d rows (sessions %s..%s), %r not listed" %
                             (len(sessions), sessions[:1], sessions[-1:], summary.get("fanout_dropped")))
    parts = []
    for k in (1, 2):
        c, out = quartet(["--shard", "%d/2" % k, cap], WORKDIR)
        shard = json.loads(out.splitlines()[-1])
        if c != code or len(shard["fanout"]) != 100000 or not shard.get("fanout_dropped"):
            raise AssertionError("shard %d of 2: exit %d, %d fan-out rows, %r not listed (each is past the limit)" %
                                 (k, c, len(shard["fanout"]), shard.get("fanout_dropped")))
        parts.append(out)
    if load_driver().merge(parts) != whole:
        raise AssertionError("fan-out: the merged shards differ from the single run")
    text = subprocess.run([QUARTET, "--summary", "--no-progress", cap], capture_output=True, timeout=120).stdout
    if b"... and 110000 later publish/subscribe sessions, not listed (the first 100000 are)\n" not in text:
        raise AssertionError("the text summary does not say how many fan-out rows it left out")


def need_distributed():
    try:
        import distributed  # noqa: F401
    except ImportError:
        print("python3-distributed is not installed (scripts/setup.sh installs it)")
        sys.exit(77)


def dask_inputs():
    """(quartet's arguments, the single run's exit status and output) of the Dask cases."""
    os.makedirs(WORKDIR, exist_ok=True)
    mixed = os.path.join(WORKDIR, "mixed-dask.pcap")
    if not os.path.exists(mixed):  # (the two Dask cases may run at once: each writes its own, then renames)
        part = "%s.%d.part" % (mixed, os.getpid())
        subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "bench", "gen_capture.py"), part, "--rounds", "6"],
                       check=True, stdout=subprocess.DEVNULL)
        os.replace(part, mixed)
    # The ring buffer's files come too: every shard reads every input (one cluster start: it is the slow part).
    args = [mixed] + [os.path.join(golden.HERE, f) for f in golden.files_of("messy/ringbuffer/")]
    code, whole = quartet(args, WORKDIR)
    if b'"fanout":[]' in whole:
        raise AssertionError("the mixed capture should have pub/sub fan-out rows to merge")
    if sessions_in(whole) < 10:
        raise AssertionError("too few sessions to show anything")
    return args, code, whole


def expect_driver_output(driver_args, args, code, whole):
    r = subprocess.run([DRIVER, *driver_args, "--shards", "3", "--quartet", QUARTET, "--", *args],
                       capture_output=True, timeout=300)
    if r.returncode != code:
        raise AssertionError("quartet-dask exited %d (single run %d): %s" % (r.returncode, code, r.stderr.decode()[-2000:]))
    if r.stdout != whole:
        raise AssertionError("quartet-dask output differs from the single run")


def case_dask():
    need_distributed()
    args, code, whole = dask_inputs()
    expect_driver_output(["--workers", "2"], args, code, whole)


def case_cluster():
    need_distributed()
    from distributed import Client
    args, code, whole = dask_inputs()
    procs = []
    with tempfile.TemporaryDirectory() as d:
        log = open(os.path.join(d, "cluster.log"), "w+")
        try:
            scheduler_file = os.path.join(d, "scheduler.json")
            procs.append(subprocess.Popen(["dask-scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                           "--scheduler-file", scheduler_file], stdout=log, stderr=log, cwd=d))
            deadline = time.monotonic() + 120
            address = None
            while address is None:
                if procs[0].poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise AssertionError("dask-scheduler did not start: %s" % log.read()[-2000:])
                try:
                    with open(scheduler_file) as f:
                        address = json.load(f)["address"]
                except (OSError, ValueError, KeyError):
                    time.sleep(0.2)
            for _ in range(2):  # two machines' workers, one process and one thread each
                procs.append(subprocess.Popen(["dask-worker", address, "--nworkers", "1", "--nthreads", "1",
                                               "--no-dashboard", "--local-directory", d], stdout=log, stderr=log, cwd=d))
            with Client(address, timeout=60) as client:
                client.wait_for_workers(2, timeout=120)
            expect_driver_output(["--scheduler", address], args, code, whole)
        finally:
            for p in reversed(procs):
                p.terminate()
            for p in procs:
                try:
                    p.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
            log.close()


{"shards": case_shards, "fanout": case_fanout, "dask": case_dask, "cluster": case_cluster}[CASE]()
print("ok")
