#!/usr/bin/python3
"""TLS decryption end to end, bad inputs first: each case runs the real quartet on a capture
from captures/ (or one derived from it here with scapy) and checks what it reports.

  tls_cases.py QUARTET WORKDIR CASE      (CASE: see CASES at the bottom)
"""
import gzip
import json
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
CAPS = os.path.join(ROOT, "captures")
RRP_TLS = os.path.join(CAPS, "rrp", "rrp-tls.pcapng")        # TLS 1.3, one RRP session, 5 requests
RRP_KEYS = os.path.join(CAPS, "rrp", "rrp-tls.keys")
SECRETS = os.path.join(CAPS, "tls", "rrp-tls-secrets.pcapng")  # key log inside, none beside it
SUITES13 = os.path.join(CAPS, "tls", "rrp-tls13-suites.pcapng")
NO_KEY_LINE = "encrypted: no key for this session's client random"


class Failure(AssertionError):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)


def env_without_keylog():
    return {k: v for k, v in os.environ.items() if k != "SSLKEYLOGFILE"}


def run(quartet, *args, env=None, stdin=None, want_rc=0):
    r = subprocess.run([quartet, "--no-progress", *args], capture_output=True, timeout=60, input=stdin,
                       env=env if env is not None else env_without_keylog())
    out, err = r.stdout.decode(), r.stderr.decode()
    check(r.returncode == want_rc, "exit status %d, wanted %d; stderr: %s" % (r.returncode, want_rc, err))
    return out, err


def jsonl(quartet, *args, **kw):
    out, err = run(quartet, "-F", "jsonl", *args, **kw)
    lines = [json.loads(l) for l in out.splitlines()]
    sessions = [o for o in lines if o["type"] == "session"]
    events = [o for o in lines if o["type"] == "event"]
    messages = [o for o in lines if o["type"] == "message"]
    return sessions, events, messages, err


def count(messages, side):
    return sum(1 for m in messages if m["from"] == side)


def baseline(quartet):
    """What the clean capture gives with the right key: 5 requests, 6 answers (greeting included)."""
    s, _, m, _ = jsonl(quartet, "--keylog", RRP_KEYS, RRP_TLS)
    check(len(s) == 1 and s[0]["tls"]["decrypted"] is True and s[0]["tls"]["reason"] is None,
          "baseline not decrypted: %r" % s)
    check((count(m, "client"), count(m, "server")) == (5, 6), "baseline messages %d/%d"
          % (count(m, "client"), count(m, "server")))
    return m


def secret_lines(path):
    return [l.split() for l in open(path) if l.strip() and not l.startswith("#")]


# --------------------------------------------------------------------------------- captures made here
def scapy_packets(path):
    sys.path.insert(0, "/usr/lib/python3/dist-packages")
    from scapy.all import rdpcap  # noqa: E402  (Debian's python3-scapy)
    return list(rdpcap(path))


def write_pcap(path, packets):
    from scapy.all import wrpcap
    for p in packets:  # lengths and checksums recomputed for the edited packets
        p.wirelen = None
        for layer in ("IP", "TCP"):
            if p.haslayer(layer):
                for f in ("len", "chksum"):
                    if hasattr(p[layer], f):
                        try:
                            delattr(p[layer], f)
                        except AttributeError:
                            pass
    wrpcap(path, packets)


def server_app_records(packets):
    """Indexes of server -> client packets whose payload starts with a TLS application_data record."""
    from scapy.all import TCP, Raw
    return [i for i, p in enumerate(packets)
            if p.haslayer(TCP) and p[TCP].sport == 648 and p.haslayer(Raw) and bytes(p[Raw].load)[:1] == b"\x17"]


# --------------------------------------------------------------------------------------------- cases
def case_wrong_key(q, work):
    """Every secret off by one bit: the first protected record of each direction fails its tag;
    the handshake view stays, nothing is decoded, nothing crashes."""
    bad = os.path.join(work, "wrong.keys")
    with open(bad, "w") as f:
        for label, rnd, secret in secret_lines(RRP_KEYS):
            flipped = "%x" % (int(secret[0], 16) ^ 1) + secret[1:]
            f.write("%s %s %s\n" % (label, rnd, flipped))
    s, ev, m, _ = jsonl(q, "--keylog", bad, RRP_TLS)
    check(s[0]["tls"]["decrypted"] is False, "decrypted with a wrong key")
    check(s[0]["tls"]["reason"] == "bad record from the server", "reason %r" % s[0]["tls"]["reason"])
    check(not m, "messages decoded with a wrong key: %d" % len(m))
    warnings = [e["text"] for e in ev if e["kind"] == "warning"]
    check(len(warnings) == 2, "one warning per direction expected: %r" % warnings)
    check(all(re.search(r"TLS record \d+ at byte \d+ of the (client|server)'s TLS stream cannot be decrypted "
                        r"\(authentication tag does not match\)", w) for w in warnings), warnings)
    texts = [e["text"] for e in ev]
    check(any(t.startswith("TLS ClientHello") for t in texts) and any(t.startswith("TLS ServerHello") for t in texts),
          "handshake view lost")


def case_corrupted_tag(q, work):
    """One server record's tag altered late in the session: the server's messages before it
    are decoded, the rest of the server's direction is reported undecryptable, and every client
    message is still decoded."""
    base = baseline(q)
    packets = scapy_packets(RRP_TLS)
    from scapy.all import Raw
    recs = server_app_records(packets)
    victim = recs[-4]           # a few server records before the end (an answer, not close_notify)
    load = bytearray(bytes(packets[victim][Raw].load))
    load[-1] ^= 0x55            # the last byte of the record: its tag
    packets[victim][Raw].load = bytes(load)
    path = os.path.join(work, "corrupted-tag.pcap")
    write_pcap(path, packets)
    s, ev, m, _ = jsonl(q, "--keylog", RRP_KEYS, path)
    check(count(m, "client") == count(base, "client"), "client messages lost: %d" % count(m, "client"))
    check(0 < count(m, "server") < count(base, "server"), "server messages %d" % count(m, "server"))
    want = [x["summary"] for x in base if x["from"] == "server"][:count(m, "server")]
    check([x["summary"] for x in m if x["from"] == "server"] == want, "server messages before the bad record differ")
    w = [e for e in ev if e["kind"] == "warning" and e["text"].startswith("TLS")]
    check(len(w) == 1 and w[0]["from"] == "server" and "cannot be decrypted (authentication tag does not match)"
          in w[0]["text"], "warnings %r" % w)
    # The requests whose answers were in the undecryptable rest are reported unanswered, as in clear text.
    unanswered = [e for e in ev if e["kind"] == "warning" and "was never answered" in e["text"]]
    check(len(unanswered) == count(base, "server") - count(m, "server"), "unanswered %r" % unanswered)
    check(s[0]["tls"]["decrypted"] is True and s[0]["tls"]["reason"] == "bad record from the server", s[0]["tls"])


def case_cut_record(q, work):
    """The capture ends inside a record: a warning says how much of it was seen."""
    packets = scapy_packets(RRP_TLS)
    from scapy.all import Raw
    recs = server_app_records(packets)
    last = recs[-3]
    record_len = 5 + int.from_bytes(bytes(packets[last][Raw].load)[3:5], "big")
    packets[last][Raw].load = bytes(packets[last][Raw].load)[:10]
    path = os.path.join(work, "cut-record.pcap")
    write_pcap(path, packets[:last + 1])
    s, ev, m, _ = jsonl(q, "--keylog", RRP_KEYS, path)
    w = [e["text"] for e in ev if e["kind"] == "warning"]
    check(any(re.search(r"TLS record \d+ at byte \d+ of the server's TLS stream is cut short: 10 of %d bytes"
                        % record_len, t) for t in w), "no cut-record warning: %r" % w)
    check(s[0]["tls"]["reason"] == "TLS record cut short" and m, s[0]["tls"])


def case_junk_keylog(q, work):
    """Comments, unknown labels and junk among the good lines: the junk is counted and reported,
    the rest used."""
    path = os.path.join(work, "junk.keys")
    good = secret_lines(RRP_KEYS)
    junk = ["hello world", "CLIENT_RANDOM nothex nothex", "CLIENT_RANDOM " + "ab" * 32,
            "SERVER_TRAFFIC_SECRET_0 " + "ab" * 31 + " " + "cd" * 48, "\x00\x01binary"]
    with open(path, "w") as f:
        f.write("# a comment\n\n")
        for i, line in enumerate(good):
            f.write(" ".join(line) + "\n")
            if i < len(junk):
                f.write(junk[i] + "\n")
        f.write("SOME_FUTURE_LABEL %s %s\n" % ("00" * 32, "11" * 32))
    s, _, m, err = jsonl(q, "--keylog", path, RRP_TLS)
    check(re.search(r"junk\.keys: 5 malformed key log lines ignored \(first: line 4\)", err), "stderr: %r" % err)
    check(s[0]["tls"]["decrypted"] is True and len(m) == 11, "not decrypted with the good lines")


def case_other_capture_keylog(q, work):
    """A key log of another capture: every session says once that it has no key, and shows its
    handshake as before."""
    s, ev, m, _ = jsonl(q, "--keylog", RRP_KEYS, SUITES13)
    check(len(s) == 4 and all(x["tls"]["decrypted"] is False and x["tls"]["reason"] == "no key" for x in s),
          [x["tls"] for x in s])
    for x in s:
        lines = [e for e in ev if e["session"] == x["id"] and e["text"] == NO_KEY_LINE]
        check(len(lines) == 1, "session %d: %d no-key lines" % (x["id"], len(lines)))
        check(any(e["session"] == x["id"] and e["text"].startswith("TLS ServerHello") for e in ev), "handshake")
    check(not m, "messages without a key")
    text, _ = run(q, "--keylog", RRP_KEYS, SUITES13)
    check(text.count("encrypted: no key]") == 4 and text.count(NO_KEY_LINE) == 4, "text output")


def case_secrets_block(q, work):
    """Decryption Secrets Blocks: from a file, from standard input (plain and gzip), and from
    two merged files that each carry their own."""
    data = open(SECRETS, "rb").read()
    for how, args, stdin in (("file", [SECRETS], None), ("stdin", ["-"], data),
                             ("gzip stdin", ["-"], gzip.compress(data))):
        s, _, m, _ = jsonl(q, *args, stdin=stdin)
        check(len(s) == 1 and s[0]["tls"]["decrypted"] and len(m) == 11, "%s: %r" % (how, s))
    other = os.path.join(work, "rrp-tls-with-secrets.pcapng")
    subprocess.run(["editcap", "--inject-secrets", "tls," + RRP_KEYS, RRP_TLS, other], check=True)
    s, _, m, _ = jsonl(q, SECRETS, other)
    check(len(s) == 2 and all(x["tls"]["decrypted"] for x in s) and len(m) == 22, "merged: %r" % [x["tls"] for x in s])
    s, _, _, _ = jsonl(q, RRP_TLS)   # and without secrets anywhere, nothing is decrypted
    check(s[0]["tls"]["decrypted"] is False and s[0]["tls"]["reason"] == "no key", s[0]["tls"])


def case_sslkeylogfile(q, work):
    """SSLKEYLOGFILE is read when no --keylog is given, and ignored when one is."""
    env = dict(env_without_keylog(), SSLKEYLOGFILE=RRP_KEYS)
    s, _, m, _ = jsonl(q, RRP_TLS, env=env)
    check(s[0]["tls"]["decrypted"] and len(m) == 11, "SSLKEYLOGFILE not used")
    empty = os.path.join(work, "empty.keys")
    open(empty, "w").close()
    s, _, m, _ = jsonl(q, "--keylog", empty, RRP_TLS, env=env)
    check(not s[0]["tls"]["decrypted"] and not m, "SSLKEYLOGFILE used despite --keylog")
    run(q, "--keylog", os.path.join(work, "missing.keys"), RRP_TLS, want_rc=2)


def case_no_secrets_in_output(q, work):
    """No secret from the key logs appears in any output, whatever the options."""
    for keys in [os.path.join(CAPS, "tls", f) for f in sorted(os.listdir(os.path.join(CAPS, "tls")))
                 if f.endswith(".keys")]:
        cap = keys[:-len(".keys")] + ".pcapng"
        secrets = {l[2].lower() for l in secret_lines(keys)}
        for fmt in ("text", "jsonl"):
            out, err = run(q, "-F", fmt, "--show-secrets", "--keylog", keys, cap)
            low = (out + err).lower()
            leaked = [x for x in secrets if x in low or x[:32] in low]
            check(not leaked, "%s (%s) shows a secret" % (cap, fmt))
            check("decrypted" in out, "%s (%s) not decrypted" % (cap, fmt))


def case_any_port(q, work):
    """TLS on a port of no protocol of ours (SP has none) is decrypted when there are secrets, and
    the protocol read from the plaintext; without its key the connection is not one of ours."""
    cap, keys = os.path.join(CAPS, "sp", "sp-tls-keylog.pcapng"), os.path.join(CAPS, "sp", "sp-tls-keylog.keys")
    s, ev, m, _ = jsonl(q, "--keylog", keys, cap)
    check(len(s) == 1 and s[0]["protocol"] == "SP" and s[0]["detected_by"] == "heuristic", s)
    check(s[0]["tls"]["decrypted"] and len(m) == 6, "not decrypted: %r" % s[0]["tls"])
    check(any(e["text"] == "SP by heuristic on the decrypted bytes" for e in ev), "no detection line")
    out, _ = run(q, "--keylog", RRP_KEYS, cap)
    check("0 sessions shown, 1 other" in out, "shown without its key: " + out)


def case_mutations(q, work):
    """Random damage to the TLS bytes of captures with every suite family (record headers,
    lengths, ciphertexts, tags, handshake messages): quartet always finishes with readable
    output and a warning where something failed; under ASan/UBSan this is the memory check."""
    import random
    from scapy.all import TCP, Raw
    rng = random.Random(1234)
    for name in ("rrp-tls12-suites", "rrp-tls13-suites", "rrp-tls10", "rrp-tls13-chacha-keyupdate"):
        cap = os.path.join(CAPS, "tls", name + ".pcapng")
        keys = cap[:-len(".pcapng")] + ".keys"
        packets = scapy_packets(cap)
        carrying = [i for i, p in enumerate(packets) if p.haslayer(TCP) and p.haslayer(Raw)]
        for variant in range(4):
            mutated = list(packets)
            for i in rng.sample(carrying, 3):
                mutated[i] = packets[i].copy()
                load = bytearray(bytes(mutated[i][Raw].load))
                for _ in range(rng.randint(1, 4)):
                    pos = rng.randrange(min(len(load), 12)) if rng.random() < 0.5 else rng.randrange(len(load))
                    load[pos] = rng.randrange(256)
                mutated[i][Raw].load = bytes(load)
            path = os.path.join(work, "%s-%d.pcap" % (name, variant))
            write_pcap(path, mutated)
            r = subprocess.run([q, "--no-progress", "-F", "jsonl", "--keylog", keys, path], capture_output=True,
                               timeout=60, env=env_without_keylog())
            check(r.returncode in (0, 1), "%s: exit %d: %s" % (path, r.returncode, r.stderr.decode()[-500:]))
            lines = [json.loads(l) for l in r.stdout.decode().splitlines()]
            check(lines and lines[-1]["type"] == "summary", "%s: no summary" % path)


CASES = {name[len("case_"):]: fn for name, fn in globals().items() if name.startswith("case_")}


def main():
    quartet, work, case = sys.argv[1], sys.argv[2], sys.argv[3]
    shutil.rmtree(os.path.join(work, case), ignore_errors=True)
    os.makedirs(os.path.join(work, case))
    try:
        CASES[case](quartet, os.path.join(work, case))
    except Failure as e:
        print("FAIL %s: %s" % (case, e))
        return 1
    print("ok %s" % case)
    return 0


if __name__ == "__main__":
    sys.exit(main())
