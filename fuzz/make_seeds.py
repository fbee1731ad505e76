#!/usr/bin/env python3
"""Writes the seed corpus for fuzz/protocol_fuzzer: one valid exchange per protocol.

Input layout (see protocol_fuzzer.cpp): byte 0 = protocol (0 COPS, 1 RRP, 2 IAP,
3 SP), then records: a control byte (bit 7 = server side, bits 0-6 = length - 1)
and that many bytes of the stream.
"""
import os
import struct

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


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


def write(name, proto, stream):
    os.makedirs(HERE, exist_ok=True)
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(bytes([proto]) + stream)


C, S = 0, 1
handle = obj(1, 1, struct.pack("!I", 0x1001))
context = obj(2, 1, struct.pack("!HH", 1, 0))
write("cops_open_accept_req_dec", 0, segments(
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
write("cops_pcmm_gate_set", 0, segments(
    (S, cops(6, 0x800A, [obj(11, 1, b"cmts\0"), obj(9, 1, sobj(16, 1, struct.pack("!HH", 4, 0)))])),
    (C, cops(7, 0x800A, [obj(10, 1, struct.pack("!HH", 0, 30))])),
    (S, cops(1, 0x800A, [handle, context])),
    (C, cops(2, 0x800A, [handle, context, obj(6, 1, struct.pack("!HH", 1, 1)), obj(6, 4, pcmm_gate_set)],
             flags=1)),
    (S, cops(3, 0x800A, [handle, obj(12, 1, struct.pack("!HH", 1, 0)), obj(9, 1, pcmm_ack)], flags=1)),
))

write("rrp_session", 1, segments(
    (S, b"registry RRP Server version 2.0.0\r\n.\r\n"),
    (C, b"session\r\n-Id:registrar\r\n-Password:secret\r\n.\r\n"),
    (S, b"200 Command completed successfully\r\n.\r\n"),
    (C, b"check\r\nEntityName:Domain\r\nDomainName:example.com\r\n.\r\n"),
    (S, b"210 Domain name available\r\n.\r\n"),
    (C, b"quit\r\n.\r\n"),
    (S, b"220 Command completed successfully. Server closing connection\r\n.\r\n"),
))
write("iap_connect", 2, segments(
    (C, b"IAP/0.3 CONNECT analyzer.example.com\r\nVia: proxy1\r\n\r\n"),
    (S, b"IAP/0.3 200 OK\r\n\r\n"),
))
hdr_req = b"\0SP\0\0\x30\0\0"
hdr_rep = b"\0SP\0\0\x31\0\0"
write("sp_req_rep", 3, segments(
    (C, hdr_req), (S, hdr_rep),
    (C, struct.pack("!QI", 9, 0x80000001) + b"hello"),
    (S, struct.pack("!QI", 9, 0x80000001) + b"world"),
))
write("sp_huge_length", 3, segments((C, hdr_req), (S, hdr_rep), (C, struct.pack("!Q", 1 << 63) + b"x" * 8)))
