#!/usr/bin/python3
"""Wireshark's built-in COPS dissector as the oracle for copsx's PacketCable decoding.

For every PacketCable capture under captures/ (file names with "pcmm" or "dqos"), every
PacketCable value the built-in `cops` shows (tshark WITHOUT our plugin, read from PDML because
many of its items have no filterable JSON value) must appear in `copsx` (tshark WITH the plugin)
in the same frame, with the same value. Field names are mapped once, in MAP below; where the
built-in disagrees with the specification, the item is listed in EXCEPTIONS with the reason and
is not compared. Any depth copsx adds beyond the built-in is extra and not checked here.

  pktc_oracle.py --home PLUGIN_HOME --work DIR CAPTURE...
Exit 0 when every value matched, 1 with a list of mismatches, 77 (skip) without tshark.
"""
import argparse
import re
import os
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET

NOBODY = 65534


def as_int(s):
    s = s.strip()
    if s in ("True", "False"):
        return int(s == "True")
    return int(s, 16) if s.lower().startswith("0x") else int(s)


def as_float(s):
    return float(s)


def as_hex(s):
    return s.replace(":", "").lower()


def bit(k):
    return lambda ours: (as_int(ours) >> k) & 1


def u32_words(ours):
    """copsx shows the DQoS security key as bytes; the built-in as four 32-bit words."""
    raw = bytes.fromhex(as_hex(ours))
    return [struct.unpack(">I", raw[i:i + 4])[0] for i in range(0, len(raw) - 3, 4)]


INT, FLOAT, TEXT, HEX = "int", "float", "text", "hex"

# built-in field -> (copsx fields that may hold the same value, how to compare).
# A compare kind is INT, FLOAT, TEXT, HEX, or a function of one copsx value giving the built-in's.
MAP = {
    # common to PCMM and DQoS (the built-in shares these hf's)
    "cops.pc_transaction_id": (["pcmm.trans_id", "dqos.trans_id"], INT),
    "cops.pc_gate_command_type": (["pcmm.cmd", "dqos.cmd"], INT),
    "cops.pc_subscriber_id4": (["pcmm.subscriber.ipv4", "dqos.subscriber.ipv4"], TEXT),
    "cops.pc_subscriber_id6": (["pcmm.subscriber.ipv6", "dqos.subscriber.ipv6"], TEXT),
    "cops.pc_gate_id": (["pcmm.gate_id", "dqos.gate_id"], INT),
    "cops.pc_token_bucket_rate": (["pcmm.tp.token_bucket_rate", "dqos.gatespec.token_bucket_rate"], FLOAT),
    "cops.pc_token_bucket_size": (["pcmm.tp.token_bucket_size", "dqos.gatespec.token_bucket_size"], FLOAT),
    "cops.pc_peak_data_rate": (["pcmm.tp.peak_data_rate", "dqos.gatespec.peak_data_rate"], FLOAT),
    "cops.pc_min_policed_unit": (["pcmm.tp.min_policed_unit", "dqos.gatespec.min_policed_unit"], INT),
    "cops.pc_max_packet_size": (["pcmm.tp.max_packet_size", "dqos.gatespec.max_packet_size"], INT),
    "cops.pc_spec_rate": (["pcmm.tp.rate", "dqos.gatespec.rate"], FLOAT),
    "cops.pc_slack_term": (["pcmm.tp.slack_term", "dqos.gatespec.slack_term"], INT),
    "cops.pc_bcid_ts": (["pktc.bcid.timestamp"], INT),
    "cops.pc_bcid.id": (["pktc.bcid.element_id"], TEXT),
    "cops.pc_bcid.tz": (["pktc.bcid.time_zone"], TEXT),
    "cops.pc_bcid_ev": (["pktc.bcid.event_counter"], INT),
    "cops.pc_prks_ip": (["pcmm.egi.primary_rks_ipv4", "dqos.egi.primary_rks_ipv4"], TEXT),
    "cops.pc_prks_ip_port": (["pcmm.egi.primary_rks_port", "dqos.egi.primary_rks_port"], INT),
    "cops.pc_srks_ip": (["pcmm.egi.secondary_rks_ipv4", "dqos.egi.secondary_rks_ipv4"], TEXT),
    "cops.pc_srks_ip_port": (["pcmm.egi.secondary_rks_port", "dqos.egi.secondary_rks_port"], INT),
    "cops.opaque_data": (["pcmm.opaque_data"], HEX),
    # PCMM
    "cops.pc_mm_amid_application_type": (["pcmm.amid.app_type"], INT),
    "cops.pc_mm_amid_am_tag": (["pcmm.amid.am_tag"], INT),
    "cops.pc_mm_gs_flags": (["pcmm.gatespec.flags"], INT),
    "cops.pc_mm_gs_flags.gate": (["pcmm.gatespec.flags.direction"], INT),
    "cops.pc_mm_gs_flags.dscp_overwrite": (["pcmm.gatespec.flags.dscp_overwrite"], INT),
    "cops.pc_mm_gs_dscp": (["pcmm.gatespec.dscp_tos"], INT),
    "cops.pc_mm_gs_dscp_mask": (["pcmm.gatespec.dscp_tos_mask"], INT),
    "cops.pc_mm_gs_scid": (["pcmm.gatespec.session_class"], INT),
    "cops.pc_mm_gs_scid_prio": (["pcmm.gatespec.session_class.priority"], INT),
    "cops.pc_mm_gs_scid_preempt": (["pcmm.gatespec.session_class.preemption"], INT),
    "cops.pc_mm_gs_scid_conf": (["pcmm.gatespec.session_class.configurable"], INT),
    "cops.pc_mm_gs_timer_t1": (["pcmm.gatespec.t1"], INT),
    "cops.pc_mm_gs_timer_t2": (["pcmm.gatespec.t2"], INT),
    "cops.pc_mm_gs_timer_t3": (["pcmm.gatespec.t3"], INT),
    "cops.pc_mm_gs_timer_t4": (["pcmm.gatespec.t4"], INT),
    "cops.pc_mm_classifier_proto_id": (["pcmm.classifier.protocol"], INT),
    "cops.pc_mm_classifier_dscp": (["pcmm.classifier.dscp_tos"], INT),
    "cops.pc_mm_classifier_dscp_mask": (["pcmm.classifier.dscp_tos_mask"], INT),
    "cops.pc_mm_classifier_src_addr": (["pcmm.classifier.src_ipv4"], TEXT),
    "cops.pc_mm_classifier_src_mask": (["pcmm.classifier.src_mask"], TEXT),
    "cops.pc_mm_classifier_dst_addr": (["pcmm.classifier.dst_ipv4"], TEXT),
    "cops.pc_mm_classifier_dst_mask": (["pcmm.classifier.dst_mask"], TEXT),
    "cops.pc_mm_classifier_src_port": (["pcmm.classifier.src_port"], INT),
    "cops.pc_mm_classifier_src_port_end": (["pcmm.classifier.src_port_end"], INT),
    "cops.pc_mm_classifier_dst_port": (["pcmm.classifier.dst_port"], INT),
    "cops.pc_mm_classifier_dst_port_end": (["pcmm.classifier.dst_port_end"], INT),
    "cops.pc_mm_classifier_id": (["pcmm.classifier.id"], INT),
    "cops.pc_mm_classifier_priority": (["pcmm.classifier.priority"], INT),
    "cops.pc_mm_classifier_activation_state": (["pcmm.classifier.activation"], INT),
    "cops.pc_mm_classifier_action": (["pcmm.classifier.action"], INT),
    "cops.pc_mm_classifier_flags": (["pcmm.classifier.flags"], INT),
    "cops.pc_mm_classifier_tc_low": (["pcmm.classifier.tc_low"], INT),
    "cops.pc_mm_classifier_tc_high": (["pcmm.classifier.tc_high"], INT),
    "cops.pc_mm_classifier_tc_mask": (["pcmm.classifier.tc_mask"], INT),
    "cops.pc_mm_classifier_flow_label": (["pcmm.classifier.flow_label"], INT),
    "cops.pc_mm_classifier_next_header_type": (["pcmm.classifier.next_header"], INT),
    "cops.pc_mm_classifier_source_prefix_length": (["pcmm.classifier.src_prefix_len"], INT),
    "cops.pc_mm_classifier_destination_prefix_length": (["pcmm.classifier.dst_prefix_len"], INT),
    "cops.pc_mm_classifier_src_addr_v6": (["pcmm.classifier.src_ipv6"], TEXT),
    "cops.pc_mm_classifier_dst_addr_v6": (["pcmm.classifier.dst_ipv6"], TEXT),
    "cops.pc_mm_envelope": (["pcmm.tp.envelope"], INT),
    "cops.pc_mm_fs_envelope": (["pcmm.tp.envelope"], INT),
    "cops.pc_mm_fs_svc_num": (["pcmm.tp.service_number"], INT),
    "cops.pc_mm_docsis_scn": (["pcmm.tp.scn"], TEXT),
    "cops.pc_mm_tp": (["pcmm.tp.traffic_priority"], INT),
    "cops.pc_mm_rtp": (["pcmm.tp.req_tx_policy"], INT),
    "cops.pc_mm_rtp.sf.all_cm": (["pcmm.tp.req_tx_policy"], bit(0)),
    "cops.pc_mm_rtp.sf.priority": (["pcmm.tp.req_tx_policy"], bit(1)),
    "cops.pc_mm_rtp.sf.request_for_request": (["pcmm.tp.req_tx_policy"], bit(2)),
    "cops.pc_mm_rtp.sf.data_for_data": (["pcmm.tp.req_tx_policy"], bit(3)),
    "cops.pc_mm_rtp.sf.piggyback": (["pcmm.tp.req_tx_policy"], bit(4)),
    "cops.pc_mm_rtp.sf.concatenate": (["pcmm.tp.req_tx_policy"], bit(5)),
    "cops.pc_mm_rtp.sf.fragment": (["pcmm.tp.req_tx_policy"], bit(6)),
    "cops.pc_mm_rtp.sf.suppress": (["pcmm.tp.req_tx_policy"], bit(7)),
    "cops.pc_mm_rtp.sf.drop_packets": (["pcmm.tp.req_tx_policy"], bit(8)),
    "cops.pc_mm_mstr": (["pcmm.tp.max_sustained_rate"], INT),
    "cops.pc_mm_mtb": (["pcmm.tp.max_traffic_burst"], INT),
    "cops.pc_mm_mrtr": (["pcmm.tp.min_reserved_rate"], INT),
    "cops.pc_mm_amrtrps": (["pcmm.tp.min_reserved_packet_size"], INT),
    "cops.pc_mm_mcburst": (["pcmm.tp.max_concat_burst"], INT),
    "cops.pc_mm_npi": (["pcmm.tp.nominal_polling_interval"], INT),
    "cops.pc_mm_tpj": (["pcmm.tp.tolerated_poll_jitter"], INT),
    "cops.pc_mm_ugs": (["pcmm.tp.unsolicited_grant_size"], INT),
    "cops.pc_mm_gpi": (["pcmm.tp.grants_per_interval"], INT),
    "cops.pc_mm_ngi": (["pcmm.tp.nominal_grant_interval"], INT),
    "cops.pc_mm_tgj": (["pcmm.tp.tolerated_grant_jitter"], INT),
    "cops.pc_mm_mdl": (["pcmm.tp.max_ds_latency"], INT),
    "cops.pc_mm_downres": (["pcmm.tp.ds_resequencing"], INT),
    "cops.pc_mm_downpeak": (["pcmm.tp.ds_peak_rate"], INT),
    "cops.pc_mm_ramask": (["pcmm.tp.required_attr_mask"], INT),
    "cops.pc_mm_famask": (["pcmm.tp.forbidden_attr_mask"], INT),
    "cops.pc_mm_aarmask": (["pcmm.tp.attr_aggregation_mask"], INT),
    "cops.pc_mm_vbul_ul": (["pcmm.volume_limit"], INT),
    "cops.pc_mm_tbul_ul": (["pcmm.time_limit"], INT),
    "cops.pc_mm_gti": (["pcmm.gate_time"], INT),
    "cops.pc_mm_gui": (["pcmm.gate_usage"], INT),
    "cops.pc_mm_error_ec": (["pcmm.error.code"], INT),
    "cops.pc_mm_error_esc": (["pcmm.error.subcode"], INT),
    "cops.pc_mm_gs_state": (["pcmm.gate_state.state"], INT),
    "cops.pc_mm_gs_reason": (["pcmm.gate_state.reason"], INT),
    "cops.pc_mm_vi_major": (["pcmm.version.major"], INT),
    "cops.pc_mm_vi_minor": (["pcmm.version.minor"], INT),
    "cops.pc_mm_psid": (["pcmm.psid"], INT),
    "cops.pc_mm_synch_options_report_type": (["pcmm.synch.report_type"], INT),
    "cops.pc_mm_synch_options_synch_type": (["pcmm.synch.synch_type"], INT),
    "cops.pc_mm_msg_receipt_key": (["pcmm.msg_receipt_key"], INT),
    "cops.pc_mm_userid": (["pcmm.user_id"], TEXT),
    "cops.pc_mm_srid": (["pcmm.shared_resource_id"], INT),
    # DQoS
    "cops.pc_activity_count": (["dqos.activity_count"], INT),
    "cops.pc_direction": (["dqos.gatespec.direction"], INT),
    "cops.pc_protocol_id": (["dqos.gatespec.protocol"], INT),
    # the built-in uses this one hf for the Gate Spec, EGI and surveillance flags
    "cops.pc_gate_spec_flags": (["dqos.gatespec.flags", "dqos.egi.primary_rks_flags",
                                 "dqos.egi.secondary_rks_flags", "dqos.es.flags"], INT),
    "cops.pc_session_class": (["dqos.gatespec.session_class"], INT),
    "cops.pc_src_ip": (["dqos.gatespec.src_ipv4"], TEXT),
    "cops.pc_dest_ip": (["dqos.gatespec.dst_ipv4"], TEXT),
    "cops.pc_src_port": (["dqos.gatespec.src_port"], INT),
    "cops.pc_dest_port": (["dqos.gatespec.dst_port"], INT),
    "cops.pc_ds_field": (["dqos.gatespec.ds_field"], INT),
    "cops.pc_t1_value": (["dqos.gatespec.t1"], INT),
    "cops.pc_t7_value": (["dqos.gatespec.t7"], INT),
    "cops.pc_t8_value": (["dqos.gatespec.t8"], INT),
    "cops.pc_cmts_ip": (["dqos.remote_gate.cmts_ipv4"], TEXT),
    "cops.pc_cmts_ip_port": (["dqos.remote_gate.cmts_port"], INT),
    "cops.pc_remote_flags": (["dqos.remote_gate.flags"], INT),
    "cops.pc_remote_gate_id": (["dqos.remote_gate.gate_id"], INT),
    "cops.pc_algorithm": (["dqos.remote_gate.algorithm"], INT),
    "cops.pc_key": (["dqos.remote_gate.security_key"], u32_words),
    "cops.pc_packetcable_err_code": (["dqos.error.code"], INT),
    "cops.pc_packetcable_sub_code": (["dqos.error.subcode"], INT),
    "cops.pc_dfcdc_ip": (["dqos.es.cdc_ipv4"], TEXT),
    "cops.pc_dfcdc_ip_port": (["dqos.es.cdc_port"], INT),
    "cops.pc_dfccc_ip": (["dqos.es.ccc_ipv4"], TEXT),
    "cops.pc_dfccc_ip_port": (["dqos.es.ccc_port"], INT),
    "cops.pc_dfccc_id": (["dqos.es.cccid"], INT),
    "cops.pc_reason_code": (["dqos.reason.code"], INT),
    "cops.pc_delete_subcode": (["dqos.reason.subcode"], INT),
    "cops.pc_close_subcode": (["dqos.reason.subcode"], INT),
}

# Built-in items whose value is wrong while their text is right: read the text.
# cops.pc_mm_error_esc holds the Error-Code as its value, the sub-code only in its label.
FROM_TEXT = {
    "cops.pc_mm_error_esc": re.compile(r"Error-Subcode: (0x[0-9a-fA-F]+)"),
}

# Built-in items with no value of their own or shown by copsx only when meaningful.
IGNORE = {
    "cops.pc_subtree": "a subtree label, no value",
    "cops.pc_reserved": "reserved bytes: copsx shows them (pktc.reserved) only when they are not zero",
    "": "text-only labels (envelope subtrees)",
}

# Where the built-in and the specification disagree on a *value* (names are not compared:
# e.g. PCMM error codes 20-23, which the built-in names after an older issue -- 20 "Unauthorized
# PSID" .. 23 "Incremental Data Incomplete" -- while PKT-SP-MM-I05 6.4.2.14 has 20 "DOCSIS 1.0 CM"
# .. 23 "Unauthorized PSID"; the numbers agree, so they are compared and match; likewise Gate
# Command Types 13/14, which the built-in names Gate-Open/Gate-Close in PCMM too, and the PCMM
# SessionClassID, which it labels with the DQoS session-class table).
# (frame predicate, built-in field) -> reason. The predicate sees the built-in's items of the frame.
def _be_i03(items):
    # A Best Effort Traffic Profile of S-Length 80 with Envelope 7: I03 with three 24-byte
    # sets (one per envelope) or I05 with two 36-byte sets. The built-in tries I05 first; two
    # sets cannot serve three envelopes (PKT-SP-MM-I05 6.4.2.7), so copsx takes I03.
    return any(n == "cops.pc_mm_envelope" and v == "7" for n, v in items) and \
        any(n == "cops.pc_mm_mcburst" for n, v in items) and \
        sum(1 for n, _ in items if n == "cops.pc_mm_mstr") == 2
EXCEPTIONS = [
    (_be_i03, {"cops.pc_mm_tp", "cops.pc_mm_rtp", "cops.pc_mm_mstr", "cops.pc_mm_mtb", "cops.pc_mm_mrtr",
               "cops.pc_mm_amrtrps", "cops.pc_mm_mcburst", "cops.pc_mm_ramask", "cops.pc_mm_famask",
               "cops.pc_mm_aarmask"} | {"cops.pc_mm_rtp.sf." + b for b in (
                   "all_cm", "priority", "request_for_request", "data_for_data", "piggyback",
                   "concatenate", "fragment", "suppress", "drop_packets")},
     "Best Effort S-Length 80 with Envelope 7: I03 (3 sets) per PKT-SP-MM-I05 6.4.2.7, built-in reads I05 (2 sets)"),
]


def normalize(kind, value):
    if kind == INT:
        return as_int(value)
    if kind == FLOAT:
        return as_float(value)
    if kind == HEX:
        return as_hex(value)
    return value


def tshark(home, work, cap, fmt_filter):
    env = dict(os.environ, HOME=home)
    cmd = ["tshark", "-n", "-r", cap, "-T", "pdml", "-Y", fmt_filter]
    if os.getuid() == 0:
        cmd = ["setpriv", "--reuid=%d" % NOBODY, "--regid=%d" % NOBODY, "--clear-groups"] + cmd
    out = subprocess.run(cmd, cwd=work, env=env, capture_output=True, timeout=120)
    if out.returncode != 0:
        raise RuntimeError("tshark failed on %s: %s" % (cap, out.stderr.decode(errors="replace")))
    return ET.fromstring(out.stdout)


def frames(root, proto_name, prefix):
    """frame number -> list of (field name, show) of that protocol's items."""
    out = {}
    for packet in root.iter("packet"):
        num = None
        items = []
        for proto in packet.findall("proto"):
            if proto.get("name") == "frame":
                for f in proto.iter("field"):
                    if f.get("name") == "frame.number":
                        num = int(f.get("show"))
            if proto.get("name") != proto_name:
                continue
            for f in proto.iter("field"):
                name = f.get("name", "")
                if name.startswith(prefix) or (prefix == "cops.pc" and name in ("cops.opaque_data", "")):
                    show = f.get("show", "")
                    if name in FROM_TEXT:
                        m = FROM_TEXT[name].search(f.get("showname", ""))
                        show = m.group(1) if m else show
                    items.append((name, show))
        if num is not None and items:
            out.setdefault(num, []).extend(items)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--home", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("captures", nargs="+")
    a = ap.parse_args()
    if not shutil.which("tshark"):
        print("tshark not installed: skipped")
        return 77
    os.makedirs(a.work, exist_ok=True)
    empty_home = os.path.join(a.work, "no-plugin-home")
    os.makedirs(empty_home, exist_ok=True)
    for d in (a.work, empty_home):
        os.chmod(d, 0o755)
    failures, compared, excepted = [], 0, 0
    for src in a.captures:
        cap = os.path.join(a.work, os.path.basename(src))
        shutil.copyfile(src, cap)
        os.chmod(cap, 0o644)
        builtin = frames(tshark(empty_home, a.work, cap, "cops"), "cops", "cops.pc")
        ours = frames(tshark(a.home, a.work, cap, "copsx"), "copsx", "copsx.")
        if not builtin:
            failures.append("%s: the built-in shows no PacketCable item" % src)
        for num, items in sorted(builtin.items()):
            have = {}
            for name, show in ours.get(num, []):
                have.setdefault(name[len("copsx."):], []).append(show)
            for name, show in items:
                if name in IGNORE or name.startswith("cops.pc_subtree"):
                    continue
                reason = next((r for pred, names, r in EXCEPTIONS if name in names and pred(items)), None)
                if reason:
                    excepted += 1
                    continue
                if name not in MAP:
                    failures.append("%s frame %d: built-in field %s=%r has no copsx mapping" % (src, num, name, show))
                    continue
                targets, kind = MAP[name]
                want = show if callable(kind) else normalize(kind, show)
                if callable(kind):
                    want = as_int(show)
                    got = []
                    for t in targets:
                        for v in have.get(t, []):
                            r = kind(v)
                            got.extend(r if isinstance(r, list) else [r])
                else:
                    got = [normalize(kind, v) for t in targets for v in have.get(t, [])]
                compared += 1
                if want not in got:
                    failures.append("%s frame %d: built-in %s=%r, copsx %s has %r" %
                                    (src, num, name, show, "/".join(targets), got))
    for f in failures:
        print("MISMATCH", f)
    print("%d built-in values compared, %d excepted (spec vs built-in), %d mismatches" %
          (compared, excepted, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
