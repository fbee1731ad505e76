#!/usr/bin/python3
"""Generates a capture of TCP traffic that is none of quartet's protocols, for the plugin's
heuristics: their cost on traffic they must reject (bench/plugin_cost.py) and their false
positives (ctest plugin.heuristics_unrelated_tcp, which wants none).

    gen_unrelated_tcp.py OUT.pcap OUT.keys [--flows N] [--seed S]

Per round: HTTP/1.1 (text, JSON and binary bodies; ports 80, 8080 and a random high port),
TLS 1.2 carrying HTTP (real TLS from Python's ssl over memory BIOs; port 443 and a random high
port; the client's key log is written to OUT.keys so Wireshark decrypts it and the `tls`
heuristics see the HTTP inside), bulk random binary on random ports (a first segment of random
bytes is what a COPS or SP probe could mistake), and line-based text protocols (SMTP-, Redis-,
FTP-like greetings and commands) that resemble RRP's and IAP's text. Segments are at most 1448
bytes, so bodies span many segments as on a real link."""
import argparse
import os
import random
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "e2e", "plugin"))
from pcapgen import Conversation, Pcap, TlsSession, make_cert  # noqa: E402

MSS = 1448


def segments(n):
    return [MSS] * (n // MSS)


def http(p, client, server, rng, path, body, ctype):
    c = Conversation(p, client, server).handshake()
    req = ("GET %s HTTP/1.1\r\nHost: example.test\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n" % path).encode()
    c.client(req)
    resp = ("HTTP/1.1 200 OK\r\nServer: SimpleHTTP/0.6 Python/3.11\r\nContent-Type: %s\r\n"
            "Content-Length: %d\r\n\r\n" % (ctype, len(body))).encode() + body
    c.server(resp, split=segments(len(resp)))
    c.close()


def tls_http(p, client, server, rng, cert, keylog, size):
    c = Conversation(p, client, server).handshake()
    s = TlsSession(c, cert[0], cert[1], keylog).handshake()
    s.client_send(b"GET /download HTTP/1.1\r\nHost: example.test\r\n\r\n")
    body = rng.randbytes(size)
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: %d\r\n\r\n" % size
    records = [head] + [body[i:i + 16000] for i in range(0, size, 16000)]
    for r in records:
        s.server_send(r, split=segments(len(r) + 40))
    c.close()


def bulk(p, client, server, rng, size):
    c = Conversation(p, client, server).handshake()
    c.client(rng.randbytes(rng.randint(1, 64)))
    data = rng.randbytes(size)
    c.server(data, split=segments(size))
    c.close()


def text_protocol(p, client, server, rng):
    c = Conversation(p, client, server).handshake()
    kind = rng.randrange(3)
    if kind == 0:    # SMTP
        c.server(b"220 mail.example.test ESMTP Postfix (Debian/GNU)\r\n")
        c.client(b"EHLO client.example.test\r\n")
        c.server(b"250-mail.example.test\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250 8BITMIME\r\n")
        c.client(b"MAIL FROM:<a@example.test>\r\n")
        c.server(b"250 2.1.0 Ok\r\n")
        c.client(b"QUIT\r\n")
        c.server(b"221 2.0.0 Bye\r\n")
    elif kind == 1:  # Redis
        for k in range(5):
            c.client(b"*3\r\n$3\r\nSET\r\n$4\r\nkey%d\r\n$5\r\nvalue\r\n" % k)
            c.server(b"+OK\r\n")
        c.client(b"*2\r\n$3\r\nGET\r\n$4\r\nkey1\r\n")
        c.server(b"$5\r\nvalue\r\n")
    else:            # FTP control
        c.server(b"220 (vsFTPd 3.0.3)\r\n")
        c.client(b"USER anonymous\r\n")
        c.server(b"331 Please specify the password.\r\n")
        c.client(b"PASS guest\r\n")
        c.server(b"230 Login successful.\r\n")
        c.client(b"LIST\r\n")
        c.server(b"150 Here comes the directory listing.\r\n226 Directory send OK.\r\n")
    c.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("keys")
    ap.add_argument("--flows", type=int, default=60, help="rounds of the flows above (9 connections each)")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    if os.path.exists(args.keys):
        os.remove(args.keys)
    p = Pcap(args.out)
    with tempfile.TemporaryDirectory() as tmp:
        cert = make_cert(tmp)
        for r in range(args.flows):
            host = lambda k: "10.%d.%d.%d" % (k, r // 250, r % 250 + 1)  # noqa: E731
            cport = 30000 + r
            http(p, (host(1), cport), (host(2), 80), rng, "/index.html",
                 b"<html><body>" + b"<p>hello</p>" * rng.randint(10, 400) + b"</body></html>", "text/html")
            http(p, (host(1), cport + 1), (host(3), 8080), rng, "/api/items",
                 b'{"items":[' + b",".join(b'{"id":%d}' % i for i in range(rng.randint(1, 300))) + b"]}",
                 "application/json")
            http(p, (host(1), cport + 2), (host(4), rng.randint(1024, 65000)), rng, "/blob",
                 rng.randbytes(rng.randint(1000, 40000)), "application/octet-stream")
            tls_http(p, (host(1), cport + 3), (host(5), 443), rng, cert, args.keys, rng.randint(2000, 30000))
            tls_http(p, (host(1), cport + 4), (host(6), rng.randint(1024, 65000)), rng, cert, args.keys,
                     rng.randint(2000, 30000))
            bulk(p, (host(1), cport + 5), (host(7), rng.randint(1024, 65000)), rng, rng.randint(5000, 60000))
            bulk(p, (host(1), cport + 6), (host(8), 9000), rng, rng.randint(5000, 60000))
            text_protocol(p, (host(1), cport + 7), (host(9), 25), rng)
            text_protocol(p, (host(1), cport + 8), (host(10), rng.randint(1024, 65000)), rng)
    p.close()
    print("wrote %s (%.1f MB) and %s" % (args.out, os.path.getsize(args.out) / 1e6, args.keys))


if __name__ == "__main__":
    main()
