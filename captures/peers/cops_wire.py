"""COPS wire encoding for the capture peers (RFC 2748, COPS-PR RFC 3084, RFC 4261).

Written from the RFC texts: a common header (version 1, flags, op-code, client-type,
32-bit message length), then objects (16-bit length counting the 4-byte object header
but NOT the padding, C-Num, C-Type, contents padded to a 32-bit boundary).
`padded_lengths=True` reproduces a known deviation (a widely used Java PacketCable
stack): the length field counts the padding too.
"""
import hashlib
import hmac
import socket
import struct

# op-codes (RFC 2748 2.1)
REQ, DEC, RPT, DRQ, SSQ, OPN, CAT, CC, KA, SSC = range(1, 11)
OP_NAMES = {REQ: "REQ", DEC: "DEC", RPT: "RPT", DRQ: "DRQ", SSQ: "SSQ", OPN: "OPN",
            CAT: "CAT", CC: "CC", KA: "KA", SSC: "SSC"}
FLAG_SOLICITED = 0x1

# client-types
CT_NONE = 0          # RFC 4261: connection-level security negotiation
CT_RSVP = 1          # RFC 2749
CT_PR = 2            # COPS-PR (RFC 3084), diffServ PIB
CT_PCMM = 0x800A     # PacketCable Multimedia


def pad4(b):
    return b + b"\x00" * (-len(b) % 4)


def obj(cnum, ctype, data, padded_lengths=False):
    length = 4 + len(data)
    if padded_lengths:
        length += -len(data) % 4
    return struct.pack(">HBB", length, cnum, ctype) + pad4(data)


def header(op, client_type, length, flags=0):
    return struct.pack(">BBHI", 0x10 | flags, op, client_type, length)


def message(op, client_type, objects, flags=0):
    body = b"".join(objects)
    return header(op, client_type, 8 + len(body), flags) + body


# ---- objects (RFC 2748 2.2) ----------------------------------------------------------------
def handle(value, **kw):                      # C-Num 1
    return obj(1, 1, value, **kw)


def context(r_type, m_type, **kw):            # C-Num 2
    return obj(2, 1, struct.pack(">HH", r_type, m_type), **kw)


def in_if_v4(addr, ifindex, **kw):            # C-Num 3 / 1
    return obj(3, 1, socket.inet_pton(socket.AF_INET, addr) + struct.pack(">I", ifindex), **kw)


def in_if_v6(addr, ifindex, **kw):            # C-Num 3 / 2
    return obj(3, 2, socket.inet_pton(socket.AF_INET6, addr) + struct.pack(">I", ifindex), **kw)


def out_if_v4(addr, ifindex, **kw):           # C-Num 4 / 1
    return obj(4, 1, socket.inet_pton(socket.AF_INET, addr) + struct.pack(">I", ifindex), **kw)


def out_if_v6(addr, ifindex, **kw):           # C-Num 4 / 2
    return obj(4, 2, socket.inet_pton(socket.AF_INET6, addr) + struct.pack(">I", ifindex), **kw)


def reason(code, sub=0, **kw):                # C-Num 5
    return obj(5, 1, struct.pack(">HH", code, sub), **kw)


def decision_flags(command, flags=0, **kw):   # C-Num 6 / 1: 0 NULL, 1 Install, 2 Remove
    return obj(6, 1, struct.pack(">HH", command, flags), **kw)


def decision_data(ctype, data, **kw):         # C-Num 6 / 2 stateless, 3 replacement, 4 client, 5 named
    return obj(6, ctype, data, **kw)


def lpdp_flags(command, flags=0, **kw):       # C-Num 7 / 1
    return obj(7, 1, struct.pack(">HH", command, flags), **kw)


def lpdp_data(ctype, data, **kw):             # C-Num 7 / 2..5
    return obj(7, ctype, data, **kw)


def error(code, sub=0, **kw):                 # C-Num 8
    return obj(8, 1, struct.pack(">HH", code, sub), **kw)


def client_si_signaled(data, **kw):           # C-Num 9 / 1
    return obj(9, 1, data, **kw)


def client_si_named(data, **kw):              # C-Num 9 / 2
    return obj(9, 2, data, **kw)


def ka_timer(seconds, **kw):                  # C-Num 10
    return obj(10, 1, struct.pack(">HH", 0, seconds), **kw)


def pep_id(name, **kw):                       # C-Num 11: NUL-terminated ASCII
    return obj(11, 1, name.encode() + b"\x00", **kw)


def report_type(rt, **kw):                    # C-Num 12: 1 Success, 2 Failure, 3 Accounting
    return obj(12, 1, struct.pack(">HH", rt, 0), **kw)


def pdp_redirect_v4(addr, port, **kw):        # C-Num 13 / 1
    return obj(13, 1, socket.inet_pton(socket.AF_INET, addr) + struct.pack(">HH", 0, port), **kw)


def pdp_redirect_v6(addr, port, **kw):        # C-Num 13 / 2
    return obj(13, 2, socket.inet_pton(socket.AF_INET6, addr) + struct.pack(">HH", 0, port), **kw)


def last_pdp_v4(addr, port, **kw):            # C-Num 14 / 1
    return obj(14, 1, socket.inet_pton(socket.AF_INET, addr) + struct.pack(">HH", 0, port), **kw)


def last_pdp_v6(addr, port, **kw):            # C-Num 14 / 2
    return obj(14, 2, socket.inet_pton(socket.AF_INET6, addr) + struct.pack(">HH", 0, port), **kw)


def acct_timer(seconds, **kw):                # C-Num 15
    return obj(15, 1, struct.pack(">HH", 0, seconds), **kw)


def integrity_tls(flags=0x0001, **kw):        # C-Num 16 / 2 (RFC 4261): Flags (0x01 StartTLS), Reserved
    return obj(16, 2, struct.pack(">HH", flags, 0), **kw)


def signed_message(op, client_type, objects, key_id, seq, key, flags=0):
    """A message ending in an Integrity object (C-Num 16 / 1): Key ID, Sequence Number and a
    keyed digest (HMAC-MD5 truncated to 96 bits, RFC 2748 2.2.15's default) over the whole
    message up to and including the sequence number."""
    body = b"".join(objects)
    digest_len = 12
    integ_len = 4 + 8 + digest_len
    total = 8 + len(body) + integ_len
    prefix = (header(op, client_type, total, flags) + body
              + struct.pack(">HBB", integ_len, 16, 1) + struct.pack(">II", key_id, seq))
    digest = hmac.new(key, prefix, hashlib.md5).digest()[:digest_len]
    return prefix + digest


# ---- COPS-PR (RFC 3084 4.x): PRC objects inside Named ClientSI / Named Decision Data --------
def pr_obj(snum, stype, data):
    return struct.pack(">HBB", 4 + len(data), snum, stype) + pad4(data)


def ber_oid(dotted):
    parts = [int(x) for x in dotted.split(".")]
    out = bytes([40 * parts[0] + parts[1]])
    for p in parts[2:]:
        chunk = [p & 0x7F]
        p >>= 7
        while p:
            chunk.append(0x80 | (p & 0x7F))
            p >>= 7
        out += bytes(reversed(chunk))
    return b"\x06" + bytes([len(out)]) + out


def ber_int(v):
    n = max(1, (v.bit_length() + 8) // 8)
    return b"\x02" + bytes([n]) + v.to_bytes(n, "big", signed=True)


def ber_unsigned32(v):                        # SMI Unsigned32: [APPLICATION 2] IMPLICIT
    n = max(1, (v.bit_length() + 8) // 8)
    return b"\x42" + bytes([n]) + v.to_bytes(n, "big")


def ber_octets(b):
    return b"\x04" + bytes([len(b)]) + b


def ber_ipaddr(addr):                         # SMI IpAddress: [APPLICATION 0] IMPLICIT
    return b"\x40\x04" + socket.inet_pton(socket.AF_INET, addr)


def prid(oid):
    return pr_obj(1, 1, ber_oid(oid))


def pprid(oid):
    return pr_obj(2, 1, ber_oid(oid))


def epd(*values):
    return pr_obj(3, 1, b"".join(values))


def gperr(code, sub=0):
    return pr_obj(4, 1, struct.pack(">HH", code, sub))


def cperr(code, sub=0):
    return pr_obj(5, 1, struct.pack(">HH", code, sub))


def error_prid(oid):
    return pr_obj(6, 1, ber_oid(oid))


# ---- reading --------------------------------------------------------------------------------
def recv_exact(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise EOFError("peer closed after %d of %d bytes" % (len(buf), n))
        buf += chunk
    return buf


def recv_message(sock):
    hdr = recv_exact(sock, 8)
    vf, op, ct, length = struct.unpack(">BBHI", hdr)
    body = recv_exact(sock, length - 8)
    return op, ct, vf & 0x0F, hdr + body


def expect(sock, op, client_type=None):
    got_op, got_ct, _flags, raw = recv_message(sock)
    if got_op != op or (client_type is not None and got_ct != client_type):
        raise RuntimeError("expected %s/%s, got %s/%s" % (OP_NAMES.get(op), client_type,
                                                        OP_NAMES.get(got_op, got_op), got_ct))
    return raw
