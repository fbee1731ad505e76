#!/usr/bin/python3
"""Hand-built TLS handshake records (no crypto): what a capture of a TLS
handshake shows in clear, for the analyzer's TLS peeker."""
import struct


def _v8(b):
    return bytes([len(b)]) + b


def _v16(b):
    return struct.pack("!H", len(b)) + b


def _v24(b):
    return struct.pack("!I", len(b))[1:] + b


def record(ctype, body, version=0x0303):
    return struct.pack("!BH", ctype, version) + _v16(body)


def handshake(htype, body):
    return bytes([htype]) + _v24(body)


def ext(etype, body):
    return struct.pack("!H", etype) + _v16(body)


def client_hello(sni, versions=(0x0304, 0x0303)):
    b = struct.pack("!H", 0x0303) + b"r" * 32 + _v8(b"")
    b += _v16(struct.pack("!HH", 0x1301, 0xC02F)) + _v8(b"\0")
    exts = ext(0, _v16(b"\0" + _v16(sni.encode())))
    exts += ext(43, _v8(b"".join(struct.pack("!H", v) for v in versions)))
    b += _v16(exts)
    return record(22, handshake(1, b), 0x0301)


def server_hello(suite, selected=None):
    b = struct.pack("!H", 0x0303) + b"s" * 32 + _v8(b"") + struct.pack("!HB", suite, 0)
    exts = ext(43, struct.pack("!H", selected)) if selected else b""
    b += _v16(exts)
    return record(22, handshake(2, b))


def certificate(der):
    return record(22, handshake(11, _v24(_v24(der))))


def server_hello_done():
    return record(22, handshake(14, b""))


def change_cipher_spec():
    return record(20, b"\x01")


def application_data(n):
    return record(23, b"\xaa" * n)


def alert(level, desc):
    return record(21, bytes([level, desc]))
