#!/usr/bin/python3
"""PacketCable COPS peers for the sample captures: the PEP (CMTS, listening) and the PDP
(policy server or CMS, connecting), client-types 0x800A (PCMM, port 3918) and 0x8008 (DQoS,
port 2126). Loopback only.

Both roles play the same script, a list of (sender, COPS message) steps: a role sends its own
steps and reads the other side's, checking each op-code. The CMTS counts padding in its COPS
object lengths, as deployed CMTSes do (see cops_wire.obj).

Scenarios:
  pcmm-gates  OPN with Version Info 4.0, PDP-Config/Ack (PSID), Gate-Sets with every Traffic
              Profile kind (Flow Spec, Service Class Name, Best Effort I05 and I03, nRTPS, RTPS,
              UGS, UGS/AD I04, Downstream, Upstream Drop), legacy/extended/IPv6 classifiers,
              IPv4 and IPv6 subscribers, EGI (IPv4, IPv6), usage limits, Opaque Data, UserID;
              three gates outstanding at once and answered out of order; Gate-Set-Err with
              several error codes; a modifying Gate-Set; Msg-Receipt; Gate-Info/Ack; unsolicited
              Gate-Report-State; Gate-Delete/Ack and /Err; Synch-Request, two Synch-Reports,
              Synch-Complete; an unknown command answered by Gate-Cmd-Err; one Gate-Set left
              unanswered.
  dqos        Gate-Alloc/Ack, Gate-Set (two Gate Specs, Remote Gate Info, EGI, Electronic
              Surveillance Parameters)/Ack, unsolicited Gate-Open, Gate-Info/Ack, Gate-Set-Err,
              Gate-Close with a PacketCable Reason, Gate-Delete/Ack.
"""
import argparse
import sys
import time

sys.path.insert(0, __import__("os").path.dirname(__file__))
from cops_peer import accept, close, connect, listen  # noqa: E402
from cops_wire import *  # noqa: E402,F401,F403
from pktc_wire import *  # noqa: E402,F401,F403

HOST = "127.0.0.1"
HANDLE = b"\x00\x00\x12\x34\xab\xcd"            # 6 bytes: the CMTS counts its padding
PEP, PDP = "pep", "pdp"
P = dict(padded_lengths=True)                    # how the CMTS writes COPS objects


def dec(ct, data, solicited=False):
    return (PDP, message(DEC, ct, [handle(HANDLE), context(8, 0), decision_flags(1, 1),
                                   decision_data(4, data)], flags=FLAG_SOLICITED if solicited else 0))


def rpt(ct, data, report=1, solicited=True):
    return (PEP, message(RPT, ct, [handle(HANDLE, **P), report_type(report, **P),
                                   client_si_signaled(data, **P)],
                         flags=FLAG_SOLICITED if solicited else 0))


def opening(ct, pep, version=None):
    si = [client_si_signaled(version_info(*version), **P)] if version else []
    return [(PEP, message(OPN, ct, [pep_id(pep, **P)] + si)),
            (PDP, message(CAT, ct, [ka_timer(30)])),
            (PEP, message(REQ, ct, [handle(HANDLE, **P), context(8, 0, **P)]))]


def closing():
    return [(PEP, message(KA, 0, [])), (PDP, message(KA, 0, []))]


def pcmm_gates():
    ct = CT_PCMM
    AM = amid(1, 0x4d2)
    BC = bcid(0x5e0a1b2c, "CMTS0007", "+0100000", 42)
    rks = event_generation_info("10.0.0.50", 1813, "10.0.0.51", 1813, BC)
    sub1, sub2, sub6 = "10.32.110.180", "10.32.110.181", "2001:db8:0:110::b4"
    cls1 = classifier(17, "10.32.110.180", "192.0.2.10", 5060, 5060, dscp=0xb8, mask=0xfc)
    up = gate_spec(True, dscp_overwrite=True, dscp=0xb8, mask=0xfc, priority=5, preemption=True,
                   t1=200, t2=0, t3=300, t4=60)
    down = gate_spec(False, priority=2, t1=180)
    be = (1, 0x000001ff, 1000000, 3044, 64000, 100, 1522)
    steps = opening(ct, "cmts-7.example.net", (4, 0))
    steps += [dec(ct, transaction_id(1, PDP_CONFIG) + psid(0x00001234), solicited=True),
              rpt(ct, transaction_id(1, PDP_CONFIG_ACK))]
    # Three gates outstanding at once, answered out of order.
    steps += [
        dec(ct, transaction_id(36563, GATE_SET) + AM + subscriber(sub1) + up +
            service_class_name(7, "extrm_up") + cls1 + rks + volume_limit(1048576) +
            time_limit(3600) + opaque_data(b"AMdata01") + user_id("alice@example.net")),
        dec(ct, transaction_id(2, GATE_SET) + AM + subscriber(sub2) + down +
            flow_spec(1, [(12000.0, 1500.0, 25000.5, 64, 1500, 12000.0, 800)], service=2) +
            ext_classifier(17, "192.0.2.0", "255.255.255.0", "10.32.110.181", "255.255.255.255",
                           sp=(1024, 2047), dp=(16384, 32767), cid=7, prio=100)),
        dec(ct, transaction_id(3, GATE_SET) + AM + subscriber(sub6) + down +
            best_effort(7, [be, (2,) + be[1:], (3,) + be[1:]]) +
            v6_classifier("2001:db8::10", 128, "2001:db8:0:110::b4", 64, next_header=17,
                          dp=(5004, 5005), cid=3, flow_label=0x12345, tc=(0x20, 0x28, 0xfc)) +
            event_generation_info("2001:db8::50", 1813, "2001:db8::51", 1814, BC)),
        rpt(ct, transaction_id(3, GATE_SET_ACK) + AM + subscriber(sub6) + gate_id(0x7f6e0103)),
        rpt(ct, transaction_id(36563, GATE_SET_ACK) + AM + subscriber(sub1) + gate_id(0x7f6e0105) +
            opaque_data(b"AMdata01") + msg_receipt_key(0xc0ffee01)),
        rpt(ct, transaction_id(2, GATE_SET_ERR) + AM + subscriber(sub2) + pktc_error(1, 0), report=2),
        dec(ct, transaction_id(0, MSG_RECEIPT) + msg_receipt_key(0xc0ffee01)),
    ]
    # The other Traffic Profile kinds, one gate each.
    kinds = [
        (4, nrtps(3, [(1, 0x3f, 2000000, 3044, 128000, 200, 1522, 10000),
                      (1, 0x3f, 1000000, 3044, 64000, 200, 1522, 20000)]), 0x7f6e0106),
        (5, rtps(1, [(0x1f, 3000000, 3044, 256000, 300, 1522, 5000, 1000)]), 0x7f6e0107),
        (6, ugs(7, [(0x17f, 232, 1, 20000, 800)]), 0x7f6e0108),
        (7, ugs_ad(3, [(0x17f, 232, 1, 20000, 800, 10000, 2000),
                       (0x17f, 200, 1, 20000, 800, 10000, 2000)], issue=4), 0x7f6e0109),
        (8, downstream(7, [(3, 1, 5000000, 3044, 1000000, 100, 20000, 8000000),
                           (3, 1, 4000000, 3044, 500000, 100, 20000, 6000000),
                           (3, 0, 3000000, 3044, 250000, 100, 20000, 4000000)]), 0x7f6e010a),
        (10, best_effort(7, [be, be, be], issue=3), 0x7f6e010b),
    ]
    for tid, tp, gid in kinds:
        steps += [dec(ct, transaction_id(tid, GATE_SET) + AM + subscriber(sub1) + up + tp + cls1),
                  rpt(ct, transaction_id(tid, GATE_SET_ACK) + AM + subscriber(sub1) + gate_id(gid))]
    steps += [
        # Upstream Drop: T1-T4 zero; this CMTS has no such CMs.
        dec(ct, transaction_id(9, GATE_SET) + AM + subscriber(sub1) + gate_spec(True) +
            upstream_drop() + cls1),
        rpt(ct, transaction_id(9, GATE_SET_ERR) + AM + subscriber(sub1) + pktc_error(27), report=2),
        # No classifier: the CMTS names the missing object (S-Num 6, S-Type 0).
        dec(ct, transaction_id(11, GATE_SET) + AM + subscriber(sub1) + up +
            service_class_name(7, "extrm_up")),
        rpt(ct, transaction_id(11, GATE_SET_ERR) + AM + subscriber(sub1) + pktc_error(6, 0x0600),
            report=2),
        # Modify gate 0x7f6e0105: new service class.
        dec(ct, transaction_id(12, GATE_SET) + AM + subscriber(sub1) + gate_id(0x7f6e0105) + up +
            service_class_name(3, "extrm_dn") + cls1),
        rpt(ct, transaction_id(12, GATE_SET_ACK) + AM + subscriber(sub1) + gate_id(0x7f6e0105)),
        dec(ct, transaction_id(13, GATE_INFO) + AM + subscriber(sub6) + gate_id(0x7f6e0103)),
        rpt(ct, transaction_id(13, GATE_INFO_ACK) + AM + subscriber(sub6) + gate_id(0x7f6e0103) +
            down + v6_classifier("2001:db8::10", 128, "2001:db8:0:110::b4", 64, next_header=17,
                                 dp=(5004, 5005), cid=3, action=3) +
            best_effort(7, [be]) + gate_time_info(95) + gate_usage_info(20480) + gate_state(4, 0)),
        rpt(ct, transaction_id(0, GATE_REPORT_STATE) + AM + subscriber(sub1) + gate_id(0x7f6e0106) +
            gate_state(1, 3) + gate_time_info(0) + gate_usage_info(0), report=3, solicited=False),
        dec(ct, transaction_id(14, GATE_DELETE) + AM + subscriber(sub1) + gate_id(0x7f6e0105)),
        rpt(ct, transaction_id(14, GATE_DELETE_ACK) + AM + gate_id(0x7f6e0105)),
        dec(ct, transaction_id(15, GATE_DELETE) + AM + subscriber(sub1) + gate_id(0x0badbeef)),
        rpt(ct, transaction_id(15, GATE_DELETE_ERR) + AM + gate_id(0x0badbeef) + pktc_error(2), report=2),
        dec(ct, transaction_id(16, SYNCH_REQUEST) + psid(0x00001234) + synch_options(0, 0)),
    ]
    for gid, state, sub in ((0x7f6e0103, 4, sub6), (0x7f6e0107, 2, sub1)):
        steps.append(rpt(ct, transaction_id(16, SYNCH_REPORT) + AM + subscriber(sub) +
                         gate_id(gid) + gate_state(state, 0) + gate_time_info(120) +
                         gate_usage_info(4096) + psid(0x00001234)))
    steps += [
        rpt(ct, transaction_id(16, SYNCH_COMPLETE) + psid(0x00001234)),
        dec(ct, transaction_id(17, 99) + AM),
        rpt(ct, transaction_id(17, GATE_CMD_ERR) + AM + pktc_error(19, 99), report=2),
        dec(ct, transaction_id(18, GATE_SET) + AM + subscriber(sub2) + down +
            service_class_name(1, "besteffort") + cls1),   # never answered
    ]
    return steps + closing()


def dqos():
    ct = CT_DQOS
    sub, sub2 = "10.1.2.3", "10.1.2.4"
    BC = bcid(0x5e0a1b2c, "CMS00001", "+0100000", 7)
    specs = (dq_gate_spec(0, 17, 1, "192.0.2.20", "10.1.2.3", 16384, 5004, ds=0xb8) +
             dq_gate_spec(1, 17, 1, "10.1.2.3", "192.0.2.20", 5004, 16384, ds=0xb8))
    steps = opening(ct, "cmts-dqos.example.net")
    steps += [
        dec(ct, dq_transaction_id(1, GATE_ALLOC) + dq_subscriber(sub) + dq_activity_count(4),
            solicited=True),
        rpt(ct, dq_transaction_id(1, GATE_ALLOC_ACK) + dq_subscriber(sub) + dq_gate_id(0x1001) +
            dq_activity_count(1)),
        dec(ct, dq_transaction_id(2, GATE_SET) + dq_subscriber(sub) + dq_gate_id(0x1001) +
            dq_activity_count(4) + specs +
            dq_remote_gate_info("192.0.2.99", 2126, 0, 0x2002, 100, bytes(range(16))) +
            dq_event_generation_info("10.0.0.50", 1813, 1, "10.0.0.51", 1813, 0, BC) +
            dq_surveillance("10.0.0.60", 5555, 1, "10.0.0.61", 5556, 77, BC)),
        rpt(ct, dq_transaction_id(2, GATE_SET_ACK) + dq_subscriber(sub) + dq_gate_id(0x1001) +
            dq_activity_count(1)),
        rpt(ct, dq_transaction_id(0, GATE_OPEN) + dq_subscriber(sub) + dq_gate_id(0x1001),
            report=3, solicited=False),
        dec(ct, dq_transaction_id(3, GATE_INFO) + dq_subscriber(sub) + dq_gate_id(0x1001)),
        rpt(ct, dq_transaction_id(3, GATE_INFO_ACK) + dq_subscriber(sub) + dq_gate_id(0x1001) + specs),
        dec(ct, dq_transaction_id(4, GATE_SET) + dq_subscriber(sub2) + dq_activity_count(5) + specs),
        rpt(ct, dq_transaction_id(4, GATE_SET_ERR) + dq_subscriber(sub2) + dq_error(1, 0), report=2),
        rpt(ct, dq_transaction_id(0, GATE_CLOSE) + dq_subscriber(sub) + dq_gate_id(0x1001) +
            dq_reason(1, 0), report=3, solicited=False),
        dec(ct, dq_transaction_id(5, GATE_DELETE) + dq_subscriber(sub) + dq_gate_id(0x1001)),
        rpt(ct, dq_transaction_id(5, GATE_DELETE_ACK) + dq_subscriber(sub) + dq_gate_id(0x1001) +
            dq_reason(0, 0)),
    ]
    return steps + closing()


def op_of(msg):
    return msg[1]


def play(sock, me, steps):
    for who, msg in steps:
        if who == me:
            sock.sendall(msg)
            time.sleep(0.02)                 # one COPS message per TCP segment, readable timings
        else:
            expect(sock, op_of(msg))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--role", choices=[PEP, PDP], required=True)
    ap.add_argument("--scenario", choices=["pcmm-gates", "dqos"], required=True)
    ap.add_argument("--port", type=int, required=True)
    a = ap.parse_args()
    steps = pcmm_gates() if a.scenario == "pcmm-gates" else dqos()
    if a.role == PEP:                        # the CMTS listens; the PDP dials it
        srv = listen(a.port, HOST)
        sock = accept(srv)
        srv.close()
    else:
        sock = connect(a.port, HOST)
    play(sock, a.role, steps)
    time.sleep(0.05)
    if a.role == PEP:
        sock.recv(1)                         # wait for the PDP's FIN
    close(sock)


if __name__ == "__main__":
    main()
