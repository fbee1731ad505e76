#!/usr/bin/python3
"""Writes the seed corpora of the fuzz targets (docs/fuzzing.md) into fuzz/corpus/:

  protocol/  hand-made exchanges (below) and the TCP streams of every clean capture in
             captures/<protocol>/: byte 0 = protocol (its index in the core's registry,
             all_protocols(), read from build/protocols.json; 0 COPS, 1 RRP, 2 IAP, 3 SP),
             then records: a control byte (bit 7 = server side, bits 0-6 = length - 1)
             and that many bytes of the stream (protocol_fuzzer.cpp)
  output/    the same streams for output_fuzzer.cpp (byte 1 = options, 6-bit lengths), the
             first of each capture also with the HTML report (options bit 4)
  tcp/       every capture's TCP segments as tcp_fuzzer.cpp's 13-byte records
  tcp_views/ the TCP segments of every capture with a payload of 1 KiB or more, as
             tcp_views_fuzzer.cpp's 11-byte records (lengths, not bytes), and generated
             streams of large segments with losses, reordering and retransmissions
  capture/   the first 16 KiB of every capture file (compressed ones as they are), and
             generated classic pcaps of large SP messages in segments of 1-1.4 KiB with
             retransmissions (the same bytes or one changed), reordered
  tls/       every TLS connection of a capture whose secrets are known (a .keys file
             beside it or Decryption Secrets Blocks in it), for tls_fuzzer.cpp: byte 0 =
             protocol inside | 4 when TLS starts at the first byte, then records as in
             protocol/; and fuzz/tls.keys, all those secrets in one key log

Every protocol of the registry must have a hand-made exchange and a capture folder: a
protocol without them stops the script rather than go unseeded.
Seeds are cut to 16 KiB. Inputs the fuzzers found (crashes fixed since) live beside
them as regression-*; this script never removes files.
"""
import io
import os
import struct
import sys

from scapy.all import IP, IPv6, TCP, Ether, PcapWriter, rdpcap  # noqa: E402  (Debian's python3-scapy)

FUZZ = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(FUZZ)
CAPTURES = os.path.join(ROOT, "captures")
HERE = os.path.join(FUZZ, "corpus", "protocol")
MAX_SEED = 16 * 1024
sys.path.insert(0, os.path.join(ROOT, "scripts", "lib"))
import protocol_list  # noqa: E402  (the core's registry, build/protocols.json or $QUARTET_PROTOCOLS)

PROTOCOLS = protocol_list.load()
PROTO_INDEX = {protocol_list.module(p): i for i, p in enumerate(PROTOCOLS)}
HAND_MADE = set()  # protocols with a hand-made exchange below


def segments(*msgs):
    """Encodes (direction, bytes) pairs as the fuzzer's records, 128 bytes at most each."""
    out = b""
    for side, m in msgs:
        for i in range(0, len(m), 128):
            part = m[i:i + 128]
            out += bytes([(0x80 if side else 0) | (len(part) - 1)]) + part
    return out


def cops(op, ctype, objs, flags=0):
    body = b"".join(objs)
    return struct.pack("!BBHI", 0x10 | flags, op, ctype, 8 + len(body)) + body


def obj(cnum, ctype, data):
    pad = (-len(data)) % 4
    return struct.pack("!HBB", 4 + len(data), cnum, ctype) + data + b"\0" * pad


def write(name, module, stream):
    if module not in PROTO_INDEX:
        sys.exit("make_seeds.py: %s is not in the registry's protocol list" % module)
    HAND_MADE.add(module)
    put("protocol", name, bytes([PROTO_INDEX[module]]) + stream)


def put(target, name, data):
    d = os.path.join(FUZZ, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data[:MAX_SEED])


def capture_files():
    for d, _, files in sorted(os.walk(CAPTURES)):
        if os.path.relpath(d, CAPTURES).split(os.sep)[0] in ("golden", "peers", "lib"):
            continue
        for f in sorted(files):
            if ".pcap" in f:
                yield os.path.join(d, f)


def tcp_packets(path):
    """(time, src, dst, TCP layer) of every TCP packet; compressed files are skipped."""
    if path.endswith((".gz", ".zst")):
        return []
    out = []
    for pkt in rdpcap(path):
        ip = pkt.getlayer(IP) or pkt.getlayer(IPv6)
        if ip is None or not pkt.haslayer(TCP):
            continue
        t = pkt[TCP]
        out.append((float(pkt.time), (ip.src, t.sport), (ip.dst, t.dport), t))
    return out


def streams(packets, with_server=False):
    """Per connection (client first by SYN or first packet): the payloads in capture
    order as (side, bytes), side 0 = client; with_server: (server port, payloads)."""
    conns = {}
    for _, src, dst, t in packets:
        key = frozenset((src, dst))
        if key not in conns:
            client = dst if (int(t.flags) & 0x12) == 0x12 else src
            conns[key] = (client, [], dst[1] if client == src else src[1])
        client, parts, _ = conns[key]
        payload = bytes(t.payload)
        if payload:
            parts.append((0 if src == client else 1, payload))
    if with_server:
        return [(port, parts) for _, parts, port in conns.values() if parts]
    return [parts for _, parts, _ in conns.values() if parts]


def dsb_secrets(path):
    """The TLS key log text of a pcapng file's Decryption Secrets Blocks."""
    with open(path, "rb") as f:
        data = f.read()
    out, off, endian = b"", 0, "<"
    while off + 12 <= len(data):
        btype = struct.unpack_from(endian + "I", data, off)[0]
        if btype == 0x0A0D0D0A:  # Section Header Block: its byte-order magic says the endianness
            endian = "<" if data[off + 8:off + 12] == b"\x4d\x3c\x2b\x1a" else ">"
        blen = struct.unpack_from(endian + "I", data, off + 4)[0]
        if blen < 12:
            break
        if btype == 0x0A:
            stype, slen = struct.unpack_from(endian + "II", data, off + 8)
            if stype == 0x544C534B:  # TLS key log
                out += data[off + 16:off + 16 + slen].rstrip(b"\0") + b"\n"
        off += blen
    return out


# Server port -> protocol, for connections of captures not under a protocol's folder.
PORT_PROTO = {3288: "cops", 648: "rrp", 700: "rrp", 4720: "iap"}  # captures outside a protocol folder


def tls_seeds():
    keylog = b"# Every TLS secret of captures/ (fuzz/make_seeds.py): fuzz_tls decrypts with these.\n"
    for path in capture_files():
        if path.endswith((".gz", ".zst")):
            continue
        keys_file = os.path.splitext(path)[0] + ".keys"
        secrets = open(keys_file, "rb").read() if os.path.exists(keys_file) else b""
        if path.endswith(".pcapng"):
            secrets += dsb_secrets(path)
        if not secrets:
            continue
        keylog += secrets if secrets.endswith(b"\n") else secrets + b"\n"
        rel = os.path.relpath(path, CAPTURES)
        name = rel.replace(os.sep, "__")
        folder = rel.split(os.sep)[0]
        for i, (port, parts) in enumerate(streams(tcp_packets(path), with_server=True)):
            if not any(len(m) > 2 and 20 <= m[0] <= 23 and m[1] == 3 for _, m in parts):
                continue  # no TLS record in this connection
            proto = PROTO_INDEX[folder if folder in PROTO_INDEX else PORT_PROTO.get(port, "rrp")]
            tls_first = parts[0][1][:1] == b"\x16"
            put("tls", "%s-%d" % (name, i), bytes([proto | (4 if tls_first else 0)]) + records(parts, 128))
    with open(os.path.join(FUZZ, "tls.keys"), "wb") as f:
        f.write(keylog)


def records(parts, max_len):
    out = b""
    for side, m in parts:
        for i in range(0, len(m), max_len):
            piece = m[i:i + max_len]
            out += bytes([(0x80 if side else 0) | (len(piece) - 1)]) + piece
    return out


def relative_segments(packets):
    """Each TCP packet as (time, side, connection, flags, seq, ack, TCP layer): connections
    numbered in order of appearance (mod 4), side 0 for the one that spoke first, seq
    and ack relative to each direction's first sequence number."""
    conn_of, isn = {}, {}
    for t, src, dst, tcp in packets:
        key = frozenset((src, dst))
        if key not in conn_of:
            conn_of[key] = (len(conn_of) % 4, src)
        conn, client = conn_of[key]
        side = 0 if src == client else 1
        isn.setdefault((key, side), tcp.seq)
        isn.setdefault((key, 1 - side), tcp.ack if int(tcp.flags) & 0x10 else 0)
        yield (t, side, conn, int(tcp.flags) & 0x3f, (tcp.seq - isn[(key, side)]) & 0xffffffff,
               (tcp.ack - isn[(key, 1 - side)]) & 0xffffffff, tcp)


def tcp_records(packets):
    """tcp_fuzzer.cpp's records."""
    out, last_t = b"", None
    for t, side, conn, flags, seq, ack, tcp in relative_segments(packets):
        step = 0 if last_t is None else max(-32768, min(32767, round((t - last_t) * 100)))
        last_t = t
        payload = bytes(tcp.payload)[:255]
        out += struct.pack("<BBIIhB", side | flags << 1, conn, seq, ack, step, len(payload)) + payload
    return out


def tcp_views_records(packets, config):
    """tcp_views_fuzzer.cpp's input: the configuration byte, then each segment's
    direction, flags, connection, time step, seq, length and ack (its payload is
    made up by the target from its stream position)."""
    out, last_t = bytes([config]), None
    for t, side, conn, flags, seq, ack, tcp in relative_segments(packets):
        step = 0 if last_t is None else max(0, min(63, round((t - last_t) * 1000)))
        last_t = t
        out += views_record(side, flags, conn, step, seq, min(len(tcp.payload), 8192), ack)
    return out


def views_record(side, flags, conn, step, seq, length, ack, changed_at=None):
    b0 = side | flags << 1 | (0x80 if changed_at is not None else 0)
    return (struct.pack("<BB", b0, conn | step << 2) + (seq & 0xffffff).to_bytes(3, "little") +
            struct.pack("<HB", length, changed_at or 0) + (ack & 0xffffff).to_bytes(3, "little"))


def tcp_views_generated():
    """Two connections each sending a stream in segments of 1-1.5 or 1-3 KiB (the views' size),
    with local reordering, losses, retransmissions (the same bytes or one changed) and
    a reset, as tests/unit/analyzer_net/tail_views_test.cpp's scenarios."""
    import random
    SYN, RST, ACK = 0x02, 0x04, 0x10
    for n in range(16):
        rng = random.Random(n)
        out = [[], []]
        for conn in (0, 1):
            segs = [views_record(0, SYN, conn, 1, 0, 0, 0), views_record(1, SYN | ACK, conn, 1, 0, 0, 1)]
            data, pos = [], 1
            size = rng.randrange(8000, 60000)
            while pos <= size:
                large = rng.randrange(1024, 1500) if n % 2 else rng.randrange(1024, 3200)  # MSS-like or larger
                length = min(size - pos + 1, rng.randrange(1, 500) if rng.randrange(8) == 0 else large)
                data.append((pos, length))
                pos += length
            data = [d for d in data if rng.randrange(25)]  # losses: gaps
            for i in range(1, len(data)):
                if rng.randrange(6) == 0:
                    data[i - 1], data[i] = data[i], data[i - 1]
            for _ in range(rng.randrange(5, 20)):  # retransmissions, mostly within the tail
                at = rng.randrange(1, len(data))
                end = data[at - 1][0] + data[at - 1][1]
                start = max(1, end - rng.randrange(1, 4096 if rng.randrange(3) else 9000))
                changed = rng.randrange(256) if rng.randrange(2) else None
                data.insert(at, (start, min(end - start, rng.randrange(1024, 2500)), changed))
            for d in data:
                segs.append(views_record(0, ACK, conn, 1, d[0], d[1], 1, d[2] if len(d) > 2 else None))
            if rng.randrange(2):
                cut = rng.randrange(3, len(segs))
                segs.insert(cut, views_record(0, RST | ACK, conn, 1, size // 2, 0, 1))
            segs.append(views_record(1, ACK, conn, 1, 1, 0, size + 1))
            out[conn] = segs
        merged = []
        while out[0] or out[1]:
            merged.append(out[0 if not out[1] or (out[0] and rng.randrange(2)) else 1].pop(0))
        # Mostly tails that hold several views (2-8 KiB), all four chunk sizes, two without
        # pins, four with tight limits.
        config = (6, 7, 4, 5, 3, 2)[n % 6] | (n % 4) << 3 | (0x20 if n in (5, 11) else 0) | (0x40 if n % 4 == 3 else 0)
        put("tcp_views", "generated-%d" % n, bytes([config]) + b"".join(merged))


def capture_views_generated():
    """Small classic pcaps (about 16 KiB) of two SP REQ/REP connections, each carrying a
    message of 2.5-4.5 KiB in segments of 1-1.4 KiB, some sent again one or two segments
    later (the same bytes or one changed), some swapped: the retained tails' comparisons
    and overlap warnings, with one thread and with --threads (fuzz_capture compares them)."""
    import random
    for n in range(6):
        rng = random.Random(100 + n)
        packets, t = [], 1700000000.0

        def send(cport, side, seq, ack, flags, data=b""):
            nonlocal t
            t += 0.001
            src, dst = ("10.0.0.1", "10.0.0.2") if side == 0 else ("10.0.0.2", "10.0.0.1")
            sport, dport = (cport, 5555) if side == 0 else (5555, cport)
            p = Ether() / IP(src=src, dst=dst) / TCP(sport=sport, dport=dport, seq=seq, ack=ack, flags=flags) / data
            p.time = t
            packets.append(p)

        for c in range(2):
            cport, cisn, sisn = 40000 + c, rng.randrange(1 << 32), rng.randrange(1 << 32)
            send(cport, 0, cisn, 0, "S")
            send(cport, 1, sisn, cisn + 1, "SA")
            stream = b"\0SP\0\0\x30\0\0"
            body = bytes(rng.choice(b"abcdefghijklmnopqrstuvwxyz ") for _ in range(rng.randrange(2500, 4500)))
            stream += struct.pack("!QI", 4 + len(body), 0x80000001) + body
            cuts, pos = [], 0
            while pos < len(stream):
                size = min(len(stream) - pos, rng.randrange(1024, 1449))
                cuts.append((pos, stream[pos:pos + size]))
                pos += size
            order = list(cuts)
            for i in range(1, len(order)):
                if rng.randrange(5) == 0:
                    order[i - 1], order[i] = order[i], order[i - 1]
            for _ in range(rng.randrange(2, 4)):  # a segment again, one or two later: within the tail or not
                off, data = rng.choice(cuts)
                at = min(len(order), order.index((off, data)) + rng.randrange(2, 4))
                if rng.randrange(2):
                    k = rng.randrange(len(data))
                    data = data[:k] + bytes([data[k] ^ 0x20]) + data[k + 1:]
                order.insert(at, (off, data))
            for off, data in order:
                send(cport, 0, cisn + 1 + off, sisn + 1, "PA", data)
            send(cport, 1, sisn + 1, cisn + 1 + len(stream), "A", b"\0SP\0\0\x31\0\0")
            send(cport, 0, cisn + 1 + len(stream), sisn + 9, "FA")
            send(cport, 1, sisn + 9, cisn + 2 + len(stream), "FA")
        pcap = io.BytesIO()
        writer = PcapWriter(pcap)
        writer.write(packets)
        writer.flush()  # not closed: that would close the buffer too
        put("capture", "generated-views-%d.pcap" % n, pcap.getvalue())


def from_captures():
    for path in capture_files():
        rel = os.path.relpath(path, CAPTURES)
        name = rel.replace(os.sep, "__")
        with open(path, "rb") as f:
            put("capture", name, f.read(MAX_SEED))
        packets = tcp_packets(path)
        if not packets:
            continue
        put("tcp", name, tcp_records(packets))
        if any(len(p[3].payload) >= 1024 for p in packets):
            put("tcp_views", name, tcp_views_records(packets, len(name) * 0x1d & 0x7f))
        proto = rel.split(os.sep)[0]
        if proto in PROTO_INDEX:
            for i, parts in enumerate(streams(packets)):
                put("protocol", "%s-%d" % (name, i), bytes([PROTO_INDEX[proto]]) + records(parts, 128))
                put("output", "%s-%d" % (name, i), bytes([PROTO_INDEX[proto], 0]) + records(parts, 64))
                if i == 0:  # the HTML report's checks (options bit 4) from the start
                    put("output", "%s-%d-html" % (name, i), bytes([PROTO_INDEX[proto], 16]) + records(parts, 64))


C, S = 0, 1
handle = obj(1, 1, struct.pack("!I", 0x1001))
context = obj(2, 1, struct.pack("!HH", 1, 0))
write("cops_open_accept_req_dec", "cops", segments(
    (C, cops(6, 1, [obj(11, 1, b"pep-1\0\0\0")])),
    (S, cops(7, 1, [obj(10, 1, struct.pack("!HH", 0, 30))])),
    (C, cops(1, 1, [handle, context])),
    (S, cops(2, 1, [handle, context, obj(6, 1, struct.pack("!HH", 1, 0))], flags=1)),
    (C, cops(3, 1, [handle, obj(12, 1, struct.pack("!HH", 1, 0))], flags=1)),
    (C, cops(9, 1, [])),
    (S, cops(9, 1, [])),
))
# PacketCable Multimedia (0x800A): the policy server dials the CMTS, so the PDP is the client.
def sobj(snum, stype, data):
    return struct.pack("!HBB", 4 + len(data), snum, stype) + data


pcmm_gate_set = (sobj(1, 1, struct.pack("!HH", 7, 4)) + sobj(2, 1, struct.pack("!HH", 1, 2)) +
                 sobj(3, 1, bytes([10, 0, 0, 1])) +
                 sobj(5, 1, struct.pack("!BBBBHHHH", 1, 0, 0, 5, 200, 0, 300, 60)) +
                 sobj(7, 3, bytes([7, 0, 0, 0]) + struct.pack("!B3xIIIIHHIII", 1, 0, 1000000, 3044, 0, 100,
                                                              1522, 0, 0, 0)) +
                 sobj(6, 1, struct.pack("!HBB4s4sHHB3x", 17, 0, 0, bytes(4), bytes([10, 0, 0, 1]), 0,
                                        5060, 64)))
pcmm_ack = (sobj(1, 1, struct.pack("!HH", 7, 5)) + sobj(2, 1, struct.pack("!HH", 1, 2)) +
            sobj(3, 1, bytes([10, 0, 0, 1])) + sobj(4, 1, struct.pack("!I", 0x7f6e0105)))
write("cops_pcmm_gate_set", "cops", segments(
    (S, cops(6, 0x800A, [obj(11, 1, b"cmts\0"), obj(9, 1, sobj(16, 1, struct.pack("!HH", 4, 0)))])),
    (C, cops(7, 0x800A, [obj(10, 1, struct.pack("!HH", 0, 30))])),
    (S, cops(1, 0x800A, [handle, context])),
    (C, cops(2, 0x800A, [handle, context, obj(6, 1, struct.pack("!HH", 1, 1)), obj(6, 4, pcmm_gate_set)],
             flags=1)),
    (S, cops(3, 0x800A, [handle, obj(12, 1, struct.pack("!HH", 1, 0)), obj(9, 1, pcmm_ack)], flags=1)),
))

write("rrp_session", "rrp", segments(
    (S, b"registry RRP Server version 2.0.0\r\n.\r\n"),
    (C, b"session\r\n-Id:registrar\r\n-Password:secret\r\n.\r\n"),
    (S, b"200 Command completed successfully\r\n.\r\n"),
    (C, b"check\r\nEntityName:Domain\r\nDomainName:example.com\r\n.\r\n"),
    (S, b"210 Domain name available\r\n.\r\n"),
    (C, b"quit\r\n.\r\n"),
    (S, b"220 Command completed successfully. Server closing connection\r\n.\r\n"),
))
write("iap_connect", "iap", segments(
    (C, b"IAP/0.3 CONNECT analyzer.example.com\r\nVia: proxy1\r\n\r\n"),
    (S, b"IAP/0.3 200 OK\r\n\r\n"),
))
hdr_req = b"\0SP\0\0\x30\0\0"
hdr_rep = b"\0SP\0\0\x31\0\0"
write("sp_req_rep", "sp", segments(
    (C, hdr_req), (S, hdr_rep),
    (C, struct.pack("!QI", 9, 0x80000001) + b"hello"),
    (S, struct.pack("!QI", 9, 0x80000001) + b"world"),
))
write("sp_huge_length", "sp", segments((C, hdr_req), (S, hdr_rep), (C, struct.pack("!Q", 1 << 63) + b"x" * 8)))

protocol_list.require("make_seeds.py: hand-made exchanges", list(PROTO_INDEX), HAND_MADE)
protocol_list.require("make_seeds.py: capture folders under captures/", list(PROTO_INDEX),
                      [m for m in PROTO_INDEX if os.path.isdir(os.path.join(CAPTURES, m))])
if __name__ == "__main__" and "--tls-only" in sys.argv:
    tls_seeds()
elif __name__ == "__main__" and "--hand-made-only" not in sys.argv:
    from_captures()
    tls_seeds()
if __name__ == "__main__":
    tcp_views_generated()
    capture_views_generated()
