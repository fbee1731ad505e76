"""PacketCable client-specific COPS objects for the capture peers: PCMM (client-type 0x800A,
PKT-SP-MM-I05 6.4.2) and DQoS (0x8008, the layouts Wireshark and Asterisk agree on).

Written from /work/shared/specs/packetcable-notes.md. Every S-object is
`Length u16 | S-Num u8 | S-Type u8 | body`, Length counting the header and the NUL padding
of variable bodies (PKT-SP-MM-I05 6.4.2.7.2). `issue=3/4` writes the older Traffic Profile
parameter sets (no Attribute Aggregation Rule Mask in I04; I03 without masks and MCB).
"""
import socket
import struct

CT_DQOS = 0x8008
CT_PCMM = 0x800A

# PCMM Gate Command Types (PKT-SP-MM-I05 6.4.2.1)
GATE_SET, GATE_SET_ACK, GATE_SET_ERR = 4, 5, 6
GATE_INFO, GATE_INFO_ACK, GATE_INFO_ERR = 7, 8, 9
GATE_DELETE, GATE_DELETE_ACK, GATE_DELETE_ERR = 10, 11, 12
GATE_REPORT_STATE, GATE_CMD_ERR = 15, 16
PDP_CONFIG, PDP_CONFIG_ACK, PDP_CONFIG_ERR = 17, 18, 19
SYNCH_REQUEST, SYNCH_REPORT, SYNCH_COMPLETE, MSG_RECEIPT = 20, 21, 22, 23
# DQoS only
GATE_ALLOC, GATE_ALLOC_ACK, GATE_ALLOC_ERR, GATE_OPEN, GATE_CLOSE = 1, 2, 3, 13, 14


def sobj(snum, stype, body):
    body = body + b"\x00" * (-len(body) % 4)          # padding counted in the length
    return struct.pack(">HBB", 4 + len(body), snum, stype) + body


def ip4(a):
    return socket.inet_pton(socket.AF_INET, a)


def ip6(a):
    return socket.inet_pton(socket.AF_INET6, a)


def f32(x):
    return struct.pack(">f", x)


# ---- PCMM ---------------------------------------------------------------------------------
def transaction_id(tid, cmd):                                  # 1/1
    return sobj(1, 1, struct.pack(">HH", tid, cmd))


def amid(app_type, tag):                                       # 2/1
    return sobj(2, 1, struct.pack(">HH", app_type, tag))


def subscriber(addr):                                          # 3/1 IPv4, 3/2 IPv6
    return sobj(3, 2, ip6(addr)) if ":" in addr else sobj(3, 1, ip4(addr))


def gate_id(gid):                                              # 4/1
    return sobj(4, 1, struct.pack(">I", gid))


def gate_spec(upstream, dscp_overwrite=False, dscp=0, mask=0, priority=0, preemption=False,
              t1=0, t2=0, t3=0, t4=0):                         # 5/1
    flags = (1 if upstream else 0) | (2 if dscp_overwrite else 0)
    scid = (priority & 7) | (8 if preemption else 0)
    return sobj(5, 1, struct.pack(">BBBBHHHH", flags, dscp, mask, scid, t1, t2, t3, t4))


def classifier(proto, src, dst, sport, dport, dscp=0, mask=0, prio=64):   # 6/1
    return sobj(6, 1, struct.pack(">HBB4s4sHHB3x", proto, dscp, mask, ip4(src), ip4(dst),
                                  sport, dport, prio))


def ext_classifier(proto, src, smask, dst, dmask, sp=(0, 65535), dp=(0, 65535), cid=1,
                   prio=64, active=1, action=0, dscp=0, mask=0):           # 6/2
    return sobj(6, 2, struct.pack(">HBB4s4s4s4sHHHHHBBB3x", proto, dscp, mask, ip4(src),
                                  ip4(smask), ip4(dst), ip4(dmask), sp[0], sp[1], dp[0], dp[1],
                                  cid, prio, active, action))


def v6_classifier(src, spfx, dst, dpfx, next_header=257, sp=(0, 65535), dp=(0, 65535), cid=1,
                  flow_label=None, tc=(0, 0, 0), prio=64, active=1, action=0):   # 6/3
    flags = 1 if flow_label is not None else 0
    return sobj(6, 3, struct.pack(">BBBBIHBB16s16sHHHHHBBB3x", flags, tc[0], tc[1], tc[2],
                                  flow_label or 0, next_header, spfx, dpfx, ip6(src), ip6(dst),
                                  sp[0], sp[1], dp[0], dp[1], cid, prio, active, action))


def _tp(stype, envelope, sets, byte1=0):
    return sobj(7, stype, struct.pack(">BB2x", envelope, byte1) + b"".join(sets))


def flow_spec(envelope, sets, service=2):                      # 7/1: sets of (r, b, p, m, M, R, S)
    return _tp(1, envelope, [f32(r) + f32(b) + f32(p) + struct.pack(">II", m, M) + f32(R) +
                             struct.pack(">I", S) for (r, b, p, m, M, R, S) in sets], service)


def service_class_name(envelope, name):                        # 7/2: NUL-terminated, padded
    return sobj(7, 2, struct.pack(">B3x", envelope) + name.encode() + b"\x00")


def _docsis_tail(issue, ram, fam, aarm):
    if issue == 5:
        return struct.pack(">III", ram, fam, aarm)
    if issue == 4:
        return struct.pack(">II", ram, fam)
    return b""


def best_effort(envelope, sets, issue=5):                      # 7/3: (tp, rtp, mstr, mtb, mrtr, amrtrps, mcb)
    out = []
    for (tp, rtp, mstr, mtb, mrtr, amrtrps, mcb) in sets:
        out.append(struct.pack(">B3xIIIIHH", tp, rtp, mstr, mtb, mrtr, amrtrps,
                               mcb if issue >= 4 else 0) + _docsis_tail(issue, 0x10, 0x20, 0x1))
    return _tp(3, envelope, out)


def nrtps(envelope, sets, issue=5):                            # 7/4: (..., npi)
    out = []
    for (tp, rtp, mstr, mtb, mrtr, amrtrps, mcb, npi) in sets:
        out.append(struct.pack(">B3xIIIIHHI", tp, rtp, mstr, mtb, mrtr, amrtrps,
                               mcb if issue >= 4 else 0, npi) + _docsis_tail(issue, 0, 0, 0))
    return _tp(4, envelope, out)


def rtps(envelope, sets, issue=5):                             # 7/5: (rtp, mstr, mtb, mrtr, amrtrps, mcb, npi, tpj)
    out = []
    for (rtp, mstr, mtb, mrtr, amrtrps, mcb, npi, tpj) in sets:
        out.append(struct.pack(">IIIIHHII", rtp, mstr, mtb, mrtr, amrtrps,
                               mcb if issue >= 4 else 0, npi, tpj) + _docsis_tail(issue, 0, 0, 0))
    return _tp(5, envelope, out)


def ugs(envelope, sets, issue=5):                              # 7/6: (rtp, ugs, gpi, ngi, tgj)
    out = []
    for (rtp, size, gpi, ngi, tgj) in sets:
        out.append(struct.pack(">IHBxII", rtp, size, gpi, ngi, tgj) +
                   _docsis_tail(issue, 0x2, 0x4, 0x0))
    return _tp(6, envelope, out)


def ugs_ad(envelope, sets, issue=5):                           # 7/7: (rtp, ugs, gpi, ngi, tgj, npi, tpj)
    out = []
    for (rtp, size, gpi, ngi, tgj, npi, tpj) in sets:
        out.append(struct.pack(">IHBxIIII", rtp, size, gpi, ngi, tgj, npi, tpj) +
                   _docsis_tail(issue, 0, 0, 0))
    return _tp(7, envelope, out)


def downstream(envelope, sets, issue=5):                       # 7/8: (tp, reseq, mstr, mtb, mrtr, amrtrps, latency, peak)
    out = []
    for (tp, reseq, mstr, mtb, mrtr, amrtrps, latency, peak) in sets:
        if issue >= 4:
            out.append(struct.pack(">BB2xIIIH2xII", tp, reseq, mstr, mtb, mrtr, amrtrps, latency,
                                   peak) + _docsis_tail(issue, 0, 0, 0))
        else:
            out.append(struct.pack(">B3xIIIH2xI", tp, mstr, mtb, mrtr, amrtrps, latency))
    return _tp(8, envelope, out)


def upstream_drop():                                           # 7/9 (I04+): envelope must be 7
    return _tp(9, 7, [])


def bcid(ts, element, tz, counter):
    return struct.pack(">I8s8sI", ts, element.encode(), tz.encode(), counter)


def event_generation_info(prks, prks_port, srks, srks_port, bc):   # 8/1 IPv4, 8/2 IPv6
    if ":" in prks:
        return sobj(8, 2, ip6(prks) + struct.pack(">H2x", prks_port) + ip6(srks) +
                    struct.pack(">H2x", srks_port) + bc)
    return sobj(8, 1, ip4(prks) + struct.pack(">H2x", prks_port) + ip4(srks) +
                struct.pack(">H2x", srks_port) + bc)


def volume_limit(kb):                                          # 9/1
    return sobj(9, 1, struct.pack(">Q", kb))


def time_limit(seconds):                                       # 10/1
    return sobj(10, 1, struct.pack(">I", seconds))


def opaque_data(data8):                                        # 11/1: fixed 8 bytes
    return sobj(11, 1, data8)


def gate_time_info(seconds):                                   # 12/1
    return sobj(12, 1, struct.pack(">I", seconds))


def gate_usage_info(kb):                                       # 13/1
    return sobj(13, 1, struct.pack(">Q", kb))


def pktc_error(code, sub=0):                                   # 14/1
    return sobj(14, 1, struct.pack(">HH", code, sub))


def gate_state(state, reason):                                 # 15/1
    return sobj(15, 1, struct.pack(">HH", state, reason))


def version_info(major, minor):                                # 16/1
    return sobj(16, 1, struct.pack(">HH", major, minor))


def psid(v):                                                   # 17/1
    return sobj(17, 1, struct.pack(">I", v))


def synch_options(report_type, synch_type):                    # 18/1
    return sobj(18, 1, struct.pack(">2xBB", report_type, synch_type))


def msg_receipt_key(v):                                        # 19/1
    return sobj(19, 1, struct.pack(">I", v))


def user_id(name):                                             # 21/1
    return sobj(21, 1, name.encode() + b"\x00")


def shared_resource_id(v):                                     # 22/1
    return sobj(22, 1, struct.pack(">I", v))


# ---- DQoS ---------------------------------------------------------------------------------
def dq_transaction_id(tid, cmd):                               # 1/1
    return sobj(1, 1, struct.pack(">HH", tid, cmd))


def dq_subscriber(addr):                                       # 2/1, 2/2
    return sobj(2, 2, ip6(addr)) if ":" in addr else sobj(2, 1, ip4(addr))


def dq_gate_id(gid):                                           # 3/1
    return sobj(3, 1, struct.pack(">I", gid))


def dq_activity_count(n):                                      # 4/1
    return sobj(4, 1, struct.pack(">I", n))


def dq_gate_spec(direction, proto, session_class, src, dst, sport, dport, ds=0, t1=250, t7=200,
                 t8=300, r=12000.0, b=160.0, p=12000.0, m=80, M=160, R=12000.0, S=800):   # 5/1
    return sobj(5, 1, struct.pack(">BBBB4s4sHHB3xH2xHH", direction, proto, 0, session_class,
                                  ip4(src), ip4(dst), sport, dport, ds, t1, t7, t8) +
                f32(r) + f32(b) + f32(p) + struct.pack(">II", m, M) + f32(R) + struct.pack(">I", S))


def dq_remote_gate_info(cmts, port, flags, remote_gid, algorithm, key16):   # 6/1 (Wireshark's layout)
    return sobj(6, 1, ip4(cmts) + struct.pack(">HHIH4x", port, flags, remote_gid, algorithm) + key16)


def dq_event_generation_info(prks, pport, pflags, srks, sport, sflags, bc):  # 7/1
    return sobj(7, 1, ip4(prks) + struct.pack(">HBx", pport, pflags) + ip4(srks) +
                struct.pack(">HBx", sport, sflags) + bc)


def dq_error(code, sub=0):                                     # 9/1
    return sobj(9, 1, struct.pack(">HH", code, sub))


def dq_surveillance(cdc, cdc_port, flags, ccc, ccc_port, cccid, bc):   # 10/1
    return sobj(10, 1, ip4(cdc) + struct.pack(">HH", cdc_port, flags) + ip4(ccc) +
                struct.pack(">H2xI", ccc_port, cccid) + bc)


def dq_reason(code, sub):                                      # 13/1
    return sobj(13, 1, struct.pack(">HH", code, sub))
