#!/usr/bin/python3
"""Derives messy variants from the clean captures into captures/messy/ (scapy builds the
packets; the pcap/pcapng files are written here by hand so caplen, snaplen, link types and
interfaces are exactly what each variant needs).

Each variant is described in messy/EXPECT.json (machine-readable: what the analyzer and the
plugin must report) and in captures/README.md. Deterministic: no randomness, so rerunning
on the same clean captures gives the same bytes.
"""
import gzip
import json
import os
import shutil
import struct
import subprocess
import sys

from scapy.all import IP, TCP, Dot1Q, Ether, IPv6, IPv6ExtHdrFragment, Raw, rdpcap  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "messy")

LINKTYPE_ETHERNET, LINKTYPE_RAW, LINKTYPE_LINUX_SLL2 = 1, 101, 276


# ------------------------------------------------------------------ writers
def pkt_bytes(p):
    return bytes(p)


def write_pcap(path, records, linktype=LINKTYPE_ETHERNET, snaplen=262144):
    """records: (ts float, data bytes[, orig_len])"""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen, linktype))
        for r in records:
            ts, data = r[0], r[1]
            orig = r[2] if len(r) > 2 else len(data)
            sec = int(ts)
            usec = int(round((ts - sec) * 1e6))
            if usec >= 1000000:
                sec, usec = sec + 1, usec - 1000000
            f.write(struct.pack("<IIII", sec, usec, len(data), orig) + data)


def pcapng_block(btype, body):
    body += b"\x00" * (-len(body) % 4)
    total = 12 + len(body)
    return struct.pack("<II", btype, total) + body + struct.pack("<I", total)


def pcapng_option(code, value):
    return struct.pack("<HH", code, len(value)) + value + b"\x00" * (-len(value) % 4)


def write_pcapng(path, interfaces, records):
    """interfaces: [(linktype, name)]; records: (ts, iface index, data) in file order."""
    out = [pcapng_block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1) +
                        pcapng_option(4, b"quartet make_variants.py") + pcapng_option(0, b""))]
    for linktype, name in interfaces:
        opts = pcapng_option(2, name.encode()) + pcapng_option(9, b"\x06") + pcapng_option(0, b"")
        out.append(pcapng_block(1, struct.pack("<HHI", linktype, 0, 262144) + opts))
    for ts, iface, data in records:
        t = int(round(ts * 1e6))
        out.append(pcapng_block(6, struct.pack("<IIIII", iface, t >> 32, t & 0xFFFFFFFF, len(data),
                                               len(data)) + data))
    with open(path, "wb") as f:
        f.write(b"".join(out))


# ------------------------------------------------------------------ helpers over scapy packets
def load(rel):
    return list(rdpcap(os.path.join(HERE, rel)))


def ip_layer(p):
    return p[IP] if IP in p else p[IPv6]


def payload(p):
    return bytes(p[TCP].payload) if TCP in p else b""


def fix(p):
    """Drop length/checksum fields so scapy recomputes them."""
    if IP in p:
        del p[IP].len
        del p[IP].chksum
    if IPv6 in p:
        del p[IPv6].plen
    if TCP in p:
        del p[TCP].chksum
    return p


def with_payload(p, seq, data):
    q = p.copy()
    q[TCP].remove_payload()
    q[TCP].seq = seq
    if data:
        q[TCP].add_payload(Raw(data))
    return fix(q)


def conn_key(p):
    ip = ip_layer(p)
    return (ip.src, p[TCP].sport, ip.dst, p[TCP].dport)


def records(pkts):
    return [(float(p.time), pkt_bytes(p)) for p in pkts]


def split(pkts, size, pick=lambda p: True):
    """Every data segment cut into `size`-byte segments (timestamps 1 us apart)."""
    out = []
    for p in pkts:
        data = payload(p)
        if len(data) <= size or not pick(p):
            out.append(p)
            continue
        for i in range(0, len(data), size):
            q = with_payload(p, (p[TCP].seq + i) & 0xFFFFFFFF, data[i:i + size])
            q.time = p.time + i / size * 1e-6
            out.append(q)
    return out


# ------------------------------------------------------------------ variants
EXPECT = []


def variant(name, source, how, analyzer, plugin, **facts):
    EXPECT.append(dict(file="messy/" + name, derived_from=source, how=how,
                       analyzer=analyzer, plugin=plugin, **facts))


def v_split():
    src = "cops/cops-rsvp.pcap"
    pkts = split(load(src), 5)
    write_pcap(os.path.join(OUT, "cops-split5.pcap"), records(pkts))
    variant("cops-split5.pcap", src, "every TCP payload cut into 5-byte segments (a COPS header spans two segments)",
            "the same sessions and messages as the clean capture (names, directions, handles, latencies "
            "within a few microseconds); no problems beyond the clean capture's",
            "with -d tcp.port==3289,copsx (a heuristic sees only the first 5-byte segment, too little to "
            "recognise COPS on a non-default port): every COPS message reassembled, as in the clean capture",
            same_messages_as=src, decode_as={"tshark": "tcp.port==3289,copsx"})
    src = "rrp/rrp-session.pcapng"
    pkts = split(load(src), 3)
    write_pcap(os.path.join(OUT, "rrp-split3.pcap"), records(pkts))
    variant("rrp-split3.pcap", src, "every TCP payload cut into 3-byte segments (CRLF split across segments)",
            "the same messages as the clean capture", "the same RRP messages as the clean capture",
            same_messages_as=src)


def v_reorder():
    # RRP too: a segment captured before the one in front of it is no gap, so the
    # plugin's resync after a gap (plugin/stream_gap.hpp) must not fire on it.
    for src, name, proto in (("sp/sp-reqrep.pcap", "sp-reordered.pcap", "SP"),
                             ("rrp/rrp-session.pcapng", "rrp-reordered.pcap", "RRP")):
        out = []
        for p in load(src):
            data = payload(p)
            if len(data) < 2:
                out.append(p)
                continue
            half = len(data) // 2
            a = with_payload(p, p[TCP].seq, data[:half])
            b = with_payload(p, (p[TCP].seq + half) & 0xFFFFFFFF, data[half:])
            b.time, a.time = p.time, p.time + 1e-6       # second half captured first
            out += [b, a]
        write_pcap(os.path.join(OUT, name), records(out))
        variant(name, src, "every data segment cut in two halves, the second half captured before the first",
                "the same messages as the clean capture; out-of-order segments may be counted but are not errors",
                "with -o tcp.reassemble_out_of_order:TRUE (off by default in Wireshark 4.0): the same %s messages, "
                "segments marked out-of-order%s" % (proto, "" if proto == "SP" else
                                                    " (no undecodable data: out of order is not a gap)"),
                same_messages_as=src, tshark_prefs=["tcp.reassemble_out_of_order:TRUE"])


def v_duplicate():
    src = "rrp/rrp-session.pcapng"
    out = []
    for p in load(src):
        out.append(p)
        if payload(p):
            q = p.copy()
            q.time = p.time + 50e-6
            out.append(q)
    write_pcap(os.path.join(OUT, "rrp-duplicated.pcap"), records(out))
    variant("rrp-duplicated.pcap", src, "every data segment captured twice (a retransmission 50 us later, same bytes)",
            "the same messages as the clean capture, each exactly once; retransmissions may be counted",
            "the same RRP messages once each; tshark flags the copies as retransmissions",
            same_messages_as=src)


def v_overlap():
    src = "iap/iap-refused.pcap"
    out = []
    conflicts = 0
    for p in load(src):
        data = payload(p)
        if len(data) < 12:
            out.append(p)
            continue
        cut = len(data) // 2
        first = with_payload(p, p[TCP].seq, data[:cut + 4])
        bad = b"XXXXYYYY" + data[cut + 4:]                   # overlap [cut-4, cut+4) conflicts
        second = with_payload(p, (p[TCP].seq + cut - 4) & 0xFFFFFFFF, bad)
        first.time, second.time = p.time, p.time + 1e-6
        out += [first, second]
        conflicts += 1
    write_pcap(os.path.join(OUT, "iap-overlap-conflict.pcap"), records(out))
    variant("iap-overlap-conflict.pcap", src,
            "every data segment of 12+ bytes sent as two segments that overlap by 8 bytes; the second copy "
            "carries different bytes (XXXXYYYY) in the overlap",
            "an overlap-with-conflicting-bytes problem for each of the %d segments; the first copy is kept "
            "(what the receiver had already accepted), so the messages equal the clean capture's" % conflicts,
            "no crash and no invented messages: Wireshark 4.0's TCP layer flags the overlapping segments "
            "(Out-Of-Order, Illegal Segments) and does not reassemble the PDUs, so the plugin sees nothing "
            "to decode on these connections; with two passes each of the %d first copies, where a message "
            "begins, says that message never completed (iapx.unfinished)" % conflicts,
            same_messages_as=src, overlapping_segments=conflicts)


def v_gap():
    src = "cops/cops-pr.pcapng"
    pkts = load(src)
    # drop the PEP's first RPT (the failure report): a whole message lost in the PEP->PDP direction
    out, lost = [], None
    for p in pkts:
        data = payload(p)
        if lost is None and len(data) >= 8 and data[1] == 3:
            lost = len(data)
            continue
        out.append(p)
    write_pcap(os.path.join(OUT, "cops-gap.pcap"), records(out))
    variant("cops-gap.pcap", src, "the segment with the PEP's first RPT (%d bytes) removed: a hole in the PEP->PDP stream" % lost,
            "a gap of %d bytes reported in the PEP->PDP direction; the messages before and after it are decoded "
            "(the gap ends on a message boundary); the lost RPT is missing, so the DEC it answered has no report" % lost,
            "tshark reports 'previous segment not captured'; every other COPS message decodes",
            gap_bytes=lost, messages_missing=["RPT"])

    src = "sp/sp-large.pcapng"
    pkts = load(src)
    out, lost = [], None
    for p in pkts:
        data = payload(p)
        if lost is None and len(data) > 30000:
            lost = len(data)
            continue
        out.append(p)
    write_pcap(os.path.join(OUT, "sp-large-gap.pcap"), records(out))
    variant("sp-large-gap.pcap", src, "one %d-byte segment in the middle of the 200 KiB message removed" % lost,
            "a gap of %d bytes reported; the lost segment held the message's length prefix, so no message "
            "start can be found after it: a warning says decoding of that direction stopped (never a "
            "message made of the wrong bytes); no crash, no allocation sized by bytes read as a length" % lost,
            "the SP message is not reassembled; tshark reports the missing segment and the plugin marks the "
            "following data as undecodable", gap_bytes=lost)


def fragment_v4(p, size):
    ip = p[IP]
    raw = bytes(ip.payload)
    if len(raw) <= size:
        return [p]
    frags = []
    for off in range(0, len(raw), size):
        chunk = raw[off:off + size]
        more = off + size < len(raw)
        f = Ether(bytes(p[Ether])[:14]) / IP(src=ip.src, dst=ip.dst, id=ip.id or 0x4242, ttl=ip.ttl,
                                             proto=6, flags="MF" if more else 0, frag=off // 8) / Raw(chunk)
        f.time = p.time + off / size * 1e-6
        frags.append(f)
    return frags


def fragment_v6(p, size, ident):
    ip = p[IPv6]
    raw = bytes(ip.payload)
    if len(raw) <= size:
        return [p]
    frags = []
    for off in range(0, len(raw), size):
        chunk = raw[off:off + size]
        more = 1 if off + size < len(raw) else 0
        f = (Ether(bytes(p[Ether])[:14]) / IPv6(src=ip.src, dst=ip.dst, hlim=ip.hlim) /
             IPv6ExtHdrFragment(nh=6, offset=off // 8, m=more, id=ident) / Raw(chunk))
        f.time = p.time + off / size * 1e-6
        frags.append(f)
    return frags


def v_fragments():
    src = "cops/cops-rsvp.pcap"
    out = []
    for p in load(src):
        out += fragment_v4(p, 32) if payload(p) else [p]
    write_pcap(os.path.join(OUT, "cops-ipfrag-v4.pcap"), records(out))
    variant("cops-ipfrag-v4.pcap", src, "every IPv4 packet carrying data cut into 32-byte IP fragments (MF/offset)",
            "IP fragments reassembled; the same messages as the clean capture", "the same COPS messages (tshark reassembles IPv4)",
            same_messages_as=src)
    src = "sp/sp-reqrep-ipv6.pcapng"
    out = []
    for i, p in enumerate(load(src)):
        out += fragment_v6(p, 24, 0x1000 + i) if payload(p) else [p]
    write_pcap(os.path.join(OUT, "sp-ipfrag-v6.pcap"), records(out))
    variant("sp-ipfrag-v6.pcap", src, "every IPv6 packet carrying data cut into 24-byte fragments (Fragment extension header)",
            "IPv6 fragments reassembled; the same messages as the clean capture", "the same SP messages (tshark reassembles IPv6)",
            same_messages_as=src)


def v_snaplen():
    src = "rrp/rrp-session.pcapng"
    recs = []
    for p in load(src):
        b = pkt_bytes(p)
        recs.append((float(p.time), b[:96], len(b)))
    write_pcap(os.path.join(OUT, "rrp-snaplen96.pcap"), recs, snaplen=96)
    variant("rrp-snaplen96.pcap", src, "captured with snaplen 96: at most 30 bytes of TCP payload per packet (caplen < len)",
            "a warning that packets were truncated by the snapshot length; the missing bytes reported as gaps "
            "(never decoded as data); only what is complete is decoded -- no crash",
            "tshark shows the truncated packets; RRP messages longer than the captured bytes are not decoded as complete")


def v_midsession():
    src = "cops/cops-rsvp.pcap"
    pkts = load(src)
    # start right after the first DEC on the redirected connection (port 3289): no SYN, no OPN/CAT
    start = next(i for i, p in enumerate(pkts)
                 if payload(p) and p[TCP].sport == 3289 and payload(p)[1] == 2) + 1
    write_pcap(os.path.join(OUT, "cops-midsession.pcap"), records(pkts[start:]))
    variant("cops-midsession.pcap", src, "the capture starts after the first DEC of the second connection (no handshake, no OPN/CAT)",
            "one COPS session picked up mid-stream (3289 is not a default port: found by the COPS heuristic), marked as "
            "started mid-session; messages from the first RPT on are decoded; the first RPT answers a DEC that was not captured",
            "COPS messages decode from the first packet (with Decode As or heuristics for port 3289)")
    src = "rrp/rrp-session.pcapng"
    pkts = load(src)
    seen = 0
    start = None
    for i, p in enumerate(pkts):
        if payload(p) and payload(p).startswith(b"200 Command completed"):
            start = i + 1
            break
    write_pcap(os.path.join(OUT, "rrp-midsession.pcap"), records(pkts[start:]))
    variant("rrp-midsession.pcap", src, "starts just after the successful SESSION response: no banner, no authentication",
            "an RRP session picked up mid-stream (port 648), no banner, no SESSION; every later command/response decoded and paired",
            "RRP messages decode from the first data packet")
    src = "sp/sp-reqrep.pcap"
    pkts = load(src)
    # drop everything up to and including the 8-byte SP headers of both connections
    last_hdr = max(i for i, p in enumerate(pkts) if payload(p).startswith(b"\x00SP\x00"))
    write_pcap(os.path.join(OUT, "sp-midsession.pcap"), records(pkts[last_hdr + 1:]))
    variant("sp-midsession.pcap", src, "starts after both SP connection headers: only length-prefixed messages",
            "with --decode-as sp=5558 (5558 is not a default port and the header the heuristic looks for "
            "is gone): two SP sessions picked up mid-stream, messages framed by their 64-bit lengths, a note "
            "that the connection header was not seen",
            "with -d tcp.port==5558,sp: SP messages framed by their lengths; no connection header shown",
            decode_as={"analyzer": "sp=5558", "tshark": "tcp.port==5558,sp"})


def v_cut():
    # sp-large-cut ends inside its one large message: the analyzer warns that it is cut short, and with two
    # passes the plugin says so on the frame where it begins. cops-rsvp-cut ends between two messages.
    inside = {"sp-large-cut.pcapng": (
        "the session's warning that its 204,808-byte SP message is cut short by the end of the capture "
        "(65,536 bytes came), ",
        "; with two passes (-2, or Wireshark's packet details) the frame where the 204,808-byte message begins "
        "says it never completed (sp.unfinished)")}
    for src, name, frac in (("sp/sp-large.pcapng", "sp-large-cut.pcapng", 0.5),
                            ("cops/cops-rsvp.pcap", "cops-rsvp-cut.pcap", 0.6)):
        data = open(os.path.join(HERE, src), "rb").read()
        cut = int(len(data) * frac)
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data[:cut])
        analyzer_more, plugin_more = inside.get(name, ("", ""))
        variant(name, src, "the file cut at byte %d of %d, in the middle of a packet record" % (cut, len(data)),
                "everything before the cut decoded, a warning that the file ends inside a record, " + analyzer_more +
                "and the documented exit code for a truncated capture; no crash",
                "tshark reads the packets before the cut and reports the file as cut short in the middle of a packet"
                + plugin_more, cut_at=cut)


def to_sll2(p):
    """Ethernet frame -> Linux cooked v2 (SLL2) header + the same IP packet."""
    eth = bytes(p[Ether])
    ethertype = eth[12:14]
    sll2 = ethertype + b"\x00\x00" + struct.pack(">I", 1) + struct.pack(">H", 772) + b"\x04\x06" + b"\x00" * 8
    return sll2 + eth[14:]


def v_multi_interface():
    a = load("rrp/rrp-authfail.pcap")             # interface 0: Ethernet (as captured on lo)
    b = load("cops/cops-pr.pcapng")               # interface 1: Linux SLL2
    c = load("sp/sp-reqrep-ipv6.pcapng")          # interface 2: raw IP
    base = float(a[0].time)
    recs = [(base + float(p.time) - float(a[0].time), 0, pkt_bytes(p)) for p in a]
    recs += [(base + 0.05 + float(p.time) - float(b[0].time), 1, to_sll2(p)) for p in b]
    recs += [(base + 0.10 + float(p.time) - float(c[0].time), 2, bytes(p[Ether])[14:]) for p in c]
    recs.sort(key=lambda r: r[0])
    write_pcapng(os.path.join(OUT, "multi-interface.pcapng"),
                 [(LINKTYPE_ETHERNET, "lo"), (LINKTYPE_LINUX_SLL2, "any"), (LINKTYPE_RAW, "tun0")], recs)
    variant("multi-interface.pcapng", "rrp/rrp-authfail.pcap + cops/cops-pr.pcapng + sp/sp-reqrep-ipv6.pcapng",
            "one pcapng with three interfaces and interleaved packets: Ethernet (RRP), Linux SLL2 (COPS-PR), raw IP (SP over IPv6)",
            "all three link types decoded; the sessions of the three source captures, each equal to its clean capture's",
            "tshark decodes all three interfaces; the same messages as the three clean captures",
            same_messages_as=["rrp/rrp-authfail.pcap", "cops/cops-pr.pcapng", "sp/sp-reqrep-ipv6.pcapng"])


def v_multi_interface_ether():
    a = load("rrp/rrp-authfail.pcap")
    b = load("iap/iap-refused.pcap")
    base = float(a[0].time)
    recs = [(base + float(p.time) - float(a[0].time), 0, pkt_bytes(p)) for p in a]
    recs += [(base + 0.03 + float(p.time) - float(b[0].time), 1, pkt_bytes(p)) for p in b]
    recs.sort(key=lambda r: r[0])
    write_pcapng(os.path.join(OUT, "multi-interface-ether.pcapng"),
                 [(LINKTYPE_ETHERNET, "eth0"), (LINKTYPE_ETHERNET, "eth1")], recs)
    variant("multi-interface-ether.pcapng", "rrp/rrp-authfail.pcap + iap/iap-refused.pcap",
            "one pcapng with two Ethernet interfaces (eth0: RRP, eth1: IAP), packets interleaved by time",
            "the sessions of both source captures, each equal to its clean capture's",
            "the same messages as the two clean captures",
            same_messages_as=["rrp/rrp-authfail.pcap", "iap/iap-refused.pcap"])


def v_vlan():
    src = "iap/iap-refused.pcap"
    out = []
    for p in load(src):
        eth = p[Ether]
        q = Ether(src=eth.src, dst=eth.dst) / Dot1Q(vlan=100, prio=5) / eth.payload
        q.time = p.time
        out.append(q)
    write_pcap(os.path.join(OUT, "iap-vlan.pcap"), records(out))
    variant("iap-vlan.pcap", src, "every frame carries an 802.1Q tag (VLAN 100, priority 5)",
            "the VLAN tag skipped; the same messages as the clean capture", "the same IAP messages under 802.1Q",
            same_messages_as=src)


def v_gzip():
    src = "rrp/rrp-session.pcapng"
    data = open(os.path.join(HERE, src), "rb").read()
    with open(os.path.join(OUT, "rrp-session.pcapng.gz"), "wb") as f:
        f.write(gzip.compress(data, mtime=0))
    variant("rrp-session.pcapng.gz", src, "gzip-compressed copy",
            "read transparently; the same output as the clean capture", "tshark reads gzip files; the same output",
            same_messages_as=src)


def v_zstd():
    src = "cops/cops-pr.pcapng"
    out = os.path.join(OUT, "cops-pr.pcapng.zst")
    if not shutil.which("zstd"):
        print("zstd not installed: keeping the existing", out)
        return
    subprocess.run(["zstd", "-q", "-f", "--no-check", "-19", "-o", out, os.path.join(HERE, src)], check=True)
    variant("cops-pr.pcapng.zst", src, "zstd-compressed copy",
            "read transparently; the same output as the clean capture",
            "tshark (4.0 with libzstd) reads it; the same output", same_messages_as=src)


def v_ringbuffer():
    """One long capture rotated into three files, as dumpcap -b / tcpdump -C would."""
    src = "rrp/rrp-session.pcapng"
    pkts = load(src)
    d = os.path.join(OUT, "ringbuffer")
    os.makedirs(d, exist_ok=True)
    n = (len(pkts) + 2) // 3
    for i in range(3):
        part = pkts[i * n:(i + 1) * n]
        write_pcapng(os.path.join(d, "rrp-session_%05d.pcapng" % (i + 1)), [(LINKTYPE_ETHERNET, "lo")],
                     [(float(p.time), 0, pkt_bytes(p)) for p in part])
    variant("ringbuffer/", src, "the capture rotated into three pcapng files of %d, %d and %d packets "
            "(rrp-session_00001..3.pcapng)" % (n, n, len(pkts) - 2 * n),
            "given all three files (quartet messy/ringbuffer/*.pcapng), one session with the same messages "
            "as the clean capture, not three",
            "after mergecap, the same messages as the clean capture", same_messages_as=src)


def v_coalesce():
    src = "cops/cops-rsvp.pcap"
    out = []
    last_data = {}
    for p in load(src):
        data = payload(p)
        k = conn_key(p)
        rk = (k[2], k[3], k[0], k[1])
        if data:
            prev = last_data.get(k)
            if prev is not None and (prev[TCP].seq + len(payload(prev))) & 0xFFFFFFFF == p[TCP].seq:
                merged = with_payload(prev, prev[TCP].seq, payload(prev) + data)
                merged.time = prev.time
                out[out.index(prev)] = merged
                last_data[k] = merged
                continue
            last_data[k] = p
            last_data.pop(rk, None)
        out.append(p)
    write_pcap(os.path.join(OUT, "cops-coalesced.pcap"), records(out))
    variant("cops-coalesced.pcap", src, "consecutive segments of one direction (no data from the other side in between) merged "
            "into one segment: several COPS messages per segment",
            "the same messages as the clean capture (several per segment); timings of the merged messages equal their segment's",
            "every COPS message decoded, several per frame", same_messages_as=src)


def v_garbage():
    """Bytes that cannot start a COPS message spliced into the PEP->PDP stream before its third
    message (later sequence numbers of that side, and the PDP's acknowledgements, shifted)."""
    src = "cops/cops-rsvp.pcap"
    junk = b"\xde\xad\xbe\xef" * 3 + b"\x00"
    pkts = load(src)
    pep = None
    seen = 0
    at = None  # (connection, sequence number) where the junk goes
    for p in pkts:
        if payload(p) and p[TCP].dport == 3289:
            pep = conn_key(p)
            seen += 1
            if seen == 3:
                at = p[TCP].seq
                break
    rev = (pep[2], pep[3], pep[0], pep[1])
    after = lambda a, b: ((a - b) & 0xFFFFFFFF) < 0x80000000  # noqa: E731  (a at or after b)
    out = []
    for p in pkts:
        k = conn_key(p)
        if k == pep and p[TCP].seq == at and payload(p):
            q = with_payload(p, at, junk + payload(p))
        elif k == pep and after(p[TCP].seq, at) and p[TCP].seq != at:
            q = with_payload(p, (p[TCP].seq + len(junk)) & 0xFFFFFFFF, payload(p))
        else:
            q = p.copy()
        if k == rev and (q[TCP].flags & 0x10) and after(q[TCP].ack, at) and q[TCP].ack != at:
            q[TCP].ack = (q[TCP].ack + len(junk)) & 0xFFFFFFFF
            q = fix(q)
        q.time = p.time
        out.append(q)
    write_pcap(os.path.join(OUT, "cops-garbage.pcap"), records(out))
    variant("cops-garbage.pcap", src, "%d bytes that cannot start a COPS message (DE AD BE EF x3, 00) spliced into the "
            "PEP->PDP stream in front of its third message" % len(junk),
            "an invalid-PDU warning, then 'resynchronised after skipping %d bytes' (the COPS resync hook finds the "
            "next header); the messages equal the clean capture's" % len(junk),
            "the same COPS messages as the clean capture, plus one undecodable piece of exactly the %d spliced bytes "
            "in front of the third message: the plugin resumes where the analyzer does (the same resync hook)"
            % len(junk), resync={"clean": src, "skipped_bytes": len(junk)})


def v_gap_inside():
    """A gap that falls inside messages: two consecutive single-segment messages A and B
    of one direction re-cut into A[:half], A[half:] + B[:cut], B[cut:] (sequence numbers
    unchanged), and the middle segment dropped. A's head can never complete, B's tail is
    no message start: both tools resynchronise with the protocol's resync hook and
    resume at the message after B."""
    for src, server_port, first, cut, name, lost_names in (
            ("cops/cops-pr.pcapng", 3288, 225, 34, "cops-gap-inside.pcap", ["RPT", "RPT"]),
            ("rrp/rrp-session.pcapng", 648, 194, 30, "rrp-gap-inside.pcap", ["check", "check"])):
        pkts = load(src)
        isn = next(p[TCP].seq for p in pkts if TCP in p and p[TCP].dport == server_port and p[TCP].flags & 0x02)
        first_abs = (isn + first) & 0xFFFFFFFF  # `first` is relative, as tshark shows it
        a = next(p for p in pkts if TCP in p and p[TCP].dport == server_port and payload(p) and p[TCP].seq == first_abs)
        b = next(p for p in pkts if TCP in p and p[TCP].dport == server_port and payload(p)
                 and p[TCP].seq == (first_abs + len(payload(a))) & 0xFFFFFFFF)
        da, db = payload(a), payload(b)
        half = len(da) // 2
        out = []
        for p in pkts:
            if p is a:
                out.append(with_payload(a, a[TCP].seq, da[:half]))
                out[-1].time = a.time
            elif p is b:  # the segment holding A's end and B's start is not captured
                tail = with_payload(b, (b[TCP].seq + cut) & 0xFFFFFFFF, db[cut:])
                tail.time = b.time
                out.append(tail)
            else:
                out.append(p)
        lost = len(da) - half + cut
        proto = "COPS" if "cops" in src else "RRP"
        variant(name, src, "%s messages A (relative sequence number %d, %d bytes) and B (%d, %d bytes) of the "
                "client->server stream re-cut as [first half of A], [rest of A + first %d bytes of B], [rest of B]; the middle "
                "segment removed: a %d-byte hole inside two messages" % (proto, first, len(da), first + len(da),
                                                                         len(db), cut, lost, ),
                "a gap of %d bytes; the partial first message dropped at the gap; the rest of the second one "
                "(%d bytes) skipped by the resync hook ('resynchronised after skipping %d bytes'); decoding resumes "
                "at the next message: the clean capture's messages but these two" % (lost, len(db) - cut, len(db) - cut),
                "tshark reports 'previous segment not captured'; the %d bytes after the hole are one undecodable piece "
                "(the same resync hook as the analyzer, run from the segment start after a gap), then the same "
                "messages as the analyzer" % (len(db) - cut),
                gap_bytes=lost, messages_missing=lost_names,
                resync_after_gap={"skipped_bytes": len(db) - cut, "clean": src,
                                  "lost_at": ["%.6f" % a.time, "%.6f" % b.time],
                                  "lost_frames": [pkts.index(a) + 1, pkts.index(b) + 1]})
        write_pcap(os.path.join(OUT, name), records(out))


README_INTRO = """
## Messy variants — `make_variants.py` (scapy) → `messy/`

Derived deterministically from the clean captures above (rerunning gives the same bytes). `messy/EXPECT.json`
holds the same facts machine-readably (`file`, `derived_from`, `how`, `analyzer`, `plugin`, and where they apply
`same_messages_as`, `gap_bytes`, `overlapping_segments`, `messages_missing`, `cut_at`, `decode_as`, `tshark_prefs`,
`resync`, `resync_after_gap`).
"Same messages" means the same list of messages (name, direction, key fields) as the clean capture it came from.
All sources are cleartext, so no key log is needed. This section of the README is written by make_variants.py.

| variant | made from | how | analyzer must | plugin (tshark) must |
|---|---|---|---|---|
"""


def update_readme():
    """Rewrites README.md's last section (the messy variants table) from EXPECT."""
    path = os.path.join(HERE, "README.md")
    text = open(path).read()
    cut = text.find("\n## Messy variants")
    if cut < 0:
        return
    rows = ["| `%s` | `%s` | %s | %s | %s |" % (v["file"], v["derived_from"], v["how"], v["analyzer"],
                                               v["plugin"]) for v in EXPECT]
    with open(path, "w") as f:
        f.write(text[:cut] + README_INTRO + "\n".join(rows) + "\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in (v_split, v_reorder, v_duplicate, v_overlap, v_gap, v_fragments, v_snaplen,
              v_midsession, v_cut, v_multi_interface, v_multi_interface_ether, v_vlan, v_gzip, v_zstd, v_ringbuffer, v_coalesce,
              v_garbage, v_gap_inside):
        f()
    with open(os.path.join(OUT, "EXPECT.json"), "w") as f:
        json.dump(EXPECT, f, indent=2)
        f.write("\n")
    update_readme()
    for e in EXPECT:
        print("wrote", e["file"])


if __name__ == "__main__":
    sys.exit(main())
