#!/usr/bin/python3
"""Generates a TLS-heavy capture for benchmarking quartet's decryption: SP REQ/REP sessions
over TLS 1.3 with TLS_AES_128_GCM_SHA256 on port 5600, plus the key log that decrypts them.
The handshake carries no key exchange (the key log supplies the secrets, which are random
here), so only what quartet reads is real: ClientHello, ServerHello, the protected
EncryptedExtensions/Finished and the application records, sealed with AES-GCM by
python3-cryptography under keys from HKDF-Expand-Label (RFC 8446 7.1, 7.3).

    gen_tls_capture.py OUT.pcap OUT.keys [--sessions N] [--replies M] [--reply-bytes B]

Decode with: quartet --keylog OUT.keys -d sp/tls=5600 OUT.pcap"""
import argparse
import os
import random
import struct
import sys

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDFExpand

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "e2e", "analyzer"))
from pcapgen import MS, Conn, Pcap  # noqa: E402
import scenarios  # noqa: E402

PORT = 5600
MAX_PLAIN = 16384  # TLS record plaintext limit


def expand_label(secret, label, length):
    full = b"tls13 " + label
    info = struct.pack("!H", length) + bytes([len(full)]) + full + b"\x00"
    return HKDFExpand(hashes.SHA256(), length, info).derive(secret)


class Writer:
    """One direction's record protection (RFC 8446 5.2-5.3)."""

    def __init__(self, secret):
        self.aead = AESGCM(expand_label(secret, b"key", 16))
        self.iv = expand_label(secret, b"iv", 12)
        self.seq = 0

    def records(self, content_type, data):
        out = b""
        for i in range(0, max(len(data), 1), MAX_PLAIN):
            inner = data[i:i + MAX_PLAIN] + bytes([content_type])
            nonce = bytes(a ^ b for a, b in zip(self.iv, b"\0\0\0\0" + struct.pack("!Q", self.seq)))
            header = struct.pack("!BHH", 23, 0x0303, len(inner) + 16)
            out += header + self.aead.encrypt(nonce, inner, header)
            self.seq += 1
        return out


def record(content_type, body):
    return struct.pack("!BHH", content_type, 0x0303, len(body)) + body


def handshake(msg_type, body):
    return bytes([msg_type]) + struct.pack("!I", len(body))[1:] + body


def ext(etype, body):
    return struct.pack("!HH", etype, len(body)) + body


def client_hello(random_bytes):
    exts = ext(43, b"\x02\x03\x04") + ext(51, struct.pack("!HHH", 34, 29, 32) + b"k" * 32)
    body = (struct.pack("!H", 0x0303) + random_bytes + b"\x20" + b"s" * 32 + struct.pack("!HH", 2, 0x1301) +
            b"\x01\x00" + struct.pack("!H", len(exts)) + exts)
    return record(22, handshake(1, body))


def server_hello(random_bytes):
    exts = ext(43, b"\x03\x04") + ext(51, struct.pack("!HH", 29, 32) + b"K" * 32)
    body = (struct.pack("!H", 0x0303) + random_bytes + b"\x20" + b"s" * 32 + struct.pack("!H", 0x1301) + b"\x00" +
            struct.pack("!H", len(exts)) + exts)
    return record(22, handshake(2, body))


def session(p, keys, rng, client, server, t, replies, reply_bytes):
    secrets = {k: rng.randbytes(32) for k in ("ch", "sh", "ca", "sa")}
    crandom = rng.randbytes(32)
    for label, k in (("CLIENT_HANDSHAKE_TRAFFIC_SECRET", "ch"), ("SERVER_HANDSHAKE_TRAFFIC_SECRET", "sh"),
                     ("CLIENT_TRAFFIC_SECRET_0", "ca"), ("SERVER_TRAFFIC_SECRET_0", "sa")):
        keys.write("%s %s %s\n" % (label, crandom.hex(), secrets[k].hex()))
    c = Conn(p, client, server)
    t = c.handshake(t)
    c.send("c", client_hello(crandom), t + MS // 10)
    server_hs = Writer(secrets["sh"])
    flight = handshake(8, b"\x00\x00") + handshake(20, rng.randbytes(32))  # EncryptedExtensions, Finished
    c.send("s", server_hello(rng.randbytes(32)) + server_hs.records(22, flight), t + MS // 5)
    client_hs = Writer(secrets["ch"])
    c.send("c", client_hs.records(22, handshake(20, rng.randbytes(32))), t + MS // 2)
    cw, sw = Writer(secrets["ca"]), Writer(secrets["sa"])
    c.send("c", cw.records(23, scenarios.sp_header(0x30)), t + MS)
    c.send("s", sw.records(23, scenarios.sp_header(0x31)), t + MS)
    body = rng.randbytes(reply_bytes)
    for i in range(replies):
        rid = struct.pack("!I", 0x80000001 + i)
        c.send("c", cw.records(23, scenarios.sp_msg(rid + b"get chunk %d" % i)), t + (2 + i) * MS)
        c.send("s", sw.records(23, scenarios.sp_msg(rid + body)), t + (2 + i) * MS + MS // 2)
    c.close(t + (3 + replies) * MS)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("keys")
    ap.add_argument("--sessions", type=int, default=200)
    ap.add_argument("--replies", type=int, default=16)
    ap.add_argument("--reply-bytes", type=int, default=16000)
    args = ap.parse_args()
    rng = random.Random(7)
    t = scenarios.T0
    with open(args.out, "wb") as f, open(args.keys, "w") as keys:
        for batch in range(0, args.sessions, 20):
            p = Pcap(checksums=False)
            for s in range(batch, min(args.sessions, batch + 20)):
                session(p, keys, rng, ("10.9.%d.%d" % (s // 250, s % 250 + 1), 30000 + s), ("10.8.0.1", PORT),
                        t + (s - batch) * 2 * MS, args.replies, args.reply_bytes)
            data = p.to_bytes()
            f.write(data if batch == 0 else data[24:])
            t += 20 * 2 * MS + (args.replies + 10) * MS
    print("wrote %s: %d TLS sessions, %.1f MB" % (args.out, args.sessions, os.path.getsize(args.out) / 1e6))


if __name__ == "__main__":
    main()
