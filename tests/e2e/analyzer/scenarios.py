#!/usr/bin/python3
"""The captures the analyzer's end-to-end tests run on, built packet by packet
so that every expected value is known: see run_e2e.py for what is asserted."""
import os
import struct
import subprocess

from pcapgen import MS, Conn, Pcap
import tlsgen

T0 = 1_700_000_000 * 1_000_000_000  # 2023-11-14 22:13:20 UTC

RRP_BANNER = b"NSI Registry RRP Server version 1.1.0\r\nBuild 2000-05-01 14:00\r\n.\r\n"
RRP_SESSION = b"session\r\n-Id:registrarA\r\n-Password:i-am-registrarA\r\n.\r\n"
RRP_OK = b"200 Command completed successfully\r\n.\r\n"
RRP_CHECK = b"check\r\nEntityName:Domain\r\nDomainName:example.com\r\n.\r\n"
RRP_AVAILABLE = b"210 Domain name available\r\n.\r\n"
RRP_QUIT = b"quit\r\n.\r\n"
RRP_QUIT_REPLY = b"220 Command completed successfully. Server closing connection\r\n.\r\n"


def sp_header(sock_type):
    return b"\x00SP\x00" + struct.pack("!H", sock_type) + b"\x00\x00"


def sp_msg(body):
    return struct.pack("!Q", len(body)) + body


def rrp_session(p, client, server, t, lose_in_check=False, pause=0):
    """Greeting, login, check, quit (after `pause` more ns). Returns the end time."""
    c = Conn(p, client, server)
    t = c.handshake(t)
    c.send("s", RRP_BANNER, t + 1 * MS)
    c.send("c", RRP_SESSION, t + 2 * MS)
    c.send("s", RRP_OK, t + 5 * MS)  # latency 3 ms
    # The check request goes out in 10-byte segments; with lose_in_check, the
    # third one is not captured (a gap inside a request).
    c.send("c", RRP_CHECK, t + 6 * MS, mss=10, lose=(2,) if lose_in_check else ())
    c.send("s", RRP_AVAILABLE, t + 10 * MS)
    t += pause
    c.send("c", RRP_QUIT, t + 11 * MS)
    c.send("s", RRP_QUIT_REPLY, t + 12 * MS)  # latency 1 ms
    c.close(t + 13 * MS, first="s")
    return t + 14 * MS


def mixed(out):
    """RRP (plaintext, heuristic), IAP with a TLS upgrade, SP REQ/REP, SP PUB with
    two subscribers, and two unrelated connections, in this order of first packet."""
    p = Pcap()
    rrp_session(p, ("10.0.0.1", 40001), ("10.0.0.2", 7000), T0)

    iap = Conn(p, ("10.0.0.3", 40002), ("10.0.0.4", 4720))
    t = iap.handshake(T0 + 1 * MS)
    iap.send("c", b"IAP/0.3 CONNECT M.DOM.ORG\r\n\r\n", t + 1 * MS)
    iap.send("s", b"IAP/0.3 200\r\n\r\n", t + 3 * MS)
    iap.send("c", b"IAP/0.3 Upgrade: TLS/1.0\r\n\r\n", t + 4 * MS)
    iap.send("s", b"IAP/0.3 101\r\n\r\n", t + 6 * MS)
    iap.send("c", tlsgen.client_hello("ids.example.org"), t + 7 * MS)
    iap.send("s", tlsgen.server_hello(0xC02F) + tlsgen.server_hello_done(), t + 8 * MS)
    iap.send("c", tlsgen.change_cipher_spec() + tlsgen.application_data(64), t + 9 * MS)
    iap.close(t + 20 * MS)

    req = Conn(p, ("10.0.0.5", 40003), ("10.0.0.6", 5555))
    t = req.handshake(T0 + 2 * MS)
    req.send("c", sp_header(0x30), t + 1 * MS)
    req.send("s", sp_header(0x31), t + 1 * MS + 50_000)
    for i in range(3):
        rid = struct.pack("!I", 0x80000001 + i)
        req.send("c", sp_msg(rid + b"ping %d" % i), t + (2 + 2 * i) * MS)
        req.send("s", sp_msg(rid + b"pong %d" % i), t + (2 + 2 * i) * MS + 500_000)  # 0.5 ms
    req.close(t + 10 * MS)

    for n, port in enumerate((40004, 40005)):
        sub = Conn(p, ("10.0.0.8", port), ("10.0.0.7", 6000))
        t = sub.handshake(T0 + (3 + n) * MS)
        sub.send("c", sp_header(0x21), t + 1 * MS)
        sub.send("s", sp_header(0x20), t + 1 * MS)
        for i in range(4 + n):  # 4 messages to the first subscriber, 5 to the second
            sub.send("s", sp_msg(b"topic.a update %d" % i), t + (2 + i) * MS)
        sub.close(t + 12 * MS, first="c")

    ssh = Conn(p, ("10.0.0.9", 40006), ("10.0.0.10", 22))
    t = ssh.handshake(T0 + 5 * MS)
    ssh.send("s", b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n", t + 1 * MS)
    ssh.send("c", b"SSH-2.0-OpenSSH_9.2p1\r\n", t + 2 * MS)
    ssh.close(t + 3 * MS)

    web = Conn(p, ("10.0.0.11", 40007), ("10.0.0.12", 8080))
    t = web.handshake(T0 + 6 * MS)
    web.send("c", b"\x01\x02\x03\x04binary junk\xff\xfe", t + 1 * MS)
    web.send("s", b"\x00\x00\x00\x00more", t + 2 * MS)
    web.rst("s", t + 3 * MS)
    p.write(out)


def nanos(out):
    """One RRP session with nanosecond timestamps."""
    p = Pcap(nanos=True)
    rrp_session(p, ("10.1.0.1", 41000), ("10.1.0.2", 7000), T0 + 123_456_789)
    p.write(out)


def gap(out):
    """An RRP session where one segment of a request was not captured; the quit
    comes 2 s later, so the reassembler has declared the gap by then (its
    acknowledged-hole wait is 1 s) and delivers the 210 before the quit."""
    p = Pcap()
    rrp_session(p, ("10.2.0.1", 42000), ("10.2.0.2", 7000), T0, lose_in_check=True, pause=2000 * MS)
    p.write(out)


def tls648(out, workdir):
    """RRP over TLS on its port 648: ClientHello, ServerHello, Certificate in clear."""
    der = os.path.join(workdir, "cert.der")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-subj", "/O=Registry/CN=rrp.registry.example", "-days", "1", "-outform", "DER",
                    "-keyout", os.path.join(workdir, "key.pem"), "-out", der],
                   check=True, capture_output=True)
    cert = open(der, "rb").read()
    p = Pcap()
    c = Conn(p, ("10.3.0.1", 43000), ("10.3.0.2", 648))
    t = c.handshake(T0)
    c.send("c", tlsgen.client_hello("rrp.registry.example", versions=(0x0303,)), t + 1 * MS)
    c.send("s", tlsgen.server_hello(0xC030) + tlsgen.certificate(cert) + tlsgen.server_hello_done(), t + 2 * MS)
    c.send("c", tlsgen.change_cipher_spec() + tlsgen.application_data(48), t + 3 * MS)
    c.send("s", tlsgen.change_cipher_spec() + tlsgen.application_data(48), t + 4 * MS)
    c.send("s", tlsgen.alert(2, 42), t + 5 * MS)  # encrypted by now: shown as such
    c.rst("c", t + 6 * MS)
    p.write(out)


def truncated(out, mixed_path):
    """The mixed capture cut in the middle of a packet record."""
    data = open(mixed_path, "rb").read()
    with open(out, "wb") as f:
        f.write(data[: len(data) - 30])


def split(src, out_a, out_b):
    """The records of a pcap dealt alternately into two files (like two capture points or ring files)."""
    data = open(src, "rb").read()
    header, pos, parts = data[:24], 24, ([], [])
    n = 0
    while pos + 16 <= len(data):
        caplen = struct.unpack("<IIII", data[pos:pos + 16])[2]
        parts[n % 2].append(data[pos:pos + 16 + caplen])
        pos += 16 + caplen
        n += 1
    for path, recs in ((out_a, parts[0]), (out_b, parts[1])):
        with open(path, "wb") as f:
            f.write(header + b"".join(recs))


def messy(src, out):
    """The same packets with capture trouble: every 5th packet swapped with the next
    one (timestamps left in file order, as a capture sees reordering), every 7th
    packet captured twice (a retransmission 50 us later)."""
    data = open(src, "rb").read()
    header, pos, recs = data[:24], 24, []
    while pos + 16 <= len(data):
        sec, frac, caplen, wire = struct.unpack("<IIII", data[pos:pos + 16])
        recs.append([sec * 1_000_000 + frac, data[pos + 16:pos + 16 + caplen]])
        pos += 16 + caplen
    frames = [r[1] for r in recs]
    for i in range(5, len(frames) - 1, 5):
        frames[i], frames[i + 1] = frames[i + 1], frames[i]
    out_recs = []
    for i, (ts, _) in enumerate(recs):
        out_recs.append((ts, frames[i]))
        if i % 7 == 3:
            out_recs.append((ts + 50, frames[i]))
    with open(out, "wb") as f:
        f.write(header)
        for ts, frame in out_recs:
            f.write(struct.pack("<IIII", ts // 1_000_000, ts % 1_000_000, len(frame), len(frame)) + frame)


def tunnels(out):
    """An RRP session in clear, then a second one whose every packet travels in GRE
    (outer 192.0.2.1 -> 192.0.2.2, as a mirrored ERSPAN or GRE feed looks without
    its ERSPAN header), then one packet to VXLAN's UDP port."""
    inner = Pcap()
    rrp_session(inner, ("10.0.0.1", 40001), ("10.0.0.2", 648), T0)
    p = Pcap()
    rrp_session(p, ("10.0.0.5", 40005), ("10.0.0.6", 648), T0)

    def outer_ip(proto, payload):
        return struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 0, 0, 64, proto, 0,
                           bytes([192, 0, 2, 1]), bytes([192, 0, 2, 2])) + payload

    eth = b"\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00"
    for ts, frame in inner.records:
        gre = struct.pack("!HH", 0, 0x0800) + frame[14:]  # the inner IPv4 packet, without its Ethernet header
        p.add(ts + 100 * MS, eth + outer_ip(47, gre))
    vxlan = struct.pack("!HHHH", 50000, 4789, 8 + 8 + 14, 0) + b"\x08" + bytes(7) + bytes(14)
    p.add(T0 + 300 * MS, eth + outer_ip(17, vxlan))
    p.write(out)


def gzipped(src, out):
    import gzip
    with open(src, "rb") as f, gzip.open(out, "wb") as g:
        g.write(f.read())


def garbage(out):
    with open(out, "wb") as f:
        f.write(b"this is not a capture file at all\n" * 10)


def build(workdir):
    paths = {name: os.path.join(workdir, name + ".pcap") for name in
             ("mixed", "nanos", "gap", "tls648", "truncated", "garbage", "tunnels")}
    mixed(paths["mixed"])
    nanos(paths["nanos"])
    gap(paths["gap"])
    tls648(paths["tls648"], workdir)
    truncated(paths["truncated"], paths["mixed"])
    paths["half_a"], paths["half_b"] = (os.path.join(workdir, "half-a.pcap"), os.path.join(workdir, "half-b.pcap"))
    split(paths["mixed"], paths["half_a"], paths["half_b"])
    paths["messy"] = os.path.join(workdir, "messy.pcap")
    messy(paths["mixed"], paths["messy"])
    paths["gzip"] = os.path.join(workdir, "mixed.pcap.gz")
    gzipped(paths["mixed"], paths["gzip"])
    garbage(paths["garbage"])
    tunnels(paths["tunnels"])
    return paths


if __name__ == "__main__":
    import sys
    os.makedirs(sys.argv[1], exist_ok=True)
    for k, v in build(sys.argv[1]).items():
        print(k, v)
