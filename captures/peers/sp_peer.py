#!/usr/bin/python3
"""A minimal SP (nanomsg scalability protocols) REQ peer over TLS, for captures.

nng's TLS (mbedtls) cannot write a TLS key log, so this peer plays the client side
against a real `nngcat --rep --listen tls+tcp://...` and writes the key log itself
(Python ssl, keylog_filename). That makes the capture decryptable with
`tshark -o tls.keylog_file:<name>.keys`.

Wire format (nanomsg sp-tcp-mapping-01, sp-tls-mapping): both sides send the 8-byte
header 00 'S' 'P' 00 <type:16 BE> 00 00 inside TLS, then messages framed by a
64-bit big-endian length. REQ bodies start with one 32-bit request id word with the
top bit set (sp-request-reply-01).
"""
import argparse
import socket
import ssl
import struct
import time

SP_REQ = 0x30
SP_REP = 0x31


def recv_exact(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise EOFError("peer closed")
        buf += chunk
    return buf


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--keylog", required=True)
    ap.add_argument("--requests", nargs="+", default=["status?"])
    args = ap.parse_args()

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE          # self-signed test certificate
    ctx.keylog_filename = args.keylog
    raw = socket.create_connection((args.host, args.port))
    with ctx.wrap_socket(raw, server_hostname="localhost") as tls:
        tls.sendall(b"\x00SP\x00" + struct.pack(">H", SP_REQ) + b"\x00\x00")
        hdr = recv_exact(tls, 8)
        peer_type = struct.unpack(">H", hdr[4:6])[0]
        assert hdr[:4] == b"\x00SP\x00" and peer_type == SP_REP, hdr
        for i, text in enumerate(args.requests):
            req_id = 0x80000000 | (0x1234 + i)
            body = struct.pack(">I", req_id) + text.encode()
            tls.sendall(struct.pack(">Q", len(body)) + body)
            (length,) = struct.unpack(">Q", recv_exact(tls, 8))
            reply = recv_exact(tls, length)
            assert struct.unpack(">I", reply[:4])[0] == req_id, reply
            print("reply:", reply[4:].decode(errors="replace"))
            time.sleep(0.05)


if __name__ == "__main__":
    main()
